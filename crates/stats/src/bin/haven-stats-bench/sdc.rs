//! `sdc`: disclosure control of the national tables from synthetic records, timed, and the
//! side-by-side with tau-ARGUS (whose runs `bench/statistics/run.sh` drives).
//!
//! - `sdc run`: builds the national tables from `--records` synthetic persons (generation not
//!   timed), protects them jointly with the audit (timed, median of `--reps`), protects each
//!   table alone and the 3-D citizenship x age x exploitation table, and writes `tables.json`,
//!   `ours.json` and one CSV of inner cells per table (the input of tau-ARGUS) into `--out`.
//! - `sdc bound`: a lower bound on the secondary cells of any pattern that protects the 3-D
//!   table (see [`lower_bound`]), into `bound.json`.
//! - `sdc compare`: reads tau-ARGUS's patterns (`<out>/tau/<TABLE>_<METHOD>/result.csv` and
//!   `result.json`), audits them with our LP audit, and writes `compare.json`.

use clap::{Args as ClapArgs, Subcommand};
use haven_stats::model::{Concept, ConfStatus, Table, TableDim, TableSpec};
use haven_stats::national::{self, EXPLOIT_FINE};
use haven_stats::sdc::{self, ProtectionLevel, SdcParams};
use haven_stats::{Indicator, codes, synth};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Build, protect and audit; export the tables for tau-ARGUS.
    Run {
        #[arg(long, default_value_t = 1_000_000)]
        records: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long, default_value_t = 5)]
        threshold: u64,
        /// Protection as a percentage of the value (tau-ARGUS FREQ(threshold, percent)).
        #[arg(long, default_value_t = 10)]
        percent: u32,
        /// Protection of so many persons both ways instead (Haven's default rule; overrides
        /// `--percent`).
        #[arg(long)]
        absolute: Option<u64>,
        #[arg(long, default_value_t = 3)]
        reps: usize,
        /// Also protect the 3-D citizenship x age x exploitation table (once, not repeated).
        #[arg(long)]
        cube: bool,
        /// Only the 3-D table (implies --cube): no national release, no table alone.
        #[arg(long)]
        cube_only: bool,
        /// Time the suppression of the first table only, without the audit of its pattern (quick
        /// measurements with `--cube-only`;
        /// nothing is written).
        #[arg(long)]
        no_audit: bool,
        /// Also time `sdc::suppress_swapped` (with the swap pass) on the 3-D table and audit
        /// its pattern (`swap` in the table's row of `ours.json`).
        #[arg(long)]
        swap: bool,
        #[arg(long)]
        out: PathBuf,
    },
    /// A lower bound on the secondary cells of any pattern of the 3-D table that protects it
    /// (the LP relaxation of the relation-by-relation capacity conditions); writes
    /// `bound.json` into `--out`.
    Bound {
        #[arg(long, default_value_t = 1_000_000)]
        records: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long, default_value_t = 5)]
        threshold: u64,
        #[arg(long, default_value_t = 10)]
        percent: u32,
        #[arg(long)]
        absolute: Option<u64>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Audit tau-ARGUS's patterns and write the comparison.
    Compare {
        #[arg(long, default_value_t = 5)]
        threshold: u64,
        #[arg(long, default_value_t = 10)]
        percent: u32,
        #[arg(long)]
        absolute: Option<u64>,
        #[arg(long)]
        out: PathBuf,
    },
}

fn rule(threshold: u64, percent: u32, absolute: Option<u64>) -> SdcParams {
    match absolute {
        Some(p) => SdcParams { threshold, protection: ProtectionLevel::Absolute(p) },
        None => SdcParams { threshold, protection: ProtectionLevel::PercentOfValue(percent) },
    }
}

type R<T> = Result<T, String>;

/// The reporting country of the synthetic records (citizenship groups are seen from it).
const COUNTRY: &str = "LV";

pub fn run(args: Args) -> R<()> {
    match args.cmd {
        Cmd::Run { records, seed, threshold, percent, absolute, reps, cube, cube_only, no_audit, swap, out } => {
            let params = rule(threshold, percent, absolute);
            run_ours(records, seed, &params, reps, cube || cube_only, cube_only, (no_audit, swap), &out)
        }
        Cmd::Bound { records, seed, threshold, percent, absolute, out } => {
            let params = rule(threshold, percent, absolute);
            let records = synth::records(records, seed, COUNTRY);
            let citizens = national::citizens_of(&records);
            let t = national::build(&[cube_spec(&citizens)], &records, &[]).into_iter().next().ok_or("no table")?;
            let t0 = Instant::now();
            let (bound, rows) = lower_bound(&t, &params)?;
            let secs = t0.elapsed().as_secs_f64();
            let v = json!({ "table": t.spec.id, "lp_bound": bound, "bound": (bound - 1e-6).ceil(), "rows": rows, "seconds": secs });
            eprintln!("bound: {v}");
            std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
            write(&out.join("bound.json"), &v)
        }
        Cmd::Compare { threshold, percent, absolute, out } => {
            let params = rule(threshold, percent, absolute);
            compare(&params, &out)
        }
    }
}

/// The 3-D table of the peers: citizenship x age x (fine) form of exploitation.
pub fn cube_spec(citizens: &[String]) -> TableSpec {
    TableSpec {
        id: "VICT_CITIZEN_AGE_EXPLOIT".into(),
        indicator: Indicator::Registered,
        dims: vec![
            TableDim { concept: Concept::Citizen, codes: citizens.to_vec(), total: "_T".into() },
            TableDim::new(Concept::Age, codes::AGE),
            TableDim::new(Concept::Exploit, EXPLOIT_FINE),
        ],
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn summary(tables: &[Table], status: &[Vec<ConfStatus>], report: &sdc::AuditReport, params: &SdcParams) -> Value {
    let mut primary = 0usize;
    let mut secondary = 0usize;
    let mut secondary_zero = 0usize;
    let mut hidden = 0u64;
    let mut grand_totals = 0usize;
    let mut seen = std::collections::HashSet::new();
    for (t, st) in tables.iter().zip(status) {
        for (i, s) in st.iter().enumerate() {
            if !s.is_suppressed() || !seen.insert(t.spec.key(i)) {
                continue;
            }
            let v = t.values[i];
            hidden += v;
            if i + 1 == t.values.len() {
                grand_totals += 1;
            }
            if params.is_primary(v) {
                primary += 1;
            } else {
                secondary += 1;
                if v == 0 {
                    secondary_zero += 1;
                }
            }
        }
    }
    let unsafe_cells = report.unsafe_cells().count();
    json!({
        "primary": primary, "secondary": secondary, "secondary_zero_cells": secondary_zero,
        "suppressed_value_total": hidden, "grand_totals_suppressed": grand_totals,
        "audit_passed": report.passed, "audit_unsafe": unsafe_cells,
        "audit_lps": report.lps, "audit_components": report.components,
        "integer_certified": report.integer_certified, "integer_narrower": report.integer_narrower,
        "integer_unchecked": report.integer_unchecked,
    })
}

fn write(path: &Path, v: &Value) -> R<()> {
    let s = serde_json::to_string_pretty(v).map_err(|e| e.to_string())?;
    std::fs::write(path, s).map_err(|e| format!("{}: {e}", path.display()))
}

#[allow(clippy::too_many_arguments)]
fn run_ours(
    n: usize,
    seed: u64,
    params: &SdcParams,
    reps: usize,
    with_cube: bool,
    cube_only: bool,
    (no_audit, swap): (bool, bool),
    out: &Path,
) -> R<()> {
    std::fs::create_dir_all(out.join("tables")).map_err(|e| e.to_string())?;
    let records = synth::records(n, seed, COUNTRY);
    let citizens = national::citizens_of(&records);
    let specs = national::national_tables(&citizens, false);
    // the release: build + protect jointly + audit, timed end to end
    let mut times = Vec::new();
    let mut times_build = Vec::new();
    let mut last = None;
    for _ in 0..if cube_only { 0 } else { reps.max(1) } {
        let t0 = Instant::now();
        let tables = national::build(&specs, &records, &[]);
        let t1 = Instant::now();
        let prot = sdc::protect(COUNTRY, &tables, params).map_err(|e| e.to_string())?;
        let t2 = Instant::now();
        times.push((t2 - t0).as_secs_f64());
        times_build.push((t1 - t0).as_secs_f64());
        last = Some((tables, prot));
    }
    let (tables, release) = match last {
        Some((tables, prot)) => {
            let release = json!({
                "records": n, "tables": tables.len(),
                "cells": tables.iter().map(|t| t.values.len()).sum::<usize>(),
                "seconds_median": median(times.clone()), "seconds_all": times,
                "build_seconds_median": median(times_build),
                "summary": summary(&tables, &prot.status, &prot.audit, params),
            });
            eprintln!("release: {release}");
            (tables, release)
        }
        None => (Vec::new(), Value::Null),
    };
    // every table alone (as tau-ARGUS sees it), and the 3-D table
    let mut all = tables.clone();
    if with_cube {
        all.extend(national::build(&[cube_spec(&citizens)], &records, &[]));
    }
    let mut per_table = Vec::new();
    for t in &all {
        let mut ts = Vec::new();
        let (mut ts_sup, mut ts_audit) = (Vec::new(), Vec::new());
        let mut res = None;
        // the 3-D table once: its protection takes seconds
        let reps = if t.spec.dims.len() >= 3 { 1 } else { reps };
        for _ in 0..reps.max(1) {
            // suppression (search and clean-up) and the audit of its pattern, timed apart;
            // protect() is both, with a repair round if the audit finds a weak cell
            let t0 = Instant::now();
            let st =
                sdc::suppress(COUNTRY, std::slice::from_ref(t), params).map_err(|e| format!("{}: {e}", t.spec.id))?;
            let t1 = Instant::now();
            if no_audit {
                let (st, t0) = if swap {
                    let t0 = Instant::now();
                    (sdc::suppress_swapped(COUNTRY, std::slice::from_ref(t), params).map_err(|e| e.to_string())?, t0)
                } else {
                    (st, t0)
                };
                let t1 = Instant::now();
                let secondary =
                    st[0].iter().zip(&t.values).filter(|(s, v)| s.is_suppressed() && !params.is_primary(**v)).count();
                eprintln!("{}: suppression {:.2} s, secondary {secondary}", t.spec.id, (t1 - t0).as_secs_f64());
                return Ok(());
            }
            let rep =
                sdc::audit(COUNTRY, std::slice::from_ref(t), &st, params).map_err(|e| format!("{}: {e}", t.spec.id))?;
            let t2 = Instant::now();
            ts_sup.push((t1 - t0).as_secs_f64());
            ts_audit.push((t2 - t1).as_secs_f64());
            ts.push((t2 - t0).as_secs_f64());
            res = Some((st, rep));
        }
        let Some((st, rep)) = res else { return Err("no run".into()) };
        let mut row = json!({
            "table": t.spec.id, "cells": t.values.len(), "dims": t.spec.dims.len(),
            "seconds_median": median(ts), "suppress_seconds_median": median(ts_sup),
            "audit_seconds_median": median(ts_audit),
            "summary": summary(std::slice::from_ref(t), &st, &rep, params),
        });
        if swap && t.spec.dims.len() >= 3 {
            let one = std::slice::from_ref(t);
            let t0 = Instant::now();
            let st = sdc::suppress_swapped(COUNTRY, one, params).map_err(|e| format!("{}: {e}", t.spec.id))?;
            let t1 = Instant::now();
            let rep = sdc::audit(COUNTRY, one, &st, params).map_err(|e| format!("{}: {e}", t.spec.id))?;
            let t2 = Instant::now();
            row["swap"] = json!({
                "suppress_seconds": (t1 - t0).as_secs_f64(), "audit_seconds": (t2 - t1).as_secs_f64(),
                "summary": summary(one, &st, &rep, params),
            });
        }
        eprintln!("{row}");
        per_table.push(row);
        export_inner(t, &out.join("tables").join(format!("{}.csv", t.spec.id)))?;
    }
    write(&out.join("ours.json"), &json!({ "release": release, "per_table": per_table, "params": params }))?;
    let tj = serde_json::to_string(&json!({ "national": tables, "all": all })).map_err(|e| e.to_string())?;
    std::fs::write(out.join("tables.json"), tj).map_err(|e| e.to_string())
}

/// The inner cells of a table, one line per non-empty cell: its codes, then the count (the
/// pre-aggregated input of tau-ARGUS).
fn export_inner(t: &Table, path: &Path) -> R<()> {
    let mut w =
        csv::WriterBuilder::new().delimiter(b';').has_headers(false).from_path(path).map_err(|e| e.to_string())?;
    for (i, v) in t.values.iter().enumerate() {
        if *v == 0 || !t.spec.is_inner(i) {
            continue;
        }
        let pos = t.spec.positions_of(i);
        let mut rec: Vec<String> = t.spec.dims.iter().zip(&pos).map(|(d, p)| d.code_at(*p).to_owned()).collect();
        rec.push(v.to_string());
        w.write_record(&rec).map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}

/// tau-ARGUS's status of every cell of `t` from its result.csv (dimension columns, `n`,
/// `status`; totals coded `Total`; cells it does not list are empty, hence published zeros).
fn read_tau(t: &Table, path: &Path) -> R<Vec<ConfStatus>> {
    let mut r = csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let headers = r.headers().map_err(|e| e.to_string())?.clone();
    let status_col = headers.iter().position(|h| h == "status").ok_or("no status column")?;
    let dim_cols: Vec<usize> = (0..t.spec.dims.len())
        .map(|k| headers.iter().position(|h| h == format!("d{k}")).ok_or(format!("no column d{k}")))
        .collect::<R<_>>()?;
    let mut st = vec![ConfStatus::Free; t.values.len()];
    for rec in r.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        let mut pos = Vec::new();
        for (k, d) in t.spec.dims.iter().enumerate() {
            let code = rec.get(dim_cols[k]).unwrap_or("").trim();
            let p = if code == "Total" {
                d.codes.len()
            } else {
                d.codes.iter().position(|c| c == code).ok_or(format!("{}: unknown code {code}", t.spec.id))?
            };
            pos.push(p);
        }
        let s = match rec.get(status_col).unwrap_or("") {
            "U" | "M" => ConfStatus::Confidential,
            _ => ConfStatus::Free,
        };
        st[t.spec.index(&pos)] = s;
    }
    Ok(st)
}

fn compare(params: &SdcParams, out: &Path) -> R<()> {
    let tj = std::fs::read_to_string(out.join("tables.json")).map_err(|e| e.to_string())?;
    let v: Value = serde_json::from_str(&tj).map_err(|e| e.to_string())?;
    let all: Vec<Table> = serde_json::from_value(v["all"].clone()).map_err(|e| e.to_string())?;
    let national: Vec<Table> = serde_json::from_value(v["national"].clone()).map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    let mut joint = json!({});
    for method in ["MOD", "OPT"] {
        let mut release_status = Vec::new();
        for t in &all {
            let dir = out.join("tau").join(format!("{}_{method}", t.spec.id));
            let tau_json: Value = std::fs::read_to_string(dir.join("result.json"))
                .ok()
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or(Value::Null);
            let st = match read_tau(t, &dir.join("result.csv")) {
                Ok(st) => st,
                Err(e) => {
                    rows.push(json!({ "table": t.spec.id, "method": method, "error": e, "tau": tau_json }));
                    if national.iter().any(|n| n.spec.id == t.spec.id) {
                        release_status.push(vec![ConfStatus::Free; t.values.len()]);
                    }
                    continue;
                }
            };
            let t0 = Instant::now();
            let rep = sdc::audit(COUNTRY, std::slice::from_ref(t), std::slice::from_ref(&st), params)
                .map_err(|e| e.to_string())?;
            let audit_s = t0.elapsed().as_secs_f64();
            let row = json!({
                "table": t.spec.id, "method": method, "tau": tau_json, "our_audit_seconds": audit_s,
                "summary": summary(std::slice::from_ref(t), std::slice::from_ref(&st), &rep, params),
            });
            eprintln!("{row}");
            rows.push(row);
            if national.iter().any(|n| n.spec.id == t.spec.id) {
                release_status.push(st);
            }
        }
        // tau-ARGUS protects table by table: audit its national patterns as one linked release
        if !national.is_empty() && release_status.len() == national.len() {
            let rep = sdc::audit(COUNTRY, &national, &release_status, params).map_err(|e| e.to_string())?;
            joint[method] = summary(&national, &release_status, &rep, params);
        }
    }
    write(&out.join("compare.json"), &json!({ "per_table": rows, "tau_release_joint_audit": joint }))
}

/// A lower bound on the number of secondary cells of a pattern protecting table `t` under
/// `params` (the attacker of the LP audit, one table). For every small cell `p`, direction and
/// relation `r` through `p`, a change moving `p` by its amount `a` must be balanced inside `r`
/// by other hidden cells of `r`: when `p` goes up as a part, the total going up (any amount) or
/// other parts going down (each at most its count); when `p` goes down as a part, the total
/// going down (at most its count) or other parts going up (any amount); when `p` is the total,
/// its parts, the same way. A hidden cell `j` can so take up at most `cap_j` of `a`, and with
/// `x_j = 1` for a hidden cell: `sum min(1, cap_j / a) x_j >= 1`. Small cells are hidden (`x = 1`);
/// the linear-programming minimum of the other `x_j` under all these rows is a lower bound on
/// the secondary cells (rounded up). Returns the LP minimum and the number of rows.
fn lower_bound(t: &Table, params: &SdcParams) -> R<(f64, usize)> {
    use microlp::{ComparisonOp, OptimizationDirection, Problem};
    let n = t.values.len();
    let primary: Vec<bool> = t.values.iter().map(|v| params.is_primary(*v)).collect();
    let rels = t.spec.relations();
    let mut rels_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, r) in rels.iter().enumerate() {
        rels_of[r.total].push(k);
        for p in &r.parts {
            rels_of[*p].push(k);
        }
    }
    let mut rows: std::collections::BTreeSet<Vec<(usize, u64)>> = std::collections::BTreeSet::new();
    // capacities as fixed-point fractions of 1e6 (exact enough, and hashable)
    const ONE: u64 = 1_000_000;
    for p in (0..n).filter(|p| primary[*p]) {
        let v = t.values[p];
        let prot = params.protection_of(v);
        for (up, a) in [(true, prot), (false, prot.min(v))] {
            if a == 0 {
                continue;
            }
            for k in &rels_of[p] {
                let r = &rels[*k];
                let p_is_total = r.total == p;
                // (cell, capacity as a fraction of a)
                let mut others: Vec<(usize, u64)> = Vec::new();
                let frac = |value: u64| ((value.min(a)) * ONE) / a;
                if p_is_total {
                    for j in &r.parts {
                        others.push((*j, if up { ONE } else { frac(t.values[*j]) }));
                    }
                } else {
                    others.push((r.total, if up { ONE } else { frac(t.values[r.total]) }));
                    for j in r.parts.iter().filter(|j| **j != p) {
                        others.push((*j, if up { frac(t.values[*j]) } else { ONE }));
                    }
                }
                let fixed: u64 = others.iter().filter(|(j, _)| primary[*j]).map(|(_, c)| *c).sum();
                if fixed + 10 >= ONE {
                    continue;
                }
                let mut row: Vec<(usize, u64)> = others.into_iter().filter(|(j, c)| !primary[*j] && *c > 0).collect();
                // the right-hand side as the last entry (cell index n)
                row.sort_unstable();
                row.push((n, ONE - fixed));
                rows.insert(row);
            }
        }
    }
    let mut lp = Problem::new(OptimizationDirection::Minimize);
    let mut var = vec![None; n];
    for row in &rows {
        for (j, _) in &row[..row.len() - 1] {
            if var[*j].is_none() {
                var[*j] = Some(lp.add_var(1.0, (0.0, 1.0)));
            }
        }
    }
    for row in &rows {
        let Some((_, rhs)) = row.last() else { continue };
        let mut expr = Vec::new();
        for (j, c) in &row[..row.len() - 1] {
            if let Some(x) = var[*j] {
                expr.push((x, *c as f64 / ONE as f64));
            }
        }
        if expr.is_empty() {
            return Err(format!("a small cell cannot be protected in relation {row:?}"));
        }
        lp.add_constraint(expr.as_slice(), ComparisonOp::Ge, *rhs as f64 / ONE as f64);
    }
    let sol = lp.solve().map_err(|e| e.to_string())?.into_solution().map_err(|e| format!("{e:?}"))?;
    Ok((sol.objective(), rows.len()))
}
