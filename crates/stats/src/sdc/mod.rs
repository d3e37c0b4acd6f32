//! Statistical disclosure control of a release of linked tables: primary suppression of small
//! counts, secondary (complementary) suppression over all tables of the release jointly, and an
//! audit by linear programming of what an attacker can still infer.
//!
//! # The protection requirement
//!
//! A cell is **primary** when `0 < value < threshold`. Zero is "known none": it identifies no
//! person and is never primary (it may be suppressed as a secondary cell, which is why the
//! attacker's a-priori knowledge of a suppressed cell is only `value >= 0`).
//!
//! The attacker knows every published cell of every table of the release, that every hidden cell
//! is flagged alike (one status, `C`: nothing tells a small cell from one hidden to protect it),
//! that every table adds up (`total = sum(parts)` along every dimension), that a cell shared by
//! two tables (equal [`CellKey`](crate::CellKey)) has one value, every relation between tables
//! that the EU hub checks and the cube defines ([`crate::relations`]: a citizenship group is the
//! sum of its countries, age groups are not more than their class, victims given something not
//! more than those registered, the notified anonymously are adults), and that counts are
//! non-negative. From that, the
//! smallest and largest value a suppressed cell can take form its interval `[lower, upper]`
//! (the linear-programming relaxation, as in tau-ARGUS). A primary cell of value `v` with
//! protection level `p` is protected when `upper >= v + p` and `lower <= max(0, v - p)`.
//!
//! `p` is given by [`ProtectionLevel`]:
//! - [`ProtectionLevel::Absolute`]`(p)`: `p` persons both ways (the default, `p = threshold`:
//!   the attacker can never tell that the cell is below the threshold);
//! - [`ProtectionLevel::PercentOfValue`]`(r)`: `p = max(1, v * r / 100)`, rounded up to a
//!   whole person. This is tau-ARGUS's frequency rule `FREQ(n, r)` (pytauargus 0.6.0 writes
//!   lower and upper protection levels `max(1, v * r / 100)` for an unsafe cell; with `v < n`
//!   and `r <= 100/(n-1)`, that is 1 person), so patterns of both tools can be compared
//!   under one requirement.

mod audit;
mod lp;
mod simplex;
mod suppress;
mod system;

pub use audit::{AuditCell, AuditReport, INTEGER_SAMPLE, IntegerCheck, audit, audit_after};
pub use suppress::{protect, protect_after, suppress, suppress_swapped};

use crate::model::{CellKey, ConfStatus};
use serde::{Deserialize, Serialize};

/// The smallest and largest threshold accepted.
pub const THRESHOLD_RANGE: std::ops::RangeInclusive<u64> = 2..=100;
/// The accepted absolute protection levels (persons).
pub const ABSOLUTE_RANGE: std::ops::RangeInclusive<u64> = 1..=1000;
/// The accepted percentages of [`ProtectionLevel::PercentOfValue`].
pub const PERCENT_RANGE: std::ops::RangeInclusive<u32> = 1..=100;

/// How far the attacker's interval around a primary cell must reach, each way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProtectionLevel {
    /// A fixed number of persons.
    Absolute(u64),
    /// A percentage of the cell's value, at least one person (tau-ARGUS `FREQ(n, r)`).
    PercentOfValue(u32),
}

/// Parameters of disclosure control. Build with [`SdcParams::new`] and check with
/// [`SdcParams::validate`] (done by [`protect`] and [`audit`] too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SdcParams {
    /// A cell with `0 < value < threshold` is primary.
    pub threshold: u64,
    /// The protection a primary cell needs.
    pub protection: ProtectionLevel,
}

impl Default for SdcParams {
    /// Threshold 5 and protection 5 persons.
    fn default() -> SdcParams {
        SdcParams::new(5)
    }
}

impl SdcParams {
    /// A threshold with the default protection: `threshold` persons both ways.
    pub fn new(threshold: u64) -> SdcParams {
        SdcParams { threshold, protection: ProtectionLevel::Absolute(threshold) }
    }

    /// Refuses a threshold or protection level out of its range, naming the field.
    pub fn validate(&self) -> Result<(), SdcError> {
        if !THRESHOLD_RANGE.contains(&self.threshold) {
            return Err(SdcError::OutOfRange {
                field: "threshold",
                value: self.threshold,
                min: *THRESHOLD_RANGE.start(),
                max: *THRESHOLD_RANGE.end(),
            });
        }
        match self.protection {
            ProtectionLevel::Absolute(p) if !ABSOLUTE_RANGE.contains(&p) => Err(SdcError::OutOfRange {
                field: "protection (absolute, persons)",
                value: p,
                min: *ABSOLUTE_RANGE.start(),
                max: *ABSOLUTE_RANGE.end(),
            }),
            ProtectionLevel::PercentOfValue(r) if !PERCENT_RANGE.contains(&r) => Err(SdcError::OutOfRange {
                field: "protection (percent of value)",
                value: u64::from(r),
                min: u64::from(*PERCENT_RANGE.start()),
                max: u64::from(*PERCENT_RANGE.end()),
            }),
            _ => Ok(()),
        }
    }

    /// Whether a value is primary (`0 < value < threshold`).
    pub fn is_primary(&self, value: u64) -> bool {
        value > 0 && value < self.threshold
    }

    /// The protection level `p` of a primary cell of value `v`, in whole persons.
    pub fn protection_of(&self, value: u64) -> u64 {
        match self.protection {
            ProtectionLevel::Absolute(p) => p,
            ProtectionLevel::PercentOfValue(r) => (value.saturating_mul(u64::from(r)).div_ceil(100)).max(1),
        }
    }

    /// The bounds the attacker's interval must reach for a primary cell: `(max(0, v - p), v + p)`.
    pub fn required(&self, value: u64) -> (u64, u64) {
        let p = self.protection_of(value);
        (value.saturating_sub(p), value.saturating_add(p))
    }
}

/// What an earlier release of the same data and year made public: the rule it was made under
/// and every figure it printed. A later release is protected and audited jointly with it
/// ([`protect_after`], [`audit_after`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Earlier {
    pub params: SdcParams,
    /// Every printed cell and its value (hidden cells are not listed).
    pub published: Vec<(CellKey, u64)>,
}

/// What can go wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SdcError {
    /// A parameter out of its range.
    #[error("{field} is {value}, but must be between {min} and {max}")]
    OutOfRange { field: &'static str, value: u64, min: u64, max: u64 },
    /// A table whose values do not have the length of its spec.
    #[error("table {table} has {got} values, but its dimensions give {expected} cells")]
    Shape { table: String, got: usize, expected: usize },
    /// A statistic with two values in the release, or a total that is not the sum of its parts.
    #[error("table {table}: {what}")]
    Inconsistent { table: String, what: String },
    /// A status pattern that does not match the tables.
    #[error("the status of table {table} has {got} cells, but the table has {expected}")]
    StatusShape { table: String, got: usize, expected: usize },
    /// The linear-programming solver failed.
    #[error("linear program failed: {0}")]
    Lp(String),
    /// A primary cell that no suppression pattern protects (should not happen with margins).
    #[error("cell {index} of table {table} cannot be protected")]
    Unprotectable { table: String, index: usize },
}

/// The result of [`protect`]: the status of every cell of every table (in the order of the
/// input: `F` or `C`, one status for every hidden cell) and the audit of that pattern (which of
/// the hidden cells are primary: inside the instance only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Protection {
    pub status: Vec<Vec<ConfStatus>>,
    pub audit: AuditReport,
}

impl Protection {
    /// Number of distinct primary cells (a cell shared by tables counts once).
    pub fn primary(&self) -> usize {
        self.audit.cells.iter().filter(|c| c.primary).count()
    }

    /// Number of distinct secondary cells: hidden, not primary.
    pub fn secondary(&self) -> usize {
        self.audit.cells.iter().filter(|c| !c.primary && c.suppressed).count()
    }
}

#[cfg(test)]
mod tests {
    use super::lp::{Lp, Outcome};
    use super::system::System;
    use super::*;
    use crate::model::{Concept, Indicator, Table, TableDim, TableSpec};

    #[test]
    fn primary_cells_are_small_non_zero_counts() {
        let p = SdcParams::new(5);
        assert!(!p.is_primary(0) && p.is_primary(1) && p.is_primary(4) && !p.is_primary(5));
        assert_eq!(p.required(3), (0, 8));
        let tau = SdcParams { threshold: 5, protection: ProtectionLevel::PercentOfValue(10) };
        assert_eq!(tau.protection_of(4), 1);
        assert_eq!(tau.protection_of(40), 4);
    }

    #[test]
    fn shared_cells_are_one_cell_and_duplicate_relations_one_relation() {
        let spec = |id: &str| TableSpec {
            id: id.into(),
            indicator: Indicator::Registered,
            dims: vec![TableDim::new(Concept::Sex, &["F", "M"])],
        };
        let a = Table::from_inner(spec("A"), &[2, 3]);
        let b = Table::from_inner(spec("B"), &[2, 3]);
        let sys = System::new(&[a, b], &[]).unwrap();
        assert_eq!(sys.cells.len(), 3);
        assert_eq!(sys.rels.len(), 1);
        assert_eq!(sys.cells[0].shown, vec![(0, 0), (1, 0)]);
        assert!(sys.cells[2].grand_total);
    }

    #[test]
    fn the_lp_layer_solves_a_bounded_program() {
        // x + y = 4, 0 <= x <= 3: max x = 3, min x = 0; x >= 5 infeasible
        let mut lp = Lp::default();
        let x = lp.var(1.0, 0.0, 3.0);
        let y = lp.var(0.0, 0.0, f64::INFINITY);
        lp.rows.push((vec![(x, 1.0), (y, 1.0)], 4.0));
        assert!(
            matches!(lp.solve(true).unwrap(), Outcome::Optimal { objective, .. } if (objective - 3.0).abs() < 1e-9)
        );
        assert!(matches!(lp.solve(false).unwrap(), Outcome::Optimal { objective, .. } if objective.abs() < 1e-9));
        lp.bounds[x] = (5.0, 6.0);
        assert_eq!(lp.solve(false).unwrap(), Outcome::Infeasible);
    }
}
