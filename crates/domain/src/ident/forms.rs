//! Forms of exploitation (Dir 2011/36 Art 2(3), as amended by Directive (EU) 2024/1712) and the
//! coded context of a trafficking situation: acts, means, methods of control, recruitment, vulnerabilities.
//!
//! The forms are reference data (`reference/exploitation-forms.csv`), so that a form added by law is a
//! data change. The context enums follow the IOM Human Trafficking Case Data Standard (HTCDS) v2.0 where
//! it has a list; `htcds()` gives the HTCDS spelling and `from_htcds` reads it back.

use crate::{Coded, ParseError, case::CalendarDate, coded_enum, text::parse_line};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// The embedded catalogue of forms (`reference/exploitation-forms.csv`).
pub const EXPLOITATION_FORMS_CSV: &str = include_str!("../../../../reference/exploitation-forms.csv");

/// Sub-forms named by the Directive that the CSV does not mark: forced begging is a form of forced labour or
/// services (Dir 2011/36 Art 2(3) and recital 11).
const KNOWN_PARENTS: &[(&str, &str)] = &[("begging", "forced_labour")];

/// The identifier of a form of exploitation, checked against a [`FormCatalogue`].
///
/// Serde and [`FormId::parse`] check against the embedded catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FormId(String);

impl FormId {
    /// Parses an id listed in the embedded catalogue.
    pub fn parse(field: &str, value: &str) -> Result<Self, ParseError> {
        FormCatalogue::embedded()?.form_id(field, value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for FormId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for FormId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for FormId {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse("form", &value)
    }
}

impl From<FormId> for String {
    fn from(value: FormId) -> Self {
        value.0
    }
}

coded_enum! {
    /// The statistical grouping of forms used in EU and national statistics.
    pub enum StatGroup {
        /// Sexual exploitation.
        Sexual => "sexual",
        /// Forced labour or services, including forced begging.
        ForcedLabour => "forced_labour",
        /// Every other form (slavery, servitude, criminal activities, organ removal, the 2024 forms, other).
        Other => "other",
    }
}

/// One form of exploitation as listed in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Form {
    pub id: FormId,
    /// The English label.
    pub label: String,
    /// The legal source that names the form.
    pub source: String,
    /// The first day on which the form is part of the EU definition.
    pub in_force_from: CalendarDate,
    /// The form this one is a kind of (`begging` → `forced_labour`).
    pub parent: Option<FormId>,
    pub stat_group: StatGroup,
}

impl Form {
    /// Whether the form is part of the definition on `on`.
    pub fn in_force_on(&self, on: CalendarDate) -> bool {
        self.in_force_from <= on
    }
}

/// The forms of exploitation, in the order of the reference file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormCatalogue {
    forms: Vec<Form>,
}

static EMBEDDED: LazyLock<Result<FormCatalogue, ParseError>> =
    LazyLock::new(|| FormCatalogue::parse(EXPLOITATION_FORMS_CSV));

/// The statistical group of a form id: `sexual` → Sexual; `forced_labour` and its sub-forms → ForcedLabour.
fn stat_group_of(id: &str, parent: Option<&str>) -> StatGroup {
    match (id, parent) {
        ("sexual", _) | (_, Some("sexual")) => StatGroup::Sexual,
        ("forced_labour", _) | (_, Some("forced_labour")) => StatGroup::ForcedLabour,
        _ => StatGroup::Other,
    }
}

fn valid_form_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && id.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
}

impl FormCatalogue {
    /// The catalogue built into the program (`reference/exploitation-forms.csv`).
    pub fn embedded() -> Result<&'static FormCatalogue, ParseError> {
        EMBEDDED.as_ref().map_err(Clone::clone)
    }

    /// Reads a catalogue with the columns `id, form, source, in_force_from` and an optional `parent`.
    /// Errors name the line and the column.
    pub fn parse(csv_text: &str) -> Result<Self, ParseError> {
        let table = CsvTable::parse("exploitation-forms.csv", csv_text, &["id", "form", "source", "in_force_from"])?;
        struct Row {
            id: String,
            label: String,
            source: String,
            in_force_from: CalendarDate,
            parent: Option<String>,
            line: u64,
        }
        let mut rows: Vec<Row> = Vec::new();
        for row in table.rows() {
            let id = row.get("id")?.trim().to_owned();
            if !valid_form_id(&id) {
                return Err(row.error("id", format!("{id:?} is not a lower-case snake_case id")));
            }
            if rows.iter().any(|other| other.id == id) {
                return Err(row.error("id", format!("duplicate form {id:?}")));
            }
            let label = parse_line("form", row.get("form")?, 500).map_err(|e| row.error("form", e.message))?;
            let source = parse_line("source", row.get("source")?, 500).map_err(|e| row.error("source", e.message))?;
            let in_force_from = CalendarDate::parse("in_force_from", row.get("in_force_from")?)
                .map_err(|e| row.error("in_force_from", e.message))?;
            let parent = match row.get_optional("parent").map(str::trim).filter(|p| !p.is_empty()) {
                Some(p) => Some(p.to_owned()),
                None => KNOWN_PARENTS.iter().find(|(child, _)| *child == id).map(|(_, parent)| (*parent).to_owned()),
            };
            rows.push(Row { id, label, source, in_force_from, parent, line: row.line() });
        }
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let mut forms = Vec::with_capacity(rows.len());
        for Row { id, label, source, in_force_from, parent, line } in rows {
            let parent_error = |message: &str| {
                ParseError::new(format!("exploitation-forms.csv line {line}, column parent"), message.to_owned())
            };
            let parent = match parent {
                Some(p) if p == id => return Err(parent_error("a form cannot be its own parent")),
                Some(p) if ids.contains(&p) => Some(FormId(p)),
                // A built-in parent that this catalogue does not list is dropped; a declared one is an error.
                Some(p) if KNOWN_PARENTS.iter().any(|(c, kp)| *c == id && *kp == p) => None,
                Some(p) => return Err(parent_error(&format!("unknown parent form {p:?}"))),
                None => None,
            };
            let stat_group = stat_group_of(&id, parent.as_ref().map(FormId::as_str));
            forms.push(Form { id: FormId(id), label, source, in_force_from, parent, stat_group });
        }
        if forms.is_empty() {
            return Err(ParseError::new("exploitation-forms.csv", "lists no forms"));
        }
        Ok(Self { forms })
    }

    /// Every form, in file order.
    pub fn forms(&self) -> &[Form] {
        &self.forms
    }

    /// The form with this id.
    pub fn get(&self, id: &str) -> Option<&Form> {
        self.forms.iter().find(|f| f.id.0 == id)
    }

    /// Checks `value` against the catalogue; the error names `field` and lists the known ids.
    pub fn form_id(&self, field: &str, value: &str) -> Result<FormId, ParseError> {
        let value = value.trim();
        self.get(value).map(|f| f.id.clone()).ok_or_else(|| {
            let known: Vec<&str> = self.forms.iter().map(|f| f.id.as_str()).collect();
            ParseError::said(
                field,
                format!("unknown form {value:?}; expected one of {}", known.join(", ")),
                crate::Message::new(crate::MessageId::NotAFormOfExploitation).with("value", value),
            )
        })
    }

    /// The forms that are part of the definition on `on` (the 2024 forms from 14 July 2024).
    pub fn forms_in_force(&self, on: CalendarDate) -> Vec<&Form> {
        self.forms.iter().filter(|f| f.in_force_on(on)).collect()
    }

    /// The parent form (`begging` → `forced_labour`), if any.
    pub fn parent(&self, id: &FormId) -> Option<&Form> {
        self.get(id.as_str())?.parent.as_ref().and_then(|p| self.get(p.as_str()))
    }

    /// The statistical group of a form; `Other` for an id the catalogue does not list.
    pub fn stat_group(&self, id: &FormId) -> StatGroup {
        self.get(id.as_str()).map_or(StatGroup::Other, |f| f.stat_group)
    }
}

coded_enum! {
    /// Industry of forced labour: the sections of ISIC Rev.4 (HTCDS `ForcedLabourIndustry` uses them).
    pub enum Industry {
        /// A: Agriculture, forestry and fishing.
        Agriculture => "A",
        /// B: Mining and quarrying.
        Mining => "B",
        /// C: Manufacturing.
        Manufacturing => "C",
        /// D: Electricity, gas, steam and air conditioning supply.
        Energy => "D",
        /// E: Water supply; sewerage, waste management and remediation activities.
        WaterAndWaste => "E",
        /// F: Construction.
        Construction => "F",
        /// G: Wholesale and retail trade; repair of motor vehicles and motorcycles.
        Trade => "G",
        /// H: Transportation and storage.
        Transport => "H",
        /// I: Accommodation and food service activities.
        AccommodationAndFood => "I",
        /// J: Information and communication.
        Information => "J",
        /// K: Financial and insurance activities.
        Finance => "K",
        /// L: Real estate activities.
        RealEstate => "L",
        /// M: Professional, scientific and technical activities.
        Professional => "M",
        /// N: Administrative and support service activities.
        AdministrativeSupport => "N",
        /// O: Public administration and defence; compulsory social security.
        PublicAdministration => "O",
        /// P: Education.
        Education => "P",
        /// Q: Human health and social work activities.
        HealthAndSocialWork => "Q",
        /// R: Arts, entertainment and recreation.
        Arts => "R",
        /// S: Other service activities.
        OtherServices => "S",
        /// T: Activities of households as employers; undifferentiated goods- and services-producing activities
        /// of households for own use.
        Households => "T",
        /// U: Activities of extraterritorial organizations and bodies.
        Extraterritorial => "U",
    }
}

impl Industry {
    /// The ISIC Rev.4 section title in English.
    pub fn label(self) -> &'static str {
        match self {
            Self::Agriculture => "Agriculture, forestry and fishing",
            Self::Mining => "Mining and quarrying",
            Self::Manufacturing => "Manufacturing",
            Self::Energy => "Electricity, gas, steam and air conditioning supply",
            Self::WaterAndWaste => "Water supply; sewerage, waste management and remediation activities",
            Self::Construction => "Construction",
            Self::Trade => "Wholesale and retail trade; repair of motor vehicles and motorcycles",
            Self::Transport => "Transportation and storage",
            Self::AccommodationAndFood => "Accommodation and food service activities",
            Self::Information => "Information and communication",
            Self::Finance => "Financial and insurance activities",
            Self::RealEstate => "Real estate activities",
            Self::Professional => "Professional, scientific and technical activities",
            Self::AdministrativeSupport => "Administrative and support service activities",
            Self::PublicAdministration => "Public administration and defence; compulsory social security",
            Self::Education => "Education",
            Self::HealthAndSocialWork => "Human health and social work activities",
            Self::Arts => "Arts, entertainment and recreation",
            Self::OtherServices => "Other service activities",
            Self::Households => {
                "Activities of households as employers; undifferentiated goods- and services-producing activities \
                 of households for own use"
            }
            Self::Extraterritorial => "Activities of extraterritorial organizations and bodies",
        }
    }
}

coded_enum! {
    /// The act element of the definition (Dir 2011/36 Art 2(1); Convention Art 4(a)). Any one is enough.
    /// HTCDS v2.0 has no list for it.
    pub enum Act {
        /// Recruitment of a person.
        Recruitment => "recruitment",
        /// Transportation of a person.
        Transportation => "transportation",
        /// Transfer of a person.
        Transfer => "transfer",
        /// Harbouring of a person.
        Harbouring => "harbouring",
        /// Reception of a person.
        Reception => "reception",
        /// Exchange or transfer of control over a person.
        ExchangeOfControl => "exchange_of_control",
    }
}

coded_enum! {
    /// The means element (Dir 2011/36 Art 2(1); Convention Art 4(a)). Any one is enough; not required
    /// for a child (Art 2(5)). HTCDS v2.0 has no list for it.
    pub enum Means {
        /// Threat of force.
        Threat => "threat",
        /// Use of force.
        UseOfForce => "use_of_force",
        /// Other forms of coercion.
        OtherCoercion => "other_coercion",
        /// Abduction.
        Abduction => "abduction",
        /// Fraud.
        Fraud => "fraud",
        /// Deception.
        Deception => "deception",
        /// Abuse of power.
        AbuseOfPower => "abuse_of_power",
        /// Abuse of a position of vulnerability: no real or acceptable alternative but to submit (Art 2(2)).
        AbuseOfVulnerability => "abuse_of_vulnerability",
        /// Giving or receiving payments or benefits to achieve the consent of a person having control over
        /// another person.
        PaymentsToController => "payments_to_controller",
    }
}

/// Declares `htcds()` and `from_htcds()` for an enum whose every value has an HTCDS v2.0 spelling.
macro_rules! htcds_names {
    ($name:ident { $($variant:ident => $spelling:literal),+ $(,)? }) => {
        impl $name {
            /// The HTCDS v2.0 spelling of this value.
            pub fn htcds(self) -> &'static str {
                match self { $(Self::$variant => $spelling),+ }
            }

            /// Reads an HTCDS v2.0 value.
            pub fn from_htcds(value: &str) -> Result<Self, ParseError> {
                match value.trim() {
                    $($spelling => Ok(Self::$variant),)+
                    other => Err(ParseError::new(
                        stringify!($name),
                        format!("unknown HTCDS value {other:?}; expected one of {}", [$($spelling),+].join(", ")),
                    )),
                }
            }
        }
    };
}

htcds_names!(Industry {
    Agriculture => "A_AgricultureForestryAndFishing",
    Mining => "B_MiningAndQuarrying",
    Manufacturing => "C_Manufacturing",
    Energy => "D_ElectricityGasSteamAndAirConditioningSupply",
    WaterAndWaste => "E_WaterSupplySewerageWasteManagement",
    Construction => "F_Construction",
    Trade => "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
    Transport => "H_TransportationAndStorage",
    AccommodationAndFood => "I_AccommodationAndFoodServiceActivities",
    Information => "J_InformationAndCommunication",
    Finance => "K_FinancialAndInsuranceActivities",
    RealEstate => "L_RealEstateActivities",
    Professional => "M_ProfessionalScientificAndTechnicalActivities",
    AdministrativeSupport => "N_AdministrativeAndSupportServiceActivities",
    PublicAdministration => "O_PublicAdministrationAndDefence",
    Education => "P_Education",
    HealthAndSocialWork => "Q_HumanHealthAndSocialWorkActivities",
    Arts => "R_ArtsEntertainmentAndRecreation",
    OtherServices => "S_OtherServiceActivities",
    Households => "T_ActivitiesOfHouseholdsAsEmployers",
    Extraterritorial => "U_ActivitiesOfExtraterritorialOrganizations",
});

coded_enum! {
    /// How the trafficker controlled the person (HTCDS v2.0 `vic_MethodsOfControl`).
    pub enum MethodOfControl {
        /// Threats of physical harm.
        PhysicalThreats => "physical_threats",
        /// Threats of reporting to law enforcement or immigration.
        ThreatsLawEnforcement => "threats_law_enforcement",
        /// Threats against the person's children or family.
        ThreatensChildrenFamily => "threatens_children_family",
        /// Debt bondage.
        DebtBondage => "debt_bondage",
        /// False promises.
        FalsePromises => "false_promises",
        /// Physical abuse.
        PhysicalAbuse => "physical_abuse",
        /// Sexual abuse.
        SexualAbuse => "sexual_abuse",
        /// Takes the person's earnings.
        TakesEarnings => "takes_earnings",
        /// Restricts access to money or bank accounts.
        RestrictsFinancialAccess => "restricts_financial_access",
        /// Restricts access to medical care.
        RestrictsMedicalCare => "restricts_medical_care",
        /// Withholds food, sleep or other necessities.
        WithholdsNecessities => "withholds_necessities",
        /// Psychological abuse.
        PsychologicalAbuse => "psychological_abuse",
        /// Forced or induced use of alcohol or drugs.
        PsychoactiveSubstance => "psychoactive_substance",
        /// Excessive working hours.
        ExcessiveWorkingHours => "excessive_working_hours",
        /// Withholds identity or travel documents.
        WithholdsDocuments => "withholds_documents",
        /// Another method, described in text.
        Other => "other",
    }
}

htcds_names!(MethodOfControl {
    PhysicalThreats => "PhysicalThreats",
    ThreatsLawEnforcement => "ThreatsLawEnforcement",
    ThreatensChildrenFamily => "ThreatensChildrenFamily",
    DebtBondage => "DebtBondage",
    FalsePromises => "FalsePromises",
    PhysicalAbuse => "PhysicalAbuse",
    SexualAbuse => "SexualAbuse",
    TakesEarnings => "TakesEarnings",
    RestrictsFinancialAccess => "RestrictsFinancialAccess",
    RestrictsMedicalCare => "RestrictsMedicalCare",
    WithholdsNecessities => "WithholdsNecessities",
    PsychologicalAbuse => "PsychologicalAbuse",
    PsychoactiveSubstance => "PsychoactiveSubstance",
    ExcessiveWorkingHours => "ExcessiveWorkingHours",
    WithholdsDocuments => "WithholdsDocuments",
    Other => "Other",
});

coded_enum! {
    /// How the person was recruited (HTCDS v2.0 `vic_MethodOfRecruitment`).
    pub enum RecruitmentMethod {
        /// At a place of business.
        AtAPlaceOfBusiness => "at_a_place_of_business",
        /// At a school, college or university.
        AtAnEducationalInstitution => "at_an_educational_institution",
        /// At the person's work.
        AtWork => "at_work",
        /// Through online social networks.
        ThroughOnlineSocialNetworks => "through_online_social_networks",
        /// Through an online advertisement.
        ThroughAnOnlineAdvertisement => "through_an_online_advertisement",
        /// Through a television advertisement.
        ThroughATelevisionAdvert => "through_a_television_advert",
        /// Through a newspaper advertisement.
        ThroughANewspaperAdvert => "through_a_newspaper_advert",
        /// Through family members or family events.
        ThroughFamilyOrFamilyEvents => "through_family_or_family_events",
        /// Through friends or social events.
        ThroughFriendsOrSocialEvents => "through_friends_or_social_events",
        /// Another way, described in text.
        Other => "other",
    }
}

htcds_names!(RecruitmentMethod {
    AtAPlaceOfBusiness => "AtAPlaceOfBusiness",
    AtAnEducationalInstitution => "AtAnEducationalInstitution",
    AtWork => "AtWork",
    ThroughOnlineSocialNetworks => "ThroughOnlineSocialNetworks",
    ThroughAnOnlineAdvertisement => "ThroughAnOnlineAdvertisement",
    ThroughATelevisionAdvert => "ThroughATelevisionAdvert",
    ThroughANewspaperAdvert => "ThroughANewspaperAdvert",
    ThroughFamilyOrFamilyEvents => "ThroughFamilyOrFamilyEvents",
    ThroughFriendsOrSocialEvents => "ThroughFriendsOrSocialEvents",
    Other => "Other",
});

coded_enum! {
    /// A website or app used to recruit or exploit (HTCDS v2.0 `vic_RecruitmentWebsitesAndApps`).
    pub enum OnlinePlatform {
        /// Facebook.
        Facebook => "facebook",
        /// Instagram.
        Instagram => "instagram",
        /// WhatsApp.
        Whatsapp => "whatsapp",
        /// Telegram.
        Telegram => "telegram",
        /// Facebook Messenger.
        Messenger => "messenger",
        /// Viber.
        Viber => "viber",
        /// Snapchat.
        Snapchat => "snapchat",
        /// LINE.
        Line => "line",
        /// 4Sale.
        FourSale => "four_sale",
        /// WeChat.
        Wechat => "wechat",
        /// QQ.
        Qq => "qq",
        /// Qzone.
        Qzone => "qzone",
        /// TikTok.
        Tiktok => "tiktok",
        /// Twitter (X).
        Twitter => "twitter",
        /// Another platform, named in text.
        Other => "other",
    }
}

htcds_names!(OnlinePlatform {
    Facebook => "Facebook",
    Instagram => "Instagram",
    Whatsapp => "WhatsApp",
    Telegram => "Telegram",
    Messenger => "FacebookMessenger",
    Viber => "Viber",
    Snapchat => "SnapChat",
    Line => "Line",
    FourSale => "4Sale",
    Wechat => "WeChat",
    Qq => "QQ",
    Qzone => "QZone",
    Tiktok => "TikTok",
    Twitter => "Twitter",
    Other => "Other",
});

coded_enum! {
    /// The person's relationship to the trafficker (HTCDS v2.0 `vic_RelationshipToTrafficker`, extended).
    pub enum RelationshipToTrafficker {
        /// A family member.
        Familial => "familial",
        /// Someone the person knew.
        Acquainted => "acquainted",
        /// A stranger.
        Unacquainted => "unacquainted",
        /// A current or former intimate partner ("lover boy" method). Not an HTCDS value.
        IntimatePartner => "intimate_partner",
        /// Not known. Not an HTCDS value.
        Unknown => "unknown",
    }
}

impl RelationshipToTrafficker {
    /// The HTCDS v2.0 spelling; `None` for the values HTCDS does not have (exported as `Acquainted` or left
    /// empty at the caller's choice).
    pub fn htcds(self) -> Option<&'static str> {
        match self {
            Self::Familial => Some("Familial"),
            Self::Acquainted => Some("Acquainted"),
            Self::Unacquainted => Some("Unaquainted"),
            Self::IntimatePartner | Self::Unknown => None,
        }
    }

    /// Reads an HTCDS v2.0 value.
    pub fn from_htcds(value: &str) -> Result<Self, ParseError> {
        match value.trim() {
            "Familial" => Ok(Self::Familial),
            "Acquainted" => Ok(Self::Acquainted),
            // The standard spells it `Unaquainted`; the correct spelling is read too.
            "Unaquainted" | "Unacquainted" => Ok(Self::Unacquainted),
            other => Err(ParseError::new(
                "RelationshipToTrafficker",
                format!("unknown HTCDS value {other:?}; expected one of Familial, Acquainted, Unaquainted"),
            )),
        }
    }
}

coded_enum! {
    /// A vulnerability of the person (recital 12 of Directive 2011/36/EU; Art 2(2) position of vulnerability).
    /// HTCDS v2.0 deprecated its `Vulnerabilities` field and gives no list.
    pub enum Vulnerability {
        /// Being a child (recital 12: all children are particularly vulnerable).
        Child => "child",
        /// Gender.
        Gender => "gender",
        /// Pregnancy.
        Pregnancy => "pregnancy",
        /// State of health.
        StateOfHealth => "state_of_health",
        /// Disability, physical or mental.
        Disability => "disability",
        /// Irregular migration or residence status.
        IrregularMigrationStatus => "irregular_migration_status",
        /// Poverty, debt or other economic hardship.
        EconomicHardship => "economic_hardship",
        /// Emotional, family or economic dependency.
        Dependency => "dependency",
        /// Addiction to alcohol or drugs.
        Addiction => "addiction",
        /// Homelessness.
        Homelessness => "homelessness",
        /// Not speaking the local language.
        LackOfLanguage => "lack_of_language",
        /// Social or geographical isolation.
        Isolation => "isolation",
        /// Earlier victimisation, including earlier trafficking.
        PreviousVictimisation => "previous_victimisation",
        /// Another vulnerability, described in text.
        Other => "other",
    }
}

coded_enum! {
    /// The kind of a historic trafficking event (HTCDS v2.0 `hte_Type`).
    pub enum EventKind {
        /// Where and when the person was recruited.
        Recruitment => "recruitment",
        /// A place passed through.
        Transit => "transit",
        /// Where and when the person was exploited.
        Exploitation => "exploitation",
    }
}

htcds_names!(EventKind {
    Recruitment => "Recruitment",
    Transit => "Transit",
    Exploitation => "Exploitation",
});

/// Reads a set of coded values (`"fraud, deception"` or a list) into a sorted set, naming `field` on error.
pub fn parse_coded_set<T: Coded + Ord>(
    field: &str,
    values: &[&str],
) -> Result<std::collections::BTreeSet<T>, ParseError> {
    values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()).map(|v| T::parse_code(field, v)).collect()
}

/// A small CSV table read with the `csv` crate: a header row, then records of the same width. Blank lines and
/// lines starting with `#` are skipped. Errors name `source`, the line and the column.
pub(crate) struct CsvTable {
    source: String,
    headers: Vec<String>,
    rows: Vec<(u64, Vec<String>)>,
}

/// One record of a [`CsvTable`].
pub(crate) struct CsvRow<'a> {
    table: &'a CsvTable,
    line: u64,
    fields: &'a [String],
}

impl CsvTable {
    /// Reads `text`; every column in `required` must be in the header row.
    pub(crate) fn parse(source: &str, text: &str, required: &[&str]) -> Result<Self, ParseError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let csv_error = |e: csv::Error| {
            let field = match e.position() {
                Some(p) => format!("{source} line {}", p.line()),
                None => source.to_owned(),
            };
            let message = match e.kind() {
                csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                    format!("has {len} fields where the header has {expected_len}")
                }
                csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".to_owned(),
                _ => e.to_string(),
            };
            ParseError::new(field, message)
        };
        let headers: Vec<String> = reader.headers().map_err(csv_error)?.iter().map(|h| h.trim().to_owned()).collect();
        for (i, h) in headers.iter().enumerate() {
            if headers[..i].contains(h) {
                return Err(ParseError::new(format!("{source} line 1"), format!("column {h:?} appears twice")));
            }
        }
        let missing: Vec<&str> = required.iter().copied().filter(|r| !headers.iter().any(|h| h == r)).collect();
        if !missing.is_empty() {
            return Err(ParseError::new(
                format!("{source} line 1"),
                format!("missing column(s) {}; the header must include {}", missing.join(", "), required.join(", ")),
            ));
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(csv_error)?;
            let line = record.position().map_or(0, csv::Position::line);
            rows.push((line, record.iter().map(str::to_owned).collect()));
        }
        Ok(Self { source: source.to_owned(), headers, rows })
    }

    pub(crate) fn rows(&self) -> impl Iterator<Item = CsvRow<'_>> {
        self.rows.iter().map(|(line, fields)| CsvRow { table: self, line: *line, fields })
    }
}

impl CsvRow<'_> {
    /// The 1-based line on which the record starts.
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// The value of a required column.
    pub(crate) fn get(&self, column: &str) -> Result<&str, ParseError> {
        self.get_optional(column).ok_or_else(|| self.error(column, "missing"))
    }

    /// The value of a column the header may lack.
    pub(crate) fn get_optional(&self, column: &str) -> Option<&str> {
        let i = self.table.headers.iter().position(|h| h == column)?;
        self.fields.get(i).map(String::as_str)
    }

    /// An error naming the source, this record's line and `column`.
    pub(crate) fn error(&self, column: &str, message: impl Into<String>) -> ParseError {
        ParseError::new(format!("{} line {}, column {column}", self.table.source, self.line), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    #[test]
    fn art_2_3_dir_2011_36_embedded_catalogue_lists_the_directive_forms_and_the_2024_additions() {
        let cat = FormCatalogue::embedded().unwrap();
        assert_eq!(cat.forms().len(), 11);
        for id in ["sexual", "forced_labour", "begging", "slavery", "servitude", "criminal_activities", "organ_removal"]
        {
            assert_eq!(cat.get(id).unwrap().in_force_from, d("2011-04-15"), "{id}");
        }
        for id in ["surrogacy", "forced_marriage", "illegal_adoption"] {
            assert_eq!(cat.get(id).unwrap().in_force_from, d("2024-07-14"), "{id}");
        }
        assert!(cat.get("criminal_activities").unwrap().label.contains("pickpocketing"));
    }

    #[test]
    fn begging_is_a_kind_of_forced_labour() {
        let cat = FormCatalogue::embedded().unwrap();
        let begging = FormId::parse("form", "begging").unwrap();
        assert_eq!(cat.parent(&begging).unwrap().id.as_str(), "forced_labour");
        assert_eq!(cat.stat_group(&begging), StatGroup::ForcedLabour);
        assert!(cat.forms().iter().filter(|f| f.id.as_str() != "begging").all(|f| f.parent.is_none()));
    }

    #[test]
    fn statistical_groups() {
        let cat = FormCatalogue::embedded().unwrap();
        let group = |id: &str| cat.stat_group(&FormId::parse("f", id).unwrap());
        assert_eq!(group("sexual"), StatGroup::Sexual);
        assert_eq!(group("forced_labour"), StatGroup::ForcedLabour);
        for id in ["slavery", "servitude", "criminal_activities", "organ_removal", "surrogacy", "other"] {
            assert_eq!(group(id), StatGroup::Other, "{id}");
        }
    }

    #[test]
    fn art_2_3_dir_2011_36_forms_in_force_follow_the_2024_amendment() {
        let cat = FormCatalogue::embedded().unwrap();
        assert_eq!(cat.forms_in_force(d("2011-04-14")).len(), 0);
        assert_eq!(cat.forms_in_force(d("2024-07-13")).len(), 8);
        let now = cat.forms_in_force(d("2024-07-14"));
        assert_eq!(now.len(), 11);
        assert!(now.iter().any(|f| f.id.as_str() == "forced_marriage"));
    }

    #[test]
    fn form_ids_are_checked_against_the_catalogue() {
        let err = FormId::parse("purposes[0]", "tourism").unwrap_err();
        assert_eq!(err.field, "purposes[0]");
        assert!(err.message.contains("forced_labour"));
        let id: FormId = serde_json::from_str("\"servitude\"").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"servitude\"");
        assert!(serde_json::from_str::<FormId>("\"nope\"").is_err());
    }

    #[test]
    fn catalogue_errors_name_line_and_column() {
        let csv = "id,form,source,in_force_from\nsexual,Sexual,Art 2(3),2011-04-15\nx,X,Art 2(3),2011-02-30\n";
        let err = FormCatalogue::parse(csv).unwrap_err();
        assert_eq!(err.field, "exploitation-forms.csv line 3, column in_force_from");
        let err = FormCatalogue::parse("id,form,source\n").unwrap_err();
        assert!(err.message.contains("in_force_from"), "{err}");
        let csv = "id,form,source,in_force_from,parent\na,A,s,2011-04-15,\nb,B,s,2011-04-15,zzz\n";
        assert_eq!(FormCatalogue::parse(csv).unwrap_err().field, "exploitation-forms.csv line 3, column parent");
        let csv = "id,form,source,in_force_from\nsexual,A,s,2011-04-15\nsexual,B,s,2011-04-15\n";
        assert!(FormCatalogue::parse(csv).unwrap_err().message.contains("duplicate"));
    }

    #[test]
    fn a_parent_column_is_honoured() {
        let csv = "id,form,source,in_force_from,parent\nsexual,S,s,2011-04-15,\nonline_sexual,O,s,2011-04-15,sexual\n";
        let cat = FormCatalogue::parse(csv).unwrap();
        let id = cat.form_id("f", "online_sexual").unwrap();
        assert_eq!(cat.stat_group(&id), StatGroup::Sexual);
    }

    #[test]
    fn industries_are_isic_sections() {
        assert_eq!(Industry::ALL.len(), 21);
        let codes: String = Industry::ALL.iter().map(|i| i.code()).collect();
        assert_eq!(codes, "ABCDEFGHIJKLMNOPQRSTU");
        assert_eq!(Industry::parse_code("industry", "F").unwrap().label(), "Construction");
        assert!(Industry::parse_code("industry", "V").is_err());
    }

    #[test]
    fn htcds_spellings_round_trip() {
        fn check<T: Coded + PartialEq + std::fmt::Debug>(
            htcds: fn(T) -> &'static str,
            from: fn(&str) -> Result<T, ParseError>,
        ) {
            for v in T::ALL {
                assert_eq!(from(htcds(*v)).unwrap(), *v);
            }
        }
        check(MethodOfControl::htcds, MethodOfControl::from_htcds);
        check(RecruitmentMethod::htcds, RecruitmentMethod::from_htcds);
        check(OnlinePlatform::htcds, OnlinePlatform::from_htcds);
        check(EventKind::htcds, EventKind::from_htcds);
        assert_eq!(RecruitmentMethod::ThroughOnlineSocialNetworks.htcds(), "ThroughOnlineSocialNetworks");
        assert_eq!(MethodOfControl::PhysicalThreats.htcds(), "PhysicalThreats");
        assert_eq!(OnlinePlatform::FourSale.htcds(), "4Sale");
        assert_eq!(OnlinePlatform::Facebook.htcds(), "Facebook");
        assert_eq!(EventKind::Recruitment.htcds(), "Recruitment");
        for r in RelationshipToTrafficker::ALL {
            if let Some(h) = r.htcds() {
                assert_eq!(RelationshipToTrafficker::from_htcds(h).unwrap(), *r);
            }
        }
        assert_eq!(RelationshipToTrafficker::Familial.htcds(), Some("Familial"));
        assert_eq!(RelationshipToTrafficker::IntimatePartner.htcds(), None);
        assert_eq!(OnlinePlatform::from_htcds("MySpace").unwrap_err().field, "OnlinePlatform");
    }

    #[test]
    fn coded_sets_parse() {
        let means: std::collections::BTreeSet<Means> = parse_coded_set("means", &["fraud", " deception", ""]).unwrap();
        assert_eq!(means.len(), 2);
        assert_eq!(parse_coded_set::<Act>("acts", &["kidnap"]).unwrap_err().field, "acts");
        assert_eq!(Act::ALL.len(), 6);
        assert_eq!(Means::ALL.len(), 9);
        assert_eq!(Vulnerability::ALL.len(), 14);
    }
}
