//! Identification and the national referral mechanism: registration (draft and referral),
//! decision support (indicators, the Art 2 test, age), status decisions of the competent
//! authority, statutory clocks, residence and non-punishment records, anonymous notifications
//! and finding a person again. Every operation is authorised in `haven_domain::access` and
//! audited; identifiers and narratives are encrypted before they reach storage.

use crate::{App, AppError, AppResult, NEW_REFERENCE_ATTEMPTS, Principal, new_id, new_reference};
use haven_crypto::FieldContext;
use haven_domain::access::{
    Action, CaseScope, Compartment, Decision as Access, authorize, may_review_pair, may_see_case,
};
use haven_domain::audit::AuditAction;
use haven_domain::case::{CalendarDate, Sex};
use haven_domain::ident::age::{AgeGroup, AgeStatus};
use haven_domain::ident::forms::{FormCatalogue, FormId, StatGroup};
use haven_domain::ident::indicators::{Evaluation, IndicatorList};
use haven_domain::ident::legal_test::{LegalTestResult, legal_test};
use haven_domain::ident::procedure::{MemberVote, Procedure};
use haven_domain::ident::profile::{
    ClockError, ClockInputs, Clocks, DeadlineState, ProfileError, ProfileSet, ProfileVersion,
};
use haven_domain::ident::record::{ChildStatus, Registration, RegistrationState};
use haven_domain::ident::residence::{
    CriminalMatter, InternationalProtectionApplication, NonPunishmentNotice, PermitRules, ReflectionRules,
    ReflectionTermination, RemovalProtection, ResidencePermitApplication, ResidencePermitDecision,
    non_punishment_notice, removal_protection,
};
use haven_domain::ident::status::{CaseStatus, Decision, DecisionKind, NrmStatus, fold};
use haven_domain::org::CountryCode;
use haven_domain::text::Narrative;
use haven_domain::{Coded, Jurisdiction, Message, MessageId, ParseError, Permission};
use haven_storage::{
    CaseOverviewRow, CaseRecordRow, CaseRow, DecisionRow, IdentifierLookup, NewSubjectKey, NotificationRow, PersonRow,
    RegistrationRow, StatusColumns, StorageError, SubjectKeyRow,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

mod htcds;
pub(crate) mod linkage;
mod persons;
mod referred;

pub use linkage::{DUPLICATE_WARNING_PROBABILITY, FieldReason, PERSON_MODEL_FILE, PersonClusters, PersonModel};
use linkage::{PersonFacts, PersonIndex, block_key_basis, block_key_pairs};

/// A blocking key held by more cases than this is looked up by its refined keys instead
/// ([`App::block_candidates`]).
const BLOCK_LOOKUP_BOUND: usize = 400;
pub use persons::RelinkJob;

/// The organisation a new case belongs to, and its jurisdiction (the case's reference begins with it).
#[derive(Clone, Copy)]
pub(crate) struct CaseOwner<'a> {
    pub organisation_id: &'a str,
    pub jurisdiction: haven_domain::Jurisdiction,
}

/// The person model in use, replaceable while serving as the keyring is: a reader holds the
/// model it took whole, whatever replaces it meanwhile. With it, whether the candidate index
/// was checked against it (set once per model).
pub(crate) struct LivePersonModel {
    current: std::sync::RwLock<(Arc<PersonModel>, Arc<tokio::sync::OnceCell<()>>)>,
}

impl LivePersonModel {
    pub(crate) fn new(model: PersonModel) -> LivePersonModel {
        LivePersonModel { current: std::sync::RwLock::new((Arc::new(model), Arc::default())) }
    }

    /// The model in use and the candidate index's state for it.
    pub(crate) fn current(&self) -> (Arc<PersonModel>, Arc<tokio::sync::OnceCell<()>>) {
        let g = self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        (Arc::clone(&g.0), Arc::clone(&g.1))
    }

    /// Puts `model` in use; the candidate index is checked (and rebuilt if its basis changed)
    /// by the next reader.
    fn replace(&self, model: PersonModel) {
        *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = (Arc::new(model), Arc::default());
    }
}

impl std::fmt::Debug for LivePersonModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("LivePersonModel").field(&self.current().0.label()).finish()
    }
}

impl App {
    /// The person model in use now: search, duplicate warnings, clusters and counts. It stays
    /// whole while held, whatever [`App::install_person_model`] puts in its place meanwhile.
    pub fn person_model(&self) -> Arc<PersonModel> {
        self.person_model.current().0
    }

    /// Puts `model` in use while serving: the candidate index is rebuilt for it when its
    /// blocking keys differ (on the next read), and a full re-link of the persons starts in the
    /// background, since the clusters' basis changes with the model (counts link the
    /// registrations themselves until it is done). Everything that took the model before keeps
    /// the one it took.
    pub async fn install_person_model(&self, model: PersonModel) -> AppResult<()> {
        self.person_model.replace(model);
        self.ensure_linkage_index().await?;
        self.start_relink_if_idle().await?;
        Ok(())
    }
}

/// Reference data the rules run on, loaded as data.
#[derive(Debug)]
pub struct Reference {
    pub forms: &'static FormCatalogue,
    pub indicator_lists: Vec<IndicatorList>,
    pub profiles: ProfileSet,
    /// The person-linkage model: search, duplicate warnings, person counts.
    pub person_model: PersonModel,
}

impl Reference {
    /// The embedded defaults: the exploitation forms, the ILO/EC adult labour list, the
    /// LV/EE/LT profiles, the person-linkage model "persons v1".
    pub fn defaults() -> AppResult<Self> {
        Ok(Self {
            forms: FormCatalogue::embedded()?,
            indicator_lists: vec![IndicatorList::ilo_adult_labour()?.clone()],
            profiles: ProfileSet::defaults()?,
            person_model: PersonModel::built_in()?,
        })
    }

    /// Replaces the person-linkage model with an operator's ([`PERSON_MODEL_FILE`] in the
    /// reference directory). A model that does not load, or that Haven cannot feed, is refused
    /// with an error naming the file.
    pub fn with_person_model(mut self, toml: &str) -> AppResult<Self> {
        self.person_model = PersonModel::from_operator_file(toml)?;
        Ok(self)
    }

    /// The defaults plus lists and profiles an operator added as data files.
    pub fn with_extras(lists: Vec<IndicatorList>, profile_tomls: &[String]) -> AppResult<Self> {
        let mut reference = Self::defaults()?;
        for list in lists {
            reference.indicator_lists.retain(|l| l.id != list.id);
            reference.indicator_lists.push(list);
        }
        if !profile_tomls.is_empty() {
            reference.profiles = ProfileSet::load(profile_tomls)?;
        }
        Ok(reference)
    }

    pub fn list(&self, id: &str) -> Option<&IndicatorList> {
        self.indicator_lists.iter().find(|l| l.id.as_str() == id)
    }
}

/// A case in a list: coded values only, no personal data.
#[derive(Debug, Clone, Serialize)]
pub struct CaseListItem {
    pub id: String,
    pub reference: String,
    pub owner_organisation_id: String,
    pub jurisdiction: String,
    pub created_at: i64,
    pub state: Option<RegistrationState>,
    pub nrm_status: Option<String>,
    pub referred_on: Option<String>,
    pub sex: Option<String>,
    pub age_group: Option<String>,
    pub child_status: Option<String>,
    pub forms: Vec<String>,
    pub shared_with: Vec<haven_domain::access::CaseShare>,
}

/// Filters of the case list.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CaseFilter {
    pub state: Option<String>,
    pub nrm_status: Option<String>,
    pub child: Option<bool>,
    pub form: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// One statutory clock of a case.
#[derive(Debug, Clone, Serialize)]
pub struct ClockView {
    /// `first_decision`, `reflection_end`, `final_decision`, `guardian`.
    pub clock: &'static str,
    pub due: String,
    pub done_on: Option<String>,
    /// `done`, `upcoming`, `due_soon`, `due_today`, `overdue`.
    pub state: &'static str,
    pub overdue_days: u32,
}

fn state_code(state: DeadlineState) -> (&'static str, u32) {
    match state {
        DeadlineState::Done => ("done", 0),
        DeadlineState::Upcoming => ("upcoming", 0),
        DeadlineState::DueSoon => ("due_soon", 0),
        DeadlineState::DueToday => ("due_today", 0),
        DeadlineState::Overdue { days } => ("overdue", days),
    }
}

/// A recorded decision, as shown.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    pub seq: u32,
    pub kind: DecisionKind,
    pub label: &'static str,
    pub decided_on: String,
    pub reasons: Option<String>,
    pub corrects: Option<u32>,
    pub corrected_by: Option<u32>,
    pub decided_by: String,
    pub recorded_at: i64,
    /// A commission's recorded votes.
    pub votes: Vec<MemberVote>,
}

/// A record that followed the registration (residence, protection, criminal matter).
#[derive(Debug, Clone, Serialize)]
pub struct CaseRecordView {
    pub id: String,
    pub kind: String,
    pub body: serde_json::Value,
    pub created_at: i64,
}

/// The indicators of one list, evaluated.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub list: String,
    pub name: String,
    pub evaluation: Evaluation,
}

/// Everything the case page shows.
#[derive(Debug, Clone, Serialize)]
pub struct CaseFile {
    pub id: String,
    pub reference: String,
    pub owner_organisation_id: String,
    pub jurisdiction: String,
    pub state: RegistrationState,
    pub version: i64,
    pub registration: Registration,
    pub today: String,
    pub age: AgeStatus,
    pub child_status: ChildStatus,
    pub legal_test: LegalTestResult,
    pub indicators: Vec<IndicatorView>,
    pub referred_on: Option<String>,
    pub status: Option<NrmStatus>,
    pub status_text: Option<&'static str>,
    /// Assistance from the referral: the reasonable-grounds indication (Dir 2011/36 Art 11(2)).
    pub assistance_since: Option<String>,
    /// Since when the person is a presumed victim, as the procedure says.
    pub presumed_since: Option<String>,
    /// A presumed victim now.
    pub presumed_victim: bool,
    /// The identification procedure the case follows (pinned at referral; the one in force for a
    /// draft).
    pub procedure: Option<Procedure>,
    /// The reflection period of the residence-permit route ended on renewed contact
    /// (Dir 2004/81 Art 6(4)); the Convention's period is not ended by it.
    pub permit_route_reflection_ended: Option<String>,
    pub allowed_decisions: Vec<DecisionKind>,
    pub correctable: Option<(u32, Vec<DecisionKind>)>,
    pub next_seq: u32,
    pub decisions: Vec<DecisionView>,
    pub clocks: Vec<ClockView>,
    pub reflection: Option<haven_domain::ident::residence::ReflectionPeriod>,
    pub removal: Option<RemovalProtection>,
    pub non_punishment: Option<NonPunishmentNotice>,
    /// A non-punishment notice exists (shown to everyone who sees the case; details need the
    /// proceedings compartment).
    pub non_punishment_flag: bool,
    pub records: Vec<CaseRecordView>,
    pub guardian_missing: bool,
    /// What the principal may do with the case, as the access module answers.
    pub actions: haven_domain::access::CaseActions,
}

/// A request for a status decision. `seq` is the position the decision takes (the case's
/// `next_seq` as the decision maker saw it): of two concurrent decisions, one wins.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    pub seq: u32,
    pub kind: String,
    pub decided_on: String,
    #[serde(default)]
    pub reasons: String,
    #[serde(default)]
    pub corrects: Option<u32>,
    /// A commission's votes, each member's recorded (where the procedure decides by commission).
    #[serde(default)]
    pub votes: Vec<MemberVote>,
}

/// A request to reconsider a negative decision (by the referring or supporting organisation).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReconsiderationInput {
    /// The position the request takes (the case's `next_seq` as loaded).
    pub seq: u32,
    pub requested_on: String,
    /// Why the decision should be reconsidered.
    pub reasons: String,
}

/// A record that follows a registration: its kind and its fields as text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseRecordInput {
    pub kind: String,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// An anonymous notification: only what statistics need, nothing that identifies the person.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationInput {
    pub notified_on: String,
    pub sex: String,
    pub age_group: String,
    #[serde(default)]
    pub citizenship: String,
    #[serde(default)]
    pub forms: Vec<String>,
}

/// Search by name (fuzzy), date of birth or document number (exact, by keyed index).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchInput {
    pub name: String,
    pub date_of_birth: String,
    pub document: String,
}

/// A person found, within the searcher's scope.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub case_id: String,
    pub reference: String,
    pub name: String,
    pub date_of_birth: Option<String>,
    /// 0..1: 1 for an exact identifier (a document number, or a date of birth searched alone),
    /// otherwise the linkage engine's match probability.
    pub score: f64,
    /// `name` (found by the linkage engine), `date_of_birth`, `document` (exact, keyed index).
    pub matched_on: Vec<&'static str>,
    /// The linkage engine's match probability, when it compared the two persons.
    pub probability: Option<f64>,
    /// Why the engine scored so: each field's comparison level and weight.
    pub explanation: Vec<FieldReason>,
}

/// A line of the deadlines dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct DeadlineItem {
    pub case_id: String,
    pub reference: String,
    pub owner_organisation_id: String,
    pub nrm_status: String,
    /// A child or a presumed child: every child protection applies.
    pub child: bool,
    /// Which of the two (or neither), so a list can say "presumed child" and not claim a verified age.
    pub child_status: ChildStatus,
    #[serde(flatten)]
    pub clock: ClockView,
}

/// A registration saved: its case and the possible duplicates found.
#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    pub id: String,
    pub reference: String,
    pub version: i64,
    pub state: RegistrationState,
    pub possible_duplicates: Vec<SearchHit>,
}

pub(crate) fn ctx<'a>(table: &'a str, column: &'a str, row: &'a str) -> FieldContext<'a> {
    FieldContext { table, column, row }
}

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(Box::new(e))
}

fn opt_date(field: &str, s: &Option<String>) -> AppResult<Option<CalendarDate>> {
    match s {
        Some(v) => Ok(Some(CalendarDate::parse(field, v)?)),
        None => Ok(None),
    }
}

/// Order-independent name key for the exact name index.
fn name_key(reg: &Registration) -> String {
    let mut parts: Vec<String> = reg
        .person
        .given_names
        .split_whitespace()
        .chain(reg.person.family_names.split_whitespace())
        .map(str::to_lowercase)
        .collect();
    parts.sort();
    parts.join(" ")
}

/// What a search hit shows of a person: display name and date of birth.
struct Shown {
    name: String,
    date_of_birth: Option<String>,
}

fn shown(given: &str, family: &str, aliases: &[String], date_of_birth: Option<String>) -> Shown {
    let display = format!("{given} {family}").trim().to_owned();
    Shown {
        name: if display.is_empty() { aliases.first().cloned().unwrap_or_default() } else { display },
        date_of_birth,
    }
}

fn rounded(p: f64) -> f64 {
    (p * 1000.0).round() / 1000.0
}

impl App {
    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    /// Today's date (UTC) from the application clock.
    pub fn today(&self) -> CalendarDate {
        CalendarDate::from_unix_seconds(self.now()).unwrap_or(CalendarDate { year: 2000, month: 1, day: 1 })
    }

    fn country_of(&self, jurisdiction: Jurisdiction) -> AppResult<CountryCode> {
        match jurisdiction {
            Jurisdiction::Country(c) => Ok(c),
            Jurisdiction::EuropeanUnion => Err(AppError::said(
                "jurisdiction",
                "cases are registered in a country; the EU level holds statistics only",
                MessageId::EuRegistersNoCases,
            )),
        }
    }

    pub(crate) fn profile_for(&self, jurisdiction: Jurisdiction, on: CalendarDate) -> AppResult<&ProfileVersion> {
        let country = self.country_of(jurisdiction)?;
        self.reference
            .profiles
            .version_on(country, on)
            .map_err(|e| AppError::Invalid(ParseError::said("jurisdiction", e.to_string(), profile_message(&e))))
    }

    fn encrypt_registration(&self, case_id: &str, reg: &Registration) -> AppResult<Vec<u8>> {
        let json = serde_json::to_string(reg).map_err(internal)?;
        Ok(self.keys.encrypt_str(&ctx("registrations", "record", case_id), &json))
    }

    pub(crate) fn decrypt_registration(&self, row: &RegistrationRow) -> AppResult<Registration> {
        let json = self.keys.decrypt_str(&ctx("registrations", "record", &row.case_id), &row.record)?;
        serde_json::from_str(&json).map_err(internal)
    }

    pub(crate) fn person_row(&self, case_id: &str, reg: &Registration) -> AppResult<PersonRow> {
        let identity = reg.identity();
        let aliases = serde_json::to_string(&identity.aliases).map_err(internal)?;
        Ok(PersonRow {
            case_id: case_id.to_owned(),
            given_names: self.keys.encrypt_str(&ctx("persons", "given_names", case_id), &identity.given_names),
            family_names: self.keys.encrypt_str(&ctx("persons", "family_names", case_id), &identity.family_names),
            aliases: self.keys.encrypt_str(&ctx("persons", "aliases", case_id), &aliases),
            date_of_birth: identity
                .date_of_birth
                .map(|d| self.keys.encrypt_str(&ctx("persons", "date_of_birth", case_id), &d.to_string())),
            sex: identity.sex,
            name_index: self.keys.blind_index("person_name", &name_key(reg)).to_vec(),
        })
    }

    /// The keyed blind indexes of a registration: its date of birth, its document numbers and
    /// its blocking keys for person linkage (the candidate index, see [`App::search_scope`]).
    /// `registered_at` is when the case was created (an age estimate is turned into a year of
    /// birth from that day).
    pub(crate) fn identifiers(&self, reg: &Registration, registered_at: i64) -> AppResult<Vec<(String, Vec<u8>)>> {
        let mut out = self.block_identifiers(&PersonFacts::of_registration(reg, registered_at))?;
        if let Some(dob) = reg.person.date_of_birth {
            out.push(("dob".to_owned(), self.keys.blind_index("person_dob", &dob.to_string()).to_vec()));
        }
        for d in &reg.person.documents {
            let key = normalise_document(&d.number);
            out.push(("document".to_owned(), self.keys.blind_index("person_document", &key).to_vec()));
        }
        Ok(out)
    }

    /// A person's blocking keys as stored identifiers of kind `block`.
    fn block_identifiers(&self, facts: &PersonFacts) -> AppResult<Vec<(String, Vec<u8>)>> {
        let mut keys = BTreeSet::new();
        for (key, refined) in block_key_pairs(&self.person_model(), facts, false)? {
            keys.insert(key);
            keys.extend(refined);
        }
        Ok(keys.iter().map(|k| ("block".to_owned(), self.keys.blind_index("person_block", k).to_vec())).collect())
    }

    /// The keyed lookups of a person's blocking keys (as a query: every name order): each key
    /// with its refined keys (the given names' code added), as blind indexes.
    fn block_lookup_keys(&self, model: &PersonModel, facts: &PersonFacts) -> AppResult<Vec<BlockKey>> {
        let mut finer: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (key, refined) in block_key_pairs(model, facts, true)? {
            finer.entry(key).or_default().extend(refined);
        }
        let hash = |k: &str| self.keys.blind_index("person_block", k).to_vec();
        Ok(finer.iter().map(|(k, refined)| (hash(k), refined.iter().map(|r| hash(r)).collect())).collect())
    }

    /// The cases sharing a blocking key with `facts` (as a query: every name order), through the
    /// keyed index, in one statement (see [`chosen_block_candidates`]).
    pub(crate) async fn block_candidates(&self, model: &PersonModel, facts: &PersonFacts) -> AppResult<Vec<String>> {
        let keys = self.block_lookup_keys(model, facts)?;
        let found = self.store.cases_with_identifiers_each(&block_lookups(&keys)).await?;
        Ok(chosen_block_candidates(&keys, &mut found.into_iter()))
    }

    pub(crate) fn registration_row(
        &self,
        principal: &Principal,
        case_id: &str,
        reg: &Registration,
        state: RegistrationState,
        referred_on: Option<CalendarDate>,
        version: i64,
    ) -> AppResult<RegistrationRow> {
        let on = referred_on.unwrap_or_else(|| self.today());
        let age = reg.age_status(on);
        Ok(RegistrationRow {
            case_id: case_id.to_owned(),
            state: state.code().to_owned(),
            version,
            record: self.encrypt_registration(case_id, reg)?,
            referred_on: referred_on.map(|d| d.to_string()),
            sex: reg.person.sex.code().to_owned(),
            age_group: age.age_group().code().to_owned(),
            child_status: ChildStatus::from_age_status(&age).code().to_owned(),
            citizenships: reg.citizenship_codes(),
            forms: reg.form_codes(),
            guardian_appointed_on: reg.guardian.as_ref().map(|g| g.appointed_on.to_string()),
            nrm_status: referred_on.map(|_| NrmStatus::Referred.code().to_owned()),
            rg_decided_on: None,
            cg_decided_on: None,
            assistance_since: referred_on.map(|d| d.to_string()),
            reflection_from: None,
            procedure_id: None,
            updated_at: self.now(),
            updated_by: principal.user.id.clone(),
        })
    }

    /// Loads a case with its registration and decides access in one place. A denial is
    /// audited; a case the principal may not even know of is "not found".
    pub(crate) async fn registered_case(
        &self,
        principal: &Principal,
        permission: Permission,
        id: &str,
        compartment: Compartment,
        action: Action,
    ) -> AppResult<(CaseRow, RegistrationRow)> {
        if uuid::Uuid::parse_str(id).is_err() {
            return Err(AppError::NotFound);
        }
        if !haven_domain::permission_allowed(&principal.actor.roles, permission) {
            self.audit_denied(principal, "case", id, None).await;
            return Err(AppError::Forbidden);
        }
        let case = self.store.case(id).await?;
        let reg = self.store.registration(id).await?.ok_or(AppError::NotFound)?;
        let scope = case_scope(&case, &reg);
        match authorize(&principal.actor, &scope, compartment, action) {
            Access::Allow => {
                // A restricted case (Reg 2016/679 Art 18) is read, never written.
                self.refuse_if_restricted(&case, action).await?;
                // An erased case (crypto-shredding) is a tombstone: refused, saying so.
                self.refuse_if_erased(&case).await?;
                Ok((case, reg))
            }
            Access::Deny(reason) => {
                self.audit_denied(principal, "case", &case.id, Some(&case.owner_organisation_id)).await;
                tracing::info!(?reason, "case access denied");
                if may_see_case(&principal.actor, &scope) { Err(AppError::Forbidden) } else { Err(AppError::NotFound) }
            }
        }
    }

    /// Registers a presumed victim as a draft (Dir 2011/36 Art 11(4); Convention
    /// Art 10): the case belongs to the registering organisation. Returns possible duplicates
    /// within the registrar's scope.
    pub async fn create_registration(&self, principal: &Principal, reg: Registration) -> AppResult<Saved> {
        self.require(principal, Permission::RegisterCase).await?;
        self.country_of(principal.organisation.jurisdiction)?;
        let reg = reg.normalise(self.reference.forms)?;
        let owner = CaseOwner {
            organisation_id: &principal.organisation.id,
            jurisdiction: principal.organisation.jurisdiction,
        };
        let case = self.write_new_case(principal, owner, &reg, None).await?;
        let id = case.id.clone();
        let possible_duplicates = self.duplicates_of(principal, &id, &reg, case.created_at).await?;
        Ok(Saved { id, reference: case.reference, version: 1, state: RegistrationState::Draft, possible_duplicates })
    }

    /// A new case of the principal's organisation and jurisdiction, under a new id and reference.
    fn new_case_row(&self, principal: &Principal) -> CaseRow {
        let owner = CaseOwner {
            organisation_id: &principal.organisation.id,
            jurisdiction: principal.organisation.jurisdiction,
        };
        self.new_case_row_of(principal, owner)
    }

    /// A new case owned by `owner`, registered by `principal`, under a new id and reference.
    fn new_case_row_of(&self, principal: &Principal, owner: CaseOwner<'_>) -> CaseRow {
        let id = new_id();
        CaseRow {
            reference: new_reference(owner.jurisdiction, &id),
            id,
            owner_organisation_id: owner.organisation_id.to_owned(),
            jurisdiction: owner.jurisdiction,
            created_by: principal.user.id.clone(),
            created_at: self.now(),
            shares: vec![],
        }
    }

    /// Writes a new draft case owned by `owner` with its registration `reg` (already normalised)
    /// and its subject key. A reference is the jurisdiction and eight hex digits of the new id: in
    /// a register of 200,000 cases two of them almost surely share one, so a taken reference (the
    /// only unique value a new case can share: its id and everything keyed by it are new) is drawn
    /// again, up to [`NEW_REFERENCE_ATTEMPTS`] times; nothing was written by a refused attempt.
    /// `detail` goes with the audit entry.
    pub(crate) async fn write_new_case(
        &self,
        principal: &Principal,
        owner: CaseOwner<'_>,
        reg: &Registration,
        detail: Option<&str>,
    ) -> AppResult<CaseRow> {
        let mut attempt = 1;
        loop {
            match self.write_new_registration(principal, owner, reg, detail).await? {
                Ok(case) => return Ok(case),
                Err(StorageError::Conflict(_)) if attempt < NEW_REFERENCE_ATTEMPTS => attempt += 1,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Writes a new draft registration under a new id and reference, with its subject key in the same
    /// transaction: the case written, or the store's refusal (a conflict when the reference was taken).
    async fn write_new_registration(
        &self,
        principal: &Principal,
        owner: CaseOwner<'_>,
        reg: &Registration,
        detail: Option<&str>,
    ) -> AppResult<Result<CaseRow, StorageError>> {
        let case = self.new_case_row_of(principal, owner);
        let id = case.id.clone();
        let mut event =
            self.event(principal, AuditAction::RegistrationCreated).on("case", &id, Some(owner.organisation_id));
        if let Some(detail) = detail {
            event = event.detail(detail.to_owned());
        }
        let identifiers = self.identifiers(reg, case.created_at)?;
        let Some((key, wrapping_key_id, wrapped)) = self.new_subject_key(&id)? else {
            let row = self.registration_row(principal, &id, reg, RegistrationState::Draft, None, 1)?;
            let person = self.person_row(&id, reg)?;
            return Ok(self.store.create_registration(&case, &person, &row, &identifiers, &event).await.map(|()| case));
        };
        // The person's own key is written with the case: the identity and the record are under it.
        let mut failed: Option<AppError> = None;
        let new_key = NewSubjectKey { wrapping_key_id, wrapped: &wrapped, created_at: case.created_at };
        let rows = |row: &SubjectKeyRow| {
            let made = self.hold_new_subject_key(row, key).and_then(|_| {
                Ok((
                    self.person_row(&id, reg)?,
                    self.registration_row(principal, &id, reg, RegistrationState::Draft, None, 1)?,
                ))
            });
            made.map_err(|e| failed = Some(e)).ok()
        };
        let written = self.store.create_registration_with_key(&case, new_key, rows, &identifiers, &event).await;
        if written.is_err() {
            self.keys.subjects.forget(&id);
        }
        if let Some(e) = failed {
            return Err(e);
        }
        Ok(written.map(|_| case))
    }

    /// Saves a changed registration (a draft being finished, or a correction after referral).
    /// `version` is the one the editor loaded: a save over someone else's is a conflict.
    pub async fn update_registration(
        &self,
        principal: &Principal,
        case_id: &str,
        version: i64,
        reg: Registration,
    ) -> AppResult<Saved> {
        let (case, old) = self
            .registered_case(
                principal,
                Permission::Case(Compartment::Identity, Action::Write),
                case_id,
                Compartment::Identity,
                Action::Write,
            )
            .await?;
        let next = next_version(version)?;
        // What an imported case brought from the other system is not edited here: it stays as imported.
        let mut reg = reg;
        reg.imported = self.decrypt_registration(&old)?.imported;
        let reg = reg.normalise(self.reference.forms)?;
        let state = RegistrationState::parse_code("state", &old.state)?;
        let referred_on = opt_date("referred_on", &old.referred_on)?;
        self.subject_key_for_write(&case.id).await?;
        let row = self.registration_row(principal, &case.id, &reg, state, referred_on, next)?;
        let person = self.person_row(&case.id, &reg)?;
        let event = self.event(principal, AuditAction::RegistrationUpdated).on(
            "case",
            &case.id,
            Some(&case.owner_organisation_id),
        );
        self.store
            .update_registration(&person, &row, version, &self.identifiers(&reg, case.created_at)?, &event)
            .await?;
        if state == RegistrationState::Submitted {
            self.cluster_after_save(&case.id).await;
        }
        let possible_duplicates = self.duplicates_of(principal, &case.id, &reg, case.created_at).await?;
        Ok(Saved { id: case.id, reference: case.reference, version: next, state, possible_duplicates })
    }

    /// Refers a draft to the national referral mechanism for identification: the referral date
    /// starts the procedure's clock. Identification does not wait for the person's consent to
    /// support or to data sharing (CETS 197 Art 10; consent concerns assistance, Dir 2011/36
    /// Art 11(5), CETS 197 Art 12(7)). Only where the profile version in force asks an adult's
    /// consent before a formal referral (`adult_consent_before_referral`, national practice) is
    /// an adult without it refused, with a 4xx naming `support_consent`.
    pub async fn submit_registration(&self, principal: &Principal, case_id: &str, version: i64) -> AppResult<Saved> {
        let (case, old) = self
            .registered_case(principal, Permission::RegisterCase, case_id, Compartment::Identity, Action::Write)
            .await?;
        let next = next_version(version)?;
        if old.state != RegistrationState::Draft.code() {
            return Err(AppError::conflict(
                "this registration was already referred",
                haven_domain::Message::new(haven_domain::MessageId::RegistrationAlreadyReferred),
            ));
        }
        let reg = self.decrypt_registration(&old)?;
        let today = self.today();
        reg.check_referable(today)?;
        let profile = self.profile_for(case.jurisdiction, today)?;
        reg.check_national_consent_before_referral(today, profile.adult_consent_before_referral)?;
        let procedure = profile.procedure.clone();
        let mut row =
            self.registration_row(principal, &case.id, &reg, RegistrationState::Submitted, Some(today), next)?;
        // The procedure in force is pinned to the case; the presumption follows it.
        row.procedure_id = Some(procedure.id.clone());
        row.reflection_from = CaseStatus::referred(today, procedure.shape()).presumed_since().map(|d| d.to_string());
        self.subject_key_for_write(&case.id).await?;
        let person = self.person_row(&case.id, &reg)?;
        let event = self.event(principal, AuditAction::RegistrationSubmitted).on(
            "case",
            &case.id,
            Some(&case.owner_organisation_id),
        );
        self.store
            .update_registration(&person, &row, version, &self.identifiers(&reg, case.created_at)?, &event)
            .await?;
        self.cluster_after_save(&case.id).await;
        Ok(Saved {
            id: case.id,
            reference: case.reference,
            version: next,
            state: RegistrationState::Submitted,
            possible_duplicates: vec![],
        })
    }

    /// The procedure a case follows: the one pinned at referral, or (for a draft) the one in force.
    pub(crate) fn procedure_of(&self, jurisdiction: Jurisdiction, reg: &RegistrationRow) -> AppResult<&Procedure> {
        let country = self.country_of(jurisdiction)?;
        match &reg.procedure_id {
            Some(id) => self
                .reference
                .profiles
                .procedure(country, id)
                .map_err(|e| AppError::conflict(e.to_string(), profile_message(&e))),
            // Every referral pins its procedure: a referred case without one was referred before
            // procedures were data (a restored older backup) and keeps the two-decision procedure.
            None if reg.referred_on.is_some() => self
                .reference
                .profiles
                .procedure(country, haven_domain::ident::procedure::LEGACY_ID)
                .map_err(|e| AppError::conflict(e.to_string(), profile_message(&e))),
            None => Ok(&self.profile_for(jurisdiction, self.today())?.procedure),
        }
    }

    async fn decisions_of(&self, case_id: &str) -> AppResult<(Vec<Decision>, Vec<DecisionRow>)> {
        let rows = self.store.decisions(case_id).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let reasons = match &r.reasons {
                Some(ct) => {
                    self.keys.decrypt_str(&ctx("decisions", "reasons", &format!("{}/{}", r.case_id, r.seq)), ct)?
                }
                None => String::new(),
            };
            let corrects = r.corrects.map(|c| c.to_string()).unwrap_or_default();
            let seq = u32::try_from(r.seq).map_err(internal)?;
            out.push(Decision::parse(seq, &r.kind, &r.decided_on, &reasons, &corrects)?);
        }
        Ok((out, rows))
    }

    /// Records a status decision of the competent authority. Decisions are immutable; a
    /// correction is a new decision that names the one it corrects. Illegal transitions are
    /// refused with the reason; of two concurrent decisions on one case, one wins and the other
    /// is a conflict.
    pub async fn record_decision(
        &self,
        principal: &Principal,
        case_id: &str,
        input: &DecisionInput,
    ) -> AppResult<DecisionView> {
        self.append_decision(principal, Permission::DecideStatus, case_id, input).await
    }

    /// A request to reconsider a negative decision, made by the organisation that referred the
    /// person or supports them (a first responder or a support provider) or by the competent
    /// authority itself. Only the request: the outcome stays with the competent authority.
    pub async fn request_reconsideration(
        &self,
        principal: &Principal,
        case_id: &str,
        input: &ReconsiderationInput,
    ) -> AppResult<DecisionView> {
        // A request says why: the competent authority reconsiders on the grounds it is given.
        if input.reasons.trim().is_empty() {
            return Err(AppError::Invalid(ParseError::said(
                "reasons",
                "a reconsideration request must state why the decision should be reconsidered",
                haven_domain::Message::new(haven_domain::MessageId::ReconsiderationNeedsReasons),
            )));
        }
        let decision = DecisionInput {
            seq: input.seq,
            kind: DecisionKind::ReconsiderationRequested.code().to_owned(),
            decided_on: input.requested_on.clone(),
            reasons: input.reasons.clone(),
            corrects: None,
            votes: Vec::new(),
        };
        self.append_decision(principal, Permission::RequestReconsideration, case_id, &decision).await
    }

    async fn append_decision(
        &self,
        principal: &Principal,
        permission: Permission,
        case_id: &str,
        input: &DecisionInput,
    ) -> AppResult<DecisionView> {
        let (case, reg) =
            self.registered_case(principal, permission, case_id, Compartment::Identity, Action::Write).await?;
        let referred_on = match opt_date("referred_on", &reg.referred_on)? {
            Some(d) if reg.state == RegistrationState::Submitted.code() => d,
            _ => {
                return Err(AppError::conflict(
                    "the registration has not been referred yet",
                    haven_domain::Message::new(haven_domain::MessageId::RegistrationNotReferred),
                ));
            }
        };
        let (history, _) = self.decisions_of(&case.id).await?;
        let corrects = input.corrects.map(|c| c.to_string()).unwrap_or_default();
        let proposed = Decision::parse(input.seq, &input.kind, &input.decided_on, &input.reasons, &corrects)?;
        if proposed.decided_on > self.today() {
            return Err(AppError::Invalid(haven_domain::ParseError::future(
                "decided_on",
                "a decision cannot be dated in the future",
            )));
        }
        let expected = u32::try_from(history.len()).map_err(internal)? + 1;
        if proposed.seq != expected {
            return Err(AppError::ConflictSaid {
                english: format!(
                    "the case changed since it was loaded: decision {} is next, not {}; reload the case",
                    expected, proposed.seq
                ),
                message: haven_domain::Message::new(haven_domain::MessageId::DecisionStale)
                    .with("expected", expected)
                    .with("given", proposed.seq),
            });
        }
        let procedure = self.procedure_of(case.jurisdiction, &reg)?;
        let before = fold(referred_on, procedure.shape(), &history).map_err(refused)?;
        let status = before.apply(&proposed).map_err(refused)?;
        // Who takes a decision, and how a commission votes, is the procedure's (national data);
        // the decision is asked of the one access module.
        let stage = before
            .stage_of_next(proposed.kind)
            .and_then(|(place, positive)| procedure.stage(place).map(|stage| (stage, positive)));
        match stage {
            Some((stage, positive)) => {
                if !haven_domain::access::may_take_decision(&principal.actor, principal.organisation.kind, stage) {
                    self.audit_denied(principal, "case", &case.id, Some(&case.owner_organisation_id)).await;
                    return Err(AppError::Forbidden);
                }
                stage.check_votes(principal.organisation.kind, positive, &input.votes)?;
            }
            None if !input.votes.is_empty() => {
                return Err(AppError::said(
                    "votes",
                    "only a decision of a commission records votes",
                    haven_domain::MessageId::VotesOnlyCommission,
                ));
            }
            None => {}
        }
        let votes =
            if input.votes.is_empty() { None } else { Some(serde_json::to_string(&input.votes).map_err(internal)?) };
        let row = DecisionRow {
            case_id: case.id.clone(),
            seq: i64::from(proposed.seq),
            kind: proposed.kind.code().to_owned(),
            decided_on: proposed.decided_on.to_string(),
            reasons: proposed.reasons.as_ref().map(|r| {
                self.keys
                    .encrypt_str(&ctx("decisions", "reasons", &format!("{}/{}", case.id, proposed.seq)), r.as_str())
            }),
            corrects: proposed.corrects.map(i64::from),
            decided_by: principal.user.id.clone(),
            organisation_id: principal.organisation.id.clone(),
            recorded_at: self.now(),
            votes,
        };
        let columns = status_columns(&status);
        let event = self
            .event(principal, AuditAction::DecisionRecorded)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail(format!("kind={} seq={}", proposed.kind.code(), proposed.seq));
        self.store.add_decision(&row, &columns, &event).await?;
        Ok(DecisionView {
            seq: proposed.seq,
            kind: proposed.kind,
            label: proposed.kind.label(),
            decided_on: proposed.decided_on.to_string(),
            reasons: proposed.reasons.map(String::from),
            corrects: proposed.corrects,
            corrected_by: None,
            decided_by: principal.user.display_name.clone(),
            recorded_at: row.recorded_at,
            votes: input.votes.clone(),
        })
    }

    /// Adds a residence, protection or criminal-matter record to a case.
    pub async fn add_case_record(
        &self,
        principal: &Principal,
        case_id: &str,
        input: &CaseRecordInput,
    ) -> AppResult<CaseRecordView> {
        let kind = RecordKind::parse_code("kind", input.kind.trim())?;
        let compartment = kind.compartment();
        let (case, reg) = self
            .registered_case(
                principal,
                Permission::Case(compartment, Action::Write),
                case_id,
                compartment,
                Action::Write,
            )
            .await?;
        let f = |name: &str| input.fields.get(name).map(String::as_str).unwrap_or("");
        let known: &[&str] = kind.fields();
        if let Some(unknown) = input.fields.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(AppError::Invalid(ParseError::said(
                format!("fields.{unknown}"),
                format!("not a field of {}; expected {}", kind.code(), known.join(", ")),
                Message::new(MessageId::NotAFieldOf).with("kind", kind.code()).with("expected", known.join(", ")),
            )));
        }
        let prefix = |e: ParseError| {
            let field = format!("fields.{}", e.field);
            e.within(field)
        };
        let body = match kind {
            RecordKind::PermitApplication => {
                serde_json::to_value(ResidencePermitApplication::parse(f("applied_on"), f("ground")).map_err(prefix)?)
            }
            RecordKind::PermitDecision => {
                let app_id = f("application_id").trim();
                let records = self.store.case_records(&case.id).await?;
                let application = records
                    .iter()
                    .find(|r| r.id == app_id && r.kind == RecordKind::PermitApplication.code())
                    .ok_or_else(|| {
                        AppError::said(
                            "fields.application_id",
                            "no such permit application on this case",
                            haven_domain::MessageId::NoSuchPermitApplication,
                        )
                    })?;
                let application: ResidencePermitApplication = serde_json::from_str(
                    &self.keys.decrypt_str(&ctx("case_records", "body", &application.id), &application.body)?,
                )
                .map_err(internal)?;
                let rules = self.permit_rules(case.jurisdiction, &reg)?;
                let decision = ResidencePermitDecision::parse(
                    &application,
                    f("decided_on"),
                    f("granted"),
                    f("valid_from"),
                    f("valid_until"),
                    f("renewal_of"),
                    &rules,
                )
                .map_err(prefix)?;
                if let Some(renewed) = decision.renewal_of {
                    let renewed = records
                        .iter()
                        .find(|r| r.id == renewed.to_string() && r.kind == RecordKind::PermitDecision.code())
                        .ok_or_else(|| {
                            AppError::said(
                                "fields.renewal_of",
                                "no such permit decision on this case",
                                haven_domain::MessageId::NoSuchPermitDecision,
                            )
                        })?;
                    let renewed: ResidencePermitDecision = serde_json::from_str(
                        &self.keys.decrypt_str(&ctx("case_records", "body", &renewed.id), &renewed.body)?,
                    )
                    .map_err(internal)?;
                    renewed.check_renewal(&decision).map_err(prefix)?;
                }
                serde_json::to_value(decision)
            }
            RecordKind::ProtectionApplication => serde_json::to_value(
                InternationalProtectionApplication::parse(f("applied_on"), f("outcome"), f("decided_on"))
                    .map_err(prefix)?,
            ),
            RecordKind::ReflectionTermination => {
                let on = CalendarDate::parse("fields.terminated_on", f("terminated_on"))?;
                let ground = ReflectionTermination::parse_code("fields.ground", f("ground").trim())?;
                let Some(event) = opt_date("reflection_from", &reg.reflection_from)? else {
                    return Err(AppError::conflict(
                        "no reflection period runs on this case",
                        haven_domain::Message::new(haven_domain::MessageId::NoReflectionPeriod),
                    ));
                };
                let referred_on = opt_date("referred_on", &reg.referred_on)?.unwrap_or(event);
                let version = self.profile_for(case.jurisdiction, referred_on)?;
                // CETS 197 Art 13(3) ends the Convention's period on two grounds only; renewed
                // contact ends the residence-permit route's period (Dir 2004/81 Art 6(4)), where
                // that Directive applies.
                if !ground.ends_cets_period() {
                    let permits = self.permit_rules(case.jurisdiction, &reg)?;
                    if !permits.directive_2004_81_applies() {
                        return Err(AppError::said(
                            "fields.ground",
                            "renewed contact ends only the reflection period of Dir 2004/81 Art 6(4), which does \
                             not apply in this country; the Convention's period ends only on public order or an \
                             improperly claimed victim status (CETS 197 Art 13(3))",
                            haven_domain::MessageId::RenewedContactNotApplicable,
                        ));
                    }
                }
                let rules = reflection_rules(version)?;
                let period =
                    haven_domain::ident::residence::ReflectionPeriod::following(event, &rules).ok_or_else(|| {
                        AppError::said(
                            "fields.terminated_on",
                            "the period is out of range",
                            haven_domain::MessageId::PeriodOutOfRange,
                        )
                    })?;
                if on < period.start || on > period.end {
                    return Err(AppError::Invalid(ParseError::said(
                        "fields.terminated_on",
                        format!("an early end must fall within the period ({} to {})", period.start, period.end),
                        haven_domain::Message::new(haven_domain::MessageId::EarlyEndWithinPeriod)
                            .with("start", period.start)
                            .with("end", period.end),
                    )));
                }
                let records = self.store.case_records(&case.id).await?;
                let mut ended_before = false;
                for r in records.iter().filter(|r| r.kind == RecordKind::ReflectionTermination.code()) {
                    let body: serde_json::Value =
                        serde_json::from_str(&self.keys.decrypt_str(&ctx("case_records", "body", &r.id), &r.body)?)
                            .map_err(internal)?;
                    let earlier = body.get("ground").and_then(|v| v.as_str()).unwrap_or_default();
                    let earlier = ReflectionTermination::parse_code("ground", earlier)?;
                    ended_before |= earlier.ends_cets_period() == ground.ends_cets_period();
                }
                if ended_before {
                    return Err(AppError::conflict(
                        "the reflection period was already ended early",
                        haven_domain::Message::new(haven_domain::MessageId::ReflectionAlreadyEnded),
                    ));
                }
                serde_json::to_value(serde_json::json!({"terminated_on": on.to_string(), "ground": ground.code()}))
            }
            RecordKind::CriminalMatter => serde_json::to_value(
                CriminalMatter::parse(f("offence"), f("authority"), f("reference"), f("recorded_on"), f("compelled"))
                    .map_err(prefix)?,
            ),
        }
        .map_err(internal)?;
        let id = new_id();
        let json = serde_json::to_string(&body).map_err(internal)?;
        let row = CaseRecordRow {
            id: id.clone(),
            case_id: case.id.clone(),
            kind: kind.code().to_owned(),
            compartment,
            body: self.keys.encrypt_str(&ctx("case_records", "body", &id), &json),
            created_by: principal.user.id.clone(),
            created_at: self.now(),
        };
        let event = self
            .event(principal, AuditAction::CaseRecordAdded)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail(format!("kind={}", kind.code()));
        self.store.add_case_record(&row, &event).await?;
        Ok(CaseRecordView { id, kind: kind.code().to_owned(), body, created_at: row.created_at })
    }

    fn permit_rules(&self, jurisdiction: Jurisdiction, reg: &RegistrationRow) -> AppResult<PermitRules> {
        let on = opt_date("referred_on", &reg.referred_on)?.unwrap_or_else(|| self.today());
        let version = self.profile_for(jurisdiction, on)?;
        let country = self.country_of(jurisdiction)?;
        let applies = self.reference.profiles.get(country).is_some_and(|p| p.eu_2004_81());
        Ok(PermitRules::new(u32::from(version.residence_permit_min_months), applies)?)
    }

    /// The case page: the registration, decision support, status, clocks, records. Audited.
    pub async fn case_file(&self, principal: &Principal, case_id: &str) -> AppResult<CaseFile> {
        let (case, row) = self
            .registered_case(
                principal,
                Permission::Case(Compartment::Identity, Action::Read),
                case_id,
                Compartment::Identity,
                Action::Read,
            )
            .await?;
        let reg = self.decrypt_registration(&row)?;
        let today = self.today();
        let state = RegistrationState::parse_code("state", &row.state)?;
        let age = reg.age_status(today);
        let child_status = ChildStatus::from_age_status(&age);
        // The child rule of Dir 2011/36 Art 2(5) looks at the age when the acts took place (the
        // timeline's dates); without them, at registration (the referral, or today for a draft).
        let legal = legal_test(&reg.legal_test_input(opt_date("referred_on", &row.referred_on)?.unwrap_or(today)));
        let mut indicators = Vec::new();
        for answers in &reg.indicators {
            if let Some(list) = self.reference.list(&answers.list) {
                let known: Vec<&str> =
                    answers.present.iter().map(String::as_str).filter(|i| list.indicator(i).is_some()).collect();
                indicators.push(IndicatorView {
                    list: list.id.as_str().to_owned(),
                    name: list.name.clone(),
                    evaluation: list.evaluate(&known)?,
                });
            }
        }
        let (decisions, decision_rows) = self.decisions_of(&case.id).await?;
        let referred_on = opt_date("referred_on", &row.referred_on)?;
        let procedure = self.procedure_of(case.jurisdiction, &row)?.clone();
        let status = match referred_on {
            Some(r) => Some(fold(r, procedure.shape(), &decisions).map_err(refused)?),
            None => None,
        };
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for r in &decision_rows {
            if !names.contains_key(&r.decided_by) {
                match self.store.user(&r.decided_by).await {
                    Ok(u) => {
                        names.insert(u.id, u.display_name);
                    }
                    Err(StorageError::NotFound) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        let decision_views = decisions
            .iter()
            .zip(&decision_rows)
            .map(|(d, r)| DecisionView {
                seq: d.seq,
                kind: d.kind,
                label: d.kind.label(),
                decided_on: d.decided_on.to_string(),
                reasons: d.reasons.as_ref().map(|n| n.as_str().to_owned()),
                corrects: d.corrects,
                corrected_by: status.as_ref().and_then(|s| s.corrected_by(d.seq)),
                decided_by: names.get(&r.decided_by).cloned().unwrap_or_else(|| r.decided_by.clone()),
                recorded_at: r.recorded_at,
                votes: r.votes.as_deref().and_then(|v| serde_json::from_str(v).ok()).unwrap_or_default(),
            })
            .collect();

        // Records: identity-compartment ones for every reader; criminal matters for those who
        // hold the proceedings compartment.
        let scope = CaseScope {
            owner_organisation_id: case.owner_organisation_id.clone(),
            jurisdiction: case.jurisdiction,
            shares: case.shares.clone(),
            referred: state == RegistrationState::Submitted,
        };
        let reads_proceedings = haven_domain::permission_allowed(
            &principal.actor.roles,
            Permission::Case(Compartment::Proceedings, Action::Read),
        ) && authorize(&principal.actor, &scope, Compartment::Proceedings, Action::Read)
            .is_allowed();
        let mut records = Vec::new();
        let mut permits = Vec::new();
        let mut matters = Vec::new();
        let mut termination: Option<(CalendarDate, ReflectionTermination)> = None;
        let mut permit_route_reflection_ended = None;
        for r in self.store.case_records(&case.id).await? {
            let body: serde_json::Value =
                serde_json::from_str(&self.keys.decrypt_str(&ctx("case_records", "body", &r.id), &r.body)?)
                    .map_err(internal)?;
            match RecordKind::parse_code("kind", &r.kind)? {
                RecordKind::CriminalMatter => {
                    let m: CriminalMatter = serde_json::from_value(body.clone()).map_err(internal)?;
                    matters.push(m);
                    if !reads_proceedings {
                        continue;
                    }
                }
                RecordKind::PermitDecision => {
                    permits.push(serde_json::from_value::<ResidencePermitDecision>(body.clone()).map_err(internal)?);
                }
                RecordKind::ReflectionTermination => {
                    let on = body.get("terminated_on").and_then(|v| v.as_str()).unwrap_or_default();
                    let ground = body.get("ground").and_then(|v| v.as_str()).unwrap_or_default();
                    let (on, ground) = (
                        CalendarDate::parse("terminated_on", on)?,
                        ReflectionTermination::parse_code("ground", ground)?,
                    );
                    // Only the grounds of CETS 197 Art 13(3) end the Convention's period.
                    if ground.ends_cets_period() {
                        termination = Some((on, ground));
                    } else {
                        permit_route_reflection_ended = Some(on.to_string());
                    }
                }
                _ => {}
            }
            records.push(CaseRecordView { id: r.id, kind: r.kind, body, created_at: r.created_at });
        }

        let mut clocks = Vec::new();
        let mut reflection = None;
        let mut removal = None;
        let mut guardian_missing = false;
        // A withdrawn referral has no clock running any more.
        if let (Some(referred), Some(st)) = (referred_on, &status)
            && st.status() != NrmStatus::Withdrawn
        {
            let version = self.profile_for(case.jurisdiction, referred)?;
            let computed = compute_clocks(version, &procedure, st, child_status.is_child(), reg.guardian.is_some())?;
            clocks = clock_views(&computed, today, version.due_soon_days);
            guardian_missing = child_status.is_child() && reg.guardian.is_none();
            if let Some(p) = computed.reflection {
                reflection = Some(haven_domain::ident::residence::ReflectionPeriod {
                    start: p.start,
                    end: p.end,
                    terminated_on: termination.map(|t| t.0),
                    termination_ground: termination.map(|t| t.1),
                });
            }
            removal = Some(removal_protection(today, st, reflection.as_ref(), &permits));
        }
        let notice = status.as_ref().and_then(|s| non_punishment_notice(s, &matters));
        let event = self
            .event(principal, AuditAction::CaseRead)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail("view=case_file");
        self.store.append_audit(&event).await?;
        let pending_stage = status
            .as_ref()
            .and_then(|s| s.allowed_next().iter().find_map(|k| s.stage_of_next(*k)))
            .and_then(|(place, _)| procedure.stage(place));
        let facts = haven_domain::access::CaseFacts {
            scope,
            draft: state == RegistrationState::Draft,
            reconsideration_open: status
                .as_ref()
                .is_some_and(|s| s.allowed_next().contains(&DecisionKind::ReconsiderationRequested)),
            pending_stage,
        };
        let actions = haven_domain::access::case_actions(&principal.actor, principal.organisation.kind, &facts);
        Ok(CaseFile {
            actions,
            id: case.id,
            reference: case.reference,
            owner_organisation_id: case.owner_organisation_id,
            jurisdiction: case.jurisdiction.code().to_owned(),
            state,
            version: row.version,
            today: today.to_string(),
            age,
            child_status,
            legal_test: legal,
            indicators,
            referred_on: row.referred_on.clone(),
            status: status.as_ref().map(CaseStatus::status),
            status_text: status.as_ref().map(|s| s.status().describe()),
            assistance_since: status.as_ref().map(|s| s.assistance_since().to_string()),
            presumed_since: status.as_ref().and_then(CaseStatus::presumed_since).map(|d| d.to_string()),
            presumed_victim: status.as_ref().is_some_and(CaseStatus::is_presumed_victim),
            procedure: Some(procedure),
            permit_route_reflection_ended,
            allowed_decisions: status.as_ref().map(|s| s.allowed_next().to_vec()).unwrap_or_default(),
            correctable: status.as_ref().and_then(CaseStatus::correctable).map(|(seq, kinds)| (seq, kinds.to_vec())),
            next_seq: status.as_ref().map_or(1, CaseStatus::next_seq),
            decisions: decision_views,
            clocks,
            reflection,
            removal,
            non_punishment_flag: notice.is_some(),
            non_punishment: if reads_proceedings { notice } else { None },
            records,
            guardian_missing,
            registration: reg,
        })
    }

    /// Cases the principal may see (for a decision maker, every referred case of the country),
    /// filtered, newest first. Coded values only.
    pub async fn case_list(&self, principal: &Principal, filter: &CaseFilter) -> AppResult<Vec<CaseListItem>> {
        self.require(principal, Permission::ListCases).await?;
        let referred_in = principal
            .actor
            .roles
            .contains(&haven_domain::Role::DecisionMaker)
            .then(|| principal.organisation.jurisdiction.code().to_owned());
        let rows = self
            .store
            .case_overviews(
                &principal.organisation.id,
                referred_in.as_deref(),
                filter.limit.unwrap_or(200).clamp(1, 1000),
                filter.offset.unwrap_or(0).max(0),
            )
            .await?;
        if let Some(s) = &filter.state {
            RegistrationState::parse_code("state", s)?;
        }
        if let Some(s) = &filter.nrm_status {
            NrmStatus::parse_code("nrm_status", s)?;
        }
        if let Some(f) = &filter.form {
            self.reference.forms.form_id("form", f.trim())?;
        }
        Ok(rows
            .into_iter()
            .filter(|o| may_see_case(&principal.actor, &scope_of(o)))
            .map(list_item)
            .filter(|i| filter.state.as_ref().is_none_or(|s| i.state.map(|x| x.code()) == Some(s.as_str())))
            .filter(|i| filter.nrm_status.as_ref().is_none_or(|s| i.nrm_status.as_deref() == Some(s.as_str())))
            .filter(|i| {
                filter.child.is_none_or(|c| {
                    i.child_status.as_deref().is_some_and(|s| (s == "child" || s == "presumed_child") == c)
                })
            })
            .filter(|i| filter.form.as_ref().is_none_or(|f| i.forms.iter().any(|x| x == f)))
            .collect())
    }

    /// The deadlines dashboard: every open clock of referred cases — the whole country for the
    /// competent authority, the own organisation's cases for a supervisor. Overdue first.
    pub async fn deadlines(&self, principal: &Principal) -> AppResult<Vec<DeadlineItem>> {
        self.require(principal, Permission::ReadDeadlines).await?;
        let country_wide = principal.actor.roles.contains(&haven_domain::Role::DecisionMaker);
        let today = self.today();
        let rows = self.store.submitted_in(principal.organisation.jurisdiction.code()).await?;
        let mut items = Vec::new();
        for o in rows {
            if !country_wide && o.case.owner_organisation_id != principal.organisation.id {
                continue;
            }
            let Some(reg) = &o.registration else { continue };
            let Some(referred) = opt_date("referred_on", &reg.referred_on)? else { continue };
            let Ok(version) = self.profile_for(o.case.jurisdiction, referred) else { continue };
            // Child status as of today, as the case page shows it (a child may have turned 18).
            let record = self.decrypt_registration(reg)?;
            let child_status = record.child_status(today);
            let child = child_status.is_child();
            let Some(status) = reg.nrm_status.as_deref() else { continue };
            let status = NrmStatus::parse_code("nrm_status", status)?;
            // A withdrawn referral has no clock running any more.
            if status == NrmStatus::Withdrawn {
                continue;
            }
            let Ok(procedure) = self.procedure_of(o.case.jurisdiction, reg) else { continue };
            let inputs = ClockInputs {
                referred_on: referred,
                status,
                first_decided_on: opt_date("rg_decided_on", &reg.rg_decided_on)?,
                final_decided_on: opt_date("cg_decided_on", &reg.cg_decided_on)?,
                presumed_since: opt_date("reflection_from", &reg.reflection_from)?,
                child,
                guardian_appointed: record.guardian.is_some(),
            };
            // The reflection period's end matters while identification runs.
            let identification_running = matches!(status, NrmStatus::Referred | NrmStatus::PresumedVictim);
            let status = status.code().to_owned();
            let Ok(computed) = Clocks::compute(version, procedure, version.calendar(), inputs) else { continue };
            for clock in clock_views(&computed, today, version.due_soon_days) {
                if clock.state == "done" || (clock.clock == "reflection_end" && !identification_running) {
                    continue;
                }
                items.push(DeadlineItem {
                    case_id: o.case.id.clone(),
                    reference: o.case.reference.clone(),
                    owner_organisation_id: o.case.owner_organisation_id.clone(),
                    nrm_status: status.clone(),
                    child,
                    child_status,
                    clock,
                });
            }
        }
        items.sort_by(|a, b| a.clock.due.cmp(&b.clock.due).then(a.reference.cmp(&b.reference)));
        let event = self
            .event(principal, AuditAction::DeadlinesRead)
            .on("deadlines", principal.organisation.jurisdiction.code(), None)
            .detail(format!("count={}", items.len()));
        self.store.append_audit(&event).await?;
        Ok(items)
    }

    /// Files an anonymous notification: an adult who is not registered (who does not want their
    /// identifying data recorded, or, where national practice asks consent before a formal
    /// referral, who refused it) is still counted. Nothing identifying is stored. A child is never
    /// notified anonymously: a child is registered and referred without consent.
    pub async fn file_notification(&self, principal: &Principal, input: &NotificationInput) -> AppResult<String> {
        self.require(principal, Permission::FileNotification).await?;
        self.country_of(principal.organisation.jurisdiction)?;
        let notified_on = CalendarDate::parse("notified_on", &input.notified_on)?;
        if notified_on > self.today() {
            return Err(AppError::Invalid(haven_domain::ParseError::future(
                "notified_on",
                "the date is in the future",
            )));
        }
        let sex = Sex::parse_code("sex", input.sex.trim())?;
        let age_group = AgeGroup::parse_code("age_group", input.age_group.trim())?;
        if age_group.is_child() {
            return Err(AppError::said(
                "age_group",
                "a child is registered and referred without consent (Dir 2011/36 Art 13(2); CETS 197 Art 10(3)): \
                 register the child instead",
                haven_domain::MessageId::ChildNotNotified,
            ));
        }
        let citizenship = match input.citizenship.trim() {
            "" | "unknown" => "unknown".to_owned(),
            c => CountryCode::parse("citizenship", c)?.as_str().to_owned(),
        };
        let mut forms = Vec::new();
        for (i, f) in input.forms.iter().enumerate() {
            let id = self.reference.forms.form_id(&format!("forms[{i}]"), f.trim())?;
            if !forms.contains(&id) {
                forms.push(id);
            }
        }
        let id = new_id();
        let row = NotificationRow {
            id: id.clone(),
            jurisdiction: principal.organisation.jurisdiction.code().to_owned(),
            organisation_id: principal.organisation.id.clone(),
            organisation_kind: principal.organisation.kind.code().to_owned(),
            notified_on: notified_on.to_string(),
            sex: sex.code().to_owned(),
            age_group: age_group.code().to_owned(),
            citizenship,
            forms: forms.iter().map(FormId::as_str).collect::<Vec<_>>().join(","),
            created_by: principal.user.id.clone(),
            created_at: self.now(),
        };
        let event = self.event(principal, AuditAction::NotificationFiled).on(
            "notification",
            &id,
            Some(&principal.organisation.id),
        );
        self.store.add_notification(&row, &event).await?;
        Ok(id)
    }

    /// Registered persons (submitted registrations) and anonymous notifications by sex and
    /// exploitation group in the principal's jurisdiction, and how many distinct persons the
    /// registrations are ([`App::person_clusters`]): aggregates only.
    pub async fn identification_counts(&self, principal: &Principal) -> AppResult<IdentificationCounts> {
        self.require(principal, Permission::ReadStatistics).await?;
        let j = principal.organisation.jurisdiction.code();
        let referred = self.store.referred_tally_in(j).await?;
        let notes = self.store.notification_tally_in(j).await?;
        let mut counts = IdentificationCounts::default();
        for r in &referred {
            let n = r.n.unsigned_abs();
            counts.registered += n;
            *counts.registered_by_sex.entry(r.sex.clone()).or_default() += n;
            for g in self.groups(&r.forms) {
                *counts.registered_by_group.entry(g.code().to_owned()).or_default() += n;
            }
            if r.child_status == "child" || r.child_status == "presumed_child" {
                counts.children += n;
            }
        }
        for t in &notes {
            let n = t.n.unsigned_abs();
            counts.notified += n;
            *counts.notified_by_sex.entry(t.sex.clone()).or_default() += n;
            for g in self.groups(&t.forms) {
                *counts.notified_by_group.entry(g.code().to_owned()).or_default() += n;
            }
        }
        let referred = usize::try_from(counts.registered).unwrap_or(usize::MAX);
        counts.distinct_persons = self.persons_of_referred(j, referred).await?;
        Ok(counts)
    }

    fn groups(&self, forms: &str) -> Vec<StatGroup> {
        let mut out: Vec<StatGroup> = forms
            .split(',')
            .filter(|f| !f.is_empty())
            .filter_map(|f| FormId::parse("form", f).ok())
            .map(|f| self.reference.forms.stat_group(&f))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Finds persons within the principal's scope: by name with the person-linkage engine
    /// (diacritics, transliteration, name order, earlier family names and aliases; the date of
    /// birth, when given, is compared too), by date of birth or document number (exact, through
    /// keyed blind indexes: the identifiers themselves are never searchable in the database).
    pub async fn search_persons(&self, principal: &Principal, input: &SearchInput) -> AppResult<Vec<SearchHit>> {
        self.require(principal, Permission::SearchPersons).await?;
        let name = input.name.trim();
        let dob = match input.date_of_birth.trim() {
            "" => None,
            d => Some(CalendarDate::parse("date_of_birth", d)?),
        };
        let document = input.document.trim();
        if name.is_empty() && dob.is_none() && document.is_empty() {
            return Err(AppError::said(
                "name",
                "give a name, a date of birth or a document number",
                haven_domain::MessageId::SearchNeedsTerm,
            ));
        }
        if name.chars().count() > 200 || document.chars().count() > 60 {
            return Err(AppError::said("name", "too long", MessageId::TooLong));
        }
        let query = PersonFacts::of_search(name, dob);
        let hits = self.search_scope(principal, None, query.as_ref(), dob, document).await?;
        let event = self
            .event(principal, AuditAction::PersonSearched)
            .on("search", "persons", Some(&principal.organisation.id))
            // Which cases the search showed, not only how many: an access history must be able to
            // say who saw a person through a search.
            .detail(format!(
                "results={} cases={}",
                hits.len(),
                hits.iter().map(|h| h.case_id.as_str()).collect::<Vec<_>>().join(",")
            ));
        self.store.append_audit(&event).await?;
        Ok(hits)
    }

    /// The possible duplicates of a registration the principal edits (`reg`, as
    /// [`App::registration_for_edit`] gave it), as saving it reports them: for the page shown
    /// after saving. Audited as a search that showed those cases.
    pub async fn possible_duplicates(
        &self,
        principal: &Principal,
        case_id: &str,
        reg: &Registration,
    ) -> AppResult<Vec<SearchHit>> {
        self.require(principal, Permission::Case(Compartment::Identity, Action::Write)).await?;
        let registered_at = self.store.case(case_id).await?.created_at;
        let hits = self.duplicates_of(principal, case_id, reg, registered_at).await?;
        if !hits.is_empty() {
            let event = self
                .event(principal, AuditAction::PersonSearched)
                .on("search", "persons", Some(&principal.organisation.id))
                .detail(format!(
                    "duplicates_of={case_id} results={} cases={}",
                    hits.len(),
                    hits.iter().map(|h| h.case_id.as_str()).collect::<Vec<_>>().join(",")
                ));
            self.store.append_audit(&event).await?;
        }
        Ok(hits)
    }

    /// Possible duplicates of a registration being saved, within the registrar's scope: the
    /// same document number, or a person the engine puts at or above
    /// [`DUPLICATE_WARNING_PROBABILITY`].
    async fn duplicates_of(
        &self,
        principal: &Principal,
        case_id: &str,
        reg: &Registration,
        registered_at: i64,
    ) -> AppResult<Vec<SearchHit>> {
        let facts = PersonFacts::of_registration(reg, registered_at);
        let document = reg.person.documents.first().map(|d| d.number.clone()).unwrap_or_default();
        if !facts.has_name() && reg.person.date_of_birth.is_none() && document.is_empty() {
            return Ok(vec![]);
        }
        let mut hits =
            self.search_scope(principal, Some(case_id), Some(&facts), reg.person.date_of_birth, &document).await?;
        hits.retain(|h| {
            h.matched_on.contains(&"document") || h.probability.is_some_and(|p| p >= DUPLICATE_WARNING_PROBABILITY)
        });
        Ok(hits)
    }

    /// The seam to the linkage engine. The candidates are the cases sharing a blocking key with
    /// `query` (kept as keyed blind indexes of kind `block`, so the register is never read whole)
    /// or carrying the exact date of birth or document number; of those, the ones the principal
    /// may see (the same scope and authorisation as the case list) are decrypted and scored. The
    /// engine compares exactly the records that share a blocking key, so the hits are those of
    /// scoring every visible case.
    pub(crate) async fn search_scope(
        &self,
        principal: &Principal,
        exclude: Option<&str>,
        query: Option<&PersonFacts>,
        dob: Option<CalendarDate>,
        document: &str,
    ) -> AppResult<Vec<SearchHit>> {
        let referred_in = principal
            .actor
            .roles
            .contains(&haven_domain::Role::DecisionMaker)
            .then(|| principal.organisation.jurisdiction.code().to_owned());
        // The date of birth, the document and the blocking keys are looked up in one statement,
        // the visible candidates read in one more.
        let dob_key = dob.map(|d| self.keys.blind_index("person_dob", &d.to_string()).to_vec());
        let document_key = (!document.is_empty())
            .then(|| self.keys.blind_index("person_document", &normalise_document(document)).to_vec());
        let blocks = match query {
            Some(q) => {
                self.ensure_linkage_index().await?;
                self.block_lookup_keys(&self.person_model(), q)?
            }
            None => vec![],
        };
        let mut lookups = Vec::new();
        if let Some(k) = &dob_key {
            lookups.push(IdentifierLookup { kind: "dob", value: k, limit: None });
        }
        if let Some(k) = &document_key {
            lookups.push(IdentifierLookup { kind: "document", value: k, limit: None });
        }
        lookups.extend(block_lookups(&blocks));
        let mut found = self.store.cases_with_identifiers_each(&lookups).await?.into_iter();
        let dob_ids: Vec<String> = if dob_key.is_some() { found.next().unwrap_or_default() } else { vec![] };
        let doc_ids: Vec<String> = if document_key.is_some() { found.next().unwrap_or_default() } else { vec![] };
        let mut candidates: Vec<String> = dob_ids.iter().chain(&doc_ids).cloned().collect();
        candidates.extend(chosen_block_candidates(&blocks, &mut found));
        candidates.sort();
        candidates.dedup();
        candidates.retain(|id| Some(id.as_str()) != exclude);
        // A restricted case (Reg 2016/679 Art 18) stays out of matching while the restriction
        // holds: the store leaves it out.
        let rows = self
            .store
            .matchable_case_overviews(&principal.organisation.id, referred_in.as_deref(), &candidates)
            .await?;
        let visible: Vec<&CaseOverviewRow> = rows
            .iter()
            .filter(|o| authorize(&principal.actor, &scope_of(o), Compartment::Identity, Action::Read).is_allowed())
            .collect();
        let name_given = query.is_some_and(PersonFacts::has_name);
        let mut people: Vec<(&CaseOverviewRow, PersonFacts, Shown)> = Vec::new();
        for o in visible {
            if let Some((facts, show)) = self.linkage_person(o).await? {
                people.push((o, facts, show));
            }
        }
        let model = &*self.person_model();
        let matches = match query {
            Some(q) => {
                let mut index = PersonIndex::new(model)?;
                for (i, (_, facts, _)) in people.iter().enumerate() {
                    index.insert(i, facts);
                }
                index.query(q, model.search_threshold())?
            }
            None => BTreeMap::new(),
        };
        let mut hits = Vec::new();
        for (i, (o, _, show)) in people.into_iter().enumerate() {
            let found = matches.get(&i);
            let mut matched = Vec::new();
            let mut score = 0.0f64;
            if let Some(m) = found {
                if name_given {
                    matched.push("name");
                }
                score = m.probability;
            }
            if dob_ids.contains(&o.case.id) {
                matched.push("date_of_birth");
                if !name_given {
                    score = 1.0;
                }
            }
            if doc_ids.contains(&o.case.id) {
                matched.push("document");
                score = 1.0;
            }
            // With a name and a date both given, a date alone is not a hit.
            let enough = if name_given && dob.is_some() && document.is_empty() {
                matched.contains(&"name")
            } else {
                !matched.is_empty()
            };
            if !enough {
                continue;
            }
            hits.push(SearchHit {
                case_id: o.case.id.clone(),
                reference: o.case.reference.clone(),
                name: show.name,
                date_of_birth: show.date_of_birth,
                score: rounded(score),
                matched_on: matched,
                probability: found.map(|m| rounded(m.probability)),
                explanation: found.map(|m| m.explanation.clone()).unwrap_or_default(),
            });
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.reference.cmp(&b.reference)));
        hits.truncate(50);
        Ok(hits)
    }

    /// Makes sure every case's blocking keys were stored with the model and keys in use: once per
    /// process (and again after the reference data is replaced), a rebuild of the candidate index
    /// when what it was built with differs (a new database of an earlier version, an operator's
    /// new model, a new engine). Concurrent callers wait for the one rebuild.
    pub(crate) async fn ensure_linkage_index(&self) -> AppResult<()> {
        let (model, cell) = self.person_model.current();
        cell.get_or_try_init(|| async {
            let basis = self.keys.blind_index("person_block_basis", &block_key_basis(&model)?);
            if self.store.linkage_index_basis().await?.as_deref() != Some(&basis[..]) {
                let cases = self.rebuild_linkage_index().await?;
                self.store.set_linkage_index_basis(&basis, cases, self.now()).await?;
                tracing::info!(cases, "person-linkage candidate index rebuilt");
            }
            Ok::<(), AppError>(())
        })
        .await?;
        Ok(())
    }

    /// Stores the blocking keys of every case again, a page of cases per transaction; returns
    /// the number of cases. A registration saved meanwhile stores its own keys, so a page that
    /// races with it writes the same keys.
    async fn rebuild_linkage_index(&self) -> AppResult<i64> {
        const PAGE: i64 = 200;
        let mut after = String::new();
        let mut count = 0i64;
        loop {
            let ids = self.store.case_ids_after(&after, PAGE).await?;
            let Some(last) = ids.last() else { break };
            after = last.clone();
            let rows = self.store.case_overviews_among(None, &ids).await?;
            let mut batch = Vec::with_capacity(rows.len());
            for o in &rows {
                let keys = match self.linkage_person(o).await? {
                    Some((facts, _)) => self.block_identifiers(&facts)?.into_iter().map(|(_, v)| v).collect(),
                    None => vec![],
                };
                batch.push((o.case.id.clone(), keys));
            }
            self.store.replace_identifiers_of_kind("block", &batch).await?;
            count += i64::try_from(batch.len()).unwrap_or(i64::MAX);
        }
        Ok(count)
    }

    /// What linkage compares of a case's person, and what a hit shows: from the registration
    /// (with earlier family names and citizenship), or from the person record of a case without
    /// one. `None` for a case without a person.
    async fn linkage_person(&self, o: &CaseOverviewRow) -> AppResult<Option<(PersonFacts, Shown)>> {
        if let Some(row) = &o.registration {
            let reg = self.decrypt_registration(row)?;
            let p = &reg.person;
            let show = shown(&p.given_names, &p.family_names, &p.aliases, p.date_of_birth.map(|d| d.to_string()));
            return Ok(Some((PersonFacts::of_registration(&reg, o.case.created_at), show)));
        }
        let person = match self.store.person(&o.case.id).await {
            Ok(p) => p,
            Err(StorageError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let dec = |column: &str, ct: &[u8]| self.keys.decrypt_str(&ctx("persons", column, &o.case.id), ct);
        let given = dec("given_names", &person.given_names)?;
        let family = dec("family_names", &person.family_names)?;
        let aliases: Vec<String> = serde_json::from_str(&dec("aliases", &person.aliases)?).map_err(internal)?;
        let date_of_birth = match &person.date_of_birth {
            Some(ct) => Some(dec("date_of_birth", ct)?),
            None => None,
        };
        let facts = PersonFacts::of_person(&given, &family, &[], &aliases, date_of_birth.clone(), person.sex, None);
        Ok(Some((facts, shown(&given, &family, &aliases, date_of_birth))))
    }

    /// Distinct persons among the referred registrations of a jurisdiction (the principal's
    /// own): the same document number first, then the linkage engine at the model's cluster
    /// threshold, as maintained in the person clusters (linked now while a re-link after a model
    /// change runs). Counts only, never a person; for statistics readers.
    pub async fn person_clusters(
        &self,
        principal: &Principal,
        jurisdiction: Jurisdiction,
    ) -> AppResult<PersonClusters> {
        self.require(principal, Permission::ReadStatistics).await?;
        if jurisdiction != principal.organisation.jurisdiction {
            self.audit_denied(principal, "statistics", jurisdiction.code(), None).await;
            return Err(AppError::Forbidden);
        }
        let referred: i64 = self.store.referred_tally_in(jurisdiction.code()).await?.iter().map(|t| t.n).sum();
        self.persons_of_referred(jurisdiction.code(), usize::try_from(referred).unwrap_or(usize::MAX)).await
    }

    /// Records a data officer's answer that two registrations are different persons (a
    /// cannot-link constraint, audited): clustering never puts them in one person from then on,
    /// and if they are one person now, that person is clustered again at once. Who may answer
    /// about the pair is the access module's ([`may_review_pair`]). Gives whether the pair was
    /// new.
    pub async fn record_cannot_link(&self, principal: &Principal, case_a: &str, case_b: &str) -> AppResult<bool> {
        self.require(principal, Permission::ReviewPersons).await?;
        let (a, b) = (case_a.trim(), case_b.trim());
        if uuid::Uuid::parse_str(a).is_err() || uuid::Uuid::parse_str(b).is_err() {
            return Err(AppError::NotFound);
        }
        if a == b {
            return Err(AppError::said(
                "case_b",
                "a pair is two different registrations",
                MessageId::PairOfTwoRegistrations,
            ));
        }
        let mut scopes = Vec::with_capacity(2);
        for id in [a, b] {
            let case = match self.store.case(id).await {
                Ok(c) => c,
                Err(StorageError::NotFound) => return Err(AppError::NotFound),
                Err(e) => return Err(e.into()),
            };
            let reg = self.store.registration(id).await?.ok_or(AppError::NotFound)?;
            scopes.push((case_scope(&case, &reg), case.owner_organisation_id));
        }
        if !may_review_pair(&principal.actor, &scopes[0].0, &scopes[1].0) {
            self.audit_denied(principal, "case", &format!("{a},{b}"), None).await;
            return Err(AppError::Forbidden);
        }
        let event = self
            .event(principal, AuditAction::PersonPairAnswered)
            .on("case", a, Some(&scopes[0].1))
            .detail(format!("pair_with={b} cannot_link=recorded"));
        let added = self.store.add_cannot_link(a, b, &principal.user.id, self.now(), &event).await?;
        self.cluster_again(&[a.to_owned(), b.to_owned()]).await?;
        Ok(added)
    }

    /// Whether the principal may import registrations at all: asked before a file is read, so that a
    /// user without the permission is refused (403) whatever the file holds.
    pub async fn may_import_registrations(&self, principal: &Principal) -> AppResult<()> {
        self.require(principal, Permission::RegisterCase).await
    }

    /// Imports registrations (from an exchange file) as drafts of the principal's organisation. Each comes
    /// with where it was found in the file (`line 4`, `row 7`). Every record is checked before any is
    /// written, and every problem is reported at once: a bad file is refused whole.
    pub async fn import_registrations(
        &self,
        principal: &Principal,
        regs: Vec<(String, Registration)>,
    ) -> AppResult<Vec<Saved>> {
        self.require(principal, Permission::RegisterCase).await?;
        if regs.len() > 1000 {
            return Err(AppError::Invalid(ParseError::said(
                "file",
                "at most 1000 cases per import",
                Message::new(MessageId::AtMostCasesPerImport).with("max", 1000),
            )));
        }
        let mut checked = Vec::with_capacity(regs.len());
        let mut problems = Vec::new();
        for (place, reg) in regs {
            match reg.normalise(self.reference.forms) {
                Ok(reg) => checked.push(reg),
                Err(e) => {
                    problems.push(crate::Problem { location: format!("{place}, {}", e.field), message: e.message })
                }
            }
        }
        if !problems.is_empty() {
            return Err(AppError::Rejected(problems));
        }
        self.country_of(principal.organisation.jurisdiction)?;
        // Every case's rows first, then one transaction writes them all: a failure half way writes none.
        // Each case's own key is made before (it encrypts the record); a key whose case was not written
        // holds no data of it. A taken reference (see `write_new_case`) draws the whole file's ids
        // again.
        let mut attempt = 1;
        let rows = loop {
            let mut rows = Vec::with_capacity(checked.len());
            for reg in &checked {
                let case = self.new_case_row(principal);
                let id = case.id.clone();
                self.subject_key_for_write(&id).await?;
                let row = self.registration_row(principal, &id, reg, RegistrationState::Draft, None, 1)?;
                let person = self.person_row(&id, reg)?;
                let identifiers = self.identifiers(reg, case.created_at)?;
                let event = self
                    .event(principal, AuditAction::RegistrationCreated)
                    .on("case", &id, Some(&principal.organisation.id))
                    .detail("import=htcds");
                rows.push((case, person, row, identifiers, event));
            }
            let new: Vec<haven_storage::NewRegistration<'_>> = rows
                .iter()
                .map(|(case, person, registration, identifiers, audit)| haven_storage::NewRegistration {
                    case,
                    person,
                    registration,
                    identifiers,
                    audit,
                })
                .collect();
            let event = self
                .event(principal, AuditAction::CaseImported)
                .on("import", "htcds", Some(&principal.organisation.id))
                .detail(format!("count={}", rows.len()));
            match self.store.create_registrations(&new, &event).await {
                Ok(()) => break rows,
                Err(StorageError::Conflict(_)) if attempt < NEW_REFERENCE_ATTEMPTS => attempt += 1,
                Err(e) => return Err(e.into()),
            }
        };
        let mut out = Vec::with_capacity(rows.len());
        for ((case, ..), reg) in rows.iter().zip(&checked) {
            let possible_duplicates = self.duplicates_of(principal, &case.id, reg, case.created_at).await?;
            out.push(Saved {
                id: case.id.clone(),
                reference: case.reference.clone(),
                version: 1,
                state: RegistrationState::Draft,
                possible_duplicates,
            });
        }
        Ok(out)
    }

    /// A registration loaded for editing: the record, its version and state. Audited as a read.
    pub async fn registration_for_edit(
        &self,
        principal: &Principal,
        case_id: &str,
    ) -> AppResult<(Registration, i64, RegistrationState, String)> {
        let (case, row) = self
            .registered_case(
                principal,
                Permission::Case(Compartment::Identity, Action::Write),
                case_id,
                Compartment::Identity,
                Action::Write,
            )
            .await?;
        let reg = self.decrypt_registration(&row)?;
        let state = RegistrationState::parse_code("state", &row.state)?;
        let event = self
            .event(principal, AuditAction::CaseRead)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail("view=edit");
        self.store.append_audit(&event).await?;
        Ok((reg, row.version, state, case.reference))
    }

    /// Whether the principal may export registrations at all (each case is then checked on its own by
    /// [`App::registration_for_export`]): asked before a batch is read.
    pub async fn may_export_registrations(&self, principal: &Principal) -> AppResult<()> {
        self.require(principal, Permission::Case(Compartment::Identity, Action::Read)).await
    }

    /// A registration as loaded for export, with what the case adds to it in HTCDS: the case reference, the
    /// case worker who registered it (their user name, HTCDS `cas_CaseOwner`), the NRM status, whether the
    /// case is closed, and the support referrals the principal's organisation made or accepted, where the
    /// principal may read them (`ident/htcds.rs`). Audited as an export.
    pub async fn registration_for_export(
        &self,
        principal: &Principal,
        case_id: &str,
    ) -> AppResult<(Registration, haven_domain::ident::htcds::CaseMeta)> {
        let (case, row) = self
            .registered_case(
                principal,
                Permission::Case(Compartment::Identity, Action::Read),
                case_id,
                Compartment::Identity,
                Action::Read,
            )
            .await?;
        let reg = self.decrypt_registration(&row)?;
        let status = row.nrm_status.as_deref().map(|s| NrmStatus::parse_code("nrm_status", s)).transpose()?;
        let event = self
            .event(principal, AuditAction::Export)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail("format=htcds");
        let case_worker = self.store.user(&case.created_by).await.ok().map(|u| u.username);
        let case_status = self.htcds_case_status(&case.id).await?;
        let (outgoing_referral, incoming_referral) = self.htcds_referrals(principal, &case.id).await?;
        self.store.append_audit(&event).await?;
        let meta = haven_domain::ident::htcds::CaseMeta {
            reference: Some(case.reference),
            owner: case_worker,
            status,
            case_status: Some(case_status),
            outgoing_referral,
            incoming_referral,
        };
        Ok((reg, meta))
    }
}

/// Aggregates of identification for the statistics page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IdentificationCounts {
    pub registered: u64,
    pub notified: u64,
    pub children: u64,
    pub registered_by_sex: BTreeMap<String, u64>,
    pub notified_by_sex: BTreeMap<String, u64>,
    pub registered_by_group: BTreeMap<String, u64>,
    pub notified_by_group: BTreeMap<String, u64>,
    /// The referred registrations counted as persons (one person registered twice counts once).
    pub distinct_persons: PersonClusters,
}

haven_domain::coded_enum! {
    /// Records that follow a registration.
    pub enum RecordKind {
        /// A residence-permit application (Convention Art 14; Directive 2004/81/EC).
        PermitApplication => "permit_application",
        /// A decision on a residence-permit application, or a renewal.
        PermitDecision => "permit_decision",
        /// An application for international protection.
        ProtectionApplication => "protection_application",
        /// The reflection period ended early (Convention Art 13(3); Dir 2004/81 Art 6(4)).
        ReflectionTermination => "reflection_termination",
        /// A criminal matter in which the person is a suspect (Dir 2011/36 Art 8).
        CriminalMatter => "criminal_matter",
    }
}

impl RecordKind {
    pub fn compartment(self) -> Compartment {
        match self {
            RecordKind::CriminalMatter => Compartment::Proceedings,
            _ => Compartment::Identity,
        }
    }

    pub fn fields(self) -> &'static [&'static str] {
        match self {
            RecordKind::PermitApplication => &["applied_on", "ground"],
            RecordKind::PermitDecision => {
                &["application_id", "decided_on", "granted", "valid_from", "valid_until", "renewal_of"]
            }
            RecordKind::ProtectionApplication => &["applied_on", "outcome", "decided_on"],
            RecordKind::ReflectionTermination => &["terminated_on", "ground"],
            RecordKind::CriminalMatter => &["offence", "authority", "reference", "recorded_on", "compelled"],
        }
    }
}

pub(crate) fn normalise_document(number: &str) -> String {
    number.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect()
}

fn status_columns(status: &CaseStatus) -> StatusColumns {
    StatusColumns {
        nrm_status: Some(status.status().code().to_owned()),
        rg_decided_on: status.first_decided_on().map(|d| d.to_string()),
        cg_decided_on: status.final_decided_on().map(|d| d.to_string()),
        assistance_since: Some(status.assistance_since().to_string()),
        reflection_from: status.reflection_from().map(|d| d.to_string()),
    }
}

fn compute_clocks(
    version: &ProfileVersion,
    procedure: &Procedure,
    status: &CaseStatus,
    child: bool,
    guardian: bool,
) -> AppResult<Clocks> {
    let inputs = ClockInputs {
        referred_on: status.referred_on(),
        status: status.status(),
        first_decided_on: status.first_decided_on(),
        final_decided_on: status.final_decided_on(),
        presumed_since: status.presumed_since(),
        child,
        guardian_appointed: guardian,
    };
    Clocks::compute(version, procedure, version.calendar(), inputs)
        .map_err(|e| AppError::conflict(e.to_string(), clock_message(&e)))
}

/// What a profile lacks, as a message of the translations.
fn profile_message(e: &ProfileError) -> Message {
    match e {
        ProfileError::UnknownCountry(country) => Message::new(MessageId::NoProfileForCountry).with("country", country),
        ProfileError::NoVersionInForce { country, date, first } => {
            Message::new(MessageId::NoProfileVersionOn).with("country", country).with("date", date).with("first", first)
        }
        ProfileError::UnknownProcedure { country, id } => {
            Message::new(MessageId::NoSuchProcedure).with("country", country).with("id", id)
        }
    }
}

/// Why a case's clocks cannot be computed, as a message of the translations.
fn clock_message(e: &ClockError) -> Message {
    match e {
        ClockError::FirstDecisionBeforeReferral { referred_on, decided_on } => {
            Message::new(MessageId::ClockFirstBeforeReferral).with("decided", decided_on).with("referred", referred_on)
        }
        ClockError::FinalBeforeFirst { first_decided_on, final_decided_on } => {
            Message::new(MessageId::ClockFinalBeforeFirst)
                .with("first", first_decided_on)
                .with("final", final_decided_on)
        }
        ClockError::OutOfRange { .. } => Message::new(MessageId::ClockOutOfRange),
    }
}

fn clock_views(clocks: &Clocks, today: CalendarDate, due_soon_days: u16) -> Vec<ClockView> {
    let mut out = Vec::new();
    let mut push = |clock: &'static str, due: CalendarDate, done_on: Option<CalendarDate>| {
        let (state, overdue_days) = state_code(DeadlineState::classify(due, done_on.is_some(), today, due_soon_days));
        out.push(ClockView {
            clock,
            due: due.to_string(),
            done_on: done_on.map(|d| d.to_string()),
            state,
            overdue_days,
        });
    };
    if let Some(c) = clocks.first_decision {
        push("first_decision", c.due, c.done_on);
    }
    if let Some(p) = clocks.reflection {
        let done = clocks.final_decision.and_then(|c| c.done_on).or(if p.end < today { Some(p.end) } else { None });
        push("reflection_end", p.end, done);
    }
    if let Some(c) = clocks.final_decision {
        push("final_decision", c.due, c.done_on);
    }
    if let Some(g) = clocks.guardian_alert {
        push("guardian", g.due, g.done_on);
    }
    out
}

fn scope_of(o: &CaseOverviewRow) -> CaseScope {
    CaseScope {
        owner_organisation_id: o.case.owner_organisation_id.clone(),
        jurisdiction: o.case.jurisdiction,
        shares: o.case.shares.clone(),
        referred: o.registration.as_ref().is_some_and(|r| r.state == RegistrationState::Submitted.code()),
    }
}

fn list_item(o: CaseOverviewRow) -> CaseListItem {
    let r = o.registration.as_ref();
    CaseListItem {
        id: o.case.id.clone(),
        reference: o.case.reference.clone(),
        owner_organisation_id: o.case.owner_organisation_id.clone(),
        jurisdiction: o.case.jurisdiction.code().to_owned(),
        created_at: o.case.created_at,
        state: r.and_then(|r| RegistrationState::parse_code("state", &r.state).ok()),
        // Read through the codes, so that a status stored under an earlier code lists under its
        // current one.
        nrm_status: r.and_then(|r| r.nrm_status.as_deref()).map(|s| {
            NrmStatus::parse_code("nrm_status", s).map(|v| v.code().to_owned()).unwrap_or_else(|_| s.to_owned())
        }),
        referred_on: r.and_then(|r| r.referred_on.clone()),
        sex: r.map(|r| r.sex.clone()),
        age_group: r.map(|r| r.age_group.clone()),
        child_status: r.map(|r| r.child_status.clone()),
        forms: r.map(|r| r.forms.split(',').filter(|f| !f.is_empty()).map(str::to_owned).collect()).unwrap_or_default(),
        shared_with: o.case.shares.clone(),
    }
}

/// Makes a registration's narrative from text (helper for forms).
pub fn narrative(text: &str) -> AppResult<Option<Narrative>> {
    if text.trim().is_empty() { Ok(None) } else { Ok(Some(Narrative::parse("narrative", text)?)) }
}

/// The reflection rules of a country's profile version (Convention Art 13 floor for parties).
pub fn reflection_rules(version: &ProfileVersion) -> AppResult<ReflectionRules> {
    Ok(ReflectionRules::new(u32::from(version.reflection_period_days))?)
}

/// The version a save writes after the one the editor loaded (from 1); a version no save could
/// have given out is refused naming `version` (it would otherwise overflow).
fn next_version(version: i64) -> AppResult<i64> {
    version.checked_add(1).filter(|_| version >= 1).ok_or_else(|| {
        AppError::said("version", "is not a version of this registration", MessageId::NotAVersionOfRegistration)
    })
}

/// A case as the access rules see it.
pub(crate) fn case_scope(case: &CaseRow, reg: &RegistrationRow) -> CaseScope {
    CaseScope {
        owner_organisation_id: case.owner_organisation_id.clone(),
        jurisdiction: case.jurisdiction,
        shares: case.shares.clone(),
        referred: reg.state == RegistrationState::Submitted.code(),
    }
}

/// A decision the case's state refuses, said in the reader's language.
fn refused(e: haven_domain::ident::status::TransitionError) -> AppError {
    AppError::ConflictSaid { english: e.message(), message: e.said() }
}

/// A blocking key's blind index with those of its refined keys.
type BlockKey = (Vec<u8>, Vec<Vec<u8>>);

/// The lookups of [`App::block_candidates`] for `keys`: each blocking key, then its refined
/// keys, each at most [`BLOCK_LOOKUP_BOUND`] + 1 cases (one more tells a key held by more).
fn block_lookups(keys: &[BlockKey]) -> Vec<IdentifierLookup<'_>> {
    let limit = Some(BLOCK_LOOKUP_BOUND + 1);
    keys.iter()
        .flat_map(|(key, refined)| {
            std::iter::once(key).chain(refined).map(move |v| IdentifierLookup { kind: "block", value: v, limit })
        })
        .collect()
}

/// Of what [`block_lookups`] found (taken from `found` in the same order): the cases of each
/// key held by at most [`BLOCK_LOOKUP_BOUND`] cases, and for a key held by more, the cases of
/// its refined keys that are within the bound (a refined key as frequent is left out), so a
/// lookup reads a bounded number of rows whatever the register's size. Sorted, each once.
fn chosen_block_candidates(keys: &[BlockKey], found: &mut impl Iterator<Item = Vec<String>>) -> Vec<String> {
    let mut out = Vec::new();
    for (_, refined) in keys {
        let coarse = found.next().unwrap_or_default();
        let finer: Vec<Vec<String>> = refined.iter().map(|_| found.next().unwrap_or_default()).collect();
        if coarse.len() <= BLOCK_LOOKUP_BOUND {
            out.extend(coarse);
        } else {
            out.extend(finer.into_iter().filter(|ids| ids.len() <= BLOCK_LOOKUP_BOUND).flatten());
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(prefix: &str, n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{prefix}-{i:04}")).collect()
    }

    /// A key within the bound gives its cases; a key over it gives those of its refined keys
    /// that are within it; the answers are taken in the order the lookups were made.
    #[test]
    fn block_candidates_take_refined_keys_only_for_a_key_held_by_too_many_cases() {
        let keys = vec![
            (b"common".to_vec(), vec![b"common+a".to_vec(), b"common+b".to_vec()]),
            (b"rare".to_vec(), vec![b"rare+a".to_vec()]),
            (b"huge".to_vec(), vec![b"huge+a".to_vec()]),
        ];
        let lookups = block_lookups(&keys);
        let asked: Vec<&[u8]> = lookups.iter().map(|l| l.value).collect();
        let expected: Vec<&[u8]> = vec![b"common", b"common+a", b"common+b", b"rare", b"rare+a", b"huge", b"huge+a"];
        assert_eq!(asked, expected);
        assert!(lookups.iter().all(|l| l.kind == "block" && l.limit == Some(BLOCK_LOOKUP_BOUND + 1)));
        let found = vec![
            ids("common", BLOCK_LOOKUP_BOUND + 1),   // over the bound: refined instead
            vec!["a-1".into(), "a-2".into()],        // common+a: within
            ids("common+b", BLOCK_LOOKUP_BOUND + 1), // as frequent: left out
            vec!["r-1".into(), "a-1".into()],        // rare: within, its refined key not used
            vec!["never".into()],                    // rare+a
            ids("huge", BLOCK_LOOKUP_BOUND + 1),
            ids("huge+a", BLOCK_LOOKUP_BOUND + 1),
        ];
        let chosen = chosen_block_candidates(&keys, &mut found.into_iter());
        assert_eq!(chosen, ["a-1", "a-2", "r-1"]);
        // exactly at the bound a key is used as it is
        let found = vec![ids("c", BLOCK_LOOKUP_BOUND), vec![], vec![], vec![], vec![], vec![], vec![]];
        assert_eq!(chosen_block_candidates(&keys, &mut found.into_iter()).len(), BLOCK_LOOKUP_BOUND);
    }
}
