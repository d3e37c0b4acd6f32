//! The definition of trafficking (Dir 2011/36 Art 2; Council of Europe Convention CETS 197 Art 4)
//! applied to what a case records, as **decision support**.
//!
//! [`legal_test`] says which elements of the definition the record shows and which it does not, with the
//! article for each step. It decides nothing: identification is a decision taken by a competent person on
//! all the facts, and a missing element may simply not have been recorded yet.

use super::forms::{Act, FormId, Means};
use crate::case::CalendarDate;
use crate::message::{Message, MessageId};
use crate::{Coded, coded_enum};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Dir 2011/36 Art 2(1) and Convention Art 4(a): act, means and purpose.
pub const ART_DEFINITION: &str = "Dir 2011/36 Art 2(1); CETS 197 Art 4(a)";
/// Dir 2011/36 Art 2(3): the forms of exploitation.
pub const ART_EXPLOITATION: &str = "Dir 2011/36 Art 2(3); CETS 197 Art 4(a)";
/// Dir 2011/36 Art 2(4) and Convention Art 4(b): consent irrelevant where any means was used.
pub const ART_CONSENT: &str = "Dir 2011/36 Art 2(4); CETS 197 Art 4(b)";
/// Dir 2011/36 Art 2(5) and Convention Art 4(c): for a child no means is needed.
pub const ART_CHILD: &str = "Dir 2011/36 Art 2(5); CETS 197 Art 4(c)";
/// Dir 2011/36 Arts 2(6), 13(2) and Convention Arts 4(d), 10(3): under 18, or presumed so.
pub const ART_CHILD_DEFINITION: &str =
    "Dir 2011/36 Art 2(6); Dir 2011/36 Art 13(2); CETS 197 Art 4(d); CETS 197 Art 10(3)";

/// The day on which the child rule (Art 2(5)) judged the person's age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum AgeBasis {
    /// The earliest date of the acts the record holds (the timeline of recruitment, transit and
    /// exploitation): the age when the acts took place.
    TimeOfTheActs { on: CalendarDate },
    /// No date of the acts is recorded: the age at registration, which may be later than the acts.
    Registration { on: CalendarDate },
}

/// What the case records about the situation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LegalTestInput {
    pub acts: BTreeSet<Act>,
    pub means: BTreeSet<Means>,
    /// The forms of exploitation intended or carried out.
    pub purposes: BTreeSet<FormId>,
    /// A child (under 18), or presumed to be one while the age is uncertain (see `ident::age`), on the
    /// day [`LegalTestInput::age_basis`] names: when the acts took place (Art 2(5)).
    pub is_child_or_presumed_child: bool,
    /// The day the age was judged on; `None`: not said (the reasons then say nothing about it).
    #[serde(default)]
    pub age_basis: Option<AgeBasis>,
    /// Whether the person is recorded as having consented to the exploitation (`None`: not recorded).
    pub consent_to_exploitation: Option<bool>,
}

coded_enum! {
    /// What the record shows for the definition as a whole.
    pub enum LegalTestOutcome {
        /// Every element the definition requires is recorded.
        Met => "met",
        /// At least one required element is not recorded. This is not a finding that the person is not a
        /// victim: the element may be unknown yet, and identification also rests on indicators.
        NotMet => "not_met",
    }
}

coded_enum! {
    /// One element of the definition as recorded.
    pub enum ElementStatus {
        /// Recorded.
        Present => "present",
        /// Required and not recorded.
        Absent => "absent",
        /// Not required in this case (the means where the person is a child).
        NotRequired => "not_required",
    }
}

/// The three elements of the definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Elements {
    pub act: ElementStatus,
    pub means: ElementStatus,
    pub purpose: ElementStatus,
}

/// One step of the reasoning, with the article it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub article: &'static str,
    /// In English, for the API.
    pub text: String,
    /// The same as a message of the translations, for the case page.
    #[serde(skip)]
    pub message: Message,
}

/// Advice on the definition of trafficking: which elements the record shows and why. Not a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegalTestResult {
    pub outcome: LegalTestOutcome,
    pub elements: Elements,
    /// The steps, in order: act, means, purpose, child rule, consent.
    pub reasons: Vec<Reason>,
}

fn codes<T: Coded>(items: impl IntoIterator<Item = T>) -> Vec<&'static str> {
    items.into_iter().map(Coded::code).collect()
}

fn list<T: Coded>(items: impl IntoIterator<Item = T>) -> String {
    items.into_iter().map(Coded::code).collect::<Vec<_>>().join(", ")
}

/// Applies Dir 2011/36 Art 2 (Convention Art 4) to what is recorded.
///
/// Adult: act ∧ means ∧ purpose (Art 2(1)). Child or presumed child: act ∧ purpose, the means not being
/// required (Art 2(5)). Consent never changes the result; when it is recorded, the reasons say why it is
/// irrelevant (Art 2(4); always for a child).
pub fn legal_test(input: &LegalTestInput) -> LegalTestResult {
    let mut reasons = Vec::new();
    let child = input.is_child_or_presumed_child;

    let act = if input.acts.is_empty() {
        reasons.push(Reason {
            article: ART_DEFINITION,
            text: format!("no act is recorded (any one of: {})", list(Act::ALL.iter().copied())),
            message: Message::new(MessageId::LegalNoAct).labels("acts", "act", codes(Act::ALL.iter().copied())),
        });
        ElementStatus::Absent
    } else {
        reasons.push(Reason {
            article: ART_DEFINITION,
            text: format!("act recorded: {}", list(input.acts.iter().copied())),
            message: Message::new(MessageId::LegalActRecorded).labels("acts", "act", codes(input.acts.iter().copied())),
        });
        ElementStatus::Present
    };

    let means = if child {
        let recorded = if input.means.is_empty() {
            String::new()
        } else {
            format!(" (recorded all the same: {})", list(input.means.iter().copied()))
        };
        let message = if input.means.is_empty() {
            Message::new(MessageId::LegalChildNoMeans)
        } else {
            Message::new(MessageId::LegalChildNoMeansRecorded).labels(
                "means",
                "means",
                codes(input.means.iter().copied()),
            )
        };
        reasons.push(Reason {
            article: ART_CHILD,
            text: format!(
                "the person is a child or presumed a child: trafficking needs no means, only an act for the purpose \
                 of exploitation{recorded}"
            ),
            message,
        });
        ElementStatus::NotRequired
    } else if input.means.is_empty() {
        reasons.push(Reason {
            article: ART_DEFINITION,
            text: format!("no means is recorded (any one of: {})", list(Means::ALL.iter().copied())),
            message: Message::new(MessageId::LegalNoMeans).labels("means", "means", codes(Means::ALL.iter().copied())),
        });
        ElementStatus::Absent
    } else {
        reasons.push(Reason {
            article: ART_DEFINITION,
            text: format!("means recorded: {}", list(input.means.iter().copied())),
            message: Message::new(MessageId::LegalMeansRecorded).labels(
                "means",
                "means",
                codes(input.means.iter().copied()),
            ),
        });
        ElementStatus::Present
    };

    let purpose = if input.purposes.is_empty() {
        reasons.push(Reason {
            article: ART_EXPLOITATION,
            text: "no purpose of exploitation is recorded".to_owned(),
            message: Message::new(MessageId::LegalNoPurpose),
        });
        ElementStatus::Absent
    } else {
        let forms: Vec<&str> = input.purposes.iter().map(FormId::as_str).collect();
        reasons.push(Reason {
            article: ART_EXPLOITATION,
            text: format!("purpose of exploitation recorded: {}", forms.join(", ")),
            message: Message::new(MessageId::LegalPurposeRecorded).labels("forms", "form", forms.iter().copied()),
        });
        ElementStatus::Present
    };

    match input.age_basis {
        Some(AgeBasis::TimeOfTheActs { on }) => reasons.push(Reason {
            article: ART_CHILD,
            message: Message::new(if child { MessageId::LegalAgeAtActsChild } else { MessageId::LegalAgeAtActsAdult })
                .with("on", on),
            text: if child {
                format!(
                    "on {on}, the earliest date of the acts recorded on the timeline, the person was a child or \
                     presumed a child: the child rule looks at the age when the acts took place, not at the age today"
                )
            } else {
                format!(
                    "on {on}, the earliest date of the acts recorded on the timeline, the person was not a child as \
                     far as the record shows"
                )
            },
        }),
        Some(AgeBasis::Registration { on }) => reasons.push(Reason {
            article: ART_CHILD,
            message: Message::new(MessageId::LegalAgeAtRegistration).with("on", on),
            text: format!(
                "no date of the acts is recorded on the timeline, so the age is taken at registration ({on}); the \
                 child rule looks at the age when the acts took place: record when they took place, as a person \
                 under 18 then needs no means"
            ),
        }),
        None => {}
    }

    if child {
        reasons.push(Reason {
            article: ART_CHILD_DEFINITION,
            text: "a child is a person below 18; where the age is uncertain and there are reasons to believe the \
                   person is a child, they are presumed to be one"
                .to_owned(),
            message: Message::new(MessageId::LegalChildDefinition),
        });
    }

    if let Some(consented) = input.consent_to_exploitation {
        let consent =
            Message::new(if consented { MessageId::LegalConsentRecorded } else { MessageId::LegalConsentNotGiven });
        let because = |id| Message::new(id).messages("consent", vec![consent.clone()]);
        let recorded = if consented {
            "consent to the exploitation is recorded"
        } else {
            "the record says the person did not consent to the exploitation"
        };
        let reason = if child {
            Reason {
                article: ART_CHILD,
                text: format!("{recorded}; a child's consent is always irrelevant, and no means is needed"),
                message: because(MessageId::LegalConsentChild),
            }
        } else if !input.means.is_empty() {
            Reason {
                article: ART_CONSENT,
                text: format!("{recorded}; consent is irrelevant because a means is recorded"),
                message: because(MessageId::LegalConsentMeans),
            }
        } else {
            Reason {
                article: ART_CONSENT,
                text: format!(
                    "{recorded}; consent becomes irrelevant once any means is established, so the means \
                     (including abuse of a position of vulnerability, Art 2(2)) should be examined"
                ),
                message: because(MessageId::LegalConsentExamineMeans),
            }
        };
        reasons.push(reason);
    }

    let elements = Elements { act, means, purpose };
    let outcome = if [act, means, purpose].contains(&ElementStatus::Absent) {
        LegalTestOutcome::NotMet
    } else {
        LegalTestOutcome::Met
    };
    LegalTestResult { outcome, elements, reasons }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(acts: &[Act], means: &[Means], purposes: &[&str], child: bool, consent: Option<bool>) -> LegalTestInput {
        LegalTestInput {
            acts: acts.iter().copied().collect(),
            means: means.iter().copied().collect(),
            purposes: purposes.iter().map(|p| FormId::parse("purposes", p).unwrap()).collect(),
            is_child_or_presumed_child: child,
            age_basis: None,
            consent_to_exploitation: consent,
        }
    }

    fn has_reason(r: &LegalTestResult, article: &str, text: &str) -> bool {
        r.reasons.iter().any(|x| x.article == article && x.text.contains(text))
    }

    #[test]
    fn art_2_1_dir_2011_36_adult_with_act_means_and_purpose_is_met() {
        let r = legal_test(&input(&[Act::Recruitment], &[Means::Deception], &["forced_labour"], false, None));
        assert_eq!(r.outcome, LegalTestOutcome::Met);
        let present = ElementStatus::Present;
        assert_eq!(r.elements, Elements { act: present, means: present, purpose: present });
        assert!(has_reason(&r, ART_DEFINITION, "act recorded: recruitment"));
        assert!(has_reason(&r, ART_DEFINITION, "means recorded: deception"));
        assert!(has_reason(&r, ART_EXPLOITATION, "forced_labour"));
    }

    #[test]
    fn art_2_1_dir_2011_36_adult_without_means_is_not_met() {
        let r = legal_test(&input(&[Act::Harbouring], &[], &["sexual"], false, None));
        assert_eq!(r.outcome, LegalTestOutcome::NotMet);
        assert_eq!(r.elements.means, ElementStatus::Absent);
        assert!(has_reason(&r, ART_DEFINITION, "no means is recorded"));
    }

    #[test]
    fn art_2_1_dir_2011_36_adult_without_act_is_not_met() {
        let r = legal_test(&input(&[], &[Means::UseOfForce], &["sexual"], false, None));
        assert_eq!(r.outcome, LegalTestOutcome::NotMet);
        assert_eq!(r.elements.act, ElementStatus::Absent);
    }

    #[test]
    fn art_2_3_dir_2011_36_without_purpose_is_not_met() {
        let r = legal_test(&input(&[Act::Transportation], &[Means::Fraud], &[], false, None));
        assert_eq!(r.outcome, LegalTestOutcome::NotMet);
        assert_eq!(r.elements.purpose, ElementStatus::Absent);
        assert!(has_reason(&r, ART_EXPLOITATION, "no purpose"));
    }

    #[test]
    fn art_2_5_dir_2011_36_child_needs_no_means() {
        let r = legal_test(&input(&[Act::Recruitment], &[], &["begging"], true, None));
        assert_eq!(r.outcome, LegalTestOutcome::Met);
        assert_eq!(r.elements.means, ElementStatus::NotRequired);
        assert!(has_reason(&r, ART_CHILD, "needs no means"));
        assert!(has_reason(&r, ART_CHILD_DEFINITION, "below 18"));
    }

    #[test]
    fn art_2_5_dir_2011_36_child_without_act_or_purpose_is_not_met() {
        let r = legal_test(&input(&[], &[], &["sexual"], true, None));
        assert_eq!(r.outcome, LegalTestOutcome::NotMet);
        let r = legal_test(&input(&[Act::Reception], &[Means::Threat], &[], true, None));
        assert_eq!(r.outcome, LegalTestOutcome::NotMet);
        assert!(has_reason(&r, ART_CHILD, "recorded all the same: threat"));
    }

    #[test]
    fn art_2_4_dir_2011_36_consent_is_irrelevant_once_a_means_is_present() {
        let r = legal_test(&input(&[Act::Recruitment], &[Means::AbuseOfVulnerability], &["sexual"], false, Some(true)));
        assert_eq!(r.outcome, LegalTestOutcome::Met);
        assert!(has_reason(&r, ART_CONSENT, "consent is irrelevant because a means is recorded"));
    }

    #[test]
    fn art_2_4_dir_2011_36_consent_without_means_does_not_meet_the_test_and_says_why() {
        let r = legal_test(&input(&[Act::Recruitment], &[], &["sexual"], false, Some(true)));
        assert_eq!(r.outcome, LegalTestOutcome::NotMet);
        assert!(has_reason(&r, ART_CONSENT, "once any means is established"));
    }

    #[test]
    fn art_2_5_dir_2011_36_a_childs_consent_is_always_irrelevant() {
        let r = legal_test(&input(&[Act::Transfer], &[], &["criminal_activities"], true, Some(true)));
        assert_eq!(r.outcome, LegalTestOutcome::Met);
        assert!(has_reason(&r, ART_CHILD, "a child's consent is always irrelevant"));
        let r = legal_test(&input(&[Act::Transfer], &[], &["criminal_activities"], true, Some(false)));
        assert!(has_reason(&r, ART_CHILD, "did not consent"));
    }

    #[test]
    fn art_2_4_dir_2011_36_consent_not_recorded_adds_no_consent_reason() {
        let r = legal_test(&input(&[Act::Recruitment], &[Means::Fraud], &["sexual"], false, None));
        assert!(!r.reasons.iter().any(|x| x.article == ART_CONSENT));
    }

    /// CETS 197 Art 4, the Convention's twin of Dir 2011/36 Art 2: (a) an act, a means and a
    /// purpose for an adult; (b) consent irrelevant once a means is used; (c) a child needs no
    /// means; (d) a child is under 18. Every step of the reasoning cites the Convention's letter.
    #[test]
    fn art_4_cets_definition_steps_cite_the_convention_and_apply_its_rules() {
        let cites = |r: &LegalTestResult, letter: &str| {
            r.reasons.iter().any(|x| x.article.contains(&format!("CETS 197 Art 4({letter})")))
        };
        let adult = legal_test(&input(&[Act::Recruitment], &[Means::Threat], &["forced_labour"], false, Some(true)));
        assert_eq!(adult.outcome, LegalTestOutcome::Met);
        assert!(cites(&adult, "a") && cites(&adult, "b"), "{:?}", adult.reasons);
        assert!(adult.reasons.iter().all(|x| x.article.contains("CETS 197 Art 4(")), "{:?}", adult.reasons);
        // (a): without a means an adult's record does not meet the definition, consent or not.
        let no_means = legal_test(&input(&[Act::Recruitment], &[], &["forced_labour"], false, Some(true)));
        assert_eq!(no_means.outcome, LegalTestOutcome::NotMet);
        // (c), (d): a child needs no means, and the child's consent changes nothing.
        let child = legal_test(&input(&[Act::Recruitment], &[], &["forced_labour"], true, Some(true)));
        assert_eq!((child.outcome, child.elements.means), (LegalTestOutcome::Met, ElementStatus::NotRequired));
        assert!(cites(&child, "c") && cites(&child, "d"), "{:?}", child.reasons);
        assert!(!cites(&child, "b"), "{:?}", child.reasons);
    }
}
