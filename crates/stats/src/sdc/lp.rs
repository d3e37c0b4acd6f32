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
