//! The leadership schedule on the platform: the rules an activity must meet
//! at push, and who may read it.
//!
//! An activity's own rules are the kind's, as the desk ran them; then what
//! only the platform knows: its leaders are the department's, a secretary
//! keeps only the leaders they serve, and a leader is in one place at a
//! time — an activity that overlaps another of one of its leaders is
//! refused unless it carries the reason it stands anyway (two secretaries
//! who booked one leader offline meet here). Its audience follows its
//! visibility: the whole department (public), the office (internal), or its
//! leaders and their secretaries alone (confidential) — filtered in every
//! pull, history and file read, never only in the window.

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use mz_api::ErrorCode;
use mz_api::records::RecordKind;
use mz_api::schedule::{ActivityData, AwayData, ScheduleSetupData};
use mz_api::sync::{Op, PushEntry};
use mz_domain::Role;
use mz_domain::schedule::Visibility;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::ApiResult;

mod feed;
use crate::modules::{
    Audience, CheckContext, Checked, Module, Owner, PushRules, Rejection, Written, kind_rules,
    parse_body, refused_for, stored_body, to_stored,
};

/// The leaders' activities and the setup they are checked against.
#[derive(Debug)]
pub struct Schedule;

impl Module for Schedule {
    fn name(&self) -> &'static str {
        "schedule"
    }

    fn kinds(&self) -> &'static [RecordKind] {
        &[
            RecordKind::ScheduleSetup,
            RecordKind::ScheduleActivity,
            RecordKind::AwayReport,
            RecordKind::ScheduleWeek,
        ]
    }

    fn routes(&self) -> axum::Router<crate::AppState> {
        use axum::routing::{delete, get};
        axum::Router::new()
            .route("/schedule/feeds", get(feed::list).post(feed::create))
            .route("/schedule/feeds/{id}", delete(feed::revoke))
            .route("/schedule/feed/{token}", get(feed::fetch))
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        <ScheduleApi as utoipa::OpenApi>::openapi()
    }

    fn prepare<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        caller: &'a crate::auth::Caller,
        entries: &'a [&'a PushEntry],
    ) -> BoxFuture<'a, ApiResult<Box<dyn PushRules>>> {
        async move {
            let activities = entries
                .iter()
                .any(|e| e.kind == RecordKind::ScheduleActivity && e.op == Op::Upsert);
            let aways = entries
                .iter()
                .any(|e| e.kind == RecordKind::AwayReport && e.op == Op::Upsert);
            let setup = setup(conn, &caller.org_unit).await?;
            let (others, calendars) = if activities {
                (
                    crate::modules::unit_records(conn, &caller.org_unit, "schedule_activity")
                        .await?,
                    crate::modules::load_calendars(conn).await?,
                )
            } else {
                (Vec::new(), mz_domain::holiday::Calendars::default())
            };
            let away = if aways {
                crate::modules::unit_records(conn, &caller.org_unit, "away_report")
                    .await?
                    .into_iter()
                    .map(|(id, data, _)| (id, data))
                    .collect()
            } else {
                Vec::new()
            };
            Ok(Box::new(Rules {
                setup,
                others,
                away,
                calendars,
            }) as Box<dyn PushRules>)
        }
        .boxed()
    }
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(feed::create, feed::list, feed::revoke, feed::fetch),
    tags((name = "schedule", description = "the leaders' phone feeds")),
    components(schemas(
        mz_api::schedule::ScheduleSetupData,
        mz_api::schedule::ActivityData,
        mz_api::schedule::FeedRequest,
        mz_api::schedule::Feed,
        mz_api::schedule::NewFeed,
    ))
)]
struct ScheduleApi;

struct Rules {
    /// The caller's unit's setup (its leaders and secretaries).
    setup: ScheduleSetupData,
    /// The unit's live activities (the push's own added as they apply), with
    /// their audience as stored.
    others: Vec<(Uuid, ActivityData, Option<String>)>,
    /// The unit's live away reports.
    away: Vec<(Uuid, AwayData)>,
    /// The published holiday calendars (a series skips rest days).
    calendars: mz_domain::holiday::Calendars,
}

impl Rules {
    /// A secretary keeps only the leaders they serve; the office keeps all.
    fn keeps<'a>(
        &self,
        caller: &crate::auth::Caller,
        leaders: impl IntoIterator<Item = &'a String>,
        field: &str,
    ) -> Result<(), Rejection> {
        match self.setup.not_kept(&caller.user_id, &caller.roles, leaders) {
            Some(message) => Err(Rejection::new(ErrorCode::Forbidden, message, Some(field))),
            None => Ok(()),
        }
    }

    /// An away report: its leader and stand-in the department's, kept by
    /// the office or the leader's secretary; the principal and the
    /// executive deputy not both away unless the reason is written. The
    /// office reads it (internal).
    fn check_away(
        &self,
        id: Uuid,
        data: serde_json::Value,
        ctx: &CheckContext<'_>,
    ) -> Result<Checked, Rejection> {
        parse_body::<AwayData>(data.clone())?;
        let body: AwayData = parse_body(kind_rules(RecordKind::AwayReport, data)?)?;
        let previous: Option<AwayData> = ctx.current.map(stored_body).transpose()?;
        for (field, who) in [
            ("data.leader", Some(&body.leader)),
            ("data.stand_in", body.stand_in.as_ref()),
        ] {
            if let Some(who) = who
                && self.setup.leader(who).is_none()
            {
                return Err(Rejection::rule(
                    field,
                    format!("{who} 不在本单位的领导名单中"),
                ));
            }
        }
        self.keeps(
            ctx.caller,
            std::iter::once(&body.leader).chain(previous.as_ref().map(|p| &p.leader)),
            "data.leader",
        )?;
        if body.override_reason.is_none() {
            let others = self
                .away
                .iter()
                .filter(|(other, _)| *other != id)
                .map(|(_, d)| d);
            if let Some(other) = mz_api::schedule::both_heads_away(&body, others, &self.setup) {
                let name = self
                    .setup
                    .leader(&other.leader)
                    .map_or("", |l| l.name.as_str());
                return Err(Rejection::rule(
                    "data.from",
                    format!(
                        "{name}同期外出：主要负责人与常务副职不能同时外出；如确需外出，请写明理由"
                    ),
                ));
            }
        }
        Ok(Checked {
            data: to_stored(&body)?,
            natural_key: None,
            owner: Owner::Maker,
            audience: Some(office()),
        })
    }

    fn check_activity(
        &self,
        id: Uuid,
        data: serde_json::Value,
        ctx: &CheckContext<'_>,
    ) -> Result<Checked, Rejection> {
        parse_body::<ActivityData>(data.clone())?;
        let body: ActivityData = parse_body(kind_rules(RecordKind::ScheduleActivity, data)?)?;
        let previous: Option<ActivityData> = ctx.current.map(stored_body).transpose()?;
        refused_for(mz_api::schedule::check_activity_change(
            previous.as_ref(),
            &body,
        ))?;
        if let Some(unknown) = body.leaders.iter().find(|l| self.setup.leader(l).is_none()) {
            return Err(Rejection::rule(
                "data.leaders",
                format!("{unknown} 不在本单位的领导名单中"),
            ));
        }
        // A secretary keeps the leaders they serve, before and after.
        let caller = ctx.caller;
        self.keeps(
            caller,
            body.leaders
                .iter()
                .chain(previous.iter().flat_map(|p| p.leaders.iter())),
            "data.leaders",
        )?;
        // A changed occurrence stands in for a day of a series the caller may
        // read and keep; a series happens at least once.
        let rest = |d| self.calendars.is_rest_day_planned(d);
        let series = body.occurrence_of.as_ref().and_then(|of| {
            self.others
                .iter()
                .find(|(other, _, audience)| {
                    *other == of.series && crate::sync::in_audience(audience.as_deref(), caller)
                })
                .map(|(_, data, _)| data)
        });
        if let Some(series) = series.filter(|s| s.repeat.is_some()) {
            self.keeps(caller, series.leaders.iter(), "data.occurrence_of")?;
        }
        refused_for(mz_api::schedule::series_issues(&body, series, &rest))?;
        // An overlap is settled when an activity is placed or moved.
        let moved = mz_api::schedule::placed_or_moved(previous.as_ref(), &body);
        if moved && body.override_reason.is_none() {
            self.no_overlap(id, &body, caller)?;
        }
        let natural_key = body
            .occurrence_of
            .as_ref()
            .map(|o| format!("occurrence:{}:{}", o.series, o.start));
        let audience = audience(&body, &self.setup);
        Ok(Checked {
            data: to_stored(&body)?,
            natural_key,
            owner: Owner::Maker,
            audience,
        })
    }

    /// A leader in one place at a time, over every occurrence of a series:
    /// the first clash refused, the other activity named only when the
    /// caller may read it.
    fn no_overlap(
        &self,
        id: Uuid,
        body: &ActivityData,
        caller: &crate::auth::Caller,
    ) -> Result<(), Rejection> {
        let rest = |d| self.calendars.is_rest_day_planned(d);
        let window = mz_api::schedule::whole_span(body, &rest)
            .map_err(|m| Rejection::rule("data.repeat.rule", m))?;
        let mut set: Vec<(Uuid, &ActivityData)> = self
            .others
            .iter()
            .filter(|(other, _, _)| *other != id)
            .map(|(other, data, _)| (*other, data))
            .collect();
        set.push((id, body));
        let all = mz_api::schedule::occurrences(&set, window, &rest).map_err(|(record, m)| {
            Rejection::new(
                ErrorCode::Internal,
                format!("已存的活动 {record} 的重复规则无法展开：{m}"),
                None,
            )
        })?;
        let (mine, theirs): (Vec<_>, Vec<_>) = all.into_iter().partition(|o| o.id == id);
        let Some((one, first)) = mz_api::schedule::first_overlap(&mine, &theirs) else {
            return Ok(());
        };
        let leader = first
            .activity
            .leaders
            .iter()
            .find(|l| body.leaders.contains(l))
            .and_then(|l| self.setup.leader(l))
            .map_or("", |l| l.name.as_str());
        let readable = self.others.iter().any(|(other, _, audience)| {
            *other == first.id && crate::sync::in_audience(audience.as_deref(), caller)
        });
        let what = if readable {
            format!("“{}”", first.activity.content)
        } else {
            "另一项活动".to_owned()
        };
        Err(Rejection::rule(
            "data.when",
            format!(
                "{leader}在 {} 已有{what}：同一时间不能在两处；如确需安排，请写明理由",
                one.when.span().0.format("%Y-%m-%d %H:%M")
            ),
        ))
    }
}

/// Who may read an activity: the department (none named), the office, or
/// its leaders and their secretaries.
fn audience(body: &ActivityData, setup: &ScheduleSetupData) -> Option<Audience> {
    match body.visibility {
        Visibility::Public => None,
        Visibility::Internal => Some(office()),
        Visibility::Confidential => Some(Audience {
            users: body
                .leaders
                .iter()
                .cloned()
                .chain(setup.secretaries_of(&body.leaders).map(str::to_owned))
                .collect(),
            roles: Vec::new(),
        }),
    }
}

/// The office: its staff, the secretaries and the leaders.
fn office() -> Audience {
    Audience {
        users: Vec::new(),
        roles: vec![Role::OfficeStaff, Role::Secretary, Role::Leader],
    }
}

impl PushRules for Rules {
    fn check(
        &self,
        kind: RecordKind,
        id: Uuid,
        data: serde_json::Value,
        ctx: &CheckContext<'_>,
    ) -> Result<Checked, Rejection> {
        match kind {
            RecordKind::ScheduleActivity => self.check_activity(id, data, ctx),
            RecordKind::AwayReport => self.check_away(id, data, ctx),
            RecordKind::ScheduleWeek => {
                parse_body::<mz_api::schedule::WeekTableData>(data.clone())?;
                let mut body: mz_api::schedule::WeekTableData =
                    parse_body(kind_rules(RecordKind::ScheduleWeek, data)?)?;
                // Submitted under the submitter's own name (kept when the head
                // approves it); published only by the office head, under theirs.
                let previous: Option<mz_api::schedule::WeekTableData> =
                    ctx.current.map(stored_body).transpose()?;
                body.by = match previous {
                    Some(p) if body.approved_by.is_some() && p.approved_by.is_none() => p.by,
                    _ => ctx.caller.display_name.clone(),
                };
                if body.approved_by.is_some() {
                    match &self.setup.office_head {
                        Some(head) if *head == ctx.caller.user_id => {
                            body.approved_by = Some(ctx.caller.display_name.clone());
                        }
                        Some(_) => {
                            return Err(Rejection::new(
                                ErrorCode::Forbidden,
                                "安排表须由办公室主任审核发布：请提交审核",
                                Some("data.approved_by"),
                            ));
                        }
                        None => {
                            return Err(Rejection::rule(
                                "data.approved_by",
                                "尚未指定办公室主任：请先在领导名单设置中指定，由其审核发布",
                            ));
                        }
                    }
                }
                Ok(Checked {
                    natural_key: Some(format!("week:{}:{}", ctx.caller.org_unit, body.monday)),
                    data: to_stored(&body)?,
                    owner: Owner::Maker,
                    audience: None,
                })
            }
            RecordKind::ScheduleSetup => {
                parse_body::<ScheduleSetupData>(data.clone())?;
                let body: ScheduleSetupData =
                    parse_body(kind_rules(RecordKind::ScheduleSetup, data)?)?;
                // The office head is handed over by the head, never taken.
                let previous: Option<ScheduleSetupData> =
                    ctx.current.map(stored_body).transpose()?;
                let head = previous.and_then(|p| p.office_head);
                if head.is_some()
                    && body.office_head != head
                    && head.as_deref() != Some(ctx.caller.user_id.as_str())
                {
                    return Err(Rejection::new(
                        ErrorCode::Forbidden,
                        "只有办公室主任本人能更换办公室主任",
                        Some("data.office_head"),
                    ));
                }
                Ok(Checked {
                    data: to_stored(&body)?,
                    natural_key: Some(format!("schedule:{}", ctx.caller.org_unit)),
                    owner: Owner::Maker,
                    audience: None,
                })
            }
            other => Err(Rejection::new(
                ErrorCode::Internal,
                format!("the schedule module does not own {other}"),
                None,
            )),
        }
    }

    fn is_final(&self, _kind: RecordKind, _data: &str) -> Result<bool, Rejection> {
        Ok(false)
    }

    fn note_applied(&mut self, record: &Written<'_>) {
        match (record.kind, record.data) {
            (RecordKind::ScheduleSetup, Some(data)) => match serde_json::from_str(data) {
                Ok(setup) => self.setup = setup,
                Err(_) => {
                    tracing::error!(record = %record.id, "a schedule setup written by this push does not read back")
                }
            },
            (RecordKind::ScheduleActivity, data) => {
                self.others.retain(|(id, _, _)| *id != record.id);
                if let Some(Ok(activity)) = data.map(serde_json::from_str::<ActivityData>) {
                    let audience = audience(&activity, &self.setup).map(|a| a.stored());
                    self.others.push((record.id, activity, audience));
                }
            }
            (RecordKind::AwayReport, data) => {
                self.away.retain(|(id, _)| *id != record.id);
                if let Some(Ok(away)) = data.map(serde_json::from_str::<AwayData>) {
                    self.away.push((record.id, away));
                }
            }
            _ => {}
        }
    }
}

/// The setup of unit `unit` (empty when it has none).
async fn setup(conn: &mut AnyConnection, unit: &str) -> ApiResult<ScheduleSetupData> {
    let key = format!("schedule:{unit}");
    Ok(
        crate::modules::live_by_key(conn, RecordKind::ScheduleSetup, &key)
            .await?
            .unwrap_or_default(),
    )
}
