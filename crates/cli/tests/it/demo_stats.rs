//! The demonstration's statistics as a reader of its files sees them: every country's release
//! (cell suppression, threshold 3) is audited from outside — over the published SDMX-CSV file
//! and the relations Haven publishes, with the statistics crate's independent auditor and its
//! own linear and integer programs — and every export flags every hidden cell alike.

use crate::outside_audit::{self, Rule};
use crate::{Haven, Server, Session, request};
use std::net::SocketAddr;

/// The password the demonstration printed for `username`.
fn password(banner: &str, username: &str) -> String {
    banner
        .lines()
        .find_map(|l| {
            let mut words = l.split_whitespace();
            (words.next() == Some(username)).then(|| words.next().map(str::to_owned)).flatten()
        })
        .unwrap_or_else(|| panic!("no password for {username} in {banner}"))
}

fn get(address: SocketAddr, path: &str, session: &Session) -> String {
    let r = request(address, "GET", path, Some(session), None);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.body
}

#[test]
fn the_demonstration_releases_pass_the_outside_audit_and_no_export_tells_small_cells_from_the_others() {
    let haven = Haven::new();
    let server = Server::start(haven.cmd(&["demo", "--listen", "127.0.0.1:0"]));
    let mut audited = 0;
    // each rapporteur on its country's instance
    for (username, instance) in
        [("demo.rapporteur", "Latvia"), ("ee.rapporteur", "Estonia"), ("lt.rapporteur", "Lithuania")]
    {
        let address = crate::demo::web_address(&server, instance);
        let session = crate::demo::login(address, username, &password(&server.banner, username)).expect("signs in");
        let list: serde_json::Value =
            serde_json::from_str(&get(address, "/api/v1/statistics/releases", &session)).expect("JSON");
        for summary in list.as_array().expect("releases").iter().filter(|r| r["mode"] == "suppression") {
            let id = summary["id"].as_str().expect("id");
            let year = summary["year"].as_u64().expect("year");
            let body = get(address, &format!("/api/v1/statistics/releases/{id}"), &session);
            for word in ["Primary", "Secondary", "\"status\""] {
                assert!(!body.contains(word), "{username}: the API says {word}");
            }
            let release: serde_json::Value = serde_json::from_str(&body).expect("JSON");
            // the trafficker tables, counted from the demonstration's proceedings, are released too
            let ids: Vec<&str> = release["report"]["tables"]
                .as_array()
                .expect("tables")
                .iter()
                .filter_map(|t| t["id"].as_str())
                .collect();
            assert!(ids.contains(&"TRAF_SUSP_SEX_AGE") && ids.contains(&"USE_CONV_SEX_EXPLOIT"), "{username}: {ids:?}");
            assert!(release["report"]["offenders"]["persons"].as_u64().expect("offender persons") > 0, "{username}");
            let s = &release["report"]["suppression"];
            let rule = Rule {
                threshold: s["threshold"].as_u64().expect("threshold"),
                protection: s["protection"].as_u64().expect("protection"),
            };
            // the published file, read and audited from outside against the true tables
            let sdmx = get(address, &format!("/api/v1/statistics/releases/{id}/sdmx"), &session);
            let file = outside_audit::read_sdmx(&sdmx);
            let tables: serde_json::Value =
                serde_json::from_str(&get(address, &format!("/api/v1/statistics/tables?year={year}"), &session))
                    .expect("JSON");
            let tables: Vec<haven_stats::Table> =
                serde_json::from_value(tables["tables"].clone()).expect("the true tables");
            let report = outside_audit::audit(&file, &outside_audit::truth_of(&tables), rule, 12);
            assert!(report.small > 0 && report.relations > 0, "{username}: {report:?}");
            assert!(
                report.violations.is_empty() && report.exact == 0,
                "{username}: {} of {} small cells narrowed ({} pinned): {:#?}",
                report.violations.len(),
                report.small,
                report.exact,
                report.violations
            );
            println!(
                "{username} {year}: {} hidden, {} small, {} relations, integer attacker on {}: no violation",
                report.hidden, report.small, report.relations, report.integer_checked
            );
            // every table's CSV and page
            for t in release["report"]["tables"].as_array().expect("tables") {
                let t = t["id"].as_str().expect("table id");
                let csv = get(address, &format!("/api/v1/statistics/releases/{id}/tables/{t}/csv"), &session);
                let mut lines = csv.lines();
                let header: Vec<&str> = lines.next().expect("header").split(',').collect();
                let at = header.iter().position(|h| *h == "CONF_STATUS").expect("CONF_STATUS");
                for line in lines {
                    let conf = line.split(',').nth(at).unwrap_or("");
                    assert!(conf == "F" || conf == "C", "{username} {t}: CONF_STATUS {conf}");
                }
                let page = get(address, &format!("/statistics/releases/{id}/tables/{t}"), &session).to_lowercase();
                assert!(!page.contains("primary") && !page.contains("secondary"), "{username} {t}: the page tells");
            }
            audited += 1;
        }
    }
    assert_eq!(audited, 3, "one suppression release per country");
    server.stop();
}
