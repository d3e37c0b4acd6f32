//! Money in criminal proceedings: assets and their measures, realised proceeds allocated to
//! compensation claims, financial investigations and their items, joint investigation teams.
//! Ciphertext arrives and leaves as bytes; every write is one transaction with its audit entry,
//! and the writes that must not overdraw (an allocation, a payout) check in the same statement.

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// An asset (record: ciphertext of the description, where held, the value with its rate).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AssetRow {
    pub id: String,
    pub investigation_id: String,
    pub suspect_id: Option<String>,
    pub kind: String,
    pub held_in: String,
    /// The value in euro cents at its rate (for the statistics' amounts).
    pub value_euro_cents: i64,
    pub record: Vec<u8>,
    pub created_by: String,
    pub created_at: i64,
}

/// A measure on an asset (record: ciphertext of the measure with its amount and reference).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AssetMeasureRow {
    pub id: String,
    pub asset_id: String,
    pub investigation_id: String,
    pub kind: String,
    pub measure_on: String,
    pub amount_euro_cents: Option<i64>,
    pub record: Vec<u8>,
    pub created_by: String,
    pub created_at: i64,
}

/// Realised proceeds allocated to a compensation claim, and what was paid out (euro cents).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AllocationRow {
    pub id: String,
    pub asset_id: String,
    pub investigation_id: String,
    pub claim_id: String,
    pub case_id: String,
    pub amount_euro_cents: i64,
    pub allocated_on: String,
    pub paid_out_euro_cents: i64,
    pub paid_out_on: Option<String>,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// The recorded status of a financial investigation (reasons: ciphertext).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FinancialInvestigationRow {
    pub investigation_id: String,
    pub status: String,
    pub since: String,
    pub reasons: Option<Vec<u8>>,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// An account, transfer, business, property or finding (body: ciphertext).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FinancialItemRow {
    pub id: String,
    pub investigation_id: String,
    pub kind: String,
    pub body: Vec<u8>,
    pub created_by: String,
    pub created_at: i64,
}

/// A joint investigation team (record: ciphertext).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JointTeamRow {
    pub id: String,
    pub record: Vec<u8>,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// An investigation linked to a team.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JointTeamLinkRow {
    pub team_id: String,
    pub investigation_id: String,
    pub jurisdiction: String,
    pub linked_by: String,
    pub linked_at: i64,
}

/// What an allocation needs to know of a support record said to be a compensation claim.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ClaimRecordFacts {
    pub id: String,
    pub case_id: String,
    pub kind: String,
    pub status: String,
}

const ASSET_COLUMNS: &str =
    "id, investigation_id, suspect_id, kind, held_in, value_euro_cents, record, created_by, created_at";
const MEASURE_COLUMNS: &str =
    "id, asset_id, investigation_id, kind, measure_on, amount_euro_cents, record, created_by, created_at";
const ALLOCATION_COLUMNS: &str = "id, asset_id, investigation_id, claim_id, case_id, amount_euro_cents, \
                                  allocated_on, paid_out_euro_cents, paid_out_on, version, created_by, created_at, \
                                  updated_by, updated_at";
const FINANCIAL_COLUMNS: &str = "investigation_id, status, since, reasons, version, updated_by, updated_at";
const ITEM_COLUMNS: &str = "id, investigation_id, kind, body, created_by, created_at";
const TEAM_COLUMNS: &str = "id, record, version, created_by, created_at, updated_by, updated_at";
const LINK_COLUMNS: &str = "team_id, investigation_id, jurisdiction, linked_by, linked_at";

/// `$1, $2, …, $n`.
fn placeholders(n: usize) -> String {
    (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

fn insert_sql(table: &str, columns: &str, tail: &str) -> sqlx::AssertSqlSafe<String> {
    let n = columns.split(',').count();
    sqlx::AssertSqlSafe(format!("INSERT INTO {table} ({columns}) VALUES ({}){tail}", placeholders(n)))
}

fn select_sql(columns: &str, table: &str, rest: &str) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(format!("SELECT {columns} FROM {table} {rest}"))
}

impl Store {
    /// Records an asset.
    pub async fn add_asset(&self, row: &AssetRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(insert_sql("assets", ASSET_COLUMNS, ""))
                .bind(&row.id)
                .bind(&row.investigation_id)
                .bind(&row.suspect_id)
                .bind(&row.kind)
                .bind(&row.held_in)
                .bind(row.value_euro_cents)
                .bind(&row.record)
                .bind(&row.created_by)
                .bind(row.created_at)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// The assets of an investigation, in the order recorded.
    pub async fn assets(&self, investigation_id: &str) -> Result<Vec<AssetRow>> {
        let sql = select_sql(ASSET_COLUMNS, "assets", "WHERE investigation_id = $1 ORDER BY created_at, id");
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(investigation_id).fetch_all(pool).await?))
    }

    /// Records a measure; `false` when it would be a second confiscation order of the asset.
    pub async fn add_asset_measure(&self, row: &AssetMeasureRow, audit: &AuditEvent) -> Result<bool> {
        let n = audited_tx!(self, audit, |tx| {
            sqlx::query(insert_sql("asset_measures", MEASURE_COLUMNS, " ON CONFLICT DO NOTHING"))
                .bind(&row.id)
                .bind(&row.asset_id)
                .bind(&row.investigation_id)
                .bind(&row.kind)
                .bind(&row.measure_on)
                .bind(row.amount_euro_cents)
                .bind(&row.record)
                .bind(&row.created_by)
                .bind(row.created_at)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        });
        Ok(n == 1)
    }

    /// The measures on the assets of an investigation, oldest first.
    pub async fn asset_measures(&self, investigation_id: &str) -> Result<Vec<AssetMeasureRow>> {
        let sql = select_sql(
            MEASURE_COLUMNS,
            "asset_measures",
            "WHERE investigation_id = $1 ORDER BY measure_on, created_at, id",
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(investigation_id).fetch_all(pool).await?))
    }

    /// Allocates realised proceeds of an asset to a claim, only while the allocations of the
    /// asset stay within its realised amount and the claim's allocations not yet paid out stay
    /// within `claim_room` (what the award leaves unpaid, as the caller read it), both checked
    /// in the same statement. Allocations are written one at a time (SQLite's write lock; on
    /// PostgreSQL the table is locked against other allocations and payouts first), so two
    /// allocations made at once cannot together pass either limit. Returns whether it was
    /// written.
    pub async fn allocate_proceeds(&self, row: &AllocationRow, claim_room: i64, audit: &AuditEvent) -> Result<bool> {
        let columns = ALLOCATION_COLUMNS.split(',').count();
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO confiscation_allocations ({ALLOCATION_COLUMNS}) SELECT {} \
             WHERE (SELECT COALESCE(SUM(amount_euro_cents), 0) FROM confiscation_allocations WHERE asset_id = $2) + $6 \
             <= (SELECT COALESCE(SUM(amount_euro_cents), 0) FROM asset_measures \
                 WHERE asset_id = $2 AND kind = 'realisation') \
             AND (SELECT COALESCE(SUM(amount_euro_cents - paid_out_euro_cents), 0) FROM confiscation_allocations \
                 WHERE claim_id = $4) + $6 <= ${}",
            placeholders(columns),
            columns + 1
        ));
        let postgres = self.backend_name() == "postgres";
        let n = audited_tx!(self, audit, |tx| {
            if postgres {
                sqlx::query("LOCK TABLE confiscation_allocations IN SHARE ROW EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(sql)
                .bind(&row.id)
                .bind(&row.asset_id)
                .bind(&row.investigation_id)
                .bind(&row.claim_id)
                .bind(&row.case_id)
                .bind(row.amount_euro_cents)
                .bind(&row.allocated_on)
                .bind(row.paid_out_euro_cents)
                .bind(&row.paid_out_on)
                .bind(row.version)
                .bind(&row.created_by)
                .bind(row.created_at)
                .bind(&row.updated_by)
                .bind(row.updated_at)
                .bind(claim_room)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        });
        Ok(n == 1)
    }

    /// Records a payout: the allocation at `row.version - 1` takes `row`'s paid-out total and
    /// date, never above the amount allocated. Returns whether it was written.
    pub async fn record_payout(&self, row: &AllocationRow, audit: &AuditEvent) -> Result<bool> {
        let n = audited_tx!(self, audit, |tx| {
            sqlx::query(
                "UPDATE confiscation_allocations SET paid_out_euro_cents = $1, paid_out_on = $2, version = $3, \
                 updated_by = $4, updated_at = $5 WHERE id = $6 AND version = $7 AND $1 <= amount_euro_cents",
            )
            .bind(row.paid_out_euro_cents)
            .bind(&row.paid_out_on)
            .bind(row.version)
            .bind(&row.updated_by)
            .bind(row.updated_at)
            .bind(&row.id)
            .bind(row.version - 1)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        });
        Ok(n == 1)
    }

    /// Records a payout of an allocation and, in the same transaction, the payment on the
    /// compensation claim it was allocated to (`claim`, the next version of the support record,
    /// written only over `claim_version`), with both audit entries: the proceedings' write and
    /// the support record's change. Returns whether both were written (neither on a stale
    /// version or a payout above the allocation).
    pub async fn record_payout_to_claim(
        &self,
        row: &AllocationRow,
        claim: &crate::SupportRecordRow,
        claim_version: i64,
        audit: &AuditEvent,
        claim_audit: &AuditEvent,
    ) -> Result<bool> {
        macro_rules! body {
            ($backend:ident, $tx:ident) => {{
                let paid = sqlx::query(
                    "UPDATE confiscation_allocations SET paid_out_euro_cents = $1, paid_out_on = $2, version = $3, \
                     updated_by = $4, updated_at = $5 WHERE id = $6 AND version = $7 AND $1 <= amount_euro_cents",
                )
                .bind(row.paid_out_euro_cents)
                .bind(&row.paid_out_on)
                .bind(row.version)
                .bind(&row.updated_by)
                .bind(row.updated_at)
                .bind(&row.id)
                .bind(row.version - 1)
                .execute(&mut *$tx)
                .await?
                .rows_affected();
                let claimed = sqlx::query(
                    "UPDATE support_records SET status = $1, body = $2, version = $3, updated_by = $4, \
                     updated_at = $5 WHERE id = $6 AND version = $7 AND kind = 'compensation_claim'",
                )
                .bind(&claim.status)
                .bind(&claim.body)
                .bind(claim.version)
                .bind(&claim.updated_by)
                .bind(claim.updated_at)
                .bind(&claim.id)
                .bind(claim_version)
                .execute(&mut *$tx)
                .await?
                .rows_affected();
                if paid != 1 || claimed != 1 {
                    // Nothing half-written: the transaction is dropped, rolled back.
                    return Ok(false);
                }
                audit_in!($backend, self, $tx, audit);
                audit_in!($backend, self, $tx, claim_audit);
                $tx.commit().await?;
            }};
        }
        match &self.backend {
            crate::Backend::Sqlite(pool) => {
                let _turn = self.sqlite_write_turn().await;
                let mut tx = self.sqlite_writer(pool).begin_with("BEGIN IMMEDIATE").await?;
                body!(sqlite, tx);
            }
            crate::Backend::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                body!(postgres, tx);
            }
        }
        Ok(true)
    }

    /// The allocations to a compensation claim, from every investigation.
    pub async fn allocations_to_claim(&self, claim_id: &str) -> Result<Vec<AllocationRow>> {
        let sql =
            select_sql(ALLOCATION_COLUMNS, "confiscation_allocations", "WHERE claim_id = $1 ORDER BY created_at, id");
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(claim_id).fetch_all(pool).await?))
    }

    /// The allocations of an investigation's proceeds.
    pub async fn allocations(&self, investigation_id: &str) -> Result<Vec<AllocationRow>> {
        let sql = select_sql(
            ALLOCATION_COLUMNS,
            "confiscation_allocations",
            "WHERE investigation_id = $1 ORDER BY allocated_on, created_at, id",
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(investigation_id).fetch_all(pool).await?))
    }

    /// A support record's case, kind and status, to check a claim named by id; `None` if no
    /// such record exists.
    pub async fn claim_record_facts(&self, record_id: &str) -> Result<Option<ClaimRecordFacts>> {
        Ok(on_pool!(self, |pool| sqlx::query_as("SELECT id, case_id, kind, status FROM support_records WHERE id = $1")
            .bind(record_id)
            .fetch_optional(pool)
            .await?))
    }

    /// Saves the status of a financial investigation: the first record (version 1) or the
    /// next version of the stored one. Returns whether it was written.
    pub async fn save_financial_investigation(
        &self,
        row: &FinancialInvestigationRow,
        audit: &AuditEvent,
    ) -> Result<bool> {
        let n = audited_tx!(self, audit, |tx| {
            if row.version == 1 {
                sqlx::query(insert_sql("financial_investigations", FINANCIAL_COLUMNS, " ON CONFLICT DO NOTHING"))
                    .bind(&row.investigation_id)
                    .bind(&row.status)
                    .bind(&row.since)
                    .bind(&row.reasons)
                    .bind(row.version)
                    .bind(&row.updated_by)
                    .bind(row.updated_at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            } else {
                sqlx::query(
                    "UPDATE financial_investigations SET status = $1, since = $2, reasons = $3, version = $4, \
                     updated_by = $5, updated_at = $6 WHERE investigation_id = $7 AND version = $8",
                )
                .bind(&row.status)
                .bind(&row.since)
                .bind(&row.reasons)
                .bind(row.version)
                .bind(&row.updated_by)
                .bind(row.updated_at)
                .bind(&row.investigation_id)
                .bind(row.version - 1)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            }
        });
        Ok(n == 1)
    }

    pub async fn financial_investigation(&self, investigation_id: &str) -> Result<Option<FinancialInvestigationRow>> {
        let sql = select_sql(FINANCIAL_COLUMNS, "financial_investigations", "WHERE investigation_id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(investigation_id).fetch_optional(pool).await?))
    }

    /// Records an item of a financial investigation.
    pub async fn add_financial_item(&self, row: &FinancialItemRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(insert_sql("financial_items", ITEM_COLUMNS, ""))
                .bind(&row.id)
                .bind(&row.investigation_id)
                .bind(&row.kind)
                .bind(&row.body)
                .bind(&row.created_by)
                .bind(row.created_at)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    pub async fn financial_items(&self, investigation_id: &str) -> Result<Vec<FinancialItemRow>> {
        let sql = select_sql(ITEM_COLUMNS, "financial_items", "WHERE investigation_id = $1 ORDER BY created_at, id");
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(investigation_id).fetch_all(pool).await?))
    }

    /// Sets up a team with its first linked investigation, in one transaction.
    pub async fn create_joint_team(
        &self,
        row: &JointTeamRow,
        link: &JointTeamLinkRow,
        audit: &AuditEvent,
    ) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(insert_sql("joint_teams", TEAM_COLUMNS, ""))
                .bind(&row.id)
                .bind(&row.record)
                .bind(row.version)
                .bind(&row.created_by)
                .bind(row.created_at)
                .bind(&row.updated_by)
                .bind(row.updated_at)
                .execute(&mut *tx)
                .await?;
            sqlx::query(insert_sql("joint_team_investigations", LINK_COLUMNS, ""))
                .bind(&link.team_id)
                .bind(&link.investigation_id)
                .bind(&link.jurisdiction)
                .bind(&link.linked_by)
                .bind(link.linked_at)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// Replaces a team's record if it is still at `row.version - 1`. Returns whether written.
    pub async fn update_joint_team(&self, row: &JointTeamRow, audit: &AuditEvent) -> Result<bool> {
        let n = audited_tx!(self, audit, |tx| {
            sqlx::query(
                "UPDATE joint_teams SET record = $1, version = $2, updated_by = $3, updated_at = $4 \
                 WHERE id = $5 AND version = $6",
            )
            .bind(&row.record)
            .bind(row.version)
            .bind(&row.updated_by)
            .bind(row.updated_at)
            .bind(&row.id)
            .bind(row.version - 1)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        });
        Ok(n == 1)
    }

    /// Links an investigation to a team; `false` if it was linked already.
    pub async fn link_joint_team(&self, link: &JointTeamLinkRow, audit: &AuditEvent) -> Result<bool> {
        let n = audited_tx!(self, audit, |tx| {
            sqlx::query(insert_sql("joint_team_investigations", LINK_COLUMNS, " ON CONFLICT DO NOTHING"))
                .bind(&link.team_id)
                .bind(&link.investigation_id)
                .bind(&link.jurisdiction)
                .bind(&link.linked_by)
                .bind(link.linked_at)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        });
        Ok(n == 1)
    }

    pub async fn joint_team(&self, id: &str) -> Result<Option<JointTeamRow>> {
        let sql = select_sql(TEAM_COLUMNS, "joint_teams", "WHERE id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(id).fetch_optional(pool).await?))
    }

    /// The investigations linked to a team, in the order linked.
    pub async fn joint_team_links(&self, team_id: &str) -> Result<Vec<JointTeamLinkRow>> {
        let sql = select_sql(
            LINK_COLUMNS,
            "joint_team_investigations",
            "WHERE team_id = $1 ORDER BY linked_at, investigation_id",
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(team_id).fetch_all(pool).await?))
    }

    /// The ids of the teams linking an investigation of `jurisdiction` that `organisation_id`
    /// works as the unit or the prosecutor's office.
    pub async fn joint_teams_of_organisation(&self, jurisdiction: &str, organisation_id: &str) -> Result<Vec<String>> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT DISTINCT l.team_id FROM joint_team_investigations l \
             JOIN investigations i ON i.id = l.investigation_id WHERE i.jurisdiction = $1 \
             AND (i.unit_organisation_id = $2 OR i.prosecutor_organisation_id = $2) ORDER BY l.team_id"
        )
        .bind(jurisdiction)
        .bind(organisation_id)
        .fetch_all(pool)
        .await?))
    }
}
