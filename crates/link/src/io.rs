//! Reading records (CSV, JSON Lines) with a column mapping, and writing pairs and clusters.
//!
//! Inputs may be gzip-compressed (known by their first bytes), in another character encoding than
//! UTF-8 (declared, or guessed when the bytes are not UTF-8, and said) and, for CSV, separated by
//! another delimiter than the comma (declared, or found in the header line).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::sync::Arc;

use encoding_rs::{DecoderResult, Encoding, UTF_8};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use crate::data::{RawChunk, RawRecord, RawRecords};
use crate::error::{LinkError, Result};
use crate::model::ModelSettings;

/// Input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
    Parquet,
}

impl Format {
    /// From a file name: `.jsonl`/`.ndjson` are JSON Lines, `.parquet` Parquet, everything else CSV;
    /// a `.gz` ending is looked through (whether an input is compressed is told by its first bytes,
    /// not its name, and so is a Parquet file by [`read_file`]).
    pub fn from_path(path: &str) -> Format {
        let path = path.strip_suffix(".gz").unwrap_or(path);
        if path.ends_with(".jsonl") || path.ends_with(".ndjson") {
            Format::JsonLines
        } else if path.ends_with(".parquet") {
            Format::Parquet
        } else {
            Format::Csv
        }
    }
}

/// How the bytes of input files become rows: `[input]` in the settings, overridden by the flags
/// `--delimiter` and `--encoding`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputSettings {
    /// CSV field separator: `,`, `;`, `tab`, `|` or another single ASCII punctuation character.
    /// When not given, whichever of `,` `;` tab `|` the header line holds most often.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// Character encoding, by its usual label: `utf-8`, `windows-1257`, `windows-1251`,
    /// `iso-8859-2`, `latin1`, ... When not given: UTF-8, or, for input that is not valid UTF-8,
    /// guessed from the content (and said).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

impl InputSettings {
    /// True when nothing is set.
    pub fn is_default(&self) -> bool {
        *self == InputSettings::default()
    }

    /// The delimiter and the encoding, checked.
    pub fn resolve(&self) -> Result<(Option<u8>, Option<&'static Encoding>)> {
        let delimiter = self.delimiter.as_deref().map(parse_delimiter).transpose()?;
        let encoding = self.encoding.as_deref().map(parse_encoding).transpose()?;
        Ok((delimiter, encoding))
    }
}

/// Delimiters looked for in the header line when none is declared, preferred in this order on a tie.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// A CSV delimiter from its text: one ASCII punctuation character, or `tab` (also `\t`).
pub fn parse_delimiter(text: &str) -> Result<u8> {
    let bad = || {
        LinkError::InvalidSettings(format!(
            "delimiter {text:?}: expected one character such as \",\", \";\", \"|\" or \"tab\" (not a quote)"
        ))
    };
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ => match text.as_bytes() {
            [c] if c.is_ascii_punctuation() && *c != b'"' => Ok(*c),
            _ => Err(bad()),
        },
    }
}

/// An encoding from its label (WHATWG names: `windows-1257`, `cp1251`, `iso-8859-2`, `latin1`, ...).
pub fn parse_encoding(label: &str) -> Result<&'static Encoding> {
    match Encoding::for_label_no_replacement(label.trim().as_bytes()) {
        Some(e) => Ok(e),
        None => Err(LinkError::InvalidSettings(format!(
            "encoding {label:?} is not known; use a label such as \"utf-8\", \"windows-1257\", \"windows-1251\", \"iso-8859-2\" or \"latin1\""
        ))),
    }
}

/// Where each field's values come from, and what to do with bad rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Name of the input for messages (a file name).
    pub source_name: String,
    /// Number of the input (dataset) the records belong to.
    pub source: u16,
    pub id_column: String,
    /// Columns per field, in field order; several columns are alternatives.
    pub columns: Vec<Vec<String>>,
    /// Column with the known person (ground truth or labels), if any.
    pub label_column: Option<String>,
    /// Skip bad rows and count them, instead of stopping at the first.
    pub skip_bad_rows: bool,
    /// CSV field separator; found in the header line when `None`.
    pub delimiter: Option<u8>,
    /// Character encoding; UTF-8, or guessed for input that is not, when `None`.
    pub encoding: Option<&'static Encoding>,
}

impl ReadOptions {
    /// Options from the model settings, with `overrides` (field -> columns) applied.
    pub fn new(
        settings: &ModelSettings,
        source_name: &str,
        source: u16,
        overrides: &BTreeMap<String, Vec<String>>,
    ) -> ReadOptions {
        // the settings were checked when read, so their input settings resolve
        let (delimiter, encoding) = settings.input.resolve().unwrap_or_default();
        let columns = (0..settings.fields.len())
            .map(|i| overrides.get(&settings.fields[i].name).cloned().unwrap_or_else(|| settings.columns_of(i)))
            .chain(settings.age_columns())
            .collect();
        ReadOptions {
            source_name: source_name.to_string(),
            source,
            id_column: settings.id_column.clone(),
            columns,
            label_column: None,
            skip_bad_rows: false,
            delimiter,
            encoding,
        }
    }
}

/// Parses a column mapping `field=col[,col...]`.
pub fn parse_mapping(items: &[String]) -> Result<BTreeMap<String, Vec<String>>> {
    let mut out = BTreeMap::new();
    for item in items {
        let Some((field, cols)) = item.split_once('=') else {
            return Err(LinkError::InvalidSettings(format!("mapping {item:?} is not field=column[,column]")));
        };
        let cols: Vec<String> = cols.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
        if field.trim().is_empty() || cols.is_empty() {
            return Err(LinkError::InvalidSettings(format!("mapping {item:?} is not field=column[,column]")));
        }
        out.insert(field.trim().to_string(), cols);
    }
    Ok(out)
}

/// What reading found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadStats {
    pub rows: u64,
    pub skipped: u64,
    /// The first skipped rows: (line, reason).
    pub skipped_examples: Vec<(u64, String)>,
    /// What the reader found out and the user should know: compression, a delimiter found in the
    /// header, an encoding guessed.
    pub notes: Vec<String>,
}

/// First bytes of a gzip stream.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Line (from 1) of byte `offset` of `data` in `encoding`.
fn line_at(data: &[u8], offset: usize, encoding: &'static Encoding) -> u64 {
    let before = data.get(..offset).unwrap_or(data);
    let newlines = if encoding.is_ascii_compatible() {
        before.iter().filter(|b| **b == b'\n').count()
    } else {
        encoding.decode_without_bom_handling(before).0.matches('\n').count()
    };
    newlines as u64 + 1
}

/// Decodes all of `data`, or gives the offset of the first byte sequence that is not valid in
/// `encoding`.
fn decode_strict(data: &[u8], encoding: &'static Encoding) -> std::result::Result<String, usize> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let room = |d: &encoding_rs::Decoder, n: usize| d.max_utf8_buffer_length_without_replacement(n).unwrap_or(n);
    let mut out = String::with_capacity(room(&decoder, data.len()));
    let mut done = 0usize;
    loop {
        let rest = data.get(done..).unwrap_or_default();
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut out, true);
        done += read;
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => {
                let more = room(&decoder, data.len() - done).max(16);
                out.reserve(more);
            }
            DecoderResult::Malformed(bad, after) => {
                return Err(done.saturating_sub(usize::from(bad) + usize::from(after)));
            }
        }
    }
}

/// The error for a byte sequence at `offset` that is not valid in `encoding`.
fn undecodable(opts: &ReadOptions, data: &[u8], offset: usize, encoding: &'static Encoding, hint: &str) -> LinkError {
    let byte = data.get(offset).copied().unwrap_or(0);
    LinkError::BadRow {
        source_name: opts.source_name.clone(),
        line: line_at(data, offset, encoding),
        message: format!(
            "byte 0x{byte:02X} (offset {offset}) is not valid {}{hint} ({DECLARE_ENCODING})",
            encoding.name()
        ),
    }
}

/// An error when decoded text holds a C1 control character (U+0080 to U+009F): no register holds
/// them, but a byte the encoding leaves undefined (0x98 in windows-1251) becomes one, so the text
/// is most likely in another encoding.
fn control_characters(text: &str, encoding: &'static Encoding, opts: &ReadOptions, hint: &str) -> Result<()> {
    let Some(at) = text.find(|c| ('\u{80}'..='\u{9f}').contains(&c)) else { return Ok(()) };
    let c = text[at..].chars().next().map_or(0, u32::from);
    Err(LinkError::BadRow {
        source_name: opts.source_name.clone(),
        line: text[..at].matches('\n').count() as u64 + 1,
        message: format!(
            "a control character (U+{c:04X}) in the text read as {}{hint}: most likely not the file's encoding ({DECLARE_ENCODING})",
            encoding.name()
        ),
    })
}

/// Where to declare the encoding, for messages.
const DECLARE_ENCODING: &str = "declare the encoding with --encoding or `encoding` under [input] in the settings";

/// The bytes of an input made ready for parsing: gzip undone (known by its first bytes) and the
/// text decoded to UTF-8. Input that is UTF-8 (declared, or valid, or mostly so) is kept as it is,
/// its invalid bytes left for the rows that hold them to report. `notes` gets what the user
/// should know.
fn prepare_input<'a>(data: &'a [u8], opts: &ReadOptions, notes: &mut Vec<String>) -> Result<Cow<'a, [u8]>> {
    let data: Cow<'a, [u8]> = if data.starts_with(&GZIP_MAGIC) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(data).read_to_end(&mut out).map_err(|e| LinkError::Io {
            path: opts.source_name.clone(),
            source: std::io::Error::new(e.kind(), format!("the input starts as gzip but cannot be uncompressed: {e}")),
        })?;
        notes.push("gzip-compressed".into());
        Cow::Owned(out)
    } else {
        Cow::Borrowed(data)
    };
    let (declared, start) = match Encoding::for_bom(&data) {
        Some((bom, len)) => {
            if opts.encoding.is_some_and(|e| e != bom) {
                notes.push(format!("read as {}, as its byte order mark says", bom.name()));
            }
            (Some(bom), len)
        }
        None => (opts.encoding, 0),
    };
    // the encoding, and the line of the first byte that is not UTF-8 when it was guessed
    let (encoding, guessed_from) = match declared {
        // a declared single-byte encoding is a default: a file whose bytes are UTF-8 with letters
        // outside ASCII is UTF-8 (such byte pairs in names in another encoding are implausible)
        Some(e) if start == 0 && e != UTF_8 && !data.is_ascii() && std::str::from_utf8(&data).is_ok() => {
            notes.push(format!(
                "valid UTF-8 with letters outside ASCII: read as UTF-8, not as the declared {}",
                e.name()
            ));
            (UTF_8, None)
        }
        Some(e) => (e, None),
        None => match std::str::from_utf8(&data) {
            Ok(_) => (UTF_8, None),
            Err(e) => {
                let line = line_at(&data, e.valid_up_to(), UTF_8);
                match guess_encoding(&data) {
                    Some(guess) => (guess, Some(line)),
                    None => {
                        notes.push(format!(
                            "not valid UTF-8 from line {line}, but mostly UTF-8: read as UTF-8, the rows with invalid bytes rejected"
                        ));
                        (UTF_8, None)
                    }
                }
            }
        },
    };
    if encoding == UTF_8 {
        return Ok(match data {
            Cow::Borrowed(d) => Cow::Borrowed(d.get(start..).unwrap_or_default()),
            Cow::Owned(mut d) => {
                d.drain(..start.min(d.len()));
                Cow::Owned(d)
            }
        });
    }
    let hint = guessed_from
        .map(|line| format!(", the encoding guessed because the input is not UTF-8 (from line {line})"))
        .unwrap_or_default();
    let body = data.get(start..).unwrap_or_default();
    let text = decode_strict(body, encoding).map_err(|offset| undecodable(opts, body, offset, encoding, &hint))?;
    control_characters(&text, encoding, opts, &hint)?;
    if let Some(line) = guessed_from {
        notes.push(format!(
            "not valid UTF-8 (from line {line}): read as {}, guessed from the content; if names look wrong, {DECLARE_ENCODING}",
            encoding.name()
        ));
    }
    Ok(Cow::Owned(text.into_bytes()))
}

/// The encoding of input that is not valid UTF-8 and whose encoding was not declared: `None` for
/// input that is mostly UTF-8 (more non-ASCII characters valid than runs of invalid bytes), to be
/// read as UTF-8 with damaged rows; otherwise guessed from the content by `chardetng` (the
/// detector of Firefox).
fn guess_encoding(data: &[u8]) -> Option<&'static Encoding> {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in data.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    if valid > invalid {
        return None;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(data, true);
    Some(detector.guess(None, chardetng::Utf8Detection::Deny))
}

/// The delimiter of CSV text: the declared one, or whichever of [`DELIMITERS`] the header line
/// holds most often outside quotes (a comma when none).
fn csv_delimiter(text: &[u8], opts: &ReadOptions, notes: &mut Vec<String>) -> u8 {
    if let Some(d) = opts.delimiter {
        return d;
    }
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for c in text {
        if !quoted && matches!(c, b'\n' | b'\r') {
            break;
        }
        if *c == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(i) = DELIMITERS.iter().position(|d| d == c) {
            counts[i] += 1;
        }
    }
    let mut best = 0;
    for i in 1..DELIMITERS.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    let d = DELIMITERS[best];
    if d != b',' {
        let shown = if d == b'\t' { "tab".to_string() } else { format!("\"{}\"", char::from(d)) };
        notes.push(format!("delimiter {shown}, found in the header line"));
    }
    d
}

/// All of a reader's bytes.
fn read_all(mut input: impl Read, opts: &ReadOptions) -> Result<Vec<u8>> {
    let mut data = Vec::new();
    input.read_to_end(&mut data).map_err(|e| LinkError::Io { path: opts.source_name.clone(), source: e })?;
    Ok(data)
}

/// Longest accepted identifier.
const MAX_ID_CHARS: usize = 200;

/// The columns a reader needs, in a fixed order: the id, each field's columns, the label.
struct Needed {
    names: Vec<String>,
    /// Range in `names` of each field's columns.
    fields: Vec<std::ops::Range<usize>>,
    label: Option<usize>,
}

impl Needed {
    fn new(opts: &ReadOptions) -> Needed {
        let mut names = vec![opts.id_column.clone()];
        let mut fields = Vec::new();
        for cols in &opts.columns {
            let start = names.len();
            names.extend(cols.iter().cloned());
            fields.push(start..names.len());
        }
        let label = opts.label_column.as_ref().map(|l| {
            names.push(l.clone());
            names.len() - 1
        });
        Needed { names, fields, label }
    }
}

/// Checks a row's identifier and appends the row to `records` given the value of each needed
/// column (by position in `needed.names`); `Err` is the reason to reject the row. The identifier is
/// not checked against other rows here.
fn push_row<'v>(
    opts: &ReadOptions,
    needed: &Needed,
    source_name: &Arc<str>,
    records: &mut RawRecords,
    line: u64,
    get: impl Fn(usize) -> Option<&'v str>,
) -> std::result::Result<(), String> {
    let id = get(0).map(str::trim).unwrap_or("");
    if id.is_empty() {
        return Err(format!("empty identifier in column {:?}", opts.id_column));
    }
    if id.chars().count() > MAX_ID_CHARS {
        return Err(format!("identifier longer than {MAX_ID_CHARS} characters"));
    }
    let truth = needed.label.and_then(&get).map(str::trim).filter(|v| !v.is_empty());
    // each field's non-empty columns, joined by `|`
    let value = |f: usize, out: &mut String| {
        let mut any = false;
        for i in needed.fields.get(f).cloned().unwrap_or_default() {
            if let Some(v) = get(i).map(str::trim).filter(|v| !v.is_empty()) {
                if any {
                    out.push('|');
                }
                out.push_str(v);
                any = true;
            }
        }
        any
    };
    if records.push(opts.source, source_name, line, id, value, truth) {
        Ok(())
    } else {
        Err("a row of more than 4 GB".into())
    }
}

/// Collects the rows of a reader that goes through the input once, in order.
struct Builder<'a> {
    opts: &'a ReadOptions,
    needed: Needed,
    source_name: Arc<str>,
    records: RawRecords,
    stats: ReadStats,
    seen_ids: HashMap<String, u64>,
}

impl Builder<'_> {
    fn new(opts: &ReadOptions) -> Builder<'_> {
        Builder {
            opts,
            needed: Needed::new(opts),
            source_name: opts.source_name.as_str().into(),
            records: RawRecords::new(opts.columns.len()),
            stats: ReadStats::default(),
            seen_ids: HashMap::default(),
        }
    }

    fn reject(&mut self, line: u64, message: String) -> Result<()> {
        reject(self.opts, &mut self.stats, line, message)
    }

    /// Adds a row given the value of each needed column (by position in `needed.names`).
    fn add<'v>(&mut self, line: u64, get: impl Fn(usize) -> Option<&'v str>) -> Result<()> {
        self.stats.rows += 1;
        let id = get(0).map(str::trim).unwrap_or("");
        // only accepted identifiers are remembered, so a repeated one passed the other checks
        if let Some(first) = self.seen_ids.get(id).copied() {
            return self.reject(line, format!("identifier {id:?} already used on line {first}"));
        }
        match push_row(self.opts, &self.needed, &self.source_name, &mut self.records, line, &get) {
            Ok(()) => {
                self.seen_ids.insert(id.to_string(), line);
                Ok(())
            }
            Err(m) => self.reject(line, m),
        }
    }
}

/// Rejects a row: an error naming the line, or (when bad rows are skipped) counted.
fn reject(opts: &ReadOptions, stats: &mut ReadStats, line: u64, message: String) -> Result<()> {
    if opts.skip_bad_rows {
        stats.skipped += 1;
        if stats.skipped_examples.len() < 100 {
            stats.skipped_examples.push((line, message));
        }
        Ok(())
    } else {
        Err(LinkError::BadRow { source_name: opts.source_name.clone(), line, message })
    }
}

fn check_columns(opts: &ReadOptions, present: impl Fn(&str) -> bool) -> Result<()> {
    let mut needed: Vec<&String> = vec![&opts.id_column];
    needed.extend(opts.columns.iter().flatten());
    needed.extend(opts.label_column.iter());
    for c in needed {
        if !present(c) {
            return Err(LinkError::MissingColumn { source_name: opts.source_name.clone(), column: c.clone() });
        }
    }
    Ok(())
}

/// The header of a CSV input and where the needed columns are in it.
struct CsvLayout {
    header: Vec<String>,
    /// Position in the row of each needed column (by position in `needed.names`).
    positions: Vec<usize>,
}

impl CsvLayout {
    fn new(headers: &csv::ByteRecord, opts: &ReadOptions, needed: &Needed) -> Result<CsvLayout> {
        let header: Vec<String> = headers
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        let index: HashMap<&str, usize> = header.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect();
        check_columns(opts, |c| index.contains_key(c))?;
        let positions = needed.names.iter().map(|n| index.get(n.as_str()).copied().unwrap_or(usize::MAX)).collect();
        Ok(CsvLayout { header, positions })
    }

    /// The text of a row (all its fields), or why the row is rejected before it counts as read.
    fn text<'r>(&self, rec: &'r csv::ByteRecord) -> std::result::Result<&'r str, String> {
        if rec.len() != self.header.len() {
            return Err(format!("{} fields where the header has {}", rec.len(), self.header.len()));
        }
        // Each field is valid UTF-8 exactly when the whole row is and every field boundary is a
        // character boundary; the slow path names the first bad column.
        if let Ok(text) = std::str::from_utf8(rec.as_slice())
            && (0..rec.len()).all(|i| rec.range(i).is_some_and(|r| text.is_char_boundary(r.start)))
        {
            return Ok(text);
        }
        let bad = rec.iter().position(|f| std::str::from_utf8(f).is_err()).unwrap_or(0);
        let name = self.header.get(bad).map_or("", String::as_str);
        Err(format!("column {name:?} is not valid UTF-8 ({DECLARE_ENCODING})"))
    }

    /// The value of needed column `i` in a row whose text is `text`.
    fn get<'r>(&self, rec: &csv::ByteRecord, text: &'r str, i: usize) -> Option<&'r str> {
        self.positions.get(i).and_then(|p| rec.range(*p)).and_then(|r| text.get(r))
    }
}

/// Reads CSV with a header row (gzip, encoding and delimiter as the options say or as found).
/// Rows with the wrong number of fields, invalid UTF-8, an empty or repeated identifier are errors
/// naming the line, or are skipped and counted.
pub fn read_csv(input: impl Read, opts: &ReadOptions) -> Result<(Vec<RawRecord>, ReadStats)> {
    read_csv_raw(input, opts).map(|(r, s)| (r.into_records(), s))
}

/// [`read_csv`], giving the records in their compact form.
pub fn read_csv_raw(input: impl Read, opts: &ReadOptions) -> Result<(RawRecords, ReadStats)> {
    let data = read_all(input, opts)?;
    let mut notes = Vec::new();
    let text = prepare_input(&data, opts, &mut notes)?;
    let delimiter = csv_delimiter(&text, opts, &mut notes);
    let (records, mut stats) = read_csv_stream(&text, opts, delimiter)?;
    stats.notes = notes;
    Ok((records, stats))
}

/// The line where a record read from `data` starts. The reader places a record after a `\r\n`
/// line end at the `\n` (still on the line before) and one after empty lines at their start: the
/// line is that of the first byte that is not a line end.
fn record_line(data: &[u8], position: &csv::Position) -> u64 {
    let from = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let ends = data.get(from..).unwrap_or_default().iter().take_while(|c| matches!(c, b'\r' | b'\n'));
    position.line() + ends.filter(|c| **c == b'\n').count() as u64
}

/// Reads CSV text row after row.
fn read_csv_stream(text: &[u8], opts: &ReadOptions, delimiter: u8) -> Result<(RawRecords, ReadStats)> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(true).delimiter(delimiter).from_reader(text);
    let headers = match rdr.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(LinkError::BadRow { source_name: opts.source_name.clone(), line: 1, message: e.to_string() });
        }
    };
    let mut b = Builder::new(opts);
    let layout = CsvLayout::new(&headers, opts, &b.needed)?;
    let mut rec = csv::ByteRecord::new();
    loop {
        let line = rdr.position().line() + 1;
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                b.reject(line, format!("malformed CSV: {e}"))?;
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = rec.position().map_or(line, |p| record_line(text, p));
        match layout.text(&rec) {
            Ok(text) => b.add(line, |i| layout.get(&rec, text, i))?,
            Err(m) => b.reject(line, m)?,
        }
    }
    Ok((b.records, b.stats))
}

/// What a chunk of CSV rows became, before identifiers are checked against those of other chunks.
struct ChunkRows {
    records: RawRecords,
    /// Rejected rows: (number of records kept before the row, line, reason).
    rejected: Vec<(usize, u64, String)>,
    /// Rows that count as read (all but those with the wrong number of fields or bad UTF-8).
    counted: u64,
}

/// Offsets in `data` (the rows after the header) where a chunk may start: right after a `\n` that
/// ends a non-empty record outside quotes. A CSV reader started there reads the same records as one
/// that read everything before, and its line numbers differ only by the lines before the offset.
/// One offset at or after each multiple of `target` (as far as there is one).
fn chunk_starts(data: &[u8], target: usize, delimiter: u8) -> Vec<usize> {
    const START_RECORD: u8 = 0;
    const START_FIELD: u8 = 1;
    const IN_FIELD: u8 = 2;
    const QUOTED: u8 = 3;
    const QUOTE_IN_QUOTED: u8 = 4;
    let target = target.max(1);
    let mut out = Vec::new();
    let mut next = target;
    if !data.contains(&b'"') {
        // Without quotes a `\n` ends a non-empty record unless it follows `\r` or `\n`.
        while next < data.len() {
            let Some(k) = data[next - 1..].iter().position(|&c| c == b'\n') else { break };
            let i = next - 1 + k;
            if i + 1 >= data.len() {
                break;
            }
            if i > 0 && !matches!(data[i - 1], b'\r' | b'\n') {
                out.push(i + 1);
                next = i + 1 + target;
            } else {
                next = i + 2;
            }
        }
        return out;
    }
    // The states of the CSV reader (quote `"`, doubled quotes, no escape, no comments) that matter
    // here; `\r` ends a record as `\n` does, and a `\n` after it is an empty line.
    let mut state = START_RECORD;
    for (i, &c) in data.iter().enumerate() {
        state = match (state, c) {
            (QUOTED, b'"') => QUOTE_IN_QUOTED,
            (QUOTED, _) => QUOTED,
            (START_RECORD, b'\r' | b'\n') => START_RECORD,
            (START_RECORD | START_FIELD, b'"') | (QUOTE_IN_QUOTED, b'"') => QUOTED,
            (_, c) if c == delimiter => START_FIELD,
            (_, b'\r') => START_RECORD,
            (_, b'\n') => {
                if i + 1 >= next && i + 1 < data.len() {
                    out.push(i + 1);
                    next = i + 1 + target;
                }
                START_RECORD
            }
            _ => IN_FIELD,
        };
    }
    out
}

/// Reads the rows of one chunk with a reader of its own; `first_line` is the line of the chunk's
/// first byte.
fn read_csv_chunk(
    data: &[u8],
    first_line: u64,
    opts: &ReadOptions,
    needed: &Needed,
    layout: &CsvLayout,
    delimiter: u8,
) -> ChunkRows {
    let source_name: Arc<str> = opts.source_name.as_str().into();
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(data);
    let global = |local: u64| first_line + local.saturating_sub(1);
    let mut out = ChunkRows { records: RawRecords::new(opts.columns.len()), rejected: Vec::new(), counted: 0 };
    let mut kept = 0usize;
    let mut rec = csv::ByteRecord::new();
    loop {
        let line = global(rdr.position().line() + 1);
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| global(p.line()));
                out.rejected.push((kept, line, format!("malformed CSV: {e}")));
                if !opts.skip_bad_rows || matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = rec.position().map_or(line, |p| global(record_line(data, p)));
        let pushed = match layout.text(&rec) {
            Ok(text) => {
                out.counted += 1;
                push_row(opts, needed, &source_name, &mut out.records, line, |i| layout.get(&rec, text, i))
            }
            Err(m) => Err(m),
        };
        match pushed {
            Ok(()) => kept += 1,
            Err(m) => {
                out.rejected.push((kept, line, m));
                if !opts.skip_bad_rows {
                    break;
                }
            }
        }
    }
    out
}

/// Reads CSV held in memory, as [`read_csv`] does (same records, statistics and errors), in
/// parallel over chunks of rows.
pub fn read_csv_bytes(input: &[u8], opts: &ReadOptions) -> Result<(RawRecords, ReadStats)> {
    let mut notes = Vec::new();
    let text = prepare_input(input, opts, &mut notes)?;
    let delimiter = csv_delimiter(&text, opts, &mut notes);
    let target = (text.len() / (rayon::current_num_threads() * 8)).clamp(1 << 18, 1 << 26);
    let (records, mut stats) = read_csv_chunked(&text, opts, delimiter, target)?;
    stats.notes = notes;
    Ok((records, stats))
}

fn read_csv_chunked(input: &[u8], opts: &ReadOptions, delimiter: u8, target: usize) -> Result<(RawRecords, ReadStats)> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(true).delimiter(delimiter).from_reader(input);
    let headers = match rdr.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(LinkError::BadRow { source_name: opts.source_name.clone(), line: 1, message: e.to_string() });
        }
    };
    let needed = Needed::new(opts);
    let layout = CsvLayout::new(&headers, opts, &needed)?;
    let start = usize::try_from(rdr.position().byte()).unwrap_or(input.len()).min(input.len());
    let data = &input[start..];
    let mut bounds = vec![0];
    bounds.extend(chunk_starts(data, target, delimiter));
    bounds.push(data.len());
    let chunks: Vec<&[u8]> = bounds.windows(2).map(|w| &data[w[0]..w[1]]).collect();
    let newlines: Vec<u64> = chunks.par_iter().map(|c| c.iter().filter(|&&x| x == b'\n').count() as u64).collect();
    let mut first_lines = Vec::with_capacity(chunks.len());
    let mut line = rdr.position().line();
    for n in &newlines {
        first_lines.push(line);
        line += n;
    }
    let mut parts: Vec<ChunkRows> = chunks
        .par_iter()
        .zip(&first_lines)
        .map(|(c, first)| read_csv_chunk(c, *first, opts, &needed, &layout, delimiter))
        .collect();
    // Repeated identifiers: the first record with an identifier keeps it, later ones are rejected
    // naming its line. Records are numbered in file order.
    let located: Vec<(&RawChunk, usize)> =
        parts.iter().flat_map(|p| p.records.chunks()).flat_map(|c| (0..c.len()).map(move |r| (c, r))).collect();
    let hashes: Vec<u64> = located
        .par_iter()
        .map(|(c, r)| {
            let mut h = rustc_hash::FxHasher::default();
            c.id(*r).hash(&mut h);
            h.finish()
        })
        .collect();
    let keys = crate::blocking::sorted_pairs(|| hashes.iter().enumerate().map(|(i, h)| (*h, i as u32)));
    let mut repeated_from = vec![0u64; located.len()];
    for run in keys.chunk_by(|x, y| x.0 == y.0).filter(|run| run.len() > 1) {
        for (k, (_, j)) in run.iter().enumerate() {
            let (c, r) = located[*j as usize];
            if let Some((_, first)) = run[..k].iter().find(|(_, i)| {
                let (d, q) = located[*i as usize];
                d.id(q) == c.id(r)
            }) {
                let (d, q) = located[*first as usize];
                repeated_from[*j as usize] = d.line(q);
            }
        }
    }
    drop(located);
    // the rows in file order: rejections and repeated identifiers reported (or counted) in turn
    let mut stats = ReadStats::default();
    let mut next = 0usize;
    let mut records = RawRecords::new(opts.columns.len());
    for part in &mut parts {
        stats.rows += part.counted;
        let mut rejected = part.rejected.iter().peekable();
        let mut kept_before = 0usize;
        for chunk in part.records.chunks_mut() {
            let repeated = &repeated_from[next..next + chunk.len()];
            for (r, first) in repeated.iter().enumerate() {
                while let Some((_, line, m)) = rejected.next_if(|(k, _, _)| *k <= kept_before + r) {
                    reject(opts, &mut stats, *line, m.clone())?;
                }
                if *first != 0 {
                    let m = format!("identifier {:?} already used on line {first}", chunk.id(r));
                    reject(opts, &mut stats, chunk.line(r), m)?;
                }
            }
            kept_before += chunk.len();
            next += chunk.len();
            if repeated.iter().any(|x| *x != 0) {
                chunk.retain(|r| repeated[r] == 0);
            }
        }
        for (_, line, m) in rejected {
            reject(opts, &mut stats, *line, m.clone())?;
        }
    }
    for part in parts {
        records.append(part.records);
    }
    Ok((records, stats))
}

/// Reads JSON Lines: one object per line; values are strings, numbers, booleans or null (gzip and
/// encoding as for CSV).
pub fn read_jsonl(input: impl Read, opts: &ReadOptions) -> Result<(Vec<RawRecord>, ReadStats)> {
    read_jsonl_raw(input, opts).map(|(r, s)| (r.into_records(), s))
}

/// [`read_jsonl`], giving the records in their compact form.
pub fn read_jsonl_raw(input: impl Read, opts: &ReadOptions) -> Result<(RawRecords, ReadStats)> {
    let data = read_all(input, opts)?;
    read_jsonl_bytes(&data, opts)
}

/// [`read_jsonl`] of input held in memory.
fn read_jsonl_bytes(data: &[u8], opts: &ReadOptions) -> Result<(RawRecords, ReadStats)> {
    let mut notes = Vec::new();
    let data = prepare_input(data, opts, &mut notes)?;
    let mut b = Builder::new(opts);
    b.stats.notes = notes;
    let mut line = 0u64;
    let mut checked = false;
    for buf in data.split_inclusive(|c| *c == b'\n') {
        line += 1;
        let Ok(text) = std::str::from_utf8(buf) else {
            b.reject(line, format!("not valid UTF-8 ({DECLARE_ENCODING})"))?;
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        let obj: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(text) {
            Ok(o) => o,
            Err(e) => {
                b.reject(line, format!("not a JSON object: {e}"))?;
                continue;
            }
        };
        if !checked {
            check_columns(opts, |c| obj.contains_key(c))?;
            checked = true;
        }
        let mut flat: HashMap<&str, String> = HashMap::default();
        let mut bad = None;
        for (k, v) in &obj {
            let s = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(x) => x.to_string(),
                serde_json::Value::Null => continue,
                _ => {
                    bad = Some(format!("field {k:?} is a list or object, not a value"));
                    break;
                }
            };
            flat.insert(k.as_str(), s);
        }
        if let Some(m) = bad {
            b.reject(line, m)?;
            continue;
        }
        let names = b.needed.names.clone();
        b.add(line, |i| names.get(i).and_then(|c| flat.get(c.as_str())).map(String::as_str))?;
    }
    Ok((b.records, b.stats))
}

/// First (and last) bytes of a Parquet file.
const PARQUET_MAGIC: &[u8; 4] = b"PAR1";

/// Reads Parquet: one record per row, from top-level columns of strings, numbers, booleans, dates
/// (as `YYYY-MM-DD`) and timestamps (their date in UTC); a row with a list or a group in a needed
/// column is rejected. The `line` of a record is its row number (from 1).
pub fn read_parquet(data: Vec<u8>, opts: &ReadOptions) -> Result<(RawRecords, ReadStats)> {
    // the Parquet reader may panic on malformed files; that is an unreadable file, not a crash
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_parquet_rows(data, opts))) {
        Ok(r) => r,
        Err(_) => Err(not_parquet(opts, "the file is malformed")),
    }
}

fn not_parquet(opts: &ReadOptions, message: impl std::fmt::Display) -> LinkError {
    LinkError::Io {
        path: opts.source_name.clone(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, format!("not a readable Parquet file: {message}")),
    }
}

fn read_parquet_rows(data: Vec<u8>, opts: &ReadOptions) -> Result<(RawRecords, ReadStats)> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::schema::types::Type;
    let reader = SerializedFileReader::new(bytes::Bytes::from(data)).map_err(|e| not_parquet(opts, e))?;
    let root = reader.metadata().file_metadata().schema_descr().root_schema();
    check_columns(opts, |c| root.get_fields().iter().any(|f| f.name() == c))?;
    let mut b = Builder::new(opts);
    // only the needed columns are read
    let names = b.needed.names.clone();
    let wanted = root.get_fields().iter().filter(|f| names.iter().any(|n| n == f.name())).cloned().collect();
    let projection =
        Type::group_type_builder(root.name()).with_fields(wanted).build().map_err(|e| not_parquet(opts, e))?;
    let rows = reader.get_row_iter(Some(projection)).map_err(|e| not_parquet(opts, e))?;
    let mut values: Vec<Option<String>> = vec![None; names.len()];
    for (n, row) in rows.enumerate() {
        let line = n as u64 + 1;
        let row = row.map_err(|e| not_parquet(opts, format_args!("row {line}: {e}")))?;
        values.iter_mut().for_each(|v| *v = None);
        let mut bad = None;
        for (name, field) in row.get_column_iter() {
            match parquet_value(field) {
                Ok(v) => {
                    for (i, _) in names.iter().enumerate().filter(|(_, c)| *c == name) {
                        values[i].clone_from(&v);
                    }
                }
                Err(m) => {
                    bad = Some(format!("column {name:?}: {m}"));
                    break;
                }
            }
        }
        match bad {
            Some(m) => b.reject(line, m)?,
            None => b.add(line, |i| values.get(i).and_then(Option::as_deref))?,
        }
    }
    Ok((b.records, b.stats))
}

/// The text of a Parquet value; `None` for null.
fn parquet_value(field: &parquet::record::Field) -> std::result::Result<Option<String>, &'static str> {
    use parquet::record::Field as F;
    Ok(Some(match field {
        F::Null => return Ok(None),
        F::Bool(x) => x.to_string(),
        F::Byte(x) => x.to_string(),
        F::Short(x) => x.to_string(),
        F::Int(x) => x.to_string(),
        F::Long(x) => x.to_string(),
        F::UByte(x) => x.to_string(),
        F::UShort(x) => x.to_string(),
        F::UInt(x) => x.to_string(),
        F::ULong(x) => x.to_string(),
        F::Float16(x) => x.to_string(),
        F::Float(x) => x.to_string(),
        F::Double(x) => x.to_string(),
        F::Str(x) => x.clone(),
        F::Bytes(x) => x.as_utf8().map_err(|_| "a binary value that is not UTF-8 text")?.to_string(),
        F::Date(days) => civil_date(i64::from(*days)),
        F::TimestampMillis(ms) => civil_date(ms.div_euclid(86_400_000)),
        F::TimestampMicros(us) => civil_date(us.div_euclid(86_400_000_000)),
        F::Decimal(_) | F::TimeMillis(_) | F::TimeMicros(_) => field.to_string(),
        F::Group(_) | F::ListInternal(_) | F::MapInternal(_) => return Err("a list or group, not a value"),
    }))
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01 (proleptic Gregorian calendar).
fn civil_date(days: i64) -> String {
    // H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", civil_from_days
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Reads records in any format (CSV and JSON Lines as they come, Parquet once all is read).
pub fn read_records(input: impl Read, format: Format, opts: &ReadOptions) -> Result<(Vec<RawRecord>, ReadStats)> {
    match format {
        Format::Csv => read_csv(input, opts),
        Format::JsonLines => read_jsonl(input, opts),
        Format::Parquet => read_parquet(read_all(input, opts)?, opts).map(|(r, s)| (r.into_records(), s)),
    }
}

/// Opens and reads a file.
pub fn read_file(path: &str, opts: &ReadOptions) -> Result<(Vec<RawRecord>, ReadStats)> {
    read_file_raw(path, opts).map(|(r, s)| (r.into_records(), s))
}

/// Opens and reads a file, giving the records in their compact form (CSV is read in parallel). The
/// format comes from the name ([`Format::from_path`]), except that a file that starts and ends as
/// Parquet does is read as Parquet.
pub fn read_file_raw(path: &str, opts: &ReadOptions) -> Result<(RawRecords, ReadStats)> {
    let data = std::fs::read(path).map_err(|e| LinkError::Io { path: path.to_string(), source: e })?;
    let parquet = data.len() >= 8 && data.starts_with(PARQUET_MAGIC) && data.ends_with(PARQUET_MAGIC);
    match Format::from_path(path) {
        _ if parquet => read_parquet(data, opts),
        Format::Parquet => read_parquet(data, opts),
        Format::Csv => read_csv_bytes(&data, opts),
        Format::JsonLines => read_jsonl_bytes(&data, opts),
    }
}

/// Reads a `record_id,person_id` file from an earlier run.
pub fn read_person_ids(input: impl Read, source_name: &str) -> Result<BTreeMap<String, String>> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(input);
    let mut out = BTreeMap::new();
    for row in rdr.records() {
        let row = row.map_err(|e| LinkError::BadRow {
            source_name: source_name.to_string(),
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = row.position().map_or(0, |p| p.line());
        match (row.get(0), row.get(1)) {
            (Some(r), Some(p)) if !r.is_empty() && !p.is_empty() => {
                out.insert(r.to_string(), p.to_string());
            }
            _ => {
                return Err(LinkError::BadRow {
                    source_name: source_name.to_string(),
                    line,
                    message: "expected record_id,person_id".into(),
                });
            }
        }
    }
    Ok(out)
}

/// Writes CSV rows, mapping write errors to [`LinkError::Io`].
pub fn write_csv<W: Write>(out: W, path: &str, header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<()> {
    let io = |e: csv::Error| LinkError::Io { path: path.to_string(), source: std::io::Error::other(e.to_string()) };
    let mut w = csv::Writer::from_writer(out);
    w.write_record(header).map_err(io)?;
    for r in rows {
        w.write_record(&r).map_err(io)?;
    }
    w.flush().map_err(|e| LinkError::Io { path: path.to_string(), source: e })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn opts(skip: bool) -> ReadOptions {
        ReadOptions {
            source_name: "t.csv".into(),
            source: 3,
            id_column: "id".into(),
            columns: vec![vec!["a".into()], vec!["b".into(), "c".into()]],
            label_column: Some("l".into()),
            skip_bad_rows: skip,
            delimiter: None,
            encoding: None,
        }
    }

    fn same_as_streaming_with(input: &[u8], skip: bool, target: usize, delimiter: u8) {
        let o = opts(skip);
        let stream = |t: &[u8]| read_csv_stream(t, &o, delimiter).map(|(r, s)| (r.into_records(), s));
        let want = format!("{:?}", stream(input));
        let got = format!("{:?}", read_csv_chunked(input, &o, delimiter, target).map(|(r, s)| (r.into_records(), s)));
        assert_eq!(want, got, "input {:?}, target {target}", String::from_utf8_lossy(input));
    }

    fn same_as_streaming(input: &[u8], skip: bool, target: usize) {
        same_as_streaming_with(input, skip, target, b',');
    }

    #[test]
    fn chunked_reading_matches_streaming_on_awkward_input() {
        let cases: [&[u8]; 8] = [
            b"id,a,b,c,l\n1,x,y,z,p\n2,x,,z,p\n\n\n3,\"q\nq\",y,z,p\n1,x,y,z,p\n",
            b"id,a,b,c,l\r\n1,x,y,z,p\r\n2,x,,z,p\r\n\r\n3,\"q\r\nq\",y,z,p\r\n4,x,y,z\r\n5,a,b,c,d",
            b"id,a,b,c,l\r1,x,y,z,p\r2,x,,z,p\r\r3,x,y,z,p\r",
            b"\xef\xbb\xbfid,a,b,c,l\n1,x\xff,y,z,p\n2,x,y,z,p\n,x,y,z,p\n2,x,y,z,p\n",
            b"id,a,b,c,l\n1,a\"b,\"c\"\"d\",e\"\n,f\n2,x,y,z,p\n3,\"\"\"\n\",y,z,p\n",
            b"id,a,b,c,l\n1,\xc3,\xa9,z,p\n2,x,y,z,p\n",
            b"id,a,b,c,l",
            b"",
        ];
        for input in cases {
            for skip in [false, true] {
                for target in 1..40 {
                    same_as_streaming(input, skip, target);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn chunked_reading_matches_streaming(
            body in proptest::collection::vec(proptest::sample::select(
                vec![b'1', b'2', b'x', b' ', b',', b',', b',', b',', b';', b';', b'\t', b'"', b'\n', b'\n', b'\n', b'\r', 0xff, 0xc3, 0xa9]), 0..300),
            crlf in any::<bool>(),
            skip in any::<bool>(),
            target in 1usize..60,
            delimiter in proptest::sample::select(vec![b',', b';', b'\t']),
        ) {
            let mut input = b"id,a,b,c,l".iter().map(|c| if *c == b',' { delimiter } else { *c }).collect::<Vec<u8>>();
            input.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
            input.extend(body);
            same_as_streaming_with(&input, skip, target, delimiter);
        }
    }
}
