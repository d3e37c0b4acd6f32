//! The financial investigation that runs alongside every investigation of trafficking
//! (Dir 2011/36 Art 9(4), whose investigative tools recital 15 says include financial
//! investigations; CETS 197 Art 23(3)): following the money to the network, its proceeds and
//! the assets to seize.
//!
//! It is opened with the investigation by default ([`FinancialInvestigation::alongside`]); it
//! is recorded as not opened only with the reasons why ([`FinancialInvestigation::change`]).
//! What it finds are items of coded kinds: accounts, transfers, businesses, properties and
//! findings, their free text encrypted at rest.

use super::{Investigation, not_before, past_date};
use crate::assist::compensation::{CurrencyCode, parse_amount};
use crate::text::{Narrative, parse_line};
use crate::{Coded, CountryCode, Message, MessageId, ParseError, case::CalendarDate, coded_enum};
use serde::{Deserialize, Serialize};

/// Dir 2011/36 Art 9(4): effective investigative tools, such as those used against organised
/// crime (recital 15 names financial investigations among them).
pub const FINANCIAL_INVESTIGATION: &str = "Dir 2011/36 Art 9(4)";

coded_enum! {
    /// Where the financial investigation stands.
    pub enum FinancialStatus {
        /// Running (the default, from the day the investigation was opened).
        Open => "open",
        /// Not opened, with the reasons.
        NotOpened => "not_opened",
        /// Concluded, its findings recorded.
        Concluded => "concluded",
    }
}

/// The financial investigation of an investigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinancialInvestigation {
    pub investigation_id: String,
    pub status: FinancialStatus,
    pub since: CalendarDate,
    /// Why it was not opened (encrypted at rest); only with [`FinancialStatus::NotOpened`].
    pub reasons: Option<Narrative>,
}

impl FinancialInvestigation {
    /// Opened with the investigation, on the same day: the default.
    pub fn alongside(investigation: &Investigation) -> Self {
        Self {
            investigation_id: investigation.id.clone(),
            status: FinancialStatus::Open,
            since: investigation.opened_on,
            reasons: None,
        }
    }

    /// Changes the status on `on`. Not opened only with reasons; a concluded one is not
    /// re-concluded; reasons belong to "not opened" alone.
    pub fn change(&self, status: &str, reasons: &str, on: &str, today: CalendarDate) -> Result<Self, ParseError> {
        let status = FinancialStatus::parse_code("status", status.trim())?;
        let on = past_date("on", on, today)?;
        not_before("on", on, self.since)?;
        if status == self.status {
            return Err(ParseError::said(
                "status",
                format!("the financial investigation is {status} already"),
                Message::new(MessageId::ProceedingsFinancialAlready).labels(
                    "status",
                    "financial-status",
                    [status.code()],
                ),
            ));
        }
        let reasons = match (status, reasons.trim().is_empty()) {
            (FinancialStatus::NotOpened, true) => {
                return Err(ParseError::said(
                    "reasons",
                    "a financial investigation is not opened only with the reasons why",
                    Message::new(MessageId::ProceedingsFinancialNeedsReasons),
                ));
            }
            (FinancialStatus::NotOpened, false) => Some(Narrative::parse("reasons", reasons)?),
            _ => None,
        };
        Ok(Self { investigation_id: self.investigation_id.clone(), status, since: on, reasons })
    }
}

coded_enum! {
    /// The kinds of items a financial investigation records.
    pub enum ItemKind {
        Account => "account",
        Transfer => "transfer",
        Business => "business",
        Property => "property",
        Finding => "finding",
    }
}

coded_enum! {
    pub enum AccountKind {
        Bank => "bank",
        PaymentService => "payment_service",
        CryptoWallet => "crypto_wallet",
        Other => "other",
    }
}

coded_enum! {
    /// How money moved.
    pub enum TransferChannel {
        BankTransfer => "bank_transfer",
        MoneyRemittance => "money_remittance",
        CashCourier => "cash_courier",
        Crypto => "crypto",
        Other => "other",
    }
}

coded_enum! {
    /// What a business was to the offence.
    pub enum BusinessRole {
        /// Used to recruit (an agency, a modelling or marriage agency).
        Recruitment => "recruitment",
        /// Where victims were exploited (a site, a bar, a farm).
        Exploitation => "exploitation",
        /// Used to launder or move proceeds.
        Laundering => "laundering",
        /// A front with no real activity.
        Front => "front",
        Other => "other",
    }
}

coded_enum! {
    pub enum PropertyKind {
        RealEstate => "real_estate",
        Vehicle => "vehicle",
        Valuables => "valuables",
        Other => "other",
    }
}

coded_enum! {
    /// What the financial investigation found.
    pub enum FindingKind {
        /// Proceeds traced to a person or an asset.
        ProceedsTraced => "proceeds_traced",
        MoneyLaundering => "money_laundering",
        /// Wealth out of proportion to lawful income.
        UnexplainedWealth => "unexplained_wealth",
        /// The network's structure (who pays whom).
        NetworkStructure => "network_structure",
        TaxOffence => "tax_offence",
        Other => "other",
    }
}

/// One item of a financial investigation. Coded kinds in the clear would be the statistics'
/// concern; the whole item is encrypted at rest, its kind alone plain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FinancialItem {
    Account {
        account_kind: AccountKind,
        institution: String,
        country: CountryCode,
        /// IBAN, wallet address or account number.
        identifier: String,
        holder_suspect_id: Option<String>,
    },
    Transfer {
        channel: TransferChannel,
        on: CalendarDate,
        amount: i64,
        currency: CurrencyCode,
        from_account_id: Option<String>,
        to_account_id: Option<String>,
        from_country: CountryCode,
        to_country: CountryCode,
    },
    Business {
        role: BusinessRole,
        name: String,
        country: CountryCode,
        registration_number: String,
        suspect_id: Option<String>,
    },
    Property {
        property_kind: PropertyKind,
        description: Narrative,
        country: CountryCode,
        suspect_id: Option<String>,
    },
    Finding {
        finding_kind: FindingKind,
        narrative: Narrative,
    },
}

impl FinancialItem {
    pub fn kind(&self) -> ItemKind {
        match self {
            Self::Account { .. } => ItemKind::Account,
            Self::Transfer { .. } => ItemKind::Transfer,
            Self::Business { .. } => ItemKind::Business,
            Self::Property { .. } => ItemKind::Property,
            Self::Finding { .. } => ItemKind::Finding,
        }
    }

    /// The suspect the item is traced to, if any.
    pub fn suspect_id(&self) -> Option<&str> {
        match self {
            Self::Account { holder_suspect_id: s, .. }
            | Self::Business { suspect_id: s, .. }
            | Self::Property { suspect_id: s, .. } => s.as_deref(),
            _ => None,
        }
    }
}

/// An item as typed: the fields of its kind, the others left empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FinancialItemInput {
    pub kind: String,
    /// account_kind, channel, role, property_kind or finding_kind, by the item's kind.
    pub coded: String,
    pub institution: String,
    pub name: String,
    pub country: String,
    pub to_country: String,
    pub identifier: String,
    pub suspect_id: String,
    pub on: String,
    pub amount: String,
    pub currency: String,
    pub from_account_id: String,
    pub to_account_id: String,
    pub text: String,
}

/// The ids an item may refer to: the investigation's suspects and its accounts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemRefs {
    pub suspects: Vec<String>,
    pub accounts: Vec<String>,
}

fn optional_ref(field: &str, value: &str, known: &[String]) -> Result<Option<String>, ParseError> {
    match value.trim() {
        "" => Ok(None),
        v if known.iter().any(|k| k == v) => Ok(Some(v.to_owned())),
        _ => Err(ParseError::said(
            field,
            "no record of this investigation has this id",
            Message::new(MessageId::ProceedingsUnknownReference),
        )),
    }
}

impl FinancialItem {
    pub fn parse(input: &FinancialItemInput, refs: &ItemRefs, today: CalendarDate) -> Result<Self, ParseError> {
        let kind = ItemKind::parse_code("kind", input.kind.trim())?;
        let coded = input.coded.trim();
        let suspect = |field| optional_ref(field, &input.suspect_id, &refs.suspects).map_err(|e| e.within(field));
        Ok(match kind {
            ItemKind::Account => Self::Account {
                account_kind: AccountKind::parse_code("coded", coded)?,
                institution: parse_line("institution", &input.institution, 200)?,
                country: CountryCode::parse("country", &input.country)?,
                identifier: parse_line("identifier", &input.identifier, 100)?,
                holder_suspect_id: suspect("suspect_id")?,
            },
            ItemKind::Transfer => {
                let from_account_id = optional_ref("from_account_id", &input.from_account_id, &refs.accounts)?;
                let to_account_id = optional_ref("to_account_id", &input.to_account_id, &refs.accounts)?;
                Self::Transfer {
                    channel: TransferChannel::parse_code("coded", coded)?,
                    on: past_date("on", &input.on, today)?,
                    amount: parse_amount("amount", &input.amount)?,
                    currency: CurrencyCode::parse("currency", &input.currency)?,
                    from_account_id,
                    to_account_id,
                    from_country: CountryCode::parse("country", &input.country)?,
                    to_country: CountryCode::parse("to_country", &input.to_country)?,
                }
            }
            ItemKind::Business => Self::Business {
                role: BusinessRole::parse_code("coded", coded)?,
                name: parse_line("name", &input.name, 200)?,
                country: CountryCode::parse("country", &input.country)?,
                registration_number: if input.identifier.trim().is_empty() {
                    String::new()
                } else {
                    parse_line("identifier", &input.identifier, 100)?
                },
                suspect_id: suspect("suspect_id")?,
            },
            ItemKind::Property => Self::Property {
                property_kind: PropertyKind::parse_code("coded", coded)?,
                description: Narrative::parse("text", &input.text)?,
                country: CountryCode::parse("country", &input.country)?,
                suspect_id: suspect("suspect_id")?,
            },
            ItemKind::Finding => Self::Finding {
                finding_kind: FindingKind::parse_code("coded", coded)?,
                narrative: Narrative::parse("text", &input.text)?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proceedings::tests::{date, investigation};

    #[test]
    fn art_9_4_dir_a_financial_investigation_runs_alongside_and_is_not_opened_only_with_reasons() {
        let inv = investigation("ex_officio");
        let fin = FinancialInvestigation::alongside(&inv);
        assert_eq!((fin.status, fin.since), (FinancialStatus::Open, inv.opened_on));
        let today = date("2026-05-28");
        let e = fin.change("not_opened", "  ", "2026-04-01", today).unwrap_err();
        assert_eq!((e.field.as_str(), e.problem.unwrap().id), ("reasons", MessageId::ProceedingsFinancialNeedsReasons));
        let not = fin.change("not_opened", "No assets, no transfers: a single act.", "2026-04-01", today).unwrap();
        assert_eq!(not.status, FinancialStatus::NotOpened);
        assert!(not.reasons.is_some());
        let reopened = not.change("open", "", "2026-04-02", today).unwrap();
        assert_eq!(reopened.reasons, None);
        assert_eq!(reopened.change("open", "", "2026-04-03", today).unwrap_err().field, "status");
        assert_eq!(fin.change("concluded", "", "2026-01-01", today).unwrap_err().field, "on", "before it opened");
    }

    #[test]
    fn items_are_of_coded_kinds_and_refer_only_to_this_investigations_records() {
        let today = date("2026-05-28");
        let refs = ItemRefs { suspects: vec!["s-1".into()], accounts: vec!["acc-1".into()] };
        let account = FinancialItemInput {
            kind: "account".into(),
            coded: "bank".into(),
            institution: "Swedbank".into(),
            country: "LV".into(),
            identifier: "LV80BANK0000435195001".into(),
            suspect_id: "s-1".into(),
            ..FinancialItemInput::default()
        };
        let item = FinancialItem::parse(&account, &refs, today).unwrap();
        assert_eq!((item.kind(), item.suspect_id()), (ItemKind::Account, Some("s-1")));
        let mut bad = account.clone();
        bad.suspect_id = "s-9".into();
        assert_eq!(FinancialItem::parse(&bad, &refs, today).unwrap_err().field, "suspect_id");
        bad = account.clone();
        bad.coded = "piggy_bank".into();
        assert_eq!(FinancialItem::parse(&bad, &refs, today).unwrap_err().field, "coded");
        let transfer = FinancialItemInput {
            kind: "transfer".into(),
            coded: "money_remittance".into(),
            on: "2026-02-01".into(),
            amount: "250000".into(),
            currency: "EUR".into(),
            from_account_id: "acc-1".into(),
            country: "LV".into(),
            to_country: "UA".into(),
            ..FinancialItemInput::default()
        };
        assert_eq!(FinancialItem::parse(&transfer, &refs, today).unwrap().kind(), ItemKind::Transfer);
        let mut bad = transfer.clone();
        bad.to_account_id = "acc-2".into();
        assert_eq!(FinancialItem::parse(&bad, &refs, today).unwrap_err().field, "to_account_id");
        let finding = FinancialItemInput {
            kind: "finding".into(),
            coded: "unexplained_wealth".into(),
            text: "Two flats bought in cash in 2025.".into(),
            ..FinancialItemInput::default()
        };
        assert_eq!(FinancialItem::parse(&finding, &refs, today).unwrap().kind(), ItemKind::Finding);
    }
}
