//! The run report (sections, histogram, escaping) and the model file with its term-frequency file.

use haven_link::data::{BadValues, Dataset, RawRecord};
use haven_link::linker::Linker;
use haven_link::model::{LinkageModel, term_frequency_file_name};

use crate::person_settings;

/// 40 persons, most with a second record (a typo in the surname, or no town): given name, surname,
/// date of birth, town.
fn records() -> Vec<RawRecord> {
    let given = ["anna", "maria", "olena", "jan", "ivan", "andrei", "mihai", "piotr"];
    let surname = ["kowalska", "popescu", "shevchenko", "nowak", "ionescu", "petrova", "horvat", "rossi"];
    let town = ["riga", "kyiv", "sofia", "wien"];
    let mut out = Vec::new();
    for p in 0..40usize {
        let g = given[p % 8].to_string();
        let s = format!("{}{}", surname[(p * 3) % 8], ["", "ova", "escu", "ic", "enko"][p % 5]);
        let dob = format!("{}-{:02}-{:02}", 1950 + p, 1 + p % 12, 1 + p % 28);
        let t = town[p % 4].to_string();
        let mut push = |g: String, s: String, t: Option<String>| {
            out.push(RawRecord {
                id: format!("r{}", out.len()),
                source: 0,
                values: vec![Some(g), Some(s), Some(dob.clone()), t],
                truth: Some(format!("p{p}")),
                line: out.len() as u64 + 2,
                source_name: "fixture".into(),
            });
        };
        push(g.clone(), s.clone(), Some(t.clone()));
        match p % 3 {
            0 => push(g, format!("{s}x"), Some(t)),
            1 => push(g, s, None),
            _ => {}
        }
    }
    out
}

fn trained() -> Linker {
    let model = LinkageModel::new(person_settings("dedupe")).unwrap();
    let data = Dataset::prepare(&model.settings, records(), BadValues::Fail).unwrap();
    let mut linker = Linker::new(model, data).unwrap();
    let c = linker.candidates().unwrap();
    linker.train_from_labels(&c).unwrap();
    linker
}

#[test]
fn the_model_file_keeps_its_term_frequencies_beside_it_and_reads_back_the_same() {
    let linker = trained();
    let model = &linker.model;
    let p = model.parameters.as_ref().unwrap();
    assert!(p.fields.iter().any(|f| !f.term_frequencies.is_empty()), "the fixture has no term frequencies");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trained.toml");
    let tf = model.save(&path).unwrap().unwrap();
    assert_eq!(tf, dir.path().join("trained.tf.json"));
    assert_eq!(term_frequency_file_name(&path), "trained.tf.json");
    let toml = std::fs::read_to_string(&path).unwrap();
    // the TOML names the file by its relative name and holds no table of its own
    assert!(toml.starts_with("term_frequency_file = \"trained.tf.json\"\n"), "{toml}");
    assert!(!toml.contains("term_frequencies"), "{toml}");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&tf).unwrap()).unwrap();
    assert_eq!(json["format"], "haven-link term frequencies 1");
    for f in &p.fields {
        for (value, freq) in &f.term_frequencies {
            assert_eq!(json["fields"][&f.name][value].as_f64(), Some(*freq), "{} {value}", f.name);
        }
    }
    assert_eq!(&LinkageModel::load(&path).unwrap(), model);
    // the same through the texts; the TOML alone is refused, naming the file
    let json_text = std::fs::read_to_string(&tf).unwrap();
    assert_eq!(&LinkageModel::from_toml_with_term_frequencies(&toml, Some(&json_text)).unwrap(), model);
    let e = LinkageModel::from_toml(&toml).unwrap_err().to_string();
    assert!(e.contains("trained.tf.json"), "{e}");
    // the pair moves together to another folder: the name is relative
    let other = tempfile::tempdir().unwrap();
    std::fs::copy(&path, other.path().join("trained.toml")).unwrap();
    std::fs::copy(&tf, other.path().join("trained.tf.json")).unwrap();
    assert_eq!(&LinkageModel::load(&other.path().join("trained.toml")).unwrap(), model);
}

#[test]
fn a_single_file_model_still_loads_and_a_model_without_tables_stays_one_file() {
    let linker = trained();
    let dir = tempfile::tempdir().unwrap();
    // the format saved before: the tables inline
    let old = dir.path().join("old.toml");
    std::fs::write(&old, linker.model.to_toml().unwrap()).unwrap();
    assert!(std::fs::read_to_string(&old).unwrap().contains("term_frequencies"));
    assert_eq!(LinkageModel::load(&old).unwrap(), linker.model);
    // bare settings load as before
    let settings = dir.path().join("settings.toml");
    std::fs::write(&settings, LinkageModel::new(person_settings("link")).unwrap().to_toml().unwrap()).unwrap();
    assert!(LinkageModel::load(&settings).unwrap().parameters.is_none());
    // no field with a table: one file, no name of another
    let mut plain = linker.model.clone();
    for f in &mut plain.parameters.as_mut().unwrap().fields {
        f.term_frequencies.clear();
    }
    let path = dir.path().join("plain.toml");
    assert_eq!(plain.save(&path).unwrap(), None);
    assert!(!dir.path().join("plain.tf.json").exists());
    assert!(!std::fs::read_to_string(&path).unwrap().contains("term_frequency_file"));
    assert_eq!(LinkageModel::load(&path).unwrap(), plain);
}

#[test]
fn a_term_frequency_file_corrected_by_hand_is_read_and_a_broken_one_is_named() {
    let linker = trained();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.toml");
    let tf = linker.model.save(&path).unwrap().unwrap();
    let text = std::fs::read_to_string(&tf).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["fields"]["surname"]["zzcorrected"] = serde_json::json!(0.25);
    std::fs::write(&tf, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    let back = LinkageModel::load(&path).unwrap();
    let surname = back.parameters.unwrap().fields.into_iter().find(|f| f.name == "surname").unwrap();
    assert_eq!(surname.term_frequencies.get("zzcorrected"), Some(&0.25));
    let refused = |json: serde_json::Value, says: &str| {
        std::fs::write(&tf, json.to_string()).unwrap();
        let e = LinkageModel::load(&path).unwrap_err().to_string();
        assert!(e.contains("model.tf.json") && e.contains(says), "{e}");
    };
    let mut bad = json.clone();
    bad["fields"]["surname"]["zzcorrected"] = serde_json::json!(1.5);
    refused(bad, "\"zzcorrected\" is 1.5");
    let mut bad = json.clone();
    bad["fields"]["nickname"] = serde_json::json!({ "a": 0.1 });
    refused(bad, "\"nickname\" is not in the model");
    let mut bad = json.clone();
    bad["format"] = serde_json::json!("something else");
    refused(bad, "format");
    std::fs::remove_file(&tf).unwrap();
    let e = LinkageModel::load(&path).unwrap_err().to_string();
    assert!(e.contains("model.tf.json"), "{e}");
}
