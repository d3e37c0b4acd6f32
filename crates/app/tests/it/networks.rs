//! Networks and platforms, and prevention and demand reduction, through the use cases: who reads
//! and records what (`authorize_monitoring`; a network's contacts, `authorize_network_contacts`),
//! contacts encrypted at rest, hidden past their retention and deleted by the sweep on the clock's
//! day, overdue actions arising, research linked to releases held, every read and write audited.

use crate::common::{Database, NOW, organisation, postgres_app, sqlite_app, user};
use haven_app::{App, AppError, AppSettings, FixedClock, Principal};
use haven_crypto::MasterKey;
use haven_domain::networks::{ArisingInput, ArisingStatusInput, ContactInput, MeetingInput, NetworkInput};
use haven_domain::prevention::{Details, PreventionInput, PreventionKind};
use haven_storage::Store;
use std::sync::Arc;

const DAY: i64 = 86_400;

struct World {
    app: App,
    _db: Database,
    rapporteur: Principal,
    statistician: Principal,
    caseworker: Principal,
    ee_rapporteur: Principal,
    eu_rapporteur: Principal,
    eu_statistician: Principal,
}

async fn world(app: App, db: Database) -> World {
    let lv = organisation(&app, "National Coordinator", "national_rapporteur", "LV").await;
    let ngo = organisation(&app, "Shelter Safe House", "ngo", "LV").await;
    let ee = organisation(&app, "Ministry of Justice", "national_rapporteur", "EE").await;
    let eu = organisation(&app, "EU Anti-Trafficking Coordinator", "eu_anti_trafficking_coordinator", "EU").await;
    let eu_stats = organisation(&app, "EU Statistics Office", "statistics_office", "EU").await;
    World {
        rapporteur: user(&app, "rapporteur", &lv, "rapporteur").await,
        statistician: user(&app, "statistician", &lv, "statistician").await,
        caseworker: user(&app, "caseworker", &ngo, "caseworker").await,
        ee_rapporteur: user(&app, "ee.rapporteur", &ee, "rapporteur").await,
        eu_rapporteur: user(&app, "eu.coordinator", &eu, "rapporteur").await,
        eu_statistician: user(&app, "eu.statistician", &eu_stats, "statistician").await,
        app,
        _db: db,
    }
}

async fn worlds() -> Vec<World> {
    let mut out = Vec::new();
    let (app, db) = sqlite_app().await;
    out.push(world(app, db).await);
    if let Some((app, db)) = postgres_app().await {
        out.push(world(app, db).await);
    }
    out
}

async fn count(app: &App, action: &str) -> i64 {
    app.store().count_unchecked(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await.unwrap()
}

fn field_of<T: std::fmt::Debug>(r: Result<T, AppError>) -> String {
    match r {
        Err(AppError::Invalid(p)) => p.field,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

fn eu_network() -> NetworkInput {
    NetworkInput {
        kind: "rapporteurs_network".into(),
        name: "EU Network of National Rapporteurs or Equivalent Mechanisms".into(),
        members: "LV: Ministry of the Interior\nEE: Ministry of Justice".into(),
    }
}

fn national() -> NetworkInput {
    NetworkInput {
        kind: "national_mechanism".into(),
        name: "Inter-institutional working group".into(),
        members: "LV: State Police\nLV: Ministry of Welfare".into(),
    }
}

fn contact(retain_until: &str) -> ContactInput {
    ContactInput {
        name: "Anna Example".into(),
        email: "anna@example.org".into(),
        organisation: "Ministry of the Interior".into(),
        purpose: "Invitations to the meetings".into(),
        retain_until: retain_until.into(),
    }
}

fn meeting(held_on: &str) -> MeetingInput {
    MeetingInput {
        held_on: held_on.into(),
        title: "Regular meeting".into(),
        place: "Brussels".into(),
        agenda: "Opening\nNational reports".into(),
        minutes: "The members reported.".into(),
    }
}

#[tokio::test]
async fn each_level_records_its_own_networks_and_reads_as_the_monitoring_rules_say() {
    for w in worlds().await {
        let changed = count(&w.app, "network_changed").await;
        let eu = w.app.record_network(&w.eu_rapporteur, &eu_network()).await.unwrap();
        let lv = w.app.record_network(&w.rapporteur, &national()).await.unwrap();
        let ee = w.app.record_network(&w.ee_rapporteur, &national()).await.unwrap();
        assert_eq!(count(&w.app, "network_changed").await - changed, 3);
        // A country records no EU network, the EU level no national mechanism (named field).
        assert_eq!(field_of(w.app.record_network(&w.rapporteur, &eu_network()).await), "kind");
        assert_eq!(field_of(w.app.record_network(&w.eu_rapporteur, &national()).await), "kind");
        // Who may not record is refused, audited.
        let denied = count(&w.app, "access_denied").await;
        assert!(matches!(w.app.record_network(&w.statistician, &national()).await, Err(AppError::Forbidden)));
        assert!(matches!(w.app.networks(&w.caseworker).await, Err(AppError::Forbidden)));
        assert!(matches!(w.app.network(&w.ee_rapporteur, &lv.id).await, Err(AppError::Forbidden)));
        assert!(matches!(
            w.app.record_meeting(&w.rapporteur, &eu.id, &meeting("2026-05-01")).await,
            Err(AppError::Forbidden)
        ));
        assert!(count(&w.app, "access_denied").await - denied >= 4);
        // Latvia reads its own and the EU's; the EU level all.
        let ids = |v: haven_app::networks::NetworksView| {
            let mut ids = v.networks.into_iter().map(|n| n.network.id).collect::<Vec<_>>();
            ids.sort();
            ids
        };
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        assert_eq!(ids(w.app.networks(&w.rapporteur).await.unwrap()), sorted(vec![eu.id.clone(), lv.id.clone()]));
        assert_eq!(ids(w.app.networks(&w.statistician).await.unwrap()), sorted(vec![eu.id.clone(), lv.id.clone()]));
        assert_eq!(
            ids(w.app.networks(&w.eu_rapporteur).await.unwrap()),
            sorted(vec![eu.id.clone(), lv.id.clone(), ee.id.clone()])
        );
        assert!(matches!(w.app.network(&w.rapporteur, "nothing").await, Err(AppError::NotFound)));
        assert!(count(&w.app, "network_read").await >= 3);
    }
}

#[tokio::test]
async fn a_networks_contacts_are_encrypted_and_read_only_by_its_own_rapporteur() {
    for w in worlds().await {
        let eu = w.app.record_network(&w.eu_rapporteur, &eu_network()).await.unwrap();
        w.app.add_network_contact(&w.eu_rapporteur, &eu.id, &contact("2027-05-28")).await.unwrap();
        // Neither the name nor the e-mail is stored in the clear.
        let rows = w.app.store().network_contacts(Some(&eu.id)).await.unwrap();
        assert_eq!(rows.len(), 1);
        for stored in [&rows[0].name, &rows[0].email] {
            let text = String::from_utf8_lossy(stored);
            assert!(!text.contains("Anna") && !text.contains("example.org"), "{text}");
        }
        let view = w.app.network(&w.eu_rapporteur, &eu.id).await.unwrap();
        let contacts = view.contacts.unwrap();
        assert_eq!(
            (contacts[0].contact.name.as_str(), contacts[0].contact.email.as_str()),
            ("Anna Example", "anna@example.org")
        );
        assert!(view.may_record_contacts);
        // A country's rapporteur and the EU statistician read the network, not its contacts.
        for reader in [&w.rapporteur, &w.eu_statistician] {
            let view = w.app.network(reader, &eu.id).await.unwrap();
            assert!(view.contacts.is_none() && !view.may_record_contacts);
        }
        assert!(matches!(
            w.app.add_network_contact(&w.rapporteur, &eu.id, &contact("2027-05-28")).await,
            Err(AppError::Forbidden)
        ));
        // The retention is at most three years ahead, never before today (the clock's day 2026-05-28).
        assert_eq!(
            field_of(w.app.add_network_contact(&w.eu_rapporteur, &eu.id, &contact("2026-05-27")).await),
            "retain_until"
        );
        assert_eq!(
            field_of(w.app.add_network_contact(&w.eu_rapporteur, &eu.id, &contact("2030-01-01")).await),
            "retain_until"
        );
        let mut no_purpose = contact("2027-01-01");
        no_purpose.purpose = String::new();
        assert_eq!(field_of(w.app.add_network_contact(&w.eu_rapporteur, &eu.id, &no_purpose).await), "purpose");
    }
}

#[tokio::test]
async fn a_contact_past_its_retention_is_no_longer_shown_and_the_sweep_deletes_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    let clock = Arc::new(FixedClock::new(NOW));
    let app = App::open(store, &MasterKey::generate(), clock.clone(), AppSettings::default()).await.unwrap();
    let eu = organisation(&app, "EU Anti-Trafficking Coordinator", "eu_anti_trafficking_coordinator", "EU").await;
    let coordinator = user(&app, "eu.coordinator", &eu, "rapporteur").await;
    let network = app.record_network(&coordinator, &eu_network()).await.unwrap();
    // Today is 2026-05-28: one kept until the end of June, one until next year.
    app.add_network_contact(&coordinator, &network.id, &contact("2026-06-30")).await.unwrap();
    app.add_network_contact(&coordinator, &network.id, &contact("2027-05-28")).await.unwrap();
    assert_eq!(app.purge_network_contacts().await.unwrap(), 0, "nothing past its retention yet");
    assert_eq!(count(&app, "network_contacts_purged").await, 0);
    // On its last day it is still shown; from the next day it is not, though still stored.
    clock.set(NOW + 33 * DAY);
    assert_eq!(app.today().to_string(), "2026-06-30");
    assert_eq!(app.network(&coordinator, &network.id).await.unwrap().contacts.unwrap().len(), 2);
    clock.set(NOW + 34 * DAY);
    let shown = app.network(&coordinator, &network.id).await.unwrap().contacts.unwrap();
    assert_eq!(shown.iter().map(|c| c.contact.retain_until.to_string()).collect::<Vec<_>>(), ["2027-05-28"]);
    assert_eq!(app.store().network_contacts(None).await.unwrap().len(), 2);
    // The sweep deletes it, audited once.
    assert_eq!(app.purge_network_contacts().await.unwrap(), 1);
    assert_eq!(count(&app, "network_contacts_purged").await, 1);
    assert_eq!(app.store().network_contacts(None).await.unwrap().len(), 1);
    assert_eq!(app.purge_network_contacts().await.unwrap(), 0);
}

#[tokio::test]
async fn an_action_arising_open_after_its_day_is_overdue_on_the_coordinators_dashboard() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    let clock = Arc::new(FixedClock::new(NOW));
    let app = App::open(store, &MasterKey::generate(), clock.clone(), AppSettings::default()).await.unwrap();
    let eu = organisation(&app, "EU Anti-Trafficking Coordinator", "eu_anti_trafficking_coordinator", "EU").await;
    let lv = organisation(&app, "National Coordinator", "national_rapporteur", "LV").await;
    let ee = organisation(&app, "Ministry of Justice", "national_rapporteur", "EE").await;
    let coordinator = user(&app, "eu.coordinator", &eu, "rapporteur").await;
    let rapporteur = user(&app, "rapporteur", &lv, "rapporteur").await;
    let ee_rapporteur = user(&app, "ee.rapporteur", &ee, "rapporteur").await;
    let network = app.record_network(&coordinator, &eu_network()).await.unwrap();
    let ee_network = app.record_network(&ee_rapporteur, &national()).await.unwrap();
    let m = app.record_meeting(&coordinator, &network.id, &meeting("2026-05-01")).await.unwrap();
    let arising =
        |text: &str, due: &str| ArisingInput { text: text.into(), owner: "Secretariat".into(), due_on: due.into() };
    app.add_arising_action(&coordinator, &m.id, &arising("Circulate the minutes", "2026-05-15")).await.unwrap();
    let view =
        app.add_arising_action(&coordinator, &m.id, &arising("Collect contributions", "2026-05-28")).await.unwrap();
    assert_eq!(view.overdue, [1], "due on 15 May, open: overdue; due today: not yet");
    let bad = app.add_arising_action(&coordinator, &m.id, &arising("Before", "2026-04-30")).await;
    assert_eq!(field_of(bad), "due_on");
    let em = app.record_meeting(&ee_rapporteur, &ee_network.id, &meeting("2026-04-01")).await.unwrap();
    app.add_arising_action(&ee_rapporteur, &em.id, &arising("Estonian follow-up", "2026-04-10")).await.unwrap();

    // Latvia's rapporteur sees the EU network's overdue action, not Estonia's; the EU level both.
    let lv_sees = app.arising_overdue(&rapporteur).await.unwrap();
    assert_eq!(lv_sees.iter().map(|a| (a.number, a.days_overdue)).collect::<Vec<_>>(), [(1, 13)]);
    let eu_sees = app.arising_overdue(&coordinator).await.unwrap();
    assert_eq!(eu_sees.iter().map(|a| a.days_overdue).collect::<Vec<_>>(), [48, 13], "most overdue first");
    // Done, it is no longer overdue; a status that is none of the three is refused naming it.
    let status = |n: &str, s: &str| ArisingStatusInput { number: n.into(), status: s.into() };
    app.set_arising_status(&coordinator, &m.id, &status("1", "done")).await.unwrap();
    assert_eq!(field_of(app.set_arising_status(&coordinator, &m.id, &status("1", "later")).await), "status");
    assert_eq!(field_of(app.set_arising_status(&coordinator, &m.id, &status("7", "done")).await), "number");
    assert!(matches!(app.set_arising_status(&rapporteur, &m.id, &status("2", "done")).await, Err(AppError::Forbidden)));
    clock.set(NOW + DAY);
    let later = app.arising_overdue(&rapporteur).await.unwrap();
    assert_eq!(later.iter().map(|a| (a.number, a.days_overdue)).collect::<Vec<_>>(), [(2, 1)]);
    let read = app.meeting(&rapporteur, &m.id).await.unwrap();
    assert_eq!((read.meeting.actions.len(), read.overdue.clone(), read.may_record), (2, vec![2], false));
    assert!(matches!(app.meeting(&rapporteur, &em.id).await, Err(AppError::Forbidden)));
}

fn campaign() -> PreventionInput {
    PreventionInput {
        title: "Know your rights abroad".into(),
        by: "State Employment Agency".into(),
        starts_on: "2025-03-01".into(),
        ends_on: "2025-06-30".into(),
        summary: "Warnings about false job offers".into(),
        target_groups: "young_people, migrants".into(),
        channels: "social_media".into(),
        languages: "lv, ru".into(),
        reach: "12000".into(),
        ..PreventionInput::default()
    }
}

#[tokio::test]
async fn prevention_is_recorded_by_each_country_and_read_as_the_monitoring_rules_say() {
    for w in worlds().await {
        let changed = count(&w.app, "prevention_changed").await;
        let lv = w.app.record_prevention(&w.rapporteur, PreventionKind::Campaign, &campaign()).await.unwrap();
        let ee = w.app.record_prevention(&w.ee_rapporteur, PreventionKind::Campaign, &campaign()).await.unwrap();
        let eu = w.app.record_prevention(&w.eu_rapporteur, PreventionKind::Campaign, &campaign()).await.unwrap();
        assert_eq!(count(&w.app, "prevention_changed").await - changed, 3);
        let mut bad = campaign();
        bad.languages = "lv, xx".into();
        assert_eq!(field_of(w.app.record_prevention(&w.rapporteur, PreventionKind::Campaign, &bad).await), "languages");
        assert!(matches!(
            w.app.record_prevention(&w.statistician, PreventionKind::Campaign, &campaign()).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(w.app.prevention(&w.caseworker).await, Err(AppError::Forbidden)));
        // The same moment on the test clock: compared as sets.
        let ids = |v: haven_app::prevention::PreventionView| {
            let mut ids = v.records.into_iter().map(|r| r.id).collect::<Vec<_>>();
            ids.sort();
            ids
        };
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        assert_eq!(ids(w.app.prevention(&w.statistician).await.unwrap()), sorted(vec![lv.id.clone(), eu.id.clone()]));
        assert_eq!(ids(w.app.prevention(&w.eu_statistician).await.unwrap()), sorted(vec![lv.id, ee.id, eu.id]));
        assert!(count(&w.app, "prevention_read").await >= 2);
        // Research names the releases it draws on: only releases held here.
        let research =
            PreventionInput { topic: "forced_labour".into(), releases: "no-such-release".into(), ..campaign() };
        assert_eq!(
            field_of(w.app.record_prevention(&w.rapporteur, PreventionKind::Research, &research).await),
            "releases"
        );
        let none = PreventionInput { releases: String::new(), ..research };
        let r = w.app.record_prevention(&w.rapporteur, PreventionKind::Research, &none).await.unwrap();
        assert!(matches!(r.details, Details::Research { .. }));
    }
}
