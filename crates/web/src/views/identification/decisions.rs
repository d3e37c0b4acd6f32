//! Status decisions (`/cases/{case}/decisions`: a refused one shows the case page again with
//! what was typed and the problem next to the field) and requests to reconsider a negative one
//! (`/cases/{case}/reconsideration-requests`).

use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::views::cases::{DecisionTyped, ReconsiderationTyped};
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{field_label, language_of, see_other};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::routing::post;
use haven_app::AppError;
use haven_app::ident::{DecisionInput, ReconsiderationInput};
use haven_domain::ident::procedure::{MemberVote, Vote};
use haven_domain::{Coded, ParseError};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/decisions", post(decide))
        .route("/cases/{case}/reconsideration-requests", post(request_reconsideration))
}

/// The decision form: a [`DecisionInput`] whose commission votes come one seat a row
/// (`vote_seat_N`, `vote_member_N`, `vote_N`).
#[derive(Deserialize, Default)]
#[serde(default)]
struct DecisionForm {
    seq: u32,
    kind: String,
    decided_on: String,
    reasons: String,
    corrects: Option<u32>,
}

/// A commission's votes: one seat per row; an empty vote is a member who did not vote.
fn votes(form: &FormPairs) -> Result<Vec<MemberVote>, ParseError> {
    let mut votes = Vec::new();
    for i in 0..32 {
        let Some(seat) = form.get(&format!("vote_seat_{i}")) else { break };
        let vote = form.get(&format!("vote_{i}")).unwrap_or_default().trim();
        if vote.is_empty() {
            continue;
        }
        votes.push(MemberVote {
            seat: seat.to_owned(),
            member: form.get(&format!("vote_member_{i}")).unwrap_or_default().trim().to_owned(),
            vote: Vote::parse_code(&format!("votes[{i}].vote"), vote)?,
        });
    }
    Ok(votes)
}

async fn decide(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<PageForm<DecisionForm>, PageError>,
) -> PageResult {
    let PageForm { input: f, pairs } = form?;
    let input = DecisionInput {
        seq: f.seq,
        kind: f.kind,
        decided_on: f.decided_on,
        reasons: f.reasons,
        corrects: f.corrects,
        votes: votes(&pairs)?,
    };
    match state.app.record_decision(&p, &id, &input).await {
        Ok(_) => Ok(see_other(&format!("/cases/{id}#decisions"))),
        // A refused decision shows the case page again with what was typed and the problem next
        // to the field, never a dead-end error page.
        Err(e) => {
            let tr = state.i18n.tr(language_of(Some(&p), &headers));
            let place = |field: &str| if field == "kind" { "decision-kind".to_owned() } else { field.to_owned() };
            let problem = FormProblem::of(&tr, e, place, |tr, _, field| field_label(tr, field))?;
            let typed = DecisionTyped {
                kind: input.kind,
                decided_on: input.decided_on,
                reasons: input.reasons,
                problem,
                reconsideration: None,
            };
            Ok(crate::views::cases::case_page(&state, &p, &headers, &id, typed).await.into_response())
        }
    }
}

/// A request to reconsider: refused for what was typed, the case page shows the form again with
/// what was typed and the problem next to the field; refused for where the case stands, the
/// error page says why.
async fn request_reconsideration(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<PageForm<ReconsiderationInput>, PageError>,
) -> PageResult {
    let PageForm { input, .. } = form?;
    match state.app.request_reconsideration(&p, &id, &input).await {
        Ok(_) => Ok(see_other(&format!("/cases/{id}#decisions"))),
        Err(AppError::Invalid(mut problem)) => {
            // The request is recorded as a decision: its date is the form's `requested_on`.
            if problem.field == "decided_on" {
                "requested_on".clone_into(&mut problem.field);
            }
            let tr = state.i18n.tr(language_of(Some(&p), &headers));
            let place =
                |field: &str| if field == "reasons" { "reconsideration-reasons".to_owned() } else { field.to_owned() };
            let problem =
                FormProblem::of(&tr, AppError::Invalid(problem), place, |tr, _, field| field_label(tr, field))?;
            let typed = DecisionTyped {
                problem,
                reconsideration: Some(ReconsiderationTyped {
                    requested_on: input.requested_on,
                    reasons: input.reasons,
                }),
                ..DecisionTyped::default()
            };
            Ok(crate::views::cases::case_page(&state, &p, &headers, &id, typed).await.into_response())
        }
        Err(other) => Err(other.into()),
    }
}
