//! Public holidays as data, and working-day arithmetic over them.
//!
//! A [`HolidayCalendar`] is a list of [`HolidayRule`]s, each written as a short text so that a
//! jurisdiction profile can carry its holidays as data:
//!
//! | Text                       | Rule                                                              |
//! |----------------------------|-------------------------------------------------------------------|
//! | `12-25`                    | the same month and day every year                                 |
//! | `05-04 or next monday`     | that day, and also the following Monday when it falls on a weekend |
//! | `easter`, `easter+1`, `easter-2` | days from Western (Gregorian) Easter Sunday                 |
//! | `first sunday of 05`       | the first/second/third/fourth/last weekday of a month             |
//! | `2026-06-08`               | one date only                                                     |
//!
//! A working day is a Monday to Friday that no rule marks as a holiday.

use crate::case::CalendarDate;
use crate::{Coded, ParseError, coded_enum};

coded_enum! {
    /// A day of the week, in ISO order.
    pub enum Weekday {
        Monday => "monday",
        Tuesday => "tuesday",
        Wednesday => "wednesday",
        Thursday => "thursday",
        Friday => "friday",
        Saturday => "saturday",
        Sunday => "sunday",
    }
}

impl Weekday {
    /// ISO number: 1 = Monday … 7 = Sunday (as [`CalendarDate::iso_weekday`]).
    pub fn iso(self) -> u8 {
        match self {
            Weekday::Monday => 1,
            Weekday::Tuesday => 2,
            Weekday::Wednesday => 3,
            Weekday::Thursday => 4,
            Weekday::Friday => 5,
            Weekday::Saturday => 6,
            Weekday::Sunday => 7,
        }
    }
}

coded_enum! {
    /// Which occurrence of a weekday in a month.
    pub enum Nth {
        First => "first",
        Second => "second",
        Third => "third",
        Fourth => "fourth",
        Last => "last",
    }
}

/// Easter offsets are limited so that the day always falls in Easter's own year
/// (Easter Sunday lies between 22 March and 25 April).
const EASTER_OFFSET_MIN: i16 = -80;
const EASTER_OFFSET_MAX: i16 = 250;

/// One public-holiday rule. Its text form is described in the module documentation;
/// [`HolidayRule::parse`] and `Display` convert between the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum HolidayRule {
    /// The same month and day every year (`02-29` only in leap years).
    Fixed { month: u8, day: u8 },
    /// The month and day, and also the next Monday when that day is a Saturday or Sunday.
    FixedOrNextMonday { month: u8, day: u8 },
    /// Western Easter Sunday plus `offset` days (negative before it).
    Easter { offset: i16 },
    /// The `nth` `weekday` of `month`.
    NthWeekday { nth: Nth, weekday: Weekday, month: u8 },
    /// A single date (a holiday declared once).
    OneOff(CalendarDate),
}

impl HolidayRule {
    /// Parses the text form; the error names `field`.
    pub fn parse(field: &str, text: &str) -> Result<Self, ParseError> {
        let lower = text.trim().to_ascii_lowercase();
        let tokens: Vec<&str> = lower.split_whitespace().collect();
        let bad = |why: &str| ParseError::new(field, format!("holiday rule {text:?}: {why}"));
        match tokens.as_slice() {
            [] => Err(bad("empty rule")),
            [easter] if easter.starts_with("easter") => {
                let offset = parse_easter_offset(&easter["easter".len()..]).ok_or_else(|| {
                    bad(&format!(
                        "expected easter, easter+N or easter-N with N between {EASTER_OFFSET_MIN} and {EASTER_OFFSET_MAX}"
                    ))
                })?;
                Ok(HolidayRule::Easter { offset })
            }
            [date] if date.len() == 10 => CalendarDate::parse(field, date)
                .map(HolidayRule::OneOff)
                .map_err(|_| bad("not a date in the form YYYY-MM-DD")),
            [month_day] => {
                let (month, day) = parse_month_day(month_day).ok_or_else(|| bad("expected MM-DD"))?;
                Ok(HolidayRule::Fixed { month, day })
            }
            [month_day, "or", "next", "monday"] => {
                let (month, day) = parse_month_day(month_day).ok_or_else(|| bad("expected MM-DD or next monday"))?;
                Ok(HolidayRule::FixedOrNextMonday { month, day })
            }
            [nth, weekday, "of", month] => {
                let nth = Nth::parse_code(field, nth).map_err(|e| bad(&e.message))?;
                let weekday = Weekday::parse_code(field, weekday).map_err(|e| bad(&e.message))?;
                let month = parse_month(month).ok_or_else(|| bad("the month must be 01 to 12"))?;
                Ok(HolidayRule::NthWeekday { nth, weekday, month })
            }
            _ => Err(bad(
                "expected MM-DD, MM-DD or next monday, easter±N, <first|second|third|fourth|last> <weekday> of MM, \
                 or YYYY-MM-DD",
            )),
        }
    }

    /// Whether `date` is a holiday under this rule.
    pub fn matches(&self, date: CalendarDate) -> bool {
        match *self {
            HolidayRule::Fixed { month, day } => date.month == month && date.day == day,
            HolidayRule::FixedOrNextMonday { month, day } => {
                let on = |d: CalendarDate| d.month == month && d.day == day;
                on(date)
                    || (date.iso_weekday() == 1
                        && [1i64, 2].into_iter().any(|back| date.add_days(-back).is_some_and(on)))
            }
            HolidayRule::Easter { offset } => {
                easter_sunday(date.year).and_then(|e| e.add_days(i64::from(offset))) == Some(date)
            }
            HolidayRule::NthWeekday { nth, weekday, month } => {
                if date.month != month || date.iso_weekday() != weekday.iso() {
                    return false;
                }
                let index = (date.day - 1) / 7; // 0 for days 1-7, 1 for 8-14, …
                match nth {
                    Nth::First => index == 0,
                    Nth::Second => index == 1,
                    Nth::Third => index == 2,
                    Nth::Fourth => index == 3,
                    Nth::Last => date.add_days(7).is_none_or(|next| next.month != date.month),
                }
            }
            HolidayRule::OneOff(d) => d == date,
        }
    }
}

fn parse_easter_offset(rest: &str) -> Option<i16> {
    if rest.is_empty() {
        return Some(0);
    }
    let (sign, digits) = match rest.split_at(1) {
        ("+", d) => (1, d),
        ("-", d) => (-1, d),
        _ => return None,
    };
    if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let offset = sign * digits.parse::<i16>().ok()?;
    (EASTER_OFFSET_MIN..=EASTER_OFFSET_MAX).contains(&offset).then_some(offset)
}

fn parse_month(text: &str) -> Option<u8> {
    if text.is_empty() || text.len() > 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u8>().ok().filter(|m| (1..=12).contains(m))
}

fn parse_month_day(text: &str) -> Option<(u8, u8)> {
    let (m, d) = text.split_once('-')?;
    if m.len() != 2 || d.len() != 2 || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let month = parse_month(m)?;
    let day = d.parse::<u8>().ok()?;
    // Checked against a leap year, so that 02-29 is accepted.
    CalendarDate::parse("", &format!("2000-{m}-{d}")).ok()?;
    Some((month, day))
}

impl std::fmt::Display for HolidayRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HolidayRule::Fixed { month, day } => write!(f, "{month:02}-{day:02}"),
            HolidayRule::FixedOrNextMonday { month, day } => write!(f, "{month:02}-{day:02} or next monday"),
            HolidayRule::Easter { offset: 0 } => f.write_str("easter"),
            HolidayRule::Easter { offset } => write!(f, "easter{offset:+}"),
            HolidayRule::NthWeekday { nth, weekday, month } => write!(f, "{nth} {weekday} of {month:02}"),
            HolidayRule::OneOff(date) => write!(f, "{date}"),
        }
    }
}

impl TryFrom<String> for HolidayRule {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse("holiday", &value)
    }
}

impl From<HolidayRule> for String {
    fn from(value: HolidayRule) -> Self {
        value.to_string()
    }
}

/// Western Easter Sunday of `year` (Gregorian calendar, the anonymous Gregorian computus of
/// Meeus/Jones/Butcher); `None` outside the 1900-2100 range of [`CalendarDate`].
pub fn easter_sunday(year: u16) -> Option<CalendarDate> {
    if !(1900..=2100).contains(&year) {
        return None;
    }
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    let month = u8::try_from(n / 31).ok()?;
    let day = u8::try_from(n % 31 + 1).ok()?;
    Some(CalendarDate { year, month, day })
}

/// A set of holiday rules answering working-day questions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    rules: Vec<HolidayRule>,
}

impl HolidayCalendar {
    pub fn new(rules: Vec<HolidayRule>) -> Self {
        Self { rules }
    }

    /// Parses rule texts; an error names the rule as `field[index]`.
    pub fn parse<S: AsRef<str>>(field: &str, rules: &[S]) -> Result<Self, ParseError> {
        let rules = rules
            .iter()
            .enumerate()
            .map(|(i, text)| HolidayRule::parse(&format!("{field}[{i}]"), text.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { rules })
    }

    pub fn rules(&self) -> &[HolidayRule] {
        &self.rules
    }

    /// Whether any rule makes `date` a public holiday (whatever the weekday).
    pub fn is_holiday(&self, date: CalendarDate) -> bool {
        self.rules.iter().any(|rule| rule.matches(date))
    }

    /// Monday to Friday and not a holiday.
    pub fn is_working_day(&self, date: CalendarDate) -> bool {
        !date.is_weekend() && !self.is_holiday(date)
    }

    /// The `n`-th working day after `start` (`start` itself when `n` is 0, whether or not it is a
    /// working day); `None` if that lies beyond 2100.
    pub fn add_working_days(&self, start: CalendarDate, n: u32) -> Option<CalendarDate> {
        let mut date = start;
        let mut left = n;
        while left > 0 {
            date = date.add_days(1)?;
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        Some(date)
    }

    /// The number of working days `d` with `a < d <= b`, negated when `b` is before `a`; so
    /// `working_days_between(a, add_working_days(a, n)) == n`.
    pub fn working_days_between(&self, a: CalendarDate, b: CalendarDate) -> i64 {
        let (from, to, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let (from, to) = (from.days_since_epoch(), to.days_since_epoch());
        let count = (from + 1..=to).filter_map(CalendarDate::from_days).filter(|d| self.is_working_day(*d)).count();
        sign * i64::try_from(count).unwrap_or(i64::MAX)
    }

    /// Every holiday date of `year`, in order (including those on weekends).
    pub fn holidays_in_year(&self, year: u16) -> Vec<CalendarDate> {
        let Ok(first) = CalendarDate::parse("", &format!("{year:04}-01-01")) else { return Vec::new() };
        (0..366).filter_map(|offset| first.add_days(offset)).filter(|d| d.year == year && self.is_holiday(*d)).collect()
    }
}

/// A period of a number of days that follows an event: it starts on the day after the event and
/// ends with the last of its days, both included (Regulation (EEC, Euratom) No 1182/71 Art 3(1)
/// and 3(2)(b)). A 30-day period following a decision of 1 March runs from 2 to 31 March. Every
/// period of days Haven computes is one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DaysPeriod {
    pub start: CalendarDate,
    pub end: CalendarDate,
}

impl DaysPeriod {
    /// The `days` days after `event`; `None` for 0 days or past the calendar's end.
    pub fn after(event: CalendarDate, days: u32) -> Option<Self> {
        if days == 0 {
            return None;
        }
        Some(Self { start: event.add_days(1)?, end: event.add_days(i64::from(days))? })
    }

    /// Its length in days, counting both ends.
    pub fn days(&self) -> i64 {
        self.start.days_until(self.end) + 1
    }

    pub fn contains(&self, date: CalendarDate) -> bool {
        self.start <= date && date <= self.end
    }
}

#[cfg(test)]
mod tests {
    /// Regulation 1182/71 Art 3(1): the day of the event does not count; a 30-day period that
    /// follows a decision of 31 January 2025 runs from 1 February to 2 March.
    #[test]
    fn art_3_1_reg_1182_71_a_period_of_days_starts_on_the_day_after_the_event() {
        let event = CalendarDate::parse("d", "2025-01-31").unwrap();
        let p = DaysPeriod::after(event, 30).unwrap();
        assert_eq!(p.start.to_string(), "2025-02-01");
        assert_eq!(p.end.to_string(), "2025-03-02");
        assert_eq!(p.days(), 30);
        let leap = DaysPeriod::after(CalendarDate::parse("d", "2024-02-15").unwrap(), 30).unwrap();
        assert_eq!(leap.end.to_string(), "2024-03-16");
        assert_eq!(DaysPeriod::after(event, 0), None);
        assert_eq!(DaysPeriod::after(event, 1).map(|p| (p.start, p.end)), event.add_days(1).map(|d| (d, d)));
    }

    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    /// Latvia's public holidays, as in the embedded LV profile.
    fn latvia() -> HolidayCalendar {
        HolidayCalendar::parse(
            "holidays",
            &[
                "01-01",
                "easter-2",
                "easter",
                "easter+1",
                "05-01",
                "05-04 or next monday",
                "06-23",
                "06-24",
                "11-18 or next monday",
                "12-24",
                "12-25",
                "12-26",
                "12-31",
            ],
        )
        .unwrap()
    }

    #[test]
    fn easter_sunday_known_years() {
        for (year, date) in [
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2000, "2000-04-23"),
            (2038, "2038-04-25"),
            (2008, "2008-03-23"),
            (2011, "2011-04-24"),
            (1900, "1900-04-15"),
            (2100, "2100-03-28"),
        ] {
            assert_eq!(easter_sunday(year), Some(d(date)), "{year}");
        }
        assert_eq!(easter_sunday(1899), None);
        assert_eq!(easter_sunday(2101), None);
    }

    #[test]
    fn easter_is_a_sunday_between_22_march_and_25_april() {
        for year in 1900..=2100 {
            let e = easter_sunday(year).unwrap();
            assert_eq!(e.iso_weekday(), 7, "{year}");
            assert!((e.month, e.day) >= (3, 22) && (e.month, e.day) <= (4, 25), "{year}: {e}");
        }
    }

    #[test]
    fn rules_parse_and_print_back() {
        for (text, rule) in [
            ("12-25", HolidayRule::Fixed { month: 12, day: 25 }),
            ("02-29", HolidayRule::Fixed { month: 2, day: 29 }),
            ("05-04 or next monday", HolidayRule::FixedOrNextMonday { month: 5, day: 4 }),
            ("easter", HolidayRule::Easter { offset: 0 }),
            ("easter+1", HolidayRule::Easter { offset: 1 }),
            ("easter-2", HolidayRule::Easter { offset: -2 }),
            ("easter+49", HolidayRule::Easter { offset: 49 }),
            ("first sunday of 05", HolidayRule::NthWeekday { nth: Nth::First, weekday: Weekday::Sunday, month: 5 }),
            ("last monday of 08", HolidayRule::NthWeekday { nth: Nth::Last, weekday: Weekday::Monday, month: 8 }),
            ("2026-06-08", HolidayRule::OneOff(d("2026-06-08"))),
        ] {
            assert_eq!(HolidayRule::parse("h", text).unwrap(), rule, "{text}");
            assert_eq!(rule.to_string(), text);
        }
        // Case and spacing are forgiven.
        assert_eq!(
            HolidayRule::parse("h", "  05-04  OR Next Monday ").unwrap(),
            HolidayRule::FixedOrNextMonday { month: 5, day: 4 }
        );
        assert_eq!(HolidayRule::parse("h", "Easter+0").unwrap(), HolidayRule::Easter { offset: 0 });
    }

    #[test]
    fn bad_rules_are_refused() {
        for text in [
            "",
            "13-01",
            "02-30",
            "04-31",
            "1-1",
            "12/25",
            "easter+",
            "easter*2",
            "easter+251",
            "easter-81",
            "easter+ 1",
            "fifth sunday of 05",
            "first funday of 05",
            "first sunday of 13",
            "first sunday in 05",
            "05-04 or next tuesday",
            "2026-02-29",
            "2026-6-08",
            "christmas",
        ] {
            assert!(HolidayRule::parse("h", text).is_err(), "{text:?} should be refused");
        }
    }

    #[test]
    fn calendar_errors_name_the_rule_index() {
        let err = HolidayCalendar::parse("holidays", &["01-01", "easter", "13-40"]).unwrap_err();
        assert_eq!(err.field, "holidays[2]");
        assert!(err.message.contains("13-40"), "{}", err.message);
    }

    #[test]
    fn weekends_are_not_working_days() {
        let none = HolidayCalendar::default();
        assert!(!none.is_working_day(d("2026-11-28"))); // Saturday
        assert!(!none.is_working_day(d("2026-11-29"))); // Sunday
        assert!(none.is_working_day(d("2026-11-27"))); // Friday
        assert!(none.is_working_day(d("2026-11-30"))); // Monday
        assert_eq!(none.add_working_days(d("2026-11-27"), 1), Some(d("2026-11-30")));
        assert_eq!(none.add_working_days(d("2026-11-28"), 1), Some(d("2026-11-30")));
        assert_eq!(none.add_working_days(d("2026-11-28"), 0), Some(d("2026-11-28")));
        assert_eq!(none.add_working_days(d("2026-11-23"), 5), Some(d("2026-11-30")));
    }

    #[test]
    fn latvian_4_may_moves_to_monday_when_on_a_weekend() {
        let lv = latvia();
        // 2024: 4 May is a Saturday, so Monday 6 May is a holiday.
        assert_eq!(d("2024-05-04").iso_weekday(), 6);
        assert!(lv.is_holiday(d("2024-05-04")));
        assert!(lv.is_holiday(d("2024-05-06")));
        assert!(lv.is_working_day(d("2024-05-07")));
        // 2025: 4 May is a Sunday, so Monday 5 May is a holiday.
        assert_eq!(d("2025-05-04").iso_weekday(), 7);
        assert!(lv.is_holiday(d("2025-05-05")));
        assert!(lv.is_working_day(d("2025-05-06")));
        // 2026: 4 May is a Monday; the following Monday stays a working day.
        assert_eq!(d("2026-05-04").iso_weekday(), 1);
        assert!(lv.is_holiday(d("2026-05-04")));
        assert!(lv.is_working_day(d("2026-05-05")));
        assert!(lv.is_working_day(d("2026-05-11")));
        // 2023: 18 November is a Saturday, so Monday 20 November is a holiday.
        assert_eq!(d("2023-11-18").iso_weekday(), 6);
        assert!(lv.is_holiday(d("2023-11-20")));
        assert!(lv.is_working_day(d("2023-11-21")));
        // Friday 1 May 2026 to the next working day: Monday 4 May is itself the holiday.
        assert_eq!(lv.add_working_days(d("2026-04-30"), 1), Some(d("2026-05-05")));
    }

    #[test]
    fn latvian_easter_is_four_days_off() {
        let lv = latvia();
        // 2026: Good Friday 3 April, Easter Monday 6 April.
        assert!(lv.is_holiday(d("2026-04-03")));
        assert!(lv.is_holiday(d("2026-04-05")));
        assert!(lv.is_holiday(d("2026-04-06")));
        assert!(lv.is_working_day(d("2026-04-02")));
        assert!(lv.is_working_day(d("2026-04-07")));
        assert_eq!(lv.add_working_days(d("2026-04-02"), 1), Some(d("2026-04-07")));
        assert_eq!(lv.working_days_between(d("2026-04-02"), d("2026-04-07")), 1);
    }

    #[test]
    fn nth_weekday_rules() {
        let lt =
            HolidayCalendar::parse("h", &["first sunday of 05", "first sunday of 06", "last monday of 05"]).unwrap();
        assert!(lt.is_holiday(d("2026-05-03")));
        assert!(!lt.is_holiday(d("2026-05-10")));
        assert!(lt.is_holiday(d("2026-06-07")));
        assert!(lt.is_holiday(d("2025-05-04")));
        assert!(lt.is_holiday(d("2026-05-25")));
        assert!(!lt.is_holiday(d("2026-05-18")));
        // 1 May 2022 was a Sunday: the first Sunday is the first.
        assert!(lt.is_holiday(d("2022-05-01")));
        assert!(!lt.is_holiday(d("2022-05-08")));
    }

    #[test]
    fn one_off_dates_apply_once() {
        let cal = HolidayCalendar::parse("h", &["2026-06-08"]).unwrap();
        assert!(cal.is_holiday(d("2026-06-08")));
        assert!(!cal.is_holiday(d("2027-06-08")));
        assert_eq!(cal.add_working_days(d("2026-06-05"), 1), Some(d("2026-06-09")));
    }

    #[test]
    fn month_ends_and_leap_day() {
        let none = HolidayCalendar::default();
        assert_eq!(none.add_working_days(d("2026-01-30"), 1), Some(d("2026-02-02")));
        assert_eq!(none.add_working_days(d("2026-04-30"), 1), Some(d("2026-05-01")));
        assert_eq!(none.add_working_days(d("2024-02-28"), 1), Some(d("2024-02-29")));
        assert_eq!(none.add_working_days(d("2024-02-28"), 2), Some(d("2024-03-01")));
        assert_eq!(none.add_working_days(d("2024-02-28"), 3), Some(d("2024-03-04")));
        assert_eq!(none.add_working_days(d("2023-02-28"), 1), Some(d("2023-03-01")));
        let leap = HolidayCalendar::parse("h", &["02-29"]).unwrap();
        assert!(leap.is_holiday(d("2024-02-29")));
        assert_eq!(leap.add_working_days(d("2024-02-28"), 1), Some(d("2024-03-01")));
        assert_eq!(leap.holidays_in_year(2023), Vec::<CalendarDate>::new());
    }

    #[test]
    fn year_end_across_christmas_and_new_year_in_latvia() {
        let lv = latvia();
        // Tuesday 23 December 2025; 24, 25, 26 Dec holidays, 27-28 weekend.
        assert_eq!(lv.add_working_days(d("2025-12-23"), 1), Some(d("2025-12-29")));
        // 29, 30 working; 31 Dec and 1 Jan holidays; Friday 2 January 2026.
        assert_eq!(lv.add_working_days(d("2025-12-23"), 3), Some(d("2026-01-02")));
        assert_eq!(lv.add_working_days(d("2025-12-23"), 4), Some(d("2026-01-05")));
        assert_eq!(lv.working_days_between(d("2025-12-23"), d("2026-01-05")), 4);
        assert_eq!(lv.working_days_between(d("2026-01-05"), d("2025-12-23")), -4);
        assert_eq!(lv.add_working_days(d("2100-12-30"), 5), None);
    }

    #[test]
    fn holidays_in_a_year_are_listed_in_order() {
        let days = latvia().holidays_in_year(2024);
        let texts: Vec<String> = days.iter().map(ToString::to_string).collect();
        assert_eq!(
            texts,
            [
                "2024-01-01",
                "2024-03-29",
                "2024-03-31",
                "2024-04-01",
                "2024-05-01",
                "2024-05-04",
                "2024-05-06",
                "2024-06-23",
                "2024-06-24",
                "2024-11-18",
                "2024-12-24",
                "2024-12-25",
                "2024-12-26",
                "2024-12-31"
            ]
        );
    }

    #[test]
    fn rules_travel_as_strings() {
        let rule = HolidayRule::FixedOrNextMonday { month: 11, day: 18 };
        let json = serde_json::to_string(&rule).unwrap();
        assert_eq!(json, "\"11-18 or next monday\"");
        assert_eq!(serde_json::from_str::<HolidayRule>(&json).unwrap(), rule);
        assert!(serde_json::from_str::<HolidayRule>("\"11-31\"").is_err());
    }

    fn any_date() -> impl Strategy<Value = CalendarDate> {
        // 1901-01-01 ..= 2099-12-31
        (-25_202i64..=47_481).prop_map(|n| CalendarDate::from_days(n).unwrap())
    }

    proptest! {
        #[test]
        fn add_working_days_lands_on_working_days_and_is_monotonic(start in any_date(), n in 0u32..60) {
            let lv = latvia();
            let here = lv.add_working_days(start, n);
            let next = lv.add_working_days(start, n + 1);
            if let (Some(here), Some(next)) = (here, next) {
                prop_assert!(next > here);
                prop_assert!(lv.is_working_day(next));
                prop_assert!(!next.is_weekend() && !lv.is_holiday(next));
                if n > 0 {
                    prop_assert!(lv.is_working_day(here));
                }
                prop_assert_eq!(lv.working_days_between(start, here), i64::from(n));
                prop_assert_eq!(lv.working_days_between(here, start), -i64::from(n));
            }
        }

        #[test]
        fn rule_parse_never_panics_and_round_trips(s in "\\PC{0,30}") {
            if let Ok(rule) = HolidayRule::parse("h", &s) {
                prop_assert_eq!(HolidayRule::parse("h", &rule.to_string()).unwrap(), rule);
            }
        }

        #[test]
        fn easter_offsets_stay_in_easter_year(year in 1900u16..=2100, offset in EASTER_OFFSET_MIN..=EASTER_OFFSET_MAX) {
            let day = easter_sunday(year).unwrap().add_days(i64::from(offset));
            if let Some(day) = day {
                prop_assert_eq!(day.year, year);
                let rule = HolidayRule::Easter { offset };
                prop_assert!(rule.matches(day));
            }
        }
    }
}
