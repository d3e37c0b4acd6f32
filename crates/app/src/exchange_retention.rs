//! Retention of the person encodings (docs/transnational.md, "Persons counted once across
//! borders", "Retention"). The encodings exist for one count: at the EU hub a year's encodings
//! are deleted once the year's count is published (every country's encodings of the year arrived
//! before the publication), or once the newest of them arrived a configured number of days ago,
//! whichever comes first; the count, the overlaps between countries and the method are kept
//! (`cross_border_counts`), and the count of that year is read from them afterwards. A sending
//! country keeps no copy: the body of a `person_encodings` message is replaced by an empty object
//! once the message is delivered, refused or expired (it is encoded afresh from the registrations
//! for each sending). Both run in the delivery loop, beside the purge of decided inbox messages,
//! and each deletion is audited `exchange_encodings_deleted` (year, rule, countries, counts; never
//! an encoding).
//!
//! Authorisation: publishing is the EU level's, as reading the count
//! ([`haven_domain::access::may_read_cross_border_persons`], decided by
//! [`App::cross_border_persons`]); the deletion is the system's.

use crate::exchange_persons::CrossBorderPersons;
use crate::ident::ctx;
use crate::{App, AppError, AppResult, Principal};
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_domain::message::MessageId;
use haven_exchange::messages::person_encodings;
use haven_storage::CrossBorderCountRow;

/// How long the hub keeps a year's encodings after the newest of them arrived, when the year's
/// count is not published before.
pub const DEFAULT_ENCODINGS_RETENTION_DAYS: i64 = 30;
const DAY: i64 = 86_400;

/// What a retention pass deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EncodingsPurge {
    /// The years whose encodings were deleted at the hub (their count kept).
    pub years: Vec<u16>,
    /// The countries' encodings deleted (one per country and year).
    pub encodings_deleted: u64,
    /// Bodies of sent `person_encodings` messages replaced by an empty object.
    pub sender_copies_cleared: u64,
}

fn internal(e: serde_json::Error) -> AppError {
    AppError::Internal(Box::new(e))
}

impl App {
    /// The count of `year`: from the encodings held, or, once they are deleted, the count kept.
    pub(crate) async fn count_cross_border(&self, year: u16) -> AppResult<CrossBorderPersons> {
        let count = self.count_cross_border_encodings(year).await?;
        if count.countries.is_empty()
            && count.left_out.is_empty()
            && let Some(kept) = self.store.cross_border_count(i64::from(year)).await?
            && kept.encodings_deleted_at.is_some()
        {
            return serde_json::from_str(&kept.result).map_err(internal);
        }
        Ok(count)
    }

    /// Publishes the EU count of distinct persons of `year` (the EU level, as reading it): the
    /// count is recorded as published, and the encodings it was made from are deleted at the next
    /// retention pass. Refused naming `year` when no country's encodings of the year are held.
    /// Audited `cross_border_persons_published`.
    pub async fn publish_cross_border_persons(
        &self,
        principal: &Principal,
        year: u16,
    ) -> AppResult<CrossBorderPersons> {
        let count = self.cross_border_persons(principal, year).await?;
        if count.countries.is_empty() {
            return Err(AppError::said(
                "year",
                "no country's encodings of this year are held: there is no count to publish",
                MessageId::ExchangeNothingToPublish,
            ));
        }
        let now = self.now();
        let row = CrossBorderCountRow {
            year: i64::from(year),
            result: serde_json::to_string(&count).map_err(internal)?,
            counted_at: now,
            published_at: Some(now),
            published_by: Some(principal.user.id.clone()),
            encodings_deleted_at: None,
        };
        let event = self
            .event(principal, AuditAction::CrossBorderPersonsPublished)
            .on("cross_border_persons", &year.to_string(), None)
            .detail(format!("distinct={} sum_of_national={}", count.distinct, count.sum_of_national));
        self.store.publish_cross_border_count(&row, &event).await?;
        Ok(count)
    }

    /// One retention pass at `now`. At the hub: the encodings of every year whose count was
    /// published after the newest of them arrived, or whose newest arrived `retention_days` or
    /// more ago, are deleted, the count from them kept. In a sending country: the bodies of sent
    /// `person_encodings` messages no longer needed are replaced by an empty object. Audited
    /// `exchange_encodings_deleted` per year, and once for the senders' copies.
    pub async fn purge_person_encodings(&self, now: i64, retention_days: i64) -> AppResult<EncodingsPurge> {
        let mut purge = EncodingsPurge::default();
        for held in self.store.person_encodings_years().await? {
            let Ok(year) = u16::try_from(held.year) else { continue };
            let published = self.store.cross_border_count(held.year).await?.and_then(|c| c.published_at);
            let rule = if published.is_some_and(|p| p >= held.newest_received_at) {
                "published"
            } else if held.newest_received_at.saturating_add(retention_days.max(0).saturating_mul(DAY)) <= now {
                "retention"
            } else {
                continue;
            };
            let count = self.count_cross_border_encodings(year).await?;
            let result = serde_json::to_string(&count).map_err(internal)?;
            let countries: Vec<&str> = count.countries.iter().map(|(c, _)| c.as_str()).collect();
            let event = AuditEvent::new(now, AuditAction::ExchangeEncodingsDeleted, AuditOutcome::Success)
                .on("person_encodings", &year.to_string(), None)
                .detail(format!(
                    "year={year} rule={rule} countries={} distinct={} sum_of_national={}",
                    countries.join(","),
                    count.distinct,
                    count.sum_of_national
                ));
            purge.encodings_deleted +=
                self.store.delete_person_encodings(held.year, &result, now, held.newest_received_at, &event).await?;
            purge.years.push(year);
        }
        let bodies: Vec<(String, Vec<u8>)> = self
            .store
            .sent_bodies_to_clear(person_encodings::MESSAGE_TYPE)
            .await?
            .into_iter()
            .map(|id| {
                let body = self.keys.encrypt_field(&ctx("exchange_outbox", "body", &id), b"{}");
                (id, body)
            })
            .collect();
        let event = AuditEvent::new(now, AuditAction::ExchangeEncodingsDeleted, AuditOutcome::Success).on(
            "exchange_outbox",
            person_encodings::MESSAGE_TYPE,
            None,
        );
        purge.sender_copies_cleared = self.store.clear_sent_bodies(&bodies, now, &event).await?;
        Ok(purge)
    }
}
