//! Data subjects' requests (Reg 2016/679 Arts 12 and 15-18; for proceedings data Dir 2016/680 Arts 14-16):
//! what was asked, when it was received, how the requester's identity was checked, when the
//! answer is due and whether it came late. Pure rules: the date of today is given in.
//!
//! The answer is due one month after receipt (Reg 2016/679 Art 12(3)), extendable by two further months
//! where necessary, with the reasons given to the requester within the first month. Periods in
//! months are computed as Reg 1182/71 Art 3(2)(c) says (the day of the last month bearing the
//! date of receipt; the month's last day where there is none) and a period ending on a Saturday,
//! Sunday or public holiday ends on the next working day (Reg 1182/71 Art 3(4)); which days are
//! holidays is national data, given in.

use crate::case::CalendarDate;
use crate::text::{Narrative, parse_line};
use crate::{Message, MessageId, ParseError, coded_enum};

coded_enum! {
    /// The right exercised.
    pub enum RequestKind {
        /// Access to one's data and a copy (Reg 2016/679 Art 15; Dir 2016/680 Art 14).
        Access => "access",
        /// Correction of inaccurate data (Reg 2016/679 Art 16; Dir 2016/680 Art 16(1)).
        Rectification => "rectification",
        /// Restriction of processing (Reg 2016/679 Art 18; Dir 2016/680 Art 16(3)).
        Restriction => "restriction",
        /// Erasure (Reg 2016/679 Art 17; Dir 2016/680 Art 16(2)).
        Erasure => "erasure",
    }
}

coded_enum! {
    /// Where a request stands.
    pub enum RequestStatus {
        /// Received; the requester's identity not yet checked.
        Received => "received",
        /// The requester's identity was checked (Reg 2016/679 Art 12(6)): the request may be answered.
        Verified => "verified",
        /// An erasure was approved and waits for the erasure to be carried out.
        AwaitingErasure => "awaiting_erasure",
        /// Answered: the export given, the correction made, the restriction applied or lifted,
        /// the data erased.
        Answered => "answered",
        /// Refused, with the reasons given (Reg 2016/679 Art 12(4)-(6); Dir 2016/680 Art 15(3)).
        Refused => "refused",
    }
}

coded_enum! {
    /// How the requester's identity was checked (Reg 2016/679 Art 12(6)).
    pub enum IdentityCheckMethod {
        /// An identity document shown in person.
        DocumentInPerson => "document_in_person",
        /// Known in person to the caseworker of the case, who confirmed it.
        KnownToCaseworker => "known_to_caseworker",
        /// A representative (a lawyer, a guardian) with a mandate and the person's document.
        Representative => "representative",
        /// A copy of a document checked against the registration.
        DocumentCopy => "document_copy",
    }
}

/// The answer is due one month after receipt: Reg 2016/679 Art 12(3).
pub const ANSWER_MONTHS: u32 = 1;
/// The period may be extended by two further months where necessary: Reg 2016/679 Art 12(3).
pub const EXTENSION_MONTHS: u32 = 2;

/// The last day of a period of `months` months that starts with an event on `from`
/// (Reg 1182/71 Art 3(2)(c)): the day of the last month bearing the same date, or that month's
/// last day where it has none; moved to the next working day when it is a Saturday, a Sunday or
/// a day `is_holiday` names (Reg 1182/71 Art 3(4)). `None` beyond the calendar's range.
pub fn period_end(from: CalendarDate, months: u32, is_holiday: &dyn Fn(CalendarDate) -> bool) -> Option<CalendarDate> {
    let mut day = from.add_months(months)?;
    // A year has at most a few dozen holidays: the loop ends within days.
    for _ in 0..60 {
        if !day.is_weekend() && !is_holiday(day) {
            return Some(day);
        }
        day = day.add_days(1)?;
    }
    None
}

/// When the answer to a request received on `received` is due: one month, or three when the
/// period was extended (Reg 2016/679 Art 12(3)).
pub fn answer_due(
    received: CalendarDate,
    extended: bool,
    is_holiday: &dyn Fn(CalendarDate) -> bool,
) -> Option<CalendarDate> {
    let months = if extended { ANSWER_MONTHS + EXTENSION_MONTHS } else { ANSWER_MONTHS };
    period_end(received, months, is_holiday)
}

/// Days the answer came (or, unanswered, is) late: after `due`, counting to `answered` or to
/// `today` while there is no answer; 0 when on time.
pub fn days_late(due: CalendarDate, answered: Option<CalendarDate>, today: CalendarDate) -> i64 {
    due.days_until(answered.unwrap_or(today)).max(0)
}

/// A step in a request's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStep {
    VerifyIdentity,
    Extend,
    /// Approving an erasure (it then waits for the erasure itself).
    ApproveErasure,
    Answer,
    Refuse,
}

/// The status after `step`, or why the step is refused. Identity is checked before anything is
/// answered (Reg 2016/679 Art 12(6)); an erasure is approved before it is carried out; an answered or
/// refused request is closed.
pub fn next_status(kind: RequestKind, status: RequestStatus, step: RequestStep) -> Result<RequestStatus, ParseError> {
    use RequestStatus::*;
    let refused = |id: MessageId, text: &str| Err(ParseError::said("step", text, Message::new(id)));
    if matches!(status, Answered | Refused) {
        return refused(MessageId::SubjectRequestClosed, "the request is closed");
    }
    match step {
        RequestStep::VerifyIdentity if status == Received => Ok(Verified),
        RequestStep::VerifyIdentity => {
            refused(MessageId::SubjectRequestVerifiedAlready, "identity was checked already")
        }
        RequestStep::Extend => Ok(status),
        RequestStep::Refuse => Ok(Refused),
        RequestStep::ApproveErasure | RequestStep::Answer if status == Received => {
            refused(MessageId::SubjectRequestIdentityFirst, "check the requester's identity first")
        }
        RequestStep::ApproveErasure if kind == RequestKind::Erasure && status == Verified => Ok(AwaitingErasure),
        RequestStep::ApproveErasure => {
            refused(MessageId::SubjectRequestNotErasure, "only an erasure request is approved for erasure")
        }
        RequestStep::Answer => Ok(Answered),
    }
}

/// An extension of the period (Reg 2016/679 Art 12(3)): recorded with its reasons, before the first
/// month has passed (the requester is told within it), once.
pub fn check_extension(
    received: CalendarDate,
    already_extended: bool,
    on: CalendarDate,
    reason: &str,
    is_holiday: &dyn Fn(CalendarDate) -> bool,
) -> Result<Narrative, ParseError> {
    if already_extended {
        return Err(ParseError::said(
            "extension_reason",
            "the period was extended already",
            Message::new(MessageId::SubjectRequestExtendedAlready),
        ));
    }
    let reason = Narrative::parse("extension_reason", reason)?;
    let first =
        answer_due(received, false, is_holiday).ok_or_else(|| ParseError::new("received_on", "out of range"))?;
    if on > first {
        return Err(ParseError::said(
            "extension_reason",
            format!("the period is extended within the first month, until {first}"),
            Message::new(MessageId::SubjectRequestExtensionLate).with("due", first),
        ));
    }
    Ok(reason)
}

/// A date of the request's life (receipt, identity check, answer): not before receipt, not
/// after today.
pub fn check_day(
    field: &str,
    value: &str,
    received: Option<CalendarDate>,
    today: CalendarDate,
) -> Result<CalendarDate, ParseError> {
    let day = CalendarDate::parse(field, value)?;
    if day > today {
        return Err(ParseError::said(field, "must not be in the future", Message::new(MessageId::MustNotBeInFuture)));
    }
    if let Some(r) = received
        && day < r
    {
        return Err(ParseError::said(
            field,
            format!("must not be before the request was received ({r})"),
            Message::new(MessageId::SubjectRequestBeforeReceipt).with("received", r),
        ));
    }
    Ok(day)
}

/// The fields of a registration's person that a rectification corrects (Reg 2016/679 Art 16), with the
/// compartment that holds them (identity).
pub const RECTIFIABLE_FIELDS: [&str; 5] = ["given_names", "family_names", "date_of_birth", "sex", "citizenship"];

/// Parses the field a rectification names.
pub fn rectifiable_field(value: &str) -> Result<&'static str, ParseError> {
    RECTIFIABLE_FIELDS.iter().copied().find(|f| *f == value.trim()).ok_or_else(|| {
        ParseError::said(
            "field",
            format!("{value:?} is not a field that is rectified here"),
            Message::new(MessageId::UnknownValue).with("value", value),
        )
    })
}

/// Corrects `field` of the registration's person to `value` (Reg 2016/679 Art 16) and gives the value
/// it held, as text, for the rectification history. The same value again is refused: nothing
/// would be corrected.
pub fn rectify(reg: &mut crate::ident::record::Registration, field: &str, value: &str) -> Result<String, ParseError> {
    use crate::Coded;
    let field = rectifiable_field(field)?;
    let p = &mut reg.person;
    let value = value.trim();
    let old = match field {
        "given_names" => std::mem::replace(&mut p.given_names, parse_line("value", value, 200)?),
        "family_names" => std::mem::replace(&mut p.family_names, parse_line("value", value, 200)?),
        "date_of_birth" => {
            let new = if value.is_empty() { None } else { Some(CalendarDate::parse("value", value)?) };
            std::mem::replace(&mut p.date_of_birth, new).map(|d| d.to_string()).unwrap_or_default()
        }
        "sex" => std::mem::replace(&mut p.sex, crate::case::Sex::parse_code("value", value)?).code().to_owned(),
        _ => {
            let mut list = Vec::new();
            for (i, code) in value.split(',').map(str::trim).filter(|c| !c.is_empty()).enumerate() {
                let c = crate::CountryCode::parse(&format!("value[{i}]"), code)?;
                if !list.contains(&c) {
                    list.push(c);
                }
            }
            let old = std::mem::replace(&mut p.citizenships, list);
            old.iter().map(|c| c.as_str().to_owned()).collect::<Vec<_>>().join(",")
        }
    };
    let new = current_value(reg, field);
    if new == old {
        return Err(ParseError::said(
            "value",
            "the value is the one held already",
            Message::new(MessageId::RectificationUnchanged),
        ));
    }
    Ok(old)
}

/// The value `field` of the registration's person holds, as text (as [`rectify`] gives the old one).
pub fn current_value(reg: &crate::ident::record::Registration, field: &str) -> String {
    use crate::Coded;
    let p = &reg.person;
    match field {
        "given_names" => p.given_names.clone(),
        "family_names" => p.family_names.clone(),
        "date_of_birth" => p.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
        "sex" => p.sex.code().to_owned(),
        "citizenship" => p.citizenships.iter().map(|c| c.as_str().to_owned()).collect::<Vec<_>>().join(","),
        _ => String::new(),
    }
}

/// A reason (why a rectification, restriction or refusal): one line, required.
pub fn reason(field: &str, value: &str) -> Result<String, ParseError> {
    parse_line(field, value, 500)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }
    fn none(_: CalendarDate) -> bool {
        false
    }

    #[test]
    fn reg_2016_679_art_12_3_one_month_after_receipt() {
        // Wednesday 2026-03-04 → Saturday 2026-04-04 → Monday 2026-04-06 (Reg 1182/71 Art 3(4)).
        assert_eq!(answer_due(d("2026-03-04"), false, &none), Some(d("2026-04-06")));
        assert_eq!(answer_due(d("2026-03-10"), false, &none), Some(d("2026-04-10")));
    }

    #[test]
    fn reg_1182_71_art_3_2_c_month_end_without_the_same_date() {
        // 31 January: February has no 31st, the period ends on its last day.
        assert_eq!(answer_due(d("2027-01-31"), false, &none), Some(d("2027-03-01")), "28 Feb 2027 is a Sunday");
        assert_eq!(answer_due(d("2026-01-31"), false, &none), Some(d("2026-03-02")), "28 Feb 2026 is a Saturday");
        // A leap year: 29 February.
        assert_eq!(answer_due(d("2028-01-31"), false, &none), Some(d("2028-02-29")));
        assert_eq!(answer_due(d("2024-02-29"), false, &none), Some(d("2024-03-29")));
        // 31 August → 30 September.
        assert_eq!(answer_due(d("2026-08-31"), false, &none), Some(d("2026-09-30")));
    }

    #[test]
    fn reg_2016_679_art_12_3_extension_by_two_further_months() {
        assert_eq!(answer_due(d("2026-11-30"), true, &none), Some(d("2027-03-01")), "28 Feb 2027 is a Sunday");
        assert_eq!(answer_due(d("2027-11-30"), true, &none), Some(d("2028-02-29")));
        let received = d("2026-03-10");
        assert!(check_extension(received, false, d("2026-04-10"), "many records", &none).is_ok());
        let late = check_extension(received, false, d("2026-04-11"), "many records", &none).unwrap_err();
        assert_eq!(late.field, "extension_reason");
        assert!(check_extension(received, true, d("2026-03-20"), "again", &none).is_err());
        assert!(check_extension(received, false, d("2026-03-20"), " ", &none).is_err());
    }

    #[test]
    fn reg_1182_71_art_3_4_a_holiday_moves_the_end() {
        let holiday = |day: CalendarDate| day == d("2026-05-04");
        assert_eq!(answer_due(d("2026-04-04"), false, &holiday), Some(d("2026-05-05")));
    }

    #[test]
    fn lateness_counts_days_after_the_due_date() {
        let due = d("2026-04-10");
        assert_eq!(days_late(due, Some(d("2026-04-10")), d("2026-06-01")), 0);
        assert_eq!(days_late(due, Some(d("2026-04-13")), d("2026-06-01")), 3);
        assert_eq!(days_late(due, None, d("2026-04-01")), 0);
        assert_eq!(days_late(due, None, d("2026-04-20")), 10);
    }

    #[test]
    fn reg_2016_679_art_12_6_identity_is_checked_before_an_answer() {
        use RequestStatus::*;
        assert!(next_status(RequestKind::Access, Received, RequestStep::Answer).is_err());
        assert_eq!(next_status(RequestKind::Access, Received, RequestStep::VerifyIdentity), Ok(Verified));
        assert_eq!(next_status(RequestKind::Access, Verified, RequestStep::Answer), Ok(Answered));
        assert_eq!(next_status(RequestKind::Erasure, Verified, RequestStep::ApproveErasure), Ok(AwaitingErasure));
        assert!(next_status(RequestKind::Access, Verified, RequestStep::ApproveErasure).is_err());
        assert_eq!(next_status(RequestKind::Erasure, AwaitingErasure, RequestStep::Answer), Ok(Answered));
        assert_eq!(next_status(RequestKind::Access, Received, RequestStep::Refuse), Ok(Refused));
        assert!(next_status(RequestKind::Access, Answered, RequestStep::Refuse).is_err());
        assert!(next_status(RequestKind::Access, Refused, RequestStep::Extend).is_err());
    }

    #[test]
    fn reg_2016_679_art_16_rectification_gives_the_old_value() {
        let mut reg = crate::ident::record::Registration::default();
        reg.person.given_names = "Anna".into();
        assert_eq!(rectify(&mut reg, "given_names", " Anne ").unwrap(), "Anna");
        assert_eq!(reg.person.given_names, "Anne");
        assert_eq!(rectify(&mut reg, "date_of_birth", "2001-02-03").unwrap(), "");
        assert_eq!(rectify(&mut reg, "date_of_birth", "2001-02-04").unwrap(), "2001-02-03");
        assert_eq!(rectify(&mut reg, "citizenship", "LV, EE").unwrap(), "");
        assert_eq!(current_value(&reg, "citizenship"), "LV,EE");
        assert_eq!(rectify(&mut reg, "given_names", "Anne").unwrap_err().field, "value");
        assert_eq!(rectify(&mut reg, "narrative", "x").unwrap_err().field, "field");
        assert_eq!(rectify(&mut reg, "date_of_birth", "2001-02-30").unwrap_err().field, "value");
    }

    #[test]
    fn days_of_the_request_are_not_in_the_future_nor_before_receipt() {
        let today = d("2026-05-01");
        assert!(check_day("answered_on", "2026-05-02", None, today).is_err());
        let e = check_day("answered_on", "2026-03-01", Some(d("2026-03-02")), today).unwrap_err();
        assert_eq!(e.field, "answered_on");
        assert_eq!(check_day("answered_on", "2026-03-02", Some(d("2026-03-02")), today), Ok(d("2026-03-02")));
    }

    fn any_date() -> impl Strategy<Value = CalendarDate> {
        (1950u16..2090, 1u8..=12, 1u8..=31).prop_filter_map("a real date", |(y, m, day)| {
            CalendarDate::parse("d", &format!("{y:04}-{m:02}-{day:02}")).ok()
        })
    }

    proptest! {
        #[test]
        fn the_due_date_lies_in_the_month_after_receipt_or_the_working_days_just_after(received in any_date()) {
            let due = answer_due(received, false, &none).unwrap();
            let plain = received.add_months(1).unwrap();
            // Reg 1182/71 Art 3(2)(c): the same date or the month's last day ...
            prop_assert!(plain.day == received.day || (plain.day < received.day && plain.add_days(1).unwrap().day == 1));
            prop_assert_eq!(u32::from(plain.year) * 12 + u32::from(plain.month), u32::from(received.year) * 12 + u32::from(received.month) + 1);
            // ... and Art 3(4): a working day, at most two days later.
            prop_assert!(!due.is_weekend());
            prop_assert!((0..=2).contains(&plain.days_until(due)));
            prop_assert!(received < due);
            prop_assert!(received.days_until(due) <= 33);
        }

        #[test]
        fn an_extension_never_shortens_and_adds_about_two_months(received in any_date()) {
            let one = answer_due(received, false, &none).unwrap();
            let three = answer_due(received, true, &none).unwrap();
            prop_assert!(one < three);
            prop_assert!((56..=64).contains(&one.days_until(three)));
        }

        #[test]
        fn lateness_is_never_negative_and_zero_on_the_due_date(due in any_date(), answered in any_date()) {
            prop_assert!(days_late(due, Some(answered), answered) >= 0);
            prop_assert_eq!(days_late(due, Some(due), answered), 0);
        }
    }
}
