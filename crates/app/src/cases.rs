//! The minimal case record of the foundation: a presumed victim's identity, compartmented
//! notes, sharing, and the access history. Every read of personal data is audited.

use crate::{App, AppError, AppResult, Principal, new_id};
use haven_crypto::FieldContext;
use haven_domain::access::{Action, CaseScope, CaseShare, Compartment, Decision, authorize, may_see_case, may_share};
use haven_domain::audit::AuditAction;
use haven_domain::case::{CalendarDate, NoteInput, PersonIdentity, Sex};
use haven_domain::{Coded, Message, MessageId, ParseError, Permission};
use haven_storage::{AuditRow, CaseRow, NoteRow, StorageError};
use serde::Serialize;

/// A case as listed: no personal data.
#[derive(Debug, Clone, Serialize)]
pub struct CaseSummary {
    pub id: String,
    pub reference: String,
    pub owner_organisation_id: String,
    pub jurisdiction: String,
    pub created_at: i64,
    pub shared_with: Vec<CaseShare>,
}

/// A case with the identity of its person, for those allowed to read it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    #[serde(flatten)]
    pub summary: CaseSummary,
    pub person: PersonIdentity,
}

#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub id: String,
    pub compartment: Compartment,
    pub body: String,
    pub author_id: String,
    pub author_organisation_id: String,
    pub created_at: i64,
}

/// One line of a record's access history.
#[derive(Debug, Clone, Serialize)]
pub struct AccessRecord {
    pub at: i64,
    pub user_id: Option<String>,
    /// The display name of the user, for the people reading the history.
    pub user_name: Option<String>,
    pub organisation_id: Option<String>,
    pub action: String,
    pub outcome: String,
}

/// One entry of the audit log, as read by who may read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub event: haven_domain::audit::AuditEvent,
    /// The entry's MAC in the chain.
    pub mac: Vec<u8>,
}

/// The result of checking the audit chain.
#[derive(Debug, Clone, Serialize)]
pub struct AuditVerification {
    pub entries: u64,
    pub head_seq: i64,
    /// Hex of the newest entry's MAC: write it down elsewhere to anchor the log.
    pub head_mac: String,
}

fn summary(case: &CaseRow) -> CaseSummary {
    CaseSummary {
        id: case.id.clone(),
        reference: case.reference.clone(),
        owner_organisation_id: case.owner_organisation_id.clone(),
        jurisdiction: case.jurisdiction.code().to_owned(),
        created_at: case.created_at,
        shared_with: case.shares.clone(),
    }
}

fn scope(case: &CaseRow) -> CaseScope {
    CaseScope {
        owner_organisation_id: case.owner_organisation_id.clone(),
        jurisdiction: case.jurisdiction,
        shares: case.shares.clone(),
        referred: false,
    }
}

fn ctx<'a>(table: &'a str, column: &'a str, row: &'a str) -> FieldContext<'a> {
    FieldContext { table, column, row }
}

impl App {
    /// Route-level check for an operation on one case: a denial is recorded against the case,
    /// so that its owner sees the attempt in the access history.
    async fn require_on_case(&self, principal: &Principal, permission: Permission, case_id: &str) -> AppResult<()> {
        if haven_domain::permission_allowed(&principal.actor.roles, permission) {
            return Ok(());
        }
        if uuid::Uuid::parse_str(case_id).is_ok() {
            self.audit_denied(principal, "case", case_id, None).await;
            Err(AppError::Forbidden)
        } else {
            self.require(principal, permission).await
        }
    }

    async fn load_case(&self, id: &str) -> AppResult<CaseRow> {
        if uuid::Uuid::parse_str(id).is_err() {
            return Err(AppError::NotFound);
        }
        Ok(self.store.case(id).await?)
    }

    /// Loads a case and decides, in one place, whether the principal may act on a compartment.
    /// A denial is audited; a case the principal may not even know of is "not found".
    async fn case_for(
        &self,
        principal: &Principal,
        id: &str,
        compartment: Compartment,
        action: Action,
    ) -> AppResult<CaseRow> {
        let case = self.load_case(id).await?;
        let mut scope = scope(&case);
        scope.referred = self
            .store
            .registration(&case.id)
            .await?
            .is_some_and(|r| r.state == haven_domain::ident::record::RegistrationState::Submitted.code());
        match authorize(&principal.actor, &scope, compartment, action) {
            Decision::Allow => {
                // A restricted case (Reg 2016/679 Art 18) is read, never written.
                self.refuse_if_restricted(&case, action).await?;
                // An erased case (crypto-shredding) is a tombstone: refused, saying so.
                self.refuse_if_erased(&case).await?;
                Ok(case)
            }
            Decision::Deny(reason) => {
                self.audit_denied(principal, "case", &case.id, Some(&case.owner_organisation_id)).await;
                tracing::info!(?reason, "case access denied");
                if may_see_case(&principal.actor, &scope) { Err(AppError::Forbidden) } else { Err(AppError::NotFound) }
            }
        }
    }

    /// Registers a presumed victim from the identity alone, as a draft registration (see
    /// [`App::create_registration`] for the full record).
    pub async fn register_case(&self, principal: &Principal, identity: &PersonIdentity) -> AppResult<CaseSummary> {
        let mut reg = haven_domain::ident::record::Registration::default();
        reg.person.given_names = identity.given_names.clone();
        reg.person.family_names = identity.family_names.clone();
        reg.person.aliases = identity.aliases.clone();
        reg.person.date_of_birth = identity.date_of_birth;
        reg.person.sex = identity.sex;
        let saved = self.create_registration(principal, reg).await?;
        let case = self.store.case(&saved.id).await?;
        Ok(summary(&case))
    }

    /// A case's summary (owner, shares) for those who may read its identity compartment.
    pub async fn case_summary(&self, principal: &Principal, id: &str) -> AppResult<CaseSummary> {
        self.require_on_case(principal, Permission::Case(Compartment::Identity, Action::Read), id).await?;
        let case = self.case_for(principal, id, Compartment::Identity, Action::Read).await?;
        Ok(summary(&case))
    }

    /// Cases the principal's organisation owns or was given, newest first (no personal data).
    pub async fn list_cases(&self, principal: &Principal, limit: i64, offset: i64) -> AppResult<Vec<CaseSummary>> {
        self.require(principal, Permission::ListCases).await?;
        let rows = self.store.cases_visible_to(&principal.organisation.id, limit.clamp(1, 500), offset.max(0)).await?;
        Ok(rows.iter().filter(|c| may_see_case(&principal.actor, &scope(c))).map(summary).collect())
    }

    /// Reads a case with the person's identity. Audited.
    pub async fn case_view(&self, principal: &Principal, id: &str) -> AppResult<CaseView> {
        self.require_on_case(principal, Permission::Case(Compartment::Identity, Action::Read), id).await?;
        let case = self.case_for(principal, id, Compartment::Identity, Action::Read).await?;
        let person = self.store.person(&case.id).await?;
        let dec = |column: &str, ct: &[u8]| self.keys.decrypt_str(&ctx("persons", column, &case.id), ct);
        let aliases: Vec<String> =
            serde_json::from_str(&dec("aliases", &person.aliases)?).map_err(|e| AppError::Internal(Box::new(e)))?;
        let date_of_birth = match &person.date_of_birth {
            Some(ct) => Some(CalendarDate::parse("date_of_birth", &dec("date_of_birth", ct)?)?),
            None => None,
        };
        let identity = PersonIdentity {
            given_names: dec("given_names", &person.given_names)?,
            family_names: dec("family_names", &person.family_names)?,
            aliases,
            date_of_birth,
            sex: person.sex,
        };
        let event =
            self.event(principal, AuditAction::CaseRead).on("case", &case.id, Some(&case.owner_organisation_id));
        self.store.append_audit(&event).await?;
        Ok(CaseView { summary: summary(&case), person: identity })
    }

    pub async fn add_note(&self, principal: &Principal, case_id: &str, note: &NoteInput) -> AppResult<Note> {
        self.require_on_case(principal, Permission::Case(note.compartment, Action::Write), case_id).await?;
        let case = self.case_for(principal, case_id, note.compartment, Action::Write).await?;
        let id = new_id();
        // Under the person's own key (crypto-shredding).
        self.subject_key_for_write(&case.id).await?;
        let row = NoteRow {
            id: id.clone(),
            case_id: case.id.clone(),
            compartment: note.compartment,
            body: self.keys.encrypt_case_str(&case.id, &ctx("case_notes", "body", &id), note.body.as_str()),
            author_id: principal.user.id.clone(),
            author_organisation_id: principal.organisation.id.clone(),
            created_at: self.now(),
        };
        let event = self
            .event(principal, AuditAction::NoteAdded)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail(format!("compartment={}", note.compartment.code()));
        self.store.add_note(&row, &event).await?;
        Ok(Note {
            id,
            compartment: note.compartment,
            body: note.body.as_str().to_owned(),
            author_id: row.author_id,
            author_organisation_id: row.author_organisation_id,
            created_at: row.created_at,
        })
    }

    /// Notes of one compartment. Audited.
    pub async fn notes(&self, principal: &Principal, case_id: &str, compartment: &str) -> AppResult<Vec<Note>> {
        let compartment = Compartment::parse_code("compartment", compartment)?;
        self.require_on_case(principal, Permission::Case(compartment, Action::Read), case_id).await?;
        let case = self.case_for(principal, case_id, compartment, Action::Read).await?;
        let rows = self.store.notes(&case.id, compartment).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(Note {
                body: self.keys.decrypt_str(&ctx("case_notes", "body", &r.id), &r.body)?,
                id: r.id,
                compartment: r.compartment,
                author_id: r.author_id,
                author_organisation_id: r.author_organisation_id,
                created_at: r.created_at,
            });
        }
        let event = self
            .event(principal, AuditAction::NotesRead)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail(format!("compartment={} count={}", compartment.code(), out.len()));
        self.store.append_audit(&event).await?;
        Ok(out)
    }

    /// Shares compartments of a case with another organisation of the same country. Only the
    /// owner shares, and only compartments the sharer may read itself.
    pub async fn share_case(
        &self,
        principal: &Principal,
        case_id: &str,
        organisation_id: &str,
        compartments: &[String],
    ) -> AppResult<()> {
        self.require(principal, Permission::ShareCase).await?;
        let case = self.case_for(principal, case_id, Compartment::Identity, Action::Read).await?;
        if !may_share(&principal.actor, &scope(&case)) {
            self.audit_denied(principal, "case", &case.id, Some(&case.owner_organisation_id)).await;
            return Err(AppError::Forbidden);
        }
        // Sharing is processing: not while the case is restricted (Reg 2016/679 Art 18).
        self.refuse_if_restricted(&case, Action::Write).await?;
        let mut list = Vec::new();
        for (i, c) in compartments.iter().enumerate() {
            let c = Compartment::parse_code(&format!("compartments[{i}]"), c)?;
            if c == Compartment::Statistics {
                return Err(AppError::said(
                    "compartments",
                    "statistics are not shared per case",
                    MessageId::StatisticsNotShared,
                ));
            }
            if !authorize(&principal.actor, &scope(&case), c, Action::Read).is_allowed() {
                return Err(AppError::Invalid(ParseError::said(
                    "compartments",
                    format!("you cannot share {c}: you do not hold it"),
                    Message::new(MessageId::CannotShareUnheld).labels("compartment", "compartment", [c.code()]),
                )));
            }
            if !list.contains(&c) {
                list.push(c);
            }
        }
        if list.is_empty() {
            return Err(AppError::said("compartments", "name at least one compartment", MessageId::NameOneCompartment));
        }
        let target = match self.store.organisation(organisation_id.trim()).await {
            Ok(o) => o,
            Err(StorageError::NotFound) => {
                return Err(AppError::said(
                    "organisation_id",
                    "no such organisation",
                    haven_domain::MessageId::NoSuchOrganisation,
                ));
            }
            Err(e) => return Err(e.into()),
        };
        if target.jurisdiction != case.jurisdiction
            || target.kind.is_statistical()
            || target.id == case.owner_organisation_id
        {
            return Err(AppError::said(
                "organisation_id",
                "cases are shared with other organisations of the same country",
                MessageId::ShareSameCountry,
            ));
        }
        let event = self
            .event(principal, AuditAction::CaseShared)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail(format!(
                "organisation={} compartments={}",
                target.id,
                list.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")
            ));
        self.store.share_case(&case.id, &target.id, &list, &principal.user.id, self.now(), &event).await?;
        Ok(())
    }

    /// Who accessed a case and when: for the owning organisation's supervisors and
    /// administrators, and the data protection officer of the case's country.
    pub async fn access_history(&self, principal: &Principal, case_id: &str) -> AppResult<Vec<AccessRecord>> {
        self.require(principal, Permission::ReadAccessHistory).await?;
        let case = self.load_case(case_id).await?;
        if !haven_domain::access::may_read_access_history(&principal.actor, &scope(&case)) {
            self.audit_denied(principal, "case", &case.id, Some(&case.owner_organisation_id)).await;
            return Err(AppError::NotFound);
        }
        let rows: Vec<AuditRow> = self.store.audit_for_target("case", &case.id, 1000).await?;
        let event = self.event(principal, AuditAction::AccessHistoryRead).on(
            "case",
            &case.id,
            Some(&case.owner_organisation_id),
        );
        self.store.append_audit(&event).await?;
        let mut names: std::collections::HashMap<String, String> = std::collections::HashMap::new();
        for id in rows.iter().filter_map(|r| r.event.actor_user_id.as_deref()) {
            if names.contains_key(id) {
                continue;
            }
            match self.store.user(id).await {
                Ok(u) => {
                    names.insert(u.id, u.display_name);
                }
                Err(StorageError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(rows
            .into_iter()
            .map(|r| AccessRecord {
                at: r.event.at,
                user_name: r.event.actor_user_id.as_ref().and_then(|id| names.get(id).cloned()),
                user_id: r.event.actor_user_id,
                organisation_id: r.event.actor_organisation_id,
                action: r.event.action.code().to_owned(),
                outcome: r.event.outcome.code().to_owned(),
            })
            .collect())
    }

    /// Checks the whole audit chain (and its head). Returns what was verified, or the first
    /// break found as a conflict naming the entry. See [`App::verify_audit_anchored`] to check
    /// it against heads recorded outside the database as well.
    pub async fn verify_audit(&self) -> AppResult<AuditVerification> {
        self.verify_audit_anchored(&[], &[]).await
    }

    /// Audit entries for administrators and the data protection officer (no personal data is
    /// in them): those of their own jurisdiction only, i.e. whose acting or target organisation
    /// belongs to it ([`haven_domain::access::may_read_audit_entry`]), in order after `after_seq`.
    pub async fn audit_log(&self, principal: &Principal, after_seq: i64, limit: i64) -> AppResult<Vec<AuditEntry>> {
        self.require(principal, Permission::ReadAuditLog).await?;
        let limit = usize::try_from(limit.clamp(1, 1000)).unwrap_or(1000);
        let jurisdictions: std::collections::HashMap<String, haven_domain::Jurisdiction> =
            self.store.organisations().await?.into_iter().map(|o| (o.id, o.jurisdiction)).collect();
        let mut rows = Vec::new();
        let mut cursor = after_seq.max(0);
        'pages: loop {
            let page = self.store.audit_entries(cursor, 1000).await?;
            let Some(last) = page.last() else { break };
            cursor = last.seq;
            for row in page {
                let e = &row.event;
                let of: Vec<haven_domain::Jurisdiction> = [&e.actor_organisation_id, &e.target_organisation_id]
                    .into_iter()
                    .filter_map(|o| o.as_ref().and_then(|id| jurisdictions.get(id)).copied())
                    .collect();
                if haven_domain::access::may_read_audit_entry(&principal.actor, &of) {
                    rows.push(AuditEntry { seq: row.seq, event: row.event, mac: row.mac });
                    if rows.len() >= limit {
                        break 'pages;
                    }
                }
            }
        }
        let event = self.event(principal, AuditAction::AuditLogRead).on("audit", "log", None);
        self.store.append_audit(&event).await?;
        Ok(rows)
    }

    /// Registered persons by sex in the principal's jurisdiction: aggregates only.
    pub async fn statistics_by_sex(&self, principal: &Principal) -> AppResult<Vec<(Sex, i64)>> {
        self.require(principal, Permission::ReadStatistics).await?;
        let counts = self.store.count_persons_by_sex(principal.organisation.jurisdiction.code()).await?;
        Ok(Sex::ALL.iter().map(|s| (*s, counts.iter().find(|(c, _)| c == s).map_or(0, |(_, n)| *n))).collect())
    }
}
