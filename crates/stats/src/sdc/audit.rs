//! The audit: for every suppressed cell, the smallest and largest value consistent with
//! everything published in the release, by linear programming.

use super::lp::{Lp, Outcome, TOL};
use super::simplex::{Opt, Simplex};
use super::system::{Needs, System};
use super::{Earlier, SdcError, SdcParams};
use crate::model::{CellKey, ConfStatus, Table};
use serde::{Deserialize, Serialize};

/// Bounds of cells `(cell, lower, upper)` and the number of programs solved.
type Bounds = (Vec<(usize, f64, Option<f64>)>, usize);

/// The attacker's interval of one suppressed cell (a cell shown in several tables is reported
/// once, under the first table that shows it), or a primary cell left published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditCell {
    /// Id of the first table showing the cell.
    pub table: String,
    /// Its row-major index there.
    pub index: usize,
    pub key: CellKey,
    /// Whether the value is below the threshold (a primary cell), of this release's rule or of an
    /// earlier release's of the same data and year: kept inside the instance, never published
    /// (every hidden cell is published `C`). A primary cell left published is reported with a
    /// point interval.
    pub primary: bool,
    /// Whether the pattern suppresses the cell (in every table that shows it).
    pub suppressed: bool,
    /// Whether an earlier release of the same data and year printed the cell with the value it
    /// has now (public whatever this pattern does).
    #[serde(default)]
    pub already_published: bool,
    /// The true value.
    pub value: u64,
    /// Smallest value consistent with the release.
    pub lower: f64,
    /// Largest value consistent with the release (`None`: unbounded).
    pub upper: Option<f64>,
    /// For a primary cell, the bounds the interval must reach: `max(0, v - p)` and `v + p`;
    /// for a secondary cell, the value (nothing required).
    pub required_lower: u64,
    pub required_upper: u64,
    /// Whether the interval reaches the required bounds.
    pub safe: bool,
    /// Every `(table, index)` showing the cell.
    pub shown_in: Vec<(String, usize)>,
}

/// The audit of a suppression pattern over a release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditReport {
    /// No primary cell published, none narrowed below its protection.
    pub passed: bool,
    /// Every suppressed cell and every published primary cell, by table and index.
    pub cells: Vec<AuditCell>,
    /// Independent groups of suppressed cells (each solved on its own).
    pub components: usize,
    /// Linear programs solved.
    pub lps: usize,
}

impl AuditReport {
    /// The cells whose protection fails.
    pub fn unsafe_cells(&self) -> impl Iterator<Item = &AuditCell> {
        self.cells.iter().filter(|c| !c.safe)
    }
}

/// Audits any pattern (`status[t][i]` for cell `i` of table `t`, in the order of `tables`) of a
/// release of `country`, also one produced elsewhere: a cell counts as suppressed only when every
/// table showing it suppresses it. The attacker knows every published cell, every table's sums,
/// every cell shared by tables and every relation between tables of [`crate::relations`]
/// (derived from the tables and the country). Refuses invalid parameters, tables that do not add
/// up or disagree on a shared cell, and a status of the wrong shape.
pub fn audit(
    country: &str,
    tables: &[Table],
    status: &[Vec<ConfStatus>],
    params: &SdcParams,
) -> Result<AuditReport, SdcError> {
    audit_after(country, tables, status, params, &[])
}

/// [`audit`] of a release made after `earlier` releases of the same data and year: the attacker
/// also knows every figure they printed (a cell printed there with the value it has now is
/// public, hidden here or not), and every cell small under any of their rules must keep the
/// protection that rule asks for.
pub fn audit_after(
    country: &str,
    tables: &[Table],
    status: &[Vec<ConfStatus>],
    params: &SdcParams,
    earlier: &[Earlier],
) -> Result<AuditReport, SdcError> {
    params.validate()?;
    for e in earlier {
        e.params.validate()?;
    }
    let sys = System::of_release(country, tables)?;
    if status.len() != tables.len() {
        return Err(SdcError::StatusShape { table: "(release)".into(), got: status.len(), expected: tables.len() });
    }
    let needs = Needs::new(&sys, params, earlier);
    let mut suppressed = vec![true; sys.cells.len()];
    for (t, (table, st)) in tables.iter().zip(status).enumerate() {
        if st.len() != table.values.len() {
            return Err(SdcError::StatusShape {
                table: table.spec.id.clone(),
                got: st.len(),
                expected: table.values.len(),
            });
        }
        for (i, s) in st.iter().enumerate() {
            if !s.is_suppressed() {
                suppressed[sys.cell_of[t][i]] = false;
            }
        }
    }
    for (c, known) in needs.known.iter().enumerate() {
        if *known {
            suppressed[c] = false;
        }
    }
    audit_system(&sys, tables, &suppressed, &needs)
}

/// Groups of suppressed cells linked through relations (union-find).
pub(crate) fn components(sys: &System, suppressed: &[bool]) -> Vec<Vec<usize>> {
    let n = sys.cells.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for rel in &sys.rels {
        let mut first: Option<usize> = None;
        for c in std::iter::once(rel.total).chain(rel.parts.iter().copied()) {
            if !suppressed[c] {
                continue;
            }
            match first {
                None => first = Some(c),
                Some(f) => {
                    let (a, b) = (find(&mut parent, f), find(&mut parent, c));
                    if a != b {
                        parent[a] = b;
                    }
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = std::collections::BTreeMap::new();
    for (c, s) in suppressed.iter().enumerate().take(n) {
        if *s {
            let r = find(&mut parent, c);
            groups.entry(r).or_default().push(c);
        }
    }
    groups.into_values().collect()
}

/// The attacker's linear program over one group of suppressed cells: one variable per cell
/// (`>= 0`), one row per relation touching the group, published cells moved to the right.
pub(crate) fn attacker_lp(sys: &System, suppressed: &[bool], group: &[usize]) -> (Lp, Vec<Option<usize>>) {
    let mut var_of: Vec<Option<usize>> = vec![None; sys.cells.len()];
    let mut lp = Lp::default();
    for c in group {
        var_of[*c] = Some(lp.var(0.0, 0.0, f64::INFINITY));
    }
    let mut rels: Vec<usize> = group.iter().flat_map(|c| sys.rels_of[*c].iter().copied()).collect();
    rels.sort_unstable();
    rels.dedup();
    for r in rels {
        let mut row = Vec::new();
        let mut rhs: i128 = 0;
        for (c, k) in sys.terms(r) {
            if suppressed[c] {
                if let Some(v) = var_of[c] {
                    row.push((v, k as f64));
                }
            } else {
                rhs -= i128::from(k) * i128::from(sys.cells[c].value);
            }
        }
        if !row.is_empty() {
            lp.rows.push((row, rhs as f64));
        }
    }
    (lp, var_of)
}

/// Minimum and maximum of every cell of `cells` in the attacker's program, every program
/// warm-started from the previous optimal basis. A minimum of zero seen at any optimum already
/// solved is the minimum (counts are non-negative), so its program is skipped.
fn bounds_of(s: &mut Simplex, var_of: &[Option<usize>], cells: &[usize]) -> Result<Bounds, SdcError> {
    let mut zero_seen = vec![false; var_of.iter().flatten().count()];
    let mut out = Vec::with_capacity(cells.len());
    let mut lps = 0;
    let see = |x: &[f64], zero_seen: &mut Vec<bool>| {
        for (z, xv) in zero_seen.iter_mut().zip(x) {
            *z |= *xv <= TOL;
        }
    };
    for c in cells {
        let Some(v) = var_of[*c] else { continue };
        lps += 1;
        let hi = match s.optimise_var(v, true)? {
            Opt::Optimal(hi, x) => {
                see(&x, &mut zero_seen);
                Some(snap(hi))
            }
            Opt::Unbounded => None,
        };
        let lo = if zero_seen[v] {
            0.0
        } else {
            lps += 1;
            match s.optimise_var(v, false)? {
                Opt::Optimal(lo, x) => {
                    see(&x, &mut zero_seen);
                    snap(lo.max(0.0))
                }
                Opt::Unbounded => 0.0,
            }
        };
        out.push((*c, lo, hi));
    }
    Ok((out, lps))
}

/// A feasible basis of the attacker's program: the vertex microlp finds (a cold phase 1 that
/// copes well with the degenerate rows of tables), or else our own phase 1.
fn start(lp: &Lp) -> Result<Option<Simplex>, SdcError> {
    if let Outcome::Optimal { x, .. } = lp.solve(false)? {
        if let Some(s) = Simplex::from_vertex(lp.bounds.len(), lp.rows.clone(), &x)? {
            return Ok(Some(s));
        }
    } else {
        return Ok(None);
    }
    Simplex::new(lp.bounds.len(), lp.rows.clone())
}

fn snap(x: f64) -> f64 {
    let r = x.round();
    if (x - r).abs() <= TOL { r } else { x }
}

pub(crate) fn audit_system(
    sys: &System,
    tables: &[Table],
    suppressed: &[bool],
    needs: &Needs,
) -> Result<AuditReport, SdcError> {
    let groups = components(sys, suppressed);
    let mut bounds: Vec<Option<(f64, Option<f64>)>> = vec![None; sys.cells.len()];
    let mut lps = 0usize;
    let threads = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, 8);
    for group in &groups {
        let (lp, var_of) = attacker_lp(sys, suppressed, group);
        let base = start(&lp)?;
        let Some(base) = base else {
            return Err(SdcError::Lp("the published release is infeasible".into()));
        };
        // small groups are not worth a thread
        let threads = if group.len() < 64 { 1 } else { threads };
        let chunk = group.len().div_ceil(threads).max(1);
        let results: Vec<Result<Bounds, SdcError>> = std::thread::scope(|s| {
            let handles: Vec<_> = group
                .chunks(chunk)
                .map(|cells| {
                    let mut simplex = base.clone();
                    let var_of = &var_of;
                    s.spawn(move || bounds_of(&mut simplex, var_of, cells))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(SdcError::Lp("an audit thread failed".into()))))
                .collect()
        });
        for r in results {
            let (b, n) = r?;
            lps += n;
            for (c, lo, hi) in b {
                bounds[c] = Some((lo, hi));
            }
        }
    }
    let mut cells = Vec::new();
    let mut passed = true;
    for (c, cell) in sys.cells.iter().enumerate() {
        if cell.latent {
            continue;
        }
        let primary = needs.is_primary(c);
        if !suppressed[c] && !primary {
            continue;
        }
        let (lower, upper) = match bounds[c] {
            Some(b) => b,
            None => (cell.value as f64, Some(cell.value as f64)),
        };
        let p = needs.protection[c];
        let (required_lower, required_upper) = (cell.value.saturating_sub(p), cell.value.saturating_add(p));
        let safe = !primary
            || (suppressed[c]
                && lower <= required_lower as f64 + TOL
                && upper.is_none_or(|u| u >= required_upper as f64 - TOL));
        passed &= safe;
        let (t, i) = cell.shown[0];
        cells.push(AuditCell {
            table: tables[t].spec.id.clone(),
            index: i,
            key: cell.key.clone(),
            primary,
            suppressed: suppressed[c],
            already_published: needs.known[c],
            value: cell.value,
            lower,
            upper,
            required_lower,
            required_upper,
            safe,
            shown_in: cell.shown.iter().map(|(t, i)| (tables[*t].spec.id.clone(), *i)).collect(),
        });
    }
    cells.sort_by_key(|a| (sys_order(tables, &a.table), a.index));
    Ok(AuditReport { passed, cells, components: groups.len(), lps })
}

fn sys_order(tables: &[Table], id: &str) -> usize {
    tables.iter().position(|t| t.spec.id == id).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Concept, Indicator, TableDim, TableSpec};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        /// On random 3-D tables with many suppressed cells (large linked groups), the
        /// warm-started audit gives every suppressed cell the interval of two cold microlp
        /// solves.
        #[test]
        fn warm_audit_equals_cold_programs(
            inner in proptest::collection::vec(0u64..7, 36),
            hide in proptest::collection::vec(any::<bool>(), 80),
        ) {
            let spec = TableSpec {
                id: "T".into(),
                indicator: Indicator::Registered,
                dims: vec![
                    TableDim::new(Concept::Sex, &["F", "M", "U"]),
                    TableDim::new(Concept::Age, &["A", "B", "C"]),
                    TableDim::new(Concept::Exploit, &["X", "Y", "Z", "W"]),
                ],
            };
            let table = Table::from_inner(spec, &inner);
            let sys = System::new(std::slice::from_ref(&table), &[]).unwrap();
            let suppressed: Vec<bool> = (0..sys.cells.len()).map(|c| hide[c % hide.len()]).collect();
            let needs = Needs::new(&sys, &SdcParams::new(5), &[]);
            let report = audit_system(&sys, std::slice::from_ref(&table), &suppressed, &needs).unwrap();
            for group in components(&sys, &suppressed) {
                let (mut lp, var_of) = attacker_lp(&sys, &suppressed, &group);
                for c in &group {
                    let v = var_of[*c].unwrap();
                    lp.obj.iter_mut().for_each(|o| *o = 0.0);
                    lp.obj[v] = 1.0;
                    let hi = match lp.solve(true).unwrap() {
                        Outcome::Optimal { objective, .. } => Some(objective),
                        _ => None,
                    };
                    let lo = match lp.solve(false).unwrap() {
                        Outcome::Optimal { objective, .. } => objective,
                        o => panic!("{o:?}"),
                    };
                    let i = sys.cells[*c].shown[0].1;
                    let cell = report.cells.iter().find(|a| a.index == i).unwrap();
                    prop_assert!((cell.lower - lo).abs() < 1e-6, "lower {} vs {lo}", cell.lower);
                    match (cell.upper, hi) {
                        (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-6, "upper {a} vs {b}"),
                        (None, None) => {}
                        (a, b) => prop_assert!(false, "upper {a:?} vs {b:?}"),
                    }
                }
            }
        }
    }
}
