//! The OpenAPI 3 document, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Minzheng Desk platform API",
        description = "The civil-affairs platform that Minzheng Desk clients talk to: auth, sync, number blocks. \
            Every error answers {code, message, details} with a code from ErrorCode."
    ),
    paths(
        crate::health,
        crate::auth::login,
        crate::auth::refresh,
        crate::auth::logout,
        crate::auth::me,
        crate::org::list_units,
        crate::sync::push,
        crate::feed::pull,
        crate::blobs::put_blob,
        crate::blobs::get_blob,
        crate::numbers::allocate,
        crate::numbers::list,
        crate::numbers::void,
        crate::history::history,
    ),
    components(schemas(
        mz_api::ErrorBody,
        mz_api::ErrorCode,
        mz_api::Health,
        mz_api::records::RecordKind,
        mz_api::records::HistoryEntry,
        mz_api::sync::PushEntry,
        mz_api::sync::Op,
        mz_api::sync::Outcome,
        mz_api::sync::Change,
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "platform", description = "health and the directory"),
        (name = "auth", description = "sign in, refresh, sign out"),
        (name = "sync", description = "outbox push and change-feed pull"),
        (name = "numbers", description = "certificate-number blocks"),
    )
)]
#[derive(Debug)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The document as served and as committed in `docs/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    // Each module's routes and bodies.
    for module in crate::modules::MODULES {
        doc.merge(module.openapi());
    }
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}

pub async fn serve_document() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}
