//! Matching (`/providers/match`): providers ranked for a person's need, each factor explained;
//! from a case, each provider links to the case's new referral.

use super::{
    Check, capacity_text, check_of, choices, directory, is_on, label, list, problem, segment, tr_of, without_index,
};
use crate::AppState;
use crate::extract::SignedIn;
use crate::i18n::Tr;
use crate::views::form::safe_id;
use crate::views::page_error::PageResult;
use crate::views::{Choice, PageCtx, coded_choices, render, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use haven_app::{AppError, Principal};
use haven_domain::assist::directory::{LanguageCode, RegionCode};
use haven_domain::assist::matching::{FactorScore, NeedQuery};
use haven_domain::assist::services::ServiceType;
use haven_domain::case::Sex;
use haven_domain::{Coded, ParseError, Permission};
use serde::Deserialize;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/providers/match", get(match_page))
}

/// One line of a ranking's explanation.
pub struct FactorLine {
    pub label: String,
    pub points: u32,
    pub sentence: String,
}

fn factor_lines(tr: &Tr<'_>, factors: &[FactorScore]) -> Vec<FactorLine> {
    factors
        .iter()
        .map(|f| FactorLine {
            label: label(tr, "factor", f.factor),
            points: f.points,
            sentence: tr.said(&f.message, &f.sentence),
        })
        .collect()
}

/// The person's need as the matching forms carry it.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct NeedParams {
    pub(super) service: String,
    pub(super) child: String,
    pub(super) sex: String,
    pub(super) with_children: String,
    pub(super) languages: String,
    pub(super) region: String,
    pub(super) prefer_specialised: String,
    /// The case a referral will be made for (links go back to its referral form).
    pub(super) case: String,
}

impl NeedParams {
    pub(super) fn query(&self) -> Result<NeedQuery, ParseError> {
        let languages = list(&self.languages)
            .iter()
            .enumerate()
            .map(|(i, l)| LanguageCode::parse(&format!("languages[{i}]"), &l.to_ascii_lowercase()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(NeedQuery {
            service: ServiceType::parse_code("service", self.service.trim())?,
            person_is_child: is_on(&self.child),
            sex: match self.sex.trim() {
                "" => Sex::Unknown,
                s => Sex::parse_code("sex", s)?,
            },
            with_children: is_on(&self.with_children),
            languages,
            region: match self.region.trim() {
                "" => None,
                r => Some(RegionCode::parse("region", &r.to_ascii_uppercase())?),
            },
            prefer_specialised: is_on(&self.prefer_specialised),
        })
    }

    /// The query string that repeats this need (for links).
    pub(super) fn query_string(&self) -> String {
        let pairs = [
            ("service", &self.service),
            ("child", &self.child),
            ("sex", &self.sex),
            ("with_children", &self.with_children),
            ("languages", &self.languages),
            ("region", &self.region),
            ("prefer_specialised", &self.prefer_specialised),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", segment(v.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }
}

pub struct RankedLine {
    pub id: String,
    pub name: String,
    pub score: u32,
    pub free: String,
    pub factors: Vec<FactorLine>,
    pub refer_href: String,
    pub selected: bool,
}

/// Providers ranked for a need, with the free places as "free x of y".
pub(super) async fn ranked(
    state: &AppState,
    p: &Principal,
    tr: &Tr<'_>,
    need: &NeedQuery,
    selected: &str,
) -> Result<Vec<RankedLine>, AppError> {
    let ranked = state.app.match_providers(p, need, 20).await?;
    let directory = directory(state, p).await?;
    Ok(ranked
        .into_iter()
        .map(|r| {
            let offer =
                directory.iter().find(|v| v.provider.id == r.provider_id).and_then(|v| v.provider.offer(need.service));
            let free = match offer {
                Some(o) => capacity_text(tr, need.service, o.capacity, o.occupied),
                None => r.free_places.map(|f| f.to_string()).unwrap_or_else(|| tr.t("support-capacity-unlimited")),
            };
            RankedLine {
                selected: r.provider_id == selected,
                id: r.provider_id,
                name: r.name,
                score: r.score,
                free,
                factors: factor_lines(tr, &r.factors),
                refer_href: String::new(),
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "assist_match.html")]
struct MatchPage<'a> {
    ctx: PageCtx<'a>,
    services: Vec<Choice>,
    sexes: Vec<Choice>,
    child: bool,
    with_children: bool,
    languages: String,
    region: String,
    prefer_specialised: bool,
    case: String,
    searched: bool,
    results: Vec<RankedLine>,
    check: Check,
}

async fn match_page(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<NeedParams>,
) -> PageResult {
    state.app.require(&p, Permission::ReadProviders).await?;
    let tr = tr_of(&state, &p, &headers);
    let case = if safe_id(q.case.trim()) { q.case.trim().to_owned() } else { String::new() };
    let searched = !q.service.trim().is_empty();
    let mut results = Vec::new();
    let mut check = Check::none();
    if searched {
        match q.query() {
            Ok(need) => match ranked(&state, &p, &tr, &need, "").await {
                Ok(lines) => results = lines,
                Err(e) => check = problem(&tr, e, without_index)?,
            },
            Err(e) => check = check_of(&tr, &without_index(&e.field), tr.problem(&e)),
        }
    }
    if !case.is_empty() {
        for r in &mut results {
            r.refer_href =
                format!("/cases/{case}/referrals/new?kind=service&{}&provider_id={}", q.query_string(), segment(&r.id));
        }
    }
    let ctx = PageCtx::new(&state, Some(&p), &headers, "support-match-title", "/providers");
    let status = check.status();
    let page = MatchPage {
        services: choices(&tr, "service", ServiceType::ALL, &[q.service.trim()]),
        sexes: coded_choices::<Sex>(&tr, "sex", &[q.sex.trim()]),
        child: is_on(&q.child),
        with_children: is_on(&q.with_children),
        languages: q.languages.clone(),
        region: q.region.clone(),
        prefer_specialised: is_on(&q.prefer_specialised),
        case,
        searched,
        results,
        check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}
