//! `haven demo`: Latvia, Estonia, Lithuania and the EU hub as four instances of one process,
//! each in its own folder of the data directory with only its own part of the synthetic data,
//! loaded once, every name encrypted; they talk over the exchange: a transnational referral from
//! Latvia waits for Estonia's focal point, and Latvia's statistics release reached the hub over
//! the channel (Dir 2011/36 Art 11(4); docs/transnational.md, "Demo").

use crate::{Haven, Response, Server, Session, contains_bytes, request};
use haven_storage::Store;
use std::net::SocketAddr;
use std::path::Path;

/// The instances: their name as printed, their folder, their jurisdiction.
const INSTANCES: [(&str, &str, &str); 4] =
    [("Latvia", "lv", "LV"), ("Estonia", "ee", "EE"), ("Lithuania", "lt", "LT"), ("the EU hub", "eu", "EU")];

/// One integer from an instance's database (the server may be running: SQLite reads alongside).
fn count(dir: &Path, sql: &str) -> i64 {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let store = Store::open_sqlite(dir).await.expect("open the instance's database");
        let n = store.count_unchecked(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        store.close().await;
        n
    })
}

/// The web address printed for the instance `name` (Latvia's is the server's own).
pub fn web_address(server: &Server, name: &str) -> SocketAddr {
    if name == "Latvia" {
        return server.addr;
    }
    let line = server
        .banner
        .lines()
        .find(|l| l.starts_with(&format!("{name} (")) && l.contains("is serving on http://"))
        .unwrap_or_else(|| panic!("no address of {name} in {}", server.banner));
    let rest = line.split_once("is serving on http://").map(|(_, r)| r).unwrap_or_default();
    rest.split_whitespace().next().and_then(|a| a.parse().ok()).unwrap_or_else(|| panic!("no address in {line:?}"))
}

/// The exchange endpoint printed for the instance `name`.
fn exchange_endpoint(banner: &str, name: &str) -> String {
    let line = banner
        .lines()
        .find(|l| l.starts_with(&format!("== {name} (")))
        .unwrap_or_else(|| panic!("no section of {name} in {banner}"));
    line.split_once(", exchange ")
        .and_then(|(_, r)| r.split(',').next())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no exchange endpoint in {line:?}"))
}

/// The numbers after `label` on every line that starts with it, in order.
fn numbers(banner: &str, label: &str) -> Vec<u64> {
    banner
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix(label))
        .filter_map(|r| r.split_whitespace().next().and_then(|n| n.parse().ok()))
        .collect()
}

/// The password printed for `username`.
fn password(banner: &str, username: &str) -> String {
    banner
        .lines()
        .find_map(|l| {
            let mut words = l.split_whitespace();
            (words.next() == Some(username)).then(|| words.next().map(str::to_owned)).flatten()
        })
        .unwrap_or_else(|| panic!("no password for {username} in {banner}"))
}

pub fn login(address: SocketAddr, username: &str, password: &str) -> Result<Session, Response> {
    let body = serde_json::json!({ "username": username, "password": password }).to_string();
    let r = request(address, "POST", "/api/v1/auth/login", None, Some(&body));
    if r.status != 200 {
        return Err(r);
    }
    let cookie = r.header("set-cookie").expect("a session cookie");
    let cookie = cookie.split(';').next().unwrap_or_default().trim().to_owned();
    let csrf = r.json()["csrf_token"].as_str().expect("csrf_token").to_owned();
    Ok(Session { cookie, csrf })
}

#[test]
fn art_11_4_dir_the_demo_runs_four_instances_with_their_own_data_a_referral_in_flight_and_statistics_over_the_channel()
{
    let haven = Haven::new();
    let server = Server::start(haven.cmd(&["demo", "--listen", "127.0.0.1:0"]));
    let banner = server.banner.clone();

    // Each instance loads its own country's cases; the hub none.
    let loaded = numbers(&banner, "Loaded ");
    assert_eq!(loaded.len(), 4, "one load per instance: {banner}");
    assert_eq!(loaded.iter().sum::<u64>(), 300, "{banner}");
    assert!(loaded[..3].iter().all(|n| *n > 0) && loaded[3] == 0, "{loaded:?}");
    let users: Vec<(String, String)> = banner
        .lines()
        .filter(|l| l.trim_start().starts_with("demo."))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some((words.next()?.to_owned(), words.next()?.to_owned()))
        })
        .collect();
    assert_eq!(
        users.len(),
        13,
        "one demo user of every role, the NGO's supervisor, the data officer, the prosecutor, the focal point and \
         the victim's lawyer: {banner}"
    );
    assert!(banner.contains("victim's lawyer: demo.lawyer represents the victim of case"), "{banner}");
    // Latvia's assistance and proceedings; Estonia's and Lithuania's providers and investigations
    // on their own instances.
    assert!(banner.contains("assistance: 4 support providers, 15 assessments, 9 referrals"), "{banner}");
    assert_eq!(numbers(&banner, "assistance: ").iter().sum::<u64>(), 7, "providers in each country: {banner}");
    assert!(banner.contains("proceedings: 2 investigations, 7 suspects, 1 non-punishment notice(s)"), "{banner}");
    assert_eq!(numbers(&banner, "proceedings: ").iter().sum::<u64>(), 4, "{banner}");
    // The referral and the release went over the exchange before the demonstration served.
    assert!(banner.contains("transnational referral: case LV-"), "{banner}");
    assert!(banner.contains("LV → EE: referral"), "{banner}");
    assert!(banner.contains("LV → EU: statistics_submission"), "{banner}");
    assert!(banner.contains(", 0 waiting"), "{banner}");

    // Every instance answers on its own port, with its own users only.
    let addresses: Vec<SocketAddr> = INSTANCES.iter().map(|(name, _, _)| web_address(&server, name)).collect();
    for (address, (name, _, _)) in addresses.iter().zip(INSTANCES) {
        let page = request(*address, "GET", "/login", None, None);
        assert_eq!(page.status, 200, "{name} at {address}: {}", page.body);
    }
    let distinct: std::collections::BTreeSet<_> = addresses.iter().collect();
    assert_eq!(distinct.len(), 4, "{addresses:?}");
    let ee_focal_point = password(&banner, "ee.focalpoint");
    assert!(login(addresses[0], "ee.focalpoint", &ee_focal_point).is_err(), "Estonia's users are not in Latvia's");
    login(addresses[1], "ee.focalpoint", &ee_focal_point).expect("Estonia's focal point signs in on Estonia's");
    let (ngo, ngo_password) = users.iter().find(|(u, _)| u == "demo.ngo").expect("demo.ngo");
    let session = login(addresses[0], ngo, ngo_password).expect("demo.ngo signs in on Latvia's");
    let cases = server.get("/api/v1/cases?limit=5", Some(&session));
    assert_eq!(cases.status, 200, "{}", cases.body);
    let list = cases.json();
    let first = list.as_array().and_then(|a| a.first()).expect("the NGO has cases");
    let id = first["id"].as_str().expect("id");
    let case = server.get(&format!("/api/v1/cases/{id}"), Some(&session));
    assert_eq!(case.status, 200, "{}", case.body);
    let family = case.json()["person"]["family_names"].as_str().expect("a name").to_owned();

    // The hub's statistician sees Latvia's release of this year, which came over the channel
    // only (the hub's uploads are of last year and of other member states).
    let hub_dir = haven.data().join("eu");
    let year = count(
        &hub_dir,
        "SELECT MAX(h.year) FROM hub_submissions h JOIN exchange_statistics_received r ON r.submission_id = h.id \
         WHERE r.sender = 'LV'",
    );
    assert!(year > 2000, "Latvia's release reached the hub over the channel");
    let statistician = password(&banner, "demo.statistician");
    let hub = login(addresses[3], "demo.statistician", &statistician).expect("the statistician signs in on the hub");
    let status = request(addresses[3], "GET", &format!("/api/v1/hub/status?year={year}"), Some(&hub), None);
    assert_eq!(status.status, 200, "{}", status.body);
    let lv = status.json().as_array().and_then(|a| a.iter().find(|c| c["country"] == "LV").cloned());
    assert_eq!(lv.as_ref().map(|c| c["status"].clone()), Some(serde_json::json!("submitted")), "{}", status.body);
    let ee = status.json().as_array().and_then(|a| a.iter().find(|c| c["country"] == "EE").cloned());
    assert_eq!(ee.map(|c| c["status"].clone()), Some(serde_json::json!("missing")), "{}", status.body);

    let (out, err) = server.stop();
    assert!(out.contains("Demonstration users"), "{out}");
    for (_, password) in &users {
        assert!(!err.contains(password.as_str()), "a demo password is in the logs");
    }
    assert!(!err.contains(&family) && !out.contains(&family), "a name is in the server's output: {family}");

    // Each database holds only its own jurisdiction's organisations, and pins the three others.
    for (name, folder, code) in INSTANCES {
        let dir = haven.data().join(folder);
        assert!(dir.join("master.key").is_file(), "{name} has its own master key");
        let own = count(&dir, &format!("SELECT COUNT(*) FROM organisations WHERE jurisdiction = '{code}'"));
        let others = count(&dir, &format!("SELECT COUNT(*) FROM organisations WHERE jurisdiction <> '{code}'"));
        assert!(own > 0 && others == 0, "{name}: {own} organisations of its own, {others} of others");
        assert_eq!(count(&dir, "SELECT COUNT(*) FROM exchange_peers"), 3, "{name} pins the three others");
    }
    assert_eq!(count(&hub_dir, "SELECT COUNT(*) FROM cases"), 0, "the hub holds no case");
    assert_eq!(count(&haven.data().join("ee"), "SELECT COUNT(*) FROM cases WHERE jurisdiction <> 'EE'"), 0);
    // The referral: sent by Latvia, received by Estonia and waiting for its focal point.
    let lv_dir = haven.data().join("lv");
    assert_eq!(
        count(
            &lv_dir,
            "SELECT COUNT(*) FROM transnational_referrals WHERE direction = 'outgoing' AND peer = 'EE' AND state = 'sent'"
        ),
        1
    );
    assert_eq!(
        count(
            &haven.data().join("ee"),
            "SELECT COUNT(*) FROM transnational_referrals WHERE direction = 'incoming' AND peer = 'LV' \
             AND state = 'received'"
        ),
        1,
        "the referral waits for Estonia's focal point"
    );
    assert_eq!(count(&hub_dir, "SELECT COUNT(*) FROM exchange_statistics_received WHERE sender = 'LV'"), 1);
    assert_eq!(count(&lv_dir, "SELECT COUNT(*) FROM exchange_outbox WHERE delivered_at IS NULL"), 0);

    // Long synthetic family names (short ones could occur by chance in ciphertext).
    let names = [
        "Kovalenko",
        "Shevchenko",
        "Popescu",
        "Ionescu",
        "Kowalska",
        "Petrova",
        "Ivanova",
        "Adeyemi",
        "Horvath",
        "Dimitrova",
        "Georgiev",
        "Jankauskaite",
        "Bondarenko",
    ];
    for (path, bytes) in haven.all_files() {
        for name in names {
            assert!(!contains_bytes(&bytes, name), "{name} is in {}", path.display());
        }
    }

    // A second start loads nothing more, and each instance keeps its exchange endpoint.
    let again = Server::start(haven.cmd(&["demo", "--listen", "127.0.0.1:0"]));
    assert_eq!(again.banner.matches("already loaded").count(), 4, "{}", again.banner);
    for (name, _, _) in INSTANCES {
        assert_eq!(exchange_endpoint(&again.banner, name), exchange_endpoint(&banner, name), "{name}");
    }
    again.stop();
    assert_eq!(
        count(&haven.data().join("ee"), "SELECT COUNT(*) FROM transnational_referrals"),
        1,
        "the referral is not sent again"
    );
}
