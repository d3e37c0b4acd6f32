//! A frequency attack on Bloom-filter encodings, to measure what a hub holding them could learn.
//!
//! The attacker holds the encodings and a public list of names with how common each is, but not
//! the secret. The records of a common name all carry the bits of its bigrams, so they share a
//! large set of bit positions that few other records have all of. The attack (a simplified form of
//! the pattern-mining attack of Christen, Ranbaduge, Vatsalan and Schnell, 2018) takes the names
//! from the most common down; for each it starts from the records not yet named and keeps adding
//! the bit position most of the remaining records have, narrowing to the records that have it,
//! for as long as at least half the name's expected number of records remain. Those records are
//! guessed to bear the name. Hardening (XOR folding, balancing) is meant to break such patterns;
//! running the attack with and without it shows by how much.

use rayon::prelude::*;

use crate::clk::Encodings;

/// A name of the public list and the share of persons bearing it (0 to 1).
#[derive(Debug, Clone, PartialEq)]
pub struct KnownName {
    pub name: String,
    pub share: f64,
}

/// The records the attack takes to bear a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guess {
    pub name: String,
    /// Indexes of the records.
    pub records: Vec<u32>,
    /// Bit positions of the pattern found.
    pub pattern_bits: usize,
}

/// Runs the attack for the `max_names` most common names of `known` (taken in the order given).
pub fn frequency_attack(encodings: &Encodings, known: &[KnownName], max_names: usize) -> Vec<Guess> {
    let n = encodings.len();
    let bits = encodings.words * 64;
    let row_words = n.div_ceil(64);
    if n == 0 {
        return Vec::new();
    }
    // one bit set per record, per bit position of the filters
    let mut columns = vec![0u64; bits * row_words];
    for r in 0..n {
        for (w, word) in encodings.get(r).iter().enumerate() {
            let mut x = *word;
            while x != 0 {
                let b = w * 64 + x.trailing_zeros() as usize;
                columns[b * row_words + r / 64] |= 1 << (r % 64);
                x &= x - 1;
            }
        }
    }
    let column = |b: usize| &columns[b * row_words..(b + 1) * row_words];
    let mut unnamed = vec![u64::MAX; row_words];
    if !n.is_multiple_of(64)
        && let Some(last) = unnamed.last_mut()
    {
        *last = (1u64 << (n % 64)) - 1;
    }
    let popcount = |v: &[u64]| v.iter().map(|w| w.count_ones() as usize).sum::<usize>();
    let mut guesses = Vec::new();
    for name in known.iter().take(max_names) {
        let expected = name.share * n as f64;
        let floor = (expected / 2.0).max(2.0);
        let mut rows = unnamed.clone();
        let mut in_pattern = vec![false; bits];
        let mut pattern_bits = 0;
        loop {
            let size = popcount(&rows);
            let counts: Vec<usize> = (0..bits)
                .into_par_iter()
                .map(|b| {
                    if in_pattern[b] {
                        0
                    } else {
                        column(b).iter().zip(&rows).map(|(c, r)| (c & r).count_ones() as usize).sum()
                    }
                })
                .collect();
            // the positions every remaining record has join the pattern without narrowing it
            let mut narrowed = false;
            for (b, c) in counts.iter().enumerate() {
                if *c == size && size > 0 {
                    in_pattern[b] = true;
                    pattern_bits += 1;
                }
            }
            let best = counts
                .iter()
                .enumerate()
                .filter(|(b, c)| !in_pattern[*b] && **c < size)
                .max_by_key(|(b, c)| (**c, usize::MAX - b));
            if let Some((b, c)) = best
                && (*c as f64) >= floor
            {
                for (r, col) in rows.iter_mut().zip(column(b)) {
                    *r &= col;
                }
                in_pattern[b] = true;
                pattern_bits += 1;
                narrowed = true;
            }
            if !narrowed {
                break;
            }
        }
        let size = popcount(&rows);
        if (size as f64) < floor {
            continue;
        }
        let mut records = Vec::with_capacity(size);
        for (w, word) in rows.iter().enumerate() {
            let mut x = *word;
            while x != 0 {
                records.push((w * 64 + x.trailing_zeros() as usize) as u32);
                x &= x - 1;
            }
        }
        for (u, r) in unnamed.iter_mut().zip(&rows) {
            *u &= !r;
        }
        guesses.push(Guess { name: name.name.clone(), records, pattern_bits });
    }
    guesses
}

/// How well the attack did, against the truth.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AttackOutcome {
    /// Names the attack tried.
    pub names_attacked: usize,
    /// Names for which most of the records guessed truly bear the name.
    pub names_reidentified: usize,
    /// Records given a name.
    pub records_named: usize,
    /// Records given a name they truly bear.
    pub records_right: usize,
    /// All records.
    pub records: usize,
}

impl AttackOutcome {
    /// Scores guesses with `bears(record, name)`, true when the record bears the name.
    pub fn score(
        guesses: &[Guess],
        names_attacked: usize,
        records: usize,
        bears: impl Fn(u32, &str) -> bool,
    ) -> AttackOutcome {
        let mut o = AttackOutcome { names_attacked, records, ..AttackOutcome::default() };
        for g in guesses {
            let right = g.records.iter().filter(|r| bears(**r, &g.name)).count();
            o.records_named += g.records.len();
            o.records_right += right;
            if right * 2 > g.records.len() {
                o.names_reidentified += 1;
            }
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clk::{ClkEncoder, Hardening};
    use crate::multiparty::{PersonFields, encode_persons, person_schema};
    use crate::train::SplitMix64;

    fn word(rng: &mut SplitMix64) -> String {
        let len = 5 + rng.below(4);
        (0..len).map(|_| char::from(b'a' + rng.below(26) as u8)).collect()
    }

    /// Persons whose given name is skewed: a quarter "anna", an eighth "olga", the rest random
    /// letters; family names random letters.
    fn persons(n: usize) -> Vec<(String, PersonFields)> {
        let mut rng = SplitMix64(7);
        (0..n)
            .map(|i| {
                let r = rng.below(8);
                let given = match r {
                    0 | 1 => "anna".to_owned(),
                    2 => "olga".to_owned(),
                    _ => word(&mut rng),
                };
                let family = word(&mut rng);
                let dob = format!("19{:02}-{:02}-{:02}", 50 + rng.below(50), 1 + rng.below(12), 1 + rng.below(28));
                (
                    format!("{i}"),
                    PersonFields { names: vec![given, family], date_of_birth: Some(dob), sex: None, citizenship: None },
                )
            })
            .collect()
    }

    fn run(hardening: Hardening) -> AttackOutcome {
        let people = persons(2000);
        let enc = ClkEncoder::new(person_schema(hardening), b"0123456789abcdef0123").unwrap();
        let e = encode_persons(&enc, &people);
        let known =
            vec![KnownName { name: "anna".into(), share: 0.25 }, KnownName { name: "olga".into(), share: 0.125 }];
        let guesses = frequency_attack(&e, &known, 2);
        AttackOutcome::score(&guesses, 2, people.len(), |r, name| people[r as usize].1.names[0] == name)
    }

    #[test]
    fn common_names_are_found_in_plain_encodings() {
        let o = run(Hardening::default());
        assert_eq!(o.names_reidentified, 2, "{o:?}");
        assert!(o.records_right as f64 >= 0.8 * o.records_named as f64, "{o:?}");
    }

    #[test]
    fn the_attack_runs_on_hardened_encodings() {
        let o = run(Hardening { xor_fold: true, balance: true });
        assert!(o.records_named <= o.records && o.records_right <= o.records_named, "{o:?}");
    }
}
