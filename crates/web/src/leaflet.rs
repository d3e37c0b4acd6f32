//! Information for the victim in a language they understand (Dir 2011/36 Art 11(5)-(6);
//! Convention Arts 12(1)(d), 15(1)): a printable leaflet for a case, in the person's language,
//! as a page (`/cases/{case}/leaflet`) and as JSON (`/api/v1/cases/{case}/leaflet`).
//!
//! The text comes from the leaflet's message files (`locales/leaflet/*.ftl`); the case adds its
//! dates and whom to contact ([`haven_app::leaflet::LeafletFacts`]). The leaflet may be found
//! by a trafficker: it never shows the family name, the date of birth or the case reference,
//! and the given name only when the worker asks for it (`name=true`).

use crate::AppState;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{ApiPath, ApiQuery, Auth, SignedIn};
use crate::i18n::{LeafletCatalogue, LeafletTr};
use crate::views::{error_page, language_of, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{Json, Response};
use axum::routing::get;
use haven_app::leaflet::LeafletFacts;
use haven_domain::Permission;
use haven_domain::access::{Action, Compartment};
use haven_domain::case::CalendarDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The page.
pub fn page_router() -> Router<AppState> {
    Router::new().route("/cases/{case}/leaflet", get(page))
}

/// The JSON at `/api/v1/cases/{id}/leaflet` (its full path: it is merged beside the nested API,
/// into the same OpenAPI document).
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(leaflet_json))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LeafletQuery {
    /// en, lv, ru, uk, ro, bg, vi, pt, fr or ar. Without it: the first of the person's
    /// languages that the leaflet has, else English.
    pub lang: Option<String>,
    /// true: greet the person by their given name on the leaflet. Without it, no name.
    pub name: Option<bool>,
}

/// A paragraph, a list, a line to write on by hand, or an important line.
#[derive(Debug, Clone)]
pub struct Block {
    /// `p`, `list`, `write-in` or `important`.
    pub kind: &'static str,
    pub text: String,
    pub items: Vec<String>,
}

impl Block {
    fn p(text: String) -> Self {
        Block { kind: "p", text, items: vec![] }
    }
}

/// One section of the leaflet.
#[derive(Debug, Clone)]
pub struct Section {
    /// `intro`, `rights`, `police`, `reflection`, `residence`, `protection`, `support`,
    /// `legal_aid`, `compensation`, `non_punishment`, `children`, `contact`.
    pub id: &'static str,
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Section {
    /// The section as plain text: paragraphs on their own lines, list items after "• ".
    pub fn text(&self) -> String {
        let mut lines = Vec::new();
        for b in &self.blocks {
            if b.kind == "list" {
                lines.extend(b.items.iter().map(|i| format!("• {i}")));
            } else {
                lines.push(b.text.clone());
            }
        }
        lines.join("\n")
    }
}

/// A date as the language writes it (the `date` message). Its digits need no isolation marks
/// inside (a right-to-left language isolates the whole date where it is used).
fn date(tr: &mut LeafletTr<'_>, d: CalendarDate) -> String {
    let (day, month, year) = (format!("{:02}", d.day), format!("{:02}", d.month), format!("{:04}", d.year));
    tr.t_args("date", &[("day", &day), ("month", &month), ("year", &year)]).replace(['\u{2068}', '\u{2069}'], "")
}

/// The leaflet's sections in the translator's language, with the case's facts filled in.
pub fn sections(tr: &mut LeafletTr<'_>, facts: &LeafletFacts, with_name: bool) -> Vec<Section> {
    let mut out = Vec::new();
    let mut section = |tr: &mut LeafletTr<'_>, id: &'static str, title: &str, blocks: Vec<Block>| {
        out.push(Section { id, title: tr.t(title), blocks });
    };
    let p = |tr: &mut LeafletTr<'_>, id: &str| Block::p(tr.t(id));

    let mut intro = Vec::new();
    if with_name && let Some(name) = &facts.given_name {
        intro.push(Block::p(tr.t_args("leaflet-greeting", &[("name", name)])));
    }
    intro.push(p(tr, "leaflet-keep"));
    intro.push(p(tr, "leaflet-read"));
    section(tr, "intro", "leaflet-title", intro);

    let rights = ["rights-victim", "rights-meaning", "rights-not-your-fault", "rights-help", "rights-interpreter"]
        .iter()
        .map(|id| p(tr, id))
        .collect();
    section(tr, "rights", "rights-title", rights);

    let police = vec![p(tr, "police-text"), p(tr, "police-later")];
    section(tr, "police", "police-title", police);

    let mut reflection = vec![p(tr, "reflection-right"), p(tr, "reflection-purpose"), p(tr, "reflection-no-removal")];
    match (facts.reflection_start, facts.reflection_end) {
        (Some(start), Some(end)) => {
            let (from, until) = (date(tr, start), date(tr, end));
            let text = tr.t_args("reflection-dates", &[("from", &from), ("until", &until)]);
            reflection.push(Block { kind: "important", text, items: vec![] });
        }
        _ => reflection.push(p(tr, "reflection-dates-unknown")),
    }
    section(tr, "reflection", "reflection-title", reflection);

    let mut residence = vec![p(tr, "residence-text"), p(tr, "residence-grounds"), p(tr, "residence-help")];
    if let Some(until) = facts.residence_permit_until {
        let until = date(tr, until);
        residence.push(Block {
            kind: "important",
            text: tr.t_args("residence-yours", &[("until", &until)]),
            items: vec![],
        });
    }
    section(tr, "residence", "residence-title", residence);

    let protection = vec![p(tr, "protection-text"), p(tr, "protection-also"), p(tr, "protection-help")];
    section(tr, "protection", "protection-title", protection);

    let items = [
        "support-accommodation",
        "support-material",
        "support-medical",
        "support-psychological",
        "support-interpretation",
        "support-counselling",
    ]
    .iter()
    .map(|id| tr.t(id))
    .collect();
    let mut support = vec![p(tr, "support-intro"), Block { kind: "list", text: String::new(), items }];
    support.push(p(tr, "support-choice"));
    if let Some(since) = facts.assistance_since {
        let since = date(tr, since);
        support.push(Block::p(tr.t_args("support-since", &[("since", &since)])));
    }
    section(tr, "support", "support-title", support);

    let legal = vec![p(tr, "legal-advice"), p(tr, "legal-free"), p(tr, "legal-court")];
    section(tr, "legal_aid", "legal-title", legal);

    let compensation = vec![p(tr, "compensation-text"), p(tr, "compensation-help")];
    section(tr, "compensation", "compensation-title", compensation);

    let punishment = vec![p(tr, "punishment-forced"), p(tr, "punishment-text")];
    section(tr, "non_punishment", "punishment-title", punishment);

    if facts.children_section() {
        // The guardian is the law's for a child only (Dir 2011/36 Art 14(2), Art 16(3); CETS 197
        // Art 10(4)): not promised where the age is merely unknown.
        let children =
            ["children-protection", "children-guardian", "children-interviews", "children-school", "children-age"]
                .iter()
                .filter(|id| **id != "children-guardian" || facts.guardian_section())
                .map(|id| p(tr, id))
                .collect();
        section(tr, "children", "children-title", children);
    }

    let organisation = &facts.organisation;
    let mut contact = vec![Block::p(tr.t_args("contact-organisation", &[("organisation", &organisation.name)]))];
    if let Some(phone) = &organisation.phone {
        contact.push(Block::p(tr.t_args("contact-phone", &[("phone", phone)])));
    }
    if let Some(email) = &organisation.email {
        contact.push(Block::p(tr.t_args("contact-email", &[("email", email)])));
    }
    contact.push(Block { kind: "write-in", text: tr.t("contact-write-in"), items: vec![] });
    contact.push(Block { kind: "important", text: tr.t("contact-emergency"), items: vec![] });
    section(tr, "contact", "contact-title", contact);
    out
}

/// The language asked for, checked against the catalogue (a 400 naming `lang` otherwise).
fn requested_language(catalogue: &LeafletCatalogue, lang: Option<&str>) -> WebResult<Option<String>> {
    let Some(lang) = lang else { return Ok(None) };
    let code = lang.trim().to_ascii_lowercase();
    if catalogue.tr(&code).is_some() {
        return Ok(Some(code));
    }
    Err(WebError::BadRequest {
        field: Some("lang".into()),
        message: format!("lang: {lang:?} is not a language of the leaflet; one of {}", catalogue.codes().join(", ")),
    })
}

/// The leaflet of a case in the language asked for (or chosen from the person's languages).
struct Built {
    language: String,
    direction: &'static str,
    fallbacks: Vec<String>,
    sections: Vec<Section>,
    facts: LeafletFacts,
}

async fn build(state: &AppState, p: &haven_app::Principal, id: &str, q: &LeafletQuery) -> WebResult<Built> {
    // The route's permission before anything about the request is answered.
    state.app.require(p, Permission::Case(Compartment::Identity, Action::Read)).await?;
    let catalogue = state.i18n.leaflet();
    let asked = requested_language(catalogue, q.lang.as_deref())?;
    let facts = state.app.rights_leaflet(p, id).await?;
    let code = asked.unwrap_or_else(|| catalogue.choose(&facts.languages).to_owned());
    let mut tr = catalogue.tr(&code).ok_or(WebError::NotFound)?;
    let sections = sections(&mut tr, &facts, q.name.unwrap_or(false));
    Ok(Built { language: code, direction: tr.direction(), fallbacks: tr.fallbacks(), sections, facts })
}

// ------------------------------------------------------------------ JSON

#[derive(Debug, Serialize, ToSchema)]
pub struct LeafletSectionBody {
    /// intro, rights, police, reflection, residence, protection, support, legal_aid,
    /// compensation, non_punishment, children (a child, or age unknown), contact
    pub id: String,
    pub title: String,
    /// Plain text: one paragraph a line; list items start with "• ".
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeafletBody {
    /// The leaflet's language (ISO 639-1).
    pub language: String,
    /// ltr or rtl.
    pub direction: String,
    /// Messages not translated into this language, shown in English.
    pub fallback_messages: Vec<String>,
    pub sections: Vec<LeafletSectionBody>,
}

/// The information leaflet for the person of a case, in their language (Directive 2011/36/EU
/// Art 11(5)-(6)): no family name, date of birth or case reference. Audited.
#[utoipa::path(get, path = "/api/v1/cases/{id}/leaflet", tag = "cases", params(("id" = String, Path), LeafletQuery),
    responses((status = 200, body = LeafletBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn leaflet_json(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<LeafletQuery>,
) -> WebResult<Json<LeafletBody>> {
    let built = build(&state, &p, &id, &q).await?;
    Ok(Json(LeafletBody {
        language: built.language,
        direction: built.direction.to_owned(),
        fallback_messages: built.fallbacks,
        sections: built
            .sections
            .iter()
            .map(|s| LeafletSectionBody { id: s.id.to_owned(), title: s.title.clone(), text: s.text() })
            .collect(),
    }))
}

// ------------------------------------------------------------------ page

/// A link of the language picker: the language's own name, in its own direction.
struct LanguageLink {
    code: String,
    name: String,
    direction: &'static str,
    href: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "leaflet.html")]
struct LeafletPage {
    case_id: String,
    language: String,
    direction: &'static str,
    title: String,
    sections: Vec<Section>,
    /// The staff member's interface language, for the settings (never printed).
    ui_language: &'static str,
    tools_label: String,
    back: String,
    choose_language: String,
    languages: Vec<LanguageLink>,
    person_languages: Option<String>,
    name_toggle_href: String,
    name_toggle_label: String,
    fallback_note: Option<String>,
    print_hint: String,
}

async fn page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    query: Result<ApiQuery<LeafletQuery>, WebError>,
) -> Response {
    let q = match query {
        Ok(ApiQuery(q)) => q,
        Err(e) => return error_page(&state, Some(&p), &headers, e),
    };
    let built = match build(&state, &p, &id, &q).await {
        Ok(b) => b,
        Err(e) => return error_page(&state, Some(&p), &headers, e),
    };
    let ui = state.i18n.tr(language_of(Some(&p), &headers));
    let with_name = q.name.unwrap_or(false);
    let href =
        |code: &str, name: bool| format!("/cases/{id}/leaflet?lang={code}{}", if name { "&name=true" } else { "" });
    let languages = state
        .i18n
        .leaflet()
        .names()
        .into_iter()
        .map(|(code, name, rtl)| LanguageLink {
            code: code.to_owned(),
            name,
            direction: if rtl { "rtl" } else { "ltr" },
            href: href(code, with_name),
            current: code == built.language,
        })
        .collect();
    let person_languages = (!built.facts.languages.is_empty())
        .then(|| ui.t1("leaflet-person-languages", "languages", &built.facts.languages.join(", ")));
    let title = built.sections.first().map(|s| s.title.clone()).unwrap_or_default();
    let page = LeafletPage {
        case_id: id.clone(),
        direction: built.direction,
        title,
        sections: built.sections,
        ui_language: ui.code(),
        tools_label: ui.t("leaflet-tools"),
        back: ui.t("leaflet-back"),
        choose_language: ui.t("leaflet-choose-language"),
        languages,
        person_languages,
        name_toggle_href: href(&built.language, !with_name),
        name_toggle_label: ui.t(if with_name { "leaflet-hide-name" } else { "leaflet-show-name" }),
        fallback_note: (!built.fallbacks.is_empty()).then(|| ui.t("leaflet-fallback")),
        print_hint: ui.t("leaflet-print-hint"),
        language: built.language,
    };
    render(&page)
}
