//! The day's bookings at a registration office: imported from the online
//! booking system's Excel export, then checked in (a queue number of the
//! day), marked as no-shows, or served. All of it works offline and syncs.

use chrono::NaiveDate;
use mz_api::records::{AppointmentData, AppointmentParty, AppointmentStatus, RecordKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::{AppError, AppResult, ClientApp};

/// A row of the import that was not taken, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportIssue {
    /// The row as Excel numbers it.
    pub row: u32,
    /// The column letter, when the problem is one cell's.
    pub column: Option<String>,
    pub header: String,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportSummary {
    pub imported: usize,
    /// Rows already imported before (same day, same first party): not taken again.
    pub already_there: usize,
    pub skipped_blank: usize,
    pub issues: Vec<ImportIssue>,
}

/// A booking as the counter lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppointmentEntry {
    pub id: Uuid,
    pub data: AppointmentData,
    pub pending: bool,
}

impl ClientApp {
    /// Imports the bookings of an Excel export (.xlsx or .xls, as bytes).
    /// Good rows are kept and every bad one reported with its row, column
    /// and reason; a file that cannot be read at all is an error saying why.
    pub fn import_appointments(&self, bytes: Vec<u8>) -> AppResult<ImportSummary> {
        let sheet_error = AppError::from;
        let mut workbook = mz_sheets::Workbook::from_bytes(bytes).map_err(sheet_error)?;
        let report =
            mz_sheets::read_appointments(&mut workbook, None, self.today()).map_err(sheet_error)?;
        let party = |p: &mz_sheets::Party| AppointmentParty {
            name: p.name.clone(),
            id_number: p.id_number.to_string(),
        };
        let known: std::collections::HashSet<(NaiveDate, String)> = self
            .store()?
            .records(RecordKind::MarriageAppointment)?
            .iter()
            .map(|r| {
                let a: AppointmentData = r.body()?;
                Ok((a.date, a.party_a.id_number))
            })
            .collect::<AppResult<_>>()?;
        let fresh: Vec<&mz_sheets::AppointmentRow> = report
            .rows
            .iter()
            .filter(|row| !known.contains(&(row.date, row.party_a.id_number.to_string())))
            .collect();
        let already_there = report.rows.len() - fresh.len();
        let records: Vec<(Uuid, serde_json::Value)> = fresh
            .into_iter()
            .map(|row| {
                let data = AppointmentData {
                    date: row.date,
                    slot: row.slot.to_string(),
                    business: row.kind,
                    party_a: party(&row.party_a),
                    party_b: row.party_b.as_ref().map(party),
                    phone: row.phone.clone(),
                    status: AppointmentStatus::Booked,
                    queue_no: None,
                };
                serde_json::to_value(data)
                    .map(|value| (Uuid::now_v7(), value))
                    .map_err(|e| AppError::Invalid(e.to_string()))
            })
            .collect::<AppResult<_>>()?;
        self.store()?
            .save_many(RecordKind::MarriageAppointment, &records, self.now_ms())?;
        Ok(ImportSummary {
            imported: records.len(),
            already_there,
            skipped_blank: report.skipped_blank,
            issues: report
                .errors
                .into_iter()
                .map(|e| ImportIssue {
                    row: e.row,
                    column: e.column,
                    header: e.header,
                    reason: e.reason,
                })
                .collect(),
        })
    }

    /// The bookings of a day, by time slot, then queue number.
    pub fn appointments(&self, day: NaiveDate) -> AppResult<Vec<AppointmentEntry>> {
        let mut entries: Vec<AppointmentEntry> = self
            .store()?
            .records(RecordKind::MarriageAppointment)?
            .into_iter()
            .map(|r| {
                Ok(AppointmentEntry {
                    id: r.id,
                    data: r.body()?,
                    pending: r.pending,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        entries.retain(|e| e.data.date == day);
        entries.sort_by(|a, b| (&a.data.slot, a.id).cmp(&(&b.data.slot, b.id)));
        Ok(entries)
    }

    fn set_appointment(
        &self,
        id: Uuid,
        change: impl FnOnce(&mut AppointmentData, &[AppointmentEntry]) -> AppResult<()>,
    ) -> AppResult<AppointmentData> {
        let record = self
            .store()?
            .record(RecordKind::MarriageAppointment, id)?
            .ok_or_else(|| AppError::Invalid("没有这条预约".to_owned()))?;
        let mut data: AppointmentData =
            serde_json::from_value(record.data).map_err(|e| AppError::Invalid(e.to_string()))?;
        let same_day = self.appointments(data.date)?;
        change(&mut data, &same_day)?;
        let value = serde_json::to_value(&data).map_err(AppError::Json)?;
        self.store()?
            .save(RecordKind::MarriageAppointment, id, &value, self.now_ms())?;
        Ok(data)
    }

    /// The couple has come: the next queue number of the day.
    pub fn check_in(&self, id: Uuid) -> AppResult<u32> {
        let data = self.set_appointment(id, |data, day| {
            if data.status != AppointmentStatus::Booked {
                return Err(AppError::Invalid("这条预约已经签到或处理".to_owned()));
            }
            let last = day
                .iter()
                .filter_map(|e| e.data.queue_no)
                .max()
                .unwrap_or(0);
            data.status = AppointmentStatus::CheckedIn;
            data.queue_no = Some(last + 1);
            Ok(())
        })?;
        Ok(data.queue_no.unwrap_or_default())
    }

    /// The next couple to call: the checked-in booking of `day` with the
    /// lowest queue number, not yet served.
    pub fn next_in_queue(&self, day: NaiveDate) -> AppResult<Option<AppointmentEntry>> {
        Ok(self
            .appointments(day)?
            .into_iter()
            .filter(|e| e.data.status == AppointmentStatus::CheckedIn)
            .min_by_key(|e| e.data.queue_no))
    }

    /// Their business is done (registered, refused, received): they leave
    /// the queue. A booking this cache does not hold is left alone.
    pub(crate) fn mark_served(&self, id: Option<Uuid>) -> AppResult<()> {
        let Some(id) = id else { return Ok(()) };
        if self
            .store()?
            .record(RecordKind::MarriageAppointment, id)?
            .is_none()
        {
            return Ok(());
        }
        self.set_appointment(id, |data, _| {
            if data.status == AppointmentStatus::CheckedIn {
                data.status = AppointmentStatus::Served;
            }
            Ok(())
        })
        .map(|_| ())
    }

    /// A checked-in couple's business ended at the counter without a record
    /// here (a reissue asked elsewhere, or they left): out of the queue.
    pub fn finish_booking(&self, id: Uuid) -> AppResult<()> {
        self.set_appointment(id, |data, _| {
            if data.status != AppointmentStatus::CheckedIn {
                return Err(AppError::Invalid("只有已签到的预约可以办结".to_owned()));
            }
            data.status = AppointmentStatus::Served;
            Ok(())
        })
        .map(|_| ())
    }

    /// The couple did not come.
    pub fn no_show(&self, id: Uuid) -> AppResult<()> {
        self.set_appointment(id, |data, _| {
            if data.status != AppointmentStatus::Booked {
                return Err(AppError::Invalid("只有未签到的预约可以记为未到".to_owned()));
            }
            data.status = AppointmentStatus::NoShow;
            Ok(())
        })
        .map(|_| ())
    }
}
