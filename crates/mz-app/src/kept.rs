//! Kept outboxes: what still waited to be sent when a profile's local data
//! was wiped, saved encrypted, so that a clerk's registrations are neither
//! lost nor left on the disk in the clear.
//!
//! A kept outbox is one file in the profile's `kept` folder, sealed with
//! AES-256-GCM under a random key of its own that lives in the OS credential
//! store (entry `kept-key <file name>`), never in a file. The file's name
//! says whom it is for:
//!
//! - `user-<user id>-<UTC time>-<random>.mzbox`: kept at logout for that
//!   user (the platform's id of the user, not their name). At that user's
//!   next sign-in on this profile its entries go back into the outbox and are
//!   sent; then the file and its key are deleted. Nobody else's sign-in
//!   opens it.
//! - `admin-<UTC time>-<random>.mzbox`: kept for an administrator: what
//!   waited on a device the platform revoked (with the user copies the
//!   device held), or a plain-text outbox file an older version wrote. No
//!   sign-in opens it; `mz client kept` lists it, `mz client show` prints
//!   its entries and `mz client release` hands it to its user's next
//!   sign-in.
//!
//! The name is sealed in with the contents (as associated data): a file
//! renamed to another user's name does not open. Inside, besides the
//! entries, are the user they belong to and the device (cache) they came
//! from, so that entries still in an unwiped cache are not queued twice.

use std::path::{Path, PathBuf};

use mz_store::{EntryState, OutboxEntry};
use rand::RngCore;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::profile::Secrets;
use crate::{AppError, AppResult};

/// The folder of the kept outboxes, inside the profile.
pub const FOLDER: &str = "kept";
const MAGIC: &[u8; 8] = b"MZKEPT1\n";
const SUFFIX: &str = ".mzbox";

/// Why the entries were kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeptReason {
    /// The user chose to keep them at logout.
    Logout,
    /// The platform revoked the device.
    Revoked,
    /// An older version wrote them to a plain-text `outbox-*.jsonl` file.
    PlainFile,
}

/// Whose entries they are (the signed-in user when they were kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptUser {
    pub id: Uuid,
    pub username: String,
}

/// What a kept file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contents {
    pub reason: KeptReason,
    /// Unknown for a plain-text file of an older version.
    pub user: Option<KeptUser>,
    /// The device (the cache) the entries came from.
    pub device_id: Option<Uuid>,
    /// Unix milliseconds.
    pub saved_at_ms: i64,
    pub entries: Vec<OutboxEntry>,
    /// The files the entries name (a couple's photo), with their bytes.
    #[serde(default)]
    pub files: Vec<KeptBlob>,
}

/// A file kept with the entries that name it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptBlob {
    pub blob: mz_domain::blob::BlobRef,
    /// The bytes, base64.
    pub data: String,
}

impl KeptBlob {
    pub fn new(blob: mz_domain::blob::BlobRef, bytes: &[u8]) -> KeptBlob {
        use base64::Engine;
        KeptBlob {
            blob,
            data: base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }

    /// The file and its bytes, checked against the reference.
    pub fn bytes(&self) -> AppResult<(mz_domain::blob::BlobRef, Vec<u8>)> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(self.data.as_bytes())
            .map_err(|e| AppError::Invalid(format!("a kept file is damaged: {e}")))?;
        self.blob.check_bytes("file", &bytes).map_err(|issue| {
            AppError::Invalid(format!("a kept file is damaged: {}", issue.message))
        })?;
        Ok((self.blob.clone(), bytes))
    }
}

impl Contents {
    /// Entries waiting to be sent, and entries waiting for a decision.
    pub fn counts(&self) -> (usize, usize) {
        let pending = self
            .entries
            .iter()
            .filter(|e| e.state == EntryState::Pending)
            .count();
        (pending, self.entries.len() - pending)
    }
}

/// A kept file just written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub path: PathBuf,
    pub entries: usize,
}

/// One file of the `kept` folder as an administrator sees it: its name and
/// what it holds, or why it does not open.
#[derive(Debug)]
pub struct KeptFile {
    pub name: String,
    pub for_admin: bool,
    pub contents: AppResult<Contents>,
}

/// The kept outboxes of one profile folder.
#[derive(Debug)]
pub(crate) struct KeptFolder<'a> {
    dir: PathBuf,
    secrets: &'a dyn Secrets,
}

fn key_name(name: &str) -> String {
    format!("kept-key {name}")
}

fn io(error: std::io::Error) -> AppError {
    AppError::Io(error.to_string())
}

fn unopenable(name: &str, why: &str) -> AppError {
    AppError::Invalid(format!("the kept outbox {name} cannot be opened: {why}"))
}

impl<'a> KeptFolder<'a> {
    pub(crate) fn new(profile_dir: &Path, secrets: &'a dyn Secrets) -> KeptFolder<'a> {
        KeptFolder {
            dir: profile_dir.join(FOLDER),
            secrets,
        }
    }

    /// The file names in the folder, sorted (oldest first within a user).
    pub(crate) fn names(&self) -> AppResult<Vec<String>> {
        let read = match std::fs::read_dir(&self.dir) {
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io(e)),
        };
        let mut names = Vec::new();
        for entry in read {
            let name = entry
                .map_err(io)?
                .file_name()
                .to_string_lossy()
                .into_owned();
            if name.ends_with(SUFFIX) {
                names.push(name);
            }
        }
        names.sort();
        Ok(names)
    }

    /// The files kept for `user`'s next sign-in.
    pub(crate) fn names_for(&self, user: Uuid) -> AppResult<Vec<String>> {
        let prefix = format!("user-{user}-");
        Ok(self
            .names()?
            .into_iter()
            .filter(|n| n.starts_with(&prefix))
            .collect())
    }

    /// Seals `contents` into a new file: for its user's next sign-in, or for
    /// an administrator. The key is in the credential store before the file
    /// exists, and the file is whole or absent.
    pub(crate) fn seal(
        &self,
        contents: &Contents,
        for_admin: bool,
        now_ms: i64,
    ) -> AppResult<Kept> {
        let mut tag = [0u8; 4];
        rand::rngs::OsRng.fill_bytes(&mut tag);
        let time = mz_server::clock::to_datetime(now_ms).format("%Y%m%d%H%M%S");
        let name = match (&contents.user, for_admin) {
            (Some(user), false) => format!("user-{}-{time}-{}{SUFFIX}", user.id, hex::encode(tag)),
            (None, false) => {
                return Err(AppError::Invalid(
                    "entries of an unknown user are kept for an administrator".to_owned(),
                ));
            }
            (_, true) => format!("admin-{time}-{}{SUFFIX}", hex::encode(tag)),
        };
        let plain = serde_json::to_vec(contents).map_err(AppError::Json)?;
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let mut sealed = plain;
        cipher(&key)?
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(associated(&name)),
                &mut sealed,
            )
            .map_err(|_| unopenable(&name, "encryption failed"))?;
        let mut bytes = Vec::with_capacity(MAGIC.len() + NONCE_LEN + sealed.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&sealed);
        self.secrets.set(&key_name(&name), &hex::encode(key))?;
        let path = self.dir.join(&name);
        if let Err(error) = write_whole(&path, &bytes) {
            let _ = self.secrets.delete(&key_name(&name));
            return Err(error);
        }
        Ok(Kept {
            path,
            entries: contents.entries.len(),
        })
    }

    /// Opens a kept file with its key from the credential store.
    pub(crate) fn open(&self, name: &str) -> AppResult<Contents> {
        if name.contains(['/', '\\']) || !name.ends_with(SUFFIX) {
            return Err(unopenable(name, "not a kept outbox's name"));
        }
        let key = self
            .secrets
            .get(&key_name(name))?
            .and_then(|text| hex::decode(text).ok())
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .ok_or_else(|| unopenable(name, "its key is not in the credential store"))?;
        let bytes = std::fs::read(self.dir.join(name)).map_err(io)?;
        let (magic, rest) = bytes.split_at_checked(MAGIC.len()).unwrap_or((&[], &[]));
        if magic != MAGIC.as_slice() {
            return Err(unopenable(name, "not a kept outbox"));
        }
        let (nonce, sealed) = rest
            .split_at_checked(NONCE_LEN)
            .ok_or_else(|| unopenable(name, "too short"))?;
        let nonce: [u8; NONCE_LEN] = nonce
            .try_into()
            .map_err(|_| unopenable(name, "too short"))?;
        let mut sealed = sealed.to_vec();
        let plain = cipher(&key)?
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(associated(name)),
                &mut sealed,
            )
            .map_err(|_| unopenable(name, "damaged, renamed or not sealed with its key"))?;
        serde_json::from_slice(plain).map_err(|_| unopenable(name, "its contents do not parse"))
    }

    /// Deletes a kept file and its key.
    pub(crate) fn remove(&self, name: &str) -> AppResult<()> {
        match std::fs::remove_file(self.dir.join(name)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(e)),
        }
        self.secrets.delete(&key_name(name))
    }

    /// Every kept file, opened.
    pub(crate) fn list(&self) -> AppResult<Vec<KeptFile>> {
        Ok(self
            .names()?
            .into_iter()
            .map(|name| KeptFile {
                for_admin: name.starts_with("admin-"),
                contents: self.open(&name),
                name,
            })
            .collect())
    }

    /// Seals a file anew for an administrator (a revoked device: no sign-in
    /// puts it back any more) and deletes the old one.
    pub(crate) fn hand_to_admin(&self, name: &str, now_ms: i64) -> AppResult<Kept> {
        let mut contents = self.open(name)?;
        contents.reason = KeptReason::Revoked;
        let kept = self.seal(&contents, true, now_ms)?;
        self.remove(name)?;
        Ok(kept)
    }

    /// Seals an administrator's file anew for the next sign-in of the user
    /// whose entries it holds, and deletes it.
    pub(crate) fn release(&self, name: &str, now_ms: i64) -> AppResult<Kept> {
        if !name.starts_with("admin-") {
            return Err(AppError::Invalid(format!(
                "{name} is already kept for its user's next sign-in"
            )));
        }
        let mut contents = self.open(name)?;
        if contents.user.is_none() {
            return Err(AppError::Invalid(format!(
                "{name} does not say whose entries it holds (a plain-text file of an older \
                 version): read it with `mz client show` and enter them again"
            )));
        }
        // The device it came from has been wiped; the entries are queued
        // afresh at the sign-in.
        contents.device_id = None;
        let kept = self.seal(&contents, false, now_ms)?;
        self.remove(name)?;
        Ok(kept)
    }
}

fn cipher(key: &[u8; 32]) -> AppResult<LessSafeKey> {
    UnboundKey::new(&AES_256_GCM, key)
        .map(LessSafeKey::new)
        .map_err(|_| AppError::Invalid("an AES-256-GCM key is 32 bytes".to_owned()))
}

fn associated(name: &str) -> Vec<u8> {
    let mut aad = MAGIC.to_vec();
    aad.extend_from_slice(name.as_bytes());
    aad
}

/// Writes a file readable by its owner only, whole (written beside, synced,
/// renamed), so a crash never leaves half of it.
fn write_whole(path: &Path, bytes: &[u8]) -> AppResult<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let temporary = path.with_extension("part");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&temporary).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&temporary, path).map_err(io)
}

/// The entries of a plain-text `outbox-*.jsonl` file of an older version
/// (one JSON object a line, `data` and `outcome` as JSON texts), or `None`
/// when a line does not read as one.
pub(crate) fn plain_file_entries(text: &str) -> Option<Vec<OutboxEntry>> {
    let mut entries = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut value: serde_json::Value = serde_json::from_str(line).ok()?;
        let object = value.as_object_mut()?;
        for field in ["data", "outcome"] {
            let inner = match object.get(field) {
                Some(serde_json::Value::String(text)) => serde_json::from_str(text).ok()?,
                _ => serde_json::Value::Null,
            };
            object.insert(field.to_owned(), inner);
        }
        entries.push(serde_json::from_value(value).ok()?);
    }
    Some(entries)
}
