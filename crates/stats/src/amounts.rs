//! Amounts frozen, seized, confiscated and realised in the year (Dir 2011/36 Art 7), in euro,
//! protected for publication as a magnitude table: a figure is published only when enough
//! investigations contribute to it and no single one dominates it.
//!
//! Each figure stands alone: no total relates them (an asset confiscated this year may have been
//! seized years before, and one frozen may never be confiscated), so a hidden figure cannot be
//! recomputed from the others, and none is hidden to protect another.
//!
//! - **Counted.** An asset counts once per measure kind, in the year of its first measure of that
//!   kind, at the measure's amount (in euro at its recorded rate) or, when the measure names none,
//!   at the asset's value.
//! - **Published** when at least `threshold` investigations (the release's threshold) contribute
//!   to the figure and the largest contribution of one investigation is at most
//!   [`DOMINANCE_PERCENT`] of it (the (1, k) dominance rule: otherwise the one investigation's
//!   amount would be known to within a few percent). A figure of no asset is published as zero.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The measure kinds reported, in order, with the SDMX-style code of each figure.
pub const AMOUNT_KINDS: &[(&str, &str)] = &[
    ("freezing", "ASSET_FROZEN"),
    ("seizure", "ASSET_SEIZED"),
    ("confiscation_order", "ASSET_CONFISCATED"),
    ("realisation", "ASSET_REALISED"),
];

/// A figure is hidden when one investigation contributes more than this share of it.
pub const DOMINANCE_PERCENT: u64 = 85;

/// One measure on an asset, as the statistics read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureFacts {
    pub investigation_id: String,
    pub asset_id: String,
    /// `freezing`, `seizure`, `confiscation_order`, `realisation`.
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub on: String,
    /// The measure's amount, in euro cents, when it names one.
    pub amount_euro_cents: Option<i64>,
    /// The asset's value, in euro cents.
    pub asset_value_euro_cents: i64,
}

/// One published figure: the code, and the amount in whole euro, or none when confidential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmountFigure {
    pub code: String,
    /// Whole euro (rounded down); `None` when confidential.
    pub euro: Option<u64>,
    pub confidential: bool,
}

/// The figures of `year` from every measure of the country, protected with `threshold` (the
/// least number of contributing investigations).
pub fn amount_figures(year: u16, measures: &[MeasureFacts], threshold: u64) -> Vec<AmountFigure> {
    let year = format!("{year:04}");
    AMOUNT_KINDS
        .iter()
        .map(|(kind, code)| {
            // the first measure of the kind of each asset
            let mut first: BTreeMap<&str, &MeasureFacts> = BTreeMap::new();
            for m in measures.iter().filter(|m| m.kind == *kind) {
                first
                    .entry(m.asset_id.as_str())
                    .and_modify(|f| {
                        if (m.on.as_str(), m.investigation_id.as_str()) < (f.on.as_str(), f.investigation_id.as_str()) {
                            *f = m;
                        }
                    })
                    .or_insert(m);
            }
            let mut by_investigation: BTreeMap<&str, u64> = BTreeMap::new();
            for m in first.values().filter(|m| m.on.starts_with(&year)) {
                let cents = m.amount_euro_cents.unwrap_or(m.asset_value_euro_cents).max(0);
                let entry = by_investigation.entry(m.investigation_id.as_str()).or_default();
                *entry = entry.saturating_add(cents.unsigned_abs());
            }
            let total: u64 = by_investigation.values().fold(0, |a, b| a.saturating_add(*b));
            let largest = by_investigation.values().copied().max().unwrap_or(0);
            let contributors = by_investigation.len() as u64;
            let publish = contributors == 0
                || (contributors >= threshold
                    && u128::from(largest) * 100 <= u128::from(total) * u128::from(DOMINANCE_PERCENT));
            AmountFigure { code: (*code).to_owned(), euro: publish.then_some(total / 100), confidential: !publish }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(inv: &str, asset: &str, kind: &str, on: &str, amount: Option<i64>, value: i64) -> MeasureFacts {
        MeasureFacts {
            investigation_id: inv.into(),
            asset_id: asset.into(),
            kind: kind.into(),
            on: on.into(),
            amount_euro_cents: amount,
            asset_value_euro_cents: value,
        }
    }

    fn figure<'a>(f: &'a [AmountFigure], code: &str) -> &'a AmountFigure {
        f.iter().find(|x| x.code == code).unwrap()
    }

    #[test]
    fn art_7_dir_2011_36_amounts_count_each_asset_once_and_hide_few_or_dominated_contributions() {
        let measures = vec![
            m("i1", "a1", "seizure", "2026-02-01", None, 1_000_000),
            m("i1", "a1", "seizure", "2026-03-01", None, 1_000_000), // the same asset again
            m("i2", "a2", "seizure", "2026-04-01", Some(900_000), 1_500_000),
            m("i3", "a3", "seizure", "2026-05-01", None, 800_000),
            m("i3", "a4", "seizure", "2025-05-01", None, 99_900_000), // last year
            m("i1", "a1", "confiscation_order", "2026-06-01", Some(1_000_000), 1_000_000),
            m("i2", "a5", "freezing", "2026-01-01", None, 50_000_000),
            m("i3", "a6", "freezing", "2026-01-01", None, 100_000),
            m("i1", "a7", "freezing", "2026-01-01", None, 100_000),
        ];
        let f = amount_figures(2026, &measures, 3);
        // 10,000 + 9,000 + 8,000 euro from three investigations, none dominant
        assert_eq!(figure(&f, "ASSET_SEIZED").euro, Some(27_000));
        // one investigation only
        assert!(figure(&f, "ASSET_CONFISCATED").confidential);
        assert_eq!(figure(&f, "ASSET_CONFISCATED").euro, None);
        // three investigations, but one holds 99.6 % of it
        assert!(figure(&f, "ASSET_FROZEN").confidential);
        // nothing realised: known to be none
        assert_eq!(
            figure(&f, "ASSET_REALISED"),
            &AmountFigure { code: "ASSET_REALISED".into(), euro: Some(0), confidential: false }
        );
        // last year: the one asset seized then is the whole figure, hidden whatever the threshold
        let last = amount_figures(2025, &measures, 1);
        assert!(figure(&last, "ASSET_SEIZED").confidential);
        let mut two = measures.clone();
        two.push(m("i1", "a8", "seizure", "2025-07-01", None, 99_000_000));
        assert_eq!(figure(&amount_figures(2025, &two, 2), "ASSET_SEIZED").euro, Some(1_989_000));
    }
}
