//! `haven-persons-bench`: persons in the platform at national scale. Builds a synthetic national
//! register (bench/persons/README.md) through the public use cases of `haven-app` on SQLite or
//! PostgreSQL, then measures, on top of it: registration writes with the duplicate check at 16
//! concurrent writers, person searches, the person counts of a national release and a full
//! re-link, with the peak memory of each phase. Prints one JSON document on stdout; progress on
//! stderr.

mod measure;
mod synth;

use anyhow::{Context, Result, bail};
use clap::Parser;
use haven_app::admin::{Acting, NewUser};
use haven_app::ident::SearchInput;
use haven_app::{App, AppSettings, FixedClock, LoginRequest, Principal};
use haven_crypto::MasterKey;
use haven_domain::case::CalendarDate;
use haven_domain::ident::record::Registration;
use haven_storage::Store;
use measure::{Latencies, Memory};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use synth::{AGENCIES, Register};

#[derive(Debug, Parser)]
#[command(about = "Persons at national scale: a synthetic register through the App, and what it costs")]
struct Args {
    /// `sqlite://DIR` (a new directory) or `postgres://…` (an empty database).
    #[arg(long)]
    database: String,
    /// Registrations in the register before the measurements.
    #[arg(long, default_value_t = 20_000)]
    n: usize,
    /// Concurrent loaders while the register is built.
    #[arg(long, default_value_t = 8)]
    loaders: usize,
    /// Concurrent writers in the write measurement.
    #[arg(long, default_value_t = 16)]
    writers: usize,
    /// Registrations each writer saves in the write measurement.
    #[arg(long, default_value_t = 25)]
    writes_per_writer: usize,
    /// Person searches measured (one searcher).
    #[arg(long, default_value_t = 300)]
    searches: usize,
    /// Times the person counts are computed.
    #[arg(long, default_value_t = 3)]
    count_repeats: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

/// The day the register is measured on (12:00 UTC).
const TODAY: CalendarDate = CalendarDate { year: 2026, month: 6, day: 15 };

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let out = run(&args).await?;
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

fn log(msg: &str) {
    eprintln!("[persons-bench] {msg}");
}

struct Actors {
    registrars: Vec<Principal>,
    authority: Principal,
    rapporteur: Principal,
}

async fn actors(app: &App) -> Result<Actors> {
    let mut registrars = Vec::new();
    for (i, (name, kind, _, _)) in AGENCIES.iter().enumerate() {
        let org = app.create_organisation(Acting::Operator, name, kind, "LV").await?;
        registrars.push(user(app, &format!("registrar{i}"), &org.id, "first_responder").await?);
    }
    let ca =
        app.create_organisation(Acting::Operator, "National Referral Mechanism", "competent_authority", "LV").await?;
    let authority = user(app, "authority", &ca.id, "decision_maker").await?;
    let nr = app.create_organisation(Acting::Operator, "National Rapporteur", "national_rapporteur", "LV").await?;
    let rapporteur = user(app, "rapporteur", &nr.id, "rapporteur").await?;
    Ok(Actors { registrars, authority, rapporteur })
}

async fn user(app: &App, username: &str, organisation_id: &str, role: &str) -> Result<Principal> {
    let new = NewUser {
        username: username.to_owned(),
        display_name: username.to_owned(),
        organisation_id: organisation_id.to_owned(),
        roles: vec![role.to_owned()],
        password: None,
        language: None,
    };
    let (_, password) = app.create_user(Acting::Operator, &new).await?;
    let session =
        app.login(LoginRequest { username, password: &password, totp: None, address: None, device: None }).await?;
    Ok(session.principal)
}

/// What the register holds: which person each case is, and by which agency.
#[derive(Default)]
struct Truth {
    person_of: HashMap<String, usize>,
    /// (person, agency) → cases.
    cases_of: HashMap<(usize, usize), Vec<String>>,
    persons: BTreeSet<usize>,
}

async fn run(args: &Args) -> Result<Value> {
    if args.n == 0 || args.writers == 0 || args.loaders == 0 {
        bail!("--n, --writers and --loaders must be at least 1");
    }
    let started = Instant::now();
    let store = Store::open(&args.database).await.context("opening the database")?;
    let backend = store.backend_name();
    if store.count_cases().await? > 0 {
        bail!("the database already holds cases: give an empty one");
    }
    let now = TODAY.days_since_epoch() * 86_400 + 12 * 3600;
    let clock = Arc::new(FixedClock::new(now));
    let app = App::open(store, &MasterKey::generate(), clock, AppSettings::default()).await?;
    // as `haven serve` does at start-up: the persons are made with the model in use (on an
    // empty register at once), then maintained as registrations are referred
    app.ensure_person_clusters().await?;
    let actors = actors(&app).await?;
    let forms = app.reference().forms;

    // The register, planned: persons and their registrations, in a random order of arrival.
    let mut register = Register::new(StdRng::seed_from_u64(args.seed), TODAY)?;
    let mut planned: Vec<(usize, usize, Registration)> = Vec::with_capacity(args.n);
    while planned.len() < args.n {
        let person = register.new_person()?;
        let k = register.registrations_per_person();
        for i in 0..k {
            if planned.len() >= args.n {
                break;
            }
            let agency = register.agency_for(person, i);
            planned.push((person, agency, register.registration(person, agency)?.normalise(forms)?));
        }
    }
    planned.shuffle(&mut StdRng::seed_from_u64(args.seed + 1));
    log(&format!("{backend}: loading {} registrations of {} persons", planned.len(), register.persons.len()));

    // PostgreSQL plans a statement from the table sizes and statistics it has, and a connection
    // keeps a prepared statement's generic plan until the tables are analysed again: plans made
    // while the register was empty would read whole tables at 20,000. With autovacuum on (the
    // server's default) tables are analysed as they grow; where the server has it off (as on
    // the machines of the test suite) the bench analyses them as autovacuum's default would
    // (after 50 rows and 10% more).
    let analyse = backend == "postgres" && app.store().postgres_setting("autovacuum").await? != "on";
    if analyse {
        log(&format!("{backend}: autovacuum is off on this server: the bench analyses the tables as it would"));
    }
    let next_analysis = Arc::new(AtomicUsize::new(50));
    let analysing = Arc::new(tokio::sync::Mutex::new(0usize));

    // Load: create (with its duplicate check) and refer, `loaders` at a time.
    let mut memory = Memory::start();
    let load_started = Instant::now();
    let planned = Arc::new(planned);
    let next = Arc::new(AtomicUsize::new(0));
    let registrars = Arc::new(actors.registrars.clone());
    let mut tasks = Vec::new();
    for _ in 0..args.loaders {
        let (app, planned, next, registrars) = (app.clone(), planned.clone(), next.clone(), registrars.clone());
        let (next_analysis, analysing) = (next_analysis.clone(), analysing.clone());
        tasks.push(tokio::spawn(async move {
            let mut done: Vec<(usize, String, f64)> = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((_, agency, reg)) = planned.get(i) else { break };
                let by = registrars.get(*agency).context("no registrar")?;
                let t = Instant::now();
                let saved = app.create_registration(by, reg.clone()).await?;
                let create_ms = t.elapsed().as_secs_f64() * 1000.0;
                app.submit_registration(by, &saved.id, saved.version).await?;
                done.push((i, saved.id, create_ms));
                if analyse
                    && i + 1 >= next_analysis.load(Ordering::SeqCst)
                    && let Ok(mut analyses) = analysing.try_lock()
                {
                    app.store().execute_unchecked("ANALYZE").await?;
                    *analyses += 1;
                    next_analysis.store(i + 1 + 50 + (i + 1) / 10, Ordering::SeqCst);
                }
                let total = planned.len();
                if (i + 1) % (total / 10).max(1) == 0 {
                    log(&format!("  loaded {} of {total}", i + 1));
                }
            }
            Ok::<_, anyhow::Error>(done)
        }));
    }
    let mut truth = Truth::default();
    let mut load_creates = vec![0.0; planned.len()];
    for t in tasks {
        for (i, id, ms) in t.await.context("a loader stopped")?? {
            let (person, agency, _) = planned.get(i).context("no such registration")?;
            truth.person_of.insert(id.clone(), *person);
            truth.cases_of.entry((*person, *agency)).or_default().push(id);
            truth.persons.insert(*person);
            if let Some(slot) = load_creates.get_mut(i) {
                *slot = ms;
            }
        }
    }
    let load_seconds = load_started.elapsed().as_secs_f64();
    if analyse {
        app.store().execute_unchecked("ANALYZE").await?;
        *analysing.lock().await += 1;
    }
    let analyses = *analysing.lock().await;
    let load_memory = memory.phase();
    // Create latency while the register was the last tenth of its size.
    let tail = Latencies::from_ms(load_creates[planned.len() - planned.len() / 10..].to_vec());
    log(&format!("{backend}: loaded in {load_seconds:.1} s"));

    // A first search checks the candidate index once per process: not measured.
    app.search_persons(&actors.authority, &SearchInput { name: "warm up".into(), ..SearchInput::default() }).await?;

    // Writes with the duplicate check: `writers` at once, each for its own agency; three in four
    // are persons already in the register.
    let mut writes_plan = Vec::new();
    for w in 0..args.writers {
        let agency = w % AGENCIES.len();
        let mut mine = Vec::new();
        for _ in 0..args.writes_per_writer {
            let person = if register.coin(0.75) { register.random_person() } else { register.new_person()? };
            mine.push((person, register.registration(person, agency)?));
        }
        writes_plan.push((agency, mine));
    }
    let barrier = Arc::new(tokio::sync::Barrier::new(args.writers));
    let mut tasks = Vec::new();
    memory.reset();
    let writes_started = Instant::now();
    for (agency, mine) in writes_plan {
        let (app, barrier) = (app.clone(), barrier.clone());
        let by = actors.registrars.get(agency).context("no registrar")?.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let mut out = Vec::new();
            for (person, reg) in mine {
                let t = Instant::now();
                let saved = app.create_registration(&by, reg).await?;
                out.push((agency, person, t.elapsed().as_secs_f64() * 1000.0, saved.possible_duplicates));
            }
            Ok::<_, anyhow::Error>(out)
        }));
    }
    let mut write_ms = Vec::new();
    let (mut expected_warnings, mut warned_right, mut warned_wrong) = (0u64, 0u64, 0u64);
    for t in tasks {
        for (agency, person, ms, hits) in t.await.context("a writer stopped")?? {
            write_ms.push(ms);
            let same_agency = truth.cases_of.get(&(person, agency)).map_or(0, Vec::len);
            if same_agency > 0 {
                expected_warnings += 1;
                if hits.iter().any(|h| truth.person_of.get(&h.case_id) == Some(&person)) {
                    warned_right += 1;
                }
            }
            warned_wrong +=
                hits.iter().filter(|h| truth.person_of.get(&h.case_id).is_some_and(|p| *p != person)).count() as u64;
        }
    }
    let writes_seconds = writes_started.elapsed().as_secs_f64();
    let writes = Latencies::from_ms(write_ms);
    let writes_memory = memory.phase();
    log(&format!("{backend}: writes p50 {:.1} ms p99 {:.1} ms", writes.p50, writes.p99));

    // Searches: the competent authority (national scope) looks persons up as some agency spells
    // them, half the time with the date of birth.
    let mut search_ms = Vec::new();
    let (mut found, mut hits_total) = (0u64, 0u64);
    let loaded: Vec<usize> = truth.persons.iter().copied().collect();
    memory.reset();
    for _ in 0..args.searches {
        let person = loaded[register.random_person() % loaded.len()];
        let (name, dob) = register.search_terms(person)?;
        let input = SearchInput {
            name,
            date_of_birth: dob.map(|d| d.to_string()).unwrap_or_default(),
            document: String::new(),
        };
        let t = Instant::now();
        let hits = app.search_persons(&actors.authority, &input).await?;
        search_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        hits_total += hits.len() as u64;
        if hits.iter().any(|h| truth.person_of.get(&h.case_id) == Some(&person)) {
            found += 1;
        }
    }
    let searches = Latencies::from_ms(search_ms);
    let search_memory = memory.phase();
    log(&format!("{backend}: searches p50 {:.1} ms p99 {:.1} ms", searches.p50, searches.p99));

    // Person counts for a national release, as the statistics page asks them (from the
    // maintained person ids).
    let mut count_s = Vec::new();
    let mut distinct = 0u64;
    memory.reset();
    for _ in 0..args.count_repeats {
        let t = Instant::now();
        let counts = app.identification_counts(&actors.rapporteur).await?;
        count_s.push(t.elapsed().as_secs_f64());
        distinct = counts.distinct_persons.persons;
    }
    let counts_memory = memory.phase();
    log(&format!("{backend}: counts {count_s:?} s"));
    // The full re-link (after a model change): every referred registration read and decrypted,
    // clustered by the engine, the person ids replaced (App::relink, the background job's steps).
    memory.reset();
    let t = Instant::now();
    let job = app.relink(None).await?;
    let relink_s = t.elapsed().as_secs_f64();
    let relink_memory = memory.phase();
    if job.state != "done" {
        bail!("the re-link ended {}: {:?}", job.state, job.detail);
    }
    let clusters = app.person_clusters(&actors.rapporteur, actors.rapporteur.organisation.jurisdiction).await?;
    log(&format!("{backend}: full re-link {relink_s:.2} s ({:?})", job.detail));

    // Each phase's peak was reset at its start: the run's peak is the largest of them.
    let total_hwm = [&load_memory, &writes_memory, &search_memory, &counts_memory, &relink_memory]
        .iter()
        .map(|m| m.peak_kb())
        .max()
        .unwrap_or(0);
    Ok(json!({
        "backend": backend,
        "n": planned.len(),
        "persons_in_register": truth.persons.len(),
        "seed": args.seed,
        "load": {
            "seconds": load_seconds,
            "loaders": args.loaders,
            "registrations_per_second": planned.len() as f64 / load_seconds,
            "create_ms_last_tenth": tail.json(),
            "analyses_by_the_bench": analyses,
            "memory": load_memory.json(),
        },
        "writes": {
            "writers": args.writers,
            "count": writes.count,
            "seconds": writes_seconds,
            "latency_ms": writes.json(),
            "limit_p99_ms": 50.0,
            "ratio_p99_to_limit": writes.p99 / 50.0,
            "same_agency_duplicates": expected_warnings,
            "same_agency_duplicates_warned": warned_right,
            "warnings_of_other_persons": warned_wrong,
            "memory": writes_memory.json(),
        },
        "searches": {
            "count": searches.count,
            "latency_ms": searches.json(),
            "limit_p99_ms": 100.0,
            "ratio_p99_to_limit": searches.p99 / 100.0,
            "person_found": found,
            "mean_hits": hits_total as f64 / args.searches.max(1) as f64,
            "memory": search_memory.json(),
        },
        "counts": {
            "seconds": count_s,
            "limit_seconds": 2.0,
            "ratio_worst_to_limit": count_s.iter().copied().fold(0.0, f64::max) / 2.0,
            "distinct_persons_found": distinct,
            "memory": counts_memory.json(),
        },
        "full_relink": {
            "seconds": relink_s,
            "limit_seconds": 60.0,
            "ratio_to_limit": relink_s / 60.0,
            "records": clusters.records,
            "persons_found": clusters.persons,
            "job": job.detail,
            "persons_true": truth.persons.len(),
            "memory": relink_memory.json(),
        },
        "peak_memory_mb": total_hwm as f64 / 1024.0,
        "wall_seconds": started.elapsed().as_secs_f64(),
    }))
}
