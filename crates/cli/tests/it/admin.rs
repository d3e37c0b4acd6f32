//! `haven org …` and `haven user …`.

use crate::Haven;

#[test]
fn org_kinds_lists_every_kind_of_organisation() {
    let haven = Haven::new();
    let run = haven.ok(&["org", "kinds"]);
    let kinds: Vec<&str> = run.stdout.lines().collect();
    for expected in [
        "police",
        "border_guard",
        "labour_inspectorate",
        "prosecution",
        "court",
        "ngo",
        "shelter",
        "social_services",
        "health_service",
        "child_protection_service",
        "guardian_service",
        "embassy_or_consulate",
        "competent_authority",
        "national_rapporteur",
        "eu_anti_trafficking_coordinator",
        "statistics_office",
    ] {
        assert!(kinds.contains(&expected), "{expected} missing from {kinds:?}");
    }
    assert_eq!(kinds.len(), 16, "{kinds:?}");
}

#[test]
fn organisations_are_created_listed_and_refused_with_the_field_named() {
    let haven = Haven::new();
    let empty = haven.ok(&["org", "list"]);
    assert_eq!(empty.stdout.trim(), "", "a new database has no organisation");

    let id = haven.org("Shelter Ventspils", "shelter", "LV");
    let eu = haven.org("EU Statistics Office", "statistics_office", "EU");
    let list = haven.ok(&["org", "list"]);
    let line = list.stdout.lines().find(|l| l.contains("Shelter Ventspils")).expect("the shelter is listed");
    assert!(line.starts_with(&id), "{line}");
    assert!(line.contains(" LV ") && line.contains("shelter"), "{line}");
    let line = list.stdout.lines().find(|l| l.contains("EU Statistics Office")).expect("the EU body is listed");
    assert!(line.starts_with(&eu) && line.contains(" EU ") && line.contains("statistics_office"), "{line}");
    assert_eq!(list.stdout.lines().count(), 2, "{}", list.stdout);

    // An unknown kind names the field and the allowed values.
    haven.run(&["org", "create", "--name", "Bogus", "--kind", "pirates", "--jurisdiction", "LV"]).assert_fails_with(&[
        "kind",
        "pirates",
        "competent_authority",
    ]);
    // A kind that cannot act at this level.
    haven
        .run(&["org", "create", "--name", "Bogus", "--kind", "eu_anti_trafficking_coordinator", "--jurisdiction", "LV"])
        .assert_fails_with(&["kind"]);
    haven
        .run(&["org", "create", "--name", "Bogus", "--kind", "police", "--jurisdiction", "XX1"])
        .assert_fails_with(&["jurisdiction"]);
    haven
        .run(&["org", "create", "--name", "  ", "--kind", "police", "--jurisdiction", "LV"])
        .assert_fails_with(&["name"]);
    // The same name twice in one country.
    haven
        .run(&["org", "create", "--name", "Shelter Ventspils", "--kind", "shelter", "--jurisdiction", "LV"])
        .assert_fails_with(&["exists"]);

    let after = haven.ok(&["org", "list"]);
    assert_eq!(after.stdout, list.stdout, "a refused organisation is not created");
}

#[test]
fn users_are_created_listed_disabled_enabled_and_reset() {
    let haven = Haven::new();
    let ngo = haven.org("Resource Centre Marta", "ngo", "LV");
    haven.org("State Police", "police", "LV");
    haven.org("Rapporteur Office", "national_rapporteur", "LV");

    // By organisation name and by id.
    let first = haven.ok(&[
        "user",
        "create",
        "--username",
        "ilze.k",
        "--display-name",
        "Ilze Kalnina",
        "--org",
        "Resource Centre Marta",
        "--roles",
        "first_responder, caseworker",
    ]);
    assert!(first.stdout.contains("created user ilze.k ("), "{}", first.stdout);
    let initial = crate::line_value(&first.stdout, "initial password:");
    assert!(initial.len() >= 12, "a generated password is long: {initial:?}");
    assert!(!first.stderr.contains(&initial), "the password is never logged: {}", first.stderr);
    let password_of_police = haven.user("janis.b", "State Police", "first_responder,investigator");
    assert_ne!(initial, password_of_police, "passwords are generated per user");
    haven.user("anna.l", &ngo, "supervisor");

    let list = haven.ok(&["user", "list"]);
    let line =
        |stdout: &str, name: &str| stdout.lines().find(|l| l.starts_with(name)).map(str::to_owned).unwrap_or_default();
    let ilze = line(&list.stdout, "ilze.k ");
    assert!(ilze.contains("Ilze Kalnina") && ilze.contains("Resource Centre Marta"), "{ilze}");
    assert!(ilze.contains("first_responder") && ilze.contains("caseworker"), "{ilze}");
    assert!(!ilze.contains("[disabled]"), "{ilze}");
    assert!(line(&list.stdout, "janis.b ").contains("investigator"), "{}", list.stdout);
    assert!(line(&list.stdout, "anna.l ").contains("supervisor"), "{}", list.stdout);
    assert_eq!(list.stdout.lines().count(), 3, "{}", list.stdout);
    assert!(!list.stdout.contains(&initial), "passwords are not listed");

    // Refusals name the field, and nothing is created.
    let refusals: &[(&[&str], &[&str])] = &[
        // An investigator at an NGO, a caseworker at the police, a first responder at a statistics body.
        (
            &["--username", "x.one", "--org", "Resource Centre Marta", "--roles", "investigator"],
            &["roles", "investigator", "ngo"],
        ),
        (&["--username", "x.two", "--org", "State Police", "--roles", "caseworker"], &["roles", "caseworker"]),
        (&["--username", "x.three", "--org", "Rapporteur Office", "--roles", "first_responder"], &["roles"]),
        (&["--username", "x.four", "--org", "Resource Centre Marta", "--roles", "pirate"], &["roles", "pirate"]),
        (&["--username", "x.five", "--org", "Resource Centre Marta", "--roles", ""], &["roles"]),
        (
            &["--username", "x.six", "--org", "No Such Organisation", "--roles", "caseworker"],
            &["organisation", "No Such Organisation"],
        ),
        (&["--username", "Not Valid!", "--org", "Resource Centre Marta", "--roles", "caseworker"], &["username"]),
        (&["--username", "ilze.k", "--org", "Resource Centre Marta", "--roles", "caseworker"], &["ilze.k"]),
    ];
    for (args, needles) in refusals {
        let mut full = vec!["user", "create", "--display-name", "Someone"];
        full.extend_from_slice(args);
        haven.run(&full).assert_fails_with(needles);
    }
    let unchanged = haven.ok(&["user", "list"]);
    assert_eq!(unchanged.stdout, list.stdout, "no refused user was created");

    // Disable, enable.
    let run = haven.ok(&["user", "disable", "ilze.k"]);
    assert!(run.stdout.contains("disabled ilze.k"), "{}", run.stdout);
    assert!(line(&haven.ok(&["user", "list"]).stdout, "ilze.k ").contains("[disabled]"));
    haven.ok(&["user", "enable", "ilze.k"]);
    assert!(!line(&haven.ok(&["user", "list"]).stdout, "ilze.k ").contains("[disabled]"));
    haven.run(&["user", "disable", "nobody.here"]).assert_fails_with(&["nobody.here"]);
    haven.run(&["user", "enable", "nobody.here"]).assert_fails_with(&["nobody.here"]);
    haven.run(&["user", "reset-password", "nobody.here"]).assert_fails_with(&["nobody.here"]);

    // A reset password replaces the old one; a disabled user cannot log in.
    let reset = haven.ok(&["user", "reset-password", "ilze.k"]);
    let new_password = crate::line_value(&reset.stdout, "new password for ilze.k:");
    assert_ne!(new_password, initial);
    assert!(!reset.stderr.contains(&new_password), "the password is never logged");
    haven.ok(&["user", "disable", "janis.b"]);

    let server = haven.serve();
    let body = |u: &str, p: &str| serde_json::json!({ "username": u, "password": p }).to_string();
    assert_eq!(
        server.post("/api/v1/auth/login", None, &body("ilze.k", &initial)).status,
        401,
        "the old password is gone"
    );
    server.login("ilze.k", &new_password);
    assert_eq!(server.post("/api/v1/auth/login", None, &body("janis.b", &password_of_police)).status, 401, "disabled");
    let (out, err) = server.stop();
    for secret in [&initial, &new_password, &password_of_police] {
        assert!(!out.contains(secret.as_str()) && !err.contains(secret.as_str()), "a password in the server output");
    }
}

#[test]
fn commands_need_their_arguments() {
    let haven = Haven::new();
    let run = haven.run(&["user", "create", "--username", "a.b"]);
    assert_eq!(run.status.code(), Some(2), "usage errors exit with 2: {}", run.stderr);
    assert!(run.stderr.contains("--display-name") || run.stderr.contains("--org"), "{}", run.stderr);
    let run = haven.run(&["org", "frobnicate"]);
    assert_eq!(run.status.code(), Some(2), "{}", run.stderr);
}
