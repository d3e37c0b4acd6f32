//! The storage contract, run against SQLite always and against PostgreSQL when
//! HAVEN_TEST_POSTGRES_URL is set (each test on its own fresh database).

// The contract bodies are plain async fns (the macro makes the #[test]s), so clippy's test
// exemption does not reach them.
#![expect(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail by panicking")]

/// Generates, for every named `async fn name(t: TestStore)` of the calling module, one test on
/// SQLite (`sqlite::name`) and one on PostgreSQL (`postgres::name`, skipped without the URL).
macro_rules! contract_tests {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let store = crate::support::sqlite_store().await;
                    super::$name(store).await;
                }
            )+
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let Some(store) = crate::support::postgres_store().await else {
                        crate::support::skipped();
                        return;
                    };
                    super::$name(store).await;
                }
            )+
        }
    };
}

mod accounts;
mod annual_report;
mod assist;
mod audit;
mod backup;
mod cases;
mod exchange;
mod exchange_persons;
mod exchange_referrals;
mod exchange_retention;
mod exchange_statistics;
mod exchange_transport;
mod ident;
mod keys;
mod monitoring_records;
mod person_review;
mod persons;
mod proceedings;
mod proceedings_money;
mod proceedings_victims;
mod representation;
mod retention;
mod schema;
mod separation;
mod stats;
mod strategy;
mod subject_requests;
mod support;
mod tamper;
mod tokens;
mod transposition;
