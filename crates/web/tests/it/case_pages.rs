//! The case's pages as a caseworker meets them: the child label in lists, the consent on the
//! wizard's last step, the decision form's errors, the modules reached from the case, and the
//! possible duplicates after saving.

use crate::pages::{PASSWORD, assert_see_other, get_ok, register, world};

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
