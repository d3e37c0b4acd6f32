//! Transnational referrals of victims (migration 0021): those prepared here and sent to another
//! country's focal point, those received from one, and their history. Storage holds `draft`,
//! `body` and an event's `detail` as the application encrypted them (see
//! [`crate::ENCRYPTED_COLUMNS`]); it decides nothing about the states, it only refuses a change
//! made on a state that is no longer the one read (a concurrent change wins).

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// A transnational referral on this side.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TransnationalReferralRow {
    pub id: String,
    /// The sender's id on the wire.
    pub referral_id: String,
    /// `outgoing` or `incoming`.
    pub direction: String,
    /// The other instance (the receiving country, or the sending one).
    pub peer: String,
    pub case_id: Option<String>,
    pub organisation_id: Option<String>,
    /// A `Purpose` code of `haven_domain::assist::transnational`.
    pub purpose: String,
    /// A `TransnationalState` code.
    pub state: String,
    /// The caseworker's choices, encrypted.
    pub draft: Option<Vec<u8>>,
    /// The `referral` body as sent or received, encrypted.
    pub body: Option<Vec<u8>>,
    /// The exchange message carrying the referral.
    pub message_id: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One change of state of a referral.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TransnationalEventRow {
    pub referral_row: String,
    pub seq: i64,
    pub state: String,
    /// `YYYY-MM-DD`.
    pub effective_on: String,
    /// `None` when the other side reported it.
    pub by_user: Option<String>,
    /// The `referral_update` that carried or reported it.
    pub message_id: Option<String>,
    /// Encrypted detail (a decline's reason, the organisation assigned, a note).
    pub detail: Option<Vec<u8>>,
    pub at: i64,
}

/// A change of a referral: its state from `from_state` to `event.state`, and the columns given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransnationalChange {
    pub id: String,
    /// The state read; the change is refused if it is no longer this.
    pub from_state: String,
    /// `None` keeps the state (a change of the draft only); else the event recorded.
    pub event: Option<TransnationalEventRow>,
    pub draft: Option<Vec<u8>>,
    pub body: Option<Vec<u8>>,
    pub message_id: Option<String>,
    pub case_id: Option<String>,
    pub organisation_id: Option<String>,
    pub at: i64,
}

/// Inserts an event row inside an open transaction.
macro_rules! insert_event {
    ($tx:ident, $event:expr) => {{
        let e: &TransnationalEventRow = $event;
        sqlx::query(
            "INSERT INTO transnational_referral_events (referral_row, seq, state, effective_on, by_user, \
             message_id, detail, at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
        )
        .bind(&e.referral_row)
        .bind(e.seq)
        .bind(&e.state)
        .bind(&e.effective_on)
        .bind(&e.by_user)
        .bind(&e.message_id)
        .bind(&e.detail)
        .bind(e.at)
        .execute(&mut *$tx)
        .await?;
    }};
}

const COLUMNS: &str = "id, referral_id, direction, peer, case_id, organisation_id, purpose, state, draft, body, \
                       message_id, created_by, created_at, updated_at";
const EVENT_COLUMNS: &str = "referral_row, seq, state, effective_on, by_user, message_id, detail, at";

impl Store {
    /// Stores a new referral with its first event, audited. A referral already held for the same
    /// direction, peer and `referral_id` (or message id) is a [`StorageError::Conflict`].
    pub async fn insert_transnational_referral(
        &self,
        row: &TransnationalReferralRow,
        first: &TransnationalEventRow,
        event: &AuditEvent,
    ) -> Result<()> {
        audited_tx!(self, event, |tx| {
            let existing: Option<(String,)> = sqlx::query_as(
                "SELECT id FROM transnational_referrals WHERE (direction = $1 AND peer = $2 AND referral_id = $3) \
                 OR (message_id IS NOT NULL AND message_id = $4)",
            )
            .bind(&row.direction)
            .bind(&row.peer)
            .bind(&row.referral_id)
            .bind(&row.message_id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((id,)) = existing {
                return Err(StorageError::Conflict(format!("the referral is held already as {id}")));
            }
            sqlx::query(
                "INSERT INTO transnational_referrals (id, referral_id, direction, peer, case_id, organisation_id, \
                 purpose, state, draft, body, message_id, created_by, created_at, updated_at) \
                 VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)",
            )
            .bind(&row.id)
            .bind(&row.referral_id)
            .bind(&row.direction)
            .bind(&row.peer)
            .bind(&row.case_id)
            .bind(&row.organisation_id)
            .bind(&row.purpose)
            .bind(&row.state)
            .bind(&row.draft)
            .bind(&row.body)
            .bind(&row.message_id)
            .bind(&row.created_by)
            .bind(row.created_at)
            .bind(row.updated_at)
            .execute(&mut *tx)
            .await?;
            insert_event!(tx, first);
        });
        Ok(())
    }

    /// Applies a change, audited, if the referral is still in `change.from_state`; otherwise
    /// [`StorageError::Conflict`] and nothing is written. The columns given replace theirs; the
    /// event, when given, is appended with the next sequence number (its `seq` is ignored).
    pub async fn change_transnational_referral(&self, change: &TransnationalChange, event: &AuditEvent) -> Result<()> {
        let new_state = change.event.as_ref().map_or(change.from_state.as_str(), |e| e.state.as_str());
        audited_tx!(self, event, |tx| {
            let n = sqlx::query(
                "UPDATE transnational_referrals SET state = $2, updated_at = $3, \
                 draft = COALESCE($4, draft), body = COALESCE($5, body), message_id = COALESCE($6, message_id), \
                 case_id = COALESCE($7, case_id), organisation_id = COALESCE($8, organisation_id) \
                 WHERE id = $1 AND state = $9",
            )
            .bind(&change.id)
            .bind(new_state)
            .bind(change.at)
            .bind(&change.draft)
            .bind(&change.body)
            .bind(&change.message_id)
            .bind(&change.case_id)
            .bind(&change.organisation_id)
            .bind(&change.from_state)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n != 1 {
                return Err(StorageError::Conflict(format!(
                    "referral {} is no longer {}: reload and try again",
                    change.id, change.from_state
                )));
            }
            if let Some(first) = &change.event {
                let (next,): (i64,) = sqlx::query_as(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM transnational_referral_events WHERE referral_row = $1",
                )
                .bind(&change.id)
                .fetch_one(&mut *tx)
                .await?;
                let numbered = TransnationalEventRow { seq: next, referral_row: change.id.clone(), ..first.clone() };
                insert_event!(tx, &numbered);
            }
        });
        Ok(())
    }

    /// One referral by its row id.
    pub async fn transnational_referral(&self, id: &str) -> Result<Option<TransnationalReferralRow>> {
        let sql = format!("SELECT {COLUMNS} FROM transnational_referrals WHERE id = $1");
        let row = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id)
            .fetch_optional(pool)
            .await?);
        Ok(row)
    }

    /// The referral held for a direction, peer and sender's `referral_id`.
    pub async fn transnational_referral_on_wire(
        &self,
        direction: &str,
        peer: &str,
        referral_id: &str,
    ) -> Result<Option<TransnationalReferralRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM transnational_referrals WHERE direction = $1 AND peer = $2 AND referral_id = $3"
        );
        let row = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(direction)
            .bind(peer)
            .bind(referral_id)
            .fetch_optional(pool)
            .await?);
        Ok(row)
    }

    /// The referrals of a case, newest first: those prepared from it (outgoing) and the one
    /// received from another country that opened it (incoming).
    pub async fn transnational_referrals_of_case(&self, case_id: &str) -> Result<Vec<TransnationalReferralRow>> {
        let sql =
            format!("SELECT {COLUMNS} FROM transnational_referrals WHERE case_id = $1 ORDER BY created_at DESC, id");
        let rows = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(case_id)
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }

    /// The referrals of one direction (every state but a draft: a draft is the caseworker's),
    /// newest change first.
    pub async fn transnational_referrals(&self, direction: &str) -> Result<Vec<TransnationalReferralRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM transnational_referrals WHERE direction = $1 AND state <> 'draft' \
             ORDER BY updated_at DESC, id"
        );
        let rows = on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(direction)
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }

    /// The history of a referral, in order.
    pub async fn transnational_referral_events(&self, id: &str) -> Result<Vec<TransnationalEventRow>> {
        let sql =
            format!("SELECT {EVENT_COLUMNS} FROM transnational_referral_events WHERE referral_row = $1 ORDER BY seq");
        let rows =
            on_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_all(pool).await?);
        Ok(rows)
    }
}
