//! Synthetic transposition records for the demonstration (docs/monitoring.md), loaded at the
//! EU hub and at the Latvian instance for every EU Member State, as reference data from the
//! console (`App::import_transposition`).
//!
//! Directive 2011/36 (deadline 6 April 2013): the dates follow the counts of research/legal.md
//! §7.1 (6 states complete and 3 partly by 15 April 2013; 9 and 4 by 14 June; 18 and 2 by
//! 17 October, the states named there; Germany on 15 October 2016); the other days are made up
//! to fit them. Letters of formal notice for non-communication, reasoned opinions and closings,
//! and a few assessments of the Commission's compliance report (COM(2016) 722, 2 December 2016)
//! are synthetic. Directive 2024/1712 (deadline 15 July 2026): some states notify on time, some
//! late, some partly, some not at all; a letter of formal notice goes to each state not complete
//! 40 days before today, so that replies fall due within the dashboard's 90 days. Only records
//! dated on or before today are loaded.

use anyhow::{Context, Result};
use haven_app::App;
use haven_app::admin::Acting;
use haven_app::monitoring::TranspositionImport;
use haven_domain::case::CalendarDate;
use haven_domain::transposition::{AssessmentInput, InfringementInput, MeasureInput};

/// Dir 2011/36: (country, day of complete notification, days before it a partial one, if any).
const NOTIFIED_2011: &[(&str, &str, Option<i64>)] = &[
    ("CZ", "2013-03-15", None),
    ("HU", "2013-03-29", None),
    ("LV", "2013-04-04", None),
    ("PL", "2013-04-05", None),
    ("SE", "2013-04-05", None),
    ("FI", "2013-04-12", None),
    ("EE", "2013-05-23", None),
    ("LT", "2013-06-05", None),
    ("RO", "2013-06-12", None),
    ("AT", "2013-07-10", None),
    ("BG", "2013-07-25", Some(120)),
    ("FR", "2013-08-05", None),
    ("IE", "2013-08-15", None),
    ("PT", "2013-08-23", None),
    ("HR", "2013-09-10", None),
    ("SK", "2013-09-20", None),
    ("GR", "2013-09-30", None),
    ("GB", "2013-10-01", Some(150)),
    ("NL", "2013-11-15", None),
    ("BE", "2014-02-12", Some(320)),
    ("IT", "2014-03-04", None),
    ("SI", "2014-03-20", Some(360)),
    ("LU", "2014-04-09", None),
    ("CY", "2014-04-10", None),
    ("MT", "2014-04-29", None),
    ("ES", "2015-03-31", None),
    ("DE", "2016-10-15", None),
];

/// Dir 2024/1712: (country, day of complete notification or "" for none, day of a partial one or "").
const NOTIFIED_2024: &[(&str, &str, &str)] = &[
    ("NL", "2026-07-01", ""),
    ("SE", "2026-06-30", ""),
    ("FI", "2026-07-10", ""),
    ("LV", "2026-07-14", "2026-05-20"),
    ("CZ", "2026-07-15", ""),
    ("EE", "2026-07-15", ""),
    ("LT", "2026-08-20", ""),
    ("PL", "2026-09-02", "2026-07-09"),
    ("HU", "2026-10-01", ""),
    ("PT", "2026-10-15", ""),
    ("AT", "2026-11-10", "2026-07-30"),
    ("BE", "", "2026-07-13"),
    ("DE", "", "2026-09-18"),
    ("FR", "", "2026-08-27"),
    ("IT", "", "2026-10-22"),
    ("ES", "", "2026-07-28"),
    ("SI", "", "2026-11-03"),
    ("BG", "", ""),
    ("CY", "", ""),
    ("GR", "", ""),
    ("HR", "", ""),
    ("IE", "", ""),
    ("LU", "", ""),
    ("MT", "", ""),
    ("RO", "", ""),
    ("SK", "", ""),
];

/// Findings of the compliance report on Dir 2011/36 (synthetic, in the areas COM(2016) 722 names).
const ASSESSMENTS_2016: &[(&str, &str, &str, &str)] = &[
    ("LV", "14(3)", "partial", "Assistance to the family of a child victim is limited to the child's guardian."),
    ("EE", "13(2)", "non_conformity", "No presumption of childhood where the age is uncertain."),
    ("LT", "11(3)", "partial", "Assistance after the reflection period depends on cooperation."),
    ("PL", "8", "conform", "Prosecutors may decline to prosecute compelled offences."),
    ("BE", "17", "partial", "Access to state compensation needs a conviction."),
    ("FR", "19", "conform", "The national rapporteur was appointed."),
];

fn day(s: &str) -> Result<CalendarDate> {
    Ok(CalendarDate::parse("day", s)?)
}

fn measure(
    instrument: &str,
    country: &str,
    notified_on: &str,
    completes: bool,
    articles: &str,
) -> (String, MeasureInput) {
    let title = if instrument == "DIR_2011_36" {
        format!("Act amending the Criminal Law and the victim support law ({country})")
    } else {
        format!("Act transposing Directive (EU) 2024/1712 ({country})")
    };
    (
        country.to_owned(),
        MeasureInput {
            instrument: instrument.to_owned(),
            articles: articles.to_owned(),
            title,
            reference: format!("Official journal of {country}, {notified_on}"),
            notified_on: notified_on.to_owned(),
            link: format!(
                "https://eur-lex.europa.eu/legal-content/EN/NIM/?uri=CELEX:{}",
                if instrument == "DIR_2011_36" { "32011L0036" } else { "32024L1712" }
            ),
            completes: if completes { "yes" } else { "no" }.to_owned(),
        },
    )
}

fn step(country: &str, instrument: &str, procedure: &str, stage: &str, on: &str) -> InfringementInput {
    InfringementInput {
        country: country.to_owned(),
        instrument: instrument.to_owned(),
        procedure: procedure.to_owned(),
        ground: "non_communication".to_owned(),
        stage: stage.to_owned(),
        decided_on: on.to_owned(),
    }
}

/// The records, those dated after `today` left out.
pub fn records(today: CalendarDate) -> Result<TranspositionImport> {
    let mut import = TranspositionImport::default();
    let past = |s: &str| day(s).map(|d| d <= today);
    for (country, complete, partial_before) in NOTIFIED_2011 {
        if let Some(days) = partial_before {
            let on = day(complete)?.add_days(-days).context("a date out of range")?.to_string();
            if past(&on)? {
                import.measures.push(measure("DIR_2011_36", country, &on, false, "2(1), 2(3), 4(1)"));
            }
        }
        if past(complete)? {
            import.measures.push(measure("DIR_2011_36", country, complete, true, ""));
        }
    }
    for (country, complete, partial) in NOTIFIED_2024 {
        if !partial.is_empty() && past(partial)? {
            import.measures.push(measure("DIR_2024_1712", country, partial, false, "2(3), 18a"));
        }
        if !complete.is_empty() && past(complete)? {
            import.measures.push(measure("DIR_2024_1712", country, complete, true, ""));
        }
    }
    // Letters of formal notice on 30 May 2013 to the states not complete by then; each procedure
    // closed a month after the state notified; a reasoned opinion to the last ones.
    let letter = day("2013-05-30")?;
    for (n, (country, complete, _)) in NOTIFIED_2011.iter().enumerate() {
        let complete = day(complete)?;
        if complete <= letter || *country == "HR" {
            continue;
        }
        let procedure = format!("INFR(2013)0{:03}", 140 + n);
        let mut steps = vec![step(country, "DIR_2011_36", &procedure, "letter_of_formal_notice", "2013-05-30")];
        if complete > day("2014-01-23")? {
            steps.push(step(country, "DIR_2011_36", &procedure, "reasoned_opinion", "2014-01-23"));
        }
        let closed = complete.add_days(30).context("a date out of range")?.to_string();
        steps.push(step(country, "DIR_2011_36", &procedure, "closed", &closed));
        import.steps.extend(steps.into_iter().filter(|s| past(&s.decided_on).unwrap_or(false)));
    }
    for (country, article, finding, note) in ASSESSMENTS_2016 {
        if past("2016-12-02")? {
            import.assessments.push(AssessmentInput {
                country: (*country).to_owned(),
                instrument: "DIR_2011_36".to_owned(),
                article: (*article).to_owned(),
                finding: (*finding).to_owned(),
                assessed_on: "2016-12-02".to_owned(),
                note: (*note).to_owned(),
            });
        }
    }
    // Dir 2024/1712: a letter 40 days before today to each state not complete by then.
    let deadline = day("2026-07-15")?;
    if let Some(on) = today.add_days(-40).filter(|d| *d > deadline) {
        for (n, (country, complete, _)) in NOTIFIED_2024.iter().enumerate() {
            if !complete.is_empty() && day(complete)? <= on {
                continue;
            }
            let procedure = format!("INFR(2026)0{:03}", 210 + n);
            import.steps.push(step(country, "DIR_2024_1712", &procedure, "letter_of_formal_notice", &on.to_string()));
        }
    }
    Ok(import)
}

/// Loads the records once (nothing when the instance holds some). Returns how many were loaded.
pub async fn seed(app: &App, today: CalendarDate) -> Result<usize> {
    if app.store().count_transposition_records().await? > 0 {
        return Ok(0);
    }
    let import = records(today)?;
    Ok(app.import_transposition(Acting::Operator, &import).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use haven_domain::CountryCode;
    use haven_domain::instruments::{Instrument, Instruments};
    use haven_domain::transposition::{NationalMeasure, notification_timeline};

    #[test]
    fn the_2013_dates_match_the_counts_of_the_commission_and_every_record_parses() {
        let today = day("2026-12-06").unwrap();
        let data = Instruments::embedded().unwrap();
        let import = records(today).unwrap();
        let measures: Vec<NationalMeasure> = import
            .measures
            .iter()
            .map(|(c, m)| {
                NationalMeasure::parse("m".into(), CountryCode::parse("c", c).unwrap(), m, &data, today).unwrap()
            })
            .collect();
        let countries: Vec<CountryCode> =
            data.parties_of(Instrument::AntiTraffickingDirective).iter().map(|p| p.country).collect();
        let timeline = notification_timeline(&data, Instrument::AntiTraffickingDirective, &countries, &measures, today);
        let by = |date: &str| {
            let d = day(date).unwrap();
            timeline.iter().rfind(|p| p.date <= d).map(|p| (p.complete, p.any - p.complete)).unwrap()
        };
        // research/legal.md §7.1: 6 complete and 3 partial by 15 April 2013; 9 and 4 by 14 June;
        // 18 and 2 by 17 October.
        assert_eq!(by("2013-04-15"), (6, 3));
        assert_eq!(by("2013-06-14"), (9, 4));
        assert_eq!(by("2013-10-17"), (18, 2));
        assert_eq!(by("2016-10-15").0, 27);
        // Replies to the 2026 letters fall due within the dashboard's 90 days.
        assert!(import.steps.iter().any(|s| s.instrument == "DIR_2024_1712"));
        // Nothing is dated after an earlier today.
        let early = records(day("2026-07-14").unwrap()).unwrap();
        assert!(early.measures.iter().all(|(_, m)| m.notified_on.as_str() <= "2026-07-14"));
        assert!(!early.steps.iter().any(|s| s.instrument == "DIR_2024_1712"));
    }
}
