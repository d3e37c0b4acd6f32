//! Age: who is a child (Dir 2011/36 Art 2(6); Convention Art 4(d)) and the presumption of minority
//! when the age is uncertain (Directive Art 13(2); Convention Art 10(3)).
//!
//! [`age_status`] works on a given date; the caller supplies it (the domain reads no clock).

use crate::{Message, MessageId, ParseError, case::CalendarDate, coded_enum, text::parse_line};
use serde::{Deserialize, Serialize};

/// Below this age a person is a child.
pub const ADULT_AGE: u16 = 18;
/// The highest age an estimate or assessment may give.
pub const MAX_AGE_YEARS: u8 = 120;

/// An age range in whole years, `min_years..=max_years`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AgeRangeFields")]
pub struct AgeRange {
    min_years: u8,
    max_years: u8,
}

#[derive(Deserialize)]
struct AgeRangeFields {
    min_years: u8,
    max_years: u8,
}

impl TryFrom<AgeRangeFields> for AgeRange {
    type Error = ParseError;
    fn try_from(value: AgeRangeFields) -> Result<Self, Self::Error> {
        Self::new(value.min_years, value.max_years)
    }
}

impl AgeRange {
    pub fn new(min_years: u8, max_years: u8) -> Result<Self, ParseError> {
        if min_years > max_years {
            return Err(ParseError::said(
                "age_range",
                "the lower age is above the upper age",
                Message::new(MessageId::AgeRangeInverted),
            ));
        }
        if max_years > MAX_AGE_YEARS {
            return Err(ParseError::said(
                "age_range",
                format!("ages above {MAX_AGE_YEARS} are not accepted"),
                Message::new(MessageId::AgeAbove).with("max", MAX_AGE_YEARS),
            ));
        }
        Ok(Self { min_years, max_years })
    }

    /// Reads two numbers of years from a form; the errors name `field`.
    pub fn parse(field: &str, min_years: &str, max_years: &str) -> Result<Self, ParseError> {
        let number = |v: &str| {
            v.trim().parse::<u8>().map_err(|_| {
                ParseError::said(
                    field,
                    format!("{v:?} is not a number of years"),
                    Message::new(MessageId::NotANumberOfYears).with("value", v),
                )
            })
        };
        Self::new(number(min_years)?, number(max_years)?).map_err(|e| e.within(field))
    }

    pub fn min_years(self) -> u8 {
        self.min_years
    }

    pub fn max_years(self) -> u8 {
        self.max_years
    }

    /// Some age in the range is below 18.
    pub fn includes_child_age(self) -> bool {
        u16::from(self.min_years) < ADULT_AGE
    }
}

coded_enum! {
    /// How an age assessment was made.
    pub enum AgeAssessmentMethod {
        /// Examination of identity or civil-status documents, or enquiries with the issuing authority.
        Documents => "documents",
        /// A multidisciplinary, holistic assessment (interviews, psychosocial assessment).
        Multidisciplinary => "multidisciplinary",
        /// A medical examination, as a last resort.
        Medical => "medical",
        /// Another method, described in the record.
        Other => "other",
    }
}

/// The record of an age assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeAssessment {
    /// When it concluded.
    pub date: CalendarDate,
    pub method: AgeAssessmentMethod,
    /// The age range it concluded.
    pub result: AgeRange,
    /// The organisation that made it.
    pub assessed_by: String,
}

impl AgeAssessment {
    pub fn parse(
        date: &str,
        method: &str,
        min_years: &str,
        max_years: &str,
        assessed_by: &str,
    ) -> Result<Self, ParseError> {
        Ok(Self {
            date: CalendarDate::parse("date", date)?,
            method: <AgeAssessmentMethod as crate::Coded>::parse_code("method", method)?,
            result: AgeRange::parse("result", min_years, max_years)?,
            assessed_by: parse_line("assessed_by", assessed_by, 300)?,
        })
    }
}

/// What is known about a person's age. The free-text reasons belong in the case record.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AgeInfo {
    pub date_of_birth: Option<CalendarDate>,
    /// The date of birth was checked (reliable documents, civil register).
    pub dob_verified: bool,
    /// An estimate made without a formal assessment (by the first responder, for instance).
    pub estimate: Option<AgeRange>,
    /// There are reasons to believe the person is a child (Directive Art 13(2); Convention Art 10(3)).
    pub reasons_to_believe_child: bool,
    /// Age assessments, in any order.
    pub assessments: Vec<AgeAssessment>,
}

coded_enum! {
    /// Why a person is presumed to be a child.
    pub enum PresumptionReason {
        /// There are reasons to believe the person is a child.
        ReasonsToBelieveChild => "reasons_to_believe_child",
        /// The age estimate includes ages below 18.
        EstimateIncludesChildAge => "estimate_includes_child_age",
        /// A date of birth, not verified, gives an age below 18.
        UnverifiedDateOfBirthUnder18 => "unverified_date_of_birth_under_18",
        /// The latest age assessment includes ages below 18.
        AssessmentIncludesChildAge => "assessment_includes_child_age",
    }
}

/// A person's status as to age on a given date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AgeStatus {
    /// A verified date of birth gives an age below 18 (Directive Art 2(6); Convention Art 4(d)).
    Child { age: u16 },
    /// A verified date of birth gives an age of 18 or more.
    Adult { age: u16 },
    /// The age is uncertain and the person is presumed a child pending verification (Directive Art 13(2);
    /// Convention Art 10(3)).
    PresumedChild { reason: PresumptionReason },
    /// An age assessment concluded 18 or more: any presumption of minority has ended.
    AssessedAdult { assessed_on: CalendarDate, result: AgeRange },
    /// The age is not verified and nothing recorded points to a child: treated as an adult. `age` is what an
    /// unverified date of birth gives.
    PresumedAdult { age: Option<u16>, estimate: Option<AgeRange> },
    /// Nothing about the age is recorded.
    Unknown,
}

impl AgeStatus {
    /// The protections for child victims apply (Directive Arts 13-16; Convention Art 10(3)-(4)).
    pub fn child_protections_apply(&self) -> bool {
        matches!(self, Self::Child { .. } | Self::PresumedChild { .. })
    }

    /// The age in whole years where a date of birth gives it.
    pub fn age(&self) -> Option<u16> {
        match self {
            Self::Child { age } | Self::Adult { age } => Some(*age),
            Self::PresumedAdult { age, .. } => *age,
            Self::PresumedChild { .. } | Self::AssessedAdult { .. } | Self::Unknown => None,
        }
    }

    /// The statistical age group: from the age, else from a range that lies within one group.
    pub fn age_group(&self) -> AgeGroup {
        let range = match self {
            Self::AssessedAdult { result, .. } => Some(*result),
            Self::PresumedAdult { age: None, estimate } => *estimate,
            _ => None,
        };
        match (self.age(), range) {
            (Some(age), _) => age_group(Some(age)),
            (None, Some(r)) => {
                let low = age_group(Some(u16::from(r.min_years)));
                if low == age_group(Some(u16::from(r.max_years))) { low } else { AgeGroup::Unknown }
            }
            (None, None) => AgeGroup::Unknown,
        }
    }
}

/// The person's status as to age on `on`.
///
/// 1. A verified date of birth decides: under 18 is a child (Directive Art 2(6); Convention Art 4(d)).
/// 2. Otherwise the latest age assessment dated on or before `on` decides: 18 or more ends the presumption;
///    a range including ages below 18 keeps the person a presumed child.
/// 3. Otherwise the age is uncertain, and the person is presumed a child at once (Directive Art 13(2);
///    Convention Art 10(3)) when an unverified date of birth gives under 18, an estimate includes ages below
///    18, or there are reasons to believe the person is a child.
/// 4. Otherwise the person is treated as an adult, or the age is unknown if nothing is recorded.
pub fn age_status(info: &AgeInfo, on: CalendarDate) -> AgeStatus {
    if let (Some(dob), true) = (info.date_of_birth, info.dob_verified) {
        let age = dob.age_on(on);
        return if age < ADULT_AGE { AgeStatus::Child { age } } else { AgeStatus::Adult { age } };
    }
    // The latest assessment made by `on`; of two on one day, the later in the list.
    let latest = info.assessments.iter().filter(|a| a.date <= on).fold(None::<&AgeAssessment>, |best, a| match best {
        Some(b) if b.date > a.date => Some(b),
        _ => Some(a),
    });
    if let Some(assessment) = latest {
        return if assessment.result.includes_child_age() {
            AgeStatus::PresumedChild { reason: PresumptionReason::AssessmentIncludesChildAge }
        } else {
            AgeStatus::AssessedAdult { assessed_on: assessment.date, result: assessment.result }
        };
    }
    let stated_age = info.date_of_birth.map(|dob| dob.age_on(on));
    if stated_age.is_some_and(|age| age < ADULT_AGE) {
        return AgeStatus::PresumedChild { reason: PresumptionReason::UnverifiedDateOfBirthUnder18 };
    }
    if info.estimate.is_some_and(AgeRange::includes_child_age) {
        return AgeStatus::PresumedChild { reason: PresumptionReason::EstimateIncludesChildAge };
    }
    if info.reasons_to_believe_child {
        return AgeStatus::PresumedChild { reason: PresumptionReason::ReasonsToBelieveChild };
    }
    if stated_age.is_none() && info.estimate.is_none() {
        return AgeStatus::Unknown;
    }
    AgeStatus::PresumedAdult { age: stated_age, estimate: info.estimate }
}

/// The age range a range measured on `measured_on` gives on `on`: the person was younger (or is older) by
/// the whole years between the two days, and by one more where part of a year lies between too.
fn range_on(range: AgeRange, measured_on: CalendarDate, on: CalendarDate) -> AgeRange {
    let (earlier, later) = if on <= measured_on { (on, measured_on) } else { (measured_on, on) };
    let years = u8::try_from(earlier.age_on(later)).unwrap_or(u8::MAX);
    let part = u8::from((earlier.month, earlier.day) != (later.month, later.day));
    let (min, max) = if on <= measured_on {
        (range.min_years.saturating_sub(years.saturating_add(part)), range.max_years.saturating_sub(years))
    } else {
        (range.min_years.saturating_add(years), range.max_years.saturating_add(years).saturating_add(part))
    };
    AgeRange { min_years: min.min(MAX_AGE_YEARS), max_years: max.min(MAX_AGE_YEARS) }
}

/// The person's status as to age on an earlier day `then` (for instance when the acts took place,
/// Dir 2011/36 Art 2(5)), on what is known on `known_on` (the day of registration, or today).
///
/// The rules of [`age_status`] apply on `then`, with what was recorded later carried back: a date of
/// birth gives the age on `then`; the estimate (made by `known_on`) and the latest assessment made by
/// `known_on` give a range on their own day, and the person was younger by the years between; reasons to
/// believe the person is a child now hold the more for an earlier day (Dir 2011/36 Art 13(2); CETS 197
/// Art 10(3)). When `then` is not before `known_on`, this is [`age_status`] on `known_on`.
pub fn age_status_then(info: &AgeInfo, then: CalendarDate, known_on: CalendarDate) -> AgeStatus {
    if then >= known_on {
        return age_status(info, known_on);
    }
    let latest =
        info.assessments.iter().filter(|a| a.date <= known_on).fold(None::<&AgeAssessment>, |best, a| match best {
            Some(b) if b.date > a.date => Some(b),
            _ => Some(a),
        });
    let carried = AgeInfo {
        date_of_birth: info.date_of_birth,
        dob_verified: info.dob_verified,
        estimate: info.estimate.map(|e| range_on(e, known_on, then)),
        reasons_to_believe_child: info.reasons_to_believe_child,
        assessments: latest
            .map(|a| AgeAssessment { date: then, result: range_on(a.result, a.date, then), ..a.clone() })
            .into_iter()
            .collect(),
    };
    match (age_status(&carried, then), latest) {
        (AgeStatus::AssessedAdult { result, .. }, Some(a)) => AgeStatus::AssessedAdult { assessed_on: a.date, result },
        (status, _) => status,
    }
}

coded_enum! {
    /// Age groups for statistics.
    pub enum AgeGroup {
        /// 0 to 11 years.
        Age0To11 => "0_11",
        /// 12 to 17 years.
        Age12To17 => "12_17",
        /// 18 to 24 years.
        Age18To24 => "18_24",
        /// 25 to 34 years.
        Age25To34 => "25_34",
        /// 35 to 44 years.
        Age35To44 => "35_44",
        /// 45 to 54 years.
        Age45To54 => "45_54",
        /// 55 to 64 years.
        Age55To64 => "55_64",
        /// 65 years or more.
        Age65Plus => "65_plus",
        /// Not known.
        Unknown => "unknown",
    }
}

impl AgeGroup {
    /// The label used in tables ("0-11", "65+", "unknown").
    pub fn label(self) -> &'static str {
        match self {
            Self::Age0To11 => "0-11",
            Self::Age12To17 => "12-17",
            Self::Age18To24 => "18-24",
            Self::Age25To34 => "25-34",
            Self::Age35To44 => "35-44",
            Self::Age45To54 => "45-54",
            Self::Age55To64 => "55-64",
            Self::Age65Plus => "65+",
            Self::Unknown => "unknown",
        }
    }

    /// Children's groups.
    pub fn is_child(self) -> bool {
        matches!(self, Self::Age0To11 | Self::Age12To17)
    }
}

/// The statistical group of an age in whole years.
pub fn age_group(age: Option<u16>) -> AgeGroup {
    match age {
        None => AgeGroup::Unknown,
        Some(0..=11) => AgeGroup::Age0To11,
        Some(12..=17) => AgeGroup::Age12To17,
        Some(18..=24) => AgeGroup::Age18To24,
        Some(25..=34) => AgeGroup::Age25To34,
        Some(35..=44) => AgeGroup::Age35To44,
        Some(45..=54) => AgeGroup::Age45To54,
        Some(55..=64) => AgeGroup::Age55To64,
        Some(_) => AgeGroup::Age65Plus,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn verified(dob: &str) -> AgeInfo {
        AgeInfo { date_of_birth: Some(d(dob)), dob_verified: true, ..AgeInfo::default() }
    }

    fn estimate(min: u8, max: u8, reasons: bool) -> AgeInfo {
        AgeInfo {
            estimate: Some(AgeRange::new(min, max).unwrap()),
            reasons_to_believe_child: reasons,
            ..AgeInfo::default()
        }
    }

    fn assessment(date: &str, min: u8, max: u8) -> AgeAssessment {
        AgeAssessment::parse(date, "multidisciplinary", &min.to_string(), &max.to_string(), "Child protection service")
            .unwrap()
    }

    #[test]
    fn art_2_6_dir_2011_36_seventeen_years_364_days_is_a_child() {
        let s = age_status(&verified("2008-06-15"), d("2026-06-14"));
        assert_eq!(s, AgeStatus::Child { age: 17 });
        assert!(s.child_protections_apply());
    }

    #[test]
    fn art_2_6_dir_2011_36_the_18th_birthday_makes_an_adult() {
        let s = age_status(&verified("2008-06-15"), d("2026-06-15"));
        assert_eq!(s, AgeStatus::Adult { age: 18 });
        assert!(!s.child_protections_apply());
    }

    #[test]
    fn a_29_february_birthday_comes_of_age_on_1_march_in_common_years() {
        let info = verified("2008-02-29");
        assert_eq!(age_status(&info, d("2026-02-28")), AgeStatus::Child { age: 17 });
        assert_eq!(age_status(&info, d("2026-03-01")), AgeStatus::Adult { age: 18 });
        // In a leap year the birthday itself exists.
        let info = verified("2012-02-29");
        assert_eq!(age_status(&info, d("2030-02-28")), AgeStatus::Child { age: 17 });
        assert_eq!(age_status(&info, d("2030-03-01")), AgeStatus::Adult { age: 18 });
        let info = verified("2004-02-29");
        assert_eq!(age_status(&info, d("2022-02-28")), AgeStatus::Child { age: 17 });
        assert_eq!(age_status(&info, d("2024-02-28")), AgeStatus::Adult { age: 19 });
        assert_eq!(age_status(&info, d("2024-02-29")), AgeStatus::Adult { age: 20 });
    }

    #[test]
    fn an_estimate_of_16_to_19_is_a_presumed_child() {
        let s = age_status(&estimate(16, 19, false), d("2026-01-01"));
        assert_eq!(s, AgeStatus::PresumedChild { reason: PresumptionReason::EstimateIncludesChildAge });
        assert!(s.child_protections_apply());
    }

    #[test]
    fn an_estimate_of_19_to_25_without_reasons_is_an_adult() {
        let s = age_status(&estimate(19, 25, false), d("2026-01-01"));
        assert!(matches!(s, AgeStatus::PresumedAdult { age: None, estimate: Some(_) }));
        assert!(!s.child_protections_apply());
    }

    #[test]
    fn art_10_3_cets_an_estimate_of_19_to_25_with_reasons_is_a_presumed_child() {
        let s = age_status(&estimate(19, 25, true), d("2026-01-01"));
        assert_eq!(s, AgeStatus::PresumedChild { reason: PresumptionReason::ReasonsToBelieveChild });
    }

    #[test]
    fn an_unverified_date_of_birth_is_uncertain() {
        let info = AgeInfo { date_of_birth: Some(d("2010-01-01")), ..AgeInfo::default() };
        let s = age_status(&info, d("2026-01-01"));
        assert_eq!(s, AgeStatus::PresumedChild { reason: PresumptionReason::UnverifiedDateOfBirthUnder18 });
        let info =
            AgeInfo { date_of_birth: Some(d("2000-01-01")), reasons_to_believe_child: true, ..AgeInfo::default() };
        assert_eq!(
            age_status(&info, d("2026-01-01")),
            AgeStatus::PresumedChild { reason: PresumptionReason::ReasonsToBelieveChild }
        );
        let info = AgeInfo { date_of_birth: Some(d("2000-01-01")), ..AgeInfo::default() };
        assert_eq!(age_status(&info, d("2026-01-01")), AgeStatus::PresumedAdult { age: Some(26), estimate: None });
    }

    #[test]
    fn a_verified_date_of_birth_outweighs_reasons_and_assessments() {
        let mut info = verified("2000-01-01");
        info.reasons_to_believe_child = true;
        info.assessments.push(assessment("2025-01-01", 14, 16));
        assert_eq!(age_status(&info, d("2026-01-01")), AgeStatus::Adult { age: 26 });
    }

    #[test]
    fn art_10_3_cets_only_an_age_assessment_record_ends_the_presumption() {
        let mut info = estimate(16, 19, true);
        let on = d("2026-03-01");
        assert!(age_status(&info, on).child_protections_apply());
        // An assessment dated after `on` does not count yet.
        info.assessments.push(assessment("2026-04-01", 20, 23));
        assert!(age_status(&info, on).child_protections_apply());
        // One that includes ages below 18 keeps the presumption.
        info.assessments.push(assessment("2026-02-01", 17, 19));
        assert_eq!(
            age_status(&info, on),
            AgeStatus::PresumedChild { reason: PresumptionReason::AssessmentIncludesChildAge }
        );
        // A later one concluding 18 or more ends it.
        info.assessments.push(assessment("2026-02-20", 19, 22));
        let s = age_status(&info, on);
        assert_eq!(
            s,
            AgeStatus::AssessedAdult { assessed_on: d("2026-02-20"), result: AgeRange::new(19, 22).unwrap() }
        );
        assert!(!s.child_protections_apply());
        assert_eq!(s.age_group(), AgeGroup::Age18To24);
        // The latest assessment wins, whatever the order of the list.
        assert!(age_status(&info, d("2026-04-02")).age_group() == AgeGroup::Age18To24);
    }

    #[test]
    fn nothing_recorded_is_unknown() {
        let s = age_status(&AgeInfo::default(), d("2026-01-01"));
        assert_eq!(s, AgeStatus::Unknown);
        assert!(!s.child_protections_apply());
        assert_eq!(s.age_group(), AgeGroup::Unknown);
    }

    #[test]
    fn ranges_and_assessments_are_checked() {
        assert!(AgeRange::new(19, 16).is_err());
        assert!(AgeRange::new(1, 121).is_err());
        assert_eq!(AgeRange::parse("estimate", "x", "3").unwrap_err().field, "estimate");
        assert_eq!(AgeAssessment::parse("2026-01-01", "xray", "1", "2", "Org").unwrap_err().field, "method");
        assert_eq!(AgeAssessment::parse("2026-01-01", "medical", "1", "2", " ").unwrap_err().field, "assessed_by");
        assert!(serde_json::from_str::<AgeRange>(r#"{"min_years":20,"max_years":18}"#).is_err());
        let r: AgeRange = serde_json::from_str(r#"{"min_years":16,"max_years":18}"#).unwrap();
        assert!(r.includes_child_age());
    }

    #[test]
    fn age_groups() {
        let groups: Vec<&str> = [0, 11, 12, 17, 18, 24, 25, 34, 35, 44, 45, 54, 55, 64, 65, 110]
            .into_iter()
            .map(|a| age_group(Some(a)).label())
            .collect();
        assert_eq!(
            groups,
            [
                "0-11", "0-11", "12-17", "12-17", "18-24", "18-24", "25-34", "25-34", "35-44", "35-44", "45-54",
                "45-54", "55-64", "55-64", "65+", "65+"
            ]
        );
        assert_eq!(age_group(None), AgeGroup::Unknown);
        assert_eq!(crate::Coded::code(AgeGroup::Age65Plus), "65_plus");
        assert!(age_group(Some(17)).is_child() && !age_group(Some(18)).is_child());
        assert_eq!(age_status(&estimate(19, 24, false), d("2026-01-01")).age_group(), AgeGroup::Age18To24);
        assert_eq!(age_status(&estimate(19, 25, false), d("2026-01-01")).age_group(), AgeGroup::Unknown);
    }

    #[test]
    fn art_2_5_dir_2011_36_age_then_carries_a_verified_birth_date_back() {
        // Born in 2007, exploited in 2024, registered in 2026: a child then, an adult now.
        let info = verified("2007-05-10");
        assert_eq!(age_status(&info, d("2026-01-15")), AgeStatus::Adult { age: 18 });
        assert_eq!(age_status_then(&info, d("2024-06-01"), d("2026-01-15")), AgeStatus::Child { age: 17 });
        // A day on or after the day it is known on is judged on that day.
        assert_eq!(age_status_then(&info, d("2026-02-01"), d("2026-01-15")), AgeStatus::Adult { age: 18 });
    }

    #[test]
    fn art_2_5_dir_2011_36_age_then_carries_estimates_and_assessments_back() {
        // An estimate of 19-21 on registration: two and a half years earlier, 16-19.
        let info = estimate(19, 21, false);
        let known = d("2026-01-15");
        assert!(matches!(age_status(&info, known), AgeStatus::PresumedAdult { .. }));
        assert_eq!(
            age_status_then(&info, d("2023-07-01"), known),
            AgeStatus::PresumedChild { reason: PresumptionReason::EstimateIncludesChildAge }
        );
        // Ten years before, an estimate of 30-35 was still an adult's.
        let info = estimate(30, 35, false);
        assert_eq!(
            age_status_then(&info, d("2016-01-15"), known),
            AgeStatus::PresumedAdult { age: None, estimate: Some(AgeRange::new(20, 25).unwrap()) }
        );
        // An assessment of 19-22 on 2025-11-01 ends the presumption today, but not for 2024-03-01.
        let mut info = AgeInfo::default();
        info.assessments.push(assessment("2025-11-01", 19, 22));
        assert!(matches!(age_status(&info, known), AgeStatus::AssessedAdult { .. }));
        assert_eq!(
            age_status_then(&info, d("2024-03-01"), known),
            AgeStatus::PresumedChild { reason: PresumptionReason::AssessmentIncludesChildAge }
        );
        // One concluding 25-30 carries back an adult, dated by the assessment.
        info.assessments.push(assessment("2025-12-01", 25, 30));
        assert_eq!(
            age_status_then(&info, d("2024-12-01"), known),
            AgeStatus::AssessedAdult { assessed_on: d("2025-12-01"), result: AgeRange::new(24, 29).unwrap() }
        );
        // Nothing recorded stays unknown.
        assert_eq!(age_status_then(&AgeInfo::default(), d("2024-01-01"), known), AgeStatus::Unknown);
    }

    #[test]
    fn art_13_2_dir_2011_36_age_in_doubt_with_reasons_presumes_a_child() {
        // An unverified birth date saying 25 and an estimate of 18-22, with reasons to believe a child.
        let info = AgeInfo {
            date_of_birth: Some(d("2001-01-01")),
            estimate: Some(AgeRange::new(18, 22).unwrap()),
            reasons_to_believe_child: true,
            ..AgeInfo::default()
        };
        let s = age_status(&info, d("2026-01-01"));
        assert_eq!(s, AgeStatus::PresumedChild { reason: PresumptionReason::ReasonsToBelieveChild });
        assert!(s.child_protections_apply());
        // Reasons to believe the person is a child now hold for the time of the acts too.
        assert!(age_status_then(&info, d("2025-06-01"), d("2026-01-01")).child_protections_apply());
        // The same doubt without reasons is an adult presumed, not a child, today; two years earlier the
        // estimate of 18-22 reaches below 18.
        let info = AgeInfo { reasons_to_believe_child: false, ..info };
        assert!(!age_status(&info, d("2026-01-01")).child_protections_apply());
        assert_eq!(
            age_status_then(&info, d("2024-01-01"), d("2026-01-01")),
            AgeStatus::PresumedChild { reason: PresumptionReason::EstimateIncludesChildAge }
        );
    }

    proptest! {
        // Directive Art 2(6): a verified date of birth under 18 is always a child, whatever else is recorded.
        #[test]
        fn a_verified_dob_under_18_is_always_a_child(
            born in 0i64..40_000,
            after in 0i64..(18 * 366),
            reasons: bool,
            est in proptest::option::of((0u8..=60, 0u8..=60)),
            assessed in proptest::option::of(0u8..=60),
        ) {
            let dob = CalendarDate::from_days(born - 25_000).unwrap();
            let Some(on) = dob.add_days(after) else { return Ok(()) };
            let age = dob.age_on(on);
            let mut info = AgeInfo {
                date_of_birth: Some(dob),
                dob_verified: true,
                estimate: est.map(|(a, b)| AgeRange::new(a.min(b), a.max(b)).unwrap()),
                reasons_to_believe_child: reasons,
                assessments: Vec::new(),
            };
            if let Some(years) = assessed {
                info.assessments.push(AgeAssessment {
                    date: dob,
                    method: AgeAssessmentMethod::Medical,
                    result: AgeRange::new(years, years).unwrap(),
                    assessed_by: "x".into(),
                });
            }
            let status = age_status(&info, on);
            if age < ADULT_AGE {
                prop_assert_eq!(status, AgeStatus::Child { age });
                prop_assert!(status.child_protections_apply());
                // Unverified, with no assessment, the same date of birth still brings the child protections.
                info.dob_verified = false;
                info.assessments.clear();
                prop_assert!(age_status(&info, on).child_protections_apply());
            } else {
                prop_assert_eq!(status, AgeStatus::Adult { age });
            }
        }
    }
}
