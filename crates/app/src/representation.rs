//! A victim's lawyer (Dir 2011/36 Art 12(2): access to legal counselling and legal
//! representation; Dir 2012/29 Art 20): the use cases.
//!
//! The case's caseworker or supervisor (who writes the case's identity and support) records that
//! the victim is represented by a lawyer of the country, from a day, with the victim's consent
//! noted, and revokes it ([`haven_domain::access::may_record_representation`],
//! [`haven_domain::access::may_represent`]). The lawyer reads, for each victim it represents, the
//! victim's view of each investigation the victim is linked to
//! ([`haven_domain::access::represented_view`]), holding only the parts
//! [`haven_domain::access::victims_view_shows`] names: the investigation's reference, status,
//! offences and dates, the stage of prosecution and the court outcomes with their dates, the
//! victim's own protection measures and the information given and due to the victim; never a
//! suspect, another victim, the money or a support record. A caseworker still learns only
//! "involved in proceedings: yes" ([`App::case_involvement`]).
//!
//! Every read and write is audited (`representation_read`, `representation_recorded`,
//! `representation_revoked`); the consent note and the revocation reason are encrypted per field.
//!
//! For the web layer (all return `AppResult`; bad input as `AppError::Invalid` naming the field):
//! - `App::case_representations(&Principal, case_id) -> CaseRepresentations`
//! - `App::record_representation(&Principal, case_id, &RepresentationInput) -> Representation`
//! - `App::revoke_representation(&Principal, case_id, representation_id, &RevocationInput) -> Representation`
//! - `App::represented_victims(&Principal) -> Vec<RepresentedVictimSummary>`
//! - `App::represented_victim(&Principal, case_id) -> RepresentedVictim`

use crate::{App, AppError, AppResult, Principal, new_id};
use haven_crypto::FieldContext;
use haven_domain::access::{
    CaseScope, Decision, InvestigationActions, LawyerScope, ProceedingsPart, ProceedingsView, RepresentationScope,
    may_record_representation, may_represent, may_see_case, represented_view, victims_view_shows,
};
use haven_domain::audit::AuditAction;
use haven_domain::case::CalendarDate;
use haven_domain::proceedings::charge::{Appellant, Instance, ProsecutionOutcome, Verdict};
use haven_domain::proceedings::information::{InformationChannel, InformationDue, InformationKind};
use haven_domain::proceedings::protection::{MeasureStatus, MissingMeasure, ProtectionMeasure};
use haven_domain::proceedings::representation::{RepresentationInput, RepresentationTerms, RevocationInput};
use haven_domain::proceedings::{ClosureGround, InvestigationStatus, Offence, OffenceKind};
use haven_domain::{Coded, Message, MessageId, ParseError, Permission};
use haven_storage::{CaseRow, RepresentationRevocation, RepresentationRow, StorageError};
use serde::Serialize;

fn ctx<'a>(column: &'a str, row: &'a str) -> FieldContext<'a> {
    FieldContext { table: "representations", column, row }
}

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(Box::new(e))
}

fn stored_date(field: &str, value: &str) -> AppResult<CalendarDate> {
    CalendarDate::parse(field, value).map_err(internal)
}

/// A representation, as the case's caseworker sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Representation {
    pub id: String,
    pub case_id: String,
    pub lawyer_user_id: String,
    pub lawyer_name: String,
    pub lawyer_organisation: String,
    pub from_on: CalendarDate,
    pub consent_on: CalendarDate,
    pub consent_note: Option<String>,
    pub recorded_by: String,
    pub revoked_on: Option<CalendarDate>,
    pub revocation_reason: Option<String>,
    /// In force today.
    pub in_force: bool,
}

/// A lawyer the caseworker may choose: an enabled user of the case's country holding the role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LawyerChoice {
    pub user_id: String,
    pub display_name: String,
    pub organisation: String,
}

/// A case's representations, with the lawyers who may be chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseRepresentations {
    pub case_id: String,
    pub representations: Vec<Representation>,
    pub lawyers: Vec<LawyerChoice>,
    pub sources: &'static str,
}

/// A victim the lawyer represents, in the lawyer's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepresentedVictimSummary {
    pub case_id: String,
    pub case_reference: String,
    pub from_on: CalendarDate,
    /// The investigations the victim is linked to.
    pub investigations: usize,
}

/// A stage of prosecution or a court outcome, with its day, never whom it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProceedingsStage {
    Charged { offence: OffenceKind, on: CalendarDate },
    ProsecutionDecision { outcome: ProsecutionOutcome, on: CalendarDate },
    Judgment { court: String, instance: Instance, verdict: Verdict, is_final: bool, on: CalendarDate },
    Appeal { appellant: Appellant, on: CalendarDate },
}

impl ProceedingsStage {
    pub fn on(&self) -> CalendarDate {
        match self {
            ProceedingsStage::Charged { on, .. }
            | ProceedingsStage::ProsecutionDecision { on, .. }
            | ProceedingsStage::Judgment { on, .. }
            | ProceedingsStage::Appeal { on, .. } => *on,
        }
    }
}

/// One of the victim's protection measures: its kind, article and latest state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureShown {
    pub measure: ProtectionMeasure,
    pub article: &'static str,
    pub status: Option<MeasureStatus>,
    pub on: Option<CalendarDate>,
}

/// A piece of information given to the victim: what, how, in which language, on which day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InformationShown {
    pub kind: InformationKind,
    pub channel: InformationChannel,
    pub language: String,
    pub given_on: CalendarDate,
}

/// The victim's view of one investigation the victim is linked to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VictimsViewOfInvestigation {
    pub investigation_id: String,
    pub reference: String,
    pub status: InvestigationStatus,
    pub status_since: CalendarDate,
    pub closure: Option<ClosureGround>,
    pub opened_on: CalendarDate,
    pub offences: Vec<Offence>,
    pub acts_from: Option<CalendarDate>,
    pub acts_until: Option<CalendarDate>,
    /// The day the victim was linked to the investigation.
    pub linked_on: CalendarDate,
    /// Charges, decisions on prosecution, judgments and appeals, by day.
    pub stages: Vec<ProceedingsStage>,
    pub protection: Vec<MeasureShown>,
    pub missing_measures: Vec<MissingMeasure>,
    pub information: Vec<InformationShown>,
    pub information_due: Vec<InformationDue>,
}

/// A victim the lawyer represents, with the victim's view of each linked investigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepresentedVictim {
    pub case_id: String,
    pub case_reference: String,
    pub from_on: CalendarDate,
    pub investigations: Vec<VictimsViewOfInvestigation>,
    /// Why the view holds what it holds.
    pub sources: &'static str,
}

fn representation_scope(row: &RepresentationRow) -> AppResult<RepresentationScope> {
    Ok(RepresentationScope {
        lawyer_user_id: row.lawyer_user_id.clone(),
        from: stored_date("from_on", &row.from_on)?,
        revoked_on: row.revoked_on.as_deref().map(|d| stored_date("revoked_on", d)).transpose()?,
    })
}

impl App {
    /// The case and who may see it (the competent authority of a referred case included).
    async fn case_and_scope(&self, case_id: &str) -> AppResult<(CaseRow, CaseScope)> {
        if uuid::Uuid::parse_str(case_id).is_err() {
            return Err(AppError::NotFound);
        }
        let case = self.store.case(case_id).await?;
        let referred = self
            .store
            .registration(case_id)
            .await?
            .is_some_and(|r| r.state == haven_domain::ident::record::RegistrationState::Submitted.code());
        let scope = CaseScope {
            owner_organisation_id: case.owner_organisation_id.clone(),
            jurisdiction: case.jurisdiction,
            shares: case.shares.clone(),
            referred,
        };
        Ok((case, scope))
    }

    /// The case, if the principal may record (and read) its representations; a denial is
    /// audited, and a case the principal may not know of is "not found".
    async fn case_to_represent(&self, principal: &Principal, case_id: &str) -> AppResult<(CaseRow, CaseScope)> {
        self.require(principal, Permission::ManageRepresentation).await?;
        let (case, scope) = self.case_and_scope(case_id).await?;
        match may_record_representation(&principal.actor, &scope) {
            Decision::Allow => Ok((case, scope)),
            Decision::Deny(reason) => {
                self.audit_denied(principal, "case", &case.id, Some(&case.owner_organisation_id)).await;
                tracing::info!(?reason, "representation access denied");
                if may_see_case(&principal.actor, &scope) { Err(AppError::Forbidden) } else { Err(AppError::NotFound) }
            }
        }
    }

    fn representation_of(
        &self,
        row: RepresentationRow,
        names: &std::collections::HashMap<String, (String, String)>,
    ) -> AppResult<Representation> {
        let scope = representation_scope(&row)?;
        let open = |column: &str, ct: &Option<Vec<u8>>| -> AppResult<Option<String>> {
            ct.as_ref().map(|ct| self.keys.decrypt_str(&ctx(column, &row.id), ct)).transpose().map_err(Into::into)
        };
        let (lawyer_name, lawyer_organisation) = names.get(&row.lawyer_user_id).cloned().unwrap_or_default();
        Ok(Representation {
            consent_note: open("consent_note", &row.consent_note)?,
            revocation_reason: open("revocation_reason", &row.revocation_reason)?,
            in_force: scope.active_on(self.today()),
            from_on: scope.from,
            revoked_on: scope.revoked_on,
            consent_on: stored_date("consent_on", &row.consent_on)?,
            lawyer_name,
            lawyer_organisation,
            id: row.id,
            case_id: row.case_id,
            lawyer_user_id: row.lawyer_user_id,
            recorded_by: row.recorded_by,
        })
    }

    /// The names of the lawyers named by `rows`, with their organisations.
    async fn lawyer_names(
        &self,
        rows: &[RepresentationRow],
    ) -> AppResult<std::collections::HashMap<String, (String, String)>> {
        let mut names = std::collections::HashMap::new();
        for row in rows {
            if names.contains_key(&row.lawyer_user_id) {
                continue;
            }
            let user = self.store.user(&row.lawyer_user_id).await?;
            let organisation = self.store.organisation(&user.organisation_id).await?;
            names.insert(row.lawyer_user_id.clone(), (user.display_name, organisation.name));
        }
        Ok(names)
    }

    /// The case's representations, in force or not, and the lawyers of its country who may be
    /// chosen: for who may record them (the case's caseworker or supervisor). Audited.
    pub async fn case_representations(&self, principal: &Principal, case_id: &str) -> AppResult<CaseRepresentations> {
        let (case, _) = self.case_to_represent(principal, case_id).await?;
        let rows = self.store.representations_of_case(&case.id).await?;
        let names = self.lawyer_names(&rows).await?;
        let representations =
            rows.into_iter().map(|row| self.representation_of(row, &names)).collect::<AppResult<Vec<_>>>()?;
        let lawyers = self
            .store
            .lawyers_in(case.jurisdiction.code())
            .await?
            .into_iter()
            .map(|l| LawyerChoice { user_id: l.id, display_name: l.display_name, organisation: l.organisation_name })
            .collect();
        let mut event = self.event(principal, AuditAction::RepresentationRead).on(
            "case",
            &case.id,
            Some(&case.owner_organisation_id),
        );
        event.detail = Some(format!("representations={}", representations.len()));
        self.store.append_audit(&event).await?;
        Ok(CaseRepresentations {
            case_id: case.id,
            representations,
            lawyers,
            sources: haven_domain::proceedings::representation::REPRESENTATION_SOURCES,
        })
    }

    /// Records that the victim of the case is represented by a lawyer of its country, from a
    /// day, with the victim's consent (Dir 2011/36 Art 12(2); Dir 2012/29 Art 20). One
    /// representation in force per victim and lawyer.
    pub async fn record_representation(
        &self,
        principal: &Principal,
        case_id: &str,
        input: &RepresentationInput,
    ) -> AppResult<Representation> {
        let (case, scope) = self.case_to_represent(principal, case_id).await?;
        let terms = RepresentationTerms::parse(input, self.today())?;
        let not_a_lawyer = || {
            AppError::Invalid(ParseError::said(
                "lawyer_user_id",
                "no victim's lawyer of the case's country has this id",
                Message::new(MessageId::RepresentationNotALawyer),
            ))
        };
        let lawyer = match self.store.user(&terms.lawyer_user_id).await {
            Ok(user) => user,
            Err(StorageError::NotFound) => return Err(not_a_lawyer()),
            Err(e) => return Err(e.into()),
        };
        let organisation = self.store.organisation(&lawyer.organisation_id).await?;
        let candidate = LawyerScope {
            user_id: lawyer.id.clone(),
            jurisdiction: organisation.jurisdiction,
            roles: lawyer.roles.clone(),
            disabled: lawyer.disabled,
        };
        if !may_represent(&candidate, &scope) {
            return Err(not_a_lawyer());
        }
        let id = new_id();
        let row = RepresentationRow {
            consent_note: terms
                .consent_note
                .as_ref()
                .map(|n| self.keys.encrypt_str(&ctx("consent_note", &id), n.as_str())),
            id,
            case_id: case.id.clone(),
            lawyer_user_id: lawyer.id.clone(),
            jurisdiction: case.jurisdiction.code().to_owned(),
            from_on: terms.from_on.to_string(),
            consent_on: terms.consent_on.to_string(),
            recorded_by: principal.user.id.clone(),
            recorded_at: self.now(),
            revoked_on: None,
            revocation_reason: None,
            revoked_by: None,
            revoked_at: None,
        };
        let mut event = self.event(principal, AuditAction::RepresentationRecorded).on(
            "case",
            &case.id,
            Some(&case.owner_organisation_id),
        );
        event.detail = Some(format!("representation={} lawyer={}", row.id, lawyer.id));
        match self.store.add_representation(&row, &event).await {
            Ok(()) => {}
            Err(StorageError::Conflict(_)) => {
                return Err(AppError::conflict(
                    "this lawyer already represents the victim; revoke that representation first",
                    Message::new(MessageId::RepresentationInForce),
                ));
            }
            Err(e) => return Err(e.into()),
        }
        let names = self.lawyer_names(std::slice::from_ref(&row)).await?;
        self.representation_of(row, &names)
    }

    /// Revokes a representation in force of the case, from today: the lawyer reads nothing of
    /// the victim's proceedings any more.
    pub async fn revoke_representation(
        &self,
        principal: &Principal,
        case_id: &str,
        representation_id: &str,
        input: &RevocationInput,
    ) -> AppResult<Representation> {
        let (case, _) = self.case_to_represent(principal, case_id).await?;
        let reason = input.reason()?;
        let revocation = RepresentationRevocation {
            revocation_reason: reason
                .as_ref()
                .map(|r| self.keys.encrypt_str(&ctx("revocation_reason", representation_id), r.as_str())),
            id: representation_id.to_owned(),
            revoked_on: self.today().to_string(),
            revoked_by: principal.user.id.clone(),
            revoked_at: self.now(),
        };
        let mut event = self.event(principal, AuditAction::RepresentationRevoked).on(
            "case",
            &case.id,
            Some(&case.owner_organisation_id),
        );
        event.detail = Some(format!("representation={representation_id}"));
        self.store.revoke_representation(&case.id, &revocation, &event).await?;
        let rows: Vec<RepresentationRow> = self
            .store
            .representations_of_case(&case.id)
            .await?
            .into_iter()
            .filter(|r| r.id == representation_id)
            .collect();
        let names = self.lawyer_names(&rows).await?;
        let row = rows.into_iter().next().ok_or(AppError::NotFound)?;
        self.representation_of(row, &names)
    }

    /// The representations of the principal (a victim's lawyer) in force today, each with its
    /// case, whose victim's view it may read.
    async fn representations_in_force(&self, principal: &Principal) -> AppResult<Vec<(RepresentationRow, CaseRow)>> {
        let today = self.today();
        let mut out = Vec::new();
        for row in self.store.representations_by_lawyer(&principal.user.id).await? {
            let (case, scope) = self.case_and_scope(&row.case_id).await?;
            let reps = [representation_scope(&row)?];
            if represented_view(&principal.actor, &scope, &reps, today) == ProceedingsView::VictimsView {
                out.push((row, case));
            }
        }
        Ok(out)
    }

    /// The victims the principal represents today (the victim's lawyer). Audited as one read.
    pub async fn represented_victims(&self, principal: &Principal) -> AppResult<Vec<RepresentedVictimSummary>> {
        self.require(principal, Permission::ReadRepresentedVictims).await?;
        let mut out = Vec::new();
        for (row, case) in self.representations_in_force(principal).await? {
            let investigations = self.store.investigations_of_victim(&case.id).await?.len();
            out.push(RepresentedVictimSummary {
                case_id: case.id,
                case_reference: case.reference,
                from_on: stored_date("from_on", &row.from_on)?,
                investigations,
            });
        }
        let mut event = self.event(principal, AuditAction::RepresentationRead).on(
            "representation",
            "list",
            Some(&principal.actor.organisation_id),
        );
        event.detail = Some(format!("represented_victims={}", out.len()));
        self.store.append_audit(&event).await?;
        Ok(out)
    }

    /// The victim's view of each investigation the victim of the case is linked to, for the
    /// lawyer who represents the victim today ([`represented_view`]); anyone else is told the
    /// victim is not found, and the attempt is audited. Audited as a read of the case.
    pub async fn represented_victim(&self, principal: &Principal, case_id: &str) -> AppResult<RepresentedVictim> {
        self.require(principal, Permission::ReadRepresentedVictims).await?;
        let (case, scope) = self.case_and_scope(case_id).await?;
        let rows = self.store.representations_of_case(&case.id).await?;
        let reps = rows.iter().map(representation_scope).collect::<AppResult<Vec<_>>>()?;
        let today = self.today();
        if represented_view(&principal.actor, &scope, &reps, today) != ProceedingsView::VictimsView {
            self.audit_denied(principal, "case", &case.id, Some(&case.owner_organisation_id)).await;
            return Err(AppError::NotFound);
        }
        let from_on = reps
            .iter()
            .filter(|r| r.lawyer_user_id == principal.user.id && r.active_on(today))
            .map(|r| r.from)
            .min()
            .ok_or(AppError::NotFound)?;
        let mut investigations = Vec::new();
        for link in self.store.investigations_of_victim(&case.id).await? {
            let Some(row) = self.store.investigation(&link.investigation_id).await? else { continue };
            investigations
                .push(self.victims_view_of(&row, &case.id, stored_date("linked_on", &link.linked_on)?).await?);
        }
        let mut event = self.event(principal, AuditAction::RepresentationRead).on(
            "case",
            &case.id,
            Some(&case.owner_organisation_id),
        );
        event.detail = Some(format!("victims_view investigations={}", investigations.len()));
        self.store.append_audit(&event).await?;
        Ok(RepresentedVictim {
            case_id: case.id,
            case_reference: case.reference,
            from_on,
            investigations,
            sources: haven_domain::access::VICTIMS_VIEW_SOURCES,
        })
    }

    /// The victim's view of one investigation: only the parts [`victims_view_shows`] names.
    async fn victims_view_of(
        &self,
        row: &haven_storage::InvestigationRow,
        case_id: &str,
        linked_on: CalendarDate,
    ) -> AppResult<VictimsViewOfInvestigation> {
        let inv = self.investigation_record(row)?;
        let shows = victims_view_shows;
        let mut view = VictimsViewOfInvestigation {
            investigation_id: row.id.clone(),
            reference: inv.reference.clone(),
            status: inv.status,
            status_since: inv.status_since,
            closure: inv.closure,
            opened_on: inv.opened_on,
            offences: inv.offences.clone(),
            acts_from: inv.acts_from,
            acts_until: inv.acts_until,
            linked_on,
            stages: Vec::new(),
            protection: Vec::new(),
            missing_measures: Vec::new(),
            information: Vec::new(),
            information_due: Vec::new(),
        };
        if shows(ProceedingsPart::ProsecutionAndJudgments) {
            use crate::proceedings::SuspectRecord;
            let mut stages: Vec<ProceedingsStage> = self
                .records_of(&row.id)
                .await?
                .into_iter()
                .map(|(_, record)| match record {
                    SuspectRecord::Charge { charge, .. } => {
                        ProceedingsStage::Charged { offence: charge.offence, on: charge.charged_on }
                    }
                    SuspectRecord::ProsecutionDecision { decision } => {
                        ProceedingsStage::ProsecutionDecision { outcome: decision.outcome, on: decision.decided_on }
                    }
                    SuspectRecord::Judgment { judgment } => ProceedingsStage::Judgment {
                        court: judgment.court,
                        instance: judgment.instance,
                        verdict: judgment.verdict,
                        is_final: judgment.is_final,
                        on: judgment.judged_on,
                    },
                    SuspectRecord::Appeal { appeal } => {
                        ProceedingsStage::Appeal { appellant: appeal.appellant, on: appeal.lodged_on }
                    }
                })
                .collect();
            stages.sort_by_key(ProceedingsStage::on);
            view.stages = stages;
        }
        if shows(ProceedingsPart::OwnProtection) || shows(ProceedingsPart::OwnInformation) {
            let victims = self.victims_view(row, InvestigationActions::default()).await?;
            // The victim's own entry only: the other victims are never shown.
            if let Some(own) = victims.victims.into_iter().find(|v| v.case_id == case_id) {
                if shows(ProceedingsPart::OwnProtection) {
                    view.protection = own
                        .protection
                        .measures
                        .into_iter()
                        .map(|m| MeasureShown {
                            measure: m.measure,
                            article: m.article,
                            status: m.latest.as_ref().map(|r| r.status),
                            on: m.latest.as_ref().map(|r| r.on),
                        })
                        .collect();
                    view.missing_measures = own.protection.missing;
                }
                if shows(ProceedingsPart::OwnInformation) {
                    view.information = own
                        .information
                        .into_iter()
                        .map(|g| InformationShown {
                            kind: g.kind,
                            channel: g.channel,
                            language: g.language.to_string(),
                            given_on: g.given_on,
                        })
                        .collect();
                    view.information_due = own.information_due;
                }
            }
        }
        Ok(view)
    }
}
