//! Demonstration data for retention (docs/data-protection.md): Latvia's data protection officer
//! (`demo.dpo`) finds records due for review. A few Latvian cases are recorded as closed a little
//! more than five years ago (synthetic: cases closed before the instance kept them), so that their
//! registrations' schedule (five years from closure, then review) has run out; the retention job
//! runs once 35 days ago, listing them, and the officer places a legal hold on one of them with a
//! reason; it runs again today, after the 30-day grace period, and puts the others on the
//! officer's review list. Nothing is erased.

use anyhow::{Context, Result};
use haven_app::{App, FixedClock, Principal};
use haven_domain::case::CalendarDate;
use haven_domain::retention::RecordKind;
use haven_domain::{Coded, Jurisdiction};

/// How many Latvian cases are recorded as closed long ago.
const CLOSED: usize = 4;

fn seconds(day: CalendarDate) -> i64 {
    day.days_since_epoch() * 86_400 + 9 * 3600
}

/// Seeds the retention demo on the Latvian instance; gives how many records are on the review
/// list and how many are held.
pub async fn seed(app: &App, clock: &FixedClock, dpo: &Principal, today: CalendarDate) -> Result<(usize, usize)> {
    let lv = Jurisdiction::parse("jurisdiction", "LV")?;
    let sources = app.store().retention_sources(lv.code()).await?;
    let cases: Vec<String> = sources
        .iter()
        .filter(|s| s.record_kind == RecordKind::Registration.code())
        .filter_map(|s| s.case_id.clone())
        .take(CLOSED)
        .collect();
    let closed_on = today.add_days(-(5 * 365 + 62)).context("a date out of range")?;
    for case_id in &cases {
        app.record_case_closure(dpo, case_id, &closed_on.to_string()).await.context("a synthetic case closure")?;
    }
    let now = app.now();
    let listed_on = today.add_days(-35).context("a date out of range")?;
    clock.set(seconds(listed_on));
    app.run_retention(lv).await.context("the retention job, 35 days ago")?;
    let mut held = 0;
    if let Some(first) = cases.first() {
        app.place_retention_hold(
            dpo,
            RecordKind::Registration.code(),
            first,
            "Compensation claim pending before the court (synthetic)",
        )
        .await
        .context("a synthetic legal hold")?;
        held = 1;
    }
    clock.set(now);
    app.run_retention(lv).await.context("the retention job, today")?;
    let review = app.store().retention_items(lv.code()).await?.iter().filter(|i| i.state == "review").count();
    Ok((review, held))
}
