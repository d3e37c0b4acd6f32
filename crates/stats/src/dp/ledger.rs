//! The privacy budget of one dataset (one country's case data for one reference year).
//!
//! Every differentially private release from the same data spends part of one budget. Costs
//! compose sequentially: the ε of the releases add up, and so do their δ (basic composition,
//! valid for any mix of pure and approximate releases). The ledger refuses a release whose cost
//! would take the total over the budget, so what has been published never exceeds it. Amounts
//! are exact integers (see [`super::amount`]); nothing is compared in floating point.

use super::amount::PrivacyCost;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// One release charged to the budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// The identifier the application gives the release.
    pub release_id: String,
    pub cost: PrivacyCost,
}

/// Why a release was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LedgerError {
    #[error("release {release_id} refused: it costs {requested}, {spent} of the budget {budget} is spent already")]
    OverBudget { release_id: String, budget: PrivacyCost, spent: PrivacyCost, requested: PrivacyCost },
    #[error("release {0} is already charged to this budget")]
    DuplicateRelease(String),
    #[error("the ledger's amounts overflow")]
    Overflow,
}

/// The budget of one dataset and the releases charged to it. Serialisable, so the application
/// can persist it next to the dataset; it keeps one ledger per country and reference year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    budget: PrivacyCost,
    entries: Vec<LedgerEntry>,
}

impl Ledger {
    /// An empty ledger with a total budget.
    pub fn new(budget: PrivacyCost) -> Ledger {
        Ledger { budget, entries: Vec::new() }
    }

    pub fn budget(&self) -> PrivacyCost {
        self.budget
    }

    pub fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

    /// The total spent: the sum of the entries' costs (sequential composition).
    pub fn spent(&self) -> Result<PrivacyCost, LedgerError> {
        self.entries.iter().try_fold(PrivacyCost::ZERO, |acc, e| acc.compose(e.cost).ok_or(LedgerError::Overflow))
    }

    /// What is left of the budget (zero in a component already spent in full).
    pub fn remaining(&self) -> Result<PrivacyCost, LedgerError> {
        let spent = self.spent()?;
        Ok(PrivacyCost {
            epsilon: self.budget.epsilon.checked_sub(spent.epsilon).unwrap_or_default(),
            delta: self.budget.delta.checked_sub(spent.delta).unwrap_or_default(),
        })
    }

    /// Charges a release to the budget, or refuses it (and records nothing) when the total
    /// spent would exceed the budget in ε or in δ, or when the release id is charged already.
    pub fn charge(&mut self, release_id: &str, cost: PrivacyCost) -> Result<(), LedgerError> {
        if self.entries.iter().any(|e| e.release_id == release_id) {
            return Err(LedgerError::DuplicateRelease(release_id.to_owned()));
        }
        let spent = self.spent()?;
        let after = spent.compose(cost).ok_or(LedgerError::Overflow)?;
        if !after.fits_within(self.budget) {
            return Err(LedgerError::OverBudget {
                release_id: release_id.to_owned(),
                budget: self.budget,
                spent,
                requested: cost,
            });
        }
        self.entries.push(LedgerEntry { release_id: release_id.to_owned(), cost });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::amount::{Delta, Epsilon};
    use super::*;

    fn eps(m: u64) -> PrivacyCost {
        PrivacyCost::pure(Epsilon::from_micros(m))
    }

    #[test]
    fn charges_add_up_and_overspending_is_refused() {
        let mut l = Ledger::new(PrivacyCost::new(Epsilon::from_micros(1_000_000), Delta::from_atto(1_000)));
        l.charge("a", eps(300_000)).unwrap();
        l.charge("b", PrivacyCost::new(Epsilon::from_micros(700_000), Delta::from_atto(1_000))).unwrap();
        assert_eq!(l.spent().unwrap(), l.budget());
        let err = l.charge("c", eps(1)).unwrap_err();
        assert!(matches!(err, LedgerError::OverBudget { .. }));
        let text = err.to_string();
        assert!(text.contains("epsilon 0.000001") && text.contains("epsilon 1, delta 0.000000000000001"), "{text}");
        assert_eq!(l.entries().len(), 2);
        assert_eq!(l.remaining().unwrap(), PrivacyCost::ZERO);
        assert_eq!(l.charge("a", PrivacyCost::ZERO), Err(LedgerError::DuplicateRelease("a".into())));
    }

    #[test]
    fn delta_is_budgeted_separately() {
        let mut l = Ledger::new(PrivacyCost::pure(Epsilon::from_micros(1_000_000)));
        let err = l.charge("g", PrivacyCost::new(Epsilon::from_micros(1), Delta::from_atto(1))).unwrap_err();
        assert!(matches!(err, LedgerError::OverBudget { .. }));
        assert!(l.entries().is_empty());
    }
}
