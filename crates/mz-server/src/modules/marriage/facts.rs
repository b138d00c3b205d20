//! What the marriage entries of one push are checked against: the blocks,
//! voided numbers, registrations in force, status checks, calendars and
//! linked marriages, read once in the push's transaction.

use super::*;

/// A registration in force: registered, and not annulled by a court.
#[derive(Debug, Clone)]
pub(super) struct InForce {
    pub(super) record_id: Uuid,
    pub(super) certificate_no: Option<String>,
}

pub(super) fn in_force(data: &MarriageRegistrationData) -> bool {
    data.status == MarriageStatus::Registered && data.annulment.is_none()
}

#[derive(Debug, Clone)]
pub(super) struct CheckRow {
    pub(super) org_unit: String,
    pub(super) documents: String,
    pub(super) clear: bool,
    pub(super) checked_at: i64,
}

/// What the marriage entries of one push are checked against, read once in
/// the push's transaction.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    /// The blocks and voided numbers of the push's series.
    pub(super) numbers: crate::numbers::IssuedNumbers,
    /// Document number → the registrations in force that name it.
    pub(super) married: HashMap<String, Vec<InForce>>,
    pub(super) checks: HashMap<Uuid, CheckRow>,
    /// The published holiday calendars, for the divorce periods.
    pub(crate) calendars: mz_domain::holiday::Calendars,
    /// Marriages named by the divorces of the push, by certificate number.
    pub(crate) marriages: HashMap<String, LinkedMarriage>,
    /// Reissued certificate numbers already on record, and their records.
    pub(super) reissued: HashMap<String, Uuid>,
    /// The marriages of the push that a registered divorce has ended.
    pub(super) dissolved: HashSet<Uuid>,
}

/// A marriage in the registry that a divorce application names.
#[derive(Debug, Clone)]
pub(crate) struct LinkedMarriage {
    pub record_id: Uuid,
    /// Its parties' registry numbers, as [`document_set`] joins them.
    pub documents: String,
    pub in_force: bool,
    /// The registered divorce that dissolved it.
    pub dissolved_by: Option<Uuid>,
}

impl Facts {
    /// Notes a registration this push applied, for the entries after it.
    pub(crate) fn note_applied(&mut self, kind: RecordKind, record_id: Uuid, data: &str) {
        let reissues = match kind {
            RecordKind::MarriageRegistration => {
                serde_json::from_str::<MarriageRegistrationData>(data).map(|d| d.reissues)
            }
            RecordKind::DivorceRegistration => {
                serde_json::from_str::<DivorceRegistrationData>(data).map(|d| d.reissues)
            }
            _ => Ok(Vec::new()),
        };
        for reissue in reissues.unwrap_or_default() {
            self.reissued
                .insert(certificate_key(&reissue.certificate_no), record_id);
        }
        if kind == RecordKind::DivorceRegistration {
            let Ok(divorce) = serde_json::from_str::<DivorceRegistrationData>(data) else {
                return;
            };
            if let (DivorceStatus::Registered, Some(marriage)) =
                (divorce.status, divorce.marriage_record_id)
            {
                for list in self.married.values_mut() {
                    list.retain(|m| m.record_id != marriage);
                }
                self.dissolved.insert(marriage);
                for linked in self.marriages.values_mut() {
                    if linked.record_id == marriage {
                        linked.dissolved_by = Some(record_id);
                    }
                }
            }
            return;
        }
        if kind != RecordKind::MarriageRegistration {
            return;
        }
        let Ok(data) = serde_json::from_str::<MarriageRegistrationData>(data) else {
            return;
        };
        for list in self.married.values_mut() {
            list.retain(|m| m.record_id != record_id);
        }
        if in_force(&data) {
            for party in &data.parties {
                self.married
                    .entry(registry_number(party.doc_type, &party.doc_number))
                    .or_default()
                    .push(InForce {
                        record_id,
                        certificate_no: data.certificate_no.clone(),
                    });
            }
        }
    }
}

/// The registrations in force that name each of `documents` (registry
/// numbers): what the status check answers and what a push is checked against.
pub(super) async fn married_in_force(
    conn: &mut AnyConnection,
    documents: &[String],
) -> ApiResult<HashMap<String, Vec<InForce>>> {
    let mut married: HashMap<String, Vec<InForce>> = HashMap::new();
    for chunk in documents.chunks(400) {
        let sql = format!(
            "SELECT m.doc_number, r.id, r.data FROM marriage_parties m \
             JOIN records r ON r.kind = 'marriage_registration' AND r.id = m.record_id \
             WHERE r.deleted = 0 AND m.doc_number IN ({}) \
             AND NOT EXISTS (SELECT 1 FROM marriage_dissolutions d WHERE d.marriage_id = r.id)",
            placeholders(1, chunk.len())
        );
        let mut query = sqlx::query(crate::db::assembled(sql));
        for doc in chunk {
            query = query.bind(doc.clone());
        }
        for row in query.fetch_all(&mut *conn).await? {
            let doc: String = row.try_get("doc_number")?;
            let id: String = row.try_get("id")?;
            let data: Option<String> = row.try_get("data")?;
            let (Ok(record_id), Some(data)) = (id.parse(), data) else {
                continue;
            };
            let Ok(data) = serde_json::from_str::<MarriageRegistrationData>(&data) else {
                continue;
            };
            if in_force(&data) {
                married.entry(doc).or_default().push(InForce {
                    record_id,
                    certificate_no: data.certificate_no.clone(),
                });
            }
        }
    }
    Ok(married)
}

/// Reads what the marriage and divorce entries of a push need to be decided.
pub(crate) async fn load_facts(
    conn: &mut AnyConnection,
    entries: &[&PushEntry],
) -> ApiResult<Facts> {
    let mut facts = Facts::default();
    let upserts = |kind: RecordKind| {
        entries
            .iter()
            .filter(move |e| e.kind == kind && e.op == Op::Upsert)
            .filter_map(|e| e.data.clone())
    };
    // A body that does not read needs no facts: the module's check refuses
    // that entry with the field that is wrong (`parse_body`), never skips it.
    let bodies: Vec<MarriageRegistrationData> = upserts(RecordKind::MarriageRegistration)
        .filter_map(|d| serde_json::from_value(d).ok())
        .collect();
    let divorces: Vec<DivorceRegistrationData> = upserts(RecordKind::DivorceRegistration)
        .filter_map(|d| serde_json::from_value(d).ok())
        .collect();
    if bodies.is_empty() && divorces.is_empty() {
        return Ok(facts);
    }
    let mut documents: Vec<String> = bodies
        .iter()
        .flat_map(|b| {
            b.parties
                .iter()
                .map(|p| registry_number(p.doc_type, &p.doc_number))
        })
        .collect();
    documents.sort();
    documents.dedup();
    facts.married = married_in_force(conn, &documents).await?;
    let numbers = bodies
        .iter()
        .filter_map(|b| b.certificate_no.as_deref())
        .chain(divorces.iter().filter_map(|d| d.certificate_no.as_deref()))
        .chain(
            bodies
                .iter()
                .flat_map(|b| b.reissues.iter())
                .map(|r| r.certificate_no.as_str()),
        )
        .chain(
            divorces
                .iter()
                .flat_map(|d| d.reissues.iter())
                .map(|r| r.certificate_no.as_str()),
        );
    facts.numbers = crate::numbers::IssuedNumbers::load(conn, numbers).await?;
    for id in bodies.iter().filter_map(|b| b.status_check) {
        let row = sqlx::query(
            "SELECT org_unit, documents, clear, checked_at FROM status_checks WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(row) = row {
            facts.checks.insert(
                id,
                CheckRow {
                    org_unit: row.try_get("org_unit")?,
                    documents: row.try_get("documents")?,
                    clear: row.try_get::<i64, _>("clear")? != 0,
                    checked_at: row.try_get("checked_at")?,
                },
            );
        }
    }
    let mut reissued: Vec<String> = bodies
        .iter()
        .flat_map(|b| b.reissues.iter())
        .chain(divorces.iter().flat_map(|d| d.reissues.iter()))
        .map(|r| certificate_key(&r.certificate_no))
        .collect();
    reissued.sort();
    reissued.dedup();
    facts.reissued = crate::numbers::numbers_on_record(conn, "reissued_numbers", &reissued).await?;
    let reissuing: Vec<String> = entries
        .iter()
        .filter(|e| e.kind == RecordKind::MarriageRegistration && e.op == Op::Upsert)
        .map(|e| e.record_id.to_string())
        .collect();
    for chunk in reissuing.chunks(400) {
        let sql = format!(
            "SELECT marriage_id FROM marriage_dissolutions WHERE marriage_id IN ({})",
            placeholders(1, chunk.len())
        );
        let mut query = sqlx::query(crate::db::assembled(sql));
        for id in chunk {
            query = query.bind(id.clone());
        }
        for row in query.fetch_all(&mut *conn).await? {
            let id: String = row.try_get("marriage_id")?;
            if let Ok(id) = id.parse() {
                facts.dissolved.insert(id);
            }
        }
    }
    if !divorces.is_empty() {
        facts.calendars = crate::modules::load_calendars(conn).await?;
        let mut certificates: Vec<String> = divorces
            .iter()
            .map(|d| certificate_key(&d.marriage_certificate_no))
            .collect();
        certificates.sort();
        certificates.dedup();
        facts.marriages = linked_marriages(conn, &certificates).await?;
    }
    Ok(facts)
}

/// The registered marriages with these certificate numbers, and whether a
/// registered divorce has dissolved each.
pub(super) async fn linked_marriages(
    conn: &mut AnyConnection,
    certificates: &[String],
) -> ApiResult<HashMap<String, LinkedMarriage>> {
    let mut linked = HashMap::new();
    for chunk in certificates.chunks(400) {
        // By the certificate's own number, or by a reissued one.
        let sql = format!(
            "SELECT r.id, r.natural_key AS number, r.data, d.divorce_id FROM records r \
             LEFT JOIN marriage_dissolutions d ON d.marriage_id = r.id \
             WHERE r.kind = 'marriage_registration' AND r.deleted = 0 \
             AND r.natural_key IN ({list}) \
             UNION ALL \
             SELECT r.id, n.number AS number, r.data, d.divorce_id FROM reissued_numbers n \
             JOIN records r ON r.kind = 'marriage_registration' AND r.id = n.record_id \
             LEFT JOIN marriage_dissolutions d ON d.marriage_id = r.id \
             WHERE r.deleted = 0 AND n.number IN ({list})",
            list = placeholders(1, chunk.len())
        );
        let mut query = sqlx::query(crate::db::assembled(sql));
        for number in chunk {
            query = query.bind(number.clone());
        }
        for row in query.fetch_all(&mut *conn).await? {
            let id: String = row.try_get("id")?;
            let number: String = row.try_get("number")?;
            let data: Option<String> = row.try_get("data")?;
            let divorce: Option<String> = row.try_get("divorce_id")?;
            let (Ok(record_id), Some(data)) = (id.parse(), data) else {
                continue;
            };
            let Ok(data) = serde_json::from_str::<MarriageRegistrationData>(&data) else {
                continue;
            };
            let documents: Vec<String> = data
                .parties
                .iter()
                .map(|p| registry_number(p.doc_type, &p.doc_number))
                .collect();
            linked.insert(
                number,
                LinkedMarriage {
                    record_id,
                    documents: document_set(&documents),
                    in_force: in_force(&data),
                    dissolved_by: divorce.and_then(|d| d.parse().ok()),
                },
            );
        }
    }
    Ok(linked)
}
