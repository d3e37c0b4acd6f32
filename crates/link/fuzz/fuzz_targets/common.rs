// Shared by the reader targets: settings with every kind of field.
pub fn settings() -> Option<haven_link::ModelSettings> {
    let text = r#"
id_column = "id"
blocking = ["surname", "phonetic(given_name) & year(dob)", "first3(town)"]
swappable_names = ["given_name", "surname"]
[[field]]
name = "given_name"
comparison = { kind = "name" }
[[field]]
name = "surname"
comparison = { kind = "name" }
columns = ["surname", "maiden_name"]
[[field]]
name = "dob"
comparison = { kind = "date" }
[[field]]
name = "town"
comparison = { kind = "text" }
[[field]]
name = "code"
comparison = { kind = "code" }
"#;
    haven_link::LinkageModel::from_toml(text).ok().map(|m| m.settings)
}

/// Reads records with `read`, then prepares them and runs blocking and comparison on them, so that
/// whatever a reader lets through is also fed to the engine.
#[allow(dead_code, reason = "not every target uses it")]
pub fn read_and_link(
    data: &[u8],
    format: haven_link::io::Format,
) {
    read_and_link_with(data, format, |_| {});
}

/// [`read_and_link`] with the read options changed by `change`.
pub fn read_and_link_with(
    data: &[u8],
    format: haven_link::io::Format,
    change: impl Fn(&mut haven_link::io::ReadOptions),
) {
    let Some(settings) = settings() else { return };
    for skip in [false, true] {
        let mut opts = haven_link::io::ReadOptions::new(&settings, "fuzz", 0, &Default::default());
        opts.skip_bad_rows = skip;
        change(&mut opts);
        let Ok((records, _)) = haven_link::io::read_records(data, format, &opts) else { continue };
        let policy = if skip { haven_link::data::BadValues::TreatAsMissing } else { haven_link::data::BadValues::Fail };
        let Ok(ds) = haven_link::data::Dataset::prepare(&settings, records, policy) else { continue };
        let Ok(model) = haven_link::LinkageModel::new(settings.clone()) else { return };
        if let Ok(linker) = haven_link::Linker::new(model, ds) {
            let _ = linker.candidates();
        }
    }
}
