//! Demonstration data for the rapporteur's annual report (docs/monitoring.md, "The annual
//! report"): Latvia's rapporteur drafts the report of the demonstration year with a few
//! narrative sections around the figures the platform assembles. The text is synthetic and says
//! so; the report stays a draft, for the rapporteur to go on writing and to make final.

use anyhow::{Context, Result};
use haven_app::annual_report::SectionRequest;
use haven_app::{App, Principal};

/// The narrative sections, in order (synthetic text).
const SECTIONS: &[(&str, &str)] = &[
    (
        "Introduction",
        "This is the national rapporteur's report for the year, drafted on the demonstration instance. \
         Its figures are assembled from the platform: only the statistics released for the year appear, \
         each as its release printed it.\n\nAll text in this report is synthetic demonstration text.",
    ),
    (
        "Main developments of the year",
        "Referrals through the national referral mechanism continued from first responders across the country, \
         most of them from non-governmental organisations and the State Police.\n\nThe commission of the NGO \
         decided on the persons referred; the deadlines dashboard followed the statutory clocks (synthetic).",
    ),
    (
        "Assistance and proceedings",
        "Support providers reported their capacity in the platform, and referrals between organisations were \
         followed until accepted or closed. Investigations, charges and judgments recorded by the police and the \
         prosecution are counted in persons in the released tables (synthetic commentary).",
    ),
    (
        "Conclusions and next steps",
        "The rapporteur proposes to review the open GRETA recommendations with the ministries concerned and to \
         complete the actions of the national plan that are overdue (synthetic).",
    ),
];

/// Drafts the report of `year` as `rapporteur`; returns how many sections it holds. A report
/// already begun (a second start of the demonstration) is left as it is.
pub async fn seed(app: &App, rapporteur: &Principal, year: u16) -> Result<usize> {
    let view = app.annual_report(rapporteur, &year.to_string()).await.context("the annual report to draft")?;
    if view.version > 0 {
        return Ok(view.report.sections.len());
    }
    for (version, (title, text)) in (0..).zip(SECTIONS) {
        let request = SectionRequest {
            year: year.to_string(),
            version,
            position: String::new(),
            title: (*title).to_owned(),
            text: (*text).to_owned(),
            remove: false,
        };
        app.save_report_section(rapporteur, &request).await.with_context(|| format!("the section {title:?}"))?;
    }
    Ok(SECTIONS.len())
}
