//! Training records (`/trainings`, Dir 2011/36 Art 18(3), Art 9(3)): the trainings given in the
//! user's country against trafficking, their summary per year and audience (sessions, hours,
//! attendees) for the national rapporteur's reports, and the form to record one (posted to
//! `/trainings`). Each handler calls one use case of `haven_app::proceedings_victims`; the EU
//! level keeps no training records, and is told so, naming the jurisdiction.

use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{PageCtx, can, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use haven_app::proceedings_victims::TrainingsView;
use haven_app::{AppError, Principal};
use haven_domain::proceedings::training::{AttendanceInput, Audience, TrainingInput};
use haven_domain::{Coded, Permission};
use serde::de::IgnoredAny;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/trainings", get(page).post(record))
}

/// One row of the summary, as shown.
struct SummaryLine {
    year: u16,
    audience: String,
    sessions: u32,
    hours: u64,
    attendees: u64,
    attendee_hours: u64,
}

/// One training, as shown.
struct TrainingLine {
    dates: String,
    title: String,
    organiser: String,
    hours: u32,
    attendance: String,
}

/// An input of the form.
struct Field {
    name: String,
    label: String,
    kind: &'static str,
    value: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "trainings.html")]
struct TrainingsPage<'a> {
    ctx: PageCtx<'a>,
    /// Said instead of the records when the user's jurisdiction keeps none.
    refusal: Option<String>,
    summary: Vec<SummaryLine>,
    trainings: Vec<TrainingLine>,
    may_record: bool,
    fields: Vec<Field>,
    audiences: Vec<Field>,
    check: FormProblem,
}

/// The name of the attendees input of an audience.
fn attendees_input(audience: Audience) -> String {
    format!("attendees.{}", audience.code())
}

/// The form as the use case's input: the audiences with attendees typed, in the form's order.
fn input(pairs: &FormPairs) -> (TrainingInput, Vec<Audience>) {
    let one = |name: &str| pairs.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let mut typed = Vec::new();
    let mut attendance = Vec::new();
    for audience in Audience::ALL {
        let attendees = one(&attendees_input(*audience));
        if !attendees.trim().is_empty() {
            typed.push(*audience);
            attendance.push(AttendanceInput { audience: audience.code().to_owned(), attendees });
        }
    }
    let input = TrainingInput {
        title: one("title"),
        organiser: one("organiser"),
        starts_on: one("starts_on"),
        ends_on: one("ends_on"),
        hours: one("hours"),
        attendance,
    };
    (input, typed)
}

/// The input a field the use case names belongs to: `attendance[1].attendees` is the second
/// audience typed; `attendance` (none typed) the first audience's.
fn place(field: &str, typed: &[Audience]) -> String {
    if let Some(rest) = field.strip_prefix("attendance[") {
        let audience = rest
            .split_once(']')
            .and_then(|(n, _)| n.parse::<usize>().ok())
            .and_then(|n| typed.get(n).copied())
            .unwrap_or(Audience::Police);
        return attendees_input(audience);
    }
    if field == "attendance" {
        return attendees_input(Audience::Police);
    }
    field.to_owned()
}

fn label(tr: &crate::i18n::Tr<'_>, at: &str) -> String {
    match at.strip_prefix("attendees.") {
        Some(code) => tr.t(&format!("training-audience-{code}")),
        None => tr.t(&format!("trainings-field-{at}")),
    }
}

async fn show(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    typed: &FormPairs,
    check: FormProblem,
) -> PageResult {
    let ctx = PageCtx::new(state, Some(p), headers, "trainings-title", "/trainings");
    let tr = ctx.tr;
    let view = match state.app.trainings(p).await {
        Ok(view) => view,
        Err(AppError::Refused(r)) => {
            let said = tr.t1(r.message_id, r.arg.0, &r.arg.1);
            let page = TrainingsPage {
                ctx,
                refusal: Some(said),
                summary: Vec::new(),
                trainings: Vec::new(),
                may_record: false,
                fields: Vec::new(),
                audiences: Vec::new(),
                check: FormProblem::none(),
            };
            return Ok(with_status(render(&page), StatusCode::CONFLICT));
        }
        Err(e) => return Err(PageError::from(e)),
    };
    let TrainingsView { trainings, summary } = view;
    let summary = summary
        .into_iter()
        .map(|r| SummaryLine {
            year: r.year,
            audience: tr.t(&format!("training-audience-{}", r.audience.code())),
            sessions: r.trainings,
            hours: r.hours,
            attendees: r.attendees,
            attendee_hours: r.attendee_hours,
        })
        .collect();
    let mut trainings: Vec<TrainingLine> = trainings
        .into_iter()
        .map(|t| TrainingLine {
            dates: if t.ends_on == t.starts_on {
                t.starts_on.to_string()
            } else {
                format!("{} – {}", t.starts_on, t.ends_on)
            },
            title: t.title,
            organiser: t.organiser,
            hours: t.hours,
            attendance: t
                .attendance
                .iter()
                .map(|a| format!("{}: {}", tr.t(&format!("training-audience-{}", a.audience.code())), a.attendees))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    trainings.reverse();
    let value = |name: &str| typed.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let field = |name: &str, kind: &'static str, default: String| {
        let typed = value(name);
        Field {
            name: name.to_owned(),
            label: label(&tr, name),
            kind,
            value: if typed.is_empty() && !check.is_some() { default } else { typed },
            error: check.message(name).map(str::to_owned),
        }
    };
    let fields = vec![
        field("title", "text", String::new()),
        field("organiser", "text", String::new()),
        field("starts_on", "date", state.app.today().to_string()),
        field("ends_on", "date", String::new()),
        field("hours", "number", String::new()),
    ];
    let audiences = Audience::ALL.iter().map(|a| field(&attendees_input(*a), "number", String::new())).collect();
    let status = check.status();
    let page = TrainingsPage {
        ctx,
        refusal: None,
        summary,
        trainings,
        may_record: can(p, Permission::RecordTrainings),
        fields,
        audiences,
        check,
    };
    Ok(with_status(render(&page), status))
}

async fn page(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    show(&state, &p, &headers, &FormPairs(Vec::new()), FormProblem::none()).await
}

async fn record(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: PageForm<IgnoredAny>,
) -> PageResult {
    let (training, typed) = input(&form.pairs);
    match state.app.record_training(&p, &training).await {
        Ok(_) => Ok(see_other("/trainings")),
        Err(AppError::Refused(_)) => show(&state, &p, &headers, &FormPairs(Vec::new()), FormProblem::none()).await,
        Err(e) => {
            let tr = state.i18n.tr(crate::views::language_of(Some(&p), &headers));
            let check =
                FormProblem::of(&tr, e, |f| place(f, &typed), |tr, at, _| label(tr, at)).map_err(PageError::from)?;
            show(&state, &p, &headers, &form.pairs, check).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_of_an_audience_is_shown_at_that_audiences_input() {
        let typed = [Audience::Prosecutors, Audience::LabourInspectors];
        assert_eq!(place("attendance[1].attendees", &typed), "attendees.labour_inspectors");
        assert_eq!(place("attendance[0].audience", &typed), "attendees.prosecutors");
        assert_eq!(place("attendance", &[]), "attendees.police");
        assert_eq!(place("hours", &typed), "hours");
    }
}
