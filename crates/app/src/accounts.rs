//! A user's own account: second factor, password, language.

use crate::auth::totp_context;
use crate::{App, AppError, AppResult, Principal};
use haven_crypto::{TotpSecret, hash_password, verify_password};
use haven_domain::audit::AuditAction;
use haven_domain::{Language, MessageId};

/// What proves that the signed-in user is the account's owner before its second factor is set
/// up, changed or removed.
#[derive(Debug, Clone, Copy)]
pub struct TotpProof<'a> {
    /// The current password.
    pub password: &'a str,
    /// A current code of the factor in force (needed when one is enrolled).
    pub current_code: Option<&'a str>,
}

/// What the user needs to add Haven to an authenticator app.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TotpEnrolment {
    pub secret: String,
    pub uri: String,
}

impl App {
    /// A fresh secret to show the user; nothing is stored until a code confirms it.
    pub fn begin_totp_enrolment(&self, principal: &Principal) -> TotpEnrolment {
        let secret = TotpSecret::generate();
        TotpEnrolment { uri: secret.provisioning_uri("Haven", &principal.user.username), secret: secret.to_base32() }
    }

    /// Stores the secret once the user proves their app produces its codes (`code`) and that
    /// they are the account's owner: the current password always, and a current code of the
    /// factor in force when one is enrolled. Replacing an enrolled factor revokes every session
    /// and API token of the user (this one included: log in again with the new factor); a first
    /// enrolment keeps them.
    pub async fn confirm_totp_enrolment(
        &self,
        principal: &Principal,
        proof: &TotpProof<'_>,
        secret: &str,
        code: &str,
    ) -> AppResult<()> {
        let parsed = TotpSecret::from_base32(secret)
            .map_err(|_| AppError::said("secret", "is not a valid secret", MessageId::NotAValidSecret))?;
        let now = u64::try_from(self.now()).unwrap_or(0);
        let Some(step) = parsed.verify(code.trim(), now) else {
            return Err(AppError::said(
                "code",
                "does not match; check the time on the device",
                MessageId::TotpCodeDoesNotMatch,
            ));
        };
        let step = i64::try_from(step).unwrap_or(i64::MAX);
        let replacing = self.prove_owner(principal, proof).await?;
        let encrypted = self.keys.encrypt_str(&totp_context(&principal.user.id), &parsed.to_base32());
        let action = if replacing { AuditAction::TotpChanged } else { AuditAction::TotpEnrolled };
        let event = self.event(principal, action).on("user", &principal.user.id, Some(&principal.user.organisation_id));
        if replacing {
            self.store.change_totp(&principal.user.id, Some((&encrypted, step)), &event).await?;
        } else {
            self.store.set_totp(&principal.user.id, &encrypted, step, &event).await?;
        }
        Ok(())
    }

    /// Removes the second factor, given the current password and a current code; revokes every
    /// session and API token of the user. An administrator acts without the administrator role
    /// until a factor is enrolled again.
    pub async fn remove_totp(&self, principal: &Principal, proof: &TotpProof<'_>) -> AppResult<()> {
        if !self.prove_owner(principal, proof).await? {
            return Err(AppError::said("current_code", "no second factor is set up", MessageId::NoSecondFactor));
        }
        let event = self.event(principal, AuditAction::TotpRemoved).on(
            "user",
            &principal.user.id,
            Some(&principal.user.organisation_id),
        );
        self.store.change_totp(&principal.user.id, None, &event).await?;
        Ok(())
    }

    /// Checks the password and, when a factor is enrolled, a fresh code of it (a used code is
    /// refused). Returns whether a factor is enrolled.
    async fn prove_owner(&self, principal: &Principal, proof: &TotpProof<'_>) -> AppResult<bool> {
        self.reauth_allowed(principal).await?;
        let stored = self.store.user(&principal.user.id).await?.password_hash;
        let password = proof.password.to_owned();
        let ok = tokio::task::spawn_blocking(move || verify_password(&password, &stored))
            .await
            .map_err(|e| AppError::Internal(Box::new(e)))??;
        if !ok {
            self.reauth_failed(principal, "wrong_password").await?;
            return Err(AppError::said("password", "is not your current password", MessageId::NotCurrentPassword));
        }
        let user = self.store.user(&principal.user.id).await?;
        let Some(secret) = &user.totp_secret else {
            return Ok(false);
        };
        let wrong = || {
            AppError::said(
                "current_code",
                "is not a current code of your authenticator app",
                MessageId::NotCurrentTotpCode,
            )
        };
        let code = proof.current_code.map(str::trim).filter(|c| !c.is_empty()).ok_or_else(wrong)?;
        let secret = self.keys.decrypt_str(&totp_context(&user.id), secret)?;
        let secret = TotpSecret::from_base32(&secret)?;
        let Some(step) = u64::try_from(self.now()).ok().and_then(|t| secret.verify(code, t)) else {
            self.reauth_failed(principal, "wrong_code").await?;
            return Err(wrong());
        };
        if !self.store.use_totp_step(&user.id, i64::try_from(step).unwrap_or(i64::MAX)).await? {
            self.reauth_failed(principal, "used_code").await?;
            return Err(wrong());
        }
        Ok(true)
    }

    /// Someone holding a signed-in session must not guess the password (or the code) through the
    /// account page: its checks are throttled per user, and every failure is audited.
    async fn reauth_allowed(&self, principal: &Principal) -> AppResult<()> {
        let key = format!("reauth:{}", principal.user.id);
        match self.limiter.check(&key, principal.address.as_deref(), false, self.now()) {
            None => Ok(()),
            Some(retry_after) => Err(AppError::RateLimited { retry_after }),
        }
    }

    async fn reauth_failed(&self, principal: &Principal, reason: &str) -> AppResult<()> {
        let now = self.now();
        self.limiter.record_failure(&format!("reauth:{}", principal.user.id), principal.address.as_deref(), now);
        let event = self
            .event(principal, AuditAction::LoginFailed)
            .on("user", &principal.user.id, Some(&principal.user.organisation_id))
            .detail(format!("account_page_{reason}"));
        self.store.append_audit(&event).await?;
        Ok(())
    }

    /// Changes the user's own password given the current one. Every session and API token of
    /// the user is revoked, this session included: the user logs in again with the new password.
    pub async fn change_own_password(&self, principal: &Principal, current: &str, new_password: &str) -> AppResult<()> {
        let new_password = haven_domain::user::parse_new_password("new_password", new_password)?;
        self.reauth_allowed(principal).await?;
        let stored = self.store.user(&principal.user.id).await?.password_hash;
        let cur = current.to_owned();
        let ok = tokio::task::spawn_blocking(move || verify_password(&cur, &stored))
            .await
            .map_err(|e| AppError::Internal(Box::new(e)))??;
        if !ok {
            self.reauth_failed(principal, "wrong_password").await?;
            return Err(AppError::said(
                "current_password",
                "is not your current password",
                MessageId::NotCurrentPassword,
            ));
        }
        let hash = tokio::task::spawn_blocking(move || hash_password(&new_password))
            .await
            .map_err(|e| AppError::Internal(Box::new(e)))??;
        let event = self.event(principal, AuditAction::PasswordChanged).on(
            "user",
            &principal.user.id,
            Some(&principal.user.organisation_id),
        );
        self.store.set_password_hash(&principal.user.id, &hash, &event).await?;
        Ok(())
    }

    pub async fn set_language(&self, principal: &Principal, language: Language) -> AppResult<()> {
        self.store.set_user_language(&principal.user.id, language).await?;
        Ok(())
    }
}
