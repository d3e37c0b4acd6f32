//! Statistics for the national rapporteur and the EU level: the national tables of a reference
//! year counted in persons, releases protected by cell suppression or differential privacy,
//! and the EU hub that receives, checks and adds up the member states' submissions.

use crate::error::Refusal;
use crate::stats_proceedings::OffenderCounting;
use crate::{App, AppError, AppResult, Principal, Problem};
use haven_domain::access::Permission;
use haven_domain::audit::AuditAction;
use haven_domain::ident::forms::{FormId, StatGroup};
use haven_stats::Table;
use haven_stats::national::{self, EXPLOIT_FINE, PersonRecord};
use haven_storage::RegistrationRow;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// How the persons of a reference year were counted, published with every table and release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counting {
    /// Referred registrations in the country (all years), linked to find persons.
    pub registrations: u64,
    /// Distinct persons among them (all years).
    pub persons: u64,
    /// Registrations found to be a person already counted.
    pub merged: u64,
    /// Persons counted in this year (first registered in it, not closed as "not a victim").
    pub persons_in_year: u64,
    /// Persons first registered in the year but left out: every registration closed negative
    /// or withdrawn.
    pub left_out: u64,
    /// Anonymous notifications of the year (counted one each: they cannot be linked).
    pub notifications: u64,
    /// How the persons were found, in words.
    pub method: String,
}

/// The national tables of a reference year with how they were counted. True counts: for the
/// country's own statistics readers; nothing leaves the country but a release.
#[derive(Debug, Clone, Serialize)]
pub struct NationalTables {
    pub country: String,
    pub year: u16,
    pub tables: Vec<Table>,
    pub counting: Counting,
    /// How the offenders of the trafficker tables were counted.
    pub offenders: OffenderCounting,
}

pub(crate) fn sex_code(sex: &str) -> &'static str {
    match sex {
        "female" => "F",
        "male" => "M",
        "other" => "OTH",
        _ => "UNK",
    }
}

pub(crate) fn age_code(age: &str) -> &'static str {
    match age {
        "0_11" => "Y0-11",
        "12_17" => "Y12-17",
        "18_24" => "Y18-24",
        "25_34" => "Y25-34",
        "35_44" => "Y35-44",
        "45_54" => "Y45-54",
        "55_64" => "Y55-64",
        "65_plus" => "Y_GE65",
        _ => "UNK",
    }
}

fn age_class_code(child_status: &str) -> &'static str {
    match child_status {
        "child" | "presumed_child" => "CHILD",
        "adult" => "ADULT",
        _ => "UNK",
    }
}

/// The age class of an anonymous notification (adults only are notified anonymously).
fn age_class_of_group(age: &str) -> &'static str {
    match age {
        "0_11" | "12_17" => "CHILD",
        "unknown" | "" => "UNK",
        _ => "ADULT",
    }
}

/// The registering organisation's kind in the statistical code list.
pub fn org_kind_code(kind: &str) -> &'static str {
    match kind {
        "police" => "POLICE",
        "border_guard" => "BORDER",
        "labour_inspectorate" => "LABOUR_INSP",
        "prosecution" => "PROSEC",
        "ngo" => "NGO",
        "shelter" => "SHELTER",
        "social_services" => "SOCIAL",
        "health_service" => "HEALTH",
        "child_protection_service" | "guardian_service" => "CHILD_PROT",
        "competent_authority" => "COMPETENT_AUTH",
        _ => "OTH",
    }
}

/// The first citizenship recorded as a statistical code: a country's two capitals, else unknown
/// (an empty list, "unknown", stateless and the like).
pub(crate) fn first_citizenship(citizenships: &str) -> String {
    let first = citizenships.split(',').map(str::trim).find(|c| !c.is_empty()).unwrap_or("");
    if first.len() == 2 && first.bytes().all(|b| b.is_ascii_alphabetic()) {
        first.to_ascii_uppercase()
    } else {
        "UNK".to_owned()
    }
}

fn year_of(date: &str) -> Option<u16> {
    date.get(0..4).and_then(|y| y.parse().ok())
}

/// Status rank of a registration for the person's legal status: identified beats presumed;
/// closed negative or withdrawn records do not make a victim, and a referral is a presumed victim
/// only where the country's procedure presumes from the referral (otherwise from a positive
/// first decision).
fn status_rank(nrm_status: Option<&str>, presumed_from_referral: bool) -> u8 {
    use haven_domain::ident::status::NrmStatus;
    match nrm_status.and_then(|s| <NrmStatus as haven_domain::Coded>::parse_code("nrm_status", s).ok()) {
        Some(NrmStatus::IdentifiedVictim) => 2,
        Some(NrmStatus::PresumedVictim | NrmStatus::FinalReconsideration) => 1,
        Some(NrmStatus::Referred) => u8::from(presumed_from_referral),
        _ => 0,
    }
}

impl App {
    /// The main form of exploitation of a record: the first form listed, as its finest
    /// statistical code (the sub-forms of "other" kept apart).
    pub(crate) fn exploit_code(&self, forms: &str) -> &'static str {
        let Some(first) = forms.split(',').map(str::trim).find(|f| !f.is_empty()) else {
            return "OTH_OTH";
        };
        match first {
            "sexual" => "SEX",
            "forced_labour" | "begging" => "LAB",
            "slavery" => "OTH_SLAV",
            "servitude" => "OTH_SERV",
            "criminal_activities" => "OTH_CRIM",
            "organ_removal" => "OTH_ORGAN",
            "surrogacy" => "OTH_SURR",
            "forced_marriage" => "OTH_MARR",
            "illegal_adoption" => "OTH_ADOPT",
            other => match FormId::parse("form", other).map(|f| self.reference.forms.stat_group(&f)) {
                Ok(StatGroup::Sexual) => "SEX",
                Ok(StatGroup::ForcedLabour) => "LAB",
                _ => "OTH_OTH",
            },
        }
    }

    /// One record per person first registered in `year` in the principal's country, and the
    /// counting note. Registrations are linked into persons with the person-linkage engine
    /// (the same document number first); a person's values come from their earliest
    /// registration, the legal status from the most advanced one, and "assisted", "reflection
    /// period" and "residence permit" from any of them.
    pub(crate) async fn person_records(
        &self,
        principal: &Principal,
        year: u16,
    ) -> AppResult<(Vec<PersonRecord>, Counting)> {
        let country = principal.organisation.jurisdiction.code().to_owned();
        let regs = self.store.registrations_in(&country).await?;
        let referred: Vec<&RegistrationRow> =
            regs.iter().filter(|r| r.state == "submitted" && r.referred_on.is_some()).collect();
        // the maintained person clusters (linked now while a re-link after a model change runs)
        let (assignment, summary) = self.assign_referred(&country, &referred).await?;
        let facts: HashMap<String, (String, i64)> = self
            .store
            .stat_facts(&country)
            .await?
            .into_iter()
            .map(|f| (f.case_id, (f.org_kind, f.plan_items)))
            .collect();
        let mut permits: HashSet<String> = HashSet::new();
        for r in self.store.permit_decisions_in(&country).await? {
            let body = self.keys.decrypt_str(&crate::ident::ctx("case_records", "body", &r.id), &r.body)?;
            let granted = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("granted").and_then(serde_json::Value::as_bool))
                .unwrap_or(false);
            if granted {
                permits.insert(r.case_id);
            }
        }
        // group records by person, earliest registration first
        let mut persons: BTreeMap<u32, Vec<&RegistrationRow>> = BTreeMap::new();
        for (row, person) in referred.iter().zip(&assignment) {
            persons.entry(*person).or_default().push(row);
        }
        let mut records = Vec::new();
        let mut left_out = 0u64;
        for rows in persons.values_mut() {
            rows.sort_by(|a, b| (a.referred_on.as_deref(), &a.case_id).cmp(&(b.referred_on.as_deref(), &b.case_id)));
            let Some(first) = rows.first() else { continue };
            if first.referred_on.as_deref().and_then(year_of) != Some(year) {
                continue;
            }
            let mut rank = 0;
            for r in rows.iter() {
                let presumed_from_referral = self.procedure_of(principal.organisation.jurisdiction, r)?.presumed_from
                    == haven_domain::ident::procedure::PresumedFrom::Referral;
                rank = rank.max(status_rank(r.nrm_status.as_deref(), presumed_from_referral));
            }
            if rank == 0 {
                left_out += 1;
                continue;
            }
            let org = facts.get(&first.case_id).map_or("", |(k, _)| k.as_str());
            let assisted = rows
                .iter()
                .any(|r| r.assistance_since.is_some() || facts.get(&r.case_id).is_some_and(|(_, items)| *items > 0));
            let reflection = rows.iter().any(|r| r.reflection_from.is_some());
            let permit = rows.iter().any(|r| permits.contains(&r.case_id));
            let record = PersonRecord::from_codes(
                &country,
                if rank == 2 { "IDENT" } else { "PRES" },
                sex_code(&first.sex),
                age_code(&first.age_group),
                age_class_code(&first.child_status),
                &first_citizenship(&first.citizenships),
                self.exploit_code(&first.forms),
                org_kind_code(org),
                assisted,
                reflection,
                permit,
            )
            .map_err(|field| {
                AppError::Internal(format!("a stored registration has no statistical {field} code").into())
            })?;
            records.push(record);
        }
        let persons_in_year = records.len() as u64;
        let mut notifications = 0u64;
        for n in self.store.notifications_in(&country).await? {
            if year_of(&n.notified_on) != Some(year) {
                continue;
            }
            notifications += 1;
            let record = PersonRecord::from_codes(
                &country,
                "NOTIF",
                sex_code(&n.sex),
                age_code(&n.age_group),
                age_class_of_group(&n.age_group),
                &first_citizenship(&n.citizenship),
                self.exploit_code(&n.forms),
                org_kind_code(&n.organisation_kind),
                false,
                false,
                false,
            )
            .map_err(|field| {
                AppError::Internal(format!("a stored notification has no statistical {field} code").into())
            })?;
            records.push(record);
        }
        let counting = Counting {
            registrations: summary.records,
            persons: summary.persons,
            merged: summary.merged,
            persons_in_year,
            left_out,
            notifications,
            method: format!(
                "Persons, not records: {}. A person is counted once, in the year of their first registration, \
                 under the values of that registration; identified if any registration has a positive final \
                 decision, presumed where the country's procedure presumes (from the referral or from a positive \
                 first decision); registrations closed negative, withdrawn or only referred where the procedure \
                 presumes from a first decision are left out. Anonymous notifications cannot be linked and count one each.",
                summary.method
            ),
        };
        Ok((records, counting))
    }

    /// The national tables of a reference year for the principal's country (true counts, for
    /// the country's statistics readers; audited). An empty year gives tables of zeros.
    pub async fn national_tables(&self, principal: &Principal, year: u16) -> AppResult<NationalTables> {
        self.require(principal, Permission::ReadStatistics).await?;
        self.require_national(principal).await?;
        check_year(year)?;
        let (records, counting) = self.person_records(principal, year).await?;
        let (offenders, offender_counting) = self.offender_records(principal, year).await?;
        let citizens = national::citizens_of(&records);
        let specs = national::national_tables(&citizens, true);
        let tables = national::build(&specs, &records, &offenders);
        let event = self
            .event(principal, AuditAction::StatisticsRead)
            .on(
                "statistics",
                &format!("{}-{year}", principal.organisation.jurisdiction.code()),
                Some(&principal.organisation.id),
            )
            .detail(format!("tables={}", tables.len()));
        self.store.append_audit(&event).await?;
        Ok(NationalTables {
            country: principal.organisation.jurisdiction.code().to_owned(),
            year,
            tables,
            counting,
            offenders: offender_counting,
        })
    }

    /// National statistics belong to a country: the EU level has no case data, only what the
    /// member states submit to the hub.
    pub(crate) async fn require_national(&self, principal: &Principal) -> AppResult<()> {
        if principal.organisation.jurisdiction.code() == "EU" {
            return Err(AppError::Invalid(haven_domain::ParseError::said(
                "jurisdiction",
                "the EU level holds no case data: national tables and releases are made in a member state; see the \
                 EU hub for what has been submitted",
                haven_domain::Message::new(haven_domain::MessageId::EuHoldsNoCases),
            )));
        }
        Ok(())
    }
}

/// Reference years the platform accepts.
pub fn check_year(year: u16) -> AppResult<()> {
    if !(2000..=2100).contains(&year) {
        return Err(haven_domain::ParseError::said(
            "year",
            "a reference year between 2000 and 2100",
            haven_domain::Message::new(haven_domain::MessageId::ReferenceYear),
        )
        .into());
    }
    Ok(())
}

/// The finest exploitation codes, for pages that list them.
pub fn exploit_codes() -> &'static [&'static str] {
    EXPLOIT_FINE
}

// ---------------------------------------------------------------------------------------------
// Releases

use haven_stats::dp::{self, Delta, DpParams, Epsilon, Mechanism, PrivacyCost};
use haven_stats::hub;
use haven_stats::sdc::{self, ProtectionLevel, SdcParams};
use haven_stats::{ConfStatus, Dataset, Observation, TableSpec};
use haven_storage::{Charge, ReleaseRow, ReleasesBefore};
use serde::Deserialize;

/// The dataflow of every file Haven writes and reads.
pub const DATAFLOW: &str = haven_stats::sdmx::DATAFLOW;

/// What a rapporteur asks for: a year and a protection mode with its parameters.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRequest {
    pub year: u16,
    /// `suppression` (cell suppression with an audit) or `dp` (differential privacy).
    pub mode: String,
    /// Suppression: cells of 1 to threshold-1 persons are confidential (default 5).
    #[serde(default)]
    pub threshold: Option<u64>,
    /// Suppression: how many persons the attacker's interval must reach each way around a
    /// confidential cell (default: the threshold).
    #[serde(default)]
    pub protection: Option<u64>,
    /// Differential privacy: `laplace` (pure ε) or `gaussian` (ε, δ).
    #[serde(default)]
    pub mechanism: Option<String>,
    /// Differential privacy: the ε this release spends, as a decimal.
    #[serde(default)]
    pub epsilon: Option<String>,
    /// Differential privacy, Gaussian: the δ this release spends, as a decimal.
    #[serde(default)]
    pub delta: Option<String>,
}

/// The audit of one suppressed cell as kept with a release: the interval an attacker can derive
/// from everything published (never the true value, nor whether the cell was small or hidden to
/// protect another: every hidden cell is published alike, `CONF_STATUS` `C`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditedCell {
    pub table: String,
    pub index: usize,
    pub lower: f64,
    pub upper: Option<f64>,
    pub safe: bool,
}

/// Disclosure control as applied to a release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuppressionReport {
    pub threshold: u64,
    pub protection: u64,
    pub primary: usize,
    pub secondary: usize,
    pub passed: bool,
    pub linear_programs: usize,
    pub cells: Vec<AuditedCell>,
}

/// Differential privacy as applied to a release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DpReport {
    pub mechanism: String,
    pub epsilon: String,
    pub delta: String,
    pub queries: usize,
    /// Standard deviation of the noise of one noised count, in persons.
    pub noise_std_dev: f64,
    /// The dataset's budget and what is spent after this release.
    pub budget_epsilon: String,
    pub budget_delta: String,
    pub spent_epsilon: String,
    pub spent_delta: String,
}

/// Everything said about a release besides its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseReport {
    /// How persons were counted (not given for files received from elsewhere).
    pub counting: Option<CountingNote>,
    /// How the offenders of the trafficker tables were counted (releases made before they were
    /// counted from the proceedings data have none, and no offender tables).
    #[serde(default)]
    pub offenders: Option<OffenderCounting>,
    /// Amounts frozen, seized, confiscated and realised in the year (Dir 2011/36 Art 7), in euro,
    /// each confidential when few investigations or one alone make it up: cell suppression
    /// releases only (none under differential privacy, nor in releases made before).
    #[serde(default)]
    pub amounts: Vec<haven_stats::amounts::AmountFigure>,
    /// The tables, in order, to lay the observations out.
    pub tables: Vec<TableSpec>,
    pub suppression: Option<SuppressionReport>,
    pub dp: Option<DpReport>,
    /// Plain-language notes (what is not available and why).
    pub notes: Vec<String>,
}

/// [`Counting`] as stored with a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountingNote {
    pub registrations: u64,
    pub persons: u64,
    pub merged: u64,
    pub persons_in_year: u64,
    pub left_out: u64,
    pub notifications: u64,
    pub method: String,
}

impl From<Counting> for CountingNote {
    fn from(c: Counting) -> Self {
        CountingNote {
            registrations: c.registrations,
            persons: c.persons,
            merged: c.merged,
            persons_in_year: c.persons_in_year,
            left_out: c.left_out,
            notifications: c.notifications,
            method: c.method,
        }
    }
}

/// A release as shown and exported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Release {
    pub id: String,
    pub country: String,
    pub year: u16,
    pub mode: String,
    pub created_at: i64,
    pub created_by: String,
    pub dataset: Dataset,
    pub report: ReleaseReport,
}

/// One cell of a table laid out from a release.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShownCell {
    pub value: Option<u64>,
    pub conf: ConfStatus,
    pub error: Option<f64>,
}

/// The cells of table `spec` in its row-major order, from a dataset's observations.
fn cells_of(dataset: &Dataset, spec: &TableSpec) -> Vec<ShownCell> {
    let by_key: HashMap<&haven_stats::CellKey, &Observation> =
        dataset.observations.iter().map(|o| (&o.key, o)).collect();
    (0..spec.len())
        .map(|i| match by_key.get(&spec.key(i)) {
            Some(o) => ShownCell { value: o.value, conf: o.conf, error: o.error },
            None => ShownCell { value: None, conf: ConfStatus::Free, error: None },
        })
        .collect()
}

/// What a release would publish, and whether release control refuses it: computed without
/// storing anything or spending any privacy budget ([`App::preview_release`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReleasePreview {
    pub country: String,
    pub year: u16,
    pub mode: String,
    /// The observations as they would be published (suppression: exact counts, every hidden cell
    /// confidential alike). `None` for differential privacy: noise is drawn only when the release
    /// is made.
    pub dataset: Option<Dataset>,
    /// The tables, the counting note, the suppression audit or the noise, cost and budget after.
    pub report: ReleaseReport,
    /// Why release control would refuse it (the first reason found), with the cells at fault.
    pub refusal: Option<Refusal>,
    /// The cells at fault of a refused suppression release (their labels are in the refusal).
    pub at_fault: Vec<haven_stats::CellKey>,
}

impl ReleasePreview {
    /// The cells of table `spec` as they would be published (none for differential privacy).
    pub fn cells(&self, spec: &TableSpec) -> Vec<ShownCell> {
        self.dataset.as_ref().map(|d| cells_of(d, spec)).unwrap_or_default()
    }

    /// Whether publishing it now would be refused.
    pub fn refused(&self) -> bool {
        self.refusal.is_some()
    }
}

/// A computed release before it is stored.
struct Computed {
    preview: ReleasePreview,
    charge: Option<Charge>,
    params_json: serde_json::Value,
    /// Releases of the year already published when it was computed.
    published: usize,
}

impl Release {
    /// The cells of table `spec` in its row-major order, from the observations.
    pub fn cells(&self, spec: &TableSpec) -> Vec<ShownCell> {
        cells_of(&self.dataset, spec)
    }

    /// The headline figure of a table: its grand total as released (fixed when the release was
    /// made, confidential or blank as published).
    pub fn headline(&self, spec: &TableSpec) -> ShownCell {
        let total = spec.key(spec.len().saturating_sub(1));
        match self.dataset.observations.iter().find(|o| o.key == total) {
            Some(o) => ShownCell { value: o.value, conf: o.conf, error: o.error },
            None => ShownCell { value: None, conf: ConfStatus::Free, error: None },
        }
    }

    /// Whether the release has offender figures (traffickers, users of services): every national
    /// release made since they are counted from the proceedings data has them, even when zero.
    pub fn has_offenders(&self) -> bool {
        self.dataset.observations.iter().any(|o| o.key.indicator.is_offender())
    }

    pub fn table(&self, id: &str) -> Option<&TableSpec> {
        self.report.tables.iter().find(|t| t.id == id)
    }

    /// How persons were counted, in words with the counts: the SDMX-CSV file's data-set comment
    /// (`COMMENT_DSET`) and the start of the spreadsheet's metadata.
    pub fn counting_note(&self) -> Option<String> {
        self.report.counting.as_ref().map(|c| {
            let mut note = format!(
                "{} {} registrations linked into {} persons ({} merged); {} persons and {} anonymous notifications in \
                 {}. Every count is of persons (UNIT_MEASURE PS).",
                c.method, c.registrations, c.persons, c.merged, c.persons_in_year, c.notifications, self.year
            );
            if let Some(o) = &self.report.offenders {
                note.push_str(&format!(
                    " {} {} suspects linked into {} persons ({} merged); {} legal persons not counted.",
                    o.method, o.suspects, o.persons, o.merged, o.legal_persons
                ));
            }
            note
        })
    }

    /// The release's notes for a spreadsheet's metadata sheet.
    pub fn method_notes(&self) -> String {
        let mut out = Vec::new();
        out.extend(self.counting_note());
        if let Some(s) = &self.report.suppression {
            out.push(format!(
                "Cell suppression: cells of 1 to {} persons are confidential, and further cells are hidden so that \
                 none can be recovered; every hidden cell is flagged alike (flag c, CONF_STATUS C), whatever the reason \
                 it is hidden. An audit by linear programming over everything published in the release (every \
                 table's sums, citizenship groups against their countries, age groups against children and adults, \
                 victims assisted, given a reflection period or a residence permit against those registered) found \
                 every small cell protected by at least {} persons each way.",
                s.threshold - 1,
                s.protection
            ));
        }
        if let Some(d) = &self.report.dp {
            out.push(format!(
                "Differential privacy: {} noise, epsilon {} and delta {} for this release; noise standard deviation {:.2} \
                 persons per count (OBS_ERROR); counts adjusted to non-negative whole numbers that add up.",
                d.mechanism, d.epsilon, d.delta, d.noise_std_dev
            ));
        }
        if !self.report.amounts.is_empty() {
            let figures: Vec<String> = self
                .report
                .amounts
                .iter()
                .map(|a| format!("{} {}", a.code, a.euro.map_or_else(|| "c".to_owned(), |e| format!("{e} EUR"))))
                .collect();
            out.push(format!(
                "Amounts of the year (Dir 2011/36 Art 7), in euro at the recorded rates, each asset once per measure \
                 kind; a figure is confidential (c) when fewer than {} investigations make it up or one makes up more \
                 than {} %: {}.",
                self.report.suppression.as_ref().map_or(0, |s| s.threshold),
                haven_stats::amounts::DOMINANCE_PERCENT,
                figures.join(", ")
            ));
        }
        out.extend(self.report.notes.iter().cloned());
        out.join(" ")
    }
}

/// A release in a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReleaseSummary {
    pub id: String,
    pub year: u16,
    pub mode: String,
    pub created_at: i64,
    pub observations: usize,
    pub confidential: usize,
}

/// A dataset's privacy budget and what is spent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetView {
    pub year: u16,
    pub budget_epsilon: String,
    pub budget_delta: String,
    pub spent_epsilon: String,
    pub spent_delta: String,
    pub remaining_epsilon: String,
    pub remaining_delta: String,
}

/// What an earlier suppression release of the year made public: its rule and what it printed.
fn earlier_of(row: &ReleaseRow) -> AppResult<sdc::Earlier> {
    let params: serde_json::Value = serde_json::from_str(&row.params).map_err(internal)?;
    let threshold =
        params["threshold"].as_u64().ok_or_else(|| AppError::Internal("a release without threshold".into()))?;
    let protection =
        params["protection"].as_u64().ok_or_else(|| AppError::Internal("a release without protection".into()))?;
    let dataset: Dataset = serde_json::from_str(&row.dataset).map_err(internal)?;
    Ok(sdc::Earlier {
        params: SdcParams { threshold, protection: ProtectionLevel::Absolute(protection) },
        published: dataset
            .observations
            .into_iter()
            .filter(|o| !o.conf.is_suppressed())
            .filter_map(|o| o.value.map(|v| (o.key, v)))
            .collect(),
    })
}

/// Refuses an exact release beside a differentially private one of the same year, or the
/// other way round.
fn mixed_modes(year: u16, dp_published: bool) -> Refusal {
    let (message_id, english) = if dp_published {
        (
            "stats-refused-exact-beside-dp",
            format!(
                "{year} already has a differentially private release: an exact release beside it would void the \
                 noise's guarantee. Nothing was published."
            ),
        )
    } else {
        (
            "stats-refused-dp-beside-exact",
            format!(
                "{year} already has an exact release (cell suppression): a differentially private release beside it \
                 would not have its guarantee. Nothing was published."
            ),
        )
    };
    Refusal { message_id, arg: ("year", year.to_string()), items: Vec::new(), english }
}

/// Refuses a suppression release that, together with those of the year already published,
/// would leave small cells unprotected: lists them.
fn broken_together(year: u16, audit: &sdc::AuditReport) -> Refusal {
    let items: Vec<String> = audit.unsafe_cells().map(|c| hub::key_label(&c.key)).collect();
    let english = format!(
        "Together with the releases of {year} already published, these cells would not be protected (small cells \
         already printed, or cells the releases together would narrow down). Nothing was published. Cells: {}",
        items.join(", ")
    );
    Refusal { message_id: "stats-refused-cells", arg: ("year", year.to_string()), items, english }
}

/// Refuses a suppression release whose own audit finds a confidential cell that could be narrowed
/// down from what it would publish: lists them.
fn audit_failed(year: u16, audit: &sdc::AuditReport) -> Refusal {
    let items: Vec<String> = audit.unsafe_cells().map(|c| hub::key_label(&c.key)).collect();
    let english = format!(
        "The audit found confidential cells of {year} that could be narrowed down from what would be published. \
         Nothing was published. Cells: {}",
        items.join(", ")
    );
    Refusal { message_id: "stats-refused-audit", arg: ("year", year.to_string()), items, english }
}

/// Refuses a differentially private release the year's privacy budget cannot cover.
fn over_budget(country: &str, year: u16, left: PrivacyCost, cost: PrivacyCost) -> Refusal {
    Refusal {
        message_id: "stats-refused-budget",
        arg: ("year", year.to_string()),
        items: vec![format!("ε {} / {}", cost.epsilon, left.epsilon), format!("δ {} / {}", cost.delta, left.delta)],
        english: format!(
            "the privacy budget of {country} {year} has epsilon {} and delta {} left; this release would spend \
             epsilon {} and delta {}. Nothing was published.",
            left.epsilon, left.delta, cost.epsilon, cost.delta
        ),
    }
}

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    haven_domain::ParseError::new(field, message).into()
}

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(Box::new(e))
}

fn epsilon_micro(e: Epsilon) -> AppResult<i64> {
    i64::try_from(e.micros()).map_err(|_| invalid("epsilon", "too large"))
}

/// δ in units of 10^-12 as stored (δ below a pico-unit rounds up: the ledger never undercounts).
fn delta_pico(d: Delta) -> AppResult<i64> {
    let atto = d.atto();
    i64::try_from(atto.div_ceil(1_000_000)).map_err(|_| invalid("delta", "too large"))
}

fn delta_from_pico(p: i64) -> Delta {
    Delta::from_atto(u64::try_from(p).unwrap_or(0).saturating_mul(1_000_000))
}

fn epsilon_from_micro(m: i64) -> Epsilon {
    Epsilon::from_micros(u64::try_from(m).unwrap_or(0))
}

enum Mode {
    Suppression(SdcParams),
    Dp(DpParams),
}

fn parse_request(req: &ReleaseRequest) -> AppResult<Mode> {
    check_year(req.year)?;
    match req.mode.as_str() {
        "suppression" => {
            let threshold = req.threshold.unwrap_or(5);
            let params =
                SdcParams { threshold, protection: ProtectionLevel::Absolute(req.protection.unwrap_or(threshold)) };
            params.validate().map_err(|e| match e {
                sdc::SdcError::OutOfRange { field, .. } => {
                    invalid(if field.starts_with("protection") { "protection" } else { "threshold" }, e.to_string())
                }
                other => invalid("threshold", other.to_string()),
            })?;
            Ok(Mode::Suppression(params))
        }
        "dp" => {
            let epsilon = Epsilon::parse(req.epsilon.as_deref().unwrap_or("").trim())
                .map_err(|e| invalid("epsilon", e.to_string()))?;
            let params = match req.mechanism.as_deref().unwrap_or("laplace") {
                "laplace" => {
                    if req.delta.as_deref().is_some_and(|d| !d.trim().is_empty() && d.trim() != "0") {
                        return Err(invalid(
                            "delta",
                            "the Laplace mechanism gives pure differential privacy: no delta",
                        ));
                    }
                    DpParams::laplace(epsilon)
                }
                "gaussian" => {
                    let delta = Delta::parse(req.delta.as_deref().unwrap_or("").trim())
                        .map_err(|e| invalid("delta", e.to_string()))?;
                    DpParams::gaussian(epsilon, delta)
                }
                other => return Err(invalid("mechanism", format!("{other:?} is not laplace or gaussian"))),
            };
            params.validate().map_err(|e| invalid(e.field, e.to_string()))?;
            Ok(Mode::Dp(params))
        }
        other => Err(invalid("mode", format!("{other:?} is not suppression or dp"))),
    }
}

impl App {
    fn budget_setting(&self) -> AppResult<PrivacyCost> {
        let (e, d) = &self.settings.privacy_budget;
        let epsilon =
            Epsilon::parse(e).map_err(|x| AppError::Internal(format!("privacy budget setting: {x}").into()))?;
        let delta = Delta::parse(d).map_err(|x| AppError::Internal(format!("privacy budget setting: {x}").into()))?;
        Ok(PrivacyCost::new(epsilon, delta))
    }

    /// A dataset's budget and what is spent of it (the configured budget, nothing spent, before
    /// its first differentially private release).
    async fn budget_and_spent(&self, country: &str, year: u16) -> AppResult<(PrivacyCost, PrivacyCost)> {
        Ok(match self.store.privacy_budget(country, i64::from(year)).await? {
            Some(r) => (
                PrivacyCost::new(epsilon_from_micro(r.epsilon_budget_micro), delta_from_pico(r.delta_budget_pico)),
                PrivacyCost::new(epsilon_from_micro(r.epsilon_spent_micro), delta_from_pico(r.delta_spent_pico)),
            ),
            None => (self.budget_setting()?, PrivacyCost::ZERO),
        })
    }

    /// The privacy budget of the principal's country for a year (what is spent and what is left).
    pub async fn privacy_budget(&self, principal: &Principal, year: u16) -> AppResult<BudgetView> {
        self.require(principal, Permission::ReadStatistics).await?;
        self.require_national(principal).await?;
        check_year(year)?;
        let (budget, spent) = self.budget_and_spent(principal.organisation.jurisdiction.code(), year).await?;
        let remaining_e = budget.epsilon.checked_sub(spent.epsilon).unwrap_or(Epsilon::ZERO);
        let remaining_d = budget.delta.checked_sub(spent.delta).unwrap_or(Delta::ZERO);
        Ok(BudgetView {
            year,
            budget_epsilon: budget.epsilon.to_string(),
            budget_delta: budget.delta.to_string(),
            spent_epsilon: spent.epsilon.to_string(),
            spent_delta: spent.delta.to_string(),
            remaining_epsilon: remaining_e.to_string(),
            remaining_delta: remaining_d.to_string(),
        })
    }

    /// Builds and stores a release of the national tables of a year, protected by cell
    /// suppression (refused if the audit finds a cell an attacker could narrow down) or by
    /// differential privacy (refused if the dataset's privacy budget cannot cover it). Parameters
    /// out of range are refused with the reason before anything is computed.
    ///
    /// Release control: a suppression release is audited jointly with the suppression releases
    /// of the same year already published (what they printed is public; the small cells of their
    /// rules keep their protection) and refused, with the cells at fault, when together they would
    /// break the rule; exact (suppression) and differentially private releases of the same year
    /// are mutually exclusive (an exact release beside a noisy one voids the noise's guarantee).
    /// The release is stored only if no other release of the year was published meanwhile.
    /// [`App::preview_release`] is the same without storing or spending anything.
    pub async fn create_release(&self, principal: &Principal, req: &ReleaseRequest) -> AppResult<Release> {
        let computed = self.compute_release(principal, req, true).await?;
        let Computed { preview, charge, params_json, published } = computed;
        if let Some(refusal) = preview.refusal {
            return Err(AppError::Refused(refusal));
        }
        let dataset = preview.dataset.ok_or_else(|| AppError::Internal("a release without its figures".into()))?;
        let (country, year, report) = (preview.country, preview.year, preview.report);
        let mode_code = preview.mode;
        let budget = self.budget_setting()?;
        let id = crate::new_id();
        let now = self.now();
        let row = ReleaseRow {
            id: id.clone(),
            jurisdiction: country.clone(),
            year: i64::from(year),
            mode: mode_code.clone(),
            params: params_json.to_string(),
            dataset: serde_json::to_string(&dataset).map_err(internal)?,
            report: serde_json::to_string(&report).map_err(internal)?,
            epsilon_micro: charge.map(|c| c.epsilon_micro),
            delta_pico: charge.map(|c| c.delta_pico),
            created_by: principal.user.id.clone(),
            created_at: now,
        };
        let event = self
            .event(principal, AuditAction::ReleaseCreated)
            .on("release", &id, Some(&principal.organisation.id))
            .detail(format!("year={year} mode={mode_code}"));
        let before = ReleasesBefore {
            releases: i64::try_from(published).map_err(internal)?,
            default_epsilon_budget_micro: epsilon_micro(budget.epsilon)?,
            default_delta_budget_pico: delta_pico(budget.delta)?,
        };
        self.store.add_release_after(&row, charge, before, &event).await?;
        Ok(Release {
            id,
            country,
            year,
            mode: mode_code,
            created_at: now,
            created_by: principal.user.id.clone(),
            dataset,
            report,
        })
    }

    /// What a release would publish and whether release control would refuse it, computed as
    /// [`App::create_release`] computes it, without storing anything or spending any privacy
    /// budget (the read is audited). A suppression preview has the figures as they would be
    /// published (hidden cells confidential), the audit and, when refused, the refusal with the
    /// cells at fault; a differentially private preview has the noise, the cost and the budget but
    /// no figures: noise is drawn only when the release is made, since noisy figures shown before
    /// would be a release the budget never paid for (and drawing again until pleased would
    /// average the noise away).
    pub async fn preview_release(&self, principal: &Principal, req: &ReleaseRequest) -> AppResult<ReleasePreview> {
        let computed = self.compute_release(principal, req, false).await?;
        let p = &computed.preview;
        let event = self
            .event(principal, AuditAction::StatisticsRead)
            .on("statistics", &format!("{}-{}", p.country, p.year), Some(&principal.organisation.id))
            .detail(format!("preview mode={} refused={}", p.mode, p.refusal.is_some()));
        self.store.append_audit(&event).await?;
        Ok(computed.preview)
    }

    /// Computes a release (`publish`: noise is drawn, and the first refusal is returned at once,
    /// before the data are read) or its preview (no noise; every check run and the first refusal
    /// kept with what would be published).
    async fn compute_release(&self, principal: &Principal, req: &ReleaseRequest, publish: bool) -> AppResult<Computed> {
        self.require(principal, Permission::PublishStatistics).await?;
        self.require_national(principal).await?;
        let mode = parse_request(req)?;
        let country = principal.organisation.jurisdiction.code().to_owned();
        let year = req.year;
        let budget = self.budget_setting()?;
        let published = self.store.releases_in(&country, Some(i64::from(year))).await?;
        let mut refusal: Option<Refusal> = None;
        let mut at_fault: Vec<haven_stats::CellKey> = Vec::new();
        let other_mode = match mode {
            Mode::Suppression(_) => "dp",
            Mode::Dp(_) => "suppression",
        };
        if published.iter().any(|r| r.mode == other_mode) {
            let r = mixed_modes(year, other_mode == "dp");
            if publish {
                return Err(AppError::Refused(r));
            }
            refusal = Some(r);
        }
        let earlier: Vec<sdc::Earlier> =
            published.iter().filter(|r| r.mode == "suppression").map(earlier_of).collect::<AppResult<_>>()?;
        let (budget_now, spent_before) = self.budget_and_spent(&country, year).await?;
        if let Mode::Dp(params) = &mode {
            let left = PrivacyCost::new(
                budget_now.epsilon.checked_sub(spent_before.epsilon).unwrap_or(Epsilon::ZERO),
                budget_now.delta.checked_sub(spent_before.delta).unwrap_or(Delta::ZERO),
            );
            if !params.cost().fits_within(left) {
                let r = over_budget(&country, year, left, params.cost());
                if publish {
                    return Err(AppError::Refused(r));
                }
                refusal = refusal.or(Some(r));
            }
        }
        let (records, counting) = self.person_records(principal, year).await?;
        let (offenders, offender_counting) = self.offender_records(principal, year).await?;
        // Under differential privacy the code lists must not depend on the data (which countries
        // occur would leak): every ISO country is listed. Suppression protects small cells, and
        // lists the countries present.
        let citizens = match mode {
            Mode::Dp(_) => {
                // as Eurostat writes them (EL, UK), sorted as the hub lays them out
                let mut all: Vec<String> = haven_domain::org::iso_country_codes()
                    .map(|c| haven_stats::codes::to_eurostat(c).to_owned())
                    .collect();
                all.sort();
                all.dedup();
                all.push("UNK".to_owned());
                all
            }
            Mode::Suppression(_) => national::citizens_of(&records),
        };
        let specs = national::national_tables(&citizens, true);
        let tables = national::build(&specs, &records, &offenders);
        // what leaves the country carries the country as Eurostat writes it (EL for Greece)
        let geo = haven_stats::codes::to_eurostat(&country).to_owned();
        let (dataset, report, mode_code, charge, params_json) = match mode {
            Mode::Suppression(params) => {
                let amounts = self.asset_amounts(principal, year, params.threshold).await?;
                let protection = sdc::protect_after(&geo, &tables, &params, &earlier).map_err(internal)?;
                if !protection.audit.passed {
                    at_fault = protection.audit.unsafe_cells().map(|c| c.key.clone()).collect();
                    let r = if earlier.is_empty() {
                        audit_failed(year, &protection.audit)
                    } else {
                        broken_together(year, &protection.audit)
                    };
                    if publish {
                        return Err(AppError::Refused(r));
                    }
                    refusal = refusal.or(Some(r));
                }
                let dataset = hub::dataset_from_tables(&geo, year, &tables, Some(&protection.status));
                let report = SuppressionReport {
                    threshold: params.threshold,
                    protection: params.protection_of(1),
                    primary: protection.primary(),
                    secondary: protection.secondary(),
                    passed: protection.audit.passed,
                    linear_programs: protection.audit.lps,
                    cells: protection
                        .audit
                        .cells
                        .iter()
                        .filter(|c| c.suppressed)
                        .map(|c| AuditedCell {
                            table: c.table.clone(),
                            index: c.index,
                            lower: c.lower,
                            upper: c.upper,
                            safe: c.safe,
                        })
                        .collect(),
                };
                let params_json =
                    serde_json::json!({ "threshold": params.threshold, "protection": params.protection_of(1) });
                (
                    Some(dataset),
                    ReleaseReport {
                        counting: Some(counting.into()),
                        offenders: Some(offender_counting),
                        amounts,
                        tables: specs.clone(),
                        suppression: Some(report),
                        dp: None,
                        notes: Vec::new(),
                    },
                    "suppression",
                    None,
                    params_json,
                )
            }
            Mode::Dp(params) => {
                let (dataset, cost, queries, noise) = if publish {
                    let released = dp::release_with_os_rng(&tables, &params).map_err(internal)?;
                    let observations = released.observations();
                    (
                        Some(Dataset { country: geo.clone(), year, observations }),
                        released.spent,
                        released.queries,
                        released.noise,
                    )
                } else {
                    // the same calibration the release makes, without drawing
                    let queries = dp::query_count(&specs).map_err(internal)?;
                    let noise = dp::params::calibrate(&params, queries).map_err(internal)?;
                    (None, params.cost(), queries, noise)
                };
                let spent_after = spent_before.compose(cost).unwrap_or(budget_now);
                let mechanism = match params.mechanism {
                    Mechanism::DiscreteLaplace => "discrete Laplace",
                    Mechanism::DiscreteGaussian => "discrete Gaussian",
                };
                let report = DpReport {
                    mechanism: mechanism.to_owned(),
                    epsilon: cost.epsilon.to_string(),
                    delta: cost.delta.to_string(),
                    queries,
                    noise_std_dev: noise.std_dev(),
                    budget_epsilon: budget_now.epsilon.to_string(),
                    budget_delta: budget_now.delta.to_string(),
                    spent_epsilon: spent_after.epsilon.to_string(),
                    spent_delta: spent_after.delta.to_string(),
                };
                let charge = Charge {
                    epsilon_micro: epsilon_micro(cost.epsilon)?,
                    delta_pico: delta_pico(cost.delta)?,
                    default_epsilon_budget_micro: epsilon_micro(budget.epsilon)?,
                    default_delta_budget_pico: delta_pico(budget.delta)?,
                };
                let params_json = serde_json::json!({
                    "mechanism": req.mechanism.clone().unwrap_or_else(|| "laplace".into()),
                    "epsilon": cost.epsilon.to_string(),
                    "delta": cost.delta.to_string(),
                });
                (
                    dataset,
                    ReleaseReport {
                        counting: Some(counting.into()),
                        offenders: Some(offender_counting),
                        amounts: Vec::new(),
                        tables: specs.clone(),
                        suppression: None,
                        dp: Some(report),
                        notes: Vec::new(),
                    },
                    "dp",
                    Some(charge),
                    params_json,
                )
            }
        };
        // what leaves the country must pass the EU level's own checks
        if let Some(dataset) = &dataset
            && let Err(findings) = hub::validate(dataset, &geo, year)
        {
            let listed: Vec<String> = findings.iter().take(5).map(ToString::to_string).collect();
            return Err(AppError::Internal(format!("a release failed validation: {}", listed.join("; ")).into()));
        }
        Ok(Computed {
            preview: ReleasePreview { country, year, mode: mode_code.to_owned(), dataset, report, refusal, at_fault },
            charge,
            params_json,
            published: published.len(),
        })
    }

    fn release_of(row: ReleaseRow) -> AppResult<Release> {
        Ok(Release {
            year: u16::try_from(row.year).map_err(internal)?,
            dataset: serde_json::from_str(&row.dataset).map_err(internal)?,
            report: serde_json::from_str(&row.report).map_err(internal)?,
            id: row.id,
            country: row.jurisdiction,
            mode: row.mode,
            created_at: row.created_at,
            created_by: row.created_by,
        })
    }

    /// The releases of the principal's country (one year or all), newest first.
    pub async fn releases(&self, principal: &Principal, year: Option<u16>) -> AppResult<Vec<ReleaseSummary>> {
        self.require(principal, Permission::ReadStatistics).await?;
        self.require_national(principal).await?;
        let rows = self.store.releases_in(principal.organisation.jurisdiction.code(), year.map(i64::from)).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let r = Self::release_of(row)?;
            out.push(ReleaseSummary {
                confidential: r.dataset.observations.iter().filter(|o| o.conf.is_suppressed()).count(),
                observations: r.dataset.observations.len(),
                id: r.id,
                year: r.year,
                mode: r.mode,
                created_at: r.created_at,
            });
        }
        Ok(out)
    }

    /// One release of the principal's country (audited).
    pub async fn release(&self, principal: &Principal, id: &str) -> AppResult<Release> {
        self.require(principal, Permission::ReadStatistics).await?;
        self.require_national(principal).await?;
        let row = self.store.release(id).await?.ok_or(AppError::NotFound)?;
        if row.jurisdiction != principal.organisation.jurisdiction.code() {
            self.audit_denied(principal, "release", id, None).await;
            return Err(AppError::NotFound);
        }
        let event = self.event(principal, AuditAction::ReleaseRead).on("release", id, Some(&principal.organisation.id));
        self.store.append_audit(&event).await?;
        Self::release_of(row)
    }

    /// The latest release of each year of the principal's country, oldest year first.
    pub async fn latest_releases(&self, principal: &Principal) -> AppResult<Vec<Release>> {
        self.require(principal, Permission::ReadStatistics).await?;
        self.require_national(principal).await?;
        let rows = self.store.releases_in(principal.organisation.jurisdiction.code(), None).await?;
        let mut by_year: BTreeMap<i64, ReleaseRow> = BTreeMap::new();
        for row in rows {
            by_year.entry(row.year).or_insert(row);
        }
        by_year.into_values().map(Self::release_of).collect()
    }
}

/// A release as SDMX-CSV, every count in persons (`UNIT_MEASURE` `PS`) and the counting note as
/// the data set's comment (`COMMENT_DSET`).
pub fn release_sdmx(release: &Release) -> AppResult<String> {
    let note = release.counting_note().unwrap_or_default();
    haven_stats::sdmx::to_csv_with_comment(std::slice::from_ref(&release.dataset), DATAFLOW, &note).map_err(internal)
}

/// A release as the spreadsheet questionnaire.
pub fn release_xlsx(release: &Release) -> AppResult<Vec<u8>> {
    haven_stats::xlsx::to_xlsx(&release.dataset, DATAFLOW, &release.method_notes()).map_err(internal)
}

/// One table of a release as CSV: a column per dimension (codes), then the value, the flag
/// (`c` confidential) and the expected error.
pub fn table_csv(release: &Release, spec: &TableSpec) -> AppResult<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = spec.dims.iter().map(|d| d.concept.id().to_owned()).collect();
    header.extend(["OBS_VALUE", "OBS_FLAG", "CONF_STATUS", "OBS_ERROR"].map(str::to_owned));
    w.write_record(&header).map_err(internal)?;
    for (i, cell) in release.cells(spec).iter().enumerate() {
        let pos = spec.positions_of(i);
        let mut row: Vec<String> = spec.dims.iter().zip(&pos).map(|(d, p)| d.code_at(*p).to_owned()).collect();
        row.push(cell.value.map(|v| v.to_string()).unwrap_or_default());
        row.push(if cell.conf.is_suppressed() { "c".into() } else { String::new() });
        row.push(cell.conf.code().to_owned());
        row.push(cell.error.map(|e| format!("{e:.2}")).unwrap_or_default());
        w.write_record(&row).map_err(internal)?;
    }
    let bytes = w.into_inner().map_err(|e| AppError::Internal(e.to_string().into()))?;
    String::from_utf8(bytes).map_err(internal)
}

// ---------------------------------------------------------------------------------------------
// The EU hub

use haven_stats::hub::{EuAggregate, SubmissionStatus};
use haven_storage::SubmissionRow;

/// The format of a submitted file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    SdmxCsv,
    Xlsx,
}

impl FileFormat {
    pub fn parse(value: &str) -> AppResult<FileFormat> {
        match value {
            "sdmx" | "sdmx-csv" | "csv" => Ok(FileFormat::SdmxCsv),
            "xlsx" => Ok(FileFormat::Xlsx),
            other => Err(invalid("format", format!("{other:?} is not sdmx or xlsx"))),
        }
    }

    fn code(self) -> &'static str {
        match self {
            FileFormat::SdmxCsv => "sdmx-csv",
            FileFormat::Xlsx => "xlsx",
        }
    }
}

/// A stored submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubmissionReceipt {
    pub id: String,
    pub country: String,
    pub year: u16,
    pub format: String,
    pub observations: u64,
    pub submitted_at: i64,
}

/// Where one member state stands in the collection of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryStatus {
    pub country: String,
    /// `submitted`, `missing`, `not_bound` (Denmark, not bound by the Directive: not expected,
    /// not missing), `voluntary` (a file from a country not bound) or `unexpected`.
    pub status: String,
    /// Files received (the latest counts).
    pub files: usize,
    pub last_submitted_at: Option<i64>,
}

/// Largest file the hub accepts.
pub const MAX_SUBMISSION_BYTES: usize = 5 * 1024 * 1024;

/// Reads an SDMX-CSV submission of one country and year, every problem listed by line and column.
/// The file upload and the exchange channel (`statistics_submission`) read their content here.
pub(crate) fn read_sdmx_submission(bytes: &[u8], country: &str, year: u16) -> AppResult<haven_stats::hub::Submission> {
    let expected = haven_stats::sdmx::Expected { dataflow: DATAFLOW, country: Some(country), year: Some(year) };
    let mut subs = haven_stats::sdmx::from_csv_with_origins(bytes, &expected).map_err(|e| {
        AppError::Rejected(
            e.errors
                .iter()
                .map(|x| Problem {
                    location: match (x.line, &x.column) {
                        (0, None) => "file".to_owned(),
                        (0, Some(c)) => format!("file, column {c}"),
                        (l, None) => format!("line {l}"),
                        (l, Some(c)) => format!("line {l}, column {c}"),
                    },
                    message: x.message.clone(),
                })
                .collect(),
        )
    })?;
    if subs.len() != 1 {
        return Err(AppError::Rejected(vec![Problem {
            location: "file".into(),
            message: format!("one dataset ({country}, {year}) expected, found {}", subs.len()),
        }]));
    }
    Ok(subs.remove(0))
}

/// The hub's checks of a submission read from a file or a message (code lists, arithmetic,
/// country and year), every finding as a problem.
pub(crate) fn check_submission(
    submission: &haven_stats::hub::Submission,
    country: &str,
    year: u16,
) -> Result<(), Vec<Problem>> {
    hub::validate_submission(submission, country, year).map_err(|findings| {
        findings
            .iter()
            .map(|f| {
                let mut location = f.origin.as_ref().map(ToString::to_string).unwrap_or_else(|| "file".into());
                if let Some(c) = &f.column {
                    location.push_str(&format!(", column {c}"));
                }
                let message = match &f.cell {
                    Some(cell) => format!("{cell}: {}", f.message),
                    None => f.message.clone(),
                };
                Problem { location, message }
            })
            .collect()
    })
}

/// The stored form of a checked submission; `by` is `None` for one received over the channel.
pub(crate) fn submission_row(
    dataset: &Dataset,
    format: &str,
    by: Option<&Principal>,
    now: i64,
) -> AppResult<SubmissionRow> {
    Ok(SubmissionRow {
        id: crate::new_id(),
        country: dataset.country.clone(),
        year: i64::from(dataset.year),
        format: format.to_owned(),
        dataset: serde_json::to_string(dataset).map_err(internal)?,
        observations: dataset.observations.len() as i64,
        submitted_by: by.map(|p| p.user.id.clone()),
        organisation_id: by.map(|p| p.organisation.id.clone()),
        submitted_at: now,
    })
}

fn is_member_state(code: &str) -> bool {
    haven_stats::codes::is_eu_member(code)
}

impl App {
    /// Receives a member state's statistics for a year (SDMX-CSV or the spreadsheet
    /// questionnaire). The file is read and checked whole — code lists, arithmetic, country and
    /// year — and refused with every problem listed, or stored. A national user submits for their
    /// own country; the EU statistics office may receive a file on any member state's behalf.
    pub async fn submit_statistics(
        &self,
        principal: &Principal,
        country: &str,
        year: u16,
        format: FileFormat,
        bytes: &[u8],
    ) -> AppResult<SubmissionReceipt> {
        self.require(principal, Permission::PublishStatistics).await?;
        check_year(year)?;
        // Eurostat's code: GR is received as EL
        let country = haven_stats::codes::to_eurostat(country.trim().to_ascii_uppercase().as_str()).to_owned();
        if !is_member_state(&country) {
            return Err(invalid("country", format!("{country:?} is not an EU member state")));
        }
        let own = haven_stats::codes::to_eurostat(principal.organisation.jurisdiction.code());
        if own != "EU" && own != country {
            self.audit_denied(principal, "submission", &country, None).await;
            return Err(AppError::Forbidden);
        }
        if bytes.len() > MAX_SUBMISSION_BYTES {
            return Err(invalid("file", format!("larger than {MAX_SUBMISSION_BYTES} bytes")));
        }
        let expected = haven_stats::sdmx::Expected { dataflow: DATAFLOW, country: Some(&country), year: Some(year) };
        let submission = match format {
            FileFormat::SdmxCsv => read_sdmx_submission(bytes, &country, year)?,
            FileFormat::Xlsx => haven_stats::xlsx::from_xlsx_with_origins(bytes, &expected).map_err(|e| {
                AppError::Rejected(
                    e.errors
                        .iter()
                        .map(|x| Problem { location: x.place.clone(), message: x.message.clone() })
                        .collect(),
                )
            })?,
        };
        if let Err(problems) = check_submission(&submission, &country, year) {
            let event = self
                .event(principal, AuditAction::SubmissionRejected)
                .on("submission", &format!("{country}-{year}"), Some(&principal.organisation.id))
                .detail(format!("problems={}", problems.len()));
            self.store.append_audit(&event).await?;
            return Err(AppError::Rejected(problems));
        }
        self.store_submission(principal, submission.dataset, format.code()).await
    }

    async fn store_submission(
        &self,
        principal: &Principal,
        dataset: Dataset,
        format: &str,
    ) -> AppResult<SubmissionReceipt> {
        let now = self.now();
        let row = submission_row(&dataset, format, Some(principal), now)?;
        let id = row.id.clone();
        let event = self
            .event(principal, AuditAction::SubmissionReceived)
            .on("submission", &id, Some(&principal.organisation.id))
            .detail(format!("country={} year={} format={format}", dataset.country, dataset.year));
        self.store.add_submission(&row, &event).await?;
        Ok(SubmissionReceipt {
            id,
            country: dataset.country,
            year: dataset.year,
            format: format.to_owned(),
            observations: dataset.observations.len() as u64,
            submitted_at: now,
        })
    }

    /// Sends one of the principal's country's releases to the EU hub (checked as any file is).
    pub async fn submit_release(&self, principal: &Principal, release_id: &str) -> AppResult<SubmissionReceipt> {
        self.require(principal, Permission::PublishStatistics).await?;
        let release = self.release(principal, release_id).await?;
        if let Err(findings) = hub::validate(&release.dataset, &release.country, release.year) {
            return Err(AppError::Rejected(
                findings.iter().map(|f| Problem { location: "release".into(), message: f.to_string() }).collect(),
            ));
        }
        self.store_submission(principal, release.dataset, "release").await
    }

    /// The hub's collection and EU totals are what the EU publishes: every statistics reader
    /// may follow them, national rapporteurs included.
    async fn require_eu(&self, principal: &Principal) -> AppResult<()> {
        self.require(principal, Permission::ReadStatistics).await
    }

    /// Each member state's figures for a year, indicator by indicator from the latest submission
    /// that carries it: a file of the offender tables (which a ministry of justice may send apart)
    /// does not erase the victim tables sent earlier, and a newer victims file replaces only those.
    async fn latest_submissions(&self, year: u16) -> AppResult<(Vec<Dataset>, Vec<SubmissionRow>)> {
        let rows = self.store.submissions_for(i64::from(year)).await?;
        let mut datasets = Vec::with_capacity(rows.len());
        for row in &rows {
            datasets.push(serde_json::from_str::<Dataset>(&row.dataset).map_err(internal)?);
        }
        Ok((merge_by_indicator(datasets), rows))
    }

    /// Who has and has not submitted for a year (EU level).
    pub async fn submission_status(&self, principal: &Principal, year: u16) -> AppResult<Vec<CountryStatus>> {
        self.require_eu(principal).await?;
        check_year(year)?;
        let rows = self.store.submissions_for(i64::from(year)).await?;
        let received: Vec<&str> = rows.iter().map(|r| r.country.as_str()).collect();
        let status = hub::submission_status_in(
            &haven_stats::codes::expected_members(),
            haven_stats::codes::NOT_BOUND,
            &received,
        );
        Ok(status
            .into_iter()
            .map(|(country, s)| {
                let files = rows.iter().filter(|r| r.country == country).count();
                CountryStatus {
                    last_submitted_at: rows.iter().filter(|r| r.country == country).map(|r| r.submitted_at).max(),
                    status: match s {
                        SubmissionStatus::Submitted | SubmissionStatus::SubmittedMoreThanOnce(_) => "submitted",
                        SubmissionStatus::Missing => "missing",
                        SubmissionStatus::NotBound => "not_bound",
                        SubmissionStatus::Voluntary(_) => "voluntary",
                        SubmissionStatus::Unexpected => "unexpected",
                    }
                    .to_owned(),
                    files,
                    country,
                }
            })
            .collect())
    }

    /// The EU totals of a year from the latest submission of each member state, with the
    /// coverage of every cell (audited).
    pub async fn eu_totals(&self, principal: &Principal, year: u16) -> AppResult<EuAggregate> {
        self.require_eu(principal).await?;
        check_year(year)?;
        let (datasets, _) = self.latest_submissions(year).await?;
        let aggregate = hub::aggregate_collection(
            &datasets,
            &haven_stats::codes::expected_members(),
            haven_stats::codes::NOT_BOUND,
            year,
        );
        let event =
            self.event(principal, AuditAction::HubRead).on("hub", &year.to_string(), Some(&principal.organisation.id));
        self.store.append_audit(&event).await?;
        Ok(aggregate)
    }

    /// The latest submitted dataset of each member state for a year (EU level).
    pub async fn eu_submissions(&self, principal: &Principal, year: u16) -> AppResult<Vec<Dataset>> {
        self.require_eu(principal).await?;
        check_year(year)?;
        Ok(self.latest_submissions(year).await?.0)
    }

    /// Years with submissions, newest first (EU level).
    pub async fn hub_years(&self, principal: &Principal) -> AppResult<Vec<u16>> {
        self.require_eu(principal).await?;
        Ok(self.store.submission_years().await?.into_iter().filter_map(|y| u16::try_from(y).ok()).collect())
    }
}

/// EU totals as SDMX-CSV (reference area `EU27_2020`; cells no country reported are blank).
pub fn eu_sdmx(aggregate: &EuAggregate) -> AppResult<String> {
    let dataset = Dataset {
        country: "EU27_2020".to_owned(),
        year: aggregate.year,
        observations: aggregate
            .cells
            .iter()
            .map(|c| Observation { key: c.key.clone(), value: c.total, conf: ConfStatus::Free, error: c.error })
            .collect(),
    };
    haven_stats::sdmx::to_csv_with_comment(std::slice::from_ref(&dataset), DATAFLOW, &aggregate.statement)
        .map_err(internal)
}

/// Merges a year's submissions, oldest first, into one dataset per country: each indicator's
/// observations come from the latest submission that has any.
fn merge_by_indicator(submissions: Vec<Dataset>) -> Vec<Dataset> {
    let mut by_country: BTreeMap<String, (u16, BTreeMap<haven_stats::Indicator, Vec<haven_stats::Observation>>)> =
        BTreeMap::new();
    for d in submissions {
        let entry = by_country.entry(d.country.clone()).or_insert_with(|| (d.year, BTreeMap::new()));
        let mut fresh: BTreeMap<haven_stats::Indicator, Vec<haven_stats::Observation>> = BTreeMap::new();
        for o in d.observations {
            fresh.entry(o.key.indicator).or_default().push(o);
        }
        entry.1.extend(fresh);
    }
    by_country
        .into_iter()
        .map(|(country, (year, parts))| Dataset {
            country,
            year,
            observations: parts.into_values().flatten().collect(),
        })
        .collect()
}

#[cfg(test)]
mod release_tests {
    use super::*;

    fn record(sex: &str, age: &str, citizen: &str, exploit: &str, assisted: bool) -> PersonRecord {
        let class = if age == "Y12-17" { "CHILD" } else { "ADULT" };
        PersonRecord::from_codes("LV", "PRES", sex, age, class, citizen, exploit, "NGO", assisted, assisted, false)
            .unwrap()
    }

    /// Contribution bounding: a person (one record after linkage) falls in one inner cell of each
    /// table and adds at most one to any cell, margins included; a person of a victims table
    /// adds exactly one to its grand total.
    #[test]
    fn art_19_dir_2011_36_each_person_contributes_at_most_one_to_each_cell_of_each_table() {
        let people = [
            record("F", "Y18-24", "UA", "SEX", true),
            record("M", "Y12-17", "LV", "OTH_CRIM", false),
            record("UNK", "Y_GE65", "UNK", "LAB", true),
            record("OTH", "Y35-44", "EL", "OTH_MARR", false),
        ];
        let citizens = national::citizens_of(&people);
        let specs = national::national_tables(&citizens, true);
        for p in &people {
            for t in national::build(&specs, std::slice::from_ref(p), &[]) {
                assert!(t.values.iter().all(|v| *v <= 1), "{}: {:?}", t.spec.id, t.values);
                let inner: u64 = (0..t.spec.len()).filter(|i| t.spec.is_inner(*i)).map(|i| t.values[i]).sum();
                assert!(inner <= 1, "{}: one inner cell at most", t.spec.id);
                assert_eq!(inner, t.total(), "{}: the margins follow the one cell", t.spec.id);
            }
        }
        let all = national::build(&specs, &people, &[]);
        let registered = all.iter().find(|t| t.spec.id == "VICT_SEX_AGE").unwrap();
        assert_eq!(registered.total(), people.len() as u64);
    }

    #[test]
    fn refusals_say_which_rule_and_what_is_at_fault() {
        assert_eq!(mixed_modes(2026, true).message_id, "stats-refused-exact-beside-dp");
        assert_eq!(mixed_modes(2026, false).message_id, "stats-refused-dp-beside-exact");
        let left = PrivacyCost::new(Epsilon::parse("0.5").unwrap(), Delta::ZERO);
        let cost = PrivacyCost::new(Epsilon::parse("1").unwrap(), Delta::ZERO);
        let r = over_budget("LV", 2026, left, cost);
        assert_eq!((r.message_id, r.arg.1.as_str()), ("stats-refused-budget", "2026"));
        assert_eq!(r.items[0], "ε 1 / 0.5");
        assert!(r.english.contains("budget") && r.english.contains("Nothing was published"));
    }

    #[test]
    fn a_differentially_private_preview_lays_out_no_figure() {
        let spec = national::national_tables(&[], false).remove(0);
        let report = ReleaseReport {
            counting: None,
            offenders: None,
            amounts: Vec::new(),
            tables: vec![spec.clone()],
            suppression: None,
            dp: None,
            notes: vec![],
        };
        let mut preview = ReleasePreview {
            country: "LV".into(),
            year: 2026,
            mode: "dp".into(),
            dataset: None,
            report,
            refusal: None,
            at_fault: vec![],
        };
        assert!(preview.cells(&spec).is_empty());
        assert!(!preview.refused());
        preview.dataset =
            Some(hub::dataset_from_tables("LV", 2026, &national::build(std::slice::from_ref(&spec), &[], &[]), None));
        assert_eq!(preview.cells(&spec).len(), spec.len());
        assert!(preview.cells(&spec).iter().all(|c| c.value == Some(0)));
    }
}

#[cfg(test)]
mod merge_tests {
    use super::*;
    use haven_stats::{CellKey, ConfStatus, Indicator, Observation};

    fn obs(indicator: Indicator, value: u64) -> Observation {
        Observation {
            key: CellKey { indicator, codes: vec![] },
            value: Some(value),
            conf: ConfStatus::Free,
            error: None,
        }
    }

    #[test]
    fn a_later_file_replaces_only_the_indicators_it_carries() {
        let victims = Dataset { country: "FI".into(), year: 2025, observations: vec![obs(Indicator::Registered, 40)] };
        let offenders = Dataset { country: "FI".into(), year: 2025, observations: vec![obs(Indicator::Suspected, 7)] };
        let corrected =
            Dataset { country: "FI".into(), year: 2025, observations: vec![obs(Indicator::Registered, 41)] };
        let other = Dataset { country: "SE".into(), year: 2025, observations: vec![obs(Indicator::Registered, 3)] };
        let merged = merge_by_indicator(vec![victims, offenders, other, corrected]);
        assert_eq!(merged.len(), 2);
        let fi = &merged[0];
        assert_eq!(fi.country, "FI");
        let value = |i: Indicator| fi.observations.iter().find(|o| o.key.indicator == i).and_then(|o| o.value);
        assert_eq!(value(Indicator::Registered), Some(41), "the newer victims file wins");
        assert_eq!(value(Indicator::Suspected), Some(7), "the offender file is kept");
        assert_eq!(fi.observations.len(), 2);
        assert_eq!(merged[1].observations, vec![obs(Indicator::Registered, 3)]);
    }
}
