//! Latvian all the way through: every page of the route table, asked by a user of every demo role
//! whose language is Latvian, and the pages that refuse bad input to the main forms, carry no
//! English text outside the `lang="en"` islands (sources cited in English, a language's own
//! name).
//!
//! English is found in two ways: a text node that holds a common English word that is not also a
//! Latvian one (the stop list below), and a text node that holds an English message of the
//! interface's own files (`locales/en*.ftl`) of three words or more that the Latvian files do not
//! have too. The test data are Latvian names, so that nothing the test typed counts as English.

use crate::common::{Reply, Session, TestApp};
use crate::pages::{PASSWORD, assert_see_other, location};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use haven_domain::Language;
use haven_domain::Permission;
use haven_web::i18n::I18n;
use haven_web::routes::ROUTES;
use serde_json::json;
use std::collections::BTreeSet;

/// Common English words that are not Latvian words: one of them in a text node is English.
const ENGLISH_WORDS: &[&str] = &[
    "the",
    "and",
    "of",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "not",
    "must",
    "for",
    "with",
    "case",
    "cases",
    "person",
    "persons",
    "this",
    "that",
    "these",
    "which",
    "from",
    "by",
    "or",
    "an",
    "has",
    "have",
    "had",
    "will",
    "would",
    "should",
    "may",
    "can",
    "cannot",
    "there",
    "their",
    "they",
    "it",
    "its",
    "what",
    "who",
    "when",
    "where",
    "if",
    "than",
    "then",
    "into",
    "any",
    "every",
    "each",
    "all",
    "only",
    "after",
    "before",
    "between",
    "under",
    "yes",
    "none",
    "unknown",
    "name",
    "new",
    "save",
    "back",
    "page",
    "year",
    "days",
    "day",
    "child",
    "children",
    "victim",
    "victims",
    "decision",
    "referral",
    "support",
    "provider",
    "needs",
    "need",
    "given",
    "date",
    "empty",
    "value",
    "expected",
    "one",
    "at",
    "most",
    "least",
    "characters",
    "field",
    "here",
    "no-one",
    "nobody",
    "shown",
    "released",
    "release",
    "method",
    "counted",
    "counting",
    "records",
    "record",
    "because",
    "reasons",
    "removal",
    "expulsion",
    "enforced",
    "period",
    "ends",
    "starts",
    "days",
    "working",
    "calendar",
    "identified",
    "presumed",
    "indicator",
    "indicators",
    "match",
    "matches",
    "matched",
    "language",
    "languages",
    "free",
    "beds",
    "women",
    "men",
    "why",
];

/// Text that is not English though it reads as such: codes, file formats, proper nouns and the
/// citations of the law, each named here and nowhere else.
const NOT_ENGLISH: &[&str] = &[
    // Standards and formats named by their own names.
    "SDMX-CSV", "SDMX", "CSV", "XLSX", "HTCDS", "ISO", "TOTP", "API", "EUR", "ILO", "ILO/EC",
    // Citations: the instruments' official short names are kept as cited.
    "CETS", "Dir", "Art", "Arts",
];

/// Names that are identifiers, not English: the built-in linkage model's name.
const NAMES: &[&str] = &["persons v1"];

/// The HTML elements that have no end tag.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

fn decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// The text nodes of a page outside `lang="en"` islands, scripts and styles (attribute values are
/// never text), each with its white space collapsed.
fn text_nodes(html: &str) -> Vec<String> {
    // (tag name, an island of English, a script or style)
    let mut stack: Vec<(String, bool, bool)> = vec![];
    let mut out = vec![];
    let mut rest = html;
    while !rest.is_empty() {
        let (text, after) = match rest.find('<') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let hidden = stack.iter().any(|(_, en, raw)| *en || *raw);
        let text = decode(text).split_whitespace().collect::<Vec<_>>().join(" ");
        if !hidden && !text.is_empty() {
            out.push(text);
        }
        if after.is_empty() {
            break;
        }
        if let Some(comment) = after.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        let end = after.find('>').map_or(after.len(), |e| e + 1);
        let tag = &after[..end];
        rest = &after[end..];
        if tag.starts_with("<!") {
            continue;
        }
        if let Some(name) = tag.strip_prefix("</") {
            let name = name.trim_end_matches('>').trim().to_ascii_lowercase();
            if let Some(at) = stack.iter().rposition(|(n, _, _)| *n == name) {
                stack.truncate(at);
            }
            continue;
        }
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || VOID.contains(&name.as_str()) || tag.ends_with("/>") {
            continue;
        }
        // English, or marked as not to be translated (identifiers and coded records).
        let english = name != "html"
            && (tag.contains(" lang=\"en\"") || tag.contains(" lang=\"en-") || tag.contains(" translate=\"no\""));
        let raw = matches!(name.as_str(), "script" | "style");
        if raw {
            // Skip to the end tag (a script's text may hold '<').
            let close = format!("</{name}");
            rest = rest.find(&close).map_or("", |e| &rest[e..]);
        }
        stack.push((name, english, raw));
    }
    out
}

/// The English messages of the interface (three words or more, each run of literal text between
/// variables) that the Latvian files do not have word for word.
pub(crate) fn english_messages() -> Vec<String> {
    let i18n = I18n::load().unwrap();
    let en = i18n.tr(Language::English);
    let lv = i18n.tr(Language::Latvian);
    let mut out = BTreeSet::new();
    for id in I18n::ids(Language::English) {
        let english = en.t(&id);
        let latvian = lv.t(&id);
        for piece in english.split(['{', '}']) {
            let piece = piece.split_whitespace().collect::<Vec<_>>().join(" ");
            let piece = piece.trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
            if piece.split(' ').count() >= 3 && !latvian.contains(piece) {
                out.insert(piece.to_owned());
            }
        }
    }
    out.into_iter().collect()
}

/// What in the page is English: each text node with the reason it was flagged.
pub(crate) fn english_on(html: &str, messages: &[String]) -> Vec<String> {
    let mut found = vec![];
    for node in text_nodes(html) {
        let text = NAMES.iter().fold(node.clone(), |t, name| t.replace(name, " "));
        let words: Vec<String> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '/'))
            .filter(|w| !w.is_empty() && !NOT_ENGLISH.contains(w))
            // A code of two or three capitals (a country, a currency) is no English word.
            .filter(|w| !(w.len() <= 3 && w.chars().all(|c| c.is_ascii_uppercase())))
            .map(str::to_lowercase)
            .collect();
        if let Some(w) = words.iter().find(|w| ENGLISH_WORDS.contains(&w.as_str())) {
            found.push(format!("{node:?} (the word {w:?})"));
        } else if let Some(m) = messages.iter().find(|m| node.contains(m.as_str())) {
            found.push(format!("{node:?} (the English message {m:?})"));
        }
    }
    found
}

struct User {
    name: &'static str,
    session: Session,
}

/// The demo roles, as in the README's table, each in a Latvian organisation (the EU statistician
/// at the EU level), and what they worked on.
struct World {
    t: TestApp,
    users: Vec<User>,
    /// An adult's case, referred and decided, assessed and with a plan and a referral.
    adult: String,
    /// A child's case, referred, with child protection and return records.
    child: String,
    referral: String,
    provider: String,
    release: String,
    /// An investigation of the police: the child linked as a victim and as a suspect (the
    /// non-punishment notice), a charge, the report withdrawn.
    investigation: String,
    /// The suspect of that investigation (the child, as linked).
    suspect: String,
    /// The adult's transnational referral to Estonia, submitted to the focal point.
    transnational: String,
    /// A GRETA round of Latvia, with a recommendation and its follow-up.
    greta_round: String,
    /// Latvia's coordination mechanism, and a meeting of it with an action arising.
    network: String,
    meeting: String,
    /// A data subject's request of access to the adult's data, recorded by the officer.
    subject_request: String,
    /// A request to erase the child's data, approved and awaiting its erasure (not carried out).
    erasure_request: String,
    table: &'static str,
}

impl World {
    fn session(&self, name: &str) -> &Session {
        &self.users.iter().find(|u| u.name == name).unwrap().session
    }

    async fn api(&self, path: &str, who: &str, body: serde_json::Value) -> serde_json::Value {
        let reply = self.t.call(Method::POST, path, Some(self.session(who)), Some(body)).await;
        assert!(reply.status.is_success(), "POST {path} as {who}: {} {}", reply.status, reply.body);
        if reply.body.is_empty() { serde_json::Value::Null } else { reply.json() }
    }

    async fn form(&self, path: &str, who: &str, fields: &[(&str, &str)]) -> Reply {
        self.t.form(path, Some(self.session(who)), fields).await
    }
}

async fn world() -> World {
    let t = TestApp::new().await;
    let authority = t.org("Valsts komisija", "competent_authority", "LV").await;
    let ngo = t.org("Biedrība Patvērums", "ngo", "LV").await;
    let shelter = t.org("Krīzes centrs Mārupe", "shelter", "LV").await;
    let police = t.org("Valsts policija", "police", "LV").await;
    let rapporteur = t.org("Nacionālais ziņotājs", "national_rapporteur", "LV").await;
    let eu = t.org("ES statistikas birojs", "statistics_office", "EU").await;
    let roles: [(&'static str, &str, &[&str]); 10] = [
        ("lv.policija", &police, &["first_responder", "investigator"]),
        ("lv.biedriba", &ngo, &["caseworker"]),
        ("lv.vaditaja", &ngo, &["supervisor"]),
        ("lv.centrs", &shelter, &["caseworker"]),
        ("lv.lemejs", &authority, &["decision_maker"]),
        ("lv.zinotajs", &rapporteur, &["rapporteur"]),
        ("es.statistikis", &eu, &["statistician"]),
        ("lv.dpi", &authority, &["auditor"]),
        ("lv.advokats", &ngo, &["victim_lawyer"]),
        ("lv.kontaktpunkts", &authority, &["focal_point"]),
    ];
    let mut users = vec![];
    for (name, org, roles) in roles {
        t.user(name, org, roles).await;
        users.push(User { name, session: t.login(name, PASSWORD).await });
    }
    users.push(User { name: "lv.admins", session: t.admin("lv.admins", &authority).await });
    for u in &users {
        let reply = t.form("/account/language", Some(&u.session), &[("language", "lv")]).await;
        assert_see_other(&reply, "/account");
    }
    let mut w = World {
        t,
        users,
        adult: String::new(),
        child: String::new(),
        referral: String::new(),
        provider: String::new(),
        release: String::new(),
        investigation: String::new(),
        suspect: String::new(),
        transnational: String::new(),
        greta_round: String::new(),
        network: String::new(),
        meeting: String::new(),
        subject_request: String::new(),
        erasure_request: String::new(),
        table: "VICT_SEX_CITIZEN_GRP",
    };

    // An adult, registered by the NGO with consent, referred and decided on.
    let adult = w
        .api(
            "/api/v1/registrations",
            "lv.biedriba",
            json!({
                "person": {"given_names": "Ilze", "family_names": "Ozoliņa", "date_of_birth": "1994-02-03",
                    "dob_verified": true, "sex": "female", "languages": ["lv"], "citizenships": ["LV", "UA"],
                    "documents": [{"kind": "passport", "number": "LV 123456", "issuing_country": "LV"}]},
                "context": {
                    "acts": ["recruitment", "transportation"],
                    "means": ["deception", "abuse_of_vulnerability"],
                    "methods_of_control": ["debt_bondage", "withholds_documents"],
                    "forms": ["forced_labour", "sexual"],
                    "forced_labour_industry": "A",
                    "events": [
                        {"kind": "recruitment", "date": "2026-03-01", "country": "LV", "place": "Rīga",
                         "description": "Atbildēja uz sludinājumu par zemeņu lasīšanu."},
                        {"kind": "exploitation", "date": "2026-05-10", "country": "LV", "place": "Bauska"}
                    ],
                    "recruitment_method": "through_an_online_advertisement",
                    "vulnerabilities": ["economic_hardship"]
                },
                "indicators": [
                    {"list": "ilo_ec_adult_labour", "present": ["I1.01", "I1.02", "I4.01", "I4.02", "I5.01", "I5.02"]}
                ],
                "support_consent": {"given": true, "date": "2026-09-20", "language": "lv", "informed_by": "Anna Ozola"},
                "data_sharing_consent": {"given": true, "date": "2026-09-20", "language": "lv", "informed_by": "Anna Ozola"},
                "narrative": "Satikās autoostā Rīgā."
            }),
        )
        .await;
    w.adult = adult["id"].as_str().unwrap().to_owned();
    let reply = w.form(&format!("/cases/{}/submit", w.adult), "lv.biedriba", &[("version", "1")]).await;
    assert!(reply.status.is_redirection(), "submit: {}", reply.body);
    let reply = w
        .form(
            &format!("/cases/{}/decisions", w.adult),
            "lv.lemejs",
            &[("seq", "1"), ("kind", "first_decision_positive"), ("decided_on", "2026-09-21")],
        )
        .await;
    assert!(reply.status.is_redirection(), "decision: {}", reply.body);

    // A child, registered by the NGO, referred and shared with the police.
    let child = w
        .api(
            "/api/v1/registrations",
            "lv.biedriba",
            json!({"person": {"given_names": "Jānis", "family_names": "Kalniņš", "date_of_birth": "2012-03-01",
                    "dob_verified": true, "sex": "male", "languages": ["lv"]}}),
        )
        .await;
    w.child = child["id"].as_str().unwrap().to_owned();
    let reply = w.form(&format!("/cases/{}/submit", w.child), "lv.biedriba", &[("version", "1")]).await;
    assert!(reply.status.is_redirection(), "submit: {}", reply.body);
    let reply = w
        .form(
            &format!("/cases/{}/shares", w.child),
            "lv.biedriba",
            &[("organisation_id", &police), ("compartments", "identity")],
        )
        .await;
    assert!(reply.status.is_redirection(), "share: {}", reply.body);

    // Assistance: a provider, an assessment, a plan and a referral to the shelter.
    let reply = w
        .form(
            "/providers/new",
            "lv.vaditaja",
            &[
                ("id", ""),
                ("name", "Krīzes centrs Mārupe"),
                ("organisation_id", &shelter),
                ("service.safe_accommodation", "on"),
                ("capacity.safe_accommodation", "4"),
                ("languages", "lv"),
                ("regions", "LV"),
                ("accepts", "women"),
                ("trafficking_specialised", "on"),
                ("contact_points", "Uzņemšana; +371 2000 0000; centrs@marupe.example"),
                ("opening_hours", ""),
                ("always_open", "on"),
            ],
        )
        .await;
    assert_see_other(&reply, "/providers");
    w.provider = "krizes-centrs-marupe".into();
    let case = w.adult.clone();
    let reply = w
        .form(
            &format!("/cases/{case}/assessments/new"),
            "lv.biedriba",
            &[
                ("assessed_on", "2026-09-21"),
                ("risk_from_traffickers", "high"),
                ("risk_summary", "Vervētājs zina māsas adresi."),
                ("levels.safety", "urgent"),
                ("levels.physical_health", "none"),
                ("levels.mental_health", "need"),
                ("levels.accommodation", "urgent"),
                ("levels.subsistence", "need"),
                ("levels.legal_status", "none"),
                ("levels.language", "none"),
                ("languages", "lv"),
            ],
        )
        .await;
    assert!(reply.status.is_redirection(), "assessment: {}", reply.body);
    let reply = w
        .form(
            &format!("/cases/{case}/referrals/new"),
            "lv.biedriba",
            &[
                ("kind", "service"),
                ("service", "safe_accommodation"),
                ("to_organisation_id", &shelter),
                ("provider_id", &w.provider),
                ("shared_fields", "given_names"),
                ("consent_given", "on"),
                ("consent_on", "2026-09-21"),
                ("consent_language", "lv"),
                ("send", "yes"),
            ],
        )
        .await;
    assert_see_other(&reply, "/referrals/");
    w.referral = location(&reply).trim_start_matches("/referrals/").to_owned();

    // Statistics: a released year.
    let release = w
        .api("/api/v1/statistics/releases", "lv.zinotajs", json!({"year": 2026, "mode": "suppression", "threshold": 3}))
        .await;
    w.release = release["id"].as_str().unwrap().to_owned();

    // Proceedings: an investigation of the police on a report, the child linked as a victim and
    // as a suspect (the non-punishment notice), a charge, the report withdrawn.
    let opened = w
        .api(
            "/api/v1/investigations",
            "lv.policija",
            json!({"reference": "11816000321", "opened_on": "2026-09-01", "opening": "report",
                "reporter": "victim", "reported_on": "2026-08-30",
                "offences": [{"kind": "trafficking", "forms": ["forced_labour"],
                    "national_provision": "Krimināllikuma 154.1 panta otrā daļa"}],
                "places": [{"country": "LV", "locality": "Bauska"}],
                "summary": "Strādnieki savervēti zemeņu lasīšanai."}),
        )
        .await;
    w.investigation = opened["investigation"]["id"].as_str().unwrap().to_owned();
    let inv = format!("/api/v1/investigations/{}", w.investigation);
    w.api(&format!("{inv}/victims"), "lv.policija", json!({"case_id": w.child})).await;
    let added = w
        .api(
            &format!("{inv}/suspects"),
            "lv.policija",
            json!({"kind": "natural", "name": "Pēteris Liepa", "case_id": w.child, "roles": ["recruiter"],
                "citizenship": "LV", "sex": "male", "age_group": "12_17"}),
        )
        .await;
    let suspect = added["suspects"][0]["suspect"]["id"].as_str().unwrap().to_owned();
    w.suspect = suspect.clone();
    w.api(
        &format!("{inv}/charges"),
        "lv.policija",
        json!({"suspect_id": suspect, "offence": "trafficking", "national_provision": "154.1 panta trešā daļa",
            "circumstances": ["child_victim"], "charged_on": "2026-09-10"}),
    )
    .await;
    w.api(&format!("{inv}/report-withdrawal"), "lv.policija", json!({"withdrawn_on": "2026-09-15"})).await;
    // The child's lawyer, recorded by the NGO with the child's consent (Dir 2011/36 Art 12(2)).
    let lawyer = w.t.app.store().user_by_username("lv.advokats").await.unwrap().id;
    w.api(
        &format!("/api/v1/cases/{}/representations", w.child),
        "lv.biedriba",
        json!({"lawyer_user_id": lawyer, "from_on": "2026-09-20", "consent_given": true, "consent_on": "2026-09-20"}),
    )
    .await;
    // The adult's referral to Estonia's focal point (Dir 2011/36 Art 11(4)), submitted for review.
    crate::transnational::pin_ee(&w.t.app).await;
    let referral = w
        .api(
            &format!("/api/v1/cases/{}/transnational-referrals", w.adult),
            "lv.biedriba",
            json!({"purpose": "onward_support", "receiving_peer": "EE", "added_fields": ["nationalities"],
                "basis": {"kind": "consent", "given_on": "2026-09-20", "informed_in": "lv", "informed_by": "Anna Ozola"},
                "needs": ["accommodation"]}),
        )
        .await;
    w.transnational = referral["id"].as_str().unwrap().to_owned();
    w.api(&format!("/api/v1/transnational-referrals/{}/submit", w.transnational), "lv.biedriba", json!({})).await;
    // A GRETA round of Latvia with a recommendation, and progress of a plan's action.
    let round = w
        .api(
            "/api/v1/monitoring/greta/rounds",
            "lv.zinotajs",
            json!({"round": "3", "report_published_on": "2023-02-14"}),
        )
        .await;
    w.greta_round = round["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/monitoring/greta/rounds/{}/recommendations", w.greta_round);
    w.api(&path, "lv.zinotajs", json!({"paragraph": "12", "wording": "GRETA urges the authorities to act."})).await;
    // Latvia's coordination mechanism with a meeting, an action arising and a contact, and a campaign.
    let network = w
        .api(
            "/api/v1/monitoring/networks",
            "lv.zinotajs",
            json!({"kind": "national_mechanism", "name": "Starpinstitūciju darba grupa",
                "members": "LV: Iekšlietu ministrija\nLV: Valsts policija"}),
        )
        .await;
    w.network = network["id"].as_str().unwrap().to_owned();
    w.api(
        &format!("/api/v1/monitoring/networks/{}/contacts", w.network),
        "lv.zinotajs",
        json!({"name": "Anna Ozola", "email": "anna.ozola@example.lv", "organisation": "Iekšlietu ministrija",
            "purpose": "Uzaicinājumi uz sanāksmēm", "retain_until": "2027-01-31"}),
    )
    .await;
    let meeting = w
        .api(
            &format!("/api/v1/monitoring/networks/{}/meetings", w.network),
            "lv.zinotajs",
            json!({"held_on": "2026-02-10", "title": "Darba grupas sanāksme", "place": "Rīga",
                "agenda": "Atklāšana\nZiņojumi", "minutes": "Dalībnieki ziņoja."}),
        )
        .await;
    w.meeting = meeting["id"].as_str().unwrap().to_owned();
    w.api(
        &format!("/api/v1/monitoring/meetings/{}/actions", w.meeting),
        "lv.zinotajs",
        json!({"text": "Izsūtīt protokolu", "owner": "Sekretariāts", "due_on": "2026-02-20"}),
    )
    .await;
    w.api(
        "/api/v1/monitoring/prevention",
        "lv.zinotajs",
        json!({"kind": "campaign", "title": "Zini savas tiesības", "by": "Iekšlietu ministrija",
            "starts_on": "2025-03-01", "summary": "Brīdinājumi par viltus darba piedāvājumiem",
            "target_groups": "young_people", "channels": "schools", "languages": "lv"}),
    )
    .await;
    // The adult asks for access to the data held on her; the data protection officer records it
    // and checks her identity, so that the access export opens.
    let request = w
        .api(
            "/api/v1/subject-requests",
            "lv.dpi",
            json!({"kind": "access", "case": w.adult, "received_on": "2026-01-05"}),
        )
        .await;
    w.subject_request = request["id"].as_str().unwrap().to_owned();
    w.api(
        &format!("/api/v1/subject-requests/{}", w.subject_request),
        "lv.dpi",
        json!({"step": "verify", "version": request["version"], "method": "document_in_person"}),
    )
    .await;
    // A request to erase the child's data, approved: its page shows the erasure form.
    let request = w
        .api(
            "/api/v1/subject-requests",
            "lv.dpi",
            json!({"kind": "erasure", "case": w.child, "received_on": "2026-01-05"}),
        )
        .await;
    w.erasure_request = request["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/subject-requests/{}", w.erasure_request);
    let step = json!({"step": "verify", "version": request["version"], "method": "representative"});
    let request = w.api(&path, "lv.dpi", step).await;
    w.api(&path, "lv.dpi", json!({"step": "approve_erasure", "version": request["version"]})).await;
    w
}

/// Every GET page of the route table but the public ones (the pages before signing in, asked
/// apart), with its path parameters filled from the world (a case page for both the adult's and
/// the child's case).
fn page_paths(w: &World) -> Vec<(&'static str, String)> {
    let mut out = vec![];
    for route in ROUTES.iter().filter(|r| !r.api && r.method == "GET" && r.permission != Permission::Public) {
        // The signed original of a statistics submission is a JSON download, not a page.
        if route.path.ends_with("/evidence") {
            continue;
        }
        let cases: Vec<&str> = if route.path.contains("{case}") { vec![&w.adult, &w.child] } else { vec![""] };
        for case in cases {
            let mut path = route.path.replace("{case}", case).replace("{table}", w.table).replace("{number}", "A1.2");
            path = path.replace("{country}", "LV");
            // a suspect's matches: the investigation's id, then the suspect's
            if path.starts_with("/investigations/{id}/suspects/{id}") {
                path = path.replacen("{id}", &w.investigation, 1).replacen("{id}", &w.suspect, 1);
            }
            if path.starts_with("/suspects/") {
                path = path.replace("{id}", &w.suspect);
            }
            if path.contains("{id}") {
                let id = if path.starts_with("/providers/") {
                    &w.provider
                } else if path.starts_with("/statistics/releases/") {
                    &w.release
                } else if path.starts_with("/referrals/") {
                    &w.referral
                } else if path.starts_with("/investigations/") {
                    &w.investigation
                } else if path.starts_with("/transnational/") {
                    &w.transnational
                } else if path.starts_with("/monitoring/strategies/") {
                    haven_domain::strategy::EU_STRATEGY_2012_2016
                } else if path.starts_with("/monitoring/greta/") {
                    &w.greta_round
                } else if path.starts_with("/monitoring/networks/") {
                    &w.network
                } else if path.starts_with("/monitoring/meetings/") {
                    &w.meeting
                } else if path.starts_with("/subject-requests/") {
                    &w.subject_request
                } else {
                    panic!("{}: no record known for {{id}}", route.path)
                };
                path = path.replace("{id}", id);
            }
            assert!(!path.contains('{'), "{}: a path parameter the test does not know", route.path);
            out.push((route.path, path));
        }
    }
    // The other steps of the wizard and the other mailboxes.
    for step in ["person", "age", "context", "timeline", "indicators", "consent"] {
        out.push(("/cases/{case}/edit", format!("/cases/{}/edit?step={step}", w.child)));
    }
    for mailbox in ["outbox", "overdue"] {
        out.push(("/referrals?mailbox=inbox", format!("/referrals?mailbox={mailbox}")));
    }
    out.push(("/search?name=Ana", "/search?name=Ilze".to_owned()));
    // An erasure request awaiting its erasure: the form with its candidates.
    out.push(("/subject-requests/{id}", format!("/subject-requests/{}", w.erasure_request)));
    // A ranking explained: a language the provider lacks, a region, a specialised provider asked.
    out.push((
        "/providers/match?service=safe_accommodation",
        "/providers/match?service=safe_accommodation&sex=female&languages=uk&region=LV-RIX&prefer_specialised=on"
            .to_owned(),
    ));
    out.push((
        "/cases/{case}/referrals/new",
        format!("/cases/{}/referrals/new?kind=service&service=safe_accommodation", w.adult),
    ));
    out
}

#[tokio::test]
async fn every_page_for_every_role_in_latvian_has_no_english_outside_english_islands() {
    let w = world().await;
    let messages = english_messages();
    assert!(messages.len() > 100, "the English messages are read");
    let mut problems = vec![];
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (route, path) in page_paths(&w) {
        for user in &w.users {
            let reply = w.t.page(&path, Some(&user.session)).await;
            // A page the role may not open is refused (its refusal is checked for English too).
            assert!(
                reply.status.is_success() || reply.status.is_redirection() || reply.status.is_client_error(),
                "GET {path} as {}: {} {}",
                user.name,
                reply.status,
                reply.body
            );
            // a suspect's short address only sends the browser on to the investigation's page
            if route.starts_with("/suspects/") && reply.status.is_redirection() {
                seen.insert(route);
                continue;
            }
            if reply.status == StatusCode::OK {
                seen.insert(route);
            }
            // A download (an export in Markdown or JSON) is opened, but it is no page.
            if !reply.headers.get("content-type").is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html")) {
                continue;
            }
            for english in english_on(&reply.body, &messages) {
                problems.push(format!("GET {path} as {} ({}): {english}", user.name, reply.status));
            }
        }
    }
    // The public pages, before signing in, for a browser that asks for Latvian.
    for route in ROUTES.iter().filter(|r| !r.api && r.method == "GET" && r.permission == Permission::Public) {
        let request = Request::builder()
            .uri(route.path)
            .header("host", "localhost")
            .header("accept-language", "lv-LV,lv;q=0.9,en;q=0.5")
            .body(Body::empty())
            .unwrap();
        let reply = w.t.send(request).await;
        assert_eq!(reply.status, StatusCode::OK, "GET {} before signing in: {}", route.path, reply.body);
        assert!(reply.body.contains("<html lang=\"lv\">"), "GET {}: not in Latvian", route.path);
        seen.insert(route.path);
        for english in english_on(&reply.body, &messages) {
            problems.push(format!("GET {} before signing in: {english}", route.path));
        }
    }
    let unseen: Vec<&str> = ROUTES
        .iter()
        .filter(|r| !r.api && r.method == "GET" && !seen.contains(r.path) && !r.path.ends_with("/evidence"))
        .map(|r| r.path)
        .collect();
    assert!(unseen.is_empty(), "pages no role could open: {unseen:?}");
    problems.dedup();
    assert!(problems.is_empty(), "English on Latvian pages:\n{}", problems.join("\n"));

    // What the domain says is there, in Latvian: the legal test's reasons, the protection from
    // removal, the indicators, and why a provider ranks where it does.
    let case = w.t.page(&format!("/cases/{}", w.adult), Some(w.session("lv.lemejs"))).await.body;
    for words in ["reģistrētā darbība: Savervēšana", "nedrīkst izpildīt nevienu izraidīšanas rīkojumu", "SDO/EK"]
    {
        assert!(case.contains(words), "the case page has no {words:?}");
    }
    let ranking =
        w.t.page("/providers/match?service=safe_accommodation&sex=female&languages=lv", Some(w.session("lv.biedriba")))
            .await
            .body;
    assert!(
        ranking.contains("Brīvas gultas: ") && ranking.contains("Strādā personas vēlamajā valodā (lv)."),
        "{ranking}"
    );
}

/// A form posted with bad input: who posts, where, and the fields.
type BadPost<'a> = (&'a str, String, Vec<(&'a str, &'a str)>);

/// A form posted with bad input and the Latvian words its problem is said in.
type SaidPost<'a> = (&'a str, String, Vec<(&'a str, &'a str)>, &'a str);

#[tokio::test]
async fn the_pages_that_refuse_bad_input_are_latvian() {
    let w = world().await;
    let messages = english_messages();
    let adult = w.adult.clone();
    let child = w.child.clone();
    let posts: Vec<BadPost<'_>> = vec![
        // A negative decision without its reasons.
        (
            "lv.lemejs",
            format!("/cases/{child}/decisions"),
            vec![("seq", "1"), ("kind", "first_decision_negative"), ("decided_on", "2026-09-21"), ("reasons", " ")],
        ),
        // A decision in the future, and one without its kind.
        (
            "lv.lemejs",
            format!("/cases/{child}/decisions"),
            vec![("seq", "1"), ("kind", "first_decision_positive"), ("decided_on", "2027-01-01")],
        ),
        ("lv.lemejs", format!("/cases/{child}/decisions"), vec![("seq", "1"), ("kind", ""), ("decided_on", "")]),
        // A registration with an impossible date and without names.
        (
            "lv.biedriba",
            "/cases".to_owned(),
            vec![("given_names", ""), ("family_names", "Ozola"), ("date_of_birth", "2023-02-29"), ("sex", "female")],
        ),
        ("lv.biedriba", "/cases".to_owned(), vec![("given_names", "Anna"), ("family_names", ""), ("sex", "female")]),
        // Sharing a part the organisation does not hold.
        ("lv.policija", format!("/cases/{child}/shares"), vec![("organisation_id", "x"), ("compartments", "support")]),
        // An assessment with an area left out.
        (
            "lv.biedriba",
            format!("/cases/{adult}/assessments/new"),
            vec![("assessed_on", "2026-09-21"), ("risk_from_traffickers", "high"), ("risk_summary", "")],
        ),
        // A plan item without its service.
        ("lv.biedriba", format!("/cases/{adult}/plan/new"), vec![("service", ""), ("starts_on", "2026-09-21")]),
        // A referral without consent and without a receiver.
        (
            "lv.biedriba",
            format!("/cases/{adult}/referrals/new"),
            vec![("kind", "service"), ("service", "safe_accommodation"), ("to_organisation_id", ""), ("send", "yes")],
        ),
        // A guardian appointed in the future; a return plan without its destination.
        (
            "lv.biedriba",
            format!("/cases/{child}/support/child"),
            vec![
                ("action", "add:guardian"),
                ("appointed_on", "2027-01-01"),
                ("name", "Anna Ozola"),
                ("kind", "guardian"),
            ],
        ),
        (
            "lv.biedriba",
            format!("/cases/{child}/support/return"),
            vec![("action", "add:return_plan"), ("destination", ""), ("created_on", "2026-09-01")],
        ),
        (
            "lv.biedriba",
            format!("/cases/{adult}/support/compensation"),
            vec![("action", "add:compensation_claim"), ("kind", "state_compensation_scheme"), ("amount_claimed", "x")],
        ),
        // A provider without a name; a notification without its age group.
        ("lv.vaditaja", "/providers/new".to_owned(), vec![("id", ""), ("name", ""), ("regions", "LV")]),
        ("lv.policija", "/notifications".to_owned(), vec![("sex", "female")]),
        // An unknown language; an organisation and a user without names; a release of no year.
        ("lv.biedriba", "/account/language".to_owned(), vec![("language", "de")]),
        ("lv.admins", "/admin/organisations".to_owned(), vec![("name", ""), ("kind", "ngo")]),
        ("lv.admins", "/admin/users".to_owned(), vec![("username", "A B"), ("display_name", ""), ("roles", "")]),
        ("lv.zinotajs", "/statistics/releases".to_owned(), vec![("year", "1800"), ("mode", "suppression")]),
        // A referral's answer that its state does not allow.
        ("lv.centrs", format!("/referrals/{}/state", w.referral), vec![("state", "completed"), ("version", "1")]),
    ];
    let mut problems = vec![];
    for (who, path, fields) in &posts {
        let reply = w.form(path, who, fields).await;
        assert!(
            reply.status.is_client_error(),
            "POST {path} as {who} with {fields:?}: {} {}",
            reply.status,
            reply.body
        );
        assert!(reply.body.contains("<html lang=\"lv\">"), "POST {path} as {who}: not a Latvian page: {}", reply.body);
        for english in english_on(&reply.body, &messages) {
            problems.push(format!("POST {path} as {who} ({}): {english}", reply.status));
        }
    }
    assert!(problems.is_empty(), "English on Latvian error pages:\n{}", problems.join("\n"));

    // Problems the use cases and the domain find in what was typed, each said in Latvian.
    let orgs = w.t.app.store().organisations().await.unwrap();
    let org = |name: &str| orgs.iter().find(|o| o.name == name).unwrap().id.clone();
    let (ngo, authority) = (org("Biedrība Patvērums"), org("Valsts komisija"));
    let said: Vec<SaidPost<'_>> = vec![
        (
            "lv.biedriba",
            format!("/cases/{adult}/plan/new"),
            vec![
                ("service", "safe_accommodation"),
                ("goal", "Droša dzīvesvieta"),
                ("responsible_organisation_id", &ngo),
                ("starts_on", "2026-09-21"),
                ("ends_on", "2026-09-01"),
            ],
            "nedrīkst būt agrāk par sākuma datumu",
        ),
        (
            "lv.biedriba",
            format!("/cases/{adult}/referrals/new"),
            vec![
                ("kind", "service"),
                ("service", "safe_accommodation"),
                ("to_organisation_id", &ngo),
                ("shared_fields", "given_names"),
                ("consent_given", "on"),
                ("consent_on", "2026-09-21"),
                ("consent_language", "lv"),
                ("send", "yes"),
            ],
            "nosūtījumu sūta citai organizācijai",
        ),
        (
            "lv.admins",
            "/admin/organisations".to_owned(),
            vec![("name", "Eiropas birojs"), ("kind", "ngo"), ("jurisdiction", "EU")],
            "šāda veida organizācija nevar darboties šajā jurisdikcijā",
        ),
        (
            "lv.admins",
            "/admin/users".to_owned(),
            vec![("username", "jauns.lietotajs"), ("display_name", "Jauns lietotājs"), ("organisation_id", &authority)],
            "jānorāda vismaz viena loma",
        ),
        (
            "lv.biedriba",
            format!("/cases/{adult}/support/compensation"),
            vec![
                ("action", "add:compensation_claim"),
                ("kind", "criminal_proceedings_against_offender"),
                ("against", ""),
                ("amount_claimed", "100000"),
                ("currency", "EUR"),
                ("prepared_on", "2026-09-21"),
            ],
            "prasījumā pret likumpārkāpēju norāda likumpārkāpēju",
        ),
        (
            "lv.policija",
            "/notifications".to_owned(),
            vec![("notified_on", "2026-09-21"), ("sex", "female"), ("age_group", "12_17")],
            "bērnu reģistrē un nosūta bez piekrišanas",
        ),
        (
            "lv.vaditaja",
            "/providers/new".to_owned(),
            vec![
                ("id", ""),
                ("name", "Krīzes centrs Rīga"),
                ("service.safe_accommodation", "on"),
                ("capacity.safe_accommodation", "2"),
                ("languages", "lv"),
                ("regions", "Rīga"),
                ("accepts", "women"),
                ("always_open", "on"),
            ],
            "nav reģiona kods, piemēram, “LV” vai “LV-RIX”",
        ),
    ];
    for (who, path, fields, latvian) in &said {
        let reply = w.form(path, who, fields).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "POST {path} as {who}: {}", reply.body);
        assert!(reply.body.contains(latvian), "POST {path} as {who}: no {latvian:?} in {}", reply.body);
        let found = english_on(&reply.body, &messages);
        assert!(found.is_empty(), "POST {path} as {who}: {found:?}");
    }
}

/// A decision the case's state refuses (a 409, not a typing error) is said in Latvian too: the
/// reason, and where the case stands by its status's label.
#[tokio::test]
async fn a_decision_the_case_refuses_is_said_in_latvian() {
    let w = world().await;
    let messages = english_messages();
    let child = w.child.clone();
    // No reconsideration is pending on a referred case, so none can be decided.
    let reply = w
        .form(
            &format!("/cases/{child}/decisions"),
            "lv.lemejs",
            &[
                ("seq", "1"),
                ("kind", "reconsideration_upheld"),
                ("decided_on", "2026-09-21"),
                ("reasons", "Pamatojums"),
            ],
        )
        .await;
    assert_eq!(reply.status.as_u16(), 409, "{}", reply.body);
    assert!(reply.body.contains("nav neizskatīta lūguma pārskatīt lēmumu, par ko lemt"), "{}", reply.body);
    assert!(reply.body.contains("lietas statuss: Nosūtīts (notiek identificēšana)"), "{}", reply.body);
    assert!(english_on(&reply.body, &messages).is_empty(), "{:?}", english_on(&reply.body, &messages));
    // A form sent from a case page that is out of date.
    let reply = w
        .form(
            &format!("/cases/{child}/decisions"),
            "lv.lemejs",
            &[("seq", "7"), ("kind", "first_decision_positive"), ("decided_on", "2026-09-21")],
        )
        .await;
    assert_eq!(reply.status.as_u16(), 409, "{}", reply.body);
    assert!(reply.body.contains("nākamais ir lēmums Nr. 1, nevis Nr. 7"), "{}", reply.body);
    assert!(english_on(&reply.body, &messages).is_empty(), "{:?}", english_on(&reply.body, &messages));
}

/// A post refused for where the record stands: who posts, where, the fields, the Latvian words
/// the page says and the English ones it does not.
type RefusedPost<'a> = (&'a str, String, Vec<(&'a str, &'a str)>, &'a str, &'a str);

/// A request refused for where the record stands (a 409) is said in Latvian, whatever refused it:
/// a registration referred twice or asked to be reconsidered before its referral, an assessment reviewed
/// twice, a referral changed meanwhile, a username or an organisation's name already taken.
#[tokio::test]
async fn a_request_the_record_refuses_is_said_in_latvian() {
    let w = world().await;
    let messages = english_messages();
    let adult = w.adult.clone();
    let draft = w
        .api(
            "/api/v1/registrations",
            "lv.biedriba",
            json!({"person": {"given_names": "Līga", "family_names": "Bērziņa", "sex": "female"}}),
        )
        .await;
    let draft = draft["id"].as_str().unwrap().to_owned();
    let reply = w
        .form(
            &format!("/cases/{adult}/assessments/review"),
            "lv.vaditaja",
            &[("seq", "1"), ("decision", "approve"), ("reason", "")],
        )
        .await;
    assert!(reply.status.is_redirection(), "approve: {} {}", reply.status, reply.body);
    let authority = w.t.app.store().organisations().await.unwrap();
    let authority = authority.iter().find(|o| o.name == "Valsts komisija").unwrap().id.clone();
    let posts: Vec<RefusedPost<'_>> = vec![
        (
            "lv.biedriba",
            format!("/cases/{adult}/submit"),
            vec![("version", "2")],
            "šī reģistrācija jau ir nosūtīta",
            "this registration was already referred",
        ),
        (
            "lv.biedriba",
            format!("/cases/{draft}/reconsideration-requests"),
            vec![("seq", "1"), ("requested_on", "2026-09-21"), ("reasons", "Jauni pierādījumi.")],
            "reģistrācija vēl nav nosūtīta",
            "the registration has not been referred yet",
        ),
        (
            "lv.vaditaja",
            format!("/cases/{adult}/assessments/review"),
            vec![("seq", "1"), ("decision", "approve"), ("reason", "")],
            "apstiprināt vai atgriezt var tikai iesniegtu novērtējumu; šī novērtējuma stāvoklis: Apstiprināts",
            "only a submitted assessment",
        ),
        (
            "lv.centrs",
            format!("/referrals/{}/state", w.referral),
            vec![("state", "accepted"), ("version", "99")],
            "nosūtījums pa to laiku ir mainīts; atveriet to no jauna",
            "the referral was changed meanwhile",
        ),
        (
            "lv.admins",
            "/admin/users".to_owned(),
            vec![
                ("username", "lv.biedriba"),
                ("display_name", "Otra Anna"),
                ("organisation_id", &authority),
                ("roles", "decision_maker"),
            ],
            "šis lietotājvārds jau ir aizņemts",
            "this username is taken",
        ),
        (
            "lv.admins",
            "/admin/organisations".to_owned(),
            vec![("name", "Valsts policija"), ("kind", "police"), ("jurisdiction", "LV")],
            "organizācija ar šādu nosaukumu šajā jurisdikcijā jau ir",
            "an organisation with this name exists",
        ),
    ];
    for (who, path, fields, latvian, english) in &posts {
        let reply = w.form(path, who, fields).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "POST {path} as {who}: {}", reply.body);
        assert!(reply.body.contains("<html lang=\"lv\">"), "POST {path} as {who}: not a Latvian page");
        assert!(reply.body.contains(latvian), "POST {path} as {who}: no {latvian:?} in {}", reply.body);
        assert!(!reply.body.contains(english), "POST {path} as {who}: {english:?} in {}", reply.body);
        let found = english_on(&reply.body, &messages);
        assert!(found.is_empty(), "POST {path} as {who}: {found:?}");
    }
    // The API keeps saying it in English.
    let reply =
        w.t.call(
            Method::POST,
            &format!("/api/v1/registrations/{adult}/submit"),
            Some(w.session("lv.biedriba")),
            Some(json!({"version": 2})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert_eq!(reply.json()["error"]["message"], "this registration was already referred", "{}", reply.body);
}

/// The set-up page follows the reader's language like every page: the signed-in user's own
/// (whatever the browser asks), the browser's before signing in; and a signed-in user can send
/// it (the form carries the session's token).
#[tokio::test]
async fn the_set_up_page_speaks_the_readers_language() {
    let w = world().await;
    let messages = english_messages();
    let session = w.session("lv.biedriba");
    let request = |method: Method, body: Body, form: bool| {
        let mut r = Request::builder()
            .method(method)
            .uri("/setup")
            .header("host", "localhost")
            .header("cookie", &session.cookie)
            .header("accept-language", "en-GB,en;q=0.9");
        if form {
            r = r.header("content-type", "application/x-www-form-urlencoded");
        }
        r.body(body).unwrap()
    };
    let reply = w.t.send(request(Method::GET, Body::empty(), false)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("<html lang=\"lv\">"), "the user's language, not the browser's: {}", reply.body);
    assert!(reply.body.contains(&format!("name=\"csrf\" value=\"{}\"", session.csrf)), "{}", reply.body);
    let found = english_on(&reply.body, &messages);
    assert!(found.is_empty(), "{found:?}");
    // A wrong code, sent by the signed-in user: refused in Latvian.
    let body = serde_urlencoded::to_string([
        ("username", "lv.biedriba"),
        ("code", "nepareizs-kods"),
        ("new_password", "garš un drošs parole 2026"),
        ("confirm_password", "garš un drošs parole 2026"),
        ("csrf", session.csrf.as_str()),
    ])
    .unwrap();
    let reply = w.t.send(request(Method::POST, Body::from(body), true)).await;
    assert!(reply.status.is_client_error(), "{} {}", reply.status, reply.body);
    assert!(reply.body.contains("<html lang=\"lv\">"), "{}", reply.body);
    let found = english_on(&reply.body, &messages);
    assert!(found.is_empty(), "{found:?}");
    // Before signing in, the browser's language.
    for (accept, lang) in [("lv-LV,lv;q=0.9", "lv"), ("en-GB,en;q=0.9", "en")] {
        let request = Request::builder()
            .uri("/setup")
            .header("host", "localhost")
            .header("accept-language", accept)
            .body(Body::empty())
            .unwrap();
        let reply = w.t.send(request).await;
        assert!(reply.body.contains(&format!("<html lang=\"{lang}\">")), "{accept}: {}", reply.body);
    }
}

#[test]
fn the_detector_finds_english_and_leaves_latvian_and_english_islands_alone() {
    let messages = english_messages();
    let page = "<html lang=\"lv\"><head><title>Lieta</title><script src=\"/a.js\"></script></head><body>\
        <p>Dzimšanas datums</p><p title=\"the case\">Lieta</p><span lang=\"en\">Dir 2011/36 Art 11 and the case</span>\
        <p>must not be empty</p><p>Vārds, uzvārds: <b>Ilze</b></p></body></html>";
    let found = english_on(page, &messages);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("must not be empty"));
    // An English message of the interface is found as a whole too.
    let sentence = messages.iter().find(|m| m.split(' ').count() > 4).unwrap();
    assert!(!english_on(&format!("<p>{sentence}</p>"), &messages).is_empty());
}

/// Problems the support records, the plan and the provider directory find in what was typed are
/// said in Latvian with the values they quote (a date, an amount, a state by its label): a return
/// plan's step its status does not allow and a child's return without a best-interests
/// determination, an award below the amount claimed and a claim's step its status does not allow,
/// a child's interview dated before the facts were reported and a child's record for an adult, a
/// plan service's status change and a stop tied to cooperation, a change a record does not take,
/// and opening hours that close before they open.
#[tokio::test]
async fn problems_that_quote_a_value_are_said_in_latvian() {
    let w = world().await;
    let messages = english_messages();
    let (adult, child) = (w.adult.clone(), w.child.clone());
    let record = |case: &str, kind: &str, record: serde_json::Value| {
        let path = format!("/api/v1/cases/{case}/support-records");
        (path, json!({"kind": kind, "record": record}))
    };
    let (path, body) = record(
        &adult,
        "compensation_claim",
        json!({"kind": "state_compensation_scheme", "amount_claimed": "100000", "currency": "EUR",
            "prepared_on": "2026-09-01", "free_legal_representation": "no"}),
    );
    let claim = w.api(&path, "lv.biedriba", body).await["id"].as_str().unwrap().to_owned();
    let (path, body) = record(&child, "return_plan", json!({"destination": "UA", "created_on": "2026-09-01"}));
    let plan = w.api(&path, "lv.biedriba", body).await["id"].as_str().unwrap().to_owned();
    // The plan's service, on the approved assessment.
    let reply = w
        .form(
            &format!("/cases/{adult}/assessments/review"),
            "lv.vaditaja",
            &[("seq", "1"), ("decision", "approve"), ("reason", "")],
        )
        .await;
    assert!(reply.status.is_redirection(), "approve: {} {}", reply.status, reply.body);
    let orgs = w.t.app.store().organisations().await.unwrap();
    let shelter = orgs.iter().find(|o| o.name == "Krīzes centrs Mārupe").unwrap().id.clone();
    let item = w
        .api(
            &format!("/api/v1/cases/{adult}/plan"),
            "lv.biedriba",
            json!({"service": "safe_accommodation", "need": "accommodation", "goal": "Droša dzīvesvieta",
                "responsible_organisation_id": shelter, "starts_on": "2026-09-21"}),
        )
        .await;
    let item = item["id"].as_str().unwrap().to_owned();

    let compensation = format!("/cases/{adult}/support/compensation");
    let child_records = format!("/cases/{child}/support/child");
    let returns = format!("/cases/{child}/support/return");
    let said: Vec<SaidPost<'_>> = vec![
        (
            "lv.biedriba",
            returns.clone(),
            vec![("action", "change:transition"), ("record", &plan), ("version", "1"), ("status", "returned")],
            "atgriešanās plāna statusu nevar mainīt no “Melnraksts” uz “Atgriezies”",
        ),
        (
            "lv.biedriba",
            returns.clone(),
            vec![("action", "change:transition"), ("record", &plan), ("version", "1"), ("status", "approved")],
            "bērna atgriešanai vajadzīgs plānam piesaistīts labāko interešu izvērtējums",
        ),
        (
            "lv.biedriba",
            returns.clone(),
            vec![("action", "change:payment"), ("record", &plan), ("version", "1"), ("amount", "100")],
            "šādas izmaiņas šim ieraksta veidam nav paredzētas",
        ),
        (
            "lv.biedriba",
            compensation.clone(),
            vec![("action", "change:transition"), ("record", &claim), ("version", "1"), ("status", "awarded")],
            "prasības statusu nevar mainīt no “Sagatavota” uz “Piespriesta”",
        ),
        (
            "lv.biedriba",
            compensation.clone(),
            vec![
                ("action", "add:compensation_claim"),
                ("kind", "state_compensation_scheme"),
                ("amount_claimed", "100000"),
                ("currency", "eur"),
                ("prepared_on", "2026-09-01"),
            ],
            "“eur” nav ISO 4217 valūtas kods (trīs lielie burti)",
        ),
        (
            "lv.biedriba",
            child_records.clone(),
            vec![("action", "add:interview"), ("interviewed_on", "2026-09-05"), ("facts_reported_on", "2026-09-10")],
            "nopratināšana nevar būt agrāk, nekā ziņots par faktiem (2026-09-10)",
        ),
        (
            "lv.biedriba",
            format!("/cases/{adult}/support/child"),
            vec![
                ("action", "add:guardian"),
                ("appointed_on", "2026-09-01"),
                ("name", "Anna Ozola"),
                ("kind", "guardian"),
            ],
            "šos ierakstus veido tikai bērniem",
        ),
        (
            "lv.biedriba",
            format!("/cases/{adult}/plan/{item}/status"),
            vec![("status", "completed"), ("on", ""), ("stop_reason", ""), ("version", "1")],
            "pakalpojuma statusu nevar mainīt no “Plānots” uz “Pabeigts”",
        ),
        (
            "lv.biedriba",
            format!("/cases/{adult}/plan/{item}/status"),
            vec![("status", "stopped"), ("on", ""), ("stop_reason", "not_cooperating"), ("version", "1")],
            "atbalsts nav atkarīgs no sadarbības izmeklēšanā, kriminālvajāšanā vai tiesvedībā",
        ),
        (
            "lv.vaditaja",
            "/providers/new".to_owned(),
            vec![
                ("id", ""),
                ("name", "Krīzes centrs Jelgava"),
                ("service.safe_accommodation", "on"),
                ("capacity.safe_accommodation", "2"),
                ("languages", "lv"),
                ("regions", "LV"),
                ("accepts", "women"),
                ("contact_points", "Uzņemšana; +371 2000 0001"),
                ("opening_hours", "1 18:00-09:00"),
            ],
            "09:00 nav vēlāk par atvēršanas laiku 18:00",
        ),
    ];
    for (who, path, fields, latvian) in &said {
        let reply = w.form(path, who, fields).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "POST {path} as {who}: {}", reply.body);
        assert!(reply.body.contains("<html lang=\"lv\">"), "POST {path} as {who}: not a Latvian page");
        assert!(reply.body.contains(latvian), "POST {path} as {who}: no {latvian:?} in {}", reply.body);
        let found = english_on(&reply.body, &messages);
        assert!(found.is_empty(), "POST {path} as {who}: {found:?}");
    }

    // An award below the amount claimed, with both amounts; the API keeps saying it in English.
    let change = format!("/api/v1/cases/{adult}/support-records/{claim}/changes");
    w.api(&change, "lv.biedriba", json!({"version": 1, "change": {"action": "transition", "status": "filed"}})).await;
    let reply = w
        .form(
            &compensation,
            "lv.biedriba",
            &[
                ("action", "change:transition"),
                ("record", &claim),
                ("version", "2"),
                ("status", "awarded"),
                ("amount", "50000"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(
        reply.body.contains("50000 ir mazāk par prasītajiem 100000: ierakstiet daļēju piešķiršanu"),
        "{}",
        reply.body
    );
    assert!(english_on(&reply.body, &messages).is_empty(), "{:?}", english_on(&reply.body, &messages));
    let reply =
        w.t.call(
            Method::POST,
            &change,
            Some(w.session("lv.biedriba")),
            Some(json!({"version": 2, "change": {"action": "transition", "status": "awarded", "amount": "50000"}})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert_eq!(
        reply.json()["error"]["message"],
        "50000 is below the 100000 claimed: record a partial award",
        "{}",
        reply.body
    );
}

/// What the residence records, the registration's lists, the account, sharing and the
/// administration refuse in what was typed is said in Latvian: a permit valid until before it
/// starts, a protection application pending with a decision date, six citizenships, a wrong
/// current password, the statistics shared per case, a role that does not fit the organisation.
#[tokio::test]
async fn what_records_accounts_shares_and_roles_refuse_is_said_in_latvian() {
    let w = world().await;
    let messages = english_messages();
    let (adult, child) = (w.adult.clone(), w.child.clone());
    let application = w
        .api(
            &format!("/api/v1/registrations/{adult}/records"),
            "lv.biedriba",
            json!({"kind": "permit_application", "fields": {"applied_on": "2026-09-21", "ground": "cooperation"}}),
        )
        .await;
    let application = application["id"].as_str().unwrap().to_owned();
    let orgs = w.t.app.store().organisations().await.unwrap();
    let police = orgs.iter().find(|o| o.name == "Valsts policija").unwrap().id.clone();
    let said: Vec<SaidPost<'_>> = vec![
        (
            "lv.biedriba",
            format!("/cases/{adult}/records"),
            vec![
                ("kind", "permit_decision"),
                ("application_id", &application),
                ("decided_on", "2026-09-21"),
                ("granted", "yes"),
                ("valid_from", "2026-09-21"),
                ("valid_until", "2026-09-20"),
            ],
            "jābūt vēlākam par pirmo derīguma dienu (2026-09-21)",
        ),
        (
            "lv.biedriba",
            format!("/cases/{adult}/records"),
            vec![
                ("kind", "protection_application"),
                ("applied_on", "2026-09-01"),
                ("outcome", "pending"),
                ("decided_on", "2026-09-10"),
            ],
            "neizskatītam pieteikumam nav lēmuma datuma",
        ),
        (
            "lv.biedriba",
            format!("/cases/{adult}/edit"),
            vec![
                ("step", "person"),
                ("given_names", "Ilze"),
                ("family_names", "Ozoliņa"),
                ("sex", "female"),
                ("citizenships", "LV UA EE LT PL FI"),
            ],
            "pilsonību skaits nedrīkst pārsniegt 5",
        ),
        (
            "lv.biedriba",
            "/account/password".to_owned(),
            vec![
                ("current_password", "nepareiza parole 2026"),
                ("new_password", "jauna droša parole 2026"),
                ("confirm_password", "jauna droša parole 2026"),
            ],
            "nav jūsu pašreizējā parole",
        ),
        (
            "lv.biedriba",
            format!("/cases/{child}/shares"),
            vec![("organisation_id", &police), ("compartments", "statistics")],
            "statistikas daļu nekopīgo pa atsevišķām lietām",
        ),
        (
            "lv.admins",
            "/admin/users".to_owned(),
            vec![
                ("username", "jauns.policists"),
                ("display_name", "Jauns policists"),
                ("organisation_id", &police),
                ("roles", "statistician"),
            ],
            "neatbilst organizācijas veidam",
        ),
    ];
    for (who, path, fields, latvian) in &said {
        let reply = w.form(path, who, fields).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "POST {path} as {who}: {}", reply.body);
        assert!(reply.body.contains("<html lang=\"lv\">"), "POST {path} as {who}: not a Latvian page");
        assert!(reply.body.contains(latvian), "POST {path} as {who}: no {latvian:?} in {}", reply.body);
        let found = english_on(&reply.body, &messages);
        assert!(found.is_empty(), "POST {path} as {who}: {found:?}");
    }
    // The API keeps saying it in English.
    let reply =
        w.t.call(
            Method::POST,
            &format!("/api/v1/registrations/{adult}/records"),
            Some(w.session("lv.biedriba")),
            Some(json!({"kind": "protection_application",
                "fields": {"applied_on": "2026-09-01", "outcome": "pending", "decided_on": "2026-09-10"}})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert_eq!(reply.json()["error"]["message"], "a pending application has no decision date", "{}", reply.body);
}
