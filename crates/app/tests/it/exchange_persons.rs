//! Persons counted once across borders: each country's focal point encodes its identified
//! persons (one encoding per person, nothing in plain text leaves the country), the EU hub stores
//! the encodings per country and year and counts the persons across countries once.

use crate::common::{self, NOW, audit_detail_count, organisation, refer, registration, user};
use haven_app::exchange_persons::CrossBorderPersons;
use haven_app::exchange_transport::{InboundOutcome, ReceivedMessage};
use haven_app::{App, AppError, Principal};
use haven_exchange::messages::acknowledgement::RefusalReason;
use haven_exchange::messages::person_encodings::PersonEncodings;
use time::OffsetDateTime;
use uuid::Uuid;

/// The secret the focal points agreed (standard base64 of 32 bytes).
const SECRET: &str = "c2VjcmV0IG9mIHRoZSBmb2NhbCBwb2ludHMsIDMyIGJ5dGVzIQ==";

pub(crate) struct Country {
    pub(crate) app: App,
    _db: common::Database,
    pub(crate) focal_point: Principal,
    caseworker: Principal,
    pub(crate) rapporteur: Principal,
}

pub(crate) async fn country(code: &str) -> Country {
    let (app, db) = common::sqlite_app().await;
    let ngo = organisation(&app, "Shelter", "ngo", code).await;
    let authority = organisation(&app, "National Referral Mechanism", "competent_authority", code).await;
    let office = organisation(&app, "Rapporteur", "national_rapporteur", code).await;
    let caseworker = user(&app, "case.worker", &ngo, "caseworker").await;
    let focal_point = user(&app, "focal.point", &authority, "focal_point").await;
    let rapporteur = user(&app, "rapporteur", &office, "rapporteur").await;
    app.store_person_linkage_secret(&focal_point, "2025-1", SECRET).await.unwrap();
    Country { app, _db: db, focal_point, caseworker, rapporteur }
}

/// Refers the registrations and marks them identified by a final decision of `on`.
pub(crate) async fn identified(
    c: &Country,
    regs: Vec<haven_domain::ident::record::Registration>,
    on: &str,
) -> Vec<String> {
    let mut ids = Vec::new();
    for r in regs {
        let id = refer(&c.app, &c.caseworker, r).await;
        c.app
            .store()
            .execute_unchecked(&format!(
                "UPDATE registrations SET nrm_status = 'identified_victim', cg_decided_on = '{on}' WHERE case_id = '{id}'"
            ))
            .await
            .unwrap();
        ids.push(id);
    }
    ids
}

pub(crate) fn received(sender: &str, body: Vec<u8>) -> ReceivedMessage {
    ReceivedMessage {
        message_id: Uuid::now_v7(),
        sender: sender.into(),
        message_type: "person_encodings".into(),
        type_version: 1,
        body,
        envelope_sha256: "not-checked-here".into(),
        received_at: OffsetDateTime::from_unix_timestamp(NOW).unwrap(),
    }
}

#[tokio::test]
async fn no_name_date_or_document_leaves_the_country_and_a_person_is_encoded_once() {
    let lv = country("LV").await;
    let cases = identified(
        &lv,
        vec![
            registration("Olena", "Kovalenko", Some("1999-03-14"), Some("FK123456")),
            // the same person registered again by another agency: one encoding
            registration("Olena", "Kovalenko", Some("1999-03-14"), Some("FK123456")),
            registration("Ion", "Rusu", Some("1980-02-02"), None),
        ],
        "2025-10-01",
    )
    .await;
    // identified in another year, and referred but not identified: not sent
    identified(&lv, vec![registration("Anna", "Ozola", Some("2001-05-05"), None)], "2024-12-31").await;
    refer(&lv.app, &lv.caseworker, registration("Maria", "Popescu", Some("1990-01-01"), None)).await;
    let body = lv.app.prepare_person_encodings(&lv.focal_point, 2025).await.unwrap();
    assert_eq!((body.count, body.persons.len()), (2, 2));
    assert_eq!(body.country.as_str(), "LV");
    assert!(body.schema.hardening.xor_fold && body.schema.hardening.balance);
    let json = String::from_utf8(body.to_json().unwrap()).unwrap();
    let lower = json.to_lowercase();
    for plain in ["olena", "kovalenko", "1999-03-14", "19990314", "fk123456", "rusu", "1980", "ozola", "popescu"] {
        assert!(!lower.contains(plain), "{plain} is in the message");
    }
    for case in &cases {
        assert!(!json.contains(case.as_str()), "a case id is in the message");
    }
    // the ids are random per submission: two submissions share none
    let again = lv.app.prepare_person_encodings(&lv.focal_point, 2025).await.unwrap();
    assert!(again.persons.iter().all(|p| body.persons.iter().all(|q| q.id != p.id)));
    assert_eq!(audit_detail_count(&lv.app, "person_encodings_prepared", "persons=2").await, 2);
    // the secret is never in the audit log
    assert_eq!(audit_detail_count(&lv.app, "person_linkage_secret_stored", SECRET).await, 0);
    // sending goes as far as the transport: without a pinned EU hub it is refused naming the receiver
    match lv.app.send_person_encodings(&lv.focal_point, 2025).await {
        Err(AppError::Invalid(e)) => assert_eq!(e.field, "receiver"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn only_the_focal_point_sends_and_a_secret_is_checked() {
    let lv = country("LV").await;
    for who in [&lv.caseworker, &lv.rapporteur] {
        assert!(matches!(lv.app.prepare_person_encodings(who, 2025).await, Err(AppError::Forbidden)));
        assert!(matches!(lv.app.store_person_linkage_secret(who, "x", SECRET).await, Err(AppError::Forbidden)));
    }
    match lv.app.store_person_linkage_secret(&lv.focal_point, "2025-2", "c2hvcnQ=").await {
        Err(AppError::Invalid(e)) => assert_eq!(e.field, "secret"),
        other => panic!("{other:?}"),
    }
    match lv.app.store_person_linkage_secret(&lv.focal_point, "2025-1", SECRET).await {
        Err(AppError::ConflictSaid { message, .. }) => {
            assert_eq!(message.id, haven_domain::message::MessageId::ExchangeSecretGenerationStored);
        }
        other => panic!("{other:?}"),
    }
    match lv.app.prepare_person_encodings(&lv.focal_point, 1990).await {
        Err(AppError::Invalid(e)) => assert_eq!(e.field, "year"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_hub_counts_a_person_identified_in_three_countries_once() {
    let olena = || registration("Olena", "Kovalenko", Some("1999-03-14"), None);
    let lv = country("LV").await;
    identified(&lv, vec![olena(), registration("Ion", "Rusu", Some("1980-02-02"), None)], "2025-03-01").await;
    let ee = country("EE").await;
    // registered with the names the other way round, and a Latvian only in Estonia
    identified(
        &ee,
        vec![
            registration("Kovalenko", "Olena", Some("1999-03-14"), None),
            registration("Jānis", "Bērziņš", Some("1985-11-02"), None),
        ],
        "2025-06-01",
    )
    .await;
    let lt = country("LT").await;
    identified(&lt, vec![olena()], "2025-09-09").await;

    let (hub, _db) = common::sqlite_app().await;
    let eu = organisation(&hub, "Eurostat", "statistics_office", "EU").await;
    let coordinator = user(&hub, "eurostat", &eu, "statistician").await;
    for c in [&lv, &ee, &lt] {
        let body = c.app.prepare_person_encodings(&c.focal_point, 2025).await.unwrap();
        let sender = body.country.as_str().to_owned();
        let outcome = hub.on_person_encodings_received(&received(&sender, body.to_json().unwrap())).await.unwrap();
        assert_eq!(outcome, InboundOutcome::Accepted);
    }
    // LV sends again: its earlier encodings of the year are replaced, not added
    let body = lv.app.prepare_person_encodings(&lv.focal_point, 2025).await.unwrap();
    hub.on_person_encodings_received(&received("LV", body.to_json().unwrap())).await.unwrap();
    let count: CrossBorderPersons = hub.cross_border_persons(&coordinator, 2025).await.unwrap();
    assert_eq!(count.countries, vec![("EE".into(), 2), ("LT".into(), 1), ("LV".into(), 2)]);
    assert_eq!(count.sum_of_national, 5);
    assert_eq!(count.distinct, 3);
    assert_eq!(count.in_several_countries, 1);
    assert_eq!(count.by_countries.get(&3), Some(&1));
    assert!(count.overlaps.iter().all(|o| o.persons == 1), "{:?}", count.overlaps);
    assert!(count.left_out.is_empty());
    assert_eq!(audit_detail_count(&hub, "person_encodings_received", "sender=LV").await, 2);
    assert_eq!(audit_detail_count(&hub, "cross_border_persons_counted", "distinct=3").await, 1);
    // a year without encodings
    assert_eq!(hub.cross_border_persons(&coordinator, 2024).await.unwrap().distinct, 0);
    // a national rapporteur does not read the EU count: refused as without the permission
    // (deny by default: the role reads statistics, its own country's)
    assert!(matches!(hub.cross_border_persons(&lv.rapporteur, 2025).await, Err(AppError::Forbidden)));
    let lv_at_hub =
        user(&hub, "lv.rapporteur", &organisation(&hub, "LV office", "national_rapporteur", "LV").await, "rapporteur")
            .await;
    assert!(matches!(hub.cross_border_persons(&lv_at_hub, 2025).await, Err(AppError::Forbidden)));
}

#[tokio::test]
async fn the_hub_refuses_encodings_of_another_country_unhardened_or_malformed() {
    let lv = country("LV").await;
    identified(&lv, vec![registration("Ion", "Rusu", Some("1980-02-02"), None)], "2025-03-01").await;
    let (hub, _db) = common::sqlite_app().await;
    let body = lv.app.prepare_person_encodings(&lv.focal_point, 2025).await.unwrap();
    let refusal = |o: InboundOutcome| match o {
        InboundOutcome::Refused { reason, explanation } => (reason, explanation.unwrap_or_default()),
        other => panic!("{other:?}"),
    };
    // EE cannot send Latvia's persons
    let (reason, why) =
        refusal(hub.on_person_encodings_received(&received("EE", body.to_json().unwrap())).await.unwrap());
    assert_eq!(reason, RefusalReason::NotCompetent);
    assert!(why.starts_with("body.country"), "{why}");
    // malformed: the field is named
    let mut bad: serde_json::Value = serde_json::from_slice(&body.to_json().unwrap()).unwrap();
    bad["count"] = serde_json::json!(7);
    let (reason, why) =
        refusal(hub.on_person_encodings_received(&received("LV", serde_json::to_vec(&bad).unwrap())).await.unwrap());
    assert_eq!(reason, RefusalReason::InvalidBody);
    assert!(why.starts_with("body.count"), "{why}");
    // without hardening
    let mut plain: PersonEncodings = body.clone();
    plain.schema.hardening.balance = false;
    plain.schema.hardening.xor_fold = false;
    plain.persons[0].clk = PersonEncodings::clk_of(&[0u64; 16]);
    let (_, why) = refusal(hub.on_person_encodings_received(&received("LV", plain.to_json().unwrap())).await.unwrap());
    assert!(why.starts_with("body.schema.hardening"), "{why}");
    assert_eq!(audit_detail_count(&hub, "person_encodings_received", "").await, 0);
}
