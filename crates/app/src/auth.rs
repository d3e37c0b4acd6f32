//! Logins, sessions, API tokens: who is asking.

use crate::{App, AppError, AppResult, new_id};
use haven_crypto::{FieldContext, TotpSecret, generate_token, hash_token, verify_password};
use haven_domain::access::Actor;
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_domain::org::Organisation;
use haven_domain::user::User;
use haven_domain::{Role, Username};
use haven_storage::{ApiTokenRow, OrganisationRow, SessionRow, StorageError, UserRow};

/// The acting user, authenticated: domain types only (no password hash, no second-factor
/// secret); a check that needs them reads them from storage where it is made.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    pub organisation: Organisation,
    /// Roles in force: an administrator without a second factor acts without the
    /// administrator role until TOTP is enrolled.
    pub actor: Actor,
    /// The hash of the session token, when authenticated by session cookie.
    pub session: Option<Vec<u8>>,
    pub address: Option<String>,
}

impl Principal {
    pub fn totp_enrolled(&self) -> bool {
        self.user.totp_enrolled
    }

    /// An administrator who must enrol TOTP before administering.
    pub fn needs_totp_enrolment(&self) -> bool {
        self.user.roles.contains(&Role::Administrator) && !self.totp_enrolled()
    }
}

pub struct LoginRequest<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub totp: Option<&'a str>,
    pub address: Option<&'a str>,
    /// The known-device token the browser kept from an earlier login that passed this
    /// account's second factor (see [`NewSession::device`]).
    pub device: Option<&'a str>,
}

/// A new session: the token goes to the client once (cookie), its hash to the database.
#[derive(Debug)]
pub struct NewSession {
    pub token: String,
    pub principal: Principal,
    /// After a login that passed the second factor: a token that marks this device as known to
    /// the account, so that someone else's failed guesses do not hold the owner back
    /// ([`crate::limiter`]). To keep in a long-lived cookie.
    pub device: Option<String>,
}

/// How long a device stays known after the login that passed its second factor.
pub const KNOWN_DEVICE_SECONDS: i64 = 180 * 86_400;

pub(crate) fn totp_context(user_id: &str) -> FieldContext<'_> {
    FieldContext { table: "users", column: "totp_secret", row: user_id }
}

/// A user as handed out: the row without its password hash and second-factor secret.
pub(crate) fn user_of(row: &UserRow) -> User {
    User {
        id: row.id.clone(),
        username: row.username.clone(),
        display_name: row.display_name.clone(),
        organisation_id: row.organisation_id.clone(),
        language: row.language,
        roles: row.roles.clone(),
        disabled: row.disabled,
        totp_enrolled: row.totp_secret.is_some(),
        created_at: row.created_at,
    }
}

pub(crate) fn organisation_of(row: OrganisationRow) -> Organisation {
    Organisation {
        id: row.id,
        name: row.name,
        kind: row.kind,
        jurisdiction: row.jurisdiction,
        created_at: row.created_at,
    }
}

/// An API token of the user's own account, as listed (never its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked: bool,
    /// When the token stops working (unix seconds).
    pub expires_at: i64,
}

impl App {
    pub(crate) async fn principal_for(
        &self,
        user: UserRow,
        session: Option<Vec<u8>>,
        address: Option<&str>,
    ) -> AppResult<Principal> {
        let organisation = organisation_of(self.store.organisation(&user.organisation_id).await?);
        let user = user_of(&user);
        let mut roles = user.roles.clone();
        if !user.totp_enrolled {
            roles.retain(|r| *r != Role::Administrator);
        }
        let actor = Actor {
            user_id: user.id.clone(),
            organisation_id: organisation.id.clone(),
            jurisdiction: organisation.jurisdiction,
            roles,
        };
        Ok(Principal { user, organisation, actor, session, address: address.map(str::to_owned) })
    }

    async fn check_password(&self, password: &str, hash: &str) -> AppResult<bool> {
        let password = password.to_owned();
        let hash = hash.to_owned();
        let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .map_err(|e| AppError::Internal(Box::new(e)))??;
        Ok(ok)
    }

    /// A known-device token: when it was issued and a keyed MAC of the account and that time.
    fn known_device_token(&self, account: &str, issued: i64) -> String {
        let mac = self.keys.blind_index("known_device", &format!("{account}:{issued}"));
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        format!("{issued}.{hex}")
    }

    /// Whether `token` was issued to `account` by this instance, less than
    /// [`KNOWN_DEVICE_SECONDS`] ago.
    fn is_known_device(&self, account: &str, token: &str, now: i64) -> bool {
        let Some((issued, _)) = token.split_once('.') else { return false };
        let Ok(issued) = issued.parse::<i64>() else { return false };
        if issued > now || now - issued > KNOWN_DEVICE_SECONDS {
            return false;
        }
        haven_crypto::constant_time_eq(self.known_device_token(account, issued).as_bytes(), token.as_bytes())
    }

    /// Checks username, password and (when enrolled) the one-time code; opens a session.
    /// Failures are rate-limited per account and per address, and audited.
    pub async fn login(&self, req: LoginRequest<'_>) -> AppResult<NewSession> {
        let now = self.now();
        let account = req.username.trim().to_ascii_lowercase();
        let known_device = req.device.is_some_and(|d| self.is_known_device(&account, d, now));
        if let Some(retry_after) = self.limiter.check(&account, req.address, known_device, now) {
            let event = AuditEvent::new(now, AuditAction::LoginRateLimited, AuditOutcome::Denied)
                .from_address(req.address)
                .detail("rate_limited");
            self.store.append_audit(&event).await?;
            return Err(AppError::RateLimited { retry_after });
        }
        let user = match Username::parse("username", &account) {
            Ok(name) => match self.store.user_by_username(name.as_str()).await {
                Ok(u) => Some(u),
                Err(StorageError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
            Err(_) => None,
        };
        let hash = user.as_ref().map_or(self.dummy_hash.as_str(), |u| u.password_hash.as_str());
        let password_ok = self.check_password(req.password, hash).await.unwrap_or(false);
        let fail = |reason: &str, user: Option<&UserRow>| {
            let mut event = AuditEvent::new(now, AuditAction::LoginFailed, AuditOutcome::Failure)
                .from_address(req.address)
                .detail(reason.to_owned());
            if let Some(u) = user {
                event = event.by(&u.id, &u.organisation_id).on("user", &u.id, Some(&u.organisation_id));
            }
            event
        };
        let Some(user) = user.filter(|_| password_ok) else {
            self.limiter.record_failure(&account, req.address, now);
            self.store.append_audit(&fail("bad_credentials", None)).await?;
            return Err(AppError::BadCredentials);
        };
        if user.disabled {
            self.limiter.record_failure(&account, req.address, now);
            self.store.append_audit(&fail("disabled", Some(&user))).await?;
            return Err(AppError::BadCredentials);
        }
        if let Some(secret) = &user.totp_secret {
            let Some(code) = req.totp.map(str::trim).filter(|c| !c.is_empty()) else {
                return Err(AppError::TotpRequired);
            };
            let secret = self.keys.decrypt_str(&totp_context(&user.id), secret)?;
            let secret = TotpSecret::from_base32(&secret)?;
            let step = u64::try_from(now).ok().and_then(|t| secret.verify(code, t));
            let fresh = match step {
                Some(step) => self.store.use_totp_step(&user.id, i64::try_from(step).unwrap_or(i64::MAX)).await?,
                None => false,
            };
            if !fresh {
                self.limiter.record_failure(&account, req.address, now);
                self.store.append_audit(&fail("bad_totp", Some(&user))).await?;
                return Err(AppError::BadCredentials);
            }
        }
        self.limiter.record_success(&account);
        let device = user.totp_secret.is_some().then(|| self.known_device_token(&account, now));
        let (token, token_hash) = generate_token("hvs_");
        let session = SessionRow {
            token_hash: token_hash.to_vec(),
            user_id: user.id.clone(),
            created_at: now,
            last_seen_at: now,
            revoked: false,
        };
        let event = AuditEvent::new(now, AuditAction::LoginSucceeded, AuditOutcome::Success)
            .by(&user.id, &user.organisation_id)
            .on("user", &user.id, Some(&user.organisation_id))
            .from_address(req.address);
        self.store.create_session(&session, &event).await?;
        let principal = self.principal_for(user, Some(token_hash.to_vec()), req.address).await?;
        Ok(NewSession { token, principal, device })
    }

    /// The principal behind a session cookie; refuses revoked, idle and too old sessions and
    /// disabled users.
    pub async fn authenticate_session(&self, token: &str, address: Option<&str>) -> AppResult<Principal> {
        let now = self.now();
        let hash = hash_token(token);
        let session = match self.store.session(&hash).await {
            Ok(s) => s,
            Err(StorageError::NotFound) => return Err(AppError::Unauthenticated),
            Err(e) => return Err(e.into()),
        };
        if session.revoked
            || now - session.last_seen_at > self.settings.session_idle_seconds
            || now - session.created_at > self.settings.session_absolute_seconds
        {
            return Err(AppError::Unauthenticated);
        }
        let user = self.store.user(&session.user_id).await?;
        if user.disabled {
            return Err(AppError::Unauthenticated);
        }
        if now - session.last_seen_at >= 30 {
            self.store.touch_session(&hash, now).await?;
        }
        self.principal_for(user, Some(hash.to_vec()), address).await
    }

    /// The principal behind an API token (`Authorization: Bearer`).
    pub async fn authenticate_token(&self, token: &str, address: Option<&str>) -> AppResult<Principal> {
        let hash = hash_token(token);
        let row = match self.store.api_token_by_hash(&hash).await {
            Ok(r) => r,
            Err(StorageError::NotFound) => return Err(AppError::Unauthenticated),
            Err(e) => return Err(e.into()),
        };
        let now = self.now();
        if row.revoked || now >= self.token_row_expiry(&row) {
            return Err(AppError::Unauthenticated);
        }
        let user = self.store.user(&row.user_id).await?;
        if user.disabled {
            return Err(AppError::Unauthenticated);
        }
        self.store.touch_api_token(&row.id, now).await?;
        self.principal_for(user, None, address).await
    }

    pub async fn logout(&self, principal: &Principal) -> AppResult<()> {
        if let Some(hash) = &principal.session {
            let event = self.event(principal, AuditAction::Logout).on(
                "user",
                &principal.user.id,
                Some(&principal.user.organisation_id),
            );
            self.store.revoke_session(hash, &event).await?;
        }
        Ok(())
    }

    /// When an API token stops working: its stored expiry, or (a row restored from a backup of
    /// the schema before expiry) its creation plus the configured lifetime.
    fn token_row_expiry(&self, row: &ApiTokenRow) -> i64 {
        row.expires_at.unwrap_or_else(|| row.created_at.saturating_add(self.settings.api_token_seconds))
    }

    /// When a listed API token stops working.
    pub fn api_token_expiry(&self, token: &ApiToken) -> i64 {
        token.expires_at
    }

    /// A new API token for the principal's own account, valid for the configured lifetime; the
    /// token is shown once.
    pub async fn create_api_token(&self, principal: &Principal, name: &str) -> AppResult<(String, String)> {
        let name = haven_domain::text::parse_line("name", name, 100)?;
        let (token, hash) = generate_token("hvn_");
        let id = new_id();
        let now = self.now();
        let row = ApiTokenRow {
            id: id.clone(),
            user_id: principal.user.id.clone(),
            name,
            token_hash: hash.to_vec(),
            created_at: now,
            last_used_at: None,
            revoked: false,
            expires_at: Some(now.saturating_add(self.settings.api_token_seconds)),
        };
        let event = self.event(principal, AuditAction::ApiTokenCreated).on(
            "api_token",
            &id,
            Some(&principal.user.organisation_id),
        );
        self.store.create_api_token(&row, &event).await?;
        Ok((id, token))
    }

    pub async fn revoke_api_token(&self, principal: &Principal, id: &str) -> AppResult<()> {
        let event = self.event(principal, AuditAction::ApiTokenRevoked).on(
            "api_token",
            id,
            Some(&principal.user.organisation_id),
        );
        self.store.revoke_api_token(id, &principal.user.id, &event).await?;
        Ok(())
    }

    pub async fn api_tokens(&self, principal: &Principal) -> AppResult<Vec<ApiToken>> {
        let rows = self.store.api_tokens_of(&principal.user.id).await?;
        Ok(rows
            .into_iter()
            .map(|r| ApiToken {
                expires_at: self.token_row_expiry(&r),
                id: r.id,
                name: r.name,
                created_at: r.created_at,
                last_used_at: r.last_used_at,
                revoked: r.revoked,
            })
            .collect())
    }
}
