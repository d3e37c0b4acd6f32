//! The release cube: concepts (SDMX dimensions) with their code lists, and tables as
//! projections of one cube.
//!
//! A table has a few dimensions, each with its codes and the code of its total (`_T`, or a
//! parent code for a breakdown of one category, like the sub-forms of "other" exploitation).
//! Its values are dense, row-major over `(codes.len() + 1)` positions per dimension, the last
//! position of each dimension being its total. A cell is identified across tables by its
//! [`CellKey`] (indicator and every non-total code), so the same statistic published in two
//! tables of one release is one cell: disclosure control and differential privacy treat the
//! release as one system of linked tables.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The code of a total.
pub const TOTAL: &str = "_T";

/// A statistical concept: one dimension of the cube, named as in the SDMX exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Concept {
    /// Legal status of the victim: identified, presumed, or notified anonymously.
    VictStat,
    Sex,
    /// Age group (nine classes).
    Age,
    /// Child, adult or unknown.
    AgeClass,
    /// Citizenship group relative to the reporting country.
    CitizenGroup,
    /// Country of citizenship (ISO 3166 alpha-2, or `UNK`).
    Citizen,
    /// Form of exploitation, with the sub-forms of "other" below `OTH`.
    Exploit,
    /// Kind of the registering organisation.
    OrgKind,
}

impl Concept {
    /// Every concept in the order of the SDMX key.
    pub const ALL: [Concept; 8] = [
        Concept::VictStat,
        Concept::Sex,
        Concept::Age,
        Concept::AgeClass,
        Concept::CitizenGroup,
        Concept::Citizen,
        Concept::Exploit,
        Concept::OrgKind,
    ];

    /// The SDMX dimension id.
    pub fn id(self) -> &'static str {
        match self {
            Concept::VictStat => "VICT_STAT",
            Concept::Sex => "SEX",
            Concept::Age => "AGE",
            Concept::AgeClass => "AGE_CLASS",
            Concept::CitizenGroup => "CITIZEN_GRP",
            Concept::Citizen => "CITIZEN",
            Concept::Exploit => "EXPLOIT",
            Concept::OrgKind => "ORG_KIND",
        }
    }

    pub fn from_id(id: &str) -> Option<Concept> {
        Concept::ALL.into_iter().find(|c| c.id() == id)
    }

    /// Position in [`Concept::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Concept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// What is counted: registered victims, or victims given something, or (through the
/// proceedings seam) traffickers at a stage of criminal proceedings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Indicator {
    /// Registered victims (identified and presumed, and anonymous notifications).
    Registered,
    /// Victims assisted (a support service under way or given in the year).
    Assisted,
    /// Victims given a recovery and reflection period.
    Reflection,
    /// Victims given a residence permit.
    ResidencePermit,
    /// Suspected traffickers.
    Suspected,
    /// Prosecuted traffickers.
    Prosecuted,
    /// Convicted traffickers.
    Convicted,
    /// Persons suspected of knowingly using services exploited from a victim of trafficking (the
    /// offence of Dir 2011/36 Art 18a, inserted by Dir 2024/1712).
    UseSuspected,
    /// Persons prosecuted for that offence.
    UseProsecuted,
    /// Persons convicted of that offence.
    UseConvicted,
}

impl Indicator {
    pub const ALL: [Indicator; 10] = [
        Indicator::Registered,
        Indicator::Assisted,
        Indicator::Reflection,
        Indicator::ResidencePermit,
        Indicator::Suspected,
        Indicator::Prosecuted,
        Indicator::Convicted,
        Indicator::UseSuspected,
        Indicator::UseProsecuted,
        Indicator::UseConvicted,
    ];

    /// The indicators of persons at a stage of criminal proceedings: traffickers, then users of
    /// services exploited from a victim (Dir 2024/1712 Art 18a).
    pub const OFFENDERS: [Indicator; 6] = [
        Indicator::Suspected,
        Indicator::Prosecuted,
        Indicator::Convicted,
        Indicator::UseSuspected,
        Indicator::UseProsecuted,
        Indicator::UseConvicted,
    ];

    /// The SDMX code (dimension `INDICATOR`).
    pub fn code(self) -> &'static str {
        match self {
            Indicator::Registered => "VICT_REG",
            Indicator::Assisted => "VICT_ASSIST",
            Indicator::Reflection => "VICT_REFLECT",
            Indicator::ResidencePermit => "VICT_PERMIT",
            Indicator::Suspected => "TRAF_SUSP",
            Indicator::Prosecuted => "TRAF_PROS",
            Indicator::Convicted => "TRAF_CONV",
            Indicator::UseSuspected => "USE_SUSP",
            Indicator::UseProsecuted => "USE_PROS",
            Indicator::UseConvicted => "USE_CONV",
        }
    }

    pub fn from_code(code: &str) -> Option<Indicator> {
        Indicator::ALL.into_iter().find(|i| i.code() == code)
    }

    /// Whether this counts traffickers (filled by the proceedings module once it exists).
    pub fn is_trafficker(self) -> bool {
        matches!(self, Indicator::Suspected | Indicator::Prosecuted | Indicator::Convicted)
    }

    /// Whether this counts persons who knowingly used services exploited from a victim (Dir
    /// 2024/1712 Art 18a).
    pub fn is_service_user(self) -> bool {
        matches!(self, Indicator::UseSuspected | Indicator::UseProsecuted | Indicator::UseConvicted)
    }

    /// Whether this counts offenders (traffickers or users of services) rather than victims:
    /// until the proceedings module exists these come only from files and the API.
    pub fn is_offender(self) -> bool {
        self.is_trafficker() || self.is_service_user()
    }
}

/// One dimension of a table: a concept, the codes shown (in order) and the code of their total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableDim {
    pub concept: Concept,
    pub codes: Vec<String>,
    /// `_T`, or the parent code the codes break down (`OTH` for the sub-forms of other).
    pub total: String,
}

impl TableDim {
    pub fn new(concept: Concept, codes: &[&str]) -> TableDim {
        TableDim { concept, codes: codes.iter().map(|c| (*c).to_owned()).collect(), total: TOTAL.to_owned() }
    }

    /// Number of positions: the codes and the total.
    pub fn positions(&self) -> usize {
        self.codes.len() + 1
    }

    /// The code at a position (the last position is the total).
    pub fn code_at(&self, pos: usize) -> &str {
        self.codes.get(pos).map_or(self.total.as_str(), String::as_str)
    }
}

/// What a table is: an id (stable, used in files and URLs), the indicator it counts and its
/// dimensions. Tables of one release are linked through their shared cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSpec {
    pub id: String,
    pub indicator: Indicator,
    pub dims: Vec<TableDim>,
}

impl TableSpec {
    /// Number of cells, margins included.
    pub fn len(&self) -> usize {
        self.dims.iter().map(TableDim::positions).product()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row-major index of a cell from its positions.
    pub fn index(&self, pos: &[usize]) -> usize {
        let mut i = 0;
        for (d, p) in self.dims.iter().zip(pos) {
            i = i * d.positions() + p;
        }
        i
    }

    /// Positions of a cell from its index.
    pub fn positions_of(&self, mut index: usize) -> Vec<usize> {
        let mut pos = vec![0; self.dims.len()];
        for (k, d) in self.dims.iter().enumerate().rev() {
            pos[k] = index % d.positions();
            index /= d.positions();
        }
        pos
    }

    /// Whether a cell is an inner cell (no total in any dimension).
    pub fn is_inner(&self, index: usize) -> bool {
        self.positions_of(index).iter().zip(&self.dims).all(|(p, d)| *p < d.codes.len())
    }

    /// The cube key of a cell.
    pub fn key(&self, index: usize) -> CellKey {
        let pos = self.positions_of(index);
        let mut codes: Vec<(Concept, String)> = self
            .dims
            .iter()
            .zip(&pos)
            .map(|(d, p)| (d.concept, d.code_at(*p).to_owned()))
            .filter(|(_, c)| c != TOTAL)
            .collect();
        codes.sort();
        CellKey { indicator: self.indicator, codes }
    }

    /// The additive relations of the table: for every dimension and every line along it, the
    /// index of the total cell and the indices of its parts.
    pub fn relations(&self) -> Vec<Relation> {
        let mut out = Vec::new();
        for (k, d) in self.dims.iter().enumerate() {
            for total in 0..self.len() {
                let pos = self.positions_of(total);
                if pos[k] != d.codes.len() {
                    continue;
                }
                let parts = (0..d.codes.len())
                    .map(|c| {
                        let mut p = pos.clone();
                        p[k] = c;
                        self.index(&p)
                    })
                    .collect();
                out.push(Relation { total, parts });
            }
        }
        out
    }
}

/// `total = sum(parts)`, as cell indices of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub total: usize,
    pub parts: Vec<usize>,
}

/// The identity of a statistic in the cube: the indicator and every code that is not a total
/// (sorted by concept). Equal keys in two tables are the same cell.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CellKey {
    pub indicator: Indicator,
    pub codes: Vec<(Concept, String)>,
}

impl CellKey {
    /// The code of a concept in this cell (`_T` when the cell is a total over it).
    pub fn code(&self, concept: Concept) -> &str {
        self.codes.iter().find(|(c, _)| *c == concept).map_or(TOTAL, |(_, v)| v.as_str())
    }
}

/// A table with its true counts (margins included), as built from the case data. Never leaves
/// the country as it is: a release applies disclosure control or differential privacy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub spec: TableSpec,
    pub values: Vec<u64>,
}

impl Table {
    /// A table from its inner counts (row-major over the codes only); margins are summed.
    pub fn from_inner(spec: TableSpec, inner: &[u64]) -> Table {
        let mut values = vec![0u64; spec.len()];
        let inner_dims: Vec<usize> = spec.dims.iter().map(|d| d.codes.len()).collect();
        let n_dims = spec.dims.len();
        for (i, v) in inner.iter().enumerate() {
            if *v == 0 {
                continue;
            }
            // positions of the inner cell
            let mut rest = i;
            let mut pos = vec![0usize; n_dims];
            for k in (0..n_dims).rev() {
                pos[k] = rest % inner_dims[k].max(1);
                rest /= inner_dims[k].max(1);
            }
            // add to every cell obtained by replacing any subset of positions with the total
            for mask in 0u32..(1u32 << n_dims) {
                let mut p = pos.clone();
                for (k, pk) in p.iter_mut().enumerate() {
                    if mask & (1 << k) != 0 {
                        *pk = inner_dims[k];
                    }
                }
                values[spec.index(&p)] += v;
            }
        }
        Table { spec, values }
    }

    /// The grand total.
    pub fn total(&self) -> u64 {
        self.values.last().copied().unwrap_or(0)
    }
}

/// Confidentiality status of a published cell (SDMX `CONF_STATUS`).
///
/// Every hidden cell has the one status `C`, whatever the reason it is hidden: a status telling
/// small cells (primary) from cells hidden to protect them (secondary) would tell an attacker
/// that a cell holds 1 to threshold − 1 persons. Which hidden cells were small stays inside the
/// instance (the audit), never in an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConfStatus {
    /// `F`: free for publication.
    Free,
    /// `C`: confidential (flag `c`), never with a value. Releases and files stored before the
    /// one status said `Primary` or `Secondary`: both are read as confidential.
    #[serde(alias = "Primary", alias = "Secondary")]
    Confidential,
}

impl ConfStatus {
    /// The code written: `F` or `C`.
    pub fn code(self) -> &'static str {
        match self {
            ConfStatus::Free => "F",
            ConfStatus::Confidential => "C",
        }
    }

    /// Reads a code of the SDMX code list `CL_CONF_STATUS`. `C` is what Haven writes; `A`
    /// (primary), `D` and `S` (secondary) and `N` (not for publication), which other systems
    /// write, are read as confidential, the distinction dropped.
    pub fn from_code(code: &str) -> Option<ConfStatus> {
        match code {
            "F" => Some(ConfStatus::Free),
            "C" | "A" | "D" | "S" | "N" => Some(ConfStatus::Confidential),
            _ => None,
        }
    }

    pub fn is_suppressed(self) -> bool {
        self != ConfStatus::Free
    }
}

/// One published statistic: a cell of the cube with its value and flags.
///
/// `value` is `None` when the cell is confidential (`conf` is not free) or unknown (blank:
/// "we do not know"); `Some(0)` means "known: none". The two are never merged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub key: CellKey,
    pub value: Option<u64>,
    pub conf: ConfStatus,
    /// For a differentially private release: the standard deviation of the noise in this cell,
    /// in persons (the expected error published with it).
    pub error: Option<f64>,
}

impl Observation {
    /// Whether the value is unknown (blank) rather than confidential.
    pub fn is_unknown(&self) -> bool {
        self.value.is_none() && !self.conf.is_suppressed()
    }
}

/// What one country publishes for one reference year: its observations, one per distinct cell
/// (a cell shared by several tables appears once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// ISO 3166 alpha-2 code of the reporting country (`REF_AREA`).
    pub country: String,
    /// The reference year (`TIME_PERIOD`).
    pub year: u16,
    pub observations: Vec<Observation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> TableSpec {
        TableSpec {
            id: "t".into(),
            indicator: Indicator::Registered,
            dims: vec![
                TableDim::new(Concept::Sex, &["F", "M"]),
                TableDim::new(Concept::Exploit, &["SEX", "LAB", "OTH"]),
            ],
        }
    }

    #[test]
    fn margins_are_the_sums_of_the_inner_cells() {
        let t = Table::from_inner(spec(), &[1, 2, 3, 4, 5, 6]);
        // rows F, M, _T; columns SEX, LAB, OTH, _T
        assert_eq!(t.values, vec![1, 2, 3, 6, 4, 5, 6, 15, 5, 7, 9, 21]);
        assert_eq!(t.total(), 21);
        for r in t.spec.relations() {
            let sum: u64 = r.parts.iter().map(|p| t.values[*p]).sum();
            assert_eq!(t.values[r.total], sum);
        }
        assert_eq!(t.spec.relations().len(), 4 + 3);
    }

    #[test]
    fn keys_leave_out_totals_and_link_tables() {
        let s = spec();
        let k = s.key(s.index(&[0, 3]));
        assert_eq!(k.codes, vec![(Concept::Sex, "F".to_owned())]);
        assert_eq!(k.code(Concept::Exploit), TOTAL);
        let one_dim = TableSpec {
            id: "u".into(),
            indicator: Indicator::Registered,
            dims: vec![TableDim::new(Concept::Sex, &["F", "M"])],
        };
        assert_eq!(one_dim.key(0), k);
        assert!(s.is_inner(0));
        assert!(!s.is_inner(3));
    }
}
