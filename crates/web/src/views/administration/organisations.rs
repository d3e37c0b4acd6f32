//! Organisation administration: the list, and a form to create one.

use crate::AppState;
use crate::extract::SignedIn;
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{
    Choice, PageCtx, coded_choices, field_label, label_of, language_of, render, see_other, with_status,
};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
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
    check: FormProblem,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct CreateForm {
    name: String,
    kind: String,
    jurisdiction: String,
}

async fn page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    typed: CreateForm,
    done: Option<&str>,
    check: FormProblem,
) -> PageResult {
    // Listing is open to more roles than administering: this page is for administrators.
    state.app.require(p, haven_domain::Permission::ManageOrganisations).await?;
    // The organisations of the administrator's own jurisdiction: those it administers.
    let organisations = state.app.administered_organisations(Acting::User(p)).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "organisations-title", "/admin/organisations");
    let mut lines: Vec<OrgLine> = organisations
        .iter()
        .map(|o| OrgLine {
            name: o.name.clone(),
            kind: label_of(&ctx.tr, "org-kind", o.kind),
            jurisdiction: o.jurisdiction.code().to_owned(),
            created: crate::views::format_time(&o.created_at),
        })
        .collect();
    lines.sort_by(|a, b| (&a.jurisdiction, &a.name).cmp(&(&b.jurisdiction, &b.name)));
    let kinds = coded_choices::<OrganisationKind>(&ctx.tr, "org-kind", &[typed.kind.as_str()]);
    let status = check.status();
    let page = OrganisationsPage {
        done: done.map(|id| ctx.t(id)),
        organisations: lines,
        kinds,
        name: typed.name,
        jurisdiction: typed.jurisdiction,
        check,
        ctx,
    };
    Ok(with_status(render(&page), status))
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
) -> PageResult {
    let done = (q.done.as_deref() == Some("created")).then_some("organisations-created");
    page(&state, &p, &headers, CreateForm::default(), done, FormProblem::none()).await
}

async fn create(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<PageForm<CreateForm>, PageError>,
) -> PageResult {
    let PageForm { input: f, .. } = form?;
    match state.app.create_organisation(Acting::User(&p), &f.name, &f.kind, &f.jurisdiction).await {
        Ok(_) => Ok(see_other("/admin/organisations?done=created")),
        Err(e) => {
            let tr = state.i18n.tr(language_of(Some(&p), &headers));
            // The inputs are `org-name`, `org-kind` and `org-jurisdiction`.
            let check = FormProblem::of(
                &tr,
                e,
                |f| if f.is_empty() { String::new() } else { format!("org-{f}") },
                |tr, _, field| field_label(tr, field),
            )?;
            page(&state, &p, &headers, f, None, check).await
        }
    }
}
