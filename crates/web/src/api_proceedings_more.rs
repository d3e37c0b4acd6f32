//! The rest of the proceedings compartment in the JSON API: seizure and confiscation of assets
//! with realised proceeds paid into victims' compensation where national law allows it
//! (Dir 2011/36 Art 7), the financial investigation and its Europol export (Art 9(4)), joint
//! investigation teams, and victims in proceedings (protection measures, Arts 12 and 15;
//! limitation for child victims, Art 9(2); the information given to them). Each handler calls one use case of `haven_app::proceedings_money` or
//! `haven_app::proceedings_victims`, where access is decided and every read and write audited.
//! Inputs and views travel as the use cases' own JSON (docs/proceedings.md); a field at fault is
//! named in a 422.

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiPath, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use haven_app::proceedings_money::{AllocationInput, FinancialStatusInput, PayoutInput, TeamOutcomeInput};
use haven_domain::proceedings::assets::{AssetInput, MeasureInput};
use haven_domain::proceedings::europol::ExportRequestInput;
use haven_domain::proceedings::financial::FinancialItemInput;
use haven_domain::proceedings::information::InformationInput;
use haven_domain::proceedings::jit::JointTeamInput;
use haven_domain::proceedings::protection::ProtectionInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_assets, add_asset))
        .routes(routes!(add_measure))
        .routes(routes!(allocate))
        .routes(routes!(payout))
        .routes(routes!(get_financial))
        .routes(routes!(financial_status))
        .routes(routes!(financial_item))
        .routes(routes!(europol_export))
        .routes(routes!(open_team))
        .routes(routes!(list_teams))
        .routes(routes!(get_team))
        .routes(routes!(link_team))
        .routes(routes!(conclude_team))
        .routes(routes!(get_victims))
        .routes(routes!(protection_measure))
        .routes(routes!(information_given))
}

/// A use case's view as its own JSON.
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct ViewBody(pub serde_json::Value);

fn json_of(v: &impl Serialize) -> WebResult<ViewBody> {
    serde_json::to_value(v).map(ViewBody).map_err(|e| haven_app::AppError::Internal(Box::new(e)).into())
}

fn ok(v: &impl Serialize) -> WebResult<Response> {
    Ok(Json(json_of(v)?).into_response())
}

fn created(v: &impl Serialize) -> WebResult<Response> {
    Ok((StatusCode::CREATED, Json(json_of(v)?)).into_response())
}

/// An asset: kind, description, value with its currency (and the rate to the euro with its
/// date), where it is held, the suspect it belongs to.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct AssetBody(pub AssetInput);

/// A measure on an asset: freezing, seizure, confiscation or realisation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureBody {
    #[serde(default)]
    pub asset_id: String,
    /// kind, on, amount, currency, rate, rate_on, reference
    #[serde(default)]
    #[schema(value_type = Object)]
    pub measure: MeasureInput,
}

/// Realised proceeds of an asset allocated to a victim's compensation claim.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationBody {
    #[serde(default)]
    pub asset_id: String,
    /// claim_id (a compensation claim of a linked victim's case) and amount (euro cents)
    #[serde(default)]
    #[schema(value_type = Object)]
    pub allocation: AllocationInput,
}

/// A payout of an allocation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutBody {
    #[serde(default)]
    pub allocation_id: String,
    /// amount (euro cents), on, version (of the allocation)
    #[serde(default)]
    #[schema(value_type = Object)]
    pub payout: PayoutInput,
}

/// A change of the financial investigation's status: status, reasons, on, version.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct FinancialStatusBody(pub FinancialStatusInput);

/// An item of the financial investigation: an account, a transfer, a business, a property or a
/// finding.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct FinancialItemBody(pub FinancialItemInput);

/// What a Europol request asks for: request_reference, parts, justification.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct ExportBody(pub ExportRequestInput);

/// A joint investigation team: agreement_reference, signed_on, starts_on, ends_on, members
/// (country, agency), eurojust, europol, purpose.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct JointTeamBody(pub JointTeamInput);

/// The investigation of my country that joins the team.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamLinkBody {
    #[serde(default)]
    pub investigation_id: String,
}

/// How a team ended: outcome, ended_on, evaluation, version.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct TeamOutcomeBody(pub TeamOutcomeInput);

/// A protection measure for a linked victim: case_id, measure, status, on, reasons.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct ProtectionBody(pub ProtectionInput);

/// Information given to a linked victim: case_id, kind, channel, language, given_by, given_on,
/// note.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct InformationBody(pub InformationInput);

/// The assets of an investigation with their measures, allocations and totals, and whether
/// national law lets confiscated proceeds pay victims' compensation. Audited.
#[utoipa::path(get, path = "/investigations/{id}/assets", tag = "proceedings", params(("id" = String, Path)),
    responses((status = 200, body = ViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_assets(State(state): State<AppState>, Auth(p): Auth, ApiPath(id): ApiPath<String>) -> WebResult<Response> {
    ok(&state.app.assets(&p, &id).await?)
}

/// Record an asset of the investigation (Dir 2011/36 Art 7).
#[utoipa::path(post, path = "/investigations/{id}/assets", tag = "proceedings", params(("id" = String, Path)),
    request_body = AssetBody,
    responses((status = 201, body = ViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_asset(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<AssetBody>,
) -> WebResult<Response> {
    created(&state.app.add_asset(&p, &id, &b.0).await?)
}

/// Record a freezing, seizure, confiscation or realisation of an asset.
#[utoipa::path(post, path = "/investigations/{id}/asset-measures", tag = "proceedings", params(("id" = String, Path)),
    request_body = MeasureBody,
    responses((status = 201, body = ViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_measure(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<MeasureBody>,
) -> WebResult<Response> {
    created(&state.app.add_asset_measure(&p, &id, &b.asset_id, &b.measure).await?)
}

/// Allocate realised proceeds to a linked victim's compensation claim, where national practice
/// allows it and within what was realised.
#[utoipa::path(post, path = "/investigations/{id}/allocations", tag = "proceedings", params(("id" = String, Path)),
    request_body = AllocationBody,
    responses((status = 201, body = ViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn allocate(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<AllocationBody>,
) -> WebResult<Response> {
    created(&state.app.allocate_proceeds(&p, &id, &b.asset_id, &b.allocation).await?)
}

/// Record a payout of an allocation, within it.
#[utoipa::path(post, path = "/investigations/{id}/payouts", tag = "proceedings", params(("id" = String, Path)),
    request_body = PayoutBody,
    responses((status = 201, body = ViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn payout(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<PayoutBody>,
) -> WebResult<Response> {
    created(&state.app.record_payout(&p, &id, &b.allocation_id, &b.payout).await?)
}

/// The financial investigation alongside the investigation (opened by default) with its items.
/// Audited.
#[utoipa::path(get, path = "/investigations/{id}/financial", tag = "proceedings", params(("id" = String, Path)),
    responses((status = 200, body = ViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_financial(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    ok(&state.app.financial_investigation(&p, &id).await?)
}

/// Change the financial investigation's status (not opening it needs reasons).
#[utoipa::path(post, path = "/investigations/{id}/financial/status", tag = "proceedings",
    params(("id" = String, Path)), request_body = FinancialStatusBody,
    responses((status = 200, body = ViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn financial_status(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<FinancialStatusBody>,
) -> WebResult<Response> {
    ok(&state.app.change_financial_status(&p, &id, &b.0).await?)
}

/// Add an item to the financial investigation.
#[utoipa::path(post, path = "/investigations/{id}/financial/items", tag = "proceedings",
    params(("id" = String, Path)), request_body = FinancialItemBody,
    responses((status = 201, body = ViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn financial_item(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<FinancialItemBody>,
) -> WebResult<Response> {
    created(&state.app.add_financial_item(&p, &id, &b.0).await?)
}

/// The export package for a Europol request, minimised to the parts asked, in the documented
/// format (crates/domain/schemas); recorded as a disclosure in the audit log.
#[utoipa::path(post, path = "/investigations/{id}/europol-export", tag = "proceedings",
    params(("id" = String, Path)), request_body = ExportBody,
    responses((status = 200, body = ViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn europol_export(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<ExportBody>,
) -> WebResult<Response> {
    ok(&state.app.europol_export(&p, &id, &b.0).await?)
}

/// Set up a joint investigation team with this investigation as my country's.
#[utoipa::path(post, path = "/investigations/{id}/joint-teams", tag = "proceedings",
    params(("id" = String, Path)), request_body = JointTeamBody,
    responses((status = 201, body = ViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn open_team(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<JointTeamBody>,
) -> WebResult<Response> {
    created(&state.app.open_joint_team(&p, &id, &b.0).await?)
}

/// The joint investigation teams my organisation's investigations take part in.
#[utoipa::path(get, path = "/joint-teams", tag = "proceedings",
    responses((status = 200, body = Vec<ViewBody>), (status = 403, body = ErrorBody)))]
async fn list_teams(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    ok(&state.app.joint_teams(&p).await?)
}

/// One joint investigation team: its parties by country, an investigation only where I may
/// read it.
#[utoipa::path(get, path = "/joint-teams/{id}", tag = "proceedings", params(("id" = String, Path)),
    responses((status = 200, body = ViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_team(State(state): State<AppState>, Auth(p): Auth, ApiPath(id): ApiPath<String>) -> WebResult<Response> {
    ok(&state.app.joint_team(&p, &id).await?)
}

/// Join my country's investigation to a team.
#[utoipa::path(post, path = "/joint-teams/{id}/investigations", tag = "proceedings",
    params(("id" = String, Path)), request_body = TeamLinkBody,
    responses((status = 200, body = ViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn link_team(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<TeamLinkBody>,
) -> WebResult<Response> {
    ok(&state.app.link_joint_team(&p, &id, &b.investigation_id).await?)
}

/// Record how a team ended.
#[utoipa::path(post, path = "/joint-teams/{id}/outcome", tag = "proceedings",
    params(("id" = String, Path)), request_body = TeamOutcomeBody,
    responses((status = 200, body = ViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn conclude_team(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<TeamOutcomeBody>,
) -> WebResult<Response> {
    ok(&state.app.conclude_joint_team(&p, &id, &b.0).await?)
}

/// The victims linked to the investigation with their protection measures (the missing ones
/// flagged), limitation from majority for a child victim (Dir 2011/36 Art 9(2)), and the
/// information given and due. Audited.
#[utoipa::path(get, path = "/investigations/{id}/victims-in-proceedings", tag = "proceedings",
    params(("id" = String, Path)),
    responses((status = 200, body = ViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_victims(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    ok(&state.app.victims_in_proceedings(&p, &id).await?)
}

/// Record a protection measure for a linked victim (Dir 2011/36 Arts 12, 15; CETS 197 Arts 28,
/// 30).
#[utoipa::path(post, path = "/investigations/{id}/protection-measures", tag = "proceedings",
    params(("id" = String, Path)), request_body = ProtectionBody,
    responses((status = 201, body = ViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn protection_measure(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<ProtectionBody>,
) -> WebResult<Response> {
    created(&state.app.record_protection_measure(&p, &id, &b.0).await?)
}

/// Record the information given to a linked victim on the proceedings and their outcome.
#[utoipa::path(post, path = "/investigations/{id}/information-given", tag = "proceedings",
    params(("id" = String, Path)), request_body = InformationBody,
    responses((status = 201, body = ViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn information_given(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<InformationBody>,
) -> WebResult<Response> {
    created(&state.app.record_information_given(&p, &id, &b.0).await?)
}
