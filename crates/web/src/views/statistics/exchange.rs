//! Statistics over the exchange channel: sending a release to the EU hub from its page (with the
//! delivery state), and at the hub, how each submission came (signed over the channel or
//! uploaded) with the signed original to download.

use super::shared::problems_page;
use crate::AppState;
use crate::error::WebError;
use crate::extract::{FormPairs, SignedIn};
use crate::views::{PageCtx, error_page, format_time, see_other};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use haven_app::AppError;
use haven_app::exchange_statistics::{HubDelivery, SubmissionSource};

/// A release's delivery to the EU hub, as its page shows it.
pub struct DeliveryView {
    pub state: String,
    pub state_label: String,
    pub message_id: String,
    pub receiver: String,
    pub error: Option<String>,
    pub updated: String,
}

impl DeliveryView {
    pub fn new(ctx: &PageCtx<'_>, d: HubDelivery) -> DeliveryView {
        DeliveryView {
            state_label: ctx.t(&format!("stats-hub-state-{}", d.state)),
            state: d.state,
            message_id: d.message_id,
            receiver: d.receiver,
            error: d.error,
            updated: format_time(&d.updated_at),
        }
    }
}

/// A submission at the hub, with how it came.
pub struct SourceRow {
    pub country: String,
    pub submitted: String,
    /// `channel` or `upload`.
    pub source: &'static str,
    pub source_label: String,
    /// The submission id, when there is a signed original to download.
    pub evidence: Option<String>,
    /// Who signed it: the sending instance and its signing key id.
    pub signer: String,
}

impl SourceRow {
    pub fn new(ctx: &PageCtx<'_>, s: SubmissionSource) -> SourceRow {
        let source = if s.channel.is_some() { "channel" } else { "upload" };
        SourceRow {
            country: s.country,
            submitted: format_time(&s.submitted_at),
            source,
            source_label: ctx.t(&format!("stats-source-{source}")),
            signer: s.channel.as_ref().map(|c| format!("{} · {}", c.sender, c.signing_key_id)).unwrap_or_default(),
            evidence: s.channel.map(|_| s.submission_id),
        }
    }
}

/// `POST /statistics/releases/{id}/send-to-hub`: sends the release over the exchange and shows
/// its page again with the delivery state.
pub async fn send_to_hub(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<FormPairs, WebError>,
) -> Response {
    if let Err(e) = form {
        return error_page(&state, Some(&p), &headers, e);
    }
    match state.app.send_release_to_hub(&p, &id).await {
        Ok(_) => see_other(&format!("/statistics/releases/{id}#hub-channel")),
        Err(AppError::Rejected(problems)) => {
            problems_page(&state, &p, &headers, problems, format!("/statistics/releases/{id}"))
        }
        Err(e) => error_page(&state, Some(&p), &headers, e.into()),
    }
}

/// `GET /statistics/eu/submissions/{id}/evidence`: the signed original of a submission received
/// over the channel, as JSON (header, body and signature base64url; the signature label; whether
/// it verifies against the directory now), to keep or verify independently.
pub async fn evidence(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let evidence = match state.app.submission_evidence(&p, &id).await {
        Ok(e) => e,
        Err(e) => return error_page(&state, Some(&p), &headers, e.into()),
    };
    let body = match serde_json::to_vec_pretty(&evidence) {
        Ok(b) => b,
        Err(e) => return error_page(&state, Some(&p), &headers, AppError::Internal(Box::new(e)).into()),
    };
    let name: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    (
        [
            (CONTENT_TYPE, "application/json".to_owned()),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"statistics-evidence-{name}.json\"")),
        ],
        body,
    )
        .into_response()
}
