//! A dense primal simplex for `A x = b, x >= 0` that keeps its basis between objectives.
//!
//! The audit asks the same polytope for the minimum and maximum of every suppressed cell:
//! thousands of programs that differ only in their objective. Solved from scratch, each costs
//! a full phase 1; here phase 1 runs once, and every further objective starts from the last
//! optimal basis (still feasible, since only the objective changed), usually a few pivots away
//! from its optimum.
//!
//! The tableau is dense (rows of `B^-1 A` and `B^-1 b`), but pivots touch only the non-zero
//! entries of the pivot row and column, which stay few on tables (coefficients `0`, `±1`).
//! Pricing is Dantzig's rule, falling back to Bland's rule (which cannot cycle) after a run of
//! degenerate pivots. Each optimum is checked against the original rows; if rounding has
//! drifted, the tableau is rebuilt from scratch and the objective solved again.

use super::SdcError;

/// Reduced-cost tolerance.
const EPS: f64 = 1e-9;
/// Smallest pivot element accepted.
const PIVOT: f64 = 1e-7;
/// Entries smaller than this are set to zero after a pivot.
const DROP: f64 = 1e-12;
/// Largest residual `|A x - b|` accepted at an optimum.
const RESIDUAL: f64 = 1e-7;
/// Consecutive degenerate pivots before switching to Bland's rule.
const DEGENERATE_RUN: usize = 30;

/// The outcome of optimising one objective.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Opt {
    /// The optimum value of the variable and a point reaching it.
    Optimal(f64, Vec<f64>),
    /// The variable has no bound in that direction.
    Unbounded,
}

/// A feasible basis of `A x = b, x >= 0`.
#[derive(Debug, Clone)]
pub(crate) struct Simplex {
    rows: Vec<(Vec<(usize, f64)>, f64)>,
    n: usize,
    /// Row-major `m x (n + 1)`; the last column is the right-hand side.
    t: Vec<f64>,
    m: usize,
    /// The basic variable of every row (`usize::MAX - i`: the artificial of row `i`).
    basis: Vec<usize>,
    /// The row a variable is basic in.
    row_of: Vec<Option<usize>>,
    /// Pivots done, all objectives together.
    pub pivots: usize,
}

impl Simplex {
    /// The tableau of `rows` with every row's artificial basic (right-hand sides made `>= 0`).
    fn artificial(n: usize, rows: Vec<(Vec<(usize, f64)>, f64)>) -> Result<Simplex, SdcError> {
        let m = rows.len();
        let w = n + 1;
        let mut t = vec![0.0; m * w];
        for (i, (terms, rhs)) in rows.iter().enumerate() {
            let s = if *rhs < 0.0 { -1.0 } else { 1.0 };
            for (j, c) in terms {
                if *j >= n {
                    return Err(SdcError::Lp(format!("variable {j} out of range")));
                }
                t[i * w + j] += s * c;
            }
            t[i * w + n] = s * rhs;
        }
        Ok(Simplex { rows, n, t, m, basis: (0..m).map(|i| usize::MAX - i).collect(), row_of: vec![None; n], pivots: 0 })
    }

    /// Finds a feasible basis of `rows` (`sum coef * x = rhs`) over `n` variables `>= 0` by
    /// phase 1 (minimising the sum of artificial variables). `Ok(None)` when there is none.
    pub fn new(n: usize, rows: Vec<(Vec<(usize, f64)>, f64)>) -> Result<Option<Simplex>, SdcError> {
        let mut s = Simplex::artificial(n, rows)?;
        let w = n + 1;
        // the reduced costs of the sum of the artificials are minus the column sums
        let mut d = vec![0.0; w];
        for i in 0..s.m {
            for (dj, tij) in d.iter_mut().zip(&s.t[i * w..(i + 1) * w]) {
                *dj -= tij;
            }
        }
        if s.optimise(&mut d)? == Some(false) {
            return Err(SdcError::Lp("phase 1 unbounded".into()));
        }
        // objective = sum of artificials = -d[n]
        if -d[n] > 1e-6 {
            return Ok(None);
        }
        s.drop_artificials();
        Ok(Some(s))
    }

    /// The basis of a known vertex `x` of `A x = b, x >= 0` (its non-zero variables have
    /// independent columns), completed by columns at zero; `None` when `x` is not a vertex.
    pub fn from_vertex(n: usize, rows: Vec<(Vec<(usize, f64)>, f64)>, x: &[f64]) -> Result<Option<Simplex>, SdcError> {
        let mut s = Simplex::artificial(n, rows)?;
        let w = n + 1;
        for (j, xj) in x.iter().enumerate().take(n) {
            if *xj <= 1e-9 {
                continue;
            }
            let r = (0..s.m)
                .filter(|i| s.basis[*i] >= n)
                .max_by(|a, b| s.t[a * w + j].abs().total_cmp(&s.t[b * w + j].abs()));
            match r {
                Some(r) if s.t[r * w + j].abs() > 1e-7 => s.pivot(r, j, &mut []),
                _ => return Ok(None),
            }
        }
        s.drop_artificials();
        let p = s.point();
        let feasible = (0..s.m).all(|i| s.t[i * w + n] >= -1e-7) && s.residual_ok(&p);
        Ok(feasible.then_some(s))
    }

    /// Replaces every artificial still basic (at zero) by a structural column; a row where
    /// none can enter is redundant and dropped.
    fn drop_artificials(&mut self) {
        let n = self.n;
        let w = n + 1;
        let mut keep = Vec::with_capacity(self.m);
        for i in 0..self.m {
            if self.basis[i] < n {
                keep.push(i);
                continue;
            }
            let q = (0..n)
                .filter(|j| self.row_of[*j].is_none())
                .max_by(|a, b| self.t[i * w + a].abs().total_cmp(&self.t[i * w + b].abs()));
            match q {
                Some(q) if self.t[i * w + q].abs() > 1e-7 => {
                    self.pivot(i, q, &mut []);
                    keep.push(i);
                }
                _ => {}
            }
        }
        if keep.len() < self.m {
            let mut t = Vec::with_capacity(keep.len() * w);
            let mut basis = Vec::with_capacity(keep.len());
            for i in &keep {
                t.extend_from_slice(&self.t[i * w..(i + 1) * w]);
                basis.push(self.basis[*i]);
            }
            self.t = t;
            self.basis = basis;
            self.m = keep.len();
            self.row_of = vec![None; n];
            for (i, b) in self.basis.iter().enumerate() {
                self.row_of[*b] = Some(i);
            }
        }
    }

    fn w(&self) -> usize {
        self.n + 1
    }

    /// The current basic solution.
    pub fn point(&self) -> Vec<f64> {
        let w = self.w();
        let mut x = vec![0.0; self.n];
        for (i, b) in self.basis.iter().enumerate() {
            if *b < self.n {
                x[*b] = self.t[i * w + self.n].max(0.0);
            }
        }
        x
    }

    /// Pivots on row `r`, column `q`, updating the reduced costs `d` too (when not empty).
    fn pivot(&mut self, r: usize, q: usize, d: &mut [f64]) {
        let w = self.w();
        let p = self.t[r * w + q];
        let mut nz: Vec<(usize, f64)> = Vec::new();
        for j in 0..w {
            let v = self.t[r * w + j];
            if v != 0.0 {
                let v = if j == q { 1.0 } else { v / p };
                self.t[r * w + j] = v;
                nz.push((j, v));
            }
        }
        self.t[r * w + q] = 1.0;
        for i in 0..self.m {
            if i == r {
                continue;
            }
            let f = self.t[i * w + q];
            if f == 0.0 {
                continue;
            }
            let row = &mut self.t[i * w..(i + 1) * w];
            for (j, v) in &nz {
                let x = row[*j] - f * v;
                row[*j] = if x.abs() < DROP { 0.0 } else { x };
            }
            row[q] = 0.0;
            // a right-hand side is a count: what rounding leaves near zero is zero
            if row[w - 1].abs() < 1e-9 {
                row[w - 1] = 0.0;
            }
        }
        if !d.is_empty() {
            let f = d[q];
            if f != 0.0 {
                for (j, v) in &nz {
                    let x = d[*j] - f * v;
                    d[*j] = if x.abs() < DROP { 0.0 } else { x };
                }
                d[q] = 0.0;
            }
        }
        let old = self.basis[r];
        if old < self.n {
            self.row_of[old] = None;
        }
        self.basis[r] = q;
        self.row_of[q] = Some(r);
        self.pivots += 1;
    }

    /// Minimises with reduced costs `d` (last entry: minus the objective value). `Some(true)`
    /// optimal, `Some(false)` unbounded.
    fn optimise(&mut self, d: &mut [f64]) -> Result<Option<bool>, SdcError> {
        let w = self.w();
        let n = self.n;
        let mut degenerate = 0usize;
        let limit = 50 * (self.m + n) + 1000;
        for _ in 0..limit {
            let bland = degenerate >= DEGENERATE_RUN;
            let mut q = None;
            let mut best = -EPS;
            for (j, dj) in d.iter().enumerate().take(n) {
                if *dj < best && self.row_of[j].is_none() {
                    q = Some(j);
                    if bland {
                        break;
                    }
                    best = *dj;
                }
            }
            let Some(q) = q else { return Ok(Some(true)) };
            // Harris's ratio test: the largest pivot among rows whose ratio is within a
            // tolerance of the smallest (Bland: the smallest basic variable among them)
            let mut bound = f64::INFINITY;
            for i in 0..self.m {
                let a = self.t[i * w + q];
                if a > PIVOT {
                    bound = bound.min((self.t[i * w + n].max(0.0) + 1e-9) / a);
                }
            }
            let mut r: Option<(usize, f64, f64)> = None;
            for i in 0..self.m {
                let a = self.t[i * w + q];
                if a <= PIVOT {
                    continue;
                }
                let ratio = self.t[i * w + n].max(0.0) / a;
                if ratio > bound {
                    continue;
                }
                let better = match r {
                    None => true,
                    Some((ri, _, ra)) => {
                        if bland {
                            self.basis[i] < self.basis[ri]
                        } else {
                            a > ra
                        }
                    }
                };
                if better {
                    r = Some((i, ratio, a));
                }
            }
            let Some((r, ratio, _)) = r else { return Ok(Some(false)) };
            if ratio <= 1e-7 {
                degenerate += 1;
            } else {
                degenerate = 0;
            }
            self.pivot(r, q, d);
        }
        Err(SdcError::Lp("simplex iteration limit".into()))
    }

    /// Reduced costs of minimising `sign * x_v` at the current basis.
    fn costs(&self, v: usize, sign: f64) -> Vec<f64> {
        let w = self.w();
        let mut d = vec![0.0; w];
        match self.row_of[v] {
            None => d[v] = sign,
            Some(r) => {
                for (j, dj) in d.iter_mut().enumerate() {
                    *dj = -sign * self.t[r * w + j];
                }
                d[v] = 0.0;
            }
        }
        d
    }

    fn residual_ok(&self, x: &[f64]) -> bool {
        self.rows.iter().all(|(terms, rhs)| {
            let s: f64 = terms.iter().map(|(j, c)| c * x[*j]).sum();
            (s - rhs).abs() <= RESIDUAL * (1.0 + rhs.abs())
        })
    }

    /// Maximises (`maximize`) or minimises `x_v`, from the current basis.
    pub fn optimise_var(&mut self, v: usize, maximize: bool) -> Result<Opt, SdcError> {
        for attempt in 0..2 {
            let mut d = self.costs(v, if maximize { -1.0 } else { 1.0 });
            let res = self.optimise(&mut d)?;
            if res == Some(false) {
                return Ok(Opt::Unbounded);
            }
            let x = self.point();
            if self.residual_ok(&x) {
                return Ok(Opt::Optimal(x[v], x));
            }
            if attempt == 0 {
                // rounding drifted: start again from the original rows
                match Simplex::new(self.n, std::mem::take(&mut self.rows))? {
                    Some(fresh) => *self = Simplex { pivots: self.pivots + fresh.pivots, ..fresh },
                    None => return Err(SdcError::Lp("the program became infeasible".into())),
                }
            }
        }
        Err(SdcError::Lp("simplex lost accuracy".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::lp::{Lp, Outcome};
    use super::*;
    use proptest::prelude::*;

    fn cold(n: usize, rows: &[(Vec<(usize, f64)>, f64)], v: usize, maximize: bool) -> Outcome {
        let mut lp = Lp::default();
        for j in 0..n {
            lp.var(if j == v { 1.0 } else { 0.0 }, 0.0, f64::INFINITY);
        }
        lp.rows = rows.to_vec();
        lp.solve(maximize).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Random programs with 0/±1 rows whose right-hand side comes from a non-negative
        /// integer point: the warm-started optimum of every variable, both ways and in a random
        /// order, equals the cold microlp optimum.
        #[test]
        fn warm_started_optima_equal_cold_ones(
            n in 2usize..9,
            m in 1usize..7,
            coefs in proptest::collection::vec(-1i8..=1, 63),
            point in proptest::collection::vec(0u8..6, 9),
            order in proptest::collection::vec((0usize..9, any::<bool>()), 1..20),
        ) {
            let mut rows = Vec::new();
            for i in 0..m {
                let terms: Vec<(usize, f64)> = (0..n)
                    .filter(|j| coefs[i * 9 + j] != 0)
                    .map(|j| (j, f64::from(coefs[i * 9 + j])))
                    .collect();
                let rhs: f64 = terms.iter().map(|(j, c)| c * f64::from(point[*j])).sum();
                rows.push((terms, rhs));
            }
            let phase1 = Simplex::new(n, rows.clone()).unwrap().unwrap();
            // the basis of microlp's vertex, as the audit starts
            let crashed = match cold(n, &rows, 0, false) {
                Outcome::Optimal { x, .. } => Simplex::from_vertex(n, rows.clone(), &x).unwrap(),
                _ => None,
            };
            let mut s = crashed.unwrap_or(phase1);
            for (v, maximize) in order {
                let v = v % n;
                let warm = s.optimise_var(v, maximize).unwrap();
                match (warm, cold(n, &rows, v, maximize)) {
                    (Opt::Optimal(a, x), Outcome::Optimal { objective, .. }) => {
                        prop_assert!((a - objective).abs() < 1e-6, "{a} vs {objective}");
                        for (terms, rhs) in &rows {
                            let lhs: f64 = terms.iter().map(|(j, c)| c * x[*j]).sum();
                            prop_assert!((lhs - rhs).abs() < 1e-6);
                        }
                        prop_assert!(x.iter().all(|xj| *xj >= -1e-9));
                    }
                    (Opt::Unbounded, Outcome::Unbounded) => {}
                    (w, c) => prop_assert!(false, "warm {w:?} cold {c:?}"),
                }
            }
        }
    }

    #[test]
    fn an_infeasible_program_has_no_basis() {
        // x0 + x1 = -1 with x >= 0
        let rows = vec![(vec![(0, 1.0), (1, 1.0)], -1.0)];
        assert!(Simplex::new(2, rows).unwrap().is_none());
    }
}
