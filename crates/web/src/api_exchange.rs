//! The transnational exchange in the JSON API (docs/transnational.md §8.5 and §11): the focal
//! point stores the secret the focal points share and sends a year's person encodings to the EU
//! hub; the EU level reads the count of distinct persons across borders; the focal point or the
//! administrator reads the outbox and rotates and retires this instance's own keys. Each handler
//! calls one use case, where access is decided (`haven_domain::access`) and every change audited;
//! a field at fault is named in a 422.

use crate::AppState;
use crate::api_stats::YearQuery;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiJson, ApiQuery, Auth};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use haven_app::admin::Acting;
use haven_app::exchange_own_keys::{DEFAULT_OVERLAP_DAYS, OwnKeysChanged};
use haven_app::exchange_transport::OutboxMessage;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(store_secret))
        .routes(routes!(send_encodings))
        .routes(routes!(cross_border_persons))
        .routes(routes!(outbox))
        .routes(routes!(rotate_own_keys))
        .routes(routes!(retire_own_keys))
}

/// A generation of the shared secret: `generation` (1 to 32 letters, digits, `-` or `_`) and
/// `secret` (standard base64 of at least 32 bytes). Never shown back.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretBody {
    pub generation: String,
    pub secret: String,
}

/// The reference year whose encodings are sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EncodingsBody {
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: u16,
}

/// What was handed to the exchange: the message id, the receiver (the EU hub), the year, the
/// number of persons, `state` (`queued`, or `failed` with `error`).
#[derive(Debug, Serialize, ToSchema)]
pub struct EncodingsDeliveryBody {
    pub message_id: String,
    pub receiver: String,
    pub year: u16,
    pub persons: u32,
    pub state: String,
    pub error: Option<String>,
}

/// The EU count of a year: `countries` (`[country, persons sent]`), `sum_of_national`,
/// `distinct`, `in_several_countries`, `overlaps` (`{a, b, persons}`), `by_countries` (number of
/// countries → persons), `threshold` (the Dice similarity), `left_out` (countries of another
/// secret generation).
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct CrossBorderBody(pub serde_json::Value);

/// A message of the outbox, never its body. `state`: `pending`, `delivered`, `refused`,
/// `expired`; `acknowledgement`: `received`, `accepted` or `refused` (with `refusal_reason`).
/// Times are unix seconds.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxMessageBody {
    pub message_id: String,
    pub receiver: String,
    pub message_type: String,
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub delivered_at: Option<i64>,
    pub acknowledged_received_at: Option<i64>,
    pub acknowledgement: Option<String>,
    pub refusal_reason: Option<String>,
    pub expires_at: i64,
}

impl From<OutboxMessage> for OutboxMessageBody {
    fn from(m: OutboxMessage) -> Self {
        OutboxMessageBody {
            message_id: m.message_id,
            receiver: m.receiver,
            message_type: m.message_type,
            state: m.state,
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
            last_error: m.last_error,
            delivered_at: m.delivered_at,
            acknowledged_received_at: m.acknowledged_received_at,
            acknowledgement: m.acknowledgement,
            refusal_reason: m.refusal_reason,
            expires_at: m.expires_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OutboxQuery {
    /// The most messages listed, newest first (1 to 1000, a number outside taken as the nearest;
    /// 100 when absent).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// The overlap of a rotation: `overlap_days`, 1 to 90 (14 when absent).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotationBody {
    #[schema(minimum = 1, maximum = 90)]
    pub overlap_days: Option<i64>,
}

/// A rotation or retirement of this instance's keys: the entry's new `sequence`, the new key
/// ids (a rotation), `overlap_until` (unix seconds), the key ids `retired`, and `entry` (the
/// signed directory entry to hand to every peer, JSON text).
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnKeysBody {
    pub sequence: i64,
    pub new_signing_key_id: Option<String>,
    pub new_encryption_key_id: Option<String>,
    pub overlap_until: Option<i64>,
    pub retired: Vec<String>,
    pub entry: String,
}

impl From<OwnKeysChanged> for OwnKeysBody {
    fn from(c: OwnKeysChanged) -> Self {
        OwnKeysBody {
            sequence: c.sequence,
            new_signing_key_id: c.new_signing_key_id,
            new_encryption_key_id: c.new_encryption_key_id,
            overlap_until: c.overlap_until,
            retired: c.retired,
            entry: c.entry_json,
        }
    }
}

/// Store a generation of the secret the focal points share for the cross-border person count
/// (the focal point of a country). Audited without the secret; 409 when the generation exists.
#[utoipa::path(post, path = "/exchange/person-linkage-secrets", tag = "exchange", request_body = SecretBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn store_secret(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<SecretBody>,
) -> WebResult<Response> {
    state.app.store_person_linkage_secret(&p, &b.generation, &b.secret).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Encode the country's persons identified as victims in a year and send the encodings to the
/// pinned EU hub (the focal point of a country). No name, date or document leaves the country.
#[utoipa::path(post, path = "/exchange/person-encodings", tag = "exchange", request_body = EncodingsBody,
    responses((status = 202, body = EncodingsDeliveryBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn send_encodings(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<EncodingsBody>,
) -> WebResult<Response> {
    let d = state.app.send_person_encodings(&p, b.year).await?;
    let body = EncodingsDeliveryBody {
        message_id: d.message_id,
        receiver: d.receiver,
        year: d.year,
        persons: d.persons,
        state: d.state,
        error: d.error,
    };
    Ok((StatusCode::ACCEPTED, Json(body)).into_response())
}

/// The EU total of distinct persons of a year next to the sum of the national counts, the
/// persons of each country, the overlaps and the method (the EU level's rapporteur or
/// statistician; a national one is refused, 403). Audited.
#[utoipa::path(get, path = "/hub/cross-border-persons", tag = "statistics", params(YearQuery),
    responses((status = 200, body = CrossBorderBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn cross_border_persons(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> WebResult<Response> {
    let count = state.app.cross_border_persons(&p, q.year).await?;
    let value = serde_json::to_value(&count).map_err(|e| haven_app::AppError::Internal(Box::new(e)))?;
    Ok(Json(CrossBorderBody(value)).into_response())
}

/// The outbox of this instance, newest first: type, receiver, state, attempts, next attempt and
/// acknowledgements; never a body (the focal point or the administrator).
#[utoipa::path(get, path = "/exchange/outbox", tag = "exchange", params(OutboxQuery),
    responses((status = 200, body = Vec<OutboxMessageBody>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn outbox(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> WebResult<Response> {
    // the use case keeps the limit within 1 to 1000
    let limit = q.limit.unwrap_or(100);
    let list: Vec<OutboxMessageBody> =
        state.app.exchange_outbox(Acting::User(&p), limit).await?.into_iter().map(Into::into).collect();
    Ok(Json(list).into_response())
}

/// Rotate this instance's own keys: new signing and encryption keys, the old ones valid until
/// the end of the overlap; answers the signed entry to hand to every peer. 409 while the overlap
/// of an earlier rotation runs. Audited.
#[utoipa::path(post, path = "/exchange/own-keys/rotation", tag = "exchange", request_body = RotationBody,
    responses((status = 200, body = OwnKeysBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn rotate_own_keys(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(b): ApiJson<RotationBody>,
) -> WebResult<Response> {
    let days = b.overlap_days.unwrap_or(DEFAULT_OVERLAP_DAYS);
    Ok(Json(OwnKeysBody::from(state.app.rotate_own_keys(Acting::User(&p), days).await?)).into_response())
}

/// Retire this instance's keys whose overlap has ended (their secrets deleted); answers the
/// signed entry without them. Audited.
#[utoipa::path(post, path = "/exchange/own-keys/retirement", tag = "exchange",
    responses((status = 200, body = OwnKeysBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn retire_own_keys(State(state): State<AppState>, Auth(p): Auth) -> WebResult<Response> {
    Ok(Json(OwnKeysBody::from(state.app.retire_own_keys(Acting::User(&p)).await?)).into_response())
}
