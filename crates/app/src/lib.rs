//! Haven's use cases. Every operation takes the acting [`Principal`], asks
//! [`haven_domain::access`] whether it may proceed (the one place authorisation is decided),
//! encrypts what it stores, and leaves an audit entry. Time comes from the [`Clock`] given in.

pub mod accounts;
pub mod admin;
pub mod annual_report;
pub mod assist;
pub mod assist_records;
pub mod audit_anchor;
pub mod auth;
pub mod cases;
pub mod clock;
pub mod erasure;
pub mod error;
#[allow(dead_code)]
pub(crate) mod exchange_inbound;
pub mod exchange_own_keys;
pub mod exchange_peers;
pub mod exchange_persons;
pub mod exchange_progress;
pub mod exchange_referrals;
pub mod exchange_retention;
pub mod exchange_statistics;
pub mod exchange_transport;
pub mod greta;
pub mod ident;
pub mod keys;
pub mod leaflet;
pub mod limiter;
pub mod monitoring;
pub mod networks;
pub mod person_review;
pub mod prevention;
pub mod proceedings;
pub mod proceedings_money;
pub mod proceedings_persons;
pub mod proceedings_victims;
pub mod queues;
pub mod representation;
pub mod retention;
pub mod stats;
pub mod stats_proceedings;
pub mod strategy;
pub mod subject_keys;
pub mod subject_requests;

pub use auth::{LoginRequest, Principal};
pub use clock::{Clock, FixedClock};
pub use error::{AppError, AppResult, Problem};

use haven_crypto::MasterKey;
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_domain::{Permission, permission_allowed};
use haven_storage::Store;
use std::sync::Arc;

/// Settings the use cases need.
#[derive(Debug, Clone)]
pub struct AppSettings {
    /// A session ends after this many seconds without a request.
    pub session_idle_seconds: i64,
    /// A session ends this many seconds after login, whatever happens.
    pub session_absolute_seconds: i64,
    /// An API token stops working this many seconds after it was created.
    pub api_token_seconds: i64,
    /// Failed logins allowed per account in the window before it is locked for the window.
    pub login_failures_per_account: u32,
    /// Failed logins allowed per client address in the window.
    pub login_failures_per_address: u32,
    pub login_window_seconds: i64,
    /// The privacy budget of each dataset (a country's case data for one reference year) that
    /// differentially private releases draw on, as (ε, δ) decimals.
    pub privacy_budget: (String, String),
    /// How often (wall time) the process running a re-link job of persons writes the job's
    /// heartbeat ([`App::keep_relink_alive`]).
    pub relink_heartbeat: std::time::Duration,
    /// A running re-link job whose heartbeat is older than this many seconds (by the clock) has
    /// lost its process ([`App::fail_interrupted_relinks`]); several heartbeats long, so that a
    /// busy process is not taken for a dead one.
    pub relink_stale_seconds: i64,
    /// New case data is written under field keys, not under each case's own subject key: an
    /// instance that has not switched to crypto-shredding yet (docs/keys.md). Off by default;
    /// `haven keys subjects`, `haven backup` and an erasure move fields under subject keys
    /// whatever this says.
    pub case_data_under_field_keys: bool,
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            session_idle_seconds: 30 * 60,
            session_absolute_seconds: 12 * 60 * 60,
            api_token_seconds: 90 * 24 * 60 * 60,
            login_failures_per_account: 5,
            login_failures_per_address: 20,
            login_window_seconds: 15 * 60,
            privacy_budget: ("4".to_owned(), "0.000001".to_owned()),
            relink_heartbeat: std::time::Duration::from_secs(15),
            relink_stale_seconds: 120,
            case_data_under_field_keys: false,
        }
    }
}

/// The application: storage, keys, clock and settings. Cheap to clone.
#[derive(Clone)]
pub struct App {
    pub(crate) store: Store,
    /// The data keys, replaced whole when a rotation or a retirement changes them
    /// ([`App::follow_key_changes`]).
    pub(crate) keys: Arc<keys::LiveKeyring>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) settings: AppSettings,
    pub(crate) limiter: Arc<limiter::LoginLimiter>,
    /// A hash of a password nobody has, checked when a username is unknown so that unknown and
    /// known usernames take the same time.
    pub(crate) dummy_hash: Arc<String>,
    /// Reference data: forms of exploitation, indicator lists, jurisdiction profiles.
    pub(crate) reference: Arc<ident::Reference>,
    /// Assistance settings: what referrals share, due dates, transfers.
    pub(crate) assist: Arc<assist::AssistSettings>,
    /// The person model in use, replaced whole while serving ([`App::install_person_model`]),
    /// with the state of the candidate index for it.
    pub(crate) person_model: Arc<ident::LivePersonModel>,
    /// National practice in criminal proceedings replacing a country's built-in profile
    /// ([`App::with_proceedings_practice`]).
    pub(crate) proceedings_practice: Arc<Vec<haven_domain::proceedings::penalty::NationalPractice>>,
    /// The versions of the retention profiles: the built-in ones, or a test's
    /// ([`App::with_retention_profiles`]).
    pub(crate) retention_profiles: Arc<haven_domain::retention::RetentionProfiles>,
}

impl App {
    /// Loads (or, on a new database, creates) the data keys under `master` and wires the
    /// audit chain. A master key that does not match gives [`AppError::WrongMasterKey`]. A
    /// server then follows key rotations with [`App::follow_key_changes`].
    pub async fn open(
        store: Store,
        master: &MasterKey,
        clock: Arc<dyn Clock>,
        settings: AppSettings,
    ) -> AppResult<App> {
        let keys = keys::load_or_create(&store, master, clock.now()).await?;
        let keys = Arc::new(keys);
        let store = store.with_audit_signer(Arc::new(keys::Signer(keys.audit_key())));
        let limiter = Arc::new(limiter::LoginLimiter::new(
            settings.login_failures_per_account,
            settings.login_failures_per_address,
            settings.login_window_seconds,
        ));
        let dummy_hash =
            tokio::task::spawn_blocking(|| haven_crypto::hash_password(&haven_crypto::generate_password()))
                .await
                .map_err(|e| AppError::Internal(Box::new(e)))??;
        let reference = Arc::new(ident::Reference::defaults()?);
        let person_model = Arc::new(ident::LivePersonModel::new(reference.person_model.clone()));
        let assist = Arc::new(assist::AssistSettings::defaults()?);
        let retention_profiles =
            Arc::new(haven_domain::retention::RetentionProfiles::built_in().map_err(AppError::Invalid)?);
        Ok(App {
            store,
            keys,
            clock,
            settings,
            limiter,
            dummy_hash: Arc::new(dummy_hash),
            reference,
            assist,
            person_model,
            proceedings_practice: Arc::default(),
            retention_profiles,
        })
    }

    /// Replaces the reference data (the defaults plus an operator's additions).
    pub fn with_reference(mut self, reference: ident::Reference) -> App {
        // the person model may have changed: the candidate index is checked again
        self.person_model = Arc::new(ident::LivePersonModel::new(reference.person_model.clone()));
        self.reference = Arc::new(reference);
        self
    }

    /// Replaces the assistance settings (an operator's sharing rules).
    pub fn with_assist_settings(mut self, settings: assist::AssistSettings) -> App {
        self.assist = Arc::new(settings);
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn settings(&self) -> &AppSettings {
        &self.settings
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// HMAC with the session key (CSRF tokens are bound to sessions with it).
    pub fn session_mac(&self, data: &[u8]) -> [u8; 32] {
        self.keys.session_mac(data)
    }

    /// Route-level check, audited when denied.
    pub async fn require(&self, principal: &Principal, permission: Permission) -> AppResult<()> {
        if permission_allowed(&principal.actor.roles, permission) {
            return Ok(());
        }
        self.audit_denied(principal, "permission", &format!("{permission:?}"), None).await;
        Err(AppError::Forbidden)
    }

    pub(crate) async fn audit_denied(&self, principal: &Principal, kind: &str, id: &str, org: Option<&str>) {
        let event = AuditEvent::new(self.now(), AuditAction::AccessDenied, AuditOutcome::Denied)
            .by(&principal.user.id, &principal.user.organisation_id)
            .on(kind, id, org)
            .from_address(principal.address.as_deref());
        if let Err(e) = self.store.append_audit(&event).await {
            tracing::error!(error = %e, "could not record a denied access");
        }
    }

    pub(crate) fn event(&self, principal: &Principal, action: AuditAction) -> AuditEvent {
        AuditEvent::new(self.now(), action, AuditOutcome::Success)
            .by(&principal.user.id, &principal.user.organisation_id)
            .from_address(principal.address.as_deref())
    }

    /// Whether the database answers.
    pub async fn ready(&self) -> bool {
        self.store.ping().await.is_ok()
    }
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A new case's reference: its jurisdiction and the first eight hex digits of its id (`LV-1A2B3C4D`).
/// Not unique by construction (32 bits): a writer draws again when the store says it is taken.
pub(crate) fn new_reference(jurisdiction: haven_domain::Jurisdiction, case_id: &str) -> String {
    let suffix: String = case_id.chars().filter(char::is_ascii_hexdigit).take(8).collect::<String>().to_uppercase();
    format!("{}-{}", jurisdiction.code(), suffix)
}

/// Times a new case is written under a fresh id and reference before a taken reference is an error.
pub(crate) const NEW_REFERENCE_ATTEMPTS: u32 = 4;
