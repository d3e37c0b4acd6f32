use std::collections::BTreeMap;

use haven_link::cluster::{Link, assign_person_ids, cluster};
use haven_link::model::ClusterSettings;
use proptest::prelude::*;

fn link(a: u32, b: u32, probability: f64) -> Link {
    Link { a, b, probability }
}

#[test]
fn a_chain_does_not_join_two_different_people() {
    // 0-1-2 is one person (all linked); 3-4 another; a single weak-ish bridge 2-3, and 0-4 scored
    // as clearly different
    let links =
        [link(0, 1, 0.99), link(1, 2, 0.99), link(0, 2, 0.98), link(3, 4, 0.99), link(2, 3, 0.95), link(0, 4, 0.00001)];
    let c = cluster(5, &links, &ClusterSettings::default());
    assert_eq!(c[0], c[1]);
    assert_eq!(c[1], c[2]);
    assert_eq!(c[3], c[4]);
    assert_ne!(c[2], c[3]);
}

#[test]
fn a_long_chain_is_cut_by_the_density_guard() {
    // a path 0-1-2-...-9 with no other links: connected components would make one person
    let links: Vec<Link> = (0..9).map(|i| link(i, i + 1, 0.99)).collect();
    let c = cluster(10, &links, &ClusterSettings::default());
    let max_size = (0..10).map(|k| c.iter().filter(|x| **x == k).count()).max().unwrap();
    assert!(max_size <= 3, "{c:?}");
    // without the guard it is one component
    let loose = ClusterSettings { min_link_density: 0.0, conflict_below: 0.0, ..ClusterSettings::default() };
    let c = cluster(10, &links, &loose);
    assert!(c.iter().all(|x| *x == c[0]));
}

#[test]
fn person_ids_stay_stable_across_incremental_runs() {
    let ids: Vec<String> = (0..5).map(|i| format!("r{i}")).collect();
    let first = assign_person_ids(&ids, &[0, 0, 1, 2, 2], &BTreeMap::new());
    assert_eq!(first, ["P000000001", "P000000001", "P000000002", "P000000003", "P000000003"]);
    let previous: BTreeMap<String, String> = ids.iter().cloned().zip(first.iter().cloned()).collect();
    // a new record r5 joins the first person; r2 merges into the third
    let mut ids2 = ids.clone();
    ids2.push("r5".into());
    let second = assign_person_ids(&ids2, &[0, 0, 1, 1, 1, 0], &previous);
    assert_eq!(second[5], "P000000001");
    assert_eq!(second[0], "P000000001");
    assert_eq!(second[2], "P000000003");
    // a brand-new person gets a new id, never a reused one
    let third = assign_person_ids(&ids2, &[0, 0, 1, 1, 1, 2], &previous);
    assert_eq!(third[5], "P000000004");
}

proptest! {
    #[test]
    fn clustering_invariants(
        n in 1usize..30,
        raw in proptest::collection::vec((0u32..30, 0u32..30, 0.0f64..1.0), 0..80),
    ) {
        let links: Vec<Link> = raw.iter().map(|(a, b, p)| link(*a, *b, *p)).collect();
        let s = ClusterSettings { max_size: 5, ..ClusterSettings::default() };
        let c = cluster(n, &links, &s);
        prop_assert_eq!(c.len(), n);
        // numbered densely by first appearance
        let mut next = 0;
        for x in &c {
            prop_assert!(*x <= next);
            if *x == next { next += 1; }
        }
        // no cluster above max size
        for k in 0..next {
            prop_assert!(c.iter().filter(|x| **x == k).count() <= 5);
        }
        // records in one cluster are connected by links at or above the threshold
        for k in 0..next {
            let members: Vec<u32> = (0..n as u32).filter(|i| c[*i as usize] == k).collect();
            if members.len() > 1 {
                for m in &members {
                    let linked = links.iter().any(|l| l.probability >= s.threshold
                        && ((l.a == *m && members.contains(&l.b)) || (l.b == *m && members.contains(&l.a))));
                    prop_assert!(linked);
                }
            }
        }
        // deterministic
        prop_assert_eq!(cluster(n, &links, &s), c);
    }
}
