//! Information for the victim in a language they understand (Dir 2011/36 Art 11(5)-(6);
//! Convention Arts 12(1)(d), 15(1)): the printable leaflet and its JSON, in ten languages, with
//! the case's dates, no identifying data, authorised like the case page; the translation check
//! and the fallback to English.

use crate::common::{Reply, Session, TestApp};
use axum::http::{Method, StatusCode};
use haven_app::leaflet::{LeafletContact, LeafletFacts};
use haven_domain::case::CalendarDate;
use haven_domain::ident::record::ChildStatus;
use haven_web::i18n::{
    LEAFLET_LANGUAGES, LanguageFiles, LeafletCatalogue, LeafletSource, VariableDifference, check_catalogue,
    check_translations,
};
use serde_json::{Value, json};

const SECTIONS: [&str; 12] = [
    "intro",
    "rights",
    "police",
    "reflection",
    "residence",
    "protection",
    "support",
    "legal_aid",
    "compensation",
    "non_punishment",
    "children",
    "contact",
];

struct World {
    t: TestApp,
    /// Caseworker of NGO A, which owns the cases.
    caseworker: Session,
    /// Caseworker of NGO B, in the same country: no access to NGO A's cases.
    other: Session,
    decider: Session,
    /// The organisation that owns the cases.
    ngo: String,
}

impl World {
    async fn new() -> World {
        let t = TestApp::new().await;
        let ngo = t.org("Drošā Māja", "ngo", "LV").await;
        let ngo_b = t.org("NGO B", "ngo", "LV").await;
        let ca = t.org("Competent Authority", "competent_authority", "LV").await;
        let session = async |name: &str, org: &str, role: &str| {
            let password = t.user(name, org, &[role]).await;
            t.login(name, &password).await
        };
        let caseworker = session("caseworker", &ngo, "caseworker").await;
        let other = session("other", &ngo_b, "caseworker").await;
        let decider = session("decider", &ca, "decision_maker").await;
        World { t, caseworker, other, decider, ngo }
    }

    async fn get(&self, path: &str, s: &Session) -> Reply {
        self.t.call(Method::GET, path, Some(s), None).await
    }

    /// Registers and refers a case; returns its id and reference.
    async fn refer(&self, person: Value, consent: bool) -> (String, String) {
        let mut reg = json!({"person": person,
            "context": {"acts": ["recruitment"], "means": ["deception"], "forms": ["forced_labour"]}});
        if consent {
            reg["consent"] =
                json!({"given": true, "date": "2026-09-21", "language": "lv", "informed_by": "Anna Ozola"});
        }
        let r = self.t.call(Method::POST, "/api/v1/registrations", Some(&self.caseworker), Some(reg)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_str().unwrap().to_owned();
        let reference = r.json()["reference"].as_str().unwrap().to_owned();
        let submit = format!("/api/v1/registrations/{id}/submit");
        let r = self.t.call(Method::POST, &submit, Some(&self.caseworker), Some(json!({"version": 1}))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        (id, reference)
    }

    /// A positive first decision on 2026-09-21: the reflection period runs from 2026-09-22 to
    /// 2026-10-21 (thirty days from the day after the decision, Reg 1182/71 Art 3(1)).
    async fn presume_victim(&self, id: &str) {
        let body = json!({"seq": 1, "kind": "first_decision_positive", "decided_on": "2026-09-21"});
        let path = format!("/api/v1/registrations/{id}/decisions");
        let r = self.t.call(Method::POST, &path, Some(&self.decider), Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
}

fn adult(languages: &[&str]) -> Value {
    json!({"given_names": "Olena", "family_names": "Kovalenko", "date_of_birth": "1994-03-12", "dob_verified": true,
           "sex": "female", "languages": languages})
}

fn child(languages: &[&str]) -> Value {
    json!({"given_names": "Mykola", "family_names": "Shevchuk", "date_of_birth": "2011-01-01", "dob_verified": true,
           "sex": "male", "languages": languages})
}

/// The page keeps the UI rules: a language, a main landmark, no inline style or script.
fn assert_printable(html: &str) {
    assert!(html.contains("<main"), "no <main>");
    assert!(!html.contains("style="), "an inline style attribute");
    assert!(!html.contains("<style"), "an inline style element");
    assert!(!html.contains("<script"), "the leaflet needs no script");
    assert!(html.contains("href=\"/assets/haven.css\""), "the stylesheet is served by the binary");
}

#[tokio::test]
async fn the_arabic_leaflet_is_laid_out_right_to_left_in_arabic() {
    let w = World::new().await;
    let (id, _) = w.refer(adult(&["ar"]), true).await;
    let r = w.t.page(&format!("/cases/{id}/leaflet"), Some(&w.caseworker)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("<html lang=\"ar\" dir=\"rtl\">"), "the person's language by default: {}", &r.body[..200]);
    assert!(r.body.contains("حقوقك") && r.body.contains("112"), "Arabic text");
    assert!(r.body.contains("<title>حقوقك"), "the title in Arabic");
    // The staff settings stay in the staff's language, left to right, and list each language in
    // its own name and direction.
    assert!(r.body.contains("lang=\"en\" dir=\"ltr\""), "settings in English");
    assert!(r.body.contains("Language of the leaflet"));
    for name in ["English", "Latviešu", "Русский", "Українська", "Română", "Български", "Tiếng Việt", "Português"]
    {
        assert!(r.body.contains(&format!(">{name}</a>")), "{name} in the picker");
    }
    assert!(r.body.contains("lang=\"ar\" dir=\"rtl\" hreflang=\"ar\" aria-current=\"page\">العربية</a>"));
    assert!(r.body.contains(">Français</a>"));
    assert_printable(&r.body);
    // Asked for explicitly, the same.
    let r = w.t.page(&format!("/cases/{id}/leaflet?lang=ar"), Some(&w.caseworker)).await;
    assert!(r.body.contains("<html lang=\"ar\" dir=\"rtl\">"));
    // The stylesheet lays it out and prints it without the settings.
    let css = w.t.page("/assets/haven.css", None).await.body;
    assert!(css.contains(".leaflet-tools") && css.contains("@media print"));
}

#[tokio::test]
async fn the_latvian_leaflet_shows_the_reflection_period_of_the_case() {
    let w = World::new().await;
    let (id, reference) = w.refer(adult(&["lav", "ru"]), true).await;
    w.presume_victim(&id).await;
    let r = w.t.page(&format!("/cases/{id}/leaflet"), Some(&w.caseworker)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("<html lang=\"lv\" dir=\"ltr\">"), "lav (ISO 639-2) is Latvian");
    assert!(
        r.body.contains("Jūsu laiks atpūsties un izlemt: no 22.09.2026. līdz 21.10.2026."),
        "the reflection period's dates in Latvian: {}",
        r.body
    );
    assert!(r.body.contains("Jums ir tiesības uz šo palīdzību kopš 21.09.2026."), "assistance since");
    assert!(r.body.contains("Jūsu atbalsta organizācija: Drošā Māja."), "whom to call");
    assert!(r.body.contains("zvaniet 112"));
    assert!(!r.body.contains("Ja Jums vēl nav 18 gadu"), "no children's section for an adult");
    // Nothing that identifies the person: no family name, date of birth or case reference, and
    // the given name only when asked for.
    for secret in ["Kovalenko", "1994", "12.03", "Olena", reference.as_str()] {
        assert!(!r.body.contains(secret), "{secret} on the leaflet");
    }
    let r = w.t.page(&format!("/cases/{id}/leaflet?lang=lv&name=true"), Some(&w.caseworker)).await;
    assert!(r.body.contains("Labdien, Olena!"), "the given name when asked for");
    assert!(!r.body.contains("Kovalenko") && !r.body.contains("1994") && !r.body.contains(&reference));
    assert!(r.body.contains(&format!("href=\"/cases/{id}/leaflet?lang=lv\">Do not print the first name</a>")));
    // In English the same dates, as English writes them.
    let r = w.t.page(&format!("/cases/{id}/leaflet?lang=en"), Some(&w.caseworker)).await;
    assert!(r.body.contains("Your time to rest and decide: from 22/09/2026 to 21/10/2026."), "{}", r.body);
    // Printing is audited.
    let log = w.t.app.store().audit_entries(0, 10_000).await.unwrap();
    let printed = log.iter().filter(|e| e.event.action.to_string() == "leaflet_printed").count();
    assert_eq!(printed, 3);
    // The case page links to it.
    let case = w.t.page(&format!("/cases/{id}"), Some(&w.caseworker)).await;
    assert!(case.body.contains(&format!("href=\"/cases/{id}/leaflet\"")) && case.body.contains("Information leaflet"));
}

#[tokio::test]
async fn a_case_without_a_reflection_period_says_the_worker_will_give_the_dates() {
    let w = World::new().await;
    let (id, _) = w.refer(adult(&["de"]), true).await;
    let r = w.get(&format!("/api/v1/cases/{id}/leaflet"), &w.caseworker).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = r.json();
    assert_eq!(body["language"], "en", "no leaflet in German: English");
    let reflection = body["sections"].as_array().unwrap().iter().find(|s| s["id"] == "reflection").unwrap();
    assert!(reflection["text"].as_str().unwrap().contains("Your support worker will tell you when"), "{reflection}");
}

#[tokio::test]
async fn another_organisation_is_refused_the_leaflet_like_the_case_page() {
    let w = World::new().await;
    let (id, _) = w.refer(adult(&["lv"]), true).await;
    let page = w.t.page(&format!("/cases/{id}"), Some(&w.other)).await;
    let leaflet = w.t.page(&format!("/cases/{id}/leaflet"), Some(&w.other)).await;
    assert!(matches!(leaflet.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{}", leaflet.status);
    assert_eq!(leaflet.status, page.status, "as the case page");
    assert!(!leaflet.body.contains("Olena") && !leaflet.body.contains("Drošā Māja"));
    let api = w.get(&format!("/api/v1/cases/{id}/leaflet?lang=lv"), &w.other).await;
    assert_eq!(api.status, page.status, "{}", api.body);
    // A logged-out browser goes to the login page.
    let r = w.t.page(&format!("/cases/{id}/leaflet"), None).await;
    assert!(r.status.is_redirection());
    // No leaflet was printed.
    let log = w.t.app.store().audit_entries(0, 10_000).await.unwrap();
    assert!(log.iter().all(|e| e.event.action.to_string() != "leaflet_printed"));
}

#[tokio::test]
async fn art_11_6_dir_2011_36_the_leaflet_gives_reflection_and_international_protection_in_every_language() {
    let w = World::new().await;
    let (child_id, _) = w.refer(child(&["uk"]), false).await;
    w.presume_victim(&child_id).await;
    let r = w.get(&format!("/api/v1/cases/{child_id}/leaflet"), &w.caseworker).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = r.json();
    assert_eq!(body["language"], "uk", "the child's language by default");
    let ids: Vec<&str> = body["sections"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, SECTIONS, "every section, the children's included");
    let text = body.to_string();
    assert!(text.contains("опікун") && text.contains("з 22.09.2026 до 21.10.2026"), "{text}");
    assert!(!text.contains("Shevchuk") && !text.contains("2011") && !text.contains("Mykola"));
    for language in LEAFLET_LANGUAGES {
        let r = w.get(&format!("/api/v1/cases/{child_id}/leaflet?lang={}", language.code), &w.caseworker).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let body = r.json();
        assert_eq!(body["language"], language.code);
        assert_eq!(body["direction"], if language.code == "ar" { "rtl" } else { "ltr" });
        assert_eq!(body["fallback_messages"], json!([]), "{} is complete", language.code);
        let sections = body["sections"].as_array().unwrap();
        assert_eq!(sections.len(), SECTIONS.len(), "{}", language.code);
        for s in sections {
            assert!(!s["title"].as_str().unwrap().is_empty() && !s["text"].as_str().unwrap().is_empty(), "{s}");
        }
        let support = sections.iter().find(|s| s["id"] == "support").unwrap()["text"].as_str().unwrap();
        assert_eq!(support.matches("• ").count(), 6, "six kinds of support listed: {support}");
        let reflection = sections.iter().find(|s| s["id"] == "reflection").unwrap()["text"].as_str().unwrap();
        let slashes = ["en", "vi", "pt", "fr", "ar"].contains(&language.code);
        let until = if slashes { "21/10/2026" } else { "21.10.2026" };
        assert!(reflection.contains(until), "the date whole, as {} writes it: {reflection}", language.code);
        assert!(!body.to_string().contains(".."), "no doubled full stop after a date in {}", language.code);
    }
    // An adult's leaflet has no children's section.
    let (adult_id, _) = w.refer(adult(&[]), true).await;
    let body = w.get(&format!("/api/v1/cases/{adult_id}/leaflet"), &w.caseworker).await.json();
    let ids: Vec<&str> = body["sections"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    let expected: Vec<&str> = SECTIONS.iter().copied().filter(|s| *s != "children").collect();
    assert_eq!(ids, expected);
}

#[tokio::test]
async fn an_unknown_language_is_a_400_naming_lang() {
    let w = World::new().await;
    let (id, _) = w.refer(adult(&["lv"]), true).await;
    let r = w.get(&format!("/api/v1/cases/{id}/leaflet?lang=xx"), &w.caseworker).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "lang");
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("en, lv, ru, uk, ro, bg, vi, pt, fr, ar"));
    let r = w.t.page(&format!("/cases/{id}/leaflet?lang=de"), Some(&w.caseworker)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("(field: lang)"), "{}", r.body);
    let r = w.get(&format!("/api/v1/cases/{id}/leaflet?language=lv"), &w.caseworker).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "an unknown parameter: {}", r.body);
    let r = w.get(&format!("/api/v1/cases/{id}/leaflet?name=perhaps"), &w.caseworker).await;
    assert_eq!((r.status, r.json()["error"]["field"].clone()), (StatusCode::BAD_REQUEST, json!("name")));
    // Those who may not read cases are refused before the language is looked at.
    let stats = w.t.org("Statistics", "statistics_office", "LV").await;
    let password = w.t.user("statistician", &stats, &["statistician"]).await;
    let statistician = w.t.login("statistician", &password).await;
    let r = w.get(&format!("/api/v1/cases/{id}/leaflet?lang=xx"), &statistician).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

#[test]
fn every_shipped_language_is_complete() {
    let reports = check_translations().unwrap();
    for report in &reports {
        assert!(report.is_complete(), "{report}");
    }
    let leaflet = reports.iter().find(|r| r.catalogue == "leaflet").unwrap();
    let codes: Vec<&str> = leaflet.languages.iter().map(|l| l.language.as_str()).collect();
    assert_eq!(codes, ["lv", "ru", "uk", "ro", "bg", "vi", "pt", "fr", "ar"]);
    assert!(leaflet.messages > 50, "{}", leaflet.messages);
    assert!(reports.iter().any(|r| r.catalogue == "interface"));
    // Each file names its language in its own script, and they differ.
    let catalogue = LeafletCatalogue::load().unwrap();
    let names: Vec<String> = catalogue.names().into_iter().map(|(_, name, _)| name).collect();
    assert_eq!(
        names,
        [
            "English",
            "Latviešu",
            "Русский",
            "Українська",
            "Română",
            "Български",
            "Tiếng Việt",
            "Português",
            "Français",
            "العربية"
        ]
    );
}

/// The Latvian file with one message taken out, one variable misspelt and one message added.
fn broken_latvian() -> String {
    let lv = LEAFLET_LANGUAGES.iter().find(|l| l.code == "lv").unwrap().source();
    let mut text: String = lv
        .lines()
        .filter(|l| !l.starts_with("reflection-dates = "))
        .map(|l| if l.starts_with("support-since = ") { l.replace("$since", "$sinse") } else { l.to_owned() })
        .collect::<Vec<_>>()
        .join("\n");
    text.push_str("\nobsolete-message = Vairs nav vajadzīgs.\n");
    text
}

#[test]
fn the_check_reports_a_missing_message_and_the_leaflet_falls_back_to_english() {
    let en = LEAFLET_LANGUAGES[0].source();
    let lv = broken_latvian();
    let report = check_catalogue(
        "leaflet",
        &LanguageFiles { language: "en", files: vec![("en.ftl".into(), en)] },
        &[LanguageFiles { language: "lv", files: vec![("lv.ftl".into(), &lv)] }],
    )
    .unwrap();
    assert!(!report.is_complete());
    let l = &report.languages[0];
    assert_eq!(l.missing, ["reflection-dates"]);
    assert_eq!(l.extra, ["obsolete-message"]);
    assert_eq!(
        l.variables,
        [VariableDifference {
            id: "support-since".into(),
            expected: vec!["since".into()],
            found: vec!["sinse".into()]
        }]
    );
    let printed = report.to_string();
    assert!(printed.contains("missing: reflection-dates (shown in en)"), "{printed}");
    assert!(printed.contains("variables differ: support-since (expected since; found sinse)"), "{printed}");

    // The leaflet in that Latvian: the missing and the broken message in English, the rest in
    // Latvian, and both listed.
    let catalogue = LeafletCatalogue::from_sources(&[
        LeafletSource { code: "en", rtl: false, text: en },
        LeafletSource { code: "lv", rtl: false, text: &lv },
    ])
    .unwrap();
    let facts = LeafletFacts {
        child_status: ChildStatus::Adult,
        given_name: Some("Olena".into()),
        reflection_start: Some(CalendarDate { year: 2026, month: 9, day: 21 }),
        reflection_end: Some(CalendarDate { year: 2026, month: 10, day: 20 }),
        assistance_since: Some(CalendarDate { year: 2026, month: 9, day: 21 }),
        residence_permit_until: None,
        organisation: LeafletContact {
            name: "Drošā Māja".into(), phone: Some("+371 6700 0000".into()), email: None
        },
        languages: vec!["lv".into()],
    };
    let mut tr = catalogue.tr("lv").unwrap();
    let sections = haven_web::leaflet::sections(&mut tr, &facts, false);
    let text = |id: &str| sections.iter().find(|s| s.id == id).unwrap().text();
    assert!(
        text("reflection").contains("Your time to rest and decide: from 21.09.2026. to 20.10.2026."),
        "English words, Latvian dates: {}",
        text("reflection")
    );
    assert!(text("reflection").contains("Šajā laikā neviens nevar Jūs izraidīt"), "the rest in Latvian");
    assert!(text("support").contains("You have had the right to this help since 21.09.2026."));
    assert!(text("contact").contains("Tālrunis: +371 6700 0000"), "the organisation's telephone when known");
    assert_eq!(tr.fallbacks(), ["reflection-dates", "support-since"]);
    // The shipped Latvian needs no fallback.
    let shipped = LeafletCatalogue::load().unwrap();
    let mut tr = shipped.tr("lv").unwrap();
    haven_web::leaflet::sections(&mut tr, &facts, true);
    assert!(tr.fallbacks().is_empty(), "{:?}", tr.fallbacks());
}

#[test]
fn the_person_s_first_available_language_is_chosen() {
    let catalogue = LeafletCatalogue::load().unwrap();
    let choose = |l: &[&str]| catalogue.choose(&l.iter().map(|s| s.to_string()).collect::<Vec<_>>()).to_owned();
    assert_eq!(choose(&["de", "ron", "ru"]), "ro", "ISO 639-2 codes too, in the person's order");
    assert_eq!(choose(&["apc"]), "ar", "an Arabic variety");
    assert_eq!(choose(&["de", "tr"]), "en");
    assert_eq!(choose(&[]), "en");
}

/// The organisation's telephone and email come from its entry in the provider directory; without
/// one, the leaflet leaves a line to write a number in.
#[tokio::test]
async fn the_leaflet_gives_the_telephone_of_the_organisation_from_the_provider_directory() {
    let w = World::new().await;
    let (id, _) = w.refer(child(&["en"]), false).await;
    let contact =
        |body: &Value| body["sections"].as_array().unwrap().iter().find(|s| s["id"] == "contact").unwrap().to_string();
    let before = w.get(&format!("/api/v1/cases/{id}/leaflet?lang=en"), &w.caseworker).await.json();
    assert!(!contact(&before).contains("+371 6777 1234"));
    let password = w.t.user("keeper", &w.ngo, &["supervisor"]).await;
    let keeper = w.t.login("keeper", &password).await;
    let provider = json!({"id": "drosa-maja", "organisation_id": w.ngo, "name": "Drošā Māja", "country": "LV",
        "services": [{"service": "counselling_information"}], "languages": ["lv"], "regions": ["LV"],
        "accepts": ["women", "children"],
        "contact_points": [{"label": "Hotline", "phone": "+371 6777 1234", "email": "help@drosa.example"}]});
    let r = w.t.call(Method::POST, "/api/v1/providers", Some(&keeper), Some(provider)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let after = w.get(&format!("/api/v1/cases/{id}/leaflet?lang=en"), &w.caseworker).await.json();
    assert!(contact(&after).contains("+371 6777 1234"), "{}", contact(&after));
    assert!(contact(&after).contains("help@drosa.example"), "{}", contact(&after));
}

/// The text of one section of a leaflet's JSON ("" when the section is not there).
fn section_text(body: &Value, id: &str) -> String {
    body["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .map(|s| s["text"].as_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn art_14_2_dir_2011_36_only_a_child_s_leaflet_promises_a_guardian() {
    // Dir 2011/36 Art 14(2), Art 16(3); CETS 197 Art 10(4): a guardian is the law's for a child only.
    let w = World::new().await;
    let (adult_id, _) = w.refer(adult(&[]), true).await;
    let (child_id, _) = w.refer(child(&[]), false).await;
    // No age recorded: the children's section is printed ("if you are under 18"), the guardian is not
    // promised.
    let unknown = json!({"given_names": "Ana", "family_names": "Pop", "sex": "female"});
    let (unknown_id, _) = w.refer(unknown, false).await;
    let catalogue = LeafletCatalogue::load().unwrap();
    for language in LEAFLET_LANGUAGES {
        let mut tr = catalogue.tr(language.code).unwrap();
        let guardian = tr.t("children-guardian");
        let leaflet = async |id: &str| {
            let r = w.get(&format!("/api/v1/cases/{id}/leaflet?lang={}", language.code), &w.caseworker).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.json()
        };
        let adult = leaflet(&adult_id).await;
        assert!(!adult.to_string().contains(&guardian), "an adult's leaflet in {} promises a guardian", language.code);
        assert_eq!(section_text(&adult, "children"), "", "no children's section for an adult");
        let child = leaflet(&child_id).await;
        assert!(section_text(&child, "children").contains(&guardian), "a child's leaflet in {}", language.code);
        let unknown = leaflet(&unknown_id).await;
        let children = section_text(&unknown, "children");
        assert!(!children.is_empty() && !children.contains(&guardian), "age unknown in {}: {children}", language.code);
    }
    // In English, the adult's leaflet says nothing of a guardian at all.
    let adult = w.get(&format!("/api/v1/cases/{adult_id}/leaflet?lang=en"), &w.caseworker).await.json();
    assert!(!adult.to_string().to_lowercase().contains("guardian"), "{adult}");
}

#[tokio::test]
async fn art_15_3_f_dir_2011_36_the_child_s_leaflet_says_who_may_be_at_an_interview_and_on_what_basis() {
    // "An adult you trust can be with you" had no source. Dir 2011/36 Art 15(3)(f) gives the child its
    // representative or, where appropriate, an adult of its choice, unless a reasoned decision excludes
    // that person: the leaflet says that, and every language file cites the article for its translator.
    let w = World::new().await;
    let (child_id, _) = w.refer(child(&[]), false).await;
    let body = w.get(&format!("/api/v1/cases/{child_id}/leaflet?lang=en"), &w.caseworker).await.json();
    let children = section_text(&body, "children");
    assert!(!children.contains("An adult you trust can be with you"), "{children}");
    assert!(
        children.contains("or an adult you choose, can be with you, unless there is a serious reason"),
        "{children}"
    );
    let catalogue = LeafletCatalogue::load().unwrap();
    for language in LEAFLET_LANGUAGES {
        let english = catalogue.tr("en").unwrap().t("children-interviews");
        let translated = catalogue.tr(language.code).unwrap().t("children-interviews");
        assert!(language.code == "en" || translated != english, "{} is translated", language.code);
        let note = language.source().split("\nchildren-interviews = ").next().unwrap().rsplit("\n\n").next().unwrap();
        assert!(note.contains("Dir 2011/36 Art 15(3)(f)"), "the source in {}: {note}", language.code);
    }
}
