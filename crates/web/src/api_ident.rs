//! The identification API (national referral mechanism): registrations, decisions, records,
//! anonymous notifications, deadlines, search and HTCDS exchange. Domain values travel as
//! their JSON form (documented in docs/identification.md and docs/htcds.md).

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiQuery, Auth};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Json, Response};
use haven_app::ident::{CaseFilter, CaseRecordInput, DecisionInput, NotificationInput, SearchInput};
use haven_domain::ident::htcds;
use haven_domain::ident::procedure::{MemberVote, Vote};
use haven_domain::ident::record::Registration;
use serde::Deserialize;
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
        .routes(routes!(file_notification))
        .routes(routes!(deadlines))
        .routes(routes!(search_persons))
        .routes(routes!(identification_statistics))
}

#[derive(Debug, Deserialize, IntoParams)]
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
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
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
    Ok(Json(state.app.case_list(&p, &filter).await?).into_response())
}

/// Register a presumed victim (saved as a draft; refer it with `/submit`). The reply lists
/// possible duplicates within my scope (`possible_duplicates`: the same document number, or a
/// person the linkage engine puts at a match probability of 0.5 or more), each with the engine's
/// `probability` and `explanation` (field, level, weight).
#[utoipa::path(post, path = "/registrations", tag = "identification", request_body = Object,
    responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_registration(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(reg): ApiJson<Registration>,
) -> WebResult<Response> {
    let saved = state.app.create_registration(&p, reg).await?;
    Ok((StatusCode::CREATED, Json(saved)).into_response())
}

/// The case file: registration, age and child status, indicators and the Art 2 test (decision
/// support), status and decisions, clocks, residence, non-punishment notice. Audited.
#[utoipa::path(get, path = "/registrations/{id}", tag = "identification", params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_registration(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> WebResult<Response> {
    Ok(Json(state.app.case_file(&p, &id).await?).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBody {
    /// The version loaded: a save over a newer one is a conflict (409).
    pub version: i64,
    #[schema(value_type = Object)]
    pub registration: Registration,
}

/// Save a changed registration (finish a draft, or correct one after referral).
#[utoipa::path(put, path = "/registrations/{id}", tag = "identification", params(("id" = String, Path)),
    request_body = UpdateBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_registration(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateBody>,
) -> WebResult<Response> {
    Ok(Json(state.app.update_registration(&p, &id, body.version, body.registration).await?).into_response())
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
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit_registration(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SubmitBody>,
) -> WebResult<Response> {
    Ok(Json(state.app.submit_registration(&p, &id, body.version).await?).into_response())
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
    responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_decision(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
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
    Ok((StatusCode::CREATED, Json(view)).into_response())
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
    responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn request_reconsideration(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReconsiderationBody>,
) -> WebResult<Response> {
    let input = haven_app::ident::ReconsiderationInput { seq: b.seq, requested_on: b.requested_on, reasons: b.reasons };
    let view = state.app.request_reconsideration(&p, &id, &input).await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
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
    responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_record(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RecordBody>,
) -> WebResult<Response> {
    let view = state.app.add_case_record(&p, &id, &CaseRecordInput { kind: b.kind, fields: b.fields }).await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct FormatQuery {
    /// json (default) or csv
    pub format: Option<String>,
}

fn format_of(q: &FormatQuery) -> WebResult<bool> {
    match q.format.as_deref().unwrap_or("json") {
        "json" => Ok(false),
        "csv" => Ok(true),
        _ => Err(haven_app::AppError::invalid("format", "json or csv").into()),
    }
}

/// Export a case in HTCDS v2.0 field names (JSON or CSV). Audited.
#[utoipa::path(get, path = "/registrations/{id}/htcds", tag = "identification",
    params(("id" = String, Path), FormatQuery),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn export_registration(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<FormatQuery>,
) -> WebResult<Response> {
    let csv = format_of(&q)?;
    let (reg, reference, owner, status) = state.app.registration_for_export(&p, &id).await?;
    let meta = htcds::CaseMeta { reference: Some(reference), owner: Some(owner), status };
    let doc = htcds::to_htcds(&reg, &meta);
    Ok(if csv {
        ([(CONTENT_TYPE, "text/csv; charset=utf-8")], htcds::to_csv(&[doc])).into_response()
    } else {
        ([(CONTENT_TYPE, "application/json")], htcds::to_json(&[doc])).into_response()
    })
}

/// Import cases in HTCDS v2.0 field names (a JSON array or CSV, as the export writes them). Each
/// becomes a draft of my organisation; a bad file is refused whole with the error's row and
/// field.
#[utoipa::path(post, path = "/registrations/import", tag = "identification", params(FormatQuery),
    request_body(content = String, content_type = "text/plain"),
    responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_registrations(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<FormatQuery>,
    body: String,
) -> WebResult<Response> {
    let csv = format_of(&q)?;
    let docs = if csv { htcds::from_csv(&body)? } else { htcds::from_json(&body)? };
    let mut regs = Vec::with_capacity(docs.len());
    for (i, doc) in docs.iter().enumerate() {
        let (reg, _meta) = htcds::from_htcds(doc)
            .map_err(|e| haven_domain::ParseError::new(format!("[{i}].{}", e.field), e.message))?;
        regs.push(reg);
    }
    let saved = state.app.import_registrations(&p, regs).await?;
    Ok((StatusCode::CREATED, Json(saved)).into_response())
}

/// File an anonymous notification: an adult who does not consent to referral is still counted.
/// No identifying data is accepted.
#[utoipa::path(post, path = "/notifications", tag = "identification", request_body = Object,
    responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn file_notification(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(input): ApiJson<NotificationInput>,
) -> WebResult<Response> {
    let id = state.app.file_notification(&p, &input).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id })).into_response()).into_response())
}

/// Open statutory clocks: reasonable-grounds decisions due, reflection periods ending,
/// conclusive-grounds targets, children without a guardian. Overdue first.
#[utoipa::path(get, path = "/deadlines", tag = "identification",
    responses((status = 200, body = Object), (status = 403, body = ErrorBody)))]
async fn deadlines(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(state.app.deadlines(&p).await?).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
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
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn search_persons(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> WebResult<Response> {
    let input = SearchInput { name: q.name, date_of_birth: q.date_of_birth, document: q.document };
    Ok(Json(state.app.search_persons(&p, &input).await?).into_response())
}

/// Referred persons and anonymous notifications in my country, by sex and form group, and
/// `distinct_persons`: how many persons the referred registrations are (`persons`, `records`,
/// `merged`, and the `method` in words). Counts only, never a person.
#[utoipa::path(get, path = "/statistics/identification", tag = "statistics",
    responses((status = 200, body = Object), (status = 403, body = ErrorBody)))]
async fn identification_statistics(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(state.app.identification_counts(&p).await?).into_response())
}
