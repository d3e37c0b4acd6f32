//! The instruments and the transposition tracker: the use cases (docs/monitoring.md).
//!
//! The instruments, their articles and who is bound are reference data
//! ([`haven_domain::instruments`]); the tracker's records are a country's national measures
//! (recorded by its rapporteur) and what the EU level records about each country: the
//! Commission's assessment of an article and the infringement steps (recorded by the EU
//! Anti-Trafficking Coordinator). Who reads and records is
//! [`haven_domain::access::authorize_monitoring`], asked of each record's jurisdiction; a reader
//! sees the countries it may read (its own; at the EU level, all). Every read and write is
//! audited (`transposition_read`, `transposition_recorded`).
//!
//! For the web layer:
//! - `App::instruments_view(&Principal) -> InstrumentsView`
//! - `App::transposition_tracker(&Principal, Option<&str>) -> TrackerView` (matrix and timeline)
//! - `App::transposition_country(&Principal, &str) -> CountryView`
//! - `App::record_measure(&Principal, &MeasureInput) -> NationalMeasure`
//! - `App::record_assessment(&Principal, &AssessmentInput) -> Assessment`
//! - `App::record_infringement_step(&Principal, &InfringementInput) -> InfringementStep`
//! - `App::monitoring_dashboard(&Principal) -> MonitoringDashboard`
//! - `App::import_transposition(Acting, &TranspositionImport) -> usize` (reference data loaded
//!   from the command line, as the demonstration does)

use crate::admin::Acting;
use crate::{App, AppError, AppResult, Principal, new_id};
use haven_domain::access::authorize_monitoring;
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_domain::case::CalendarDate;
use haven_domain::instruments::{Article, Instrument, InstrumentInfo, InstrumentKind, Instruments, Party, Wording};
use haven_domain::transposition::{
    Assessment, AssessmentInput, DASHBOARD_DAYS, InfringementInput, InfringementStep, LateTransposition, Lateness,
    Matrix, MeasureInput, NationalMeasure, TimelinePoint, TranspositionStatus, UpcomingDeadline, article_status,
    deadlines_coming, late_transpositions, lateness, matrix, notification_timeline,
};
use haven_domain::{Coded, CountryCode, Jurisdiction, MessageId, ParseError, Permission};
use haven_storage::TranspositionRecordRow;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(Box::new(e))
}

/// The reference data, read once.
pub fn instruments() -> AppResult<&'static Instruments> {
    static DATA: OnceLock<Result<Instruments, ParseError>> = OnceLock::new();
    DATA.get_or_init(Instruments::embedded).as_ref().map_err(|e| internal(e.clone()))
}

/// The instruments, their articles in force and their parties.
#[derive(Debug, Clone, Serialize)]
pub struct InstrumentsView {
    pub instruments: Vec<InstrumentInfo>,
    pub articles: Vec<ArticleLine>,
    pub parties: Vec<Party>,
    pub today: CalendarDate,
    /// The country whose obligations in force are marked, if the principal sits in one.
    pub country: Option<CountryCode>,
}

/// An article, and whether it binds the principal's country today (and in which wording).
#[derive(Debug, Clone, Serialize)]
pub struct ArticleLine {
    pub article: Article,
    pub citation: String,
    pub in_force: Option<Wording>,
}

/// A directive whose transposition the tracker follows.
#[derive(Debug, Clone, Serialize)]
pub struct TrackedDirective {
    pub instrument: Instrument,
    pub deadline: Option<CalendarDate>,
}

/// The country × article matrix and the notification timeline of one directive.
#[derive(Debug, Clone, Serialize)]
pub struct TrackerView {
    pub directives: Vec<TrackedDirective>,
    pub matrix: Matrix,
    pub timeline: Vec<TimelinePoint>,
    /// States the directive binds among those shown.
    pub bound: usize,
    pub deadline: Option<CalendarDate>,
}

/// One directive as it stands for one country.
#[derive(Debug, Clone, Serialize)]
pub struct CountryDirective {
    pub instrument: Instrument,
    pub lateness: Lateness,
    pub articles: Vec<(String, TranspositionStatus)>,
    pub measures: Vec<NationalMeasure>,
    pub assessments: Vec<Assessment>,
    pub steps: Vec<InfringementStep>,
}

/// A country's transposition of every directive tracked.
#[derive(Debug, Clone, Serialize)]
pub struct CountryView {
    pub country: CountryCode,
    pub directives: Vec<CountryDirective>,
    /// The principal records this country's measures.
    pub may_record_measure: bool,
    /// The principal records the EU level's assessments and infringement steps.
    pub may_record_eu: bool,
}

/// The coordinator's dashboard: deadlines coming up and states late on transposition, for the
/// countries the principal may read.
#[derive(Debug, Clone, Serialize)]
pub struct MonitoringDashboard {
    pub today: CalendarDate,
    pub within_days: i64,
    pub countries: Vec<CountryCode>,
    pub deadlines: Vec<UpcomingDeadline>,
    pub late: Vec<LateTransposition>,
}

/// Records loaded whole from the command line (reference data about the Member States): each
/// with its country; checked as typed input is.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TranspositionImport {
    pub measures: Vec<(String, MeasureInput)>,
    pub assessments: Vec<AssessmentInput>,
    pub steps: Vec<InfringementInput>,
}

/// What a stored record is about.
struct Target<'a> {
    kind: &'a str,
    id: &'a str,
    country: CountryCode,
    jurisdiction: Jurisdiction,
    instrument: Instrument,
    day: CalendarDate,
}

/// The tracker's records of some countries.
struct Records {
    measures: Vec<NationalMeasure>,
    assessments: Vec<Assessment>,
    steps: Vec<InfringementStep>,
}

fn decode(rows: Vec<TranspositionRecordRow>) -> AppResult<Records> {
    let mut out = Records { measures: Vec::new(), assessments: Vec::new(), steps: Vec::new() };
    for row in rows {
        match row.kind.as_str() {
            "measure" => out.measures.push(serde_json::from_str(&row.body).map_err(internal)?),
            "assessment" => out.assessments.push(serde_json::from_str(&row.body).map_err(internal)?),
            "infringement_step" => out.steps.push(serde_json::from_str(&row.body).map_err(internal)?),
            _ => {}
        }
    }
    Ok(out)
}

/// The problem of the `i`th record of a list, named within it (`measures[3].notified_on`).
fn within(list: &str, i: usize, e: ParseError) -> ParseError {
    let field = format!("{list}[{i}].{}", e.field);
    e.within(field)
}

/// Every state some tracked directive binds or bound, in code order.
fn tracked_countries(data: &Instruments) -> Vec<CountryCode> {
    let mut out: Vec<CountryCode> = data
        .parties()
        .iter()
        .filter(|p| data.instrument(p.instrument).is_some_and(|i| i.kind == InstrumentKind::Directive))
        .map(|p| p.country)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The directives the tracker follows (those with articles to transpose).
fn tracked_directives(data: &Instruments, country: Option<CountryCode>) -> Vec<TrackedDirective> {
    data.instruments()
        .iter()
        .filter(|i| i.kind == InstrumentKind::Directive && !data.articles_to_transpose(i.instrument).is_empty())
        .map(|i| TrackedDirective {
            instrument: i.instrument,
            deadline: match country {
                Some(c) => data.transposition_deadline(i.instrument, c),
                None => i.transposition_deadline,
            },
        })
        .collect()
}

impl App {
    fn may_monitor(principal: &Principal, jurisdiction: Jurisdiction, permission: Permission) -> bool {
        authorize_monitoring(&principal.actor, jurisdiction, permission).is_allowed()
    }

    /// Refused (and audited) unless the access module lets the principal act on `jurisdiction`'s
    /// monitoring records this way.
    async fn monitoring_gate(
        &self,
        principal: &Principal,
        jurisdiction: Jurisdiction,
        permission: Permission,
        id: &str,
    ) -> AppResult<()> {
        self.require(principal, permission).await?;
        if Self::may_monitor(principal, jurisdiction, permission) {
            return Ok(());
        }
        self.audit_denied(principal, "transposition", id, Some(&principal.actor.organisation_id)).await;
        Err(AppError::Forbidden)
    }

    /// The countries whose records the principal reads.
    fn readable_countries(principal: &Principal, data: &Instruments) -> Vec<CountryCode> {
        tracked_countries(data)
            .into_iter()
            .filter(|c| Self::may_monitor(principal, Jurisdiction::Country(*c), Permission::ReadMonitoring))
            .collect()
    }

    /// The records about `countries` (one country's from the store's index, or all).
    async fn transposition_records(&self, countries: &[CountryCode]) -> AppResult<Records> {
        let rows = match countries {
            [one] => self.store.transposition_records(Some(one.as_str())).await?,
            _ => self.store.transposition_records(None).await?,
        };
        let rows = rows.into_iter().filter(|r| countries.iter().any(|c| c.as_str() == r.country)).collect();
        decode(rows)
    }

    async fn transposition_read_audited(&self, principal: &Principal, id: &str, detail: String) -> AppResult<()> {
        let mut event = self.event(principal, AuditAction::TranspositionRead).on(
            "transposition",
            id,
            Some(&principal.actor.organisation_id),
        );
        event.detail = Some(detail);
        self.store.append_audit(&event).await?;
        Ok(())
    }

    /// The instruments, their articles (marked where they bind the principal's country today)
    /// and their parties over time. Reference data: read by whoever reads monitoring data.
    pub async fn instruments_view(&self, principal: &Principal) -> AppResult<InstrumentsView> {
        self.require(principal, Permission::ReadMonitoring).await?;
        let data = instruments()?;
        let today = self.today();
        let country = match principal.actor.jurisdiction {
            Jurisdiction::Country(c) => Some(c),
            Jurisdiction::EuropeanUnion => None,
        };
        let in_force = country.map(|c| data.obligations_in_force(c, today)).unwrap_or_default();
        let articles = data
            .articles()
            .iter()
            .map(|a| ArticleLine {
                article: a.clone(),
                citation: a.citation(),
                in_force: in_force.iter().find(|o| std::ptr::eq(o.article, a)).map(|o| o.wording),
            })
            .collect();
        Ok(InstrumentsView {
            instruments: data.instruments().to_vec(),
            articles,
            parties: data.parties().to_vec(),
            today,
            country,
        })
    }

    /// The country × article matrix of a directive (`DIR_2024_1712` when none is asked) and the
    /// timeline of how many states had notified by each day, over the countries the principal
    /// reads. Audited as one read.
    pub async fn transposition_tracker(
        &self,
        principal: &Principal,
        instrument: Option<&str>,
    ) -> AppResult<TrackerView> {
        self.require(principal, Permission::ReadMonitoring).await?;
        let data = instruments()?;
        let directives = tracked_directives(data, None);
        let instrument = match instrument.map(str::trim).filter(|s| !s.is_empty()) {
            None => Instrument::AmendingDirective,
            Some(code) => {
                let i = Instrument::parse_code("instrument", code)?;
                if !directives.iter().any(|d| d.instrument == i) {
                    return Err(AppError::NotFound);
                }
                i
            }
        };
        let countries = Self::readable_countries(principal, data);
        if countries.is_empty() {
            self.audit_denied(principal, "transposition", "matrix", Some(&principal.actor.organisation_id)).await;
            return Err(AppError::Forbidden);
        }
        let records = self.transposition_records(&countries).await?;
        let today = self.today();
        let matrix = matrix(data, instrument, &countries, &records.measures, &records.assessments, today);
        let timeline = notification_timeline(data, instrument, &countries, &records.measures, today);
        self.transposition_read_audited(
            principal,
            "matrix",
            format!("instrument={};countries={}", instrument.code(), matrix.rows.len()),
        )
        .await?;
        Ok(TrackerView {
            directives,
            bound: matrix.rows.len(),
            deadline: data.instrument(instrument).and_then(|i| i.transposition_deadline),
            matrix,
            timeline,
        })
    }

    /// One country's transposition of every directive tracked: status per article, measures,
    /// assessments, infringement steps, and how late it is. Audited.
    pub async fn transposition_country(&self, principal: &Principal, country: &str) -> AppResult<CountryView> {
        self.require(principal, Permission::ReadMonitoring).await?;
        let data = instruments()?;
        let country = CountryCode::parse("country", country).map_err(|_| AppError::NotFound)?;
        if !tracked_countries(data).contains(&country) {
            return Err(AppError::NotFound);
        }
        self.monitoring_gate(principal, Jurisdiction::Country(country), Permission::ReadMonitoring, country.as_str())
            .await?;
        let records = self.transposition_records(&[country]).await?;
        let today = self.today();
        let directives = tracked_directives(data, Some(country))
            .into_iter()
            .filter(|d| d.deadline.is_some())
            .map(|d| {
                let i = d.instrument;
                CountryDirective {
                    instrument: i,
                    lateness: lateness(data, i, country, &records.measures, today),
                    articles: data
                        .articles_to_transpose(i)
                        .iter()
                        .map(|a| {
                            let citation = a.citation();
                            let status =
                                article_status(i, &citation, country, &records.measures, &records.assessments, today);
                            (citation, status)
                        })
                        .collect(),
                    measures: records.measures.iter().filter(|m| m.instrument == i).cloned().collect(),
                    assessments: records.assessments.iter().filter(|a| a.instrument == i).cloned().collect(),
                    steps: records.steps.iter().filter(|s| s.instrument == i).cloned().collect(),
                }
            })
            .collect();
        self.transposition_read_audited(principal, country.as_str(), format!("country={country}")).await?;
        Ok(CountryView {
            country,
            directives,
            may_record_measure: principal.actor.jurisdiction == Jurisdiction::Country(country)
                && Self::may_monitor(principal, Jurisdiction::Country(country), Permission::RecordMonitoring),
            may_record_eu: Self::may_monitor(principal, Jurisdiction::EuropeanUnion, Permission::RecordMonitoring),
        })
    }

    fn row_of<T: Serialize>(&self, by: &str, target: Target<'_>, record: &T) -> AppResult<TranspositionRecordRow> {
        Ok(TranspositionRecordRow {
            id: target.id.to_owned(),
            kind: target.kind.to_owned(),
            country: target.country.to_string(),
            jurisdiction: target.jurisdiction.code().to_owned(),
            instrument: target.instrument.code().to_owned(),
            day: target.day.to_string(),
            body: serde_json::to_string(record).map_err(internal)?,
            recorded_by: by.to_owned(),
            recorded_at: self.now(),
        })
    }

    fn recorded_event(&self, principal: &Principal, kind: &str, id: &str, country: CountryCode) -> AuditEvent {
        let mut event = self.event(principal, AuditAction::TranspositionRecorded).on(
            "transposition",
            id,
            Some(&principal.actor.organisation_id),
        );
        event.detail = Some(format!("{kind};country={country}"));
        event
    }

    /// Records a national measure the principal's country notified (its rapporteur; the EU
    /// level notifies none and is told so).
    pub async fn record_measure(&self, principal: &Principal, input: &MeasureInput) -> AppResult<NationalMeasure> {
        let own = principal.actor.jurisdiction;
        self.monitoring_gate(principal, own, Permission::RecordMonitoring, "measure").await?;
        let Jurisdiction::Country(country) = own else {
            self.audit_denied(principal, "transposition", "measure", Some(&principal.actor.organisation_id)).await;
            return Err(AppError::Refused(crate::error::Refusal {
                message_id: MessageId::MonitoringMeasuresByCountries.id(),
                arg: ("jurisdiction", own.code().to_owned()),
                items: vec![format!("jurisdiction={}", own.code())],
                english: format!(
                    "national measures are notified by each Member State; the jurisdiction {} records the \
                     Commission's assessments and infringement steps",
                    own.code()
                ),
            }));
        };
        let data = instruments()?;
        let measure = NationalMeasure::parse(new_id(), country, input, data, self.today())?;
        let target = Target {
            kind: "measure",
            id: &measure.id,
            country,
            jurisdiction: own,
            instrument: measure.instrument,
            day: measure.notified_on,
        };
        let row = self.row_of(&principal.user.id, target, &measure)?;
        let event = self.recorded_event(principal, "measure", &measure.id, country);
        self.store.add_transposition_records(&[row], &event).await?;
        Ok(measure)
    }

    /// Records the Commission's assessment of an article of a state's transposition (the EU
    /// level).
    pub async fn record_assessment(&self, principal: &Principal, input: &AssessmentInput) -> AppResult<Assessment> {
        self.monitoring_gate(principal, Jurisdiction::EuropeanUnion, Permission::RecordMonitoring, "assessment")
            .await?;
        let assessment = Assessment::parse(new_id(), input, instruments()?, self.today())?;
        let target = Target {
            kind: "assessment",
            id: &assessment.id,
            country: assessment.country,
            jurisdiction: Jurisdiction::EuropeanUnion,
            instrument: assessment.instrument,
            day: assessment.assessed_on,
        };
        let row = self.row_of(&principal.user.id, target, &assessment)?;
        let event = self.recorded_event(principal, "assessment", &assessment.id, assessment.country);
        self.store.add_transposition_records(&[row], &event).await?;
        Ok(assessment)
    }

    /// Records a step of an infringement procedure against a state (the EU level), after the
    /// steps already recorded for it.
    pub async fn record_infringement_step(
        &self,
        principal: &Principal,
        input: &InfringementInput,
    ) -> AppResult<InfringementStep> {
        self.monitoring_gate(principal, Jurisdiction::EuropeanUnion, Permission::RecordMonitoring, "infringement_step")
            .await?;
        let data = instruments()?;
        let earlier = match CountryCode::parse("country", &input.country) {
            Ok(country) => self.transposition_records(&[country]).await?.steps,
            Err(_) => Vec::new(),
        };
        let step = InfringementStep::parse(new_id(), input, data, &earlier, self.today())?;
        let target = Target {
            kind: "infringement_step",
            id: &step.id,
            country: step.country,
            jurisdiction: Jurisdiction::EuropeanUnion,
            instrument: step.instrument,
            day: step.decided_on,
        };
        let row = self.row_of(&principal.user.id, target, &step)?;
        let event = self.recorded_event(principal, "infringement_step", &step.id, step.country);
        self.store.add_transposition_records(&[row], &event).await?;
        Ok(step)
    }

    /// The coordinator's dashboard of transposition: the deadlines of the next
    /// [`DASHBOARD_DAYS`] days and the states late today, for the countries the principal reads
    /// (its own; at the EU level, all). Audited.
    pub async fn monitoring_dashboard(&self, principal: &Principal) -> AppResult<MonitoringDashboard> {
        self.require(principal, Permission::ReadMonitoring).await?;
        let data = instruments()?;
        let countries = Self::readable_countries(principal, data);
        let records = self.transposition_records(&countries).await?;
        let today = self.today();
        let deadlines = deadlines_coming(data, &countries, &records.measures, &records.steps, today, DASHBOARD_DAYS);
        let late = late_transpositions(data, &countries, &records.measures, &records.steps, today);
        self.transposition_read_audited(
            principal,
            "dashboard",
            format!("deadlines={};late={}", deadlines.len(), late.len()),
        )
        .await?;
        Ok(MonitoringDashboard { today, within_days: DASHBOARD_DAYS, countries, deadlines, late })
    }

    /// Loads records about the Member States whole (all or none, one audit entry): the
    /// operator at the console, or a user who may record each of them (a measure: its country's
    /// rapporteur; an assessment or step: the EU level). Steps are checked in the order given,
    /// after those already recorded. Returns how many were loaded.
    pub async fn import_transposition(&self, acting: Acting<'_>, import: &TranspositionImport) -> AppResult<usize> {
        let data = instruments()?;
        let today = self.today();
        let (by, mut event) = match acting {
            Acting::Operator => (
                "operator".to_owned(),
                AuditEvent::new(self.now(), AuditAction::TranspositionRecorded, AuditOutcome::Success)
                    .detail("operator console"),
            ),
            Acting::User(p) => (p.user.id.clone(), self.event(p, AuditAction::TranspositionRecorded)),
        };
        let may = |jurisdiction: Jurisdiction| match acting {
            Acting::Operator => true,
            Acting::User(p) => Self::may_monitor(p, jurisdiction, Permission::RecordMonitoring),
        };
        let mut rows = Vec::new();
        for (i, (country, input)) in import.measures.iter().enumerate() {
            let country = CountryCode::parse(&format!("measures[{i}].country"), country)?;
            if !may(Jurisdiction::Country(country)) {
                return Err(AppError::Forbidden);
            }
            let m =
                NationalMeasure::parse(new_id(), country, input, data, today).map_err(|e| within("measures", i, e))?;
            let target = Target {
                kind: "measure",
                id: &m.id,
                country,
                jurisdiction: Jurisdiction::Country(country),
                instrument: m.instrument,
                day: m.notified_on,
            };
            rows.push(self.row_of(&by, target, &m)?);
        }
        let eu_records = !(import.assessments.is_empty() && import.steps.is_empty());
        if eu_records && !may(Jurisdiction::EuropeanUnion) {
            return Err(AppError::Forbidden);
        }
        for (i, input) in import.assessments.iter().enumerate() {
            let a = Assessment::parse(new_id(), input, data, today).map_err(|e| within("assessments", i, e))?;
            let target = Target {
                kind: "assessment",
                id: &a.id,
                country: a.country,
                jurisdiction: Jurisdiction::EuropeanUnion,
                instrument: a.instrument,
                day: a.assessed_on,
            };
            rows.push(self.row_of(&by, target, &a)?);
        }
        let mut steps = self.transposition_records(&tracked_countries(data)).await?.steps;
        for (i, input) in import.steps.iter().enumerate() {
            let s = InfringementStep::parse(new_id(), input, data, &steps, today).map_err(|e| within("steps", i, e))?;
            let target = Target {
                kind: "infringement_step",
                id: &s.id,
                country: s.country,
                jurisdiction: Jurisdiction::EuropeanUnion,
                instrument: s.instrument,
                day: s.decided_on,
            };
            rows.push(self.row_of(&by, target, &s)?);
            steps.push(s);
        }
        event = event.on("transposition", "import", None);
        event.detail = Some(format!("imported={}", rows.len()));
        self.store.add_transposition_records(&rows, &event).await?;
        Ok(rows.len())
    }
}
