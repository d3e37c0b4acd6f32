//! SDMX-CSV submissions: the import (any bytes), then for whatever it accepts the hub's
//! validation and aggregation, and the round trip out and in again, which must give the same
//! datasets. Never a panic.
#![no_main]

use haven_stats::hub::{aggregate, validate_submission};
use haven_stats::sdmx::{DATAFLOW, Expected, from_csv, from_csv_with_origins, to_csv_with_comment};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(subs) = from_csv_with_origins(data, &Expected::any()) else { return };
    for s in &subs {
        let _ = validate_submission(s, &s.dataset.country, s.dataset.year);
        let _ = validate_submission(s, "LV", 2025);
    }
    let datasets: Vec<_> = subs.into_iter().map(|s| s.dataset).collect();
    let countries: Vec<&str> = datasets.iter().map(|d| d.country.as_str()).collect();
    if let Some(d) = datasets.first() {
        let _ = aggregate(&datasets, &countries, d.year);
    }
    // the comment (COMMENT_DSET) is free text: any of the input's text, read back as nothing
    let comment: String = String::from_utf8_lossy(data).chars().take(1000).collect();
    let csv = to_csv_with_comment(&datasets, DATAFLOW, &comment).expect("export of an imported dataset");
    let again = from_csv(csv.as_bytes(), &Expected::any()).expect("re-import of an export");
    assert_eq!(again, datasets);
});
