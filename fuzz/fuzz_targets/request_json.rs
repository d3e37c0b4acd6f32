//! Request bodies as the API parses them: never a panic, whatever the bytes.
#![no_main]

use haven_web::api::{LoginBody, NewCaseBody, NewNoteBody, NewOrganisationBody, NewShareBody, NewUserBody};
use haven_web::extract::parse_json;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_json::<LoginBody>(data);
    let _ = parse_json::<NewOrganisationBody>(data);
    let _ = parse_json::<NewUserBody>(data);
    let _ = parse_json::<NewNoteBody>(data);
    let _ = parse_json::<NewShareBody>(data);
    if let Ok(body) = parse_json::<NewCaseBody>(data) {
        let p = &body.person;
        let _ = haven_domain::case::PersonIdentity::parse(
            &p.given_names,
            &p.family_names,
            &p.aliases,
            p.date_of_birth.as_deref(),
            &p.sex,
        );
    }
    let _ = serde_urlencoded_like(data);
});

fn serde_urlencoded_like(data: &[u8]) -> Option<()> {
    let text = std::str::from_utf8(data).ok()?;
    for pair in text.split('&') {
        let _ = pair.split_once('=');
    }
    Some(())
}
