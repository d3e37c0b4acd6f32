//! Prevention and demand reduction (docs/monitoring.md, "Prevention"): awareness campaigns
//! (Dir 2011/36 Art 18(2), CETS 197 Art 5(2)), measures and studies discouraging the demand that
//! fosters exploitation (Dir 2011/36 Art 18(1) and (4), CETS 197 Art 6), the review of funded
//! projects, and research on online recruitment, forced labour and gender with the statistics
//! releases it draws on. No record names a person.

use crate::case::CalendarDate;
use crate::text::parse_line;
use crate::{Coded, Jurisdiction, Message, MessageId, ParseError, coded_enum};
use serde::{Deserialize, Serialize};

/// ISO 639-1 two-letter language codes.
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy \
da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is \
it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd \
ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv \
sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// The most languages, target groups or channels one campaign lists, and statistics releases
/// one research item draws on.
pub const MAX_LIST: usize = 40;

coded_enum! {
    /// What a prevention record is.
    pub enum PreventionKind {
        /// An awareness-raising campaign (Dir 2011/36 Art 18(2)).
        Campaign => "campaign",
        /// A measure or study discouraging demand (Dir 2011/36 Art 18(1), (4); CETS 197 Art 6).
        DemandReduction => "demand_reduction",
        /// A funded project under review.
        FundedProject => "funded_project",
        /// A research item.
        Research => "research",
    }
}

coded_enum! {
    /// Whom a campaign addresses.
    pub enum TargetGroup {
        GeneralPublic => "general_public",
        PotentialVictims => "potential_victims",
        Children => "children",
        YoungPeople => "young_people",
        Migrants => "migrants",
        Workers => "workers",
        Employers => "employers",
        /// The users of services that may be provided by victims (demand).
        ServiceUsers => "service_users",
        FrontlineProfessionals => "frontline_professionals",
    }
}

coded_enum! {
    /// How a campaign reaches people.
    pub enum Channel {
        SocialMedia => "social_media",
        Website => "website",
        Television => "television",
        Radio => "radio",
        Print => "print",
        Outdoor => "outdoor",
        Events => "events",
        Schools => "schools",
        Helpline => "helpline",
    }
}

coded_enum! {
    /// Whether a demand-reduction record is a measure or a study.
    pub enum DemandKind {
        Measure => "measure",
        Study => "study",
    }
}

coded_enum! {
    /// What a research item is about.
    pub enum ResearchTopic {
        OnlineRecruitment => "online_recruitment",
        ForcedLabour => "forced_labour",
        Gender => "gender",
        Other => "other",
    }
}

/// What a prevention record holds, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Details {
    Campaign {
        target_groups: Vec<TargetGroup>,
        channels: Vec<Channel>,
        /// ISO 639-1 codes, lower case.
        languages: Vec<String>,
        /// People reached, as the evaluation counted them.
        reach: Option<u64>,
        evaluation: String,
    },
    DemandReduction {
        demand_kind: DemandKind,
        /// The sector it addresses (sexual services, agriculture, construction, supply chains).
        sector: String,
    },
    FundedProject {
        funder: String,
        /// In whole minor units (cents) of `currency`.
        amount: i64,
        currency: String,
        outputs: String,
        outcome: String,
    },
    Research {
        topic: ResearchTopic,
        /// The ids of the statistics releases it draws on.
        releases: Vec<String>,
    },
}

impl Details {
    pub fn kind(&self) -> PreventionKind {
        match self {
            Details::Campaign { .. } => PreventionKind::Campaign,
            Details::DemandReduction { .. } => PreventionKind::DemandReduction,
            Details::FundedProject { .. } => PreventionKind::FundedProject,
            Details::Research { .. } => PreventionKind::Research,
        }
    }
}

/// A prevention record: a campaign, a demand-reduction measure or study, a funded project or a
/// research item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreventionRecord {
    pub id: String,
    /// Whose it is: a country's, or the EU level's.
    pub scope: Jurisdiction,
    pub title: String,
    /// Who carries it out or publishes it.
    pub by: String,
    pub starts_on: CalendarDate,
    pub ends_on: Option<CalendarDate>,
    /// What it is, in a few sentences.
    pub summary: String,
    /// A link to it (`https://…`), if any.
    pub link: String,
    pub details: Details,
}

/// A prevention record as typed (the fields of its kind used, the others ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PreventionInput {
    pub title: String,
    pub by: String,
    pub starts_on: String,
    pub ends_on: String,
    pub summary: String,
    pub link: String,
    /// Campaign: codes separated by commas or spaces.
    pub target_groups: String,
    pub channels: String,
    pub languages: String,
    pub reach: String,
    pub evaluation: String,
    /// Demand reduction.
    pub demand_kind: String,
    pub sector: String,
    /// Funded project: the amount in whole units of `currency` (`250000`).
    pub funder: String,
    pub amount: String,
    pub currency: String,
    pub outputs: String,
    pub outcome: String,
    /// Research: its topic and the ids of the releases it draws on (commas or spaces).
    pub topic: String,
    pub releases: String,
}

fn items(value: &str) -> impl Iterator<Item = &str> {
    value.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty())
}

fn too_many(field: &str) -> ParseError {
    ParseError::said(field, format!("at most {MAX_LIST} items"), Message::new(MessageId::StrategyTooMany))
}

/// Parses a list of coded values (commas or spaces between them), each once; at least one.
pub fn parse_codes<C: Coded + PartialEq>(field: &str, value: &str) -> Result<Vec<C>, ParseError> {
    let mut out = Vec::new();
    for item in items(value) {
        let code = C::parse_code(field, item)?;
        if !out.contains(&code) {
            out.push(code);
        }
    }
    if out.is_empty() {
        return Err(ParseError::empty(field));
    }
    Ok(out)
}

/// Whether `code` is an ISO 639-1 language code (two lower-case letters, assigned).
pub fn is_language_code(code: &str) -> bool {
    code.len() == 2 && ISO_639_1.split(' ').any(|c| c == code)
}

/// Parses ISO 639-1 language codes (commas or spaces between them; upper case accepted), each
/// once; at least one.
pub fn parse_languages(field: &str, value: &str) -> Result<Vec<String>, ParseError> {
    let mut out: Vec<String> = Vec::new();
    for item in items(value) {
        let code = item.to_ascii_lowercase();
        if !is_language_code(&code) {
            return Err(ParseError::said(
                field,
                format!("{item:?} is not an ISO 639-1 language code"),
                Message::new(MessageId::PreventionLanguageCode).with("value", item),
            ));
        }
        if !out.contains(&code) {
            out.push(code);
        }
    }
    if out.is_empty() {
        return Err(ParseError::empty(field));
    }
    if out.len() > MAX_LIST {
        return Err(too_many(field));
    }
    Ok(out)
}

/// Parses the ids of statistics releases (letters, digits, `-`, `_`, `.`), each once; none is
/// allowed. Whether each exists is the use case's question.
pub fn parse_release_ids(field: &str, value: &str) -> Result<Vec<String>, ParseError> {
    let mut out: Vec<String> = Vec::new();
    for item in items(value) {
        let ok = item.len() <= 100 && item.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !ok {
            return Err(ParseError::said(
                field,
                format!("{item:?} is not the id of a statistics release"),
                Message::new(MessageId::PreventionUnknownRelease).with("value", item),
            ));
        }
        if !out.iter().any(|r| r == item) {
            out.push(item.to_owned());
        }
    }
    if out.len() > MAX_LIST {
        return Err(too_many(field));
    }
    Ok(out)
}

fn optional_text(field: &str, value: &str, max: usize) -> Result<String, ParseError> {
    if value.trim().is_empty() { Ok(String::new()) } else { parse_line(field, value, max) }
}

fn parse_link(value: &str) -> Result<String, ParseError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(String::new());
    }
    let ok = value.starts_with("https://") && value.len() <= 500 && !value.contains(char::is_whitespace);
    if ok {
        Ok(value.to_owned())
    } else {
        Err(ParseError::said("link", "an address starting https://", Message::new(MessageId::MonitoringNotALink)))
    }
}

impl PreventionRecord {
    /// Parses a record of `kind` for `scope`.
    pub fn parse(
        id: String,
        scope: Jurisdiction,
        kind: PreventionKind,
        input: &PreventionInput,
    ) -> Result<Self, ParseError> {
        let title = parse_line("title", &input.title, 300)?;
        let by = parse_line("by", &input.by, 300)?;
        let starts_on = CalendarDate::parse("starts_on", input.starts_on.trim())?;
        let ends_on = match input.ends_on.trim() {
            "" => None,
            day => Some(CalendarDate::parse("ends_on", day)?),
        };
        if let Some(ends_on) = ends_on
            && ends_on < starts_on
        {
            return Err(ParseError::said(
                "ends_on",
                format!("must not be before {starts_on}"),
                Message::new(MessageId::StrategyNotBefore).with("date", starts_on),
            ));
        }
        let summary = parse_line("summary", &input.summary, 2_000)?;
        let link = parse_link(&input.link)?;
        let details = match kind {
            PreventionKind::Campaign => {
                let target_groups = parse_codes::<TargetGroup>("target_groups", &input.target_groups)?;
                let channels = parse_codes::<Channel>("channels", &input.channels)?;
                let languages = parse_languages("languages", &input.languages)?;
                let reach = match input.reach.trim() {
                    "" => None,
                    n => Some(n.parse::<u64>().map_err(|_| {
                        ParseError::said(
                            "reach",
                            format!("{n:?} is not a whole number"),
                            Message::new(MessageId::PreventionNotACount).with("value", n),
                        )
                    })?),
                };
                let evaluation = optional_text("evaluation", &input.evaluation, 2_000)?;
                Details::Campaign { target_groups, channels, languages, reach, evaluation }
            }
            PreventionKind::DemandReduction => Details::DemandReduction {
                demand_kind: DemandKind::parse_code("demand_kind", input.demand_kind.trim())?,
                sector: parse_line("sector", &input.sector, 200)?,
            },
            PreventionKind::FundedProject => {
                let funder = parse_line("funder", &input.funder, 300)?;
                let units = crate::assist::compensation::parse_amount("amount", &input.amount)?;
                let currency = crate::assist::compensation::CurrencyCode::parse("currency", &input.currency)?;
                let amount = units.checked_mul(100).ok_or_else(|| ParseError::too_long("amount", 15))?;
                if ends_on.is_none() {
                    return Err(ParseError::empty("ends_on"));
                }
                Details::FundedProject {
                    funder,
                    amount,
                    currency: currency.to_string(),
                    outputs: parse_line("outputs", &input.outputs, 2_000)?,
                    outcome: optional_text("outcome", &input.outcome, 2_000)?,
                }
            }
            PreventionKind::Research => Details::Research {
                topic: ResearchTopic::parse_code("topic", input.topic.trim())?,
                releases: parse_release_ids("releases", &input.releases)?,
            },
        };
        Ok(Self { id, scope, title, by, starts_on, ends_on, summary, link, details })
    }

    pub fn kind(&self) -> PreventionKind {
        self.details.kind()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lv() -> Jurisdiction {
        Jurisdiction::parse("c", "LV").unwrap()
    }

    fn base() -> PreventionInput {
        PreventionInput {
            title: "Know your rights at work abroad".into(),
            by: "State Employment Agency".into(),
            starts_on: "2025-03-01".into(),
            ends_on: "2025-06-30".into(),
            summary: "Warnings about false job offers".into(),
            ..PreventionInput::default()
        }
    }

    fn field(kind: PreventionKind, input: PreventionInput) -> String {
        PreventionRecord::parse("p".into(), lv(), kind, &input).unwrap_err().field
    }

    #[test]
    fn dir_2011_36_art_18_2_a_campaign_names_its_target_groups_channels_and_iso_639_1_languages() {
        let input = PreventionInput {
            target_groups: "young_people, migrants".into(),
            channels: "social_media schools".into(),
            languages: "LV, ru en ru".into(),
            reach: "120000".into(),
            ..base()
        };
        let record = PreventionRecord::parse("p".into(), lv(), PreventionKind::Campaign, &input).unwrap();
        let Details::Campaign { target_groups, channels, languages, reach, .. } = &record.details else {
            panic!("a campaign")
        };
        assert_eq!(target_groups, &[TargetGroup::YoungPeople, TargetGroup::Migrants]);
        assert_eq!(channels, &[Channel::SocialMedia, Channel::Schools]);
        assert_eq!(languages, &["lv", "ru", "en"]);
        assert_eq!(*reach, Some(120_000));
        let c = PreventionKind::Campaign;
        assert_eq!(field(c, PreventionInput { languages: "lv, xx".into(), ..input.clone() }), "languages");
        assert_eq!(field(c, PreventionInput { languages: "lav".into(), ..input.clone() }), "languages");
        assert_eq!(field(c, PreventionInput { languages: String::new(), ..input.clone() }), "languages");
        assert_eq!(field(c, PreventionInput { target_groups: "everyone".into(), ..input.clone() }), "target_groups");
        assert_eq!(field(c, PreventionInput { channels: String::new(), ..input.clone() }), "channels");
        assert_eq!(field(c, PreventionInput { reach: "many".into(), ..input.clone() }), "reach");
        assert_eq!(field(c, PreventionInput { ends_on: "2025-01-01".into(), ..input.clone() }), "ends_on");
        assert_eq!(field(c, PreventionInput { link: "ftp://x".into(), ..input }), "link");
    }

    #[test]
    fn every_iso_639_1_code_is_two_lower_case_letters() {
        assert!(ISO_639_1.split(' ').all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_lowercase())));
        assert_eq!(ISO_639_1.split(' ').count(), 184);
        for eu in [
            "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt", "nl",
            "pl", "pt", "ro", "sk", "sl", "sv",
        ] {
            assert!(is_language_code(eu), "{eu}");
        }
        assert!(!is_language_code("xx") && !is_language_code("EN"));
    }

    #[test]
    fn a_funded_project_names_its_funder_amount_and_period() {
        let input = PreventionInput {
            funder: "Internal Security Fund".into(),
            amount: "250000".into(),
            currency: "EUR".into(),
            outputs: "Two trainings, one guide".into(),
            ..base()
        };
        let record = PreventionRecord::parse("p".into(), lv(), PreventionKind::FundedProject, &input).unwrap();
        assert!(matches!(record.details, Details::FundedProject { amount: 25_000_000, .. }));
        let f = PreventionKind::FundedProject;
        assert_eq!(field(f, PreventionInput { amount: "-5".into(), ..input.clone() }), "amount");
        assert_eq!(field(f, PreventionInput { currency: "euro".into(), ..input.clone() }), "currency");
        assert_eq!(field(f, PreventionInput { ends_on: String::new(), ..input.clone() }), "ends_on");
        assert_eq!(field(f, PreventionInput { funder: String::new(), ..input }), "funder");
    }

    #[test]
    fn research_names_its_topic_and_the_releases_it_draws_on() {
        let input = PreventionInput {
            topic: "online_recruitment".into(),
            releases: "rel-2024, rel-2025 rel-2024".into(),
            ..base()
        };
        let record = PreventionRecord::parse("p".into(), lv(), PreventionKind::Research, &input).unwrap();
        assert_eq!(
            record.details,
            Details::Research {
                topic: ResearchTopic::OnlineRecruitment,
                releases: vec!["rel-2024".into(), "rel-2025".into()]
            }
        );
        let r = PreventionKind::Research;
        assert_eq!(field(r, PreventionInput { releases: "a/b".into(), ..input.clone() }), "releases");
        assert_eq!(field(r, PreventionInput { topic: "weather".into(), ..input }), "topic");
        let demand = PreventionInput { demand_kind: "study".into(), sector: "Agriculture".into(), ..base() };
        assert!(PreventionRecord::parse("p".into(), lv(), PreventionKind::DemandReduction, &demand).is_ok());
        assert_eq!(
            field(PreventionKind::DemandReduction, PreventionInput { demand_kind: "x".into(), ..demand }),
            "demand_kind"
        );
    }
}
