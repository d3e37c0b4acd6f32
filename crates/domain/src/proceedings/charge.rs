//! Charges with their aggravating circumstances (Dir 2011/36 Art 4(2)-(3)), prosecution
//! decisions, judgments with sentences, and appeals.

use super::non_punishment::{NonPunishmentNotice, check_no_open_notice};
use super::suspect::Suspect;
use super::{Investigation, OffenceKind, not_before, past_date};
use crate::text::{Narrative, parse_line};
use crate::{Coded, Message, MessageId, ParseError, case::CalendarDate, coded_enum};
use serde::{Deserialize, Serialize};

/// The longest custodial sentence recorded, in months (a life sentence is recorded as this).
pub const MAX_SENTENCE_MONTHS: u16 = 600;

coded_enum! {
    /// Aggravating circumstances of Dir 2011/36 Art 4.
    pub enum Circumstance {
        /// A child victim: particularly vulnerable (Art 4(2)(a)).
        ChildVictim => "child_victim",
        /// Another particularly vulnerable victim (Art 4(2)(a)).
        ParticularlyVulnerable => "particularly_vulnerable",
        /// Within a criminal organisation (Art 4(2)(b)).
        CriminalOrganisation => "criminal_organisation",
        /// The victim's life endangered deliberately or by gross negligence (Art 4(2)(c)).
        LifeEndangered => "life_endangered",
        /// Serious violence used (Art 4(2)(d)).
        SeriousViolence => "serious_violence",
        /// Particularly serious harm caused (Art 4(2)(d)).
        SeriousHarm => "serious_harm",
        /// A public official in the performance of duties (Art 4(3)(a)).
        PublicOfficial => "public_official",
        /// Images or videos of a sexual nature of the victim disseminated through information
        /// and communication technologies (Art 4(3)(b), since Directive (EU) 2024/1712).
        IctSexualImages => "ict_sexual_images",
    }
}

impl Circumstance {
    pub fn article(self) -> &'static str {
        match self {
            Self::ChildVictim | Self::ParticularlyVulnerable => "Dir 2011/36 Art 4(2)(a)",
            Self::CriminalOrganisation => "Dir 2011/36 Art 4(2)(b)",
            Self::LifeEndangered => "Dir 2011/36 Art 4(2)(c)",
            Self::SeriousViolence | Self::SeriousHarm => "Dir 2011/36 Art 4(2)(d)",
            Self::PublicOfficial => "Dir 2011/36 Art 4(3)(a)",
            Self::IctSexualImages => "Dir 2011/36 Art 4(3)(b)",
        }
    }

    /// Whether it raises the floor of the maximum penalty to ten years (Art 4(2)).
    pub fn raises_floor(self) -> bool {
        !matches!(self, Self::PublicOfficial | Self::IctSexualImages)
    }

    /// Whether it aggravates an offence of `kind`: Art 4(2) those of Art 2, Art 4(3) those of
    /// Arts 2 and 3; Art 18a offences have their own penalties.
    pub fn applies_to(self, kind: OffenceKind) -> bool {
        match kind {
            OffenceKind::Trafficking => true,
            OffenceKind::Incitement | OffenceKind::AidingAndAbetting | OffenceKind::Attempt => !self.raises_floor(),
            OffenceKind::UseOfServices => false,
        }
    }
}

/// A charge against a suspect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charge {
    pub id: String,
    pub investigation_id: String,
    pub suspect_id: String,
    pub offence: OffenceKind,
    pub national_provision: String,
    pub circumstances: Vec<Circumstance>,
    pub charged_on: CalendarDate,
}

/// A charge as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ChargeInput {
    pub offence: String,
    pub national_provision: String,
    pub circumstances: Vec<String>,
    pub charged_on: String,
}

impl Charge {
    /// A charge of an offence the investigation concerns, against one of its suspects.
    pub fn parse(
        id: String,
        investigation: &Investigation,
        suspect: &Suspect,
        input: &ChargeInput,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        let offence = OffenceKind::parse_code("offence", input.offence.trim())?;
        if !investigation.concerns(offence) {
            return Err(ParseError::said(
                "offence",
                "the investigation does not concern this offence",
                Message::new(MessageId::ProceedingsChargeOffenceNotInvestigated),
            ));
        }
        let mut circumstances = Vec::new();
        for c in input.circumstances.iter().filter(|c| !c.trim().is_empty()) {
            let c = Circumstance::parse_code("circumstances", c.trim())?;
            if !c.applies_to(offence) {
                return Err(ParseError::said(
                    "circumstances",
                    format!("{} does not aggravate this offence", c.article()),
                    Message::new(MessageId::ProceedingsCircumstanceNotForOffence).with("article", c.article()),
                ));
            }
            if !circumstances.contains(&c) {
                circumstances.push(c);
            }
        }
        let charged_on = past_date("charged_on", &input.charged_on, today)?;
        not_before("charged_on", charged_on, investigation.opened_on)?;
        Ok(Self {
            id,
            investigation_id: investigation.id.clone(),
            suspect_id: suspect.id.clone(),
            offence,
            national_provision: parse_line("national_provision", &input.national_provision, 200)?,
            circumstances,
            charged_on,
        })
    }
}

coded_enum! {
    /// The prosecutor's decision on a suspect.
    pub enum ProsecutionOutcome {
        /// Indicted: the case goes to court.
        Indicted => "indicted",
        /// A penal order or plea agreement, where national law has one.
        PenalOrder => "penal_order",
        NotProsecuted => "not_prosecuted",
        /// Proceedings against the suspect discontinued.
        Discontinued => "discontinued",
    }
}

impl ProsecutionOutcome {
    pub fn prosecutes(self) -> bool {
        matches!(self, Self::Indicted | Self::PenalOrder)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProsecutionDecision {
    pub id: String,
    pub suspect_id: String,
    pub outcome: ProsecutionOutcome,
    pub reasons: Option<Narrative>,
    pub decided_on: CalendarDate,
}

impl ProsecutionDecision {
    /// A decision on `suspect`. To prosecute needs a charge and no open non-punishment notice
    /// (Dir 2011/36 Art 8); not to prosecute needs reasons.
    pub fn decide(
        id: String,
        suspect: &Suspect,
        outcome: &str,
        reasons: &str,
        decided_on: CalendarDate,
        charges: &[Charge],
        notices: &[NonPunishmentNotice],
    ) -> Result<Self, ParseError> {
        let outcome = ProsecutionOutcome::parse_code("outcome", outcome.trim())?;
        let reasons = if reasons.trim().is_empty() { None } else { Some(Narrative::parse("reasons", reasons)?) };
        if outcome.prosecutes() {
            if !charges.iter().any(|c| c.suspect_id == suspect.id) {
                return Err(ParseError::said(
                    "outcome",
                    "the suspect has no charge",
                    Message::new(MessageId::ProceedingsJudgmentWithoutIndictment),
                ));
            }
            check_no_open_notice(&suspect.id, notices)?;
        } else if reasons.is_none() {
            return Err(ParseError::said(
                "reasons",
                "a decision not to prosecute needs its reasons",
                Message::new(MessageId::ProceedingsDecisionNeedsReasons),
            ));
        }
        if let Some(first) = charges.iter().filter(|c| c.suspect_id == suspect.id).map(|c| c.charged_on).min() {
            not_before("decided_on", decided_on, first)?;
        }
        Ok(Self { id, suspect_id: suspect.id.clone(), outcome, reasons, decided_on })
    }
}

coded_enum! {
    pub enum Instance {
        First => "first",
        Appeal => "appeal",
        Cassation => "cassation",
    }
}

coded_enum! {
    pub enum Verdict {
        Convicted => "convicted",
        Acquitted => "acquitted",
        /// Proceedings terminated by the court (death, limitation, a procedural ground).
        Terminated => "terminated",
    }
}

/// A sentence of imprisonment, in months, and whether it is suspended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub custody_months: u16,
    pub suspended: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Judgment {
    pub id: String,
    pub suspect_id: String,
    pub court: String,
    pub instance: Instance,
    pub verdict: Verdict,
    pub judged_on: CalendarDate,
    pub sentence: Option<Sentence>,
    /// No further appeal is open (the judgment is final).
    pub is_final: bool,
}

/// A judgment as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct JudgmentInput {
    pub court: String,
    pub instance: String,
    pub verdict: String,
    pub judged_on: String,
    pub custody_months: String,
    pub suspended: bool,
    pub is_final: bool,
}

fn months(value: &str) -> Result<u16, ParseError> {
    value.trim().parse::<u16>().ok().filter(|m| (1..=MAX_SENTENCE_MONTHS).contains(m)).ok_or_else(|| {
        ParseError::said(
            "custody_months",
            format!("must be a whole number of months from 1 to {MAX_SENTENCE_MONTHS}"),
            Message::new(MessageId::ProceedingsMonths).with("max", MAX_SENTENCE_MONTHS),
        )
    })
}

impl Judgment {
    /// A judgment on `suspect`, who was prosecuted (`decisions`).
    pub fn parse(
        id: String,
        suspect: &Suspect,
        input: &JudgmentInput,
        decisions: &[ProsecutionDecision],
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        let prosecuted = decisions.iter().rfind(|d| d.suspect_id == suspect.id && d.outcome.prosecutes());
        let Some(prosecuted) = prosecuted else {
            return Err(ParseError::said(
                "verdict",
                "a judgment follows a decision to prosecute",
                Message::new(MessageId::ProceedingsJudgmentWithoutIndictment),
            ));
        };
        let instance = Instance::parse_code("instance", input.instance.trim())?;
        let verdict = Verdict::parse_code("verdict", input.verdict.trim())?;
        let judged_on = past_date("judged_on", &input.judged_on, today)?;
        not_before("judged_on", judged_on, prosecuted.decided_on)?;
        let sentence = match (verdict, input.custody_months.trim().is_empty()) {
            (Verdict::Convicted, true) => {
                return Err(ParseError::said(
                    "custody_months",
                    "a conviction records its sentence",
                    Message::new(MessageId::ProceedingsConvictionNeedsSentence),
                ));
            }
            (Verdict::Convicted, false) => {
                Some(Sentence { custody_months: months(&input.custody_months)?, suspended: input.suspended })
            }
            (_, false) => {
                return Err(ParseError::said(
                    "custody_months",
                    "only a conviction has a sentence",
                    Message::new(MessageId::ProceedingsSentenceWithoutConviction),
                ));
            }
            (_, true) => None,
        };
        Ok(Self {
            id,
            suspect_id: suspect.id.clone(),
            court: parse_line("court", &input.court, 200)?,
            instance,
            verdict,
            judged_on,
            sentence,
            is_final: input.is_final,
        })
    }
}

coded_enum! {
    pub enum Appellant {
        Prosecution => "prosecution",
        Defence => "defence",
        /// The victim, where national law lets a victim appeal.
        Victim => "victim",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appeal {
    pub id: String,
    pub judgment_id: String,
    pub appellant: Appellant,
    pub lodged_on: CalendarDate,
}

impl Appeal {
    /// An appeal against a judgment that is not final.
    pub fn lodge(
        id: String,
        judgment: &Judgment,
        appellant: &str,
        lodged_on: &str,
        today: CalendarDate,
    ) -> Result<Self, ParseError> {
        if judgment.is_final {
            return Err(ParseError::said(
                "judgment_id",
                "a final judgment is not appealed",
                Message::new(MessageId::ProceedingsAppealNotFinal),
            ));
        }
        let appellant = Appellant::parse_code("appellant", appellant.trim())?;
        let lodged_on = past_date("lodged_on", lodged_on, today)?;
        not_before("lodged_on", lodged_on, judgment.judged_on)?;
        Ok(Self { id, judgment_id: judgment.id.clone(), appellant, lodged_on })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proceedings::non_punishment::{NoticePath, VictimStanding, notice_for};
    use crate::proceedings::suspect::SuspectInput;
    use crate::proceedings::tests::{date, investigation};

    fn suspect(case_id: &str) -> Suspect {
        Suspect::parse(
            "s1".into(),
            "inv-1".into(),
            &SuspectInput {
                kind: "natural".into(),
                name: "A. K.".into(),
                case_id: case_id.into(),
                roles: vec!["exploiter".into()],
                ..SuspectInput::default()
            },
        )
        .unwrap()
    }

    fn charge_input(circumstances: &[&str]) -> ChargeInput {
        ChargeInput {
            offence: "trafficking".into(),
            national_provision: "Criminal Law s. 154.1(3)".into(),
            circumstances: circumstances.iter().map(|c| (*c).to_owned()).collect(),
            charged_on: "2026-06-01".into(),
        }
    }

    const TODAY: &str = "2026-09-21";

    #[test]
    fn art_4_dir_charges_record_their_aggravating_circumstances() {
        let inv = investigation("ex_officio");
        let c = Charge::parse(
            "c1".into(),
            &inv,
            &suspect(""),
            &charge_input(&["child_victim", "public_official", "child_victim"]),
            date(TODAY),
        )
        .unwrap();
        assert_eq!(c.circumstances, vec![Circumstance::ChildVictim, Circumstance::PublicOfficial]);
        assert_eq!(Circumstance::IctSexualImages.article(), "Dir 2011/36 Art 4(3)(b)");
        // An offence the investigation does not concern.
        let mut other = charge_input(&[]);
        other.offence = "use_of_services".into();
        let e = Charge::parse("c".into(), &inv, &suspect(""), &other, date(TODAY)).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.problem.unwrap().id),
            ("offence", MessageId::ProceedingsChargeOffenceNotInvestigated)
        );
        let e = Charge::parse("c".into(), &inv, &suspect(""), &charge_input(&["greed"]), date(TODAY)).unwrap_err();
        assert_eq!(e.field, "circumstances");
        // Art 4(2) aggravates Art 2 offences, not attempts (Art 4(4)).
        assert!(!Circumstance::ChildVictim.applies_to(OffenceKind::Attempt));
        assert!(Circumstance::PublicOfficial.applies_to(OffenceKind::Attempt));
    }

    #[test]
    fn art_8_dir_a_victim_suspect_is_not_indicted_before_the_notice_is_decided() {
        let inv = investigation("ex_officio");
        let s = suspect("case-1");
        let charge = Charge::parse("c1".into(), &inv, &s, &charge_input(&[]), date(TODAY)).unwrap();
        let mut notice =
            notice_for("n".into(), &s, Some(VictimStanding::Identified), NoticePath::NewSuspect, date("2026-05-01"))
                .unwrap();
        let e = ProsecutionDecision::decide(
            "d".into(),
            &s,
            "indicted",
            "",
            date("2026-07-01"),
            std::slice::from_ref(&charge),
            std::slice::from_ref(&notice),
        )
        .unwrap_err();
        assert_eq!(e.problem.unwrap().id, MessageId::ProceedingsNoticeUndecided);
        // Deciding not to prosecute is always open (with reasons).
        let not = ProsecutionDecision::decide(
            "d".into(),
            &s,
            "not_prosecuted",
            "Compelled: Dir 2011/36 Art 8.",
            date("2026-07-01"),
            std::slice::from_ref(&charge),
            std::slice::from_ref(&notice),
        )
        .unwrap();
        assert_eq!(not.outcome, ProsecutionOutcome::NotProsecuted);
        notice.decide("not_compelled", "Acts outside the exploitation.", "prosecutor", date("2026-06-15")).unwrap();
        let d = ProsecutionDecision::decide(
            "d".into(),
            &s,
            "indicted",
            "",
            date("2026-07-01"),
            std::slice::from_ref(&charge),
            std::slice::from_ref(&notice),
        )
        .unwrap();
        assert_eq!(d.outcome, ProsecutionOutcome::Indicted);
    }

    #[test]
    fn decisions_judgments_sentences_and_appeals_follow_each_other() {
        let inv = investigation("ex_officio");
        let s = suspect("");
        let e = ProsecutionDecision::decide("d".into(), &s, "indicted", "", date("2026-07-01"), &[], &[]).unwrap_err();
        assert_eq!(e.field, "outcome", "no charge");
        let e = ProsecutionDecision::decide("d".into(), &s, "not_prosecuted", "", date("2026-07-01"), &[], &[])
            .unwrap_err();
        assert_eq!(e.field, "reasons");
        let charge = Charge::parse("c1".into(), &inv, &s, &charge_input(&[]), date(TODAY)).unwrap();
        let input = JudgmentInput {
            court: "Riga City Court".into(),
            instance: "first".into(),
            verdict: "convicted".into(),
            judged_on: "2026-09-01".into(),
            custody_months: "96".into(),
            suspended: false,
            is_final: false,
        };
        let e = Judgment::parse("j".into(), &s, &input, &[], date(TODAY)).unwrap_err();
        assert_eq!(e.problem.unwrap().id, MessageId::ProceedingsJudgmentWithoutIndictment);
        let d =
            ProsecutionDecision::decide("d".into(), &s, "indicted", "", date("2026-07-01"), &[charge], &[]).unwrap();
        let j = Judgment::parse("j".into(), &s, &input, std::slice::from_ref(&d), date(TODAY)).unwrap();
        assert_eq!(j.sentence, Some(Sentence { custody_months: 96, suspended: false }));
        for (verdict, months, field) in [
            ("convicted", "", "custody_months"),
            ("acquitted", "12", "custody_months"),
            ("convicted", "0", "custody_months"),
            ("convicted", "601", "custody_months"),
        ] {
            let bad = JudgmentInput { verdict: verdict.into(), custody_months: months.into(), ..input.clone() };
            assert_eq!(
                Judgment::parse("j".into(), &s, &bad, std::slice::from_ref(&d), date(TODAY)).unwrap_err().field,
                field,
                "{verdict} {months}"
            );
        }
        let a = Appeal::lodge("a".into(), &j, "defence", "2026-09-10", date(TODAY)).unwrap();
        assert_eq!(a.appellant, Appellant::Defence);
        assert_eq!(Appeal::lodge("a".into(), &j, "defence", "2026-08-10", date(TODAY)).unwrap_err().field, "lodged_on");
        let final_judgment = Judgment { is_final: true, ..j };
        assert_eq!(
            Appeal::lodge("a".into(), &final_judgment, "victim", "2026-09-10", date(TODAY)).unwrap_err().field,
            "judgment_id"
        );
    }
}
