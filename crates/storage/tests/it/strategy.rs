//! Strategies and action plans, and GRETA's rounds: each write one transaction with its audit
//! entry, refused writes leaving nothing (neither the row nor the entry).

use crate::support::{T0, TestStore, World, event, seed};
use haven_domain::audit::AuditAction;
use haven_storage::{ActionProgressRow, GretaItemRow, GretaRoundRow, StorageError, StrategyActionRow, StrategyRow};

contract_tests!(
    strategies_and_their_actions_are_kept_and_a_second_action_number_is_refused,
    an_actions_progress_is_replaced_only_from_the_progress_it_was_read_from,
    greta_rounds_recommendations_and_follow_ups_are_kept_per_country,
);

async fn audits(t: &TestStore) -> i64 {
    t.store.count_unchecked("SELECT COUNT(*) FROM audit_log").await.unwrap()
}

fn strategy_row(id: &str, jurisdiction: &str, w: &World) -> StrategyRow {
    StrategyRow {
        id: id.into(),
        jurisdiction: jurisdiction.into(),
        body: format!("{{\"id\":\"{id}\"}}"),
        created_by: w.officer.id.clone(),
        created_at: T0 + 10,
    }
}

fn action_row(strategy: &str, number: &str, w: &World) -> StrategyActionRow {
    StrategyActionRow {
        strategy_id: strategy.into(),
        number: number.into(),
        body: format!("{{\"number\":\"{number}\"}}"),
        created_by: w.officer.id.clone(),
        created_at: T0 + 20,
    }
}

fn progress_row(strategy: &str, number: &str, status: &str, at: i64, w: &World) -> ActionProgressRow {
    ActionProgressRow {
        strategy_id: strategy.into(),
        number: number.into(),
        jurisdiction: "LV".into(),
        body: format!("{{\"status\":\"{status}\"}}"),
        updated_by: w.officer.id.clone(),
        updated_at: at,
    }
}

fn round_row(id: &str, country: &str, round: i64, w: &World) -> GretaRoundRow {
    GretaRoundRow {
        id: id.into(),
        country: country.into(),
        round,
        body: format!("{{\"round\":{round}}}"),
        created_by: w.officer.id.clone(),
        created_at: T0 + 30,
    }
}

fn item(id: &str, parent: &str, country: &str, w: &World) -> GretaItemRow {
    GretaItemRow {
        id: id.into(),
        parent_id: parent.into(),
        country: country.into(),
        body: format!("{{\"id\":\"{id}\"}}"),
        created_by: w.officer.id.clone(),
        created_at: T0 + 40,
    }
}

/// Fills the tables (for the backup round trip).
pub(crate) async fn fill_strategy(t: &TestStore, w: &World) {
    let changed = event(AuditAction::StrategyChanged);
    t.store.add_strategy(&strategy_row("plan-1", "LV", w), &changed).await.unwrap();
    t.store.add_strategy_action(&action_row("plan-1", "1.1", w), &changed).await.unwrap();
    t.store.set_action_progress(&progress_row("plan-1", "1.1", "ongoing", T0 + 50, w), None, &changed).await.unwrap();
    let greta = event(AuditAction::GretaChanged);
    t.store.add_greta_round(&round_row("round-1", "LV", 1, w), &greta).await.unwrap();
    t.store.add_greta_recommendation(&item("rec-1", "round-1", "LV", w), &greta).await.unwrap();
    t.store.add_greta_follow_up(&item("fu-1", "rec-1", "LV", w), &greta).await.unwrap();
}

async fn strategies_and_their_actions_are_kept_and_a_second_action_number_is_refused(t: TestStore) {
    let w = seed(&t).await;
    let changed = event(AuditAction::StrategyChanged);
    let before = audits(&t).await;
    t.store.add_strategy(&strategy_row("plan-lv", "LV", &w), &changed).await.unwrap();
    t.store.add_strategy(&strategy_row("plan-eu", "EU", &w), &changed).await.unwrap();
    assert_eq!(audits(&t).await - before, 2);
    let lv = t.store.strategies(Some(&["LV".to_owned()])).await.unwrap();
    assert_eq!(lv.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["plan-lv"]);
    assert_eq!(t.store.strategies(None).await.unwrap().len(), 2);
    assert_eq!(t.store.strategy("plan-eu").await.unwrap().unwrap().jurisdiction, "EU");
    assert!(t.store.strategy("nothing").await.unwrap().is_none());

    t.store.add_strategy_action(&action_row("plan-lv", "1.1", &w), &changed).await.unwrap();
    t.store.add_strategy_action(&action_row("plan-lv", "1.2", &w), &changed).await.unwrap();
    let before = audits(&t).await;
    let twice = t.store.add_strategy_action(&action_row("plan-lv", "1.1", &w), &changed).await;
    assert!(matches!(twice, Err(StorageError::Conflict(_))), "{twice:?}");
    assert_eq!(audits(&t).await, before, "a refused write leaves no audit entry");
    let unknown = t.store.add_strategy_action(&action_row("no-plan", "1.1", &w), &changed).await;
    assert!(unknown.is_err());
    assert_eq!(audits(&t).await, before);
    let actions = t.store.strategy_actions("plan-lv").await.unwrap();
    assert_eq!(actions.iter().map(|r| r.number.as_str()).collect::<Vec<_>>(), ["1.1", "1.2"]);
}

async fn an_actions_progress_is_replaced_only_from_the_progress_it_was_read_from(t: TestStore) {
    let w = seed(&t).await;
    let changed = event(AuditAction::StrategyChanged);
    // The shipped strategy's actions have progress without a stored strategy row.
    let first = progress_row("eu-2012-2016", "A1.2", "ongoing", T0 + 100, &w);
    t.store.set_action_progress(&first, None, &changed).await.unwrap();
    let before = audits(&t).await;
    // A change made on no progress, after another came first: refused, nothing written.
    let stale = progress_row("eu-2012-2016", "A1.2", "completed", T0 + 200, &w);
    assert!(matches!(t.store.set_action_progress(&stale, None, &changed).await, Err(StorageError::Conflict(_))));
    assert!(matches!(
        t.store.set_action_progress(&stale, Some(T0 + 99), &changed).await,
        Err(StorageError::Conflict(_))
    ));
    assert_eq!(audits(&t).await, before);
    t.store.set_action_progress(&stale, Some(T0 + 100), &changed).await.unwrap();
    assert_eq!(audits(&t).await - before, 1);
    let rows = t.store.action_progress("eu-2012-2016").await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].body.as_str(), rows[0].updated_at), ("{\"status\":\"completed\"}", T0 + 200));
    assert!(t.store.action_progress("other").await.unwrap().is_empty());
}

async fn greta_rounds_recommendations_and_follow_ups_are_kept_per_country(t: TestStore) {
    let w = seed(&t).await;
    let greta = event(AuditAction::GretaChanged);
    t.store.add_greta_round(&round_row("lv-1", "LV", 1, &w), &greta).await.unwrap();
    t.store.add_greta_round(&round_row("lv-2", "LV", 2, &w), &greta).await.unwrap();
    t.store.add_greta_round(&round_row("ee-1", "EE", 1, &w), &greta).await.unwrap();
    let before = audits(&t).await;
    let again = t.store.add_greta_round(&round_row("lv-1b", "LV", 1, &w), &greta).await;
    assert!(matches!(again, Err(StorageError::Conflict(_))), "{again:?}");
    assert_eq!(audits(&t).await, before);
    let lv = t.store.greta_rounds(Some(&["LV".to_owned()])).await.unwrap();
    assert_eq!(lv.iter().map(|r| (r.id.as_str(), r.round)).collect::<Vec<_>>(), [("lv-1", 1), ("lv-2", 2)]);
    assert_eq!(t.store.greta_round("ee-1").await.unwrap().unwrap().country, "EE");

    t.store.add_greta_recommendation(&item("rec-a", "lv-1", "LV", &w), &greta).await.unwrap();
    t.store.add_greta_recommendation(&item("rec-b", "ee-1", "EE", &w), &greta).await.unwrap();
    let before = audits(&t).await;
    // A recommendation of a round that is not there, or of another country's round: refused.
    for bad in [item("rec-x", "nothing", "LV", &w), item("rec-y", "ee-1", "LV", &w)] {
        assert!(matches!(t.store.add_greta_recommendation(&bad, &greta).await, Err(StorageError::NotFound)));
    }
    assert!(matches!(
        t.store.add_greta_follow_up(&item("fu-x", "rec-b", "LV", &w), &greta).await,
        Err(StorageError::NotFound)
    ));
    assert_eq!(audits(&t).await, before);
    t.store.add_greta_follow_up(&item("fu-a", "rec-a", "LV", &w), &greta).await.unwrap();
    let recs = t.store.greta_recommendations(Some(&["LV".to_owned()])).await.unwrap();
    assert_eq!(recs.iter().map(|r| (r.id.as_str(), r.parent_id.as_str())).collect::<Vec<_>>(), [("rec-a", "lv-1")]);
    let fus = t.store.greta_follow_ups(None).await.unwrap();
    assert_eq!(fus.iter().map(|r| (r.id.as_str(), r.parent_id.as_str())).collect::<Vec<_>>(), [("fu-a", "rec-a")]);
    assert!(t.store.greta_follow_ups(Some(&["EE".to_owned()])).await.unwrap().is_empty());
}
