//! Training that does not collapse: constraints, priors, the checks after training and their
//! fallbacks, and training on blocking rules of its own.

use haven_link::LinkError;
use haven_link::data::{BadValues, Dataset, RawRecord};
use haven_link::diagnose::{self, Fallback, ModelWarning};
use haven_link::linker::Linker;
use haven_link::model::{LinkageModel, ModelSettings};
use haven_link::train::SplitMix64;

const SYLLABLES: [&str; 16] =
    ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "de", "ba", "zu", "po", "gri", "sha", "len", "dor"];

/// A made-up name of three syllables, numbered so that different numbers give different names.
fn name(n: u64) -> String {
    (0..3).map(|i| SYLLABLES[((n >> (4 * i)) & 15) as usize]).collect()
}

/// Data where "same name" is not "same person": 150 full names, each borne by 10 different people
/// (namesakes with their own dates of birth and towns), three given names per surname; one person
/// in twenty registered twice, with the same date of birth and a town that may differ.
pub(crate) fn namesakes(seed: u64) -> Vec<RawRecord> {
    people(seed, 150, 10)
}

/// `names` full names borne by `per_name` people each (see [`namesakes`]).
fn people(seed: u64, names: u64, per_name: usize) -> Vec<RawRecord> {
    let mut rng = SplitMix64(seed);
    let mut out = Vec::new();
    let mut person = 0;
    for full in 0..names {
        let given = name(1000 + full);
        let surname = name(3000 + full / 3);
        for _ in 0..per_name {
            person += 1;
            let dob = format!("{}-{:02}-{:02}", 1950 + rng.below(55), 1 + rng.below(12), 1 + rng.below(28));
            let town = name(rng.below(40));
            let copies = if rng.below(20) == 0 { 2 } else { 1 };
            for c in 0..copies {
                let t = if c > 0 && rng.below(2) == 0 { name(rng.below(40)) } else { town.clone() };
                out.push(RawRecord {
                    id: format!("r{}", out.len()),
                    source: 0,
                    values: vec![Some(given.clone()), Some(surname.clone()), Some(dob.clone()), Some(t)],
                    truth: Some(format!("p{person}")),
                    line: out.len() as u64 + 2,
                    source_name: "namesakes".into(),
                });
            }
        }
    }
    out
}

/// Settings blocking on the names only, with a `[training]` table.
pub(crate) fn settings(training: &str, extra: &str) -> ModelSettings {
    let text = format!(
        r#"
link_type = "dedupe"
blocking = ["surname", "given_name"]
u_sample_pairs = 20000
{extra}

[[field]]
name = "given_name"
comparison = {{ kind = "name" }}

[[field]]
name = "surname"
comparison = {{ kind = "name" }}

[[field]]
name = "dob"
comparison = {{ kind = "date" }}

[[field]]
name = "town"
comparison = {{ kind = "text" }}

[training]
{training}
"#
    );
    LinkageModel::from_toml(&text).unwrap().settings
}

pub(crate) fn train(settings: ModelSettings, records: Vec<RawRecord>) -> (Linker, haven_link::linker::TrainingSummary) {
    let model = LinkageModel::new(settings).unwrap();
    let data = Dataset::prepare(&model.settings, records, BadValues::Fail).unwrap();
    let mut linker = Linker::new(model, data).unwrap();
    let c = linker.candidates().unwrap();
    let summary = linker.train(&c).unwrap();
    (linker, summary)
}

/// m and u of the exact date of birth.
fn exact_dob(linker: &Linker) -> (f64, f64) {
    let p = linker.model.parameters.as_ref().unwrap();
    (p.fields[2].m[0], p.fields[2].u[0])
}

/// Pairs of namesakes (same full name, different persons) scored at or above 0.9.
pub(crate) fn namesakes_linked(linker: &Linker) -> usize {
    let c = linker.candidates().unwrap();
    let scored = linker.score(&c).unwrap();
    let truth = &linker.data.truth;
    scored.iter().filter(|p| p.probability() >= 0.9 && truth[p.a as usize] != truth[p.b as usize]).count()
}

pub(crate) const UNCONSTRAINED: &str = "monotone = false\nm_prior_strength = 0.0\nfallback = false";

#[test]
fn unconstrained_training_collapses_and_the_checks_say_so() {
    let (linker, summary) = train(settings(UNCONSTRAINED, ""), namesakes(1));
    let (m, u) = exact_dob(&linker);
    // the collapse: EM took "same name" for "same person", so the exact date of birth is rare
    // among its "matches"
    let p = linker.model.parameters.as_ref().unwrap();
    assert!(p.fields[2].m[0] < *p.fields[2].m.last().unwrap(), "m(dob) = {:?}", p.fields[2].m);
    assert!(m < 0.5, "m(exact dob) = {m}, u = {u}");
    let dob_warnings: Vec<&ModelWarning> = summary.warnings.iter().filter(|w| w.field() == Some("dob")).collect();
    assert!(
        dob_warnings.iter().any(|w| matches!(w, ModelWarning::AgreementRarerThanDisagreement { .. })),
        "{:?}",
        summary.warnings
    );
    // nothing replaced when fallbacks are off, and the warnings travel with the model
    assert!(summary.warnings.iter().all(|w| w.fallback() == Fallback::Kept));
    assert_eq!(p.warnings, summary.warnings);
    let back = LinkageModel::from_toml(&linker.model.to_toml().unwrap()).unwrap();
    assert_eq!(back.parameters.unwrap().warnings, summary.warnings);
    // the same checks find it in the saved model after the fact
    let again = diagnose::check(&linker.model.settings, p);
    assert!(
        again.iter().any(|w| matches!(w, ModelWarning::AgreementRarerThanDisagreement { field, .. } if field == "dob"))
    );
}

#[test]
fn constrained_training_keeps_an_exact_date_of_birth_evidence_of_a_match() {
    let (bad, _) = train(settings(UNCONSTRAINED, ""), namesakes(1));
    // constrained, without fallbacks: the order constraint alone keeps m(exact) above u(exact)
    let (linker, _) = train(settings("fallback = false", ""), namesakes(1));
    let (m, u) = exact_dob(&linker);
    assert!(m > u, "m(exact dob) = {m}, u = {u}");
    for f in &linker.model.parameters.as_ref().unwrap().fields {
        assert!(f.m.windows(2).all(|w| w[0] >= w[1]), "{}: m = {:?}", f.name, f.m);
        assert!(f.u.windows(2).all(|w| w[0] <= w[1]), "{}: u = {:?}", f.name, f.u);
    }
    // with the defaults, the date of birth that training could not separate falls back to its
    // prior, and the model says so
    let (linker, summary) = train(settings("", ""), namesakes(1));
    let (m, u) = exact_dob(&linker);
    assert!(m > 0.5 && m > 100.0 * u, "m(exact dob) = {m}, u = {u}");
    assert!(
        summary.warnings.iter().any(|w| w.field() == Some("dob") && w.fallback() == Fallback::PriorM),
        "{:?}",
        summary.warnings
    );
    let p = linker.model.parameters.as_ref().unwrap();
    assert_eq!(
        p.fields[2].m,
        linker.model.settings.training.m_prior_of("dob", &linker.model.settings.fields[2].comparison)
    );
    // and it links far fewer namesakes than the collapsed model
    let (good_fp, bad_fp) = (namesakes_linked(&linker), namesakes_linked(&bad));
    assert!(good_fp * 4 < bad_fp, "namesakes linked: constrained {good_fp}, unconstrained {bad_fp}");
}

#[test]
fn training_blocking_differs_from_prediction_blocking() {
    // training on the date of birth: the names' m is estimated among pairs that share a date of
    // birth, where namesakes are rare, so the collapse does not happen
    let (linker, summary) = train(settings(UNCONSTRAINED, "training_blocking = [\"dob\"]"), namesakes(2));
    assert_eq!(summary.training_rules, vec!["dob".to_string()]);
    assert_eq!(summary.sessions.len(), 1);
    assert!(linker.model.parameters.as_ref().unwrap().trained_with.contains("training blocking rule"));
    // the date of birth is not estimated (the only training rule forces it): its prior is kept
    assert_eq!(summary.fields_not_estimated, vec!["dob".to_string()]);
    let (m, u) = exact_dob(&linker);
    assert!(m > 100.0 * u);
    let p = linker.model.parameters.as_ref().unwrap();
    let given = &p.fields[0];
    assert!(given.m[0] > 0.8, "m(given name) = {:?}", given.m);
    // the saved model keeps the training rules
    let text = linker.model.to_toml().unwrap();
    assert_eq!(LinkageModel::from_toml(&text).unwrap(), linker.model, "{text}");
    // prediction still uses the prediction rules
    let c = linker.candidates().unwrap();
    assert!(c.iter().all(|x| x.rules != 0));
    // a training rule is checked like any other
    let text = "link_type = \"dedupe\"\nblocking = [\"a\"]\ntraining_blocking = [\"nope\"]\n[[field]]\nname = \"a\"\ncomparison = { kind = \"exact\" }\n";
    assert!(
        matches!(LinkageModel::from_toml(text), Err(LinkError::InvalidRule { .. })),
        "{:?}",
        LinkageModel::from_toml(text)
    );
}

#[test]
fn an_implausible_match_share_falls_back() {
    // no namesakes, every name borne by one person: a sound model, but with a limit of 0.01
    // matching pairs per record the share it finds is taken as implausible
    let records = people(3, 900, 1);
    let (linker, summary) = train(settings("", ""), records.clone());
    assert_eq!(summary.warnings, Vec::new());
    let (linker_capped, summary) = train(settings("max_matches_per_record = 0.01", ""), records);
    let share_warnings: Vec<&ModelWarning> =
        summary.warnings.iter().filter(|w| matches!(w, ModelWarning::MatchShareTooHigh { .. })).collect();
    assert_eq!(share_warnings.len(), 2, "{:?}", summary.warnings);
    assert_eq!(share_warnings[0].fallback(), Fallback::PriorMAllFields);
    assert_eq!(share_warnings[1].fallback(), Fallback::LambdaCapped);
    let c = linker.candidates().unwrap();
    let total = haven_link::train::total_pairs(&linker.data, linker.model.settings.link_type);
    let share = |l: &Linker| l.model.parameters.as_ref().unwrap().lambda * total / c.len() as f64;
    let records = linker.data.len() as f64;
    let per_record = |l: &Linker| share(l) * c.len() as f64 / records;
    assert!(per_record(&linker) > 0.01);
    // the final share is within the limit (the m of every field from its prior, lambda capped)
    assert!(per_record(&linker_capped) <= 0.01 + 1e-9, "{}", per_record(&linker_capped));
    let linker = linker_capped;
    let p = linker.model.parameters.as_ref().unwrap();
    for (f, fs) in p.fields.iter().zip(&linker.model.settings.fields) {
        assert_eq!(f.m, linker.model.settings.training.m_prior_of(&fs.name, &fs.comparison), "{}", fs.name);
    }
}

#[test]
fn a_field_without_values_weighs_nothing() {
    let mut records = namesakes(4);
    for r in &mut records {
        r.values[3] = None;
    }
    let (linker, summary) = train(settings("", ""), records);
    assert!(
        summary.warnings.contains(&ModelWarning::UIdentical { field: "town".into(), fallback: Fallback::NoWeight }),
        "{:?}",
        summary.warnings
    );
    let town = &linker.model.parameters.as_ref().unwrap().fields[3];
    assert_eq!(town.m, town.u);
}

#[test]
fn a_hand_set_model_is_checked_too() {
    let mut model = LinkageModel::new(settings("", "")).unwrap();
    let (trained, _) = train(settings("", ""), namesakes(5));
    let mut p = trained.model.parameters.clone().unwrap();
    p.warnings.clear();
    // one field that decides alone: a date of birth worth 130 bits either way
    p.fields[2].u = vec![1e-40, 1e-40, 1e-40, 1e-40, 1e-40, 1.0];
    p.fields[2].m = vec![0.9, 0.02, 0.02, 0.02, 0.02, 1e-40];
    model.parameters = Some(p);
    let w = diagnose::warnings_of(&model);
    assert!(
        w.iter()
            .any(|w| matches!(w, ModelWarning::DominantField { field, share, .. } if field == "dob" && *share > 0.75)),
        "{w:?}"
    );
    let html = haven_link::report::warnings_html(&w);
    assert!(html.contains("Warnings about the model") && html.contains("&quot;dob&quot; carries"), "{html}");
    assert!(haven_link::report::warnings_html(&[]).contains("None."));
}

#[test]
fn training_settings_are_checked() {
    let base = "link_type = \"dedupe\"\nblocking = [\"a\"]\n[[field]]\nname = \"a\"\ncomparison = { kind = \"exact\" }\n[training]\n";
    for (bad, says) in [
        ("m_prior_strength = -1.0", "m_prior_strength"),
        ("max_match_share = 1.5", "max_match_share"),
        ("m_prior = { b = [0.9, 0.1] }", "not a field"),
        ("m_prior = { a = [0.9, 0.2] }", "sum to 1"),
        ("m_prior = { a = [0.9] }", "2 positive values"),
        ("m_prior = { a = [0.1, 0.9] }", "must not increase"),
        ("colapse = true", "colapse"),
    ] {
        match LinkageModel::from_toml(&format!("{base}{bad}\n")) {
            Err(e) => assert!(e.to_string().contains(says), "{bad}: {e}"),
            Ok(_) => panic!("{bad} was accepted"),
        }
    }
    let ok = LinkageModel::from_toml(&format!("{base}m_prior = {{ a = [0.7, 0.3] }}\n")).unwrap();
    assert_eq!(ok.settings.training.m_prior_of("a", &ok.settings.fields[0].comparison), vec![0.7, 0.3]);
    // defaults are left out of a saved model, which reads back the same
    let plain = LinkageModel::from_toml(base).unwrap();
    let text = plain.to_toml().unwrap();
    assert!(!text.contains("[settings.training]"), "{text}");
    assert_eq!(LinkageModel::from_toml(&text).unwrap(), plain);
    let text = ok.to_toml().unwrap();
    assert_eq!(LinkageModel::from_toml(&text).unwrap(), ok);
}

#[test]
fn the_platforms_hand_set_model_passes_the_checks() {
    let model = LinkageModel::from_toml(include_str!("../../../app/linkage/persons.toml")).unwrap();
    assert_eq!(diagnose::warnings_of(&model), Vec::new());
}

#[derive(clap::Parser)]
struct Haven {
    #[command(flatten)]
    link: haven_link::cli::LinkArgs,
}

#[test]
fn the_command_and_the_report_say_what_training_found() {
    use clap::Parser;
    let dir = tempfile::tempdir().unwrap();
    let p = |f: &str| dir.path().join(f).display().to_string();
    let mut csv = String::from("id,given_name,surname,dob,town,person\n");
    for r in namesakes(7) {
        let v: Vec<&str> = r.values.iter().map(|x| x.as_deref().unwrap_or("")).collect();
        csv.push_str(&format!("{},{},{},{},{},{}\n", r.id, v[0], v[1], v[2], v[3], r.truth.unwrap()));
    }
    std::fs::write(p("people.csv"), csv).unwrap();
    let settings = |training: &str| {
        let s = LinkageModel { settings: settings(training, ""), parameters: None };
        // bare settings, as a data officer writes them
        let text = s.to_toml().unwrap();
        let table: toml::Table = toml::from_str(&text).unwrap();
        toml::to_string(&table["settings"]).unwrap()
    };
    for (name, training, says) in [
        ("plain", UNCONSTRAINED, "kind = \"agreement_rarer_than_disagreement\""),
        ("constrained", "", "kind = \"m_not_separated\""),
    ] {
        std::fs::write(p(&format!("{name}.toml")), settings(training)).unwrap();
        let args = ["haven-link", "dedupe", "--settings", &p(&format!("{name}.toml")), "--input", &p("people.csv")];
        let out = p(name);
        let all: Vec<&str> = args.iter().copied().chain(["--id-column", "id", "--out-dir", &out]).collect();
        haven_link::cli::run(Haven::try_parse_from(all).unwrap().link).unwrap();
        let report = std::fs::read_to_string(p(&format!("{name}/report.html"))).unwrap();
        let section = report.split("<h2>Warnings about the model</h2>").nth(1).unwrap_or_default();
        assert!(section.split("<h2>").next().unwrap().contains("field &quot;dob&quot;"), "{name}: {report}");
        let model = std::fs::read_to_string(p(&format!("{name}/model.toml"))).unwrap();
        assert!(model.contains("[[parameters.warnings]]") && model.contains(says), "{name}: {model}");
        assert!(!LinkageModel::from_toml(&model).unwrap().parameters.unwrap().warnings.is_empty());
    }
}
