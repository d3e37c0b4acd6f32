//! Protection of victims in criminal investigations and proceedings: adults (Dir 2011/36
//! Art 12(4); CETS 197 Arts 28 and 30, with Dir 2012/29 Arts 20 and 23) and children (Dir 2011/36
//! Art 15(3)-(5)).
//!
//! The catalogue of measures with their articles is [`CATALOGUE`], defined once: which measures
//! apply to an adult and which to a child, and under which article. For each victim linked to
//! an investigation, each measure is recorded as applied, not applicable (with reasons) or
//! refused by the victim, dated ([`ProtectionRecord`]). [`review`] gives the measures that apply
//! to the victim and flags the ones with no record.
//!
//! Who is a child is decided where the identification module decides it
//! ([`crate::ident::age::age_status`], [`crate::ident::record::ChildStatus`]): under 18 on a
//! verified date of birth, or presumed a child while the age is uncertain (Dir 2011/36 Art 13(2);
//! CETS 197 Art 10(3)). The caller passes that status, on the day of the review.
//!
//! No rule here reads the clock: `today` is passed in.

use super::{not_before, past_date};
use crate::ident::record::ChildStatus;
use crate::text::{Narrative, parse_line};
use crate::{Coded, Message, MessageId, ParseError, case::CalendarDate, coded_enum};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// A measure protecting a victim in criminal investigations and proceedings.
    pub enum ProtectionMeasure {
        /// Interviews held without unjustified delay after the facts were reported.
        InterviewWithoutDelay => "interview_without_delay",
        /// As few interviews as possible, only where strictly necessary; no unnecessary
        /// repetition.
        FewInterviews => "few_interviews",
        /// All interviews by the same persons.
        SameInterviewers => "same_interviewers",
        /// Interviews by or through professionals trained for the purpose.
        TrainedInterviewers => "trained_interviewers",
        /// Interviews in premises designed or adapted for the purpose.
        AdaptedPremises => "adapted_premises",
        /// The child accompanied by the representative or an adult of the child's choice.
        Representative => "representative",
        /// Interviews recorded audio-visually, the recording usable as evidence.
        RecordedInterviews => "recorded_interviews",
        /// No visual contact with the defendant, including when giving evidence.
        NoVisualContact => "no_visual_contact",
        /// The hearing without the public (evidence not given in open court).
        HearingWithoutPublic => "hearing_without_public",
        /// No questions on the victim's private life without need.
        NoPrivateLifeQuestions => "no_private_life_questions",
        /// Protection from retaliation and intimidation during and after the proceedings.
        ProtectionFromIntimidation => "protection_from_intimidation",
    }
}

/// One measure of the catalogue: the article that asks for it for an adult victim (`None`
/// where the law asks for it only for children) and for a child victim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MeasureRule {
    pub measure: ProtectionMeasure,
    pub adult: Option<&'static str>,
    pub child: &'static str,
}

/// The measures and their articles, in the order they are shown. A child victim has every
/// measure (Art 15 adds to Art 12: Dir 2011/36 Art 15(1) "in addition to the rights set out
/// in Article 12"); an adult those with an adult article.
pub const CATALOGUE: [MeasureRule; 11] = [
    MeasureRule {
        measure: ProtectionMeasure::InterviewWithoutDelay,
        adult: Some("Dir 2012/29 Art 20(a); Dir 2011/36 Art 12(4)"),
        child: "Dir 2011/36 Art 15(3)(a)",
    },
    MeasureRule {
        measure: ProtectionMeasure::FewInterviews,
        adult: Some("Dir 2011/36 Art 12(4)(a)"),
        child: "Dir 2011/36 Art 15(3)(e)",
    },
    MeasureRule {
        measure: ProtectionMeasure::SameInterviewers,
        adult: Some("Dir 2012/29 Art 23(2)(c); Dir 2011/36 Art 12(4)"),
        child: "Dir 2011/36 Art 15(3)(d)",
    },
    MeasureRule {
        measure: ProtectionMeasure::TrainedInterviewers,
        adult: Some("Dir 2012/29 Art 23(2)(b); Dir 2011/36 Art 12(4)"),
        child: "Dir 2011/36 Art 15(3)(c)",
    },
    MeasureRule { measure: ProtectionMeasure::AdaptedPremises, adult: None, child: "Dir 2011/36 Art 15(3)(b)" },
    MeasureRule { measure: ProtectionMeasure::Representative, adult: None, child: "Dir 2011/36 Art 15(3)(f)" },
    MeasureRule {
        measure: ProtectionMeasure::RecordedInterviews,
        adult: Some("CETS 197 Art 30"),
        child: "Dir 2011/36 Art 15(4)",
    },
    MeasureRule {
        measure: ProtectionMeasure::NoVisualContact,
        adult: Some("Dir 2011/36 Art 12(4)(b); CETS 197 Art 30"),
        child: "Dir 2011/36 Art 15(5)(a)",
    },
    MeasureRule {
        measure: ProtectionMeasure::HearingWithoutPublic,
        adult: Some("Dir 2011/36 Art 12(4)(c); CETS 197 Art 30"),
        child: "Dir 2011/36 Art 15(5)(b)",
    },
    MeasureRule {
        measure: ProtectionMeasure::NoPrivateLifeQuestions,
        adult: Some("Dir 2011/36 Art 12(4)(d); CETS 197 Art 30"),
        child: "Dir 2011/36 Art 12(4)(d)",
    },
    MeasureRule {
        measure: ProtectionMeasure::ProtectionFromIntimidation,
        adult: Some("CETS 197 Art 28"),
        child: "CETS 197 Art 28(3)",
    },
];

impl ProtectionMeasure {
    fn rule(self) -> Option<&'static MeasureRule> {
        CATALOGUE.iter().find(|r| r.measure == self)
    }

    /// The article that asks for the measure for a child or an adult victim; `None` when it
    /// does not apply to an adult.
    pub fn article(self, child: bool) -> Option<&'static str> {
        let rule = self.rule()?;
        if child { Some(rule.child) } else { rule.adult }
    }
}

/// The measures that apply to a victim, with their articles, in catalogue order.
pub fn measures_for(child: bool) -> Vec<(ProtectionMeasure, &'static str)> {
    CATALOGUE.iter().filter_map(|r| r.measure.article(child).map(|a| (r.measure, a))).collect()
}

coded_enum! {
    /// What became of a measure.
    pub enum MeasureStatus {
        Applied => "applied",
        /// Not applicable in this case, with the reasons (an individual assessment: Dir 2011/36
        /// Art 12(4) "according to an individual assessment ... of the personal circumstances").
        NotApplicable => "not_applicable",
        /// The victim did not want it.
        RefusedByVictim => "refused_by_victim",
    }
}

/// A measure recorded for one victim of one investigation. Records are kept; a later record of
/// the same measure is the one that counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtectionRecord {
    pub id: String,
    pub investigation_id: String,
    /// The victim's case in identification (a link).
    pub case_id: String,
    pub measure: ProtectionMeasure,
    pub status: MeasureStatus,
    /// When it was applied, found not applicable or refused.
    pub on: CalendarDate,
    /// Why it is not applicable (required then), or what the victim said.
    pub reasons: Option<Narrative>,
    pub recorded_by: String,
}

/// A measure as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ProtectionInput {
    pub case_id: String,
    pub measure: String,
    pub status: String,
    pub on: String,
    pub reasons: String,
}

impl ProtectionRecord {
    /// Parses a record for the victim `case_id` of an investigation opened on `opened_on`.
    /// "Not applicable" needs its reasons; the date lies between the opening and `today` (a
    /// measure may come before the victim's case was linked in Haven).
    pub fn parse(
        id: String,
        investigation_id: &str,
        input: &ProtectionInput,
        opened_on: CalendarDate,
        recorded_by: &str,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        let case_id = parse_line("case_id", &input.case_id, 100)?;
        let measure = ProtectionMeasure::parse_code("measure", input.measure.trim())?;
        let status = MeasureStatus::parse_code("status", input.status.trim())?;
        let on = past_date("on", &input.on, today)?;
        not_before("on", on, opened_on)?;
        let reasons =
            if input.reasons.trim().is_empty() { None } else { Some(Narrative::parse("reasons", &input.reasons)?) };
        if status == MeasureStatus::NotApplicable && reasons.is_none() {
            return Err(ParseError::said(
                "reasons",
                "a measure found not applicable names the reasons",
                Message::new(MessageId::ProceedingsMeasureNeedsReasons),
            ));
        }
        Ok(Self {
            id,
            investigation_id: investigation_id.to_owned(),
            case_id,
            measure,
            status,
            on,
            reasons,
            recorded_by: recorded_by.to_owned(),
        })
    }
}

/// One measure that applies to the victim, with its article and its latest record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureState {
    pub measure: ProtectionMeasure,
    pub article: &'static str,
    pub latest: Option<ProtectionRecord>,
}

/// A measure that applies and has no record: flagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingMeasure {
    pub measure: ProtectionMeasure,
    pub article: &'static str,
    pub message: Message,
}

/// What [`review`] gives for one victim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProtectionReview {
    pub case_id: String,
    pub child_status: ChildStatus,
    /// Every measure that applies, in catalogue order.
    pub measures: Vec<MeasureState>,
    /// The measures that apply and are not recorded.
    pub missing: Vec<MissingMeasure>,
    /// Records of measures that do not apply to the victim as the age now stands (a child
    /// measure recorded before the victim turned 18): kept and shown, never flagged.
    pub other_records: Vec<ProtectionRecord>,
}

/// The measures that apply to the victim of `case_id` (a child's measures when `child_status`
/// is a child or a presumed child), each with its latest record (the latest date, then the
/// later in `records`), and the ones not recorded.
pub fn review(case_id: &str, child_status: ChildStatus, records: &[ProtectionRecord]) -> ProtectionReview {
    let child = child_status.is_child();
    let mine: Vec<&ProtectionRecord> = records.iter().filter(|r| r.case_id == case_id).collect();
    let latest = |m: ProtectionMeasure| {
        mine.iter()
            .filter(|r| r.measure == m)
            .fold(None::<&ProtectionRecord>, |best, r| match best {
                Some(b) if b.on > r.on => Some(b),
                _ => Some(r),
            })
            .cloned()
    };
    let measures: Vec<MeasureState> = measures_for(child)
        .into_iter()
        .map(|(measure, article)| MeasureState { measure, article, latest: latest(measure) })
        .collect();
    let missing = measures
        .iter()
        .filter(|m| m.latest.is_none())
        .map(|m| MissingMeasure {
            measure: m.measure,
            article: m.article,
            message: Message::new(MessageId::ProceedingsMeasureMissing)
                .labels("measure", "protection-measure", [m.measure.code()])
                .with("article", m.article),
        })
        .collect();
    let other_records = mine.iter().filter(|r| r.measure.article(child).is_none()).map(|r| (*r).clone()).collect();
    ProtectionReview { case_id: case_id.to_owned(), child_status, measures, missing, other_records }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proceedings::tests::date;

    fn input(measure: &str, status: &str, on: &str, reasons: &str) -> ProtectionInput {
        ProtectionInput {
            case_id: "case-1".into(),
            measure: measure.into(),
            status: status.into(),
            on: on.into(),
            reasons: reasons.into(),
        }
    }

    fn record(measure: &str, status: &str, on: &str) -> ProtectionRecord {
        ProtectionRecord::parse(
            format!("{measure}-{on}"),
            "inv-1",
            &input(measure, status, on, "The victim chose so."),
            date("2026-03-01"),
            "officer",
            date("2026-09-21"),
        )
        .unwrap()
    }

    #[test]
    fn the_catalogue_names_every_measure_once_with_its_articles() {
        for m in ProtectionMeasure::ALL {
            assert_eq!(CATALOGUE.iter().filter(|r| r.measure == *m).count(), 1, "{m}");
            assert!(m.article(true).is_some(), "every measure protects a child: {m}");
        }
        assert_eq!(measures_for(true).len(), CATALOGUE.len());
        let adult: Vec<_> = measures_for(false).into_iter().map(|(m, _)| m).collect();
        assert!(
            !adult.contains(&ProtectionMeasure::AdaptedPremises) && !adult.contains(&ProtectionMeasure::Representative)
        );
    }

    #[test]
    fn art_12_4_dir_an_adult_victims_measures_are_recorded_and_the_missing_ones_flagged() {
        let records = vec![
            record("few_interviews", "applied", "2026-04-01"),
            record("no_visual_contact", "refused_by_victim", "2026-04-02"),
            record("hearing_without_public", "not_applicable", "2026-04-03"),
        ];
        let r = review("case-1", ChildStatus::Adult, &records);
        assert_eq!(r.measures.len(), 9);
        let art = |m| r.measures.iter().find(|s| s.measure == m).map(|s| s.article);
        assert_eq!(art(ProtectionMeasure::FewInterviews), Some("Dir 2011/36 Art 12(4)(a)"));
        assert_eq!(art(ProtectionMeasure::NoVisualContact), Some("Dir 2011/36 Art 12(4)(b); CETS 197 Art 30"));
        assert_eq!(art(ProtectionMeasure::HearingWithoutPublic), Some("Dir 2011/36 Art 12(4)(c); CETS 197 Art 30"));
        assert_eq!(art(ProtectionMeasure::NoPrivateLifeQuestions), Some("Dir 2011/36 Art 12(4)(d); CETS 197 Art 30"));
        assert_eq!(art(ProtectionMeasure::ProtectionFromIntimidation), Some("CETS 197 Art 28"));
        let missing: Vec<_> = r.missing.iter().map(|m| m.measure).collect();
        assert_eq!(missing.len(), 6, "refused and not applicable count as recorded");
        assert!(missing.contains(&ProtectionMeasure::NoPrivateLifeQuestions));
        assert!(!missing.contains(&ProtectionMeasure::NoVisualContact));
        assert_eq!(r.missing[0].message.id, MessageId::ProceedingsMeasureMissing);
        // Another victim's records do not count for this one.
        assert_eq!(review("case-2", ChildStatus::Adult, &records).missing.len(), 9);
    }

    #[test]
    fn art_12_4_dir_not_applicable_names_its_reasons_and_bad_input_names_its_field() {
        let parse = |i: &ProtectionInput| {
            ProtectionRecord::parse("p".into(), "inv-1", i, date("2026-03-01"), "officer", date("2026-09-21"))
        };
        let e = parse(&input("hearing_without_public", "not_applicable", "2026-04-01", "")).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.problem.map(|m| m.id)),
            ("reasons", Some(MessageId::ProceedingsMeasureNeedsReasons))
        );
        assert!(parse(&input("hearing_without_public", "refused_by_victim", "2026-04-01", "")).is_ok());
        assert_eq!(parse(&input("lie_detector", "applied", "2026-04-01", "")).unwrap_err().field, "measure");
        assert_eq!(parse(&input("few_interviews", "maybe", "2026-04-01", "")).unwrap_err().field, "status");
        assert_eq!(
            parse(&input("few_interviews", "applied", "2026-02-01", "")).unwrap_err().field,
            "on",
            "before the link"
        );
        assert_eq!(parse(&input("few_interviews", "applied", "2026-12-01", "")).unwrap_err().field, "on", "future");
    }

    #[test]
    fn art_15_3_dir_a_child_victim_has_every_measure_and_the_latest_record_counts() {
        let records = vec![
            record("adapted_premises", "applied", "2026-05-01"),
            record("representative", "applied", "2026-04-01"),
            record("recorded_interviews", "refused_by_victim", "2026-04-01"),
            record("recorded_interviews", "applied", "2026-05-01"),
        ];
        for status in [ChildStatus::Child, ChildStatus::PresumedChild] {
            let r = review("case-1", status, &records);
            assert_eq!(r.measures.len(), CATALOGUE.len(), "{status}");
            let state = |m| r.measures.iter().find(|s| s.measure == m).unwrap();
            assert_eq!(state(ProtectionMeasure::AdaptedPremises).article, "Dir 2011/36 Art 15(3)(b)");
            assert_eq!(state(ProtectionMeasure::SameInterviewers).article, "Dir 2011/36 Art 15(3)(d)");
            assert_eq!(state(ProtectionMeasure::RecordedInterviews).article, "Dir 2011/36 Art 15(4)");
            assert_eq!(
                state(ProtectionMeasure::RecordedInterviews).latest.as_ref().map(|r| r.status),
                Some(MeasureStatus::Applied),
                "the later record"
            );
            assert_eq!(r.missing.len(), CATALOGUE.len() - 3);
            assert!(r.other_records.is_empty());
        }
        // The same records once the victim is an adult: the child's measures are kept aside,
        // never flagged.
        let r = review("case-1", ChildStatus::Adult, &records);
        assert_eq!(r.other_records.len(), 2);
        assert!(r.missing.iter().all(|m| m.measure.article(false).is_some()));
    }
}
