//! Strategies, action plans and GRETA's evaluations through the use cases: who reads and
//! records what (`authorize_monitoring`), overdue actions and progress per priority on the
//! clock's day, the strength of a recommendation read or chosen, recommendations without
//! follow-up, every read and write audited.

use crate::common::{Database, organisation, postgres_app, sqlite_app, user};
use haven_app::{App, AppError, Principal};
use haven_domain::greta::{FollowUpInput, RecommendationInput, RoundInput, Strength};
use haven_domain::strategy::{
    ActionInput, ActionStatus, EU_STRATEGY_2012_2016, EU_STRATEGY_2021_2025, ProgressInput, StrategyInput,
};
use haven_domain::{Jurisdiction, MessageId};

struct World {
    app: App,
    _db: Database,
    rapporteur: Principal,
    statistician: Principal,
    caseworker: Principal,
    ee_rapporteur: Principal,
    eu_rapporteur: Principal,
}

async fn world(app: App, db: Database) -> World {
    let lv = organisation(&app, "National Coordinator", "national_rapporteur", "LV").await;
    let ngo = organisation(&app, "Shelter Safe House", "ngo", "LV").await;
    let ee = organisation(&app, "Ministry of Justice", "national_rapporteur", "EE").await;
    let eu = organisation(&app, "EU Anti-Trafficking Coordinator", "eu_anti_trafficking_coordinator", "EU").await;
    World {
        rapporteur: user(&app, "rapporteur", &lv, "rapporteur").await,
        statistician: user(&app, "statistician", &lv, "statistician").await,
        caseworker: user(&app, "caseworker", &ngo, "caseworker").await,
        ee_rapporteur: user(&app, "ee.rapporteur", &ee, "rapporteur").await,
        eu_rapporteur: user(&app, "eu.coordinator", &eu, "rapporteur").await,
        app,
        _db: db,
    }
}

async fn worlds() -> Vec<World> {
    let mut out = Vec::new();
    let (app, db) = sqlite_app().await;
    out.push(world(app, db).await);
    if let Some((app, db)) = postgres_app().await {
        out.push(world(app, db).await);
    }
    out
}

async fn count(app: &App, action: &str) -> i64 {
    app.store().count_unchecked(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await.unwrap()
}

fn field_of(e: AppError) -> (String, Option<MessageId>) {
    match e {
        AppError::Invalid(p) => (p.field, p.problem.map(|m| m.id)),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

fn plan() -> StrategyInput {
    StrategyInput {
        title: "National action plan".into(),
        reference: "Cabinet order 1".into(),
        starts_on: "2024-01-01".into(),
        ends_on: "2027-12-31".into(),
        priorities: "P1: Prevention\nP2: Protection".into(),
    }
}

fn action(number: &str, priority: &str, target_on: &str) -> ActionInput {
    ActionInput {
        number: number.into(),
        priority: priority.into(),
        text: "Train labour inspectors".into(),
        responsible: "State Labour Inspectorate".into(),
        target_on: target_on.into(),
    }
}

fn progress(status: &str, kind: &str, reference: &str) -> ProgressInput {
    ProgressInput {
        status: status.into(),
        note: String::new(),
        evidence_kind: kind.into(),
        evidence_reference: reference.into(),
        evidence_label: if reference.is_empty() { String::new() } else { "Evidence".into() },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_countrys_plan_is_read_and_recorded_by_whom_the_policy_names() {
    for w in worlds().await {
        let changed = count(&w.app, "strategy_changed").await;
        let lv_plan = w.app.record_strategy(&w.rapporteur, &plan()).await.unwrap();
        assert_eq!(lv_plan.scope.code(), "LV");
        let ee_plan = w.app.record_strategy(&w.ee_rapporteur, &plan()).await.unwrap();
        w.app.add_strategy_action(&w.rapporteur, &lv_plan.id, &action("1.1", "P1", "2025-12-31")).await.unwrap();
        w.app.add_strategy_action(&w.rapporteur, &lv_plan.id, &action("1.2", "P2", "")).await.unwrap();
        assert_eq!(count(&w.app, "strategy_changed").await - changed, 4);

        // Latvia's rapporteur and statistician read the EU Strategy and Latvia's plan, not Estonia's.
        for reader in [&w.rapporteur, &w.statistician] {
            let ids: Vec<String> =
                w.app.strategies(reader).await.unwrap().strategies.into_iter().map(|s| s.strategy.id).collect();
            assert_eq!(
                ids,
                vec![EU_STRATEGY_2012_2016.to_owned(), EU_STRATEGY_2021_2025.to_owned(), lv_plan.id.clone()]
            );
        }
        // The EU level reads every country's plan.
        assert_eq!(w.app.strategies(&w.eu_rapporteur).await.unwrap().strategies.len(), 4);
        let denied = count(&w.app, "access_denied").await;
        assert!(matches!(w.app.strategy(&w.ee_rapporteur, &lv_plan.id).await, Err(AppError::Forbidden)));
        assert!(matches!(w.app.strategies(&w.caseworker).await, Err(AppError::Forbidden)));
        // Recording: not the statistician, not another country, not the EU level in a country's plan.
        assert!(matches!(w.app.record_strategy(&w.statistician, &plan()).await, Err(AppError::Forbidden)));
        assert!(matches!(
            w.app.add_strategy_action(&w.ee_rapporteur, &lv_plan.id, &action("9", "P1", "")).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            w.app.record_action_progress(&w.eu_rapporteur, &lv_plan.id, "1.1", &progress("ongoing", "", "")).await,
            Err(AppError::Forbidden)
        ));
        // A country does not record the EU Strategy's progress.
        assert!(matches!(
            w.app
                .record_action_progress(&w.rapporteur, EU_STRATEGY_2012_2016, "A1.2", &progress("ongoing", "", ""))
                .await,
            Err(AppError::Forbidden)
        ));
        assert_eq!(count(&w.app, "access_denied").await - denied, 6);
        // Bad input names its field, and nothing is written.
        let before = count(&w.app, "strategy_changed").await;
        let e = w.app.add_strategy_action(&w.rapporteur, &lv_plan.id, &action("1.3", "P9", "")).await.unwrap_err();
        assert_eq!(field_of(e).0, "priority");
        let e = w.app.add_strategy_action(&w.rapporteur, &lv_plan.id, &action("1 3", "P1", "")).await.unwrap_err();
        assert_eq!(field_of(e), ("number".into(), Some(MessageId::StrategyCodeCharacters)));
        assert!(matches!(
            w.app.add_strategy_action(&w.rapporteur, &lv_plan.id, &action("1.1", "P1", "")).await,
            Err(AppError::ConflictSaid { .. })
        ));
        let e = w
            .app
            .record_action_progress(&w.rapporteur, &lv_plan.id, "1.1", &progress("ongoing", "document", "a b"))
            .await
            .unwrap_err();
        assert_eq!(field_of(e), ("evidence_reference".into(), Some(MessageId::StrategyEvidenceReference)));
        assert_eq!(count(&w.app, "strategy_changed").await, before);
        assert!(matches!(w.app.strategy_action(&w.rapporteur, &lv_plan.id, "7.7").await, Err(AppError::NotFound)));
        let _ = ee_plan;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actions_are_overdue_after_their_target_day_and_progress_is_counted_per_priority() {
    for w in worlds().await {
        // The clock stands in 2026: every EU Strategy action with a target day is overdue until
        // the EU level records it completed or discontinued.
        let eu = w.app.strategy(&w.eu_rapporteur, EU_STRATEGY_2012_2016).await.unwrap();
        let with_day = eu.actions.iter().filter(|a| a.action.target_on.is_some()).count();
        assert!(with_day > 20);
        assert_eq!(eu.actions.iter().filter(|a| a.overdue).count(), with_day);
        assert_eq!(eu.progress.len(), 5);
        assert!(eu.may_record);
        let a = &eu.progress[0];
        assert_eq!((a.completed, a.not_started), (0, a.actions));

        let reads = count(&w.app, "strategy_read").await;
        let done = w
            .app
            .record_action_progress(
                &w.eu_rapporteur,
                EU_STRATEGY_2012_2016,
                "A1.2",
                &progress("completed", "document", "https://example.org/trm-model.pdf"),
            )
            .await
            .unwrap();
        assert_eq!((done.line.status, done.line.overdue), (ActionStatus::Completed, false));
        w.app
            .record_action_progress(&w.eu_rapporteur, EU_STRATEGY_2012_2016, "A2.1", &progress("discontinued", "", ""))
            .await
            .unwrap();
        w.app
            .record_action_progress(&w.eu_rapporteur, EU_STRATEGY_2012_2016, "A2.2", &progress("ongoing", "", ""))
            .await
            .unwrap();
        let again = w
            .app
            .record_action_progress(
                &w.eu_rapporteur,
                EU_STRATEGY_2012_2016,
                "A1.2",
                &progress("completed", "training", "t-1"),
            )
            .await
            .unwrap();
        assert_eq!(again.line.progress.unwrap().evidence.len(), 2, "evidence accumulates");
        let eu = w.app.strategy(&w.rapporteur, EU_STRATEGY_2012_2016).await.unwrap();
        assert!(!eu.may_record, "a country reads the EU Strategy, and records nothing in it");
        let a = &eu.progress[0];
        assert_eq!((a.completed, a.ongoing, a.discontinued), (1, 1, 1));
        assert_eq!(a.overdue, a.actions - 2 - continuing(&eu, "A"));
        assert_eq!(a.share_completed(), 100 / a.actions);

        // The dashboard's list: Latvia's plan only for Latvia, everything readable with no scope.
        let lv_plan = w.app.record_strategy(&w.rapporteur, &plan()).await.unwrap();
        w.app.add_strategy_action(&w.rapporteur, &lv_plan.id, &action("1.1", "P1", "2026-01-31")).await.unwrap();
        w.app.add_strategy_action(&w.rapporteur, &lv_plan.id, &action("1.2", "P1", "2027-06-30")).await.unwrap();
        let lv = Jurisdiction::parse("c", "LV").unwrap();
        let overdue = w.app.actions_overdue(&w.rapporteur, Some(lv)).await.unwrap();
        assert_eq!(overdue.iter().map(|o| o.number.as_str()).collect::<Vec<_>>(), ["1.1"]);
        assert!(overdue[0].days_overdue > 100);
        let everything = w.app.actions_overdue(&w.eu_rapporteur, None).await.unwrap();
        let later = w.app.strategy(&w.eu_rapporteur, EU_STRATEGY_2021_2025).await.unwrap();
        let shipped_overdue =
            eu.actions.iter().filter(|a| a.overdue).count() + later.actions.iter().filter(|a| a.overdue).count();
        assert_eq!(everything.len(), shipped_overdue + 1, "both shipped EU strategies and Latvia's plan");
        assert!(everything.windows(2).all(|p| p[0].days_overdue >= p[1].days_overdue), "most overdue first");
        assert!(matches!(w.app.actions_overdue(&w.ee_rapporteur, Some(lv)).await, Err(AppError::Forbidden)));
        assert!(count(&w.app, "strategy_read").await - reads >= 3);
        // The shipped Strategy's actions are reference data.
        assert!(matches!(
            w.app.add_strategy_action(&w.eu_rapporteur, EU_STRATEGY_2012_2016, &action("F1", "A", "")).await,
            Err(AppError::ConflictSaid { .. })
        ));
    }
}

/// The actions of a priority of the strategy without a target day.
fn continuing(view: &haven_app::strategy::StrategyView, priority: &str) -> u32 {
    view.actions.iter().filter(|a| a.action.priority == priority && a.action.target_on.is_none()).count() as u32
}

fn round(n: &str) -> RoundInput {
    RoundInput {
        round: n.into(),
        questionnaire_sent_on: "2019-11-15".into(),
        visit_from: "2022-01-17".into(),
        visit_until: "2022-01-21".into(),
        report_published_on: "2023-02-14".into(),
        report_link: "https://rm.coe.int/greta-lv".into(),
    }
}

fn recommendation(wording: &str, strength: &str) -> RecommendationInput {
    RecommendationInput { paragraph: "12".into(), wording: wording.into(), strength: strength.into(), demo: true }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_38_cets_197_rounds_recommendations_and_their_follow_up() {
    for w in worlds().await {
        let changed = count(&w.app, "greta_changed").await;
        let third = w.app.record_greta_round(&w.rapporteur, &round("3")).await.unwrap();
        let ee = w.app.record_greta_round(&w.ee_rapporteur, &round("3")).await.unwrap();
        assert!(matches!(
            w.app.record_greta_round(&w.rapporteur, &round("3")).await,
            Err(AppError::ConflictSaid { .. })
        ));
        let urges = w
            .app
            .add_greta_recommendation(
                &w.rapporteur,
                &third.id,
                &recommendation("GRETA urges the authorities to act", ""),
            )
            .await
            .unwrap();
        assert_eq!((urges.strength, urges.overridden()), (Strength::Urges, false));
        let chosen = w
            .app
            .add_greta_recommendation(
                &w.rapporteur,
                &third.id,
                &recommendation("GRETA considers that they should", "invites"),
            )
            .await
            .unwrap();
        assert_eq!((chosen.strength, chosen.strength_read), (Strength::Invites, Some(Strength::Considers)));
        let e = w
            .app
            .add_greta_recommendation(&w.rapporteur, &third.id, &recommendation("The authorities should act", ""))
            .await
            .unwrap_err();
        assert_eq!(field_of(e), ("strength".into(), Some(MessageId::GretaStrengthNotRead)));
        let ee_rec = w
            .app
            .add_greta_recommendation(&w.ee_rapporteur, &ee.id, &recommendation("GRETA invites them", ""))
            .await
            .unwrap();
        let follow =
            FollowUpInput { on: "2024-03-01".into(), text: "Law amended.".into(), status: "implemented".into() };
        w.app.record_greta_follow_up(&w.rapporteur, &urges.id, &follow).await.unwrap();
        assert_eq!(count(&w.app, "greta_changed").await - changed, 6);

        // Another country neither reads nor records Latvia's; the EU level reads both, records none.
        let denied = count(&w.app, "access_denied").await;
        assert!(matches!(w.app.greta_round(&w.ee_rapporteur, &third.id).await, Err(AppError::Forbidden)));
        assert!(matches!(
            w.app.record_greta_follow_up(&w.ee_rapporteur, &chosen.id, &follow).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            w.app.add_greta_recommendation(&w.statistician, &third.id, &recommendation("GRETA urges", "")).await,
            Err(AppError::Forbidden)
        ));
        match w.app.record_greta_round(&w.eu_rapporteur, &round("1")).await {
            Err(AppError::Refused(r)) => {
                assert_eq!((r.message_id, r.arg.1.as_str()), ("msg-greta-kept-by-countries", "EU"))
            }
            other => panic!("the EU level records no round: {other:?}"),
        }
        assert!(matches!(w.app.greta_rounds(&w.caseworker).await, Err(AppError::Forbidden)));
        assert_eq!(count(&w.app, "access_denied").await - denied, 5);

        let lv_view = w.app.greta_rounds(&w.statistician).await.unwrap();
        assert_eq!(lv_view.rounds.len(), 1);
        assert_eq!((lv_view.rounds[0].recommendations, lv_view.rounds[0].without_follow_up), (2, 1));
        assert!(lv_view.may_record_for.is_none(), "a statistician records nothing");
        assert_eq!(w.app.greta_rounds(&w.rapporteur).await.unwrap().may_record_for.unwrap().as_str(), "LV");
        let page = w.app.greta_round(&w.rapporteur, &third.id).await.unwrap();
        assert_eq!(page.recommendations.len(), 2);
        let line = |id: &str| page.recommendations.iter().find(|l| l.recommendation.id == id).unwrap();
        assert_eq!((line(&urges.id).follow_ups.len(), line(&urges.id).overridden), (1, false));
        assert_eq!((line(&chosen.id).follow_ups.len(), line(&chosen.id).overridden), (0, true));

        let lv = Jurisdiction::parse("c", "LV").unwrap();
        let open: Vec<String> = w
            .app
            .recommendations_without_follow_up(&w.rapporteur, Some(lv))
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.recommendation.id)
            .collect();
        assert_eq!(open, vec![chosen.id.clone()]);
        let all: Vec<String> = w
            .app
            .recommendations_without_follow_up(&w.eu_rapporteur, None)
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.recommendation.id)
            .collect();
        assert_eq!(all, vec![ee_rec.id.clone(), chosen.id.clone()], "by country: EE, then LV");
        // A country's own, without a scope: its own only.
        assert_eq!(w.app.recommendations_without_follow_up(&w.ee_rapporteur, None).await.unwrap().len(), 1);
        // A follow-up dated after today is refused naming its field.
        let later = FollowUpInput { on: "2099-01-01".into(), ..follow };
        let e = w.app.record_greta_follow_up(&w.rapporteur, &chosen.id, &later).await.unwrap_err();
        assert_eq!(field_of(e).0, "on");
    }
}
