//! Errors of the linkage engine.

/// Everything that can go wrong when reading input, configuring or running a linkage.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// A row of an input file could not be read.
    #[error("{source_name}, line {line}: {message}")]
    BadRow { source_name: String, line: u64, message: String },
    /// A column named in the mapping is missing from the input.
    #[error("{source_name}: column {column:?} is not in the header")]
    MissingColumn { source_name: String, column: String },
    /// The settings or model file is invalid.
    #[error("invalid settings: {0}")]
    InvalidSettings(String),
    /// A blocking rule could not be parsed.
    #[error("invalid blocking rule {rule:?}: {message}")]
    InvalidRule { rule: String, message: String },
    /// The model has not been trained yet.
    #[error("the model has no parameters yet: train it first")]
    Untrained,
    /// Blocking would generate more candidate pairs than allowed.
    #[error("blocking would generate {pairs} candidate pairs, more than the limit of {limit}")]
    TooManyPairs { pairs: u64, limit: u64 },
    /// An encoding (Bloom filter) is malformed.
    #[error("{source_name}, line {line}: bad encoding: {message}")]
    BadEncoding { source_name: String, line: u64, message: String },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Result with a [`LinkError`].
pub type Result<T, E = LinkError> = std::result::Result<T, E>;
