//! Synthetic criminal proceedings for the demonstration: an investigation in each of Latvia,
//! Estonia and Lithuania (two in Latvia), opened by the police with the competent prosecutor's
//! office, with suspects (natural and legal persons), victims linked by their case ids, charges
//! with aggravating circumstances, and one suspect who is a registered victim, so that the
//! prosecutor finds a non-punishment notice waiting (Dir 2011/36 Art 8; CETS 197 Art 26).
//! Everything goes through the use cases, as a user would enter it.

use anyhow::{Context, Result};
use haven_app::admin::{Acting, NewUser};
use haven_app::{App, LoginRequest, Principal};
use haven_domain::case::CalendarDate;
use haven_domain::proceedings::charge::{ChargeInput, JudgmentInput};
use haven_domain::proceedings::suspect::SuspectInput;
use haven_domain::proceedings::{InvestigationInput, OffenceInput, PlaceInput};

/// The prosecutors' offices and their users: (country, office, username, display name).
const PROSECUTORS: &[(&str, &str, &str, &str)] = &[
    ("LV", "Prosecutor General's Office", "demo.prosecutor", "Kristaps Lūsis"),
    ("EE", "Office of the Prosecutor General of Estonia", "ee.prosecutor", "Kadri Tamm"),
    ("LT", "Prosecutor General's Office of Lithuania", "lt.prosecutor", "Vytautas Kazlauskas"),
];

/// An investigation to open: the officer (on its country's instance), the prosecutor's office (index of [`PROSECUTORS`]),
/// the file number, the national provision, the place, the forms of exploitation, the opening.
type Plan<'a> = (Option<&'a Principal>, usize, &'a str, &'a str, &'a str, &'a [&'a str], &'a str);

/// The police officer of each country who opens the investigations (a demonstration user), on
/// the instance of that country.
pub struct Police<'a> {
    pub lv: Option<&'a Principal>,
    pub ee: Option<&'a Principal>,
    pub lt: Option<&'a Principal>,
}

fn date(today: CalendarDate, days_ago: i64) -> Result<String> {
    Ok(today.add_days(-days_ago).context("a date out of range")?.to_string())
}

fn suspect(kind: &str, name: &str, roles: &[&str], citizenship: &str, sex: &str, age: &str) -> SuspectInput {
    SuspectInput {
        kind: kind.into(),
        name: name.into(),
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        citizenship: citizenship.into(),
        sex: sex.into(),
        age_group: age.into(),
        liability: if kind == "legal" { "leading_position".into() } else { String::new() },
        criminal_organisation: kind == "natural" && roles.contains(&"exploiter"),
        ..SuspectInput::default()
    }
}

/// Cases the police officer's organisation registered, the ones whose person is a victim
/// (referred, presumed or identified) first.
async fn own_cases(app: &App, police: &Principal) -> Result<Vec<String>> {
    let mut victims = Vec::new();
    let mut others = Vec::new();
    for case in app.list_cases(police, 500, 0).await? {
        if case.owner_organisation_id != police.organisation.id {
            continue;
        }
        let status = app.store().registration(&case.id).await?.and_then(|r| r.nrm_status);
        match status.as_deref() {
            Some("identified_victim" | "presumed_victim" | "referred") => victims.push(case.id),
            _ => others.push(case.id),
        }
    }
    victims.extend(others);
    Ok(victims)
}

/// Loads the proceedings of the instance's country `jurisdiction`; gives (investigations,
/// suspects, notices).
pub async fn seed(
    app: &App,
    police: &Police<'_>,
    jurisdiction: &str,
    today: CalendarDate,
) -> Result<(usize, usize, usize)> {
    if !PROSECUTORS.iter().any(|(country, ..)| *country == jurisdiction) {
        return Ok((0, 0, 0));
    }
    println!("Prosecutors (passwords shown this once):");
    let existing = app.organisations(Acting::Operator).await?;
    let mut prosecutors = Vec::new();
    for (country, office, username, display) in PROSECUTORS {
        if *country != jurisdiction {
            prosecutors.push(None);
            continue;
        }
        let office_id = match existing.iter().find(|o| o.name == *office) {
            Some(o) => o.id.clone(),
            None => app.create_organisation(Acting::Operator, office, "prosecution", country).await?.id,
        };
        let new = NewUser {
            username: (*username).into(),
            display_name: (*display).into(),
            organisation_id: office_id.clone(),
            roles: vec!["investigator".into()],
            password: None,
            language: None,
        };
        let (user, password) = app.create_user(Acting::Operator, &new).await?;
        println!("  {:<20} {:<22} {:<40} investigator", user.username, password, office);
        let session = app
            .login(LoginRequest { username, password: &password, totp: None, address: Some("127.0.0.1"), device: None })
            .await?;
        prosecutors.push(Some((office_id, session.principal)));
    }
    let prosecutor = |i: usize| prosecutors.get(i).and_then(Option::as_ref).context("no prosecutor");

    let (mut investigations, mut suspects, mut notices) = (0, 0, 0);
    let mut opened = Vec::new();
    let plans: [Plan<'_>; 4] = [
        (police.lv, 0, "11816000412", "Criminal Law s. 154.1(2)", "Riga", &["forced_labour"], "ex_officio"),
        (police.lv, 0, "11816000587", "Criminal Law s. 154.1(3)", "Daugavpils", &["sexual"], "report"),
        (police.ee, 1, "24230300117", "Penal Code § 133(2)", "Tallinn", &["forced_labour", "begging"], "report"),
        (
            police.lt,
            2,
            "01-1-00923-25",
            "Criminal Code Art 147(2)",
            "Vilnius",
            &["sexual", "criminal_activities"],
            "ex_officio",
        ),
    ];
    for (n, (officer, p, reference, provision, locality, forms, opening)) in plans.into_iter().enumerate() {
        let Some(officer) = officer else { continue };
        let (office_id, prosecutor_principal) = prosecutor(p)?;
        let country = match p {
            0 => "LV",
            1 => "EE",
            _ => "LT",
        };
        let days = 150 - 30 * i64::try_from(n).unwrap_or(0);
        let input = InvestigationInput {
            reference: reference.into(),
            prosecutor_organisation_id: office_id.clone(),
            opened_on: date(today, days)?,
            opening: opening.into(),
            reporter: if opening == "report" { "third_party".into() } else { String::new() },
            reported_on: if opening == "report" { date(today, days + 2)? } else { String::new() },
            offences: vec![OffenceInput {
                kind: "trafficking".into(),
                forms: forms.iter().map(|f| (*f).to_owned()).collect(),
                national_provision: provision.into(),
            }],
            places: vec![PlaceInput { country: country.into(), locality: locality.into() }],
            acts_from: date(today, days + 400)?,
            acts_until: date(today, days + 10)?,
            other_countries: if country == "LV" { vec!["EE".into()] } else { vec!["LV".into()] },
            summary: "Synthetic demonstration data: persons recruited with false job offers, documents taken, \
                      wages withheld."
                .into(),
        };
        let id = app
            .open_investigation(officer, &input)
            .await
            .context("opening a synthetic investigation")?
            .investigation
            .id;
        investigations += 1;
        opened.push(crate::demo_money::Opened { officer, id: id.clone(), country });
        let cases = own_cases(app, officer).await?;
        let mut victims = cases.iter();
        if let Some(case) = victims.next() {
            app.link_victim(officer, &id, case).await.context("linking a synthetic victim")?;
        }
        let people = match country {
            "LV" => vec![
                suspect("natural", "Aivars Kalns", &["recruiter", "exploiter"], "LV", "male", "35_44"),
                suspect("natural", "Gints Vilks", &["transporter"], "LV", "male", "25_34"),
                suspect("legal", "SIA Būvdarbi Plus", &["facilitator"], "LV", "", ""),
            ],
            "EE" => vec![
                suspect("natural", "Margus Kivi", &["exploiter"], "EE", "male", "45_54"),
                suspect("natural", "Olga Smirnova", &["recruiter"], "EE", "female", "35_44"),
            ],
            _ => vec![
                suspect("natural", "Andrius Petraitis", &["recruiter", "harbourer"], "LT", "male", "25_34"),
                suspect("natural", "Ruslan Melnyk", &["exploiter"], "UA", "male", "35_44"),
            ],
        };
        let mut view = None;
        for person in &people {
            view = Some(app.add_suspect(officer, &id, person).await.context("adding a synthetic suspect")?);
            suspects += 1;
        }
        let view = view.context("no suspect")?;
        let first = view.suspects.first().context("no suspect")?.suspect.id.clone();
        let circumstances = if country == "LV" { vec!["criminal_organisation".into()] } else { vec![] };
        let charge = ChargeInput {
            offence: "trafficking".into(),
            national_provision: provision.into(),
            circumstances,
            charged_on: date(today, days - 40)?,
        };
        app.add_charge(officer, &id, &first, &charge).await.context("charging a synthetic suspect")?;
        // The first Latvian investigation went to court: indictment, a judgment, an appeal.
        if n == 0 {
            app.decide_prosecution(prosecutor_principal, &id, &first, "indicted", "")
                .await
                .context("a synthetic indictment")?;
            let judgment = JudgmentInput {
                court: "Riga City Court".into(),
                instance: "first".into(),
                verdict: "convicted".into(),
                judged_on: date(today, 0)?,
                custody_months: "84".into(),
                suspended: false,
                is_final: false,
            };
            let view = app
                .record_judgment(prosecutor_principal, &id, &first, &judgment)
                .await
                .context("a synthetic judgment")?;
            let judgment_id = view
                .suspects
                .iter()
                .flat_map(|s| &s.records)
                .find_map(|r| match r {
                    haven_app::proceedings::SuspectRecord::Judgment { judgment } => Some(judgment.id.clone()),
                    _ => None,
                })
                .context("no judgment")?;
            app.lodge_appeal(prosecutor_principal, &id, &judgment_id, "defence", &date(today, 0)?)
                .await
                .context("a synthetic appeal")?;
        }
        // In the second Latvian investigation a recruiter turns out to be a registered victim:
        // the prosecutor finds the non-punishment notice waiting.
        if n == 1
            && let Some(case) = victims.next()
        {
            let mut person =
                suspect("natural", "Recruited recruiter (synthetic)", &["recruiter"], "UA", "female", "18_24");
            person.case_id = case.clone();
            let view = app.add_suspect(officer, &id, &person).await.context("a synthetic victim suspect")?;
            suspects += 1;
            notices += view.suspects.iter().map(|s| s.notices.len()).sum::<usize>();
        }
    }
    crate::demo_money::seed(app, &opened, today).await.context("synthetic money in the proceedings")?;
    Ok((investigations, suspects, notices))
}
