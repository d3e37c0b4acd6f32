//! Read-only checks of how the database is configured (for `haven doctor` and the tests).

use crate::{Backend, Result, StorageError, Store};
use sqlx::Row;

impl Store {
    /// The value of a SQLite pragma on one of the pool's connections (every connection is
    /// opened with the same options), as text: `journal_mode` gives `wal`, `synchronous` gives
    /// `2` (FULL). SQLite only; `name` must be a bare pragma name.
    pub async fn pragma(&self, name: &str) -> Result<String> {
        let Backend::Sqlite(pool) = &self.backend else {
            return Err(StorageError::Config("pragmas exist on SQLite only".into()));
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return Err(StorageError::Config(format!("not a pragma name: {name:?}")));
        }
        let sql = sqlx::AssertSqlSafe(format!("PRAGMA {name}"));
        let row = sqlx::query(sql).fetch_one(pool).await?;
        match row.try_get::<i64, _>(0) {
            Ok(n) => Ok(n.to_string()),
            Err(_) => Ok(row.try_get::<String, _>(0)?),
        }
    }

    /// The value of a PostgreSQL server setting (`current_setting`), as text: `autovacuum` gives
    /// `on` or `off`. PostgreSQL only.
    pub async fn postgres_setting(&self, name: &str) -> Result<String> {
        let Backend::Postgres(pool) = &self.backend else {
            return Err(StorageError::Config("server settings are read on PostgreSQL only".into()));
        };
        Ok(sqlx::query_scalar("SELECT current_setting($1)").bind(name).fetch_one(pool).await?)
    }
}
