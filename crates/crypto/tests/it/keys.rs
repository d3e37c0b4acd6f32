use std::os::unix::fs::PermissionsExt;

use haven_crypto::{CryptoError, MasterKey};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn encoding_round_trip_and_errors() {
    let key = MasterKey::generate();
    let text = key.encode();
    assert_eq!(text.len(), 44);
    let back = MasterKey::from_encoded(&format!("  {text}\n")).unwrap();
    assert_eq!(back.encode(), text);
    assert_eq!(back.fingerprint(), key.fingerprint());
    assert_eq!(key.fingerprint().len(), 16);
    assert!(key.fingerprint().chars().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(MasterKey::generate().fingerprint(), key.fingerprint());

    let secretish = "not*base64*at*all-but-a-secret";
    let err = MasterKey::from_encoded(secretish).unwrap_err();
    assert!(matches!(err, CryptoError::InvalidKeyEncoding(_)));
    assert!(!err.to_string().contains(secretish), "error echoes the input");
    let short = MasterKey::from_encoded("AAAAAAAAAAAAAAAAAAAAAA==").unwrap_err();
    assert!(short.to_string().contains("16 bytes"), "{short}");
    assert!(MasterKey::from_encoded("").is_err());
}

#[test]
fn key_file_is_created_0600_then_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("deeper").join("master.key");
    let (created, was_created) = MasterKey::load_or_create(&path).unwrap();
    assert!(was_created);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    let content = std::fs::read_to_string(&path).unwrap();
    assert_eq!(content.trim(), created.encode());
    // No temporary files left behind.
    assert_eq!(std::fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);

    let (loaded, was_created) = MasterKey::load_or_create(&path).unwrap();
    assert!(!was_created);
    assert_eq!(loaded.encode(), created.encode());
}

#[test]
fn key_file_readable_by_others_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("master.key");
    MasterKey::load_or_create(&path).unwrap();
    for bad in [0o644, 0o640, 0o604, 0o660] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(bad)).unwrap();
        let err = MasterKey::load_or_create(&path).unwrap_err();
        match &err {
            CryptoError::KeyFile { path: p, reason } => {
                assert_eq!(p, &path.display().to_string());
                assert!(reason.contains(&format!("{bad:04o}")), "{reason}");
            }
            other => panic!("expected KeyFile, got {other:?}"),
        }
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    assert!(MasterKey::load_or_create(&path).is_ok());
}

#[test]
fn read_file_reads_the_key_of_a_rotated_file_and_never_creates_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("master.key");
    assert!(matches!(MasterKey::read_file(&path), Err(CryptoError::KeyFile { .. })));
    assert!(!path.exists(), "reading a missing key file does not create it");
    let old = MasterKey::generate();
    let new = MasterKey::generate();
    new.write_with_history(&path, &[old]).unwrap();
    assert_eq!(MasterKey::read_file(&path).unwrap().fingerprint(), new.fingerprint());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(matches!(MasterKey::read_file(&path), Err(CryptoError::KeyFile { .. })));
}

#[test]
fn key_file_with_bad_content_is_a_key_file_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("master.key");
    std::fs::write(&path, "garbage\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let err = MasterKey::load_or_create(&path).unwrap_err();
    assert!(matches!(err, CryptoError::KeyFile { .. }), "{err:?}");
    assert!(!err.to_string().contains("garbage"));
}

#[test]
fn write_to_replaces_atomically_with_0600() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys").join("master.key");
    let (old, _) = MasterKey::load_or_create(&path).unwrap();
    let new = MasterKey::generate();
    new.write_to(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
    let (loaded, created) = MasterKey::load_or_create(&path).unwrap();
    assert!(!created);
    assert_eq!(loaded.encode(), new.encode());
    assert_ne!(loaded.encode(), old.encode());
    assert_eq!(std::fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
    // Writing to a fresh path creates it, parent included.
    let fresh = dir.path().join("other").join("k");
    new.write_to(&fresh).unwrap();
    assert_eq!(mode(&fresh), 0o600);
}

#[test]
fn concurrent_creation_yields_one_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("master.key");
    let results: Vec<(String, bool)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    let (key, created) = MasterKey::load_or_create(&path).unwrap();
                    (key.encode(), created)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let first = &results[0].0;
    assert!(results.iter().all(|(k, _)| k == first), "all threads see one key");
    assert_eq!(results.iter().filter(|(_, created)| *created).count(), 1);
    assert_eq!(std::fs::read_to_string(&path).unwrap().trim(), first);
    assert_eq!(std::fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
}

#[test]
fn key_file_history_keeps_earlier_keys_wrapped_under_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("master.key");
    let first = MasterKey::generate();
    let second = MasterKey::generate();
    let third = MasterKey::generate();
    third.write_with_history(&path, &[second.clone(), first.clone()]).unwrap();
    assert_eq!(mode(&path), 0o600);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(&first.encode()) && !text.contains(&second.encode()), "no earlier key in clear");

    // The file opens as the current key; its history unwraps under it, newest first.
    let (loaded, created) = MasterKey::load_or_create(&path).unwrap();
    assert!(!created);
    assert_eq!(loaded.fingerprint(), third.fingerprint());
    let history = loaded.read_history(&path).unwrap();
    let prints: Vec<String> = history.iter().map(MasterKey::fingerprint).collect();
    assert_eq!(prints, [second.fingerprint(), first.fingerprint()]);
    assert_eq!(history[1].encode(), first.encode());

    // Another key does not read it; a history line moved under another fingerprint fails.
    assert!(matches!(first.read_history(&path), Err(CryptoError::WrongMasterKey)));
    let swapped = text.replacen(&second.fingerprint(), &first.fingerprint(), 1);
    std::fs::write(&path, swapped).unwrap();
    assert!(matches!(third.read_history(&path), Err(CryptoError::Tampered)));

    // Without history the file is the key alone.
    third.write_with_history(&path, &[]).unwrap();
    assert!(third.read_history(&path).unwrap().is_empty());
    assert_eq!(std::fs::read_to_string(&path).unwrap().trim(), third.encode());
}
