//! Criminal proceedings: investigations, suspects, charges, prosecution decisions, judgments,
//! appeals and non-punishment notices, in the proceedings compartment.
//!
//! Every use case asks [`haven_domain::access`] first (`authorize_investigation`,
//! `investigation_actions`, `may_link_victim`, `proceedings_view`), encrypts the record, a
//! suspect's name and the reasons of a decision per field, and leaves an audit entry for every
//! read and write. The non-punishment notice (Dir 2011/36 Art 8; CETS 197 Art 26) is raised on
//! every path that makes a registered victim a suspect and stored in the same transaction.

use crate::{App, AppError, AppResult, Principal, new_id};
use haven_crypto::FieldContext;
use haven_domain::access::{
    Action, CaseScope, Decision, InvestigationActions, InvestigationScope, ProceedingsView, authorize_investigation,
    investigation_actions, may_link_victim, proceedings_view,
};
use haven_domain::audit::AuditAction;
use haven_domain::case::CalendarDate;
use haven_domain::ident::status::NrmStatus;
use haven_domain::proceedings::charge::{Appeal, Charge, ChargeInput, Judgment, JudgmentInput, ProsecutionDecision};
use haven_domain::proceedings::non_punishment::{
    NonPunishmentNotice, NoticeDecision, NoticePath, VictimStanding, notice_for,
};
use haven_domain::proceedings::penalty::{NationalPractice, PenaltyWarning, charge_warnings};
use haven_domain::proceedings::suspect::{Suspect, SuspectInput};
use haven_domain::proceedings::{ClosureGround, Investigation, InvestigationInput, InvestigationStatus, VictimLink};
use haven_domain::text::Narrative;
use haven_domain::{Coded, Compartment, Jurisdiction, Message, MessageId, OrganisationKind, ParseError, Permission};
use haven_storage::{InvestigationRow, InvestigationVictimRow, NoticeRow, ProceedingsRecordRow, SuspectRow};
use serde::Serialize;

fn ctx<'a>(table: &'a str, column: &'a str, row: &'a str) -> FieldContext<'a> {
    FieldContext { table, column, row }
}

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(Box::new(e))
}

fn stored_date(field: &str, value: &str) -> AppResult<CalendarDate> {
    CalendarDate::parse(field, value).map_err(internal)
}

pub(crate) fn scope_of(row: &InvestigationRow) -> AppResult<InvestigationScope> {
    Ok(InvestigationScope {
        unit_organisation_id: row.unit_organisation_id.clone(),
        prosecutor_organisation_id: row.prosecutor_organisation_id.clone(),
        jurisdiction: Jurisdiction::parse("jurisdiction", &row.jurisdiction).map_err(internal)?,
    })
}

/// An investigation in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvestigationSummary {
    pub id: String,
    pub reference: String,
    pub status: InvestigationStatus,
    pub opened_on: CalendarDate,
    pub offences: Vec<String>,
    pub suspects: usize,
    pub victims: usize,
    pub open_notices: usize,
    pub version: i64,
}

/// A record of a suspect: a charge (with the penalty-floor warnings), a decision, a judgment or
/// an appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SuspectRecord {
    Charge { charge: Charge, warnings: Vec<PenaltyWarning> },
    ProsecutionDecision { decision: ProsecutionDecision },
    Judgment { judgment: Judgment },
    Appeal { appeal: Appeal },
}

/// A suspect with its records and notices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuspectView {
    pub suspect: Suspect,
    pub records: Vec<SuspectRecord>,
    pub notices: Vec<NoticeView>,
}

/// A non-punishment notice with what the prosecutor is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeView {
    pub notice: NonPunishmentNotice,
    pub message: Message,
    /// The notice in English (for the API).
    pub text: String,
}

/// One investigation, everything of it the user may read, with the actions offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvestigationView {
    pub investigation: Investigation,
    pub version: i64,
    pub suspects: Vec<SuspectView>,
    pub actions: InvestigationActions,
    /// Where national practice has a version in force: its sources.
    pub practice_sources: Vec<String>,
}

/// What a reader of a case sees of its proceedings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseInvolvement {
    pub view: ProceedingsView,
    /// "Involved in proceedings: yes"; `None` when the reader may not know.
    pub involved: Option<bool>,
}

const RECORD_KINDS: [&str; 4] = ["charge", "prosecution_decision", "judgment", "appeal"];

fn notice_text(n: &NonPunishmentNotice) -> String {
    let standing = match n.standing {
        VictimStanding::Registered => "registered as a presumed victim, not yet referred",
        VictimStanding::Presumed => "a presumed victim",
        VictimStanding::Identified => "identified as a victim",
    };
    format!(
        "Non-punishment notice: this suspect is {standing}. The competent authorities are entitled not to prosecute \
         victims, or not to impose penalties on them, for criminal activities they were compelled to commit as a \
         direct consequence of being trafficked (Dir 2011/36 Art 8, CETS 197 Art 26). The prosecutor records a \
         decision on this notice before deciding to prosecute."
    )
}

impl App {
    pub(crate) fn investigation_record(&self, row: &InvestigationRow) -> AppResult<Investigation> {
        let json = self.keys.decrypt_str(&ctx("investigations", "record", &row.id), &row.record)?;
        serde_json::from_str(&json).map_err(internal)
    }

    fn encrypt_investigation(&self, inv: &Investigation) -> AppResult<Vec<u8>> {
        let stored = Investigation { victims: Vec::new(), ..inv.clone() };
        let json = serde_json::to_string(&stored).map_err(internal)?;
        Ok(self.keys.encrypt_str(&ctx("investigations", "record", &inv.id), &json))
    }

    /// Loads an investigation and decides whether the principal may act on it. A denial is
    /// audited; an investigation the principal may not know of is "not found".
    pub(crate) async fn investigation_for(
        &self,
        principal: &Principal,
        id: &str,
        action: Action,
    ) -> AppResult<(InvestigationRow, InvestigationActions)> {
        self.require(principal, Permission::Case(Compartment::Proceedings, action)).await?;
        if uuid::Uuid::parse_str(id).is_err() {
            return Err(AppError::NotFound);
        }
        let row = self.store.investigation(id).await?.ok_or(AppError::NotFound)?;
        let scope = scope_of(&row)?;
        match authorize_investigation(&principal.actor, &scope, action) {
            Decision::Allow => Ok((row, investigation_actions(&principal.actor, &scope))),
            Decision::Deny(reason) => {
                self.audit_denied(principal, "investigation", id, Some(&row.unit_organisation_id)).await;
                tracing::info!(?reason, "investigation access denied");
                Err(AppError::NotFound)
            }
        }
    }

    pub(crate) fn write_event(
        &self,
        principal: &Principal,
        row: &InvestigationRow,
        detail: &str,
    ) -> haven_domain::audit::AuditEvent {
        let mut e = self.event(principal, AuditAction::ProceedingsWritten).on(
            "investigation",
            &row.id,
            Some(&row.unit_organisation_id),
        );
        e.detail = Some(detail.to_owned());
        e
    }

    /// The standing of a case in identification, for the non-punishment notice: `None` when
    /// the case raises none.
    pub(crate) async fn victim_standing(&self, case_id: &str) -> AppResult<Option<VictimStanding>> {
        let status = match self.store.registration(case_id).await? {
            Some(reg) => match reg.nrm_status {
                Some(code) => Some(NrmStatus::parse_code("nrm_status", &code).map_err(internal)?),
                None => None,
            },
            None => None,
        };
        Ok(VictimStanding::of(status))
    }

    /// Whether the principal may link the case `case_id` to the investigation (writes the
    /// investigation and reads the case's identity).
    async fn linkable_case(&self, principal: &Principal, scope: &InvestigationScope, case_id: &str) -> AppResult<()> {
        let bad = || AppError::said("case_id", "no case you may link has this id", MessageId::UnknownValue);
        if uuid::Uuid::parse_str(case_id.trim()).is_err() {
            return Err(bad());
        }
        let case = match self.store.case(case_id.trim()).await {
            Ok(c) => c,
            Err(haven_storage::StorageError::NotFound) => return Err(bad()),
            Err(e) => return Err(e.into()),
        };
        let case_scope = CaseScope {
            owner_organisation_id: case.owner_organisation_id.clone(),
            jurisdiction: case.jurisdiction,
            shares: case.shares.clone(),
            referred: false,
        };
        match may_link_victim(&principal.actor, scope, &case_scope) {
            Decision::Allow => Ok(()),
            Decision::Deny(_) => {
                self.audit_denied(principal, "case", &case.id, Some(&case.owner_organisation_id)).await;
                Err(bad())
            }
        }
    }

    /// Opens an investigation by the principal's unit. Dir 2011/36 Art 9(1): opened ex officio
    /// or on a report, never waiting for the victim.
    pub async fn open_investigation(
        &self,
        principal: &Principal,
        input: &InvestigationInput,
    ) -> AppResult<InvestigationView> {
        self.require(principal, Permission::Case(Compartment::Proceedings, Action::Write)).await?;
        let Jurisdiction::Country(country) = principal.actor.jurisdiction else {
            return Err(AppError::said(
                "jurisdiction",
                "cases are registered in a country; the EU level holds statistics only",
                MessageId::EuHoldsNoCases,
            ));
        };
        let id = new_id();
        let inv =
            Investigation::open(id.clone(), country, principal.actor.organisation_id.clone(), input, self.today())?;
        if let Some(p) = &inv.prosecutor_organisation_id {
            let not_a_prosecutor = || {
                AppError::said(
                    "prosecutor_organisation_id",
                    "not a prosecutor's office of this country",
                    MessageId::ProceedingsNotAProsecutor,
                )
            };
            match self.store.organisation(p).await {
                Ok(org)
                    if org.kind == OrganisationKind::Prosecution
                        && org.jurisdiction == principal.actor.jurisdiction => {}
                Ok(_) | Err(haven_storage::StorageError::NotFound) => return Err(not_a_prosecutor()),
                Err(e) => return Err(e.into()),
            }
        }
        let now = self.now();
        let row = InvestigationRow {
            id: id.clone(),
            jurisdiction: country.to_string(),
            unit_organisation_id: inv.unit_organisation_id.clone(),
            prosecutor_organisation_id: inv.prosecutor_organisation_id.clone(),
            opened_on: inv.opened_on.to_string(),
            opening: inv.opening.code().to_owned(),
            status: inv.status.code().to_owned(),
            status_since: inv.status_since.to_string(),
            record: self.encrypt_investigation(&inv)?,
            version: 1,
            created_by: principal.user.id.clone(),
            created_at: now,
            updated_by: principal.user.id.clone(),
            updated_at: now,
        };
        let event = self.write_event(principal, &row, "opened");
        self.store.create_investigation(&row, &event).await?;
        self.investigation(principal, &id).await
    }

    /// The investigations of the principal's organisation (as the unit or the prosecutor's
    /// office). Audited as one read.
    pub async fn investigations(&self, principal: &Principal) -> AppResult<Vec<InvestigationSummary>> {
        self.require(principal, Permission::Case(Compartment::Proceedings, Action::Read)).await?;
        let rows = self
            .store
            .investigations_of_organisation(principal.actor.jurisdiction.code(), &principal.actor.organisation_id)
            .await?;
        let mut out = Vec::new();
        for row in rows {
            let scope = scope_of(&row)?;
            if !authorize_investigation(&principal.actor, &scope, Action::Read).is_allowed() {
                continue;
            }
            let inv = self.investigation_record(&row)?;
            let suspects = self.store.suspects(&row.id).await?.len();
            let victims = self.store.investigation_victims(&row.id).await?.len();
            let open_notices = self.store.notices(&row.id).await?.iter().filter(|n| n.outcome.is_none()).count();
            out.push(InvestigationSummary {
                id: row.id.clone(),
                reference: inv.reference,
                status: inv.status,
                opened_on: inv.opened_on,
                offences: inv.offences.iter().map(|o| o.kind.code().to_owned()).collect(),
                suspects,
                victims,
                open_notices,
                version: row.version,
            });
        }
        let mut event = self.event(principal, AuditAction::ProceedingsRead).on(
            "investigation",
            "list",
            Some(&principal.actor.organisation_id),
        );
        event.detail = Some(format!("listed={}", out.len()));
        self.store.append_audit(&event).await?;
        Ok(out)
    }

    /// One investigation with its suspects, their records and notices, the penalty-floor
    /// warnings of each charge, and the actions the principal may take. Audited as a read.
    pub async fn investigation(&self, principal: &Principal, id: &str) -> AppResult<InvestigationView> {
        let (row, actions) = self.investigation_for(principal, id, Action::Read).await?;
        let mut inv = self.investigation_record(&row)?;
        inv.victims = self
            .store
            .investigation_victims(&row.id)
            .await?
            .into_iter()
            .map(|v| Ok(VictimLink { case_id: v.case_id, linked_on: stored_date("linked_on", &v.linked_on)? }))
            .collect::<AppResult<_>>()?;
        let practice = NationalPractice::built_in(inv.country).transpose().map_err(internal)?;
        let version = practice.as_ref().and_then(|p| p.on(self.today()));
        let suspects = self.suspects_of(&row.id).await?;
        let records = self.records_of(&row.id).await?;
        let notices = self.notices_of(&row.id).await?;
        let suspects = suspects
            .into_iter()
            .map(|s| SuspectView {
                records: records
                    .iter()
                    .filter(|(sid, _)| *sid == s.id)
                    .map(|(_, r)| match r {
                        SuspectRecord::Charge { charge, .. } => SuspectRecord::Charge {
                            warnings: version.map(|v| charge_warnings(v, charge)).unwrap_or_default(),
                            charge: charge.clone(),
                        },
                        other => other.clone(),
                    })
                    .collect(),
                notices: notices
                    .iter()
                    .filter(|n| n.suspect_id == s.id)
                    .map(|n| NoticeView { message: n.message(), text: notice_text(n), notice: n.clone() })
                    .collect(),
                suspect: s,
            })
            .collect();
        let event = self.event(principal, AuditAction::ProceedingsRead).on(
            "investigation",
            &row.id,
            Some(&row.unit_organisation_id),
        );
        self.store.append_audit(&event).await?;
        Ok(InvestigationView {
            investigation: inv,
            version: row.version,
            suspects,
            actions,
            practice_sources: version.map(|v| v.sources.clone()).unwrap_or_default(),
        })
    }

    pub(crate) async fn suspects_of(&self, investigation_id: &str) -> AppResult<Vec<Suspect>> {
        self.store.suspects(investigation_id).await?.into_iter().map(|row| self.suspect_from(row)).collect()
    }

    fn suspect_from(&self, row: SuspectRow) -> AppResult<Suspect> {
        let name = self.keys.decrypt_str(&ctx("suspects", "name", &row.id), &row.name)?;
        let input = SuspectInput {
            kind: row.kind,
            name,
            case_id: row.case_id.unwrap_or_default(),
            roles: row.roles.split(',').map(str::to_owned).collect(),
            criminal_organisation: row.criminal_organisation,
            public_official: row.public_official,
            citizenship: row.citizenship.unwrap_or_default(),
            sex: row.sex.unwrap_or_default(),
            age_group: row.age_group.unwrap_or_default(),
            liability: row.liability.unwrap_or_default(),
        };
        Suspect::parse(row.id, row.investigation_id, &input).map_err(internal)
    }

    pub(crate) async fn records_of(&self, investigation_id: &str) -> AppResult<Vec<(String, SuspectRecord)>> {
        let mut out = Vec::new();
        for row in self.store.proceedings_records(investigation_id).await? {
            let json = self.keys.decrypt_str(&ctx("proceedings_records", "body", &row.id), &row.body)?;
            let record = match row.kind.as_str() {
                "charge" => SuspectRecord::Charge {
                    charge: serde_json::from_str(&json).map_err(internal)?,
                    warnings: Vec::new(),
                },
                "prosecution_decision" => {
                    SuspectRecord::ProsecutionDecision { decision: serde_json::from_str(&json).map_err(internal)? }
                }
                "judgment" => SuspectRecord::Judgment { judgment: serde_json::from_str(&json).map_err(internal)? },
                _ => SuspectRecord::Appeal { appeal: serde_json::from_str(&json).map_err(internal)? },
            };
            out.push((row.suspect_id, record));
        }
        Ok(out)
    }

    async fn notices_of(&self, investigation_id: &str) -> AppResult<Vec<NonPunishmentNotice>> {
        let mut out = Vec::new();
        for row in self.store.notices(investigation_id).await? {
            let decision = match (&row.outcome, &row.reasons, &row.decided_by, &row.decided_on) {
                (Some(outcome), Some(reasons), Some(by), Some(on)) => {
                    let reasons = self.keys.decrypt_str(&ctx("non_punishment_notices", "reasons", &row.id), reasons)?;
                    Some(NoticeDecision {
                        outcome: Coded::parse_code("outcome", outcome).map_err(internal)?,
                        reasons: Narrative::parse("reasons", &reasons).map_err(internal)?,
                        decided_by: by.clone(),
                        decided_on: stored_date("decided_on", on)?,
                    })
                }
                _ => None,
            };
            out.push(NonPunishmentNotice {
                id: row.id,
                investigation_id: row.investigation_id,
                suspect_id: row.suspect_id,
                case_id: row.case_id,
                standing: Coded::parse_code("standing", &row.standing).map_err(internal)?,
                path: Coded::parse_code("path", &row.path).map_err(internal)?,
                raised_on: stored_date("raised_on", &row.raised_on)?,
                decision,
            });
        }
        Ok(out)
    }

    fn notice_row(n: &NonPunishmentNotice) -> NoticeRow {
        NoticeRow {
            id: n.id.clone(),
            investigation_id: n.investigation_id.clone(),
            suspect_id: n.suspect_id.clone(),
            case_id: n.case_id.clone(),
            standing: n.standing.code().to_owned(),
            path: n.path.code().to_owned(),
            raised_on: n.raised_on.to_string(),
            outcome: None,
            reasons: None,
            decided_by: None,
            decided_on: None,
        }
    }

    /// Saves a changed investigation at its next version; a concurrent change is a conflict.
    async fn save_investigation(
        &self,
        principal: &Principal,
        row: &InvestigationRow,
        inv: &Investigation,
        detail: &str,
    ) -> AppResult<()> {
        let next = InvestigationRow {
            prosecutor_organisation_id: inv.prosecutor_organisation_id.clone(),
            status: inv.status.code().to_owned(),
            status_since: inv.status_since.to_string(),
            record: self.encrypt_investigation(inv)?,
            version: row.version + 1,
            updated_by: principal.user.id.clone(),
            updated_at: self.now(),
            ..row.clone()
        };
        let event = self.write_event(principal, row, detail);
        if !self.store.update_investigation(&next, &event).await? {
            return Err(AppError::conflict(
                "the investigation was changed meanwhile; reload it",
                Message::new(MessageId::StoredConflict),
            ));
        }
        Ok(())
    }

    /// Records that the report was withdrawn (or the victim's statement): the investigation
    /// goes on (Dir 2011/36 Art 9(1)). Returns what to tell the user.
    pub async fn record_report_withdrawal(&self, principal: &Principal, id: &str, on: &str) -> AppResult<Message> {
        let (row, _) = self.investigation_for(principal, id, Action::Write).await?;
        let mut inv = self.investigation_record(&row)?;
        let on = CalendarDate::parse("withdrawn_on", on.trim())?;
        if on > self.today() {
            return Err(ParseError::in_future("withdrawn_on", on, self.today()).into());
        }
        let said = inv.record_withdrawal(on)?;
        self.save_investigation(principal, &row, &inv, "report_withdrawn").await?;
        Ok(said)
    }

    /// Changes the investigation's status (a closure with its ground, never the victim's
    /// withdrawal).
    pub async fn change_investigation_status(
        &self,
        principal: &Principal,
        id: &str,
        status: &str,
        closure: &str,
    ) -> AppResult<InvestigationView> {
        let (row, _) = self.investigation_for(principal, id, Action::Write).await?;
        let mut inv = self.investigation_record(&row)?;
        let to = InvestigationStatus::parse_code("status", status.trim())?;
        let ground =
            if closure.trim().is_empty() { None } else { Some(ClosureGround::parse("closure", closure.trim())?) };
        inv.change_status(to, ground, self.today())?;
        self.save_investigation(principal, &row, &inv, &format!("status={to}")).await?;
        self.investigation(principal, id).await
    }

    /// Links a victim by the id of the case in identification (a link, never a copy).
    pub async fn link_victim(&self, principal: &Principal, id: &str, case_id: &str) -> AppResult<InvestigationView> {
        let (row, _) = self.investigation_for(principal, id, Action::Write).await?;
        self.linkable_case(principal, &scope_of(&row)?, case_id).await?;
        let mut inv = self.investigation_record(&row)?;
        inv.victims = self
            .store
            .investigation_victims(&row.id)
            .await?
            .into_iter()
            .map(|v| Ok(VictimLink { case_id: v.case_id, linked_on: stored_date("linked_on", &v.linked_on)? }))
            .collect::<AppResult<_>>()?;
        let today = self.today();
        inv.link_victim(case_id.trim(), today)?;
        let link = InvestigationVictimRow {
            investigation_id: row.id.clone(),
            case_id: case_id.trim().to_owned(),
            linked_on: today.to_string(),
            linked_by: principal.user.id.clone(),
            linked_at: self.now(),
        };
        let event = self.write_event(principal, &row, "victim_linked");
        if !self.store.link_investigation_victim(&link, &event).await? {
            return Err(ParseError::said(
                "case_id",
                "this case is already linked to the investigation",
                Message::new(MessageId::ProceedingsVictimAlreadyLinked),
            )
            .into());
        }
        self.investigation(principal, id).await
    }

    /// Adds a suspect. When it names a case whose person is a registered, presumed or
    /// identified victim, the non-punishment notice is raised and kept with it.
    pub async fn add_suspect(
        &self,
        principal: &Principal,
        id: &str,
        input: &SuspectInput,
    ) -> AppResult<InvestigationView> {
        self.add_suspect_by(principal, id, input, NoticePath::NewSuspect).await
    }

    /// Adds suspects from another system's file, each as [`App::add_suspect`] (the notice on
    /// the import path too).
    pub async fn import_suspects(
        &self,
        principal: &Principal,
        id: &str,
        inputs: &[SuspectInput],
    ) -> AppResult<InvestigationView> {
        let (row, _) = self.investigation_for(principal, id, Action::Write).await?;
        // every suspect checked before any is written: the file is taken whole or not at all
        let mut prepared = Vec::with_capacity(inputs.len());
        for (i, input) in inputs.iter().enumerate() {
            let one = self.prepare_suspect(principal, &row, input, NoticePath::Import).await;
            // a problem names the suspect of the file: `suspects[i].field`
            prepared.push(one.map_err(|e| match e {
                AppError::Invalid(p) => {
                    let field = format!("suspects[{i}].{}", p.field);
                    AppError::Invalid(p.within(field))
                }
                other => other,
            })?);
        }
        let notices = prepared.iter().filter(|(_, n)| n.is_some()).count();
        let detail = format!("suspects_imported={},notices_raised={notices}", prepared.len());
        let event = self.write_event(principal, &row, &detail);
        self.store.add_suspects(&prepared, &event).await?;
        self.investigation(principal, id).await
    }

    async fn add_suspect_by(
        &self,
        principal: &Principal,
        id: &str,
        input: &SuspectInput,
        path: NoticePath,
    ) -> AppResult<InvestigationView> {
        let (row, _) = self.investigation_for(principal, id, Action::Write).await?;
        let (stored, notice) = self.prepare_suspect(principal, &row, input, path).await?;
        let detail = if notice.is_some() { "suspect_added,notice_raised" } else { "suspect_added" };
        let event = self.write_event(principal, &row, detail);
        self.store.add_suspect(&stored, notice.as_ref(), &event).await?;
        self.investigation(principal, id).await
    }

    /// A suspect checked and ready to store, with the non-punishment notice it raises.
    async fn prepare_suspect(
        &self,
        principal: &Principal,
        row: &InvestigationRow,
        input: &SuspectInput,
        path: NoticePath,
    ) -> AppResult<(SuspectRow, Option<NoticeRow>)> {
        let suspect = Suspect::parse(new_id(), row.id.clone(), input)?;
        let standing = match &suspect.case_id {
            Some(case_id) => {
                self.linkable_case(principal, &scope_of(row)?, case_id).await?;
                self.victim_standing(case_id).await?
            }
            None => None,
        };
        let notice = notice_for(new_id(), &suspect, standing, path, self.today());
        let stored = SuspectRow {
            id: suspect.id.clone(),
            investigation_id: row.id.clone(),
            kind: suspect.kind.code().to_owned(),
            name: self.keys.encrypt_str(&ctx("suspects", "name", &suspect.id), &suspect.name),
            case_id: suspect.case_id.clone(),
            roles: suspect.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(","),
            criminal_organisation: suspect.criminal_organisation,
            public_official: suspect.public_official,
            citizenship: suspect.citizenship.map(|c| c.to_string()),
            sex: suspect.sex.map(|s| s.code().to_owned()),
            age_group: suspect.age_group.map(|a| a.code().to_owned()),
            liability: suspect.liability.map(|l| l.code().to_owned()),
            created_by: principal.user.id.clone(),
            created_at: self.now(),
        };
        Ok((stored, notice.as_ref().map(Self::notice_row)))
    }

    pub(crate) async fn suspect_in(&self, row: &InvestigationRow, suspect_id: &str) -> AppResult<Suspect> {
        self.suspects_of(&row.id).await?.into_iter().find(|s| s.id == suspect_id).ok_or_else(|| {
            AppError::said(
                "suspect_id",
                "no suspect of this investigation has this id",
                MessageId::ProceedingsUnknownSuspect,
            )
        })
    }

    /// Links a suspect to the person's case in identification; raises the notice when the
    /// person is a registered, presumed or identified victim.
    pub async fn link_suspect_case(
        &self,
        principal: &Principal,
        id: &str,
        suspect_id: &str,
        case_id: &str,
    ) -> AppResult<InvestigationView> {
        let (row, _) = self.investigation_for(principal, id, Action::Write).await?;
        let mut suspect = self.suspect_in(&row, suspect_id).await?;
        self.linkable_case(principal, &scope_of(&row)?, case_id).await?;
        let standing = self.victim_standing(case_id.trim()).await?;
        let notice = suspect.link_case(new_id(), case_id.trim(), standing, self.today())?;
        let event = self.write_event(principal, &row, "suspect_linked");
        if !self
            .store
            .link_suspect_case(&suspect.id, case_id.trim(), notice.as_ref().map(Self::notice_row).as_ref(), &event)
            .await?
        {
            return Err(AppError::NotFound);
        }
        self.investigation(principal, id).await
    }

    async fn add_record(
        &self,
        principal: &Principal,
        row: &InvestigationRow,
        suspect_id: &str,
        kind: &'static str,
        recorded_on: CalendarDate,
        body: &impl Serialize,
    ) -> AppResult<()> {
        debug_assert!(RECORD_KINDS.contains(&kind));
        let id = new_id();
        let json = serde_json::to_string(body).map_err(internal)?;
        let record = ProceedingsRecordRow {
            body: self.keys.encrypt_str(&ctx("proceedings_records", "body", &id), &json),
            id,
            investigation_id: row.id.clone(),
            suspect_id: suspect_id.to_owned(),
            kind: kind.to_owned(),
            recorded_on: recorded_on.to_string(),
            created_by: principal.user.id.clone(),
            created_at: self.now(),
        };
        let event = self.write_event(principal, row, kind);
        self.store.add_proceedings_record(&record, &event).await?;
        Ok(())
    }

    /// Charges a suspect, with the aggravating circumstances (Dir 2011/36 Art 4).
    pub async fn add_charge(
        &self,
        principal: &Principal,
        id: &str,
        suspect_id: &str,
        input: &ChargeInput,
    ) -> AppResult<InvestigationView> {
        let (row, _) = self.investigation_for(principal, id, Action::Write).await?;
        let inv = self.investigation_record(&row)?;
        let suspect = self.suspect_in(&row, suspect_id).await?;
        let charge = Charge::parse(new_id(), &inv, &suspect, input, self.today())?;
        self.add_record(principal, &row, &suspect.id, "charge", charge.charged_on, &charge).await?;
        self.investigation(principal, id).await
    }

    /// The prosecutor's decision on a suspect: refused while a non-punishment notice of the
    /// suspect waits for the prosecutor (Dir 2011/36 Art 8).
    pub async fn decide_prosecution(
        &self,
        principal: &Principal,
        id: &str,
        suspect_id: &str,
        outcome: &str,
        reasons: &str,
    ) -> AppResult<InvestigationView> {
        let (row, actions) = self.investigation_for(principal, id, Action::Write).await?;
        if !actions.prosecute {
            self.audit_denied(principal, "investigation", id, Some(&row.unit_organisation_id)).await;
            return Err(AppError::Forbidden);
        }
        let suspect = self.suspect_in(&row, suspect_id).await?;
        let charges: Vec<Charge> = self
            .records_of(&row.id)
            .await?
            .into_iter()
            .filter_map(|(_, r)| match r {
                SuspectRecord::Charge { charge, .. } => Some(charge),
                _ => None,
            })
            .collect();
        let notices = self.notices_of(&row.id).await?;
        let decision =
            ProsecutionDecision::decide(new_id(), &suspect, outcome, reasons, self.today(), &charges, &notices)?;
        self.add_record(principal, &row, &suspect.id, "prosecution_decision", decision.decided_on, &decision).await?;
        self.investigation(principal, id).await
    }

    /// A court's judgment on a prosecuted suspect.
    pub async fn record_judgment(
        &self,
        principal: &Principal,
        id: &str,
        suspect_id: &str,
        input: &JudgmentInput,
    ) -> AppResult<InvestigationView> {
        let (row, _) = self.investigation_for(principal, id, Action::Write).await?;
        let suspect = self.suspect_in(&row, suspect_id).await?;
        let decisions: Vec<ProsecutionDecision> = self
            .records_of(&row.id)
            .await?
            .into_iter()
            .filter_map(|(_, r)| match r {
                SuspectRecord::ProsecutionDecision { decision } => Some(decision),
                _ => None,
            })
            .collect();
        let judgment = Judgment::parse(new_id(), &suspect, input, &decisions, self.today())?;
        self.add_record(principal, &row, &suspect.id, "judgment", judgment.judged_on, &judgment).await?;
        self.investigation(principal, id).await
    }

    /// An appeal against a judgment that is not final.
    pub async fn lodge_appeal(
        &self,
        principal: &Principal,
        id: &str,
        judgment_id: &str,
        appellant: &str,
        lodged_on: &str,
    ) -> AppResult<InvestigationView> {
        let (row, _) = self.investigation_for(principal, id, Action::Write).await?;
        let judgment = self
            .records_of(&row.id)
            .await?
            .into_iter()
            .find_map(|(_, r)| match r {
                SuspectRecord::Judgment { judgment } if judgment.id == judgment_id => Some(judgment),
                _ => None,
            })
            .ok_or_else(|| {
                AppError::said("judgment_id", "no judgment of this investigation has this id", MessageId::UnknownValue)
            })?;
        let appeal = Appeal::lodge(new_id(), &judgment, appellant, lodged_on, self.today())?;
        self.add_record(principal, &row, &judgment.suspect_id, "appeal", appeal.lodged_on, &appeal).await?;
        self.investigation(principal, id).await
    }

    /// The prosecutor's decision on a non-punishment notice, recorded once with its reasons.
    pub async fn decide_notice(
        &self,
        principal: &Principal,
        id: &str,
        notice_id: &str,
        outcome: &str,
        reasons: &str,
    ) -> AppResult<InvestigationView> {
        let (row, actions) = self.investigation_for(principal, id, Action::Write).await?;
        if !actions.prosecute {
            self.audit_denied(principal, "investigation", id, Some(&row.unit_organisation_id)).await;
            return Err(AppError::Forbidden);
        }
        let mut notice = self.notices_of(&row.id).await?.into_iter().find(|n| n.id == notice_id).ok_or_else(|| {
            AppError::said("notice_id", "no notice of this investigation has this id", MessageId::UnknownValue)
        })?;
        notice.decide(outcome, reasons, &principal.user.id, self.today())?;
        let Some(decision) = &notice.decision else { return Err(AppError::NotFound) };
        let stored = NoticeRow {
            outcome: Some(decision.outcome.code().to_owned()),
            reasons: Some(
                self.keys.encrypt_str(&ctx("non_punishment_notices", "reasons", &notice.id), decision.reasons.as_str()),
            ),
            decided_by: Some(decision.decided_by.clone()),
            decided_on: Some(decision.decided_on.to_string()),
            ..Self::notice_row(&notice)
        };
        let event = self.write_event(principal, &row, "notice_decided");
        if !self.store.decide_notice(&stored, &event).await? {
            return Err(ParseError::said(
                "outcome",
                "the prosecutor has already decided on this notice",
                Message::new(MessageId::ProceedingsNoticeAlreadyDecided),
            )
            .into());
        }
        self.investigation(principal, id).await
    }

    /// What a reader of the case sees of its proceedings: a caseworker only "involved in
    /// proceedings: yes" (or no), never which investigation. Audited as a read.
    pub async fn case_involvement(&self, principal: &Principal, case_id: &str) -> AppResult<CaseInvolvement> {
        if uuid::Uuid::parse_str(case_id).is_err() {
            return Err(AppError::NotFound);
        }
        let case = self.store.case(case_id).await?;
        // A case referred to the national referral mechanism is read by its competent authority
        // too (who then learns "involved in proceedings" as any reader of the case does).
        let referred = match self.store.registration(case_id).await? {
            Some(reg) => reg.state == haven_domain::ident::record::RegistrationState::Submitted.code(),
            None => false,
        };
        let scope = CaseScope {
            owner_organisation_id: case.owner_organisation_id.clone(),
            jurisdiction: case.jurisdiction,
            shares: case.shares.clone(),
            referred,
        };
        let view = proceedings_view(&principal.actor, &scope);
        if view == ProceedingsView::Nothing {
            self.audit_denied(principal, "case", case_id, Some(&case.owner_organisation_id)).await;
            return Err(AppError::NotFound);
        }
        let involved = self.store.case_involved_in_proceedings(case_id).await?;
        let mut event =
            self.event(principal, AuditAction::ProceedingsRead).on("case", case_id, Some(&case.owner_organisation_id));
        event.detail = Some("involvement".into());
        self.store.append_audit(&event).await?;
        Ok(CaseInvolvement { view, involved: Some(involved) })
    }
}
