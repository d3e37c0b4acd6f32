//! Secondary suppression over all tables of a release jointly.
//!
//! **Search.** For every primary cell and each direction (up to `v + p`, down to
//! `max(0, v - p)`), a small linear program looks for the cheapest change `y` of the release that
//! moves the cell by the required amount while every relation of every table still holds and no
//! count goes negative: `a + y` is then a table the attacker cannot tell from the true one, so
//! suppressing every cell that `y` moves protects the primary cell in that direction. That `y`
//! is the cell's **witness** for the direction. Cells already suppressed cost almost nothing; a
//! published cell costs about one (slightly more the larger it is), an empty cell
//! [`EMPTY_COST`] (it only goes up and hides nobody), a grand total a thousand. The search starts
//! small (a sub-grid of the cell's own table around it, for tables larger than [`LOCAL_FROM`]
//! cells), then the whole table, then every table linked to it; cells shown in another table
//! stay fixed until the last stage.
//!
//! **Clean-up.** The search is greedy; then every secondary cell, empty ones first and then the
//! largest first, is tried for publication. Publishing it breaks only the witnesses that move
//! it: each is found again over the cells still suppressed (around the old witness, then over
//! the group of suppressed cells linked to the primary cell), on several threads. The cell is
//! published when all are found, and kept otherwise. Every primary cell keeps a witness both
//! ways throughout, so the pattern stays protected.
//!
//! Finally the audit checks the pattern, and any cell it finds weak is protected again over the
//! linked tables, until the audit passes.

use super::audit::audit_system;
use super::lp::{Lp, Outcome, TOL};
use super::system::{Needs, System};
use super::{Earlier, Protection, SdcError, SdcParams};
use crate::model::{ConfStatus, Table};

/// Tables with at least this many cells are first searched on a sub-grid around the cell.
pub const LOCAL_FROM: usize = 400;
/// Cost of suppressing a grand total.
const GRAND_TOTAL_COST: f64 = 1000.0;
/// Cost of suppressing an empty cell (it can only go up, and hides nobody): chosen only when
/// nothing else protects at a tenth of the price.
pub const EMPTY_COST: f64 = 12.0;
/// Cost of moving a cell already suppressed: small, so that witnesses stay short (the fewer
/// cells a witness moves, the fewer the clean-up must find again).
const SUPPRESSED_COST: f64 = 0.01;
/// Threads of the clean-up pass at most.
const THREADS: usize = 8;
/// Rounds of the final audit-and-repair loop.
const MAX_REPAIRS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Up,
    Down,
}

/// A change `y` of the release (`(cell, y_cell)`, non-zero entries only) that keeps every
/// relation, leaves every count non-negative, moves only suppressed cells and moves a primary
/// cell by its whole protection: the proof that the cell is protected in that direction.
#[derive(Debug, Clone)]
struct Witness {
    cell: usize,
    dir: Dir,
    amount: u64,
    y: Vec<(usize, f64)>,
}

/// Protects the primary cells of a release of `country` made of linked tables, against an
/// attacker who knows every relation between them (see [`audit`](super::audit)): returns the
/// status of every cell of every table (input order; a cell shared by tables has one status)
/// and the audit.
pub fn protect(country: &str, tables: &[Table], params: &SdcParams) -> Result<Protection, SdcError> {
    protect_after(country, tables, params, &[])
}

/// The suppression pattern of [`protect`] (search and clean-up, every primary cell proven
/// protected by a witness) without the final audit, which [`protect`] adds: to measure the two
/// apart. The status of every cell of every table, in input order.
pub fn suppress(country: &str, tables: &[Table], params: &SdcParams) -> Result<Vec<Vec<ConfStatus>>, SdcError> {
    params.validate()?;
    let sys = System::of_release(country, tables)?;
    let needs = Needs::new(&sys, params, &[]);
    let (sup, _) = search(&sys, tables, &needs)?;
    Ok(status_of(&sys, tables, &sup))
}

/// [`protect`] for a release made after `earlier` releases of the same data and year, audited
/// jointly with them (see [`audit_after`](super::audit_after)): what they printed is public and
/// fixed, and every cell small under their rules is protected as they require. A small cell they
/// already printed cannot be hidden any more: the audit reports it, and does not pass.
pub fn protect_after(
    country: &str,
    tables: &[Table],
    params: &SdcParams,
    earlier: &[Earlier],
) -> Result<Protection, SdcError> {
    params.validate()?;
    for e in earlier {
        e.params.validate()?;
    }
    let sys = System::of_release(country, tables)?;
    let needs = Needs::new(&sys, params, earlier);
    let (mut sup, ctx_max) = search(&sys, tables, &needs)?;
    let ctx = Ctx { sys: &sys, tables, max_value: ctx_max, needs: &needs };
    let mut report = audit_system(&sys, tables, &sup, &needs)?;
    let mut rounds = 0;
    while !report.passed && rounds < MAX_REPAIRS {
        rounds += 1;
        let weak: Vec<usize> = report
            .unsafe_cells()
            .filter_map(|a| tables.iter().position(|t| t.spec.id == a.table).map(|t| sys.cell_of[t][a.index]))
            .filter(|c| !needs.known[*c])
            .collect();
        if weak.is_empty() {
            break;
        }
        for c in weak {
            sup[c] = true;
            for dir in [Dir::Up, Dir::Down] {
                ctx.protect_cell(&mut sup, c, dir, true)?;
            }
        }
        report = audit_system(&sys, tables, &sup, &needs)?;
    }
    Ok(Protection { status: status_of(&sys, tables, &sup), audit: report })
}

fn status_of(sys: &System, tables: &[Table], sup: &[bool]) -> Vec<Vec<ConfStatus>> {
    tables
        .iter()
        .enumerate()
        .map(|(t, table)| {
            (0..table.values.len())
                .map(|i| if sup[sys.cell_of[t][i]] { ConfStatus::Confidential } else { ConfStatus::Free })
                .collect()
        })
        .collect()
}

/// The search: every primary cell, the largest first, protected both ways by the cheapest
/// change over the cells around it; then the clean-up pass. Returns the pattern and the largest
/// value (for costs).
fn search(sys: &System, tables: &[Table], needs: &Needs) -> Result<(Vec<bool>, u64), SdcError> {
    let max_value = sys.cells.iter().map(|c| c.value).max().unwrap_or(0);
    let to_protect = |c: usize| needs.is_primary(c) && !needs.known[c];
    // a latent cell (the slack of an inequality) is never published: hidden from the start
    let mut sup: Vec<bool> = (0..sys.cells.len()).map(|c| sys.cells[c].latent || to_protect(c)).collect();
    let mut primaries: Vec<usize> = (0..sys.cells.len()).filter(|c| to_protect(*c)).collect();
    // the largest first: they need the widest moves, smaller ones often ride along
    primaries.sort_by_key(|c| (std::cmp::Reverse(sys.cells[*c].value), *c));
    let ctx = Ctx { sys, tables, max_value, needs };
    let mut witnesses = Vec::new();
    let mut all_proven = true;
    for c in &primaries {
        for dir in [Dir::Up, Dir::Down] {
            match ctx.protect_cell(&mut sup, *c, dir, false)? {
                Some(Some(w)) => witnesses.push(w),
                Some(None) => {}
                None => all_proven = false,
            }
        }
    }
    // without a proof for every primary cell (an earlier release printed what would protect
    // one), the pattern stays as found: the audit reports the cell
    if all_proven {
        ctx.clean_up(&mut sup, &mut witnesses)?;
    }
    Ok((sup, max_value))
}

struct Ctx<'a> {
    sys: &'a System,
    tables: &'a [Table],
    max_value: u64,
    needs: &'a Needs,
}

impl Ctx<'_> {
    fn cost(&self, sup: &[bool], c: usize) -> f64 {
        let cell = &self.sys.cells[c];
        if sup[c] {
            SUPPRESSED_COST
        } else if cell.grand_total {
            GRAND_TOTAL_COST
        } else if cell.value == 0 {
            EMPTY_COST
        } else {
            1.0 + cell.value as f64 / (self.max_value as f64 + 1.0)
        }
    }

    /// Adds suppressions so that cell `c` can move by its protection in direction `dir`, and
    /// returns the witness (`Some(None)`: nothing to do, the cell is zero persons from zero).
    /// When no pattern can (cells printed by an earlier release hold it), returns `None` and
    /// leaves it to the audit to report, after earlier releases; without them that cannot
    /// happen (an error).
    fn protect_cell(
        &self,
        sup: &mut [bool],
        c: usize,
        dir: Dir,
        linked_only: bool,
    ) -> Result<Option<Option<Witness>>, SdcError> {
        let value = self.sys.cells[c].value;
        let p = self.needs.protection[c];
        let amount = match dir {
            Dir::Up => p,
            Dir::Down => p.min(value),
        };
        if amount == 0 {
            return Ok(Some(None));
        }
        let cost = |x: usize| self.cost(sup, x);
        let cell = &self.sys.cells[c];
        let mut found = None;
        if !linked_only && cell.shown.len() == 1 {
            let (t, i) = cell.shown[0];
            let table = &self.tables[t];
            let mut sizes = Vec::new();
            if table.values.len() >= LOCAL_FROM {
                sizes.extend([4usize, 8, 16]);
            }
            sizes.push(usize::MAX);
            for m in sizes {
                let set = self.subgrid(sup, t, i, m);
                if let Some(w) = self.try_set(c, dir, amount, &set, &cost)? {
                    found = Some(w);
                    break;
                }
            }
        }
        if found.is_none() {
            let set = self.linked(c);
            found = self.try_set(c, dir, amount, &set, &cost)?;
        }
        match found {
            Some(w) => {
                for (x, _) in &w.y {
                    sup[*x] = true;
                }
                Ok(Some(Some(w)))
            }
            None if self.needs.known.iter().any(|k| *k) => Ok(None),
            None => {
                let (t, i) = cell.shown[0];
                Err(SdcError::Unprotectable { table: self.tables[t].spec.id.clone(), index: i })
            }
        }
    }

    /// The clean-up pass: tries to publish every secondary cell, the empty ones first, then the
    /// largest first. Publishing a cell breaks only the witnesses that move it; each of those is
    /// found again over the cells still suppressed (first around the old witness, then over the
    /// cell's whole group of linked suppressed cells). The cell is published when every one is
    /// found again, and kept otherwise. Every primary cell keeps a witness throughout, so the
    /// pattern stays protected.
    fn clean_up(&self, sup: &mut [bool], witnesses: &mut [Witness]) -> Result<(), SdcError> {
        let sys = self.sys;
        let mut candidates: Vec<usize> = (0..sys.cells.len())
            .filter(|c| sup[*c] && !sys.cells[*c].latent && !self.needs.is_primary(*c) && !self.needs.known[*c])
            .collect();
        candidates.sort_by_key(|c| {
            let v = sys.cells[*c].value;
            (v != 0, std::cmp::Reverse(v), *c)
        });
        // 0: still to try; 1: kept (a witness needs it), never tried again
        let mut kept = vec![false; sys.cells.len()];
        let mut pending = vec![false; sys.cells.len()];
        for c in &candidates {
            pending[*c] = true;
        }
        for s in candidates {
            pending[s] = false;
            sup[s] = false;
            let affected: Vec<usize> =
                (0..witnesses.len()).filter(|w| witnesses[*w].y.iter().any(|(x, _)| *x == s)).collect();
            // moving a cell kept or primary is free-ish; one still to try costs more the larger it
            // is (it is tried sooner), an empty one much more
            let cost = |x: usize| {
                let cell = &sys.cells[x];
                if kept[x] || self.needs.is_primary(x) || cell.latent {
                    0.1
                } else if pending[x] && cell.value == 0 {
                    EMPTY_COST
                } else {
                    1.0 + cell.value as f64 / (self.max_value as f64 + 1.0)
                }
            };
            let found = self.rewitness_all(sup, witnesses, &affected, &cost)?;
            if found.len() == affected.len() {
                for (w, y) in found {
                    witnesses[w] = y;
                }
            } else {
                sup[s] = true;
                kept[s] = true;
            }
        }
        Ok(())
    }

    /// New witnesses for `affected`, on up to [`THREADS`] threads; stops at the first that
    /// cannot be found (then fewer come back).
    fn rewitness_all(
        &self,
        sup: &[bool],
        witnesses: &[Witness],
        affected: &[usize],
        cost: &(dyn Fn(usize) -> f64 + Sync),
    ) -> Result<Vec<(usize, Witness)>, SdcError> {
        let threads = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, THREADS);
        if threads == 1 || affected.len() < 2 {
            let mut found = Vec::with_capacity(affected.len());
            for w in affected {
                match self.rewitness(sup, &witnesses[*w], cost)? {
                    Some(y) => found.push((*w, y)),
                    None => break,
                }
            }
            return Ok(found);
        }
        let failed = std::sync::atomic::AtomicBool::new(false);
        let chunk = affected.len().div_ceil(threads);
        let results: Vec<Result<Vec<(usize, Witness)>, SdcError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = affected
                .chunks(chunk)
                .map(|part| {
                    let failed = &failed;
                    scope.spawn(move || {
                        let mut found = Vec::with_capacity(part.len());
                        for w in part {
                            if failed.load(std::sync::atomic::Ordering::Relaxed) {
                                break;
                            }
                            match self.rewitness(sup, &witnesses[*w], cost)? {
                                Some(y) => found.push((*w, y)),
                                None => {
                                    failed.store(true, std::sync::atomic::Ordering::Relaxed);
                                    break;
                                }
                            }
                        }
                        Ok(found)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(SdcError::Lp("a clean-up thread failed".into()))))
                .collect()
        });
        let mut found = Vec::with_capacity(affected.len());
        for r in results {
            found.extend(r?);
        }
        Ok(found)
    }

    /// A new witness for the cell and direction of `old` over suppressed cells only: first
    /// over those sharing a relation with a cell the old one moved, then over the whole group
    /// of suppressed cells linked to the cell.
    fn rewitness(
        &self,
        sup: &[bool],
        old: &Witness,
        cost: &(dyn Fn(usize) -> f64 + Sync),
    ) -> Result<Option<Witness>, SdcError> {
        let sys = self.sys;
        let mut near = vec![false; sys.cells.len()];
        let mut set = Vec::new();
        for (x, _) in &old.y {
            for r in &sys.rels_of[*x] {
                let rel = &sys.rels[*r];
                for y in std::iter::once(rel.total).chain(rel.parts.iter().copied()) {
                    if sup[y] && !near[y] {
                        near[y] = true;
                        set.push(y);
                    }
                }
            }
        }
        if sup[old.cell] && !near[old.cell] {
            set.push(old.cell);
        }
        if let Some(w) = self.try_set(old.cell, old.dir, old.amount, &set, cost)? {
            return Ok(Some(w));
        }
        let group = self.group(sup, old.cell);
        if group.len() <= set.len() {
            return Ok(None);
        }
        self.try_set(old.cell, old.dir, old.amount, &group, cost)
    }

    /// The suppressed cells linked to `c` through relations among suppressed cells.
    fn group(&self, sup: &[bool], c: usize) -> Vec<usize> {
        let sys = self.sys;
        let mut seen = vec![false; sys.cells.len()];
        let mut stack = vec![c];
        seen[c] = true;
        let mut out = Vec::new();
        while let Some(x) = stack.pop() {
            out.push(x);
            for r in &sys.rels_of[x] {
                let rel = &sys.rels[*r];
                for y in std::iter::once(rel.total).chain(rel.parts.iter().copied()) {
                    if sup[y] && !seen[y] {
                        seen[y] = true;
                        stack.push(y);
                    }
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// Cells of table `t` on a sub-grid around cell `i`: per dimension the cell's position and
    /// the `m - 1` others whose cell on the line through `i` is cheapest. Cells shown in another
    /// table are left out (they stay fixed), except the cell itself.
    fn subgrid(&self, sup: &[bool], t: usize, i: usize, m: usize) -> Vec<usize> {
        let spec = &self.tables[t].spec;
        let pos = spec.positions_of(i);
        let mut chosen: Vec<Vec<usize>> = Vec::with_capacity(pos.len());
        for (k, d) in spec.dims.iter().enumerate() {
            let mut cand: Vec<(u64, usize)> = (0..d.positions())
                .filter(|q| *q != pos[k])
                .map(|q| {
                    let mut p = pos.clone();
                    p[k] = q;
                    let cell = self.sys.cell_of[t][spec.index(&p)];
                    // a zero can only go up: prefer cells that can move both ways
                    let zero = if self.sys.cells[cell].value == 0 && !sup[cell] { 0.5 } else { 0.0 };
                    (((self.cost(sup, cell) + zero) * 1e6) as u64, q)
                })
                .collect();
            cand.sort_unstable();
            let mut mine = vec![pos[k]];
            mine.extend(cand.into_iter().take(m.saturating_sub(1)).map(|(_, q)| q));
            chosen.push(mine);
        }
        let mut out = Vec::new();
        let mut idx = vec![0usize; chosen.len()];
        loop {
            let p: Vec<usize> = idx.iter().zip(&chosen).map(|(j, ch)| ch[*j]).collect();
            let cell = self.sys.cell_of[t][spec.index(&p)];
            if self.sys.cells[cell].shown.len() == 1 && !self.needs.known[cell] {
                out.push(cell);
            }
            let mut k = chosen.len();
            loop {
                if k == 0 {
                    return out;
                }
                k -= 1;
                idx[k] += 1;
                if idx[k] < chosen[k].len() {
                    break;
                }
                idx[k] = 0;
            }
        }
    }

    /// Every cell linked to `c` through relations.
    fn linked(&self, c: usize) -> Vec<usize> {
        let mut seen = vec![false; self.sys.cells.len()];
        let mut stack = vec![c];
        seen[c] = true;
        let mut out = Vec::new();
        while let Some(x) = stack.pop() {
            out.push(x);
            for r in &self.sys.rels_of[x] {
                let rel = &self.sys.rels[*r];
                for y in std::iter::once(rel.total).chain(rel.parts.iter().copied()) {
                    if !seen[y] {
                        seen[y] = true;
                        stack.push(y);
                    }
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// Solves the protection program over the cells of `set` (the others fixed) with costs
    /// `cost` per person moved: the cheapest witness there, if any.
    fn try_set(
        &self,
        c: usize,
        dir: Dir,
        amount: u64,
        set: &[usize],
        cost: &dyn Fn(usize) -> f64,
    ) -> Result<Option<Witness>, SdcError> {
        let n = self.sys.cells.len();
        let mut var_of: Vec<Option<(usize, usize)>> = vec![None; n];
        let mut lp = Lp::default();
        // a cell printed by an earlier release is public: it stays fixed
        for x in set.iter().filter(|x| !self.needs.known[**x]) {
            let v = self.sys.cells[*x].value as f64;
            let (up, down) = if *x == c {
                match dir {
                    Dir::Up => (lp.var(0.0, amount as f64, amount as f64), lp.var(0.0, 0.0, 0.0)),
                    Dir::Down => (lp.var(0.0, 0.0, 0.0), lp.var(0.0, amount as f64, amount as f64)),
                }
            } else {
                let k = cost(*x);
                (lp.var(k, 0.0, f64::INFINITY), lp.var(k, 0.0, v))
            };
            var_of[*x] = Some((up, down));
        }
        if var_of[c].is_none() {
            return Ok(None);
        }
        let mut rels: Vec<usize> = set.iter().flat_map(|x| self.sys.rels_of[*x].iter().copied()).collect();
        rels.sort_unstable();
        rels.dedup();
        for r in rels {
            let mut row = Vec::new();
            for (x, k) in self.sys.terms(r) {
                if let Some((up, down)) = var_of[x] {
                    row.push((up, k as f64));
                    row.push((down, -(k as f64)));
                }
            }
            if !row.is_empty() {
                lp.rows.push((row, 0.0));
            }
        }
        match lp.solve(false)? {
            Outcome::Optimal { x, .. } => {
                let y = set
                    .iter()
                    .filter_map(|cell| var_of[*cell].map(|(up, down)| (*cell, x[up] - x[down])))
                    .filter(|(_, y)| y.abs() > TOL)
                    .collect();
                Ok(Some(Witness { cell: c, dir, amount, y }))
            }
            Outcome::Infeasible | Outcome::Unbounded => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::{Concept, Indicator, TableDim, TableSpec};
    use crate::sdc::{IntegerCheck, ProtectionLevel, audit};
    use proptest::prelude::*;

    fn t2(rows: usize, cols: usize, inner: &[u64]) -> Table {
        let dim = |concept, n: usize, prefix: &str| TableDim {
            concept,
            codes: (0..n).map(|i| format!("{prefix}{i}")).collect(),
            total: "_T".into(),
        };
        let spec = TableSpec {
            id: "T".into(),
            indicator: Indicator::Registered,
            dims: vec![dim(Concept::Sex, rows, "r"), dim(Concept::Age, cols, "c")],
        };
        Table::from_inner(spec, inner)
    }

    /// Every secondary cell of a protected pattern is needed: publishing it alone fails the
    /// audit (what the clean-up pass leaves), and every primary cell's protection holds against
    /// an integer attacker too (tables of two dimensions have whole-number optima).
    fn check_lean(t: &Table, p: &SdcParams) -> Result<(), TestCaseError> {
        let tables = std::slice::from_ref(t);
        let prot = protect("LV", tables, p).unwrap();
        prop_assert!(prot.audit.passed);
        prop_assert_eq!(prot.audit.integer_narrower, 0);
        prop_assert_eq!(prot.audit.integer_certified, prot.primary());
        for c in prot.audit.cells.iter().filter(|c| c.primary) {
            prop_assert_eq!(c.integer, Some(IntegerCheck::Certified));
        }
        for i in 0..t.values.len() {
            if !prot.status[0][i].is_suppressed() || p.is_primary(t.values[i]) {
                continue;
            }
            let mut st = prot.status.clone();
            st[0][i] = ConfStatus::Free;
            let r = audit("LV", tables, &st, p).unwrap();
            prop_assert!(!r.passed, "secondary cell {} (value {}) is not needed", i, t.values[i]);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        #[test]
        fn the_clean_up_leaves_only_needed_secondary_cells(
            rows in 2usize..5,
            cols in 2usize..5,
            inner in proptest::collection::vec(0u64..12, 16),
            p in 1u64..6,
        ) {
            let t = t2(rows, cols, &inner[..rows * cols]);
            check_lean(&t, &SdcParams { threshold: 5, protection: ProtectionLevel::Absolute(p) })?;
            check_lean(&t, &SdcParams { threshold: 5, protection: ProtectionLevel::PercentOfValue(10) })?;
        }
    }

    #[test]
    fn an_empty_cell_is_not_a_secondary_cell_when_published_counts_protect() {
        // the 1 can be protected downwards through the zeros beside it, or through 8, 9 and 7;
        // upwards only through cells that can go down
        let t = t2(3, 3, &[1, 0, 8, 0, 9, 7, 6, 5, 9]);
        let p = SdcParams { threshold: 2, protection: ProtectionLevel::Absolute(1) };
        let prot = protect("LV", std::slice::from_ref(&t), &p).unwrap();
        assert!(prot.audit.passed);
        let hidden_zeros = (0..t.values.len()).filter(|i| prot.status[0][*i].is_suppressed() && t.values[*i] == 0);
        assert_eq!(hidden_zeros.count(), 0);
    }
}
