//! Seizure and confiscation of the instruments and proceeds of trafficking (Dir 2011/36 Art 7;
//! CETS 197 Art 23(3)), and confiscated proceeds paid into victims' compensation where national
//! law allows it (CETS 197 Art 15(4); Dir 2014/42 Art 8(10)).
//!
//! An asset of an investigation (its kind, value, currency, where it is held, whose it is if
//! known) goes through dated measures: freezing, seizure, a confiscation order, and the
//! realisation of what was confiscated. Amounts are whole minor units (cents) of their ISO 4217
//! currency; an amount not in euro carries the rate to the euro and the date of that rate, so
//! that totals across currencies are sums in euro cents at the recorded rates.
//!
//! Realised proceeds are allocated to a compensation claim of a victim linked to the
//! investigation ([`Allocation::allocate`]), and the share paid out is recorded
//! ([`Allocation::pay_out`]). Refused, each naming its field: an allocation where national
//! practice does not allow proceeds to pay compensation, to a claim of a victim not linked to
//! the investigation, or beyond what was realised; a payout beyond the allocation.

use super::penalty::PracticeVersion;
use super::{not_before, past_date};
use crate::assist::compensation::{CurrencyCode, parse_amount};
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
        let currency = CurrencyCode::parse("currency", currency)?;
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

    /// The amount in euro cents at its rate, rounded half up. Minor units are taken as
    /// hundredths of the currency (as for every currency of the Union).
    pub fn in_euro_cents(&self) -> i64 {
        match self.euro_rate {
            None => self.minor,
            Some(r) => {
                let product = i128::from(self.minor) * i128::from(r.rate_micro);
                let scale = i128::from(RATE_SCALE);
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
}

impl Allocation {
    /// Allocates `amount` (euro cents) of the realised proceeds of an asset to a claim. Refused
    /// where national practice (`practice`, the version in force) does not let confiscated
    /// proceeds pay compensation (`claim_id`), to a claim of a victim not linked to the
    /// investigation (`claim_id`), and beyond what was realised less what is allocated already
    /// (`amount`).
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
        let amount = parse_amount("amount", amount)?;
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
        ClaimFacts { claim_id: "claim-1".into(), case_id: "case-1".into(), victim_linked: linked }
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
