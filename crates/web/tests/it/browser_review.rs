//! The person register's review and its re-link jobs in headless Chromium on a phone-sized
//! window (390 px): the data officer answers a pair with the keyboard alone, and nothing on the
//! pages overflows horizontally (a wide table scrolls inside its own frame, never the page).
//! Skipped, saying so, when Debian's `chromium` and `chromium-driver` are not installed.

use crate::browser::{CHROMEDRIVER, CHROMIUM, click_and_wait};
use crate::common::TestApp;
use axum::http::{Method, StatusCode};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::json;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// chromedriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Serves the app on a local port and opens headless Chromium emulating a phone 390 px wide
/// (a headless window is never narrower than 500 px: the page is laid out at the emulated
/// width). The driver and the profile live as long as the values kept.
async fn start_phone(t: &TestApp) -> (Driver, tempfile::TempDir, Client, String) {
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
    (driver, profile, client.expect("chromedriver did not start"), format!("http://{address}"))
}

/// The page's width against the phone's (`arguments[0]`: on a phone the window widens to
/// what overflows, zoomed out), and the elements of `main` that stick out of the
/// window (outside a `.table-wrap`, which scrolls) or clip their content.
const OVERFLOW: &str = r#"
const inner = arguments[0];
const wide = [];
for (const el of document.querySelectorAll('main *')) {
  const r = el.getBoundingClientRect();
  if (r.width <= 0 || el.closest('.table-wrap') !== null) continue;
  if (r.left < -0.5 || r.right > inner + 0.5
      || (!['INPUT', 'SELECT', 'TEXTAREA', 'PROGRESS'].includes(el.tagName) && el.scrollWidth > el.clientWidth + 1
          && getComputedStyle(el).overflowX !== 'auto')) {
    wide.push(el.tagName + (el.id ? '#' + el.id : '') + ': ' + el.textContent.trim().slice(0, 40));
  }
}
return {scroll: document.documentElement.scrollWidth, inner: inner, wide: wide.slice(0, 10)};
"#;

/// The phone's width in CSS pixels.
const PHONE: i64 = 390;

async fn press(c: &Client, key: Key) {
    let k: char = key.into();
    let keys = KeyActions::new("keyboard".into()).then(KeyAction::Down { value: k }).then(KeyAction::Up { value: k });
    c.perform_actions(keys).await.unwrap();
}

/// Asserts that the page in the window does not overflow horizontally.
async fn fits(c: &Client, page: &str) {
    let layout = c.execute(OVERFLOW, vec![json!(PHONE)]).await.unwrap();
    let (scroll, inner) = (layout["scroll"].as_i64().unwrap(), layout["inner"].as_i64().unwrap());
    assert!(scroll <= inner, "{page} scrolls sideways on a phone: {scroll} > {inner}: {layout}");
    assert!(layout["wide"].as_array().unwrap().is_empty(), "{page}: wider than the window: {layout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_data_officer_answers_a_pair_with_the_keyboard_on_a_phone() {
    if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
        eprintln!("SKIPPED: headless Chromium test (install chromium and chromium-driver)");
        return;
    }
    let t = TestApp::new().await;
    let ca = t.org("Competent Authority", "competent_authority", "LV").await;
    let ngo = t.org("NGO", "ngo", "LV").await;
    let officer_password = t.user("data.officer", &ca, &["data_officer"]).await;
    let caseworker_password = t.user("anna", &ngo, &["caseworker", "first_responder"]).await;
    let anna = t.login("anna", &caseworker_password).await;
    for _ in 0..2 {
        let person = json!({"person": {"given_names": "Olena", "family_names": "Kovalenko-Shevchenko-Bondarenko"}});
        let reply = t.call(Method::POST, "/api/v1/registrations", Some(&anna), Some(person)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }

    let (_driver, _profile, c, base) = start_phone(&t).await;
    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys("data.officer").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(&officer_password).await.unwrap();
    click_and_wait(&c, Locator::Css("button.primary"), "").await;
    assert_eq!(c.current_url().await.unwrap().path(), "/", "the login form did not go through");

    c.goto(&format!("{base}/persons/review")).await.unwrap();
    c.wait().for_element(Locator::Css("button[name='answer'][value='same']")).await.unwrap();
    let inner: i64 = c.execute("return window.innerWidth", vec![]).await.unwrap().as_i64().unwrap();
    assert_eq!(inner, PHONE, "the page is not laid out at a phone's width (or already overflows it)");
    fits(&c, "/persons/review").await;

    // The keyboard alone: Tab from the top of the page to "Same person", then Enter.
    let mut reached = false;
    for _ in 0..80 {
        press(&c, Key::Tab).await;
        let focused = c.active_element().await.unwrap();
        if focused.attr("name").await.unwrap().as_deref() == Some("answer")
            && focused.attr("value").await.unwrap().as_deref() == Some("same")
        {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab never reached the answer buttons");
    press(&c, Key::Enter).await;
    let mut answered = 0;
    for _ in 0..100 {
        answered = t
            .app
            .store()
            .count_unchecked("SELECT COUNT(*) FROM person_review_answers WHERE answer = 'same'")
            .await
            .unwrap();
        if answered == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(answered, 1, "the answer sent with the keyboard was not kept");
    // Back on the review, nothing left to ask, and still nothing wider than the phone.
    for _ in 0..100 {
        if c.source().await.unwrap().contains("No pair to review") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(c.current_url().await.unwrap().path(), "/persons/review");
    let page = c.source().await.unwrap();
    assert!(page.contains("No pair to review") && page.contains("<dd class=\"num\">1</dd>"), "{page}");
    fits(&c, "/persons/review after the answer").await;

    // The re-link jobs on the phone: started with the keyboard (Space ticks, Enter sends).
    c.find(Locator::Css("a[href='/persons/relink']")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("confirm")).await.unwrap();
    fits(&c, "/persons/relink").await;
    let confirm = c.find(Locator::Id("confirm")).await.unwrap();
    confirm.send_keys(" ").await.unwrap();
    assert!(confirm.is_selected().await.unwrap(), "Space did not tick the confirmation");
    press(&c, Key::Tab).await;
    let focused = c.active_element().await.unwrap();
    assert_eq!(focused.attr("type").await.unwrap().as_deref(), Some("submit"), "Tab did not lead to the start");
    press(&c, Key::Enter).await;
    for _ in 0..200 {
        if c.source().await.unwrap().contains("class=\"card relink-job") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let page = c.source().await.unwrap();
    assert!(page.contains("class=\"card relink-job"), "no job after the start: {page}");
    fits(&c, "/persons/relink with a job").await;
    c.close().await.unwrap();
}
