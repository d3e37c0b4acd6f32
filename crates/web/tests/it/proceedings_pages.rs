//! The pages of an investigation's money (assets, measures, allocations, payouts, the financial
//! investigation, the Europol export), joint investigation teams, victims in the proceedings
//! (protection measures, information given) and the import of suspects from a file: each form's
//! record shows after the redirect; a bad value comes back as a 422 with the field named and
//! nothing written; the pages are Latvian for a Latvian user; a support organisation reaches
//! none of them; and the investigation and money pages fit a phone in a real browser.

use crate::browser::{CHROMEDRIVER, CHROMIUM, click_and_wait, start_in};
use crate::common::{Reply, Session, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use fantoccini::Locator;
use haven_domain::proceedings::penalty::NationalPractice;
use haven_web::routes::ROUTES;
use serde_json::{Value, json};

const NIL: &str = "00000000-0000-0000-0000-000000000000";

struct World {
    t: TestApp,
    officer: Session,
    prosecutor: Session,
    caseworker: Session,
    other_unit: Session,
    prosecutor_password: String,
    /// The NGO's case, shared with the police, linked to the investigation as a victim.
    case: String,
    investigation: String,
}

/// A profile of Latvia that lets confiscated proceeds pay compensation (the shipped one says
/// "not until checked").
fn allowing() -> NationalPractice {
    NationalPractice::parse(
        "country = \"LV\"\n[[versions]]\nvalid_from = \"2014-01-01\"\noffence_provision = \"Criminal Law s. 154.1\"\n\
         max_penalty_years = 8\nmax_penalty_years_aggravated = 15\naggravating = []\n\
         confiscated_proceeds_to_compensation = true\nsources = [\"a test profile\"]\n",
    )
    .unwrap()
}

async fn world() -> World {
    let t = TestApp::new().await;
    let police = t.org("Valsts policija", "police", "LV").await;
    let prosecution = t.org("Ģenerālprokuratūra", "prosecution", "LV").await;
    let ngo = t.org("Biedrība Patvērums", "ngo", "LV").await;
    let other_police = t.org("Reģionālā policija", "police", "LV").await;
    let officer_pw = t.user("officer", &police, &["investigator"]).await;
    let prosecutor_password = t.user("prosecutor", &prosecution, &["investigator"]).await;
    let caseworker_pw = t.user("caseworker", &ngo, &["caseworker"]).await;
    let other_pw = t.user("other.unit", &other_police, &["investigator"]).await;
    let officer = t.login("officer", &officer_pw).await;
    let prosecutor = t.login("prosecutor", &prosecutor_password).await;
    let caseworker = t.login("caseworker", &caseworker_pw).await;
    let other_unit = t.login("other.unit", &other_pw).await;
    let reply = t
        .call(
            Method::POST,
            "/api/v1/registrations",
            Some(&caseworker),
            Some(json!({"person": {"given_names": "Ilze", "family_names": "Ozoliņa", "sex": "female",
                "date_of_birth": "1994-02-03", "dob_verified": true}})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let case = reply.json()["id"].as_str().unwrap().to_owned();
    let reply = t
        .call(
            Method::POST,
            &format!("/api/v1/cases/{case}/shares"),
            Some(&caseworker),
            Some(json!({"organisation_id": police, "compartments": ["identity"]})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    let reply = t
        .call(
            Method::POST,
            "/api/v1/investigations",
            Some(&officer),
            Some(json!({
                "reference": "11816000123", "prosecutor_organisation_id": prosecution, "opened_on": "2026-09-01",
                "opening": "ex_officio",
                "offences": [{"kind": "trafficking", "forms": ["forced_labour"],
                    "national_provision": "Krimināllikuma 154.1 panta otrā daļa"}],
                "places": [{"country": "LV", "locality": "Bauska"}],
                "summary": "Strādnieki savervēti zemeņu lasīšanai."
            })),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let investigation = reply.json()["investigation"]["id"].as_str().unwrap().to_owned();
    let reply = t
        .call(
            Method::POST,
            &format!("/api/v1/investigations/{investigation}/victims"),
            Some(&officer),
            Some(json!({"case_id": case})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    World { t, officer, prosecutor, caseworker, other_unit, prosecutor_password, case, investigation }
}

impl World {
    fn base(&self) -> String {
        format!("/investigations/{}", self.investigation)
    }

    async fn api(&self, s: &Session, path: &str) -> Value {
        let reply = self.t.call(Method::GET, path, Some(s), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
        reply.json()
    }

    async fn assets(&self) -> Value {
        self.api(&self.officer, &format!("/api/v1/investigations/{}/assets", self.investigation)).await
    }

    async fn financial(&self) -> Value {
        self.api(&self.officer, &format!("/api/v1/investigations/{}/financial", self.investigation)).await
    }

    async fn victims(&self) -> Value {
        self.api(&self.officer, &format!("/api/v1/investigations/{}/victims-in-proceedings", self.investigation)).await
    }

    /// Posts a form and expects the redirect to `back`; gives the page it leads to.
    async fn saved(&self, s: &Session, path: &str, fields: &[(&str, &str)], back: &str) -> String {
        let reply = self.t.form(path, Some(s), fields).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}: {}", reply.body);
        let at = reply.headers.get("location").unwrap().to_str().unwrap().to_owned();
        assert!(at.starts_with(back), "{path} went to {at}");
        let page = self.t.page(at.split('#').next().unwrap(), Some(s)).await;
        assert_eq!(page.status, StatusCode::OK, "{at}");
        page.body
    }

    /// Posts a form and expects it back as a 422 with the message at the input `at`.
    async fn refused(&self, s: &Session, path: &str, fields: &[(&str, &str)], at: &str) -> Reply {
        let reply = self.t.form(path, Some(s), fields).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {}", reply.body);
        let summary = reply.body.split("id=\"form-error\"").nth(1).unwrap_or("").split("</p>").next().unwrap_or("");
        assert!(reply.body.contains(&format!("id=\"err-{at}\"")), "{path}: no message at {at}: {summary}");
        assert!(reply.body.contains(&format!("href=\"#{at}\"")), "{path}: the summary does not link to {at}");
        reply
    }
}

/// A realised asset (frozen, confiscated, realised for 50,000.00 EUR) recorded from the page;
/// gives its id.
async fn realised_asset(w: &World) -> String {
    let base = w.base();
    let money = format!("{base}/money");
    let fields = [
        ("kind", "real_estate"),
        ("description", "Dzīvoklis Rīgā, Brīvības ielā"),
        ("value", "12000000"),
        ("currency", "EUR"),
        ("valued_on", "2026-09-02"),
        ("held_in", "LV"),
        ("held_at", "Zemesgrāmata"),
    ];
    let page = w.saved(&w.officer, &format!("{base}/assets"), &fields, &money).await;
    assert!(page.contains("Dzīvoklis Rīgā, Brīvības ielā") && page.contains("120000.00 EUR"), "{page}");
    let asset = w.assets().await["assets"][0]["asset"]["id"].as_str().unwrap().to_owned();
    for (kind, on, amount) in [
        ("freezing", "2026-09-05", ""),
        ("confiscation_order", "2026-09-10", ""),
        ("realisation", "2026-09-15", "5000000"),
    ] {
        let fields = [
            ("asset_id", asset.as_str()),
            ("kind", kind),
            ("on", on),
            ("amount", amount),
            ("currency", "EUR"),
            ("reference", "Nr. 7/2026"),
        ];
        w.saved(&w.officer, &format!("{base}/asset-measures"), &fields, &money).await;
    }
    asset
}

#[tokio::test]
async fn art_7_dir_assets_and_their_measures_from_the_page_show_after_the_redirect_and_a_bad_value_is_a_422_at_its_field()
 {
    let w = world().await;
    let base = w.base();
    // Bad values first: nothing is written.
    let bad = [("kind", "yacht_club"), ("description", "Jahta"), ("value", "100"), ("currency", "EUR")];
    w.refused(&w.officer, &format!("{base}/assets"), &bad, "asset-kind").await;
    let bad = [
        ("kind", "cash"),
        ("description", "Skaidra nauda"),
        ("value", "100000"),
        ("currency", "USD"),
        ("valued_on", "2026-09-02"),
        ("held_in", "LV"),
        ("held_at", "Policijas seifs"),
    ];
    let reply = w.refused(&w.officer, &format!("{base}/assets"), &bad, "asset-rate").await;
    assert!(reply.body.contains("value=\"Skaidra nauda\"") || reply.body.contains(">Skaidra nauda<"), "kept");
    assert_eq!(w.assets().await["assets"], json!([]), "nothing written");

    let asset = realised_asset(&w).await;
    let page = w.t.page(&format!("{base}/money"), Some(&w.officer)).await.body;
    for shown in ["confiscation order", "realisation", "2026-09-15", "50000.00 EUR", "Nr. 7/2026"] {
        assert!(page.contains(shown), "no {shown:?} on the money page");
    }
    // A second confiscation order is refused at the measure's kind; nothing more is written.
    let fields = [("asset_id", asset.as_str()), ("kind", "confiscation_order"), ("on", "2026-09-16")];
    w.refused(&w.officer, &format!("{base}/asset-measures"), &fields, &format!("measure-{asset}-kind")).await;
    assert_eq!(w.assets().await["assets"][0]["measures"].as_array().unwrap().len(), 3);
    // An amount in another currency needs its rate and the rate's date.
    let fields = [
        ("asset_id", asset.as_str()),
        ("kind", "seizure"),
        ("on", "2026-09-16"),
        ("amount", "100"),
        ("currency", "USD"),
    ];
    w.refused(&w.officer, &format!("{base}/asset-measures"), &fields, &format!("measure-{asset}-rate")).await;
    // The investigation's page links to the money page and shows the totals.
    let page = w.t.page(&base, Some(&w.prosecutor)).await.body;
    assert!(page.contains(&format!("href=\"{base}/money\"")) && page.contains("50000.00 EUR"));
}

#[tokio::test]
async fn art_7_dir_proceeds_allocated_to_a_claim_and_paid_out_from_the_page_where_national_law_allows_it() {
    let mut w = world().await;
    let base = w.base();
    let asset = realised_asset(&w).await;
    let reply =
        w.t.call(
            Method::POST,
            &format!("/api/v1/cases/{}/support-records", w.case),
            Some(&w.caseworker),
            Some(json!({"kind": "compensation_claim", "record": {"kind": "criminal_proceedings_against_offender",
                "against": "the defendants", "amount_claimed": "6000000", "currency": "EUR",
                "prepared_on": "2026-09-10", "free_legal_representation": "yes"}})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let claim = reply.json()["id"].as_str().unwrap().to_owned();
    // Filed and awarded in full: proceeds go only to a claim on which an award stands.
    for (version, status) in [(1, "filed"), (2, "awarded")] {
        let reply = w
            .t
            .call(
                Method::POST,
                &format!("/api/v1/cases/{}/support-records/{claim}/changes", w.case),
                Some(&w.caseworker),
                Some(json!({"version": version, "change": {"action": "transition", "status": status, "on": "2026-09-12"}})),
            )
            .await;
        assert!(reply.status.is_success(), "{status}: {}", reply.body);
    }
    let allocate = [("asset_id", asset.as_str()), ("claim_id", claim.as_str()), ("amount", "3000000")];
    // The shipped Latvian profile does not allow it yet: refused at the claim (the form is not
    // offered, so the problem is in the summary at the top), nothing written.
    let reply = w.t.form(&format!("{base}/allocations"), Some(&w.prosecutor), &allocate).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains(&format!("href=\"#allocation-{asset}-claim_id\"")), "{}", reply.body);
    assert!(!reply.body.contains(&format!("id=\"form-allocation-{asset}\"")), "not offered");
    assert_eq!(w.assets().await["totals"]["allocated"], 0);
    // Where national law allows it, the form is offered and goes through.
    w.t.app = w.t.app.clone().with_proceedings_practice(allowing());
    w.t.router = haven_web::router(w.t.app.clone(), haven_web::WebConfig::default()).unwrap();
    let money = format!("{base}/money");
    let page = w.t.page(&money, Some(&w.prosecutor)).await.body;
    assert!(page.contains(&format!("id=\"form-allocation-{asset}\"")), "the allocation form is offered");
    let too_much = [("asset_id", asset.as_str()), ("claim_id", claim.as_str()), ("amount", "5000001")];
    w.refused(&w.prosecutor, &format!("{base}/allocations"), &too_much, &format!("allocation-{asset}-amount")).await;
    let page = w.saved(&w.prosecutor, &format!("{base}/allocations"), &allocate, &money).await;
    assert!(page.contains(&claim) && page.contains("30000.00 EUR"), "{page}");
    let allocation = &w.assets().await["assets"][0]["allocations"][0];
    let (allocation_id, version) =
        (allocation["allocation"]["id"].as_str().unwrap().to_owned(), allocation["version"].to_string());
    let over =
        [("allocation_id", allocation_id.as_str()), ("version", &version), ("amount", "3000001"), ("on", "2026-09-21")];
    w.refused(&w.prosecutor, &format!("{base}/payouts"), &over, &format!("payout-{allocation_id}-amount")).await;
    let pay =
        [("allocation_id", allocation_id.as_str()), ("version", &version), ("amount", "1000000"), ("on", "2026-09-21")];
    let page = w.saved(&w.prosecutor, &format!("{base}/payouts"), &pay, &money).await;
    assert!(page.contains("10000.00 EUR"), "paid out shown: {page}");
    assert_eq!(w.assets().await["totals"]["paid_out"], 1_000_000);
}

#[tokio::test]
async fn art_9_4_dir_the_financial_investigation_and_the_europol_export_from_the_page() {
    let w = world().await;
    let base = w.base();
    let money = format!("{base}/money");
    // Not opened needs its reasons.
    let fields = [("status", "not_opened"), ("on", "2026-09-10"), ("version", "0")];
    w.refused(&w.officer, &format!("{base}/financial/status"), &fields, "finstatus-reasons").await;
    assert_eq!(w.financial().await["financial"]["status"], "open");
    let fields = [
        ("status", "not_opened"),
        ("on", "2026-09-10"),
        ("version", "0"),
        ("reasons", "Viena epizode bez ienākumiem."),
    ];
    let page = w.saved(&w.officer, &format!("{base}/financial/status"), &fields, &money).await;
    assert!(page.contains("not opened") && page.contains("Viena epizode bez ienākumiem."), "{page}");
    // Items: an account; a transfer from an account that is not the investigation's is refused.
    let account = [
        ("kind", "account"),
        ("coded", "bank"),
        ("institution", "Swedbank"),
        ("country", "LV"),
        ("identifier", "LV80BANK0000435195001"),
    ];
    let page = w.saved(&w.officer, &format!("{base}/financial/items"), &account, &money).await;
    assert!(page.contains("LV80BANK0000435195001"), "{page}");
    let transfer = [
        ("kind", "transfer"),
        ("coded", "bank_transfer"),
        ("on", "2026-08-01"),
        ("amount", "150000"),
        ("currency", "EUR"),
        ("country", "LV"),
        ("to_country", "EE"),
        ("from_account_id", NIL),
    ];
    w.refused(&w.officer, &format!("{base}/financial/items"), &transfer, "item_transfer-from_account_id").await;
    assert_eq!(w.financial().await["items"].as_array().unwrap().len(), 1, "nothing more written");
    // The Europol export: a request without parts is refused; with them, a file to download.
    let fields = [("request_reference", "EUROPOL-2026-0042")];
    w.refused(&w.officer, &format!("{base}/europol-export"), &fields, "export-parts").await;
    let fields = [("request_reference", "EUROPOL-2026-0042"), ("parts", "accounts"), ("parts", "suspects")];
    let reply = w.t.form(&format!("{base}/europol-export"), Some(&w.officer), &fields).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let disposition = reply.headers.get("content-disposition").unwrap().to_str().unwrap();
    assert!(disposition.starts_with("attachment;") && disposition.contains("EUROPOL-2026-0042"), "{disposition}");
    let package = reply.json();
    assert_eq!(package["format"], "haven-europol-export-v1");
    let mut parts: Vec<String> =
        package["parts"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned()).collect();
    parts.sort();
    assert_eq!(parts, ["accounts", "suspects"]);
    assert!(package.get("victims").is_none() && package.to_string().contains("LV80BANK0000435195001"));
}

#[tokio::test]
async fn fd_2002_465_a_joint_team_set_up_joined_and_concluded_from_the_pages() {
    let w = world().await;
    let base = w.base();
    let teams = format!("{base}/joint-teams");
    let mut fields = vec![
        ("agreement_reference", "JIT-LV-EE-2026-01"),
        ("signed_on", "2026-09-05"),
        ("starts_on", "2026-09-06"),
        ("ends_on", "2027-09-06"),
        ("member_country_0", "LV"),
        ("member_agency_0", "Valsts policija"),
        ("purpose", "Kopīga izmeklēšana par darbaspēka ekspluatāciju."),
        ("eurojust", "on"),
    ];
    // One State alone is no team (FD 2002/465/JHA Art 1(1)).
    let reply = w.t.form(&teams, Some(&w.officer), &fields).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains("two or more States") && reply.body.contains("href=\"#team-members\""));
    assert!(reply.body.contains("value=\"JIT-LV-EE-2026-01\""), "what was typed is kept");
    // A member row with a country and no agency is refused at that row.
    fields.push(("member_country_1", "EE"));
    w.refused(&w.officer, &teams, &fields, "team-member_agency_1").await;
    assert_eq!(w.api(&w.officer, "/api/v1/joint-teams").await, json!([]), "nothing written");
    fields.push(("member_agency_1", "Politsei- ja Piirivalveamet"));
    let page = w.saved(&w.officer, &teams, &fields, &teams).await;
    assert!(page.contains("JIT-LV-EE-2026-01") && page.contains("Politsei- ja Piirivalveamet (EE)"), "{page}");
    let team = w.api(&w.officer, "/api/v1/joint-teams").await[0]["id"].as_str().unwrap().to_owned();
    // Joining a team that is not there is refused at the team's id.
    w.refused(&w.officer, &format!("{base}/joint-team-links"), &[("team_id", NIL)], "teamlink-team_id").await;
    // The outcome: the evaluation is required; then it shows.
    let version = w.api(&w.officer, &format!("/api/v1/joint-teams/{team}")).await["version"].to_string();
    let outcome =
        [("team_id", team.as_str()), ("version", &version), ("outcome", "prosecutions"), ("ended_on", "2026-09-20")];
    w.refused(&w.officer, &format!("{base}/joint-team-outcomes"), &outcome, &format!("outcome-{team}-evaluation"))
        .await;
    let mut outcome = outcome.to_vec();
    outcome.push(("evaluation", "Divi apsūdzētie nodoti tiesai."));
    let page = w.saved(&w.officer, &format!("{base}/joint-team-outcomes"), &outcome, &teams).await;
    assert!(page.contains("prosecutions") && page.contains("Divi apsūdzētie nodoti tiesai."), "{page}");
    assert!(!page.contains(&format!("id=\"form-outcome-{team}\"")), "concluded once");
}

#[tokio::test]
async fn art_12_and_art_11_dir_protection_measures_and_information_given_from_the_victims_page() {
    let w = world().await;
    let base = w.base();
    let victims = format!("{base}/victims-in-proceedings");
    let page = w.t.page(&victims, Some(&w.officer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Protection measures that apply and are not recorded"), "missing ones flagged");
    let missing_before = page.body.matches("<strong>Not recorded</strong>").count();
    assert!(missing_before >= 4, "{}", page.body);
    let case = w.case.as_str();
    // Not applicable without reasons: refused at the reasons, nothing written.
    let fields =
        [("case_id", case), ("measure", "no_visual_contact"), ("status", "not_applicable"), ("on", "2026-09-15")];
    w.refused(&w.officer, &format!("{base}/protection-measures"), &fields, &format!("protection-{case}-reasons")).await;
    assert_eq!(w.victims().await["victims"][0]["protection"]["missing"].as_array().unwrap().len(), missing_before);
    let fields = [("case_id", case), ("measure", "no_visual_contact"), ("status", "applied"), ("on", "2026-09-15")];
    let page = w.saved(&w.officer, &format!("{base}/protection-measures"), &fields, &victims).await;
    assert!(page.contains("applied, 2026-09-15"), "{page}");
    assert_eq!(page.matches("<strong>Not recorded</strong>").count(), missing_before - 1, "one flag fewer");
    // Information given: a language that is no code is refused; then it is logged as given.
    let mut fields = vec![
        ("case_id", case),
        ("kind", "state_of_proceedings"),
        ("channel", "in_person"),
        ("language", "latviešu"),
        ("given_by", "Inspektore A. Bērziņa"),
        ("given_on", "2026-09-16"),
    ];
    w.refused(&w.officer, &format!("{base}/information-given"), &fields, &format!("information-{case}-language")).await;
    assert_eq!(w.victims().await["victims"][0]["information"], json!([]));
    fields[3] = ("language", "lv");
    let page = w.saved(&w.officer, &format!("{base}/information-given"), &fields, &victims).await;
    assert!(page.contains("the state of the proceedings") && page.contains("Inspektore A. Bērziņa"), "{page}");
}

/// A multipart upload of `file` to the import page, the CSRF token in the query string (as the
/// page's form sends it) unless `csrf` is false.
async fn upload(w: &World, s: &Session, file: &str, csrf: bool) -> Reply {
    let boundary = "haven-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"suspects.json\"\r\n\
         Content-Type: application/json\r\n\r\n{file}\r\n--{boundary}--\r\n"
    );
    let query = if csrf { format!("?csrf={}", s.csrf) } else { String::new() };
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("{}/suspects/import{query}", w.base()))
        .header("host", "localhost")
        .header("cookie", &s.cookie)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    w.t.send(req).await
}

#[tokio::test]
async fn suspects_imported_from_a_file_on_the_page_are_stored_whole_or_not_at_all_and_a_problem_names_the_suspect() {
    let w = world().await;
    let page = w.t.page(&format!("{}/suspects/import", w.base()), Some(&w.officer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("enctype=\"multipart/form-data\"")
            && page.body.contains(&format!("?csrf={}", w.officer.csrf))
    );
    assert!(page.body.contains("<label for=\"import-file\">"));
    let suspects = |second: &str| {
        json!({"suspects": [
            {"kind": "natural", "name": "Pēteris Liepa", "roles": ["recruiter"], "citizenship": "LV"},
            {"kind": "natural", "name": second, "roles": ["exploiter"], "case_id": w.case}
        ]})
        .to_string()
    };
    let view = format!("/api/v1/investigations/{}", w.investigation);
    // The second suspect has no name: the page names it, and neither is stored.
    let reply = upload(&w, &w.officer, &suspects(""), true).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains("suspects[1].name") && reply.body.contains("id=\"err-import-file\""), "{}", reply.body);
    assert_eq!(w.api(&w.officer, &view).await["suspects"], json!([]));
    let reply = upload(&w, &w.officer, "{\"suspects\": 3}", true).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    // Without the token nothing is read.
    assert_eq!(upload(&w, &w.officer, &suspects("Ilze Ozoliņa"), false).await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.api(&w.officer, &view).await["suspects"], json!([]));
    // Both, with the notice for the one who is a registered victim (Dir 2011/36 Art 8).
    let reply = upload(&w, &w.officer, &suspects("Ilze Ozoliņa"), true).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = w.t.page(&w.base(), Some(&w.officer)).await.body;
    assert!(page.contains("Pēteris Liepa") && page.contains("Ilze Ozoliņa") && page.contains("Non-punishment notice"));
    // A support organisation does not reach the import; another unit does not know it.
    assert_eq!(upload(&w, &w.caseworker, &suspects("X"), true).await.status, StatusCode::FORBIDDEN);
    assert_eq!(upload(&w, &w.other_unit, &suspects("X"), true).await.status, StatusCode::NOT_FOUND);
}

/// The new page routes of the table, with the investigation's id.
fn new_routes(id: &str) -> Vec<(&'static str, String)> {
    let new = [
        "/money",
        "/assets",
        "/asset-measures",
        "/allocations",
        "/payouts",
        "/financial/status",
        "/financial/items",
        "/europol-export",
        "/joint-teams",
        "/joint-team-links",
        "/joint-team-outcomes",
        "/victims-in-proceedings",
        "/protection-measures",
        "/information-given",
        "/suspects/import",
    ];
    ROUTES
        .iter()
        .filter(|r| !r.api && new.iter().any(|n| r.path == format!("/investigations/{{id}}{n}")))
        .map(|r| (r.method, r.path.replace("{id}", id)))
        .collect()
}

#[tokio::test]
async fn a_support_organisation_reaches_none_of_the_new_pages_and_another_unit_does_not_know_them() {
    let w = world().await;
    let routes = new_routes(&w.investigation);
    assert_eq!(routes.len(), 17, "{routes:?}");
    for (method, path) in routes {
        let reply = ask(&w, &w.caseworker, method, &path).await;
        assert!(
            matches!(reply.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{method} {path}: {}",
            reply.status
        );
        for secret in ["11816000123", "Bauska"] {
            assert!(!reply.body.contains(secret), "{method} {path} shows {secret}");
        }
        let reply = ask(&w, &w.other_unit, method, &path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}");
    }
}

async fn ask(w: &World, s: &Session, method: &str, path: &str) -> Reply {
    if method == "GET" {
        w.t.page(path, Some(s)).await
    } else {
        w.t.form(path, Some(s), &[("case_id", NIL), ("kind", "cash"), ("team_id", NIL)]).await
    }
}

#[tokio::test]
async fn the_new_pages_in_latvian_have_no_english_left() {
    let w = world().await;
    realised_asset(&w).await;
    let base = w.base();
    w.saved(
        &w.officer,
        &format!("{base}/financial/items"),
        &[("kind", "finding"), ("coded", "proceeds_traced"), ("text", "Ienākumi izsekoti līdz dzīvoklim.")],
        &format!("{base}/money"),
    )
    .await;
    for s in [&w.officer, &w.prosecutor] {
        let reply = w.t.form("/account/language", Some(s), &[("language", "lv")]).await;
        assert!(reply.status.is_redirection());
    }
    let messages = crate::latvian::english_messages();
    let mut problems = vec![];
    for path in ["money", "joint-teams", "victims-in-proceedings", "suspects/import"] {
        let path = format!("{base}/{path}");
        let reply = w.t.page(&path, Some(&w.officer)).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(reply.body.contains("<html lang=\"lv\">"), "{path}");
        for english in crate::latvian::english_on(&reply.body, &messages) {
            problems.push(format!("{path}: {english}"));
        }
    }
    // Refused forms, in Latvian too.
    let refusals = [
        (format!("{base}/assets"), vec![("kind", "jahta")]),
        (format!("{base}/financial/status"), vec![("status", "not_opened"), ("version", "0")]),
        (format!("{base}/joint-teams"), vec![("agreement_reference", "JIT-1")]),
        (format!("{base}/protection-measures"), vec![("case_id", w.case.as_str()), ("measure", "x")]),
    ];
    for (path, fields) in refusals {
        let reply = w.t.form(&path, Some(&w.officer), &fields).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {}", reply.body);
        for english in crate::latvian::english_on(&reply.body, &messages) {
            problems.push(format!("POST {path}: {english}"));
        }
    }
    assert!(problems.is_empty(), "English on Latvian pages:\n{}", problems.join("\n"));
    let page = w.t.page(&format!("{base}/money"), Some(&w.officer)).await.body;
    for words in ["Pievienot mantu", "Finanšu izmeklēšana", "Eksports Eiropolam", "konfiskācijas lēmums"] {
        assert!(page.contains(words), "no {words:?}");
    }
}

/// What the browser shows: the page's width, and the form controls of `main` that have no label
/// or cannot be reached with the Tab key.
const FIT_AND_LABELS: &str = r#"
const unlabelled = [];
for (const el of document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')) {
  const label = el.id ? document.querySelector('label[for="' + el.id + '"]') : null;
  if (label === null || el.tabIndex < 0 || el.disabled) {
    unlabelled.push(el.name + '#' + el.id);
  }
}
const wide = [];
for (const el of document.querySelectorAll('body *')) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && el.closest('.table-wrap') === null && r.right > window.innerWidth + 0.5) {
    wide.push(el.tagName + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : '') + ' ' + Math.round(r.width));
  }
}
return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, unlabelled: unlabelled, wide: wide.slice(0, 12),
        controls: document.querySelectorAll('main select, main input:not([type=hidden])').length};
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_proceedings_page_fits_a_phone_and_their_forms_are_reached_by_keyboard_and_labels() {
    if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
        eprintln!("SKIPPED: headless Chromium test (install chromium and chromium-driver)");
        return;
    }
    let w = world().await;
    realised_asset(&w).await;
    let (_driver, _profile, c, base) = start_in(&w.t, 390, 844, "en-GB,en").await;
    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys("prosecutor").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(&w.prosecutor_password).await.unwrap();
    click_and_wait(&c, Locator::Css("button.primary"), "").await;
    c.set_window_size(390, 844).await.unwrap();
    // Every page of the compartment a prosecutor works on from a phone: the investigation, its
    // money, its joint teams, its victims in proceedings, the suspects' import, the trainings.
    let pages = [
        (w.base(), Some("11816000123"), true),
        (format!("{}/money", w.base()), Some("Dzīvoklis Rīgā"), true),
        (format!("{}/joint-teams", w.base()), None, true),
        (format!("{}/victims-in-proceedings", w.base()), None, true),
        (format!("{}/suspects/import", w.base()), None, true),
        ("/investigations".to_owned(), Some("11816000123"), false),
        ("/trainings".to_owned(), None, true),
    ];
    for (path, shown, form) in pages {
        c.goto(&format!("{base}{path}")).await.unwrap();
        let page = c.source().await.unwrap();
        assert!(page.contains("<main"), "{path}: {page}");
        if let Some(text) = shown {
            assert!(page.contains(text), "{path}: {text} is shown: {page}");
        }
        let layout = c.execute(FIT_AND_LABELS, vec![]).await.unwrap();
        let scroll = layout["scroll"].as_i64().unwrap();
        assert!(scroll <= 390, "{path}: the page is {scroll} px wide at 390 px: {layout}");
        assert_eq!(layout["unlabelled"], json!([]), "{path}: {layout}");
        // An error page has no form: each of these pages but the list has its own.
        if form {
            assert!(layout["controls"].as_i64().unwrap() > 0, "{path}: the forms are there: {layout}");
        }
    }
    // On the money page, the label takes the keyboard to its input, and Tab moves on from it.
    c.goto(&format!("{base}{}/money", w.base())).await.unwrap();
    c.find(Locator::Css("label[for='asset-kind']")).await.unwrap().click().await.unwrap();
    let focused = c.active_element().await.unwrap().attr("id").await.unwrap();
    assert_eq!(focused.as_deref(), Some("asset-kind"));
    c.active_element().await.unwrap().send_keys("\u{e004}").await.unwrap();
    let next = c.active_element().await.unwrap().attr("id").await.unwrap();
    assert_eq!(next.as_deref(), Some("asset-description"), "Tab goes to the next input");
    c.close().await.unwrap();
}
