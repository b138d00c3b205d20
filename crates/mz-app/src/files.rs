//! Files beside records (a couple's photo, a case's scans, a document's
//! attachments) on the client: kept in the encrypted cache when the clerk
//! chooses them, sent before the entries that name them, fetched after the
//! records that name them (a few per sync, or at once when a screen shows
//! one). A file of a document worked online only (classified) is sent and
//! read at once and never kept.

use mz_client::ClientError;

use crate::{AppError, AppResult, ClientApp};

/// How many files one push may name that the platform did not hold.
pub const FILES_PER_PUSH: usize = 50;
/// How many files of pulled records one sync fetches (the rest come with
/// the next syncs, or at once when a screen asks for one).
pub const FILES_PER_SYNC: usize = 16;

/// The bytes of a file the window read and sent in base64 (`what`: 文件,
/// 附件, 扫描件); data that does not decode is an issue on `field`.
pub(crate) fn chosen_bytes(data: &str, field: &str, what: &str) -> AppResult<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(data.as_bytes())
        .map_err(|_| {
            AppError::Rules(vec![mz_domain::FieldIssue::new(
                field,
                format!("{what}数据已损坏，请重新选择文件"),
            )])
        })
}

impl ClientApp {
    /// Keeps a photo the clerk chose in the cache (checked: a JPEG or PNG
    /// file within the cap), for the registration that names it by its
    /// reference; sync sends it before that registration.
    pub fn keep_photo(
        &self,
        media_type: &str,
        bytes: &[u8],
    ) -> AppResult<mz_domain::marriage::Photo> {
        let photo = mz_domain::marriage::check_photo(media_type, bytes)
            .map_err(|issue| AppError::Rules(vec![issue]))?;
        self.store()?.put_blob(&photo, bytes, false)?;
        Ok(photo)
    }

    /// Keeps the scan of a paper (JPEG, PNG or PDF, checked by its bytes,
    /// at most [`mz_api::funeral::MAX_SCAN_BYTES`]) in the local cache, to
    /// be sent before the record that names it.
    pub fn keep_scan(&self, media_type: &str, bytes: &[u8]) -> AppResult<mz_domain::blob::BlobRef> {
        let field = "scan";
        if bytes.len() > mz_api::funeral::MAX_SCAN_BYTES {
            return Err(AppError::Rules(vec![mz_domain::FieldIssue::new(
                field,
                "扫描件超过 2 MB，请降低分辨率后再上传",
            )]));
        }
        let scan = mz_domain::blob::BlobRef::checked(
            field,
            media_type,
            bytes,
            mz_api::funeral::MAX_SCAN_BYTES,
            mz_api::funeral::SCAN_TYPES,
        )
        .map_err(|issue| AppError::Rules(vec![issue]))?;
        self.store()?.put_blob(&scan, bytes, false)?;
        Ok(scan)
    }

    /// Checks a file chosen to be attached to a document: PDF, OFD, Word,
    /// Excel or a picture by its content, at most
    /// [`mz_api::office::MAX_ATTACHMENT_BYTES`]; the issue names `file`.
    pub fn checked_attachment(
        &self,
        media_type: &str,
        bytes: &[u8],
    ) -> AppResult<mz_domain::blob::BlobRef> {
        mz_domain::blob::BlobRef::checked(
            "file",
            media_type,
            bytes,
            mz_api::office::MAX_ATTACHMENT_BYTES,
            mz_api::office::ATTACHMENT_TYPES,
        )
        .map_err(|issue| AppError::Rules(vec![issue]))
    }

    /// A file a record names: from the cache, or (online) from the platform,
    /// then kept in the cache when a record of the cache names it — a file
    /// of a document worked online only (classified) is never kept.
    pub async fn blob(&self, blob: &mz_domain::blob::BlobRef) -> AppResult<Vec<u8>> {
        if let Some(bytes) = self.store()?.blob(&blob.sha256)? {
            return Ok(bytes);
        }
        let bytes = self.fetch_file(blob).await?;
        self.store()?.keep_fetched_blob(blob, &bytes)?;
        Ok(bytes)
    }

    /// Whether this desk keeps a file's bytes (so that it is read offline).
    pub fn file_kept(&self, blob: &mz_domain::blob::BlobRef) -> AppResult<bool> {
        Ok(self.store()?.blob(&blob.sha256)?.is_some())
    }

    /// A file read from the platform (checked against its reference), kept
    /// nowhere on this desk.
    pub(crate) async fn fetch_file(&self, blob: &mz_domain::blob::BlobRef) -> AppResult<Vec<u8>> {
        self.authorized(|token| {
            let client = self.client.clone();
            let blob = blob.clone();
            async move { client.get_blob(&token, &blob).await }
        })
        .await
    }

    /// Sends a file to the platform at once, keeping nothing of it on this
    /// desk: for a document worked online only (classified).
    pub(crate) async fn send_file(
        &self,
        blob: &mz_domain::blob::BlobRef,
        bytes: &[u8],
    ) -> AppResult<()> {
        self.authorized(|token| {
            let client = self.client.clone();
            let (blob, bytes) = (blob.clone(), bytes.to_vec());
            async move { client.put_blob(&token, &blob, &bytes).await }
        })
        .await
    }

    /// Sends the files the entries name that the platform lacks. A file the
    /// platform refuses does not hold the queue up: the entry that names it
    /// is then refused at push, naming its field, for the clerk to see.
    ///
    /// The platform keeps at most [`mz_server::blobs::MAX_UNNAMED_PER_USER`]
    /// files no record names yet, so a batch whose entries name more than
    /// [`FILES_PER_PUSH`] unsent files is cut before the entry that passes
    /// it (the rest go in the next batch).
    pub(crate) async fn send_files(
        &self,
        entries: &mut Vec<mz_api::sync::PushEntry>,
    ) -> AppResult<()> {
        let mut files: Vec<(mz_domain::blob::BlobRef, Vec<u8>)> = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let named = self.store()?.unsent_blobs(std::slice::from_ref(entry))?;
            let new: Vec<_> = named
                .into_iter()
                .filter(|(blob, _)| !files.iter().any(|(f, _)| f.sha256 == blob.sha256))
                .collect();
            if index > 0 && files.len() + new.len() > FILES_PER_PUSH {
                entries.truncate(index);
                break;
            }
            files.extend(new);
        }
        for (blob, bytes) in files {
            let sent = self
                .authorized(|token| {
                    let client = self.client.clone();
                    let (blob, bytes) = (blob.clone(), bytes.clone());
                    async move { client.put_blob(&token, &blob, &bytes).await }
                })
                .await;
            match sent {
                Ok(()) => self.store()?.mark_blob_sent(&blob.sha256)?,
                Err(AppError::Platform(ClientError::Api { status, body }))
                    if (400..500).contains(&status) =>
                {
                    tracing::warn!(sha256 = %blob.sha256, status, code = ?body.code, "the platform refused a file");
                }
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }

    /// Fetches files that pulled records name, a few per sync, so that the
    /// counter has them offline too. A file the platform no longer gives
    /// this user is forgotten (the record shows it as missing).
    pub(crate) async fn fetch_wanted_files(&self) -> AppResult<usize> {
        let wanted = self.store()?.wanted_blobs(FILES_PER_SYNC)?;
        let mut fetched = 0;
        for blob in wanted {
            match self.blob(&blob).await {
                Ok(_) => fetched += 1,
                Err(AppError::Platform(ClientError::Api { status: 404, .. })) => {
                    tracing::warn!(sha256 = %blob.sha256, "a file a record names is not given by the platform");
                    self.store()?.forget_wanted_blob(&blob.sha256)?;
                }
                Err(error) => return Err(error),
            }
        }
        Ok(fetched)
    }
}
