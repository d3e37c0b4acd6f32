//! The criminal proceedings in the JSON API (the proceedings compartment): investigations,
//! their status and the victim's withdrawal of a report (Dir 2011/36 Art 9(1)), linked victims,
//! suspects (added, imported, linked to their case in identification), charges, prosecution
//! decisions, judgments, appeals and decisions on non-punishment notices (Dir 2011/36 Art 8;
//! CETS 197 Art 26); and what a reader of a case learns of its proceedings ("involved in
//! proceedings: yes"). Every handler calls one use case of `haven_app::proceedings`, where
//! access is decided and every read and write audited. The investigation travels as the use
//! case's own JSON (docs/proceedings.md).

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiPath, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use haven_app::proceedings::{CaseInvolvement, InvestigationSummary, InvestigationView, SuspectView};
use haven_domain::access::ProceedingsView;
use haven_domain::proceedings::charge::{ChargeInput, JudgmentInput};
use haven_domain::proceedings::suspect::{Suspect, SuspectInput};
use haven_domain::proceedings::{Investigation, InvestigationInput, OffenceInput, PlaceInput};
use haven_domain::{Coded, Language, Message, MessageId, ParseError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_investigations, open_investigation))
        .routes(routes!(get_investigation))
        .routes(routes!(change_status))
        .routes(routes!(record_withdrawal))
        .routes(routes!(link_victim))
        .routes(routes!(add_suspect))
        .routes(routes!(import_suspects))
        .routes(routes!(link_suspect))
        .routes(routes!(add_charge))
        .routes(routes!(decide_prosecution))
        .routes(routes!(record_judgment))
        .routes(routes!(lodge_appeal))
        .routes(routes!(decide_notice))
        .routes(routes!(case_involvement))
}

/// At most this many suspects in one import.
pub const MAX_IMPORT: usize = 200;

// ------------------------------------------------------------------ bodies

/// An investigation in a list (no personal data).
#[derive(Debug, Serialize, ToSchema)]
pub struct InvestigationSummaryBody {
    pub id: String,
    /// The unit's file number.
    pub reference: String,
    /// open, suspended, with_prosecutor, closed
    pub status: String,
    /// YYYY-MM-DD
    pub opened_on: String,
    /// Offence codes: trafficking, incitement, aiding_abetting, attempt, use_of_services.
    pub offences: Vec<String>,
    pub suspects: usize,
    /// Victims linked (by the id of their case in identification).
    pub victims: usize,
    /// Non-punishment notices waiting for the prosecutor's decision.
    pub open_notices: usize,
    pub version: i64,
}

impl From<InvestigationSummary> for InvestigationSummaryBody {
    fn from(s: InvestigationSummary) -> Self {
        InvestigationSummaryBody {
            id: s.id,
            reference: s.reference,
            status: s.status.code().to_owned(),
            opened_on: s.opened_on.to_string(),
            offences: s.offences,
            suspects: s.suspects,
            victims: s.victims,
            open_notices: s.open_notices,
            version: s.version,
        }
    }
}

/// What the user may do with the investigation; pages offer exactly these.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvestigationActionsBody {
    pub read: bool,
    /// Record suspects, charges, linked victims, status changes, judgments and appeals.
    pub write: bool,
    /// Prosecution decisions and decisions on non-punishment notices (the competent
    /// prosecutor's office only).
    pub prosecute: bool,
}

/// One investigation: the record, its suspects with their charges (each with the warnings of
/// the penalty floors of Dir 2011/36 Art 4), decisions, judgments, appeals and non-punishment
/// notices, and what the user may do.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvestigationViewBody {
    /// The investigation: id, country, reference, unit_organisation_id,
    /// prosecutor_organisation_id, opened_on, opening, report, offences, places, acts_from,
    /// acts_until, other_countries, status, status_since, closure, victims (case ids), summary.
    #[schema(value_type = Object)]
    pub investigation: Investigation,
    /// Send nothing back: changes are checked against the stored version.
    pub version: i64,
    /// Each suspect with `records` (kind: charge with its warnings, prosecution_decision,
    /// judgment, appeal) and `notices` (the non-punishment notices, with their text).
    #[schema(value_type = Vec<Object>)]
    pub suspects: Vec<SuspectView>,
    pub actions: InvestigationActionsBody,
    /// The sources of the national practice in force (maximum penalties).
    pub practice_sources: Vec<String>,
}

impl From<InvestigationView> for InvestigationViewBody {
    fn from(v: InvestigationView) -> Self {
        InvestigationViewBody {
            investigation: v.investigation,
            version: v.version,
            suspects: v.suspects,
            actions: InvestigationActionsBody {
                read: v.actions.read,
                write: v.actions.write,
                prosecute: v.actions.prosecute,
            },
            practice_sources: v.practice_sources,
        }
    }
}

/// An offence under investigation.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct OffenceBody {
    /// trafficking (Dir 2011/36 Art 2), incitement, aiding_abetting, attempt (Art 3),
    /// use_of_services (Art 18a)
    pub kind: String,
    /// Forms of exploitation of the reference catalogue (sexual, forced_labour, begging, ...);
    /// at least one.
    pub forms: Vec<String>,
    /// The national provision, e.g. "Criminal Law s. 154.1(2)".
    pub national_provision: String,
}

/// A place where acts happened.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PlaceBody {
    /// ISO 3166-1 alpha-2
    pub country: String,
    pub locality: String,
}

/// Opening an investigation: ex officio, or on a report (who reported and when). It never
/// depends on the victim's report (Dir 2011/36 Art 9(1)).
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct NewInvestigationBody {
    /// The unit's file number.
    pub reference: String,
    /// The competent prosecutor's office (an organisation of kind prosecution of the same
    /// country), or empty.
    pub prosecutor_organisation_id: String,
    /// YYYY-MM-DD
    pub opened_on: String,
    /// ex_officio or report
    pub opening: String,
    /// victim, third_party, authority, anonymous (on a report only)
    pub reporter: String,
    /// YYYY-MM-DD (on a report only)
    pub reported_on: String,
    pub offences: Vec<OffenceBody>,
    pub places: Vec<PlaceBody>,
    /// YYYY-MM-DD, or empty.
    pub acts_from: String,
    /// YYYY-MM-DD, or empty.
    pub acts_until: String,
    /// Other countries involved (ISO 3166-1 alpha-2).
    pub other_countries: Vec<String>,
    pub summary: String,
}

impl From<NewInvestigationBody> for InvestigationInput {
    fn from(b: NewInvestigationBody) -> Self {
        InvestigationInput {
            reference: b.reference,
            prosecutor_organisation_id: b.prosecutor_organisation_id,
            opened_on: b.opened_on,
            opening: b.opening,
            reporter: b.reporter,
            reported_on: b.reported_on,
            offences: b
                .offences
                .into_iter()
                .map(|o| OffenceInput { kind: o.kind, forms: o.forms, national_provision: o.national_provision })
                .collect(),
            places: b.places.into_iter().map(|p| PlaceInput { country: p.country, locality: p.locality }).collect(),
            acts_from: b.acts_from,
            acts_until: b.acts_until,
            other_countries: b.other_countries,
            summary: b.summary,
        }
    }
}

/// A change of status: open, suspended, with_prosecutor, or closed with its ground.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct StatusBody {
    pub status: String,
    /// When closing: no_offence, insufficient_evidence, offender_unknown, suspect_deceased,
    /// limitation, joined_to_another, transferred_abroad, concluded. Never the victim's
    /// withdrawal (Dir 2011/36 Art 9(1)).
    pub closure: String,
}

/// The reporter withdrew the report, or the victim the statement.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct WithdrawalBody {
    /// YYYY-MM-DD
    pub withdrawn_on: String,
}

/// What recording a withdrawal says, and the investigation as it goes on.
#[derive(Debug, Serialize, ToSchema)]
pub struct WithdrawalRecordedBody {
    /// That the investigation goes on (Dir 2011/36 Art 9(1)), in English.
    pub message: String,
    pub investigation: InvestigationViewBody,
}

/// A victim linked by the id of the case in identification (a link, never a copy).
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct VictimLinkBody {
    pub case_id: String,
}

/// A suspect or accused, natural or legal person.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SuspectBody {
    /// natural or legal
    pub kind: String,
    pub name: String,
    /// The person's case in identification, when the person is registered there (a presumed or
    /// identified victim raises the non-punishment notice), or empty.
    pub case_id: String,
    /// recruiter, transporter, harbourer, exploiter, financier, facilitator, user_of_services
    pub roles: Vec<String>,
    pub criminal_organisation: bool,
    pub public_official: bool,
    /// ISO 3166-1 alpha-2, or empty.
    pub citizenship: String,
    /// female, male, other, unknown (natural persons), or empty.
    pub sex: String,
    /// An age group code (0_11 ... 65_plus, unknown), or empty.
    pub age_group: String,
    /// A legal person's liability (Dir 2011/36 Art 5): leading_position or lack_of_supervision.
    pub liability: String,
}

impl From<SuspectBody> for SuspectInput {
    fn from(b: SuspectBody) -> Self {
        SuspectInput {
            kind: b.kind,
            name: b.name,
            case_id: b.case_id,
            roles: b.roles,
            criminal_organisation: b.criminal_organisation,
            public_official: b.public_official,
            citizenship: b.citizenship,
            sex: b.sex,
            age_group: b.age_group,
            liability: b.liability,
        }
    }
}

/// Suspects from another system's file.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ImportBody {
    /// At most 200.
    pub suspects: Vec<SuspectBody>,
}

/// A suspect linked to the person's case in identification.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SuspectLinkBody {
    pub suspect_id: String,
    pub case_id: String,
}

/// A charge of a suspect, with its aggravating circumstances (Dir 2011/36 Art 4(2), 4(3)).
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ChargeBody {
    pub suspect_id: String,
    /// An offence the investigation concerns.
    pub offence: String,
    pub national_provision: String,
    /// child_victim, particularly_vulnerable, criminal_organisation, life_endangered,
    /// serious_violence, serious_harm, public_official, ict_sexual_images
    pub circumstances: Vec<String>,
    /// YYYY-MM-DD
    pub charged_on: String,
}

/// The prosecutor's decision on a suspect.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ProsecutionDecisionBody {
    pub suspect_id: String,
    /// indicted, penal_order, not_prosecuted, discontinued
    pub outcome: String,
    /// Required when not prosecuting.
    pub reasons: String,
}

/// A court's judgment on a prosecuted suspect.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct JudgmentBody {
    pub suspect_id: String,
    pub court: String,
    /// first, appeal, cassation
    pub instance: String,
    /// convicted, acquitted, terminated
    pub verdict: String,
    /// YYYY-MM-DD
    pub judged_on: String,
    /// A conviction's custody in months (1 to 600); nothing otherwise.
    pub custody_months: Option<u32>,
    pub suspended: bool,
    pub is_final: bool,
}

/// An appeal against a judgment that is not final.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AppealBody {
    pub judgment_id: String,
    /// prosecution, defence, victim
    pub appellant: String,
    /// YYYY-MM-DD
    pub lodged_on: String,
}

/// The prosecutor's decision on a non-punishment notice, once, with reasons.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct NoticeDecisionBody {
    pub notice_id: String,
    /// not_prosecuted, no_penalty_sought, not_compelled
    pub outcome: String,
    pub reasons: String,
}

/// What a reader of a case learns of its proceedings.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvolvementBody {
    /// involvement_only (a caseworker: whether, never which investigation) or proceedings
    /// (who reads the case's proceedings part).
    pub view: String,
    /// Involved in criminal proceedings: the person's case is linked to an investigation.
    pub involved: bool,
}

impl From<CaseInvolvement> for InvolvementBody {
    fn from(c: CaseInvolvement) -> Self {
        let view = match c.view {
            ProceedingsView::Nothing => "nothing",
            ProceedingsView::InvolvementOnly => "involvement_only",
            ProceedingsView::Proceedings => "proceedings",
            ProceedingsView::VictimsView => "victims_view",
        };
        InvolvementBody { view: view.to_owned(), involved: c.involved.unwrap_or(false) }
    }
}

/// The suspects of an import, each checked before any is written, an error naming
/// `suspects[i].field`.
pub fn import_inputs(suspects: Vec<SuspectBody>) -> Result<Vec<SuspectInput>, ParseError> {
    if suspects.is_empty() {
        return Err(ParseError::empty("suspects"));
    }
    if suspects.len() > MAX_IMPORT {
        return Err(ParseError::said(
            "suspects",
            format!("at most {MAX_IMPORT} entries"),
            Message::new(MessageId::AtMostEntries).with("max", MAX_IMPORT),
        ));
    }
    let mut out = Vec::new();
    for (i, s) in suspects.into_iter().enumerate() {
        let input = SuspectInput::from(s);
        if let Err(e) = Suspect::parse(String::new(), String::new(), &input) {
            let field = format!("suspects[{i}].{}", e.field);
            return Err(e.within(field));
        }
        out.push(input);
    }
    Ok(out)
}

fn view(v: InvestigationView) -> Json<InvestigationViewBody> {
    Json(InvestigationViewBody::from(v))
}

fn created(v: InvestigationView) -> Response {
    (StatusCode::CREATED, view(v)).into_response()
}

// ------------------------------------------------------------------ handlers

/// The investigations of my organisation, as the investigating unit or the competent
/// prosecutor's office. Audited.
#[utoipa::path(get, path = "/investigations", tag = "proceedings",
    responses((status = 200, body = Vec<InvestigationSummaryBody>), (status = 403, body = ErrorBody)))]
async fn list_investigations(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    let list: Vec<InvestigationSummaryBody> = state.app.investigations(&p).await?.into_iter().map(Into::into).collect();
    Ok(Json(list).into_response())
}

/// Open an investigation as my unit: ex officio, or on a report. It never waits for the
/// victim (Dir 2011/36 Art 9(1)).
#[utoipa::path(post, path = "/investigations", tag = "proceedings", request_body = NewInvestigationBody,
    responses((status = 201, body = InvestigationViewBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn open_investigation(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(body): ApiJson<NewInvestigationBody>,
) -> WebResult<Response> {
    Ok(created(state.app.open_investigation(&p, &body.into()).await?))
}

/// One investigation, everything of it I may read, with the actions offered. Audited.
#[utoipa::path(get, path = "/investigations/{id}", tag = "proceedings", params(("id" = String, Path)),
    responses((status = 200, body = InvestigationViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_investigation(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(view(state.app.investigation(&p, &id).await?).into_response())
}

/// Change the investigation's status; a closure names its ground, never the victim's
/// withdrawal (Dir 2011/36 Art 9(1)).
#[utoipa::path(post, path = "/investigations/{id}/status", tag = "proceedings", params(("id" = String, Path)),
    request_body = StatusBody,
    responses((status = 200, body = InvestigationViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_status(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<StatusBody>,
) -> WebResult<Response> {
    Ok(view(state.app.change_investigation_status(&p, &id, &b.status, &b.closure).await?).into_response())
}

/// Record that the report (or the victim's statement) was withdrawn: the investigation goes
/// on as it was (Dir 2011/36 Art 9(1)).
#[utoipa::path(post, path = "/investigations/{id}/report-withdrawal", tag = "proceedings",
    params(("id" = String, Path)), request_body = WithdrawalBody,
    responses((status = 200, body = WithdrawalRecordedBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_withdrawal(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<WithdrawalBody>,
) -> WebResult<Response> {
    let said = state.app.record_report_withdrawal(&p, &id, &b.withdrawn_on).await?;
    let message = state.i18n.tr(Language::English).msg(&said);
    let investigation = InvestigationViewBody::from(state.app.investigation(&p, &id).await?);
    Ok(Json(WithdrawalRecordedBody { message, investigation }).into_response())
}

/// Link a victim by the id of the case in identification (a case of my organisation or shared
/// with it for its identity).
#[utoipa::path(post, path = "/investigations/{id}/victims", tag = "proceedings", params(("id" = String, Path)),
    request_body = VictimLinkBody,
    responses((status = 201, body = InvestigationViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn link_victim(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<VictimLinkBody>,
) -> WebResult<Response> {
    Ok(created(state.app.link_victim(&p, &id, &b.case_id).await?))
}

/// Add a suspect. Naming a case whose person is a registered, presumed or identified victim
/// raises the non-punishment notice (Dir 2011/36 Art 8; CETS 197 Art 26).
#[utoipa::path(post, path = "/investigations/{id}/suspects", tag = "proceedings", params(("id" = String, Path)),
    request_body = SuspectBody,
    responses((status = 201, body = InvestigationViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_suspect(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<SuspectBody>,
) -> WebResult<Response> {
    Ok(created(state.app.add_suspect(&p, &id, &b.into()).await?))
}

/// Import suspects from another system's file (at most 200), each as if added one by one,
/// the non-punishment notice on this path too. Every suspect is checked before any is written;
/// an error names `suspects[i].field`.
#[utoipa::path(post, path = "/investigations/{id}/suspects/import", tag = "proceedings",
    params(("id" = String, Path)), request_body = ImportBody,
    responses((status = 201, body = InvestigationViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_suspects(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<ImportBody>,
) -> WebResult<Response> {
    // Access first (a user who may not write the investigation learns nothing of the file's
    // problems), then the file, then the writes.
    let current = state.app.investigation(&p, &id).await?;
    if !current.actions.write {
        return Err(haven_app::AppError::Forbidden.into());
    }
    let inputs = import_inputs(b.suspects)?;
    Ok(created(state.app.import_suspects(&p, &id, &inputs).await?))
}

/// Link a suspect to the person's case in identification; a registered, presumed or identified
/// victim raises the non-punishment notice.
#[utoipa::path(post, path = "/investigations/{id}/suspect-links", tag = "proceedings",
    params(("id" = String, Path)), request_body = SuspectLinkBody,
    responses((status = 200, body = InvestigationViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn link_suspect(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<SuspectLinkBody>,
) -> WebResult<Response> {
    Ok(view(state.app.link_suspect_case(&p, &id, &b.suspect_id, &b.case_id).await?).into_response())
}

/// Charge a suspect, with the aggravating circumstances (Dir 2011/36 Art 4). The charge comes
/// back with a warning where the national maximum penalty falls below the Directive's floor.
#[utoipa::path(post, path = "/investigations/{id}/charges", tag = "proceedings", params(("id" = String, Path)),
    request_body = ChargeBody,
    responses((status = 201, body = InvestigationViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_charge(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<ChargeBody>,
) -> WebResult<Response> {
    let input = ChargeInput {
        offence: b.offence,
        national_provision: b.national_provision,
        circumstances: b.circumstances,
        charged_on: b.charged_on,
    };
    Ok(created(state.app.add_charge(&p, &id, &b.suspect_id, &input).await?))
}

/// The prosecutor's decision on a suspect (the competent prosecutor's office only). Refused
/// while a non-punishment notice of the suspect waits for a decision (Dir 2011/36 Art 8).
#[utoipa::path(post, path = "/investigations/{id}/prosecution-decisions", tag = "proceedings",
    params(("id" = String, Path)), request_body = ProsecutionDecisionBody,
    responses((status = 201, body = InvestigationViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decide_prosecution(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<ProsecutionDecisionBody>,
) -> WebResult<Response> {
    Ok(created(state.app.decide_prosecution(&p, &id, &b.suspect_id, &b.outcome, &b.reasons).await?))
}

/// A court's judgment on a prosecuted suspect: a conviction with its sentence, nothing else
/// with one.
#[utoipa::path(post, path = "/investigations/{id}/judgments", tag = "proceedings", params(("id" = String, Path)),
    request_body = JudgmentBody,
    responses((status = 201, body = InvestigationViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_judgment(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<JudgmentBody>,
) -> WebResult<Response> {
    let input = JudgmentInput {
        court: b.court,
        instance: b.instance,
        verdict: b.verdict,
        judged_on: b.judged_on,
        custody_months: b.custody_months.map(|m| m.to_string()).unwrap_or_default(),
        suspended: b.suspended,
        is_final: b.is_final,
    };
    Ok(created(state.app.record_judgment(&p, &id, &b.suspect_id, &input).await?))
}

/// An appeal against a judgment that is not final.
#[utoipa::path(post, path = "/investigations/{id}/appeals", tag = "proceedings", params(("id" = String, Path)),
    request_body = AppealBody,
    responses((status = 201, body = InvestigationViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn lodge_appeal(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<AppealBody>,
) -> WebResult<Response> {
    Ok(created(state.app.lodge_appeal(&p, &id, &b.judgment_id, &b.appellant, &b.lodged_on).await?))
}

/// The prosecutor's decision on a non-punishment notice (Dir 2011/36 Art 8; CETS 197 Art 26),
/// recorded once with its reasons (the competent prosecutor's office only).
#[utoipa::path(post, path = "/investigations/{id}/notice-decisions", tag = "proceedings",
    params(("id" = String, Path)), request_body = NoticeDecisionBody,
    responses((status = 200, body = InvestigationViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decide_notice(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<NoticeDecisionBody>,
) -> WebResult<Response> {
    Ok(view(state.app.decide_notice(&p, &id, &b.notice_id, &b.outcome, &b.reasons).await?).into_response())
}

/// Whether the person of a case is involved in criminal proceedings: for a reader of the case's
/// identity or support, only that ("involved in proceedings: yes"), never which investigation.
/// Audited.
#[utoipa::path(get, path = "/cases/{id}/proceedings-involvement", tag = "proceedings",
    params(("id" = String, Path)),
    responses((status = 200, body = InvolvementBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn case_involvement(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(InvolvementBody::from(state.app.case_involvement(&p, &id).await?)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suspect(name: &str) -> SuspectBody {
        SuspectBody {
            kind: "natural".into(),
            name: name.into(),
            roles: vec!["recruiter".into()],
            ..SuspectBody::default()
        }
    }

    #[test]
    fn an_import_is_checked_whole_and_an_error_names_the_suspect_and_its_field() {
        assert_eq!(import_inputs(vec![suspect("A. K."), suspect("B. L.")]).unwrap().len(), 2);
        let mut bad = suspect("B. L.");
        bad.roles = vec!["banker".into()];
        let e = import_inputs(vec![suspect("A. K."), bad]).unwrap_err();
        assert_eq!(e.field, "suspects[1].roles");
        assert_eq!(import_inputs(vec![]).unwrap_err().field, "suspects");
        let many: Vec<SuspectBody> = (0..=MAX_IMPORT).map(|i| suspect(&format!("S{i}"))).collect();
        assert_eq!(import_inputs(many).unwrap_err().field, "suspects");
    }
}
