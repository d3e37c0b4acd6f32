//! Synthetic demonstration data: three countries and the EU level, organisations of every
//! kind that fits, one user of every role (and the staff who register and decide in Estonia
//! and Lithuania), a few hundred synthetic registrations with their history, and anonymous
//! notifications. Every name is made up. Loaded once, on a database that has no cases yet.
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

/// The application on the same database and keys, with a clock the seeding sets. `seed` is given
/// the running application only, so the data keys are unwrapped once more with the master key,
/// read from the same command line and configuration as `haven demo` read it.
async fn seeding_app(app: &App, clock: Arc<FixedClock>) -> Result<App> {
    let cli = <crate::Cli as clap::Parser>::try_parse().context("reading the command line")?;
    let config = crate::load_config(&cli.global)?;
    let (master, _) = crate::master_key(&config, &cli.global.data)?;
    App::open(app.store().clone(), &master, clock, app.settings().clone())
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

pub async fn seed(app: &App) -> Result<()> {
    if app.store().count_cases().await? > 0 {
        println!("Demonstration data already loaded.");
        return Ok(());
    }
    let now = app.now();
    let today = app.today();
    let clock = Arc::new(FixedClock::new(now));
    let seeding = seeding_app(app, clock.clone()).await?;
    // Organisations and users exist before the first case.
    let start = today.add_days(-(demo_ident::HISTORY_DAYS + 10)).context("a date out of range")?;
    clock.set(seconds(start, 8));

    let mut rng = StdRng::seed_from_u64(20_260_101);
    let existing = seeding.organisations(Acting::Operator).await?;
    let mut orgs: Vec<(String, String, String)> = Vec::new();
    for (name, kind, jurisdiction) in ORGANISATIONS {
        let id = match existing.iter().find(|o| o.name == *name) {
            Some(o) => o.id.clone(),
            None => seeding.create_organisation(Acting::Operator, name, kind, jurisdiction).await?.id,
        };
        orgs.push(((*name).to_owned(), (*kind).to_owned(), id));
    }
    let org_id = |name: &str| orgs.iter().find(|(n, _, _)| n == name).map(|(_, _, id)| id.clone()).unwrap_or_default();

    let mut principals: HashMap<&str, Principal> = HashMap::new();
    for (heading, users) in [
        ("Demonstration users (passwords shown this once):", USERS),
        ("Staff in Estonia and Lithuania (passwords shown this once):", STAFF),
    ] {
        println!("{heading}");
        for (username, display, org, roles) in users {
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
                || STATS_ACTORS.contains(username);
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
        }
        if heading.starts_with("Demonstration") {
            println!("  (demo.admin must set up an authenticator app under My account before administering)");
        }
    }

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

    // Every step of every case, and every notification, in time order.
    let mut events: Vec<(i64, usize, usize)> = Vec::new();
    for (i, case) in plan.cases.iter().enumerate() {
        events.extend(case.steps.iter().enumerate().map(|(j, step)| (step.at, i, j)));
    }
    let notified_from = plan.cases.len();
    events.extend(plan.notifications.iter().enumerate().map(|(n, note)| (note.at, notified_from + n, 0)));
    events.sort_unstable();

    let principal = |username: &str| principals.get(username).context("no session for a demonstration user");
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
        supervisors: [principal("demo.shelter")?, principal("ee.supervisor")?, principal("lt.supervisor")?],
        caseworker: principal("demo.ngo")?,
        reviewer: principal("demo.supervisor")?,
        shelter: principal("demo.shelter")?,
        org_id: &org_id,
    };
    let (providers, assessments, referrals) =
        crate::demo_assist::seed(&seeding, &clock, &staff, today).await.context("synthetic assistance data")?;
    clock.set(now);

    let police = crate::demo_proceedings::Police {
        lv: principal("demo.police")?,
        ee: principal("ee.police")?,
        lt: principal("lt.police")?,
    };
    let (investigations, suspects, notices) =
        crate::demo_proceedings::seed(&seeding, &police, today).await.context("synthetic proceedings")?;
    let (measures, informed, trainings) = crate::demo_proceedings_victims::seed(&seeding, police.lv, police.ee, today)
        .await
        .context("synthetic victims in proceedings")?;
    let lawyer = seeding.store().user_by_username("demo.lawyer").await?;
    let represented = crate::demo_representation::seed(&seeding, principal("demo.ngo")?, police.lv, &lawyer.id, today)
        .await
        .context("the synthetic victim's lawyer")?;
    clock.set(now);

    let (releases, files) = crate::demo_stats::seed(
        &seeding,
        &[principal("demo.rapporteur")?, principal("ee.rapporteur")?, principal("lt.rapporteur")?],
        principal("demo.statistician")?,
        today.year,
    )
    .await
    .context("synthetic statistics")?;

    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_country: BTreeMap<&str, usize> = BTreeMap::new();
    for case in &plan.cases {
        let country = haven_domain::CountryCode::parse("country", case.country.code())?;
        let two_stage = app.reference().profiles.version_on(country, today)?.procedure.first.is_some();
        *by_status.entry(case.outcome.status_under(two_stage)).or_default() += 1;
        *by_country.entry(case.country.code()).or_default() += 1;
    }
    let list = |m: &BTreeMap<&str, usize>| m.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ");
    println!("Loaded {} synthetic cases.", plan.cases.len());
    println!("  by status: {}", list(&by_status));
    println!("  by country: {}; {} anonymous notifications", list(&by_country), plan.notifications.len());
    println!("  assistance: {providers} support providers, {assessments} assessments, {referrals} referrals");
    println!("  statistics: {releases} releases sent to the EU hub, {files} member-state files received there");
    println!("  proceedings: {investigations} investigations, {suspects} suspects, {notices} non-punishment notice(s)");
    println!("  victims in proceedings: {measures} protection measures, {informed} informed, {trainings} trainings");
    if let Some(reference) = represented {
        println!("  victim's lawyer: demo.lawyer represents the victim of case {reference}");
    }
    Ok(())
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
