//! The demonstration's annual report (docs/monitoring.md, "The annual report"): Latvia's
//! rapporteur finds the report of the demonstration year drafted with its narrative sections and
//! the released figures assembled around them, as print-ready HTML and as DOCX.
//!
//! With `HAVEN_WRITE_EXAMPLES=1` the test also writes the generated report into `docs/examples/`
//! (the committed example): `HAVEN_WRITE_EXAMPLES=1 cargo test -p haven-cli --test it demo_report`.

use crate::{Haven, Server, Session, request, request_head};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;

/// The raw bytes of a GET (the DOCX is binary).
fn get_bytes(addr: SocketAddr, path: &str, session: &Session) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(std::time::Duration::from_secs(60))).expect("timeout");
    stream.write_all(request_head("GET", path, Some(session), None).as_bytes()).expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status");
    (status, raw[end + 4..].to_vec())
}

fn password(banner: &str, username: &str) -> String {
    banner
        .lines()
        .find_map(|l| {
            let mut words = l.split_whitespace();
            (words.next() == Some(username)).then(|| words.next().map(str::to_owned)).flatten()
        })
        .unwrap_or_else(|| panic!("no password for {username} in {banner}"))
}

#[test]
fn art_19_dir_2011_36_the_demonstration_drafts_latvias_annual_report_with_the_released_figures() {
    let haven = Haven::new();
    let server = Server::start(haven.cmd(&["demo", "--listen", "127.0.0.1:0"]));
    let address = server.addr;
    let session =
        crate::demo::login(address, "demo.rapporteur", &password(&server.banner, "demo.rapporteur")).expect("signs in");
    let list = request(address, "GET", "/api/v1/monitoring/reports", Some(&session), None);
    assert_eq!(list.status, 200, "{}", list.body);
    let list = list.json();
    let report = &list["reports"][0];
    assert_eq!((report["status"].as_str(), report["sections"].as_u64()), (Some("draft"), Some(4)), "{list}");
    let year = report["year"].as_u64().expect("year");
    let json = request(address, "GET", &format!("/api/v1/monitoring/report?year={year}"), Some(&session), None);
    assert_eq!(json.status, 200, "{}", json.body);
    let json = json.json();
    assert!(json["statistics"]["release_id"].is_string(), "the year's release is in the report: {json}");
    assert!(
        !json["greta"].as_array().expect("greta").is_empty()
            && !json["strategies"].as_array().expect("plans").is_empty()
    );
    let print = request(address, "GET", &format!("/monitoring/report/print?year={year}"), Some(&session), None);
    assert_eq!(print.status, 200, "{}", print.body);
    for text in ["Introduction", "Released statistics", "Trends over the years", "id=\"chart-trends\"", "GRETA"] {
        assert!(print.body.contains(text), "{text} in the print-ready report");
    }
    let (status, docx) = get_bytes(address, &format!("/api/v1/monitoring/report/docx?year={year}"), &session);
    assert_eq!(status, 200);
    assert!(docx.starts_with(b"PK"), "a DOCX is a zip archive");
    if std::env::var_os("HAVEN_WRITE_EXAMPLES").is_some() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples");
        std::fs::create_dir_all(&dir).expect("docs/examples");
        let html = print.body.replace("href=\"/assets/report.css\"", "href=\"annual-report.css\"");
        std::fs::write(dir.join("annual-report-lv.html"), html).expect("write the HTML");
        std::fs::write(dir.join("annual-report-lv.docx"), &docx).expect("write the DOCX");
        let css = std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../web/assets/report.css"))
            .expect("the stylesheet");
        std::fs::write(dir.join("annual-report.css"), css).expect("write the stylesheet");
    }
    server.stop();
}
