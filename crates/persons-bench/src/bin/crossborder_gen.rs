//! Persons of several countries with planted overlaps, for bench/crossborder: every country holds
//! each of its identified persons once, and some persons were identified in two, three or four
//! countries, each country having registered them in its own way (its agencies' transliteration,
//! typos, wrong or missing dates of birth, swapped names: the register generator of
//! haven-persons-bench). The true person is in the first column.
//!
//! usage: haven-crossborder-gen PERSONS COUNTRIES SEED OUT_DIR
//!   -> OUT_DIR/records.csv (truth,country,given,family,dob,sex,citizenship)
//!      OUT_DIR/public_names.csv (name,share): the given names of an independent register of the
//!      same size, as an attacker's public list of names with how common each is.

#[expect(dead_code, reason = "the generator is shared with haven-persons-bench, which uses all of it")]
#[path = "../synth.rs"]
mod synth;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{Context, Result, bail};
use haven_domain::case::{CalendarDate, Sex};
use haven_domain::ident::record::PersonDetails;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use synth::Register;

const TODAY: CalendarDate = CalendarDate { year: 2026, month: 6, day: 15 };
const COUNTRIES: [&str; 5] = ["LV", "LT", "EE", "PL", "DE"];
const AGENCIES: usize = 11;

fn clean(s: &str) -> String {
    s.replace([',', '"', '\n', '\r'], " ")
}

fn row(p: &PersonDetails) -> String {
    let sex = match p.sex {
        Sex::Female => "F",
        Sex::Male => "M",
        _ => "",
    };
    format!(
        "{},{},{},{},{}",
        clean(&p.given_names),
        clean(&p.family_names),
        p.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
        sex,
        p.citizenships.first().map(|c| c.as_str().to_owned()).unwrap_or_default()
    )
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, persons, countries, seed, out] = args.as_slice() else {
        bail!("usage: haven-crossborder-gen PERSONS COUNTRIES SEED OUT_DIR");
    };
    let persons: usize = persons.parse().context("PERSONS")?;
    let countries: usize = countries.parse().context("COUNTRIES")?;
    let seed: u64 = seed.parse().context("SEED")?;
    if !(2..=COUNTRIES.len()).contains(&countries) {
        bail!("COUNTRIES must be 2 to {}", COUNTRIES.len());
    }
    std::fs::create_dir_all(out)?;
    let mut register = Register::new(StdRng::seed_from_u64(seed), TODAY)?;
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    let mut csv = String::from("truth,country,given,family,dob,sex,citizenship\n");
    for _ in 0..persons {
        let person = register.new_person()?;
        // planted overlaps: most persons in one country, some in two, three or four
        let k = match rng.random_range(0..100) {
            0..80 => 1,
            80..94 => 2,
            94..99 => 3,
            _ => 4,
        }
        .min(countries);
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < k {
            let c = rng.random_range(0..countries);
            if !chosen.contains(&c) {
                chosen.push(c);
            }
        }
        for c in chosen {
            let agency = rng.random_range(0..AGENCIES);
            let reg = register.registration(person, agency)?;
            writeln!(csv, "{person},{},{}", COUNTRIES[c], row(&reg.person))?;
        }
    }
    std::fs::write(format!("{out}/records.csv"), csv)?;
    // the attacker's list: given names of an independent register
    let mut public = Register::new(StdRng::seed_from_u64(seed.wrapping_add(1_000_003)), TODAY)?;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..persons {
        let person = public.new_person()?;
        let reg = public.registration(person, rng.random_range(0..AGENCIES))?;
        for w in reg.person.given_names.split_whitespace() {
            *counts.entry(clean(&w.to_lowercase())).or_default() += 1;
        }
    }
    let mut list: Vec<(String, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut names = String::from("name,share\n");
    for (n, c) in list {
        writeln!(names, "{n},{}", c as f64 / persons as f64)?;
    }
    std::fs::write(format!("{out}/public_names.csv"), names)?;
    Ok(())
}
