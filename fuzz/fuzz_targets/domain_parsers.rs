//! Every parser of outside text in the domain: never a panic.
#![no_main]

use haven_domain::case::{CalendarDate, NoteInput};
use haven_domain::{CountryCode, Jurisdiction, Role, Username};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = CalendarDate::parse("f", text);
    let _ = CountryCode::parse("f", text);
    let _ = Jurisdiction::parse("f", text);
    let _ = Username::parse("f", text);
    let _ = Role::parse_list("f", text);
    let _ = haven_domain::text::parse_line("f", text, 200);
    let _ = haven_domain::text::Narrative::parse("f", text);
    if let Some((a, b)) = text.split_once('|') {
        let _ = NoteInput::parse(a, b);
    }
});
