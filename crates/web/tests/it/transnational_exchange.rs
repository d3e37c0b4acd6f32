//! A transnational referral end to end between two real instances (Dir 2011/36 Art 11(4)): LV
//! and EE, each with its own database, keys, web pages and TLS 1.3 exchange listener on
//! 127.0.0.1 (certificates from a test CA), pinned to each other. The LV caseworker prepares and
//! submits on the pages, the LV focal point sends, the envelope is delivered over HTTPS; the EE
//! focal point accepts assigning an NGO (which finds the person among its cases), the
//! acknowledgement and the updates flow back, and the LV case page shows the referral accepted,
//! then the person arrived safely. A receiver that is down gets the next referral once it is up.

use crate::common::{START, Session, TestApp};
use crate::exchange::{Pki, pin, pki};
use crate::transnational::{filled_form, olena};
use axum::http::{Method, StatusCode};
use haven_app::admin::Acting;
use haven_app::exchange_peers::IdentitySetup;
use haven_app::{App, AppSettings, FixedClock};
use haven_crypto::MasterKey;
use haven_storage::Store;
use haven_web::exchange::exchange_router;
use haven_web::exchange_tls::{HttpsPoster, client_config, serve_exchange, server_config};
use std::net::SocketAddr;
use std::sync::Arc;

/// One country's instance: its pages (a [`TestApp`] on its own database) and its exchange
/// listener.
struct Instance {
    t: TestApp,
    address: SocketAddr,
    stop: tokio::sync::watch::Sender<bool>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Instance {
    async fn start(id: &str, pki: &Pki) -> Instance {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_sqlite(dir.path()).await.unwrap();
        let clock = Arc::new(FixedClock::new(START));
        let app = App::open(store, &MasterKey::generate(), clock.clone(), AppSettings::default()).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let setup = IdentitySetup {
            instance_id: id.into(),
            role: "national_focal_point".into(),
            endpoint: format!("https://{address}/exchange"),
        };
        app.instance_identity(Acting::Operator, Some(&setup)).await.unwrap();
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let tls = server_config(&pki.certificate, &pki.key).unwrap();
        let server = tokio::spawn(serve_exchange(listener, Some(tls), exchange_router(app.clone()), stopped));
        let router = haven_web::router(app.clone(), haven_web::WebConfig::default()).unwrap();
        Instance { t: TestApp { router, app, clock, dir }, address, stop, server }
    }

    async fn down(&mut self) {
        self.stop.send(true).unwrap();
        (&mut self.server).await.unwrap().unwrap();
    }

    async fn up(&mut self, pki: &Pki) {
        let listener = tokio::net::TcpListener::bind(self.address).await.unwrap();
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let tls = server_config(&pki.certificate, &pki.key).unwrap();
        self.server = tokio::spawn(serve_exchange(listener, Some(tls), exchange_router(self.t.app.clone()), stopped));
        self.stop = stop;
    }

    async fn session(&self, name: &str, org: &str, role: &str) -> Session {
        let password = self.t.user(name, org, &[role]).await;
        self.t.login(name, &password).await
    }

    /// The form posted, expecting the redirect of a success.
    async fn post(&self, path: &str, who: &Session, fields: &[(&str, &str)]) -> String {
        let reply = self.t.form(path, Some(who), fields).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "POST {path}: {}", reply.body);
        reply.headers.get("location").unwrap().to_str().unwrap().to_owned()
    }
}

async fn audited(app: &App, action: &str, needle: &str) -> i64 {
    app.store()
        .count_unchecked(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND detail LIKE '%{needle}%'"
        ))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_11_4_dir_a_referral_from_lv_to_ee_is_accepted_and_its_updates_reach_the_lv_case_page() {
    let certs = tempfile::tempdir().unwrap();
    let (lv_pki, ee_pki) = (pki(certs.path(), "lv"), pki(certs.path(), "ee"));
    let mut lv = Instance::start("LV", &lv_pki).await;
    let mut ee = Instance::start("EE", &ee_pki).await;
    pin(&lv.t.app, &ee.t.app).await;
    pin(&ee.t.app, &lv.t.app).await;
    let bundle = certs.path().join("peers-ca.pem");
    std::fs::write(
        &bundle,
        [&lv_pki.ca, &ee_pki.ca].iter().map(|p| std::fs::read_to_string(p).unwrap()).collect::<String>(),
    )
    .unwrap();
    let poster = HttpsPoster::new(client_config(&bundle).unwrap());

    let lv_ngo = lv.t.org("Patvērums", "ngo", "LV").await;
    let lv_ministry = lv.t.org("Iekšlietu ministrija", "national_rapporteur", "LV").await;
    let caseworker = lv.session("lv.caseworker", &lv_ngo, "caseworker").await;
    let lv_focal = lv.session("lv.focal", &lv_ministry, "focal_point").await;
    let ee_ngo = ee.t.org("Eesti Abikeskus", "ngo", "EE").await;
    let ee_ministry = ee.t.org("Siseministeerium", "national_rapporteur", "EE").await;
    let ee_focal = ee.session("ee.focal", &ee_ministry, "focal_point").await;
    let ee_worker = ee.session("ee.worker", &ee_ngo, "caseworker").await;

    // LV: the caseworker registers the person, prepares and submits; the focal point sends.
    let reply = lv.t.call(Method::POST, "/api/v1/registrations", Some(&caseworker), Some(olena())).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let case = reply.json()["id"].as_str().unwrap().to_owned();
    let at = lv.post(&format!("/cases/{case}/transnational/new"), &caseworker, &filled_form()).await;
    let id = at.trim_start_matches("/transnational/").to_owned();
    lv.post(&format!("{at}/submit"), &caseworker, &[]).await;
    lv.post(&format!("{at}/send"), &lv_focal, &[]).await;

    // Delivered to EE over HTTPS, where it waits for the EE focal point.
    let report = lv.t.app.deliver_exchange_outbox(&poster, START + 5).await.unwrap();
    assert_eq!(report.delivered.len(), 1, "{report:?}");
    let list = ee.t.page("/transnational", Some(&ee_focal)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let received = ee.t.call(Method::GET, "/api/v1/transnational-referrals", Some(&ee_focal), None).await.json();
    let ee_id = received["incoming"][0]["id"].as_str().expect("a referral received").to_owned();
    assert_eq!(received["incoming"][0]["state"], "received");
    assert!(list.body.contains(&format!("/transnational/{ee_id}")));
    let page = ee.t.page(&format!("/transnational/{ee_id}"), Some(&ee_focal)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Olena") && page.body.contains("UA"), "the fields shared, received");
    assert!(!page.body.contains("FA123456"), "the passport was not shared");
    assert!(page.body.contains("id=\"tnr-accept\""));
    assert!(audited(&ee.t.app, "transnational_referral_received", "peer=LV").await == 1);

    // EE accepts, assigning its NGO: a draft case carrying the fields shared opens there.
    ee.post(
        &format!("/transnational/{ee_id}/decision"),
        &ee_focal,
        &[("decision", "accept"), ("organisation_id", &ee_ngo)],
    )
    .await;
    let view = ee.t.call(Method::GET, &format!("/api/v1/transnational-referrals/{ee_id}"), Some(&ee_focal), None).await;
    assert_eq!(view.json()["state"], "organisation_assigned", "{}", view.body);
    let opened = view.json()["case_id"].as_str().expect("a case opened for the referral").to_owned();
    let case_seen = ee.t.call(Method::GET, &format!("/api/v1/registrations/{opened}"), Some(&ee_worker), None).await;
    assert_eq!(case_seen.status, StatusCode::OK, "{}", case_seen.body);
    assert!(case_seen.body.contains("Olena") && case_seen.body.contains("Kovalenko"), "{}", case_seen.body);
    let cases = ee.t.call(Method::GET, "/api/v1/cases", Some(&ee_worker), None).await;
    assert!(cases.body.contains(&opened), "the NGO's caseworker finds the case: {}", cases.body);
    assert_eq!(audited(&ee.t.app, "registration_created", &format!("transnational referral {ee_id} of LV")).await, 1);

    // The acknowledgements and the updates go back to LV.
    let back = ee.t.app.deliver_exchange_outbox(&poster, START + 6).await.unwrap();
    assert!(back.delivered.len() >= 3, "{back:?}");
    let lv_view =
        lv.t.call(Method::GET, &format!("/api/v1/transnational-referrals/{id}"), Some(&caseworker), None).await;
    assert_eq!(lv_view.json()["state"], "organisation_assigned", "{}", lv_view.body);
    let message = lv_view.json()["message_id"].as_str().unwrap().to_owned();
    let sent = lv.t.app.store().exchange_outbox_message(&message).await.unwrap().unwrap();
    assert_eq!(sent.ack_status.as_deref(), Some("accepted"), "the acceptance was acknowledged");
    let page = lv.t.page(&format!("/cases/{case}"), Some(&caseworker)).await;
    assert!(page.body.contains("Accepted") && page.body.contains("Organisation assigned"), "{}", page.body);

    // Later: arrived safely, reported back with EE down for a while (nothing lost).
    ee.post(
        &format!("/transnational/{ee_id}/updates"),
        &ee_focal,
        &[("state", "arrived_safely"), ("effective_on", "2026-09-21")],
    )
    .await;
    lv.down().await;
    let retry = ee.t.app.deliver_exchange_outbox(&poster, START + 10).await.unwrap();
    assert_eq!(retry.retrying.len(), 1, "{retry:?}");
    lv.up(&lv_pki).await;
    lv.t.clock.set(START + 600);
    ee.t.clock.set(START + 600);
    let later = ee.t.app.deliver_exchange_outbox(&poster, START + 600).await.unwrap();
    assert_eq!(later.delivered.len(), 1, "{later:?}");
    let page = lv.t.page(&format!("/cases/{case}"), Some(&caseworker)).await;
    assert!(page.body.contains("<tr data-state=\"arrived_safely\">"), "{}", page.body);
    assert!(page.body.contains("2026-09-21 Arrived safely"), "{}", page.body);
    assert!(audited(&lv.t.app, "transnational_referral_changed", "to=arrived_safely peer=EE").await == 1);
    // Nothing waits to be re-sent.
    let resend = ee.form_status(&format!("/transnational/{ee_id}/resend"), &ee_focal).await;
    assert_eq!(resend, StatusCode::CONFLICT);

    // A second referral while EE is down: kept, delivered once EE is up.
    let at = lv.post(&format!("/cases/{case}/transnational/new"), &caseworker, &filled_form()).await;
    lv.post(&format!("{at}/submit"), &caseworker, &[]).await;
    lv.post(&format!("{at}/send"), &lv_focal, &[]).await;
    let second_view =
        lv.t.call(
            Method::GET,
            &format!("/api/v1{}", at.replace("/transnational/", "/transnational-referrals/")),
            Some(&lv_focal),
            None,
        )
        .await;
    let second_message = second_view.json()["message_id"].as_str().expect("sent under a message id").to_owned();
    ee.down().await;
    // Kept and retried, with the acknowledgements LV owes EE.
    let report = lv.t.app.deliver_exchange_outbox(&poster, START + 610).await.unwrap();
    assert!(report.retrying.contains(&second_message) && report.delivered.is_empty(), "{report:?}");
    ee.up(&ee_pki).await;
    ee.t.clock.set(START + 1200);
    lv.t.clock.set(START + 1200);
    let report = lv.t.app.deliver_exchange_outbox(&poster, START + 1200).await.unwrap();
    assert!(report.delivered.contains(&second_message) && report.retrying.is_empty(), "{report:?}");
    let received = ee.t.call(Method::GET, "/api/v1/transnational-referrals", Some(&ee_focal), None).await.json();
    assert_eq!(received["incoming"].as_array().map(Vec::len), Some(2), "{received}");

    // EE declines this one: "other" needs an explanation (422 naming it); declined, the
    // refusal and the update reach LV.
    let second = received["incoming"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["state"] == "received")
        .and_then(|r| r["id"].as_str())
        .expect("the second referral waits")
        .to_owned();
    let refused =
        ee.t.form(
            &format!("/transnational/{second}/decision"),
            Some(&ee_focal),
            &[("decision", "decline"), ("reason", "other")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("href=\"#explanation\""), "{}", refused.body);
    ee.post(
        &format!("/transnational/{second}/decision"),
        &ee_focal,
        &[("decision", "decline"), ("reason", "no_capacity")],
    )
    .await;
    let back = ee.t.app.deliver_exchange_outbox(&poster, START + 1210).await.unwrap();
    assert!(back.delivered.len() >= 2, "{back:?}");
    let lv_lists = lv.t.call(Method::GET, "/api/v1/transnational-referrals", Some(&lv_focal), None).await.json();
    let states: Vec<&str> =
        lv_lists["outgoing"].as_array().unwrap().iter().filter_map(|r| r["state"].as_str()).collect();
    assert!(states.contains(&"declined") && states.contains(&"arrived_safely"), "{lv_lists}");
    let page = lv.t.page(&format!("/cases/{case}"), Some(&caseworker)).await;
    assert!(page.body.contains("<tr data-state=\"declined\">"), "{}", page.body);
}

impl Instance {
    async fn form_status(&self, path: &str, who: &Session) -> StatusCode {
        self.t.form(path, Some(who), &[]).await.status
    }
}
