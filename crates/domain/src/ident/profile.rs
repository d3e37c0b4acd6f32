//! Jurisdiction profiles: a country's identification procedure and the national numbers behind
//! its clocks, as data.
//!
//! Each country has a [`JurisdictionProfile`]: its identification procedures
//! ([`crate::ident::procedure`]) and [`ProfileVersion`]s, each in force from its `valid_from` date
//! until the next one. A version names the procedure in force, the recovery and reflection
//! period, the residence permit minimum, alert settings, the public holidays and where each value
//! comes from. Nothing in a profile is law unless its source says so: every value names its
//! source or says "to check against national law".
//!
//! Profiles are TOML (see `crates/domain/profiles/*.toml`); Latvia, Estonia, Lithuania, the
//! Netherlands, Romania and the United Kingdom are embedded, and an operator can add or replace a
//! country with further TOML texts ([`ProfileSet::load`]). Loading checks the legal floors of
//! [`crate::ident::floors`] and refuses a profile that breaks one, naming the article:
//! - a Party to the Convention grants a recovery and reflection period of at least 30 days
//!   (CETS 197 Art 13(1));
//! - where Directive 2004/81/EC applies, a residence permit is valid for at least 6 months
//!   (Dir 2004/81 Art 8(3));
//! - every procedure gives a presumed victim assistance, protection from removal and (for a
//!   Party) the reflection period (Dir 2011/36 Art 11(2); CETS 197 Arts 10(2), 12(1), 13(1)).
//!
//! [`Clocks::compute`] turns a version, its procedure and a case's dates into due dates. The
//! version in force on the referral date governs the whole case, and the procedure is pinned to
//! the case at referral. Every period of days starts on the day after its event (Regulation
//! 1182/71 Art 3(1), [`DaysPeriod`]); working days are counted from the next day too.
//!
//! "Today" is always a parameter ([`Deadline::state`]); nothing here reads a clock.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::ParseError;
use crate::case::CalendarDate;
use crate::ident::calendar::{DaysPeriod, HolidayCalendar};
use crate::ident::floors::{
    MIN_PERMIT_MONTHS, MIN_PERMIT_MONTHS_ARTICLE, MIN_REFLECTION_DAYS, MIN_REFLECTION_DAYS_ARTICLE,
};
use crate::ident::procedure::{DayCount, DeadlineFrom, LEGACY_ID, Procedure, ProcedureToml, StageDeadline};
use crate::ident::status::NrmStatus;
use crate::org::CountryCode;

const DEFAULT_PROFILES: &[(&str, &str)] = &[
    ("LV", include_str!("../../profiles/lv.toml")),
    ("EE", include_str!("../../profiles/ee.toml")),
    ("LT", include_str!("../../profiles/lt.toml")),
    ("NL", include_str!("../../profiles/nl.toml")),
    ("RO", include_str!("../../profiles/ro.toml")),
    ("GB", include_str!("../../profiles/gb.toml")),
];

/// The national settings in force from `valid_from` until the next version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileVersion {
    pub valid_from: CalendarDate,
    /// Party to the Council of Europe Convention (CETS 197) on this date.
    pub coe_party: bool,
    /// The identification procedure in force: cases referred under this version follow it.
    pub procedure: Procedure,
    /// Recovery and reflection period, in calendar days.
    pub reflection_period_days: u16,
    /// Minimum validity of a residence permit for a cooperating victim, in months.
    pub residence_permit_min_months: u16,
    /// For a child without a guardian: days after the referral when an alert is raised.
    pub guardian_alert_days: u16,
    /// An item is "due soon" this many days before its due date.
    pub due_soon_days: u16,
    /// Holiday rules as written in the profile (see [`crate::ident::calendar`]).
    pub holidays: Vec<String>,
    /// Where each value comes from, and what is still to be checked against national law.
    pub sources: Vec<String>,
    /// National practice: an adult's consent is asked before a formal referral to the national
    /// referral mechanism. Neither the Directive nor the Convention requires it; identification
    /// itself never depends on consent (CETS 197 Art 10).
    pub adult_consent_before_referral: bool,
    calendar: HolidayCalendar,
}

impl ProfileVersion {
    /// The holiday calendar parsed from [`ProfileVersion::holidays`] when the profile was loaded.
    pub fn calendar(&self) -> &HolidayCalendar {
        &self.calendar
    }
}

/// One country's versioned settings, valid by construction: versions in increasing `valid_from`
/// order, every procedure a version names declared, and every legal floor checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JurisdictionProfile {
    country: CountryCode,
    name: String,
    eu_2004_81: bool,
    procedures: BTreeMap<String, Procedure>,
    legacy: Procedure,
    versions: Vec<ProfileVersion>,
}

/// Looking up a profile or a version that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("no jurisdiction profile for {0}")]
    UnknownCountry(CountryCode),
    #[error("the {country} profile has no version in force on {date}; its first version applies from {first}")]
    NoVersionInForce { country: CountryCode, date: CalendarDate, first: CalendarDate },
    #[error("the {country} profile has no identification procedure {id:?}")]
    UnknownProcedure { country: CountryCode, id: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileToml {
    country: String,
    name: String,
    eu_2004_81: bool,
    procedures: BTreeMap<String, ProcedureToml>,
    versions: Vec<VersionToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionToml {
    valid_from: DateToml,
    coe_party: bool,
    procedure: String,
    reflection_period_days: u16,
    residence_permit_min_months: u16,
    guardian_alert_days: u16,
    due_soon_days: u16,
    holidays: Vec<String>,
    sources: Vec<String>,
    #[serde(default)]
    adult_consent_before_referral: bool,
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
    /// Parses and checks one profile. Errors name the field as `CC.versions[i].field` or
    /// `CC.procedures.ID.field`.
    pub fn from_toml(text: &str) -> Result<Self, ParseError> {
        let raw: ProfileToml = toml::from_str(text).map_err(|e| ParseError::new("profile", e.message()))?;
        let country = CountryCode::parse("country", &raw.country)?;
        let name = raw.name.trim().to_owned();
        if name.is_empty() {
            return Err(ParseError::new(format!("{country}.name"), "the country name is empty"));
        }
        let procedures = Procedure::parse_all(&format!("{country}.procedures"), raw.procedures)?;
        if procedures.contains_key(LEGACY_ID) {
            return Err(ParseError::new(
                format!("{country}.procedures.{LEGACY_ID}"),
                "this id is reserved for cases recorded before procedures were national data",
            ));
        }
        if raw.versions.is_empty() {
            return Err(ParseError::new(format!("{country}.versions"), "a profile needs at least one version"));
        }
        let mut versions: Vec<ProfileVersion> = Vec::with_capacity(raw.versions.len());
        for (i, v) in raw.versions.into_iter().enumerate() {
            let field = |name: &str| format!("{country}.versions[{i}].{name}");
            let version = check_version(&field, raw.eu_2004_81, &procedures, v)?;
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
        let legacy = Procedure::legacy_two_stage()?;
        Ok(Self { country, name, eu_2004_81: raw.eu_2004_81, procedures, legacy, versions })
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

    /// The procedures the profile declares, by id.
    pub fn procedures(&self) -> &BTreeMap<String, Procedure> {
        &self.procedures
    }

    /// The procedure `id` pinned to a case: one the profile declares, or the one of cases recorded
    /// before procedures were national data ([`LEGACY_ID`]).
    pub fn procedure(&self, id: &str) -> Result<&Procedure, ProfileError> {
        if id == LEGACY_ID {
            return Ok(&self.legacy);
        }
        self.procedures
            .get(id)
            .ok_or_else(|| ProfileError::UnknownProcedure { country: self.country, id: id.to_owned() })
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
    procedures: &BTreeMap<String, Procedure>,
    v: VersionToml,
) -> Result<ProfileVersion, ParseError> {
    let valid_from = CalendarDate::parse(&field("valid_from"), &v.valid_from.text())?;
    let procedure = procedures.get(v.procedure.trim()).cloned().ok_or_else(|| {
        let known: Vec<&str> = procedures.keys().map(String::as_str).collect();
        ParseError::new(
            field("procedure"),
            format!("{:?} is not a procedure of this profile; declared: {}", v.procedure, known.join(", ")),
        )
    })?;
    procedure.check_floors(&field("procedure"), v.coe_party)?;
    if v.coe_party && v.reflection_period_days < MIN_REFLECTION_DAYS {
        return Err(ParseError::new(
            field("reflection_period_days"),
            format!(
                "{} days is below the {MIN_REFLECTION_DAYS}-day minimum recovery and reflection period a Party \
                 must grant ({MIN_REFLECTION_DAYS_ARTICLE})",
                v.reflection_period_days
            ),
        ));
    }
    if eu_2004_81 && v.residence_permit_min_months < MIN_PERMIT_MONTHS {
        return Err(ParseError::new(
            field("residence_permit_min_months"),
            format!(
                "{} months is below the {MIN_PERMIT_MONTHS}-month minimum validity of the residence permit \
                 ({MIN_PERMIT_MONTHS_ARTICLE})",
                v.residence_permit_min_months
            ),
        ));
    }
    let calendar = HolidayCalendar::parse(&field("holidays"), &v.holidays)?;
    let sources: Vec<String> = v.sources.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
    if sources.is_empty() {
        return Err(ParseError::new(field("sources"), "name at least one source for the values in this version"));
    }
    Ok(ProfileVersion {
        valid_from,
        coe_party: v.coe_party,
        procedure,
        reflection_period_days: v.reflection_period_days,
        residence_permit_min_months: v.residence_permit_min_months,
        guardian_alert_days: v.guardian_alert_days,
        due_soon_days: v.due_soon_days,
        holidays: v.holidays,
        sources,
        adult_consent_before_referral: v.adult_consent_before_referral,
        calendar,
    })
}

/// Profiles by country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileSet {
    profiles: BTreeMap<CountryCode, JurisdictionProfile>,
}

impl ProfileSet {
    /// The embedded profiles.
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

    /// The procedure `id` of `country` (see [`JurisdictionProfile::procedure`]).
    pub fn procedure(&self, country: CountryCode, id: &str) -> Result<&Procedure, ProfileError> {
        self.get(country).ok_or(ProfileError::UnknownCountry(country))?.procedure(id)
    }
}

/// The dates a case's clocks run from (the columns kept beside each registration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockInputs {
    pub referred_on: CalendarDate,
    pub status: NrmStatus,
    /// The first decision in force (two-decision procedures).
    pub first_decided_on: Option<CalendarDate>,
    /// The final decision in force.
    pub final_decided_on: Option<CalendarDate>,
    /// When the presumption arose: the event the reflection period follows.
    pub presumed_since: Option<CalendarDate>,
    /// The person is, or is presumed to be, a child.
    pub child: bool,
    pub guardian_appointed: bool,
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
pub type ReflectionPeriod = DaysPeriod;

/// A case's dates that do not fit together, or a due date beyond the supported range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error("the first decision ({decided_on}) is dated before the referral ({referred_on})")]
    FirstDecisionBeforeReferral { referred_on: CalendarDate, decided_on: CalendarDate },
    #[error("the final decision ({final_decided_on}) is dated before the first decision ({first_decided_on})")]
    FinalBeforeFirst { first_decided_on: CalendarDate, final_decided_on: CalendarDate },
    #[error("the {clock} date falls outside the years 1900-2100")]
    OutOfRange { clock: &'static str },
}

/// A case's due dates under one profile version and its procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clocks {
    /// The first decision of a two-decision procedure, when the procedure sets it a deadline.
    pub first_decision: Option<Deadline>,
    /// From the presumption: `reflection_period_days` days, starting the day after.
    pub reflection: Option<ReflectionPeriod>,
    /// The final decision, when the procedure sets it a deadline and its event has happened.
    pub final_decision: Option<Deadline>,
    /// A child without a guardian: `guardian_alert_days` days after the referral.
    pub guardian_alert: Option<Deadline>,
}

impl Clocks {
    /// The due dates for a case under `procedure` (the one pinned to the case). `calendar` is
    /// normally `version.calendar()`.
    pub fn compute(
        version: &ProfileVersion,
        procedure: &Procedure,
        calendar: &HolidayCalendar,
        inputs: ClockInputs,
    ) -> Result<Self, ClockError> {
        let out_of_range = |clock| ClockError::OutOfRange { clock };
        if let Some(decided_on) = inputs.first_decided_on
            && decided_on < inputs.referred_on
        {
            return Err(ClockError::FirstDecisionBeforeReferral { referred_on: inputs.referred_on, decided_on });
        }
        if let (Some(first_decided_on), Some(final_decided_on)) = (inputs.first_decided_on, inputs.final_decided_on)
            && final_decided_on < first_decided_on
        {
            return Err(ClockError::FinalBeforeFirst { first_decided_on, final_decided_on });
        }

        let reflection = match inputs.presumed_since {
            Some(event) => Some(
                DaysPeriod::after(event, u32::from(version.reflection_period_days))
                    .ok_or(out_of_range("reflection period end"))?,
            ),
            None => None,
        };
        let due = |deadline: &StageDeadline| -> Result<Option<CalendarDate>, ClockError> {
            let event = match deadline.from {
                DeadlineFrom::Referral => Some(inputs.referred_on),
                DeadlineFrom::FirstDecision => inputs.first_decided_on,
                DeadlineFrom::ReflectionEnd => reflection.map(|p| p.end),
            };
            let Some(event) = event else { return Ok(None) };
            let due = match deadline.count {
                DayCount::Working => calendar.add_working_days(event, u32::from(deadline.days)),
                DayCount::Calendar => event.add_days(i64::from(deadline.days)),
            };
            due.map(Some).ok_or(out_of_range("decision deadline"))
        };
        let first_decision = match procedure.first.as_ref().and_then(|s| s.deadline.as_ref()) {
            Some(d) => due(d)?.map(|due| Deadline { due, done_on: inputs.first_decided_on }),
            None => None,
        };
        // The final decision's clock runs once the case awaits it (or it has been taken).
        let awaits_final = matches!(inputs.status, NrmStatus::PresumedVictim)
            || (inputs.status == NrmStatus::Referred && procedure.first.is_none())
            || inputs.final_decided_on.is_some();
        let final_decision = match procedure.final_stage.deadline.as_ref() {
            Some(d) if awaits_final => due(d)?.map(|due| Deadline { due, done_on: inputs.final_decided_on }),
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

        Ok(Self { first_decision, reflection, final_decision, guardian_alert })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;
    use crate::OrganisationKind;
    use crate::ident::procedure::{Entitlement, MemberVote, PresumedFrom, StagePlace, Vote};
    use crate::ident::status::{Decision, DecisionKind, fold};
    use proptest::prelude::*;

    fn d(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn cc(code: &str) -> CountryCode {
        CountryCode::parse("c", code).unwrap()
    }

    fn lv() -> CountryCode {
        cc("LV")
    }

    const ENTITLEMENTS: &str = "[procedures.p.entitlements]\npresumed = [\"assistance\", \"reflection_period\", \
                                \"protection_from_removal\"]\nidentified = [\"assistance\", \"reflection_period\", \
                                \"protection_from_removal\"]\n";

    /// A one-version profile with one one-decision procedure `p`.
    fn profile(country: &str, eu_2004_81: bool, version: &str) -> String {
        format!(
            "country = \"{country}\"\nname = \"Test\"\neu_2004_81 = {eu_2004_81}\n\n[procedures.p]\n\
             presumed_from = \"referral\"\nsources = [\"test\"]\nname = {{ en = \"Test\" }}\n{ENTITLEMENTS}\n\
             [[procedures.p.stages]]\nname = {{ en = \"decision\" }}\norganisation_kinds = [\"competent_authority\"]\n\
             roles = [\"decision_maker\"]\ndeadline = {{ days = 5, count = \"working\", from = \"referral\" }}\n\
             source = \"test\"\n\n[[versions]]\n{version}\nholidays = [\"12-25\"]\n\
             sources = [\"test data, to check against national law\"]\n"
        )
    }

    fn version(coe_party: bool, reflection: u16, permit: u16) -> String {
        format!(
            "valid_from = \"2020-01-01\"\ncoe_party = {coe_party}\nprocedure = \"p\"\n\
             reflection_period_days = {reflection}\nresidence_permit_min_months = {permit}\n\
             guardian_alert_days = 3\ndue_soon_days = 2"
        )
    }

    fn inputs(referred_on: &str) -> ClockInputs {
        ClockInputs {
            referred_on: d(referred_on),
            status: NrmStatus::Referred,
            first_decided_on: None,
            final_decided_on: None,
            presumed_since: None,
            child: false,
            guardian_appointed: false,
        }
    }

    fn clocks(country: &str, inputs: ClockInputs) -> Clocks {
        let set = ProfileSet::defaults().unwrap();
        let version = set.version_on(cc(country), inputs.referred_on).unwrap();
        Clocks::compute(version, &version.procedure, version.calendar(), inputs).unwrap()
    }

    /// Lithuania's first decision: 5 working days after the referral.
    fn lt_first_due(referred: &str) -> CalendarDate {
        clocks("LT", inputs(referred)).first_decision.unwrap().due
    }

    #[test]
    fn the_six_embedded_profiles_load_with_their_procedures() {
        let set = ProfileSet::defaults().unwrap();
        let codes: Vec<String> = set.countries().map(|c| c.to_string()).collect();
        assert_eq!(codes, ["EE", "GB", "LT", "LV", "NL", "RO"]);
        for profile in set.iter() {
            assert_eq!(profile.eu_2004_81(), profile.country() != cc("GB"));
            for v in profile.versions() {
                assert!(v.coe_party);
                assert!(v.reflection_period_days >= MIN_REFLECTION_DAYS);
                assert!(
                    v.sources
                        .iter()
                        .all(|s| s.contains("to check") || s.starts_with("coe_party") || s.starts_with("eu_2004_81")),
                    "{v:?}"
                );
                assert_eq!(v.calendar().rules().len(), v.holidays.len());
                for stage in v.procedure.stages() {
                    assert!(!stage.source.is_empty());
                }
            }
        }
        let shape = |c: &str| set.version_on(cc(c), d("2025-01-01")).unwrap().procedure.shape();
        // Latvia: one decision, by a commission of a procured NGO or in criminal proceedings.
        let lv = &set.version_on(lv(), d("2025-01-01")).unwrap().procedure;
        assert!(!shape("LV").two_stage && shape("LV").presumed_from == PresumedFrom::Referral);
        let commission = lv.final_stage.commission.as_ref().unwrap();
        assert_eq!(commission.seats.len(), 4);
        assert!(lv.final_stage.may_decide(OrganisationKind::Ngo, &[crate::Role::DecisionMaker]));
        assert!(lv.final_stage.may_decide(OrganisationKind::Court, &[crate::Role::DecisionMaker]));
        assert!(!lv.final_stage.may_decide(OrganisationKind::Shelter, &[crate::Role::DecisionMaker]));
        assert!(lv.final_stage.commission_for(OrganisationKind::Ngo).is_some());
        assert!(lv.final_stage.commission_for(OrganisationKind::Police).is_none());
        assert!(lv.entitlements_note.as_ref().unwrap().get(crate::Language::English).contains("180 days"));
        // The United Kingdom: two decisions, presumed from the first, standards of proof.
        assert!(shape("GB").two_stage && shape("GB").presumed_from == PresumedFrom::FirstDecision);
        let gb = &set.version_on(cc("GB"), d("2025-01-01")).unwrap().procedure;
        assert!(gb.first.as_ref().unwrap().standard_of_proof.is_some());
        assert!(gb.final_stage.standard_of_proof.as_ref().unwrap().get(crate::Language::English).contains("balance"));
        // The Netherlands: a national registration point that some must report to.
        let nl = &set.version_on(cc("NL"), d("2025-01-01")).unwrap().procedure;
        let notification = nl.notification.as_ref().unwrap();
        assert!(notification.must_notify.contains(&OrganisationKind::LabourInspectorate));
        assert!(!shape("NL").final_reconsideration);
        // Romania: every institution notifies the national agency.
        assert!(set.version_on(cc("RO"), d("2025-01-01")).unwrap().procedure.notification.is_some());
        assert!(shape("LT").two_stage && !shape("EE").two_stage);
    }

    /// Every embedded procedure runs: a referred case reaches an identified victim through its
    /// own decisions, and a presumed victim is entitled to what the floors demand.
    #[test]
    fn every_embedded_procedure_runs_from_referral_to_identification() {
        let set = ProfileSet::defaults().unwrap();
        for profile in set.iter() {
            for v in profile.versions() {
                let p = &v.procedure;
                let kinds: &[DecisionKind] = if p.first.is_some() {
                    &[DecisionKind::FirstPositive, DecisionKind::FinalPositive]
                } else {
                    &[DecisionKind::FinalPositive]
                };
                let ds: Vec<Decision> = kinds
                    .iter()
                    .enumerate()
                    .map(|(i, k)| {
                        let seq = u32::try_from(i).unwrap() + 1;
                        Decision::new(seq, *k, v.valid_from.add_days(i64::from(seq) * 10).unwrap())
                            .with_reasons(crate::text::Narrative::parse("r", "Interview and indicators.").unwrap())
                    })
                    .collect();
                let s = fold(v.valid_from, p.shape(), &ds).unwrap();
                assert_eq!(s.status(), NrmStatus::IdentifiedVictim, "{}", profile.country());
                for (e, _) in crate::ident::floors::PRESUMED_VICTIM_FLOOR {
                    assert!(p.entitles(false, *e) && p.entitles(true, *e), "{} {e}", profile.country());
                }
            }
        }
    }

    /// The worked profile of the identification guide loads and runs as the guide says.
    #[test]
    fn the_worked_profile_of_the_guide_loads() {
        let guide = include_str!("../../../../docs/identification.md");
        let start = guide.find("### A worked profile").and_then(|i| guide[i..].find("```toml").map(|j| i + j + 7));
        let text = start.and_then(|s| guide[s..].find("```").map(|e| &guide[s..s + e])).unwrap();
        let profile = JurisdictionProfile::from_toml(text).unwrap();
        let v = profile.version_on(d("2025-01-01")).unwrap();
        let stage = &v.procedure.final_stage;
        assert_eq!(stage.commission.as_ref().unwrap().quorum, 2);
        assert!(stage.commission_for(OrganisationKind::Ngo).is_some());
        assert!(stage.commission_for(OrganisationKind::CompetentAuthority).is_none());
        assert_eq!(v.procedure.notification.as_ref().unwrap().must_notify.len(), 2);
        // Thursday 2025-10-09 + 10 working days (no holiday in between): Thursday 2025-10-23.
        let inputs = ClockInputs { referred_on: d("2025-10-09"), ..inputs("2025-10-09") };
        let c = Clocks::compute(v, &v.procedure, v.calendar(), inputs).unwrap();
        assert_eq!(c.final_decision.unwrap().due, d("2025-10-23"));
    }

    /// A commission decides by the majority of its members' recorded votes, with a quorum.
    #[test]
    fn a_commission_decision_records_each_members_vote_and_needs_its_quorum() {
        let set = ProfileSet::defaults().unwrap();
        let stage = &set.version_on(lv(), d("2025-01-01")).unwrap().procedure.final_stage;
        let vote = |seat: &str, vote: Vote| MemberVote { seat: seat.into(), member: format!("{seat} A"), vote };
        let three_for =
            [vote("social worker", Vote::For), vote("psychologist", Vote::For), vote("lawyer", Vote::Against)];
        assert!(stage.check_votes(OrganisationKind::Ngo, true, &three_for).is_ok());
        let e = stage.check_votes(OrganisationKind::Ngo, false, &three_for).unwrap_err();
        assert!(e.message.contains("2 for and 1 against") && e.message.contains("positive"), "{}", e.message);
        let e = stage.check_votes(OrganisationKind::Ngo, true, &three_for[..2]).unwrap_err();
        assert_eq!(e.field, "votes");
        assert!(e.message.contains("quorum is 3 of 4"), "{}", e.message);
        let twice = [vote("lawyer", Vote::For), vote("lawyer", Vote::For), vote("psychologist", Vote::For)];
        assert_eq!(stage.check_votes(OrganisationKind::Ngo, true, &twice).unwrap_err().field, "votes[1].seat");
        let stranger = [vote("judge", Vote::For), vote("lawyer", Vote::For), vote("psychologist", Vote::For)];
        assert_eq!(stage.check_votes(OrganisationKind::Ngo, true, &stranger).unwrap_err().field, "votes[0].seat");
        let tie =
            [vote("social worker", Vote::For), vote("psychologist", Vote::Against), vote("lawyer", Vote::Abstain)];
        assert!(stage.check_votes(OrganisationKind::Ngo, true, &tie).unwrap_err().message.contains("not decided"));
        // The police decide in criminal proceedings, without the commission: no votes.
        assert!(stage.check_votes(OrganisationKind::Police, true, &[]).is_ok());
        assert_eq!(stage.check_votes(OrganisationKind::Police, true, &three_for).unwrap_err().field, "votes");
        assert_eq!(StagePlace::Final, stage.place);
        let commission = stage.commission.as_ref().unwrap();
        assert_eq!(commission.seat_name("psychologist", crate::Language::Latvian), "psihologs");
        assert_eq!(commission.seat_name("psychologist", crate::Language::English), "psychologist");
    }

    #[test]
    fn procedures_that_break_a_legal_floor_are_refused_with_the_article() {
        let ok = profile("LV", true, &version(true, 30, 6));
        assert!(JurisdictionProfile::from_toml(&ok).is_ok());
        let no_assistance = ok.replacen("presumed = [\"assistance\", ", "presumed = [", 1);
        let e = JurisdictionProfile::from_toml(&no_assistance).unwrap_err();
        assert_eq!(e.field, "LV.versions[0].procedure.entitlements.presumed");
        assert!(e.message.contains("Dir 2011/36 Art 11(2)"), "{}", e.message);
        let no_protection = ok.replacen(", \\\n", ", ", 1).replacen("\"protection_from_removal\"]", "]", 1);
        if let Err(e) = JurisdictionProfile::from_toml(&no_protection) {
            assert!(e.message.contains("CETS 197 Art 10(2)") || e.message.contains("Art 11(2)"), "{}", e.message);
        }
        let unknown = ok.replace("procedure = \"p\"", "procedure = \"q\"");
        assert_eq!(JurisdictionProfile::from_toml(&unknown).unwrap_err().field, "LV.versions[0].procedure");
        let quorum = ok.replace(
            "roles = [\"decision_maker\"]\n",
            "roles = [\"decision_maker\"]\ncommission = { seats = [\"a\", \"b\"], quorum = 3 }\n",
        );
        assert_eq!(
            JurisdictionProfile::from_toml(&quorum).unwrap_err().field,
            "LV.procedures.p.stages[0].commission.quorum"
        );
        let first_decision = ok.replace("presumed_from = \"referral\"", "presumed_from = \"first_decision\"");
        assert_eq!(JurisdictionProfile::from_toml(&first_decision).unwrap_err().field, "LV.procedures.p.presumed_from");
        let no_english = ok.replace("name = { en = \"decision\" }", "name = { lv = \"lēmums\" }");
        assert_eq!(JurisdictionProfile::from_toml(&no_english).unwrap_err().field, "LV.procedures.p.stages[0].name.en");
    }

    /// CETS 197 Art 13(1): a Party grants at least 30 days; the floor is defined once.
    #[test]
    fn art_13_1_cets_a_party_grants_at_least_30_days_of_reflection() {
        let p = JurisdictionProfile::from_toml(&profile("LV", true, &version(true, 30, 6))).unwrap();
        assert_eq!(p.versions()[0].reflection_period_days, 30);
        let err = JurisdictionProfile::from_toml(&profile("LV", true, &version(true, 29, 6))).unwrap_err();
        assert_eq!(err.field, "LV.versions[0].reflection_period_days");
        assert!(err.message.contains(MIN_REFLECTION_DAYS_ARTICLE), "{}", err.message);
        // The same floor refuses the same number in the residence rules.
        let rules = crate::ident::residence::ReflectionRules::new(u32::from(MIN_REFLECTION_DAYS) - 1).unwrap_err();
        assert!(rules.message.contains(MIN_REFLECTION_DAYS_ARTICLE), "{}", rules.message);
        // Art 13(1) binds Parties only.
        let p = JurisdictionProfile::from_toml(&profile("US", false, &version(false, 29, 1))).unwrap();
        assert_eq!(p.versions()[0].reflection_period_days, 29);
    }

    /// Dir 2004/81 Art 8(3): the residence permit is valid for at least 6 months; defined once.
    #[test]
    fn art_8_3_dir_2004_81_six_month_permit_floor() {
        assert!(JurisdictionProfile::from_toml(&profile("LV", true, &version(true, 30, 6))).is_ok());
        let err = JurisdictionProfile::from_toml(&profile("LV", true, &version(true, 30, 5))).unwrap_err();
        assert_eq!(err.field, "LV.versions[0].residence_permit_min_months");
        assert!(err.message.contains(MIN_PERMIT_MONTHS_ARTICLE), "{}", err.message);
        let rules = crate::ident::residence::PermitRules::new(u32::from(MIN_PERMIT_MONTHS) - 1, true).unwrap_err();
        assert!(rules.message.contains(MIN_PERMIT_MONTHS_ARTICLE), "{}", rules.message);
        // Not bound by the Directive (Denmark opted out of it; it is still a Convention Party).
        assert!(JurisdictionProfile::from_toml(&profile("DK", false, &version(true, 30, 5))).is_ok());
    }

    #[test]
    fn versions_must_be_in_date_order() {
        let text = format!(
            "{}\n[[versions]]\n{}\nholidays = []\nsources = [\"x\"]\n",
            profile("LV", true, &version(true, 30, 6)),
            version(true, 30, 6)
        );
        let err = JurisdictionProfile::from_toml(&text).unwrap_err();
        assert_eq!(err.field, "LV.versions[1].valid_from");
        let later = text.replacen("valid_from = \"2020-01-01\"", "valid_from = \"2019-01-01\"", 1);
        let p = JurisdictionProfile::from_toml(&later).unwrap();
        assert_eq!(p.version_on(d("2019-06-01")).unwrap().valid_from, d("2019-01-01"));
        assert_eq!(p.version_on(d("2020-01-01")).unwrap().valid_from, d("2020-01-01"));
        assert_eq!(
            p.version_on(d("2018-12-31")).unwrap_err(),
            ProfileError::NoVersionInForce { country: lv(), date: d("2018-12-31"), first: d("2019-01-01") }
        );
    }

    #[test]
    fn profile_errors_name_their_field() {
        let base = profile("LV", true, &version(true, 30, 6));
        let bad_holiday = base.replace("[\"12-25\"]", "[\"12-25\", \"easter+x\"]");
        assert_eq!(JurisdictionProfile::from_toml(&bad_holiday).unwrap_err().field, "LV.versions[0].holidays[1]");
        let unknown = base.replace("due_soon_days = 2", "due_soon_days = 2\nrg_decision_working_days = 5");
        let err = JurisdictionProfile::from_toml(&unknown).unwrap_err();
        assert_eq!(err.field, "profile");
        assert!(err.message.contains("rg_decision_working_days"), "{}", err.message);
        let country = base.replace("\"LV\"", "\"XX\"");
        assert_eq!(JurisdictionProfile::from_toml(&country).unwrap_err().field, "country");
        let date = base.replace("2020-01-01", "2020-02-30");
        assert_eq!(JurisdictionProfile::from_toml(&date).unwrap_err().field, "LV.versions[0].valid_from");
        let no_sources = base.replace("sources = [\"test data, to check against national law\"]", "sources = [\" \"]");
        assert_eq!(JurisdictionProfile::from_toml(&no_sources).unwrap_err().field, "LV.versions[0].sources");
        let bad_kind = base.replace("[\"competent_authority\"]", "[\"ministry\"]");
        assert_eq!(
            JurisdictionProfile::from_toml(&bad_kind).unwrap_err().field,
            "LV.procedures.p.stages[0].organisation_kinds[0]"
        );
        let bad_count = base.replace("count = \"working\"", "count = \"weeks\"");
        assert_eq!(
            JurisdictionProfile::from_toml(&bad_count).unwrap_err().field,
            "LV.procedures.p.stages[0].deadline.count"
        );
    }

    #[test]
    fn an_operator_adds_or_replaces_a_country() {
        let set = ProfileSet::load(&[profile("FI", true, &version(true, 45, 6))]).unwrap();
        assert_eq!(set.version_on(cc("FI"), d("2024-01-01")).unwrap().reflection_period_days, 45);
        assert_eq!(set.countries().count(), 7);
        let set = ProfileSet::load(&[profile("LV", true, &version(true, 45, 6))]).unwrap();
        assert_eq!(set.get(lv()).unwrap().versions().len(), 1);
        assert_eq!(set.version_on(lv(), d("2025-01-01")).unwrap().procedure.id, "p");
        let twice = [profile("FI", true, &version(true, 30, 6)), profile("FI", true, &version(true, 30, 6))];
        assert_eq!(ProfileSet::load(&twice).unwrap_err().field, "extra[1]: country");
        let bad = [profile("FI", true, &version(true, 20, 6))];
        assert_eq!(ProfileSet::load(&bad).unwrap_err().field, "extra[0]: FI.versions[0].reflection_period_days");
    }

    /// Cases recorded before procedures were data keep the two-decision procedure they were
    /// decided under, in every country, whatever the profile now says.
    #[test]
    fn cases_recorded_before_procedures_were_data_keep_their_two_decision_procedure() {
        let set = ProfileSet::defaults().unwrap();
        let legacy = set.procedure(lv(), crate::ident::procedure::LEGACY_ID).unwrap();
        assert!(legacy.shape().two_stage);
        assert_eq!(legacy.shape(), crate::ident::procedure::Shape::LEGACY_TWO_STAGE);
        assert!(legacy.stages().all(|s| s.deadline.is_none()));
        assert!(set.procedure(lv(), "lv_commission").is_ok());
        assert_eq!(
            set.procedure(lv(), "uk_nrm").unwrap_err(),
            ProfileError::UnknownProcedure { country: lv(), id: "uk_nrm".into() }
        );
        assert_eq!(Entitlement::parse_code("e", "assistance").unwrap(), Entitlement::Assistance);
    }

    #[test]
    fn first_decision_due_across_a_weekend() {
        // Thursday 2025-10-09 + 5 working days: Fri 10, Mon 13, Tue 14, Wed 15, Thu 16.
        assert_eq!(lt_first_due("2025-10-09"), d("2025-10-16"));
        // Referred on a Saturday: the count starts on Monday.
        assert_eq!(lt_first_due("2025-10-11"), d("2025-10-17"));
    }

    #[test]
    fn first_decision_due_across_month_end_and_leap_day() {
        // Tuesday 2024-02-27: 28, 29 Feb, 1, 4, 5 Mar.
        assert_eq!(lt_first_due("2024-02-27"), d("2024-03-05"));
        // Not a leap year: Tuesday 2023-02-28 → 1, 2, 3, 6, 7 March.
        assert_eq!(lt_first_due("2023-02-28"), d("2023-03-07"));
        // Across Easter in Lithuania: Thursday 2025-04-17; Easter Monday 21 April is a holiday:
        // Fri 18, Tue 22, Wed 23, Thu 24, Fri 25.
        assert_eq!(lt_first_due("2025-04-17"), d("2025-04-25"));
    }

    /// Regulation 1182/71 Art 3(1) and CETS 197 Art 13(1): the 30 days follow the decision day,
    /// which does not count; the final-decision target of the UK profile follows the first
    /// decision by 30 calendar days.
    #[test]
    fn art_3_1_reg_1182_71_the_reflection_period_starts_the_day_after_the_presumption() {
        let first = ClockInputs {
            status: NrmStatus::PresumedVictim,
            first_decided_on: Some(d("2025-01-20")),
            presumed_since: Some(d("2025-01-20")),
            ..inputs("2025-01-15")
        };
        let c = clocks("GB", first);
        let period = c.reflection.unwrap();
        assert_eq!((period.start, period.end), (d("2025-01-21"), d("2025-02-19")));
        assert_eq!(period.days(), 30);
        assert!(!period.contains(d("2025-01-20")) && period.contains(d("2025-02-19")));
        assert_eq!(c.final_decision, Some(Deadline { due: d("2025-02-19"), done_on: None }));
        assert_eq!(c.first_decision.unwrap().done_on, Some(d("2025-01-20")));
        // Across the leap day: 2024-02-15 + 30 days = 2024-03-16.
        let leap = ClockInputs { presumed_since: Some(d("2024-02-15")), ..inputs("2024-02-12") };
        assert_eq!(clocks("LV", leap).reflection.unwrap().end, d("2024-03-16"));
    }

    #[test]
    fn clocks_follow_the_procedure() {
        // Latvia: one decision, no deadline in the profile; the reflection period follows the
        // referral, since the referred person is presumed from it.
        let lv_case = ClockInputs { presumed_since: Some(d("2025-01-15")), ..inputs("2025-01-15") };
        let c = clocks("LV", lv_case);
        assert_eq!((c.first_decision, c.final_decision), (None, None));
        assert_eq!(c.reflection.unwrap().start, d("2025-01-16"));
        // The UK: before the first decision, only its clock runs; no presumption yet.
        let c = clocks("GB", inputs("2025-10-09"));
        assert_eq!(c.first_decision.unwrap().due, d("2025-10-16"));
        assert_eq!((c.reflection, c.final_decision), (None, None));
        // After a negative first decision the final clock does not run.
        let negative = ClockInputs {
            status: NrmStatus::NegativeFirstDecision,
            first_decided_on: Some(d("2025-10-10")),
            ..inputs("2025-10-09")
        };
        assert_eq!(clocks("GB", negative).final_decision, None);
    }

    #[test]
    fn guardian_alert_for_a_child_without_guardian() {
        let child = clocks("LV", ClockInputs { child: true, ..inputs("2025-12-30") });
        assert_eq!(child.guardian_alert, Some(Deadline { due: d("2026-01-02"), done_on: None }));
        let with_guardian = clocks("LV", ClockInputs { child: true, guardian_appointed: true, ..inputs("2025-12-30") });
        assert_eq!(with_guardian.guardian_alert, None);
        assert_eq!(clocks("LV", inputs("2025-12-30")).guardian_alert, None);
    }

    #[test]
    fn inconsistent_dates_are_refused() {
        let set = ProfileSet::defaults().unwrap();
        let v = set.version_on(cc("GB"), d("2025-01-15")).unwrap();
        let compute = |i| Clocks::compute(v, &v.procedure, v.calendar(), i);
        assert_eq!(
            compute(ClockInputs { first_decided_on: Some(d("2025-01-14")), ..inputs("2025-01-15") }),
            Err(ClockError::FirstDecisionBeforeReferral { referred_on: d("2025-01-15"), decided_on: d("2025-01-14") })
        );
        assert_eq!(
            compute(ClockInputs {
                first_decided_on: Some(d("2025-01-20")),
                final_decided_on: Some(d("2025-01-19")),
                ..inputs("2025-01-15")
            }),
            Err(ClockError::FinalBeforeFirst { first_decided_on: d("2025-01-20"), final_decided_on: d("2025-01-19") })
        );
        assert_eq!(compute(inputs("2100-12-28")), Err(ClockError::OutOfRange { clock: "decision deadline" }));
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
        // 2016-01-01 ..= 2090-12-31, inside every embedded profile's range.
        (16_801i64..=44_195).prop_map(|n| CalendarDate::from_days(n).unwrap())
    }

    proptest! {
        #[test]
        fn first_decision_due_is_a_working_day_exactly_n_working_days_on(referred in any_date()) {
            let set = ProfileSet::defaults().unwrap();
            let v = set.version_on(cc("LT"), referred).unwrap();
            let due = clocks("LT", inputs(&referred.to_string())).first_decision.unwrap().due;
            prop_assert!(v.calendar().is_working_day(due));
            let days = v.procedure.first.as_ref().and_then(|s| s.deadline).unwrap().days;
            prop_assert_eq!(v.calendar().working_days_between(referred, due), i64::from(days));
        }

        // CETS 197 Art 13(1): whatever the profile, the period lasts its full length, after the event.
        #[test]
        fn reflection_period_has_its_configured_length(referred in any_date(), wait in 0i64..30, c in 0usize..6) {
            let country = ["EE", "GB", "LT", "LV", "NL", "RO"][c];
            let set = ProfileSet::defaults().unwrap();
            let v = set.version_on(cc(country), referred).unwrap();
            let event = referred.add_days(wait).unwrap();
            let input = ClockInputs { presumed_since: Some(event), ..inputs(&referred.to_string()) };
            let period = clocks(country, input).reflection.unwrap();
            prop_assert_eq!(period.days(), i64::from(v.reflection_period_days));
            prop_assert_eq!(period.start, event.add_days(1).unwrap());
            prop_assert!(period.days() >= i64::from(MIN_REFLECTION_DAYS));
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
