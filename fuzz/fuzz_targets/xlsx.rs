//! Spreadsheet questionnaires: the import (any bytes, so zip and XML parsing included), then for
//! whatever it accepts the hub's validation and the round trip out and in again, which must give
//! the same dataset. The input's first byte chooses between the bytes as they are and a valid
//! questionnaire with the bytes written into its cells, so that the reader's checks are reached
//! too. Never a panic.
#![no_main]

use haven_stats::hub::{dataset_from_tables, validate_submission};
use haven_stats::national;
use haven_stats::sdmx::{DATAFLOW, Expected};
use haven_stats::xlsx::{from_xlsx, from_xlsx_with_origins, to_xlsx};
use libfuzzer_sys::fuzz_target;

/// A questionnaire whose cells are strings taken from the input.
fn questionnaire(data: &[u8]) -> Option<Vec<u8>> {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{1f}');
    let citizens: Vec<String> =
        parts.next()?.split(',').map(str::to_owned).filter(|c| !c.is_empty()).take(20).collect();
    let specs = national::national_tables(&citizens, data.len() % 2 == 0);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let meta = wb.add_worksheet();
    meta.set_name("metadata").ok()?;
    for (r, (k, v)) in [("country", "LV"), ("year", "2025"), ("dataflow", DATAFLOW)].into_iter().enumerate() {
        meta.write_string(r as u32, 0, k).ok()?;
        meta.write_string(r as u32, 1, parts.next().unwrap_or(v)).ok()?;
    }
    for spec in &specs {
        let ws = wb.add_worksheet();
        ws.set_name(&spec.id).ok()?;
        let (rd, cd) = (&spec.dims[0], &spec.dims[1]);
        for p in 0..cd.positions() {
            ws.write_string(3, 1 + p as u16, cd.code_at(p)).ok()?;
        }
        for r in 0..rd.positions() {
            ws.write_string(4 + r as u32, 0, rd.code_at(r)).ok()?;
            for p in 0..cd.positions() {
                let cell = parts.next().unwrap_or("0");
                if let Ok(n) = cell.parse::<f64>() {
                    ws.write_number(4 + r as u32, 1 + p as u16, n).ok()?;
                } else {
                    ws.write_string(4 + r as u32, 1 + p as u16, cell).ok()?;
                }
            }
        }
    }
    wb.save_to_buffer().ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else { return };
    let built;
    let bytes: &[u8] = if first % 4 == 0 {
        match questionnaire(rest) {
            Some(b) => {
                built = b;
                &built
            }
            None => return,
        }
    } else {
        rest
    };
    let Ok(sub) = from_xlsx_with_origins(bytes, &Expected::any()) else { return };
    let _ = validate_submission(&sub, "LV", 2025);
    let d = sub.dataset;
    let book = to_xlsx(&d, DATAFLOW, "").expect("export of an imported dataset");
    let mut again = from_xlsx(&book, &Expected::any()).expect("re-import of an export");
    // the citizenship columns are written sorted, whatever order the file had
    let mut d = d;
    d.observations.sort_by(|a, b| a.key.cmp(&b.key));
    again.observations.sort_by(|a, b| a.key.cmp(&b.key));
    assert_eq!(again, d);
    let _ = dataset_from_tables(&d.country, d.year, &[], None);
});
