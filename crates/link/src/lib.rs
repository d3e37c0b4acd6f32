//! Person-level record linkage for Haven: the same person registered by the police, an NGO and a
//! shelter, sometimes in two countries, under spellings that differ.
//!
//! - [`model`]: settings and the trained Fellegi-Sunter parameters (TOML).
//! - [`linker::Linker`]: batch engine (blocking, EM training over pattern counts, scoring).
//! - [`index::CandidateIndex`]: score one new record against existing ones.
//! - [`diagnose`]: warnings about a trained model (the classic failures of training).
//! - [`cluster`]: persons from pairs, with stable person ids across runs.
//! - [`review`]: clerical review with active learning (uncertain pairs, answers as labels).
//! - [`clk`]: privacy-preserving linkage on Bloom-filter encodings (CLK) between countries.
//! - [`multiparty`]: persons counted once across several countries from their encodings.
//! - [`attack`]: a frequency attack on encodings, to measure what they reveal.
//! - [`io`]: CSV and JSON Lines readers with a column mapping; writers.
//! - [`cli`]: the `haven link` command.

pub mod attack;
pub mod blocking;
pub mod cli;
pub mod clk;
pub mod cluster;
pub mod compare;
pub mod data;
pub mod diagnose;
pub mod error;
pub mod eval;
pub mod index;
pub mod io;
pub mod linker;
pub mod model;
pub mod multiparty;
pub mod normalize;
pub mod report;
pub mod review;
pub mod score;
pub mod train;

pub use error::{LinkError, Result};
pub use index::{CandidateIndex, ScoredCandidate};
pub use linker::{Linker, ScoredPair};
pub use model::{LinkageModel, ModelSettings};
