//! The demo's document library: the department office's guides for the
//! counters, a form and a note on official documents, written for the demo
//! (not the text of any law), each a plain-text file uploaded by the
//! office's clerk; the counter guide has a second version. Seeded once.

use mz_api::library::{LibraryItemData, LibraryKind, LibraryVersion};
use mz_api::office::Person;
use mz_api::records::RecordKind;
use mz_api::sync::{Op, PushEntry};
use mz_domain::blob::BlobRef;
use uuid::Uuid;

use super::invalid;
use crate::admin::AdminError;
use crate::sync::History;
use crate::{AppState, Clock, Db};

const IMPORT_DEVICE: &str = "01900000-0000-7000-8000-000000000de5";

/// Title, kind, category, issuer, number, and the text of each version
/// (oldest first) with what it changed.
type Item = (
    &'static str,
    LibraryKind,
    &'static [&'static str],
    &'static str,
    &'static [(&'static str, &'static str)],
);

const ITEMS: &[Item] = &[
    (
        "婚姻登记窗口服务指南",
        LibraryKind::Department,
        &["婚姻登记", "窗口服务"],
        "湖南省民政厅办公室",
        &[
            (
                "婚姻登记窗口服务指南\n\
                 一、办理结婚登记，男女双方应当共同到婚姻登记机关当面申请，出示本人身份证件，签署无配偶及无禁止结婚亲属关系的声明。\n\
                 二、登记员当面核对双方身份，男方年满二十二周岁、女方年满二十周岁方可登记。\n\
                 三、登记前通过婚姻状况查询核实双方婚姻状况，有配偶的不予登记并出具不予登记告知书。",
                "",
            ),
            (
                "婚姻登记窗口服务指南（2025年修订）\n\
                 一、自2025年5月10日起，内地居民结婚登记、离婚登记在全国范围内任一婚姻登记机关均可办理，不再查验户口簿。\n\
                 二、办理结婚登记，男女双方应当共同到婚姻登记机关当面申请，出示本人身份证件，签署无配偶及无禁止结婚亲属关系的声明。\n\
                 三、登记员当面核对双方身份，男方年满二十二周岁、女方年满二十周岁方可登记。\n\
                 四、登记前通过婚姻状况查询核实双方婚姻状况，有配偶的不予登记并出具不予登记告知书。\n\
                 五、协议离婚设三十日离婚冷静期，期满后三十日内双方共同到场申请发给离婚证。",
                "增加全国通办和离婚冷静期的办理要点",
            ),
        ],
    ),
    (
        "殡仪馆业务窗口工作规范",
        LibraryKind::Department,
        &["殡葬服务"],
        "湖南省民政厅办公室",
        &[(
            "殡仪馆业务窗口工作规范\n\
             一、接运遗体前核验居民死亡医学证明，登记逝者身份和丧事承办人信息。\n\
             二、火化前核验逝者身份证件、死亡证明、遗体火化确认书和丧事承办人身份证件，材料不全的不得火化。\n\
             三、火化证明按开具、领取、登记、核销、备查管理，存根留存备查。\n\
             四、基本殡葬服务费用按减免政策办理，减免的项目和金额在收费单上逐项列明。",
            "",
        )],
    ),
    (
        "结婚登记声明书（样式）",
        LibraryKind::Template,
        &["婚姻登记", "表格样式"],
        "湖南省民政厅办公室",
        &[(
            "申请结婚登记声明书\n\
             本人声明：本人无配偶，与对方当事人没有直系血亲和三代以内旁系血亲关系，本人依法自愿结婚。\n\
             本人上述声明完全真实，如有虚假，愿意承担法律责任。\n\
             声明人（签名）：          年    月    日",
            "",
        )],
    ),
    (
        "公文格式要点",
        LibraryKind::Policy,
        &["公文处理"],
        "湖南省民政厅办公室",
        &[(
            "公文格式要点\n\
             一、公文用纸采用A4型纸，版心尺寸为156毫米×225毫米。\n\
             二、正文一般用3号仿宋体字，一般每面排22行，每行排28个字。\n\
             三、发文字号由发文机关代字、年份和发文顺序号组成，年份用六角括号括入。\n\
             四、涉密公文标注份号、密级和保密期限。",
            "",
        )],
    ),
];

/// Seeds the demo library once: nothing happens when it has items.
/// Returns how many were written.
pub async fn seed_library(db: &Db, clock: &Clock) -> Result<usize, AdminError> {
    let who = super::Importer {
        kind: RecordKind::LibraryItem.as_str(),
        username: "office_staff",
        roles: vec![mz_domain::Role::OfficeStaff],
        unit: ("430000-civil", "湖南省民政厅"),
        region: "430000",
        device: IMPORT_DEVICE,
    };
    let Some(mut caller) = super::importer(db, who).await? else {
        return Ok(0);
    };
    // The versions are the clerk's own: in their name.
    caller.display_name = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
        .bind(&caller.user_id)
        .fetch_one(&db.pool)
        .await?;
    let by = Person {
        user_id: caller.user_id.clone(),
        name: caller.display_name.clone(),
    };
    let now = mz_domain::holiday::china_time(crate::clock::to_datetime(clock.now_ms()));
    let mut state = AppState::new(db.clone());
    state.clock = clock.clone();
    let mut entries = Vec::new();
    let mut seq = 0;
    for (title, kind, category, issuer, texts) in ITEMS {
        let id = Uuid::now_v7();
        let mut versions = Vec::new();
        for (n, (text, change)) in texts.iter().enumerate() {
            let bytes = text.as_bytes();
            let file = BlobRef::of("text/plain", bytes);
            sqlx::query(
                "INSERT INTO blobs (sha256, media_type, size, data, uploaded_by, uploaded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
            )
            .bind(&file.sha256)
            .bind(&file.media_type)
            .bind(bytes.len() as i64)
            .bind(bytes.to_vec())
            .bind(&caller.user_id)
            .bind(clock.now_ms())
            .execute(&db.pool)
            .await?;
            let days = (texts.len() - n) as i64 * 30;
            versions.push(LibraryVersion {
                file,
                file_name: format!("{}.txt", text.lines().next().unwrap_or(title)),
                change: (*change).to_owned(),
                by: by.clone(),
                at: now - chrono::Duration::days(days),
            });
            let item = LibraryItemData {
                title: (*title).to_owned(),
                kind: *kind,
                category: category.iter().map(|c| (*c).to_owned()).collect(),
                issuer: (*issuer).to_owned(),
                doc_number: String::new(),
                versions: versions.clone(),
                text: mz_text::extract(mz_domain::blob::MediaType::Text, bytes).map_err(invalid)?,
            };
            seq += 1;
            entries.push(PushEntry {
                device_seq: seq,
                kind: RecordKind::LibraryItem,
                record_id: id,
                op: Op::Upsert,
                // Each version changes the one before it.
                base_version: n as i64,
                data: Some(serde_json::to_value(&item).map_err(invalid)?),
            });
        }
    }
    // Each version is a push of its own: the second changes the first.
    let mut written = 0;
    for entry in entries {
        written += super::push_all(&state, &caller, vec![entry], History::Live).await?;
    }
    Ok(written)
}
