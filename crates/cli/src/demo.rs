//! Synthetic demonstration data: three countries and the EU level, organisations of every
//! kind that fits, one user of every role (and the staff who register and decide in Estonia
//! and Lithuania), a few hundred synthetic registrations with their history, and anonymous
//! notifications. Every name is made up. Loaded once, on a database that has no cases yet.
//! Each instance of the demonstration ([`crate::demo_instances`]) holds one [`Part`]: a
//! country's organisations, users and cases, or the EU hub's. The whole plan is drawn with the
//! same seed on every instance, so each country's share is the same as in one database.
//!
//! The history is made through the ordinary use cases, so that everything is encrypted and
//! audited as in real use. It happens on its own dates: the seeding runs the application with a
//! [`FixedClock`] that is set to the moment of each step in turn (referrals over the last
//! months, decisions on the days they are dated), oldest first. The server then runs on the
//! system clock.

use crate::demo_ident::{self, Action, CasePlan, Country, Registrar};
use anyhow::{Context, Result};
use haven_app::admin::{Acting, NewUser};
use haven_app::ident::{CaseRecordInput, DecisionInput, NotificationInput};
use haven_app::{App, FixedClock, Principal};
use haven_domain::Coded;
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

const ORGANISATIONS: &[(&str, &str, &str)] = &[
    ("State Police – Anti-Trafficking Unit", "police", "LV"),
    ("State Border Guard", "border_guard", "LV"),
    ("State Labour Inspectorate", "labour_inspectorate", "LV"),
    ("Prosecutor General's Office", "prosecution", "LV"),
    ("Safe House Riga", "shelter", "LV"),
    ("Resource Centre for Women Marta", "ngo", "LV"),
    ("Legal Aid Lawyers for Victims Riga", "ngo", "LV"),
    ("Riga Social Service", "social_services", "LV"),
    ("Orphan's and Custody Court", "guardian_service", "LV"),
    ("State Inspectorate for Protection of Children's Rights", "child_protection_service", "LV"),
    ("National Referral Mechanism Latvia", "competent_authority", "LV"),
    ("Anti-Trafficking Coordinator of Latvia", "national_rapporteur", "LV"),
    ("Police and Border Guard Board", "police", "EE"),
    ("Social Insurance Board – Victim Support", "competent_authority", "EE"),
    ("Living for Tomorrow", "ngo", "EE"),
    ("Lithuanian Criminal Police Bureau", "police", "LT"),
    ("Caritas Lithuania – Victim Assistance", "ngo", "LT"),
    ("National Referral Mechanism Lithuania", "competent_authority", "LT"),
    ("Anti-Trafficking Coordinator of Estonia", "national_rapporteur", "EE"),
    ("National Rapporteur of Lithuania", "national_rapporteur", "LT"),
    ("Office of the EU Anti-Trafficking Coordinator", "eu_anti_trafficking_coordinator", "EU"),
    ("EU Statistics Office", "statistics_office", "EU"),
];

/// One user of every role, with the organisation that fits it.
const USERS: &[(&str, &str, &str, &str)] = &[
    ("demo.admin", "Demo Administrator", "National Referral Mechanism Latvia", "administrator"),
    ("demo.police", "Jānis Bērziņš", "State Police – Anti-Trafficking Unit", "first_responder,investigator"),
    ("demo.ngo", "Ilze Kalniņa", "Resource Centre for Women Marta", "first_responder,caseworker"),
    ("demo.shelter", "Anna Liepa", "Safe House Riga", "caseworker,supervisor"),
    ("demo.supervisor", "Dace Ozola", "Resource Centre for Women Marta", "supervisor"),
    ("demo.authority", "Pēteris Ozols", "National Referral Mechanism Latvia", "decision_maker"),
    ("demo.rapporteur", "Laura Krūmiņa", "Anti-Trafficking Coordinator of Latvia", "rapporteur"),
    ("demo.statistician", "Marie Dubois", "EU Statistics Office", "statistician"),
    ("demo.dpo", "Andris Vītols", "Safe House Riga", "auditor"),
    ("demo.dataofficer", "Inese Jansone", "National Referral Mechanism Latvia", "data_officer"),
    ("demo.focalpoint", "Kristaps Liepiņš", "National Referral Mechanism Latvia", "focal_point"),
    ("demo.lawyer", "Līga Kalēja", "Legal Aid Lawyers for Victims Riga", "victim_lawyer"),
];

/// The staff who register cases and decide on them in Estonia and Lithuania.
const STAFF: &[(&str, &str, &str, &str)] = &[
    ("ee.police", "Kristel Laur", "Police and Border Guard Board", "first_responder,investigator"),
    ("ee.ngo", "Triin Lepik", "Living for Tomorrow", "first_responder,caseworker"),
    ("ee.authority", "Toomas Vaino", "Social Insurance Board – Victim Support", "decision_maker"),
    ("ee.supervisor", "Maarja Kask", "Living for Tomorrow", "caseworker,supervisor"),
    ("lt.police", "Tomas Žilinskas", "Lithuanian Criminal Police Bureau", "first_responder,investigator"),
    ("lt.ngo", "Rasa Mockutė", "Caritas Lithuania – Victim Assistance", "first_responder,caseworker"),
    ("lt.authority", "Darius Kairys", "National Referral Mechanism Lithuania", "decision_maker"),
    ("lv.commission", "Sandra Vītola", "Resource Centre for Women Marta", "decision_maker"),
    ("lt.supervisor", "Eglė Petrauskienė", "Caritas Lithuania – Victim Assistance", "caseworker,supervisor"),
    ("ee.rapporteur", "Liis Saar", "Anti-Trafficking Coordinator of Estonia", "rapporteur"),
    ("ee.focalpoint", "Kadri Tamm", "Anti-Trafficking Coordinator of Estonia", "focal_point"),
    ("lt.rapporteur", "Jurgita Vaitkutė", "National Rapporteur of Lithuania", "rapporteur"),
    ("lt.focalpoint", "Rūta Jankauskienė", "National Referral Mechanism Lithuania", "focal_point"),
    ("eu.coordinator", "Elena Moretti", "Office of the EU Anti-Trafficking Coordinator", "rapporteur"),
];

/// Who registers the cases, and each one's share of its country's cases.
const REGISTRARS: &[(&str, Country, u32)] = &[
    ("demo.police", Country::Lv, 35),
    ("demo.ngo", Country::Lv, 40),
    ("demo.shelter", Country::Lv, 25),
    ("ee.police", Country::Ee, 50),
    ("ee.ngo", Country::Ee, 50),
    ("lt.police", Country::Lt, 50),
    ("lt.ngo", Country::Lt, 50),
];

/// Who keeps the provider directories, reviews assessments and answers referrals.
const ASSIST_ACTORS: &[&str] = &["demo.shelter", "demo.supervisor", "demo.ngo", "ee.supervisor", "lt.supervisor"];

/// Who makes and sends the statistics.
const STATS_ACTORS: &[&str] = &["demo.rapporteur", "ee.rapporteur", "lt.rapporteur", "demo.statistician"];

/// Who records each country's identification decisions, as its procedure says: in Latvia the
/// multi-sector commission of a procured support organisation; elsewhere the competent authority.
const AUTHORITIES: &[(Country, &str)] =
    &[(Country::Lv, "lv.commission"), (Country::Ee, "ee.authority"), (Country::Lt, "lt.authority")];

/// The members of the Latvian demonstration commission, one per seat of the profile's commission.
const COMMISSION_MEMBERS: &[&str] = &["Inga Zariņa", "Māris Lācis", "Ruta Krēsliņa", "Edgars Siliņš"];

/// Who acts on the exchange in the demonstration: the Latvian focal point sends the referral.
const EXCHANGE_ACTORS: &[&str] = &["demo.focalpoint"];

/// The part of the demonstration one instance holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// A country's organisations, users, cases, proceedings and statistics.
    Country(Country),
    /// The EU level: its organisations and users, and the member states' files it received.
    Hub,
}

impl Part {
    /// The jurisdiction code of the instance (`LV`, `EE`, `LT`, `EU`).
    pub fn code(self) -> &'static str {
        match self {
            Part::Country(c) => c.code(),
            Part::Hub => "EU",
        }
    }

    fn holds(self, jurisdiction: &str) -> bool {
        self.code() == jurisdiction
    }

    fn country(self) -> Option<Country> {
        match self {
            Part::Country(c) => Some(c),
            Part::Hub => None,
        }
    }
}

/// The jurisdiction of a demonstration organisation.
fn jurisdiction_of(organisation: &str) -> Option<&'static str> {
    ORGANISATIONS.iter().find(|(name, _, _)| *name == organisation).map(|(_, _, j)| *j)
}

/// The application on the same database and keys, with a clock the seeding sets: the data keys
/// are unwrapped once more with the instance's master key.
async fn seeding_app(app: &App, master: &haven_crypto::MasterKey, clock: Arc<FixedClock>) -> Result<App> {
    App::open(app.store().clone(), master, clock, app.settings().clone())
        .await
        .context("opening Haven with the seeding clock")
}

fn seconds(day: haven_domain::case::CalendarDate, hour: i64) -> i64 {
    day.days_since_epoch() * 86_400 + hour * 3600
}

/// Where a case stands while its history is made.
struct Progress {
    id: String,
    version: i64,
    decisions: u32,
    permit_application: Option<String>,
}

fn record(kind: &str, fields: &[(&str, String)]) -> CaseRecordInput {
    CaseRecordInput {
        kind: kind.to_owned(),
        fields: fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
    }
}

fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_owned()
}

/// Loads the part of the demonstration `part` on the instance `app` (its master key `master`),
/// once: nothing when the database holds cases already. On the Latvian instance it also prepares
/// a transnational referral to Estonia and has the focal point send it, and sends the national
/// statistics release to the EU hub over the exchange (both queued in the outbox: the peers
/// must be pinned first). Returns whether anything was loaded.
pub async fn seed(app: &App, master: &haven_crypto::MasterKey, part: Part) -> Result<bool> {
    if app.store().count_cases().await? > 0 || app.store().count_users().await? > 1 {
        println!("Demonstration data already loaded.");
        return Ok(false);
    }
    let now = app.now();
    let today = app.today();
    let clock = Arc::new(FixedClock::new(now));
    let seeding = seeding_app(app, master, clock.clone()).await?;
    // Organisations and users exist before the first case.
    let start = today.add_days(-(demo_ident::HISTORY_DAYS + 10)).context("a date out of range")?;
    clock.set(seconds(start, 8));

    let mut rng = StdRng::seed_from_u64(20_260_101);
    let existing = seeding.organisations(Acting::Operator).await?;
    let mut orgs: Vec<(String, String, String)> = Vec::new();
    for (name, kind, jurisdiction) in ORGANISATIONS.iter().filter(|(_, _, j)| part.holds(j)) {
        let id = match existing.iter().find(|o| o.name == *name) {
            Some(o) => o.id.clone(),
            None => seeding.create_organisation(Acting::Operator, name, kind, jurisdiction).await?.id,
        };
        orgs.push(((*name).to_owned(), (*kind).to_owned(), id));
    }
    let org_id = |name: &str| orgs.iter().find(|(n, _, _)| n == name).map(|(_, _, id)| id.clone()).unwrap_or_default();

    let mut principals: HashMap<&str, Principal> = HashMap::new();
    println!("Demonstration users of {} (passwords shown this once):", part.code());
    for (username, display, org, roles) in USERS.iter().chain(STAFF) {
        if !jurisdiction_of(org).is_some_and(|j| part.holds(j)) {
            continue;
        }
        let new = NewUser {
            username: (*username).into(),
            display_name: (*display).into(),
            organisation_id: org_id(org),
            roles: roles.split(',').map(str::to_owned).collect(),
            password: None,
            language: None,
        };
        let (user, password) = seeding.create_user(Acting::Operator, &new).await?;
        println!("  {:<20} {:<22} {:<40} {}", user.username, password, org, roles);
        let acts = REGISTRARS.iter().any(|(u, _, _)| u == username)
            || AUTHORITIES.iter().any(|(_, u)| u == username)
            || ASSIST_ACTORS.contains(username)
            || STATS_ACTORS.contains(username)
            || EXCHANGE_ACTORS.contains(username);
        if acts {
            let s = seeding
                .login(haven_app::LoginRequest {
                    username,
                    password: &password,
                    totp: None,
                    address: Some("127.0.0.1"),
                    device: None,
                })
                .await?;
            principals.insert(username, s.principal);
        }
        if *username == "demo.admin" {
            println!("  (demo.admin must set up an authenticator app under My account before administering)");
        }
    }

    // The whole plan, every country's, drawn alike on every instance; this instance makes its
    // country's cases and notifications.
    let all_users = || USERS.iter().chain(STAFF);
    let mut registrars = Vec::new();
    for (username, country, weight) in REGISTRARS {
        let (_, person, organisation, roles) =
            all_users().find(|(u, ..)| u == username).context("a registrar without an account")?;
        registrars.push(Registrar {
            country: *country,
            organisation,
            person,
            investigator: roles.contains("investigator"),
            weight: *weight,
        });
    }
    let plan = demo_ident::plan(&mut rng, today, now, &app.reference().profiles, &registrars)?;
    let here = |country: Country| part.country() == Some(country);
    let registrar_here = |index: usize| REGISTRARS.get(index).is_some_and(|(_, country, _)| here(*country));

    // Every step of every case, and every notification, in time order.
    let mut events: Vec<(i64, usize, usize)> = Vec::new();
    for (i, case) in plan.cases.iter().enumerate().filter(|(_, c)| here(c.country)) {
        events.extend(case.steps.iter().enumerate().map(|(j, step)| (step.at, i, j)));
    }
    let notified_from = plan.cases.len();
    events.extend(
        plan.notifications
            .iter()
            .enumerate()
            .filter(|(_, note)| registrar_here(note.registrar))
            .map(|(n, note)| (note.at, notified_from + n, 0)),
    );
    events.sort_unstable();

    let principal = |username: &str| principals.get(username).context("no session for a demonstration user");
    let here_principal = |username: &str| principals.get(username);
    let registrar_principal = |index: usize| {
        REGISTRARS.get(index).context("no such registrar").and_then(|(username, _, _)| principal(username))
    };
    let authority = |country: Country| {
        AUTHORITIES
            .iter()
            .find(|(c, _)| *c == country)
            .context("no competent authority")
            .and_then(|(_, username)| principal(username))
    };
    let mut progress: Vec<Option<Progress>> = plan.cases.iter().map(|_| None).collect();
    for (at, i, j) in events {
        clock.set(at);
        if i >= notified_from {
            let note = plan.notifications.get(i - notified_from).context("no such notification")?;
            let input = NotificationInput {
                notified_on: note.notified_on.to_string(),
                sex: note.sex.to_owned(),
                age_group: note.age_group.to_owned(),
                citizenship: note.citizenship.clone(),
                forms: note.forms.clone(),
            };
            seeding
                .file_notification(registrar_principal(note.registrar)?, &input)
                .await
                .context("filing a synthetic notification")?;
            continue;
        }
        let case = plan.cases.get(i).context("no such case")?;
        let step = case.steps.get(j).context("no such step")?;
        apply(
            &seeding,
            case,
            &step.action,
            progress.get_mut(i).context("no such case")?,
            &registrar_principal,
            &authority,
        )
        .await
        .with_context(|| format!("synthetic case {}: {}", i + 1, step.action.label()))?;
    }
    clock.set(now);

    let staff = crate::demo_assist::Staff {
        supervisors: [here_principal("demo.shelter"), here_principal("ee.supervisor"), here_principal("lt.supervisor")],
        caseworker: here_principal("demo.ngo"),
        reviewer: here_principal("demo.supervisor"),
        shelter: here_principal("demo.shelter"),
        org_id: &org_id,
    };
    let (providers, assessments, referrals) =
        crate::demo_assist::seed(&seeding, &clock, &staff, today).await.context("synthetic assistance data")?;
    clock.set(now);

    let police = crate::demo_proceedings::Police {
        lv: here_principal("demo.police"),
        ee: here_principal("ee.police"),
        lt: here_principal("lt.police"),
    };
    let (investigations, suspects, notices) =
        crate::demo_proceedings::seed(&seeding, &police, part.code(), today).await.context("synthetic proceedings")?;
    let (measures, informed, trainings) = crate::demo_proceedings_victims::seed(&seeding, police.lv, police.ee, today)
        .await
        .context("synthetic victims in proceedings")?;
    let represented = match (here_principal("demo.ngo"), police.lv) {
        (Some(caseworker), Some(lv_police)) => {
            let lawyer = seeding.store().user_by_username("demo.lawyer").await?;
            crate::demo_representation::seed(&seeding, caseworker, lv_police, &lawyer.id, today)
                .await
                .context("the synthetic victim's lawyer")?
        }
        _ => None,
    };
    clock.set(now);
    let transposition = match part {
        Part::Hub | Part::Country(Country::Lv) => {
            crate::demo_monitoring::seed(&seeding, today).await.context("synthetic transposition records")?
        }
        Part::Country(_) => 0,
    };

    let rapporteur = ["demo.rapporteur", "ee.rapporteur", "lt.rapporteur"].into_iter().find_map(here_principal);
    let (releases, sent, files) = crate::demo_stats::seed(
        &seeding,
        rapporteur,
        here_principal("demo.statistician"),
        part == Part::Country(Country::Lv),
        today.year,
    )
    .await
    .context("synthetic statistics")?;
    clock.set(now);
    if let Some(rapporteur) = here_principal("demo.rapporteur") {
        crate::demo_strategy::seed(&seeding, rapporteur, today)
            .await
            .context("synthetic action plan and GRETA rounds")?;
        crate::demo_report::seed(&seeding, rapporteur, today.year)
            .await
            .context("the synthetic draft of the annual report")?;
    }
    // Networks and prevention: the EU's at the hub (its coordinator), each country's by its rapporteur.
    for username in ["eu.coordinator", "demo.rapporteur", "ee.rapporteur", "lt.rapporteur"] {
        if let Some(who) = here_principal(username) {
            crate::demo_networks::seed(&seeding, who, today).await.context("synthetic networks")?;
            crate::demo_prevention::seed(&seeding, who, today).await.context("synthetic prevention records")?;
        }
    }

    // The transnational referral in flight: from a Latvian NGO's case to Estonia's focal point.
    let transnational = match (here_principal("demo.ngo"), here_principal("demo.focalpoint")) {
        (Some(caseworker), Some(focal_point)) => {
            let picked = plan.cases.iter().zip(&progress).enumerate().find_map(|(i, (case, p))| {
                let p = p.as_ref()?;
                (REGISTRARS.get(case.registrar).is_some_and(|(u, _, _)| *u == "demo.ngo")
                    && referable(case, today, true))
                .then_some((i, p.id.clone()))
            });
            let picked = picked.or_else(|| {
                plan.cases.iter().zip(&progress).enumerate().find_map(|(i, (case, p))| {
                    let p = p.as_ref()?;
                    (REGISTRARS.get(case.registrar).is_some_and(|(u, _, _)| *u == "demo.ngo")
                        && referable(case, today, false))
                    .then_some((i, p.id.clone()))
                })
            });
            let (index, case_id) = picked.context("no case of demo.ngo to refer to Estonia")?;
            let case = plan.cases.get(index).context("no such case")?;
            Some(
                refer_to_estonia(&seeding, caseworker, focal_point, &case_id, &case.registration, today)
                    .await
                    .context("the synthetic transnational referral to Estonia")?,
            )
        }
        _ => None,
    };

    // Data subjects' requests to Latvia's data protection officer, one case restricted (after
    // everything else, so that no later step writes the restricted case).
    if let (Some(dpo), Some(caseworker)) = (here_principal("demo.dpo"), here_principal("demo.ngo")) {
        let (requests, restricted) = crate::demo_dsr::seed(&seeding, dpo, caseworker, today)
            .await
            .context("synthetic data subjects' requests")?;
        println!(
            "{requests} data subjects' requests for demo.dpo; restricted case: {}",
            restricted.as_deref().unwrap_or("none")
        );
    }
    // Retention: Latvian records due, on the data protection officer's review list, one held.
    if let Some(dpo) = here_principal("demo.dpo") {
        let (review, held) = crate::demo_retention::seed(&seeding, &clock, dpo, today)
            .await
            .context("synthetic records due for retention review")?;
        clock.set(now);
        println!("{review} records on demo.dpo's retention review list, {held} held");
    }

    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_country: BTreeMap<&str, usize> = BTreeMap::new();
    let mut loaded = 0;
    for case in plan.cases.iter().filter(|c| here(c.country)) {
        let country = haven_domain::CountryCode::parse("country", case.country.code())?;
        let two_stage = app.reference().profiles.version_on(country, today)?.procedure.first.is_some();
        *by_status.entry(case.outcome.status_under(two_stage)).or_default() += 1;
        *by_country.entry(case.country.code()).or_default() += 1;
        loaded += 1;
    }
    let notifications = plan.notifications.iter().filter(|n| registrar_here(n.registrar)).count();
    let list = |m: &BTreeMap<&str, usize>| m.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ");
    println!("Loaded {loaded} synthetic cases.");
    if loaded > 0 {
        println!("  by status: {}", list(&by_status));
        println!("  by country: {}; {notifications} anonymous notifications", list(&by_country));
    }
    println!("  assistance: {providers} support providers, {assessments} assessments, {referrals} referrals");
    println!(
        "  statistics: {releases} national releases ({sent} sent to the EU hub over the exchange), {files} \
         member-state files received here by upload"
    );
    println!("  proceedings: {investigations} investigations, {suspects} suspects, {notices} non-punishment notice(s)");
    println!("  victims in proceedings: {measures} protection measures, {informed} informed, {trainings} trainings");
    if transposition > 0 {
        println!(
            "  transposition: {transposition} national measures, assessments and infringement steps (all EU countries)"
        );
    }
    if let Some(reference) = represented {
        println!("  victim's lawyer: demo.lawyer represents the victim of case {reference}");
    }
    if let Some(reference) = transnational {
        println!("  transnational referral: case {reference} referred to Estonia's focal point (onward support)");
    }
    Ok(true)
}

/// Whether a planned case can be referred abroad for onward support: submitted, an adult with
/// names, a date of birth and a language (the purpose's minimum); with `to_estonia`, also
/// exploited in Estonia.
fn referable(case: &CasePlan, today: haven_domain::case::CalendarDate, to_estonia: bool) -> bool {
    use haven_domain::ident::record::ChildStatus;
    let reg = &case.registration;
    let p = &reg.person;
    let submitted = case.steps.iter().any(|s| matches!(s.action, Action::Submit));
    let adult = ChildStatus::from_age_status(&reg.age_status(today)) == ChildStatus::Adult;
    let complete = !p.given_names.trim().is_empty()
        && !p.family_names.trim().is_empty()
        && p.date_of_birth.is_some()
        && !p.languages.is_empty();
    let in_estonia = reg.context.events.iter().any(|e| {
        e.kind == haven_domain::ident::forms::EventKind::Exploitation
            && e.country.as_ref().is_some_and(|c| c.as_str() == "EE")
    });
    submitted && adult && complete && (in_estonia || !to_estonia)
}

/// The caseworker prepares and submits the referral of the case to Estonia's focal point, with
/// the person's consent; the focal point sends it (into the outbox). Returns the case's
/// reference.
async fn refer_to_estonia(
    app: &App,
    caseworker: &Principal,
    focal_point: &Principal,
    case_id: &str,
    registration: &haven_domain::ident::record::Registration,
    today: haven_domain::case::CalendarDate,
) -> Result<String> {
    let language = registration.person.languages.first().cloned().unwrap_or_else(|| "lv".to_owned());
    let input: haven_app::exchange_referrals::PrepareInput = serde_json::from_value(serde_json::json!({
        "purpose": "onward_support",
        "receiving_peer": "EE",
        "urgency": "routine",
        "basis": {
            "kind": "consent",
            "given_on": today.to_string(),
            "informed_in": language,
            "informed_by": "the caseworker, with an interpreter",
        },
        "needs": ["accommodation"],
        "notes": "Synthetic demonstration data: the person wants to continue support near family in Tallinn.",
    }))
    .context("the referral's input")?;
    let prepared = app.prepare_transnational_referral(caseworker, case_id, &input).await.context("preparing")?;
    app.submit_transnational_referral(caseworker, &prepared.id).await.context("submitting")?;
    app.send_transnational_referral(focal_point, &prepared.id).await.context("sending")?;
    let reference = app.store().case(case_id).await?.reference;
    Ok(reference)
}

/// Makes one step of a case happen.
async fn apply<'a>(
    app: &App,
    case: &CasePlan,
    action: &Action,
    progress: &mut Option<Progress>,
    registrar: &impl Fn(usize) -> Result<&'a Principal>,
    authority: &impl Fn(Country) -> Result<&'a Principal>,
) -> Result<()> {
    let by = registrar(case.registrar)?;
    if let Action::Create = action {
        let saved = app.create_registration(by, case.registration.clone()).await?;
        *progress = Some(Progress { id: saved.id, version: saved.version, decisions: 0, permit_application: None });
        return Ok(());
    }
    let p = progress.as_mut().context("a step before the registration was saved")?;
    match action {
        Action::Create => {}
        Action::Submit => {
            p.version = app.submit_registration(by, &p.id, p.version).await?.version;
        }
        Action::AppointGuardian(guardian) => {
            let mut registration = case.registration.clone();
            registration.guardian = Some(guardian.clone());
            p.version = app.update_registration(by, &p.id, p.version, registration).await?.version;
        }
        Action::Decide { kind, on, reasons, corrects } => {
            let input = DecisionInput {
                seq: p.decisions + 1,
                kind: kind.code().to_owned(),
                decided_on: on.to_string(),
                reasons: reasons.clone(),
                corrects: *corrects,
                votes: commission_votes(app, case, *kind)?,
            };
            app.record_decision(authority(case.country)?, &p.id, &input).await?;
            p.decisions += 1;
        }
        Action::PermitApplication { applied_on, ground } => {
            let input = record(
                "permit_application",
                &[("applied_on", applied_on.to_string()), ("ground", (*ground).to_owned())],
            );
            p.permit_application = Some(app.add_case_record(by, &p.id, &input).await?.id);
        }
        Action::PermitDecision { decided_on, valid_until } => {
            let application = p.permit_application.clone().context("a permit decision without an application")?;
            let mut fields = vec![
                ("application_id", application),
                ("decided_on", decided_on.to_string()),
                ("granted", yes_no(valid_until.is_some())),
            ];
            if let Some(until) = valid_until {
                fields.push(("valid_from", decided_on.to_string()));
                fields.push(("valid_until", until.to_string()));
            }
            app.add_case_record(by, &p.id, &record("permit_decision", &fields)).await?;
        }
        Action::ProtectionApplication { applied_on } => {
            let input = record(
                "protection_application",
                &[("applied_on", applied_on.to_string()), ("outcome", "pending".to_owned())],
            );
            app.add_case_record(by, &p.id, &input).await?;
        }
        Action::CriminalMatter { offence, authority: dealing, reference, recorded_on, compelled } => {
            let input = record(
                "criminal_matter",
                &[
                    ("offence", (*offence).to_owned()),
                    ("authority", (*dealing).to_owned()),
                    ("reference", reference.clone()),
                    ("recorded_on", recorded_on.to_string()),
                    ("compelled", yes_no(*compelled)),
                ],
            );
            app.add_case_record(by, &p.id, &input).await?;
        }
    }
    Ok(())
}

/// The votes of the Latvian commission on a decision it takes: three of four seats vote with the
/// outcome and one abstains; no votes for the other countries, or for requests and withdrawals.
fn commission_votes(
    app: &App,
    case: &crate::demo_ident::CasePlan,
    kind: haven_domain::ident::status::DecisionKind,
) -> Result<Vec<haven_domain::ident::procedure::MemberVote>> {
    use haven_domain::ident::procedure::{MemberVote, Vote};
    use haven_domain::ident::status::DecisionKind::*;
    if case.country != Country::Lv {
        return Ok(Vec::new());
    }
    let vote = match kind {
        FirstPositive | FinalPositive | ReconsiderationOverturned => Vote::For,
        FirstNegative | FinalNegative | ReconsiderationUpheld => Vote::Against,
        ReconsiderationRequested | Withdrawal => return Ok(Vec::new()),
    };
    let country = haven_domain::CountryCode::parse("country", "LV")?;
    let today = app.today();
    let version = app.reference().profiles.version_on(country, today)?;
    let Some(commission) = version.procedure.final_stage.commission.as_ref() else { return Ok(Vec::new()) };
    Ok(commission
        .seats
        .iter()
        .zip(COMMISSION_MEMBERS)
        .enumerate()
        .map(|(i, (seat, member))| MemberVote {
            seat: seat.clone(),
            member: (*member).to_owned(),
            vote: if i + 1 < commission.seats.len() { vote } else { Vote::Abstain },
        })
        .collect())
}
