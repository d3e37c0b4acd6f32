use std::fmt;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::CryptoError;
use crate::mac::hmac_sha256_parts;
use crate::random::random_bytes;

/// Format version byte of a wrapped secret.
const WRAP_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// Length of a wrapped 32-byte secret: version, nonce, ciphertext, tag.
pub(crate) const WRAPPED_LEN: usize = 1 + NONCE_LEN + 32 + TAG_LEN;

/// Start of a key-history line in a key file.
const HISTORY_PREFIX: &str = "previous ";

/// Associated data of an earlier master key wrapped under a later one.
fn previous_aad(fingerprint: &str) -> Vec<u8> {
    let mut aad = b"haven-previous-master-v1:".to_vec();
    aad.extend_from_slice(fingerprint.as_bytes());
    aad
}

/// Why unwrapping failed; callers map this to `WrongMasterKey` or `Tampered`.
pub(crate) enum UnwrapFailure {
    Malformed(String),
    Authentication,
}

/// The 32-byte master key (key-encryption key). It wraps the data keys and backup file keys and is
/// never stored in the database. Zeroized on drop; `Debug` shows only the fingerprint.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct MasterKey {
    bytes: [u8; 32],
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MasterKey").field("fingerprint", &self.fingerprint()).finish_non_exhaustive()
    }
}

impl MasterKey {
    /// A new random master key.
    pub fn generate() -> MasterKey {
        MasterKey { bytes: random_bytes() }
    }

    /// Parses the text form: base64 (standard alphabet, padded) of 32 bytes. Surrounding
    /// whitespace (such as a trailing newline in a key file) is ignored.
    pub fn from_encoded(s: &str) -> Result<MasterKey, CryptoError> {
        let decoded = Zeroizing::new(STANDARD.decode(s.trim()).map_err(|_| {
            CryptoError::InvalidKeyEncoding(
                "not valid base64 (expected standard alphabet with padding, 44 characters)".into(),
            )
        })?);
        let bytes: [u8; 32] = decoded.as_slice().try_into().map_err(|_| {
            CryptoError::InvalidKeyEncoding(format!(
                "decodes to {} bytes, expected 32 (44 base64 characters)",
                decoded.len()
            ))
        })?;
        Ok(MasterKey { bytes })
    }

    /// The text form: base64 (standard alphabet, padded) of the 32 key bytes.
    pub fn encode(&self) -> String {
        STANDARD.encode(self.bytes)
    }

    /// Reads the key (the first line) of an existing key file, never creating one: a running
    /// server reads its key file again after a rotation replaced it. The same checks as
    /// [`MasterKey::load_or_create`] (a regular file, no group or other access).
    pub fn read_file(path: &Path) -> Result<MasterKey, CryptoError> {
        read_key_file(path)
    }

    /// Reads the key file at `path`, or creates it with a new key if it does not exist (mode 0600,
    /// created atomically; missing parent directories are created with mode 0700).
    /// Returns the key and whether it was created. A file whose permissions allow any group or
    /// other access is refused.
    pub fn load_or_create(path: &Path) -> Result<(MasterKey, bool), CryptoError> {
        match fs::metadata(path) {
            Ok(_) => return Ok((read_key_file(path)?, false)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(key_file_error(path, format!("cannot read metadata: {e}"))),
        }
        let key = MasterKey::generate();
        let temp = write_temp_key_file(&key, path)?;
        // hard_link fails if `path` exists, so a key file created concurrently is never replaced.
        let linked = fs::hard_link(&temp, path);
        let _ = fs::remove_file(&temp);
        match linked {
            Ok(()) => {
                sync_parent(path);
                Ok((key, true))
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok((read_key_file(path)?, false)),
            Err(_) => {
                // Filesystems without hard links: write the final file exclusively instead.
                write_key_file_exclusive(&key, path)?;
                sync_parent(path);
                Ok((key, true))
            }
        }
    }

    /// Writes this key to `path` (mode 0600), atomically replacing any existing file (temporary
    /// file in the same directory, synced, then renamed). Used by key rotation.
    pub fn write_to(&self, path: &Path) -> Result<(), CryptoError> {
        let temp = write_temp_key_file(self, path)?;
        if let Err(e) = fs::rename(&temp, path) {
            let _ = fs::remove_file(&temp);
            return Err(key_file_error(path, format!("cannot rename into place: {e}")));
        }
        sync_parent(path);
        Ok(())
    }

    /// Writes this key to `path` like [`MasterKey::write_to`], followed by its history: each
    /// earlier master key wrapped under this one, one `previous <fingerprint> <base64>` line each
    /// (newest first). Whoever holds the current key file can still open backups made under an
    /// earlier key; nobody holding only an earlier key learns a later one.
    pub fn write_with_history(&self, path: &Path, history: &[MasterKey]) -> Result<(), CryptoError> {
        let mut text = Zeroizing::new(self.encode());
        text.push('\n');
        for previous in history {
            let wrapped = self.wrap(&previous_aad(&previous.fingerprint()), &previous.bytes);
            text.push_str(&format!("{HISTORY_PREFIX}{} {}\n", previous.fingerprint(), STANDARD.encode(wrapped)));
        }
        let temp = write_temp_text(&text, path)?;
        if let Err(e) = fs::rename(&temp, path) {
            let _ = fs::remove_file(&temp);
            return Err(key_file_error(path, format!("cannot rename into place: {e}")));
        }
        sync_parent(path);
        Ok(())
    }

    /// The earlier master keys recorded in the key file at `path` (whose first line must be this
    /// key), unwrapped, newest first. A line that does not unwrap under this key is an error.
    pub fn read_history(&self, path: &Path) -> Result<Vec<MasterKey>, CryptoError> {
        let in_file = read_key_file(path)?;
        if in_file.fingerprint() != self.fingerprint() {
            return Err(CryptoError::WrongMasterKey);
        }
        let text =
            Zeroizing::new(fs::read_to_string(path).map_err(|e| key_file_error(path, format!("cannot read: {e}")))?);
        let mut out = Vec::new();
        for line in text.lines().skip(1).map(str::trim).filter(|l| !l.is_empty()) {
            let mut parts = line.strip_prefix(HISTORY_PREFIX).unwrap_or("").split_whitespace();
            let (Some(fingerprint), Some(wrapped), None) = (parts.next(), parts.next(), parts.next()) else {
                return Err(key_file_error(path, "a history line is not `previous <fingerprint> <key>`".into()));
            };
            let wrapped = STANDARD
                .decode(wrapped)
                .map_err(|_| key_file_error(path, format!("history key {fingerprint} is not valid base64")))?;
            let bytes = match self.unwrap(&previous_aad(fingerprint), &wrapped) {
                Ok(bytes) => bytes,
                Err(UnwrapFailure::Malformed(reason)) => {
                    return Err(key_file_error(path, format!("history key {fingerprint}: {reason}")));
                }
                Err(UnwrapFailure::Authentication) => return Err(CryptoError::Tampered),
            };
            out.push(MasterKey { bytes: *bytes });
        }
        Ok(out)
    }

    /// A short non-secret identifier of this key: hex of the first 8 bytes of
    /// HMAC-SHA256(key, "haven key fingerprint").
    pub fn fingerprint(&self) -> String {
        let mac = hmac_sha256_parts(&self.bytes, &[b"haven key fingerprint"]);
        let mut out = String::with_capacity(16);
        for b in &mac[..8] {
            out.push_str(&format!("{b:02x}"));
        }
        out
    }

    /// The first 8 bytes of the fingerprint, as bytes (stored in backup headers).
    pub(crate) fn fingerprint_bytes(&self) -> [u8; 8] {
        let mac = hmac_sha256_parts(&self.bytes, &[b"haven key fingerprint"]);
        let mut out = [0u8; 8];
        out.copy_from_slice(&mac[..8]);
        out
    }

    /// The AEAD key that wraps secrets, derived so the master key itself is used for one thing.
    fn wrapping_cipher(&self) -> XChaCha20Poly1305 {
        let sub = Zeroizing::new(hmac_sha256_parts(&self.bytes, &[b"haven-master-wrap-v1"]));
        XChaCha20Poly1305::new((&*sub).into())
    }

    /// Wraps a 32-byte secret: version byte, 24-byte random nonce, ciphertext and tag.
    pub(crate) fn wrap(&self, aad: &[u8], secret: &[u8; 32]) -> Vec<u8> {
        let nonce_bytes: [u8; NONCE_LEN] = random_bytes();
        let nonce = XNonce::from(nonce_bytes);
        let mut full_aad = Vec::with_capacity(aad.len() + 1);
        full_aad.push(WRAP_VERSION);
        full_aad.extend_from_slice(aad);
        let mut out = Vec::with_capacity(WRAPPED_LEN);
        out.push(WRAP_VERSION);
        out.extend_from_slice(&nonce_bytes);
        // Encryption of an in-memory buffer of this size cannot fail.
        if let Ok(ct) = self.wrapping_cipher().encrypt(&nonce, Payload { msg: secret, aad: &full_aad }) {
            out.extend_from_slice(&ct);
        }
        out
    }

    /// Unwraps a secret wrapped by [`MasterKey::wrap`] with the same associated data.
    pub(crate) fn unwrap(&self, aad: &[u8], wrapped: &[u8]) -> Result<Zeroizing<[u8; 32]>, UnwrapFailure> {
        if wrapped.len() != WRAPPED_LEN {
            return Err(UnwrapFailure::Malformed(format!(
                "wrapped key is {} bytes, expected {WRAPPED_LEN}",
                wrapped.len()
            )));
        }
        if wrapped[0] != WRAP_VERSION {
            return Err(UnwrapFailure::Malformed(format!("unknown wrapped key version {}", wrapped[0])));
        }
        let mut nonce_bytes = [0u8; NONCE_LEN];
        nonce_bytes.copy_from_slice(&wrapped[1..1 + NONCE_LEN]);
        let nonce = XNonce::from(nonce_bytes);
        let mut full_aad = Vec::with_capacity(aad.len() + 1);
        full_aad.push(WRAP_VERSION);
        full_aad.extend_from_slice(aad);
        let plain = Zeroizing::new(
            self.wrapping_cipher()
                .decrypt(&nonce, Payload { msg: &wrapped[1 + NONCE_LEN..], aad: &full_aad })
                .map_err(|_| UnwrapFailure::Authentication)?,
        );
        let mut out = Zeroizing::new([0u8; 32]);
        if plain.len() != 32 {
            return Err(UnwrapFailure::Malformed("wrapped secret has a wrong length".into()));
        }
        out.copy_from_slice(&plain);
        Ok(out)
    }
}

fn key_file_error(path: &Path, reason: String) -> CryptoError {
    CryptoError::KeyFile { path: path.display().to_string(), reason }
}

/// Reads and checks an existing key file.
fn read_key_file(path: &Path) -> Result<MasterKey, CryptoError> {
    let mut file = fs::File::open(path).map_err(|e| key_file_error(path, format!("cannot open: {e}")))?;
    let meta = file.metadata().map_err(|e| key_file_error(path, format!("cannot read metadata: {e}")))?;
    if !meta.is_file() {
        return Err(key_file_error(path, "is not a regular file".into()));
    }
    check_permissions(path, &meta)?;
    let mut text = Zeroizing::new(String::new());
    file.read_to_string(&mut text).map_err(|e| key_file_error(path, format!("cannot read: {e}")))?;
    // The first line is the key; the lines after it are its history (see `read_history`).
    MasterKey::from_encoded(text.lines().next().unwrap_or("")).map_err(|e| match e {
        CryptoError::InvalidKeyEncoding(reason) => {
            key_file_error(path, format!("content is not a valid master key: {reason}"))
        }
        other => other,
    })
}

#[cfg(unix)]
fn check_permissions(path: &Path, meta: &fs::Metadata) -> Result<(), CryptoError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(key_file_error(
            path,
            format!(
                "permissions {mode:04o} allow access by group or others; refusing to use it \
                 (run `chmod 600` on the file if it has not been exposed, otherwise rotate the key)"
            ),
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_permissions(_path: &Path, _meta: &fs::Metadata) -> Result<(), CryptoError> {
    Ok(())
}

fn create_parent(path: &Path) -> Result<(), CryptoError> {
    let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) else {
        return Ok(());
    };
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(parent)
        .map_err(|e| key_file_error(path, format!("cannot create directory {}: {e}", parent.display())))
}

fn open_exclusive(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

fn write_key(key: &MasterKey, file: &mut fs::File) -> io::Result<()> {
    let mut text = Zeroizing::new(key.encode());
    text.push('\n');
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// Writes the key to a fresh temporary file next to `path` and returns the temporary path.
fn write_temp_key_file(key: &MasterKey, path: &Path) -> Result<PathBuf, CryptoError> {
    let mut text = Zeroizing::new(key.encode());
    text.push('\n');
    write_temp_text(&text, path)
}

/// Writes `text` to a fresh temporary file (mode 0600) next to `path`; returns its path.
fn write_temp_text(text: &str, path: &Path) -> Result<PathBuf, CryptoError> {
    create_parent(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| key_file_error(path, "is not a file path".into()))?;
    let suffix: [u8; 8] = random_bytes();
    let suffix: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
    let temp = path.with_file_name(format!(".{name}.tmp-{suffix}"));
    let mut file =
        open_exclusive(&temp).map_err(|e| key_file_error(path, format!("cannot create temporary file: {e}")))?;
    if let Err(e) = file.write_all(text.as_bytes()).and_then(|()| file.sync_all()) {
        let _ = fs::remove_file(&temp);
        return Err(key_file_error(path, format!("cannot write: {e}")));
    }
    Ok(temp)
}

fn write_key_file_exclusive(key: &MasterKey, path: &Path) -> Result<(), CryptoError> {
    let mut file = match open_exclusive(path) {
        Ok(f) => f,
        Err(e) => return Err(key_file_error(path, format!("cannot create: {e}"))),
    };
    if let Err(e) = write_key(key, &mut file) {
        let _ = fs::remove_file(path);
        return Err(key_file_error(path, format!("cannot write: {e}")));
    }
    Ok(())
}

/// Makes a rename or link durable (best effort; not all platforms can sync directories).
fn sync_parent(path: &Path) {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(dir) = fs::File::open(parent)
    {
        let _ = dir.sync_all();
    }
}
