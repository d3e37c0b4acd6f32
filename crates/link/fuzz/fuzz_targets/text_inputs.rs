#![no_main]
mod common;

// The first byte chooses how the rest is read: the declared delimiter and encoding (or none, so
// that they are found), and the format (CSV, JSON Lines, Parquet). Gzip is found by the rest's first bytes.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((choice, data)) = data.split_first() else { return };
    let delimiters = [None, Some(b','), Some(b';'), Some(b'\t'), Some(b'|')];
    let encodings = ["", "utf-8", "windows-1257", "windows-1251", "iso-8859-2", "latin1", "utf-16le", "shift_jis"];
    let delimiter = delimiters[usize::from(choice % 5)];
    let encoding = haven_link::io::parse_encoding(encodings[usize::from(choice / 5 % 8)]).ok();
    let format = match choice / 40 % 3 {
        0 => haven_link::io::Format::Csv,
        1 => haven_link::io::Format::JsonLines,
        _ => haven_link::io::Format::Parquet,
    };
    common::read_and_link_with(data, format, |o| {
        o.delimiter = delimiter;
        o.encoding = encoding;
    });
    if let Some(s) = common::settings() {
        let mut o = haven_link::io::ReadOptions::new(&s, "fuzz", 0, &Default::default());
        o.delimiter = delimiter;
        o.encoding = encoding;
        let _ = haven_link::io::read_csv_bytes(data, &o);
    }
});
