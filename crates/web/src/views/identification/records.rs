//! Residence, protection and criminal-matter records of a case (`/cases/{case}/records`).

use crate::AppState;
use crate::extract::SignedIn;
use crate::views::form::PageForm;
use crate::views::page_error::{PageError, PageResult};
use crate::views::see_other;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::post;
use haven_app::AppError;
use haven_app::ident::CaseRecordInput;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/cases/{case}/records", post(add_record))
}

/// A record's form: its kind, and its fields as typed (the use case reads them by kind).
#[derive(Deserialize, Default)]
#[serde(default)]
struct RecordForm {
    kind: String,
}

async fn add_record(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    Path(id): Path<String>,
    form: Result<PageForm<RecordForm>, PageError>,
) -> PageResult {
    let PageForm { input, pairs } = form?;
    let fields = pairs.0.into_iter().filter(|(k, v)| k != "kind" && !v.trim().is_empty()).collect();
    // A field of the record is named as the form names it (`applied_on`, not `fields.applied_on`).
    let record = CaseRecordInput { kind: input.kind, fields };
    state.app.add_case_record(&p, &id, &record).await.map_err(|e| match e {
        AppError::Invalid(mut problem) => {
            if let Some(field) = problem.field.strip_prefix("fields.") {
                problem.field = field.to_owned();
            }
            AppError::Invalid(problem)
        }
        other => other,
    })?;
    Ok(see_other(&format!("/cases/{id}#records")))
}
