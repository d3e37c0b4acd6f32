//! Demonstration data for strategies, action plans and GRETA (docs/monitoring.md): Latvia's
//! rapporteur records the national guidelines for the prevention of trafficking 2014–2020
//! (approved in January 2014) with a handful of synthetic actions, some completed, some overdue,
//! and Latvia's GRETA rounds with a few recommendations. The recommendations' wording is
//! paraphrased and each is marked as demonstration data; the dates of the rounds are
//! illustrative; some recommendations are left without follow-up.

use anyhow::{Context, Result};
use haven_app::{App, Principal};
use haven_domain::case::CalendarDate;
use haven_domain::greta::{FollowUpInput, RecommendationInput, RoundInput};
use haven_domain::strategy::{ActionInput, ProgressInput, StrategyInput};

const ACTIONS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "1.1",
        "P1",
        "Information campaign for young people travelling abroad for work (synthetic)",
        "Ministry of the Interior",
        "2015-12-31",
    ),
    (
        "1.2",
        "P1",
        "Teaching materials on trafficking for secondary schools (synthetic)",
        "Ministry of Education and Science",
        "2016-06-30",
    ),
    (
        "2.1",
        "P2",
        "Yearly training of State Police and State Border Guard staff on identifying victims (synthetic)",
        "State Police",
        "",
    ),
    (
        "2.2",
        "P2",
        "Review of the criteria for recognising a person as a victim of trafficking (synthetic)",
        "Ministry of Welfare",
        "2019-12-31",
    ),
    (
        "3.1",
        "P3",
        "Guidance for prosecutors on financial investigations in trafficking cases (synthetic)",
        "Prosecution Office",
        "2020-12-31",
    ),
];

const RECOMMENDATIONS: &[(usize, &str, &str, &str)] = &[
    (
        0,
        "12",
        "GRETA urges the Latvian authorities to improve the identification of victims of trafficking for labour exploitation (demonstration paraphrase).",
        "",
    ),
    (
        0,
        "27",
        "GRETA considers that the authorities should ensure that assistance to victims is not made conditional on their cooperation (demonstration paraphrase).",
        "",
    ),
    (
        1,
        "8",
        "GRETA urges the authorities to ensure that victims have effective access to compensation (demonstration paraphrase).",
        "",
    ),
    (
        1,
        "15",
        "GRETA invites the authorities to continue awareness raising among groups at risk (demonstration paraphrase).",
        "",
    ),
    (
        2,
        "21",
        "The authorities should make full use of the possibility of not punishing victims for offences they were compelled to commit (demonstration paraphrase).",
        "urges",
    ),
    (
        2,
        "33",
        "GRETA considers that the Latvian authorities should strengthen the training of judges on trafficking (demonstration paraphrase).",
        "",
    ),
];

/// Seeds Latvia's plan and GRETA rounds as `rapporteur` (Latvia's rapporteur).
pub async fn seed(app: &App, rapporteur: &Principal, today: CalendarDate) -> Result<()> {
    let plan = app
        .record_strategy(
            rapporteur,
            &StrategyInput {
                title: "Guidelines for the prevention of trafficking in human beings 2014-2020".into(),
                reference: "Approved by the Cabinet in January 2014 (demonstration record)".into(),
                starts_on: "2014-01-01".into(),
                ends_on: "2020-12-31".into(),
                priorities:
                    "P1: Prevention and awareness\nP2: Identification of and assistance to victims\nP3: Prosecution"
                        .into(),
            },
        )
        .await
        .context("the synthetic national plan")?;
    for (number, priority, text, responsible, target) in ACTIONS {
        let action = ActionInput {
            number: (*number).into(),
            priority: (*priority).into(),
            text: (*text).into(),
            responsible: (*responsible).into(),
            target_on: (*target).into(),
        };
        app.add_strategy_action(rapporteur, &plan.id, &action).await.context("a synthetic action")?;
    }
    let progress = |status: &str, note: &str, kind: &str, reference: &str, label: &str| ProgressInput {
        status: status.into(),
        note: note.into(),
        evidence_kind: kind.into(),
        evidence_reference: reference.into(),
        evidence_label: label.into(),
    };
    for (number, input) in [
        (
            "1.1",
            progress(
                "completed",
                "Campaign run in 2015 (synthetic).",
                "document",
                "https://example.org/demo/campaign-2015.pdf",
                "Campaign report (synthetic)",
            ),
        ),
        (
            "2.1",
            progress(
                "ongoing",
                "Held every year (synthetic).",
                "training",
                "demo-training",
                "Trainings recorded on this platform",
            ),
        ),
        ("2.2", progress("ongoing", "", "", "", "")),
    ] {
        app.record_action_progress(rapporteur, &plan.id, number, &input).await.context("synthetic progress")?;
    }

    let round = |n: &str, questionnaire: &str, from: &str, until: &str, report: &str| RoundInput {
        round: n.into(),
        questionnaire_sent_on: questionnaire.into(),
        visit_from: from.into(),
        visit_until: until.into(),
        report_published_on: report.into(),
        report_link: String::new(),
    };
    let mut rounds = Vec::new();
    for input in [
        round("1", "2011-03-01", "2012-02-20", "2012-02-24", "2013-01-31"),
        round("2", "2015-06-01", "2016-05-09", "2016-05-13", "2017-06-27"),
        round("3", "2019-11-15", "2022-01-17", "2022-01-21", "2023-02-14"),
    ] {
        rounds.push(app.record_greta_round(rapporteur, &input).await.context("a synthetic GRETA round")?);
    }
    let mut recommendations = Vec::new();
    for (round, paragraph, wording, strength) in RECOMMENDATIONS {
        let input = RecommendationInput {
            paragraph: (*paragraph).into(),
            wording: (*wording).into(),
            strength: (*strength).into(),
            demo: true,
        };
        let round = rounds.get(*round).context("no such round")?;
        recommendations.push(
            app.add_greta_recommendation(rapporteur, &round.id, &input).await.context("a synthetic recommendation")?,
        );
    }
    // Follow-up of the first three; the others are left without, as a dashboard shows them.
    let mut follow_ups = 0;
    for (i, (status, text)) in [
        ("implemented", "Labour inspectors trained and a checklist introduced (synthetic)."),
        ("implemented", "The law states that assistance does not depend on cooperation (synthetic)."),
        ("in_progress", "A state compensation scheme for victims is being drafted (synthetic)."),
    ]
    .into_iter()
    .enumerate()
    {
        let Some(recommendation) = recommendations.get(i) else { continue };
        let on = today.add_days(-30 * (3 - i as i64)).unwrap_or(today);
        let input = FollowUpInput { on: on.to_string(), text: text.into(), status: status.into() };
        app.record_greta_follow_up(rapporteur, &recommendation.id, &input).await.context("a synthetic follow-up")?;
        follow_ups += 1;
    }
    tracing::info!(follow_ups, "synthetic action plan and GRETA rounds seeded");
    Ok(())
}
