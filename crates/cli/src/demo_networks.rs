//! Demonstration data for the networks and platforms (docs/monitoring.md, "Networks"). At the EU
//! hub the EU Anti-Trafficking Coordinator records the EU Network of National Rapporteurs or
//! Equivalent Mechanisms (every EU Member State a member), the EU Civil Society Platform and the
//! European Business Coalition, each with two meetings (agenda, minutes, actions arising, one of
//! them overdue) and a synthetic contact person; in each country the rapporteur records its
//! national coordination mechanism with a meeting. Names, e-mail addresses, minutes and members'
//! organisations are synthetic (`example.org`, "(synthetic)").

use anyhow::{Context, Result};
use haven_app::{App, Principal};
use haven_domain::Jurisdiction;
use haven_domain::case::CalendarDate;
use haven_domain::networks::{ArisingInput, ArisingStatusInput, ContactInput, MeetingInput, NetworkInput};
use haven_domain::org::iso_country_codes;

/// The EU Member States, by their ISO codes.
fn member_states() -> Vec<&'static str> {
    iso_country_codes()
        .filter(|c| haven_domain::CountryCode::parse("c", c).is_ok_and(|code| code.is_eu_member()))
        .collect()
}

fn day(today: CalendarDate, offset: i64) -> String {
    today.add_days(offset).unwrap_or(today).to_string()
}

/// Records one meeting `days_ago` with two actions arising: one due before today and left open
/// (overdue), one done; returns the meeting's id.
async fn meeting(
    app: &App,
    who: &Principal,
    network_id: &str,
    today: CalendarDate,
    days_ago: i64,
    (title, place, agenda, minutes): (&str, &str, &str, &str),
) -> Result<String> {
    let input = MeetingInput {
        held_on: day(today, -days_ago),
        title: title.into(),
        place: place.into(),
        agenda: agenda.into(),
        minutes: minutes.into(),
    };
    let meeting = app.record_meeting(who, network_id, &input).await.context("a synthetic meeting")?;
    for (text, owner, due) in [
        ("Circulate the minutes to the members (synthetic)", "Secretariat", -days_ago + 14),
        ("Send the national contributions for the next progress report (synthetic)", "Members", -days_ago + 45),
    ] {
        let action = ArisingInput { text: text.into(), owner: owner.into(), due_on: day(today, due) };
        app.add_arising_action(who, &meeting.id, &action).await.context("a synthetic action arising")?;
    }
    let done = ArisingStatusInput { number: "1".into(), status: "done".into() };
    app.set_arising_status(who, &meeting.id, &done).await.context("a synthetic action's status")?;
    Ok(meeting.id)
}

/// Seeds the networks of `who`'s jurisdiction; returns how many networks were recorded.
pub async fn seed(app: &App, who: &Principal, today: CalendarDate) -> Result<usize> {
    let networks: Vec<(&str, String, String)> = match who.actor.jurisdiction {
        Jurisdiction::EuropeanUnion => {
            let rapporteurs: Vec<String> =
                member_states().iter().map(|c| format!("{c}: National rapporteur or equivalent mechanism")).collect();
            vec![
                (
                    "rapporteurs_network",
                    "EU Network of National Rapporteurs or Equivalent Mechanisms".to_owned(),
                    rapporteurs.join("\n"),
                ),
                (
                    "civil_society_platform",
                    "EU Civil Society Platform against trafficking in human beings".to_owned(),
                    member_states().iter().map(|c| format!("{c}: Anti-trafficking NGO (synthetic)")).collect::<Vec<_>>().join("\n"),
                ),
                (
                    "business_coalition",
                    "European Business Coalition against trafficking in human beings".to_owned(),
                    "Retail company (synthetic)\nAgricultural producers' association (synthetic)\nRecruitment agency (synthetic)"
                        .to_owned(),
                ),
            ]
        }
        Jurisdiction::Country(c) => vec![(
            "national_mechanism",
            format!("{c} inter-institutional working group on trafficking (synthetic)"),
            format!(
                "{c}: Ministry of the Interior\n{c}: State Police\n{c}: Ministry of Welfare\n{c}: Support NGO (synthetic)"
            ),
        )],
    };
    let mut recorded = 0;
    for (kind, name, members) in networks {
        let input = NetworkInput { kind: kind.into(), name, members };
        let network = app.record_network(who, &input).await.context("a synthetic network")?;
        meeting(
            app,
            who,
            &network.id,
            today,
            120,
            (
                "Regular meeting (synthetic)",
                "Brussels",
                "Opening\nNational and member reports\nThe next progress report\nAny other business",
                "The members reported on recent trends (synthetic minutes).\nThe secretariat will circulate a template for the contributions.",
            ),
        )
        .await?;
        meeting(
            app,
            who,
            &network.id,
            today,
            20,
            (
                "Thematic meeting on online recruitment (synthetic)",
                "Online",
                "Opening\nOnline recruitment of victims\nConclusions",
                "Presentations by two members; conclusions agreed (synthetic minutes).",
            ),
        )
        .await?;
        let contact = ContactInput {
            name: "Alex Example (synthetic)".into(),
            email: format!("contact.{}@example.org", network.id.get(..8).unwrap_or("network")),
            organisation: "Secretariat (synthetic)".into(),
            purpose: "Invitations and minutes of the network's meetings".into(),
            retain_until: day(today, 365),
        };
        app.add_network_contact(who, &network.id, &contact).await.context("a synthetic contact")?;
        recorded += 1;
    }
    tracing::info!(networks = recorded, "synthetic networks seeded");
    Ok(recorded)
}
