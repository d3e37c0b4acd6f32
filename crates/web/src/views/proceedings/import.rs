//! Importing suspects from a file (`/investigations/{id}/suspects/import`): the file another
//! system exported, in the format the API's `POST /api/v1/investigations/{id}/suspects/import`
//! takes (`{"suspects": [...]}`, at most 200), sent from a page as a file upload (a multipart
//! form; the CSRF token travels in the query string of the form's action). Every suspect is
//! checked before any is written and the use case stores all of them with their non-punishment
//! notices (Dir 2011/36 Art 8) or none; a problem names the suspect and its field
//! (`suspects[i].field`) and the page comes back with it (422).

use super::money::page_label;
use crate::AppState;
use crate::api_proceedings::{ImportBody, import_inputs};
use crate::extract::SignedIn;
use crate::views::form::FormProblem;
use crate::views::page_error::{PageError, PageResult};
use crate::views::{PageCtx, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::routing::get;
use haven_app::{AppError, Principal};
use haven_domain::{Message, MessageId, ParseError};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/investigations/{id}/suspects/import", get(show).post(import))
}

#[derive(Template)]
#[template(path = "proceedings_import.html")]
struct ImportPage<'a> {
    ctx: PageCtx<'a>,
    back: String,
    reference: String,
    action: String,
    label: String,
    file_name: String,
    check: FormProblem,
}

async fn page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    file_name: &str,
    check: FormProblem,
) -> PageResult {
    let view = state.app.investigation(p, id).await?;
    if !view.actions.write {
        return Err(AppError::Forbidden.into());
    }
    let ctx = PageCtx::new(state, Some(p), headers, "pp-import-title", "/investigations");
    let base = format!("/investigations/{id}");
    let status = check.status();
    let page = ImportPage {
        action: format!("{base}/suspects/import?csrf={}", ctx.csrf),
        back: base,
        reference: view.investigation.reference.clone(),
        label: page_label(&ctx.tr, "import", "file"),
        file_name: file_name.to_owned(),
        check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

async fn show(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    page(&state, &p, &headers, &id, "", FormProblem::none()).await
}

/// The file sent (its name and bytes); a problem at the file input when the form is not a file
/// upload or holds none.
async fn read_file(multipart: Result<Multipart, MultipartRejection>) -> Result<(String, Vec<u8>), ParseError> {
    let unreadable = || {
        ParseError::said(
            "file",
            "the form could not be read",
            Message::new(MessageId::ValueNotUnderstood).with("value", ""),
        )
    };
    let mut multipart = multipart.map_err(|_| unreadable())?;
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(|_| unreadable())?;
            if bytes.is_empty() {
                return Err(ParseError::empty("file"));
            }
            return Ok((name, bytes.to_vec()));
        }
    }
    Err(ParseError::empty("file"))
}

/// The suspects of the file, each checked: an error names `suspects[i].field`.
fn suspects_of(bytes: &[u8]) -> Result<Vec<haven_domain::proceedings::suspect::SuspectInput>, ParseError> {
    let body: ImportBody = serde_json::from_slice(bytes).map_err(|e| {
        ParseError::said(
            "file",
            format!("not the import format: {e}"),
            Message::new(MessageId::ValueNotUnderstood).with("value", e.to_string()),
        )
    })?;
    import_inputs(body.suspects)
}

async fn import(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult {
    // Access first (a user who may not write the investigation learns nothing of the file's
    // problems), then the file, then the writes.
    let view = state.app.investigation(&p, &id).await?;
    if !view.actions.write {
        return Err(AppError::Forbidden.into());
    }
    let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
    let refused = |e: ParseError| {
        // The problem names the suspect and its field as the file has them.
        let message = if e.field == "file" { tr.problem(&e) } else { format!("{}: {}", e.field, tr.problem(&e)) };
        FormProblem::at(&tr, "import-file", message, |tr, _, _| page_label(tr, "import", "file"))
    };
    let (name, bytes) = match read_file(multipart).await {
        Ok(file) => file,
        Err(e) => return page(&state, &p, &headers, &id, "", refused(e)).await,
    };
    let inputs = match suspects_of(&bytes) {
        Ok(inputs) => inputs,
        Err(e) => return page(&state, &p, &headers, &id, &name, refused(e)).await,
    };
    match state.app.import_suspects(&p, &id, &inputs).await {
        Ok(_) => Ok(see_other(&format!("/investigations/{id}#suspects"))),
        Err(AppError::Invalid(e)) => page(&state, &p, &headers, &id, &name, refused(e)).await,
        Err(e) => Err(PageError::from(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_not_in_the_format_or_with_a_bad_suspect_names_where() {
        assert_eq!(suspects_of(b"not json").unwrap_err().field, "file");
        let two = br#"{"suspects": [{"kind": "natural", "name": "A. K.", "roles": ["recruiter"]},
            {"kind": "natural", "name": "", "roles": ["recruiter"]}]}"#;
        assert_eq!(suspects_of(two).unwrap_err().field, "suspects[1].name");
        let ok = br#"{"suspects": [{"kind": "natural", "name": "A. K.", "roles": ["recruiter"]}]}"#;
        assert_eq!(suspects_of(ok).unwrap().len(), 1);
    }
}
