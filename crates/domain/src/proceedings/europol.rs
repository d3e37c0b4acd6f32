//! The export package for a request of Europol: a documented JSON format
//! (`haven-europol-export-v1`, its JSON Schema in `crates/domain/schemas/europol-export-v1.schema.json`,
//! described in docs/proceedings.md), read by any JSON tool, no proprietary client.
//!
//! Data minimisation (Regulation (EU) 2016/794 Art 28(1)(c); Directive (EU) 2016/680 Art 4(1)(c)):
//! the package holds the investigation's frame and only the parts the request names. Victims
//! are left out unless the request names them with a justification, and even then leave as
//! a reference with sex, age group and citizenships, never a name: who they are stays in the
//! identity compartment. A suspect's link to a registration in identification never leaves.
//! The disclosure is recorded in the audit log by the use case (`proceedings_disclosed`).

use super::assets::{Asset, Measure};
use super::financial::FinancialItem;
use super::suspect::Suspect;
use super::{Investigation, InvestigationStatus};
use crate::text::parse_line;
use crate::{Coded, CountryCode, Message, MessageId, ParseError, case::CalendarDate, coded_enum};
use serde::{Deserialize, Serialize};

/// The format's name and version, the first field of every package.
pub const FORMAT: &str = "haven-europol-export-v1";

/// The JSON Schema of the format.
pub const SCHEMA: &str = include_str!("../../schemas/europol-export-v1.schema.json");

coded_enum! {
    /// The parts a request may ask for.
    pub enum ExportPart {
        Suspects => "suspects",
        Assets => "assets",
        Accounts => "accounts",
        Transfers => "transfers",
        Businesses => "businesses",
        Properties => "properties",
        Findings => "findings",
        /// Victims as references (sex, age group, citizenships): only with a justification.
        Victims => "victims",
    }
}

/// A request as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportRequestInput {
    /// Europol's reference of the request (e.g. its message reference).
    pub request_reference: String,
    pub parts: Vec<String>,
    /// Why victims are needed; required when `parts` names victims.
    pub justification: String,
}

/// A parsed request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportRequest {
    pub request_reference: String,
    pub parts: Vec<ExportPart>,
    pub justification: Option<String>,
}

impl ExportRequest {
    pub fn parse(input: &ExportRequestInput) -> Result<Self, ParseError> {
        let request_reference = parse_line("request_reference", &input.request_reference, 100)?;
        let mut parts = Vec::new();
        for p in input.parts.iter().filter(|p| !p.trim().is_empty()) {
            let part = ExportPart::parse_code("parts", p.trim())?;
            if !parts.contains(&part) {
                parts.push(part);
            }
        }
        if parts.is_empty() {
            return Err(ParseError::said(
                "parts",
                "a request names the parts it needs",
                Message::new(MessageId::ProceedingsExportNeedsParts),
            ));
        }
        parts.sort();
        let justification = match (parts.contains(&ExportPart::Victims), input.justification.trim().is_empty()) {
            (true, true) => {
                return Err(ParseError::said(
                    "justification",
                    "victims are disclosed only with a justification of the need",
                    Message::new(MessageId::ProceedingsExportVictimsNeedJustification),
                ));
            }
            (true, false) => Some(parse_line("justification", &input.justification, 2000)?),
            (false, _) => None,
        };
        Ok(Self { request_reference, parts, justification })
    }

    pub fn asks(&self, part: ExportPart) -> bool {
        self.parts.contains(&part)
    }
}

/// A victim as the export may name one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VictimFacts {
    /// The case's id: a reference, not an identity.
    pub reference: String,
    pub sex: Option<String>,
    pub age_group: Option<String>,
    pub citizenships: Vec<String>,
}

/// Everything the package may draw on; the request decides what goes in.
#[derive(Debug, Clone)]
pub struct ExportSource<'a> {
    pub investigation: &'a Investigation,
    pub sender_organisation_id: &'a str,
    pub suspects: &'a [Suspect],
    pub assets: &'a [(Asset, Vec<Measure>)],
    /// Items with their ids.
    pub items: &'a [(String, FinancialItem)],
    pub victims: &'a [VictimFacts],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sender {
    pub country: CountryCode,
    pub organisation_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recipient {
    pub agency: &'static str,
    pub request_reference: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportOffence {
    pub kind: String,
    pub article: &'static str,
    pub forms: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportInvestigation {
    pub reference: String,
    pub country: CountryCode,
    pub opened_on: CalendarDate,
    pub status: InvestigationStatus,
    pub offences: Vec<ExportOffence>,
    pub other_countries: Vec<CountryCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportSuspect {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub roles: Vec<String>,
    pub criminal_organisation: bool,
    pub public_official: bool,
    pub citizenship: Option<CountryCode>,
    pub sex: Option<String>,
    pub age_group: Option<String>,
    pub liability: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportAmount {
    pub minor: i64,
    pub currency: String,
    pub euro_rate_micro: Option<i64>,
    pub rate_on: Option<CalendarDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportMeasure {
    pub kind: String,
    pub on: CalendarDate,
    pub amount: Option<ExportAmount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportAsset {
    pub id: String,
    pub kind: String,
    pub description: String,
    pub value: ExportAmount,
    pub valued_on: CalendarDate,
    pub held_in: CountryCode,
    pub suspect_id: Option<String>,
    pub measures: Vec<ExportMeasure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportItem {
    pub id: String,
    #[serde(flatten)]
    pub item: FinancialItem,
}

/// The package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EuropolExport {
    pub format: &'static str,
    pub generated_on: CalendarDate,
    pub sender: Sender,
    pub recipient: Recipient,
    pub parts: Vec<ExportPart>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    pub investigation: ExportInvestigation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suspects: Option<Vec<ExportSuspect>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assets: Option<Vec<ExportAsset>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accounts: Option<Vec<ExportItem>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfers: Option<Vec<ExportItem>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub businesses: Option<Vec<ExportItem>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<Vec<ExportItem>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<ExportItem>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub victims: Option<Vec<VictimFacts>>,
}

fn amount(a: &super::assets::Amount) -> ExportAmount {
    ExportAmount {
        minor: a.minor,
        currency: a.currency.to_string(),
        euro_rate_micro: a.euro_rate.map(|r| r.rate_micro),
        rate_on: a.euro_rate.map(|r| r.rate_on),
    }
}

/// An item with the references to suspects dropped when the suspects are not disclosed.
fn minimised(item: &FinancialItem, with_suspects: bool) -> FinancialItem {
    if with_suspects {
        return item.clone();
    }
    let mut item = item.clone();
    match &mut item {
        FinancialItem::Account { holder_suspect_id: s, .. }
        | FinancialItem::Business { suspect_id: s, .. }
        | FinancialItem::Property { suspect_id: s, .. } => *s = None,
        _ => {}
    }
    item
}

impl EuropolExport {
    /// Builds the package of what `request` asks, from `source`, on `today`.
    pub fn build(request: &ExportRequest, source: &ExportSource<'_>, today: CalendarDate) -> Self {
        let inv = source.investigation;
        let with_suspects = request.asks(ExportPart::Suspects);
        let items = |kind: super::financial::ItemKind, part: ExportPart| {
            request.asks(part).then(|| {
                source
                    .items
                    .iter()
                    .filter(|(_, i)| i.kind() == kind)
                    .map(|(id, i)| ExportItem { id: id.clone(), item: minimised(i, with_suspects) })
                    .collect()
            })
        };
        use super::financial::ItemKind;
        Self {
            format: FORMAT,
            generated_on: today,
            sender: Sender { country: inv.country, organisation_id: source.sender_organisation_id.to_owned() },
            recipient: Recipient { agency: "europol", request_reference: request.request_reference.clone() },
            parts: request.parts.clone(),
            justification: request.justification.clone(),
            investigation: ExportInvestigation {
                reference: inv.reference.clone(),
                country: inv.country,
                opened_on: inv.opened_on,
                status: inv.status,
                offences: inv
                    .offences
                    .iter()
                    .map(|o| ExportOffence {
                        kind: o.kind.code().to_owned(),
                        article: o.kind.article(),
                        forms: o.forms.iter().map(ToString::to_string).collect(),
                    })
                    .collect(),
                other_countries: inv.other_countries.clone(),
            },
            suspects: with_suspects.then(|| {
                source
                    .suspects
                    .iter()
                    .map(|s| ExportSuspect {
                        id: s.id.clone(),
                        kind: s.kind.code().to_owned(),
                        name: s.name.clone(),
                        roles: s.roles.iter().map(|r| r.code().to_owned()).collect(),
                        criminal_organisation: s.criminal_organisation,
                        public_official: s.public_official,
                        citizenship: s.citizenship,
                        sex: s.sex.map(|v| v.code().to_owned()),
                        age_group: s.age_group.map(|v| v.code().to_owned()),
                        liability: s.liability.map(|v| v.code().to_owned()),
                    })
                    .collect()
            }),
            assets: request.asks(ExportPart::Assets).then(|| {
                source
                    .assets
                    .iter()
                    .map(|(a, ms)| ExportAsset {
                        id: a.id.clone(),
                        kind: a.kind.code().to_owned(),
                        description: a.description.as_str().to_owned(),
                        value: amount(&a.value),
                        valued_on: a.valued_on,
                        held_in: a.held_in,
                        suspect_id: if with_suspects { a.suspect_id.clone() } else { None },
                        measures: ms
                            .iter()
                            .map(|m| ExportMeasure {
                                kind: m.kind.code().to_owned(),
                                on: m.on,
                                amount: m.amount.as_ref().map(amount),
                            })
                            .collect(),
                    })
                    .collect()
            }),
            accounts: items(ItemKind::Account, ExportPart::Accounts),
            transfers: items(ItemKind::Transfer, ExportPart::Transfers),
            businesses: items(ItemKind::Business, ExportPart::Businesses),
            properties: items(ItemKind::Property, ExportPart::Properties),
            findings: items(ItemKind::Finding, ExportPart::Findings),
            victims: request.asks(ExportPart::Victims).then(|| source.victims.to_vec()),
        }
    }

    /// The parts' codes, for the audit entry (codes only, no personal data).
    pub fn parts_code(&self) -> String {
        self.parts.iter().map(|p| p.code()).collect::<Vec<_>>().join("+")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proceedings::assets::{AssetInput, MeasureInput};
    use crate::proceedings::financial::FinancialItemInput;
    use crate::proceedings::suspect::SuspectInput;
    use crate::proceedings::tests::{date, investigation};

    /// An investigation with its suspects, assets and items.
    type Source = (Investigation, Vec<Suspect>, Vec<(Asset, Vec<Measure>)>, Vec<(String, FinancialItem)>);

    fn source_data() -> Source {
        let today = date("2026-05-28");
        let inv = investigation("ex_officio");
        let suspect = Suspect::parse(
            "s-1".into(),
            inv.id.clone(),
            &SuspectInput {
                kind: "natural".into(),
                name: "Jānis Bērziņš".into(),
                case_id: "case-of-suspect".into(),
                roles: vec!["recruiter".into()],
                citizenship: "LV".into(),
                sex: "male".into(),
                age_group: "35_44".into(),
                ..SuspectInput::default()
            },
        )
        .unwrap();
        let asset_input = AssetInput {
            kind: "vehicle".into(),
            description: "Van, plate AB-1234".into(),
            value: "1500000".into(),
            currency: "USD".into(),
            rate: "0.92".into(),
            rate_on: "2026-03-01".into(),
            valued_on: "2026-03-01".into(),
            held_in: "LV".into(),
            held_at: "Police car pound".into(),
            suspect_id: "s-1".into(),
        };
        let asset = Asset::parse("a-1".into(), inv.id.clone(), &asset_input, &["s-1".into()], today).unwrap();
        let seizure = Measure::parse(
            "m-1".into(),
            &asset,
            &MeasureInput { kind: "seizure".into(), on: "2026-03-02".into(), ..MeasureInput::default() },
            &[],
            today,
        )
        .unwrap();
        let account = FinancialItem::parse(
            &FinancialItemInput {
                kind: "account".into(),
                coded: "bank".into(),
                institution: "Swedbank".into(),
                country: "LV".into(),
                identifier: "LV80BANK0000435195001".into(),
                suspect_id: "s-1".into(),
                ..FinancialItemInput::default()
            },
            &crate::proceedings::financial::ItemRefs { suspects: vec!["s-1".into()], accounts: vec![] },
            today,
        )
        .unwrap();
        let finding = FinancialItem::parse(
            &FinancialItemInput {
                kind: "finding".into(),
                coded: "money_laundering".into(),
                text: "Wages paid in cash, moved through two front companies.".into(),
                ..FinancialItemInput::default()
            },
            &crate::proceedings::financial::ItemRefs::default(),
            today,
        )
        .unwrap();
        (inv, vec![suspect], vec![(asset, vec![seizure])], vec![("i-1".into(), account), ("i-2".into(), finding)])
    }

    fn export(parts: &[&str], justification: &str) -> serde_json::Value {
        let (inv, suspects, assets, items) = source_data();
        let victims = vec![VictimFacts {
            reference: "case-7".into(),
            sex: Some("female".into()),
            age_group: Some("Y18T24".into()),
            citizenships: vec!["UA".into()],
        }];
        let source = ExportSource {
            investigation: &inv,
            sender_organisation_id: "police",
            suspects: &suspects,
            assets: &assets,
            items: &items,
            victims: &victims,
        };
        let request = ExportRequest::parse(&ExportRequestInput {
            request_reference: "EUROPOL-2026-1234".into(),
            parts: parts.iter().map(|p| (*p).to_owned()).collect(),
            justification: justification.into(),
        })
        .unwrap();
        serde_json::to_value(EuropolExport::build(&request, &source, date("2026-05-28"))).unwrap()
    }

    fn schema() -> jsonschema::Validator {
        jsonschema::validator_for(&serde_json::from_str(SCHEMA).unwrap()).unwrap()
    }

    #[test]
    fn the_europol_export_validates_against_its_schema() {
        let validator = schema();
        for parts in [
            vec!["suspects"],
            vec!["assets", "accounts"],
            vec!["suspects", "assets", "accounts", "transfers", "businesses", "properties", "findings"],
        ] {
            let package = export(&parts, "");
            let errors: Vec<String> = validator.iter_errors(&package).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{parts:?}: {errors:?}");
        }
        let with_victims = export(&["victims", "findings"], "Victims' nationalities link two networks.");
        assert!(validator.is_valid(&with_victims));
        // The schema bites: an unknown part, a missing frame, a stray key.
        let mut bad = export(&["suspects"], "");
        bad["parts"] = serde_json::json!(["diaries"]);
        assert!(!validator.is_valid(&bad));
        let mut bad = export(&["suspects"], "");
        bad.as_object_mut().unwrap().remove("investigation");
        assert!(!validator.is_valid(&bad));
        let mut bad = export(&["suspects"], "");
        bad["suspects"][0]["case_id"] = serde_json::json!("case-of-suspect");
        assert!(!validator.is_valid(&bad), "a suspect's registration is not part of the format");
    }

    #[test]
    fn the_europol_export_holds_only_the_parts_asked_and_victims_only_when_justified() {
        let package = export(&["assets"], "");
        let keys: Vec<&str> = package.as_object().unwrap().keys().map(String::as_str).collect();
        for absent in ["suspects", "accounts", "transfers", "businesses", "properties", "findings", "victims"] {
            assert!(!keys.contains(&absent), "{absent} was not asked");
        }
        // Without the suspects, the asset does not say whose it is.
        assert_eq!(package["assets"][0]["suspect_id"], serde_json::Value::Null);
        let text = package.to_string();
        assert!(!text.contains("Bērziņš") && !text.contains("Police car pound"), "{text}");
        // With the suspects: names, never their registration in identification.
        let package = export(&["suspects", "accounts"], "");
        assert_eq!(package["suspects"][0]["name"], "Jānis Bērziņš");
        assert!(!package.to_string().contains("case-of-suspect"));
        assert_eq!(package["accounts"][0]["holder_suspect_id"], "s-1");
        assert!(!package.to_string().contains("case-7"), "no victims unless asked");
        // Victims need a justification, and leave as references without names.
        let e = ExportRequest::parse(&ExportRequestInput {
            request_reference: "R".into(),
            parts: vec!["victims".into()],
            justification: " ".into(),
        })
        .unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.problem.unwrap().id),
            ("justification", MessageId::ProceedingsExportVictimsNeedJustification)
        );
        let package = export(&["victims"], "Needed to match victims across two JITs.");
        assert_eq!(package["victims"][0]["reference"], "case-7");
        assert_eq!(package["justification"], "Needed to match victims across two JITs.");
        let e = ExportRequest::parse(&ExportRequestInput { request_reference: "R".into(), ..Default::default() })
            .unwrap_err();
        assert_eq!(e.field, "parts");
    }
}
