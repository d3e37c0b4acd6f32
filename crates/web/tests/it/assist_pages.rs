//! The assistance pages: the support side of a case (assessment and its review, the plan),
//! the provider directory with live capacity and matching, and referrals between
//! organisations, in English and Latvian, driven through their forms as a browser would.

use crate::common::{Reply, Session, TestApp};
use axum::http::StatusCode;

const PASSWORD: &str = "correct horse battery staple";

/// The value of the attribute `name` in `tag`.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let rest = &tag[start..];
    Some(&rest[..rest.find('"')?])
}

/// Every opening tag `<NAME ...>` in the page.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    let mut out = vec![];
    let mut from = 0;
    while let Some(i) = html[from..].find(&open) {
        let start = from + i;
        let after = html[start + open.len()..].chars().next();
        let end = html[start..].find('>').map_or(html.len(), |e| start + e + 1);
        if matches!(after, Some(' ' | '>' | '\n')) {
            out.push(&html[start..end]);
        }
        from = end;
    }
    out
}

/// The rules every page keeps: a language, a main landmark, no inline style or script, a
/// label for every input, a CSRF field in every form that posts, ids that exist once.
fn assert_page_rules(path: &str, html: &str) {
    assert!(html.contains("<html lang=\""), "{path}: no <html lang=");
    assert!(html.contains("<main"), "{path}: no <main>");
    assert!(!html.contains("style="), "{path}: an inline style attribute");
    assert!(!html.contains("<style"), "{path}: an inline style element");
    for script in tags(html, "script") {
        assert!(script.contains(" src="), "{path}: an inline script: {script}");
    }
    for kind in ["input", "select", "textarea"] {
        for tag in tags(html, kind) {
            if attribute(tag, "type") == Some("hidden") {
                continue;
            }
            let id = attribute(tag, "id").unwrap_or_else(|| panic!("{path}: a {kind} without an id: {tag}"));
            assert!(html.contains(&format!("<label for=\"{id}\"")), "{path}: no label for {kind} #{id}");
            assert_eq!(html.matches(&format!(" id=\"{id}\"")).count(), 1, "{path}: id {id} used twice");
            if let Some(described) = attribute(tag, "aria-describedby") {
                assert!(
                    html.contains(&format!(" id=\"{described}\"")),
                    "{path}: #{id} described by a missing #{described}"
                );
            }
        }
    }
    for form in tags(html, "form") {
        if attribute(form, "method") == Some("post") {
            let rest = &html[html.find(form).unwrap_or(0)..];
            let body = &rest[..rest.find("</form>").unwrap_or(rest.len())];
            assert!(body.contains("name=\"csrf\""), "{path}: a form without a CSRF field: {form}");
        }
    }
}

async fn get_ok(t: &TestApp, path: &str, session: &Session) -> String {
    let reply = t.page(path, Some(session)).await;
    assert_eq!(reply.status, StatusCode::OK, "GET {path}: {}", reply.body);
    assert_page_rules(path, &reply.body);
    reply.body
}

fn location(reply: &Reply) -> String {
    reply.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

fn assert_see_other(reply: &Reply, to: &str) {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "expected a redirect to {to}: {}", reply.body);
    assert!(location(reply).starts_with(to), "redirect to {} instead of {to}", location(reply));
}

/// The text from `start` to the end of the element `</end>` that follows it.
fn section<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start:?} in the page"));
    let rest = &html[from..];
    let close = format!("</{end}>");
    &rest[..rest.find(&close).map_or(rest.len(), |i| i + close.len())]
}

/// An NGO (caseworker, supervisor), a shelter (caseworker) and a second supervisor, in Latvia.
struct World {
    t: TestApp,
    caseworker: Session,
    supervisor: Session,
    shelter_worker: Session,
    shelter: String,
    case_id: String,
}

async fn world() -> World {
    let t = TestApp::new().await;
    let ngo = t.org("Patvērums Drošā Māja", "ngo", "LV").await;
    let shelter = t.org("Riga Shelter", "shelter", "LV").await;
    t.user("casey", &ngo, &["caseworker"]).await;
    t.user("sup", &ngo, &["supervisor"]).await;
    t.user("shelterworker", &shelter, &["caseworker"]).await;
    let caseworker = t.login("casey", PASSWORD).await;
    let supervisor = t.login("sup", PASSWORD).await;
    let shelter_worker = t.login("shelterworker", PASSWORD).await;
    let reply = t
        .form(
            "/cases",
            Some(&caseworker),
            &[("given_names", "Anna"), ("family_names", "Bērziņa"), ("date_of_birth", "2001-04-17"), ("sex", "female")],
        )
        .await;
    assert_see_other(&reply, "/cases/");
    let case_id = location(&reply).trim_start_matches("/cases/").split('/').next().unwrap().to_owned();
    World { t, caseworker, supervisor, shelter_worker, shelter, case_id }
}

/// A whole adult assessment, every area but the ones left out.
fn assessment(without: &[&str]) -> Vec<(&'static str, &'static str)> {
    let mut fields = vec![
        ("assessed_on", "2026-09-20"),
        ("risk_from_traffickers", "high"),
        ("risk_summary", "The recruiter knows where her sister lives."),
        ("levels.safety", "urgent"),
        ("notes.safety", "Needs a safe address today."),
        ("levels.physical_health", "none"),
        ("levels.mental_health", "need"),
        ("levels.accommodation", "urgent"),
        ("levels.subsistence", "need"),
        ("levels.legal_status", "none"),
        ("levels.language", "none"),
        ("special.serious_violence_suffered", "on"),
        ("languages", "uk, ru"),
        ("lacks_means", "on"),
    ];
    fields.retain(|(k, _)| !without.iter().any(|w| k.ends_with(w)));
    fields
}

/// The supervisor adds a shelter with four beds, run by the shelter organisation.
async fn add_shelter(w: &World) {
    let reply =
        w.t.form(
            "/providers/new",
            Some(&w.supervisor),
            &[
                ("id", ""),
                ("name", "Mārupe Women's Shelter"),
                ("organisation_id", &w.shelter),
                ("service.safe_accommodation", "on"),
                ("capacity.safe_accommodation", "4"),
                ("service.counselling_information", "on"),
                ("languages", "lv, uk"),
                ("regions", "LV"),
                ("accepts", "women"),
                ("accepts", "families"),
                ("trafficking_specialised", "on"),
                ("contact_points", "Intake; +371 2000 0000; intake@shelter.example"),
                ("opening_hours", ""),
                ("always_open", "on"),
            ],
        )
        .await;
    assert_see_other(&reply, "/providers");
}

fn referral_id(reply: &Reply) -> String {
    assert_see_other(reply, "/referrals/");
    location(reply).trim_start_matches("/referrals/").to_owned()
}

#[tokio::test]
async fn every_assistance_page_renders_in_english_and_latvian() {
    let w = world().await;
    let t = &w.t;
    let id = &w.case_id;
    add_shelter(&w).await;
    assert_see_other(
        &t.form(&format!("/cases/{id}/assessments/new"), Some(&w.caseworker), &assessment(&[])).await,
        "/cases/",
    );
    let reply = t
        .form(
            &format!("/cases/{id}/referrals/new"),
            Some(&w.caseworker),
            &[
                ("kind", "service"),
                ("service", "counselling_information"),
                ("to_organisation_id", &w.shelter),
                ("shared_fields", "given_names"),
                ("consent_given", "on"),
                ("consent_on", "2026-09-20"),
                ("consent_language", "uk"),
                ("send", "no"),
            ],
        )
        .await;
    let referral = referral_id(&reply);

    let case = get_ok(t, &format!("/cases/{id}"), &w.caseworker).await;
    assert!(case.contains(&format!("href=\"/cases/{id}/support\"")), "the case page links to its support side");

    let pages = [
        format!("/cases/{id}/support"),
        format!("/cases/{id}/assessments/new"),
        format!("/cases/{id}/plan/new"),
        "/providers".to_owned(),
        "/providers/match?service=safe_accommodation&sex=female&languages=uk".to_owned(),
        format!("/cases/{id}/referrals/new?kind=service&service=safe_accommodation"),
        "/referrals".to_owned(),
        "/referrals?mailbox=outbox".to_owned(),
        "/referrals?mailbox=overdue".to_owned(),
        format!("/referrals/{referral}"),
    ];
    let english: Vec<String> = {
        let mut out = vec![];
        for p in &pages {
            out.push(get_ok(t, p, &w.caseworker).await);
        }
        out
    };
    assert!(english[0].contains("Support and referrals") && english[0].contains("Waiting for review"));
    assert!(english[1].contains("Risk and needs assessment") && english[1].contains("Urgent need"));
    assert!(english[2].contains("Add a service to the support plan"));
    assert!(english[3].contains("Support providers") && english[3].contains("Mārupe Women&#39;s Shelter"));
    assert!(english[4].contains("Find a provider for a need"));
    assert!(english[5].contains("New referral") && english[5].contains("Providers ranked for this service"));
    assert!(english[6].contains("Inbox") && english[7].contains("Counselling and information"));
    assert!(english[9].contains("Draft") && english[9].contains("Send"));
    // The navigation has the new entries for those allowed.
    assert!(english[6].contains("href=\"/referrals\"") && english[6].contains("href=\"/providers\""));
    let manage = get_ok(t, "/providers/new", &w.supervisor).await;
    assert!(manage.contains("Add a provider"));
    let edit = get_ok(t, "/providers/marupe-women-s-shelter/edit", &w.supervisor).await;
    assert!(edit.contains("value=\"4\"") && edit.contains("intake@shelter.example"), "{edit}");

    assert_see_other(&t.form("/account/language", Some(&w.caseworker), &[("language", "lv")]).await, "/account");
    assert_see_other(&t.form("/account/language", Some(&w.supervisor), &[("language", "lv")]).await, "/account");
    let latvian = [
        "Atbalsts un nosūtījumi",
        "Risku un vajadzību novērtējums",
        "Pievienot pakalpojumu atbalsta plānam",
        "Atbalsta pakalpojumu sniedzēji",
        "Atrast pakalpojumu sniedzēju vajadzībai",
        "Jauns nosūtījums",
        "Saņemtie",
        "Nosūtītie",
        "Nokavētie",
        "Melnraksts",
    ];
    for (path, words) in pages.iter().zip(latvian) {
        let html = get_ok(t, path, &w.caseworker).await;
        assert!(html.contains("<html lang=\"lv\">"), "{path}");
        assert!(html.contains(words), "{path}: no {words:?}");
        assert!(html.contains("Nosūtījumi") && html.contains("Pakalpojumu sniedzēji"), "{path}: the navigation");
    }
    assert!(get_ok(t, "/providers", &w.caseworker).await.contains("brīvas gultas: 4 no 4"));
    assert!(get_ok(t, "/providers/new", &w.supervisor).await.contains("Pievienot pakalpojumu sniedzēju"));
    assert!(get_ok(t, &format!("/cases/{id}"), &w.caseworker).await.contains("Atbalsts un nosūtījumi"));

    // Those without the permission are refused, and the receiver does not see a draft.
    assert_eq!(t.page("/providers/new", Some(&w.caseworker)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.page(&format!("/referrals/{referral}"), Some(&w.shelter_worker)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.page(&format!("/cases/{id}/support"), Some(&w.shelter_worker)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.page("/referrals?mailbox=nonsense", Some(&w.caseworker)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn a_missing_area_is_named_next_to_its_field_and_the_typed_values_stay() {
    let w = world().await;
    let t = &w.t;
    let path = format!("/cases/{}/assessments/new", w.case_id);
    let reply = t.form(&path, Some(&w.caseworker), &assessment(&["accommodation"])).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let html = &reply.body;
    assert_page_rules("assessment (error)", html);
    let area = section(html, "<fieldset id=\"levels.accommodation\">", "fieldset");
    assert!(
        area.contains("<span class=\"error\" id=\"err-levels.accommodation\">every area must be assessed</span>"),
        "the message stands in the area's fieldset: {area}"
    );
    assert!(area.contains("aria-invalid=\"true\" aria-describedby=\"err-levels.accommodation\""));
    assert!(html.contains("role=\"alert\"") && html.contains("Accommodation: every area must be assessed"));
    // Nothing else is marked, and what was typed is kept.
    assert_eq!(html.matches("aria-invalid=\"true\"").count(), 3, "the three radios of the area");
    assert!(html.contains("The recruiter knows where her sister lives.</textarea>"));
    assert!(html.contains(">Needs a safe address today.</textarea>"));
    assert!(html.contains("id=\"level-safety-urgent\" name=\"levels.safety\" value=\"urgent\" required checked"));
    assert!(html.contains("id=\"risk-high\" name=\"risk_from_traffickers\" value=\"high\" required checked"));
    assert!(html.contains("value=\"uk, ru\"") && html.contains("id=\"lacks_means\" name=\"lacks_means\" checked"));
    assert!(
        html.contains("id=\"special.serious_violence_suffered\" name=\"special.serious_violence_suffered\" checked")
    );
    // Nothing was stored.
    let support = get_ok(t, &format!("/cases/{}/support", w.case_id), &w.caseworker).await;
    assert!(support.contains("No approved assessment yet.") && !support.contains("Waiting for review"));

    // A high risk without a summary is named too; the Latvian page names the field in Latvian.
    assert_see_other(&t.form("/account/language", Some(&w.caseworker), &[("language", "lv")]).await, "/account");
    let mut fields = assessment(&[]);
    fields.retain(|(k, _)| *k != "risk_summary");
    let reply = t.form(&path, Some(&w.caseworker), &fields).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("id=\"err-risk_summary\""));
    assert!(reply.body.contains("Kāds ir risks:"), "the label is Latvian");
    // A date in the future.
    let mut fields = assessment(&[]);
    fields[0].1 = "2030-01-01";
    let reply = t.form(&path, Some(&w.caseworker), &fields).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains(
        "id=\"assessed_on\" name=\"assessed_on\" type=\"date\" required value=\"2030-01-01\" aria-invalid=\"true\""
    ));
}

#[tokio::test]
async fn a_supervisor_approves_through_the_page_and_the_plan_meets_the_needs() {
    let w = world().await;
    let t = &w.t;
    let id = &w.case_id;
    assert_see_other(
        &t.form(&format!("/cases/{id}/assessments/new"), Some(&w.caseworker), &assessment(&[])).await,
        "/cases/",
    );
    // The author cannot review; the caseworker has no review buttons and is refused.
    let own = get_ok(t, &format!("/cases/{id}/support"), &w.caseworker).await;
    assert!(own.contains("Waiting for review") && !own.contains("value=\"approve\""));
    let reply = t
        .form(&format!("/cases/{id}/assessments/review"), Some(&w.caseworker), &[("seq", "1"), ("decision", "approve")])
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // Returning needs a reason, shown next to it.
    let page = get_ok(t, &format!("/cases/{id}/support"), &w.supervisor).await;
    assert!(page.contains("value=\"approve\"") && page.contains("No approved assessment yet."));
    let reply = t
        .form(&format!("/cases/{id}/assessments/review"), Some(&w.supervisor), &[("seq", "1"), ("decision", "return")])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("id=\"err-return-reason-1\"")
            && reply.body.contains("aria-describedby=\"err-return-reason-1\"")
    );
    assert!(reply.body.contains("Reason: a returned assessment needs the reason"), "{}", reply.body);
    // Approved: in force, needs urgent first, the unmet ones highlighted.
    let reply = t
        .form(&format!("/cases/{id}/assessments/review"), Some(&w.supervisor), &[("seq", "1"), ("decision", "approve")])
        .await;
    assert_see_other(&reply, &format!("/cases/{id}/support"));
    let page = get_ok(t, &format!("/cases/{id}/support"), &w.caseworker).await;
    assert!(!page.contains("No approved assessment yet.") && !page.contains("Waiting for review"));
    let needs = section(&page, "Needs, urgent first", "ul");
    let (accommodation, safety, mental) =
        (needs.find("Accommodation").unwrap(), needs.find("Safety").unwrap(), needs.find("Mental health").unwrap());
    assert!(accommodation < mental && safety < mental, "urgent first: {needs}");
    let unmet = section(&page, "id=\"unmet\"", "section");
    assert!(unmet.contains("Accommodation") && unmet.contains("plan/new?need=accommodation"));

    // A service for the accommodation need; legal help must be free since she lacks the means.
    let plan = get_ok(t, &format!("/cases/{id}/plan/new?need=accommodation"), &w.caseworker).await;
    assert!(plan.contains("<option value=\"accommodation\" selected>"));
    assert!(!plan.contains("value=\"education\""), "no services for children for an adult");
    let reply = t
        .form(
            &format!("/cases/{id}/plan/new"),
            Some(&w.caseworker),
            &[
                ("service", "legal_counselling"),
                ("goal", "Advice on residence"),
                ("responsible_organisation_id", &w.shelter),
                ("starts_on", "2026-09-21"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("id=\"err-free_of_charge\"") && reply.body.contains("Art 12(2)"));
    assert!(reply.body.contains("value=\"Advice on residence\""));
    let reply = t
        .form(
            &format!("/cases/{id}/plan/new"),
            Some(&w.caseworker),
            &[
                ("service", "safe_accommodation"),
                ("need", "accommodation"),
                ("goal", "A safe place to stay"),
                ("responsible_organisation_id", &w.shelter),
                ("starts_on", "2026-09-21"),
            ],
        )
        .await;
    assert_see_other(&reply, &format!("/cases/{id}/support"));
    let page = get_ok(t, &format!("/cases/{id}/support"), &w.caseworker).await;
    assert!(page.contains("A safe place to stay") && page.contains("Riga Shelter") && page.contains("Planned"));
    assert!(!section(&page, "id=\"unmet\"", "section").contains("Accommodation"), "the need is met");
    // Start, then stop: the reason is required and no reason is about cooperation.
    let item = {
        let start = page.find("<select id=\"stop-").unwrap() + "<select id=\"stop-".len();
        page[start..].split('"').next().unwrap().to_owned()
    };
    let reasons = section(&page, "<select id=\"stop-", "select");
    assert_eq!(reasons.matches("<option value=\"").count(), 5, "a blank and the four reasons: {reasons}");
    assert!(!reasons.contains("cooperat") && !reasons.contains("testif") && !reasons.contains("proceeding"));
    let status = format!("/cases/{id}/plan/{item}/status");
    assert_see_other(
        &t.form(&status, Some(&w.caseworker), &[("status", "in_progress"), ("version", "1")]).await,
        "/cases/",
    );
    let reply = t.form(&status, Some(&w.caseworker), &[("status", "stopped"), ("version", "2")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains(&format!("id=\"err-stop-{item}\"")));
    let reply = t
        .form(
            &status,
            Some(&w.caseworker),
            &[("status", "stopped"), ("stop_reason", "refused_to_testify"), ("version", "2")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Art 11(3)"));
    // A stale form is a conflict, shown at the service with the reason chosen kept.
    let reply = t
        .form(&status, Some(&w.caseworker), &[("status", "stopped"), ("stop_reason", "contact_lost"), ("version", "1")])
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    let stop = section(&reply.body, &format!("<select id=\"stop-{item}\""), "select");
    assert!(stop.contains(&format!("aria-describedby=\"err-stop-{item}\"")), "{stop}");
    assert!(stop.contains("<option value=\"contact_lost\" selected>"), "the reason chosen stays chosen: {stop}");
    let reply = t
        .form(&status, Some(&w.caseworker), &[("status", "stopped"), ("stop_reason", "contact_lost"), ("version", "2")])
        .await;
    assert_see_other(&reply, "/cases/");
    let page = get_ok(t, &format!("/cases/{id}/support"), &w.caseworker).await;
    assert!(page.contains("Stopped") && page.contains("No contact despite attempts"));
}

#[tokio::test]
async fn a_referral_reaches_the_receiver_who_sees_only_what_is_shared() {
    let w = world().await;
    let t = &w.t;
    let id = &w.case_id;
    let form =
        get_ok(t, &format!("/cases/{id}/referrals/new?kind=service&service=counselling_information"), &w.caseworker)
            .await;
    // Pre-checked with what counselling may receive; the family name is not among them.
    assert!(form.contains("id=\"shared-given_names\" name=\"shared_fields\" value=\"given_names\" checked"));
    assert!(!form.contains("value=\"family_names\""));
    // Without consent the form says why, next to the consent.
    let reply = t
        .form(
            &format!("/cases/{id}/referrals/new"),
            Some(&w.caseworker),
            &[
                ("kind", "service"),
                ("service", "counselling_information"),
                ("to_organisation_id", &w.shelter),
                ("shared_fields", "given_names"),
                ("shared_fields", "sex"),
                ("message", "She asks for counselling in Ukrainian."),
                ("send", "yes"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains("id=\"err-consent_given\""));
    assert!(reply.body.contains(">She asks for counselling in Ukrainian.</textarea>"));
    assert!(
        !reply.body.contains("id=\"shared-age_group\" name=\"shared_fields\" value=\"age_group\" checked"),
        "unticked stays unticked"
    );
    let reply = t
        .form(
            &format!("/cases/{id}/referrals/new"),
            Some(&w.caseworker),
            &[
                ("kind", "service"),
                ("service", "counselling_information"),
                ("to_organisation_id", &w.shelter),
                ("shared_fields", "given_names"),
                ("shared_fields", "sex"),
                ("message", "She asks for counselling in Ukrainian."),
                ("consent_given", "on"),
                ("consent_on", "2026-09-20"),
                ("consent_language", "uk"),
                ("send", "yes"),
            ],
        )
        .await;
    let referral = referral_id(&reply);
    let outbox = get_ok(t, "/referrals?mailbox=outbox", &w.caseworker).await;
    assert!(outbox.contains(&format!("/referrals/{referral}")));

    let inbox = get_ok(t, "/referrals", &w.shelter_worker).await;
    assert!(inbox.contains(&format!("/referrals/{referral}")) && inbox.contains("Sent"));
    let page = get_ok(t, &format!("/referrals/{referral}"), &w.shelter_worker).await;
    assert!(page.contains("Anna") && page.contains("Female") && page.contains("She asks for counselling"));
    assert!(!page.contains("Bērziņa") && !page.contains("2001-04-17"), "only the shared fields: {page}");
    assert!(!page.contains(&format!("/cases/{id}")), "the receiver of a service referral does not see the case");
    assert!(
        page.contains("value=\"accepted\"")
            && page.contains("value=\"declined\"")
            && !page.contains("value=\"withdrawn\"")
    );
    let sender = get_ok(t, &format!("/referrals/{referral}"), &w.caseworker).await;
    assert!(sender.contains("value=\"withdrawn\"") && !sender.contains("value=\"accepted\""));

    // Declining needs the reason; without it nothing changes.
    let state = format!("/referrals/{referral}/state");
    let reply = t.form(&state, Some(&w.shelter_worker), &[("state", "declined"), ("version", "1")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("id=\"err-reason-declined\"")
            && reply.body.contains("aria-describedby=\"err-reason-declined\"")
    );
    assert!(get_ok(t, &format!("/referrals/{referral}"), &w.shelter_worker).await.contains("value=\"declined\""));

    // Unanswered past its due date, it is overdue for both sides.
    t.clock.advance(5 * 86_400);
    let w = World {
        caseworker: t.login("casey", PASSWORD).await,
        shelter_worker: t.login("shelterworker", PASSWORD).await,
        ..w
    };
    let t = &w.t;
    let overdue = get_ok(t, "/referrals?mailbox=overdue", &w.shelter_worker).await;
    assert!(overdue.contains(&format!("/referrals/{referral}")) && overdue.contains("Overdue"));
    assert!(get_ok(t, "/referrals?mailbox=overdue", &w.caseworker).await.contains(&format!("/referrals/{referral}")));
    let reply = t.form(&state, Some(&w.shelter_worker), &[("state", "accepted"), ("version", "1")]).await;
    assert_see_other(&reply, &format!("/referrals/{referral}"));
    let reply = t
        .form(&format!("/referrals/{referral}/follow-ups"), Some(&w.shelter_worker), &[("note", ""), ("version", "2")])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("id=\"err-note\""));
    let reply = t
        .form(
            &format!("/referrals/{referral}/follow-ups"),
            Some(&w.shelter_worker),
            &[("note", "First session held."), ("version", "2")],
        )
        .await;
    assert_see_other(&reply, &format!("/referrals/{referral}"));
    let page = get_ok(t, &format!("/referrals/{referral}"), &w.caseworker).await;
    assert!(page.contains("Accepted") && page.contains("First session held.") && page.contains("Riga Shelter"));
    assert!(!get_ok(t, "/referrals?mailbox=overdue", &w.caseworker).await.contains(&format!("/referrals/{referral}")));
}

#[tokio::test]
async fn the_directory_shows_free_places_and_the_match_page_explains_the_ranking() {
    let w = world().await;
    let t = &w.t;
    add_shelter(&w).await;
    let directory = get_ok(t, "/providers", &w.caseworker).await;
    assert!(
        directory.contains("free 4 of 4 beds")
            && directory.contains("Counselling and information: <strong>not limited")
    );
    assert!(directory.contains("Open day and night, every day") && directory.contains("mailto:intake@shelter.example"));
    assert!(!directory.contains("/edit"), "a caseworker does not manage the directory");
    assert!(get_ok(t, "/providers", &w.supervisor).await.contains("/providers/marupe-women-s-shelter/edit"));
    // Filters.
    assert!(get_ok(t, "/providers?service=medical_treatment", &w.caseworker).await.contains("No provider matches."));
    assert!(
        get_ok(t, "/providers?language=uk&audience=women&region=LV-RIX&q=m%C4%81rupe", &w.caseworker)
            .await
            .contains("free 4 of 4 beds")
    );
    let reply = t.page("/providers?region=Riga", Some(&w.caseworker)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("id=\"err-region\""));

    // Matching explains every factor.
    let found =
        get_ok(t, "/providers/match?service=safe_accommodation&sex=female&languages=uk&region=LV-RIX", &w.caseworker)
            .await;
    assert!(found.contains("Mārupe Women&#39;s Shelter"));
    for sentence in [
        "Offers safe accommodation and takes women.",
        "4 of 4 beds free.",
        "Works in the person&#39;s preferred language (uk).",
        "Works in the person&#39;s region (LV-RIX).",
        "Specialised in assisting victims of trafficking.",
    ] {
        assert!(found.contains(sentence), "no {sentence:?} in {found}");
    }
    let none = get_ok(t, "/providers/match?service=safe_accommodation&sex=male", &w.caseworker).await;
    assert!(none.contains("No provider is eligible"));

    // A referral sent to the shelter holds a bed.
    let form = get_ok(
        t,
        &format!("/cases/{}/referrals/new?kind=service&service=safe_accommodation", w.case_id),
        &w.caseworker,
    )
    .await;
    assert!(form.contains("value=\"marupe-women-s-shelter\"") && form.contains("4 of 4 beds free."));
    let reply = t
        .form(
            &format!("/cases/{}/referrals/new", w.case_id),
            Some(&w.caseworker),
            &[
                ("kind", "service"),
                ("service", "safe_accommodation"),
                ("provider_id", "marupe-women-s-shelter"),
                ("to_organisation_id", ""),
                ("shared_fields", "given_names"),
                ("shared_fields", "family_names"),
                ("consent_given", "on"),
                ("consent_on", "2026-09-20"),
                ("consent_language", "uk"),
                ("urgent", "on"),
                ("send", "yes"),
            ],
        )
        .await;
    referral_id(&reply);
    assert!(get_ok(t, "/providers", &w.caseworker).await.contains("free 3 of 4 beds"));

    // The provider form names the field at fault and keeps what was typed.
    let reply = t
        .form(
            "/providers/new",
            Some(&w.supervisor),
            &[
                ("name", "Night shelter"),
                ("service.safe_accommodation", "on"),
                ("capacity.safe_accommodation", "four"),
                ("languages", "lv"),
                ("regions", "LV"),
                ("accepts", "men"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("id=\"err-capacity.safe_accommodation\"") && reply.body.contains("value=\"Night shelter\"")
    );
    let reply = t
        .form(
            "/providers/new",
            Some(&w.supervisor),
            &[
                ("name", "Night shelter"),
                ("service.safe_accommodation", "on"),
                ("capacity.safe_accommodation", "6"),
                ("languages", "lv"),
                ("regions", "Riga"),
                ("accepts", "men"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("id=\"err-regions\"") && reply.body.contains("value=\"Riga\""));
    // Editing changes the capacity; the bed in use stays counted.
    let reply = t
        .form(
            "/providers/marupe-women-s-shelter/edit",
            Some(&w.supervisor),
            &[
                ("version", "1"),
                ("name", "Mārupe Women's Shelter"),
                ("organisation_id", &w.shelter),
                ("service.safe_accommodation", "on"),
                ("capacity.safe_accommodation", "6"),
                ("languages", "lv, uk"),
                ("regions", "LV"),
                ("accepts", "women"),
                ("always_open", "on"),
            ],
        )
        .await;
    assert_see_other(&reply, "/providers");
    assert!(get_ok(t, "/providers", &w.caseworker).await.contains("free 5 of 6 beds"));
}

#[tokio::test]
async fn the_emergency_override_field_is_only_for_those_who_may_override() {
    let w = world().await;
    let t = &w.t;
    let path = format!("/cases/{}/referrals/new?kind=service&service=medical_treatment", w.case_id);
    let caseworker = get_ok(t, &path, &w.caseworker).await;
    assert!(caseworker.contains("name=\"consent_given\"") && !caseworker.contains("name=\"emergency_reason\""));
    let supervisor = get_ok(t, &path, &w.supervisor).await;
    assert!(supervisor.contains("name=\"emergency_reason\""));
    // A supervisor refers without consent, documenting the emergency.
    let reply = t
        .form(
            &format!("/cases/{}/referrals/new", w.case_id),
            Some(&w.supervisor),
            &[
                ("kind", "service"),
                ("service", "medical_treatment"),
                ("to_organisation_id", &w.shelter),
                ("shared_fields", "given_names"),
                ("emergency_reason", "Injured and bleeding; unable to be informed now."),
                ("send", "yes"),
            ],
        )
        .await;
    let referral = referral_id(&reply);
    let page = get_ok(t, &format!("/referrals/{referral}"), &w.supervisor).await;
    assert!(page.contains("Emergency override") && page.contains("Injured and bleeding"));
    // A caseworker who tries anyway is refused.
    let reply = t
        .form(
            &format!("/cases/{}/referrals/new", w.case_id),
            Some(&w.caseworker),
            &[
                ("kind", "service"),
                ("service", "medical_treatment"),
                ("to_organisation_id", &w.shelter),
                ("shared_fields", "given_names"),
                ("emergency_reason", "Injured and bleeding; unable to be informed now."),
                ("send", "yes"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

/// The text of the element with the id `id` (up to its closing tag `</end>`).
fn element<'a>(html: &'a str, id: &str, end: &str) -> &'a str {
    section(html, &format!(" id=\"{id}\""), end)
}

#[tokio::test]
async fn each_form_refused_comes_back_with_the_problem_next_to_its_field_and_what_was_typed() {
    let w = world().await;
    let t = &w.t;
    let id = &w.case_id;
    add_shelter(&w).await;

    // Returning an assessment with a blank reason: the problem at the reason, the text kept.
    assert_see_other(
        &t.form(&format!("/cases/{id}/assessments/new"), Some(&w.caseworker), &assessment(&[])).await,
        "/cases/",
    );
    let review = format!("/cases/{id}/assessments/review");
    let reply = t.form(&review, Some(&w.supervisor), &[("seq", "1"), ("decision", "return"), ("reason", "   ")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert_page_rules("support (review refused)", &reply.body);
    let reason = element(&reply.body, "return-reason-1", "textarea");
    assert!(
        reason.contains("aria-invalid=\"true\" aria-describedby=\"err-return-reason-1\">   </textarea>"),
        "{reason}"
    );
    assert!(reply.body.contains("<p class=\"error\" id=\"err-return-reason-1\">Reason: "), "{}", reply.body);
    // A version that is not named is refused as a whole.
    let reply = t.form(&review, Some(&w.supervisor), &[("decision", "approve")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Opening hours that do not read: at the hours, every input kept as typed.
    let edit = "/providers/marupe-women-s-shelter/edit";
    let reply = t
        .form(
            edit,
            Some(&w.supervisor),
            &[
                ("name", "Mārupe Women's Shelter (renamed)"),
                ("organisation_id", &w.shelter),
                ("service.safe_accommodation", "on"),
                ("capacity.safe_accommodation", "6"),
                ("languages", "lv, uk, ru"),
                ("regions", "LV"),
                ("accepts", "women"),
                ("contact_points", "Intake; +371 2000 0000"),
                ("opening_hours", "Monday nine to five"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert_page_rules("provider edit (refused)", &reply.body);
    let hours = element(&reply.body, "opening_hours", "textarea");
    assert!(hours.contains("aria-invalid=\"true\"") && hours.contains(">Monday nine to five</textarea>"), "{hours}");
    assert!(reply.body.contains("id=\"err-opening_hours\""));
    assert!(
        reply.body.contains("value=\"Mārupe Women&#39;s Shelter (renamed)\"") && reply.body.contains("value=\"6\"")
    );
    assert!(reply.body.contains("value=\"lv, uk, ru\"") && !reply.body.contains("always_open\" checked"));
    // Nothing was stored.
    assert!(!get_ok(t, "/providers", &w.caseworker).await.contains("(renamed)"));

    // A referral sent, then a decline whose reason does not fit and a follow-up with a control
    // character: both at their inputs, the text kept.
    let reply = t
        .form(
            &format!("/cases/{id}/referrals/new"),
            Some(&w.caseworker),
            &[
                ("kind", "service"),
                ("service", "counselling_information"),
                ("to_organisation_id", &w.shelter),
                ("shared_fields", "given_names"),
                ("consent_given", "on"),
                ("consent_on", "2026-09-20"),
                ("consent_language", "uk"),
                ("send", "yes"),
            ],
        )
        .await;
    let referral = referral_id(&reply);
    let long = "No place free this month. ".repeat(20);
    let reply = t
        .form(
            &format!("/referrals/{referral}/state"),
            Some(&w.shelter_worker),
            &[("state", "declined"), ("reason", &long), ("version", "1")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let declined = element(&reply.body, "reason-declined", "textarea");
    assert!(declined.contains("aria-invalid=\"true\"") && declined.contains(&format!(">{long}</textarea>")));
    assert!(reply.body.contains("<span class=\"error\" id=\"err-reason-declined\">"));
    let accepted = t
        .form(
            &format!("/referrals/{referral}/state"),
            Some(&w.shelter_worker),
            &[("state", "accepted"), ("version", "1")],
        )
        .await;
    assert_see_other(&accepted, &format!("/referrals/{referral}"));
    let note = "Called her.\u{7}No answer.";
    let reply = t
        .form(
            &format!("/referrals/{referral}/follow-ups"),
            Some(&w.shelter_worker),
            &[("note", note), ("version", "2")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains("<span class=\"error\" id=\"err-note\">"), "{}", reply.body);
    assert!(element(&reply.body, "note", "textarea").contains(&format!(">{note}</textarea>")));
    assert!(reply.body.contains("Follow-up note: "), "the field by its label: {}", reply.body);
}

#[tokio::test]
async fn a_referral_sharing_nothing_is_refused_in_latvian_next_to_what_is_shared() {
    let w = world().await;
    let t = &w.t;
    let id = &w.case_id;
    assert_see_other(&t.form("/account/language", Some(&w.caseworker), &[("language", "lv")]).await, "/account");
    let reply = t
        .form(
            &format!("/cases/{id}/referrals/new"),
            Some(&w.caseworker),
            &[
                ("kind", "service"),
                ("service", "counselling_information"),
                ("to_organisation_id", &w.shelter),
                ("message", "Lūdz konsultāciju ukraiņu valodā."),
                ("urgent", "on"),
                ("consent_given", "on"),
                ("consent_on", "2026-09-20"),
                ("consent_language", "uk"),
                ("send", "yes"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let html = &reply.body;
    assert_page_rules("new referral (refused, lv)", html);
    assert!(html.contains("<html lang=\"lv\">"));
    assert!(
        html.contains("<span class=\"error\" id=\"err-shared_fields\">izvēlieties, kas saņēmējam jāzina: vismaz vienu punktu</span>"),
        "the problem next to the field, in Latvian: {html}"
    );
    assert!(html.contains("Kas tiek nodots: izvēlieties"), "the summary names the field in Latvian");
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"err-shared_fields\""));
    assert!(!html.contains("name=\"shared_fields\" value=\"given_names\" checked"), "nothing ticked stays unticked");
    assert!(html.contains(">Lūdz konsultāciju ukraiņu valodā.</textarea>"));
    assert!(
        html.contains("id=\"urgent\" name=\"urgent\" checked")
            && html.contains("id=\"consent_given\" name=\"consent_given\" checked")
    );
    assert!(html.contains("value=\"2026-09-20\"") && html.contains("value=\"uk\""));
    // Nothing was stored.
    assert!(!get_ok(t, "/referrals?mailbox=outbox", &w.caseworker).await.contains("/referrals/"));

    // A list that does not exist is named in Latvian on the error page.
    let reply = t.page("/referrals?mailbox=nonsense", Some(&w.caseworker)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("jābūt inbox (saņemtie), outbox (nosūtītie) vai overdue (nokavētie)"),
        "{}",
        reply.body
    );

    // The provider form's own checks speak Latvian too.
    assert_see_other(&t.form("/account/language", Some(&w.supervisor), &[("language", "lv")]).await, "/account");
    let reply = t
        .form(
            "/providers/new",
            Some(&w.supervisor),
            &[
                ("name", "Krīzes centrs Valmierā"),
                ("regions", "LV"),
                ("opening_hours", "1 09:00-17:00\npirmdien visu dienu"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(
        reply.body.contains(
            "<span class=\"error\" id=\"err-opening_hours\">2. rindā: norādiet nedēļas dienu un laiku, piemēram, 1 09:00-17:00</span>"
        ),
        "{}",
        reply.body
    );
    assert!(reply.body.contains(">1 09:00-17:00\npirmdien visu dienu</textarea>"));
    assert!(reply.body.contains("value=\"Krīzes centrs Valmierā\""));
}
