//! The registry's indexes, kept in step with the records a push writes:
//! the documents each marriage names, the marriages a divorce dissolved, the
//! reissued certificate numbers.

use super::*;

/// Keeps the registry in step with the records written: the documents each
/// marriage names, and which marriages a registered divorce dissolved.
pub(crate) async fn index_parties(
    conn: &mut AnyConnection,
    written: &[(RecordKind, Uuid, Option<&str>)],
) -> ApiResult<()> {
    for (kind, id, data) in written {
        if matches!(
            kind,
            RecordKind::MarriageRegistration | RecordKind::DivorceRegistration
        ) {
            index_reissues(conn, *kind, *id, *data).await?;
        }
        match kind {
            RecordKind::MarriageRegistration => {
                sqlx::query("DELETE FROM marriage_parties WHERE record_id = $1")
                    .bind(id.to_string())
                    .execute(&mut *conn)
                    .await?;
                let Some(data) = data
                    .map(stored_body::<MarriageRegistrationData>)
                    .transpose()
                    .map_err(|refusal| ApiError::internal(&refusal.reason))?
                else {
                    continue;
                };
                let mut documents: Vec<String> = data
                    .parties
                    .iter()
                    .map(|p| registry_number(p.doc_type, &p.doc_number))
                    .collect();
                documents.sort();
                documents.dedup();
                for doc in documents {
                    sqlx::query(
                        "INSERT INTO marriage_parties (doc_number, record_id) VALUES ($1, $2)",
                    )
                    .bind(doc)
                    .bind(id.to_string())
                    .execute(&mut *conn)
                    .await?;
                }
            }
            RecordKind::DivorceRegistration => {
                sqlx::query("DELETE FROM marriage_dissolutions WHERE divorce_id = $1")
                    .bind(id.to_string())
                    .execute(&mut *conn)
                    .await?;
                let dissolved = data
                    .map(stored_body::<DivorceRegistrationData>)
                    .transpose()
                    .map_err(|refusal| ApiError::internal(&refusal.reason))?
                    .filter(|d| d.status == DivorceStatus::Registered)
                    .and_then(|d| d.marriage_record_id);
                if let Some(marriage) = dissolved {
                    sqlx::query(
                        "INSERT INTO marriage_dissolutions (marriage_id, divorce_id) VALUES ($1, $2)",
                    )
                    .bind(marriage.to_string())
                    .bind(id.to_string())
                    .execute(&mut *conn)
                    .await?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Keeps `reissued_numbers` in step with a record's reissues.
pub(super) async fn index_reissues(
    conn: &mut AnyConnection,
    kind: RecordKind,
    id: Uuid,
    data: Option<&str>,
) -> ApiResult<()> {
    sqlx::query("DELETE FROM reissued_numbers WHERE record_id = $1")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    let reissues = match (kind, data) {
        (RecordKind::MarriageRegistration, Some(d)) => {
            serde_json::from_str::<MarriageRegistrationData>(d).map(|b| b.reissues)
        }
        (RecordKind::DivorceRegistration, Some(d)) => {
            serde_json::from_str::<DivorceRegistrationData>(d).map(|b| b.reissues)
        }
        _ => Ok(Vec::new()),
    };
    for reissue in reissues.unwrap_or_default() {
        sqlx::query("INSERT INTO reissued_numbers (number, record_id) VALUES ($1, $2)")
            .bind(certificate_key(&reissue.certificate_no))
            .bind(id.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
