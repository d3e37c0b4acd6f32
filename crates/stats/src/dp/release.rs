//! A differentially private release of a set of linked tables.

use super::amount::PrivacyCost;
use super::params::{CalibrationError, DpParams, Mechanism, Noise, ParamError, calibrate, gaussian_rho};
use super::project::{Cell, fit_two_way, project_sum};
use super::sample::{Rational, SampleError, discrete_gaussian, discrete_laplace};
use crate::model::{CellKey, ConfStatus, Observation, Table, TableSpec};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use thiserror::Error;

/// Why a release could not be made. Nothing is released when any of these occurs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DpError {
    #[error(transparent)]
    Param(#[from] ParamError),
    #[error("table {table}: {values} values for {cells} cells")]
    Shape { table: String, values: usize, cells: usize },
    #[error("table {table} has {dims} dimensions; a release supports tables of at most two")]
    Unsupported { table: String, dims: usize },
    #[error(transparent)]
    Calibration(#[from] CalibrationError),
    #[error(transparent)]
    Sample(#[from] SampleError),
    #[error("table {table}: no non-negative table meets the released margins (the tables' structure is inconsistent)")]
    Infeasible { table: String },
    #[error("cannot seed the random number generator from the operating system: {0}")]
    Rng(String),
}

/// A differentially private release of linked tables.
///
/// Every value is a non-negative integer, every additive relation of every table holds exactly,
/// and a cell that appears in several tables (same [`CellKey`]) has one value everywhere. Sums
/// of releases of several countries are therefore consistent tables too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DpRelease {
    /// The released tables, in the order given, with the same specifications.
    pub tables: Vec<Table>,
    /// For every table and cell: the standard deviation, in persons, of the cell's error before
    /// post-processing (the noise drawn for it, or for a margin obtained by adding noisy cells,
    /// the square root of the sum of their variances). 0 for a cell the structure forces to 0.
    pub std_dev: Vec<Vec<f64>>,
    pub mechanism: Mechanism,
    /// What the release spends: ε (and δ for the Gaussian) of the whole release.
    pub spent: PrivacyCost,
    /// For the Gaussian: the zero-concentrated DP parameter ρ of the whole release.
    pub rho: Option<Rational>,
    /// The number of noisy queries the budget was split across (equally).
    pub queries: usize,
    /// The noise of each query.
    pub noise: Noise,
}

impl DpRelease {
    /// One observation per distinct cell (first table first), free for publication, with the
    /// standard deviation of its error before post-processing as `error`.
    pub fn observations(&self) -> Vec<Observation> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for (table, sds) in self.tables.iter().zip(&self.std_dev) {
            for (i, (v, sd)) in table.values.iter().zip(sds).enumerate() {
                let key = table.spec.key(i);
                if seen.insert(key.clone()) {
                    out.push(Observation { key, value: Some(*v), conf: ConfStatus::Free, error: Some(*sd) });
                }
            }
        }
        out
    }
}

/// One step of the release plan. Steps refer to distinct cells (keys) by number.
#[derive(Debug, Clone)]
enum Op {
    /// The structure forces these cells to 0 (a table with a dimension without codes).
    Zero(Vec<usize>),
    /// One noisy query over cells counting disjoint sets of persons.
    Noise(Vec<usize>),
    /// A cell released alone: its noisy value, clipped at 0.
    Clamp(usize),
    /// The cells of `parts` not yet released: their noisy values projected to non-negative
    /// integers summing to `total` minus the released parts.
    Project { table: usize, total: usize, parts: Vec<usize> },
    /// Free cells clipped at 0 (their totals are then their sums).
    Clip(Vec<usize>),
    /// `total = sum(parts)`, all released.
    Sum { total: usize, parts: Vec<usize> },
    /// A two-way table's free inner cells fitted to its released margins.
    Fit { table: usize, rows: Vec<usize>, cols: Vec<usize>, cells: Vec<usize> },
}

/// The plan of a release: which cells get noise in which query and how the rest follows. It
/// depends on the table specifications only, never on the counts.
struct Plan {
    /// Key number of every cell of every table.
    ids: Vec<Vec<usize>>,
    /// The distinct keys, by number.
    keys: Vec<CellKey>,
    n_keys: usize,
    ops: Vec<Op>,
    queries: usize,
}

fn plan(specs: &[&TableSpec]) -> Result<Plan, DpError> {
    let mut numbers: HashMap<CellKey, usize> = HashMap::new();
    let mut tables_with: Vec<usize> = Vec::new();
    let mut ids = Vec::with_capacity(specs.len());
    for spec in specs {
        if spec.dims.len() > 2 {
            return Err(DpError::Unsupported { table: spec.id.clone(), dims: spec.dims.len() });
        }
        let mut row = Vec::with_capacity(spec.len());
        let mut in_this = std::collections::HashSet::new();
        for i in 0..spec.len() {
            let next = numbers.len();
            let id = *numbers.entry(spec.key(i)).or_insert(next);
            if id == tables_with.len() {
                tables_with.push(0);
            }
            if in_this.insert(id) {
                tables_with[id] += 1;
            }
            row.push(id);
        }
        ids.push(row);
    }
    let n_keys = numbers.len();
    let mut keys = vec![CellKey { indicator: crate::model::Indicator::Registered, codes: Vec::new() }; n_keys];
    for (k, id) in numbers {
        keys[id] = k;
    }
    let shared: Vec<bool> = tables_with.iter().map(|n| *n > 1).collect();

    // depth of every key in the hierarchy of relations (a part is deeper than its total)
    let relations: Vec<(usize, Vec<usize>)> = specs
        .iter()
        .zip(&ids)
        .flat_map(|(spec, row)| {
            spec.relations().into_iter().map(|r| (row[r.total], r.parts.iter().map(|p| row[*p]).collect()))
        })
        .collect();
    let mut depth = vec![0usize; n_keys];
    for _ in 0..=n_keys.min(64) {
        let mut changed = false;
        for (total, parts) in &relations {
            for p in parts {
                if depth[*p] < depth[*total] + 1 && depth[*total] < n_keys {
                    depth[*p] = depth[*total] + 1;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut order: Vec<usize> = (0..specs.len()).collect();
    order.sort_by_key(|t| ids[*t].last().map_or(0, |g| depth[*g]));

    let mut ops = Vec::new();
    let mut fixed = vec![false; n_keys];
    // cells forced to 0 by a dimension without codes
    for (spec, row) in specs.iter().zip(&ids) {
        if spec.dims.iter().any(|d| d.codes.is_empty()) {
            let zero: Vec<usize> = row.iter().copied().filter(|k| !fixed[*k]).collect();
            zero.iter().for_each(|k| fixed[*k] = true);
            if !zero.is_empty() {
                ops.push(Op::Zero(zero));
            }
        }
    }
    for t in order {
        let spec = specs[t];
        let row = &ids[t];
        match spec.dims.len() {
            0 => {
                if let Some(&g) = row.last().filter(|g| !fixed[**g]) {
                    ops.push(Op::Noise(vec![g]));
                    ops.push(Op::Clamp(g));
                    fixed[g] = true;
                }
            }
            1 => plan_one_way(t, row, &shared, &mut fixed, &mut ops),
            _ => {
                let (na, nb) = (spec.dims[0].codes.len(), spec.dims[1].codes.len());
                plan_two_way(t, row, na, nb, &shared, &mut fixed, &mut ops);
            }
        }
    }
    let queries = ops.iter().filter(|o| matches!(o, Op::Noise(_))).count();
    Ok(Plan { ids, keys, n_keys, ops, queries })
}

fn noise_free(keys: &[usize], fixed: &mut [bool], ops: &mut Vec<Op>) {
    let free: Vec<usize> = keys.iter().copied().filter(|k| !fixed[*k]).collect();
    if !free.is_empty() {
        ops.push(Op::Noise(free));
    }
}

fn plan_one_way(t: usize, row: &[usize], shared: &[bool], fixed: &mut [bool], ops: &mut Vec<Op>) {
    let Some((&g, inner)) = row.split_last() else { return };
    if !fixed[g] && !inner.is_empty() && inner.iter().all(|k| fixed[*k]) {
        ops.push(Op::Sum { total: g, parts: inner.to_vec() });
        fixed[g] = true;
    }
    if !fixed[g] && (shared[g] || inner.iter().any(|k| fixed[*k])) {
        ops.push(Op::Noise(vec![g]));
        ops.push(Op::Clamp(g));
        fixed[g] = true;
    }
    noise_free(inner, fixed, ops);
    if fixed[g] {
        ops.push(Op::Project { table: t, total: g, parts: inner.to_vec() });
    } else {
        ops.push(Op::Clip(inner.iter().copied().filter(|k| !fixed[*k]).collect()));
        ops.push(Op::Sum { total: g, parts: inner.to_vec() });
    }
    row.iter().for_each(|k| fixed[*k] = true);
}

fn plan_two_way(t: usize, row: &[usize], na: usize, nb: usize, shared: &[bool], fixed: &mut [bool], ops: &mut Vec<Op>) {
    let at = |a: usize, b: usize| row[a * (nb + 1) + b];
    let g = at(na, nb);
    let rows: Vec<usize> = (0..na).map(|a| at(a, nb)).collect();
    let cols: Vec<usize> = (0..nb).map(|b| at(na, b)).collect();
    let inner: Vec<usize> = (0..na).flat_map(|a| (0..nb).map(move |b| (a, b))).map(|(a, b)| at(a, b)).collect();
    let all_fixed = |keys: &[usize], fixed: &[bool]| keys.iter().all(|k| fixed[*k]);
    if !fixed[g] {
        for margin in [&rows, &cols] {
            if !fixed[g] && all_fixed(margin, fixed) {
                ops.push(Op::Sum { total: g, parts: margin.clone() });
                fixed[g] = true;
            }
        }
    }
    let needs_noise =
        |m: &[usize], fixed: &[bool]| m.iter().any(|k| !fixed[*k]) && m.iter().any(|k| shared[*k] || fixed[*k]);
    let (noise_rows, noise_cols) = (needs_noise(&rows, fixed), needs_noise(&cols, fixed));
    if !fixed[g] && (shared[g] || noise_rows || noise_cols) {
        ops.push(Op::Noise(vec![g]));
        ops.push(Op::Clamp(g));
        fixed[g] = true;
    }
    for (margin, noise) in [(&rows, noise_rows), (&cols, noise_cols)] {
        if noise {
            noise_free(margin, fixed, ops);
            ops.push(Op::Project { table: t, total: g, parts: margin.clone() });
            margin.iter().for_each(|k| fixed[*k] = true);
        }
    }
    noise_free(&inner, fixed, ops);
    let (rows_fixed, cols_fixed) = (all_fixed(&rows, fixed), all_fixed(&cols, fixed));
    let line = |a: usize| -> Vec<usize> { (0..nb).map(|b| at(a, b)).collect() };
    let column = |b: usize| -> Vec<usize> { (0..na).map(|a| at(a, b)).collect() };
    if rows_fixed && cols_fixed {
        ops.push(Op::Fit { table: t, rows: rows.clone(), cols: cols.clone(), cells: inner.clone() });
    } else if rows_fixed {
        (0..na).for_each(|a| ops.push(Op::Project { table: t, total: rows[a], parts: line(a) }));
        (0..nb).for_each(|b| ops.push(Op::Sum { total: cols[b], parts: column(b) }));
    } else if cols_fixed {
        (0..nb).for_each(|b| ops.push(Op::Project { table: t, total: cols[b], parts: column(b) }));
        (0..na).for_each(|a| ops.push(Op::Sum { total: rows[a], parts: line(a) }));
    } else {
        if fixed[g] {
            ops.push(Op::Project { table: t, total: g, parts: inner.clone() });
        } else {
            ops.push(Op::Clip(inner.iter().copied().filter(|k| !fixed[*k]).collect()));
        }
        (0..na).for_each(|a| ops.push(Op::Sum { total: rows[a], parts: line(a) }));
        (0..nb).for_each(|b| ops.push(Op::Sum { total: cols[b], parts: column(b) }));
        if !fixed[g] {
            ops.push(Op::Sum { total: g, parts: rows.clone() });
        }
    }
    row.iter().for_each(|k| fixed[*k] = true);
}

/// The number of noisy queries a release of tables with these specifications makes (the budget
/// is split equally across them). It depends on the specifications only.
pub fn query_count(specs: &[TableSpec]) -> Result<usize, DpError> {
    let refs: Vec<&TableSpec> = specs.iter().collect();
    Ok(plan(&refs)?.queries)
}

/// The cells each noisy query of a release covers, by key, in the order the queries are
/// drawn: which statistics get noise of their own (the others follow from them).
pub fn queries(specs: &[TableSpec]) -> Result<Vec<Vec<CellKey>>, DpError> {
    let refs: Vec<&TableSpec> = specs.iter().collect();
    let plan = plan(&refs)?;
    Ok(plan
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Noise(keys) => Some(keys.iter().map(|k| plan.keys[*k].clone()).collect()),
            _ => None,
        })
        .collect())
}

/// Releases `tables` (true counts, margins included) with differential privacy.
///
/// **Guarantee.** Two data sets are neighbours when one has one person more than the other.
/// The tables must be built with one record per person, each person falling in at most one
/// inner cell of each table (as [`crate::national::build`] does), and their specifications
/// (the codes shown) must not depend on the data: a list of citizenships taken from the data
/// itself reveals that someone of each citizenship is present, so use a list fixed in advance.
/// Then every noisy query below counts disjoint sets of persons, and adding or removing one
/// person changes it by at most 1 in L1 and in L2 norm (sensitivity 1). With `k` queries:
/// - discrete Laplace: each query gets scale `k / ε` and is (ε / k)-DP; by sequential
///   composition the release is ε-DP;
/// - discrete Gaussian: each query gets `sigma^2` and is 1 / (2 sigma^2)-zCDP; the release is
///   `ρ = k / (2 sigma^2)`-zCDP, hence (ε, δ)-DP (see [`super::params::calibrate`]).
///
/// **Queries (top-down).** Tables are taken from the top of the hierarchy down (a table whose
/// grand total is an inner cell or margin of another comes after it), and within a table: the
/// grand total, then each margin, then the inner cells. A cell already released by an earlier
/// table keeps its value. A grand total or margin gets its own query only when one of its cells
/// appears in another table (it is then released before the cells below it, as a target);
/// a grand total or margin seen in one table only is the sum of the released cells below it.
/// The inner cells not yet released form one query per table. The budget is split equally
/// across the queries; [`query_count`] gives their number.
///
/// **Post-processing.** A lone total is clipped at 0. Cells below a released total are
/// projected to non-negative integers summing to it (clip, scale, largest remainder). Inner
/// cells below released row and column margins are fitted to both by a minimum-cost flow
/// (closest non-negative integer table in a convex distance). Cells of a dimension without
/// codes are 0.
///
/// `rng` must be cryptographically secure for a real release (see [`release_with_os_rng`]);
/// tests pass a seeded generator.
pub fn release<R: RngCore + ?Sized>(tables: &[Table], params: &DpParams, rng: &mut R) -> Result<DpRelease, DpError> {
    params.validate()?;
    for t in tables {
        if t.values.len() != t.spec.len() {
            return Err(DpError::Shape { table: t.spec.id.clone(), values: t.values.len(), cells: t.spec.len() });
        }
    }
    let specs: Vec<&TableSpec> = tables.iter().map(|t| &t.spec).collect();
    let plan = plan(&specs)?;
    let noise = calibrate(params, plan.queries)?;
    let sd_query = noise.std_dev();

    // the true value of every key (from the first table holding it)
    let mut truth = vec![0u64; plan.n_keys];
    let mut seen = vec![false; plan.n_keys];
    for (t, row) in tables.iter().zip(&plan.ids) {
        for (v, k) in t.values.iter().zip(row) {
            if !seen[*k] {
                seen[*k] = true;
                truth[*k] = *v;
            }
        }
    }
    let mut noisy = vec![0i128; plan.n_keys];
    let mut value: Vec<Option<u64>> = vec![None; plan.n_keys];
    let mut sd = vec![0f64; plan.n_keys];
    let table_id = |t: usize| tables.get(t).map_or_else(String::new, |x| x.spec.id.clone());
    for op in &plan.ops {
        match op {
            Op::Zero(keys) => keys.iter().for_each(|k| value[*k] = Some(0)),
            Op::Noise(keys) => {
                for k in keys {
                    let z = match noise {
                        Noise::Laplace { scale } => discrete_laplace(rng, scale)?,
                        Noise::Gaussian { sigma2 } => discrete_gaussian(rng, sigma2)?,
                    };
                    noisy[*k] = i128::from(truth[*k]) + z;
                    sd[*k] = sd_query;
                }
            }
            Op::Clamp(k) => value[*k] = Some(u64::try_from(noisy[*k].max(0)).unwrap_or(u64::MAX)),
            Op::Clip(keys) => {
                for k in keys {
                    value[*k] = Some(u64::try_from(noisy[*k].max(0)).unwrap_or(u64::MAX));
                }
            }
            Op::Sum { total, parts } => {
                let mut s: u64 = 0;
                let mut var = 0.0;
                for p in parts {
                    let v = value[*p].ok_or_else(|| DpError::Infeasible { table: String::new() })?;
                    s = s.checked_add(v).ok_or_else(|| DpError::Infeasible { table: String::new() })?;
                    var += sd[*p] * sd[*p];
                }
                if value[*total].is_none() {
                    value[*total] = Some(s);
                    sd[*total] = var.sqrt();
                }
            }
            Op::Project { table, total, parts } => {
                let infeasible = || DpError::Infeasible { table: table_id(*table) };
                let mut target = i128::from(value[*total].ok_or_else(infeasible)?);
                let mut free = Vec::new();
                for p in parts {
                    match value[*p] {
                        Some(v) => target -= i128::from(v),
                        None => free.push(*p),
                    }
                }
                let target = u64::try_from(target).map_err(|_| infeasible())?;
                let ys: Vec<i128> = free.iter().map(|k| noisy[*k]).collect();
                let xs = project_sum(&ys, target).ok_or_else(infeasible)?;
                for (k, x) in free.iter().zip(xs) {
                    value[*k] = Some(x);
                }
            }
            Op::Fit { table, rows, cols, cells } => {
                let infeasible = || DpError::Infeasible { table: table_id(*table) };
                let rt: Vec<u64> = rows.iter().map(|k| value[*k].ok_or_else(infeasible)).collect::<Result<_, _>>()?;
                let ct: Vec<u64> = cols.iter().map(|k| value[*k].ok_or_else(infeasible)).collect::<Result<_, _>>()?;
                let cs: Vec<Cell> =
                    cells.iter().map(|k| value[*k].map_or(Cell::Free(noisy[*k]), Cell::Fixed)).collect();
                let width = sd_query.round().max(1.0) as u64;
                let xs = fit_two_way(rows.len(), cols.len(), &cs, &rt, &ct, width).ok_or_else(infeasible)?;
                for (k, x) in cells.iter().zip(xs) {
                    value[*k] = Some(x);
                }
            }
        }
    }
    let mut out_tables = Vec::with_capacity(tables.len());
    let mut out_sd = Vec::with_capacity(tables.len());
    for (t, row) in tables.iter().zip(&plan.ids) {
        let values: Vec<u64> = row
            .iter()
            .map(|k| value[*k].ok_or_else(|| DpError::Infeasible { table: t.spec.id.clone() }))
            .collect::<Result<_, _>>()?;
        let released = Table { spec: t.spec.clone(), values };
        // defensive: every relation holds
        for r in released.spec.relations() {
            let s: u64 = r.parts.iter().map(|p| released.values[*p]).sum();
            if s != released.values[r.total] {
                return Err(DpError::Infeasible { table: t.spec.id.clone() });
            }
        }
        out_sd.push(row.iter().map(|k| sd[*k]).collect());
        out_tables.push(released);
    }
    let rho = match noise {
        Noise::Gaussian { sigma2 } => Some(gaussian_rho(plan.queries, sigma2)),
        Noise::Laplace { .. } => None,
    };
    Ok(DpRelease {
        tables: out_tables,
        std_dev: out_sd,
        mechanism: params.mechanism,
        spent: params.cost(),
        rho,
        queries: plan.queries,
        noise,
    })
}

/// [`release`] with noise from a ChaCha generator seeded from the operating system's secure
/// random source (`StdRng::try_from_os_rng`): what the application uses for a real release.
pub fn release_with_os_rng(tables: &[Table], params: &DpParams) -> Result<DpRelease, DpError> {
    use rand::SeedableRng;
    let mut rng = rand::rngs::StdRng::try_from_os_rng().map_err(|e| DpError::Rng(e.to_string()))?;
    release(tables, params, &mut rng)
}
