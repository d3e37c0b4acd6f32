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

/// The trained fixture, made once for the property tests.
fn shared() -> &'static Linker {
    static LINKER: std::sync::OnceLock<Linker> = std::sync::OnceLock::new();
    LINKER.get_or_init(trained)
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
    // for readers of one text (the platform's person model): the tables put back inline
    let one = LinkageModel::read_as_one_toml(&path).unwrap();
    assert_eq!(&LinkageModel::from_toml(&one).unwrap(), model);
    // a text that names no file is given as it is, errors and all
    let plain = dir.path().join("plain.toml");
    std::fs::write(&plain, "blocking = [\n").unwrap();
    assert_eq!(LinkageModel::read_as_one_toml(&plain).unwrap(), "blocking = [\n");
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

// ---- the report ----

use haven_link::cli::{Invocation, shell_word, utc_date_time};
use haven_link::report::{
    ClusterSizes, ExampleField, Histogram, NearThreshold, PairExample, RunReport, cluster_sizes, histogram_svg,
    histogram_table, near_threshold, render_html, sha256_hex,
};
use haven_link::score::FieldExplanation;

/// The x of every `<{element} class="{class}" {attr}="...">` in an SVG, with the element's text.
fn marks(svg: &str, element: &str, class: &str, attr: &str) -> Vec<(f64, String)> {
    let start = format!("<{element} class=\"{class}\" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find(&start) {
        rest = &rest[i + start.len()..];
        let x: f64 = rest[..rest.find('"').unwrap()].parse().unwrap();
        let text = match (rest.find('>'), rest.find("</")) {
            (Some(a), Some(b)) if a < b => rest[a + 1..b].to_string(),
            _ => String::new(),
        };
        out.push((x, text));
    }
    out
}

fn tick_x(svg: &str, label: &str) -> f64 {
    let ticks = marks(svg, "text", "tick-x", "x");
    ticks.iter().find(|(_, t)| t == label).unwrap_or_else(|| panic!("no x tick {label} in {ticks:?}")).0
}

#[test]
fn the_histogram_has_a_y_scale_zero_and_the_threshold_at_its_weight() {
    // 17 weights from -8 to 8, and 150 pairs at -6: the y scale reaches 100
    let mut weights: Vec<f32> = (-8..=8).map(|w| w as f32).collect();
    weights.extend(std::iter::repeat_n(-6.0, 150));
    // p = 0.8 is weight log2(0.8 / 0.2) = 2
    let svg = histogram_svg(&weights, 16, Some(0.8));
    let threshold = marks(&svg, "line", "threshold", "x1");
    assert_eq!(threshold.len(), 1, "{svg}");
    assert!((threshold[0].0 - tick_x(&svg, "2")).abs() < 0.11, "{svg}");
    let zero = marks(&svg, "line", "zero", "x1");
    assert_eq!(zero.len(), 1);
    assert!((zero[0].0 - tick_x(&svg, "0")).abs() < 0.11);
    assert!(tick_x(&svg, "-8") < zero[0].0 && zero[0].0 < threshold[0].0 && threshold[0].0 < tick_x(&svg, "8"));
    // the threshold's label says its probability, weight and the pairs at or above it (2..=8: 7)
    assert!(svg.contains("threshold p = 0.8 (weight 2.00): 7 pairs at or above"), "{svg}");
    // y ticks 1, 10, 100, each higher up (smaller y)
    let ys: Vec<(f64, String)> = marks(&svg, "text", "tick-y", "x").into_iter().collect();
    let labels: Vec<&str> = ys.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(labels, ["1", "10", "100"], "{svg}");
    assert!(svg.contains("pairs (log scale)"));
    // accessible: a title and a description named by the chart
    assert!(svg.contains("role=\"img\" aria-labelledby=\"weights-title weights-desc\""));
    assert!(svg.contains("<title id=\"weights-title\">Distribution of match weights</title>"));
    assert!(svg.contains("<desc id=\"weights-desc\">Histogram of 167 pairs"), "{svg}");
    // p = 0.5 is weight 0: the threshold is on the zero line
    let svg = histogram_svg(&weights, 16, Some(0.5));
    assert!((marks(&svg, "line", "threshold", "x1")[0].0 - marks(&svg, "line", "zero", "x1")[0].0).abs() < 1e-9);
    // a threshold beyond the weights widens the axis to show it
    let svg = histogram_svg(&[-3.0, -1.0], 4, Some(0.999));
    let t = marks(&svg, "line", "threshold", "x1")[0].0;
    assert!(t > marks(&svg, "line", "zero", "x1")[0].0 && t <= 720.0 - 16.0 + 1e-9, "{svg}");
    // its label, which would run off the right edge, ends at the line; the zero's label is left of 0
    assert!(svg.contains("text-anchor=\"end\" fill=\"#b00020\">threshold p = 0.999"), "{svg}");
    assert!(svg.contains("text-anchor=\"end\">0: p = 0.5</text>"), "{svg}");
    // the text alternative: the same counts
    let table = histogram_table(&weights, 16, Some(0.8));
    let h = Histogram::of(&weights, 16, &[0.0, 2.0]).unwrap();
    assert_eq!((h.lo, h.hi, h.counts.iter().sum::<u64>()), (-8.0, 8.0, 167));
    assert!(table.contains("<td class=n>-6.00</td><td class=n>-5.00</td><td class=n>151</td>"), "{table}");
    assert!(histogram_svg(&[], 10, Some(0.9)).contains("No pairs were scored"));
}

/// A run with all of it, values chosen to need escaping.
fn tricky_report() -> RunReport {
    let field = |name: &str, l: &str, r: &str| ExampleField {
        explanation: FieldExplanation {
            field: name.into(),
            level: "exact <same>".into(),
            m: 0.9,
            u: 0.01,
            weight: 6.49,
            term_frequency_adjustment: 0.0,
        },
        left: Some(l.into()),
        right: Some(r.into()),
    };
    let pair = PairExample {
        left: ("<img src=x onerror=alert(1)>".into(), 0),
        right: ("o'brien&co".into(), 1),
        prior: -10.0,
        weight: -3.51,
        probability: 0.08,
        fields: vec![field("surname", "<script>alert(1)</script>", "\"quoted\"")],
    };
    RunReport {
        title: "run <xx>".into(),
        date: "2026-12-06 01:00 UTC".into(),
        command: "haven link dedupe --input 'a <xx>.csv'".into(),
        input_checksums: vec![("a <xx>.csv".into(), "ab".repeat(32))],
        near_threshold: NearThreshold { above: vec![], below: vec![pair], with_values: true },
        cluster_sizes: ClusterSizes { distribution: vec![(1, 3), (2, 1)], largest: vec![("<p1>".into(), 2)] },
        match_threshold: 0.9,
        ..RunReport::default()
    }
}

#[test]
fn the_report_escapes_every_value_it_shows() {
    let html = render_html(&tricky_report());
    for raw in ["<script>", "<img", "<xx>", "\"quoted\"", "o'brien", "<p1>", "<same>"] {
        assert!(!html.contains(raw), "{raw} unescaped");
    }
    for escaped in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&quot;quoted&quot;",
        "&lt;img src=x onerror=alert(1)&gt;",
        "o&#39;brien&amp;co",
        "haven link dedupe --input &#39;a &lt;xx&gt;.csv&#39;",
        "&lt;p1&gt;",
        "exact &lt;same&gt;",
    ] {
        assert!(html.contains(escaped), "{escaped} missing");
    }
    // without values the header says only ids are shown
    let mut r = tricky_report();
    r.near_threshold.with_values = false;
    for f in &mut r.near_threshold.below[0].fields {
        (f.left, f.right) = (None, None);
    }
    let html = render_html(&r);
    assert!(html.contains("This report may hold personal data") && html.contains("compared values were left out"));
    assert!(!html.contains("warnings about the model:"));
    // warnings about the model are named at the top too
    r.model = Some(shared().model.clone());
    let n = haven_link::diagnose::warnings_of(r.model.as_ref().unwrap()).len();
    assert!(n > 1);
    assert!(render_html(&r).contains(&format!("<strong>{n} warnings about the model:</strong>")));
    assert!(!html.contains("alert(1)&lt;/script"));
}

#[test]
fn the_findings_say_what_reading_found_and_the_matches_blocking_loses() {
    let mut r = RunReport::default();
    assert!(render_html(&r).contains("<h2>Findings</h2><p>Nothing in this run needs attention"));
    r.reading_notes = vec![("people.csv".into(), "delimiter `;`, found in the header line".into())];
    r.inputs = vec![("people.csv".into(), 100, 2, vec![]), ("more.csv".into(), 50, 1, vec![])];
    r.bad_values = 4;
    r.estimated_blocking_recall = Some(0.9);
    r.estimated_missed_matches = Some(41.6);
    r.cluster_sizes = ClusterSizes { distribution: vec![(14, 1)], largest: vec![("P12".into(), 14)] };
    let f = haven_link::report::findings(&r, 2);
    assert_eq!(
        f,
        [
            "Reading people.csv: delimiter `;`, found in the header line.",
            "3 rows could not be read and were skipped (see Input).",
            "4 values could not be read and were treated as missing, so they weigh nothing (see Input).",
            "Training may have gone wrong: 2 warnings about the model (see Warnings about the model).",
            "Blocking is estimated to lose about 42 matching pairs (10.0% of the matches): no rule brings them together, so they are never compared. Add a rule on other fields (see Blocking).",
            "The largest person (P12) holds 14 records: check that it is one person and not a chain of different people (see Persons).",
        ]
    );
    let html = render_html(&r);
    assert!(html.contains("<ul class=findings><li>Reading people.csv: delimiter `;`"), "{html}");
    assert!(html.contains("(so about 10.00% lost, about 42 matching pairs)."));
    // a small loss is said without the advice; no estimate is said with the reason below
    r.estimated_blocking_recall = Some(0.995);
    r.estimated_missed_matches = Some(2.0);
    assert!(haven_link::report::findings(&r, 0).contains(
        &"Blocking is estimated to lose about 2 matching pairs (0.5% of the matches; see Blocking).".to_owned()
    ));
    r.estimated_blocking_recall = None;
    r.estimated_missed_matches = None;
    r.blocking_recall_not_estimated = Some("every rule uses `surname`".into());
    assert!(
        haven_link::report::findings(&r, 0)
            .contains(&"How many matches blocking loses could not be estimated (see Blocking).".to_owned())
    );
    assert!(render_html(&r).contains("was not estimated: every rule uses `surname`."));
}

#[test]
fn pairs_near_the_threshold_are_the_nearest_on_each_side_and_add_up() {
    let linker = trained();
    let c = linker.candidates().unwrap();
    let scored = linker.score(&c).unwrap();
    let t = 0.9;
    let near = near_threshold(&linker, &scored, t, 10, true).unwrap();
    let above: Vec<f64> =
        scored.iter().filter(|p| p.probability() >= t).map(|p| f64::from(p.weight)).collect::<Vec<_>>();
    let below: Vec<f64> = scored.iter().filter(|p| p.probability() < t).map(|p| f64::from(p.weight)).collect();
    assert!(above.len() > 10 && below.len() > 10, "{} {}", above.len(), below.len());
    assert_eq!((near.above.len(), near.below.len()), (10, 10));
    // the lowest above, in order, and the highest below, in order
    let mut a = above.clone();
    a.sort_by(f64::total_cmp);
    let mut b = below.clone();
    b.sort_by(|x, y| y.total_cmp(x));
    assert_eq!(near.above.iter().map(|e| e.weight).collect::<Vec<_>>(), a[..10]);
    assert_eq!(near.below.iter().map(|e| e.weight).collect::<Vec<_>>(), b[..10]);
    for e in near.above.iter().chain(&near.below) {
        assert_eq!(e.fields.len(), 4);
        let sum = e.prior + e.fields.iter().map(|f| f.explanation.weight).sum::<f64>();
        assert!((sum - e.weight).abs() < 1e-3, "{sum} vs {}", e.weight);
        assert_eq!(e.probability >= t, near.above.contains(e));
        // values as compared: the surname is there unless missing
        assert!(e.fields[1].left.is_some() && e.fields[1].right.is_some());
    }
    let bare = near_threshold(&linker, &scored, t, 10, false).unwrap();
    assert!(bare.above.iter().flat_map(|e| &e.fields).all(|f| f.left.is_none() && f.right.is_none()));
    assert_eq!(bare.above.len(), 10);
    assert!(near_threshold(&linker, &scored, t, 0, true).unwrap().above.is_empty());
}

#[test]
fn cluster_sizes_count_clusters_by_size_and_list_the_largest() {
    let ids: Vec<String> = ["a", "b", "a", "c", "a", "b", "d"].iter().map(|s| s.to_string()).collect();
    let c = cluster_sizes(&ids, 2);
    assert_eq!(c.distribution, [(1, 2), (2, 1), (3, 1)]);
    assert_eq!(c.largest, [("a".to_string(), 3), ("b".to_string(), 2)]);
}

#[test]
fn checksums_dates_and_command_words() {
    assert_eq!(sha256_hex(&b"abc"[..]).unwrap(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_eq!(utc_date_time(0), "1970-01-01 00:00 UTC");
    assert_eq!(utc_date_time(951_782_400), "2000-02-29 00:00 UTC");
    assert_eq!(utc_date_time(1_780_000_000), "2026-05-28 20:26 UTC");
    assert_eq!(utc_date_time(4_102_531_199), "2100-01-01 23:59 UTC");
    assert_eq!(shell_word("--input"), "--input");
    assert_eq!(shell_word("my file.csv"), "'my file.csv'");
    assert_eq!(shell_word("o'brien"), "'o'\\''brien'");
    assert_eq!(shell_word(""), "''");
}

const SETTINGS: &str = r#"
id_column = "id"
blocking = ["surname", "dob"]
u_sample_pairs = 5000
[[field]]
name = "given_name"
comparison = { kind = "name" }
[[field]]
name = "surname"
comparison = { kind = "name" }
term_frequency = true
[[field]]
name = "dob"
comparison = { kind = "date" }
"#;

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
        if i % 10 == 0 {
            s.push_str(&format!("c{i},{g},{n}{i},{dob},p{i}\n"));
        }
    }
    s
}

#[derive(clap::Parser)]
struct Haven {
    #[command(flatten)]
    link: haven_link::cli::LinkArgs,
}

#[test]
fn the_command_writes_a_report_with_the_run_examples_and_cluster_sizes() {
    use clap::Parser as _;
    use sha2::Digest as _;
    let dir = tempfile::tempdir().unwrap();
    let p = |f: &str| dir.path().join(f).display().to_string();
    std::fs::write(p("s.toml"), SETTINGS).unwrap();
    std::fs::write(p("people.csv"), people_csv()).unwrap();
    let run = |out: &str, extra: &[&str]| {
        let (settings, input) = (p("s.toml"), p("people.csv"));
        let mut args = vec!["haven-link", "dedupe", "--settings", &settings, "--input", &input, "--out-dir", out];
        args.extend_from_slice(extra);
        let invocation = Invocation { date: "2026-12-06 01:02 UTC".into(), command: "haven link dedupe <x>".into() };
        haven_link::cli::run_with(Haven::try_parse_from(args).unwrap().link, &invocation).unwrap();
    };
    run(&p("o"), &[]);
    let html = std::fs::read_to_string(p("o/report.html")).unwrap();
    assert!(html.contains("<tr><th>date</th><td>2026-12-06 01:02 UTC</td></tr>"));
    assert!(html.contains(&format!("<tr><th>Haven version</th><td>{}</td></tr>", env!("CARGO_PKG_VERSION"))));
    assert!(html.contains("<code>haven link dedupe &lt;x&gt;</code>"));
    let sum = format!("{:x}", sha2::Sha256::digest(std::fs::read(p("people.csv")).unwrap()));
    assert!(html.contains(&format!("<tr><td>{}</td><td><code>{sum}</code></td></tr>", p("people.csv"))), "{html}");
    // the settings used, as TOML that reads back
    let start = html.find("<pre class=settings>").unwrap() + "<pre class=settings>".len();
    let settings = html[start..start + html[start..].find("</pre>").unwrap()].replace("&quot;", "\"");
    let back = LinkageModel::from_toml(&settings).unwrap();
    assert_eq!(back.settings.blocking, ["surname", "dob"]);
    assert!(html.contains("This report may hold personal data"));
    assert!(html.contains("<h2>Findings</h2><ul class=findings>"), "{html}");
    assert!(html.contains("Blocking is estimated to lose") || html.contains("How many matches blocking loses"));
    assert!(html.contains("<a id=warnings></a><h2>Warnings about the model</h2>"));
    // the warnings are also named at the top, linked to their section
    let warnings = LinkageModel::load(std::path::Path::new(&p("o/model.toml"))).unwrap().parameters.unwrap().warnings;
    assert_eq!(
        html.contains(&format!("<strong>{} warning", warnings.len())) && html.contains("href=\"#warnings\""),
        !warnings.is_empty(),
        "{warnings:?}"
    );
    // cluster sizes: the same as clusters.csv
    let clusters = std::fs::read_to_string(p("o/clusters.csv")).unwrap();
    let ids: Vec<String> = clusters.lines().skip(1).map(|l| l.split(',').nth(1).unwrap().to_string()).collect();
    let sizes = cluster_sizes(&ids, 10);
    assert!(!sizes.distribution.is_empty());
    for (size, n) in &sizes.distribution {
        assert!(html.contains(&format!("<tr><td class=n>{size}</td><td class=n>{n}</td></tr>")), "{size}: {n}");
    }
    let (largest, n) = &sizes.largest[0];
    assert!(html.contains(&format!("<tr><td><code>{largest}</code></td><td class=n>{n}</td></tr>")));
    // the pairs near the threshold, with their values
    assert!(html.contains("<h2>Pairs near the threshold</h2>") && html.contains("<th>left value</th>"));
    let pairs = html.matches("<tr class=pair>").count();
    assert!(pairs > 0 && pairs <= 20, "{pairs}");
    assert!(html.contains("kowalska"));
    // the histogram with its threshold and text alternative
    assert!(html.contains("class=\"threshold\"") && html.contains("The chart as a table"));
    // the model beside: its term frequencies in their own file
    assert!(std::fs::read_to_string(p("o/model.toml")).unwrap().contains("term_frequency_file = \"model.tf.json\""));
    assert!(LinkageModel::load(std::path::Path::new(&p("o/model.toml"))).is_ok());
    // what reading found is among the findings: here the semicolon of a spreadsheet export
    std::fs::write(p("people.csv"), people_csv().replace(',', ";")).unwrap();
    run(&p("semi"), &[]);
    let html = std::fs::read_to_string(p("semi/report.html")).unwrap();
    assert!(html.contains(&format!("<li>Reading {}: delimiter", p("people.csv"))), "{html}");
    std::fs::write(p("people.csv"), people_csv()).unwrap();
    // the values can be left out
    run(&p("bare"), &["--report-without-values"]);
    let html = std::fs::read_to_string(p("bare/report.html")).unwrap();
    assert!(!html.contains("kowalska") && !html.contains("<th>left value</th>"));
    assert!(html.contains("compared values were left out") && html.contains("<tr class=pair>"));
}

mod properties {
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    use haven_link::ScoredPair;
    use haven_link::model::LinkageModel;
    use haven_link::report::{esc, near_threshold};

    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Escaped text has no character that could open markup or end an attribute, and reads back.
        #[test]
        fn escaped_text_is_inert_and_reads_back(s in any::<String>()) {
            let e = esc(&s);
            prop_assert!(!e.contains(['<', '>', '"', '\'']));
            prop_assert_eq!(unescape(&e), s);
        }

        /// Any term-frequency tables (any values, any frequencies in (0, 1]) come back the same
        /// from the two files.
        #[test]
        fn term_frequency_tables_round_trip_through_their_file(
            given in prop::collection::btree_map(any::<String>(), 1e-12f64..=1.0, 0..20),
            surname in prop::collection::btree_map("[a-z' \"\\\\ăšžя]{0,12}", 1e-12f64..=1.0, 0..20),
        ) {
            let mut model = super::shared().model.clone();
            let tables: BTreeMap<&str, BTreeMap<String, f64>> =
                [("given_name", given), ("surname", surname)].into_iter().collect();
            for f in &mut model.parameters.as_mut().unwrap().fields {
                f.term_frequencies = tables.get(f.name.as_str()).cloned().unwrap_or_default();
            }
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("m.toml");
            let tf = model.save(&path).unwrap();
            let any_table = tables.values().any(|t| !t.is_empty());
            prop_assert_eq!(tf.is_some(), any_table);
            prop_assert_eq!(LinkageModel::load(&path).unwrap(), model);
        }

        /// The examples are the pairs nearest the threshold on each side, nearest first.
        #[test]
        fn examples_are_the_nearest_on_each_side(
            weights in prop::collection::vec(-30.0f32..30.0, 0..60),
            threshold in 0.01f64..0.99,
            n in 0usize..12,
        ) {
            let linker = super::shared();
            let records = linker.data.len() as u32;
            let scored: Vec<ScoredPair> = weights
                .iter()
                .enumerate()
                .map(|(i, w)| ScoredPair { a: i as u32 % records, b: (i as u32 + 1) % records, pattern: 0, rules: 1, weight: *w })
                .collect();
            let near = near_threshold(linker, &scored, threshold, n, false).unwrap();
            let mut above: Vec<f64> =
                scored.iter().filter(|p| p.probability() >= threshold).map(|p| f64::from(p.weight)).collect();
            let mut below: Vec<f64> =
                scored.iter().filter(|p| p.probability() < threshold).map(|p| f64::from(p.weight)).collect();
            above.sort_by(f64::total_cmp);
            below.sort_by(|x, y| y.total_cmp(x));
            above.truncate(n);
            below.truncate(n);
            prop_assert_eq!(near.above.iter().map(|e| e.weight).collect::<Vec<_>>(), above);
            prop_assert_eq!(near.below.iter().map(|e| e.weight).collect::<Vec<_>>(), below);
        }
    }
}
