//! What an HTCDS export adds to a registration from Haven's own data: whether the case is closed
//! (`cas_Status`) and the support referrals of the case the exporting organisation made or accepted
//! (the standard's referral fields). Only what the exporting user may read goes out: a referral is
//! written only when the user may handle referrals and their organisation is its sender or receiver,
//! as the referral pages decide (docs/htcds.md).

use super::*;
use haven_domain::access::{ReferralScope, referral_side};
use haven_domain::assist::referral::{ReferralKind, ReferralState, Side};
use haven_domain::ident::htcds::{CaseStatus as HtcdsCaseStatus, HtcdsReferral, ReferralReason};
use haven_storage::ReferralRow;

/// The states of a referral that was made (sent, and neither withdrawn nor declined).
fn was_made(state: ReferralState) -> bool {
    matches!(
        state,
        ReferralState::Sent | ReferralState::Accepted | ReferralState::InProgress | ReferralState::Completed
    )
}

/// The states of a referral the receiver accepted.
fn was_accepted(state: ReferralState) -> bool {
    matches!(state, ReferralState::Accepted | ReferralState::InProgress | ReferralState::Completed)
}

impl App {
    /// The case's status for HTCDS: `Closed` once a closure is recorded, else `Active`.
    pub(crate) async fn htcds_case_status(&self, case_id: &str) -> AppResult<HtcdsCaseStatus> {
        Ok(match self.store.case_closed_on(case_id).await? {
            Some(_) => HtcdsCaseStatus::Closed,
            None => HtcdsCaseStatus::Active,
        })
    }

    /// The latest support referral of the case the principal's organisation made (outgoing) and the
    /// latest it accepted (incoming), as the standard's referral fields. None when the principal may
    /// not see referrals, or the organisation took part in none.
    pub(crate) async fn htcds_referrals(
        &self,
        principal: &Principal,
        case_id: &str,
    ) -> AppResult<(Option<HtcdsReferral>, Option<HtcdsReferral>)> {
        let mut outgoing = None;
        let mut incoming = None;
        // Oldest first: the latest of each side wins.
        for r in self.store.referrals_of_case(case_id).await? {
            let state = ReferralState::parse_code("state", &r.state)?;
            let scope = ReferralScope {
                from_organisation_id: &r.from_organisation_id,
                to_organisation_id: &r.to_organisation_id,
                draft: state == ReferralState::Draft,
            };
            match referral_side(&principal.actor, &scope) {
                Some(Side::Sender) if was_made(state) => outgoing = Some(r),
                Some(Side::Receiver) if was_accepted(state) => incoming = Some(r),
                _ => {}
            }
        }
        let outgoing = match outgoing {
            Some(r) => Some(self.htcds_referral(&r, &r.to_organisation_id, ReferralState::Sent).await?),
            None => None,
        };
        let incoming = match incoming {
            Some(r) => Some(self.htcds_referral(&r, &r.from_organisation_id, ReferralState::Accepted).await?),
            None => None,
        };
        Ok((outgoing, incoming))
    }

    /// One referral as HTCDS writes it: the other organisation by its name, the day the referral reached
    /// `dated_by` (sent, or accepted), the reason from its kind and the message that went with it. The
    /// other side's case worker is not written: the referral pages do not show them to either side.
    async fn htcds_referral(
        &self,
        r: &ReferralRow,
        other_organisation: &str,
        dated_by: ReferralState,
    ) -> AppResult<HtcdsReferral> {
        let organisation = match self.store.organisation(other_organisation).await {
            Ok(o) => o.name,
            Err(haven_storage::StorageError::NotFound) => other_organisation.to_owned(),
            Err(e) => return Err(e.into()),
        };
        let date = self
            .store
            .referral_events(&r.id)
            .await?
            .iter()
            .find(|e| e.state == dated_by.code())
            .and_then(|e| CalendarDate::from_unix_seconds(e.at));
        // A service referral asks for services the referring organisation does not give; a transfer hands
        // the case over, for a reason the standard's list does not name.
        let reason = match ReferralKind::parse_code("kind", &r.kind)? {
            ReferralKind::Service => ReferralReason::AdditionalServicesRequired,
            ReferralKind::Transfer => ReferralReason::Other,
        };
        let details = match &r.message {
            Some(ct) => {
                let context = FieldContext { table: "referrals", column: "message", row: &r.id };
                Some(self.keys.decrypt_str(&context, ct)?)
            }
            None => None,
        };
        Ok(HtcdsReferral { organisation, date, reason: Some(reason), details, case_worker: None })
    }
}
