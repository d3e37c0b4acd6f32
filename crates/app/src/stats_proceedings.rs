//! The trafficker tables of the 2024 annual data set filled from the proceedings data:
//! suspected, prosecuted and convicted traffickers, and persons who knowingly used services
//! exploited from a victim (Dir 2011/36 Art 18a, inserted by Dir 2024/1712), counted as persons.
//!
//! The statistics read the proceedings compartment of the country as a whole, for counts only:
//! nothing of it is shown to the statistics reader but the tables (the read of the tables is in
//! the audit log, as for the victim tables). The counting rules are
//! [`haven_stats::proceedings`]'s; which suspects are one person, which offence and form each
//! stage is for, and on which day it was reached are decided here ([`OFFENDER_METHOD`]).

use crate::proceedings_persons::suspect_facts;
use crate::{App, AppError, AppResult, Principal};
use haven_crypto::FieldContext;
use haven_domain::Coded;
use haven_domain::case::{CalendarDate, Sex};
use haven_domain::proceedings::charge::{Charge, Judgment, ProsecutionDecision, Verdict};
use haven_domain::proceedings::suspect::ChainRole;
use haven_domain::proceedings::{Investigation, OffenceKind};
use haven_stats::amounts::{AmountFigure, MeasureFacts, amount_figures};
use haven_stats::national::OffenderRecord;
use haven_stats::proceedings::{self, StageFacts, SuspectFacts};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How the offenders were counted, in words: published with every table and release (the
/// SDMX-CSV file's `COMMENT_DSET`), translated on the pages (`stats-proc-method`).
pub const OFFENDER_METHOD: &str = "Offenders, persons not records: natural persons who are suspects in the \
     country's investigations. Suspects linked to the same identification case, or to cases the person register \
     joins into one person, are one person; so are suspects a police officer or prosecutor confirmed to be the same \
     person, and suspects the person-linkage engine joins at its model's cluster threshold (name, sex and \
     citizenship compared; never a pair confirmed to be different people). A person is counted once per stage and \
     year: suspected in the year first known as a suspect (recorded, or charged, decided on or judged earlier), \
     prosecuted in the year of the earliest decision to prosecute (indictment or penal order), convicted in the year \
     of the first conviction at any instance, whatever an appeal decides later; under the sex, age group, \
     citizenship and form of exploitation of the first record to reach the stage in the year. Traffickers are \
     suspects of offences of Dir 2011/36 Arts 2 and 3, users of services suspects of the offence of Art 18a (by \
     their charges, else by their roles and the investigation's offences). Each stage is counted on its own: a \
     person convicted in the year may have been suspected in an earlier one. Legal persons are not counted.";

/// The offenders of the country: how many suspects, persons and merges there are (all years)
/// and how they were counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffenderCounting {
    /// Natural persons recorded as suspects in the country's investigations (all years).
    pub suspects: u64,
    /// Distinct persons among them.
    pub persons: u64,
    /// Suspect records found to be a person already counted.
    pub merged: u64,
    /// Legal persons among the suspects: not counted in the tables.
    pub legal_persons: u64,
    /// How the persons were found and counted, in words ([`OFFENDER_METHOD`]).
    pub method: String,
}

fn ctx<'a>(table: &'a str, column: &'a str, row: &'a str) -> FieldContext<'a> {
    FieldContext { table, column, row }
}

fn corrupt(what: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("a stored proceedings record cannot be read for the statistics: {what}").into())
}

/// Whether an offence is a trafficker's (Dir 2011/36 Arts 2 and 3).
fn is_trafficking(kind: OffenceKind) -> bool {
    kind != OffenceKind::UseOfServices
}

/// What the records of one suspect say.
#[derive(Default)]
struct Records {
    charges: Vec<Charge>,
    decisions: Vec<ProsecutionDecision>,
    judgments: Vec<Judgment>,
}

impl App {
    /// The offender records of `year` for the principal's country, one per person and stage
    /// (see [`OFFENDER_METHOD`]), and the counting note. The caller has checked the principal's
    /// permission to read the statistics.
    pub(crate) async fn offender_records(
        &self,
        principal: &Principal,
        year: u16,
    ) -> AppResult<(Vec<OffenderRecord>, OffenderCounting)> {
        let country = principal.organisation.jurisdiction.code().to_owned();
        let mut offences: HashMap<String, Investigation> = HashMap::new();
        for row in self.store.investigations_in(&country).await? {
            let json = self.keys.decrypt_str(&ctx("investigations", "record", &row.id), &row.record)?;
            let inv: Investigation = serde_json::from_str(&json).map_err(corrupt)?;
            offences.insert(row.id, inv);
        }
        let mut records: HashMap<String, Records> = HashMap::new();
        for row in self.store.proceedings_records_in(&country).await? {
            let entry = records.entry(row.suspect_id.clone()).or_default();
            let decrypt = || self.keys.decrypt_str(&ctx("proceedings_records", "body", &row.id), &row.body);
            match row.kind.as_str() {
                "charge" => entry.charges.push(serde_json::from_str(&decrypt()?).map_err(corrupt)?),
                "prosecution_decision" => entry.decisions.push(serde_json::from_str(&decrypt()?).map_err(corrupt)?),
                "judgment" => entry.judgments.push(serde_json::from_str(&decrypt()?).map_err(corrupt)?),
                _ => {}
            }
        }
        // the person register's persons, where it has them: suspects linked to cases of one
        // person are one person
        let person_of_case = self.maintained_person_ids(&country).await?.unwrap_or_default();
        let suspects = self.store.suspects_in(&country).await?;
        // the person-linkage engine's persons among the natural persons, with the answers of
        // the police and prosecutors that two suspects are (or are not) the same person
        let mut linkage = Vec::new();
        for row in suspects.iter().filter(|r| r.kind == "natural") {
            let name = self.keys.decrypt_str(&ctx("suspects", "name", &row.id), &row.name)?;
            let sex = row.sex.as_deref().and_then(|s| <Sex as Coded>::parse_code("sex", s).ok());
            linkage.push((row.id.clone(), suspect_facts(&name, sex, row.citizenship.clone())));
        }
        let mut person_keys = self.suspect_person_keys(&country, &linkage).await?;
        let mut facts = Vec::new();
        let mut legal_persons = 0u64;
        for row in suspects {
            if row.kind != "natural" {
                legal_persons += 1;
                continue;
            }
            let Some(inv) = offences.get(&row.investigation_id) else { continue };
            let mut keys = Vec::new();
            if let Some(case) = &row.case_id {
                keys.push(format!("case:{}", person_of_case.get(case).unwrap_or(case)));
            }
            keys.extend(person_keys.remove(&row.id).unwrap_or_default());
            let citizen = row.citizenship.as_deref().map_or_else(|| "UNK".to_owned(), crate::stats::first_citizenship);
            let sex = crate::stats::sex_code(row.sex.as_deref().unwrap_or(""));
            let empty = Records::default();
            let recs = records.get(&row.id).unwrap_or(&empty);
            let roles: Vec<ChainRole> =
                row.roles.split(',').filter_map(|r| <ChainRole as Coded>::parse_code("roles", r.trim()).ok()).collect();
            let recorded_on = CalendarDate::from_unix_seconds(row.created_at).ok_or_else(|| corrupt("a date"))?;
            facts.push(SuspectFacts {
                id: row.id.clone(),
                keys,
                sex: sex.to_owned(),
                age: crate::stats::age_code(row.age_group.as_deref().unwrap_or("")).to_owned(),
                citizen,
                suspected: Some(self.suspected(inv, &roles, recs, recorded_on)),
                prosecuted: recs
                    .decisions
                    .iter()
                    .filter(|d| d.outcome.prosecutes())
                    .min_by_key(|d| d.decided_on)
                    .map(|d| self.charged(inv, &recs.charges, d.decided_on)),
                convicted: recs
                    .judgments
                    .iter()
                    .filter(|j| j.verdict == Verdict::Convicted)
                    .min_by_key(|j| j.judged_on)
                    .map(|j| self.charged(inv, &recs.charges, j.judged_on)),
            });
        }
        let person = proceedings::persons(&facts);
        let persons = person.iter().max().map_or(0, |p| *p as u64 + 1);
        let counting = OffenderCounting {
            suspects: facts.len() as u64,
            persons,
            merged: facts.len() as u64 - persons,
            legal_persons,
            method: OFFENDER_METHOD.to_owned(),
        };
        let out = proceedings::offender_records(&country, year, &facts)
            .map_err(|field| corrupt(format_args!("no statistical {field} code")))?;
        Ok((out, counting))
    }

    /// The amounts frozen, seized, confiscated and realised in `year` in the principal's country
    /// (Dir 2011/36 Art 7), in euro, each published only when at least `threshold` investigations
    /// contribute and none dominates ([`haven_stats::amounts`]). The caller has checked the
    /// principal's permission.
    pub(crate) async fn asset_amounts(
        &self,
        principal: &Principal,
        year: u16,
        threshold: u64,
    ) -> AppResult<Vec<AmountFigure>> {
        let country = principal.organisation.jurisdiction.code();
        let measures: Vec<MeasureFacts> = self
            .store
            .asset_measure_facts_in(country)
            .await?
            .into_iter()
            .map(|r| MeasureFacts {
                investigation_id: r.investigation_id,
                asset_id: r.asset_id,
                kind: r.kind,
                on: r.measure_on,
                amount_euro_cents: r.amount_euro_cents,
                asset_value_euro_cents: r.value_euro_cents,
            })
            .collect();
        Ok(amount_figures(year, &measures, threshold))
    }

    /// The form of exploitation the investigation's offences of one family are counted under:
    /// the first form of the first such offence.
    fn form_of(&self, inv: &Investigation, trafficking: bool) -> Option<String> {
        inv.offences
            .iter()
            .find(|o| is_trafficking(o.kind) == trafficking)
            .and_then(|o| o.forms.first())
            .map(|f| self.exploit_code(f.as_str()).to_owned())
    }

    /// A stage reached on `on` for the offences the suspect is charged with (by then, else any
    /// of the charges), each under the investigation's form of exploitation of that offence.
    fn charged(&self, inv: &Investigation, charges: &[Charge], on: CalendarDate) -> StageFacts {
        let before: Vec<&Charge> = charges.iter().filter(|c| c.charged_on <= on).collect();
        let used: Vec<&Charge> = if before.is_empty() { charges.iter().collect() } else { before };
        let any = |trafficking: bool| used.iter().any(|c| is_trafficking(c.offence) == trafficking);
        let form = |trafficking: bool| {
            any(trafficking).then(|| self.form_of(inv, trafficking).unwrap_or_else(|| "OTH_OTH".to_owned()))
        };
        StageFacts { on: on.to_string(), trafficking: form(true), use_of_services: form(false) }
    }

    /// When a suspect was first known as one, and for which offences: by the charges when there
    /// are any, else by the roles and the investigation's offences (a user of services in an
    /// investigation of the Art 18a offence, anybody else in one of Arts 2 and 3).
    fn suspected(
        &self,
        inv: &Investigation,
        roles: &[ChainRole],
        recs: &Records,
        recorded_on: CalendarDate,
    ) -> StageFacts {
        let on = recs
            .charges
            .iter()
            .map(|c| c.charged_on)
            .chain(recs.decisions.iter().map(|d| d.decided_on))
            .chain(recs.judgments.iter().map(|j| j.judged_on))
            .fold(recorded_on, CalendarDate::min);
        if !recs.charges.is_empty() {
            return self.charged(inv, &recs.charges, on);
        }
        let has_trafficking = inv.offences.iter().any(|o| is_trafficking(o.kind));
        let has_use = inv.offences.iter().any(|o| !is_trafficking(o.kind));
        let user_role = roles.contains(&ChainRole::UserOfServices);
        let other_role = roles.iter().any(|r| *r != ChainRole::UserOfServices);
        let trafficker = has_trafficking && (other_role || !has_use);
        let user = has_use && (user_role || !has_trafficking);
        StageFacts {
            on: on.to_string(),
            trafficking: if trafficker { self.form_of(inv, true) } else { None },
            use_of_services: if user { self.form_of(inv, false) } else { None },
        }
    }
}
