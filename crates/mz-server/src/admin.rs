//! Administration on the database itself, for the `mz admin` command: the
//! schema and org units, users, devices, the audit check, number blocks and
//! the demo data. Each change is audited with the actor `admin-cli`.

use std::collections::BTreeMap;

use mz_domain::{RegionCode, Role};
use serde_json::json;
use sqlx::Row;
use uuid::Uuid;

use crate::audit::{self, AuditEntry};
use crate::auth::{check_password_policy, hash_password};
use crate::org::{CIVIL_AFFAIRS, FUNERAL_HOME, MARRIAGE_OFFICE};
use crate::{Clock, Db};

/// The divisions of Hunan (GB/T 2260) that ship with the platform.
pub const HUNAN_DIVISIONS: &str = include_str!("../../../assets/divisions/hunan-divisions.csv");

const ACTOR: &str = "admin-cli";

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("the divisions file, line {line}: {reason}")]
    Divisions { line: usize, reason: String },
    #[error("no org unit {0:?}; `mz admin org list` shows them")]
    NoSuchUnit(String),
    #[error("region {region} has several org units; name one of: {units}")]
    AmbiguousUnit { region: String, units: String },
    #[error("a user named {0:?} already exists")]
    UserExists(String),
    #[error("no user named {0:?}")]
    NoSuchUser(String),
    #[error("no device {0:?}")]
    NoSuchDevice(String),
    #[error("{0}")]
    Invalid(String),
    #[error("the database failed")]
    Database(#[from] sqlx::Error),
}

fn audit_entry(action: &'static str, target: String, detail: serde_json::Value) -> AuditEntry {
    AuditEntry {
        actor: ACTOR.to_owned(),
        device_id: None,
        action,
        target,
        detail,
    }
}

/// One row of a divisions file.
#[derive(Debug, Clone, serde::Deserialize)]
struct Division {
    code: String,
    name: String,
    level: String,
    parent_code: Option<String>,
}

fn parse_divisions(csv_text: &str) -> Result<Vec<Division>, AdminError> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let mut rows = Vec::new();
    for (index, record) in reader.deserialize::<Division>().enumerate() {
        let line = index + 2;
        let row = record.map_err(|e| AdminError::Divisions {
            line,
            reason: e.to_string(),
        })?;
        let digits_ok = row.code.chars().all(|c| c.is_ascii_digit());
        if !digits_ok || !(row.code.len() == 6 || row.code.len() == 9) {
            return Err(AdminError::Divisions {
                line,
                reason: format!("bad code {:?}", row.code),
            });
        }
        if !["province", "city", "county", "township"].contains(&row.level.as_str()) {
            return Err(AdminError::Divisions {
                line,
                reason: format!("bad level {:?}", row.level),
            });
        }
        if row.name.trim().is_empty() {
            return Err(AdminError::Divisions {
                line,
                reason: "empty name".to_owned(),
            });
        }
        rows.push(row);
    }
    Ok(rows)
}

/// The org units `init` makes for a region: its civil-affairs body, a
/// marriage registration office per county and a funeral home per city.
fn units_for(division: &Division) -> Vec<(String, String, &'static str)> {
    let name = &division.name;
    match division.level.as_str() {
        "province" => {
            let short = name.trim_end_matches('省');
            vec![(
                format!("{}-civil", division.code),
                format!("{short}省民政厅"),
                CIVIL_AFFAIRS,
            )]
        }
        "city" => vec![
            (
                format!("{}-civil", division.code),
                format!("{name}民政局"),
                CIVIL_AFFAIRS,
            ),
            (
                format!("{}-funeral", division.code),
                format!("{name}殡仪馆"),
                FUNERAL_HOME,
            ),
        ],
        "county" => vec![
            (
                format!("{}-civil", division.code),
                format!("{name}民政局"),
                CIVIL_AFFAIRS,
            ),
            (
                format!("{}-marriage", division.code),
                format!("{name}婚姻登记处"),
                MARRIAGE_OFFICE,
            ),
        ],
        _ => Vec::new(),
    }
}

/// What `init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitReport {
    pub regions: usize,
    pub org_units_added: u64,
}

/// Loads the regions and their org units; running it again adds only what is missing.
pub async fn init(db: &Db, clock: &Clock, divisions_csv: &str) -> Result<InitReport, AdminError> {
    let divisions = parse_divisions(divisions_csv)?;
    let mut tx = db.begin().await?;
    for chunk in divisions.chunks(500) {
        let sql = format!(
            "INSERT INTO regions (code, name, level, parent_code) VALUES {} \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, \
             parent_code = excluded.parent_code",
            crate::db::value_rows(chunk.len(), 4)
        );
        let mut query = sqlx::query(crate::db::assembled(sql));
        for d in chunk {
            query = query
                .bind(d.code.clone())
                .bind(d.name.clone())
                .bind(d.level.clone())
                .bind(d.parent_code.clone().filter(|p| !p.is_empty()));
        }
        query.execute(&mut *tx).await?;
    }
    let mut added = 0;
    for division in &divisions {
        for (code, name, kind) in units_for(division) {
            added += sqlx::query(
                "INSERT INTO org_units (code, region, name, kind) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (code) DO NOTHING",
            )
            .bind(code)
            .bind(division.code.clone())
            .bind(name)
            .bind(kind)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
    }
    if added > 0 {
        let entry = audit_entry(
            "admin.init",
            "org_units".to_owned(),
            json!({ "added": added }),
        );
        audit::append(&mut tx, clock, &[entry]).await?;
    }
    tx.commit().await?;
    Ok(InitReport {
        regions: divisions.len(),
        org_units_added: added,
    })
}

/// Adds an org unit of `kind` to a region, e.g. a second funeral home.
pub async fn add_unit(
    db: &Db,
    clock: &Clock,
    code: &str,
    region: RegionCode,
    name: &str,
    kind: &str,
) -> Result<(), AdminError> {
    let mut tx = db.begin().await?;
    let known: Option<String> = sqlx::query_scalar("SELECT code FROM regions WHERE code = $1")
        .bind(region.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    if known.is_none() {
        return Err(AdminError::Invalid(format!(
            "no region {region}; run mz admin init first"
        )));
    }
    sqlx::query("INSERT INTO org_units (code, region, name, kind) VALUES ($1, $2, $3, $4)")
        .bind(code)
        .bind(region.to_string())
        .bind(name)
        .bind(kind)
        .execute(&mut *tx)
        .await?;
    let entry = audit_entry("admin.org_add", format!("org_unit/{code}"), json!({}));
    audit::append(&mut tx, clock, &[entry]).await?;
    tx.commit().await?;
    Ok(())
}

/// An org unit as listed.
#[derive(Debug, Clone)]
pub struct UnitRow {
    pub code: String,
    pub region: String,
    pub name: String,
    pub kind: String,
}

pub async fn list_units(db: &Db, region: Option<&str>) -> Result<Vec<UnitRow>, AdminError> {
    let rows = sqlx::query(
        "SELECT code, region, name, kind FROM org_units WHERE ($1 IS NULL OR region = $1) ORDER BY code",
    )
    .bind(region.map(str::to_owned))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(UnitRow {
                code: r.try_get("code")?,
                region: r.try_get("region")?,
                name: r.try_get("name")?,
                kind: r.try_get("kind")?,
            })
        })
        .collect()
}

/// Finds the org unit that `--org` names: a unit code, or a region code with one unit.
pub async fn resolve_unit(db: &Db, org: &str) -> Result<String, AdminError> {
    let exact: Option<String> = sqlx::query_scalar("SELECT code FROM org_units WHERE code = $1")
        .bind(org)
        .fetch_optional(&db.pool)
        .await?;
    if let Some(code) = exact {
        return Ok(code);
    }
    let units = list_units(db, Some(org)).await?;
    match units.as_slice() {
        [] => Err(AdminError::NoSuchUnit(org.to_owned())),
        [one] => Ok(one.code.clone()),
        many => Err(AdminError::AmbiguousUnit {
            region: org.to_owned(),
            units: many
                .iter()
                .map(|u| format!("{} ({})", u.code, u.name))
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub org: &'a str,
    /// The section of the unit (内设机构: 办公室, 社会救助处 …), if any.
    pub section: Option<&'a str>,
    pub roles: &'a [Role],
    pub password: &'a str,
}

pub async fn add_user(db: &Db, clock: &Clock, user: NewUser<'_>) -> Result<String, AdminError> {
    let username = user.username.trim();
    if username.is_empty() || username.chars().count() > 64 {
        return Err(AdminError::Invalid(
            "a username has 1 to 64 characters".to_owned(),
        ));
    }
    if user.roles.is_empty() {
        return Err(AdminError::Invalid(
            "give the user at least one --role".to_owned(),
        ));
    }
    check_password_policy(user.password).map_err(AdminError::Invalid)?;
    let section = user.section.map(str::trim).filter(|s| !s.is_empty());
    if section.is_some_and(|s| s.chars().count() > 50) {
        return Err(AdminError::Invalid(
            "a section's name is at most 50 characters".to_owned(),
        ));
    }
    let unit = resolve_unit(db, user.org).await?;
    let hash = hash_password(user.password).map_err(|e| AdminError::Invalid(e.to_string()))?;
    let mut roles: Vec<&str> = user.roles.iter().map(Role::as_str).collect();
    roles.sort_unstable();
    roles.dedup();
    let id = Uuid::now_v7().to_string();
    let now = clock.now_ms();
    let mut tx = db.begin().await?;
    let exists: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_some() {
        return Err(AdminError::UserExists(username.to_owned()));
    }
    sqlx::query(
        "INSERT INTO users (id, username, display_name, org_unit, section, roles, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(username)
    .bind(user.display_name.trim())
    .bind(&unit)
    .bind(section)
    .bind(roles.join(","))
    .bind(hash)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let entry = audit_entry(
        "admin.user_add",
        format!("user/{id}"),
        json!({ "org_unit": unit, "roles": roles }),
    );
    audit::append(&mut tx, clock, &[entry]).await?;
    tx.commit().await?;
    Ok(id)
}

async fn user_id(conn: &mut sqlx::AnyConnection, username: &str) -> Result<String, AdminError> {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AdminError::NoSuchUser(username.to_owned()))
}

/// Sets a new password, unlocks the account and ends its sessions.
pub async fn set_password(
    db: &Db,
    clock: &Clock,
    username: &str,
    password: &str,
) -> Result<(), AdminError> {
    check_password_policy(password).map_err(AdminError::Invalid)?;
    let hash = hash_password(password).map_err(|e| AdminError::Invalid(e.to_string()))?;
    let mut tx = db.begin().await?;
    let id = user_id(&mut tx, username).await?;
    sqlx::query(
        "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE id = $2",
    )
    .bind(hash)
    .bind(&id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    unblock(&mut tx, clock, &id, username, "admin.user_passwd").await?;
    tx.commit().await?;
    Ok(())
}

/// Lifts an account's sign-in blocks and records `action` on it.
async fn unblock(
    tx: &mut sqlx::AnyConnection,
    clock: &Clock,
    id: &str,
    username: &str,
    action: &'static str,
) -> Result<(), AdminError> {
    crate::throttle::clear_account(tx, username)
        .await
        .map_err(|e| AdminError::Invalid(e.message))?;
    audit::append(
        tx,
        clock,
        &[audit_entry(action, format!("user/{id}"), json!({}))],
    )
    .await?;
    Ok(())
}

/// Lifts the sign-in blocks on an account (after the clerk's own mistakes,
/// or a guesser's), from every address; its password stays.
pub async fn unlock_user(db: &Db, clock: &Clock, username: &str) -> Result<(), AdminError> {
    let mut tx = db.begin().await?;
    let id = user_id(&mut tx, username).await?;
    unblock(&mut tx, clock, &id, username, "admin.user_unlock").await?;
    tx.commit().await?;
    Ok(())
}

/// Disables an account; its tokens stop working on the next request.
pub async fn disable_user(db: &Db, clock: &Clock, username: &str) -> Result<(), AdminError> {
    let mut tx = db.begin().await?;
    let id = user_id(&mut tx, username).await?;
    sqlx::query("UPDATE users SET disabled = 1 WHERE id = $1")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        clock,
        &[audit_entry(
            "admin.user_disable",
            format!("user/{id}"),
            json!({}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A user as listed.
#[derive(Debug, Clone)]
pub struct UserRow {
    pub username: String,
    pub display_name: String,
    pub org_unit: String,
    pub roles: String,
    pub disabled: bool,
}

pub async fn list_users(db: &Db) -> Result<Vec<UserRow>, AdminError> {
    let rows = sqlx::query(
        "SELECT username, display_name, org_unit, roles, disabled FROM users ORDER BY username",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(UserRow {
                username: r.try_get("username")?,
                display_name: r.try_get("display_name")?,
                org_unit: r.try_get("org_unit")?,
                roles: r.try_get("roles")?,
                disabled: r.try_get::<i64, _>("disabled")? != 0,
            })
        })
        .collect()
}

/// A device as listed.
#[derive(Debug, Clone)]
pub struct DeviceRow {
    pub id: String,
    pub name: String,
    pub last_user: Option<String>,
    pub last_seen: i64,
    pub revoked: bool,
}

pub async fn list_devices(db: &Db) -> Result<Vec<DeviceRow>, AdminError> {
    let rows = sqlx::query(
        "SELECT d.id, d.name, u.username AS last_user, d.last_seen, d.revoked_at FROM devices d \
         LEFT JOIN users u ON u.id = d.last_user ORDER BY d.last_seen DESC",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DeviceRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                last_user: r.try_get("last_user")?,
                last_seen: r.try_get("last_seen")?,
                revoked: r.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
            })
        })
        .collect()
}

/// Revokes a device: its sessions stop working now and it cannot sign in
/// again. The sessions are kept, refused with `device_revoked`, so that the
/// device learns it was revoked and wipes its local data.
pub async fn revoke_device(db: &Db, clock: &Clock, device_id: &str) -> Result<(), AdminError> {
    let now = clock.now_ms();
    let mut tx = db.begin().await?;
    let updated =
        sqlx::query("UPDATE devices SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(device_id)
            .execute(&mut *tx)
            .await?;
    if updated.rows_affected() == 0 {
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM devices WHERE id = $1")
            .bind(device_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(AdminError::NoSuchDevice(device_id.to_owned()));
        }
        return Ok(());
    }
    audit::append(
        &mut tx,
        clock,
        &[audit_entry(
            "admin.device_revoke",
            format!("device/{device_id}"),
            json!({}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives the change feed a new epoch, after the database was restored from
/// a backup: every client then pulls afresh (keeping its outbox), instead of
/// skipping the changes it had seen past the backup's point. Returns it.
pub async fn new_epoch(db: &Db, clock: &Clock) -> Result<String, AdminError> {
    let mut bytes = [0_u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let epoch = hex::encode(bytes);
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE counters SET hash = $1 WHERE name = 'epoch'")
        .bind(&epoch)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        clock,
        &[audit_entry(
            "admin.feed_epoch",
            "feed".to_owned(),
            json!({ "epoch": epoch }),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(epoch)
}

/// The password every demo account has.
pub const DEMO_PASSWORD: &str = "demo-2026";

/// The demo accounts: one per role, at units of 长沙市 and the department.
/// The sections (内设机构) the department's demo users work in.
pub const DEMO_SECTIONS: &[(&str, &str)] = &[
    ("office_staff", "办公室"),
    ("secretary", "办公室"),
    ("secretary2", "办公室"),
    ("relief", "社会救助处"),
    ("leader", "厅领导"),
    ("deputy1", "厅领导"),
    ("deputy2", "厅领导"),
    ("deputy3", "厅领导"),
    ("discipline", "厅领导"),
    ("city_office", "办公室"),
];

pub const DEMO_USERS: &[(&str, &str, &str, Role)] = &[
    (
        "registrar",
        "芙蓉区登记员",
        "430102-marriage",
        Role::Registrar,
    ),
    (
        "marriage_head",
        "芙蓉区婚姻登记处负责人",
        "430102-marriage",
        Role::MarriageHead,
    ),
    (
        "funeral_desk",
        "长沙市殡仪馆业务员",
        "430100-funeral",
        Role::FuneralDesk,
    ),
    (
        "funeral_head",
        "长沙市殡仪馆馆长",
        "430100-funeral",
        Role::FuneralHead,
    ),
    (
        "office_staff",
        "厅办公室工作人员",
        "430000-civil",
        Role::OfficeStaff,
    ),
    ("secretary", "李晓（秘书）", "430000-civil", Role::Secretary),
    (
        "secretary2",
        "赵敏（秘书）",
        "430000-civil",
        Role::Secretary,
    ),
    (
        "relief",
        "王建军（社会救助处）",
        "430000-civil",
        Role::OfficeStaff,
    ),
    (
        "city_office",
        "长沙市民政局办公室",
        "430100-civil",
        Role::OfficeStaff,
    ),
    ("leader", "周志远", "430000-civil", Role::Leader),
    ("deputy1", "陈立华", "430000-civil", Role::Leader),
    ("deputy2", "刘建新", "430000-civil", Role::Leader),
    ("deputy3", "杨秀梅", "430000-civil", Role::Leader),
    ("discipline", "吴国平", "430000-civil", Role::Leader),
    ("admin", "系统管理员", "430000-civil", Role::Admin),
];

/// The 2026 calendar as published by the State Council, and the fixed-date
/// holidays of 2027 until its notice is out: data, in assets/demo.
pub const DEMO_CALENDARS: &str = include_str!("../../../assets/demo/holiday-calendars.json");

pub fn demo_calendars() -> Result<Vec<mz_api::records::HolidayCalendarData>, AdminError> {
    serde_json::from_str(DEMO_CALENDARS)
        .map_err(|e| AdminError::Invalid(format!("assets/demo/holiday-calendars.json: {e}")))
}

/// Adds the demo accounts, the holiday calendars, the demo marriage
/// office's records and the demo funeral home's, once. Returns the usernames it created.
pub async fn seed_demo(db: &Db, clock: &Clock) -> Result<Vec<String>, AdminError> {
    init(db, clock, HUNAN_DIVISIONS).await?;
    let existing: BTreeMap<String, ()> = list_users(db)
        .await?
        .into_iter()
        .map(|u| (u.username, ()))
        .collect();
    let mut created = Vec::new();
    for (username, name, unit, role) in DEMO_USERS {
        if existing.contains_key(*username) {
            continue;
        }
        let user = NewUser {
            username,
            display_name: name,
            org: unit,
            section: DEMO_SECTIONS
                .iter()
                .find(|(u, _)| u == username)
                .map(|(_, s)| *s),
            roles: &[*role],
            password: DEMO_PASSWORD,
        };
        add_user(db, clock, user).await?;
        created.push((*username).to_owned());
    }
    seed_calendars(db, clock).await?;
    crate::demo::seed_marriage_office(db, clock).await?;
    crate::demo::funeral::seed_funeral_home(db, clock).await?;
    crate::demo::schedule::seed_schedule(db, clock).await?;
    crate::demo::office::seed_office(db, clock).await?;
    crate::demo::library::seed_library(db, clock).await?;
    Ok(created)
}

/// Publishes the holiday calendars that ship with mz (assets/demo) through
/// the same path as a push from an administrator's device (`admin-cli`), so
/// the feed, the records and the audit log get them exactly as they would
/// any change. Running it again replays the stored outcomes and applies
/// nothing twice.
pub async fn seed_calendars(db: &Db, clock: &Clock) -> Result<(), AdminError> {
    let (unit, region) = crate::org::root_unit(&db.pool)
        .await?
        .ok_or_else(|| AdminError::Invalid("no province unit; run init first".to_owned()))?;
    let caller = crate::auth::Caller {
        user_id: ACTOR.to_owned(),
        username: ACTOR.to_owned(),
        display_name: ACTOR.to_owned(),
        roles: vec![Role::Admin],
        org_unit: unit.clone(),
        org_unit_name: unit,
        region: region
            .parse()
            .map_err(|_| AdminError::Invalid(format!("bad province region {region:?}")))?,
        device_id: ACTOR.to_owned(),
        session_id: String::new(),
    };
    let entries = demo_calendars()?
        .into_iter()
        .zip(1..)
        .map(|(calendar, device_seq)| {
            Ok(mz_api::sync::PushEntry {
                device_seq,
                kind: mz_api::records::RecordKind::HolidayCalendar,
                record_id: Uuid::now_v7(),
                op: mz_api::sync::Op::Upsert,
                base_version: 0,
                data: Some(
                    serde_json::to_value(calendar)
                        .map_err(|e| AdminError::Invalid(e.to_string()))?,
                ),
            })
        })
        .collect::<Result<Vec<_>, AdminError>>()?;
    let mut state = crate::AppState::new(db.clone());
    state.clock = clock.clone();
    crate::sync::apply_push(&state, &caller, entries, crate::sync::History::Live)
        .await
        .map_err(|e| AdminError::Invalid(e.message))?;
    Ok(())
}
