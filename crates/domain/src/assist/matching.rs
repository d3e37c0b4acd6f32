//! Matching a person's need for a support service to providers in the directory (Directive
//! 2011/36/EU Arts 11(5), 12(2), 14(1); Convention Art 12).
//!
//! Two steps. **Eligibility** is a gate: the provider offers the service, takes the person's
//! group (a child needs a provider for children, a woman one for women, a man one for men, a
//! parent coming with children one for families) and has a free bed or place, or no limit.
//! Services for children ([`ServiceType::for_children`]) match only a child's need. **Ranking**
//! then adds points for free capacity, language, region and specialisation in trafficking; the
//! weights are the constants below. Ties are broken by provider id, so the order is the same
//! whatever the order of the directory.
//!
//! [`rank`] and [`rank_top`] return only eligible providers, each with its score and a plain
//! English explanation; [`explain`] tells for any one provider why it is or is not eligible,
//! so a caseworker can see the whole picture (for instance the right shelter, full today).
//!
//! The result is advice for the caseworker: the choice, and the person's consent, stay with
//! people.

use super::directory::{LanguageCode, OfferedService, Provider, RegionCode};
use super::services::{Audience, CapacityUnit, ServiceType};
use crate::case::Sex;
use crate::coded_enum;
use crate::message::{Message, MessageId};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Points for free capacity when the capacity is not limited; with a limit the points approach
/// this value as free places grow (see [`CAPACITY_HALF_AT`]).
pub const CAPACITY_MAX_POINTS: u32 = 300;
/// The number of free places that earns half of [`CAPACITY_MAX_POINTS`]: the points are
/// `CAPACITY_MAX_POINTS * free / (free + CAPACITY_HALF_AT)`, rounded down, so each extra free
/// place counts for less than the one before (1 free: 75 points, 2: 120, 3: 150, 10: 230,
/// 30: 272).
pub const CAPACITY_HALF_AT: u32 = 3;
/// The provider works in the person's preferred language (the first one listed).
pub const LANGUAGE_PREFERRED_POINTS: u32 = 400;
/// The provider works in one of the person's other languages.
pub const LANGUAGE_OTHER_POINTS: u32 = 250;
/// The provider works in none of the person's languages but offers translation and
/// interpretation itself, so the person does not wait for an outside interpreter.
pub const LANGUAGE_INTERPRETATION_ON_SITE_POINTS: u32 = 80;
/// The provider works in the person's region (or in the whole of the region's country).
pub const REGION_SAME_POINTS: u32 = 300;
/// The provider works elsewhere in the person's country.
pub const REGION_COUNTRY_POINTS: u32 = 100;
/// The provider is specialised in trafficking and the need asks for a specialised provider.
pub const SPECIALISED_PREFERRED_POINTS: u32 = 350;
/// The provider is specialised in trafficking and the need does not ask for it: a small bonus
/// (Art 11 calls for specialised assistance, but it is not a condition).
pub const SPECIALISED_POINTS: u32 = 100;

/// A person's need for one service, as a caseworker puts it to the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedQuery {
    pub service: ServiceType,
    /// A child or a presumed child (Art 13(2)): only providers that take children.
    pub person_is_child: bool,
    /// For an adult, decides between providers for women and for men; an adult whose sex is
    /// `other` or `unknown` is matched to providers that take both women and men.
    pub sex: Sex,
    /// A parent coming with their children: the provider must also take families.
    #[serde(default)]
    pub with_children: bool,
    /// The person's languages, the preferred one first.
    #[serde(default)]
    pub languages: Vec<LanguageCode>,
    /// Where the person is or wants support.
    #[serde(default)]
    pub region: Option<RegionCode>,
    /// The person or the caseworker asks for a provider specialised in trafficking.
    #[serde(default)]
    pub prefer_specialised: bool,
}

impl NeedQuery {
    /// The groups a provider must take for this person, every one of them.
    pub fn required_audiences(&self) -> Vec<Audience> {
        Audiences::of(self).as_slice().to_vec()
    }
}

coded_enum! {
    /// What a line of a ranking explanation is about.
    pub enum Factor {
        Eligibility => "eligibility",
        Capacity => "capacity",
        Language => "language",
        Region => "region",
        Specialisation => "specialisation",
    }
}

/// One line of the explanation: the factor, the points it gave, and a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactorScore {
    pub factor: Factor,
    pub points: u32,
    /// In English, for the API.
    pub sentence: String,
    /// The same as a message of the translations, for the pages.
    #[serde(skip)]
    pub message: Message,
}

/// An eligible provider with its score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ranked {
    /// The provider's position in the slice given to [`rank`] or [`rank_top`].
    pub index: usize,
    pub provider_id: String,
    /// The sum of the points of the factors.
    pub score: u32,
    /// Eligibility first, then capacity, language, region, specialisation.
    pub factors: Vec<FactorScore>,
}

/// Why a provider is not eligible for a need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Ineligibility {
    /// The service is for children and their families, and the person is not a child.
    ServiceForChildrenOnly { service: ServiceType },
    /// The provider does not offer the service.
    ServiceNotOffered { service: ServiceType },
    /// The provider does not take this group of people.
    AudienceNotAccepted { audience: Audience },
    /// Every bed or place of the service is taken.
    NoFreePlace { service: ServiceType, capacity: u32 },
}

impl Ineligibility {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::ServiceForChildrenOnly { .. } => "service_for_children_only",
            Self::ServiceNotOffered { .. } => "service_not_offered",
            Self::AudienceNotAccepted { .. } => "audience_not_accepted",
            Self::NoFreePlace { .. } => "no_free_place",
        }
    }

    /// A plain English sentence.
    pub fn sentence(self) -> String {
        match self {
            Self::ServiceForChildrenOnly { service } => {
                format!(
                    "{} is only for children and their families; the person is not a child.",
                    capital(service_phrase(service))
                )
            }
            Self::ServiceNotOffered { service } => format!("Does not offer {}.", service_phrase(service)),
            Self::AudienceNotAccepted { audience } => format!("Does not take {}.", audience_phrase(audience)),
            Self::NoFreePlace { service, capacity: 0 } => {
                format!("Has no {} for {} at present.", unit(service, 2), service_phrase(service))
            }
            Self::NoFreePlace { service, capacity } => {
                format!("All {capacity} {} for {} are taken.", unit(service, capacity), service_phrase(service))
            }
        }
    }
}

/// Whether one provider is eligible for a need, with the score or the reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Eligible: the score and its explanation, as [`rank`] would give them.
    Eligible { score: u32, factors: Vec<FactorScore> },
    /// Not eligible, with every reason that applies.
    NotEligible { reasons: Vec<Ineligibility> },
}

impl Verdict {
    pub fn is_eligible(&self) -> bool {
        matches!(self, Verdict::Eligible { .. })
    }
}

/// Ranks every eligible provider for `need`, best first; ties go to the smaller provider id.
pub fn rank(need: &NeedQuery, providers: &[Provider]) -> Vec<Ranked> {
    rank_top(need, providers, usize::MAX)
}

/// The first `n` of [`rank`], computed without building the explanation of the others.
pub fn rank_top(need: &NeedQuery, providers: &[Provider], n: usize) -> Vec<Ranked> {
    let query = Prepared::new(need);
    if n == 0 || query.children_only_blocked {
        return Vec::new();
    }
    let mut candidates: Vec<Candidate> = Vec::with_capacity(providers.len());
    for (index, provider) in providers.iter().enumerate() {
        if let Some(evaluation) = evaluate(&query, provider) {
            candidates.push(Candidate { score: evaluation.total(), id_key: id_key(&provider.id), index });
        }
    }
    let order = |a: &Candidate, b: &Candidate| compare(a, b, providers);
    if candidates.len() > n {
        candidates.select_nth_unstable_by(n - 1, order);
        candidates.truncate(n);
    }
    candidates.sort_unstable_by(order);
    candidates
        .iter()
        .filter_map(|c| {
            let provider = providers.get(c.index)?;
            let evaluation = evaluate(&query, provider)?;
            Some(Ranked {
                index: c.index,
                provider_id: provider.id.clone(),
                score: c.score,
                factors: evaluation.explain(&query, provider),
            })
        })
        .collect()
}

/// Whether `provider` is eligible for `need`: its score and explanation as [`rank`] gives them,
/// or every reason it is not.
pub fn explain(need: &NeedQuery, provider: &Provider) -> Verdict {
    let query = Prepared::new(need);
    if let Some(evaluation) = evaluate(&query, provider) {
        return Verdict::Eligible { score: evaluation.total(), factors: evaluation.explain(&query, provider) };
    }
    let mut reasons = Vec::new();
    if query.children_only_blocked {
        reasons.push(Ineligibility::ServiceForChildrenOnly { service: need.service });
    }
    let offer = provider.offer(need.service);
    if offer.is_none() {
        reasons.push(Ineligibility::ServiceNotOffered { service: need.service });
    }
    for &audience in query.audiences.as_slice() {
        if !provider.accepts(audience) {
            reasons.push(Ineligibility::AudienceNotAccepted { audience });
        }
    }
    if let Some(offer) = offer
        && !offer.has_room()
    {
        reasons.push(Ineligibility::NoFreePlace { service: need.service, capacity: offer.capacity.unwrap_or(0) });
    }
    Verdict::NotEligible { reasons }
}

/// The groups a need requires, without allocating: at most three (women and men when an adult's
/// sex is not known, and families).
#[derive(Debug, Clone, Copy)]
struct Audiences {
    items: [Audience; 3],
    len: usize,
}

impl Audiences {
    fn of(need: &NeedQuery) -> Self {
        let mut items = [Audience::Children; 3];
        let mut len = 0;
        let mut push = |a| {
            if let Some(slot) = items.get_mut(len) {
                *slot = a;
                len += 1;
            }
        };
        if need.person_is_child {
            push(Audience::Children);
        } else {
            match need.sex {
                Sex::Female => push(Audience::Women),
                Sex::Male => push(Audience::Men),
                Sex::Other | Sex::Unknown => {
                    push(Audience::Women);
                    push(Audience::Men);
                }
            }
        }
        if need.with_children {
            push(Audience::Families);
        }
        Self { items, len }
    }

    fn as_slice(&self) -> &[Audience] {
        self.items.get(..self.len).unwrap_or(&[])
    }
}

/// The need in the shape the hot loop wants: codes as bytes, nothing to allocate.
struct Prepared<'a> {
    service: ServiceType,
    children_only_blocked: bool,
    audiences: Audiences,
    preferred: Option<LanguageCode>,
    other_languages: &'a [LanguageCode],
    region: Option<RegionCode>,
    prefer_specialised: bool,
}

impl<'a> Prepared<'a> {
    fn new(need: &'a NeedQuery) -> Self {
        let (preferred, other_languages) = match need.languages.split_first() {
            Some((first, rest)) => (Some(*first), rest),
            None => (None, &[][..]),
        };
        Self {
            service: need.service,
            children_only_blocked: need.service.for_children() && !need.person_is_child,
            audiences: Audiences::of(need),
            preferred,
            other_languages,
            region: need.region,
            prefer_specialised: need.prefer_specialised,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LanguageFit {
    NotGiven,
    Preferred(LanguageCode),
    Other(LanguageCode),
    InterpretationOnSite,
    InterpretationNeeded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RegionFit {
    NotGiven,
    Same(RegionCode),
    Country(RegionCode),
    Elsewhere(RegionCode),
}

/// An eligible provider's fit, computed without allocating.
#[derive(Debug, Clone, Copy)]
struct Evaluation {
    offer: OfferedService,
    capacity_points: u32,
    language: LanguageFit,
    language_points: u32,
    region: RegionFit,
    region_points: u32,
    specialisation_points: u32,
}

fn evaluate(query: &Prepared<'_>, provider: &Provider) -> Option<Evaluation> {
    if query.children_only_blocked {
        return None;
    }
    let offer = *provider.offer(query.service)?;
    if !query.audiences.as_slice().iter().all(|a| provider.accepts.contains(a)) {
        return None;
    }
    let capacity_points = match offer.free() {
        None => CAPACITY_MAX_POINTS,
        Some(0) => return None,
        Some(free) => capacity_points(free),
    };

    let language = match query.preferred {
        None => LanguageFit::NotGiven,
        Some(preferred) if provider.languages.contains(&preferred) => LanguageFit::Preferred(preferred),
        Some(_) => match query.other_languages.iter().find(|l| provider.languages.contains(l)) {
            Some(other) => LanguageFit::Other(*other),
            None if provider.offer(ServiceType::Interpretation).is_some() => LanguageFit::InterpretationOnSite,
            None => LanguageFit::InterpretationNeeded,
        },
    };
    let language_points = match language {
        LanguageFit::Preferred(_) => LANGUAGE_PREFERRED_POINTS,
        LanguageFit::Other(_) => LANGUAGE_OTHER_POINTS,
        LanguageFit::InterpretationOnSite => LANGUAGE_INTERPRETATION_ON_SITE_POINTS,
        LanguageFit::NotGiven | LanguageFit::InterpretationNeeded => 0,
    };

    let region = match query.region {
        None => RegionFit::NotGiven,
        Some(wanted) if provider.regions.iter().any(|r| r.covers(&wanted)) => RegionFit::Same(wanted),
        Some(wanted)
            if provider.country == wanted.country()
                || provider.regions.iter().any(|r| r.country() == wanted.country()) =>
        {
            RegionFit::Country(wanted)
        }
        Some(wanted) => RegionFit::Elsewhere(wanted),
    };
    let region_points = match region {
        RegionFit::Same(_) => REGION_SAME_POINTS,
        RegionFit::Country(_) => REGION_COUNTRY_POINTS,
        RegionFit::NotGiven | RegionFit::Elsewhere(_) => 0,
    };

    let specialisation_points = match (provider.trafficking_specialised, query.prefer_specialised) {
        (true, true) => SPECIALISED_PREFERRED_POINTS,
        (true, false) => SPECIALISED_POINTS,
        (false, _) => 0,
    };

    Some(Evaluation { offer, capacity_points, language, language_points, region, region_points, specialisation_points })
}

/// `CAPACITY_MAX_POINTS * free / (free + CAPACITY_HALF_AT)`, rounded down.
fn capacity_points(free: u32) -> u32 {
    let free = u64::from(free);
    let points = u64::from(CAPACITY_MAX_POINTS) * free / (free + u64::from(CAPACITY_HALF_AT));
    u32::try_from(points).unwrap_or(CAPACITY_MAX_POINTS)
}

impl Evaluation {
    fn total(&self) -> u32 {
        self.capacity_points + self.language_points + self.region_points + self.specialisation_points
    }

    fn explain(&self, query: &Prepared<'_>, provider: &Provider) -> Vec<FactorScore> {
        let line = |factor, points, (sentence, message)| FactorScore { factor, points, sentence, message };
        let m = Message::new;
        let service = query.service;
        let audiences: Vec<&str> = query.audiences.as_slice().iter().map(|a| audience_phrase(*a)).collect();
        let eligibility = (
            format!("Offers {} and takes {}.", service_phrase(service), join_and(&audiences)),
            m(MessageId::MatchEligibility).labels("service", "support-service", [crate::Coded::code(service)]).labels(
                "audiences",
                "support-audience",
                query.audiences.as_slice().iter().map(|a| crate::Coded::code(*a)),
            ),
        );

        let beds = service.capacity_unit() == CapacityUnit::Bed;
        let capacity = match (self.offer.capacity, self.offer.free()) {
            (Some(capacity), Some(free)) => (
                format!("{free} of {capacity} {} free.", unit(service, capacity)),
                m(if beds { MessageId::MatchCapacityBeds } else { MessageId::MatchCapacityPlaces })
                    .with("free", free)
                    .with("capacity", capacity),
            ),
            _ => (
                format!("{} not limited.", capital(unit(service, 2))),
                m(if beds { MessageId::MatchUnlimitedBeds } else { MessageId::MatchUnlimitedPlaces }),
            ),
        };

        let languages = || query_languages(query);
        let language = match self.language {
            LanguageFit::NotGiven => {
                ("No language given for the person.".to_owned(), m(MessageId::MatchLanguageNotGiven))
            }
            LanguageFit::Preferred(l) => (
                format!("Works in the person's preferred language ({l})."),
                m(MessageId::MatchLanguagePreferred).with("language", l),
            ),
            LanguageFit::Other(l) => match query.preferred {
                Some(p) => (
                    format!("Works in one of the person's languages ({l}), not the preferred one ({p})."),
                    m(MessageId::MatchLanguageOtherThanPreferred).with("language", l).with("preferred", p),
                ),
                None => (
                    format!("Works in one of the person's languages ({l})."),
                    m(MessageId::MatchLanguageOther).with("language", l),
                ),
            },
            LanguageFit::InterpretationOnSite => (
                format!("Works in none of the person's languages ({}); offers interpretation itself.", languages()),
                m(MessageId::MatchInterpretationOnSite).with("languages", languages()),
            ),
            LanguageFit::InterpretationNeeded => (
                format!("Works in none of the person's languages ({}); an interpreter will be needed.", languages()),
                m(MessageId::MatchInterpreterNeeded).with("languages", languages()),
            ),
        };

        let region = match self.region {
            RegionFit::NotGiven => ("No region given for the person.".to_owned(), m(MessageId::MatchRegionNotGiven)),
            RegionFit::Same(r) => {
                (format!("Works in the person's region ({r})."), m(MessageId::MatchRegionSame).with("region", r))
            }
            RegionFit::Country(r) => (
                format!("Works elsewhere in the person's country ({}), not in {r}.", r.country()),
                m(MessageId::MatchRegionCountry).with("country", r.country()).with("region", r),
            ),
            RegionFit::Elsewhere(r) => (
                format!("Works outside the person's country ({}); based in {}.", r.country(), provider.country),
                m(MessageId::MatchRegionElsewhere).with("country", r.country()).with("based", provider.country),
            ),
        };

        let (specialisation, id) = match (provider.trafficking_specialised, query.prefer_specialised) {
            (true, true) => {
                ("Specialised in assisting victims of trafficking, as asked.", MessageId::MatchSpecialisedAsked)
            }
            (true, false) => ("Specialised in assisting victims of trafficking.", MessageId::MatchSpecialised),
            (false, true) => (
                "Not specialised in trafficking, although a specialised provider was asked for.",
                MessageId::MatchNotSpecialisedAsked,
            ),
            (false, false) => ("Not specialised in trafficking.", MessageId::MatchNotSpecialised),
        };

        vec![
            line(Factor::Eligibility, 0, eligibility),
            line(Factor::Capacity, self.capacity_points, capacity),
            line(Factor::Language, self.language_points, language),
            line(Factor::Region, self.region_points, region),
            line(Factor::Specialisation, self.specialisation_points, (specialisation.to_owned(), m(id))),
        ]
    }
}

fn query_languages(query: &Prepared<'_>) -> String {
    let all: Vec<&str> = query.preferred.iter().chain(query.other_languages).map(LanguageCode::as_str).collect();
    all.join(", ")
}

/// An eligible provider in the ranking loop: the score, the first eight bytes of the id (so that
/// most ties are broken without touching the id string), and the position.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    score: u32,
    id_key: u64,
    index: usize,
}

/// The first eight bytes of `id`, big-endian, padded with zeros: if `id_key(a) < id_key(b)` then
/// `a < b` as strings; equal keys need the strings compared.
fn id_key(id: &str) -> u64 {
    let mut bytes = [0u8; 8];
    for (slot, b) in bytes.iter_mut().zip(id.as_bytes()) {
        *slot = *b;
    }
    u64::from_be_bytes(bytes)
}

/// Higher score first, then smaller id, then earlier position (only for duplicate ids).
fn compare(a: &Candidate, b: &Candidate, providers: &[Provider]) -> Ordering {
    b.score
        .cmp(&a.score)
        .then(a.id_key.cmp(&b.id_key))
        .then_with(|| {
            let id = |c: &Candidate| providers.get(c.index).map(|p| p.id.as_str());
            id(a).cmp(&id(b))
        })
        .then(a.index.cmp(&b.index))
}

fn service_phrase(service: ServiceType) -> &'static str {
    match service {
        ServiceType::SafeAccommodation => "safe accommodation",
        ServiceType::MaterialAssistance => "material assistance",
        ServiceType::MedicalTreatment => "medical treatment",
        ServiceType::PsychologicalAssistance => "psychological assistance",
        ServiceType::CounsellingInformation => "counselling and information",
        ServiceType::Interpretation => "translation and interpretation",
        ServiceType::LegalCounselling => "legal counselling",
        ServiceType::LegalRepresentation => "legal representation",
        ServiceType::Education => "education",
        ServiceType::WitnessProtection => "witness protection",
        ServiceType::ChildFamilySupport => "support for the family of a child victim",
    }
}

fn audience_phrase(audience: Audience) -> &'static str {
    match audience {
        Audience::Women => "women",
        Audience::Men => "men",
        Audience::Children => "children",
        Audience::Families => "parents with their children",
    }
}

/// "bed" or "beds", "place" or "places".
fn unit(service: ServiceType, count: u32) -> &'static str {
    match (service.capacity_unit(), count == 1) {
        (CapacityUnit::Bed, true) => "bed",
        (CapacityUnit::Bed, false) => "beds",
        (CapacityUnit::Place, true) => "place",
        (CapacityUnit::Place, false) => "places",
    }
}

fn capital(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;
    use crate::assist::directory::{OfferedServiceInput, ProviderInput};
    use proptest::prelude::*;
    use serde_json::json;

    /// A women's shelter in Riga, Latvian and Russian, 10 beds with 5 free, specialised.
    fn base() -> ProviderInput {
        serde_json::from_value(json!({
            "id": "base",
            "name": "Shelter",
            "country": "LV",
            "services": [{"service": "safe_accommodation", "capacity": 10, "occupied": 5}],
            "languages": ["lv", "ru"],
            "regions": ["LV-RIX"],
            "accepts": ["women"],
            "trafficking_specialised": true
        }))
        .unwrap()
    }

    fn provider(id: &str, f: impl FnOnce(&mut ProviderInput)) -> Provider {
        let mut input = base();
        input.id = id.to_owned();
        f(&mut input);
        input.parse().unwrap()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn lang(code: &str) -> LanguageCode {
        LanguageCode::parse("l", code).unwrap()
    }

    fn region(code: &str) -> RegionCode {
        RegionCode::parse("r", code).unwrap()
    }

    /// A woman needing safe accommodation in Riga, speaking Russian (preferred) and Latvian.
    fn woman() -> NeedQuery {
        NeedQuery {
            service: ServiceType::SafeAccommodation,
            person_is_child: false,
            sex: Sex::Female,
            with_children: false,
            languages: vec![lang("ru"), lang("lv")],
            region: Some(region("LV-RIX")),
            prefer_specialised: false,
        }
    }

    fn ids(ranked: &[Ranked]) -> Vec<&str> {
        ranked.iter().map(|r| r.provider_id.as_str()).collect()
    }

    fn reasons(need: &NeedQuery, p: &Provider) -> Vec<&'static str> {
        match explain(need, p) {
            Verdict::Eligible { .. } => Vec::new(),
            Verdict::NotEligible { reasons } => reasons.iter().map(|r| r.code()).collect(),
        }
    }

    #[test]
    fn a_child_never_gets_an_adults_only_provider() {
        let adults = provider("adults", |i| i.accepts = strings(&["women", "men", "families"]));
        let children = provider("children", |i| i.accepts = strings(&["children"]));
        let child = NeedQuery { person_is_child: true, ..woman() };
        assert_eq!(ids(&rank(&child, &[adults.clone(), children.clone()])), ["children"]);
        assert_eq!(reasons(&child, &adults), ["audience_not_accepted"]);
        // And an adult does not get a children's provider.
        assert_eq!(ids(&rank(&woman(), &[adults, children])), ["adults"]);
    }

    #[test]
    fn sex_decides_between_women_and_men() {
        let women = provider("women", |i| i.accepts = strings(&["women"]));
        let men = provider("men", |i| i.accepts = strings(&["men"]));
        let mixed = provider("mixed", |i| i.accepts = strings(&["women", "men"]));
        let all = [women, men, mixed];
        let mut need = woman();
        assert_eq!(ids(&rank(&need, &all)), ["mixed", "women"]);
        need.sex = Sex::Male;
        assert_eq!(ids(&rank(&need, &all)), ["men", "mixed"]);
        need.sex = Sex::Unknown;
        assert_eq!(ids(&rank(&need, &all)), ["mixed"]);
        need.sex = Sex::Other;
        assert_eq!(ids(&rank(&need, &all)), ["mixed"]);
        assert_eq!(need.required_audiences(), [Audience::Women, Audience::Men]);
    }

    #[test]
    fn a_parent_with_children_needs_a_provider_for_families() {
        let women = provider("women", |i| i.accepts = strings(&["women"]));
        let families = provider("families", |i| i.accepts = strings(&["women", "families"]));
        let need = NeedQuery { with_children: true, ..woman() };
        assert_eq!(ids(&rank(&need, &[women.clone(), families])), ["families"]);
        assert_eq!(reasons(&need, &women), ["audience_not_accepted"]);
        let child_parent = NeedQuery { person_is_child: true, with_children: true, ..woman() };
        assert_eq!(child_parent.required_audiences(), [Audience::Children, Audience::Families]);
    }

    #[test]
    fn a_full_shelter_is_not_eligible_and_explain_says_why() {
        let full = provider("full", |i| i.services[0].occupied = 10);
        let closed = provider("closed", |i| {
            i.services[0] = OfferedServiceInput { service: "safe_accommodation".into(), capacity: Some(0), occupied: 0 }
        });
        assert!(rank(&woman(), &[full.clone(), closed.clone()]).is_empty());
        assert_eq!(reasons(&woman(), &full), ["no_free_place"]);
        let Verdict::NotEligible { reasons } = explain(&woman(), &full) else { panic!("eligible") };
        assert_eq!(reasons[0].sentence(), "All 10 beds for safe accommodation are taken.");
        let Verdict::NotEligible { reasons } = explain(&woman(), &closed) else { panic!("eligible") };
        assert_eq!(reasons[0].sentence(), "Has no beds for safe accommodation at present.");
    }

    #[test]
    fn unlimited_capacity_is_eligible_and_scores_the_most() {
        let need = NeedQuery { service: ServiceType::CounsellingInformation, ..woman() };
        let hotline = provider("hotline", |i| {
            i.services =
                vec![OfferedServiceInput { service: "counselling_information".into(), capacity: None, occupied: 0 }]
        });
        let limited = provider("limited", |i| {
            i.services = vec![OfferedServiceInput {
                service: "counselling_information".into(),
                capacity: Some(1000),
                occupied: 0,
            }]
        });
        let ranked = rank(&need, &[limited, hotline]);
        assert_eq!(ids(&ranked), ["hotline", "limited"]);
        assert_eq!(ranked[0].factors[1].points, CAPACITY_MAX_POINTS);
        assert_eq!(ranked[0].factors[1].sentence, "Places not limited.");
    }

    #[test]
    fn a_provider_without_the_service_is_not_eligible() {
        let need = NeedQuery { service: ServiceType::LegalCounselling, ..woman() };
        let p = provider("p", |_| {});
        assert!(rank(&need, std::slice::from_ref(&p)).is_empty());
        assert_eq!(reasons(&need, &p), ["service_not_offered"]);
    }

    #[test]
    fn services_for_children_match_only_a_child() {
        for service in ServiceType::ALL.iter().copied().filter(|s| s.for_children()) {
            let p = provider("school", |i| {
                i.services =
                    vec![OfferedServiceInput { service: service.code().into(), capacity: Some(5), occupied: 0 }];
                i.accepts = strings(&["women", "men", "children", "families"]);
            });
            let adult = NeedQuery { service, with_children: true, ..woman() };
            assert!(rank(&adult, std::slice::from_ref(&p)).is_empty(), "{service}");
            assert_eq!(reasons(&adult, &p), ["service_for_children_only"]);
            let child = NeedQuery { person_is_child: true, ..adult };
            assert_eq!(ids(&rank(&child, std::slice::from_ref(&p))), ["school"]);
        }
    }

    #[test]
    fn every_reason_is_listed() {
        let p = provider("men", |i| {
            i.accepts = strings(&["men"]);
            i.services[0].occupied = 10;
        });
        let need = NeedQuery { with_children: true, ..woman() };
        assert_eq!(reasons(&need, &p), ["audience_not_accepted", "audience_not_accepted", "no_free_place"]);
    }

    #[test]
    fn language_changes_the_order() {
        let preferred = provider("a-preferred", |i| i.languages = strings(&["ru"]));
        let other = provider("b-other", |i| i.languages = strings(&["lv"]));
        let on_site = provider("c-on-site", |i| {
            i.languages = strings(&["en"]);
            i.services.push(OfferedServiceInput {
                service: "translation_interpretation".into(),
                capacity: None,
                occupied: 0,
            });
        });
        let none = provider("d-none", |i| i.languages = strings(&["en"]));
        let all = [none, on_site, other, preferred];
        let ranked = rank(&woman(), &all);
        assert_eq!(ids(&ranked), ["a-preferred", "b-other", "c-on-site", "d-none"]);
        let points: Vec<u32> = ranked.iter().map(|r| r.factors[2].points).collect();
        assert_eq!(
            points,
            [LANGUAGE_PREFERRED_POINTS, LANGUAGE_OTHER_POINTS, LANGUAGE_INTERPRETATION_ON_SITE_POINTS, 0]
        );
        assert_eq!(
            ranked[1].factors[2].sentence,
            "Works in one of the person's languages (lv), not the preferred one (ru)."
        );
        assert_eq!(
            ranked[3].factors[2].sentence,
            "Works in none of the person's languages (ru, lv); an interpreter will be needed."
        );
        // Swapping the person's preference swaps the first two.
        let need = NeedQuery { languages: vec![lang("lv"), lang("ru")], ..woman() };
        assert_eq!(ids(&rank(&need, &all))[..2], ["b-other", "a-preferred"]);
    }

    #[test]
    fn region_changes_the_order() {
        let same = provider("d-same", |i| i.regions = strings(&["LV-RIX"]));
        let whole = provider("c-whole-country", |i| i.regions = strings(&["LV"]));
        let country = provider("b-country", |i| i.regions = strings(&["LV-DGV"]));
        let abroad = provider("a-abroad", |i| {
            i.country = "EE".into();
            i.regions = strings(&["EE-37"]);
        });
        let all = [abroad, country, whole, same];
        let ranked = rank(&woman(), &all);
        assert_eq!(ids(&ranked), ["c-whole-country", "d-same", "b-country", "a-abroad"]);
        assert_eq!(ranked[0].factors[3].points, REGION_SAME_POINTS);
        assert_eq!(ranked[2].factors[3].points, REGION_COUNTRY_POINTS);
        assert_eq!(ranked[3].factors[3].sentence, "Works outside the person's country (LV); based in EE.");
        let need = NeedQuery { region: Some(region("EE-37")), ..woman() };
        assert_eq!(ids(&rank(&need, &all))[0], "a-abroad");
        // Without a region, the directory order by id decides.
        let need = NeedQuery { region: None, ..woman() };
        assert_eq!(ids(&rank(&need, &all)), ["a-abroad", "b-country", "c-whole-country", "d-same"]);
    }

    #[test]
    fn more_free_places_rank_higher_with_diminishing_returns() {
        let with_free = |id: &str, free: u32| {
            provider(id, |i| {
                i.services[0] = OfferedServiceInput {
                    service: "safe_accommodation".into(),
                    capacity: Some(100),
                    occupied: 100 - free,
                }
            })
        };
        let all = [with_free("a1", 1), with_free("b2", 2), with_free("c20", 20), with_free("d21", 21)];
        let ranked = rank(&woman(), &all);
        assert_eq!(ids(&ranked), ["d21", "c20", "b2", "a1"]);
        let p: Vec<u32> = ranked.iter().map(|r| r.factors[1].points).collect();
        assert!(p[2] - p[3] > p[0] - p[1], "{p:?}");
        assert_eq!(ranked[3].factors[1].sentence, "1 of 100 beds free.");
        for free in 1..500 {
            assert!(capacity_points(free + 1) >= capacity_points(free));
            assert!(capacity_points(free) < CAPACITY_MAX_POINTS);
        }
        assert_eq!(capacity_points(u32::MAX), CAPACITY_MAX_POINTS - 1);
    }

    #[test]
    fn specialisation_changes_the_order() {
        let general = provider("a-general", |i| i.trafficking_specialised = false);
        let specialised = provider("b-specialised", |_| {});
        let all = [general, specialised];
        assert_eq!(ids(&rank(&woman(), &all)), ["b-specialised", "a-general"]);
        // A preference makes specialisation outweigh speaking the preferred language.
        let general_ru = provider("a-general", |i| {
            i.trafficking_specialised = false;
            i.languages = strings(&["ru"]);
        });
        let specialised_lv = provider("b-specialised", |i| i.languages = strings(&["lv"]));
        let all = [general_ru, specialised_lv];
        assert_eq!(ids(&rank(&woman(), &all)), ["a-general", "b-specialised"]);
        let need = NeedQuery { prefer_specialised: true, ..woman() };
        let ranked = rank(&need, &all);
        assert_eq!(ids(&ranked), ["b-specialised", "a-general"]);
        assert_eq!(ranked[0].factors[4].points, SPECIALISED_PREFERRED_POINTS);
    }

    #[test]
    fn ties_go_to_the_smaller_id_whatever_the_input_order() {
        let names = ["provider-0010", "provider-0002", "provider-001", "p", "provider-0001", "provider"];
        let all: Vec<Provider> = names.iter().map(|id| provider(id, |_| {})).collect();
        let ranked = rank(&woman(), &all);
        assert_eq!(ids(&ranked), ["p", "provider", "provider-0001", "provider-0002", "provider-001", "provider-0010"]);
        assert!(ranked.windows(2).all(|w| w[0].score == w[1].score));
        assert_eq!(ranked[0].index, 3);
    }

    #[test]
    fn the_explanation_adds_up_and_reads_plainly() {
        let ranked = rank(&woman(), &[provider("p", |_| {})]);
        let r = &ranked[0];
        assert_eq!(r.score, r.factors.iter().map(|f| f.points).sum::<u32>());
        let factors: Vec<Factor> = r.factors.iter().map(|f| f.factor).collect();
        assert_eq!(factors, Factor::ALL);
        assert_eq!(r.factors[0].sentence, "Offers safe accommodation and takes women.");
        assert_eq!(r.factors[1].sentence, "5 of 10 beds free.");
        assert_eq!(r.factors[2].sentence, "Works in the person's preferred language (ru).");
        assert_eq!(r.factors[3].sentence, "Works in the person's region (LV-RIX).");
        let need = NeedQuery { with_children: true, sex: Sex::Unknown, ..woman() };
        assert_eq!(
            explain(&need, &provider("p", |i| i.accepts = strings(&["women", "men", "families"]))),
            Verdict::Eligible {
                score: r.score,
                factors: {
                    let mut f = r.factors.clone();
                    f[0].sentence =
                        "Offers safe accommodation and takes women, men and parents with their children.".into();
                    f[0].message = crate::message::Message::new(MessageId::MatchEligibility)
                        .labels("service", "support-service", ["safe_accommodation"])
                        .labels("audiences", "support-audience", ["women", "men", "families"]);
                    f
                }
            }
        );
    }

    #[test]
    fn rank_top_zero_and_need_deserialises() {
        assert!(rank_top(&woman(), &[provider("p", |_| {})], 0).is_empty());
        let need: NeedQuery = serde_json::from_value(json!({
            "service": "safe_accommodation", "person_is_child": false, "sex": "female",
            "languages": ["ru", "lv"], "region": "LV-RIX"
        }))
        .unwrap();
        assert_eq!(need, woman());
        assert!(
            serde_json::from_value::<NeedQuery>(json!({
                "service": "safe_accommodation", "person_is_child": false, "sex": "female", "languages": ["RU"]
            }))
            .is_err()
        );
    }

    // Property tests over random directories.

    const LANGS: [&str; 5] = ["lv", "ru", "en", "uk", "ro"];
    const REGIONS: [&str; 6] = ["LV", "LV-RIX", "LV-DGV", "EE", "EE-37", "LT-VL"];
    const SERVICES: [ServiceType; 5] = [
        ServiceType::SafeAccommodation,
        ServiceType::CounsellingInformation,
        ServiceType::Interpretation,
        ServiceType::Education,
        ServiceType::LegalCounselling,
    ];

    fn pick<T: Copy>(items: &[T], mask: u32) -> Vec<T> {
        items.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, t)| *t).collect()
    }

    prop_compose! {
        fn arb_provider()(
            id_style in 0u8..3,
            id_num in 0u16..40,
            services in 1u32..32,
            capacities in proptest::collection::vec((0u32..6, 0u32..6, any::<bool>()), 5),
            langs in 1u32..32,
            regions in 1u32..64,
            accepts in 1u32..16,
            specialised in any::<bool>(),
            lv in any::<bool>(),
        ) -> ProviderInput {
            let id = match id_style {
                0 => format!("p{id_num}"),
                1 => format!("provider-{id_num:03}"),
                _ => format!("providers{id_num}"),
            };
            let services = pick(&SERVICES, services)
                .into_iter()
                .zip(capacities)
                .map(|(s, (capacity, occupied, limited))| OfferedServiceInput {
                    service: s.code().into(),
                    capacity: (limited || s == ServiceType::SafeAccommodation).then_some(capacity),
                    occupied: if limited || s == ServiceType::SafeAccommodation { occupied.min(capacity) } else { 0 },
                })
                .collect();
            ProviderInput {
                id,
                organisation_id: None,
                name: "Provider".into(),
                country: if lv { "LV".into() } else { "EE".into() },
                services,
                languages: pick(&LANGS, langs).into_iter().map(String::from).collect(),
                regions: pick(&REGIONS, regions).into_iter().map(String::from).collect(),
                accepts: pick(Audience::ALL, accepts).into_iter().map(|a| a.code().into()).collect(),
                trafficking_specialised: specialised,
                contact_points: Vec::new(),
                opening_hours: Default::default(),
            }
        }
    }

    /// Providers with distinct ids (a suffix makes duplicates unique), in random order.
    fn arb_directory() -> impl Strategy<Value = Vec<Provider>> {
        proptest::collection::vec(arb_provider(), 0..40)
            .prop_map(|inputs| {
                let mut seen = std::collections::BTreeSet::new();
                inputs
                    .into_iter()
                    .enumerate()
                    .map(|(n, mut input)| {
                        if !seen.insert(input.id.clone()) {
                            input.id = format!("{}-{n}", input.id);
                        }
                        input.parse().unwrap()
                    })
                    .collect::<Vec<_>>()
            })
            .prop_shuffle()
    }

    prop_compose! {
        fn arb_need()(
            service in proptest::sample::select(SERVICES.to_vec()),
            person_is_child in any::<bool>(),
            sex in proptest::sample::select(Sex::ALL.to_vec()),
            with_children in any::<bool>(),
            langs in proptest::collection::vec(proptest::sample::select(LANGS.to_vec()), 0..3),
            region in proptest::option::of(proptest::sample::select(REGIONS.to_vec())),
            prefer_specialised in any::<bool>(),
        ) -> NeedQuery {
            NeedQuery {
                service,
                person_is_child,
                sex,
                with_children,
                languages: langs.iter().map(|l| lang(l)).collect(),
                region: region.map(region_code),
                prefer_specialised,
            }
        }
    }

    fn region_code(code: &str) -> RegionCode {
        region(code)
    }

    proptest! {
        #[test]
        fn ranked_providers_are_eligible_and_the_rest_are_not(need in arb_need(), directory in arb_directory()) {
            let ranked = rank(&need, &directory);
            let mut seen = vec![false; directory.len()];
            for r in &ranked {
                let p = &directory[r.index];
                prop_assert_eq!(&p.id, &r.provider_id);
                prop_assert!(p.offer(need.service).is_some_and(|o| o.has_room()));
                prop_assert!(need.required_audiences().iter().all(|a| p.accepts(*a)));
                prop_assert!(!need.service.for_children() || need.person_is_child);
                prop_assert_eq!(r.score, r.factors.iter().map(|f| f.points).sum::<u32>());
                prop_assert_eq!(explain(&need, p), Verdict::Eligible { score: r.score, factors: r.factors.clone() });
                seen[r.index] = true;
            }
            for (p, seen) in directory.iter().zip(seen) {
                if !seen {
                    let verdict = explain(&need, p);
                    prop_assert!(matches!(&verdict, Verdict::NotEligible { reasons } if !reasons.is_empty()), "{:?}", verdict);
                }
            }
        }

        #[test]
        fn the_order_is_by_descending_score_then_id_and_deterministic(
            need in arb_need(),
            directory in arb_directory(),
            seed in any::<u64>(),
        ) {
            let ranked = rank(&need, &directory);
            for w in ranked.windows(2) {
                prop_assert!(w[0].score > w[1].score || (w[0].score == w[1].score && w[0].provider_id < w[1].provider_id));
            }
            prop_assert_eq!(&rank(&need, &directory), &ranked);
            // The same directory in another order gives the same providers in the same order.
            let mut shuffled = directory.clone();
            let mut state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                shuffled.swap(i, (state % (i as u64 + 1)) as usize);
            }
            let again = rank(&need, &shuffled);
            prop_assert_eq!(ids(&again), ids(&ranked));
        }

        #[test]
        fn rank_top_is_a_prefix_of_rank(need in arb_need(), directory in arb_directory(), n in 0usize..45) {
            let all = rank(&need, &directory);
            let top = rank_top(&need, &directory, n);
            prop_assert_eq!(top.len(), n.min(all.len()));
            prop_assert_eq!(&all[..top.len()], &top[..]);
        }

        #[test]
        fn the_id_key_agrees_with_string_order(a in "[ -~]{0,12}", b in "[ -~]{0,12}") {
            if id_key(&a) < id_key(&b) {
                prop_assert!(a < b);
            }
            if a < b {
                prop_assert!(id_key(&a) <= id_key(&b));
            }
        }
    }
}
