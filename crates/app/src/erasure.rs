//! Erasure by crypto-shredding (Reg 2016/679 Art 17; Dir 2016/680 Art 16(2); docs/data-protection.md,
//! "Erasure by crypto-shredding").
//!
//! The unit is the registration (a case): each has its own subject key. A person is the set of
//! registrations the person register links; the data protection officer sees that set
//! ([`App::erasure_candidates`]) and confirms which registrations the erasure request concerns,
//! because the register's links are a statistical judgement and erasing another person's
//! registration cannot be undone. Erasing ([`App::erase_registrations`]) first moves every field
//! of the case still under a field key under its subject key, then, in one audited transaction,
//! destroys the subject key (a tombstone stays in the key store), deletes the blind indexes,
//! replaces the person row and the registration record with a redacted copy under the field key
//! (no name, document, narrative or free text: the coded facts the statistics count, so the
//! released aggregates and later counts stay whole) and records that the case was erased, by
//! whom and when, without content. From then on every copy of the case's fields under its key,
//! in the database, its write-ahead log, its replicas and every backup, is unreadable.

use crate::error::Refusal;
use crate::ident::ctx;
use crate::{App, AppError, AppResult, Principal};
use haven_domain::Permission;
use haven_domain::access::may_erase_person;
use haven_domain::audit::{AuditAction, AuditEvent};
use haven_domain::ident::record::{PersonDetails, Registration};
use haven_storage::CaseRow;

/// A registration an erasure may concern: the named one and those the person register links
/// to it, in the officer's jurisdiction.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ErasureCandidate {
    pub case_id: String,
    pub reference: String,
    /// When it was erased already.
    pub erased_at: Option<i64>,
    /// A legal hold stands on it (the retention schedule's hold): it cannot be erased now.
    pub held: bool,
}

/// The redacted copy of a registration an erasure leaves in the database: the coded facts the
/// statistics count (sex, gender, citizenships, the child presumption and age estimate, acts,
/// means, forms and the coded context, indicators), nothing that names, describes or locates the
/// person (names, aliases, date of birth, documents, contacts, languages, age assessments, events,
/// free text, consents, guardian, narrative, what an import brought).
pub fn redacted(reg: &Registration) -> Registration {
    let p = &reg.person;
    let person = PersonDetails {
        age_estimate: p.age_estimate,
        reasons_to_believe_child: p.reasons_to_believe_child,
        sex: p.sex,
        gender: p.gender,
        citizenships: p.citizenships.clone(),
        ..PersonDetails::default()
    };
    let mut context = reg.context.clone();
    context.other_form = None;
    context.events = Vec::new();
    Registration { person, context, indicators: reg.indicators.clone(), ..Registration::default() }
}

fn erased_refusal(reference: &str, erased_at: i64) -> AppError {
    let day = haven_domain::case::CalendarDate::from_unix_seconds(erased_at)
        .map_or_else(|| erased_at.to_string(), |d| d.to_string());
    AppError::Refused(Refusal {
        message_id: "msg-case-erased",
        arg: ("date", day.clone()),
        items: vec![format!("case={reference}")],
        english: format!("this registration was erased on {day}: nothing of the person can be read any more"),
    })
}

pub(crate) fn held_refusal(reference: &str) -> AppError {
    AppError::Refused(Refusal {
        message_id: "msg-erasure-held",
        arg: ("reference", reference.to_owned()),
        items: vec![format!("case={reference}")],
        english: format!(
            "a legal hold stands on the registration {reference}: it cannot be erased until it is released"
        ),
    })
}

impl App {
    /// A case's tombstone: an erased case is refused to every reader and writer, saying when it
    /// was erased (pages show it as erased).
    pub(crate) async fn refuse_if_erased(&self, case: &CaseRow) -> AppResult<()> {
        match self.store.case_erased_at(&case.id).await? {
            Some(at) => Err(erased_refusal(&case.reference, at)),
            None => Ok(()),
        }
    }

    pub(crate) async fn case_to_erase(&self, principal: &Principal, case_id: &str) -> AppResult<CaseRow> {
        if uuid::Uuid::parse_str(case_id).is_err() {
            return Err(AppError::NotFound);
        }
        let case = self.store.case(case_id).await?;
        if !may_erase_person(&principal.actor, case.jurisdiction) {
            self.audit_denied(principal, "case", &case.id, Some(&case.owner_organisation_id)).await;
            return Err(AppError::Forbidden);
        }
        Ok(case)
    }

    /// The registrations an erasure request naming `case_id` may concern: that one and those
    /// the person register links to it, of the officer's jurisdiction, with whether each is
    /// erased already or held. No personal data (references only). The data protection officer
    /// of the case's jurisdiction ([`haven_domain::Permission::ErasePerson`]).
    pub async fn erasure_candidates(&self, principal: &Principal, case_id: &str) -> AppResult<Vec<ErasureCandidate>> {
        self.require(principal, Permission::ErasePerson).await?;
        let case = self.case_to_erase(principal, case_id).await?;
        let mut out = Vec::new();
        for id in self.store.cases_of_same_person(&case.id).await? {
            let Ok(other) = self.store.case(&id).await else { continue };
            if other.jurisdiction != case.jurisdiction {
                continue;
            }
            out.push(ErasureCandidate {
                erased_at: self.store.case_erased_at(&other.id).await?,
                held: self.store.case_hold_stands(&other.id).await?,
                case_id: other.id,
                reference: other.reference,
            });
        }
        Ok(out)
    }

    /// Erases the registrations `case_ids` by crypto-shredding (see the module's documentation):
    /// the data protection officer acting on an erasure request, for its jurisdiction. Refused
    /// whole, before anything changes, when one is not of the officer's jurisdiction (403), does
    /// not exist (404) or is under a legal hold (409 naming it). Each erasure is audited
    /// (`person_erased`, the case only). Returns the ids erased now (one erased already is
    /// skipped).
    pub async fn erase_registrations(&self, principal: &Principal, case_ids: &[String]) -> AppResult<Vec<String>> {
        self.require(principal, Permission::ErasePerson).await?;
        if case_ids.is_empty() {
            return Err(AppError::said(
                "cases",
                "name at least one registration to erase",
                haven_domain::MessageId::MustNotBeEmpty,
            ));
        }
        let mut cases = Vec::new();
        for id in case_ids {
            let case = self.case_to_erase(principal, id).await?;
            if self.store.case_hold_stands(&case.id).await? {
                return Err(held_refusal(&case.reference));
            }
            if !cases.iter().any(|c: &CaseRow| c.id == case.id) {
                cases.push(case);
            }
        }
        let mut erased = Vec::new();
        for case in &cases {
            let event = self.event(principal, AuditAction::PersonErased);
            if self.erase_case_now(case, Some(&principal.user.id), event).await? {
                erased.push(case.id.clone());
            }
        }
        Ok(erased)
    }

    /// Erases one registration by crypto-shredding, after the caller's checks: `erased_by` is
    /// the user recorded as erasing it (`None`: the retention job) and `event` the
    /// `person_erased` audit event (its actor), put on the case here. Refused naming the case while a legal hold stands. Returns false
    /// when it was erased already.
    pub(crate) async fn erase_case_now(
        &self,
        case: &CaseRow,
        erased_by: Option<&str>,
        event: AuditEvent,
    ) -> AppResult<bool> {
        if self.store.case_erased_at(&case.id).await?.is_some() {
            return Ok(false);
        }
        crate::subject_keys::convert_case(self, &case.id).await?;
        let keyring = self.keys.current();
        let registration = match self.store.registration(&case.id).await? {
            Some(row) => {
                let reg = redacted(&self.decrypt_registration(&row)?);
                let json = serde_json::to_string(&reg).map_err(|e| AppError::Internal(Box::new(e)))?;
                Some(keyring.encrypt_str(&ctx("registrations", "record", &case.id), &json))
            }
            None => None,
        };
        let sex = match self.store.person(&case.id).await {
            Ok(p) => Some(p.sex),
            Err(haven_storage::StorageError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        let person = sex.map(|sex| haven_storage::PersonRow {
            case_id: case.id.clone(),
            given_names: keyring.encrypt_str(&ctx("persons", "given_names", &case.id), ""),
            family_names: keyring.encrypt_str(&ctx("persons", "family_names", &case.id), ""),
            aliases: keyring.encrypt_str(&ctx("persons", "aliases", &case.id), "[]"),
            date_of_birth: None,
            sex,
            name_index: Vec::new(),
        });
        let event = event.on("case", &case.id, Some(&case.owner_organisation_id));
        let done = self
            .store
            .erase_case_as(&case.id, erased_by, self.now(), person.as_ref(), registration.as_deref(), &event)
            .await;
        let erased = match done {
            Ok(erased) => erased,
            Err(haven_storage::StorageError::Conflict(_)) => return Err(held_refusal(&case.reference)),
            Err(e) => return Err(e.into()),
        };
        self.keys.subjects.forget(&case.id);
        Ok(erased)
    }
}

/// The audit action of an erasure (for tests and the documentation).
pub const ERASURE_AUDIT_ACTION: &str = "person_erased";

#[cfg(test)]
mod tests {
    use super::*;
    use haven_domain::Coded;

    #[test]
    fn the_audit_action_is_the_coded_one() {
        assert_eq!(AuditAction::PersonErased.code(), ERASURE_AUDIT_ACTION);
    }

    #[test]
    fn a_redacted_registration_keeps_the_counted_facts_and_no_identifier() {
        let mut reg = Registration::default();
        reg.person.given_names = "Anna".into();
        reg.person.family_names = "Ozola".into();
        reg.person.aliases = vec!["Ann".into()];
        reg.person.safe_contact = Some("+371 2000 0000".into());
        reg.person.reasons_to_believe_child = true;
        reg.context.other_form = Some("a farm near Cēsis".into());
        let r = redacted(&reg);
        let json = serde_json::to_string(&r).unwrap();
        for word in ["Anna", "Ozola", "Ann", "2000", "Cēsis"] {
            assert!(!json.contains(word), "{word} left in {json}");
        }
        assert!(r.person.reasons_to_believe_child);
        assert_eq!(r.person.sex, reg.person.sex);
    }
}
