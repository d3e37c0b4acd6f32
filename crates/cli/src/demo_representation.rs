//! Synthetic demonstration data for the victim's lawyer (Dir 2011/36 Art 12(2); Dir 2012/29
//! Art 20): a victim supported by a Latvian NGO is heard in the first Latvian investigation (the
//! NGO shares the case's identity with the State Police, who link it as a victim), the police
//! record a protection measure and the information given, and the NGO's caseworker records,
//! with the victim's consent, that `demo.lawyer` represents the victim. Every name is made up.

use anyhow::{Context, Result};
use haven_app::{App, Principal};
use haven_domain::case::CalendarDate;
use haven_domain::proceedings::information::InformationInput;
use haven_domain::proceedings::protection::ProtectionInput;
use haven_domain::proceedings::representation::RepresentationInput;

/// Links one of the NGO's victims to the first Latvian investigation and records its lawyer;
/// gives the reference of the represented victim's case, if the NGO has a case to give.
pub async fn seed(
    app: &App,
    caseworker: &Principal,
    police: &Principal,
    lawyer_user_id: &str,
    today: CalendarDate,
) -> Result<Option<String>> {
    let mut investigations = app.investigations(police).await?;
    investigations.sort_by_key(|i| i.opened_on);
    let Some(first) = investigations.first() else { return Ok(None) };
    let Some(case) = app.list_cases(caseworker, 50, 0).await?.into_iter().find(|c| {
        c.owner_organisation_id == caseworker.actor.organisation_id
            && c.jurisdiction == caseworker.actor.jurisdiction.code()
    }) else {
        return Ok(None);
    };
    app.share_case(caseworker, &case.id, &police.actor.organisation_id, &["identity".to_owned()])
        .await
        .context("sharing a synthetic victim's identity with the police")?;
    app.link_victim(police, &first.id, &case.id).await.context("linking the represented synthetic victim")?;
    let measure = ProtectionInput {
        case_id: case.id.clone(),
        measure: "no_visual_contact".into(),
        status: "applied".into(),
        on: today.to_string(),
        reasons: String::new(),
    };
    app.record_protection_measure(police, &first.id, &measure).await.context("a synthetic protection measure")?;
    let told = InformationInput {
        case_id: case.id.clone(),
        kind: "state_of_proceedings".into(),
        channel: "through_representative".into(),
        language: "lv".into(),
        given_by: "State Police, investigator on duty (synthetic)".into(),
        given_on: today.to_string(),
        note: String::new(),
    };
    app.record_information_given(police, &first.id, &told).await.context("synthetic information to the victim")?;
    let representation = RepresentationInput {
        lawyer_user_id: lawyer_user_id.to_owned(),
        from_on: today.to_string(),
        consent_given: true,
        consent_on: today.to_string(),
        consent_note: "Synthetic demonstration data: the victim signed an authorisation in the NGO's office.".into(),
    };
    app.record_representation(caseworker, &case.id, &representation)
        .await
        .context("recording the synthetic victim's lawyer")?;
    Ok(Some(case.reference))
}
