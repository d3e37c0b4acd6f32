//! The HTCDS exchange as a spreadsheet (docs/htcds.md): the standard's v2.0 Excel templates read as they
//! are, with calamine, and cases written in the templates' layout, with rust_xlsxwriter.
//!
//! The sheet `Case Sheet` has the field names in a hidden first row, the standard's labels in the second, the
//! row numbers in column A and one case per row from the third row on (one more row per further event, with
//! only its `hte_` cells). Haven's own fields are on a second sheet, `Haven`, one row per case, keyed by the
//! case's row on the first sheet.

use calamine::{Data, Reader, Xlsx};
use haven_domain::ParseError;
use haven_domain::ident::htcds::{self, HtcdsCase, Located, TableRow, TableSource};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// The case sheet, named as in the standard's validated templates.
pub const CASE_SHEET: &str = "Case Sheet";
/// The sheet of Haven's own fields.
pub const HAVEN_SHEET: &str = "Haven";
/// The first column of the Haven sheet: the case's row on the case sheet.
pub const CASE_ROW_COLUMN: &str = "case_sheet_row";
/// Largest total size of the unpacked parts of a file (bytes).
const MAX_UNPACKED_BYTES: u64 = 64 << 20;
/// Most parts (zip entries) in a file.
const MAX_PARTS: usize = 500;
/// Most rows read from a sheet.
const MAX_ROWS: usize = 20_000;

fn file_error(message: impl Into<String>) -> Vec<ParseError> {
    vec![ParseError::new("file", message)]
}

/// Checks the package before the reader unpacks anything: its parts and their real unpacked size.
fn check_package(bytes: &[u8]) -> Result<(), Vec<ParseError>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| file_error(format!("not an XLSX file (not a zip package): {e}")))?;
    if zip.len() > MAX_PARTS {
        return Err(file_error(format!("{} parts in the package, more than the {MAX_PARTS} accepted", zip.len())));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| file_error(format!("unreadable part {i} of the package: {e}")))?;
        let budget = MAX_UNPACKED_BYTES - total;
        match std::io::copy(&mut (&mut part).take(budget + 1), &mut std::io::sink()) {
            Ok(n) if n <= budget => total += n,
            Ok(_) => return Err(file_error(format!("the package unpacks to more than {MAX_UNPACKED_BYTES} bytes"))),
            Err(e) => return Err(file_error(format!("unreadable part {i} of the package: {e}"))),
        }
    }
    Ok(())
}

/// A cell as text: numbers without a trailing `.0`, dates as the sheet's serial day number (read as dates
/// where the field is one), booleans as `true` or `false`.
fn cell_text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => format!("{}", d.as_f64()),
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(format!("the cell holds the error {e}")),
    })
}

/// A sheet's rows, numbered as the sheet numbers them (from 1), each padded to start at column A.
fn sheet_rows(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str, errors: &mut Vec<ParseError>) -> Vec<TableRow> {
    let range = match wb.worksheet_range(name) {
        Ok(range) => range,
        Err(e) => {
            errors.push(ParseError::new(format!("sheet {name}"), format!("unreadable sheet: {e}")));
            return Vec::new();
        }
    };
    let Some((first_row, first_column)) = range.start() else { return Vec::new() };
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate().take(MAX_ROWS) {
        let number = first_row as usize + i + 1;
        let mut cells = vec![String::new(); first_column as usize];
        for (j, cell) in row.iter().enumerate() {
            match cell_text(cell) {
                Ok(text) => cells.push(text),
                Err(message) => {
                    let column = htcds::column_letters(first_column as usize + j);
                    errors.push(ParseError::new(format!("row {number}, {column}{number}"), message));
                    cells.push(String::new());
                }
            }
        }
        rows.push(TableRow { number, cells });
    }
    if range.rows().count() > MAX_ROWS {
        errors.push(ParseError::new(format!("sheet {name}"), format!("more than {MAX_ROWS} rows")));
    }
    rows
}

/// Reads a spreadsheet: the official v2.0 templates as they are (plain, single- and multi-select), or
/// Haven's own export. The case sheet is `Case Sheet` or, failing that, the first sheet; the `Haven` sheet,
/// where there is one, gives Haven's own fields back. Every error is reported.
pub fn read(bytes: &[u8]) -> Result<Vec<Located<HtcdsCase>>, Vec<ParseError>> {
    check_package(bytes)?;
    let mut wb: Xlsx<Cursor<&[u8]>> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| file_error(format!("not a readable XLSX workbook: {e}")))?;
    let names = wb.sheet_names();
    let Some(case_sheet) = names.iter().find(|n| *n == CASE_SHEET).or(names.first()).cloned() else {
        return Err(file_error("the workbook has no sheet"));
    };
    let mut errors = Vec::new();
    let mut rows = sheet_rows(&mut wb, &case_sheet, &mut errors);
    if names.iter().any(|n| n == HAVEN_SHEET) {
        let haven = sheet_rows(&mut wb, HAVEN_SHEET, &mut errors);
        merge_haven_sheet(&mut rows, &haven, &mut errors);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    htcds::read_table(&rows, TableSource::Sheet)
}

/// Appends the Haven sheet's columns to the case sheet: its header to the first row (the field names),
/// each row's cells to the case row it names.
fn merge_haven_sheet(rows: &mut [TableRow], haven: &[TableRow], errors: &mut Vec<ParseError>) {
    let Some((header, data)) = haven.split_first() else { return };
    if header.cells.first().map(String::as_str) != Some(CASE_ROW_COLUMN) {
        errors.push(ParseError::new(format!("sheet {HAVEN_SHEET}, A1"), format!("expected {CASE_ROW_COLUMN}")));
        return;
    }
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let extra = &header.cells[1..];
    let by_row: BTreeMap<usize, &TableRow> =
        data.iter().filter_map(|r| r.cells.first()?.trim().parse::<usize>().ok().map(|n| (n, r))).collect();
    for row in data {
        let named = row.cells.first().map_or("", |c| c.trim());
        if !named.is_empty() && !rows.iter().any(|r| named.parse::<usize>().is_ok_and(|n| n == r.number)) {
            errors.push(ParseError::new(
                format!("sheet {HAVEN_SHEET}, row {}", row.number),
                format!("names case sheet row {named:?}, which is not there"),
            ));
        }
    }
    for (i, row) in rows.iter_mut().enumerate() {
        row.cells.resize(width, String::new());
        if i == 0 {
            row.cells.extend(extra.iter().cloned());
        } else if let Some(haven_row) = by_row.get(&row.number) {
            let mut cells: Vec<String> = haven_row.cells.iter().skip(1).cloned().collect();
            cells.resize(extra.len(), String::new());
            row.cells.extend(cells);
        } else {
            row.cells.extend(std::iter::repeat_n(String::new(), extra.len()));
        }
    }
}

/// The cases in the template's layout: `Case Sheet` (field names in a hidden first row, labels in the
/// second, row numbers in column A) and Haven's own fields on the `Haven` sheet. The file carries no time
/// of writing, so the same cases give the same bytes.
pub fn write(cases: &[HtcdsCase]) -> Result<Vec<u8>, XlsxError> {
    let (header, rows, starts) = htcds::to_table(cases);
    let split = header.iter().position(|h| h.starts_with("x_haven_")).unwrap_or(header.len());
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?));
    let bold = Format::new().set_bold();

    let sheet = wb.add_worksheet();
    sheet.set_name(CASE_SHEET)?;
    for (j, name) in header[..split].iter().enumerate() {
        let column = u16::try_from(j + 1).map_err(|_| XlsxError::ParameterError("too many columns".into()))?;
        sheet.write_string(0, column, name)?;
        let label = htcds::standard_field(name).map_or(name.as_str(), |f| f.label.as_str());
        sheet.write_string_with_format(1, column, label, &bold)?;
        sheet.set_column_width(column, 20)?;
    }
    sheet.set_row_hidden(0)?;
    for (i, row) in rows.iter().enumerate() {
        let r = u32::try_from(i + 2).map_err(|_| XlsxError::ParameterError("too many rows".into()))?;
        sheet.write_number(r, 0, f64::from(r - 1))?;
        for (j, cell) in row[..split].iter().enumerate() {
            if !cell.is_empty() {
                let column = u16::try_from(j + 1).map_err(|_| XlsxError::ParameterError("too many columns".into()))?;
                sheet.write_string(r, column, cell)?;
            }
        }
    }

    let haven = wb.add_worksheet();
    haven.set_name(HAVEN_SHEET)?;
    haven.write_string_with_format(0, 0, CASE_ROW_COLUMN, &bold)?;
    for (j, name) in header[split..].iter().enumerate() {
        let column = u16::try_from(j + 1).map_err(|_| XlsxError::ParameterError("too many columns".into()))?;
        haven.write_string_with_format(0, column, name, &bold)?;
    }
    for (k, start) in starts.iter().enumerate() {
        let r = u32::try_from(k + 1).map_err(|_| XlsxError::ParameterError("too many rows".into()))?;
        let case_row = u32::try_from(start + 3).map_err(|_| XlsxError::ParameterError("too many rows".into()))?;
        haven.write_number(r, 0, f64::from(case_row))?;
        for (j, cell) in rows[*start][split..].iter().enumerate() {
            if !cell.is_empty() {
                let column = u16::try_from(j + 1).map_err(|_| XlsxError::ParameterError("too many columns".into()))?;
                haven.write_string(r, column, cell)?;
            }
        }
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use haven_domain::ident::forms::FormCatalogue;
    use haven_domain::ident::htcds::{CaseMeta, DecisionMakingOrg, ExploitationType, TraffickingStatus};
    use haven_domain::ident::record::Registration;

    const PLAIN: &[u8] = include_bytes!("../tests/data/htcds/template-plain.xlsx");
    const PLAIN_FILLED: &[u8] = include_bytes!("../tests/data/htcds/template-plain-filled.xlsx");
    const SINGLE_FILLED: &[u8] = include_bytes!("../tests/data/htcds/template-single-select-filled.xlsx");
    const MULTI_FILLED: &[u8] = include_bytes!("../tests/data/htcds/template-multi-select-filled.xlsm");

    fn import(bytes: &[u8]) -> Vec<Registration> {
        let cases = read(bytes).unwrap_or_else(|e| panic!("{e:?}"));
        let catalogue = FormCatalogue::embedded().unwrap();
        htcds::import_all(&cases)
            .unwrap_or_else(|e| panic!("{e:?}"))
            .into_iter()
            .map(|r| r.normalise(catalogue).unwrap())
            .collect()
    }

    fn exported(regs: &[Registration]) -> Vec<HtcdsCase> {
        regs.iter().map(|r| htcds::to_htcds(r, &CaseMeta::default())).collect()
    }

    #[test]
    fn the_empty_official_template_holds_no_case() {
        assert_eq!(read(PLAIN).unwrap(), vec![]);
    }

    #[test]
    fn the_official_templates_filled_in_their_own_vocabulary_import_with_no_edits() {
        for (name, bytes) in [("plain", PLAIN_FILLED), ("single select", SINGLE_FILLED), ("multi select", MULTI_FILLED)]
        {
            let regs = import(bytes);
            assert_eq!(regs.len(), 5, "{name}");
            let ada = &regs[0];
            assert_eq!(ada.person.given_names, "Ada", "{name}");
            assert_eq!(ada.person.citizenships[0].as_str(), "NG", "{name}");
            assert_eq!(ada.person.date_of_birth.unwrap().to_string(), "2001-01-01", "{name}");
            let imported = ada.imported.as_ref().unwrap();
            assert_eq!(imported.trafficking_status, Some(TraffickingStatus::Actual), "{name}");
            assert_eq!(imported.decision_making_org, Some(DecisionMakingOrg::Ngo), "{name}");
            assert_eq!(imported.consent, Some(true), "{name}");
            assert_eq!(imported.case_owner.as_deref(), Some("m.popescu"), "{name}");
            assert_eq!(imported.remainder["prs_MailingStreet"], "1 Example Street", "{name}");
            assert_eq!(imported.remainder["prs_MailingCountry"], "LV", "{name}");
            assert_eq!(imported.remainder["cas_IncomingReferralDate"], "2024-01-09", "{name}");
            assert_eq!(imported.remainder["cas_ReasonForIncomingReferral"], "AdditionalServicesRequired", "{name}");
            assert_eq!(regs[1].imported.as_ref().unwrap().remainder["cas_Status"], "FollowUp", "{name}");
            assert_eq!(regs[1].imported.as_ref().unwrap().remainder["vic_TypeOfSexExploitation"], "Prostitution");
            let olena = exported(&regs[2..3]).remove(0);
            assert_eq!(olena.vic_type_of_exploitation[0], ExploitationType::ChildLabour, "{name}");
            let samir = exported(&regs[3..4]).remove(0);
            assert_eq!(
                samir.vic_type_of_exploitation,
                vec![ExploitationType::ForcedMilitaryByNonStateActors],
                "{name}"
            );
            assert_eq!(
                regs[4].imported.as_ref().unwrap().remainder["cas_ReasonForOutgoingReferral"],
                "MigrationOrChangeOfLocation",
                "{name}: the template's column without a field name is read by its label"
            );
        }
        // The multi-select template's cells hold what the plain one's do, with labels and country names.
        assert_eq!(exported(&import(MULTI_FILLED)), exported(&import(PLAIN_FILLED)));
    }

    #[test]
    fn the_official_template_round_trips_through_haven_and_the_export_opens_in_its_layout() {
        let docs = exported(&import(MULTI_FILLED));
        let bytes = write(&docs).unwrap();
        let again = exported(&import(&bytes));
        assert_eq!(again, docs, "template → Haven → template → Haven → template");

        let mut wb: Xlsx<Cursor<&[u8]>> = calamine::open_workbook_from_rs(Cursor::new(bytes.as_slice())).unwrap();
        assert_eq!(wb.sheet_names(), vec![CASE_SHEET.to_owned(), HAVEN_SHEET.to_owned()]);
        let range = wb.worksheet_range(CASE_SHEET).unwrap();
        let template = htcds::TEMPLATE_CSV.lines().skip(1).count();
        let names: Vec<String> = (1..=template).map(|c| cell_text(range.get((0, c)).unwrap()).unwrap()).collect();
        let labels: Vec<String> = (1..=template).map(|c| cell_text(range.get((1, c)).unwrap()).unwrap()).collect();
        assert_eq!(names[0], "cas_CaseOwner");
        assert_eq!(labels[0], "Case Owner");
        assert_eq!(
            labels[12..17],
            ["Mailing Street", "Mailing City", "Mailing State/Province", "Mailing Zip/Postal Code", "Mailing Country"]
        );
        assert_eq!(names[34], "cas_ReasonForOutgoingReferral");
        assert_eq!(labels[37], "Reason for Case Closure");
        assert_eq!(cell_text(range.get((2, 0)).unwrap()).unwrap(), "1", "row numbers in column A");
        assert_eq!(cell_text(range.get((2, 3)).unwrap()).unwrap(), "Ada");
    }

    #[test]
    fn a_broken_workbook_is_refused_naming_the_file() {
        assert_eq!(read(b"not a zip").unwrap_err()[0].field, "file");
    }
}
