//! Persons counted once across several countries from their Bloom-filter encodings (CLK), without
//! any country showing a name, a date or a document to the others.
//!
//! Every country sends one encoding per person it has identified (its own register already holds
//! each person once). The hub compares the encodings of every pair of countries by Dice
//! similarity, and joins them into persons best pair first: two groups are joined when their
//! average Dice (over all pairs of members from different countries) reaches the threshold and
//! they hold no country in common, so a person is at most once per country and a person
//! registered in three countries is one person, not three pairs. The count of distinct persons is
//! the number of groups; per-country counts, the persons seen in both of every two countries and
//! how many persons were seen in 1, 2, 3, ... countries come with it.
//!
//! The same clustering runs on [`TokenWeights`] (the tokens the encodings are made of, without
//! hashing them into bits): the count a hub holding the plaintext would get with the same
//! comparison, against which the loss due to the encoding is measured.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::clk::{ClkEncoder, ClkField, ClkSchema, Encodings, Hardening, Tokens, candidate_pairs};
use crate::error::{LinkError, Result};
use crate::normalize::{CyrillicScheme, fold};

/// Most countries one count can take (the membership of a group is a 64-bit mask).
pub const MAX_PARTIES: usize = 64;

/// The Dice threshold used when none is given: pairs at or above it are the same person.
pub const DEFAULT_THRESHOLD: f64 = 0.8;

/// The fields of a person the encodings are made of, as a country holds them (before folding).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFields {
    /// Given and family names (their order does not matter: they are encoded as one sorted field).
    pub names: Vec<String>,
    /// Date of birth as `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    /// `F` or `M`; `None` when unknown.
    pub sex: Option<String>,
    /// ISO 3166-1 alpha-2 code of the (first) citizenship.
    pub citizenship: Option<String>,
}

impl PersonFields {
    /// The values in the order of [`person_schema`]'s fields.
    pub fn values(&self) -> Vec<Option<String>> {
        let mut words: Vec<String> = self
            .names
            .iter()
            .flat_map(|n| fold(n, CyrillicScheme::Icao).split(' ').map(str::to_owned).collect::<Vec<_>>())
            .filter(|w| !w.is_empty())
            .collect();
        words.sort();
        words.dedup();
        let names = (!words.is_empty()).then(|| words.join(" "));
        vec![names, self.date_of_birth.clone(), self.sex.clone(), self.citizenship.clone()]
    }
}

/// The encoding schema of persons exchanged for the cross-border count: names as bigrams (given and
/// family names sorted together, so that a swap does not matter), the date of birth as positional
/// digits, sex and citizenship; 1024 bits before hardening.
pub fn person_schema(hardening: Hardening) -> ClkSchema {
    let field = |name: &str, tokens, bits_per_feature| ClkField {
        name: name.to_owned(),
        columns: Vec::new(),
        tokens,
        bits_per_feature,
    };
    ClkSchema {
        bits: 1024,
        id_column: "id".to_owned(),
        cyrillic: CyrillicScheme::Icao,
        hardening,
        fields: vec![
            field("names", Tokens::Bigrams, 400),
            field("date_of_birth", Tokens::Date, 160),
            field("sex", Tokens::Positional, 20),
            field("citizenship", Tokens::Positional, 40),
        ],
    }
}

/// Encodes persons under [`person_schema`]; the ids are the caller's.
pub fn encode_persons(encoder: &ClkEncoder, persons: &[(String, PersonFields)]) -> Encodings {
    let words = encoder.schema().encoded_bits() / 64;
    let encoded: Vec<Vec<u64>> = persons
        .par_iter()
        .map(|(_, p)| {
            let values = p.values();
            let refs: Vec<Option<&str>> = values.iter().map(|v| v.as_deref()).collect();
            encoder.encode(&refs)
        })
        .collect();
    let mut e = Encodings::new(words);
    for ((id, _), w) in persons.iter().zip(encoded) {
        e.push(id.clone(), &w);
    }
    e
}

/// A record: its country (index in the input) and its position in that country's list.
pub type Member = (u16, u32);

/// Persons seen in both of two countries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overlap {
    pub a: usize,
    pub b: usize,
    pub persons: usize,
}

/// The result of a count.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossBorderCount {
    /// Records (persons) each country sent.
    pub per_country: Vec<usize>,
    /// The sum of the national counts.
    pub sum_of_national: usize,
    /// Distinct persons across all countries.
    pub distinct: usize,
    /// For every two countries (a < b), the persons seen in both.
    pub overlaps: Vec<Overlap>,
    /// How many persons were seen in 1, 2, 3, ... countries.
    pub by_countries: BTreeMap<usize, usize>,
    /// The persons found in more than one country, each as its records.
    pub groups: Vec<Vec<Member>>,
    /// Pairs of encodings compared.
    pub comparisons: u64,
}

/// A scored pair of records of two different countries.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Scored {
    a: Member,
    b: Member,
    score: f32,
}

/// Counts distinct persons across countries from their encodings (all under one schema and
/// secret), joining pairs with Dice >= `threshold`.
pub fn count_persons(parties: &[Encodings], threshold: f64) -> Result<CrossBorderCount> {
    check_parties(parties.len(), threshold)?;
    if let Some(first) = parties.first()
        && parties.iter().any(|p| p.words != first.words && !p.is_empty())
    {
        return Err(LinkError::InvalidSettings("the countries' encodings have different lengths".into()));
    }
    let mut pairs = Vec::new();
    let mut comparisons = 0;
    for i in 0..parties.len() {
        for j in i + 1..parties.len() {
            let (found, n) = candidate_pairs(&parties[i], &parties[j], threshold, true);
            comparisons += n;
            pairs.extend(found.into_iter().map(|m| Scored {
                a: (i as u16, m.left),
                b: (j as u16, m.right),
                score: m.dice,
            }));
        }
    }
    let sizes: Vec<usize> = parties.iter().map(Encodings::len).collect();
    let similarity = |x: Member, y: Member| {
        crate::clk::dice(parties[x.0 as usize].get(x.1 as usize), parties[y.0 as usize].get(y.1 as usize))
    };
    let key = |m: Member| parties[m.0 as usize].get(m.1 as usize);
    Ok(finish(&sizes, pairs, threshold, similarity, key, comparisons))
}

/// The tokens of each person with their weights (see [`ClkEncoder::token_weights`]): what a hub
/// holding the plaintext would compare.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenWeights {
    pub records: Vec<Vec<(u64, u32)>>,
    totals: Vec<u32>,
}

impl TokenWeights {
    /// The token weights of persons under `encoder`'s schema.
    pub fn of(encoder: &ClkEncoder, persons: &[PersonFields]) -> TokenWeights {
        let records: Vec<Vec<(u64, u32)>> = persons
            .par_iter()
            .map(|p| {
                let values = p.values();
                let refs: Vec<Option<&str>> = values.iter().map(|v| v.as_deref()).collect();
                encoder.token_weights(&refs)
            })
            .collect();
        let totals = records.iter().map(|r| r.iter().map(|t| t.1).sum()).collect();
        TokenWeights { records, totals }
    }

    /// Dice over the weights of records `i` and `j` of two sets.
    pub fn dice(&self, i: usize, other: &TokenWeights, j: usize) -> f64 {
        let (a, b) = (&self.records[i], &other.records[j]);
        let total = self.totals[i] + other.totals[j];
        if total == 0 {
            return 0.0;
        }
        let (mut x, mut y, mut common) = (0, 0, 0u32);
        while x < a.len() && y < b.len() {
            match a[x].0.cmp(&b[y].0) {
                std::cmp::Ordering::Less => x += 1,
                std::cmp::Ordering::Greater => y += 1,
                std::cmp::Ordering::Equal => {
                    common += a[x].1.min(b[y].1);
                    x += 1;
                    y += 1;
                }
            }
        }
        2.0 * f64::from(common) / f64::from(total)
    }
}

/// The same count as [`count_persons`] on plaintext tokens (every pair of countries compared in
/// full, pruned by total weight only).
pub fn count_persons_plaintext(parties: &[TokenWeights], threshold: f64) -> Result<CrossBorderCount> {
    check_parties(parties.len(), threshold)?;
    let mut pairs = Vec::new();
    let mut comparisons = 0u64;
    for i in 0..parties.len() {
        for j in i + 1..parties.len() {
            let (l, r) = (&parties[i], &parties[j]);
            let found: Vec<(Vec<Scored>, u64)> = (0..l.records.len())
                .into_par_iter()
                .with_min_len(16)
                .map(|x| {
                    let mut out = Vec::new();
                    let mut n = 0;
                    let ca = f64::from(l.totals[x]);
                    for y in 0..r.records.len() {
                        let cb = f64::from(r.totals[y]);
                        // Dice cannot reach the threshold when the weights differ too much
                        if 2.0 * ca.min(cb) < threshold * (ca + cb) {
                            continue;
                        }
                        n += 1;
                        let d = l.dice(x, r, y);
                        if d >= threshold {
                            out.push(Scored { a: (i as u16, x as u32), b: (j as u16, y as u32), score: d as f32 });
                        }
                    }
                    (out, n)
                })
                .collect();
            for (v, n) in found {
                pairs.extend(v);
                comparisons += n;
            }
        }
    }
    let sizes: Vec<usize> = parties.iter().map(|p| p.records.len()).collect();
    let similarity =
        |x: Member, y: Member| parties[x.0 as usize].dice(x.1 as usize, &parties[y.0 as usize], y.1 as usize);
    let key = |m: Member| {
        // a key independent of the order of the countries: the record's tokens
        let r = &parties[m.0 as usize].records[m.1 as usize];
        r.iter().map(|t| t.0).collect::<Vec<u64>>()
    };
    Ok(finish(&sizes, pairs, threshold, similarity, key, comparisons))
}

fn check_parties(n: usize, threshold: f64) -> Result<()> {
    if n > MAX_PARTIES {
        return Err(LinkError::InvalidSettings(format!("at most {MAX_PARTIES} countries can be counted together")));
    }
    if !(threshold > 0.0 && threshold <= 1.0) {
        return Err(LinkError::InvalidSettings("the Dice threshold must be above 0 and at most 1".into()));
    }
    Ok(())
}

/// Groups with at most one record per country, joined best pair first when their average
/// similarity reaches the threshold; then the counts.
fn finish<K: Ord>(
    sizes: &[usize],
    mut pairs: Vec<Scored>,
    threshold: f64,
    similarity: impl Fn(Member, Member) -> f64,
    key: impl Fn(Member) -> K,
    comparisons: u64,
) -> CrossBorderCount {
    // Best pairs first; ties in an order that does not depend on the order of the countries.
    let ordered = |s: &Scored| {
        let (ka, kb) = (key(s.a), key(s.b));
        if ka <= kb { (ka, kb) } else { (kb, ka) }
    };
    pairs.sort_by(|x, y| y.score.total_cmp(&x.score).then_with(|| ordered(x).cmp(&ordered(y))));
    let offsets: Vec<usize> = sizes
        .iter()
        .scan(0usize, |acc, s| {
            let o = *acc;
            *acc += s;
            Some(o)
        })
        .collect();
    let flat = |m: Member| offsets[m.0 as usize] + m.1 as usize;
    let total: usize = sizes.iter().sum();
    // group of each record, and each group's members and countries
    let mut group: Vec<usize> = (0..total).collect();
    let mut members: BTreeMap<usize, Vec<Member>> = BTreeMap::new();
    let mut mask: BTreeMap<usize, u64> = BTreeMap::new();
    for p in pairs {
        let (ga, gb) = (group[flat(p.a)], group[flat(p.b)]);
        if ga == gb {
            continue;
        }
        let ma = members.get(&ga).cloned().unwrap_or_else(|| vec![p.a]);
        let mb = members.get(&gb).cloned().unwrap_or_else(|| vec![p.b]);
        let countries = |ms: &[Member]| ms.iter().fold(0u64, |acc, m| acc | 1 << m.0);
        let (ca, cb) =
            (mask.get(&ga).copied().unwrap_or(countries(&ma)), mask.get(&gb).copied().unwrap_or(countries(&mb)));
        if ca & cb != 0 {
            continue; // a person is at most once per country
        }
        if ma.len() + mb.len() > 2 {
            let mut sum = 0.0;
            for x in &ma {
                for y in &mb {
                    sum += similarity(*x, *y);
                }
            }
            if sum / ((ma.len() * mb.len()) as f64) < threshold {
                continue;
            }
        }
        let (keep, gone) = if ma.len() >= mb.len() { (ga, gb) } else { (gb, ga) };
        let mut joined = ma;
        joined.extend(mb);
        for m in &joined {
            group[flat(*m)] = keep;
        }
        members.remove(&gone);
        mask.remove(&gone);
        mask.insert(keep, ca | cb);
        members.insert(keep, joined);
    }
    let mut groups: Vec<Vec<Member>> = members
        .into_values()
        .map(|mut g| {
            g.sort_unstable();
            g
        })
        .collect();
    groups.sort();
    let merged: usize = groups.iter().map(|g| g.len() - 1).sum();
    let mut overlap_counts: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut by_countries: BTreeMap<usize, usize> = BTreeMap::new();
    for g in &groups {
        *by_countries.entry(g.len()).or_default() += 1;
        for (x, a) in g.iter().enumerate() {
            for b in &g[x + 1..] {
                let (i, j) = (usize::from(a.0.min(b.0)), usize::from(a.0.max(b.0)));
                *overlap_counts.entry((i, j)).or_default() += 1;
            }
        }
    }
    let in_groups: usize = groups.iter().map(Vec::len).sum();
    if total > in_groups {
        *by_countries.entry(1).or_default() += total - in_groups;
    }
    let mut overlaps = Vec::new();
    for a in 0..sizes.len() {
        for b in a + 1..sizes.len() {
            overlaps.push(Overlap { a, b, persons: overlap_counts.get(&(a, b)).copied().unwrap_or(0) });
        }
    }
    CrossBorderCount {
        per_country: sizes.to_vec(),
        sum_of_national: total,
        distinct: total - merged,
        overlaps,
        by_countries,
        groups,
        comparisons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a secret the focal points share";

    fn person(given: &str, family: &str, dob: &str, sex: &str, cit: &str) -> PersonFields {
        PersonFields {
            names: vec![given.into(), family.into()],
            date_of_birth: Some(dob.into()),
            sex: Some(sex.into()),
            citizenship: Some(cit.into()),
        }
    }

    fn encode(persons: &[PersonFields], hardening: Hardening) -> Encodings {
        let enc = ClkEncoder::new(person_schema(hardening), SECRET).unwrap();
        let with_ids: Vec<(String, PersonFields)> =
            persons.iter().enumerate().map(|(i, p)| (format!("r{i}"), p.clone())).collect();
        encode_persons(&enc, &with_ids)
    }

    #[test]
    fn a_person_in_three_countries_is_counted_once() {
        let lv = vec![
            person("Olena", "Kovalenko", "1999-03-14", "F", "UA"),
            person("Jānis", "Bērziņš", "1985-11-02", "M", "LV"),
        ];
        let lt = vec![
            person("Olena", "Kovalenko", "1999-03-14", "F", "UA"),
            person("Ona", "Kazlauskienė", "1990-01-20", "F", "LT"),
        ];
        let ee = vec![person("Kovalenko", "Olena", "1999-03-14", "F", "UA")];
        let h = Hardening { xor_fold: true, balance: true };
        let c = count_persons(&[encode(&lv, h), encode(&lt, h), encode(&ee, h)], DEFAULT_THRESHOLD).unwrap();
        assert_eq!(c.sum_of_national, 5);
        assert_eq!(c.distinct, 3);
        assert_eq!(c.groups, vec![vec![(0, 0), (1, 0), (2, 0)]]);
        assert_eq!(c.by_countries, BTreeMap::from([(1, 2), (3, 1)]));
        assert_eq!(c.overlaps.iter().map(|o| o.persons).collect::<Vec<_>>(), vec![1, 1, 1]);
    }

    #[test]
    fn two_persons_of_one_country_are_never_joined() {
        // the same person twice in one country's list stays two (each country counts its own)
        let p = person("Anna", "Ozola", "2001-05-05", "F", "LV");
        let c = count_persons(
            &[encode(&[p.clone(), p.clone()], Hardening::default()), encode(&[p], Hardening::default())],
            0.8,
        )
        .unwrap();
        assert_eq!(c.distinct, 2);
        assert_eq!(c.groups.len(), 1);
        assert_eq!(c.groups[0].len(), 2);
    }

    #[test]
    fn a_chain_of_weak_pairs_is_not_one_person() {
        // b is near a and c, but a and c are far apart: the average over the group decides
        let sim = |x: Member, y: Member| match (x.0.min(y.0), x.0.max(y.0)) {
            (0, 1) => 0.95,
            (1, 2) => 0.9,
            _ => 0.5,
        };
        let pairs = vec![Scored { a: (1, 0), b: (2, 0), score: 0.9 }, Scored { a: (0, 0), b: (1, 0), score: 0.95 }];
        let c = finish(&[1, 1, 1], pairs.clone(), 0.8, sim, |m: Member| m, 2);
        assert_eq!(c.distinct, 2);
        assert_eq!(c.groups, vec![vec![(0, 0), (1, 0)]]);
        // at a lower threshold the average (0.7) passes and the three are one person
        let c = finish(&[1, 1, 1], pairs, 0.7, sim, |m: Member| m, 2);
        assert_eq!(c.distinct, 1);
    }

    #[test]
    fn plaintext_count_matches_on_exact_copies() {
        let ps =
            vec![person("Olena", "Kovalenko", "1999-03-14", "F", "UA"), person("Ion", "Rusu", "1980-02-02", "M", "MD")];
        let enc = ClkEncoder::new(person_schema(Hardening::default()), SECRET).unwrap();
        let a = TokenWeights::of(&enc, &ps);
        let b = TokenWeights::of(&enc, &ps[..1]);
        assert!((a.dice(0, &b, 0) - 1.0).abs() < 1e-12);
        let c = count_persons_plaintext(&[a, b], 0.8).unwrap();
        assert_eq!((c.sum_of_national, c.distinct), (3, 2));
    }

    #[test]
    fn bad_thresholds_and_lengths_are_refused() {
        let p = [person("A", "B", "2000-01-01", "F", "LV")];
        let plain = encode(&p, Hardening::default());
        let folded = encode(&p, Hardening { xor_fold: true, balance: false });
        assert!(count_persons(&[plain.clone(), folded], 0.8).is_err());
        assert!(count_persons(std::slice::from_ref(&plain), 0.0).is_err());
        assert!(count_persons(&[plain], 1.5).is_err());
        assert!(count_persons(&vec![Encodings::new(16); 65], 0.8).is_err());
    }

    #[test]
    fn the_values_hold_names_sorted_and_folded() {
        let v = person("Олена", "Kovalenko", "1999-03-14", "F", "UA").values();
        assert_eq!(v[0].as_deref(), Some("kovalenko olena"));
    }
}
