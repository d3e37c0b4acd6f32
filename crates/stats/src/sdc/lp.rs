//! A thin layer over the `microlp` simplex solver (pure Rust, `f64`): small linear programs
//! with bounded variables and equality rows.
//!
//! Every coefficient is `0`, `1` or `-1` and every bound and right-hand side a whole count,
//! so the programs are well conditioned; results are read with [`TOL`].

use super::SdcError;
use microlp::{ComparisonOp, OptimizationDirection, Problem};

/// Tolerance when comparing an optimum with a whole number.
pub(crate) const TOL: f64 = 1e-6;

/// A linear program: `min obj . x` subject to `rows` (`sum coef * x = rhs`) and bounds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lp {
    pub bounds: Vec<(f64, f64)>,
    pub obj: Vec<f64>,
    pub rows: Vec<(Vec<(usize, f64)>, f64)>,
}

/// The outcome of a solve.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    Optimal { objective: f64, x: Vec<f64> },
    Infeasible,
    Unbounded,
}

impl Lp {
    pub fn var(&mut self, cost: f64, lo: f64, hi: f64) -> usize {
        self.bounds.push((lo, hi));
        self.obj.push(cost);
        self.bounds.len() - 1
    }

    /// Minimises (or maximises, with `maximize`) the objective.
    pub fn solve(&self, maximize: bool) -> Result<Outcome, SdcError> {
        let dir = if maximize { OptimizationDirection::Maximize } else { OptimizationDirection::Minimize };
        let mut p = Problem::new(dir);
        let vars: Vec<_> = self.bounds.iter().zip(&self.obj).map(|((lo, hi), c)| p.add_var(*c, (*lo, *hi))).collect();
        for (terms, rhs) in &self.rows {
            let expr: Vec<_> = terms.iter().map(|(v, c)| (vars[*v], *c)).collect();
            p.add_constraint(expr.as_slice(), ComparisonOp::Eq, *rhs);
        }
        match p.solve() {
            Ok(outcome) => match outcome.into_solution() {
                Ok(s) => {
                    let x = vars.iter().map(|v| s.var_value(*v)).collect();
                    Ok(Outcome::Optimal { objective: s.objective(), x })
                }
                Err(e) => Err(SdcError::Lp(format!("interrupted: {e:?}"))),
            },
            Err(microlp::Error::Infeasible) => Ok(Outcome::Infeasible),
            Err(microlp::Error::Unbounded) => Ok(Outcome::Unbounded),
            Err(e) => Err(SdcError::Lp(e.to_string())),
        }
    }
}

/// An optimal basis of a program kept to solve variants of it that differ only in fixed
/// variables: each variant starts from it (dual simplex from a basis that stays dual feasible)
/// instead of from scratch.
#[derive(Debug, Clone)]
pub(crate) struct Warm {
    solution: microlp::Solution,
    vars: Vec<microlp::Variable>,
}

impl Lp {
    /// Minimises the objective and keeps the optimal basis; `None` when the program is
    /// infeasible or unbounded.
    pub fn solve_warm(&self) -> Result<Option<Warm>, SdcError> {
        let mut p = Problem::new(OptimizationDirection::Minimize);
        let vars: Vec<_> = self.bounds.iter().zip(&self.obj).map(|((lo, hi), c)| p.add_var(*c, (*lo, *hi))).collect();
        for (terms, rhs) in &self.rows {
            let expr: Vec<_> = terms.iter().map(|(v, c)| (vars[*v], *c)).collect();
            p.add_constraint(expr.as_slice(), ComparisonOp::Eq, *rhs);
        }
        match p.solve() {
            Ok(outcome) => match outcome.into_solution() {
                Ok(solution) => Ok(Some(Warm { solution, vars })),
                Err(e) => Err(SdcError::Lp(format!("interrupted: {e:?}"))),
            },
            Err(microlp::Error::Infeasible | microlp::Error::Unbounded) => Ok(None),
            Err(e) => Err(SdcError::Lp(e.to_string())),
        }
    }
}

impl Warm {
    /// The program with each variable of `fixes` fixed at its value (in that order), solved
    /// from the kept basis; `None` when that is infeasible or unbounded.
    pub fn fixed(&self, fixes: &[(usize, f64)]) -> Result<Option<Warm>, SdcError> {
        let mut solution = self.solution.clone();
        for (v, value) in fixes {
            let var = *self.vars.get(*v).ok_or_else(|| SdcError::Lp(format!("variable {v} out of range")))?;
            solution = match solution.fix_var(var, *value) {
                Ok(outcome) => match outcome.into_solution() {
                    Ok(s) => s,
                    Err(e) => return Err(SdcError::Lp(format!("interrupted: {e:?}"))),
                },
                Err(microlp::Error::Infeasible | microlp::Error::Unbounded) => return Ok(None),
                Err(e) => return Err(SdcError::Lp(e.to_string())),
            };
        }
        Ok(Some(Warm { solution, vars: self.vars.clone() }))
    }

    /// The program with each variable of `fixes` fixed at its value, solved from the kept
    /// basis.
    pub fn with_fixed(&self, fixes: &[(usize, f64)]) -> Result<Outcome, SdcError> {
        match self.fixed(fixes)? {
            Some(w) => {
                let x = w.vars.iter().map(|v| w.solution.var_value(*v)).collect();
                Ok(Outcome::Optimal { objective: w.solution.objective(), x })
            }
            None => Ok(Outcome::Infeasible),
        }
    }
}

/// The outcome of an integer feasibility search.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum IntegerOutcome {
    /// An integral point of the program.
    Found(Vec<f64>),
    /// No integral point.
    Infeasible,
    /// The node budget ran out first.
    Undecided,
}

impl Lp {
    /// Looks for a point of the program whose variables are all whole numbers (bounds rounded
    /// inwards), by microlp's branch and bound with at most `nodes` nodes (deterministic: no
    /// clock).
    pub fn solve_integer(&self, nodes: u64) -> Result<IntegerOutcome, SdcError> {
        let mut p = Problem::new(OptimizationDirection::Minimize);
        let mut vars = Vec::with_capacity(self.bounds.len());
        for ((lo, hi), c) in self.bounds.iter().zip(&self.obj) {
            let lo = lo.ceil().clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32;
            let hi = hi.floor().clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32;
            if lo > hi {
                return Ok(IntegerOutcome::Infeasible);
            }
            vars.push(p.add_integer_var(*c, (lo, hi)));
        }
        for (terms, rhs) in &self.rows {
            let expr: Vec<_> = terms.iter().map(|(v, c)| (vars[*v], *c)).collect();
            p.add_constraint(expr.as_slice(), ComparisonOp::Eq, *rhs);
        }
        let mut options = microlp::SolveOptions::default();
        options.node_limit = Some(nodes);
        match p.solve_with(options) {
            Ok(outcome) => match outcome.solution() {
                Some(s) => Ok(IntegerOutcome::Found(vars.iter().map(|v| s.var_value(*v).round()).collect())),
                None => Ok(IntegerOutcome::Undecided),
            },
            Err(microlp::Error::Infeasible) => Ok(IntegerOutcome::Infeasible),
            Err(microlp::Error::Unbounded) => Ok(IntegerOutcome::Undecided),
            Err(e) => Err(SdcError::Lp(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Programs shaped like the protection program (rows of 0/±1 summing to zero, costs of
        /// at least 0.01, variables in [0, hi]): fixing variables in a kept optimum gives the
        /// optimum of the program solved from scratch with those variables fixed.
        #[test]
        fn fixing_variables_in_a_kept_optimum_equals_a_cold_solve(
            n in 2usize..9,
            m in 1usize..6,
            coefs in proptest::collection::vec(-1i8..=1, 45),
            costs in proptest::collection::vec(1u8..50, 9),
            his in proptest::collection::vec(prop_oneof![Just(f64::INFINITY), (0u8..6).prop_map(f64::from)], 9),
            fixes in proptest::collection::vec((0usize..9, 0u8..4), 1..3),
        ) {
            let mut lp = Lp::default();
            for j in 0..n {
                lp.var(f64::from(costs[j]) / 100.0, 0.0, his[j]);
            }
            for i in 0..m {
                let row: Vec<(usize, f64)> =
                    (0..n).filter(|j| coefs[i * 9 + j] != 0).map(|j| (j, f64::from(coefs[i * 9 + j]))).collect();
                if !row.is_empty() {
                    lp.rows.push((row, 0.0));
                }
            }
            let warm = lp.solve_warm().unwrap().unwrap();
            // the last value given to a variable holds
            let mut fixed: Vec<(usize, f64)> = Vec::new();
            for (v, value) in &fixes {
                let v = v % n;
                fixed.retain(|(u, _)| *u != v);
                fixed.push((v, f64::from(*value)));
            }
            let mut cold = lp.clone();
            for (v, value) in &fixed {
                cold.bounds[*v] = (*value, *value);
            }
            // a value outside a variable's bounds is refused by the kept program
            if fixed.iter().any(|(v, value)| *value > lp.bounds[*v].1) {
                prop_assert_eq!(warm.with_fixed(&fixed).unwrap(), Outcome::Infeasible);
                return Ok(());
            }
            let got = warm.with_fixed(&fixed).unwrap();
            match (got, cold.solve(false).unwrap()) {
                (Outcome::Optimal { objective: a, x }, Outcome::Optimal { objective: b, .. }) => {
                    prop_assert!((a - b).abs() < 1e-6, "{a} vs {b}");
                    for (terms, rhs) in &lp.rows {
                        let lhs: f64 = terms.iter().map(|(j, c)| c * x[*j]).sum();
                        prop_assert!((lhs - rhs).abs() < 1e-6);
                    }
                    for (v, value) in &fixed {
                        prop_assert!((x[*v] - value).abs() < 1e-6);
                    }
                }
                (Outcome::Infeasible, Outcome::Infeasible) => {}
                (w, c) => prop_assert!(false, "warm {w:?} cold {c:?}"),
            }
        }
    }
}
