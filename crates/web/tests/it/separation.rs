//! Separation of duties: administrators bound to their jurisdiction, no role granted to
//! oneself, data roles only with a second administrator's approval, set-up codes instead of
//! passwords, and the audit log read per jurisdiction (the data protection officer included).

use crate::common::{Session, TestApp};
use axum::http::{Method, StatusCode};
use haven_app::admin::{Acting, NewUser};
use serde_json::json;

struct World {
    t: TestApp,
    lv_ngo: String,
    ee_ngo: String,
    lv_admin: Session,
    ee_admin: Session,
}

async fn world() -> World {
    let t = TestApp::new().await;
    let lv_ca = t.org("LV Authority", "competent_authority", "LV").await;
    let ee_ca = t.org("EE Authority", "competent_authority", "EE").await;
    let lv_ngo = t.org("LV NGO", "ngo", "LV").await;
    let ee_ngo = t.org("EE NGO", "ngo", "EE").await;
    let lv_admin = t.admin("lv.admin", &lv_ca).await;
    let ee_admin = t.admin("ee.admin", &ee_ca).await;
    World { t, lv_ngo, ee_ngo, lv_admin, ee_admin }
}

async fn user_id(t: &TestApp, username: &str) -> String {
    t.app.store().user_by_username(username).await.unwrap().id
}

async fn denials_on(t: &TestApp, target_id: &str) -> usize {
    let rows = t.app.store().audit_entries(0, 10_000).await.unwrap();
    rows.iter()
        .filter(|r| r.event.action.to_string() == "access_denied" && r.event.target_id.as_deref() == Some(target_id))
        .count()
}

#[tokio::test]
async fn an_administrator_administers_only_users_and_organisations_of_its_own_jurisdiction() {
    let w = world().await;
    let t = &w.t;
    let password = t.user("ee.worker", &w.ee_ngo, &["caseworker"]).await;
    let ee_worker = user_id(t, "ee.worker").await;
    // The Estonian user is not in the Latvian administrator's list, and does not exist for it.
    let list = t.call(Method::GET, "/api/v1/users", Some(&w.lv_admin), None).await.json();
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    assert!(names.contains(&"lv.admin") && !names.contains(&"ee.worker") && !names.contains(&"ee.admin"), "{names:?}");
    for (method, path, body) in [
        (Method::POST, "/api/v1/users/ee.worker/reset-password", None),
        (Method::POST, "/api/v1/users/ee.worker/disable", None),
        (Method::POST, "/api/v1/users/ee.worker/enable", None),
        (Method::PUT, "/api/v1/users/ee.worker/roles", Some(json!({"roles": ["first_responder"]}))),
    ] {
        let reply = t.call(method, path, Some(&w.lv_admin), body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}: {}", reply.body);
    }
    assert_eq!(denials_on(t, &ee_worker).await, 4, "every attempt is audited as a denial");
    // Through the page too.
    let reply = t.form("/admin/users/ee.worker/reset-password", Some(&w.lv_admin), &[]).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // The Estonian password still works: nothing was reset.
    t.login("ee.worker", &password).await;
    // No user, no organisation created in another country.
    let reply = t
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&w.lv_admin),
            Some(json!({"username": "planted", "display_name": "P", "organisation_id": w.ee_ngo, "roles": ["caseworker"]})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    let reply = t
        .form(
            "/admin/users",
            Some(&w.lv_admin),
            &[("username", "planted2"), ("display_name", "P"), ("organisation_id", &w.ee_ngo), ("roles", "caseworker")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(t.app.store().user_by_username("planted").await.is_err());
    let reply = t
        .call(
            Method::POST,
            "/api/v1/organisations",
            Some(&w.lv_admin),
            Some(json!({"name": "Planted", "kind": "shelter", "jurisdiction": "EE"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // The EU-level administrator is no exception for national users.
    let eu = t.org("EU Coordinator", "eu_anti_trafficking_coordinator", "EU").await;
    let eu_admin = t.admin("eu.admin", &eu).await;
    let reply = t.call(Method::POST, "/api/v1/users/ee.worker/reset-password", Some(&eu_admin), None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let orgs = t.page("/admin/organisations", Some(&w.lv_admin)).await;
    assert!(orgs.body.contains("LV NGO") && !orgs.body.contains("EE NGO"));
    // The Estonian administrator does administer its own.
    let reply = t.call(Method::POST, "/api/v1/users/ee.worker/disable", Some(&w.ee_admin), None).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    // The platform operator at the console sets up any country.
    let new = NewUser {
        username: "ee.second".into(),
        display_name: "Second".into(),
        organisation_id: w.ee_ngo.clone(),
        roles: vec!["caseworker".into()],
        password: None,
        language: None,
    };
    t.app.create_user(Acting::Operator, &new).await.unwrap();
    t.app.set_user_roles(Acting::Operator, "ee.second", "caseworker,supervisor").await.unwrap();
}

#[tokio::test]
async fn nobody_grants_a_role_to_themselves() {
    let w = world().await;
    let t = &w.t;
    let me = user_id(t, "lv.admin").await;
    let reply = t
        .call(
            Method::PUT,
            "/api/v1/users/lv.admin/roles",
            Some(&w.lv_admin),
            Some(json!({"roles": ["administrator", "decision_maker"]})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert_eq!(t.app.store().user(&me).await.unwrap().roles, vec![haven_domain::Role::Administrator]);
    assert_eq!(denials_on(t, &me).await, 1);
    // Not even a role that opens no data.
    let reply = t
        .call(
            Method::PUT,
            "/api/v1/users/lv.admin/roles",
            Some(&w.lv_admin),
            Some(json!({"roles": ["administrator", "auditor"]})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_data_role_takes_effect_only_once_a_second_administrator_of_the_country_approves() {
    let w = world().await;
    let t = &w.t;
    let lv_ca = t.app.store().user_by_username("lv.admin").await.unwrap().organisation_id;
    let second = t.admin("lv.second", &lv_ca).await;
    let password = t.user("anna", &w.lv_ngo, &["first_responder"]).await;
    let anna = t.login("anna", &password).await;
    // Asking for a data role: stored as waiting, the user acts without it.
    let reply = t
        .call(
            Method::PUT,
            "/api/v1/users/anna/roles",
            Some(&w.lv_admin),
            Some(json!({"roles": ["caseworker", "first_responder"]})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let grant = reply.json()["id"].as_str().unwrap().to_owned();
    let me = t.call(Method::GET, "/api/v1/me", Some(&anna), None).await.json();
    assert_eq!(me["effective_roles"], json!(["first_responder"]));
    // A second request while one waits is a conflict.
    let reply =
        t.call(Method::PUT, "/api/v1/users/anna/roles", Some(&second), Some(json!({"roles": ["supervisor"]}))).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    // The other administrators see it; the Estonian one does not.
    let pending = t.call(Method::GET, "/api/v1/role-grants", Some(&second), None).await.json();
    assert_eq!(pending[0]["username"], "anna");
    assert_eq!(pending[0]["requested_by_username"], "lv.admin");
    let ee_view = t.call(Method::GET, "/api/v1/role-grants", Some(&w.ee_admin), None).await.json();
    assert_eq!(ee_view, json!([]));
    let users_page = t.page("/admin/users", Some(&second)).await;
    assert!(users_page.body.contains(&format!("/admin/role-grants/{grant}/approve")));
    // Neither who asked, nor another country, may approve.
    let approve = format!("/api/v1/role-grants/{grant}/approve");
    assert_eq!(t.call(Method::POST, &approve, Some(&w.lv_admin), None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.call(Method::POST, &approve, Some(&w.ee_admin), None).await.status, StatusCode::NOT_FOUND);
    let me = t.call(Method::GET, "/api/v1/me", Some(&anna), None).await.json();
    assert_eq!(me["effective_roles"], json!(["first_responder"]));
    // The second administrator approves (through the page): the roles apply, audited.
    let reply = t.form(&format!("/admin/role-grants/{grant}/approve"), Some(&second), &[]).await;
    assert!(reply.status.is_redirection(), "{}", reply.body);
    let me = t.call(Method::GET, "/api/v1/me", Some(&anna), None).await;
    let me = if me.status == StatusCode::UNAUTHORIZED { t.login("anna", &password).await } else { anna.clone() };
    let me = t.call(Method::GET, "/api/v1/me", Some(&me), None).await.json();
    assert_eq!(me["effective_roles"], json!(["first_responder", "caseworker"]));
    assert_eq!(t.call(Method::POST, &approve, Some(&second), None).await.status, StatusCode::CONFLICT);
    let actions: Vec<String> =
        t.app.store().audit_entries(0, 10_000).await.unwrap().iter().map(|r| r.event.action.to_string()).collect();
    assert!(
        actions.contains(&"role_grant_requested".to_owned()) && actions.contains(&"role_grant_approved".to_owned())
    );
    // Removing a data role, or granting one that opens none, applies at once.
    let reply = t
        .call(Method::PUT, "/api/v1/users/anna/roles", Some(&w.lv_admin), Some(json!({"roles": ["first_responder"]})))
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);

    // A user created with a data role holds it only after approval, and no administrator
    // chooses its password.
    let reply = t
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&w.lv_admin),
            Some(json!({"username": "new.dm", "display_name": "N", "organisation_id": lv_ca, "roles": ["decision_maker"], "password": "chosen by the admin"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["error"]["field"], "password");
    let reply = t
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&w.lv_admin),
            Some(json!({"username": "new.dm", "display_name": "N", "organisation_id": lv_ca, "roles": ["decision_maker"]})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["user"]["roles"], json!([]));
    assert_eq!(body["pending_grant"]["roles"], json!(["decision_maker"]));
    assert!(body.get("password").is_none());
    let new_id = body["user"]["id"].as_str().unwrap().to_owned();
    let grant = body["pending_grant"]["id"].as_str().unwrap().to_owned();
    // The grantee may not approve its own grant either.
    let code = body["setup_code"].as_str().unwrap();
    let reply = t
        .call(
            Method::POST,
            "/api/v1/auth/setup",
            None,
            Some(json!({"username": "new.dm", "code": code, "new_password": "a passphrase of my own"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    let reply = t.call(Method::POST, &format!("/api/v1/role-grants/{grant}/reject"), Some(&second), None).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert!(t.app.store().user(&new_id).await.unwrap().roles.is_empty());
}

#[tokio::test]
async fn a_password_reset_gives_a_one_time_setup_code_never_a_password() {
    let w = world().await;
    let t = &w.t;
    let old = t.user("liga", &w.lv_ngo, &["caseworker"]).await;
    let reply = t.call(Method::POST, "/api/v1/users/liga/reset-password", Some(&w.lv_admin), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body = reply.json();
    assert!(body.get("password").is_none(), "{body}");
    let code = body["setup_code"].as_str().unwrap().to_owned();
    assert_eq!(body["expires_at"].as_i64().unwrap(), haven_app::Clock::now(&*t.clock) + 24 * 3600);
    // The code is no password: neither it nor the old password logs in.
    for pw in [old.as_str(), code.as_str()] {
        let reply =
            t.call(Method::POST, "/api/v1/auth/login", None, Some(json!({"username": "liga", "password": pw}))).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let setup = |code: &str, pw: &str| json!({"username": "liga", "code": code, "new_password": pw});
    let reply = t.call(Method::POST, "/api/v1/auth/setup", None, Some(setup("wrong-code", "my new passphrase"))).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["error"]["field"], "code");
    // Through the page: the user chooses the password, once.
    let reply = t
        .form(
            "/setup",
            None,
            &[
                ("username", "liga"),
                ("code", &code),
                ("new_password", "my new passphrase"),
                ("confirm_password", "my new passphrase"),
            ],
        )
        .await;
    assert!(reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    t.login("liga", "my new passphrase").await;
    let reply = t.call(Method::POST, "/api/v1/auth/setup", None, Some(setup(&code, "another passphrase"))).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "the code dies on use");
    // The page shows the code, never a password.
    let page = t.form("/admin/users/liga/reset-password", Some(&w.lv_admin), &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("/setup"));
    // A code dies when it expires.
    let reply = t.call(Method::POST, "/api/v1/users/liga/reset-password", Some(&w.lv_admin), None).await;
    let code = reply.json()["setup_code"].as_str().unwrap().to_owned();
    t.clock.advance(24 * 3600);
    let reply = t.call(Method::POST, "/api/v1/auth/setup", None, Some(setup(&code, "too late passphrase"))).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let actions: Vec<String> =
        t.app.store().audit_entries(0, 10_000).await.unwrap().iter().map(|r| r.event.action.to_string()).collect();
    assert!(actions.contains(&"setup_code_used".to_owned()) && actions.contains(&"setup_code_refused".to_owned()));
}

#[tokio::test]
async fn administrators_and_the_data_protection_officer_read_the_audit_of_their_jurisdiction_only() {
    let w = world().await;
    let t = &w.t;
    // Estonian activity.
    let ee_pw = t.user("ee.worker", &w.ee_ngo, &["first_responder"]).await;
    let ee = t.login("ee.worker", &ee_pw).await;
    let reply = t
        .call(
            Method::POST,
            "/api/v1/cases",
            Some(&ee),
            Some(json!({"person": {"given_names": "Kati", "family_names": "Tamm", "sex": "female"}})),
        )
        .await;
    let ee_case = reply.json()["id"].as_str().unwrap().to_owned();
    // Latvian activity: a case of an NGO.
    let lv_pw = t.user("lv.worker", &w.lv_ngo, &["first_responder"]).await;
    let lv = t.login("lv.worker", &lv_pw).await;
    let reply = t
        .call(
            Method::POST,
            "/api/v1/cases",
            Some(&lv),
            Some(json!({"person": {"given_names": "Olena", "family_names": "K", "sex": "female"}})),
        )
        .await;
    let lv_case = reply.json()["id"].as_str().unwrap().to_owned();
    let lv_orgs: Vec<String> = t
        .app
        .store()
        .organisations()
        .await
        .unwrap()
        .into_iter()
        .filter(|o| o.jurisdiction.to_string() == "LV")
        .map(|o| o.id)
        .collect();
    let dpo_org = t.org("LV Data Protection", "competent_authority", "LV").await;
    let dpo_pw = t.user("demo.dpo", &dpo_org, &["auditor"]).await;
    let dpo = t.login("demo.dpo", &dpo_pw).await;
    for reader in [&w.lv_admin, &dpo] {
        let reply = t.call(Method::GET, "/api/v1/audit/entries?limit=1000", Some(reader), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let entries = reply.json();
        let entries = entries.as_array().unwrap();
        assert!(!entries.is_empty());
        let all = t.app.store().audit_entries(0, 10_000).await.unwrap();
        for e in entries {
            let row = all.iter().find(|r| json!(r.seq) == e["seq"]).unwrap();
            let orgs = [&row.event.actor_organisation_id, &row.event.target_organisation_id];
            assert!(
                orgs.iter().any(|o| o.as_ref().is_some_and(|id| lv_orgs.contains(id) || *id == dpo_org)),
                "an entry of another jurisdiction: {e}"
            );
            assert_ne!(e["target_id"], json!(ee_case));
        }
        assert!(all.iter().any(|r| r.event.target_id.as_deref() == Some(ee_case.as_str())), "Estonia did act");
        assert!(entries.iter().any(|e| e["target_id"] == json!(lv_case)));
        assert_eq!(t.page("/admin/audit", Some(reader)).await.status, StatusCode::OK);
    }
    // The DPO reads the access history of any case of its country, and no case data.
    let reply = t.call(Method::GET, &format!("/api/v1/cases/{lv_case}/access-history"), Some(&dpo), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(!reply.json().as_array().unwrap().is_empty());
    let reply = t.call(Method::GET, &format!("/api/v1/cases/{ee_case}/access-history"), Some(&dpo), None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.call(Method::GET, &format!("/api/v1/cases/{lv_case}"), Some(&dpo), None).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(t.call(Method::GET, "/api/v1/cases", Some(&dpo), None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.call(Method::GET, "/api/v1/users", Some(&dpo), None).await.status, StatusCode::FORBIDDEN);
}

/// Guessing at set-up codes is throttled as guessing at passwords is: after a few wrong codes
/// for an account, even the right one waits for the back-off; every refusal is audited.
#[tokio::test]
async fn guessing_at_set_up_codes_is_held_back() {
    let w = world().await;
    let t = &w.t;
    t.user("liga", &w.lv_ngo, &["caseworker"]).await;
    let reply = t.call(Method::POST, "/api/v1/users/liga/reset-password", Some(&w.lv_admin), None).await;
    let code = reply.json()["setup_code"].as_str().unwrap().to_owned();
    let setup = |code: &str| json!({"username": "liga", "code": code, "new_password": "my new passphrase"});
    let mut refused = 0;
    for i in 0..8 {
        let reply = t.call(Method::POST, "/api/v1/auth/setup", None, Some(setup(&format!("guess-{i}")))).await;
        match reply.status {
            StatusCode::UNPROCESSABLE_ENTITY => refused += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("{other}: {}", reply.body),
        }
    }
    assert_eq!(refused, 5, "after five wrong codes the guesser waits");
    let reply = t.call(Method::POST, "/api/v1/auth/setup", None, Some(setup(&code))).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{}", reply.body);
    // After the back-off the right code works.
    t.clock.advance(60);
    let reply = t.call(Method::POST, "/api/v1/auth/setup", None, Some(setup(&code))).await;
    assert!(reply.status.is_success(), "{} {}", reply.status, reply.body);
    t.login("liga", "my new passphrase").await;
    let refusals = t
        .app
        .store()
        .audit_entries(0, 10_000)
        .await
        .unwrap()
        .iter()
        .filter(|r| r.event.action.to_string() == "setup_code_refused")
        .count();
    assert_eq!(refusals, 5);
}

#[tokio::test]
async fn an_existing_users_roles_are_changed_on_the_users_page_through_the_same_rules() {
    let w = world().await;
    let t = &w.t;
    t.user("ilze", &w.lv_ngo, &["first_responder", "caseworker"]).await;
    t.user("ee.worker", &w.ee_ngo, &["first_responder"]).await;
    let page = t.page("/admin/users", Some(&w.lv_admin)).await;
    assert!(page.body.contains("action=\"/admin/users/ilze/roles\""), "a form per user");
    assert!(page.body.contains("id=\"roles-ilze-caseworker\" name=\"roles\" value=\"caseworker\" checked"));
    assert!(!page.body.contains("action=\"/admin/users/lv.admin/roles\""), "never one's own roles");
    // Taking a role away applies at once.
    let reply = t.form("/admin/users/ilze/roles", Some(&w.lv_admin), &[("roles", "first_responder")]).await;
    assert_eq!(reply.headers.get("location").unwrap(), "/admin/users?done=roles");
    assert_eq!(t.app.store().user_by_username("ilze").await.unwrap().roles, vec![haven_domain::Role::FirstResponder]);
    // Giving back a role that reads victims' data waits for a second administrator.
    let reply = t
        .form("/admin/users/ilze/roles", Some(&w.lv_admin), &[("roles", "first_responder"), ("roles", "caseworker")])
        .await;
    assert_eq!(reply.headers.get("location").unwrap(), "/admin/users?done=roles-pending");
    assert_eq!(t.app.store().user_by_username("ilze").await.unwrap().roles, vec![haven_domain::Role::FirstResponder]);
    let page = t.page("/admin/users?done=roles-pending", Some(&w.lv_admin)).await;
    assert!(page.body.contains("waits for another administrator"), "{}", page.body);
    // Another country's user, and no role at all, are refused.
    let reply = t.form("/admin/users/ee.worker/roles", Some(&w.lv_admin), &[("roles", "caseworker")]).await;
    assert!(reply.status == StatusCode::NOT_FOUND || reply.status == StatusCode::FORBIDDEN, "{}", reply.status);
    let reply = t.form("/admin/users/ilze/roles", Some(&w.lv_admin), &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// The problem of a refused form is next to its input (marked, and described by the message).
fn problem_at(body: &str, input: &str) -> bool {
    body.contains(&format!("id=\"err-{input}\""))
        && body.contains(&format!("aria-invalid=\"true\" aria-describedby=\"err-{input}\""))
}

#[tokio::test]
async fn roles_that_do_not_fit_the_organisation_come_back_in_that_users_form_with_the_problem_next_to_them() {
    let w = world().await;
    let t = &w.t;
    t.user("ilze", &w.lv_ngo, &["first_responder"]).await;
    t.user("juris", &w.lv_ngo, &["first_responder"]).await;
    let reply = t
        .form("/admin/users/ilze/roles", Some(&w.lv_admin), &[("roles", "first_responder"), ("roles", "investigator")])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let page = &reply.body;
    assert!(problem_at(page, "roles-of-ilze"), "the problem is in ilze's form: {page}");
    assert!(!page.contains("err-roles-of-juris"), "and in no other user's");
    assert_eq!(page.matches("<details class=\"roles-change\" open>").count(), 1, "ilze's form is open: {page}");
    assert!(page.contains("id=\"roles-ilze-investigator\" name=\"roles\" value=\"investigator\" checked"), "as sent");
    assert!(!page.contains("id=\"roles-juris-investigator\" name=\"roles\" value=\"investigator\" checked"));
    assert_eq!(t.app.store().user_by_username("ilze").await.unwrap().roles, vec![haven_domain::Role::FirstResponder]);
}

#[tokio::test]
async fn a_user_refused_on_the_create_form_keeps_what_was_typed_with_the_problem_next_to_the_username() {
    let w = world().await;
    let t = &w.t;
    let fields = [
        ("username", "Ilze Ozola"),
        ("display_name", "Ilze Ozola"),
        ("organisation_id", w.lv_ngo.as_str()),
        ("roles", "first_responder"),
        ("roles", "supervisor"),
        ("language", "lv"),
    ];
    let reply = t.form("/admin/users", Some(&w.lv_admin), &fields).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let page = &reply.body;
    assert!(problem_at(page, "user-username"), "{page}");
    assert!(page.contains("value=\"Ilze Ozola\""), "{page}");
    assert!(page.contains("id=\"user-role-first_responder\" name=\"roles\" value=\"first_responder\" checked"));
    assert!(page.contains("id=\"user-role-supervisor\" name=\"roles\" value=\"supervisor\" checked"));
    assert!(page.contains(&format!("<option value=\"{}\" selected>", w.lv_ngo)), "{page}");
    assert!(page.contains("<option value=\"lv\" lang=\"lv\" selected>"), "{page}");
    assert!(!page.contains("class=\"notice handover\""), "no set-up code: no user was created");
}
