//! The rapporteur's annual report through the pages and the API (docs/monitoring.md, "The annual
//! report"; Dir 2011/36 Art 19, and at the EU hub Art 20): only released figures enter it, each
//! as its release printed it (the true value of a hidden cell in none of the HTML, the DOCX and
//! the JSON), the narrative sections round trip, the rapporteur drafts and finalises while a
//! statistician reads and everyone else is refused, every read and export is audited, and the
//! EU hub's report covers every Member State that submitted.

use crate::common::{Reply, Session, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use haven_stats::{Dataset, national};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::io::Read;
use tower::ServiceExt;

struct World {
    t: TestApp,
    responder: Session,
    officer: Session,
    rapporteur: Session,
    statistician: Session,
    caseworker: Session,
}

async fn session(t: &TestApp, name: &str, org: &str, role: &str) -> Session {
    let password = t.user(name, org, &[role]).await;
    t.login(name, &password).await
}

async fn world() -> World {
    let t = TestApp::new().await.with_embedded_profiles();
    let ngo = t.org("Biedrība Patvērums", "ngo", "LV").await;
    let police = t.org("Valsts policija", "police", "LV").await;
    let office = t.org("Iekšlietu ministrija", "national_rapporteur", "LV").await;
    World {
        responder: session(&t, "lv.responder", &ngo, "first_responder").await,
        officer: session(&t, "lv.officer", &police, "first_responder").await,
        rapporteur: session(&t, "lv.rapporteur", &office, "rapporteur").await,
        statistician: session(&t, "lv.statistician", &office, "statistician").await,
        caseworker: session(&t, "lv.caseworker", &ngo, "caseworker").await,
        t,
    }
}

fn person(given: &str, family: &str, sex: &str, dob: &str, citizenship: &str, form: &str) -> Value {
    json!({
        "person": {"given_names": given, "family_names": family, "sex": sex, "date_of_birth": dob, "dob_verified": true,
                   "citizenships": [citizenship]},
        "context": {"acts": ["recruitment"], "means": ["deception"], "forms": [form]},
        "consent": {"given": true, "date": "2026-09-21", "language": "lv", "informed_by": "Anna Ozola"}
    })
}

async fn refer(t: &TestApp, s: &Session, reg: Value) {
    let r = t.call(Method::POST, "/api/v1/registrations", Some(s), Some(reg)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let r =
        t.call(Method::POST, &format!("/api/v1/registrations/{id}/submit"), Some(s), Some(json!({"version": 1}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// Eight persons referred in Latvia in 2026: few enough that the release hides cells.
async fn latvian_cases(w: &World) {
    let t = &w.t;
    refer(t, &w.responder, person("Iryna", "Kovalenko", "female", "1989-07-30", "UA", "sexual")).await;
    refer(t, &w.responder, person("Līga", "Ozola", "female", "1999-01-02", "LV", "sexual")).await;
    refer(t, &w.responder, person("Inese", "Kalna", "female", "1985-11-20", "LV", "forced_labour")).await;
    refer(t, &w.responder, person("Anna", "Bērziņa", "female", "2000-03-03", "LV", "sexual")).await;
    refer(t, &w.officer, person("Rasa", "Petraitė", "female", "1992-06-15", "LT", "sexual")).await;
    refer(t, &w.officer, person("Ngozi", "Okafor", "female", "1996-04-09", "NG", "sexual")).await;
    refer(t, &w.officer, person("Andrei", "Popa", "male", "1980-02-28", "MD", "forced_labour")).await;
    refer(t, &w.officer, person("Jānis", "Kalniņš", "male", "1978-08-08", "LV", "forced_labour")).await;
}

async fn bytes(t: &TestApp, path: &str, s: &Session) -> (StatusCode, Vec<u8>) {
    let req = Request::builder()
        .method(Method::GET)
        .uri(path)
        .header("host", "localhost")
        .header("cookie", &s.cookie)
        .body(Body::empty())
        .unwrap();
    let response = t.router.clone().oneshot(req).await.unwrap();
    let status = response.status();
    (status, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

/// The document part of a DOCX.
fn document_xml(docx: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a DOCX is a zip archive");
    let mut xml = String::new();
    archive.by_name("word/document.xml").expect("word/document.xml").read_to_string(&mut xml).unwrap();
    xml
}

/// The texts of the cells of the first table after `caption` in a DOCX's document, row by row,
/// without the header row and the rows' first column (the figures in row-major order).
fn docx_figures(xml: &str, caption: &str) -> Vec<String> {
    let at = xml.find(&format!(">{caption}<")).unwrap_or_else(|| panic!("no {caption:?} in the DOCX"));
    let start = at + xml[at..].find("<w:tbl>").unwrap();
    let end = start + xml[start..].find("</w:tbl>").unwrap();
    let texts = |cell: &str| {
        cell.split("<w:t")
            .skip(1)
            .filter_map(|p| p.split_once('>').map(|(_, rest)| rest.split('<').next().unwrap_or("").to_owned()))
            .collect::<String>()
    };
    xml[start..end]
        .split("<w:tr>")
        .skip(2)
        .flat_map(|row| row.split("<w:tc>").skip(2).map(texts).collect::<Vec<_>>())
        .collect()
}

fn released_cell(report: &Value, table: &str, index: usize) -> Value {
    report["statistics"]["tables"].as_array().unwrap().iter().find(|t| t["spec"]["id"] == table).unwrap()["cells"]
        [index]
        .clone()
}

#[tokio::test]
async fn art_19_dir_2011_36_the_annual_report_prints_only_released_figures_never_a_hidden_cells_true_value() {
    let w = world().await;
    let t = &w.t;
    latvian_cases(&w).await;
    let r = t
        .call(
            Method::POST,
            "/api/v1/statistics/releases",
            Some(&w.rapporteur),
            Some(json!({"year": 2026, "mode": "suppression", "threshold": 3})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let truth = t.call(Method::GET, "/api/v1/statistics/tables?year=2026", Some(&w.rapporteur), None).await.json();
    let report = t.call(Method::GET, "/api/v1/monitoring/report?year=2026", Some(&w.rapporteur), None).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let report = report.json();
    // A hidden cell whose true value is not 0: its table, index and true value.
    let (table, index, true_value) = truth["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|tb| {
            let id = tb["spec"]["id"].as_str()?;
            tb["values"].as_array()?.iter().enumerate().find_map(|(i, v)| {
                let cell = released_cell(&report, id, i);
                (cell["conf"] == "Confidential" && v.as_u64()? > 0).then(|| (id.to_owned(), i, v.as_u64().unwrap()))
            })
        })
        .expect("the release hides a cell that is not 0");
    let hidden = released_cell(&report, &table, index);
    assert!(hidden["value"].is_null(), "JSON: a hidden cell carries no value: {hidden}");
    // The released grand total of registered persons is in the report.
    let registered =
        report["statistics"]["figures"].as_array().unwrap().iter().find(|f| f["indicator"] == "Registered").unwrap();
    let total = registered["value"].as_u64().expect("the grand total is released");
    assert_eq!(total, 8);
    assert_eq!(report["trends"][0]["year"], 2026);
    assert_eq!(report["legal_basis"], json!(["Dir 2011/36 Art 19", "CETS 197 Art 29(4)"]));

    // The print-ready HTML: the hidden cell printed c, as the release prints it.
    let print = t.page("/monitoring/report/print?year=2026", Some(&w.rapporteur)).await;
    assert_eq!(print.status, StatusCode::OK, "{}", print.body);
    assert!(print.body.contains("href=\"/assets/report.css\""), "the print stylesheet is served");
    assert!(print.body.contains(&format!("data-cell=\"{table}-{index}\">c</td>")), "{}", print.body);
    assert!(!print.body.contains(&format!("data-cell=\"{table}-{index}\">{true_value}</td>")));
    assert!(print.body.contains(&format!("data-cell=\"figure-VICT_REG\">{total}</td>")), "{}", print.body);
    assert!(print.body.contains("<svg") && print.body.contains("id=\"chart-trends\""));
    assert!(!print.body.contains("<style") && !print.body.contains("<script"), "no inline style or script");
    let css = t.page("/assets/report.css", None).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.body.contains("@media print"));

    // The DOCX: the headings, the released figures, the hidden cell as c.
    let (status, docx) = bytes(t, "/api/v1/monitoring/report/docx?year=2026", &w.rapporteur).await;
    assert_eq!(status, StatusCode::OK);
    let xml = document_xml(&docx);
    for heading in [
        "Annual report 2026",
        "Released statistics",
        "Trends over the years",
        "Assistance and proceedings",
        "Transposition",
        "Strategy and action plan",
        "GRETA&apos;s recommendations and their follow-up",
    ] {
        assert!(xml.contains(heading) || xml.contains(&heading.replace("&apos;", "'")), "{heading} in the DOCX");
    }
    let at = print.body.find(&format!("<table id=\"table-{}\">", table.to_lowercase())).unwrap();
    let spec_title = print.body[at..].split("<caption>").nth(1).unwrap().split("</caption>").next().unwrap().to_owned();
    let figures = docx_figures(&xml, &spec_title);
    assert_eq!(figures[index], "c", "DOCX: the hidden cell of {table} at {index}: {figures:?}");
    let assistance = docx_figures(&xml, "Assistance");
    assert_eq!(assistance[0], total.to_string(), "{assistance:?}");

    // Nowhere does the true value appear where the hidden cell is.
    let json_text = t.call(Method::GET, "/api/v1/monitoring/report?year=2026", Some(&w.rapporteur), None).await.body;
    assert!(!json_text.contains("Primary") && !json_text.contains("Secondary"));
}

#[tokio::test]
async fn art_19_dir_2011_36_the_rapporteur_writes_the_narrative_and_finalises_a_statistician_reads_others_are_refused()
{
    let w = world().await;
    let t = &w.t;
    // The rapporteur writes two sections through the API and the form; they come back in order.
    let first = t
        .call(
            Method::POST,
            "/api/v1/monitoring/report/sections",
            Some(&w.rapporteur),
            Some(json!({"year": "2026", "version": 0, "title": "Ievads", "text": "Pirmā rindkopa.\n\nOtrā rindkopa."})),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let form = t
        .form(
            "/monitoring/report/sections",
            Some(&w.rapporteur),
            &[("year", "2026"), ("version", "1"), ("title", "Secinājumi"), ("text", "Noslēgums.")],
        )
        .await;
    assert_eq!(form.status, StatusCode::SEE_OTHER, "{}", form.body);
    // A stale version is refused (409); an empty title is refused naming the field (422).
    let stale = t
        .call(
            Method::POST,
            "/api/v1/monitoring/report/sections",
            Some(&w.rapporteur),
            Some(json!({"year": "2026", "version": 1, "title": "Vēl", "text": "x"})),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    let empty = t
        .form("/monitoring/report/sections", Some(&w.rapporteur), &[("year", "2026"), ("version", "2"), ("text", "x")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.body);
    assert!(empty.body.contains("id=\"form-error\""), "{}", empty.body);
    let bad_year = t
        .call(
            Method::POST,
            "/api/v1/monitoring/report/sections",
            Some(&w.rapporteur),
            Some(json!({"year": "1990", "title": "T", "text": "x"})),
        )
        .await;
    assert_eq!(bad_year.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_year.json()["error"]["field"], "year", "{}", bad_year.body);

    let report = t.call(Method::GET, "/api/v1/monitoring/report?year=2026", Some(&w.statistician), None).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let report = report.json();
    assert_eq!(report["version"], 2);
    assert_eq!(
        report["report"]["sections"],
        json!([{"title": "Ievads", "text": "Pirmā rindkopa.\n\nOtrā rindkopa."}, {"title": "Secinājumi", "text": "Noslēgums."}])
    );
    assert_eq!((report["may_draft"].as_bool(), report["may_finalise"].as_bool()), (Some(false), Some(false)));
    // The narrative is encrypted at rest.
    let plain = t
        .app
        .store()
        .count_unchecked("SELECT COUNT(*) FROM annual_reports WHERE CAST(narrative AS TEXT) LIKE '%Ievads%'")
        .await
        .unwrap();
    assert_eq!(plain, 0, "the narrative is not stored in the clear");
    // The page shows them, with the forms to the rapporteur only.
    let page = t.page("/monitoring/report?year=2026", Some(&w.rapporteur)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("id=\"narrative-1\"")
            && page.body.contains("Ievads")
            && page.body.contains("id=\"form-finalise\"")
    );
    let read_only = t.page("/monitoring/report?year=2026", Some(&w.statistician)).await;
    assert_eq!(read_only.status, StatusCode::OK);
    assert!(read_only.body.contains("Ievads") && !read_only.body.contains("form-section-new"));

    // Others than the rapporteur may not write; others than the rapporteur and statistician read nothing.
    let write = json!({"year": "2026", "version": 2, "title": "X", "text": "Y"});
    for (who, s) in
        [("statistician", &w.statistician), ("caseworker", &w.caseworker), ("first responder", &w.responder)]
    {
        let r = t.call(Method::POST, "/api/v1/monitoring/report/sections", Some(s), Some(write.clone())).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who} writes: {}", r.body);
        let r = t
            .call(
                Method::POST,
                "/api/v1/monitoring/report/finalise",
                Some(s),
                Some(json!({"year": "2026", "version": 2})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who} finalises: {}", r.body);
    }
    for (who, s) in [("caseworker", &w.caseworker), ("first responder", &w.responder)] {
        for path in [
            "/api/v1/monitoring/report?year=2026",
            "/api/v1/monitoring/report/docx?year=2026",
            "/api/v1/monitoring/reports",
        ] {
            assert_eq!(t.call(Method::GET, path, Some(s), None).await.status, StatusCode::FORBIDDEN, "{who} {path}");
        }
        for path in ["/monitoring/report?year=2026", "/monitoring/report/print?year=2026", "/monitoring/reports"] {
            assert_eq!(t.page(path, Some(s)).await.status, StatusCode::FORBIDDEN, "{who} {path}");
        }
    }

    // The rapporteur makes it final; nothing changes it from then on.
    let done = t
        .call(
            Method::POST,
            "/api/v1/monitoring/report/finalise",
            Some(&w.rapporteur),
            Some(json!({"year": "2026", "version": 2})),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json()["status"], "final");
    let after = t.call(Method::POST, "/api/v1/monitoring/report/sections", Some(&w.rapporteur), Some(write)).await;
    assert_eq!(after.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", after.body);
    assert_eq!(after.json()["error"]["field"], "status");
    let list = t.call(Method::GET, "/api/v1/monitoring/reports", Some(&w.rapporteur), None).await.json();
    assert_eq!(list["reports"][0]["status"], "final", "{list}");
    let page = t.page("/monitoring/report?year=2026", Some(&w.rapporteur)).await;
    assert!(!page.body.contains("form-finalise") && !page.body.contains("form-section-new"));

    // Every read, export, change and finalisation is in the audit log; every refusal too.
    let count = |action: &'static str| async move {
        t.app
            .store()
            .count_unchecked(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"))
            .await
            .unwrap()
    };
    assert_eq!(count("annual_report_changed").await, 2);
    assert_eq!(count("annual_report_finalised").await, 1);
    assert!(count("annual_report_read").await >= 4);
    assert!(count("annual_report_exported").await >= 1);
    let denied = t
        .app
        .store()
        .count_unchecked("SELECT COUNT(*) FROM audit_log WHERE outcome = 'denied' AND target_kind = 'annual_report'")
        .await
        .unwrap();
    assert!(denied >= 6, "{denied}");
}

/// A member state's file made by its own system.
fn member_state_file(country: &str, seed: u64) -> (Dataset, String) {
    let records = haven_stats::synth::records(300, seed, country);
    let specs = national::national_tables(&national::citizens_of(&records), false);
    let dataset = haven_stats::hub::dataset_from_tables(country, 2026, &national::build(&specs, &records, &[]), None);
    let csv = haven_stats::sdmx::to_csv(std::slice::from_ref(&dataset), haven_stats::sdmx::DATAFLOW).unwrap();
    (dataset, csv)
}

async fn submit(t: &TestApp, s: &Session, country: &str, csv: String) -> Reply {
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/hub/submissions?country={country}&year=2026&format=sdmx"))
        .header("host", "localhost")
        .header("cookie", &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .header("content-type", "application/octet-stream")
        .body(Body::from(csv))
        .unwrap();
    t.send(req).await
}

#[tokio::test]
async fn art_20_dir_2011_36_the_eu_progress_report_covers_every_member_state_that_submitted() {
    let t = TestApp::new().await;
    let office = t.org("EU Statistics Office", "statistics_office", "EU").await;
    let coordinator = t.org("EU Anti-Trafficking Coordinator", "eu_anti_trafficking_coordinator", "EU").await;
    let statistician = session(&t, "eu.statistician", &office, "statistician").await;
    let atc = session(&t, "eu.coordinator", &coordinator, "rapporteur").await;
    let mut totals = Vec::new();
    for (n, country) in ["FI", "DE", "EE"].into_iter().enumerate() {
        let (dataset, csv) = member_state_file(country, 20 + n as u64);
        let r = submit(&t, &statistician, country, csv).await;
        assert_eq!(r.status, StatusCode::CREATED, "{country}: {}", r.body);
        let total = dataset
            .observations
            .iter()
            .find(|o| o.key.indicator == haven_stats::Indicator::Registered && o.key.codes.is_empty())
            .and_then(|o| o.value)
            .unwrap();
        totals.push((country, total));
    }
    let r = t
        .call(
            Method::POST,
            "/api/v1/monitoring/report/sections",
            Some(&atc),
            Some(json!({"year": "2026", "title": "Overview", "text": "The Member States' submissions of the year."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let report = t.call(Method::GET, "/api/v1/monitoring/report?year=2026", Some(&atc), None).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let report = report.json();
    assert_eq!(report["legal_basis"][0], "Dir 2011/36 Art 20");
    let eu = &report["eu"];
    assert_eq!(eu["submitted"], 3, "{eu}");
    for (country, total) in &totals {
        let line = eu["countries"].as_array().unwrap().iter().find(|c| c["country"] == *country).unwrap();
        assert_eq!(line["status"], "submitted", "{country}");
        assert_eq!(line["registered"]["value"], *total, "{country}");
    }
    let sum: u64 = totals.iter().map(|(_, v)| v).sum();
    let registered = eu["totals"].as_array().unwrap().iter().find(|x| x["indicator"] == "Registered").unwrap();
    assert_eq!(registered["total"], sum);
    assert_eq!(
        eu["countries"].as_array().unwrap().iter().find(|c| c["country"] == "DK").unwrap()["status"],
        "not_bound"
    );
    // Every Member State submitted is in the print and the DOCX too.
    let print = t.page("/monitoring/report/print?year=2026", Some(&atc)).await;
    assert_eq!(print.status, StatusCode::OK);
    let (status, docx) = bytes(&t, "/api/v1/monitoring/report/docx?year=2026", &atc).await;
    assert_eq!(status, StatusCode::OK);
    let xml = document_xml(&docx);
    for (country, total) in &totals {
        assert!(print.body.contains(&format!("data-cell=\"country-{country}\">{total}</td>")), "{country}");
        assert!(xml.contains(&format!(">{country}<")), "{country} in the DOCX");
    }
    // The statistics office reads it and writes nothing.
    let read = t.call(Method::GET, "/api/v1/monitoring/report?year=2026", Some(&statistician), None).await;
    assert_eq!(read.status, StatusCode::OK);
    let write = t
        .call(
            Method::POST,
            "/api/v1/monitoring/report/sections",
            Some(&statistician),
            Some(json!({"year": "2026", "version": 1, "title": "X", "text": "Y"})),
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_annual_report_pages_are_latvian_for_a_latvian_reader() {
    let w = world().await;
    let t = &w.t;
    let r = t.form("/account/language", Some(&w.rapporteur), &[("language", "lv")]).await;
    assert!(r.status.is_redirection(), "{}", r.status);
    for path in ["/monitoring/reports", "/monitoring/report?year=2026", "/monitoring/report/print?year=2026"] {
        let page = t.page(path, Some(&w.rapporteur)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        // The English words as text: "narrative" is also the section's id (the anchor the form
        // returns to), which is no text.
        for english in [
            "Annual report",
            "Released statistics",
            "Trends over the years",
            "Transposition",
            "narrative<",
            "the narrative",
        ] {
            assert!(!page.body.contains(english), "{path}: {english}");
        }
        assert!(page.body.contains("Gada ziņojum"), "{path}");
    }
}
