//! Haven's storage: one [`Store`] with two backends, SQLite (embedded, the default) and
//! PostgreSQL. The SQL text is shared; each backend has its own migrations
//! (`migrations/sqlite`, `migrations/postgres`) because the DDL types differ.
//!
//! Storage knows nothing of encryption: identifiers arrive here as ciphertext. It does chain
//! the audit log, through the [`AuditSigner`] the application gives it, inside the same
//! transaction as the write it records, so nothing is half-written.

mod error;
mod rows;

pub use backup::{BackupError, TABLES};
pub use error::StorageError;
pub use rows::*;

use haven_domain::audit::AuditEvent;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// Computes the audit chain's MACs (implemented by the application with the audit key).
pub trait AuditSigner: Send + Sync {
    fn entry_mac(&self, seq: i64, prev_mac: &[u8; 32], entry: &[u8]) -> [u8; 32];
    fn head_mac(&self, seq: i64, mac: &[u8; 32]) -> [u8; 32];
}

#[derive(Clone)]
pub(crate) enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pub(crate) backend: Backend,
    signer: Option<Arc<dyn AuditSigner>>,
    /// SQLite's writers of this process, queued in arrival order (see [`Store::sqlite_write_turn`]),
    /// and the group commit of new registrations (`group_commit`).
    sqlite_writes: Arc<group_commit::SqliteWrites>,
    /// SQLite: the one connection write transactions use, so that the writer whose turn it is
    /// never waits for a connection that readers hold.
    sqlite_writer: Option<sqlx::SqlitePool>,
}

/// Runs the same code against whichever pool the store has.
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite($pool) => $body,
            $crate::Backend::Postgres($pool) => $body,
        }
    };
}

/// Runs `body` in a write transaction (SQLite: BEGIN IMMEDIATE, so the write lock is taken at
/// once and concurrent writers wait on the busy timeout instead of failing). An early return
/// through `?` drops the transaction, which rolls it back.
macro_rules! in_tx {
    ($store:expr, |$tx:ident| $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite(pool) => {
                let _turn = $store.sqlite_write_turn().await;
                let mut $tx = $store.sqlite_writer(pool).begin_with("BEGIN IMMEDIATE").await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            $crate::Backend::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}

/// The audit entry's insert, its 12 parameters from `$first` (seq, at, actor user and
/// organisation, action, outcome, target kind, id and organisation, address, detail, MAC).
pub(crate) fn audit_entry_insert(first: usize) -> String {
    let p: Vec<String> = (first..first + 12).map(|i| format!("${i}")).collect();
    format!(
        "INSERT INTO audit_log (seq, at, actor_user_id, actor_organisation_id, action, outcome, \
         target_kind, target_id, target_organisation_id, address, detail, mac) VALUES ({})",
        p.join(",")
    )
}

/// The audit head's upsert from the parameters numbered `seq`, `mac` and `head_mac`.
pub(crate) fn audit_head_upsert(seq: usize, mac: usize, head_mac: usize) -> String {
    format!(
        "INSERT INTO audit_head (id, seq, mac, head_mac) VALUES (1, ${seq}, ${mac}, ${head_mac}) \
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, mac = excluded.mac, head_mac = excluded.head_mac"
    )
}

/// The next audit entry after `head` (the head row's seq and MAC; none before the first entry):
/// its seq, its MAC chained to the previous one, and the new head's MAC.
pub(crate) fn audit_chained(
    signer: &dyn AuditSigner,
    head: Option<(i64, Vec<u8>)>,
    event: &AuditEvent,
) -> Result<(i64, [u8; 32], [u8; 32])> {
    let (prev_seq, prev_mac) = match head {
        Some((seq, mac)) => (seq, to_mac(&mac)?),
        None => (0, [0u8; 32]),
    };
    let seq = prev_seq + 1;
    let mac = signer.entry_mac(seq, &prev_mac, &event.canonical_bytes(seq));
    Ok((seq, mac, signer.head_mac(seq, &mac)))
}

/// Binds an audit entry's 12 parameters in the order of [`audit_entry_insert`].
macro_rules! bind_audit_entry {
    ($q:expr, $seq:expr, $event:expr, $mac:expr) => {{
        let event: &AuditEvent = $event;
        $q.bind($seq)
            .bind(event.at)
            .bind(&event.actor_user_id)
            .bind(&event.actor_organisation_id)
            .bind(event.action.to_string())
            .bind(event.outcome.to_string())
            .bind(&event.target_kind)
            .bind(&event.target_id)
            .bind(&event.target_organisation_id)
            .bind(&event.address)
            .bind(&event.detail)
            .bind($mac.to_vec())
    }};
}

/// Appends one audit entry inside an open transaction, chained to the previous one (the head
/// read under the write lock, which [`audit_in`] holds). The entry and the new head go in one
/// call, so one round trip is made while the lock is held: on SQLite two statements at once, on
/// PostgreSQL one statement (the entry's insert as a data-modifying `WITH`). Evaluates to the new
/// sequence number.
macro_rules! append_audit {
    ($store:expr, $tx:ident, $event:expr) => {{
        let signer = $store.signer.as_ref().ok_or(StorageError::NoAuditSigner)?;
        let event: &AuditEvent = $event;
        let head: Option<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT seq, mac FROM audit_head WHERE id = 1").fetch_optional(&mut *$tx).await?;
        let (seq, mac, head_mac) = $crate::audit_chained(signer.as_ref(), head, event)?;
        let sql = if $crate::ident::several_statements_at_once(&$tx) {
            format!("{}; {}", $crate::audit_entry_insert(1), $crate::audit_head_upsert(1, 12, 13))
        } else {
            format!("WITH entry AS ({}) {}", $crate::audit_entry_insert(1), $crate::audit_head_upsert(1, 12, 13))
        };
        bind_audit_entry!(sqlx::query(sqlx::AssertSqlSafe(sql)), seq, event, mac)
            .bind(head_mac.to_vec())
            .execute(&mut *$tx)
            .await?;
        seq
    }};
}

/// [`append_audit`] for whichever backend the transaction belongs to. On SQLite the IMMEDIATE
/// transaction already holds the write lock. On PostgreSQL the head table is locked first:
/// `FOR UPDATE` alone locks nothing while the head row does not exist yet, so concurrent first
/// appends would all compute seq 1, and waiters for a row lock are not served in the order they
/// came (measured: the slowest saves waited twice as long), while a table lock's queue is
/// first come, first served. Readers, the dump included, are not blocked.
macro_rules! audit_in {
    (sqlite, $store:expr, $tx:ident, $event:expr) => {
        append_audit!($store, $tx, $event)
    };
    (postgres, $store:expr, $tx:ident, $event:expr) => {{
        sqlx::query("LOCK TABLE audit_head IN SHARE ROW EXCLUSIVE MODE").execute(&mut *$tx).await?;
        append_audit!($store, $tx, $event)
    }};
}

/// A write transaction that also appends an audit entry (the head row is locked first).
macro_rules! audited_tx {
    ($store:expr, $event:expr, |$tx:ident| $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite(pool) => {
                let _turn = $store.sqlite_write_turn().await;
                let mut $tx = $store.sqlite_writer(pool).begin_with("BEGIN IMMEDIATE").await?;
                let out = $body;
                audit_in!(sqlite, $store, $tx, $event);
                $tx.commit().await?;
                out
            }
            $crate::Backend::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                audit_in!(postgres, $store, $tx, $event);
                $tx.commit().await?;
                out
            }
        }
    };
}

pub(crate) fn to_mac(bytes: &[u8]) -> Result<[u8; 32]> {
    bytes.try_into().map_err(|_| StorageError::Corrupt("audit MAC is not 32 bytes".into()))
}

mod assist;
pub use assist::*;
mod backup;
mod diagnostics;
#[macro_use]
mod ident;
pub use ident::{
    CannotLinkRow, IdentifierLookup, Identifiers, LinkageJobRow, NewRegistration, NewSubjectKey, PersonClusterChange,
    PersonClusterRow, PersonRef,
};
mod queries;
pub use queries::{ENCRYPTED_COLUMNS, EncryptedColumn};
mod subject_keys;
pub use subject_keys::{
    CASE_COLUMNS_UNDER_FIELD_KEYS, KEY_STORE_TABLES, KeyStoreRestore, SUBJECT_COLUMNS, SubjectColumn, SubjectKeyRow,
};
mod stats;
pub use stats::*;
mod separation;
pub use separation::*;
mod person_review;
pub use person_review::*;
mod proceedings;
pub use proceedings::*;
mod proceedings_victims;
pub use proceedings_victims::*;
mod proceedings_money;
pub use proceedings_money::*;
mod proceedings_persons;
mod stats_proceedings;
pub use proceedings_persons::*;
mod exchange;
pub use exchange::*;
mod representation;
pub use representation::*;
mod exchange_transport;
pub use exchange_transport::*;
mod exchange_referrals;
pub use exchange_referrals::*;
mod exchange_statistics;
pub use exchange_statistics::*;
mod exchange_persons;
pub use exchange_persons::*;
mod exchange_own_keys;
pub use exchange_own_keys::*;
mod exchange_retention;
pub use exchange_retention::*;
mod retention;
pub use retention::*;
mod strategy;
pub use strategy::*;
mod greta;
pub use greta::*;
mod monitoring_records;
pub use monitoring_records::*;
mod transposition;
pub use transposition::*;
mod annual_report;
pub use annual_report::*;
mod subject_requests;
pub use subject_requests::*;
mod group_commit;

/// Read connections of a SQLite store: two per core, from 4 to 16. SQLite reads are processor
/// work, and in WAL mode every commit drops the page cache of each connection that reads after
/// it: more connections than the cores can run at once only re-read the same pages and switch
/// threads (on 2 cores, 4 connections saved faster than 8; BENCHMARKS.md).
fn sqlite_readers() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    u32::try_from(cores.saturating_mul(2)).unwrap_or(u32::MAX).clamp(4, 16)
}

/// `items` as a JSON array of strings, bound for [`Store::listed`].
pub(crate) fn json_list<T: AsRef<str>>(items: &[T]) -> String {
    serde_json::Value::Array(items.iter().map(|i| serde_json::Value::String(i.as_ref().to_owned())).collect())
        .to_string()
}

impl Store {
    /// Opens (creating if needed) the SQLite database `haven.db` in `dir` and migrates it.
    /// WAL, synchronous=FULL (no committed write lost on power loss), foreign keys on,
    /// a 10 s busy timeout.
    pub async fn open_sqlite(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|e| StorageError::Io(format!("cannot create {}: {e}", dir.display())))?;
        restrict_to_owner(dir)?;
        let options = SqliteConnectOptions::new()
            .filename(dir.join("haven.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(sqlite_readers()).connect_with(options.clone()).await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        let writer = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
        Ok(Store {
            backend: Backend::Sqlite(pool),
            signer: None,
            sqlite_writes: Arc::default(),
            sqlite_writer: Some(writer),
        })
    }

    /// Connects to PostgreSQL and migrates.
    pub async fn open_postgres(url: &str) -> Result<Store> {
        let options =
            PgConnectOptions::from_str(url).map_err(|e| StorageError::Config(format!("database URL: {e}")))?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Store { backend: Backend::Postgres(pool), signer: None, sqlite_writes: Arc::default(), sqlite_writer: None })
    }

    /// Opens by URL: `postgres://…`/`postgresql://…`, or `sqlite://DIR`.
    pub async fn open(url: &str) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Store::open_postgres(url).await
        } else if let Some(dir) = url.strip_prefix("sqlite://") {
            Store::open_sqlite(Path::new(dir)).await
        } else {
            Err(StorageError::Config("database URL must start with postgres://, postgresql:// or sqlite://".into()))
        }
    }

    /// The store, chaining audit entries with `signer`.
    pub fn with_audit_signer(mut self, signer: Arc<dyn AuditSigner>) -> Store {
        self.signer = Some(signer);
        self
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// The condition that `column` is one of the strings of the JSON array bound at `$n` (made
    /// by [`json_list`]): one statement whatever the list's length. A list written as one
    /// placeholder per value is a new statement for every length (a duplicate check's candidates
    /// number anything from none to hundreds), prepared afresh each time and pushing the
    /// statements that repeat out of each connection's statement cache. On PostgreSQL the list
    /// is an array (`= ANY`), which the planner looks up in the column's index: as a subquery
    /// joined to the table (estimated at 100 rows, however long it is) it was answered by
    /// reading the whole table, so that a duplicate check's cost grew with the register.
    pub(crate) fn in_listed(&self, column: &str, n: usize) -> String {
        match self.backend {
            Backend::Sqlite(_) => format!("{column} IN (SELECT value FROM json_each(${n}))"),
            Backend::Postgres(_) => format!("{column} = ANY(ARRAY(SELECT json_array_elements_text(${n}::json)))"),
        }
    }

    /// [`Store::in_listed`] for a bytes `column` and a JSON array of hex strings (made by
    /// [`json_list`] of hex-encoded values).
    pub(crate) fn in_listed_hex(&self, column: &str, n: usize) -> String {
        match self.backend {
            Backend::Sqlite(_) => format!("{column} IN (SELECT unhex(value) FROM json_each(${n}))"),
            Backend::Postgres(_) => {
                format!("{column} = ANY(ARRAY(SELECT decode(v, 'hex') FROM json_array_elements_text(${n}::json) AS v))")
            }
        }
    }

    /// An aggregate giving the rows' columns `a` and `b` as one JSON array of `[a, b]` pairs
    /// (text; `[]` when there are none): many rows returned as one.
    pub(crate) fn json_rows(&self, a: &str, b: &str) -> String {
        match self.backend {
            Backend::Sqlite(_) => format!("COALESCE(json_group_array(json_array({a}, {b})), '[]')"),
            Backend::Postgres(_) => format!("COALESCE(json_agg(json_build_array({a}, {b}))::text, '[]')"),
        }
    }

    /// Whether the database answers (for /readyz).
    pub async fn ping(&self) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes the pool (checkpointing the SQLite WAL).
    pub async fn close(&self) {
        drop(self.sqlite_write_turn().await);
        if let Some(writer) = &self.sqlite_writer {
            writer.close().await;
        }
        on_pool!(self, |pool| pool.close().await)
    }

    /// The turn of one write transaction on SQLite, held until it commits. SQLite lets one
    /// writer in at a time; without a queue, concurrent writers retry on the busy timeout, whose
    /// sleeps grow to 100 ms, so a writer could wait many times longer than the writes ahead of it
    /// (p99 of 456 ms for a median of 49 ms, 16 writers). This lock is fair: writers of this
    /// process go in the order they came. Another process writing the same file (a CLI command)
    /// still meets the busy timeout. On PostgreSQL it is never taken.
    ///
    /// A group of new registrations left open for more (`group_commit`) is committed first: its
    /// members learn the outcome when they take the turn again.
    pub(crate) async fn sqlite_write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, group_commit::WriteTurn>> {
        match &self.backend {
            Backend::Sqlite(_) => {
                let mut turn = self.sqlite_writes.turn.lock().await;
                // A failed commit is its members' error, recorded for them.
                let _ = turn.flush().await;
                Some(turn)
            }
            Backend::Postgres(_) => None,
        }
    }

    /// The pool a write transaction begins on: SQLite's writer connection (taken with the turn),
    /// or `pool` where there is none.
    pub(crate) fn sqlite_writer<'a>(&'a self, pool: &'a sqlx::SqlitePool) -> &'a sqlx::SqlitePool {
        self.sqlite_writer.as_ref().unwrap_or(pool)
    }

    /// Appends one audit entry on its own (reads, logins, denials).
    pub async fn append_audit(&self, event: &AuditEvent) -> Result<i64> {
        let seq = match &self.backend {
            Backend::Sqlite(pool) => {
                let _turn = self.sqlite_write_turn().await;
                let mut tx = self.sqlite_writer(pool).begin_with("BEGIN IMMEDIATE").await?;
                let seq = audit_in!(sqlite, self, tx, event);
                tx.commit().await?;
                seq
            }
            Backend::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let seq = audit_in!(postgres, self, tx, event);
                tx.commit().await?;
                seq
            }
        };
        Ok(seq)
    }

    /// Runs raw SQL: for tests that play the attacker (editing the audit log behind the
    /// application's back) and for the CLI's maintenance commands.
    #[doc(hidden)]
    pub async fn execute_unchecked(&self, sql: &str) -> Result<u64> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        let n = on_pool!(self, |pool| sqlx::raw_sql(sql).execute(pool).await?.rows_affected());
        Ok(n)
    }

    /// Runs a raw SQL query that gives one integer (a count): for tests that look behind the
    /// application's back.
    #[doc(hidden)]
    pub async fn count_unchecked(&self, sql: &str) -> Result<i64> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        let n = on_pool!(self, |pool| sqlx::query_scalar(sql).fetch_one(pool).await?);
        Ok(n)
    }
}

/// The data folder readable by its owner only (0700), and the database, its write-ahead log and
/// shared-memory file 0600, created so before SQLite opens them: victims' ciphertext and the
/// audit log are nobody else's to copy.
fn restrict_to_owner(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let io = |path: &Path, e: std::io::Error| StorageError::Io(format!("cannot restrict {}: {e}", path.display()));
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| io(dir, e))?;
        for name in ["haven.db", "haven.db-wal", "haven.db-shm"] {
            let path = dir.join(name);
            std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(&path).map_err(|e| io(&path, e))?;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(|e| io(&path, e))?;
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
