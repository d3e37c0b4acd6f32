//! The individual risk and needs assessment (Dir 2011/36 Arts 11(7), 12(3), 14(1);
//! Convention Art 12(1), (7)).
//!
//! An assessment is a version: a reassessment is a new version and the earlier ones stay as
//! history. A caseworker submits it; a supervisor other than the author approves it or returns
//! it with a reason (four eyes). The approved version that is latest is the one in force.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::case::CalendarDate;
use crate::text::parse_line;
use crate::{Coded, ParseError, coded_enum};

coded_enum! {
    /// Risk level, used for the risk from traffickers and for return plans.
    pub enum RiskLevel {
        Low => "low",
        Medium => "medium",
        High => "high",
        Severe => "severe",
    }
}

coded_enum! {
    /// How pressing a need is.
    pub enum NeedLevel {
        /// Assessed: nothing needed now.
        NoNeed => "none",
        Need => "need",
        Urgent => "urgent",
    }
}

coded_enum! {
    /// The areas every assessment covers (Art 11(5), (7); Art 14(1) for children).
    pub enum NeedArea {
        Safety => "safety",
        PhysicalHealth => "physical_health",
        MentalHealth => "mental_health",
        Accommodation => "accommodation",
        Subsistence => "subsistence",
        LegalStatus => "legal_status",
        Language => "language",
        /// A child's education (Art 14(1)).
        Education => "education",
        /// A child's family (Art 14(3)).
        Family => "family",
    }
}

impl NeedArea {
    /// Assessed for children only.
    pub fn child_only(self) -> bool {
        matches!(self, Self::Education | Self::Family)
    }

    /// The areas an assessment must cover for a child or an adult.
    pub fn required(child: bool) -> impl Iterator<Item = NeedArea> {
        Self::ALL.iter().copied().filter(move |a| child || !a.child_only())
    }
}

coded_enum! {
    /// Where an assessment stands.
    pub enum AssessmentState {
        Submitted => "submitted",
        Approved => "approved",
        /// Sent back by the supervisor with a reason; a revised version follows.
        Returned => "returned",
    }
}

/// One area: its level and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaAssessment {
    pub level: NeedLevel,
    #[serde(default)]
    pub notes: String,
}

/// Special needs that Art 11(7) names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SpecialNeeds {
    pub pregnancy: bool,
    pub disability: bool,
    pub mental_or_psychological_disorder: bool,
    /// Serious forms of psychological, physical or sexual violence suffered.
    pub serious_violence_suffered: bool,
}

impl SpecialNeeds {
    pub fn any(&self) -> bool {
        self.pregnancy || self.disability || self.mental_or_psychological_disorder || self.serious_violence_suffered
    }
}

/// The child's part of the assessment (Art 14(1); Art 16).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildAssessment {
    /// What the child's best interests require, as the assessor sees them.
    pub best_interests: String,
    /// The child was heard.
    pub views_heard: bool,
    /// The child's own views, or why they could not be heard.
    pub childs_views: String,
    pub unaccompanied: bool,
}

/// An assessment as a caseworker submits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskAndNeedsAssessment {
    pub assessed_on: CalendarDate,
    /// Risk of reprisals or intimidation from the traffickers (Art 12(3)).
    pub risk_from_traffickers: RiskLevel,
    pub risk_summary: String,
    pub areas: BTreeMap<NeedArea, AreaAssessment>,
    pub special_needs: SpecialNeeds,
    /// Languages the person understands, ISO 639-1, the first preferred.
    pub languages: Vec<String>,
    /// Without the means to pay: legal counselling and representation are free (Art 12(2)).
    pub lacks_means: bool,
    pub child: Option<ChildAssessment>,
}

/// The form's input: strings and flags as they arrive from the API or a page.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AssessmentInput {
    pub assessed_on: String,
    pub risk_from_traffickers: String,
    pub risk_summary: String,
    /// Area code to level code ("none", "need", "urgent").
    pub levels: BTreeMap<String, String>,
    /// Area code to notes.
    pub notes: BTreeMap<String, String>,
    pub special_needs: SpecialNeeds,
    pub languages: Vec<String>,
    pub lacks_means: bool,
    pub best_interests: String,
    pub views_heard: bool,
    pub childs_views: String,
    pub unaccompanied: bool,
}

const MAX_NOTE: usize = 2_000;

impl RiskAndNeedsAssessment {
    /// Parses an assessment for a person who is (`child`) or is not a child on `today`.
    /// Every area must be assessed; a child's assessment has the child's part, an adult's has none.
    pub fn parse(input: &AssessmentInput, child: bool, today: CalendarDate) -> Result<Self, ParseError> {
        let assessed_on = CalendarDate::parse("assessed_on", input.assessed_on.trim())?;
        if assessed_on > today {
            return Err(ParseError::future("assessed_on", "must not be in the future"));
        }
        let risk_from_traffickers = RiskLevel::parse_code("risk_from_traffickers", input.risk_from_traffickers.trim())?;
        let risk_summary = bounded("risk_summary", &input.risk_summary)?;
        if risk_summary.is_empty() && risk_from_traffickers >= RiskLevel::High {
            return Err(ParseError::said(
                "risk_summary",
                "a high or severe risk needs a summary of what it is",
                crate::Message::new(crate::MessageId::RiskNeedsSummary),
            ));
        }
        for key in input.levels.keys().chain(input.notes.keys()) {
            let area = NeedArea::parse_code(&format!("levels.{key}"), key)?;
            if area.child_only() && !child {
                return Err(ParseError::said(
                    format!("levels.{key}"),
                    "assessed for children only",
                    crate::Message::new(crate::MessageId::ForChildrenOnly),
                ));
            }
        }
        let mut areas = BTreeMap::new();
        for area in NeedArea::required(child) {
            let field = format!("levels.{}", area.code());
            let level = match input.levels.get(area.code()) {
                Some(v) if !v.trim().is_empty() => NeedLevel::parse_code(&field, v.trim())?,
                _ => {
                    return Err(ParseError::said(
                        field,
                        "every area must be assessed",
                        crate::Message::new(crate::MessageId::EveryAreaAssessed),
                    ));
                }
            };
            let notes =
                bounded(&format!("notes.{}", area.code()), input.notes.get(area.code()).map_or("", String::as_str))?;
            areas.insert(area, AreaAssessment { level, notes });
        }
        let mut languages = Vec::new();
        for (i, l) in input.languages.iter().enumerate() {
            let l = l.trim().to_ascii_lowercase();
            if l.len() != 2 || !l.bytes().all(|b| b.is_ascii_lowercase()) {
                return Err(ParseError::said(
                    format!("languages[{i}]"),
                    "a two-letter ISO 639-1 code",
                    crate::Message::new(crate::MessageId::LanguageCode),
                ));
            }
            if !languages.contains(&l) {
                languages.push(l);
            }
        }
        let child_part = if child {
            let best_interests = bounded("best_interests", &input.best_interests)?;
            if best_interests.is_empty() {
                return Err(ParseError::said(
                    "best_interests",
                    "a child's assessment states the child's best interests",
                    crate::Message::new(crate::MessageId::ChildsBestInterests),
                ));
            }
            let childs_views = bounded("childs_views", &input.childs_views)?;
            if childs_views.is_empty() {
                return Err(ParseError::said(
                    "childs_views",
                    "record the child's views, or why the child could not be heard",
                    crate::Message::new(crate::MessageId::ChildsViews),
                ));
            }
            Some(ChildAssessment {
                best_interests,
                views_heard: input.views_heard,
                childs_views,
                unaccompanied: input.unaccompanied,
            })
        } else {
            if !input.best_interests.trim().is_empty() || !input.childs_views.trim().is_empty() || input.unaccompanied {
                return Err(ParseError::said(
                    "best_interests",
                    "the child's part is for children only",
                    crate::Message::new(crate::MessageId::ChildPartForChildren),
                ));
            }
            None
        };
        Ok(RiskAndNeedsAssessment {
            assessed_on,
            risk_from_traffickers,
            risk_summary,
            areas,
            special_needs: input.special_needs.clone(),
            languages,
            lacks_means: input.lacks_means,
            child: child_part,
        })
    }

    /// The areas with a need, the urgent ones first.
    pub fn needs(&self) -> Vec<(NeedArea, NeedLevel)> {
        let mut out: Vec<(NeedArea, NeedLevel)> =
            self.areas.iter().filter(|(_, a)| a.level != NeedLevel::NoNeed).map(|(k, a)| (*k, a.level)).collect();
        out.sort_by_key(|(area, level)| (std::cmp::Reverse(*level), *area));
        out
    }

    /// A person particularly vulnerable (Directive recital 12; Art 11(7)): a child, a special
    /// need, or a high risk.
    pub fn particularly_vulnerable(&self) -> bool {
        self.child.is_some() || self.special_needs.any() || self.risk_from_traffickers >= RiskLevel::High
    }
}

fn bounded(field: &str, value: &str) -> Result<String, ParseError> {
    if value.trim().is_empty() { Ok(String::new()) } else { parse_note(field, value) }
}

/// Multi-line note of at most 2,000 characters.
fn parse_note(field: &str, value: &str) -> Result<String, ParseError> {
    let t = value.trim();
    if t.chars().count() > MAX_NOTE {
        return Err(ParseError::too_long(field, MAX_NOTE));
    }
    if t.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
        return Err(ParseError::control_characters(field));
    }
    Ok(t.to_owned())
}

/// Why an approval or a return is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("only a submitted assessment can be approved or returned; this one is {0}")]
    NotSubmitted(AssessmentState),
    #[error("the author of an assessment cannot approve it: a second person reviews it")]
    OwnAssessment,
    #[error("a returned assessment needs the reason")]
    ReasonMissing,
}

/// The supervisor's review: approve, or return with a reason.
pub fn review(
    state: AssessmentState,
    author: &str,
    reviewer: &str,
    approve: bool,
    reason: &str,
) -> Result<AssessmentState, ReviewError> {
    if state != AssessmentState::Submitted {
        return Err(ReviewError::NotSubmitted(state));
    }
    if author == reviewer {
        return Err(ReviewError::OwnAssessment);
    }
    if approve {
        Ok(AssessmentState::Approved)
    } else if parse_line("reason", reason, 500).is_err() {
        Err(ReviewError::ReasonMissing)
    } else {
        Ok(AssessmentState::Returned)
    }
}

/// The version in force: the latest approved one (versions in any order).
pub fn in_force<T>(versions: &[(u32, AssessmentState, T)]) -> Option<&(u32, AssessmentState, T)> {
    versions.iter().filter(|v| v.1 == AssessmentState::Approved).max_by_key(|v| v.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn adult_input() -> AssessmentInput {
        let mut i = AssessmentInput {
            assessed_on: "2026-03-02".into(),
            risk_from_traffickers: "medium".into(),
            languages: vec!["RU".into(), "lv".into(), "ru".into()],
            ..AssessmentInput::default()
        };
        for a in NeedArea::required(false) {
            i.levels.insert(a.code().into(), "none".into());
        }
        i.levels.insert("accommodation".into(), "urgent".into());
        i.levels.insert("mental_health".into(), "need".into());
        i
    }

    #[test]
    fn an_adult_assessment_covers_every_area_and_lists_needs_urgent_first() {
        let a = RiskAndNeedsAssessment::parse(&adult_input(), false, day("2026-03-02")).unwrap();
        assert_eq!(a.areas.len(), 7);
        assert_eq!(
            a.needs(),
            vec![(NeedArea::Accommodation, NeedLevel::Urgent), (NeedArea::MentalHealth, NeedLevel::Need)]
        );
        assert_eq!(a.languages, vec!["ru".to_string(), "lv".to_string()]);
        assert!(a.child.is_none());
        assert!(!a.particularly_vulnerable());
    }

    #[test]
    fn a_missing_area_is_named() {
        let mut i = adult_input();
        i.levels.remove("legal_status");
        let e = RiskAndNeedsAssessment::parse(&i, false, day("2026-03-02")).unwrap_err();
        assert_eq!(e.field, "levels.legal_status");
        i.levels.insert("legal_status".into(), "maybe".into());
        let e = RiskAndNeedsAssessment::parse(&i, false, day("2026-03-02")).unwrap_err();
        assert_eq!(e.field, "levels.legal_status");
        assert!(e.message.contains("urgent"), "{e}");
    }

    #[test]
    fn art_14_1_dir_2011_36_a_childs_assessment_needs_the_childs_part_and_an_adults_refuses_it() {
        let mut i = adult_input();
        let e = RiskAndNeedsAssessment::parse(&i, true, day("2026-03-02")).unwrap_err();
        assert_eq!(e.field, "levels.education");
        i.levels.insert("education".into(), "need".into());
        i.levels.insert("family".into(), "urgent".into());
        let e = RiskAndNeedsAssessment::parse(&i, true, day("2026-03-02")).unwrap_err();
        assert_eq!(e.field, "best_interests");
        i.best_interests = "Stay in the specialised shelter near school.".into();
        let e = RiskAndNeedsAssessment::parse(&i, true, day("2026-03-02")).unwrap_err();
        assert_eq!(e.field, "childs_views");
        i.childs_views = "Wants to stay with the sister.".into();
        i.views_heard = true;
        let a = RiskAndNeedsAssessment::parse(&i, true, day("2026-03-02")).unwrap();
        assert!(a.particularly_vulnerable());
        assert_eq!(a.needs()[0].0, NeedArea::Accommodation);
        // the same input for an adult: child-only areas refused
        let e = RiskAndNeedsAssessment::parse(&i, false, day("2026-03-02")).unwrap_err();
        assert!(e.field.starts_with("levels."), "{e}");
    }

    #[test]
    fn high_risk_needs_a_summary_and_dates_are_not_in_the_future() {
        let mut i = adult_input();
        i.risk_from_traffickers = "severe".into();
        assert_eq!(RiskAndNeedsAssessment::parse(&i, false, day("2026-03-02")).unwrap_err().field, "risk_summary");
        i.risk_summary = "The recruiter knows the family's address.".into();
        assert!(RiskAndNeedsAssessment::parse(&i, false, day("2026-03-02")).unwrap().particularly_vulnerable());
        assert_eq!(RiskAndNeedsAssessment::parse(&i, false, day("2026-03-01")).unwrap_err().field, "assessed_on");
        i.languages.push("russian".into());
        assert_eq!(RiskAndNeedsAssessment::parse(&i, false, day("2026-03-02")).unwrap_err().field, "languages[3]");
    }

    #[test]
    fn a_second_person_reviews_and_a_return_has_a_reason() {
        use AssessmentState::*;
        assert_eq!(review(Submitted, "ann", "ann", true, ""), Err(ReviewError::OwnAssessment));
        assert_eq!(review(Submitted, "ann", "sue", true, ""), Ok(Approved));
        assert_eq!(review(Submitted, "ann", "sue", false, " "), Err(ReviewError::ReasonMissing));
        assert_eq!(review(Submitted, "ann", "sue", false, "Accommodation risk unclear"), Ok(Returned));
        assert_eq!(review(Approved, "ann", "sue", true, ""), Err(ReviewError::NotSubmitted(Approved)));
        assert_eq!(review(Returned, "ann", "sue", true, ""), Err(ReviewError::NotSubmitted(Returned)));
    }

    #[test]
    fn the_latest_approved_version_is_in_force() {
        use AssessmentState::*;
        let v = vec![(1, Approved, "a"), (2, Returned, "b"), (3, Approved, "c"), (4, Submitted, "d")];
        assert_eq!(in_force(&v).map(|x| x.2), Some("c"));
        assert_eq!(in_force(&v[..2]).map(|x| x.2), Some("a"));
        assert!(in_force::<&str>(&[(1, Submitted, "a")]).is_none());
    }

    /// Dir 2011/36 Art 11(7): attention to victims with special needs (pregnancy, disability,
    /// mental or psychological disorder, serious violence suffered): each is recorded and makes
    /// the person particularly vulnerable.
    #[test]
    fn art_11_7_dir_2011_36_each_special_need_is_recorded_and_makes_the_person_particularly_vulnerable() {
        let plain = RiskAndNeedsAssessment::parse(&adult_input(), false, day("2026-03-02")).unwrap();
        assert!(!plain.special_needs.any() && !plain.particularly_vulnerable());
        let setters: [fn(&mut SpecialNeeds); 4] = [
            |s| s.pregnancy = true,
            |s| s.disability = true,
            |s| s.mental_or_psychological_disorder = true,
            |s| s.serious_violence_suffered = true,
        ];
        for (n, set) in setters.iter().enumerate() {
            let mut i = adult_input();
            set(&mut i.special_needs);
            let a = RiskAndNeedsAssessment::parse(&i, false, day("2026-03-02")).unwrap();
            assert_eq!(a.special_needs, i.special_needs, "need {n}");
            assert!(a.special_needs.any() && a.particularly_vulnerable(), "need {n}");
        }
    }

    /// Dir 2011/36 Art 12(3): protection rests on an individual risk assessment: every assessment
    /// rates the risk from the traffickers, a high or severe one must say what it is, and it makes
    /// the person particularly vulnerable; witness protection can be planned.
    #[test]
    fn art_12_3_dir_2011_36_every_assessment_rates_the_risk_from_the_traffickers() {
        let mut i = adult_input();
        i.risk_from_traffickers = String::new();
        assert_eq!(
            RiskAndNeedsAssessment::parse(&i, false, day("2026-03-02")).unwrap_err().field,
            "risk_from_traffickers"
        );
        i.risk_from_traffickers = "high".into();
        assert_eq!(RiskAndNeedsAssessment::parse(&i, false, day("2026-03-02")).unwrap_err().field, "risk_summary");
        i.risk_summary = "The recruiter has threatened the person's sister.".into();
        let a = RiskAndNeedsAssessment::parse(&i, false, day("2026-03-02")).unwrap();
        assert_eq!(a.risk_from_traffickers, RiskLevel::High);
        assert!(a.particularly_vulnerable());
        let witness = crate::assist::services::ServiceType::WitnessProtection;
        assert!(witness.article().contains("Art 12(3)"));
    }
}
