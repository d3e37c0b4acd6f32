use haven_domain::{Message, MessageId, ParseError};
use haven_storage::StorageError;

/// What a use case can answer. Client errors carry what the client may know; everything else
/// is `Internal`, whose cause is logged and never shown.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("invalid input: {0}")]
    Invalid(#[from] ParseError),
    #[error("login required")]
    Unauthenticated,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("a one-time code from the authenticator app is required")]
    TotpRequired,
    #[error("too many failed logins; try again in {retry_after} seconds")]
    RateLimited { retry_after: i64 },
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    /// A conflict with where the record stands, said in the reader's language (`message`) and
    /// in English (`english`, for the API and the logs); nothing was stored.
    #[error("conflict: {english}")]
    ConflictSaid { english: String, message: haven_domain::Message },
    /// A file refused whole, with every problem found (nothing was stored).
    #[error("the file was refused: {} problem(s)", .0.len())]
    Rejected(Vec<Problem>),
    /// Refused for a reason the user can act on, said in the user's language (see [`Refusal`]);
    /// nothing was stored.
    #[error("{}", .0.english)]
    Refused(Refusal),
    #[error("the master key does not match this database's keys")]
    WrongMasterKey,
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub type AppResult<T> = Result<T, AppError>;

/// One problem of a refused file: where (line and column, or sheet and cell) and what.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub location: String,
    pub message: String,
}

/// A refusal the interface says in the user's language: the message `message_id` of its
/// catalogue with one argument, then what is at fault (codes, the same in every language).
/// `english` says it all in English, for the API and the logs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Refusal {
    pub message_id: &'static str,
    pub arg: (&'static str, String),
    pub items: Vec<String>,
    pub english: String,
}

impl From<StorageError> for AppError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound => AppError::NotFound,
            // The store's own words stay in English for the API; pages say what it means.
            StorageError::Conflict(m) => AppError::conflict(m, Message::new(MessageId::StoredConflict)),
            StorageError::NoFreePlace => AppError::conflict(
                "the provider has no free place left for this service; choose another provider",
                Message::new(MessageId::NoFreePlace),
            ),
            StorageError::BudgetExceeded => AppError::conflict(
                "the privacy budget of this dataset cannot cover the release; nothing was published",
                Message::new(MessageId::BudgetExceeded),
            ),
            other => AppError::Internal(Box::new(other)),
        }
    }
}

impl From<haven_crypto::CryptoError> for AppError {
    fn from(e: haven_crypto::CryptoError) -> Self {
        match e {
            haven_crypto::CryptoError::WrongMasterKey => AppError::WrongMasterKey,
            other => AppError::Internal(Box::new(other)),
        }
    }
}

impl AppError {
    pub fn invalid(field: &str, message: &str) -> Self {
        AppError::Invalid(ParseError::new(field, message))
    }

    /// Invalid input of `field`, said in English (`english`, for the API and the logs) and as the
    /// message `id` of the translations (for pages).
    pub fn said(field: &str, english: &str, id: MessageId) -> Self {
        AppError::Invalid(ParseError::said(field, english, Message::new(id)))
    }

    /// A conflict with where the record stands, said in English (`english`, for the API and the
    /// logs) and as a message of the translations (`message`, for pages).
    pub fn conflict(english: impl Into<String>, message: Message) -> Self {
        AppError::ConflictSaid { english: english.into(), message }
    }
}
