//! Synthetic demonstration data: three countries and the EU level, organisations of every
//! kind that fits, one user of every role, a few hundred synthetic cases. Every name is made
//! up. Loaded once, on a database that has no cases yet.

use anyhow::Result;
use haven_app::App;
use haven_app::admin::{Acting, NewUser};
use haven_domain::Coded;
use haven_domain::case::{NoteInput, PersonIdentity};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const ORGANISATIONS: &[(&str, &str, &str)] = &[
    ("State Police – Anti-Trafficking Unit", "police", "LV"),
    ("State Border Guard", "border_guard", "LV"),
    ("State Labour Inspectorate", "labour_inspectorate", "LV"),
    ("Prosecutor General's Office", "prosecution", "LV"),
    ("Safe House Riga", "shelter", "LV"),
    ("Resource Centre for Women Marta", "ngo", "LV"),
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
    ("Office of the EU Anti-Trafficking Coordinator", "eu_anti_trafficking_coordinator", "EU"),
    ("EU Statistics Office", "statistics_office", "EU"),
];

/// One user of every role, with the organisation that fits it.
const USERS: &[(&str, &str, &str, &str)] = &[
    ("demo.admin", "Demo Administrator", "National Referral Mechanism Latvia", "administrator"),
    ("demo.police", "Jānis Bērziņš", "State Police – Anti-Trafficking Unit", "first_responder,investigator"),
    ("demo.ngo", "Ilze Kalniņa", "Resource Centre for Women Marta", "first_responder,caseworker"),
    ("demo.shelter", "Anna Liepa", "Safe House Riga", "caseworker,supervisor"),
    ("demo.authority", "Pēteris Ozols", "National Referral Mechanism Latvia", "decision_maker"),
    ("demo.rapporteur", "Laura Krūmiņa", "Anti-Trafficking Coordinator of Latvia", "rapporteur"),
    ("demo.statistician", "Marie Dubois", "EU Statistics Office", "statistician"),
    ("demo.dpo", "Andris Vītols", "Safe House Riga", "auditor"),
];

const GIVEN: &[&str] = &[
    "Olena", "Iryna", "Natalia", "Maria", "Elena", "Ana", "Svetlana", "Oksana", "Andrei", "Mihai", "Ion", "Nguyen",
    "Amina", "Fatima", "Blessing", "Joy", "Grace", "Dmitri", "Sergei", "Viktor", "Liga", "Kristine", "Agnese", "Rasa",
    "Ieva",
];
const FAMILY: &[&str] = &[
    "Kovalenko",
    "Shevchenko",
    "Popescu",
    "Ionescu",
    "Nowak",
    "Kowalska",
    "Petrova",
    "Ivanova",
    "Tran",
    "Okafor",
    "Adeyemi",
    "Horvath",
    "Dimitrova",
    "Georgiev",
    "Kalnina",
    "Ozola",
    "Jankauskaite",
    "Tamm",
    "Saar",
    "Melnyk",
    "Bondarenko",
];

pub async fn seed(app: &App) -> Result<()> {
    if app.store().count_cases().await? > 0 {
        println!("Demonstration data already loaded.");
        return Ok(());
    }
    let mut rng = StdRng::seed_from_u64(20_260_101);
    let existing = app.organisations(Acting::Operator).await?;
    let mut orgs: Vec<(String, String, String)> = Vec::new();
    for (name, kind, jurisdiction) in ORGANISATIONS {
        let id = match existing.iter().find(|o| o.name == *name) {
            Some(o) => o.id.clone(),
            None => app.create_organisation(Acting::Operator, name, kind, jurisdiction).await?.id,
        };
        orgs.push(((*name).to_owned(), (*kind).to_owned(), id));
    }
    let org_id = |name: &str| orgs.iter().find(|(n, _, _)| n == name).map(|(_, _, id)| id.clone()).unwrap_or_default();

    println!("Demonstration users (passwords shown this once):");
    let mut sessions = Vec::new();
    for (username, display, org, roles) in USERS {
        let new = NewUser {
            username: (*username).into(),
            display_name: (*display).into(),
            organisation_id: org_id(org),
            roles: roles.split(',').map(str::to_owned).collect(),
            password: None,
            language: None,
        };
        let (user, password) = app.create_user(Acting::Operator, &new).await?;
        println!("  {:<20} {:<22} {:<40} {}", user.username, password, org, roles);
        if roles.contains("first_responder") {
            let s = app
                .login(haven_app::LoginRequest {
                    username,
                    password: &password,
                    totp: None,
                    address: Some("127.0.0.1"),
                })
                .await?;
            sessions.push(s);
        }
    }
    println!("  (demo.admin must set up an authenticator app under My account before administering)");

    let sexes = ["female", "female", "female", "male", "male", "unknown"];
    let notes = [
        "First contact at the bus station; referred for accommodation.",
        "Reports passport retained by the employer; debts for travel and housing.",
        "Counselling session held with an interpreter.",
        "Statement taken; employer premises identified.",
    ];
    let mut count = 0;
    for i in 0..300 {
        let session = &sessions[i % sessions.len()];
        let given = GIVEN[rng.random_range(0..GIVEN.len())];
        let family = FAMILY[rng.random_range(0..FAMILY.len())];
        let dob =
            format!("{}-{:02}-{:02}", rng.random_range(1965..2010), rng.random_range(1..=12), rng.random_range(1..=28));
        let dob = if rng.random_bool(0.15) { None } else { Some(dob) };
        let aliases = if rng.random_bool(0.2) {
            vec![format!("{} {}", given.chars().next().unwrap_or('A'), family)]
        } else {
            vec![]
        };
        let identity =
            PersonIdentity::parse(given, family, &aliases, dob.as_deref(), sexes[rng.random_range(0..sexes.len())])?;
        let case = app.register_case(&session.principal, &identity).await?;
        let can_support = session.principal.actor.roles.iter().any(|r| r.code() == "caseworker");
        let compartment = if can_support { "support" } else { "proceedings" };
        let note = NoteInput::parse(compartment, notes[rng.random_range(0..notes.len())])?;
        app.add_note(&session.principal, &case.id, &note).await?;
        if can_support && rng.random_bool(0.3) {
            app.share_case(
                &session.principal,
                &case.id,
                &org_id("Safe House Riga"),
                &["identity".into(), "support".into()],
            )
            .await?;
        }
        count += 1;
    }
    println!("Loaded {count} synthetic cases.");
    Ok(())
}
