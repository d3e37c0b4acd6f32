//! The identification API (national referral mechanism): registrations, decisions, records,
//! anonymous notifications, deadlines, search and HTCDS exchange. Domain values travel as
//! their JSON form (documented in docs/identification.md and docs/htcds.md).

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Json, Response};
use haven_app::ident::{
    CaseFile, CaseFilter, CaseListItem, CaseRecordInput, CaseRecordView, ClockView, DeadlineItem, DecisionInput,
    DecisionView, IdentificationCounts, NotificationInput, Saved, SearchHit, SearchInput,
};
use haven_domain::ident::htcds;
use haven_domain::ident::procedure::{MemberVote, Vote};
use haven_domain::ident::record::{Registration, RegistrationState};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_registrations, create_registration))
        .routes(routes!(import_registrations))
        .routes(routes!(get_registration, update_registration))
        .routes(routes!(submit_registration))
        .routes(routes!(record_decision))
        .routes(routes!(request_reconsideration))
        .routes(routes!(add_record))
        .routes(routes!(export_registration))
        .routes(routes!(export_registrations))
        .routes(routes!(file_notification))
        .routes(routes!(deadlines))
        .routes(routes!(search_persons))
        .routes(routes!(identification_statistics))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// draft or submitted
    pub state: Option<String>,
    /// referred, presumed_victim, first_decision_negative, identified_victim, not_identified,
    /// first_decision_reconsideration, final_decision_reconsideration, withdrawn
    pub nrm_status: Option<String>,
    /// true: children and presumed children only; false: adults only
    pub child: Option<bool>,
    /// A form of exploitation id
    pub form: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Registrations I may see, with filters (coded values only, no personal data). For the
/// competent authority: every referred case of its country.
#[utoipa::path(get, path = "/registrations", tag = "identification", params(ListQuery),
    responses((status = 200, body = Vec<CaseListItemBody>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_registrations(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> WebResult<Response> {
    let filter = CaseFilter {
        state: q.state,
        nrm_status: q.nrm_status,
        child: q.child,
        form: q.form,
        limit: q.limit,
        offset: q.offset,
    };
    let list: Vec<CaseListItemBody> = state.app.case_list(&p, &filter).await?.into_iter().map(Into::into).collect();
    Ok(Json(list).into_response())
}

/// Register a presumed victim (saved as a draft; refer it with `/submit`). The reply lists
/// possible duplicates within my scope (`possible_duplicates`: the same document number, or a
/// person the linkage engine puts at a match probability of 0.5 or more), each with the engine's
/// `probability` and `explanation` (field, level, weight).
#[utoipa::path(post, path = "/registrations", tag = "identification", request_body = RegistrationBody,
    responses((status = 201, body = SavedBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_registration(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(reg): ApiJson<RegistrationBody>,
) -> WebResult<Response> {
    let saved = state.app.create_registration(&p, reg.into()).await?;
    Ok((StatusCode::CREATED, Json(SavedBody::from(saved))).into_response())
}

/// The case file: registration, age and child status, indicators and the Art 2 test (decision
/// support), status and decisions, clocks, residence, non-punishment notice. Audited.
#[utoipa::path(get, path = "/registrations/{id}", tag = "identification", params(("id" = String, Path)),
    responses((status = 200, body = CaseFileBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_registration(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(CaseFileBody::from(state.app.case_file(&p, &id).await?)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBody {
    /// The version loaded: a save over a newer one is a conflict (409).
    pub version: i64,
    pub registration: RegistrationBody,
}

/// Save a changed registration (finish a draft, or correct one after referral).
#[utoipa::path(put, path = "/registrations/{id}", tag = "identification", params(("id" = String, Path)),
    request_body = UpdateBody,
    responses((status = 200, body = SavedBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_registration(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<UpdateBody>,
) -> WebResult<Response> {
    let version = issued_version(body.version)?;
    let saved = state.app.update_registration(&p, &id, version, body.registration.into()).await?;
    Ok(Json(SavedBody::from(saved)).into_response())
}

/// A registration's version as sent back: versions start at 1 and go up by one with each save,
/// so a number below 1, or one that could not be followed by another, was never given out
/// (422 naming `version`, where a version merely out of date is 409).
fn issued_version(version: i64) -> WebResult<i64> {
    if (1..i64::MAX).contains(&version) {
        Ok(version)
    } else {
        Err(haven_app::AppError::said(
            "version",
            "is not a version this server gave out",
            haven_domain::MessageId::NotAVersionGivenOut,
        )
        .into())
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitBody {
    pub version: i64,
}

/// Refer a draft to the national referral mechanism (an adult needs informed consent; a child
/// is referred without it).
#[utoipa::path(post, path = "/registrations/{id}/submit", tag = "identification", params(("id" = String, Path)),
    request_body = SubmitBody,
    responses((status = 200, body = SavedBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit_registration(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<SubmitBody>,
) -> WebResult<Response> {
    let version = issued_version(body.version)?;
    Ok(Json(SavedBody::from(state.app.submit_registration(&p, &id, version).await?)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// The position of the decision: the case's `next_seq` as loaded.
    pub seq: u32,
    /// first_decision_positive, first_decision_negative (two-decision procedures),
    /// final_decision_positive, final_decision_negative, reconsideration_requested,
    /// reconsideration_upheld, reconsideration_overturned, withdrawal. Which may follow, and who
    /// may take them, is the country's procedure (its profile).
    pub kind: String,
    /// YYYY-MM-DD
    pub decided_on: String,
    #[serde(default)]
    pub reasons: String,
    /// The seq of the decision this one corrects.
    #[serde(default)]
    pub corrects: Option<u32>,
    /// For a decision taken by a commission: each member's vote.
    #[serde(default)]
    pub votes: Vec<VoteBody>,
}

/// One commission member's vote.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteBody {
    /// The seat the member holds (one of the commission's seats in the profile).
    pub seat: String,
    /// The member's name as minuted.
    pub member: String,
    /// for, against, abstain
    pub vote: String,
}

/// Record a status decision (competent authority). Illegal transitions and concurrent
/// decisions are 409 with the reason.
#[utoipa::path(post, path = "/registrations/{id}/decisions", tag = "identification", params(("id" = String, Path)),
    request_body = DecisionBody,
    responses((status = 201, body = DecisionViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_decision(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<DecisionBody>,
) -> WebResult<Response> {
    let mut votes = Vec::with_capacity(b.votes.len());
    for (i, v) in b.votes.into_iter().enumerate() {
        let vote = <Vote as haven_domain::Coded>::parse_code(&format!("votes[{i}].vote"), &v.vote)
            .map_err(haven_app::AppError::from)?;
        votes.push(MemberVote { seat: v.seat, member: v.member, vote });
    }
    let input = DecisionInput {
        seq: b.seq,
        kind: b.kind,
        decided_on: b.decided_on,
        reasons: b.reasons,
        corrects: b.corrects,
        votes,
    };
    let view = state.app.record_decision(&p, &id, &input).await?;
    Ok((StatusCode::CREATED, Json(DecisionViewBody::from(view))).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReconsiderationBody {
    /// The position of the request: the case's `next_seq` as loaded.
    pub seq: u32,
    /// YYYY-MM-DD
    pub requested_on: String,
    pub reasons: String,
}

/// Ask the competent authority to reconsider a negative decision (the organisation that
/// referred or supports the person). The outcome is the competent authority's decision.
#[utoipa::path(post, path = "/registrations/{id}/reconsideration-requests", tag = "identification",
    params(("id" = String, Path)), request_body = ReconsiderationBody,
    responses((status = 201, body = DecisionViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn request_reconsideration(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<ReconsiderationBody>,
) -> WebResult<Response> {
    let input = haven_app::ident::ReconsiderationInput { seq: b.seq, requested_on: b.requested_on, reasons: b.reasons };
    let view = state.app.request_reconsideration(&p, &id, &input).await?;
    Ok((StatusCode::CREATED, Json(DecisionViewBody::from(view))).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordBody {
    /// permit_application (applied_on, ground), permit_decision (application_id, decided_on,
    /// granted, valid_from, valid_until, renewal_of), protection_application (applied_on, outcome,
    /// decided_on), reflection_termination (terminated_on, ground), criminal_matter (offence,
    /// authority, reference, recorded_on, compelled)
    pub kind: String,
    #[serde(default)]
    pub fields: std::collections::BTreeMap<String, String>,
}

/// Add a residence, protection or criminal-matter record.
#[utoipa::path(post, path = "/registrations/{id}/records", tag = "identification", params(("id" = String, Path)),
    request_body = RecordBody,
    responses((status = 201, body = CaseRecordViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_record(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<RecordBody>,
) -> WebResult<Response> {
    let view = state.app.add_case_record(&p, &id, &CaseRecordInput { kind: b.kind, fields: b.fields }).await?;
    Ok((StatusCode::CREATED, Json(CaseRecordViewBody::from(view))).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FormatQuery {
    /// json (default), csv or xlsx
    pub format: Option<String>,
}

/// The forms of an HTCDS file (docs/htcds.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HtcdsFormat {
    Json,
    Csv,
    Xlsx,
}

fn htcds_format(format: Option<&str>) -> WebResult<HtcdsFormat> {
    match format.unwrap_or("json") {
        "json" => Ok(HtcdsFormat::Json),
        "csv" => Ok(HtcdsFormat::Csv),
        "xlsx" => Ok(HtcdsFormat::Xlsx),
        _ => {
            Err(haven_app::AppError::said("format", "json, csv or xlsx", haven_domain::MessageId::NotAnHtcdsFormat)
                .into())
        }
    }
}

fn format_of(q: &FormatQuery) -> WebResult<HtcdsFormat> {
    htcds_format(q.format.as_deref())
}

/// Every problem of a refused file, each with its place (line and column, row and cell, or index and path).
fn rejected(errors: Vec<haven_domain::ParseError>) -> crate::error::WebError {
    haven_app::AppError::Rejected(
        errors.into_iter().map(|e| haven_app::Problem { location: e.field, message: e.message }).collect(),
    )
    .into()
}

/// The documents as a file of the asked form.
fn htcds_file(docs: &[htcds::HtcdsCase], format: HtcdsFormat) -> WebResult<Response> {
    Ok(match format {
        HtcdsFormat::Csv => ([(CONTENT_TYPE, "text/csv; charset=utf-8")], htcds::to_csv(docs)).into_response(),
        HtcdsFormat::Json => ([(CONTENT_TYPE, "application/json")], htcds::to_json(docs)).into_response(),
        HtcdsFormat::Xlsx => {
            let bytes = crate::htcds_xlsx::write(docs).map_err(|e| haven_app::AppError::Internal(Box::new(e)))?;
            (
                [
                    (CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                    (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"htcds.xlsx\""),
                ],
                bytes,
            )
                .into_response()
        }
    })
}

/// One case as an HTCDS document: Haven's status, reference and case worker with the registration.
async fn htcds_document(state: &AppState, p: &haven_app::Principal, id: &str) -> WebResult<htcds::HtcdsCase> {
    let (reg, meta) = state.app.registration_for_export(p, id).await?;
    Ok(htcds::to_htcds(&reg, &meta))
}

/// Export a case in HTCDS v2.0 (JSON, CSV or XLSX in the template's layout). Audited.
#[utoipa::path(get, path = "/registrations/{id}/htcds", tag = "identification",
    params(("id" = String, Path), FormatQuery),
    responses((status = 200, description = "A JSON array of one HTCDS v2.0 document (HTCDS field names as keys, \
        Haven's own fields in the x_haven section, docs/htcds.md), CSV, or XLSX in the template's layout",
        content((Vec<BTreeMap<String, serde_json::Value>> = "application/json"), (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn export_registration(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<FormatQuery>,
) -> WebResult<Response> {
    let format = format_of(&q)?;
    let doc = htcds_document(&state, &p, &id).await?;
    htcds_file(&[doc], format)
}

/// Cases to export together.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HtcdsExportBody {
    /// The cases' ids (at most 1000).
    pub cases: Vec<String>,
    /// json (default), csv or xlsx
    #[serde(default)]
    pub format: Option<String>,
}

/// Export a selection of cases in HTCDS v2.0 (JSON, CSV or XLSX in the template's layout), each case
/// authorised and audited as a single export is. A case the user may not read refuses the whole batch.
#[utoipa::path(post, path = "/registrations/htcds-export", tag = "identification", request_body = HtcdsExportBody,
    responses((status = 200, description = "The cases as one HTCDS v2.0 file (docs/htcds.md)",
        content((Vec<BTreeMap<String, serde_json::Value>> = "application/json"), (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn export_registrations(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<HtcdsExportBody>,
) -> WebResult<Response> {
    state.app.may_export_registrations(&p).await?;
    let format = htcds_format(b.format.as_deref())?;
    if b.cases.len() > 1000 {
        return Err(haven_app::AppError::Invalid(haven_domain::ParseError::said(
            "cases",
            "at most 1000 cases per export",
            haven_domain::Message::new(haven_domain::MessageId::AtMostCasesPerImport).with("max", 1000),
        ))
        .into());
    }
    let mut docs = Vec::with_capacity(b.cases.len());
    for id in &b.cases {
        docs.push(htcds_document(&state, &p, id).await?);
    }
    htcds_file(&docs, format)
}

/// Import cases from an HTCDS v2.0 file: the JSON form, CSV with the standard's headers in any order, or
/// the standard's Excel template as it is (XLSX). Each becomes a draft of my organisation; the status the
/// other system recorded is kept as imported history. A bad file is refused whole, with every problem's
/// place and field.
#[utoipa::path(post, path = "/registrations/import", tag = "identification", params(FormatQuery),
    request_body(content = String, content_type = "text/plain"),
    responses((status = 201, body = Vec<SavedBody>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_registrations(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<FormatQuery>,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    state.app.may_import_registrations(&p).await?;
    let format = format_of(&q)?;
    let text = || {
        std::str::from_utf8(&body).map_err(|e| crate::error::WebError::BadRequest {
            field: None,
            message: format!("the file must be UTF-8 text (byte {} is not)", e.valid_up_to()),
        })
    };
    let docs = match format {
        HtcdsFormat::Json => htcds::read_json(text()?),
        HtcdsFormat::Csv => htcds::read_csv(text()?),
        HtcdsFormat::Xlsx => crate::htcds_xlsx::read(&body),
    }
    .map_err(rejected)?;
    let regs = htcds::import_all(&docs).map_err(rejected)?;
    let regs = docs.into_iter().map(|d| d.place).zip(regs).collect();
    let saved: Vec<SavedBody> = state.app.import_registrations(&p, regs).await?.into_iter().map(Into::into).collect();
    Ok((StatusCode::CREATED, Json(saved)).into_response())
}

/// File an anonymous notification: an adult who does not consent to referral is still counted.
/// No identifying data is accepted.
#[utoipa::path(post, path = "/notifications", tag = "identification", request_body = NotificationBody,
    responses((status = 201, body = CreatedBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn file_notification(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<NotificationBody>,
) -> WebResult<Response> {
    let input = NotificationInput {
        notified_on: b.notified_on,
        sex: b.sex,
        age_group: b.age_group,
        citizenship: b.citizenship,
        forms: b.forms,
    };
    let id = state.app.file_notification(&p, &input).await?;
    Ok((StatusCode::CREATED, Json(CreatedBody { id })).into_response())
}

/// Open statutory clocks: reasonable-grounds decisions due, reflection periods ending,
/// conclusive-grounds targets, children without a guardian. Overdue first.
#[utoipa::path(get, path = "/deadlines", tag = "identification",
    responses((status = 200, body = Vec<DeadlineBody>), (status = 403, body = ErrorBody)))]
async fn deadlines(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    let list: Vec<DeadlineBody> = state.app.deadlines(&p).await?.into_iter().map(Into::into).collect();
    Ok(Json(list).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    #[serde(default)]
    pub name: String,
    /// YYYY-MM-DD
    #[serde(default)]
    pub date_of_birth: String,
    #[serde(default)]
    pub document: String,
}

/// Find a person within my scope: names through the person-linkage engine (diacritics,
/// transliteration, order, earlier family names, aliases; the date of birth is compared when
/// given), date of birth and document number exact through keyed indexes. Each hit has
/// `case_id`, `reference`, `name`, `date_of_birth`, `score`, `matched_on`, the engine's
/// `probability` and its `explanation`: one entry per field with `field`, `level` and `weight`
/// (log2 m/u). Audited (the count, never the query).
#[utoipa::path(get, path = "/persons/search", tag = "identification", params(SearchQuery),
    responses((status = 200, body = Vec<SearchHitBody>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn search_persons(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> WebResult<Response> {
    let input = SearchInput { name: q.name, date_of_birth: q.date_of_birth, document: q.document };
    let hits: Vec<SearchHitBody> = state.app.search_persons(&p, &input).await?.into_iter().map(Into::into).collect();
    Ok(Json(hits).into_response())
}

/// Referred persons and anonymous notifications in my country, by sex and form group, and
/// `distinct_persons`: how many persons the referred registrations are (`persons`, `records`,
/// `merged`, and the `method` in words). Counts only, never a person.
#[utoipa::path(get, path = "/statistics/identification", tag = "statistics",
    responses((status = 200, body = IdentificationCountsBody), (status = 403, body = ErrorBody)))]
async fn identification_statistics(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(IdentificationCountsBody::from(state.app.identification_counts(&p).await?)).into_response())
}

// ---------------------------------------------------------------------------------------------
// Bodies as the document describes them, mapped from the use cases' types. The JSON is the same
// as the use cases' own serialisation; nested domain values keep their JSON form.

/// A registration as sent and stored: the person, the context of the trafficking, the indicator
/// answers, the three consents, the guardian and the narrative (docs/identification.md).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RegistrationBody {
    /// Identity, age, documents, citizenship and languages of the person.
    #[schema(value_type = Object)]
    pub person: haven_domain::ident::record::PersonDetails,
    /// Forms of exploitation, places, dates and means of the trafficking.
    #[schema(value_type = Object)]
    pub context: haven_domain::ident::record::TraffickingContext,
    /// The answers to each indicator list.
    #[schema(value_type = Vec<Object>)]
    pub indicators: Vec<haven_domain::ident::record::IndicatorAnswers>,
    /// Consent to assistance and to referral to a support organisation (Dir 2011/36 Art 11(5);
    /// CETS 197 Art 12(7)); `consent` is read as this.
    #[serde(alias = "consent")]
    #[schema(value_type = Option<Object>)]
    pub support_consent: Option<haven_domain::ident::record::Consent>,
    /// Consent to share identifying data with another organisation or country; null: not asked.
    #[schema(value_type = Option<Object>)]
    pub data_sharing_consent: Option<haven_domain::ident::record::Consent>,
    /// The guardian of a child (or a presumed child).
    #[schema(value_type = Option<Object>)]
    pub guardian: Option<haven_domain::ident::record::Guardian>,
    /// The person's account, in the person's words.
    #[schema(value_type = Option<Object>)]
    pub narrative: Option<haven_domain::text::Narrative>,
}

impl From<RegistrationBody> for Registration {
    fn from(b: RegistrationBody) -> Self {
        Registration {
            person: b.person,
            context: b.context,
            indicators: b.indicators,
            support_consent: b.support_consent,
            data_sharing_consent: b.data_sharing_consent,
            guardian: b.guardian,
            narrative: b.narrative,
            imported: None,
        }
    }
}

/// One field's part in a match found by the person-linkage engine.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldReasonBody {
    /// `given_names`, `family_names`, `date_of_birth`, `sex` or `citizenship`.
    pub field: String,
    /// The comparison level: `exact`, `Jaro-Winkler >= 0.92`, `day and month swapped`,
    /// `different`, `missing`.
    pub level: String,
    /// log2(m/u), rounded to 0.01: above 0 speaks for the same person, below 0 against.
    pub weight: f64,
}

/// A person found within my scope.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHitBody {
    pub case_id: String,
    pub reference: String,
    /// The person's name as registered.
    pub name: String,
    /// YYYY-MM-DD
    pub date_of_birth: Option<String>,
    /// 0..1: 1 for an exact identifier, otherwise the linkage engine's match probability.
    pub score: f64,
    /// `name`, `date_of_birth`, `document`.
    pub matched_on: Vec<String>,
    /// The linkage engine's match probability, when it compared the two persons.
    pub probability: Option<f64>,
    /// Each field's comparison level and weight.
    pub explanation: Vec<FieldReasonBody>,
}

impl From<SearchHit> for SearchHitBody {
    fn from(h: SearchHit) -> Self {
        SearchHitBody {
            case_id: h.case_id,
            reference: h.reference,
            name: h.name,
            date_of_birth: h.date_of_birth,
            score: h.score,
            matched_on: h.matched_on.into_iter().map(str::to_owned).collect(),
            probability: h.probability,
            explanation: h
                .explanation
                .into_iter()
                .map(|r| FieldReasonBody { field: r.field, level: r.level, weight: r.weight })
                .collect(),
        }
    }
}

/// A registration saved.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedBody {
    pub id: String,
    pub reference: String,
    /// The version now stored (send it back with the next change).
    pub version: i64,
    /// `draft` or `submitted`.
    #[schema(value_type = String)]
    pub state: RegistrationState,
    /// Possible duplicates within my scope (the same document number, or a match probability of
    /// 0.5 or more).
    pub possible_duplicates: Vec<SearchHitBody>,
}

impl From<Saved> for SavedBody {
    fn from(s: Saved) -> Self {
        SavedBody {
            id: s.id,
            reference: s.reference,
            version: s.version,
            state: s.state,
            possible_duplicates: s.possible_duplicates.into_iter().map(SearchHitBody::from).collect(),
        }
    }
}

/// A case shared with (or referred to) another organisation, for some compartments only.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseShareBody {
    pub organisation_id: String,
    /// The compartments shared.
    #[schema(value_type = Vec<String>)]
    pub compartments: Vec<haven_domain::access::Compartment>,
}

/// A registration in a list: coded values only, no personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseListItemBody {
    pub id: String,
    pub reference: String,
    pub owner_organisation_id: String,
    /// The country (ISO 3166-1 alpha-2).
    pub jurisdiction: String,
    /// Unix seconds.
    pub created_at: i64,
    /// `draft` or `submitted`.
    #[schema(value_type = Option<String>)]
    pub state: Option<RegistrationState>,
    pub nrm_status: Option<String>,
    /// YYYY-MM-DD
    pub referred_on: Option<String>,
    pub sex: Option<String>,
    pub age_group: Option<String>,
    pub child_status: Option<String>,
    /// Form of exploitation ids.
    pub forms: Vec<String>,
    /// The organisations the case is shared with or referred to.
    pub shared_with: Vec<CaseShareBody>,
}

impl From<CaseListItem> for CaseListItemBody {
    fn from(c: CaseListItem) -> Self {
        CaseListItemBody {
            id: c.id,
            reference: c.reference,
            owner_organisation_id: c.owner_organisation_id,
            jurisdiction: c.jurisdiction,
            created_at: c.created_at,
            state: c.state,
            nrm_status: c.nrm_status,
            referred_on: c.referred_on,
            sex: c.sex,
            age_group: c.age_group,
            child_status: c.child_status,
            forms: c.forms,
            shared_with: c
                .shared_with
                .into_iter()
                .map(|s| CaseShareBody { organisation_id: s.organisation_id, compartments: s.compartments })
                .collect(),
        }
    }
}

/// A statutory clock of a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockBody {
    /// `first_decision`, `reflection_end`, `final_decision`, `guardian`.
    pub clock: String,
    /// YYYY-MM-DD
    pub due: String,
    /// YYYY-MM-DD
    pub done_on: Option<String>,
    /// `done`, `upcoming`, `due_soon`, `due_today`, `overdue`.
    pub state: String,
    pub overdue_days: u32,
}

impl From<ClockView> for ClockBody {
    fn from(c: ClockView) -> Self {
        ClockBody {
            clock: c.clock.to_owned(),
            due: c.due,
            done_on: c.done_on,
            state: c.state.to_owned(),
            overdue_days: c.overdue_days,
        }
    }
}

/// An open clock of a case in my scope.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineBody {
    pub case_id: String,
    pub reference: String,
    pub owner_organisation_id: String,
    pub nrm_status: String,
    /// A child or a presumed child.
    pub child: bool,
    /// `first_decision`, `reflection_end`, `final_decision`, `guardian`.
    pub clock: String,
    /// YYYY-MM-DD
    pub due: String,
    /// YYYY-MM-DD
    pub done_on: Option<String>,
    /// `done`, `upcoming`, `due_soon`, `due_today`, `overdue`.
    pub state: String,
    pub overdue_days: u32,
}

impl From<DeadlineItem> for DeadlineBody {
    fn from(d: DeadlineItem) -> Self {
        DeadlineBody {
            case_id: d.case_id,
            reference: d.reference,
            owner_organisation_id: d.owner_organisation_id,
            nrm_status: d.nrm_status,
            child: d.child,
            clock: d.clock.clock.to_owned(),
            due: d.clock.due,
            done_on: d.clock.done_on,
            state: d.clock.state.to_owned(),
            overdue_days: d.clock.overdue_days,
        }
    }
}

/// One commission member's vote, as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberVoteBody {
    pub seat: String,
    pub member: String,
    /// for, against, abstain
    #[schema(value_type = String)]
    pub vote: Vote,
}

/// A recorded decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionViewBody {
    /// Its position in the case.
    pub seq: u32,
    /// The decision kind's code.
    #[schema(value_type = String)]
    pub kind: haven_domain::ident::status::DecisionKind,
    /// The decision kind in words.
    pub label: String,
    /// YYYY-MM-DD
    pub decided_on: String,
    /// Null when I may not read the reasons.
    pub reasons: Option<String>,
    /// The seq of the decision this one corrects.
    pub corrects: Option<u32>,
    /// The seq of the decision that corrects this one.
    pub corrected_by: Option<u32>,
    pub decided_by: String,
    /// Unix seconds.
    pub recorded_at: i64,
    /// For a decision taken by a commission: each member's vote.
    pub votes: Vec<MemberVoteBody>,
}

impl From<DecisionView> for DecisionViewBody {
    fn from(d: DecisionView) -> Self {
        DecisionViewBody {
            seq: d.seq,
            kind: d.kind,
            label: d.label.to_owned(),
            decided_on: d.decided_on,
            reasons: d.reasons,
            corrects: d.corrects,
            corrected_by: d.corrected_by,
            decided_by: d.decided_by,
            recorded_at: d.recorded_at,
            votes: d
                .votes
                .into_iter()
                .map(|v| MemberVoteBody { seat: v.seat, member: v.member, vote: v.vote })
                .collect(),
        }
    }
}

/// A residence, protection or criminal-matter record.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseRecordViewBody {
    pub id: String,
    /// permit_application, permit_decision, protection_application, reflection_termination,
    /// criminal_matter
    pub kind: String,
    /// The record's fields, by kind.
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
    /// Unix seconds.
    pub created_at: i64,
}

impl From<CaseRecordView> for CaseRecordViewBody {
    fn from(r: CaseRecordView) -> Self {
        CaseRecordViewBody { id: r.id, kind: r.kind, body: r.body, created_at: r.created_at }
    }
}

/// An indicator list evaluated on the registration's answers (advice, not a decision).
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorViewBody {
    pub list: String,
    pub name: String,
    /// Dimensions, stages, the overall result and a summary in words.
    #[schema(value_type = Object)]
    pub evaluation: haven_domain::ident::indicators::Evaluation,
}

/// The case file.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseFileBody {
    pub id: String,
    pub reference: String,
    pub owner_organisation_id: String,
    /// The country (ISO 3166-1 alpha-2).
    pub jurisdiction: String,
    /// `draft` or `submitted`.
    #[schema(value_type = String)]
    pub state: RegistrationState,
    /// The version loaded (send it back with a change).
    pub version: i64,
    /// The registration as stored.
    #[schema(value_type = Object)]
    pub registration: Registration,
    /// The day the file was computed for, YYYY-MM-DD.
    pub today: String,
    /// The age status (`status` and its dates).
    #[schema(value_type = Object)]
    pub age: haven_domain::ident::age::AgeStatus,
    /// The child status code.
    #[schema(value_type = String)]
    pub child_status: haven_domain::ident::record::ChildStatus,
    /// The Art 2 test (decision support).
    #[schema(value_type = Object)]
    pub legal_test: haven_domain::ident::legal_test::LegalTestResult,
    pub indicators: Vec<IndicatorViewBody>,
    /// YYYY-MM-DD
    pub referred_on: Option<String>,
    /// The NRM status code.
    #[schema(value_type = Option<String>)]
    pub status: Option<haven_domain::ident::status::NrmStatus>,
    /// The NRM status in words.
    pub status_text: Option<String>,
    /// Assistance from the referral: the reasonable-grounds indication (Dir 2011/36 Art 11(2)).
    pub assistance_since: Option<String>,
    /// Since when the person is a presumed victim, as the procedure says.
    pub presumed_since: Option<String>,
    /// A presumed victim now.
    pub presumed_victim: bool,
    /// The identification procedure the case follows.
    #[schema(value_type = Option<Object>)]
    pub procedure: Option<haven_domain::ident::procedure::Procedure>,
    /// The reflection period of the residence-permit route ended on renewed contact
    /// (Dir 2004/81 Art 6(4)).
    pub permit_route_reflection_ended: Option<String>,
    /// The decision kinds that may be recorded next.
    #[schema(value_type = Vec<String>)]
    pub allowed_decisions: Vec<haven_domain::ident::status::DecisionKind>,
    /// The decision that may be corrected, and the kinds a correction may take: `[seq, [kinds]]`.
    #[schema(value_type = Option<Vec<serde_json::Value>>)]
    pub correctable: Option<(u32, Vec<haven_domain::ident::status::DecisionKind>)>,
    /// The position of the next decision.
    pub next_seq: u32,
    pub decisions: Vec<DecisionViewBody>,
    pub clocks: Vec<ClockBody>,
    /// The reflection and recovery period (CETS 197 Art 13).
    #[schema(value_type = Option<Object>)]
    pub reflection: Option<haven_domain::ident::residence::ReflectionPeriod>,
    /// Protection from removal.
    #[schema(value_type = Option<Object>)]
    pub removal: Option<haven_domain::ident::residence::RemovalProtection>,
    /// The non-punishment notice (Dir 2011/36 Art 8), for the proceedings compartment.
    #[schema(value_type = Option<Object>)]
    pub non_punishment: Option<haven_domain::ident::residence::NonPunishmentNotice>,
    /// A non-punishment notice exists.
    pub non_punishment_flag: bool,
    pub records: Vec<CaseRecordViewBody>,
    /// A child (or presumed child) without a guardian.
    pub guardian_missing: bool,
}

impl From<CaseFile> for CaseFileBody {
    fn from(c: CaseFile) -> Self {
        CaseFileBody {
            id: c.id,
            reference: c.reference,
            owner_organisation_id: c.owner_organisation_id,
            jurisdiction: c.jurisdiction,
            state: c.state,
            version: c.version,
            registration: c.registration,
            today: c.today,
            age: c.age,
            child_status: c.child_status,
            legal_test: c.legal_test,
            indicators: c
                .indicators
                .into_iter()
                .map(|i| IndicatorViewBody { list: i.list, name: i.name, evaluation: i.evaluation })
                .collect(),
            referred_on: c.referred_on,
            status: c.status,
            status_text: c.status_text.map(str::to_owned),
            assistance_since: c.assistance_since,
            presumed_since: c.presumed_since,
            presumed_victim: c.presumed_victim,
            procedure: c.procedure,
            permit_route_reflection_ended: c.permit_route_reflection_ended,
            allowed_decisions: c.allowed_decisions,
            correctable: c.correctable,
            next_seq: c.next_seq,
            decisions: c.decisions.into_iter().map(DecisionViewBody::from).collect(),
            clocks: c.clocks.into_iter().map(ClockBody::from).collect(),
            reflection: c.reflection,
            removal: c.removal,
            non_punishment: c.non_punishment,
            non_punishment_flag: c.non_punishment_flag,
            records: c.records.into_iter().map(CaseRecordViewBody::from).collect(),
            guardian_missing: c.guardian_missing,
        }
    }
}

/// An anonymous notification: counted, never identifying.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationBody {
    /// YYYY-MM-DD
    pub notified_on: String,
    /// A sex code.
    pub sex: String,
    /// An age group code.
    pub age_group: String,
    /// ISO 3166-1 alpha-2, or empty.
    #[serde(default)]
    pub citizenship: String,
    /// Form of exploitation ids.
    #[serde(default)]
    pub forms: Vec<String>,
}

/// The id of what was created.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedBody {
    pub id: String,
}

/// The referred registrations counted as persons.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonClustersBody {
    /// Distinct persons.
    pub persons: u64,
    /// Registrations counted.
    pub records: u64,
    /// Registrations found to be a person already counted (`records - persons`).
    pub merged: u64,
    /// How the persons were found, in words (the model and the threshold).
    pub method: String,
}

/// Identification in my country: counts only, never a person.
#[derive(Debug, Serialize, ToSchema)]
pub struct IdentificationCountsBody {
    /// Referred registrations.
    pub registered: u64,
    /// Anonymous notifications.
    pub notified: u64,
    /// Children and presumed children among the referred.
    pub children: u64,
    /// By sex code.
    pub registered_by_sex: BTreeMap<String, u64>,
    pub notified_by_sex: BTreeMap<String, u64>,
    /// By form-of-exploitation group.
    pub registered_by_group: BTreeMap<String, u64>,
    pub notified_by_group: BTreeMap<String, u64>,
    /// The referred registrations counted as persons (one person registered twice counts once).
    pub distinct_persons: PersonClustersBody,
}

impl From<IdentificationCounts> for IdentificationCountsBody {
    fn from(c: IdentificationCounts) -> Self {
        let d = c.distinct_persons;
        IdentificationCountsBody {
            registered: c.registered,
            notified: c.notified,
            children: c.children,
            registered_by_sex: c.registered_by_sex,
            notified_by_sex: c.notified_by_sex,
            registered_by_group: c.registered_by_group,
            notified_by_group: c.notified_by_group,
            distinct_persons: PersonClustersBody {
                persons: d.persons,
                records: d.records,
                merged: d.merged,
                method: d.method,
            },
        }
    }
}
