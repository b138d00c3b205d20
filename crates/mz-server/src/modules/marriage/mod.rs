//! The marriage counter on the platform: the marital-status check, and the
//! rules a `marriage_registration` record must meet before a push applies it.
//!
//! A client that skips a step is refused here, with the reason: the parties
//! must meet the conditions of the Civil Code ([`mz_domain::marriage`]); a
//! registration is final only with a clear status check that this office
//! made for exactly these two documents on the day of registration; its
//! certificate number must come from a block this office holds, never voided
//! and never used by another record; and neither party may be married in a
//! registration in force — checked again inside the push, so two counters
//! working on the same person at once cannot both succeed.

use std::collections::{HashMap, HashSet};

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use mz_api::marriage::{
    CheckPurpose, FiguresQuery, MAX_CHECKS_PER_DAY, OfficeFigures, PersonStatus, StatusCheckEntry,
    StatusCheckRequest, StatusCheckResponse, StatusChecksQuery,
};
use mz_api::records::{
    DivorceRegistrationData, DivorceStatus, MarriageRegistrationData, MarriageStatus, RecordKind,
};
use mz_api::sync::{Op, PushEntry};
use mz_api::{ErrorBody, ErrorCode};
use mz_domain::access::widest_scope;
use mz_domain::marriage::DocumentType;
use mz_domain::numbering::CertificatePrefix;
use mz_domain::{Action, IdNumber, Resource, Scope, SequenceKey};
use serde_json::json;
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::AppState;
use crate::audit;
use crate::auth::Caller;
use crate::db::placeholders;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::modules::{CheckContext, Module, Owner, PushRules, Written, parse_body, stored_body};

pub(crate) use crate::clock::china_date;

/// The stored form of a document number for the registry: identity cards
/// in their 18-character form, everything else trimmed and upper-cased.
pub(crate) fn registry_number(doc_type: DocumentType, number: &str) -> String {
    let number = number.trim().to_ascii_uppercase();
    match doc_type {
        DocumentType::IdCard | DocumentType::ForeignPermanentResident => {
            IdNumber::parse(&number, NaiveDate::MAX).map_or(number, |id| id.as_str().to_owned())
        }
        _ => number,
    }
}

/// The documents of a check or a registration, in one comparable form.
pub(crate) fn document_set(numbers: &[String]) -> String {
    let mut sorted: Vec<&str> = numbers.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.join(" ")
}

/// Whether a record is a final act of the registry, which is never deleted:
/// a registered or refused marriage; a registered, withdrawn, deemed
/// withdrawn or refused divorce.
/// A body that cannot be read is an error, never "not final".
pub(crate) fn is_final(kind: RecordKind, data: &str) -> Result<bool, Refusal> {
    Ok(match kind {
        RecordKind::MarriageRegistration => {
            stored_body::<MarriageRegistrationData>(data)?.status != MarriageStatus::Prepared
        }
        RecordKind::DivorceRegistration => {
            stored_body::<DivorceRegistrationData>(data)?.status != DivorceStatus::Received
        }
        RecordKind::MarriageAppointment => false,
        other => return Err(not_mine(other)),
    })
}

pub(crate) use mz_domain::numbering::certificate_key;

/// A refusal: the code, the reason and the field it is about.
pub(crate) type Refusal = crate::modules::Rejection;

pub(crate) fn rule(field: &str, reason: impl Into<String>) -> Refusal {
    Refusal::rule(field, reason)
}

/// A kind of another module handed to this one: the registry is wrong.
fn not_mine(kind: RecordKind) -> Refusal {
    Refusal::new(
        ErrorCode::Internal,
        format!("the marriage module does not own {kind}"),
        None,
    )
}

/// The marriage counter: registrations, bookings and divorces, the status
/// check, the figures.
#[derive(Debug)]
pub struct Marriage;

impl Module for Marriage {
    fn name(&self) -> &'static str {
        "marriage"
    }

    fn kinds(&self) -> &'static [RecordKind] {
        &[
            RecordKind::MarriageRegistration,
            RecordKind::MarriageAppointment,
            RecordKind::DivorceRegistration,
        ]
    }

    fn routes(&self) -> axum::Router<AppState> {
        use axum::routing::{get, post};
        axum::Router::new()
            .route("/marriage/status-check", post(status_check::status_check))
            .route("/marriage/status-checks", get(status_check::day_checks))
            .route("/marriage/figures", get(figures::figures))
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        <MarriageApi as utoipa::OpenApi>::openapi()
    }

    fn start<'a>(&'a self, db: &'a crate::Db) -> BoxFuture<'a, ApiResult<()>> {
        derive_missing_events(db).boxed()
    }

    fn prepare<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        _caller: &'a crate::auth::Caller,
        entries: &'a [&'a PushEntry],
    ) -> BoxFuture<'a, ApiResult<Box<dyn PushRules>>> {
        async move {
            let facts = load_facts(conn, entries).await?;
            Ok(Box::new(Rules { facts }) as Box<dyn PushRules>)
        }
        .boxed()
    }
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(status_check::status_check, status_check::day_checks, figures::figures),
    components(schemas(
        mz_api::records::MarriageRegistrationData,
        mz_api::records::MarriageStatus,
        mz_api::records::Annulment,
        mz_api::records::DivorceRegistrationData,
        mz_api::records::DivorceStatus,
        mz_api::records::DivorceWithdrawal,
        mz_api::records::Reissue,
        mz_api::marriage::OfficeFigures,
        mz_api::records::AppointmentData,
        mz_api::records::AppointmentStatus,
        mz_api::records::AppointmentParty,
    )),
    tags((name = "marriage", description = "the marriage counter's online checks")),
)]
struct MarriageApi;

/// The marriage rules of one push, with the facts they are checked against.
struct Rules {
    facts: Facts,
}

impl PushRules for Rules {
    fn check(
        &self,
        kind: RecordKind,
        id: Uuid,
        data: serde_json::Value,
        ctx: &CheckContext<'_>,
    ) -> Result<crate::modules::Checked, Refusal> {
        let when = (ctx.now, ctx.history);
        let checked = match kind {
            RecordKind::MarriageRegistration => {
                check_registration(data, id, ctx.current, ctx.caller, &self.facts, when)?
            }
            RecordKind::DivorceRegistration => {
                divorce::check_divorce_record(data, id, ctx.current, ctx.caller, &self.facts, when)?
            }
            RecordKind::MarriageAppointment => Checked {
                data: check_appointment(data)?,
                natural_key: None,
            },
            other => return Err(not_mine(other)),
        };
        Ok(crate::modules::Checked {
            data: checked.data,
            natural_key: checked.natural_key,
            owner: Owner::Maker,
            audience: None,
        })
    }

    fn is_final(&self, kind: RecordKind, data: &str) -> Result<bool, Refusal> {
        is_final(kind, data)
    }

    fn note_applied(&mut self, record: &Written<'_>) {
        if let Some(data) = record.data {
            self.facts.note_applied(record.kind, record.id, data);
        }
    }

    fn finish<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        written: &'a [Written<'a>],
    ) -> BoxFuture<'a, ApiResult<()>> {
        async move {
            let records: Vec<(RecordKind, Uuid, Option<&str>)> =
                written.iter().map(|w| (w.kind, w.id, w.data)).collect();
            index_parties(conn, &records).await?;
            note_events(conn, written).await
        }
        .boxed()
    }
}

mod appointment;
mod divorce;
mod facts;
mod figures;
mod index;
mod queries;
mod registration;
mod status_check;

use appointment::*;
use facts::*;
use index::*;
use registration::*;
use status_check::documents_digest;

pub use figures::derive_missing_events;
use figures::note_events;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
pub use status_check::china_today;
