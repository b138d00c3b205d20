//! The document library (在线资料库): one `library_item` record per policy,
//! regulation, template or department document, with every version of its
//! file, readable by everyone and kept by each unit's office.
//!
//! At push the module takes the text out of the current file itself
//! (`mz_text`, from the blob the desk uploaded first) and refuses an item
//! whose `text` is not that file's: what the desks search offline is what
//! the file says. A new version is the caller's own, dated by now.
//!
//! Its search index is kept in step in the push's transaction
//! (`library_search`, migration `0014_library.sql`): the terms of
//! `mz_domain::fulltext` in SQLite's FTS5 (ranked by bm25, the title ten
//! times the body) or in a PostgreSQL `tsvector` with a GIN index, whose
//! candidates are confirmed in the folded text. `GET /library/search`
//! answers with the hits ranked and a passage of each with what was found
//! marked.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use mz_api::ErrorCode;
use mz_api::library::{LibraryHit, LibraryItemData, LibraryKind, LibrarySearchAnswer};
use mz_api::records::RecordKind;
use mz_api::sync::PushEntry;
use mz_domain::access::{Action, Resource, Scope, widest_scope};
use mz_domain::blob::MediaType;
use mz_domain::fulltext;
use serde::Deserialize;
use sqlx::{AnyConnection, Row};
use utoipa::IntoParams;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::modules::{
    CheckContext, Checked, Module, Owner, PushRules, Rejection, Written, kind_change, kind_rules,
    parse_body, stored_body, to_stored,
};

/// The most hits one search answers with.
pub const MAX_HITS: usize = 100;
/// How far a version's time may run ahead of the platform's clock.
const CLOCK_SLACK_MS: i64 = 10 * 60 * 1000;

#[derive(Debug, Clone, Copy)]
pub struct Library;

impl Module for Library {
    fn name(&self) -> &'static str {
        "library"
    }

    fn kinds(&self) -> &'static [RecordKind] {
        &[RecordKind::LibraryItem]
    }

    fn routes(&self) -> axum::Router<AppState> {
        axum::Router::new().route("/library/search", axum::routing::get(search))
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        <LibraryApi as utoipa::OpenApi>::openapi()
    }

    fn start<'a>(&'a self, db: &'a crate::Db) -> BoxFuture<'a, ApiResult<()>> {
        async move { reindex_missing(db).await }.boxed()
    }

    fn prepare<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        _caller: &'a Caller,
        entries: &'a [&'a PushEntry],
    ) -> BoxFuture<'a, ApiResult<Box<dyn PushRules>>> {
        async move {
            // The current file of every item pushed, read once: its text is
            // taken out here, outside the checks.
            let mut texts = HashMap::new();
            for entry in entries {
                let Some(data) = &entry.data else { continue };
                let Ok(item) = serde_json::from_value::<LibraryItemData>(data.clone()) else {
                    continue; // refused with its field by `check`
                };
                let Some(current) = item.current() else {
                    continue;
                };
                let hash = current.file.sha256.clone();
                if texts.contains_key(&hash) {
                    continue;
                }
                let row = sqlx::query("SELECT media_type, data FROM blobs WHERE sha256 = $1")
                    .bind(&hash)
                    .fetch_optional(&mut *conn)
                    .await?;
                let Some(row) = row else { continue }; // the engine refuses a missing file
                let media_type: String = row.try_get("media_type")?;
                let bytes: Vec<u8> = row.try_get("data")?;
                let text = MediaType::parse(&media_type)
                    .ok_or_else(|| format!("不是资料库保存的文件格式：{media_type}"))
                    .and_then(|kind| mz_text::extract(kind, &bytes).map_err(|e| e.to_string()));
                texts.insert(hash, text);
            }
            let rules: Box<dyn PushRules> = Box::new(LibraryRules { texts });
            Ok(rules)
        }
        .boxed()
    }
}

/// The rules of one push: the text of each current file, as taken out.
struct LibraryRules {
    texts: HashMap<String, Result<String, String>>,
}

impl PushRules for LibraryRules {
    fn check(
        &self,
        kind: RecordKind,
        _id: Uuid,
        data: serde_json::Value,
        ctx: &CheckContext<'_>,
    ) -> Result<Checked, Rejection> {
        parse_body::<LibraryItemData>(data.clone())?;
        let normal = kind_rules(kind, data)?;
        kind_change(kind, ctx.current, &normal, ctx.now)?;
        let item: LibraryItemData = parse_body(normal)?;
        let previous = ctx
            .current
            .map(stored_body::<LibraryItemData>)
            .transpose()?;
        let kept = previous.as_ref().map_or(0, |p| p.versions.len());
        // Never ahead of the platform (ten minutes of clock drift allowed).
        let latest =
            mz_domain::holiday::china_time(crate::clock::to_datetime(ctx.now + CLOCK_SLACK_MS));
        for (i, version) in item.versions.iter().enumerate().skip(kept) {
            let field = format!("data.versions[{i}]");
            if version.by.user_id != ctx.caller.user_id
                || version.by.name != ctx.caller.display_name
            {
                return Err(Rejection::rule(
                    &format!("{field}.by"),
                    "新版本只能以上传人本人的名义添加",
                ));
            }
            if version.at > latest {
                return Err(Rejection::rule(
                    &format!("{field}.at"),
                    "版本的时间晚于平台的时钟",
                ));
            }
        }
        let current = item
            .current()
            .ok_or_else(|| Rejection::rule("data.versions", "请上传文件"))?;
        match self.texts.get(&current.file.sha256) {
            Some(Ok(text)) if *text == item.text => {}
            Some(Ok(_)) => {
                return Err(Rejection::rule(
                    "data.text",
                    "正文文字与文件内容不符：请重新上传文件",
                ));
            }
            Some(Err(reason)) => {
                let last = item.versions.len() - 1;
                return Err(Rejection::rule(
                    &format!("data.versions[{last}].file"),
                    reason,
                ));
            }
            None => {
                return Err(Rejection::new(
                    ErrorCode::InvalidInput,
                    "the current version's file has not been uploaded",
                    Some("data.versions"),
                ));
            }
        }
        Ok(Checked {
            data: to_stored(&item)?,
            natural_key: None,
            owner: Owner::Maker,
            audience: None,
        })
    }

    fn is_final(&self, _kind: RecordKind, _data: &str) -> Result<bool, Rejection> {
        Ok(false)
    }

    fn finish<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        written: &'a [Written<'a>],
    ) -> BoxFuture<'a, ApiResult<()>> {
        async move {
            for record in written.iter().filter(|w| w.kind == RecordKind::LibraryItem) {
                let item = record
                    .data
                    .map(stored_body::<LibraryItemData>)
                    .transpose()
                    .map_err(|r| ApiError::internal(&r.reason))?;
                index(conn, record.id, item.as_ref()).await?;
            }
            Ok(())
        }
        .boxed()
    }
}

fn is_postgres(conn: &AnyConnection) -> bool {
    conn.backend_name() == "PostgreSQL"
}

/// The category as the index keeps it, for a prefix match: `/法规/婚姻登记/`.
fn category_key(category: &[String]) -> String {
    format!("/{}/", category.join("/"))
}

/// Puts an item into the index in place of what it had (`None`: takes a
/// deleted one out).
async fn index(
    conn: &mut AnyConnection,
    id: Uuid,
    item: Option<&LibraryItemData>,
) -> ApiResult<()> {
    let id = id.to_string();
    if is_postgres(conn) {
        sqlx::query("DELETE FROM library_search WHERE record_id = $1")
            .bind(&id)
            .execute(&mut *conn)
            .await?;
        if let Some(item) = item {
            let text = item.searched_text();
            sqlx::query(
                "INSERT INTO library_search (record_id, kind, category, title_terms, terms, folded) \
                 VALUES ($1, $2, $3, strip(to_tsvector('simple', $4)), \
                 strip(to_tsvector('simple', $5)), $6)",
            )
            .bind(&id)
            .bind(item.kind.as_str())
            .bind(category_key(&item.category))
            .bind(fulltext::distinct_index_text(&item.title))
            .bind(fulltext::distinct_index_text(&text))
            .bind(fulltext::folded(&text))
            .execute(&mut *conn)
            .await?;
        }
        return Ok(());
    }
    let doc: Option<i64> = sqlx::query("SELECT doc FROM library_search WHERE record_id = $1")
        .bind(&id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|row| row.try_get("doc"))
        .transpose()?;
    if let Some(doc) = doc {
        sqlx::query("DELETE FROM library_fts WHERE rowid = $1")
            .bind(doc)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM library_search WHERE doc = $1")
            .bind(doc)
            .execute(&mut *conn)
            .await?;
    }
    if let Some(item) = item {
        let doc: i64 = sqlx::query(
            "INSERT INTO library_search (record_id, kind, category) VALUES ($1, $2, $3) RETURNING doc",
        )
        .bind(&id)
        .bind(item.kind.as_str())
        .bind(category_key(&item.category))
        .fetch_one(&mut *conn)
        .await?
        .try_get("doc")?;
        sqlx::query("INSERT INTO library_fts (rowid, title, body) VALUES ($1, $2, $3)")
            .bind(doc)
            .bind(fulltext::index_text(&item.title))
            .bind(fulltext::index_text(&item.searched_text()))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A live item's id and body from a row of `records` (`id`, `data`).
fn live_item(row: &sqlx::any::AnyRow) -> ApiResult<(Uuid, LibraryItemData)> {
    let id: String = row.try_get("id")?;
    let data: Option<String> = row.try_get("data")?;
    let data = data.ok_or_else(|| ApiError::internal(&"a live library item has no body"))?;
    let item = stored_body::<LibraryItemData>(&data).map_err(|r| ApiError::internal(&r.reason))?;
    Ok((id.parse().map_err(|e| ApiError::internal(&e))?, item))
}

/// Indexes the live items the index does not hold (kept before the index
/// existed, or restored from a backup).
async fn reindex_missing(db: &crate::Db) -> ApiResult<()> {
    let mut tx = db.begin().await?;
    let rows = sqlx::query(
        "SELECT r.id, r.data FROM records r WHERE r.kind = 'library_item' AND r.deleted = 0 \
         AND NOT EXISTS (SELECT 1 FROM library_search s WHERE s.record_id = r.id)",
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in rows {
        let (id, item) = live_item(&row)?;
        index(&mut tx, id, Some(&item)).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// What a search asks.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Two or more characters; words apart by spaces must each appear.
    pub q: String,
    /// Only items of this kind: `policy`, `regulation`, `template`, `department`.
    pub kind: Option<String>,
    /// Only items in this category or below it, its levels apart by `/`
    /// (`法规/婚姻登记`).
    pub category: Option<String>,
    /// At most this many hits (default 20, at most 100).
    pub limit: Option<usize>,
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(search),
    components(schemas(LibraryItemData, LibraryKind, LibraryHit, LibrarySearchAnswer))
)]
struct LibraryApi;

#[utoipa::path(get, path = "/api/v1/library/search", tag = "library", security(("bearer" = [])),
    params(SearchParams),
    responses(
        (status = 200, body = LibrarySearchAnswer, description = "the items the caller may read that hold every word, best first (the title weighs ten times the text), each with a passage of its text where the words first occur and the places found marked"),
        (status = 400, body = mz_api::ErrorBody, description = "fewer than two characters, more than 100, more than 8 words, or an unknown kind; the field is `q` or `kind`"),
    ))]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<SearchParams>,
) -> ApiResult<Json<LibrarySearchAnswer>> {
    let query = fulltext::parse_query("q", &params.q)
        .map_err(|issue| ApiError::invalid(&issue.field, issue.message))?;
    let kind = params
        .kind
        .as_deref()
        .filter(|k| !k.is_empty())
        .map(|k| {
            LibraryKind::parse(k)
                .ok_or_else(|| ApiError::invalid("kind", format!("没有这种资料：{k}")))
        })
        .transpose()?;
    let category = params
        .category
        .as_deref()
        .map(|c| {
            c.split('/')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|levels| !levels.is_empty())
        .map(|levels| format!("{}%", category_key(&levels).replace(['%', '_'], "")));
    let limit = params.limit.unwrap_or(20).clamp(1, MAX_HITS);
    let Some(scope) = widest_scope(&caller.roles, Resource::Library, Action::Read) else {
        return Err(ApiError::forbidden("您的角色不能阅读资料库"));
    };
    let mut binds: Vec<String> = Vec::new();
    let mut bind = |value: String| {
        binds.push(value);
        format!("${}", binds.len())
    };
    let postgres = state.db.backend == crate::db::Backend::Postgres;
    let (from, rank, mut conditions) = if postgres {
        let q = bind(query.tsquery());
        let mut conditions = vec![format!("s.terms @@ to_tsquery('simple', {q})")];
        for word in &query.words {
            conditions.push(format!("strpos(s.folded, {}) > 0", bind(word.clone())));
        }
        (
            "library_search s".to_owned(),
            format!(
                "ts_rank(s.title_terms, to_tsquery('simple', {q})) * 10 + ts_rank(s.terms, to_tsquery('simple', {q}))"
            ),
            conditions,
        )
    } else {
        let q = bind(query.fts5());
        // Ranked inside FTS5 (its rank is bm25, the title ten times the
        // text; lower is better), and cut there when nothing after it can
        // drop a hit.
        let narrowed = kind.is_some() || category.is_some() || scope != Scope::All;
        let cut = if narrowed { -1 } else { limit as i64 };
        (
            format!(
                "(SELECT rowid AS doc, rank FROM library_fts WHERE library_fts MATCH {q} \
                 ORDER BY rank LIMIT {cut}) f JOIN library_search s ON s.doc = f.doc"
            ),
            "-f.rank".to_owned(),
            Vec::new(),
        )
    };
    if let Some(kind) = kind {
        conditions.push(format!("s.kind = {}", bind(kind.as_str().to_owned())));
    }
    if let Some(category) = category {
        conditions.push(format!("s.category LIKE {}", bind(category)));
    }
    match scope {
        Scope::All => {}
        Scope::Region => conditions.push(format!(
            "r.region LIKE {}",
            bind(caller.region.like_pattern())
        )),
        Scope::Unit => conditions.push(format!("r.org_unit = {}", bind(caller.org_unit.clone()))),
    }
    let sql = format!(
        "SELECT r.id, r.version, r.data, {rank} AS score FROM {from} \
         JOIN records r ON r.kind = 'library_item' AND r.id = s.record_id AND r.deleted = 0 \
         WHERE {} ORDER BY score DESC, r.id LIMIT {limit}",
        if conditions.is_empty() {
            "1 = 1".to_owned()
        } else {
            conditions.join(" AND ")
        }
    );
    let mut select = sqlx::query(crate::db::assembled(sql));
    for value in binds {
        select = select.bind(value);
    }
    let rows = select.fetch_all(&state.db.pool).await?;
    let mut hits = Vec::with_capacity(rows.len());
    for row in rows {
        let (id, item) = live_item(&row)?;
        hits.push(LibraryHit::found(id, row.try_get("version")?, item, &query));
    }
    Ok(Json(LibrarySearchAnswer {
        hits,
        words: query.words,
    }))
}
