//! Logical backup and restore.

use crate::support::{
    Kind, T0, TestStore, case, event, note, organisation, person, postgres_store_with_key, seed, skipped,
    sqlite_store_with_key, user,
};
use haven_domain::access::Compartment;
use haven_domain::audit::AuditAction;
use haven_domain::{OrganisationKind, Role};
use haven_storage::{ApiTokenRow, BackupError, DataKeyRow, SessionRow, SuspectLinkRow, TABLES};
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

contract_tests!(
    backup_and_restore_round_trip,
    restore_into_a_non_empty_database_is_refused,
    corrupted_backups_are_refused_and_write_nothing,
    a_backup_taken_during_writes_is_consistent,
    a_backup_of_an_earlier_schema_restores_the_columns_added_since_as_null,
);

/// Puts at least one row, with NULLs and non-NULLs, in every table.
pub(crate) async fn fill(t: &TestStore) {
    let w = seed(t).await;
    let keys = [
        DataKeyRow { id: 1, purpose: "field".into(), wrapped: vec![1; 73], created_at: T0 },
        DataKeyRow { id: 2, purpose: "audit".into(), wrapped: (0..=72).collect(), created_at: T0 },
    ];
    t.store.put_data_keys(&keys, false).await.unwrap();
    t.store.set_linkage_index_basis(&[7; 32], 3, T0).await.unwrap();
    let mut admin = user("usr-admin", "admin", &w.police.id, &[Role::Administrator, Role::Auditor]);
    admin.totp_secret = Some(vec![0, 255, 7]);
    admin.totp_last_step = Some(1234);
    admin.disabled = true;
    t.store.create_user(&admin, &event(AuditAction::UserCreated)).await.unwrap();
    let session = SessionRow {
        token_hash: vec![5; 32],
        user_id: w.officer.id.clone(),
        created_at: T0,
        last_seen_at: T0 + 3,
        revoked: false,
    };
    t.store.create_session(&session, &event(AuditAction::LoginSucceeded)).await.unwrap();
    let revoked = SessionRow { token_hash: vec![6; 32], revoked: true, ..session };
    t.store.create_session(&revoked, &event(AuditAction::LoginSucceeded)).await.unwrap();
    let token = ApiTokenRow {
        id: "tok-1".into(),
        user_id: w.officer.id.clone(),
        name: "exporter".into(),
        token_hash: vec![8; 32],
        created_at: T0,
        last_used_at: Some(T0 + 9),
        revoked: false,
        expires_at: Some(T0 + 7_776_000),
    };
    t.store.create_api_token(&token, &event(AuditAction::ApiTokenCreated)).await.unwrap();
    let unused = ApiTokenRow {
        id: "tok-2".into(),
        token_hash: vec![9; 32],
        last_used_at: None,
        revoked: true,
        expires_at: None,
        ..token
    };
    t.store.create_api_token(&unused, &event(AuditAction::ApiTokenCreated)).await.unwrap();
    // A grant decided (with NULL-free columns) and one waiting (decided_* NULL); a set-up code
    // issued by an administrator and one by the operator (created_by NULL).
    let grant = |id: &str, user_id: &str| haven_storage::RoleGrantRow {
        id: id.into(),
        user_id: user_id.into(),
        roles: "caseworker,supervisor".into(),
        requested_by: "usr-admin".into(),
        requested_at: T0,
        state: "pending".into(),
        decided_by: None,
        decided_at: None,
    };
    t.store
        .request_role_grant(&grant("grant-1", &w.caseworker.id), &event(AuditAction::RoleGrantRequested))
        .await
        .unwrap();
    t.store
        .decide_role_grant("grant-1", false, &w.officer.id, T0 + 5, &event(AuditAction::RoleGrantRejected))
        .await
        .unwrap();
    t.store
        .request_role_grant(&grant("grant-2", &w.caseworker.id), &event(AuditAction::RoleGrantRequested))
        .await
        .unwrap();
    for (user_id, by) in [(&w.caseworker.id, Some("usr-admin".to_owned())), (&w.counsellor.id, None)] {
        let code = haven_storage::SetupCodeRow {
            user_id: user_id.clone(),
            code_hash: user_id.as_bytes().to_vec(),
            created_by: by,
            created_at: T0,
            expires_at: T0 + 86_400,
        };
        t.store.put_setup_code(&code, None, &event(AuditAction::SetupCodeIssued)).await.unwrap();
    }
    for i in 0..4u8 {
        let id = format!("case-{i}");
        let c = case(&id, &format!("LV-2026-{i:04}"), &w.ngo.id, &w.caseworker.id, "LV", T0 + i64::from(i));
        t.store.create_case(&c, &person(&id, i), &event(AuditAction::CaseCreated)).await.unwrap();
        let n = note(&format!("note-{i}"), &id, Compartment::Support, &w.caseworker.id, &w.ngo.id, T0 + 50);
        t.store.add_note(&n, &event(AuditAction::NoteAdded)).await.unwrap();
    }
    // Identification: a referred registration with a decision, a record and a notification.
    let c = case("case-9", "LV-2026-0009", &w.ngo.id, &w.caseworker.id, "LV", T0 + 9);
    crate::ident::register(t, &c, &crate::ident::registration("case-9", true, &w.caseworker.id, "2026-01-10"), 9).await;
    t.store
        .add_decision(
            &crate::ident::decision("case-9", 1, "first_decision_positive", &w),
            &crate::ident::status("presumed_victim", Some("2026-02-01"), None),
            &event(AuditAction::CaseShared),
        )
        .await
        .unwrap();
    let record = haven_storage::CaseRecordRow {
        id: "rec-1".into(),
        case_id: "case-9".into(),
        kind: "criminal_matter".into(),
        compartment: Compartment::Proceedings,
        body: vec![3; 40],
        created_by: w.caseworker.id.clone(),
        created_at: T0 + 11,
    };
    t.store.add_case_record(&record, &event(AuditAction::NoteAdded)).await.unwrap();
    let notification = haven_storage::NotificationRow {
        id: "ntf-1".into(),
        jurisdiction: "LV".into(),
        organisation_id: w.ngo.id.clone(),
        organisation_kind: "ngo".into(),
        notified_on: "2026-01-12".into(),
        sex: "male".into(),
        age_group: "25_34".into(),
        citizenship: "unknown".into(),
        forms: "".into(),
        created_by: w.caseworker.id.clone(),
        created_at: T0 + 12,
    };
    t.store.add_notification(&notification, &event(AuditAction::NoteAdded)).await.unwrap();
    // Assistance: assessments, plan items, providers with places in use, referrals with their
    // events, support records.
    crate::assist::fill_assistance(t, &w).await;
    // Statistics: a release of each mode (one charged to a privacy budget) and a submission.
    crate::stats::fill_statistics(t, &w).await;
    crate::exchange_statistics::fill_exchange_statistics(t, &w).await;
    crate::exchange_persons::fill_exchange_persons(t, &w).await;
    t.store
        .share_case(
            "case-1",
            &w.police.id,
            &[Compartment::Identity, Compartment::Proceedings],
            &w.caseworker.id,
            T0,
            &event(AuditAction::CaseShared),
        )
        .await
        .unwrap();
    t.store
        .share_case(
            "case-1",
            &w.shelter.id,
            &[Compartment::Support],
            &w.caseworker.id,
            T0,
            &event(AuditAction::CaseShared),
        )
        .await
        .unwrap();
    crate::proceedings::fill_proceedings(t, &w).await;
    crate::proceedings_victims::fill_proceedings_victims(t, &w).await;
    crate::representation::fill_representation(t, &w).await;
    crate::strategy::fill_strategy(t, &w).await;
    crate::annual_report::fill_annual_reports(t, &w).await;
    crate::monitoring_records::fill_monitoring_records(t, &w).await;
    crate::transposition::fill_transposition(t).await;
    crate::proceedings_money::fill_money(t, &w).await;
    // the police answered that the two suspects of the investigation are not the same person
    let pair = SuspectLinkRow {
        suspect_a: "sus-1".into(),
        suspect_b: "sus-2".into(),
        jurisdiction: "LV".into(),
        answer: "different".into(),
        decided_by: w.caseworker.id.clone(),
        decided_at: T0 + 500,
    };
    t.store.answer_suspect_pair(&pair, &event(AuditAction::CaseRead)).await.unwrap();
    crate::exchange::fill_exchange(t).await;
    crate::exchange_transport::fill_exchange_transport(t).await;
    crate::exchange_referrals::fill_exchange_referrals(t, &w).await;
    crate::persons::fill_persons(t).await;
    fill_person_review(t, &w.caseworker.id).await;
    crate::subject_requests::fill_subject_requests(t, &w.caseworker.id).await;
    // Retention (migration 0034): a closure, a listed record, a hold and a completion.
    t.store
        .record_case_closure("case-1", "2021-05-31", &w.caseworker.id, T0, &event(AuditAction::CaseClosed))
        .await
        .unwrap();
    let item = haven_storage::RetentionItemRow {
        record_kind: "registration".into(),
        record_id: "case-1".into(),
        jurisdiction: "LV".into(),
        case_id: Some("case-1".into()),
        organisation_id: Some(w.ngo.id.clone()),
        runs_from: "case_closed".into(),
        from_on: "2021-05-31".into(),
        due_on: "2026-05-31".into(),
        action: "review".into(),
        listed_on: "2026-06-01".into(),
        state: "listed".into(),
        decided_by: None,
        decided_at: None,
        note: None,
    };
    assert!(t.store.list_retention_item(&item, &event(AuditAction::RetentionListed)).await.unwrap());
    let hold = haven_storage::RetentionHoldRow {
        id: "hold-1".into(),
        record_kind: "registration".into(),
        record_id: "case-1".into(),
        jurisdiction: "LV".into(),
        reason: "Litigation.".into(),
        placed_by: w.caseworker.id.clone(),
        placed_at: T0 + 600,
        released_by: None,
        released_at: None,
        release_reason: None,
    };
    t.store.place_retention_hold(&hold, &event(AuditAction::RetentionHoldPlaced)).await.unwrap();
    let completion = haven_storage::ProcessingCompletionRow {
        jurisdiction: "LV".into(),
        field: "controller".into(),
        body: "The ministry.".into(),
        updated_by: w.caseworker.id.clone(),
        updated_at: T0 + 700,
    };
    t.store.save_processing_completion(&completion, &event(AuditAction::ProcessingRecordCompleted)).await.unwrap();
    // An erased case (crypto-shredding): the record of its erasure is in the backup, the key
    // store (its tombstone) is not.
    let gone = case("case-8", "LV-2026-0008", &w.ngo.id, &w.caseworker.id, "LV", T0 + 8);
    t.store.create_case(&gone, &person("case-8", 8), &event(AuditAction::CaseCreated)).await.unwrap();
    assert!(
        t.store
            .erase_case("case-8", &w.caseworker.id, T0 + 90, None, None, &event(AuditAction::PersonErased))
            .await
            .unwrap()
    );
    let mut odd = event(AuditAction::LoginFailed).from_address(Some("2001:db8::1"));
    odd.detail = Some("\"quoted\" \\ ā \u{1F600}".into());
    t.store.append_audit(&odd).await.unwrap();
}

/// An answer about a pair, the scored candidate pairs and a re-trained person model.
async fn fill_person_review(t: &TestStore, officer: &str) {
    let answer = haven_storage::ReviewAnswerRow {
        id: "answer-1".into(),
        jurisdiction: "LV".into(),
        case_id_a: "case-1".into(),
        case_id_b: "case-2".into(),
        answer: "different".into(),
        question: "uncertain".into(),
        weight_micro: -1_250_000,
        answered_by: officer.into(),
        answered_at: T0 + 60,
    };
    t.store.record_review_answer(&answer, &event(AuditAction::PersonPairAnswered)).await.unwrap();
    let pair = haven_storage::ReviewPairRow {
        case_id_a: "case-1".into(),
        case_id_b: "case-2".into(),
        weight_micro: -1_250_000,
        pattern: 37,
        rules: 3,
        model_version: 0,
    };
    t.store.replace_review_pairs("LV", T0 + 55, &[pair]).await.unwrap();
    let model = haven_storage::PersonModelRow {
        version: 1,
        jurisdiction: "LV".into(),
        model: "# a model\n[settings]\n".into(),
        basis: "{\"records\":4}".into(),
        threshold_before_nano: 900_000_000,
        threshold_after_nano: 440_000_000,
        warnings: "[]".into(),
        created_by: officer.into(),
        created_at: T0 + 70,
    };
    t.store.save_person_model(&model, &event(AuditAction::PersonModelRetrained)).await.unwrap();
}

/// Lines of a dump per table, for comparisons that do not depend on row order.
fn table_rows(dump: &[u8]) -> Vec<(String, Vec<String>)> {
    let text = std::str::from_utf8(dump).unwrap();
    let mut out: Vec<(String, Vec<String>)> = TABLES.iter().map(|t| ((*t).to_owned(), Vec::new())).collect();
    for line in text.lines().skip(1) {
        let v: Value = serde_json::from_str(line).unwrap();
        let table = v["t"].as_str().unwrap();
        out.iter_mut().find(|(t, _)| t == table).unwrap().1.push(v["r"].to_string());
    }
    for (_, rows) in &mut out {
        rows.sort();
    }
    out
}

async fn restore(target: &TestStore, dump: &[u8]) -> Result<u64, BackupError> {
    let mut input: &[u8] = dump;
    target.store.restore(&mut input).await
}

async fn backup_and_restore_round_trip(t: TestStore) {
    fill(&t).await;
    let mut dump = Vec::new();
    let rows = t.store.dump(&mut dump).await.unwrap();
    let per_table = table_rows(&dump);
    for (table, lines) in &per_table {
        assert!(!lines.is_empty(), "the fixture leaves {table} empty");
    }
    assert_eq!(rows as usize, per_table.iter().map(|(_, l)| l.len()).sum::<usize>());

    let target = t.sibling().await;
    assert_eq!(restore(&target, &dump).await.unwrap(), rows);
    assert_eq!(target.dump().await, dump, "the restored database dumps to the same bytes");
    assert_eq!(target.store.user("usr-admin").await.unwrap(), t.store.user("usr-admin").await.unwrap());
    assert_eq!(target.store.case("case-1").await.unwrap(), t.store.case("case-1").await.unwrap());
    assert_eq!(target.store.person("case-2").await.unwrap(), t.store.person("case-2").await.unwrap());
    let n = t.head_seq().await as u64;
    target.assert_chain(n).await;
    // The restored chain continues.
    assert_eq!(target.store.append_audit(&event(AuditAction::Restore)).await.unwrap(), n as i64 + 1);
    target.assert_chain(n + 1).await;
}

async fn restore_into_a_non_empty_database_is_refused(t: TestStore) {
    fill(&t).await;
    let dump = t.dump().await;
    let target = t.sibling().await;
    let org = organisation("org-x", "Already Here", OrganisationKind::Court, "LT");
    target.store.create_organisation(&org, &event(AuditAction::OrganisationCreated)).await.unwrap();
    let before = target.dump().await;
    assert!(matches!(restore(&target, &dump).await, Err(BackupError::NotEmpty)));
    assert!(matches!(restore(&t, &dump).await, Err(BackupError::NotEmpty)), "restore over itself");
    assert_eq!(target.dump().await, before);

    // A single audit entry is enough to make a database not new.
    let logged = t.sibling().await;
    logged.store.append_audit(&event(AuditAction::LoginFailed)).await.unwrap();
    assert!(matches!(restore(&logged, &dump).await, Err(BackupError::NotEmpty)));
    assert_eq!(logged.head_seq().await, 1);
}

async fn corrupted_backups_are_refused_and_write_nothing(t: TestStore) {
    fill(&t).await;
    let dump = String::from_utf8(t.dump().await).unwrap();
    let lines: Vec<&str> = dump.lines().collect();
    let target = t.sibling().await;
    let empty = target.dump().await;
    let with_line = |n: usize, replacement: &str| {
        let mut l: Vec<String> = lines.iter().map(|s| (*s).to_owned()).collect();
        l[n - 1] = replacement.to_owned();
        l.join("\n") + "\n"
    };
    // The last line of the dump: its rows come after every other table's.
    let last = lines.len();
    let mut last_row: Value = serde_json::from_str(lines[last - 1]).unwrap();
    last_row["r"].as_array_mut().unwrap().push(Value::Null);
    let too_many = last_row.to_string();
    let mut wrong_type: Value = serde_json::from_str(lines[last - 1]).unwrap();
    wrong_type["r"][1] = Value::String("one".into());
    let wrong_type = wrong_type.to_string();

    let cases: Vec<(String, usize, &str)> = vec![
        (with_line(3, "{\"t\": \"organisations\", \"r\": [\"org-"), 3, "JSON"),
        (with_line(last, &too_many), last, "columns"),
        (with_line(last, &wrong_type), last, "integer"),
        (with_line(4, "{\"t\": \"victims\", \"r\": [\"x\"]}"), 4, "victims"),
        (with_line(1, "{\"format\": \"something-else\"}"), 1, "format"),
        (String::new(), 1, "empty"),
    ];
    for (text, line, words) in &cases {
        let err = restore(&target, text.as_bytes()).await.unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, BackupError::Format { line: l, .. } if l == *line), "expected line {line}: {message}");
        assert!(message.starts_with(&format!("line {line}:")), "{message}");
        assert!(message.contains(words), "{message}");
        assert_eq!(target.dump().await, empty, "a refused restore wrote something ({message})");
    }

    // Rows that break the database's own rules (a user whose organisation is not in the
    // backup) fail in the database, late: everything before them is rolled back.
    let no_orgs: String =
        lines.iter().filter(|l| !l.contains("\"t\":\"organisations\"")).map(|l| format!("{l}\n")).collect();
    assert_ne!(no_orgs.len(), dump.len());
    let err = restore(&target, no_orgs.as_bytes()).await.unwrap_err();
    assert!(matches!(err, BackupError::Storage(_)), "{err}");
    assert_eq!(target.dump().await, empty, "a failed restore left rows behind");
    // And the target can still take the good backup.
    restore(&target, dump.as_bytes()).await.unwrap();
    assert_eq!(target.dump().await, dump.as_bytes());
}

async fn a_backup_taken_during_writes_is_consistent(t: TestStore) {
    fill(&t).await;
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4 {
        let store = t.store.clone();
        let stop = stop.clone();
        writers.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let id = format!("org-w{w}-{i}");
                let org = organisation(&id, &id, OrganisationKind::Ngo, "EE");
                store
                    .create_organisation(&org, &event(AuditAction::OrganisationCreated).on("organisation", &id, None))
                    .await
                    .unwrap();
                store.append_audit(&event(AuditAction::CaseListed)).await.unwrap();
                i += 1;
            }
            i
        }));
    }
    let mut dumps = Vec::new();
    for _ in 0..3 {
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        dumps.push(t.dump().await);
    }
    stop.store(true, Ordering::Relaxed);
    let mut written = 0;
    for w in writers {
        written += w.await.unwrap();
    }
    assert!(written > 0, "the writers never ran");

    for dump in &dumps {
        let tables = table_rows(dump);
        let rows = |name: &str| tables.iter().find(|(t, _)| t == name).unwrap().1.clone();
        let log: Vec<Value> = rows("audit_log").iter().map(|r| serde_json::from_str(r).unwrap()).collect();
        let head: Vec<Value> = rows("audit_head").iter().map(|r| serde_json::from_str(r).unwrap()).collect();
        let mut seqs: Vec<i64> = log.iter().map(|r| r[0].as_i64().unwrap()).collect();
        seqs.sort();
        assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>(), "gapless");
        let newest = log.iter().max_by_key(|r| r[0].as_i64().unwrap()).unwrap();
        assert_eq!(head.len(), 1);
        assert_eq!(head[0][1], newest[0], "the head in the dump is the newest entry in the dump");
        assert_eq!(head[0][2], newest[11], "the head's MAC is the newest entry's");
        // Every organisation a writer created has its audit entry in the same dump.
        let created = rows("organisations").iter().filter(|r| r.contains("org-w")).count();
        let audited = log.iter().filter(|r| r[7].as_str().is_some_and(|id| id.starts_with("org-w"))).count();
        assert_eq!(created, audited);
        // And it restores into a chain that verifies.
        let target = t.sibling().await;
        restore(&target, dump).await.unwrap();
        target.assert_chain(seqs.len() as u64).await;
    }
}

/// SQLite -> PostgreSQL -> SQLite, with the same audit key.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cross_backend_restore() {
    let key = haven_crypto::AuditKey::generate();
    let Some(pg) = postgres_store_with_key(key.clone()).await else {
        skipped();
        return;
    };
    let lite = sqlite_store_with_key(key.clone()).await;
    assert_eq!((lite.kind, pg.kind), (Kind::Sqlite, Kind::Postgres));
    fill(&lite).await;
    let from_sqlite = lite.dump().await;
    restore(&pg, &from_sqlite).await.unwrap();
    let from_postgres = pg.dump().await;
    assert_eq!(table_rows(&from_postgres), table_rows(&from_sqlite), "same rows on PostgreSQL");
    let n = lite.head_seq().await as u64;
    pg.assert_chain(n).await;
    pg.store.append_audit(&event(AuditAction::Restore)).await.unwrap();
    pg.assert_chain(n + 1).await;

    let back = sqlite_store_with_key(key).await;
    restore(&back, &pg.dump().await).await.unwrap();
    back.assert_chain(n + 1).await;
    assert_eq!(back.dump().await, pg.dump().await, "PostgreSQL -> SQLite gives the same dump");
}

/// A backup taken before the identification procedure was pinned to cases (no `procedure_id` on
/// registrations, no `votes` on decisions) still restores: the later columns come back empty,
/// and the application reads such a referred case under the earlier two-decision procedure.
async fn a_backup_of_an_earlier_schema_restores_the_columns_added_since_as_null(t: TestStore) {
    fill(&t).await;
    let dump = String::from_utf8(t.dump().await).unwrap();
    let mut trimmed = 0;
    let older: String = dump
        .lines()
        .map(|line| {
            if !(line.contains("\"t\":\"registrations\"") || line.contains("\"t\":\"decisions\"")) {
                return format!("{line}\n");
            }
            let mut v: Value = serde_json::from_str(line).unwrap();
            v["r"].as_array_mut().unwrap().pop();
            trimmed += 1;
            format!("{v}\n")
        })
        .collect();
    assert!(trimmed >= 2, "the fixture has registrations and decisions");
    let target = t.sibling().await;
    restore(&target, older.as_bytes()).await.unwrap();
    let case_ids: Vec<String> = table_rows(&dump.clone().into_bytes())
        .into_iter()
        .filter(|(table, _)| table == "registrations")
        .flat_map(|(_, rows)| rows)
        .filter_map(|r| serde_json::from_str::<Value>(&r).ok()?.get(0)?.as_str().map(str::to_owned))
        .collect();
    for id in case_ids {
        let restored = target.store.registration(&id).await.unwrap().unwrap();
        assert_eq!(restored.procedure_id, None, "{id}");
        let original = t.store.registration(&id).await.unwrap().unwrap();
        assert_eq!(restored.record, original.record, "{id}");
    }
    // Too many values is still refused.
    let mut row: Value =
        serde_json::from_str(dump.lines().find(|l| l.contains("\"t\":\"decisions\"")).unwrap()).unwrap();
    row["r"].as_array_mut().unwrap().extend([Value::Null, Value::Null]);
    let too_many: String = dump
        .lines()
        .map(|l| if l.contains("\"t\":\"decisions\"") { format!("{row}\n") } else { format!("{l}\n") })
        .collect();
    assert!(restore(&t.sibling().await, too_many.as_bytes()).await.is_err());
}
