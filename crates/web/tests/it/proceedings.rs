//! The proceedings compartment through HTTP: the JSON API and the pages of investigations,
//! suspects, charges, decisions, judgments, appeals and non-punishment notices; the compartment
//! closed both ways (support organisations never reach a proceedings route, police never a
//! support record); bad input a 4xx naming the field; the pages in Latvian; CSRF on the forms.

use crate::common::{Reply, Session, TestApp};
use axum::http::{Method, StatusCode};
use haven_domain::Coded;
use haven_web::routes::ROUTES;
use serde_json::{Value, json};

const NIL: &str = "00000000-0000-0000-0000-000000000000";

struct World {
    t: TestApp,
    police: String,
    prosecution: String,
    officer: Session,
    prosecutor: Session,
    caseworker: Session,
    /// A caseworker of another NGO, to whom nothing was shared.
    stranger: Session,
    /// A police officer of another unit of the same country.
    other_unit: Session,
    /// The NGO's case, its identity shared with the police.
    case: String,
}

async fn world() -> World {
    let t = TestApp::new().await;
    let police = t.org("Valsts policija", "police", "LV").await;
    let prosecution = t.org("Ģenerālprokuratūra", "prosecution", "LV").await;
    let ngo = t.org("Biedrība Patvērums", "ngo", "LV").await;
    let other_ngo = t.org("Cita biedrība", "ngo", "LV").await;
    let other_police = t.org("Reģionālā policija", "police", "LV").await;
    let mut sessions = Vec::new();
    for (name, org, role) in [
        ("officer", &police, "investigator"),
        ("prosecutor", &prosecution, "investigator"),
        ("caseworker", &ngo, "caseworker"),
        ("stranger", &other_ngo, "caseworker"),
        ("other.unit", &other_police, "investigator"),
    ] {
        let password = t.user(name, org, &[role]).await;
        sessions.push(t.login(name, &password).await);
    }
    let mut s = sessions.into_iter();
    let (officer, prosecutor, caseworker, stranger, other_unit) =
        (s.next().unwrap(), s.next().unwrap(), s.next().unwrap(), s.next().unwrap(), s.next().unwrap());
    let reply = t
        .call(
            Method::POST,
            "/api/v1/registrations",
            Some(&caseworker),
            Some(json!({"person": {"given_names": "Ilze", "family_names": "Ozoliņa", "sex": "female"}})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let case = reply.json()["id"].as_str().unwrap().to_owned();
    let reply = t
        .call(
            Method::POST,
            &format!("/api/v1/cases/{case}/shares"),
            Some(&caseworker),
            Some(json!({"organisation_id": police, "compartments": ["identity"]})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    World { t, police, prosecution, officer, prosecutor, caseworker, stranger, other_unit, case }
}

fn opening(prosecution: &str) -> Value {
    json!({
        "reference": "11816000123", "prosecutor_organisation_id": prosecution, "opened_on": "2026-09-01",
        "opening": "report", "reporter": "victim", "reported_on": "2026-08-30",
        "offences": [{"kind": "trafficking", "forms": ["forced_labour"], "national_provision": "Criminal Law s. 154.1(2)"}],
        "places": [{"country": "LV", "locality": "Bauska"}], "other_countries": ["EE"],
        "summary": "Workers recruited for strawberry picking, documents taken."
    })
}

fn suspect(name: &str, case_id: &str) -> Value {
    json!({"kind": "natural", "name": name, "case_id": case_id, "roles": ["recruiter", "exploiter"],
        "citizenship": "LV", "sex": "male", "age_group": "35_44"})
}

/// The suspect of an investigation's view by name (the order is the store's).
fn named<'a>(view: &'a Value, name: &str) -> &'a Value {
    view["suspects"].as_array().unwrap().iter().find(|s| s["suspect"]["name"] == name).unwrap()
}

fn expect(reply: &Reply, status: StatusCode, what: &str) -> Value {
    assert_eq!(reply.status, status, "{what}: {}", reply.body);
    if reply.body.is_empty() { Value::Null } else { reply.json() }
}

fn assert_field(reply: &Reply, field: &str) {
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", reply.body);
    assert_eq!(reply.json()["error"]["field"], field, "{}", reply.body);
}

impl World {
    async fn post(&self, s: &Session, path: &str, body: Value) -> Reply {
        self.t.call(Method::POST, path, Some(s), Some(body)).await
    }

    async fn get(&self, s: &Session, path: &str) -> Reply {
        self.t.call(Method::GET, path, Some(s), None).await
    }

    /// An investigation opened by the officer's unit with the prosecutor's office named.
    async fn investigation(&self) -> String {
        let reply = self.post(&self.officer, "/api/v1/investigations", opening(&self.prosecution)).await;
        expect(&reply, StatusCode::CREATED, "open")["investigation"]["id"].as_str().unwrap().to_owned()
    }
}

#[tokio::test]
async fn art_9_1_dir_an_investigation_through_the_api_goes_on_when_the_victim_withdraws() {
    let w = world().await;
    let id = w.investigation().await;
    let base = format!("/api/v1/investigations/{id}");
    // The unit and the prosecutor's office list and read it; another unit does not know it.
    for s in [&w.officer, &w.prosecutor] {
        let list = expect(&w.get(s, "/api/v1/investigations").await, StatusCode::OK, "list");
        assert_eq!(list[0]["id"], id.as_str());
        assert_eq!(list[0]["status"], "open");
        assert_eq!(list[0]["offences"], json!(["trafficking"]));
    }
    assert_eq!(expect(&w.get(&w.other_unit, "/api/v1/investigations").await, StatusCode::OK, "list"), json!([]));
    assert_eq!(w.get(&w.other_unit, &base).await.status, StatusCode::NOT_FOUND);
    let view = expect(&w.get(&w.officer, &base).await, StatusCode::OK, "read");
    assert_eq!(view["investigation"]["opening"], "report");
    assert_eq!(view["actions"], json!({"read": true, "write": true, "prosecute": false}));
    let view = expect(&w.get(&w.prosecutor, &base).await, StatusCode::OK, "read");
    assert_eq!(view["actions"]["prosecute"], true);
    // The victim withdraws: recorded, and the investigation goes on as it was.
    let reply = w.post(&w.officer, &format!("{base}/report-withdrawal"), json!({"withdrawn_on": "2026-09-10"})).await;
    let said = expect(&reply, StatusCode::OK, "withdrawal");
    assert!(said["message"].as_str().unwrap().contains("goes on"), "{said}");
    assert_eq!(said["investigation"]["investigation"]["status"], "open");
    assert_eq!(said["investigation"]["investigation"]["report"]["withdrawn_on"], "2026-09-10");
    // No closure on the withdrawal, whatever it is called; a real ground closes it.
    let reply =
        w.post(&w.officer, &format!("{base}/status"), json!({"status": "closed", "closure": "victim_withdrew"})).await;
    assert_field(&reply, "closure");
    assert!(reply.body.contains("Art 9(1)"), "{}", reply.body);
    let reply = w.post(&w.officer, &format!("{base}/status"), json!({"status": "with_prosecutor"})).await;
    assert_eq!(expect(&reply, StatusCode::OK, "status")["investigation"]["status"], "with_prosecutor");
    // Every read and write was audited as proceedings.
    let entries = w.t.app.store().audit_entries(0, 10_000).await.unwrap();
    let actions: Vec<String> = entries.iter().map(|e| e.event.action.code().to_owned()).collect();
    assert!(actions.iter().filter(|a| *a == "proceedings_written").count() >= 3, "{actions:?}");
    assert!(actions.iter().any(|a| a == "proceedings_read"), "{actions:?}");
}

#[tokio::test]
async fn art_8_dir_the_notice_on_every_api_path_and_the_prosecutor_decides_it_before_prosecuting() {
    let w = world().await;
    let id = w.investigation().await;
    let base = format!("/api/v1/investigations/{id}");
    // A new suspect naming a registered victim's case: the notice.
    let view = expect(
        &w.post(&w.officer, &format!("{base}/suspects"), suspect("Ilze Ozoliņa", &w.case)).await,
        StatusCode::CREATED,
        "suspect",
    );
    let s0 = &view["suspects"][0];
    let sid = s0["suspect"]["id"].as_str().unwrap().to_owned();
    let notice = &s0["notices"][0]["notice"];
    assert_eq!((notice["path"].as_str(), notice["standing"].as_str()), (Some("new_suspect"), Some("registered")));
    let notice_id = notice["id"].as_str().unwrap().to_owned();
    // Imported, and linked later: the notice on those paths too.
    let reply = w
        .post(&w.officer, &format!("{base}/suspects/import"), json!({"suspects": [suspect("Ilze O.", &w.case)]}))
        .await;
    let view = expect(&reply, StatusCode::CREATED, "import");
    assert_eq!(named(&view, "Ilze O.")["notices"][0]["notice"]["path"], "import");
    let view = expect(
        &w.post(&w.officer, &format!("{base}/suspects"), suspect("I. O.", "")).await,
        StatusCode::CREATED,
        "suspect",
    );
    let later = named(&view, "I. O.")["suspect"]["id"].as_str().unwrap().to_owned();
    assert_eq!(named(&view, "I. O.")["notices"], json!([]));
    let reply =
        w.post(&w.officer, &format!("{base}/suspect-links"), json!({"suspect_id": later, "case_id": w.case})).await;
    assert_eq!(
        named(&expect(&reply, StatusCode::OK, "link"), "I. O.")["notices"][0]["notice"]["path"],
        "linked_person"
    );
    // A charge; the prosecutor may not indict before deciding on the notice.
    let charge = json!({"suspect_id": sid, "offence": "trafficking", "national_provision": "Criminal Law s. 154.1(3)",
        "circumstances": ["criminal_organisation"], "charged_on": "2026-09-15"});
    let view = expect(&w.post(&w.officer, &format!("{base}/charges"), charge).await, StatusCode::CREATED, "charge");
    let record = &named(&view, "Ilze Ozoliņa")["records"][0];
    assert_eq!(record["kind"], "charge", "the only record yet");
    assert_eq!(record["warnings"], json!([]), "Latvia meets both floors");
    let indict = json!({"suspect_id": sid, "outcome": "indicted"});
    let reply = w.post(&w.prosecutor, &format!("{base}/prosecution-decisions"), indict.clone()).await;
    assert_field(&reply, "outcome");
    assert!(reply.body.contains("non-punishment"), "{}", reply.body);
    // The unit does not decide on the notice or on prosecution: the prosecutor's office does.
    let decision =
        json!({"notice_id": notice_id, "outcome": "not_compelled", "reasons": "Acts outside the exploitation."});
    assert_eq!(
        w.post(&w.officer, &format!("{base}/notice-decisions"), decision.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.post(&w.officer, &format!("{base}/prosecution-decisions"), indict.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let view = expect(
        &w.post(&w.prosecutor, &format!("{base}/notice-decisions"), decision.clone()).await,
        StatusCode::OK,
        "notice decided",
    );
    assert_eq!(named(&view, "Ilze Ozoliņa")["notices"][0]["notice"]["decision"]["outcome"], "not_compelled");
    // Once only.
    assert_field(&w.post(&w.prosecutor, &format!("{base}/notice-decisions"), decision).await, "outcome");
    expect(
        &w.post(&w.prosecutor, &format!("{base}/prosecution-decisions"), indict).await,
        StatusCode::CREATED,
        "indicted",
    );
    // A judgment with its sentence, an appeal, never of a final judgment.
    let judgment = json!({"suspect_id": sid, "court": "Rīgas pilsētas tiesa", "instance": "first", "verdict": "convicted",
        "judged_on": "2026-09-21", "custody_months": 96});
    let view =
        expect(&w.post(&w.officer, &format!("{base}/judgments"), judgment).await, StatusCode::CREATED, "judgment");
    let records = named(&view, "Ilze Ozoliņa")["records"].as_array().unwrap().clone();
    let judgment = records.iter().find(|r| r["kind"] == "judgment").unwrap();
    assert_eq!(judgment["judgment"]["sentence"], json!({"custody_months": 96, "suspended": false}));
    let judgment_id = judgment["judgment"]["id"].as_str().unwrap().to_owned();
    let appeal = json!({"judgment_id": judgment_id, "appellant": "defence", "lodged_on": "2026-09-21"});
    let view = expect(&w.post(&w.officer, &format!("{base}/appeals"), appeal).await, StatusCode::CREATED, "appeal");
    let records = named(&view, "Ilze Ozoliņa")["records"].as_array().unwrap().clone();
    assert_eq!(records.iter().filter(|r| r["kind"] == "appeal").count(), 1);
}

#[tokio::test]
async fn bad_input_to_the_proceedings_api_is_a_422_naming_the_field() {
    let w = world().await;
    let mut body = opening(&w.prosecution);
    body["reference"] = json!(" ");
    assert_field(&w.post(&w.officer, "/api/v1/investigations", body).await, "reference");
    let mut body = opening(&w.prosecution);
    body["offences"][0]["forms"] = json!([]);
    assert_field(&w.post(&w.officer, "/api/v1/investigations", body).await, "offences[0].forms");
    let mut body = opening(&w.prosecution);
    body["prosecutor_organisation_id"] = json!(w.police);
    assert_field(&w.post(&w.officer, "/api/v1/investigations", body).await, "prosecutor_organisation_id");
    let mut body = opening(&w.prosecution);
    body["opening"] = json!("ex_officio");
    assert_field(&w.post(&w.officer, "/api/v1/investigations", body).await, "reporter");
    // A mistyped body is a 400 naming the field; an unknown one too.
    let reply = w.post(&w.officer, "/api/v1/investigations", json!({"offences": "trafficking"})).await;
    assert_eq!((reply.status, reply.json()["error"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("offences")));
    let reply = w.post(&w.officer, "/api/v1/investigations", json!({"victim_report": true})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let id = w.investigation().await;
    let base = format!("/api/v1/investigations/{id}");
    let mut s = suspect("A. K.", "");
    s["roles"] = json!([]);
    assert_field(&w.post(&w.officer, &format!("{base}/suspects"), s).await, "roles");
    let mut company = suspect("SIA Darbs", "");
    company["kind"] = json!("legal");
    assert_field(&w.post(&w.officer, &format!("{base}/suspects"), company).await, "sex");
    assert_field(&w.post(&w.officer, &format!("{base}/suspects"), suspect("A. K.", NIL)).await, "case_id");
    let mut bad = suspect("B. L.", "");
    bad["roles"] = json!(["banker"]);
    let reply =
        w.post(&w.officer, &format!("{base}/suspects/import"), json!({"suspects": [suspect("A. K.", ""), bad]})).await;
    assert_field(&reply, "suspects[1].roles");
    // Nothing of the refused file was written.
    let view = expect(&w.get(&w.officer, &base).await, StatusCode::OK, "read");
    assert_eq!(view["suspects"], json!([]));
    let charge = json!({"suspect_id": NIL, "offence": "trafficking", "national_provision": "s. 154.1", "charged_on": "2026-09-15"});
    assert_field(&w.post(&w.officer, &format!("{base}/charges"), charge).await, "suspect_id");
    assert_field(&w.post(&w.officer, &format!("{base}/victims"), json!({"case_id": "not-a-case"})).await, "case_id");
    assert_field(&w.post(&w.officer, &format!("{base}/status"), json!({"status": "archived"})).await, "status");
    assert_field(
        &w.post(&w.officer, &format!("{base}/report-withdrawal"), json!({"withdrawn_on": "2027-01-01"})).await,
        "withdrawn_on",
    );
    let reply = w.post(&w.officer, &format!("{base}/suspects"), suspect("A. K.", "")).await;
    let sid =
        expect(&reply, StatusCode::CREATED, "suspect")["suspects"][0]["suspect"]["id"].as_str().unwrap().to_owned();
    let charge = json!({"suspect_id": sid, "offence": "use_of_services", "national_provision": "s. 164.1", "charged_on": "2026-09-15"});
    assert_field(&w.post(&w.officer, &format!("{base}/charges"), charge).await, "offence");
    let judgment = json!({"suspect_id": sid, "court": "Tiesa", "instance": "first", "verdict": "convicted", "judged_on": "2026-09-20"});
    assert_field(&w.post(&w.officer, &format!("{base}/judgments"), judgment).await, "verdict");
    let appeal = json!({"judgment_id": NIL, "appellant": "victim", "lodged_on": "2026-09-21"});
    assert_field(&w.post(&w.officer, &format!("{base}/appeals"), appeal).await, "judgment_id");
    let decision = json!({"notice_id": NIL, "outcome": "not_prosecuted", "reasons": "x"});
    assert_field(&w.post(&w.prosecutor, &format!("{base}/notice-decisions"), decision).await, "notice_id");
    let decision = json!({"suspect_id": sid, "outcome": "not_prosecuted"});
    assert_field(&w.post(&w.prosecutor, &format!("{base}/prosecution-decisions"), decision).await, "reasons");
}

/// Every proceedings route of the table, for the user `s`, on a real investigation: its status.
async fn every_proceedings_route(w: &World, s: &Session, id: &str) -> Vec<(String, StatusCode)> {
    let mut out = Vec::new();
    for route in ROUTES.iter().filter(|r| r.path.contains("/investigations")) {
        let uri = route.path.replace("{id}", id);
        let method = Method::from_bytes(route.method.as_bytes()).unwrap();
        let reply = if route.api {
            let body = (method != Method::GET).then(|| match route.path {
                "/api/v1/investigations" => opening(""),
                _ => json!({}),
            });
            w.t.call(method, &uri, Some(s), body).await
        } else if method == Method::GET {
            w.t.page(&uri, Some(s)).await
        } else {
            w.t.form(&uri, Some(s), &[("reference", "X-1")]).await
        };
        out.push((format!("{} {}", route.method, route.path), reply.status));
    }
    out
}

#[tokio::test]
async fn proceedings_compartment_isolation_both_ways_through_http() {
    let w = world().await;
    let id = w.investigation().await;
    let base = format!("/api/v1/investigations/{id}");
    expect(
        &w.post(&w.officer, &format!("{base}/victims"), json!({"case_id": w.case})).await,
        StatusCode::CREATED,
        "victim",
    );
    // A support organisation's caseworker, even the one whose case is linked, reaches no
    // proceedings route: 403 for the role, never a page or a body of the investigation.
    for s in [&w.caseworker, &w.stranger] {
        let statuses = every_proceedings_route(&w, s, &id).await;
        assert!(statuses.len() >= 28, "{statuses:?}");
        for (route, status) in statuses {
            assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{route}: {status}");
        }
    }
    // Another unit of the same country does not know it exists (404), and may not open one for
    // another: its list is empty.
    for (route, status) in every_proceedings_route(&w, &w.other_unit, &id).await {
        if route.contains("{id}") {
            assert_eq!(status, StatusCode::NOT_FOUND, "{route}");
        }
    }
    // The caseworker learns only "involved in proceedings: yes", never which investigation.
    let involvement = format!("/api/v1/cases/{}/proceedings-involvement", w.case);
    let reply = expect(&w.get(&w.caseworker, &involvement).await, StatusCode::OK, "involvement");
    assert_eq!(reply, json!({"view": "involvement_only", "involved": true}));
    let page = w.t.page(&format!("/cases/{}", w.case), Some(&w.caseworker)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Involved in criminal proceedings"), "{}", page.body);
    assert!(page.body.contains("id=\"proceedings-involvement\">yes<"), "the answer is yes");
    for secret in ["11816000123", id.as_str(), "strawberry", "/investigations"] {
        assert!(!page.body.contains(secret), "the case page shows {secret}");
    }
    // Whoever reads nothing of the case learns nothing of it.
    assert_eq!(w.get(&w.stranger, &involvement).await.status, StatusCode::NOT_FOUND);
    // The police never read support records, even of a case they read and link.
    for path in [format!("/api/v1/cases/{}/support", w.case), format!("/api/v1/cases/{}/support-records", w.case)] {
        let reply = w.get(&w.officer, &path).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}: {}", reply.body);
    }
    let reply = w.t.page(&format!("/cases/{}/support", w.case), Some(&w.officer)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // The navigation offers the investigations to the roles that open the compartment only.
    let home = w.t.page("/", Some(&w.officer)).await;
    assert!(home.body.contains("href=\"/investigations\""));
    let home = w.t.page("/", Some(&w.caseworker)).await;
    assert!(!home.body.contains("href=\"/investigations\""));
}

#[tokio::test]
async fn the_pages_open_an_investigation_record_a_suspect_and_show_the_prosecutor_the_notice() {
    let w = world().await;
    let page = w.t.page("/investigations/new", Some(&w.officer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Ģenerālprokuratūra"), "the prosecutor's office is offered");
    // A refused form comes back with what was typed and the problem at its input.
    let fields = [
        ("reference", "11816000999"),
        ("opened_on", "2026-09-01"),
        ("opening", "ex_officio"),
        ("offence_kind_0", "trafficking"),
        ("national_provision_0", "Criminal Law s. 154.1"),
        ("place_country_0", "LV"),
        ("summary", "Workers recruited for a building site."),
    ];
    let reply = w.t.form("/investigations", Some(&w.officer), &fields).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains("href=\"#new-forms_0\""), "the summary links to the forms");
    assert!(reply.body.contains("id=\"err-new-forms_0\""), "the message is at the forms");
    assert!(reply.body.contains("value=\"11816000999\""), "what was typed is kept");
    let mut fields = fields.to_vec();
    fields.push(("forms_0", "forced_labour"));
    fields.push(("prosecutor_organisation_id", &w.prosecution));
    let reply = w.t.form("/investigations", Some(&w.officer), &fields).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let at = reply.headers.get("location").unwrap().to_str().unwrap().to_owned();
    assert!(at.starts_with("/investigations/"), "{at}");
    let list = w.t.page("/investigations", Some(&w.officer)).await;
    assert!(list.body.contains("11816000999") && list.body.contains(&format!("href=\"{at}\"")));
    // A suspect who is a registered victim, from the page's form.
    let reply =
        w.t.form(
            &format!("{at}/suspects"),
            Some(&w.officer),
            &[
                ("kind", "natural"),
                ("name", "Ilze Ozoliņa"),
                ("case_id", &w.case),
                ("roles", "exploiter"),
                ("sex", "female"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = w.t.page(&at, Some(&w.officer)).await;
    assert!(page.body.contains("Non-punishment notice"), "{}", page.body);
    assert!(
        page.body.contains("The competent prosecutor&#39;s office decides")
            || page.body.contains("prosecutor's office decides")
    );
    assert!(!page.body.contains("/notice-decisions"), "the unit is not offered the decision");
    // The victim's case is a link for who may read it.
    let reply = w.t.form(&format!("{at}/victims"), Some(&w.officer), &[("case_id", &w.case)]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = w.t.page(&at, Some(&w.officer)).await;
    assert!(page.body.contains(&format!("href=\"/cases/{}\"", w.case)));
    // A charge refused for its offence: the page again, the problem at that suspect's input.
    let sid = page.body.split("id=\"suspect-").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let reply =
        w.t.form(
            &format!("{at}/charges"),
            Some(&w.officer),
            &[
                ("suspect_id", &sid),
                ("offence", "attempt"),
                ("national_provision", "s. 154.1"),
                ("charged_on", "2026-09-10"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains(&format!("id=\"err-charge-{sid}-offence\"")), "{}", reply.body);
    // The prosecutor is shown the notice with the form to decide; the case is not the
    // prosecutor's to open: no link.
    let page = w.t.page(&at, Some(&w.prosecutor)).await;
    assert!(page.body.contains("/notice-decisions") && page.body.contains("card notice"), "{}", page.body);
    assert!(!page.body.contains(&format!("href=\"/cases/{}\"", w.case)));
    let notice = page.body.split("name=\"notice_id\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let reply =
        w.t.form(
            &format!("{at}/notice-decisions"),
            Some(&w.prosecutor),
            &[("notice_id", &notice), ("outcome", "not_prosecuted")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains(&format!("id=\"err-notice-{notice}-reasons\"")), "{}", reply.body);
    let reply =
        w.t.form(
            &format!("{at}/notice-decisions"),
            Some(&w.prosecutor),
            &[("notice_id", &notice), ("outcome", "not_prosecuted"), ("reasons", "Compelled by the exploiters.")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = w.t.page(&at, Some(&w.prosecutor)).await;
    assert!(page.body.contains("Compelled by the exploiters.") && !page.body.contains("/notice-decisions"));
}

#[tokio::test]
async fn the_proceedings_pages_are_latvian_with_the_notice_and_the_refusal_in_latvian() {
    let w = world().await;
    for s in [&w.officer, &w.prosecutor] {
        let reply = w.t.form("/account/language", Some(s), &[("language", "lv")]).await;
        assert!(reply.status.is_redirection());
    }
    let id = w.investigation().await;
    w.post(&w.officer, &format!("/api/v1/investigations/{id}/suspects"), suspect("Ilze Ozoliņa", &w.case)).await;
    let page = w.t.page(&format!("/investigations/{id}"), Some(&w.prosecutor)).await;
    assert_eq!(page.status, StatusCode::OK);
    for words in ["Paziņojums par nesodīšanu", "Lemt par paziņojumu", "Cilvēku tirdzniecība (2. pants)", "Savervētājs"]
    {
        assert!(page.body.contains(words), "no {words:?}");
    }
    let list = w.t.page("/investigations", Some(&w.officer)).await;
    assert!(list.body.contains("Izmeklēšanas") && list.body.contains("atvērta"));
    let reply = w.t.form("/investigations", Some(&w.officer), &[("reference", "")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Lietas numurs"), "the field's Latvian label");
    for english in ["must not", "Open the investigation", "Offence"] {
        assert!(!reply.body.contains(english), "English {english:?} on the Latvian page");
    }
}

#[tokio::test]
async fn the_proceedings_forms_need_the_csrf_token() {
    let w = world().await;
    let id = w.investigation().await;
    for path in
        ["/investigations".to_owned(), format!("/investigations/{id}/suspects"), format!("/investigations/{id}/status")]
    {
        let req = axum::http::Request::builder()
            .method(Method::POST)
            .uri(&path)
            .header("host", "localhost")
            .header("cookie", &w.officer.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from("kind=natural&name=X&roles=recruiter"))
            .unwrap();
        assert_eq!(w.t.send(req).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    let view = expect(&w.get(&w.officer, &format!("/api/v1/investigations/{id}")).await, StatusCode::OK, "read");
    assert_eq!(view["suspects"], json!([]), "nothing written without the token");
    // The forms carry it.
    let page = w.t.page(&format!("/investigations/{id}"), Some(&w.officer)).await;
    assert!(page.body.matches(&format!("name=\"csrf\" value=\"{}\"", w.officer.csrf)).count() >= 4);
}

#[tokio::test]
async fn art_7_and_art_12_dir_assets_the_financial_investigation_the_europol_export_and_victims_in_proceedings_through_the_api()
 {
    let w = world().await;
    let id = w.investigation().await;
    let base = format!("/api/v1/investigations/{id}");
    expect(
        &w.post(&w.officer, &format!("{base}/victims"), json!({"case_id": w.case})).await,
        StatusCode::CREATED,
        "victim",
    );
    // Assets and a seizure (Dir 2011/36 Art 7); bad input names its field.
    let asset = json!({"kind": "real_estate", "description": "Dzīvoklis Rīgā", "value": "12000000", "currency": "EUR",
        "valued_on": "2026-09-01", "held_in": "LV", "held_at": "Zemesgrāmata"});
    let view =
        expect(&w.post(&w.officer, &format!("{base}/assets"), asset.clone()).await, StatusCode::CREATED, "asset");
    let asset_id = view["assets"][0]["asset"]["id"].as_str().unwrap().to_owned();
    let mut bad = asset.clone();
    bad["kind"] = json!("yacht_club");
    assert_field(&w.post(&w.officer, &format!("{base}/assets"), bad).await, "kind");
    let seizure =
        json!({"asset_id": asset_id, "measure": {"kind": "seizure", "on": "2026-09-10", "reference": "Nr. 1"}});
    expect(&w.post(&w.officer, &format!("{base}/asset-measures"), seizure).await, StatusCode::CREATED, "seizure");
    let view = expect(&w.get(&w.prosecutor, &format!("{base}/assets")).await, StatusCode::OK, "assets");
    assert!(view["totals"]["seized"].as_i64().unwrap() > 0, "{view}");
    // The financial investigation runs by default; the Europol export is minimised.
    let view = expect(&w.get(&w.officer, &format!("{base}/financial")).await, StatusCode::OK, "financial");
    assert_eq!(view["version"], 0);
    let request = json!({"request_reference": "EUROPOL-2026-0042", "parts": ["assets"]});
    let package =
        expect(&w.post(&w.officer, &format!("{base}/europol-export"), request).await, StatusCode::OK, "export");
    assert!(package.get("suspects").is_none() && package.to_string().contains("real_estate"), "{package}");
    // The victim's protection measures, the missing ones flagged; information given.
    let view = expect(&w.get(&w.officer, &format!("{base}/victims-in-proceedings")).await, StatusCode::OK, "victims");
    assert_eq!(view["victims"][0]["case_id"], w.case.as_str());
    let measure = json!({"case_id": w.case, "measure": "few_interviews", "status": "applied", "on": "2026-09-15"});
    expect(&w.post(&w.officer, &format!("{base}/protection-measures"), measure).await, StatusCode::CREATED, "measure");
    let measure = json!({"case_id": w.case, "measure": "polygraph", "status": "applied", "on": "2026-09-15"});
    assert_field(&w.post(&w.officer, &format!("{base}/protection-measures"), measure).await, "measure");
    // None of it for a support organisation; another unit does not know it.
    for path in ["assets", "financial", "victims-in-proceedings"] {
        assert_eq!(w.get(&w.caseworker, &format!("{base}/{path}")).await.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(w.get(&w.other_unit, &format!("{base}/{path}")).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(w.get(&w.caseworker, "/api/v1/joint-teams").await.status, StatusCode::FORBIDDEN);
    assert_eq!(expect(&w.get(&w.officer, "/api/v1/joint-teams").await, StatusCode::OK, "teams"), json!([]));
    // The investigation's page shows the totals and the measures still missing.
    let page = w.t.page(&format!("/investigations/{id}"), Some(&w.officer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Seizure and confiscation") && page.body.contains("120000.00 EUR"), "{}", page.body);
    assert!(page.body.contains("Dzīvoklis Rīgā"));
    assert!(page.body.contains("Protection measures that apply and are not recorded"), "{}", page.body);
}
