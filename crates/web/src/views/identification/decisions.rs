//! Status decisions (`/cases/{case}/decisions`: a refused one shows the case page again with
//! what was typed and the problem next to the field) and requests to reconsider a negative one
//! (`/cases/{case}/reconsideration-requests`).

use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::views::cases::DecisionTyped;
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
            let typed =
                DecisionTyped { kind: input.kind, decided_on: input.decided_on, reasons: input.reasons, problem };
            Ok(crate::views::cases::case_page(&state, &p, &headers, &id, typed).await.into_response())
        }
    }
}

async fn request_reconsideration(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    Path(id): Path<String>,
    form: Result<PageForm<ReconsiderationInput>, PageError>,
) -> PageResult {
    let PageForm { input, .. } = form?;
    // The request is recorded as a decision: its date is the form's `requested_on`.
    state.app.request_reconsideration(&p, &id, &input).await.map_err(|e| match e {
        AppError::Invalid(mut problem) if problem.field == "decided_on" => {
            "requested_on".clone_into(&mut problem.field);
            AppError::Invalid(problem)
        }
        other => other,
    })?;
    Ok(see_other(&format!("/cases/{id}#decisions")))
}
