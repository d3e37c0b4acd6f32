//! Demonstration data for data subjects' requests (docs/data-protection.md, "Requests of the data
//! subject"): Latvia's data protection officer (`demo.dpo`) has a few requests about the NGO's
//! synthetic cases: an access request answered with its export, one whose identity was checked
//! but whose answer is late, a rectification request waiting for the identity check, a
//! restriction applied to one case (readable, frozen, out of matching and statistics), and an
//! erasure approved and waiting for the erasure.

use anyhow::{Context, Result};
use haven_app::subject_requests::{NewSubjectRequest, RequestStepInput};
use haven_app::{App, Principal};
use haven_domain::case::CalendarDate;

fn ago(today: CalendarDate, days: i64) -> Result<String> {
    Ok(today.add_days(-days).context("a date out of range")?.to_string())
}

fn step(step: &str, version: i64) -> RequestStepInput {
    RequestStepInput { step: step.into(), version, ..RequestStepInput::default() }
}

/// Records the requests; gives how many, and the reference of the restricted case.
pub async fn seed(
    app: &App,
    dpo: &Principal,
    caseworker: &Principal,
    today: CalendarDate,
) -> Result<(usize, Option<String>)> {
    let mut cases = Vec::new();
    for c in app.list_cases(caseworker, 100, 0).await? {
        // A case with a transnational referral in flight is left alone (its updates write it).
        let abroad = !app.store().transnational_referrals_of_case(&c.id).await?.is_empty();
        if c.owner_organisation_id == caseworker.actor.organisation_id && !abroad {
            cases.push(c);
        }
    }
    let [a, b, c, d, e, ..] = cases.as_slice() else { return Ok((0, None)) };
    // (kind, case, received days ago, identity checked days ago, what then)
    let plan: [(&str, &str, i64, Option<i64>, &str); 5] = [
        ("access", &a.reference, 12, Some(11), "export"),
        ("access", &b.reference, 45, Some(40), "late"),
        ("rectification", &c.reference, 4, None, ""),
        ("restriction", &d.reference, 20, Some(19), "restrict"),
        ("erasure", &e.reference, 6, Some(5), "approve_erasure"),
    ];
    let mut restricted = None;
    for (kind, case, received, checked, then) in plan {
        let input = NewSubjectRequest {
            kind: kind.into(),
            case: case.to_owned(),
            received_on: ago(today, received)?,
            note: "Asked in person at the shelter (synthetic).".into(),
        };
        let r = app.record_subject_request(dpo, &input).await.context("a synthetic request")?;
        let Some(checked) = checked else { continue };
        let mut verify = step("verify", r.version);
        verify.method = "document_in_person".into();
        verify.on = ago(today, checked)?;
        let r = app.subject_request_step(dpo, &r.id, &verify).await.context("a synthetic identity check")?;
        match then {
            "export" => {
                app.subject_access_export(dpo, &r.id).await.context("a synthetic subject-access export")?;
                let r = app.subject_request(dpo, &r.id).await?;
                let mut answer = step("answer", r.version);
                answer.on = ago(today, 2)?;
                app.subject_request_step(dpo, &r.id, &answer).await.context("a synthetic answer")?;
            }
            "restrict" => {
                let mut restrict = step("restrict", r.version);
                restrict.reason =
                    "The person contests the date of birth; checked against the passport (synthetic).".into();
                app.subject_request_step(dpo, &r.id, &restrict).await.context("a synthetic restriction")?;
                restricted = Some(case.to_owned());
            }
            "approve_erasure" => {
                app.subject_request_step(dpo, &r.id, &step("approve_erasure", r.version))
                    .await
                    .context("a synthetic erasure approval")?;
            }
            _ => {}
        }
    }
    Ok((plan.len(), restricted))
}
