//! The caseworker's day in headless Chromium, flow by flow, each at a phone's width (390 px) and
//! a desktop's (1280 px): the work queues and their counts, the duplicates after saving, the
//! support modules reached from a child's case, a refused decision that keeps what was typed,
//! the presumed child's label, the data protection officer's audit trail, the statistics'
//! headline, and the small frictions (the second factor's QR code, the referral form's
//! proposals, the focus ring, the step list, the login page's language, roles changed on the
//! users page). Every page reached is checked to fit the window: no horizontal scrolling, nothing
//! pushed off screen. Navigation is by clicking what a user sees, not by typing addresses,
//! except where a test says so. Skipped, saying so, where Chromium is not installed.

use crate::browser::{CHROMEDRIVER, CHROMIUM, Driver, click_and_wait, start_in};
use crate::common::{ClockExt, TestApp};
use crate::pages::{PASSWORD, assert_see_other, location, register};
use axum::http::{Method, StatusCode};
use fantoccini::{Client, Locator};
use std::time::Duration;

const WIDTHS: [(u32, u32); 2] = [(390, 844), (1280, 900)];

/// What does not fit the window: the page's scroll width against the window's, and every
/// element of the header, main content and footer reaching past the right edge (tables may
/// scroll inside their own wrapper), or text clipped in a heading, label, value or button.
const FITS: &str = r#"
const inner = window.innerWidth;
const wide = [];
for (const el of document.querySelectorAll('header *, main *, footer *')) {
  const r = el.getBoundingClientRect();
  const inScroller = el.parentElement !== null && el.parentElement.closest('.table-wrap') !== null;
  if (r.width > 0 && !inScroller && (r.right > inner + 0.5 || r.left < -0.5)
      && getComputedStyle(el).position !== 'absolute') {
    wide.push(el.tagName + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : '')
      + ': ' + (el.textContent || '').trim().slice(0, 40));
  }
}
const clipped = [];
for (const el of document.querySelectorAll('main h1, main h2, main dd, main dt, main label, main button, main .button, main p')) {
  if (el.closest('.table-wrap') === null && el.scrollWidth > el.clientWidth + 1) {
    clipped.push(el.tagName + (el.id ? '#' + el.id : '') + ': ' + el.textContent.trim().slice(0, 40));
  }
}
return {scroll: document.documentElement.scrollWidth, inner: inner, wide: wide.slice(0, 10), clipped: clipped.slice(0, 10)};
"#;

struct Browser {
    _driver: Driver,
    _profile: tempfile::TempDir,
    c: Client,
    base: String,
    width: u32,
}

impl Browser {
    /// A browser on the test app, sending `languages` as its Accept-Language; `None` (and a
    /// note) when Chromium is not installed.
    async fn open(t: &TestApp, languages: &str) -> Option<Browser> {
        if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
            eprintln!("SKIPPED: headless Chromium test (install chromium and chromium-driver)");
            return None;
        }
        let (driver, profile, c, base) = start_in(t, WIDTHS[0].0, WIDTHS[0].1, languages).await;
        Some(Browser { _driver: driver, _profile: profile, c, base, width: WIDTHS[0].0 })
    }

    async fn resize(&mut self, (width, height): (u32, u32)) {
        self.c.set_window_size(width, height).await.unwrap();
        self.width = width;
    }

    async fn goto(&self, path: &str) -> String {
        self.c.goto(&format!("{}{path}", self.base)).await.unwrap();
        self.source().await
    }

    async fn source(&self) -> String {
        self.c.source().await.unwrap()
    }

    async fn path(&self) -> String {
        let url = self.c.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Logs in with the form (and the second factor's code when given) and lands on the home page.
    async fn log_in(&self, username: &str, password: &str, totp: Option<&str>) {
        self.goto("/login").await;
        self.c.find(Locator::Id("username")).await.unwrap().send_keys(username).await.unwrap();
        self.c.find(Locator::Id("password")).await.unwrap().send_keys(password).await.unwrap();
        if let Some(code) = totp {
            self.c.find(Locator::Id("totp")).await.unwrap().send_keys(code).await.unwrap();
        }
        click_and_wait(&self.c, Locator::Css("main button.primary"), "").await;
        assert_eq!(self.path().await, "/", "{username} is not logged in: {}", self.source().await);
        self.fits("home").await;
    }

    /// Logs out with the header's button.
    async fn log_out(&self) {
        click_and_wait(&self.c, Locator::Css("header form button"), "/login").await;
    }

    /// Clicks what `css` finds and waits for the page it leads to (whose address contains
    /// `expect`), then checks the page fits the window and returns it.
    async fn click(&self, css: &str, expect: &str) -> String {
        click_and_wait(&self.c, Locator::Css(css), expect).await;
        self.wait_loaded().await;
        self.fits(css).await;
        self.source().await
    }

    /// Submits a form with its button `css`; the page the post returns (which may be the same
    /// address, for a refused form) is awaited by the button's disappearance from the old page.
    async fn submit(&self, css: &str) -> String {
        let button = self.c.find(Locator::Css(css)).await.unwrap();
        let marker = "window.__haven_before_submit = true;";
        self.c.execute(marker, vec![]).await.unwrap();
        button.click().await.unwrap();
        for _ in 0..200 {
            let still = self.c.execute("return window.__haven_before_submit === true;", vec![]).await;
            if matches!(still, Ok(serde_json::Value::Bool(false))) {
                self.wait_loaded().await;
                self.fits(css).await;
                return self.source().await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the form of {css} did not lead to a new page: {}", self.source().await);
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

    /// Asserts the page in the window fits it (see [`FITS`]); `what` names how it was reached.
    async fn fits(&self, what: &str) {
        let path = self.path().await;
        let layout = self.c.execute(FITS, vec![]).await.unwrap();
        let (scroll, inner) = (layout["scroll"].as_i64().unwrap_or(i64::MAX), layout["inner"].as_i64().unwrap_or(0));
        let width = self.width;
        assert!(scroll <= inner, "{path} ({what}) at {width} px: the page is {scroll} px wide in {inner} px: {layout}");
        assert_eq!(layout["wide"], serde_json::json!([]), "{path} ({what}) at {width} px: off screen: {layout}");
        assert_eq!(layout["clipped"], serde_json::json!([]), "{path} ({what}) at {width} px: clipped: {layout}");
    }

    /// The value of a JavaScript expression on the page.
    async fn js(&self, expression: &str) -> serde_json::Value {
        self.c.execute(&format!("return {expression};"), vec![]).await.unwrap()
    }

    async fn close(self) {
        self.c.close().await.unwrap();
    }
}

fn case_id_of(reply: &crate::common::Reply) -> String {
    location(reply).trim_start_matches("/cases/").split('/').next().unwrap_or_default().to_owned()
}

/// Item 2: the supervisor finds the assessment waiting for approval from the count on the home
/// page; the caseworker's referrals open on the outbox, where the line names the person by
/// initials and the date sent; the shelter's home counts the referral received and leads to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_queues_and_their_counts_lead_to_the_work_in_a_browser() {
    let t = TestApp::new().await;
    let ngo = t.org("Patvērums Drošā Māja", "ngo", "LV").await;
    let shelter = t.org("Riga Shelter", "shelter", "LV").await;
    t.user("casey", &ngo, &["caseworker"]).await;
    t.user("sup", &ngo, &["supervisor"]).await;
    t.user("shelterworker", &shelter, &["caseworker"]).await;
    let caseworker = t.login("casey", PASSWORD).await;
    let reply = t
        .form(
            "/cases",
            Some(&caseworker),
            &[("given_names", "Anna"), ("family_names", "Bērziņa"), ("date_of_birth", "2001-04-17"), ("sex", "female")],
        )
        .await;
    let id = case_id_of(&reply);
    let reply = t
        .form(
            &format!("/cases/{id}/assessments/new"),
            Some(&caseworker),
            &[
                ("assessed_on", "2026-09-20"),
                ("risk_from_traffickers", "high"),
                ("risk_summary", "The recruiter knows where her sister lives."),
                ("levels.safety", "urgent"),
                ("levels.physical_health", "none"),
                ("levels.mental_health", "need"),
                ("levels.accommodation", "urgent"),
                ("levels.subsistence", "need"),
                ("levels.legal_status", "none"),
                ("levels.language", "none"),
                ("languages", "uk, ru"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let reply = t
        .form(
            &format!("/cases/{id}/referrals/new"),
            Some(&caseworker),
            &[
                ("kind", "service"),
                ("service", "counselling_information"),
                ("to_organisation_id", &shelter),
                ("shared_fields", "given_names"),
                ("shared_fields", "sex"),
                ("consent_given", "on"),
                ("consent_on", "2026-09-20"),
                ("consent_language", "uk"),
                ("send", "yes"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let referral = location(&reply).trim_start_matches("/referrals/").to_owned();

    let Some(mut b) = Browser::open(&t, "en-GB,en").await else { return };
    for size in WIDTHS {
        b.resize(size).await;
        b.log_in("sup", PASSWORD, None).await;
        let home = b.source().await;
        assert!(home.contains("href=\"/assessments/to-review\" class=\"has-items\"><strong>1</strong>"), "{home}");
        let queue = b.click("main a.has-items[href='/assessments/to-review']", "/assessments/to-review").await;
        assert!(queue.contains("2026-09-20"), "{queue}");
        b.click(&format!("main a[href='/cases/{id}/support']"), "/support").await;
        assert!(b.source().await.contains("/assessments/review"), "the approval is offered on the case's support page");
        b.log_out().await;

        b.log_in("casey", PASSWORD, None).await;
        let page = b.click("header nav a[href='/referrals']", "/referrals").await;
        assert!(
            page.contains("href=\"/referrals?mailbox=outbox\" aria-current=\"page\""),
            "opens on the outbox: {page}"
        );
        assert!(page.contains("A. B.") && page.contains(" UTC</td>"), "the person's initials and the date: {page}");
        b.click(&format!("main a[href='/referrals/{referral}']"), &referral).await;
        b.log_out().await;

        b.log_in("shelterworker", PASSWORD, None).await;
        let inbox = b.click("main a.has-items[href='/referrals?mailbox=inbox']", "mailbox=inbox").await;
        assert!(inbox.contains(&format!("/referrals/{referral}")), "{inbox}");
        assert!(!inbox.contains("A. B."), "the shelter does not read the identity: {inbox}");
        b.log_out().await;
    }
    b.close().await;
}

/// Item 3: registering a person already registered shows the possible duplicate on the page
/// after saving, and its link opens the other case.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_possible_duplicates_after_saving_lead_to_the_other_case_in_a_browser() {
    let w = crate::pages::world().await;
    let t = &w.t;
    let first = register(t, &w.caseworker, "Anna").await;
    let Some(mut b) = Browser::open(t, "en-GB,en").await else { return };
    for size in WIDTHS {
        b.resize(size).await;
        b.log_in("casey", PASSWORD, None).await;
        b.click("main a[href='/cases/new']", "/cases/new").await;
        b.c.find(Locator::Id("given_names")).await.unwrap().send_keys("Anna").await.unwrap();
        b.c.find(Locator::Id("family_names")).await.unwrap().send_keys("Berzina").await.unwrap();
        b.js("(document.getElementById('date_of_birth').value = '2001-04-17')").await;
        b.c.find(Locator::Css("#sex option[value='female']")).await.unwrap().click().await.unwrap();
        let after = b.click("main button.primary", "/edit").await;
        assert!(after.contains("id=\"duplicates\""), "the duplicates after saving: {after}");
        let section = &after[after.find("id=\"duplicates\"").unwrap_or(0)..];
        let section = &section[..section.find("</section>").unwrap_or(section.len())];
        assert!(section.contains("Anna Bērziņa") && section.contains(" %</td>"), "{section}");
        let other = b.click(&format!("#duplicates a[href='/cases/{first}']"), &format!("/cases/{first}")).await;
        assert!(other.contains("Bērziņa"), "{other}");
        b.log_out().await;
    }
    b.close().await;
}

/// Item 4: from a child's case, child protection is the prominent action, and child protection,
/// compensation and safe return each open in one click (Dir 2011/36 Art 14; Art 17; CETS 197
/// Art 16).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_14_dir_2011_36_child_protection_compensation_and_return_are_one_click_from_a_childs_case_in_a_browser() {
    let w = crate::pages::world().await;
    let t = &w.t;
    let id = register(t, &w.caseworker, "Mila").await;
    let reply = t
        .form(
            &format!("/cases/{id}/edit"),
            Some(&w.caseworker),
            &[("step", "age"), ("version", "1"), ("date_of_birth", "2014-03-01"), ("dob_verified", "on")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let Some(mut b) = Browser::open(t, "en-GB,en").await else { return };
    for size in WIDTHS {
        b.resize(size).await;
        b.log_in("casey", PASSWORD, None).await;
        b.click("header nav a[href='/cases']", "/cases").await;
        b.click(&format!("main a[href='/cases/{id}']"), &format!("/cases/{id}")).await;
        for (module, css) in [
            ("support/child", format!("[role='note'] a.button.primary[href='/cases/{id}/support/child']")),
            ("support/compensation", format!("main a[href='/cases/{id}/support/compensation']")),
            ("support/return", format!("main a[href='/cases/{id}/support/return']")),
        ] {
            let page = b.click(&css, module).await;
            assert!(page.contains("Mila") || page.contains("<form"), "{module}: {page}");
            b.c.back().await.unwrap();
            b.wait_loaded().await;
            assert_eq!(b.path().await, format!("/cases/{id}"));
        }
        b.log_out().await;
    }
    b.close().await;
}

/// Item 6: the decision form chooses no outcome for the decider; a negative decision without
/// reasons comes back on the case page with the problem next to the reasons and the choice and
/// date kept, nothing recorded; with reasons it is recorded (Dir 2011/36 Art 11(2); CETS 197
/// Art 10(2)).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_10_2_cets_197_a_refused_decision_keeps_what_was_typed_in_a_browser() {
    let w = crate::pages::world().await;
    let t = &w.t;
    let authority = t.org("Competent Authority LV", "competent_authority", "LV").await;
    t.user("decider", &authority, &["decision_maker"]).await;
    let id = register(t, &w.investigator, "Olena").await;
    let reply = t.form(&format!("/cases/{id}/submit"), Some(&w.investigator), &[("version", "1")]).await;
    assert_see_other(&reply, &format!("/cases/{id}"));
    let Some(mut b) = Browser::open(t, "en-GB,en").await else { return };
    for (n, size) in WIDTHS.into_iter().enumerate() {
        b.resize(size).await;
        b.log_in("decider", PASSWORD, None).await;
        b.click("main a[href='/deadlines']", "/deadlines").await;
        b.click(&format!("main a[href='/cases/{id}']"), &format!("/cases/{id}")).await;
        assert_eq!(b.js("document.getElementById('decision-kind').value").await, "", "no outcome chosen");
        b.c.find(Locator::Css("#decision-kind option[value='first_decision_negative']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        b.js("(document.getElementById('decided_on').value = '2026-09-20')").await;
        let page = b.submit("#decisions form button.primary").await;
        assert!(page.contains("id=\"err-reasons\""), "the problem next to the reasons: {page}");
        assert!(!page.contains("422 Error") && !page.contains("(field:"), "no dead end: {page}");
        assert_eq!(b.js("document.getElementById('decision-kind').value").await, "first_decision_negative");
        assert_eq!(b.js("document.getElementById('decided_on').value").await, "2026-09-20");
        let file = t.call(Method::GET, &format!("/api/v1/registrations/{id}"), Some(&w.investigator), None).await;
        assert_eq!(file.json()["status"], "referred", "nothing recorded: {}", file.body);
        if n + 1 == WIDTHS.len() {
            b.c.find(Locator::Id("reasons"))
                .await
                .unwrap()
                .send_keys("No element of the means is shown.")
                .await
                .unwrap();
            b.js("(document.getElementById('decided_on').value = '2026-09-21')").await;
            let page = b.submit("#decisions form button.primary").await;
            assert!(!page.contains("id=\"form-error\""), "{page}");
            assert!(page.contains("No element of the means is shown."), "{page}");
            let file = t.call(Method::GET, &format!("/api/v1/registrations/{id}"), Some(&w.investigator), None).await;
            assert_ne!(file.json()["status"], "referred", "the decision is recorded: {}", file.body);
        }
        b.log_out().await;
    }
    b.close().await;
}

/// Item 7: a presumed child (age estimated, no date of birth) is listed as presumed in the case
/// list and on the deadlines dashboard, never as a child on a verified date of birth
/// (Dir 2011/36 Art 13(2)).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_13_2_dir_2011_36_a_presumed_child_is_listed_as_presumed_in_a_browser() {
    let w = crate::pages::world().await;
    let t = &w.t;
    let authority = t.org("Competent Authority LV", "competent_authority", "LV").await;
    t.user("decider", &authority, &["decision_maker"]).await;
    let id = register(t, &w.investigator, "Olena").await;
    let reply = t
        .form(
            &format!("/cases/{id}/edit"),
            Some(&w.investigator),
            &[
                ("step", "age"),
                ("version", "1"),
                ("age_min", "15"),
                ("age_max", "19"),
                ("reasons_to_believe_child", "on"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let reply = t.form(&format!("/cases/{id}/submit"), Some(&w.investigator), &[("version", "2")]).await;
    assert_see_other(&reply, &format!("/cases/{id}"));
    let Some(mut b) = Browser::open(t, "en-GB,en").await else { return };
    for size in WIDTHS {
        b.resize(size).await;
        b.log_in("inv", PASSWORD, None).await;
        let list = b.click("header nav a[href='/cases']", "/cases").await;
        assert!(list.contains("Presumed child (age uncertain)") && !list.contains("date of birth verified"), "{list}");
        b.log_out().await;
        b.log_in("decider", PASSWORD, None).await;
        let deadlines = b.click("header nav a[href='/deadlines']", "/deadlines").await;
        assert!(deadlines.contains(&format!("href=\"/cases/{id}\"")), "{deadlines}");
        assert!(
            deadlines.contains("Presumed child (age uncertain)") && !deadlines.contains("date of birth verified"),
            "{deadlines}"
        );
        b.log_out().await;
    }
    b.close().await;
}

/// Item 8: the data protection officer goes from the home page to the audit log, from a line of
/// it to the case's access history, and back, every page opening.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_data_protection_officer_follows_the_audit_log_to_an_access_history_and_back_in_a_browser() {
    let w = crate::pages::world().await;
    let t = &w.t;
    t.user("dpo", &w.ngo, &["auditor"]).await;
    let id = register(t, &w.caseworker, "Anna").await;
    let read = t.page(&format!("/cases/{id}"), Some(&w.caseworker)).await;
    assert_eq!(read.status, StatusCode::OK);
    let Some(mut b) = Browser::open(t, "en-GB,en").await else { return };
    for size in WIDTHS {
        b.resize(size).await;
        b.log_in("dpo", PASSWORD, None).await;
        let audit = b.click("main a[href='/admin/audit']", "/admin/audit").await;
        assert!(audit.contains(&format!("href=\"/cases/{id}/history\"")), "{audit}");
        let history = b.click(&format!("main a[href='/cases/{id}/history']"), "/history").await;
        assert!(!history.contains(&format!("href=\"/cases/{id}\"")), "no link the officer may not follow");
        let back = b.click("main a[href='/admin/audit']", "/admin/audit").await;
        assert!(back.contains(&format!("href=\"/cases/{id}/history\"")), "back on the audit log: {back}");
        b.log_out().await;
    }
    b.close().await;
}

/// Item 9: the rapporteur's statistics lead with the released figure and label the working
/// figures; the EU statistician's statistics link lands on the EU page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statistics_lead_with_the_released_figure_and_the_eu_level_lands_on_its_page_in_a_browser() {
    let t = TestApp::new().await.with_embedded_profiles();
    let rap = t.org("National Rapporteur", "national_rapporteur", "LV").await;
    let eu = t.org("EU Statistics Office", "statistics_office", "EU").await;
    let rapporteur_password = t.user("rapporteur", &rap, &["rapporteur"]).await;
    let rapporteur = t.login("rapporteur", &rapporteur_password).await;
    let eu_password = t.user("eu.statistician", &eu, &["statistician"]).await;
    let body = serde_json::json!({"year": 2026, "mode": "suppression", "threshold": 3});
    let r = t.call(Method::POST, "/api/v1/statistics/releases", Some(&rapporteur), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let release = r.json()["id"].as_str().unwrap_or_default().to_owned();
    let Some(mut b) = Browser::open(&t, "en-GB,en").await else { return };
    for size in WIDTHS {
        b.resize(size).await;
        b.log_in("rapporteur", &rapporteur_password, None).await;
        let page = b.click("header nav a[href='/statistics']", "/statistics").await;
        let headline = page.find("id=\"released-figure\"").unwrap_or(usize::MAX);
        let working = page.find("Unreleased working figures").unwrap_or(0);
        assert!(headline < working, "the released figure first, the working figures labelled: {page}");
        // The released figure is what a reader sees first in the main content.
        let first = b.js("document.getElementById('released-figure').getBoundingClientRect().top").await;
        let heading = b.js("document.querySelector('main h1').getBoundingClientRect().bottom").await;
        assert!(first.as_f64().unwrap_or(f64::MAX) >= heading.as_f64().unwrap_or(0.0));
        b.click(&format!("main a[href='/statistics/releases/{release}']"), &release).await;
        b.log_out().await;

        b.log_in("eu.statistician", &eu_password, None).await;
        b.click("header nav a[href='/statistics']", "/statistics/eu").await;
        // Addresses typed by hand land there too: the EU level makes no release of its own.
        b.goto("/statistics/releases").await;
        assert_eq!(b.path().await, "/statistics/eu");
        b.fits("/statistics/releases typed").await;
        b.log_out().await;
    }
    b.close().await;
}

/// The contrast of two CSS colours `rgb(r, g, b)` (WCAG 2).
fn contrast(a: &str, b: &str) -> f64 {
    fn luminance(rgb: &str) -> f64 {
        let v: Vec<f64> = rgb
            .trim_start_matches("rgba(")
            .trim_start_matches("rgb(")
            .trim_end_matches(')')
            .split(',')
            .take(3)
            .map(|c| c.trim().parse::<f64>().unwrap_or(0.0) / 255.0)
            .map(|c| if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) })
            .collect();
        0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]
    }
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// Item 10, the caseworker's frictions: the second factor's set-up shows a QR code; the referral
/// form proposes the best provider and the person's languages, lists the operator last and says
/// "Not known" only; the keyboard focus ring stands out; the wizard's steps are numbered once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_caseworkers_frictions_are_gone_in_a_browser() {
    let w = crate::pages::world().await;
    let t = &w.t;
    t.org("Haven operator", "competent_authority", "LV").await;
    let id = register(t, &w.caseworker, "Anna").await;
    let reply = t
        .form(
            &format!("/cases/{id}/edit"),
            Some(&w.caseworker),
            &[
                ("step", "person"),
                ("version", "1"),
                ("given_names", "Anna"),
                ("family_names", "Bērziņa"),
                ("date_of_birth", "2001-04-17"),
                ("sex", "female"),
                ("languages", "uk, ru"),
                ("go", "case"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    crate::queues::add_counselling_provider(t, &w.supervisor, &w.shelter).await;

    let Some(mut b) = Browser::open(t, "en-GB,en").await else { return };
    for size in WIDTHS {
        b.resize(size).await;
        b.log_in("casey", PASSWORD, None).await;

        // The second factor: a QR code drawn on the page, and the key as text beside it.
        b.click("header nav a[href='/account']", "/account").await;
        let page = b.submit("#totp form button").await;
        assert!(page.contains("class=\"qr\""), "{page}");
        let drawn = b.js("(() => { const i = document.querySelector('img.qr'); return i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width >= 150; })()").await;
        assert_eq!(drawn, true, "the QR code is drawn, at least 150 px wide");

        // The referral form, reached from the case.
        b.goto(&format!("/cases/{id}")).await;
        b.click(&format!("main a[href='/cases/{id}/referrals/new']"), "/referrals/new").await;
        b.c.find(Locator::Id("kind-service")).await.unwrap().click().await.unwrap();
        b.c.find(Locator::Css("#service option[value='counselling_information']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let form = b.submit("form[method='get'] button[type='submit']").await;
        assert!(b.path().await.contains("service=counselling_information"), "{form}");
        assert_eq!(b.js("document.getElementById('provider-1').checked").await, true, "the best match is proposed");
        assert_eq!(b.js("document.querySelector('input[name=languages]').value").await, "uk, ru");
        let options = b
            .js("Array.from(document.querySelectorAll('#to_organisation_id option')).map(o => o.textContent.trim())")
            .await;
        let options: Vec<String> =
            options.as_array().into_iter().flatten().filter_map(|o| o.as_str().map(str::to_owned)).collect();
        let operator = options.iter().position(|o| o.starts_with("Haven operator"));
        assert_eq!(operator, Some(options.len() - 1), "the operator comes last: {options:?}");
        assert!(form.contains(">Not known<") && !form.contains(">Unknown<"), "one word for not known");

        // The focus ring, reached with the keyboard: at least 3:1 against the page around it.
        b.goto(&format!("/cases/{id}/edit?step=person")).await;
        b.fits("the wizard").await;
        b.c.find(Locator::Css("body")).await.unwrap().send_keys("\u{E004}").await.unwrap();
        let ring = b.js("getComputedStyle(document.activeElement).outlineColor").await;
        let ring_style = b.js("getComputedStyle(document.activeElement).outlineStyle").await;
        assert_ne!(ring_style, "none", "the focused element shows a ring");
        let ring = ring.as_str().unwrap_or_default().to_owned();
        for around in ["rgb(255, 255, 255)", "rgb(247, 248, 250)", "rgb(20, 33, 61)"] {
            assert!(contrast(&ring, around) >= 3.0, "focus ring {ring} against {around}");
        }
        // The steps: "1. Person", numbered once, no bullets.
        let first = b.js("document.querySelector('.steps li').innerText.trim()").await;
        let first = first.as_str().unwrap_or_default().to_owned();
        assert!(first.starts_with("1. ") && !first.starts_with("1. 1."), "{first}");
        assert_eq!(b.js("getComputedStyle(document.querySelector('.steps ol')).listStyleType").await, "none");
        b.log_out().await;
    }
    b.close().await;
}

/// Item 10, the login page in the browser's language (Latvian here), and an administrator
/// changing an existing user's roles on the users page: taking a role away applies at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_page_speaks_latvian_to_a_latvian_browser_and_roles_change_on_the_users_page() {
    let t = TestApp::new().await;
    let authority = t.org("LV Authority", "competent_authority", "LV").await;
    let ngo = t.org("LV NGO", "ngo", "LV").await;
    t.user("ilze", &ngo, &["first_responder", "caseworker"]).await;
    let admin_password = t.user("lv.admin", &authority, &["administrator"]).await;
    let secret = t.enrol_totp("lv.admin", &admin_password).await;
    let Some(mut b) = Browser::open(&t, "lv-LV,lv,en").await else { return };
    for size in WIDTHS {
        b.resize(size).await;
        let login = b.goto("/login").await;
        assert!(login.contains("<html lang=\"lv\""), "{login}");
        b.fits("login").await;
        t.clock.advance(30);
        let code = secret.code_at(t.clock.now_u64());
        b.log_in("lv.admin", &admin_password, Some(&code)).await;
        b.click("header nav a[href='/admin/users']", "/admin/users").await;
        b.c.find(Locator::Css("form[action='/admin/users/ilze/roles']"))
            .await
            .unwrap()
            .find(Locator::XPath("./ancestor::details/summary"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        b.fits("the roles form open").await;
        let caseworker = b.c.find(Locator::Id("roles-ilze-caseworker")).await.unwrap();
        if caseworker.prop("checked").await.unwrap().as_deref() == Some("true") {
            caseworker.click().await.unwrap();
        }
        let page = b.submit("form[action='/admin/users/ilze/roles'] button[type='submit']").await;
        assert!(b.path().await.ends_with("done=roles"), "{page}");
        assert_eq!(
            t.app.store().user_by_username("ilze").await.unwrap().roles,
            vec![haven_domain::Role::FirstResponder]
        );
        b.log_out().await;
    }
    b.close().await;
}
