//! Statistics of trafficking in human beings: the national tables a rapporteur reports (counts of
//! persons), disclosure control (primary and secondary cell suppression with an audit by linear
//! programming), differential privacy (exact discrete samplers, a budget ledger), and the SDMX-CSV
//! and spreadsheet exchange with the EU level.
//!
//! Pure: no clock, no database, no network. The application decides what goes in.

pub mod amounts;
pub mod codes;
pub mod dp;
pub mod hub;
pub mod model;
pub mod national;
pub mod proceedings;
pub mod relations;
pub mod sdc;
pub mod sdmx;
pub mod synth;
pub mod xlsx;

pub use model::{CellKey, Concept, ConfStatus, Dataset, Indicator, Observation, TOTAL, Table, TableDim, TableSpec};
