use std::io::{self, Read, Write};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::CryptoError;
use crate::master::{MasterKey, UnwrapFailure, WRAPPED_LEN};
use crate::random::{constant_time_eq, random_bytes};

/// First bytes of every backup file.
pub const BACKUP_MAGIC: &[u8; 8] = b"HAVENBK1";
/// Plaintext bytes per chunk (the last chunk may be shorter, even empty).
pub const BACKUP_CHUNK_SIZE: usize = 64 * 1024;

const TAG_LEN: usize = 16;
const FINGERPRINT_LEN: usize = 8;
const PREFIX_LEN: usize = 19;
const HEADER_LEN: usize = BACKUP_MAGIC.len() + FINGERPRINT_LEN + WRAPPED_LEN + PREFIX_LEN;
const FILE_KEY_AAD: &[u8] = b"haven-backup-file-key-v1";

/// Nonce of chunk `counter`: the random prefix, the counter (u32 BE) and the last-chunk flag.
fn chunk_nonce(prefix: &[u8; PREFIX_LEN], counter: u32, last: bool) -> XNonce {
    let mut n = [0u8; 24];
    n[..PREFIX_LEN].copy_from_slice(prefix);
    n[PREFIX_LEN..PREFIX_LEN + 4].copy_from_slice(&counter.to_be_bytes());
    n[23] = u8::from(last);
    XNonce::from(n)
}

/// Reads until `buf` is full or the input ends; returns the number of bytes read.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn too_long() -> CryptoError {
    CryptoError::MalformedCiphertext("backup exceeds the maximum number of chunks".into())
}

/// Streams `input` into `output` encrypted.
///
/// Format: header = magic "HAVENBK1", the master key's 8-byte fingerprint, a random 32-byte file
/// key wrapped by the master key, a random 19-byte nonce prefix; then chunks of at most 64 KiB of
/// plaintext, each XChaCha20-Poly1305-encrypted under the file key with nonce = prefix || chunk
/// counter (u32 BE) || last-chunk flag, and the whole header as associated data. There is always a
/// last chunk (possibly empty), so truncation, reordering and header edits are detected.
pub fn encrypt_backup(master: &MasterKey, input: &mut impl Read, output: &mut impl Write) -> Result<(), CryptoError> {
    let file_key = Zeroizing::new(random_bytes::<32>());
    let prefix: [u8; PREFIX_LEN] = random_bytes();
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(BACKUP_MAGIC);
    header.extend_from_slice(&master.fingerprint_bytes());
    header.extend_from_slice(&master.wrap(&file_key_aad(), &file_key));
    header.extend_from_slice(&prefix);
    output.write_all(&header)?;

    let cipher = XChaCha20Poly1305::new((&*file_key).into());
    let mut current = Zeroizing::new(vec![0u8; BACKUP_CHUNK_SIZE]);
    let mut next = Zeroizing::new(vec![0u8; BACKUP_CHUNK_SIZE]);
    let mut current_len = read_full(input, &mut current)?;
    let mut counter: u32 = 0;
    loop {
        // A chunk is the last one when nothing follows it.
        let next_len = if current_len == BACKUP_CHUNK_SIZE { read_full(input, &mut next)? } else { 0 };
        let last = next_len == 0;
        let ct = cipher
            .encrypt(&chunk_nonce(&prefix, counter, last), Payload { msg: &current[..current_len], aad: &header })
            .map_err(|_| CryptoError::MalformedCiphertext("chunk encryption failed".into()))?;
        output.write_all(&ct)?;
        if last {
            break;
        }
        std::mem::swap(&mut current, &mut next);
        current_len = next_len;
        counter = counter.checked_add(1).ok_or_else(too_long)?;
    }
    output.flush()?;
    Ok(())
}

fn file_key_aad() -> Vec<u8> {
    let mut aad = Vec::with_capacity(FILE_KEY_AAD.len() + BACKUP_MAGIC.len());
    aad.extend_from_slice(FILE_KEY_AAD);
    aad.extend_from_slice(BACKUP_MAGIC);
    aad
}

/// Decrypts a backup written by [`encrypt_backup`] into `output`, chunk by chunk.
///
/// A master key other than the one the backup was made with gives
/// [`CryptoError::WrongMasterKey`]; any modification, truncation or extension gives
/// [`CryptoError::Tampered`]; a file that is not a Haven backup gives
/// [`CryptoError::MalformedCiphertext`]. Plaintext is written as each chunk is authenticated, so
/// on error `output` holds a partial result: write to a temporary place and use it only on `Ok`.
pub fn decrypt_backup(master: &MasterKey, input: &mut impl Read, output: &mut impl Write) -> Result<(), CryptoError> {
    let mut header = [0u8; HEADER_LEN];
    let got = read_full(input, &mut header)?;
    if got < BACKUP_MAGIC.len() || &header[..BACKUP_MAGIC.len()] != BACKUP_MAGIC {
        return Err(CryptoError::MalformedCiphertext("not a Haven backup (magic \"HAVENBK1\" missing)".into()));
    }
    if got < HEADER_LEN {
        return Err(CryptoError::Tampered);
    }
    let fp_end = BACKUP_MAGIC.len() + FINGERPRINT_LEN;
    let wrap_end = fp_end + WRAPPED_LEN;
    let file_key = match master.unwrap(&file_key_aad(), &header[fp_end..wrap_end]) {
        Ok(k) => k,
        Err(UnwrapFailure::Authentication) | Err(UnwrapFailure::Malformed(_)) => {
            // Distinguish a different master key from a modified header.
            return Err(if constant_time_eq(&master.fingerprint_bytes(), &header[BACKUP_MAGIC.len()..fp_end]) {
                CryptoError::Tampered
            } else {
                CryptoError::WrongMasterKey
            });
        }
    };
    let mut prefix = [0u8; PREFIX_LEN];
    prefix.copy_from_slice(&header[wrap_end..]);

    let cipher = XChaCha20Poly1305::new((&*file_key).into());
    let full = BACKUP_CHUNK_SIZE + TAG_LEN;
    let mut current = vec![0u8; full];
    let mut next = vec![0u8; full];
    let mut current_len = read_full(input, &mut current)?;
    let mut counter: u32 = 0;
    loop {
        if current_len < TAG_LEN {
            return Err(CryptoError::Tampered);
        }
        let next_len = if current_len == full { read_full(input, &mut next)? } else { 0 };
        let last = next_len == 0;
        let plain = Zeroizing::new(
            cipher
                .decrypt(&chunk_nonce(&prefix, counter, last), Payload { msg: &current[..current_len], aad: &header })
                .map_err(|_| CryptoError::Tampered)?,
        );
        output.write_all(&plain)?;
        if last {
            break;
        }
        std::mem::swap(&mut current, &mut next);
        current_len = next_len;
        counter = counter.checked_add(1).ok_or_else(too_long)?;
    }
    output.flush()?;
    Ok(())
}
