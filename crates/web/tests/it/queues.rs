//! Work queues and the home pages: a supervisor finds the assessments waiting for approval, the
//! home pages count what waits, a caseworker's referrals open on the mailbox that has items and
//! their lines tell one person from another (only for who may read the identity), and the data
//! protection officer's home offers only links that open.

use crate::common::{Reply, Session, TestApp};
use axum::http::StatusCode;

const PASSWORD: &str = "correct horse battery staple";

fn location(reply: &Reply) -> String {
    reply.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

async fn get_ok(t: &TestApp, path: &str, session: &Session) -> String {
    let reply = t.page(path, Some(session)).await;
    assert_eq!(reply.status, StatusCode::OK, "GET {path}: {}", reply.body);
    reply.body
}

/// Every `href="/..."` of the page's main content and navigation.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"/").skip(1).filter_map(|s| s.split('"').next()).map(|s| format!("/{s}")).collect()
}

struct World {
    t: TestApp,
    caseworker: Session,
    supervisor: Session,
    other_supervisor: Session,
    shelter_worker: Session,
    shelter: String,
    ngo: String,
    case_id: String,
}

async fn world() -> World {
    let t = TestApp::new().await;
    let ngo = t.org("Patvērums Drošā Māja", "ngo", "LV").await;
    let other = t.org("Cita NVO", "ngo", "LV").await;
    let shelter = t.org("Riga Shelter", "shelter", "LV").await;
    t.user("casey", &ngo, &["caseworker"]).await;
    t.user("sup", &ngo, &["supervisor"]).await;
    t.user("othersup", &other, &["supervisor"]).await;
    t.user("shelterworker", &shelter, &["caseworker"]).await;
    let caseworker = t.login("casey", PASSWORD).await;
    let supervisor = t.login("sup", PASSWORD).await;
    let other_supervisor = t.login("othersup", PASSWORD).await;
    let shelter_worker = t.login("shelterworker", PASSWORD).await;
    let reply = t
        .form(
            "/cases",
            Some(&caseworker),
            &[("given_names", "Anna"), ("family_names", "Bērziņa"), ("date_of_birth", "2001-04-17"), ("sex", "female")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let case_id = location(&reply).trim_start_matches("/cases/").split('/').next().unwrap_or_default().to_owned();
    World { t, caseworker, supervisor, other_supervisor, shelter_worker, shelter, ngo, case_id }
}

async fn submit_assessment(w: &World) {
    let reply =
        w.t.form(
            &format!("/cases/{}/assessments/new", w.case_id),
            Some(&w.caseworker),
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
}

#[tokio::test]
async fn a_supervisor_finds_the_assessments_waiting_for_approval_from_home_and_navigation() {
    let w = world().await;
    let t = &w.t;
    submit_assessment(&w).await;
    let home = get_ok(t, "/", &w.supervisor).await;
    assert!(home.contains("href=\"/assessments/to-review\" class=\"has-items\"><strong>1</strong>"), "{home}");
    assert!(home.matches("href=\"/assessments/to-review\"").count() >= 2, "linked from the navigation too");
    let queue = get_ok(t, "/assessments/to-review", &w.supervisor).await;
    assert!(queue.contains(&format!("href=\"/cases/{}/support\"", w.case_id)), "{queue}");
    assert!(queue.contains("2026-09-20"));
    // A supervisor of another organisation sees none of it, and the caseworker has no queue.
    let other = get_ok(t, "/assessments/to-review", &w.other_supervisor).await;
    assert!(!other.contains(&w.case_id) && other.contains("No assessment is waiting"));
    assert!(get_ok(t, "/", &w.other_supervisor).await.contains("<strong>0</strong>"));
    let refused = t.page("/assessments/to-review", Some(&w.caseworker)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!get_ok(t, "/", &w.caseworker).await.contains("/assessments/to-review"));
    // Once approved, the queue is empty.
    let support = get_ok(t, &format!("/cases/{}/support", w.case_id), &w.supervisor).await;
    assert!(support.contains("/assessments/review"));
    let lv = t.form("/account/language", Some(&w.supervisor), &[("language", "lv")]).await;
    assert_eq!(lv.status, StatusCode::SEE_OTHER);
    let queue = get_ok(t, "/assessments/to-review", &w.supervisor).await;
    assert!(queue.contains("Novērtējumi apstiprināšanai"), "{queue}");
    let home = get_ok(t, "/", &w.supervisor).await;
    assert!(home.contains("Jūs gaida") && home.contains("novērtējumi gaida jūsu apstiprinājumu"), "{home}");
    assert!(!home.contains("Waiting for you") && !home.contains("waiting for your approval"));
}

#[tokio::test]
async fn referrals_open_on_the_outbox_when_the_inbox_is_empty_and_lines_name_the_person_only_for_who_may() {
    let w = world().await;
    let t = &w.t;
    let reply = t
        .form(
            &format!("/cases/{}/referrals/new", w.case_id),
            Some(&w.caseworker),
            &[
                ("kind", "service"),
                ("service", "counselling_information"),
                ("to_organisation_id", &w.shelter),
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
    let page = get_ok(t, "/referrals", &w.caseworker).await;
    assert!(page.contains("href=\"/referrals?mailbox=outbox\" aria-current=\"page\""), "{page}");
    assert!(page.contains(&format!("/referrals/{referral}")));
    assert!(page.contains("A. B."), "the sender reads the identity: initials: {page}");
    assert!(page.contains(" UTC</td>"), "the date sent: {page}");
    // Asked for the inbox by name, the inbox it is.
    let inbox = get_ok(t, "/referrals?mailbox=inbox", &w.caseworker).await;
    assert!(inbox.contains("href=\"/referrals?mailbox=inbox\" aria-current=\"page\""));
    // The receiver may not read the case's identity: the date, not the person.
    let received = get_ok(t, "/referrals", &w.shelter_worker).await;
    assert!(received.contains(&format!("/referrals/{referral}")) && received.contains(" UTC</td>"));
    assert!(!received.contains("A. B."), "{received}");
    let home = get_ok(t, "/", &w.shelter_worker).await;
    assert!(home.contains("href=\"/referrals?mailbox=inbox\" class=\"has-items\"><strong>1</strong>"), "{home}");
}

#[tokio::test]
async fn the_data_protection_officer_reaches_the_audit_log_and_access_histories_and_no_link_refuses() {
    let w = world().await;
    let t = &w.t;
    t.user("dpo", &w.ngo, &["auditor"]).await;
    let dpo = t.login("dpo", PASSWORD).await;
    // Someone opens the case, so the audit log has a line about it.
    get_ok(t, &format!("/cases/{}", w.case_id), &w.caseworker).await;
    let home = get_ok(t, "/", &dpo).await;
    assert!(home.contains("href=\"/admin/audit\"") && home.contains("Access histories"), "{home}");
    for link in links(&home) {
        let reply = t.page(&link, Some(&dpo)).await;
        assert!(reply.status.is_success(), "home links to {link}: {}", reply.status);
    }
    let audit = get_ok(t, "/admin/audit", &dpo).await;
    let history = format!("/cases/{}/history", w.case_id);
    assert!(audit.contains(&format!("href=\"{history}\"")), "{audit}");
    let page = get_ok(t, &history, &dpo).await;
    assert!(!page.contains(&format!("href=\"/cases/{}\"", w.case_id)), "no link to the case the officer may not open");
    for link in links(&page) {
        let reply = t.page(&link, Some(&dpo)).await;
        assert!(reply.status.is_success(), "the history links to {link}: {}", reply.status);
    }
    // The supervisor of the owner still goes back to the case.
    let page = get_ok(t, &history, &w.supervisor).await;
    assert!(page.contains(&format!("href=\"/cases/{}\"", w.case_id)));
}

#[tokio::test]
async fn statistics_lead_with_the_released_figure_and_the_eu_level_lands_where_its_data_is() {
    let t = TestApp::new().await.with_embedded_profiles();
    let rap = t.org("National Rapporteur", "national_rapporteur", "LV").await;
    let eu = t.org("EU Statistics Office", "statistics_office", "EU").await;
    let password = t.user("rapporteur", &rap, &["rapporteur"]).await;
    let rapporteur = t.login("rapporteur", &password).await;
    let password = t.user("eu.statistician", &eu, &["statistician"]).await;
    let statistician = t.login("eu.statistician", &password).await;

    let page = get_ok(&t, "/statistics", &rapporteur).await;
    assert!(page.contains("id=\"no-release\"") && page.contains("No release yet"), "{page}");
    let headline = page.find("Released figure").unwrap_or(usize::MAX);
    let working = page.find("Unreleased working figures").unwrap_or(0);
    assert!(headline < working, "the released figure comes first, the working figures are labelled: {page}");
    let body = serde_json::json!({"year": 2026, "mode": "suppression", "threshold": 3});
    let r = t.call(axum::http::Method::POST, "/api/v1/statistics/releases", Some(&rapporteur), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap_or_default().to_owned();
    let page = get_ok(&t, "/statistics", &rapporteur).await;
    assert!(page.contains("id=\"released-figure\""), "{page}");
    assert!(page.contains("presumed victims registered in 2026"));
    assert!(page.contains(&format!("href=\"/statistics/releases/{id}\"")));

    // The EU level keeps no register and makes no release: both links land on the EU page.
    for path in ["/statistics", "/statistics/releases"] {
        let reply = t.page(path, Some(&statistician)).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}: {}", reply.body);
        assert_eq!(location(&reply), "/statistics/eu");
    }
    let eu_page = get_ok(&t, "/statistics/eu", &statistician).await;
    for link in links(&eu_page) {
        if link.starts_with("/assets") {
            continue;
        }
        let reply = t.page(&link, Some(&statistician)).await;
        assert!(
            reply.status.is_success() || location(&reply) == "/statistics/eu",
            "the EU page links to {link}: {}",
            reply.status
        );
    }

    let lv = t.form("/account/language", Some(&rapporteur), &[("language", "lv")]).await;
    assert_eq!(lv.status, StatusCode::SEE_OTHER);
    let page = get_ok(&t, "/statistics", &rapporteur).await;
    assert!(page.contains("reģistrēti 2026. gadā") && page.contains("Nepublicētie darba skaitļi"), "{page}");
}

/// The relative luminance of `#rrggbb` (WCAG 2).
fn luminance(hex: &str) -> f64 {
    let hex = hex.trim_start_matches('#');
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
        if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[tokio::test]
async fn the_focus_ring_stands_out_at_least_3_to_1_and_numbered_lists_are_numbered_once() {
    let t = TestApp::new().await;
    let css = t.page("/assets/haven.css", None).await.body;
    let rule = css.lines().find(|l| l.contains("a:focus") && l.contains("outline:")).unwrap_or_default();
    let colour = rule.split("solid ").nth(1).and_then(|r| r.get(..7)).unwrap_or_default();
    assert!(colour.starts_with('#'), "the focus ring's colour: {rule}");
    // The page, the cards and the dark header are what the ring (offset from the element) touches.
    for (around, name) in [("#ffffff", "card"), ("#f7f8fa", "page"), ("#14213d", "header")] {
        let ratio = contrast(colour, around);
        assert!(ratio >= 3.0, "focus ring {colour} against the {name} {around}: {ratio:.2}:1");
    }
    assert!(contrast("#f4a261", "#ffffff") < 3.0, "the old ring failed the rule this test checks");
    // The wizard's steps carry their own numbers, and the tabs are not a bulleted list.
    assert!(css.contains(".steps ol, .steps ul { list-style: none;"));
    assert!(css.contains(".pager {") && css.lines().any(|l| l.starts_with(".pager") && l.contains("list-style: none")));
}

#[tokio::test]
async fn the_login_page_speaks_the_browsers_language_unless_one_was_chosen() {
    use axum::body::Body;
    use axum::http::Request;
    let t = TestApp::new().await;
    let login = |accept: &'static str, cookie: Option<&'static str>| {
        let mut req = Request::builder().uri("/login").header("host", "localhost").header("accept-language", accept);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.body(Body::empty()).unwrap_or_default()
    };
    let lv = t.send(login("lv", None)).await;
    assert!(lv.body.contains("<html lang=\"lv\""), "{}", lv.body);
    let lv = t.send(login("lv-LV,lv;q=0.9,en-US;q=0.8,en;q=0.7", None)).await;
    assert!(lv.body.contains("<html lang=\"lv\""));
    let en = t.send(login("de-DE,en;q=0.8,lv;q=0.5", None)).await;
    assert!(en.body.contains("<html lang=\"en\""));
    let none = t.send(login("de", None)).await;
    assert!(none.body.contains("<html lang=\"en\""));
    let chosen = t.send(login("lv", Some("haven_lang=en"))).await;
    assert!(chosen.body.contains("<html lang=\"en\""), "a language picked on the page wins");
}

/// A shelter's counselling service for women, speaking Latvian and Ukrainian, always open:
/// the best match for a Ukrainian-speaking woman's referral. Added by `supervisor`.
pub(crate) async fn add_counselling_provider(t: &TestApp, supervisor: &Session, shelter: &str) {
    let provider = t
        .form(
            "/providers/new",
            Some(supervisor),
            &[
                ("id", ""),
                ("name", "Mārupe Women's Shelter"),
                ("organisation_id", shelter),
                ("service.counselling_information", "on"),
                ("languages", "lv, uk"),
                ("regions", "LV"),
                ("accepts", "women"),
                ("contact_points", "Intake; +371 2000 0000; intake@shelter.example"),
                ("opening_hours", ""),
                ("always_open", "on"),
            ],
        )
        .await;
    assert_eq!(provider.status, StatusCode::SEE_OTHER, "{}", provider.body);
}

#[tokio::test]
async fn the_referral_form_proposes_the_best_provider_the_persons_languages_and_the_operator_last() {
    let w = world().await;
    let t = &w.t;
    t.org("Haven operator", "competent_authority", "LV").await;
    // The person speaks Ukrainian and Russian, as registered.
    let reply = t
        .form(
            &format!("/cases/{}/edit", w.case_id),
            Some(&w.caseworker),
            &[
                ("step", "person"),
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
    add_counselling_provider(t, &w.supervisor, &w.shelter).await;
    let form = get_ok(
        t,
        &format!("/cases/{}/referrals/new?kind=service&service=counselling_information", w.case_id),
        &w.caseworker,
    )
    .await;
    assert!(form.contains("name=\"languages\" value=\"uk, ru\""), "the person's languages: {form}");
    assert!(form.contains("id=\"provider-1\" name=\"provider_id\""), "{form}");
    let first = form.find("id=\"provider-1\"").unwrap_or_default();
    assert!(form[first..].split('>').next().unwrap_or_default().contains("checked"), "the best match is proposed");
    assert!(!form.contains("id=\"provider-none\" name=\"provider_id\" value=\"\" checked"));
    // One word for a value nobody knows: the need's sex offers "Not known", as every list does.
    assert!(form.contains(">Not known<") && !form.contains(">Unknown<"), "{form}");
    let select = form.split("id=\"to_organisation_id\"").nth(1).unwrap_or_default();
    let select = select.split("</select>").next().unwrap_or_default();
    let operator = select.find("Haven operator").unwrap_or(0);
    let shelter = select.find("Riga Shelter").unwrap_or(usize::MAX);
    assert!(shelter < operator, "the operator's organisation comes last: {select}");
}

#[tokio::test]
async fn the_competent_authority_home_counts_the_registrations_waiting_for_a_decision() {
    let t = TestApp::new().await;
    let police = t.org("State Police", "police", "LV").await;
    let authority = t.org("Competent Authority LV", "competent_authority", "LV").await;
    t.user("inv", &police, &["investigator"]).await;
    t.user("decider", &authority, &["decision_maker"]).await;
    let investigator = t.login("inv", PASSWORD).await;
    let decider = t.login("decider", PASSWORD).await;
    let home = get_ok(&t, "/", &decider).await;
    assert!(home.contains("href=\"/deadlines\"><strong>0</strong> registrations waiting for a decision"), "{home}");
    let reply = t
        .form(
            "/cases",
            Some(&investigator),
            &[("given_names", "Olena"), ("family_names", "K"), ("date_of_birth", "1999-03-01"), ("sex", "female")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let id = location(&reply).trim_start_matches("/cases/").split('/').next().unwrap_or_default().to_owned();
    let reply = t.form(&format!("/cases/{id}/submit"), Some(&investigator), &[("version", "1")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let home = get_ok(&t, "/", &decider).await;
    assert!(
        home.contains(
            "href=\"/deadlines\" class=\"has-items\"><strong>1</strong> registrations waiting for a decision"
        ),
        "{home}"
    );
    assert!(!get_ok(&t, "/", &investigator).await.contains("registrations waiting for a decision"));
}
