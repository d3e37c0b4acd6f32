//! The transnational referral of a victim (docs/transnational.md, "The referral flow";
//! Dir 2011/36 Art 11(4) as amended by Dir 2024/1712; CETS 197 Art 16, 32, 33).
//!
//! - The caseworker of the case's organisation prepares a referral to a pinned peer (a purpose,
//!   the fields shared: the purpose's minimum and each field added, the basis for sharing, the
//!   return risk assessment for a return) and submits it to the focal point of its country.
//! - The focal point reviews it, returns it to the draft or sends it: the `referral` body is
//!   built from the case's data, only the fields chosen, stored with its message id before it is
//!   handed to the exchange ([`App::exchange_send`]), so a retry sends the same id.
//! - A referral received ([`on_received`]) waits for the receiving focal point, who accepts it
//!   (assigning an organisation of its country) or declines it; the acknowledgement and a
//!   `referral_update` go back. Later updates (arrived safely, support started, follow-up due,
//!   closed) go back as `referral_update` messages and show on the sender's side.
//!
//! Who may do what is `haven_domain::access` ([`may_prepare_transnational_referral`],
//! [`may_act_on_transnational_referral`]); the rules of a referral are
//! `haven_domain::assist::transnational`. Every read and change is audited.

use serde::{Deserialize, Serialize};
use serde_json::json;
use time::Duration;
use uuid::Uuid;

use crate::exchange_peers::not_carried;
use crate::exchange_transport::{InboundOutcome, OutgoingMessage, ReceivedMessage};
use crate::ident::{case_scope, ctx};
use crate::{App, AppError, AppResult, Principal, admin::Acting};
use haven_domain::access::{
    Action, Compartment, may_act_on_transnational_referral, may_prepare_transnational_referral,
};
use haven_domain::assist::safe_return::{ReturnRiskAssessment, RiskAssessmentInput};
use haven_domain::assist::transnational::{
    BasisInput, Desk, FieldChoice, Purpose, ReferralCheck, SharedField, SharingBasis, TransnationalState,
    check_referral, check_transition,
};
use haven_domain::audit::{AuditAction, AuditEvent};
use haven_domain::case::CalendarDate;
use haven_domain::ident::record::{ChildStatus, Registration};
use haven_domain::message::{Message, MessageId};
use haven_domain::{Coded, CountryCode, Jurisdiction, ParseError, Permission};
use haven_exchange::FieldError;
use haven_exchange::messages::acknowledgement::RefusalReason;
use haven_exchange::messages::referral::{self, Referral};
use haven_exchange::messages::referral_update::{self, ReferralUpdate, UpdateStatus};
use haven_storage::{TransnationalChange, TransnationalEventRow, TransnationalReferralRow};

/// How long a referral message stays valid in the exchange.
const MESSAGE_LIFETIME_DAYS: i64 = 30;

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(Box::new(e))
}

/// A problem the wire format found, naming its field.
fn wire_error(e: FieldError) -> AppError {
    not_carried(&e.field, &e.problem)
}

/// A code of one vocabulary read as the same code of the wire format's.
fn wire<T: serde::de::DeserializeOwned>(field: &str, code: &str) -> AppResult<T> {
    serde_json::from_value(json!(code)).map_err(|_| not_carried(field, "not a value the exchange carries"))
}

/// The caseworker's choices, as typed (form or JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PrepareInput {
    /// A [`Purpose`] code.
    pub purpose: String,
    /// The receiving peer's instance id (a pinned national focal point).
    pub receiving_peer: String,
    /// `routine`, `urgent` or `immediate`.
    pub urgency: String,
    /// Fields shared beyond the purpose's minimum ([`SharedField`] codes), each chosen.
    pub added_fields: Vec<String>,
    pub basis: BasisInput,
    /// Required for a return.
    pub return_risk_assessment: RiskAssessmentInput,
    /// Needs the receiver is asked to meet (codes of the `referral` message's `needs`).
    pub needs: Vec<String>,
    /// Where the person is now (a town), when shared.
    pub current_location: String,
    /// How the person can be reached, when shared (default: the case's safe contact).
    pub contact: String,
    /// For an information request: `information` or `family_tracing`, and the questions.
    pub information_kind: String,
    pub questions: String,
    /// For a victim at risk: the danger, and whether it is immediate (yes/no).
    pub danger: String,
    pub immediate: String,
    pub notes: String,
}

/// The caseworker's choices, parsed: stored encrypted as the referral's draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub purpose: Purpose,
    pub urgency: String,
    pub fields: FieldChoice,
    pub basis: SharingBasis,
    pub return_risk_assessment: Option<ReturnRiskAssessment>,
    pub needs: Vec<String>,
    pub current_location: Option<String>,
    pub contact: Option<String>,
    pub information_request: Option<(String, String)>,
    pub risk_notice: Option<(String, bool)>,
    pub notes: Option<String>,
}

/// One field shared, with the value the case holds now, as the caseworker sees it before
/// submitting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharedValue {
    pub field: SharedField,
    /// Added beyond the purpose's minimum.
    pub added: bool,
    /// The value as it would be sent; `None` when the case holds none (sending is refused).
    pub value: Option<String>,
}

/// One change of a referral's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransnationalEventView {
    pub seq: i64,
    pub state: TransnationalState,
    pub effective_on: String,
    /// `None` when the other country reported it.
    pub by_user: Option<String>,
    pub detail: Option<String>,
    pub at: i64,
}

/// A transnational referral as its readers see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransnationalReferralView {
    pub id: String,
    pub referral_id: String,
    /// `outgoing` or `incoming`.
    pub direction: String,
    pub peer: String,
    pub case_id: Option<String>,
    pub organisation_id: Option<String>,
    pub purpose: Purpose,
    pub state: TransnationalState,
    /// The caseworker's choices (outgoing only).
    pub draft: Option<Draft>,
    /// What will be (or was) shared, field by field (outgoing, before it is sent).
    pub shared: Vec<SharedValue>,
    /// The `referral` body as sent or received.
    pub body: Option<serde_json::Value>,
    pub message_id: Option<String>,
    pub events: Vec<TransnationalEventView>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A line of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransnationalSummary {
    pub id: String,
    /// The sender's reference of the referral (the `referral_id` on the wire).
    pub referral_id: String,
    /// `outgoing` or `incoming` (received from another country; on a case's list, the referral
    /// that opened the case).
    pub direction: String,
    pub peer: String,
    pub case_id: Option<String>,
    pub purpose: Purpose,
    pub state: TransnationalState,
    /// When it was prepared here, or received.
    pub created_at: i64,
    pub updated_at: i64,
}

/// One field of the case as the preparation form shows it: its value as it would be sent, and
/// whether the purpose chosen needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseFieldValue {
    pub field: SharedField,
    /// `None` when the case holds none (the current location is typed in the form).
    pub value: Option<String>,
}

/// What the caseworker chooses from when preparing a referral of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preparation {
    pub case_id: String,
    /// The pinned national focal points of other countries (instance ids).
    pub peers: Vec<String>,
    /// The person's age as the case holds it today: `child`, `presumed_child`, `adult` or
    /// `unknown` (a child's basis is the best-interests determination).
    pub child_status: ChildStatus,
    /// Every field that can be shared, with the case's value.
    pub values: Vec<CaseFieldValue>,
}

/// An update about a referral received that did not reach the other country: recorded here but
/// never queued (the exchange failed after the change was stored), refused (the envelope in
/// delivery, or the update by the receiver's acknowledgement) or expired in delivery. The receiving focal point re-sends it ([`App::resend_transnational_updates`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateToResend {
    /// The event that recorded the update.
    pub seq: i64,
    pub state: TransnationalState,
    /// The message id it was recorded under.
    pub message_id: String,
    /// `not_queued`, `refused` or `expired`.
    pub problem: String,
    /// The message id it will be re-sent under: the recorded one when it was never queued (the
    /// receiver deduplicates on it), else one derived from it ([`resend_id`]).
    pub resend_as: String,
}

/// The message id of the `attempt`-th re-sending of the update first sent as `original`: the
/// original's bytes with its last two random bytes changed (the version and variant bits kept),
/// so that a re-sending interrupted and repeated sends the same id again.
pub fn resend_id(original: Uuid, attempt: u8) -> Uuid {
    let mut bytes = *original.as_bytes();
    bytes[14] ^= 0x5a;
    bytes[15] ^= attempt;
    Uuid::from_bytes(bytes)
}

/// The receiving focal point's decision on a referral received.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionInput {
    /// `accept` or `decline`.
    pub decision: String,
    /// On accepting: a support organisation of this country that takes the person (optional;
    /// it may be assigned later).
    pub organisation_id: String,
    /// On declining: `not_competent`, `insufficient_information`, `basis_insufficient`,
    /// `no_capacity` or `other`.
    pub reason: String,
    /// Required for `other`; no personal data.
    pub explanation: String,
}

/// A later update by the receiving focal point.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateInput {
    /// `organisation_assigned`, `arrived_safely`, `support_started`, `follow_up_due` or `closed`.
    pub state: String,
    /// The day it took effect (default: today).
    pub effective_on: String,
    /// For `organisation_assigned`.
    pub organisation_id: String,
    /// For `follow_up_due`.
    pub follow_up_on: String,
    pub note: String,
}

fn summary(row: &TransnationalReferralRow) -> AppResult<TransnationalSummary> {
    Ok(TransnationalSummary {
        id: row.id.clone(),
        referral_id: row.referral_id.clone(),
        direction: row.direction.clone(),
        peer: row.peer.clone(),
        case_id: row.case_id.clone(),
        purpose: Purpose::parse_code("purpose", &row.purpose)?,
        state: TransnationalState::parse_code("state", &row.state)?,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// A change of `row` read in the state `from_state` at `at` that changes nothing yet: the
/// columns and the event to change are set on it.
fn change_of(row: &TransnationalReferralRow, from_state: &str, at: i64) -> TransnationalChange {
    TransnationalChange {
        id: row.id.clone(),
        from_state: from_state.to_owned(),
        event: None,
        draft: None,
        body: None,
        message_id: None,
        case_id: None,
        organisation_id: None,
        at,
    }
}

/// What separates the parts of an update's recorded detail: the organisation assigned or the
/// follow-up's day, then the note.
const DETAIL_SEPARATOR: &str = " · ";

/// The parts of the detail an update of `state` was recorded with (see
/// [`App::update_transnational_referral`]): what leads it (the name of the organisation
/// assigned, `organisation` when it is that name, or the follow-up's day), and the note.
fn detail_parts<'a>(
    state: TransnationalState,
    detail: &'a str,
    organisation: Option<&str>,
) -> (Option<&'a str>, Option<&'a str>) {
    let given = |s: &'a str| (!s.is_empty()).then_some(s);
    match state {
        TransnationalState::OrganisationAssigned | TransnationalState::FollowUpDue => {
            let lead = match organisation {
                Some(name) if state == TransnationalState::OrganisationAssigned && detail.starts_with(name) => {
                    name.len()
                }
                _ => detail.find(DETAIL_SEPARATOR).unwrap_or(detail.len()),
            };
            let (lead, rest) = detail.split_at(lead);
            (given(lead), rest.strip_prefix(DETAIL_SEPARATOR).and_then(given))
        }
        TransnationalState::Accepted | TransnationalState::Declined => (None, None),
        _ => (None, given(detail)),
    }
}

/// The organisation assigned as the `referral_update` names it: reached through the national
/// focal point.
fn assigned_organisation(name: &str) -> AppResult<referral_update::AssignedOrganisation> {
    Ok(referral_update::AssignedOrganisation {
        name: haven_exchange::messages::Line::parse("organisation_id", name).map_err(wire_error)?,
        contact_point: haven_exchange::messages::Line::parse("organisation_id", "Through the national focal point")
            .map_err(wire_error)?,
    })
}

fn optional(value: &str) -> Option<String> {
    match value.trim() {
        "" => None,
        v => Some(v.to_owned()),
    }
}

fn yes_no(field: &str, value: &str) -> AppResult<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" | "on" | "1" => Ok(true),
        "no" | "false" | "off" | "0" | "" => Ok(false),
        other => Err(AppError::Invalid(ParseError::not_yes_or_no(field, other))),
    }
}

/// The country of an instance id (`LV`, `LV-TEST`).
fn country_of(instance_id: &str) -> Option<CountryCode> {
    CountryCode::parse("peer", instance_id.get(..2)?).ok()
}

fn parse_draft(input: &PrepareInput, today: CalendarDate) -> AppResult<Draft> {
    let purpose = Purpose::parse_code("purpose", input.purpose.trim())?;
    let urgency = match input.urgency.trim() {
        "" => "routine".to_owned(),
        u @ ("routine" | "urgent" | "immediate") => u.to_owned(),
        _ => {
            return Err(AppError::said("urgency", "routine, urgent or immediate", MessageId::TransnationalUrgency));
        }
    };
    let added = input
        .added_fields
        .iter()
        .filter(|f| !f.trim().is_empty())
        .map(|f| SharedField::parse_code("added_fields", f.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    let fields = FieldChoice::with_added(purpose, &added)?;
    let basis = SharingBasis::parse(&input.basis, today)?;
    let return_risk_assessment = if input.return_risk_assessment.assessed_on.trim().is_empty() {
        None
    } else {
        Some(
            ReturnRiskAssessment::parse(&input.return_risk_assessment, today)
                .map_err(|e| e.within_prefix("return_risk_assessment"))?,
        )
    };
    for need in &input.needs {
        wire::<referral::Need>("needs", need.trim())?;
    }
    let information_request = match purpose {
        Purpose::InformationRequest => {
            let kind = match input.information_kind.trim() {
                k @ ("information" | "family_tracing") => k.to_owned(),
                _ => {
                    return Err(AppError::said(
                        "information_kind",
                        "information or family_tracing",
                        MessageId::TransnationalInformationKind,
                    ));
                }
            };
            let questions =
                optional(&input.questions).ok_or_else(|| AppError::Invalid(ParseError::empty("questions")))?;
            Some((kind, questions))
        }
        _ => None,
    };
    let risk_notice = match purpose {
        Purpose::VictimAtRisk => {
            let danger = optional(&input.danger).ok_or_else(|| AppError::Invalid(ParseError::empty("danger")))?;
            Some((danger, yes_no("immediate", &input.immediate)?))
        }
        _ => None,
    };
    let choice = fields.fields();
    let current_location = optional(&input.current_location);
    if choice.contains(&SharedField::CurrentLocation) && current_location.is_none() {
        return Err(AppError::Invalid(ParseError::empty("current_location")));
    }
    Ok(Draft {
        purpose,
        urgency,
        fields,
        basis,
        return_risk_assessment,
        needs: input.needs.iter().map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()).collect(),
        current_location,
        contact: optional(&input.contact),
        information_request,
        risk_notice,
        notes: optional(&input.notes),
    })
}

trait WithinPrefix {
    fn within_prefix(self, prefix: &str) -> Self;
}

impl WithinPrefix for ParseError {
    fn within_prefix(self, prefix: &str) -> Self {
        let field = format!("{prefix}.{}", self.field);
        self.within(field)
    }
}

/// The value of one field of the case, as the wire format carries it.
fn field_value(field: SharedField, reg: &Registration, draft: &Draft) -> Option<serde_json::Value> {
    case_field_value(field, reg, draft.current_location.as_deref(), draft.contact.as_deref())
}

/// The value of one field of the case, with the location and contact typed for the referral.
fn case_field_value(
    field: SharedField,
    reg: &Registration,
    current_location: Option<&str>,
    contact: Option<&str>,
) -> Option<serde_json::Value> {
    let p = &reg.person;
    let text = |s: &str| (!s.trim().is_empty()).then(|| json!(s.trim()));
    match field {
        SharedField::GivenNames => text(&p.given_names),
        SharedField::FamilyName => text(&p.family_names),
        SharedField::DateOfBirth => p.date_of_birth.map(|d| json!(d.to_string())),
        SharedField::YearOfBirth => p.date_of_birth.map(|d| json!(d.year)),
        SharedField::Sex => Some(json!(p.sex.code())),
        SharedField::Nationalities => {
            (!p.citizenships.is_empty()).then(|| json!(p.citizenships.iter().map(|c| c.as_str()).collect::<Vec<_>>()))
        }
        SharedField::Languages => (!p.languages.is_empty()).then(|| json!(p.languages)),
        SharedField::IdentityDocuments => {
            let docs: Vec<serde_json::Value> = p
                .documents
                .iter()
                .filter_map(|d| {
                    d.issuing_country.as_ref().map(
                        |c| json!({"kind": d.kind.code(), "number": d.number.trim(), "issuing_country": c.as_str()}),
                    )
                })
                .collect();
            (!docs.is_empty()).then(|| json!(docs))
        }
        SharedField::CurrentLocation => current_location.map(|v| json!(v)),
        SharedField::Contact => contact.or(p.safe_contact.as_deref()).and_then(text),
    }
}

/// The registration of a person referred from another country: the person's fields the
/// `referral` body carries (names, date of birth, sex, nationalities, languages, identity
/// documents), the forms and countries of exploitation, and the age group as the child status.
fn registration_of_referral(body: &serde_json::Value) -> Result<Registration, serde_json::Error> {
    let person = &body["person"];
    let text = |k: &str| person.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    let mut p = json!({
        "given_names": text("given_names"),
        "family_names": text("family_name"),
        "sex": person.get("sex").and_then(|v| v.as_str()).unwrap_or("unknown"),
    });
    if let Some(d) = person.get("date_of_birth").and_then(|v| v.as_str()) {
        p["date_of_birth"] = json!(d);
    }
    if let Some(n) = person.get("nationalities") {
        p["citizenships"] = n.clone();
    }
    if let Some(l) = person.get("languages") {
        p["languages"] = l.clone();
    }
    if let Some(docs) = person.get("identity_documents").and_then(|d| d.as_array()) {
        p["documents"] = json!(
            docs.iter()
                .map(|d| json!({"kind": d["kind"], "number": d["number"], "issuing_country": d["issuing_country"]}))
                .collect::<Vec<_>>()
        );
    }
    let countries: Vec<serde_json::Value> = body["exploitation"]["countries"]
        .as_array()
        .map(|c| c.iter().map(|c| json!({"kind": "exploitation", "country": c})).collect())
        .unwrap_or_default();
    let forms = body["exploitation"]["forms"].clone();
    let reg = json!({
        "person": p,
        "context": {"forms": if forms.is_array() { forms } else { json!([]) }, "events": countries},
    });
    // A value this instance's vocabulary does not hold (a document kind, a form) leaves the
    // registration with the names and sex alone; the rest is in the referral.
    serde_json::from_value(reg).or_else(|_| {
        serde_json::from_value(json!({"person": {
            "given_names": text("given_names"), "family_names": text("family_name"), "sex": p["sex"].clone(),
        }}))
    })
}

fn shown(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join(", "),
        serde_json::Value::Object(map) => map.values().map(shown).collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    }
}

fn age_group(status: ChildStatus) -> &'static str {
    match status {
        ChildStatus::Child => "child",
        ChildStatus::PresumedChild => "presumed_child",
        ChildStatus::Adult | ChildStatus::Unknown => "adult",
    }
}

fn basis_json(basis: &SharingBasis) -> serde_json::Value {
    match basis {
        SharingBasis::Consent { given_on, informed_in, informed_by } => json!({
            "kind": "consent",
            "given_on": given_on.to_string(),
            "informed_in": informed_in,
            "informed_by": informed_by,
        }),
        SharingBasis::BestInterests {
            decided_on,
            decided_by,
            in_best_interests,
            summary,
            guardian_role,
            guardian_view,
            guardian_statement,
        } => {
            let mut guardian = json!({"role": guardian_role, "view": guardian_view.code()});
            if let Some(s) = guardian_statement {
                guardian["statement"] = json!(s.as_str());
            }
            json!({
                "kind": "best_interests",
                "determination": {
                    "decided_on": decided_on.to_string(),
                    "decided_by": decided_by,
                    "referral_in_best_interests": in_best_interests,
                    "summary": summary.as_str(),
                },
                "guardian": guardian,
            })
        }
        SharingBasis::VitalInterests { justification } => {
            json!({"kind": "vital_interests", "justification": justification.as_str()})
        }
    }
}

impl App {
    fn tnr_key(&self, column: &str, row: &str, plaintext: &[u8]) -> Vec<u8> {
        self.keys.encrypt_field(&ctx("transnational_referrals", column, row), plaintext)
    }

    fn tnr_open(&self, column: &str, row: &str, ciphertext: &[u8]) -> AppResult<Vec<u8>> {
        Ok(self.keys.decrypt_field(&ctx("transnational_referrals", column, row), ciphertext)?)
    }

    fn tnr_event_detail(&self, row: &str, seq: i64, detail: &str) -> Vec<u8> {
        self.keys
            .encrypt_field(&ctx("transnational_referral_events", "detail", &format!("{row}/{seq}")), detail.as_bytes())
    }

    /// The detail of an event, decrypted.
    fn tnr_open_event_detail(&self, row: &str, event: &TransnationalEventRow) -> AppResult<Option<String>> {
        let Some(ct) = &event.detail else { return Ok(None) };
        let key = format!("{row}/{}", event.seq);
        let context = ctx("transnational_referral_events", "detail", &key);
        Ok(Some(String::from_utf8(self.keys.decrypt_field(&context, ct)?).map_err(internal)?))
    }

    fn tnr_event(&self, principal: &Principal, action: AuditAction, row: &TransnationalReferralRow) -> AuditEvent {
        let event = self.event(principal, action).on(
            "transnational_referral",
            &row.id,
            row.organisation_id.as_deref().or(Some(principal.organisation.id.as_str())),
        );
        match &row.case_id {
            Some(case) => event.detail(format!("case={case} peer={} state={}", row.peer, row.state)),
            None => event.detail(format!("peer={} state={}", row.peer, row.state)),
        }
    }

    /// The pinned national focal point `peer`, and its country.
    async fn focal_point_peer(&self, peer: &str) -> AppResult<CountryCode> {
        let pinned = self.store.exchange_peer(peer.trim()).await?;
        match (pinned, country_of(peer.trim())) {
            (Some(p), Some(country)) if p.role == "national_focal_point" => Ok(country),
            _ => Err(AppError::said(
                "receiving_peer",
                "not a pinned national focal point of another country",
                MessageId::TransnationalPeerNotFocalPoint,
            )),
        }
    }

    fn own_country(principal: &Principal) -> Option<CountryCode> {
        match &principal.actor.jurisdiction {
            Jurisdiction::Country(c) => Some(*c),
            Jurisdiction::EuropeanUnion => None,
        }
    }

    /// The case `case_id` and its registration, when the principal may prepare a transnational
    /// referral of it (the caseworker or supervisor of the case's organisation); a refusal is
    /// audited.
    async fn case_to_refer(
        &self,
        principal: &Principal,
        case_id: &str,
        action: Action,
    ) -> AppResult<(haven_storage::CaseRow, haven_storage::RegistrationRow)> {
        let (case, reg_row) = self
            .registered_case(principal, Permission::PrepareTransnationalReferral, case_id, Compartment::Support, action)
            .await?;
        if !may_prepare_transnational_referral(&principal.actor, &case_scope(&case, &reg_row)) {
            self.audit_denied(principal, "case", &case.id, Some(&case.owner_organisation_id)).await;
            return Err(AppError::Forbidden);
        }
        Ok((case, reg_row))
    }

    /// Prepares (as a draft) the transnational referral of a case: the caseworker or supervisor
    /// of the case's organisation. The draft shows field by field what would be shared.
    pub async fn prepare_transnational_referral(
        &self,
        principal: &Principal,
        case_id: &str,
        input: &PrepareInput,
    ) -> AppResult<TransnationalReferralView> {
        let (case, reg_row) = self.case_to_refer(principal, case_id, Action::Write).await?;
        let country = self.focal_point_peer(&input.receiving_peer).await?;
        if Jurisdiction::Country(country) == case.jurisdiction {
            return Err(AppError::said(
                "receiving_peer",
                "a transnational referral goes to another country",
                MessageId::TransnationalPeerSameCountry,
            ));
        }
        let draft = parse_draft(input, self.today())?;
        let id = Uuid::now_v7().to_string();
        let now = self.now();
        let draft_json = serde_json::to_vec(&draft).map_err(internal)?;
        let row = TransnationalReferralRow {
            id: id.clone(),
            referral_id: id.clone(),
            direction: "outgoing".into(),
            peer: input.receiving_peer.trim().to_owned(),
            case_id: Some(case.id.clone()),
            organisation_id: Some(case.owner_organisation_id.clone()),
            purpose: draft.purpose.code().into(),
            state: TransnationalState::Draft.code().into(),
            draft: Some(self.tnr_key("draft", &id, &draft_json)),
            body: None,
            message_id: None,
            created_by: Some(principal.user.id.clone()),
            created_at: now,
            updated_at: now,
        };
        let first = TransnationalEventRow {
            referral_row: id.clone(),
            seq: 1,
            state: row.state.clone(),
            effective_on: self.today().to_string(),
            by_user: Some(principal.user.id.clone()),
            message_id: None,
            detail: None,
            at: now,
        };
        let event = self.tnr_event(principal, AuditAction::TransnationalReferralPrepared, &row);
        self.store.insert_transnational_referral(&row, &first, &event).await?;
        self.tnr_view(&row, Some(&self.decrypt_registration(&reg_row)?)).await
    }

    /// What the preparation form offers for a case: the pinned focal points of other countries
    /// and, field by field, the values the case holds as they would be sent; for the
    /// caseworker or supervisor of the case's organisation. Audited (it shows the identity).
    pub async fn transnational_preparation(&self, principal: &Principal, case_id: &str) -> AppResult<Preparation> {
        let (case, reg_row) = self.case_to_refer(principal, case_id, Action::Read).await?;
        let reg = self.decrypt_registration(&reg_row)?;
        let own = case.jurisdiction;
        let peers = self
            .store
            .exchange_peers()
            .await?
            .into_iter()
            .filter(|p| p.role == "national_focal_point")
            .filter(|p| country_of(&p.instance_id).is_some_and(|c| Jurisdiction::Country(c) != own))
            .map(|p| p.instance_id)
            .collect();
        let values = SharedField::ALL
            .iter()
            .map(|f| CaseFieldValue { field: *f, value: case_field_value(*f, &reg, None, None).as_ref().map(shown) })
            .collect();
        let event = self
            .event(principal, AuditAction::TransnationalReferralRead)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail(format!("case={} preparation", case.id));
        self.store.append_audit(&event).await?;
        Ok(Preparation {
            case_id: case.id.clone(),
            peers,
            child_status: ChildStatus::from_age_status(&reg.age_status(self.today())),
            values,
        })
    }

    /// The referrals of a case, for its caseworkers (the case page): those prepared from it and
    /// the one received from another country that opened it. Audited.
    pub async fn transnational_referrals_of_case(
        &self,
        principal: &Principal,
        case_id: &str,
    ) -> AppResult<Vec<TransnationalSummary>> {
        let (case, _) = self.case_to_refer(principal, case_id, Action::Read).await?;
        let rows = self.store.transnational_referrals_of_case(&case.id).await?;
        let event = self
            .event(principal, AuditAction::TransnationalReferralsListed)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail(format!("count={}", rows.len()));
        self.store.append_audit(&event).await?;
        rows.iter().map(summary).collect()
    }

    /// A referral the principal may see: the caseworkers of the case's organisation (outgoing),
    /// the focal point of this country (either direction). With the side it acts on.
    async fn tnr_row(&self, principal: &Principal, id: &str) -> AppResult<(TransnationalReferralRow, Desk)> {
        if Uuid::parse_str(id).is_err() {
            return Err(AppError::NotFound);
        }
        let Some(row) = self.store.transnational_referral(id).await? else {
            return Err(AppError::NotFound);
        };
        let country = self.row_country(&row).await?;
        if let Some(country) = country
            && may_act_on_transnational_referral(&principal.actor, country)
        {
            let desk = if row.direction == "outgoing" { Desk::SendingFocalPoint } else { Desk::ReceivingFocalPoint };
            return Ok((row, desk));
        }
        if row.direction == "outgoing"
            && let Some(case_id) = row.case_id.clone()
            && self.case_to_refer(principal, &case_id, Action::Read).await.is_ok()
        {
            return Ok((row, Desk::Caseworker));
        }
        self.audit_denied(principal, "transnational_referral", id, row.organisation_id.as_deref()).await;
        let takes_part = [Permission::ActAsFocalPoint, Permission::PrepareTransnationalReferral]
            .iter()
            .any(|p| haven_domain::permission_allowed(&principal.actor.roles, *p));
        if takes_part { Err(AppError::NotFound) } else { Err(AppError::Forbidden) }
    }

    /// A referral the principal holds the permission to act on from `desk`; another desk's is
    /// forbidden.
    async fn tnr_at_desk(
        &self,
        principal: &Principal,
        id: &str,
        permission: Permission,
        desk: Desk,
    ) -> AppResult<TransnationalReferralRow> {
        self.require(principal, permission).await?;
        match self.tnr_row(principal, id).await? {
            (row, at) if at == desk => Ok(row),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The country that holds a referral: the country of the case's organisation for one sent,
    /// this instance's country for one received.
    async fn row_country(&self, row: &TransnationalReferralRow) -> AppResult<Option<Jurisdiction>> {
        if row.direction == "outgoing"
            && let Some(org) = &row.organisation_id
        {
            return match self.store.organisation(org).await {
                Ok(o) => Ok(Some(o.jurisdiction)),
                Err(haven_storage::StorageError::NotFound) => Ok(None),
                Err(e) => Err(e.into()),
            };
        }
        Ok(self.store.exchange_identity().await?.and_then(|i| country_of(&i.instance_id)).map(Jurisdiction::Country))
    }

    async fn tnr_view(
        &self,
        row: &TransnationalReferralRow,
        reg: Option<&Registration>,
    ) -> AppResult<TransnationalReferralView> {
        let draft: Option<Draft> = match &row.draft {
            Some(ct) => Some(serde_json::from_slice(&self.tnr_open("draft", &row.id, ct)?).map_err(internal)?),
            None => None,
        };
        let body = match &row.body {
            Some(ct) => Some(serde_json::from_slice(&self.tnr_open("body", &row.id, ct)?).map_err(internal)?),
            None => None,
        };
        let shared = match (&draft, reg) {
            (Some(d), Some(reg)) => d
                .fields
                .fields()
                .into_iter()
                .map(|field| SharedValue {
                    field,
                    added: d.fields.is_added(field),
                    value: field_value(field, reg, d).as_ref().map(shown),
                })
                .collect(),
            _ => Vec::new(),
        };
        let events = self
            .store
            .transnational_referral_events(&row.id)
            .await?
            .into_iter()
            .map(|e| {
                let detail = self.tnr_open_event_detail(&row.id, &e)?;
                Ok(TransnationalEventView {
                    seq: e.seq,
                    state: TransnationalState::parse_code("state", &e.state)?,
                    effective_on: e.effective_on,
                    by_user: e.by_user,
                    detail,
                    at: e.at,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        Ok(TransnationalReferralView {
            id: row.id.clone(),
            referral_id: row.referral_id.clone(),
            direction: row.direction.clone(),
            peer: row.peer.clone(),
            case_id: row.case_id.clone(),
            organisation_id: row.organisation_id.clone(),
            purpose: Purpose::parse_code("purpose", &row.purpose)?,
            state: TransnationalState::parse_code("state", &row.state)?,
            draft,
            shared,
            body,
            message_id: row.message_id.clone(),
            events,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }

    async fn registration_of(&self, row: &TransnationalReferralRow) -> AppResult<Option<Registration>> {
        match (&row.case_id, row.direction.as_str()) {
            (Some(case_id), "outgoing") => match self.store.registration(case_id).await? {
                Some(reg) => Ok(Some(self.decrypt_registration(&reg)?)),
                None => Ok(None),
            },
            _ => Ok(None),
        }
    }

    /// One referral, with what it shares, for its caseworker or the focal point. Audited.
    pub async fn transnational_referral(
        &self,
        principal: &Principal,
        id: &str,
    ) -> AppResult<TransnationalReferralView> {
        let (row, _) = self.tnr_row(principal, id).await?;
        let event = self.tnr_event(principal, AuditAction::TransnationalReferralRead, &row);
        self.store.append_audit(&event).await?;
        let reg = self.registration_of(&row).await?;
        self.tnr_view(&row, reg.as_ref()).await
    }

    /// The focal point's lists: the referrals of its country's caseworkers (submitted and later)
    /// and those received. Audited.
    pub async fn focal_point_referrals(
        &self,
        principal: &Principal,
    ) -> AppResult<(Vec<TransnationalSummary>, Vec<TransnationalSummary>)> {
        let country = Self::own_country(principal).map(Jurisdiction::Country);
        let allowed = country.is_some_and(|c| may_act_on_transnational_referral(&principal.actor, c));
        if !allowed {
            self.audit_denied(principal, "transnational_referrals", "focal_point", None).await;
            return Err(AppError::Forbidden);
        }
        // Only the referrals its country holds (one database may hold several countries).
        let mut outgoing = Vec::new();
        for row in self.store.transnational_referrals("outgoing").await? {
            if self.row_country(&row).await? == country {
                outgoing.push(row);
            }
        }
        let mut incoming = Vec::new();
        for row in self.store.transnational_referrals("incoming").await? {
            if self.row_country(&row).await? == country {
                incoming.push(row);
            }
        }
        let event = self
            .event(principal, AuditAction::TransnationalReferralsListed)
            .on("transnational_referrals", &principal.organisation.id, Some(&principal.organisation.id))
            .detail(format!("outgoing={} incoming={}", outgoing.len(), incoming.len()));
        self.store.append_audit(&event).await?;
        Ok((
            outgoing.iter().map(summary).collect::<AppResult<_>>()?,
            incoming.iter().map(summary).collect::<AppResult<_>>()?,
        ))
    }

    /// The rules of the referral on `on` (age known or presumed, the basis, the return).
    fn check_draft(&self, draft: &Draft, reg: &Registration, on: CalendarDate) -> AppResult<()> {
        let child_status = ChildStatus::from_age_status(&reg.age_status(on));
        check_referral(&ReferralCheck {
            purpose: draft.purpose,
            child_status,
            basis: Some(&draft.basis),
            return_risk_assessment: draft.return_risk_assessment.as_ref(),
            on,
        })?;
        Ok(())
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one change of state: who, what, from which desk, to what, with what"
    )]
    async fn change_state(
        &self,
        principal: &Principal,
        row: &TransnationalReferralRow,
        desk: Desk,
        to: TransnationalState,
        detail: Option<&str>,
        message_id: Option<String>,
        effective_on: CalendarDate,
    ) -> AppResult<()> {
        let from = TransnationalState::parse_code("state", &row.state)?;
        check_transition(from, to, desk)?;
        let next_seq =
            i64::try_from(self.store.transnational_referral_events(&row.id).await?.len()).map_err(internal)? + 1;
        let now = self.now();
        let change = TransnationalChange {
            event: Some(TransnationalEventRow {
                referral_row: row.id.clone(),
                seq: next_seq,
                state: to.code().into(),
                effective_on: effective_on.to_string(),
                by_user: Some(principal.user.id.clone()),
                message_id,
                detail: detail.map(|d| self.tnr_event_detail(&row.id, next_seq, d)),
                at: now,
            }),
            ..change_of(row, &row.state, now)
        };
        let moved = TransnationalReferralRow { state: to.code().into(), ..row.clone() };
        let event = self
            .tnr_event(principal, AuditAction::TransnationalReferralChanged, &moved)
            .detail(format!("from={from} to={to} peer={}", row.peer));
        self.store.change_transnational_referral(&change, &event).await?;
        Ok(())
    }

    /// The caseworker submits the draft to the focal point, once the rules hold: the age known
    /// or presumed, the basis (Dir 2011/36 Art 13(1), 14(2); CETS 197 Art 33(1)), a return's
    /// risk assessment and a child's return (CETS 197 Art 16(2), 16(7)).
    pub async fn submit_transnational_referral(
        &self,
        principal: &Principal,
        id: &str,
    ) -> AppResult<TransnationalReferralView> {
        let desk = Desk::Caseworker;
        let row = self.tnr_at_desk(principal, id, Permission::PrepareTransnationalReferral, desk).await?;
        let reg = self.registration_of(&row).await?.ok_or(AppError::NotFound)?;
        let view = self.tnr_view(&row, Some(&reg)).await?;
        let draft = view.draft.ok_or(AppError::NotFound)?;
        self.check_draft(&draft, &reg, self.today())?;
        self.change_state(principal, &row, desk, TransnationalState::Submitted, None, None, self.today()).await?;
        self.transnational_referral(principal, id).await
    }

    /// The focal point returns a submitted referral to its caseworker, with a note.
    pub async fn return_transnational_referral(
        &self,
        principal: &Principal,
        id: &str,
        note: &str,
    ) -> AppResult<TransnationalReferralView> {
        let desk = Desk::SendingFocalPoint;
        let row = self.tnr_at_desk(principal, id, Permission::ActAsFocalPoint, desk).await?;
        let note = haven_domain::text::Narrative::parse("note", note)?;
        self.change_state(principal, &row, desk, TransnationalState::Draft, Some(note.as_str()), None, self.today())
            .await?;
        self.transnational_referral(principal, id).await
    }

    /// Builds the `referral` body from the case's data: only the fields chosen.
    fn referral_body(
        &self,
        principal: &Principal,
        row: &TransnationalReferralRow,
        draft: &Draft,
        reg: &Registration,
        reg_row: &haven_storage::RegistrationRow,
    ) -> AppResult<Vec<u8>> {
        let today = self.today();
        let mut person = serde_json::Map::new();
        person.insert("age_group".into(), json!(age_group(ChildStatus::from_age_status(&reg.age_status(today)))));
        let fields = draft.fields.fields();
        for field in &fields {
            let Some(value) = field_value(*field, reg, draft) else {
                return Err(AppError::Invalid(ParseError::said(
                    "shared_fields",
                    format!("{} is chosen for sharing but the case holds none", field.code()),
                    Message::new(MessageId::TransnationalFieldNotHeld).labels("field", "tnr-field", [field.code()]),
                )));
            };
            person.insert(field.code().into(), value);
        }
        let identified = reg_row.nrm_status.as_deref() == Some("identified_victim");
        let identification = match (identified, reg_row.cg_decided_on.as_deref()) {
            (true, Some(on)) => json!({"status": "identified_victim", "decided_on": on}),
            _ => json!({"status": "presumed_victim"}),
        };
        let mut countries: Vec<String> = Vec::new();
        for e in &reg.context.events {
            if e.kind == haven_domain::ident::forms::EventKind::Exploitation
                && let Some(c) = &e.country
                && !countries.iter().any(|x| x == c.as_str())
            {
                countries.push(c.as_str().to_owned());
            }
        }
        let forms: Vec<&str> = reg.context.forms.iter().map(|f| f.as_str()).collect();
        let receiving = country_of(&row.peer).map(|c| c.as_str().to_owned()).unwrap_or_default();
        let mut body = json!({
            "referral_id": row.referral_id,
            "purpose": draft.purpose.code(),
            "urgency": draft.urgency,
            "sending_contact": {
                "organisation": principal.organisation.name,
                "contact_point": "National focal point for cross-border referral",
            },
            "receiving_country": receiving,
            "shared_fields": fields.iter().map(|f| f.code()).collect::<Vec<_>>(),
            "person": person,
            "identification": identification,
            "exploitation": {"forms": forms, "countries": countries},
            "needs": draft.needs,
            "basis": basis_json(&draft.basis),
        });
        if let Some(a) = &draft.return_risk_assessment {
            let mut assessment = json!({
                "assessed_on": a.assessed_on.to_string(),
                "re_trafficking_risk": a.re_trafficking_risk.code(),
                "reprisal_risk": a.reprisal_risk.code(),
                "family_situation": a.family_situation.code(),
                "support_services": a.support_services.code(),
                "documents_ready": a.documents_ready,
            });
            if let Some(n) = &a.notes {
                assessment["notes"] = json!(n.as_str());
            }
            body["return_risk_assessment"] = assessment;
        }
        if let Some((kind, questions)) = &draft.information_request {
            body["information_request"] = json!({"kind": kind, "questions": questions});
        }
        if let Some((danger, immediate)) = &draft.risk_notice {
            body["risk_notice"] = json!({"danger": danger, "immediate": immediate});
        }
        if let Some(n) = &draft.notes {
            body["notes"] = json!(n);
        }
        let bytes = serde_json::to_vec(&body).map_err(internal)?;
        let date = Self::wire_today(today)?;
        let parsed = Referral::parse(&bytes, date).map_err(wire_error)?;
        parsed.to_json(date).map_err(wire_error)
    }

    /// The focal point sends a submitted referral: the rules checked again, the body built from
    /// the case's data and stored (encrypted) with its message id before it is handed to the
    /// exchange; a retry after a failure sends the same message id and body.
    pub async fn send_transnational_referral(
        &self,
        principal: &Principal,
        id: &str,
    ) -> AppResult<TransnationalReferralView> {
        let desk = Desk::SendingFocalPoint;
        let mut row = self.tnr_at_desk(principal, id, Permission::ActAsFocalPoint, desk).await?;
        check_transition(TransnationalState::parse_code("state", &row.state)?, TransnationalState::Sent, desk)?;
        let stored = (row.message_id.clone(), row.body.clone());
        let (message_id, body) = match stored {
            (Some(m), Some(b)) => (m, self.tnr_open("body", &row.id, &b)?),
            _ => {
                let case_id = row.case_id.clone().ok_or(AppError::NotFound)?;
                let reg_row = self.store.registration(&case_id).await?.ok_or(AppError::NotFound)?;
                let reg = self.decrypt_registration(&reg_row)?;
                let view = self.tnr_view(&row, Some(&reg)).await?;
                let draft = view.draft.ok_or(AppError::NotFound)?;
                self.check_draft(&draft, &reg, self.today())?;
                let body = self.referral_body(principal, &row, &draft, &reg, &reg_row)?;
                let message_id = Uuid::now_v7().to_string();
                let change = TransnationalChange {
                    body: Some(self.tnr_key("body", &row.id, &body)),
                    message_id: Some(message_id.clone()),
                    ..change_of(&row, &row.state, self.now())
                };
                let event = self
                    .tnr_event(principal, AuditAction::TransnationalReferralChanged, &row)
                    .detail(format!("message={message_id} to={} prepared for sending", row.peer));
                self.store.change_transnational_referral(&change, &event).await?;
                row = self.store.transnational_referral(&row.id).await?.ok_or(AppError::NotFound)?;
                (message_id, body)
            }
        };
        let message_uuid = Uuid::parse_str(&message_id).map_err(internal)?;
        self.exchange_send(
            Acting::User(principal),
            OutgoingMessage {
                message_id: message_uuid,
                receiver: row.peer.clone(),
                message_type: referral::MESSAGE_TYPE.into(),
                type_version: referral::TYPE_VERSION,
                body,
                lifetime: Duration::days(MESSAGE_LIFETIME_DAYS),
            },
        )
        .await?;
        self.change_state(principal, &row, desk, TransnationalState::Sent, None, Some(message_id), self.today())
            .await?;
        self.transnational_referral(principal, id).await
    }

    /// Sends a `referral_update` about an incoming referral to its sender, its message id
    /// stored with the event first.
    async fn send_update(
        &self,
        principal: &Principal,
        row: &TransnationalReferralRow,
        update: &ReferralUpdate,
        message_id: Uuid,
    ) -> AppResult<()> {
        let body = update.to_json(Self::wire_today(self.today())?).map_err(wire_error)?;
        self.exchange_send(
            Acting::User(principal),
            OutgoingMessage {
                message_id,
                receiver: row.peer.clone(),
                message_type: referral_update::MESSAGE_TYPE.into(),
                type_version: referral_update::TYPE_VERSION,
                body,
                lifetime: Duration::days(MESSAGE_LIFETIME_DAYS),
            },
        )
        .await
    }

    fn wire_date(field: &str, day: CalendarDate) -> AppResult<haven_exchange::messages::CalendarDate> {
        haven_exchange::messages::CalendarDate::parse(field, &day.to_string()).map_err(wire_error)
    }

    /// The receiving focal point accepts a referral received (optionally assigning a support
    /// organisation of its country at once) or declines it with the reason. The state is
    /// recorded first, with the update's message id; then the acknowledgement and the
    /// `referral_update` are handed to the exchange.
    pub async fn decide_transnational_referral(
        &self,
        principal: &Principal,
        id: &str,
        input: &DecisionInput,
    ) -> AppResult<TransnationalReferralView> {
        let desk = Desk::ReceivingFocalPoint;
        let row = self.tnr_at_desk(principal, id, Permission::ActAsFocalPoint, desk).await?;
        let today = self.today();
        let referral_id = Uuid::parse_str(&row.referral_id).map_err(internal)?;
        let received_message =
            row.message_id.as_deref().and_then(|m| Uuid::parse_str(m).ok()).ok_or(AppError::NotFound)?;
        match input.decision.trim() {
            "accept" => {
                let organisation = match input.organisation_id.trim() {
                    "" => None,
                    org => Some(self.local_organisation(principal, org).await?),
                };
                // Everything the exchange needs is checked before the decision is recorded, so
                // that the state is not left changed without its acknowledgement and update.
                self.ready_to_answer(&row, received_message).await?;
                let update_id = Uuid::now_v7();
                self.change_state(
                    principal,
                    &row,
                    desk,
                    TransnationalState::Accepted,
                    None,
                    Some(update_id.to_string()),
                    today,
                )
                .await?;
                self.exchange_acknowledge(Acting::User(principal), received_message, InboundOutcome::Accepted).await?;
                let accepted = ReferralUpdate {
                    referral_id,
                    status: UpdateStatus::Accepted,
                    effective_on: Self::wire_date("effective_on", today)?,
                    decline: None,
                    organisation: None,
                    follow_up_on: None,
                    note: None,
                };
                self.send_update(principal, &row, &accepted, update_id).await?;
                if let Some(org) = organisation {
                    let input = UpdateInput {
                        state: TransnationalState::OrganisationAssigned.code().into(),
                        organisation_id: org.id,
                        ..UpdateInput::default()
                    };
                    return self.update_transnational_referral(principal, id, &input).await;
                }
            }
            "decline" => {
                let reason: referral_update::DeclineReason = wire("reason", input.reason.trim())?;
                let explanation = optional(&input.explanation);
                if reason == referral_update::DeclineReason::Other && explanation.is_none() {
                    return Err(AppError::Invalid(ParseError::empty("explanation")));
                }
                let explanation = explanation
                    .map(|e| haven_exchange::messages::Narrative::parse("explanation", &e))
                    .transpose()
                    .map_err(wire_error)?;
                self.ready_to_answer(&row, received_message).await?;
                let detail = format!(
                    "{}{}",
                    input.reason.trim(),
                    explanation.as_ref().map(|e| format!(": {e}")).unwrap_or_default()
                );
                let update_id = Uuid::now_v7();
                self.change_state(
                    principal,
                    &row,
                    desk,
                    TransnationalState::Declined,
                    Some(&detail),
                    Some(update_id.to_string()),
                    today,
                )
                .await?;
                let refusal = match reason {
                    referral_update::DeclineReason::NotCompetent => RefusalReason::NotCompetent,
                    referral_update::DeclineReason::InsufficientInformation => RefusalReason::InsufficientInformation,
                    referral_update::DeclineReason::BasisInsufficient => RefusalReason::BasisInsufficient,
                    referral_update::DeclineReason::NoCapacity => RefusalReason::NoCapacity,
                    referral_update::DeclineReason::Other => RefusalReason::Other,
                };
                self.exchange_acknowledge(
                    Acting::User(principal),
                    received_message,
                    InboundOutcome::Refused {
                        reason: refusal,
                        explanation: explanation.as_ref().map(|e| e.to_string()),
                    },
                )
                .await?;
                let declined = ReferralUpdate {
                    referral_id,
                    status: UpdateStatus::Declined,
                    effective_on: Self::wire_date("effective_on", today)?,
                    decline: Some(referral_update::Decline { reason, explanation }),
                    organisation: None,
                    follow_up_on: None,
                    note: None,
                };
                self.send_update(principal, &row, &declined, update_id).await?;
            }
            _ => return Err(AppError::said("decision", "accept or decline", MessageId::TransnationalAcceptOrDecline)),
        }
        self.transnational_referral(principal, id).await
    }

    /// The exchange can take the acknowledgement of `received` and an update to the referral's
    /// sender: the message waits for a decision in the inbox, and the sender is a pinned peer.
    async fn ready_to_answer(&self, row: &TransnationalReferralRow, received: Uuid) -> AppResult<()> {
        match self.store.exchange_inbox_message(&received.hyphenated().to_string()).await? {
            Some(m) if m.state == "pending" => {}
            Some(_) => {
                return Err(AppError::conflict(
                    format!("the message {received} was answered already"),
                    Message::new(MessageId::ExchangeMessageAnsweredAlready).with("message", received),
                ));
            }
            None => {
                return Err(AppError::conflict(
                    format!("the message {received} is not in the exchange's inbox: it cannot be answered"),
                    Message::new(MessageId::ExchangeMessageNotInInbox).with("message", received),
                ));
            }
        }
        if self.store.exchange_peer(&row.peer).await?.is_none() {
            return Err(AppError::conflict(
                format!("{} is no longer a pinned peer: nothing can be sent to it", row.peer),
                Message::new(MessageId::ExchangePeerNoLongerPinned).with("peer", &row.peer),
            ));
        }
        Ok(())
    }

    /// The updates of an incoming referral that did not reach the sender.
    async fn updates_not_delivered(&self, row: &TransnationalReferralRow) -> AppResult<Vec<UpdateToResend>> {
        let mut out = Vec::new();
        if row.direction != "incoming" {
            return Ok(out);
        }
        for e in self.store.transnational_referral_events(&row.id).await? {
            let state = TransnationalState::parse_code("state", &e.state)?;
            let (Some(_), Some(message_id)) = (&e.by_user, &e.message_id) else { continue };
            if !state.is_update() {
                continue;
            }
            let original = Uuid::parse_str(message_id).map_err(internal)?;
            let Some(mut latest) = self.store.exchange_outbox_message(message_id).await? else {
                out.push(UpdateToResend {
                    seq: e.seq,
                    state,
                    message_id: message_id.clone(),
                    problem: "not_queued".into(),
                    resend_as: message_id.clone(),
                });
                continue;
            };
            let mut attempt: u8 = 1;
            while let Some(next) = self.store.exchange_outbox_message(&resend_id(original, attempt).to_string()).await?
            {
                latest = next;
                attempt = attempt.checked_add(1).ok_or_else(|| {
                    AppError::said("status", "re-sent too often", MessageId::TransnationalResentTooOften)
                })?;
            }
            // Refused: the envelope at delivery, or the update by the receiver's answer.
            let problem = match (latest.state.as_str(), latest.ack_status.as_deref()) {
                ("refused" | "expired", _) => Some(latest.state.clone()),
                (_, Some("refused")) => Some("refused".to_owned()),
                _ => None,
            };
            if let Some(problem) = problem {
                out.push(UpdateToResend {
                    seq: e.seq,
                    state,
                    message_id: message_id.clone(),
                    problem,
                    resend_as: resend_id(original, attempt).to_string(),
                });
            }
        }
        Ok(out)
    }

    /// The updates of a referral received that did not reach its sender, for the receiving
    /// focal point (empty for every other desk).
    pub async fn transnational_updates_to_resend(
        &self,
        principal: &Principal,
        id: &str,
    ) -> AppResult<Vec<UpdateToResend>> {
        let (row, desk) = self.tnr_row(principal, id).await?;
        if desk != Desk::ReceivingFocalPoint {
            return Ok(Vec::new());
        }
        self.updates_not_delivered(&row).await
    }

    /// The `referral_update` an event recorded, built again from the event (for an update that
    /// was never queued): its state and day, a decline's reason, the organisation assigned, the
    /// follow-up's day and the note, from the event's detail.
    async fn update_of_event(
        &self,
        row: &TransnationalReferralRow,
        seq: i64,
        state: TransnationalState,
    ) -> AppResult<ReferralUpdate> {
        let event = self
            .store
            .transnational_referral_events(&row.id)
            .await?
            .into_iter()
            .find(|e| e.seq == seq)
            .ok_or(AppError::NotFound)?;
        let detail = self.tnr_open_event_detail(&row.id, &event)?.unwrap_or_default();
        let status: UpdateStatus = wire("state", state.code())?;
        let effective_on =
            haven_exchange::messages::CalendarDate::parse("effective_on", &event.effective_on).map_err(wire_error)?;
        let decline = if state == TransnationalState::Declined {
            let (reason, explanation) = match detail.split_once(": ") {
                Some((r, e)) => (r.to_owned(), Some(e.to_owned())),
                None => (detail.clone(), None),
            };
            Some(referral_update::Decline {
                reason: wire("reason", reason.trim())?,
                explanation: explanation
                    .map(|e| haven_exchange::messages::Narrative::parse("explanation", &e))
                    .transpose()
                    .map_err(wire_error)?,
            })
        } else {
            None
        };
        let assigned = match &row.organisation_id {
            Some(org) if state == TransnationalState::OrganisationAssigned => Some(self.store.organisation(org).await?),
            _ => None,
        };
        let (lead, note) = detail_parts(state, &detail, assigned.as_ref().map(|o| o.name.as_str()));
        let organisation = match (state, lead) {
            (TransnationalState::OrganisationAssigned, Some(name)) => Some(assigned_organisation(name)?),
            _ => None,
        };
        let follow_up_on = match (state, lead) {
            (TransnationalState::FollowUpDue, Some(day)) => {
                Some(haven_exchange::messages::CalendarDate::parse("follow_up_on", day).map_err(wire_error)?)
            }
            _ => None,
        };
        let note =
            note.map(|n| haven_exchange::messages::Narrative::parse("note", n)).transpose().map_err(wire_error)?;
        Ok(ReferralUpdate {
            referral_id: Uuid::parse_str(&row.referral_id).map_err(internal)?,
            status,
            effective_on,
            decline,
            organisation,
            follow_up_on,
            note,
        })
    }

    /// The receiving focal point re-sends what did not reach the referral's sender: the
    /// acknowledgement of the decision when it was not queued, each update never queued (under
    /// its recorded message id) and each update whose delivery was refused or expired (the same
    /// body under a message id derived from the first, [`resend_id`]). Audited.
    pub async fn resend_transnational_updates(
        &self,
        principal: &Principal,
        id: &str,
    ) -> AppResult<TransnationalReferralView> {
        let row = self.tnr_at_desk(principal, id, Permission::ActAsFocalPoint, Desk::ReceivingFocalPoint).await?;
        let state = TransnationalState::parse_code("state", &row.state)?;
        let mut done = 0usize;
        if state != TransnationalState::Received
            && let Some(received) = row.message_id.as_deref()
            && let Some(inbox) = self.store.exchange_inbox_message(received).await?
            && inbox.state == "pending"
        {
            let outcome = if self
                .store
                .transnational_referral_events(&row.id)
                .await?
                .iter()
                .any(|e| e.state == TransnationalState::Declined.code())
            {
                InboundOutcome::Refused { reason: RefusalReason::Other, explanation: None }
            } else {
                InboundOutcome::Accepted
            };
            let received = Uuid::parse_str(received).map_err(internal)?;
            self.exchange_acknowledge(Acting::User(principal), received, outcome).await?;
            done += 1;
        }
        for pending in self.updates_not_delivered(&row).await? {
            let body = match pending.problem.as_str() {
                "not_queued" => {
                    let update = self.update_of_event(&row, pending.seq, pending.state).await?;
                    update.to_json(Self::wire_today(self.today())?).map_err(wire_error)?
                }
                _ => {
                    let sent =
                        self.store.exchange_outbox_message(&pending.message_id).await?.ok_or(AppError::NotFound)?;
                    self.keys.decrypt_field(&ctx("exchange_outbox", "body", &sent.message_id), &sent.body)?
                }
            };
            let resend_as = Uuid::parse_str(&pending.resend_as).map_err(internal)?;
            self.exchange_send(
                Acting::User(principal),
                OutgoingMessage {
                    message_id: resend_as,
                    receiver: row.peer.clone(),
                    message_type: referral_update::MESSAGE_TYPE.into(),
                    type_version: referral_update::TYPE_VERSION,
                    body,
                    lifetime: Duration::days(MESSAGE_LIFETIME_DAYS),
                },
            )
            .await?;
            let event = self.tnr_event(principal, AuditAction::TransnationalReferralChanged, &row).detail(format!(
                "peer={} update={} resent_as={} was={}",
                row.peer, pending.message_id, pending.resend_as, pending.problem
            ));
            self.store.append_audit(&event).await?;
            done += 1;
        }
        if done == 0 {
            return Err(AppError::conflict(
                "nothing of this referral waits to be re-sent",
                Message::new(MessageId::ExchangeNothingToResend),
            ));
        }
        self.transnational_referral(principal, id).await
    }

    /// A day as the wire format's date type.
    fn wire_today(today: CalendarDate) -> AppResult<time::Date> {
        time::Date::from_calendar_date(
            i32::from(today.year),
            time::Month::try_from(today.month).map_err(internal)?,
            today.day,
        )
        .map_err(internal)
    }

    /// Opens the draft case of a referral received in the organisation `org` assigned to it,
    /// with the person's fields the sender shared and the exploitation it reported.
    async fn open_case_of_referral(
        &self,
        principal: &Principal,
        row: &TransnationalReferralRow,
        org: &str,
    ) -> AppResult<String> {
        let organisation = self.store.organisation(org).await?;
        let body: serde_json::Value = match &row.body {
            Some(ct) => serde_json::from_slice(&self.tnr_open("body", &row.id, ct)?).map_err(internal)?,
            None => return Err(AppError::NotFound),
        };
        let reg = registration_of_referral(&body).map_err(internal)?;
        let detail = format!("opened from transnational referral {} of {}", row.id, row.peer);
        self.open_referred_case(principal, &organisation, reg, &detail).await
    }

    /// A support organisation of the principal's country.
    async fn local_organisation(&self, principal: &Principal, id: &str) -> AppResult<haven_storage::OrganisationRow> {
        match self.store.organisation(id).await {
            Ok(o) if o.jurisdiction == principal.actor.jurisdiction && !o.kind.is_statistical() => Ok(o),
            Ok(_) | Err(haven_storage::StorageError::NotFound) => Err(AppError::said(
                "organisation_id",
                "not an organisation of this country",
                MessageId::TransnationalOrganisationNotOfCountry,
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// A later update by the receiving focal point (organisation assigned, arrived safely,
    /// support started, follow-up due, closed), reported back to the sender.
    pub async fn update_transnational_referral(
        &self,
        principal: &Principal,
        id: &str,
        input: &UpdateInput,
    ) -> AppResult<TransnationalReferralView> {
        let desk = Desk::ReceivingFocalPoint;
        let row = self.tnr_at_desk(principal, id, Permission::ActAsFocalPoint, desk).await?;
        if self.store.exchange_peer(&row.peer).await?.is_none() {
            return Err(AppError::conflict(
                format!("{} is no longer a pinned peer: nothing can be sent to it", row.peer),
                Message::new(MessageId::ExchangePeerNoLongerPinned).with("peer", &row.peer),
            ));
        }
        let today = self.today();
        let to = TransnationalState::parse_code("state", input.state.trim())?;
        let status: UpdateStatus = wire("state", to.code())?;
        if matches!(status, UpdateStatus::Accepted | UpdateStatus::Declined) {
            return Err(AppError::said(
                "state",
                "accept or decline through the decision",
                MessageId::TransnationalDecisionNotUpdate,
            ));
        }
        let effective_on = match input.effective_on.trim() {
            "" => today,
            d => {
                let day = CalendarDate::parse("effective_on", d)?;
                if day > today {
                    return Err(AppError::Invalid(ParseError::in_future("effective_on", day, today)));
                }
                day
            }
        };
        let (organisation, organisation_id) = if to == TransnationalState::OrganisationAssigned {
            let org = self.local_organisation(principal, input.organisation_id.trim()).await?;
            (Some(assigned_organisation(&org.name)?), Some(org.id))
        } else {
            (None, None)
        };
        let follow_up_on = if to == TransnationalState::FollowUpDue {
            let day = CalendarDate::parse("follow_up_on", &input.follow_up_on)?;
            Some(Self::wire_date("follow_up_on", day)?)
        } else {
            None
        };
        let note = optional(&input.note)
            .map(|n| haven_exchange::messages::Narrative::parse("note", &n))
            .transpose()
            .map_err(wire_error)?;
        let update = ReferralUpdate {
            referral_id: Uuid::parse_str(&row.referral_id).map_err(internal)?,
            status,
            effective_on: Self::wire_date("effective_on", effective_on)?,
            decline: None,
            organisation: organisation.clone(),
            follow_up_on,
            note: note.clone(),
        };
        // Checked before anything is stored: the update must be one the wire carries.
        update.to_json(Self::wire_today(today)?).map_err(wire_error)?;
        let detail = [
            organisation.as_ref().map(|o| o.name.to_string()),
            follow_up_on.map(|d| d.to_string()),
            note.as_ref().map(|n| n.to_string()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(DETAIL_SEPARATOR);
        let update_id = Uuid::now_v7();
        self.change_state(
            principal,
            &row,
            desk,
            to,
            (!detail.is_empty()).then_some(detail.as_str()),
            Some(update_id.to_string()),
            effective_on,
        )
        .await?;
        if let Some(org) = organisation_id {
            let moved = self.store.transnational_referral(&row.id).await?.ok_or(AppError::NotFound)?;
            // The organisation finds the person among its cases: a draft carrying the fields
            // shared, linked to the referral (once; a later assignment keeps the case).
            let case_id = match &moved.case_id {
                Some(_) => None,
                None => Some(self.open_case_of_referral(principal, &moved, &org).await?),
            };
            let change = TransnationalChange {
                case_id,
                organisation_id: Some(org),
                ..change_of(&row, &moved.state, self.now())
            };
            let event = self.tnr_event(principal, AuditAction::TransnationalReferralChanged, &moved);
            self.store.change_transnational_referral(&change, &event).await?;
        }
        self.send_update(principal, &row, &update, update_id).await?;
        self.transnational_referral(principal, id).await
    }
}

/// A `referral` or `referral_update` received from a peer (the transport calls this once per
/// message id). A new referral is stored for the receiving focal point's review (`Pending`); an
/// update is applied to the referral this instance sent (`Accepted`). A body that does not parse
/// is refused for `invalid_body`; an update about no referral sent to that peer is refused.
pub async fn on_received(app: &App, message: &ReceivedMessage) -> AppResult<InboundOutcome> {
    let today = message.received_at.date();
    let refused = |reason: RefusalReason, explanation: String| {
        Ok(InboundOutcome::Refused { reason, explanation: Some(explanation) })
    };
    match message.message_type.as_str() {
        referral::MESSAGE_TYPE => {
            let referral = match Referral::parse(&message.body, today) {
                Ok(r) => r,
                Err(e) => return refused(RefusalReason::InvalidBody, format!("{}: {}", e.field, e.problem)),
            };
            let own = app.store.exchange_identity().await?.and_then(|i| country_of(&i.instance_id));
            if own.is_some_and(|c| c.as_str() != referral.receiving_country.as_str()) {
                return refused(RefusalReason::NotCompetent, "the receiving country is another one".into());
            }
            let referral_id = referral.referral_id.to_string();
            if app.store.transnational_referral_on_wire("incoming", &message.sender, &referral_id).await?.is_some() {
                return refused(RefusalReason::Other, "this referral was received before under another message".into());
            }
            let id = Uuid::now_v7().to_string();
            let now = app.now();
            let purpose_code = serde_json::to_value(referral.purpose).map_err(internal)?;
            let purpose = Purpose::parse_code("purpose", purpose_code.as_str().unwrap_or_default())?;
            let row = TransnationalReferralRow {
                id: id.clone(),
                referral_id,
                direction: "incoming".into(),
                peer: message.sender.clone(),
                case_id: None,
                organisation_id: None,
                purpose: purpose.code().into(),
                state: TransnationalState::Received.code().into(),
                draft: None,
                body: Some(app.tnr_key("body", &id, &message.body)),
                message_id: Some(message.message_id.to_string()),
                created_by: None,
                created_at: now,
                updated_at: now,
            };
            let first = TransnationalEventRow {
                referral_row: id.clone(),
                seq: 1,
                state: row.state.clone(),
                effective_on: format!("{}", haven_exchange::messages::CalendarDate(today)),
                by_user: None,
                message_id: row.message_id.clone(),
                detail: None,
                at: now,
            };
            let event = AuditEvent::new(
                now,
                AuditAction::TransnationalReferralReceived,
                haven_domain::audit::AuditOutcome::Success,
            )
            .on("transnational_referral", &id, None)
            .detail(format!("peer={} message={}", message.sender, message.message_id));
            app.store.insert_transnational_referral(&row, &first, &event).await?;
            Ok(InboundOutcome::Pending)
        }
        referral_update::MESSAGE_TYPE => {
            let update = match ReferralUpdate::parse(&message.body, today) {
                Ok(u) => u,
                Err(e) => return refused(RefusalReason::InvalidBody, format!("{}: {}", e.field, e.problem)),
            };
            let Some(row) = app
                .store
                .transnational_referral_on_wire("outgoing", &message.sender, &update.referral_id.to_string())
                .await?
            else {
                return refused(RefusalReason::Other, "no referral with this referral_id was sent to you".into());
            };
            let to = TransnationalState::parse_code("status", update.status.code())?;
            let from = TransnationalState::parse_code("state", &row.state)?;
            if let Err(e) = check_transition(from, to, Desk::ReceivingFocalPoint) {
                return refused(RefusalReason::Other, e.message);
            }
            let detail = [
                update.decline.as_ref().map(|d| {
                    format!(
                        "{}{}",
                        json!(d.reason).as_str().unwrap_or_default(),
                        d.explanation.as_ref().map(|e| format!(": {e}")).unwrap_or_default()
                    )
                }),
                update.organisation.as_ref().map(|o| format!("{} ({})", o.name, o.contact_point)),
                update.follow_up_on.map(|d| d.to_string()),
                update.note.as_ref().map(|n| n.to_string()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
            let now = app.now();
            let seq =
                i64::try_from(app.store.transnational_referral_events(&row.id).await?.len()).map_err(internal)? + 1;
            let change = TransnationalChange {
                event: Some(TransnationalEventRow {
                    referral_row: row.id.clone(),
                    seq,
                    state: to.code().into(),
                    effective_on: update.effective_on.to_string(),
                    by_user: None,
                    message_id: Some(message.message_id.to_string()),
                    detail: (!detail.is_empty()).then(|| app.tnr_event_detail(&row.id, seq, &detail)),
                    at: now,
                }),
                ..change_of(&row, &row.state, now)
            };
            let event = AuditEvent::new(
                now,
                AuditAction::TransnationalReferralChanged,
                haven_domain::audit::AuditOutcome::Success,
            )
            .on("transnational_referral", &row.id, row.organisation_id.as_deref())
            .detail(format!("from={from} to={to} peer={} message={}", message.sender, message.message_id));
            app.store.change_transnational_referral(&change, &event).await?;
            Ok(InboundOutcome::Accepted)
        }
        _ => refused(RefusalReason::UnsupportedMessageType, message.message_type.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use haven_exchange::messages::referral::{PersonField, ReferralPurpose};

    /// The default selection offered is the exchange's own minimum, purpose by purpose.
    /// An update rebuilt for re-sending keeps its note: the detail it was recorded with is read
    /// back into the organisation's name or the follow-up's day, and the note.
    #[test]
    fn an_updates_recorded_detail_gives_back_its_parts_and_note() {
        use TransnationalState as S;
        assert_eq!(detail_parts(S::ArrivedSafely, "Met at the station", None), (None, Some("Met at the station")));
        assert_eq!(detail_parts(S::SupportStarted, "", None), (None, None));
        assert_eq!(
            detail_parts(S::FollowUpDue, "2026-10-01 · Call · her first", None),
            (Some("2026-10-01"), Some("Call · her first"))
        );
        assert_eq!(detail_parts(S::FollowUpDue, "2026-10-01", None), (Some("2026-10-01"), None));
        assert_eq!(
            detail_parts(S::OrganisationAssigned, "Abi · Keskus · She speaks Russian", Some("Abi · Keskus")),
            (Some("Abi · Keskus"), Some("She speaks Russian"))
        );
        assert_eq!(
            detail_parts(S::OrganisationAssigned, "Old name · note", Some("Renamed")),
            (Some("Old name"), Some("note"))
        );
        assert_eq!(detail_parts(S::Declined, "no_capacity: full", None), (None, None));
    }

    #[test]
    fn the_domains_minimum_fields_are_the_exchanges() {
        for purpose in Purpose::ALL {
            let wire_purpose: ReferralPurpose = wire("purpose", purpose.code()).unwrap();
            let ours: Vec<&str> = SharedField::minimum_for(*purpose).iter().map(|f| f.code()).collect();
            let theirs: Vec<&str> = PersonField::minimum_for(wire_purpose).iter().map(|f| f.name()).collect();
            assert_eq!(ours, theirs, "{purpose}");
        }
        for field in SharedField::ALL {
            let on_wire: PersonField = wire("field", field.code()).unwrap();
            assert_eq!(on_wire.name(), field.code());
        }
    }
}
