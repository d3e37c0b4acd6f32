//! Victims in criminal proceedings, and training records: the use cases.
//!
//! For the victims linked to an investigation (by the ids of their cases), in the proceedings
//! compartment, authorised by [`haven_domain::access::authorize_investigation`] (the unit and
//! the competent prosecutor's office):
//! - protection measures for adults (Dir 2011/36 Art 12(4); CETS 197 Arts 28, 30) and children
//!   (Art 15(3)-(5)), each applied, not applicable with reasons, or refused by the victim, dated;
//!   the ones that apply and are not recorded are flagged;
//! - limitation for child victims (Dir 2011/36 Art 9(2)): the earliest day it may end, from the
//!   national rule of the country's practice in force today, warned as it approaches and once
//!   passed, and the Art 9(2) check of that rule;
//! - the information given to each victim (Dir 2011/36 Art 11 with Dir 2012/29 Art 6), and what
//!   is due after a decision not to prosecute or to close, an indictment or a judgment.
//!
//! A victim's age is read from the case's registration to decide child or adult (as the
//! identification and support modules decide it) and to compute limitation; the view shows the
//! child status and the dates limitation ends, never the date of birth or the person's names.
//!
//! Training records (Dir 2011/36 Art 18(3), Art 9(3)) are of the user's own country, authorised
//! by [`haven_domain::access::authorize_trainings`].
//!
//! Every read and write is audited (`proceedings_read`, `proceedings_written`); the reasons of a
//! measure, who gave a piece of information and its note are encrypted per field.
//!
//! For the web layer (all return `AppResult`, bad input as `AppError::Invalid` naming the field):
//! - `App::victims_in_proceedings(&Principal, investigation_id: &str) -> VictimsView`
//! - `App::record_protection_measure(&Principal, investigation_id: &str, &ProtectionInput) -> VictimsView`
//! - `App::record_information_given(&Principal, investigation_id: &str, &InformationInput) -> VictimsView`
//! - `App::record_training(&Principal, &TrainingInput) -> Training`
//! - `App::trainings(&Principal) -> TrainingsView` (the records and the summary per year and audience)

use crate::{App, AppError, AppResult, Principal, new_id};
use haven_crypto::FieldContext;
use haven_domain::access::{Action, InvestigationActions, authorize_trainings};
use haven_domain::audit::AuditAction;
use haven_domain::case::CalendarDate;
use haven_domain::ident::record::ChildStatus;
use haven_domain::proceedings::charge::{ProsecutionOutcome, Verdict};
use haven_domain::proceedings::information::{
    InformationDue, InformationEvent, InformationGiven, InformationInput, InformationKind, information_due,
};
use haven_domain::proceedings::limitation::{
    Acts, ChildLimitation, LimitationRule, LimitationWarning, child_limitation, practice_warning,
};
use haven_domain::proceedings::penalty::NationalPractice;
use haven_domain::proceedings::protection::{ProtectionInput, ProtectionRecord, ProtectionReview, review};
use haven_domain::proceedings::training::{Training, TrainingInput, TrainingSummaryRow, summary};
use haven_domain::proceedings::{Investigation, InvestigationStatus, VictimLink};
use haven_domain::text::Narrative;
use haven_domain::{Coded, Jurisdiction, MessageId, Permission};
use haven_storage::{InvestigationRow, ProtectionMeasureRow, TrainingRow, VictimInformationRow};
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

/// One victim linked to an investigation, as the proceedings see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VictimInProceedings {
    /// The victim's case in identification (a link).
    pub case_id: String,
    pub linked_on: CalendarDate,
    /// Child, presumed child, adult or unknown, today.
    pub child_status: ChildStatus,
    /// The measures that apply, their latest records, and the missing ones flagged.
    pub protection: ProtectionReview,
    /// Limitation from majority, when the victim was a child at the time of the acts.
    pub limitation: Option<ChildLimitation>,
    /// The information given to the victim, by day.
    pub information: Vec<InformationGiven>,
    /// Information due after an event of the proceedings and not given yet.
    pub information_due: Vec<InformationDue>,
}

/// The victims of one investigation, with the national limitation rule and its Art 9(2) check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VictimsView {
    pub investigation_id: String,
    pub victims: Vec<VictimInProceedings>,
    /// The country's rule of limitation for trafficking against a child, in force today.
    pub limitation_rule: Option<LimitationRule>,
    /// The rule does not let prosecution run after the victim's majority (Dir 2011/36 Art 9(2)).
    pub limitation_warning: Option<LimitationWarning>,
    pub actions: InvestigationActions,
}

/// A country's trainings and their summary per year and audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingsView {
    pub trainings: Vec<Training>,
    pub summary: Vec<TrainingSummaryRow>,
}

/// The events of the proceedings that call for information to the victims: a decision not to
/// prosecute (or to close the investigation), an indictment (a trial comes), a judgment (final,
/// or the state of the proceedings).
fn information_events(inv: &Investigation, records: &[crate::proceedings::SuspectRecord]) -> Vec<InformationEvent> {
    use crate::proceedings::SuspectRecord;
    let mut out = Vec::new();
    if inv.status == InvestigationStatus::Closed {
        out.push(InformationEvent { kind: InformationKind::DecisionNotToProsecute, on: inv.status_since });
    }
    for r in records {
        match r {
            SuspectRecord::ProsecutionDecision { decision } => {
                let kind = match decision.outcome {
                    ProsecutionOutcome::Indicted => InformationKind::TrialTimeAndPlace,
                    ProsecutionOutcome::PenalOrder => InformationKind::StateOfProceedings,
                    ProsecutionOutcome::NotProsecuted | ProsecutionOutcome::Discontinued => {
                        InformationKind::DecisionNotToProsecute
                    }
                };
                out.push(InformationEvent { kind, on: decision.decided_on });
            }
            SuspectRecord::Judgment { judgment } => {
                let kind = if judgment.is_final && judgment.verdict != Verdict::Terminated {
                    InformationKind::FinalJudgment
                } else {
                    InformationKind::StateOfProceedings
                };
                out.push(InformationEvent { kind, on: judgment.judged_on });
            }
            SuspectRecord::Charge { .. } | SuspectRecord::Appeal { .. } => {}
        }
    }
    out
}

impl App {
    async fn victim_links(&self, investigation_id: &str) -> AppResult<Vec<VictimLink>> {
        self.store
            .investigation_victims(investigation_id)
            .await?
            .into_iter()
            .map(|v| Ok(VictimLink { case_id: v.case_id, linked_on: stored_date("linked_on", &v.linked_on)? }))
            .collect()
    }

    fn linked<'a>(links: &'a [VictimLink], case_id: &str) -> AppResult<&'a VictimLink> {
        links.iter().find(|l| l.case_id == case_id.trim()).ok_or_else(|| {
            AppError::said(
                "case_id",
                "this case is not linked to the investigation as a victim",
                MessageId::ProceedingsVictimNotLinked,
            )
        })
    }

    async fn protection_records(&self, investigation_id: &str) -> AppResult<Vec<ProtectionRecord>> {
        let mut out = Vec::new();
        for row in self.store.protection_measures(investigation_id).await? {
            let reasons = match &row.reasons {
                Some(ct) => {
                    let text = self.keys.decrypt_str(&ctx("protection_measures", "reasons", &row.id), ct)?;
                    Some(Narrative::parse("reasons", &text).map_err(internal)?)
                }
                None => None,
            };
            out.push(ProtectionRecord {
                measure: Coded::parse_code("measure", &row.measure).map_err(internal)?,
                status: Coded::parse_code("status", &row.status).map_err(internal)?,
                on: stored_date("recorded_on", &row.recorded_on)?,
                reasons,
                recorded_by: row.recorded_by,
                investigation_id: row.investigation_id,
                case_id: row.case_id,
                id: row.id,
            });
        }
        Ok(out)
    }

    async fn information_log(&self, investigation_id: &str) -> AppResult<Vec<InformationGiven>> {
        let mut out = Vec::new();
        for row in self.store.victim_information(investigation_id).await? {
            let given_by = self.keys.decrypt_str(&ctx("victim_information", "given_by", &row.id), &row.given_by)?;
            let note = match &row.note {
                Some(ct) => {
                    let text = self.keys.decrypt_str(&ctx("victim_information", "note", &row.id), ct)?;
                    Some(Narrative::parse("note", &text).map_err(internal)?)
                }
                None => None,
            };
            out.push(InformationGiven {
                kind: Coded::parse_code("kind", &row.kind).map_err(internal)?,
                channel: Coded::parse_code("channel", &row.channel).map_err(internal)?,
                language: haven_domain::assist::directory::LanguageCode::parse("language", &row.language)
                    .map_err(internal)?,
                given_by,
                given_on: stored_date("given_on", &row.given_on)?,
                note,
                investigation_id: row.investigation_id,
                case_id: row.case_id,
                id: row.id,
            });
        }
        Ok(out)
    }

    /// The view of the investigation's victims, built from what is stored (not audited here).
    pub(crate) async fn victims_view(
        &self,
        row: &InvestigationRow,
        actions: InvestigationActions,
    ) -> AppResult<VictimsView> {
        let today = self.today();
        let inv = self.investigation_record(row)?;
        let links = self.victim_links(&row.id).await?;
        let records = self.protection_records(&row.id).await?;
        let log = self.information_log(&row.id).await?;
        let suspect_records: Vec<_> = self.records_of(&row.id).await?.into_iter().map(|(_, r)| r).collect();
        let events = information_events(&inv, &suspect_records);
        let due = information_due(&events, &links, &log);
        let practice = NationalPractice::built_in(inv.country).transpose().map_err(internal)?;
        let rule = practice.as_ref().and_then(|p| p.on(today)).and_then(|v| v.limitation.clone());
        let mut victims = Vec::new();
        for link in &links {
            let registration = match self.store.registration(&link.case_id).await? {
                Some(reg_row) => Some(self.decrypt_registration(&reg_row)?),
                None => None,
            };
            let (child_status, limitation) = match &registration {
                Some(reg) => {
                    let case = self.store.case(&link.case_id).await?;
                    let registered_on = CalendarDate::from_unix_seconds(case.created_at).unwrap_or(inv.opened_on);
                    let acts = Acts { from: inv.acts_from.or_else(|| reg.acts_began_on()), until: inv.acts_until };
                    let limitation =
                        child_limitation(rule.as_ref(), &reg.age_info(), registered_on, acts, inv.opened_on, today);
                    (reg.child_status(today), limitation)
                }
                None => (ChildStatus::Unknown, None),
            };
            victims.push(VictimInProceedings {
                case_id: link.case_id.clone(),
                linked_on: link.linked_on,
                child_status,
                protection: review(&link.case_id, child_status, &records),
                limitation,
                information: log.iter().filter(|g| g.case_id == link.case_id).cloned().collect(),
                information_due: due.iter().filter(|d| d.case_id == link.case_id).cloned().collect(),
            });
        }
        Ok(VictimsView {
            investigation_id: row.id.clone(),
            victims,
            limitation_warning: rule.as_ref().and_then(practice_warning),
            limitation_rule: rule,
            actions,
        })
    }

    /// The victims linked to an investigation: protection measures (the missing ones flagged),
    /// limitation for child victims, the information given and due. Audited as a read.
    pub async fn victims_in_proceedings(
        &self,
        principal: &Principal,
        investigation_id: &str,
    ) -> AppResult<VictimsView> {
        let (row, actions) = self.investigation_for(principal, investigation_id, Action::Read).await?;
        let view = self.victims_view(&row, actions).await?;
        let mut event = self.event(principal, AuditAction::ProceedingsRead).on(
            "investigation",
            &row.id,
            Some(&row.unit_organisation_id),
        );
        event.detail = Some(format!("victims={}", view.victims.len()));
        self.store.append_audit(&event).await?;
        Ok(view)
    }

    /// Records a protection measure for a linked victim (Dir 2011/36 Arts 12(4), 15(3)-(5)):
    /// applied, not applicable (with reasons) or refused by the victim, on a day between the
    /// opening of the investigation and today.
    pub async fn record_protection_measure(
        &self,
        principal: &Principal,
        investigation_id: &str,
        input: &ProtectionInput,
    ) -> AppResult<VictimsView> {
        let (row, actions) = self.investigation_for(principal, investigation_id, Action::Write).await?;
        let links = self.victim_links(&row.id).await?;
        Self::linked(&links, &input.case_id)?;
        let opened_on = stored_date("opened_on", &row.opened_on)?;
        let record = ProtectionRecord::parse(new_id(), &row.id, input, opened_on, &principal.user.id, self.today())?;
        let stored = ProtectionMeasureRow {
            reasons: record
                .reasons
                .as_ref()
                .map(|r| self.keys.encrypt_str(&ctx("protection_measures", "reasons", &record.id), r.as_str())),
            id: record.id.clone(),
            investigation_id: row.id.clone(),
            case_id: record.case_id.clone(),
            measure: record.measure.code().to_owned(),
            status: record.status.code().to_owned(),
            recorded_on: record.on.to_string(),
            recorded_by: principal.user.id.clone(),
            recorded_at: self.now(),
        };
        let event = self.write_event(principal, &row, &format!("protection_measure={}", record.measure));
        self.store.add_protection_measure(&stored, &event).await?;
        self.victims_view(&row, actions).await
    }

    /// Logs a piece of information given to a linked victim (Dir 2011/36 Art 11 with Dir 2012/29
    /// Art 6; CETS 197 Arts 12(1)(d), 15(1)): what, how, in which language, by whom, on which day.
    pub async fn record_information_given(
        &self,
        principal: &Principal,
        investigation_id: &str,
        input: &InformationInput,
    ) -> AppResult<VictimsView> {
        let (row, actions) = self.investigation_for(principal, investigation_id, Action::Write).await?;
        let links = self.victim_links(&row.id).await?;
        Self::linked(&links, &input.case_id)?;
        let opened_on = stored_date("opened_on", &row.opened_on)?;
        let given = InformationGiven::parse(new_id(), &row.id, input, opened_on, self.today())?;
        let stored = VictimInformationRow {
            given_by: self.keys.encrypt_str(&ctx("victim_information", "given_by", &given.id), &given.given_by),
            note: given
                .note
                .as_ref()
                .map(|n| self.keys.encrypt_str(&ctx("victim_information", "note", &given.id), n.as_str())),
            id: given.id.clone(),
            investigation_id: row.id.clone(),
            case_id: given.case_id.clone(),
            kind: given.kind.code().to_owned(),
            channel: given.channel.code().to_owned(),
            language: given.language.to_string(),
            given_on: given.given_on.to_string(),
            recorded_by: principal.user.id.clone(),
            recorded_at: self.now(),
        };
        let event = self.write_event(principal, &row, &format!("information_given={}", given.kind));
        self.store.add_victim_information(&stored, &event).await?;
        self.victims_view(&row, actions).await
    }

    /// The principal's country, if the access module lets them act on its trainings this way.
    async fn training_country(
        &self,
        principal: &Principal,
        permission: Permission,
    ) -> AppResult<haven_domain::CountryCode> {
        self.require(principal, permission).await?;
        let jurisdiction = principal.actor.jurisdiction;
        match (authorize_trainings(&principal.actor, jurisdiction, permission), jurisdiction) {
            (haven_domain::Decision::Allow, Jurisdiction::Country(country)) => Ok(country),
            (_, Jurisdiction::EuropeanUnion) => {
                // The role grants it, the jurisdiction does not: said, naming the jurisdiction.
                self.audit_denied(principal, "training", "list", Some(&principal.actor.organisation_id)).await;
                Err(AppError::Refused(crate::error::Refusal {
                    message_id: "trainings-kept-by-countries",
                    arg: ("jurisdiction", jurisdiction.code().to_owned()),
                    items: vec![format!("jurisdiction={}", jurisdiction.code())],
                    english: format!(
                        "training records are kept by each country ({}); the jurisdiction {} keeps none",
                        haven_domain::access::TRAININGS_KEPT_BY_COUNTRIES,
                        jurisdiction.code()
                    ),
                }))
            }
            _ => {
                self.audit_denied(principal, "training", "list", Some(&principal.actor.organisation_id)).await;
                Err(AppError::Forbidden)
            }
        }
    }

    /// Records a training given in the principal's country (Dir 2011/36 Art 18(3), Art 9(3)).
    pub async fn record_training(&self, principal: &Principal, input: &TrainingInput) -> AppResult<Training> {
        let country = self.training_country(principal, Permission::RecordTrainings).await?;
        let training = Training::parse(new_id(), country, input, self.today())?;
        let row = TrainingRow {
            id: training.id.clone(),
            jurisdiction: country.to_string(),
            organisation_id: principal.actor.organisation_id.clone(),
            starts_on: training.starts_on.to_string(),
            body: serde_json::to_string(&training).map_err(internal)?,
            created_by: principal.user.id.clone(),
            created_at: self.now(),
        };
        let mut event = self.event(principal, AuditAction::ProceedingsWritten).on(
            "training",
            &training.id,
            Some(&principal.actor.organisation_id),
        );
        event.detail = Some("training_recorded".into());
        self.store.add_training(&row, &event).await?;
        Ok(training)
    }

    /// The trainings of the principal's country and their summary per year and audience, for
    /// the rapporteur's reports. Audited as one read.
    pub async fn trainings(&self, principal: &Principal) -> AppResult<TrainingsView> {
        let country = self.training_country(principal, Permission::ReadTrainings).await?;
        let trainings = self
            .store
            .trainings(&country.to_string())
            .await?
            .iter()
            .map(|row| serde_json::from_str::<Training>(&row.body).map_err(internal))
            .collect::<AppResult<Vec<_>>>()?;
        let mut event = self.event(principal, AuditAction::ProceedingsRead).on(
            "training",
            "list",
            Some(&principal.actor.organisation_id),
        );
        event.detail = Some(format!("trainings={}", trainings.len()));
        self.store.append_audit(&event).await?;
        Ok(TrainingsView { summary: summary(&trainings), trainings })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proceedings::SuspectRecord;
    use haven_domain::proceedings::charge::{Instance, Judgment, ProsecutionDecision};

    fn date(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    #[test]
    fn art_11_dir_decisions_and_judgments_call_for_information() {
        let inv: Investigation = serde_json::from_value(serde_json::json!({
            "id": "i", "country": "LV", "reference": "r", "unit_organisation_id": "u",
            "prosecutor_organisation_id": null, "opened_on": "2026-01-01", "opening": "ex_officio",
            "report": null, "offences": [], "places": [], "acts_from": null, "acts_until": null,
            "other_countries": [], "status": "closed", "status_since": "2026-06-01",
            "closure": "insufficient_evidence", "victims": [], "summary": "s"
        }))
        .unwrap();
        let decision = |outcome| SuspectRecord::ProsecutionDecision {
            decision: ProsecutionDecision {
                id: "d".into(),
                suspect_id: "s".into(),
                outcome,
                reasons: None,
                decided_on: date("2026-03-01"),
            },
        };
        let judgment = |is_final| SuspectRecord::Judgment {
            judgment: Judgment {
                id: "j".into(),
                suspect_id: "s".into(),
                court: "c".into(),
                instance: Instance::First,
                verdict: Verdict::Convicted,
                judged_on: date("2026-04-01"),
                sentence: None,
                is_final,
            },
        };
        let kinds: Vec<_> = information_events(
            &inv,
            &[
                decision(ProsecutionOutcome::Indicted),
                decision(ProsecutionOutcome::NotProsecuted),
                judgment(false),
                judgment(true),
            ],
        )
        .into_iter()
        .map(|e| e.kind)
        .collect();
        assert_eq!(
            kinds,
            vec![
                InformationKind::DecisionNotToProsecute,
                InformationKind::TrialTimeAndPlace,
                InformationKind::DecisionNotToProsecute,
                InformationKind::StateOfProceedings,
                InformationKind::FinalJudgment,
            ]
        );
    }
}
