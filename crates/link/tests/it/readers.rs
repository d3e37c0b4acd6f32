use std::collections::BTreeMap;

use haven_link::LinkError;
use haven_link::io::{ReadOptions, parse_mapping, read_csv, read_jsonl};
use proptest::prelude::*;

use crate::person_settings;

fn opts(skip: bool) -> ReadOptions {
    let mut o = ReadOptions::new(&person_settings("dedupe"), "test.csv", 0, &BTreeMap::new());
    o.skip_bad_rows = skip;
    o
}

const HEADER: &str = "id,given_name,surname,maiden_name,dob,town\n";

#[test]
fn reads_csv_and_joins_alternative_surnames() {
    let csv = format!("{HEADER}1,Anna,Kowalska,Nowak,1990-01-02,Kraków\n2,Jan,Nowak,,1985-05-05,\n");
    let (recs, stats) = read_csv(csv.as_bytes(), &opts(false)).unwrap();
    assert_eq!(stats.rows, 2);
    assert_eq!(recs[0].values[1].as_deref(), Some("Kowalska|Nowak"));
    assert_eq!(recs[1].values[3], None);
    assert_eq!(recs[1].line, 3);
}

#[test]
fn csv_errors_name_the_line() {
    let csv = format!("{HEADER}1,Anna,K,,1990-01-02,X\n2,Jan,Nowak,1985-05-05\n");
    match read_csv(csv.as_bytes(), &opts(false)) {
        Err(LinkError::BadRow { line, message, .. }) => {
            assert_eq!(line, 3);
            assert!(message.contains("fields"), "{message}");
        }
        other => panic!("expected a bad row, got {other:?}"),
    }
}

#[test]
fn invalid_utf8_is_an_error_with_line_or_is_skipped_and_counted() {
    let mut bytes = format!("{HEADER}1,Anna,K,,1990-01-02,X\n").into_bytes();
    bytes.extend_from_slice(b"2,J\xffn,Nowak,,1985-05-05,Y\n3,Ola,Lis,,1999-09-09,Z\n");
    // undeclared, such input is taken for another encoding (see below); declared UTF-8, its rows
    // are checked one by one
    let opts = |skip| {
        let mut o = opts(skip);
        o.encoding = Some(encoding_rs::UTF_8);
        o
    };
    match read_csv(bytes.as_slice(), &opts(false)) {
        Err(LinkError::BadRow { line, message, .. }) => {
            assert_eq!(line, 3);
            assert!(message.contains("UTF-8"));
        }
        other => panic!("expected a bad row, got {other:?}"),
    }
    let (recs, stats) = read_csv(bytes.as_slice(), &opts(true)).unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(stats.skipped, 1);
    assert_eq!(stats.skipped_examples[0].0, 3);
}

#[test]
fn empty_and_repeated_identifiers_are_rejected() {
    let csv = format!("{HEADER}1,Anna,K,,1990-01-02,X\n,Jan,Nowak,,1985-05-05,Y\n1,Ola,Lis,,1999-09-09,Z\n");
    let (recs, stats) = read_csv(csv.as_bytes(), &opts(true)).unwrap();
    assert_eq!(recs.len(), 1);
    assert_eq!(stats.skipped, 2);
    assert!(stats.skipped_examples[1].1.contains("already used on line 2"));
}

#[test]
fn missing_column_is_named() {
    let csv = "id,given_name\n1,Anna\n";
    match read_csv(csv.as_bytes(), &opts(false)) {
        Err(LinkError::MissingColumn { column, .. }) => assert_eq!(column, "surname"),
        other => panic!("expected a missing column, got {other:?}"),
    }
}

#[test]
fn reads_json_lines_with_numbers_and_nulls() {
    let jsonl = r#"{"id": 1, "given_name": "Anna", "surname": "Kowalska", "maiden_name": null, "dob": "1990-01-02", "town": "Kraków"}

{"id": "2", "given_name": "Jan", "surname": "Nowak", "maiden_name": "", "dob": null, "town": "Łódź"}
{"id": "3", "given_name": ["x"], "surname": "Nowak", "maiden_name": "", "dob": null, "town": "Łódź"}
not json
"#;
    let (recs, stats) = read_jsonl(jsonl.as_bytes(), &opts(true)).unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].id, "1");
    assert_eq!(recs[1].values[2], None);
    assert_eq!(stats.skipped, 2);
    assert_eq!(stats.skipped_examples[0].0, 4);
    assert_eq!(stats.skipped_examples[1].0, 5);
    match read_jsonl(jsonl.as_bytes(), &opts(false)) {
        Err(LinkError::BadRow { line: 4, .. }) => {}
        other => panic!("expected a bad row on line 4, got {other:?}"),
    }
}

#[test]
fn absurd_values_fail_with_line_or_become_missing() {
    use haven_link::data::{BadValues, Dataset};
    let csv = format!("{HEADER}1,Anna,K,,1990-02-31,X\n");
    let (recs, _) = read_csv(csv.as_bytes(), &opts(false)).unwrap();
    match Dataset::prepare(&person_settings("dedupe"), recs.clone(), BadValues::Fail) {
        Err(LinkError::BadRow { line: 2, message, .. }) => assert!(message.contains("dob"), "{message}"),
        other => panic!("expected a bad value, got {:?}", other.map(|d| d.len())),
    }
    let d = Dataset::prepare(&person_settings("dedupe"), recs, BadValues::TreatAsMissing).unwrap();
    assert_eq!(d.bad_values, 1);
    assert!(d.value(2, 0).is_none());
}

#[test]
fn mapping_parses_and_rejects_garbage() {
    let m = parse_mapping(&["surname=last,maiden".to_string()]).unwrap();
    assert_eq!(m["surname"], vec!["last", "maiden"]);
    assert!(parse_mapping(&["surname".to_string()]).is_err());
    assert!(parse_mapping(&["=x".to_string()]).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn csv_reader_never_panics(body in proptest::collection::vec(any::<u8>(), 0..400), skip in any::<bool>()) {
        let mut input = HEADER.as_bytes().to_vec();
        input.extend(body);
        let _ = read_csv(input.as_slice(), &opts(skip));
    }

    #[test]
    fn jsonl_reader_never_panics(body in "\\PC{0,300}", skip in any::<bool>()) {
        let _ = read_jsonl(body.as_bytes(), &opts(skip));
    }

    #[test]
    fn model_toml_never_panics(body in "\\PC{0,300}") {
        let _ = haven_link::LinkageModel::from_toml(&body);
        let _ = haven_link::clk::ClkSchema::from_toml(&body);
    }

    #[test]
    fn readers_never_panic_on_any_bytes_delimiter_and_encoding(
        body in proptest::collection::vec(any::<u8>(), 0..400),
        delimiter in proptest::option::of(proptest::sample::select(vec![b',', b';', b'\t', b'|'])),
        encoding in proptest::sample::select(vec!["", "utf-8", "windows-1257", "windows-1251", "iso-8859-2", "latin1", "utf-16le", "shift_jis"]),
        packed in any::<bool>(),
        skip in any::<bool>(),
    ) {
        let mut o = opts(skip);
        o.delimiter = delimiter;
        o.encoding = haven_link::io::parse_encoding(encoding).ok();
        let input = if packed { gzip(&body) } else { body.clone() };
        let _ = read_csv(input.as_slice(), &o);
        let _ = read_jsonl(input.as_slice(), &o);
        let _ = haven_link::io::read_csv_bytes(input.as_slice(), &o);
        // a header that fits, then the bytes
        let mut with_header = HEADER.replace(',', &char::from(delimiter.unwrap_or(b',')).to_string()).into_bytes();
        with_header.extend(&body);
        let _ = read_csv(with_header.as_slice(), &o);
    }

    #[test]
    fn mapping_never_panics(items in proptest::collection::vec("\\PC{0,30}", 0..5)) {
        let _ = parse_mapping(&items);
    }
}

// --- inputs as data officers have them: delimiters, encodings, gzip -------------------------------

fn opts_with(delimiter: Option<u8>, encoding: Option<&'static encoding_rs::Encoding>) -> ReadOptions {
    let mut o = opts(false);
    o.delimiter = delimiter;
    o.encoding = encoding;
    o
}

/// Baltic names, as a spreadsheet exports them: semicolons, quoted values with a semicolon inside.
const BALTIC: &str = "id;given_name;surname;maiden_name;dob;town\r\n\
1;Jānis;Bērziņš;;1990-01-02;Rēzekne\r\n\
2;Žaneta;Ķēniņa;\"Šņore; Ūdre\";07.03.1985;Daugavpils\r\n\
3;Šarūnas;Žemaitis;;1979-11-30;Šiauliai\r\n\
4;Ąžuolas;Čepulionis;;1988;Kėdainiai\r\n\
5;Gintarė;Jūraitė;Vaitkevičiūtė;2001-05-17;Klaipėda\r\n\
6;Līga;Ozoliņa;;1969-08-08;Jēkabpils\r\n";

fn encode(text: &str, encoding: &'static encoding_rs::Encoding) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{text} does not fit in {}", encoding.name());
    bytes.into_owned()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(data).unwrap();
    z.finish().unwrap()
}

fn assert_baltic(recs: &[haven_link::data::RawRecord]) {
    assert_eq!(recs.len(), 6);
    assert_eq!(recs[0].values[0].as_deref(), Some("Jānis"));
    assert_eq!(recs[0].values[1].as_deref(), Some("Bērziņš"));
    assert_eq!(recs[1].values[1].as_deref(), Some("Ķēniņa|Šņore; Ūdre"));
    assert_eq!(recs[3].values[0].as_deref(), Some("Ąžuolas"));
    assert_eq!(recs[4].values[1].as_deref(), Some("Jūraitė|Vaitkevičiūtė"));
    assert_eq!(recs[4].values[3].as_deref(), Some("Klaipėda"));
    assert_eq!(recs[5].line, 7);
}

#[test]
fn semicolon_windows_1257_declared_reads_baltic_names() {
    let bytes = encode(BALTIC, encoding_rs::WINDOWS_1257);
    let (recs, stats) = read_csv(bytes.as_slice(), &opts_with(None, Some(encoding_rs::WINDOWS_1257))).unwrap();
    assert_baltic(&recs);
    assert!(stats.notes.iter().any(|n| n.contains("delimiter \";\"")), "{:?}", stats.notes);
    // declared delimiter, same result, nothing to say
    let (recs, stats) = read_csv(bytes.as_slice(), &opts_with(Some(b';'), Some(encoding_rs::WINDOWS_1257))).unwrap();
    assert_baltic(&recs);
    assert!(stats.notes.is_empty(), "{:?}", stats.notes);
}

#[test]
fn a_utf8_file_is_read_as_utf8_whatever_the_declared_encoding() {
    for enc in [encoding_rs::WINDOWS_1257, encoding_rs::WINDOWS_1251, encoding_rs::ISO_8859_2] {
        let (recs, stats) = read_csv(BALTIC.as_bytes(), &opts_with(None, Some(enc))).unwrap();
        assert_baltic(&recs);
        assert!(stats.notes.iter().any(|n| n.contains("read as UTF-8, not as the declared")), "{:?}", stats.notes);
    }
    // pure ASCII is the same in all of them: nothing to say
    let (_, stats) = read_csv(HEADER.as_bytes(), &opts_with(Some(b','), Some(encoding_rs::WINDOWS_1257))).unwrap();
    assert!(stats.notes.is_empty(), "{:?}", stats.notes);
}

#[test]
fn windows_1257_undeclared_is_guessed_and_said() {
    let bytes = encode(BALTIC, encoding_rs::WINDOWS_1257);
    let (recs, stats) = read_csv(bytes.as_slice(), &opts_with(None, None)).unwrap();
    assert_baltic(&recs);
    let note = stats.notes.iter().find(|n| n.contains("not valid UTF-8")).unwrap();
    assert!(note.contains("line 2") && note.contains("guessed") && note.contains("--encoding"), "{note}");
}

#[test]
fn windows_1251_cyrillic_declared_or_guessed() {
    let text = "id,given_name,surname,maiden_name,dob,town\n\
1,Юлия,Шевченко,,1990-03-07,Харків\n\
2,Олександр,Коваленко,,1985-12-01,Київ\n\
3,Наталья,Иванова,Петрова,1977-02-14,Москва\n\
4,Дмитрий,Соколов,,1992,Новосибирск\n";
    let bytes = encode(text, encoding_rs::WINDOWS_1251);
    for enc in [Some(encoding_rs::WINDOWS_1251), None] {
        let (recs, stats) = read_csv(bytes.as_slice(), &opts_with(None, enc)).unwrap();
        assert_eq!(recs.len(), 4);
        assert_eq!(recs[0].values[0].as_deref(), Some("Юлия"));
        assert_eq!(recs[2].values[1].as_deref(), Some("Иванова|Петрова"));
        assert_eq!(recs[1].values[3].as_deref(), Some("Київ"));
        assert_eq!(enc.is_none(), stats.notes.iter().any(|n| n.contains("windows-1251")), "{:?}", stats.notes);
    }
}

#[test]
fn iso_8859_2_and_latin1_declared() {
    let text = "id|given_name|surname|maiden_name|dob|town\n1|Łukasz|Wójcik|Żółć|1990-01-02|Łódź\n2|Jiří|Dvořák||1980-02-03|Brno\n";
    let bytes = encode(text, encoding_rs::ISO_8859_2);
    let (recs, _) = read_csv(bytes.as_slice(), &opts_with(None, Some(encoding_rs::ISO_8859_2))).unwrap();
    assert_eq!(recs[0].values[1].as_deref(), Some("Wójcik|Żółć"));
    assert_eq!(recs[1].values[1].as_deref(), Some("Dvořák"));
    let latin1 = haven_link::io::parse_encoding("latin1").unwrap();
    let bytes = encode("id\tgiven_name\tsurname\tmaiden_name\tdob\ttown\n1\tJosé\tMüller\t\t1990\tSão Paulo\n", latin1);
    let (recs, _) = read_csv(bytes.as_slice(), &opts_with(Some(b'\t'), Some(latin1))).unwrap();
    assert_eq!(recs[0].values[3].as_deref(), Some("São Paulo"));
}

#[test]
fn undecodable_byte_names_its_line_and_offset() {
    // 0xA1 is not a character of windows-1257
    let mut bytes = encode(BALTIC, encoding_rs::WINDOWS_1257);
    let offset = bytes.len() + 4;
    bytes.extend_from_slice(b"7;In\xa1se;K;;1990-03-07;Y\r\n");
    match read_csv(bytes.as_slice(), &opts_with(None, Some(encoding_rs::WINDOWS_1257))) {
        Err(LinkError::BadRow { line, message, .. }) => {
            assert_eq!(line, 8);
            assert!(message.contains("0xA1") && message.contains(&format!("offset {offset}")), "{message}");
            assert!(message.contains("windows-1257") && message.contains("--encoding"), "{message}");
        }
        other => panic!("expected an undecodable byte, got {other:?}"),
    }
    // 0x98 is undefined in windows-1251: it decodes to a control character, which no name holds
    let mut bytes = encode(
        "id,given_name,surname,maiden_name,dob,town\n1,Юлия,Шевченко,,1990-03-07,X\n",
        encoding_rs::WINDOWS_1251,
    );
    bytes.extend_from_slice(b"2,Ol\x98a,K,,1990-03-07,Y\n");
    match read_csv(bytes.as_slice(), &opts_with(None, Some(encoding_rs::WINDOWS_1251))) {
        Err(LinkError::BadRow { line: 3, message, .. }) => {
            assert!(message.contains("U+0098") && message.contains("windows-1251"), "{message}")
        }
        other => panic!("expected a control character, got {other:?}"),
    }
}

#[test]
fn utf16_with_a_byte_order_mark_is_read_as_it_says() {
    // a spreadsheet's "Unicode text": UTF-16LE with a byte order mark, tab-separated
    let text = "id\tgiven_name\tsurname\tmaiden_name\tdob\ttown\r\n1\tGintarė\tJūraitė\t\t2001-05-17\tKlaipėda\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    for enc in [None, Some(encoding_rs::WINDOWS_1257)] {
        let (recs, stats) = read_csv(bytes.as_slice(), &opts_with(None, enc)).unwrap();
        assert_eq!(recs[0].values[1].as_deref(), Some("Jūraitė"));
        assert_eq!(recs[0].values[3].as_deref(), Some("Klaipėda"));
        assert!(stats.notes.iter().any(|n| n.contains("delimiter tab")), "{:?}", stats.notes);
        assert_eq!(enc.is_some(), stats.notes.iter().any(|n| n.contains("byte order mark")), "{:?}", stats.notes);
    }
}

#[test]
fn lines_are_counted_through_crlf_and_empty_lines() {
    let text = "id,given_name,surname,maiden_name,dob,town\r\n1,A,B,,1990,X\r\n\r\n\r\n2,C,D,,1990,Y\r\n3,E,F\r\n";
    for input in [text.to_string(), text.replace("\r\n", "\n")] {
        let (recs, stats) = read_csv(input.as_bytes(), &opts(true)).unwrap();
        assert_eq!(recs.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 5], "{input:?}");
        assert_eq!(stats.skipped_examples[0].0, 6, "{input:?}");
        let (recs, _) = haven_link::io::read_csv_bytes(input.as_bytes(), &opts(true)).unwrap();
        assert_eq!(recs.into_records().iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 5]);
    }
}

#[test]
fn mostly_utf8_input_keeps_utf8_and_rejects_the_damaged_row() {
    let mut bytes =
        "id,given_name,surname,maiden_name,dob,town\n1,Jānis,Bērziņš,,1990-01-02,Rīga\n".as_bytes().to_vec();
    bytes.extend_from_slice(b"2,J\xe2nis,B,,1990-01-02,R\n3,L\xc4\xabga,O,,1969-08-08,J\n");
    match read_csv(bytes.as_slice(), &opts_with(None, None)) {
        Err(LinkError::BadRow { line: 3, message, .. }) => assert!(message.contains("UTF-8"), "{message}"),
        other => panic!("expected row 3 rejected, got {other:?}"),
    }
    let mut o = opts_with(None, None);
    o.skip_bad_rows = true;
    let (recs, stats) = read_csv(bytes.as_slice(), &o).unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[1].values[0].as_deref(), Some("Līga"));
    assert!(stats.notes.iter().any(|n| n.contains("mostly UTF-8")), "{:?}", stats.notes);
}

#[test]
fn bad_row_of_a_semicolon_file_names_its_line() {
    let bytes = encode(&format!("{BALTIC}7;Inese;Kalniņa;1990-01-01\r\n"), encoding_rs::WINDOWS_1257);
    match read_csv(bytes.as_slice(), &opts_with(Some(b';'), Some(encoding_rs::WINDOWS_1257))) {
        Err(LinkError::BadRow { line: 8, message, .. }) => assert!(message.contains("4 fields"), "{message}"),
        other => panic!("expected line 8 rejected, got {other:?}"),
    }
}

#[test]
fn gzip_is_known_by_its_bytes_whatever_the_name() {
    use haven_link::io::{read_file_raw, read_jsonl};
    let plain = encode(BALTIC, encoding_rs::WINDOWS_1257);
    let packed = gzip(&plain);
    let (recs, stats) = read_csv(packed.as_slice(), &opts_with(None, Some(encoding_rs::WINDOWS_1257))).unwrap();
    assert_baltic(&recs);
    assert!(stats.notes.iter().any(|n| n.contains("gzip")));
    let dir = tempfile::tempdir().unwrap();
    for name in ["people.csv", "people.csv.gz", "people.txt"] {
        let path = dir.path().join(name).display().to_string();
        std::fs::write(&path, &packed).unwrap();
        let (recs, _) = read_file_raw(&path, &opts_with(None, Some(encoding_rs::WINDOWS_1257))).unwrap();
        assert_baltic(&recs.into_records());
    }
    let jsonl =
        gzip(b"{\"id\": 1, \"given_name\": \"Anna\", \"surname\": \"Lis\", \"maiden_name\": null, \"dob\": \"1990\", \"town\": \"X\"}\n");
    let (recs, _) = read_jsonl(jsonl.as_slice(), &opts(false)).unwrap();
    assert_eq!(recs[0].values[1].as_deref(), Some("Lis"));
    let path = dir.path().join("people.jsonl.gz").display().to_string();
    std::fs::write(&path, &jsonl).unwrap();
    assert_eq!(read_file_raw(&path, &opts(false)).unwrap().0.len(), 1);
    // a truncated archive is an error, not a short read
    match read_csv(&packed[..packed.len() / 2], &opts(false)) {
        Err(LinkError::Io { source, .. }) => assert!(source.to_string().contains("gzip"), "{source}"),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn delimiter_and_encoding_settings_are_checked() {
    use haven_link::io::{parse_delimiter, parse_encoding};
    assert_eq!(parse_delimiter(";").unwrap(), b';');
    assert_eq!(parse_delimiter("tab").unwrap(), b'\t');
    assert_eq!(parse_delimiter("\\t").unwrap(), b'\t');
    for bad in ["", ";;", "\"", "a", "é"] {
        assert!(parse_delimiter(bad).is_err(), "{bad:?}");
    }
    assert_eq!(parse_encoding("cp1257").unwrap(), encoding_rs::WINDOWS_1257);
    assert_eq!(parse_encoding("ISO-8859-2").unwrap(), encoding_rs::ISO_8859_2);
    let e = parse_encoding("baltic-7").unwrap_err().to_string();
    assert!(e.contains("baltic-7") && e.contains("windows-1257"), "{e}");
}

// --- settings files -------------------------------------------------------------------------------

const GOOD_SETTINGS: &str = r#"
link_type = "dedupe"
blocking = ["surname"]
[[field]]
name = "given_name"
comparison = { kind = "name" }
[[field]]
name = "surname"
comparison = { kind = "name" }
[[field]]
name = "dob"
comparison = { kind = "date" }
"#;

fn settings_error(text: &str) -> String {
    match haven_link::LinkageModel::from_toml(text) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("settings accepted:\n{text}"),
    }
}

#[test]
fn settings_errors_name_a_wrong_comparison_kind() {
    let e = settings_error(&GOOD_SETTINGS.replace("kind = \"date\"", "kind = \"jaro\""));
    assert!(e.contains("field[2].comparison"), "{e}");
    assert!(e.contains("unknown comparison kind `jaro`") && e.contains("`name`") && e.contains("`date`"), "{e}");
    assert!(e.contains("line 12"), "{e}");
    assert!(!e.contains("expected `settings` or `parameters`"), "{e}");
}

#[test]
fn settings_errors_name_an_unknown_key() {
    let e = settings_error(&GOOD_SETTINGS.replace("blocking =", "blockng ="));
    assert!(e.contains("unknown key `blockng` in the settings") && e.contains("`blocking`"), "{e}");
    let e = settings_error(&GOOD_SETTINGS.replace("name = \"dob\"", "name = \"dob\"\nterm_frequecy = true"));
    assert!(e.contains("field[2]: unknown key `term_frequecy` in this table") && e.contains("`columns`"), "{e}");
    let e = settings_error(&format!("{GOOD_SETTINGS}[input]\ndelimter = \";\"\n"));
    assert!(e.contains("input: unknown key `delimter` in this table, expected `delimiter` or `encoding`"), "{e}");
}

#[test]
fn settings_errors_name_a_key_a_comparison_does_not_take() {
    let e = settings_error(&GOOD_SETTINGS.replace("kind = \"date\" }", "kind = \"date\", min_year = 1800 }"));
    assert!(e.contains("field[2].comparison: unknown key `min_year`") && e.contains("`date`"), "{e}");
    let e = settings_error(&GOOD_SETTINGS.replace("kind = \"name\" }", "kind = \"name\", edits = [1] }"));
    assert!(e.contains("field[0].comparison") && e.contains("unknown key `edits`"), "{e}");
}

#[test]
fn settings_errors_name_a_bad_link_type() {
    let e = settings_error(&GOOD_SETTINGS.replace("\"dedupe\"", "\"dedup\""));
    assert!(e.starts_with("invalid settings: link_type: unknown value `dedup`"), "{e}");
    assert!(e.contains("`dedupe`") && e.contains("`link_and_dedupe`") && e.contains("line 2"), "{e}");
}

#[test]
fn settings_errors_in_a_model_file_carry_the_settings_path() {
    let model = haven_link::LinkageModel::from_toml(GOOD_SETTINGS).unwrap().to_toml().unwrap();
    assert!(haven_link::LinkageModel::from_toml(&model).is_ok());
    let e = settings_error(&model.replace("kind = \"date\"", "kind = \"jaro\""));
    assert!(e.contains("settings.field[2].comparison.kind: unknown comparison kind `jaro`"), "{e}");
    let e = settings_error(&model.replace("[settings]", "[settings]\nmin_year = 1800"));
    assert!(e.contains("settings: unknown key `min_year`") && e.contains("min_birth_year"), "{e}");
}

#[test]
fn settings_errors_for_input_and_syntax() {
    let e = settings_error(&format!("{GOOD_SETTINGS}[input]\ndelimiter = \"semicolon\"\n"));
    assert!(e.contains("delimiter \"semicolon\""), "{e}");
    let e = settings_error(&format!("{GOOD_SETTINGS}[input]\nencoding = \"baltic\"\n"));
    assert!(e.contains("encoding \"baltic\""), "{e}");
    let e = settings_error("blocking = [\"surname\"\n");
    assert!(e.contains("line 1") || e.contains("line 2"), "{e}");
    let e = settings_error(&GOOD_SETTINGS.replace("link_type = \"dedupe\"", "min_birth_year = 0"));
    assert!(e.contains("min_birth_year"), "{e}");
}

#[test]
fn dates_before_1880_are_a_setting() {
    use haven_link::data::{BadValues, Dataset};
    let csv = format!("{HEADER}1,Anna,K,,1852-04-11,X\n2,Jan,L,,~1860,Y\n");
    let (recs, _) = read_csv(csv.as_bytes(), &opts(false)).unwrap();
    let default = person_settings("dedupe");
    assert_eq!(default.min_birth_year, 1880);
    match Dataset::prepare(&default, recs.clone(), BadValues::Fail) {
        Err(LinkError::BadRow { line: 2, message, .. }) => assert!(message.contains("1852-04-11"), "{message}"),
        other => panic!("expected 1852 refused by default, got {:?}", other.map(|d| d.len())),
    }
    let mut historical = default.clone();
    historical.min_birth_year = 1800;
    let d = Dataset::prepare(&historical, recs, BadValues::Fail).unwrap();
    assert_eq!(d.value(2, 0).map(|v| &*v.text), Some("1852-04-11"));
    assert_eq!(d.value(2, 1).map(|v| &*v.text), Some("~1860±2"));
    let text = GOOD_SETTINGS.replace("link_type = \"dedupe\"", "min_birth_year = 1750");
    assert_eq!(haven_link::LinkageModel::from_toml(&text).unwrap().settings.min_birth_year, 1750);
}

// --- Parquet --------------------------------------------------------------------------------------

/// A column of test values: UTF-8 strings, 32-bit (DATE) or 64-bit integers; `None` is null.
enum Column<'a> {
    Text(&'a [Option<&'a str>]),
    Int32(&'a [Option<i32>]),
    Int64(&'a [Option<i64>]),
}

/// A Parquet file of people as a data tool writes it: a required id, UTF-8 strings, a DATE
/// column, an integer column, nulls, a column not used, compressed with `codec`.
fn people_parquet(codec: parquet::basic::Compression) -> Vec<u8> {
    use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    let schema = parquet::schema::parser::parse_message_type(
        "message people {
            REQUIRED BYTE_ARRAY id (UTF8);
            OPTIONAL BYTE_ARRAY given_name (UTF8);
            OPTIONAL BYTE_ARRAY surname (UTF8);
            OPTIONAL BYTE_ARRAY maiden_name (UTF8);
            OPTIONAL INT32 dob (DATE);
            OPTIONAL INT64 town;
            OPTIONAL BYTE_ARRAY notes (UTF8);
        }",
    )
    .unwrap();
    let columns = [
        Column::Text(&[Some("1"), Some("2"), Some("3")]),
        Column::Text(&[Some("Юлия"), Some("Jūratė"), Some("Anna")]),
        Column::Text(&[Some("Шевченко"), Some("Bērziņa"), Some("Lis")]),
        Column::Text(&[None, Some("Petrova"), None]),
        // 1990-03-07, null, 1852-04-11
        Column::Int32(&[Some(7370), None, Some(-42_998)]),
        Column::Int64(&[Some(1001), Some(1002), Some(1003)]),
        Column::Text(&[None, None, None]),
    ];
    let props = WriterProperties::builder().set_compression(codec).build();
    let mut out = Vec::new();
    let mut w = SerializedFileWriter::new(&mut out, std::sync::Arc::new(schema), std::sync::Arc::new(props)).unwrap();
    let mut rg = w.next_row_group().unwrap();
    for (i, column) in columns.iter().enumerate() {
        let mut c = rg.next_column().unwrap().unwrap();
        let defs = |present: Vec<bool>| present.into_iter().map(i16::from).collect::<Vec<_>>();
        let written = match column {
            Column::Text(v) => {
                let values: Vec<ByteArray> = v.iter().flatten().map(|s| ByteArray::from(*s)).collect();
                let d = defs(v.iter().map(Option::is_some).collect());
                c.typed::<ByteArrayType>().write_batch(&values, (i > 0).then_some(d.as_slice()), None)
            }
            Column::Int32(v) => {
                let values: Vec<i32> = v.iter().flatten().copied().collect();
                let d = defs(v.iter().map(Option::is_some).collect());
                c.typed::<Int32Type>().write_batch(&values, Some(&d), None)
            }
            Column::Int64(v) => {
                let values: Vec<i64> = v.iter().flatten().copied().collect();
                let d = defs(v.iter().map(Option::is_some).collect());
                c.typed::<Int64Type>().write_batch(&values, Some(&d), None)
            }
        };
        written.unwrap();
        c.close().unwrap();
    }
    rg.close().unwrap();
    w.close().unwrap();
    out
}

#[test]
fn parquet_rows_of_strings_dates_and_integers() {
    use haven_link::io::{Format, read_file_raw, read_parquet, read_records};
    use parquet::basic::{Compression, ZstdLevel};
    for codec in [Compression::UNCOMPRESSED, Compression::SNAPPY, Compression::ZSTD(ZstdLevel::default())] {
        let data = people_parquet(codec);
        let (recs, stats) = read_parquet(data.clone(), &opts(false)).unwrap();
        let recs = recs.into_records();
        assert_eq!(stats.rows, 3);
        assert_eq!(recs[0].values[0].as_deref(), Some("Юлия"));
        assert_eq!(recs[1].values[1].as_deref(), Some("Bērziņa|Petrova"));
        assert_eq!(recs[0].values[2].as_deref(), Some("1990-03-07"));
        assert_eq!(recs[1].values[2], None);
        assert_eq!(recs[2].values[2].as_deref(), Some("1852-04-11"));
        assert_eq!(recs[2].values[3].as_deref(), Some("1003"));
        assert_eq!(recs[2].line, 3);
        let (same, _) = read_records(data.as_slice(), Format::Parquet, &opts(false)).unwrap();
        assert_eq!(same, recs);
        // a Parquet file is known by its bytes, whatever its name
        let dir = tempfile::tempdir().unwrap();
        for name in ["people.parquet", "people.csv"] {
            let path = dir.path().join(name).display().to_string();
            std::fs::write(&path, &data).unwrap();
            assert_eq!(read_file_raw(&path, &opts(false)).unwrap().0.into_records(), recs);
        }
    }
}

#[test]
fn parquet_missing_columns_and_broken_files_are_named() {
    use haven_link::io::read_parquet;
    let mut o = opts(false);
    o.columns.push(vec!["passport".into()]);
    match read_parquet(people_parquet(parquet::basic::Compression::SNAPPY), &o) {
        Err(LinkError::MissingColumn { column, .. }) => assert_eq!(column, "passport"),
        other => panic!("expected a missing column, got {other:?}"),
    }
    let data = people_parquet(parquet::basic::Compression::SNAPPY);
    for broken in [b"PAR1 not parquet PAR1".to_vec(), data[..data.len() / 2].to_vec(), data[data.len() / 3..].to_vec()]
    {
        match read_parquet(broken, &opts(false)) {
            Err(LinkError::Io { source, .. }) => assert!(source.to_string().contains("Parquet"), "{source}"),
            other => panic!("expected an unreadable file, got {other:?}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn parquet_reader_never_panics_on_damaged_files(
        cuts in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let mut data = people_parquet(parquet::basic::Compression::SNAPPY);
        for (at, byte) in cuts {
            let i = at.index(data.len());
            data[i] = byte;
        }
        let _ = haven_link::io::read_parquet(data, &opts(true));
    }
}
