//! Organisation administration: the list, and a form to create one.

use super::{
    Choice, FormError, PageCtx, coded_choices, error_page, form_error, label_of, render, see_other, with_status,
};
use crate::AppState;
use crate::error::WebError;
use crate::extract::{FormBody, SignedIn};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use haven_app::Principal;
use haven_app::admin::Acting;
use haven_domain::OrganisationKind;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/organisations", get(list).post(create))
}

struct OrgLine {
    name: String,
    kind: String,
    jurisdiction: String,
    created: String,
}

#[derive(Template)]
#[template(path = "organisations.html")]
struct OrganisationsPage<'a> {
    ctx: PageCtx<'a>,
    organisations: Vec<OrgLine>,
    kinds: Vec<Choice>,
    name: String,
    jurisdiction: String,
    done: Option<String>,
    error: Option<FormError>,
    invalid_field: String,
}

#[derive(Deserialize, Default)]
struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    jurisdiction: String,
}

async fn page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    typed: CreateForm,
    done: Option<&str>,
    error: Option<(StatusCode, FormError)>,
) -> Response {
    // Listing is open to more roles than administering: this page is for administrators.
    if let Err(e) = state.app.require(p, haven_domain::Permission::ManageOrganisations).await {
        return error_page(state, Some(p), headers, e.into());
    }
    // The organisations of the administrator's own jurisdiction: those it administers.
    let organisations = match state.app.administered_organisations(Acting::User(p)).await {
        Ok(o) => o,
        Err(e) => return error_page(state, Some(p), headers, e.into()),
    };
    let ctx = PageCtx::new(state, Some(p), headers, "organisations-title", "/admin/organisations");
    let mut lines: Vec<OrgLine> = organisations
        .iter()
        .map(|o| OrgLine {
            name: o.name.clone(),
            kind: label_of(&ctx.tr, "org-kind", o.kind),
            jurisdiction: o.jurisdiction.code().to_owned(),
            created: super::format_time(&o.created_at),
        })
        .collect();
    lines.sort_by(|a, b| (&a.jurisdiction, &a.name).cmp(&(&b.jurisdiction, &b.name)));
    let kinds = coded_choices::<OrganisationKind>(&ctx.tr, "org-kind", &[typed.kind.as_str()]);
    let (status, error) = match error {
        Some((s, e)) => (s, Some(e)),
        None => (StatusCode::OK, None),
    };
    let page = OrganisationsPage {
        done: done.map(|id| ctx.t(id)),
        organisations: lines,
        kinds,
        name: typed.name,
        jurisdiction: typed.jurisdiction,
        invalid_field: error.as_ref().map(|e| e.field.clone()).unwrap_or_default(),
        error,
        ctx,
    };
    with_status(render(&page), status)
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<DoneQuery>,
) -> Response {
    let done = (q.done.as_deref() == Some("created")).then_some("organisations-created");
    page(&state, &p, &headers, CreateForm::default(), done, None).await
}

async fn create(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<FormBody<CreateForm>, WebError>,
) -> Response {
    let f = match form {
        Ok(FormBody(f)) => f,
        Err(e) => return error_page(&state, Some(&p), &headers, e),
    };
    match state.app.create_organisation(Acting::User(&p), &f.name, &f.kind, &f.jurisdiction).await {
        Ok(_) => see_other("/admin/organisations?done=created"),
        Err(e) => {
            let tr = state.i18n.tr(super::language_of(Some(&p), &headers));
            match form_error(&tr, e) {
                Ok(error) => page(&state, &p, &headers, f, None, Some(error)).await,
                Err(e) => error_page(&state, Some(&p), &headers, e.into()),
            }
        }
    }
}
