//! The minimal case record the foundation needs: a presumed victim's identity, compartmented
//! notes and shares. The identification module extends it.

use crate::{Coded, ParseError, access::Compartment, coded_enum, text::Narrative, text::parse_line};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Sex as recorded (HTCDS `gender` values are richer; this is the statistical variable).
    pub enum Sex {
        Female => "female",
        Male => "male",
        Other => "other",
        Unknown => "unknown",
    }
}

/// A calendar date `YYYY-MM-DD`, checked (leap years included), between 1900 and 2100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CalendarDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl CalendarDate {
    pub fn parse(field: &str, value: &str) -> Result<Self, ParseError> {
        let bad = || {
            ParseError::said(
                field,
                format!("{value:?} is not a date in the form YYYY-MM-DD"),
                crate::Message::new(crate::MessageId::NotADate).with("value", value),
            )
        };
        let parts: Vec<&str> = value.trim().split('-').collect();
        let [y, m, d] = parts.as_slice() else { return Err(bad()) };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year: u16 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        let day: u8 = d.parse().map_err(|_| bad())?;
        if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month)
        {
            return Err(bad());
        }
        Ok(Self { year, month, day })
    }
}

impl CalendarDate {
    /// Days since 1970-01-01 (negative before it); the inverse of [`CalendarDate::from_days`].
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (i64::from(self.year), i64::from(self.month), i64::from(self.day));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01, if it lies between 1900 and 2100.
    pub fn from_days(days: i64) -> Option<Self> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        if !(1900..=2100).contains(&year) {
            return None;
        }
        Some(Self { year: u16::try_from(year).ok()?, month: u8::try_from(month).ok()?, day: u8::try_from(day).ok()? })
    }

    /// This date plus `days` (which may be negative); `None` outside 1900-2100.
    pub fn add_days(self, days: i64) -> Option<Self> {
        Self::from_days(self.days_since_epoch() + days)
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Self) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub fn iso_weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (4).
        let w = (self.days_since_epoch() + 3).rem_euclid(7) + 1;
        u8::try_from(w).unwrap_or(1)
    }

    /// Saturday or Sunday.
    pub fn is_weekend(self) -> bool {
        self.iso_weekday() >= 6
    }

    /// Whole years of age on `on` for a person born on `self` (0 if `on` is before the birth).
    pub fn age_on(self, on: Self) -> u16 {
        if on < self {
            return 0;
        }
        let mut years = on.year - self.year;
        if (on.month, on.day) < (self.month, self.day) {
            years -= 1;
        }
        years
    }

    /// The date `months` calendar months later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb).
    pub fn add_months(self, months: u32) -> Option<Self> {
        let total = u32::from(self.year) * 12 + u32::from(self.month) - 1 + months;
        let year = u16::try_from(total / 12).ok()?;
        let month = u8::try_from(total % 12 + 1).ok()?;
        if !(1900..=2100).contains(&year) {
            return None;
        }
        Some(Self { year, month, day: self.day.min(days_in_month(year, month)) })
    }

    /// The UTC calendar date of a unix time in seconds.
    pub fn from_unix_seconds(seconds: i64) -> Option<Self> {
        Self::from_days(seconds.div_euclid(86_400))
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        _ => 28,
    }
}

impl std::fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for CalendarDate {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse("date", &value)
    }
}

impl From<CalendarDate> for String {
    fn from(value: CalendarDate) -> Self {
        value.to_string()
    }
}

/// Who the person is: every field here is a direct identifier and is encrypted at rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonIdentity {
    pub given_names: String,
    pub family_names: String,
    pub aliases: Vec<String>,
    pub date_of_birth: Option<CalendarDate>,
    pub sex: Sex,
}

impl PersonIdentity {
    pub fn parse(
        given_names: &str,
        family_names: &str,
        aliases: &[String],
        date_of_birth: Option<&str>,
        sex: &str,
    ) -> Result<Self, ParseError> {
        let aliases = aliases
            .iter()
            .enumerate()
            .map(|(i, a)| parse_line(&format!("aliases[{i}]"), a, 200))
            .collect::<Result<Vec<_>, _>>()?;
        if aliases.len() > 20 {
            return Err(ParseError::said(
                "aliases",
                "at most 20 aliases",
                crate::Message::new(crate::MessageId::AtMostAliases).with("max", 20),
            ));
        }
        Ok(Self {
            given_names: parse_line("given_names", given_names, 200)?,
            family_names: parse_line("family_names", family_names, 200)?,
            aliases,
            date_of_birth: match date_of_birth.map(str::trim).filter(|d| !d.is_empty()) {
                Some(d) => Some(CalendarDate::parse("date_of_birth", d)?),
                None => None,
            },
            sex: Sex::parse_code("sex", sex)?,
        })
    }
}

/// A note in one compartment of a case (a counselling note is `support`, an investigation note
/// is `proceedings`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteInput {
    pub compartment: Compartment,
    pub body: Narrative,
}

impl NoteInput {
    pub fn parse(compartment: &str, body: &str) -> Result<Self, ParseError> {
        let compartment = Compartment::parse_code("compartment", compartment)?;
        if compartment == Compartment::Statistics {
            return Err(ParseError::said(
                "compartment",
                "notes belong to identity, support or proceedings",
                crate::Message::new(crate::MessageId::NotesCompartment),
            ));
        }
        Ok(Self { compartment, body: Narrative::parse("body", body)? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dates_know_leap_years() {
        assert!(CalendarDate::parse("d", "2024-02-29").is_ok());
        assert!(CalendarDate::parse("d", "2023-02-29").is_err());
        assert!(CalendarDate::parse("d", "1900-02-29").is_err());
        assert!(CalendarDate::parse("d", "2000-02-29").is_ok());
        assert!(CalendarDate::parse("d", "2000-13-01").is_err());
        assert_eq!(CalendarDate::parse("dob", "20-01-01").unwrap_err().field, "dob");
    }

    #[test]
    fn identity_names_fields() {
        let err = PersonIdentity::parse("", "Ozola", &[], None, "female").unwrap_err();
        assert_eq!(err.field, "given_names");
        let err = PersonIdentity::parse("Anna", "Ozola", &[], Some("1999-02-30"), "female").unwrap_err();
        assert_eq!(err.field, "date_of_birth");
        let err = PersonIdentity::parse("Anna", "Ozola", &[], None, "yes").unwrap_err();
        assert_eq!(err.field, "sex");
    }

    #[test]
    fn statistics_notes_are_refused() {
        assert!(NoteInput::parse("statistics", "x").is_err());
        assert!(NoteInput::parse("support", "counselling session").is_ok());
    }

    proptest! {
        #[test]
        fn day_numbers_round_trip(days in -25_567i64..=47_482) {
            let date = CalendarDate::from_days(days).unwrap();
            prop_assert_eq!(date.days_since_epoch(), days);
            prop_assert_eq!(CalendarDate::parse("d", &date.to_string()).unwrap(), date);
            let next = date.add_days(1);
            if let Some(next) = next {
                prop_assert!(next > date);
                prop_assert_eq!(next.iso_weekday() % 7, (date.iso_weekday() + 1) % 7);
            }
        }
    }

    #[test]
    fn arithmetic_knows_month_ends_and_leap_years() {
        let d = |s: &str| CalendarDate::parse("d", s).unwrap();
        assert_eq!(d("2024-02-28").add_days(1), Some(d("2024-02-29")));
        assert_eq!(d("2023-02-28").add_days(1), Some(d("2023-03-01")));
        assert_eq!(d("2024-12-31").add_days(1), Some(d("2025-01-01")));
        assert_eq!(d("1970-01-01").days_since_epoch(), 0);
        assert_eq!(d("2026-11-28").iso_weekday(), 6);
        assert!(d("2026-11-29").is_weekend());
        assert!(!d("2026-11-30").is_weekend());
        assert_eq!(d("2024-01-31").add_months(1), Some(d("2024-02-29")));
        assert_eq!(d("2025-08-31").add_months(6), Some(d("2026-02-28")));
        assert_eq!(d("2008-02-29").age_on(d("2026-02-28")), 17);
        assert_eq!(d("2008-02-29").age_on(d("2026-03-01")), 18);
        assert_eq!(d("2100-12-31").add_days(1), None);
    }

    proptest! {
        #[test]
        fn date_parse_round_trips(y in 1900u16..=2100, m in 1u8..=12, d in 1u8..=31) {
            let s = format!("{y:04}-{m:02}-{d:02}");
            if let Ok(date) = CalendarDate::parse("d", &s) {
                prop_assert_eq!(date.to_string(), s);
            }
        }

        #[test]
        fn date_parse_never_panics(s in "\\PC{0,20}") {
            let _ = CalendarDate::parse("d", &s);
        }
    }
}
