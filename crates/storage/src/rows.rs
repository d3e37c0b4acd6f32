//! Rows as stored. Coded values are parsed into domain types on the way out; identifiers and
//! free text are ciphertext (`Vec<u8>`) that only the application can open.

use haven_domain::access::{CaseShare, Compartment};
use haven_domain::audit::AuditEvent;
use haven_domain::case::Sex;
use haven_domain::{Jurisdiction, Language, OrganisationKind, Role};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DataKeyRow {
    pub id: i64,
    pub purpose: String,
    pub wrapped: Vec<u8>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrganisationRow {
    pub id: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: OrganisationKind,
    #[sqlx(try_from = "String")]
    pub jurisdiction: Jurisdiction,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub organisation_id: String,
    pub password_hash: String,
    pub disabled: bool,
    #[sqlx(try_from = "String")]
    pub language: Language,
    /// TOTP secret, encrypted.
    pub totp_secret: Option<Vec<u8>>,
    pub totp_last_step: Option<i64>,
    pub created_at: i64,
    #[sqlx(skip)]
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub token_hash: Vec<u8>,
    pub user_id: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiTokenRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub token_hash: Vec<u8>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked: bool,
    /// When the token stops working (unix seconds); `None` only for a row restored from a
    /// backup of the schema before expiry, which then counts from `created_at`.
    pub expires_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseRow {
    pub id: String,
    pub reference: String,
    pub owner_organisation_id: String,
    #[sqlx(try_from = "String")]
    pub jurisdiction: Jurisdiction,
    pub created_by: String,
    pub created_at: i64,
    #[sqlx(skip)]
    pub shares: Vec<CaseShare>,
}

/// A person's identity: every column but `sex` is ciphertext; `name_index` is a keyed hash for
/// exact-match search.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PersonRow {
    pub case_id: String,
    pub given_names: Vec<u8>,
    pub family_names: Vec<u8>,
    pub aliases: Vec<u8>,
    pub date_of_birth: Option<Vec<u8>>,
    #[sqlx(try_from = "String")]
    pub sex: Sex,
    pub name_index: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NoteRow {
    pub id: String,
    pub case_id: String,
    #[sqlx(try_from = "String")]
    pub compartment: Compartment,
    /// Ciphertext.
    pub body: Vec<u8>,
    pub author_id: String,
    pub author_organisation_id: String,
    pub created_at: i64,
}

/// One stored audit entry with its chain MAC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub seq: i64,
    pub event: AuditEvent,
    pub mac: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHead {
    pub seq: i64,
    pub mac: [u8; 32],
    pub head_mac: [u8; 32],
}

/// A registration: `record` is ciphertext; the other columns are coded, non-identifying values.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RegistrationRow {
    pub case_id: String,
    pub state: String,
    pub version: i64,
    /// Empty when read by [`Store::registration_codes_in`](crate::Store::registration_codes_in).
    #[sqlx(default)]
    pub record: Vec<u8>,
    pub referred_on: Option<String>,
    pub sex: String,
    pub age_group: String,
    pub child_status: String,
    pub citizenships: String,
    pub forms: String,
    pub guardian_appointed_on: Option<String>,
    pub nrm_status: Option<String>,
    pub rg_decided_on: Option<String>,
    pub cg_decided_on: Option<String>,
    pub assistance_since: Option<String>,
    pub reflection_from: Option<String>,
    pub updated_at: i64,
    pub updated_by: String,
    /// The identification procedure the case follows, pinned at referral.
    pub procedure_id: Option<String>,
}

/// How many referred (submitted) registrations of a jurisdiction share one combination of coded
/// columns ([`Store::referred_tally_in`](crate::Store::referred_tally_in)).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReferredTally {
    pub sex: String,
    pub child_status: String,
    pub forms: String,
    pub n: i64,
}

/// How many anonymous notifications of a jurisdiction share a sex and forms
/// ([`Store::notification_tally_in`](crate::Store::notification_tally_in)).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NotificationTally {
    pub sex: String,
    pub forms: String,
    pub n: i64,
}

/// The status columns of a registration, rewritten with each decision.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatusColumns {
    pub nrm_status: Option<String>,
    pub rg_decided_on: Option<String>,
    pub cg_decided_on: Option<String>,
    pub assistance_since: Option<String>,
    pub reflection_from: Option<String>,
}

/// A case with its registration's coded columns, for lists and dashboards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseOverviewRow {
    pub case: CaseRow,
    pub registration: Option<RegistrationRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DecisionRow {
    pub case_id: String,
    pub seq: i64,
    pub kind: String,
    pub decided_on: String,
    /// Ciphertext.
    pub reasons: Option<Vec<u8>>,
    pub corrects: Option<i64>,
    pub decided_by: String,
    pub organisation_id: String,
    pub recorded_at: i64,
    /// A commission's votes, as JSON.
    pub votes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseRecordRow {
    pub id: String,
    pub case_id: String,
    pub kind: String,
    #[sqlx(try_from = "String")]
    pub compartment: Compartment,
    /// Ciphertext.
    pub body: Vec<u8>,
    pub created_by: String,
    pub created_at: i64,
}

/// An anonymous notification: no identifying data.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: String,
    pub jurisdiction: String,
    pub organisation_id: String,
    pub organisation_kind: String,
    pub notified_on: String,
    pub sex: String,
    pub age_group: String,
    pub citizenship: String,
    pub forms: String,
    pub created_by: String,
    pub created_at: i64,
}
