//! The victim's lawyer through HTTP (Dir 2011/36 Art 12(2); Dir 2012/29 Art 20): the case's
//! caseworker records the lawyer on the case page and through the API; the lawyer reads, in the
//! API and on its pages, the victim's view of the linked investigation and never a suspect's
//! name; after revocation 404; the caseworker still learns only "involved in proceedings: yes";
//! the investigating unit is unaffected; the pages in Latvian; bad input a 422 naming the field.

use crate::common::{Reply, Session, TestApp};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

/// The suspect's name: it must never reach the lawyer.
const SUSPECT: &str = "Ruslans Kazimirovs";

struct World {
    t: TestApp,
    officer: Session,
    caseworker: Session,
    lawyer: Session,
    other_lawyer: Session,
    lawyer_id: String,
    case: String,
    case_reference: String,
    investigation: String,
}

fn expect(reply: &Reply, status: StatusCode, what: &str) -> Value {
    assert_eq!(reply.status, status, "{what}: {}", reply.body);
    if reply.body.is_empty() { Value::Null } else { reply.json() }
}

async fn world() -> World {
    let t = TestApp::new().await;
    let police = t.org("Valsts policija", "police", "LV").await;
    let prosecution = t.org("Ģenerālprokuratūra", "prosecution", "LV").await;
    let ngo = t.org("Biedrība Patvērums", "ngo", "LV").await;
    let legal_aid = t.org("Juridiskās palīdzības birojs", "ngo", "LV").await;
    let mut sessions = Vec::new();
    for (name, org, role) in [
        ("officer", &police, "investigator"),
        ("caseworker", &ngo, "caseworker"),
        ("lawyer", &legal_aid, "victim_lawyer"),
        ("other.lawyer", &legal_aid, "victim_lawyer"),
    ] {
        let password = t.user(name, org, &[role]).await;
        sessions.push(t.login(name, &password).await);
    }
    let mut s = sessions.into_iter();
    let (officer, caseworker, lawyer, other_lawyer) =
        (s.next().unwrap(), s.next().unwrap(), s.next().unwrap(), s.next().unwrap());
    let lawyer_id = t.app.store().user_by_username("lawyer").await.unwrap().id;
    let reply = t
        .call(
            Method::POST,
            "/api/v1/registrations",
            Some(&caseworker),
            Some(json!({"person": {"given_names": "Ilze", "family_names": "Ozoliņa", "sex": "female"}})),
        )
        .await;
    let case = expect(&reply, StatusCode::CREATED, "registration")["id"].as_str().unwrap().to_owned();
    let case_reference = t.app.store().case(&case).await.unwrap().reference;
    let reply = t
        .call(
            Method::POST,
            &format!("/api/v1/cases/{case}/shares"),
            Some(&caseworker),
            Some(json!({"organisation_id": police, "compartments": ["identity"]})),
        )
        .await;
    expect(&reply, StatusCode::NO_CONTENT, "share");
    let opening = json!({
        "reference": "11816000999", "prosecutor_organisation_id": prosecution, "opened_on": "2026-09-01",
        "opening": "ex_officio",
        "offences": [{"kind": "trafficking", "forms": ["forced_labour"], "national_provision": "Criminal Law s. 154.1(2)"}],
        "places": [{"country": "LV", "locality": "Bauska"}],
        "summary": format!("Workers recruited by {SUSPECT} for strawberry picking.")
    });
    let reply = t.call(Method::POST, "/api/v1/investigations", Some(&officer), Some(opening)).await;
    let investigation = expect(&reply, StatusCode::CREATED, "open")["investigation"]["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/investigations/{investigation}");
    let reply = t.call(Method::POST, &format!("{base}/victims"), Some(&officer), Some(json!({"case_id": case}))).await;
    expect(&reply, StatusCode::CREATED, "link");
    let suspect = json!({"kind": "natural", "name": SUSPECT, "roles": ["recruiter"],
        "citizenship": "LV", "sex": "male", "age_group": "35_44"});
    let reply = t.call(Method::POST, &format!("{base}/suspects"), Some(&officer), Some(suspect)).await;
    expect(&reply, StatusCode::CREATED, "suspect");
    let measure = json!({"case_id": case, "measure": "no_visual_contact", "status": "applied", "on": "2026-09-10"});
    let reply = t.call(Method::POST, &format!("{base}/protection-measures"), Some(&officer), Some(measure)).await;
    assert!(reply.status.is_success(), "measure: {}", reply.body);
    World { t, officer, caseworker, lawyer, other_lawyer, lawyer_id, case, case_reference, investigation }
}

impl World {
    async fn get(&self, s: &Session, path: &str) -> Reply {
        self.t.call(Method::GET, path, Some(s), None).await
    }

    async fn post(&self, s: &Session, path: &str, body: Value) -> Reply {
        self.t.call(Method::POST, path, Some(s), Some(body)).await
    }

    fn representation(&self) -> Value {
        json!({"lawyer_user_id": self.lawyer_id, "from_on": "2026-09-15", "consent_given": true,
            "consent_on": "2026-09-14", "consent_note": "Signed authorisation"})
    }
}

#[tokio::test]
async fn art_12_2_dir_the_lawyer_reads_the_victims_view_in_the_api_and_no_suspect_then_nothing_once_revoked() {
    let w = world().await;
    let path = format!("/api/v1/cases/{}/representations", w.case);
    // Before a representation: nothing for the lawyer.
    expect(&w.get(&w.lawyer, &format!("/api/v1/representations/{}", w.case)).await, StatusCode::NOT_FOUND, "before");
    let recorded = expect(&w.post(&w.caseworker, &path, w.representation()).await, StatusCode::CREATED, "record");
    let representation_id = recorded["id"].as_str().unwrap().to_owned();
    assert_eq!(recorded["in_force"], true);

    let list = expect(&w.get(&w.lawyer, "/api/v1/representations").await, StatusCode::OK, "list");
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["case_id"], w.case.as_str());
    let reply = w.get(&w.lawyer, &format!("/api/v1/representations/{}", w.case)).await;
    let view = expect(&reply, StatusCode::OK, "victim's view");
    let inv = &view["investigations"][0];
    assert_eq!(inv["investigation_id"], w.investigation.as_str());
    assert_eq!(inv["reference"], "11816000999");
    assert_eq!(inv["status"], "open");
    assert_eq!(inv["offences"][0]["kind"], "trafficking");
    assert!(
        inv["protection"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["measure"] == "no_visual_contact" && m["status"] == "applied")
    );
    for secret in [SUSPECT, "Ruslans", "Kazimirovs", "strawberry"] {
        assert!(!reply.body.contains(secret), "the victim's view shows {secret}: {}", reply.body);
    }
    // Another lawyer: not found; the investigating unit and the caseworker: not their route.
    let other = format!("/api/v1/representations/{}", w.case);
    expect(&w.get(&w.other_lawyer, &other).await, StatusCode::NOT_FOUND, "other lawyer");
    expect(&w.get(&w.officer, &other).await, StatusCode::FORBIDDEN, "investigator");
    expect(&w.get(&w.caseworker, &other).await, StatusCode::FORBIDDEN, "caseworker");
    // The lawyer reads no part of the case nor the investigation.
    expect(&w.get(&w.lawyer, &format!("/api/v1/cases/{}", w.case)).await, StatusCode::FORBIDDEN, "case");
    expect(
        &w.get(&w.lawyer, &format!("/api/v1/investigations/{}", w.investigation)).await,
        StatusCode::FORBIDDEN,
        "inv",
    );

    // Revoked: the lawyer gets 404 and an empty list.
    let revoke = format!("{path}/{representation_id}/revoke");
    let revoked = expect(&w.post(&w.caseworker, &revoke, json!({"reason": ""})).await, StatusCode::OK, "revoke");
    assert_eq!(revoked["in_force"], false);
    expect(&w.get(&w.lawyer, &format!("/api/v1/representations/{}", w.case)).await, StatusCode::NOT_FOUND, "after");
    let list = expect(&w.get(&w.lawyer, "/api/v1/representations").await, StatusCode::OK, "list after");
    assert!(list.as_array().unwrap().is_empty());
    expect(&w.post(&w.caseworker, &revoke, json!({})).await, StatusCode::NOT_FOUND, "revoked twice");
}

#[tokio::test]
async fn the_caseworker_still_sees_involvement_only_and_the_unit_is_unaffected() {
    let w = world().await;
    let path = format!("/api/v1/cases/{}/representations", w.case);
    expect(&w.post(&w.caseworker, &path, w.representation()).await, StatusCode::CREATED, "record");
    let involvement = format!("/api/v1/cases/{}/proceedings-involvement", w.case);
    let seen = expect(&w.get(&w.caseworker, &involvement).await, StatusCode::OK, "involvement");
    assert_eq!(seen, json!({"view": "involvement_only", "involved": true}));
    expect(
        &w.get(&w.caseworker, &format!("/api/v1/investigations/{}", w.investigation)).await,
        StatusCode::FORBIDDEN,
        "inv",
    );
    let view = expect(
        &w.get(&w.officer, &format!("/api/v1/investigations/{}", w.investigation)).await,
        StatusCode::OK,
        "the unit reads its investigation",
    );
    assert_eq!(view["suspects"][0]["suspect"]["name"], SUSPECT);
    // The case page shows the caseworker the lawyer, and the lawyer's form; the involvement
    // stays a yes.
    let page = w.t.page(&format!("/cases/{}", w.case), Some(&w.caseworker)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"representation\""), "{}", page.body);
    assert!(page.body.contains("id=\"proceedings-involvement\""));
    assert!(!page.body.contains("11816000999"), "the caseworker never sees which investigation");
    // The investigator reads the case (shared for its identity) without the lawyer's section.
    let page = w.t.page(&format!("/cases/{}", w.case), Some(&w.officer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("id=\"representation\""));
}

#[tokio::test]
async fn the_pages_record_the_lawyer_and_show_the_lawyer_the_victims_view_in_latvian() {
    let w = world().await;
    // Recorded through the case page's form.
    let form = format!("/cases/{}/representations", w.case);
    let reply =
        w.t.form(
            &form,
            Some(&w.caseworker),
            &[
                ("lawyer_user_id", &w.lawyer_id),
                ("consent_given", "true"),
                ("consent_on", "2026-09-14"),
                ("from_on", "2026-09-15"),
                ("consent_note", ""),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    // Without the consent ticked: 422 naming the field.
    let reply =
        w.t.form(
            &form,
            Some(&w.caseworker),
            &[("lawyer_user_id", &w.lawyer_id), ("consent_on", "2026-09-14"), ("from_on", "2026-09-15")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    // The lawyer's pages: the list and the victim's view, without the suspect.
    let list = w.t.page("/representations", Some(&w.lawyer)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(&w.case_reference), "{}", list.body);
    let page = w.t.page(&format!("/representations/{}", w.case), Some(&w.lawyer)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("11816000999"));
    assert!(!page.body.contains(SUSPECT) && !page.body.contains("Kazimirovs"), "{}", page.body);
    let other = w.t.page(&format!("/representations/{}", w.case), Some(&w.other_lawyer)).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    // In Latvian.
    let reply = w.t.form("/account/language", Some(&w.lawyer), &[("language", "lv")]).await;
    assert!(reply.status.is_redirection(), "{}", reply.body);
    let page = w.t.page(&format!("/representations/{}", w.case), Some(&w.lawyer)).await;
    assert!(page.body.contains("Upura skats uz kriminālprocesu"), "{}", page.body);
    // The case page's form asks for the consent, and a bad input names the field.
    let bad = w
        .post(
            &w.caseworker,
            &format!("/api/v1/cases/{}/representations", w.case),
            json!({
        "lawyer_user_id": w.lawyer_id, "from_on": "2026-09-15", "consent_given": true, "consent_on": "tomorrow"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(bad.json()["error"]["field"], "consent_on");
}
