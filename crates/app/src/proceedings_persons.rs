//! Suspects as persons (docs/proceedings.md, "Suspects as persons"): the person-linkage engine
//! finds the suspects of the user's other investigations who are likely the same person, and the
//! registered victims a suspect may be, each with the engine's explanation; a police officer or
//! prosecutor answers "same person" or "not the same person" on a pair of suspects; and the
//! trafficker statistics count one person for suspects joined by those answers or by the engine.
//!
//! The engine is the platform's person model in use (`crates/app/linkage/persons.toml`, "persons
//! v1", or the operator's), fed what a suspect has of its fields: the name (decrypted here, never
//! logged), sex and citizenship; suspects have no date of birth or identity document, so those
//! fields are "missing" and weigh nothing. The age group is shown beside each candidate for the
//! officer, outside the score.
//!
//! Access: the suspect's investigation is asked of `authorize_investigation`, and so is every
//! other investigation whose suspects are compared (those of the user's organisation in its
//! country: another country's investigations stay unseen, joint team or not). A suggestion that
//! the suspect is a registered victim comes from the cases whose identity the user may read, and
//! shows only the case id and its identification standing, as `link_suspect_case` does; it is
//! offered to who may link (writes the investigation), and confirming it is `link_suspect_case`,
//! which raises the non-punishment notice (Dir 2011/36 Art 8; CETS 197 Art 26).

use std::collections::{BTreeMap, HashMap};

use haven_domain::access::{Action, Decision, authorize_investigation};
use haven_domain::audit::AuditAction;
use haven_domain::case::Sex;
use haven_domain::ident::age::AgeGroup;
use haven_domain::proceedings::non_punishment::VictimStanding;
use haven_domain::proceedings::suspect::{PersonKind, Suspect};
use haven_domain::{Coded, Compartment, CountryCode, MessageId, Permission};
use haven_link::cluster::{Link, cluster_with_cannot_link};
use haven_storage::{InvestigationRow, SuspectLinkRow};
use serde::Serialize;

use crate::ident::linkage::{PersonFacts, PersonIndex};
use crate::ident::{DUPLICATE_WARNING_PROBABILITY, FieldReason, PersonModel};
use crate::proceedings::{InvestigationView, scope_of};
use crate::{App, AppError, AppResult, Principal};

/// A candidate is shown at or above this match probability: more likely the same person than
/// not (the threshold of the register's duplicate warning).
pub const MATCH_PROBABILITY: f64 = DUPLICATE_WARNING_PROBABILITY;

/// At most this many candidates of each kind are shown.
const MAX_CANDIDATES: usize = 50;

/// An answer on a pair of suspects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PairAnswer {
    /// The same person: one person in the trafficker statistics.
    Same,
    /// Not the same person: the engine never joins them.
    Different,
}

impl PairAnswer {
    fn code(self) -> &'static str {
        match self {
            PairAnswer::Same => "same",
            PairAnswer::Different => "different",
        }
    }

    fn of_code(code: &str) -> Option<Self> {
        match code {
            "same" => Some(PairAnswer::Same),
            "different" => Some(PairAnswer::Different),
            _ => None,
        }
    }
}

/// A suspect of another investigation who may be the same person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuspectCandidate {
    pub suspect_id: String,
    pub investigation_id: String,
    pub investigation_reference: String,
    pub name: String,
    pub citizenship: Option<CountryCode>,
    pub sex: Option<Sex>,
    /// Shown beside the score, not part of it.
    pub age_group: Option<AgeGroup>,
    /// The engine's match probability; `None` for an answered pair the engine did not compare.
    pub probability: Option<f64>,
    /// The engine's match weight (log2 of the likelihood ratio with the prior).
    pub weight: Option<f64>,
    /// Each compared field's level and match weight.
    pub explanation: Vec<FieldReason>,
    /// The answer given on the pair, if any.
    pub answer: Option<PairAnswer>,
}

/// A registered victim the suspect may be: the case id and its identification standing only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PossibleVictim {
    pub case_id: String,
    pub standing: VictimStanding,
    pub probability: f64,
    pub explanation: Vec<FieldReason>,
}

/// What the engine finds for one suspect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuspectMatches {
    pub investigation_id: String,
    pub suspect: Suspect,
    /// Which model scored: "persons v1 (built in)" or the operator's.
    pub model: String,
    /// Candidates start at this probability.
    pub threshold: f64,
    pub candidates: Vec<SuspectCandidate>,
    /// Offered to who may link the suspect to a case (writes the investigation); empty when the
    /// suspect is already linked to a case.
    pub possible_victims: Vec<PossibleVictim>,
    /// Whether the user may answer on pairs and confirm a possible victim.
    pub may_answer: bool,
}

/// What linkage compares of a suspect: the name (the last word as the family name; the engine
/// also tries the names exchanged), sex and citizenship.
pub(crate) fn suspect_facts(name: &str, sex: Option<Sex>, citizenship: Option<String>) -> PersonFacts {
    let words: Vec<&str> = name.split_whitespace().collect();
    let (given, family) = match words.split_last() {
        None => (String::new(), String::new()),
        Some((last, first)) => (first.join(" "), (*last).to_owned()),
    };
    PersonFacts::of_person(&given, &family, &[], &[], None, sex.unwrap_or(Sex::Unknown), citizenship)
}

fn facts_of(s: &Suspect) -> PersonFacts {
    suspect_facts(&s.name, s.sex, s.citizenship.map(|c| c.to_string()))
}

/// The pair in id order.
fn ordered<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b { (a, b) } else { (b, a) }
}

fn rounded(p: f64) -> f64 {
    (p * 10_000.0).round() / 10_000.0
}

/// The person of every suspect for the statistics (`facts[i]` the suspect `ids[i]`): the engine's
/// clusters at the model's cluster threshold, never joining a pair answered "different".
pub(crate) fn engine_clusters(
    model: &PersonModel,
    ids: &[String],
    facts: &[PersonFacts],
    answers: &[SuspectLinkRow],
) -> AppResult<Vec<u32>> {
    let mut index = PersonIndex::new(model)?;
    for (i, f) in facts.iter().enumerate() {
        index.insert(i, f);
    }
    let threshold = model.cluster_threshold();
    let mut links = Vec::new();
    for (i, f) in facts.iter().enumerate() {
        for (j, m) in index.query(f, threshold)? {
            if j > i && m.probability >= threshold {
                let (Ok(a), Ok(b)) = (u32::try_from(i), u32::try_from(j)) else { continue };
                links.push(Link { a, b, probability: m.probability });
            }
        }
    }
    let position: HashMap<&str, u32> =
        ids.iter().enumerate().filter_map(|(i, id)| u32::try_from(i).ok().map(|i| (id.as_str(), i))).collect();
    let cannot: Vec<(u32, u32)> = answers
        .iter()
        .filter(|a| a.answer == PairAnswer::Different.code())
        .filter_map(|a| Some((*position.get(a.suspect_a.as_str())?, *position.get(a.suspect_b.as_str())?)))
        .collect();
    Ok(cluster_with_cannot_link(facts.len(), &links, &model.model().settings.cluster, &cannot))
}

impl App {
    /// The suspects of the user's other investigations likely to be the same person as
    /// `suspect_id`, and the registered victims the suspect may be, each with the engine's
    /// explanation. Audited as a read of the investigation naming the suspects shown, and, when a
    /// case is suggested, as a search of the register naming the cases.
    pub async fn suspect_matches(
        &self,
        principal: &Principal,
        investigation_id: &str,
        suspect_id: &str,
    ) -> AppResult<SuspectMatches> {
        let (row, actions) = self.investigation_for(principal, investigation_id, Action::Read).await?;
        let suspect = self.suspect_in(&row, suspect_id).await?;
        let model = self.person_model();
        let answers: HashMap<String, PairAnswer> = self
            .store
            .suspect_pair_answers_of(&suspect.id)
            .await?
            .into_iter()
            .filter_map(|a| {
                let other = if a.suspect_a == suspect.id { a.suspect_b } else { a.suspect_a };
                Some((other, PairAnswer::of_code(&a.answer)?))
            })
            .collect();
        let mut candidates = Vec::new();
        let mut possible_victims = Vec::new();
        if suspect.kind == PersonKind::Natural {
            candidates = self.suspect_candidates(principal, &row, &suspect, &model, &answers).await?;
            if actions.write && suspect.case_id.is_none() {
                possible_victims = self.possible_victims(principal, &suspect).await?;
            }
        }
        let mut event = self.event(principal, AuditAction::ProceedingsRead).on(
            "investigation",
            &row.id,
            Some(&row.unit_organisation_id),
        );
        event.detail = Some(format!(
            "suspect_matches suspect={} candidates={}",
            suspect.id,
            candidates.iter().map(|c| c.suspect_id.as_str()).collect::<Vec<_>>().join(",")
        ));
        self.store.append_audit(&event).await?;
        if !possible_victims.is_empty() {
            // which cases the suggestion showed: an access history says who saw a person so
            let event = self
                .event(principal, AuditAction::PersonSearched)
                .on("search", "persons", Some(&principal.organisation.id))
                .detail(format!(
                    "suspect={} results={} cases={}",
                    suspect.id,
                    possible_victims.len(),
                    possible_victims.iter().map(|v| v.case_id.as_str()).collect::<Vec<_>>().join(",")
                ));
            self.store.append_audit(&event).await?;
        }
        Ok(SuspectMatches {
            investigation_id: row.id.clone(),
            suspect,
            model: model.label().to_owned(),
            threshold: MATCH_PROBABILITY,
            candidates,
            possible_victims,
            may_answer: actions.write,
        })
    }

    /// The natural-person suspects of the other investigations the principal may read, scored
    /// against `suspect`: those at or above [`MATCH_PROBABILITY`] and those already answered.
    async fn suspect_candidates(
        &self,
        principal: &Principal,
        row: &InvestigationRow,
        suspect: &Suspect,
        model: &PersonModel,
        answers: &HashMap<String, PairAnswer>,
    ) -> AppResult<Vec<SuspectCandidate>> {
        let others = self
            .store
            .investigations_of_organisation(principal.actor.jurisdiction.code(), &principal.actor.organisation_id)
            .await?;
        let mut people: Vec<(String, Suspect)> = Vec::new();
        for other in others.iter().filter(|o| o.id != row.id) {
            if !authorize_investigation(&principal.actor, &scope_of(other)?, Action::Read).is_allowed() {
                continue;
            }
            let reference = self.investigation_record(other)?.reference;
            for s in self.suspects_of(&other.id).await? {
                if s.kind == PersonKind::Natural {
                    people.push((reference.clone(), s));
                }
            }
        }
        let mut index = PersonIndex::new(model)?;
        for (i, (_, s)) in people.iter().enumerate() {
            index.insert(i, &facts_of(s));
        }
        let found = index.query(&facts_of(suspect), model.search_threshold())?;
        let mut out = Vec::new();
        for (i, (reference, s)) in people.into_iter().enumerate() {
            let m = found.get(&i);
            let answer = answers.get(&s.id).copied();
            if answer.is_none() && !m.is_some_and(|m| m.probability >= MATCH_PROBABILITY) {
                continue;
            }
            out.push(SuspectCandidate {
                suspect_id: s.id,
                investigation_id: s.investigation_id,
                investigation_reference: reference,
                name: s.name,
                citizenship: s.citizenship,
                sex: s.sex,
                age_group: s.age_group,
                probability: m.map(|m| rounded(m.probability)),
                weight: m.map(|m| (m.weight * 100.0).round() / 100.0),
                explanation: m.map(|m| m.explanation.clone()).unwrap_or_default(),
                answer,
            });
        }
        out.sort_by(|a, b| {
            b.probability.unwrap_or(0.0).total_cmp(&a.probability.unwrap_or(0.0)).then(a.suspect_id.cmp(&b.suspect_id))
        });
        out.truncate(MAX_CANDIDATES);
        Ok(out)
    }

    /// The cases of registered, presumed or identified victims whose identity the principal may
    /// read that the engine puts at or above [`MATCH_PROBABILITY`] for the suspect: the case id
    /// and its standing, nothing of the registration.
    async fn possible_victims(&self, principal: &Principal, suspect: &Suspect) -> AppResult<Vec<PossibleVictim>> {
        let facts = facts_of(suspect);
        if !facts.has_name() {
            return Ok(vec![]);
        }
        let hits = self.search_scope(principal, None, Some(&facts), None, "").await?;
        let mut out = Vec::new();
        for hit in hits {
            let Some(probability) = hit.probability.filter(|p| *p >= MATCH_PROBABILITY) else { continue };
            let Some(standing) = self.victim_standing(&hit.case_id).await? else { continue };
            out.push(PossibleVictim { case_id: hit.case_id, standing, probability, explanation: hit.explanation });
        }
        out.truncate(MAX_CANDIDATES);
        Ok(out)
    }

    /// Records that `suspect_id` and `other_suspect_id` (of another investigation the principal
    /// also writes, in the same country) are the same person, or are not. A later answer
    /// replaces an earlier one; each is audited. Returns the candidates as they now stand.
    pub async fn answer_same_person(
        &self,
        principal: &Principal,
        investigation_id: &str,
        suspect_id: &str,
        other_suspect_id: &str,
        same: bool,
    ) -> AppResult<SuspectMatches> {
        let (row, _) = self.investigation_for(principal, investigation_id, Action::Write).await?;
        let suspect = self.suspect_in(&row, suspect_id).await?;
        let other_id = other_suspect_id.trim();
        let unknown = || {
            AppError::said(
                "other_suspect_id",
                "no suspect of another investigation you work has this id",
                MessageId::ProceedingsUnknownSuspect,
            )
        };
        if other_id.is_empty() || uuid::Uuid::parse_str(other_id).is_err() {
            return Err(unknown());
        }
        let other = self.store.suspect_by_id(other_id).await?.ok_or_else(unknown)?;
        if other.investigation_id == row.id {
            return Err(AppError::said(
                "other_suspect_id",
                "the other suspect is in another investigation",
                MessageId::ProceedingsUnknownSuspect,
            ));
        }
        let other_row = self.store.investigation(&other.investigation_id).await?.ok_or_else(unknown)?;
        if let Decision::Deny(_) = authorize_investigation(&principal.actor, &scope_of(&other_row)?, Action::Write) {
            self.audit_denied(principal, "investigation", &other_row.id, Some(&other_row.unit_organisation_id)).await;
            return Err(unknown());
        }
        if suspect.kind != PersonKind::Natural || other.kind != PersonKind::Natural.code() {
            return Err(AppError::said(
                "other_suspect_id",
                "only natural persons are persons in the linkage sense",
                MessageId::ProceedingsLegalPersonNoPersonalData,
            ));
        }
        let answer = if same { PairAnswer::Same } else { PairAnswer::Different };
        let (a, b) = ordered(&suspect.id, &other.id);
        let link = SuspectLinkRow {
            suspect_a: a.to_owned(),
            suspect_b: b.to_owned(),
            jurisdiction: row.jurisdiction.clone(),
            answer: answer.code().to_owned(),
            decided_by: principal.user.id.clone(),
            decided_at: self.now(),
        };
        let detail = format!("suspect_pair={}:{},answer={}", suspect.id, other.id, answer.code());
        let event = self.write_event(principal, &row, &detail);
        self.store.answer_suspect_pair(&link, &event).await?;
        self.suspect_matches(principal, investigation_id, suspect_id).await
    }

    /// The investigation of a suspect known by its id alone, when the principal may read it
    /// (an unknown suspect and one of an investigation the principal may not read are both "not
    /// found"). Only ids: the page it leads to is the audited read.
    pub async fn investigation_of_suspect(&self, principal: &Principal, suspect_id: &str) -> AppResult<String> {
        self.require(principal, Permission::Case(Compartment::Proceedings, Action::Read)).await?;
        if uuid::Uuid::parse_str(suspect_id).is_err() {
            return Err(AppError::NotFound);
        }
        let suspect = self.store.suspect_by_id(suspect_id).await?.ok_or(AppError::NotFound)?;
        let (row, _) = self.investigation_for(principal, &suspect.investigation_id, Action::Read).await?;
        Ok(row.id)
    }

    /// Confirms a suggested possible victim: [`App::link_suspect_case`], which checks the link
    /// and raises the non-punishment notice when the person is a registered, presumed or
    /// identified victim.
    pub async fn confirm_possible_victim(
        &self,
        principal: &Principal,
        investigation_id: &str,
        suspect_id: &str,
        case_id: &str,
    ) -> AppResult<InvestigationView> {
        self.link_suspect_case(principal, investigation_id, suspect_id, case_id).await
    }

    /// The statistics' person key of each natural-person suspect of `country` (by suspect id):
    /// the engine's cluster at the model's threshold (a pair answered "different" never joined),
    /// as `engine:N`; suspects answered "same" share a `same:` key as well.
    pub(crate) async fn suspect_person_keys(
        &self,
        country: &str,
        suspects: &[(String, PersonFacts)],
    ) -> AppResult<BTreeMap<String, Vec<String>>> {
        let model = self.person_model();
        let answers = self.store.suspect_pair_answers_in(country).await?;
        let ids: Vec<String> = suspects.iter().map(|(id, _)| id.clone()).collect();
        let facts: Vec<PersonFacts> = suspects.iter().map(|(_, f)| f.clone()).collect();
        let clusters = engine_clusters(&model, &ids, &facts, &answers)?;
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (id, cluster) in ids.iter().zip(clusters) {
            out.entry(id.clone()).or_default().push(format!("engine:{cluster}"));
        }
        for a in answers.iter().filter(|a| a.answer == PairAnswer::Same.code()) {
            let key = format!("same:{}|{}", a.suspect_a, a.suspect_b);
            for id in [&a.suspect_a, &a.suspect_b] {
                if let Some(keys) = out.get_mut(id) {
                    keys.push(key.clone());
                }
            }
        }
        Ok(out)
    }
}
