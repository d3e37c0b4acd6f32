//! Blocking: keys over several name fields, age estimates, and the estimate of the matches that no
//! rule finds.

use haven_link::blocking::BlockingRule;
use haven_link::data::{BadValues, Dataset, Preparer, RawRecord};
use haven_link::linker::Linker;
use haven_link::model::LinkageModel;
use haven_link::train::SplitMix64;
use haven_link::{ModelSettings, eval};
use proptest::prelude::*;

use crate::person_settings;

/// The key of `rule` for a record of raw values (given name, surname, dob, town).
fn key(settings: &ModelSettings, rule: &BlockingRule, values: [&str; 4]) -> Option<u64> {
    let p = Preparer::new(settings);
    let prepared: Vec<_> = values.iter().enumerate().map(|(f, v)| p.prepare(f, v).unwrap()).collect();
    rule.key(|f| prepared.get(f).and_then(Option::as_ref))
}

/// Latin letters with a diacritic, as they might be written for the plain one.
fn accented(c: char) -> char {
    match c {
        'a' => 'á',
        'e' => 'ë',
        'o' => 'ö',
        'u' => 'ü',
        'c' => 'č',
        's' => 'š',
        'z' => 'ž',
        'n' => 'ñ',
        other => other,
    }
}

proptest! {
    /// `sorted_tokens(given_name, surname)` is the same whichever field holds which name, in
    /// whatever order, case and with diacritics, as the folding of names makes them.
    #[test]
    fn sorted_tokens_key_sees_through_order_case_and_diacritics(
        tokens in prop::collection::vec("[a-z]{2,8}", 2..5),
        split in 1usize..4,
        rotate in 0usize..5,
        upper in any::<bool>(),
        marks in any::<bool>(),
    ) {
        let s = person_settings("dedupe");
        let rule = BlockingRule::parse("sorted_tokens(given_name, surname)", &s).unwrap();
        let split = split.min(tokens.len() - 1);
        let a = [tokens[..split].join(" "), tokens[split..].join(" ")];
        let mut moved = tokens.clone();
        moved.rotate_left(rotate % tokens.len());
        moved.reverse();
        let write = |t: &str| -> String {
            let t: String = if marks { t.chars().map(accented).collect() } else { t.to_string() };
            if upper { t.to_uppercase() } else { t }
        };
        let cut = tokens.len() - split;
        let b = [
            moved[..cut].iter().map(|t| write(t)).collect::<Vec<_>>().join(" "),
            moved[cut..].iter().map(|t| write(t)).collect::<Vec<_>>().join("-"),
        ];
        let ka = key(&s, &rule, [&a[0], &a[1], "1990-01-01", "riga"]);
        let kb = key(&s, &rule, [&b[0], &b[1], "1990-01-01", "riga"]);
        prop_assert!(ka.is_some());
        prop_assert_eq!(ka, kb);
        // and it tells other names apart
        let other = key(&s, &rule, [&format!("{}x", a[0]), &a[1], "1990-01-01", "riga"]);
        prop_assert_ne!(ka, other);
    }
}

proptest! {
    /// `near_year(dob, N)`: two records meet under one of its N + 1 rules exactly when their years
    /// of birth (registered or estimated) are at most N apart.
    #[test]
    fn near_year_meets_exactly_the_years_at_most_n_apart(
        y1 in 1900u16..2020,
        y2 in 1900u16..2020,
        n in 1u8..=haven_link::blocking::MAX_NEAR_YEARS,
        estimated in any::<bool>(),
    ) {
        let s = person_settings("dedupe");
        let rules = BlockingRule::parse_all(&[format!("near_year(dob, {n})")], &s).unwrap();
        prop_assert_eq!(rules.len(), usize::from(n) + 1);
        let a = format!("{y1}-03-04");
        let b = if estimated { format!("~{y2}±2") } else { format!("{y2}-11-30") };
        let meet = rules
            .iter()
            .any(|r| key(&s, r, ["x", "y", &a, "t"]) == key(&s, r, ["x", "y", &b, "t"]));
        prop_assert_eq!(meet, y1.abs_diff(y2) <= u16::from(n));
    }
}

#[test]
fn near_year_takes_a_span_of_one_to_five_years() {
    let s = person_settings("dedupe");
    // the default is one year either side, as before: two rules with their old names
    let one = BlockingRule::parse_all(&["near_year(dob)".to_string()], &s).unwrap();
    let also_one = BlockingRule::parse_all(&["near_year(dob, 1)".to_string()], &s).unwrap();
    assert_eq!(one.iter().map(|r| &r.keys).collect::<Vec<_>>(), also_one.iter().map(|r| &r.keys).collect::<Vec<_>>());
    assert!(one[1].text.ends_with("[years paired from odd]"), "{}", one[1].text);
    let three = BlockingRule::parse_all(&["surname & near_year(dob, 3)".to_string()], &s).unwrap();
    assert_eq!(three.len(), 4);
    assert!(three[3].text.ends_with("[years in windows of 4, offset 3]"), "{}", three[3].text);
    for bad in ["near_year(dob, 0)", "near_year(dob, 6)", "near_year(dob, two)", "near_year(surname, 2)"] {
        let e = BlockingRule::parse_all(&[bad.to_string()], &s).unwrap_err().to_string();
        assert!(
            e.contains("near_year() takes a number of years from 1 to 5") || e.contains("needs a date"),
            "{bad}: {e}"
        );
    }
    // N + 1 rules count against the limit of 16
    let many: Vec<String> = (0..3).map(|_| "near_year(dob, 5)".to_string()).collect();
    let e = BlockingRule::parse_all(&many, &s).unwrap_err().to_string();
    assert!(e.contains("as N + 1 (18 here)"), "{e}");
}

#[test]
fn a_wider_near_year_reaches_an_estimate_four_years_off() {
    // a4 (41 in February 2023: ~1981) is four years from a1 and a2, five from a3 (~1986)
    assert_eq!(
        candidate_ids(&["phonetic(surname) & near_year(dob, 4)"], AGES),
        ids(&[("a1", "a2"), ("a1", "a3"), ("a1", "a4"), ("a2", "a3"), ("a2", "a4")])
    );
}

#[test]
fn sorted_tokens_rules_are_checked() {
    let s = person_settings("dedupe");
    let rule = BlockingRule::parse("sorted_tokens(given_name, surname) & year(dob)", &s).unwrap();
    assert_eq!(rule.fields(), vec![0, 1, 2]);
    for (bad, says) in [
        ("sorted_tokens(given_name, dob)", "neither"),
        ("sorted_tokens(given_name, given_name)", "twice"),
        ("sorted_tokens(given_name, nickname)", "not a field"),
    ] {
        let e = BlockingRule::parse(bad, &s).unwrap_err().to_string();
        assert!(e.contains(says), "{bad}: {e}");
    }
    // a missing name gives no key (the pair is left to the other rules)
    let one = BlockingRule::parse("sorted_tokens(given_name, surname)", &s).unwrap();
    let p = Preparer::new(&s);
    let v = [p.prepare(0, "anna").unwrap(), None];
    assert_eq!(one.key(|f| v.get(f).and_then(Option::as_ref)), None);
}

fn record(id: usize, person: usize, values: [Option<String>; 4]) -> RawRecord {
    RawRecord {
        id: format!("r{id}"),
        source: 0,
        values: values.into(),
        truth: Some(format!("p{person}")),
        line: id as u64 + 2,
        source_name: "constructed".into(),
    }
}

/// A name of two or three syllables, from enough syllables that namesakes are rare.
fn name(rng: &mut SplitMix64) -> String {
    const SYL: [&str; 24] = [
        "ka", "lo", "mi", "ra", "ne", "to", "vi", "sa", "de", "gu", "pe", "zi", "ba", "ro", "li", "na", "te", "mo",
        "fa", "su", "ke", "da", "ni", "vo",
    ];
    let n = 2 + rng.below(2);
    (0..n).map(|_| SYL[rng.below(24) as usize]).collect()
}

/// Two records per person. In the second, the names are swapped with probability `swap`, the date
/// of birth is another with probability `dob_error`, the town missing with probability 0.2, and
/// the given name has a typo with probability 0.1.
fn constructed(persons: usize, swap: f64, dob_error: f64, seed: u64) -> Vec<RawRecord> {
    let mut rng = SplitMix64(seed);
    let chance = |rng: &mut SplitMix64, p: f64| (rng.below(1_000_000) as f64) < p * 1e6;
    let date =
        |rng: &mut SplitMix64| format!("{}-{:02}-{:02}", 1950 + rng.below(50), 1 + rng.below(12), 1 + rng.below(28));
    let mut out = Vec::new();
    for p in 0..persons {
        let (given, surname, dob) = (name(&mut rng), name(&mut rng), date(&mut rng));
        let town = format!("town{}", rng.below(40));
        out.push(record(
            out.len(),
            p,
            [Some(given.clone()), Some(surname.clone()), Some(dob.clone()), Some(town.clone())],
        ));
        let (mut g, mut s, mut d, mut t) = (given, surname, dob, Some(town));
        if chance(&mut rng, swap) {
            std::mem::swap(&mut g, &mut s);
        }
        if chance(&mut rng, dob_error) {
            d = date(&mut rng);
        }
        if chance(&mut rng, 0.2) {
            t = None;
        }
        if chance(&mut rng, 0.1) {
            g.push('h');
        }
        out.push(record(out.len(), p, [Some(g), Some(s), Some(d), t]));
    }
    out
}

fn linker(blocking: &[&str], records: Vec<RawRecord>) -> Linker {
    let mut settings = person_settings("dedupe");
    settings.blocking = blocking.iter().map(|r| r.to_string()).collect();
    let model = LinkageModel::new(settings).unwrap();
    let data = Dataset::prepare(&model.settings, records, BadValues::Fail).unwrap();
    Linker::new(model, data).unwrap()
}

/// Share of the true pairs among the candidate pairs (from the labels).
fn true_recall(l: &Linker) -> f64 {
    let c = l.candidates().unwrap();
    let pairs: Vec<(u32, u32, f64)> = c.iter().map(|c| (c.a, c.b, 1.0)).collect();
    let acc = eval::pairwise(&l.data, l.model.settings.link_type, &pairs, &[0.0]);
    acc[0].true_positives as f64 / eval::true_pair_count(&l.data, l.model.settings.link_type) as f64
}

#[test]
fn sorted_tokens_rule_finds_the_pairs_with_swapped_names() {
    let records = constructed(800, 0.5, 0.5, 11);
    let names = ["surname", "phonetic(given_name) & phonetic(surname)"];
    let with_sorted = ["surname", "phonetic(given_name) & phonetic(surname)", "sorted_tokens(given_name, surname)"];
    let before = true_recall(&linker(&names, records.clone()));
    let after = true_recall(&linker(&with_sorted, records));
    // about half the pairs have their names swapped; the sorted tokens find those without a typo
    assert!(before < 0.6, "{before}");
    assert!(after > 0.9, "{after}");
}

/// The recall estimate from the expected matches is near the truth on a set whose rules miss
/// together (a swap of the names breaks both name rules at once), where the estimate assuming
/// independent misses is far too optimistic.
#[test]
fn blocking_recall_estimate_is_near_the_truth_when_rules_miss_together() {
    for (swap, dob_error, seed) in [(0.4, 0.3, 1), (0.25, 0.5, 2), (0.1, 0.2, 3)] {
        let records = constructed(1500, swap, dob_error, seed);
        let mut l = linker(&["surname", "phonetic(given_name) & phonetic(surname)", "dob"], records);
        let truth = true_recall(&l);
        let c = l.candidates().unwrap();
        l.train(&c).unwrap();
        let scored = l.score(&c).unwrap();
        let r = l.blocking_recall(&scored, 0.9);
        let est = r.estimated_recall.unwrap();
        // the truth: about 1 - swap * dob_error (the typo breaks the phonetic rule rarely)
        assert!((truth - (1.0 - swap * dob_error)).abs() < 0.05, "truth {truth}");
        assert!((est - truth).abs() < 0.02, "swap {swap}, dob error {dob_error}: estimate {est}, truth {truth}");
        let found = r.estimate.expected_found;
        let missed = r.estimate.expected_missed.unwrap();
        assert!((found / (found + missed) - est).abs() < 1e-9);
        if swap * dob_error > 0.05 {
            let independent = r.independent_recall.unwrap();
            assert!(independent - truth > 2.0 * (est - truth).abs(), "independent {independent}, truth {truth}");
        }
    }
}

#[test]
fn blocking_recall_is_not_estimated_when_every_rule_uses_a_field() {
    let records = constructed(400, 0.2, 0.2, 5);
    let mut l = linker(&["surname & dob", "phonetic(surname) & town"], records);
    let c = l.candidates().unwrap();
    l.train(&c).unwrap();
    let scored = l.score(&c).unwrap();
    let r = l.blocking_recall(&scored, 0.9);
    assert_eq!(r.estimated_recall, None);
    let why = r.estimate.not_estimated.unwrap();
    assert!(why.contains("every rule uses") && why.contains("surname"), "{why}");
}

/// Settings with an age estimate for the date of birth, and the given blocking rules.
fn age_settings(blocking: &[&str]) -> ModelSettings {
    let rules: Vec<String> = blocking.iter().map(|r| format!("{r:?}")).collect();
    let text = format!(
        r#"
blocking = [{}]
u_sample_pairs = 1000

[[field]]
name = "given_name"
comparison = {{ kind = "name" }}

[[field]]
name = "surname"
comparison = {{ kind = "name" }}

[[field]]
name = "dob"
comparison = {{ kind = "date" }}
age = {{ column = "age", recorded = "recorded_on" }}

[[field]]
name = "town"
comparison = {{ kind = "text" }}
"#,
        rules.join(", ")
    );
    LinkageModel::from_toml(&text).unwrap().settings
}

const AGES: &str = "\
id,given_name,surname,dob,town,age,recorded_on
a1,Anna,Bērziņa,1985-06-10,Rīga,,
a2,Anna,Berzina,,Riga,38,2023-09-01
a3,Anna,Berzina,,Riga,37,2023-09-01
a4,Anna,Berzina,,Riga,41,15.02.2023
b1,Jānis,Kalniņš,1990-01-01,Cēsis,50,2024-01-01
";

/// The candidate pairs (by identifier, sorted) of the rules on the records of `csv`.
fn candidate_ids(blocking: &[&str], csv: &str) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ages.csv");
    std::fs::write(&path, csv).unwrap();
    let settings = age_settings(blocking);
    let path = path.to_str().unwrap();
    let opts = haven_link::io::ReadOptions::new(&settings, path, 0, &Default::default());
    let (raw, _) = haven_link::io::read_file_raw(path, &opts).unwrap();
    let data = Dataset::prepare_raw(&settings, raw, BadValues::Fail).unwrap();
    let l = Linker::new(LinkageModel::new(settings).unwrap(), data).unwrap();
    let mut out: Vec<(String, String)> = l
        .candidates()
        .unwrap()
        .iter()
        .map(|c| {
            let (a, b) = (l.data.ids[c.a as usize].clone(), l.data.ids[c.b as usize].clone());
            if a < b { (a, b) } else { (b, a) }
        })
        .collect();
    out.sort();
    out
}

fn ids(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn ages_become_estimated_years_of_birth() {
    let settings = age_settings(&["dob"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ages.csv");
    std::fs::write(&path, AGES).unwrap();
    let path = path.to_str().unwrap();
    let opts = haven_link::io::ReadOptions::new(&settings, path, 0, &Default::default());
    let (raw, _) = haven_link::io::read_file_raw(path, &opts).unwrap();
    let data = Dataset::prepare_raw(&settings, raw, BadValues::Fail).unwrap();
    let dob: Vec<Option<String>> = (0..data.len()).map(|r| data.value(2, r).map(|v| v.text.to_string())).collect();
    // 38 in September 2023: born 1985 (or 1984); 41 in February 2023: born 1981 (or 1982); a
    // registered date wins over an age
    let want = ["1985-06-10", "~1985±2", "~1986±2", "~1981±2", "1990-01-01"];
    assert_eq!(dob, want.map(|s| Some(s.to_string())));
    // an estimate is consistent with the registered date it covers
    let c = haven_link::compare::Comparison::Date;
    assert_eq!(c.level(data.value(2, 0), data.value(2, 1)), 4);
    assert_eq!(c.level(data.value(2, 0), data.value(2, 3)), 5);
}

#[test]
fn age_estimates_block_pairs_that_dates_of_birth_miss() {
    // the date of birth as a key pairs none of them
    assert_eq!(candidate_ids(&["dob"], AGES), Vec::<(String, String)>::new());
    // the estimated year meets the registered one
    assert_eq!(candidate_ids(&["phonetic(surname) & year(dob)"], AGES), ids(&[("a1", "a2")]));
    // years within one: also the estimate a year off (a3: 1986), not the one four years off
    assert_eq!(
        candidate_ids(&["phonetic(surname) & near_year(dob)"], AGES),
        ids(&[("a1", "a2"), ("a1", "a3"), ("a2", "a3")])
    );
}

#[test]
fn near_year_rules_count_twice_and_bad_ages_are_named() {
    let s = age_settings(&["near_year(dob) & surname", "given_name"]);
    let rules = s.validate().unwrap();
    assert_eq!(rules.len(), 3);
    assert!(rules[0].text.starts_with("near_year(dob) & surname ["), "{}", rules[0].text);
    let mut wrong = s.clone();
    wrong.blocking = vec!["near_year(surname)".into()];
    assert!(wrong.validate().unwrap_err().to_string().contains("needs a date field"));
    wrong.blocking = vec!["near_year(dob) & near_year(dob)".into()];
    assert!(wrong.validate().is_err());
    let mut on_name = s.clone();
    on_name.fields[1].age = on_name.fields[2].age.clone();
    assert!(on_name.validate().unwrap_err().to_string().contains("only for a date"));
    // an age that is not one stops the run, naming the line and the field
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, "id,given_name,surname,dob,town,age,recorded_on\nx1,A,B,,C,about 30,2020-01-01\n").unwrap();
    let path = path.to_str().unwrap();
    let opts = haven_link::io::ReadOptions::new(&s, path, 0, &Default::default());
    let (raw, _) = haven_link::io::read_file_raw(path, &opts).unwrap();
    let e = Dataset::prepare_raw(&s, raw.clone(), BadValues::Fail).err().unwrap().to_string();
    assert!(e.contains("line 2") && e.contains("dob") && e.contains("about 30"), "{e}");
    let data = Dataset::prepare_raw(&s, raw, BadValues::TreatAsMissing).unwrap();
    assert_eq!((data.bad_values, data.value(2, 0)), (1, None));
}

#[test]
fn ages_are_read_from_json_lines_as_numbers() {
    let settings = age_settings(&["year(dob)"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ages.jsonl");
    let lines = [
        r#"{"id": "j1", "given_name": "Olena", "surname": "Koval", "dob": "2006-11-02", "town": "Kyiv", "age": null, "recorded_on": null}"#,
        r#"{"id": "j2", "given_name": "Olena", "surname": "Koval", "age": 17, "recorded_on": "2024-08-20", "town": null}"#,
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    let path = path.to_str().unwrap();
    let opts = haven_link::io::ReadOptions::new(&settings, path, 0, &Default::default());
    let (raw, _) = haven_link::io::read_file_raw(path, &opts).unwrap();
    let data = Dataset::prepare_raw(&settings, raw, BadValues::Fail).unwrap();
    assert_eq!(data.value(2, 1).map(|v| v.text.to_string()), Some("~2007±2".to_string()));
    let l = Linker::new(LinkageModel::new(settings).unwrap(), data.clone()).unwrap();
    assert_eq!(l.candidates().unwrap().len(), 0, "2006 and 2007 are different years");
    let near = Linker::new(LinkageModel::new(age_settings(&["near_year(dob)"])).unwrap(), data).unwrap();
    assert_eq!(near.candidates().unwrap().len(), 1, "but they are near");
}
