//! The victim's lawyer through the use cases (Dir 2011/36 Art 12(2); Dir 2012/29 Art 20): the
//! case's caseworker records, with the victim's consent, that a lawyer of the country represents
//! the victim; the lawyer then reads the victim's view of the investigation the victim is linked
//! to (reference, status, offences, the stage of prosecution, the victim's own protection and
//! information) and never a suspect, another victim or the money; after revocation nothing. The
//! caseworker still learns only "involved in proceedings: yes", and the investigating unit is
//! unaffected. Every read and write audited, the consent note encrypted. On SQLite, and on
//! PostgreSQL when HAVEN_TEST_POSTGRES_URL is set.

use crate::common::{
    Database, audit_detail_count, bare_registration, organisation, postgres_app, refer, sqlite_app, user,
};
use haven_app::{App, AppError, Principal};
use haven_domain::MessageId;
use haven_domain::access::ProceedingsView;
use haven_domain::proceedings::charge::ChargeInput;
use haven_domain::proceedings::information::InformationInput;
use haven_domain::proceedings::protection::ProtectionInput;
use haven_domain::proceedings::representation::{RepresentationInput, RevocationInput};
use haven_domain::proceedings::suspect::SuspectInput;
use haven_domain::proceedings::{InvestigationInput, OffenceInput, PlaceInput};

/// The suspect's name: it must never reach the lawyer.
const SUSPECT: &str = "Kazimirs Vilkaburgs";

struct World {
    app: App,
    _db: Database,
    police: Principal,
    caseworker: Principal,
    other_caseworker: Principal,
    lawyer: Principal,
    other_lawyer: Principal,
    ee_lawyer: Principal,
    /// The represented victim's case, linked to `investigation`.
    case: String,
    /// Another victim linked to the same investigation.
    other_case: String,
    investigation: String,
}

async fn world(app: App, db: Database) -> World {
    let police_id = organisation(&app, "State Police", "police", "LV").await;
    let prosecution_id = organisation(&app, "Prosecution Office", "prosecution", "LV").await;
    let ngo_id = organisation(&app, "Shelter Safe House", "ngo", "LV").await;
    let other_ngo = organisation(&app, "Other NGO", "ngo", "LV").await;
    let legal_aid = organisation(&app, "Legal Aid Riga", "ngo", "LV").await;
    let ee_legal_aid = organisation(&app, "Legal Aid Tallinn", "ngo", "EE").await;
    let police = user(&app, "officer", &police_id, "investigator").await;
    let prosecutor = user(&app, "prosecutor", &prosecution_id, "investigator").await;
    let caseworker = user(&app, "caseworker", &ngo_id, "caseworker").await;
    let other_caseworker = user(&app, "other.caseworker", &other_ngo, "caseworker").await;
    let lawyer = user(&app, "lawyer", &legal_aid, "victim_lawyer").await;
    let other_lawyer = user(&app, "other.lawyer", &legal_aid, "victim_lawyer").await;
    let ee_lawyer = user(&app, "ee.lawyer", &ee_legal_aid, "victim_lawyer").await;
    let case = refer(&app, &caseworker, bare_registration("Anna", "Ozola", None)).await;
    let other_case = refer(&app, &caseworker, bare_registration("Berta", "Kalnina", None)).await;
    for c in [&case, &other_case] {
        app.share_case(&caseworker, c, &police_id, &["identity".into()]).await.unwrap();
    }
    let input = InvestigationInput {
        reference: "11816000777".into(),
        prosecutor_organisation_id: prosecution_id,
        opened_on: "2026-05-20".into(),
        opening: "ex_officio".into(),
        offences: vec![OffenceInput {
            kind: "trafficking".into(),
            forms: vec!["forced_labour".into()],
            national_provision: "Criminal Law s. 154.1(2)".into(),
        }],
        places: vec![PlaceInput { country: "LV".into(), locality: "Riga".into() }],
        summary: format!("Workers recruited by {SUSPECT} for a construction site."),
        ..InvestigationInput::default()
    };
    let investigation = app.open_investigation(&police, &input).await.unwrap().investigation.id;
    app.link_victim(&police, &investigation, &case).await.unwrap();
    app.link_victim(&police, &investigation, &other_case).await.unwrap();
    let suspect = SuspectInput {
        kind: "natural".into(),
        name: SUSPECT.into(),
        roles: vec!["recruiter".into()],
        citizenship: "LV".into(),
        sex: "male".into(),
        age_group: "35_44".into(),
        ..SuspectInput::default()
    };
    let view = app.add_suspect(&police, &investigation, &suspect).await.unwrap();
    let sid = view.suspects[0].suspect.id.clone();
    let charge = ChargeInput {
        offence: "trafficking".into(),
        national_provision: "Criminal Law s. 154.1(2)".into(),
        circumstances: vec![],
        charged_on: "2026-05-22".into(),
    };
    app.add_charge(&police, &investigation, &sid, &charge).await.unwrap();
    app.decide_prosecution(&prosecutor, &investigation, &sid, "indicted", "").await.unwrap();
    for (c, measure) in [(&case, "no_visual_contact"), (&other_case, "few_interviews")] {
        let m = ProtectionInput {
            case_id: c.clone(),
            measure: measure.into(),
            status: "applied".into(),
            on: "2026-05-23".into(),
            reasons: String::new(),
        };
        app.record_protection_measure(&police, &investigation, &m).await.unwrap();
    }
    let told = InformationInput {
        case_id: case.clone(),
        kind: "trial_time_and_place".into(),
        channel: "letter".into(),
        language: "lv".into(),
        given_by: "Investigator Gatis Priedkalns".into(),
        given_on: "2026-05-24".into(),
        note: "Told in the presence of Kazimirs' cousin".into(),
    };
    app.record_information_given(&police, &investigation, &told).await.unwrap();
    World {
        app,
        _db: db,
        police,
        caseworker,
        other_caseworker,
        lawyer,
        other_lawyer,
        ee_lawyer,
        case,
        other_case,
        investigation,
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

fn representation(lawyer: &Principal) -> RepresentationInput {
    RepresentationInput {
        lawyer_user_id: lawyer.user.id.clone(),
        from_on: "2026-05-25".into(),
        consent_given: true,
        consent_on: "2026-05-25".into(),
        consent_note: "Signed authorisation, kept in the paper file".into(),
    }
}

fn field_of(e: AppError) -> (String, Option<MessageId>) {
    match e {
        AppError::Invalid(p) => (p.field, p.problem.map(|m| m.id)),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

async fn count(app: &App, action: &str) -> i64 {
    app.store().count_unchecked(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_12_2_dir_the_victims_lawyer_reads_the_victims_view_and_no_suspect_nor_other_victim() {
    for w in worlds().await {
        // Before any representation the lawyer knows of no victim and reads nothing.
        assert!(w.app.represented_victims(&w.lawyer).await.unwrap().is_empty());
        assert!(matches!(w.app.represented_victim(&w.lawyer, &w.case).await, Err(AppError::NotFound)));
        let recorded = w.app.record_representation(&w.caseworker, &w.case, &representation(&w.lawyer)).await.unwrap();
        assert!(recorded.in_force);
        assert_eq!(recorded.lawyer_name, "lawyer");

        let list = w.app.represented_victims(&w.lawyer).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!((list[0].case_id.as_str(), list[0].investigations), (w.case.as_str(), 1));
        let view = w.app.represented_victim(&w.lawyer, &w.case).await.unwrap();
        assert_eq!(view.investigations.len(), 1);
        let inv = &view.investigations[0];
        assert_eq!(inv.investigation_id, w.investigation);
        assert_eq!(inv.reference, "11816000777");
        assert_eq!(inv.offences.len(), 1);
        let stages: Vec<&str> = inv
            .stages
            .iter()
            .map(|s| match s {
                haven_app::representation::ProceedingsStage::Charged { .. } => "charged",
                haven_app::representation::ProceedingsStage::ProsecutionDecision { .. } => "decision",
                haven_app::representation::ProceedingsStage::Judgment { .. } => "judgment",
                haven_app::representation::ProceedingsStage::Appeal { .. } => "appeal",
            })
            .collect();
        assert_eq!(stages, vec!["charged", "decision"]);
        // The victim's own protection and information, not the other victim's.
        let applied: Vec<String> =
            inv.protection.iter().filter(|m| m.status.is_some()).map(|m| m.measure.to_string()).collect();
        assert_eq!(applied, vec!["no_visual_contact".to_owned()]);
        assert_eq!(inv.information.len(), 1);
        // Nothing of the suspect, the other victim, who informed, or the summary.
        let json = serde_json::to_string(&view).unwrap();
        for secret in [SUSPECT, "Kazimirs", "Vilkaburgs", "Gatis", "cousin", "construction site", &w.other_case] {
            assert!(!json.contains(secret), "the victim's view shows {secret}: {json}");
        }
        assert!(!json.contains("suspect"), "{json}");

        // Another lawyer, a lawyer of another country, the caseworker: nothing.
        for who in [&w.other_lawyer, &w.ee_lawyer] {
            assert!(matches!(w.app.represented_victim(who, &w.case).await, Err(AppError::NotFound)));
            assert!(w.app.represented_victims(who).await.unwrap().is_empty());
        }
        assert!(matches!(w.app.represented_victim(&w.caseworker, &w.case).await, Err(AppError::Forbidden)));
        // The lawyer reads no part of the case and no investigation itself.
        assert!(matches!(w.app.case_view(&w.lawyer, &w.case).await, Err(AppError::Forbidden)));
        assert!(matches!(w.app.investigation(&w.lawyer, &w.investigation).await, Err(AppError::Forbidden)));
        assert!(matches!(w.app.represented_victim(&w.lawyer, &w.other_case).await, Err(AppError::NotFound)));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_12_2_dir_after_revocation_the_lawyer_reads_nothing() {
    for w in worlds().await {
        let recorded = w.app.record_representation(&w.caseworker, &w.case, &representation(&w.lawyer)).await.unwrap();
        assert!(w.app.represented_victim(&w.lawyer, &w.case).await.is_ok());
        let revoked = w
            .app
            .revoke_representation(
                &w.caseworker,
                &w.case,
                &recorded.id,
                &RevocationInput { reason: "The victim chose another lawyer".into() },
            )
            .await
            .unwrap();
        assert!(!revoked.in_force);
        assert_eq!(revoked.revocation_reason.as_deref(), Some("The victim chose another lawyer"));
        assert!(matches!(w.app.represented_victim(&w.lawyer, &w.case).await, Err(AppError::NotFound)));
        assert!(w.app.represented_victims(&w.lawyer).await.unwrap().is_empty());
        // Revoked once: a second revocation finds nothing in force.
        let again =
            w.app.revoke_representation(&w.caseworker, &w.case, &recorded.id, &RevocationInput::default()).await;
        assert!(matches!(again, Err(AppError::NotFound)));
        // The history keeps both, and a new representation may follow.
        w.app.record_representation(&w.caseworker, &w.case, &representation(&w.lawyer)).await.unwrap();
        let listed = w.app.case_representations(&w.caseworker, &w.case).await.unwrap();
        assert_eq!(listed.representations.len(), 2);
        assert_eq!(listed.representations.iter().filter(|r| r.in_force).count(), 1);
        assert!(listed.lawyers.iter().any(|l| l.user_id == w.lawyer.user.id));
        assert!(!listed.lawyers.iter().any(|l| l.user_id == w.ee_lawyer.user.id), "a lawyer of another country");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_caseworker_still_sees_involvement_only_and_the_unit_is_unaffected() {
    for w in worlds().await {
        w.app.record_representation(&w.caseworker, &w.case, &representation(&w.lawyer)).await.unwrap();
        let seen = w.app.case_involvement(&w.caseworker, &w.case).await.unwrap();
        assert_eq!((seen.view, seen.involved), (ProceedingsView::InvolvementOnly, Some(true)));
        assert!(matches!(w.app.investigation(&w.caseworker, &w.investigation).await, Err(AppError::Forbidden)));
        // The investigating unit reads the investigation whole, the suspect's name included.
        let view = w.app.investigation(&w.police, &w.investigation).await.unwrap();
        assert_eq!(view.suspects[0].suspect.name, SUSPECT);
        assert_eq!(view.investigation.victims.len(), 2);
        assert!(matches!(w.app.represented_victims(&w.police).await, Err(AppError::Forbidden)));
        assert!(matches!(w.app.case_representations(&w.police, &w.case).await, Err(AppError::Forbidden)));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_records_the_lawyer_and_whom_with_the_victims_consent() {
    for w in worlds().await {
        // Another organisation's caseworker does not know of the case; a lawyer cannot record.
        let e = w.app.record_representation(&w.other_caseworker, &w.case, &representation(&w.lawyer)).await;
        assert!(matches!(e, Err(AppError::NotFound)));
        let e = w.app.record_representation(&w.lawyer, &w.case, &representation(&w.lawyer)).await;
        assert!(matches!(e, Err(AppError::Forbidden)));
        // Without the victim's consent, with a user who is no lawyer or of another country: 422
        // naming the field.
        let no_consent = RepresentationInput { consent_given: false, ..representation(&w.lawyer) };
        let e = w.app.record_representation(&w.caseworker, &w.case, &no_consent).await.unwrap_err();
        assert_eq!(field_of(e), ("consent_given".into(), Some(MessageId::RepresentationNeedsConsent)));
        for not_a_lawyer in [&w.police, &w.ee_lawyer] {
            let e = w.app.record_representation(&w.caseworker, &w.case, &representation(not_a_lawyer)).await;
            assert_eq!(field_of(e.unwrap_err()), ("lawyer_user_id".into(), Some(MessageId::RepresentationNotALawyer)));
        }
        let unknown = RepresentationInput { lawyer_user_id: "nobody".into(), ..representation(&w.lawyer) };
        let e = w.app.record_representation(&w.caseworker, &w.case, &unknown).await.unwrap_err();
        assert_eq!(field_of(e).0, "lawyer_user_id");
        let late_consent = RepresentationInput { consent_on: "2026-05-26".into(), ..representation(&w.lawyer) };
        assert_eq!(
            field_of(w.app.record_representation(&w.caseworker, &w.case, &late_consent).await.unwrap_err()).0,
            "from_on"
        );
        // One representation in force per victim and lawyer.
        w.app.record_representation(&w.caseworker, &w.case, &representation(&w.lawyer)).await.unwrap();
        let twice = w.app.record_representation(&w.caseworker, &w.case, &representation(&w.lawyer)).await;
        assert!(matches!(twice, Err(AppError::ConflictSaid { .. })), "{twice:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_read_and_write_of_a_representation_is_audited_and_the_consent_note_encrypted() {
    for w in worlds().await {
        let denied = count(&w.app, "access_denied").await;
        let recorded = w.app.record_representation(&w.caseworker, &w.case, &representation(&w.lawyer)).await.unwrap();
        assert_eq!(count(&w.app, "representation_recorded").await, 1);
        w.app.represented_victims(&w.lawyer).await.unwrap();
        w.app.represented_victim(&w.lawyer, &w.case).await.unwrap();
        w.app.case_representations(&w.caseworker, &w.case).await.unwrap();
        assert_eq!(count(&w.app, "representation_read").await, 3);
        assert_eq!(audit_detail_count(&w.app, "representation_read", "victims_view").await, 1);
        w.app.revoke_representation(&w.caseworker, &w.case, &recorded.id, &RevocationInput::default()).await.unwrap();
        assert_eq!(count(&w.app, "representation_revoked").await, 1);
        let _ = w.app.represented_victim(&w.lawyer, &w.case).await;
        let _ = w.app.represented_victim(&w.other_lawyer, &w.case).await;
        assert_eq!(count(&w.app, "access_denied").await - denied, 2, "each refusal audited");
        let plain = w
            .app
            .store()
            .count_unchecked("SELECT COUNT(*) FROM representations WHERE consent_note IS NOT NULL")
            .await
            .unwrap();
        assert_eq!(plain, 1);
        if w.app.store().backend_name() == "sqlite" {
            let leaked = w
                .app
                .store()
                .count_unchecked(
                    "SELECT COUNT(*) FROM representations WHERE instr(consent_note, CAST('authorisation' AS BLOB)) > 0",
                )
                .await
                .unwrap();
            assert_eq!(leaked, 0, "the consent note is stored encrypted");
        }
    }
}
