#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(e) = haven_link::clk::Encodings::from_csv(data, "fuzz") {
        let (pairs, _) = haven_link::clk::candidate_pairs(&e, &e, 0.8, true);
        let _ = haven_link::clk::greedy_one_to_one(pairs);
        let _ = haven_link::clk::Encodings::from_csv(e.to_csv().as_bytes(), "again");
    }
});
