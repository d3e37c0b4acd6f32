//! Clerical review of the person register, in the platform: a data officer answers whether two
//! registrations the linkage engine is unsure of are one person, and the platform's person model
//! is re-trained from the instance's own records and those answers.
//!
//! - [`App::person_review_queue`]: the most informative uncertain pairs among the candidate pairs of
//!   the data officer's jurisdiction (uncertainty sampling, [`haven_link::review::next_pairs`]),
//!   and the cluster merges the engine is unsure of ([`haven_link::review::uncertain_merges`]),
//!   each with the fields linkage compares side by side and their weights.
//! - [`App::answer_review`]: same, different or unsure, kept as a label with who and when;
//!   a "different" keeps the two apart when clustering.
//! - [`App::retrain_person_model`]: the cold-start model re-trained on the jurisdiction's
//!   registrations by the constrained training of `haven_link` (as `haven link train`), its m
//!   blended with the answers and its threshold calibrated on them (as `haven link review
//!   apply`), stored as the instance's model with its warnings.
//!
//! The candidate pairs are scored once per model (a pass over the register, in memory, as a
//! re-link does) and kept as case ids and weights only; showing a pair decrypts its two records
//! and nothing else. Every pair shown is audited as a read of both cases.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use haven_domain::access::{FIELDS_LINKAGE_COMPARES, may_review_pair};
use haven_domain::audit::AuditAction;
use haven_domain::ident::record::Registration;
use haven_domain::{MessageId, Permission};
use haven_link::cluster::{Link, cluster_with_cannot_link};
use haven_link::data::{BadValues, Dataset, RawRecord};
use haven_link::linker::{Linker, ScoredPair};
use haven_link::model::LinkageModel;
use haven_link::review::{self, Question, ReviewOptions};
use haven_storage::{PersonModelRow, ReviewAnswerRow, ReviewPairRow, StorageError};
use serde::Serialize;

pub use haven_link::diagnose::ModelWarning;
pub use haven_link::review::Answer;

use crate::ident::linkage::PersonFacts;
use crate::ident::{FieldReason, PersonModel, RelinkJob};
use crate::{App, AppError, AppResult, Principal, new_id};

/// How many answered pairs the cold-start model's trained m counts as when blended with the
/// answers (as `haven link review apply --em-weight`).
pub const EM_WEIGHT: f64 = 20.0;

/// At most this many pairs are shown at once.
pub const MAX_QUEUE: usize = 20;

/// Why a pair is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewQuestion {
    /// The engine puts it near even odds.
    Uncertain,
    /// At or above the threshold, but clustering kept the two apart.
    MergeRefused,
    /// Below the threshold, but the two are one person through others.
    JoinedThroughOthers,
}

impl ReviewQuestion {
    pub fn code(self) -> &'static str {
        match self {
            ReviewQuestion::Uncertain => "uncertain",
            ReviewQuestion::MergeRefused => "merge_refused",
            ReviewQuestion::JoinedThroughOthers => "joined_through_others",
        }
    }

    /// The question of a code (an unknown code is an uncertain pair).
    pub fn parse(code: &str) -> ReviewQuestion {
        match code {
            "merge_refused" => ReviewQuestion::MergeRefused,
            "joined_through_others" => ReviewQuestion::JoinedThroughOthers,
            _ => ReviewQuestion::Uncertain,
        }
    }

    fn of(q: Question) -> ReviewQuestion {
        match q {
            Question::Uncertain => ReviewQuestion::Uncertain,
            Question::MergeRefused => ReviewQuestion::MergeRefused,
            Question::JoinedThroughOthers => ReviewQuestion::JoinedThroughOthers,
        }
    }
}

/// One field linkage compares, of both records, and its part in the pair's weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparedField {
    /// The model's field and the comparison, as person search explains a hit.
    pub reason: FieldReason,
    /// The value as the engine compares it (alternatives joined by `|`), empty when missing.
    pub value_a: String,
    pub value_b: String,
}

/// A pair of registrations to answer about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewPair {
    pub case_a: String,
    pub reference_a: String,
    pub case_b: String,
    pub reference_b: String,
    pub question: ReviewQuestion,
    /// Match weight (log2 of the odds), rounded to 0.01.
    pub weight: f64,
    /// Match probability, rounded to 0.001.
    pub probability: f64,
    pub fields: Vec<ComparedField>,
}

/// The answers so far in a jurisdiction (the later answer about a pair counting).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReviewProgress {
    pub same: usize,
    pub different: usize,
    pub unsure: usize,
    /// Candidate pairs the model scored.
    pub candidate_pairs: usize,
}

impl ReviewProgress {
    pub fn answered(&self) -> usize {
        self.same + self.different + self.unsure
    }
}

/// The model in use: the instance's latest re-trained one, or the cold start.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelInUse {
    /// 0 for the cold start (the built-in or the operator's model).
    pub version: i64,
    pub threshold: f64,
    /// What the model's checks found ([`haven_link::diagnose`]).
    pub warnings: Vec<ModelWarning>,
    pub created_at: Option<i64>,
}

/// What the review page shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewQueue {
    pub pairs: Vec<ReviewPair>,
    pub progress: ReviewProgress,
    pub model: ModelInUse,
}

/// What re-training did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum RetrainOutcome {
    /// Fewer than two registrations, or no pair for blocking to compare: nothing to train on.
    TooFewRecords {
        records: usize,
        candidate_pairs: usize,
    },
    Trained(RetrainReport),
}

/// A re-trained model, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetrainReport {
    pub version: i64,
    pub records: usize,
    pub candidate_pairs: usize,
    pub same: usize,
    pub different: usize,
    pub unsure: usize,
    /// The cluster threshold of the model in use before, and of the new one.
    pub threshold_before: f64,
    pub threshold_after: f64,
    /// What the new model's checks found ([`haven_link::diagnose`]): the page shows them.
    pub warnings: Vec<ModelWarning>,
}

/// The linkage engine refused (never carries a value of a person).
#[derive(Debug, thiserror::Error)]
#[error("person review: the linkage engine refused: {0}")]
struct EngineRefused(String);

fn engine(e: haven_link::LinkError) -> AppError {
    match e {
        // a register too large for one pass is a state to report, not a fault
        haven_link::LinkError::TooManyPairs { .. } => {
            AppError::conflict(e.to_string(), haven_domain::Message::new(MessageId::TooManyCandidatePairs))
        }
        other => AppError::Internal(Box::new(EngineRefused(other.to_string()))),
    }
}

fn micro(w: f64) -> i64 {
    (w * 1e6).round() as i64
}

fn nano(p: f64) -> i64 {
    (p * 1e9).round() as i64
}

fn round_to(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// The smaller case id first.
fn ordered<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b { (a, b) } else { (b, a) }
}

/// What the engine compares of a registration, by the model's field (the raw record's slots:
/// the fields, then age columns, left empty): the names with every alias and earlier family
/// name as alternatives, and the date of birth or the year of birth its age gives
/// ([`PersonFacts::training_value`]), as search and clustering compare them.
fn raw_values(model: &LinkageModel, facts: &PersonFacts) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = model.settings.fields.iter().map(|f| facts.training_value(&f.name)).collect();
    out.resize(model.settings.raw_slots(), None);
    out
}

/// The registrations as the engine's records, in the order given.
fn dataset(model: &LinkageModel, people: &[(String, PersonFacts)]) -> AppResult<Dataset> {
    let source: Arc<str> = Arc::from("registrations");
    let records = people
        .iter()
        .enumerate()
        .map(|(i, (id, facts))| RawRecord {
            id: id.clone(),
            source: 0,
            values: raw_values(model, facts),
            truth: None,
            line: i as u64 + 1,
            source_name: source.clone(),
        })
        .collect();
    Dataset::prepare(&model.settings, records, BadValues::TreatAsMissing).map_err(engine)
}

/// Every candidate pair of `people` under `model`, scored, as rows by case id.
fn score_all(model: &LinkageModel, people: &[(String, PersonFacts)], version: i64) -> AppResult<Vec<ReviewPairRow>> {
    if people.len() < 2 {
        return Ok(vec![]);
    }
    let linker = Linker::new(model.clone(), dataset(model, people)?).map_err(engine)?;
    let candidates = linker.candidates().map_err(engine)?;
    let scored = linker.score(&candidates).map_err(engine)?;
    Ok(rows_of(&scored, people, version))
}

fn rows_of(scored: &[ScoredPair], people: &[(String, PersonFacts)], version: i64) -> Vec<ReviewPairRow> {
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    let mut out = Vec::with_capacity(scored.len());
    for p in scored {
        let (a, b) = (p.a as usize, p.b as usize);
        let (Some((ia, _)), Some((ib, _))) = (people.get(a), people.get(b)) else { continue };
        if ia == ib || !seen.insert((a.min(b), a.max(b))) {
            continue;
        }
        let (x, y) = ordered(ia, ib);
        out.push(ReviewPairRow {
            case_id_a: x.to_owned(),
            case_id_b: y.to_owned(),
            weight_micro: micro(f64::from(p.weight)),
            pattern: p.pattern as i64,
            rules: i64::from(p.rules),
            model_version: version,
        });
    }
    out
}

/// The later answer about each pair.
fn latest_answers(rows: &[ReviewAnswerRow]) -> BTreeMap<(String, String), (Answer, i64)> {
    let mut out = BTreeMap::new();
    for r in rows {
        if let Some(a) = Answer::parse(&r.answer) {
            out.insert((r.case_id_a.clone(), r.case_id_b.clone()), (a, r.weight_micro));
        }
    }
    out
}

fn progress_of(answers: &BTreeMap<(String, String), (Answer, i64)>, candidate_pairs: usize) -> ReviewProgress {
    let count = |x: Answer| answers.values().filter(|(a, _)| *a == x).count();
    ReviewProgress {
        same: count(Answer::Same),
        different: count(Answer::Different),
        unsure: count(Answer::Unsure),
        candidate_pairs,
    }
}

/// What training made of the register and the answers (computed off the async runtime).
struct Trained {
    model: LinkageModel,
    retrained: review::Retrained,
    candidate_pairs: usize,
    pairs: Vec<ReviewPairRow>,
}

/// Trains `base` on `people` by the constrained training, blends m with the answers and
/// calibrates the threshold on them, and scores the candidate pairs under the result.
fn train(
    base: LinkageModel,
    people: &[(String, PersonFacts)],
    answers: &[(String, String, Answer)],
) -> AppResult<Option<Trained>> {
    let data = dataset(&base, people)?;
    let mut linker = Linker::new(base, data).map_err(engine)?;
    let candidates = linker.candidates().map_err(engine)?;
    if candidates.is_empty() {
        return Ok(None);
    }
    linker.train(&candidates).map_err(engine)?;
    let index: HashMap<&str, u32> =
        people.iter().enumerate().map(|(i, (id, _))| (id.as_str(), u32::try_from(i).unwrap_or(u32::MAX))).collect();
    let resolved: Vec<(u32, u32, Answer)> =
        answers.iter().filter_map(|(a, b, x)| Some((*index.get(a.as_str())?, *index.get(b.as_str())?, *x))).collect();
    let retrained = review::retrain(&linker, &resolved, EM_WEIGHT).map_err(engine)?;
    let model = retrained.model.clone();
    let data = std::mem::take(&mut linker.data);
    let scorer = Linker::new(model.clone(), data).map_err(engine)?;
    let scored = scorer.score(&candidates).map_err(engine)?;
    Ok(Some(Trained { model, retrained, candidate_pairs: candidates.len(), pairs: rows_of(&scored, people, 0) }))
}

impl App {
    /// The person model the review works with: the instance's latest re-trained one, else the
    /// cold start (the reference data's), with its version (0 for the cold start).
    pub async fn person_model_in_use(&self) -> AppResult<(PersonModel, ModelInUse)> {
        match self.store.latest_person_model().await? {
            Some(row) => {
                let model = PersonModel::from_operator_file(&row.model)?;
                let warnings = serde_json::from_str(&row.warnings).unwrap_or_default();
                let threshold = model.cluster_threshold();
                Ok((model, ModelInUse { version: row.version, threshold, warnings, created_at: Some(row.created_at) }))
            }
            None => {
                let model = self.reference.person_model.clone();
                let warnings = haven_link::diagnose::warnings_of(model.model());
                let threshold = model.cluster_threshold();
                Ok((model, ModelInUse { version: 0, threshold, warnings, created_at: None }))
            }
        }
    }

    /// The app with the instance's latest re-trained person model in use, when there is one (at
    /// start-up, before anything reads the model: search, duplicate warnings, clusters and
    /// counts then use it). The reference data's model stays the cold start that re-training
    /// starts from. Nothing else starts: the start-up's check of the clusters re-links them if
    /// they were made with another model.
    pub async fn with_instance_person_model(mut self) -> AppResult<App> {
        let Some(row) = self.store.latest_person_model().await? else { return Ok(self) };
        let model = PersonModel::from_operator_file(&row.model)?;
        self.person_model = Arc::new(crate::ident::LivePersonModel::new(model));
        Ok(self)
    }

    /// What linkage compares of the registrations of a jurisdiction, decrypted (in memory only),
    /// by case id.
    async fn register_of(&self, jurisdiction: &str) -> AppResult<Vec<(String, PersonFacts)>> {
        let rows = self.store.registrations_in(jurisdiction).await?;
        let created = self.store.case_created_at(Some(jurisdiction)).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let registered_at = created.get(&row.case_id).copied().unwrap_or_default();
            let reg = self.decrypt_registration(row)?;
            out.push((row.case_id.clone(), PersonFacts::of_registration(&reg, registered_at)));
        }
        Ok(out)
    }

    /// The scored candidate pairs of the jurisdiction under the model in use: as kept, or scored
    /// again (a pass over the register) when they were scored by another model or never, or
    /// registrations were saved since (new ones' candidate pairs then reach the queue).
    async fn scored_pairs(
        &self,
        jurisdiction: &str,
        model: &PersonModel,
        version: i64,
    ) -> AppResult<Vec<ReviewPairRow>> {
        let rows = self.store.review_pairs(jurisdiction).await?;
        if !rows.is_empty()
            && rows.iter().all(|r| r.model_version == version)
            && self.store.registrations_saved_since_scoring(jurisdiction).await? == 0
        {
            return Ok(rows);
        }
        let people = self.register_of(jurisdiction).await?;
        let model = model.model().clone();
        let rows = tokio::task::spawn_blocking(move || score_all(&model, &people, version))
            .await
            .map_err(|e| AppError::Internal(Box::new(e)))??;
        self.store.replace_review_pairs(jurisdiction, self.now(), &rows).await?;
        Ok(rows)
    }

    /// The next pairs for the data officer to answer (at most `n`, at most [`MAX_QUEUE`]):
    /// uncertain pairs and unsure merges in turn, each with both records' compared fields.
    /// Each pair shown is audited as a read of both cases.
    pub async fn person_review_queue(&self, principal: &Principal, n: usize) -> AppResult<ReviewQueue> {
        self.require(principal, Permission::ReviewPersons).await?;
        let jurisdiction = principal.organisation.jurisdiction.code().to_owned();
        let (model, in_use) = self.person_model_in_use().await?;
        let rows = self.scored_pairs(&jurisdiction, &model, in_use.version).await?;
        let answers = latest_answers(&self.store.review_answers(&jurisdiction).await?);
        let progress = progress_of(&answers, rows.len());
        let picks = pick(&rows, &answers, &model, n.min(MAX_QUEUE));
        let mut pairs = Vec::with_capacity(picks.len());
        for (i, question) in picks {
            let row = &rows[i];
            if let Some(pair) = self.shown_pair(principal, &model, &row.case_id_a, &row.case_id_b, question).await? {
                pairs.push(pair);
            }
        }
        Ok(ReviewQueue { pairs, progress, model: in_use })
    }

    /// One pair as the page shows it, audited as a read of both cases; `None` when the data
    /// officer may not review it (another jurisdiction: the denial is audited) or a case has
    /// no registration any more.
    async fn shown_pair(
        &self,
        principal: &Principal,
        model: &PersonModel,
        case_a: &str,
        case_b: &str,
        question: ReviewQuestion,
    ) -> AppResult<Option<ReviewPair>> {
        let Some((ca, ra, cb, rb)) = self.reviewable(principal, case_a, case_b).await? else { return Ok(None) };
        let facts = |reg: &Registration, at: i64| PersonFacts::of_registration(reg, at);
        let people = vec![
            (ca.id.clone(), facts(&self.decrypt_registration(&ra)?, ca.created_at)),
            (cb.id.clone(), facts(&self.decrypt_registration(&rb)?, cb.created_at)),
        ];
        let lm = model.model().clone();
        let linker = Linker::new(lm.clone(), dataset(&lm, &people)?).map_err(engine)?;
        let scored = linker.score_pair(0, 1).map_err(engine)?;
        let explanation = linker.explain(&scored).map_err(engine)?;
        let (va, vb) = (raw_values(&lm, &people[0].1), raw_values(&lm, &people[1].1));
        let fields = lm
            .settings
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| FIELDS_LINKAGE_COMPARES.contains(&f.name.as_str()))
            .map(|(i, f)| {
                let e = explanation.iter().find(|e| e.field == f.name);
                ComparedField {
                    reason: FieldReason {
                        field: f.name.clone(),
                        level: e.map_or_else(|| "missing".to_owned(), |e| e.level.clone()),
                        weight: e.map_or(0.0, |e| round_to(e.weight, 2)),
                    },
                    value_a: va.get(i).cloned().flatten().unwrap_or_default(),
                    value_b: vb.get(i).cloned().flatten().unwrap_or_default(),
                }
            })
            .collect();
        for (case, other) in [(&ca, &cb), (&cb, &ca)] {
            let event = self
                .event(principal, AuditAction::CaseRead)
                .on("case", &case.id, Some(&case.owner_organisation_id))
                .detail(format!("person_review pair_with={} fields=linkage question={}", other.id, question.code()));
            self.store.append_audit(&event).await?;
        }
        let weight = f64::from(scored.weight);
        Ok(Some(ReviewPair {
            case_a: ca.id.clone(),
            reference_a: ca.reference.clone(),
            case_b: cb.id.clone(),
            reference_b: cb.reference.clone(),
            question,
            weight: round_to(weight, 2),
            probability: round_to(scored.probability(), 3),
            fields,
        }))
    }

    /// The two cases and their registrations when the principal may review the pair; `None`
    /// when a case has no registration; a denial (audited) when it may not.
    async fn reviewable(
        &self,
        principal: &Principal,
        case_a: &str,
        case_b: &str,
    ) -> AppResult<
        Option<(
            haven_storage::CaseRow,
            haven_storage::RegistrationRow,
            haven_storage::CaseRow,
            haven_storage::RegistrationRow,
        )>,
    > {
        let case = |id: &str| {
            let id = id.to_owned();
            async move {
                match self.store.case(&id).await {
                    Ok(c) => Ok(Some(c)),
                    Err(StorageError::NotFound) => Ok(None),
                    Err(e) => Err(AppError::from(e)),
                }
            }
        };
        let (Some(ca), Some(cb)) = (case(case_a).await?, case(case_b).await?) else {
            return Err(AppError::NotFound);
        };
        let (Some(ra), Some(rb)) = (self.store.registration(&ca.id).await?, self.store.registration(&cb.id).await?)
        else {
            return Ok(None);
        };
        let (sa, sb) = (crate::ident::case_scope(&ca, &ra), crate::ident::case_scope(&cb, &rb));
        if !may_review_pair(&principal.actor, &sa, &sb) {
            self.audit_denied(principal, "case", &format!("{},{}", ca.id, cb.id), None).await;
            return Err(AppError::Forbidden);
        }
        Ok(Some((ca, ra, cb, rb)))
    }

    /// Keeps the data officer's answer about a pair, audited, with who answered and when (the
    /// App's clock). A "different" keeps the two apart when persons are clustered.
    pub async fn answer_review(
        &self,
        principal: &Principal,
        case_a: &str,
        case_b: &str,
        answer: Answer,
        question: ReviewQuestion,
    ) -> AppResult<ReviewProgress> {
        self.require(principal, Permission::ReviewPersons).await?;
        let (a, b) = ordered(case_a.trim(), case_b.trim());
        if a == b {
            return Err(AppError::said(
                "case_b",
                "a pair is two different registrations",
                MessageId::PairOfTwoRegistrations,
            ));
        }
        let Some((ca, _, cb, _)) = self.reviewable(principal, a, b).await? else { return Err(AppError::NotFound) };
        let jurisdiction = principal.organisation.jurisdiction.code().to_owned();
        let pairs = self.store.review_pairs(&jurisdiction).await?;
        let weight_micro =
            pairs.iter().find(|p| p.case_id_a == ca.id && p.case_id_b == cb.id).map_or(0, |p| p.weight_micro);
        let row = ReviewAnswerRow {
            id: new_id(),
            jurisdiction: jurisdiction.clone(),
            case_id_a: ca.id.clone(),
            case_id_b: cb.id.clone(),
            answer: answer.as_str().to_owned(),
            question: question.code().to_owned(),
            weight_micro,
            answered_by: principal.user.id.clone(),
            answered_at: self.now(),
        };
        let event = self
            .event(principal, AuditAction::PersonPairAnswered)
            .on("case", &ca.id, Some(&ca.owner_organisation_id))
            .detail(format!("pair_with={} answer={} question={}", cb.id, answer.as_str(), question.code()));
        self.store.record_review_answer(&row, &event).await?;
        if answer == Answer::Different {
            // Kept apart by the maintained persons from now on (audited there as well).
            self.record_cannot_link(principal, &ca.id, &cb.id).await?;
        }
        if answer == Answer::Same {
            // One person in the maintained persons at once. The answer is kept whatever happens
            // here: a failure is logged (without personal data) and the pair is joined at its
            // next save or re-link, which read the answer too.
            if let Err(e) = self.cluster_after_answer(&ca.id, &cb.id).await {
                tracing::warn!(error = %e, "a \"same\" answer could not be applied to the persons now; it will be at the next re-link");
            }
        }
        let answers = latest_answers(&self.store.review_answers(&jurisdiction).await?);
        Ok(progress_of(&answers, pairs.len()))
    }

    /// Re-trains the platform's person model on the jurisdiction's registrations: the cold-start
    /// model trained by the constrained training (priors and monotone m and u, as `haven link
    /// train`), its m blended with the answers "same" and its threshold calibrated on all the
    /// answers (as `haven link review apply`), stored as the instance's next model version
    /// (audited) with the warnings the page shows, and put in use at once
    /// ([`App::install_person_model`]: search and duplicate warnings score with it, and the
    /// persons are re-linked with it in the background). The candidate pairs are scored again
    /// under it.
    pub async fn retrain_person_model(&self, principal: &Principal) -> AppResult<RetrainOutcome> {
        self.require(principal, Permission::ReviewPersons).await?;
        let jurisdiction = principal.organisation.jurisdiction.code().to_owned();
        let (_, before) = self.person_model_in_use().await?;
        let people = self.register_of(&jurisdiction).await?;
        let records = people.len();
        if records < 2 {
            return Ok(RetrainOutcome::TooFewRecords { records, candidate_pairs: 0 });
        }
        let answers: Vec<(String, String, Answer)> = latest_answers(&self.store.review_answers(&jurisdiction).await?)
            .into_iter()
            .map(|((a, b), (x, _))| (a, b, x))
            .collect();
        // From the cold start each time, so that answers are not counted twice.
        let base = self.reference.person_model.model().clone();
        let trained = tokio::task::spawn_blocking(move || train(base, &people, &answers))
            .await
            .map_err(|e| AppError::Internal(Box::new(e)))??;
        let Some(mut t) = trained else {
            return Ok(RetrainOutcome::TooFewRecords { records, candidate_pairs: 0 });
        };
        let toml = t.model.to_toml().map_err(engine)?;
        // the platform must be able to feed and index it, as an operator's model
        let accepted = PersonModel::from_operator_file(&toml)?;
        let warnings: Vec<ModelWarning> = haven_link::diagnose::warnings_of(&t.model);
        let basis = serde_json::json!({
            "jurisdiction": jurisdiction,
            "records": records,
            "candidate_pairs": t.candidate_pairs,
            "answers": { "same": t.retrained.same, "different": t.retrained.different, "unsure": t.retrained.unsure },
            "em_weight": EM_WEIGHT,
            "trained_with": t.model.parameters.as_ref().map(|p| p.trained_with.clone()).unwrap_or_default(),
        });
        let row = PersonModelRow {
            version: 0,
            jurisdiction: jurisdiction.clone(),
            model: toml,
            basis: basis.to_string(),
            threshold_before_nano: nano(before.threshold),
            threshold_after_nano: nano(t.retrained.threshold_after),
            warnings: serde_json::to_string(&warnings).map_err(|e| AppError::Internal(Box::new(e)))?,
            created_by: principal.user.id.clone(),
            created_at: self.now(),
        };
        let event = self
            .event(principal, AuditAction::PersonModelRetrained)
            .on("person_model", &jurisdiction, None)
            .detail(format!(
                "records={records} pairs={} same={} different={} unsure={} warnings={}",
                t.candidate_pairs,
                t.retrained.same,
                t.retrained.different,
                t.retrained.unsure,
                warnings.len()
            ));
        let version = self.store.save_person_model(&row, &event).await?;
        for p in &mut t.pairs {
            p.model_version = version;
        }
        self.store.replace_review_pairs(&jurisdiction, self.now(), &t.pairs).await?;
        // In use from now on: search, duplicate warnings, and the persons re-linked in the
        // background for the counts.
        self.install_person_model(accepted).await?;
        Ok(RetrainOutcome::Trained(RetrainReport {
            version,
            records,
            candidate_pairs: t.candidate_pairs,
            same: t.retrained.same,
            different: t.retrained.different,
            unsure: t.retrained.unsure,
            threshold_before: before.threshold,
            threshold_after: t.retrained.threshold_after,
            warnings,
        }))
    }

    /// The pairs of registrations the model in use joins (at or above its cluster threshold),
    /// by case id, the answers "different" kept apart: what the review changes. Case ids only.
    pub async fn review_linked_pairs(&self, principal: &Principal) -> AppResult<Vec<(String, String)>> {
        self.require(principal, Permission::ReviewPersons).await?;
        let jurisdiction = principal.organisation.jurisdiction.code().to_owned();
        let (model, in_use) = self.person_model_in_use().await?;
        let rows = self.scored_pairs(&jurisdiction, &model, in_use.version).await?;
        let answers = latest_answers(&self.store.review_answers(&jurisdiction).await?);
        let threshold = model.cluster_threshold();
        Ok(rows
            .iter()
            .filter(|r| {
                let key = (r.case_id_a.clone(), r.case_id_b.clone());
                review::threshold_of_weight(r.weight_micro as f64 / 1e6) >= threshold
                    && answers.get(&key).is_none_or(|(a, _)| *a != Answer::Different)
            })
            .map(|r| (r.case_id_a.clone(), r.case_id_b.clone()))
            .collect())
    }
}

/// Why a re-link job still `running` without a heartbeat is marked failed (kept as the job's
/// detail).
pub const INTERRUPTED: &str = "interrupted: the process running it stopped before it ended (its heartbeat stopped)";

/// Writes a re-link job's heartbeat while it lives ([`App::keep_relink_alive`]); dropping it
/// stops the heartbeat.
#[derive(Debug)]
pub struct RelinkHeartbeat(tokio::task::JoinHandle<()>);

impl Drop for RelinkHeartbeat {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// At most this many re-link jobs are listed at once.
pub const MAX_RELINK_JOBS: u32 = 100;

/// The re-link jobs a data officer sees: the latest first, and whether one runs now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelinkJobs {
    pub jobs: Vec<RelinkJob>,
    /// Whether a re-link runs now (another cannot start until it ends).
    pub running: bool,
}

impl App {
    /// A re-link job still `running` whose heartbeat stopped more than
    /// [`AppSettings::relink_stale_seconds`] ago was left by a process that stopped while it ran
    /// (killed, crashed), and nothing will end it: it is marked failed, with [`INTERRUPTED`] as
    /// the reason, so that a new one can start. A job whose process still beats (another
    /// application server on the same database, `haven relink` in a terminal) is left alone.
    /// Gives the ids of the jobs so ended. Run at start-up, before anything starts a re-link,
    /// before a re-link starts, and every heartbeat while serving
    /// ([`App::sweep_interrupted_relinks`]).
    ///
    /// [`AppSettings::relink_stale_seconds`]: crate::AppSettings::relink_stale_seconds
    pub async fn fail_interrupted_relinks(&self) -> AppResult<Vec<String>> {
        let now = self.now();
        let stale_before = now.saturating_sub(self.settings.relink_stale_seconds);
        Ok(self.store.fail_running_linkage_jobs(now, INTERRUPTED, stale_before).await?)
    }

    /// While serving, every heartbeat: ends the re-link jobs whose process stopped
    /// ([`App::fail_interrupted_relinks`]) and, when it ended one, starts the re-link the
    /// clusters still need (a process restarted at once after a crash found the job's heartbeat
    /// still fresh and could not start one). Gives the jobs ended and the job started, if any.
    pub async fn sweep_interrupted_relinks(&self) -> AppResult<(Vec<String>, Option<String>)> {
        let ended = self.fail_interrupted_relinks().await?;
        if ended.is_empty() {
            return Ok((ended, None));
        }
        let started = self.ensure_person_clusters().await?;
        Ok((ended, started))
    }

    /// Writes the heartbeat of the re-link job `job_id` every
    /// [`AppSettings::relink_heartbeat`] (the clock's time) until the returned guard is
    /// dropped: the sign that the job's process is alive.
    ///
    /// [`AppSettings::relink_heartbeat`]: crate::AppSettings::relink_heartbeat
    pub fn keep_relink_alive(&self, job_id: &str) -> RelinkHeartbeat {
        let (app, id, every) = (self.clone(), job_id.to_owned(), self.settings.relink_heartbeat);
        RelinkHeartbeat(tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            // the first tick is at once; the job was started with its heartbeat
            tick.tick().await;
            loop {
                tick.tick().await;
                if let Err(e) = app.store.linkage_job_heartbeat(&id, app.now()).await {
                    tracing::warn!(error = %e, job = %id, "could not write the heartbeat of a re-link job");
                }
            }
        }))
    }

    /// The latest re-link jobs (at most `limit`, 1 to [`MAX_RELINK_JOBS`]), newest first, for a
    /// data officer: their progress and outcome. Case ids and counts only.
    pub async fn relink_jobs_for(&self, principal: &Principal, limit: u32) -> AppResult<RelinkJobs> {
        self.require(principal, Permission::ReviewPersons).await?;
        if limit == 0 || limit > MAX_RELINK_JOBS {
            return Err(AppError::said("limit", "between 1 and 100", MessageId::RelinkJobsLimit));
        }
        let jobs = self.relink_jobs(i64::from(limit)).await?;
        let running = jobs.iter().any(|j| j.state == "running")
            || self.relink_jobs(20).await?.iter().any(|j| j.state == "running");
        Ok(RelinkJobs { jobs, running })
    }

    /// One re-link job, for a data officer.
    pub async fn relink_job_for(&self, principal: &Principal, id: &str) -> AppResult<RelinkJob> {
        self.require(principal, Permission::ReviewPersons).await?;
        self.relink_job(id.trim()).await?.ok_or(AppError::NotFound)
    }

    /// A data officer starts a full re-link of the persons in the background (after the
    /// answers or a re-training, say), audited; `confirmed` says they know that counts read the
    /// persons as linked before until it ends (without it: refused, naming `confirm`). Refused
    /// while one runs. Gives the job as it started; follow it with [`App::relink_job_for`].
    pub async fn start_relink_for(&self, principal: &Principal, confirmed: bool) -> AppResult<RelinkJob> {
        self.require(principal, Permission::ReviewPersons).await?;
        if !confirmed {
            return Err(AppError::said(
                "confirm",
                "confirm that the persons are to be re-linked",
                MessageId::RelinkConfirm,
            ));
        }
        self.fail_interrupted_relinks().await?;
        if self.relink_jobs(20).await?.iter().any(|j| j.state == "running") {
            return Err(AppError::conflict(
                "a re-link is already running; wait for it to end",
                haven_domain::Message::new(MessageId::RelinkRunning),
            ));
        }
        let id = self.start_relink(Some(&principal.user.id)).await?;
        let event = self
            .event(principal, AuditAction::RelinkStarted)
            .on("linkage_job", &id, None)
            .detail(format!("jurisdiction={}", principal.organisation.jurisdiction.code()));
        self.store.append_audit(&event).await?;
        self.relink_job(&id).await?.ok_or(AppError::NotFound)
    }
}

/// The pairs to ask, as indices into `rows`: uncertain pairs ([`review::next_pairs`]) and unsure
/// merges ([`review::uncertain_merges`], clustered with the answers "different" kept apart) in
/// turn, answered pairs left out, at most `n`.
fn pick(
    rows: &[ReviewPairRow],
    answers: &BTreeMap<(String, String), (Answer, i64)>,
    model: &PersonModel,
    n: usize,
) -> Vec<(usize, ReviewQuestion)> {
    let mut ids: Vec<&str> = rows.iter().flat_map(|r| [r.case_id_a.as_str(), r.case_id_b.as_str()]).collect();
    ids.sort_unstable();
    ids.dedup();
    let index: HashMap<&str, u32> =
        ids.iter().enumerate().map(|(i, id)| (*id, u32::try_from(i).unwrap_or(u32::MAX))).collect();
    let at = |id: &str| index.get(id).copied().unwrap_or(u32::MAX);
    let scored: Vec<ScoredPair> = rows
        .iter()
        .map(|r| ScoredPair {
            a: at(&r.case_id_a),
            b: at(&r.case_id_b),
            pattern: r.pattern as u64,
            rules: u16::try_from(r.rules).unwrap_or(0),
            weight: (r.weight_micro as f64 / 1e6) as f32,
        })
        .collect();
    let mut answered: HashSet<(u32, u32)> = HashSet::new();
    let mut cannot: Vec<(u32, u32)> = Vec::new();
    for ((a, b), (x, _)) in answers {
        let (Some(ia), Some(ib)) = (index.get(a.as_str()), index.get(b.as_str())) else { continue };
        answered.insert(((*ia).min(*ib), (*ia).max(*ib)));
        if *x == Answer::Different {
            cannot.push((*ia, *ib));
        }
    }
    let uncertain = review::next_pairs(&scored, &answered, &ReviewOptions { k: n, ..ReviewOptions::default() });
    let links: Vec<Link> = scored.iter().map(|p| Link { a: p.a, b: p.b, probability: p.probability() }).collect();
    let settings = &model.model().settings.cluster;
    let clusters = cluster_with_cannot_link(ids.len(), &links, settings, &cannot);
    let merges = review::uncertain_merges(&scored, &clusters, settings.threshold, &answered, n);
    let mut out: Vec<(usize, ReviewQuestion)> = Vec::with_capacity(n);
    let mut taken: HashSet<usize> = HashSet::new();
    let (mut u, mut m) = (uncertain.into_iter(), merges.into_iter());
    while out.len() < n {
        let before = out.len();
        if let Some(i) = u.by_ref().find(|i| !taken.contains(i)) {
            taken.insert(i);
            out.push((i, ReviewQuestion::Uncertain));
        }
        if out.len() < n
            && let Some((i, q)) = m.by_ref().find(|(i, _)| !taken.contains(i))
        {
            taken.insert(i);
            out.push((i, ReviewQuestion::of(q)));
        }
        if out.len() == before {
            break;
        }
    }
    out
}
