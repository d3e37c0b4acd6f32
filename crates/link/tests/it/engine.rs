use haven_link::data::{BadValues, Dataset, RawRecord};
use haven_link::linker::Linker;
use haven_link::model::LinkageModel;
use haven_link::normalize::{CyrillicScheme, fold};
use haven_link::train::SplitMix64;
use haven_link::{CandidateIndex, eval};

use crate::person_settings;

const GIVEN: [&str; 12] =
    ["anna", "maria", "olena", "ioana", "elena", "natalia", "jan", "piotr", "ivan", "andrei", "mihai", "georgios"];
const SURNAME: [&str; 12] = [
    "kowalska",
    "popescu",
    "shevchenko",
    "nowak",
    "ionescu",
    "petrova",
    "horvat",
    "novak",
    "kovacs",
    "papadopoulos",
    "rossi",
    "muller",
];
const TOWN: [&str; 6] = ["warszawa", "bucuresti", "kyiv", "sofia", "athina", "wien"];

fn typo(s: &str, rng: &mut SplitMix64) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() > 3 {
        let i = 1 + rng.below(c.len() as u64 - 2) as usize;
        c.swap(i, i + 1);
    }
    c.into_iter().collect()
}

/// Persons with 1-3 records each; duplicates carry typos, swapped names or a missing town.
fn simulated(n_persons: usize, seed: u64) -> Vec<RawRecord> {
    let mut rng = SplitMix64(seed);
    let mut out = Vec::new();
    for p in 0..n_persons {
        let given = format!("{}{}", GIVEN[rng.below(12) as usize], ["", "a", "o", "e"][rng.below(4) as usize]);
        let surname =
            format!("{}{}", SURNAME[rng.below(12) as usize], ["", "ova", "escu", "ic", "enko"][rng.below(5) as usize]);
        let dob = format!("{}-{:02}-{:02}", 1950 + rng.below(50), 1 + rng.below(12), 1 + rng.below(28));
        let town = TOWN[rng.below(6) as usize].to_string();
        let copies = 1 + rng.below(3) as usize;
        for c in 0..copies {
            let (mut g, mut s, mut t) = (given.clone(), surname.clone(), Some(town.clone()));
            if c > 0 {
                match rng.below(4) {
                    0 => g = typo(&g, &mut rng),
                    1 => s = typo(&s, &mut rng),
                    2 => std::mem::swap(&mut g, &mut s),
                    _ => t = None,
                }
            }
            out.push(RawRecord {
                id: format!("r{}", out.len()),
                source: 0,
                values: vec![Some(g), Some(s), Some(dob.clone()), t],
                truth: Some(format!("p{p}")),
                line: out.len() as u64 + 2,
                source_name: "simulated".into(),
            });
        }
    }
    out
}

fn trained(records: Vec<RawRecord>) -> Linker {
    let model = LinkageModel::new(person_settings("dedupe")).unwrap();
    let data = Dataset::prepare(&model.settings, records, BadValues::Fail).unwrap();
    let mut linker = Linker::new(model, data).unwrap();
    let c = linker.candidates().unwrap();
    linker.train(&c).unwrap();
    linker
}

#[test]
fn unsupervised_dedupe_finds_the_simulated_persons() {
    let mut linker = trained(simulated(600, 3));
    let c = linker.candidates().unwrap();
    let scored = linker.score(&c).unwrap();
    let pairs: Vec<(u32, u32, f64)> = scored.iter().map(|p| (p.a, p.b, p.probability())).collect();
    let acc = eval::pairwise(&linker.data, linker.model.settings.link_type, &pairs, &[0.9]);
    assert!(acc[0].f1 > 0.95, "{:?}", acc[0]);
    // a labelled model does at least as well
    linker.train_from_labels(&c).unwrap();
    let scored = linker.score(&c).unwrap();
    let pairs: Vec<(u32, u32, f64)> = scored.iter().map(|p| (p.a, p.b, p.probability())).collect();
    let acc2 = eval::pairwise(&linker.data, linker.model.settings.link_type, &pairs, &[0.9]);
    assert!(acc2[0].f1 > 0.95, "{:?}", acc2[0]);
}

#[test]
fn weights_explain_themselves_field_by_field() {
    let linker = trained(simulated(600, 5));
    let c = linker.candidates().unwrap();
    let scored = linker.score(&c).unwrap();
    let best = scored.iter().max_by(|a, b| a.weight.total_cmp(&b.weight)).unwrap();
    let explanation = linker.explain(best).unwrap();
    assert_eq!(explanation.len(), 4);
    let p = linker.model.parameters.as_ref().unwrap();
    let prior = (p.lambda / (1.0 - p.lambda)).log2();
    let sum: f64 = explanation.iter().map(|e| e.weight).sum::<f64>() + prior;
    assert!((sum - f64::from(best.weight)).abs() < 1e-3, "{sum} vs {}", best.weight);
    assert!(explanation.iter().all(|e| !e.level.is_empty()));
}

#[test]
fn model_round_trips_through_toml() {
    let linker = trained(simulated(200, 7));
    let text = linker.model.to_toml().unwrap();
    let back = LinkageModel::from_toml(&text).unwrap();
    assert_eq!(back.settings, linker.model.settings);
    let (a, b) = (back.parameters.unwrap(), linker.model.parameters.clone().unwrap());
    assert!((a.lambda - b.lambda).abs() < 1e-12);
    assert_eq!(a.fields.len(), b.fields.len());
    // a model with parameters that do not fit its fields is refused
    let broken = text.replacen("m = [", "m = [0.5, ", 1);
    assert!(LinkageModel::from_toml(&broken).is_err());
}

#[test]
fn candidate_index_scores_a_new_record_without_rerunning() {
    let linker = trained(simulated(300, 11));
    let mut index = CandidateIndex::new(&linker.model).unwrap();
    index.insert("a", 0, &[Some("Юлия"), Some("Шевченко"), Some("1990-03-07"), Some("Kyiv")]).unwrap();
    index.insert("b", 0, &[Some("Maria"), Some("Popescu"), Some("1971-11-02"), Some("Bucuresti")]).unwrap();
    index.insert("c", 0, &[Some("Yuliya"), Some("Kovalenko"), Some("1990-03-07"), None]).unwrap();
    assert_eq!(index.len(), 3);
    // a police record spelt through another transliteration, day and month swapped
    let found = index.query(0, &[Some("Iuliia"), Some("Shevchenko"), Some("1990-07-03"), None], 0.5).unwrap();
    assert_eq!(found.first().map(|c| c.id.as_str()), Some("a"), "{found:?}");
    let top = &found[0];
    assert_eq!(top.explanation.len(), 4);
    assert_eq!(top.explanation[2].level, "day and month swapped");
    assert!(top.probability > 0.5);
    // nothing close to an unrelated person
    let none = index.query(0, &[Some("Piotr"), Some("Nowak"), Some("1950-01-01"), None], 0.5).unwrap();
    assert!(none.is_empty(), "{none:?}");
}

#[test]
fn link_mode_never_pairs_records_of_one_source() {
    let mut records = simulated(200, 13);
    for (i, r) in records.iter_mut().enumerate() {
        r.source = (i % 2) as u16;
    }
    let model = LinkageModel::new(person_settings("link")).unwrap();
    let data = Dataset::prepare(&model.settings, records, BadValues::Fail).unwrap();
    let linker = Linker::new(model, data).unwrap();
    let c = linker.candidates().unwrap();
    assert!(!c.is_empty());
    assert!(c.iter().all(|p| linker.data.sources[p.a as usize] != linker.data.sources[p.b as usize]));
    assert_eq!(linker.count_candidates().total, c.len() as u64);
}

#[test]
fn blocking_counts_match_generated_pairs_and_rules_parse() {
    let linker = trained(simulated(300, 17));
    let counts = linker.count_candidates();
    let c = linker.candidates().unwrap();
    assert_eq!(counts.total, c.len() as u64);
    assert!(linker.candidate_upper_bound() >= counts.total);
    let s = person_settings("dedupe");
    for bad in ["", "nosuch", "year(given_name)", "first0(surname)", "phonetic(dob)", "surname & ", "exact(surname"] {
        assert!(haven_link::blocking::BlockingRule::parse(bad, &s).is_err(), "{bad:?}");
    }
    assert!(haven_link::blocking::BlockingRule::parse("first3(surname) & year(dob)", &s).is_ok());
}

#[test]
fn too_many_pairs_is_refused_before_comparing() {
    let mut settings = person_settings("dedupe");
    settings.max_candidate_pairs = 3;
    let model = LinkageModel::new(settings).unwrap();
    let data = Dataset::prepare(&model.settings, simulated(100, 19), BadValues::Fail).unwrap();
    let linker = Linker::new(model, data).unwrap();
    assert!(matches!(linker.candidates(), Err(haven_link::LinkError::TooManyPairs { .. })));
}

#[test]
fn transliteration_brings_variants_together() {
    let v = |s: &str| fold(s, CyrillicScheme::Icao);
    assert_eq!(v("Шевченко"), "shevchenko");
    assert_eq!(v("ŠEVČENKO"), "sevcenko");
    assert_eq!(v("Παπαδόπουλος"), "papadopoulos");
    assert_eq!(v("O'Brien-Smith"), "o brien smith");
}
