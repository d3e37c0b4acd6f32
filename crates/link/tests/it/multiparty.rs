//! The count of persons across countries: the order of the countries and of their lists does not
//! change it, and a person planted in k countries is counted once.

use haven_link::clk::{ClkEncoder, Encodings, Hardening};
use haven_link::multiparty::{DEFAULT_THRESHOLD, PersonFields, count_persons, encode_persons, person_schema};
use proptest::prelude::*;

const SECRET: &[u8] = b"a secret the focal points share";

fn person(given: &str, family: &str, day: u32) -> PersonFields {
    PersonFields {
        names: vec![given.to_owned(), family.to_owned()],
        date_of_birth: Some(format!("19{:02}-{:02}-{:02}", 50 + day % 50, 1 + day % 12, 1 + day % 28)),
        sex: Some(if day.is_multiple_of(2) { "F" } else { "M" }.to_owned()),
        citizenship: Some("UA".to_owned()),
    }
}

fn encode(persons: &[PersonFields]) -> Encodings {
    let enc = ClkEncoder::new(person_schema(Hardening { xor_fold: true, balance: true }), SECRET).unwrap();
    let ids: Vec<(String, PersonFields)> =
        persons.iter().enumerate().map(|(i, p)| (i.to_string(), p.clone())).collect();
    encode_persons(&enc, &ids)
}

/// Persons (names of random letters, a date from a number) and, for each, the countries holding
/// them (a bit mask over four countries, never empty).
fn world() -> impl Strategy<Value = Vec<(String, String, u32, u8)>> {
    prop::collection::vec(("[a-z]{5,9}", "[a-z]{5,10}", 0u32..100_000, 1u8..16), 1..25)
}

fn parties(world: &[(String, String, u32, u8)]) -> Vec<Vec<PersonFields>> {
    let mut out = vec![Vec::new(); 4];
    for (g, f, d, mask) in world {
        for (c, list) in out.iter_mut().enumerate() {
            if mask & (1 << c) != 0 {
                list.push(person(g, f, *d));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn each_person_is_counted_once_whatever_the_order(world in world(), rotate in 0usize..4, reverse in any::<bool>()) {
        let lists = parties(&world);
        let encoded: Vec<Encodings> = lists.iter().map(|l| encode(l)).collect();
        let count = count_persons(&encoded, DEFAULT_THRESHOLD).unwrap();
        // distinct persons: random names, so no two persons of the world are alike
        prop_assert_eq!(count.distinct, world.len());
        prop_assert_eq!(count.sum_of_national, lists.iter().map(Vec::len).sum::<usize>());
        for (k, persons) in &count.by_countries {
            let planted = world.iter().filter(|w| w.3.count_ones() as usize == *k).count();
            prop_assert_eq!(*persons, planted);
        }
        // the countries in another order, each list reversed: the same count
        let mut other: Vec<Vec<PersonFields>> = lists.clone();
        other.rotate_left(rotate);
        if reverse {
            for l in &mut other {
                l.reverse();
            }
        }
        let encoded: Vec<Encodings> = other.iter().map(|l| encode(l)).collect();
        let again = count_persons(&encoded, DEFAULT_THRESHOLD).unwrap();
        prop_assert_eq!(again.distinct, count.distinct);
        prop_assert_eq!(again.by_countries, count.by_countries);
    }
}

#[test]
fn a_person_planted_in_four_countries_with_typos_is_one_person() {
    let lists = [
        vec![person("olena", "kovalenko", 7), person("ion", "rusu", 8)],
        vec![person("olena", "kovalenko", 7)],
        vec![person("olena", "kovalenka", 7), person("janis", "berzins", 9)],
        vec![person("kovalenko", "olena", 7)],
    ];
    let encoded: Vec<Encodings> = lists.iter().map(|l| encode(l)).collect();
    let count = count_persons(&encoded, DEFAULT_THRESHOLD).unwrap();
    assert_eq!((count.sum_of_national, count.distinct), (6, 3));
    assert_eq!(count.groups, vec![vec![(0, 0), (1, 0), (2, 0), (3, 0)]]);
    assert_eq!(count.overlaps.iter().map(|o| o.persons).sum::<usize>(), 6);
}
