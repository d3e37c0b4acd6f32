//! Queries of assistance, support and protection: assessments, support plans, the provider
//! directory with live capacity, referrals, and typed support records.

use crate::{Result, StorageError, Store};
use haven_domain::audit::AuditEvent;

/// One version of a risk and needs assessment (record: ciphertext).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AssessmentRow {
    pub case_id: String,
    pub seq: i64,
    pub state: String,
    pub risk_level: String,
    pub child: i64,
    pub assessed_on: String,
    pub record: Vec<u8>,
    pub created_by: String,
    pub created_at: i64,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<i64>,
    pub return_reason: Option<Vec<u8>>,
}

/// A service of a support plan (record: ciphertext).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PlanItemRow {
    pub id: String,
    pub case_id: String,
    pub service: String,
    pub organisation_id: String,
    pub provider_id: Option<String>,
    pub status: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub record: Vec<u8>,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// A support provider (record: JSON, not personal data).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProviderRow {
    pub id: String,
    pub jurisdiction: String,
    pub organisation_id: Option<String>,
    pub name: String,
    pub record: String,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// Capacity and live occupancy of one service of a provider.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProviderServiceRow {
    pub provider_id: String,
    pub service: String,
    pub capacity: Option<i64>,
    pub occupied: i64,
}

/// A referral (consent, shared snapshot and message: ciphertext).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReferralRow {
    pub id: String,
    pub case_id: String,
    pub kind: String,
    pub service: Option<String>,
    pub from_organisation_id: String,
    pub to_organisation_id: String,
    pub provider_id: Option<String>,
    pub state: String,
    pub urgent: i64,
    pub consent_basis: String,
    pub consent: Vec<u8>,
    pub shared_fields: String,
    pub shared: Vec<u8>,
    pub message: Option<Vec<u8>>,
    pub holds_place: i64,
    pub due_on: Option<String>,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// One change of a referral (note: ciphertext).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReferralEventRow {
    pub referral_id: String,
    pub seq: i64,
    pub state: String,
    pub note: Option<Vec<u8>>,
    pub by_user: String,
    pub by_organisation: String,
    pub at: i64,
}

/// A typed support record (body: ciphertext).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SupportRecordRow {
    pub id: String,
    pub case_id: String,
    pub kind: String,
    pub status: String,
    pub body: Vec<u8>,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// What a change of referral state does to the provider's places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceChange {
    None,
    /// Take one free place; fails with [`StorageError::NoFreePlace`] when none is left.
    Hold,
    Release,
}

/// A change of a referral's state, written with its event in one transaction.
#[derive(Debug, Clone)]
pub struct ReferralChange<'a> {
    pub id: &'a str,
    pub expected_version: i64,
    pub state: &'a str,
    pub due_on: Option<&'a str>,
    /// Whether the referral holds a place after the change: what `place` makes of the stored
    /// flag (Hold: true, Release: false, None: unchanged), else a conflict.
    pub holds_place: bool,
    /// Hold only for a referral holding no place, Release only for one holding a place; else a
    /// conflict, so that the places in use stay the number of referrals holding one.
    pub place: PlaceChange,
    pub event: &'a ReferralEventRow,
    /// A transfer accepted: the case's new owner, and the share the sender keeps
    /// (compartment codes; empty: none).
    pub transfer_to: Option<(&'a str, &'a str)>,
    pub at: i64,
    pub by: &'a str,
}

const ASSESSMENT_COLUMNS: &str = "case_id, seq, state, risk_level, child, assessed_on, record, created_by, created_at, \
                                  reviewed_by, reviewed_at, return_reason";
const PLAN_COLUMNS: &str = "id, case_id, service, organisation_id, provider_id, status, starts_on, ends_on, record, \
                            version, created_by, created_at, updated_by, updated_at";
const REFERRAL_COLUMNS: &str = "id, case_id, kind, service, from_organisation_id, to_organisation_id, provider_id, \
                                state, urgent, consent_basis, consent, shared_fields, shared, message, holds_place, \
                                due_on, version, created_by, created_at, updated_by, updated_at";
const RECORD_COLUMNS: &str = "id, case_id, kind, status, body, version, created_by, created_at, updated_by, updated_at";

/// What `change_referral` reads of the referral: case, provider, service, sender, whether it
/// holds a place, version.
type Current = (String, Option<String>, Option<String>, String, i64, i64);

macro_rules! take_place {
    ($tx:ident, $provider:expr, $service:expr) => {{
        let done = sqlx::query(
            "UPDATE provider_services SET occupied = occupied + 1 WHERE provider_id = $1 AND service = $2 \
             AND (capacity IS NULL OR occupied < capacity)",
        )
        .bind($provider)
        .bind($service)
        .execute(&mut *$tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StorageError::NoFreePlace);
        }
    }};
}

macro_rules! insert_event {
    ($tx:ident, $e:expr) => {
        sqlx::query(
            "INSERT INTO referral_events (referral_id, seq, state, note, by_user, by_organisation, at) \
             VALUES ($1,$2,$3,$4,$5,$6,$7)",
        )
        .bind(&$e.referral_id)
        .bind($e.seq)
        .bind(&$e.state)
        .bind(&$e.note)
        .bind(&$e.by_user)
        .bind(&$e.by_organisation)
        .bind($e.at)
        .execute(&mut *$tx)
        .await?;
    };
}

impl Store {
    // ---- assessments -------------------------------------------------------------------

    /// Adds a version; a concurrent version with the same number is a conflict.
    pub async fn add_assessment(&self, row: &AssessmentRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO assessments ({ASSESSMENT_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)"
            )))
            .bind(&row.case_id)
            .bind(row.seq)
            .bind(&row.state)
            .bind(&row.risk_level)
            .bind(row.child)
            .bind(&row.assessed_on)
            .bind(&row.record)
            .bind(&row.created_by)
            .bind(row.created_at)
            .bind(&row.reviewed_by)
            .bind(row.reviewed_at)
            .bind(&row.return_reason)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// Records the review of a submitted version; a version no longer submitted is a conflict.
    #[allow(clippy::too_many_arguments)]
    pub async fn review_assessment(
        &self,
        case_id: &str,
        seq: i64,
        state: &str,
        reviewed_by: &str,
        reviewed_at: i64,
        return_reason: Option<&[u8]>,
        audit: &AuditEvent,
    ) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            let done = sqlx::query(
                "UPDATE assessments SET state = $1, reviewed_by = $2, reviewed_at = $3, return_reason = $4 \
                 WHERE case_id = $5 AND seq = $6 AND state = 'submitted'",
            )
            .bind(state)
            .bind(reviewed_by)
            .bind(reviewed_at)
            .bind(return_reason)
            .bind(case_id)
            .bind(seq)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StorageError::Conflict("the assessment was reviewed meanwhile".into()));
            }
        });
        Ok(())
    }

    pub async fn assessments(&self, case_id: &str) -> Result<Vec<AssessmentRow>> {
        Ok(on_pool!(self, |pool| sqlx::query_as::<_, AssessmentRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {ASSESSMENT_COLUMNS} FROM assessments WHERE case_id = $1 ORDER BY seq"
        )))
        .bind(case_id)
        .fetch_all(pool)
        .await?))
    }

    /// Submitted assessments of cases owned by the organisation, waiting for review.
    pub async fn assessments_to_review(&self, organisation_id: &str) -> Result<Vec<AssessmentRow>> {
        Ok(on_pool!(self, |pool| sqlx::query_as::<_, AssessmentRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM assessments a JOIN cases c ON c.id = a.case_id \
             WHERE c.owner_organisation_id = $1 AND a.state = 'submitted' ORDER BY a.created_at",
            ASSESSMENT_COLUMNS.split(", ").map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", ")
        )))
        .bind(organisation_id)
        .fetch_all(pool)
        .await?))
    }

    // ---- support plan -------------------------------------------------------------------

    pub async fn add_plan_item(&self, row: &PlanItemRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO plan_items ({PLAN_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)"
            )))
            .bind(&row.id)
            .bind(&row.case_id)
            .bind(&row.service)
            .bind(&row.organisation_id)
            .bind(&row.provider_id)
            .bind(&row.status)
            .bind(&row.starts_on)
            .bind(&row.ends_on)
            .bind(&row.record)
            .bind(row.version)
            .bind(&row.created_by)
            .bind(row.created_at)
            .bind(&row.updated_by)
            .bind(row.updated_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// Replaces a plan item if it is still at `expected_version` (optimistic locking).
    pub async fn update_plan_item(&self, row: &PlanItemRow, expected_version: i64, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            let done = sqlx::query(
                "UPDATE plan_items SET status = $1, ends_on = $2, record = $3, version = $4, updated_by = $5, \
                 updated_at = $6 WHERE id = $7 AND version = $8",
            )
            .bind(&row.status)
            .bind(&row.ends_on)
            .bind(&row.record)
            .bind(row.version)
            .bind(&row.updated_by)
            .bind(row.updated_at)
            .bind(&row.id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StorageError::Conflict("the service was changed meanwhile; reload it".into()));
            }
        });
        Ok(())
    }

    pub async fn plan_items(&self, case_id: &str) -> Result<Vec<PlanItemRow>> {
        Ok(on_pool!(self, |pool| sqlx::query_as::<_, PlanItemRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {PLAN_COLUMNS} FROM plan_items WHERE case_id = $1 ORDER BY starts_on, created_at, id"
        )))
        .bind(case_id)
        .fetch_all(pool)
        .await?))
    }

    // ---- providers ----------------------------------------------------------------------

    /// Creates a provider (`expected_version` None) or replaces it at that version. The
    /// services' capacities are set; live occupancy is kept. A capacity below the places in use
    /// is a conflict; a service in use cannot be removed.
    pub async fn put_provider(
        &self,
        row: &ProviderRow,
        services: &[(String, Option<i64>)],
        expected_version: Option<i64>,
        audit: &AuditEvent,
    ) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            match expected_version {
                None => {
                    sqlx::query(
                        "INSERT INTO providers (id, jurisdiction, organisation_id, name, record, version, updated_by, \
                         updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
                    )
                    .bind(&row.id)
                    .bind(&row.jurisdiction)
                    .bind(&row.organisation_id)
                    .bind(&row.name)
                    .bind(&row.record)
                    .bind(row.version)
                    .bind(&row.updated_by)
                    .bind(row.updated_at)
                    .execute(&mut *tx)
                    .await?;
                }
                Some(v) => {
                    let done = sqlx::query(
                        "UPDATE providers SET organisation_id = $1, name = $2, record = $3, version = $4, \
                         updated_by = $5, updated_at = $6 WHERE id = $7 AND version = $8",
                    )
                    .bind(&row.organisation_id)
                    .bind(&row.name)
                    .bind(&row.record)
                    .bind(row.version)
                    .bind(&row.updated_by)
                    .bind(row.updated_at)
                    .bind(&row.id)
                    .bind(v)
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() != 1 {
                        return Err(StorageError::Conflict("the provider was changed meanwhile; reload it".into()));
                    }
                }
            }
            let existing: Vec<(String, i64)> =
                sqlx::query_as("SELECT service, occupied FROM provider_services WHERE provider_id = $1")
                    .bind(&row.id)
                    .fetch_all(&mut *tx)
                    .await?;
            for (service, occupied) in &existing {
                if !services.iter().any(|(s, _)| s == service) {
                    if *occupied > 0 {
                        return Err(StorageError::Conflict(format!(
                            "{service} has {occupied} places in use and cannot be removed"
                        )));
                    }
                    // Conditional: a place taken since the read above keeps the service.
                    let done = sqlx::query(
                        "DELETE FROM provider_services WHERE provider_id = $1 AND service = $2 AND occupied = 0",
                    )
                    .bind(&row.id)
                    .bind(service)
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() != 1 {
                        return Err(StorageError::Conflict(format!(
                            "{service} has places in use and cannot be removed"
                        )));
                    }
                }
            }
            for (service, capacity) in services {
                if let (Some((_, occupied)), Some(c)) = (existing.iter().find(|(s, _)| s == service), capacity)
                    && c < occupied
                {
                    return Err(StorageError::Conflict(format!(
                        "{service}: capacity {c} is below the {occupied} places in use"
                    )));
                }
                // Conditional too: places taken since the read above count.
                let done = sqlx::query(
                    "INSERT INTO provider_services (provider_id, service, capacity, occupied) VALUES ($1, $2, $3, 0) \
                     ON CONFLICT (provider_id, service) DO UPDATE SET capacity = excluded.capacity \
                     WHERE excluded.capacity IS NULL OR provider_services.occupied <= excluded.capacity",
                )
                .bind(&row.id)
                .bind(service)
                .bind(capacity)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Err(StorageError::Conflict(format!(
                        "{service}: capacity {} is below the places in use",
                        capacity.unwrap_or_default()
                    )));
                }
            }
        });
        Ok(())
    }

    pub async fn providers(&self, jurisdiction: &str) -> Result<Vec<ProviderRow>> {
        Ok(on_pool!(self, |pool| sqlx::query_as::<_, ProviderRow>(
            "SELECT id, jurisdiction, organisation_id, name, record, version, updated_by, updated_at FROM providers \
             WHERE jurisdiction = $1 ORDER BY name, id"
        )
        .bind(jurisdiction)
        .fetch_all(pool)
        .await?))
    }

    pub async fn provider(&self, id: &str) -> Result<ProviderRow> {
        on_pool!(self, |pool| sqlx::query_as::<_, ProviderRow>(
            "SELECT id, jurisdiction, organisation_id, name, record, version, updated_by, updated_at FROM providers \
             WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await?)
        .ok_or(StorageError::NotFound)
    }

    /// Capacity and occupancy of every provider of a country.
    pub async fn provider_services(&self, jurisdiction: &str) -> Result<Vec<ProviderServiceRow>> {
        Ok(on_pool!(self, |pool| sqlx::query_as::<_, ProviderServiceRow>(
            "SELECT s.provider_id, s.service, s.capacity, s.occupied FROM provider_services s \
             JOIN providers p ON p.id = s.provider_id WHERE p.jurisdiction = $1 ORDER BY s.provider_id, s.service"
        )
        .bind(jurisdiction)
        .fetch_all(pool)
        .await?))
    }

    // ---- referrals ----------------------------------------------------------------------

    /// Creates a referral with its first event. A referral created as sent that holds a place
    /// takes it in the same transaction (or fails with [`StorageError::NoFreePlace`]).
    pub async fn create_referral(&self, row: &ReferralRow, event: &ReferralEventRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            if row.holds_place == 1 {
                let provider = row.provider_id.as_deref().ok_or(StorageError::NoFreePlace)?;
                take_place!(tx, provider, row.service.as_deref().unwrap_or(""));
            }
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO referrals ({REFERRAL_COLUMNS}) VALUES \
                 ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)"
            )))
            .bind(&row.id)
            .bind(&row.case_id)
            .bind(&row.kind)
            .bind(&row.service)
            .bind(&row.from_organisation_id)
            .bind(&row.to_organisation_id)
            .bind(&row.provider_id)
            .bind(&row.state)
            .bind(row.urgent)
            .bind(&row.consent_basis)
            .bind(&row.consent)
            .bind(&row.shared_fields)
            .bind(&row.shared)
            .bind(&row.message)
            .bind(row.holds_place)
            .bind(&row.due_on)
            .bind(row.version)
            .bind(&row.created_by)
            .bind(row.created_at)
            .bind(&row.updated_by)
            .bind(row.updated_at)
            .execute(&mut *tx)
            .await?;
            insert_event!(tx, event);
        });
        Ok(())
    }

    /// Changes a referral's state at the expected version, with its event, its effect on the
    /// provider's places and, for an accepted transfer, the new owner: all or nothing.
    pub async fn change_referral(&self, change: &ReferralChange<'_>, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            let current: Option<Current> = sqlx::query_as(
                "SELECT case_id, provider_id, service, from_organisation_id, holds_place, version FROM referrals \
                 WHERE id = $1",
            )
            .bind(change.id)
            .fetch_optional(&mut *tx)
            .await?;
            let (case_id, provider, service, from_org, holds_place, version) = current.ok_or(StorageError::NotFound)?;
            if version != change.expected_version {
                return Err(StorageError::Conflict("the referral was changed meanwhile; reload it".into()));
            }
            // The places in use stay the number of referrals holding one: a hold only for a
            // referral holding none, a release only of a place held, and the flag written is the
            // one that follows (the version check below makes the flag read here current).
            let holds = holds_place == 1;
            let holds_after = match change.place {
                PlaceChange::Hold if holds => {
                    return Err(StorageError::Conflict("the referral holds a place already".into()));
                }
                PlaceChange::Release if !holds => {
                    return Err(StorageError::Conflict("the referral holds no place to release".into()));
                }
                PlaceChange::Hold => true,
                PlaceChange::Release => false,
                PlaceChange::None => holds,
            };
            if change.holds_place != holds_after {
                return Err(StorageError::Conflict(format!(
                    "holds_place must be {holds_after} after {:?} on a referral that {} a place",
                    change.place,
                    if holds { "holds" } else { "holds no" }
                )));
            }
            match change.place {
                PlaceChange::None => {}
                PlaceChange::Hold => {
                    let provider = provider.as_deref().ok_or(StorageError::NoFreePlace)?;
                    take_place!(tx, provider, service.as_deref().unwrap_or(""));
                }
                PlaceChange::Release => {
                    sqlx::query(
                        "UPDATE provider_services SET occupied = occupied - 1 WHERE provider_id = $1 AND service = $2 \
                         AND occupied > 0",
                    )
                    .bind(provider.as_deref().unwrap_or(""))
                    .bind(service.as_deref().unwrap_or(""))
                    .execute(&mut *tx)
                    .await?;
                }
            }
            let done = sqlx::query(
                "UPDATE referrals SET state = $1, due_on = $2, holds_place = $3, version = $4, updated_by = $5, \
                 updated_at = $6 WHERE id = $7 AND version = $8",
            )
            .bind(change.state)
            .bind(change.due_on)
            .bind(i64::from(change.holds_place))
            .bind(change.expected_version + 1)
            .bind(change.by)
            .bind(change.at)
            .bind(change.id)
            .bind(change.expected_version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StorageError::Conflict("the referral was changed meanwhile; reload it".into()));
            }
            insert_event!(tx, change.event);
            if let Some((new_owner, sender_keeps)) = change.transfer_to {
                sqlx::query("UPDATE cases SET owner_organisation_id = $1 WHERE id = $2")
                    .bind(new_owner)
                    .bind(&case_id)
                    .execute(&mut *tx)
                    .await?;
                // the receiver owns the case now: a share of its own is pointless
                sqlx::query("DELETE FROM case_shares WHERE case_id = $1 AND organisation_id = $2")
                    .bind(&case_id)
                    .bind(new_owner)
                    .execute(&mut *tx)
                    .await?;
                if !sender_keeps.is_empty() {
                    sqlx::query(
                        "INSERT INTO case_shares (case_id, organisation_id, compartments, shared_by, created_at) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id, organisation_id) DO UPDATE SET \
                         compartments = excluded.compartments",
                    )
                    .bind(&case_id)
                    .bind(&from_org)
                    .bind(sender_keeps)
                    .bind(change.by)
                    .bind(change.at)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        });
        Ok(())
    }

    /// Adds a follow-up note (an event in the same state) and moves the due date.
    pub async fn follow_up_referral(
        &self,
        id: &str,
        expected_version: i64,
        due_on: Option<&str>,
        event: &ReferralEventRow,
        audit: &AuditEvent,
    ) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            let done = sqlx::query(
                "UPDATE referrals SET due_on = $1, version = version + 1, updated_by = $2, updated_at = $3 \
                 WHERE id = $4 AND version = $5",
            )
            .bind(due_on)
            .bind(&event.by_user)
            .bind(event.at)
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StorageError::Conflict("the referral was changed meanwhile; reload it".into()));
            }
            insert_event!(tx, event);
        });
        Ok(())
    }

    pub async fn referral(&self, id: &str) -> Result<ReferralRow> {
        on_pool!(self, |pool| sqlx::query_as::<_, ReferralRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?)
        .ok_or(StorageError::NotFound)
    }

    pub async fn referrals_of_case(&self, case_id: &str) -> Result<Vec<ReferralRow>> {
        Ok(on_pool!(self, |pool| sqlx::query_as::<_, ReferralRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE case_id = $1 ORDER BY created_at, id"
        )))
        .bind(case_id)
        .fetch_all(pool)
        .await?))
    }

    /// Referrals an organisation sent (`outgoing`) or received, newest first. The receiver sees
    /// a referral once it was sent: never a draft, nor a draft withdrawn before it was sent
    /// (its history holds no state but draft and withdrawn).
    pub async fn referrals_of_organisation(&self, organisation_id: &str, outgoing: bool) -> Result<Vec<ReferralRow>> {
        let filter = if outgoing {
            "from_organisation_id = $1"
        } else {
            "to_organisation_id = $1 AND state <> 'draft' AND EXISTS (SELECT 1 FROM referral_events e \
             WHERE e.referral_id = referrals.id AND e.state NOT IN ('draft', 'withdrawn'))"
        };
        Ok(on_pool!(self, |pool| sqlx::query_as::<_, ReferralRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE {filter} ORDER BY updated_at DESC, id"
        )))
        .bind(organisation_id)
        .fetch_all(pool)
        .await?))
    }

    pub async fn referral_events(&self, referral_id: &str) -> Result<Vec<ReferralEventRow>> {
        Ok(on_pool!(self, |pool| sqlx::query_as::<_, ReferralEventRow>(
            "SELECT referral_id, seq, state, note, by_user, by_organisation, at FROM referral_events \
             WHERE referral_id = $1 ORDER BY seq"
        )
        .bind(referral_id)
        .fetch_all(pool)
        .await?))
    }

    // ---- support records ----------------------------------------------------------------

    pub async fn add_support_record(&self, row: &SupportRecordRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO support_records ({RECORD_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)"
            )))
            .bind(&row.id)
            .bind(&row.case_id)
            .bind(&row.kind)
            .bind(&row.status)
            .bind(&row.body)
            .bind(row.version)
            .bind(&row.created_by)
            .bind(row.created_at)
            .bind(&row.updated_by)
            .bind(row.updated_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// Replaces a support record's body and status if still at `expected_version`.
    pub async fn update_support_record(
        &self,
        row: &SupportRecordRow,
        expected_version: i64,
        audit: &AuditEvent,
    ) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            let done = sqlx::query(
                "UPDATE support_records SET status = $1, body = $2, version = $3, updated_by = $4, updated_at = $5 \
                 WHERE id = $6 AND version = $7",
            )
            .bind(&row.status)
            .bind(&row.body)
            .bind(row.version)
            .bind(&row.updated_by)
            .bind(row.updated_at)
            .bind(&row.id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StorageError::Conflict("the record was changed meanwhile; reload it".into()));
            }
        });
        Ok(())
    }

    pub async fn support_records(&self, case_id: &str) -> Result<Vec<SupportRecordRow>> {
        Ok(on_pool!(self, |pool| sqlx::query_as::<_, SupportRecordRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {RECORD_COLUMNS} FROM support_records WHERE case_id = $1 ORDER BY created_at, id"
        )))
        .bind(case_id)
        .fetch_all(pool)
        .await?))
    }
}
