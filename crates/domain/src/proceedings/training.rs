//! Training records (Dir 2011/36 Art 18(3) and Art 9(3)): trainings given to police officers,
//! prosecutors, judges, labour inspectors and others likely to come into contact with victims,
//! counted for the national rapporteur's reports. A record holds counts, never the attendees'
//! names.

use super::past_date;
use crate::text::parse_line;
use crate::{Coded, CountryCode, Message, MessageId, ParseError, case::CalendarDate, coded_enum};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The provisions the records serve.
pub const ARTICLES: &str = "Dir 2011/36 Art 18(3); Dir 2011/36 Art 9(3)";

/// The most hours one training is recorded with.
pub const MAX_HOURS: u32 = 2_000;
/// The most attendees of one audience at one training.
pub const MAX_ATTENDEES: u32 = 100_000;

coded_enum! {
    /// Who a training was given to.
    pub enum Audience {
        Police => "police",
        Prosecutors => "prosecutors",
        Judges => "judges",
        LabourInspectors => "labour_inspectors",
        BorderGuards => "border_guards",
        /// Social workers, health staff, NGO staff, consular staff and others.
        Others => "others",
    }
}

/// The attendees of one audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub audience: Audience,
    pub attendees: u32,
}

/// A training given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Training {
    pub id: String,
    pub country: CountryCode,
    pub title: String,
    /// The organisation or body that organised it.
    pub organiser: String,
    pub starts_on: CalendarDate,
    pub ends_on: CalendarDate,
    /// Its length in hours (for every attendee).
    pub hours: u32,
    /// The attendees by audience, each audience once.
    pub attendance: Vec<Attendance>,
}

/// One audience's attendees as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct AttendanceInput {
    pub audience: String,
    pub attendees: String,
}

/// A training as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct TrainingInput {
    pub title: String,
    pub organiser: String,
    pub starts_on: String,
    pub ends_on: String,
    pub hours: String,
    pub attendance: Vec<AttendanceInput>,
}

fn whole_number(field: &str, value: &str, max: u32) -> Result<u32, ParseError> {
    value.trim().parse::<u32>().ok().filter(|n| (1..=max).contains(n)).ok_or_else(|| {
        ParseError::said(
            field,
            format!("must be a whole number from 1 to {max}"),
            Message::new(MessageId::ProceedingsTrainingNumber).with("max", max),
        )
    })
}

impl Training {
    /// Parses a training of `country`: at least one audience, each once, with its attendees; a
    /// length in hours; dates in order, not after `today`.
    pub fn parse(
        id: String,
        country: CountryCode,
        input: &TrainingInput,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        let title = parse_line("title", &input.title, 300)?;
        let organiser = parse_line("organiser", &input.organiser, 200)?;
        let starts_on = past_date("starts_on", &input.starts_on, today)?;
        let ends_on =
            if input.ends_on.trim().is_empty() { starts_on } else { past_date("ends_on", &input.ends_on, today)? };
        super::not_before("ends_on", ends_on, starts_on)?;
        let hours = whole_number("hours", &input.hours, MAX_HOURS)?;
        let mut attendance: Vec<Attendance> = Vec::new();
        for (i, a) in input.attendance.iter().enumerate().filter(|(_, a)| !a.audience.trim().is_empty()) {
            let audience = Audience::parse_code(&format!("attendance[{i}].audience"), a.audience.trim())?;
            if attendance.iter().any(|x| x.audience == audience) {
                return Err(ParseError::said(
                    format!("attendance[{i}].audience"),
                    "each audience once",
                    Message::new(MessageId::ProceedingsTrainingAudienceTwice),
                ));
            }
            let attendees = whole_number(&format!("attendance[{i}].attendees"), &a.attendees, MAX_ATTENDEES)?;
            attendance.push(Attendance { audience, attendees });
        }
        if attendance.is_empty() {
            return Err(ParseError::said(
                "attendance",
                "a training names at least one audience with its attendees",
                Message::new(MessageId::ProceedingsTrainingNoAudience),
            ));
        }
        Ok(Self { id, country, title, organiser, starts_on, ends_on, hours, attendance })
    }
}

/// One row of the rapporteur's summary: a year (of the first day of the training) and an
/// audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingSummaryRow {
    pub year: u16,
    pub audience: Audience,
    /// Trainings with this audience (sessions).
    pub trainings: u32,
    /// Their hours, each training once.
    pub hours: u64,
    pub attendees: u64,
    /// Attendees times hours.
    pub attendee_hours: u64,
}

/// Trainings counted per year and audience, by year then audience.
pub fn summary(trainings: &[Training]) -> Vec<TrainingSummaryRow> {
    let mut rows: BTreeMap<(u16, Audience), TrainingSummaryRow> = BTreeMap::new();
    for t in trainings {
        for a in &t.attendance {
            let row = rows.entry((t.starts_on.year, a.audience)).or_insert(TrainingSummaryRow {
                year: t.starts_on.year,
                audience: a.audience,
                trainings: 0,
                hours: 0,
                attendees: 0,
                attendee_hours: 0,
            });
            row.trainings += 1;
            row.hours += u64::from(t.hours);
            row.attendees += u64::from(a.attendees);
            row.attendee_hours += u64::from(a.attendees) * u64::from(t.hours);
        }
    }
    rows.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proceedings::tests::{date, lv};

    fn input(starts: &str, attendance: &[(&str, &str)]) -> TrainingInput {
        TrainingInput {
            title: "Identifying victims of labour exploitation".into(),
            organiser: "State Police College".into(),
            starts_on: starts.into(),
            ends_on: String::new(),
            hours: "8".into(),
            attendance: attendance
                .iter()
                .map(|(a, n)| AttendanceInput { audience: (*a).into(), attendees: (*n).into() })
                .collect(),
        }
    }

    #[test]
    fn art_18_3_dir_trainings_are_counted_per_year_and_audience() {
        let t = |id: &str, starts: &str, att: &[(&str, &str)]| {
            Training::parse(id.into(), lv(), &input(starts, att), date("2026-09-21")).unwrap()
        };
        let trainings = vec![
            t("a", "2025-03-01", &[("police", "20"), ("labour_inspectors", "5")]),
            t("b", "2025-10-01", &[("police", "10")]),
            t("c", "2026-02-01", &[("judges", "12")]),
        ];
        let rows = summary(&trainings);
        assert_eq!(
            rows.iter()
                .map(|r| (r.year, r.audience, r.trainings, r.hours, r.attendees, r.attendee_hours))
                .collect::<Vec<_>>(),
            vec![
                (2025, Audience::Police, 2, 16, 30, 240),
                (2025, Audience::LabourInspectors, 1, 8, 5, 40),
                (2026, Audience::Judges, 1, 8, 12, 96),
            ]
        );
    }

    #[test]
    fn art_9_3_dir_a_training_names_its_audience_and_bad_input_names_its_field() {
        let parse = |i: &TrainingInput| Training::parse("t".into(), lv(), i, date("2026-09-21")).map_err(|e| e.field);
        assert_eq!(parse(&input("2026-03-01", &[])), Err("attendance".into()));
        assert_eq!(
            parse(&input("2026-03-01", &[("police", "3"), ("police", "4")])),
            Err("attendance[1].audience".into())
        );
        assert_eq!(parse(&input("2026-03-01", &[("priests", "3")])), Err("attendance[0].audience".into()));
        assert_eq!(parse(&input("2026-03-01", &[("police", "0")])), Err("attendance[0].attendees".into()));
        assert_eq!(parse(&input("2026-12-01", &[("police", "3")])), Err("starts_on".into()));
        let mut i = input("2026-03-01", &[("prosecutors", "3")]);
        i.hours = "a day".into();
        assert_eq!(parse(&i), Err("hours".into()));
        i.hours = "6".into();
        i.ends_on = "2026-02-01".into();
        assert_eq!(parse(&i), Err("ends_on".into()));
        i.ends_on = "2026-03-02".into();
        assert!(parse(&i).is_ok());
    }
}
