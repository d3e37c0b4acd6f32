use haven_crypto::{
    AUDIT_GENESIS, AuditAnchor, AuditCheckpoint, AuditKey, ChainBreak, ChainedEntry, audit_head_mac, audit_mac,
    verify_audit_chain, verify_audit_chain_anchored, verify_audit_head,
};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Stored {
    seq: i64,
    entry: Vec<u8>,
    mac: Vec<u8>,
}

/// A valid chain of `n` entries and its head (seq, mac).
fn chain(key: &AuditKey, n: i64) -> (Vec<Stored>, (i64, [u8; 32])) {
    let mut prev = AUDIT_GENESIS;
    let mut out = Vec::new();
    for seq in 1..=n {
        let entry = format!(r#"{{"actor":"user-{seq}","action":"read","record":"case-{seq}"}}"#).into_bytes();
        let mac = audit_mac(key, seq, &prev, &entry);
        out.push(Stored { seq, entry, mac: mac.to_vec() });
        prev = mac;
    }
    (out, (n, prev))
}

fn verify(key: &AuditKey, entries: &[Stored], head: Option<(i64, [u8; 32])>) -> Result<u64, ChainBreak> {
    verify_audit_chain(key, entries.iter().map(|s| ChainedEntry { seq: s.seq, entry: &s.entry, mac: &s.mac }), head)
}

#[test]
fn valid_chain_verifies() {
    let key = AuditKey::generate();
    let (entries, head) = chain(&key, 10);
    assert_eq!(verify(&key, &entries, Some(head)), Ok(10));
    assert_eq!(verify(&key, &entries, None), Ok(10));
    assert_eq!(verify(&key, &[], None), Ok(0));
    assert_eq!(verify(&key, &[], Some((0, AUDIT_GENESIS))), Ok(0));
}

#[test]
fn chain_under_another_key_fails() {
    let key = AuditKey::generate();
    let (entries, head) = chain(&key, 3);
    assert_eq!(verify(&AuditKey::generate(), &entries, Some(head)), Err(ChainBreak::Edited { seq: 1 }));
}

#[test]
fn edited_entry_is_detected() {
    let key = AuditKey::generate();
    let (mut entries, head) = chain(&key, 10);
    entries[4].entry = b"{\"actor\":\"someone-else\"}".to_vec();
    assert_eq!(verify(&key, &entries, Some(head)), Err(ChainBreak::Edited { seq: 5 }));
    // Editing the MAC instead of the content.
    let (mut entries, head) = chain(&key, 10);
    entries[6].mac[0] ^= 0x80;
    assert_eq!(verify(&key, &entries, Some(head)), Err(ChainBreak::Edited { seq: 7 }));
}

#[test]
fn deleted_entry_is_detected() {
    let key = AuditKey::generate();
    let (mut entries, head) = chain(&key, 10);
    entries.remove(4);
    assert_eq!(verify(&key, &entries, Some(head)), Err(ChainBreak::Missing { after_seq: 4, found_seq: 6 }));
    let (mut entries, head) = chain(&key, 10);
    entries.remove(0);
    assert_eq!(verify(&key, &entries, Some(head)), Err(ChainBreak::Missing { after_seq: 0, found_seq: 2 }));
    // Deleting and renumbering the rest does not help: the MACs bind seq and predecessor.
    let (mut entries, head) = chain(&key, 10);
    entries.remove(4);
    for (i, e) in entries.iter_mut().enumerate() {
        e.seq = i as i64 + 1;
    }
    assert_eq!(verify(&key, &entries, Some(head)), Err(ChainBreak::Edited { seq: 5 }));
}

#[test]
fn inserted_entry_is_detected() {
    let key = AuditKey::generate();
    let forged = |seq: i64| Stored { seq, entry: b"{\"forged\":true}".to_vec(), mac: vec![0u8; 32] };
    // Inserted after the genuine entry with the same seq.
    let (mut entries, head) = chain(&key, 10);
    entries.insert(5, forged(5));
    assert_eq!(verify(&key, &entries, Some(head)), Err(ChainBreak::Duplicate { seq: 5 }));
    // Inserted before it.
    let (mut entries, head) = chain(&key, 10);
    entries.insert(4, forged(5));
    assert_eq!(verify(&key, &entries, Some(head)), Err(ChainBreak::Duplicate { seq: 5 }));
    // Inserted with the later entries renumbered.
    let (mut entries, head) = chain(&key, 10);
    entries.insert(4, forged(5));
    for (i, e) in entries.iter_mut().enumerate() {
        e.seq = i as i64 + 1;
    }
    assert_eq!(verify(&key, &entries, Some(head)), Err(ChainBreak::Edited { seq: 5 }));
    // Appended at the end with a guessed MAC.
    let (mut entries, head) = chain(&key, 10);
    entries.push(forged(11));
    assert_eq!(verify(&key, &entries, Some(head)), Err(ChainBreak::Edited { seq: 11 }));
}

#[test]
fn reordered_entries_are_detected() {
    let key = AuditKey::generate();
    let (mut entries, head) = chain(&key, 10);
    entries.swap(3, 4); // storage order 1 2 3 5 4 6 ...
    assert_eq!(verify(&key, &entries, Some(head)), Err(ChainBreak::OutOfOrder { seq: 4 }));
    let (mut entries, head) = chain(&key, 10);
    let moved = entries.remove(1); // 1 3 4 ... 10 2
    entries.push(moved);
    assert_eq!(verify(&key, &entries, Some(head)), Err(ChainBreak::OutOfOrder { seq: 2 }));
    // Swapping contents while keeping the seq order breaks the MACs.
    let (mut entries, head) = chain(&key, 10);
    let (a, b) = (entries[3].entry.clone(), entries[4].entry.clone());
    entries[3].entry = b;
    entries[4].entry = a;
    assert_eq!(verify(&key, &entries, Some(head)), Err(ChainBreak::Edited { seq: 4 }));
    // A seq below 1.
    let (mut entries, _) = chain(&key, 2);
    entries[0].seq = 0;
    assert_eq!(verify(&key, &entries, None), Err(ChainBreak::OutOfOrder { seq: 0 }));
}

#[test]
fn deleting_the_newest_entries_is_detected_only_with_the_head() {
    let key = AuditKey::generate();
    let (mut entries, head) = chain(&key, 10);
    entries.truncate(9);
    assert_eq!(verify(&key, &entries, Some(head)), Err(ChainBreak::TruncatedHead { expected_last: 10, found_last: 9 }));
    // Without a head row the shortened chain is indistinguishable from a valid one.
    assert_eq!(verify(&key, &entries, None), Ok(9));
    entries.clear();
    assert_eq!(verify(&key, &entries, Some(head)), Err(ChainBreak::TruncatedHead { expected_last: 10, found_last: 0 }));
}

#[test]
fn head_mismatch_and_malformed_macs() {
    let key = AuditKey::generate();
    let (entries, (seq, mac)) = chain(&key, 5);
    let mut other = mac;
    other[31] ^= 1;
    assert_eq!(verify(&key, &entries, Some((seq, other))), Err(ChainBreak::BadMac { seq: 5 }));
    let (mut entries, head) = chain(&key, 5);
    entries[2].mac.truncate(31);
    assert_eq!(verify(&key, &entries, Some(head)), Err(ChainBreak::BadMac { seq: 3 }));
}

#[test]
fn head_row_mac() {
    let key = AuditKey::generate();
    let (_, (seq, mac)) = chain(&key, 3);
    let head_mac = audit_head_mac(&key, seq, &mac);
    assert!(verify_audit_head(&key, seq, &mac, &head_mac));
    assert!(!verify_audit_head(&key, seq - 1, &mac, &head_mac));
    assert!(!verify_audit_head(&AuditKey::generate(), seq, &mac, &head_mac));
    assert_ne!(head_mac, mac, "head MAC is domain-separated from entry MACs");
    assert!(!format!("{key:?}").contains(&format!("{:?}", &head_mac[..4])));
}

#[test]
fn mac_input_is_framed() {
    let key = AuditKey::generate();
    assert_ne!(audit_mac(&key, 1, &AUDIT_GENESIS, b"ab"), audit_mac(&key, 1, &AUDIT_GENESIS, b"abc"));
    assert_ne!(audit_mac(&key, 1, &AUDIT_GENESIS, b"x"), audit_mac(&key, 2, &AUDIT_GENESIS, b"x"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn prop_any_single_bit_edit_is_detected(
        n in 1i64..20, which in any::<prop::sample::Index>(),
        byte in any::<prop::sample::Index>(), bit in 0u8..8,
    ) {
        let key = AuditKey::generate();
        let (mut entries, head) = chain(&key, n);
        let i = which.index(entries.len());
        let j = byte.index(entries[i].entry.len());
        entries[i].entry[j] ^= 1 << bit;
        prop_assert_eq!(
            verify(&key, &entries, Some(head)),
            Err(ChainBreak::Edited { seq: i as i64 + 1 })
        );
    }

    #[test]
    fn prop_any_single_deletion_is_detected(n in 2i64..20, which in any::<prop::sample::Index>()) {
        let key = AuditKey::generate();
        let (mut entries, head) = chain(&key, n);
        let i = which.index(entries.len());
        entries.remove(i);
        prop_assert!(verify(&key, &entries, Some(head)).is_err());
    }
}

fn verify_anchored(
    key: &AuditKey,
    entries: &[Stored],
    head: Option<(i64, [u8; 32])>,
    anchors: &[AuditAnchor],
) -> Result<u64, ChainBreak> {
    verify_audit_chain_anchored(
        key,
        entries.iter().map(|s| ChainedEntry { seq: s.seq, entry: &s.entry, mac: &s.mac }),
        head,
        anchors,
    )
}

/// Appends `more` entries (with content other than the original ones) after `entries`.
fn regrow(key: &AuditKey, entries: &mut Vec<Stored>, more: i64) -> (i64, [u8; 32]) {
    let (mut seq, mut prev) =
        entries.last().map_or((0, AUDIT_GENESIS), |s| (s.seq, <[u8; 32]>::try_from(s.mac.as_slice()).unwrap()));
    for _ in 0..more {
        seq += 1;
        let entry = format!(r#"{{"actor":"insider","action":"read","record":"case-{seq}"}}"#).into_bytes();
        let mac = audit_mac(key, seq, &prev, &entry);
        entries.push(Stored { seq, entry, mac: mac.to_vec() });
        prev = mac;
    }
    (seq, prev)
}

#[test]
fn a_recorded_head_passes_on_the_same_log_and_on_a_log_that_went_on() {
    let key = AuditKey::generate();
    let (mut entries, head) = chain(&key, 10);
    let anchor = AuditAnchor { seq: head.0, mac: head.1 };
    assert_eq!(verify_anchored(&key, &entries, Some(head), &[anchor]), Ok(10));
    let older = AuditAnchor { seq: 4, mac: entries[3].mac.as_slice().try_into().unwrap() };
    let grown = regrow(&key, &mut entries, 5);
    assert_eq!(verify_anchored(&key, &entries, Some(grown), &[anchor, older]), Ok(15));
}

#[test]
fn a_recorded_head_catches_a_wiped_log() {
    let key = AuditKey::generate();
    let (_, head) = chain(&key, 10);
    // Every entry and the head row deleted: the chain alone finds nothing wrong.
    assert_eq!(verify(&key, &[], None), Ok(0));
    let anchor = AuditAnchor { seq: head.0, mac: head.1 };
    let err = verify_anchored(&key, &[], None, &[anchor]).unwrap_err();
    assert_eq!(err, ChainBreak::AnchorMissing { seq: 10, found_last: 0 });
    let text = err.to_string();
    assert!(text.contains("entry 10") && text.contains("wiped"), "{text}");
}

#[test]
fn a_recorded_head_catches_truncation_to_an_earlier_head_row() {
    let key = AuditKey::generate();
    let (entries, head) = chain(&key, 10);
    // Truncated to entry 6, and the head row of that time put back from an older copy.
    let old_head = (6, <[u8; 32]>::try_from(entries[5].mac.as_slice()).unwrap());
    let truncated = &entries[..6];
    assert_eq!(verify(&key, truncated, Some(old_head)), Ok(6));
    let anchor = AuditAnchor { seq: head.0, mac: head.1 };
    let err = verify_anchored(&key, truncated, Some(old_head), &[anchor]).unwrap_err();
    assert_eq!(err, ChainBreak::AnchorMissing { seq: 10, found_last: 6 });
    assert!(err.to_string().contains("entry 10") && err.to_string().contains("entry 6"), "{err}");
}

#[test]
fn a_recorded_head_catches_a_rollback_that_has_grown_past_it_again() {
    let key = AuditKey::generate();
    let (mut entries, head) = chain(&key, 10);
    // Rolled back to entry 6, then new entries appended: entry 10 exists again, with other content.
    entries.truncate(6);
    let regrown = regrow(&key, &mut entries, 7);
    assert_eq!(verify(&key, &entries, Some(regrown)), Ok(13));
    let anchor = AuditAnchor { seq: head.0, mac: head.1 };
    let err = verify_anchored(&key, &entries, Some(regrown), &[anchor]).unwrap_err();
    assert_eq!(err, ChainBreak::AnchorMismatch { seq: 10 });
    assert!(err.to_string().contains("entry 10"), "{err}");
}

#[test]
fn a_broken_chain_is_reported_before_the_anchors() {
    let key = AuditKey::generate();
    let (mut entries, head) = chain(&key, 5);
    entries[2].entry = b"edited".to_vec();
    let anchor = AuditAnchor { seq: head.0, mac: head.1 };
    assert_eq!(verify_anchored(&key, &entries, Some(head), &[anchor]), Err(ChainBreak::Edited { seq: 3 }));
}

#[test]
fn a_recorded_head_is_read_in_both_printed_forms_and_refused_otherwise() {
    let mac = [0xabu8; 32];
    let anchor = AuditAnchor { seq: 42, mac };
    let text = anchor.to_string();
    assert_eq!(text, format!("42:{}", "ab".repeat(32)));
    assert_eq!(AuditAnchor::parse(&text), Ok(anchor));
    assert_eq!(AuditAnchor::parse(&format!("entry 42 mac {}", "AB".repeat(32))), Ok(anchor));
    let hex = "ab".repeat(32);
    let bad = [
        String::new(),
        "42".to_owned(),
        format!("0:{hex}"),
        format!("-1:{hex}"),
        "42:abc".to_owned(),
        format!("x:{hex}"),
        format!("42:{}", "zz".repeat(32)),
        format!("entry 42 {hex}"),
    ];
    for b in &bad {
        assert!(AuditAnchor::parse(b).is_err(), "{b:?} accepted");
    }
}

#[test]
fn a_checkpoint_verifies_only_with_the_audit_key_and_unaltered() {
    let key = AuditKey::generate();
    let (_, head) = chain(&key, 3);
    let cp = AuditCheckpoint::sign(&key, head.0, head.1, 1_780_000_000);
    assert!(cp.verify(&key));
    assert_eq!(cp.anchor(), AuditAnchor { seq: 3, mac: head.1 });
    assert!(!cp.verify(&AuditKey::generate()), "another key");
    assert!(!AuditCheckpoint { seq: 2, ..cp }.verify(&key), "seq altered");
    assert!(!AuditCheckpoint { at: cp.at + 1, ..cp }.verify(&key), "time altered");
    let mut other_head = head.1;
    other_head[0] ^= 1;
    assert!(!AuditCheckpoint { head: other_head, ..cp }.verify(&key), "head altered");
    // The checkpoint MAC is not the head row's MAC: one cannot stand in for the other.
    assert_ne!(cp.mac, audit_head_mac(&key, head.0, &head.1));
}
