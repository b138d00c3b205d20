use mz_api::funeral::HomeFigures;
use mz_api::funeral::home::FuneralHomeData;
use mz_app::desktop::Desktop;
use mz_app::forms::CertificatePrint;
use mz_app::funeral::{CaseEntry, CaseIntake, CaseStep, Paper, PaperInput};
use tauri::State;
use uuid::Uuid;

use super::{CommandResult, Writes};

/// The cases of the day board (every case not ended, and those ended today).
#[tauri::command]
pub async fn funeral_day(desktop: State<'_, Desktop>) -> CommandResult<Vec<CaseEntry>> {
    let app = desktop.guarded().await?;
    Ok(app.funeral_day(app.today())?)
}

/// Every case in the cache, newest first.
#[tauri::command]
pub async fn funeral_cases(desktop: State<'_, Desktop>) -> CommandResult<Vec<CaseEntry>> {
    Ok(desktop.guarded().await?.funeral_cases()?)
}

/// The home's vehicles, drivers, cabinets, halls, furnaces and fees.
#[tauri::command]
pub async fn funeral_home(desktop: State<'_, Desktop>) -> CommandResult<FuneralHomeData> {
    Ok(desktop.guarded().await?.funeral_home()?)
}

/// Opens a case at the call, numbered from this desk's block (offline too).
#[tauri::command]
pub async fn open_funeral_case(desktop: State<'_, Desktop>, intake: CaseIntake) -> Writes<Uuid> {
    Ok(desktop.guarded().await?.open_funeral_case(intake).await?)
}

#[tauri::command]
pub async fn update_funeral_case(
    desktop: State<'_, Desktop>,
    id: Uuid,
    intake: CaseIntake,
) -> Writes<()> {
    Ok(desktop.guarded().await?.update_funeral_case(id, intake)?)
}

/// Records a paper as checked now by the signed-in clerk.
#[tauri::command]
pub async fn check_funeral_paper(
    desktop: State<'_, Desktop>,
    id: Uuid,
    input: PaperInput,
) -> Writes<()> {
    Ok(desktop.guarded().await?.check_funeral_paper(id, input)?)
}

#[tauri::command]
pub async fn uncheck_funeral_paper(
    desktop: State<'_, Desktop>,
    id: Uuid,
    paper: Paper,
) -> Writes<()> {
    Ok(desktop.guarded().await?.uncheck_funeral_paper(id, paper)?)
}

/// Keeps the scan of a paper (its bytes in base64); the check names it.
#[tauri::command]
pub async fn keep_scan(
    desktop: State<'_, Desktop>,
    media_type: String,
    data: String,
) -> Writes<mz_domain::blob::BlobRef> {
    Ok(desktop.keep_scan(&media_type, &data).await?)
}

/// The next step of a case; the rules say what it still needs.
#[tauri::command]
pub async fn advance_funeral_case(
    desktop: State<'_, Desktop>,
    id: Uuid,
    step: CaseStep,
) -> Writes<()> {
    Ok(desktop.guarded().await?.advance_funeral_case(id, step)?)
}

/// The cremation certificate's number from this desk's block.
#[tauri::command]
pub async fn issue_cremation_certificate(desktop: State<'_, Desktop>, id: Uuid) -> Writes<String> {
    Ok(desktop
        .guarded()
        .await?
        .issue_cremation_certificate(id)
        .await?)
}

/// The family collects the certificate, signed for.
#[tauri::command]
pub async fn collect_cremation_certificate(
    desktop: State<'_, Desktop>,
    id: Uuid,
    name: String,
    doc_type: mz_domain::marriage::DocumentType,
    doc_number: String,
) -> Writes<()> {
    Ok(desktop
        .guarded()
        .await?
        .collect_cremation_certificate(id, name, doc_type, doc_number)?)
}

/// The cremation certificate on the home's form: the PDF and its preview.
#[tauri::command]
pub async fn cremation_certificate(
    desktop: State<'_, Desktop>,
    id: Uuid,
    offset_x_mm: f32,
    offset_y_mm: f32,
) -> CommandResult<CertificatePrint> {
    Ok(desktop
        .cremation_certificate(id, (offset_x_mm, offset_y_mm))
        .await?)
}

/// Each home's counts from the platform, per month, within reach (online).
#[tauri::command]
pub async fn funeral_figures(
    desktop: State<'_, Desktop>,
    from: String,
    to: String,
) -> CommandResult<Vec<HomeFigures>> {
    Ok(desktop.guarded().await?.funeral_figures(&from, &to).await?)
}

/// The time in China now, to the minute (`2026-12-01T09:30:00`): what the
/// intake form starts its times with.
#[tauri::command]
pub async fn china_now(desktop: State<'_, Desktop>) -> CommandResult<String> {
    Ok(desktop
        .guarded()
        .await?
        .china_now()
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string())
}

/// Takes the services chosen and the waiver claimed, priced by the home's
/// schedule; the money already taken stays.
#[tauri::command]
pub async fn order_funeral_services(
    desktop: State<'_, Desktop>,
    id: Uuid,
    items: Vec<mz_api::funeral::Ordered>,
    waiver: Option<mz_api::funeral::WaiverClaim>,
) -> Writes<mz_domain::funeral::Bill> {
    Ok(desktop
        .guarded()
        .await?
        .order_funeral_services(id, items, waiver)?)
}

/// Records money taken (recorded, not processed).
#[tauri::command]
pub async fn take_funeral_payment(
    desktop: State<'_, Desktop>,
    id: Uuid,
    method: mz_api::funeral::PayMethod,
    amount_fen: i64,
    reference: String,
) -> Writes<()> {
    Ok(desktop
        .guarded()
        .await?
        .take_funeral_payment(id, method, amount_fen, reference)?)
}

/// Records money given back, with its reason.
#[tauri::command]
pub async fn refund_funeral_payment(
    desktop: State<'_, Desktop>,
    id: Uuid,
    amount_fen: i64,
    reason: String,
) -> Writes<()> {
    Ok(desktop
        .guarded()
        .await?
        .refund_funeral_payment(id, amount_fen, reason)?)
}

/// The receipt of a case's bill: the PDF and its preview.
#[tauri::command]
pub async fn funeral_receipt(
    desktop: State<'_, Desktop>,
    id: Uuid,
) -> CommandResult<CertificatePrint> {
    Ok(desktop.funeral_receipt(id).await?)
}

/// The daily cash report of a day (today when not given).
#[tauri::command]
pub async fn funeral_daily_report(
    desktop: State<'_, Desktop>,
    day: Option<chrono::NaiveDate>,
) -> CommandResult<mz_app::funeral::DailyReport> {
    let app = desktop.guarded().await?;
    Ok(app.funeral_daily_report(day.unwrap_or_else(|| app.today()))?)
}

/// The daily cash report as Excel in the profile's exports folder: its path.
#[tauri::command]
pub async fn export_funeral_daily_report(
    desktop: State<'_, Desktop>,
    day: chrono::NaiveDate,
) -> CommandResult<String> {
    Ok(desktop.export_funeral_daily_report(day).await?)
}

/// Imports the home's fee schedule and waivers from its Excel workbook:
/// whole, or nothing and every bad row named.
#[tauri::command]
pub async fn import_fee_schedule(
    desktop: State<'_, Desktop>,
    bytes: Vec<u8>,
) -> Writes<mz_app::funeral::ScheduleImport> {
    Ok(desktop.guarded().await?.import_fee_schedule(bytes)?)
}

/// The fee standards of the province and city that bind this home.
#[tauri::command]
pub async fn funeral_standards(
    desktop: State<'_, Desktop>,
) -> CommandResult<Vec<mz_api::funeral::standard::FuneralStandardData>> {
    Ok(desktop.guarded().await?.funeral_standards()?)
}

/// The fee standard the user's civil affairs keep for their own region.
#[tauri::command]
pub async fn own_funeral_standard(
    desktop: State<'_, Desktop>,
) -> CommandResult<mz_api::funeral::standard::FuneralStandardData> {
    Ok(desktop.guarded().await?.own_funeral_standard()?.1)
}

/// Imports the region's fee standard (the official list with its highest
/// prices, and the waivers every home grants) from Excel: whole, or nothing
/// and every bad row named.
#[tauri::command]
pub async fn import_funeral_standard(
    desktop: State<'_, Desktop>,
    bytes: Vec<u8>,
) -> Writes<mz_app::funeral::ScheduleImport> {
    Ok(desktop.guarded().await?.import_funeral_standard(bytes)?)
}

/// The live hall bookings of a day (today when not given).
#[tauri::command]
pub async fn hall_bookings(
    desktop: State<'_, Desktop>,
    day: Option<chrono::NaiveDate>,
) -> CommandResult<Vec<mz_app::funeral::BookingEntry>> {
    let app = desktop.guarded().await?;
    Ok(app.hall_bookings(day.unwrap_or_else(|| app.today()))?)
}

/// Books a hall's slot for a case (offline too; a slot booked meanwhile at
/// another desk meets it at sync as a conflict).
#[tauri::command]
pub async fn book_hall(
    desktop: State<'_, Desktop>,
    case_id: Uuid,
    hall: String,
    day: chrono::NaiveDate,
    slot: String,
) -> Writes<Uuid> {
    Ok(desktop
        .guarded()
        .await?
        .book_hall(case_id, hall, day, slot)?)
}

#[tauri::command]
pub async fn cancel_hall_booking(desktop: State<'_, Desktop>, id: Uuid) -> Writes<()> {
    Ok(desktop.guarded().await?.cancel_hall_booking(id)?)
}

/// The month's death data for health and public security, as Excel in the
/// profile's exports folder: its path and the number of deaths.
#[tauri::command]
pub async fn export_death_records(
    desktop: State<'_, Desktop>,
    month: String,
) -> CommandResult<(String, usize)> {
    Ok(desktop.export_death_records(&month).await?)
}

/// The ashes kept at the home whose storage ends within `days` days.
#[tauri::command]
pub async fn ashes_due(desktop: State<'_, Desktop>, days: u32) -> CommandResult<Vec<CaseEntry>> {
    Ok(desktop.guarded().await?.ashes_due(days)?)
}

/// A certificate spoiled in printing: its number voided, the next in its place (online).
#[tauri::command]
pub async fn reprint_cremation_certificate(
    desktop: State<'_, Desktop>,
    id: Uuid,
    reason: String,
) -> Writes<String> {
    Ok(desktop
        .guarded()
        .await?
        .reprint_cremation_certificate(id, &reason)
        .await?)
}

/// A lost certificate issued again, only to its first recipient.
#[tauri::command]
pub async fn reissue_cremation_certificate(
    desktop: State<'_, Desktop>,
    id: Uuid,
    doc_number: String,
    reason: String,
) -> Writes<String> {
    Ok(desktop
        .guarded()
        .await?
        .reissue_cremation_certificate(id, doc_number, reason)
        .await?)
}

/// The certificate registered (登记) or written off (核销).
#[tauri::command]
pub async fn advance_cremation_certificate(
    desktop: State<'_, Desktop>,
    id: Uuid,
    state: mz_domain::funeral::CertificateState,
) -> Writes<()> {
    Ok(desktop
        .guarded()
        .await?
        .advance_cremation_certificate(id, state)?)
}

/// Every urn kept at the home, by niche (the stock check's list).
#[tauri::command]
pub async fn ashes_in_storage(desktop: State<'_, Desktop>) -> CommandResult<Vec<CaseEntry>> {
    Ok(desktop.guarded().await?.ashes_in_storage()?)
}

/// The daily cash report as a PDF table (to print and sign), with its preview.
#[tauri::command]
pub async fn print_funeral_daily_report(
    desktop: State<'_, Desktop>,
    day: chrono::NaiveDate,
) -> CommandResult<CertificatePrint> {
    Ok(desktop.print_funeral_daily_report(day).await?)
}

/// The month's waiver settlement as a PDF table (landscape A4, to sign),
/// with its preview, and the number of cases.
#[tauri::command]
pub async fn print_waiver_settlement(
    desktop: State<'_, Desktop>,
    month: String,
) -> CommandResult<(CertificatePrint, usize)> {
    Ok(desktop.print_waiver_settlement(&month).await?)
}

/// The month's waiver settlement for the finance office, as Excel in the
/// profile's exports folder: its path and the number of cases.
#[tauri::command]
pub async fn export_waiver_settlement(
    desktop: State<'_, Desktop>,
    month: String,
) -> CommandResult<(String, usize)> {
    Ok(desktop.export_waiver_settlement(&month).await?)
}

/// Orders the preparation room's work on the body (washing, dressing, cosmetics).
#[tauri::command]
pub async fn order_funeral_work(
    desktop: State<'_, Desktop>,
    id: Uuid,
    kind: mz_api::funeral::WorkKind,
    note: String,
) -> Writes<()> {
    Ok(desktop
        .guarded()
        .await?
        .order_funeral_work(id, kind, note)?)
}

/// Records a work order as done now.
#[tauri::command]
pub async fn finish_funeral_work(
    desktop: State<'_, Desktop>,
    id: Uuid,
    index: usize,
    by: String,
) -> Writes<()> {
    Ok(desktop
        .guarded()
        .await?
        .finish_funeral_work(id, index, by)?)
}

/// The cemetery's map: every plot where it stands today, with the counts.
#[tauri::command]
pub async fn cemetery_map(
    desktop: State<'_, Desktop>,
) -> CommandResult<mz_app::funeral::cemetery::CemeteryMap> {
    Ok(desktop.guarded().await?.cemetery_map()?)
}

/// Holds a free plot for someone until a day (offline too).
#[tauri::command]
pub async fn reserve_plot(
    desktop: State<'_, Desktop>,
    plot: String,
    name: String,
    phone: String,
    until: chrono::NaiveDate,
) -> Writes<Uuid> {
    Ok(desktop
        .guarded()
        .await?
        .reserve_plot(&plot, name, phone, until)?)
}

/// Releases a plot's reservation: the plot is free again.
#[tauri::command]
pub async fn release_plot(desktop: State<'_, Desktop>, plot: String) -> Writes<()> {
    Ok(desktop.guarded().await?.release_plot(&plot)?)
}

/// Sells a plot: the contract numbered from this desk's block, at the
/// layout's price, the management fee paid for some years. The number.
#[tauri::command]
pub async fn sell_plot(
    desktop: State<'_, Desktop>,
    plot: String,
    holder: mz_api::funeral::cemetery::Holder,
    years: u32,
) -> Writes<String> {
    Ok(desktop
        .guarded()
        .await?
        .sell_plot(&plot, holder, years)
        .await?)
}

/// Renews a sold plot's management fee; the new end of the period.
#[tauri::command]
pub async fn renew_plot_fee(
    desktop: State<'_, Desktop>,
    plot: String,
    years: u32,
) -> Writes<chrono::NaiveDate> {
    Ok(desktop.guarded().await?.renew_plot_fee(&plot, years)?)
}

/// Lays a cremated case's ashes in a sold plot (the case's ashes placed).
#[tauri::command]
pub async fn bury_in_plot(desktop: State<'_, Desktop>, plot: String, case_id: Uuid) -> Writes<()> {
    Ok(desktop.guarded().await?.bury_in_plot(&plot, case_id)?)
}

/// The plots whose management fee runs out within some days or has.
#[tauri::command]
pub async fn plot_fees_due(
    desktop: State<'_, Desktop>,
    days: i64,
) -> CommandResult<Vec<mz_app::funeral::cemetery::PlotDue>> {
    Ok(desktop.guarded().await?.plot_fees_due(days)?)
}

/// Imports the cemetery's plots from Excel: whole, or nothing and every bad
/// row named.
#[tauri::command]
pub async fn import_cemetery(
    desktop: State<'_, Desktop>,
    name: String,
    bytes: Vec<u8>,
) -> Writes<mz_app::funeral::cemetery::CemeteryImport> {
    Ok(desktop.guarded().await?.import_cemetery(name, bytes)?)
}
