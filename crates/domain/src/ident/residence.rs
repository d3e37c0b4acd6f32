//! Residence and protection from removal of third-country nationals who are victims of
//! trafficking (Council Directive 2004/81/EC; CETS 197 Arts 10, 13, 14), and
//! the non-punishment principle (Dir 2011/36 Art 8; Convention Art 26).
//!
//! Dates are inclusive: a reflection period or a permit "until" a date still covers that day.

use crate::{
    Coded, Message, MessageId, ParseError,
    case::CalendarDate,
    coded_enum,
    ident::status::{CaseStatus, NrmStatus},
    text::parse_line,
};
use serde::{Deserialize, Serialize};

use crate::ident::calendar::DaysPeriod;
use crate::ident::floors::{
    MIN_PERMIT_MONTHS, MIN_PERMIT_MONTHS_ARTICLE, MIN_REFLECTION_DAYS, MIN_REFLECTION_DAYS_ARTICLE,
};

fn optional_date(field: &str, value: &str) -> Result<Option<CalendarDate>, ParseError> {
    match value.trim() {
        "" => Ok(None),
        v => CalendarDate::parse(field, v).map(Some),
    }
}

/// A yes/no form value. An empty value is `empty` when given, an error otherwise.
fn parse_flag(field: &str, value: &str, empty: Option<bool>) -> Result<bool, ParseError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        "" => empty.ok_or_else(|| ParseError::yes_or_no(field)),
        other => Err(ParseError::not_yes_or_no(field, other)),
    }
}

// ---------------------------------------------------------------------------------------------
// Recovery and reflection period
// ---------------------------------------------------------------------------------------------

/// The national length of the reflection period. Dir 2004/81 Art 6(1) leaves it to
/// national law; the Convention (Art 13(1)) sets a floor of 30 days, which binds every EU Member
/// State.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReflectionRules {
    min_days: u32,
}

impl Default for ReflectionRules {
    fn default() -> Self {
        Self { min_days: u32::from(MIN_REFLECTION_DAYS) }
    }
}

impl ReflectionRules {
    /// The national minimum length in days; below 30 is refused (Convention Art 13(1)).
    pub fn new(min_days: u32) -> Result<Self, ParseError> {
        if min_days < u32::from(MIN_REFLECTION_DAYS) {
            return Err(ParseError::new(
                "reflection_min_days",
                format!(
                    "the reflection period lasts at least {MIN_REFLECTION_DAYS} days ({MIN_REFLECTION_DAYS_ARTICLE})"
                ),
            ));
        }
        Ok(Self { min_days })
    }

    pub fn min_days(self) -> u32 {
        self.min_days
    }
}

coded_enum! {
    /// The grounds on which a reflection period may be ended early.
    pub enum ReflectionTermination {
        /// Public order, public policy or national security.
        PublicOrder => "public_order",
        /// Victim status is being claimed improperly.
        ImproperClaim => "improper_claim",
        /// The person has actively, voluntarily and on their own initiative renewed contact with
        /// the suspected perpetrators.
        RenewedContact => "renewed_contact",
    }
}

impl ReflectionTermination {
    /// The provision that allows termination on this ground.
    pub fn article(self) -> &'static str {
        match self {
            Self::PublicOrder => "CETS 197 Art 13(3); Dir 2004/81 Art 6(4)",
            Self::ImproperClaim => "CETS 197 Art 13(3)",
            Self::RenewedContact => "Dir 2004/81 Art 6(4)",
        }
    }

    /// CETS 197 Art 13(3): the Convention's recovery and reflection period can be ended only on
    /// grounds of public order or because victim status is being claimed improperly.
    pub fn ends_cets_period(self) -> bool {
        matches!(self, Self::PublicOrder | Self::ImproperClaim)
    }

    /// Dir 2004/81 Art 6(4): the reflection period of the residence-permit route (third-country
    /// nationals) can also be ended when the person has renewed contact with the suspected
    /// perpetrators. Ending it leaves the Convention's period running.
    pub fn ends_dir_2004_81_period(self) -> bool {
        matches!(self, Self::PublicOrder | Self::RenewedContact)
    }
}

/// Why renewed contact does not end the Convention's period, in words.
pub const RENEWED_CONTACT_ONLY_DIR_2004_81: &str = "renewed contact with the suspected perpetrators ends only the \
     reflection period of the residence-permit route (Dir 2004/81 Art 6(4)); the Convention's period ends only on \
     public order or an improperly claimed victim status (CETS 197 Art 13(3))";

/// A recovery and reflection period: no expulsion order may be enforced while it runs
/// (Convention Art 13(1); Dir 2004/81 Art 6(2)). `end` is its last day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReflectionPeriod {
    pub start: CalendarDate,
    pub end: CalendarDate,
    /// The day from which the period no longer runs, when ended early.
    pub terminated_on: Option<CalendarDate>,
    pub termination_ground: Option<ReflectionTermination>,
}

impl ReflectionPeriod {
    /// Parses a period from form fields; `terminated_on` and `termination_ground` are empty or
    /// both given.
    pub fn parse(
        start: &str,
        end: &str,
        terminated_on: &str,
        termination_ground: &str,
        rules: &ReflectionRules,
    ) -> Result<Self, ParseError> {
        let start = CalendarDate::parse("start", start)?;
        let end = CalendarDate::parse("end", end)?;
        let terminated_on = optional_date("terminated_on", terminated_on)?;
        let termination_ground = match termination_ground.trim() {
            "" => None,
            g => Some(ReflectionTermination::parse_code("termination_ground", g)?),
        };
        if termination_ground.is_some_and(|g| !g.ends_cets_period()) {
            return Err(ParseError::said(
                "termination_ground",
                RENEWED_CONTACT_ONLY_DIR_2004_81,
                Message::new(MessageId::RenewedContactOnlyPermitRoute),
            ));
        }
        if end < start {
            return Err(ParseError::said(
                "end",
                format!("must not be before the start ({start})"),
                Message::new(MessageId::NotBeforeStartOn).with("start", start),
            ));
        }
        let length = start.days_until(end) + 1;
        if length < i64::from(rules.min_days) {
            return Err(ParseError::said(
                "end",
                format!(
                    "the reflection period must last at least {} days (CETS 197 Art 13(1)); \
                     from {start} to {end} is {length} days",
                    rules.min_days
                ),
                Message::new(MessageId::ReflectionTooShort)
                    .with("min", rules.min_days)
                    .with("start", start)
                    .with("end", end)
                    .with("length", length),
            ));
        }
        match (terminated_on, termination_ground) {
            (None, None) => {}
            (Some(_), None) => {
                return Err(ParseError::said(
                    "termination_ground",
                    "an early end needs its ground: public_order or improper_claim (CETS 197 Art 13(3))",
                    Message::new(MessageId::EarlyEndNeedsGround),
                ));
            }
            (None, Some(_)) => {
                return Err(ParseError::said(
                    "terminated_on",
                    "a termination ground needs the date it took effect",
                    Message::new(MessageId::GroundNeedsDate),
                ));
            }
            (Some(on), Some(_)) => {
                if on < start || on > end {
                    return Err(ParseError::said(
                        "terminated_on",
                        format!("an early end must fall within the period ({start} to {end})"),
                        Message::new(MessageId::EarlyEndWithinPeriod).with("start", start).with("end", end),
                    ));
                }
            }
        }
        Ok(Self { start, end, terminated_on, termination_ground })
    }

    /// The period of the rules' length that follows `event` (the presumption): it starts on the
    /// day after it (Regulation 1182/71 Art 3(1)); `None` past the calendar's end.
    pub fn following(event: CalendarDate, rules: &ReflectionRules) -> Option<Self> {
        let DaysPeriod { start, end } = DaysPeriod::after(event, rules.min_days)?;
        Some(Self { start, end, terminated_on: None, termination_ground: None })
    }

    /// The period due to a case: following the event that raised the presumption (CETS 197
    /// Art 13(1)).
    pub fn for_case(status: &CaseStatus, rules: &ReflectionRules) -> Option<Self> {
        Self::following(status.reflection_from()?, rules)
    }

    /// Whether the period runs on `on`: started, not past its end, not terminated.
    pub fn is_running(&self, on: CalendarDate) -> bool {
        self.start <= on && on <= self.end && self.terminated_on.is_none_or(|t| on < t)
    }
}

// ---------------------------------------------------------------------------------------------
// Residence permits
// ---------------------------------------------------------------------------------------------

coded_enum! {
    /// Why a residence permit is sought (Convention Art 14(1)-(2)).
    pub enum PermitGround {
        /// The stay is necessary owing to the person's personal situation (Art 14(1)(a)).
        PersonalSituation => "personal_situation",
        /// The stay is necessary for cooperation with the authorities in an investigation or
        /// proceedings (Art 14(1)(b); Dir 2004/81 Art 8).
        Cooperation => "cooperation",
        /// Both of the above.
        Both => "both",
        /// A child victim: the permit is issued in the child's best interests (Art 14(2)).
        ChildBestInterests => "child_best_interests",
    }
}

impl PermitGround {
    pub fn article(self) -> &'static str {
        match self {
            Self::PersonalSituation => "CETS 197 Art 14(1)(a)",
            Self::Cooperation => "CETS 197 Art 14(1)(b); Dir 2004/81 Art 8",
            Self::Both => "CETS 197 Art 14(1)(a)-(b); Dir 2004/81 Art 8",
            Self::ChildBestInterests => "CETS 197 Art 14(2)",
        }
    }

    /// Permits for cooperating victims are the ones Directive 2004/81/EC governs.
    pub fn under_directive_2004_81(self) -> bool {
        matches!(self, Self::Cooperation | Self::Both)
    }
}

/// The national rules on permit validity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PermitRules {
    min_months: u32,
    directive_2004_81_applies: bool,
}

impl Default for PermitRules {
    /// Six months, and the Directive applies (every Member State except Denmark and Ireland).
    fn default() -> Self {
        Self { min_months: u32::from(MIN_PERMIT_MONTHS), directive_2004_81_applies: true }
    }
}

impl PermitRules {
    /// `min_months`: the shortest validity of a permit under Directive 2004/81/EC; below 6 is
    /// refused (Art 8(3)). `directive_2004_81_applies`: false where the state is not bound by it.
    pub fn new(min_months: u32, directive_2004_81_applies: bool) -> Result<Self, ParseError> {
        if min_months < u32::from(MIN_PERMIT_MONTHS) {
            return Err(ParseError::new(
                "permit_min_months",
                format!(
                    "a permit for a cooperating victim is valid at least {MIN_PERMIT_MONTHS} months ({MIN_PERMIT_MONTHS_ARTICLE})"
                ),
            ));
        }
        Ok(Self { min_months, directive_2004_81_applies })
    }

    pub fn min_months(self) -> u32 {
        self.min_months
    }

    pub fn directive_2004_81_applies(self) -> bool {
        self.directive_2004_81_applies
    }
}

/// An application for a residence permit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidencePermitApplication {
    pub applied_on: CalendarDate,
    pub ground: PermitGround,
}

impl ResidencePermitApplication {
    pub fn parse(applied_on: &str, ground: &str) -> Result<Self, ParseError> {
        Ok(Self {
            applied_on: CalendarDate::parse("applied_on", applied_on)?,
            ground: PermitGround::parse_code("ground", ground)?,
        })
    }
}

/// The decision on a residence permit application. A granted permit has both validity dates
/// (inclusive); a refused one has neither.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidencePermitDecision {
    /// The ground of the application decided.
    pub ground: PermitGround,
    pub decided_on: CalendarDate,
    pub granted: bool,
    pub valid_from: Option<CalendarDate>,
    pub valid_until: Option<CalendarDate>,
    /// The stored identifier of the permit decision this one renews.
    pub renewal_of: Option<uuid::Uuid>,
}

impl ResidencePermitDecision {
    /// Parses a decision on `application` from form fields. `granted` is yes/no; the validity
    /// dates are given for a granted permit only; `renewal_of` may be empty.
    pub fn parse(
        application: &ResidencePermitApplication,
        decided_on: &str,
        granted: &str,
        valid_from: &str,
        valid_until: &str,
        renewal_of: &str,
        rules: &PermitRules,
    ) -> Result<Self, ParseError> {
        let decided_on = CalendarDate::parse("decided_on", decided_on)?;
        if decided_on < application.applied_on {
            return Err(ParseError::said(
                "decided_on",
                format!("the decision cannot come before the application of {}", application.applied_on),
                Message::new(MessageId::PermitDecisionBeforeApplication).with("date", application.applied_on),
            ));
        }
        let granted = parse_flag("granted", granted, None)?;
        let renewal_of = match renewal_of.trim() {
            "" => None,
            r => Some(uuid::Uuid::parse_str(r).map_err(|_| {
                ParseError::said(
                    "renewal_of",
                    format!("{r:?} is not a permit identifier"),
                    Message::new(MessageId::NotAPermitIdentifier).with("value", r),
                )
            })?),
        };
        let valid_from = optional_date("valid_from", valid_from)?;
        let valid_until = optional_date("valid_until", valid_until)?;
        if !granted {
            if valid_from.is_some() {
                return Err(ParseError::said(
                    "valid_from",
                    "a refused permit has no validity dates",
                    Message::new(MessageId::RefusedPermitNoValidity),
                ));
            }
            if valid_until.is_some() {
                return Err(ParseError::said(
                    "valid_until",
                    "a refused permit has no validity dates",
                    Message::new(MessageId::RefusedPermitNoValidity),
                ));
            }
            return Ok(Self { ground: application.ground, decided_on, granted, valid_from, valid_until, renewal_of });
        }
        let from = valid_from.ok_or_else(|| {
            ParseError::said(
                "valid_from",
                "a granted permit needs its first day",
                Message::new(MessageId::GrantedPermitFirstDay),
            )
        })?;
        let until = valid_until.ok_or_else(|| {
            ParseError::said(
                "valid_until",
                "a granted permit needs its last day",
                Message::new(MessageId::GrantedPermitLastDay),
            )
        })?;
        if until <= from {
            return Err(ParseError::said(
                "valid_until",
                format!("must be after the first day of validity ({from})"),
                Message::new(MessageId::AfterFirstDayOfValidity).with("from", from),
            ));
        }
        if rules.directive_2004_81_applies && application.ground.under_directive_2004_81() {
            // Valid at least N months: the day after the last day is N months after the first.
            let min_end = from.add_months(rules.min_months).and_then(|d| d.add_days(-1)).ok_or_else(|| {
                ParseError::said(
                    "valid_from",
                    "is too late for a permit of the minimum length",
                    Message::new(MessageId::TooLateForMinimumPermit),
                )
            })?;
            if until < min_end {
                return Err(ParseError::said(
                    "valid_until",
                    format!(
                        "a permit for a cooperating victim is valid at least {} months (Dir 2004/81 \
                         Art 8(3)): from {from} it runs at least until {min_end}",
                        rules.min_months
                    ),
                    Message::new(MessageId::PermitTooShort)
                        .with("months", rules.min_months)
                        .with("from", from)
                        .with("until", min_end),
                ));
            }
        }
        Ok(Self { ground: application.ground, decided_on, granted, valid_from, valid_until, renewal_of })
    }

    /// Checks this decision against the permit it says it renews: only a granted permit can be
    /// renewed, and the renewal starts after the renewed permit starts.
    pub fn check_renewal(&self, renewed: &ResidencePermitDecision) -> Result<(), ParseError> {
        if !renewed.granted {
            return Err(ParseError::said(
                "renewal_of",
                "a refused permit cannot be renewed",
                Message::new(MessageId::RefusedPermitNotRenewed),
            ));
        }
        if let (Some(from), Some(renewed_from)) = (self.valid_from, renewed.valid_from)
            && from <= renewed_from
        {
            return Err(ParseError::said(
                "valid_from",
                format!("a renewal starts after the renewed permit's first day ({renewed_from})"),
                Message::new(MessageId::RenewalAfterFirstDay).with("date", renewed_from),
            ));
        }
        Ok(())
    }

    /// Whether the permit is granted and valid on `on`.
    pub fn is_valid_on(&self, on: CalendarDate) -> bool {
        match (self.granted, self.valid_from, self.valid_until) {
            (true, Some(from), Some(until)) => from <= on && on <= until,
            _ => false,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// International protection (asylum)
// ---------------------------------------------------------------------------------------------

coded_enum! {
    /// Where an application for international protection stands.
    pub enum ProtectionOutcome {
        Pending => "pending",
        /// Refugee status granted.
        Refugee => "refugee",
        /// Subsidiary protection granted.
        Subsidiary => "subsidiary",
        Refused => "refused",
        Withdrawn => "withdrawn",
    }
}

/// An application for international protection. A residence permit for victims is without
/// prejudice to the right to seek asylum (Convention Art 14(5)); Dir 2011/36 Art 11(6)
/// requires information on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InternationalProtectionApplication {
    pub applied_on: CalendarDate,
    pub outcome: ProtectionOutcome,
    /// Given once the outcome is not `pending`.
    pub decided_on: Option<CalendarDate>,
}

impl InternationalProtectionApplication {
    pub fn parse(applied_on: &str, outcome: &str, decided_on: &str) -> Result<Self, ParseError> {
        let applied_on = CalendarDate::parse("applied_on", applied_on)?;
        let outcome = ProtectionOutcome::parse_code("outcome", outcome)?;
        let decided_on = optional_date("decided_on", decided_on)?;
        match (outcome, decided_on) {
            (ProtectionOutcome::Pending, Some(_)) => Err(ParseError::said(
                "decided_on",
                "a pending application has no decision date",
                Message::new(MessageId::PendingNoDecisionDate),
            )),
            (ProtectionOutcome::Pending, None) => Ok(Self { applied_on, outcome, decided_on }),
            (_, None) => Err(ParseError::said(
                "decided_on",
                "the date of the outcome is needed",
                Message::new(MessageId::OutcomeNeedsDate),
            )),
            (_, Some(on)) if on < applied_on => Err(ParseError::said(
                "decided_on",
                format!("the outcome cannot come before the application of {applied_on}"),
                Message::new(MessageId::OutcomeBeforeApplication).with("date", applied_on),
            )),
            (_, Some(_)) => Ok(Self { applied_on, outcome, decided_on }),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Protection from removal
// ---------------------------------------------------------------------------------------------

/// One legal reason, with the provision it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegalReason {
    pub article: &'static str,
    /// In English, for the API.
    pub text: String,
    /// The same as a message of the translations, for the case page.
    #[serde(skip)]
    pub message: Message,
}

/// Whether an expulsion order may be enforced on a given day, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovalProtection {
    pub on: CalendarDate,
    /// No expulsion order may be enforced on `on`.
    pub no_expulsion: bool,
    /// Every ground that stops removal; empty when `no_expulsion` is false.
    pub reasons: Vec<LegalReason>,
}

impl RemovalProtection {
    /// [`RemovalProtection::summary`] as a message of the translations, for the case page.
    pub fn message(&self) -> Message {
        if self.no_expulsion {
            let grounds = self
                .reasons
                .iter()
                .map(|r| {
                    Message::new(MessageId::RemovalGround)
                        .messages("ground", vec![r.message.clone()])
                        .with("article", r.article)
                })
                .collect();
            Message::new(MessageId::RemovalNoExpulsion).with("on", self.on).messages("grounds", grounds)
        } else {
            Message::new(MessageId::RemovalNoGround).with("on", self.on)
        }
    }

    /// One plain sentence (or two), in English for the API.
    pub fn summary(&self) -> String {
        if self.no_expulsion {
            let grounds: Vec<String> = self.reasons.iter().map(|r| format!("{} ({})", r.text, r.article)).collect();
            format!("No expulsion order may be enforced on {}: {}.", self.on, grounds.join("; "))
        } else {
            format!(
                "On {} none of the trafficking grounds that stop removal applies (reflection period, presumed \
                 victim awaiting identification, valid residence permit). Other grounds, such as a pending \
                 application for international protection, are not assessed here.",
                self.on
            )
        }
    }
}

/// Whether an expulsion order may be enforced on `on`. It may not:
/// - while a reflection period runs (Convention Art 13(1); Dir 2004/81 Art 6(2));
/// - while the person is a presumed victim and identification is not complete (Convention Art 10(2));
/// - while a residence permit is valid (Convention Art 14; Dir 2004/81 Art 8).
///
/// `status` is the case's current NRM status; `on` dates the reflection period and the permits.
pub fn removal_protection(
    on: CalendarDate,
    status: &CaseStatus,
    reflection: Option<&ReflectionPeriod>,
    permits: &[ResidencePermitDecision],
) -> RemovalProtection {
    let mut reasons = Vec::new();
    if let Some(period) = reflection.filter(|p| p.is_running(on)) {
        reasons.push(LegalReason {
            article: "CETS 197 Art 13(1); Dir 2004/81 Art 6(2)",
            text: format!("the recovery and reflection period runs from {} to {}", period.start, period.end),
            message: Message::new(MessageId::RemovalReflectionPeriod)
                .with("start", period.start)
                .with("end", period.end),
        });
    }
    // CETS 197 Art 10(2): no removal while identification runs, from the reasonable-grounds
    // indication the referral is (Dir 2011/36 Art 11(2)) or the positive first decision.
    if status.identification_running() {
        let since = status.first_decided_on().unwrap_or(status.referred_on());
        let since = format!(" since {since}");
        reasons.push(LegalReason {
            article: "CETS 197 Art 10(2)",
            text: format!(
                "there are reasonable grounds to believe the person is a victim{since}, and identification is not \
                 complete"
            ),
            message: Message::new(MessageId::RemovalPresumedVictim)
                .with("since", status.first_decided_on().unwrap_or(status.referred_on())),
        });
    }
    for permit in permits.iter().filter(|p| p.is_valid_on(on)) {
        if let (Some(from), Some(until)) = (permit.valid_from, permit.valid_until) {
            reasons.push(LegalReason {
                article: permit.ground.article(),
                text: format!("a residence permit ({}) is valid from {from} to {until}", permit.ground),
                message: Message::new(MessageId::RemovalPermit)
                    .labels("ground", "permit-ground", [permit.ground.code()])
                    .with("from", from)
                    .with("until", until),
            });
        }
    }
    RemovalProtection { on, no_expulsion: !reasons.is_empty(), reasons }
}

// ---------------------------------------------------------------------------------------------
// Non-punishment
// ---------------------------------------------------------------------------------------------

/// The provisions behind the non-punishment notice.
pub const NON_PUNISHMENT_ARTICLES: [&str; 2] = ["Dir 2011/36 Art 8", "CETS 197 Art 26"];

/// A criminal or administrative matter against the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriminalMatter {
    pub offence: String,
    /// The police, prosecution, court or administrative authority dealing with it.
    pub authority: String,
    /// The authority's reference; empty when not known.
    pub reference: String,
    pub recorded_on: CalendarDate,
    /// Committed as a direct consequence of being trafficked (compelled to commit it).
    pub compelled: bool,
}

impl CriminalMatter {
    /// Parses a matter from form fields. `reference` may be empty; `compelled` is a yes/no
    /// checkbox, empty meaning no.
    pub fn parse(
        offence: &str,
        authority: &str,
        reference: &str,
        recorded_on: &str,
        compelled: &str,
    ) -> Result<Self, ParseError> {
        Ok(Self {
            offence: parse_line("offence", offence, 300)?,
            authority: parse_line("authority", authority, 200)?,
            reference: if reference.trim().is_empty() {
                String::new()
            } else {
                parse_line("reference", reference, 100)?
            },
            recorded_on: CalendarDate::parse("recorded_on", recorded_on)?,
            compelled: parse_flag("compelled", compelled, Some(false))?,
        })
    }
}

/// A notice for the authorities that the non-punishment provisions may apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NonPunishmentNotice {
    /// The matters recorded as compelled.
    pub matters: Vec<CriminalMatter>,
    pub text: String,
    pub articles: [&'static str; 2],
}

/// The non-punishment notice, when the person is a presumed or identified victim and at least one
/// matter was recorded as committed as a direct consequence of being trafficked.
pub fn non_punishment_notice(status: &CaseStatus, matters: &[CriminalMatter]) -> Option<NonPunishmentNotice> {
    if !status.is_victim_for_protection() {
        return None;
    }
    let compelled: Vec<CriminalMatter> = matters.iter().filter(|m| m.compelled).cloned().collect();
    if compelled.is_empty() {
        return None;
    }
    let standing = match (status.status(), status.final_decided_on(), status.first_decided_on()) {
        (NrmStatus::IdentifiedVictim, Some(on), _) => {
            format!("is an identified victim of trafficking in human beings (final decision of {on})")
        }
        (_, _, Some(on)) => {
            format!("is a presumed victim of trafficking in human beings (first decision of {on})")
        }
        _ => "is a presumed victim of trafficking in human beings".to_owned(),
    };
    let listed: Vec<String> = compelled
        .iter()
        .map(|m| {
            let reference = if m.reference.is_empty() { String::new() } else { format!(", reference {}", m.reference) };
            format!("{} ({}{reference})", m.offence, m.authority)
        })
        .collect();
    let text = format!(
        "The person {standing}. The following matters are recorded as committed as a direct consequence of being \
         trafficked: {}. Under Dir 2011/36 Art 8 the competent authorities are entitled not to prosecute \
         victims, or not to impose penalties on them, for criminal activities they were compelled to commit as a \
         direct consequence of being trafficked; CETS 197 Art 26 provides for the possibility of \
         not imposing penalties on victims for their involvement in unlawful activities to the extent that they were \
         compelled to do so. The authority dealing with each matter should be told, so that it can consider these \
         provisions.",
        listed.join("; ")
    );
    Some(NonPunishmentNotice { matters: compelled, text, articles: NON_PUNISHMENT_ARTICLES })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::status::{Decision, DecisionKind, fold};
    use crate::text::Narrative;

    fn date(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn case(kinds: &[DecisionKind]) -> CaseStatus {
        let decisions: Vec<Decision> = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let n = u32::try_from(i).unwrap() + 1;
                Decision::new(n, *k, date("2024-03-01").add_days(10 * i64::from(n)).unwrap())
                    .with_reasons(Narrative::parse("reasons", "See the interview record.").unwrap())
            })
            .collect();
        fold(date("2024-03-01"), crate::ident::procedure::Shape::LEGACY_TWO_STAGE, &decisions).unwrap()
    }

    fn presumed() -> CaseStatus {
        // Positive RG on 2024-03-11.
        case(&[DecisionKind::FirstPositive])
    }

    fn identified() -> CaseStatus {
        case(&[DecisionKind::FirstPositive, DecisionKind::FinalPositive])
    }

    fn not_a_victim() -> CaseStatus {
        case(&[DecisionKind::FirstPositive, DecisionKind::FinalNegative])
    }

    fn cooperation() -> ResidencePermitApplication {
        ResidencePermitApplication::parse("2024-04-01", "cooperation").unwrap()
    }

    fn permit(application: &ResidencePermitApplication, from: &str, until: &str) -> ResidencePermitDecision {
        ResidencePermitDecision::parse(application, "2024-04-20", "yes", from, until, "", &PermitRules::default())
            .unwrap()
    }

    // --- Reflection period ---

    /// Convention Art 13(1): at least 30 days; national law may set more (Dir 2004/81 Art 6(1)).
    #[test]
    fn art_13_1_cets_reflection_period_lasts_at_least_30_days() {
        let rules = ReflectionRules::default();
        assert_eq!(rules.min_days(), 30);
        assert!(ReflectionPeriod::parse("2024-03-11", "2024-04-09", "", "", &rules).is_ok());
        let e = ReflectionPeriod::parse("2024-03-11", "2024-04-08", "", "", &rules).unwrap_err();
        assert_eq!(e.field, "end");
        assert!(e.message.contains("Art 13(1)") && e.message.contains("is 29 days"), "{}", e.message);
        assert_eq!(ReflectionRules::new(29).unwrap_err().field, "reflection_min_days");
        let longer = ReflectionRules::new(90).unwrap();
        assert!(ReflectionPeriod::parse("2024-03-11", "2024-04-09", "", "", &longer).is_err());
    }

    #[test]
    fn art_13_1_cets_reflection_period_starts_with_reasonable_grounds() {
        let rules = ReflectionRules::default();
        let period = ReflectionPeriod::for_case(&presumed(), &rules).unwrap();
        // Regulation 1182/71 Art 3(1): the 30 days follow the decision of 11 March.
        assert_eq!((period.start, period.end), (date("2024-03-12"), date("2024-04-10")));
        assert_eq!(ReflectionPeriod::for_case(&case(&[]), &rules), None);
    }

    /// CETS 197 Art 13(3): the Convention's period ends early only on public order or an improperly
    /// claimed victim status; renewed contact with the traffickers is a ground of Dir 2004/81
    /// Art 6(4) (the residence-permit route) and must not end it.
    #[test]
    fn art_13_3_cets_reflection_period_ends_only_on_public_order_or_improper_claim() {
        let rules = ReflectionRules::default();
        let e =
            ReflectionPeriod::parse("2024-03-11", "2024-04-09", "2024-03-20", "renewed_contact", &rules).unwrap_err();
        assert_eq!(e.field, "termination_ground");
        assert!(
            e.message.contains("Dir 2004/81 Art 6(4)") && e.message.contains("CETS 197 Art 13(3)"),
            "{}",
            e.message
        );
        for ground in ["public_order", "improper_claim"] {
            let p = ReflectionPeriod::parse("2024-03-11", "2024-04-09", "2024-03-20", ground, &rules).unwrap();
            assert!(!p.is_running(date("2024-03-20")) && p.is_running(date("2024-03-19")), "{ground}");
        }
        assert!(ReflectionTermination::PublicOrder.ends_cets_period());
        assert!(ReflectionTermination::ImproperClaim.ends_cets_period());
        assert!(!ReflectionTermination::RenewedContact.ends_cets_period());
        assert!(ReflectionTermination::ImproperClaim.article().contains("CETS 197 Art 13(3)"));
    }

    /// Dir 2004/81 Art 6(4): the residence-permit route's reflection period may end on renewed
    /// contact or public order.
    #[test]
    fn art_6_4_dir_2004_81_renewed_contact_ends_only_the_permit_route_period() {
        assert!(ReflectionTermination::RenewedContact.ends_dir_2004_81_period());
        assert!(ReflectionTermination::PublicOrder.ends_dir_2004_81_period());
        assert_eq!(ReflectionTermination::RenewedContact.article(), "Dir 2004/81 Art 6(4)");
    }

    #[test]
    fn termination_fields_are_checked() {
        let rules = ReflectionRules::default();
        let fields = |t: &str, g: &str| ReflectionPeriod::parse("2024-03-11", "2024-04-09", t, g, &rules).unwrap_err();
        assert_eq!(fields("2024-03-20", "").field, "termination_ground");
        assert_eq!(fields("", "public_order").field, "terminated_on");
        assert_eq!(fields("2024-03-20", "cooperation_refused").field, "termination_ground");
        assert_eq!(fields("2024-05-01", "public_order").field, "terminated_on");
        assert_eq!(fields("2024-03-10", "public_order").field, "terminated_on");
        assert_eq!(ReflectionPeriod::parse("2024-03-11", "soon", "", "", &rules).unwrap_err().field, "end");
        let e = ReflectionPeriod::parse("2024-03-11", "2024-03-01", "", "", &rules).unwrap_err();
        assert_eq!((e.field.as_str(), e.message.as_str()), ("end", "must not be before the start (2024-03-11)"));
    }

    /// Convention Art 13(1), Dir 2004/81 Art 6(2): no expulsion while the period runs.
    #[test]
    fn art_6_2_dir_2004_81_no_expulsion_order_is_enforced_during_the_reflection_period() {
        let rules = ReflectionRules::default();
        let period = ReflectionPeriod::parse("2024-03-11", "2024-04-09", "", "", &rules).unwrap();
        let status = not_a_victim(); // the period stands on its own, whatever the status
        let during = removal_protection(date("2024-04-09"), &status, Some(&period), &[]);
        assert!(during.no_expulsion);
        assert_eq!(during.reasons.len(), 1);
        assert_eq!(during.reasons[0].article, "CETS 197 Art 13(1); Dir 2004/81 Art 6(2)");
        assert!(during.summary().starts_with("No expulsion order may be enforced on 2024-04-09"));
        let after = removal_protection(date("2024-04-10"), &status, Some(&period), &[]);
        assert!(!after.no_expulsion && after.reasons.is_empty());
        assert!(after.summary().contains("not assessed here"));
        assert!(!removal_protection(date("2024-03-10"), &status, Some(&period), &[]).no_expulsion);
    }

    /// Convention Art 13(3), Dir 2004/81 Art 6(4): a terminated period no longer protects.
    #[test]
    fn art_13_3_cets_a_terminated_period_no_longer_protects() {
        let rules = ReflectionRules::default();
        let p = ReflectionPeriod::parse("2024-03-11", "2024-04-09", "2024-03-20", "public_order", &rules).unwrap();
        assert!(p.is_running(date("2024-03-19")));
        assert!(!p.is_running(date("2024-03-20")));
        assert!(!removal_protection(date("2024-03-25"), &not_a_victim(), Some(&p), &[]).no_expulsion);
    }

    /// Convention Art 10(2): a presumed victim is not removed until identification is complete.
    #[test]
    fn art_10_2_cets_no_removal_of_a_presumed_victim_pending_identification() {
        let r = removal_protection(date("2025-01-01"), &presumed(), None, &[]);
        assert!(r.no_expulsion);
        assert_eq!(r.reasons[0].article, "CETS 197 Art 10(2)");
        assert!(r.reasons[0].text.contains("since 2024-03-11"), "{}", r.reasons[0].text);
        for done in [identified(), not_a_victim(), case(&[DecisionKind::FirstNegative])] {
            assert!(!removal_protection(date("2025-01-01"), &done, None, &[]).no_expulsion, "{}", done.status());
        }
        // Identification runs from the referral, the reasonable-grounds indication (Dir 2011/36
        // Art 11(2)): a referred person is not removed either.
        let referred = removal_protection(date("2025-01-01"), &case(&[]), None, &[]);
        assert!(referred.no_expulsion);
        assert!(referred.reasons[0].text.contains("since 2024-03-01"), "{}", referred.reasons[0].text);
        // After an overturned reasonable-grounds reconsideration, the person is again a presumed victim.
        let overturned = case(&[
            DecisionKind::FirstNegative,
            DecisionKind::ReconsiderationRequested,
            DecisionKind::ReconsiderationOverturned,
        ]);
        assert!(removal_protection(date("2025-01-01"), &overturned, None, &[]).no_expulsion);
    }

    /// Convention Art 14, Dir 2004/81 Art 8: no removal while a residence permit is valid.
    #[test]
    fn art_14_cets_no_expulsion_while_a_permit_is_valid() {
        let p = permit(&cooperation(), "2024-05-01", "2024-10-31");
        let r = removal_protection(date("2024-10-31"), &identified(), None, std::slice::from_ref(&p));
        assert!(r.no_expulsion);
        assert_eq!(r.reasons[0].article, PermitGround::Cooperation.article());
        assert!(!removal_protection(date("2024-11-01"), &identified(), None, std::slice::from_ref(&p)).no_expulsion);
        assert!(!removal_protection(date("2024-04-30"), &identified(), None, &[p]).no_expulsion);
        let refused =
            ResidencePermitDecision::parse(&cooperation(), "2024-04-20", "no", "", "", "", &PermitRules::default())
                .unwrap();
        assert!(!removal_protection(date("2024-06-01"), &identified(), None, &[refused]).no_expulsion);
    }

    #[test]
    fn all_grounds_are_listed_together() {
        let rules = ReflectionRules::default();
        let status = presumed();
        let period = ReflectionPeriod::for_case(&status, &rules).unwrap();
        let personal = ResidencePermitApplication::parse("2024-03-12", "personal_situation").unwrap();
        let p = permit(&personal, "2024-03-20", "2024-06-30");
        let r = removal_protection(date("2024-03-25"), &status, Some(&period), &[p]);
        let articles: Vec<&str> = r.reasons.iter().map(|r| r.article).collect();
        assert_eq!(
            articles,
            ["CETS 197 Art 13(1); Dir 2004/81 Art 6(2)", "CETS 197 Art 10(2)", "CETS 197 Art 14(1)(a)",]
        );
    }

    // --- Residence permits ---

    /// Dir 2004/81 Art 8(3): a permit for a cooperating victim is valid at least 6 months.
    #[test]
    fn art_8_3_dir_2004_81_permit_valid_at_least_six_months() {
        let rules = PermitRules::default();
        let app = cooperation();
        let parse = |from: &str, until: &str, rules: &PermitRules| {
            ResidencePermitDecision::parse(&app, "2024-04-20", "yes", from, until, "", rules)
        };
        assert!(parse("2024-05-01", "2024-10-31", &rules).is_ok());
        let e = parse("2024-05-01", "2024-10-30", &rules).unwrap_err();
        assert_eq!(e.field, "valid_until");
        assert!(e.message.contains("Art 8(3)") && e.message.contains("2024-10-31"), "{}", e.message);
        // Month ends: from 31 August, six months end on the last day of February.
        assert!(parse("2025-08-31", "2026-02-27", &rules).is_ok());
        assert!(parse("2025-08-31", "2026-02-26", &rules).is_err());
        // A longer national minimum.
        let twelve = PermitRules::new(12, true).unwrap();
        assert!(parse("2024-05-01", "2024-10-31", &twelve).is_err());
        assert!(parse("2024-05-01", "2025-04-30", &twelve).is_ok());
        assert_eq!(PermitRules::new(5, true).unwrap_err().field, "permit_min_months");
        // Not bound by the Directive: no minimum from it.
        let not_bound = PermitRules::new(6, false).unwrap();
        assert!(parse("2024-05-01", "2024-06-30", &not_bound).is_ok());
    }

    /// Convention Art 14(1)(a) and 14(2): the six-month minimum is the Directive's, for cooperating victims.
    #[test]
    fn art_14_cets_permits_on_personal_grounds_have_no_directive_minimum() {
        let rules = PermitRules::default();
        for ground in ["personal_situation", "child_best_interests"] {
            let app = ResidencePermitApplication::parse("2024-04-01", ground).unwrap();
            let d = ResidencePermitDecision::parse(&app, "2024-04-20", "yes", "2024-05-01", "2024-07-31", "", &rules);
            assert!(d.is_ok(), "{ground}");
        }
        let both = ResidencePermitApplication::parse("2024-04-01", "both").unwrap();
        assert!(
            ResidencePermitDecision::parse(&both, "2024-04-20", "yes", "2024-05-01", "2024-07-31", "", &rules).is_err()
        );
        assert!(PermitGround::ChildBestInterests.article().ends_with("Art 14(2)"));
    }

    #[test]
    fn permit_decisions_name_the_wrong_field() {
        let rules = PermitRules::default();
        let app = cooperation();
        let field = |decided: &str, granted: &str, from: &str, until: &str, renewal: &str| {
            ResidencePermitDecision::parse(&app, decided, granted, from, until, renewal, &rules).unwrap_err().field
        };
        assert_eq!(field("2024-03-31", "yes", "2024-05-01", "2024-12-31", ""), "decided_on");
        assert_eq!(field("2024-04-20", "", "2024-05-01", "2024-12-31", ""), "granted");
        assert_eq!(field("2024-04-20", "maybe", "2024-05-01", "2024-12-31", ""), "granted");
        assert_eq!(field("2024-04-20", "yes", "", "2024-12-31", ""), "valid_from");
        assert_eq!(field("2024-04-20", "yes", "2024-05-01", "", ""), "valid_until");
        assert_eq!(field("2024-04-20", "yes", "2024-05-01", "2024-05-01", ""), "valid_until");
        assert_eq!(field("2024-04-20", "yes", "2024-05-01", "2024-04-01", ""), "valid_until");
        assert_eq!(field("2024-04-20", "no", "2024-05-01", "", ""), "valid_from");
        assert_eq!(field("2024-04-20", "no", "", "2024-12-31", ""), "valid_until");
        assert_eq!(field("2024-04-20", "yes", "2024-05-01", "2024-12-31", "permit-1"), "renewal_of");
        assert_eq!(ResidencePermitApplication::parse("2024-04-01", "work").unwrap_err().field, "ground");
        assert_eq!(ResidencePermitApplication::parse("1 April", "both").unwrap_err().field, "applied_on");
    }

    /// Convention Art 14(1) and Dir 2004/81 Art 8(3): permits are renewable.
    #[test]
    fn art_14_1_cets_renewals_follow_a_granted_permit() {
        let rules = PermitRules::default();
        let app = cooperation();
        let first = permit(&app, "2024-05-01", "2024-10-31");
        let id = "67e55044-10b1-426f-9247-bb680e5fe0c8";
        let renewal =
            ResidencePermitDecision::parse(&app, "2024-10-01", "yes", "2024-11-01", "2025-04-30", id, &rules).unwrap();
        assert_eq!(renewal.renewal_of.map(|u| u.to_string()).as_deref(), Some(id));
        assert!(renewal.check_renewal(&first).is_ok());
        let refused = ResidencePermitDecision::parse(&app, "2024-04-20", "no", "", "", "", &rules).unwrap();
        assert_eq!(renewal.check_renewal(&refused).unwrap_err().field, "renewal_of");
        let backwards =
            ResidencePermitDecision::parse(&app, "2024-10-01", "yes", "2024-05-01", "2024-12-31", id, &rules).unwrap();
        assert_eq!(backwards.check_renewal(&first).unwrap_err().field, "valid_from");
    }

    // --- International protection ---

    /// Convention Art 14(5): a victim's permit is without prejudice to seeking asylum.
    #[test]
    fn art_14_5_cets_international_protection_applications() {
        let pending = InternationalProtectionApplication::parse("2024-04-01", "pending", "").unwrap();
        assert_eq!((pending.outcome, pending.decided_on), (ProtectionOutcome::Pending, None));
        let granted = InternationalProtectionApplication::parse("2024-04-01", "subsidiary", "2024-09-01").unwrap();
        assert_eq!(granted.decided_on, Some(date("2024-09-01")));
        let field = |a: &str, o: &str, d: &str| InternationalProtectionApplication::parse(a, o, d).unwrap_err().field;
        assert_eq!(field("2024-04-01", "pending", "2024-09-01"), "decided_on");
        assert_eq!(field("2024-04-01", "refugee", ""), "decided_on");
        assert_eq!(field("2024-04-01", "refugee", "2024-03-01"), "decided_on");
        assert_eq!(field("2024-04-01", "granted", ""), "outcome");
        assert_eq!(field("", "pending", ""), "applied_on");
    }

    // --- Non-punishment ---

    fn matter(compelled: &str) -> CriminalMatter {
        CriminalMatter::parse("Cannabis cultivation", "City Police", "CR-2024-118", "2024-02-10", compelled).unwrap()
    }

    /// Dir 2011/36 Art 8, Convention Art 26: the notice is shown for presumed and identified
    /// victims with at least one matter recorded as compelled.
    #[test]
    fn art_8_dir_2011_36_notice_for_presumed_and_identified_victims_with_a_compelled_matter() {
        let matters = [matter("no"), matter("yes")];
        let notice = non_punishment_notice(&presumed(), &matters).unwrap();
        assert_eq!(notice.matters, vec![matter("yes")]);
        assert_eq!(notice.articles, ["Dir 2011/36 Art 8", "CETS 197 Art 26"]);
        assert!(notice.text.contains("presumed victim"), "{}", notice.text);
        assert!(notice.text.contains("first decision of 2024-03-11"), "{}", notice.text);
        assert!(notice.text.contains("Cannabis cultivation (City Police, reference CR-2024-118)"), "{}", notice.text);
        // Art 8 is an entitlement of the authorities, not a bar: the text must say so.
        assert!(notice.text.contains("entitled not to prosecute"), "{}", notice.text);
        assert!(notice.text.contains("possibility of not imposing penalties"), "{}", notice.text);

        let notice = non_punishment_notice(&identified(), &matters).unwrap();
        assert!(notice.text.contains("identified victim"), "{}", notice.text);
    }

    #[test]
    fn art_8_dir_2011_36_no_notice_without_victim_status_or_compelled_matter() {
        assert_eq!(non_punishment_notice(&presumed(), &[matter("no")]), None);
        assert_eq!(non_punishment_notice(&presumed(), &[]), None);
        for status in [not_a_victim(), case(&[DecisionKind::Withdrawal])] {
            assert_eq!(non_punishment_notice(&status, &[matter("yes")]), None, "{}", status.status());
        }
        // Referred: identification runs on a reasonable-grounds indication (Dir 2011/36 Art 11(2)),
        // so the notice is given already.
        assert!(non_punishment_notice(&case(&[]), &[matter("yes")]).is_some());
    }

    #[test]
    fn criminal_matters_parse_with_field_named_errors() {
        let m = CriminalMatter::parse(" Theft ", "Court", "", "2024-02-10", "").unwrap();
        assert_eq!((m.offence.as_str(), m.reference.as_str(), m.compelled), ("Theft", "", false));
        assert!(CriminalMatter::parse("Theft", "Court", "", "2024-02-10", "on").unwrap().compelled);
        let field =
            |o: &str, a: &str, r: &str, d: &str, c: &str| CriminalMatter::parse(o, a, r, d, c).unwrap_err().field;
        assert_eq!(field("", "Court", "", "2024-02-10", ""), "offence");
        assert_eq!(field("Theft", " ", "", "2024-02-10", ""), "authority");
        assert_eq!(field("Theft", "Court", "a\u{0}b", "2024-02-10", ""), "reference");
        assert_eq!(field("Theft", "Court", "", "2024-02-30", ""), "recorded_on");
        assert_eq!(field("Theft", "Court", "", "2024-02-10", "perhaps"), "compelled");
    }

    /// Dir 2004/81 Art 6(1): national law sets the length of the reflection period (CETS 197
    /// Art 13(1) gives the 30-day floor): a longer national length is the period a case gets and
    /// the shortest one recorded.
    #[test]
    fn art_6_1_dir_2004_81_national_law_sets_the_length_of_the_reflection_period() {
        let national = ReflectionRules::new(45).unwrap();
        assert_eq!(national.min_days(), 45);
        let period = ReflectionPeriod::following(date("2024-03-11"), &national).unwrap();
        assert_eq!((period.start, period.end), (date("2024-03-12"), date("2024-04-25")));
        assert_eq!(period.start.days_until(period.end) + 1, 45);
        let e = ReflectionPeriod::parse("2024-03-12", "2024-04-24", "", "", &national).unwrap_err();
        assert_eq!(e.field, "end");
        assert!(e.message.contains("at least 45 days") && e.message.contains("is 44 days"), "{}", e.message);
        assert!(ReflectionPeriod::parse("2024-03-12", "2024-04-25", "", "", &national).is_ok());
        // The same dates under the 30-day floor alone.
        assert!(ReflectionPeriod::parse("2024-03-12", "2024-04-24", "", "", &ReflectionRules::default()).is_ok());
    }

    /// Dir 2004/81 Art 3: the Directive binds only the Member States that take part in it (not
    /// Denmark or Ireland) and governs the permits of cooperating victims: its six-month floor
    /// applies to a cooperation permit only where the rules say the state is bound, and never to a
    /// permit on personal grounds.
    #[test]
    fn art_3_dir_2004_81_applies_only_where_the_state_is_bound_and_to_cooperation_permits() {
        let bound = PermitRules::default();
        let not_bound = PermitRules::new(6, false).unwrap();
        assert!(bound.directive_2004_81_applies() && !not_bound.directive_2004_81_applies());
        let three_months = |ground: &str, rules: &PermitRules| {
            let app = ResidencePermitApplication::parse("2024-04-01", ground).unwrap();
            ResidencePermitDecision::parse(&app, "2024-04-20", "yes", "2024-05-01", "2024-07-31", "", rules)
        };
        for ground in ["cooperation", "both"] {
            let e = three_months(ground, &bound).unwrap_err();
            assert!(e.field == "valid_until" && e.message.contains("Art 8(3)"), "{ground}: {}", e.message);
            assert!(three_months(ground, &not_bound).is_ok(), "{ground}");
        }
        for ground in ["personal_situation", "child_best_interests"] {
            assert!(three_months(ground, &bound).is_ok(), "{ground}");
        }
        let governed: Vec<PermitGround> =
            PermitGround::ALL.iter().copied().filter(|g| g.under_directive_2004_81()).collect();
        assert_eq!(governed, [PermitGround::Cooperation, PermitGround::Both]);
    }

    /// CETS 197 Art 26: the possibility of not imposing penalties on victims for unlawful
    /// activities they were compelled to take part in. The notice cites the Convention, lists the
    /// compelled matters only, speaks of a possibility (not a bar), and is not given once the
    /// person is found not to be a victim.
    #[test]
    fn art_26_cets_notice_lists_only_compelled_matters_and_speaks_of_a_possibility() {
        let compelled = CriminalMatter::parse("Theft", "District Court", "", "2024-02-12", "yes").unwrap();
        let matters = [matter("no"), compelled.clone()];
        let notice = non_punishment_notice(&identified(), &matters).unwrap();
        assert!(notice.articles.iter().any(|a| a.ends_with("CETS 197 Art 26")), "{:?}", notice.articles);
        assert_eq!(notice.matters, vec![compelled]);
        assert!(notice.text.contains("Theft (District Court)"), "{}", notice.text);
        assert!(!notice.text.contains("Cannabis"), "{}", notice.text);
        assert!(notice.text.contains("possibility of not imposing penalties"), "{}", notice.text);
        assert_eq!(non_punishment_notice(&not_a_victim(), &matters), None);
    }
}
