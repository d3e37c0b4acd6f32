//! The transnational referral's pages and API in one instance (Dir 2011/36 Art 11(4)): the case
//! page's section and the preparation form showing field by field what is shared (the purpose's
//! minimum ticked and required, the rest opt-in), a refused input a 422 naming the field, the
//! preview and the submission; the focal point's page, returning to the draft with a note and
//! sending; 403 for the police and the API's roles not allowed, 404 for another country's
//! caseworker, the CSRF token required, every read audited, the pages in Latvian.

use crate::common::{START, Session, TestApp};
use axum::http::{Method, StatusCode};
use haven_app::admin::Acting;
use haven_app::exchange_peers::IdentitySetup;
use haven_exchange::{
    DirectoryEntry, EncryptionKeyPair, InstanceId, PeerRole, PublishedKey, SignedEntry, SigningKeyPair,
};
use serde_json::json;
use time::OffsetDateTime;

fn t(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap()
}

/// Makes this instance LV and pins EE's focal point (its keys from fixed seeds).
pub async fn pin_ee(app: &haven_app::App) {
    let setup = IdentitySetup {
        instance_id: "LV".into(),
        role: "national_focal_point".into(),
        endpoint: "https://lv.haven.example/exchange".into(),
    };
    app.instance_identity(Acting::Operator, Some(&setup)).await.unwrap();
    let signing = SigningKeyPair::from_seed(&[5; 32]);
    let encryption = EncryptionKeyPair::derive(&[6; 32]);
    let entry = DirectoryEntry {
        instance_id: InstanceId::parse("f", "EE").unwrap(),
        role: PeerRole::NationalFocalPoint,
        endpoint: "https://ee.haven.example/exchange".into(),
        sequence: 1,
        issued_at: t(START - 3600),
        signing_keys: vec![PublishedKey::new(signing.public_key(), t(START - 86_400))],
        encryption_keys: vec![PublishedKey::new(encryption.public_key(), t(START - 86_400))],
    };
    let json = SignedEntry::sign(&entry, &signing).unwrap().to_json();
    app.add_peer(Acting::Operator, &json, signing.key_id().as_str()).await.unwrap();
}

/// An adult exploited in Estonia, with names, a date of birth, a passport and a language.
pub fn olena() -> serde_json::Value {
    json!({
        "person": {
            "given_names": "Olena", "family_names": "Kovalenko", "sex": "female", "citizenships": ["UA"],
            "date_of_birth": "1990-03-04", "languages": ["uk"],
            "documents": [{"kind": "passport", "number": "FA123456", "issuing_country": "UA"}],
        },
        "context": {"forms": ["sexual"], "events": [{"kind": "exploitation", "country": "EE"}]},
    })
}

/// The preparation form as the caseworker fills it: onward support with the nationalities
/// added, on the adult's consent.
pub fn filled_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("purpose", "onward_support"),
        ("receiving_peer", "EE"),
        ("urgency", "urgent"),
        ("added_fields", "nationalities"),
        ("basis.kind", "consent"),
        ("basis.given_on", "2026-09-01"),
        ("basis.informed_in", "uk"),
        ("basis.informed_by", "caseworker with an interpreter"),
        ("needs", "accommodation"),
        ("needs", "psychological_support"),
    ]
}

struct World {
    t: TestApp,
    caseworker: Session,
    focal: Session,
    police: Session,
    ee_caseworker: Session,
    case: String,
}

async fn world() -> World {
    let t = TestApp::new().await;
    let ngo = t.org("Patvērums", "ngo", "LV").await;
    let ministry = t.org("Iekšlietu ministrija", "national_rapporteur", "LV").await;
    let police = t.org("Valsts policija", "police", "LV").await;
    let ee_ngo = t.org("Eesti NGO", "ngo", "EE").await;
    let mut sessions = Vec::new();
    for (name, org, role) in [
        ("caseworker", &ngo, "caseworker"),
        ("focal", &ministry, "focal_point"),
        ("officer", &police, "investigator"),
        ("ee.caseworker", &ee_ngo, "caseworker"),
    ] {
        let password = t.user(name, org, &[role]).await;
        sessions.push(t.login(name, &password).await);
    }
    let mut s = sessions.into_iter();
    let (caseworker, focal, police, ee_caseworker) =
        (s.next().unwrap(), s.next().unwrap(), s.next().unwrap(), s.next().unwrap());
    pin_ee(&t.app).await;
    let reply = t.call(Method::POST, "/api/v1/registrations", Some(&caseworker), Some(olena())).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let case = reply.json()["id"].as_str().unwrap().to_owned();
    World { t, caseworker, focal, police, ee_caseworker, case }
}

async fn audited(t: &TestApp, action: &str) -> i64 {
    t.app.store().count_unchecked(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await.unwrap()
}

fn location(reply: &crate::common::Reply) -> String {
    reply.headers.get("location").expect("a redirect").to_str().unwrap().to_owned()
}

#[tokio::test]
async fn art_11_4_dir_the_caseworker_prepares_field_by_field_and_the_focal_point_returns_and_sends() {
    let w = world().await;
    let t = &w.t;

    // The case page: the section and the link, for the case's caseworker only.
    let page = t.page(&format!("/cases/{}", w.case), Some(&w.caseworker)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"transnational\""), "{}", page.body);
    assert!(page.body.contains(&format!("/cases/{}/transnational/new", w.case)));
    assert!(page.body.contains("This case has no transnational referral."));

    // First the purpose; then the fields with the case's values, the minimum required.
    let first = t.page(&format!("/cases/{}/transnational/new", w.case), Some(&w.caseworker)).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(first.body.contains("id=\"tnr-purpose-form\""));
    let before = audited(t, "transnational_referral_read").await;
    let form =
        t.page(&format!("/cases/{}/transnational/new?purpose=onward_support", w.case), Some(&w.caseworker)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert_eq!(audited(t, "transnational_referral_read").await, before + 1, "showing the values is audited");
    assert!(form.body.contains("<option value=\"EE\""), "the pinned focal point is offered");
    for value in ["Olena", "Kovalenko", "1990-03-04", "uk", "UA"] {
        assert!(form.body.contains(value), "the value {value} is shown as it would be sent");
    }
    // given names: needed for onward support, ticked and not to be unticked; nationalities opt-in
    assert!(form.body.contains("id=\"field-given_names\" checked disabled"), "{}", form.body);
    assert!(form.body.contains("id=\"field-nationalities\" name=\"added_fields\" value=\"nationalities\">"));
    assert!(form.body.contains("needed for this purpose"));

    // A refused input: the form again, 422, the field named and what was typed kept.
    let mut bad = filled_form();
    bad.retain(|(k, _)| *k != "basis.given_on");
    bad.push(("basis.given_on", "2026-13-01"));
    let refused = t.form(&format!("/cases/{}/transnational/new", w.case), Some(&w.caseworker), &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("href=\"#basis.given_on\""), "{}", refused.body);
    assert!(refused.body.contains("Consent given on"), "the field's label");
    assert!(refused.body.contains("value=\"caseworker with an interpreter\""), "what was typed is kept");
    let mut no_peer = filled_form();
    no_peer.retain(|(k, _)| *k != "receiving_peer");
    no_peer.push(("receiving_peer", "FI"));
    let refused = t.form(&format!("/cases/{}/transnational/new", w.case), Some(&w.caseworker), &no_peer).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#receiving_peer\""), "{}", refused.body);

    // Prepared: the preview shows field by field what will be sent, then it is submitted.
    let prepared = t.form(&format!("/cases/{}/transnational/new", w.case), Some(&w.caseworker), &filled_form()).await;
    assert_eq!(prepared.status, StatusCode::SEE_OTHER, "{}", prepared.body);
    let at = location(&prepared);
    let id = at.trim_start_matches("/transnational/").to_owned();
    let preview = t.page(&at, Some(&w.caseworker)).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("Preview: what will be sent, field by field"));
    assert!(
        preview.body.contains("<td>Nationalities</td><td>UA</td><td>added by the caseworker</td>"),
        "{}",
        preview.body
    );
    assert!(!preview.body.contains("FA123456"), "a field not chosen is not shown as sent");
    assert!(preview.body.contains("id=\"tnr-submit\""));
    // The CSRF token is required.
    let forged = t
        .send(
            axum::http::Request::post(format!("/transnational/{id}/submit"))
                .header("host", "localhost")
                .header("cookie", &w.caseworker.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(axum::body::Body::from(""))
                .unwrap(),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    let submitted = t.form(&format!("/transnational/{id}/submit"), Some(&w.caseworker), &[]).await;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER, "{}", submitted.body);

    // Nobody else: the police (403), another country's caseworker (the case is not found).
    for path in [format!("/cases/{}/transnational/new?purpose=onward_support", w.case), format!("/transnational/{id}")]
    {
        let police = t.page(&path, Some(&w.police)).await;
        assert_eq!(police.status, StatusCode::FORBIDDEN, "{path}: {}", police.body);
        assert!(!police.body.contains("Olena"));
        let other = t.page(&path, Some(&w.ee_caseworker)).await;
        assert_eq!(other.status, StatusCode::NOT_FOUND, "{path}: {}", other.body);
        assert!(!other.body.contains("Olena"));
    }
    assert_eq!(t.page("/transnational", Some(&w.caseworker)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        t.form(&format!("/transnational/{id}/send"), Some(&w.caseworker), &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let api = t.call(Method::GET, &format!("/api/v1/transnational-referrals/{id}"), Some(&w.police), None).await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);

    // The focal point: waiting to be sent; returned with a note (422 without one), resubmitted.
    let list = t.page("/transnational", Some(&w.focal)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains("id=\"tnr-to-send\""), "{}", list.body);
    assert!(list.body.contains(&format!("/transnational/{id}")));
    let review = t.page(&format!("/transnational/{id}"), Some(&w.focal)).await;
    assert!(review.body.contains("id=\"tnr-send\"") && review.body.contains("id=\"tnr-return\""));
    let no_note = t.form(&format!("/transnational/{id}/return"), Some(&w.focal), &[("note", "")]).await;
    assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no_note.body);
    assert!(no_note.body.contains("href=\"#note\""), "{}", no_note.body);
    let returned =
        t.form(&format!("/transnational/{id}/return"), Some(&w.focal), &[("note", "Add the town she is in.")]).await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER, "{}", returned.body);
    let draft = t.page(&format!("/transnational/{id}"), Some(&w.caseworker)).await;
    assert!(draft.body.contains("data-state=\"draft\""));
    assert!(draft.body.contains("Add the town she is in."), "the note is shown to the caseworker");
    t.form(&format!("/transnational/{id}/submit"), Some(&w.caseworker), &[]).await;
    let sent = t.form(&format!("/transnational/{id}/send"), Some(&w.focal), &[]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let view = t.call(Method::GET, &format!("/api/v1/transnational-referrals/{id}"), Some(&w.focal), None).await;
    assert_eq!(view.status, StatusCode::OK);
    assert_eq!(view.json()["state"], "sent");
    assert_eq!(view.json()["body"]["person"]["nationalities"], json!(["UA"]));
    assert!(view.json()["body"]["person"].get("identity_documents").is_none());

    // The case page lists it, sent.
    let page = t.page(&format!("/cases/{}", w.case), Some(&w.caseworker)).await;
    assert!(page.body.contains("<tr data-state=\"sent\">"), "{}", page.body);
    assert!(audited(t, "transnational_referrals_listed").await >= 3);

    // In Latvian.
    for s in [&w.caseworker, &w.focal] {
        let switched = t.form("/account/language", Some(s), &[("language", "lv")]).await;
        assert!(switched.status.is_redirection() || switched.status.is_success());
    }
    let lv = t.page(&format!("/cases/{}/transnational/new?purpose=onward_support", w.case), Some(&w.caseworker)).await;
    assert!(lv.body.contains("Nododamie lauki") && lv.body.contains("nepieciešams šim mērķim"), "{}", lv.body);
    let lv = t.page("/transnational", Some(&w.focal)).await;
    assert!(lv.body.contains("Starptautiskie nosūtījumi") && lv.body.contains("Gaida nosūtīšanu"), "{}", lv.body);
    let lv = t.page(&format!("/transnational/{id}"), Some(&w.focal)).await;
    assert!(lv.body.contains("Nosūtīts") && lv.body.contains("Vēsture"), "{}", lv.body);
}

#[tokio::test]
async fn the_api_prepares_and_names_the_field_at_fault() {
    let w = world().await;
    let t = &w.t;
    let base = format!("/api/v1/cases/{}/transnational-referrals", w.case);
    let preparation = t
        .call(Method::GET, &format!("/api/v1/cases/{}/transnational-preparation", w.case), Some(&w.caseworker), None)
        .await;
    assert_eq!(preparation.status, StatusCode::OK, "{}", preparation.body);
    assert_eq!(preparation.json()["peers"], json!(["EE"]));
    let body = json!({"purpose": "onward_support", "receiving_peer": "EE", "basis": {"kind": "consent",
        "given_on": "2026-09-01", "informed_in": "uk", "informed_by": "caseworker"}});
    let mut bad = body.clone();
    bad["purpose"] = json!("holiday");
    let refused = t.call(Method::POST, &base, Some(&w.caseworker), Some(bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert_eq!(refused.json()["error"]["field"], "purpose");
    let refused = t.call(Method::POST, &base, Some(&w.caseworker), Some(json!({"purpose": 7}))).await;
    assert!(refused.status.is_client_error(), "{}", refused.body);
    let created = t.call(Method::POST, &base, Some(&w.caseworker), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(created.json()["shared"][0]["value"], "Olena");
    let list = t.call(Method::GET, &base, Some(&w.caseworker), None).await;
    assert_eq!(list.json().as_array().map(Vec::len), Some(1));
    let submitted =
        t.call(Method::POST, &format!("/api/v1/transnational-referrals/{id}/submit"), Some(&w.caseworker), None).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    assert_eq!(submitted.json()["state"], "submitted");
    let returned = t
        .call(Method::POST, &format!("/api/v1/transnational-referrals/{id}/return"), Some(&w.focal), Some(json!({})))
        .await;
    assert!(returned.status.is_client_error(), "{}", returned.body);
    let returned = t
        .call(
            Method::POST,
            &format!("/api/v1/transnational-referrals/{id}/return"),
            Some(&w.focal),
            Some(json!({"note": "The consent's day?"})),
        )
        .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.body);
    assert_eq!(returned.json()["state"], "draft");
    let lists = t.call(Method::GET, "/api/v1/transnational-referrals", Some(&w.focal), None).await;
    assert_eq!(lists.status, StatusCode::OK);
    // Back in the draft, it is the caseworker's again: not on the focal point's list.
    assert_eq!(lists.json()["outgoing"].as_array().map(Vec::len), Some(0));
    for (who, status) in [(&w.caseworker, StatusCode::FORBIDDEN), (&w.police, StatusCode::FORBIDDEN)] {
        let r = t.call(Method::GET, "/api/v1/transnational-referrals", Some(who), None).await;
        assert_eq!(r.status, status);
    }
    let denied = t.call(Method::GET, &base, Some(&w.police), None).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    // Nothing was received here: a decision on this one is not the receiving focal point's.
    let decided = t
        .call(
            Method::POST,
            &format!("/api/v1/transnational-referrals/{id}/decision"),
            Some(&w.focal),
            Some(json!({"decision": "accept"})),
        )
        .await;
    assert_eq!(decided.status, StatusCode::FORBIDDEN, "{}", decided.body);
}

/// The preparation form with `name` set to `value` instead.
fn form_with(name: &'static str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut form = filled_form();
    form.retain(|(k, _)| *k != name);
    form.push((name, value));
    form
}

/// Who posts, where, what, the field named, the Latvian sentence said and the English one not.
type RefusedPost<'a> = (&'a Session, &'a str, Vec<(&'a str, &'a str)>, &'a str, &'a str, &'a str);

/// What the exchange's use cases refuse on the preparation form and on the cross-border count's
/// page is said to a Latvian reader in Latvian, the field named, never in English.
#[tokio::test]
async fn what_the_referral_and_the_cross_border_count_refuse_is_said_in_latvian() {
    let w = world().await;
    let t = &w.t;
    for s in [&w.caseworker, &w.focal] {
        let switched = t.form("/account/language", Some(s), &[("language", "lv")]).await;
        assert!(switched.status.is_redirection(), "{}", switched.body);
    }
    let prepare = format!("/cases/{}/transnational/new", w.case);
    let mut information = form_with("purpose", "information_request");
    information.extend([("information_kind", "gossip"), ("questions", "Where is her family?")]);
    let secret = "c2VjcmV0IHNoYXJlZCBieSB0aGUgZm9jYWwgcG9pbnRzISE=";
    let posts: Vec<RefusedPost<'_>> = vec![
        (
            &w.caseworker,
            &prepare,
            form_with("urgency", "whenever"),
            "urgency",
            "parasts, steidzams vai neatliekams",
            "routine, urgent or immediate",
        ),
        (
            &w.caseworker,
            &prepare,
            form_with("receiving_peer", "FI"),
            "receiving_peer",
            "nav piesaistīts citas valsts kontaktpunkts",
            "not a pinned national focal point",
        ),
        (
            &w.caseworker,
            &prepare,
            information,
            "information_kind",
            "informācijas pieprasījums vai ģimenes meklēšana",
            "information or family_tracing",
        ),
        (
            &w.focal,
            "/peers/persons/secret",
            vec![("generation", "two words"), ("secret", secret)],
            "generation",
            "no 1 līdz 32 burtiem, cipariem, defisēm vai apakšsvītrām",
            "1 to 32 letters",
        ),
        (
            &w.focal,
            "/peers/persons/secret",
            vec![("generation", "2026-1"), ("secret", "c2hvcnQ=")],
            "secret",
            "vismaz 32 baiti",
            "at least 32 bytes",
        ),
        (
            &w.focal,
            "/peers/persons/secret",
            vec![("generation", "2026-1"), ("secret", "not base64!")],
            "secret",
            "nav standarta base64 kodējumā",
            "is not standard base64",
        ),
        (
            &w.focal,
            "/peers/persons/encodings",
            vec![("year", "2026")],
            "secret",
            "kopīgs noslēpums nav saglabāts",
            "no shared secret is stored",
        ),
    ];
    for (who, path, fields, field, latvian, english) in &posts {
        let refused = t.form(path, Some(who), fields).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {field}: {}", refused.body);
        assert!(
            refused.body.contains(&format!("href=\"#{field}\""))
                || refused.body.contains(&format!("id=\"err-{field}\"")),
            "{path}: the field {field} is named: {}",
            refused.body
        );
        assert!(refused.body.contains(latvian), "{path} {field}: the Latvian sentence: {}", refused.body);
        assert!(!refused.body.contains(english), "{path} {field}: no English: {}", refused.body);
    }
    // A conflict is said in Latvian too: a secret generation stored a second time.
    let stored = t.form("/peers/persons/secret", Some(&w.focal), &[("generation", "lv-1"), ("secret", secret)]).await;
    assert!(stored.status.is_success() || stored.status.is_redirection(), "{}", stored.body);
    let again = t.form("/peers/persons/secret", Some(&w.focal), &[("generation", "lv-1"), ("secret", secret)]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.body.contains("noslēpuma paaudze lv-1 jau ir saglabāta"), "{}", again.body);
    assert!(!again.body.contains("is stored already"), "{}", again.body);
    // The API keeps the English sentence, the field named.
    let api = t
        .call(
            Method::POST,
            &format!("/api/v1/cases/{}/transnational-referrals", w.case),
            Some(&w.caseworker),
            Some(json!({"purpose": "onward_support", "receiving_peer": "EE", "urgency": "whenever"})),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    assert_eq!(api.json()["error"]["field"], "urgency");
}
