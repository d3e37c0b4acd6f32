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
    /// (audited with the registration). The case gets its own subject key and, like every new
    /// case, a new reference when the one drawn is taken. Returns the case id.
    pub(crate) async fn open_referred_case(
        &self,
        principal: &Principal,
        organisation: &OrganisationRow,
        reg: Registration,
        detail: &str,
    ) -> AppResult<String> {
        let reg = reg.normalise(self.reference.forms)?;
        let owner = CaseOwner { organisation_id: &organisation.id, jurisdiction: organisation.jurisdiction };
        let case = self.write_new_case(principal, owner, &reg, Some(detail)).await?;
        Ok(case.id)
    }
}
