//! GRETA's evaluations of a country (CETS 197 Art 38): rounds, their recommendations and the
//! authorities' follow-up of each.
//!
//! GRETA evaluates each Party in rounds (the 1st launched in February 2010, the 2nd on 15 May
//! 2014, the 3rd on 20 November 2018, the 4th's questionnaire adopted on 30 June 2023): a
//! questionnaire, a country visit, a report published with its conclusions. A report's
//! recommendations are worded with a verb that says how strongly GRETA asks: it *urges* (the
//! strongest, where a provision is not complied with), *considers* that the authorities should,
//! or *invites* them to. [`strength_of_wording`] reads that verb; a person may override it.

use crate::case::CalendarDate;
use crate::text::parse_line;
use crate::{Coded, CountryCode, Message, MessageId, ParseError, coded_enum};
use serde::{Deserialize, Serialize};

/// The provision the evaluations rest on.
pub const ARTICLES: &str = "CETS 197 Art 38";
/// The highest round number accepted (the 4th round runs from 2023).
pub const MAX_ROUND: u8 = 9;
/// The longest wording of a recommendation, and of a follow-up.
pub const MAX_TEXT: usize = 5_000;

coded_enum! {
    /// How strongly GRETA words a recommendation, strongest first.
    pub enum Strength {
        Urges => "urges",
        Considers => "considers",
        Invites => "invites",
    }
}

coded_enum! {
    /// Where the authorities' follow-up of a recommendation stands.
    pub enum FollowUpStatus {
        Planned => "planned",
        InProgress => "in_progress",
        PartlyImplemented => "partly_implemented",
        Implemented => "implemented",
        NotImplemented => "not_implemented",
    }
}

/// The strength the wording's verb gives: the first of "urge(s/d)", "consider(s/ed)",
/// "invite(s/d)" in it, as a word; `None` when it has none of them.
pub fn strength_of_wording(wording: &str) -> Option<Strength> {
    wording.split(|c: char| !c.is_alphabetic()).find_map(|word| match word.to_lowercase().as_str() {
        "urge" | "urges" | "urged" => Some(Strength::Urges),
        "consider" | "considers" | "considered" => Some(Strength::Considers),
        "invite" | "invites" | "invited" => Some(Strength::Invites),
        _ => None,
    })
}

/// An evaluation round of a country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationRound {
    pub id: String,
    pub country: CountryCode,
    pub round: u8,
    pub questionnaire_sent_on: Option<CalendarDate>,
    pub visit_from: Option<CalendarDate>,
    pub visit_until: Option<CalendarDate>,
    pub report_published_on: Option<CalendarDate>,
    /// The report's address.
    pub report_link: String,
}

/// A recommendation of a round's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    pub id: String,
    pub round_id: String,
    pub country: CountryCode,
    /// Its paragraph or number in the report (may be empty).
    pub paragraph: String,
    pub wording: String,
    pub strength: Strength,
    /// What the wording's verb gives, when a person chose another strength.
    pub strength_read: Option<Strength>,
    /// Demonstration data (paraphrased wording), not a real recommendation.
    pub demo: bool,
}

impl Recommendation {
    /// Whether a person chose the strength instead of the wording's verb.
    pub fn overridden(&self) -> bool {
        self.strength_read.is_some() || strength_of_wording(&self.wording).is_none()
    }
}

/// The authorities' follow-up of a recommendation on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: String,
    pub recommendation_id: String,
    pub on: CalendarDate,
    pub text: String,
    pub status: FollowUpStatus,
}

/// A round as typed (dates empty: not yet).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RoundInput {
    pub round: String,
    pub questionnaire_sent_on: String,
    pub visit_from: String,
    pub visit_until: String,
    pub report_published_on: String,
    pub report_link: String,
}

/// A recommendation as typed: the strength empty to read it from the wording.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RecommendationInput {
    pub paragraph: String,
    pub wording: String,
    pub strength: String,
    pub demo: bool,
}

/// A follow-up as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct FollowUpInput {
    pub on: String,
    pub text: String,
    pub status: String,
}

fn optional_date(field: &str, value: &str) -> Result<Option<CalendarDate>, ParseError> {
    match value.trim() {
        "" => Ok(None),
        day => CalendarDate::parse(field, day).map(Some),
    }
}

fn not_before(field: &str, date: Option<CalendarDate>, earliest: Option<CalendarDate>) -> Result<(), ParseError> {
    match (date, earliest) {
        (Some(date), Some(earliest)) if date < earliest => Err(ParseError::said(
            field,
            format!("must not be before {earliest}"),
            Message::new(MessageId::GretaNotBefore).with("date", earliest),
        )),
        _ => Ok(()),
    }
}

fn text(field: &str, value: &str) -> Result<String, ParseError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ParseError::empty(field));
    }
    if trimmed.chars().count() > MAX_TEXT {
        return Err(ParseError::too_long(field, MAX_TEXT));
    }
    if trimmed.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(ParseError::control_characters(field));
    }
    Ok(trimmed.to_owned())
}

impl EvaluationRound {
    /// Parses a round of `country`: its number, and its dates in order (questionnaire, visit,
    /// report), each optional; the report's address, if given, an `http(s)://` one.
    pub fn parse(
        id: String,
        country: CountryCode,
        input: &RoundInput,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        let round = input.round.trim().parse::<u8>().ok().filter(|n| (1..=MAX_ROUND).contains(n)).ok_or_else(|| {
            ParseError::said(
                "round",
                format!("a round number from 1 to {MAX_ROUND}"),
                Message::new(MessageId::GretaRoundNumber).with("max", MAX_ROUND),
            )
        })?;
        let questionnaire_sent_on = optional_date("questionnaire_sent_on", &input.questionnaire_sent_on)?;
        let visit_from = optional_date("visit_from", &input.visit_from)?;
        let visit_until = optional_date("visit_until", &input.visit_until)?;
        let report_published_on = optional_date("report_published_on", &input.report_published_on)?;
        if visit_until.is_some() && visit_from.is_none() {
            return Err(ParseError::empty("visit_from"));
        }
        not_before("visit_from", visit_from, questionnaire_sent_on)?;
        not_before("visit_until", visit_until, visit_from)?;
        not_before("report_published_on", report_published_on, visit_until.or(visit_from).or(questionnaire_sent_on))?;
        if let Some(published) = report_published_on.filter(|d| *d > today) {
            return Err(ParseError::in_future("report_published_on", published, today));
        }
        let link = input.report_link.trim();
        let report_link = if link.is_empty() {
            String::new()
        } else {
            let link = parse_line("report_link", link, 500)?;
            if !(link.starts_with("https://") || link.starts_with("http://")) || link.contains(char::is_whitespace) {
                return Err(ParseError::said(
                    "report_link",
                    "an address starting with https://",
                    Message::new(MessageId::GretaAddress),
                ));
            }
            link
        };
        Ok(Self {
            id,
            country,
            round,
            questionnaire_sent_on,
            visit_from,
            visit_until,
            report_published_on,
            report_link,
        })
    }
}

impl Recommendation {
    /// Parses a recommendation of `round`: its strength read from the wording's verb unless one
    /// is chosen; a wording without any of the verbs needs one chosen.
    pub fn parse(id: String, round: &EvaluationRound, input: &RecommendationInput) -> Result<Self, ParseError> {
        let paragraph = input.paragraph.trim();
        let paragraph = if paragraph.is_empty() { String::new() } else { parse_line("paragraph", paragraph, 40)? };
        let wording = text("wording", &input.wording)?;
        let read = strength_of_wording(&wording);
        let strength = match (input.strength.trim(), read) {
            ("", Some(read)) => read,
            ("", None) => {
                return Err(ParseError::said(
                    "strength",
                    "the wording has none of urges, considers, invites: choose the strength",
                    Message::new(MessageId::GretaStrengthNotRead),
                ));
            }
            (chosen, _) => Strength::parse_code("strength", chosen)?,
        };
        Ok(Self {
            id,
            round_id: round.id.clone(),
            country: round.country,
            paragraph,
            wording,
            strength,
            strength_read: read.filter(|r| *r != strength),
            demo: input.demo,
        })
    }
}

impl FollowUp {
    /// Parses a follow-up of a recommendation: its day (not after `today`), text and status.
    pub fn parse(
        id: String,
        recommendation_id: &str,
        input: &FollowUpInput,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        let on = CalendarDate::parse("on", input.on.trim())?;
        if on > today {
            return Err(ParseError::in_future("on", on, today));
        }
        let text = text("text", &input.text)?;
        let status = FollowUpStatus::parse_code("status", input.status.trim())?;
        Ok(Self { id, recommendation_id: recommendation_id.to_owned(), on, text, status })
    }
}

/// The recommendations no follow-up names, in their order.
pub fn without_follow_up<'a>(
    recommendations: &'a [Recommendation],
    follow_ups: &[FollowUp],
) -> Vec<&'a Recommendation> {
    recommendations.iter().filter(|r| !follow_ups.iter().any(|f| f.recommendation_id == r.id)).collect()
}

/// The latest follow-up of a recommendation (by day, then as recorded).
pub fn latest_follow_up<'a>(recommendation_id: &str, follow_ups: &'a [FollowUp]) -> Option<&'a FollowUp> {
    follow_ups.iter().filter(|f| f.recommendation_id == recommendation_id).max_by_key(|f| f.on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::{prop, prop_assert_eq, proptest};

    fn date(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn lv() -> CountryCode {
        CountryCode::parse("c", "LV").unwrap()
    }

    fn round() -> EvaluationRound {
        let input = RoundInput {
            round: "3".into(),
            questionnaire_sent_on: "2019-02-01".into(),
            visit_from: "2019-10-07".into(),
            visit_until: "2019-10-11".into(),
            report_published_on: "2020-06-01".into(),
            report_link: "https://rm.coe.int/greta-2020-lv".into(),
        };
        EvaluationRound::parse("r".into(), lv(), &input, date("2026-12-06")).unwrap()
    }

    #[test]
    fn art_38_cets_197_the_strength_is_read_from_the_wordings_verb() {
        assert_eq!(strength_of_wording("GRETA urges the Latvian authorities to ..."), Some(Strength::Urges));
        assert_eq!(strength_of_wording("GRETA strongly urged them"), Some(Strength::Urges));
        assert_eq!(strength_of_wording("GRETA considers that the authorities should"), Some(Strength::Considers));
        assert_eq!(strength_of_wording("GRETA INVITES the authorities"), Some(Strength::Invites));
        // the first verb counts
        assert_eq!(strength_of_wording("GRETA invites ... and considers"), Some(Strength::Invites));
        // a word that only contains a verb does not count
        assert_eq!(strength_of_wording("Reconsideration of urgent cases"), None);
        assert_eq!(strength_of_wording("The authorities should"), None);
    }

    #[test]
    fn a_chosen_strength_overrides_the_wording_and_a_wording_without_a_verb_needs_one() {
        let r = round();
        let input = |wording: &str, strength: &str| RecommendationInput {
            paragraph: "12".into(),
            wording: wording.into(),
            strength: strength.into(),
            demo: true,
        };
        let read = Recommendation::parse("a".into(), &r, &input("GRETA urges the authorities to act", "")).unwrap();
        assert_eq!((read.strength, read.strength_read, read.overridden()), (Strength::Urges, None, false));
        let chosen =
            Recommendation::parse("b".into(), &r, &input("GRETA urges the authorities to act", "invites")).unwrap();
        assert_eq!(
            (chosen.strength, chosen.strength_read, chosen.overridden()),
            (Strength::Invites, Some(Strength::Urges), true)
        );
        let none = Recommendation::parse("c".into(), &r, &input("The authorities should act", ""));
        assert_eq!(none.unwrap_err().field, "strength");
        let given = Recommendation::parse("d".into(), &r, &input("The authorities should act", "considers")).unwrap();
        assert_eq!((given.strength, given.overridden()), (Strength::Considers, true));
        assert_eq!(Recommendation::parse("e".into(), &r, &input("x", "strongly")).unwrap_err().field, "strength");
        assert_eq!(Recommendation::parse("e".into(), &r, &input(" ", "")).unwrap_err().field, "wording");
    }

    #[test]
    fn a_rounds_dates_are_in_order_and_its_report_not_in_the_future() {
        let base = RoundInput { round: "2".into(), ..RoundInput::default() };
        let today = date("2026-12-06");
        assert!(EvaluationRound::parse("r".into(), lv(), &base, today).is_ok());
        let zero = RoundInput { round: "0".into(), ..base.clone() };
        assert_eq!(EvaluationRound::parse("r".into(), lv(), &zero, today).unwrap_err().field, "round");
        let backwards =
            RoundInput { visit_from: "2015-05-10".into(), visit_until: "2015-05-01".into(), ..base.clone() };
        assert_eq!(EvaluationRound::parse("r".into(), lv(), &backwards, today).unwrap_err().field, "visit_until");
        let early = RoundInput {
            questionnaire_sent_on: "2015-05-10".into(),
            report_published_on: "2015-05-01".into(),
            ..base.clone()
        };
        assert_eq!(EvaluationRound::parse("r".into(), lv(), &early, today).unwrap_err().field, "report_published_on");
        let future = RoundInput { report_published_on: "2027-01-01".into(), ..base.clone() };
        assert_eq!(EvaluationRound::parse("r".into(), lv(), &future, today).unwrap_err().field, "report_published_on");
        let link = RoundInput { report_link: "javascript:alert(1)".into(), ..base };
        assert_eq!(EvaluationRound::parse("r".into(), lv(), &link, today).unwrap_err().field, "report_link");
    }

    #[test]
    fn recommendations_without_follow_up_are_those_no_follow_up_names() {
        let r = round();
        let rec = |id: &str| {
            Recommendation::parse(
                id.into(),
                &r,
                &RecommendationInput { wording: "GRETA invites".into(), ..RecommendationInput::default() },
            )
            .unwrap()
        };
        let recs = vec![rec("a"), rec("b"), rec("c")];
        let f = FollowUp::parse(
            "f".into(),
            "b",
            &FollowUpInput { on: "2021-01-01".into(), text: "Law amended".into(), status: "implemented".into() },
            date("2026-12-06"),
        )
        .unwrap();
        let open: Vec<_> = without_follow_up(&recs, std::slice::from_ref(&f)).iter().map(|r| r.id.as_str()).collect();
        assert_eq!(open, ["a", "c"]);
        assert_eq!(latest_follow_up("b", &[f]).map(|f| f.status), Some(FollowUpStatus::Implemented));
        let future = FollowUp::parse(
            "g".into(),
            "a",
            &FollowUpInput { on: "2027-01-01".into(), text: "x".into(), status: "planned".into() },
            date("2026-12-06"),
        );
        assert_eq!(future.unwrap_err().field, "on");
    }

    proptest! {
        #[test]
        fn the_verb_in_any_sentence_gives_its_strength(
            before in "[a-tv-z ,]{0,40}",
            verb in prop::sample::select(vec![("urges", Strength::Urges), ("considers", Strength::Considers), ("invites", Strength::Invites), ("Urge", Strength::Urges), ("INVITED", Strength::Invites)]),
            after in "[a-z ,.]{0,40}",
        ) {
            // a verb already in `before` comes first; otherwise the one put after it counts
            let sentence = format!("{before} {} {after}", verb.0);
            let found = strength_of_wording(&sentence);
            let first_in_before = strength_of_wording(&before);
            prop_assert_eq!(found, first_in_before.or(Some(verb.1)));
        }
    }
}
