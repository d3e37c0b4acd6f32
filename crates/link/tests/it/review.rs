//! Clerical review: uncertainty sampling, the labels file, re-training from answers, cannot-link
//! constraints in clustering, and the `haven link review` commands.

use std::collections::HashSet;

use clap::Parser;
use haven_link::cli::{LinkArgs, run};
use haven_link::cluster::{Link, cluster, cluster_with_cannot_link};
use haven_link::linker::ScoredPair;
use haven_link::model::ClusterSettings;
use haven_link::review::{
    Answer, Label, ReviewOptions, blend_m, next_pairs, read_labels, separating_weight, write_labels,
};
use proptest::prelude::*;

fn pair(a: u32, b: u32, pattern: u64, weight: f32) -> ScoredPair {
    ScoredPair { a, b, pattern, rules: 1, weight }
}

fn picked(scored: &[ScoredPair], idx: &[usize]) -> Vec<(u32, u32)> {
    idx.iter().map(|&i| (scored[i].a, scored[i].b)).collect()
}

#[test]
fn uncertainty_sampling_picks_the_pairs_nearest_the_boundary() {
    let scored = vec![
        pair(0, 1, 1, 12.0),
        pair(2, 3, 2, -0.4),
        pair(4, 5, 3, 0.25),
        pair(6, 7, 4, -9.0),
        pair(8, 9, 5, 2.1),
        pair(10, 11, 6, -1.2),
    ];
    let none = HashSet::new();
    let one = next_pairs(&scored, &none, &ReviewOptions { k: 1, bin_width: 1.0 });
    assert_eq!(picked(&scored, &one), vec![(4, 5)], "probability nearest 0.5 first");
    // one wide bin: the k nearest, nearest first
    let three = next_pairs(&scored, &none, &ReviewOptions { k: 3, bin_width: 1000.0 });
    assert_eq!(picked(&scored, &three), vec![(4, 5), (2, 3), (10, 11)]);
    // pairs already answered are not asked again
    let answered: HashSet<(u32, u32)> = [(4, 5)].into_iter().collect();
    let next = next_pairs(&scored, &answered, &ReviewOptions { k: 1, bin_width: 1.0 });
    assert_eq!(picked(&scored, &next), vec![(2, 3)]);
    // more than there are: all of them, once
    assert_eq!(next_pairs(&scored, &none, &ReviewOptions { k: 50, bin_width: 1.0 }).len(), scored.len());
}

#[test]
fn picks_are_spread_over_bins_and_patterns() {
    // many near-duplicates just above the boundary (one pattern), one pair per other pattern further out
    let mut scored: Vec<ScoredPair> = (0..20).map(|i| pair(2 * i, 2 * i + 1, 7, 0.1 + 0.01 * i as f32)).collect();
    scored.push(pair(100, 101, 8, 0.5));
    scored.push(pair(102, 103, 9, -2.5));
    scored.push(pair(104, 105, 10, 3.5));
    let p = next_pairs(&scored, &HashSet::new(), &ReviewOptions { k: 3, bin_width: 1.0 });
    let got = picked(&scored, &p);
    // the nearest of the duplicates, then not its twins but the nearest of other bins and patterns
    assert_eq!(got, vec![(0, 1), (102, 103), (104, 105)]);
}

#[test]
fn ties_are_broken_by_the_records_whatever_the_order() {
    let a = vec![pair(5, 6, 1, 0.5), pair(1, 2, 2, -0.5), pair(3, 4, 3, 0.5)];
    let mut b = a.clone();
    b.reverse();
    let opts = ReviewOptions { k: 3, bin_width: 100.0 };
    assert_eq!(picked(&a, &next_pairs(&a, &HashSet::new(), &opts)), vec![(1, 2), (3, 4), (5, 6)]);
    assert_eq!(picked(&b, &next_pairs(&b, &HashSet::new(), &opts)), vec![(1, 2), (3, 4), (5, 6)]);
}

proptest! {
    #[test]
    fn sampling_invariants(
        raw in proptest::collection::vec((0u32..40, 0u32..40, 0u64..6, -20.0f32..20.0), 0..60),
        k in 0usize..15,
        width in 0.2f64..5.0,
        skip in 0usize..5,
    ) {
        let scored: Vec<ScoredPair> =
            raw.iter().filter(|r| r.0 != r.1).map(|&(a, b, p, w)| pair(a, b, p, w)).collect();
        let key = |p: &ScoredPair| (p.a.min(p.b), p.a.max(p.b));
        let answered: HashSet<(u32, u32)> = scored.iter().take(skip).map(key).collect();
        let opts = ReviewOptions { k, bin_width: width };
        let picks = next_pairs(&scored, &answered, &opts);
        let open: HashSet<(u32, u32)> = scored.iter().map(key).filter(|x| !answered.contains(x)).collect();
        prop_assert_eq!(picks.len(), k.min(open.len()));
        let chosen: HashSet<(u32, u32)> = picks.iter().map(|&i| key(&scored[i])).collect();
        prop_assert_eq!(chosen.len(), picks.len(), "a pair asked twice");
        prop_assert!(chosen.iter().all(|x| !answered.contains(x)));
        if let Some(&first) = picks.first() {
            let best = scored.iter().filter(|p| !answered.contains(&key(p))).map(|p| p.weight.abs()).fold(f32::INFINITY, f32::min);
            prop_assert_eq!(scored[first].weight.abs(), best);
        }
        // the same pairs whatever the order of the input
        let mut rev = scored.clone();
        rev.reverse();
        let again: Vec<(u32, u32)> = next_pairs(&rev, &answered, &opts).iter().map(|&i| key(&rev[i])).collect();
        let first: Vec<(u32, u32)> = picks.iter().map(|&i| key(&scored[i])).collect();
        prop_assert_eq!(again, first);
    }
}

fn label(l: &str, r: &str, answer: Answer) -> Label {
    Label {
        id_l: l.into(),
        source_l: None,
        id_r: r.into(),
        source_r: Some(1),
        answer,
        who: "officer, \"A\"".into(),
        when: "2026-12-06 01:00 UTC".into(),
    }
}

#[test]
fn labels_file_round_trip() {
    let labels =
        vec![label("a1", "b1", Answer::Same), label("a2", "b,2", Answer::Different), label("a3", "b3", Answer::Unsure)];
    let mut buf = Vec::new();
    write_labels(&mut buf, "labels.csv", &labels).unwrap();
    let text = String::from_utf8(buf.clone()).unwrap();
    assert!(text.starts_with("id_l,source_l,id_r,source_r,answer,who,when\n"), "{text}");
    assert_eq!(read_labels(buf.as_slice(), "labels.csv").unwrap(), labels);
}

#[test]
fn a_filled_in_sheet_reads_as_answers_and_bad_lines_are_named() {
    let sheet = "id_l,source_l,id_r,source_r,answer,match_probability,surname_l\n\
                 a1,0,b1,0,Same,0.51,x\n\
                 a2,0,b2,0,,0.49,y\n\
                 a3,0,b3,0,d,0.4,z\n";
    let got = read_labels(sheet.as_bytes(), "next.csv").unwrap();
    assert_eq!(got.len(), 2, "the row without an answer is not answered yet");
    assert_eq!((got[0].answer, got[1].answer), (Answer::Same, Answer::Different));
    assert_eq!((got[0].source_l, got[0].who.as_str()), (Some(0), ""));
    let bad = "id_l,id_r,answer\na1,b1,same\na2,b2,maybe\n";
    let msg = read_labels(bad.as_bytes(), "labels.csv").unwrap_err().to_string();
    assert!(msg.contains("labels.csv, line 3") && msg.contains("maybe"), "{msg}");
    let no_id = "id_l,id_r,answer\na1,,same\n";
    let msg = read_labels(no_id.as_bytes(), "labels.csv").unwrap_err().to_string();
    assert!(msg.contains("line 2") && msg.contains("id_r"), "{msg}");
    let bad_source = "id_l,source_l,id_r,answer\na1,x,b1,same\n";
    let msg = read_labels(bad_source.as_bytes(), "labels.csv").unwrap_err().to_string();
    assert!(msg.contains("line 2") && msg.contains("source_l"), "{msg}");
    let no_column = "left,right,answer\na1,b1,same\n";
    let msg = read_labels(no_column.as_bytes(), "labels.csv").unwrap_err().to_string();
    assert!(msg.contains("id_l, id_r and answer"), "{msg}");
}

#[test]
fn the_separating_weight_follows_the_answers() {
    // the present threshold already separates them: kept
    let clean = [(-3.0, false), (-1.0, false), (2.0, true), (5.0, true)];
    assert_eq!(separating_weight(&clean, 0.5), Some(0.5));
    // the answers say matches start lower than the threshold: it moves between them
    let lower = [(-3.0, false), (-1.0, true), (1.0, true), (5.0, true)];
    assert_eq!(separating_weight(&lower, 3.0), Some(-2.0));
    // one overlap: the cut with the fewest errors, nearest the present threshold among equals
    let mixed = [(-4.0, false), (-2.0, true), (0.0, false), (3.0, true)];
    let t = separating_weight(&mixed, 10.0).unwrap();
    let errors = mixed.iter().filter(|(w, same)| (*w >= t) != *same).count();
    assert_eq!((errors, t), (1, 1.5));
    assert_eq!(separating_weight(&[(1.0, true), (2.0, true)], 0.0), None, "one kind of answer only");
}

/// Patterns of three fields with three levels each, from level indices.
fn pattern(levels: &[u8]) -> u64 {
    levels.iter().enumerate().map(|(f, l)| u64::from(*l) << (4 * f)).sum()
}

proptest! {
    #[test]
    fn answers_move_m_toward_the_labelled_truth(
        m0 in proptest::collection::vec((0.01f64..1.0, 0.01f64..1.0, 0.01f64..1.0), 3),
        answers in proptest::collection::vec(proptest::collection::vec(0u8..3, 3), 1..40),
        weight in 0.0f64..100.0,
    ) {
        let m_em: Vec<Vec<f64>> = m0.iter().map(|(a, b, c)| {
            let s = a + b + c;
            vec![a / s, b / s, c / s]
        }).collect();
        let same: Vec<u64> = answers.iter().map(|l| pattern(l)).collect();
        let m = blend_m(&m_em, &same, weight);
        for f in 0..3 {
            let n = answers.len() as f64;
            prop_assert!((m[f].iter().sum::<f64>() - 1.0).abs() < 1e-9);
            for l in 0..3u8 {
                let truth = answers.iter().filter(|x| x[f] == l).count() as f64 / n;
                let before = (m_em[f][usize::from(l)] - truth).abs();
                let after = (m[f][usize::from(l)] - truth).abs();
                prop_assert!(after <= before + 1e-12, "field {f} level {l}: {before} -> {after}");
                if before > 1e-9 {
                    prop_assert!(after < before, "the answers moved nothing");
                }
            }
        }
        // more answers of the same kind move it further: doubling them
        let doubled: Vec<u64> = same.iter().chain(&same).copied().collect();
        let m2 = blend_m(&m_em, &doubled, weight);
        for f in 0..3 {
            for l in 0..3usize {
                let truth = answers.iter().filter(|x| usize::from(x[f]) == l).count() as f64 / answers.len() as f64;
                prop_assert!((m2[f][l] - truth).abs() <= (m[f][l] - truth).abs() + 1e-12);
            }
        }
    }
}

fn link(a: u32, b: u32, probability: f64) -> Link {
    Link { a, b, probability }
}

#[test]
fn clustering_keeps_records_answered_different_apart() {
    let settings = ClusterSettings { min_link_density: 0.0, ..ClusterSettings::default() };
    let links = [link(0, 1, 0.99), link(1, 2, 0.98), link(0, 2, 0.97), link(3, 4, 0.99)];
    let plain = cluster(5, &links, &settings);
    assert_eq!(plain[0], plain[2], "without the answer the three are one person");
    let kept = cluster_with_cannot_link(5, &links, &settings, &[(2, 0)]);
    assert_ne!(kept[0], kept[2]);
    assert_eq!(kept[3], kept[4], "other persons are untouched");
    // a direct link between the two is overruled too
    let direct = cluster_with_cannot_link(2, &[link(0, 1, 0.999)], &settings, &[(0, 1)]);
    assert_ne!(direct[0], direct[1]);
}

proptest! {
    #[test]
    fn no_cluster_holds_a_cannot_link_pair(
        raw in proptest::collection::vec((0u32..25, 0u32..25, 0.0f64..1.0), 0..120),
        cannot in proptest::collection::vec((0u32..25, 0u32..25), 0..10),
        density in 0.0f64..0.6,
    ) {
        let settings = ClusterSettings { min_link_density: density, threshold: 0.5, ..ClusterSettings::default() };
        let links: Vec<Link> = raw.iter().map(|&(a, b, p)| link(a, b, p)).collect();
        let c = cluster_with_cannot_link(25, &links, &settings, &cannot);
        for (a, b) in cannot.iter().filter(|(a, b)| a != b) {
            prop_assert_ne!(c[*a as usize], c[*b as usize], "{} and {} joined", a, b);
        }
    }
}

#[derive(Parser)]
struct Haven {
    #[command(flatten)]
    link: LinkArgs,
}

fn haven(args: &[&str]) -> anyhow::Result<()> {
    let mut all = vec!["haven-link"];
    all.extend_from_slice(args);
    run(Haven::try_parse_from(all)?.link)
}

const SETTINGS: &str = r#"
id_column = "id"
blocking = ["surname", "dob", "given_name"]
u_sample_pairs = 5000
[[field]]
name = "given_name"
comparison = { kind = "name" }
[[field]]
name = "surname"
comparison = { kind = "name" }
[[field]]
name = "dob"
comparison = { kind = "date" }
"#;

/// Persons with a second record under a changed surname (every second one), and people sharing
/// given names.
fn people_csv() -> String {
    let mut s = String::from("id,given_name,surname,dob,person\n");
    let names =
        [("anna", "kowalska"), ("jan", "nowak"), ("ivan", "petrov"), ("maria", "popescu"), ("olena", "shevchenko")];
    for i in 0..60 {
        let (g, n) = names[i % 5];
        let dob = format!("19{:02}-{:02}-{:02}", 40 + i, 1 + i % 12, 1 + i % 28);
        s.push_str(&format!("a{i},{g},{n}{i},{dob},p{i}\n"));
        if i % 2 == 0 {
            s.push_str(&format!("b{i},{g},{n}{i}x,{dob},p{i}\n"));
        }
    }
    s
}

#[test]
fn review_next_apply_next_and_predict_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let p = |f: &str| dir.path().join(f).display().to_string();
    std::fs::write(p("s.toml"), SETTINGS).unwrap();
    let people = people_csv();
    std::fs::write(p("people.csv"), &people).unwrap();
    haven(&["train", "--settings", &p("s.toml"), "--input", &p("people.csv"), "--out", &p("m.toml")]).unwrap();
    haven(&[
        "review",
        "next",
        "--model",
        &p("m.toml"),
        "--input",
        &p("people.csv"),
        "-k",
        "6",
        "--out",
        &p("next.csv"),
    ])
    .unwrap();
    let sheet = std::fs::read_to_string(p("next.csv")).unwrap();
    let mut lines = sheet.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("id_l,source_l,id_r,source_r,answer,question,match_probability,match_weight,given_name_l")
    );
    assert!(header.contains("surname_level") && header.contains("dob_weight"), "{header}");
    let rows: Vec<Vec<String>> = lines.map(|l| l.split(',').map(str::to_string).collect()).collect();
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().all(|r| r[4].is_empty()), "the answer column is left empty");
    assert!(rows.iter().all(|r| r[5] == "uncertain pair"), "{rows:?}");
    // the reviewer answers from the truth
    let person = |id: &str| {
        people
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .and_then(|l| l.rsplit(',').next())
            .unwrap()
            .to_string()
    };
    let mut filled = vec![header.to_string()];
    for r in &rows {
        let mut r = r.clone();
        r[4] = if person(&r[0]) == person(&r[2]) { "same".into() } else { "different".into() };
        filled.push(r.join(","));
    }
    std::fs::write(p("next.csv"), filled.join("\n") + "\n").unwrap();
    // answers without who are refused
    let err = haven(&[
        "review",
        "apply",
        "--model",
        &p("m.toml"),
        "--input",
        &p("people.csv"),
        "--labels",
        &p("labels.csv"),
        "--answers",
        &p("next.csv"),
        "--out",
        &p("m2.toml"),
    ])
    .unwrap_err();
    assert!(format!("{err:#}").contains("--who"));
    haven(&[
        "review",
        "apply",
        "--model",
        &p("m.toml"),
        "--input",
        &p("people.csv"),
        "--labels",
        &p("labels.csv"),
        "--answers",
        &p("next.csv"),
        "--who",
        "officer-1",
        "--out",
        &p("m2.toml"),
    ])
    .unwrap();
    let labels_text = std::fs::read_to_string(p("labels.csv")).unwrap();
    let labels = read_labels(labels_text.as_bytes(), "labels.csv").unwrap();
    assert_eq!(labels.len(), 6);
    assert!(labels.iter().all(|l| l.who == "officer-1" && !l.when.is_empty()));
    let m2 = haven_link::LinkageModel::load(std::path::Path::new(&p("m2.toml"))).unwrap();
    assert!(m2.parameters.is_some());
    // the next questions are other pairs
    haven(&[
        "review",
        "next",
        "--model",
        &p("m2.toml"),
        "--input",
        &p("people.csv"),
        "--labels",
        &p("labels.csv"),
        "-k",
        "6",
        "--merges",
        "3",
        "--out",
        &p("next2.csv"),
    ])
    .unwrap();
    let asked: HashSet<(String, String)> = rows.iter().map(|r| (r[0].clone(), r[2].clone())).collect();
    let next2 = std::fs::read_to_string(p("next2.csv")).unwrap();
    for l in next2.lines().skip(1) {
        let r: Vec<&str> = l.split(',').collect();
        assert!(!asked.contains(&(r[0].to_string(), r[2].to_string())), "{l} asked again");
        assert!(["uncertain pair", "merge refused", "joined through others"].contains(&r[5]), "{l}");
    }
    // a "different" answer keeps two records apart that the model links
    std::fs::write(p("labels2.csv"), format!("{labels_text}a0,0,b0,0,different,officer-1,2026-12-06 01:00 UTC\n"))
        .unwrap();
    let person_of = |text: &str, id: &str| {
        text.lines().find(|l| l.starts_with(&format!("{id},"))).and_then(|l| l.split(',').nth(1)).map(str::to_string)
    };
    haven(&["predict", "--model", &p("m2.toml"), "--input", &p("people.csv"), "--out-dir", &p("o1")]).unwrap();
    let c1 = std::fs::read_to_string(p("o1/clusters.csv")).unwrap();
    assert_eq!(person_of(&c1, "a0"), person_of(&c1, "b0"), "the model links them");
    haven(&[
        "predict",
        "--model",
        &p("m2.toml"),
        "--input",
        &p("people.csv"),
        "--out-dir",
        &p("o2"),
        "--labels",
        &p("labels2.csv"),
    ])
    .unwrap();
    let c2 = std::fs::read_to_string(p("o2/clusters.csv")).unwrap();
    assert_ne!(person_of(&c2, "a0"), person_of(&c2, "b0"), "the answer keeps them apart");
    // a bad labels line stops the run, named
    std::fs::write(p("bad.csv"), "id_l,id_r,answer\na0,b0,perhaps\n").unwrap();
    let err = haven(&[
        "predict",
        "--model",
        &p("m2.toml"),
        "--input",
        &p("people.csv"),
        "--out-dir",
        &p("o3"),
        "--labels",
        &p("bad.csv"),
    ])
    .unwrap_err();
    assert!(format!("{err:#}").contains("line 2"), "{err:#}");
}

/// Answers from a reviewer repair a collapsed model: on namesakes data (same full name, different
/// persons), unconstrained EM takes "same name" for "same person". Fifty answers to the pairs
/// the model is least sure of, applied as `review apply` does, bring the exact date of birth back
/// as evidence of a match and move the threshold above the namesakes (pair F1 0.016 -> 1.0 when
/// written).
#[test]
fn answers_repair_a_collapsed_model() {
    use crate::training::{UNCONSTRAINED, namesakes, namesakes_linked, settings, train};
    use haven_link::review::retrain;
    let (mut linker, _) = train(settings(UNCONSTRAINED, ""), namesakes(1));
    let base = linker.model.clone();
    let dob = |m: &haven_link::LinkageModel| {
        let p = m.parameters.as_ref().unwrap();
        (p.fields[2].m[0], p.fields[2].u[0])
    };
    let (m0, u0) = dob(&base);
    assert!(m0 < 0.5, "the model did not collapse: m(exact dob) = {m0}");
    let linked_before = namesakes_linked(&linker);
    let f1 = |linker: &haven_link::Linker, scored: &[ScoredPair]| {
        let pairs: Vec<(u32, u32, f64)> = scored.iter().map(|p| (p.a, p.b, p.probability())).collect();
        let t = linker.model.settings.cluster.threshold;
        haven_link::eval::pairwise(&linker.data, linker.model.settings.link_type, &pairs, &[t])[0]
    };
    assert!(linked_before > 0);
    let candidates = linker.candidates().unwrap();
    let mut scored = linker.score(&candidates).unwrap();
    let before = f1(&linker, &scored);
    let truth = linker.data.truth.clone();
    let mut answers: Vec<(u32, u32, Answer)> = Vec::new();
    for _ in 0..5 {
        let answered = answers.iter().map(|(a, b, _)| (*a, *b)).collect();
        for i in next_pairs(&scored, &answered, &ReviewOptions { k: 10, bin_width: 1.0 }) {
            let (a, b) = (scored[i].a.min(scored[i].b), scored[i].a.max(scored[i].b));
            let same = truth[a as usize] == truth[b as usize];
            answers.push((a, b, if same { Answer::Same } else { Answer::Different }));
        }
        linker.model = base.clone();
        let r = retrain(&linker, &answers, 20.0).unwrap();
        linker.model = r.model;
        scored = linker.score(&candidates).unwrap();
    }
    assert_eq!(answers.len(), 50);
    let (m1, u1) = dob(&linker.model);
    assert_eq!(u1, u0, "u is kept");
    assert!(m1 > 10.0 * m0, "m(exact dob) {m0} -> {m1}");
    // at the threshold the answers calibrated, namesakes no longer link and true pairs still do
    let after = f1(&linker, &scored);
    assert!(before.f1 < 0.1, "{before:?}");
    assert!(after.f1 > 0.95 && after.recall > 0.95, "{before:?} -> {after:?}");
    assert!(after.false_positives * 100 < linked_before as u64, "{after:?}");
}

#[test]
fn answers_find_their_records_by_id_and_input() {
    use haven_link::data::{BadValues, Dataset, RawRecord};
    use haven_link::review::resolve;
    let settings = crate::person_settings("link");
    let record = |id: &str, source: u16| RawRecord {
        id: id.into(),
        source,
        values: vec![Some("anna".into()), Some("berzina".into()), Some("1990-01-02".into()), None],
        truth: None,
        line: 2,
        source_name: "test".into(),
    };
    // "7" is in both inputs
    let records = vec![record("7", 0), record("8", 0), record("7", 1), record("9", 1)];
    let data = Dataset::prepare(&settings, records, BadValues::Fail).unwrap();
    let l = |a: &str, sa: Option<u16>, b: &str, sb: Option<u16>, answer| Label {
        id_l: a.into(),
        source_l: sa,
        id_r: b.into(),
        source_r: sb,
        answer,
        who: String::new(),
        when: String::new(),
    };
    let labels = vec![
        l("7", Some(0), "7", Some(1), Answer::Same),
        l("9", None, "8", None, Answer::Same),
        l("7", None, "9", None, Answer::Different),
        l("42", None, "9", None, Answer::Same),
        // the same pair again, answered the other way round: the later answer counts
        l("8", None, "9", None, Answer::Different),
    ];
    let r = resolve(&data, &labels);
    assert_eq!(r.pairs, vec![(0, 2, Answer::Same), (1, 3, Answer::Different)]);
    assert_eq!(r.unresolved.len(), 2, "{:?}", r.unresolved);
    assert!(r.unresolved[0].contains("\"7\"") && r.unresolved[0].contains("source_l"), "{:?}", r.unresolved);
    assert!(r.unresolved[1].contains("\"42\""), "{:?}", r.unresolved);
    assert_eq!(r.cannot_links(), vec![(1, 3)]);
    assert_eq!(r.answered(), [(0, 2), (1, 3)].into_iter().collect());
}

#[test]
fn merges_the_engine_is_unsure_of_are_asked_in_turn() {
    use haven_link::review::{Question, uncertain_merges};
    let scored = vec![
        pair(0, 1, 1, 5.0),    // clusters 0 and 1 kept apart: refused
        pair(2, 3, 1, 8.0),    // clusters 2 and 3 kept apart: refused, the most probable
        pair(4, 5, 1, -3.0),   // one cluster, p 0.11: joined through others
        pair(6, 7, 1, 2.0),    // one cluster, p 0.8 < 0.9: joined through others
        pair(8, 9, 1, 10.0),   // one cluster and linked: nothing to ask
        pair(10, 11, 1, 6.0),  // clusters 2 and 3 again: one question per two clusters
        pair(4, 12, 1, -5.0),  // the least probable of cluster 4: asked instead of (4, 5)
        pair(13, 14, 1, -8.0), // two clusters, not linked: nothing to ask
    ];
    let clusters = [0, 1, 2, 3, 4, 4, 5, 5, 6, 6, 2, 3, 4, 7, 8];
    let none = HashSet::new();
    let got = uncertain_merges(&scored, &clusters, 0.9, &none, 10);
    let asked: Vec<((u32, u32), Question)> = got.iter().map(|&(i, q)| ((scored[i].a, scored[i].b), q)).collect();
    assert_eq!(
        asked,
        vec![
            ((2, 3), Question::MergeRefused),
            ((4, 12), Question::JoinedThroughOthers),
            ((0, 1), Question::MergeRefused),
            ((6, 7), Question::JoinedThroughOthers),
        ]
    );
    assert_eq!(uncertain_merges(&scored, &clusters, 0.9, &none, 1).len(), 1);
    // an answered pair is not asked again: the next of its two clusters is
    let answered: HashSet<(u32, u32)> = [(2, 3)].into_iter().collect();
    let got = uncertain_merges(&scored, &clusters, 0.9, &answered, 1);
    assert_eq!((scored[got[0].0].a, scored[got[0].0].b), (10, 11));
}
