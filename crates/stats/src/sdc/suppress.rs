//! Secondary suppression over all tables of a release jointly.
//!
//! For every primary cell and each direction (up to `v + p`, down to `max(0, v - p)`), a small
//! linear program looks for the cheapest change `y` of the release that moves the cell by the
//! required amount while every relation of every table still holds and no count goes negative:
//! `a + y` is then a table the attacker cannot tell from the true one, so suppressing every cell
//! that `y` moves protects the primary cell in that direction. Cells already suppressed cost
//! nothing; a published cell costs about one (slightly more the larger it is, so small cells are
//! preferred), a grand total a thousand. The search starts small (a sub-grid of the cell's own
//! table around it, for tables larger than [`LOCAL_FROM`] cells), then the whole table, then
//! every table linked to it; cells shown in another table stay fixed until the last stage.
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
/// Rounds of the final audit-and-repair loop.
const MAX_REPAIRS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Up,
    Down,
}

/// Protects the primary cells of a release of `country` made of linked tables, against an
/// attacker who knows every relation between them (see [`audit`](super::audit)): returns the
/// status of every cell of every table (input order; a cell shared by tables has one status)
/// and the audit.
pub fn protect(country: &str, tables: &[Table], params: &SdcParams) -> Result<Protection, SdcError> {
    protect_after(country, tables, params, &[])
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
    let max_value = sys.cells.iter().map(|c| c.value).max().unwrap_or(0);
    let to_protect = |c: usize| needs.is_primary(c) && !needs.known[c];
    // a latent cell (the slack of an inequality) is never published: hidden from the start
    let mut sup: Vec<bool> = (0..sys.cells.len()).map(|c| sys.cells[c].latent || to_protect(c)).collect();
    let mut primaries: Vec<usize> = (0..sys.cells.len()).filter(|c| to_protect(*c)).collect();
    // the largest first: they need the widest moves, smaller ones often ride along
    primaries.sort_by_key(|c| (std::cmp::Reverse(sys.cells[*c].value), *c));
    let ctx = Ctx { sys: &sys, tables, max_value, needs: &needs };
    for c in &primaries {
        for dir in [Dir::Up, Dir::Down] {
            ctx.protect_cell(&mut sup, *c, dir, false)?;
        }
    }
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
    let status = tables
        .iter()
        .enumerate()
        .map(|(t, table)| {
            (0..table.values.len())
                .map(|i| if sup[sys.cell_of[t][i]] { ConfStatus::Confidential } else { ConfStatus::Free })
                .collect()
        })
        .collect();
    Ok(Protection { status, audit: report })
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
            0.0
        } else if cell.grand_total {
            GRAND_TOTAL_COST
        } else {
            1.0 + cell.value as f64 / (self.max_value as f64 + 1.0)
        }
    }

    /// Adds suppressions so that cell `c` can move by its protection in direction `dir`. When
    /// no pattern can (cells printed by an earlier release hold it), leaves it to the audit to
    /// report, after earlier releases; without them that cannot happen (an error).
    fn protect_cell(&self, sup: &mut [bool], c: usize, dir: Dir, linked_only: bool) -> Result<(), SdcError> {
        let value = self.sys.cells[c].value;
        let p = self.needs.protection[c];
        let amount = match dir {
            Dir::Up => p,
            Dir::Down => p.min(value),
        };
        if amount == 0 {
            return Ok(());
        }
        let cell = &self.sys.cells[c];
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
                if self.try_set(sup, c, dir, amount, &set)? {
                    return Ok(());
                }
            }
        }
        let set = self.linked(c);
        if self.try_set(sup, c, dir, amount, &set)? || self.needs.known.iter().any(|k| *k) {
            return Ok(());
        }
        let (t, i) = cell.shown[0];
        Err(SdcError::Unprotectable { table: self.tables[t].spec.id.clone(), index: i })
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

    /// Solves the protection program over the cells of `set` (the others fixed); on success
    /// suppresses every cell that moves and returns true.
    fn try_set(&self, sup: &mut [bool], c: usize, dir: Dir, amount: u64, set: &[usize]) -> Result<bool, SdcError> {
        let n = self.sys.cells.len();
        let mut var_of: Vec<Option<(usize, usize)>> = vec![None; n];
        let mut lp = Lp::default();
        // a cell printed by an earlier release is public: it stays fixed
        for x in set.iter().filter(|x| !self.needs.known[**x]) {
            let cost = self.cost(sup, *x);
            let v = self.sys.cells[*x].value as f64;
            let (up, down) = if *x == c {
                match dir {
                    Dir::Up => (lp.var(0.0, amount as f64, amount as f64), lp.var(0.0, 0.0, 0.0)),
                    Dir::Down => (lp.var(0.0, 0.0, 0.0), lp.var(0.0, amount as f64, amount as f64)),
                }
            } else {
                (lp.var(cost, 0.0, f64::INFINITY), lp.var(cost, 0.0, v))
            };
            var_of[*x] = Some((up, down));
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
                for cell in set {
                    if let Some((up, down)) = var_of[*cell]
                        && x[up] + x[down] > TOL
                    {
                        sup[*cell] = true;
                    }
                }
                Ok(true)
            }
            Outcome::Infeasible | Outcome::Unbounded => Ok(false),
        }
    }
}
