use haven_link::clk::{
    ClkEncoder, ClkSchema, Encodings, base64_decode, base64_encode, candidate_pairs, dice, greedy_one_to_one,
};
use proptest::prelude::*;

fn schema(extra: &str) -> ClkSchema {
    ClkSchema::from_toml(&format!(
        r#"
bits = 1024
{extra}
[[field]]
name = "given_name"
tokens = "bigrams"
bits_per_feature = 200
[[field]]
name = "surname"
tokens = "bigrams"
bits_per_feature = 200
[[field]]
name = "dob"
tokens = "date"
bits_per_feature = 200
"#
    ))
    .unwrap()
}

const SECRET: &[u8] = b"shared between the two countries";

#[test]
fn encoding_is_deterministic_under_a_key_and_differs_across_keys() {
    let a = ClkEncoder::new(schema(""), SECRET).unwrap();
    let b = ClkEncoder::new(schema(""), SECRET).unwrap();
    let other = ClkEncoder::new(schema(""), b"another secret of enough length").unwrap();
    let v = [Some("Anna"), Some("Kowalska"), Some("1990-01-02")];
    assert_eq!(a.encode(&v), b.encode(&v));
    let (x, y) = (a.encode(&v), other.encode(&v));
    assert_ne!(x, y);
    assert!(dice(&x, &y) < 0.7, "{}", dice(&x, &y));
    assert!(ClkEncoder::new(schema(""), b"short").is_err());
}

#[test]
fn similar_records_have_high_dice_across_scripts_and_date_formats() {
    let e = ClkEncoder::new(schema(""), SECRET).unwrap();
    let a = e.encode(&[Some("Юлия"), Some("Шевченко"), Some("1990-03-07")]);
    let b = e.encode(&[Some("Iuliia"), Some("Shevchenko"), Some("07.03.1990")]);
    let c = e.encode(&[Some("Maria"), Some("Popescu"), Some("1971-11-02")]);
    assert!(dice(&a, &b) > 0.95, "{}", dice(&a, &b));
    assert!(dice(&a, &c) < 0.6, "{}", dice(&a, &c));
}

#[test]
fn hardening_keeps_matching_possible() {
    for extra in ["[hardening]\nxor_fold = true", "[hardening]\nbalance = true"] {
        let e = ClkEncoder::new(schema(extra), SECRET).unwrap();
        let a = e.encode(&[Some("Anna"), Some("Kowalska"), Some("1990-01-02")]);
        let b = e.encode(&[Some("Ana"), Some("Kowalska"), Some("1990-01-02")]);
        let c = e.encode(&[Some("Piotr"), Some("Nowak"), Some("1950-06-30")]);
        assert_eq!(a.len() * 64, e.schema().encoded_bits());
        assert!(dice(&a, &b) > dice(&a, &c), "{extra}");
        if extra.contains("balance") {
            let ones = |w: &[u64]| w.iter().map(|x| x.count_ones()).sum::<u32>();
            assert_eq!(ones(&a), 1024);
            assert_eq!(ones(&c), 1024);
        }
    }
}

#[test]
fn two_countries_link_through_encodings_only() {
    let e = ClkEncoder::new(schema(""), SECRET).unwrap();
    let people = [
        ("Anna", "Kowalska", "1990-01-02"),
        ("Ivan", "Petrov", "1985-05-05"),
        ("Maria", "Popescu", "1971-11-02"),
        ("Jan", "Nowak", "1960-12-12"),
    ];
    let mut left = Encodings::new(16);
    let mut right = Encodings::new(16);
    for (i, (g, s, d)) in people.iter().enumerate() {
        left.push(format!("L{i}"), &e.encode(&[Some(g), Some(s), Some(d)]));
    }
    // the other country holds the same people with variants, in another order
    let variants =
        [("Jan", "Nowak", "1960-12-12"), ("Mariа", "Popesku", "1971-11-02"), ("Iwan", "Petrow", "1985-05-05")];
    for (i, (g, s, d)) in variants.iter().enumerate() {
        right.push(format!("R{i}"), &e.encode(&[Some(g), Some(s), Some(d)]));
    }
    // exchanged as text
    let left = Encodings::from_csv(left.to_csv().as_bytes(), "left").unwrap();
    let right = Encodings::from_csv(right.to_csv().as_bytes(), "right").unwrap();
    for prune in [true, false] {
        let (cands, _) = candidate_pairs(&left, &right, 0.7, prune);
        let m = greedy_one_to_one(cands);
        let got: Vec<(String, String)> =
            m.iter().map(|m| (left.ids[m.left as usize].clone(), right.ids[m.right as usize].clone())).collect();
        assert_eq!(got.len(), 3, "{got:?}");
        for (l, r) in [("L3", "R0"), ("L2", "R1"), ("L1", "R2")] {
            assert!(got.contains(&(l.to_string(), r.to_string())), "{got:?}");
        }
    }
}

#[test]
fn pruning_loses_nothing() {
    let mut rng = haven_link::train::SplitMix64(9);
    let mut a = Encodings::new(16);
    let mut b = Encodings::new(16);
    for i in 0..150 {
        let w: Vec<u64> = (0..16).map(|_| rng.next_u64() & rng.next_u64()).collect();
        a.push(i.to_string(), &w);
        let v: Vec<u64> =
            w.iter().map(|x| if rng.below(3) == 0 { x ^ rng.next_u64() & rng.next_u64() } else { *x }).collect();
        b.push(i.to_string(), &v);
    }
    let (mut x, _) = candidate_pairs(&a, &b, 0.6, true);
    let (mut y, n) = candidate_pairs(&a, &b, 0.6, false);
    assert_eq!(n, 150 * 150);
    let key = |m: &haven_link::clk::ClkMatch| (m.left, m.right);
    x.sort_by_key(key);
    y.sort_by_key(key);
    assert_eq!(x, y);
}

#[test]
fn greedy_solver_is_one_to_one() {
    use haven_link::clk::ClkMatch;
    let m = |l, r, d| ClkMatch { left: l, right: r, dice: d };
    let out = greedy_one_to_one(vec![m(0, 0, 0.9), m(0, 1, 0.95), m(1, 1, 0.8), m(1, 0, 0.85)]);
    assert_eq!(out, vec![m(0, 1, 0.95), m(1, 0, 0.85)]);
}

#[test]
fn malformed_encodings_are_errors_with_line() {
    for (text, line) in [
        ("id,clk\na,@@@@\n", 2),
        ("id,clk\na,AAAAAAAAAAA=\nb\n", 3),
        ("id,clk\na,AAAAAAAAAAA=\nb,AAAAAAAAAAAAAAAAAAAAAA==\n", 3),
    ] {
        match Encodings::from_csv(text.as_bytes(), "x") {
            Err(haven_link::LinkError::BadEncoding { line: l, .. }) => {
                assert_eq!(l, line, "{text}")
            }
            other => panic!("{text}: {other:?}"),
        }
    }
}

proptest! {
    #[test]
    fn base64_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        prop_assert_eq!(base64_decode(base64_encode(&bytes).as_bytes()), Some(bytes));
    }

    #[test]
    fn encodings_reader_never_panics(body in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = Encodings::from_csv(body.as_slice(), "fuzz");
    }

    #[test]
    fn dice_is_symmetric_and_bounded(a in proptest::collection::vec(any::<u64>(), 16), b in proptest::collection::vec(any::<u64>(), 16)) {
        let d = dice(&a, &b);
        prop_assert!((0.0..=1.0).contains(&d));
        prop_assert!((d - dice(&b, &a)).abs() < 1e-12);
    }
}

/// The matching scan (compiled per instruction set and chosen at run time) agrees with the
/// plain `dice` of every pair, for 1024-bit filters and for other lengths.
#[test]
fn the_dispatched_scan_agrees_with_plain_dice_on_every_pair() {
    let mut rng = haven_link::train::SplitMix64(21);
    for words in [16usize, 8] {
        let mut a = Encodings::new(words);
        let mut b = Encodings::new(words);
        for i in 0..120 {
            let w: Vec<u64> = (0..words).map(|_| rng.next_u64() | rng.next_u64()).collect();
            a.push(i.to_string(), &w);
            let v: Vec<u64> =
                w.iter().map(|x| if rng.below(2) == 0 { x ^ (rng.next_u64() & rng.next_u64()) } else { *x }).collect();
            b.push(i.to_string(), &v);
        }
        let t = 0.8;
        let (got, n) = candidate_pairs(&a, &b, t, false);
        assert_eq!(n, 120 * 120);
        let mut expected = Vec::new();
        for i in 0..a.len() {
            for j in 0..b.len() {
                let d = dice(a.get(i), b.get(j));
                if d >= t {
                    expected.push((i as u32, j as u32, d));
                }
            }
        }
        assert!(expected.len() > 50, "the data should hold matches: {}", expected.len());
        let mut got: Vec<(u32, u32, f64)> = got.iter().map(|m| (m.left, m.right, f64::from(m.dice))).collect();
        got.sort_by_key(|x| (x.0, x.1));
        assert_eq!(got.len(), expected.len(), "words {words}");
        for (g, e) in got.iter().zip(&expected) {
            assert_eq!((g.0, g.1), (e.0, e.1));
            assert!((g.2 - e.2).abs() < 1e-6, "{g:?} {e:?}");
        }
    }
}
