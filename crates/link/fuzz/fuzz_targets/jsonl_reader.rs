#![no_main]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::read_and_link(data, haven_link::io::Format::JsonLines);
});
