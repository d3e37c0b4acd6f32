//! The queries. Each is written once and runs on both backends.

use crate::{
    ApiTokenRow, AuditHead, AuditRow, CaseRow, DataKeyRow, NoteRow, OrganisationRow, PersonRow, Result, SessionRow,
    StorageError, Store, UserRow, to_mac,
};
use haven_domain::access::{CaseShare, Compartment};
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_domain::{Coded, Role};
use sqlx::Row;

/// A column that holds encrypted fields: its table, the SQL expression of the row part of the
/// field context (as the application builds it), and the column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncryptedColumn {
    pub table: &'static str,
    pub row: &'static str,
    pub column: &'static str,
}

const fn enc(table: &'static str, row: &'static str, column: &'static str) -> EncryptedColumn {
    EncryptedColumn { table, row, column }
}

/// Every column that holds field ciphertext (key rotation re-encrypts them all). Blind indexes
/// (`persons.name_index`, `identifier_index.value`) are MACs, not ciphertext, and not listed.
pub const ENCRYPTED_COLUMNS: &[EncryptedColumn] = &[
    enc("users", "id", "totp_secret"),
    enc("persons", "case_id", "given_names"),
    enc("persons", "case_id", "family_names"),
    enc("persons", "case_id", "aliases"),
    enc("persons", "case_id", "date_of_birth"),
    enc("case_notes", "id", "body"),
    enc("registrations", "case_id", "record"),
    enc("decisions", "case_id || '/' || seq", "reasons"),
    enc("case_records", "id", "body"),
    enc("assessments", "case_id || '/' || seq", "record"),
    enc("assessments", "case_id || '/' || seq", "return_reason"),
    enc("plan_items", "id", "record"),
    enc("referrals", "id", "consent"),
    enc("referrals", "id", "shared"),
    enc("referrals", "id", "message"),
    enc("referral_events", "referral_id || '/' || seq", "note"),
    enc("support_records", "id", "body"),
    enc("investigations", "id", "record"),
    enc("suspects", "id", "name"),
    enc("proceedings_records", "id", "body"),
    enc("non_punishment_notices", "id", "reasons"),
    enc("protection_measures", "id", "reasons"),
    enc("victim_information", "id", "given_by"),
    enc("victim_information", "id", "note"),
    enc("representations", "id", "consent_note"),
    enc("representations", "id", "revocation_reason"),
    enc("assets", "id", "record"),
    enc("asset_measures", "id", "record"),
    enc("financial_investigations", "investigation_id", "reasons"),
    enc("financial_items", "id", "body"),
    enc("joint_teams", "id", "record"),
    enc("exchange_keys", "instance_id || '/' || key_id", "signing_secret"),
    enc("exchange_keys", "instance_id || '/' || key_id", "encryption_secret"),
    enc("exchange_outbox", "message_id", "body"),
    enc("exchange_inbox", "message_id", "body"),
    enc("person_linkage_secrets", "generation", "secret"),
    enc("person_encodings_received", "country || '/' || year", "encodings"),
    enc("transnational_referrals", "id", "draft"),
    enc("transnational_referrals", "id", "body"),
    enc("transnational_referral_events", "referral_row || '/' || seq", "detail"),
    enc("annual_reports", "id", "narrative"),
    enc("subject_requests", "id", "detail"),
    enc("case_restrictions", "case_id", "reason"),
    enc("rectifications", "id", "old_value"),
    enc("rectifications", "id", "reason"),
];

const USER_COLUMNS: &str = "id, username, display_name, organisation_id, password_hash, disabled, language, \
                            totp_secret, totp_last_step, created_at";

fn compartments_code(list: &[Compartment]) -> String {
    list.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")
}

pub(crate) fn parse_compartments(s: &str) -> Result<Vec<Compartment>> {
    s.split(',').filter(|p| !p.is_empty()).map(|p| Ok(Compartment::parse_code("compartments", p)?)).collect()
}

/// The `credentials_revoked` entry that follows `cause` (same time, actor, target and address),
/// naming the cause and how many live sessions and API tokens it ended.
fn revocation_event(cause: &AuditEvent, sessions: u64, tokens: u64) -> AuditEvent {
    let mut event = cause.clone();
    event.action = AuditAction::CredentialsRevoked;
    event.outcome = AuditOutcome::Success;
    event.detail = Some(format!("cause={},sessions={sessions},tokens={tokens}", cause.action));
    event
}

/// A write transaction that changes a user's credentials or powers, then revokes every live
/// session and API token of `$user_id` in the same transaction, and appends two audit entries:
/// `$cause` and the `credentials_revoked` entry with the counts. Evaluates to the body's value.
macro_rules! revoking_tx {
    ($store:expr, $cause:expr, $user_id:expr, |$tx:ident| $body:expr) => {{
        let cause: &AuditEvent = $cause;
        let user_id: &str = $user_id;
        match &$store.backend {
            $crate::Backend::Sqlite(pool) => {
                let _turn = $store.sqlite_write_turn().await;
                let mut $tx = $store.sqlite_writer(pool).begin_with("BEGIN IMMEDIATE").await?;
                let out = $body;
                let (sessions, tokens) = revoke_in!($tx, user_id);
                audit_in!(sqlite, $store, $tx, cause);
                audit_in!(sqlite, $store, $tx, &revocation_event(cause, sessions, tokens));
                $tx.commit().await?;
                out
            }
            $crate::Backend::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                let (sessions, tokens) = revoke_in!($tx, user_id);
                audit_in!(postgres, $store, $tx, cause);
                audit_in!(postgres, $store, $tx, &revocation_event(cause, sessions, tokens));
                $tx.commit().await?;
                out
            }
        }
    }};
}

/// Revokes the live sessions and API tokens of a user inside an open transaction; evaluates to
/// the numbers revoked.
macro_rules! revoke_in {
    ($tx:ident, $user_id:expr) => {{
        let sessions = sqlx::query("UPDATE sessions SET revoked = $1 WHERE user_id = $2 AND revoked = $3")
            .bind(true)
            .bind($user_id)
            .bind(false)
            .execute(&mut *$tx)
            .await?
            .rows_affected();
        let tokens = sqlx::query("UPDATE api_tokens SET revoked = $1 WHERE user_id = $2 AND revoked = $3")
            .bind(true)
            .bind($user_id)
            .bind(false)
            .execute(&mut *$tx)
            .await?
            .rows_affected();
        (sessions, tokens)
    }};
}

impl Store {
    // ---------------------------------------------------------------- keys

    pub async fn data_keys(&self) -> Result<Vec<DataKeyRow>> {
        let rows = on_pool!(self, |pool| sqlx::query_as::<_, DataKeyRow>(
            "SELECT id, purpose, wrapped, created_at FROM data_keys ORDER BY id"
        )
        .fetch_all(pool)
        .await?);
        Ok(rows)
    }

    /// Inserts new data keys; with `replace`, first removes all existing ones (key rotation
    /// rewraps every key in one transaction).
    pub async fn put_data_keys(&self, keys: &[DataKeyRow], replace: bool) -> Result<()> {
        in_tx!(self, |tx| {
            if replace {
                sqlx::query("DELETE FROM data_keys").execute(&mut *tx).await?;
            }
            for k in keys {
                sqlx::query("INSERT INTO data_keys (id, purpose, wrapped, created_at) VALUES ($1, $2, $3, $4)")
                    .bind(k.id)
                    .bind(&k.purpose)
                    .bind(&k.wrapped)
                    .bind(k.created_at)
                    .execute(&mut *tx)
                    .await?;
            }
        });
        Ok(())
    }

    /// Removes one data key (a retired key). Returns whether it existed.
    pub async fn delete_data_key(&self, id: i64) -> Result<bool> {
        let n = on_pool!(self, |pool| sqlx::query("DELETE FROM data_keys WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// One batch of an encrypted column (see [`ENCRYPTED_COLUMNS`]): the rows whose row context
    /// sorts after `after`, at most `limit`, in row-context order, with their ciphertext (rows
    /// where the column is NULL are skipped).
    pub async fn encrypted_batch(
        &self,
        column: &EncryptedColumn,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<(String, Vec<u8>)>> {
        let EncryptedColumn { table, row, column } = *column;
        let sql = format!(
            "SELECT {row} AS r, {column} AS c FROM {table} WHERE {column} IS NOT NULL AND {row} > $1 \
             ORDER BY {row} LIMIT $2"
        );
        // Table, row expression and column come from ENCRYPTED_COLUMNS, never from input.
        let rows = on_pool!(self, |pool| sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(after.unwrap_or(""))
            .bind(limit)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get::<String, _>("r")?, r.try_get::<Vec<u8>, _>("c")?)))
            .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?);
        Ok(rows)
    }

    /// Replaces one ciphertext of an encrypted column if it is still `old` (a concurrent write
    /// wins: the row is then left for the next pass). Returns whether it was replaced.
    pub async fn replace_encrypted(&self, column: &EncryptedColumn, row: &str, old: &[u8], new: &[u8]) -> Result<bool> {
        let EncryptedColumn { table, row: row_expr, column } = *column;
        let sql = format!("UPDATE {table} SET {column} = $1 WHERE {row_expr} = $2 AND {column} = $3");
        // Table, row expression and column come from ENCRYPTED_COLUMNS, never from input.
        let n = on_pool!(self, |pool| sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(new)
            .bind(row)
            .bind(old)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    // ---------------------------------------------------------------- organisations

    pub async fn create_organisation(&self, org: &OrganisationRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(
                "INSERT INTO organisations (id, name, kind, jurisdiction, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&org.id)
            .bind(&org.name)
            .bind(org.kind.code())
            .bind(org.jurisdiction.code())
            .bind(org.created_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    pub async fn organisations(&self) -> Result<Vec<OrganisationRow>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, OrganisationRow>(
                "SELECT id, name, kind, jurisdiction, created_at FROM organisations ORDER BY jurisdiction, name",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    pub async fn organisation(&self, id: &str) -> Result<OrganisationRow> {
        let row = on_pool!(self, |pool| sqlx::query_as::<_, OrganisationRow>(
            "SELECT id, name, kind, jurisdiction, created_at FROM organisations WHERE id = $1"
        )
        .bind(id)
        .fetch_one(pool)
        .await?);
        Ok(row)
    }

    // ---------------------------------------------------------------- users

    pub async fn create_user(&self, user: &UserRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(
                "INSERT INTO users (id, username, display_name, organisation_id, password_hash, disabled, language, \
                 totp_secret, totp_last_step, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&user.id)
            .bind(&user.username)
            .bind(&user.display_name)
            .bind(&user.organisation_id)
            .bind(&user.password_hash)
            .bind(user.disabled)
            .bind(user.language.code())
            .bind(&user.totp_secret)
            .bind(user.totp_last_step)
            .bind(user.created_at)
            .execute(&mut *tx)
            .await?;
            for role in &user.roles {
                sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                    .bind(&user.id)
                    .bind(role.code())
                    .execute(&mut *tx)
                    .await?;
            }
        });
        Ok(())
    }

    pub async fn count_users(&self) -> Result<i64> {
        let n: i64 = on_pool!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await?);
        Ok(n)
    }

    async fn with_roles(&self, mut user: UserRow) -> Result<UserRow> {
        let codes: Vec<String> =
            on_pool!(self, |pool| sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
                .bind(&user.id)
                .fetch_all(pool)
                .await?);
        user.roles = codes.iter().map(|c| Role::parse_code("role", c)).collect::<Result<_, _>>()?;
        user.roles.sort();
        Ok(user)
    }

    pub async fn user_by_username(&self, username: &str) -> Result<UserRow> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1"));
        let row = on_pool!(self, |pool| sqlx::query_as::<_, UserRow>(sql).bind(username).fetch_one(pool).await?);
        self.with_roles(row).await
    }

    pub async fn user(&self, id: &str) -> Result<UserRow> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"));
        let row = on_pool!(self, |pool| sqlx::query_as::<_, UserRow>(sql).bind(id).fetch_one(pool).await?);
        self.with_roles(row).await
    }

    pub async fn users(&self) -> Result<Vec<UserRow>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users ORDER BY username"));
        let rows = on_pool!(self, |pool| sqlx::query_as::<_, UserRow>(sql).fetch_all(pool).await?);
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(self.with_roles(row).await?);
        }
        Ok(out)
    }

    /// Disables or enables a user; disabling revokes every session and API token at once, and
    /// audits the revocation.
    pub async fn set_user_disabled(&self, id: &str, disabled: bool, audit: &AuditEvent) -> Result<()> {
        if disabled {
            revoking_tx!(self, audit, id, |tx| {
                let n = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
                    .bind(true)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err(StorageError::NotFound);
                }
            });
        } else {
            audited_tx!(self, audit, |tx| {
                let n = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
                    .bind(false)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err(StorageError::NotFound);
                }
            });
        }
        Ok(())
    }

    /// Sets a new password hash and revokes every session and API token of the user (the
    /// revocation is audited too).
    pub async fn set_password_hash(&self, id: &str, hash: &str, audit: &AuditEvent) -> Result<()> {
        revoking_tx!(self, audit, id, |tx| {
            let n = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(hash)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StorageError::NotFound);
            }
        });
        Ok(())
    }

    /// Revokes every live session and API token of a user and appends the `credentials_revoked`
    /// entry for `cause` (an entry already written, e.g. a password reset or an approved role
    /// grant stored by another write): for use cases that change a user's credentials or powers
    /// through a write of their own.
    pub async fn revoke_credentials(&self, user_id: &str, cause: &AuditEvent) -> Result<()> {
        macro_rules! arm {
            ($backend:ident, $tx:ident) => {{
                let exists = sqlx::query("SELECT id FROM users WHERE id = $1")
                    .bind(user_id)
                    .fetch_optional(&mut *$tx)
                    .await?
                    .is_some();
                if !exists {
                    return Err(StorageError::NotFound);
                }
                let (sessions, tokens) = revoke_in!($tx, user_id);
                audit_in!($backend, self, $tx, &revocation_event(cause, sessions, tokens));
                $tx.commit().await?;
            }};
        }
        match &self.backend {
            crate::Backend::Sqlite(pool) => {
                let _turn = self.sqlite_write_turn().await;
                let mut tx = self.sqlite_writer(pool).begin_with("BEGIN IMMEDIATE").await?;
                arm!(sqlite, tx);
            }
            crate::Backend::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                arm!(postgres, tx);
            }
        }
        Ok(())
    }

    /// Replaces the roles of a user and revokes every session and API token it holds, so that no
    /// credential outlives the powers it was issued under (the revocation is audited too).
    pub async fn set_user_roles(&self, id: &str, roles: &[Role], audit: &AuditEvent) -> Result<()> {
        revoking_tx!(self, audit, id, |tx| {
            sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            for role in roles {
                sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                    .bind(id)
                    .bind(role.code())
                    .execute(&mut *tx)
                    .await?;
            }
        });
        Ok(())
    }

    pub async fn set_user_language(&self, id: &str, language: haven_domain::Language) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
                .bind(language.code())
                .bind(id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Stores an (encrypted) TOTP secret with the step that confirmed it.
    pub async fn set_totp(&self, id: &str, secret: &[u8], step: i64, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            let n = sqlx::query("UPDATE users SET totp_secret = $1, totp_last_step = $2 WHERE id = $3")
                .bind(secret)
                .bind(step)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StorageError::NotFound);
            }
        });
        Ok(())
    }

    /// Replaces (`Some`) or removes (`None`) an enrolled second factor, and revokes every session
    /// and API token of the user (the revocation is audited too).
    pub async fn change_totp(&self, id: &str, secret: Option<(&[u8], i64)>, audit: &AuditEvent) -> Result<()> {
        let (secret, step) = match secret {
            Some((s, step)) => (Some(s), Some(step)),
            None => (None, None),
        };
        revoking_tx!(self, audit, id, |tx| {
            let n = sqlx::query("UPDATE users SET totp_secret = $1, totp_last_step = $2 WHERE id = $3")
                .bind(secret)
                .bind(step)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StorageError::NotFound);
            }
        });
        Ok(())
    }

    /// Records a used TOTP step if it is newer than the last one: false means a replay.
    pub async fn use_totp_step(&self, id: &str, step: i64) -> Result<bool> {
        let n = on_pool!(self, |pool| {
            sqlx::query(
            "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)"
        )
        .bind(step)
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected()
        });
        Ok(n == 1)
    }

    // ---------------------------------------------------------------- sessions and tokens

    pub async fn create_session(&self, session: &SessionRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, revoked) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&session.token_hash)
            .bind(&session.user_id)
            .bind(session.created_at)
            .bind(session.last_seen_at)
            .bind(session.revoked)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    pub async fn session(&self, token_hash: &[u8]) -> Result<SessionRow> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, SessionRow>(
                "SELECT token_hash, user_id, created_at, last_seen_at, revoked FROM sessions WHERE token_hash = $1",
            )
            .bind(token_hash)
            .fetch_one(pool)
            .await?
        });
        Ok(row)
    }

    pub async fn touch_session(&self, token_hash: &[u8], now: i64) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    pub async fn revoke_session(&self, token_hash: &[u8], audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query("UPDATE sessions SET revoked = $1 WHERE token_hash = $2")
                .bind(true)
                .bind(token_hash)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// Deletes sessions that ended before `before` (expired or revoked).
    pub async fn purge_sessions(&self, before: i64) -> Result<u64> {
        let n = on_pool!(self, |pool| sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $1")
            .bind(before)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n)
    }

    pub async fn create_api_token(&self, token: &ApiTokenRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(
                "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, last_used_at, revoked, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&token.id)
            .bind(&token.user_id)
            .bind(&token.name)
            .bind(&token.token_hash)
            .bind(token.created_at)
            .bind(token.last_used_at)
            .bind(token.revoked)
            .bind(token.expires_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    pub async fn api_token_by_hash(&self, token_hash: &[u8]) -> Result<ApiTokenRow> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, ApiTokenRow>(
            "SELECT id, user_id, name, token_hash, created_at, last_used_at, revoked, expires_at FROM api_tokens WHERE token_hash = $1"
        )
        .bind(token_hash)
        .fetch_one(pool)
        .await?
        });
        Ok(row)
    }

    pub async fn api_tokens_of(&self, user_id: &str) -> Result<Vec<ApiTokenRow>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, ApiTokenRow>(
                "SELECT id, user_id, name, token_hash, created_at, last_used_at, revoked, expires_at FROM api_tokens \
             WHERE user_id = $1 ORDER BY created_at",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    pub async fn touch_api_token(&self, id: &str, now: i64) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    pub async fn revoke_api_token(&self, id: &str, user_id: &str, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            let n = sqlx::query("UPDATE api_tokens SET revoked = $1 WHERE id = $2 AND user_id = $3")
                .bind(true)
                .bind(id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StorageError::NotFound);
            }
        });
        Ok(())
    }

    // ---------------------------------------------------------------- cases

    pub async fn create_case(&self, case: &CaseRow, person: &PersonRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(
                "INSERT INTO cases (id, reference, owner_organisation_id, jurisdiction, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&case.id)
            .bind(&case.reference)
            .bind(&case.owner_organisation_id)
            .bind(case.jurisdiction.code())
            .bind(&case.created_by)
            .bind(case.created_at)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO persons (case_id, given_names, family_names, aliases, date_of_birth, sex, name_index) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&person.case_id)
            .bind(&person.given_names)
            .bind(&person.family_names)
            .bind(&person.aliases)
            .bind(&person.date_of_birth)
            .bind(person.sex.code())
            .bind(&person.name_index)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    pub(crate) async fn shares_of(&self, case_id: &str) -> Result<Vec<CaseShare>> {
        let rows: Vec<(String, String)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT organisation_id, compartments FROM case_shares WHERE case_id = $1 ORDER BY organisation_id",
            )
            .bind(case_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(organisation_id, c)| Ok(CaseShare { organisation_id, compartments: parse_compartments(&c)? }))
            .collect()
    }

    pub async fn case(&self, id: &str) -> Result<CaseRow> {
        let mut row = on_pool!(self, |pool| {
            sqlx::query_as::<_, CaseRow>(
            "SELECT id, reference, owner_organisation_id, jurisdiction, created_by, created_at FROM cases WHERE id = $1"
        )
        .bind(id)
        .fetch_one(pool)
        .await?
        });
        row.shares = self.shares_of(id).await?;
        Ok(row)
    }

    /// Cases an organisation owns or that were shared with it, newest first.
    pub async fn cases_visible_to(&self, organisation_id: &str, limit: i64, offset: i64) -> Result<Vec<CaseRow>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, CaseRow>(
                "SELECT id, reference, owner_organisation_id, jurisdiction, created_by, created_at FROM cases \
             WHERE owner_organisation_id = $1 \
                OR id IN (SELECT case_id FROM case_shares WHERE organisation_id = $1) \
             ORDER BY created_at DESC, id LIMIT $2 OFFSET $3",
            )
            .bind(organisation_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?
        });
        let mut out = Vec::with_capacity(rows.len());
        for mut row in rows {
            row.shares = self.shares_of(&row.id).await?;
            out.push(row);
        }
        Ok(out)
    }

    pub async fn person(&self, case_id: &str) -> Result<PersonRow> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, PersonRow>(
            "SELECT case_id, given_names, family_names, aliases, date_of_birth, sex, name_index FROM persons WHERE case_id = $1"
        )
        .bind(case_id)
        .fetch_one(pool)
        .await?
        });
        Ok(row)
    }

    /// Case ids whose person has this name index (exact, keyed match).
    pub async fn cases_with_name_index(&self, index: &[u8]) -> Result<Vec<String>> {
        let ids = on_pool!(self, |pool| sqlx::query_scalar("SELECT case_id FROM persons WHERE name_index = $1")
            .bind(index)
            .fetch_all(pool)
            .await?);
        Ok(ids)
    }

    pub async fn count_cases(&self) -> Result<i64> {
        let n: i64 = on_pool!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(pool).await?);
        Ok(n)
    }

    pub async fn add_note(&self, note: &NoteRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(
                "INSERT INTO case_notes (id, case_id, compartment, body, author_id, author_organisation_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&note.id)
            .bind(&note.case_id)
            .bind(note.compartment.code())
            .bind(&note.body)
            .bind(&note.author_id)
            .bind(&note.author_organisation_id)
            .bind(note.created_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// Notes of a case in one compartment, oldest first.
    pub async fn notes(&self, case_id: &str, compartment: Compartment) -> Result<Vec<NoteRow>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, NoteRow>(
                "SELECT id, case_id, compartment, body, author_id, author_organisation_id, created_at FROM case_notes \
             WHERE case_id = $1 AND compartment = $2 ORDER BY created_at, id",
            )
            .bind(case_id)
            .bind(compartment.code())
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// Shares a case (or widens an existing share) with another organisation.
    pub async fn share_case(
        &self,
        case_id: &str,
        organisation_id: &str,
        compartments: &[Compartment],
        shared_by: &str,
        now: i64,
        audit: &AuditEvent,
    ) -> Result<()> {
        let codes = compartments_code(compartments);
        audited_tx!(self, audit, |tx| {
            sqlx::query(
                "INSERT INTO case_shares (case_id, organisation_id, compartments, shared_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id, organisation_id) \
                 DO UPDATE SET compartments = excluded.compartments, shared_by = excluded.shared_by",
            )
            .bind(case_id)
            .bind(organisation_id)
            .bind(&codes)
            .bind(shared_by)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    // ---------------------------------------------------------------- audit

    fn audit_from_row<R: Row>(row: &R) -> Result<AuditRow>
    where
        for<'r> &'r str: sqlx::ColumnIndex<R>,
        for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        for<'r> Vec<u8>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    {
        let action: String = row.try_get("action")?;
        let outcome: String = row.try_get("outcome")?;
        Ok(AuditRow {
            seq: row.try_get("seq")?,
            mac: row.try_get("mac")?,
            event: AuditEvent {
                at: row.try_get("at")?,
                actor_user_id: row.try_get("actor_user_id")?,
                actor_organisation_id: row.try_get("actor_organisation_id")?,
                action: AuditAction::parse_code("action", &action)?,
                outcome: AuditOutcome::parse_code("outcome", &outcome)?,
                target_kind: row.try_get("target_kind")?,
                target_id: row.try_get("target_id")?,
                target_organisation_id: row.try_get("target_organisation_id")?,
                address: row.try_get("address")?,
                detail: row.try_get("detail")?,
            },
        })
    }

    /// Audit entries in storage order (by sequence number), from `after_seq`, at most `limit`.
    pub async fn audit_entries(&self, after_seq: i64, limit: i64) -> Result<Vec<AuditRow>> {
        let rows = on_pool!(self, |pool| {
            let rows = sqlx::query(
                "SELECT seq, at, actor_user_id, actor_organisation_id, action, outcome, target_kind, target_id, \
                 target_organisation_id, address, detail, mac FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
            )
            .bind(after_seq)
            .bind(limit)
            .fetch_all(pool)
            .await?;
            rows.iter().map(Self::audit_from_row).collect::<Result<Vec<_>>>()?
        });
        Ok(rows)
    }

    /// Every audit entry, for verifying the whole chain, in sequence order. Not the heap order:
    /// PostgreSQL places rows from concurrent sessions on different pages, so an untouched log
    /// would read as reordered; on SQLite the storage order is `seq` (the rowid) anyway. A
    /// reordering (swapped seq values) is caught by the MACs, which cover `seq`.
    pub async fn audit_entries_physical(&self) -> Result<Vec<AuditRow>> {
        let rows = on_pool!(self, |pool| {
            let rows = sqlx::query(
                "SELECT seq, at, actor_user_id, actor_organisation_id, action, outcome, target_kind, target_id, \
                 target_organisation_id, address, detail, mac FROM audit_log ORDER BY seq",
            )
            .fetch_all(pool)
            .await?;
            rows.iter().map(Self::audit_from_row).collect::<Result<Vec<_>>>()?
        });
        Ok(rows)
    }

    /// Every audit entry and the head, read in one snapshot (SQLite: one read transaction in WAL;
    /// PostgreSQL: REPEATABLE READ), so that a verification running beside writers sees a head and
    /// a log of the same moment.
    pub async fn audit_snapshot(&self) -> Result<(Vec<AuditRow>, Option<AuditHead>)> {
        const ENTRIES: &str = "SELECT seq, at, actor_user_id, actor_organisation_id, action, outcome, target_kind, \
                               target_id, target_organisation_id, address, detail, mac FROM audit_log ORDER BY seq";
        const HEAD: &str = "SELECT seq, mac, head_mac FROM audit_head WHERE id = 1";
        let (rows, head): (Vec<AuditRow>, Option<HeadColumns>) = match &self.backend {
            crate::Backend::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                let head = sqlx::query_as(HEAD).fetch_optional(&mut *tx).await?;
                let rows = sqlx::query(ENTRIES).fetch_all(&mut *tx).await?;
                tx.rollback().await?;
                (rows.iter().map(Self::audit_from_row).collect::<Result<Vec<_>>>()?, head)
            }
            crate::Backend::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
                let head = sqlx::query_as(HEAD).fetch_optional(&mut *tx).await?;
                let rows = sqlx::query(ENTRIES).fetch_all(&mut *tx).await?;
                tx.rollback().await?;
                (rows.iter().map(Self::audit_from_row).collect::<Result<Vec<_>>>()?, head)
            }
        };
        let head = match head {
            None => None,
            Some((seq, mac, head_mac)) => Some(AuditHead { seq, mac: to_mac(&mac)?, head_mac: to_mac(&head_mac)? }),
        };
        Ok((rows, head))
    }

    /// Who did what to one record, newest first.
    pub async fn audit_for_target(&self, kind: &str, id: &str, limit: i64) -> Result<Vec<AuditRow>> {
        let rows = on_pool!(self, |pool| {
            let rows = sqlx::query(
                "SELECT seq, at, actor_user_id, actor_organisation_id, action, outcome, target_kind, target_id, \
                 target_organisation_id, address, detail, mac FROM audit_log \
                 WHERE target_kind = $1 AND target_id = $2 ORDER BY seq DESC LIMIT $3",
            )
            .bind(kind)
            .bind(id)
            .bind(limit)
            .fetch_all(pool)
            .await?;
            rows.iter().map(Self::audit_from_row).collect::<Result<Vec<_>>>()?
        });
        Ok(rows)
    }

    pub async fn audit_head(&self) -> Result<Option<AuditHead>> {
        let row: Option<(i64, Vec<u8>, Vec<u8>)> =
            on_pool!(self, |pool| sqlx::query_as("SELECT seq, mac, head_mac FROM audit_head WHERE id = 1")
                .fetch_optional(pool)
                .await?);
        match row {
            None => Ok(None),
            Some((seq, mac, head_mac)) => Ok(Some(AuditHead { seq, mac: to_mac(&mac)?, head_mac: to_mac(&head_mac)? })),
        }
    }
}

impl Store {
    /// Persons registered in a jurisdiction, by sex (for the statistics compartment).
    pub async fn count_persons_by_sex(&self, jurisdiction: &str) -> Result<Vec<(haven_domain::case::Sex, i64)>> {
        let rows: Vec<(String, i64)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT p.sex, COUNT(*) FROM persons p JOIN cases c ON c.id = p.case_id WHERE c.jurisdiction = $1 GROUP BY p.sex"
        )
        .bind(jurisdiction)
        .fetch_all(pool)
        .await?
        });
        rows.into_iter().map(|(s, n)| Ok((haven_domain::case::Sex::parse_code("sex", &s)?, n))).collect()
    }
}

/// The audit head's columns as read: sequence, MAC of the last entry, MAC of the head.
type HeadColumns = (i64, Vec<u8>, Vec<u8>);
