//! The rapporteur's annual report (migration 0031): one report per jurisdiction and year, saved
//! under an optimistic version with its audit entry, a final report never changed again; refused
//! writes leave nothing (neither the row nor the entry).

use crate::support::{T0, TestStore, World, event, seed};
use haven_domain::audit::AuditAction;
use haven_storage::{AnnualReportRow, StorageError};

contract_tests!(
    a_report_is_kept_per_jurisdiction_and_year_and_saved_only_from_the_version_read,
    a_final_report_is_not_changed_again,
);

async fn audits(t: &TestStore) -> i64 {
    t.store.count_unchecked("SELECT COUNT(*) FROM audit_log").await.unwrap()
}

fn row(id: &str, jurisdiction: &str, year: i64, version: i64, w: &World) -> AnnualReportRow {
    AnnualReportRow {
        id: id.into(),
        jurisdiction: jurisdiction.into(),
        year,
        status: "draft".into(),
        narrative: vec![1, 2, 3, version as u8],
        version,
        created_by: w.officer.id.clone(),
        created_at: T0 + 10,
        updated_by: w.officer.id.clone(),
        updated_at: T0 + 10 + version,
        finalised_by: None,
        finalised_at: None,
    }
}

/// Fills the table (for the backup round trip): a draft and a final report.
pub(crate) async fn fill_annual_reports(t: &TestStore, w: &World) {
    let changed = event(AuditAction::AnnualReportChanged);
    t.store.save_annual_report(&row("report-1", "LV", 2025, 1, w), &changed).await.unwrap();
    t.store.save_annual_report(&row("report-2", "LV", 2026, 1, w), &changed).await.unwrap();
    let mut last = row("report-2", "LV", 2026, 2, w);
    last.status = "final".into();
    last.finalised_by = Some(w.officer.id.clone());
    last.finalised_at = Some(T0 + 99);
    t.store.save_annual_report(&last, &event(AuditAction::AnnualReportFinalised)).await.unwrap();
}

async fn a_report_is_kept_per_jurisdiction_and_year_and_saved_only_from_the_version_read(t: TestStore) {
    let w = seed(&t).await;
    let changed = event(AuditAction::AnnualReportChanged);
    let before = audits(&t).await;
    t.store.save_annual_report(&row("lv-2026", "LV", 2026, 1, &w), &changed).await.unwrap();
    t.store.save_annual_report(&row("eu-2026", "EU", 2026, 1, &w), &changed).await.unwrap();
    assert_eq!(audits(&t).await - before, 2);
    let before = audits(&t).await;
    // A second report of the jurisdiction and year: refused, nothing written.
    let twice = t.store.save_annual_report(&row("lv-2026b", "LV", 2026, 1, &w), &changed).await;
    assert!(matches!(twice, Err(StorageError::Conflict(_))), "{twice:?}");
    // A save from a version that is not the stored one: refused.
    let stale = t.store.save_annual_report(&row("lv-2026", "LV", 2026, 3, &w), &changed).await;
    assert!(matches!(stale, Err(StorageError::Conflict(_))), "{stale:?}");
    assert_eq!(audits(&t).await, before, "a refused write leaves no audit entry");
    t.store.save_annual_report(&row("lv-2026", "LV", 2026, 2, &w), &changed).await.unwrap();
    let stored = t.store.annual_report("LV", 2026).await.unwrap().unwrap();
    assert_eq!((stored.id.as_str(), stored.version, stored.narrative.as_slice()), ("lv-2026", 2, &[1u8, 2, 3, 2][..]));
    assert!(t.store.annual_report("LV", 2025).await.unwrap().is_none());
    assert!(t.store.annual_report("EE", 2026).await.unwrap().is_none());
    let lv = t.store.annual_reports("LV").await.unwrap();
    assert_eq!(lv.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["lv-2026"]);
}

async fn a_final_report_is_not_changed_again(t: TestStore) {
    let w = seed(&t).await;
    let changed = event(AuditAction::AnnualReportChanged);
    t.store.save_annual_report(&row("lv-2026", "LV", 2026, 1, &w), &changed).await.unwrap();
    let mut last = row("lv-2026", "LV", 2026, 2, &w);
    last.status = "final".into();
    last.finalised_by = Some(w.officer.id.clone());
    last.finalised_at = Some(T0 + 50);
    t.store.save_annual_report(&last, &event(AuditAction::AnnualReportFinalised)).await.unwrap();
    let before = audits(&t).await;
    let again = t.store.save_annual_report(&row("lv-2026", "LV", 2026, 3, &w), &changed).await;
    assert!(matches!(again, Err(StorageError::Conflict(_))), "{again:?}");
    assert_eq!(audits(&t).await, before);
    let stored = t.store.annual_report("LV", 2026).await.unwrap().unwrap();
    assert_eq!((stored.status.as_str(), stored.finalised_at), ("final", Some(T0 + 50)));
}
