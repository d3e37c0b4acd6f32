//! Benchmark driver for bench/crossborder/run.sh: persons of several countries with planted
//! overlaps are encoded per country, counted once at the hub from the encodings, and the count is
//! set against the truth and against the same count on plaintext; then a frequency attack is run
//! on the hub's copy of the encodings, with and without hardening. Prints one JSON object.
//!
//! usage: haven-crossborder-bench RECORDS.csv PUBLIC_NAMES.csv [THRESHOLD] [NAMES_ATTACKED]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use anyhow::{Context, bail};
use haven_link::attack::{AttackOutcome, KnownName, frequency_attack};
use haven_link::clk::{ClkEncoder, Encodings, Hardening};
use haven_link::multiparty::{
    CrossBorderCount, DEFAULT_THRESHOLD, PersonFields, TokenWeights, count_persons, count_persons_plaintext,
    encode_persons, person_schema,
};
use haven_link::normalize::{CyrillicScheme, fold};
use serde_json::{Value, json};

/// The secret of the benchmark (in use, the focal points' shared secret).
const SECRET: &[u8] = b"bench secret shared by the focal points";

struct Record {
    truth: u64,
    fields: PersonFields,
}

/// Precision and recall of the cross-border pairs, and the count against the truth.
fn evaluate(count: &CrossBorderCount, parties: &[Vec<Record>], truth_persons: usize) -> Value {
    let mut predicted: HashSet<((u16, u32), (u16, u32))> = HashSet::new();
    for g in &count.groups {
        for (i, a) in g.iter().enumerate() {
            for b in &g[i + 1..] {
                predicted.insert((*a.min(b), *a.max(b)));
            }
        }
    }
    let mut by_truth: HashMap<u64, Vec<(u16, u32)>> = HashMap::new();
    for (c, records) in parties.iter().enumerate() {
        for (i, r) in records.iter().enumerate() {
            by_truth.entry(r.truth).or_default().push((c as u16, i as u32));
        }
    }
    let mut true_pairs = 0usize;
    let mut found = 0usize;
    for members in by_truth.values() {
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                true_pairs += 1;
                if predicted.contains(&(*a.min(b), *a.max(b))) {
                    found += 1;
                }
            }
        }
    }
    let precision = if predicted.is_empty() { 1.0 } else { found as f64 / predicted.len() as f64 };
    let recall = if true_pairs == 0 { 1.0 } else { found as f64 / true_pairs as f64 };
    json!({
        "distinct_estimated": count.distinct,
        "distinct_true": truth_persons,
        "error_of_distinct": count.distinct as f64 / truth_persons as f64 - 1.0,
        "sum_of_national": count.sum_of_national,
        "pairs_predicted": predicted.len(),
        "pairs_true": true_pairs,
        "pairs_right": found,
        "precision": precision,
        "recall": recall,
        "persons_by_countries": count.by_countries.iter().map(|(k, v)| (k.to_string(), *v)).collect::<BTreeMap<_, _>>(),
        "overlaps": count.overlaps.iter().map(|o| json!([o.a, o.b, o.persons])).collect::<Vec<_>>(),
        "comparisons": count.comparisons,
    })
}

fn attack(hub: &Encodings, words: &[Vec<String>], known: &[KnownName], names: usize) -> Value {
    let t = Instant::now();
    let guesses = frequency_attack(hub, known, names);
    let outcome = AttackOutcome::score(&guesses, names.min(known.len()), hub.len(), |r, name| {
        words.get(r as usize).is_some_and(|w| w.iter().any(|x| x == name))
    });
    // baseline: every record guessed to bear the most common name
    let top = known.first().map(|k| k.name.as_str()).unwrap_or_default();
    let baseline = words.iter().filter(|w| w.iter().any(|x| x == top)).count();
    json!({
        "names_attacked": outcome.names_attacked,
        "names_reidentified": outcome.names_reidentified,
        "share_of_names_reidentified": outcome.names_reidentified as f64 / outcome.names_attacked.max(1) as f64,
        "records_named": outcome.records_named,
        "records_named_right": outcome.records_right,
        "precision_of_names_given": if outcome.records_named == 0 { 0.0 } else { outcome.records_right as f64 / outcome.records_named as f64 },
        "share_of_records_reidentified": outcome.records_right as f64 / outcome.records.max(1) as f64,
        "baseline_most_common_name_right": baseline as f64 / outcome.records.max(1) as f64,
        "guesses": guesses.iter().map(|g| json!({"name": g.name, "records": g.records.len(), "pattern_bits": g.pattern_bits})).collect::<Vec<_>>(),
        "seconds": t.elapsed().as_secs_f64(),
    })
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        bail!("usage: haven-crossborder-bench RECORDS.csv PUBLIC_NAMES.csv [THRESHOLD] [NAMES_ATTACKED]");
    }
    let threshold: f64 = args.get(3).map_or(Ok(DEFAULT_THRESHOLD), |s| s.parse()).context("THRESHOLD")?;
    let names_attacked: usize = args.get(4).map_or(Ok(20), |s| s.parse()).context("NAMES_ATTACKED")?;
    let mut countries: Vec<String> = Vec::new();
    let mut parties: Vec<Vec<Record>> = Vec::new();
    let mut rdr = csv::Reader::from_path(&args[1]).with_context(|| format!("reading {}", args[1]))?;
    let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    for row in rdr.records() {
        let row = row?;
        let get = |i: usize| row.get(i).unwrap_or_default();
        let truth: u64 = get(0).parse().context("truth")?;
        let c = match countries.iter().position(|x| x == get(1)) {
            Some(c) => c,
            None => {
                countries.push(get(1).to_owned());
                parties.push(Vec::new());
                countries.len() - 1
            }
        };
        let names: Vec<String> = [get(2), get(3)].iter().filter_map(|s| opt(s)).collect();
        let fields = PersonFields { names, date_of_birth: opt(get(4)), sex: opt(get(5)), citizenship: opt(get(6)) };
        parties[c].push(Record { truth, fields });
    }
    let truth_persons = parties.iter().flatten().map(|r| r.truth).collect::<HashSet<_>>().len();
    let mut known: Vec<KnownName> = Vec::new();
    let mut rdr = csv::Reader::from_path(&args[2]).with_context(|| format!("reading {}", args[2]))?;
    for row in rdr.records() {
        let row = row?;
        let name = fold(row.get(0).unwrap_or_default(), CyrillicScheme::Icao);
        let share: f64 = row.get(1).unwrap_or_default().parse().context("share")?;
        if !name.is_empty() && !name.contains(' ') {
            known.push(KnownName { name, share });
        }
    }
    // the name words each record truly bears, folded as the encoder folds them
    let words: Vec<Vec<String>> = parties
        .iter()
        .flatten()
        .map(|r| {
            r.fields
                .names
                .iter()
                .flat_map(|n| fold(n, CyrillicScheme::Icao).split(' ').map(str::to_owned).collect::<Vec<_>>())
                .collect()
        })
        .collect();

    let mut out = serde_json::Map::new();
    out.insert("countries".into(), json!(countries));
    out.insert("records_per_country".into(), json!(parties.iter().map(Vec::len).collect::<Vec<_>>()));
    out.insert("threshold".into(), json!(threshold));
    out.insert("persons_true".into(), json!(truth_persons));
    for (label, hardening) in
        [("plain", Hardening::default()), ("hardened", Hardening { xor_fold: true, balance: true })]
    {
        let t = Instant::now();
        let encoder = ClkEncoder::new(person_schema(hardening), SECRET)?;
        let encoded: Vec<Encodings> = parties
            .iter()
            .map(|records| {
                let with_ids: Vec<(String, PersonFields)> =
                    records.iter().enumerate().map(|(i, r)| (i.to_string(), r.fields.clone())).collect();
                encode_persons(&encoder, &with_ids)
            })
            .collect();
        let encode_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let count = count_persons(&encoded, threshold)?;
        let count_s = t.elapsed().as_secs_f64();
        let mut result = evaluate(&count, &parties, truth_persons);
        result["encode_seconds"] = json!(encode_s);
        result["count_seconds"] = json!(count_s);
        out.insert(format!("count_{label}"), result);
        let mut hub = Encodings::new(encoded.first().map_or(16, |e| e.words));
        for e in &encoded {
            for i in 0..e.len() {
                hub.push(String::new(), e.get(i));
            }
        }
        out.insert(format!("attack_{label}"), attack(&hub, &words, &known, names_attacked));
    }
    let t = Instant::now();
    let encoder = ClkEncoder::new(person_schema(Hardening::default()), SECRET)?;
    let plain: Vec<TokenWeights> = parties
        .iter()
        .map(|records| TokenWeights::of(&encoder, &records.iter().map(|r| r.fields.clone()).collect::<Vec<_>>()))
        .collect();
    let count = count_persons_plaintext(&plain, threshold)?;
    let mut result = evaluate(&count, &parties, truth_persons);
    result["count_seconds"] = json!(t.elapsed().as_secs_f64());
    out.insert("count_plaintext".into(), result);
    println!("{}", serde_json::to_string_pretty(&Value::Object(out))?);
    Ok(())
}
