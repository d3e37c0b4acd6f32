//! The trafficker tables of the national statistics filled from the proceedings (Dir 2011/36 Art
//! 19; the 2024 annual data set with the users' offence of Art 18a, Dir 2024/1712): suspects
//! counted as persons, not records, and released with the victim tables under the same
//! protection. On SQLite, and on PostgreSQL when HAVEN_TEST_POSTGRES_URL is set.

use crate::common::{Database, bare_registration, organisation, postgres_app, refer, sqlite_app, user};
use haven_app::stats::{ReleaseRequest, release_sdmx};
use haven_app::{App, Principal};
use haven_domain::proceedings::assets::{AssetInput, MeasureInput};
use haven_domain::proceedings::charge::{ChargeInput, JudgmentInput};
use haven_domain::proceedings::suspect::SuspectInput;
use haven_domain::proceedings::{InvestigationInput, OffenceInput, PlaceInput};
use haven_stats::model::{CellKey, Concept, Indicator};
use haven_stats::{Dataset, Table};

struct World {
    app: App,
    _db: Database,
    police: Principal,
    prosecutor: Principal,
    caseworker: Principal,
    rapporteur: Principal,
    prosecution_id: String,
}

async fn world(app: App, db: Database) -> World {
    let police_id = organisation(&app, "State Police", "police", "LV").await;
    let prosecution_id = organisation(&app, "Prosecution Office", "prosecution", "LV").await;
    let ngo_id = organisation(&app, "Shelter Safe House", "ngo", "LV").await;
    let rapporteur_id = organisation(&app, "Rapporteur", "national_rapporteur", "LV").await;
    World {
        police: user(&app, "officer", &police_id, "investigator").await,
        prosecutor: user(&app, "prosecutor", &prosecution_id, "investigator").await,
        caseworker: user(&app, "caseworker", &ngo_id, "caseworker").await,
        rapporteur: user(&app, "rapporteur", &rapporteur_id, "rapporteur").await,
        app,
        _db: db,
        prosecution_id,
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

fn investigation(w: &World, reference: &str, kind: &str, form: &str, opened_on: &str) -> InvestigationInput {
    InvestigationInput {
        reference: reference.into(),
        prosecutor_organisation_id: w.prosecution_id.clone(),
        opened_on: opened_on.into(),
        opening: "ex_officio".into(),
        offences: vec![OffenceInput {
            kind: kind.into(),
            forms: vec![form.into()],
            national_provision: "Criminal Law s. 154.1".into(),
        }],
        places: vec![PlaceInput { country: "LV".into(), locality: "Riga".into() }],
        summary: "Synthetic test investigation.".into(),
        ..InvestigationInput::default()
    }
}

fn person(name: &str, roles: &[&str], citizenship: &str, sex: &str, age: &str, case_id: &str) -> SuspectInput {
    SuspectInput {
        kind: "natural".into(),
        name: name.into(),
        case_id: case_id.into(),
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        citizenship: citizenship.into(),
        sex: sex.into(),
        age_group: age.into(),
        ..SuspectInput::default()
    }
}

fn company() -> SuspectInput {
    SuspectInput {
        kind: "legal".into(),
        name: "SIA Darbs".into(),
        roles: vec!["facilitator".into()],
        citizenship: "LV".into(),
        liability: "leading_position".into(),
        ..SuspectInput::default()
    }
}

fn key(indicator: Indicator, codes: &[(Concept, &str)]) -> CellKey {
    let mut c: Vec<(Concept, String)> = codes.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    c.sort();
    CellKey { indicator, codes: c }
}

fn total(tables: &[Table], id: &str) -> u64 {
    tables.iter().find(|t| t.spec.id == id).unwrap_or_else(|| panic!("no table {id}")).total()
}

fn value(d: &Dataset, k: &CellKey) -> Option<u64> {
    d.observations.iter().find(|o| &o.key == k).and_then(|o| o.value)
}

/// Adds a suspect and gives its id.
async fn add(w: &World, inv: &str, s: &SuspectInput) -> String {
    let view = w.app.add_suspect(&w.police, inv, s).await.unwrap();
    view.suspects.iter().rev().find(|v| v.suspect.name == s.name).unwrap().suspect.id.clone()
}

async fn charge(w: &World, inv: &str, suspect: &str, offence: &str, on: &str) {
    let c = ChargeInput {
        offence: offence.into(),
        national_provision: "Criminal Law s. 154.1".into(),
        circumstances: vec![],
        charged_on: on.into(),
    };
    w.app.add_charge(&w.police, inv, suspect, &c).await.unwrap();
}

/// Two trafficking investigations and one of the users' offence (Art 18a) in Latvia:
/// - Jānis Bērziņš, suspected in both trafficking investigations (written alike but for case and
///   diacritics), charged and indicted in both, convicted in the first;
/// - a woman who is a registered victim, suspected in both under two names but linked to the same
///   case in identification (the non-punishment notice is raised, and she is not prosecuted);
/// - a company (a legal person: not counted);
/// - a user of services, suspected of the Art 18a offence.
async fn seed(w: &World) {
    let case = refer(&w.app, &w.caseworker, bare_registration("Olena", "Koval", Some("1990-02-03"))).await;
    w.app.share_case(&w.caseworker, &case, &w.police.organisation.id, &["identity".into()]).await.unwrap();
    let mut ids = Vec::new();
    for (reference, kind, form, opened_on) in [
        ("A-1", "trafficking", "sexual", "2026-01-10"),
        ("B-2", "trafficking", "forced_labour", "2026-02-01"),
        ("C-3", "use_of_services", "sexual", "2026-03-01"),
    ] {
        let input = investigation(w, reference, kind, form, opened_on);
        ids.push(w.app.open_investigation(&w.police, &input).await.unwrap().investigation.id);
    }
    let (a, b, c) = (ids[0].clone(), ids[1].clone(), ids[2].clone());

    let janis_a = add(w, &a, &person("Jānis Bērziņš", &["recruiter"], "LV", "male", "35_44", "")).await;
    let janis_b = add(w, &b, &person("BERZINS Janis", &["exploiter"], "LV", "male", "35_44", "")).await;
    add(w, &a, &person("Olena Koval", &["recruiter"], "UA", "female", "25_34", &case)).await;
    add(w, &b, &person("O. K.", &["recruiter"], "UA", "female", "25_34", &case)).await;
    add(w, &a, &company()).await;
    add(w, &c, &person("Pēteris Ozols", &["user_of_services"], "LV", "male", "45_54", "")).await;

    charge(w, &a, &janis_a, "trafficking", "2026-03-01").await;
    charge(w, &b, &janis_b, "trafficking", "2026-04-01").await;
    w.app.decide_prosecution(&w.prosecutor, &a, &janis_a, "indicted", "").await.unwrap();
    w.app.decide_prosecution(&w.prosecutor, &b, &janis_b, "indicted", "").await.unwrap();
    let judgment = JudgmentInput {
        court: "Riga City Court".into(),
        instance: "first".into(),
        verdict: "convicted".into(),
        judged_on: "2026-05-28".into(),
        custody_months: "84".into(),
        ..JudgmentInput::default()
    };
    w.app.record_judgment(&w.prosecutor, &a, &janis_a, &judgment).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_19_dir_2011_36_the_trafficker_tables_count_persons_not_suspect_records() {
    for w in worlds().await {
        seed(&w).await;
        let t = w.app.national_tables(&w.rapporteur, 2026).await.unwrap();
        // six suspect records: five of natural persons, three persons; the company not counted
        assert_eq!(
            (t.offenders.suspects, t.offenders.persons, t.offenders.merged, t.offenders.legal_persons),
            (5, 3, 2, 1)
        );
        assert!(t.offenders.method.starts_with("Offenders, persons not records"));
        assert_eq!(total(&t.tables, "TRAF_SUSP_SEX_AGE"), 2, "Jānis and Olena, once each");
        assert_eq!(total(&t.tables, "TRAF_SUSP_SEX_CITIZEN_GRP"), 2);
        assert_eq!(total(&t.tables, "TRAF_PROS_SEX_EXPLOIT"), 1, "Jānis, indicted twice, once");
        assert_eq!(total(&t.tables, "TRAF_CONV_SEX_AGE"), 1);
        assert_eq!(total(&t.tables, "USE_SUSP_SEX_EXPLOIT"), 1, "the user of services (Art 18a)");
        assert_eq!(total(&t.tables, "USE_PROS_SEX_AGE"), 0);
        let d = haven_stats::hub::dataset_from_tables("LV", 2026, &t.tables, None);
        let women = key(Indicator::Suspected, &[(Concept::Sex, "F"), (Concept::CitizenGroup, "NEU_FOR")]);
        assert_eq!(value(&d, &women), Some(1));
        // Jānis under the form of his first investigation (charged there first)
        let sexual = key(Indicator::Suspected, &[(Concept::Sex, "M"), (Concept::Exploit, "SEX")]);
        assert_eq!(value(&d, &sexual), Some(1));
        assert_eq!(value(&d, &key(Indicator::Convicted, &[(Concept::Age, "Y35-44")])), Some(1));
        assert_eq!(value(&d, &key(Indicator::UseSuspected, &[(Concept::Age, "Y45-54")])), Some(1));
        // another year has none of them
        let before = w.app.national_tables(&w.rapporteur, 2025).await.unwrap();
        assert!(before.tables.iter().filter(|t| t.spec.indicator.is_offender()).all(|t| t.total() == 0));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_19_dir_2011_36_a_release_has_the_trafficker_tables_protected_with_the_victim_tables() {
    for w in worlds().await {
        seed(&w).await;
        let req = ReleaseRequest { year: 2026, mode: "suppression".into(), threshold: Some(3), ..Default::default() };
        let release = w.app.create_release(&w.rapporteur, &req).await.unwrap();
        assert!(release.has_offenders());
        let offender_tables: Vec<_> = release.report.tables.iter().filter(|s| s.indicator.is_offender()).collect();
        assert_eq!(offender_tables.len(), 18);
        assert!(release.report.tables.iter().any(|s| s.id == "TRAF_CONV_SEX_CITIZEN_GRP"));
        let counting = release.report.offenders.clone().unwrap();
        assert_eq!((counting.suspects, counting.persons), (5, 3));
        let s = release.report.suppression.clone().unwrap();
        assert!(s.passed);
        // every offender cell of 1 or 2 persons is hidden: none is published with a small value
        for o in release.dataset.observations.iter().filter(|o| o.key.indicator.is_offender()) {
            assert!(!matches!(o.value, Some(1 | 2)), "{:?} published", o.key);
        }
        // the one person convicted is hidden, and so is every total that would give it away
        let convicted = key(Indicator::Convicted, &[]);
        let o = release.dataset.observations.iter().find(|o| o.key == convicted).unwrap();
        assert!(o.conf.is_suppressed() && o.value.is_none());
        // the audit covers the offender cells
        assert!(s.cells.iter().any(|c| c.table.starts_with("TRAF_") && c.safe));
        assert!(s.cells.iter().all(|c| c.safe));
        // what leaves the country: SDMX-CSV with the offender lines and the counting note
        let csv = release_sdmx(&release).unwrap();
        assert!(csv.contains(",TRAF_SUSP,") && csv.contains(",USE_CONV,"), "{csv}");
        assert!(csv.contains("Offenders, persons not records"));
        assert!(!csv.contains("Koval") && !csv.contains("Berzins") && !csv.contains("Bērziņš"));
        // the EU hub receives them
        w.app.submit_release(&w.rapporteur, &release.id).await.unwrap();
    }
}

/// An asset of `value` euro cents in investigation `inv` with measures of `kinds`.
async fn asset(w: &World, inv: &str, value: &str, kinds: &[&str]) {
    let input = AssetInput {
        kind: "bank_account".into(),
        description: "Account at a bank in Riga".into(),
        value: value.into(),
        currency: "EUR".into(),
        valued_on: "2026-02-01".into(),
        held_in: "LV".into(),
        held_at: "A bank in Riga".into(),
        ..AssetInput::default()
    };
    let view = w.app.add_asset(&w.police, inv, &input).await.unwrap();
    let id = view.assets.last().unwrap().asset.id.clone();
    for kind in kinds {
        let m = MeasureInput { kind: (*kind).into(), on: "2026-03-01".into(), ..MeasureInput::default() };
        w.app.add_asset_measure(&w.prosecutor, inv, &id, &m).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_7_dir_2011_36_a_release_has_the_amounts_seized_and_confiscated_hidden_when_few_investigations_make_them() {
    for w in worlds().await {
        seed(&w).await;
        let ids: Vec<String> = w.app.investigations(&w.police).await.unwrap().into_iter().map(|i| i.id).collect();
        assert_eq!(ids.len(), 3);
        // seized in three investigations, none dominant; confiscated in one
        asset(&w, &ids[0], "1000000", &["seizure", "confiscation_order"]).await;
        asset(&w, &ids[1], "900000", &["seizure"]).await;
        asset(&w, &ids[2], "800000", &["seizure"]).await;
        let req = ReleaseRequest { year: 2026, mode: "suppression".into(), threshold: Some(3), ..Default::default() };
        let release = w.app.create_release(&w.rapporteur, &req).await.unwrap();
        let figure = |code: &str| release.report.amounts.iter().find(|a| a.code == code).unwrap().clone();
        assert_eq!(figure("ASSET_SEIZED").euro, Some(27_000));
        let confiscated = figure("ASSET_CONFISCATED");
        assert!(confiscated.confidential && confiscated.euro.is_none(), "one investigation's amount is not published");
        assert_eq!(figure("ASSET_REALISED").euro, Some(0));
    }
}
