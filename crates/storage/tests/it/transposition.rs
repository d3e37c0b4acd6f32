//! The transposition tracker's records: kept per country, read by country or all, written all
//! or none with one audit entry.

use crate::support::{T0, TestStore, event};
use haven_domain::audit::AuditAction;
use haven_storage::TranspositionRecordRow;

contract_tests!(art_22_dir_2011_36_transposition_records_are_kept_per_country_and_written_all_or_none);

pub(crate) fn record_row(id: &str, kind: &str, country: &str, day: &str) -> TranspositionRecordRow {
    TranspositionRecordRow {
        id: id.into(),
        kind: kind.into(),
        country: country.into(),
        jurisdiction: if kind == "measure" { country.into() } else { "EU".into() },
        instrument: "DIR_2011_36".into(),
        day: day.into(),
        body: format!("{{\"id\":\"{id}\"}}"),
        recorded_by: "operator".into(),
        recorded_at: T0 + 400,
    }
}

/// Rows for the backup's fixture.
pub(crate) async fn fill_transposition(t: &TestStore) {
    let rows = [record_row("tr-m-1", "measure", "LV", "2013-03-20")];
    t.store.add_transposition_records(&rows, &event(AuditAction::TranspositionRecorded)).await.unwrap();
}

async fn art_22_dir_2011_36_transposition_records_are_kept_per_country_and_written_all_or_none(t: TestStore) {
    crate::support::seed(&t).await;
    let before = t.store.audit_head().await.unwrap().map_or(0, |h| h.seq);
    let late = record_row("m-2", "measure", "LV", "2013-06-14");
    let early = record_row("m-1", "measure", "LV", "2013-03-20");
    let assessment = record_row("a-1", "assessment", "LV", "2016-12-02");
    let ee = record_row("m-3", "measure", "EE", "2013-05-01");
    let written = event(AuditAction::TranspositionRecorded);
    t.store.add_transposition_records(&[late.clone(), early.clone(), assessment.clone()], &written).await.unwrap();
    t.store.add_transposition_records(std::slice::from_ref(&ee), &written).await.unwrap();
    assert_eq!(t.store.transposition_records(Some("LV")).await.unwrap(), vec![early.clone(), late.clone(), assessment]);
    assert_eq!(t.store.transposition_records(Some("EE")).await.unwrap(), vec![ee.clone()]);
    assert_eq!(t.store.transposition_records(None).await.unwrap().len(), 4);
    assert_eq!(t.store.count_transposition_records().await.unwrap(), 4);
    // One audit entry per write.
    let after = t.store.audit_head().await.unwrap().map_or(0, |h| h.seq);
    assert_eq!(after - before, 2);
    // A batch with a row already kept writes nothing, and no audit entry.
    let fresh = record_row("m-9", "measure", "LT", "2013-04-01");
    assert!(t.store.add_transposition_records(&[fresh, ee], &written).await.is_err());
    assert!(t.store.transposition_records(Some("LT")).await.unwrap().is_empty());
    assert_eq!(t.store.audit_head().await.unwrap().map_or(0, |h| h.seq), after);
}
