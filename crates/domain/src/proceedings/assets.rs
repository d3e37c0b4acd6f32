//! Seizure and confiscation of the instruments and proceeds of trafficking (Dir 2011/36 Art 7;
//! CETS 197 Art 23(3)), and confiscated proceeds paid into victims' compensation where national
//! law allows it (CETS 197 Art 15(4); Dir 2014/42 Art 8(10)).
//!
//! An asset of an investigation (its kind, value, currency, where it is held, whose it is if
//! known) goes through dated measures: freezing, seizure, a confiscation order, and the
//! realisation of what was confiscated. Amounts are whole minor units of their ISO 4217
//! currency, as many to the unit as the currency's minor units say ([`minor_units`]: 100 cents
//! to the euro, 1 yen to the yen, 1,000 fils to the Bahraini dinar); a currency Haven does not
//! know, or one whose minor units are not 0, 2 or 3 decimal places, is refused, naming
//! `currency`. An amount not in euro carries the rate to the euro and the date of that rate, so
//! that totals across currencies are sums in euro cents at the recorded rates.
//!
//! Realised proceeds are allocated to a compensation claim of a victim linked to the
//! investigation ([`Allocation::allocate`]), and the share paid out is recorded
//! ([`Allocation::pay_out`]) and added to the claim's payments by the caller. Refused, each
//! naming its field: an allocation where national practice does not allow proceeds to pay
//! compensation, to a claim of a victim not linked to the investigation, to a claim on which no
//! award stands or that is not in euro (`claim_id`), beyond what was realised or beyond the
//! award not yet paid nor allocated (`amount`); a payout beyond the allocation.

use super::penalty::PracticeVersion;
use super::{not_before, past_date};
use crate::assist::compensation::{ClaimStatus, CurrencyCode, parse_amount};
use crate::text::{Narrative, parse_line};
use crate::{Coded, CountryCode, Message, MessageId, ParseError, case::CalendarDate, coded_enum};
use serde::{Deserialize, Serialize};

/// Dir 2011/36 Art 7: the competent authorities are entitled to seize and confiscate
/// instruments and proceeds of the offences.
pub const SEIZURE_AND_CONFISCATION: &str = "Dir 2011/36 Art 7";

/// Compensation of victims may be funded by the assets confiscated under CETS 197 Art 23, and a
/// confiscation does not keep victims from their compensation (Dir 2014/42 Art 8(10)); whether
/// national law pays it from confiscated proceeds is national practice.
pub const PROCEEDS_TO_COMPENSATION: &str = "CETS 197 Art 15(4); Dir 2014/42 Art 8(10)";

/// The euro, in which totals across currencies are counted.
pub const EURO: &str = "EUR";

/// Rates to the euro are kept in millionths of a euro per unit of the currency.
pub const RATE_SCALE: i64 = 1_000_000;

/// The minor units of the active ISO 4217 currencies: how many decimal places an amount in
/// the currency has (ISO 4217 list one, "minor unit" column). Amounts are kept in these units.
#[rustfmt::skip]
pub const MINOR_UNITS: &[(&str, u32)] = &[
    // No minor unit.
    ("BIF", 0), ("CLP", 0), ("DJF", 0), ("GNF", 0), ("ISK", 0), ("JPY", 0), ("KMF", 0), ("KRW", 0),
    ("PYG", 0), ("RWF", 0), ("UGX", 0), ("UYI", 0), ("VND", 0), ("VUV", 0), ("XAF", 0), ("XOF", 0),
    ("XPF", 0),
    // Three decimal places.
    ("BHD", 3), ("IQD", 3), ("JOD", 3), ("KWD", 3), ("LYD", 3), ("OMR", 3), ("TND", 3),
    // Four decimal places (units of account): known, and refused.
    ("CLF", 4), ("UYW", 4),
    // Two decimal places.
    ("AED", 2), ("AFN", 2), ("ALL", 2), ("AMD", 2), ("AOA", 2), ("ARS", 2), ("AUD", 2), ("AWG", 2),
    ("AZN", 2), ("BAM", 2), ("BBD", 2), ("BDT", 2), ("BGN", 2), ("BMD", 2), ("BND", 2), ("BOB", 2),
    ("BRL", 2), ("BSD", 2), ("BTN", 2), ("BWP", 2), ("BYN", 2), ("BZD", 2), ("CAD", 2), ("CDF", 2),
    ("CHF", 2), ("CNY", 2), ("COP", 2), ("CRC", 2), ("CUP", 2), ("CVE", 2), ("CZK", 2), ("DKK", 2),
    ("DOP", 2), ("DZD", 2), ("EGP", 2), ("ERN", 2), ("ETB", 2), ("EUR", 2), ("FJD", 2), ("FKP", 2),
    ("GBP", 2), ("GEL", 2), ("GHS", 2), ("GIP", 2), ("GMD", 2), ("GTQ", 2), ("GYD", 2), ("HKD", 2),
    ("HNL", 2), ("HTG", 2), ("HUF", 2), ("IDR", 2), ("ILS", 2), ("INR", 2), ("IRR", 2), ("JMD", 2),
    ("KES", 2), ("KGS", 2), ("KHR", 2), ("KPW", 2), ("KYD", 2), ("KZT", 2), ("LAK", 2), ("LBP", 2),
    ("LKR", 2), ("LRD", 2), ("LSL", 2), ("MAD", 2), ("MDL", 2), ("MGA", 2), ("MKD", 2), ("MMK", 2),
    ("MNT", 2), ("MOP", 2), ("MRU", 2), ("MUR", 2), ("MVR", 2), ("MWK", 2), ("MXN", 2), ("MYR", 2),
    ("MZN", 2), ("NAD", 2), ("NGN", 2), ("NIO", 2), ("NOK", 2), ("NPR", 2), ("NZD", 2), ("PAB", 2),
    ("PEN", 2), ("PGK", 2), ("PHP", 2), ("PKR", 2), ("PLN", 2), ("QAR", 2), ("RON", 2), ("RSD", 2),
    ("RUB", 2), ("SAR", 2), ("SBD", 2), ("SCR", 2), ("SDG", 2), ("SEK", 2), ("SGD", 2), ("SHP", 2),
    ("SLE", 2), ("SOS", 2), ("SRD", 2), ("SSP", 2), ("STN", 2), ("SVC", 2), ("SYP", 2), ("SZL", 2),
    ("THB", 2), ("TJS", 2), ("TMT", 2), ("TOP", 2), ("TRY", 2), ("TTD", 2), ("TWD", 2), ("TZS", 2),
    ("UAH", 2), ("USD", 2), ("UYU", 2), ("UZS", 2), ("VES", 2), ("WST", 2), ("XCD", 2), ("YER", 2),
    ("ZAR", 2), ("ZMW", 2), ("ZWG", 2),
];

/// The decimal places of amounts Haven counts in: none, two or three.
pub const COUNTED_MINOR_UNITS: [u32; 3] = [0, 2, 3];

/// The minor units of `currency` ([`MINOR_UNITS`]), `None` for a code not in the list.
pub fn minor_units(currency: CurrencyCode) -> Option<u32> {
    MINOR_UNITS.iter().find(|(c, _)| *c == currency.as_str()).map(|(_, n)| *n)
}

/// A currency code Haven counts amounts in: in [`MINOR_UNITS`] with 0, 2 or 3 decimal places.
/// Refused otherwise, naming `field`.
pub fn counted_currency(field: &str, value: &str) -> Result<CurrencyCode, ParseError> {
    let currency = CurrencyCode::parse(field, value)?;
    match minor_units(currency) {
        Some(n) if COUNTED_MINOR_UNITS.contains(&n) => Ok(currency),
        Some(n) => Err(ParseError::said(
            field,
            format!("amounts in {currency} have {n} decimal places; Haven counts amounts with 0, 2 or 3"),
            Message::new(MessageId::ProceedingsCurrencyMinorUnits).with("currency", currency).with("places", n),
        )),
        None => Err(ParseError::said(
            field,
            format!("{currency} is not an active ISO 4217 currency"),
            Message::new(MessageId::ProceedingsCurrencyUnknown).with("currency", currency),
        )),
    }
}

coded_enum! {
    /// What an asset is.
    pub enum AssetKind {
        Cash => "cash",
        BankAccount => "bank_account",
        RealEstate => "real_estate",
        Vehicle => "vehicle",
        /// A company or a share in one.
        Business => "business",
        /// Crypto-assets and other virtual assets.
        VirtualAsset => "virtual_asset",
        /// Jewellery, art, precious metals.
        Valuables => "valuables",
        Other => "other",
    }
}

coded_enum! {
    /// A measure on an asset.
    pub enum MeasureKind {
        /// Temporarily prohibiting its transfer or disposal.
        Freezing => "freezing",
        /// Taking it into the authorities' custody.
        Seizure => "seizure",
        /// A final deprivation ordered by a court.
        ConfiscationOrder => "confiscation_order",
        /// What the confiscated asset brought in (sold, collected, transferred).
        Realisation => "realisation",
    }
}

/// A rate to the euro: millionths of a euro per unit of the currency, on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EuroRate {
    pub rate_micro: i64,
    pub rate_on: CalendarDate,
}

/// An amount in whole minor units of its currency; not in euro, with its rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    pub minor: i64,
    pub currency: CurrencyCode,
    /// `None` for an amount in euro.
    pub euro_rate: Option<EuroRate>,
}

impl Amount {
    /// Parses an amount with its currency; an amount not in euro needs the rate (`rate`, a
    /// decimal with at most six places) and its date (`rate_on`), an amount in euro takes none.
    pub fn parse(
        field: &str,
        minor: &str,
        currency: &str,
        rate: &str,
        rate_on: &str,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        let minor = parse_amount(field, minor)?;
        let currency = counted_currency("currency", currency)?;
        let euro = currency.as_str() == EURO;
        let euro_rate = match (euro, rate.trim().is_empty(), rate_on.trim().is_empty()) {
            (true, true, true) => None,
            (true, _, _) => {
                return Err(ParseError::said(
                    "rate",
                    "an amount in euro has no exchange rate",
                    Message::new(MessageId::ProceedingsRateForEuro),
                ));
            }
            (false, true, _) | (false, _, true) => {
                let missing = if rate.trim().is_empty() { "rate" } else { "rate_on" };
                return Err(ParseError::said(
                    missing,
                    "an amount not in euro needs the rate to the euro and its date",
                    Message::new(MessageId::ProceedingsRateNeeded).with("currency", currency),
                ));
            }
            (false, false, false) => {
                Some(EuroRate { rate_micro: parse_rate("rate", rate)?, rate_on: past_date("rate_on", rate_on, today)? })
            }
        };
        Ok(Self { minor, currency, euro_rate })
    }

    /// The amount in euro cents at its rate, rounded half up, its minor units taken as the
    /// currency's ([`minor_units`]: a yen is one minor unit, a Bahraini dinar a thousand).
    pub fn in_euro_cents(&self) -> i64 {
        match self.euro_rate {
            None => self.minor,
            Some(r) => {
                // Decimal places as parsed ([`counted_currency`]); two for a code since dropped.
                let places = minor_units(self.currency).unwrap_or(2);
                let product = i128::from(self.minor) * i128::from(r.rate_micro) * 100;
                let scale = i128::from(RATE_SCALE) * 10_i128.pow(places);
                i64::try_from((product + scale / 2) / scale).unwrap_or(i64::MAX)
            }
        }
    }
}

/// A positive decimal with at most six places, in millionths ("0.092145" is 92145).
pub fn parse_rate(field: &str, value: &str) -> Result<i64, ParseError> {
    let v = value.trim();
    let bad = || {
        ParseError::said(
            field,
            format!("{v:?} is not a positive rate with at most six decimal places"),
            Message::new(MessageId::ProceedingsNotARate).with("value", v),
        )
    };
    let (whole, fraction) = v.split_once('.').unwrap_or((v, ""));
    if whole.is_empty()
        || whole.len() > 9
        || fraction.len() > 6
        || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let fraction: i64 = format!("{fraction:0<6}").parse().map_err(|_| bad())?;
    match whole.checked_mul(RATE_SCALE).and_then(|w| w.checked_add(fraction)) {
        Some(n) if n > 0 => Ok(n),
        _ => Err(bad()),
    }
}

/// An asset of an investigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asset {
    pub id: String,
    pub investigation_id: String,
    pub kind: AssetKind,
    /// What it is (encrypted at rest): "flat at ..., cadastre no ...", "BMW X5, plate ...".
    pub description: Narrative,
    /// Its estimated value when identified.
    pub value: Amount,
    pub valued_on: CalendarDate,
    /// The country where it is held.
    pub held_in: CountryCode,
    /// Where or by whom it is held (a bank, an address, a custodian; encrypted at rest).
    pub held_at: String,
    /// The suspect it belongs to or is traced to, if known.
    pub suspect_id: Option<String>,
}

/// An asset as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssetInput {
    pub kind: String,
    pub description: String,
    /// Minor units.
    pub value: String,
    pub currency: String,
    /// The rate to the euro of the value (a decimal), for a currency other than the euro.
    pub rate: String,
    pub rate_on: String,
    pub valued_on: String,
    pub held_in: String,
    pub held_at: String,
    pub suspect_id: String,
}

impl Asset {
    /// Parses an asset; `suspects` are the ids of the investigation's suspects.
    pub fn parse(
        id: String,
        investigation_id: String,
        input: &AssetInput,
        suspects: &[String],
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        let suspect_id = match input.suspect_id.trim() {
            "" => None,
            s if suspects.iter().any(|k| k == s) => Some(s.to_owned()),
            _ => {
                return Err(ParseError::said(
                    "suspect_id",
                    "no suspect of this investigation has this id",
                    Message::new(MessageId::ProceedingsUnknownSuspect),
                ));
            }
        };
        Ok(Self {
            id,
            investigation_id,
            kind: AssetKind::parse_code("kind", input.kind.trim())?,
            description: Narrative::parse("description", &input.description)?,
            value: Amount::parse("value", &input.value, &input.currency, &input.rate, &input.rate_on, today)?,
            valued_on: past_date("valued_on", &input.valued_on, today)?,
            held_in: CountryCode::parse("held_in", &input.held_in)?,
            held_at: parse_line("held_at", &input.held_at, 300)?,
            suspect_id,
        })
    }
}

/// A measure on an asset, dated; the realisation with the amount it brought in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    pub id: String,
    pub asset_id: String,
    pub kind: MeasureKind,
    pub on: CalendarDate,
    /// The amount the measure covers (frozen, seized, ordered) or brought in (realisation,
    /// required there).
    pub amount: Option<Amount>,
    /// The decision's reference (court or authority file number).
    pub reference: String,
}

/// A measure as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeasureInput {
    pub kind: String,
    pub on: String,
    /// Minor units; required for a realisation.
    pub amount: String,
    pub currency: String,
    pub rate: String,
    pub rate_on: String,
    pub reference: String,
}

impl Measure {
    /// Parses a measure on `asset`, given the measures it already has: a realisation follows a
    /// confiscation order and names its amount; an asset is confiscated once; no measure is
    /// dated before the asset was valued or in the future.
    pub fn parse(
        id: String,
        asset: &Asset,
        input: &MeasureInput,
        earlier: &[Measure],
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        let kind = MeasureKind::parse_code("kind", input.kind.trim())?;
        let on = past_date("on", &input.on, today)?;
        not_before("on", on, asset.valued_on)?;
        let amount = if input.amount.trim().is_empty() {
            None
        } else {
            Some(Amount::parse("amount", &input.amount, &input.currency, &input.rate, &input.rate_on, today)?)
        };
        let order = earlier.iter().find(|m| m.kind == MeasureKind::ConfiscationOrder);
        match kind {
            MeasureKind::ConfiscationOrder if order.is_some() => {
                return Err(ParseError::said(
                    "kind",
                    "the asset is already confiscated",
                    Message::new(MessageId::ProceedingsAlreadyConfiscated),
                ));
            }
            MeasureKind::Realisation => {
                let Some(order) = order else {
                    return Err(ParseError::said(
                        "kind",
                        "only a confiscated asset is realised",
                        Message::new(MessageId::ProceedingsRealisationNeedsConfiscation),
                    ));
                };
                not_before("on", on, order.on)?;
                if amount.is_none() {
                    return Err(ParseError::said(
                        "amount",
                        "a realisation names the amount realised",
                        Message::new(MessageId::ProceedingsRealisationNeedsAmount),
                    ));
                }
            }
            _ => {}
        }
        Ok(Self {
            id,
            asset_id: asset.id.clone(),
            kind,
            on,
            amount,
            reference: if input.reference.trim().is_empty() {
                String::new()
            } else {
                parse_line("reference", &input.reference, 200)?
            },
        })
    }
}

/// The realised proceeds of an asset, in euro cents at the recorded rates.
pub fn realised_euro_cents(measures: &[Measure]) -> i64 {
    measures
        .iter()
        .filter(|m| m.kind == MeasureKind::Realisation)
        .filter_map(|m| m.amount.map(|a| a.in_euro_cents()))
        .fold(0, i64::saturating_add)
}

/// Realised proceeds allocated to a victim's compensation claim, and what of it was paid out.
/// Amounts in euro cents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    pub id: String,
    pub asset_id: String,
    /// The compensation claim (a support record of the victim's case), by its id.
    pub claim_id: String,
    /// The victim's case, linked to the investigation.
    pub case_id: String,
    pub amount_euro_cents: i64,
    pub allocated_on: CalendarDate,
    pub paid_out_euro_cents: i64,
    pub paid_out_on: Option<CalendarDate>,
}

/// What the allocation needs to know of the claim, found by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimFacts {
    pub claim_id: String,
    /// The case the claim belongs to.
    pub case_id: String,
    /// Whether that case is linked to the investigation as a victim.
    pub victim_linked: bool,
    /// Where the claim stands.
    pub status: ClaimStatus,
    /// The award in force, in minor units of `currency`, if one stands.
    pub awarded: Option<i64>,
    pub currency: CurrencyCode,
    /// The award less what was paid on it and what is allocated to it and not yet paid out
    /// (from any investigation), in minor units of `currency`.
    pub unpaid_unallocated: i64,
}

impl ClaimFacts {
    /// Whether the claim can receive a payment: an award stands on it (awarded, partially
    /// awarded, or under appeal with the award standing meanwhile).
    pub fn payable(&self) -> bool {
        self.awarded.is_some()
            && matches!(self.status, ClaimStatus::Awarded | ClaimStatus::PartiallyAwarded | ClaimStatus::Appealed)
    }
}

impl Allocation {
    /// Allocates `amount` (euro cents) of the realised proceeds of an asset to a claim. Refused
    /// where national practice (`practice`, the version in force) does not let confiscated
    /// proceeds pay compensation (`claim_id`), to a claim of a victim not linked to the
    /// investigation (`claim_id`), to a claim on which no award stands (`claim_id`: a prepared,
    /// filed, rejected or withdrawn claim is not paid), to a claim not in euro (`claim_id`: the
    /// proceeds are counted in euro cents and paid into the claim as such), beyond what was
    /// realised less what is allocated already (`amount`), and beyond the award not yet paid nor
    /// allocated (`amount`).
    pub fn allocate(
        id: String,
        practice: Option<&PracticeVersion>,
        measures: &[Measure],
        earlier: &[Allocation],
        claim: &ClaimFacts,
        amount: &str,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        if !practice.is_some_and(|p| p.confiscated_proceeds_to_compensation) {
            return Err(ParseError::said(
                "claim_id",
                "national practice does not let confiscated proceeds pay victims' compensation",
                Message::new(MessageId::ProceedingsProceedsNotForCompensation),
            ));
        }
        if !claim.victim_linked {
            return Err(ParseError::said(
                "claim_id",
                "the claim is not of a victim linked to this investigation",
                Message::new(MessageId::ProceedingsClaimOfUnlinkedVictim),
            ));
        }
        if !claim.payable() {
            return Err(ParseError::said(
                "claim_id",
                format!("no award stands on the claim (it is {}): nothing can be paid on it", claim.status),
                Message::new(MessageId::ProceedingsClaimNotPayable).labels(
                    "status",
                    "rec-claim-status",
                    [claim.status.code()],
                ),
            ));
        }
        if claim.currency.as_str() != EURO {
            return Err(ParseError::said(
                "claim_id",
                format!("the claim is in {}; confiscated proceeds are paid into claims in euro", claim.currency),
                Message::new(MessageId::ProceedingsClaimNotInEuro).with("currency", claim.currency),
            ));
        }
        let amount = parse_amount("amount", amount)?;
        if amount > claim.unpaid_unallocated {
            let left = claim.unpaid_unallocated.max(0);
            return Err(ParseError::said(
                "amount",
                format!("{amount} euro cents is more than the {left} of the award not yet paid nor allocated"),
                Message::new(MessageId::ProceedingsAllocationAboveAward).with("amount", amount).with("left", left),
            ));
        }
        let realised = realised_euro_cents(measures);
        let allocated = earlier.iter().map(|a| a.amount_euro_cents).fold(0, i64::saturating_add);
        let available = realised.saturating_sub(allocated).max(0);
        if amount > available {
            return Err(ParseError::said(
                "amount",
                format!("{amount} euro cents is more than the {available} realised and not yet allocated"),
                Message::new(MessageId::ProceedingsAllocationAboveRealised)
                    .with("amount", amount)
                    .with("available", available)
                    .with("realised", realised),
            ));
        }
        Ok(Self {
            id,
            asset_id: measures.first().map(|m| m.asset_id.clone()).unwrap_or_default(),
            claim_id: claim.claim_id.clone(),
            case_id: claim.case_id.clone(),
            amount_euro_cents: amount,
            allocated_on: today,
            paid_out_euro_cents: 0,
            paid_out_on: None,
        })
    }

    /// Records that `amount` (euro cents) of the allocation was paid out to the victim on `on`;
    /// never more than the allocation in all (`amount`), not before it was allocated (`on`).
    pub fn pay_out(&self, amount: &str, on: &str, today: CalendarDate) -> Result<Self, ParseError> {
        let amount = parse_amount("amount", amount)?;
        let on = past_date("on", on, today)?;
        not_before("on", on, self.paid_out_on.unwrap_or(self.allocated_on))?;
        let outstanding = self.amount_euro_cents.saturating_sub(self.paid_out_euro_cents);
        if amount > outstanding {
            return Err(ParseError::said(
                "amount",
                format!("{amount} euro cents is more than the {outstanding} allocated and not yet paid out"),
                Message::new(MessageId::ProceedingsPayoutAboveAllocation)
                    .with("amount", amount)
                    .with("outstanding", outstanding),
            ));
        }
        Ok(Self { paid_out_euro_cents: self.paid_out_euro_cents + amount, paid_out_on: Some(on), ..self.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proceedings::penalty::NationalPractice;
    use crate::proceedings::tests::date;

    fn today() -> CalendarDate {
        date("2026-05-28")
    }

    fn asset(currency: &str, rate: &str) -> Asset {
        let input = AssetInput {
            kind: "real_estate".into(),
            description: "Flat in Riga, Brīvības iela".into(),
            value: "12000000".into(),
            currency: currency.into(),
            rate: rate.into(),
            rate_on: if rate.is_empty() { String::new() } else { "2026-01-05".into() },
            valued_on: "2026-01-05".into(),
            held_in: "LV".into(),
            held_at: "Land Register of Riga".into(),
            suspect_id: "s-1".into(),
        };
        Asset::parse("a-1".into(), "inv-1".into(), &input, &["s-1".into()], today()).unwrap()
    }

    fn measure(a: &Asset, kind: &str, on: &str, amount: &str, earlier: &[Measure]) -> Result<Measure, ParseError> {
        let input = MeasureInput {
            kind: kind.into(),
            on: on.into(),
            amount: amount.into(),
            currency: if amount.is_empty() { String::new() } else { "EUR".into() },
            reference: "Riga District Court 11-2026".into(),
            ..MeasureInput::default()
        };
        Measure::parse(format!("m-{}", earlier.len()), a, &input, earlier, today())
    }

    fn practice(allows: bool) -> PracticeVersion {
        let text = format!(
            "country = \"LV\"\n[[versions]]\nvalid_from = \"2014-01-01\"\noffence_provision = \"s. 154.1\"\n\
             max_penalty_years = 8\nmax_penalty_years_aggravated = 15\naggravating = []\n\
             confiscated_proceeds_to_compensation = {allows}\nsources = [\"a test profile\"]\n"
        );
        NationalPractice::parse(&text).unwrap().versions.remove(0)
    }

    fn realised(a: &Asset, amount: &str) -> Vec<Measure> {
        let mut ms = Vec::new();
        for (kind, on, amt) in [
            ("freezing", "2026-01-10", ""),
            ("confiscation_order", "2026-03-01", ""),
            ("realisation", "2026-04-01", amount),
        ] {
            let m = measure(a, kind, on, amt, &ms).unwrap();
            ms.push(m);
        }
        ms
    }

    fn claim(linked: bool) -> ClaimFacts {
        ClaimFacts {
            claim_id: "claim-1".into(),
            case_id: "case-1".into(),
            victim_linked: linked,
            status: ClaimStatus::Awarded,
            awarded: Some(10_000_000),
            currency: CurrencyCode::parse("currency", "EUR").unwrap(),
            unpaid_unallocated: 10_000_000,
        }
    }

    #[test]
    fn art_17_dir_proceeds_go_only_to_a_claim_with_an_award_in_euro_and_within_what_is_left_of_it() {
        let a = asset("EUR", "");
        let ms = realised(&a, "5000000");
        let yes = practice(true);
        let allocate = |c: &ClaimFacts, amount: &str| {
            Allocation::allocate("al".into(), Some(&yes), &ms, &[], c, amount, today())
                .map_err(|e| (e.field, e.problem.map(|p| p.id)))
        };
        for status in [ClaimStatus::Prepared, ClaimStatus::Filed, ClaimStatus::Rejected, ClaimStatus::Withdrawn] {
            let c = ClaimFacts { status, awarded: None, ..claim(true) };
            assert_eq!(
                allocate(&c, "1"),
                Err(("claim_id".into(), Some(MessageId::ProceedingsClaimNotPayable))),
                "{status}"
            );
        }
        // Under appeal the award stands meanwhile; a rejection on appeal leaves none.
        assert!(allocate(&ClaimFacts { status: ClaimStatus::Appealed, ..claim(true) }, "1").is_ok());
        assert!(allocate(&ClaimFacts { status: ClaimStatus::PartiallyAwarded, ..claim(true) }, "1").is_ok());
        let sek = ClaimFacts { currency: CurrencyCode::parse("c", "SEK").unwrap(), ..claim(true) };
        assert_eq!(allocate(&sek, "1"), Err(("claim_id".into(), Some(MessageId::ProceedingsClaimNotInEuro))));
        // Realised 50,000.00, but only 1,000.00 of the award is neither paid nor allocated.
        let small = ClaimFacts { unpaid_unallocated: 100_000, ..claim(true) };
        assert_eq!(
            allocate(&small, "100001"),
            Err(("amount".into(), Some(MessageId::ProceedingsAllocationAboveAward)))
        );
        assert_eq!(allocate(&small, "100000").map(|a| a.amount_euro_cents), Ok(100_000));
    }

    #[test]
    fn iso_4217_amounts_are_counted_in_the_currencys_own_minor_units_and_others_are_refused() {
        let on = |currency: &str, minor: &str, rate: &str| {
            Amount::parse("value", minor, currency, rate, "2026-01-05", today()).map(|a| a.in_euro_cents())
        };
        // 1,000,000 yen (no minor unit) at 0.006 euro a yen: 6,000.00 EUR.
        assert_eq!(on("JPY", "1000000", "0.006"), Ok(600_000));
        // 1.500 Bahraini dinar (1,500 fils) at 2.45 euro a dinar: 3.675 EUR, rounded half up.
        assert_eq!(on("BHD", "1500", "2.45"), Ok(368));
        // 100.00 US dollars at 0.92: 92.00 EUR.
        assert_eq!(on("USD", "10000", "0.92"), Ok(9_200));
        assert_eq!(Amount::parse("value", "10000", "EUR", "", "", today()).map(|a| a.in_euro_cents()), Ok(10_000));
        let refused = |currency: &str| {
            let e = on(currency, "100", "1").unwrap_err();
            (e.field, e.problem.map(|p| p.id))
        };
        assert_eq!(refused("CLF"), ("currency".into(), Some(MessageId::ProceedingsCurrencyMinorUnits)));
        assert_eq!(refused("XXX"), ("currency".into(), Some(MessageId::ProceedingsCurrencyUnknown)));
        assert_eq!(
            refused("LVL"),
            ("currency".into(), Some(MessageId::ProceedingsCurrencyUnknown)),
            "replaced by the euro"
        );
        // Every code in the list once, three upper-case letters.
        let mut codes: Vec<&str> = MINOR_UNITS.iter().map(|(c, _)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), MINOR_UNITS.len());
        assert!(MINOR_UNITS.iter().all(|(c, _)| CurrencyCode::parse("c", c).is_ok()));
    }

    #[test]
    fn art_7_dir_confiscated_proceeds_pay_compensation_up_to_what_was_realised_and_the_payout_up_to_the_allocation() {
        let a = asset("EUR", "");
        let ms = realised(&a, "5000000");
        assert_eq!(realised_euro_cents(&ms), 5_000_000);
        let yes = practice(true);
        let first =
            Allocation::allocate("al-1".into(), Some(&yes), &ms, &[], &claim(true), "3000000", today()).unwrap();
        assert_eq!((first.amount_euro_cents, first.asset_id.as_str()), (3_000_000, "a-1"));
        // The rest, and not a cent more.
        let e = Allocation::allocate(
            "al-2".into(),
            Some(&yes),
            &ms,
            std::slice::from_ref(&first),
            &claim(true),
            "2000001",
            today(),
        )
        .unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.problem.unwrap().id),
            ("amount", MessageId::ProceedingsAllocationAboveRealised)
        );
        Allocation::allocate(
            "al-2".into(),
            Some(&yes),
            &ms,
            std::slice::from_ref(&first),
            &claim(true),
            "2000000",
            today(),
        )
        .unwrap();
        // Paid out in parts, never above the allocation, never backwards.
        let paid = first.pay_out("1000000", "2026-05-28", today()).unwrap();
        let paid = paid.pay_out("2000000", "2026-05-28", today()).unwrap();
        assert_eq!(paid.paid_out_euro_cents, 3_000_000);
        let e = paid.pay_out("1", "2026-05-28", today()).unwrap_err();
        assert_eq!((e.field.as_str(), e.problem.unwrap().id), ("amount", MessageId::ProceedingsPayoutAboveAllocation));
        assert_eq!(first.pay_out("1", "2026-05-27", today()).unwrap_err().field, "on", "before the allocation");
    }

    #[test]
    fn art_7_dir_no_allocation_where_national_law_does_not_allow_it_or_to_an_unlinked_victim() {
        let a = asset("EUR", "");
        let ms = realised(&a, "5000000");
        for practice in [None, Some(practice(false))] {
            let e =
                Allocation::allocate("al".into(), practice.as_ref(), &ms, &[], &claim(true), "1", today()).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.problem.unwrap().id),
                ("claim_id", MessageId::ProceedingsProceedsNotForCompensation)
            );
        }
        let e = Allocation::allocate("al".into(), Some(&practice(true)), &ms, &[], &claim(false), "1", today())
            .unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.problem.unwrap().id),
            ("claim_id", MessageId::ProceedingsClaimOfUnlinkedVictim)
        );
        // Nothing realised yet: nothing to allocate.
        let only_frozen = vec![measure(&a, "freezing", "2026-01-10", "", &[]).unwrap()];
        let e = Allocation::allocate("al".into(), Some(&practice(true)), &only_frozen, &[], &claim(true), "1", today())
            .unwrap_err();
        assert_eq!(e.field, "amount");
        // The built-in profiles all say "not until checked".
        for c in ["LV", "EE", "LT"] {
            let p = NationalPractice::built_in(CountryCode::parse("c", c).unwrap()).unwrap().unwrap();
            assert!(!p.on(today()).unwrap().confiscated_proceeds_to_compensation, "{c}");
        }
    }

    #[test]
    fn art_7_dir_measures_follow_each_other_and_amounts_carry_their_rate_to_the_euro() {
        let a = asset("EUR", "");
        let e = measure(&a, "realisation", "2026-04-01", "100", &[]).unwrap_err();
        assert_eq!(e.problem.unwrap().id, MessageId::ProceedingsRealisationNeedsConfiscation);
        let order = measure(&a, "confiscation_order", "2026-03-01", "", &[]).unwrap();
        let e = measure(&a, "confiscation_order", "2026-03-02", "", std::slice::from_ref(&order)).unwrap_err();
        assert_eq!(e.problem.unwrap().id, MessageId::ProceedingsAlreadyConfiscated);
        let e = measure(&a, "realisation", "2026-04-01", "", std::slice::from_ref(&order)).unwrap_err();
        assert_eq!(e.field, "amount");
        assert_eq!(
            measure(&a, "realisation", "2026-02-01", "100", std::slice::from_ref(&order)).unwrap_err().field,
            "on"
        );
        assert_eq!(measure(&a, "seizure", "2025-12-01", "", &[]).unwrap_err().field, "on", "before it was valued");
        assert_eq!(measure(&a, "seizure", "2026-06-01", "", &[]).unwrap_err().field, "on", "in the future");
        // Not in euro: the rate and its date, converted and rounded half up.
        let usd = asset("USD", "0.921456");
        assert_eq!(usd.value.euro_rate.unwrap().rate_micro, 921_456);
        assert_eq!(usd.value.in_euro_cents(), 11_057_472);
        let e = Amount::parse("value", "100", "USD", "", "", today()).unwrap_err();
        assert_eq!((e.field.as_str(), e.problem.unwrap().id), ("rate", MessageId::ProceedingsRateNeeded));
        assert_eq!(Amount::parse("value", "100", "USD", "1.1", "", today()).unwrap_err().field, "rate_on");
        assert_eq!(Amount::parse("value", "100", "EUR", "1.1", "2026-01-01", today()).unwrap_err().field, "rate");
        for bad in ["0", "-1", "1.1234567", "abc", ".5", "1,5"] {
            assert!(parse_rate("rate", bad).is_err(), "{bad}");
        }
        assert_eq!(parse_rate("rate", "1.5").unwrap(), 1_500_000);
        let input = AssetInput { suspect_id: "nobody".into(), ..AssetInput::default() };
        assert_eq!(Asset::parse("a".into(), "i".into(), &input, &[], today()).unwrap_err().field, "suspect_id");
    }
}
