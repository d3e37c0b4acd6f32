//! Persons maintained as registrations are referred: every referred registration has a person
//! id (`P000000001`, ...) in `person_clusters`, kept up to date by clustering a registration
//! again, with its candidates and the persons they belong to, right after it is saved; counts
//! read the ids instead of linking the whole country per request. A full re-link (a background
//! job with progress) replaces them all after a model change, keeping ids where clusters stay.
//! Cannot-link answers are respected by both. docs/linkage.md ("Persons in the platform").

use std::collections::{BTreeMap, BTreeSet, HashMap};

use haven_domain::Coded;
use haven_domain::ident::record::{Registration, RegistrationState};
use haven_storage::{LinkageJobRow, PersonClusterChange, PersonRef, RegistrationRow};
use serde::Serialize;

use super::linkage::{
    ClusterRecord, IdRule, PersonClusters, PersonFacts, PersonIndex, PersonSlot, assign_persons_apart, block_key_basis,
    keep_person_ids,
};
use super::{PersonModel, normalise_document};
use crate::{App, AppError, AppResult, new_id};
use std::sync::Arc;

/// A change computed from a reading that changed before it was written is computed again, at
/// most this many times (each time from what is there then).
const ATTEMPTS: usize = 32;

/// Referred registrations read (and decrypted) per page by a full re-link.
const RELINK_PAGE: i64 = 500;

/// Registrations clustered again at once after a re-link (those saved while it ran).
const CATCH_UP: usize = 100;

/// A full re-link of the persons (a background job): its progress and outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelinkJob {
    pub id: String,
    /// `running`, `done` or `failed`.
    pub state: String,
    /// Referred registrations read so far, of `total`.
    pub done: i64,
    pub total: i64,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    /// Who started it (a user id), or none (the platform, after a model change).
    pub started_by: Option<String>,
    /// How it ended, without personal data: `persons=… registrations=…` or the error.
    pub detail: Option<String>,
    /// Whether it was made with the model in use now.
    pub current_model: bool,
}

/// A record taking part in a clustering: its case, its facts and its documents.
struct Member {
    case_id: String,
    record: ClusterRecord,
}

fn slot_ref(slot: &PersonSlot, offset: usize) -> PersonRef {
    match slot {
        PersonSlot::Kept(id) => PersonRef::Existing(id.clone()),
        PersonSlot::New(n) => PersonRef::New(n + offset),
    }
}

/// Cannot-link pairs as record numbers of `members` (pairs with a record not among them left out).
fn pair_numbers(members: &[Member], pairs: &[(String, String)]) -> Vec<(u32, u32)> {
    let at: HashMap<&str, u32> = members
        .iter()
        .enumerate()
        .filter_map(|(i, m)| u32::try_from(i).ok().map(|i| (m.case_id.as_str(), i)))
        .collect();
    pairs.iter().filter_map(|(a, b)| Some((*at.get(a.as_str())?, *at.get(b.as_str())?))).collect()
}

impl App {
    /// What the person clusters are made with: a keyed MAC of the model (as the candidate index's).
    fn cluster_basis(&self) -> AppResult<Vec<u8>> {
        self.cluster_basis_of(&self.person_model())
    }

    fn cluster_basis_of(&self, model: &PersonModel) -> AppResult<Vec<u8>> {
        Ok(self.keys.blind_index("person_cluster_basis", &block_key_basis(model)?).to_vec())
    }

    /// A registration for clustering; `registered_at` is when its case was created.
    fn cluster_record(reg: &Registration, registered_at: i64) -> ClusterRecord {
        ClusterRecord {
            facts: PersonFacts::of_registration(reg, registered_at),
            documents: reg.person.documents.iter().map(|d| normalise_document(&d.number)).collect(),
        }
    }

    /// Clusters a saved registration again (see [`App::cluster_again`]). The registration is
    /// saved whatever happens here: a failure is logged (without personal data) and the case is
    /// clustered when persons are next counted.
    pub(crate) async fn cluster_after_save(&self, case_id: &str) {
        if let Err(e) = self.cluster_again(&[case_id.to_owned()]).await {
            tracing::warn!(error = %e, "a referred registration could not be clustered now; it will be when persons are next counted");
        }
    }

    /// Clusters the referred registrations `cases` again with every referred registration of
    /// their jurisdiction that shares a blocking key or a document number with one of them (their
    /// candidates, found through the keyed index), and every registration of the persons those
    /// belong to: the engine's clustering of that set (cannot-link answers kept apart) replaces
    /// their person ids, the oldest id surviving a merge. Written only if nothing it read changed
    /// meanwhile; otherwise computed again. Cases that are not referred registrations are skipped.
    pub async fn cluster_again(&self, cases: &[String]) -> AppResult<()> {
        self.ensure_linkage_index().await?;
        let basis = self.cluster_basis()?;
        let mut by_jurisdiction: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for o in self.store.case_overviews_among(None, cases).await? {
            if o.registration.as_ref().is_some_and(|r| r.state == RegistrationState::Submitted.code()) {
                by_jurisdiction.entry(o.case.jurisdiction.code().to_owned()).or_default().push(o.case.id);
            }
        }
        for (jurisdiction, seeds) in by_jurisdiction {
            let mut written = false;
            for _ in 0..ATTEMPTS {
                if self.cluster_once(&jurisdiction, &seeds, &basis).await? {
                    written = true;
                    break;
                }
            }
            if !written {
                return Err(AppError::conflict(
                    "persons changed too often while being clustered; try again",
                    haven_domain::Message::new(haven_domain::MessageId::PersonsChangedTryAgain),
                ));
            }
        }
        Ok(())
    }

    /// One attempt of [`App::cluster_again`] for seeds of one jurisdiction: whether it was written.
    async fn cluster_once(&self, jurisdiction: &str, seeds: &[String], basis: &[u8]) -> AppResult<bool> {
        let model = &*self.person_model();
        // the seeds, and their candidates (a bounded set through the keyed index)
        let mut decrypted: HashMap<String, ClusterRecord> = HashMap::new();
        let mut seed_facts = Vec::new();
        let mut candidates: BTreeSet<String> = BTreeSet::new();
        let mut same_document: BTreeSet<String> = BTreeSet::new();
        for o in self.store.case_overviews_among(None, seeds).await? {
            let Some(row) = &o.registration else { continue };
            let reg = self.decrypt_registration(row)?;
            let record = Self::cluster_record(&reg, o.case.created_at);
            candidates.extend(self.block_candidates(model, &record.facts).await?);
            let documents: Vec<Vec<u8>> = reg
                .person
                .documents
                .iter()
                .map(|d| self.keys.blind_index("person_document", &normalise_document(&d.number)).to_vec())
                .collect();
            same_document.extend(self.store.cases_with_any_identifier("document", &documents).await?);
            seed_facts.push(record.facts.clone());
            decrypted.insert(o.case.id.clone(), record);
        }
        // of the candidates, those a seed links to at the cluster threshold (or by a document):
        // only their persons can change, however many candidates a frequent name brings
        let mut set: BTreeSet<String> = seeds.iter().cloned().collect();
        set.extend(same_document.iter().cloned());
        let to_score: Vec<String> = candidates.iter().filter(|c| !set.contains(*c)).cloned().collect();
        let mut scored: Vec<(String, ClusterRecord)> = Vec::with_capacity(to_score.len());
        for o in self.store.case_overviews_among(None, &to_score).await? {
            let Some(row) = &o.registration else { continue };
            if row.state != RegistrationState::Submitted.code() || o.case.jurisdiction.code() != jurisdiction {
                continue;
            }
            let reg = self.decrypt_registration(row)?;
            scored.push((o.case.id.clone(), Self::cluster_record(&reg, o.case.created_at)));
        }
        let mut index = PersonIndex::new(model)?;
        for (i, (_, record)) in scored.iter().enumerate() {
            index.insert(i, &record.facts);
        }
        for facts in &seed_facts {
            for i in index.query(facts, model.cluster_threshold())?.keys() {
                if let Some((case_id, _)) = scored.get(*i) {
                    set.insert(case_id.clone());
                }
            }
        }
        for (case_id, record) in scored {
            if set.contains(&case_id) {
                decrypted.insert(case_id, record);
            }
        }
        // the registrations a "same" answer joins to these
        let seen: Vec<String> = set.iter().cloned().collect();
        for (a, b) in self.store.must_link_pairs(Some(&seen)).await? {
            set.insert(a);
            set.insert(b);
        }
        let first: Vec<String> = set.iter().cloned().collect();
        let persons: Vec<String> = self
            .store
            .person_rows_touching(&first, &[])
            .await?
            .into_iter()
            .map(|(_, p)| p)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let read = self.store.person_rows_touching(&first, &persons).await?;
        set.extend(read.iter().map(|(c, _)| c.clone()));
        let cases: Vec<String> = set.into_iter().collect();
        let cannot_links = self.store.cannot_link_pairs(&cases).await?;
        let mut members = Vec::with_capacity(cases.len());
        for o in self.store.case_overviews_among(None, &cases).await? {
            let Some(row) = &o.registration else { continue };
            if row.state != RegistrationState::Submitted.code() || o.case.jurisdiction.code() != jurisdiction {
                continue;
            }
            let record = match decrypted.remove(&o.case.id) {
                Some(record) => record,
                None => Self::cluster_record(&self.decrypt_registration(row)?, o.case.created_at),
            };
            members.push(Member { case_id: o.case.id.clone(), record });
        }
        // in case id order, as a full re-link numbers them (ties between equal scores go the same way)
        members.sort_by(|a, b| a.case_id.cmp(&b.case_id));
        let records: Vec<ClusterRecord> = members.iter().map(|m| m.record.clone()).collect();
        let must_links = pair_numbers(&members, &self.store.must_link_pairs(Some(&cases)).await?);
        let (clusters, _) = assign_persons_apart(model, &records, &pair_numbers(&members, &cannot_links), &must_links)?;
        let before: HashMap<&str, &str> = read.iter().map(|(c, p)| (c.as_str(), p.as_str())).collect();
        let previous: Vec<Option<&str>> = members.iter().map(|m| before.get(m.case_id.as_str()).copied()).collect();
        let (slots, merges) = keep_person_ids(&clusters, &previous, IdRule::OldestFirst);
        let assign: Vec<(String, PersonRef)> = members
            .iter()
            .zip(&slots)
            .filter(|(m, slot)| match slot {
                PersonSlot::Kept(id) => before.get(m.case_id.as_str()) != Some(&id.as_str()),
                PersonSlot::New(_) => true,
            })
            .map(|(m, slot)| (m.case_id.clone(), slot_ref(slot, 0)))
            .collect();
        if assign.is_empty() && merges.is_empty() {
            return Ok(true);
        }
        let change = PersonClusterChange {
            cases,
            persons,
            read,
            cannot_links,
            assign,
            merges: merges.iter().map(|(gone, into)| (gone.clone(), slot_ref(into, 0))).collect(),
            basis: basis.to_vec(),
            at: self.now(),
            cause: "registration",
        };
        Ok(self.store.apply_person_clusters(&change).await?)
    }

    /// The person id of every referred registration of a jurisdiction, from the maintained
    /// clusters, if they were made with the model in use (a re-link after a model change has
    /// finished); registrations not clustered yet are clustered first. `None` while the
    /// clusters are of another model: a re-link is then started in the background, and the
    /// caller links the registrations itself.
    pub(crate) async fn maintained_person_ids(&self, jurisdiction: &str) -> AppResult<Option<HashMap<String, String>>> {
        if !self.clusters_ready().await? {
            return Ok(None);
        }
        let rows = self.store.person_ids_in(jurisdiction).await?;
        Ok(Some(rows.into_iter().map(|r| (r.case_id, r.person_id)).collect()))
    }

    /// Whether the maintained clusters can be read: made with the model in use (else a re-link
    /// is started in the background and `false` given), every referred registration clustered
    /// (those not clustered yet are clustered now).
    async fn clusters_ready(&self) -> AppResult<bool> {
        if !self.clusters_current().await? {
            self.start_relink_if_idle().await?;
            return Ok(false);
        }
        let mut last: Vec<String> = Vec::new();
        loop {
            let left = self.store.unclustered_cases(i64::try_from(CATCH_UP).unwrap_or(100)).await?;
            if left.is_empty() || left == last {
                break;
            }
            self.cluster_again(&left).await?;
            last = left;
        }
        Ok(true)
    }

    /// The distinct persons among the `referred` referred registrations of `jurisdiction`, from
    /// the maintained clusters (one query counting the distinct person ids), when they are
    /// current and hold exactly those registrations; `None` when the rows must be linked now.
    pub(crate) async fn persons_counted(
        &self,
        jurisdiction: &str,
        referred: usize,
    ) -> AppResult<Option<PersonClusters>> {
        if !self.clusters_ready().await? {
            return Ok(None);
        }
        let (records, persons) = self.store.person_counts_in(jurisdiction).await?;
        if !usize::try_from(records).is_ok_and(|r| r == referred) {
            return Ok(None);
        }
        let model = self.person_model();
        let (records, persons) = (records.unsigned_abs(), persons.unsigned_abs());
        Ok(Some(PersonClusters {
            persons,
            records,
            merged: records.saturating_sub(persons),
            method: format!(
                "the same document number first, then the linkage engine: model {}, threshold {}",
                model.label(),
                model.cluster_threshold()
            ),
        }))
    }

    /// The distinct persons among the referred registrations of `jurisdiction`, read from their
    /// coded columns (`referred` of them): from the maintained clusters when they are current,
    /// else by reading the registrations with their records and linking them now.
    pub(crate) async fn persons_of_referred(&self, jurisdiction: &str, referred: usize) -> AppResult<PersonClusters> {
        if let Some(counted) = self.persons_counted(jurisdiction, referred).await? {
            return Ok(counted);
        }
        let regs = self.store.registrations_in(jurisdiction).await?;
        let rows: Vec<&RegistrationRow> =
            regs.iter().filter(|r| r.state == RegistrationState::Submitted.code()).collect();
        Ok(self.assign_referred(jurisdiction, &rows).await?.1)
    }

    /// The person (a number from 0, by first appearance) of each of `rows` (referred
    /// registrations of `jurisdiction`) and the counts: from the maintained clusters when they
    /// are current, else by linking the rows now (decrypting them all).
    pub(crate) async fn assign_referred(
        &self,
        jurisdiction: &str,
        rows: &[&RegistrationRow],
    ) -> AppResult<(Vec<u32>, PersonClusters)> {
        let model = &*self.person_model();
        if let Some(ids) = self.maintained_person_ids(jurisdiction).await?
            && rows.iter().all(|r| ids.contains_key(&r.case_id))
        {
            {
                let mut numbers: HashMap<&str, u32> = HashMap::new();
                let mut assignment = Vec::with_capacity(rows.len());
                for r in rows {
                    let next = u32::try_from(numbers.len()).unwrap_or(u32::MAX);
                    let person = ids.get(&r.case_id).map_or("", String::as_str);
                    assignment.push(*numbers.entry(person).or_insert(next));
                }
                let persons = numbers.len() as u64;
                let records = rows.len() as u64;
                let summary = PersonClusters {
                    persons,
                    records,
                    merged: records - persons,
                    method: format!(
                        "the same document number first, then the linkage engine: model {}, threshold {}",
                        model.label(),
                        model.cluster_threshold()
                    ),
                };
                return Ok((assignment, summary));
            }
        }
        let created = self.store.case_created_at(Some(jurisdiction)).await?;
        let mut members = Vec::with_capacity(rows.len());
        for row in rows {
            let registered_at = created.get(&row.case_id).copied().unwrap_or_default();
            members.push(Member {
                case_id: row.case_id.clone(),
                record: Self::cluster_record(&self.decrypt_registration(row)?, registered_at),
            });
        }
        let ids: Vec<String> = members.iter().map(|m| m.case_id.clone()).collect();
        let cannot = pair_numbers(&members, &self.store.cannot_link_pairs(&ids).await?);
        let must = pair_numbers(&members, &self.store.must_link_pairs(Some(&ids)).await?);
        let records: Vec<ClusterRecord> = members.into_iter().map(|m| m.record).collect();
        assign_persons_apart(model, &records, &cannot, &must)
    }

    /// Whether the last finished re-link was made with the model in use and none runs now.
    async fn clusters_current(&self) -> AppResult<bool> {
        let basis = self.cluster_basis()?;
        let jobs = self.store.linkage_jobs(20).await?;
        if jobs.iter().any(|j| j.state == "running") {
            return Ok(false);
        }
        Ok(jobs.iter().find(|j| j.state == "done").is_some_and(|j| j.basis == basis))
    }

    /// At start-up: re-links the persons in the background when the clusters were made with
    /// another model (or never), as the candidate index is rebuilt. Gives the job's id if one
    /// was started.
    pub async fn ensure_person_clusters(&self) -> AppResult<Option<String>> {
        if self.clusters_current().await? {
            return Ok(None);
        }
        self.start_relink_if_idle().await
    }

    pub(crate) async fn start_relink_if_idle(&self) -> AppResult<Option<String>> {
        self.fail_interrupted_relinks().await?;
        if self.store.linkage_jobs(20).await?.iter().any(|j| j.state == "running") {
            return Ok(None);
        }
        Ok(Some(self.start_relink(None).await?))
    }

    /// Starts a full re-link in the background (see [`App::relink`]); gives the job's id at
    /// once. Follow it with [`App::relink_job`].
    pub async fn start_relink(&self, started_by: Option<&str>) -> AppResult<String> {
        let model = self.person_model();
        let job = self.new_relink_job(&model, started_by).await?;
        let app = self.clone();
        let id = job.id.clone();
        tokio::spawn(async move {
            let (mut model, mut job_id) = (model, job.id);
            loop {
                let heartbeat = app.keep_relink_alive(&job_id);
                let outcome = app.relink_steps(&model, &job_id).await;
                drop(heartbeat);
                // the model was replaced while it ran: the clusters are made again with the new
                // one, and that job starts before this one ends, so that whoever follows the jobs
                // never finds none running between the two
                let mut next = app.next_relink_job(&model, &job_id).await;
                if let Err(e) = app.end_relink_job(&job_id, outcome).await {
                    tracing::error!(error = %e, "the re-link of persons failed");
                }
                // or replaced as it ended (a model installed then saw this job running)
                if next.is_none() {
                    next = app.next_relink_job(&model, &job_id).await;
                }
                match next {
                    Some((now, next)) => (model, job_id) = (now, next.id),
                    None => break,
                }
            }
        });
        Ok(id)
    }

    /// A full re-link, run to its end: every referred registration is read a page at a time
    /// (registrations are saved meanwhile; nothing is locked), each jurisdiction's registrations
    /// are clustered by the engine with the cannot-link answers, and the person ids are replaced
    /// in one transaction at the end, each cluster keeping the id most of its registrations had.
    /// Registrations saved while it ran are clustered again after it. Progress is in the job's
    /// row ([`App::relink_job`]).
    pub async fn relink(&self, started_by: Option<&str>) -> AppResult<RelinkJob> {
        let model = self.person_model();
        let job = self.new_relink_job(&model, started_by).await?;
        self.run_relink(&model, &job.id).await?;
        self.relink_job(&job.id).await?.ok_or(AppError::NotFound)
    }

    async fn new_relink_job(&self, model: &PersonModel, started_by: Option<&str>) -> AppResult<LinkageJobRow> {
        let job = LinkageJobRow {
            id: new_id(),
            kind: "relink".into(),
            state: "running".into(),
            basis: self.cluster_basis_of(model)?,
            done: 0,
            total: self.store.referred_count().await?,
            started_at: self.now(),
            ended_at: None,
            started_by: started_by.map(str::to_owned),
            detail: None,
            heartbeat_at: Some(self.now()),
        };
        self.store.start_linkage_job(&job).await?;
        Ok(job)
    }

    async fn run_relink(&self, model: &PersonModel, job_id: &str) -> AppResult<()> {
        let heartbeat = self.keep_relink_alive(job_id);
        let outcome = self.relink_steps(model, job_id).await;
        drop(heartbeat);
        self.end_relink_job(job_id, outcome).await
    }

    /// A job for a re-link with the model now in use, started, when it is not `model` (the one
    /// job `current` ran with) and no job other than `current` runs; `None` otherwise, or when it
    /// could not start (logged).
    async fn next_relink_job(
        &self,
        model: &Arc<PersonModel>,
        current: &str,
    ) -> Option<(Arc<PersonModel>, LinkageJobRow)> {
        let now = self.person_model();
        if Arc::ptr_eq(model, &now) {
            return None;
        }
        let started = match self.store.linkage_jobs(20).await {
            Ok(jobs) if jobs.iter().all(|j| j.state != "running" || j.id == current) => {
                self.new_relink_job(&now, None).await
            }
            Ok(_) => return None,
            Err(e) => Err(e.into()),
        };
        match started {
            Ok(job) => Some((now, job)),
            Err(e) => {
                tracing::error!(error = %e, "the re-link of persons with the model now in use could not start");
                None
            }
        }
    }

    /// Ends a re-link job with what its steps gave: done with their outcome, or failed with the
    /// reason (no personal data: the errors name steps and counts).
    async fn end_relink_job(&self, job_id: &str, outcome: AppResult<String>) -> AppResult<()> {
        match outcome {
            Ok(detail) => {
                self.store.end_linkage_job(job_id, "done", self.now(), &detail).await?;
                Ok(())
            }
            Err(e) => {
                self.store.end_linkage_job(job_id, "failed", self.now(), &e.to_string()).await?;
                Err(e)
            }
        }
    }

    async fn relink_steps(&self, model: &PersonModel, job_id: &str) -> AppResult<String> {
        self.ensure_linkage_index().await?;
        let basis = self.cluster_basis_of(model)?;
        // what the ids were before anything is read: a case whose id differs at the end was
        // clustered again meanwhile
        let read = self.store.all_person_rows().await?;
        let mut total = self.store.referred_count().await?;
        let mut by_jurisdiction: BTreeMap<String, Vec<Member>> = BTreeMap::new();
        let mut after = String::new();
        let mut done = 0i64;
        // when each case was created (an age estimate's day), read again for cases created since
        let mut created = self.store.case_created_at(None).await?;
        loop {
            let page = self.store.referred_after(&after, RELINK_PAGE).await?;
            let Some((_, last)) = page.last() else { break };
            after = last.case_id.clone();
            if page.iter().any(|(_, row)| !created.contains_key(&row.case_id)) {
                created = self.store.case_created_at(None).await?;
            }
            for (jurisdiction, row) in &page {
                let reg = self.decrypt_registration(row)?;
                let registered_at = created.get(&row.case_id).copied().unwrap_or_default();
                by_jurisdiction
                    .entry(jurisdiction.clone())
                    .or_default()
                    .push(Member { case_id: row.case_id.clone(), record: Self::cluster_record(&reg, registered_at) });
            }
            done += i64::try_from(page.len()).unwrap_or(i64::MAX);
            total = total.max(done);
            self.store.linkage_job_progress(job_id, done, total).await?;
        }
        let before: HashMap<&str, &str> = read.iter().map(|(c, p)| (c.as_str(), p.as_str())).collect();
        for _ in 0..ATTEMPTS {
            let cannot_links = self.store.all_cannot_link_pairs().await?;
            let must_links = self.store.must_link_pairs(None).await?;
            let mut change = PersonClusterChange {
                read: read.clone(),
                cannot_links: cannot_links.clone(),
                basis: basis.clone(),
                at: self.now(),
                cause: "relink",
                ..PersonClusterChange::default()
            };
            let mut offset = 0usize;
            let mut persons = 0usize;
            for members in by_jurisdiction.values() {
                let records: Vec<ClusterRecord> = members.iter().map(|m| m.record.clone()).collect();
                let (clusters, summary) = assign_persons_apart(
                    model,
                    &records,
                    &pair_numbers(members, &cannot_links),
                    &pair_numbers(members, &must_links),
                )?;
                persons += usize::try_from(summary.persons).unwrap_or(usize::MAX);
                let previous: Vec<Option<&str>> =
                    members.iter().map(|m| before.get(m.case_id.as_str()).copied()).collect();
                let (slots, merges) = keep_person_ids(&clusters, &previous, IdRule::LargestOverlap);
                let fresh = slots.iter().filter_map(|s| if let PersonSlot::New(n) = s { Some(n + 1) } else { None });
                let fresh = fresh.max().unwrap_or(0);
                for (m, slot) in members.iter().zip(&slots) {
                    change.cases.push(m.case_id.clone());
                    let unchanged =
                        matches!(slot, PersonSlot::Kept(id) if before.get(m.case_id.as_str()) == Some(&id.as_str()));
                    if !unchanged {
                        change.assign.push((m.case_id.clone(), slot_ref(slot, offset)));
                    }
                }
                change.merges.extend(merges.iter().map(|(gone, into)| (gone.clone(), slot_ref(into, offset))));
                offset += fresh;
            }
            change.cases.sort();
            if let Some(changed) = self.store.replace_person_clusters(&change).await? {
                // registrations clustered meanwhile (changed, or new since the pages were read)
                let input: BTreeSet<&str> = change.cases.iter().map(String::as_str).collect();
                let mut again: BTreeSet<String> = changed.into_iter().collect();
                for (c, _) in self.store.all_person_rows().await? {
                    if !input.contains(c.as_str()) {
                        again.insert(c);
                    }
                }
                again.extend(self.store.unclustered_cases(i64::MAX).await?);
                let again: Vec<String> = again.into_iter().collect();
                for chunk in again.chunks(CATCH_UP) {
                    self.cluster_again(chunk).await?;
                }
                return Ok(format!("persons={persons} registrations={done} clustered_again={}", again.len()));
            }
        }
        Err(AppError::conflict(
            "cannot-link answers changed too often during the re-link; start it again",
            haven_domain::Message::new(haven_domain::MessageId::RelinkAnswersChanged),
        ))
    }

    /// Clusters the two registrations of a review answer again, so that a "same" answer joins
    /// them (unless a cannot-link keeps them apart) at once rather than at their next save.
    /// Registrations that are not referred are skipped.
    pub async fn cluster_after_answer(&self, case_a: &str, case_b: &str) -> AppResult<()> {
        self.cluster_again(&[case_a.to_owned(), case_b.to_owned()]).await
    }

    /// A re-link job's progress.
    pub async fn relink_job(&self, id: &str) -> AppResult<Option<RelinkJob>> {
        let basis = self.cluster_basis()?;
        Ok(self.store.linkage_job(id).await?.map(|j| Self::job_view(j, &basis)))
    }

    /// The latest re-link jobs, newest first.
    pub async fn relink_jobs(&self, limit: i64) -> AppResult<Vec<RelinkJob>> {
        let basis = self.cluster_basis()?;
        Ok(self.store.linkage_jobs(limit).await?.into_iter().map(|j| Self::job_view(j, &basis)).collect())
    }

    fn job_view(j: LinkageJobRow, basis: &[u8]) -> RelinkJob {
        RelinkJob {
            current_model: j.basis == basis,
            id: j.id,
            state: j.state,
            done: j.done,
            total: j.total,
            started_at: j.started_at,
            ended_at: j.ended_at,
            started_by: j.started_by,
            detail: j.detail,
        }
    }

    /// The person id a referred registration has now (maintained clusters), for tests and tools
    /// that follow persons: `None` if it is not clustered.
    pub async fn person_id_of(&self, case_id: &str) -> AppResult<Option<String>> {
        let rows = self.store.person_rows_touching(&[case_id.to_owned()], &[]).await?;
        Ok(rows.into_iter().next().map(|(_, p)| p))
    }

    /// The person an id given before stands for now (following merges), `None` if never given.
    pub async fn resolve_person_id(&self, person_id: &str) -> AppResult<Option<String>> {
        Ok(self.store.resolve_person_id(person_id).await?)
    }
}
