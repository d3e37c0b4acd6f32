//! docs/eurostat-mapping.md maps every code of every concept to Eurostat's trafficking data
//! collection: every Haven code has its row, and no row names a code Haven does not have.

use haven_stats::codes;
use haven_stats::model::{Concept, Indicator, TOTAL};
use std::collections::BTreeSet;

const MAPPING: &str = include_str!("../../../../docs/eurostat-mapping.md");

/// The `(concept, code)` pairs of the mapping table: rows whose first two cells are in backticks.
fn rows() -> BTreeSet<(String, String)> {
    let tick = |s: &str| s.trim().strip_prefix('`').and_then(|s| s.strip_suffix('`')).map(str::to_owned);
    MAPPING
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.strip_prefix('|')?.split('|').collect();
            if cells.len() < 4 {
                return None;
            }
            Some((tick(cells[0])?, tick(cells[1]).unwrap_or_else(|| cells[1].trim().to_owned())))
        })
        .collect()
}

/// Every code Haven writes, by concept (`INDICATOR` for the indicators; countries of
/// citizenship as the one row "country code").
fn haven_codes() -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for i in Indicator::ALL {
        out.insert(("INDICATOR".to_owned(), i.code().to_owned()));
    }
    for c in Concept::ALL {
        let list: Vec<&str> = match c {
            Concept::Citizen => vec!["country code", "UNK"],
            Concept::Exploit => codes::EXPLOIT.iter().chain(codes::EXPLOIT_OTHER).copied().collect(),
            other => codes::codes(other).unwrap_or_default().to_vec(),
        };
        for code in list.into_iter().chain([TOTAL]) {
            out.insert((c.id().to_owned(), code.to_owned()));
        }
    }
    out
}

#[test]
fn every_haven_code_of_every_concept_is_mapped_to_eurostat_and_nothing_else_is() {
    let (doc, haven) = (rows(), haven_codes());
    let missing: Vec<_> = haven.difference(&doc).collect();
    assert!(missing.is_empty(), "docs/eurostat-mapping.md has no row for {missing:?}");
    let stale: Vec<_> = doc.difference(&haven).collect();
    assert!(stale.is_empty(), "docs/eurostat-mapping.md maps codes Haven does not have: {stale:?}");
}

#[test]
fn greece_is_el_and_the_united_kingdom_uk_in_the_mapping_as_in_the_code() {
    for (iso, eurostat) in codes::ISO_TO_EUROSTAT {
        assert_eq!(codes::to_eurostat(iso), *eurostat);
        assert!(MAPPING.contains(&format!("`{eurostat}`")), "the mapping does not name {eurostat}");
    }
    assert!(MAPPING.contains("`EL` for Greece"));
    assert!(codes::EU_MEMBERS.contains(&"EL") && !codes::EU_MEMBERS.contains(&"GR"));
}
