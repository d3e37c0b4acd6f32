//! The support plan: from the assessed needs to services, each with a goal, a responsible
//! organisation, dates and a status.
//!
//! Support runs before, during and after criminal proceedings and is never conditional on the
//! victim's willingness to cooperate with the investigation, prosecution or trial (Directive
//! 2011/36/EU Art 11(1), (3); Convention Art 12(6)). The plan therefore has no field that could
//! make it conditional, and no reason to stop a service refers to cooperation: an attempt is
//! refused with the article.

use serde::{Deserialize, Serialize};

use super::assessment::NeedArea;
use super::services::ServiceType;
use crate::case::CalendarDate;
use crate::text::parse_line;
use crate::{Coded, ParseError, coded_enum};

coded_enum! {
    /// Where a service of the plan stands.
    pub enum ItemStatus {
        Planned => "planned",
        InProgress => "in_progress",
        Completed => "completed",
        Stopped => "stopped",
    }
}

coded_enum! {
    /// Why a service stopped before its goal was met. None of them is the victim's
    /// cooperation with the authorities (Art 11(3)).
    pub enum StopReason {
        /// The victim, informed, no longer wants the service.
        DeclinedByVictim => "declined_by_victim",
        /// No contact with the victim despite attempts.
        ContactLost => "contact_lost",
        /// Another service or provider meets the need.
        ReplacedByOtherService => "replaced_by_other_service",
        /// The victim left the country (see the return plan, if any).
        LeftCountry => "left_country",
    }
}

/// Reasons that would make support conditional on cooperation. They are refused by name so
/// that the refusal can cite the article, instead of a bare "unknown value".
const COOPERATION_REASONS: &[&str] = &[
    "not_cooperating",
    "no_cooperation",
    "refused_to_cooperate",
    "refused_to_testify",
    "withdrew_statement",
    "withdrew_complaint",
    "proceedings_ended",
    "proceedings_closed",
    "case_closed_by_police",
];

/// The article a refusal cites.
pub const UNCONDITIONAL: &str = "Dir 2011/36 Art 11(3); CETS 197 Art 12(6)";

/// Parses a stop reason; a reason tied to cooperation or to the proceedings is refused with the
/// article.
pub fn parse_stop_reason(field: &str, value: &str) -> Result<StopReason, ParseError> {
    let v = value.trim();
    if COOPERATION_REASONS.contains(&v) {
        return Err(ParseError::said(
            field,
            format!(
                "support is not conditional on cooperation with the investigation, prosecution or trial, and does \
                 not end with the proceedings ({UNCONDITIONAL})"
            ),
            crate::Message::new(crate::MessageId::SupportNotConditional).with("article", UNCONDITIONAL),
        ));
    }
    StopReason::parse_code(field, v)
}

/// One service of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanItem {
    pub service: ServiceType,
    /// The need it answers, when it answers an assessed one.
    pub need: Option<NeedArea>,
    pub goal: String,
    pub responsible_organisation_id: String,
    pub provider_id: Option<String>,
    pub starts_on: CalendarDate,
    pub ends_on: Option<CalendarDate>,
    pub status: ItemStatus,
    pub stop_reason: Option<StopReason>,
    /// Legal counselling and representation: free of charge (Art 12(2)).
    pub free_of_charge: bool,
    pub notes: String,
}

/// The form's input for a new service in the plan.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlanItemInput {
    pub service: String,
    pub need: String,
    pub goal: String,
    pub responsible_organisation_id: String,
    pub provider_id: String,
    pub starts_on: String,
    pub ends_on: String,
    pub free_of_charge: bool,
    pub notes: String,
}

/// What the plan needs to know about the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanContext {
    pub child: bool,
    /// From the assessment in force: without means, legal help is free of charge.
    pub lacks_means: bool,
}

impl PlanItem {
    /// A new service, planned. The organisation must be known to the caller (checked there).
    pub fn parse(input: &PlanItemInput, cx: PlanContext) -> Result<Self, ParseError> {
        let service = ServiceType::parse_code("service", input.service.trim())?;
        if service.for_children() && !cx.child {
            return Err(ParseError::said(
                "service",
                "this service is for child victims and their families",
                crate::Message::new(crate::MessageId::ServiceForChildren),
            ));
        }
        let need = match input.need.trim() {
            "" => None,
            v => Some(NeedArea::parse_code("need", v)?),
        };
        if need.is_some_and(NeedArea::child_only) && !cx.child {
            return Err(ParseError::said(
                "need",
                "assessed for children only",
                crate::Message::new(crate::MessageId::ForChildrenOnly),
            ));
        }
        let goal = parse_line("goal", &input.goal, 500)?;
        let responsible_organisation_id =
            parse_line("responsible_organisation_id", &input.responsible_organisation_id, 100)?;
        let provider_id = match input.provider_id.trim() {
            "" => None,
            v => Some(parse_line("provider_id", v, 100)?),
        };
        let starts_on = CalendarDate::parse("starts_on", input.starts_on.trim())?;
        let ends_on = match input.ends_on.trim() {
            "" => None,
            v => Some(CalendarDate::parse("ends_on", v)?),
        };
        if ends_on.is_some_and(|e| e < starts_on) {
            return Err(ParseError::said(
                "ends_on",
                "must not be before starts_on",
                crate::Message::new(crate::MessageId::EndsBeforeStart),
            ));
        }
        if service.free_where_victim_lacks_means() && cx.lacks_means && !input.free_of_charge {
            return Err(ParseError::said(
                "free_of_charge",
                "the victim lacks sufficient means: legal counselling and representation are free of charge \
                 (Dir 2011/36 Art 12(2))",
                crate::Message::new(crate::MessageId::FreeWhereLacksMeans),
            ));
        }
        let notes =
            if input.notes.trim().is_empty() { String::new() } else { parse_line("notes", &input.notes, 2000)? };
        Ok(PlanItem {
            service,
            need,
            goal,
            responsible_organisation_id,
            provider_id,
            starts_on,
            ends_on,
            status: ItemStatus::Planned,
            stop_reason: None,
            free_of_charge: input.free_of_charge,
            notes,
        })
    }

    /// Moves the service on. Completed and stopped are final; stopping needs a reason that is
    /// not about cooperation (see [`parse_stop_reason`]).
    pub fn advance(
        &mut self,
        to: ItemStatus,
        on: CalendarDate,
        stop_reason: Option<StopReason>,
    ) -> Result<(), ParseError> {
        use ItemStatus::*;
        let allowed = matches!(
            (self.status, to),
            (Planned, InProgress) | (Planned, Stopped) | (InProgress, Completed) | (InProgress, Stopped)
        );
        if !allowed {
            return Err(ParseError::said(
                "status",
                format!("a {} service cannot become {}", self.status, to),
                crate::Message::new(crate::MessageId::PlanServiceCannotChange)
                    .labels("from", "support-plan-status", [self.status.code()])
                    .labels("to", "support-plan-status", [to.code()]),
            ));
        }
        if on < self.starts_on && to != Stopped {
            return Err(ParseError::said(
                "on",
                "before the service starts",
                crate::Message::new(crate::MessageId::BeforeServiceStarts),
            ));
        }
        match (to, stop_reason) {
            (Stopped, None) => {
                return Err(ParseError::said(
                    "stop_reason",
                    "stopping a service needs the reason",
                    crate::Message::new(crate::MessageId::StopNeedsReason),
                ));
            }
            (Stopped, Some(r)) => self.stop_reason = Some(r),
            (_, Some(_)) => {
                return Err(ParseError::said(
                    "stop_reason",
                    "only a stopped service has a stop reason",
                    crate::Message::new(crate::MessageId::StopReasonOnlyWhenStopped),
                ));
            }
            (_, None) => {}
        }
        if matches!(to, Completed | Stopped) {
            self.ends_on = Some(on);
        }
        self.status = to;
        Ok(())
    }
}

/// Needs of the assessment in force that no open service of the plan answers.
pub fn unmet_needs(needs: &[NeedArea], items: &[PlanItem]) -> Vec<NeedArea> {
    needs
        .iter()
        .copied()
        .filter(|n| {
            !items
                .iter()
                .any(|i| i.need == Some(*n) && matches!(i.status, ItemStatus::Planned | ItemStatus::InProgress))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input(service: &str) -> PlanItemInput {
        PlanItemInput {
            service: service.into(),
            goal: "Safe place to stay".into(),
            responsible_organisation_id: "shelter".into(),
            starts_on: "2026-03-02".into(),
            ..PlanItemInput::default()
        }
    }

    const ADULT: PlanContext = PlanContext { child: false, lacks_means: false };

    fn d(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    #[test]
    fn a_service_is_planned_with_its_goal_and_dates() {
        let mut i = input("safe_accommodation");
        i.need = "accommodation".into();
        i.ends_on = "2026-05-01".into();
        let item = PlanItem::parse(&i, ADULT).unwrap();
        assert_eq!(item.status, ItemStatus::Planned);
        assert_eq!(item.need, Some(NeedArea::Accommodation));
        i.ends_on = "2026-03-01".into();
        assert_eq!(PlanItem::parse(&i, ADULT).unwrap_err().field, "ends_on");
        i.ends_on = String::new();
        i.goal = " ".into();
        assert_eq!(PlanItem::parse(&i, ADULT).unwrap_err().field, "goal");
    }

    #[test]
    fn art_14_1_dir_2011_36_education_is_planned_for_a_child_only() {
        assert_eq!(PlanItem::parse(&input("education"), ADULT).unwrap_err().field, "service");
        let child = PlanContext { child: true, lacks_means: false };
        assert!(PlanItem::parse(&input("education"), child).is_ok());
        assert!(PlanItem::parse(&input("child_family_support"), child).is_ok());
    }

    #[test]
    fn art_12_2_dir_2011_36_legal_help_is_free_when_the_victim_lacks_means() {
        let poor = PlanContext { child: false, lacks_means: true };
        for s in ["legal_counselling", "legal_representation"] {
            let e = PlanItem::parse(&input(s), poor).unwrap_err();
            assert_eq!(e.field, "free_of_charge");
            assert!(e.message.contains("Art 12(2)"));
            let mut i = input(s);
            i.free_of_charge = true;
            assert!(PlanItem::parse(&i, poor).unwrap().free_of_charge);
            assert!(PlanItem::parse(&input(s), ADULT).is_ok());
        }
        // other services are not concerned
        assert!(PlanItem::parse(&input("medical_treatment"), poor).is_ok());
    }

    #[test]
    fn art_11_3_dir_2011_36_no_input_makes_support_conditional_on_cooperation() {
        // There is no field for a condition: the input refuses it.
        let json = r#"{"service":"safe_accommodation","goal":"g","responsible_organisation_id":"o",
            "starts_on":"2026-03-02","conditional_on_cooperation":true}"#;
        assert!(serde_json::from_str::<PlanItemInput>(json).is_err());
        // No stop reason refers to cooperation or to the proceedings, and those tried are refused with the article.
        for r in COOPERATION_REASONS {
            let e = parse_stop_reason("stop_reason", r).unwrap_err();
            assert!(e.message.contains("Art 11(3)"), "{r}: {e}");
        }
        for r in StopReason::ALL {
            let code = r.code();
            assert!(!code.contains("cooperat") && !code.contains("proceeding") && !code.contains("testif"));
            assert_eq!(parse_stop_reason("stop_reason", code), Ok(*r));
        }
    }

    #[test]
    fn status_moves_forward_only_and_stopping_needs_a_reason() {
        use ItemStatus::*;
        let item = PlanItem::parse(&input("medical_treatment"), ADULT).unwrap();
        let all = ItemStatus::ALL;
        let legal = [(Planned, InProgress), (Planned, Stopped), (InProgress, Completed), (InProgress, Stopped)];
        for from in all {
            for to in all {
                let mut it = item.clone();
                it.status = *from;
                let reason = (*to == Stopped).then_some(StopReason::DeclinedByVictim);
                let r = it.advance(*to, d("2026-04-01"), reason);
                assert_eq!(r.is_ok(), legal.contains(&(*from, *to)), "{from} -> {to}");
            }
        }
        let mut it = item.clone();
        assert_eq!(it.advance(Stopped, d("2026-04-01"), None).unwrap_err().field, "stop_reason");
        it.advance(InProgress, d("2026-03-05"), None).unwrap();
        it.advance(Completed, d("2026-04-01"), None).unwrap();
        assert_eq!(it.ends_on, Some(d("2026-04-01")));
    }

    #[test]
    fn unmet_needs_are_those_without_an_open_service() {
        let mut a = PlanItem::parse(&input("safe_accommodation"), ADULT).unwrap();
        a.need = Some(NeedArea::Accommodation);
        let mut m = PlanItem::parse(&input("medical_treatment"), ADULT).unwrap();
        m.need = Some(NeedArea::PhysicalHealth);
        m.status = ItemStatus::Stopped;
        let needs = [NeedArea::Accommodation, NeedArea::PhysicalHealth, NeedArea::Language];
        assert_eq!(unmet_needs(&needs, &[a, m]), vec![NeedArea::PhysicalHealth, NeedArea::Language]);
    }

    /// Dir 2011/36 Art 11(1): support runs before, during and after criminal proceedings: a
    /// service cannot be stopped because the proceedings ended or were closed, and it runs to
    /// completion with no proceedings recorded at all.
    #[test]
    fn art_11_1_dir_2011_36_support_does_not_end_with_the_proceedings() {
        let mut item = PlanItem::parse(&input("psychological_assistance"), ADULT).unwrap();
        for r in ["proceedings_ended", "proceedings_closed", "case_closed_by_police"] {
            let e = parse_stop_reason("stop_reason", r).unwrap_err();
            assert!(e.message.contains("does not end with the proceedings"), "{r}: {e}");
        }
        item.advance(ItemStatus::InProgress, d("2026-03-02"), None).unwrap();
        item.advance(ItemStatus::Completed, d("2026-09-30"), None).unwrap();
        assert_eq!((item.status, item.stop_reason), (ItemStatus::Completed, None));
    }

    /// CETS 197 Art 12(6): assistance is not made conditional on the victim's willingness to act
    /// as a witness: stop reasons about testifying or withdrawing a statement are refused, citing
    /// the Convention.
    #[test]
    fn art_12_6_cets_support_is_not_stopped_for_unwillingness_to_act_as_a_witness() {
        for r in ["refused_to_testify", "withdrew_statement", "withdrew_complaint", "refused_to_cooperate"] {
            let e = parse_stop_reason("stop_reason", r).unwrap_err();
            assert_eq!(e.field, "stop_reason");
            assert!(e.message.contains("CETS 197 Art 12(6)"), "{r}: {e}");
        }
        // The victim's own choice to stop is a reason; it is not the same as refusing to testify.
        assert_eq!(parse_stop_reason("stop_reason", "declined_by_victim"), Ok(StopReason::DeclinedByVictim));
    }

    /// Dir 2011/36 Art 14(3): support for the family of a child victim is planned for a child's
    /// case only.
    #[test]
    fn art_14_3_dir_2011_36_family_support_is_planned_for_a_child_victim_only() {
        assert_eq!(PlanItem::parse(&input("child_family_support"), ADULT).unwrap_err().field, "service");
        let child = PlanContext { child: true, lacks_means: false };
        let item = PlanItem::parse(&input("child_family_support"), child).unwrap();
        assert_eq!(item.service, ServiceType::ChildFamilySupport);
        assert!(item.service.article().contains("Art 14(3)"));
        let mut i = input("child_family_support");
        i.need = "family".into();
        assert_eq!(PlanItem::parse(&i, ADULT).unwrap_err().field, "service");
        assert_eq!(PlanItem::parse(&i, child).unwrap().need, Some(NeedArea::Family));
    }

    /// Dir 2011/36 Art 15(2): a child victim has free legal counselling and representation unless
    /// the child has sufficient financial resources.
    #[test]
    fn art_15_2_dir_2011_36_a_child_s_legal_help_is_free_without_sufficient_means() {
        let child_without_means = PlanContext { child: true, lacks_means: true };
        for s in ["legal_counselling", "legal_representation"] {
            assert_eq!(PlanItem::parse(&input(s), child_without_means).unwrap_err().field, "free_of_charge", "{s}");
            let mut i = input(s);
            i.free_of_charge = true;
            assert!(PlanItem::parse(&i, child_without_means).unwrap().free_of_charge);
            let child_with_means = PlanContext { child: true, lacks_means: false };
            assert!(PlanItem::parse(&input(s), child_with_means).is_ok(), "{s}");
        }
    }

    /// Dir 2004/81 Art 7(1): before a permit, subsistence, emergency medical treatment and
    /// interpretation are given; the plan asks nothing about a residence permit, so these
    /// services are planned for any adult.
    #[test]
    fn art_7_dir_2004_81_subsistence_medical_treatment_and_interpretation_need_no_permit() {
        for s in ["material_assistance", "medical_treatment", "translation_interpretation"] {
            let item = PlanItem::parse(&input(s), ADULT).unwrap();
            assert_eq!(item.status, ItemStatus::Planned, "{s}");
        }
        let json = r#"{"service":"medical_treatment","goal":"g","responsible_organisation_id":"o",
            "starts_on":"2026-03-02","residence_permit":"granted"}"#;
        assert!(serde_json::from_str::<PlanItemInput>(json).is_err(), "no permit field to gate a service");
    }

    proptest! {
        /// Whatever the text, a stop reason either parses to one of the listed reasons or is refused.
        #[test]
        fn stop_reasons_parse_or_are_refused(s in ".{0,40}") {
            match parse_stop_reason("stop_reason", &s) {
                Ok(r) => prop_assert!(StopReason::ALL.contains(&r)),
                Err(e) => prop_assert_eq!(e.field, "stop_reason"),
            }
        }
    }
}
