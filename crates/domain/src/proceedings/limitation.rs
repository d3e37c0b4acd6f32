//! Limitation for offences against child victims (Dir 2011/36 Art 9(2); CETS 197 has no such
//! rule): prosecution must remain possible for a sufficient period after the victim has reached
//! the age of majority.
//!
//! The floor is law, and code: a national rule must let some time run after majority
//! ([`MIN_YEARS_AFTER_MAJORITY`]); the Directive names no number of years. The national rule is
//! data with its source: the `[versions.limitation]` table of
//! `crates/domain/profiles/proceedings/<country>.toml` ([`LimitationRule`]): the limitation
//! period of the trafficking offence committed against a child, and how a child victim's age
//! enters it ([`ChildVictimRule`]). [`practice_warning`] flags a rule that does not run from
//! majority.
//!
//! [`child_limitation`] computes, for a victim who was a child when the acts took place, the
//! date on which limitation ends, and [`limitation_status`] warns as it approaches and when it
//! has passed. The computation is conservative: every date not known exactly is taken at the
//! earliest it can be, so the date given is the earliest on which limitation may end on what is
//! recorded, and a warning never comes late:
//! - majority: 18 years after the date of birth (verified or not); without one, after the
//!   earliest date of birth the latest age assessment, or else the age estimate made at
//!   registration, allows (the oldest age of the range, on the day the range was given);
//! - the acts: limitation runs from their end where it is known, else from their start.
//!
//! Where the age is a range, the latest date is given too. No rule here reads the clock.

use crate::ident::age::{ADULT_AGE, AgeInfo, AgeRange, age_status_then};
use crate::{Coded, Message, MessageId, ParseError, case::CalendarDate, coded_enum};
use serde::{Deserialize, Serialize};

/// Dir 2011/36 Art 9(2).
pub const AFTER_MAJORITY: &str = "Dir 2011/36 Art 9(2)";

/// Dir 2011/36 Art 9(2) asks for "a sufficient period of time after the victim has reached the
/// age of majority" and names no number: the floor checked is that at least this many years run
/// after majority.
pub const MIN_YEARS_AFTER_MAJORITY: u16 = 1;

/// The default warning threshold when a profile names none.
pub const DEFAULT_WARN_DAYS: u32 = 365;

coded_enum! {
    /// How a child victim's age enters the limitation period.
    pub enum ChildVictimRule {
        /// The period runs from the day the victim turns 18 (when the acts ended before).
        FromMajority => "from_majority",
        /// The period runs from the acts, but does not end before the victim reaches an age
        /// (`until_age`).
        UntilAge => "until_age",
        /// The period runs from the acts, whatever the victim's age: below the Art 9(2) floor.
        FromActs => "from_acts",
    }
}

/// A country's limitation rule for trafficking against a child (one version of its practice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LimitationRule {
    /// The limitation period of the trafficking offence committed against a child, in years.
    pub years: u16,
    pub child_victim: ChildVictimRule,
    /// For [`ChildVictimRule::UntilAge`]: the age before which it does not end.
    pub until_age: Option<u16>,
    /// Warn this many days before the date limitation ends.
    pub warn_days: u32,
    pub sources: Vec<String>,
}

/// The `[versions.limitation]` table of a practice file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitationToml {
    years: u16,
    child_victim: String,
    #[serde(default)]
    until_age: Option<u16>,
    #[serde(default)]
    warn_days: Option<u32>,
    sources: Vec<String>,
}

impl LimitationToml {
    /// The rule, checked: a source, a period, an age only with `until_age` (and above 18).
    pub fn parse(self) -> Result<LimitationRule, ParseError> {
        let child_victim = ChildVictimRule::parse_code("limitation.child_victim", self.child_victim.trim())?;
        if self.sources.iter().all(|s| s.trim().is_empty()) {
            return Err(ParseError::new("limitation.sources", "the limitation rule names its sources"));
        }
        if self.years == 0 || self.years > 100 {
            return Err(ParseError::new("limitation.years", "a limitation period of 1 to 100 years"));
        }
        match (child_victim, self.until_age) {
            (ChildVictimRule::UntilAge, Some(age)) if age > ADULT_AGE && age <= 100 => {}
            (ChildVictimRule::UntilAge, _) => {
                return Err(ParseError::new("limitation.until_age", "until_age is an age above 18"));
            }
            (_, Some(_)) => {
                return Err(ParseError::new(
                    "limitation.until_age",
                    "until_age goes with child_victim = \"until_age\"",
                ));
            }
            (_, None) => {}
        }
        Ok(LimitationRule {
            years: self.years,
            child_victim,
            until_age: self.until_age,
            warn_days: self.warn_days.unwrap_or(DEFAULT_WARN_DAYS),
            sources: self.sources,
        })
    }
}

impl LimitationRule {
    /// The years that are sure to run after the victim's majority under this rule.
    pub fn years_after_majority(&self) -> u16 {
        match self.child_victim {
            ChildVictimRule::FromMajority => self.years,
            ChildVictimRule::UntilAge => self.until_age.unwrap_or(0).saturating_sub(ADULT_AGE),
            ChildVictimRule::FromActs => 0,
        }
    }
}

/// A national rule that does not let prosecution run after the victim's majority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LimitationWarning {
    pub article: &'static str,
    pub years_after_majority: u16,
    pub message: Message,
}

/// The Art 9(2) check of a country's rule: a warning when fewer than
/// [`MIN_YEARS_AFTER_MAJORITY`] years are sure to run after the victim turns 18.
pub fn practice_warning(rule: &LimitationRule) -> Option<LimitationWarning> {
    let years = rule.years_after_majority();
    (years < MIN_YEARS_AFTER_MAJORITY).then(|| LimitationWarning {
        article: AFTER_MAJORITY,
        years_after_majority: years,
        message: Message::new(MessageId::ProceedingsLimitationNotFromMajority)
            .labels("rule", "child-victim-rule", [rule.child_victim.code()])
            .with("article", AFTER_MAJORITY),
    })
}

coded_enum! {
    /// What the victim's majority was taken from.
    pub enum MajorityBasis {
        /// A verified date of birth.
        VerifiedDateOfBirth => "verified_date_of_birth",
        /// A date of birth not verified.
        StatedDateOfBirth => "stated_date_of_birth",
        /// The latest age assessment (a range).
        AgeAssessment => "age_assessment",
        /// The age estimate made at registration (a range).
        AgeEstimate => "age_estimate",
    }
}

coded_enum! {
    /// Where limitation stands on a day.
    pub enum LimitationState {
        Running => "running",
        /// Within the warning threshold of its end.
        Approaching => "approaching",
        /// It may have ended: the earliest date has passed.
        Passed => "passed",
        /// Not computable: the age or the date of the acts is not recorded, or national
        /// practice states no rule.
        Unknown => "unknown",
    }
}

/// When the acts took place, as far as known (the investigation's dates, or the first dated
/// event of the victim's registration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Acts {
    pub from: Option<CalendarDate>,
    pub until: Option<CalendarDate>,
}

impl Acts {
    /// The day limitation runs from at the earliest: the end of the acts, else their start.
    fn end(self) -> Option<CalendarDate> {
        self.until.or(self.from)
    }
}

/// Limitation for one child victim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChildLimitation {
    pub basis: Option<MajorityBasis>,
    /// The earliest day the victim turned or turns 18.
    pub majority_on: Option<CalendarDate>,
    /// The earliest day limitation may end; `None` when it cannot be computed (or lies after
    /// 2100).
    pub ends_on: Option<CalendarDate>,
    /// The latest day, where the age is a range.
    pub latest_ends_on: Option<CalendarDate>,
    pub state: LimitationState,
    /// Days from `today` to `ends_on` (negative once passed).
    pub days_left: Option<i64>,
    pub article: &'static str,
    /// The warning to show, when approaching, passed or unknown.
    pub message: Option<Message>,
}

fn years_later(date: CalendarDate, years: u16) -> Option<CalendarDate> {
    date.add_months(u32::from(years) * 12)
}

fn years_earlier(date: CalendarDate, years: u16) -> Option<CalendarDate> {
    let target = i32::from(date.year) - i32::from(years);
    let year = u16::try_from(target).ok().filter(|y| (1900..=2100).contains(y))?;
    // 29 February in a year without it: the 28th.
    CalendarDate::parse("date", &format!("{year:04}-{:02}-{:02}", date.month, date.day))
        .ok()
        .or_else(|| CalendarDate::parse("date", &format!("{year:04}-{:02}-28", date.month)).ok())
}

/// The earliest and latest dates of birth a range of ages given on `on` allows: the oldest age
/// gives the earliest (born the day after its next birthday would have been), the youngest the
/// latest.
fn births_of(range: AgeRange, on: CalendarDate) -> Option<(CalendarDate, CalendarDate)> {
    let earliest = years_earlier(on, u16::from(range.max_years()) + 1)?.add_days(1)?;
    let latest = years_earlier(on, u16::from(range.min_years()))?;
    Some((earliest, latest))
}

/// The earliest and latest dates of birth on what is recorded, with their basis.
pub(crate) fn births(
    age: &AgeInfo,
    registered_on: CalendarDate,
) -> Option<(MajorityBasis, CalendarDate, CalendarDate)> {
    if let Some(dob) = age.date_of_birth {
        let basis =
            if age.dob_verified { MajorityBasis::VerifiedDateOfBirth } else { MajorityBasis::StatedDateOfBirth };
        return Some((basis, dob, dob));
    }
    let latest_assessment =
        age.assessments.iter().fold(None::<&crate::ident::age::AgeAssessment>, |best, a| match best {
            Some(b) if b.date > a.date => Some(b),
            _ => Some(a),
        });
    if let Some(a) = latest_assessment {
        let (e, l) = births_of(a.result, a.date)?;
        return Some((MajorityBasis::AgeAssessment, e, l));
    }
    let estimate = age.estimate?;
    let (e, l) = births_of(estimate, registered_on)?;
    Some((MajorityBasis::AgeEstimate, e, l))
}

/// The day limitation ends under `rule` for a person born on `born` (at the earliest), for
/// acts that ended on `acts_end` (at the earliest).
fn ends(rule: &LimitationRule, born: CalendarDate, acts_end: Option<CalendarDate>) -> Option<CalendarDate> {
    let majority = years_later(born, ADULT_AGE)?;
    match rule.child_victim {
        ChildVictimRule::FromMajority => years_later(acts_end.map_or(majority, |a| a.max(majority)), rule.years),
        ChildVictimRule::UntilAge => {
            let floor = years_later(born, rule.until_age.unwrap_or(ADULT_AGE))?;
            Some(acts_end.and_then(|a| years_later(a, rule.years)).map_or(floor, |d| d.max(floor)))
        }
        ChildVictimRule::FromActs => years_later(acts_end?, rule.years),
    }
}

/// Where limitation ending (at the earliest) on `ends_on` stands on `today`: passed once
/// `today` is after it, approaching within `warn_days` of it.
pub fn limitation_status(ends_on: CalendarDate, today: CalendarDate, warn_days: u32) -> (LimitationState, i64) {
    let left = today.days_until(ends_on);
    let state = if left < 0 {
        LimitationState::Passed
    } else if left <= i64::from(warn_days) {
        LimitationState::Approaching
    } else {
        LimitationState::Running
    };
    (state, left)
}

/// Limitation for a victim whose age is `age` (registered on `registered_on`), for `acts`
/// investigated in proceedings opened on `opened_on`: `None` when the victim was not a child
/// (or presumed one) when the acts took place. The victim's age is taken on the earliest day of
/// the acts known, else on the day the investigation opened (the acts came before it, so a child
/// then was a child at the acts). `rule` is `None` where national practice states none.
pub fn child_limitation(
    rule: Option<&LimitationRule>,
    age: &AgeInfo,
    registered_on: CalendarDate,
    acts: Acts,
    opened_on: CalendarDate,
    today: CalendarDate,
) -> Option<ChildLimitation> {
    let then = [acts.from, acts.until, Some(opened_on)].into_iter().flatten().min().unwrap_or(opened_on);
    if !age_status_then(age, then, registered_on.max(then)).child_protections_apply() {
        return None;
    }
    let unknown = |basis, majority_on| ChildLimitation {
        basis,
        majority_on,
        ends_on: None,
        latest_ends_on: None,
        state: LimitationState::Unknown,
        days_left: None,
        article: AFTER_MAJORITY,
        message: Some(Message::new(MessageId::ProceedingsLimitationUnknown).with("article", AFTER_MAJORITY)),
    };
    let Some((basis, earliest, latest)) = births(age, registered_on) else { return Some(unknown(None, None)) };
    let majority_on = years_later(earliest, ADULT_AGE);
    let Some(rule) = rule else { return Some(unknown(Some(basis), majority_on)) };
    let Some(ends_on) = ends(rule, earliest, acts.end()) else { return Some(unknown(Some(basis), majority_on)) };
    let latest_ends_on = if latest != earliest { ends(rule, latest, acts.end()) } else { None };
    let (state, left) = limitation_status(ends_on, today, rule.warn_days);
    let message = match state {
        LimitationState::Approaching => Some(
            Message::new(MessageId::ProceedingsLimitationApproaching)
                .with("date", ends_on)
                .with("days", left)
                .with("article", AFTER_MAJORITY),
        ),
        LimitationState::Passed => Some(
            Message::new(MessageId::ProceedingsLimitationPassed).with("date", ends_on).with("article", AFTER_MAJORITY),
        ),
        LimitationState::Running | LimitationState::Unknown => None,
    };
    Some(ChildLimitation {
        basis: Some(basis),
        majority_on,
        ends_on: Some(ends_on),
        latest_ends_on,
        state,
        days_left: Some(left),
        article: AFTER_MAJORITY,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proceedings::penalty::NationalPractice;
    use crate::proceedings::tests::date;
    use proptest::prelude::*;

    fn rule(child_victim: ChildVictimRule, years: u16, until_age: Option<u16>) -> LimitationRule {
        LimitationRule { years, child_victim, until_age, warn_days: 365, sources: vec!["test".into()] }
    }

    fn born(dob: &str, verified: bool) -> AgeInfo {
        AgeInfo { date_of_birth: Some(date(dob)), dob_verified: verified, ..AgeInfo::default() }
    }

    fn acts(from: &str, until: &str) -> Acts {
        Acts { from: Some(date(from)), until: Some(date(until)) }
    }

    #[test]
    fn art_9_2_dir_limitation_runs_from_majority_and_warns_as_it_approaches() {
        let r = rule(ChildVictimRule::FromMajority, 10, None);
        // Born 2010-06-15: 18 on 2028-06-15; acts in 2025, a child then.
        let age = born("2010-06-15", true);
        let l = child_limitation(
            Some(&r),
            &age,
            date("2026-01-10"),
            acts("2025-01-01", "2025-09-30"),
            date("2026-01-05"),
            date("2026-09-21"),
        )
        .unwrap();
        assert_eq!(l.basis, Some(MajorityBasis::VerifiedDateOfBirth));
        assert_eq!(l.majority_on, Some(date("2028-06-15")));
        assert_eq!(l.ends_on, Some(date("2038-06-15")), "ten years after majority, not after the acts");
        assert_eq!((l.state, l.message), (LimitationState::Running, None));
        // A year before the end: approaching; after it: passed.
        let near = child_limitation(
            Some(&r),
            &age,
            date("2026-01-10"),
            acts("2025-01-01", "2025-09-30"),
            date("2026-01-05"),
            date("2037-07-01"),
        )
        .unwrap();
        assert_eq!((near.state, near.days_left), (LimitationState::Approaching, Some(349)));
        assert_eq!(near.message.map(|m| m.id), Some(MessageId::ProceedingsLimitationApproaching));
        let past = child_limitation(
            Some(&r),
            &age,
            date("2026-01-10"),
            acts("2025-01-01", "2025-09-30"),
            date("2026-01-05"),
            date("2038-06-16"),
        )
        .unwrap();
        assert_eq!(past.state, LimitationState::Passed);
        assert_eq!(past.message.map(|m| m.id), Some(MessageId::ProceedingsLimitationPassed));
        // Acts that went on past majority: from their end.
        let l = child_limitation(
            Some(&r),
            &age,
            date("2029-01-10"),
            acts("2027-01-01", "2028-12-31"),
            date("2029-01-05"),
            date("2029-02-01"),
        )
        .unwrap();
        assert_eq!(l.ends_on, Some(date("2038-12-31")));
        // An adult at the acts: no Art 9(2) limitation at all.
        assert!(
            child_limitation(
                Some(&r),
                &born("1990-01-01", true),
                date("2026-01-10"),
                acts("2025-01-01", "2025-09-30"),
                date("2026-01-05"),
                date("2026-09-21")
            )
            .is_none()
        );
    }

    #[test]
    fn art_9_2_dir_an_estimated_age_is_taken_at_its_oldest() {
        let r = rule(ChildVictimRule::FromMajority, 10, None);
        // Estimated 15 to 17 at registration on 2026-01-10: born 2008-01-11 at the earliest
        // (18 on 2026-01-11), 2011-01-10 at the latest.
        let age = AgeInfo { estimate: Some(AgeRange::new(15, 17).unwrap()), ..AgeInfo::default() };
        let l = child_limitation(
            Some(&r),
            &age,
            date("2026-01-10"),
            acts("2025-01-01", "2025-09-30"),
            date("2026-01-05"),
            date("2026-09-21"),
        )
        .unwrap();
        assert_eq!(l.basis, Some(MajorityBasis::AgeEstimate));
        assert_eq!(l.majority_on, Some(date("2026-01-11")));
        assert_eq!(l.ends_on, Some(date("2036-01-11")));
        assert_eq!(l.latest_ends_on, Some(date("2039-01-10")));
        // Nothing on the age but reasons to believe a child: presumed a child, not computable.
        let age = AgeInfo { reasons_to_believe_child: true, ..AgeInfo::default() };
        let l = child_limitation(
            Some(&r),
            &age,
            date("2026-01-10"),
            Acts::default(),
            date("2026-01-05"),
            date("2026-09-21"),
        )
        .unwrap();
        assert_eq!(
            (l.state, l.message.map(|m| m.id)),
            (LimitationState::Unknown, Some(MessageId::ProceedingsLimitationUnknown))
        );
        // No national rule: unknown too.
        let l = child_limitation(
            None,
            &born("2010-06-15", false),
            date("2026-01-10"),
            Acts::default(),
            date("2026-01-05"),
            date("2026-09-21"),
        )
        .unwrap();
        assert_eq!((l.basis, l.state), (Some(MajorityBasis::StatedDateOfBirth), LimitationState::Unknown));
    }

    #[test]
    fn art_9_2_dir_a_rule_that_does_not_run_from_majority_is_flagged() {
        assert!(practice_warning(&rule(ChildVictimRule::FromMajority, 10, None)).is_none());
        assert!(practice_warning(&rule(ChildVictimRule::UntilAge, 10, Some(28))).is_none());
        let w = practice_warning(&rule(ChildVictimRule::FromActs, 10, None)).unwrap();
        assert_eq!((w.article, w.years_after_majority), ("Dir 2011/36 Art 9(2)", 0));
        assert_eq!(w.message.id, MessageId::ProceedingsLimitationNotFromMajority);
        // Until an age: from the acts, but never before the victim is 28.
        let r = rule(ChildVictimRule::UntilAge, 10, Some(28));
        let l = child_limitation(
            Some(&r),
            &born("2010-06-15", true),
            date("2026-01-10"),
            acts("2020-01-01", "2020-12-31"),
            date("2026-01-05"),
            date("2026-09-21"),
        )
        .unwrap();
        assert_eq!(l.ends_on, Some(date("2038-06-15")));
        let from_acts = rule(ChildVictimRule::FromActs, 10, None);
        let l = child_limitation(
            Some(&from_acts),
            &born("2010-06-15", true),
            date("2026-01-10"),
            acts("2020-01-01", "2020-12-31"),
            date("2026-01-05"),
            date("2026-09-21"),
        )
        .unwrap();
        assert_eq!(l.ends_on, Some(date("2030-12-31")), "the child is 20 when it ends");
        // Profiles: a bad table is refused, naming the field.
        let bad = |t: &str| {
            let toml = format!(
                "country = \"LV\"\n[[versions]]\nvalid_from = \"2014-01-01\"\noffence_provision = \"s\"\nmax_penalty_years = 8\n\
                 max_penalty_years_aggravated = 15\naggravating = []\nconfiscated_proceeds_to_compensation = false\nsources = [\"s\"]\n\
                 [versions.limitation]\n{t}\n"
            );
            NationalPractice::parse(&toml).map(|_| ()).map_err(|e| e.field)
        };
        assert_eq!(bad("years = 10\nchild_victim = \"from_majority\"\nsources = [\"s\"]"), Ok(()));
        assert_eq!(
            bad("years = 10\nchild_victim = \"until_age\"\nsources = [\"s\"]"),
            Err("limitation.until_age".into())
        );
        assert_eq!(
            bad("years = 10\nchild_victim = \"sometimes\"\nsources = [\"s\"]"),
            Err("limitation.child_victim".into())
        );
        assert_eq!(bad("years = 10\nchild_victim = \"from_acts\"\nsources = []"), Err("limitation.sources".into()));
    }

    #[test]
    fn art_9_2_dir_the_shipped_profiles_state_their_rule_with_a_source() {
        for code in ["LV", "EE", "LT"] {
            let p = NationalPractice::built_in(crate::CountryCode::parse("c", code).unwrap()).unwrap().unwrap();
            let v = p.on(date("2026-09-21")).unwrap();
            let l = v.limitation.as_ref().unwrap_or_else(|| panic!("{code} states a limitation rule"));
            assert!(l.years > 0 && l.sources.iter().any(|s| s.contains("to check")), "{code}");
        }
    }

    fn any_date() -> impl Strategy<Value = CalendarDate> {
        (1950i64..2060)
            .prop_flat_map(|y| (Just(y), 0i64..365))
            .prop_map(|(y, d)| CalendarDate::parse("d", &format!("{y:04}-01-01")).unwrap().add_days(d).unwrap())
    }

    proptest! {
        #[test]
        fn art_9_2_dir_from_majority_never_ends_before_majority_plus_the_period(
            dob in any_date(),
            acts_offset in 0i64..10_000,
            length in 0i64..2_000,
            years in 1u16..25,
            today in any_date(),
        ) {
            let r = rule(ChildVictimRule::FromMajority, years, None);
            let from = dob.add_days(acts_offset).unwrap_or(dob);
            let until = from.add_days(length).unwrap_or(from);
            let age = born(&dob.to_string(), true);
            let l = child_limitation(Some(&r), &age, until, Acts { from: Some(from), until: Some(until) }, until, today);
            if dob.age_on(from) >= ADULT_AGE {
                prop_assert!(l.is_none());
            } else {
                let l = l.unwrap();
                if let Some(end) = l.ends_on {
                    prop_assert!(end >= years_later(years_later(dob, ADULT_AGE).unwrap(), years).unwrap());
                    prop_assert!(end >= years_later(until, years).unwrap());
                    // The state follows the date: passed after it, never before.
                    prop_assert_eq!(l.state == LimitationState::Passed, today > end);
                    prop_assert!(l.state != LimitationState::Approaching || l.days_left.unwrap() <= 365);
                }
            }
        }
    }
}
