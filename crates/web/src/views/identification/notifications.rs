//! Anonymous notifications (`/notifications/new`, `/notifications`): only what statistics need,
//! nothing that identifies the person.

use crate::AppState;
use crate::extract::SignedIn;
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{Choice, PageCtx, coded_choices, field_label, language_of, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use haven_app::Principal;
use haven_app::ident::NotificationInput;
use haven_domain::case::Sex;
use haven_domain::ident::age::AgeGroup;
use haven_domain::{Coded, Permission};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/notifications/new", get(notification_form)).route("/notifications", post(notification_save))
}

#[derive(Template)]
#[template(path = "notification.html")]
struct NotificationPage<'a> {
    ctx: PageCtx<'a>,
    sexes: Vec<Choice>,
    age_groups: Vec<Choice>,
    forms: Vec<Choice>,
    notified_on: String,
    citizenship: String,
    check: FormProblem,
    filed: bool,
}

fn notification_page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    typed: Option<&NotificationInput>,
    check: FormProblem,
    filed: bool,
) -> Response {
    let ctx = PageCtx::new(state, Some(p), headers, "notification-title", "/cases");
    let tr = ctx.tr;
    let adult_groups: Vec<Choice> =
        coded_choices::<AgeGroup>(&tr, "age-group", &[typed.map_or("", |t| t.age_group.as_str())])
            .into_iter()
            .filter(|c| AgeGroup::parse_code("a", &c.value).is_ok_and(|g| !g.is_child()))
            .collect();
    let chosen = typed.map(|t| t.forms.as_slice()).unwrap_or_default();
    let forms = state
        .app
        .reference()
        .forms
        .forms()
        .iter()
        .map(|f| Choice {
            value: f.id.as_str().to_owned(),
            label: ctx.t(&format!("form-{}", f.id.as_str())),
            selected: chosen.iter().any(|c| c == f.id.as_str()),
        })
        .collect();
    let status = check.status();
    let page = NotificationPage {
        sexes: coded_choices::<Sex>(&tr, "sex", &[typed.map_or("", |t| t.sex.as_str())]),
        age_groups: adult_groups,
        forms,
        notified_on: typed.map_or_else(|| state.app.today().to_string(), |t| t.notified_on.clone()),
        citizenship: typed.map(|t| t.citizenship.clone()).unwrap_or_default(),
        check,
        filed,
        ctx,
    };
    with_status(render(&page), status)
}

#[derive(Deserialize)]
struct FiledQuery {
    filed: Option<String>,
}

async fn notification_form(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<FiledQuery>,
) -> PageResult {
    state.app.require(&p, Permission::FileNotification).await?;
    Ok(notification_page(&state, &p, &headers, None, FormProblem::none(), q.filed.is_some()))
}

async fn notification_save(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<PageForm<NotificationInput>, PageError>,
) -> PageResult {
    let PageForm { input, .. } = form?;
    match state.app.file_notification(&p, &input).await {
        Ok(_) => Ok(see_other("/notifications/new?filed=1")),
        Err(e) => {
            let tr = state.i18n.tr(language_of(Some(&p), &headers));
            let check = FormProblem::of(&tr, e, without_index, |tr, _, field| field_label(tr, field))?;
            Ok(notification_page(&state, &p, &headers, Some(&input), check, false))
        }
    }
}

/// `forms[2]` is the input `forms`.
fn without_index(field: &str) -> String {
    field.split('[').next().unwrap_or(field).to_owned()
}
