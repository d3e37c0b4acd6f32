//! `haven`: the one binary.

mod checkpoints;
mod config;
mod demo;
mod demo_assist;
mod demo_dsr;
mod demo_ident;
mod demo_instances;
mod demo_money;
mod demo_monitoring;
mod demo_networks;
mod demo_prevention;
mod demo_proceedings;
mod demo_proceedings_victims;
mod demo_report;
mod demo_representation;
mod demo_retention;
mod demo_stats;
mod demo_strategy;
mod exchange;
mod exchange_ops;
mod key_store;
mod peer;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use config::Config;
use haven_app::admin::{Acting, NewUser};
use haven_app::{App, AppSettings, Clock};
use haven_crypto::MasterKey;
use haven_domain::Coded;
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_storage::Store;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "haven", version, about = "Haven: the platform against trafficking in human beings")]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct Global {
    /// Configuration file (TOML).
    #[arg(long, global = true, env = "HAVEN_CONFIG")]
    config: Option<PathBuf>,
    /// Data directory: the SQLite database and the master key file.
    #[arg(long, global = true, env = "HAVEN_DATA", default_value = "haven-data")]
    data: PathBuf,
    /// PostgreSQL URL (postgres://…); without it, SQLite in the data directory.
    #[arg(long, global = true)]
    database_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve(ServeArgs),
    /// Run the demonstration: Latvia, Estonia, Lithuania and the EU hub as four instances in
    /// subfolders of the data directory (web on the port of --listen and the next three), with
    /// synthetic data loaded on first start, talking over the exchange.
    Demo(ServeArgs),
    /// Users.
    #[command(subcommand)]
    User(UserCommand),
    /// Organisations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Encryption keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// The tamper-evident audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Write a consistent, encrypted backup (while the server runs).
    Backup { file: PathBuf },
    /// Restore a backup into a new, empty database.
    Restore { file: PathBuf },
    /// The transnational exchange: this instance's entry and the pinned peers.
    #[command(subcommand)]
    Peer(peer::PeerCommand),
    /// The focal point's side of the exchange: the cross-border person count's secret and
    /// encodings, and the outbox.
    #[command(subcommand)]
    Exchange(exchange_ops::ExchangeCommand),
    /// Record linkage: find the same person across datasets.
    Link(haven_link::cli::LinkArgs),
    /// Re-link the persons of every referred registration (after a change of the person model),
    /// showing progress; registrations can be saved meanwhile.
    Relink,
    /// Compare every translation with English (missing, extra, other variables); exit status 1
    /// when one is incomplete.
    CheckTranslations,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long)]
    listen: Option<String>,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user; prints the initial password once.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// Organisation id or exact name.
        #[arg(long)]
        org: String,
        /// Comma-separated roles, e.g. caseworker,supervisor.
        #[arg(long)]
        roles: String,
    },
    List,
    Disable {
        username: String,
    },
    Enable {
        username: String,
    },
    /// Sets a new generated password (printed once) and ends the user's sessions.
    ResetPassword {
        username: String,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    Create {
        #[arg(long)]
        name: String,
        /// police, ngo, shelter, competent_authority, … (see `haven org kinds`).
        #[arg(long)]
        kind: String,
        /// ISO 3166-1 alpha-2 country code, or EU.
        #[arg(long)]
        jurisdiction: String,
    },
    List,
    /// The kinds of organisation.
    Kinds,
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Makes a new master key and a new field key, then re-encrypts every encrypted field under
    /// the new field key, in batches. Old field keys stay (wrapped under the new master key only)
    /// until `haven keys retire` destroys them. Running servers that read the key file take up the
    /// new keys within seconds, without a restart; one given HAVEN_MASTER_KEY needs a restart.
    Rotate {
        /// Do not make new keys: finish re-encrypting the fields (after an interrupted rotation,
        /// or rows a server still running on the old key wrote meanwhile).
        #[arg(long)]
        resume: bool,
        /// Rows read per batch.
        #[arg(long, default_value_t = 200)]
        batch: i64,
    },
    /// Destroys an old data key (see `haven keys list`), refused while stored fields use it, or an
    /// earlier master key from the key file's history (by its fingerprint): backups made under it
    /// can then no longer be restored.
    Retire {
        /// The id of the data key, or the fingerprint of an earlier master key.
        id: String,
        /// Confirms: what the key encrypted can never be read again.
        #[arg(long)]
        yes: bool,
    },
    /// Lists the data keys, and how many stored fields use each field key.
    List,
    /// Moves every field of a victim's case still under a field key under the case's own subject
    /// key (crypto-shredding: erasing the case destroys that key). `haven backup` does it first.
    Subjects {
        /// Rows read per batch.
        #[arg(long, default_value_t = 200)]
        batch: i64,
    },
    /// Writes the key store (the subject keys and the tombstones of destroyed ones), which
    /// `haven backup` never carries, encrypted under the master key. Keep only the newest: an
    /// older one holds the keys of persons erased since.
    BackupSubjects { file: PathBuf },
    /// Restores a key-store backup after `haven restore`; never brings back a key destroyed here
    /// or in the backup, nor one of a case this database records as erased.
    RestoreSubjects { file: PathBuf },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Checks every entry of the chain and the head; prints the head to record elsewhere.
    Verify {
        /// A head recorded earlier (`SEQ:HEX`, as printed): the log must still hold that entry
        /// with that MAC, and go on from it. Catches a wiped, truncated or rolled-back log.
        #[arg(long = "head", value_name = "SEQ:HEX")]
        heads: Vec<String>,
        /// The server's checkpoint file: every checkpoint's MAC must verify and its head must be
        /// in the log.
        #[arg(long, value_name = "FILE")]
        checkpoints: Option<PathBuf>,
    },
}

/// The system clock: the only place Haven reads the time.
struct SystemClock;

impl Clock for SystemClock {
    #[expect(clippy::disallowed_methods, reason = "the edge of the system is where the clock is read")]
    fn now(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    }
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if let Command::Link(args) = cli.command {
        return match haven_link::cli::run_with(args, &haven_link::cli::Invocation::at(SystemClock.now())) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // The whole chain of causes, for the operator.
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn load_config(global: &Global) -> Result<Config> {
    let mut config = Config::load(global.config.as_deref(), std::env::vars())?;
    if let Some(url) = &global.database_url {
        config.database.url = url.clone();
    }
    Ok(config)
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(format!("{},sqlx=warn", config.log.level))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if config.log.format == "json" { builder.json().try_init() } else { builder.try_init() };
}

/// The master key: HAVEN_MASTER_KEY, or the key file (created on first start).
fn master_key(config: &Config, data: &Path) -> Result<(MasterKey, Option<PathBuf>)> {
    if let Ok(encoded) = std::env::var("HAVEN_MASTER_KEY") {
        return Ok((MasterKey::from_encoded(&encoded).context("HAVEN_MASTER_KEY")?, None));
    }
    let path = config.master_key_file(data);
    let (key, created) =
        MasterKey::load_or_create(&path).with_context(|| format!("master key file {}", path.display()))?;
    if created {
        tracing::info!(path = %path.display(), "created a new master key file: back it up apart from the database");
    }
    Ok((key, Some(path)))
}

/// Whether the master key file sits in the same folder as the SQLite database (the default,
/// fine for a demonstration, not for real data).
fn key_file_beside_database(config: &Config, data: &Path) -> bool {
    if !config.database.url.is_empty() || std::env::var("HAVEN_MASTER_KEY").is_ok() {
        return false;
    }
    let key = config.master_key_file(data);
    let folder = |p: &Path| std::fs::canonicalize(p).ok();
    key.parent().and_then(folder).is_some_and(|k| folder(data) == Some(k))
}

async fn open_store(config: &Config, data: &Path) -> Result<Store> {
    let store = if config.database.url.is_empty() {
        Store::open_sqlite(data).await.with_context(|| format!("opening the SQLite database in {}", data.display()))?
    } else {
        Store::open(&config.database.url).await.context("opening the database")?
    };
    Ok(store)
}

fn settings(config: &Config) -> AppSettings {
    AppSettings {
        session_idle_seconds: config.sessions.idle_minutes * 60,
        session_absolute_seconds: config.sessions.absolute_hours * 3600,
        api_token_seconds: config.sessions.api_token_days.saturating_mul(86_400),
        login_failures_per_account: config.login.failures_per_account,
        login_failures_per_address: config.login.failures_per_address,
        login_window_seconds: config.login.window_minutes * 60,
        privacy_budget: (
            config.statistics.privacy_epsilon_budget.clone(),
            config.statistics.privacy_delta_budget.clone(),
        ),
        case_data_under_field_keys: config.keys.case_data_under_field_keys,
        ..AppSettings::default()
    }
}

async fn open_app(config: &Config, data: &Path) -> Result<App> {
    let (master, _) = master_key(config, data)?;
    open_app_with(config, data, &master).await
}

/// Haven on the data directory's database, under the master key given.
async fn open_app_with(config: &Config, data: &Path, master: &MasterKey) -> Result<App> {
    let store = open_store(config, data).await?;
    let app = App::open(store, master, Arc::new(SystemClock), settings(config)).await.map_err(|e| match e {
        haven_app::AppError::WrongMasterKey => wrong_master_key(),
        other => anyhow::Error::new(other).context("opening Haven"),
    })?;
    match config.instance.reference_dir.trim() {
        "" => Ok(app),
        dir => {
            let assist = load_assist_settings(Path::new(dir))?;
            Ok(app.with_reference(load_reference(Path::new(dir))?).with_assist_settings(assist))
        }
    }
}

/// The operator's assistance settings: `assistance/sharing.toml` (what referrals share per
/// service type) replaces the built-in rules when present.
fn load_assist_settings(dir: &Path) -> Result<haven_app::assist::AssistSettings> {
    let defaults = haven_app::assist::AssistSettings::defaults().context("the built-in assistance settings")?;
    let sharing = dir.join("assistance").join("sharing.toml");
    if !sharing.is_file() {
        return Ok(defaults);
    }
    let text = std::fs::read_to_string(&sharing).with_context(|| format!("reading {}", sharing.display()))?;
    defaults.with_sharing_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", sharing.display()))
}

/// Reads an operator's reference data: indicator lists, jurisdiction profiles and the
/// person-linkage model, as data.
fn load_reference(dir: &Path) -> Result<haven_app::ident::Reference> {
    use haven_domain::ident::indicators::{DIMENSIONS_FILE, INDICATORS_FILE, IndicatorList, LIST_MANIFEST_FILE};
    let read = |p: &Path| std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()));
    let mut lists = Vec::new();
    let indicators = dir.join("indicators");
    if indicators.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(&indicators)
            .with_context(|| format!("reading {}", indicators.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        entries.sort();
        for list_dir in entries {
            let name = list_dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            let list = IndicatorList::from_list_dir(
                &name,
                &read(&list_dir.join(LIST_MANIFEST_FILE))?,
                &read(&list_dir.join(DIMENSIONS_FILE))?,
                &read(&list_dir.join(INDICATORS_FILE))?,
            )
            .with_context(|| format!("indicator list {}", list_dir.display()))?;
            lists.push(list);
        }
    }
    let mut profiles = Vec::new();
    let profile_dir = dir.join("profiles");
    if profile_dir.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(&profile_dir)
            .with_context(|| format!("reading {}", profile_dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for f in files {
            profiles.push(read(&f)?);
        }
    }
    let reference = haven_app::ident::Reference::with_extras(lists, &profiles)
        .map_err(|e| anyhow::anyhow!("reference data in {}: {e}", dir.display()))?;
    let model = dir.join(haven_app::ident::PERSON_MODEL_FILE);
    if !model.is_file() {
        return Ok(reference);
    }
    // a trained model names the file of its term frequencies beside it: read with it
    let text =
        haven_link::LinkageModel::read_as_one_toml(&model).with_context(|| format!("reading {}", model.display()))?;
    reference.with_person_model(&text).map_err(|e| anyhow::anyhow!("reference data in {}: {e}", dir.display()))
}

fn wrong_master_key() -> anyhow::Error {
    anyhow::anyhow!("the master key does not match this database's keys: check HAVEN_MASTER_KEY or the key file")
}

async fn run(cli: Cli) -> Result<()> {
    let config = load_config(&cli.global)?;
    init_logging(&config);
    let data = cli.global.data.clone();
    match cli.command {
        Command::Serve(args) => serve(config, &data, args).await,
        Command::Demo(args) => demo_instances::run(config, &data, args.listen).await,
        Command::User(cmd) => user_command(&open_app(&config, &data).await?, cmd).await,
        Command::Org(cmd) => org_command(&open_app(&config, &data).await?, cmd).await,
        Command::Keys(KeysCommand::Rotate { resume, batch }) => rotate_keys(&config, &data, resume, batch).await,
        Command::Keys(KeysCommand::Retire { id, yes }) => retire_key(&config, &data, &id, yes).await,
        Command::Keys(KeysCommand::List) => list_keys(&config, &data).await,
        Command::Keys(KeysCommand::Subjects { batch }) => key_store::convert_command(&config, &data, batch).await,
        Command::Keys(KeysCommand::BackupSubjects { file }) => key_store::backup(&config, &data, &file).await,
        Command::Keys(KeysCommand::RestoreSubjects { file }) => key_store::restore(&config, &data, &file).await,
        Command::Audit(AuditCommand::Verify { heads, checkpoints }) => {
            verify_audit(&config, &data, &heads, checkpoints).await
        }
        Command::Backup { file } => backup(&config, &data, &file).await,
        Command::Restore { file } => restore(&config, &data, &file).await,
        Command::Link(_) => bail!("handled before the runtime starts"),
        Command::Peer(cmd) => peer::run(&open_app(&config, &data).await?, cmd).await,
        Command::Exchange(cmd) => exchange_ops::run(&open_app(&config, &data).await?, cmd).await,
        Command::Relink => relink(&open_app(&config, &data).await?).await,
        Command::CheckTranslations => check_translations(),
    }
}

/// Marks the re-link jobs left `running` by a process that stopped as failed (at start-up).
async fn fail_interrupted_relinks(app: &App) {
    match app.fail_interrupted_relinks().await {
        Ok(ids) => {
            for job in ids {
                tracing::warn!(%job, "a re-link of persons was interrupted (the process stopped): marked failed");
            }
        }
        Err(e) => tracing::warn!(error = %e, "could not end the interrupted re-links of persons"),
    }
}

/// Once a day while serving, the first time at start: the retention job of every jurisdiction
/// on the instance ([`App::run_retention_everywhere`], docs/data-protection.md).
async fn run_retention_daily(app: App) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
    loop {
        tick.tick().await;
        match app.run_retention_everywhere().await {
            Ok(runs) => {
                for run in runs {
                    tracing::info!(
                        jurisdiction = %run.jurisdiction,
                        listed = run.listed,
                        erased = run.erased,
                        anonymised = run.anonymised,
                        reviewed = run.reviewed,
                        held = run.held,
                        failed = run.failed,
                        "retention job"
                    );
                }
            }
            Err(e) => tracing::warn!(error = %e, "the retention job failed; it runs again tomorrow"),
        }
    }
}

/// Every heartbeat while serving: [`App::sweep_interrupted_relinks`], and the networks' contacts
/// past their retention deleted ([`App::purge_network_contacts`]).
async fn sweep_interrupted_relinks(app: App) {
    let mut tick = tokio::time::interval(app.settings().relink_heartbeat);
    loop {
        tick.tick().await;
        match app.sweep_interrupted_relinks().await {
            Ok((ended, started)) => {
                for job in ended {
                    tracing::warn!(%job, "a re-link of persons was interrupted (its heartbeat stopped): marked failed");
                }
                if let Some(job) = started {
                    tracing::info!(%job, "re-linking persons in the background after an interrupted re-link");
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not end the interrupted re-links of persons"),
        }
        // Networks' contacts past their retention (docs/monitoring.md, "Networks").
        match app.purge_network_contacts().await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "contacts of networks past their retention deleted"),
            Err(e) => tracing::warn!(error = %e, "could not delete the contacts past their retention"),
        }
    }
}

/// `haven relink`: a full re-link of the persons as the server runs it, its progress printed.
async fn relink(app: &App) -> Result<()> {
    fail_interrupted_relinks(app).await;
    let id = app.start_relink(Some("operator")).await.context("starting the re-link")?;
    println!("re-linking persons (job {id})");
    let mut shown = -1;
    loop {
        let job = app.relink_job(&id).await?.context("the re-link job disappeared")?;
        if job.done != shown {
            println!("  {} of {} referred registrations read", job.done, job.total);
            shown = job.done;
        }
        match job.state.as_str() {
            "running" => tokio::time::sleep(std::time::Duration::from_millis(500)).await,
            "done" => {
                println!("done: {}", job.detail.unwrap_or_default());
                return Ok(());
            }
            _ => bail!("the re-link failed: {}", job.detail.unwrap_or_default()),
        }
    }
}

/// `haven audit verify`: the chain, and the heads recorded outside the database.
async fn verify_audit(config: &Config, data: &Path, heads: &[String], checkpoints: Option<PathBuf>) -> Result<()> {
    let anchors =
        heads.iter().map(|h| haven_crypto::AuditAnchor::parse(h).context("--head")).collect::<Result<Vec<_>>>()?;
    let checkpoints = match &checkpoints {
        None => Vec::new(),
        Some(file) => {
            let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
            haven_app::audit_anchor::parse_checkpoints(&text).with_context(|| format!("reading {}", file.display()))?
        }
    };
    let app = open_app(config, data).await?;
    let v = app.verify_audit_anchored(&anchors, &checkpoints).await.context("the audit log failed verification")?;
    println!("audit log intact: {} entries verified", v.entries);
    println!("head: entry {} mac {}", v.head_seq, v.head_mac);
    if !anchors.is_empty() || !checkpoints.is_empty() {
        println!("found in the log: {} recorded head(s) and {} checkpoint(s)", anchors.len(), checkpoints.len());
    }
    if v.head_seq > 0 {
        println!(
            "record this head elsewhere; later, `haven audit verify --head {}:{}` must find it in the chain",
            v.head_seq, v.head_mac
        );
    } else {
        println!("the log is empty: only a head recorded earlier (--head) or a checkpoint file can show it was wiped");
    }
    Ok(())
}

async fn serve(config: Config, data: &Path, args: ServeArgs) -> Result<()> {
    let app = open_app(&config, data).await?;
    if key_file_beside_database(&config, data) {
        tracing::warn!(
            "the master key file lies in the data folder, next to the SQLite database: whoever copies the folder \
             can read everything; keep the key elsewhere ([keys] master_key_file or HAVEN_MASTER_KEY)"
        );
    }
    if let Some((username, password)) = app.bootstrap_administrator(&config.instance.jurisdiction).await? {
        // Printed to the terminal only, never logged.
        println!("First start: created the administrator account.");
        println!("  username: {username}");
        println!("  password: {password}");
        println!("It must set up a second factor (authenticator app) under My account before administering.");
    }
    // The instance's re-trained person model, if any, for search, duplicate warnings and counts.
    let app = app.with_instance_person_model().await.context("reading the instance's person model")?;
    // A re-link left running by a process that stopped (killed, crashed): failed, with the reason.
    fail_interrupted_relinks(&app).await;
    // Persons clustered with another model (or never): re-linked in the background.
    match app.ensure_person_clusters().await {
        Ok(Some(job)) => tracing::info!(%job, "re-linking persons in the background: the person model changed"),
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "could not start the re-link of persons"),
    }
    // A re-link whose process stopped while this one serves (another server on the database
    // crashed, or this one restarted while the job's heartbeat was still fresh): ended, and the
    // re-link the clusters need started.
    let sweeping = tokio::spawn(sweep_interrupted_relinks(app.clone()));
    // The retention schedules, applied once a day (docs/data-protection.md).
    let retaining = tokio::spawn(run_retention_daily(app.clone()));
    // `haven keys rotate` and `retire` on this database are taken up while serving.
    let following = app.follow_key_changes(match master_key(&config, data)? {
        (_, Some(file)) => haven_app::keys::MasterKeySource::File(file),
        (given, None) => haven_app::keys::MasterKeySource::Given(given),
    });
    let listen = args.listen.unwrap_or_else(|| config.server.listen.clone());
    let web = haven_web::WebConfig {
        tls: config.server.tls,
        trust_forwarded_for: config.server.trust_forwarded_for,
        max_body_bytes: config.server.max_body_bytes,
        request_timeout: std::time::Duration::from_secs(config.server.request_timeout_seconds),
    };
    let router = haven_web::router(app.clone(), web)?;
    let checkpointer = checkpoints::Checkpointer::new(
        app.clone(),
        config.checkpoint_file(data),
        &config.audit.checkpoint_url,
        config.audit.checkpoint_every,
    )
    .await?;
    let (stop_checkpoints, stopped) = tokio::sync::watch::channel(false);
    let checkpointing = tokio::spawn(checkpointer.run(stopped));
    // The transnational exchange's own HTTPS listener and delivery loop, when configured.
    let exchange = exchange::start(&config.exchange, app.clone()).await?;
    let shutdown = shutdown_signal()?;
    let listener =
        tokio::net::TcpListener::bind(&listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    println!("Haven is serving on http://{address} ({} database)", app.store().backend_name());
    tracing::info!(%address, backend = app.store().backend_name(), "serving");
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await?;
    following.abort();
    sweeping.abort();
    retaining.abort();
    if let Some(exchange) = exchange {
        exchange.stop().await;
    }
    // The last checkpoint, once no request can add to the log any more.
    let _ = stop_checkpoints.send(true);
    match checkpointing.await {
        Ok(mut checkpointer) => {
            if let Err(e) = checkpointer.write().await {
                tracing::error!(error = %format!("{e:#}"), "the shutdown audit checkpoint could not be written");
            }
        }
        Err(e) => tracing::error!(error = %e, "the audit checkpoint task failed"),
    }
    tracing::info!("requests finished; closing the database");
    app.store().close().await;
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C; the server then stops accepting and finishes what is in
/// flight. The handlers are registered when this is called, not when the future is first
/// polled: a signal sent as soon as the server says it is serving is not lost to the default
/// action (an abrupt exit).
#[cfg(unix)]
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => {},
            _ = interrupt.recv() => {},
        }
        tracing::info!("shutting down");
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    })
}

async fn find_org(app: &App, org: &str) -> Result<String> {
    let orgs = app.organisations(Acting::Operator).await?;
    orgs.iter()
        .find(|o| o.id == org || o.name == org)
        .map(|o| o.id.clone())
        .with_context(|| format!("no organisation with id or name {org:?} (see `haven org list`)"))
}

async fn user_command(app: &App, cmd: UserCommand) -> Result<()> {
    match cmd {
        UserCommand::Create { username, display_name, org, roles } => {
            let organisation_id = find_org(app, &org).await?;
            let new = NewUser {
                username,
                display_name,
                organisation_id,
                roles: roles.split(',').map(|r| r.trim().to_owned()).collect(),
                password: None,
                language: None,
            };
            let (user, password) = app
                .create_user(Acting::Operator, &new)
                .await
                .with_context(|| format!("creating the user {}", new.username))?;
            println!("created user {} ({})", user.username, user.id);
            println!("initial password: {password}");
        }
        UserCommand::List => {
            let orgs = app.organisations(Acting::Operator).await?;
            for u in app.users(Acting::Operator).await? {
                let org = orgs.iter().find(|o| o.id == u.organisation_id).map_or("?", |o| o.name.as_str());
                println!(
                    "{:<24} {:<30} {:<40} {}{}{}",
                    u.username,
                    u.display_name,
                    org,
                    u.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(","),
                    if u.disabled { " [disabled]" } else { "" },
                    if u.totp_enrolled { " [totp]" } else { "" }
                );
            }
        }
        UserCommand::Disable { username } => {
            app.set_user_disabled(Acting::Operator, &username, true)
                .await
                .with_context(|| format!("user {username}"))?;
            println!("disabled {username}; its sessions and API tokens are revoked");
        }
        UserCommand::Enable { username } => {
            app.set_user_disabled(Acting::Operator, &username, false)
                .await
                .with_context(|| format!("user {username}"))?;
            println!("enabled {username}");
        }
        UserCommand::ResetPassword { username } => {
            let password =
                app.reset_password(Acting::Operator, &username).await.with_context(|| format!("user {username}"))?;
            println!("new password for {username}: {password}");
        }
    }
    Ok(())
}

async fn org_command(app: &App, cmd: OrgCommand) -> Result<()> {
    match cmd {
        OrgCommand::Create { name, kind, jurisdiction } => {
            let org = app.create_organisation(Acting::Operator, &name, &kind, &jurisdiction).await?;
            println!("created organisation {} ({})", org.name, org.id);
        }
        OrgCommand::List => {
            for o in app.organisations(Acting::Operator).await? {
                println!("{}  {:<4} {:<32} {}", o.id, o.jurisdiction, o.kind, o.name);
            }
        }
        OrgCommand::Kinds => {
            for k in haven_domain::OrganisationKind::ALL {
                println!("{k}");
            }
        }
    }
    Ok(())
}

async fn rotate_keys(config: &Config, data: &Path, resume: bool, batch: i64) -> Result<()> {
    // Opening Haven checks the current key (and gives an audited store).
    let app = open_app(config, data).await?;
    let store = app.store();
    let (old, path) = master_key(config, data)?;
    let keyring = if resume {
        haven_app::keys::load(store, &old).await?
    } else {
        let rotated = match haven_app::keys::rotate(store, &old, path.as_deref(), app.now()).await {
            Ok(rotated) => rotated,
            Err(haven_app::keys::RotateError::Rewrap(haven_app::AppError::WrongMasterKey)) => {
                return Err(wrong_master_key().context("re-wrapping the data keys"));
            }
            Err(e) => return Err(e.into()),
        };
        let (keyring, n) = (rotated.keyring, rotated.stored);
        match &path {
            Some(path) => {
                println!(
                    "new field key {}; {n} data keys re-wrapped; the new master key is in {}",
                    keyring.active_field_key_id(),
                    path.display()
                );
            }
            None => {
                println!(
                    "new field key {}; {n} data keys re-wrapped under a new master key. Set HAVEN_MASTER_KEY to:",
                    keyring.active_field_key_id()
                );
                println!("{}", rotated.new_master.encode());
                println!(
                    "keep the previous key apart as long as backups made under it are kept: a key given in \
                     HAVEN_MASTER_KEY carries no history (a key file does)"
                );
            }
        }
        // The blind-index and audit keys are kept: the chain goes on.
        let event = AuditEvent::new(app.now(), AuditAction::KeysRotated, AuditOutcome::Success)
            .on("database", store.backend_name(), None)
            .detail(format!(
                "operator console; new field key {}; {n} data keys re-wrapped",
                keyring.active_field_key_id()
            ));
        if let Err(e) = store.append_audit(&event).await {
            tracing::error!(error = %e, "the key rotation could not be recorded in the audit log");
        }
        keyring
    };
    // Running servers load the new field key within seconds; once they all write under it, one
    // pass leaves nothing under the old one.
    let wait = haven_app::keys::seconds_until_settled(store, app.now()).await?;
    if wait > 0 {
        println!("waiting {wait} s for running servers to load field key {}", keyring.active_field_key_id());
        tokio::time::sleep(std::time::Duration::from_secs(wait.unsigned_abs())).await;
    }
    println!("re-encrypting the stored fields under field key {}", keyring.active_field_key_id());
    let done = haven_app::keys::reencrypt_fields(store, &keyring, batch, |p| {
        println!(
            "  {}.{}: {} re-encrypted, {} done before, {} changed meanwhile",
            p.table, p.column, p.reencrypted, p.already, p.skipped
        );
    })
    .await
    .context("re-encrypting (run `haven keys rotate --resume` to go on where it stopped)")?;
    let skipped: u64 = done.iter().map(|p| p.skipped).sum();
    let total: u64 = done.iter().map(|p| p.reencrypted).sum();
    println!("re-encrypted {total} fields");
    if skipped > 0 {
        println!("{skipped} fields changed during the pass: run `haven keys rotate --resume` again");
    }
    println!(
        "running servers that read the key file use the new keys already (no restart); restart any server given \
         HAVEN_MASTER_KEY with the new key, then run `haven keys rotate --resume` once more. `haven keys list` \
         shows the fields still under each key; retire a field key none use with `haven keys retire ID --yes`"
    );
    Ok(())
}

async fn list_keys(config: &Config, data: &Path) -> Result<()> {
    let app = open_app(config, data).await?;
    let (master, _) = master_key(config, data)?;
    let keyring = haven_app::keys::load(app.store(), &master).await?;
    let uses = haven_app::keys::field_key_use(app.store()).await?;
    let active = keyring.active_field_key_id();
    for (id, purpose) in keyring.key_ids() {
        let mut line = format!("{id}\t{purpose}");
        if purpose == haven_crypto::KeyPurpose::Field {
            line.push_str(&format!("\t{} fields", uses.get(&id).copied().unwrap_or(0)));
            if id == active {
                line.push_str("\tactive");
            }
        }
        println!("{line}");
    }
    if let (_, Some(path)) = master_key(config, data)? {
        for previous in master.read_history(&path).with_context(|| format!("reading {}", path.display()))? {
            println!("{}\tearlier master key (restores older backups)", previous.fingerprint());
        }
    }
    Ok(())
}

async fn retire_key(config: &Config, data: &Path, id: &str, yes: bool) -> Result<()> {
    if !yes {
        bail!("retiring key {id} destroys it: nothing it encrypted can be read again; confirm with --yes");
    }
    let app = open_app(config, data).await?;
    let (master, path) = master_key(config, data)?;
    let what = if let Ok(n) = id.parse::<u32>() {
        haven_app::keys::retire_data_key(app.store(), &master, n, app.now()).await.context("retiring the key")?;
        format!("data key {n}")
    } else {
        let Some(path) = path else {
            bail!("a key given in HAVEN_MASTER_KEY has no history: there is no earlier master key {id} to retire");
        };
        let history = master.read_history(&path).with_context(|| format!("reading {}", path.display()))?;
        let kept: Vec<MasterKey> = history.iter().filter(|k| k.fingerprint() != id).cloned().collect();
        if kept.len() == history.len() {
            bail!("no data key or earlier master key {id} (see `haven keys list`)");
        }
        master.write_with_history(&path, &kept).with_context(|| format!("writing {}", path.display()))?;
        format!("earlier master key {id}")
    };
    let event = AuditEvent::new(app.now(), AuditAction::KeysRotated, AuditOutcome::Success)
        .on("database", app.store().backend_name(), None)
        .detail(format!("operator console; {what} retired"));
    if let Err(e) = app.store().append_audit(&event).await {
        tracing::error!(error = %e, "the key retirement could not be recorded in the audit log");
    }
    println!("{what} retired");
    Ok(())
}

async fn backup(config: &Config, data: &Path, file: &Path) -> Result<()> {
    // Opening Haven checks the master key against the database's keys: a backup encrypted
    // under a wrong key would be one nobody can restore.
    let app = open_app(config, data).await?;
    let (master, _) = master_key(config, data)?;
    // Every victim's field under its own subject key first, so that erasing the person later
    // makes this backup's copy unreadable too (crypto-shredding).
    key_store::convert(&app, 200, true).await?;
    // Recorded first, so that no backup exists without its entry (and the backup holds it).
    let event = AuditEvent::new(app.now(), AuditAction::Backup, AuditOutcome::Success)
        .on("database", app.store().backend_name(), None)
        .detail("operator console");
    app.store().append_audit(&event).await.context("recording the backup in the audit log")?;
    let mut plain: Vec<u8> = Vec::new();
    let rows = app.store().dump(&mut plain).await.context("reading the database")?;
    let tmp = file.with_extension("partial");
    {
        let mut out = create_private(&tmp)?;
        haven_crypto::encrypt_backup(&master, &mut plain.as_slice(), &mut out).context("encrypting the backup")?;
        out.flush()?;
        out.sync_all()?;
    }
    std::fs::rename(&tmp, file).with_context(|| format!("writing {}", file.display()))?;
    println!("backup of {rows} rows written to {} (encrypted under the master key)", file.display());
    Ok(())
}

fn create_private(path: &Path) -> Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).with_context(|| format!("creating {}", path.display()))
}

async fn restore(config: &Config, data: &Path, file: &Path) -> Result<()> {
    let (master, path) = master_key(config, data)?;
    let backup_file = file;
    let mut input = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let mut plain = Vec::new();
    // A backup made before a key rotation: one of the earlier master keys the key file keeps.
    let mut under = master.clone();
    match haven_crypto::decrypt_backup(&master, &mut input, &mut plain) {
        Ok(()) => {}
        Err(haven_crypto::CryptoError::WrongMasterKey) if path.is_some() => {
            let file = path.as_deref().unwrap_or(Path::new(""));
            let history = master.read_history(file).with_context(|| format!("reading {}", file.display()))?;
            let mut found = false;
            for previous in history {
                let mut input =
                    std::fs::File::open(backup_file).with_context(|| format!("opening {}", backup_file.display()))?;
                plain.clear();
                match haven_crypto::decrypt_backup(&previous, &mut input, &mut plain) {
                    Ok(()) => {
                        under = previous;
                        found = true;
                        break;
                    }
                    Err(haven_crypto::CryptoError::WrongMasterKey) => {}
                    Err(e) => return Err(anyhow::Error::new(e).context("decrypting the backup")),
                }
            }
            if !found {
                return Err(anyhow::Error::new(haven_crypto::CryptoError::WrongMasterKey)
                    .context("decrypting the backup (neither the master key nor an earlier one in its key file)"));
            }
        }
        Err(e) => return Err(anyhow::Error::new(e).context("decrypting the backup")),
    }
    let store = open_store(config, data).await?;
    let rows = store.restore(&mut plain.as_slice()).await.context("restoring")?;
    if under.fingerprint() != master.fingerprint() {
        haven_app::keys::rewrap_data_keys(&store, &under, &master)
            .await
            .context("putting the restored data keys under the current master key")?;
        println!(
            "the backup was made under the earlier master key {}; its data keys are now wrapped under the current \
             one (run `haven keys rotate` to re-key the restored data too)",
            under.fingerprint()
        );
    }
    // The restored keys open under this master key; the restore goes on the restored chain.
    let app = App::open(store, &master, Arc::new(SystemClock), settings(config))
        .await
        .context("opening the restored database")?;
    let event = AuditEvent::new(app.now(), AuditAction::Restore, AuditOutcome::Success)
        .on("database", app.store().backend_name(), None)
        .detail(format!("operator console; {rows} rows"));
    app.store().append_audit(&event).await.context("recording the restore in the audit log")?;
    println!("restored {rows} rows");
    Ok(())
}

/// Prints how each translation compares with English; fails when one is incomplete.
fn check_translations() -> Result<()> {
    let reports = haven_web::i18n::check_translations()?;
    for report in &reports {
        print!("{report}");
    }
    if reports.iter().all(haven_web::i18n::CatalogueReport::is_complete) {
        Ok(())
    } else {
        bail!("some translations are incomplete: see the report above")
    }
}
