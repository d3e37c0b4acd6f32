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

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

struct Driver(Child);

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

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = t.router.clone();
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });

    let port = free_port();
    let _driver = Driver(
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
                     "--window-size=390,844", format!("--user-data-dir={}", profile.path().display())]
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

/// Clicks and waits for the page the click leads to (its URL contains `expect`, or for an empty
/// `expect`, any other URL): a click returns before the navigation ends.
async fn click_and_wait(c: &fantoccini::Client, locator: Locator<'_>, expect: &str) {
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
