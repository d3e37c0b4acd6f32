//! Key rotation's storage: every encrypted column read in batches and its ciphertexts replaced
//! only if unchanged; decisions stay immutable but for their encrypted reasons.

use crate::support::TestStore;
use haven_storage::{CASE_COLUMNS_UNDER_FIELD_KEYS, ENCRYPTED_COLUMNS, SUBJECT_COLUMNS, SubjectColumn};

contract_tests!(
    every_encrypted_column_is_walked_in_batches_and_replaced_only_if_unchanged,
    a_decision_takes_new_reasons_ciphertext_and_nothing_else,
    retiring_a_data_key_deletes_its_row,
    art_17_reg_2016_679_every_encrypted_column_of_a_case_goes_with_its_subject_key_or_says_why_not,
);

/// Erasure by crypto-shredding reaches only the subject columns: every encrypted column whose
/// table names a case (`case_id`) is one of them, or is listed with the reason it is not.
async fn art_17_reg_2016_679_every_encrypted_column_of_a_case_goes_with_its_subject_key_or_says_why_not(t: TestStore) {
    let mut of_cases = 0;
    for col in ENCRYPTED_COLUMNS {
        let probe = SubjectColumn { column: *col, case: "case_id" };
        if t.store.subject_fields_of_case(&probe, "no such case").await.is_err() {
            continue; // the table has no case_id column
        }
        of_cases += 1;
        let subject = SUBJECT_COLUMNS.iter().any(|s| s.column == *col);
        let kept = CASE_COLUMNS_UNDER_FIELD_KEYS
            .iter()
            .any(|(table, column, why)| *table == col.table && *column == col.column && !why.trim().is_empty());
        assert!(
            subject != kept,
            "{}.{} names a case: it must be a subject column or be listed with a reason, not {}",
            col.table,
            col.column,
            if subject { "both" } else { "neither" }
        );
    }
    assert!(of_cases >= 20, "the probe finds the case tables: {of_cases}");
    for (table, column, _) in CASE_COLUMNS_UNDER_FIELD_KEYS {
        assert!(ENCRYPTED_COLUMNS.iter().any(|c| c.table == *table && c.column == *column), "{table}.{column}");
    }
}

async fn every_encrypted_column_is_walked_in_batches_and_replaced_only_if_unchanged(t: TestStore) {
    crate::backup::fill(&t).await;
    let mut filled = 0;
    for col in ENCRYPTED_COLUMNS {
        let all = t.store.encrypted_batch(col, None, 10_000).await.unwrap();
        // Batches of one, each after the last row of the one before, give the same rows.
        let mut walked = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let batch = t.store.encrypted_batch(col, after.as_deref(), 1).await.unwrap();
            let Some((row, _)) = batch.last() else { break };
            after = Some(row.clone());
            walked.extend(batch);
        }
        assert_eq!(walked, all, "{}.{}", col.table, col.column);
        let Some((row, ct)) = all.first() else { continue };
        filled += 1;
        let new = [ct.as_slice(), b"+rotated"].concat();
        assert!(!t.store.replace_encrypted(col, row, b"not what is stored", &new).await.unwrap());
        assert!(t.store.replace_encrypted(col, row, ct, &new).await.unwrap(), "{}.{}", col.table, col.column);
        let now = t.store.encrypted_batch(col, None, 10_000).await.unwrap();
        for ((r0, c0), (r1, c1)) in all.iter().zip(&now) {
            assert_eq!(r0, r1);
            assert_eq!(c1, if r0 == row { &new } else { c0 }, "{}.{} of {r0}", col.table, col.column);
        }
    }
    assert!(filled >= 12, "the fixture fills most encrypted columns: {filled}");
}

async fn a_decision_takes_new_reasons_ciphertext_and_nothing_else(t: TestStore) {
    crate::backup::fill(&t).await;
    let col = ENCRYPTED_COLUMNS.iter().find(|c| c.table == "decisions").unwrap();
    let (row, ct) = t.store.encrypted_batch(col, None, 1).await.unwrap().pop().expect("a decision with reasons");
    assert!(t.store.replace_encrypted(col, &row, &ct, b"re-encrypted reasons").await.unwrap());
    for sql in [
        "UPDATE decisions SET kind = 'other'",
        "UPDATE decisions SET reasons = NULL",
        "UPDATE decisions SET reasons = x'00', decided_on = '2020-01-01'",
        "DELETE FROM decisions",
    ] {
        let sql = sql.replace("x'00'", if t.store.backend_name() == "postgres" { "'\\x00'::bytea" } else { "x'00'" });
        let r = t.store.execute_unchecked(&sql).await;
        assert!(r.is_err(), "{sql} was allowed: {r:?}");
    }
    let (_, now) = t.store.encrypted_batch(col, None, 1).await.unwrap().pop().unwrap();
    assert_eq!(now, b"re-encrypted reasons");
}

async fn retiring_a_data_key_deletes_its_row(t: TestStore) {
    crate::backup::fill(&t).await;
    let before = t.store.data_keys().await.unwrap();
    let id = before.first().expect("a data key").id;
    assert!(t.store.delete_data_key(id).await.unwrap());
    assert!(!t.store.delete_data_key(id).await.unwrap());
    let after = t.store.data_keys().await.unwrap();
    assert_eq!(after.len() + 1, before.len());
    assert!(after.iter().all(|k| k.id != id));
}
