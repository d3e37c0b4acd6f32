//! The investigations of the user's organisation (`/investigations`) and opening one
//! (`/investigations/new`, posted to `/investigations`): ex officio or on a report, never
//! waiting for the victim (Dir 2011/36 Art 9(1)).

use super::{Builder, FormView, Typed, all, one, options, organisations};
use crate::AppState;
use crate::extract::SignedIn;
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{PageCtx, can, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;
use haven_app::Principal;
use haven_domain::access::{Action, Compartment};
use haven_domain::ident::forms::FormCatalogue;
use haven_domain::org::OrganisationKind;
use haven_domain::proceedings::{InvestigationInput, OffenceInput, OffenceKind, Opening, PlaceInput, Reporter};
use haven_domain::{Coded, Permission};
use serde::de::IgnoredAny;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/investigations", get(list_page).post(create)).route("/investigations/new", get(new_page))
}

/// An investigation in the list.
struct Line {
    href: String,
    reference: String,
    status: String,
    opened_on: String,
    offences: String,
    suspects: usize,
    victims: usize,
    open_notices: usize,
}

#[derive(Template)]
#[template(path = "proceedings_list.html")]
struct ListPage<'a> {
    ctx: PageCtx<'a>,
    lines: Vec<Line>,
    may_open: bool,
}

async fn list_page(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    let list = state.app.investigations(&p).await?;
    let ctx = PageCtx::new(&state, Some(&p), &headers, "proc-list-title", "/investigations");
    let tr = ctx.tr;
    let lines = list
        .into_iter()
        .map(|s| Line {
            href: format!("/investigations/{}", s.id),
            reference: s.reference,
            status: tr.t(&format!("investigation-status-{}", s.status.code())),
            opened_on: s.opened_on.to_string(),
            offences: s.offences.iter().map(|o| tr.t(&format!("proc-offence-{o}"))).collect::<Vec<_>>().join(", "),
            suspects: s.suspects,
            victims: s.victims,
            open_notices: s.open_notices,
        })
        .collect();
    let may_open = can(&p, Permission::Case(Compartment::Proceedings, Action::Write));
    Ok(render(&ListPage { ctx, lines, may_open }))
}

/// How many offences and places the form offers (a second of each for more than one).
const ROWS: usize = 2;

#[derive(Template)]
#[template(path = "proceedings_new.html")]
struct NewPage<'a> {
    ctx: PageCtx<'a>,
    form: FormView,
    check: FormProblem,
}

async fn new_form(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    typed: &Typed,
    check: FormProblem,
) -> PageResult {
    let orgs = organisations(state, p).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "proc-new-title", "/investigations");
    let tr = ctx.tr;
    let b = Builder::new(tr, "new", typed, &check);
    let today = state.app.today().to_string();
    let prosecutors: Vec<(String, String)> = orgs
        .iter()
        .filter(|o| o.kind == OrganisationKind::Prosecution && o.jurisdiction == p.organisation.jurisdiction)
        .map(|o| (o.id.clone(), o.name.clone()))
        .collect();
    let forms: Vec<(String, String)> = FormCatalogue::embedded()
        .map(|c| {
            c.forms_in_force(state.app.today())
                .into_iter()
                .map(|f| (f.id.as_str().to_owned(), tr.t(&format!("form-{}", f.id.as_str()))))
                .collect()
        })
        .unwrap_or_default();
    let mut fields = vec![
        b.text("reference", ""),
        b.select("prosecutor_organisation_id", prosecutors, true, ""),
        b.date("opened_on", &today),
        b.select("opening", options::<Opening>(&tr, "proc-opening"), true, ""),
        b.select("reporter", options::<Reporter>(&tr, "proc-reporter"), true, ""),
        b.date("reported_on", ""),
    ];
    for row in 0..ROWS {
        let mut kind = b.select(&format!("offence_kind_{row}"), options::<OffenceKind>(&tr, "proc-offence"), true, "");
        let mut forms = b.multi(&format!("forms_{row}"), forms.clone());
        let mut provision = b.text(&format!("national_provision_{row}"), "");
        if row > 0 {
            for f in [&mut kind, &mut forms, &mut provision] {
                f.hint = tr.t("proc-another-offence-hint");
            }
        }
        fields.extend([kind, forms, provision]);
    }
    for row in 0..ROWS {
        fields.push(
            b.text(&format!("place_country_{row}"), if row == 0 { p.organisation.jurisdiction.code() } else { "" }),
        );
        fields.push(b.text(&format!("place_locality_{row}"), ""));
    }
    let mut other = b.text("other_countries", "");
    other.hint = tr.t("proc-other-countries-hint");
    fields.extend([b.date("acts_from", ""), b.date("acts_until", ""), other, b.textarea("summary")]);
    let mut form = b.form("/investigations".into(), "proc-open", fields);
    form.title = String::new();
    let status = check.status();
    Ok(with_status(render(&NewPage { ctx, form, check }), status))
}

async fn new_page(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    // Only who may open one sees the form (the application refuses the rest on posting).
    state.app.require(&p, Permission::Case(Compartment::Proceedings, Action::Write)).await?;
    new_form(&state, &p, &headers, &Typed::default(), FormProblem::none()).await
}

/// The form as the use case's input: the first offence always, a second and the places when
/// anything of them was typed.
fn input(pairs: &crate::extract::FormPairs) -> InvestigationInput {
    let mut offences = Vec::new();
    for row in 0..ROWS {
        let o = OffenceInput {
            kind: one(pairs, &format!("offence_kind_{row}")),
            forms: all(pairs, &format!("forms_{row}")),
            national_provision: one(pairs, &format!("national_provision_{row}")),
        };
        if row == 0 || !o.kind.trim().is_empty() || !o.forms.is_empty() || !o.national_provision.trim().is_empty() {
            offences.push(o);
        }
    }
    let mut places = Vec::new();
    for row in 0..ROWS {
        let p = PlaceInput {
            country: one(pairs, &format!("place_country_{row}")),
            locality: one(pairs, &format!("place_locality_{row}")),
        };
        if !p.country.trim().is_empty() || !p.locality.trim().is_empty() {
            places.push(p);
        }
    }
    InvestigationInput {
        reference: one(pairs, "reference"),
        prosecutor_organisation_id: one(pairs, "prosecutor_organisation_id"),
        opened_on: one(pairs, "opened_on"),
        opening: one(pairs, "opening"),
        reporter: one(pairs, "reporter"),
        reported_on: one(pairs, "reported_on"),
        offences,
        places,
        acts_from: one(pairs, "acts_from"),
        acts_until: one(pairs, "acts_until"),
        other_countries: one(pairs, "other_countries")
            .split([',', ' ', ';'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        summary: one(pairs, "summary"),
    }
}

/// The input of the form a field the use case names belongs to: `offences[1].forms` is the
/// second offence's forms, `places[0].place_country` the first place's country.
pub(super) fn new_field(field: &str) -> String {
    let row = |s: &str| s.split_once('[').and_then(|(_, r)| r.split_once(']')).map(|(n, _)| n.to_owned());
    let inner = field.rsplit('.').next().unwrap_or(field);
    let name = if field.starts_with("offences[") {
        let n = row(field).unwrap_or_else(|| "0".into());
        match inner {
            "offence" => format!("offence_kind_{n}"),
            other => format!("{other}_{n}"),
        }
    } else if field.starts_with("places[") {
        format!("{inner}_{}", row(field).unwrap_or_else(|| "0".into()))
    } else if field == "offences" {
        "offence_kind_0".into()
    } else {
        field.to_owned()
    };
    format!("new-{name}")
}

async fn create(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: PageForm<IgnoredAny>,
) -> PageResult {
    match state.app.open_investigation(&p, &input(&form.pairs)).await {
        Ok(view) => Ok(see_other(&format!("/investigations/{}", view.investigation.id))),
        Err(e) => {
            let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
            let check = FormProblem::of(&tr, e, new_field, |tr, at, _| super::label(tr, at.trim_start_matches("new-")))
                .map_err(PageError::from)?;
            new_form(&state, &p, &headers, &Typed::of("new", &form.pairs), check).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_of_an_offence_or_a_place_is_shown_at_its_row() {
        assert_eq!(new_field("offences[1].offence"), "new-offence_kind_1");
        assert_eq!(new_field("offences[0].forms"), "new-forms_0");
        assert_eq!(new_field("offences"), "new-offence_kind_0");
        assert_eq!(new_field("places[1].place_country"), "new-place_country_1");
        assert_eq!(new_field("reporter"), "new-reporter");
    }
}
