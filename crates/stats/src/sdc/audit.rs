//! The audit: for every suppressed cell, the smallest and largest value consistent with
//! everything published in the release, by linear programming.

use super::lp::{IntegerOutcome, Lp, Outcome, TOL};
use super::simplex::{Opt, Simplex};
use super::system::{Needs, System};
use super::{Earlier, SdcError, SdcParams};
use crate::model::{CellKey, ConfStatus, Table};
use serde::{Deserialize, Serialize};

/// Bounds of cells `(cell, lower, upper)`, the number of programs solved, and per variable
/// whether an integral optimum reached its required bound downwards and upwards.
type Bounds = (Vec<(usize, f64, Option<f64>)>, usize, Vec<(bool, bool)>);

/// Primary cells whose integer attacker is searched, at most, per audit (an even sample of those
/// whose LP optima were not already integral; all of them when there are no more).
pub const INTEGER_SAMPLE: usize = 64;
/// Searches over a whole group of linked suppressed cells per audit, at most (when no integral
/// move was found near the cell).
const INTEGER_GLOBAL: usize = 2;
/// Suppressed cells near a primary cell searched for an integral move, at most.
const INTEGER_NEAR: usize = 800;
/// Steps through relations from a primary cell to the suppressed cells searched near it (a
/// move inside a 3-D table goes round a 2 x 2 x 2 block: three steps).
const INTEGER_RINGS: usize = 3;
/// Branch-and-bound nodes per search.
const INTEGER_NODES: u64 = 200;

/// The integer attacker of a primary cell the LP audit found protected: counts are whole
/// numbers, so the attacker's interval is really that of the integral tables consistent with
/// the release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IntegerCheck {
    /// Integral tables consistent with everything published put the cell at its required
    /// bounds both ways: the protection holds against an integer attacker too.
    Certified,
    /// No integral table reaches a required bound: the integer attacker's interval is
    /// narrower than the rule asks (the LP relaxation, as in tau-ARGUS, does not see it).
    Narrower,
    /// Not decided (outside the sample, or the search ran out of nodes).
    Unchecked,
}

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
    /// For a primary cell the LP audit found protected: whether an integer attacker is
    /// protected against too.
    #[serde(default)]
    pub integer: Option<IntegerCheck>,
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
    /// Primary cells protected against an integer attacker too (an integral table consistent
    /// with the release at each required bound: an integral LP optimum, or one found by branch
    /// and bound).
    #[serde(default)]
    pub integer_certified: usize,
    /// Primary cells the LP finds protected but whose integer attacker's interval is narrower.
    #[serde(default)]
    pub integer_narrower: usize,
    /// Primary cells protected by the LP whose integer attacker was not decided.
    #[serde(default)]
    pub integer_unchecked: usize,
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
fn bounds_of(
    s: &mut Simplex,
    var_of: &[Option<usize>],
    cells: &[usize],
    required: &[Option<(f64, f64)>],
) -> Result<Bounds, SdcError> {
    let mut zero_seen = vec![false; var_of.iter().flatten().count()];
    let mut int_ok = vec![(false, false); zero_seen.len()];
    let mut out = Vec::with_capacity(cells.len());
    let mut lps = 0;
    // every optimum is a table consistent with the release; an integral one certifies every
    // primary cell it puts at or beyond a required bound
    let mut see = |x: &[f64], zero_seen: &mut Vec<bool>| {
        for (z, xv) in zero_seen.iter_mut().zip(x) {
            *z |= *xv <= TOL;
        }
        if x.iter().all(|xv| (xv - xv.round()).abs() <= TOL) {
            for ((ok, req), xv) in int_ok.iter_mut().zip(required).zip(x) {
                if let Some((lo, hi)) = req {
                    ok.0 |= *xv <= lo + TOL;
                    ok.1 |= *xv >= hi - TOL;
                }
            }
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
    Ok((out, lps, int_ok))
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
    let mut integer: Vec<Option<IntegerCheck>> = vec![None; sys.cells.len()];
    // the primary cells the LP finds protected whose integer attacker is searched: every one, or
    // an even sample of INTEGER_SAMPLE of them
    let primaries = (0..sys.cells.len()).filter(|c| suppressed[*c] && needs.is_primary(*c)).count();
    let stride = primaries.div_ceil(INTEGER_SAMPLE).max(1);
    let mut primaries_seen = 0usize;
    let mut global = INTEGER_GLOBAL;
    let threads = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, 8);
    for group in &groups {
        let (lp, var_of) = attacker_lp(sys, suppressed, group);
        let mut required: Vec<Option<(f64, f64)>> = vec![None; lp.bounds.len()];
        for c in group {
            if let Some(v) = var_of[*c]
                && needs.is_primary(*c)
            {
                let (value, p) = (sys.cells[*c].value, needs.protection[*c]);
                required[v] = Some((value.saturating_sub(p) as f64, value.saturating_add(p) as f64));
            }
        }
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
                    let (var_of, required) = (&var_of, &required);
                    s.spawn(move || bounds_of(&mut simplex, var_of, cells, required))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(SdcError::Lp("an audit thread failed".into()))))
                .collect()
        });
        let mut int_ok = vec![(false, false); lp.bounds.len()];
        for r in results {
            let (b, n, ok) = r?;
            lps += n;
            for (c, lo, hi) in b {
                bounds[c] = Some((lo, hi));
            }
            for (a, b) in int_ok.iter_mut().zip(ok) {
                a.0 |= b.0;
                a.1 |= b.1;
            }
        }
        for c in group {
            let (Some(v), Some((lo_req, hi_req)), Some((lo, hi))) =
                (var_of[*c], var_of[*c].and_then(|v| required[v]), bounds[*c])
            else {
                continue;
            };
            let lp_safe = lo <= lo_req + TOL && hi.is_none_or(|h| h >= hi_req - TOL);
            if !lp_safe {
                continue;
            }
            let mut check = IntegerCheck::Certified;
            let sampled = primaries_seen.is_multiple_of(stride);
            primaries_seen += 1;
            let value = sys.cells[*c].value as f64;
            for (done, up) in [(int_ok[v].0, false), (int_ok[v].1, true)] {
                if done || check != IntegerCheck::Certified {
                    continue;
                }
                if !sampled {
                    check = IntegerCheck::Unchecked;
                    continue;
                }
                let change = if up { hi_req - value } else { lo_req - value };
                if change.abs() <= TOL || local_integer_move(sys, suppressed, *c, change)? {
                    continue;
                }
                if global == 0 {
                    check = IntegerCheck::Unchecked;
                    continue;
                }
                global -= 1;
                let mut mip = lp.clone();
                mip.bounds[v] = if up { (hi_req, f64::INFINITY) } else { (0.0, lo_req) };
                match mip.solve_integer(INTEGER_NODES)? {
                    IntegerOutcome::Found(x) if satisfies(&lp, &x) => {}
                    IntegerOutcome::Infeasible => check = IntegerCheck::Narrower,
                    _ => check = IntegerCheck::Unchecked,
                }
            }
            integer[*c] = Some(check);
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
            integer: if safe && primary { integer[c] } else { None },
        });
    }
    cells.sort_by_key(|a| (sys_order(tables, &a.table), a.index));
    let count = |k: IntegerCheck| cells.iter().filter(|a| a.integer == Some(k)).count();
    Ok(AuditReport {
        passed,
        components: groups.len(),
        lps,
        integer_certified: count(IntegerCheck::Certified),
        integer_narrower: count(IntegerCheck::Narrower),
        integer_unchecked: count(IntegerCheck::Unchecked),
        cells,
    })
}

/// Whether a change of the release by whole numbers moves primary cell `c` by `change` while
/// every relation holds, no count goes negative and only suppressed cells near `c` move (within
/// [`INTEGER_RINGS`] steps through relations, at most [`INTEGER_NEAR`]): then an integral table
/// consistent with the release puts the cell there. Branch and bound over those cells; `false`
/// also when undecided.
fn local_integer_move(sys: &System, suppressed: &[bool], c: usize, change: f64) -> Result<bool, SdcError> {
    let mut var_of: Vec<Option<usize>> = vec![None; sys.cells.len()];
    let mut lp = Lp::default();
    let mut ring = vec![c];
    var_of[c] = Some(lp.var(0.0, change, change));
    let mut cells = vec![c];
    for _ in 0..INTEGER_RINGS {
        let mut next = Vec::new();
        for x in &ring {
            for r in &sys.rels_of[*x] {
                let rel = &sys.rels[*r];
                for y in std::iter::once(rel.total).chain(rel.parts.iter().copied()) {
                    if suppressed[y] && var_of[y].is_none() && cells.len() < INTEGER_NEAR {
                        var_of[y] = Some(lp.var(0.0, -(sys.cells[y].value as f64), f64::INFINITY));
                        cells.push(y);
                        next.push(y);
                    }
                }
            }
        }
        ring = next;
    }
    let mut rels: Vec<usize> = cells.iter().flat_map(|x| sys.rels_of[*x].iter().copied()).collect();
    rels.sort_unstable();
    rels.dedup();
    for r in rels {
        let row: Vec<(usize, f64)> =
            sys.terms(r).into_iter().filter_map(|(x, k)| var_of[x].map(|v| (v, k as f64))).collect();
        if !row.is_empty() {
            lp.rows.push((row, 0.0));
        }
    }
    Ok(matches!(lp.solve_integer(INTEGER_NODES)?, IntegerOutcome::Found(x) if satisfies(&lp, &x)))
}

/// Whether an integral point meets every row of `lp` exactly and its bounds.
fn satisfies(lp: &Lp, x: &[f64]) -> bool {
    x.len() == lp.bounds.len()
        && x.iter().zip(&lp.bounds).all(|(v, (lo, hi))| *v >= *lo - TOL && *v <= *hi + TOL)
        && lp.rows.iter().all(|(terms, rhs)| {
            let lhs: f64 = terms.iter().map(|(j, k)| k * x[*j]).sum();
            (lhs - rhs).abs() <= TOL
        })
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
