#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let items: Vec<String> = text.split('\n').map(str::to_string).collect();
    let _ = haven_link::io::parse_mapping(&items);
    let _ = haven_link::io::read_person_ids(data, "fuzz");
});
