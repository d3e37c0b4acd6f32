//! Retention (docs/data-protection.md): the daily job that applies each jurisdiction's
//! retention schedules ([`haven_domain::retention`]), the data protection officer's legal holds
//! and review list, and the record of processing and impact assessment generated from the
//! configuration ([`haven_domain::processing_record`]).
//!
//! The job ([`App::run_retention`], run once a day from the serve loop) lists every record whose
//! period has run out, audited `retention_listed`; after the grace period, and only while no
//! legal hold stands, it acts on it:
//! - `erase`: a registration is erased by crypto-shredding ([`App::erase_registration_for_retention`]);
//!   a notification, an assessment, a support record or a referral is deleted;
//! - `anonymise`: a registration's identity and narratives are destroyed the same way, and its
//!   coded columns (sex, age group, citizenship, forms, status), all that statistics need, stay;
//!   the other kinds hold nothing but what their case needs, so they go to review;
//! - `review`: the record goes on the officer's list, who keeps it for another period, or erases
//!   or anonymises it;
//!
//! and proceedings, the audit log and the statistics records always go to review (the job does
//! not delete them). Every step is audited (`retention_acted`, `retention_reviewed`), and the
//! storage refuses to mark a record erased or anonymised while a hold stands.
//!
//! Authorisation: [`haven_domain::access::may_manage_retention`] (the data protection officer of
//! the jurisdiction). The officer reads kinds, identifiers, dates and states, never content.

use std::collections::BTreeMap;

use crate::{App, AppError, AppResult, Principal, new_id};
use haven_domain::access::may_manage_retention;
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_domain::case::CalendarDate;
use haven_domain::processing_record::{
    CompletionField, ImpactAssessment, MAX_COMPLETION_CHARS, RecordOfProcessing, impact_assessment,
    record_of_processing,
};
use haven_domain::retention::{
    EndAction, RecordFacts, RecordKind, RetentionProfile, RetentionProfiles, RetentionState, retention_state,
};
use haven_domain::text::parse_line;
use haven_domain::{Coded, Jurisdiction, Message, MessageId, ParseError, Permission};
use haven_storage::{ProcessingCompletionRow, RetentionHoldRow, RetentionItemRow, RetentionSourceRow};
use serde::Serialize;

/// The longest reason for a hold or a decision, in characters.
pub const MAX_REASON_CHARS: usize = 1000;

/// What one run of the job did in one jurisdiction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RetentionRun {
    pub jurisdiction: String,
    /// Records newly listed as due.
    pub listed: usize,
    /// Records erased.
    pub erased: usize,
    /// Records anonymised.
    pub anonymised: usize,
    /// Records put on the officer's review list.
    pub reviewed: usize,
    /// Records due and held.
    pub held: usize,
    /// Records whose period cannot be computed yet (the event it runs from is not recorded).
    pub unknown: usize,
    /// Records the job could not act on (logged; tried again the next day).
    pub failed: usize,
}

/// A listed record as the officer sees it: kind, identifiers, dates and state, no content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetentionLine {
    pub record_kind: String,
    pub record_id: String,
    pub case_id: Option<String>,
    pub runs_from: String,
    pub from_on: String,
    pub due_on: String,
    pub action: String,
    pub listed_on: String,
    /// The day the job may act, once the grace period is over.
    pub act_after: Option<String>,
    pub state: String,
    pub note: Option<String>,
}

/// A legal hold as the officer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HoldLine {
    pub id: String,
    pub record_kind: String,
    pub record_id: String,
    pub reason: String,
    pub placed_by: String,
    pub placed_on: String,
    pub released_on: Option<String>,
    pub release_reason: Option<String>,
}

/// The retention status of a jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetentionView {
    pub jurisdiction: String,
    pub profile: RetentionProfile,
    pub items: Vec<RetentionLine>,
    pub holds: Vec<HoldLine>,
}

/// The officer's decision on a record on the review list (or listed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ReviewDecision {
    /// Kept for another period of its schedule.
    Keep,
    Erase,
    Anonymise,
}

impl ReviewDecision {
    pub fn parse(field: &str, value: &str) -> Result<Self, ParseError> {
        match value.trim() {
            "keep" => Ok(Self::Keep),
            "erase" => Ok(Self::Erase),
            "anonymise" => Ok(Self::Anonymise),
            other => Err(ParseError::said(
                field,
                format!("{other:?} is not keep, erase or anonymise"),
                Message::new(MessageId::UnknownValue).with("value", other),
            )),
        }
    }
}

/// The record of processing and the impact assessment with the officer's completions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcessingDocuments {
    pub record: RecordOfProcessing,
    pub assessment: ImpactAssessment,
    /// Completed fields by key.
    pub completions: BTreeMap<String, String>,
}

fn day(at: i64) -> Option<CalendarDate> {
    CalendarDate::from_unix_seconds(at)
}

fn parse_day(value: &Option<String>) -> Option<CalendarDate> {
    value.as_deref().and_then(|v| CalendarDate::parse("date", v).ok())
}

fn line(item: &RetentionItemRow, grace_days: u16) -> RetentionLine {
    let act_after = match (CalendarDate::parse("d", &item.due_on), CalendarDate::parse("d", &item.listed_on)) {
        (Ok(due), Ok(listed)) => haven_domain::retention::act_after(due, listed, grace_days).map(|d| d.to_string()),
        _ => None,
    };
    RetentionLine {
        record_kind: item.record_kind.clone(),
        record_id: item.record_id.clone(),
        case_id: item.case_id.clone(),
        runs_from: item.runs_from.clone(),
        from_on: item.from_on.clone(),
        due_on: item.due_on.clone(),
        action: item.action.clone(),
        listed_on: item.listed_on.clone(),
        act_after,
        state: item.state.clone(),
        note: item.note.clone(),
    }
}

impl App {
    /// The version of `jurisdiction`'s retention profile in force `on` a day (none for a
    /// jurisdiction Haven ships no profile for, or before its first version applies).
    pub fn retention_profile(&self, jurisdiction: Jurisdiction, on: CalendarDate) -> Option<RetentionProfile> {
        self.retention_profiles.in_force(jurisdiction, on).cloned()
    }

    /// Replaces the retention profiles (every version of every jurisdiction) with `profiles`: for
    /// tests of versions Haven does not ship. Operators have no way to it; their profiles are
    /// the built-in files.
    #[doc(hidden)]
    pub fn with_retention_profiles(mut self, profiles: RetentionProfiles) -> App {
        self.retention_profiles = std::sync::Arc::new(profiles);
        self
    }

    fn system_event(&self, action: AuditAction, kind: &str, id: &str, org: Option<&str>) -> AuditEvent {
        AuditEvent::new(self.now(), action, AuditOutcome::Success).on(kind, id, org)
    }

    /// The facts a schedule runs from, for one source record.
    async fn retention_facts(&self, kind: RecordKind, source: &RetentionSourceRow, needs_age: bool) -> RecordFacts {
        let recorded_on = parse_day(&source.recorded_on).or_else(|| source.recorded_at.and_then(day));
        let mut facts = RecordFacts {
            recorded_on,
            case_closed_on: parse_day(&source.closed_on),
            proceedings_ended_on: parse_day(&source.ended_on),
            last_contact_on: source.last_at.and_then(day),
            age: None,
        };
        if needs_age
            && matches!(kind, RecordKind::Registration | RecordKind::Assessment | RecordKind::SupportRecord)
            && let Some(case_id) = &source.case_id
            && let Ok(Some(row)) = self.store.registration(case_id).await
            && let Ok(reg) = self.decrypt_registration(&row)
        {
            let registered_on = day(row.updated_at).or(recorded_on);
            if let Some(on) = registered_on {
                facts.age = Some((reg.age_info(), on));
            }
        }
        facts
    }

    /// The records of `jurisdiction` a schedule may apply to: those of the tables, plus the
    /// audit log by year and each case's statistics record.
    async fn retention_candidates(
        &self,
        jurisdiction: Jurisdiction,
    ) -> AppResult<Vec<(RecordKind, RetentionSourceRow)>> {
        let mut out = Vec::new();
        for source in self.store.retention_sources(jurisdiction.code()).await? {
            let Ok(kind) = RecordKind::parse_code("record_kind", &source.record_kind) else { continue };
            if kind == RecordKind::Registration {
                let mut stats = source.clone();
                stats.record_kind = RecordKind::StatisticsMicrodata.code().to_owned();
                out.push((RecordKind::StatisticsMicrodata, stats));
            }
            out.push((kind, source));
        }
        if let Some(first) = self.store.audit_log_first_at().await?.and_then(day) {
            let today = self.today();
            for year in first.year..today.year {
                out.push((
                    RecordKind::AuditLog,
                    RetentionSourceRow {
                        record_kind: RecordKind::AuditLog.code().to_owned(),
                        record_id: format!("{}/{year}", jurisdiction.code()),
                        case_id: None,
                        organisation_id: None,
                        recorded_at: None,
                        recorded_on: Some(format!("{year:04}-12-31")),
                        last_at: None,
                        closed_on: None,
                        ended_on: None,
                    },
                ));
            }
        }
        Ok(out)
    }

    /// The daily retention job over every jurisdiction with organisations on this instance.
    pub async fn run_retention_everywhere(&self) -> AppResult<Vec<RetentionRun>> {
        let mut jurisdictions: Vec<Jurisdiction> =
            self.store.organisations().await?.into_iter().map(|o| o.jurisdiction).collect();
        jurisdictions.sort();
        jurisdictions.dedup();
        let mut runs = Vec::new();
        for j in jurisdictions {
            if let Some(run) = self.run_retention(j).await? {
                runs.push(run);
            }
        }
        Ok(runs)
    }

    /// The retention job for one jurisdiction (none without a retention profile): lists what is
    /// due and acts on what is ready, as the module says. Audited: each record listed and acted
    /// on, and the run (`retention_run`).
    pub async fn run_retention(&self, jurisdiction: Jurisdiction) -> AppResult<Option<RetentionRun>> {
        let today = self.today();
        let Some(profile) = self.retention_profile(jurisdiction, today) else {
            tracing::info!(
                jurisdiction = %jurisdiction,
                %today,
                "no retention profile in force for the jurisdiction: the retention job does nothing there"
            );
            return Ok(None);
        };
        let mut run = RetentionRun { jurisdiction: jurisdiction.code().to_owned(), ..RetentionRun::default() };
        for (kind, source) in self.retention_candidates(jurisdiction).await? {
            let Some(schedule) = profile.schedule(kind) else { continue };
            let existing = self.store.retention_item(kind.code(), &source.record_id).await?;
            if existing.as_ref().is_some_and(|i| !matches!(i.state.as_str(), "listed" | "kept")) {
                if existing.as_ref().is_some_and(|i| i.state == "held") {
                    run.held += 1;
                }
                continue;
            }
            let item = match existing {
                Some(item) => item,
                None => {
                    let facts = self
                        .retention_facts(
                            kind,
                            &source,
                            schedule.runs_from == haven_domain::retention::RunsFrom::Majority,
                        )
                        .await;
                    let Ok(due) = schedule.due_on(&facts) else {
                        run.unknown += 1;
                        continue;
                    };
                    if due.due_on > today {
                        continue;
                    }
                    let row = RetentionItemRow {
                        record_kind: kind.code().to_owned(),
                        record_id: source.record_id.clone(),
                        jurisdiction: jurisdiction.code().to_owned(),
                        case_id: source.case_id.clone(),
                        organisation_id: source.organisation_id.clone(),
                        runs_from: schedule.runs_from.code().to_owned(),
                        from_on: due.from.to_string(),
                        due_on: due.due_on.to_string(),
                        action: schedule.action.code().to_owned(),
                        listed_on: today.to_string(),
                        state: "listed".to_owned(),
                        decided_by: None,
                        decided_at: None,
                        note: None,
                    };
                    let event = self
                        .system_event(
                            AuditAction::RetentionListed,
                            kind.code(),
                            &source.record_id,
                            source.organisation_id.as_deref(),
                        )
                        .detail(format!("due_on={} action={} runs_from={}", row.due_on, row.action, row.runs_from));
                    if self.store.list_retention_item(&row, &event).await? {
                        run.listed += 1;
                    }
                    row
                }
            };
            match self.retention_step(&profile, kind, &item, today).await {
                Ok(Step::Held) => run.held += 1,
                Ok(Step::Erased) => run.erased += 1,
                Ok(Step::Anonymised) => run.anonymised += 1,
                Ok(Step::Reviewed) => run.reviewed += 1,
                Ok(Step::Waiting) => {}
                Err(e) => {
                    run.failed += 1;
                    tracing::warn!(error = %e, kind = kind.code(), "the retention job could not act on a record");
                }
            }
        }
        // A run that listed nothing and acted on nothing took no step: nothing to audit.
        if run.listed + run.erased + run.anonymised + run.reviewed + run.held + run.unknown + run.failed == 0 {
            return Ok(Some(run));
        }
        let event =
            self.system_event(AuditAction::RetentionRun, "retention", jurisdiction.code(), None).detail(format!(
                "listed={} erased={} anonymised={} reviewed={} held={} unknown={} failed={}",
                run.listed, run.erased, run.anonymised, run.reviewed, run.held, run.unknown, run.failed
            ));
        self.store.append_audit(&event).await?;
        Ok(Some(run))
    }

    /// One listed (or kept) record on `today`: nothing before the grace period is over or while
    /// a hold stands, else the schedule's action.
    async fn retention_step(
        &self,
        profile: &RetentionProfile,
        kind: RecordKind,
        item: &RetentionItemRow,
        today: CalendarDate,
    ) -> AppResult<Step> {
        let due = CalendarDate::parse("due_on", &item.due_on).ok();
        let listed = CalendarDate::parse("listed_on", &item.listed_on).ok();
        if item.state == "kept" {
            // Kept for another period: back on the review list once that period has run out.
            if due.is_some_and(|d| d <= today) {
                let event = self
                    .system_event(
                        AuditAction::RetentionReviewed,
                        kind.code(),
                        &item.record_id,
                        item.organisation_id.as_deref(),
                    )
                    .detail("review_again");
                self.store
                    .set_retention_state(
                        kind.code(),
                        &item.record_id,
                        &["kept"],
                        "review",
                        None,
                        self.now(),
                        None,
                        None,
                        &event,
                    )
                    .await?;
                return Ok(Step::Reviewed);
            }
            return Ok(Step::Waiting);
        }
        let held = self.store.retention_hold_stands(kind.code(), &item.record_id).await?;
        match retention_state(due, listed, held, profile.grace_days, today) {
            RetentionState::Held => return Ok(Step::Held),
            RetentionState::Ready => {}
            _ => return Ok(Step::Waiting),
        }
        let action = EndAction::parse_code("action", &item.action)?;
        self.carry_out(kind, item, action, None).await
    }

    /// Erases or anonymises a record, or puts it on the review list where the job does not act
    /// on its kind. `by` is the officer deciding on review (`None`: the job).
    async fn carry_out(
        &self,
        kind: RecordKind,
        item: &RetentionItemRow,
        action: EndAction,
        by: Option<(&Principal, &str)>,
    ) -> AppResult<Step> {
        let org = item.organisation_id.as_deref();
        let event_for = |action: AuditAction, detail: String| {
            let event = match by {
                Some((p, _)) => self.event(p, action),
                None => AuditEvent::new(self.now(), action, AuditOutcome::Success),
            };
            event.on(kind.code(), &item.record_id, org).detail(detail)
        };
        let from: &[&str] = &["listed", "review"];
        let registration = kind == RecordKind::Registration;
        let deletable = matches!(
            kind,
            RecordKind::AnonymousNotification
                | RecordKind::Assessment
                | RecordKind::SupportRecord
                | RecordKind::Referral
        );
        let to_review = |reason: &str| event_for(AuditAction::RetentionReviewed, format!("to_review {reason}"));
        match action {
            EndAction::Review => {
                let event = to_review("schedule");
                self.store
                    .set_retention_state(
                        kind.code(),
                        &item.record_id,
                        from,
                        "review",
                        None,
                        self.now(),
                        None,
                        None,
                        &event,
                    )
                    .await?;
                Ok(Step::Reviewed)
            }
            EndAction::Erase | EndAction::Anonymise if registration => {
                let Some(case_id) = item.case_id.as_deref() else { return Err(AppError::NotFound) };
                if self.store.retention_hold_stands(kind.code(), &item.record_id).await? {
                    return Ok(Step::Held);
                }
                self.erase_registration_for_retention(case_id, by.map(|(p, _)| p)).await?;
                let (state, step) = if action == EndAction::Erase {
                    ("erased", Step::Erased)
                } else {
                    ("anonymised", Step::Anonymised)
                };
                let event =
                    event_for(AuditAction::RetentionActed, format!("{state} by={}", by.map_or("job", |_| "officer")));
                let note = by.map(|(_, note)| note);
                let who = by.map(|(p, _)| p.user.id.as_str());
                self.store
                    .set_retention_state(kind.code(), &item.record_id, from, state, who, self.now(), note, None, &event)
                    .await?;
                Ok(step)
            }
            EndAction::Erase if deletable => {
                if item.state == "review" {
                    // Listed again for the row-by-row erasure, which takes listed records only.
                    let event = event_for(AuditAction::RetentionReviewed, "erase_decided".to_owned());
                    let who = by.map(|(p, _)| p.user.id.as_str());
                    self.store
                        .set_retention_state(
                            kind.code(),
                            &item.record_id,
                            &["review"],
                            "listed",
                            who,
                            self.now(),
                            by.map(|(_, n)| n),
                            None,
                            &event,
                        )
                        .await?;
                }
                let event =
                    event_for(AuditAction::RetentionActed, format!("erased by={}", by.map_or("job", |_| "officer")));
                if self.store.erase_retention_record(kind.code(), &item.record_id, self.now(), &event).await? {
                    Ok(Step::Erased)
                } else {
                    Ok(Step::Held)
                }
            }
            // What the job does not erase or anonymise itself goes to the officer.
            EndAction::Erase | EndAction::Anonymise => {
                if by.is_some() {
                    return Err(AppError::conflict(
                        format!(
                            "the {} records are not {}d by Haven: keep them, or act outside it",
                            kind.code(),
                            action.code()
                        ),
                        Message::new(MessageId::StoredConflict),
                    ));
                }
                if item.state == "review" {
                    return Ok(Step::Waiting);
                }
                let event = to_review(action.code());
                self.store
                    .set_retention_state(
                        kind.code(),
                        &item.record_id,
                        from,
                        "review",
                        None,
                        self.now(),
                        None,
                        None,
                        &event,
                    )
                    .await?;
                Ok(Step::Reviewed)
            }
        }
    }

    /// The erase action of the retention schedules on a registration: erases it by
    /// crypto-shredding (docs/data-protection.md, "Erasure by crypto-shredding"), audited
    /// `person_erased` as the officer deciding on review or, without one, as the job. Refused
    /// naming the case while a legal hold stands on it; nothing changes for one erased already.
    pub(crate) async fn erase_registration_for_retention(
        &self,
        case_id: &str,
        officer: Option<&Principal>,
    ) -> AppResult<()> {
        let case = self.store.case(case_id).await?;
        if self.store.case_hold_stands(&case.id).await? {
            return Err(crate::erasure::held_refusal(&case.reference));
        }
        let event = match officer {
            Some(p) => self.event(p, AuditAction::PersonErased),
            None => AuditEvent::new(self.now(), AuditAction::PersonErased, AuditOutcome::Success),
        };
        self.erase_case_now(&case, officer.map(|p| p.user.id.as_str()), event).await?;
        Ok(())
    }

    async fn require_retention(&self, principal: &Principal, permission: Permission) -> AppResult<Jurisdiction> {
        self.require(principal, permission).await?;
        let jurisdiction = principal.actor.jurisdiction;
        if !may_manage_retention(&principal.actor, jurisdiction, permission) {
            self.audit_denied(principal, "retention", jurisdiction.code(), None).await;
            return Err(AppError::Forbidden);
        }
        Ok(jurisdiction)
    }

    /// The version of `jurisdiction`'s retention profile in force today.
    async fn retention_profile_of(&self, jurisdiction: Jurisdiction) -> AppResult<RetentionProfile> {
        let today = self.today();
        self.retention_profile(jurisdiction, today).ok_or_else(|| {
            AppError::Invalid(ParseError::said(
                "jurisdiction",
                format!("no retention profile for {jurisdiction} in force on {today}"),
                Message::new(MessageId::UnknownValue).with("value", jurisdiction.code()),
            ))
        })
    }

    /// The retention status of the officer's jurisdiction: the schedules, the listed records and
    /// the holds. Audited `retention_read`.
    pub async fn retention_view(&self, principal: &Principal) -> AppResult<RetentionView> {
        let jurisdiction = self.require_retention(principal, Permission::ManageRetention).await?;
        let profile = self.retention_profile_of(jurisdiction).await?;
        let items = self
            .store
            .retention_items(jurisdiction.code())
            .await?
            .iter()
            .map(|i| line(i, profile.grace_days))
            .collect();
        let holds = self
            .store
            .retention_holds(jurisdiction.code())
            .await?
            .into_iter()
            .map(|h| HoldLine {
                id: h.id,
                record_kind: h.record_kind,
                record_id: h.record_id,
                reason: h.reason,
                placed_by: h.placed_by,
                placed_on: day(h.placed_at).map(|d| d.to_string()).unwrap_or_default(),
                released_on: h.released_at.and_then(day).map(|d| d.to_string()),
                release_reason: h.release_reason,
            })
            .collect::<Vec<_>>();
        let event = self
            .event(principal, AuditAction::RetentionRead)
            .on("retention", jurisdiction.code(), None)
            .detail(format!("holds={}", holds.len()));
        self.store.append_audit(&event).await?;
        Ok(RetentionView { jurisdiction: jurisdiction.code().to_owned(), profile, items, holds })
    }

    async fn listed_item(
        &self,
        jurisdiction: Jurisdiction,
        kind: &str,
        record_id: &str,
    ) -> AppResult<RetentionItemRow> {
        let kind = RecordKind::parse_code("record_kind", kind)?;
        match self.store.retention_item(kind.code(), record_id).await? {
            Some(item) if item.jurisdiction == jurisdiction.code() => Ok(item),
            _ => Err(AppError::NotFound),
        }
    }

    /// Places a legal hold on a listed record, with a reason (litigation, an open case). Audited.
    pub async fn place_retention_hold(
        &self,
        principal: &Principal,
        kind: &str,
        record_id: &str,
        reason: &str,
    ) -> AppResult<String> {
        let jurisdiction = self.require_retention(principal, Permission::ManageRetention).await?;
        let reason = parse_line("reason", reason, MAX_REASON_CHARS)?;
        let item = self.listed_item(jurisdiction, kind, record_id).await?;
        if matches!(item.state.as_str(), "erased" | "anonymised") {
            return Err(AppError::conflict(
                format!("the record is {} already", item.state),
                Message::new(MessageId::StoredConflict),
            ));
        }
        let hold = RetentionHoldRow {
            id: new_id(),
            record_kind: item.record_kind.clone(),
            record_id: item.record_id.clone(),
            jurisdiction: jurisdiction.code().to_owned(),
            reason,
            placed_by: principal.user.id.clone(),
            placed_at: self.now(),
            released_by: None,
            released_at: None,
            release_reason: None,
        };
        let event = self
            .event(principal, AuditAction::RetentionHoldPlaced)
            .on(&item.record_kind, &item.record_id, item.organisation_id.as_deref())
            .detail(format!("hold={}", hold.id));
        self.store.place_retention_hold(&hold, &event).await?;
        Ok(hold.id)
    }

    /// Releases a standing hold, with a reason. Audited.
    pub async fn release_retention_hold(&self, principal: &Principal, hold_id: &str, reason: &str) -> AppResult<()> {
        let jurisdiction = self.require_retention(principal, Permission::ManageRetention).await?;
        let reason = parse_line("reason", reason, MAX_REASON_CHARS)?;
        let hold = match self.store.retention_hold(hold_id).await? {
            Some(h) if h.jurisdiction == jurisdiction.code() => h,
            _ => return Err(AppError::NotFound),
        };
        let event = self
            .event(principal, AuditAction::RetentionHoldReleased)
            .on(&hold.record_kind, &hold.record_id, None)
            .detail(format!("hold={}", hold.id));
        if !self.store.release_retention_hold(&hold.id, &principal.user.id, self.now(), &reason, &event).await? {
            return Err(AppError::conflict("the hold was released already", Message::new(MessageId::StoredConflict)));
        }
        Ok(())
    }

    /// The officer's decision on a record on the review list (or listed and not held): keep it
    /// for another period of its schedule, erase or anonymise it. Audited.
    pub async fn decide_retention(
        &self,
        principal: &Principal,
        kind: &str,
        record_id: &str,
        decision: ReviewDecision,
        note: &str,
    ) -> AppResult<()> {
        let jurisdiction = self.require_retention(principal, Permission::ManageRetention).await?;
        let note = parse_line("note", note, MAX_REASON_CHARS)?;
        let item = self.listed_item(jurisdiction, kind, record_id).await?;
        let kind = RecordKind::parse_code("record_kind", &item.record_kind)?;
        if !matches!(item.state.as_str(), "review" | "listed") {
            return Err(AppError::conflict(
                format!("the record is {}: there is nothing to decide", item.state),
                Message::new(MessageId::StoredConflict),
            ));
        }
        if self.store.retention_hold_stands(kind.code(), &item.record_id).await? {
            return Err(AppError::conflict(
                "a legal hold stands on the record",
                Message::new(MessageId::StoredConflict),
            ));
        }
        match decision {
            ReviewDecision::Keep => {
                let profile = self.retention_profile_of(jurisdiction).await?;
                let months = profile.schedule(kind).map_or(12, |s| u32::from(s.years) * 12 + u32::from(s.months));
                let due = self.today().add_months(months).ok_or(AppError::NotFound)?.to_string();
                let event = self
                    .event(principal, AuditAction::RetentionReviewed)
                    .on(kind.code(), &item.record_id, item.organisation_id.as_deref())
                    .detail(format!("kept due_on={due}"));
                self.store
                    .set_retention_state(
                        kind.code(),
                        &item.record_id,
                        &["review", "listed"],
                        "kept",
                        Some(&principal.user.id),
                        self.now(),
                        Some(&note),
                        Some(&due),
                        &event,
                    )
                    .await?;
            }
            ReviewDecision::Erase | ReviewDecision::Anonymise => {
                let action = if decision == ReviewDecision::Erase { EndAction::Erase } else { EndAction::Anonymise };
                if action == EndAction::Anonymise && kind != RecordKind::Registration {
                    return Err(AppError::conflict(
                        format!("only a registration is anonymised; erase or keep the {} record", kind.code()),
                        Message::new(MessageId::StoredConflict),
                    ));
                }
                self.carry_out(kind, &item, action, Some((principal, &note))).await?;
            }
        }
        Ok(())
    }

    /// Records the day a case was closed, from which the schedules that run from closure count.
    /// The data protection officer records it for the retention of its jurisdiction. Audited.
    pub async fn record_case_closure(&self, principal: &Principal, case_id: &str, closed_on: &str) -> AppResult<()> {
        let jurisdiction = self.require_retention(principal, Permission::ManageRetention).await?;
        let closed_on = CalendarDate::parse("closed_on", closed_on)?;
        if closed_on > self.today() {
            return Err(AppError::said("closed_on", "the day is in the future", MessageId::MustNotBeInFuture));
        }
        let case = self.store.case(case_id).await?;
        if case.jurisdiction != jurisdiction {
            return Err(AppError::NotFound);
        }
        let event = self
            .event(principal, AuditAction::CaseClosed)
            .on("case", case_id, Some(&case.owner_organisation_id))
            .detail(format!("closed_on={closed_on}"));
        self.store.record_case_closure(case_id, &closed_on.to_string(), &principal.user.id, self.now(), &event).await?;
        Ok(())
    }

    /// The record of processing and the impact assessment of the officer's jurisdiction,
    /// generated from the configuration, with the officer's completions. Audited
    /// `processing_record_read` (`format` in the detail: `page`, `json`, `markdown`).
    pub async fn processing_documents(&self, principal: &Principal, format: &str) -> AppResult<ProcessingDocuments> {
        let jurisdiction = self.require_retention(principal, Permission::ManageProcessingRecords).await?;
        let documents = self.processing_documents_of(jurisdiction).await?;
        let event = self
            .event(principal, AuditAction::ProcessingRecordRead)
            .on("processing_record", jurisdiction.code(), None)
            .detail(format!("format={format}"));
        self.store.append_audit(&event).await?;
        Ok(documents)
    }

    /// The documents of `jurisdiction` (for the operator's export and the demo; not audited).
    pub async fn processing_documents_of(&self, jurisdiction: Jurisdiction) -> AppResult<ProcessingDocuments> {
        let profile = self.retention_profile_of(jurisdiction).await?;
        let organisations = self.store.organisations().await?;
        let kinds: Vec<_> = organisations.iter().filter(|o| o.jurisdiction == jurisdiction).map(|o| o.kind).collect();
        let peers = self.store.exchange_peers().await?;
        let eu_hub = peers.iter().any(|p| p.role == "eu_hub");
        let countries: Vec<String> =
            peers.iter().filter(|p| p.role != "eu_hub").map(|p| p.instance_id.clone()).collect();
        let record = record_of_processing(&profile, &kinds, &countries, eu_hub);
        let assessment = impact_assessment(jurisdiction);
        let completions = self
            .store
            .processing_completions(jurisdiction.code())
            .await?
            .into_iter()
            .map(|c| (c.field, c.body))
            .collect();
        Ok(ProcessingDocuments { record, assessment, completions })
    }

    /// The officer completes one field of the record of processing or the impact assessment (an
    /// empty text removes the completion). Audited.
    pub async fn complete_processing_record(&self, principal: &Principal, field: &str, text: &str) -> AppResult<()> {
        let jurisdiction = self.require_retention(principal, Permission::ManageProcessingRecords).await?;
        let field = CompletionField::parse("field", field)?;
        let body = if text.trim().is_empty() {
            String::new()
        } else {
            haven_domain::text::Narrative::parse("text", text)?.as_str().to_owned()
        };
        if body.chars().count() > MAX_COMPLETION_CHARS {
            return Err(AppError::Invalid(ParseError::too_long("text", MAX_COMPLETION_CHARS)));
        }
        let row = ProcessingCompletionRow {
            jurisdiction: jurisdiction.code().to_owned(),
            field: field.key(),
            body,
            updated_by: principal.user.id.clone(),
            updated_at: self.now(),
        };
        let event = self
            .event(principal, AuditAction::ProcessingRecordCompleted)
            .on("processing_record", jurisdiction.code(), None)
            .detail(format!("field={}", row.field));
        self.store.save_processing_completion(&row, &event).await?;
        Ok(())
    }
}

/// What the job did with one record.
enum Step {
    Waiting,
    Held,
    Erased,
    Anonymised,
    Reviewed,
}
