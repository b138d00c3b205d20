//! The platform's HTTP API as typed calls, for the desktop app and the CLI.
//!
//! [`PlatformClient`] speaks the contract of mz-api over reqwest with rustls:
//! TLS verification is always on, and a private CA for the extranet can be
//! added, never verification switched off. Every failure is a
//! [`ClientError`] that tells a network problem (worth retrying later) from an
//! answer of the server (with its error code). [`Backoff`] spaces retries.
//!
//! This crate keeps no state beyond the connection pool: tokens are passed
//! in, and the local cache is mz-store's.

use std::time::Duration;

use mz_api::auth::{LoginRequest, LogoutRequest, RefreshRequest, TokenResponse, UserInfo};
use mz_api::marriage::{StatusCheckRequest, StatusCheckResponse};
use mz_api::numbers::{BlockRequest, NumberBlock, VoidRequest, VoidedNumber};
use mz_api::sync::{PullResponse, PushRequest, PushResponse};
use mz_api::{ErrorBody, ErrorCode, Health};
use rand::Rng;
use serde::de::DeserializeOwned;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("the platform address is not a valid http(s) URL: {0}")]
    BadUrl(String),
    #[error("the platform is reached over HTTPS only (plain http only on this machine): {0}")]
    NotHttps(String),
    #[error("the CA certificate file is not a PEM certificate")]
    BadCertificate(#[source] reqwest::Error),
    #[error("the CA certificate file holds no PEM certificate")]
    NoCertificate,
    #[error("the HTTP client cannot be built")]
    Setup(#[source] reqwest::Error),
    #[error("the platform cannot be reached")]
    Unreachable(#[source] reqwest::Error),
    #[error("the platform's TLS certificate cannot be verified")]
    Tls(#[source] reqwest::Error),
    #[error("the platform did not answer in time")]
    Timeout(#[source] reqwest::Error),
    #[error("{}", .body.message)]
    Api { status: u16, body: ErrorBody },
    #[error("the platform's answer cannot be read")]
    Decode(#[source] reqwest::Error),
    #[error("the file the platform sent is not the one the record names: {0}")]
    BadBlob(String),
}

impl ClientError {
    /// The server's error code, when it answered.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Api { body, .. } => Some(body.code),
            _ => None,
        }
    }

    /// Whether the request went out on a pooled connection that the server
    /// had closed (it restarted): nothing reached it, and sending again on a
    /// fresh connection is the cure.
    pub fn is_stale_connection(&self) -> bool {
        let ClientError::Unreachable(error) = self else {
            return false;
        };
        let mut source: Option<&dyn std::error::Error> = Some(error);
        while let Some(e) = source {
            let text = e.to_string();
            if text.contains("connection closed before message completed")
                || text.contains("IncompleteMessage")
            {
                return true;
            }
            source = e.source();
        }
        false
    }

    /// Whether trying again later may succeed: the network, or the server's
    /// database, was away.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Unreachable(_) | ClientError::Timeout(_) => true,
            ClientError::Api { body, .. } => body.code == ErrorCode::Unavailable,
            _ => false,
        }
    }
}

fn classify(error: reqwest::Error) -> ClientError {
    if error.is_timeout() {
        return ClientError::Timeout(error);
    }
    // rustls reports a failed verification inside the connect error chain.
    let mut source: Option<&dyn std::error::Error> = Some(&error);
    while let Some(e) = source {
        let text = e.to_string();
        if text.contains("certificate") || text.contains("UnknownIssuer") {
            return ClientError::Tls(error);
        }
        source = e.source();
    }
    if error.is_decode() {
        ClientError::Decode(error)
    } else {
        ClientError::Unreachable(error)
    }
}

/// Runs `call`, and once more at once when it went out on a connection the
/// platform had closed; for calls that may be repeated (reads, pushes).
async fn once_more_if_stale<T, F, Fut>(call: F) -> Result<T, ClientError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<T, ClientError>>,
{
    match call().await {
        Err(error) if error.is_stale_connection() => call().await,
        other => other,
    }
}

/// Whether the URL names this machine (127.0.0.0/8, ::1 or localhost).
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// How long sending or fetching one file may take: the platform gives a
/// file five minutes too (`mz_server::Limits::file_timeout`), as a 10 MB
/// attachment over a slow extranet link takes minutes.
pub const FILE_TIMEOUT: Duration = Duration::from_secs(300);

/// A connection to one platform.
#[derive(Debug, Clone)]
pub struct PlatformClient {
    http: reqwest::Client,
    base: url::Url,
}

impl PlatformClient {
    /// `base_url` is the platform's address, e.g. `https://mz.hn.gov:8480`;
    /// `extra_ca_pem` a private CA to trust besides the system's.
    pub fn new(base_url: &str, extra_ca_pem: Option<&[u8]>) -> Result<PlatformClient, ClientError> {
        let mut base = url::Url::parse(base_url.trim())
            .map_err(|_| ClientError::BadUrl(base_url.to_owned()))?;
        if !matches!(base.scheme(), "http" | "https") || base.host().is_none() {
            return Err(ClientError::BadUrl(base_url.to_owned()));
        }
        // Tokens, passwords and people's records cross the extranet: only
        // the in-process platform on this machine is spoken to in the clear.
        if base.scheme() == "http" && !is_loopback(&base) {
            return Err(ClientError::NotHttps(base_url.to_owned()));
        }
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        let mut builder = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(60))
            .user_agent(concat!("minzheng-desk/", env!("CARGO_PKG_VERSION")));
        if let Some(pem) = extra_ca_pem {
            let certificates =
                reqwest::Certificate::from_pem_bundle(pem).map_err(ClientError::BadCertificate)?;
            if certificates.is_empty() {
                return Err(ClientError::NoCertificate);
            }
            for ca in certificates {
                builder = builder.add_root_certificate(ca);
            }
        }
        let http = builder.build().map_err(ClientError::Setup)?;
        Ok(PlatformClient { http, base })
    }

    fn url(&self, path: &str) -> Result<url::Url, ClientError> {
        self.base
            .join(&format!("api/v1/{path}"))
            .map_err(|_| ClientError::BadUrl(path.to_owned()))
    }

    async fn answer<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, ClientError> {
        if response.status().is_success() {
            return response.json().await.map_err(classify);
        }
        Err(Self::refusal(response).await)
    }

    /// The platform's answer of an error status, as an error.
    async fn refusal(response: reqwest::Response) -> ClientError {
        let status = response.status();
        let body = response
            .json::<ErrorBody>()
            .await
            .unwrap_or_else(|_| ErrorBody {
                code: if status.is_server_error() {
                    ErrorCode::Unavailable
                } else {
                    ErrorCode::Internal
                },
                message: format!("the platform answered HTTP {}", status.as_u16()),
                details: serde_json::json!({}),
            });
        ClientError::Api {
            status: status.as_u16(),
            body,
        }
    }

    pub async fn health(&self) -> Result<Health, ClientError> {
        let response = self
            .http
            .get(self.url("health")?)
            .send()
            .await
            .map_err(classify)?;
        Self::answer(response).await
    }

    pub async fn login(&self, request: &LoginRequest) -> Result<TokenResponse, ClientError> {
        let response = self
            .http
            .post(self.url("auth/login")?)
            .json(request)
            .send()
            .await
            .map_err(classify)?;
        Self::answer(response).await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenResponse, ClientError> {
        let request = RefreshRequest {
            refresh_token: refresh_token.to_owned(),
        };
        let response = self
            .http
            .post(self.url("auth/refresh")?)
            .json(&request)
            .send()
            .await
            .map_err(classify)?;
        Self::answer(response).await
    }

    /// Ends the session named by the access token (expired or not) or,
    /// when that is unknown, by the refresh token.
    pub async fn logout(&self, access_token: &str, refresh_token: &str) -> Result<(), ClientError> {
        let request = LogoutRequest {
            refresh_token: Some(refresh_token.to_owned()).filter(|t| !t.is_empty()),
        };
        let response = self
            .http
            .post(self.url("auth/logout")?)
            .bearer_auth(access_token)
            .json(&request)
            .send()
            .await
            .map_err(classify)?;
        if response.status().is_success() {
            return Ok(());
        }
        Self::answer::<serde_json::Value>(response)
            .await
            .map(|_| ())
    }

    pub async fn me(&self, access_token: &str) -> Result<UserInfo, ClientError> {
        let response = self
            .http
            .get(self.url("me")?)
            .bearer_auth(access_token)
            .send()
            .await
            .map_err(classify)?;
        Self::answer(response).await
    }

    /// POSTs `body` as JSON to `path` with the access token.
    async fn post_json<B: serde::Serialize + ?Sized, R: DeserializeOwned>(
        &self,
        path: &str,
        access_token: &str,
        body: &B,
    ) -> Result<R, ClientError> {
        let response = self
            .http
            .post(self.url(path)?)
            .bearer_auth(access_token)
            .json(body)
            .send()
            .await
            .map_err(classify)?;
        Self::answer(response).await
    }

    /// Sends the outbox entries. A push is idempotent by (device,
    /// sequence), so it is sent once more at once when a kept-alive
    /// connection turns out closed (the platform restarted meanwhile).
    pub async fn push(
        &self,
        access_token: &str,
        request: &PushRequest,
    ) -> Result<PushResponse, ClientError> {
        once_more_if_stale(|| self.post_json("sync/push", access_token, request)).await
    }

    /// The marital-status check of the parties of a marriage (online only).
    pub async fn status_check(
        &self,
        access_token: &str,
        request: &StatusCheckRequest,
    ) -> Result<StatusCheckResponse, ClientError> {
        self.post_json("marriage/status-check", access_token, request)
            .await
    }

    /// A new block of certificate numbers for this device.
    pub async fn allocate_block(
        &self,
        access_token: &str,
        request: &BlockRequest,
    ) -> Result<NumberBlock, ClientError> {
        self.post_json("numbers/blocks", access_token, request)
            .await
    }

    /// Voids a number of this device's blocks (a spoiled print).
    pub async fn void_number(
        &self,
        access_token: &str,
        request: &VoidRequest,
    ) -> Result<VoidedNumber, ClientError> {
        self.post_json("numbers/void", access_token, request).await
    }

    /// Each office's counts in a range, within the caller's reach (online only).
    pub async fn marriage_figures(
        &self,
        access_token: &str,
        range: &mz_api::marriage::FiguresQuery,
    ) -> Result<Vec<mz_api::marriage::OfficeFigures>, ClientError> {
        let mut url = self.url("marriage/figures")?;
        url.query_pairs_mut()
            .append_pair("from", &range.from.to_string())
            .append_pair("to", &range.to.to_string());
        self.get_json(url, access_token).await
    }

    /// Each funeral home's counts within the caller's reach, per month.
    pub async fn funeral_figures(
        &self,
        access_token: &str,
        months: &mz_api::funeral::FuneralFiguresQuery,
    ) -> Result<Vec<mz_api::funeral::HomeFigures>, ClientError> {
        let mut url = self.url("funeral/figures")?;
        url.query_pairs_mut()
            .append_pair("from", &months.from)
            .append_pair("to", &months.to);
        self.get_json(url, access_token).await
    }

    /// `GET /office/figures`: what waits on each section within reach and
    /// each month's flow of documents and 督办 matters.
    pub async fn office_figures(
        &self,
        access_token: &str,
        months: &mz_api::office::figures::DocumentFiguresQuery,
    ) -> Result<mz_api::office::figures::DocumentFigures, ClientError> {
        let mut url = self.url("office/figures")?;
        url.query_pairs_mut()
            .append_pair("from", &months.from)
            .append_pair("to", &months.to);
        self.get_json(url, access_token).await
    }

    /// A GET, tried once more at once when a kept-alive connection turns
    /// out closed: reading twice changes nothing.
    async fn get_json<R: DeserializeOwned>(
        &self,
        url: reqwest::Url,
        access_token: &str,
    ) -> Result<R, ClientError> {
        once_more_if_stale(|| async {
            let response = self
                .http
                .get(url.clone())
                .bearer_auth(access_token)
                .send()
                .await
                .map_err(classify)?;
            Self::answer(response).await
        })
        .await
    }

    /// The office's marital-status checks of `day`, for its head (online only).
    pub async fn status_checks(
        &self,
        access_token: &str,
        query: &mz_api::marriage::StatusChecksQuery,
    ) -> Result<Vec<mz_api::marriage::StatusCheckEntry>, ClientError> {
        let mut url = self.url("marriage/status-checks")?;
        url.query_pairs_mut()
            .append_pair("day", &query.day.to_string());
        self.get_json(url, access_token).await
    }

    /// The phone feeds of the leaders the caller manages (online only).
    pub async fn schedule_feeds(
        &self,
        access_token: &str,
    ) -> Result<Vec<mz_api::schedule::Feed>, ClientError> {
        let url = self.url("schedule/feeds")?;
        self.get_json(url, access_token).await
    }

    /// Makes a leader's phone feed: its address, with the token, this once.
    pub async fn create_schedule_feed(
        &self,
        access_token: &str,
        request: &mz_api::schedule::FeedRequest,
    ) -> Result<mz_api::schedule::NewFeed, ClientError> {
        self.post_json("schedule/feeds", access_token, request)
            .await
    }

    /// Revokes a phone feed: its address answers 404 from then on.
    pub async fn revoke_schedule_feed(
        &self,
        access_token: &str,
        id: impl std::fmt::Display,
    ) -> Result<mz_api::schedule::Feed, ClientError> {
        let response = self
            .http
            .delete(self.url(&format!("schedule/feeds/{id}"))?)
            .bearer_auth(access_token)
            .send()
            .await
            .map_err(classify)?;
        Self::answer(response).await
    }

    /// Documents sent to the caller's unit and not yet received (online
    /// only).
    pub async fn office_deliveries(
        &self,
        access_token: &str,
    ) -> Result<Vec<mz_api::office::Delivery>, ClientError> {
        let url = self.url("office/deliveries")?;
        self.get_json(url, access_token).await
    }

    /// The caller's unit's people who work documents (online only).
    pub async fn office_people(
        &self,
        access_token: &str,
    ) -> Result<Vec<mz_api::office::UnitPerson>, ClientError> {
        let url = self.url("office/people")?;
        self.get_json(url, access_token).await
    }

    /// The library's items the caller may read that hold every word of
    /// `q`, best first, with their passages marked.
    pub async fn library_search(
        &self,
        access_token: &str,
        q: &str,
        kind: Option<&str>,
        category: Option<&str>,
        limit: usize,
    ) -> Result<mz_api::library::LibrarySearchAnswer, ClientError> {
        let mut url = self.url("library/search")?;
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("q", q);
            if let Some(kind) = kind {
                pairs.append_pair("kind", kind);
            }
            if let Some(category) = category {
                pairs.append_pair("category", category);
            }
            pairs.append_pair("limit", &limit.to_string());
        }
        self.get_json(url, access_token).await
    }

    /// The unit's classified documents the caller is on (online only,
    /// never cached); one of them by id.
    pub async fn office_classified(
        &self,
        access_token: &str,
        id: Option<impl std::fmt::Display>,
    ) -> Result<Vec<mz_api::office::HeldDocument>, ClientError> {
        match id {
            None => {
                self.get_json(self.url("office/classified")?, access_token)
                    .await
            }
            Some(id) => {
                let one: mz_api::office::HeldDocument = self
                    .get_json(self.url(&format!("office/classified/{id}"))?, access_token)
                    .await?;
                Ok(vec![one])
            }
        }
    }

    /// The org units on the platform (the recipients a document is sent to).
    pub async fn org_units(
        &self,
        access_token: &str,
    ) -> Result<Vec<mz_api::auth::OrgUnitInfo>, ClientError> {
        let url = self.url("org-units")?;
        self.get_json(url, access_token).await
    }

    /// The platform's address of `path` (`/api/v1/…`), as a phone would
    /// be given it.
    pub fn address_of(&self, path: &str) -> Result<String, ClientError> {
        let relative = path.strip_prefix("/api/v1/").unwrap_or(path);
        Ok(self.url(relative)?.to_string())
    }

    /// Every change of one record, oldest first (online only; audited).
    pub async fn record_history(
        &self,
        access_token: &str,
        kind: mz_api::records::RecordKind,
        id: impl std::fmt::Display,
    ) -> Result<Vec<mz_api::records::HistoryEntry>, ClientError> {
        let url = self.url(&format!("records/{kind}/{id}/history"))?;
        self.get_json(url, access_token).await
    }

    /// Sends a file kept beside a record (a photo, an attachment of up to
    /// 10 MB), before the record that names it. Sending a file the platform
    /// holds already changes nothing. A file has [`FILE_TIMEOUT`], not the
    /// minute other calls have.
    pub async fn put_blob(
        &self,
        access_token: &str,
        blob: &mz_domain::blob::BlobRef,
        bytes: &[u8],
    ) -> Result<(), ClientError> {
        let url = self.url(&format!("blobs/{}", blob.sha256))?;
        once_more_if_stale(|| async {
            let response = self
                .http
                .put(url.clone())
                .timeout(FILE_TIMEOUT)
                .bearer_auth(access_token)
                .header(reqwest::header::CONTENT_TYPE, &blob.media_type)
                .body(bytes.to_vec())
                .send()
                .await
                .map_err(classify)?;
            if !response.status().is_success() {
                return Err(Self::refusal(response).await);
            }
            Ok(())
        })
        .await
    }

    /// A file kept beside a record, by the SHA-256 of its bytes, checked
    /// against the reference that named it (audited on the platform).
    pub async fn get_blob(
        &self,
        access_token: &str,
        blob: &mz_domain::blob::BlobRef,
    ) -> Result<Vec<u8>, ClientError> {
        let url = self.url(&format!("blobs/{}", blob.sha256))?;
        let bytes = once_more_if_stale(|| async {
            let response = self
                .http
                .get(url.clone())
                .timeout(FILE_TIMEOUT)
                .bearer_auth(access_token)
                .send()
                .await
                .map_err(classify)?;
            if !response.status().is_success() {
                return Err(Self::refusal(response).await);
            }
            Ok(response.bytes().await.map_err(classify)?.to_vec())
        })
        .await?;
        blob.check_bytes("blob", &bytes)
            .map_err(|issue| ClientError::BadBlob(issue.message))?;
        Ok(bytes)
    }

    pub async fn pull(
        &self,
        access_token: &str,
        after: i64,
        limit: i64,
    ) -> Result<PullResponse, ClientError> {
        let mut url = self.url("sync/pull")?;
        url.query_pairs_mut()
            .append_pair("after", &after.to_string())
            .append_pair("limit", &limit.to_string());
        self.get_json(url, access_token).await
    }
}

/// Exponential backoff with full jitter: 1 s, 2 s, 4 s … up to a ceiling,
/// each wait drawn at random below its step so that clients coming back
/// after an outage do not all knock at once.
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    ceiling: Duration,
    failures: u32,
}

impl Backoff {
    pub fn new(base: Duration, ceiling: Duration) -> Backoff {
        Backoff {
            base,
            ceiling,
            failures: 0,
        }
    }

    /// The wait before the next try, after one more failure.
    pub fn next_wait(&mut self) -> Duration {
        let step = self
            .base
            .saturating_mul(1_u32 << self.failures.min(16))
            .min(self.ceiling);
        self.failures = self.failures.saturating_add(1);
        let millis = step.as_millis().max(1) as u64;
        Duration::from_millis(rand::thread_rng().gen_range(millis / 2..=millis))
    }

    /// After a success the next failure starts from the bottom again.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_its_ceiling_and_resets() {
        let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(30));
        let waits: Vec<Duration> = (0..8).map(|_| backoff.next_wait()).collect();
        assert!(waits[0] <= Duration::from_secs(1) && waits[0] >= Duration::from_millis(500));
        assert!(waits[3] <= Duration::from_secs(8) && waits[3] >= Duration::from_secs(4));
        assert!(waits[7] <= Duration::from_secs(30) && waits[7] >= Duration::from_secs(15));
        backoff.reset();
        assert!(backoff.next_wait() <= Duration::from_secs(1));
    }

    #[test]
    fn only_http_urls_with_a_host_are_accepted() {
        for bad in [
            "",
            "mz.hn.gov",
            "ftp://mz.hn.gov",
            "http://",
            "file:///etc/passwd",
        ] {
            assert!(
                matches!(PlatformClient::new(bad, None), Err(ClientError::BadUrl(_))),
                "{bad:?}"
            );
        }
        assert!(PlatformClient::new("https://mz.hn.gov:8480/base", None).is_ok());
        // Plain http only to this machine.
        for insecure in [
            "http://mz.hn.gov:8480",
            "http://10.1.2.3",
            "http://[fe80::1]",
        ] {
            assert!(
                matches!(
                    PlatformClient::new(insecure, None),
                    Err(ClientError::NotHttps(_))
                ),
                "{insecure:?}"
            );
        }
        for local in [
            "http://127.0.0.1:8480",
            "http://localhost:1",
            "http://[::1]:2",
        ] {
            assert!(PlatformClient::new(local, None).is_ok(), "{local:?}");
        }
        assert!(matches!(
            PlatformClient::new("https://mz.hn.gov", Some(b"not a pem")),
            Err(ClientError::NoCertificate)
        ));
    }
}
