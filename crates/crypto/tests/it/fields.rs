use haven_crypto::{CryptoError, FieldContext, KeyPurpose, Keyring, MasterKey, WrappedKey};
use proptest::prelude::*;

fn ctx<'a>(table: &'a str, column: &'a str, row: &'a str) -> FieldContext<'a> {
    FieldContext { table, column, row }
}

fn fresh() -> (MasterKey, Keyring, Vec<WrappedKey>) {
    let master = MasterKey::generate();
    let (keyring, wrapped) = Keyring::generate(&master);
    (master, keyring, wrapped)
}

#[test]
fn field_round_trip_and_format() {
    let (_, keyring, _) = fresh();
    let c = ctx("person", "family_name", "0190c6f5-0000-7000-8000-000000000001");
    let ct = keyring.encrypt_str(&c, "Jaunzeme-Kalniņa");
    assert_eq!(ct[0], 1, "version byte");
    assert_eq!(&ct[1..5], &1u32.to_be_bytes(), "key id of the first field key");
    assert_eq!(ct.len(), 1 + 4 + 24 + "Jaunzeme-Kalniņa".len() + 16);
    assert!(!ct.windows(8).any(|w| w == b"Jaunzeme"), "plaintext visible in ciphertext");
    assert_eq!(keyring.decrypt_str(&c, &ct).unwrap(), "Jaunzeme-Kalniņa");
    // Random nonces: the same plaintext encrypts differently each time.
    assert_ne!(ct, keyring.encrypt_str(&c, "Jaunzeme-Kalniņa"));
    // Empty values work too.
    let empty = keyring.encrypt_field(&c, b"");
    assert_eq!(keyring.decrypt_field(&c, &empty).unwrap(), b"");
}

#[test]
fn ciphertext_moved_to_another_place_fails() {
    let (_, keyring, _) = fresh();
    let home = ctx("person", "family_name", "row-1");
    let ct = keyring.encrypt_str(&home, "Anna");
    for elsewhere in [
        ctx("person", "family_name", "row-2"),
        ctx("person", "given_name", "row-1"),
        ctx("contact", "family_name", "row-1"),
        // Unambiguous framing: shifting bytes between parts is a different context.
        ctx("person", "family_namerow-1", ""),
        ctx("personfamily_name", "", "row-1"),
    ] {
        assert!(matches!(keyring.decrypt_str(&elsewhere, &ct), Err(CryptoError::Tampered)));
    }
}

#[test]
fn malformed_and_foreign_ciphertexts_are_rejected() {
    let (_, keyring, _) = fresh();
    let (_, other, _) = fresh();
    let c = ctx("t", "c", "r");
    assert!(matches!(keyring.decrypt_field(&c, &[1, 0, 0]), Err(CryptoError::MalformedCiphertext(_))));
    let mut ct = keyring.encrypt_field(&c, b"x");
    assert!(matches!(other.decrypt_field(&c, &ct), Err(CryptoError::Tampered)));
    // Version 2 is a field under a subject key, which a keyring never holds.
    ct[0] = 2;
    assert!(matches!(keyring.decrypt_field(&c, &ct), Err(CryptoError::UnknownSubjectKey(_))));
    ct[0] = 3;
    assert!(matches!(keyring.decrypt_field(&c, &ct), Err(CryptoError::MalformedCiphertext(_))));
    ct[0] = 1;
    ct[1..5].copy_from_slice(&99u32.to_be_bytes());
    assert!(matches!(keyring.decrypt_field(&c, &ct), Err(CryptoError::UnknownKey(99))));
    // Key id 2 exists but is the blind-index key: never used to decrypt fields.
    ct[1..5].copy_from_slice(&2u32.to_be_bytes());
    assert!(matches!(keyring.decrypt_field(&c, &ct), Err(CryptoError::UnknownKey(2))));
    // Non-UTF-8 plaintext through decrypt_str.
    let bytes = keyring.encrypt_field(&c, &[0xff, 0xfe]);
    let err = keyring.decrypt_str(&c, &bytes).unwrap_err();
    assert!(matches!(err, CryptoError::MalformedCiphertext(_)));
}

#[test]
fn generate_gives_one_key_of_each_purpose() {
    let (master, keyring, wrapped) = fresh();
    let ids: Vec<(u32, KeyPurpose)> = wrapped.iter().map(|w| (w.id, w.purpose)).collect();
    assert_eq!(
        ids,
        vec![(1, KeyPurpose::Field), (2, KeyPurpose::BlindIndex), (3, KeyPurpose::Audit), (4, KeyPurpose::Session)]
    );
    assert_eq!(keyring.key_ids(), ids);
    assert_eq!(keyring.active_field_key_id(), 1);
    assert!(wrapped.iter().all(|w| w.wrapped.len() == 1 + 24 + 32 + 16));
    // Unwrapped keys are the same keys.
    let again = Keyring::unwrap(&master, &wrapped).unwrap();
    let c = ctx("t", "c", "r");
    let ct = keyring.encrypt_str(&c, "same keys");
    assert_eq!(again.decrypt_str(&c, &ct).unwrap(), "same keys");
    assert_eq!(again.blind_index("name", "x"), keyring.blind_index("name", "x"));
    assert_eq!(again.session_mac(b"s"), keyring.session_mac(b"s"));
    let ka = keyring.audit_key();
    let kb = again.audit_key();
    assert_eq!(
        haven_crypto::audit_mac(&ka, 1, &haven_crypto::AUDIT_GENESIS, b"e"),
        haven_crypto::audit_mac(&kb, 1, &haven_crypto::AUDIT_GENESIS, b"e")
    );
}

#[test]
fn wrong_master_key_gives_wrong_master_key() {
    let (_, _, wrapped) = fresh();
    let err = Keyring::unwrap(&MasterKey::generate(), &wrapped).unwrap_err();
    assert!(matches!(err, CryptoError::WrongMasterKey), "{err:?}");
    assert!(err.to_string().contains("wrong master key"));
}

#[test]
fn tampered_or_relabelled_wrapped_keys_are_rejected() {
    let (master, _, wrapped) = fresh();
    // One wrapped key modified while the others unwrap: tampering, not a wrong master key.
    let mut modified = wrapped.clone();
    modified[2].wrapped[30] ^= 1;
    assert!(matches!(Keyring::unwrap(&master, &modified), Err(CryptoError::Tampered)));
    // Purpose and id are bound: relabelling the audit key as a field key fails.
    let mut relabelled = wrapped.clone();
    relabelled[2].purpose = KeyPurpose::Field;
    assert!(matches!(Keyring::unwrap(&master, &relabelled), Err(CryptoError::Tampered)));
    let mut renumbered = wrapped.clone();
    renumbered[0].id = 7;
    assert!(matches!(Keyring::unwrap(&master, &renumbered), Err(CryptoError::Tampered)));
    // Structural problems.
    assert!(matches!(Keyring::unwrap(&master, &wrapped[..3]), Err(CryptoError::MissingKey(KeyPurpose::Session))));
    let mut doubled = wrapped.clone();
    doubled.push(wrapped[0].clone());
    assert!(matches!(Keyring::unwrap(&master, &doubled), Err(CryptoError::DuplicateKey(1))));
    let mut short = wrapped.clone();
    short[0].wrapped.truncate(10);
    assert!(matches!(Keyring::unwrap(&master, &short), Err(CryptoError::MalformedCiphertext(_))));
}

#[test]
fn rotation_rewraps_without_touching_fields() {
    let (old_master, keyring, old_wrapped) = fresh();
    let c = ctx("person", "document_number", "r1");
    let ct = keyring.encrypt_str(&c, "LV1234567");

    let new_master = MasterKey::generate();
    let new_wrapped = keyring.rewrap(&new_master);
    assert_eq!(new_wrapped.len(), old_wrapped.len());
    assert_ne!(new_wrapped, old_wrapped);

    let rotated = Keyring::unwrap(&new_master, &new_wrapped).unwrap();
    assert_eq!(rotated.decrypt_str(&c, &ct).unwrap(), "LV1234567");
    assert_eq!(rotated.blind_index("document", "LV1234567"), keyring.blind_index("document", "LV1234567"));
    assert!(matches!(Keyring::unwrap(&old_master, &new_wrapped), Err(CryptoError::WrongMasterKey)));
    assert!(matches!(Keyring::unwrap(&new_master, &old_wrapped), Err(CryptoError::WrongMasterKey)));
}

#[test]
fn add_field_key_keeps_old_ciphertexts_readable() {
    let (master, mut keyring, mut wrapped) = fresh();
    let c = ctx("note", "text", "n1");
    let old = keyring.encrypt_str(&c, "before");
    let added = keyring.add_field_key(&master);
    assert_eq!(added.id, 5);
    assert_eq!(added.purpose, KeyPurpose::Field);
    assert_eq!(keyring.active_field_key_id(), 5);
    let new = keyring.encrypt_str(&c, "after");
    assert_eq!(&new[1..5], &5u32.to_be_bytes());
    assert_eq!(keyring.decrypt_str(&c, &old).unwrap(), "before");
    assert_eq!(keyring.decrypt_str(&c, &new).unwrap(), "after");

    // After a restart (unwrap from storage) the newest field key is still the active one.
    wrapped.push(added);
    let reloaded = Keyring::unwrap(&master, &wrapped).unwrap();
    assert_eq!(reloaded.active_field_key_id(), 5);
    assert_eq!(&reloaded.encrypt_str(&c, "x")[1..5], &5u32.to_be_bytes());
    assert_eq!(reloaded.decrypt_str(&c, &old).unwrap(), "before");
    assert_eq!(reloaded.decrypt_str(&c, &new).unwrap(), "after");
}

#[test]
fn blind_index_normalises_and_separates_purposes() {
    let (_, keyring, _) = fresh();
    let (_, other, _) = fresh();
    let anna = keyring.blind_index("given_name", "anna");
    assert_eq!(keyring.blind_index("given_name", "  Anna "), anna);
    assert_eq!(keyring.blind_index("given_name", "ANNA\n"), anna);
    assert_ne!(keyring.blind_index("family_name", "anna"), anna);
    assert_ne!(keyring.blind_index("given_name", "anne"), anna);
    assert_ne!(other.blind_index("given_name", "anna"), anna);
    // Inner whitespace collapsed; Unicode composed (NFC) forms compare equal.
    assert_eq!(keyring.blind_index("name", "Anna   Marie"), keyring.blind_index("name", "anna marie"));
    assert_eq!(keyring.blind_index("name", "Ren\u{e9}"), keyring.blind_index("name", "RENE\u{301}"));
    // Purpose and value are framed: moving characters between them changes the index.
    assert_ne!(keyring.blind_index("ab", "c"), keyring.blind_index("a", "bc"));
}

#[test]
fn session_mac_is_keyed() {
    let (_, keyring, _) = fresh();
    let (_, other, _) = fresh();
    assert_eq!(keyring.session_mac(b"session-1"), keyring.session_mac(b"session-1"));
    assert_ne!(keyring.session_mac(b"session-1"), keyring.session_mac(b"session-2"));
    assert_ne!(keyring.session_mac(b"session-1"), other.session_mac(b"session-1"));
}

#[test]
fn debug_output_has_no_key_material() {
    let (master, keyring, _) = fresh();
    let shown = format!("{master:?} {keyring:?} {:?}", keyring.audit_key());
    assert!(!shown.contains(&master.encode()));
    assert!(shown.contains(&master.fingerprint()));
    assert!(shown.contains("field"));
    assert!(shown.contains("redacted"));
}

#[test]
fn key_purpose_names() {
    for p in KeyPurpose::ALL {
        assert_eq!(KeyPurpose::parse(p.as_str()).unwrap(), p);
        assert_eq!(p.as_str().parse::<KeyPurpose>().unwrap(), p);
    }
    assert_eq!(KeyPurpose::BlindIndex.as_str(), "blind_index");
    assert!(matches!(KeyPurpose::parse("Field"), Err(CryptoError::UnknownKeyPurpose(_))));
}

fn ascii() -> impl Strategy<Value = String> {
    "[ -~]{0,24}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn prop_round_trip(table in ascii(), column in ascii(), row in ascii(),
                       plaintext in proptest::collection::vec(any::<u8>(), 0..512)) {
        let (_, keyring, _) = fresh();
        let c = ctx(&table, &column, &row);
        let ct = keyring.encrypt_field(&c, &plaintext);
        prop_assert_eq!(keyring.decrypt_field(&c, &ct).unwrap(), plaintext);
    }

    #[test]
    fn prop_str_round_trip(s in any::<String>()) {
        let (_, keyring, _) = fresh();
        let c = ctx("t", "c", "r");
        prop_assert_eq!(keyring.decrypt_str(&c, &keyring.encrypt_str(&c, &s)).unwrap(), s);
    }

    #[test]
    fn prop_any_bit_flip_in_ciphertext_is_rejected(
        plaintext in proptest::collection::vec(any::<u8>(), 0..128),
        index in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let (_, keyring, _) = fresh();
        let c = ctx("person", "narrative", "r");
        let mut ct = keyring.encrypt_field(&c, &plaintext);
        let i = index.index(ct.len());
        ct[i] ^= 1 << bit;
        prop_assert!(keyring.decrypt_field(&c, &ct).is_err());
    }

    #[test]
    fn prop_any_bit_flip_in_context_is_rejected(
        table in "[ -~]{1,16}", column in "[ -~]{1,16}", row in "[ -~]{1,16}",
        part in 0usize..3, index in any::<prop::sample::Index>(), bit in 0u8..7,
    ) {
        let (_, keyring, _) = fresh();
        let ct = keyring.encrypt_field(&ctx(&table, &column, &row), b"secret");
        let mut parts = [table.clone().into_bytes(), column.clone().into_bytes(), row.clone().into_bytes()];
        let i = index.index(parts[part].len());
        parts[part][i] ^= 1 << bit; // stays ASCII, hence valid UTF-8
        let [t, c, r] = parts.map(|p| String::from_utf8(p).unwrap());
        prop_assert!(matches!(
            keyring.decrypt_field(&ctx(&t, &c, &r), &ct),
            Err(CryptoError::Tampered)
        ));
    }

    #[test]
    fn prop_blind_index_ignores_case_and_surrounding_space(
        value in "[a-zA-Z][a-zA-Z ]{0,20}[a-zA-Z]", pad_left in " {0,3}", pad_right in "[ \t]{0,3}",
    ) {
        let (_, keyring, _) = fresh();
        let padded = format!("{pad_left}{}{pad_right}", value.to_uppercase());
        prop_assert_eq!(keyring.blind_index("p", &padded), keyring.blind_index("p", &value.to_lowercase()));
    }
}

#[test]
fn keyring_and_keys_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Keyring>();
    assert_send_sync::<MasterKey>();
    assert_send_sync::<haven_crypto::AuditKey>();
    assert_send_sync::<haven_crypto::TotpSecret>();
    assert_send_sync::<CryptoError>();
}

#[test]
fn rewrap_after_add_field_key_keeps_every_key() {
    let (master, mut keyring, _) = fresh();
    let c = ctx("t", "c", "r");
    let old = keyring.encrypt_str(&c, "one");
    keyring.add_field_key(&master);
    let new = keyring.encrypt_str(&c, "two");
    let next_master = MasterKey::generate();
    let wrapped = keyring.rewrap(&next_master);
    assert_eq!(wrapped.iter().map(|w| w.id).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
    let reloaded = Keyring::unwrap(&next_master, &wrapped).unwrap();
    assert_eq!(reloaded.decrypt_str(&c, &old).unwrap(), "one");
    assert_eq!(reloaded.decrypt_str(&c, &new).unwrap(), "two");
}

#[test]
fn error_messages_do_not_contain_plaintext() {
    let (_, keyring, _) = fresh();
    let c = ctx("t", "c", "r");
    let mut ct = keyring.encrypt_str(&c, "Zvaigzne");
    let last = ct.len() - 1;
    ct[last] ^= 1;
    let err = keyring.decrypt_str(&c, &ct).unwrap_err();
    assert!(!format!("{err} {err:?}").contains("Zvaigzne"));
    let bad_utf8 = keyring.encrypt_field(&c, b"Zvaigzne\xff");
    let err = keyring.decrypt_str(&c, &bad_utf8).unwrap_err();
    assert!(!format!("{err} {err:?}").contains("Zvaigzne"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn prop_any_bit_flip_in_a_wrapped_key_is_rejected(
        which in 0usize..4, index in any::<prop::sample::Index>(), bit in 0u8..8,
    ) {
        let (master, _, mut wrapped) = fresh();
        let i = index.index(wrapped[which].wrapped.len());
        wrapped[which].wrapped[i] ^= 1 << bit;
        let result = Keyring::unwrap(&master, &wrapped);
        if i == 0 {
            prop_assert!(matches!(result, Err(CryptoError::MalformedCiphertext(_))));
        } else {
            prop_assert!(matches!(result, Err(CryptoError::Tampered)));
        }
    }
}

#[test]
fn reencrypt_field_moves_a_ciphertext_to_the_active_key_and_the_old_key_can_then_be_removed() {
    let (master, mut keyring, _) = fresh();
    let c = ctx("persons", "given_names", "case-1");
    let old = keyring.encrypt_str(&c, "Aina");
    assert_eq!(Keyring::field_key_id(&old), Some(1));
    assert_eq!(Keyring::field_key_id(b"short"), None);
    let added = keyring.add_key(KeyPurpose::Field, &master);
    let new = keyring.reencrypt_field(&c, &old).unwrap().expect("re-encrypted");
    assert_eq!(Keyring::field_key_id(&new), Some(added.id));
    assert_eq!(keyring.decrypt_str(&c, &new).unwrap(), "Aina");
    assert!(keyring.reencrypt_field(&c, &new).unwrap().is_none(), "already under the active key");
    assert!(keyring.reencrypt_field(&ctx("persons", "given_names", "case-2"), &old).is_err(), "bound to its row");

    // The active key stays; the old one goes, and what it encrypted no longer reads.
    assert!(matches!(keyring.remove_key(added.id), Err(CryptoError::ActiveKey(_))));
    assert!(keyring.remove_key(1).unwrap());
    assert!(!keyring.remove_key(1).unwrap());
    assert!(matches!(keyring.decrypt_str(&c, &old), Err(CryptoError::UnknownKey(1))));
    assert_eq!(keyring.decrypt_str(&c, &new).unwrap(), "Aina");
}
