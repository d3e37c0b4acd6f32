//! The rapporteur's annual report, assembled from the platform (docs/monitoring.md, "The annual
//! report"; Dir 2011/36 Art 19, CETS 197 Art 29(4); at the EU hub, Dir 2011/36 Art 20).
//!
//! What is stored is the report's own: its narrative sections (encrypted, as every free text),
//! its status and who made it final. Everything else is assembled when the report is read, from
//! what the platform holds and only that:
//! - a country's statistics are its **released** tables as stored with each release (the latest
//!   release of each year): a hidden cell carries no value there, so it cannot print one; the
//!   trends over the years are the grand totals of those releases;
//! - at the EU hub, the Member States' submitted releases and files, added up with coverage;
//! - the transposition of the tracked directives, the progress per priority of the jurisdiction's
//!   strategies and action plans, and GRETA's recommendations with their follow-up, each read
//!   through its own use case (and audited there).
//!
//! Who reads, drafts and finalises is [`haven_domain::access::authorize_annual_report`]; every
//! read, export, change and finalisation is audited (`annual_report_*`).
//!
//! For the web layer:
//! - `App::annual_reports(&Principal) -> ReportsView`
//! - `App::annual_report(&Principal, year) -> AnnualReportView`
//! - `App::save_report_section(&Principal, &SectionRequest) -> AnnualReport`
//! - `App::finalise_annual_report(&Principal, &FinaliseRequest) -> AnnualReport`
//! - `App::audit_report_export(&Principal, year, format)`

use crate::error::AppError;
use crate::stats::{Release, ReleaseReport, ShownCell};
use crate::strategy::StrategySummary;
use crate::{App, AppResult, Principal, new_id};
use haven_crypto::FieldContext;
use haven_domain::access::{ReportAction, authorize_annual_report};
use haven_domain::annual_report::{AnnualReport, NarrativeSection, ReportStatus, SectionInput};
use haven_domain::audit::AuditAction;
use haven_domain::case::CalendarDate;
use haven_domain::greta::{FollowUpStatus, Strength};
use haven_domain::instruments::Instrument;
use haven_domain::transposition::{Lateness, TranspositionStatus};
use haven_domain::{Coded, CountryCode, Decision, Jurisdiction, Message, MessageId, Permission};
use haven_stats::amounts::AmountFigure;
use haven_stats::{CellKey, Dataset, Indicator, TableSpec};
use haven_storage::{AnnualReportRow, StorageError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const TABLE: &str = "annual_reports";
const COLUMN: &str = "narrative";

fn narrative_ctx(row: &str) -> FieldContext<'_> {
    FieldContext { table: TABLE, column: COLUMN, row }
}

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(Box::new(e))
}

/// The indicators whose grand totals the trends follow: victims, assistance, proceedings.
pub const TREND_INDICATORS: [Indicator; 7] = [
    Indicator::Registered,
    Indicator::Assisted,
    Indicator::Reflection,
    Indicator::ResidencePermit,
    Indicator::Suspected,
    Indicator::Prosecuted,
    Indicator::Convicted,
];

/// A figure as released: its value (none when hidden or unknown), whether it is confidential
/// (printed `c`, as the release prints it), and the noise of a differentially private count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub indicator: Indicator,
    pub value: Option<u64>,
    pub confidential: bool,
    pub error: Option<f64>,
}

impl Figure {
    fn of(indicator: Indicator, cell: Option<&haven_stats::Observation>) -> Self {
        match cell {
            Some(o) => Figure { indicator, value: o.value, confidential: o.conf.is_suppressed(), error: o.error },
            None => Figure { indicator, value: None, confidential: false, error: None },
        }
    }

    /// As printed: `c` when confidential (never a value), `:` when unknown, the value (with its
    /// noise) otherwise.
    pub fn text(&self) -> String {
        cell_text(self.value, self.confidential, self.error)
    }
}

/// A released cell as printed.
pub fn cell_text(value: Option<u64>, confidential: bool, error: Option<f64>) -> String {
    match (value, confidential) {
        (_, true) => "c".to_owned(),
        (Some(v), false) => match error {
            Some(e) => format!("{v} ±{e:.1}"),
            None => v.to_string(),
        },
        (None, false) => ":".to_owned(),
    }
}

fn grand_total(dataset: &Dataset, indicator: Indicator) -> Figure {
    let key = CellKey { indicator, codes: vec![] };
    Figure::of(indicator, dataset.observations.iter().find(|o| o.key == key))
}

/// One released table: its layout and its cells in row-major order, as released.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReleasedTable {
    pub spec: TableSpec,
    pub cells: Vec<ShownCell>,
}

/// The country's statistics of the report year: the latest release of the year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReleasedStatistics {
    pub release_id: String,
    pub mode: String,
    pub released_at: i64,
    pub tables: Vec<ReleasedTable>,
    /// The grand totals of the victims, assistance and proceedings indicators.
    pub figures: Vec<Figure>,
    /// Amounts frozen, seized and confiscated (Dir 2011/36 Art 7), as released.
    pub amounts: Vec<AmountFigure>,
}

/// The grand totals of one year, for the trends.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendYear {
    pub year: u16,
    pub figures: Vec<Figure>,
}

/// A Member State in the EU report: where it stands in the year's collection and its total of
/// registered victims as submitted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EuCountryLine {
    pub country: String,
    /// `submitted`, `missing`, `not_bound`, `voluntary` or `unexpected` (as the hub says).
    pub status: String,
    pub registered: Option<Figure>,
}

/// The EU level's statistics of the report year, from the Member States' submissions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EuStatistics {
    pub countries: Vec<EuCountryLine>,
    /// The EU totals of the trend indicators (known values added; confidential ones left out).
    pub totals: Vec<EuTotal>,
    pub submitted: usize,
    pub expected: usize,
}

/// An EU total with how many countries' values it adds and how many kept theirs confidential.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EuTotal {
    pub indicator: Indicator,
    pub total: Option<u64>,
    pub reported: usize,
    pub confidential: usize,
}

/// A directive's transposition by one country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranspositionLine {
    pub instrument: Instrument,
    pub country: CountryCode,
    pub lateness: Lateness,
    pub articles: usize,
    pub complete: usize,
    pub partial: usize,
    pub none: usize,
    pub non_conformity: usize,
}

/// A GRETA recommendation with its latest follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GretaLine {
    pub paragraph: String,
    pub wording: String,
    pub strength: Strength,
    pub latest: Option<FollowUpStatus>,
    pub latest_on: Option<CalendarDate>,
    pub demo: bool,
}

/// A GRETA round in the report: its recommendations (a country's report) or their counts (the
/// EU report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GretaRoundLine {
    pub round_id: String,
    pub country: CountryCode,
    pub round: u8,
    pub report_published_on: Option<CalendarDate>,
    pub recommendations: usize,
    pub without_follow_up: usize,
    pub lines: Vec<GretaLine>,
}

/// The report as assembled for its reader.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnualReportView {
    pub report: AnnualReport,
    /// The stored version (0: nothing saved yet), to send back with a change.
    pub version: i64,
    pub legal_basis: Vec<&'static str>,
    /// Who made it final, by name.
    pub finalised_by_name: Option<String>,
    /// A country's released statistics of the year (none before a release).
    pub statistics: Option<ReleasedStatistics>,
    /// The EU level's collection of the year (at the hub).
    pub eu: Option<EuStatistics>,
    /// Grand totals per year up to the report year, oldest first.
    pub trends: Vec<TrendYear>,
    pub transposition: Vec<TranspositionLine>,
    pub strategies: Vec<StrategySummary>,
    pub greta: Vec<GretaRoundLine>,
    pub may_draft: bool,
    pub may_finalise: bool,
}

/// A narrative section as sent by a form or the API: the report's `year` and `version` as read (0 when none
/// is saved yet), the section's `position` (1-based; empty for a new one at the end), `title`
/// and `text`, or `remove` to take the section at `position` out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SectionRequest {
    /// The report's year (empty: this year).
    pub year: String,
    pub version: i64,
    pub position: String,
    pub title: String,
    pub text: String,
    pub remove: bool,
}

impl SectionRequest {
    fn input(&self) -> SectionInput {
        SectionInput {
            position: self.position.clone(),
            title: self.title.clone(),
            text: self.text.clone(),
            remove: self.remove,
        }
    }
}

/// Making a report final: its `year` and the `version` as read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FinaliseRequest {
    /// The report's year (empty: this year).
    pub year: String,
    pub version: i64,
}

/// A report in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportLine {
    pub year: u16,
    pub status: ReportStatus,
    pub sections: usize,
}

/// The reports of the principal's jurisdiction, and the years one may be opened for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportsView {
    pub jurisdiction: Jurisdiction,
    pub reports: Vec<ReportLine>,
    /// Years with released statistics (or, at the hub, submissions) and no report yet.
    pub years: Vec<u16>,
    pub may_draft: bool,
}

fn release_of(row: haven_storage::ReleaseRow) -> AppResult<Release> {
    Ok(Release {
        year: u16::try_from(row.year).map_err(internal)?,
        dataset: serde_json::from_str::<Dataset>(&row.dataset).map_err(internal)?,
        report: serde_json::from_str::<ReleaseReport>(&row.report).map_err(internal)?,
        id: row.id,
        country: row.jurisdiction,
        mode: row.mode,
        created_at: row.created_at,
        created_by: row.created_by,
    })
}

impl App {
    /// The permission and the access module's answer on the principal's own report; a denial
    /// is audited on the report and answered 403.
    async fn report_allowed(&self, principal: &Principal, action: ReportAction) -> AppResult<Jurisdiction> {
        let permission = match action {
            ReportAction::Read => Permission::ReadMonitoring,
            ReportAction::Draft | ReportAction::Finalise => Permission::RecordMonitoring,
        };
        let own = principal.actor.jurisdiction;
        let permitted = haven_domain::permission_allowed(&principal.actor.roles, permission);
        match authorize_annual_report(&principal.actor, own, action) {
            Decision::Allow if permitted => Ok(own),
            decision => {
                tracing::info!(?decision, permitted, "annual report access denied");
                self.audit_denied(principal, "annual_report", own.code(), Some(&principal.actor.organisation_id)).await;
                Err(AppError::Forbidden)
            }
        }
    }

    fn may_report(principal: &Principal, action: ReportAction) -> bool {
        authorize_annual_report(&principal.actor, principal.actor.jurisdiction, action).is_allowed()
    }

    fn report_of(&self, row: &AnnualReportRow) -> AppResult<AnnualReport> {
        let json = self.keys.decrypt_str(&narrative_ctx(&row.id), &row.narrative).map_err(internal)?;
        let sections: Vec<NarrativeSection> = serde_json::from_str(&json).map_err(internal)?;
        Ok(AnnualReport {
            id: row.id.clone(),
            jurisdiction: Jurisdiction::parse("jurisdiction", &row.jurisdiction).map_err(internal)?,
            year: u16::try_from(row.year).map_err(internal)?,
            status: ReportStatus::parse_code("status", &row.status).map_err(internal)?,
            sections,
            finalised_by: row.finalised_by.clone(),
            finalised_at: row.finalised_at,
        })
    }

    /// The stored report of the year, or a new draft (version 0) when none was saved.
    async fn stored_report(&self, jurisdiction: Jurisdiction, year: u16) -> AppResult<(AnnualReport, i64)> {
        match self.store.annual_report(jurisdiction.code(), i64::from(year)).await? {
            Some(row) => Ok((self.report_of(&row)?, row.version)),
            None => Ok((AnnualReport::draft(new_id(), jurisdiction, year), 0)),
        }
    }

    /// The country's releases, the latest of each year up to `year`, oldest year first.
    async fn releases_by_year(&self, country: &str, year: u16) -> AppResult<Vec<Release>> {
        let mut by_year: BTreeMap<i64, haven_storage::ReleaseRow> = BTreeMap::new();
        for row in self.store.releases_in(country, None).await? {
            if row.year > i64::from(year) {
                continue;
            }
            let newer = by_year.get(&row.year).is_none_or(|r| (row.created_at, &row.id) > (r.created_at, &r.id));
            if newer {
                by_year.insert(row.year, row);
            }
        }
        by_year.into_values().map(release_of).collect()
    }

    /// The year asked (empty: this year), checked.
    pub fn report_year(&self, year: &str) -> AppResult<u16> {
        if year.trim().is_empty() {
            return Ok(self.today().year);
        }
        Ok(haven_domain::annual_report::parse_year("year", year)?)
    }

    /// The reports of the principal's jurisdiction and the years a new one may be opened for.
    pub async fn annual_reports(&self, principal: &Principal) -> AppResult<ReportsView> {
        let jurisdiction = self.report_allowed(principal, ReportAction::Read).await?;
        let mut reports = Vec::new();
        for row in self.store.annual_reports(jurisdiction.code()).await? {
            let report = self.report_of(&row)?;
            reports.push(ReportLine { year: report.year, status: report.status, sections: report.sections.len() });
        }
        let mut years: Vec<u16> = match jurisdiction {
            Jurisdiction::Country(c) => self
                .store
                .releases_in(c.as_str(), None)
                .await?
                .into_iter()
                .filter_map(|r| u16::try_from(r.year).ok())
                .collect(),
            Jurisdiction::EuropeanUnion => {
                self.store.submission_years().await?.into_iter().filter_map(|y| u16::try_from(y).ok()).collect()
            }
        };
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        years.retain(|y| !reports.iter().any(|r| r.year == *y));
        let event = self
            .event(principal, AuditAction::AnnualReportRead)
            .on("annual_report", jurisdiction.code(), Some(&principal.actor.organisation_id))
            .detail(format!("list reports={}", reports.len()));
        self.store.append_audit(&event).await?;
        Ok(ReportsView { jurisdiction, reports, years, may_draft: Self::may_report(principal, ReportAction::Draft) })
    }

    /// The report of `year` of the principal's jurisdiction, assembled (audited as a read).
    pub async fn annual_report(&self, principal: &Principal, year: &str) -> AppResult<AnnualReportView> {
        let jurisdiction = self.report_allowed(principal, ReportAction::Read).await?;
        let year = self.report_year(year)?;
        let (report, version) = self.stored_report(jurisdiction, year).await?;
        let finalised_by_name = match &report.finalised_by {
            Some(id) => Some(self.store.user(id).await?.display_name),
            None => None,
        };
        let (statistics, eu, trends) = match jurisdiction {
            Jurisdiction::Country(c) => {
                let releases = self.releases_by_year(c.as_str(), year).await?;
                let trends = releases
                    .iter()
                    .map(|r| TrendYear {
                        year: r.year,
                        figures: TREND_INDICATORS.iter().map(|i| grand_total(&r.dataset, *i)).collect(),
                    })
                    .collect();
                let statistics = releases.into_iter().find(|r| r.year == year).map(|r| ReleasedStatistics {
                    tables: r
                        .report
                        .tables
                        .iter()
                        .map(|spec| ReleasedTable { cells: r.cells(spec), spec: spec.clone() })
                        .collect(),
                    figures: TREND_INDICATORS.iter().map(|i| grand_total(&r.dataset, *i)).collect(),
                    amounts: r.report.amounts.clone(),
                    release_id: r.id,
                    mode: r.mode,
                    released_at: r.created_at,
                });
                (statistics, None, trends)
            }
            Jurisdiction::EuropeanUnion => {
                let (eu, trends) = self.eu_statistics(principal, year).await?;
                (None, eu, trends)
            }
        };
        let transposition = self.report_transposition(principal).await?;
        let strategies: Vec<StrategySummary> = self
            .strategies(principal)
            .await?
            .strategies
            .into_iter()
            .filter(|s| s.strategy.scope == jurisdiction)
            .collect();
        let greta = self.report_greta(principal, jurisdiction).await?;
        let event = self
            .event(principal, AuditAction::AnnualReportRead)
            .on("annual_report", &report.id, Some(&principal.actor.organisation_id))
            .detail(format!("jurisdiction={} year={year}", jurisdiction.code()));
        self.store.append_audit(&event).await?;
        let draft = report.status == ReportStatus::Draft;
        Ok(AnnualReportView {
            legal_basis: report.legal_basis(),
            may_draft: draft && Self::may_report(principal, ReportAction::Draft),
            may_finalise: draft && version > 0 && Self::may_report(principal, ReportAction::Finalise),
            report,
            version,
            finalised_by_name,
            statistics,
            eu,
            trends,
            transposition,
            strategies,
            greta,
        })
    }

    /// The hub's collection of `year` and the EU totals of every year held up to it.
    async fn eu_statistics(
        &self,
        principal: &Principal,
        year: u16,
    ) -> AppResult<(Option<EuStatistics>, Vec<TrendYear>)> {
        let mut years = self.hub_years(principal).await?;
        years.retain(|y| *y <= year);
        years.sort_unstable();
        let mut trends = Vec::new();
        let mut eu = None;
        for y in years {
            let aggregate = self.eu_totals(principal, y).await?;
            let totals: Vec<EuTotal> = TREND_INDICATORS
                .iter()
                .map(|i| {
                    let cell = aggregate.cells.iter().find(|c| c.key.indicator == *i && c.key.codes.is_empty());
                    EuTotal {
                        indicator: *i,
                        total: cell.and_then(|c| c.total),
                        reported: cell.map_or(0, |c| c.reported.len()),
                        confidential: cell.map_or(0, |c| c.confidential.len()),
                    }
                })
                .collect();
            trends.push(TrendYear {
                year: y,
                figures: totals
                    .iter()
                    .map(|t| Figure { indicator: t.indicator, value: t.total, confidential: false, error: None })
                    .collect(),
            });
            if y == year {
                let datasets = self.eu_submissions(principal, y).await?;
                let statuses = self.submission_status(principal, y).await?;
                let mut countries: Vec<EuCountryLine> = statuses
                    .iter()
                    .map(|s| EuCountryLine {
                        registered: datasets
                            .iter()
                            .find(|d| d.country == s.country)
                            .map(|d| grand_total(d, Indicator::Registered)),
                        country: s.country.clone(),
                        status: s.status.clone(),
                    })
                    .collect();
                // A country that submitted although not among those listed is still covered.
                for d in &datasets {
                    if !countries.iter().any(|c| c.country == d.country) {
                        countries.push(EuCountryLine {
                            country: d.country.clone(),
                            status: "voluntary".to_owned(),
                            registered: Some(grand_total(d, Indicator::Registered)),
                        });
                    }
                }
                eu = Some(EuStatistics {
                    submitted: aggregate.submitted.len() + aggregate.voluntary.len(),
                    expected: aggregate.expected.len(),
                    countries,
                    totals,
                });
            }
        }
        Ok((eu, trends))
    }

    /// Each tracked directive's transposition by the countries the principal reads (its own; at
    /// the EU level, every Member State).
    async fn report_transposition(&self, principal: &Principal) -> AppResult<Vec<TranspositionLine>> {
        let first = self.transposition_tracker(principal, None).await?;
        let instruments: Vec<Instrument> =
            first.directives.iter().filter(|d| d.deadline.is_some()).map(|d| d.instrument).collect();
        let mut out = Vec::new();
        for instrument in instruments {
            let view = if instrument == first.matrix.instrument {
                first.clone()
            } else {
                self.transposition_tracker(principal, Some(instrument.code())).await?
            };
            for row in &view.matrix.rows {
                let count = |s: TranspositionStatus| row.statuses.iter().filter(|x| **x == s).count();
                out.push(TranspositionLine {
                    instrument,
                    country: row.country,
                    lateness: row.lateness,
                    articles: row.statuses.len(),
                    complete: count(TranspositionStatus::Complete),
                    partial: count(TranspositionStatus::Partial),
                    none: count(TranspositionStatus::NoMeasure),
                    non_conformity: count(TranspositionStatus::NonConformity),
                });
            }
        }
        Ok(out)
    }

    /// GRETA's rounds of the jurisdiction (at the EU level, of every country held), with each
    /// recommendation and its latest follow-up for a country's report.
    async fn report_greta(&self, principal: &Principal, jurisdiction: Jurisdiction) -> AppResult<Vec<GretaRoundLine>> {
        let rounds = self.greta_rounds(principal).await?.rounds;
        let mut out = Vec::new();
        for line in rounds {
            let country = line.round.country;
            let lines = match jurisdiction {
                Jurisdiction::Country(c) if c == country => self
                    .greta_round(principal, &line.round.id)
                    .await?
                    .recommendations
                    .into_iter()
                    .map(|r| GretaLine {
                        latest_on: r.follow_ups.iter().map(|f| f.on).max(),
                        latest: r.latest,
                        paragraph: r.recommendation.paragraph,
                        wording: r.recommendation.wording,
                        strength: r.recommendation.strength,
                        demo: r.recommendation.demo,
                    })
                    .collect(),
                Jurisdiction::Country(_) => continue,
                Jurisdiction::EuropeanUnion => Vec::new(),
            };
            out.push(GretaRoundLine {
                round_id: line.round.id,
                country,
                round: line.round.round,
                report_published_on: line.round.report_published_on,
                recommendations: line.recommendations,
                without_follow_up: line.without_follow_up,
                lines,
            });
        }
        Ok(out)
    }

    async fn save_report(
        &self,
        principal: &Principal,
        report: &AnnualReport,
        version: i64,
        action: AuditAction,
        detail: String,
    ) -> AppResult<()> {
        let json = serde_json::to_string(&report.sections).map_err(internal)?;
        let now = self.now();
        let row = AnnualReportRow {
            id: report.id.clone(),
            jurisdiction: report.jurisdiction.code().to_owned(),
            year: i64::from(report.year),
            status: report.status.code().to_owned(),
            narrative: self.keys.encrypt_str(&narrative_ctx(&report.id), &json),
            version: version + 1,
            created_by: principal.user.id.clone(),
            created_at: now,
            updated_by: principal.user.id.clone(),
            updated_at: now,
            finalised_by: report.finalised_by.clone(),
            finalised_at: report.finalised_at,
        };
        let event = self
            .event(principal, action)
            .on("annual_report", &report.id, Some(&principal.actor.organisation_id))
            .detail(detail);
        self.store.save_annual_report(&row, &event).await.map_err(|e| match e {
            StorageError::Conflict(_) => AppError::conflict(
                format!("the report of {} was changed in the meantime", report.year),
                Message::new(MessageId::StoredConflict),
            ),
            other => other.into(),
        })
    }

    fn check_version(given: i64, stored: i64) -> AppResult<()> {
        if given == stored {
            Ok(())
        } else {
            Err(AppError::conflict(
                format!("version {given} is not the stored version {stored}"),
                Message::new(MessageId::StoredConflict),
            ))
        }
    }

    /// Adds, replaces or removes a narrative section of the year's report of the principal's
    /// jurisdiction (the report is started by its first section). `version` is the one read.
    pub async fn save_report_section(
        &self,
        principal: &Principal,
        request: &SectionRequest,
    ) -> AppResult<AnnualReport> {
        let jurisdiction = self.report_allowed(principal, ReportAction::Draft).await?;
        let year = self.report_year(&request.year)?;
        let (version, input) = (request.version, &request.input());
        let (mut report, stored) = self.stored_report(jurisdiction, year).await?;
        report.apply(input)?;
        Self::check_version(version, stored)?;
        let detail = format!("year={year} sections={} removed={}", report.sections.len(), input.remove);
        self.save_report(principal, &report, stored, AuditAction::AnnualReportChanged, detail).await?;
        Ok(report)
    }

    /// Makes the year's report of the principal's jurisdiction final (its rapporteur).
    pub async fn finalise_annual_report(
        &self,
        principal: &Principal,
        request: &FinaliseRequest,
    ) -> AppResult<AnnualReport> {
        let jurisdiction = self.report_allowed(principal, ReportAction::Finalise).await?;
        let year = self.report_year(&request.year)?;
        let version = request.version;
        let (mut report, stored) = self.store_report_for_finalise(jurisdiction, year).await?;
        report.finalise(&principal.user.id, self.now())?;
        Self::check_version(version, stored)?;
        self.save_report(principal, &report, stored, AuditAction::AnnualReportFinalised, format!("year={year}"))
            .await?;
        Ok(report)
    }

    async fn store_report_for_finalise(&self, jurisdiction: Jurisdiction, year: u16) -> AppResult<(AnnualReport, i64)> {
        match self.store.annual_report(jurisdiction.code(), i64::from(year)).await? {
            Some(row) => Ok((self.report_of(&row)?, row.version)),
            None => Err(AppError::NotFound),
        }
    }

    /// Records that the report was exported (`html` print-ready, `docx`, `json`).
    pub async fn audit_report_export(&self, principal: &Principal, year: u16, format: &str) -> AppResult<()> {
        let jurisdiction = self.report_allowed(principal, ReportAction::Read).await?;
        let event = self
            .event(principal, AuditAction::AnnualReportExported)
            .on("annual_report", jurisdiction.code(), Some(&principal.actor.organisation_id))
            .detail(format!("year={year} format={format}"));
        self.store.append_audit(&event).await?;
        Ok(())
    }
}
