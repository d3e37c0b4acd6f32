//! Separation of duties: role grants waiting for a second administrator, and one-time set-up
//! codes with which a user chooses a password nobody else has seen.

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;
use haven_domain::{Coded, Role};

/// A grant of roles (the whole set to apply) and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RoleGrantRow {
    pub id: String,
    pub user_id: String,
    /// Comma-separated role codes.
    pub roles: String,
    pub requested_by: String,
    pub requested_at: i64,
    /// `pending`, `approved` or `rejected`.
    pub state: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
}

impl RoleGrantRow {
    /// The roles the grant would give, parsed.
    pub fn role_list(&self) -> Result<Vec<Role>> {
        Ok(Role::parse_list("roles", &self.roles)?)
    }
}

/// A set-up code as stored: its hash, who issued it, until when it works.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SetupCodeRow {
    pub user_id: String,
    pub code_hash: Vec<u8>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

const GRANT_COLUMNS: &str = "id, user_id, roles, requested_by, requested_at, state, decided_by, decided_at";

impl Store {
    /// Records a grant waiting for approval. A second grant for a user who already has one
    /// waiting is a conflict.
    pub async fn request_role_grant(&self, grant: &RoleGrantRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(
                "INSERT INTO role_grants (id, user_id, roles, requested_by, requested_at, state) \
                 VALUES ($1, $2, $3, $4, $5, 'pending')",
            )
            .bind(&grant.id)
            .bind(&grant.user_id)
            .bind(&grant.roles)
            .bind(&grant.requested_by)
            .bind(grant.requested_at)
            .execute(&mut *tx)
            .await
            .map_err(|e| match StorageError::from(e) {
                StorageError::Conflict(_) => {
                    StorageError::Conflict("a grant of roles already waits for this user".into())
                }
                other => other,
            })?;
        });
        Ok(())
    }

    /// Grants waiting for approval, oldest first.
    pub async fn pending_role_grants(&self) -> Result<Vec<RoleGrantRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {GRANT_COLUMNS} FROM role_grants WHERE state = 'pending' ORDER BY requested_at, id"
        ));
        let rows = on_pool!(self, |pool| sqlx::query_as::<_, RoleGrantRow>(sql).fetch_all(pool).await?);
        Ok(rows)
    }

    pub async fn role_grant(&self, id: &str) -> Result<RoleGrantRow> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {GRANT_COLUMNS} FROM role_grants WHERE id = $1"));
        let row = on_pool!(self, |pool| sqlx::query_as::<_, RoleGrantRow>(sql).bind(id).fetch_one(pool).await?);
        Ok(row)
    }

    /// Approves (applying the grant's roles) or rejects a waiting grant, in one transaction with
    /// its audit entry. A grant already decided is a conflict.
    pub async fn decide_role_grant(
        &self,
        id: &str,
        approve: bool,
        decided_by: &str,
        at: i64,
        audit: &AuditEvent,
    ) -> Result<()> {
        let grant = self.role_grant(id).await?;
        let roles = grant.role_list()?;
        audited_tx!(self, audit, |tx| {
            let n = sqlx::query(
                "UPDATE role_grants SET state = $1, decided_by = $2, decided_at = $3 WHERE id = $4 AND state = 'pending'",
            )
            .bind(if approve { "approved" } else { "rejected" })
            .bind(decided_by)
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StorageError::Conflict("this grant has already been decided".into()));
            }
            if approve {
                // A change of roles ends the user's sessions and API tokens.
                sqlx::query("UPDATE sessions SET revoked = $1 WHERE user_id = $2")
                    .bind(true)
                    .bind(&grant.user_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE api_tokens SET revoked = $1 WHERE user_id = $2")
                    .bind(true)
                    .bind(&grant.user_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(&grant.user_id).execute(&mut *tx).await?;
                for role in &roles {
                    sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                        .bind(&grant.user_id)
                        .bind(role.code())
                        .execute(&mut *tx)
                        .await?;
                }
            }
        });
        Ok(())
    }

    /// Stores a user's set-up code (replacing an earlier one). With `password_hash`, also sets
    /// that (unusable) password and revokes the user's sessions: a reset.
    pub async fn put_setup_code(
        &self,
        code: &SetupCodeRow,
        password_hash: Option<&str>,
        audit: &AuditEvent,
    ) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            if let Some(hash) = password_hash {
                let n = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                    .bind(hash)
                    .bind(&code.user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err(StorageError::NotFound);
                }
                sqlx::query("UPDATE sessions SET revoked = $1 WHERE user_id = $2")
                    .bind(true)
                    .bind(&code.user_id)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM setup_codes WHERE user_id = $1").bind(&code.user_id).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO setup_codes (user_id, code_hash, created_by, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&code.user_id)
            .bind(&code.code_hash)
            .bind(&code.created_by)
            .bind(code.created_at)
            .bind(code.expires_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// Uses a set-up code once: when `code_hash` is the user's live code (not expired at `now`),
    /// the code is deleted, the password set and the sessions revoked, with the audit entry, in
    /// one transaction. Otherwise [`StorageError::NotFound`] and nothing changes.
    pub async fn use_setup_code(
        &self,
        user_id: &str,
        code_hash: &[u8],
        now: i64,
        password_hash: &str,
        audit: &AuditEvent,
    ) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            let n = sqlx::query("DELETE FROM setup_codes WHERE user_id = $1 AND code_hash = $2 AND expires_at > $3")
                .bind(user_id)
                .bind(code_hash)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StorageError::NotFound);
            }
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE sessions SET revoked = $1 WHERE user_id = $2")
                .bind(true)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// A user's set-up code, if one was issued (expired or not).
    pub async fn setup_code_of(&self, user_id: &str) -> Result<Option<SetupCodeRow>> {
        let row = on_pool!(self, |pool| sqlx::query_as::<_, SetupCodeRow>(
            "SELECT user_id, code_hash, created_by, created_at, expires_at FROM setup_codes WHERE user_id = $1"
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await?);
        Ok(row)
    }
}
