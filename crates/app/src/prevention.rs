//! Prevention and demand reduction: the use cases (docs/monitoring.md, "Prevention").
//!
//! A country's rapporteur or coordinator records its campaigns, demand-reduction measures and
//! studies, funded projects and research; the EU level its own. Read and recorded as
//! [`haven_domain::access::authorize_monitoring`] says (the EU level reads all; a country its own
//! and the EU's; each records its own). A research item's statistics releases must be releases
//! this instance holds. Every read and write is audited (`prevention_read`, `prevention_changed`).

use crate::networks::{body_of, new_row};
use crate::{App, AppResult, Principal, new_id};
use haven_domain::audit::AuditAction;
use haven_domain::case::CalendarDate;
use haven_domain::prevention::{Details, PreventionInput, PreventionKind, PreventionRecord};
use haven_domain::{Coded, Jurisdiction, Message, MessageId, ParseError, Permission};
use haven_storage::RecordTable;
use serde::Serialize;

/// The prevention records the principal may read, by kind, and whether they may record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreventionView {
    pub records: Vec<PreventionRecord>,
    pub may_record_for: Option<Jurisdiction>,
    pub today: CalendarDate,
}

impl PreventionView {
    /// The records of one kind, in the order recorded.
    pub fn of(&self, kind: PreventionKind) -> impl Iterator<Item = &PreventionRecord> {
        self.records.iter().filter(move |r| r.kind() == kind)
    }
}

impl App {
    async fn audit_prevention(
        &self,
        principal: &Principal,
        action: AuditAction,
        id: &str,
        detail: String,
    ) -> AppResult<()> {
        let mut event = self.event(principal, action).on("prevention", id, Some(&principal.actor.organisation_id));
        event.detail = Some(detail);
        self.store.append_audit(&event).await?;
        Ok(())
    }

    /// Every prevention record the principal may read.
    pub async fn prevention(&self, principal: &Principal) -> AppResult<PreventionView> {
        self.require(principal, Permission::ReadMonitoring).await?;
        let mut records = Vec::new();
        for row in self.store.monitoring_records(RecordTable::PreventionRecords, None).await? {
            let record: PreventionRecord = body_of(&row)?;
            if Self::may_monitoring(principal, record.scope, Permission::ReadMonitoring) {
                records.push(record);
            }
        }
        let own = principal.actor.jurisdiction;
        let may_record_for = Self::may_monitoring(principal, own, Permission::RecordMonitoring).then_some(own);
        self.audit_prevention(principal, AuditAction::PreventionRead, "list", format!("records={}", records.len()))
            .await?;
        Ok(PreventionView { records, may_record_for, today: self.today() })
    }

    /// Records a prevention record of `kind` for the principal's jurisdiction.
    pub async fn record_prevention(
        &self,
        principal: &Principal,
        kind: PreventionKind,
        input: &PreventionInput,
    ) -> AppResult<PreventionRecord> {
        let scope = principal.actor.jurisdiction;
        self.monitoring_allowed(principal, scope, Permission::RecordMonitoring, ("prevention", "new")).await?;
        let record = PreventionRecord::parse(new_id(), scope, kind, input)?;
        if let Details::Research { releases, .. } = &record.details {
            for id in releases {
                if self.store.release(id).await?.is_none() {
                    return Err(ParseError::said(
                        "releases",
                        format!("no statistics release {id} is held here"),
                        Message::new(MessageId::PreventionUnknownRelease).with("value", id),
                    )
                    .into());
                }
            }
        }
        let row = new_row(self, principal, &record.id, kind.code(), scope, &record)?;
        let mut event = self.event(principal, AuditAction::PreventionChanged).on(
            "prevention",
            &record.id,
            Some(&principal.actor.organisation_id),
        );
        event.detail = Some(format!("recorded kind={kind}"));
        self.store.add_monitoring_record(RecordTable::PreventionRecords, &row, &event).await?;
        Ok(record)
    }
}
