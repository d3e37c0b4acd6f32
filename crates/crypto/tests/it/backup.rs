use haven_crypto::{BACKUP_CHUNK_SIZE, BACKUP_MAGIC, CryptoError, MasterKey, decrypt_backup, encrypt_backup};
use proptest::prelude::*;

const HEADER_LEN: usize = 8 + 8 + 73 + 19;
const TAG: usize = 16;

fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
}

fn encrypt(master: &MasterKey, plain: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    encrypt_backup(master, &mut &plain[..], &mut out).unwrap();
    out
}

fn decrypt(master: &MasterKey, backup: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let mut out = Vec::new();
    decrypt_backup(master, &mut &backup[..], &mut out).map(|()| out)
}

#[test]
fn multi_chunk_round_trip() {
    let master = MasterKey::generate();
    for len in [
        0,
        1,
        BACKUP_CHUNK_SIZE - 1,
        BACKUP_CHUNK_SIZE,
        BACKUP_CHUNK_SIZE + 1,
        2 * BACKUP_CHUNK_SIZE,
        3 * BACKUP_CHUNK_SIZE + 12_345,
    ] {
        let plain = data(len);
        let backup = encrypt(&master, &plain);
        assert_eq!(&backup[..8], BACKUP_MAGIC);
        // Full chunks, plus a final short (possibly empty) one unless the input fills the last.
        let chunks =
            if len > 0 && len % BACKUP_CHUNK_SIZE == 0 { len / BACKUP_CHUNK_SIZE } else { len / BACKUP_CHUNK_SIZE + 1 };
        assert_eq!(backup.len(), HEADER_LEN + len + chunks * TAG, "len {len}");
        assert_eq!(decrypt(&master, &backup).unwrap(), plain, "len {len}");
    }
}

#[test]
fn plaintext_does_not_appear_in_the_backup() {
    let master = MasterKey::generate();
    let plain = b"Distinctive-Surname-Zvaigzne ".repeat(5000);
    let backup = encrypt(&master, &plain);
    assert!(!backup.windows(20).any(|w| w == b"Distinctive-Surname-"));
}

#[test]
fn wrong_master_key_is_reported() {
    let backup = encrypt(&MasterKey::generate(), &data(1000));
    assert!(matches!(decrypt(&MasterKey::generate(), &backup), Err(CryptoError::WrongMasterKey)));
}

#[test]
fn truncation_is_detected() {
    let master = MasterKey::generate();
    let backup = encrypt(&master, &data(3 * BACKUP_CHUNK_SIZE + 100));
    let full = BACKUP_CHUNK_SIZE + TAG;
    for cut in [
        HEADER_LEN - 1,
        HEADER_LEN,
        HEADER_LEN + 10,
        HEADER_LEN + full,     // exactly one whole chunk left
        HEADER_LEN + 2 * full, // two whole chunks
        HEADER_LEN + 3 * full, // the last (short) chunk removed
        backup.len() - 1,
        HEADER_LEN + full + 5,
    ] {
        assert!(matches!(decrypt(&master, &backup[..cut]), Err(CryptoError::Tampered)), "cut at {cut}");
    }
    // A backup of an exact multiple of the chunk size, cut at a chunk boundary.
    let backup = encrypt(&master, &data(2 * BACKUP_CHUNK_SIZE));
    assert!(matches!(decrypt(&master, &backup[..HEADER_LEN + full]), Err(CryptoError::Tampered)));
}

#[test]
fn modification_reordering_and_extension_are_detected() {
    let master = MasterKey::generate();
    let backup = encrypt(&master, &data(3 * BACKUP_CHUNK_SIZE + 100));
    let full = BACKUP_CHUNK_SIZE + TAG;
    for i in [8, 16, 20, HEADER_LEN - 1, HEADER_LEN, HEADER_LEN + full + 7, backup.len() - 1] {
        let mut modified = backup.clone();
        modified[i] ^= 0x01;
        assert!(matches!(decrypt(&master, &modified), Err(CryptoError::Tampered)), "byte {i}");
    }
    // Swap the first two chunks.
    let mut swapped = backup[..HEADER_LEN].to_vec();
    swapped.extend_from_slice(&backup[HEADER_LEN + full..HEADER_LEN + 2 * full]);
    swapped.extend_from_slice(&backup[HEADER_LEN..HEADER_LEN + full]);
    swapped.extend_from_slice(&backup[HEADER_LEN + 2 * full..]);
    assert!(matches!(decrypt(&master, &swapped), Err(CryptoError::Tampered)));
    // Bytes appended after the last chunk.
    let mut extended = backup.clone();
    extended.extend_from_slice(&[0u8; 32]);
    assert!(matches!(decrypt(&master, &extended), Err(CryptoError::Tampered)));
    // Chunks of another backup under the same master key.
    let other = encrypt(&master, &data(3 * BACKUP_CHUNK_SIZE + 100));
    let mut spliced = backup[..HEADER_LEN].to_vec();
    spliced.extend_from_slice(&other[HEADER_LEN..]);
    assert!(matches!(decrypt(&master, &spliced), Err(CryptoError::Tampered)));
}

#[test]
fn not_a_backup() {
    let master = MasterKey::generate();
    assert!(matches!(decrypt(&master, b"SQLite format 3\0...."), Err(CryptoError::MalformedCiphertext(_))));
    assert!(matches!(decrypt(&master, b""), Err(CryptoError::MalformedCiphertext(_))));
}

/// A reader that hands out at most 7 bytes per call, to exercise short reads.
struct Trickle<'a>(&'a [u8]);

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(7).min(self.0.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[test]
fn short_reads_are_handled() {
    let master = MasterKey::generate();
    let plain = data(BACKUP_CHUNK_SIZE + 99);
    let mut backup = Vec::new();
    encrypt_backup(&master, &mut Trickle(&plain), &mut backup).unwrap();
    let mut out = Vec::new();
    decrypt_backup(&master, &mut Trickle(&backup), &mut out).unwrap();
    assert_eq!(out, plain);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn prop_round_trip(plain in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let master = MasterKey::generate();
        prop_assert_eq!(decrypt(&master, &encrypt(&master, &plain)).unwrap(), plain);
    }

    #[test]
    fn prop_any_bit_flip_is_rejected(
        plain in proptest::collection::vec(any::<u8>(), 0..512),
        index in any::<prop::sample::Index>(), bit in 0u8..8,
    ) {
        let master = MasterKey::generate();
        let mut backup = encrypt(&master, &plain);
        let i = index.index(backup.len());
        backup[i] ^= 1 << bit;
        let result = decrypt(&master, &backup);
        if i < BACKUP_MAGIC.len() {
            prop_assert!(matches!(result, Err(CryptoError::MalformedCiphertext(_))));
        } else {
            prop_assert!(matches!(result, Err(CryptoError::Tampered)), "byte {}: {:?}", i, result);
        }
    }
}
