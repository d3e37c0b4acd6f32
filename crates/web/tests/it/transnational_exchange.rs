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
use haven_app::exchange_referrals::resend_id;
use haven_app::{App, AppSettings, FixedClock};
use haven_crypto::MasterKey;
use haven_storage::Store;
use haven_web::exchange::exchange_router;
use haven_web::exchange_tls::{HttpsPoster, client_config, serve_exchange, server_config};
use std::net::SocketAddr;
use std::sync::Arc;
use uuid::Uuid;

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

/// LV and EE, pinned to each other, the client that delivers between them, and the people: LV's
/// caseworker and focal point, EE's NGO, EE's focal point and the NGO's caseworker.
struct Pair {
    certs: tempfile::TempDir,
    lv_pki: Pki,
    ee_pki: Pki,
    lv: Instance,
    ee: Instance,
    poster: HttpsPoster,
    caseworker: Session,
    lv_focal: Session,
    ee_ngo: String,
    ee_focal: Session,
    ee_worker: Session,
}

async fn pair() -> Pair {
    let certs = tempfile::tempdir().unwrap();
    let (lv_pki, ee_pki) = (pki(certs.path(), "lv"), pki(certs.path(), "ee"));
    let lv = Instance::start("LV", &lv_pki).await;
    let ee = Instance::start("EE", &ee_pki).await;
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
    Pair { certs, lv_pki, ee_pki, lv, ee, poster, caseworker, lv_focal, ee_ngo, ee_focal, ee_worker }
}

/// At LV: the caseworker registers the person, prepares and submits on the pages; the focal
/// point sends. The case and the referral's page.
async fn referral_sent(lv: &Instance, caseworker: &Session, lv_focal: &Session) -> (String, String) {
    let reply = lv.t.call(Method::POST, "/api/v1/registrations", Some(caseworker), Some(olena())).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let case = reply.json()["id"].as_str().unwrap().to_owned();
    let at = lv.post(&format!("/cases/{case}/transnational/new"), caseworker, &filled_form()).await;
    lv.post(&format!("{at}/submit"), caseworker, &[]).await;
    lv.post(&format!("{at}/send"), lv_focal, &[]).await;
    (case, at)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_11_4_dir_a_referral_from_lv_to_ee_is_accepted_and_its_updates_reach_the_lv_case_page() {
    let Pair {
        certs: _certs,
        lv_pki,
        ee_pki,
        mut lv,
        mut ee,
        poster,
        caseworker,
        lv_focal,
        ee_ngo,
        ee_focal,
        ee_worker,
    } = pair().await;

    // LV: the caseworker registers the person, prepares and submits; the focal point sends.
    let (case, at) = referral_sent(&lv, &caseworker, &lv_focal).await;
    let id = at.trim_start_matches("/transnational/").to_owned();

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
    // Like every new case, it has its own subject key (erasing the person destroys it).
    let keys = format!("SELECT COUNT(*) FROM subject_keys WHERE case_id = '{opened}'");
    assert_eq!(ee.t.app.store().count_unchecked(&keys).await.unwrap(), 1, "the referred case has its own key");

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

/// The message ids of the updates EE recorded about its referral `ee_id` in the state `state`.
async fn update_ids(ee: &Instance, ee_id: &str, state: &str) -> Vec<String> {
    ee.t.app
        .store()
        .transnational_referral_events(ee_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.state == state && e.by_user.is_some())
        .filter_map(|e| e.message_id)
        .collect()
}

/// The EE caseworker who opens the case an accepted referral opened sees where it came from, in
/// English and Latvian, on the page and in the API. LV refuses EE's updates while it does not
/// know the referral (a refused acknowledgement comes back to EE's outbox): EE's focal point
/// re-sends them under ids derived from the first, and they arrive. An update with a note that
/// never reached EE's outbox is re-sent with its note.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_11_4_dir_updates_refused_or_never_queued_are_resent_and_arrive_and_the_received_case_says_whence() {
    let p = pair().await;
    let (lv, ee) = (&p.lv, &p.ee);
    let (case, at) = referral_sent(lv, &p.caseworker, &p.lv_focal).await;
    let id = at.trim_start_matches("/transnational/").to_owned();
    let report = lv.t.app.deliver_exchange_outbox(&p.poster, START + 5).await.unwrap();
    assert_eq!(report.delivered.len(), 1, "{report:?}");
    let received = ee.t.call(Method::GET, "/api/v1/transnational-referrals", Some(&p.ee_focal), None).await.json();
    let ee_id = received["incoming"][0]["id"].as_str().expect("received").to_owned();

    // LV loses track of the referral before EE's answer arrives: it refuses the updates.
    let hide = format!("UPDATE transnational_referrals SET referral_id = 'not-this-one' WHERE id = '{id}'");
    lv.t.app.store().execute_unchecked(&hide).await.unwrap();
    ee.post(
        &format!("/transnational/{ee_id}/decision"),
        &p.ee_focal,
        &[("decision", "accept"), ("organisation_id", &p.ee_ngo)],
    )
    .await;
    let accepted = update_ids(ee, &ee_id, "accepted").await;
    let assigned = update_ids(ee, &ee_id, "organisation_assigned").await;
    assert_eq!((accepted.len(), assigned.len()), (1, 1));
    let back = ee.t.app.deliver_exchange_outbox(&p.poster, START + 6).await.unwrap();
    assert!(back.delivered.contains(&accepted[0]) && back.delivered.contains(&assigned[0]), "{back:?}");
    assert_eq!(lv_state(&p, &id).await, "sent", "LV did not apply what it refused");
    // LV's refusals reach EE's outbox.
    let refusals = lv.t.app.deliver_exchange_outbox(&p.poster, START + 7).await.unwrap();
    assert!(refusals.delivered.len() >= 2, "{refusals:?}");
    for message in [&accepted[0], &assigned[0]] {
        let row = ee.t.app.store().exchange_outbox_message(message).await.unwrap().unwrap();
        assert_eq!(row.ack_status.as_deref(), Some("refused"), "{message}");
    }
    let page = ee.t.page(&format!("/transnational/{ee_id}"), Some(&p.ee_focal)).await;
    assert!(page.body.contains("id=\"tnr-resend\""), "{}", page.body);

    // LV knows it again; EE re-sends both under ids derived from the first, and they arrive.
    let show = format!("UPDATE transnational_referrals SET referral_id = '{id}' WHERE id = '{id}'");
    lv.t.app.store().execute_unchecked(&show).await.unwrap();
    ee.post(&format!("/transnational/{ee_id}/resend"), &p.ee_focal, &[]).await;
    let again: Vec<String> =
        [&accepted[0], &assigned[0]].iter().map(|m| resend_id(Uuid::parse_str(m).unwrap(), 1).to_string()).collect();
    for message in &again {
        let row = ee.t.app.store().exchange_outbox_message(message).await.unwrap().expect("queued again");
        assert_eq!(row.state, "pending");
    }
    assert_eq!(audited(&ee.t.app, "transnational_referral_changed", "was=refused").await, 2);
    let resent = ee.t.app.deliver_exchange_outbox(&p.poster, START + 8).await.unwrap();
    assert!(again.iter().all(|m| resent.delivered.contains(m)), "{resent:?}");
    assert_eq!(lv_state(&p, &id).await, "organisation_assigned", "the updates re-sent were applied");
    assert_eq!(ee.form_status(&format!("/transnational/{ee_id}/resend"), &p.ee_focal).await, StatusCode::CONFLICT);

    // The EE caseworker opens the case the referral opened: received from LV, its reference, the day.
    let view =
        ee.t.call(Method::GET, &format!("/api/v1/transnational-referrals/{ee_id}"), Some(&p.ee_focal), None).await;
    let opened = view.json()["case_id"].as_str().expect("a case opened").to_owned();
    let day = time::OffsetDateTime::from_unix_timestamp(START).unwrap().date().to_string();
    let page = ee.t.page(&format!("/cases/{opened}"), Some(&p.ee_worker)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let said = format!("Received from LV through transnational referral {id} on {day}");
    assert!(page.body.contains(&said), "{}", page.body);
    let listed =
        ee.t.call(Method::GET, &format!("/api/v1/cases/{opened}/transnational-referrals"), Some(&p.ee_worker), None)
            .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert_eq!(listed.json()[0]["direction"], "incoming", "{}", listed.body);
    assert_eq!(listed.json()[0]["referral_id"], id.as_str());
    assert_eq!(listed.json()[0]["peer"], "LV");
    let switched = ee.t.form("/account/language", Some(&p.ee_worker), &[("language", "lv")]).await;
    assert!(switched.status.is_redirection(), "{}", switched.body);
    let page = ee.t.page(&format!("/cases/{opened}"), Some(&p.ee_worker)).await;
    assert!(page.body.contains(&format!("Saņemts no LV ar starptautisko nosūtījumu {id} {day}")), "{}", page.body);

    // An update whose message never reached EE's outbox is re-sent under its own id, with its note.
    let note = "Met at the bus station in Tallinn by the NGO.";
    ee.post(
        &format!("/transnational/{ee_id}/updates"),
        &p.ee_focal,
        &[("state", "arrived_safely"), ("effective_on", "2026-09-21"), ("note", note)],
    )
    .await;
    let arrived = update_ids(ee, &ee_id, "arrived_safely").await;
    let lost = format!("DELETE FROM exchange_outbox WHERE message_id = '{}'", arrived[0]);
    ee.t.app.store().execute_unchecked(&lost).await.unwrap();
    ee.post(&format!("/transnational/{ee_id}/resend"), &p.ee_focal, &[]).await;
    let delivered = ee.t.app.deliver_exchange_outbox(&p.poster, START + 9).await.unwrap();
    assert!(delivered.delivered.contains(&arrived[0]), "{delivered:?}");
    assert_eq!(lv_state(&p, &id).await, "arrived_safely");
    let lv_page = lv.t.page(&at, Some(&p.lv_focal)).await;
    assert!(lv_page.body.contains(note), "the note arrived with the update re-sent: {}", lv_page.body);
    let lv_case = lv.t.page(&format!("/cases/{case}"), Some(&p.caseworker)).await;
    assert!(lv_case.body.contains("2026-09-21 Arrived safely"), "{}", lv_case.body);
}

/// The state of LV's referral `id`, as its focal point reads it.
async fn lv_state(p: &Pair, id: &str) -> String {
    let view =
        p.lv.t.call(Method::GET, &format!("/api/v1/transnational-referrals/{id}"), Some(&p.lv_focal), None).await;
    view.json()["state"].as_str().unwrap_or_default().to_owned()
}
