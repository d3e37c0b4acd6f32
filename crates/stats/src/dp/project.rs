//! Post-processing of noisy counts into non-negative integers that add up. Only noisy values
//! and the public table structure go in, so the privacy guarantee is kept (post-processing).

use std::collections::VecDeque;

/// Non-negative integers summing to `target`, closest to `noisy` in L1 distance among those,
/// spread proportionally: negative values are clipped to 0, the clipped values scaled by
/// `target / sum` and rounded by largest remainder (ties to the larger value, then the earlier
/// cell). When every clipped value is 0 the target is spread evenly. `None` when there are no
/// cells but a positive target, or on overflow.
pub fn project_sum(noisy: &[i128], target: u64) -> Option<Vec<u64>> {
    let mut z: Vec<u128> = noisy.iter().map(|v| u128::try_from((*v).max(0)).unwrap_or(0)).collect();
    if z.is_empty() {
        return (target == 0).then(Vec::new);
    }
    let mut sum: u128 = z.iter().try_fold(0u128, |a, v| a.checked_add(*v))?;
    let t = u128::from(target);
    if sum == t {
        return z.into_iter().map(|v| u64::try_from(v).ok()).collect();
    }
    if sum == 0 {
        z.iter_mut().for_each(|v| *v = 1);
        sum = z.len() as u128;
    }
    let mut out = Vec::with_capacity(z.len());
    let mut rems = Vec::with_capacity(z.len());
    let mut given: u128 = 0;
    for (i, v) in z.iter().enumerate() {
        let p = v.checked_mul(t)?;
        out.push(p / sum);
        given += p / sum;
        rems.push((p % sum, *v, i));
    }
    let short = usize::try_from(t - given).ok()?;
    if short > 0 {
        rems.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        for (_, _, i) in rems.iter().take(short) {
            out[*i] += 1;
        }
    }
    out.into_iter().map(|v| u64::try_from(v).ok()).collect()
}

/// A cell of a two-way table to be fitted: free with its noisy value, or fixed (its value
/// already released, left as it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Free(i128),
    Fixed(u64),
}

/// Number of linear pieces on each side of the noisy value in the convex cost of a cell.
const PIECES: i64 = 6;

/// Non-negative integers for the free cells of a `rows x cols` table (row-major) such that
/// every row sums to `row_totals` and every column to `col_totals`, fixed cells included.
///
/// The fit minimises, over all such integer tables, a convex piecewise-linear approximation of
/// the squared distance to the noisy values (pieces `width` wide, linear beyond `PIECES`
/// widths), so a shortfall or excess is spread over the cells rather than piled on one. It is
/// a minimum-cost flow from the rows to the columns, solved by successive shortest paths
/// (integral by total unimodularity). `None` when no such table exists.
pub fn fit_two_way(
    rows: usize,
    cols: usize,
    cells: &[Cell],
    row_totals: &[u64],
    col_totals: &[u64],
    width: u64,
) -> Option<Vec<u64>> {
    if cells.len() != rows * cols || row_totals.len() != rows || col_totals.len() != cols {
        return None;
    }
    // what the free cells of each row and column must hold
    let mut need_r: Vec<i128> = row_totals.iter().map(|v| i128::from(*v)).collect();
    let mut need_c: Vec<i128> = col_totals.iter().map(|v| i128::from(*v)).collect();
    for (i, c) in cells.iter().enumerate() {
        if let Cell::Fixed(v) = c {
            need_r[i / cols] -= i128::from(*v);
            need_c[i % cols] -= i128::from(*v);
        }
    }
    if need_r.iter().chain(&need_c).any(|v| *v < 0) {
        return None;
    }
    let total: i128 = need_r.iter().sum();
    if total != need_c.iter().sum::<i128>() {
        return None;
    }
    let total = i64::try_from(total).ok()?;
    let width = i64::try_from(width.max(1)).ok()?;
    let mut g = Graph::new(rows + cols + 2);
    let (s, t) = (0, rows + cols + 1);
    for (r, n) in need_r.iter().enumerate() {
        g.add(s, 1 + r, i64::try_from(*n).ok()?, 0);
    }
    for (c, n) in need_c.iter().enumerate() {
        g.add(1 + rows + c, t, i64::try_from(*n).ok()?, 0);
    }
    let mut cell_edges: Vec<Vec<usize>> = vec![Vec::new(); cells.len()];
    for (i, c) in cells.iter().enumerate() {
        let Cell::Free(y) = c else { continue };
        let y = i64::try_from((*y).clamp(0, i128::from(total))).ok()?;
        let (from, to) = (1 + i / cols, 1 + rows + i % cols);
        // breakpoints y - PIECES*w, ..., y, ..., y + PIECES*w clipped at 0; marginal cost of
        // the piece starting at y + p*w is 2p + 1, below y it is -(2p + 1)
        let mut lo = 0i64;
        for p in (0..=PIECES).rev() {
            // piece [y - (p+1) w, y - p w), the first (p = PIECES) reaching down to 0
            let hi = y - p * width;
            if hi > lo {
                cell_edges[i].push(g.add(from, to, hi - lo, -(2 * p + 1)));
                lo = hi;
            }
        }
        for p in 0..PIECES {
            cell_edges[i].push(g.add(from, to, width, 2 * p + 1));
        }
        cell_edges[i].push(g.add(from, to, total.max(1), 2 * PIECES + 1));
    }
    if g.min_cost_flow(s, t, total)? != total {
        return None;
    }
    Some(
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| match c {
                Cell::Fixed(v) => *v,
                Cell::Free(_) => cell_edges[i].iter().map(|e| g.flow(*e)).sum::<i64>().unsigned_abs(),
            })
            .collect(),
    )
}

struct Edge {
    to: usize,
    cap: i64,
    cost: i64,
}

/// A residual graph: edge `2k` is the k-th edge added, `2k + 1` its reverse.
struct Graph {
    adj: Vec<Vec<usize>>,
    edges: Vec<Edge>,
}

impl Graph {
    fn new(n: usize) -> Graph {
        Graph { adj: vec![Vec::new(); n], edges: Vec::new() }
    }

    fn add(&mut self, from: usize, to: usize, cap: i64, cost: i64) -> usize {
        let id = self.edges.len();
        self.edges.push(Edge { to, cap, cost });
        self.edges.push(Edge { to: from, cap: 0, cost: -cost });
        self.adj[from].push(id);
        self.adj[to].push(id + 1);
        id
    }

    /// The flow on an edge: what its reverse can send back.
    fn flow(&self, id: usize) -> i64 {
        self.edges[id + 1].cap
    }

    /// Sends up to `want` units from `s` to `t` along successive shortest paths (Bellman-Ford
    /// with a queue, as residual costs are negative); returns what was sent. The graph starts
    /// without negative cycles (rows to columns only), which shortest-path augmentation keeps.
    fn min_cost_flow(&mut self, s: usize, t: usize, want: i64) -> Option<i64> {
        let n = self.adj.len();
        let mut sent = 0i64;
        let mut dist = vec![i64::MAX; n];
        let mut prev = vec![usize::MAX; n];
        let mut in_queue = vec![false; n];
        let mut queue = VecDeque::new();
        while sent < want {
            dist.iter_mut().for_each(|d| *d = i64::MAX);
            prev.iter_mut().for_each(|p| *p = usize::MAX);
            dist[s] = 0;
            queue.push_back(s);
            in_queue[s] = true;
            let mut relaxations = 0usize;
            while let Some(u) = queue.pop_front() {
                in_queue[u] = false;
                for &e in &self.adj[u] {
                    let edge = &self.edges[e];
                    if edge.cap > 0 && dist[u] + edge.cost < dist[edge.to] {
                        dist[edge.to] = dist[u] + edge.cost;
                        prev[edge.to] = e;
                        if !in_queue[edge.to] {
                            in_queue[edge.to] = true;
                            queue.push_back(edge.to);
                        }
                        relaxations += 1;
                        // a negative cycle would relax forever; it cannot occur, but never loop
                        if relaxations > n * self.edges.len() + n {
                            return None;
                        }
                    }
                }
            }
            if dist[t] == i64::MAX {
                break;
            }
            let mut push = want - sent;
            let mut v = t;
            while v != s {
                let e = prev[v];
                push = push.min(self.edges[e].cap);
                v = self.edges[e ^ 1].to;
            }
            let mut v = t;
            while v != s {
                let e = prev[v];
                self.edges[e].cap -= push;
                self.edges[e ^ 1].cap += push;
                v = self.edges[e ^ 1].to;
            }
            sent += push;
        }
        Some(sent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_keeps_the_sum_and_stays_close() {
        assert_eq!(project_sum(&[5, -3, 10], 15), Some(vec![5, 0, 10]));
        assert_eq!(project_sum(&[5, 5, 10], 10), Some(vec![3, 2, 5]));
        let x = project_sum(&[5, 5, 10], 25).unwrap();
        assert_eq!(x.iter().sum::<u64>(), 25);
        assert!(x.iter().zip([5, 5, 10]).all(|(a, b)| *a >= b));
        assert_eq!(project_sum(&[-1, -2, 0], 4), Some(vec![2, 1, 1]));
        assert_eq!(project_sum(&[-1, -2], 0), Some(vec![0, 0]));
        assert_eq!(project_sum(&[], 0), Some(vec![]));
        assert_eq!(project_sum(&[], 1), None);
    }

    #[test]
    fn two_way_fit_meets_both_margins() {
        let cells: Vec<Cell> = [10, 0, 5, 3, -2, 7].into_iter().map(Cell::Free).collect();
        let x = fit_two_way(2, 3, &cells, &[16, 10], &[12, 1, 13], 1).unwrap();
        assert_eq!(x[0] + x[1] + x[2], 16);
        assert_eq!(x[3] + x[4] + x[5], 10);
        assert_eq!(x[0] + x[3], 12);
        assert_eq!(x[1] + x[4], 1);
        assert_eq!(x[2] + x[5], 13);
        // already consistent noisy values are kept
        let cells: Vec<Cell> = [1, 2, 3, 4].into_iter().map(Cell::Free).collect();
        assert_eq!(fit_two_way(2, 2, &cells, &[3, 7], &[4, 6], 1), Some(vec![1, 2, 3, 4]));
        // fixed cells stay, infeasible targets are refused
        let cells = [Cell::Fixed(2), Cell::Free(0), Cell::Free(0), Cell::Free(9)];
        assert_eq!(fit_two_way(2, 2, &cells, &[3, 7], &[4, 6], 1), Some(vec![2, 1, 2, 5]));
        let cells = [Cell::Fixed(5), Cell::Free(0), Cell::Free(0), Cell::Free(0)];
        assert_eq!(fit_two_way(2, 2, &cells, &[3, 7], &[4, 6], 1), None);
        assert_eq!(fit_two_way(1, 2, &[Cell::Free(1), Cell::Free(1)], &[3], &[1, 1], 1), None);
    }

    #[test]
    fn an_excess_is_spread_over_the_cells() {
        // one row of ten cells at 10 each must lose 20 in total: no cell should lose it all
        let cells: Vec<Cell> = vec![Cell::Free(10); 10];
        let cols = vec![8u64; 10];
        let x = fit_two_way(1, 10, &cells, &[80], &cols, 1).unwrap();
        assert_eq!(x, vec![8; 10]);
        let cells: Vec<Cell> = (0..20).map(|i| Cell::Free(10 + i % 2)).collect();
        let x = fit_two_way(2, 10, &cells, &[90, 90], &[18; 10], 1).unwrap();
        assert!(x.iter().all(|v| (8..=10).contains(v)), "{x:?}");
    }
}
