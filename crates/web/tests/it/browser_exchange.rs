//! The transnational exchange's pages in headless Chromium on a phone (390 CSS pixels, emulated:
//! a headless window is never narrower than 500 px): the caseworker's way from the case page
//! to the preparation form (English and Latvian, and refused with the field named), the focal
//! point's lists and a sent referral, the receiving focal point's referral with its accept and
//! decline forms, the peers' pages (directory, cross-border count, outbox, own keys) and the EU
//! level's count of persons across borders. Each page: no sideways scrolling, nothing off
//! screen or clipped, every input labelled (and reachable by Tab unless locked), and its form or
//! table there. Two instances (LV, EE) deliver to each other in-process; the EU hub is a third.
//! Skipped, saying so, when Debian's `chromium` and `chromium-driver` are not installed.

use crate::browser::{CHROMEDRIVER, CHROMIUM, click_and_wait};
use crate::common::{START, Session, TestApp};
use crate::transnational::olena;
use axum::http::{Method, StatusCode};
use fantoccini::{Client, Locator};
use haven_app::App;
use haven_app::admin::Acting;
use haven_app::exchange_peers::IdentitySetup;
use haven_app::exchange_transport::{EnvelopePoster, PostResult, ReceiveError, ReceivedMessage};
use serde_json::json;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use uuid::Uuid;

/// The phone's width in CSS pixels.
const PHONE: i64 = 390;

/// 32 bytes, standard base64: the secret the focal points agreed for the cross-border count.
const SECRET: &str = "c2VjcmV0IHNoYXJlZCBieSB0aGUgZm9jYWwgcG9pbnRzISE=";

/// What the page looks like on the phone: its width against the window's; the elements of the
/// header, main content and footer reaching past the window's edges (tables scroll inside
/// their `.table-wrap`); headings, labels, values and buttons whose text is clipped; the form
/// controls of `main` without a label, or out of the Tab order though not locked; and the ids
/// of the forms of `main`. `arguments[0]`: the phone's width (on a phone the window widens to
/// what overflows).
const LAYOUT: &str = r#"
const inner = arguments[0];
const name = el => el.tagName + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : '');
const wide = [];
for (const el of document.querySelectorAll('header *, main *, footer *')) {
  const r = el.getBoundingClientRect();
  const inScroller = el.parentElement !== null && el.parentElement.closest('.table-wrap') !== null;
  if (r.width > 0 && !inScroller && (r.right > inner + 0.5 || r.left < -0.5)
      && getComputedStyle(el).position !== 'absolute') {
    wide.push(name(el) + ' ' + Math.round(r.left) + '..' + Math.round(r.right) + ': '
      + (el.textContent || '').trim().slice(0, 40));
  }
}
const clipped = [];
for (const el of document.querySelectorAll('main h1, main h2, main dd, main dt, main label, main legend, main button, main .button, main p, main td, main th')) {
  if (el.closest('.table-wrap') === null && el.scrollWidth > el.clientWidth + 1
      && getComputedStyle(el).overflowX !== 'auto') {
    clipped.push(name(el) + ': ' + el.textContent.trim().slice(0, 40));
  }
}
const unlabelled = [];
for (const el of document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')) {
  const label = (el.id ? document.querySelector('label[for="' + el.id + '"]') : null) || el.closest('label');
  if (label === null || label.textContent.trim() === '' || (!el.disabled && el.tabIndex < 0)) {
    unlabelled.push(el.name + '#' + el.id);
  }
}
return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, wide: wide.slice(0, 10),
        clipped: clipped.slice(0, 10), unlabelled: unlabelled,
        forms: Array.from(document.querySelectorAll('main form')).map(f => f.id || f.getAttribute('action'))};
"#;

/// chromedriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// chromedriver and headless Chromium emulating a phone, on one instance's pages.
struct Phone {
    _driver: Driver,
    _profile: tempfile::TempDir,
    c: Client,
    base: String,
}

impl Phone {
    /// Serves `t` on a local port and opens the phone on it; `None` (and a note) when Chromium is
    /// not installed.
    async fn open(t: &TestApp) -> Option<Phone> {
        if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
            eprintln!("SKIPPED: headless Chromium test (install chromium and chromium-driver)");
            return None;
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let router = t.router.clone();
        tokio::spawn(async move {
            axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
        });
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Driver(
            Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        let profile = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--window-size=390,844", format!("--user-data-dir={}", profile.path().display()),
                         "--lang=en-GB,en"],
                "prefs": {"intl.accept_languages": "en-GB,en"},
                "mobileEmulation": {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3.0, "touch": false}}
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut client = None;
        for _ in 0..50 {
            match fantoccini::ClientBuilder::new(connector.clone())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(c) => {
                    client = Some(c);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
        let c = client.expect("chromedriver did not start");
        Some(Phone { _driver: driver, _profile: profile, c, base: format!("http://{address}") })
    }

    async fn goto(&self, path: &str) -> String {
        self.c.goto(&format!("{}{path}", self.base)).await.unwrap();
        self.wait_loaded().await;
        self.c.source().await.unwrap()
    }

    async fn wait_loaded(&self) {
        for _ in 0..100 {
            if let Ok(serde_json::Value::String(state)) = self.c.execute("return document.readyState;", vec![]).await
                && state == "complete"
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn log_in(&self, username: &str, password: &str) {
        self.goto("/login").await;
        self.c.find(Locator::Id("username")).await.unwrap().send_keys(username).await.unwrap();
        self.c.find(Locator::Id("password")).await.unwrap().send_keys(password).await.unwrap();
        click_and_wait(&self.c, Locator::Css("main button.primary"), "").await;
        assert_eq!(self.c.current_url().await.unwrap().path(), "/", "{username} is not logged in");
        let inner = self.c.execute("return window.innerWidth", vec![]).await.unwrap().as_i64().unwrap();
        assert_eq!(inner, PHONE, "the page is not laid out at a phone's width");
    }

    async fn log_out(&self) {
        click_and_wait(&self.c, Locator::Css("header form button"), "/login").await;
    }

    /// Asserts the page on the phone fits, labels every input, and holds every element of
    /// `present` (a form, a table); `what` names the page.
    async fn check(&self, what: &str, present: &[&str]) {
        let layout = self.c.execute(LAYOUT, vec![json!(PHONE)]).await.unwrap();
        let (scroll, inner) = (layout["scroll"].as_i64().unwrap_or(i64::MAX), layout["inner"].as_i64().unwrap_or(0));
        // a phone widens its layout to what overflows, zoomed out
        assert_eq!(inner, PHONE, "{what}: laid out at {inner} px: {layout}");
        assert!(scroll <= inner, "{what}: sideways scrolling, {scroll} px in {inner} px: {layout}");
        assert_eq!(layout["wide"], json!([]), "{what}: off screen: {layout}");
        assert_eq!(layout["clipped"], json!([]), "{what}: clipped: {layout}");
        assert_eq!(layout["unlabelled"], json!([]), "{what}: inputs without a label: {layout}");
        let source = self.c.source().await.unwrap();
        for css in present {
            assert!(self.c.find(Locator::Css(css)).await.is_ok(), "{what}: no {css}: {source}");
        }
    }
}

/// Delivers envelopes in-process to the instances it knows by endpoint.
struct Loopback {
    instances: Vec<(String, App)>,
    now: i64,
}

impl EnvelopePoster for Loopback {
    async fn post(&self, url: &str, envelope: Vec<u8>) -> PostResult {
        let Some((_, app)) = self.instances.iter().find(|(e, _)| url == format!("{e}/v1/messages")) else {
            return PostResult::Unreachable { problem: format!("no host for {url}") };
        };
        match app.exchange_receive(&envelope, self.now).await {
            Ok(_) => PostResult::Answered { status: 202, code: None },
            Err(ReceiveError::Refused(r)) => PostResult::Answered { status: r.status, code: Some(r.code) },
            Err(ReceiveError::Failed(_)) => PostResult::Answered { status: 500, code: None },
        }
    }
}

fn endpoint(id: &str) -> String {
    format!("https://{}.haven.example/exchange", id.to_lowercase())
}

async fn instance(id: &str) -> TestApp {
    let t = TestApp::new().await;
    let setup = IdentitySetup { instance_id: id.into(), role: "national_focal_point".into(), endpoint: endpoint(id) };
    t.app.instance_identity(Acting::Operator, Some(&setup)).await.unwrap();
    t
}

/// `a` pins `b` with the signing key id `b`'s operator read out.
async fn pin(a: &App, b: &App) {
    let entry = b.own_directory_entry(Acting::Operator).await.unwrap();
    a.add_peer(Acting::Operator, entry.json.as_bytes(), &entry.identity.signing_key_id).await.unwrap();
}

/// Refers a registration and marks it identified by a final decision in 2026.
async fn identified(t: &TestApp, worker: &Session, given: &str, family: &str, born: &str) {
    let person = json!({"person": {"given_names": given, "family_names": family, "sex": "female",
        "date_of_birth": born, "citizenships": ["UA"]}});
    let created = t.call(Method::POST, "/api/v1/registrations", Some(worker), Some(person)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let submitted = t
        .call(Method::POST, &format!("/api/v1/registrations/{id}/submit"), Some(worker), Some(json!({"version": 1})))
        .await;
    assert!(submitted.status.is_success(), "{}", submitted.body);
    t.app
        .store()
        .execute_unchecked(&format!(
            "UPDATE registrations SET nrm_status = 'identified_victim', cg_decided_on = '2026-03-01' WHERE case_id = '{id}'"
        ))
        .await
        .unwrap();
}

async fn in_language(t: &TestApp, username: &str, password: &str, language: &str) {
    let s = t.login(username, password).await;
    let switched = t.form("/account/language", Some(&s), &[("language", language)]).await;
    assert!(switched.status.is_redirection() || switched.status.is_success(), "{}", switched.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_11_4_dir_2011_36_the_exchange_pages_fit_a_phone_with_every_input_labelled() {
    if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
        eprintln!("SKIPPED: headless Chromium test (install chromium and chromium-driver)");
        return;
    }
    // Two countries pinned to each other; a long organisation name where the pages show one.
    let lv = instance("LV").await;
    let ee = instance("EE").await;
    pin(&lv.app, &ee.app).await;
    pin(&ee.app, &lv.app).await;
    let lv_ngo = lv.org("Biedrība «Patvērums „Drošā māja”» Rīgas reģionālā nodaļa", "ngo", "LV").await;
    let lv_ministry = lv.org("Iekšlietu ministrija", "national_rapporteur", "LV").await;
    let caseworker_password = lv.user("lv.caseworker", &lv_ngo, &["caseworker"]).await;
    let lv_focal_password = lv.user("lv.focal", &lv_ministry, &["focal_point"]).await;
    let caseworker = lv.login("lv.caseworker", &caseworker_password).await;
    let lv_focal = lv.login("lv.focal", &lv_focal_password).await;
    let ee_ngo = ee.org("Mittetulundusühing Eesti Inimkaubanduse Ohvrite Abikeskus", "ngo", "EE").await;
    let ee_ministry = ee.org("Siseministeerium", "national_rapporteur", "EE").await;
    let ee_focal_password = ee.user("ee.focal", &ee_ministry, &["focal_point"]).await;
    ee.user("ee.worker", &ee_ngo, &["caseworker"]).await;

    // LV: the person, a referral prepared, submitted and sent; delivered to EE, where it waits.
    let reply = lv.call(Method::POST, "/api/v1/registrations", Some(&caseworker), Some(olena())).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let case = reply.json()["id"].as_str().unwrap().to_owned();
    let prepared = lv
        .form(&format!("/cases/{case}/transnational/new"), Some(&caseworker), &crate::transnational::filled_form())
        .await;
    assert_eq!(prepared.status, StatusCode::SEE_OTHER, "{}", prepared.body);
    let at = prepared.headers.get("location").unwrap().to_str().unwrap().to_owned();
    let sent_id = at.trim_start_matches("/transnational/").to_owned();
    assert_eq!(lv.form(&format!("{at}/submit"), Some(&caseworker), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(lv.form(&format!("{at}/send"), Some(&lv_focal), &[]).await.status, StatusCode::SEE_OTHER);
    let to_ee = Loopback { instances: vec![(endpoint("EE"), ee.app.clone())], now: START + 5 };
    let report = lv.app.deliver_exchange_outbox(&to_ee, START + 5).await.unwrap();
    assert_eq!(report.delivered.len(), 1, "{report:?}");
    let ee_focal = ee.login("ee.focal", &ee_focal_password).await;
    let received = ee.call(Method::GET, "/api/v1/transnational-referrals", Some(&ee_focal), None).await.json();
    let received_id = received["incoming"][0]["id"].as_str().expect("a referral received").to_owned();
    let to_lv = Loopback { instances: vec![(endpoint("LV"), lv.app.clone())], now: START + 6 };
    ee.app.deliver_exchange_outbox(&to_lv, START + 6).await.unwrap();

    // LV's persons, encoded for the cross-border count; the hub counts them with EE's.
    identified(&lv, &caseworker, "Olena", "Kovalenko", "1999-03-14").await;
    identified(&lv, &caseworker, "Ion", "Rusu", "1980-02-02").await;
    lv.app.store_person_linkage_secret_as(Acting::Operator, "2026-1", SECRET).await.unwrap();
    let lv_body = lv.app.prepare_person_encodings_as(Acting::Operator, 2026).await.unwrap().to_json().unwrap();
    let mut ee_body: serde_json::Value = serde_json::from_slice(&lv_body).unwrap();
    ee_body["country"] = json!("EE");
    let hub = TestApp::new().await;
    for (sender, body) in [("LV", lv_body), ("EE", serde_json::to_vec(&ee_body).unwrap())] {
        let message = ReceivedMessage {
            message_id: Uuid::now_v7(),
            sender: sender.into(),
            message_type: "person_encodings".into(),
            type_version: 1,
            body,
            envelope_sha256: "-".into(),
            received_at: time::OffsetDateTime::from_unix_timestamp(START).unwrap(),
        };
        hub.app.on_person_encodings_received(&message).await.unwrap();
    }
    let eu_office = hub
        .org("Eiropas Komisija, ES cilvēku tirdzniecības apkarošanas koordinatora birojs", "statistics_office", "EU")
        .await;
    let statistician_password = hub.user("eu.statistician", &eu_office, &["statistician"]).await;

    let Some(phone) = Phone::open(&lv).await else { return };
    // The caseworker: from the case page to the preparation form, by clicking.
    phone.log_in("lv.caseworker", &caseworker_password).await;
    phone.goto(&format!("/cases/{case}")).await;
    phone.check("the case page", &["#transnational", "#transnational-new"]).await;
    click_and_wait(&phone.c, Locator::Id("transnational-new"), "/transnational/new").await;
    phone.wait_loaded().await;
    phone.check("the purpose", &["#tnr-purpose-form", "#purpose-return_and_reintegration"]).await;
    phone.c.find(Locator::Id("purpose-return_and_reintegration")).await.unwrap().click().await.unwrap();
    click_and_wait(&phone.c, Locator::Css("#tnr-purpose-form button.primary"), "purpose=").await;
    phone.wait_loaded().await;
    phone
        .check(
            "the preparation form (return)",
            &["#tnr-prepare-form", "#receiving_peer", "#tnr-fields", "#basis", "#return_risk_assessment"],
        )
        .await;
    for purpose in ["onward_support", "information_request", "victim_at_risk"] {
        phone.goto(&format!("/cases/{case}/transnational/new?purpose={purpose}")).await;
        phone.check(&format!("the preparation form ({purpose})"), &["#tnr-prepare-form", "#tnr-fields"]).await;
    }
    // Refused: the receiving focal point chosen, no basis given; the field named, on the phone.
    phone.goto(&format!("/cases/{case}/transnational/new?purpose=onward_support")).await;
    phone.c.find(Locator::Css("#receiving_peer option[value='EE']")).await.unwrap().click().await.unwrap();
    phone.c.find(Locator::Css("#tnr-prepare-form button.primary")).await.unwrap().click().await.unwrap();
    let mut refused = String::new();
    for _ in 0..100 {
        refused = phone.c.source().await.unwrap();
        if refused.contains("href=\"#basis") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(refused.contains("href=\"#basis"), "the basis is named: {refused}");
    phone.check("the preparation form refused", &["#tnr-prepare-form"]).await;
    phone.goto(&at).await;
    phone.check("the sent referral, to the caseworker", &["#tnr-facts", "#tnr-shared", "#tnr-events"]).await;

    // In Latvian (longer words): the purpose, every purpose's form, the refusal.
    in_language(&lv, "lv.caseworker", &caseworker_password, "lv").await;
    let page = phone.goto(&format!("/cases/{case}/transnational/new")).await;
    assert!(page.contains("lang=\"lv\""), "{page}");
    phone.check("the purpose (lv)", &["#tnr-purpose-form"]).await;
    for purpose in ["return_and_reintegration", "onward_support", "information_request", "victim_at_risk"] {
        let page = phone.goto(&format!("/cases/{case}/transnational/new?purpose={purpose}")).await;
        assert!(page.contains("Nododamie lauki"), "{purpose}: {page}");
        phone.check(&format!("the preparation form ({purpose}, lv)"), &["#tnr-prepare-form", "#tnr-fields"]).await;
    }
    phone.goto(&format!("/cases/{case}/transnational/new?purpose=onward_support")).await;
    phone.c.find(Locator::Css("#receiving_peer option[value='EE']")).await.unwrap().click().await.unwrap();
    phone.c.find(Locator::Css("#tnr-prepare-form button.primary")).await.unwrap().click().await.unwrap();
    let mut refused = String::new();
    for _ in 0..100 {
        refused = phone.c.source().await.unwrap();
        if refused.contains("href=\"#basis") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(refused.contains("href=\"#basis") && refused.contains("lang=\"lv\""), "{refused}");
    phone.check("the preparation form refused (lv)", &["#tnr-prepare-form"]).await;
    phone.log_out().await;

    // The LV focal point: the lists, the sent referral and the peers' pages, in both languages.
    phone.log_in("lv.focal", &lv_focal_password).await;
    for language in ["en", "lv"] {
        in_language(&lv, "lv.focal", &lv_focal_password, language).await;
        let pages: [(String, &[&str]); 6] = [
            ("/transnational".to_owned(), &["main h2"]),
            (format!("/transnational/{sent_id}"), &["#tnr-facts", "#tnr-shared", "#tnr-events"]),
            ("/peers".to_owned(), &["form[action='/peers']", "#add-entry", "#add-signing_key_id"]),
            (
                "/peers/persons".to_owned(),
                &["form[action='/peers/persons/secret']", "form[action='/peers/persons/encodings']"],
            ),
            ("/peers/outbox".to_owned(), &["#outbox"]),
            ("/peers/own-keys".to_owned(), &["form[action='/peers/own-keys/rotation']", "#overlap_days"]),
        ];
        for (path, present) in pages {
            let page = phone.goto(&path).await;
            assert!(page.contains(&format!("lang=\"{language}\"")), "{path} in {language}: {page}");
            phone.check(&format!("{path} ({language})"), present).await;
        }
    }
    phone.log_out().await;
    phone.c.clone().close().await.unwrap();
    drop(phone);

    // EE: the referral received, with its accept and decline forms.
    let Some(phone) = Phone::open(&ee).await else { return };
    phone.log_in("ee.focal", &ee_focal_password).await;
    for language in ["en", "lv"] {
        in_language(&ee, "ee.focal", &ee_focal_password, language).await;
        let list = phone.goto("/transnational").await;
        assert!(list.contains(&format!("/transnational/{received_id}")), "{list}");
        phone.check(&format!("/transnational at the receiver ({language})"), &["main table"]).await;
        let page = phone.goto(&format!("/transnational/{received_id}")).await;
        assert!(page.contains("Olena"), "{page}");
        phone
            .check(
                &format!("the referral received ({language})"),
                &["#tnr-facts", "#tnr-accept", "#accept-organisation_id", "#tnr-decline", "#reason", "#explanation"],
            )
            .await;
    }
    phone.c.clone().close().await.unwrap();
    drop(phone);

    // The EU hub: the count of persons across borders, as the hub's statistician.
    let Some(phone) = Phone::open(&hub).await else { return };
    phone.log_in("eu.statistician", &statistician_password).await;
    for language in ["en", "lv"] {
        in_language(&hub, "eu.statistician", &statistician_password, language).await;
        let page = phone.goto("/statistics/eu/persons?year=2026").await;
        assert!(page.contains("<dd id=\"distinct\">2</dd>"), "{page}");
        phone
            .check(
                &format!("/statistics/eu/persons ({language})"),
                &["form[action='/statistics/eu/persons']", "#year", "#headline", "#per-country", "#overlaps"],
            )
            .await;
    }
    phone.c.clone().close().await.unwrap();
}
