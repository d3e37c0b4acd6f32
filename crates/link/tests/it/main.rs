//! Integration tests of haven-link (one test binary).
#![expect(clippy::unwrap_used, clippy::panic, reason = "test helpers fail loudly")]

mod blocking;
mod cli;
mod clk;
mod clustering;
mod engine;
mod multiparty;
mod readers;
mod report;
mod review;
mod training;

/// Settings used across tests: names, date of birth, town.
pub fn person_settings(link_type: &str) -> haven_link::ModelSettings {
    let text = format!(
        r#"
link_type = "{link_type}"
id_column = "id"
blocking = ["surname", "dob", "phonetic(given_name) & phonetic(surname)"]
swappable_names = ["given_name", "surname"]
u_sample_pairs = 20000

[[field]]
name = "given_name"
comparison = {{ kind = "name" }}
term_frequency = true

[[field]]
name = "surname"
comparison = {{ kind = "name" }}
columns = ["surname", "maiden_name"]
term_frequency = true

[[field]]
name = "dob"
comparison = {{ kind = "date" }}

[[field]]
name = "town"
comparison = {{ kind = "text" }}
"#
    );
    match haven_link::LinkageModel::from_toml(&text) {
        Ok(m) => m.settings,
        Err(e) => panic!("test settings: {e}"),
    }
}
