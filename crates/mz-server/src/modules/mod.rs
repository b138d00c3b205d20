//! The platform's modules, and the seam they plug into.
//!
//! A module owns record kinds (what a kind *is* — its name, whether it is
//! personal, its resource, its caps — is said once, in
//! [`mz_api::records::KindSpec`]) and says what the platform does with
//! them: the rules an upsert must meet at push, whether a stored record is
//! final, what the module keeps in step with the records a push writes, its
//! own routes and their OpenAPI paths, and what it derives once at start.
//! It joins the platform by one line in [`MODULES`]. The sync engine, the
//! router and the OpenAPI document know no kind and no module by name: they
//! ask this registry.
//!
//! The smallest module is [`calendar`]; `docs/adding-a-module.md` walks
//! through it.

pub mod calendar;
pub mod drafts;
pub mod funeral;
pub mod library;
pub mod marriage;
pub mod office;
pub mod schedule;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use mz_api::ErrorCode;
use mz_api::records::RecordKind;
use mz_api::sync::{Outcome, PushEntry};
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::sync::History;

/// Every module of the platform: one line each.
pub static MODULES: &[&dyn Module] = &[
    &calendar::Calendar,
    &drafts::Drafts,
    &marriage::Marriage,
    &funeral::Funeral,
    &schedule::Schedule,
    &office::Office,
    &library::Library,
];

/// A module of the platform.
pub trait Module: Sync {
    /// Its name, for the log and for the guide.
    fn name(&self) -> &'static str;

    /// The record kinds it owns.
    fn kinds(&self) -> &'static [RecordKind];

    /// Its routes, under `/api/v1`.
    fn routes(&self) -> axum::Router<crate::AppState> {
        axum::Router::new()
    }

    /// The OpenAPI paths and schemas of its routes and bodies.
    fn openapi(&self) -> utoipa::openapi::OpenApi {
        utoipa::openapi::OpenApi::default()
    }

    /// What it derives once from the records already stored, when the
    /// platform opens a database (after the migrations).
    fn start<'a>(&'a self, db: &'a crate::Db) -> BoxFuture<'a, ApiResult<()>> {
        let _ = db;
        async { Ok(()) }.boxed()
    }

    /// Reads, inside the push's transaction, what its rules need to decide
    /// `entries` (the push's fresh entries of its kinds, possibly none) sent
    /// by `caller` (whose unit's own data some rules read: a funeral home's
    /// fee schedule), and gives the rules that decide them.
    fn prepare<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        caller: &'a Caller,
        entries: &'a [&'a PushEntry],
    ) -> BoxFuture<'a, ApiResult<Box<dyn PushRules>>>;
}

/// A module's rules for the entries of one push.
pub trait PushRules: Send + Sync {
    /// Checks an upsert of record `id` of one of the module's kinds, its
    /// size and files checked already: the body in its stored form, its
    /// natural key and its owner, or the refusal naming the field.
    fn check(
        &self,
        kind: RecordKind,
        id: Uuid,
        data: serde_json::Value,
        ctx: &CheckContext<'_>,
    ) -> Result<Checked, Rejection>;

    /// Whether a stored record is final: part of the registry, never
    /// deleted. A body that does not parse is an error, never "not final".
    fn is_final(&self, kind: RecordKind, data: &str) -> Result<bool, Rejection>;

    /// Notes a record this push applied, for the entries after it: of any
    /// module's kind (the office signs by the schedule's leaders), so a
    /// module ignores the kinds it does not read.
    fn note_applied(&mut self, record: &Written<'_>) {
        let _ = record;
    }

    /// Keeps the module's own tables in step with the records the push
    /// wrote (of its kinds), in the push's transaction.
    fn finish<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        written: &'a [Written<'a>],
    ) -> BoxFuture<'a, ApiResult<()>> {
        let _ = (conn, written);
        async { Ok(()) }.boxed()
    }
}

/// The `prepare` of a module whose rules read nothing first: the rules
/// themselves, for every push.
pub fn ready<'a, R: PushRules + Clone + 'static>(
    rules: &R,
) -> BoxFuture<'a, ApiResult<Box<dyn PushRules>>> {
    let rules: Box<dyn PushRules> = Box::new(rules.clone());
    async move { Ok(rules) }.boxed()
}

/// What an upsert is checked in the light of.
#[derive(Debug, Clone, Copy)]
pub struct CheckContext<'a> {
    pub caller: &'a Caller,
    /// The record's body as the platform holds it, if it exists.
    pub current: Option<&'a str>,
    /// Unix milliseconds of the push.
    pub now: i64,
    /// Whether the push carries live work or records from before the platform.
    pub history: History,
}

/// An upsert's body after the module's rules.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Canonical JSON, as stored.
    pub data: String,
    /// A key that at most one live record of the kind may have (a
    /// calendar's year, a certificate number).
    pub natural_key: Option<String>,
    pub owner: Owner,
    /// Who alone may read it beyond its kind's scope ([`Audience`]); `None`
    /// for everyone the scope reaches.
    pub audience: Option<Audience>,
}

/// The readers a record is kept to: users by id and roles, within the
/// kind's scope.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Audience {
    pub users: Vec<String>,
    pub roles: Vec<mz_domain::Role>,
}

impl Audience {
    /// As stored: each token between commas (`,u:<id>,r:<role>,`), sorted.
    pub fn stored(&self) -> String {
        let mut tokens: Vec<String> = self
            .users
            .iter()
            .map(|u| format!("u:{u}"))
            .chain(self.roles.iter().map(|r| format!("r:{}", r.as_str())))
            .collect();
        tokens.sort();
        tokens.dedup();
        format!(",{},", tokens.join(","))
    }
}

/// Who owns a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// The province's root unit: a record for everyone (a holiday calendar).
    Province,
    /// The org unit that made it, for good: an office's record stays with it.
    Maker,
}

/// A record as a push wrote it.
#[derive(Debug, Clone, Copy)]
pub struct Written<'a> {
    pub kind: RecordKind,
    pub id: Uuid,
    pub org_unit: &'a str,
    pub region: &'a str,
    /// Its body; `None` when deleted.
    pub data: Option<&'a str>,
}

/// A refusal of one entry: its code, reason and the field it is about.
#[derive(Debug, Clone)]
pub struct Rejection {
    pub code: ErrorCode,
    pub reason: String,
    pub field: Option<String>,
}

impl Rejection {
    pub fn new(code: ErrorCode, reason: impl Into<String>, field: Option<&str>) -> Self {
        Rejection {
            code,
            reason: reason.into(),
            field: field.map(str::to_owned),
        }
    }

    /// A rule of the domain refuses it.
    pub fn rule(field: &str, reason: impl Into<String>) -> Self {
        Rejection::new(ErrorCode::RuleViolation, reason, Some(field))
    }

    pub fn outcome(self) -> Outcome {
        Outcome::Rejected {
            code: self.code,
            reason: self.reason,
            field: self.field,
        }
    }
}

/// A record body of type `T`, or a refusal that names where it is wrong
/// without repeating the value (which may be a name or an ID number).
pub fn parse_body<T: serde::de::DeserializeOwned>(data: serde_json::Value) -> Result<T, Rejection> {
    serde_path_to_error::deserialize(data).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." || path.is_empty() {
            "data".to_owned()
        } else {
            format!("data.{path}")
        };
        Rejection::new(
            ErrorCode::InvalidInput,
            format!("{field}: missing, unknown or of the wrong type for this record kind"),
            Some(&field),
        )
    })
}

/// The body's own rules and normal form, as its kind says
/// (`KindSpec::normalise`): the very function the client ran before it
/// queued the entry, so both refuse the same bodies for the same reasons.
pub fn kind_rules(
    kind: RecordKind,
    data: serde_json::Value,
) -> Result<serde_json::Value, Rejection> {
    use mz_api::records::BodyIssue;
    (kind.spec().normalise)(data).map_err(|issue| match issue {
        BodyIssue::Invalid(reason) => Rejection::rule("data", reason),
        BodyIssue::Rules(issues) => match refused_for(issues) {
            Err(rejection) => rejection,
            // An empty list of issues is no rule broken; normalise never gives one.
            Ok(()) => Rejection::rule("data", String::new()),
        },
    })
}

/// What a record may become, as its kind says (`KindSpec::check_change`),
/// from the body the platform holds (`current`) to `next`: the very function
/// the client ran against its copy before it queued the change.
pub fn kind_change(
    kind: RecordKind,
    current: Option<&str>,
    next: &serde_json::Value,
    now: i64,
) -> Result<(), Rejection> {
    use mz_api::records::BodyIssue;
    let previous = current.map(stored_body::<serde_json::Value>).transpose()?;
    (kind.spec().check_change)(previous.as_ref(), next, crate::clock::china_date(now)).map_err(
        |issue| match issue {
            BodyIssue::Invalid(reason) => Rejection::rule("data", reason),
            BodyIssue::Rules(issues) => match refused_for(issues) {
                Err(rejection) => rejection,
                Ok(()) => Rejection::rule("data", String::new()),
            },
        },
    )
}

/// The issues of the rules (fields as paths into the body), as the
/// platform's refusal: the first issue's field under `data`, with every
/// message; no issues, no refusal.
pub fn refused_for(issues: Vec<mz_domain::FieldIssue>) -> Result<(), Rejection> {
    let Some(first) = issues.first() else {
        return Ok(());
    };
    let field = if first.field.is_empty() {
        "data".to_owned()
    } else {
        format!("data.{}", first.field)
    };
    let all: Vec<&str> = issues.iter().map(|i| i.message.as_str()).collect();
    Err(Rejection::rule(&field, all.join("；")))
}

/// A body the platform stored, read back; one that no longer parses is the
/// platform's fault and is named as such, never taken as absent.
pub fn stored_body<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Rejection> {
    serde_json::from_str(text).map_err(|e| {
        // The error's text may quote the value (a name): only where it is.
        tracing::error!(error = %crate::error::json_error(&e), "a stored record body does not parse");
        Rejection::new(
            ErrorCode::Internal,
            "the stored record cannot be read; an administrator has been told",
            None,
        )
    })
}

/// A body in its stored form: canonical JSON.
pub fn to_stored<T: serde::Serialize>(body: &T) -> Result<String, Rejection> {
    serde_json::to_string(body)
        .map_err(|e| Rejection::new(ErrorCode::Internal, e.to_string(), None))
}

/// The live record of `kind` under a natural key (a unit's setup), read as
/// its body; `None` when there is none.
pub(crate) async fn live_by_key<T: serde::de::DeserializeOwned>(
    conn: &mut AnyConnection,
    kind: RecordKind,
    key: &str,
) -> ApiResult<Option<T>> {
    let data: Option<Option<String>> = sqlx::query_scalar(
        "SELECT data FROM records WHERE kind = $1 AND natural_key = $2 AND deleted = 0",
    )
    .bind(kind.as_str())
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(Some(text)) = data else {
        return Ok(None);
    };
    stored_body(&text)
        .map(Some)
        .map_err(|r| ApiError::internal(&r.reason))
}

/// Every published holiday calendar (the marriage periods, the schedule's
/// rest days). A stored calendar that does not read is an error, never
/// skipped: a missing year would move a legal period.
pub(crate) async fn load_calendars(
    conn: &mut AnyConnection,
) -> ApiResult<mz_domain::holiday::Calendars> {
    let rows: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT data FROM records WHERE kind = 'holiday_calendar' AND deleted = 0",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut calendars = Vec::with_capacity(rows.len());
    for text in rows.into_iter().flatten() {
        let data: mz_api::records::HolidayCalendarData =
            stored_body(&text).map_err(|r| ApiError::internal(&r.reason))?;
        calendars.push(mz_domain::HolidayCalendar::from(data));
    }
    Ok(mz_domain::holiday::Calendars::new(calendars))
}

/// The unit's live records of `kind`, with their audiences.
pub(crate) async fn unit_records<T: serde::de::DeserializeOwned>(
    conn: &mut AnyConnection,
    unit: &str,
    kind: &str,
) -> ApiResult<Vec<(Uuid, T, Option<String>)>> {
    let rows = sqlx::query(
        "SELECT id, data, audience FROM records \
         WHERE kind = $1 AND org_unit = $2 AND deleted = 0",
    )
    .bind(kind)
    .bind(unit)
    .fetch_all(&mut *conn)
    .await?;
    let mut activities = Vec::with_capacity(rows.len());
    for row in rows {
        let id: String = row.try_get("id")?;
        let data: Option<String> = row.try_get("data")?;
        let Some(text) = data else {
            return Err(ApiError::internal(&format!("a live {kind} has no body")));
        };
        activities.push((
            id.parse().map_err(|e| ApiError::internal(&e))?,
            crate::modules::stored_body(&text).map_err(|r| ApiError::internal(&r.reason))?,
            row.try_get("audience")?,
        ));
    }
    Ok(activities)
}

/// A range of months asked for as `YYYY-MM` in the query fields `from` and
/// `to`: the first days of both, or the issue with its field (malformed,
/// reversed, longer than ten years).
pub(crate) fn months(from: &str, to: &str) -> ApiResult<(chrono::NaiveDate, chrono::NaiveDate)> {
    use mz_domain::holiday::{MONTH_FORM, month_start};
    let month = |field: &str, text: &str| {
        month_start(text).ok_or_else(|| ApiError::invalid(field, MONTH_FORM))
    };
    let (first, last) = (month("from", from)?, month("to", to)?);
    if first > last {
        return Err(ApiError::invalid("from", "起始月份晚于截止月份"));
    }
    if (last - first).num_days() > 3660 {
        return Err(ApiError::invalid("to", "统计区间最长十年"));
    }
    Ok((first, last))
}

/// How a module keeps what it derives from the records written (counts, rows
/// of figures), run by [`derive_once`] over the records stored before it.
pub(crate) type Derive =
    for<'a> fn(&'a mut AnyConnection, &'a [Written<'a>]) -> BoxFuture<'a, ApiResult<()>>;

/// Runs `derive` once over every live record of `kinds`, page by page in
/// id order, when the counter `flag` says it has not been done (0), then
/// marks it done: what a module derives at start for a database from
/// before it. `derive` keeps a record's derivations whole (replaced, never
/// added twice).
pub(crate) async fn derive_once(
    db: &crate::Db,
    flag: &str,
    kinds: &[RecordKind],
    derive: Derive,
) -> ApiResult<()> {
    let mut tx = db.begin().await?;
    let done: i64 =
        sqlx::query_scalar("UPDATE counters SET value = value WHERE name = $1 RETURNING value")
            .bind(flag)
            .fetch_one(&mut *tx)
            .await?;
    if done != 0 {
        return Ok(());
    }
    let sql = format!(
        "SELECT kind, id, org_unit, region, data FROM records \
         WHERE kind IN ({}) AND deleted = 0 AND id > $1 ORDER BY id LIMIT 200",
        crate::db::placeholders(2, kinds.len())
    );
    let mut after = String::new();
    loop {
        let mut query = sqlx::query(crate::db::assembled(sql.clone())).bind(after.clone());
        for kind in kinds {
            query = query.bind(kind.as_str());
        }
        let rows = query.fetch_all(&mut *tx).await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("id")?;
        for row in &rows {
            let (kind, id): (String, String) = (row.try_get("kind")?, row.try_get("id")?);
            let named = |what: &str| ApiError::internal(&format!("{kind}/{id}: {what}"));
            let (org_unit, region): (String, String) =
                (row.try_get("org_unit")?, row.try_get("region")?);
            let data: Option<String> = row.try_get("data")?;
            let record = Written {
                kind: RecordKind::parse(&kind).ok_or_else(|| named("unknown kind"))?,
                id: id.parse().map_err(|_| named("the id is not a UUID"))?,
                org_unit: &org_unit,
                region: &region,
                data: data.as_deref(),
            };
            derive(&mut tx, &[record])
                .await
                .map_err(|e| named(&e.message))?;
        }
    }
    sqlx::query("UPDATE counters SET value = 1 WHERE name = $1")
        .bind(flag)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_module() {
        for kind in RecordKind::ALL {
            let owners: Vec<&str> = MODULES
                .iter()
                .filter(|m| m.kinds().contains(&kind))
                .map(|m| m.name())
                .collect();
            assert_eq!(owners.len(), 1, "{kind}: {owners:?}");
        }
    }
}
