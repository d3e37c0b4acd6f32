//! The national tables: what a national rapporteur reports for a reference year, built from
//! one record per **person** (records of the same person are linked before they get here).

use crate::codes::{self, AGE, AGE_CLASS, CITIZEN_GRP, EXPLOIT, EXPLOIT_OTHER, ORG_KIND, SEX, VICT_STAT};
use crate::model::{Concept, Indicator, Table, TableDim, TableSpec};
use serde::{Deserialize, Serialize};

/// The finest codes of the exploitation concept a person is counted under: the three groups
/// with "other" broken down into its sub-forms.
pub const EXPLOIT_FINE: &[&str] =
    &["SEX", "LAB", "OTH_SLAV", "OTH_SERV", "OTH_CRIM", "OTH_ORGAN", "OTH_SURR", "OTH_MARR", "OTH_ADOPT", "OTH_OTH"];

/// A country of citizenship as two ASCII capitals; `[0, 0]` is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct Country(pub [u8; 2]);

impl Country {
    pub const UNKNOWN: Country = Country([0, 0]);

    /// `None` unless two ASCII capitals or `UNK`. An ISO code that Eurostat writes otherwise is
    /// kept as Eurostat's (`GR` → `EL`, `GB` → `UK`; see [`codes::to_eurostat`]).
    pub fn parse(code: &str) -> Option<Country> {
        if code == "UNK" {
            return Some(Country::UNKNOWN);
        }
        match codes::to_eurostat(code).as_bytes() {
            [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => Some(Country([*a, *b])),
            _ => None,
        }
    }

    pub fn code(self) -> String {
        if self == Country::UNKNOWN { "UNK".to_owned() } else { String::from_utf8_lossy(&self.0).into_owned() }
    }

    fn slot(self) -> usize {
        usize::from(self.0[0]) << 8 | usize::from(self.0[1])
    }
}

/// One victim (a person, after linkage) registered in the reference year, with every coded
/// value as an index into the code lists of [`crate::codes`] ([`EXPLOIT_FINE`] for the form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub vict_stat: u8,
    pub sex: u8,
    pub age: u8,
    pub age_class: u8,
    pub citizen_group: u8,
    pub citizen: Country,
    /// The main form of exploitation (index into [`EXPLOIT_FINE`]).
    pub exploit: u8,
    pub org_kind: u8,
    pub assisted: bool,
    pub reflection: bool,
    pub permit: bool,
}

/// Index of `code` in `list`, for building records from codes.
pub fn code_index(list: &[&str], code: &str) -> Option<u8> {
    list.iter().position(|c| *c == code).and_then(|i| u8::try_from(i).ok())
}

impl PersonRecord {
    /// The record from codes (the country code relative to `reporting` gives the group).
    /// `None` names the first code that is not in its list.
    #[allow(clippy::too_many_arguments)]
    pub fn from_codes(
        reporting: &str,
        vict_stat: &str,
        sex: &str,
        age: &str,
        age_class: &str,
        citizen: &str,
        exploit: &str,
        org_kind: &str,
        assisted: bool,
        reflection: bool,
        permit: bool,
    ) -> Result<PersonRecord, &'static str> {
        let country = Country::parse(citizen).ok_or("citizen")?;
        Ok(PersonRecord {
            vict_stat: code_index(VICT_STAT, vict_stat).ok_or("vict_stat")?,
            sex: code_index(SEX, sex).ok_or("sex")?,
            age: code_index(AGE, age).ok_or("age")?,
            age_class: code_index(AGE_CLASS, age_class).ok_or("age_class")?,
            citizen_group: code_index(CITIZEN_GRP, codes::citizen_group(reporting, &country.code()))
                .ok_or("citizen")?,
            citizen: country,
            exploit: code_index(EXPLOIT_FINE, exploit).ok_or("exploit")?,
            org_kind: code_index(ORG_KIND, org_kind).ok_or("org_kind")?,
            assisted,
            reflection,
            permit,
        })
    }

    fn counts_for(&self, indicator: Indicator) -> bool {
        match indicator {
            Indicator::Registered => true,
            Indicator::Assisted => self.assisted,
            Indicator::Reflection => self.reflection,
            Indicator::ResidencePermit => self.permit,
            Indicator::Suspected
            | Indicator::Prosecuted
            | Indicator::Convicted
            | Indicator::UseSuspected
            | Indicator::UseProsecuted
            | Indicator::UseConvicted => false,
        }
    }

    /// The record's value of a concept, as a slot of that concept's universe (see `universe`).
    fn slot(&self, concept: Concept) -> usize {
        match concept {
            Concept::VictStat => usize::from(self.vict_stat),
            Concept::Sex => usize::from(self.sex),
            Concept::Age => usize::from(self.age),
            Concept::AgeClass => usize::from(self.age_class),
            Concept::CitizenGroup => usize::from(self.citizen_group),
            Concept::Citizen => self.citizen.slot(),
            Concept::Exploit => usize::from(self.exploit),
            Concept::OrgKind => usize::from(self.org_kind),
        }
    }
}

/// An offender at a stage of criminal proceedings — a trafficker, or a person who knowingly used
/// services exploited from a victim (Dir 2024/1712 Art 18a) — counted once per stage in the
/// reference year: the seam for the proceedings module. Until it exists no such records are
/// given from the case data, and the offender tables come only from files and the API at the EU
/// hub (a national release says so). Every coded value is an index into the code lists of
/// [`crate::codes`] ([`EXPLOIT_FINE`] for the form, counted under its group).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffenderRecord {
    /// One of [`Indicator::OFFENDERS`].
    pub stage: Indicator,
    pub sex: u8,
    pub age: u8,
    pub citizen_group: u8,
    /// The main form of exploitation (index into [`EXPLOIT_FINE`]).
    pub exploit: u8,
}

impl OffenderRecord {
    /// The record from codes; the citizenship group is taken from the country of citizenship
    /// relative to `reporting`. `Err` names the first value that is not in its list.
    pub fn from_codes(
        reporting: &str,
        stage: Indicator,
        sex: &str,
        age: &str,
        citizen: &str,
        exploit: &str,
    ) -> Result<OffenderRecord, &'static str> {
        if !stage.is_offender() {
            return Err("stage");
        }
        let country = Country::parse(citizen).ok_or("citizen")?;
        Ok(OffenderRecord {
            stage,
            sex: code_index(SEX, sex).ok_or("sex")?,
            age: code_index(AGE, age).ok_or("age")?,
            citizen_group: code_index(CITIZEN_GRP, codes::citizen_group(reporting, &country.code()))
                .ok_or("citizen")?,
            exploit: code_index(EXPLOIT_FINE, exploit).ok_or("exploit")?,
        })
    }

    /// The record's value of a concept as a slot of that concept's universe (`usize::MAX`: the
    /// concept is not a breakdown of offenders).
    fn slot(&self, concept: Concept) -> usize {
        match concept {
            Concept::Sex => usize::from(self.sex),
            Concept::Age => usize::from(self.age),
            Concept::CitizenGroup => usize::from(self.citizen_group),
            Concept::Exploit => usize::from(self.exploit),
            _ => usize::MAX,
        }
    }
}

/// The offender tables: for each stage of [`Indicator::OFFENDERS`], by sex and age group, by sex
/// and citizenship group, and by sex and form of exploitation.
pub fn offender_tables() -> Vec<TableSpec> {
    let mut out = Vec::new();
    for stage in Indicator::OFFENDERS {
        for (suffix, dim) in [
            ("SEX_AGE", TableDim::new(Concept::Age, AGE)),
            ("SEX_CITIZEN_GRP", TableDim::new(Concept::CitizenGroup, CITIZEN_GRP)),
            ("SEX_EXPLOIT", TableDim::new(Concept::Exploit, EXPLOIT)),
        ] {
            out.push(TableSpec {
                id: format!("{}_{suffix}", stage.code()),
                indicator: stage,
                dims: vec![TableDim::new(Concept::Sex, SEX), dim],
            });
        }
    }
    out
}

/// The code of every slot of a concept's universe (`None` for slots no record can hold).
fn universe_code(concept: Concept, slot: usize) -> Option<String> {
    let fixed = |list: &[&str]| list.get(slot).map(|c| (*c).to_owned());
    match concept {
        Concept::VictStat => fixed(VICT_STAT),
        Concept::Sex => fixed(SEX),
        Concept::Age => fixed(AGE),
        Concept::AgeClass => fixed(AGE_CLASS),
        Concept::CitizenGroup => fixed(CITIZEN_GRP),
        Concept::Exploit => fixed(EXPLOIT_FINE),
        Concept::OrgKind => fixed(ORG_KIND),
        Concept::Citizen => {
            let c = Country([(slot >> 8) as u8, (slot & 0xff) as u8]);
            (c == Country::UNKNOWN || c.0.iter().all(u8::is_ascii_uppercase)).then(|| c.code())
        }
    }
}

fn universe_len(concept: Concept) -> usize {
    match concept {
        Concept::Citizen => 1 << 16,
        Concept::Exploit => EXPLOIT_FINE.len(),
        other => codes::codes(other).map_or(0, <[&str]>::len),
    }
}

/// For one table dimension: the position of every universe slot (`None`: not in the table).
fn lookup(dim: &TableDim) -> Vec<Option<u32>> {
    let n = universe_len(dim.concept);
    let mut out = vec![None; n];
    for (slot, o) in out.iter_mut().enumerate() {
        let Some(code) = universe_code(dim.concept, slot) else { continue };
        let mut c: Option<&str> = Some(code.as_str());
        while let Some(code) = c {
            if let Some(p) = dim.codes.iter().position(|x| x == code) {
                *o = u32::try_from(p).ok();
                break;
            }
            c = codes::parent(dim.concept, code);
        }
    }
    out
}

/// The national tables of a reference year. `citizens` are the countries of citizenship shown
/// in the citizenship table (those present in the data, sorted, `UNK` last); `proceedings`
/// says whether the offender tables of [`offender_tables`] are produced (the proceedings module
/// is the seam; until it exists they come from files and the API).
pub fn national_tables(citizens: &[String], proceedings: bool) -> Vec<TableSpec> {
    let sex = || TableDim::new(Concept::Sex, SEX);
    let spec = |id: &str, indicator, dims| TableSpec { id: id.to_owned(), indicator, dims };
    let mut out = vec![
        spec("VICT_STAT_SEX", Indicator::Registered, vec![sex(), TableDim::new(Concept::VictStat, VICT_STAT)]),
        spec("VICT_SEX_AGE", Indicator::Registered, vec![sex(), TableDim::new(Concept::Age, AGE)]),
        spec("VICT_SEX_AGE_CLASS", Indicator::Registered, vec![sex(), TableDim::new(Concept::AgeClass, AGE_CLASS)]),
        spec(
            "VICT_SEX_CITIZEN_GRP",
            Indicator::Registered,
            vec![sex(), TableDim::new(Concept::CitizenGroup, CITIZEN_GRP)],
        ),
        spec(
            "VICT_SEX_CITIZEN",
            Indicator::Registered,
            vec![
                sex(),
                TableDim { concept: Concept::Citizen, codes: citizens.to_vec(), total: crate::model::TOTAL.to_owned() },
            ],
        ),
        spec("VICT_SEX_EXPLOIT", Indicator::Registered, vec![sex(), TableDim::new(Concept::Exploit, EXPLOIT)]),
        spec(
            "VICT_SEX_EXPLOIT_OTH",
            Indicator::Registered,
            vec![
                sex(),
                TableDim {
                    concept: Concept::Exploit,
                    codes: EXPLOIT_OTHER.iter().map(|c| (*c).to_owned()).collect(),
                    total: "OTH".to_owned(),
                },
            ],
        ),
        spec(
            "VICT_AGE_CLASS_EXPLOIT",
            Indicator::Registered,
            vec![TableDim::new(Concept::AgeClass, AGE_CLASS), TableDim::new(Concept::Exploit, EXPLOIT)],
        ),
        spec("VICT_SEX_ORG_KIND", Indicator::Registered, vec![sex(), TableDim::new(Concept::OrgKind, ORG_KIND)]),
        spec("ASSIST_SEX_AGE_CLASS", Indicator::Assisted, vec![sex(), TableDim::new(Concept::AgeClass, AGE_CLASS)]),
        spec("REFLECT_SEX_AGE_CLASS", Indicator::Reflection, vec![sex(), TableDim::new(Concept::AgeClass, AGE_CLASS)]),
        spec(
            "PERMIT_SEX_AGE_CLASS",
            Indicator::ResidencePermit,
            vec![sex(), TableDim::new(Concept::AgeClass, AGE_CLASS)],
        ),
    ];
    if proceedings {
        out.extend(offender_tables());
    }
    out
}

/// The countries of citizenship present in the records, sorted, unknown last.
pub fn citizens_of(records: &[PersonRecord]) -> Vec<String> {
    let mut seen = vec![false; 1 << 16];
    for r in records {
        seen[r.citizen.slot()] = true;
    }
    let mut out: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(slot, s)| **s && *slot != 0)
        .filter_map(|(slot, _)| universe_code(Concept::Citizen, slot))
        .collect();
    out.sort();
    if seen[0] {
        out.push("UNK".to_owned());
    }
    out
}

/// Counts the records into every table (margins included). A record counts in a table when the
/// table's indicator applies to it and each of its values falls under one of the table's codes.
pub fn build(specs: &[TableSpec], records: &[PersonRecord], offenders: &[OffenderRecord]) -> Vec<Table> {
    specs
        .iter()
        .map(|spec| {
            let lookups: Vec<Vec<Option<u32>>> = spec.dims.iter().map(lookup).collect();
            let inner_sizes: Vec<usize> = spec.dims.iter().map(|d| d.codes.len()).collect();
            let mut inner = vec![0u64; inner_sizes.iter().product()];
            let mut count = |slots: &mut dyn Iterator<Item = usize>| {
                let mut idx = 0usize;
                for ((slot, lk), size) in slots.zip(&lookups).zip(&inner_sizes) {
                    match lk.get(slot).copied().flatten() {
                        Some(p) => idx = idx * size + p as usize,
                        None => return,
                    }
                }
                inner[idx] += 1;
            };
            if spec.indicator.is_offender() {
                for o in offenders.iter().filter(|o| o.stage == spec.indicator) {
                    count(&mut spec.dims.iter().map(|d| o.slot(d.concept)));
                }
            } else {
                for r in records.iter().filter(|r| r.counts_for(spec.indicator)) {
                    count(&mut spec.dims.iter().map(|d| r.slot(d.concept)));
                }
            }
            Table::from_inner(spec.clone(), &inner)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn rec(sex: &str, citizen: &str, exploit: &str, assisted: bool) -> PersonRecord {
        PersonRecord::from_codes(
            "LV", "IDENT", sex, "Y18-24", "ADULT", citizen, exploit, "POLICE", assisted, false, false,
        )
        .unwrap()
    }

    #[test]
    fn art_19_dir_2011_36_national_tables_count_persons_and_link_through_shared_cells() {
        let records = vec![
            rec("F", "LV", "SEX", true),
            rec("F", "UA", "OTH_CRIM", false),
            rec("M", "LT", "LAB", true),
            rec("M", "UNK", "OTH_ORGAN", false),
        ];
        let citizens = citizens_of(&records);
        assert_eq!(citizens, vec!["LT", "LV", "UA", "UNK"]);
        let tables = build(&national_tables(&citizens, false), &records, &[]);
        let mut by_key: HashMap<_, u64> = HashMap::new();
        for t in &tables {
            for (i, v) in t.values.iter().enumerate() {
                let k = t.spec.key(i);
                if let Some(prev) = by_key.insert(k.clone(), *v) {
                    assert_eq!(prev, *v, "cell {k:?} differs between tables");
                }
            }
        }
        let form = tables.iter().find(|t| t.spec.id == "VICT_SEX_EXPLOIT").unwrap();
        // F row: SEX 1, LAB 0, OTH 1
        assert_eq!(&form.values[0..4], &[1, 0, 1, 2]);
        let assisted = tables.iter().find(|t| t.spec.id == "ASSIST_SEX_AGE_CLASS").unwrap();
        assert_eq!(assisted.total(), 2);
        let grp = tables.iter().find(|t| t.spec.id == "VICT_SEX_CITIZEN_GRP").unwrap();
        // F: NAT 1, NEU 1; M: EU 1, UNK 1
        assert_eq!(&grp.values[0..5], &[1, 0, 1, 0, 2]);
        assert_eq!(&grp.values[5..10], &[0, 1, 0, 1, 2]);
        assert!(!tables.iter().any(|t| t.spec.indicator.is_trafficker()));
    }

    #[test]
    fn an_empty_year_gives_empty_tables() {
        let tables = build(&national_tables(&[], true), &[], &[]);
        assert!(tables.iter().all(|t| t.values.iter().all(|v| *v == 0)));
        assert_eq!(tables.len(), 12 + 18);
    }
}
