//! The release as one system of linear relations over its distinct cells: every table's sums,
//! every cell shared by tables, and the relations between tables of [`crate::relations`]
//! (citizenship groups and their countries, age classes and their age groups, victims given
//! something and those registered).
//!
//! An inequality `sum(parts) <= whole` is an equality with one more part that is never
//! published: a **latent** cell, `whole - sum(parts)` (the children of unknown age group, say).
//! A latent cell is always hidden, never primary and never reported; it lets the suppression
//! search and the audit treat every relation as a sum.

use super::{Earlier, SdcError, SdcParams};
use crate::model::{CellKey, Table};
use crate::relations::{Bound, CubeRelation};
use std::collections::HashMap;

/// A distinct cell of the release (one statistic, possibly shown in several tables).
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    pub value: u64,
    /// The cell's key (for a latent cell: the key of the whole it completes).
    pub key: CellKey,
    /// Every `(table, index)` that shows this cell, in input order (none for a latent cell).
    pub shown: Vec<(usize, usize)>,
    /// A grand total (no code in any dimension).
    pub grand_total: bool,
    /// The unpublished slack of an inequality: always hidden, never primary.
    pub latent: bool,
}

/// `total = sum(parts)` over distinct cells.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Rel {
    pub total: usize,
    pub parts: Vec<usize>,
}

/// Distinct cells, relations, and the cell of every table position.
#[derive(Debug, Clone)]
pub(crate) struct System {
    pub cells: Vec<Cell>,
    pub rels: Vec<Rel>,
    /// `cell_of[table][index]`.
    pub cell_of: Vec<Vec<usize>>,
    /// Relations each cell takes part in.
    pub rels_of: Vec<Vec<usize>>,
}

impl System {
    /// The system of `tables` with the relations between them: those that do not hold in the
    /// true counts are left out (a relation the data do not satisfy tells an attacker nothing
    /// true; the EU hub refuses a file breaking it where the cells are published).
    pub fn new(tables: &[Table], relations: &[CubeRelation]) -> Result<System, SdcError> {
        let mut by_key: HashMap<CellKey, usize> = HashMap::new();
        let mut cells: Vec<Cell> = Vec::new();
        let mut cell_of = Vec::with_capacity(tables.len());
        for (t, table) in tables.iter().enumerate() {
            let expected = table.spec.len();
            if table.values.len() != expected {
                return Err(SdcError::Shape { table: table.spec.id.clone(), got: table.values.len(), expected });
            }
            let mut ids = Vec::with_capacity(expected);
            for (i, v) in table.values.iter().enumerate() {
                let key = table.spec.key(i);
                let id = match by_key.get(&key) {
                    Some(id) => {
                        let c = &mut cells[*id];
                        if c.value != *v {
                            return Err(SdcError::Inconsistent {
                                table: table.spec.id.clone(),
                                what: format!("cell {i} is {v} here but {} in another table", c.value),
                            });
                        }
                        c.shown.push((t, i));
                        *id
                    }
                    None => {
                        let id = cells.len();
                        let grand_total = key.codes.is_empty();
                        by_key.insert(key.clone(), id);
                        cells.push(Cell { value: *v, key, shown: vec![(t, i)], grand_total, latent: false });
                        id
                    }
                };
                ids.push(id);
            }
            cell_of.push(ids);
        }
        let mut seen: HashMap<Rel, usize> = HashMap::new();
        let mut rels: Vec<Rel> = Vec::new();
        for (t, table) in tables.iter().enumerate() {
            for r in table.spec.relations() {
                let sum: u64 = r.parts.iter().map(|p| table.values[*p]).sum();
                if sum != table.values[r.total] {
                    return Err(SdcError::Inconsistent {
                        table: table.spec.id.clone(),
                        what: format!(
                            "total cell {} is {} but its parts add up to {sum}",
                            r.total, table.values[r.total]
                        ),
                    });
                }
                let mut parts: Vec<usize> = r.parts.iter().map(|p| cell_of[t][*p]).collect();
                parts.sort_unstable();
                let rel = Rel { total: cell_of[t][r.total], parts };
                // a relation with one part says total = part: the same statistic twice
                if !seen.contains_key(&rel) {
                    seen.insert(rel.clone(), rels.len());
                    rels.push(rel);
                }
            }
        }
        for relation in relations {
            let Some(whole) = by_key.get(&relation.whole).copied() else { continue };
            let parts: Option<Vec<usize>> = relation.parts.iter().map(|p| by_key.get(p).copied()).collect();
            let Some(mut parts) = parts else { continue };
            let sum: u64 = parts.iter().map(|p| cells[*p].value).sum();
            let value = cells[whole].value;
            match relation.bound {
                Bound::Equal if sum != value => continue,
                Bound::AtMost if sum > value => continue,
                Bound::Equal => {}
                Bound::AtMost => {
                    parts.push(cells.len());
                    cells.push(Cell {
                        value: value - sum,
                        key: relation.whole.clone(),
                        shown: Vec::new(),
                        grand_total: false,
                        latent: true,
                    });
                }
            }
            parts.sort_unstable();
            let rel = Rel { total: whole, parts };
            if !seen.contains_key(&rel) {
                seen.insert(rel.clone(), rels.len());
                rels.push(rel);
            }
        }
        let mut rels_of = vec![Vec::new(); cells.len()];
        for (r, rel) in rels.iter().enumerate() {
            rels_of[rel.total].push(r);
            for p in &rel.parts {
                rels_of[*p].push(r);
            }
        }
        for v in &mut rels_of {
            v.sort_unstable();
            v.dedup();
        }
        Ok(System { cells, rels, cell_of, rels_of })
    }

    /// The system of a release of `country`: its tables with every relation between them that
    /// [`crate::relations::cross_relations`] defines.
    pub fn of_release(country: &str, tables: &[Table]) -> Result<System, SdcError> {
        let specs: Vec<_> = tables.iter().map(|t| t.spec.clone()).collect();
        System::new(tables, &crate::relations::cross_relations(&specs, country))
    }

    /// The cells of every relation as `(cell, coefficient)`: `+1` for the total, `-1` for
    /// each part (a cell both total and part, which a one-code dimension gives, nets to zero).
    pub fn terms(&self, r: usize) -> Vec<(usize, i64)> {
        let rel = &self.rels[r];
        let mut t: Vec<(usize, i64)> = Vec::with_capacity(rel.parts.len() + 1);
        t.push((rel.total, 1));
        for p in &rel.parts {
            t.push((*p, -1));
        }
        t.sort_unstable();
        let mut out: Vec<(usize, i64)> = Vec::with_capacity(t.len());
        for (c, k) in t {
            match out.last_mut() {
                Some((lc, lk)) if *lc == c => *lk += k,
                _ => out.push((c, k)),
            }
        }
        out.retain(|(_, k)| *k != 0);
        out
    }
}

/// What a pattern must achieve on every cell of a system: the protection each small cell needs,
/// under the release's rule and the rules of the earlier releases of the same data and year, and
/// which cells those releases already printed.
#[derive(Debug, Clone)]
pub(crate) struct Needs {
    /// Persons each way a cell's interval must reach (0: none, the cell is not small under any
    /// rule).
    pub protection: Vec<u64>,
    /// Printed by an earlier release with the value it has now: public, fixed for the attacker,
    /// never hidden again.
    pub known: Vec<bool>,
}

impl Needs {
    /// The needs of `params` alone, then of every earlier release: a cell small under any rule
    /// needs the widest protection among those rules; a cell an earlier release printed with its
    /// present value is known (printed with another value, the data changed since: that figure
    /// is of other data, and left out).
    pub fn new(sys: &System, params: &SdcParams, earlier: &[Earlier]) -> Needs {
        let mut by_key: HashMap<&CellKey, usize> = HashMap::new();
        for (c, cell) in sys.cells.iter().enumerate() {
            if !cell.latent {
                by_key.insert(&cell.key, c);
            }
        }
        let mut known = vec![false; sys.cells.len()];
        for e in earlier {
            for (key, value) in &e.published {
                if let Some(c) = by_key.get(key)
                    && sys.cells[*c].value == *value
                {
                    known[*c] = true;
                }
            }
        }
        let protection = sys
            .cells
            .iter()
            .map(|cell| {
                if cell.latent {
                    return 0;
                }
                std::iter::once(params)
                    .chain(earlier.iter().map(|e| &e.params))
                    .filter(|r| r.is_primary(cell.value))
                    .map(|r| r.protection_of(cell.value))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        Needs { protection, known }
    }

    /// Whether a cell is small under some rule.
    pub fn is_primary(&self, c: usize) -> bool {
        self.protection[c] > 0
    }
}
