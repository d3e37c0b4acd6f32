//! An audit from outside: what an attacker can derive from a published SDMX-CSV file and the
//! relations Haven publishes (docs/statistics.md), formulated here on its own — its own reading
//! of the file, its own relations from the documented definitions, its own linear programs
//! (`microlp` directly, not the suppression code's simplex nor its system) — and checked against
//! the protection rule for every hidden cell whose true value is small.
//!
//! The attacker knows every published value, that every hidden cell (flag `c`) is a count of 0 or
//! more, and:
//! - every total is the sum of its breakdown along any one dimension (an `_T` is the sum of the
//!   codes below it; `OTH` of its sub-forms `OTH_*`);
//! - a citizenship group is the sum of its countries of citizenship, seen from the reporting
//!   country (own nationals, other EU member states, other countries, unknown);
//! - victims by age group under 18 are not more than the children, 18 and over not more than the
//!   adults;
//! - victims assisted, given a reflection period or a residence permit are not more than those
//!   registered;
//! - an anonymous notification is of an adult (or of unknown age), never of a child: the notified
//!   and the children of a sex are together not more than that sex.
//!
//! Shared by the statistics crate's tests and the command line's demonstration test (included by
//! path), so it uses only `csv`, `microlp` and, to read true tables, `haven_stats`'s model.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use std::collections::{BTreeMap, HashMap};

/// The dimensions of a key, in this order: the indicator, then the eight concepts.
pub const DIMS: [&str; 9] =
    ["INDICATOR", "VICT_STAT", "SEX", "AGE", "AGE_CLASS", "CITIZEN_GRP", "CITIZEN", "EXPLOIT", "ORG_KIND"];
const EXPLOIT: usize = 7;
const CITIZEN: usize = 6;
const GROUP: usize = 5;
const AGE: usize = 3;
const CLASS: usize = 4;

/// The member states as Eurostat writes them (the published code list of "other EU").
const EU: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
    "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

pub type Key = [String; 9];

/// A published file: its reporting country and every observation (`None`: hidden).
#[derive(Debug, Clone)]
pub struct Published {
    pub country: String,
    pub cells: BTreeMap<Key, Option<u64>>,
}

/// Reads an SDMX-CSV text (one country and year), by header names.
pub fn read_sdmx(text: &str) -> Published {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    let dims: Vec<usize> = DIMS.iter().map(|d| col(d)).collect();
    let (area, value, flag, conf) = (col("REF_AREA"), col("OBS_VALUE"), col("OBS_FLAG"), col("CONF_STATUS"));
    let mut country = String::new();
    let mut cells = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        country = rec[area].to_owned();
        let key: Key = std::array::from_fn(|i| rec[dims[i]].to_owned());
        let hidden = rec[flag].contains('c');
        assert_eq!(hidden, &rec[conf] != "F", "the flag c and CONF_STATUS agree: {rec:?}");
        assert!(["F", "C"].contains(&&rec[conf]), "one status for every hidden cell, never A or D: {}", &rec[conf]);
        let v = if hidden {
            assert!(rec[value].is_empty(), "a hidden cell has no value");
            None
        } else {
            Some(rec[value].parse::<u64>().unwrap())
        };
        assert!(cells.insert(key, v).is_none(), "a cell twice");
    }
    Published { country, cells }
}

/// `sum(parts) = whole` or `sum(parts) <= whole`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub whole: Key,
    pub parts: Vec<Key>,
    pub equal: bool,
}

fn children(dim: usize, code: &str, present: &[&str]) -> Vec<String> {
    match (dim, code) {
        (EXPLOIT, "_T") => ["SEX", "LAB", "OTH"].iter().map(|c| (*c).to_owned()).collect(),
        (EXPLOIT, "OTH") => present.iter().filter(|c| c.starts_with("OTH_")).map(|c| (*c).to_owned()).collect(),
        (EXPLOIT, _) => Vec::new(),
        (_, "_T") => present.iter().filter(|c| **c != "_T").map(|c| (*c).to_owned()).collect(),
        _ => Vec::new(),
    }
}

fn group_of(reporting: &str, citizen: &str) -> &'static str {
    if citizen == "UNK" {
        "UNK"
    } else if citizen == reporting {
        "NAT"
    } else if EU.contains(&citizen) {
        "EU_FOR"
    } else {
        "NEU_FOR"
    }
}

/// Every published relation among the file's cells.
pub fn relations(p: &Published) -> Vec<Relation> {
    let has = |k: &Key| p.cells.contains_key(k);
    let codes: Vec<Vec<&str>> = (0..DIMS.len())
        .map(|d| {
            let mut c: Vec<&str> = p.cells.keys().map(|k| k[d].as_str()).collect();
            c.sort_unstable();
            c.dedup();
            c
        })
        .collect();
    let with = |k: &Key, d: usize, code: &str| {
        let mut k = k.clone();
        k[d] = code.to_owned();
        k
    };
    let mut out = Vec::new();
    for k in p.cells.keys() {
        // sums along each dimension
        for d in 1..DIMS.len() {
            let parts: Vec<Key> =
                children(d, &k[d], &codes[d]).iter().map(|c| with(k, d, c)).filter(|x| has(x)).collect();
            if !parts.is_empty() {
                out.push(Relation { whole: k.clone(), parts, equal: true });
            }
        }
        // a citizenship group is the sum of its countries
        if k[GROUP] != "_T" && k[CITIZEN] == "_T" {
            let base = with(k, GROUP, "_T");
            let by_country: Vec<(&str, Key)> = codes[CITIZEN]
                .iter()
                .filter(|c| **c != "_T")
                .map(|c| (*c, with(&base, CITIZEN, c)))
                .filter(|(_, x)| has(x))
                .collect();
            if !by_country.is_empty() {
                let parts = by_country
                    .into_iter()
                    .filter(|(c, _)| group_of(&p.country, c) == k[GROUP])
                    .map(|(_, x)| x)
                    .collect();
                out.push(Relation { whole: k.clone(), parts, equal: true });
            }
        }
        // age groups are not more than their class
        let ages: &[&str] = match k[CLASS].as_str() {
            "CHILD" => &["Y0-11", "Y12-17"],
            "ADULT" => &["Y18-24", "Y25-34", "Y35-44", "Y45-54", "Y55-64", "Y_GE65"],
            _ => &[],
        };
        if k[AGE] == "_T" {
            let base = with(k, CLASS, "_T");
            let parts: Vec<Key> = ages.iter().map(|a| with(&base, AGE, a)).filter(|x| has(x)).collect();
            if !parts.is_empty() {
                out.push(Relation { whole: k.clone(), parts, equal: false });
            }
        }
        // the notified are adults: notified + children <= all, per sex
        if k[0] == "VICT_REG" && (1..DIMS.len()).all(|d| d == 2 || k[d] == "_T") {
            let notified = with(k, 1, "NOTIF");
            let children = with(k, CLASS, "CHILD");
            if has(&notified) && has(&children) {
                out.push(Relation { whole: k.clone(), parts: vec![notified, children], equal: false });
            }
        }
        // given is not more than registered
        if ["VICT_ASSIST", "VICT_REFLECT", "VICT_PERMIT"].contains(&k[0].as_str()) {
            let reg = with(k, 0, "VICT_REG");
            if has(&reg) {
                out.push(Relation { whole: reg, parts: vec![k.clone()], equal: false });
            }
        }
    }
    out
}

/// The true value of every cell, for the check.
pub type Truth = HashMap<Key, u64>;

/// The true values of tables, keyed as in the file.
pub fn truth_of(tables: &[haven_stats::Table]) -> Truth {
    let mut out = Truth::new();
    for t in tables {
        for (i, v) in t.values.iter().enumerate() {
            let k = t.spec.key(i);
            let mut key: Key = std::array::from_fn(|_| "_T".to_owned());
            key[0] = k.indicator.code().to_owned();
            for (d, name) in DIMS.iter().enumerate().skip(1) {
                let c = haven_stats::Concept::from_id(name).unwrap();
                key[d] = k.code(c).to_owned();
            }
            out.insert(key, *v);
        }
    }
    out
}

/// The protection rule: a cell of 1 to `threshold - 1` must be hidden, and the attacker's
/// interval must reach `max(0, v - protection)` and `v + protection`.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub threshold: u64,
    pub protection: u64,
}

/// A hidden small cell the attacker narrows too much, or a small cell published.
#[derive(Debug, Clone)]
pub struct Violation {
    pub key: Key,
    pub value: u64,
    pub lower: f64,
    pub upper: Option<f64>,
    /// Whether the interval is the integer attacker's (else the linear relaxation's).
    pub integer: bool,
}

/// What the audit looked at.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub hidden: usize,
    pub small: usize,
    pub relations: usize,
    pub integer_checked: usize,
    pub violations: Vec<Violation>,
    /// Hidden small cells the attacker pins to their value.
    pub exact: usize,
}

/// One connected group of hidden cells and the relations touching it.
struct Component {
    cells: Vec<Key>,
    rels: Vec<usize>,
}

fn components(p: &Published, rels: &[Relation]) -> Vec<Component> {
    let hidden: Vec<&Key> = p.cells.iter().filter(|(_, v)| v.is_none()).map(|(k, _)| k).collect();
    let index: HashMap<&Key, usize> = hidden.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let mut parent: Vec<usize> = (0..hidden.len()).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for r in rels {
        let ids: Vec<usize> = std::iter::once(&r.whole).chain(&r.parts).filter_map(|k| index.get(k).copied()).collect();
        for w in ids.windows(2) {
            let (a, b) = (root(&mut parent, w[0]), root(&mut parent, w[1]));
            parent[a] = b;
        }
    }
    let mut groups: BTreeMap<usize, Component> = BTreeMap::new();
    for (i, k) in hidden.iter().enumerate() {
        let r = root(&mut parent, i);
        groups.entry(r).or_insert(Component { cells: Vec::new(), rels: Vec::new() }).cells.push((*k).clone());
    }
    for (ri, r) in rels.iter().enumerate() {
        if let Some(i) = std::iter::once(&r.whole).chain(&r.parts).find_map(|k| index.get(k).copied()) {
            let g = root(&mut parent, i);
            if let Some(c) = groups.get_mut(&g) {
                c.rels.push(ri);
            }
        }
    }
    groups.into_values().collect()
}

/// The attacker's optimum of one cell over a component: `None` when unbounded.
fn optimum(
    p: &Published,
    rels: &[Relation],
    comp: &Component,
    target: &Key,
    maximise: bool,
    integer: Option<i32>,
) -> Option<f64> {
    let dir = if maximise { OptimizationDirection::Maximize } else { OptimizationDirection::Minimize };
    let mut lp = Problem::new(dir);
    let vars: HashMap<&Key, microlp::Variable> = comp
        .cells
        .iter()
        .map(|k| {
            let c = if k == target { 1.0 } else { 0.0 };
            let v = match integer {
                Some(bound) => lp.add_integer_var(c, (0, bound)),
                None => lp.add_var(c, (0.0, f64::INFINITY)),
            };
            (k, v)
        })
        .collect();
    for ri in &comp.rels {
        let r = &rels[*ri];
        // whole - sum(parts) (= or >=) 0, published values to the right-hand side
        let mut expr: Vec<(microlp::Variable, f64)> = Vec::new();
        let mut rhs = 0.0;
        for (k, sign) in std::iter::once((&r.whole, 1.0)).chain(r.parts.iter().map(|k| (k, -1.0))) {
            match p.cells[k] {
                Some(v) => rhs -= sign * v as f64,
                None => expr.push((vars[k], sign)),
            }
        }
        let op = if r.equal { ComparisonOp::Eq } else { ComparisonOp::Ge };
        lp.add_constraint(expr.as_slice(), op, rhs);
    }
    match lp.solve() {
        Ok(outcome) => {
            assert!(outcome.is_optimal(), "the attacker's program stopped before its optimum");
            Some(outcome.into_solution().unwrap().objective())
        }
        Err(microlp::Error::Unbounded) => None,
        Err(e) => panic!("the attacker's program failed: {e}"),
    }
}

/// What a reader of several files of the same data knows: every value printed in any of them.
pub fn together(files: &[&Published]) -> Published {
    let mut cells = files[0].cells.clone();
    for f in &files[1..] {
        assert_eq!(f.country, files[0].country);
        for (k, v) in &f.cells {
            let e = cells.entry(k.clone()).or_insert(*v);
            if e.is_none() {
                *e = *v;
            }
        }
    }
    Published { country: files[0].country.clone(), cells }
}

/// Audits a published file against the truth: every hidden cell of true value 1 to threshold − 1
/// gets its interval by linear programming; the first `integer_sample` of them (in key order)
/// also by integer programming. No small cell may be published.
pub fn audit(p: &Published, truth: &Truth, rule: Rule, integer_sample: usize) -> Report {
    audit_rules(p, truth, &[rule], integer_sample)
}

/// [`audit`] under several rules at once (releases of the same data made under different
/// rules): a cell small under any rule needs the widest protection among them.
pub fn audit_rules(p: &Published, truth: &Truth, rules: &[Rule], integer_sample: usize) -> Report {
    let rels = relations(p);
    // the relations are the truth's: each holds on the true values
    for r in &rels {
        let t = |k: &Key| *truth.get(k).unwrap_or_else(|| panic!("no true value of {k:?}"));
        let sum: u64 = r.parts.iter().map(t).sum();
        assert!(if r.equal { sum == t(&r.whole) } else { sum <= t(&r.whole) }, "a relation the data break: {r:?}");
    }
    let protection = |v: u64| rules.iter().filter(|r| v > 0 && v < r.threshold).map(|r| r.protection).max();
    let small = |v: u64| protection(v).is_some();
    let mut report = Report { relations: rels.len(), ..Report::default() };
    for (k, v) in &p.cells {
        match v {
            Some(v) => {
                assert_eq!(Some(v), truth.get(k), "a published value that is not the true one: {k:?}");
                if small(*v) {
                    report.violations.push(Violation {
                        key: k.clone(),
                        value: *v,
                        lower: *v as f64,
                        upper: Some(*v as f64),
                        integer: false,
                    });
                }
            }
            None => report.hidden += 1,
        }
    }
    // integer variables need a bound: far above any count here (an attacker's maximum there is
    // the program being unbounded)
    let bound: i32 = 1 << 24;
    for comp in components(p, &rels) {
        for k in &comp.cells {
            let v = truth[k];
            if !small(v) {
                continue;
            }
            report.small += 1;
            let need = protection(v).unwrap_or(0);
            let need_lo = v.saturating_sub(need) as f64;
            let need_hi = (v + need) as f64;
            let mut check = |integer: Option<i32>| {
                let hi = optimum(p, &rels, &comp, k, true, integer);
                let lo = optimum(p, &rels, &comp, k, false, integer).unwrap_or(0.0);
                if hi.is_some_and(|h| (h - lo).abs() < 1e-6) {
                    report.exact += usize::from(integer.is_none());
                }
                if lo > need_lo + 1e-6 || hi.is_some_and(|h| h < need_hi - 1e-6) {
                    report.violations.push(Violation {
                        key: k.clone(),
                        value: v,
                        lower: lo,
                        upper: hi,
                        integer: integer.is_some(),
                    });
                }
            };
            check(None);
            if report.integer_checked < integer_sample {
                report.integer_checked += 1;
                check(Some(bound));
            }
        }
    }
    report
}
