//! Demonstration data for prevention and demand reduction (docs/monitoring.md, "Prevention"). At
//! the EU hub the EU Anti-Trafficking Coordinator records an EU-wide campaign in the EU's official
//! languages, a study on demand, a research item and one funded project in every EU Member State;
//! in each country the rapporteur records a campaign, a demand-reduction measure, a funded project
//! and a research item drawing on the country's statistics releases held there. Every record is
//! synthetic and says so.

use anyhow::{Context, Result};
use haven_app::{App, Principal};
use haven_domain::Jurisdiction;
use haven_domain::case::CalendarDate;
use haven_domain::org::iso_country_codes;
use haven_domain::prevention::{PreventionInput, PreventionKind};

/// The EU's official languages (ISO 639-1).
const EU_LANGUAGES: &str =
    "bg, cs, da, de, el, en, es, et, fi, fr, ga, hr, hu, it, lt, lv, mt, nl, pl, pt, ro, sk, sl, sv";

fn base(title: String, by: &str, starts_on: String, ends_on: String, summary: &str) -> PreventionInput {
    PreventionInput { title, by: by.into(), starts_on, ends_on, summary: summary.into(), ..PreventionInput::default() }
}

/// Seeds the prevention records of `who`'s jurisdiction; returns how many were recorded.
pub async fn seed(app: &App, who: &Principal, today: CalendarDate) -> Result<usize> {
    let year = today.year;
    let y = |offset: i32, rest: &str| format!("{}-{rest}", i32::from(year) + offset);
    let mut records: Vec<(PreventionKind, PreventionInput)> = Vec::new();
    let (scope, languages) = match who.actor.jurisdiction {
        Jurisdiction::EuropeanUnion => ("EU".to_owned(), EU_LANGUAGES.to_owned()),
        Jurisdiction::Country(c) => {
            let own = match c.as_str() {
                "LV" => "lv, ru, en",
                "EE" => "et, ru, en",
                "LT" => "lt, ru, en",
                _ => "en",
            };
            (c.to_string(), own.to_owned())
        }
    };
    records.push((
        PreventionKind::Campaign,
        PreventionInput {
            target_groups: "young_people, migrants, workers".into(),
            channels: "social_media, schools, helpline".into(),
            languages,
            reach: "185000".into(),
            evaluation: "Survey before and after: awareness of false job offers rose (synthetic).".into(),
            ..base(
                format!("{scope}: Know your rights before you go (synthetic)"),
                "Anti-trafficking coordinator's office",
                y(-1, "03-01"),
                y(-1, "06-30"),
                "Warnings about false job offers abroad and the helpline's number (synthetic).",
            )
        },
    ));
    records.push((
        PreventionKind::DemandReduction,
        PreventionInput {
            demand_kind: "study".into(),
            sector: "Agriculture and food processing".into(),
            ..base(
                format!("{scope}: Demand for cheap seasonal labour (synthetic study)"),
                "University research group (synthetic)",
                y(-2, "09-01"),
                y(-1, "08-31"),
                "How buyers' prices and subcontracting chains foster labour exploitation (synthetic).",
            )
        },
    ));
    // The research draws on the statistics releases of this jurisdiction held here, if any.
    let releases = app.store().releases_in(&scope, None).await.context("the releases held")?;
    records.push((
        PreventionKind::Research,
        PreventionInput {
            topic: "online_recruitment".into(),
            releases: releases.iter().take(3).map(|r| r.id.clone()).collect::<Vec<_>>().join(", "),
            ..base(
                format!("{scope}: Recruitment of victims through social media (synthetic)"),
                "National rapporteur's office",
                y(-1, "01-15"),
                String::new(),
                "Job advertisements on social media in the identified cases (synthetic).",
            )
        },
    ));
    let projects: Vec<String> = match who.actor.jurisdiction {
        Jurisdiction::EuropeanUnion => iso_country_codes()
            .filter(|c| haven_domain::CountryCode::parse("c", c).is_ok_and(|code| code.is_eu_member()))
            .map(str::to_owned)
            .collect(),
        Jurisdiction::Country(_) => vec![scope.clone()],
    };
    for (i, country) in projects.iter().enumerate() {
        let amount = 150_000 + 10_000 * (i as i64 % 7);
        records.push((
            PreventionKind::FundedProject,
            PreventionInput {
                funder: "Internal Security Fund (synthetic)".into(),
                amount: amount.to_string(),
                currency: "EUR".into(),
                outputs: "Trainings for labour inspectors; a guide for employers (synthetic).".into(),
                outcome: if i % 2 == 0 {
                    "More referrals from labour inspectors (synthetic).".into()
                } else {
                    String::new()
                },
                ..base(
                    format!("{country}: Identifying labour exploitation early (synthetic project)"),
                    "Ministry of the Interior with an NGO (synthetic)",
                    y(-2, "01-01"),
                    y(0, "06-30"),
                    "A two-year project reviewed by the funder (synthetic).",
                )
            },
        ));
    }
    let mut recorded = 0;
    for (kind, input) in &records {
        app.record_prevention(who, *kind, input).await.context("a synthetic prevention record")?;
        recorded += 1;
    }
    tracing::info!(records = recorded, "synthetic prevention records seeded");
    Ok(recorded)
}
