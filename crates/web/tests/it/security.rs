//! CSRF on every state change, security headers on every response, the OpenAPI document.

use crate::common::TestApp;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use haven_web::routes::ROUTES;
use serde_json::json;

async fn caseworker(t: &TestApp) -> crate::common::Session {
    let ngo = t.org("NGO", "ngo", "LV").await;
    let password = t.user("anna", &ngo, &["caseworker", "first_responder"]).await;
    t.login("anna", &password).await
}

#[tokio::test]
async fn every_state_change_riding_on_the_cookie_needs_the_csrf_token() {
    let t = TestApp::new().await;
    let s = caseworker(&t).await;
    for route in ROUTES.iter().filter(|r| r.method != "GET") {
        let uri = route
            .path
            .replace("{case}", "00000000-0000-0000-0000-000000000000")
            .replace("{username}", "anna")
            .replace("{id}", "x");
        let uri = uri.split('#').next().unwrap().to_owned();
        if route.path.ends_with("/login") {
            continue; // no session is used to log in; see the Origin test below
        }
        for (content_type, body) in [("application/json", "{}"), ("application/x-www-form-urlencoded", "a=b")] {
            let req = Request::builder()
                .method(route.method)
                .uri(&uri)
                .header("host", "localhost")
                .header("cookie", &s.cookie)
                .header("content-type", content_type)
                .body(Body::from(body))
                .unwrap();
            let reply = t.send(req).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{} {} without a token", route.method, route.path);
            assert!(reply.body.contains("csrf"), "{}", reply.body);
        }
        // A wrong token is as good as none.
        let req = Request::builder()
            .method(route.method)
            .uri(&uri)
            .header("host", "localhost")
            .header("cookie", &s.cookie)
            .header("x-csrf-token", "0".repeat(64))
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .unwrap();
        assert_eq!(t.send(req).await.status, StatusCode::FORBIDDEN);
    }
    // The session is still fine, and with the token the same request goes through.
    let reply = t.call(Method::POST, "/api/v1/tokens", Some(&s), Some(json!({"name": "cli"}))).await;
    assert_eq!(reply.status, StatusCode::CREATED);
}

#[tokio::test]
async fn the_csrf_token_is_bound_to_the_session() {
    let t = TestApp::new().await;
    let s1 = caseworker(&t).await;
    let s2 = t.login("anna", "correct horse battery staple").await;
    let mut mixed = s1.clone();
    mixed.csrf = s2.csrf.clone();
    let reply = t.call(Method::POST, "/api/v1/tokens", Some(&mixed), Some(json!({"name": "cli"}))).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn cross_origin_posts_are_refused_even_for_login() {
    let t = TestApp::new().await;
    caseworker(&t).await;
    let body = json!({"username": "anna", "password": "correct horse battery staple"}).to_string();
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/auth/login")
        .header("host", "localhost")
        .header("origin", "https://evil.example")
        .header("content-type", "application/json")
        .body(Body::from(body.clone()))
        .unwrap();
    assert_eq!(t.send(req).await.status, StatusCode::FORBIDDEN);
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/auth/login")
        .header("host", "localhost")
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "application/json")
        .body(Body::from(body.clone()))
        .unwrap();
    assert_eq!(t.send(req).await.status, StatusCode::FORBIDDEN);
    // A browser's form post with `Origin: null` (privacy mode) passes only as same-origin.
    for (fetch_site, expected) in [(None, StatusCode::FORBIDDEN), (Some("same-origin"), StatusCode::UNAUTHORIZED)] {
        let mut req = Request::builder()
            .method("POST")
            .uri("/login")
            .header("host", "localhost")
            .header("origin", "null")
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(site) = fetch_site {
            req = req.header("sec-fetch-site", site);
        }
        let reply = t.send(req.body(Body::from("username=anna&password=wrong")).unwrap()).await;
        assert_eq!(reply.status, expected, "{fetch_site:?}");
    }
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/auth/login")
        .header("host", "localhost")
        .header("origin", "http://localhost")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(t.send(req).await.status, StatusCode::OK);
}

#[tokio::test]
async fn api_tokens_need_no_csrf_token_and_die_when_revoked() {
    let t = TestApp::new().await;
    let s = caseworker(&t).await;
    let created = t.call(Method::POST, "/api/v1/tokens", Some(&s), Some(json!({"name": "script"}))).await.json();
    let token = created["token"].as_str().unwrap().to_owned();
    let id = created["id"].as_str().unwrap().to_owned();
    let with_bearer = |method: &str, uri: &str, body: Option<serde_json::Value>| {
        let mut b = Request::builder()
            .method(method)
            .uri(uri)
            .header("host", "localhost")
            .header("authorization", format!("Bearer {token}"));
        match body {
            Some(v) => {
                b = b.header("content-type", "application/json");
                b.body(Body::from(v.to_string())).unwrap()
            }
            None => b.body(Body::empty()).unwrap(),
        }
    };
    let reply = t
        .send(with_bearer(
            "POST",
            "/api/v1/cases",
            Some(json!({"person": {"given_names": "A", "family_names": "B", "sex": "male"}})),
        ))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        t.call(Method::DELETE, &format!("/api/v1/tokens/{id}"), Some(&s), None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(t.send(with_bearer("GET", "/api/v1/me", None)).await.status, StatusCode::UNAUTHORIZED);
    // The same through the account page.
    let created = t.call(Method::POST, "/api/v1/tokens", Some(&s), Some(json!({"name": "second"}))).await.json();
    let second = created["token"].as_str().unwrap().to_owned();
    let me = |token: String| {
        Request::builder()
            .uri("/api/v1/me")
            .header("host", "localhost")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(t.send(me(second.clone())).await.status, StatusCode::OK);
    let account = t.page("/account", Some(&s)).await;
    let revoke = format!("/account/tokens/{}/revoke", created["id"].as_str().unwrap());
    assert!(account.body.contains(&revoke), "the account page offers no revocation");
    assert!(t.form(&revoke, Some(&s), &[]).await.status.is_redirection());
    assert_eq!(t.send(me(second)).await.status, StatusCode::UNAUTHORIZED);
    // The database keeps only a hash of the token (read in storage: the application never hands
    // the hash out).
    let me = t.app.authenticate_session(&s.cookie["haven_session=".len()..], None).await.unwrap();
    let rows = t.app.store().api_tokens_of(&me.user.id).await.unwrap();
    assert!(!rows.is_empty() && rows.iter().all(|r| r.token_hash != token.as_bytes()));
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let t = TestApp::new().await;
    for path in ["/login", "/healthz", "/api/v1/me", "/nowhere", "/assets/haven.css"] {
        let reply = t.page(path, None).await;
        let csp = reply.headers.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{path}");
        assert_eq!(reply.headers.get("x-frame-options").unwrap(), "DENY");
        assert_eq!(reply.headers.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(reply.headers.get("referrer-policy").unwrap(), "same-origin");
        assert!(reply.headers.get("strict-transport-security").is_none(), "no HSTS without TLS");
    }
    assert_eq!(t.page("/login", None).await.headers.get("cache-control").unwrap(), "no-store");
}

#[tokio::test]
async fn hsts_and_secure_cookies_with_tls() {
    let t = TestApp::new().await;
    let ngo = t.org("NGO", "ngo", "LV").await;
    t.user("anna", &ngo, &["caseworker"]).await;
    let router = haven_web::router(t.app.clone(), haven_web::WebConfig { tls: true, ..Default::default() }).unwrap();
    use tower::ServiceExt;
    let body = json!({"username": "anna", "password": "correct horse battery staple"}).to_string();
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/auth/login")
        .header("host", "localhost")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    let response = router.oneshot(req).await.unwrap();
    assert!(response.headers().get("strict-transport-security").is_some());
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
}

#[tokio::test]
async fn session_cookies_without_tls_are_http_only_and_strict() {
    let t = TestApp::new().await;
    caseworker(&t).await;
    let reply = t
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "anna", "password": "correct horse battery staple"})),
        )
        .await;
    let cookie = reply.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains("Secure"),
        "{cookie}"
    );
}

#[tokio::test]
async fn sessions_end_after_idle_and_absolute_timeouts() {
    let t = TestApp::new().await;
    let s = caseworker(&t).await;
    let settings = t.app.settings().clone();
    t.clock.advance(settings.session_idle_seconds - 10);
    assert_eq!(t.call(Method::GET, "/api/v1/me", Some(&s), None).await.status, StatusCode::OK);
    t.clock.advance(settings.session_idle_seconds + 1);
    assert_eq!(t.call(Method::GET, "/api/v1/me", Some(&s), None).await.status, StatusCode::UNAUTHORIZED);
    // Active all along, a session still ends at the absolute limit.
    let s = t.login("anna", "correct horse battery staple").await;
    let step = settings.session_idle_seconds / 2;
    let mut elapsed = 0;
    while elapsed + step <= settings.session_absolute_seconds {
        t.clock.advance(step);
        elapsed += step;
        assert_eq!(t.call(Method::GET, "/api/v1/me", Some(&s), None).await.status, StatusCode::OK);
    }
    // Never idle, but past the absolute limit.
    t.clock.advance(step);
    assert_eq!(t.call(Method::GET, "/api/v1/me", Some(&s), None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logins_are_rate_limited_per_account_and_audited() {
    let t = TestApp::new().await;
    caseworker(&t).await;
    for _ in 0..5 {
        let r = t
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"username": "anna", "password": "wrong password!"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = t
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "anna", "password": "correct horse battery staple"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.get("retry-after").is_some());
    t.clock.advance(15 * 60);
    let r = t
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "anna", "password": "correct horse battery staple"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let log = t.app.store().audit_entries(0, 1000).await.unwrap();
    let failed = log.iter().filter(|e| e.event.action.to_string() == "login_failed").count();
    let limited = log.iter().filter(|e| e.event.action.to_string() == "login_rate_limited").count();
    assert_eq!((failed, limited), (5, 1));
    // Entries carry no password and no username typed.
    assert!(log.iter().all(|e| !format!("{:?}", e.event).contains("wrong password")));
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route_and_no_other() {
    let t = TestApp::new().await;
    let doc = t.page("/api/v1/openapi.json", None).await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let paths = doc["paths"].as_object().unwrap();
    // Path parameters compare by position, whatever their names.
    let normalise = |p: &str| {
        let p = p.split(['#', '?']).next().unwrap();
        p.split('/').map(|s| if s.starts_with('{') { "{}" } else { s }).collect::<Vec<_>>().join("/")
    };
    let mut described: Vec<(String, String)> = Vec::new();
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            described.push((method.to_uppercase(), normalise(path)));
        }
    }
    let mut listed: Vec<(String, String)> = ROUTES
        .iter()
        .filter(|r| r.api && r.path.starts_with("/api/v1/") && r.path != "/api/v1/openapi.json")
        .map(|r| (r.method.to_owned(), normalise(r.path)))
        .collect();
    listed.sort();
    listed.dedup();
    described.sort();
    assert_eq!(described, listed, "the OpenAPI document and the route table differ");
    // And each described route is really served (not the 404 fallback).
    let s = caseworker(&t).await;
    for (method, path) in &described {
        let uri = path.replace("{}", "00000000-0000-0000-0000-000000000000");
        let reply = t.call(Method::from_bytes(method.as_bytes()).unwrap(), &uri, Some(&s), Some(json!({}))).await;
        assert!(
            !(reply.status == StatusCode::NOT_FOUND && reply.body.contains("\"not found\"") && reply.body.is_empty()),
            "{method} {path}"
        );
        assert_ne!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
    }
}

/// Someone who types wrong passwords for the authority's account cannot lock its owner out: the
/// account only backs off, and a browser that passed the account's second factor before (the
/// known-device cookie, set by that login) signs in whatever the back-off.
#[tokio::test]
async fn the_owner_on_a_known_device_is_not_locked_out_by_someone_elses_failed_guesses() {
    use crate::common::ClockExt;
    let t = TestApp::new().await;
    let ca = t.org("Competent Authority", "competent_authority", "LV").await;
    let password = t.user("authority", &ca, &["decision_maker"]).await;
    let secret = t.enrol_totp("authority", &password).await;
    let login = async |device: Option<&str>, password: &str, code: &str| {
        let body = json!({"username": "authority", "password": password, "totp": code});
        let mut req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/auth/login")
            .header("host", "localhost")
            .header("content-type", "application/json");
        if let Some(d) = device {
            req = req.header("cookie", format!("haven_device={d}"));
        }
        t.send(req.body(Body::from(body.to_string())).unwrap()).await
    };
    // The owner signs in with her second factor: the browser is now a known device.
    let r = login(None, &password, &secret.code_at(t.clock.now_u64())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let cookies: Vec<&str> = r.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect();
    let device = cookies
        .iter()
        .find_map(|c| c.strip_prefix("haven_device="))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no known-device cookie: {cookies:?}"))
        .to_owned();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("haven_device=") && c.contains("HttpOnly") && c.contains("SameSite=Strict"))
    );

    // Someone else guesses at her password, many times.
    t.clock.advance(30);
    let mut refused = 0;
    for _ in 0..12 {
        let status = login(None, "wrong password!", "000000").await.status;
        assert!(matches!(status, StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS), "{status}");
        refused += usize::from(status == StatusCode::UNAUTHORIZED);
    }
    assert_eq!(refused, 5, "after five failures the guesser is held back");
    let code = secret.code_at(t.clock.now_u64());
    // A browser that never passed her second factor waits (the back-off), even with the right answers.
    assert_eq!(login(None, &password, &code).await.status, StatusCode::TOO_MANY_REQUESTS);
    // A forged or foreign device token does not help.
    assert_eq!(login(Some("1.deadbeef"), &password, &code).await.status, StatusCode::TOO_MANY_REQUESTS);
    // Her own browser signs in at once.
    let r = login(Some(&device), &password, &code).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The known device does not help a wrong password: it still fails, and is still audited.
    t.clock.advance(30);
    let r = login(Some(&device), "wrong password!", &secret.code_at(t.clock.now_u64())).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let log = t.app.store().audit_entries(0, 10_000).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.event.action.to_string() == "login_failed").count(), refused + 1);
}

/// A schema that says nothing: `{"type": "object"}` without properties and without a `$ref`
/// (also as the items of an array).
fn is_bare_object(schema: &serde_json::Value) -> bool {
    if schema.get("$ref").is_some() {
        return false;
    }
    if schema.get("type").and_then(|t| t.as_str()) == Some("array") {
        return schema.get("items").is_none_or(is_bare_object);
    }
    let object = match schema.get("type") {
        Some(serde_json::Value::String(t)) => t == "object",
        Some(serde_json::Value::Array(ts)) => ts.iter().any(|t| t == "object"),
        _ => false,
    };
    object
        && schema.get("properties").is_none()
        && schema.get("additionalProperties").is_none_or(|a| a.is_boolean() || is_bare_object(a))
        && ["allOf", "oneOf", "anyOf"].iter().all(|k| schema.get(k).is_none())
}

#[tokio::test]
async fn every_request_and_response_body_is_typed_in_the_openapi_document() {
    let t = TestApp::new().await;
    let doc = t.page("/api/v1/openapi.json", None).await.json();
    let mut untyped = Vec::new();
    let mut undeclared = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        let wanted: Vec<&str> =
            path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect();
        let shared = ops.get("parameters").and_then(|p| p.as_array()).cloned().unwrap_or_default();
        for (method, op) in ops.as_object().unwrap() {
            if method == "parameters" {
                continue;
            }
            let mut declared = shared.clone();
            declared.extend(op.get("parameters").and_then(|p| p.as_array()).cloned().unwrap_or_default());
            for name in &wanted {
                if !declared.iter().any(|p| p["name"] == *name && p["in"] == "path") {
                    undeclared.push(format!("{method} {path}: {{{name}}}"));
                }
            }
            if let Some(schema) = op.pointer("/requestBody/content/application~1json/schema")
                && is_bare_object(schema)
            {
                untyped.push(format!("{method} {path}: request body"));
            }
            for (status, response) in op.get("responses").and_then(|r| r.as_object()).into_iter().flatten() {
                if !status.starts_with('2') {
                    continue;
                }
                if let Some(schema) = response.pointer("/content/application~1json/schema")
                    && is_bare_object(schema)
                {
                    untyped.push(format!("{method} {path}: {status} response"));
                }
            }
        }
    }
    assert!(untyped.is_empty(), "bodies without a schema:\n{}", untyped.join("\n"));
    assert!(undeclared.is_empty(), "path parameters not declared:\n{}", undeclared.join("\n"));
}
