//! The flows a real browser must get through: logging in with the form (browsers send
//! `Origin: null` and `Sec-Fetch-Site` on form posts, which no in-process test shows),
//! registering a person and reading the case. Runs headless Chromium through chromedriver when
//! both are installed (Debian's `chromium` and `chromium-driver`; CI installs them), and says it
//! was skipped otherwise.

use crate::common::TestApp;
use fantoccini::{ClientBuilder, Locator};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub(crate) const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";

pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_in_register_a_person_and_read_the_case_in_a_browser() {
    if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
        eprintln!("SKIPPED: headless Chromium test (install chromium and chromium-driver)");
        return;
    }
    let t = TestApp::new().await;
    let ngo = t.org("NGO", "ngo", "LV").await;
    let password = t.user("anna", &ngo, &["caseworker", "first_responder"]).await;

    let (_driver, _profile, c, base) = start(&t, 390, 844).await;

    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys("anna").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(&password).await.unwrap();
    click_and_wait(&c, Locator::Css("button.primary"), "").await;
    let url = c.current_url().await.unwrap();
    assert_eq!(url.path(), "/", "the login form did not go through");
    let home = c.source().await.unwrap();
    assert!(home.contains("Register a presumed victim"), "{home}");

    c.goto(&format!("{base}/cases/new")).await.unwrap();
    c.find(Locator::Id("given_names")).await.unwrap().send_keys("Olena").await.unwrap();
    c.find(Locator::Id("family_names")).await.unwrap().send_keys("Browsertest").await.unwrap();
    c.find(Locator::Css("#sex option[value='female']")).await.unwrap().click().await.unwrap();
    click_and_wait(&c, Locator::Css("main button.primary"), "/edit").await;
    let url = c.current_url().await.unwrap();
    assert!(url.path().starts_with("/cases/") && url.path() != "/cases/new", "{url}");
    let case = c.source().await.unwrap();
    assert!(case.contains("Browsertest"), "the new case page does not show the person");

    // The wizard on a phone-sized window: each step saves the draft and moves on.
    let save_next = Locator::Css("button[name='go'][value='next']");
    c.find(Locator::Id("citizenships")).await.unwrap().send_keys("UA").await.unwrap();
    click_and_wait(&c, save_next, "step=age").await;
    c.find(Locator::Id("age_min")).await.unwrap().send_keys("15").await.unwrap();
    c.find(Locator::Id("age_max")).await.unwrap().send_keys("17").await.unwrap();
    c.find(Locator::Id("reasons_to_believe_child")).await.unwrap().click().await.unwrap();
    click_and_wait(&c, save_next, "step=context").await;
    c.find(Locator::Id("acts-recruitment")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("forms-begging")).await.unwrap().click().await.unwrap();
    click_and_wait(&c, save_next, "step=timeline").await;
    click_and_wait(&c, save_next, "step=indicators").await;
    click_and_wait(&c, save_next, "step=consent").await;
    // A presumed child is referred without consent (Dir 2011/36 Art 13(2)).
    click_and_wait(&c, Locator::Css("button[name='go'][value='refer']"), "").await;
    c.wait().for_element(Locator::Id("status")).await.unwrap();
    let referred = c.source().await.unwrap();
    assert!(referred.contains("Presumed child") || referred.contains("presumed child"), "{referred}");
    assert!(referred.contains("First decision due"), "the clock runs after referral");
    assert!(referred.contains("Forced begging") || referred.contains("begging"), "the form is kept");

    // Logging out ends the session: the case is no longer reachable.
    c.find(Locator::Css("header form button")).await.unwrap().click().await.unwrap();
    c.goto(url.as_str()).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), "/login");
    c.close().await.unwrap();
}

/// Serves the app on a local port and opens headless Chromium on a window of `width` x
/// `height` through chromedriver. The driver and the profile live as long as the values kept.
async fn start(t: &TestApp, width: u32, height: u32) -> (Driver, tempfile::TempDir, fantoccini::Client, String) {
    start_in(t, width, height, "en-GB,en").await
}

/// [`start`] with the browser's languages (what it sends as `Accept-Language`).
pub(crate) async fn start_in(
    t: &TestApp,
    width: u32,
    height: u32,
    languages: &str,
) -> (Driver, tempfile::TempDir, fantoccini::Client, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = t.router.clone();
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });

    let port = free_port();
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
        serde_json::json!({
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     format!("--window-size={width},{height}"), format!("--user-data-dir={}", profile.path().display()),
                     format!("--lang={languages}")],
            "prefs": {"intl.accept_languages": languages}
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let mut client = None;
    for _ in 0..50 {
        match ClientBuilder::new(connector.clone())
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
    let base = format!("http://{address}");
    (driver, profile, c, base)
}

/// Clicks and waits for the page the click leads to (its URL contains `expect`, or for an empty
/// `expect`, any other URL): a click returns before the navigation ends.
pub(crate) async fn click_and_wait(c: &fantoccini::Client, locator: Locator<'_>, expect: &str) {
    let before = c.current_url().await.unwrap();
    c.find(locator).await.unwrap().click().await.unwrap();
    for _ in 0..100 {
        let now = c.current_url().await.unwrap();
        if now != before && (expect.is_empty() || now.as_str().contains(expect)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no navigation to {expect:?} from {before}: {}", c.source().await.unwrap_or_default());
}

/// What a page looks like in the browser: the page's width against the window's, and the
/// elements of `selector` that are not wholly on screen or have content clipped (their text).
const LAYOUT: &str = r#"
const inner = window.innerWidth;
const clipped = [];
for (const el of document.querySelectorAll(arguments[0])) {
  const r = el.getBoundingClientRect();
  const inScroller = el.closest('.table-wrap') !== null;
  if (r.width <= 0 || r.height <= 0 || (!inScroller && (r.left < -0.5 || r.right > inner + 0.5))
      || (!['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) && el.scrollWidth > el.clientWidth + 1)) {
    clipped.push((el.id || el.tagName) + ': ' + el.textContent.trim().slice(0, 60));
  }
}
const wide = [];
for (const el of document.querySelectorAll('main *')) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && el.closest('.table-wrap') === null && r.right > inner + 0.5) {
    wide.push(el.tagName + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : ''));
  }
}
return {scroll: document.documentElement.scrollWidth, inner: inner, clipped: clipped, wide: wide.slice(0, 10)};
"#;

/// The case page and the case edit page on a phone (390 px) and on a desktop (1280 px): no
/// horizontal scrolling of the page, and every identity value and legal-test result on screen
/// and not clipped (long values wrap).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_case_page_and_its_edit_page_fit_a_phone_and_a_desktop() {
    if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
        eprintln!("SKIPPED: headless Chromium test (install chromium and chromium-driver)");
        return;
    }
    let t = TestApp::new().await;
    let ngo = t.org("NGO", "ngo", "LV").await;
    let password = t.user("anna", &ngo, &["caseworker", "first_responder"]).await;
    let session = t.login("anna", &password).await;
    let mut reg = crate::ident::full_registration();
    reg["person"]["safe_contact"] =
        "Through the shelter telephone only, never by the mobile number the employer gave her".into();
    reg["person"]["family_names"] = "Kovalenko-Shevchenko-Bondarenko".into();
    let saved = t.call(axum::http::Method::POST, "/api/v1/registrations", Some(&session), Some(reg)).await;
    assert_eq!(saved.status, axum::http::StatusCode::CREATED, "{}", saved.body);
    let id = saved.json()["id"].as_str().unwrap().to_owned();
    let submitted = t
        .call(
            axum::http::Method::POST,
            &format!("/api/v1/registrations/{id}/submit"),
            Some(&session),
            Some(serde_json::json!({"version": 1})),
        )
        .await;
    assert!(submitted.status.is_success(), "{}", submitted.body);

    let (_driver, _profile, c, base) = start(&t, 390, 844).await;
    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys("anna").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(&password).await.unwrap();
    click_and_wait(&c, Locator::Css("button.primary"), "").await;

    for (width, height) in [(390, 844), (1280, 900)] {
        c.set_window_size(width, height).await.unwrap();
        let controls = "main input:not([type=hidden]), main select, main textarea, main label, main button";
        let mut pages = vec![(format!("/cases/{id}"), "#identity dd, #support dd, #status dd, #context dd")];
        for step in ["person", "age", "context", "timeline", "indicators", "consent"] {
            pages.push((format!("/cases/{id}/edit?step={step}"), controls));
        }
        for (path, values) in pages {
            c.goto(&format!("{base}{path}")).await.unwrap();
            let page = c.source().await.unwrap();
            if path.ends_with(&id) {
                for value in
                    ["FE 123456", "never by the mobile number", "Kovalenko-Shevchenko-Bondarenko", "1994-03-12"]
                {
                    assert!(page.contains(value), "{path}: {value} missing");
                }
            }
            let layout = c.execute(LAYOUT, vec![values.into()]).await.unwrap();
            let (scroll, inner) = (layout["scroll"].as_i64().unwrap(), layout["inner"].as_i64().unwrap());
            assert!(scroll <= inner, "{path} at {width} px: the page is {scroll} px wide in {inner} px: {layout}");
            assert_eq!(layout["clipped"], serde_json::json!([]), "{path} at {width} px: {layout}");
            assert_eq!(layout["wide"], serde_json::json!([]), "{path} at {width} px: {layout}");
        }
    }
    c.close().await.unwrap();
}

/// The consent trap, in the browser on a phone and on a desktop: consent ticked on the wizard's last step and
/// "Refer" pressed is consent recorded on the referred case.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consent_ticked_on_the_last_step_survives_refer_in_a_browser() {
    if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
        eprintln!("SKIPPED: headless Chromium test (install chromium and chromium-driver)");
        return;
    }
    let t = TestApp::new().await;
    let ngo = t.org("NGO", "ngo", "LV").await;
    let password = t.user("anna", &ngo, &["caseworker", "first_responder"]).await;
    let session = t.login("anna", &password).await;

    let (_driver, _profile, c, base) = start(&t, 390, 844).await;
    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys("anna").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(&password).await.unwrap();
    click_and_wait(&c, Locator::Css("button.primary"), "").await;
    for (width, height) in [(390, 844), (1280, 900)] {
        c.set_window_size(width, height).await.unwrap();
        let mut reg = crate::ident::full_registration();
        reg["support_consent"] = serde_json::Value::Null;
        let saved = t.call(axum::http::Method::POST, "/api/v1/registrations", Some(&session), Some(reg)).await;
        assert_eq!(saved.status, axum::http::StatusCode::CREATED, "{}", saved.body);
        let id = saved.json()["id"].as_str().unwrap().to_owned();
        c.goto(&format!("{base}/cases/{id}/edit?step=consent")).await.unwrap();
        c.find(Locator::Id("consent_given")).await.unwrap().click().await.unwrap();
        c.execute("document.getElementById('consent_date').value = '2026-09-20';", vec![]).await.unwrap();
        c.find(Locator::Id("consent_language")).await.unwrap().send_keys("uk").await.unwrap();
        c.find(Locator::Id("consent_informed_by")).await.unwrap().send_keys("Anna Ozola").await.unwrap();
        click_and_wait(&c, Locator::Css("button[name='go'][value='refer']"), "").await;
        c.wait().for_element(Locator::Id("status")).await.unwrap();
        let case = c.source().await.unwrap();
        assert!(case.contains("Yes, 2026-09-20, uk, Anna Ozola"), "the consent is kept: {case}");
        assert!(case.contains("First decision due"), "and the case is referred at {width} px");
    }
    c.close().await.unwrap();
}
