//! Parsers of outside input in assistance: the JSON bodies of assessments, plan items,
//! providers, needs, consent, children's records, compensation claims and return risk
//! assessments, each through its domain parser; an operator's sharing rules (TOML); stop
//! reasons. Never a panic; whatever parses is ranked or reviewed without a panic either.
#![no_main]

use haven_domain::assist::assessment::{AssessmentInput, RiskAndNeedsAssessment};
use haven_domain::assist::child::{
    BestInterestsDetermination, BestInterestsInput, ChildInterview, ChildInterviewInput, review,
};
use haven_domain::assist::compensation::{ClaimInput, CompensationClaim};
use haven_domain::assist::directory::ProviderInput;
use haven_domain::assist::matching::{NeedQuery, explain, rank_top};
use haven_domain::assist::plan::{PlanContext, PlanItem, PlanItemInput, parse_stop_reason};
use haven_domain::assist::referral::{ConsentInput, SharingRules, consent_basis};
use haven_domain::assist::safe_return::{ReturnRiskAssessment, RiskAssessmentInput};
use haven_domain::case::CalendarDate;
use libfuzzer_sys::fuzz_target;

const TODAY: CalendarDate = CalendarDate { year: 2026, month: 9, day: 21 };

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(input) = serde_json::from_str::<AssessmentInput>(text) {
        for child in [false, true] {
            if let Ok(a) = RiskAndNeedsAssessment::parse(&input, child, TODAY) {
                let _ = a.needs();
            }
        }
    }
    if let Ok(input) = serde_json::from_str::<PlanItemInput>(text) {
        for child in [false, true] {
            let _ = PlanItem::parse(&input, PlanContext { child, lacks_means: !child });
        }
    }
    let _ = parse_stop_reason("stop_reason", text);
    if let Ok(input) = serde_json::from_str::<ProviderInput>(text)
        && let Ok(provider) = input.parse()
    {
        let need: NeedQuery = match serde_json::from_str(
            r#"{"service": "safe_accommodation", "person_is_child": false, "sex": "female", "languages": ["lv"]}"#,
        ) {
            Ok(n) => n,
            Err(_) => return,
        };
        let _ = explain(&need, &provider);
        let _ = rank_top(&need, std::slice::from_ref(&provider), 5);
    }
    if let Ok(need) = serde_json::from_str::<NeedQuery>(text) {
        let _ = rank_top(&need, &[], 5);
    }
    if let Ok(input) = serde_json::from_str::<ConsentInput>(text) {
        let _ = consent_basis(false, &input, true, TODAY);
    }
    let _ = SharingRules::from_toml(text);
    if let Ok(input) = serde_json::from_str::<ChildInterviewInput>(text)
        && let Ok(interview) = ChildInterview::parse(&input, TODAY)
    {
        let _ = review(&[interview.clone(), interview], 7, 3);
    }
    if let Ok(input) = serde_json::from_str::<BestInterestsInput>(text) {
        let _ = BestInterestsDetermination::parse(&input, TODAY);
    }
    if let Ok(input) = serde_json::from_str::<ClaimInput>(text) {
        let _ = CompensationClaim::prepare(&input, TODAY);
    }
    if let Ok(input) = serde_json::from_str::<RiskAssessmentInput>(text) {
        let _ = ReturnRiskAssessment::parse(&input, TODAY);
    }
});
