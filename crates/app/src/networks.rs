//! Networks and platforms: the use cases (docs/monitoring.md, "Networks").
//!
//! The EU level records the EU's networks (the EU Network of National Rapporteurs or Equivalent
//! Mechanisms, the EU Civil Society Platform, the European Business Coalition), a country its own
//! coordination mechanisms. Networks, members, meetings and actions arising are read and recorded
//! as [`haven_domain::access::authorize_monitoring`] says (the EU level reads all; a country its
//! own and the EU's; each records its own). Contact persons are personal data: read and recorded
//! only as [`haven_domain::access::authorize_network_contacts`] says (the rapporteur of the
//! network's own jurisdiction), their name and e-mail encrypted per field, kept for the purpose
//! and until the day recorded with them; past it they are no longer shown and
//! [`App::purge_network_contacts`] deletes them. Every read and write is audited
//! (`network_read`, `network_changed`, `network_contacts_purged`).

use crate::{App, AppError, AppResult, Principal, new_id};
use haven_crypto::FieldContext;
use haven_domain::access::authorize_network_contacts;
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_domain::case::CalendarDate;
use haven_domain::networks::{
    ArisingInput, ArisingStatus, ArisingStatusInput, Contact, ContactInput, Meeting, MeetingInput, Network,
    NetworkInput, NetworkKind, is_arising_overdue, is_past_retention,
};
use haven_domain::{Coded, Decision, Jurisdiction, Permission};
use haven_storage::{MonitoringRecordRow, NetworkContactRow, RecordTable};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(Box::new(e))
}

fn ctx<'a>(column: &'a str, row: &'a str) -> FieldContext<'a> {
    FieldContext { table: "network_contacts", column, row }
}

/// A stored monitoring record read back.
pub(crate) fn body_of<T: DeserializeOwned>(row: &MonitoringRecordRow) -> AppResult<T> {
    serde_json::from_str(&row.body).map_err(internal)
}

/// The row of a new monitoring record.
pub(crate) fn new_row<T: Serialize>(
    app: &App,
    principal: &Principal,
    id: &str,
    parent_id: &str,
    scope: Jurisdiction,
    record: &T,
) -> AppResult<MonitoringRecordRow> {
    let now = app.now();
    Ok(MonitoringRecordRow {
        id: id.to_owned(),
        parent_id: parent_id.to_owned(),
        jurisdiction: scope.code().to_owned(),
        body: serde_json::to_string(record).map_err(internal)?,
        created_by: principal.user.id.clone(),
        created_at: now,
        updated_at: now,
    })
}

/// A contact as shown to whom may read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactView {
    pub id: String,
    pub contact: Contact,
}

/// A meeting in a network's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingSummary {
    pub meeting: Meeting,
    pub overdue: usize,
}

/// A network in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworkSummary {
    pub network: Network,
    pub meetings: usize,
    pub overdue: usize,
}

/// The networks the principal may read, and whether they may record one of their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworksView {
    pub networks: Vec<NetworkSummary>,
    pub may_record_for: Option<Jurisdiction>,
    pub today: CalendarDate,
}

/// A network with its meetings and, for whom may read them, its contacts within retention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworkView {
    pub network: Network,
    pub meetings: Vec<MeetingSummary>,
    /// `None`: the principal may not read the contacts.
    pub contacts: Option<Vec<ContactView>>,
    pub may_record: bool,
    pub may_record_contacts: bool,
    pub today: CalendarDate,
}

/// A meeting with its network, and which of its actions arising are overdue today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingView {
    pub network: Network,
    pub meeting: Meeting,
    pub overdue: Vec<u32>,
    pub may_record: bool,
    pub today: CalendarDate,
}

/// An action arising overdue, for the coordinator's dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueArising {
    pub network_id: String,
    pub network: String,
    pub kind: NetworkKind,
    pub scope: Jurisdiction,
    pub meeting_id: String,
    pub meeting: String,
    pub held_on: CalendarDate,
    pub number: u32,
    pub text: String,
    pub owner: String,
    pub due_on: CalendarDate,
    pub days_overdue: i64,
}

impl App {
    fn network_event(&self, principal: &Principal, action: AuditAction, id: &str, detail: String) -> AuditEvent {
        let mut event = self.event(principal, action).on("network", id, Some(&principal.actor.organisation_id));
        event.detail = Some(detail);
        event
    }

    async fn audit_network_read(&self, principal: &Principal, id: &str, detail: String) -> AppResult<()> {
        let event = self.network_event(principal, AuditAction::NetworkRead, id, detail);
        self.store.append_audit(&event).await?;
        Ok(())
    }

    async fn contacts_allowed(
        &self,
        principal: &Principal,
        scope: Jurisdiction,
        permission: Permission,
        id: &str,
    ) -> AppResult<()> {
        match authorize_network_contacts(&principal.actor, scope, permission) {
            Decision::Allow => Ok(()),
            Decision::Deny(reason) => {
                tracing::info!(?reason, "network contacts denied");
                self.audit_denied(principal, "network_contacts", id, Some(&principal.actor.organisation_id)).await;
                Err(AppError::Forbidden)
            }
        }
    }

    async fn find_network(&self, id: &str) -> AppResult<(Network, MonitoringRecordRow)> {
        let row = self.store.monitoring_record(RecordTable::Networks, id).await?.ok_or(AppError::NotFound)?;
        Ok((body_of(&row)?, row))
    }

    /// A meeting and its network.
    async fn find_meeting(&self, id: &str) -> AppResult<(Network, Meeting, MonitoringRecordRow)> {
        let row = self.store.monitoring_record(RecordTable::NetworkMeetings, id).await?.ok_or(AppError::NotFound)?;
        let (network, _) = self.find_network(&row.parent_id).await?;
        Ok((network, body_of(&row)?, row))
    }

    async fn meetings_of(&self, network_id: &str) -> AppResult<Vec<Meeting>> {
        let rows = self.store.monitoring_records(RecordTable::NetworkMeetings, Some(network_id)).await?;
        let mut meetings: Vec<Meeting> = rows.iter().map(body_of).collect::<AppResult<_>>()?;
        meetings.sort_by_key(|m| std::cmp::Reverse(m.held_on));
        Ok(meetings)
    }

    /// The networks the principal may read, with how many meetings and overdue actions each has.
    pub async fn networks(&self, principal: &Principal) -> AppResult<NetworksView> {
        self.require(principal, Permission::ReadMonitoring).await?;
        let today = self.today();
        let mut networks = Vec::new();
        for row in self.store.monitoring_records(RecordTable::Networks, None).await? {
            let network: Network = body_of(&row)?;
            if !Self::may_monitoring(principal, network.scope, Permission::ReadMonitoring) {
                continue;
            }
            let meetings = self.meetings_of(&network.id).await?;
            networks.push(NetworkSummary {
                meetings: meetings.len(),
                overdue: meetings.iter().map(|m| m.overdue(today).count()).sum(),
                network,
            });
        }
        let own = principal.actor.jurisdiction;
        let may_record_for = Self::may_monitoring(principal, own, Permission::RecordMonitoring).then_some(own);
        self.audit_network_read(principal, "list", format!("networks={}", networks.len())).await?;
        Ok(NetworksView { networks, may_record_for, today })
    }

    /// Records a network of the principal's jurisdiction.
    pub async fn record_network(&self, principal: &Principal, input: &NetworkInput) -> AppResult<Network> {
        let scope = principal.actor.jurisdiction;
        self.monitoring_allowed(principal, scope, Permission::RecordMonitoring, ("network", "new")).await?;
        let network = Network::parse(new_id(), scope, input)?;
        let row = new_row(self, principal, &network.id, network.kind.code(), scope, &network)?;
        let event = self.network_event(
            principal,
            AuditAction::NetworkChanged,
            &network.id,
            format!("network_recorded kind={} members={}", network.kind, network.members.len()),
        );
        self.store.add_monitoring_record(RecordTable::Networks, &row, &event).await?;
        Ok(network)
    }

    /// The contacts of a network within their retention on `today`, decrypted.
    async fn contacts_of(&self, network_id: &str, today: CalendarDate) -> AppResult<Vec<ContactView>> {
        let mut out = Vec::new();
        for row in self.store.network_contacts(Some(network_id)).await? {
            let retain_until = CalendarDate::parse("retain_until", &row.retain_until).map_err(internal)?;
            if is_past_retention(retain_until, today) {
                continue;
            }
            out.push(ContactView {
                contact: Contact {
                    name: self.keys.decrypt_str(&ctx("name", &row.id), &row.name)?,
                    email: self.keys.decrypt_str(&ctx("email", &row.id), &row.email)?,
                    organisation: row.organisation,
                    purpose: row.purpose,
                    retain_until,
                },
                id: row.id,
            });
        }
        Ok(out)
    }

    /// A network with its meetings, and its contacts for whom may read them; audited with how
    /// many contacts were shown.
    pub async fn network(&self, principal: &Principal, id: &str) -> AppResult<NetworkView> {
        self.require(principal, Permission::ReadMonitoring).await?;
        let (network, _) = self.find_network(id).await?;
        self.monitoring_allowed(principal, network.scope, Permission::ReadMonitoring, ("network", id)).await?;
        let today = self.today();
        let meetings = self
            .meetings_of(&network.id)
            .await?
            .into_iter()
            .map(|meeting| MeetingSummary { overdue: meeting.overdue(today).count(), meeting })
            .collect::<Vec<_>>();
        let contacts =
            if authorize_network_contacts(&principal.actor, network.scope, Permission::ReadMonitoring).is_allowed() {
                Some(self.contacts_of(&network.id, today).await?)
            } else {
                None
            };
        let shown = contacts.as_ref().map_or_else(|| "none".to_owned(), |c| c.len().to_string());
        self.audit_network_read(principal, &network.id, format!("meetings={} contacts={shown}", meetings.len()))
            .await?;
        Ok(NetworkView {
            may_record: Self::may_monitoring(principal, network.scope, Permission::RecordMonitoring),
            may_record_contacts: authorize_network_contacts(
                &principal.actor,
                network.scope,
                Permission::RecordMonitoring,
            )
            .is_allowed(),
            network,
            meetings,
            contacts,
            today,
        })
    }

    /// Records a contact person of a network: name and e-mail encrypted, with its purpose and
    /// the day it is kept until.
    pub async fn add_network_contact(
        &self,
        principal: &Principal,
        network_id: &str,
        input: &ContactInput,
    ) -> AppResult<ContactView> {
        self.require(principal, Permission::RecordMonitoring).await?;
        let (network, _) = self.find_network(network_id).await?;
        self.contacts_allowed(principal, network.scope, Permission::RecordMonitoring, network_id).await?;
        let contact = Contact::parse(input, self.today())?;
        let id = new_id();
        let row = NetworkContactRow {
            id: id.clone(),
            network_id: network.id.clone(),
            jurisdiction: network.scope.code().to_owned(),
            name: self.keys.encrypt_str(&ctx("name", &id), &contact.name),
            email: self.keys.encrypt_str(&ctx("email", &id), &contact.email),
            organisation: contact.organisation.clone(),
            purpose: contact.purpose.clone(),
            retain_until: contact.retain_until.to_string(),
            created_by: principal.user.id.clone(),
            created_at: self.now(),
        };
        let event = self.network_event(
            principal,
            AuditAction::NetworkChanged,
            &network.id,
            format!("contact_added contact={id} retain_until={}", contact.retain_until),
        );
        self.store.add_network_contact(&row, &event).await?;
        Ok(ContactView { id, contact })
    }

    /// Deletes every contact past its retention on today (the system's sweep); how many.
    /// Audited `network_contacts_purged` when any was deleted.
    pub async fn purge_network_contacts(&self) -> AppResult<u64> {
        let today = self.today();
        let mut expired = Vec::new();
        for row in self.store.network_contacts(None).await? {
            let retain_until = CalendarDate::parse("retain_until", &row.retain_until).map_err(internal)?;
            if is_past_retention(retain_until, today) {
                expired.push(row.id);
            }
        }
        if expired.is_empty() {
            return Ok(0);
        }
        let event = AuditEvent::new(self.now(), AuditAction::NetworkContactsPurged, AuditOutcome::Success)
            .on("network_contacts", "retention", None)
            .detail(format!("deleted={} today={today}", expired.len()));
        Ok(self.store.delete_network_contacts(&expired, &event).await?)
    }

    /// Records a meeting of a network (its agenda and minutes).
    pub async fn record_meeting(
        &self,
        principal: &Principal,
        network_id: &str,
        input: &MeetingInput,
    ) -> AppResult<Meeting> {
        self.require(principal, Permission::RecordMonitoring).await?;
        let (network, _) = self.find_network(network_id).await?;
        self.monitoring_allowed(principal, network.scope, Permission::RecordMonitoring, ("network", network_id))
            .await?;
        let meeting = Meeting::parse(new_id(), network.id.clone(), input)?;
        let row = new_row(self, principal, &meeting.id, &network.id, network.scope, &meeting)?;
        let event = self.network_event(
            principal,
            AuditAction::NetworkChanged,
            &network.id,
            format!("meeting_recorded meeting={} held_on={}", meeting.id, meeting.held_on),
        );
        self.store.add_monitoring_record(RecordTable::NetworkMeetings, &row, &event).await?;
        Ok(meeting)
    }

    fn meeting_view(principal: &Principal, network: Network, meeting: Meeting, today: CalendarDate) -> MeetingView {
        MeetingView {
            may_record: Self::may_monitoring(principal, network.scope, Permission::RecordMonitoring),
            overdue: meeting.overdue(today).map(|a| a.number).collect(),
            network,
            meeting,
            today,
        }
    }

    /// A meeting of a network with its agenda, minutes and actions arising.
    pub async fn meeting(&self, principal: &Principal, meeting_id: &str) -> AppResult<MeetingView> {
        self.require(principal, Permission::ReadMonitoring).await?;
        let (network, meeting, _) = self.find_meeting(meeting_id).await?;
        self.monitoring_allowed(principal, network.scope, Permission::ReadMonitoring, ("network", &network.id)).await?;
        self.audit_network_read(principal, &network.id, format!("meeting={}", meeting.id)).await?;
        Ok(Self::meeting_view(principal, network, meeting, self.today()))
    }

    /// Changes a meeting (an action arising added or its status set) made on the version read.
    async fn change_meeting(
        &self,
        principal: &Principal,
        meeting_id: &str,
        change: impl FnOnce(&mut Meeting) -> AppResult<String>,
    ) -> AppResult<MeetingView> {
        self.require(principal, Permission::RecordMonitoring).await?;
        let (network, mut meeting, mut row) = self.find_meeting(meeting_id).await?;
        self.monitoring_allowed(principal, network.scope, Permission::RecordMonitoring, ("network", &network.id))
            .await?;
        let detail = change(&mut meeting)?;
        let read_at = row.updated_at;
        row.body = serde_json::to_string(&meeting).map_err(internal)?;
        row.updated_at = self.now().max(read_at + 1);
        let event = self.network_event(
            principal,
            AuditAction::NetworkChanged,
            &network.id,
            format!("meeting={} {detail}", meeting.id),
        );
        self.store.replace_monitoring_record(RecordTable::NetworkMeetings, &row, read_at, &event).await?;
        Ok(Self::meeting_view(principal, network, meeting, self.today()))
    }

    /// Adds an action arising to a meeting.
    pub async fn add_arising_action(
        &self,
        principal: &Principal,
        meeting_id: &str,
        input: &ArisingInput,
    ) -> AppResult<MeetingView> {
        self.change_meeting(principal, meeting_id, |meeting| {
            let number = meeting.add_action(input)?;
            Ok(format!("action_added number={number}"))
        })
        .await
    }

    /// Sets the status of an action arising; audited with the status it moved from and to.
    pub async fn set_arising_status(
        &self,
        principal: &Principal,
        meeting_id: &str,
        input: &ArisingStatusInput,
    ) -> AppResult<MeetingView> {
        self.change_meeting(principal, meeting_id, |meeting| {
            let before: ArisingStatus = meeting.set_status(input)?;
            Ok(format!("action_status number={} status={before}->{}", input.number.trim(), input.status.trim()))
        })
        .await
    }

    /// The actions arising overdue on today of every network the principal may read, most
    /// overdue first (for the coordinator's dashboard). Audited as one read.
    pub async fn arising_overdue(&self, principal: &Principal) -> AppResult<Vec<OverdueArising>> {
        self.require(principal, Permission::ReadMonitoring).await?;
        let today = self.today();
        let mut out = Vec::new();
        for row in self.store.monitoring_records(RecordTable::Networks, None).await? {
            let network: Network = body_of(&row)?;
            if !Self::may_monitoring(principal, network.scope, Permission::ReadMonitoring) {
                continue;
            }
            for meeting in self.meetings_of(&network.id).await? {
                for action in meeting.actions.iter().filter(|a| is_arising_overdue(a, today)) {
                    out.push(OverdueArising {
                        network_id: network.id.clone(),
                        network: network.name.clone(),
                        kind: network.kind,
                        scope: network.scope,
                        meeting_id: meeting.id.clone(),
                        meeting: meeting.title.clone(),
                        held_on: meeting.held_on,
                        number: action.number,
                        text: action.text.clone(),
                        owner: action.owner.clone(),
                        due_on: action.due_on,
                        days_overdue: action.due_on.days_until(today),
                    });
                }
            }
        }
        out.sort_by(|a, b| b.days_overdue.cmp(&a.days_overdue).then_with(|| a.number.cmp(&b.number)));
        self.audit_network_read(principal, "overdue", format!("overdue={}", out.len())).await?;
        Ok(out)
    }
}
