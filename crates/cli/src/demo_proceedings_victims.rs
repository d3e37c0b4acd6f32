//! Synthetic victims in the demonstration's proceedings: protection measures recorded for the
//! victims of the Latvian investigations, some left out so that the missing ones show flagged
//! (Dir 2011/36 Arts 12(4), 15(3)); a child victim registered by the police and linked, whose
//! limitation from majority shows (Art 9(2)); information given to a victim after the
//! indictment, with the information still due after the judgment; and trainings given in Latvia
//! and Estonia (Art 18(3)). Everything goes through the use cases, as a user would enter it.

use anyhow::{Context, Result};
use haven_app::{App, Principal};
use haven_domain::case::CalendarDate;
use haven_domain::ident::record::Registration;
use haven_domain::proceedings::information::InformationInput;
use haven_domain::proceedings::protection::ProtectionInput;
use haven_domain::proceedings::training::{AttendanceInput, TrainingInput};

fn measure(case_id: &str, measure: &str, status: &str, on: CalendarDate, reasons: &str) -> ProtectionInput {
    ProtectionInput {
        case_id: case_id.into(),
        measure: measure.into(),
        status: status.into(),
        on: on.to_string(),
        reasons: reasons.into(),
    }
}

fn training(title: &str, organiser: &str, starts_on: CalendarDate, hours: &str, who: &[(&str, &str)]) -> TrainingInput {
    TrainingInput {
        title: title.into(),
        organiser: organiser.into(),
        starts_on: starts_on.to_string(),
        ends_on: String::new(),
        hours: hours.into(),
        attendance: who
            .iter()
            .map(|(a, n)| AttendanceInput { audience: (*a).into(), attendees: (*n).into() })
            .collect(),
    }
}

/// A girl of fifteen, registered by the police officer (a synthetic person).
fn child(today: CalendarDate) -> Result<Registration> {
    let born = today.add_days(-(15 * 365 + 120)).context("a date out of range")?;
    Ok(serde_json::from_value(serde_json::json!({
        "person": {
            "given_names": "Synthetic",
            "family_names": "Child victim",
            "date_of_birth": born.to_string(),
            "sex": "female",
            "citizenships": ["LV"],
        }
    }))?)
}

/// Loads the victims' part of the proceedings and the trainings of the instance's country (its
/// police officer given, the other `None`); gives (measures, pieces of information, trainings).
pub async fn seed(
    app: &App,
    lv_police: Option<&Principal>,
    ee_police: Option<&Principal>,
    today: CalendarDate,
) -> Result<(usize, usize, usize)> {
    let (mut measures, mut information, mut trainings) = (0, 0, 0);
    let day = |days_ago: i64| today.add_days(-days_ago).context("a date out of range");
    if let Some(ee_police) = ee_police {
        let input = training(
            "Financial investigations in trafficking cases",
            "Police and Border Guard Board",
            day(60)?,
            "12",
            &[("police", "22"), ("prosecutors", "5")],
        );
        app.record_training(ee_police, &input).await.context("a synthetic training")?;
        trainings += 1;
    }
    let Some(lv_police) = lv_police else { return Ok((measures, information, trainings)) };
    let mut investigations = app.investigations(lv_police).await?;
    // Oldest first: the first Latvian investigation went to court.
    investigations.sort_by_key(|i| i.opened_on);
    if let Some(first) = investigations.first() {
        let view = app.victims_in_proceedings(lv_police, &first.id).await?;
        if let Some(victim) = view.victims.first() {
            let case = victim.case_id.clone();
            for (m, status, reasons) in [
                ("interview_without_delay", "applied", ""),
                ("few_interviews", "applied", ""),
                ("no_visual_contact", "applied", ""),
                (
                    "hearing_without_public",
                    "not_applicable",
                    "The victim asked to be heard in open court; no risk of intimidation was found.",
                ),
                ("recorded_interviews", "refused_by_victim", "The victim did not want to be filmed."),
            ] {
                app.record_protection_measure(lv_police, &first.id, &measure(&case, m, status, today, reasons))
                    .await
                    .context("a synthetic protection measure")?;
                measures += 1;
            }
            let told = InformationInput {
                case_id: case,
                kind: "trial_time_and_place".into(),
                channel: "through_representative".into(),
                language: "uk".into(),
                given_by: "State Police, investigator on duty (synthetic)".into(),
                given_on: today.to_string(),
                note: "Synthetic demonstration data: the hearing's date and room given to the victim's lawyer.".into(),
            };
            app.record_information_given(lv_police, &first.id, &told).await.context("synthetic information")?;
            information += 1;
        }
    }
    // A child victim in the second Latvian investigation: the Art 15 measures, one recorded.
    if let Some(second) = investigations.get(1) {
        let case = app.create_registration(lv_police, child(today)?).await.context("a synthetic child victim")?.id;
        app.link_victim(lv_police, &second.id, &case).await.context("linking a synthetic child victim")?;
        app.record_protection_measure(lv_police, &second.id, &measure(&case, "representative", "applied", today, ""))
            .await
            .context("a synthetic protection measure")?;
        measures += 1;
    }
    for (who, input) in [
        (
            lv_police,
            training(
                "Identifying victims of labour exploitation",
                "State Police College",
                day(300)?,
                "16",
                &[("police", "28"), ("labour_inspectors", "9"), ("border_guards", "6")],
            ),
        ),
        (
            lv_police,
            training(
                "Interviewing child victims without harm",
                "Prosecutor General's Office",
                day(120)?,
                "8",
                &[("prosecutors", "14"), ("judges", "7"), ("police", "11")],
            ),
        ),
    ] {
        app.record_training(who, &input).await.context("a synthetic training")?;
        trainings += 1;
    }
    Ok((measures, information, trainings))
}
