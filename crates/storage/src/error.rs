/// What can go wrong in storage. Constraint violations become decisions the caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    /// The provider has no free place left for the service.
    #[error("no free place left")]
    NoFreePlace,
    /// The dataset's privacy budget cannot cover a differentially private release.
    #[error("the privacy budget of the dataset is spent")]
    BudgetExceeded,
    #[error("the stored data are not valid: {0}")]
    Corrupt(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error("{0}")]
    Io(String),
    #[error("audit entries cannot be written before the keys are loaded")]
    NoAuditSigner,
    #[error("migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StorageError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StorageError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StorageError::Conflict("a record with the same unique value exists".into())
            }
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                StorageError::Conflict("a referenced record does not exist".into())
            }
            _ => StorageError::Database(e),
        }
    }
}

impl From<haven_domain::ParseError> for StorageError {
    fn from(e: haven_domain::ParseError) -> Self {
        StorageError::Corrupt(e.to_string())
    }
}
