//! A Haven application in process, on a fresh SQLite database, with a clock the test sets.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use haven_app::admin::{Acting, NewUser};
use haven_app::{App, AppSettings, FixedClock};
use haven_crypto::{MasterKey, TotpSecret};
use haven_storage::Store;
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

pub const START: i64 = 1_790_000_000; // 2026-09-21

pub struct TestApp {
    pub router: Router,
    pub app: App,
    pub clock: Arc<FixedClock>,
    pub dir: tempfile::TempDir,
}

/// A logged-in browser or client: the session cookie and its CSRF token.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// The two-decision test profile that replaces Latvia in the web tests.
pub const TWO_STAGE_LV: &str = include_str!("two_stage_lv.toml");

impl TestApp {
    pub async fn new() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_sqlite(dir.path()).await.unwrap();
        let clock = Arc::new(FixedClock::new(START));
        let app = App::open(store, &MasterKey::generate(), clock.clone(), AppSettings::default()).await.unwrap();
        // Latvia on a two-decision test procedure, so that both decisions and their clocks are
        // exercised; the embedded Latvian procedure has its own tests.
        let reference = haven_app::ident::Reference::with_extras(vec![], &[TWO_STAGE_LV.to_owned()]).unwrap();
        let app = app.with_reference(reference);
        let router = haven_web::router(app.clone(), haven_web::WebConfig::default()).unwrap();
        TestApp { router, app, clock, dir }
    }

    /// The embedded country profiles (Latvia on its own procedure) instead of the test profile.
    pub fn with_embedded_profiles(mut self) -> TestApp {
        let app = self.app.clone().with_reference(haven_app::ident::Reference::defaults().unwrap());
        self.router = haven_web::router(app.clone(), haven_web::WebConfig::default()).unwrap();
        self.app = app;
        self
    }

    pub async fn org(&self, name: &str, kind: &str, jurisdiction: &str) -> String {
        self.app.create_organisation(Acting::Operator, name, kind, jurisdiction).await.unwrap().id
    }

    /// Creates a user and returns its password.
    pub async fn user(&self, username: &str, organisation_id: &str, roles: &[&str]) -> String {
        let new = NewUser {
            username: username.into(),
            display_name: format!("User {username}"),
            organisation_id: organisation_id.into(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            password: Some("correct horse battery staple".into()),
            language: None,
        };
        self.app.create_user(Acting::Operator, &new).await.unwrap().1
    }

    /// Enrols TOTP for a user (through the application) and returns the secret.
    pub async fn enrol_totp(&self, username: &str, password: &str) -> TotpSecret {
        let session = self
            .app
            .login(haven_app::LoginRequest { username, password, totp: None, address: None, device: None })
            .await
            .unwrap();
        let enrolment = self.app.begin_totp_enrolment(&session.principal);
        let secret = TotpSecret::from_base32(&enrolment.secret).unwrap();
        let code = secret.code_at(self.clock.now_u64());
        let proof = haven_app::accounts::TotpProof { password, current_code: None };
        self.app.confirm_totp_enrolment(&session.principal, &proof, &enrolment.secret, &code).await.unwrap();
        self.clock.advance(30);
        secret
    }

    pub async fn login(&self, username: &str, password: &str) -> Session {
        self.login_with(username, password, None).await
    }

    pub async fn login_with(&self, username: &str, password: &str, totp: Option<&str>) -> Session {
        let mut body = serde_json::json!({ "username": username, "password": password });
        if let Some(code) = totp {
            body["totp"] = code.into();
        }
        let reply = self.call(Method::POST, "/api/v1/auth/login", None, Some(body)).await;
        assert_eq!(reply.status, StatusCode::OK, "login of {username} failed: {}", reply.body);
        let set_cookie = reply.headers.get("set-cookie").unwrap().to_str().unwrap();
        let cookie = set_cookie.split(';').next().unwrap().to_owned();
        Session { cookie, csrf: reply.json()["csrf_token"].as_str().unwrap().to_owned() }
    }

    /// An administrator with TOTP enrolled, logged in.
    pub async fn admin(&self, username: &str, organisation_id: &str) -> Session {
        let password = self.user(username, organisation_id, &["administrator"]).await;
        let secret = self.enrol_totp(username, &password).await;
        let code = secret.code_at(self.clock.now_u64());
        self.login_with(username, &password, Some(&code)).await
    }

    /// A JSON request (with the CSRF header when a session is given).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        session: Option<&Session>,
        body: Option<serde_json::Value>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(path).header("host", "localhost");
        if let Some(s) = session {
            req = req.header("cookie", &s.cookie).header("x-csrf-token", &s.csrf);
        }
        let req = match body {
            Some(b) => req.header("content-type", "application/json").body(Body::from(b.to_string())).unwrap(),
            None => req.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    /// A form post as a browser sends it (the CSRF token as a form field).
    pub async fn form(&self, path: &str, session: Option<&Session>, fields: &[(&str, &str)]) -> Reply {
        let mut pairs: Vec<(String, String)> = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut req = Request::builder().method(Method::POST).uri(path).header("host", "localhost");
        if let Some(s) = session {
            req = req.header("cookie", &s.cookie);
            pairs.push(("csrf".into(), s.csrf.clone()));
        }
        let body = serde_urlencoded::to_string(&pairs).unwrap();
        let req = req.header("content-type", "application/x-www-form-urlencoded").body(Body::from(body)).unwrap();
        self.send(req).await
    }

    /// A page as a browser gets it.
    pub async fn page(&self, path: &str, session: Option<&Session>) -> Reply {
        let mut req = Request::builder().method(Method::GET).uri(path).header("host", "localhost");
        if let Some(s) = session {
            req = req.header("cookie", &s.cookie);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }
}

pub trait ClockExt {
    fn now_u64(&self) -> u64;
}

impl ClockExt for FixedClock {
    fn now_u64(&self) -> u64 {
        u64::try_from(haven_app::Clock::now(self)).unwrap()
    }
}
