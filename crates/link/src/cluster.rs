//! Clustering scored pairs into persons, guarded against chains, and person ids that stay stable
//! across incremental runs.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::model::ClusterSettings;

/// A scored pair as clustering sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    pub a: u32,
    pub b: u32,
    pub probability: f64,
}

/// A record in the clustering: union-find parent and cluster size, the next member of its cluster
/// (the members form a ring) and where its adjacency row starts, together so that a record costs
/// one memory access.
#[derive(Debug, Clone, Copy)]
struct Node {
    parent: u32,
    size: u32,
    next: u32,
    row: usize,
}

/// Union-find with the members of each cluster on a circular linked list (no allocation per
/// record). `nodes` has one more entry than there are records, holding the end of the last row.
struct UnionFind {
    nodes: Vec<Node>,
}

impl UnionFind {
    /// The members of the cluster holding `x`, into `out` (emptied first).
    fn members_into(&self, x: u32, out: &mut Vec<u32>) {
        out.clear();
        out.push(x);
        let mut y = self.nodes[x as usize].next;
        while y != x {
            out.push(y);
            y = self.nodes[y as usize].next;
        }
    }

    /// Joins root `small` into root `other`.
    fn join(&mut self, small: u32, other: u32) {
        let (s, o) = (small as usize, other as usize);
        self.nodes[s].parent = other;
        self.nodes[o].size += self.nodes[s].size;
        let next_s = self.nodes[s].next;
        self.nodes[s].next = self.nodes[o].next;
        self.nodes[o].next = next_s;
    }

    /// Reads the nodes of the records of `links` and the starts of their adjacency rows, so that
    /// the memory is fetched for all of them at the same time rather than link after link.
    fn warm(&self, links: &[(u64, u32, u32)], adjacency: &[(u32, bool)]) {
        let mut x = 0u32;
        for (_, a, b) in links {
            for r in [a, b] {
                if let Some(node) = self.nodes.get(*r as usize) {
                    x ^= node.parent ^ adjacency.get(node.row).map_or(0, |e| e.0);
                }
            }
        }
        std::hint::black_box(x);
    }

    fn find(&mut self, x: u32) -> u32 {
        let mut r = x;
        while self.nodes[r as usize].parent != r {
            r = self.nodes[r as usize].parent;
        }
        let mut y = x;
        while self.nodes[y as usize].parent != r {
            let next = self.nodes[y as usize].parent;
            self.nodes[y as usize].parent = r;
            y = next;
        }
        r
    }
}

/// `x.total_cmp(y)` is `total_order_key(x).cmp(&total_order_key(y))`.
fn total_order_key(x: f64) -> u64 {
    let bits = x.to_bits();
    // negative numbers: all bits flipped; others: the sign bit set
    if bits >> 63 == 1 { !bits } else { bits | (1 << 63) }
}

/// Parts the links are cut into to build the adjacency in parallel.
fn link_parts() -> usize {
    rayon::current_num_threads().max(1) * 2
}

/// The adjacency rows of `n` records: the entries `(neighbour, kind)` of each record's links of
/// some kind, in the order of `links` (as filling the rows link after link would put them), and
/// where each record's row starts (`n + 1` offsets). Built in parallel: each part of the links
/// counts its entries per record, which gives every part its own place in every row.
fn adjacency(n: usize, links: &[Link], kind: impl Fn(&Link) -> Option<bool> + Sync) -> (Vec<usize>, Vec<(u32, bool)>) {
    let parts: Vec<&[Link]> = links.chunks(links.len().div_ceil(link_parts()).max(1)).collect();
    let mut cursors: Vec<Vec<usize>> = parts
        .par_iter()
        .map(|part| {
            let mut count = vec![0usize; n];
            for l in part.iter().filter(|l| kind(l).is_some()) {
                count[l.a as usize] += 1;
                count[l.b as usize] += 1;
            }
            count
        })
        .collect();
    // row starts, and where each part writes its first entry of each row
    let mut starts = vec![0usize; n + 1];
    for x in 0..n {
        let mut at = starts[x];
        for c in cursors.iter_mut() {
            let k = c[x];
            c[x] = at;
            at += k;
        }
        starts[x + 1] = at;
    }
    let cells: Vec<AtomicU64> = (0..starts[n]).into_par_iter().map(|_| AtomicU64::new(0)).collect();
    parts.par_iter().zip(cursors.par_iter_mut()).for_each(|(part, cursor)| {
        for l in part.iter() {
            if let Some(k) = kind(l) {
                for (x, y) in [(l.a, l.b), (l.b, l.a)] {
                    cells[cursor[x as usize]].store(u64::from(y) << 1 | u64::from(k), Ordering::Relaxed);
                    cursor[x as usize] += 1;
                }
            }
        }
    });
    drop(cursors);
    let entries = cells.into_par_iter().map(|c| c.into_inner()).map(|v| ((v >> 1) as u32, v & 1 == 1)).collect();
    (starts, entries)
}

/// Links whose records are read together ahead of merging (see `UnionFind::warm`).
const WARM_LINKS: usize = 32;

/// Consecutive adjacency rows sorted as one task.
const ROWS_PER_TASK: usize = 4096;

/// Clusters `n` records from scored pairs. Pairs at or above `settings.threshold` are taken in
/// decreasing probability; two clusters merge only if
/// - the merged cluster has at most `max_size` records,
/// - no scored pair between them is below `conflict_below` (evidence of two different people),
/// - at least `min_link_density` of the record pairs between them are linked.
///
/// Returns a cluster number per record, numbered by first appearance.
pub fn cluster(n: usize, links: &[Link], settings: &ClusterSettings) -> Vec<u32> {
    // links at or above the threshold in decreasing probability, then by records: a total order,
    // sorted on a key that compares as `total_cmp` does
    let mut order: Vec<(u64, u32, u32)> = links
        .par_iter()
        .filter(|l| l.probability >= settings.threshold && (l.a as usize) < n && (l.b as usize) < n && l.a != l.b)
        .map(|l| (!total_order_key(l.probability), l.a, l.b))
        .collect();
    order.par_sort_unstable();
    // adjacency in compressed rows: (neighbour, true for a link / false for a conflict)
    let kind = |l: &Link| {
        if (l.a as usize) >= n || (l.b as usize) >= n || l.a == l.b {
            None
        } else if l.probability >= settings.threshold {
            Some(true)
        } else if l.probability < settings.conflict_below {
            Some(false)
        } else {
            None
        }
    };
    let (starts, mut adj_data) = adjacency(n, links, kind);
    let nodes: Vec<Node> = starts
        .iter()
        .enumerate()
        .map(|(i, row)| Node { parent: i as u32, size: 1, next: i as u32, row: *row })
        .collect();
    drop(starts);
    // each row sorted by neighbour; groups of consecutive rows in parallel
    let mut tasks = Vec::new();
    let mut rest = adj_data.as_mut_slice();
    for first in (0..n).step_by(ROWS_PER_TASK) {
        let end = (first + ROWS_PER_TASK).min(n);
        let (group, tail) = std::mem::take(&mut rest).split_at_mut(nodes[end].row - nodes[first].row);
        tasks.push((first, end, group));
        rest = tail;
    }
    tasks.into_par_iter().for_each(|(first, end, group)| {
        let base = nodes[first].row;
        for w in nodes[first..=end].windows(2) {
            group[w[0].row - base..w[1].row - base].sort_unstable_by_key(|(y, _)| *y);
        }
    });
    let mut uf = UnionFind { nodes };
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for (i, &(_, a, b)) in order.iter().enumerate() {
        if i % WARM_LINKS == 0 {
            uf.warm(order.get(i..i + WARM_LINKS).unwrap_or(&order[i..]), &adj_data);
        }
        let (ra, rb) = (uf.find(a), uf.find(b));
        if ra == rb {
            continue;
        }
        let (sa, sb) = (uf.nodes[ra as usize].size as usize, uf.nodes[rb as usize].size as usize);
        if sa + sb > settings.max_size {
            continue;
        }
        let (small, other) = if sa <= sb { (ra, rb) } else { (rb, ra) };
        let mut linked = 0usize;
        let mut conflict = false;
        if sa * sb <= 64 {
            // small clusters (the usual case): look each cross pair up in the sorted rows
            uf.members_into(small, &mut xs);
            uf.members_into(other, &mut ys);
            'pairs: for x in &xs {
                let x = *x as usize;
                let row = &adj_data[uf.nodes[x].row..uf.nodes[x + 1].row];
                for y in &ys {
                    if let Ok(k) = row.binary_search_by_key(y, |(n, _)| *n) {
                        if row[k].1 {
                            linked += 1;
                        } else {
                            conflict = true;
                            break 'pairs;
                        }
                    }
                }
            }
        } else {
            uf.members_into(small, &mut xs);
            'outer: for x in &xs {
                let x = *x as usize;
                for (y, is_link) in &adj_data[uf.nodes[x].row..uf.nodes[x + 1].row] {
                    if uf.find(*y) == other {
                        if *is_link {
                            linked += 1;
                        } else {
                            conflict = true;
                            break 'outer;
                        }
                    }
                }
            }
        }
        let density = linked as f64 / (sa * sb) as f64;
        if conflict || density < settings.min_link_density {
            continue;
        }
        uf.join(small, other);
    }
    // clusters numbered by first appearance: the number of each root, once it has one
    let mut numbers = vec![u32::MAX; n];
    let mut next = 0u32;
    (0..n as u32)
        .map(|i| {
            let r = uf.find(i) as usize;
            if numbers[r] == u32::MAX {
                numbers[r] = next;
                next += 1;
            }
            numbers[r]
        })
        .collect()
}

/// [`cluster`] under cannot-link constraints: each `(a, b)` of `cannot_link` (two records a
/// reviewer answered are different people) never ends up in one cluster, whatever the scores. A
/// link between the two records themselves is dropped, and the pair forbids a merge as a pair
/// scored below `conflict_below` does.
pub fn cluster_with_cannot_link(
    n: usize,
    links: &[Link],
    settings: &ClusterSettings,
    cannot_link: &[(u32, u32)],
) -> Vec<u32> {
    if cannot_link.is_empty() {
        return cluster(n, links, settings);
    }
    let key = |a: u32, b: u32| if a <= b { (a, b) } else { (b, a) };
    let forbidden: std::collections::HashSet<(u32, u32)> =
        cannot_link.iter().filter(|(a, b)| a != b).map(|(a, b)| key(*a, *b)).collect();
    let mut all: Vec<Link> = links.iter().filter(|l| !forbidden.contains(&key(l.a, l.b))).copied().collect();
    let mut conflicts: Vec<(u32, u32)> = forbidden.into_iter().collect();
    conflicts.sort_unstable();
    // below any `conflict_below`, even zero
    all.extend(conflicts.into_iter().map(|(a, b)| Link { a, b, probability: f64::NEG_INFINITY }));
    cluster(n, &all, settings)
}

fn id_number(id: &str) -> Option<u64> {
    id.strip_prefix('P')?.parse().ok()
}

/// Gives each cluster a person id. A cluster keeps the previous id that most of its records had
/// (each previous id goes to one cluster only, the one holding most of its records; ties go to the
/// smaller id); other clusters get new ids `P000000001`, ... above every id seen before.
pub fn assign_person_ids(record_ids: &[String], clusters: &[u32], previous: &BTreeMap<String, String>) -> Vec<String> {
    let k = clusters.iter().map(|c| *c as usize + 1).max().unwrap_or(0);
    let mut tally: Vec<BTreeMap<&str, u64>> = vec![BTreeMap::new(); k];
    for (rid, c) in record_ids.iter().zip(clusters) {
        if let Some(p) = previous.get(rid) {
            *tally[*c as usize].entry(p.as_str()).or_default() += 1;
        }
    }
    let mut options: Vec<(u64, &str, usize)> = Vec::new();
    for (c, t) in tally.iter().enumerate() {
        for (p, n) in t {
            options.push((*n, p, c));
        }
    }
    options.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(y.1)).then(x.2.cmp(&y.2)));
    let mut assigned: Vec<Option<String>> = vec![None; k];
    let mut taken: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (_, p, c) in options {
        if assigned[c].is_none() && !taken.contains(p) {
            assigned[c] = Some(p.to_string());
            taken.insert(p);
        }
    }
    let mut next = previous.values().filter_map(|p| id_number(p)).max().unwrap_or(0) + 1;
    for a in assigned.iter_mut() {
        if a.is_none() {
            *a = Some(format!("P{next:09}"));
            next += 1;
        }
    }
    clusters.iter().map(|c| assigned[*c as usize].clone().unwrap_or_default()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    // The clustering as it was first written (separate arrays, a hash map for the numbering): the
    // reference for the faster one.
    struct RefUnionFind {
        parent: Vec<u32>,
        size: Vec<u32>,
        next: Vec<u32>,
    }

    impl RefUnionFind {
        fn new(n: usize) -> RefUnionFind {
            RefUnionFind { parent: (0..n as u32).collect(), size: vec![1; n], next: (0..n as u32).collect() }
        }

        /// The members of the cluster holding `x`.
        fn members(&self, x: u32) -> Vec<u32> {
            let mut out = vec![x];
            let mut y = self.next[x as usize];
            while y != x {
                out.push(y);
                y = self.next[y as usize];
            }
            out
        }

        /// Joins root `small` into root `other`.
        fn join(&mut self, small: u32, other: u32) {
            self.parent[small as usize] = other;
            self.size[other as usize] += self.size[small as usize];
            self.next.swap(small as usize, other as usize);
        }

        fn find(&mut self, x: u32) -> u32 {
            let mut r = x;
            while self.parent[r as usize] != r {
                r = self.parent[r as usize];
            }
            let mut y = x;
            while self.parent[y as usize] != r {
                let next = self.parent[y as usize];
                self.parent[y as usize] = r;
                y = next;
            }
            r
        }
    }

    /// Clusters `n` records from scored pairs. Pairs at or above `settings.threshold` are taken in
    /// decreasing probability; two clusters merge only if
    /// - the merged cluster has at most `max_size` records,
    /// - no scored pair between them is below `conflict_below` (evidence of two different people),
    /// - at least `min_link_density` of the record pairs between them are linked.
    ///
    /// Returns a cluster number per record, numbered by first appearance.
    fn cluster_reference(n: usize, links: &[Link], settings: &ClusterSettings) -> Vec<u32> {
        let mut strong: Vec<Link> = links
            .iter()
            .copied()
            .filter(|l| l.probability >= settings.threshold && (l.a as usize) < n && (l.b as usize) < n && l.a != l.b)
            .collect();
        strong.sort_by(|x, y| y.probability.total_cmp(&x.probability).then(x.a.cmp(&y.a)).then(x.b.cmp(&y.b)));
        // adjacency in compressed rows: (neighbour, true for a link / false for a conflict)
        let kind = |l: &Link| {
            if (l.a as usize) >= n || (l.b as usize) >= n || l.a == l.b {
                None
            } else if l.probability >= settings.threshold {
                Some(true)
            } else if l.probability < settings.conflict_below {
                Some(false)
            } else {
                None
            }
        };
        let mut start = vec![0usize; n + 1];
        for l in links {
            if kind(l).is_some() {
                start[l.a as usize + 1] += 1;
                start[l.b as usize + 1] += 1;
            }
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut adj_data: Vec<(u32, bool)> = vec![(0, false); start[n]];
        for l in links {
            if let Some(k) = kind(l) {
                adj_data[fill[l.a as usize]] = (l.b, k);
                fill[l.a as usize] += 1;
                adj_data[fill[l.b as usize]] = (l.a, k);
                fill[l.b as usize] += 1;
            }
        }
        for w in start.windows(2) {
            adj_data[w[0]..w[1]].sort_unstable_by_key(|(y, _)| *y);
        }
        let neighbours = |x: u32| &adj_data[start[x as usize]..start[x as usize + 1]];
        let mut uf = RefUnionFind::new(n);
        for l in &strong {
            let (ra, rb) = (uf.find(l.a), uf.find(l.b));
            if ra == rb {
                continue;
            }
            let (sa, sb) = (uf.size[ra as usize] as usize, uf.size[rb as usize] as usize);
            if sa + sb > settings.max_size {
                continue;
            }
            let (small, other) = if sa <= sb { (ra, rb) } else { (rb, ra) };
            let mut linked = 0usize;
            let mut conflict = false;
            if sa * sb <= 64 {
                // small clusters (the usual case): look each cross pair up in the sorted rows
                let (xs, ys) = (uf.members(small), uf.members(other));
                'pairs: for x in &xs {
                    let row = neighbours(*x);
                    for y in &ys {
                        if let Ok(k) = row.binary_search_by_key(y, |(n, _)| *n) {
                            if row[k].1 {
                                linked += 1;
                            } else {
                                conflict = true;
                                break 'pairs;
                            }
                        }
                    }
                }
            } else {
                let small_members = uf.members(small);
                'outer: for x in &small_members {
                    for (y, is_link) in neighbours(*x) {
                        if uf.find(*y) == other {
                            if *is_link {
                                linked += 1;
                            } else {
                                conflict = true;
                                break 'outer;
                            }
                        }
                    }
                }
            }
            let density = linked as f64 / (sa * sb) as f64;
            if conflict || density < settings.min_link_density {
                continue;
            }
            uf.join(small, other);
        }
        let mut numbers: HashMap<u32, u32> = HashMap::new();
        (0..n as u32)
            .map(|i| {
                let r = uf.find(i);
                let next = numbers.len() as u32;
                *numbers.entry(r).or_insert(next)
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn total_order_key_orders_as_total_cmp(x in any::<f64>(), y in any::<f64>()) {
            prop_assert_eq!(total_order_key(x).cmp(&total_order_key(y)), x.total_cmp(&y));
            prop_assert_eq!(total_order_key(-0.0).cmp(&total_order_key(0.0)), (-0.0f64).total_cmp(&0.0));
        }

        #[test]
        fn same_clusters_as_the_reference(
            n in 1usize..40,
            raw in proptest::collection::vec((0u32..42, 0u32..42, 0usize..6), 0..150),
            max_size in 2usize..8,
            density in 0.0f64..0.8,
        ) {
            // few distinct probabilities, so that ties, repeated pairs and conflicts all occur
            let p = [0.99, 0.95, 0.9, 0.5, 0.00001, 0.95];
            let links: Vec<Link> = raw.iter().map(|(a, b, k)| Link { a: *a, b: *b, probability: p[*k] }).collect();
            let s = ClusterSettings { max_size, min_link_density: density, ..ClusterSettings::default() };
            prop_assert_eq!(cluster(n, &links, &s), cluster_reference(n, &links, &s));
        }
    }
}
