//! The non-punishment notice (Dir 2011/36 Art 8; CETS 197 Art 26) in proceedings: when a person
//! identified or presumed as a victim becomes a suspect, the prosecutor is told, and decides on
//! it before deciding to prosecute.
//!
//! Every path that can make a registered victim a suspect goes through this module: a new
//! suspect whose case in identification is named ([`NoticePath::NewSuspect`]), a suspect linked
//! to such a case afterwards ([`NoticePath::LinkedPerson`]), and suspects imported from another
//! system ([`NoticePath::Import`]). The functions return the notice to keep; they are
//! `#[must_use]`.
//!
//! Art 8 is an entitlement, not an obligation: the authorities are entitled not to prosecute or
//! not to penalise a victim for criminal activities they were compelled to commit as a direct
//! consequence of being trafficked. The platform therefore never decides: it raises the notice,
//! refuses a decision to prosecute while the notice waits for the prosecutor, and records the
//! prosecutor's decision with its reasons.

use super::not_before;
use super::suspect::{PersonKind, Suspect};
use crate::ident::status::NrmStatus;
use crate::text::{Narrative, parse_line};
use crate::{Coded, Message, MessageId, ParseError, case::CalendarDate, coded_enum};
use serde::{Deserialize, Serialize};

/// The provisions behind the notice.
pub const ARTICLES: [&str; 2] = ["Dir 2011/36 Art 8", "CETS 197 Art 26"];

coded_enum! {
    /// What identification says of the person when they become a suspect.
    pub enum VictimStanding {
        /// Registered as a presumed victim, not yet referred to the national referral mechanism.
        Registered => "registered",
        /// Referred, or with a positive first decision: a presumed victim.
        Presumed => "presumed",
        /// Identified as a victim (a positive final decision).
        Identified => "identified",
    }
}

impl VictimStanding {
    /// The standing of a case in identification: `None` for a registration not referred yet.
    /// A case closed negatively or withdrawn raises no notice.
    pub fn of(status: Option<NrmStatus>) -> Option<Self> {
        match status {
            None => Some(Self::Registered),
            Some(NrmStatus::Referred | NrmStatus::PresumedVictim) => Some(Self::Presumed),
            Some(NrmStatus::IdentifiedVictim) => Some(Self::Identified),
            Some(
                NrmStatus::NegativeFirstDecision
                | NrmStatus::NotIdentified
                | NrmStatus::FirstReconsideration
                | NrmStatus::FinalReconsideration
                | NrmStatus::Withdrawn,
            ) => None,
        }
    }
}

coded_enum! {
    /// How the person became a suspect.
    pub enum NoticePath {
        NewSuspect => "new_suspect",
        LinkedPerson => "linked_person",
        Import => "import",
    }
}

coded_enum! {
    /// The prosecutor's decision on the notice.
    pub enum NoticeOutcome {
        /// Not prosecuted for the acts (Art 8, first limb).
        NotProsecuted => "not_prosecuted",
        /// Prosecuted, but no penalty sought (Art 8, second limb).
        NoPenaltySought => "no_penalty_sought",
        /// The acts were not compelled as a direct consequence of being trafficked: the
        /// proceedings go on.
        NotCompelled => "not_compelled",
    }
}

/// The prosecutor's decision, with its reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDecision {
    pub outcome: NoticeOutcome,
    pub reasons: Narrative,
    pub decided_by: String,
    pub decided_on: CalendarDate,
}

/// A notice raised for a suspect who is a registered, presumed or identified victim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NonPunishmentNotice {
    pub id: String,
    pub investigation_id: String,
    pub suspect_id: String,
    /// The suspect's case in identification (a link).
    pub case_id: String,
    pub standing: VictimStanding,
    pub path: NoticePath,
    pub raised_on: CalendarDate,
    pub decision: Option<NoticeDecision>,
}

impl NonPunishmentNotice {
    /// What the prosecutor is shown, in the reader's language.
    pub fn message(&self) -> Message {
        Message::new(MessageId::ProceedingsNonPunishmentNotice)
            .labels("standing", "victim-standing", [self.standing.code()])
            .with("articles", ARTICLES.join(", "))
    }

    /// Records the prosecutor's decision, once: a decision is not changed afterwards.
    pub fn decide(
        &mut self,
        outcome: &str,
        reasons: &str,
        decided_by: &str,
        decided_on: CalendarDate,
    ) -> Result<(), ParseError> {
        if self.decision.is_some() {
            return Err(ParseError::said(
                "outcome",
                "the prosecutor has already decided on this notice",
                Message::new(MessageId::ProceedingsNoticeAlreadyDecided),
            ));
        }
        let outcome = NoticeOutcome::parse_code("outcome", outcome.trim())?;
        if reasons.trim().is_empty() {
            return Err(ParseError::said(
                "reasons",
                "a decision needs its reasons",
                Message::new(MessageId::ProceedingsDecisionNeedsReasons),
            ));
        }
        let reasons = Narrative::parse("reasons", reasons)?;
        not_before("decided_on", decided_on, self.raised_on)?;
        self.decision = Some(NoticeDecision {
            outcome,
            reasons,
            decided_by: parse_line("decided_by", decided_by, 100)?,
            decided_on,
        });
        Ok(())
    }

    pub fn is_open(&self) -> bool {
        self.decision.is_none()
    }
}

/// The notice for `suspect` when it names a case whose standing is a victim's, raised by
/// `path`. Every path of [`NoticePath`] calls this.
#[must_use]
pub fn notice_for(
    id: String,
    suspect: &Suspect,
    standing: Option<VictimStanding>,
    path: NoticePath,
    raised_on: CalendarDate,
) -> Option<NonPunishmentNotice> {
    let case_id = suspect.case_id.clone()?;
    if suspect.kind != PersonKind::Natural {
        return None;
    }
    Some(NonPunishmentNotice {
        id,
        investigation_id: suspect.investigation_id.clone(),
        suspect_id: suspect.id.clone(),
        case_id,
        standing: standing?,
        path,
        raised_on,
        decision: None,
    })
}

impl Suspect {
    /// Links the suspect to the person's case in identification (found by search or by the
    /// person register), and returns the notice this raises when the case's standing is a
    /// victim's.
    #[must_use = "the notice must be kept and shown to the prosecutor"]
    pub fn link_case(
        &mut self,
        notice_id: String,
        case_id: &str,
        standing: Option<VictimStanding>,
        on: CalendarDate,
    ) -> Result<Option<NonPunishmentNotice>, ParseError> {
        if self.kind != PersonKind::Natural {
            return Err(ParseError::said(
                "case_id",
                "a legal person has no case in identification",
                Message::new(MessageId::ProceedingsLegalPersonNoPersonalData),
            ));
        }
        self.case_id = Some(parse_line("case_id", case_id, 100)?);
        Ok(notice_for(notice_id, self, standing, NoticePath::LinkedPerson, on))
    }
}

/// A decision to prosecute `suspect_id` waits for the prosecutor's decision on every notice of
/// that suspect.
pub fn check_no_open_notice(suspect_id: &str, notices: &[NonPunishmentNotice]) -> Result<(), ParseError> {
    if notices.iter().any(|n| n.suspect_id == suspect_id && n.is_open()) {
        return Err(ParseError::said(
            "outcome",
            "the suspect is registered as a victim of trafficking: decide on the non-punishment notice \
             (Dir 2011/36 Art 8; CETS 197 Art 26) before deciding to prosecute",
            Message::new(MessageId::ProceedingsNoticeUndecided),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proceedings::suspect::SuspectInput;
    use crate::proceedings::tests::date;

    fn suspect(case_id: &str) -> Suspect {
        Suspect::parse(
            "s1".into(),
            "inv-1".into(),
            &SuspectInput {
                kind: "natural".into(),
                name: "A. K.".into(),
                case_id: case_id.into(),
                roles: vec!["recruiter".into()],
                ..SuspectInput::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn art_8_dir_a_new_suspect_registered_as_a_victim_raises_the_notice() {
        for (status, standing) in [
            (None, VictimStanding::Registered),
            (Some(NrmStatus::Referred), VictimStanding::Presumed),
            (Some(NrmStatus::PresumedVictim), VictimStanding::Presumed),
            (Some(NrmStatus::IdentifiedVictim), VictimStanding::Identified),
        ] {
            let n = notice_for(
                "n".into(),
                &suspect("case-9"),
                VictimStanding::of(status),
                NoticePath::NewSuspect,
                date("2026-04-01"),
            )
            .unwrap();
            assert_eq!((n.standing, n.case_id.as_str(), n.path), (standing, "case-9", NoticePath::NewSuspect));
            assert!(n.is_open());
            assert_eq!(n.message().id, MessageId::ProceedingsNonPunishmentNotice);
        }
        // Not a victim's case, or no case at all: no notice.
        for status in [NrmStatus::NotIdentified, NrmStatus::Withdrawn, NrmStatus::NegativeFirstDecision] {
            let s = suspect("case-9");
            assert_eq!(
                notice_for(
                    "n".into(),
                    &s,
                    VictimStanding::of(Some(status)),
                    NoticePath::NewSuspect,
                    date("2026-04-01")
                ),
                None
            );
        }
        let unregistered = suspect("");
        assert_eq!(
            notice_for(
                "n".into(),
                &unregistered,
                Some(VictimStanding::Identified),
                NoticePath::Import,
                date("2026-04-01")
            ),
            None
        );
    }

    #[test]
    fn art_8_dir_linking_a_suspect_to_a_victims_case_raises_the_notice() {
        let mut s = suspect("");
        let n = s
            .link_case("n2".into(), "case-3", VictimStanding::of(Some(NrmStatus::IdentifiedVictim)), date("2026-05-01"))
            .unwrap()
            .unwrap();
        assert_eq!(
            (n.path, n.standing, s.case_id.as_deref()),
            (NoticePath::LinkedPerson, VictimStanding::Identified, Some("case-3"))
        );
        // Every path a suspect can come by raises it.
        for path in NoticePath::ALL {
            assert!(
                notice_for("n".into(), &s, Some(VictimStanding::Presumed), *path, date("2026-05-01")).is_some(),
                "{path}"
            );
        }
    }

    #[test]
    fn art_8_dir_cets_26_prosecution_waits_for_the_prosecutors_recorded_decision() {
        let mut n = notice_for(
            "n".into(),
            &suspect("case-9"),
            Some(VictimStanding::Presumed),
            NoticePath::NewSuspect,
            date("2026-04-01"),
        )
        .unwrap();
        assert_eq!(
            check_no_open_notice("s1", std::slice::from_ref(&n)).unwrap_err().problem.unwrap().id,
            MessageId::ProceedingsNoticeUndecided
        );
        assert!(check_no_open_notice("other", std::slice::from_ref(&n)).is_ok());
        let e = n.decide("not_compelled", " ", "prosecutor", date("2026-04-02")).unwrap_err();
        assert_eq!(e.field, "reasons");
        assert_eq!(n.decide("not_compelled", "why", "prosecutor", date("2026-03-01")).unwrap_err().field, "decided_on");
        n.decide("not_compelled", "The acts predate the exploitation.", "prosecutor", date("2026-04-02")).unwrap();
        assert!(check_no_open_notice("s1", std::slice::from_ref(&n)).is_ok());
        // Recorded once.
        let e = n.decide("not_prosecuted", "changed", "prosecutor", date("2026-04-03")).unwrap_err();
        assert_eq!(e.problem.unwrap().id, MessageId::ProceedingsNoticeAlreadyDecided);
        assert_eq!(n.decision.as_ref().map(|d| d.outcome), Some(NoticeOutcome::NotCompelled));
    }
}
