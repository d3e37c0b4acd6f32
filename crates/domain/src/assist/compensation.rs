//! Compensation of victims (Dir 2011/36 Arts 12(2), 17; Council of Europe Convention
//! Art 15(3)-(4)): claims, their course through the courts or a scheme, and the payments received.
//!
//! A claim changes only through [`CompensationClaim::transition`] and
//! [`CompensationClaim::record_payment`], which keep these rules:
//!
//! - the status follows [`claim_next`]; a claim is withdrawn only while no award stands;
//! - no payment before an award, every payment in the claim's currency, and the total paid never
//!   above the amount awarded (an appeal cannot bring the award below what has been paid);
//! - dates do not go backwards.
//!
//! Amounts are whole minor units (cents) of the claim's ISO 4217 currency, as `i64`.

use crate::{Coded, ParseError, case::CalendarDate, coded_enum, text::parse_line};
use serde::{Deserialize, Serialize};

/// At most this many confiscated-asset references on one claim.
pub const MAX_CONFISCATED_ASSETS: usize = 50;

fn parse_flag(field: &str, value: &str) -> Result<bool, ParseError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        "" => Err(ParseError::yes_or_no(field)),
        other => Err(ParseError::not_yes_or_no(field, other)),
    }
}

fn past_date(field: &str, value: &str, today: CalendarDate) -> Result<CalendarDate, ParseError> {
    let date = CalendarDate::parse(field, value)?;
    if date > today {
        return Err(ParseError::in_future(field, date, today));
    }
    Ok(date)
}

/// A positive amount in whole minor units (cents): digits only, no sign, no decimal point.
pub fn parse_amount(field: &str, value: &str) -> Result<i64, ParseError> {
    let v = value.trim();
    let bad = || {
        ParseError::said(
            field,
            format!("{v:?} is not a positive whole number of minor units (cents)"),
            crate::Message::new(crate::MessageId::NotAnAmount).with("value", v),
        )
    };
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match v.parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(bad()),
    }
}

/// An ISO 4217 currency code: three upper-case ASCII letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CurrencyCode([u8; 3]);

impl CurrencyCode {
    pub fn parse(field: &str, value: &str) -> Result<Self, ParseError> {
        match value.trim().as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_uppercase) => Ok(Self([a, b, c])),
            _ => Err(ParseError::said(
                field,
                format!("{value:?} is not an ISO 4217 currency code (three upper-case letters)"),
                crate::Message::new(crate::MessageId::NotACurrencyCode).with("value", value.trim()),
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl std::fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for CurrencyCode {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse("currency", &value)
    }
}

impl From<CurrencyCode> for String {
    fn from(value: CurrencyCode) -> Self {
        value.as_str().to_owned()
    }
}

coded_enum! {
    /// The route by which compensation is claimed.
    pub enum ClaimKind {
        /// From the offender, in the criminal proceedings.
        CriminalProceedingsAgainstOffender => "criminal_proceedings_against_offender",
        /// From the offender, in civil proceedings.
        CivilProceedings => "civil_proceedings",
        /// From the State's scheme for victims of violent intentional crime.
        StateCompensationScheme => "state_compensation_scheme",
        /// From a national fund for victims.
        NationalVictimsFund => "national_victims_fund",
    }
}

impl ClaimKind {
    /// The provision that gives the route.
    pub fn article(self) -> &'static str {
        match self {
            Self::CriminalProceedingsAgainstOffender => "CETS 197 Art 15(3); Directive 2012/29/EU Art 16",
            Self::CivilProceedings => "CETS 197 Art 15(3)",
            Self::StateCompensationScheme => "Dir 2011/36 Art 17; Directive 2004/80/EC; CETS 197 Art 15(4)",
            Self::NationalVictimsFund => "CETS 197 Art 15(4)",
        }
    }

    /// A claim against the offender names the offender; a scheme or fund may not.
    pub fn names_offender(self) -> bool {
        matches!(self, Self::CriminalProceedingsAgainstOffender | Self::CivilProceedings)
    }
}

coded_enum! {
    /// Where a claim stands.
    pub enum ClaimStatus {
        Prepared => "prepared",
        Filed => "filed",
        /// Awarded in full (at least the amount claimed).
        Awarded => "awarded",
        /// Awarded in part (less than the amount claimed).
        PartiallyAwarded => "partially_awarded",
        Rejected => "rejected",
        /// The decision is under appeal; an award made stands meanwhile.
        Appealed => "appealed",
        /// Withdrawn by the victim before any award. Final.
        Withdrawn => "withdrawn",
    }
}

/// The statuses that may follow `status`. `withdrawn` is listed wherever it may follow, but a
/// claim is withdrawn only while no award stands ([`CompensationClaim::transition`] checks).
pub fn claim_next(status: ClaimStatus) -> &'static [ClaimStatus] {
    use ClaimStatus::*;
    match status {
        Prepared => &[Filed, Withdrawn],
        Filed | Appealed => &[Awarded, PartiallyAwarded, Rejected, Withdrawn],
        Awarded | PartiallyAwarded => &[Appealed],
        Rejected => &[Appealed, Withdrawn],
        Withdrawn => &[],
    }
}

coded_enum! {
    /// Who paid.
    pub enum Payer {
        Offender => "offender",
        State => "state",
        Fund => "fund",
    }
}

/// One change of status, kept in the claim's history. `amount` is the amount awarded, for an
/// award only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimStatusChange {
    pub status: ClaimStatus,
    pub on: CalendarDate,
    pub amount: Option<i64>,
}

impl ClaimStatusChange {
    /// Parses a change from form fields; `amount` may be empty (see [`CompensationClaim::transition`]
    /// for when it is needed). The date may not be after `today`.
    pub fn parse(status: &str, on: &str, amount: &str, today: CalendarDate) -> Result<Self, ParseError> {
        Ok(Self {
            status: ClaimStatus::parse_code("status", status.trim())?,
            on: past_date("on", on, today)?,
            amount: match amount.trim() {
                "" => None,
                a => Some(parse_amount("amount", a)?),
            },
        })
    }
}

/// A payment received on an award.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    pub received_on: CalendarDate,
    /// Minor units of `currency`.
    pub amount: i64,
    pub currency: CurrencyCode,
    pub payer: Payer,
}

impl Payment {
    /// Parses a payment from form fields; received no later than `today`.
    pub fn parse(
        received_on: &str,
        amount: &str,
        currency: &str,
        payer: &str,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        Ok(Self {
            received_on: past_date("received_on", received_on, today)?,
            amount: parse_amount("amount", amount)?,
            currency: CurrencyCode::parse("currency", currency)?,
            payer: Payer::parse_code("payer", payer.trim())?,
        })
    }
}

/// The form fields of a new claim, as strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClaimInput {
    /// A [`ClaimKind`] code.
    pub kind: String,
    /// The offender, as a reference (a name or a case reference); may be empty for a state
    /// scheme or fund.
    pub against: String,
    /// Minor units (cents).
    pub amount_claimed: String,
    /// ISO 4217.
    pub currency: String,
    pub prepared_on: String,
    /// yes/no: legal representation for the claim is free of charge (Art 12(2)).
    pub free_legal_representation: String,
    /// References to confiscated asset records (see [`CompensationClaim::confiscated_assets`]).
    pub confiscated_assets: Vec<String>,
}

/// A claim for compensation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompensationClaim {
    kind: ClaimKind,
    against: Option<String>,
    amount_claimed: i64,
    currency: CurrencyCode,
    prepared_on: CalendarDate,
    status: ClaimStatus,
    /// Every change after preparation, oldest first.
    history: Vec<ClaimStatusChange>,
    /// The award in force, if any, and the day it was made.
    awarded: Option<i64>,
    awarded_on: Option<CalendarDate>,
    payments: Vec<Payment>,
    /// Legal representation for the claim is free of charge because the victim does not have
    /// sufficient financial resources (Dir 2011/36 Art 12(2); for a child Art 15(2)).
    pub free_legal_representation: bool,
    /// References to confiscated asset records from which the compensation may be paid
    /// (Dir 2011/36 Art 7; CETS 197 Arts 15(4), 23(3)). A seam for
    /// the proceedings module: the references are kept as text and not yet resolved against
    /// asset records.
    pub confiscated_assets: Vec<String>,
}

/// Checks confiscated-asset references as text (bounded, no control characters).
pub fn parse_confiscated_assets(values: &[String]) -> Result<Vec<String>, ParseError> {
    let refs: Vec<String> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(i, v)| parse_line(&format!("confiscated_assets[{i}]"), v, 200))
        .collect::<Result<_, _>>()?;
    if refs.len() > MAX_CONFISCATED_ASSETS {
        return Err(ParseError::said(
            "confiscated_assets",
            format!("at most {MAX_CONFISCATED_ASSETS} references"),
            crate::Message::new(crate::MessageId::AtMostAssetReferences).with("max", MAX_CONFISCATED_ASSETS),
        ));
    }
    Ok(refs)
}

impl CompensationClaim {
    /// A prepared claim from form fields, prepared no later than `today`.
    pub fn prepare(input: &ClaimInput, today: CalendarDate) -> Result<Self, ParseError> {
        let kind = ClaimKind::parse_code("kind", input.kind.trim())?;
        let against = match input.against.trim() {
            "" if kind.names_offender() => {
                return Err(ParseError::said(
                    "against",
                    "a claim against the offender names the offender (a name or a case reference)",
                    crate::Message::new(crate::MessageId::ClaimNamesOffender),
                ));
            }
            "" => None,
            a => Some(parse_line("against", a, 300)?),
        };
        Ok(Self {
            kind,
            against,
            amount_claimed: parse_amount("amount_claimed", &input.amount_claimed)?,
            currency: CurrencyCode::parse("currency", &input.currency)?,
            prepared_on: past_date("prepared_on", &input.prepared_on, today)?,
            status: ClaimStatus::Prepared,
            history: Vec::new(),
            awarded: None,
            awarded_on: None,
            payments: Vec::new(),
            free_legal_representation: parse_flag("free_legal_representation", &input.free_legal_representation)?,
            confiscated_assets: parse_confiscated_assets(&input.confiscated_assets)?,
        })
    }

    /// The date of the latest change (the preparation date at first).
    pub fn last_changed_on(&self) -> CalendarDate {
        self.history.last().map_or(self.prepared_on, |c| c.on)
    }

    /// Moves the claim to `to` on `on`. `amount` is for an award only: for `awarded` it defaults to
    /// the amount claimed and may not be below it; for `partially_awarded` it is required and below
    /// the amount claimed. An award or a rejection (on appeal) may not leave the award below what
    /// has already been paid. Errors name `status`, `on` or `amount`.
    pub fn transition(&self, to: ClaimStatus, on: CalendarDate, amount: Option<i64>) -> Result<Self, ParseError> {
        if !claim_next(self.status).contains(&to) {
            return Err(ParseError::said(
                "status",
                format!("a claim cannot go from {} to {to}", self.status),
                crate::Message::new(crate::MessageId::ClaimCannotChange)
                    .labels("from", "rec-claim-status", [self.status.code()])
                    .labels("to", "rec-claim-status", [to.code()]),
            ));
        }
        if to == ClaimStatus::Withdrawn
            && let Some(awarded) = self.awarded
        {
            return Err(ParseError::said(
                "status",
                format!("an award of {awarded} {} stands: a claim is withdrawn only before an award", self.currency),
                crate::Message::new(crate::MessageId::AwardStandsNoWithdrawal)
                    .with("amount", awarded)
                    .with("currency", self.currency),
            ));
        }
        let last = self.last_changed_on();
        if on < last {
            return Err(ParseError::before_last_change("on", last));
        }
        let paid = self.total_paid();
        let award = match (to, amount) {
            (ClaimStatus::Awarded, amount) => {
                let a = amount.unwrap_or(self.amount_claimed);
                if a < self.amount_claimed {
                    return Err(ParseError::said(
                        "amount",
                        format!("{a} is below the {} claimed: record a partial award", self.amount_claimed),
                        crate::Message::new(crate::MessageId::AwardBelowClaimed)
                            .with("amount", a)
                            .with("claimed", self.amount_claimed),
                    ));
                }
                Some(a)
            }
            (ClaimStatus::PartiallyAwarded, None) => {
                return Err(ParseError::said(
                    "amount",
                    "a partial award needs the amount awarded",
                    crate::Message::new(crate::MessageId::PartialAwardNeedsAmount),
                ));
            }
            (ClaimStatus::PartiallyAwarded, Some(a)) => {
                if a <= 0 || a >= self.amount_claimed {
                    return Err(ParseError::said(
                        "amount",
                        format!("a partial award is more than 0 and less than the {} claimed", self.amount_claimed),
                        crate::Message::new(crate::MessageId::PartialAwardRange).with("claimed", self.amount_claimed),
                    ));
                }
                Some(a)
            }
            (_, Some(_)) => {
                return Err(ParseError::said(
                    "amount",
                    "only an award carries an amount",
                    crate::Message::new(crate::MessageId::OnlyAwardHasAmount),
                ));
            }
            (_, None) => None,
        };
        let mut next = self.clone();
        next.status = to;
        match to {
            ClaimStatus::Awarded | ClaimStatus::PartiallyAwarded | ClaimStatus::Rejected => {
                let new_award = award.unwrap_or(0);
                if new_award < paid {
                    return Err(ParseError::said(
                        if to == ClaimStatus::Rejected { "status" } else { "amount" },
                        format!(
                            "{paid} {} has already been paid on the award; the award cannot fall below it",
                            self.currency
                        ),
                        crate::Message::new(crate::MessageId::AwardBelowPaid)
                            .with("paid", paid)
                            .with("currency", self.currency),
                    ));
                }
                next.awarded = award;
                next.awarded_on = award.map(|_| on);
            }
            _ => {}
        }
        next.history.push(ClaimStatusChange { status: to, on, amount: award });
        Ok(next)
    }

    /// [`CompensationClaim::transition`] with a parsed change.
    pub fn apply(&self, change: &ClaimStatusChange) -> Result<Self, ParseError> {
        self.transition(change.status, change.on, change.amount)
    }

    /// Records a payment: only on an award in force and not before it (`received_on`), in the
    /// claim's currency (`currency`), and never taking the total paid above the award (`amount`).
    pub fn record_payment(&self, payment: Payment) -> Result<Self, ParseError> {
        let (Some(awarded), Some(awarded_on)) = (self.awarded, self.awarded_on) else {
            return Err(ParseError::said(
                "received_on",
                "no award stands on this claim: payments are recorded after an award",
                crate::Message::new(crate::MessageId::PaymentNeedsAward),
            ));
        };
        if payment.received_on < awarded_on {
            return Err(ParseError::said(
                "received_on",
                format!("a payment cannot come before the award of {awarded_on}"),
                crate::Message::new(crate::MessageId::PaymentBeforeAward).with("date", awarded_on),
            ));
        }
        if payment.currency != self.currency {
            return Err(ParseError::said(
                "currency",
                format!("payments on this claim are in {}, not {}", self.currency, payment.currency),
                crate::Message::new(crate::MessageId::PaymentCurrency)
                    .with("claim", self.currency)
                    .with("given", payment.currency),
            ));
        }
        if payment.amount <= 0 {
            return Err(ParseError::said(
                "amount",
                "a payment is a positive amount",
                crate::Message::new(crate::MessageId::PaymentPositive),
            ));
        }
        let outstanding = self.outstanding();
        if payment.amount > outstanding {
            return Err(ParseError::said(
                "amount",
                format!(
                    "{} {} would take the total paid above the award of {awarded}; {outstanding} is outstanding",
                    payment.amount, self.currency
                ),
                crate::Message::new(crate::MessageId::PaymentAboveAward)
                    .with("amount", payment.amount)
                    .with("currency", self.currency)
                    .with("awarded", awarded)
                    .with("outstanding", outstanding),
            ));
        }
        let mut next = self.clone();
        next.payments.push(payment);
        Ok(next)
    }

    pub fn kind(&self) -> ClaimKind {
        self.kind
    }

    /// The offender reference; `None` for a scheme or fund claim that names none.
    pub fn against(&self) -> Option<&str> {
        self.against.as_deref()
    }

    pub fn amount_claimed(&self) -> i64 {
        self.amount_claimed
    }

    pub fn currency(&self) -> CurrencyCode {
        self.currency
    }

    pub fn prepared_on(&self) -> CalendarDate {
        self.prepared_on
    }

    pub fn status(&self) -> ClaimStatus {
        self.status
    }

    pub fn history(&self) -> &[ClaimStatusChange] {
        &self.history
    }

    /// The amount of the award in force.
    pub fn awarded(&self) -> Option<i64> {
        self.awarded
    }

    pub fn awarded_on(&self) -> Option<CalendarDate> {
        self.awarded_on
    }

    pub fn payments(&self) -> &[Payment] {
        &self.payments
    }

    /// The total of the payments received.
    pub fn total_paid(&self) -> i64 {
        self.payments.iter().map(|p| p.amount).fold(0, i64::saturating_add)
    }

    /// What remains to be paid on the award in force (0 without one).
    pub fn outstanding(&self) -> i64 {
        self.awarded.unwrap_or(0).saturating_sub(self.total_paid()).max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn today() -> CalendarDate {
        date("2025-12-31")
    }

    fn input(kind: &str, against: &str) -> ClaimInput {
        ClaimInput {
            kind: kind.into(),
            against: against.into(),
            amount_claimed: "1000000".into(),
            currency: "EUR".into(),
            prepared_on: "2025-01-10".into(),
            free_legal_representation: "yes".into(),
            confiscated_assets: vec![],
        }
    }

    fn claim() -> CompensationClaim {
        CompensationClaim::prepare(&input("criminal_proceedings_against_offender", "Case 11-2024 defendant A"), today())
            .unwrap()
    }

    fn eur(amount: i64, on: &str) -> Payment {
        Payment::parse(on, &amount.to_string(), "EUR", "offender", today()).unwrap()
    }

    fn awarded(amount: Option<i64>) -> CompensationClaim {
        let filed = claim().transition(ClaimStatus::Filed, date("2025-02-01"), None).unwrap();
        match amount {
            None => filed.transition(ClaimStatus::Awarded, date("2025-06-01"), None).unwrap(),
            Some(a) => filed.transition(ClaimStatus::PartiallyAwarded, date("2025-06-01"), Some(a)).unwrap(),
        }
    }

    #[test]
    fn a_claim_is_prepared_from_form_fields() {
        let c = claim();
        assert_eq!((c.status(), c.amount_claimed(), c.currency().as_str()), (ClaimStatus::Prepared, 1_000_000, "EUR"));
        assert!(c.free_legal_representation);
        assert_eq!(c.against(), Some("Case 11-2024 defendant A"));
        assert_eq!((c.awarded(), c.outstanding(), c.total_paid()), (None, 0, 0));
        assert!(c.history().is_empty());
        assert_eq!(c.last_changed_on(), date("2025-01-10"));
    }

    #[test]
    fn claims_name_their_fields() {
        let field = |f: &dyn Fn(&mut ClaimInput)| {
            let mut i = input("civil_proceedings", "A. Defendant");
            f(&mut i);
            CompensationClaim::prepare(&i, today()).unwrap_err().field
        };
        assert_eq!(field(&|i| i.kind = "lottery".into()), "kind");
        assert_eq!(field(&|i| i.against = "a\u{0}".into()), "against");
        assert_eq!(field(&|i| i.amount_claimed = "0".into()), "amount_claimed");
        assert_eq!(field(&|i| i.amount_claimed = "-5".into()), "amount_claimed");
        assert_eq!(field(&|i| i.amount_claimed = "10.50".into()), "amount_claimed");
        assert_eq!(field(&|i| i.amount_claimed = "99999999999999999999".into()), "amount_claimed");
        assert_eq!(field(&|i| i.currency = "eur".into()), "currency");
        assert_eq!(field(&|i| i.currency = "EURO".into()), "currency");
        assert_eq!(field(&|i| i.currency = "E1R".into()), "currency");
        assert_eq!(field(&|i| i.prepared_on = "2026-01-01".into()), "prepared_on");
        assert_eq!(field(&|i| i.free_legal_representation = String::new()), "free_legal_representation");
        assert_eq!(field(&|i| i.confiscated_assets = vec!["ok".into(), "x".repeat(201)]), "confiscated_assets[1]");
        assert_eq!(
            field(&|i| i.confiscated_assets = (0..=MAX_CONFISCATED_ASSETS).map(|n| n.to_string()).collect()),
            "confiscated_assets"
        );

        let p = |r: &str, a: &str, c: &str, w: &str| Payment::parse(r, a, c, w, today()).unwrap_err().field;
        assert_eq!(p("2026-01-01", "1", "EUR", "state"), "received_on");
        assert_eq!(p("2025-07-01", "0", "EUR", "state"), "amount");
        assert_eq!(p("2025-07-01", "1", "€", "state"), "currency");
        assert_eq!(p("2025-07-01", "1", "EUR", "employer"), "payer");

        let s = |st: &str, on: &str, a: &str| ClaimStatusChange::parse(st, on, a, today()).unwrap_err().field;
        assert_eq!(s("won", "2025-07-01", ""), "status");
        assert_eq!(s("awarded", "2026-07-01", ""), "on");
        assert_eq!(s("awarded", "2025-07-01", "lots"), "amount");
        let ok = ClaimStatusChange::parse("partially_awarded", "2025-07-01", "500", today()).unwrap();
        assert_eq!(
            ok,
            ClaimStatusChange { status: ClaimStatus::PartiallyAwarded, on: date("2025-07-01"), amount: Some(500) }
        );
    }

    /// Convention Art 15(3): a claim against the offender names the offender; a scheme need not.
    #[test]
    fn art_15_cets_claims_against_the_offender_name_the_offender_a_scheme_need_not() {
        for kind in ["criminal_proceedings_against_offender", "civil_proceedings"] {
            assert_eq!(CompensationClaim::prepare(&input(kind, " "), today()).unwrap_err().field, "against", "{kind}");
            assert!(CompensationClaim::prepare(&input(kind, "A. Defendant"), today()).is_ok());
        }
        for kind in ["state_compensation_scheme", "national_victims_fund"] {
            let c = CompensationClaim::prepare(&input(kind, ""), today()).unwrap();
            assert_eq!(c.against(), None, "{kind}");
            let c = CompensationClaim::prepare(&input(kind, "A. Defendant"), today()).unwrap();
            assert_eq!(c.against(), Some("A. Defendant"));
        }
        assert!(ClaimKind::StateCompensationScheme.article().contains("Dir 2011/36 Art 17"));
        assert!(ClaimKind::NationalVictimsFund.article().contains("Art 15(4)"));
    }

    /// Dir 2011/36 Art 17 (as amended by Dir 2024/1712, which adds a national victims' fund):
    /// access to the State's compensation scheme or a fund: such a claim needs no offender, runs
    /// to an award and is paid by the State or the fund.
    #[test]
    fn art_17_dir_2011_36_a_claim_to_the_state_scheme_or_a_fund_needs_no_offender_and_is_paid_by_it() {
        for (kind, payer) in [("state_compensation_scheme", "state"), ("national_victims_fund", "fund")] {
            let c = CompensationClaim::prepare(&input(kind, ""), today()).unwrap();
            assert_eq!((c.kind().code(), c.against()), (kind, None));
            let c = c.transition(ClaimStatus::Filed, date("2025-02-01"), None).unwrap();
            let c = c.transition(ClaimStatus::Awarded, date("2025-06-01"), None).unwrap();
            assert_eq!(c.outstanding(), c.amount_claimed());
            let paid = Payment::parse("2025-07-01", &c.amount_claimed().to_string(), "EUR", payer, today()).unwrap();
            let c = c.record_payment(paid).unwrap();
            assert_eq!((c.total_paid(), c.outstanding()), (c.amount_claimed(), 0), "{kind}");
        }
        assert!(ClaimKind::StateCompensationScheme.article().contains("Dir 2011/36 Art 17"));
    }

    #[test]
    fn currency_codes() {
        assert_eq!(CurrencyCode::parse("c", " USD ").unwrap().to_string(), "USD");
        for bad in ["", "US", "usd", "USDX", "U$D", "ÄBC"] {
            assert_eq!(CurrencyCode::parse("c", bad).unwrap_err().field, "c", "{bad}");
        }
        assert!(serde_json::from_str::<CurrencyCode>("\"eur\"").is_err());
        assert_eq!(serde_json::to_string(&CurrencyCode::parse("c", "EUR").unwrap()).unwrap(), "\"EUR\"");
    }

    /// A claim in each status, and the dates after which the test's changes fall.
    fn at(status: ClaimStatus) -> CompensationClaim {
        use ClaimStatus::*;
        let c = claim();
        let filed = || c.transition(Filed, date("2025-02-01"), None).unwrap();
        match status {
            Prepared => c,
            Filed => filed(),
            Awarded => awarded(None),
            PartiallyAwarded => awarded(Some(400_000)),
            Rejected => filed().transition(Rejected, date("2025-06-01"), None).unwrap(),
            Appealed => filed()
                .transition(Rejected, date("2025-06-01"), None)
                .unwrap()
                .transition(Appealed, date("2025-06-15"), None)
                .unwrap(),
            Withdrawn => c.transition(Withdrawn, date("2025-02-01"), None).unwrap(),
        }
    }

    fn amount_for(to: ClaimStatus) -> Option<i64> {
        (to == ClaimStatus::PartiallyAwarded).then_some(600_000)
    }

    /// The transition table, every pair written out.
    #[test]
    fn claim_transition_table() {
        use ClaimStatus::*;
        let legal = [
            (Prepared, Filed),
            (Prepared, Withdrawn),
            (Filed, Awarded),
            (Filed, PartiallyAwarded),
            (Filed, Rejected),
            (Filed, Withdrawn),
            (Awarded, Appealed),
            (PartiallyAwarded, Appealed),
            (Rejected, Appealed),
            (Rejected, Withdrawn),
            (Appealed, Awarded),
            (Appealed, PartiallyAwarded),
            (Appealed, Rejected),
            (Appealed, Withdrawn),
        ];
        let illegal = [
            (Prepared, Prepared),
            (Prepared, Awarded),
            (Prepared, PartiallyAwarded),
            (Prepared, Rejected),
            (Prepared, Appealed),
            (Filed, Prepared),
            (Filed, Filed),
            (Filed, Appealed),
            (Awarded, Prepared),
            (Awarded, Filed),
            (Awarded, Awarded),
            (Awarded, PartiallyAwarded),
            (Awarded, Rejected),
            (Awarded, Withdrawn),
            (PartiallyAwarded, Prepared),
            (PartiallyAwarded, Filed),
            (PartiallyAwarded, Awarded),
            (PartiallyAwarded, PartiallyAwarded),
            (PartiallyAwarded, Rejected),
            (PartiallyAwarded, Withdrawn),
            (Rejected, Prepared),
            (Rejected, Filed),
            (Rejected, Awarded),
            (Rejected, PartiallyAwarded),
            (Rejected, Rejected),
            (Appealed, Prepared),
            (Appealed, Filed),
            (Appealed, Appealed),
            (Withdrawn, Prepared),
            (Withdrawn, Filed),
            (Withdrawn, Awarded),
            (Withdrawn, PartiallyAwarded),
            (Withdrawn, Rejected),
            (Withdrawn, Appealed),
            (Withdrawn, Withdrawn),
        ];
        assert_eq!(legal.len() + illegal.len(), ClaimStatus::ALL.len().pow(2));
        for (from, to) in legal {
            assert!(claim_next(from).contains(&to), "{from} -> {to}");
            let next = at(from).transition(to, date("2025-07-01"), amount_for(to)).unwrap();
            assert_eq!(next.status(), to, "{from} -> {to}");
            assert_eq!(next.history().last().map(|c| (c.status, c.on)), Some((to, date("2025-07-01"))));
        }
        for (from, to) in illegal {
            assert!(!claim_next(from).contains(&to), "{from} -> {to}");
            let e = at(from).transition(to, date("2025-07-01"), amount_for(to)).unwrap_err();
            assert_eq!(e.field, "status", "{from} -> {to}");
        }
    }

    /// Any status may go to withdrawn before an award, none after.
    #[test]
    fn withdrawal_only_before_an_award() {
        let appealed_award =
            awarded(Some(400_000)).transition(ClaimStatus::Appealed, date("2025-06-10"), None).unwrap();
        assert_eq!(appealed_award.awarded(), Some(400_000), "the award stands during the appeal");
        let e = appealed_award.transition(ClaimStatus::Withdrawn, date("2025-07-01"), None).unwrap_err();
        assert_eq!(e.field, "status");
        assert!(e.message.contains("only before an award"), "{}", e.message);
        // Overturned on appeal: no award stands any more, so the claim may be withdrawn.
        let overturned = appealed_award.transition(ClaimStatus::Rejected, date("2025-07-01"), None).unwrap();
        assert_eq!(overturned.awarded(), None);
        assert!(overturned.transition(ClaimStatus::Withdrawn, date("2025-07-02"), None).is_ok());
    }

    #[test]
    fn award_amounts() {
        let filed = at(ClaimStatus::Filed);
        let on = date("2025-06-01");
        assert_eq!(filed.transition(ClaimStatus::Awarded, on, None).unwrap().awarded(), Some(1_000_000));
        assert_eq!(filed.transition(ClaimStatus::Awarded, on, Some(1_200_000)).unwrap().awarded(), Some(1_200_000));
        assert_eq!(filed.transition(ClaimStatus::Awarded, on, Some(999_999)).unwrap_err().field, "amount");
        assert_eq!(filed.transition(ClaimStatus::PartiallyAwarded, on, None).unwrap_err().field, "amount");
        assert_eq!(filed.transition(ClaimStatus::PartiallyAwarded, on, Some(1_000_000)).unwrap_err().field, "amount");
        assert_eq!(filed.transition(ClaimStatus::PartiallyAwarded, on, Some(0)).unwrap_err().field, "amount");
        let partial = filed.transition(ClaimStatus::PartiallyAwarded, on, Some(1)).unwrap();
        assert_eq!((partial.awarded(), partial.awarded_on()), (Some(1), Some(on)));
        assert_eq!(filed.transition(ClaimStatus::Rejected, on, Some(5)).unwrap_err().field, "amount");
        assert_eq!(at(ClaimStatus::Prepared).transition(ClaimStatus::Filed, on, Some(5)).unwrap_err().field, "amount");
        // Dates do not go backwards.
        assert_eq!(filed.transition(ClaimStatus::Awarded, date("2025-01-31"), None).unwrap_err().field, "on");
        assert!(filed.transition(ClaimStatus::Awarded, date("2025-02-01"), None).is_ok());
    }

    /// Payments: only on an award, not before it, in the claim's currency, never above it.
    #[test]
    fn payment_rules() {
        // No payment before an award.
        for status in [ClaimStatus::Prepared, ClaimStatus::Filed, ClaimStatus::Rejected, ClaimStatus::Withdrawn] {
            assert_eq!(at(status).record_payment(eur(100, "2025-07-01")).unwrap_err().field, "received_on", "{status}");
        }
        let c = awarded(Some(400_000));
        assert_eq!(c.record_payment(eur(100, "2025-05-31")).unwrap_err().field, "received_on");
        // In the claim's currency.
        let usd = Payment::parse("2025-07-01", "100", "USD", "state", today()).unwrap();
        assert_eq!(c.record_payment(usd).unwrap_err().field, "currency");
        // Up to the award, not beyond.
        let c = c.record_payment(eur(150_000, "2025-06-01")).unwrap();
        let c = c.record_payment(eur(250_000, "2025-07-01")).unwrap();
        assert_eq!((c.total_paid(), c.outstanding()), (400_000, 0));
        let e = c.record_payment(eur(1, "2025-07-02")).unwrap_err();
        assert_eq!(e.field, "amount");
        assert!(e.message.contains("0 is outstanding"), "{}", e.message);
        // Payments continue during an appeal, on the award that stands.
        let partly = awarded(Some(400_000)).record_payment(eur(100_000, "2025-06-02")).unwrap();
        let appealed = partly.transition(ClaimStatus::Appealed, date("2025-06-10"), None).unwrap();
        let appealed = appealed.record_payment(eur(100_000, "2025-06-20")).unwrap();
        assert_eq!(appealed.outstanding(), 200_000);
        // An appeal cannot bring the award below what has been paid.
        assert_eq!(
            appealed.transition(ClaimStatus::PartiallyAwarded, date("2025-08-01"), Some(199_999)).unwrap_err().field,
            "amount"
        );
        assert_eq!(appealed.transition(ClaimStatus::Rejected, date("2025-08-01"), None).unwrap_err().field, "status");
        let raised = appealed.transition(ClaimStatus::Awarded, date("2025-08-01"), None).unwrap();
        assert_eq!(
            (raised.awarded(), raised.outstanding(), raised.awarded_on()),
            (Some(1_000_000), 800_000, Some(date("2025-08-01")))
        );
        // Payments after a new award are dated from it.
        assert_eq!(raised.record_payment(eur(1, "2025-07-31")).unwrap_err().field, "received_on");
    }

    #[test]
    fn claims_round_trip_through_json() {
        let mut c = awarded(None).record_payment(eur(10, "2025-06-02")).unwrap();
        c.confiscated_assets = vec!["asset-2025-0042".into()];
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["status"], "awarded");
        assert_eq!(json["currency"], "EUR");
        assert_eq!(json["payments"][0]["payer"], "offender");
        assert_eq!(serde_json::from_value::<CompensationClaim>(json).unwrap(), c);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Pay { amount: i64, usd: bool, day: i64 },
        Appeal { day: i64 },
        Decide { outcome: u8, amount: i64, day: i64 },
        Withdraw { day: i64 },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (1i64..700_000, proptest::bool::weighted(0.1), 0i64..30).prop_map(|(amount, usd, day)| Op::Pay { amount, usd, day }),
            1 => (0i64..30).prop_map(|day| Op::Appeal { day }),
            1 => (0u8..3, 1i64..1_500_000, 0i64..30).prop_map(|(outcome, amount, day)| Op::Decide { outcome, amount, day }),
            1 => (0i64..30).prop_map(|day| Op::Withdraw { day }),
        ]
    }

    proptest! {
        /// Whatever sequence of payments, appeals and decisions is attempted, the total paid never
        /// exceeds the award in force, and a refused step changes nothing.
        #[test]
        fn payments_never_exceed_the_award(ops in proptest::collection::vec(op(), 0..40), award in 1i64..1_000_000) {
            let mut c = at(ClaimStatus::Filed).transition(ClaimStatus::PartiallyAwarded, date("2025-03-01"), Some(award)).unwrap();
            let mut day = date("2025-03-01");
            for op in ops {
                let step = |d: i64| day.add_days(d).unwrap();
                let result = match op {
                    Op::Pay { amount, usd, day: d } => {
                        let currency = CurrencyCode::parse("c", if usd { "USD" } else { "EUR" }).unwrap();
                        c.record_payment(Payment { received_on: step(d), amount, currency, payer: Payer::Offender })
                    }
                    Op::Appeal { day: d } => c.transition(ClaimStatus::Appealed, step(d), None),
                    Op::Decide { outcome, amount, day: d } => {
                        let (to, amount) = match outcome {
                            0 => (ClaimStatus::Awarded, None),
                            1 => (ClaimStatus::PartiallyAwarded, Some(amount)),
                            _ => (ClaimStatus::Rejected, None),
                        };
                        c.transition(to, step(d), amount)
                    }
                    Op::Withdraw { day: d } => c.transition(ClaimStatus::Withdrawn, step(d), None),
                };
                if let Ok(next) = result {
                    c = next;
                    day = c.last_changed_on().max(c.payments().last().map_or(day, |p| p.received_on));
                }
                prop_assert!(c.total_paid() <= c.awarded().unwrap_or(0));
                prop_assert_eq!(c.outstanding(), c.awarded().unwrap_or(0) - c.total_paid());
                prop_assert!(c.payments().iter().all(|p| p.currency.as_str() == "EUR"));
                prop_assert!(c.awarded().is_none() || c.status() != ClaimStatus::Withdrawn);
            }
        }

        #[test]
        fn amount_parsing_never_panics(s in "\\PC{0,24}") {
            if let Ok(n) = parse_amount("a", &s) {
                prop_assert!(n > 0);
            }
        }
    }
}
