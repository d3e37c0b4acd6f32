use clap::Parser;
use haven_link::cli::{LinkArgs, run};

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
blocking = ["surname", "dob"]
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
fn dedupe_then_incremental_predict_keeps_person_ids() {
    let dir = tempfile::tempdir().unwrap();
    let p = |f: &str| dir.path().join(f).display().to_string();
    std::fs::write(p("s.toml"), SETTINGS).unwrap();
    std::fs::write(p("people.csv"), people_csv()).unwrap();
    haven(&[
        "dedupe",
        "--settings",
        &p("s.toml"),
        "--input",
        &p("people.csv"),
        "--label-column",
        "person",
        "--out-dir",
        &p("run1"),
    ])
    .unwrap();
    let pairs = std::fs::read_to_string(p("run1/pairs.csv")).unwrap();
    assert!(pairs.starts_with("id_l,source_l,id_r,source_r,match_weight,match_probability,given_name_level"));
    let clusters = std::fs::read_to_string(p("run1/clusters.csv")).unwrap();
    let person_of = |text: &str, id: &str| {
        text.lines().find(|l| l.starts_with(&format!("{id},"))).and_then(|l| l.split(',').nth(1)).map(str::to_string)
    };
    assert_eq!(person_of(&clusters, "a0"), person_of(&clusters, "b0"));
    assert_ne!(person_of(&clusters, "a0"), person_of(&clusters, "a1"));
    let report = std::fs::read_to_string(p("run1/report.html")).unwrap();
    assert!(report.contains("<svg") && report.contains("Accuracy against the label column"));
    assert!(!report.contains("http://") || report.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    // new records arrive: the trained model is reused and old persons keep their ids
    let mut more = people_csv();
    more.push_str("c0,anna,kowalska0,1940-01-01,p0\n");
    std::fs::write(p("more.csv"), more).unwrap();
    haven(&[
        "predict",
        "--model",
        &p("run1/model.toml"),
        "--input",
        &p("more.csv"),
        "--out-dir",
        &p("run2"),
        "--previous-ids",
        &p("run1/clusters.csv"),
    ])
    .unwrap();
    let clusters2 = std::fs::read_to_string(p("run2/clusters.csv")).unwrap();
    assert_eq!(person_of(&clusters2, "c0"), person_of(&clusters, "a0"));
    assert_eq!(person_of(&clusters2, "a7"), person_of(&clusters, "a7"));
}

#[test]
fn bad_rows_stop_with_the_line_or_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let p = |f: &str| dir.path().join(f).display().to_string();
    std::fs::write(p("s.toml"), SETTINGS).unwrap();
    let mut csv = people_csv();
    csv.push_str("z1,anna,k,1990-02-30,p99\n");
    std::fs::write(p("bad.csv"), &csv).unwrap();
    let err =
        haven(&["dedupe", "--settings", &p("s.toml"), "--input", &p("bad.csv"), "--out-dir", &p("o")]).unwrap_err();
    let msg = format!("{err:#}");
    assert!(msg.contains(&format!("line {}", csv.lines().count())), "{msg}");
    haven(&["dedupe", "--settings", &p("s.toml"), "--input", &p("bad.csv"), "--out-dir", &p("o"), "--skip-bad-rows"])
        .unwrap();
    let report = std::fs::read_to_string(p("o/report.html")).unwrap();
    assert!(report.contains("1 unreadable values treated as missing"), "report does not count the bad value");
}

#[test]
fn two_countries_encode_and_match() {
    let dir = tempfile::tempdir().unwrap();
    let p = |f: &str| dir.path().join(f).display().to_string();
    std::fs::write(
        p("clk.toml"),
        "[[field]]\nname = \"given_name\"\ntokens = \"bigrams\"\n[[field]]\nname = \"surname\"\ntokens = \"bigrams\"\n[[field]]\nname = \"dob\"\ntokens = \"date\"\n",
    )
    .unwrap();
    std::fs::write(p("secret"), "a secret the two countries share\n").unwrap();
    std::fs::write(p("a.csv"), "id,given_name,surname,dob\n1,Юлия,Шевченко,1990-03-07\n2,Jan,Nowak,1960-12-12\n")
        .unwrap();
    std::fs::write(p("b.jsonl"), "{\"id\":\"x\",\"given_name\":\"Jan\",\"surname\":\"Nowak\",\"dob\":\"12.12.1960\"}\n{\"id\":\"y\",\"given_name\":\"Iuliia\",\"surname\":\"Shevchenko\",\"dob\":\"07.03.1990\"}\n").unwrap();
    for (i, o) in [("a.csv", "a.clk"), ("b.jsonl", "b.clk")] {
        haven(&["encode", "--schema", &p("clk.toml"), "--secret-file", &p("secret"), "--input", &p(i), "--out", &p(o)])
            .unwrap();
    }
    let exchanged = std::fs::read_to_string(p("a.clk")).unwrap();
    assert!(!exchanged.contains("Nowak") && !exchanged.contains("Шевченко"));
    haven(&["match", "--left", &p("a.clk"), "--right", &p("b.clk"), "--threshold", "0.7", "--out", &p("m.csv")])
        .unwrap();
    let m = std::fs::read_to_string(p("m.csv")).unwrap();
    let pairs: Vec<(&str, &str)> = m
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut it = l.split(',');
            Some((it.next()?, it.next()?))
        })
        .collect();
    assert_eq!(pairs.len(), 2, "{m}");
    assert!(pairs.contains(&("1", "y")) && pairs.contains(&("2", "x")), "{m}");
}

#[test]
fn semicolon_windows_1257_gzip_input_with_flags_or_settings() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let p = |f: &str| dir.path().join(f).display().to_string();
    // the same people, Latvian names, as a spreadsheet exports them: semicolons, windows-1257, gzip
    let text = people_csv()
        .replace(',', ";")
        .replace("anna", "Anna")
        .replace("kowalska", "Bērziņa")
        .replace("jan;", "Jānis;")
        .replace("nowak", "Ozoliņš");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1257.encode(&text);
    assert!(!unmappable);
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&bytes).unwrap();
    std::fs::write(p("people.csv.gz"), z.finish().unwrap()).unwrap();
    std::fs::write(p("s.toml"), SETTINGS).unwrap();
    let input = p("people.csv.gz");
    let run = |settings: &str, extra: &[&str], out: &str| {
        let mut args =
            vec!["dedupe", "--settings", settings, "--input", &input, "--label-column", "person", "--out-dir"];
        let out = p(out);
        args.push(&out);
        args.extend_from_slice(extra);
        haven(&args)
    };
    run(&p("s.toml"), &["--delimiter", ";", "--encoding", "windows-1257"], "o1").unwrap();
    let clusters = std::fs::read_to_string(p("o1/clusters.csv")).unwrap();
    assert!(clusters.lines().count() > 60, "{clusters}");
    // the same from the settings file
    std::fs::write(p("s2.toml"), format!("{SETTINGS}[input]\ndelimiter = \";\"\nencoding = \"windows-1257\"\n"))
        .unwrap();
    run(&p("s2.toml"), &[], "o2").unwrap();
    assert_eq!(std::fs::read_to_string(p("o2/clusters.csv")).unwrap(), clusters);
    // a wrong label is named
    let err = run(&p("s.toml"), &["--encoding", "baltic"], "o3").unwrap_err();
    assert!(format!("{err:#}").contains("--encoding") && format!("{err:#}").contains("\"baltic\""), "{err:#}");
}

#[test]
fn settings_file_errors_reach_the_user_with_file_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = |f: &str| dir.path().join(f).display().to_string();
    std::fs::write(p("people.csv"), people_csv()).unwrap();
    std::fs::write(p("s.toml"), SETTINGS.replace("kind = \"date\"", "kind = \"jaro\"")).unwrap();
    let err =
        haven(&["dedupe", "--settings", &p("s.toml"), "--input", &p("people.csv"), "--out-dir", &p("o")]).unwrap_err();
    let msg = format!("{err:#}");
    assert!(
        msg.contains("s.toml") && msg.contains("field[2].comparison.kind: unknown comparison kind `jaro`"),
        "{msg}"
    );
    assert!(msg.contains("line 13"), "{msg}");
}
