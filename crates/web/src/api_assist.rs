//! The assistance API: risk and needs assessments, support plans, the provider directory and
//! matching, referrals between organisations. Domain values travel as their JSON form
//! (documented in docs/assistance.md).

use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use haven_app::assist::{
    AssessmentView, Mailbox, PlanItemStatusInput, PlanItemView, ProviderView, RankedProvider, ReferralInput,
    ReferralStateInput, ReferralSummary, ReferralView, SupportView,
};
use haven_domain::assist::assessment::{
    AssessmentInput, AssessmentState, NeedArea, NeedLevel, RiskAndNeedsAssessment, SpecialNeeds,
};
use haven_domain::assist::directory::{
    ContactPointInput, LanguageCode, OfferedServiceInput, OpeningHoursInput, ProviderInput, RegionCode,
};
use haven_domain::assist::matching::{Factor, NeedQuery};
use haven_domain::assist::plan::{ItemStatus, PlanItemInput, StopReason};
use haven_domain::assist::referral::{ConsentInput, ConsentRecord, ReferralKind, ReferralState, SharedField, Side};
use haven_domain::assist::services::ServiceType;
use haven_domain::case::{CalendarDate, Sex};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_support))
        .routes(routes!(submit_assessment))
        .routes(routes!(review_assessment))
        .routes(routes!(add_plan_item))
        .routes(routes!(update_plan_item))
        .routes(routes!(list_providers, create_provider))
        .routes(routes!(update_provider))
        .routes(routes!(match_providers))
        .routes(routes!(create_referral))
        .routes(routes!(list_referrals))
        .routes(routes!(get_referral))
        .routes(routes!(change_referral))
        .routes(routes!(follow_up_referral))
}

/// The support side of a case: assessments (every version, the one in force marked), needs,
/// unmet needs, the support plan and the case's referrals. Audited.
#[utoipa::path(get, path = "/cases/{id}/support", tag = "assistance", params(("id" = String, Path)),
    responses((status = 200, body = SupportViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_support(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(SupportViewBody::from(state.app.support(&p, &id).await?)).into_response())
}

/// Submit a new version of the individual risk and needs assessment (a reassessment keeps the
/// earlier versions). Every area is assessed; a child's assessment has the child's part.
#[utoipa::path(post, path = "/cases/{id}/assessments", tag = "assistance", params(("id" = String, Path)),
    request_body = AssessmentInputBody,
    responses((status = 201, body = AssessmentViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn submit_assessment(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<AssessmentInputBody>,
) -> WebResult<Response> {
    let view = state.app.submit_assessment(&p, &id, &input.into()).await?;
    Ok((StatusCode::CREATED, Json(AssessmentViewBody::from(view))).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    pub approve: bool,
    /// Required when returning.
    #[serde(default)]
    pub reason: String,
}

/// Approve a submitted assessment, or return it with a reason (a supervisor other than the
/// author).
#[utoipa::path(post, path = "/cases/{id}/assessments/{seq}/review", tag = "assistance",
    params(("id" = String, Path), ("seq" = i64, Path)), request_body = ReviewBody,
    responses((status = 200, body = AssessmentViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn review_assessment(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath((id, seq)): ApiPath<(String, i64)>,
    ApiJson(b): ApiJson<ReviewBody>,
) -> WebResult<Response> {
    let view = state.app.review_assessment(&p, &id, seq, b.approve, &b.reason).await?;
    Ok(Json(AssessmentViewBody::from(view)).into_response())
}

/// Add a service to the support plan. Legal counselling and representation are free of charge
/// when the assessment in force says the victim lacks means; no field can make support
/// conditional on cooperation with the authorities.
#[utoipa::path(post, path = "/cases/{id}/plan", tag = "assistance", params(("id" = String, Path)),
    request_body = PlanItemInputBody,
    responses((status = 201, body = PlanItemViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn add_plan_item(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<PlanItemInputBody>,
) -> WebResult<Response> {
    let view = state.app.add_plan_item(&p, &id, &PlanItemInput::from(input)).await?;
    Ok((StatusCode::CREATED, Json(PlanItemViewBody::from(view))).into_response())
}

/// Move a service of the plan on: in_progress, completed, or stopped with a reason
/// (declined_by_victim, contact_lost, replaced_by_other_service, left_country).
#[utoipa::path(post, path = "/cases/{id}/plan/{item}/status", tag = "assistance",
    params(("id" = String, Path), ("item" = String, Path)), request_body = PlanItemStatusBody,
    responses((status = 200, body = PlanItemViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_plan_item(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath((id, item)): ApiPath<(String, String)>,
    ApiJson(b): ApiJson<PlanItemStatusBody>,
) -> WebResult<Response> {
    let input = PlanItemStatusInput { status: b.status, on: b.on, stop_reason: b.stop_reason, version: b.version };
    Ok(Json(PlanItemViewBody::from(state.app.update_plan_item(&p, &id, &item, &input).await?)).into_response())
}

/// The directory of support providers of my country, with live occupancy.
#[utoipa::path(get, path = "/providers", tag = "assistance",
    responses((status = 200, body = Vec<ProviderViewBody>), (status = 403, body = ErrorBody)))]
async fn list_providers(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    let list: Vec<ProviderViewBody> = state.app.providers(&p).await?.into_iter().map(Into::into).collect();
    Ok(Json(list).into_response())
}

/// Add a provider (services with capacity, languages, regions, who it takes, contacts,
/// opening hours).
#[utoipa::path(post, path = "/providers", tag = "assistance", request_body = ProviderInputBody,
    responses((status = 201, body = ProviderViewBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn create_provider(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(input): ApiJson<ProviderInputBody>,
) -> WebResult<Response> {
    let view = state.app.save_provider(&p, &input.into(), None).await?;
    Ok((StatusCode::CREATED, Json(ProviderViewBody::from(view))).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderBody {
    /// The version loaded: a save over a newer one is a conflict (409).
    pub version: i64,
    pub provider: ProviderInputBody,
}

/// Change a provider. Capacity cannot go below the places in use; occupancy is live.
#[utoipa::path(put, path = "/providers/{id}", tag = "assistance", params(("id" = String, Path)),
    request_body = ProviderBody,
    responses((status = 200, body = ProviderViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_provider(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<ProviderBody>,
) -> WebResult<Response> {
    if b.provider.id != id {
        return Err(haven_app::AppError::said(
            "provider.id",
            "must be the id in the path",
            haven_domain::MessageId::IdOfPath,
        )
        .into());
    }
    let view = state.app.save_provider(&p, &ProviderInput::from(b.provider), Some(b.version)).await?;
    Ok(Json(ProviderViewBody::from(view)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchBody {
    pub need: NeedQueryBody,
    /// How many to return (1-200, default 20).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// Rank the providers of my country for a need, best first: only eligible ones (offers the
/// service, takes the person, has a free place), each rank explained factor by factor.
#[utoipa::path(post, path = "/providers/match", tag = "assistance", request_body = MatchBody,
    responses((status = 200, body = Vec<RankedProviderBody>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn match_providers(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<MatchBody>,
) -> WebResult<Response> {
    let need = NeedQuery::from(b.need);
    let ranked: Vec<RankedProviderBody> =
        state.app.match_providers(&p, &need, b.limit.unwrap_or(20)).await?.into_iter().map(Into::into).collect();
    Ok(Json(ranked).into_response())
}

/// Refer the case to another organisation's service, or transfer it (`kind`: transfer). An
/// adult's referral needs `consent` (given, date, language) or, with the override permission,
/// a documented `consent.emergency_reason`; a child needs none. Only the fields configured for
/// the service type are shared. A referral sent to a provider with limited capacity holds a
/// place; when none is left, 409.
#[utoipa::path(post, path = "/cases/{id}/referrals", tag = "assistance", params(("id" = String, Path)),
    request_body = ReferralInputBody,
    responses((status = 201, body = ReferralViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_referral(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<ReferralInputBody>,
) -> WebResult<Response> {
    let view = state.app.create_referral(&p, &id, &ReferralInput::from(input)).await?;
    Ok((StatusCode::CREATED, Json(ReferralViewBody::from(view))).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MailboxQuery {
    /// inbox (received), outbox (sent, drafts included) or overdue (both, past their due date)
    pub mailbox: String,
}

/// My organisation's referrals: inbox, outbox, or overdue.
#[utoipa::path(get, path = "/referrals", tag = "assistance", params(MailboxQuery),
    responses((status = 200, body = Vec<ReferralSummaryBody>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_referrals(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<MailboxQuery>,
) -> WebResult<Response> {
    let mailbox = match q.mailbox.as_str() {
        "inbox" => Mailbox::Inbox,
        "outbox" => Mailbox::Outbox,
        "overdue" => Mailbox::Overdue,
        _ => {
            return Err(haven_app::AppError::said(
                "mailbox",
                "expected inbox, outbox or overdue",
                haven_domain::MessageId::MailboxName,
            )
            .into());
        }
    };
    let list: Vec<ReferralSummaryBody> = state.app.referrals(&p, mailbox).await?.into_iter().map(Into::into).collect();
    Ok(Json(list).into_response())
}

/// A referral my organisation sent or received; the receiver sees only the shared fields.
/// Audited.
#[utoipa::path(get, path = "/referrals/{id}", tag = "assistance", params(("id" = String, Path)),
    responses((status = 200, body = ReferralViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_referral(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
) -> WebResult<Response> {
    Ok(Json(ReferralViewBody::from(state.app.referral(&p, &id).await?)).into_response())
}

/// Change a referral's state: the sender sends (`sent`) or withdraws (`withdrawn`); the
/// receiver answers (`accepted`, or `declined` with a `reason`), starts (`in_progress`) and
/// completes (`completed`). An accepted transfer moves the case to the receiver.
#[utoipa::path(post, path = "/referrals/{id}/state", tag = "assistance", params(("id" = String, Path)),
    request_body = ReferralStateBody,
    responses((status = 200, body = ReferralViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_referral(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<ReferralStateBody>,
) -> WebResult<Response> {
    let input = ReferralStateInput { state: b.state, reason: b.reason, version: b.version };
    Ok(Json(ReferralViewBody::from(state.app.change_referral(&p, &id, &input).await?)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpBody {
    pub note: String,
    pub version: i64,
}

/// Record a follow-up of a referral; the next one falls due after the configured days.
#[utoipa::path(post, path = "/referrals/{id}/follow-ups", tag = "assistance", params(("id" = String, Path)),
    request_body = FollowUpBody,
    responses((status = 200, body = ReferralViewBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn follow_up_referral(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<FollowUpBody>,
) -> WebResult<Response> {
    Ok(Json(ReferralViewBody::from(state.app.follow_up_referral(&p, &id, &b.note, b.version).await?)).into_response())
}

// ---------------------------------------------------------------------------------------------
// Bodies as the document describes them, mapped to and from the use cases' types. The JSON is
// the same as the use cases' own serialisation; nested domain values keep their JSON form.

/// A risk and needs assessment as submitted (docs/assistance.md).
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AssessmentInputBody {
    /// YYYY-MM-DD
    pub assessed_on: String,
    /// A risk level code.
    pub risk_from_traffickers: String,
    pub risk_summary: String,
    /// Area code to level code ("none", "need", "urgent").
    pub levels: BTreeMap<String, String>,
    /// Area code to notes.
    pub notes: BTreeMap<String, String>,
    /// Disability, pregnancy, health and other special needs.
    #[schema(value_type = Object)]
    pub special_needs: SpecialNeeds,
    /// Language codes the person speaks.
    pub languages: Vec<String>,
    /// The person lacks the means to pay for legal counselling and representation.
    pub lacks_means: bool,
    /// A child's best interests, in words.
    pub best_interests: String,
    /// The child's views were heard.
    pub views_heard: bool,
    pub childs_views: String,
    /// An unaccompanied child.
    pub unaccompanied: bool,
}

impl From<AssessmentInputBody> for AssessmentInput {
    fn from(b: AssessmentInputBody) -> Self {
        AssessmentInput {
            assessed_on: b.assessed_on,
            risk_from_traffickers: b.risk_from_traffickers,
            risk_summary: b.risk_summary,
            levels: b.levels,
            notes: b.notes,
            special_needs: b.special_needs,
            languages: b.languages,
            lacks_means: b.lacks_means,
            best_interests: b.best_interests,
            views_heard: b.views_heard,
            childs_views: b.childs_views,
            unaccompanied: b.unaccompanied,
        }
    }
}

/// One version of an assessment.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentViewBody {
    /// The version.
    pub seq: i64,
    /// An assessment state code (submitted, approved, returned).
    #[schema(value_type = String)]
    pub state: AssessmentState,
    /// The version in force.
    pub in_force: bool,
    /// YYYY-MM-DD
    pub assessed_on: String,
    pub assessed_by: String,
    pub reviewed_by: Option<String>,
    pub return_reason: Option<String>,
    /// The assessment: risk, each area's level and notes, special needs, the child's part.
    #[schema(value_type = Object)]
    pub assessment: RiskAndNeedsAssessment,
}

impl From<AssessmentView> for AssessmentViewBody {
    fn from(a: AssessmentView) -> Self {
        AssessmentViewBody {
            seq: a.seq,
            state: a.state,
            in_force: a.in_force,
            assessed_on: a.assessed_on,
            assessed_by: a.assessed_by,
            reviewed_by: a.reviewed_by,
            return_reason: a.return_reason,
            assessment: a.assessment,
        }
    }
}

/// A service to add to the support plan.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PlanItemInputBody {
    /// A service type code.
    pub service: String,
    /// The need area it answers, or empty.
    pub need: String,
    pub goal: String,
    pub responsible_organisation_id: String,
    /// Empty: none.
    pub provider_id: String,
    /// YYYY-MM-DD
    pub starts_on: String,
    /// YYYY-MM-DD, or empty.
    pub ends_on: String,
    /// Legal counselling and representation free of charge (Dir 2011/36 Art 12(2)).
    pub free_of_charge: bool,
    pub notes: String,
}

impl From<PlanItemInputBody> for PlanItemInput {
    fn from(b: PlanItemInputBody) -> Self {
        PlanItemInput {
            service: b.service,
            need: b.need,
            goal: b.goal,
            responsible_organisation_id: b.responsible_organisation_id,
            provider_id: b.provider_id,
            starts_on: b.starts_on,
            ends_on: b.ends_on,
            free_of_charge: b.free_of_charge,
            notes: b.notes,
        }
    }
}

/// A service of the plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanItemViewBody {
    pub id: String,
    /// The version loaded (send it back with a change).
    pub version: i64,
    /// A service type code.
    #[schema(value_type = String)]
    pub service: ServiceType,
    /// The need area it answers, when it answers an assessed one.
    #[schema(value_type = Option<String>)]
    pub need: Option<NeedArea>,
    pub goal: String,
    pub responsible_organisation_id: String,
    pub provider_id: Option<String>,
    /// YYYY-MM-DD
    #[schema(value_type = String)]
    pub starts_on: CalendarDate,
    /// YYYY-MM-DD
    #[schema(value_type = Option<String>)]
    pub ends_on: Option<CalendarDate>,
    /// planned, in_progress, completed, stopped
    #[schema(value_type = String)]
    pub status: ItemStatus,
    /// Why the service stopped.
    #[schema(value_type = Option<String>)]
    pub stop_reason: Option<StopReason>,
    /// Legal counselling and representation: free of charge (Dir 2011/36 Art 12(2)).
    pub free_of_charge: bool,
    pub notes: String,
}

impl From<PlanItemView> for PlanItemViewBody {
    fn from(v: PlanItemView) -> Self {
        let i = v.item;
        PlanItemViewBody {
            id: v.id,
            version: v.version,
            service: i.service,
            need: i.need,
            goal: i.goal,
            responsible_organisation_id: i.responsible_organisation_id,
            provider_id: i.provider_id,
            starts_on: i.starts_on,
            ends_on: i.ends_on,
            status: i.status,
            stop_reason: i.stop_reason,
            free_of_charge: i.free_of_charge,
            notes: i.notes,
        }
    }
}

/// A change of a plan item's status.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PlanItemStatusBody {
    /// in_progress, completed or stopped
    pub status: String,
    /// YYYY-MM-DD
    pub on: String,
    /// declined_by_victim, contact_lost, replaced_by_other_service, left_country (when stopped)
    pub stop_reason: String,
    /// The version loaded: a change over a newer one is a conflict (409).
    pub version: i64,
}

/// A support provider as sent: services with capacity, languages, regions, who it takes,
/// contacts, opening hours.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderInputBody {
    pub id: String,
    /// The organisation running it, when it uses Haven.
    #[serde(default)]
    pub organisation_id: Option<String>,
    pub name: String,
    /// ISO 3166-1 alpha-2
    pub country: String,
    /// The services offered, each with its capacity and places in use.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub services: Vec<OfferedServiceInput>,
    /// ISO 639-1 codes.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Region codes.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Audience codes: who it takes.
    #[serde(default)]
    pub accepts: Vec<String>,
    #[serde(default)]
    pub trafficking_specialised: bool,
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub contact_points: Vec<ContactPointInput>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub opening_hours: OpeningHoursInput,
}

impl From<ProviderInputBody> for ProviderInput {
    fn from(b: ProviderInputBody) -> Self {
        ProviderInput {
            id: b.id,
            organisation_id: b.organisation_id,
            name: b.name,
            country: b.country,
            services: b.services,
            languages: b.languages,
            regions: b.regions,
            accepts: b.accepts,
            trafficking_specialised: b.trafficking_specialised,
            contact_points: b.contact_points,
            opening_hours: b.opening_hours,
        }
    }
}

impl From<ProviderInput> for ProviderInputBody {
    fn from(i: ProviderInput) -> Self {
        ProviderInputBody {
            id: i.id,
            organisation_id: i.organisation_id,
            name: i.name,
            country: i.country,
            services: i.services,
            languages: i.languages,
            regions: i.regions,
            accepts: i.accepts,
            trafficking_specialised: i.trafficking_specialised,
            contact_points: i.contact_points,
            opening_hours: i.opening_hours,
        }
    }
}

/// A provider with its live occupancy: the fields of [`ProviderInputBody`] and the version.
/// Listed here rather than flattened, because the input refuses unknown fields and a closed
/// schema cannot be extended with `version`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderViewBody {
    /// The version loaded (send it back with a change).
    pub version: i64,
    pub id: String,
    /// The organisation running it, when it uses Haven.
    pub organisation_id: Option<String>,
    pub name: String,
    /// ISO 3166-1 alpha-2
    pub country: String,
    /// The services offered, each with its capacity and places in use.
    #[schema(value_type = Vec<Object>)]
    pub services: Vec<OfferedServiceInput>,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    /// Region codes.
    pub regions: Vec<String>,
    /// Audience codes: who it takes.
    pub accepts: Vec<String>,
    pub trafficking_specialised: bool,
    #[schema(value_type = Vec<Object>)]
    pub contact_points: Vec<ContactPointInput>,
    #[schema(value_type = Object)]
    pub opening_hours: OpeningHoursInput,
}

impl From<ProviderView> for ProviderViewBody {
    fn from(v: ProviderView) -> Self {
        let p = ProviderInput::from(v.provider);
        ProviderViewBody {
            version: v.version,
            id: p.id,
            organisation_id: p.organisation_id,
            name: p.name,
            country: p.country,
            services: p.services,
            languages: p.languages,
            regions: p.regions,
            accepts: p.accepts,
            trafficking_specialised: p.trafficking_specialised,
            contact_points: p.contact_points,
            opening_hours: p.opening_hours,
        }
    }
}

/// A need to find a provider for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedQueryBody {
    /// A service type code.
    #[schema(value_type = String)]
    pub service: ServiceType,
    pub person_is_child: bool,
    /// A sex code.
    #[schema(value_type = String)]
    pub sex: Sex,
    /// The person comes with children.
    #[serde(default)]
    pub with_children: bool,
    /// ISO 639-1 codes the person speaks.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub languages: Vec<LanguageCode>,
    /// A region code.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub region: Option<RegionCode>,
    #[serde(default)]
    pub prefer_specialised: bool,
}

impl From<NeedQueryBody> for NeedQuery {
    fn from(b: NeedQueryBody) -> Self {
        NeedQuery {
            service: b.service,
            person_is_child: b.person_is_child,
            sex: b.sex,
            with_children: b.with_children,
            languages: b.languages,
            region: b.region,
            prefer_specialised: b.prefer_specialised,
        }
    }
}

/// One factor of a provider's rank, explained.
#[derive(Debug, Serialize, ToSchema)]
pub struct FactorScoreBody {
    /// A factor code.
    #[schema(value_type = String)]
    pub factor: Factor,
    pub points: u32,
    /// The factor in words.
    pub sentence: String,
}

/// A provider ranked for a need.
#[derive(Debug, Serialize, ToSchema)]
pub struct RankedProviderBody {
    pub provider_id: String,
    pub name: String,
    /// The sum of the factors' points.
    pub score: u32,
    /// Null: capacity not limited.
    pub free_places: Option<u32>,
    pub factors: Vec<FactorScoreBody>,
}

impl From<RankedProvider> for RankedProviderBody {
    fn from(r: RankedProvider) -> Self {
        RankedProviderBody {
            provider_id: r.provider_id,
            name: r.name,
            score: r.score,
            free_places: r.free_places,
            factors: r
                .factors
                .into_iter()
                .map(|f| FactorScoreBody { factor: f.factor, points: f.points, sentence: f.sentence })
                .collect(),
        }
    }
}

/// The consent or override given with a referral.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ConsentInputBody {
    pub consent_given: bool,
    /// YYYY-MM-DD
    pub consent_on: String,
    /// The language the consent was given in.
    pub consent_language: String,
    /// An emergency override instead of consent: why it cannot wait.
    pub emergency_reason: String,
}

/// A new referral.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ReferralInputBody {
    /// "service" (default) or "transfer".
    pub kind: String,
    /// A service type code.
    pub service: String,
    pub to_organisation_id: String,
    pub provider_id: String,
    pub urgent: bool,
    /// Send at once; otherwise saved as a draft.
    pub send: bool,
    /// Fields to share (none named: all the service type allows).
    pub shared_fields: Vec<String>,
    pub message: String,
    pub consent: ConsentInputBody,
}

impl From<ReferralInputBody> for ReferralInput {
    fn from(b: ReferralInputBody) -> Self {
        ReferralInput {
            kind: b.kind,
            service: b.service,
            to_organisation_id: b.to_organisation_id,
            provider_id: b.provider_id,
            urgent: b.urgent,
            send: b.send,
            shared_fields: b.shared_fields,
            message: b.message,
            consent: ConsentInput {
                consent_given: b.consent.consent_given,
                consent_on: b.consent.consent_on,
                consent_language: b.consent.consent_language,
                emergency_reason: b.consent.emergency_reason,
            },
        }
    }
}

/// A change of a referral's state.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ReferralStateBody {
    /// sent, withdrawn, accepted, declined, in_progress, completed
    pub state: String,
    /// Required when declining.
    pub reason: String,
    /// The version loaded: a change over a newer one is a conflict (409).
    pub version: i64,
}

/// A referral as a list shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralSummaryBody {
    pub id: String,
    /// service or transfer
    #[schema(value_type = String)]
    pub kind: ReferralKind,
    /// A service type code.
    #[schema(value_type = Option<String>)]
    pub service: Option<ServiceType>,
    pub from_organisation_id: String,
    pub to_organisation_id: String,
    pub provider_id: Option<String>,
    /// A referral state code.
    #[schema(value_type = String)]
    pub state: ReferralState,
    pub urgent: bool,
    /// YYYY-MM-DD
    pub due_on: Option<String>,
    pub overdue: bool,
    pub version: i64,
    /// The case, for the sender (and for the receiver of an accepted transfer) only.
    pub case_id: Option<String>,
    /// sender or receiver: my organisation's side.
    #[schema(value_type = String)]
    pub side: Side,
}

impl From<ReferralSummary> for ReferralSummaryBody {
    fn from(s: ReferralSummary) -> Self {
        ReferralSummaryBody {
            id: s.id,
            kind: s.kind,
            service: s.service,
            from_organisation_id: s.from_organisation_id,
            to_organisation_id: s.to_organisation_id,
            provider_id: s.provider_id,
            state: s.state,
            urgent: s.urgent,
            due_on: s.due_on,
            overdue: s.overdue,
            version: s.version,
            case_id: s.case_id,
            side: s.side,
        }
    }
}

/// One change or follow-up of a referral.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralEventBody {
    pub seq: i64,
    /// The referral state code after the event.
    #[schema(value_type = String)]
    pub state: ReferralState,
    pub note: Option<String>,
    pub by_organisation: String,
    /// Unix seconds.
    pub at: i64,
}

/// A referral in full; the receiver sees only the shared fields.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralViewBody {
    #[serde(flatten)]
    pub summary: ReferralSummaryBody,
    /// The documented ground: consent (date, language) or an emergency override.
    #[schema(value_type = Object)]
    pub consent: ConsentRecord,
    /// The field codes shared.
    #[schema(value_type = Vec<String>)]
    pub shared_fields: Vec<SharedField>,
    /// The shared values by field code (text, numbers, lists, as the field is).
    pub shared: BTreeMap<String, serde_json::Value>,
    pub message: Option<String>,
    pub events: Vec<ReferralEventBody>,
}

impl From<ReferralView> for ReferralViewBody {
    fn from(v: ReferralView) -> Self {
        ReferralViewBody {
            summary: v.summary.into(),
            consent: v.consent,
            shared_fields: v.shared_fields,
            shared: v.shared,
            message: v.message,
            events: v
                .events
                .into_iter()
                .map(|e| ReferralEventBody {
                    seq: e.seq,
                    state: e.state,
                    note: e.note,
                    by_organisation: e.by_organisation,
                    at: e.at,
                })
                .collect(),
        }
    }
}

/// The support side of a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupportViewBody {
    pub case_id: String,
    /// A child or a presumed child.
    pub child: bool,
    /// Every version, the one in force marked.
    pub assessments: Vec<AssessmentViewBody>,
    /// The assessed needs as `[area, level]` pairs.
    #[schema(value_type = Vec<Vec<String>>)]
    pub needs: Vec<(NeedArea, NeedLevel)>,
    /// Need areas no service of the plan answers.
    #[schema(value_type = Vec<String>)]
    pub unmet_needs: Vec<NeedArea>,
    pub plan: Vec<PlanItemViewBody>,
    pub referrals: Vec<ReferralSummaryBody>,
}

impl From<SupportView> for SupportViewBody {
    fn from(v: SupportView) -> Self {
        SupportViewBody {
            case_id: v.case_id,
            child: v.child,
            assessments: v.assessments.into_iter().map(Into::into).collect(),
            needs: v.needs,
            unmet_needs: v.unmet_needs,
            plan: v.plan.into_iter().map(Into::into).collect(),
            referrals: v.referrals.into_iter().map(Into::into).collect(),
        }
    }
}
