//! Data subjects' requests (Reg 2016/679 Arts 12, 15-18; Dir 2016/680 Arts 14-16), handled by the data
//! protection officer: the request with its identity check and its due date, the subject-access
//! export, restricting a case and lifting it; and the rectification of a registration's field,
//! made by who writes the case's identity, keeping the old value in the history. Every read and
//! write is audited; the officer reads of a case only what a request needs.

use crate::erasure::ErasureCandidate;
use crate::{App, AppError, AppResult, Principal, new_id};
use haven_crypto::FieldContext;
use haven_domain::access::{
    Action, Compartment, may_act_under_restriction, may_erase_person, may_handle_subject_requests,
};
use haven_domain::audit::AuditAction;
use haven_domain::case::CalendarDate;
use haven_domain::ident::record::RegistrationState;
use haven_domain::subject_request::{
    IdentityCheckMethod, RequestKind, RequestStatus, RequestStep, answer_due, check_day, check_extension, days_late,
    next_status, reason, rectify,
};
use haven_domain::{Coded, Jurisdiction, Message, MessageId, ParseError, Permission};
use haven_storage::{CaseRestrictionRow, CaseRow, RectificationRow, StorageError, SubjectRequestRow};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

fn ctx<'a>(table: &'a str, column: &'a str, row: &'a str) -> FieldContext<'a> {
    FieldContext { table, column, row }
}

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(Box::new(e))
}

/// What a request keeps encrypted beside its coded columns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDetail {
    /// What the person asked, in the officer's words.
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub extension_reason: Option<String>,
    #[serde(default)]
    pub refusal_reason: Option<String>,
    /// The restrictions applied to the export (Dir 2016/680 Art 15), as message ids.
    #[serde(default)]
    pub restrictions_applied: Vec<String>,
    /// When the export was last produced (unix seconds).
    #[serde(default)]
    pub exported_at: Option<i64>,
    /// The registrations erased on an erasure request (Reg 2016/679 Art 17), in the order erased.
    #[serde(default)]
    pub erased: Vec<ErasedRegistration>,
}

/// A registration erased on an erasure request, as the request records it: the case and its
/// reference (no personal data), when, and who (the user's id in the stored request, the user's
/// name in [`SubjectRequestView::erasures`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasedRegistration {
    pub case_id: String,
    pub reference: String,
    /// Unix seconds.
    pub erased_at: i64,
    pub erased_by: String,
}

/// The erasure of an erasure request, as posted: the registrations (case ids) the officer chose
/// among the candidates, the request's version, and the confirmation that it cannot be undone.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RequestErasureInput {
    pub version: i64,
    #[serde(default)]
    pub case_ids: Vec<String>,
    #[serde(default)]
    pub confirm: bool,
}

/// An erasure request awaiting its erasure: the request, the registrations it may concern
/// ([`crate::erasure::App::erasure_candidates`]), and the ones an erasure just erased.
#[derive(Debug, Clone, Serialize)]
pub struct RequestErasure {
    pub request: SubjectRequestView,
    pub candidates: Vec<ErasureCandidate>,
    /// The case ids erased by this call (empty on a read; one erased already is not counted).
    pub erased_now: Vec<String>,
}

/// A request as the officer reads it.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectRequestView {
    pub id: String,
    pub kind: RequestKind,
    pub case_id: String,
    pub case_reference: String,
    pub received_on: String,
    pub due_on: String,
    pub extended: bool,
    pub status: RequestStatus,
    pub identity_checked_by: Option<String>,
    pub identity_method: Option<IdentityCheckMethod>,
    pub identity_checked_on: Option<String>,
    pub answered_on: Option<String>,
    /// Days late: after the due date, to the answer or (unanswered) to today.
    pub days_late: i64,
    pub late: bool,
    pub detail: RequestDetail,
    /// Whether the request's case is restricted now.
    pub case_restricted: bool,
    /// The registrations erased on the request, who erased them by name.
    pub erasures: Vec<ErasedRegistration>,
    pub version: i64,
}

/// A new request.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewSubjectRequest {
    pub kind: String,
    /// The case the person is registered under: its reference (`LV-…`) or id.
    pub case: String,
    pub received_on: String,
    #[serde(default)]
    pub note: String,
}

/// A step on a request, as posted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RequestStepInput {
    /// `verify`, `extend`, `answer`, `refuse`, `approve_erasure`, `restrict`, `lift`.
    pub step: String,
    pub version: i64,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub reason: String,
}

/// One registration of the person in a subject-access export: what Haven holds of it.
#[derive(Debug, Clone, Serialize)]
pub struct ExportedRegistration {
    pub case_id: String,
    pub reference: String,
    pub organisation: String,
    pub registered_at: i64,
    pub state: String,
    /// The registration as held (identity, circumstances, indicators, consents, narrative).
    pub record: serde_json::Value,
    pub notes: Vec<ExportedNote>,
    pub decisions: Vec<ExportedDecision>,
    pub rectifications: Vec<RectificationView>,
    /// Who received data of the registration: shares, referrals, transnational referrals.
    pub recipients: Vec<Recipient>,
    /// Who read or changed the registration, and when (the audit log).
    pub access_history: Vec<ExportedAccess>,
    pub restricted: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportedNote {
    pub compartment: Compartment,
    pub body: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportedDecision {
    pub kind: String,
    pub decided_on: String,
    pub reasons: String,
}

/// Someone the person's data went to.
#[derive(Debug, Clone, Serialize)]
pub struct Recipient {
    /// `share`, `referral` or `transnational_referral`.
    pub kind: String,
    /// The organisation, or the receiving (sending) country of a transnational referral.
    pub to: String,
    /// What was given: the compartments shared, or the referral's kind and state.
    pub what: String,
    pub at: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportedAccess {
    pub at: i64,
    pub who: String,
    pub organisation: String,
    pub action: String,
}

/// A restriction applied to an export, with the article that allows it.
#[derive(Debug, Clone, Serialize)]
pub struct AppliedRestriction {
    /// The message id that says it.
    pub message: String,
    pub article: String,
}

/// The subject-access export of a request (Reg 2016/679 Art 15; Dir 2016/680 Art 14).
#[derive(Debug, Clone, Serialize)]
pub struct SubjectAccessExport {
    pub request_id: String,
    pub generated_at: i64,
    pub controller_jurisdiction: String,
    /// The languages the person gave on the registrations (ISO 639).
    pub person_languages: Vec<String>,
    pub registrations: Vec<ExportedRegistration>,
    pub restrictions: Vec<AppliedRestriction>,
}

/// A field's earlier value, marked rectified.
#[derive(Debug, Clone, Serialize)]
pub struct RectificationView {
    pub field: String,
    pub old_value: String,
    pub reason: String,
    pub rectified_by: String,
    pub rectified_at: i64,
    pub request_id: Option<String>,
}

/// A rectification as posted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RectificationInput {
    pub version: i64,
    pub field: String,
    #[serde(default)]
    pub value: String,
    pub reason: String,
    #[serde(default)]
    pub request_id: Option<String>,
}

/// A case's restriction, as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RestrictionView {
    pub request_id: String,
    pub reason: String,
    pub restricted_at: i64,
}

/// Dir 2016/680 Art 15(1)(a)-(b): proceedings data are withheld from the export so as not to
/// obstruct or prejudice investigations and prosecutions; the person is told of the
/// restriction (Art 15(3)).
const PROCEEDINGS_WITHHELD: &str = "dsr-doc-restriction-proceedings";

impl App {
    fn requests_allowed(&self, principal: &Principal, jurisdiction: Jurisdiction) -> bool {
        may_handle_subject_requests(&principal.actor, jurisdiction)
    }

    /// The holidays the due date skips: the national profile's, none at the EU level.
    fn due(&self, jurisdiction: Jurisdiction, received: CalendarDate, extended: bool) -> AppResult<CalendarDate> {
        let profile = self.profile_for(jurisdiction, received).ok();
        let is_holiday = |d: CalendarDate| profile.is_some_and(|p| p.calendar().is_holiday(d));
        answer_due(received, extended, &is_holiday)
            .ok_or_else(|| AppError::Invalid(ParseError::new("received_on", "outside the calendar")))
    }

    fn request_detail(&self, row: &SubjectRequestRow) -> AppResult<RequestDetail> {
        let json = self.keys.decrypt_str(&ctx("subject_requests", "detail", &row.id), &row.detail)?;
        serde_json::from_str(&json).map_err(internal)
    }

    fn seal_detail(&self, id: &str, detail: &RequestDetail) -> AppResult<Vec<u8>> {
        let json = serde_json::to_string(detail).map_err(internal)?;
        Ok(self.keys.encrypt_str(&ctx("subject_requests", "detail", id), &json))
    }

    async fn request_view(
        &self,
        row: &SubjectRequestRow,
        names: &mut HashMap<String, String>,
    ) -> AppResult<SubjectRequestView> {
        let today = self.today();
        let due = CalendarDate::parse("due_on", &row.due_on)?;
        let answered = row.answered_on.as_deref().map(|d| CalendarDate::parse("answered_on", d)).transpose()?;
        let late = days_late(due, answered, today);
        let reference = match self.store.case(&row.case_id).await {
            Ok(c) => c.reference,
            Err(StorageError::NotFound) => String::new(),
            Err(e) => return Err(e.into()),
        };
        let checked_by = match &row.identity_checked_by {
            Some(id) => Some(self.user_name(id, names).await?),
            None => None,
        };
        let detail = self.request_detail(row)?;
        let mut erasures = Vec::with_capacity(detail.erased.len());
        for e in &detail.erased {
            erasures.push(ErasedRegistration { erased_by: self.user_name(&e.erased_by, names).await?, ..e.clone() });
        }
        Ok(SubjectRequestView {
            id: row.id.clone(),
            kind: RequestKind::parse_code("kind", &row.kind)?,
            case_id: row.case_id.clone(),
            case_reference: reference,
            received_on: row.received_on.clone(),
            due_on: row.due_on.clone(),
            extended: row.extended,
            status: RequestStatus::parse_code("status", &row.status)?,
            identity_checked_by: checked_by,
            identity_method: row
                .identity_method
                .as_deref()
                .map(|m| IdentityCheckMethod::parse_code("method", m))
                .transpose()?,
            identity_checked_on: row.identity_checked_on.clone(),
            answered_on: row.answered_on.clone(),
            days_late: late,
            late: late > 0,
            detail,
            case_restricted: self.store.case_restriction(&row.case_id).await?.is_some(),
            erasures,
            version: row.version,
        })
    }

    async fn user_name(&self, id: &str, names: &mut HashMap<String, String>) -> AppResult<String> {
        if let Some(n) = names.get(id) {
            return Ok(n.clone());
        }
        let name = match self.store.user(id).await {
            Ok(u) => u.display_name,
            Err(StorageError::NotFound) => id.to_owned(),
            Err(e) => return Err(e.into()),
        };
        names.insert(id.to_owned(), name.clone());
        Ok(name)
    }

    /// The requests of the officer's jurisdiction, oldest receipt first. Audited.
    pub async fn subject_requests(&self, principal: &Principal) -> AppResult<Vec<SubjectRequestView>> {
        self.require(principal, Permission::HandleSubjectRequests).await?;
        let j = principal.actor.jurisdiction;
        let rows = self.store.subject_requests(j.code()).await?;
        let mut names = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.request_view(r, &mut names).await?);
        }
        let event = self.event(principal, AuditAction::SubjectRequestRead).on("subject_requests", j.code(), None);
        self.store.append_audit(&event).await?;
        Ok(out)
    }

    /// Loads a request the officer may handle: 403 without the permission (before any lookup)
    /// and for another jurisdiction's request (audited as denied, as the erasure routes do), 404
    /// for an unknown one.
    async fn request_row(&self, principal: &Principal, id: &str) -> AppResult<SubjectRequestRow> {
        self.require(principal, Permission::HandleSubjectRequests).await?;
        if uuid::Uuid::parse_str(id).is_err() {
            return Err(AppError::NotFound);
        }
        let row = self.store.subject_request(id).await?.ok_or(AppError::NotFound)?;
        let j = Jurisdiction::parse("jurisdiction", &row.jurisdiction)?;
        if !self.requests_allowed(principal, j) {
            self.audit_denied(principal, "subject_request", id, None).await;
            return Err(AppError::Forbidden);
        }
        Ok(row)
    }

    /// One request. Audited.
    pub async fn subject_request(&self, principal: &Principal, id: &str) -> AppResult<SubjectRequestView> {
        let row = self.request_row(principal, id).await?;
        let view = self.request_view(&row, &mut HashMap::new()).await?;
        let event = self.event(principal, AuditAction::SubjectRequestRead).on("subject_request", &row.id, None);
        self.store.append_audit(&event).await?;
        Ok(view)
    }

    /// Finds the case a request names, by reference or id, in the officer's jurisdiction.
    async fn case_named(&self, principal: &Principal, value: &str) -> AppResult<CaseRow> {
        let v = value.trim();
        let not_found = || {
            AppError::said(
                "case",
                "no case of this reference in your jurisdiction",
                MessageId::SubjectRequestNoSuchCase,
            )
        };
        if v.is_empty() {
            return Err(AppError::Invalid(ParseError::empty("case")));
        }
        let case = if uuid::Uuid::parse_str(v).is_ok() {
            match self.store.case(v).await {
                Ok(c) => c,
                Err(StorageError::NotFound) => return Err(not_found()),
                Err(e) => return Err(e.into()),
            }
        } else {
            let id = self.store.case_id_by_reference(v).await?.ok_or_else(not_found)?;
            self.store.case(&id).await?
        };
        if case.jurisdiction != principal.actor.jurisdiction {
            return Err(not_found());
        }
        Ok(case)
    }

    /// Records a request received (Reg 2016/679 Art 12(3): the answer is due one month later). Audited.
    pub async fn record_subject_request(
        &self,
        principal: &Principal,
        input: &NewSubjectRequest,
    ) -> AppResult<SubjectRequestView> {
        self.require(principal, Permission::HandleSubjectRequests).await?;
        let kind = RequestKind::parse_code("kind", input.kind.trim())?;
        let today = self.today();
        let received = check_day("received_on", &input.received_on, None, today)?;
        let note = if input.note.trim().is_empty() { String::new() } else { reason("note", &input.note)? };
        let case = self.case_named(principal, &input.case).await?;
        let due = self.due(case.jurisdiction, received, false)?;
        let id = new_id();
        let detail = RequestDetail { note, ..RequestDetail::default() };
        let now = self.now();
        let row = SubjectRequestRow {
            id: id.clone(),
            jurisdiction: case.jurisdiction.code().to_owned(),
            kind: kind.code().to_owned(),
            case_id: case.id.clone(),
            received_on: received.to_string(),
            extended: false,
            due_on: due.to_string(),
            status: RequestStatus::Received.code().to_owned(),
            identity_checked_by: None,
            identity_method: None,
            identity_checked_on: None,
            answered_on: None,
            detail: self.seal_detail(&id, &detail)?,
            version: 1,
            created_by: principal.user.id.clone(),
            created_at: now,
            updated_by: principal.user.id.clone(),
            updated_at: now,
        };
        let event = self
            .event(principal, AuditAction::SubjectRequestRecorded)
            .on("subject_request", &id, Some(&case.owner_organisation_id))
            .detail(format!("kind={} case={}", kind.code(), case.id));
        self.store.add_subject_request(&row, &event).await?;
        self.request_view(&row, &mut HashMap::new()).await
    }

    /// A step on a request: the identity check (who, how, when), an extension with its reasons,
    /// the answer, a refusal with its reasons, an erasure's approval, restricting the request's
    /// case (a restriction request) or lifting it. Audited; a stale `version` is a conflict.
    pub async fn subject_request_step(
        &self,
        principal: &Principal,
        id: &str,
        input: &RequestStepInput,
    ) -> AppResult<SubjectRequestView> {
        let row = self.request_row(principal, id).await?;
        let kind = RequestKind::parse_code("kind", &row.kind)?;
        let status = RequestStatus::parse_code("status", &row.status)?;
        let received = CalendarDate::parse("received_on", &row.received_on)?;
        let j = Jurisdiction::parse("jurisdiction", &row.jurisdiction)?;
        let today = self.today();
        let mut detail = self.request_detail(&row)?;
        let mut next = row.clone();
        next.version = row
            .version
            .checked_add(1)
            .ok_or_else(|| AppError::Conflict("the version cannot be counted further".into()))?;
        next.updated_by = principal.user.id.clone();
        next.updated_at = self.now();
        if input.version != row.version {
            return Err(AppError::Conflict("the request was changed by someone else since it was loaded".into()));
        }
        let day = |field: &str| -> AppResult<CalendarDate> {
            if input.on.trim().is_empty() { Ok(today) } else { Ok(check_day(field, &input.on, Some(received), today)?) }
        };
        let case = self.store.case(&row.case_id).await?;
        let mut restrict = false;
        let mut lift = false;
        let step_code = input.step.trim();
        match step_code {
            "verify" => {
                next.status = next_status(kind, status, RequestStep::VerifyIdentity)?.code().to_owned();
                let method = IdentityCheckMethod::parse_code("method", input.method.trim())?;
                next.identity_checked_by = Some(principal.user.id.clone());
                next.identity_method = Some(method.code().to_owned());
                next.identity_checked_on = Some(day("on")?.to_string());
            }
            "extend" => {
                next_status(kind, status, RequestStep::Extend)?;
                let profile = self.profile_for(j, received).ok();
                let is_holiday = |d: CalendarDate| profile.is_some_and(|p| p.calendar().is_holiday(d));
                let why = check_extension(received, row.extended, today, &input.reason, &is_holiday)?;
                detail.extension_reason = Some(why.as_str().to_owned());
                next.extended = true;
                next.due_on = self.due(j, received, true)?.to_string();
            }
            "answer" => {
                if matches!(kind, RequestKind::Restriction) {
                    return Err(wrong_kind("restrict"));
                }
                if kind == RequestKind::Erasure && status != RequestStatus::AwaitingErasure {
                    return Err(wrong_kind("approve_erasure"));
                }
                // An erasure request is answered once its registration was erased.
                if kind == RequestKind::Erasure && self.store.case_erased_at(&row.case_id).await?.is_none() {
                    return Err(AppError::Invalid(ParseError::said(
                        "step",
                        "erase the registrations the request concerns first (step erase)",
                        Message::new(MessageId::SubjectRequestEraseFirst),
                    )));
                }
                next.status = next_status(kind, status, RequestStep::Answer)?.code().to_owned();
                next.answered_on = Some(day("on")?.to_string());
            }
            "approve_erasure" => {
                next.status = next_status(kind, status, RequestStep::ApproveErasure)?.code().to_owned();
            }
            "refuse" => {
                next.status = next_status(kind, status, RequestStep::Refuse)?.code().to_owned();
                detail.refusal_reason = Some(reason("reason", &input.reason)?);
                next.answered_on = Some(day("on")?.to_string());
            }
            "restrict" => {
                if kind != RequestKind::Restriction {
                    return Err(wrong_kind("answer"));
                }
                next.status = next_status(kind, status, RequestStep::Answer)?.code().to_owned();
                next.answered_on = Some(today.to_string());
                restrict = true;
            }
            "lift" => {
                if kind != RequestKind::Restriction {
                    return Err(wrong_kind("answer"));
                }
                lift = true;
            }
            other => {
                return Err(AppError::Invalid(ParseError::said(
                    "step",
                    format!("{other:?} is not a step of a request"),
                    Message::new(MessageId::UnknownValue).with("value", other),
                )));
            }
        }
        if lift {
            let event = self
                .event(principal, AuditAction::CaseRestrictionLifted)
                .on("case", &case.id, Some(&case.owner_organisation_id))
                .detail(format!("request={}", row.id));
            return match self.store.lift_restriction(&case.id, &event).await {
                Ok(()) => self.request_view(&row, &mut HashMap::new()).await,
                Err(StorageError::NotFound) => {
                    Err(AppError::conflict("the case is not restricted", Message::new(MessageId::CaseNotRestricted)))
                }
                Err(e) => Err(e.into()),
            };
        }
        next.detail = self.seal_detail(&row.id, &detail)?;
        if restrict {
            let why = reason("reason", &input.reason)?;
            let restriction = CaseRestrictionRow {
                case_id: case.id.clone(),
                request_id: row.id.clone(),
                reason: self.keys.encrypt_case_str(&case.id, &ctx("case_restrictions", "reason", &case.id), &why),
                restricted_by: principal.user.id.clone(),
                restricted_at: self.now(),
            };
            let event = self
                .event(principal, AuditAction::CaseRestricted)
                .on("case", &case.id, Some(&case.owner_organisation_id))
                .detail(format!("request={}", row.id));
            self.store.restrict_case(&restriction, &next, row.version, &event).await.map_err(|e| match e {
                StorageError::Conflict(_) => AppError::conflict(
                    "the case is restricted already",
                    Message::new(MessageId::CaseRestricted).with("reference", &case.reference),
                ),
                e => e.into(),
            })?;
        } else {
            let event = self
                .event(principal, AuditAction::SubjectRequestChanged)
                .on("subject_request", &row.id, Some(&case.owner_organisation_id))
                .detail(format!("step={step_code}"));
            self.store.update_subject_request(&next, row.version, &event).await?;
        }
        self.request_view(&next, &mut HashMap::new()).await
    }

    /// The registrations the request's person holds: the request's case and, where the person
    /// register has clustered it, every referred registration of the same person in the
    /// jurisdiction.
    async fn registrations_of_person(&self, case_id: &str, jurisdiction: Jurisdiction) -> AppResult<Vec<CaseRow>> {
        let mut ids: BTreeSet<String> = BTreeSet::from([case_id.to_owned()]);
        let persons: Vec<String> =
            self.store.person_rows_touching(&[case_id.to_owned()], &[]).await?.into_iter().map(|(_, p)| p).collect();
        if !persons.is_empty() {
            ids.extend(self.store.person_rows_touching(&[], &persons).await?.into_iter().map(|(c, _)| c));
        }
        let mut out = Vec::new();
        for id in ids {
            match self.store.case(&id).await {
                Ok(c) if c.jurisdiction == jurisdiction => out.push(c),
                Ok(_) | Err(StorageError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(out)
    }

    /// The subject-access export of an access request (Reg 2016/679 Art 15; Dir 2016/680 Art 14):
    /// everything held of the person's registrations (the identity and support compartments,
    /// decisions, rectifications), who received it, and who read it; proceedings data withheld
    /// under Dir 2016/680 Art 15(1), the restriction said in the export and recorded in the
    /// request. For the officer of the jurisdiction, on a request whose requester's identity was
    /// checked; the read is audited on every registration read.
    pub async fn subject_access_export(&self, principal: &Principal, id: &str) -> AppResult<SubjectAccessExport> {
        let row = self.request_row(principal, id).await?;
        let kind = RequestKind::parse_code("kind", &row.kind)?;
        let status = RequestStatus::parse_code("status", &row.status)?;
        if kind != RequestKind::Access {
            return Err(wrong_kind("answer"));
        }
        if status == RequestStatus::Received {
            return Err(AppError::conflict(
                "check the requester's identity first",
                Message::new(MessageId::SubjectRequestIdentityFirst),
            ));
        }
        let j = Jurisdiction::parse("jurisdiction", &row.jurisdiction)?;
        let cases = self.registrations_of_person(&row.case_id, j).await?;
        let mut names = HashMap::new();
        let orgs: HashMap<String, String> =
            self.store.organisations().await?.into_iter().map(|o| (o.id, o.name)).collect();
        let mut registrations = Vec::new();
        let mut languages: Vec<String> = Vec::new();
        for case in &cases {
            let reg_row = self.store.registration(&case.id).await?;
            let (record, state) = match &reg_row {
                Some(r) => {
                    let reg = self.decrypt_registration(r)?;
                    for l in &reg.person.languages {
                        if !languages.contains(l) {
                            languages.push(l.clone());
                        }
                    }
                    (serde_json::to_value(&reg).map_err(internal)?, r.state.clone())
                }
                None => (serde_json::Value::Null, RegistrationState::Draft.code().to_owned()),
            };
            let mut notes = Vec::new();
            for compartment in [Compartment::Identity, Compartment::Support] {
                for n in self.store.notes(&case.id, compartment).await? {
                    notes.push(ExportedNote {
                        compartment,
                        body: self.keys.decrypt_str(&ctx("case_notes", "body", &n.id), &n.body)?,
                        created_at: n.created_at,
                    });
                }
            }
            let mut decisions = Vec::new();
            for d in self.store.decisions(&case.id).await? {
                let reasons = match &d.reasons {
                    Some(ct) => {
                        self.keys.decrypt_str(&ctx("decisions", "reasons", &format!("{}/{}", d.case_id, d.seq)), ct)?
                    }
                    None => String::new(),
                };
                decisions.push(ExportedDecision { kind: d.kind, decided_on: d.decided_on, reasons });
            }
            let rectifications = self.rectification_views(&case.id, &mut names).await?;
            let mut recipients = Vec::new();
            for s in &case.shares {
                recipients.push(Recipient {
                    kind: "share".into(),
                    to: org_name(&orgs, &s.organisation_id),
                    what: s.compartments.iter().map(|c| c.code()).collect::<Vec<_>>().join(","),
                    at: None,
                });
            }
            for r in self.store.referrals_of_case(&case.id).await? {
                recipients.push(Recipient {
                    kind: "referral".into(),
                    to: org_name(&orgs, &r.to_organisation_id),
                    what: format!("{} ({})", r.kind, r.state),
                    at: Some(r.created_at),
                });
            }
            for t in self.store.transnational_referrals_of_case(&case.id).await? {
                recipients.push(Recipient {
                    kind: "transnational_referral".into(),
                    to: t.peer.clone(),
                    what: format!("{} {} ({})", t.direction, t.purpose, t.state),
                    at: Some(t.created_at),
                });
            }
            let mut access_history = Vec::new();
            for a in self.store.audit_for_target("case", &case.id, 1000).await? {
                let who = match &a.event.actor_user_id {
                    Some(u) => self.user_name(u, &mut names).await?,
                    None => String::new(),
                };
                let organisation =
                    a.event.actor_organisation_id.as_deref().map(|o| org_name(&orgs, o)).unwrap_or_default();
                access_history.push(ExportedAccess {
                    at: a.event.at,
                    who,
                    organisation,
                    action: a.event.action.code().to_owned(),
                });
            }
            registrations.push(ExportedRegistration {
                case_id: case.id.clone(),
                reference: case.reference.clone(),
                organisation: org_name(&orgs, &case.owner_organisation_id),
                registered_at: case.created_at,
                state,
                record,
                notes,
                decisions,
                rectifications,
                recipients,
                access_history,
                restricted: self.store.case_restriction(&case.id).await?.is_some(),
            });
        }
        // Said whether or not proceedings data exist, so that the export reveals neither
        // (Dir 2016/680 Art 15(1) allows restricting the confirmation itself).
        let restrictions = vec![AppliedRestriction {
            message: PROCEEDINGS_WITHHELD.to_owned(),
            article: "Dir 2016/680 Art 15(1)(a)-(b), Art 15(3)".into(),
        }];
        // Recorded in the request, and the read of every registration in the audit log.
        let mut detail = self.request_detail(&row)?;
        detail.restrictions_applied = restrictions.iter().map(|r| r.message.clone()).collect();
        detail.exported_at = Some(self.now());
        let mut next = row.clone();
        next.version = row.version.saturating_add(1);
        next.detail = self.seal_detail(&row.id, &detail)?;
        next.updated_by = principal.user.id.clone();
        next.updated_at = self.now();
        let event = self
            .event(principal, AuditAction::SubjectAccessExported)
            .on("subject_request", &row.id, None)
            .detail(format!("registrations={} restrictions={}", registrations.len(), restrictions.len()));
        self.store.update_subject_request(&next, row.version, &event).await?;
        for case in &cases {
            let event = self
                .event(principal, AuditAction::SubjectAccessExported)
                .on("case", &case.id, Some(&case.owner_organisation_id))
                .detail(format!("request={}", row.id));
            self.store.append_audit(&event).await?;
        }
        Ok(SubjectAccessExport {
            request_id: row.id,
            generated_at: self.now(),
            controller_jurisdiction: j.code().to_owned(),
            person_languages: languages,
            registrations,
            restrictions,
        })
    }

    /// Loads an erasure request awaiting its erasure, for the data protection officer who may
    /// erase in its jurisdiction: 403 without [`Permission::ErasePerson`] (before any lookup) and
    /// for another jurisdiction's request, 404 for an unknown one; a request of another kind, or
    /// one not approved yet or closed, refused naming the step (422).
    async fn erasure_request_row(&self, principal: &Principal, id: &str) -> AppResult<SubjectRequestRow> {
        self.require(principal, Permission::ErasePerson).await?;
        if uuid::Uuid::parse_str(id).is_err() {
            return Err(AppError::NotFound);
        }
        let row = self.store.subject_request(id).await?.ok_or(AppError::NotFound)?;
        let j = Jurisdiction::parse("jurisdiction", &row.jurisdiction)?;
        if !may_erase_person(&principal.actor, j) {
            self.audit_denied(principal, "subject_request", id, None).await;
            return Err(AppError::Forbidden);
        }
        let kind = RequestKind::parse_code("kind", &row.kind)?;
        let status = RequestStatus::parse_code("status", &row.status)?;
        let step = |text: &str, id: MessageId| Err(AppError::Invalid(ParseError::said("step", text, Message::new(id))));
        if kind != RequestKind::Erasure {
            return step("only an erasure request erases registrations", MessageId::SubjectRequestErasesNothing);
        }
        match status {
            RequestStatus::AwaitingErasure => Ok(row),
            RequestStatus::Received => {
                step("check the requester's identity first (step verify)", MessageId::SubjectRequestIdentityFirst)
            }
            RequestStatus::Verified => {
                step("approve the erasure first (step approve_erasure)", MessageId::SubjectRequestApproveErasureFirst)
            }
            RequestStatus::Answered | RequestStatus::Refused => {
                step("the request is closed", MessageId::SubjectRequestClosed)
            }
        }
    }

    /// The registrations an erasure request awaiting its erasure may concern: its case and those
    /// the person register links to it, of the officer's jurisdiction, each with whether it is
    /// erased already or held (references only, no personal data). The data protection officer
    /// of the request's jurisdiction. Audited as a read of the request.
    pub async fn request_erasure(&self, principal: &Principal, id: &str) -> AppResult<RequestErasure> {
        let row = self.erasure_request_row(principal, id).await?;
        let candidates = self.erasure_candidates(principal, &row.case_id).await?;
        let event = self
            .event(principal, AuditAction::SubjectRequestRead)
            .on("subject_request", &row.id, None)
            .detail(format!("erasure_candidates={}", candidates.len()));
        self.store.append_audit(&event).await?;
        let request = self.request_view(&row, &mut HashMap::new()).await?;
        Ok(RequestErasure { request, candidates, erased_now: Vec::new() })
    }

    /// Carries out an erasure request (Reg 2016/679 Art 17; Dir 2016/680 Art 16(2)): erases the
    /// registrations chosen among the request's candidates by crypto-shredding
    /// ([`App::erase_registrations`]: each audited `person_erased`) and records on the request
    /// which were erased, when and by whom; the officer then answers the request. Refused before
    /// anything changes: without the confirmation (422 `confirm`), with no registration or one the
    /// request does not concern (422 `case_ids`), one of another jurisdiction (403), a stale
    /// version (409), a legal hold on one (409 naming it).
    pub async fn erase_for_request(
        &self,
        principal: &Principal,
        id: &str,
        input: &RequestErasureInput,
    ) -> AppResult<RequestErasure> {
        let row = self.erasure_request_row(principal, id).await?;
        if input.version != row.version {
            return Err(AppError::Conflict("the request was changed by someone else since it was loaded".into()));
        }
        let candidates = self.erasure_candidates(principal, &row.case_id).await?;
        let mut chosen: Vec<String> = Vec::new();
        for case_id in input.case_ids.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
            if !candidates.iter().any(|c| c.case_id == case_id) {
                // Another jurisdiction's registration is refused as such (403) before anything is said of it.
                let reference = match self.case_to_erase(principal, case_id).await {
                    Ok(case) => case.reference,
                    Err(AppError::NotFound) => case_id.to_owned(),
                    Err(e) => return Err(e),
                };
                return Err(AppError::Invalid(ParseError::said(
                    "case_ids",
                    format!("{reference} is not a registration this request concerns"),
                    Message::new(MessageId::ErasureNotConcerned).with("reference", &reference),
                )));
            }
            if !chosen.iter().any(|c| c == case_id) {
                chosen.push(case_id.to_owned());
            }
        }
        if chosen.is_empty() {
            return Err(AppError::Invalid(ParseError::said(
                "case_ids",
                "choose at least one registration to erase",
                Message::new(MessageId::MustNotBeEmpty),
            )));
        }
        if !input.confirm {
            return Err(AppError::Invalid(ParseError::said(
                "confirm",
                "confirm that the erasure cannot be undone",
                Message::new(MessageId::ErasureNotConfirmed),
            )));
        }
        let erased_now = self.erase_registrations(principal, &chosen).await?;
        // Recorded on the request as it stands now: the erasure is done and is not undone by a
        // concurrent change of the request.
        let current = self.store.subject_request(&row.id).await?.ok_or(AppError::NotFound)?;
        let mut detail = self.request_detail(&current)?;
        for case_id in &erased_now {
            let reference = candidates.iter().find(|c| &c.case_id == case_id).map(|c| c.reference.clone());
            detail.erased.push(ErasedRegistration {
                case_id: case_id.clone(),
                reference: reference.unwrap_or_default(),
                erased_at: self.store.case_erased_at(case_id).await?.unwrap_or_else(|| self.now()),
                erased_by: principal.user.id.clone(),
            });
        }
        let mut next = current.clone();
        next.version = current
            .version
            .checked_add(1)
            .ok_or_else(|| AppError::Conflict("the version cannot be counted further".into()))?;
        next.detail = self.seal_detail(&current.id, &detail)?;
        next.updated_by = principal.user.id.clone();
        next.updated_at = self.now();
        let event = self
            .event(principal, AuditAction::SubjectRequestChanged)
            .on("subject_request", &current.id, None)
            .detail(format!("step=erase erased={}", erased_now.len()));
        self.store.update_subject_request(&next, current.version, &event).await?;
        let candidates = self.erasure_candidates(principal, &row.case_id).await?;
        let request = self.request_view(&next, &mut HashMap::new()).await?;
        Ok(RequestErasure { request, candidates, erased_now })
    }

    async fn rectification_views(
        &self,
        case_id: &str,
        names: &mut HashMap<String, String>,
    ) -> AppResult<Vec<RectificationView>> {
        let mut out = Vec::new();
        for r in self.store.rectifications(case_id).await? {
            out.push(RectificationView {
                old_value: self.keys.decrypt_str(&ctx("rectifications", "old_value", &r.id), &r.old_value)?,
                reason: self.keys.decrypt_str(&ctx("rectifications", "reason", &r.id), &r.reason)?,
                rectified_by: self.user_name(&r.rectified_by, names).await?,
                field: r.field,
                rectified_at: r.rectified_at,
                request_id: r.request_id,
            });
        }
        Ok(out)
    }

    /// Refuses a write on a restricted case (Reg 2016/679 Art 18): 409 naming the restriction. Reads
    /// pass.
    pub(crate) async fn refuse_if_restricted(&self, case: &CaseRow, action: Action) -> AppResult<()> {
        if action == Action::Read {
            return Ok(());
        }
        let restricted = self.store.case_restriction(&case.id).await?.is_some();
        if may_act_under_restriction(action, restricted) {
            Ok(())
        } else {
            Err(AppError::conflict(
                format!("case {} is restricted (Reg 2016/679 Art 18): it is read, not changed", case.reference),
                Message::new(MessageId::CaseRestricted).with("reference", &case.reference),
            ))
        }
    }

    /// Corrects a field of a registration's person (Reg 2016/679 Art 16), by who writes the case's
    /// identity; the old value stays in the history marked rectified, with who and why, both
    /// encrypted as the field is. Refused while the case is restricted. Audited.
    pub async fn rectify_field(
        &self,
        principal: &Principal,
        case_id: &str,
        input: &RectificationInput,
    ) -> AppResult<RectificationView> {
        let (case, old) = self
            .registered_case(
                principal,
                Permission::Case(Compartment::Identity, Action::Write),
                case_id,
                Compartment::Identity,
                Action::Write,
            )
            .await?;
        let why = reason("reason", &input.reason)?;
        let request_id = match input.request_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(r) => {
                let known = uuid::Uuid::parse_str(r).is_ok()
                    && self.store.subject_request(r).await?.is_some_and(|q| q.case_id == case.id);
                if !known {
                    return Err(AppError::Invalid(ParseError::said(
                        "request_id",
                        "no request about this case",
                        Message::new(MessageId::UnknownValue).with("value", r),
                    )));
                }
                Some(r.to_owned())
            }
            None => None,
        };
        let mut reg = self.decrypt_registration(&old)?;
        let old_value = rectify(&mut reg, &input.field, &input.value)?;
        let field = input.field.trim().to_owned();
        let reg = reg.normalise(self.reference.forms)?;
        let next = input
            .version
            .checked_add(1)
            .ok_or_else(|| AppError::Conflict("the version cannot be counted further".into()))?;
        let state = RegistrationState::parse_code("state", &old.state)?;
        let referred_on = old.referred_on.as_deref().map(|d| CalendarDate::parse("referred_on", d)).transpose()?;
        let row = self.registration_row(principal, &case.id, &reg, state, referred_on, next)?;
        let person = self.person_row(&case.id, &reg)?;
        let id = new_id();
        let rect = RectificationRow {
            id: id.clone(),
            case_id: case.id.clone(),
            field: field.clone(),
            old_value: self.keys.encrypt_case_str(&case.id, &ctx("rectifications", "old_value", &id), &old_value),
            reason: self.keys.encrypt_case_str(&case.id, &ctx("rectifications", "reason", &id), &why),
            request_id: request_id.clone(),
            rectified_by: principal.user.id.clone(),
            rectified_at: self.now(),
        };
        let event = self
            .event(principal, AuditAction::FieldRectified)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail(format!("field={field}"));
        self.store
            .rectify_registration(
                &person,
                &row,
                input.version,
                &self.identifiers(&reg, case.created_at)?,
                &rect,
                &event,
            )
            .await?;
        if state == RegistrationState::Submitted {
            self.cluster_after_save(&case.id).await;
        }
        Ok(RectificationView {
            field,
            old_value,
            reason: why,
            rectified_by: principal.user.display_name.clone(),
            rectified_at: rect.rectified_at,
            request_id,
        })
    }

    /// The rectification history of a case, with its restriction and the registration's
    /// version (to rectify from), for who may read its identity. Audited.
    pub async fn rectification_history(&self, principal: &Principal, case_id: &str) -> AppResult<RectificationHistory> {
        let (case, reg) = self
            .registered_case(
                principal,
                Permission::Case(Compartment::Identity, Action::Read),
                case_id,
                Compartment::Identity,
                Action::Read,
            )
            .await?;
        let entries = self.rectification_views(&case.id, &mut HashMap::new()).await?;
        let restriction = match self.store.case_restriction(&case.id).await? {
            Some(r) => Some(RestrictionView {
                reason: self.keys.decrypt_str(&ctx("case_restrictions", "reason", &case.id), &r.reason)?,
                request_id: r.request_id,
                restricted_at: r.restricted_at,
            }),
            None => None,
        };
        let event = self
            .event(principal, AuditAction::CaseRead)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail(format!("rectifications={}", entries.len()));
        self.store.append_audit(&event).await?;
        Ok(RectificationHistory {
            case_id: case.id,
            reference: case.reference,
            version: reg.version,
            restriction,
            entries,
        })
    }
}

/// A case's rectification history, as its page and the API give it.
#[derive(Debug, Clone, Serialize)]
pub struct RectificationHistory {
    pub case_id: String,
    pub reference: String,
    /// The registration's version: a rectification names it.
    pub version: i64,
    /// The restriction while it holds (Reg 2016/679 Art 18): nothing is rectified meanwhile.
    pub restriction: Option<RestrictionView>,
    pub entries: Vec<RectificationView>,
}

fn wrong_kind(instead: &str) -> AppError {
    AppError::Invalid(ParseError::said(
        "step",
        format!("this step does not fit the request's kind; use {instead}"),
        Message::new(MessageId::SubjectRequestWrongKind),
    ))
}

fn org_name(orgs: &HashMap<String, String>, id: &str) -> String {
    orgs.get(id).cloned().unwrap_or_else(|| id.to_owned())
}
