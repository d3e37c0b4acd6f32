//! The case's pages as a caseworker meets them: the child label in lists, the consent on the
//! wizard's last step, the decision form's errors, the modules reached from the case, and the
//! possible duplicates after saving.

use crate::pages::{PASSWORD, assert_page_rules, assert_see_other, get_ok, register, world};
use axum::http::{Method, StatusCode};

/// A presumed child (age estimated 15 to 19, reasons to believe a child, no date of birth) is
/// named "presumed child" in the case list and on the deadlines dashboard, never "a child on a
/// verified date of birth" (Dir 2011/36 Art 13(2)).
#[tokio::test]
async fn art_13_2_dir_2011_36_a_presumed_child_is_listed_as_presumed_not_as_verified() {
    let w = world().await;
    let t = &w.t;
    let authority = t.org("Competent Authority LV", "competent_authority", "LV").await;
    t.user("decider", &authority, &["decision_maker"]).await;
    let decider = t.login("decider", PASSWORD).await;
    let id = register(t, &w.investigator, "Olena").await;
    let reply = t
        .form(
            &format!("/cases/{id}/edit"),
            Some(&w.investigator),
            &[
                ("step", "age"),
                ("version", "1"),
                ("age_min", "15"),
                ("age_max", "19"),
                ("reasons_to_believe_child", "on"),
            ],
        )
        .await;
    assert_see_other(&reply, &format!("/cases/{id}/edit?step=context"));
    let reply = t.form(&format!("/cases/{id}/submit"), Some(&w.investigator), &[("version", "2")]).await;
    assert_see_other(&reply, &format!("/cases/{id}"));

    let list = get_ok(t, "/cases", &w.investigator).await;
    assert!(list.contains("Presumed child (age uncertain)"), "{list}");
    assert!(!list.contains("date of birth verified"), "{list}");
    let deadlines = get_ok(t, "/deadlines", &decider).await;
    assert!(deadlines.contains(&format!("href=\"/cases/{id}\"")), "{deadlines}");
    assert!(deadlines.contains("Presumed child (age uncertain)"), "{deadlines}");
    assert!(!deadlines.contains("date of birth verified"), "{deadlines}");

    // A child on a verified date of birth keeps the verified label.
    let child = register(t, &w.investigator, "Mila").await;
    t.form(
        &format!("/cases/{child}/edit"),
        Some(&w.investigator),
        &[("step", "age"), ("version", "1"), ("date_of_birth", "2014-03-01"), ("dob_verified", "on")],
    )
    .await;
    let list = get_ok(t, "/cases", &w.investigator).await;
    assert!(list.contains("Child (date of birth verified)"), "{list}");
}

/// "Refer" on the wizard's last step keeps the consent ticked on that step: the step is saved,
/// then referred, and the referred registration holds the adult's consent to support
/// (Dir 2011/36 Art 11(5); CETS 197 Art 12(7)).
#[tokio::test]
async fn refer_on_the_consent_step_keeps_the_consent_just_ticked() {
    let w = world().await;
    let t = &w.t;
    let id = register(t, &w.caseworker, "Anna").await;
    let step = get_ok(t, &format!("/cases/{id}/edit?step=consent"), &w.caseworker).await;
    assert!(step.contains("name=\"go\" value=\"refer\""), "Refer belongs to the consent form: {step}");
    assert!(!step.contains("action=\"/cases/{id}/submit\""), "no second form that drops the consent: {step}");
    let reply = t
        .form(
            &format!("/cases/{id}/edit"),
            Some(&w.caseworker),
            &[
                ("step", "consent"),
                ("version", "1"),
                ("consent_given", "on"),
                ("consent_date", "2026-09-20"),
                ("consent_language", "lv"),
                ("consent_informed_by", "Case worker"),
                ("go", "refer"),
            ],
        )
        .await;
    assert_see_other(&reply, &format!("/cases/{id}"));
    let file = t.call(Method::GET, &format!("/api/v1/registrations/{id}"), Some(&w.caseworker), None).await;
    assert_eq!(file.json()["status"], "referred", "{}", file.body);
    assert_eq!(file.json()["registration"]["support_consent"]["given"], true, "{}", file.body);
    let case = get_ok(t, &format!("/cases/{id}"), &w.caseworker).await;
    assert!(case.contains("Yes, 2026-09-20, lv, Case worker"), "the case page shows the consent: {case}");
}

/// The decision form offers no outcome until the decider chooses one (a recorded decision cannot
/// be changed), and a negative decision without reasons shows the case page again: 422, the
/// typed text kept, the problem next to the reasons, and nothing recorded.
#[tokio::test]
async fn a_refused_decision_keeps_what_was_typed_and_no_outcome_is_preselected() {
    let w = world().await;
    let t = &w.t;
    let authority = t.org("Competent Authority LV", "competent_authority", "LV").await;
    t.user("decider", &authority, &["decision_maker"]).await;
    let decider = t.login("decider", PASSWORD).await;
    let id = register(t, &w.investigator, "Olena").await;
    let reply = t.form(&format!("/cases/{id}/submit"), Some(&w.investigator), &[("version", "1")]).await;
    assert_see_other(&reply, &format!("/cases/{id}"));

    let case = get_ok(t, &format!("/cases/{id}"), &decider).await;
    let select = &case[case.find("id=\"decision-kind\"").expect("the decision form")..];
    let select = &select[..select.find("</select>").unwrap_or(select.len())];
    assert!(select.contains("<option value=\"\" selected>"), "the empty choice comes first: {select}");
    assert_eq!(select.matches(" selected").count(), 1, "no outcome pre-selected: {select}");

    // No choice at all: refused, nothing recorded.
    let reply = t
        .form(
            &format!("/cases/{id}/decisions"),
            Some(&decider),
            &[("seq", "1"), ("kind", ""), ("decided_on", "2026-09-21"), ("reasons", "")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains("id=\"form-error\""), "{}", reply.body);

    let reply = t
        .form(
            &format!("/cases/{id}/decisions"),
            Some(&decider),
            &[("seq", "1"), ("kind", "first_decision_negative"), ("decided_on", "2026-09-20"), ("reasons", "   ")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let page = &reply.body;
    assert_page_rules(&format!("/cases/{id}/decisions"), page);
    assert!(page.contains("id=\"err-reasons\""), "the problem is next to the reasons: {page}");
    assert!(page.contains("id=\"reasons\" name=\"reasons\" rows=\"3\" aria-invalid=\"true\""), "{page}");
    assert!(page.contains("<option value=\"first_decision_negative\" selected>"), "the choice kept: {page}");
    assert!(page.contains("value=\"2026-09-20\""), "the date kept: {page}");
    assert!(!page.contains("(field:") && !page.contains("422 Error"), "no dead end: {page}");
    let file = t.call(Method::GET, &format!("/api/v1/registrations/{id}"), Some(&decider), None).await;
    assert_eq!(file.json()["status"], "referred", "nothing recorded: {}", file.body);

    // The text typed is kept when the reasons are there but another field is refused.
    let reply = t
        .form(
            &format!("/cases/{id}/decisions"),
            Some(&decider),
            &[
                ("seq", "1"),
                ("kind", "first_decision_negative"),
                ("decided_on", "not a date"),
                ("reasons", "No element of the means is shown."),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains(">No element of the means is shown.</textarea>"), "{}", reply.body);
    assert!(reply.body.contains("id=\"err-decided_on\""), "{}", reply.body);
}

/// The child protection, compensation and safe return pages, a new assessment and a new referral
/// are one click from the case, for those the access module lets use them: child protection
/// prominently for a child's case. A
/// user without the support compartment (by role, or a case shared for identity only) is offered
/// none of them, and the links lead to pages that open.
#[tokio::test]
async fn the_support_modules_are_linked_from_the_case_only_for_those_who_may_use_them() {
    let w = world().await;
    let t = &w.t;
    let id = register(t, &w.caseworker, "Mila").await;
    t.form(
        &format!("/cases/{id}/edit"),
        Some(&w.caseworker),
        &[("step", "age"), ("version", "1"), ("date_of_birth", "2014-03-01"), ("dob_verified", "on")],
    )
    .await;
    let case = get_ok(t, &format!("/cases/{id}"), &w.caseworker).await;
    let notice = &case[case.find("role=\"note\"").expect("the child notice")..];
    let notice = &notice[..notice.find("</p>").unwrap_or(notice.len())];
    assert!(
        notice.contains(&format!("class=\"button primary\" href=\"/cases/{id}/support/child\"")),
        "child protection is prominent for a child: {notice}"
    );
    for module in
        ["support/compensation", "support/return", "support/child", "support", "assessments/new", "referrals/new"]
    {
        assert!(case.contains(&format!("href=\"/cases/{id}/{module}\"")), "{module}: {case}");
        get_ok(t, &format!("/cases/{id}/{module}"), &w.caseworker).await;
    }

    // Shared with the shelter for identity only: its caseworker reads the case, not its support
    // records, and is offered no module.
    let reply = t
        .form(
            &format!("/cases/{id}/shares"),
            Some(&w.caseworker),
            &[("organisation_id", &w.shelter), ("compartments", "identity")],
        )
        .await;
    assert_see_other(&reply, &format!("/cases/{id}"));
    let shelter = t.login("shelterworker", PASSWORD).await;
    let shared = get_ok(t, &format!("/cases/{id}"), &shelter).await;
    assert!(shared.contains("Mila"), "shared for identity: {shared}");
    for module in ["support/compensation", "support/return", "support/child", "support\"", "assessments", "referrals"] {
        assert!(!shared.contains(&format!("href=\"/cases/{id}/{module}")), "{module} offered: {shared}");
    }
    let reply = t.page(&format!("/cases/{id}/support/compensation"), Some(&shelter)).await;
    assert!(reply.status.is_client_error(), "and indeed refused: {}", reply.status);

    // An adult's case offers compensation and safe return, not child protection.
    let adult = register(t, &w.caseworker, "Anna").await;
    t.form(
        &format!("/cases/{adult}/edit"),
        Some(&w.caseworker),
        &[("step", "age"), ("version", "1"), ("date_of_birth", "1990-03-01"), ("dob_verified", "on")],
    )
    .await;
    let case = get_ok(t, &format!("/cases/{adult}"), &w.caseworker).await;
    assert!(case.contains(&format!("href=\"/cases/{adult}/support/compensation\"")), "{case}");
    assert!(case.contains(&format!("href=\"/cases/{adult}/support/return\"")), "{case}");
    assert!(!case.contains(&format!("href=\"/cases/{adult}/support/child\"")), "{case}");
}

/// Registering a person already registered shows the possible duplicates on the page after
/// saving: the other case's reference (a link), the name, what matched and the probability. A
/// case the user may not see is never shown.
#[tokio::test]
async fn the_page_after_saving_a_registration_shows_its_possible_duplicates() {
    let w = world().await;
    let t = &w.t;
    let first = register(t, &w.caseworker, "Anna").await;
    let api = t.call(Method::GET, &format!("/api/v1/cases/{first}"), Some(&w.caseworker), None).await;
    let reference = api.json()["case"]["reference"].as_str().unwrap_or_default().to_owned();
    assert!(!reference.is_empty(), "{}", api.body);

    let reply = t
        .form(
            "/cases",
            Some(&w.caseworker),
            &[("given_names", "Anna"), ("family_names", "Berzina"), ("date_of_birth", "2001-04-17"), ("sex", "female")],
        )
        .await;
    assert_see_other(&reply, "/cases/");
    let after = crate::pages::location(&reply);
    let page = get_ok(t, &after, &w.caseworker).await;
    let section = &page[page.find("id=\"duplicates\"").expect("the duplicates are shown after saving")..];
    let section = &section[..section.find("</section>").unwrap_or(section.len())];
    assert!(section.contains(&format!("<a href=\"/cases/{first}\">{reference}</a>")), "{section}");
    assert!(section.contains("Anna Bērziņa"), "the name: {section}");
    assert!(section.contains("<td>Name, Date of birth"), "what matched: {section}");
    assert!(section.contains(" %</td>"), "the probability: {section}");
    // The case page warns too, for those who may correct the registration.
    let second = after.trim_start_matches("/cases/").split('/').next().unwrap_or_default().to_owned();
    let case = get_ok(t, &format!("/cases/{second}"), &w.caseworker).await;
    assert!(case.contains("id=\"duplicates\"") && case.contains(&format!("href=\"/cases/{first}\"")), "{case}");

    // The same person registered by the shelter, which cannot see the NGO's case: nothing shown.
    let shelter = t.login("shelterworker", PASSWORD).await;
    let reply = t
        .form(
            "/cases",
            Some(&shelter),
            &[("given_names", "Anna"), ("family_names", "Bērziņa"), ("date_of_birth", "2001-04-17"), ("sex", "female")],
        )
        .await;
    let page = get_ok(t, &crate::pages::location(&reply), &shelter).await;
    assert!(!page.contains("id=\"duplicates\"") && !page.contains(&first), "{page}");
}

/// The case page offers exactly the actions the access module answers. The competent authority,
/// which reads and writes the identity of a case referred to it, is offered the edit (and the edit
/// page opens) and the decision, but not sharing, which is the owner's; the owner's caseworker is
/// offered the edit and the share form, not the decision; a caseworker of an organisation the case
/// was not shared with (for its identity) is offered nothing and refused.
#[tokio::test]
async fn the_competent_authority_is_offered_the_edit_of_a_referred_case_and_who_may_not_edit_is_not() {
    let w = world().await;
    let t = &w.t;
    let authority = t.org("Competent Authority LV", "competent_authority", "LV").await;
    t.user("decider", &authority, &["decision_maker"]).await;
    let decider = t.login("decider", PASSWORD).await;
    let id = register(t, &w.caseworker, "Olena").await;
    let reply = t.form(&format!("/cases/{id}/submit"), Some(&w.caseworker), &[("version", "1")]).await;
    assert_see_other(&reply, &format!("/cases/{id}"));
    let edit = format!("href=\"/cases/{id}/edit?step=person\"");

    let case = get_ok(t, &format!("/cases/{id}"), &decider).await;
    assert!(case.contains(&edit), "the authority may edit the referred case: {case}");
    assert!(case.contains("id=\"decision-kind\""), "and decide it: {case}");
    assert!(!case.contains("id=\"share-organisation\""), "sharing is the owner's: {case}");
    let page = get_ok(t, &format!("/cases/{id}/edit?step=person"), &decider).await;
    assert!(page.contains("Olena"), "the offered edit opens: {page}");

    let owner = get_ok(t, &format!("/cases/{id}"), &w.caseworker).await;
    assert!(owner.contains(&edit) && owner.contains("id=\"share-organisation\""), "{owner}");
    assert!(!owner.contains("id=\"decision-kind\""), "a caseworker does not decide: {owner}");

    // The shelter: first not shared at all, then shared for support only; never the identity.
    let shelter = t.login("shelterworker", PASSWORD).await;
    let reply = t.page(&format!("/cases/{id}"), Some(&shelter)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    assert!(!reply.body.contains(&edit), "{}", reply.body);
    let reply = t
        .form(
            &format!("/cases/{id}/shares"),
            Some(&w.caseworker),
            &[("organisation_id", &w.shelter), ("compartments", "support")],
        )
        .await;
    assert_see_other(&reply, &format!("/cases/{id}#sharing"));
    for path in [format!("/cases/{id}"), format!("/cases/{id}/edit?step=person")] {
        let reply = t.page(&path, Some(&shelter)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}: {}", reply.body);
        assert!(!reply.body.contains(&edit), "{path}: {}", reply.body);
    }
}

/// The share list on the case page names the organisations of the case's country by name, the
/// platform operator's organisation last, and none is chosen for the user: the first option asks
/// for a choice. The operator's organisation stays on the list (an administrator may give its
/// users a role that reads cases), but never first.
#[tokio::test]
async fn the_share_list_puts_the_operator_last_and_chooses_nobody() {
    let w = world().await;
    let t = &w.t;
    t.org("Haven operator", "competent_authority", "LV").await;
    t.org("Aizsardzības centrs", "ngo", "LV").await;
    t.org("Tallinn Shelter", "shelter", "EE").await;
    let id = register(t, &w.caseworker, "Anna").await;
    let case = get_ok(t, &format!("/cases/{id}"), &w.caseworker).await;
    let select = &case[case.find("id=\"share-organisation\"").expect("the share form")..];
    let select = &select[..select.find("</select>").unwrap_or(select.len())];
    let labels: Vec<&str> = select
        .split("<option value=\"")
        .skip(1)
        .map(|o| o.split('>').nth(1).unwrap_or("").trim_end_matches("</option"))
        .collect();
    assert!(select.contains("<option value=\"\">"), "the first option asks for a choice: {select}");
    assert!(!select.contains(" selected"), "nobody is chosen for the user: {select}");
    let names: Vec<&str> = labels.iter().skip(1).map(|l| l.split(" (").next().unwrap_or("")).collect();
    assert_eq!(
        names,
        ["Aizsardzības centrs", "Riga Shelter", "State Police", "State Police Operator Unit", "Haven operator"],
        "by name, the operator last; no statistics office, not the owner, no other country: {select}"
    );
}
