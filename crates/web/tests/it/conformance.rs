//! OpenAPI conformance: what schemathesis (bench/reliability/schemathesis.sh) found, each kept
//! as a test. Bad input is a 4xx with the JSON error body naming the field, never a 500 or plain
//! text; every status and body the server gives is the one the document declares.

use crate::common::{Reply, Session, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{Value, json};

fn assert_json_error(reply: &Reply, status: StatusCode, field: Option<&str>) {
    assert_eq!(reply.status, status, "{}", reply.body);
    let content_type = reply.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(content_type.starts_with("application/json"), "content type {content_type}: {}", reply.body);
    let body = reply.json();
    assert!(body["error"]["code"].is_string(), "{}", reply.body);
    assert_eq!(body["error"]["field"].as_str(), field, "{}", reply.body);
}

async fn responder(t: &TestApp) -> Session {
    let ngo = t.org("NGO", "ngo", "LV").await;
    let password = t.user("anna", &ngo, &["first_responder", "caseworker"]).await;
    t.login("anna", &password).await
}

fn raw(method: Method, uri: &str, s: &Session, content_type: &str, body: Vec<u8>) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header("host", "localhost")
        .header("cookie", &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap()
}

async fn openapi(t: &TestApp) -> Value {
    let reply = t.call(Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.json()
}

#[tokio::test]
async fn a_path_parameter_of_the_wrong_type_is_a_json_400_naming_it() {
    let t = TestApp::new().await;
    let s = responder(&t).await;
    let reply = t
        .send(raw(Method::POST, "/api/v1/cases/x/assessments/abc/review", &s, "application/json", b"{}".to_vec()))
        .await;
    assert_json_error(&reply, StatusCode::BAD_REQUEST, Some("seq"));
    // A path parameter that is not UTF-8 once percent-decoded.
    let reply = t.call(Method::GET, "/api/v1/cases/%FF", Some(&s), None).await;
    assert_json_error(&reply, StatusCode::BAD_REQUEST, Some("id"));
    let reply = t.call(Method::GET, "/api/v1/registrations/%FF/htcds", Some(&s), None).await;
    assert_json_error(&reply, StatusCode::BAD_REQUEST, Some("id"));
}

#[tokio::test]
async fn an_import_file_that_is_not_utf8_is_a_json_400() {
    let t = TestApp::new().await;
    let s = responder(&t).await;
    let reply = t.send(raw(Method::POST, "/api/v1/registrations/import", &s, "text/plain", vec![0xff, 0xfe])).await;
    assert_json_error(&reply, StatusCode::BAD_REQUEST, None);
    assert!(reply.body.contains("UTF-8"), "{}", reply.body);
}

#[tokio::test]
async fn a_body_over_the_limit_is_the_json_413_whether_announced_or_streamed() {
    let t = TestApp::new().await;
    let s = responder(&t).await;
    let limit = haven_web::WebConfig::default().max_body_bytes;
    let big = format!("{{\"name\": \"{}\"}}", "a".repeat(limit));
    // Announced by Content-Length: refused by the body limit layer before any handler.
    let mut req = raw(Method::POST, "/api/v1/tokens", &s, "application/json", big.clone().into_bytes());
    req.headers_mut().insert("content-length", big.len().to_string().parse().unwrap());
    assert_json_error(&t.send(req).await, StatusCode::PAYLOAD_TOO_LARGE, None);
    // Without a length (as a chunked upload arrives): refused when read.
    let req = raw(Method::POST, "/api/v1/tokens", &s, "application/json", big.into_bytes());
    assert!(req.headers().get("content-length").is_none());
    assert_json_error(&t.send(req).await, StatusCode::PAYLOAD_TOO_LARGE, None);
}

#[tokio::test]
async fn a_registration_version_never_given_out_is_422_naming_version_not_a_server_error() {
    let t = TestApp::new().await;
    let s = responder(&t).await;
    let registration = json!({"person": {"given_names": "Olena", "family_names": "K", "sex": "female"}});
    let created = t.call(Method::POST, "/api/v1/registrations", Some(&s), Some(registration.clone())).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    for version in [i64::MAX, 0, -1] {
        let body = json!({"version": version, "registration": registration});
        let reply = t.call(Method::PUT, &format!("/api/v1/registrations/{id}"), Some(&s), Some(body)).await;
        assert_json_error(&reply, StatusCode::UNPROCESSABLE_ENTITY, Some("version"));
        let reply = t
            .call(
                Method::POST,
                &format!("/api/v1/registrations/{id}/submit"),
                Some(&s),
                Some(json!({"version": version})),
            )
            .await;
        assert_json_error(&reply, StatusCode::UNPROCESSABLE_ENTITY, Some("version"));
    }
    // The edit page's form is refused the same way, never a server error.
    let reply = t
        .form(
            &format!("/cases/{id}/edit"),
            Some(&s),
            &[("version", &i64::MAX.to_string()), ("given_names", "Olena"), ("family_names", "K"), ("sex", "female")],
        )
        .await;
    assert!(reply.status.is_client_error(), "{} {}", reply.status, reply.body);
    // The version given out still works.
    let body = json!({"version": 1, "registration": registration});
    let reply = t.call(Method::PUT, &format!("/api/v1/registrations/{id}"), Some(&s), Some(body)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

/// The properties a schema allows (following `$ref` and `allOf`), and whether it is closed.
fn properties(doc: &Value, schema: &Value) -> (Vec<String>, Vec<String>, bool) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap();
        return properties(doc, &doc["components"]["schemas"][name]);
    }
    let mut names: Vec<String> =
        schema["properties"].as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    let mut required: Vec<String> = schema["required"]
        .as_array()
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default();
    let mut closed = schema["additionalProperties"] == json!(false);
    for part in schema["allOf"].as_array().into_iter().flatten() {
        let (n, r, c) = properties(doc, part);
        names.extend(n);
        required.extend(r);
        closed |= c;
    }
    (names, required, closed)
}

#[tokio::test]
async fn a_provider_as_listed_matches_its_schema_with_its_version() {
    let t = TestApp::new().await;
    let ngo = t.org("NGO", "ngo", "LV").await;
    let shelter = t.org("Shelter", "shelter", "LV").await;
    let password = t.user("dace", &ngo, &["supervisor"]).await;
    let supervisor = t.login("dace", &password).await;
    let provider = json!({
        "id": "shelter-riga", "organisation_id": shelter, "name": "Shelter Riga", "country": "LV",
        "services": [{"service": "safe_accommodation", "capacity": 1}],
        "languages": ["lv"], "regions": ["LV-RIX"], "accepts": ["women"], "trafficking_specialised": true,
        "contact_points": [], "opening_hours": {"always_open": true, "slots": []}
    });
    let created = t.call(Method::POST, "/api/v1/providers", Some(&supervisor), Some(provider)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let list = t.call(Method::GET, "/api/v1/providers", Some(&supervisor), None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let doc = openapi(&t).await;
    let schema = &doc["paths"]["/api/v1/providers"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    let (names, required, closed) = properties(&doc, &schema["items"]);
    // An `allOf` that includes a closed schema admits no object with the other part's fields.
    assert!(!closed || schema["items"]["allOf"].is_null(), "a closed schema extended: {}", schema);
    for item in list.json().as_array().unwrap() {
        let sent: Vec<&String> = item.as_object().unwrap().keys().collect();
        for key in &sent {
            assert!(names.contains(key), "`{key}` is sent but not in the schema {names:?}");
        }
        for key in &required {
            assert!(sent.contains(&key), "`{key}` is required but not sent");
        }
    }
    assert!(required.contains(&"version".to_owned()));
}

#[tokio::test]
async fn every_operation_declares_the_errors_of_the_shared_layers() {
    let t = TestApp::new().await;
    let doc = openapi(&t).await;
    let open = ["/api/v1/auth/login", "/api/v1/auth/setup"];
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(responses) = op["responses"].as_object() else { continue };
            operations += 1;
            let declares = |status: &str| responses.contains_key(status);
            let at = format!("{} {path}", method.to_uppercase());
            let has_parameters = op["parameters"].as_array().is_some_and(|p| !p.is_empty());
            let json_body = op["requestBody"]["content"]["application/json"].is_object();
            if has_parameters || op["requestBody"].is_object() {
                assert!(declares("400"), "{at}: 400");
            }
            if json_body {
                assert!(declares("413") && declares("415"), "{at}: 413 and 415");
            }
            if !open.contains(&path.as_str()) {
                assert!(declares("401"), "{at}: 401");
            }
            if method != "get" {
                assert!(declares("403"), "{at}: 403 (CSRF)");
            }
            for (status, response) in responses {
                if status.starts_with('4') {
                    let schema = &response["content"]["application/json"]["schema"]["$ref"];
                    assert_eq!(schema, "#/components/schemas/ErrorBody", "{at}: {status} is the error body");
                }
            }
        }
    }
    assert!(operations > 60, "{operations} operations");
    // Choosing a password with a set-up code is rate-limited like a login.
    assert!(doc["paths"]["/api/v1/auth/setup"]["post"]["responses"]["429"].is_object());
}

#[tokio::test]
async fn query_parameters_are_declared_in_the_query_and_path_parameters_in_the_path() {
    let t = TestApp::new().await;
    let doc = openapi(&t).await;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                let in_path = path.contains(&format!("{{{name}}}"));
                let declared = p["in"].as_str().unwrap();
                assert_eq!(declared, if in_path { "path" } else { "query" }, "{method} {path}: {name}");
            }
        }
    }
    // An optional query parameter is optional; a required one is required.
    let params = doc["paths"]["/api/v1/cases"]["get"]["parameters"].as_array().unwrap();
    assert!(params.iter().all(|p| p["required"] != json!(true)), "{params:?}");
    let params = doc["paths"]["/api/v1/hub/status"]["get"]["parameters"].as_array().unwrap();
    assert!(params.iter().any(|p| p["name"] == "year" && p["required"] == json!(true)), "{params:?}");
}

#[tokio::test]
async fn a_query_value_out_of_its_list_is_a_422_the_operation_declares() {
    let t = TestApp::new().await;
    let s = responder(&t).await;
    let doc = openapi(&t).await;
    let registration = json!({"person": {"given_names": "Olena", "family_names": "K", "sex": "female"}});
    let created = t.call(Method::POST, "/api/v1/registrations", Some(&s), Some(registration)).await;
    let id = created.json()["id"].as_str().unwrap().to_owned();
    for (uri, path, field) in [
        (format!("/api/v1/cases/{id}/notes?compartment="), "/api/v1/cases/{id}/notes", "compartment"),
        (format!("/api/v1/registrations/{id}/htcds?format=xml"), "/api/v1/registrations/{id}/htcds", "format"),
    ] {
        let reply = t.call(Method::GET, &uri, Some(&s), None).await;
        assert_json_error(&reply, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
        assert!(doc["paths"][path]["get"]["responses"]["422"].is_object(), "{path} declares 422");
    }
}

#[tokio::test]
async fn a_reference_year_outside_2000_to_2100_is_a_422_the_hub_declares() {
    let t = TestApp::new().await;
    let eu = t.org("EU Statistics Office", "statistics_office", "EU").await;
    let password = t.user("marie", &eu, &["statistician"]).await;
    let s = t.login("marie", &password).await;
    let doc = openapi(&t).await;
    for path in ["/api/v1/hub/status", "/api/v1/hub/eu", "/api/v1/hub/eu/sdmx"] {
        let reply = t.call(Method::GET, &format!("{path}?year=1999"), Some(&s), None).await;
        assert_json_error(&reply, StatusCode::UNPROCESSABLE_ENTITY, Some("year"));
        let op = &doc["paths"][path]["get"];
        assert!(op["responses"]["422"].is_object(), "{path} declares 422");
        let year = op["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "year").unwrap();
        assert_eq!((&year["schema"]["minimum"], &year["schema"]["maximum"]), (&json!(2000), &json!(2100)), "{path}");
    }
}

#[tokio::test]
async fn national_releases_asked_at_the_eu_level_are_a_422_the_release_reads_declare() {
    let t = TestApp::new().await;
    let eu = t.org("EU Statistics Office", "statistics_office", "EU").await;
    let password = t.user("marie", &eu, &["statistician"]).await;
    let s = t.login("marie", &password).await;
    let doc = openapi(&t).await;
    let reply = t.call(Method::GET, "/api/v1/statistics/releases", Some(&s), None).await;
    assert_json_error(&reply, StatusCode::UNPROCESSABLE_ENTITY, Some("jurisdiction"));
    let reply = t.call(Method::GET, "/api/v1/statistics/releases/x/sdmx", Some(&s), None).await;
    assert_json_error(&reply, StatusCode::UNPROCESSABLE_ENTITY, Some("jurisdiction"));
    for path in [
        "/api/v1/statistics/releases",
        "/api/v1/statistics/releases/{id}",
        "/api/v1/statistics/releases/{id}/sdmx",
        "/api/v1/statistics/releases/{id}/xlsx",
        "/api/v1/statistics/releases/{id}/tables/{table}/csv",
    ] {
        assert!(doc["paths"][path]["get"]["responses"]["422"].is_object(), "{path} declares 422");
    }
}
