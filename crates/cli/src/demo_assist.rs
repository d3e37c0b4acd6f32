//! Synthetic assistance data for the demonstration: support providers in each country with
//! capacity and occupancy, risk and needs assessments (approved, returned, waiting), support
//! plans, and referrals in every state, some overdue.

use anyhow::{Context, Result};
use haven_app::assist::{PlanItemStatusInput, ReferralInput, ReferralStateInput};
use haven_app::ident::CaseFilter;
use haven_app::{App, FixedClock, Principal};
use haven_domain::Coded;
use haven_domain::assist::assessment::{AssessmentInput, NeedArea};
use haven_domain::assist::directory::ProviderInput;
use haven_domain::assist::plan::PlanItemInput;
use haven_domain::assist::referral::ConsentInput;
use haven_domain::case::CalendarDate;
use serde_json::json;

/// Providers of each country: (id, organisation name, name, country, region, services with
/// capacity, languages, audiences, specialised).
type ProviderSpec = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, Option<u32>)],
    &'static [&'static str],
    &'static [&'static str],
    bool,
);

const PROVIDERS: &[ProviderSpec] = &[
    (
        "lv-safe-house-riga",
        "Safe House Riga",
        "Safe House Riga – shelter",
        "LV",
        "LV-RIX",
        &[
            ("safe_accommodation", Some(12)),
            ("psychological_assistance", Some(20)),
            ("counselling_information", None),
            ("translation_interpretation", None),
            ("material_assistance", None),
        ],
        &["lv", "ru", "en", "uk"],
        &["women", "children", "families"],
        true,
    ),
    (
        "lv-marta-legal",
        "Resource Centre for Women Marta",
        "Marta – legal counselling and representation",
        "LV",
        "LV-RIX",
        &[("legal_counselling", None), ("legal_representation", Some(15)), ("counselling_information", None)],
        &["lv", "ru", "en"],
        &["women"],
        true,
    ),
    (
        "lv-riga-social",
        "Riga Social Service",
        "Riga Social Service – crisis accommodation",
        "LV",
        "LV-RIX",
        &[("safe_accommodation", Some(20)), ("material_assistance", None), ("medical_treatment", Some(10))],
        &["lv", "ru"],
        &["women", "men", "families"],
        false,
    ),
    (
        "lv-custody-court",
        "Orphan's and Custody Court",
        "Orphan's and Custody Court – children",
        "LV",
        "LV",
        &[("education", None), ("child_family_support", None), ("safe_accommodation", Some(6))],
        &["lv", "ru"],
        &["children", "families"],
        false,
    ),
    (
        "ee-living-for-tomorrow",
        "Living for Tomorrow",
        "Living for Tomorrow – victim support",
        "EE",
        "EE-37",
        &[
            ("safe_accommodation", Some(8)),
            ("psychological_assistance", None),
            ("counselling_information", None),
            ("legal_counselling", None),
        ],
        &["et", "ru", "en"],
        &["women", "men", "children"],
        true,
    ),
    (
        "ee-victim-support",
        "Social Insurance Board – Victim Support",
        "Victim Support – Tartu",
        "EE",
        "EE-79",
        &[("material_assistance", None), ("translation_interpretation", None), ("medical_treatment", Some(5))],
        &["et", "ru"],
        &["women", "men"],
        false,
    ),
    (
        "lt-caritas",
        "Caritas Lithuania – Victim Assistance",
        "Caritas – shelter and assistance",
        "LT",
        "LT-57",
        &[
            ("safe_accommodation", Some(10)),
            ("psychological_assistance", None),
            ("legal_representation", Some(5)),
            ("counselling_information", None),
        ],
        &["lt", "ru", "en", "pl"],
        &["women", "men", "families"],
        true,
    ),
];

fn day(today: CalendarDate, n: i64) -> Result<CalendarDate> {
    today.add_days(n).context("a date out of range")
}

fn seconds(d: CalendarDate, hour: i64) -> i64 {
    d.days_since_epoch() * 86_400 + hour * 3_600
}

fn consent(on: CalendarDate) -> ConsentInput {
    ConsentInput {
        consent_given: true,
        consent_on: on.to_string(),
        consent_language: "lv".into(),
        emergency_reason: String::new(),
    }
}

/// Who acts in the assistance demonstration: those of the instance's country (the others are
/// `None`, and what they would do is left to their own instance).
pub struct Staff<'a> {
    /// A supervisor per country (providers) — LV, EE, LT.
    pub supervisors: [Option<&'a Principal>; 3],
    /// The NGO caseworker whose cases are assessed and referred (Latvia).
    pub caseworker: Option<&'a Principal>,
    /// The NGO's supervisor, who reviews assessments.
    pub reviewer: Option<&'a Principal>,
    /// The shelter's caseworker, who answers referrals.
    pub shelter: Option<&'a Principal>,
    /// Organisation ids by name.
    pub org_id: &'a dyn Fn(&str) -> String,
}

/// Loads the providers of the countries whose supervisor acts and, for some of the
/// caseworker's cases, assessments, plans and referrals in every state. Returns (providers,
/// assessments, referrals).
pub async fn seed(
    app: &App,
    clock: &FixedClock,
    staff: &Staff<'_>,
    today: CalendarDate,
) -> Result<(usize, usize, usize)> {
    clock.set(seconds(day(today, -30)?, 9));
    let mut providers = 0;
    for (id, org, name, country, region, services, languages, accepts, specialised) in PROVIDERS {
        let by = match *country {
            "LV" => staff.supervisors[0],
            "EE" => staff.supervisors[1],
            _ => staff.supervisors[2],
        };
        let Some(by) = by else { continue };
        providers += 1;
        let input: ProviderInput = serde_json::from_value(json!({
            "id": id,
            "organisation_id": (staff.org_id)(org),
            "name": name,
            "country": country,
            "services": services.iter().map(|(s, c)| json!({"service": s, "capacity": c})).collect::<Vec<_>>(),
            "languages": languages,
            "regions": [region],
            "accepts": accepts,
            "trafficking_specialised": specialised,
            "contact_points": [{"label": "Duty phone", "phone": "+371 6700 0000", "email": "help@example.org"}],
            "opening_hours": {"always_open": *specialised, "slots": if *specialised { json!([]) } else {
                json!([{"weekday": 1, "opens": "09:00", "closes": "17:00"}, {"weekday": 2, "opens": "09:00", "closes": "17:00"},
                       {"weekday": 3, "opens": "09:00", "closes": "17:00"}, {"weekday": 4, "opens": "09:00", "closes": "17:00"},
                       {"weekday": 5, "opens": "09:00", "closes": "15:00"}]) }}
        }))
        .context("a demonstration provider")?;
        app.save_provider(by, &input, None).await.with_context(|| format!("provider {id}"))?;
    }

    let (Some(caseworker), Some(reviewer), Some(shelter)) = (staff.caseworker, staff.reviewer, staff.shelter) else {
        clock.set(seconds(today, 8));
        return Ok((providers, 0, 0));
    };
    let staff = Acting { caseworker, reviewer, shelter };
    let filter = CaseFilter { state: Some("submitted".into()), limit: Some(500), ..CaseFilter::default() };
    let cases = app.case_list(staff.caseworker, &filter).await?;
    let own: Vec<_> =
        cases.into_iter().filter(|c| c.owner_organisation_id == staff.caseworker.organisation.id).collect();
    let (children, adults): (Vec<_>, Vec<_>) =
        own.into_iter().partition(|c| matches!(c.child_status.as_deref(), Some("child" | "presumed_child")));
    let shelter_org = staff.shelter.organisation.id.clone();
    let mut assessments = 0;
    let mut referrals = 0;
    let states: &[&[&str]] = &[
        &[],
        &["sent"],
        &["sent", "accepted"],
        &["sent", "declined"],
        &["sent", "accepted", "in_progress"],
        &["sent", "accepted", "in_progress", "completed"],
        &["sent", "withdrawn"],
        &["sent"],
    ];
    let picked: Vec<_> = adults.iter().take(12).chain(children.iter().take(3)).collect();
    for (n, case) in picked.iter().enumerate() {
        let child = n >= 12.min(adults.len());
        let start = day(today, -28 + n as i64)?;
        clock.set(seconds(start, 10));
        let mut input = AssessmentInput {
            assessed_on: start.to_string(),
            risk_from_traffickers: ["low", "medium", "high", "medium"][n % 4].into(),
            risk_summary: if n % 4 == 2 {
                "Threats to the family in the country of origin.".into()
            } else {
                String::new()
            },
            languages: vec!["lv".into(), "ru".into()],
            lacks_means: n % 2 == 0,
            ..AssessmentInput::default()
        };
        for area in NeedArea::required(child) {
            let level = match (area, n % 3) {
                (NeedArea::Accommodation, _) | (NeedArea::Safety, 0) => "urgent",
                (NeedArea::MentalHealth | NeedArea::LegalStatus | NeedArea::Education, _) => "need",
                _ => "none",
            };
            input.levels.insert(area.code().into(), level.into());
        }
        if child {
            input.best_interests = "Stay in a specialised shelter for children and continue school.".into();
            input.views_heard = true;
            input.childs_views = "Wants to stay near the sister and keep going to school.".into();
        }
        let view = app.submit_assessment(staff.caseworker, &case.id, &input).await.context("an assessment")?;
        assessments += 1;
        clock.set(seconds(start, 15));
        match n % 5 {
            4 => continue, // waiting for review
            3 => {
                app.review_assessment(staff.reviewer, &case.id, view.seq, false, "Add the medical needs in detail.")
                    .await?;
                continue;
            }
            _ => {
                app.review_assessment(staff.reviewer, &case.id, view.seq, true, "").await?;
            }
        }
        let service =
            if child { "safe_accommodation" } else { ["safe_accommodation", "psychological_assistance"][n % 2] };
        let item = PlanItemInput {
            service: service.into(),
            need: if service == "safe_accommodation" { "accommodation".into() } else { "mental_health".into() },
            goal: "Safe, stable support while the person recovers".into(),
            responsible_organisation_id: shelter_org.clone(),
            provider_id: "lv-safe-house-riga".into(),
            starts_on: start.to_string(),
            ..PlanItemInput::default()
        };
        let added = app.add_plan_item(staff.caseworker, &case.id, &item).await.context("a plan item")?;
        if n % 2 == 0 {
            let status = PlanItemStatusInput {
                status: "in_progress".into(),
                on: start.to_string(),
                version: added.version,
                ..Default::default()
            };
            app.update_plan_item(staff.caseworker, &case.id, &added.id, &status).await?;
        }
        // a referral to the shelter in one of the states; the last one is a transfer
        let path = states[n % states.len()];
        let input = ReferralInput {
            kind: if n == 7 { "transfer".into() } else { "service".into() },
            service: if n == 7 { String::new() } else { service.into() },
            provider_id: if n == 7 { String::new() } else { "lv-safe-house-riga".into() },
            to_organisation_id: if n == 7 { shelter_org.clone() } else { String::new() },
            urgent: n % 3 == 0,
            send: false,
            message: "Please confirm a place and a first appointment.".into(),
            consent: if child { ConsentInput::default() } else { consent(start) },
            ..ReferralInput::default()
        };
        let mut r = app.create_referral(staff.caseworker, &case.id, &input).await.context("a referral")?;
        referrals += 1;
        for (k, state) in path.iter().enumerate() {
            clock.set(seconds(day(start, 1 + k as i64)?, 11));
            let by = if matches!(*state, "sent" | "withdrawn") { staff.caseworker } else { staff.shelter };
            let reason = if *state == "declined" { "No place for a family this month" } else { "" };
            if r.summary.kind.code() == "transfer" && matches!(*state, "in_progress" | "completed") {
                break;
            }
            let change =
                ReferralStateInput { state: (*state).into(), reason: reason.into(), version: r.summary.version };
            r = app
                .change_referral(by, &r.summary.id, &change)
                .await
                .with_context(|| format!("referral to {state}"))?;
        }
    }
    clock.set(seconds(today, 8));
    Ok((providers, assessments, referrals))
}

/// The Latvian staff who assess and refer.
struct Acting<'a> {
    caseworker: &'a Principal,
    reviewer: &'a Principal,
    shelter: &'a Principal,
}
