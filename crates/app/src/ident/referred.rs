//! A case opened for a person referred from another country: when the receiving focal point
//! accepts a transnational referral and assigns a support organisation of its country, the
//! organisation gets a draft registration carrying the fields the other country shared, so
//! that its caseworkers find the person among their cases (Dir 2011/36 Art 11(4);
//! `crate::exchange_referrals`).

use super::*;
use haven_storage::OrganisationRow;

impl App {
    /// Opens a draft case owned by `organisation` with `reg` (the fields shared), registered by
    /// the focal point `principal` on the organisation's behalf; `detail` says where it came from
    /// (audited with the registration). Returns the case id.
    pub(crate) async fn open_referred_case(
        &self,
        principal: &Principal,
        organisation: &OrganisationRow,
        reg: Registration,
        detail: &str,
    ) -> AppResult<String> {
        let reg = reg.normalise(self.reference.forms)?;
        let id = new_id();
        let case = CaseRow {
            id: id.clone(),
            reference: crate::new_reference(organisation.jurisdiction, &id),
            owner_organisation_id: organisation.id.clone(),
            jurisdiction: organisation.jurisdiction,
            created_by: principal.user.id.clone(),
            created_at: self.now(),
            shares: vec![],
        };
        let row = self.registration_row(principal, &id, &reg, RegistrationState::Draft, None, 1)?;
        let person = self.person_row(&id, &reg)?;
        let event = self
            .event(principal, AuditAction::RegistrationCreated)
            .on("case", &id, Some(&organisation.id))
            .detail(detail.to_owned());
        self.store.create_registration(&case, &person, &row, &self.identifiers(&reg, case.created_at)?, &event).await?;
        Ok(id)
    }
}
