//! Differential privacy: the exact samplers' distributions, the consistency of a release of the
//! national tables, the budget ledger. Every random draw comes from a seeded generator, so the
//! statistical tests are deterministic; their thresholds are set so that a correct sampler
//! would fail them with probability below about 10^-6 on a fresh seed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use haven_stats::dp::sample::{Rational, bernoulli_exp, discrete_gaussian, discrete_laplace};
use haven_stats::dp::{
    Delta, DpError, DpParams, DpRelease, Epsilon, Ledger, LedgerError, Mechanism, PrivacyCost, query_count, release,
    release_with_os_rng,
};
use haven_stats::model::{CellKey, Concept, Indicator, Table, TableDim, TableSpec};
use haven_stats::national::{build, citizens_of, national_tables};
use haven_stats::synth;
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::collections::{BTreeSet, HashMap};

/// z-score bound of the tests (two-sided tail about 6e-7).
const Z: f64 = 5.0;

fn r(num: u128, den: u128) -> Rational {
    Rational::new(num, den).unwrap()
}

/// Upper critical value of chi-square with `df` degrees of freedom at about 10^-6
/// (Wilson-Hilferty, z = 4.75).
fn chi2_critical(df: usize) -> f64 {
    let k = df as f64;
    let z = 4.75;
    k * (1.0 - 2.0 / (9.0 * k) + z * (2.0 / (9.0 * k)).sqrt()).powi(3)
}

/// Checks `n` samples against the exact pmf `p` over the integers: chi-square goodness of fit
/// (cells with expected count >= 20, the rest pooled), mean, variance and symmetry.
fn check_distribution(name: &str, samples: &[i128], p: &dyn Fn(i128) -> f64) {
    let n = samples.len() as f64;
    let mut counts: HashMap<i128, u64> = HashMap::new();
    for s in samples {
        *counts.entry(*s).or_default() += 1;
    }
    // support to consider: where n p(x) >= 20
    let mut m = 0i128;
    while n * p(m + 1) >= 20.0 {
        m += 1;
    }
    let mut chi2 = 0.0;
    let mut expected_in = 0.0;
    let mut observed_in = 0u64;
    for x in -m..=m {
        let e = n * p(x);
        let o = counts.get(&x).copied().unwrap_or(0);
        chi2 += (o as f64 - e).powi(2) / e;
        expected_in += e;
        observed_in += o;
    }
    let mut df = (2 * m) as usize;
    let e_rest = n - expected_in;
    let o_rest = samples.len() as u64 - observed_in;
    if e_rest >= 5.0 {
        chi2 += (o_rest as f64 - e_rest).powi(2) / e_rest;
        df += 1;
    } else {
        assert!(
            o_rest as f64 <= e_rest + Z * e_rest.sqrt().max(1.0) + 2.0,
            "{name}: {o_rest} samples in the far tails"
        );
    }
    let crit = chi2_critical(df.max(1));
    assert!(chi2 < crit, "{name}: chi-square {chi2:.1} over {df} df exceeds {crit:.1}");

    // exact moments (symmetric: mean 0)
    let (mut var, mut m4) = (0.0, 0.0);
    let mut x = 1i128;
    loop {
        let px = p(x);
        let xf = x as f64;
        var += 2.0 * px * xf * xf;
        m4 += 2.0 * px * xf.powi(4);
        if px < 1e-18 && x > 10 {
            break;
        }
        x += 1;
    }
    let mean = samples.iter().map(|s| *s as f64).sum::<f64>() / n;
    assert!(mean.abs() <= Z * (var / n).sqrt(), "{name}: mean {mean} (variance {var})");
    let s2 = samples.iter().map(|s| (*s as f64 - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let se = ((m4 - var * var) / n).sqrt();
    assert!((s2 - var).abs() <= Z * se + 1e-9, "{name}: variance {s2} vs {var} (se {se})");
    let pos = samples.iter().filter(|s| **s > 0).count() as f64;
    let neg = samples.iter().filter(|s| **s < 0).count() as f64;
    assert!((pos - neg).abs() <= Z * (pos + neg).sqrt(), "{name}: {pos} positive vs {neg} negative");
}

#[test]
fn bernoulli_exp_frequencies_match_exp_minus_gamma() {
    let mut rng = StdRng::seed_from_u64(11);
    let n = 100_000;
    for (num, den) in [(0u128, 1u128), (1, 3), (1, 1), (3, 2), (5, 2), (7, 1), (123_456_789, 100_000_000)] {
        let p = (-(num as f64) / den as f64).exp();
        let hits = (0..n).filter(|_| bernoulli_exp(&mut rng, r(num, den)).unwrap()).count() as f64;
        let f = hits / n as f64;
        let se = (p * (1.0 - p) / n as f64).sqrt();
        assert!((f - p).abs() <= Z * se + 1e-12, "gamma {num}/{den}: frequency {f} vs {p}");
    }
}

#[test]
fn discrete_laplace_matches_its_pmf() {
    let mut rng = StdRng::seed_from_u64(12);
    for (t, s) in [(1u128, 1u128), (7, 3), (20, 1), (1, 2)] {
        let scale = t as f64 / s as f64;
        let q = (-1.0 / scale).exp();
        let pmf = move |x: i128| (1.0 - q) / (1.0 + q) * q.powf(x.unsigned_abs() as f64);
        let samples: Vec<i128> = (0..100_000).map(|_| discrete_laplace(&mut rng, r(t, s)).unwrap()).collect();
        check_distribution(&format!("Laplace {t}/{s}"), &samples, &pmf);
    }
}

#[test]
fn discrete_gaussian_matches_its_pmf() {
    let mut rng = StdRng::seed_from_u64(13);
    for (num, den) in [(1u128, 2u128), (4, 1), (100, 1), (1000, 7)] {
        let s2 = num as f64 / den as f64;
        let norm: f64 = (-2000i32..=2000).map(|x| (-(f64::from(x)).powi(2) / (2.0 * s2)).exp()).sum();
        let pmf = move |x: i128| (-((x as f64).powi(2)) / (2.0 * s2)).exp() / norm;
        let samples: Vec<i128> = (0..100_000).map(|_| discrete_gaussian(&mut rng, r(num, den)).unwrap()).collect();
        check_distribution(&format!("Gaussian {num}/{den}"), &samples, &pmf);
    }
}

fn national(n: usize, seed: u64, country: &str) -> Vec<Table> {
    let records = synth::records(n, seed, country);
    build(&national_tables(&citizens_of(&records), false), &records, &[])
}

/// Every relation of every table holds and every key has one value across the tables.
fn assert_consistent(tables: &[Table]) -> HashMap<CellKey, u64> {
    let mut by_key: HashMap<CellKey, u64> = HashMap::new();
    for t in tables {
        assert_eq!(t.values.len(), t.spec.len());
        for rel in t.spec.relations() {
            let sum: u64 = rel.parts.iter().map(|p| t.values[*p]).sum();
            assert_eq!(t.values[rel.total], sum, "table {}: relation at cell {} fails", t.spec.id, rel.total);
        }
        for (i, v) in t.values.iter().enumerate() {
            let k = t.spec.key(i);
            if let Some(prev) = by_key.insert(k.clone(), *v) {
                assert_eq!(prev, *v, "cell {k:?} differs between tables");
            }
        }
    }
    by_key
}

fn eps(text: &str) -> Epsilon {
    Epsilon::parse(text).unwrap()
}

fn inner_mae(truth: &[Table], rel: &DpRelease) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for (t, d) in truth.iter().zip(&rel.tables) {
        for i in (0..t.values.len()).filter(|i| t.spec.is_inner(*i)) {
            sum += (t.values[i] as f64 - d.values[i] as f64).abs();
            n += 1;
        }
    }
    sum / n as f64
}

#[test]
fn a_laplace_release_of_the_national_tables_adds_up() {
    let truth = national(20_000, 1, "LV");
    let mut rng = StdRng::seed_from_u64(21);
    let rel = release(&truth, &DpParams::laplace(eps("1")), &mut rng).unwrap();
    assert_eq!(rel.tables.len(), truth.len());
    let keys = assert_consistent(&rel.tables);
    assert_eq!(rel.spent, PrivacyCost::pure(eps("1")));
    assert_eq!(rel.mechanism, Mechanism::DiscreteLaplace);
    assert_eq!(rel.queries, query_count(&truth.iter().map(|t| t.spec.clone()).collect::<Vec<_>>()).unwrap());
    // the released tables are the given ones, noisy but close at this size
    assert_ne!(rel.tables, truth);
    let (g_true, g_dp) = (truth[0].total() as f64, rel.tables[0].total() as f64);
    assert!((g_true - g_dp).abs() < 200.0, "{g_true} vs {g_dp}");
    let obs = rel.observations();
    assert_eq!(obs.len(), keys.len());
    let distinct: BTreeSet<&CellKey> = obs.iter().map(|o| &o.key).collect();
    assert_eq!(distinct.len(), obs.len());
    for o in &obs {
        assert_eq!(o.value, Some(keys[&o.key]));
        assert!(!o.conf.is_suppressed());
        assert!(o.error.is_some_and(|e| e > 0.0), "{o:?}");
    }
}

#[test]
fn the_national_tables_take_sixteen_queries() {
    // registered: grand total, sex, age-class and form margins (shared), and one query of
    // inner cells for each of its 9 tables; one inner query for each of the 3 other indicators
    let specs = national_tables(&["LV".to_owned(), "UNK".to_owned()], false);
    assert_eq!(query_count(&specs).unwrap(), 16);
}

#[test]
fn a_gaussian_release_adds_up_and_records_rho() {
    let truth = national(5_000, 2, "LT");
    let mut rng = StdRng::seed_from_u64(22);
    let params = DpParams::gaussian(eps("2"), Delta::parse("1e-6").unwrap());
    let rel = release(&truth, &params, &mut rng).unwrap();
    assert_consistent(&rel.tables);
    assert_eq!(rel.spent, PrivacyCost::new(eps("2"), Delta::parse("0.000001").unwrap()));
    let rho = rel.rho.unwrap().to_f64();
    let achieved = rho + 2.0 * (rho * (1e6f64).ln()).sqrt();
    assert!(achieved <= 2.0 && achieved > 1.98, "{achieved}");
}

#[test]
fn summed_country_releases_are_consistent_eu_tables() {
    let countries = [("LV", 3u64), ("LT", 4), ("EE", 5), ("DE", 6)];
    let mut rng = StdRng::seed_from_u64(23);
    let mut eu: HashMap<CellKey, u64> = HashMap::new();
    let mut citizens = BTreeSet::new();
    for (c, seed) in countries {
        let records = synth::records(3_000, seed, c);
        citizens.extend(citizens_of(&records));
        let truth = build(&national_tables(&citizens_of(&records), false), &records, &[]);
        let rel = release(&truth, &DpParams::laplace(eps("0.5")), &mut rng).unwrap();
        for (k, v) in assert_consistent(&rel.tables) {
            *eu.entry(k).or_default() += v;
        }
    }
    // the EU tables over every citizenship reported, filled from the summed cells
    let mut list: Vec<String> = citizens.into_iter().filter(|c| c != "UNK").collect();
    list.push("UNK".to_owned());
    let eu_tables: Vec<Table> = national_tables(&list, false)
        .into_iter()
        .map(|spec| {
            let values = (0..spec.len()).map(|i| eu.get(&spec.key(i)).copied().unwrap_or(0)).collect();
            Table { spec, values }
        })
        .collect();
    assert_consistent(&eu_tables);
    assert!(eu_tables[0].total() > 11_000);
}

#[test]
fn the_error_shrinks_as_epsilon_grows() {
    let truth = national(50_000, 3, "LV");
    let mut maes = Vec::new();
    let mut sds = Vec::new();
    for (i, e) in ["0.1", "1", "10"].into_iter().enumerate() {
        let mut rng = StdRng::seed_from_u64(30 + i as u64);
        let rel = release(&truth, &DpParams::laplace(eps(e)), &mut rng).unwrap();
        maes.push(inner_mae(&truth, &rel));
        sds.push(rel.noise.std_dev());
    }
    assert!(maes[0] > maes[1] && maes[1] > maes[2], "{maes:?}");
    assert!(sds[0] > 9.0 * sds[1] && sds[1] > 9.0 * sds[2], "{sds:?}");
    // with 16 queries at epsilon 1 the scale is 16; the inner error stays below that
    assert!(maes[1] < 16.0, "{maes:?}");
}

#[test]
fn an_empty_year_gives_a_valid_release() {
    let mut rng = StdRng::seed_from_u64(40);
    for specs in [national_tables(&[], false), national_tables(&["LV".to_owned(), "UNK".to_owned()], true)] {
        let truth = build(&specs, &[], &[]);
        for params in [DpParams::laplace(eps("1")), DpParams::gaussian(eps("1"), Delta::parse("1e-6").unwrap())] {
            let rel = release(&truth, &params, &mut rng).unwrap();
            assert_consistent(&rel.tables);
            assert_eq!(rel.observations().len(), assert_consistent(&truth).len());
        }
    }
}

#[test]
fn parameters_are_refused_with_the_field_and_its_range() {
    let truth = national(100, 5, "LV");
    let mut rng = StdRng::seed_from_u64(41);
    let cases = [
        (DpParams::laplace(Epsilon::ZERO), "epsilon = 0 is not allowed: epsilon must be in (0, 10]"),
        (DpParams::laplace(eps("10.5")), "epsilon = 10.5 is not allowed: epsilon must be in (0, 10]"),
        (
            DpParams::gaussian(eps("1"), Delta::ZERO),
            "delta = 0 is not allowed: delta must be in (0, 0.00001] for the discrete Gaussian mechanism",
        ),
        (
            DpParams::gaussian(eps("1"), Delta::parse("0.001").unwrap()),
            "delta = 0.001 is not allowed: delta must be in (0, 0.00001] for the discrete Gaussian mechanism",
        ),
        (
            DpParams { mechanism: Mechanism::DiscreteLaplace, epsilon: eps("1"), delta: Delta::parse("1e-9").unwrap() },
            "delta = 0.000000001 is not allowed: delta must be in [0, 0] for the discrete Laplace mechanism (pure epsilon-DP)",
        ),
    ];
    for (params, message) in cases {
        let err = release(&truth, &params, &mut rng).unwrap_err();
        assert!(matches!(err, DpError::Param(_)));
        assert_eq!(err.to_string(), message);
    }
}

#[test]
fn malformed_tables_are_refused() {
    let mut rng = StdRng::seed_from_u64(42);
    let spec = TableSpec {
        id: "T3".into(),
        indicator: Indicator::Registered,
        dims: vec![
            TableDim::new(Concept::Sex, &["F", "M"]),
            TableDim::new(Concept::AgeClass, &["CHILD", "ADULT"]),
            TableDim::new(Concept::VictStat, &["IDENT"]),
        ],
    };
    let t = Table::from_inner(spec.clone(), &[1, 2, 3, 4]);
    let err = release(&[t], &DpParams::laplace(eps("1")), &mut rng).unwrap_err();
    assert!(matches!(err, DpError::Unsupported { dims: 3, .. }), "{err}");
    let bad = Table { spec: TableSpec { dims: spec.dims[..2].to_vec(), ..spec }, values: vec![1, 2] };
    let err = release(&[bad], &DpParams::laplace(eps("1")), &mut rng).unwrap_err();
    assert_eq!(err.to_string(), "table T3: 2 values for 9 cells");
}

#[test]
fn a_release_with_noise_from_the_operating_system_adds_up() {
    let truth = national(1_000, 6, "EE");
    let rel = release_with_os_rng(&truth, &DpParams::laplace(eps("1"))).unwrap();
    assert_consistent(&rel.tables);
}

#[test]
fn the_ledger_refuses_a_release_that_would_overspend() {
    let budget = PrivacyCost::new(eps("2"), Delta::parse("1e-6").unwrap());
    let mut ledger = Ledger::new(budget);
    ledger.charge("2026-tables", PrivacyCost::pure(eps("1"))).unwrap();
    ledger.charge("2026-gaussian", PrivacyCost::new(eps("0.5"), Delta::parse("1e-6").unwrap())).unwrap();
    let err = ledger.charge("2026-extra", PrivacyCost::pure(eps("0.6"))).unwrap_err();
    assert_eq!(
        err,
        LedgerError::OverBudget {
            release_id: "2026-extra".into(),
            budget,
            spent: PrivacyCost::new(eps("1.5"), Delta::parse("1e-6").unwrap()),
            requested: PrivacyCost::pure(eps("0.6")),
        }
    );
    assert_eq!(
        err.to_string(),
        "release 2026-extra refused: it costs epsilon 0.6, delta 0, epsilon 1.5, delta 0.000001 of the budget \
         epsilon 2, delta 0.000001 is spent already"
    );
    ledger.charge("2026-last", PrivacyCost::pure(eps("0.5"))).unwrap();
    assert_eq!(ledger.spent().unwrap(), budget);
    // persisted and read back, it still refuses
    let json = serde_json::to_string(&ledger).unwrap();
    let mut back: Ledger = serde_json::from_str(&json).unwrap();
    assert_eq!(back, ledger);
    assert!(back.charge("more", PrivacyCost::pure(Epsilon::from_micros(1))).is_err());
}

proptest! {
    #[test]
    fn charges_never_exceed_the_budget(
        budget_e in 0u64..5_000_000,
        budget_d in 0u64..1_000,
        charges in proptest::collection::vec((0u64..2_000_000, 0u64..400), 0..40),
    ) {
        let budget = PrivacyCost::new(Epsilon::from_micros(budget_e), Delta::from_atto(budget_d));
        let mut ledger = Ledger::new(budget);
        let (mut e, mut d) = (0u64, 0u64);
        for (i, (ce, cd)) in charges.into_iter().enumerate() {
            let cost = PrivacyCost::new(Epsilon::from_micros(ce), Delta::from_atto(cd));
            let fits = e + ce <= budget_e && d + cd <= budget_d;
            let result = ledger.charge(&format!("r{i}"), cost);
            prop_assert_eq!(result.is_ok(), fits);
            if fits {
                e += ce;
                d += cd;
            }
            let spent = ledger.spent().unwrap();
            prop_assert_eq!(spent, PrivacyCost::new(Epsilon::from_micros(e), Delta::from_atto(d)));
            prop_assert!(spent.fits_within(budget));
        }
    }
}

#[test]
fn the_order_of_the_tables_does_not_matter_for_consistency() {
    // the sub-forms of "other" below their parent, given before it: released after it anyway
    let mut truth = national(10_000, 7, "PL");
    truth.reverse();
    let mut rng = StdRng::seed_from_u64(43);
    let rel = release(&truth, &DpParams::laplace(eps("0.3")), &mut rng).unwrap();
    assert_consistent(&rel.tables);
    assert_eq!(rel.queries, 16);
    let ids: Vec<&str> = rel.tables.iter().map(|t| t.spec.id.as_str()).collect();
    let expected: Vec<&str> = truth.iter().map(|t| t.spec.id.as_str()).collect();
    assert_eq!(ids, expected);
}
