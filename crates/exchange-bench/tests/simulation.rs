//! The simulation harness at a small size: three national instances and the hub, 30
//! referrals, one peer down for the first passes and others at random, answers lost: every
//! referral arrives exactly once, every message is acknowledged back, the hub has each
//! country's statistics.

use haven_exchange_bench::{Config, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_countries_and_the_hub_exchange_30_referrals_with_a_peer_down_and_none_is_lost_or_duplicated() {
    let mut config = Config::eu(30);
    config.countries = vec!["LV".into(), "EE".into(), "LT".into()];
    config.forced_down = vec![("EE".into(), 20)];
    config.p_down = 0.05;
    config.lose_answer = 0.05;
    config.max_passes = 2_000;
    let report = run(&config, &|_| {}).await.expect("the simulation runs");
    let checks = &report.checks;
    assert!(checks.passed, "{report:#?}");
    assert_eq!((checks.referrals_received_exactly_once, checks.lost, checks.duplicated), (30, 0, 0));
    assert_eq!(checks.statistics_at_hub, 3);
    assert_eq!(report.referrals_accepted + report.referrals_declined, 30);
    assert_eq!(report.messages["referral"], 30);
    assert_eq!(report.messages["statistics_submission"], 3);
    // Updates back: the decision of each, and the organisation assigned for each accepted.
    assert_eq!(report.messages["referral_update"], 30 + report.referrals_accepted as i64);
    // EE was down at first: the posts to it failed and were retried.
    assert!(report.posts_to_a_peer_down > 0 && report.retries > 0, "{report:#?}");
    assert_eq!(report.refused_or_expired, 0);
    // A lost answer makes the sender post again (unless the acknowledgement came first): refused
    // as a replay, counted delivered.
    assert!(report.duplicates_refused as u64 <= report.answers_lost, "{report:#?}");
}
