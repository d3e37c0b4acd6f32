//! Seeded synthetic victim records for benchmarks and demonstrations, shaped like the EU data
//! collection (female majority, sexual exploitation about half, children about a fifth,
//! citizenship skewed to the reporting country and a few origin countries), with the same
//! correlations as the peers' generator in `bench/statistics/gen.py`: sex and age shape the form
//! of exploitation, form and citizenship shape the registering organisation.

use crate::codes::EU_MEMBERS;
use crate::model::Indicator;
use crate::national::{Country, OffenderRecord, PersonRecord};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const NON_EU: &[&str] = &[
    "NG", "UA", "CN", "MA", "AL", "VN", "BR", "IN", "PK", "BD", "MD", "RU", "BY", "UZ", "TJ", "KG", "GE", "AM", "AZ",
    "TR", "SY", "IQ", "AF", "ER", "ET", "SO", "GH", "CM", "CI", "GN", "PH", "TH", "DO",
];

fn pick(rng: &mut StdRng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut u = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if u < *w {
            return i;
        }
        u -= w;
    }
    weights.len().saturating_sub(1)
}

/// `n` synthetic persons registered by `reporting` (an ISO alpha-2 code), from `seed`.
pub fn records(n: usize, seed: u64, reporting: &str) -> Vec<PersonRecord> {
    let mut rng = StdRng::seed_from_u64(seed);
    let reporting_country = Country::parse(reporting).unwrap_or(Country::UNKNOWN);
    // citizenship: own nationals 45 %, other EU 20 % (Zipf), non-EU 30 % (Zipf), unknown 5 %
    let mut citizens: Vec<Country> = vec![reporting_country];
    let mut weights = vec![0.45];
    let other_eu: Vec<&str> = EU_MEMBERS.iter().copied().filter(|c| *c != reporting).collect();
    let z_eu: Vec<f64> = (1..=other_eu.len()).map(|i| 1.0 / (i as f64).powf(1.3)).collect();
    let s_eu: f64 = z_eu.iter().sum();
    for (c, z) in other_eu.iter().zip(&z_eu) {
        citizens.push(Country::parse(c).unwrap_or(Country::UNKNOWN));
        weights.push(0.20 * z / s_eu);
    }
    let z_ne: Vec<f64> = (1..=NON_EU.len()).map(|i| 1.0 / (i as f64).powf(1.1)).collect();
    let s_ne: f64 = z_ne.iter().sum();
    for (c, z) in NON_EU.iter().zip(&z_ne) {
        citizens.push(Country::parse(c).unwrap_or(Country::UNKNOWN));
        weights.push(0.30 * z / s_ne);
    }
    citizens.push(Country::UNKNOWN);
    weights.push(0.05);

    // ages (index into codes::AGE) by sex F, M, OTH, UNK
    let age_w: [[f64; 9]; 4] = [
        [0.05, 0.17, 0.25, 0.23, 0.14, 0.07, 0.025, 0.005, 0.06],
        [0.05, 0.10, 0.18, 0.25, 0.19, 0.11, 0.04, 0.01, 0.07],
        [0.05, 0.15, 0.25, 0.25, 0.12, 0.07, 0.03, 0.01, 0.07],
        [0.06, 0.10, 0.15, 0.17, 0.12, 0.07, 0.025, 0.005, 0.30],
    ];
    // forms (index into EXPLOIT_FINE) by sex
    let expl_w: [[f64; 10]; 4] = [
        [0.68, 0.17, 0.004, 0.01, 0.04, 0.002, 0.002, 0.03, 0.002, 0.06],
        [0.12, 0.63, 0.01, 0.02, 0.11, 0.004, 0.0, 0.005, 0.001, 0.10],
        [0.50, 0.25, 0.01, 0.01, 0.06, 0.003, 0.0, 0.02, 0.002, 0.14],
        [0.40, 0.34, 0.01, 0.01, 0.07, 0.003, 0.001, 0.01, 0.001, 0.15],
    ];
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let sex = pick(&mut rng, &[0.68, 0.285, 0.005, 0.03]);
        let age = pick(&mut rng, &age_w[sex]);
        let child = age <= 1;
        let mut ew = expl_w[sex];
        if child {
            ew[1] *= 0.35;
            ew[4] *= 2.5;
            ew[7] *= 2.0;
        }
        let exploit = pick(&mut rng, &ew);
        let age_class = if age == 8 {
            if rng.random::<f64>() < 0.3 { 0 } else { 2 }
        } else if child {
            0
        } else {
            1
        };
        let ci = pick(&mut rng, &weights);
        let citizen = citizens[ci];
        let group = crate::codes::citizen_group(reporting, &citizen.code());
        // POLICE, BORDER, LABOUR_INSP, PROSEC, NGO, SHELTER, SOCIAL, HEALTH, CHILD_PROT, COMPETENT_AUTH, OTH
        let mut org_w = [0.55, 0.08, 0.05, 0.01, 0.13, 0.07, 0.03, 0.01, 0.02, 0.04, 0.01];
        if exploit == 1 {
            org_w[2] *= 4.0;
        }
        if exploit == 0 {
            org_w[4] *= 1.6;
            org_w[5] *= 1.8;
        }
        match group {
            "NEU_FOR" => org_w[1] *= 3.0,
            "NAT" => org_w[1] *= 0.2,
            _ => {}
        }
        if child {
            org_w[8] *= 6.0;
        }
        let org_kind = pick(&mut rng, &org_w);
        let vict_stat = pick(&mut rng, &[0.55, 0.38, 0.07]);
        // a child is registered and referred, never notified anonymously: presumed instead
        let vict_stat = if age_class == 0 && vict_stat == 2 { 1 } else { vict_stat };
        let assisted = vict_stat != 2 && rng.random::<f64>() < 0.8;
        let reflection = vict_stat != 2 && group != "NAT" && group != "EU_FOR" && rng.random::<f64>() < 0.5;
        let permit = reflection && rng.random::<f64>() < 0.4;
        out.push(PersonRecord {
            vict_stat: vict_stat as u8,
            sex: sex as u8,
            age: age as u8,
            age_class: age_class as u8,
            citizen_group: crate::national::code_index(crate::codes::CITIZEN_GRP, group).unwrap_or(3),
            citizen,
            exploit: exploit as u8,
            org_kind: org_kind as u8,
            assisted,
            reflection,
            permit,
        });
    }
    out
}

/// Synthetic offenders of a reference year (citizenship as a group, relative to the reporting
/// country): `n` suspected traffickers, some of
/// them prosecuted and some of those convicted, and about a fifth as many persons suspected of
/// knowingly using services exploited from a victim (Dir 2024/1712 Art 18a), with their own
/// prosecutions and convictions. Mostly adult men, mostly own nationals, sexual exploitation
/// first. Each stage is a count of its own: nothing here makes one stage bound another.
pub fn offenders(n: usize, seed: u64) -> Vec<OffenderRecord> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = Vec::new();
    let groups = [(n, Indicator::Suspected, 0.45), (n / 5, Indicator::UseSuspected, 0.3)];
    for (count, suspected, p_prosecuted) in groups {
        let (prosecuted, convicted) = if suspected == Indicator::Suspected {
            (Indicator::Prosecuted, Indicator::Convicted)
        } else {
            (Indicator::UseProsecuted, Indicator::UseConvicted)
        };
        for _ in 0..count {
            let sex = pick(&mut rng, &[0.23, 0.75, 0.0, 0.02]) as u8;
            // ages: 12-17 a few, adults mostly, unknown some
            let age = pick(&mut rng, &[0.0, 0.02, 0.12, 0.30, 0.28, 0.15, 0.06, 0.01, 0.06]) as u8;
            let citizen_group = pick(&mut rng, &[0.60, 0.15, 0.20, 0.05]) as u8;
            let forms: &[f64] = if suspected == Indicator::Suspected {
                &[0.55, 0.30, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.15]
            } else {
                &[0.80, 0.20, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
            };
            let exploit = pick(&mut rng, forms) as u8;
            let record = |stage| OffenderRecord { stage, sex, age, citizen_group, exploit };
            out.push(record(suspected));
            if rng.random::<f64>() < p_prosecuted {
                out.push(record(prosecuted));
                if rng.random::<f64>() < 0.5 {
                    out.push(record(convicted));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_records_and_shares_look_right() {
        let a = records(20_000, 7, "LV");
        assert_eq!(a, records(20_000, 7, "LV"));
        assert_ne!(a, records(20_000, 8, "LV"));
        let female = a.iter().filter(|r| r.sex == 0).count() as f64 / a.len() as f64;
        assert!((0.65..0.71).contains(&female), "{female}");
        let nationals = a.iter().filter(|r| r.citizen_group == 0).count() as f64 / a.len() as f64;
        assert!((0.42..0.48).contains(&nationals), "{nationals}");
    }
}
