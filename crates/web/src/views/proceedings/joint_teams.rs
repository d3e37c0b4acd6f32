//! The joint investigation teams of an investigation (`/investigations/{id}/joint-teams`): the
//! teams it takes part in with their member countries (FD 2002/465/JHA Art 1(1)), setting up a
//! team with this investigation as the country's, joining a team another country set up (by
//! the team's id from the agreement), and recording how a team ended. Each write calls one use
//! case of `haven_app::proceedings_money` and comes back here; a refused one shows this page
//! again with what was typed and the problem at its input (422).

use super::money::{hinted, page_form};
use super::{Builder, FormView, Typed, one, options, ticked};
use crate::AppState;
use crate::extract::SignedIn;
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::PageResult;
use crate::views::{PageCtx, render, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use haven_app::proceedings_money::TeamOutcomeInput;
use haven_app::{AppError, Principal};
use haven_domain::Coded;
use haven_domain::proceedings::jit::{JointTeamInput, TeamMemberInput, TeamOutcome};
use serde::de::IgnoredAny;

/// Rows of members offered by the form to set up a team.
const MEMBER_ROWS: usize = 4;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/investigations/{id}/joint-teams", get(super::show::<JointTeams>).post(open))
        .route("/investigations/{id}/joint-team-links", post(link))
        .route("/investigations/{id}/joint-team-outcomes", post(conclude))
}

struct TeamLine {
    anchor: String,
    title: String,
    facts: Vec<(String, String)>,
    /// The investigations linked: each country, with the reference where the reader reads it.
    parties: Vec<String>,
    form: Option<FormView>,
}

#[derive(Template)]
#[template(path = "proceedings_joint_teams.html")]
struct TeamsPage<'a> {
    ctx: PageCtx<'a>,
    back: String,
    reference: String,
    teams: Vec<TeamLine>,
    forms: Vec<FormView>,
    check: FormProblem,
}

async fn page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    typed: &Typed,
    check: FormProblem,
) -> PageResult {
    let view = state.app.investigation(p, id).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "pp-teams-title", "/investigations");
    let tr = ctx.tr;
    let today = state.app.today().to_string();
    let base = format!("/investigations/{id}");
    let yes_no = |v: bool| tr.t(if v { "proc-yes" } else { "proc-no" });

    let mut teams = Vec::new();
    for summary in state.app.joint_teams(p).await? {
        let team_view = state.app.joint_team(p, &summary.id).await?;
        if !team_view.investigations.iter().any(|i| i.investigation_id.as_deref() == Some(id)) {
            continue;
        }
        let team = &team_view.team;
        let members: Vec<String> = team.members.iter().map(|m| format!("{} ({})", m.agency, m.country)).collect();
        let mut facts = vec![
            (tr.t("pp-field-team_id"), team.id.clone()),
            (tr.t("pp-field-signed_on"), team.signed_on.to_string()),
            (tr.t("pp-field-starts_on"), team.starts_on.to_string()),
            (tr.t("pp-field-ends_on"), team.ends_on.to_string()),
            (tr.t("pp-members"), members.join("; ")),
            (tr.t("pp-field-eurojust"), yes_no(team.eurojust)),
            (tr.t("pp-field-europol"), yes_no(team.europol)),
            (tr.t("pp-field-purpose"), team.purpose.as_str().to_owned()),
        ];
        if let Some(outcome) = team.outcome {
            facts.push((tr.t("pp-outcome-outcome"), tr.t(&format!("team-outcome-{}", outcome.code()))));
        }
        if let Some(on) = team.ended_on {
            facts.push((tr.t("pp-field-ended_on"), on.to_string()));
        }
        if let Some(e) = &team.evaluation {
            facts.push((tr.t("pp-field-evaluation"), e.as_str().to_owned()));
        }
        let parties = team_view
            .investigations
            .iter()
            .map(|i| match &i.reference {
                Some(r) => format!("{}: {r}", i.country),
                None => i.country.clone(),
            })
            .collect();
        let form = (team_view.write && team.outcome.is_none()).then(|| {
            let b = Builder::new(tr, format!("outcome-{}", team.id), typed, &check);
            let mut f = page_form(
                &b,
                format!("{base}/joint-team-outcomes"),
                "pp-conclude-team",
                vec![
                    b.select("outcome", options::<TeamOutcome>(&tr, "team-outcome"), true, ""),
                    b.date("ended_on", &today),
                    b.textarea("evaluation"),
                ],
            );
            f.hidden.push(("team_id".into(), team.id.clone()));
            f.hidden.push(("version".into(), team_view.version.to_string()));
            f
        });
        teams.push(TeamLine {
            anchor: format!("team-{}", team.id),
            title: team.agreement_reference.clone(),
            facts,
            parties,
            form,
        });
    }

    let mut forms = Vec::new();
    if view.actions.write {
        let b = Builder::new(tr, "team", typed, &check);
        let mut fields = vec![
            b.text("agreement_reference", ""),
            b.date("signed_on", &today),
            b.date("starts_on", &today),
            b.date("ends_on", ""),
        ];
        for i in 0..MEMBER_ROWS {
            let country = if i == 0 { view.investigation.country.to_string() } else { String::new() };
            fields.push(hinted(b.text(&format!("member_country_{i}"), &country), &tr, "pp-country-hint"));
            fields.push(b.text(&format!("member_agency_{i}"), ""));
        }
        fields.push(b.check("eurojust"));
        fields.push(b.check("europol"));
        fields.push(b.textarea("purpose"));
        forms.push(page_form(&b, format!("{base}/joint-teams"), "pp-open-team", fields));
        let b = Builder::new(tr, "teamlink", typed, &check);
        forms.push(page_form(
            &b,
            format!("{base}/joint-team-links"),
            "pp-link-team",
            vec![hinted(b.text("team_id", ""), &tr, "pp-team-id-hint")],
        ));
    }

    let status = check.status();
    let page = TeamsPage { back: base, reference: view.investigation.reference.clone(), teams, forms, check, ctx };
    Ok(with_status(render(&page), status))
}

/// This page, for [`super::show`] and [`super::save`].
pub(super) struct JointTeams;

impl super::FormPage for JointTeams {
    const PATH: &'static str = "/joint-teams";

    async fn draw(
        state: &AppState,
        p: &Principal,
        headers: &HeaderMap,
        id: &str,
        typed: &Typed,
        check: FormProblem,
    ) -> PageResult {
        page(state, p, headers, id, typed, check).await
    }
}

type Form = PageForm<IgnoredAny>;

async fn open(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    // The rows left blank are no members.
    let members = (0..MEMBER_ROWS)
        .map(|i| TeamMemberInput {
            country: one(f, &format!("member_country_{i}")),
            agency: one(f, &format!("member_agency_{i}")),
        })
        .filter(|m| !(m.country.trim().is_empty() && m.agency.trim().is_empty()))
        .collect();
    let input = JointTeamInput {
        agreement_reference: one(f, "agreement_reference"),
        signed_on: one(f, "signed_on"),
        starts_on: one(f, "starts_on"),
        ends_on: one(f, "ends_on"),
        members,
        eurojust: ticked(f, "eurojust"),
        europol: ticked(f, "europol"),
        purpose: one(f, "purpose"),
    };
    let result = state.app.open_joint_team(&p, &id, &input).await;
    super::save::<JointTeams, _>(&state, &p, &headers, &id, "team", f, result).await
}

async fn link(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let result = state.app.link_joint_team(&p, one(f, "team_id").trim(), &id).await;
    if let Err(AppError::NotFound) = result {
        // A team the user's investigation may not join is no team to them: the id typed is at
        // fault, once the investigation itself is known to the user.
        state.app.investigation(&p, &id).await?;
        let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
        let check = FormProblem::at(&tr, "teamlink-team_id", tr.t("pp-team-not-found"), |tr, _, _| {
            super::money::page_label(tr, "teamlink", "team_id")
        });
        return page(&state, &p, &headers, &id, &Typed::of("teamlink", f), check).await;
    }
    super::save::<JointTeams, _>(&state, &p, &headers, &id, "teamlink", f, result).await
}

async fn conclude(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let team = one(f, "team_id");
    let input = TeamOutcomeInput {
        outcome: one(f, "outcome"),
        ended_on: one(f, "ended_on"),
        evaluation: one(f, "evaluation"),
        version: one(f, "version").trim().parse().unwrap_or(-1),
    };
    let result = state.app.conclude_joint_team(&p, &team, &input).await;
    super::save::<JointTeams, _>(&state, &p, &headers, &id, &format!("outcome-{team}"), f, result).await
}
