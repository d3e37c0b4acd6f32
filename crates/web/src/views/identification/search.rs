//! Person search (`/search`): by name (fuzzy), date of birth or document number, with the
//! linkage engine's reasons in the reader's language (also used for possible duplicates).

use crate::AppState;
use crate::extract::SignedIn;
use crate::views::form::FormProblem;
use crate::views::page_error::PageResult;
use crate::views::{PageCtx, field_label, language_of, render, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use haven_app::ident::{SearchHit, SearchInput};
use haven_domain::Permission;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/search", get(search))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SearchQuery {
    name: String,
    date_of_birth: String,
    document: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    ctx: PageCtx<'a>,
    name: String,
    date_of_birth: String,
    document: String,
    searched: bool,
    hits: Vec<HitRow>,
    check: FormProblem,
}

/// A search result with the linkage engine's reasons in the reader's language.
pub(crate) struct HitRow {
    pub(crate) hit: SearchHit,
    pub(crate) reasons: Vec<Reason>,
    /// The linkage engine's probability in words (or "exact" for an identifier).
    pub(crate) probability: String,
}

/// One field's part in a match: "Given names: the same, +7.4".
pub(crate) struct Reason {
    pub(crate) field: String,
    pub(crate) level: String,
    pub(crate) weight: String,
}

/// The words for a comparison level of the linkage engine; a level of an operator's model that
/// has none is shown as the engine names it.
pub(crate) fn level_words(tr: &crate::i18n::Tr<'_>, level: &str) -> String {
    let id = match level {
        "exact" => "search-level-exact",
        "different" => "search-level-different",
        "missing" => "search-level-missing",
        "same phonetic code or a shared name" => "search-level-phonetic",
        "day and month swapped" => "search-level-day-month-swapped",
        "year off by one" => "search-level-year-off",
        "one component different" => "search-level-one-component",
        "consistent with an age estimate or partial date" => "search-level-partial-date",
        l if l.starts_with("Jaro-Winkler") => "search-level-similar",
        l if l.starts_with("edit distance") => "search-level-edits",
        other => return other.to_owned(),
    };
    tr.t(id)
}

pub(crate) fn hit_row(tr: &crate::i18n::Tr<'_>, hit: SearchHit) -> HitRow {
    let reasons = hit
        .explanation
        .iter()
        .map(|r| Reason {
            field: tr.t(&format!("field-{}", r.field)),
            level: level_words(tr, &r.level),
            weight: format!("{:+.1}", r.weight),
        })
        .collect();
    // A whole percentage: no decimal separator to localise, and finer is not meaningful here.
    let probability = match hit.probability {
        Some(p) => format!("{:.0} %", p * 100.0),
        None => tr.t("dup-exact"),
    };
    HitRow { hit, reasons, probability }
}

async fn search(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<SearchQuery>,
) -> PageResult {
    state.app.require(&p, Permission::SearchPersons).await?;
    let searched = !(q.name.trim().is_empty() && q.date_of_birth.trim().is_empty() && q.document.trim().is_empty());
    let tr = state.i18n.tr(language_of(Some(&p), &headers));
    let (hits, check) = if searched {
        let input =
            SearchInput { name: q.name.clone(), date_of_birth: q.date_of_birth.clone(), document: q.document.clone() };
        match state.app.search_persons(&p, &input).await {
            Ok(h) => (h.into_iter().map(|h| hit_row(&tr, h)).collect(), FormProblem::none()),
            Err(e) => (vec![], FormProblem::of(&tr, e, str::to_owned, |tr, _, field| field_label(tr, field))?),
        }
    } else {
        (vec![], FormProblem::none())
    };
    let status = check.status();
    let ctx = PageCtx::new(&state, Some(&p), &headers, "search-title", "/search");
    let page =
        SearchPage { ctx, name: q.name, date_of_birth: q.date_of_birth, document: q.document, searched, hits, check };
    Ok(with_status(render(&page), status))
}
