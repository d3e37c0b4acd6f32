//! Support-provider matching benchmark: ranks a synthetic directory of 10,000 providers for
//! several needs, many times each, and prints one JSON object with the median and 99th
//! percentile time per query in milliseconds next to the 10 ms limit.
//!
//! `cargo run --release -p haven-domain --example matching_bench [iterations]`
//!
//! The directory is generated from a fixed seed (an inline SplitMix64), so every run ranks the
//! same providers.

use haven_domain::Coded;
use haven_domain::assist::directory::{
    ContactPointInput, OfferedServiceInput, OpeningHoursInput, OpeningSlotInput, Provider, ProviderInput,
};
use haven_domain::assist::matching::{NeedQuery, rank, rank_top};
use haven_domain::assist::services::{Audience, ServiceType};
use haven_domain::case::Sex;
use std::error::Error;
use std::hint::black_box;
use std::time::Instant;

const PROVIDERS: usize = 10_000;
const SEED: u64 = 0x4841_5645_4e00_0001;
const LIMIT_MS: f64 = 10.0;
const TOP_N: usize = 20;
const DEFAULT_ITERATIONS: usize = 300;

/// SplitMix64 (Steele, Lea and Flood 2014).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0; the bias is negligible for the small n used here).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const COUNTRIES: [&str; 6] = ["LV", "LT", "EE", "PL", "RO", "BG"];
const LANGUAGES: [&str; 14] = ["lv", "lt", "et", "pl", "ro", "bg", "ru", "uk", "en", "de", "fr", "vi", "ar", "es"];
const REGIONS_PER_COUNTRY: usize = 12;

fn synthetic_provider(rng: &mut SplitMix64, n: usize) -> Result<Provider, Box<dyn Error>> {
    let country = COUNTRIES[rng.below(COUNTRIES.len())];

    let mut services = Vec::new();
    for &service in ServiceType::ALL {
        let wanted = match service {
            ServiceType::SafeAccommodation => 45,
            ServiceType::CounsellingInformation | ServiceType::PsychologicalAssistance => 40,
            ServiceType::Education | ServiceType::ChildFamilySupport => 10,
            _ => 20,
        };
        if !rng.chance(wanted) {
            continue;
        }
        let limited = service == ServiceType::SafeAccommodation || rng.chance(60);
        let (capacity, occupied) = if limited {
            let capacity = 2 + rng.below(40) as u32;
            // About one in five is full.
            let occupied = if rng.chance(20) { capacity } else { rng.below(capacity as usize + 1) as u32 };
            (Some(capacity), occupied)
        } else {
            (None, 0)
        };
        services.push(OfferedServiceInput { service: service.code().to_owned(), capacity, occupied });
    }
    if services.is_empty() {
        services.push(OfferedServiceInput {
            service: ServiceType::CounsellingInformation.code().to_owned(),
            capacity: None,
            occupied: 0,
        });
    }

    let mut languages = vec![LANGUAGES[COUNTRIES.iter().position(|c| *c == country).unwrap_or(0)].to_owned()];
    for _ in 0..rng.below(4) {
        let l = LANGUAGES[rng.below(LANGUAGES.len())].to_owned();
        if !languages.contains(&l) {
            languages.push(l);
        }
    }

    let mut regions = Vec::new();
    if rng.chance(10) {
        regions.push(country.to_owned());
    } else {
        for _ in 0..1 + rng.below(3) {
            let r = format!("{country}-{:02}", 1 + rng.below(REGIONS_PER_COUNTRY));
            if !regions.contains(&r) {
                regions.push(r);
            }
        }
    }

    let mut accepts: Vec<String> =
        Audience::ALL.iter().filter(|_| rng.chance(55)).map(|a| a.code().to_owned()).collect();
    if accepts.is_empty() {
        accepts.push(Audience::ALL[rng.below(Audience::ALL.len())].code().to_owned());
    }

    let opening_hours = if rng.chance(30) {
        OpeningHoursInput { always_open: true, slots: Vec::new() }
    } else {
        OpeningHoursInput {
            always_open: false,
            slots: (1..=5)
                .map(|weekday| OpeningSlotInput { weekday, opens: "09:00".into(), closes: "17:00".into() })
                .collect(),
        }
    };

    let input = ProviderInput {
        id: format!("prov-{country}-{:05}", n * 7919 % PROVIDERS),
        organisation_id: rng.chance(50).then(|| format!("org-{}", rng.below(500))),
        name: format!("Synthetic provider {n}"),
        country: country.to_owned(),
        services,
        languages,
        regions,
        accepts,
        trafficking_specialised: rng.chance(35),
        contact_points: vec![ContactPointInput {
            label: "Intake".into(),
            phone: Some(format!("+371 6{:07}", rng.below(10_000_000))),
            email: None,
        }],
        opening_hours,
    };
    Ok(input.parse()?)
}

fn need(
    service: ServiceType,
    child: bool,
    sex: Sex,
    with_children: bool,
    languages: &[&str],
    region: Option<&str>,
    prefer_specialised: bool,
) -> Result<(String, NeedQuery), Box<dyn Error>> {
    let value = serde_json::json!({
        "service": service.code(),
        "person_is_child": child,
        "sex": sex.code(),
        "with_children": with_children,
        "languages": languages,
        "region": region,
        "prefer_specialised": prefer_specialised,
    });
    let mut label = vec![service.code().replace('_', " ")];
    label.push(if child { format!("child ({})", sex.code()) } else { sex.code().to_owned() });
    if with_children {
        label.push("with children".to_owned());
    }
    label.push(if languages.is_empty() { "no language".to_owned() } else { languages.join(" > ") });
    label.push(region.unwrap_or("no region").to_owned());
    if prefer_specialised {
        label.push("specialised asked".to_owned());
    }
    let label = label.join(", ");
    Ok((label, serde_json::from_value(value)?))
}

fn needs() -> Result<Vec<(String, NeedQuery)>, Box<dyn Error>> {
    use ServiceType::*;
    Ok(vec![
        need(SafeAccommodation, false, Sex::Female, false, &["ru", "lv"], Some("LV-03"), true)?,
        need(SafeAccommodation, false, Sex::Male, true, &["uk"], Some("PL-07"), false)?,
        need(SafeAccommodation, true, Sex::Female, false, &["ro", "en"], Some("RO-01"), true)?,
        need(CounsellingInformation, false, Sex::Unknown, false, &["vi"], None, false)?,
        need(PsychologicalAssistance, false, Sex::Female, false, &["bg"], Some("BG"), false)?,
        need(LegalRepresentation, false, Sex::Male, false, &["ar", "fr"], Some("LT-11"), true)?,
        need(Education, true, Sex::Male, false, &["es"], Some("EE-05"), false)?,
        need(MedicalTreatment, false, Sex::Other, false, &[], Some("LV-01"), false)?,
    ])
}

/// Milliseconds at quantile `q` of sorted samples (nearest rank).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn summary(mut samples: Vec<f64>) -> serde_json::Value {
    samples.sort_by(f64::total_cmp);
    let median = quantile(&samples, 0.5);
    let p99 = quantile(&samples, 0.99);
    serde_json::json!({
        "queries": samples.len(),
        "median_ms": (median * 10_000.0).round() / 10_000.0,
        "p99_ms": (p99 * 10_000.0).round() / 10_000.0,
        "max_ms": (samples.last().copied().unwrap_or(f64::NAN) * 10_000.0).round() / 10_000.0,
        "p99_over_limit": (p99 / LIMIT_MS * 10_000.0).round() / 10_000.0,
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let iterations = match std::env::args().nth(1) {
        Some(n) => n.parse::<usize>()?,
        None => DEFAULT_ITERATIONS,
    };
    let mut rng = SplitMix64(SEED);
    let generate = Instant::now();
    let providers = (0..PROVIDERS).map(|n| synthetic_provider(&mut rng, n)).collect::<Result<Vec<_>, _>>()?;
    let generate_ms = generate.elapsed().as_secs_f64() * 1000.0;
    let needs = needs()?;

    // Warm up caches and the branch predictor.
    for (_, need) in &needs {
        black_box(rank_top(need, &providers, TOP_N));
    }

    let mut top_all = Vec::new();
    let mut full_all = Vec::new();
    let mut per_need = Vec::new();
    for (label, need) in &needs {
        let eligible = rank(need, &providers).len();
        let mut top = Vec::with_capacity(iterations);
        let mut full = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            let t = Instant::now();
            black_box(rank_top(black_box(need), black_box(&providers), TOP_N));
            top.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            black_box(rank(black_box(need), black_box(&providers)));
            full.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        top_all.extend_from_slice(&top);
        full_all.extend_from_slice(&full);
        let best = rank_top(need, &providers, 1);
        per_need.push(serde_json::json!({
            "need": label,
            "eligible": eligible,
            "best_score": best.first().map(|r| r.score),
            "rank_top_20": summary(top),
            "rank_all": summary(full),
        }));
    }

    let report = serde_json::json!({
        "providers": PROVIDERS,
        "seed": format!("{SEED:#018x}"),
        "needs": needs.len(),
        "iterations_per_need": iterations,
        "limit_ms": LIMIT_MS,
        "generate_and_parse_ms": (generate_ms * 100.0).round() / 100.0,
        "rank_top_20": summary(top_all),
        "rank_all": summary(full_all),
        "per_need": per_need,
    });
    println!("{report}");
    Ok(())
}
