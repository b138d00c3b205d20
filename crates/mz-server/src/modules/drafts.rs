//! Official documents being composed in 打印中心 (公文草稿): shared by
//! the org unit that wrote them, within the draft's size, never final (the
//! document workflow of the OA module takes a draft further).

use futures_util::future::BoxFuture;
use mz_api::records::{DocumentDraftData, RecordKind};
use mz_api::sync::PushEntry;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::ApiResult;
use crate::modules::{
    CheckContext, Checked, Module, Owner, PushRules, Rejection, kind_rules, parse_body, ready,
    to_stored,
};

#[derive(Debug, Clone, Copy)]
pub struct Drafts;

impl Module for Drafts {
    fn name(&self) -> &'static str {
        "drafts"
    }

    fn kinds(&self) -> &'static [RecordKind] {
        &[RecordKind::DocumentDraft]
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        <DraftsApi as utoipa::OpenApi>::openapi()
    }

    fn prepare<'a>(
        &'a self,
        _conn: &'a mut AnyConnection,
        _caller: &'a crate::auth::Caller,
        _entries: &'a [&'a PushEntry],
    ) -> BoxFuture<'a, ApiResult<Box<dyn PushRules>>> {
        ready(self)
    }
}

#[derive(utoipa::OpenApi)]
#[openapi(components(schemas(DocumentDraftData)))]
struct DraftsApi;

impl PushRules for Drafts {
    fn check(
        &self,
        _kind: RecordKind,
        _id: Uuid,
        data: serde_json::Value,
        _ctx: &CheckContext<'_>,
    ) -> Result<Checked, Rejection> {
        parse_body::<DocumentDraftData>(data.clone())?;
        // The rules (its size) are the kind's, as the client applied them.
        let draft: DocumentDraftData = parse_body(kind_rules(RecordKind::DocumentDraft, data)?)?;
        Ok(Checked {
            data: to_stored(&draft)?,
            natural_key: None,
            owner: Owner::Maker,
            audience: None,
        })
    }

    fn is_final(&self, _kind: RecordKind, _data: &str) -> Result<bool, Rejection> {
        Ok(false)
    }
}
