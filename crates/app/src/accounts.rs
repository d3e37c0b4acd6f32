//! A user's own account: second factor, password, language.

use crate::auth::totp_context;
use crate::{App, AppError, AppResult, Principal};
use haven_crypto::{TotpSecret, hash_password, verify_password};
use haven_domain::Language;
use haven_domain::audit::AuditAction;

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

    /// Stores the secret once the user proves their app produces its codes.
    pub async fn confirm_totp_enrolment(&self, principal: &Principal, secret: &str, code: &str) -> AppResult<()> {
        let parsed =
            TotpSecret::from_base32(secret).map_err(|_| AppError::invalid("secret", "is not a valid secret"))?;
        let now = u64::try_from(self.now()).unwrap_or(0);
        let Some(step) = parsed.verify(code.trim(), now) else {
            return Err(AppError::invalid("code", "does not match; check the time on the device"));
        };
        let encrypted = self.keys.encrypt_str(&totp_context(&principal.user.id), &parsed.to_base32());
        let event = self.event(principal, AuditAction::TotpEnrolled).on(
            "user",
            &principal.user.id,
            Some(&principal.user.organisation_id),
        );
        self.store.set_totp(&principal.user.id, &encrypted, i64::try_from(step).unwrap_or(i64::MAX), &event).await?;
        Ok(())
    }

    pub async fn change_own_password(&self, principal: &Principal, current: &str, new_password: &str) -> AppResult<()> {
        let new_password = haven_domain::user::parse_new_password("new_password", new_password)?;
        let (cur, stored) = (current.to_owned(), principal.user.password_hash.clone());
        let ok = tokio::task::spawn_blocking(move || verify_password(&cur, &stored))
            .await
            .map_err(|e| AppError::Internal(Box::new(e)))??;
        if !ok {
            return Err(AppError::invalid("current_password", "is not your current password"));
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
