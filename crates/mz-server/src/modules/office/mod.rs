//! Official-document handling on the platform: every step a desk took is
//! replayed here as its caller, with the unit's leaders and today's
//! stand-ins as the platform knows them, and the body stored is what those
//! steps make — a sign-off by someone not authorised, a step on a document
//! that has moved on, a history rewritten are refused whatever the client
//! sent. A number is one live document's (two offices that took one number
//! offline meet as a conflict); a document distributed is delivered to each
//! recipient unit, whose office receives it once.

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use mz_api::ErrorCode;
use mz_api::office::delegation::DelegationData;
use mz_api::office::task::TaskData;
use mz_api::office::{
    Action, Actor, Authority, Delivery, Direction, HeldDocument, OfficeDocumentData, Person,
    SentDocument, UnitPerson,
};
use mz_api::records::RecordKind;
use mz_api::schedule::{AwayData, ScheduleSetupData};
use mz_api::sync::{Op, PushEntry};
use mz_domain::Role;
use mz_domain::office::Step;
use serde::Deserialize;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;
use uuid::Uuid;

use axum::Json;
use axum::extract::State;

pub mod figures;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::modules::{
    Audience, CheckContext, Checked, Module, Owner, PushRules, Rejection, Written, kind_rules,
    parse_body, stored_body, to_stored,
};

/// The unit's documents, outgoing and incoming.
#[derive(Debug)]
pub struct Office;

impl Module for Office {
    fn name(&self) -> &'static str {
        "office"
    }

    fn kinds(&self) -> &'static [RecordKind] {
        &[
            RecordKind::OfficeDocument,
            RecordKind::OfficeTask,
            RecordKind::OfficeDelegation,
        ]
    }

    fn routes(&self) -> axum::Router<AppState> {
        axum::Router::new()
            .route("/office/deliveries", axum::routing::get(deliveries))
            .route("/office/people", axum::routing::get(people))
            .route("/office/figures", axum::routing::get(figures::figures))
            .route("/office/classified", axum::routing::get(classified))
            .route(
                "/office/classified/{id}",
                axum::routing::get(classified_one),
            )
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        <OfficeApi as utoipa::OpenApi>::openapi()
    }

    fn start<'a>(&'a self, db: &'a crate::Db) -> BoxFuture<'a, ApiResult<()>> {
        figures::derive_missing_rows(db).boxed()
    }

    fn prepare<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        caller: &'a Caller,
        entries: &'a [&'a PushEntry],
    ) -> BoxFuture<'a, ApiResult<Box<dyn PushRules>>> {
        async move {
            // What the bodies name, read ahead; a body that does not read
            // names nothing here and is refused by its check.
            let upserts: Vec<OfficeDocumentData> = entries
                .iter()
                .filter(|e| e.kind == RecordKind::OfficeDocument && e.op == Op::Upsert)
                .filter_map(|e| e.data.as_ref())
                .filter_map(|d| OfficeDocumentData::deserialize(d).ok())
                .collect();
            let setup: ScheduleSetupData = crate::modules::live_by_key(
                conn,
                RecordKind::ScheduleSetup,
                &format!("schedule:{}", caller.org_unit),
            )
            .await?
            .unwrap_or_default();
            let aways: Vec<(Uuid, AwayData)> =
                crate::modules::unit_records(conn, &caller.org_unit, "away_report")
                    .await?
                    .into_iter()
                    .map(|(id, data, _)| (id, data))
                    .collect();
            let delegations: Vec<(Uuid, DelegationData)> =
                crate::modules::unit_records(conn, &caller.org_unit, "office_delegation")
                    .await?
                    .into_iter()
                    .map(|(id, data, _)| (id, data))
                    .collect();
            // The units the push sends to, and the deliveries it receives.
            let mut units = BTreeMap::new();
            let mut received = BTreeMap::new();
            for body in &upserts {
                for recipient in body.registration.iter().flat_map(|r| &r.recipients) {
                    if !units.contains_key(&recipient.code) {
                        let name: Option<String> =
                            sqlx::query_scalar("SELECT name FROM org_units WHERE code = $1")
                                .bind(&recipient.code)
                                .fetch_optional(&mut *conn)
                                .await?;
                        units.insert(recipient.code.clone(), name);
                    }
                }
                if let Some(id) = body.received.as_ref().and_then(|r| r.delivery) {
                    received.insert(id, delivery(conn, id, &caller.org_unit).await?);
                }
            }
            Ok(Box::new(Rules {
                setup,
                aways,
                delegations,
                units,
                received,
            }) as Box<dyn PushRules>)
        }
        .boxed()
    }
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(deliveries, people, classified, classified_one, figures::figures),
    tags((name = "office", description = "official documents sent between units")),
    components(schemas(OfficeDocumentData, TaskData, DelegationData, Delivery, SentDocument, UnitPerson, HeldDocument,
        mz_api::office::figures::DocumentFigures, mz_api::office::figures::SectionFigures,
        mz_api::office::figures::MonthFigures))
)]
struct OfficeApi;

struct Rules {
    /// The unit's leaders and its principal.
    setup: ScheduleSetupData,
    /// The unit's away reports (who stands in for whom).
    aways: Vec<(Uuid, AwayData)>,
    /// The unit's delegations (whose to-dos whom else takes, 委托办理).
    delegations: Vec<(Uuid, DelegationData)>,
    /// The recipient units the push names, with their names (`None`: no
    /// such unit).
    units: BTreeMap<String, Option<String>>,
    /// The deliveries the push receives, when addressed to the caller's
    /// unit (`None`: no such delivery there).
    received: BTreeMap<Uuid, Option<(Delivery, bool)>>,
}

/// The caller as the steps name them.
fn actor(caller: &Caller) -> Actor {
    let person = Person {
        user_id: caller.user_id.clone(),
        name: caller.display_name.clone(),
    };
    Actor::of(person, &caller.roles)
}

/// Who reads a classified document: the people on it and the office's
/// confidential clerks (机要, the secretaries); an open one, the unit.
fn audience(body: &OfficeDocumentData) -> Option<Audience> {
    body.classification.as_ref()?;
    let mut users: Vec<String> = body
        .steps
        .iter()
        .map(|e| e.by.user_id.clone())
        .chain(body.owners.iter().cloned())
        .chain(body.signer.iter().map(|s| s.user_id.clone()))
        .chain(body.readers.iter().map(|r| r.reader.user_id.clone()))
        .chain(
            body.handling
                .iter()
                .flat_map(|h| std::iter::once(&h.lead).chain(&h.co))
                .map(|p| p.user_id.clone()),
        )
        .collect();
    users.sort();
    users.dedup();
    Some(Audience {
        users,
        roles: vec![Role::Secretary],
    })
}

impl Rules {
    fn check_document(
        &self,
        data: serde_json::Value,
        ctx: &CheckContext<'_>,
    ) -> Result<Checked, Rejection> {
        parse_body::<OfficeDocumentData>(data.clone())?;
        let body: OfficeDocumentData = parse_body(kind_rules(RecordKind::OfficeDocument, data)?)?;
        let previous: Option<OfficeDocumentData> = ctx.current.map(stored_body).transpose()?;
        let today = crate::clock::china_date(ctx.now);
        let done = previous.as_ref().map_or(0, |p| p.steps.len());
        if body
            .steps
            .iter()
            .skip(done)
            .any(|e| e.at > latest_step(ctx))
        {
            return Err(Rejection::rule("steps", "办理时间晚于现在：请校准本机时间"));
        }
        let aways: Vec<AwayData> = self.aways.iter().map(|(_, a)| a.clone()).collect();
        let delegations: Vec<DelegationData> =
            self.delegations.iter().map(|(_, d)| d.clone()).collect();
        let authority =
            Authority::new(&self.setup, &aways, today).with_delegations(&delegations, today);
        let body = mz_api::office::replay(previous.as_ref(), &body, &actor(ctx.caller), &authority)
            .map_err(|i| {
                Rejection::new(ErrorCode::Forbidden, i.message, Some(&data_field(&i.field)))
            })?;
        for recipient in body.registration.iter().flat_map(|r| &r.recipients) {
            match self.units.get(&recipient.code) {
                Some(Some(_)) => {}
                Some(None) | None => {
                    return Err(Rejection::rule(
                        "data.registration.recipients",
                        format!("没有单位 {}（{}）", recipient.name, recipient.code),
                    ));
                }
            }
            if recipient.code == ctx.caller.org_unit {
                return Err(Rejection::rule(
                    "data.registration.recipients",
                    "不能发给本单位自己",
                ));
            }
        }
        let mut natural_key = body
            .registration
            .as_ref()
            .map(|r| format!("docno:{}:{}", ctx.caller.org_unit, r.number));
        if let Some(received) = &body.received
            && let Some(id) = received.delivery
        {
            let Some(Some((delivery, taken))) = self.received.get(&id) else {
                return Err(Rejection::new(
                    ErrorCode::NotFound,
                    "没有发给本单位的这份来文",
                    Some("data.received.delivery"),
                ));
            };
            // Its content is the sender's, as sent.
            if previous.is_none() && (*taken || !delivery.sent.matches(&body)) {
                return Err(Rejection::rule(
                    "data.received.delivery",
                    if *taken {
                        "这份来文已签收"
                    } else {
                        "签收的内容与来文不符"
                    },
                ));
            }
            if received.sender_unit.as_deref() != Some(delivery.from_unit.as_str()) {
                return Err(Rejection::rule(
                    "data.received.sender_unit",
                    "来文单位与来文不符",
                ));
            }
            natural_key = Some(format!("delivery:{id}"));
        }
        Ok(Checked {
            data: to_stored(&body)?,
            natural_key,
            owner: Owner::Maker,
            audience: audience(&body),
        })
    }
}

/// A task's entries replayed as the caller: what they make is stored.
fn check_task(data: serde_json::Value, ctx: &CheckContext<'_>) -> Result<Checked, Rejection> {
    let body: TaskData = parse_body(kind_rules(RecordKind::OfficeTask, data)?)?;
    let previous: Option<TaskData> = ctx.current.map(stored_body).transpose()?;
    let done = previous.as_ref().map_or(0, |p| p.entries.len());
    if body
        .entries
        .iter()
        .skip(done)
        .any(|e| e.at > latest_step(ctx))
    {
        return Err(Rejection::rule(
            "data.entries",
            "办理时间晚于现在：请校准本机时间",
        ));
    }
    let body = mz_api::office::task::replay(previous.as_ref(), &body, &actor(ctx.caller)).map_err(
        |i| Rejection::new(ErrorCode::Forbidden, i.message, Some(&data_field(&i.field))),
    )?;
    Ok(Checked {
        data: to_stored(&body)?,
        natural_key: None,
        owner: Owner::Maker,
        audience: None,
    })
}

/// A delegation is written by whoever is away, or by the office for them;
/// the one it names must be someone else of the unit's people (checked by
/// the desk against the people list; the platform keeps to who writes it).
fn check_delegation(data: serde_json::Value, ctx: &CheckContext<'_>) -> Result<Checked, Rejection> {
    let body: DelegationData = parse_body(kind_rules(RecordKind::OfficeDelegation, data)?)?;
    let caller = actor(ctx.caller);
    if body.from.user_id != caller.person.user_id && !caller.office {
        return Err(Rejection::new(
            ErrorCode::Forbidden,
            "只能委托自己的待办（办公室可为他人登记）",
            Some("data.from"),
        ));
    }
    let previous: Option<DelegationData> = ctx.current.map(stored_body).transpose()?;
    crate::modules::refused_for(mz_api::office::delegation::check_delegation_change(
        previous.as_ref(),
        &body,
    ))?;
    Ok(Checked {
        data: to_stored(&body)?,
        natural_key: None,
        owner: Owner::Maker,
        audience: None,
    })
}

/// The latest time a step may carry: a step is taken when it is taken,
/// never ahead of the platform (ten minutes of clock drift allowed).
fn latest_step(ctx: &CheckContext<'_>) -> chrono::NaiveDateTime {
    mz_domain::holiday::china_time(crate::clock::to_datetime(ctx.now + 10 * 60 * 1000))
}

/// A step's field as the push names it.
fn data_field(field: &str) -> String {
    format!("data.{field}")
}

impl PushRules for Rules {
    fn check(
        &self,
        kind: RecordKind,
        _id: Uuid,
        data: serde_json::Value,
        ctx: &CheckContext<'_>,
    ) -> Result<Checked, Rejection> {
        match kind {
            RecordKind::OfficeDocument => self.check_document(data, ctx),
            RecordKind::OfficeTask => check_task(data, ctx),
            RecordKind::OfficeDelegation => check_delegation(data, ctx),
            other => Err(Rejection::new(
                ErrorCode::Internal,
                format!("the office module does not own {other}"),
                None,
            )),
        }
    }

    /// The setup and away reports the same push applies sign what comes
    /// after them.
    fn note_applied(&mut self, record: &Written<'_>) {
        match (record.kind, record.data) {
            (RecordKind::ScheduleSetup, Some(data)) => match serde_json::from_str(data) {
                Ok(setup) => self.setup = setup,
                Err(_) => {
                    tracing::error!(record = %record.id, "a schedule setup written by this push does not read back")
                }
            },
            (RecordKind::AwayReport, data) => {
                self.aways.retain(|(id, _)| *id != record.id);
                match data.map(serde_json::from_str::<AwayData>) {
                    Some(Ok(away)) => self.aways.push((record.id, away)),
                    Some(Err(_)) => {
                        tracing::error!(record = %record.id, "an away report written by this push does not read back")
                    }
                    None => {}
                }
            }
            (RecordKind::OfficeDelegation, data) => {
                self.delegations.retain(|(id, _)| *id != record.id);
                match data.map(serde_json::from_str::<DelegationData>) {
                    Some(Ok(delegation)) => self.delegations.push((record.id, delegation)),
                    Some(Err(_)) => {
                        tracing::error!(record = %record.id, "a delegation written by this push does not read back")
                    }
                    None => {}
                }
            }
            _ => {}
        }
    }

    /// A numbered document is part of the unit's register, and one received
    /// is the sender's: never deleted.
    fn is_final(&self, kind: RecordKind, data: &str) -> Result<bool, Rejection> {
        if kind == RecordKind::OfficeTask {
            let task: TaskData = stored_body(data)?;
            return Ok(task.closed);
        }
        if kind == RecordKind::OfficeDelegation {
            let delegation: DelegationData = stored_body(data)?;
            return Ok(delegation.cancelled);
        }
        let body: OfficeDocumentData = stored_body(data)?;
        Ok(body.registration.is_some() || body.received.is_some() || body.step == Step::Done)
    }

    fn finish<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        written: &'a [Written<'a>],
    ) -> BoxFuture<'a, ApiResult<()>> {
        async move {
            figures::note_rows(conn, written).await?;
            for record in written
                .iter()
                .filter(|w| w.kind == RecordKind::OfficeDocument)
            {
                let Some(text) = record.data else { continue };
                let body: OfficeDocumentData =
                    stored_body(text).map_err(|r| ApiError::internal(&r.reason))?;
                distribute(conn, record, &body).await?;
                if let Some(id) = body.received.as_ref().and_then(|r| r.delivery) {
                    sqlx::query(
                        "UPDATE office_deliveries SET received_record = $1, received_at = $2 \
                         WHERE id = $3 AND received_record IS NULL",
                    )
                    .bind(record.id.to_string())
                    .bind(body.steps.last().map_or(0, |e| china_ms(e.at)))
                    .bind(id.to_string())
                    .execute(&mut *conn)
                    .await?;
                }
            }
            Ok(())
        }
        .boxed()
    }
}

/// Delivers a document just distributed to each of its recipients, once.
async fn distribute(
    conn: &mut AnyConnection,
    record: &Written<'_>,
    body: &OfficeDocumentData,
) -> ApiResult<()> {
    let distributed = body.direction == Direction::Outgoing
        && body.step == Step::Done
        && body
            .steps
            .last()
            .is_some_and(|e| e.action == Action::Distribute);
    if !distributed {
        return Ok(());
    }
    let (Some(sent), Some(registration)) = (SentDocument::of(body), &body.registration) else {
        return Err(ApiError::internal(
            &"a distributed document has no registration",
        ));
    };
    let from_name: String = sqlx::query_scalar("SELECT name FROM org_units WHERE code = $1")
        .bind(record.org_unit)
        .fetch_one(&mut *conn)
        .await?;
    let data = serde_json::to_string(&sent).map_err(|e| ApiError::internal(&e))?;
    let at = body.steps.last().map_or(0, |e| china_ms(e.at));
    for recipient in &registration.recipients {
        sqlx::query(
            "INSERT INTO office_deliveries \
             (id, document_id, from_unit, from_name, to_unit, data, delivered_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (document_id, to_unit) DO NOTHING",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(record.id.to_string())
        .bind(record.org_unit)
        .bind(&from_name)
        .bind(&recipient.code)
        .bind(&data)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A time in China as Unix milliseconds.
fn china_ms(at: chrono::NaiveDateTime) -> i64 {
    (at - chrono::TimeDelta::hours(8))
        .and_utc()
        .timestamp_millis()
}

const DELIVERY_COLUMNS: &str =
    "id, document_id, from_unit, from_name, data, delivered_at, received_record";

fn delivery_from_row(row: &sqlx::any::AnyRow) -> ApiResult<(Delivery, bool)> {
    let id: String = row.try_get("id")?;
    let document_id: String = row.try_get("document_id")?;
    let data: String = row.try_get("data")?;
    let received: Option<String> = row.try_get("received_record")?;
    Ok((
        Delivery {
            id: id.parse().map_err(|e| ApiError::internal(&e))?,
            document_id: document_id.parse().map_err(|e| ApiError::internal(&e))?,
            from_unit: row.try_get("from_unit")?,
            from_name: row.try_get("from_name")?,
            sent: serde_json::from_str(&data).map_err(|e| ApiError::internal(&e))?,
            delivered_at: row.try_get("delivered_at")?,
        },
        received.is_some(),
    ))
}

/// Delivery `id` if it was sent to `unit`, with whether it was received.
async fn delivery(
    conn: &mut AnyConnection,
    id: Uuid,
    unit: &str,
) -> ApiResult<Option<(Delivery, bool)>> {
    let row = sqlx::query(crate::db::assembled(format!(
        "SELECT {DELIVERY_COLUMNS} FROM office_deliveries WHERE id = $1 AND to_unit = $2"
    )))
    .bind(id.to_string())
    .bind(unit)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(delivery_from_row).transpose()
}

/// Whether the caller receives documents for their unit (its office).
fn receives(caller: &Caller) -> bool {
    mz_domain::office::does_office_work(&caller.roles)
}

#[utoipa::path(get, path = "/api/v1/office/deliveries", tag = "office", security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<Delivery>, description = "documents sent to the caller's unit and not yet received, oldest first (at most 500)"),
        (status = 403, body = mz_api::ErrorBody, description = "the caller is not of the unit's office"),
    ))]
pub async fn deliveries(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<Delivery>>> {
    if !receives(&caller) {
        return Err(ApiError::forbidden("由本单位办公室签收来文"));
    }
    let rows = sqlx::query(crate::db::assembled(format!(
        "SELECT {DELIVERY_COLUMNS} FROM office_deliveries \
         WHERE to_unit = $1 AND received_record IS NULL ORDER BY delivered_at, id LIMIT 500"
    )))
    .bind(&caller.org_unit)
    .fetch_all(&state.db.pool)
    .await?;
    let mut list = Vec::with_capacity(rows.len());
    for row in &rows {
        list.push(delivery_from_row(row)?.0);
    }
    Ok(Json(list))
}

#[utoipa::path(get, path = "/api/v1/office/people", tag = "office", security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<UnitPerson>, description = "the caller's unit's staff, secretaries and leaders who are not disabled, by name"),
        (status = 403, body = mz_api::ErrorBody, description = "the caller does not work documents"),
    ))]
pub async fn people(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<UnitPerson>>> {
    use mz_domain::access::{Action as Access, Resource, widest_scope};
    if widest_scope(&caller.roles, Resource::OfficeDocument, Access::Read).is_none() {
        return Err(ApiError::forbidden("只有办理公文的人员能查看本单位人员"));
    }
    let rows: Vec<(String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT id, display_name, section, roles FROM users \
         WHERE org_unit = $1 AND disabled = 0 ORDER BY section, display_name, id LIMIT 2000",
    )
    .bind(&caller.org_unit)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(|(user_id, name, section, roles)| UnitPerson {
                user_id,
                name,
                section,
                roles: crate::auth::parse_roles(&roles),
            })
            .filter(|p| widest_scope(&p.roles, Resource::OfficeDocument, Access::Read).is_some())
            .collect(),
    ))
}

/// The unit's classified documents the caller may read (their audience),
/// newest first; `id` one of them. Each read is audited.
async fn held(state: &AppState, caller: &Caller, id: Option<Uuid>) -> ApiResult<Vec<HeldDocument>> {
    use mz_domain::access::{Action as Access, Resource, widest_scope};
    if widest_scope(&caller.roles, Resource::OfficeDocument, Access::Read).is_none() {
        return Err(ApiError::forbidden("只有办理公文的人员能阅读本单位公文"));
    }
    let rows = sqlx::query(
        "SELECT id, version, data, audience FROM records \
         WHERE kind = 'office_document' AND org_unit = $1 AND deleted = 0 \
         AND audience IS NOT NULL AND ($2 IS NULL OR id = $2) \
         ORDER BY updated_at DESC, id LIMIT 500",
    )
    .bind(&caller.org_unit)
    .bind(id.map(|i| i.to_string()))
    .fetch_all(&state.db.pool)
    .await?;
    let mut found = Vec::new();
    for row in &rows {
        let audience: Option<String> = row.try_get("audience")?;
        if !crate::sync::in_audience(audience.as_deref(), caller) {
            continue;
        }
        let text: Option<String> = row.try_get("data")?;
        let text = text.ok_or_else(|| ApiError::internal(&"a live document has no body"))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| ApiError::internal(&e))?;
        if !mz_api::office::classified(&value) {
            continue;
        }
        let record: String = row.try_get("id")?;
        found.push(HeldDocument {
            id: record.parse().map_err(|e| ApiError::internal(&e))?,
            version: row.try_get("version")?,
            data: serde_json::from_value(value).map_err(|e| ApiError::internal(&e))?,
        });
    }
    if !found.is_empty() {
        let records: Vec<String> = found
            .iter()
            .map(|d| format!("office_document/{}", d.id))
            .collect();
        let mut tx = state.db.begin().await?;
        crate::audit::append(
            &mut tx,
            &state.clock,
            &[caller.audit(
                "record.read",
                "office/classified".to_owned(),
                serde_json::json!({ "records": records }),
            )],
        )
        .await?;
        tx.commit().await?;
    }
    Ok(found)
}

#[utoipa::path(get, path = "/api/v1/office/classified", tag = "office", security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<HeldDocument>, description = "the unit's classified documents the caller is on, newest first (at most 500): read online, never pulled into a desk's cache; each read audited"),
        (status = 403, body = mz_api::ErrorBody, description = "the caller does not work documents"),
    ))]
pub async fn classified(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<HeldDocument>>> {
    Ok(Json(held(&state, &caller, None).await?))
}

#[utoipa::path(get, path = "/api/v1/office/classified/{id}", tag = "office", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "the document")),
    responses(
        (status = 200, body = HeldDocument, description = "one classified document the caller is on"),
        (status = 404, body = mz_api::ErrorBody, description = "no such classified document the caller may read"),
    ))]
pub async fn classified_one(
    State(state): State<AppState>,
    caller: Caller,
    axum::extract::Path(id): axum::extract::Path<Uuid>,
) -> ApiResult<Json<HeldDocument>> {
    held(&state, &caller, Some(id))
        .await?
        .pop()
        .map(Json)
        .ok_or_else(|| ApiError::new(mz_api::ErrorCode::NotFound, "没有这份您可阅读的涉密公文"))
}
