#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(model) = haven_link::LinkageModel::from_toml(text) {
        // a model that loads must also save, reload, and build a scorer and an index
        if let Ok(saved) = model.to_toml() {
            let _ = haven_link::LinkageModel::from_toml(&saved);
        }
        if model.parameters.is_some() {
            let _ = haven_link::CandidateIndex::new(&model);
        }
    }
    if let Ok(schema) = haven_link::clk::ClkSchema::from_toml(text)
        && let Ok(enc) = haven_link::clk::ClkEncoder::new(schema, b"0123456789abcdef")
    {
        let _ = enc.encode(&[Some("Anna"), Some("1990-01-02"), None]);
    }
});
