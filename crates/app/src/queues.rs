//! Work queues: what waits for a user (assessments to approve, referrals received, overdue
//! referrals), and the hints that tell one referral line from another. Every record is let
//! through `haven_domain::access` as the lists of cases and referrals are: a queue never shows
//! a case the user could not open.

use std::collections::HashMap;

use crate::assist::ReferralSummary;
use crate::{App, AppResult, Principal};
use haven_domain::access::{Action, CaseScope, Compartment, authorize};
use haven_domain::assist::referral::{ReferralState, Side};
use haven_domain::audit::AuditAction;
use haven_domain::ident::record::RegistrationState;
use haven_domain::{Coded, Permission, permission_allowed};
use haven_storage::{CaseRow, RegistrationRow, StorageError};
use serde::Serialize;

/// A submitted risk and needs assessment waiting for a second person's approval.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentToReview {
    pub case_id: String,
    pub reference: String,
    pub seq: i64,
    pub assessed_on: String,
    pub submitted_at: i64,
    /// Submitted by the user looking at the queue, who may not approve it.
    pub mine: bool,
}

/// How many items wait in a user's queues (only those the user's roles have).
#[derive(Debug, Clone, Default, Serialize)]
pub struct QueueCounts {
    /// Assessments waiting for approval (supervisors).
    pub assessments_to_review: Option<usize>,
    /// Referrals received and not yet answered (sent to the user's organisation).
    pub referrals_received: Option<usize>,
    /// Referrals of the organisation past their due date.
    pub referrals_overdue: Option<usize>,
}

/// What tells one referral line from another: the date it was sent, and the case reference with
/// the person's initials where the user may read the person's identity.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReferralHint {
    pub sent_at: Option<i64>,
    pub case_reference: Option<String>,
    pub initials: Option<String>,
}

/// The initials of a person's names ("Anna Marija", "Bērziņa" give "A. M. B.").
pub fn initials(given_names: &str, family_names: &str) -> String {
    given_names
        .split_whitespace()
        .chain(family_names.split_whitespace())
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn scope_of(case: &CaseRow, reg: Option<&RegistrationRow>) -> CaseScope {
    CaseScope {
        owner_organisation_id: case.owner_organisation_id.clone(),
        jurisdiction: case.jurisdiction,
        shares: case.shares.clone(),
        referred: reg.is_some_and(|r| r.state == RegistrationState::Submitted.code()),
    }
}

impl App {
    /// Assessments of the organisation's cases waiting for approval, oldest first, each on a
    /// case the supervisor may review (support compartment, write). Audited as a listing.
    pub async fn assessments_to_review(&self, principal: &Principal) -> AppResult<Vec<AssessmentToReview>> {
        self.require(principal, Permission::ReviewAssessments).await?;
        let items = self.review_queue(principal).await?;
        let event = self
            .event(principal, AuditAction::CaseListed)
            .on("assessments", &principal.organisation.id, Some(&principal.organisation.id))
            .detail(format!("queue=to_review count={}", items.len()));
        self.store.append_audit(&event).await?;
        Ok(items)
    }

    async fn review_queue(&self, principal: &Principal) -> AppResult<Vec<AssessmentToReview>> {
        let rows = self.store.assessments_to_review(&principal.organisation.id).await?;
        let mut cases: HashMap<String, Option<CaseRow>> = HashMap::new();
        let mut out = Vec::new();
        for row in rows {
            if !cases.contains_key(&row.case_id) {
                let case = self.store.case(&row.case_id).await?;
                let reg = self.store.registration(&row.case_id).await?;
                let allowed =
                    authorize(&principal.actor, &scope_of(&case, reg.as_ref()), Compartment::Support, Action::Write)
                        .is_allowed();
                cases.insert(row.case_id.clone(), allowed.then_some(case));
            }
            let Some(Some(case)) = cases.get(&row.case_id) else { continue };
            out.push(AssessmentToReview {
                case_id: case.id.clone(),
                reference: case.reference.clone(),
                seq: row.seq,
                assessed_on: row.assessed_on.clone(),
                submitted_at: row.created_at,
                mine: row.created_by == principal.user.id,
            });
        }
        Ok(out)
    }

    /// The counts of a user's queues, for the home page: only the queues the user's roles
    /// have. Counts name no one and are not audited; opening a queue is.
    pub async fn queue_counts(&self, principal: &Principal) -> AppResult<QueueCounts> {
        let roles = &principal.actor.roles;
        let mut counts = QueueCounts::default();
        if permission_allowed(roles, Permission::ReviewAssessments) {
            counts.assessments_to_review = Some(self.review_queue(principal).await?.iter().filter(|a| !a.mine).count());
        }
        if permission_allowed(roles, Permission::ManageReferrals) {
            let org = &principal.organisation.id;
            let received = self.store.referrals_of_organisation(org, false).await?;
            let sent = self.store.referrals_of_organisation(org, true).await?;
            let mut open = 0;
            let mut overdue = 0;
            for r in received.iter().chain(sent.iter()) {
                let s = self.summary(r, org)?;
                if s.side == Side::Receiver && s.state == ReferralState::Sent {
                    open += 1;
                }
                if s.overdue {
                    overdue += 1;
                }
            }
            counts.referrals_received = Some(open);
            counts.referrals_overdue = Some(overdue);
        }
        Ok(counts)
    }

    /// Hints for referral lines: when each was sent and, where the user may read the identity
    /// of the referral's case (the access module decides, as for the case page), its reference
    /// and the person's initials.
    pub async fn referral_hints(
        &self,
        principal: &Principal,
        referrals: &[ReferralSummary],
    ) -> AppResult<HashMap<String, ReferralHint>> {
        self.require(principal, Permission::ManageReferrals).await?;
        let mut people: HashMap<String, Option<(String, String)>> = HashMap::new();
        let mut out = HashMap::new();
        for r in referrals {
            let events = self.store.referral_events(&r.id).await?;
            let sent_at = events.iter().find(|e| e.state == ReferralState::Sent.code()).map(|e| e.at);
            let mut hint = ReferralHint { sent_at, ..ReferralHint::default() };
            if let Some(case_id) = &r.case_id {
                if !people.contains_key(case_id) {
                    let person = self.person_hint(principal, case_id).await?;
                    people.insert(case_id.clone(), person);
                }
                if let Some(Some((reference, initials))) = people.get(case_id) {
                    hint.case_reference = Some(reference.clone());
                    hint.initials = Some(initials.clone());
                }
            }
            out.insert(r.id.clone(), hint);
        }
        Ok(out)
    }

    /// A case's reference and its person's initials, if the principal may read its identity.
    async fn person_hint(&self, principal: &Principal, case_id: &str) -> AppResult<Option<(String, String)>> {
        let case = match self.store.case(case_id).await {
            Ok(c) => c,
            Err(StorageError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let reg = self.store.registration(case_id).await?;
        let scope = scope_of(&case, reg.as_ref());
        if !authorize(&principal.actor, &scope, Compartment::Identity, Action::Read).is_allowed() {
            return Ok(None);
        }
        let Some(reg) = reg else { return Ok(Some((case.reference, String::new()))) };
        let record = self.decrypt_registration(&reg)?;
        Ok(Some((case.reference, initials(&record.person.given_names, &record.person.family_names))))
    }
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_take_the_first_letter_of_every_name() {
        assert_eq!(initials("Anna Marija", "Bērziņa"), "A. M. B.");
        assert_eq!(initials("ēriks", "  "), "Ē.");
        assert_eq!(initials("", ""), "");
    }
}
