//! Queries of identification and the national referral mechanism.

use crate::{
    CaseOverviewRow, CaseRecordRow, CaseRow, DecisionRow, NotificationRow, PersonRow, RegistrationRow, Result,
    StatusColumns, StorageError, Store, SubjectKeyRow,
};
use haven_domain::audit::AuditEvent;

const REG_COLUMNS: &str = "case_id, state, version, record, referred_on, sex, age_group, child_status, citizenships, \
                           forms, guardian_appointed_on, nrm_status, rg_decided_on, cg_decided_on, assistance_since, \
                           reflection_from, updated_at, updated_by, procedure_id";

/// Lookups made by one statement of [`Store::cases_with_identifiers_each`].
const BOUNDED_LOOKUPS_PER_STATEMENT: usize = 100;

/// The numbers of lookups a statement of [`Store::cases_with_identifiers_each`] is written for.
const LOOKUP_SHAPES: [usize; 6] = [4, 8, 16, 32, 64, BOUNDED_LOOKUPS_PER_STATEMENT];

/// The value of a padding lookup (read with LIMIT 0, so never looked for).
const NO_VALUE: &[u8] = &[];

/// Ids bound in one `IN (...)` list at most (below SQLite's and PostgreSQL's parameter limits).
const IN_CHUNK: usize = 500;

/// One lookup of [`Store::cases_with_identifiers_each`]: the cases carrying `value` as an
/// identifier of `kind`, at most `limit` of them (all with `None`).
#[derive(Debug, Clone, Copy)]
pub struct IdentifierLookup<'a> {
    pub kind: &'a str,
    pub value: &'a [u8],
    pub limit: Option<usize>,
}

/// A case with its registration (`None` without one) and whether it is shared, read in one
/// statement by [`Store::matchable_case_overviews`].
struct MatchableRow {
    case: CaseRow,
    registration: Option<RegistrationRow>,
    shared: bool,
}

macro_rules! matchable_from_row {
    ($row:ty) => {
        impl<'r> sqlx::FromRow<'r, $row> for MatchableRow {
            fn from_row(row: &'r $row) -> std::result::Result<Self, sqlx::Error> {
                use sqlx::Row;
                let case = CaseRow::from_row(row)?;
                let registration = match row.try_get::<Option<String>, _>("case_id")? {
                    Some(_) => Some(RegistrationRow::from_row(row)?),
                    None => None,
                };
                Ok(Self { case, registration, shared: row.try_get("shared")? })
            }
        }
    };
}
matchable_from_row!(sqlx::sqlite::SqliteRow);
matchable_from_row!(sqlx::postgres::PgRow);

/// `$first, $first+1, ...`: `n` numbered parameters.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Exact identifiers of a person as keyed blind indexes: (kind, index).
pub type Identifiers = [(String, Vec<u8>)];

/// Whether a transaction's database takes several statements in one call, numbered parameters
/// (`$N`) counting across them: SQLite does; PostgreSQL's extended protocol does not.
pub(crate) fn several_statements_at_once<DB: sqlx::Database>(_: &sqlx::Transaction<'_, DB>) -> bool {
    DB::NAME == "SQLite"
}

/// `INSERT INTO identifier_index` of `rows` rows of one case: the case id is parameter
/// `$case`, the rows' kinds and values follow from `$first`.
pub(crate) fn identifier_insert(case: usize, first: usize, rows: usize) -> String {
    let values: Vec<String> =
        (0..rows).map(|i| format!("(${case}, ${}, ${})", first + 2 * i, first + 2 * i + 1)).collect();
    format!("INSERT INTO identifier_index (case_id, kind, value) VALUES {} ON CONFLICT DO NOTHING", values.join(", "))
}

/// SQLite's `INSERT INTO identifier_index` of one case's rows, given as one JSON array
/// ([`identifier_list`]) at `$list`, the case id at `$case`: one statement whatever the number
/// of rows, so it is prepared once per connection (rows written as `VALUES` would make a new
/// statement for every count).
pub(crate) fn identifier_insert_listed(case: usize, list: usize) -> String {
    format!(
        "INSERT INTO identifier_index (case_id, kind, value) \
         SELECT ${case}, j.value ->> 0, unhex(j.value ->> 1) FROM json_each(${list}) AS j WHERE true \
         ON CONFLICT DO NOTHING"
    )
}

/// A case's identifier rows as the JSON array of [`identifier_insert_listed`]: `[kind, hex value]`.
pub(crate) fn identifier_list(ids: &Identifiers) -> String {
    serde_json::Value::Array(ids.iter().map(|(kind, value)| serde_json::json!([kind, hex::encode(value)])).collect())
        .to_string()
}

/// Writes a case's identifier rows, the old ones deleted first (`new`: a new case has none).
macro_rules! put_identifiers {
    ($tx:ident, $case_id:expr, $ids:expr) => {
        sqlx::query("DELETE FROM identifier_index WHERE case_id = $1").bind($case_id).execute(&mut *$tx).await?;
        put_identifiers!(new, $tx, $case_id, $ids);
    };
    (new, $tx:ident, $case_id:expr, $ids:expr) => {
        // Many rows per statement: a case has a few dozen keys, and each statement is a round
        // trip while the write lock is held (on SQLite all in one, the same statement for any
        // number of rows).
        let ids: &$crate::ident::Identifiers = $ids;
        if $crate::ident::several_statements_at_once(&$tx) {
            sqlx::query(sqlx::AssertSqlSafe($crate::ident::identifier_insert_listed(1, 2)))
                .bind($case_id)
                .bind($crate::ident::identifier_list(ids))
                .execute(&mut *$tx)
                .await?;
        } else {
            for chunk in ids.chunks($crate::ident::IDENTIFIER_ROWS_PER_INSERT) {
                let sql = $crate::ident::identifier_insert(1, 2, chunk.len());
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind($case_id);
                for (kind, value) in chunk {
                    q = q.bind(kind).bind(value);
                }
                q.execute(&mut *$tx).await?;
            }
        }
    };
}

/// Identifier rows written by one statement (three parameters each, far below both engines' limits).
pub(crate) const IDENTIFIER_ROWS_PER_INSERT: usize = 200;

/// The person row's upsert, its 7 parameters from `$first`.
pub(crate) fn person_upsert(first: usize) -> String {
    format!(
        "INSERT INTO persons (case_id, given_names, family_names, aliases, date_of_birth, sex, name_index) \
         VALUES ({}) ON CONFLICT (case_id) DO UPDATE SET \
         given_names = excluded.given_names, family_names = excluded.family_names, aliases = excluded.aliases, \
         date_of_birth = excluded.date_of_birth, sex = excluded.sex, name_index = excluded.name_index",
        placeholders(first, 7)
    )
}

macro_rules! bind_person {
    ($q:expr, $person:expr) => {
        $q.bind(&$person.case_id)
            .bind(&$person.given_names)
            .bind(&$person.family_names)
            .bind(&$person.aliases)
            .bind(&$person.date_of_birth)
            .bind(haven_domain::Coded::code($person.sex))
            .bind(&$person.name_index)
    };
}

macro_rules! put_person {
    ($tx:ident, $person:expr) => {
        bind_person!(sqlx::query(sqlx::AssertSqlSafe($crate::ident::person_upsert(1))), $person)
            .execute(&mut *$tx)
            .await?;
    };
}

/// The new case's row, its 6 parameters from `$first`.
pub(crate) fn case_insert(first: usize) -> String {
    format!(
        "INSERT INTO cases (id, reference, owner_organisation_id, jurisdiction, created_by, created_at) VALUES ({})",
        placeholders(first, 6)
    )
}

/// The new registration's row, its 19 parameters from `$first`.
pub(crate) fn registration_insert(first: usize) -> String {
    format!("INSERT INTO registrations ({REG_COLUMNS}) VALUES ({})", placeholders(first, 19))
}

macro_rules! bind_case {
    ($q:expr, $case:expr) => {{
        let case: &CaseRow = $case;
        $q.bind(&case.id)
            .bind(&case.reference)
            .bind(&case.owner_organisation_id)
            .bind(case.jurisdiction.code())
            .bind(&case.created_by)
            .bind(case.created_at)
    }};
}

macro_rules! bind_registration {
    ($q:expr, $reg:expr) => {{
        let reg: &RegistrationRow = $reg;
        $q.bind(&reg.case_id)
            .bind(&reg.state)
            .bind(reg.version)
            .bind(&reg.record)
            .bind(&reg.referred_on)
            .bind(&reg.sex)
            .bind(&reg.age_group)
            .bind(&reg.child_status)
            .bind(&reg.citizenships)
            .bind(&reg.forms)
            .bind(&reg.guardian_appointed_on)
            .bind(&reg.nrm_status)
            .bind(&reg.rg_decided_on)
            .bind(&reg.cg_decided_on)
            .bind(&reg.assistance_since)
            .bind(&reg.reflection_from)
            .bind(reg.updated_at)
            .bind(&reg.updated_by)
            .bind(&reg.procedure_id)
    }};
}

/// Inserts a new case with its person, registration and identifier indexes inside an open
/// transaction (the caller checked that the rows belong to the case). On SQLite it is one call
/// (one round trip to the database thread while the write lock is held), the same statement for
/// every case; on PostgreSQL one statement per table.
macro_rules! insert_registration {
    ($tx:ident, $case:expr, $person:expr, $reg:expr, $identifiers:expr) => {{
        let case: &CaseRow = $case;
        let ids: &$crate::ident::Identifiers = $identifiers;
        // cases $1-$6, persons $7-$13, registrations $14-$32, the identifier rows $33
        if $crate::ident::several_statements_at_once(&$tx) {
            let sql = format!(
                "{}; {}; {}; {}",
                $crate::ident::case_insert(1),
                $crate::ident::person_upsert(7),
                $crate::ident::registration_insert(14),
                $crate::ident::identifier_insert_listed(1, 33)
            );
            let q = sqlx::query(sqlx::AssertSqlSafe(sql));
            bind_registration!(bind_person!(bind_case!(q, case), $person), $reg)
                .bind($crate::ident::identifier_list(ids))
                .execute(&mut *$tx)
                .await?;
        } else {
            bind_case!(sqlx::query(sqlx::AssertSqlSafe($crate::ident::case_insert(1))), case)
                .execute(&mut *$tx)
                .await?;
            put_person!($tx, $person);
            bind_registration!(sqlx::query(sqlx::AssertSqlSafe($crate::ident::registration_insert(1))), $reg)
                .execute(&mut *$tx)
                .await?;
            put_identifiers!(new, $tx, &case.id, ids);
        }
    }};
}

/// A new case's subject key, wrapped, for [`Store::create_registration_with_key`].
#[derive(Debug, Clone, Copy)]
pub struct NewSubjectKey<'a> {
    pub wrapping_key_id: i64,
    pub wrapped: &'a [u8],
    pub created_at: i64,
}

/// One new case of [`Store::create_registrations`]: the case, its person, its registration, its identifier
/// indexes, and the audit entry that records its creation.
#[derive(Debug, Clone, Copy)]
pub struct NewRegistration<'a> {
    pub case: &'a CaseRow,
    pub person: &'a PersonRow,
    pub registration: &'a RegistrationRow,
    pub identifiers: &'a Identifiers,
    pub audit: &'a AuditEvent,
}

impl NewSubjectKey<'_> {
    /// The key's row once the store gave it `id`.
    fn row(&self, id: i64, case_id: &str) -> SubjectKeyRow {
        SubjectKeyRow {
            id,
            case_id: case_id.to_owned(),
            wrapping_key_id: Some(self.wrapping_key_id),
            wrapped: Some(self.wrapped.to_vec()),
            created_at: self.created_at,
            destroyed_at: None,
        }
    }
}

impl NewRegistration<'_> {
    /// The person and registration rows `rows` makes under the new case's key row, checked to
    /// belong to the case; a conflict when they cannot be made.
    fn made<F>(
        rows: F,
        key: &SubjectKeyRow,
        case: &CaseRow,
        identifiers: &Identifiers,
        audit: &AuditEvent,
    ) -> Result<(PersonRow, RegistrationRow)>
    where
        F: FnOnce(&SubjectKeyRow) -> Option<(PersonRow, RegistrationRow)>,
    {
        let Some((person, registration)) = rows(key) else {
            return Err(StorageError::Conflict("the new case's rows could not be made".into()));
        };
        NewRegistration { case, person: &person, registration: &registration, identifiers, audit }.check()?;
        Ok((person, registration))
    }

    fn check(&self) -> Result<()> {
        if self.person.case_id != self.case.id || self.registration.case_id != self.case.id {
            return Err(StorageError::Conflict("the person and the registration must belong to the new case".into()));
        }
        Ok(())
    }
}

impl Store {
    /// Creates a case with its person, registration and identifier indexes, audited, in one transaction.
    pub async fn create_registration(
        &self,
        case: &CaseRow,
        person: &PersonRow,
        reg: &RegistrationRow,
        identifiers: &Identifiers,
        audit: &AuditEvent,
    ) -> Result<()> {
        NewRegistration { case, person, registration: reg, identifiers, audit }.check()?;
        audited_tx!(self, audit, |tx| {
            insert_registration!(tx, case, person, reg, identifiers);
        });
        Ok(())
    }

    /// Creates a case as [`Store::create_registration`] does, with its subject key in the same
    /// transaction: the key row is written first, `rows` then makes the person and registration
    /// rows under it (their ciphertext names the key's id, which the key store gives), and
    /// everything commits together. One write instead of two, and no key is left for a case that
    /// was never written. `rows` returning `None` writes nothing and gives a conflict.
    pub async fn create_registration_with_key<F>(
        &self,
        case: &CaseRow,
        key: NewSubjectKey<'_>,
        rows: F,
        identifiers: &Identifiers,
        audit: &AuditEvent,
    ) -> Result<SubjectKeyRow>
    where
        F: FnOnce(&SubjectKeyRow) -> Option<(PersonRow, RegistrationRow)>,
    {
        if let crate::Backend::Sqlite(pool) = &self.backend {
            return self.create_registration_with_key_sqlite(pool, case, key, rows, identifiers, audit).await;
        }
        let row = audited_tx!(self, audit, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO subject_keys (case_id, wrapping_key_id, wrapped, created_at) VALUES ($1, $2, $3, $4) \
                 RETURNING id",
            )
            .bind(&case.id)
            .bind(key.wrapping_key_id)
            .bind(key.wrapped)
            .bind(key.created_at)
            .fetch_one(&mut *tx)
            .await?;
            let row = key.row(id, &case.id);
            let (person, registration) = NewRegistration::made(rows, &row, case, identifiers, audit)?;
            insert_registration!(tx, case, &person, &registration, identifiers);
            row
        });
        Ok(row)
    }

    /// [`Store::create_registration_with_key`] on SQLite, as one member of the group commit
    /// (`group_commit`: registrations saved at once share a transaction, each in its savepoint)
    /// in two calls: the key's row, returning its id with the audit head; every row of the case
    /// with the audit entry and the new head in one call (parameters numbered across the
    /// statements).
    async fn create_registration_with_key_sqlite<F>(
        &self,
        pool: &sqlx::SqlitePool,
        case: &CaseRow,
        key: NewSubjectKey<'_>,
        rows: F,
        identifiers: &Identifiers,
        audit: &AuditEvent,
    ) -> Result<SubjectKeyRow>
    where
        F: FnOnce(&SubjectKeyRow) -> Option<(PersonRow, RegistrationRow)>,
    {
        let signer = self.signer.as_ref().ok_or(StorageError::NoAuditSigner)?;
        self.sqlite_group_write(pool, async |conn: &mut sqlx::SqliteConnection| {
            let (id, head_seq, head_mac): (i64, Option<i64>, Option<Vec<u8>>) = sqlx::query_as(
                "INSERT INTO subject_keys (case_id, wrapping_key_id, wrapped, created_at) VALUES ($1, $2, $3, $4) \
                 RETURNING id, (SELECT seq FROM audit_head WHERE id = 1), (SELECT mac FROM audit_head WHERE id = 1)",
            )
            .bind(&case.id)
            .bind(key.wrapping_key_id)
            .bind(key.wrapped)
            .bind(key.created_at)
            .fetch_one(&mut *conn)
            .await?;
            let row = key.row(id, &case.id);
            // An error rolls back this registration's savepoint.
            let (person, registration) = NewRegistration::made(rows, &row, case, identifiers, audit)?;
            let head = head_seq.zip(head_mac);
            let (seq, mac, new_head_mac) = crate::audit_chained(signer.as_ref(), head, audit)?;
            // cases $1-$6, persons $7-$13, registrations $14-$32, the identifier rows $33, then the
            // audit entry's 12 and the head's MAC: the same statement for every registration.
            let sql = format!(
                "{}; {}; {}; {}; {}; {}",
                case_insert(1),
                person_upsert(7),
                registration_insert(14),
                identifier_insert_listed(1, 33),
                crate::audit_entry_insert(34),
                crate::audit_head_upsert(34, 45, 46)
            );
            let q = sqlx::query(sqlx::AssertSqlSafe(sql));
            let q = bind_registration!(bind_person!(bind_case!(q, case), &person), &registration);
            let q = q.bind(identifier_list(identifiers));
            bind_audit_entry!(q, seq, audit, mac).bind(new_head_mac.to_vec()).execute(&mut *conn).await?;
            Ok(row)
        })
        .await
    }

    /// Creates several cases, each with its person, registration, identifier indexes and audit entry, and
    /// then appends `audit` (what the whole write was, an import), all in one transaction: either every
    /// case is written or none is.
    pub async fn create_registrations(&self, cases: &[NewRegistration<'_>], audit: &AuditEvent) -> Result<()> {
        for new in cases {
            new.check()?;
        }
        match &self.backend {
            crate::Backend::Sqlite(pool) => {
                let _turn = self.sqlite_write_turn().await;
                let mut tx = self.sqlite_writer(pool).begin_with("BEGIN IMMEDIATE").await?;
                for new in cases {
                    insert_registration!(tx, new.case, new.person, new.registration, new.identifiers);
                    audit_in!(sqlite, self, tx, new.audit);
                }
                audit_in!(sqlite, self, tx, audit);
                tx.commit().await?;
            }
            crate::Backend::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                for new in cases {
                    insert_registration!(tx, new.case, new.person, new.registration, new.identifiers);
                    audit_in!(postgres, self, tx, new.audit);
                }
                audit_in!(postgres, self, tx, audit);
                tx.commit().await?;
            }
        }
        Ok(())
    }

    /// Replaces a registration's record if it is still at `expected_version` (optimistic
    /// concurrency: two people editing one draft, the second save is a conflict). The new row
    /// carries `expected_version + 1`. Status columns are left as they are.
    pub async fn update_registration(
        &self,
        person: &PersonRow,
        reg: &RegistrationRow,
        expected_version: i64,
        identifiers: &Identifiers,
        audit: &AuditEvent,
    ) -> Result<()> {
        if person.case_id != reg.case_id {
            return Err(StorageError::Conflict("the person and the registration must belong to the same case".into()));
        }
        audited_tx!(self, audit, |tx| {
            let done = sqlx::query(
                "UPDATE registrations SET state = $1, version = $2, record = $3, referred_on = $4, sex = $5, \
                 age_group = $6, child_status = $7, citizenships = $8, forms = $9, guardian_appointed_on = $10, \
                 nrm_status = COALESCE(nrm_status, $11), updated_at = $12, updated_by = $13, \
                 procedure_id = COALESCE(procedure_id, $16), assistance_since = COALESCE(assistance_since, $17), \
                 reflection_from = COALESCE(reflection_from, $18) WHERE case_id = $14 AND version = $15",
            )
            .bind(&reg.state)
            .bind(
                expected_version
                    .checked_add(1)
                    .ok_or_else(|| StorageError::Conflict("the version cannot be counted further".into()))?,
            )
            .bind(&reg.record)
            .bind(&reg.referred_on)
            .bind(&reg.sex)
            .bind(&reg.age_group)
            .bind(&reg.child_status)
            .bind(&reg.citizenships)
            .bind(&reg.forms)
            .bind(&reg.guardian_appointed_on)
            .bind(&reg.nrm_status)
            .bind(reg.updated_at)
            .bind(&reg.updated_by)
            .bind(&reg.case_id)
            .bind(expected_version)
            .bind(&reg.procedure_id)
            .bind(&reg.assistance_since)
            .bind(&reg.reflection_from)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StorageError::Conflict(
                    "the registration was changed by someone else since it was loaded; reload it".into(),
                ));
            }
            put_person!(tx, person);
            put_identifiers!(tx, &reg.case_id, identifiers);
        });
        Ok(())
    }

    pub async fn registration(&self, case_id: &str) -> Result<Option<RegistrationRow>> {
        let sql = format!("SELECT {REG_COLUMNS} FROM registrations WHERE case_id = $1");
        let row = on_pool!(self, |pool| sqlx::query_as::<_, RegistrationRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(case_id)
            .fetch_optional(pool)
            .await?);
        Ok(row)
    }

    /// Cases an organisation may see (owned or shared with it), and with `referred_in` also every
    /// submitted registration of that jurisdiction (the competent authority), with their
    /// registrations, newest first.
    pub async fn case_overviews(
        &self,
        organisation_id: &str,
        referred_in: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<CaseOverviewRow>> {
        let sql = "SELECT c.id, c.reference, c.owner_organisation_id, c.jurisdiction, c.created_by, c.created_at \
                   FROM cases c LEFT JOIN registrations r ON r.case_id = c.id \
                   WHERE c.owner_organisation_id = $1 \
                      OR c.id IN (SELECT case_id FROM case_shares WHERE organisation_id = $1) \
                      OR (r.state = 'submitted' AND c.jurisdiction = $2) \
                   ORDER BY c.created_at DESC, c.id LIMIT $3 OFFSET $4";
        let cases = on_pool!(self, |pool| sqlx::query_as::<_, CaseRow>(sql)
            .bind(organisation_id)
            .bind(referred_in.unwrap_or(""))
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?);
        self.overviews_of(cases).await
    }

    /// The cases among `ids` that an organisation may see (the same rule as
    /// [`Store::case_overviews`]), or with `scope` `None` every one of them (maintenance: the
    /// candidate index is rebuilt over all cases), with their registrations, by id.
    pub async fn case_overviews_among(
        &self,
        scope: Option<(&str, Option<&str>)>,
        ids: &[String],
    ) -> Result<Vec<CaseOverviewRow>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IN_CHUNK) {
            let sql = match scope {
                Some(_) => format!(
                    "SELECT c.id, c.reference, c.owner_organisation_id, c.jurisdiction, c.created_by, c.created_at \
                     FROM cases c LEFT JOIN registrations r ON r.case_id = c.id \
                     WHERE {} AND (c.owner_organisation_id = $1 \
                        OR c.id IN (SELECT case_id FROM case_shares WHERE organisation_id = $1) \
                        OR (r.state = 'submitted' AND c.jurisdiction = $2)) ORDER BY c.id",
                    self.in_listed("c.id", 3)
                ),
                None => format!(
                    "SELECT id, reference, owner_organisation_id, jurisdiction, created_by, created_at \
                     FROM cases WHERE {} ORDER BY id",
                    self.in_listed("id", 1)
                ),
            };
            let cases = on_pool!(self, |pool| {
                let mut q = sqlx::query_as::<_, CaseRow>(sqlx::AssertSqlSafe(sql.clone()));
                if let Some((organisation_id, referred_in)) = scope {
                    q = q.bind(organisation_id).bind(referred_in.unwrap_or(""));
                }
                q.bind(crate::json_list(chunk)).fetch_all(pool).await?
            });
            out.extend(self.overviews_of(cases).await?);
        }
        Ok(out)
    }

    /// Cases with their shares and registrations, in the order given: two queries a chunk, not
    /// two a case.
    async fn overviews_of(&self, cases: Vec<CaseRow>) -> Result<Vec<CaseOverviewRow>> {
        let mut out = Vec::with_capacity(cases.len());
        let mut rest = cases.into_iter().peekable();
        while rest.peek().is_some() {
            let chunk: Vec<CaseRow> = rest.by_ref().take(IN_CHUNK).collect();
            let reg_sql = format!("SELECT {REG_COLUMNS} FROM registrations WHERE {}", self.in_listed("case_id", 1));
            let ids: Vec<String> = chunk.iter().map(|c| c.id.clone()).collect();
            let listed = crate::json_list(&ids);
            let regs = on_pool!(self, |pool| {
                sqlx::query_as::<_, RegistrationRow>(sqlx::AssertSqlSafe(reg_sql.clone()))
                    .bind(&listed)
                    .fetch_all(pool)
                    .await?
            });
            let mut shared = self.shares_of_cases(&ids).await?;
            let mut regs: std::collections::HashMap<String, RegistrationRow> =
                regs.into_iter().map(|r| (r.case_id.clone(), r)).collect();
            for mut case in chunk {
                case.shares = shared.remove(&case.id).unwrap_or_default();
                let registration = regs.remove(&case.id);
                out.push(CaseOverviewRow { case, registration });
            }
        }
        Ok(out)
    }

    /// Case ids after `after` (in id order), at most `limit`: every case, a page at a time.
    pub async fn case_ids_after(&self, after: &str, limit: i64) -> Result<Vec<String>> {
        let ids = on_pool!(self, |pool| sqlx::query_scalar("SELECT id FROM cases WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(ids)
    }

    /// Case ids carrying any of `values` as an identifier of `kind` (keyed blind indexes), each once.
    pub async fn cases_with_any_identifier(&self, kind: &str, values: &[Vec<u8>]) -> Result<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        // The values bound as one JSON array of hex strings: one statement whatever their number.
        let sql = format!(
            "SELECT DISTINCT case_id FROM identifier_index WHERE kind = $1 AND {}",
            self.in_listed_hex("value", 2)
        );
        for chunk in values.chunks(IN_CHUNK) {
            let listed = crate::json_list(&chunk.iter().map(hex::encode).collect::<Vec<_>>());
            let ids: Vec<String> = on_pool!(self, |pool| {
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).bind(kind).bind(&listed).fetch_all(pool).await?
            });
            out.extend(ids);
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// The case ids found by each lookup, in the order of `lookups` (each list at most the
    /// lookup's `limit` long, in no set order): one statement for up to
    /// [`BOUNDED_LOOKUPS_PER_STATEMENT`] lookups (each a subquery, UNION ALL), instead of a round
    /// trip each; a duplicate check makes a dozen or more.
    pub async fn cases_with_identifiers_each(&self, lookups: &[IdentifierLookup<'_>]) -> Result<Vec<Vec<String>>> {
        let mut found: Vec<Vec<String>> = vec![Vec::new(); lookups.len()];
        for (c, chunk) in lookups.chunks(BOUNDED_LOOKUPS_PER_STATEMENT).enumerate() {
            // The statement is one of a few shapes, whatever the lookups: each subquery has a
            // LIMIT, and the chunk is padded to the next of LOOKUP_SHAPES with lookups of nothing
            // (LIMIT 0), so it is prepared once per connection and stays in the statement cache.
            let slots = LOOKUP_SHAPES.iter().copied().find(|&n| n >= chunk.len()).unwrap_or(chunk.len());
            let sql = (0..slots)
                .map(|j| {
                    format!(
                        "SELECT CAST({j} AS BIGINT) AS i, case_id FROM (SELECT case_id FROM identifier_index \
                         WHERE kind = ${} AND value = ${} LIMIT ${}) AS v{j}",
                        3 * j + 1,
                        3 * j + 2,
                        3 * j + 3
                    )
                })
                .collect::<Vec<_>>()
                .join(" UNION ALL ");
            // The ids come back as one JSON array in one row: on SQLite every row returned is a
            // hand-off between the connection's thread and the caller, and a duplicate check's
            // lookups find hundreds of ids.
            let sql = format!("SELECT {} FROM ({sql}) AS found", self.json_rows("i", "case_id"));
            let rows: String = on_pool!(self, |pool| {
                let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()));
                for l in chunk {
                    q = q
                        .bind(l.kind)
                        .bind(l.value)
                        .bind(l.limit.map_or(i64::MAX, |n| i64::try_from(n).unwrap_or(i64::MAX)));
                }
                for _ in chunk.len()..slots {
                    q = q.bind("").bind(NO_VALUE).bind(0i64);
                }
                q.fetch_one(pool).await?
            });
            let rows: Vec<(i64, String)> = serde_json::from_str(&rows)
                .map_err(|e| StorageError::Corrupt(format!("identifier lookups gave no list of ids: {e}")))?;
            for (j, case_id) in rows {
                let slot = usize::try_from(j)
                    .ok()
                    .and_then(|j| found.get_mut(c * BOUNDED_LOOKUPS_PER_STATEMENT + j))
                    .ok_or_else(|| StorageError::Corrupt("an identifier lookup named no value".into()))?;
                slot.push(case_id);
            }
        }
        Ok(found)
    }

    /// The cases among `ids` that an organisation may see (the rule of
    /// [`Store::case_overviews`]) and that are not restricted (Reg 2016/679 Art 18: a restricted
    /// case stays out of matching), with their registrations and shares, by id: one statement
    /// per chunk of ids, and one more for the shares only when some of them are shared.
    pub async fn matchable_case_overviews(
        &self,
        organisation_id: &str,
        referred_in: Option<&str>,
        ids: &[String],
    ) -> Result<Vec<CaseOverviewRow>> {
        let reg_columns: String =
            REG_COLUMNS.split(", ").map(|c| format!("r.{}", c.trim())).collect::<Vec<_>>().join(", ");
        let mut out = Vec::with_capacity(ids.len());
        let listed_ids = self.in_listed("c.id", 3);
        for chunk in ids.chunks(IN_CHUNK) {
            let sql = format!(
                "SELECT c.id, c.reference, c.owner_organisation_id, c.jurisdiction, c.created_by, c.created_at, \
                 {reg_columns}, EXISTS (SELECT 1 FROM case_shares s WHERE s.case_id = c.id) AS shared \
                 FROM cases c LEFT JOIN registrations r ON r.case_id = c.id \
                 WHERE {listed_ids} \
                   AND NOT EXISTS (SELECT 1 FROM case_restrictions x WHERE x.case_id = c.id) \
                   AND (c.owner_organisation_id = $1 \
                      OR c.id IN (SELECT case_id FROM case_shares WHERE organisation_id = $1) \
                      OR (r.state = 'submitted' AND c.jurisdiction = $2)) ORDER BY c.id"
            );
            let listed = crate::json_list(chunk);
            let rows: Vec<MatchableRow> = on_pool!(self, |pool| {
                sqlx::query_as::<_, MatchableRow>(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(organisation_id)
                    .bind(referred_in.unwrap_or(""))
                    .bind(&listed)
                    .fetch_all(pool)
                    .await?
            });
            let shared: Vec<String> = rows.iter().filter(|r| r.shared).map(|r| r.case.id.clone()).collect();
            let mut shares = if shared.is_empty() { Default::default() } else { self.shares_of_cases(&shared).await? };
            out.extend(rows.into_iter().map(|r| {
                let mut case = r.case;
                case.shares = shares.remove(&case.id).unwrap_or_default();
                CaseOverviewRow { case, registration: r.registration }
            }));
        }
        Ok(out)
    }

    /// The shares of the cases `ids` (at most [`IN_CHUNK`]), by case.
    async fn shares_of_cases(
        &self,
        ids: &[String],
    ) -> Result<std::collections::HashMap<String, Vec<haven_domain::access::CaseShare>>> {
        let sql = format!(
            "SELECT case_id, organisation_id, compartments FROM case_shares WHERE {} \
             ORDER BY case_id, organisation_id",
            self.in_listed("case_id", 1)
        );
        let listed = crate::json_list(ids);
        let rows: Vec<(String, String, String)> = on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(&listed).fetch_all(pool).await?
        });
        let mut shared: std::collections::HashMap<String, Vec<haven_domain::access::CaseShare>> = Default::default();
        for (case_id, organisation_id, c) in rows {
            let compartments = crate::queries::parse_compartments(&c)?;
            shared.entry(case_id).or_default().push(haven_domain::access::CaseShare { organisation_id, compartments });
        }
        Ok(shared)
    }

    /// Replaces the identifiers of `kind` of each case in one transaction (the candidate index
    /// rebuilt for a batch of cases). A case deleted meanwhile is skipped.
    pub async fn replace_identifiers_of_kind(&self, kind: &str, cases: &[(String, Vec<Vec<u8>>)]) -> Result<()> {
        in_tx!(self, |tx| {
            for (case_id, values) in cases {
                sqlx::query("DELETE FROM identifier_index WHERE case_id = $1 AND kind = $2")
                    .bind(case_id)
                    .bind(kind)
                    .execute(&mut *tx)
                    .await?;
                let exists: Option<String> = sqlx::query_scalar("SELECT id FROM cases WHERE id = $1")
                    .bind(case_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_none() {
                    continue;
                }
                for value in values {
                    sqlx::query(
                        "INSERT INTO identifier_index (case_id, kind, value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    )
                    .bind(case_id)
                    .bind(kind)
                    .bind(value)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        });
        Ok(())
    }

    /// What the candidate index was built with (see migration 0009), if it was.
    pub async fn linkage_index_basis(&self) -> Result<Option<Vec<u8>>> {
        let basis = on_pool!(self, |pool| sqlx::query_scalar("SELECT basis FROM linkage_index WHERE id = 1")
            .fetch_optional(pool)
            .await?);
        Ok(basis)
    }

    /// Records that the candidate index of every case was built with `basis`.
    pub async fn set_linkage_index_basis(&self, basis: &[u8], cases: i64, now: i64) -> Result<()> {
        in_tx!(self, |tx| {
            sqlx::query(
                "INSERT INTO linkage_index (id, basis, cases, built_at) VALUES (1, $1, $2, $3) \
                 ON CONFLICT (id) DO UPDATE SET basis = excluded.basis, cases = excluded.cases, built_at = excluded.built_at",
            )
            .bind(basis)
            .bind(cases)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// Submitted registrations of a jurisdiction with their cases (deadlines dashboard).
    pub async fn submitted_in(&self, jurisdiction: &str) -> Result<Vec<CaseOverviewRow>> {
        let sql = "SELECT c.id, c.reference, c.owner_organisation_id, c.jurisdiction, c.created_by, c.created_at \
                   FROM cases c JOIN registrations r ON r.case_id = c.id \
                   WHERE r.state = 'submitted' AND c.jurisdiction = $1 ORDER BY r.referred_on, c.id";
        let cases = on_pool!(self, |pool| sqlx::query_as::<_, CaseRow>(sql).bind(jurisdiction).fetch_all(pool).await?);
        self.overviews_of(cases).await
    }

    /// Persons of the given cases (for in-memory fuzzy search within a user's scope).
    pub async fn persons_of(&self, case_ids: &[String]) -> Result<Vec<PersonRow>> {
        let mut out = Vec::with_capacity(case_ids.len());
        for id in case_ids {
            match self.person(id).await {
                Ok(p) => out.push(p),
                Err(StorageError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Case ids carrying an exact identifier (keyed blind index).
    pub async fn cases_with_identifier(&self, kind: &str, value: &[u8]) -> Result<Vec<String>> {
        let ids = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT case_id FROM identifier_index WHERE kind = $1 AND value = $2 ORDER BY case_id"
        )
        .bind(kind)
        .bind(value)
        .fetch_all(pool)
        .await?);
        Ok(ids)
    }

    /// Appends a decision at `row.seq`; the registration's status columns are rewritten in the
    /// same transaction. A concurrent decision that took the same seq makes this a conflict.
    pub async fn add_decision(&self, row: &DecisionRow, status: &StatusColumns, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            let taken: Option<i64> = sqlx::query_scalar("SELECT seq FROM decisions WHERE case_id = $1 AND seq = $2")
                .bind(&row.case_id)
                .bind(row.seq)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StorageError::Conflict(
                    "another decision was recorded on this case in the meantime; reload the case and decide again"
                        .into(),
                ));
            }
            sqlx::query(
                "INSERT INTO decisions (case_id, seq, kind, decided_on, reasons, corrects, decided_by, \
                 organisation_id, recorded_at, votes) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
            )
            .bind(&row.case_id)
            .bind(row.seq)
            .bind(&row.kind)
            .bind(&row.decided_on)
            .bind(&row.reasons)
            .bind(row.corrects)
            .bind(&row.decided_by)
            .bind(&row.organisation_id)
            .bind(row.recorded_at)
            .bind(&row.votes)
            .execute(&mut *tx)
            .await
            .map_err(|e| match StorageError::from(e) {
                StorageError::Conflict(_) => StorageError::Conflict(
                    "another decision was recorded on this case in the meantime; reload the case and decide again"
                        .into(),
                ),
                other => other,
            })?;
            sqlx::query(
                "UPDATE registrations SET nrm_status = $1, rg_decided_on = $2, cg_decided_on = $3, \
                 assistance_since = $4, reflection_from = $5 WHERE case_id = $6",
            )
            .bind(&status.nrm_status)
            .bind(&status.rg_decided_on)
            .bind(&status.cg_decided_on)
            .bind(&status.assistance_since)
            .bind(&status.reflection_from)
            .bind(&row.case_id)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    pub async fn decisions(&self, case_id: &str) -> Result<Vec<DecisionRow>> {
        let rows = on_pool!(self, |pool| sqlx::query_as::<_, DecisionRow>(
            "SELECT case_id, seq, kind, decided_on, reasons, corrects, decided_by, organisation_id, recorded_at, \
             votes FROM decisions WHERE case_id = $1 ORDER BY seq"
        )
        .bind(case_id)
        .fetch_all(pool)
        .await?);
        Ok(rows)
    }

    pub async fn add_case_record(&self, row: &CaseRecordRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(
                "INSERT INTO case_records (id, case_id, kind, compartment, body, created_by, created_at) \
                 VALUES ($1,$2,$3,$4,$5,$6,$7)",
            )
            .bind(&row.id)
            .bind(&row.case_id)
            .bind(&row.kind)
            .bind(haven_domain::Coded::code(row.compartment))
            .bind(&row.body)
            .bind(&row.created_by)
            .bind(row.created_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    pub async fn case_records(&self, case_id: &str) -> Result<Vec<CaseRecordRow>> {
        let rows = on_pool!(self, |pool| sqlx::query_as::<_, CaseRecordRow>(
            "SELECT id, case_id, kind, compartment, body, created_by, created_at FROM case_records \
             WHERE case_id = $1 ORDER BY created_at, id"
        )
        .bind(case_id)
        .fetch_all(pool)
        .await?);
        Ok(rows)
    }

    pub async fn add_notification(&self, row: &NotificationRow, audit: &AuditEvent) -> Result<()> {
        audited_tx!(self, audit, |tx| {
            sqlx::query(
                "INSERT INTO notifications (id, jurisdiction, organisation_id, organisation_kind, notified_on, sex, \
                 age_group, citizenship, forms, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
            )
            .bind(&row.id)
            .bind(&row.jurisdiction)
            .bind(&row.organisation_id)
            .bind(&row.organisation_kind)
            .bind(&row.notified_on)
            .bind(&row.sex)
            .bind(&row.age_group)
            .bind(&row.citizenship)
            .bind(&row.forms)
            .bind(&row.created_by)
            .bind(row.created_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// The referred registrations of a jurisdiction counted by sex, child status and forms, in the
    /// database (the statistics page reads a few dozen rows, not the register); a restricted case
    /// (Reg 2016/679 Art 18) is left out, as from [`Store::registration_codes_in`].
    pub async fn referred_tally_in(&self, jurisdiction: &str) -> Result<Vec<crate::ReferredTally>> {
        let rows = on_pool!(self, |pool| sqlx::query_as::<_, crate::ReferredTally>(
            "SELECT r.sex, r.child_status, r.forms, COUNT(*) AS n FROM registrations r \
             JOIN cases c ON c.id = r.case_id WHERE c.jurisdiction = $1 AND r.state = 'submitted' \
             AND NOT EXISTS (SELECT 1 FROM case_restrictions x WHERE x.case_id = r.case_id) \
             GROUP BY r.sex, r.child_status, r.forms ORDER BY r.sex, r.child_status, r.forms"
        )
        .bind(jurisdiction)
        .fetch_all(pool)
        .await?);
        Ok(rows)
    }

    /// The anonymous notifications of a jurisdiction counted by sex and forms, in the database.
    pub async fn notification_tally_in(&self, jurisdiction: &str) -> Result<Vec<crate::NotificationTally>> {
        let rows = on_pool!(self, |pool| sqlx::query_as::<_, crate::NotificationTally>(
            "SELECT sex, forms, COUNT(*) AS n FROM notifications WHERE jurisdiction = $1 \
             GROUP BY sex, forms ORDER BY sex, forms"
        )
        .bind(jurisdiction)
        .fetch_all(pool)
        .await?);
        Ok(rows)
    }

    pub async fn notifications_in(&self, jurisdiction: &str) -> Result<Vec<NotificationRow>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, NotificationRow>(
            "SELECT id, jurisdiction, organisation_id, organisation_kind, notified_on, sex, age_group, citizenship, \
             forms, created_by, created_at FROM notifications WHERE jurisdiction = $1 ORDER BY notified_on, id"
        )
        .bind(jurisdiction)
        .fetch_all(pool)
        .await?
        });
        Ok(rows)
    }

    /// Registrations of a jurisdiction, with their encrypted records; a restricted case (Reg 2016/679
    /// Art 18, migration 0036) is left out of statistics and matching while it is restricted.
    pub async fn registrations_in(&self, jurisdiction: &str) -> Result<Vec<RegistrationRow>> {
        let sql = format!(
            "SELECT {} FROM registrations r JOIN cases c ON c.id = r.case_id WHERE c.jurisdiction = $1 \
             AND NOT EXISTS (SELECT 1 FROM case_restrictions x WHERE x.case_id = r.case_id) ORDER BY r.case_id",
            REG_COLUMNS.split(", ").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", ")
        );
        let rows = on_pool!(self, |pool| sqlx::query_as::<_, RegistrationRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(jurisdiction)
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }
}

impl Store {
    /// Registrations of a jurisdiction, coded columns only (`record` left empty): for counts
    /// that never need the person, without reading every ciphertext of the register.
    pub async fn registration_codes_in(&self, jurisdiction: &str) -> Result<Vec<RegistrationRow>> {
        let sql = format!(
            "SELECT {} FROM registrations r JOIN cases c ON c.id = r.case_id WHERE c.jurisdiction = $1 \
             AND NOT EXISTS (SELECT 1 FROM case_restrictions x WHERE x.case_id = r.case_id) ORDER BY r.case_id",
            REG_COLUMNS.split(", ").filter(|c| *c != "record").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", ")
        );
        let rows = on_pool!(self, |pool| sqlx::query_as::<_, RegistrationRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(jurisdiction)
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }
}

/// Two registrations a reviewer answered are different persons (migration 0010): the smaller
/// case id first.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CannotLinkRow {
    pub case_id_a: String,
    pub case_id_b: String,
    pub recorded_by: String,
    pub recorded_at: i64,
}

impl Store {
    /// Records that two registrations are different persons, audited in the same transaction.
    /// The pair is stored once whatever its order; recording it again changes nothing and gives
    /// `false`. A case that does not exist is [`StorageError::NotFound`].
    pub async fn add_cannot_link(
        &self,
        case_a: &str,
        case_b: &str,
        recorded_by: &str,
        recorded_at: i64,
        audit: &AuditEvent,
    ) -> Result<bool> {
        if case_a == case_b {
            return Err(StorageError::Conflict("a registration cannot be a different person from itself".into()));
        }
        let (a, b) = if case_a < case_b { (case_a, case_b) } else { (case_b, case_a) };
        let added = audited_tx!(self, audit, |tx| {
            let found: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE id = $1 OR id = $2")
                .bind(a)
                .bind(b)
                .fetch_one(&mut *tx)
                .await?;
            if found != 2 {
                return Err(StorageError::NotFound);
            }
            sqlx::query(
                "INSERT INTO person_cannot_links (case_id_a, case_id_b, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (case_id_a, case_id_b) DO NOTHING",
            )
            .bind(a)
            .bind(b)
            .bind(recorded_by)
            .bind(recorded_at)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1
        });
        Ok(added)
    }

    /// The cannot-link pairs that involve any of `case_ids`, each once, in order.
    pub async fn cannot_links_of(&self, case_ids: &[String]) -> Result<Vec<CannotLinkRow>> {
        let mut out: Vec<CannotLinkRow> = Vec::new();
        // The ids bound as one JSON array: one statement whatever their number.
        let sql = format!(
            "SELECT case_id_a, case_id_b, recorded_by, recorded_at FROM person_cannot_links WHERE {} OR {}",
            self.in_listed("case_id_a", 1),
            self.in_listed("case_id_b", 1)
        );
        for chunk in case_ids.chunks(IN_CHUNK) {
            let listed = crate::json_list(chunk);
            let rows: Vec<CannotLinkRow> = on_pool!(self, |pool| {
                sqlx::query_as::<_, CannotLinkRow>(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(&listed)
                    .fetch_all(pool)
                    .await?
            });
            out.extend(rows);
        }
        out.sort_by(|x, y| (&x.case_id_a, &x.case_id_b).cmp(&(&y.case_id_a, &y.case_id_b)));
        out.dedup_by(|x, y| x.case_id_a == y.case_id_a && x.case_id_b == y.case_id_b);
        Ok(out)
    }
}

/// A referred registration's person (migration 0010).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PersonClusterRow {
    pub case_id: String,
    pub person_id: String,
    pub basis: Vec<u8>,
    pub assigned_at: i64,
}

/// A person id in a change of clusters: one already given, or the `n`th new one (from 0),
/// numbered in the transaction that writes it, after every id given before.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PersonRef {
    Existing(String),
    New(usize),
}

/// What re-clustering some registrations changes, and what it was computed from: it is written
/// only if, at the time of writing, the rows of `cases` and of the persons `persons` and the
/// cannot-link answers about `cases` are still exactly `read` and `cannot_links` (otherwise
/// [`Store::apply_person_clusters`] gives `false` and the caller computes again from what is
/// there now: two registrations saved at once can never lose each other's merge).
#[derive(Debug, Clone, Default)]
pub struct PersonClusterChange {
    pub cases: Vec<String>,
    pub persons: Vec<String>,
    /// (case id, person id), sorted.
    pub read: Vec<(String, String)>,
    /// (case id a, case id b) with a < b, sorted.
    pub cannot_links: Vec<(String, String)>,
    /// The person of each case whose person is new or changes.
    pub assign: Vec<(String, PersonRef)>,
    /// Persons that no longer exist and the person most of their registrations went to.
    pub merges: Vec<(String, PersonRef)>,
    /// The model the clusters were made with (a keyed MAC).
    pub basis: Vec<u8>,
    pub at: i64,
    /// `registration` or `relink`.
    pub cause: &'static str,
}

/// A background job of person linkage (migration 0010).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LinkageJobRow {
    pub id: String,
    pub kind: String,
    pub state: String,
    pub basis: Vec<u8>,
    pub done: i64,
    pub total: i64,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub started_by: Option<String>,
    pub detail: Option<String>,
    /// When the process running the job last said it is alive (migration 0016); `None` for a
    /// job written before heartbeats (its start counts instead).
    pub heartbeat_at: Option<i64>,
}

const JOB_COLUMNS: &str = "id, kind, state, basis, done, total, started_at, ended_at, started_by, detail, heartbeat_at";

/// The rows of person_clusters whose case is one of `cases` or whose person is one of `persons`,
/// sorted, inside a transaction or on a pool.
macro_rules! rows_touching {
    ($exec:expr, $cases:expr, $persons:expr) => {{
        let mut out: Vec<(String, String)> = Vec::new();
        for (column, values) in [("case_id", $cases), ("person_id", $persons)] {
            for chunk in values.chunks(IN_CHUNK) {
                let sql = format!(
                    "SELECT case_id, person_id FROM person_clusters WHERE {column} IN ({})",
                    placeholders(1, chunk.len())
                );
                let mut q = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql));
                for v in chunk {
                    q = q.bind(v);
                }
                out.extend(q.fetch_all($exec).await?);
            }
        }
        out.sort();
        out.dedup();
        out
    }};
}

/// The cannot-link pairs about `cases`, sorted.
macro_rules! cannot_pairs {
    ($exec:expr, $cases:expr) => {{
        let mut out: Vec<(String, String)> = Vec::new();
        for chunk in $cases.chunks(IN_CHUNK) {
            let list = placeholders(1, chunk.len());
            let sql = format!(
                "SELECT case_id_a, case_id_b FROM person_cannot_links \
                 WHERE case_id_a IN ({list}) OR case_id_b IN ({list})"
            );
            let mut q = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql));
            for v in chunk {
                q = q.bind(v);
            }
            out.extend(q.fetch_all($exec).await?);
        }
        out.sort();
        out.dedup();
        out
    }};
}

/// Writes a checked change of clusters inside an open write transaction; evaluates to whether
/// it was written.
macro_rules! apply_change {
    ($tx:ident, $change:expr) => {{
        let change: &PersonClusterChange = $change;
        let now_rows = rows_touching!(&mut *$tx, &change.cases, &change.persons);
        let now_cannot = cannot_pairs!(&mut *$tx, &change.cases);
        if now_rows != change.read || now_cannot != change.cannot_links {
            false
        } else {
            write_change!($tx, change);
            true
        }
    }};
}

/// Writes a change of clusters inside an open write transaction, unchecked.
macro_rules! write_change {
    ($tx:ident, $change:expr) => {{
        let change: &PersonClusterChange = $change;
        {
            let new_count = change
                .assign
                .iter()
                .chain(&change.merges)
                .filter_map(|(_, r)| match r {
                    PersonRef::New(n) => Some(*n + 1),
                    PersonRef::Existing(_) => None,
                })
                .max()
                .unwrap_or(0);
            let mut next = if new_count > 0 {
                let highest: Option<String> = sqlx::query_scalar(
                    "SELECT MAX(p) FROM (SELECT MAX(person_id) AS p FROM person_clusters \
                     UNION ALL SELECT MAX(person_id) FROM person_merges UNION ALL SELECT MAX(merged_into) FROM person_merges) m",
                )
                .fetch_one(&mut *$tx)
                .await?;
                highest.as_deref().and_then(person_number).unwrap_or(0) + 1
            } else {
                1
            };
            let mut fresh: Vec<String> = Vec::with_capacity(new_count);
            for _ in 0..new_count {
                fresh.push(format!("P{next:09}"));
                next += 1;
            }
            let id_of = |r: &PersonRef| -> Result<String> {
                match r {
                    PersonRef::Existing(id) => Ok(id.clone()),
                    PersonRef::New(n) => {
                        fresh.get(*n).cloned().ok_or_else(|| StorageError::Conflict("a new person id out of range".into()))
                    }
                }
            };
            for (case_id, person) in &change.assign {
                let person_id = id_of(person)?;
                sqlx::query(
                    "INSERT INTO person_clusters (case_id, person_id, basis, assigned_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (case_id) DO UPDATE SET person_id = excluded.person_id, basis = excluded.basis, \
                     assigned_at = excluded.assigned_at",
                )
                .bind(case_id)
                .bind(&person_id)
                .bind(&change.basis)
                .bind(change.at)
                .execute(&mut *$tx)
                .await?;
                // an id in use again is no longer a merged one
                sqlx::query("DELETE FROM person_merges WHERE person_id = $1")
                    .bind(&person_id)
                    .execute(&mut *$tx)
                    .await?;
            }
            for (gone, into) in &change.merges {
                let into = id_of(into)?;
                sqlx::query(
                    "INSERT INTO person_merges (person_id, merged_into, merged_at, cause) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (person_id) DO UPDATE SET merged_into = excluded.merged_into, \
                     merged_at = excluded.merged_at, cause = excluded.cause",
                )
                .bind(gone)
                .bind(&into)
                .bind(change.at)
                .bind(change.cause)
                .execute(&mut *$tx)
                .await?;
            }
        }
    }};
}

/// The number of a person id `P000000001`.
fn person_number(id: &str) -> Option<u64> {
    id.strip_prefix('P')?.parse().ok()
}

impl Store {
    /// The rows of person_clusters of `cases` or of the persons `persons`, sorted: what a change
    /// of clusters is computed from ([`PersonClusterChange::read`]).
    pub async fn person_rows_touching(&self, cases: &[String], persons: &[String]) -> Result<Vec<(String, String)>> {
        let rows = on_pool!(self, |pool| rows_touching!(pool, cases, persons));
        Ok(rows)
    }

    /// The cannot-link pairs about `cases` as (a, b), sorted ([`PersonClusterChange::cannot_links`]).
    pub async fn cannot_link_pairs(&self, cases: &[String]) -> Result<Vec<(String, String)>> {
        let rows = on_pool!(self, |pool| cannot_pairs!(pool, cases));
        Ok(rows)
    }

    /// Writes a change of clusters if what it was computed from is unchanged (see
    /// [`PersonClusterChange`]); `false` if not, writing nothing. Writers of clusters are
    /// serialised (SQLite: the IMMEDIATE transaction; PostgreSQL: a lock on person_clusters).
    pub async fn apply_person_clusters(&self, change: &PersonClusterChange) -> Result<bool> {
        let applied = match &self.backend {
            crate::Backend::Sqlite(pool) => {
                let _turn = self.sqlite_write_turn().await;
                let mut tx = self.sqlite_writer(pool).begin_with("BEGIN IMMEDIATE").await?;
                let done = apply_change!(tx, change);
                tx.commit().await?;
                done
            }
            crate::Backend::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("LOCK TABLE person_clusters IN SHARE ROW EXCLUSIVE MODE").execute(&mut *tx).await?;
                let done = apply_change!(tx, change);
                tx.commit().await?;
                done
            }
        };
        Ok(applied)
    }

    /// Replaces the persons of many registrations at once (a full re-link), whatever incremental
    /// clustering wrote meanwhile, if the cannot-link answers are still `change.cannot_links`
    /// (all of them); `None` if they are not, writing nothing. Gives the cases whose rows are no
    /// longer what `change.read` says (changed while the re-link ran), to be clustered again.
    pub async fn replace_person_clusters(&self, change: &PersonClusterChange) -> Result<Option<Vec<String>>> {
        macro_rules! replace {
            ($tx:ident) => {{
                let now_cannot: Vec<(String, String)> = sqlx::query_as(
                    "SELECT case_id_a, case_id_b FROM person_cannot_links ORDER BY case_id_a, case_id_b",
                )
                .fetch_all(&mut *$tx)
                .await?;
                let mut now_cannot = now_cannot;
                now_cannot.sort();
                if now_cannot != change.cannot_links {
                    None
                } else {
                    let mut now_rows: Vec<(String, String)> =
                        sqlx::query_as("SELECT case_id, person_id FROM person_clusters").fetch_all(&mut *$tx).await?;
                    now_rows.sort();
                    let read: std::collections::HashMap<&str, &str> =
                        change.read.iter().map(|(c, p)| (c.as_str(), p.as_str())).collect();
                    let now: std::collections::HashMap<&str, &str> =
                        now_rows.iter().map(|(c, p)| (c.as_str(), p.as_str())).collect();
                    let mut changed: Vec<String> =
                        change.cases.iter().filter(|c| read.get(c.as_str()) != now.get(c.as_str())).cloned().collect();
                    changed.sort();
                    write_change!($tx, change);
                    Some(changed)
                }
            }};
        }
        let out = match &self.backend {
            crate::Backend::Sqlite(pool) => {
                let _turn = self.sqlite_write_turn().await;
                let mut tx = self.sqlite_writer(pool).begin_with("BEGIN IMMEDIATE").await?;
                let out = replace!(tx);
                tx.commit().await?;
                out
            }
            crate::Backend::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("LOCK TABLE person_clusters IN SHARE ROW EXCLUSIVE MODE").execute(&mut *tx).await?;
                let out = replace!(tx);
                tx.commit().await?;
                out
            }
        };
        Ok(out)
    }

    /// Every cannot-link pair as (a, b), sorted.
    pub async fn all_cannot_link_pairs(&self) -> Result<Vec<(String, String)>> {
        let mut rows: Vec<(String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT case_id_a, case_id_b FROM person_cannot_links ORDER BY case_id_a, case_id_b"
        )
        .fetch_all(pool)
        .await?);
        rows.sort();
        Ok(rows)
    }

    /// Every (case id, person id) of person_clusters, sorted.
    pub async fn all_person_rows(&self) -> Result<Vec<(String, String)>> {
        let mut rows: Vec<(String, String)> =
            on_pool!(self, |pool| sqlx::query_as("SELECT case_id, person_id FROM person_clusters")
                .fetch_all(pool)
                .await?);
        rows.sort();
        Ok(rows)
    }

    /// The persons of the referred registrations of a jurisdiction: (case id, person id), by case.
    /// A referred registration not yet clustered is left out.
    pub async fn person_ids_in(&self, jurisdiction: &str) -> Result<Vec<PersonClusterRow>> {
        let rows = on_pool!(self, |pool| sqlx::query_as::<_, PersonClusterRow>(
            "SELECT p.case_id, p.person_id, p.basis, p.assigned_at FROM person_clusters p \
             JOIN cases c ON c.id = p.case_id JOIN registrations r ON r.case_id = p.case_id \
             WHERE c.jurisdiction = $1 AND r.state = 'submitted' \
             AND NOT EXISTS (SELECT 1 FROM case_restrictions x WHERE x.case_id = p.case_id) ORDER BY p.case_id"
        )
        .bind(jurisdiction)
        .fetch_all(pool)
        .await?);
        Ok(rows)
    }

    /// The referred registrations of a jurisdiction with a person id and the distinct person
    /// ids among them: (registrations, persons), counted by the database.
    pub async fn person_counts_in(&self, jurisdiction: &str) -> Result<(i64, i64)> {
        let counts = on_pool!(self, |pool| sqlx::query_as::<_, (i64, i64)>(
            "SELECT COUNT(*), COUNT(DISTINCT p.person_id) FROM person_clusters p \
             JOIN cases c ON c.id = p.case_id JOIN registrations r ON r.case_id = p.case_id \
             WHERE c.jurisdiction = $1 AND r.state = 'submitted' \
             AND NOT EXISTS (SELECT 1 FROM case_restrictions x WHERE x.case_id = p.case_id)"
        )
        .bind(jurisdiction)
        .fetch_one(pool)
        .await?);
        Ok(counts)
    }

    /// Referred registrations (any jurisdiction) without a person yet, at most `limit`.
    pub async fn unclustered_cases(&self, limit: i64) -> Result<Vec<String>> {
        let ids = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT r.case_id FROM registrations r LEFT JOIN person_clusters p ON p.case_id = r.case_id \
             WHERE r.state = 'submitted' AND p.case_id IS NULL ORDER BY r.case_id LIMIT $1"
        )
        .bind(limit)
        .fetch_all(pool)
        .await?);
        Ok(ids)
    }

    /// Referred registrations after `after` (in case id order), at most `limit`, with their
    /// jurisdictions: every referred registration a page at a time (a full re-link).
    pub async fn referred_after(&self, after: &str, limit: i64) -> Result<Vec<(String, RegistrationRow)>> {
        let sql = format!(
            "SELECT c.jurisdiction AS j, {} FROM registrations r JOIN cases c ON c.id = r.case_id \
             WHERE r.state = 'submitted' AND r.case_id > $1 ORDER BY r.case_id LIMIT $2",
            REG_COLUMNS.split(", ").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", ")
        );
        let rows = on_pool!(self, |pool| {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(after).bind(limit).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                use sqlx::{FromRow, Row};
                out.push((row.try_get::<String, _>("j")?, RegistrationRow::from_row(row)?));
            }
            out
        });
        Ok(rows)
    }

    /// Referred registrations in all.
    pub async fn referred_count(&self) -> Result<i64> {
        let n =
            on_pool!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE state = 'submitted'")
                .fetch_one(pool)
                .await?);
        Ok(n)
    }

    /// The person an id stands for now: itself while it has registrations, else the survivor of
    /// its merges (followed to the end); `None` for an id never given.
    pub async fn resolve_person_id(&self, person_id: &str) -> Result<Option<String>> {
        let mut id = person_id.to_owned();
        for _ in 0..64 {
            let alive: i64 =
                on_pool!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM person_clusters WHERE person_id = $1")
                    .bind(&id)
                    .fetch_one(pool)
                    .await?);
            if alive > 0 {
                return Ok(Some(id));
            }
            let into: Option<String> =
                on_pool!(self, |pool| sqlx::query_scalar("SELECT merged_into FROM person_merges WHERE person_id = $1")
                    .bind(&id)
                    .fetch_optional(pool)
                    .await?);
            match into {
                Some(next) if next != id => id = next,
                _ => return Ok(None),
            }
        }
        Err(StorageError::Corrupt("person merges form a cycle".into()))
    }

    /// Starts a linkage job (its row, state `running`).
    pub async fn start_linkage_job(&self, job: &LinkageJobRow) -> Result<()> {
        in_tx!(self, |tx| {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO linkage_jobs ({JOB_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)"
            )))
            .bind(&job.id)
            .bind(&job.kind)
            .bind(&job.state)
            .bind(&job.basis)
            .bind(job.done)
            .bind(job.total)
            .bind(job.started_at)
            .bind(job.ended_at)
            .bind(&job.started_by)
            .bind(&job.detail)
            .bind(job.heartbeat_at)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// Records a running job's progress.
    pub async fn linkage_job_progress(&self, id: &str, done: i64, total: i64) -> Result<()> {
        on_pool!(self, |pool| sqlx::query(
            "UPDATE linkage_jobs SET done = $1, total = $2 WHERE id = $3 AND state = 'running'"
        )
        .bind(done)
        .bind(total)
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(())
    }

    /// The running job's process is alive at `at` (its heartbeat).
    pub async fn linkage_job_heartbeat(&self, id: &str, at: i64) -> Result<()> {
        on_pool!(self, |pool| sqlx::query(
            "UPDATE linkage_jobs SET heartbeat_at = $1 WHERE id = $2 AND state = 'running'"
        )
        .bind(at)
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Ends a running job (`done` or `failed`), with a detail without personal data.
    pub async fn end_linkage_job(&self, id: &str, state: &str, ended_at: i64, detail: &str) -> Result<()> {
        on_pool!(self, |pool| sqlx::query(
            "UPDATE linkage_jobs SET state = $1, ended_at = $2, detail = $3 WHERE id = $4 AND state = 'running'"
        )
        .bind(state)
        .bind(ended_at)
        .bind(detail)
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(())
    }

    pub async fn linkage_job(&self, id: &str) -> Result<Option<LinkageJobRow>> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM linkage_jobs WHERE id = $1");
        let row = on_pool!(self, |pool| sqlx::query_as::<_, LinkageJobRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(pool)
            .await?);
        Ok(row)
    }

    /// The jobs of person linkage, newest first, at most `limit`.
    pub async fn linkage_jobs(&self, limit: i64) -> Result<Vec<LinkageJobRow>> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM linkage_jobs ORDER BY started_at DESC, id DESC LIMIT $1");
        let rows = on_pool!(self, |pool| sqlx::query_as::<_, LinkageJobRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }
}
