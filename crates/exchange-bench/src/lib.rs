//! Simulation of the transnational exchange (docs/transnational.md §7, issue 18): national
//! instances of the EU member states and the EU hub, each an [`App`] on its own SQLite database
//! in a temporary folder, all in one process. Each instance has its own keys and pins every
//! other instance in its directory. The national instances refer victims to each other through
//! the transnational referral use cases (the caseworker prepares and submits, the focal point
//! sends; the receiving focal point accepts, assigning an organisation of its country, or
//! declines, which sends the acknowledgement and the `referral_update`s back), and each country
//! sends a real statistics release to the hub. Delivery goes through an in-process
//! [`EnvelopePoster`] that calls the receiver's [`App::exchange_receive`] as the HTTPS route
//! does; peers are down (the poster answers a network error) for random stretches of time, and
//! some answers are lost on the way back (the receiver took the message, the sender retries and
//! is answered `409 replayed`). Delivery passes run on a simulated clock until nothing is left
//! to deliver, then every receiver is counted: each referral id received exactly once, each
//! message acknowledged back to its sender.

use anyhow::{Context, Result, anyhow, bail, ensure};
use haven_app::admin::{Acting, NewUser};
use haven_app::exchange_peers::IdentitySetup;
use haven_app::exchange_referrals::{DecisionInput, PrepareInput};
use haven_app::exchange_transport::{EnvelopePoster, PostResult, ReceiveError};
use haven_app::stats::ReleaseRequest;
use haven_app::{App, AppSettings, FixedClock, LoginRequest, Principal};
use haven_crypto::MasterKey;
use haven_domain::assist::transnational::TransnationalState;
use haven_storage::Store;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The 27 member states of the EU, by ISO 3166-1 code (Greece is `GR`; its statistics go to
/// the hub under Eurostat's `EL`).
pub const EU_MEMBER_STATES: [&str; 27] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT",
    "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

/// The EU hub's instance id.
pub const HUB: &str = "EU";

/// The simulated clock starts here (unix seconds: 2026-05-28).
pub const START: i64 = 1_780_000_000;

const PASSWORD: &str = "a long enough password for the simulation";

/// What to simulate.
#[derive(Debug, Clone)]
pub struct Config {
    /// The national instances (ISO country codes).
    pub countries: Vec<String>,
    /// How many referrals, spread evenly over the sending countries, each to a random other one.
    pub referrals: usize,
    pub seed: u64,
    /// The chance, at each pass, that a peer that is up goes down.
    pub p_down: f64,
    /// The chance, at each pass, that a peer that is down comes back.
    pub p_up: f64,
    /// The chance that a receiver's answer is lost on the way back (the receiver stored the
    /// message; the sender retries it).
    pub lose_answer: f64,
    /// Peers down from the start for the first so many passes, whatever the chances say.
    pub forced_down: Vec<(String, u32)>,
    /// Simulated seconds per delivery pass.
    pub pass_seconds: i64,
    /// Give up (an error) after so many passes.
    pub max_passes: u32,
    /// On accepting, the receiving focal point assigns its country's NGO at once (a second
    /// `referral_update`, `organisation_assigned`).
    pub assign_organisation: bool,
}

impl Config {
    /// The full simulation: 27 member states and the hub, peers down about a sixth of the time.
    pub fn eu(referrals: usize) -> Config {
        Config {
            countries: EU_MEMBER_STATES.iter().map(|c| (*c).to_owned()).collect(),
            referrals,
            seed: 2026,
            p_down: 0.03,
            p_up: 0.15,
            lose_answer: 0.01,
            forced_down: Vec::new(),
            pass_seconds: 60,
            max_passes: 20_000,
            assign_organisation: true,
        }
    }
}

/// A small, fast pseudo-random generator (SplitMix64): the simulation is the same for a seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        let n = u64::try_from(n.max(1)).unwrap_or(u64::MAX);
        usize::try_from(self.next_u64() % n).unwrap_or(0)
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        let unit = f64::from(u32::try_from(self.next_u64() >> 40).unwrap_or(0)) / f64::from(1_u32 << 24);
        unit < p
    }
}

/// What a run measured and checked.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub national_instances: usize,
    pub hub: &'static str,
    pub referrals: usize,
    pub statistics_submissions: usize,
    /// What a statistics submission carried.
    pub statistics_content: String,
    /// Every message the instances sent, by type (from their outboxes).
    pub messages: BTreeMap<String, i64>,
    pub messages_total: i64,
    /// Delivery attempts (posts), of which retries (attempts after the first of a message).
    pub delivery_attempts: i64,
    pub retries: i64,
    /// Posts that met a peer that was down.
    pub posts_to_a_peer_down: u64,
    /// Answers lost after the receiver stored the message.
    pub answers_lost: u64,
    /// Deliveries of a message the receiver had already stored, refused `409 replayed` (and
    /// counted as delivered by the sender).
    pub duplicates_refused: i64,
    /// Messages refused for another reason, or expired: 0 in a good run.
    pub refused_or_expired: i64,
    pub passes: u32,
    pub simulated_seconds: i64,
    /// Share of the (peer, pass) pairs when the peer was down.
    pub share_of_time_down: f64,
    pub referrals_accepted: usize,
    pub referrals_declined: usize,
    /// Wall time: instances, keys, directories, organisations and users.
    pub setup_seconds: f64,
    /// Wall time: the cases registered and the referrals prepared, submitted and sent (into the
    /// outboxes), and the releases made and sent.
    pub preparation_seconds: f64,
    /// Wall time of the delivery passes until everything was delivered, decided and
    /// acknowledged (the decisions and updates of the receiving focal points included).
    pub exchange_seconds: f64,
    pub total_seconds: f64,
    /// Messages delivered per second of the exchange phase.
    pub messages_per_second: f64,
    /// Referrals carried through (sent, received, decided, updates back) per second of the
    /// exchange phase.
    pub referrals_per_second: f64,
    /// Referrals per second from the first case registered to the last acknowledgement.
    pub referrals_per_second_end_to_end: f64,
    pub checks: Checks,
}

/// What was counted on the receivers and senders at the end.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Checks {
    /// Referral ids expected on their receivers, and found there exactly once.
    pub referrals_expected: usize,
    pub referrals_received_exactly_once: usize,
    /// Referral ids missing on their receiver.
    pub lost: usize,
    /// Referral ids stored more than once, or referrals received that were not sent.
    pub duplicated: usize,
    /// Messages sent that are not delivered, or not acknowledged back (received, then accepted
    /// or refused) to their sender: 0 in a good run.
    pub not_acknowledged: i64,
    /// Received messages still undecided on a receiver, referrals still waiting for a decision,
    /// or sent referrals whose sender did not learn the decision: 0 in a good run.
    pub undecided: i64,
    /// Statistics submissions the hub holds with their signed original, one per country.
    pub statistics_at_hub: i64,
    pub passed: bool,
}

struct Instance {
    id: String,
    app: App,
    _dir: tempfile::TempDir,
    caseworker: Option<Principal>,
    focal_point: Option<Principal>,
    rapporteur: Option<Principal>,
    ngo: Option<String>,
}

fn endpoint(id: &str) -> String {
    format!("https://{}.haven.example/exchange", id.to_lowercase())
}

/// The in-process network: a post to an instance's URL is handed to its `exchange_receive` as
/// the HTTPS route does, unless the instance is down.
struct Network {
    by_url: HashMap<String, usize>,
    apps: Vec<App>,
    down: Vec<AtomicBool>,
    /// Something was delivered to the instance since its focal point last looked.
    arrived: Vec<AtomicBool>,
    clock: Arc<FixedClock>,
    rng: Mutex<Rng>,
    lose_answer: f64,
    posts_down: AtomicU64,
    answers_lost: AtomicU64,
}

impl Network {
    fn lose(&self) -> bool {
        if self.lose_answer <= 0.0 {
            return false;
        }
        self.rng.lock().map(|mut r| r.chance(self.lose_answer)).unwrap_or(false)
    }
}

impl EnvelopePoster for Network {
    async fn post(&self, url: &str, envelope: Vec<u8>) -> PostResult {
        let Some(&to) = url.strip_suffix("/v1/messages").and_then(|e| self.by_url.get(e)) else {
            return PostResult::Unreachable { problem: format!("no host for {url}") };
        };
        if self.down[to].load(Ordering::SeqCst) {
            self.posts_down.fetch_add(1, Ordering::Relaxed);
            return PostResult::Unreachable { problem: "connection refused".into() };
        }
        let answer = match self.apps[to].exchange_receive(&envelope, haven_app::Clock::now(&*self.clock)).await {
            Ok(_) => {
                self.arrived[to].store(true, Ordering::SeqCst);
                PostResult::Answered { status: 202, code: None }
            }
            Err(ReceiveError::Refused(r)) => PostResult::Answered { status: r.status, code: Some(r.code) },
            Err(ReceiveError::Failed(_)) => PostResult::Answered { status: 500, code: None },
        };
        if self.lose() {
            self.answers_lost.fetch_add(1, Ordering::Relaxed);
            return PostResult::Unreachable { problem: "connection reset".into() };
        }
        answer
    }
}

async fn open_instance(id: &str, role: &str, clock: Arc<FixedClock>) -> Result<Instance> {
    let dir = tempfile::tempdir().context("a temporary folder")?;
    let store = Store::open_sqlite(dir.path()).await.with_context(|| format!("the database of {id}"))?;
    let app = App::open(store, &MasterKey::generate(), clock, AppSettings::default()).await?;
    let setup = IdentitySetup { instance_id: id.into(), role: role.into(), endpoint: endpoint(id) };
    app.instance_identity(Acting::Operator, Some(&setup)).await.with_context(|| format!("the identity of {id}"))?;
    Ok(Instance { id: id.into(), app, _dir: dir, caseworker: None, focal_point: None, rapporteur: None, ngo: None })
}

async fn user(app: &App, name: &str, org: &str, role: &str) -> Result<Principal> {
    let new = NewUser {
        username: name.into(),
        display_name: name.into(),
        organisation_id: org.into(),
        roles: vec![role.into()],
        password: Some(PASSWORD.into()),
        language: None,
    };
    app.create_user(Acting::Operator, &new).await.with_context(|| format!("user {name}"))?;
    let req = LoginRequest { username: name, password: PASSWORD, totp: None, address: None, device: None };
    Ok(app.login(req).await.with_context(|| format!("login of {name}"))?.principal)
}

/// The minimum world of a national instance: an NGO with a caseworker, the national referral
/// mechanism's authority with the focal point, the national rapporteur.
async fn national_world(instance: &mut Instance) -> Result<()> {
    let (app, c) = (&instance.app, instance.id.as_str());
    let ngo = app.create_organisation(Acting::Operator, &format!("Safe House {c}"), "ngo", c).await?.id;
    let authority = app
        .create_organisation(Acting::Operator, &format!("Referral Mechanism {c}"), "competent_authority", c)
        .await?
        .id;
    let rapporteur_org =
        app.create_organisation(Acting::Operator, &format!("Rapporteur {c}"), "national_rapporteur", c).await?.id;
    let lower = c.to_lowercase();
    instance.caseworker = Some(user(app, &format!("{lower}.caseworker"), &ngo, "caseworker").await?);
    instance.focal_point = Some(user(app, &format!("{lower}.focal"), &authority, "focal_point").await?);
    instance.rapporteur = Some(user(app, &format!("{lower}.rapporteur"), &rapporteur_org, "rapporteur").await?);
    instance.ngo = Some(ngo);
    Ok(())
}

/// `a` pins `b` with the signing key id `b`'s operator read out.
async fn pin(a: &App, b: &App) -> Result<()> {
    let entry = b.own_directory_entry(Acting::Operator).await?;
    a.add_peer(Acting::Operator, entry.json.as_bytes(), &entry.identity.signing_key_id).await?;
    Ok(())
}

const GIVEN: [&str; 10] = ["Olena", "Maria", "Anna", "Ona", "Liis", "Ieva", "Katarzyna", "Ioana", "Elena", "Sofia"];
const FAMILY: [&str; 8] = ["Kovalenko", "Petrova", "Ozola", "Tamm", "Kazlauskiene", "Nowak", "Popescu", "Ivanova"];

/// One referral to send: the sending and receiving country, and a seed for the person.
#[derive(Debug, Clone)]
struct Planned {
    from: usize,
    to: usize,
    seed: u64,
}

/// Registers a case of a person exploited in `to` and refers it there: prepared and submitted
/// by the caseworker, sent by the focal point. Gives the referral id.
async fn refer(instance: &Instance, to: &str, seed: u64) -> Result<String> {
    let (caseworker, focal_point) = match (&instance.caseworker, &instance.focal_point) {
        (Some(c), Some(f)) => (c, f),
        _ => bail!("{} has no caseworker or focal point", instance.id),
    };
    let mut rng = Rng::new(seed);
    let dob = format!("{}-{:02}-{:02}", 1970 + rng.below(35), 1 + rng.below(12), 1 + rng.below(28));
    let registration = serde_json::from_value(json!({
        "person": {
            "given_names": GIVEN[rng.below(GIVEN.len())], "family_names": FAMILY[rng.below(FAMILY.len())],
            "sex": "female", "citizenships": ["UA"], "date_of_birth": dob, "languages": ["uk"],
        },
        "context": { "forms": ["sexual"], "events": [{"kind": "exploitation", "country": to}] },
    }))?;
    let app = &instance.app;
    let saved = app.create_registration(caseworker, registration).await.context("a registration")?;
    let input: PrepareInput = serde_json::from_value(json!({
        "purpose": "onward_support",
        "receiving_peer": to,
        "added_fields": [],
        "basis": {"kind": "consent", "given_on": "2026-05-20", "informed_in": "uk", "informed_by": "caseworker with an interpreter"},
        "needs": ["accommodation"],
    }))?;
    let prepared = app.prepare_transnational_referral(caseworker, &saved.id, &input).await.context("prepare")?;
    app.submit_transnational_referral(caseworker, &prepared.id).await.context("submit")?;
    app.send_transnational_referral(focal_point, &prepared.id).await.context("send")?;
    Ok(prepared.id)
}

/// The receiving focal point decides every referral waiting for it: accepts about three in
/// four (with `assign`, assigning its country's NGO at once), declines the others for lack of
/// capacity. Gives (accepted, declined).
async fn decide_all(instance: &Instance, seed: u64, assign: bool) -> Result<(usize, usize)> {
    let Some(focal_point) = &instance.focal_point else {
        return Ok((0, 0));
    };
    let app = &instance.app;
    let (_, incoming) = app.focal_point_referrals(focal_point).await?;
    let mut rng = Rng::new(seed);
    let (mut accepted, mut declined) = (0, 0);
    for summary in incoming.into_iter().filter(|s| s.state == TransnationalState::Received) {
        if rng.below(4) < 3 {
            let organisation_id = match (&instance.ngo, assign) {
                (Some(ngo), true) => ngo.clone(),
                _ => String::new(),
            };
            let accept = DecisionInput { decision: "accept".into(), organisation_id, ..DecisionInput::default() };
            app.decide_transnational_referral(focal_point, &summary.id, &accept)
                .await
                .map_err(|e| anyhow!("accepting {}: {e:?}", summary.id))?;
            accepted += 1;
        } else {
            let decline =
                DecisionInput { decision: "decline".into(), reason: "no_capacity".into(), ..DecisionInput::default() };
            app.decide_transnational_referral(focal_point, &summary.id, &decline)
                .await
                .map_err(|e| anyhow!("declining {}: {e:?}", summary.id))?;
            declined += 1;
        }
    }
    Ok((accepted, declined))
}

async fn count(app: &App, sql: &str) -> Result<i64> {
    app.store().count_unchecked(sql).await.with_context(|| sql.to_owned())
}

fn seconds(since: Instant) -> f64 {
    since.elapsed().as_secs_f64()
}

fn per_second(n: f64, seconds: f64) -> f64 {
    if seconds > 0.0 { (n / seconds * 10.0).round() / 10.0 } else { 0.0 }
}

/// Runs the simulation of `config`; `progress` is told what happens (a line at a time).
pub async fn run(config: &Config, progress: &(dyn Fn(&str) + Sync)) -> Result<Report> {
    ensure!(config.countries.len() >= 2, "at least two countries");
    let started = Instant::now();
    let clock = Arc::new(FixedClock::new(START));
    let mut rng = Rng::new(config.seed);

    // Instances, keys and directories: every national instance pins every other and the hub;
    // the hub pins every national instance.
    let mut instances = Vec::new();
    for c in &config.countries {
        instances.push(open_instance(c, "national_focal_point", clock.clone()).await?);
    }
    instances.push(open_instance(HUB, "eu_hub", clock.clone()).await?);
    let hub = instances.len() - 1;
    for a in 0..instances.len() {
        for b in 0..instances.len() {
            if a != b && !(a == hub && b == hub) {
                pin(&instances[a].app, &instances[b].app).await?;
            }
        }
    }
    for instance in instances.iter_mut().take(hub) {
        national_world(instance).await?;
    }
    let setup_seconds = seconds(started);
    progress(&format!("{} instances and the hub set up in {setup_seconds:.1} s", hub));

    // The referrals, each to a random other country, prepared and sent into the outboxes; each
    // country's share in its own task.
    let prepared_at = Instant::now();
    let n = hub;
    let plan: Vec<Planned> = (0..config.referrals)
        .map(|i| {
            let from = i % n;
            let to = (from + 1 + rng.below(n - 1)) % n;
            Planned { from, to, seed: rng.next_u64() }
        })
        .collect();
    let instances = Arc::new(instances);
    let mut tasks = tokio::task::JoinSet::new();
    for from in 0..n {
        let mine: Vec<Planned> = plan.iter().filter(|p| p.from == from).cloned().collect();
        let instances = instances.clone();
        tasks.spawn(async move {
            let mut sent = Vec::new();
            for p in mine {
                let id = refer(&instances[p.from], &instances[p.to].id, p.seed).await?;
                sent.push((id, p.from, p.to));
            }
            Ok::<_, anyhow::Error>(sent)
        });
    }
    let mut expected: Vec<(String, usize, usize)> = Vec::new();
    while let Some(done) = tasks.join_next().await {
        expected.extend(done??);
    }
    progress(&format!("{} referrals sent into the outboxes in {:.1} s", expected.len(), seconds(prepared_at)));

    // A statistics release per country, sent to the hub.
    let mut statistics = 0;
    for instance in instances.iter().take(n) {
        let rapporteur = instance.rapporteur.as_ref().ok_or_else(|| anyhow!("no rapporteur"))?;
        let request =
            ReleaseRequest { year: 2025, mode: "suppression".into(), threshold: Some(3), ..Default::default() };
        let release = instance.app.create_release(rapporteur, &request).await.context("a release")?;
        let delivery = instance.app.send_release_to_hub(rapporteur, &release.id).await.context("to the hub")?;
        ensure!(delivery.state == "queued", "{}: the release was not queued: {:?}", instance.id, delivery.error);
        statistics += 1;
    }
    let preparation_seconds = seconds(prepared_at);

    // Delivery passes on the simulated clock until nothing is left.
    let network = Arc::new(Network {
        by_url: instances.iter().enumerate().map(|(i, inst)| (endpoint(&inst.id), i)).collect(),
        apps: instances.iter().map(|i| i.app.clone()).collect(),
        down: instances.iter().map(|_| AtomicBool::new(false)).collect(),
        arrived: instances.iter().map(|_| AtomicBool::new(false)).collect(),
        clock: clock.clone(),
        rng: Mutex::new(Rng::new(config.seed ^ 0x5eed)),
        lose_answer: config.lose_answer,
        posts_down: AtomicU64::new(0),
        answers_lost: AtomicU64::new(0),
    });
    let exchange_started = Instant::now();
    let (mut accepted, mut declined) = (0, 0);
    let (mut down_passes, mut peer_passes) = (0_u64, 0_u64);
    let mut pass = 0;
    loop {
        pass += 1;
        ensure!(pass <= config.max_passes, "not done after {} passes", config.max_passes);
        clock.advance(config.pass_seconds);
        let now = haven_app::Clock::now(&*clock);
        for (i, instance) in instances.iter().enumerate() {
            let forced = config.forced_down.iter().any(|(c, until)| *c == instance.id && pass <= *until);
            let was = network.down[i].load(Ordering::SeqCst);
            let down = forced || if was { !rng.chance(config.p_up) } else { rng.chance(config.p_down) };
            network.down[i].store(down, Ordering::SeqCst);
            peer_passes += 1;
            down_passes += u64::from(down);
        }
        // Each instance delivers what is due, all at once; a down instance delivers nothing.
        let mut tasks = tokio::task::JoinSet::new();
        for (i, instance) in instances.iter().enumerate() {
            if network.down[i].load(Ordering::SeqCst) {
                continue;
            }
            let (app, network) = (instance.app.clone(), network.clone());
            tasks.spawn(async move {
                loop {
                    let report = app.deliver_exchange_outbox(&*network, now).await?;
                    let _ = app.redispatch_exchange_inbox(now).await?;
                    if report.delivered.is_empty() && report.refused.is_empty() && report.expired.is_empty() {
                        break;
                    }
                }
                Ok::<_, anyhow::Error>(())
            });
        }
        while let Some(done) = tasks.join_next().await {
            done??;
        }
        // The receiving focal points decide what arrived.
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..n {
            if network.down[i].load(Ordering::SeqCst) || !network.arrived[i].swap(false, Ordering::SeqCst) {
                continue;
            }
            let (instances, assign, seed) = (instances.clone(), config.assign_organisation, rng.next_u64());
            tasks.spawn(async move { decide_all(&instances[i], seed, assign).await });
        }
        while let Some(done) = tasks.join_next().await {
            let (a, d) = done??;
            accepted += a;
            declined += d;
        }
        // Done when no instance has anything to deliver and nothing waits for a decision.
        let mut left = 0;
        for instance in instances.iter() {
            left += count(&instance.app, "SELECT COUNT(*) FROM exchange_outbox WHERE state = 'pending'").await?;
            left += count(&instance.app, "SELECT COUNT(*) FROM exchange_inbox WHERE state = 'received'").await?;
        }
        if left == 0 && accepted + declined == expected.len() {
            break;
        }
        if pass % 50 == 0 {
            progress(&format!(
                "pass {pass}: {left} messages left, {} referrals decided, {:.0} s",
                accepted + declined,
                seconds(exchange_started)
            ));
        }
    }
    let exchange_seconds = seconds(exchange_started);

    // What was sent and how it went, from the outboxes.
    let mut report = Report {
        national_instances: n,
        hub: HUB,
        referrals: expected.len(),
        statistics_submissions: statistics,
        statistics_content: "each country's real release of 2025 (suppression, threshold 3) as SDMX-CSV, \
                             sent with App::send_release_to_hub"
            .into(),
        passes: pass,
        simulated_seconds: pass_seconds_total(pass, config.pass_seconds),
        share_of_time_down: if peer_passes > 0 {
            (down_passes as f64 / peer_passes as f64 * 1000.0).round() / 1000.0
        } else {
            0.0
        },
        referrals_accepted: accepted,
        referrals_declined: declined,
        setup_seconds,
        preparation_seconds,
        exchange_seconds,
        posts_to_a_peer_down: network.posts_down.load(Ordering::Relaxed),
        answers_lost: network.answers_lost.load(Ordering::Relaxed),
        ..Report::default()
    };
    for instance in instances.iter() {
        let app = &instance.app;
        for kind in ["referral", "referral_update", "acknowledgement", "statistics_submission"] {
            let k = count(app, &format!("SELECT COUNT(*) FROM exchange_outbox WHERE message_type = '{kind}'")).await?;
            *report.messages.entry(kind.to_owned()).or_default() += k;
        }
        report.messages_total += count(app, "SELECT COUNT(*) FROM exchange_outbox").await?;
        report.delivery_attempts += count(app, "SELECT COALESCE(SUM(attempts), 0) FROM exchange_outbox").await?;
        report.refused_or_expired +=
            count(app, "SELECT COUNT(*) FROM exchange_outbox WHERE state IN ('refused', 'expired')").await?;
        report.duplicates_refused += count(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'exchange_message_refused' AND detail LIKE 'code=replayed %'",
        )
        .await?;
    }
    report.retries = report.delivery_attempts - report.messages_total;
    report.checks = check(&instances, &expected, n, hub).await?;
    report.total_seconds = seconds(started);
    report.messages_per_second = per_second(report.messages_total as f64, exchange_seconds);
    report.referrals_per_second = per_second(expected.len() as f64, exchange_seconds);
    report.referrals_per_second_end_to_end =
        per_second(expected.len() as f64, report.preparation_seconds + exchange_seconds);
    Ok(report)
}

fn pass_seconds_total(passes: u32, each: i64) -> i64 {
    i64::from(passes).saturating_mul(each)
}

/// Counts on every receiver and sender what arrived and came back.
async fn check(instances: &[Instance], expected: &[(String, usize, usize)], n: usize, hub: usize) -> Result<Checks> {
    let mut checks = Checks { referrals_expected: expected.len(), ..Checks::default() };
    let mut to_each = vec![0_i64; n];
    for (id, from, to) in expected {
        to_each[*to] += 1;
        let app = &instances[*to].app;
        let sender = &instances[*from].id;
        let found = count(
            app,
            &format!(
                "SELECT COUNT(*) FROM transnational_referrals WHERE direction = 'incoming' AND referral_id = '{id}' \
                 AND peer = '{sender}'"
            ),
        )
        .await?;
        match found {
            1 => checks.referrals_received_exactly_once += 1,
            0 => checks.lost += 1,
            _ => checks.duplicated += 1,
        }
    }
    for (i, instance) in instances.iter().enumerate().take(n) {
        let app = &instance.app;
        let incoming = count(app, "SELECT COUNT(*) FROM transnational_referrals WHERE direction = 'incoming'").await?;
        // Referrals received that were not sent to this instance count as duplicates too.
        checks.duplicated += usize::try_from((incoming - to_each[i]).max(0)).unwrap_or(0);
        checks.undecided += count(
            app,
            "SELECT COUNT(*) FROM transnational_referrals WHERE (direction = 'incoming' AND state = 'received') \
             OR (direction = 'outgoing' AND state = 'sent')",
        )
        .await?;
    }
    for instance in instances {
        let app = &instance.app;
        // Every message delivered and acknowledged `received`; every one that is not itself an
        // acknowledgement also accepted or refused by its receiver.
        checks.not_acknowledged += count(
            app,
            "SELECT COUNT(*) FROM exchange_outbox WHERE state <> 'delivered' OR (message_type <> 'acknowledgement' \
             AND (ack_received_at IS NULL OR ack_status IS NULL))",
        )
        .await?;
        checks.undecided += count(app, "SELECT COUNT(*) FROM exchange_inbox WHERE state IN ('received')").await?;
    }
    checks.statistics_at_hub =
        count(&instances[hub].app, "SELECT COUNT(DISTINCT sender) FROM exchange_statistics_received").await?;
    checks.passed = checks.lost == 0
        && checks.duplicated == 0
        && checks.referrals_received_exactly_once == expected.len()
        && checks.not_acknowledged == 0
        && checks.undecided == 0
        && checks.statistics_at_hub == i64::try_from(n).unwrap_or(-1);
    Ok(checks)
}
