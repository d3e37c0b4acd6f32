//! Offenders counted as persons from the proceedings data: the records of the trafficker tables
//! of the 2024 annual data set (suspected, prosecuted and convicted traffickers, and persons who
//! knowingly used services exploited from a victim, Dir 2011/36 Art 18a as inserted by Dir
//! 2024/1712), one [`OffenderRecord`] per person and stage in the reference year.
//!
//! The application reads the suspects of the country's investigations and gives each one as a
//! [`SuspectFacts`]: the keys that identify the person, the statistical values, and when each
//! stage was first reached and for which offence. Here the suspects are joined into persons and
//! counted:
//!
//! - **Persons.** Suspects sharing any identity key are one person (the keys are transitive: a
//!   suspect linked to the same identification case as a second, and named like a third, makes
//!   the three one person). The application decides the keys ([`SuspectFacts::keys`]).
//! - **Stages.** Each suspect record reaches a stage at most once: suspected when first known as
//!   a suspect, prosecuted at the first decision to prosecute, convicted at the first conviction
//!   (whatever an appeal decides later). A person is counted in a stage of a year when any of
//!   their records first reached it in that year, and once however many records did. Each stage
//!   is counted on its own: a person convicted this year may have been suspected years before,
//!   so there is no rule that convicted <= prosecuted <= suspected.
//! - **Values.** A person counted in a stage takes sex, age group, citizenship and form of
//!   exploitation from the record that reached it first in the year (by date, then record id).
//! - **Offences.** A record counts as a trafficker's (Art 2 and Art 3 offences) or as a user's of
//!   services exploited from a victim (Art 18a) or both, as the application says per stage; a
//!   person counted under both is in both sets of tables (they are separate indicators, never
//!   added up).

use crate::model::Indicator;
use crate::national::OffenderRecord;
use std::collections::{BTreeMap, HashMap};

/// Which offences a stage was reached for, each with the form of exploitation it is counted
/// under (a code of [`crate::national::EXPLOIT_FINE`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageFacts {
    /// The day the stage was reached, `YYYY-MM-DD`.
    pub on: String,
    /// Reached for trafficking (Dir 2011/36 Arts 2 and 3): the form of exploitation.
    pub trafficking: Option<String>,
    /// Reached for knowingly using services exploited from a victim (Dir 2011/36 Art 18a).
    pub use_of_services: Option<String>,
}

impl StageFacts {
    fn year(&self) -> Option<u16> {
        self.on.get(0..4).and_then(|y| y.parse().ok())
    }
}

/// One suspect record (a natural person in one investigation) as the statistics read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SuspectFacts {
    /// The record's id (orders records reached on the same day).
    pub id: String,
    /// What identifies the person: records sharing any key are the same person.
    pub keys: Vec<String>,
    /// Statistical codes: `F`, `M`, `OTH`, `UNK`.
    pub sex: String,
    /// An age group of [`crate::codes::AGE`].
    pub age: String,
    /// The country of citizenship (two capitals) or `UNK`.
    pub citizen: String,
    pub suspected: Option<StageFacts>,
    pub prosecuted: Option<StageFacts>,
    pub convicted: Option<StageFacts>,
}

/// The person of every record: records sharing a key are one person. Persons are numbered in
/// the order of their first record.
pub fn persons(records: &[SuspectFacts]) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..records.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut first_with: HashMap<&str, usize> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        for k in &r.keys {
            match first_with.get(k.as_str()) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                    }
                }
                None => {
                    first_with.insert(k, i);
                }
            }
        }
    }
    let mut numbers: HashMap<usize, usize> = HashMap::new();
    (0..records.len())
        .map(|i| {
            let root = find(&mut parent, i);
            let next = numbers.len();
            *numbers.entry(root).or_insert(next)
        })
        .collect()
}

/// The stage a record reached for an indicator, with the form it counts under.
fn reached(r: &SuspectFacts, indicator: Indicator) -> Option<(&StageFacts, &str)> {
    let stage = match indicator {
        Indicator::Suspected | Indicator::UseSuspected => r.suspected.as_ref(),
        Indicator::Prosecuted | Indicator::UseProsecuted => r.prosecuted.as_ref(),
        Indicator::Convicted | Indicator::UseConvicted => r.convicted.as_ref(),
        _ => None,
    }?;
    let form =
        if indicator.is_service_user() { stage.use_of_services.as_deref() } else { stage.trafficking.as_deref() };
    form.map(|f| (stage, f))
}

/// The offender records of `year` in the country `reporting`: one per person and stage reached
/// in the year (see the module's rules). `Err` names the first value of a record that is not a
/// statistical code.
pub fn offender_records(
    reporting: &str,
    year: u16,
    records: &[SuspectFacts],
) -> Result<Vec<OffenderRecord>, &'static str> {
    let person = persons(records);
    let mut out = Vec::new();
    for indicator in Indicator::OFFENDERS {
        // the person's first record to reach the stage in the year: (date, id) -> record
        let mut first: BTreeMap<usize, (&str, &str, usize, &str)> = BTreeMap::new();
        for (i, r) in records.iter().enumerate() {
            let Some((stage, form)) = reached(r, indicator) else { continue };
            if stage.year() != Some(year) {
                continue;
            }
            let candidate = (stage.on.as_str(), r.id.as_str(), i, form);
            first
                .entry(person[i])
                .and_modify(|c| {
                    if (candidate.0, candidate.1) < (c.0, c.1) {
                        *c = candidate;
                    }
                })
                .or_insert(candidate);
        }
        for (_, _, i, form) in first.into_values() {
            let r = &records[i];
            out.push(OffenderRecord::from_codes(reporting, indicator, &r.sex, &r.age, &r.citizen, form)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(id: &str, keys: &[&str]) -> SuspectFacts {
        SuspectFacts {
            id: id.into(),
            keys: keys.iter().map(|k| (*k).to_owned()).collect(),
            sex: "M".into(),
            age: "Y35-44".into(),
            citizen: "LV".into(),
            ..SuspectFacts::default()
        }
    }

    #[test]
    fn records_sharing_a_key_are_one_person_transitively() {
        let r =
            vec![facts("a", &["case:1"]), facts("b", &["name:x"]), facts("c", &["case:1", "name:x"]), facts("d", &[])];
        assert_eq!(persons(&r), vec![0, 0, 0, 1]);
        assert_eq!(persons(&[facts("a", &[]), facts("b", &[])]), vec![0, 1], "no key: a person of their own");
    }
}
