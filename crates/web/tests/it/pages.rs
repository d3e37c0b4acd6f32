//! The server-rendered pages: each renders for the roles allowed and refuses the others;
//! forms work end to end (and not without their CSRF token); validation errors name the field;
//! the Latvian interface is Latvian; and every page keeps the UI rules (a language, a main
//! landmark, a label for every input, no inline styles or scripts).

use crate::common::{ClockExt, Reply, Session, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use haven_crypto::TotpSecret;
use haven_domain::Language;
use haven_web::i18n::I18n;

pub(crate) const PASSWORD: &str = "correct horse battery staple";

/// The value of the attribute `name` in `tag` (`<input ... id="x">`).
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

/// The rules every page keeps, checked on its HTML.
pub(crate) fn assert_page_rules(path: &str, html: &str) {
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
            let id = attribute(tag, "id");
            assert!(id.is_some(), "{path}: a {kind} without an id: {tag}");
            let id = id.unwrap_or_default();
            assert!(html.contains(&format!("<label for=\"{id}\"")), "{path}: no label for {kind} #{id}");
        }
    }
    for form in tags(html, "form") {
        // The login form is the one post made before there is a session to bind a token to.
        if attribute(form, "method") == Some("post") && attribute(form, "action") != Some("/login") {
            let rest = &html[html.find(form).unwrap_or(0)..];
            let body = &rest[..rest.find("</form>").unwrap_or(rest.len())];
            assert!(body.contains("name=\"csrf\""), "{path}: a form without a CSRF field: {form}");
        }
    }
}

pub(crate) async fn get_ok(t: &TestApp, path: &str, session: &Session) -> String {
    let reply = t.page(path, Some(session)).await;
    assert_eq!(reply.status, StatusCode::OK, "GET {path}: {}", reply.body);
    assert_page_rules(path, &reply.body);
    reply.body
}

pub(crate) fn location(reply: &Reply) -> String {
    reply.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

pub(crate) fn assert_see_other(reply: &Reply, to: &str) {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "expected a redirect to {to}: {}", reply.body);
    assert!(location(reply).starts_with(to), "redirect to {} instead of {to}", location(reply));
}

/// A world with an administrator, an NGO (caseworker, supervisor), a shelter, the police
/// (investigator, first responder) and a statistics office, all in Latvia.
pub(crate) struct World {
    pub(crate) t: TestApp,
    pub(crate) admin: Session,
    pub(crate) caseworker: Session,
    pub(crate) supervisor: Session,
    pub(crate) investigator: Session,
    pub(crate) statistician: Session,
    pub(crate) ngo: String,
    pub(crate) shelter: String,
}

pub(crate) async fn world() -> World {
    let t = TestApp::new().await;
    let operator = t.org("State Police Operator Unit", "competent_authority", "LV").await;
    let ngo = t.org("Patvērums Drošā Māja", "ngo", "LV").await;
    let shelter = t.org("Riga Shelter", "shelter", "LV").await;
    let police = t.org("State Police", "police", "LV").await;
    let stats = t.org("Central Statistical Bureau", "statistics_office", "LV").await;
    t.user("casey", &ngo, &["caseworker"]).await;
    t.user("sup", &ngo, &["supervisor"]).await;
    t.user("inv", &police, &["investigator", "first_responder"]).await;
    t.user("stat", &stats, &["statistician"]).await;
    t.user("shelterworker", &shelter, &["caseworker"]).await;
    let admin = t.admin("admin", &operator).await;
    let caseworker = t.login("casey", PASSWORD).await;
    let supervisor = t.login("sup", PASSWORD).await;
    let investigator = t.login("inv", PASSWORD).await;
    let statistician = t.login("stat", PASSWORD).await;
    World { t, admin, caseworker, supervisor, investigator, statistician, ngo, shelter }
}

/// Registers a case through the form and returns its id.
pub(crate) async fn register(t: &TestApp, session: &Session, given: &str) -> String {
    let reply = t
        .form(
            "/cases",
            Some(session),
            &[
                ("given_names", given),
                ("family_names", "Bērziņa"),
                ("aliases", "Anya\n\nAnnija\n"),
                ("date_of_birth", "2001-04-17"),
                ("sex", "female"),
            ],
        )
        .await;
    assert_see_other(&reply, "/cases/");
    let rest = location(&reply).trim_start_matches("/cases/").to_owned();
    rest.split('/').next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn every_page_renders_for_an_allowed_role_and_keeps_the_ui_rules() {
    let w = world().await;
    let t = &w.t;
    let id = register(t, &w.caseworker, "Anna").await;

    let account = get_ok(t, "/account", &w.caseworker).await;
    assert!(
        account.contains("User casey") && account.contains("Patvērums Drošā Māja") && account.contains("Caseworker")
    );
    assert!(account.contains("id=\"totp\"") && account.contains("action=\"/account/password\""));

    let orgs = get_ok(t, "/admin/organisations", &w.admin).await;
    assert!(orgs.contains("Riga Shelter") && orgs.contains("Statistics office"));
    for kind in <haven_domain::OrganisationKind as haven_domain::Coded>::ALL {
        let code = haven_domain::Coded::code(*kind);
        assert!(orgs.contains(&format!("<option value=\"{code}\">")), "no option for {code}");
    }
    assert!(orgs.contains("Non-governmental organisation"));

    let users = get_ok(t, "/admin/users", &w.admin).await;
    assert!(
        users.contains("shelterworker")
            && users.contains("Riga Shelter")
            && users.contains("First responder, Investigator")
    );
    assert!(users.contains("data-confirm=\"Disable the account casey?"));
    assert!(users.contains("id=\"user-role-statistician\""));

    let audit = get_ok(t, "/admin/audit", &w.admin).await;
    assert!(audit.contains("entries verified"), "{audit}");
    assert!(audit.contains("Case registered") && audit.contains("Logged in"));
    assert!(audit.contains("<code>casey</code>"), "actors by username");

    let cases = get_ok(t, "/cases", &w.caseworker).await;
    assert!(cases.contains(&format!("href=\"/cases/{id}\"")) && cases.contains("LV-"));
    assert!(!cases.contains("Anna") && !cases.contains("Bērziņa"), "no personal data in the list");

    let new = get_ok(t, "/cases/new", &w.caseworker).await;
    assert!(new.contains("type=\"date\"") && new.contains("name=\"sex\""));

    let case = get_ok(t, &format!("/cases/{id}"), &w.caseworker).await;
    assert!(
        case.contains("Anna") && case.contains("Bērziņa") && case.contains("Annija") && case.contains("2001-04-17")
    );
    assert!(case.contains("id=\"notes-support\"") && case.contains("id=\"notes-identity\""));
    assert!(!case.contains("id=\"notes-proceedings\""), "a caseworker never sees proceedings");
    assert!(case.contains("id=\"sharing\"") && case.contains("Riga Shelter"));
    assert!(!case.contains("/history\""), "no history link for a caseworker");

    let case_sup = get_ok(t, &format!("/cases/{id}"), &w.supervisor).await;
    assert!(case_sup.contains(&format!("href=\"/cases/{id}/history\"")));
    let history = get_ok(t, &format!("/cases/{id}/history"), &w.supervisor).await;
    assert!(
        history.contains("Case registered")
            && history.contains("Case read")
            && history.contains("Patvērums Drošā Māja")
    );

    let stats = get_ok(t, "/statistics", &w.statistician).await;
    assert!(stats.contains("<svg") && stats.contains("<table") && stats.contains("Female"));
    assert!(stats.contains("<td class=\"num\">1</td>"), "the case is counted: {stats}");

    let login = t.page("/login", None).await;
    assert_page_rules("/login", &login.body);
    let home = get_ok(t, "/", &w.admin).await;
    assert!(home.contains("/admin/users"));
}

#[tokio::test]
async fn forbidden_roles_get_403_and_strangers_the_login_page() {
    let w = world().await;
    let t = &w.t;
    let id = register(t, &w.caseworker, "Anna").await;
    let forbidden: Vec<(&str, &Session)> = vec![
        ("/admin/organisations", &w.caseworker),
        ("/admin/users", &w.caseworker),
        ("/admin/audit", &w.supervisor),
        ("/cases", &w.statistician),
        ("/cases/new", &w.statistician),
        ("/statistics", &w.caseworker),
        ("/cases", &w.admin),
    ];
    for (path, session) in forbidden {
        let reply = t.page(path, Some(session)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "GET {path}");
        assert_page_rules(path, &reply.body);
    }
    let history = format!("/cases/{id}/history");
    assert_eq!(t.page(&history, Some(&w.caseworker)).await.status, StatusCode::FORBIDDEN);
    // Police may not know of an NGO's case that was not shared with them.
    let case = format!("/cases/{id}");
    assert_eq!(t.page(&case, Some(&w.investigator)).await.status, StatusCode::NOT_FOUND);

    for path in [
        "/account",
        "/admin/users",
        "/admin/organisations",
        "/admin/audit",
        "/cases",
        "/cases/new",
        case.as_str(),
        history.as_str(),
        "/statistics",
    ] {
        let reply = t.page(path, None).await;
        assert_see_other(&reply, "/login");
    }
    let reply = t.form("/admin/organisations", None, &[("name", "X"), ("kind", "ngo"), ("jurisdiction", "LV")]).await;
    assert_see_other(&reply, "/login");

    // An administrator without a second factor administers nothing until it is set up.
    let operator = t.org("Second Operator", "competent_authority", "EE").await;
    t.user("newadmin", &operator, &["administrator"]).await;
    let newadmin = t.login("newadmin", PASSWORD).await;
    assert_eq!(t.page("/admin/users", Some(&newadmin)).await.status, StatusCode::FORBIDDEN);
    let account = get_ok(t, "/account", &newadmin).await;
    assert!(account.contains("href=\"/account#totp\""), "the notice links to the enrolment");
}

#[tokio::test]
async fn forms_without_the_csrf_field_are_refused() {
    let w = world().await;
    let t = &w.t;
    let id = register(t, &w.caseworker, "Anna").await;
    let posts: Vec<(String, &Session, &str)> = vec![
        ("/admin/organisations".into(), &w.admin, "name=Evil&kind=ngo&jurisdiction=LV"),
        ("/admin/users".into(), &w.admin, "username=evil&display_name=E&roles=caseworker"),
        ("/admin/users/casey/disable".into(), &w.admin, ""),
        ("/admin/users/casey/reset-password".into(), &w.admin, ""),
        ("/account/language".into(), &w.caseworker, "language=lv"),
        ("/account/password".into(), &w.caseworker, "current_password=a&new_password=b&confirm_password=b"),
        ("/account/totp".into(), &w.caseworker, ""),
        ("/account/tokens".into(), &w.caseworker, "name=evil"),
        ("/cases".into(), &w.caseworker, "given_names=A&family_names=B&sex=female"),
        (format!("/cases/{id}/notes"), &w.caseworker, "compartment=support&body=evil"),
        (format!("/cases/{id}/shares"), &w.caseworker, "organisation_id=x&compartments=support"),
        ("/logout".into(), &w.caseworker, ""),
    ];
    for (path, session, body) in posts {
        let wrong = format!("{body}&csrf=0000");
        for body in [body.to_owned(), wrong] {
            let req = Request::builder()
                .method(Method::POST)
                .uri(&path)
                .header("host", "localhost")
                .header("cookie", &session.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap();
            let reply = t.send(req).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "POST {path} without a valid token: {}", reply.body);
        }
    }
    // Nothing happened.
    let users = get_ok(t, "/admin/users", &w.admin).await;
    assert!(!users.contains("evil") && !users.contains("Disabled"));
    assert!(!get_ok(t, "/admin/organisations", &w.admin).await.contains("Evil"));
}

#[tokio::test]
async fn administrators_create_organisations_and_users_through_the_forms() {
    let w = world().await;
    let t = &w.t;
    let reply = t
        .form(
            "/admin/organisations",
            Some(&w.admin),
            &[("name", "Labour Inspectorate Riga"), ("kind", "labour_inspectorate"), ("jurisdiction", "lv")],
        )
        .await;
    assert_see_other(&reply, "/admin/organisations");
    let orgs = get_ok(t, &location(&reply), &w.admin).await;
    assert!(orgs.contains("Labour Inspectorate Riga") && orgs.contains("has been created"));

    // An EU body cannot sit in a country: the field is named, the status is 422, what was typed stays.
    let reply = t
        .form(
            "/admin/organisations",
            Some(&w.admin),
            &[("name", "EU Coordinator LV"), ("kind", "eu_anti_trafficking_coordinator"), ("jurisdiction", "LV")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_page_rules("/admin/organisations (error)", &reply.body);
    assert!(reply.body.contains("id=\"err-org-kind\"") && reply.body.contains("value=\"EU Coordinator LV\""));
    assert!(
        reply.body.contains("aria-invalid=\"true\" aria-describedby=\"err-org-kind\""),
        "the problem is next to the kind"
    );
    assert!(reply.body.contains("value=\"eu_anti_trafficking_coordinator\" selected"));
    // A duplicate is a conflict.
    let reply = t
        .form(
            "/admin/organisations",
            Some(&w.admin),
            &[("name", "Riga Shelter"), ("kind", "shelter"), ("jurisdiction", "LV")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);

    // A new user: a one-time set-up code is shown once, with which the user chooses a password;
    // the roles that open persons' data wait for a second administrator.
    let reply = t
        .form(
            "/admin/users",
            Some(&w.admin),
            &[
                ("username", "liga"),
                ("display_name", "Līga Kalniņa"),
                ("organisation_id", &w.shelter),
                ("roles", "caseworker"),
                ("roles", "supervisor"),
                ("language", "lv"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_page_rules("/admin/users (created)", &reply.body);
    let code =
        reply.body.split("<code class=\"secret\">").nth(1).and_then(|s| s.split("</code>").next()).unwrap().to_owned();
    let password = "Līga's own passphrase".to_owned();
    let chosen = t
        .form(
            "/setup",
            None,
            &[("username", "liga"), ("code", &code), ("new_password", &password), ("confirm_password", &password)],
        )
        .await;
    assert_see_other(&chosen, "/login");
    let second = t.admin("admin.two", &t.app.store().user_by_username("admin").await.unwrap().organisation_id).await;
    let grant = t.call(Method::GET, "/api/v1/role-grants", Some(&second), None).await.json()[0]["grant"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_see_other(&t.form(&format!("/admin/role-grants/{grant}/approve"), Some(&second), &[]).await, "/admin/users");
    let liga = t.login("liga", &password).await;
    let account = get_ok(t, "/account", &liga).await;
    assert!(account.contains("Līga Kalniņa") && account.contains("lang=\"lv\""), "the chosen language is used");
    let users = get_ok(t, "/admin/users", &w.admin).await;
    assert!(users.contains("Caseworker, Supervisor") && !users.contains(&code), "the code is shown once only");

    // A role that does not fit the organisation: 422 naming the roles, the form keeps the choices.
    let reply = t
        .form(
            "/admin/users",
            Some(&w.admin),
            &[("username", "bad"), ("display_name", "Bad Fit"), ("organisation_id", &w.ngo), ("roles", "investigator")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("id=\"err-user-roles\"") && reply.body.contains("value=\"Bad Fit\""));
    assert!(reply.body.contains("value=\"investigator\" checked"));

    // Reset: a new set-up code, shown once; the old password no longer works.
    let reply = t.form("/admin/users/liga/reset-password", Some(&w.admin), &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    let code =
        reply.body.split("<code class=\"secret\">").nth(1).and_then(|s| s.split("</code>").next()).unwrap().to_owned();
    assert_see_other(&t.page("/account", Some(&liga)).await, "/login");
    let new_password = "Līga's second passphrase".to_owned();
    let chosen = t
        .form(
            "/setup",
            None,
            &[
                ("username", "liga"),
                ("code", &code),
                ("new_password", &new_password),
                ("confirm_password", &new_password),
            ],
        )
        .await;
    assert_see_other(&chosen, "/login");
    t.login("liga", &new_password).await;

    // Disable and enable.
    let reply = t.form("/admin/users/liga/disable", Some(&w.admin), &[]).await;
    assert_see_other(&reply, "/admin/users");
    let users = get_ok(t, &location(&reply), &w.admin).await;
    assert!(users.contains("Disabled") && users.contains("action=\"/admin/users/liga/enable\""));
    let bad = t
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(serde_json::json!({"username": "liga", "password": new_password})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert_see_other(&t.form("/admin/users/liga/enable", Some(&w.admin), &[]).await, "/admin/users");
    t.login("liga", &new_password).await;
    // An unknown user is not found.
    assert_eq!(t.form("/admin/users/nobody/disable", Some(&w.admin), &[]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn registering_a_case_adding_notes_and_sharing_work_through_the_forms() {
    let w = world().await;
    let t = &w.t;
    let id = register(t, &w.caseworker, "Marta").await;

    let reply = t
        .form(
            &format!("/cases/{id}/notes"),
            Some(&w.caseworker),
            &[("compartment", "support"), ("body", "First counselling session <b>held</b>.")],
        )
        .await;
    assert_see_other(&reply, &format!("/cases/{id}#notes-support"));
    let case = get_ok(t, &format!("/cases/{id}"), &w.caseworker).await;
    assert!(
        case.contains("First counselling session &#60;b&#62;held&#60;/b&#62;.")
            || case.contains("First counselling session &lt;b&gt;held&lt;/b&gt;."),
        "{case}"
    );
    // An empty note names its field.
    let reply =
        t.form(&format!("/cases/{id}/notes"), Some(&w.caseworker), &[("compartment", "support"), ("body", "  ")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("(field: Note)"), "the field named in words: {}", reply.body);
    // A caseworker writes no proceedings.
    let reply = t
        .form(&format!("/cases/{id}/notes"), Some(&w.caseworker), &[("compartment", "proceedings"), ("body", "x")])
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    // Before sharing, the shelter does not see the case.
    let shelter = t.login("shelterworker", PASSWORD).await;
    assert!(!get_ok(t, "/cases", &shelter).await.contains(&id));
    let reply = t
        .form(
            &format!("/cases/{id}/shares"),
            Some(&w.caseworker),
            &[("organisation_id", &w.shelter), ("compartments", "identity"), ("compartments", "support")],
        )
        .await;
    assert_see_other(&reply, &format!("/cases/{id}"));
    let case = get_ok(t, &format!("/cases/{id}"), &w.caseworker).await;
    assert!(case.contains("Riga Shelter: Identity, Support"), "{case}");
    let list = get_ok(t, "/cases", &shelter).await;
    assert!(list.contains(&id) && list.contains("Riga Shelter (Identity, Support)"));
    let shared = get_ok(t, &format!("/cases/{id}"), &shelter).await;
    assert!(shared.contains("Marta") && shared.contains("First counselling session"));
    assert!(!shared.contains("id=\"sharing\""), "only the owner shares");
    // Sharing with a statistics office is refused, naming the field.
    let stats_org = t.org("Another Statistics Office", "statistics_office", "LV").await;
    let reply = t
        .form(
            &format!("/cases/{id}/shares"),
            Some(&w.caseworker),
            &[("organisation_id", &stats_org), ("compartments", "identity")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("(field: Organisation)"), "the field named in words: {}", reply.body);

    // The supervisor sees who read the case, the shelter included.
    let history = get_ok(t, &format!("/cases/{id}/history"), &w.supervisor).await;
    assert!(
        history.contains("Case shared")
            && history.contains("Notes read")
            && history.contains("Riga Shelter")
            && history.contains("User shelterworker")
    );
}

#[tokio::test]
async fn a_validation_error_names_the_field_keeps_what_was_typed_and_answers_422() {
    let w = world().await;
    let t = &w.t;
    let reply = t
        .form(
            "/cases",
            Some(&w.caseworker),
            &[
                ("given_names", "Ilze"),
                ("family_names", "Ozola"),
                ("aliases", "Ilzīte"),
                ("date_of_birth", "1999-02-30"),
                ("sex", "female"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_page_rules("/cases (error)", &reply.body);
    assert!(reply.body.contains("Date of birth:") && reply.body.contains("id=\"err-date_of_birth\""), "{}", reply.body);
    assert!(reply.body.contains("id=\"date_of_birth\" name=\"date_of_birth\" type=\"date\" min=\"1900-01-01\" max=\"2100-12-31\" value=\"1999-02-30\" aria-invalid=\"true\""));
    assert!(
        reply.body.contains("value=\"Ilze\"")
            && reply.body.contains(">Ilzīte</textarea>")
            && reply.body.contains("value=\"female\" selected")
    );

    let reply =
        t.form("/cases", Some(&w.caseworker), &[("given_names", "Ilze"), ("family_names", "Ozola"), ("sex", "")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("id=\"err-sex\""), "the problem next to the field: {}", reply.body);
    assert!(get_ok(t, "/cases", &w.caseworker).await.contains("There are no cases yet."), "nothing was registered");

    // The new passwords must match.
    let reply = t
        .form(
            "/account/password",
            Some(&w.caseworker),
            &[
                ("current_password", PASSWORD),
                ("new_password", "a much longer passphrase"),
                ("confirm_password", "a different passphrase"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The field by its label, never its code.
    assert!(reply.body.contains("New password again:") && !reply.body.contains("confirm_password</code>"));
    let reply = t
        .form(
            "/account/password",
            Some(&w.caseworker),
            &[
                ("current_password", "wrong password here"),
                ("new_password", "a much longer passphrase"),
                ("confirm_password", "a much longer passphrase"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Current password:") && !reply.body.contains("current_password</code>"));
    // The right one changes it, and logs out.
    let reply = t
        .form(
            "/account/password",
            Some(&w.caseworker),
            &[
                ("current_password", PASSWORD),
                ("new_password", "a much longer passphrase"),
                ("confirm_password", "a much longer passphrase"),
            ],
        )
        .await;
    assert_see_other(&reply, "/login");
    assert_see_other(&t.page("/account", Some(&w.caseworker)).await, "/login");
    t.login("casey", "a much longer passphrase").await;
}

#[tokio::test]
async fn the_account_page_enrols_totp_and_shows_a_new_api_token_once() {
    let w = world().await;
    let t = &w.t;
    let reply = t.form("/account/totp", Some(&w.investigator), &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_page_rules("/account/totp", &reply.body);
    assert!(reply.body.contains("otpauth://totp/"));
    let secret =
        reply.body.split("name=\"secret\" value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().to_owned();
    let grouped: String =
        secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ");
    assert!(reply.body.contains(&grouped), "the secret is shown grouped for typing");

    let reply = t
        .form(
            "/account/totp",
            Some(&w.investigator),
            &[("secret", &secret), ("code", "000000"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("id=\"err-totp-code\"") && reply.body.contains(&format!("value=\"{secret}\"")),
        "same secret kept"
    );

    let code = TotpSecret::from_base32(&secret).unwrap().code_at(t.clock.now_u64());
    let reply = t
        .form("/account/totp", Some(&w.investigator), &[("secret", &secret), ("code", &code), ("password", PASSWORD)])
        .await;
    assert_see_other(&reply, "/account");
    let account = get_ok(t, &location(&reply), &w.investigator).await;
    // Set up: no new secret is offered, only replacing or removing it (with the password and a code).
    assert!(account.contains("Your authenticator app is set up") && !account.contains("name=\"secret\""));
    t.clock.advance(30);
    let code = TotpSecret::from_base32(&secret).unwrap().code_at(t.clock.now_u64());
    t.login_with("inv", PASSWORD, Some(&code)).await;

    let reply = t.form("/account/tokens", Some(&w.caseworker), &[("name", "nightly export")]).await;
    assert_eq!(reply.status, StatusCode::OK);
    let token =
        reply.body.split("<p class=\"mono secret\">").nth(1).and_then(|s| s.split("</p>").next()).unwrap().to_owned();
    assert!(token.starts_with("hvn_"));
    let me = t
        .send(
            Request::builder()
                .uri("/api/v1/me")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(me.status, StatusCode::OK, "the token works");
    let account = get_ok(t, "/account", &w.caseworker).await;
    assert!(account.contains("nightly export") && !account.contains(&token), "listed, never shown again");
    let reply = t.form("/account/tokens", Some(&w.caseworker), &[("name", "")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_latvian_interface_is_latvian() {
    let w = world().await;
    let t = &w.t;
    let reply = t.form("/account/language", Some(&w.caseworker), &[("language", "lv")]).await;
    assert_see_other(&reply, "/account");
    let account = get_ok(t, &location(&reply), &w.caseworker).await;
    assert!(account.contains("<html lang=\"lv\">"));
    assert!(
        account.contains("Mans konts")
            && account.contains("Mainīt paroli")
            && account.contains("Jūsu valoda ir saglabāta.")
    );
    let id = register(t, &w.caseworker, "Anna").await;
    let case = get_ok(t, &format!("/cases/{id}"), &w.caseworker).await;
    assert!(case.contains("Dzimšanas datums") && case.contains("Sieviete") && case.contains("Pievienot piezīmi"));
    let new = get_ok(t, "/cases/new", &w.caseworker).await;
    assert!(new.contains("Reģistrēt iespējamo cilvēku tirdzniecības upuri"));
    let reply = t
        .form(
            "/cases",
            Some(&w.caseworker),
            &[("given_names", "A"), ("family_names", "B"), ("date_of_birth", "2023-02-29"), ("sex", "male")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Dzimšanas datums:"), "the field is named in Latvian");
    assert!(get_ok(t, "/cases", &w.caseworker).await.contains("Lietas"));
    // Others keep their language; an unknown language is refused with the field named.
    assert!(get_ok(t, "/account", &w.supervisor).await.contains("My account"));
    let reply = t.form("/account/language", Some(&w.caseworker), &[("language", "de")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("(lauks: Valoda)"), "the field named in Latvian: {}", reply.body);

    let reply = t.form("/account/language", Some(&w.admin), &[("language", "lv")]).await;
    assert_see_other(&reply, "/account");
    assert!(get_ok(t, "/admin/users", &w.admin).await.contains("Izveidot lietotāju"));
    assert!(get_ok(t, "/admin/organisations", &w.admin).await.contains("Nevalstiskā organizācija"));
    assert!(get_ok(t, "/admin/audit", &w.admin).await.contains("Ķēdes pārbaude"));
    let reply = t.form("/account/language", Some(&w.statistician), &[("language", "lv")]).await;
    assert_see_other(&reply, "/account");
    assert!(get_ok(t, "/statistics", &w.statistician).await.contains("Personas pēc dzimuma"));
}

#[test]
fn english_and_latvian_message_files_have_the_same_ids() {
    let en = I18n::ids(Language::English);
    let lv = I18n::ids(Language::Latvian);
    let only_en: Vec<&String> = en.iter().filter(|id| !lv.contains(id)).collect();
    let only_lv: Vec<&String> = lv.iter().filter(|id| !en.contains(id)).collect();
    assert!(only_en.is_empty() && only_lv.is_empty(), "only in en.ftl: {only_en:?}; only in lv.ftl: {only_lv:?}");
    let mut dedup = en.clone();
    dedup.dedup();
    assert_eq!(dedup.len(), en.len(), "an id is defined twice");
    assert!(en.len() > 100);
}

#[tokio::test]
async fn the_audit_page_shows_a_broken_chain_as_an_error() {
    let w = world().await;
    let t = &w.t;
    let page = get_ok(t, "/admin/audit", &w.admin).await;
    assert!(page.contains("entries verified") && !page.contains("role=\"alert\""));
    // An attacker with the database file: the append-only trigger dropped, an entry edited.
    let sql = "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET outcome = 'failure' WHERE seq = 3";
    t.app.store().execute_unchecked(sql).await.unwrap();
    let page = get_ok(t, "/admin/audit", &w.admin).await;
    assert!(page.contains("<p class=\"error\" role=\"alert\">The audit chain is broken"), "{page}");
    assert!(!page.contains("entries verified"));
    assert!(page.contains("<td>3</td>"), "the entries are still listed");
}

// ------------------------------------------------------------------ identification pages

/// The registration wizard end to end, as a first responder on a phone would use it: every
/// step renders with a label for every field and saves the draft; a presumed child is referred
/// without consent (Dir 2011/36 Art 13(2)); the case page says so and raises the
/// missing guardian.
#[tokio::test]
async fn the_wizard_saves_every_step_and_refers_a_presumed_child_without_consent() {
    let w = world().await;
    let t = &w.t;
    let id = register(t, &w.investigator, "Olena").await;
    for step in ["person", "age", "context", "timeline", "indicators", "consent"] {
        let html = get_ok(t, &format!("/cases/{id}/edit?step={step}"), &w.investigator).await;
        assert!(html.contains("aria-current=\"step\""), "{step}: the current step is marked");
    }
    let reply = t
        .form(
            &format!("/cases/{id}/edit"),
            Some(&w.investigator),
            &[
                ("step", "person"),
                ("version", "1"),
                ("given_names", "Olena"),
                ("citizenships", "UA, md"),
                ("sex", "female"),
            ],
        )
        .await;
    assert_see_other(&reply, &format!("/cases/{id}/edit?step=age"));
    let reply = t
        .form(
            &format!("/cases/{id}/edit"),
            Some(&w.investigator),
            &[
                ("step", "age"),
                ("version", "2"),
                ("age_min", "15"),
                ("age_max", "19"),
                ("reasons_to_believe_child", "on"),
            ],
        )
        .await;
    assert_see_other(&reply, &format!("/cases/{id}/edit?step=context"));
    let reply = t
        .form(
            &format!("/cases/{id}/edit"),
            Some(&w.investigator),
            &[("step", "context"), ("version", "3"), ("acts", "recruitment"), ("forms", "sexual")],
        )
        .await;
    assert_see_other(&reply, &format!("/cases/{id}/edit?step=timeline"));
    let reply = t.form(&format!("/cases/{id}/submit"), Some(&w.investigator), &[("version", "4")]).await;
    assert_see_other(&reply, &format!("/cases/{id}"));
    let case = get_ok(t, &format!("/cases/{id}"), &w.investigator).await;
    assert!(case.contains("Presumed child") || case.contains("presumed"), "{case}");
    assert!(case.contains("No guardian has been appointed"), "the missing guardian is raised");
    assert!(case.contains("UA") && case.contains("MD"), "citizenships kept");
    assert!(case.contains("Sexual exploitation"), "forms shown with their labels");
}

/// A bad value on a step is shown next to the form, with the field marked, and nothing saved.
#[tokio::test]
async fn a_wizard_step_with_a_bad_value_names_the_field_and_saves_nothing() {
    let w = world().await;
    let t = &w.t;
    let id = register(t, &w.caseworker, "Anna").await;
    let reply = t
        .form(
            &format!("/cases/{id}/edit"),
            Some(&w.caseworker),
            &[("step", "person"), ("version", "1"), ("given_names", "Anna"), ("citizenships", "XX")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains("id=\"form-error\"") && reply.body.contains("aria-invalid=\"true\""));
    assert_page_rules("/cases/{id}/edit", &reply.body);
    let again = get_ok(t, &format!("/cases/{id}/edit?step=person"), &w.caseworker).await;
    assert!(again.contains("name=\"version\" value=\"1\""), "the draft was not saved");
}

/// An adult is referred for identification without consent (CETS 197 Art 10); the consent step
/// records consent to support and to data sharing apart.
#[tokio::test]
async fn an_adult_without_consent_is_referred_and_the_consent_step_keeps_the_two_consents_apart() {
    let w = world().await;
    let t = &w.t;
    let id = register(t, &w.caseworker, "Anna").await;
    let step = get_ok(t, &format!("/cases/{id}/edit?step=consent"), &w.caseworker).await;
    assert!(step.contains("name=\"consent_given\"") && step.contains("name=\"sharing_consent_given\""), "{step}");
    let reply = t
        .form(
            &format!("/cases/{id}/edit"),
            Some(&w.caseworker),
            &[
                ("step", "consent"),
                ("version", "1"),
                ("consent_date", "2026-09-20"),
                ("consent_language", "lv"),
                ("consent_informed_by", "Case worker"),
                ("sharing_consent_given", "on"),
                ("sharing_consent_date", "2026-09-20"),
                ("sharing_consent_language", "lv"),
                ("sharing_consent_informed_by", "Case worker"),
            ],
        )
        .await;
    assert_see_other(&reply, &format!("/cases/{id}"));
    let step = get_ok(t, &format!("/cases/{id}/edit?step=consent"), &w.caseworker).await;
    assert!(!step.contains("id=\"consent_given\" name=\"consent_given\" checked"), "support refused: {step}");
    assert!(step.contains("id=\"sharing_consent_given\" name=\"sharing_consent_given\" checked"), "{step}");
    let reply = t.form(&format!("/cases/{id}/submit"), Some(&w.caseworker), &[("version", "2")]).await;
    assert_see_other(&reply, &format!("/cases/{id}"));
    let file = t.call(Method::GET, &format!("/api/v1/registrations/{id}"), Some(&w.caseworker), None).await;
    assert_eq!(file.json()["status"], "referred", "{}", file.body);
    assert_eq!(file.json()["registration"]["support_consent"]["given"], false, "{}", file.body);
}

/// The competent authority decides on the case page; the deadlines dashboard lists the clock.
#[tokio::test]
async fn the_competent_authority_decides_from_the_case_page_and_sees_the_deadlines() {
    let w = world().await;
    let t = &w.t;
    let authority = t.org("Competent Authority LV", "competent_authority", "LV").await;
    t.user("decider", &authority, &["decision_maker"]).await;
    let decider = t.login("decider", PASSWORD).await;
    let id = register(t, &w.investigator, "Olena").await;
    t.form(
        &format!("/cases/{id}/edit"),
        Some(&w.investigator),
        &[("step", "age"), ("version", "1"), ("date_of_birth", "2012-03-01"), ("dob_verified", "on")],
    )
    .await;
    let reply = t.form(&format!("/cases/{id}/submit"), Some(&w.investigator), &[("version", "2")]).await;
    assert_see_other(&reply, &format!("/cases/{id}"));

    let deadlines = get_ok(t, "/deadlines", &decider).await;
    assert!(deadlines.contains(&format!("href=\"/cases/{id}\"")), "{deadlines}");
    assert!(deadlines.contains("Guardian"), "a child without a guardian is on the dashboard");

    let case = get_ok(t, &format!("/cases/{id}"), &decider).await;
    assert!(case.contains("action=\"/cases/") && case.contains("/decisions\""), "the decision form is offered");
    let reply = t
        .form(
            &format!("/cases/{id}/decisions"),
            Some(&decider),
            &[("seq", "1"), ("kind", "first_decision_positive"), ("decided_on", "2026-09-21")],
        )
        .await;
    assert_see_other(&reply, &format!("/cases/{id}"));
    let case = get_ok(t, &format!("/cases/{id}"), &decider).await;
    assert!(case.contains("Reflection period ends"), "{case}");
    assert!(case.contains("No expulsion may be enforced"));
    // The same decision again (a stale form): a conflict, not a second decision.
    let reply = t
        .form(
            &format!("/cases/{id}/decisions"),
            Some(&decider),
            &[("seq", "1"), ("kind", "first_decision_positive"), ("decided_on", "2026-09-21")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    // A caseworker never sees the decision form.
    let case = get_ok(t, &format!("/cases/{id}"), &w.investigator).await;
    assert!(!case.contains("/decisions\""));
}

/// The anonymous notification form offers adult age groups only and files a count.
#[tokio::test]
async fn the_notification_form_files_an_adult_and_offers_no_child_age_group() {
    let w = world().await;
    let t = &w.t;
    let form = get_ok(t, "/notifications/new", &w.caseworker).await;
    assert!(!form.contains("value=\"0_11\"") && !form.contains("value=\"12_17\""));
    assert!(form.contains("value=\"25_34\""));
    let reply = t
        .form(
            "/notifications",
            Some(&w.caseworker),
            &[("notified_on", "2026-09-20"), ("sex", "male"), ("age_group", "25_34"), ("forms", "forced_labour")],
        )
        .await;
    assert_see_other(&reply, "/notifications/new?filed=1");
    // Counted in the statistics, never listed as a case.
    let stats = get_ok(t, "/statistics", &w.statistician).await;
    assert!(stats.contains("Male</th><td class=\"num\">0</td><td class=\"num\">1</td>"), "{stats}");
    let cases = get_ok(t, "/cases", &w.caseworker).await;
    assert!(cases.contains("There are no cases yet."), "no case appears: {cases}");
    let reply = t
        .form(
            "/notifications",
            Some(&w.caseworker),
            &[("notified_on", "2026-09-20"), ("sex", "male"), ("age_group", "12_17")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("register the child"), "{}", reply.body);
}

/// Search finds a person by a name typed without diacritics, in the searcher's scope only.
#[tokio::test]
async fn the_search_page_finds_a_name_without_diacritics() {
    let w = world().await;
    let t = &w.t;
    let id = register(t, &w.caseworker, "Žanna").await;
    let page = get_ok(t, "/search?name=zanna+berzina", &w.caseworker).await;
    assert!(page.contains(&format!("href=\"/cases/{id}\"")), "{page}");
    let other = get_ok(t, "/search?name=zanna+berzina", &w.investigator).await;
    assert!(!other.contains(&format!("href=\"/cases/{id}\"")), "another organisation's case is never found");
}

/// A search result says why it was found: each field the linkage engine compared, how the two
/// records compare on it and what that weighs; the statistics page counts persons, not records.
#[tokio::test]
async fn the_search_page_explains_a_match_and_statistics_count_persons() {
    let w = world().await;
    let t = &w.t;
    let id = register(t, &w.caseworker, "Žanna").await;
    let page = get_ok(t, "/search?name=Berzina+Zanna&date_of_birth=2001-04-17", &w.caseworker).await;
    assert!(page.contains(&format!("href=\"/cases/{id}\"")), "{page}");
    assert!(page.contains("<th scope=\"col\">Why</th>"), "{page}");
    for reason in ["Given names: the same", "Family names: the same", "Date of birth: the same"] {
        assert!(page.contains(reason), "{reason}: {page}");
    }
    assert!(page.contains("Citizenship: not known on one side or both"), "{page}");
    // A search by date of birth alone is exact: nothing to explain.
    let page = get_ok(t, "/search?date_of_birth=2001-04-17", &w.caseworker).await;
    assert!(page.contains(&format!("href=\"/cases/{id}\"")) && !page.contains("Given names: the same"), "{page}");
    // Latvian words for the same reasons.
    t.form("/account/language", Some(&w.caseworker), &[("language", "lv")]).await;
    let page = get_ok(t, "/search?name=zanna+berzina", &w.caseworker).await;
    assert!(page.contains("Vārdi: sakrīt") && page.contains("Uzvārdi: sakrīt"), "{page}");

    let stats = get_ok(t, "/statistics", &w.statistician).await;
    assert!(stats.contains("Distinct persons among the referred"), "{stats}");
    assert!(stats.contains("id=\"distinct-persons\">0</strong>"), "only referred registrations count: {stats}");
    assert!(stats.contains("model persons v1 (built in), threshold 0.9"), "{stats}");
    assert!(!stats.contains("Bērziņa") && !stats.contains("Žanna"), "never a person");
}

/// The wizard and the case page speak Latvian to a Latvian user.
#[tokio::test]
async fn the_wizard_is_latvian_for_a_latvian_user() {
    let w = world().await;
    let t = &w.t;
    let id = register(t, &w.caseworker, "Anna").await;
    t.form("/account/language", Some(&w.caseworker), &[("language", "lv")]).await;
    let html = get_ok(t, &format!("/cases/{id}/edit?step=context"), &w.caseworker).await;
    assert!(html.contains("Ekspluatācijas veidi") && html.contains("Saglabāt un turpināt"), "{html}");
    let case = get_ok(t, &format!("/cases/{id}"), &w.caseworker).await;
    assert!(case.contains("Ekspluatācijas nolūks") && case.contains("nav reģistrēts"), "the legal test in Latvian");
}
