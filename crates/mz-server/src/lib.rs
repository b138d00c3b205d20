//! The civil-affairs platform that Minzheng Desk clients talk to.
//!
//! [`app`] builds the axum router of `/api/v1` over an [`AppState`]; tests
//! drive it without a socket, and [`serve`] runs it on a listener with TLS,
//! limits and graceful shutdown. Storage is one SQL schema on SQLite (the
//! embedded default) or PostgreSQL ([`db`]). Around every change sit the
//! access rules of mz-domain, checked here on every request and for every
//! record in a pull, and the hash-chained audit log ([`audit`]).
//!
//! Handlers are thin: they take the request, call the module's function and
//! answer its result. Personal data never goes to the log.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod blobs;
pub mod clock;
pub mod db;
pub mod demo;
pub mod error;
pub mod extract;
pub mod feed;
pub mod history;
pub mod modules;
pub mod numbers;
pub mod openapi;
pub mod org;
pub mod sync;
pub mod throttle;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use mz_api::{ErrorCode, Health};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

pub use clock::Clock;
pub use db::{Backend, Db, DbUrl};
pub use error::{ApiError, ApiResult};

/// Limits that protect the server from oversized or slow requests.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The largest request body but a file's, whose limit is the largest
    /// file kept ([`mz_domain::blob::MAX_BLOB_BYTES`]).
    pub body_bytes: usize,
    pub request_timeout: Duration,
    /// How long sending or fetching one file may take: a 10 MB attachment
    /// over a slow extranet link takes minutes, not seconds.
    pub file_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 8 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            file_timeout: Duration::from_secs(300),
        }
    }
}

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Clock,
    pub limits: Limits,
    /// Password checks running at once: Argon2 takes tens of milliseconds
    /// and 19 MiB each, so a burst of sign-ins waits here instead of
    /// filling the blocking threads (and the memory) of the process.
    pub password_checks: std::sync::Arc<tokio::sync::Semaphore>,
}

/// The SHA-256 of `text`, in hexadecimal: what the platform keeps of a
/// token, of a pushed entry and of the documents a status check checked.
pub(crate) fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

/// How many password checks run at once.
pub const PASSWORD_CHECKS: usize = 4;

impl AppState {
    pub fn new(db: Db) -> Self {
        AppState {
            db,
            clock: Clock::System,
            limits: Limits::default(),
            password_checks: std::sync::Arc::new(tokio::sync::Semaphore::new(PASSWORD_CHECKS)),
        }
    }
}

/// The router of the whole API.
pub fn app(state: AppState) -> Router {
    let limits = state.limits.clone();
    let api = Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi::serve_document))
        .route("/auth/login", post(auth::login))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/org-units", get(org::list_units))
        .route("/sync/push", post(sync::push))
        .route("/sync/pull", get(feed::pull))
        .route(
            "/numbers/blocks",
            post(numbers::allocate).get(numbers::list),
        )
        .route("/numbers/void", post(numbers::void))
        .route("/records/{kind}/{id}/history", get(history::history));
    // Each module's own routes.
    let api = modules::MODULES
        .iter()
        .fold(api, |api, module| api.merge(module.routes()))
        .layer(middleware::from_fn_with_state(
            limits.request_timeout,
            timeout,
        ));
    // Files, with their own limits: a body as large as the largest file
    // (JSON bodies keep theirs), and the time a large one takes.
    let files = Router::new()
        .route("/blobs/{sha256}", get(blobs::get_blob).put(blobs::put_blob))
        .layer(DefaultBodyLimit::max(mz_domain::blob::MAX_BLOB_BYTES))
        .layer(middleware::from_fn_with_state(limits.file_timeout, timeout));
    Router::new()
        .nest(mz_api::BASE_PATH, api.merge(files))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limits.body_bytes))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::new(
                ErrorCode::Internal,
                "the server failed to handle the request",
            )
            .into_response()
        }))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            // The matched route, never the raw URI: query strings may carry data.
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| "unmatched".to_owned());
            tracing::info_span!("request", method = %req.method(), route)
        }))
        .with_state(state)
}

#[utoipa::path(get, path = "/api/v1/health", tag = "platform",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
async fn health(State(state): State<AppState>) -> Response {
    let storage = state.db.backend.as_str().to_owned();
    let version = env!("CARGO_PKG_VERSION").to_owned();
    let up = sqlx::query("SELECT 1")
        .execute(&state.db.pool)
        .await
        .is_ok();
    let status = if up { "ok" } else { "unavailable" }.to_owned();
    let code = if up {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::SERVICE_UNAVAILABLE
    };
    (
        code,
        axum::Json(Health {
            status,
            version,
            storage,
        }),
    )
        .into_response()
}

async fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such endpoint")
}

async fn method_not_allowed() -> Response {
    let mut response = ApiError::new(
        ErrorCode::InvalidInput,
        "this endpoint does not take that method",
    )
    .into_response();
    *response.status_mut() = axum::http::StatusCode::METHOD_NOT_ALLOWED;
    response
}

async fn timeout(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => ApiError::unavailable("the request took too long; try again").into_response(),
    }
}

/// TLS files for HTTPS.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot read the TLS certificate or key")]
    Tls(#[source] std::io::Error),
    #[error("the server stopped with an I/O error")]
    Io(#[source] std::io::Error),
}

/// Serves the API on `listener` until `shutdown` resolves, then stops taking
/// connections and lets requests in flight finish (up to 30 s).
pub async fn serve(
    listener: std::net::TcpListener,
    state: AppState,
    tls: Option<TlsFiles>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let router = app(state);
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    match tls {
        None => {
            listener.set_nonblocking(true).map_err(ServeError::Io)?;
            let listener = tokio::net::TcpListener::from_std(listener).map_err(ServeError::Io)?;
            axum::serve(listener, service)
                .with_graceful_shutdown(shutdown)
                .await
                .map_err(ServeError::Io)
        }
        Some(files) => {
            let config =
                axum_server::tls_rustls::RustlsConfig::from_pem_file(&files.cert, &files.key)
                    .await
                    .map_err(ServeError::Tls)?;
            let handle = axum_server::Handle::new();
            let stopper = handle.clone();
            tokio::spawn(async move {
                shutdown.await;
                stopper.graceful_shutdown(Some(Duration::from_secs(30)));
            });
            axum_server::from_tcp_rustls(listener, config)
                .map_err(ServeError::Io)?
                .handle(handle)
                .serve(service)
                .await
                .map_err(ServeError::Io)
        }
    }
}
