//! Retention profiles are dated national practice: the daily job applies the version of the
//! jurisdiction's profile in force on the day it runs (by the app's clock), so a later version
//! with a shorter period changes what it lists from that version's day on, and before a
//! jurisdiction's first version the job does nothing there (docs/data-protection.md, "Retention
//! schedules").

use std::sync::Arc;

use crate::common::{NOW, audit_detail_count, organisation, user};
use haven_app::{App, AppSettings, FixedClock};
use haven_crypto::MasterKey;
use haven_domain::Jurisdiction;
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_domain::case::CalendarDate;
use haven_domain::retention::{RecordKind, RetentionProfile, RetentionProfiles};
use haven_storage::{NotificationRow, Store};

const DAY: i64 = 86_400;

/// The shipped Latvian profile (in force from 2026-01-01, notifications kept three years).
const LV: &str = include_str!("../../../domain/profiles/retention/lv.toml");

fn lv() -> Jurisdiction {
    Jurisdiction::parse("j", "LV").unwrap()
}

fn date(s: &str) -> CalendarDate {
    CalendarDate::parse("d", s).unwrap()
}

fn seconds(day: &str) -> i64 {
    date(day).days_since_epoch() * DAY + 9 * 3600
}

/// The Latvian profile as a version from `valid_from`, its notifications kept `years` years.
fn lv_version(valid_from: &str, years: u16) -> RetentionProfile {
    let text = LV.replacen("valid_from = \"2026-01-01\"", &format!("valid_from = \"{valid_from}\""), 1).replacen(
        "kind = \"anonymous_notification\"\nyears = 3\n",
        &format!("kind = \"anonymous_notification\"\nyears = {years}\n"),
        1,
    );
    let p = RetentionProfile::parse(&text).unwrap();
    assert_eq!(p.schedule(RecordKind::AnonymousNotification).unwrap().years, years, "the file still says 3 years");
    assert_eq!(p.valid_from, date(valid_from), "the file still says 2026-01-01");
    p
}

/// An app on a fresh SQLite database with `profiles`, its clock at [`NOW`] (2026-05-28) and
/// handed back, and one Latvian anonymous notification of 2025-09-01.
async fn world(profiles: RetentionProfiles) -> (App, Arc<FixedClock>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    let clock = Arc::new(FixedClock::new(NOW));
    let app = App::open(store, &MasterKey::generate(), clock.clone(), AppSettings::default())
        .await
        .unwrap()
        .with_retention_profiles(profiles);
    let ngo = organisation(&app, "Biedrība Patvērums", "ngo", "LV").await;
    let _ = user(&app, "lv.caseworker", &ngo, "caseworker").await;
    let by = app.store().user_by_username("lv.caseworker").await.unwrap();
    let notification = NotificationRow {
        id: "n-1".into(),
        jurisdiction: "LV".into(),
        organisation_id: ngo,
        organisation_kind: "ngo".into(),
        notified_on: "2025-09-01".into(),
        sex: "female".into(),
        age_group: "adult".into(),
        citizenship: "LV".into(),
        forms: "[]".into(),
        created_by: by.id,
        created_at: seconds("2025-09-01"),
    };
    let event = AuditEvent::new(NOW, AuditAction::NotificationFiled, AuditOutcome::Success);
    app.store().add_notification(&notification, &event).await.unwrap();
    (app, clock, dir)
}

#[tokio::test]
async fn art_5_1_e_reg_2016_679_a_later_version_with_a_shorter_period_changes_what_the_job_lists_from_its_day() {
    let profiles = RetentionProfiles::new(vec![lv_version("2026-01-01", 3), lv_version("2027-01-01", 1)]).unwrap();
    let (app, clock, _dir) = world(profiles).await;

    // The first version: three years from 2025-09-01, due 2028-09-01.
    let run = app.run_retention(lv()).await.unwrap().unwrap();
    assert_eq!(run.listed, 0, "{run:?}");
    assert_eq!(app.retention_profile(lv(), app.today()).unwrap().valid_from, date("2026-01-01"));
    // The last day of the first version: under the second the notification would be due
    // (2026-09-01), but the second is not in force yet.
    clock.set(seconds("2026-12-31"));
    let run = app.run_retention(lv()).await.unwrap().unwrap();
    assert_eq!(run.listed, 0, "the later version does not apply before its day: {run:?}");
    assert!(app.store().retention_items("LV").await.unwrap().is_empty());

    // From the second version's day: one year, due 2026-09-01, listed.
    clock.set(seconds("2027-01-01"));
    assert_eq!(app.retention_profile(lv(), app.today()).unwrap().valid_from, date("2027-01-01"));
    let run = app.run_retention(lv()).await.unwrap().unwrap();
    assert_eq!(run.listed, 1, "{run:?}");
    let items = app.store().retention_items("LV").await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].record_id.as_str(), items[0].due_on.as_str()), ("n-1", "2026-09-01"));
    assert_eq!((items[0].listed_on.as_str(), items[0].action.as_str()), ("2027-01-01", "erase"));
    assert_eq!(audit_detail_count(&app, "retention_listed", "due_on=2026-09-01").await, 1);
}

#[tokio::test]
async fn before_a_jurisdictions_first_version_the_job_does_nothing_there() {
    let profiles = RetentionProfiles::new(vec![lv_version("2026-06-01", 1)]).unwrap();
    let (app, clock, _dir) = world(profiles).await;
    // 2026-05-28: no version in force; the notification (due 2026-09-01 under it) is not looked at.
    assert!(app.retention_profile(lv(), app.today()).is_none());
    assert!(app.run_retention(lv()).await.unwrap().is_none());
    assert_eq!(app.run_retention_everywhere().await.unwrap(), vec![]);
    clock.set(seconds("2026-09-01"));
    let run = app.run_retention(lv()).await.unwrap().unwrap();
    assert_eq!(run.listed, 1, "{run:?}");
}
