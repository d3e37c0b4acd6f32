//! Jurisdiction profiles: the national numbers behind the identification clocks, as data.
//!
//! Each country has a [`JurisdictionProfile`] made of [`ProfileVersion`]s, each in force from its
//! `valid_from` date until the next one. A version carries the reasonable-grounds (RG) decision
//! target, the recovery and reflection period, the conclusive-grounds (CG) target, the residence
//! permit minimum, alert settings, the public holidays and where each number comes from.
//!
//! Profiles are TOML (see `crates/domain/profiles/*.toml`); Latvia, Estonia and Lithuania are
//! embedded, and an operator can add or replace a country with further TOML texts
//! ([`ProfileSet::load`]). Loading checks the legal floors:
//! - a Party to the Council of Europe Convention must grant a recovery and reflection period of at
//!   least 30 days (Convention Art 13(1));
//! - where Directive 2004/81/EC applies, a residence permit is valid for at least 6 months (Art 8(3)).
//!
//! [`Clocks::compute`] turns a version and a case's dates into due dates. Conventions:
//! - the version in force on the referral date governs the whole case (the caller picks it with
//!   [`JurisdictionProfile::version_on`]`(referred_on)`);
//! - the RG decision is due `rg_decision_working_days` working days after the referral day;
//! - the reflection period starts on the day of the positive RG decision, which counts as day 1,
//!   and ends on day `reflection_period_days` inclusive (`end = start + days - 1`); national law
//!   may start it elsewhere (for example on notification), which a later version can model;
//! - the CG target is `cg_target_days_after_reflection` calendar days after the reflection end;
//! - the guardian alert (a child with no guardian) falls `guardian_alert_days` calendar days after
//!   the referral.
//!
//! "Today" is always a parameter ([`Deadline::state`]); nothing here reads a clock.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::ParseError;
use crate::case::CalendarDate;
use crate::ident::calendar::HolidayCalendar;
use crate::org::CountryCode;

/// Convention Art 13(1): the minimum recovery and reflection period for a Party.
pub const COE_MIN_REFLECTION_DAYS: u16 = 30;
/// Directive 2004/81/EC Art 8(3): the minimum validity of the residence permit.
pub const EU_2004_81_MIN_PERMIT_MONTHS: u16 = 6;

const DEFAULT_PROFILES: &[(&str, &str)] = &[
    ("LV", include_str!("../../profiles/lv.toml")),
    ("EE", include_str!("../../profiles/ee.toml")),
    ("LT", include_str!("../../profiles/lt.toml")),
];

/// The national settings in force from `valid_from` until the next version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileVersion {
    pub valid_from: CalendarDate,
    /// Party to the Council of Europe Convention (CETS 197) on this date.
    pub coe_party: bool,
    /// Target for the reasonable-grounds decision, in working days after the referral.
    pub rg_decision_working_days: u16,
    /// Recovery and reflection period, in calendar days.
    pub reflection_period_days: u16,
    /// Target for the conclusive-grounds decision, in calendar days after the reflection period ends.
    pub cg_target_days_after_reflection: Option<u16>,
    /// Minimum validity of a residence permit for a cooperating victim, in months.
    pub residence_permit_min_months: u16,
    /// For a child without a guardian: days after the referral when an alert is raised.
    pub guardian_alert_days: u16,
    /// An item is "due soon" this many days before its due date.
    pub due_soon_days: u16,
    /// Holiday rules as written in the profile (see [`crate::ident::calendar`]).
    pub holidays: Vec<String>,
    /// Where each number comes from, and what is still to be checked against national law.
    pub sources: Vec<String>,
    calendar: HolidayCalendar,
}

impl ProfileVersion {
    /// The holiday calendar parsed from [`ProfileVersion::holidays`] when the profile was loaded.
    pub fn calendar(&self) -> &HolidayCalendar {
        &self.calendar
    }
}

/// One country's versioned settings, valid by construction: versions in increasing `valid_from`
/// order and every legal floor checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JurisdictionProfile {
    country: CountryCode,
    name: String,
    eu_2004_81: bool,
    versions: Vec<ProfileVersion>,
}

/// Looking up a profile or a version that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("no jurisdiction profile for {0}")]
    UnknownCountry(CountryCode),
    #[error("the {country} profile has no version in force on {date}; its first version applies from {first}")]
    NoVersionInForce { country: CountryCode, date: CalendarDate, first: CalendarDate },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileToml {
    country: String,
    name: String,
    eu_2004_81: bool,
    versions: Vec<VersionToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionToml {
    valid_from: DateToml,
    coe_party: bool,
    rg_decision_working_days: u16,
    reflection_period_days: u16,
    #[serde(default)]
    cg_target_days_after_reflection: Option<u16>,
    residence_permit_min_months: u16,
    guardian_alert_days: u16,
    due_soon_days: u16,
    holidays: Vec<String>,
    sources: Vec<String>,
}

/// A date written either as a string or as a bare TOML date.
#[derive(Deserialize)]
#[serde(untagged)]
enum DateToml {
    Text(String),
    Toml(toml::value::Datetime),
}

impl DateToml {
    fn text(&self) -> String {
        match self {
            DateToml::Text(s) => s.clone(),
            DateToml::Toml(d) => d.to_string(),
        }
    }
}

impl JurisdictionProfile {
    /// Parses and checks one profile. Errors name the field as `CC.versions[i].field`.
    pub fn from_toml(text: &str) -> Result<Self, ParseError> {
        let raw: ProfileToml = toml::from_str(text).map_err(|e| ParseError::new("profile", e.message()))?;
        let country = CountryCode::parse("country", &raw.country)?;
        let name = raw.name.trim().to_owned();
        if name.is_empty() {
            return Err(ParseError::new(format!("{country}.name"), "the country name is empty"));
        }
        if raw.versions.is_empty() {
            return Err(ParseError::new(format!("{country}.versions"), "a profile needs at least one version"));
        }
        let mut versions: Vec<ProfileVersion> = Vec::with_capacity(raw.versions.len());
        for (i, v) in raw.versions.into_iter().enumerate() {
            let field = |name: &str| format!("{country}.versions[{i}].{name}");
            let version = check_version(&field, raw.eu_2004_81, v)?;
            if let Some(previous) = versions.last()
                && version.valid_from <= previous.valid_from
            {
                return Err(ParseError::new(
                    field("valid_from"),
                    format!(
                        "{} must be later than the previous version's valid_from {}; list versions in date order",
                        version.valid_from, previous.valid_from
                    ),
                ));
            }
            versions.push(version);
        }
        Ok(Self { country, name, eu_2004_81: raw.eu_2004_81, versions })
    }

    pub fn country(&self) -> CountryCode {
        self.country
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether Directive 2004/81/EC applies (residence permits for cooperating victims).
    pub fn eu_2004_81(&self) -> bool {
        self.eu_2004_81
    }

    /// All versions, oldest first.
    pub fn versions(&self) -> &[ProfileVersion] {
        &self.versions
    }

    /// The version in force on `date`: the last one whose `valid_from` is on or before it.
    pub fn version_on(&self, date: CalendarDate) -> Result<&ProfileVersion, ProfileError> {
        self.versions.iter().rev().find(|v| v.valid_from <= date).ok_or_else(|| ProfileError::NoVersionInForce {
            country: self.country,
            date,
            first: self.versions.first().map_or(date, |v| v.valid_from),
        })
    }
}

fn check_version(
    field: &dyn Fn(&str) -> String,
    eu_2004_81: bool,
    v: VersionToml,
) -> Result<ProfileVersion, ParseError> {
    let valid_from = CalendarDate::parse(&field("valid_from"), &v.valid_from.text())?;
    if v.rg_decision_working_days == 0 {
        return Err(ParseError::new(
            field("rg_decision_working_days"),
            "the reasonable-grounds decision target must be at least 1 working day",
        ));
    }
    if v.coe_party && v.reflection_period_days < COE_MIN_REFLECTION_DAYS {
        return Err(ParseError::new(
            field("reflection_period_days"),
            format!(
                "{} days is below the {COE_MIN_REFLECTION_DAYS}-day minimum recovery and reflection period a Party \
                 must grant (Council of Europe Convention Art 13(1))",
                v.reflection_period_days
            ),
        ));
    }
    if eu_2004_81 && v.residence_permit_min_months < EU_2004_81_MIN_PERMIT_MONTHS {
        return Err(ParseError::new(
            field("residence_permit_min_months"),
            format!(
                "{} months is below the {EU_2004_81_MIN_PERMIT_MONTHS}-month minimum validity of the residence \
                 permit (Directive 2004/81/EC Art 8(3))",
                v.residence_permit_min_months
            ),
        ));
    }
    let calendar = HolidayCalendar::parse(&field("holidays"), &v.holidays)?;
    let sources: Vec<String> = v.sources.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
    if sources.is_empty() {
        return Err(ParseError::new(field("sources"), "name at least one source for the numbers in this version"));
    }
    Ok(ProfileVersion {
        valid_from,
        coe_party: v.coe_party,
        rg_decision_working_days: v.rg_decision_working_days,
        reflection_period_days: v.reflection_period_days,
        cg_target_days_after_reflection: v.cg_target_days_after_reflection,
        residence_permit_min_months: v.residence_permit_min_months,
        guardian_alert_days: v.guardian_alert_days,
        due_soon_days: v.due_soon_days,
        holidays: v.holidays,
        sources,
        calendar,
    })
}

/// Profiles by country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileSet {
    profiles: BTreeMap<CountryCode, JurisdictionProfile>,
}

impl ProfileSet {
    /// The embedded profiles (Latvia, Estonia, Lithuania).
    pub fn defaults() -> Result<Self, ParseError> {
        Self::load::<&str>(&[])
    }

    /// The embedded profiles plus `extra` TOML texts. An extra profile for a country that has an
    /// embedded one replaces it; two extra profiles for the same country are an error. Errors in
    /// an extra text name it as `extra[i]`.
    pub fn load<S: AsRef<str>>(extra: &[S]) -> Result<Self, ParseError> {
        let mut profiles = BTreeMap::new();
        for (code, text) in DEFAULT_PROFILES {
            let profile = JurisdictionProfile::from_toml(text)
                .map_err(|e| ParseError::new(format!("default {code}: {}", e.field), e.message))?;
            profiles.insert(profile.country, profile);
        }
        let mut seen = Vec::new();
        for (i, text) in extra.iter().enumerate() {
            let profile = JurisdictionProfile::from_toml(text.as_ref())
                .map_err(|e| ParseError::new(format!("extra[{i}]: {}", e.field), e.message))?;
            if seen.contains(&profile.country) {
                return Err(ParseError::new(
                    format!("extra[{i}]: country"),
                    format!("a second extra profile for {}", profile.country),
                ));
            }
            seen.push(profile.country);
            profiles.insert(profile.country, profile);
        }
        Ok(Self { profiles })
    }

    pub fn get(&self, country: CountryCode) -> Option<&JurisdictionProfile> {
        self.profiles.get(&country)
    }

    /// The countries with a profile, in code order.
    pub fn countries(&self) -> impl Iterator<Item = CountryCode> + '_ {
        self.profiles.keys().copied()
    }

    /// The profiles, in country-code order.
    pub fn iter(&self) -> impl Iterator<Item = &JurisdictionProfile> + '_ {
        self.profiles.values()
    }

    /// The version in force in `country` on `date`.
    pub fn version_on(&self, country: CountryCode, date: CalendarDate) -> Result<&ProfileVersion, ProfileError> {
        self.get(country).ok_or(ProfileError::UnknownCountry(country))?.version_on(date)
    }
}

/// The dates a case's clocks run from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockInputs {
    pub referred_on: CalendarDate,
    pub rg_decided_on: Option<CalendarDate>,
    /// The RG decision was positive (ignored while `rg_decided_on` is `None`).
    pub rg_positive: bool,
    /// The person is, or is presumed to be, a child.
    pub child: bool,
    pub guardian_appointed: bool,
    pub cg_decided_on: Option<CalendarDate>,
}

/// A due date and, once met, the day it was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub due: CalendarDate,
    pub done_on: Option<CalendarDate>,
}

impl Deadline {
    /// Classifies this deadline on `today`, with `due_soon_days` from the profile version.
    pub fn state(&self, today: CalendarDate, due_soon_days: u16) -> DeadlineState {
        DeadlineState::classify(self.due, self.done_on.is_some(), today, due_soon_days)
    }
}

/// Where a deadline stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineState {
    /// Met (whenever it was met).
    Done,
    /// Due more than `due_soon_days` days from today.
    Upcoming,
    /// Due in 1 to `due_soon_days` days.
    DueSoon,
    /// Due today.
    DueToday,
    /// Due `days` days ago (at least 1).
    Overdue { days: u32 },
}

impl DeadlineState {
    pub fn classify(due: CalendarDate, done: bool, today: CalendarDate, due_soon_days: u16) -> Self {
        if done {
            return DeadlineState::Done;
        }
        let left = today.days_until(due);
        match left {
            0 => DeadlineState::DueToday,
            l if l < 0 => DeadlineState::Overdue { days: u32::try_from(-l).unwrap_or(u32::MAX) },
            l if l <= i64::from(due_soon_days) => DeadlineState::DueSoon,
            _ => DeadlineState::Upcoming,
        }
    }
}

/// The recovery and reflection period: `start` and `end` both belong to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReflectionPeriod {
    pub start: CalendarDate,
    pub end: CalendarDate,
}

impl ReflectionPeriod {
    pub fn contains(&self, date: CalendarDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// Its length in days, counting both ends.
    pub fn days(&self) -> i64 {
        self.start.days_until(self.end) + 1
    }
}

/// A case's dates that do not fit together, or a due date beyond the supported range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error("the reasonable-grounds decision ({decided_on}) is dated before the referral ({referred_on})")]
    RgDecisionBeforeReferral { referred_on: CalendarDate, decided_on: CalendarDate },
    #[error("a conclusive-grounds decision is recorded without a positive reasonable-grounds decision")]
    CgDecisionWithoutPositiveRg,
    #[error(
        "the conclusive-grounds decision ({cg_decided_on}) is dated before the reasonable-grounds decision ({rg_decided_on})"
    )]
    CgDecisionBeforeRg { rg_decided_on: CalendarDate, cg_decided_on: CalendarDate },
    #[error("the {clock} date falls outside the years 1900-2100")]
    OutOfRange { clock: &'static str },
}

/// A case's due dates under one profile version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clocks {
    /// Reasonable-grounds decision: referral + `rg_decision_working_days` working days.
    pub rg_decision: Deadline,
    /// From a positive RG decision: `reflection_period_days` days, the decision day being day 1.
    pub reflection: Option<ReflectionPeriod>,
    /// Conclusive-grounds decision target: reflection end + `cg_target_days_after_reflection` days
    /// (when configured and the reflection period has started).
    pub cg_decision: Option<Deadline>,
    /// A child without a guardian: referral + `guardian_alert_days` days.
    pub guardian_alert: Option<Deadline>,
}

impl Clocks {
    /// The due dates for a case. `calendar` is normally `version.calendar()`.
    pub fn compute(
        version: &ProfileVersion,
        calendar: &HolidayCalendar,
        inputs: ClockInputs,
    ) -> Result<Self, ClockError> {
        let out_of_range = |clock| ClockError::OutOfRange { clock };
        if let Some(decided_on) = inputs.rg_decided_on
            && decided_on < inputs.referred_on
        {
            return Err(ClockError::RgDecisionBeforeReferral { referred_on: inputs.referred_on, decided_on });
        }
        let positive_rg = inputs.rg_decided_on.filter(|_| inputs.rg_positive);
        if let Some(cg_decided_on) = inputs.cg_decided_on {
            let Some(rg_decided_on) = positive_rg else { return Err(ClockError::CgDecisionWithoutPositiveRg) };
            if cg_decided_on < rg_decided_on {
                return Err(ClockError::CgDecisionBeforeRg { rg_decided_on, cg_decided_on });
            }
        }

        let rg_due = calendar
            .add_working_days(inputs.referred_on, u32::from(version.rg_decision_working_days))
            .ok_or(out_of_range("reasonable-grounds decision"))?;
        let rg_decision = Deadline { due: rg_due, done_on: inputs.rg_decided_on };

        let reflection = match positive_rg {
            Some(start) => {
                let length = i64::from(version.reflection_period_days);
                let end = start.add_days((length - 1).max(0)).ok_or(out_of_range("reflection period end"))?;
                Some(ReflectionPeriod { start, end })
            }
            None => None,
        };

        let cg_decision = match (reflection, version.cg_target_days_after_reflection) {
            (Some(period), Some(days)) => {
                let due = period.end.add_days(i64::from(days)).ok_or(out_of_range("conclusive-grounds target"))?;
                Some(Deadline { due, done_on: inputs.cg_decided_on })
            }
            _ => None,
        };

        let guardian_alert = if inputs.child && !inputs.guardian_appointed {
            let due = inputs
                .referred_on
                .add_days(i64::from(version.guardian_alert_days))
                .ok_or(out_of_range("guardian alert"))?;
            Some(Deadline { due, done_on: None })
        } else {
            None
        };

        Ok(Self { rg_decision, reflection, cg_decision, guardian_alert })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn lv() -> CountryCode {
        CountryCode::parse("c", "LV").unwrap()
    }

    /// A one-version profile with the given settings.
    fn profile(country: &str, eu_2004_81: bool, version: &str) -> String {
        format!(
            "country = \"{country}\"\nname = \"Test\"\neu_2004_81 = {eu_2004_81}\n\n[[versions]]\n{version}\n\
             holidays = [\"12-25\"]\nsources = [\"test data, to check against national law\"]\n"
        )
    }

    fn version(coe_party: bool, rg: u16, reflection: u16, permit: u16) -> String {
        format!(
            "valid_from = \"2020-01-01\"\ncoe_party = {coe_party}\nrg_decision_working_days = {rg}\n\
             reflection_period_days = {reflection}\nresidence_permit_min_months = {permit}\n\
             guardian_alert_days = 3\ndue_soon_days = 2"
        )
    }

    fn inputs(referred_on: &str) -> ClockInputs {
        ClockInputs {
            referred_on: d(referred_on),
            rg_decided_on: None,
            rg_positive: false,
            child: false,
            guardian_appointed: false,
            cg_decided_on: None,
        }
    }

    fn lv_clocks(inputs: ClockInputs) -> Clocks {
        let set = ProfileSet::defaults().unwrap();
        let version = set.version_on(lv(), inputs.referred_on).unwrap();
        Clocks::compute(version, version.calendar(), inputs).unwrap()
    }

    #[test]
    fn embedded_profiles_load() {
        let set = ProfileSet::defaults().unwrap();
        let codes: Vec<String> = set.countries().map(|c| c.to_string()).collect();
        assert_eq!(codes, ["EE", "LT", "LV"]);
        for profile in set.iter() {
            assert!(profile.eu_2004_81());
            for v in profile.versions() {
                assert!(v.coe_party);
                assert!(v.reflection_period_days >= COE_MIN_REFLECTION_DAYS);
                assert!(v.sources.iter().all(|s| s.contains("to check") || s.starts_with("coe_party")), "{v:?}");
                assert_eq!(v.calendar().rules().len(), v.holidays.len());
            }
        }
        let lv = set.get(lv()).unwrap();
        assert_eq!(lv.name(), "Latvia");
        assert_eq!(lv.versions().len(), 2);
    }

    #[test]
    fn embedded_holidays_are_the_national_ones() {
        let set = ProfileSet::defaults().unwrap();
        let days = |code: &str, year: u16| -> Vec<String> {
            let country = CountryCode::parse("c", code).unwrap();
            let v = set.version_on(country, d(&format!("{year}-01-01"))).unwrap();
            v.calendar().holidays_in_year(year).iter().map(|d| d.to_string()[5..].to_owned()).collect()
        };
        assert_eq!(
            days("EE", 2026),
            [
                "01-01", "02-24", "04-03", "04-05", "05-01", "05-24", "06-23", "06-24", "08-20", "12-24", "12-25",
                "12-26"
            ]
        );
        assert_eq!(
            days("LT", 2026),
            [
                "01-01", "02-16", "03-11", "04-05", "04-06", "05-01", "05-03", "06-07", "06-24", "07-06", "08-15",
                "11-01", "11-02", "12-24", "12-25", "12-26"
            ]
        );
        // 2025: 4 May is a Sunday (Monday 5 May off); 18 November a Tuesday.
        assert_eq!(
            days("LV", 2025),
            [
                "01-01", "04-18", "04-20", "04-21", "05-01", "05-04", "05-05", "06-23", "06-24", "11-18", "12-24",
                "12-25", "12-26", "12-31"
            ]
        );
    }

    // Council of Europe Convention Art 13(1): a Party grants at least 30 days.
    #[test]
    fn convention_art_13_accepts_a_30_day_reflection_period() {
        let p = JurisdictionProfile::from_toml(&profile("LV", true, &version(true, 5, 30, 6))).unwrap();
        assert_eq!(p.versions()[0].reflection_period_days, 30);
    }

    // Council of Europe Convention Art 13(1): 29 days is too short for a Party.
    #[test]
    fn convention_art_13_rejects_29_days_for_a_party() {
        let err = JurisdictionProfile::from_toml(&profile("LV", true, &version(true, 5, 29, 6))).unwrap_err();
        assert_eq!(err.field, "LV.versions[0].reflection_period_days");
        assert!(err.message.contains("Council of Europe Convention Art 13(1)"), "{}", err.message);
    }

    // Council of Europe Convention Art 13(1) binds Parties only; national law sets the length otherwise
    // (Directive 2004/81/EC Art 6(1) has no minimum).
    #[test]
    fn convention_art_13_does_not_bind_a_non_party() {
        let p = JurisdictionProfile::from_toml(&profile("US", false, &version(false, 5, 29, 1))).unwrap();
        assert_eq!(p.versions()[0].reflection_period_days, 29);
    }

    // Directive 2004/81/EC Art 8(3): the residence permit is valid for at least 6 months.
    #[test]
    fn directive_2004_81_art_8_3_six_month_permit_floor() {
        assert!(JurisdictionProfile::from_toml(&profile("LV", true, &version(true, 5, 30, 6))).is_ok());
        let err = JurisdictionProfile::from_toml(&profile("LV", true, &version(true, 5, 30, 5))).unwrap_err();
        assert_eq!(err.field, "LV.versions[0].residence_permit_min_months");
        assert!(err.message.contains("Directive 2004/81/EC Art 8(3)"), "{}", err.message);
        // Not bound by the Directive (Denmark opted out of it; it is still a Convention Party).
        assert!(JurisdictionProfile::from_toml(&profile("DK", false, &version(true, 5, 30, 5))).is_ok());
    }

    #[test]
    fn rg_target_of_zero_is_refused() {
        let err = JurisdictionProfile::from_toml(&profile("LV", true, &version(true, 0, 30, 6))).unwrap_err();
        assert_eq!(err.field, "LV.versions[0].rg_decision_working_days");
    }

    #[test]
    fn versions_must_be_in_date_order() {
        let text = format!(
            "{}\n[[versions]]\n{}\nholidays = []\nsources = [\"x\"]\n",
            profile("LV", true, &version(true, 5, 30, 6)),
            version(true, 5, 30, 6)
        );
        let err = JurisdictionProfile::from_toml(&text).unwrap_err();
        assert_eq!(err.field, "LV.versions[1].valid_from");
        let later = text.replacen("valid_from = \"2020-01-01\"", "valid_from = \"2019-01-01\"", 1);
        assert!(JurisdictionProfile::from_toml(&later).is_ok());
    }

    #[test]
    fn profile_errors_name_their_field() {
        let base = profile("LV", true, &version(true, 5, 30, 6));
        let bad_holiday = base.replace("[\"12-25\"]", "[\"12-25\", \"easter+x\"]");
        assert_eq!(JurisdictionProfile::from_toml(&bad_holiday).unwrap_err().field, "LV.versions[0].holidays[1]");
        let unknown = base.replace("due_soon_days = 2", "due_soon_days = 2\nreflection_days = 30");
        let err = JurisdictionProfile::from_toml(&unknown).unwrap_err();
        assert_eq!(err.field, "profile");
        assert!(err.message.contains("reflection_days"), "{}", err.message);
        let country = base.replace("\"LV\"", "\"XX\"");
        assert_eq!(JurisdictionProfile::from_toml(&country).unwrap_err().field, "country");
        let date = base.replace("2020-01-01", "2020-02-30");
        assert_eq!(JurisdictionProfile::from_toml(&date).unwrap_err().field, "LV.versions[0].valid_from");
        let no_sources = base.replace("sources = [\"test data, to check against national law\"]", "sources = [\" \"]");
        assert_eq!(JurisdictionProfile::from_toml(&no_sources).unwrap_err().field, "LV.versions[0].sources");
        let no_versions = "country = \"LV\"\nname = \"Latvia\"\neu_2004_81 = true\nversions = []\n";
        assert_eq!(JurisdictionProfile::from_toml(no_versions).unwrap_err().field, "LV.versions");
    }

    #[test]
    fn bare_toml_dates_are_accepted() {
        let text = profile("LV", true, &version(true, 5, 30, 6)).replace("\"2020-01-01\"", "2020-01-01");
        let p = JurisdictionProfile::from_toml(&text).unwrap();
        assert_eq!(p.versions()[0].valid_from, d("2020-01-01"));
    }

    #[test]
    fn an_operator_adds_or_replaces_a_country() {
        let set = ProfileSet::load(&[profile("FI", true, &version(true, 7, 30, 6))]).unwrap();
        let fi = CountryCode::parse("c", "FI").unwrap();
        assert_eq!(set.version_on(fi, d("2024-01-01")).unwrap().rg_decision_working_days, 7);
        assert_eq!(set.countries().count(), 4);

        let set = ProfileSet::load(&[profile("LV", true, &version(true, 8, 45, 6))]).unwrap();
        assert_eq!(set.get(lv()).unwrap().versions().len(), 1);
        assert_eq!(set.version_on(lv(), d("2025-01-01")).unwrap().reflection_period_days, 45);

        let twice = [profile("FI", true, &version(true, 7, 30, 6)), profile("FI", true, &version(true, 7, 30, 6))];
        assert_eq!(ProfileSet::load(&twice).unwrap_err().field, "extra[1]: country");
        let bad = [profile("FI", true, &version(true, 7, 20, 6))];
        assert_eq!(ProfileSet::load(&bad).unwrap_err().field, "extra[0]: FI.versions[0].reflection_period_days");
    }

    #[test]
    fn version_switches_on_valid_from() {
        let set = ProfileSet::defaults().unwrap();
        assert_eq!(set.version_on(lv(), d("2024-07-13")).unwrap().rg_decision_working_days, 10);
        assert_eq!(set.version_on(lv(), d("2024-07-14")).unwrap().rg_decision_working_days, 5);
        assert_eq!(set.version_on(lv(), d("2013-04-06")).unwrap().valid_from, d("2013-04-06"));
        assert_eq!(
            set.version_on(lv(), d("2013-04-05")).unwrap_err(),
            ProfileError::NoVersionInForce { country: lv(), date: d("2013-04-05"), first: d("2013-04-06") }
        );
        let de = CountryCode::parse("c", "DE").unwrap();
        assert_eq!(set.version_on(de, d("2025-01-01")).unwrap_err(), ProfileError::UnknownCountry(de));
        // The referral date picks the version: same weekday, different targets.
        // Friday 2024-07-12 under the first version: 10 working days.
        assert_eq!(lv_clocks(inputs("2024-07-12")).rg_decision.due, d("2024-07-26"));
        // Monday 2024-07-15 under the second: 5 working days.
        assert_eq!(lv_clocks(inputs("2024-07-15")).rg_decision.due, d("2024-07-22"));
    }

    #[test]
    fn rg_due_across_a_weekend() {
        // Thursday 2025-10-09 + 5 working days: Fri 10, Mon 13, Tue 14, Wed 15, Thu 16.
        assert_eq!(lv_clocks(inputs("2025-10-09")).rg_decision.due, d("2025-10-16"));
        // Referred on a Saturday: the count starts on Monday.
        assert_eq!(lv_clocks(inputs("2025-10-11")).rg_decision.due, d("2025-10-17"));
    }

    #[test]
    fn rg_due_across_easter_in_latvia() {
        // Wednesday 2025-04-16; Good Friday 18 April and Easter Monday 21 April are holidays:
        // Thu 17, Tue 22, Wed 23, Thu 24, Fri 25.
        assert_eq!(lv_clocks(inputs("2025-04-16")).rg_decision.due, d("2025-04-25"));
    }

    #[test]
    fn rg_due_across_18_november_moved_to_monday() {
        // 18 November 2028 is a Saturday; Monday 20 November is the holiday in its place.
        assert_eq!(d("2028-11-18").iso_weekday(), 6);
        // Thursday 2028-11-16: Fri 17, (Sat, Sun, Mon 20 holiday), Tue 21, Wed 22, Thu 23, Fri 24.
        assert_eq!(lv_clocks(inputs("2028-11-16")).rg_decision.due, d("2028-11-24"));
        // 2023 likewise, under the first version (10 working days): Thursday 16 November →
        // Fri 17, Tue 21 … Fri 24, Mon 27 … Fri 1 December.
        assert_eq!(d("2023-11-18").iso_weekday(), 6);
        assert_eq!(lv_clocks(inputs("2023-11-16")).rg_decision.due, d("2023-12-01"));
    }

    #[test]
    fn rg_due_across_month_end_and_leap_day() {
        // Tuesday 2024-02-27 (first LV version, 10 working days): 28, 29 Feb, 1 Mar, 4-8 Mar, 11, 12 Mar.
        assert_eq!(lv_clocks(inputs("2024-02-27")).rg_decision.due, d("2024-03-12"));
        // The same referral with a 5-working-day target: 28, 29 Feb, 1, 4, 5 Mar.
        let p = JurisdictionProfile::from_toml(&profile("LV", true, &version(true, 5, 30, 6))).unwrap();
        let v = p.version_on(d("2024-02-27")).unwrap();
        let clocks = Clocks::compute(v, v.calendar(), inputs("2024-02-27")).unwrap();
        assert_eq!(clocks.rg_decision.due, d("2024-03-05"));
        // Not a leap year: Tuesday 2023-02-28 → 1, 2, 3, 6, 7 March.
        let clocks = Clocks::compute(v, v.calendar(), inputs("2023-02-28")).unwrap();
        assert_eq!(clocks.rg_decision.due, d("2023-03-07"));
    }

    // Council of Europe Convention Art 13(1): 30 days from the positive RG decision, decision day = day 1.
    #[test]
    fn reflection_period_runs_30_days_inclusive_from_positive_rg() {
        let clocks =
            lv_clocks(ClockInputs { rg_decided_on: Some(d("2025-01-20")), rg_positive: true, ..inputs("2025-01-15") });
        let period = clocks.reflection.unwrap();
        assert_eq!(period.start, d("2025-01-20"));
        assert_eq!(period.end, d("2025-02-18"));
        assert_eq!(period.days(), 30);
        assert!(period.contains(d("2025-02-18")));
        assert!(!period.contains(d("2025-02-19")));
        // CG target: 60 days after the reflection period ends.
        assert_eq!(clocks.cg_decision, Some(Deadline { due: d("2025-04-19"), done_on: None }));
        assert_eq!(clocks.rg_decision.done_on, Some(d("2025-01-20")));
        assert_eq!(clocks.rg_decision.state(d("2025-03-01"), 2), DeadlineState::Done);
        // Across the leap day: 2024-02-15 + 29 days = 2024-03-15.
        let clocks =
            lv_clocks(ClockInputs { rg_decided_on: Some(d("2024-02-15")), rg_positive: true, ..inputs("2024-02-12") });
        assert_eq!(clocks.reflection.unwrap().end, d("2024-03-15"));
    }

    #[test]
    fn no_reflection_period_without_a_positive_rg_decision() {
        let negative = lv_clocks(ClockInputs { rg_decided_on: Some(d("2025-01-20")), ..inputs("2025-01-15") });
        assert_eq!(negative.reflection, None);
        assert_eq!(negative.cg_decision, None);
        let pending = lv_clocks(ClockInputs { rg_positive: true, ..inputs("2025-01-15") });
        assert_eq!(pending.reflection, None);
        // Estonia configures no CG target.
        let ee = CountryCode::parse("c", "EE").unwrap();
        let set = ProfileSet::defaults().unwrap();
        let v = set.version_on(ee, d("2025-01-15")).unwrap();
        let input = ClockInputs { rg_decided_on: Some(d("2025-01-20")), rg_positive: true, ..inputs("2025-01-15") };
        let clocks = Clocks::compute(v, v.calendar(), input).unwrap();
        assert!(clocks.reflection.is_some());
        assert_eq!(clocks.cg_decision, None);
    }

    #[test]
    fn guardian_alert_for_a_child_without_guardian() {
        let child = lv_clocks(ClockInputs { child: true, ..inputs("2025-12-30") });
        assert_eq!(child.guardian_alert, Some(Deadline { due: d("2026-01-02"), done_on: None }));
        let with_guardian = lv_clocks(ClockInputs { child: true, guardian_appointed: true, ..inputs("2025-12-30") });
        assert_eq!(with_guardian.guardian_alert, None);
        assert_eq!(lv_clocks(inputs("2025-12-30")).guardian_alert, None);
    }

    #[test]
    fn inconsistent_dates_are_refused() {
        let set = ProfileSet::defaults().unwrap();
        let v = set.version_on(lv(), d("2025-01-15")).unwrap();
        let compute = |i| Clocks::compute(v, v.calendar(), i);
        assert_eq!(
            compute(ClockInputs { rg_decided_on: Some(d("2025-01-14")), ..inputs("2025-01-15") }),
            Err(ClockError::RgDecisionBeforeReferral { referred_on: d("2025-01-15"), decided_on: d("2025-01-14") })
        );
        assert_eq!(
            compute(ClockInputs { cg_decided_on: Some(d("2025-03-01")), ..inputs("2025-01-15") }),
            Err(ClockError::CgDecisionWithoutPositiveRg)
        );
        assert_eq!(
            compute(ClockInputs {
                rg_decided_on: Some(d("2025-01-20")),
                rg_positive: true,
                cg_decided_on: Some(d("2025-01-19")),
                ..inputs("2025-01-15")
            }),
            Err(ClockError::CgDecisionBeforeRg { rg_decided_on: d("2025-01-20"), cg_decided_on: d("2025-01-19") })
        );
        assert_eq!(compute(inputs("2100-12-28")), Err(ClockError::OutOfRange { clock: "reasonable-grounds decision" }));
    }

    #[test]
    fn deadline_classification_boundaries() {
        let due = d("2025-03-10");
        let state = |today: &str| DeadlineState::classify(due, false, d(today), 2);
        assert_eq!(state("2025-03-07"), DeadlineState::Upcoming);
        assert_eq!(state("2025-03-08"), DeadlineState::DueSoon);
        assert_eq!(state("2025-03-09"), DeadlineState::DueSoon);
        assert_eq!(state("2025-03-10"), DeadlineState::DueToday);
        assert_eq!(state("2025-03-11"), DeadlineState::Overdue { days: 1 });
        assert_eq!(state("2025-04-10"), DeadlineState::Overdue { days: 31 });
        assert_eq!(DeadlineState::classify(due, true, d("2025-04-10"), 2), DeadlineState::Done);
        // With no "due soon" window an item goes straight from upcoming to due today.
        assert_eq!(DeadlineState::classify(due, false, d("2025-03-09"), 0), DeadlineState::Upcoming);
        let deadline = Deadline { due, done_on: None };
        assert_eq!(deadline.state(d("2025-03-10"), 2), DeadlineState::DueToday);
        assert_eq!(
            Deadline { done_on: Some(d("2025-03-12")), ..deadline }.state(d("2025-03-20"), 2),
            DeadlineState::Done
        );
    }

    fn any_date() -> impl Strategy<Value = CalendarDate> {
        // 2014-01-01 ..= 2090-12-31, inside the LV profile's range.
        (16_071i64..=44_195).prop_map(|n| CalendarDate::from_days(n).unwrap())
    }

    proptest! {
        #[test]
        fn rg_due_is_a_working_day_exactly_n_working_days_on(referred in any_date()) {
            let set = ProfileSet::defaults().unwrap();
            let v = set.version_on(lv(), referred).unwrap();
            let clocks = Clocks::compute(v, v.calendar(), inputs(&referred.to_string())).unwrap();
            let due = clocks.rg_decision.due;
            prop_assert!(v.calendar().is_working_day(due));
            prop_assert_eq!(v.calendar().working_days_between(referred, due), i64::from(v.rg_decision_working_days));
        }

        // Council of Europe Convention Art 13(1): whatever the version, the period lasts its full length.
        #[test]
        fn reflection_period_has_its_configured_length(referred in any_date(), wait in 0i64..30) {
            let set = ProfileSet::defaults().unwrap();
            let v = set.version_on(lv(), referred).unwrap();
            let decided = referred.add_days(wait).unwrap();
            let input = ClockInputs { rg_decided_on: Some(decided), rg_positive: true, ..inputs(&referred.to_string()) };
            let period = Clocks::compute(v, v.calendar(), input).unwrap().reflection.unwrap();
            prop_assert_eq!(period.days(), i64::from(v.reflection_period_days));
            prop_assert!(period.days() >= i64::from(COE_MIN_REFLECTION_DAYS));
        }

        #[test]
        fn classification_follows_the_calendar(due in any_date(), offset in -60i64..60, soon in 0u16..10) {
            let today = due.add_days(offset).unwrap();
            let state = DeadlineState::classify(due, false, today, soon);
            let expected = match -offset {
                0 => DeadlineState::DueToday,
                left if left < 0 => DeadlineState::Overdue { days: u32::try_from(offset).unwrap() },
                left if left <= i64::from(soon) => DeadlineState::DueSoon,
                _ => DeadlineState::Upcoming,
            };
            prop_assert_eq!(state, expected);
        }

        #[test]
        fn profile_parse_never_panics(s in "\\PC{0,200}") {
            let _ = JurisdictionProfile::from_toml(&s);
        }
    }
}
