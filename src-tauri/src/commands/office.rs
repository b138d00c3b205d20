//! Official-document handling (公文处理): the inbox, one document and the
//! steps the user may take on it, the steps themselves (offline too), new
//! outgoing and incoming documents, and the documents sent to the unit.

use mz_api::office::{Delivery, UnitRef};
use mz_app::desktop::Desktop;
use mz_app::forms::CertificatePrint;
use mz_app::office::tasks::{NewTask, TaskRequest, TaskView};
use mz_app::office::{
    NewIncoming, NewOutgoing, OfficeInbox, OfficePeople, OfficeView, StepRequest,
};
use tauri::State;
use uuid::Uuid;

use super::{CommandResult, Writes};

/// The user's inbox: 待办, 已办, 传阅 and every document of the unit.
#[tauri::command]
pub async fn office_inbox(desktop: State<'_, Desktop>) -> CommandResult<OfficeInbox> {
    Ok(desktop.guarded().await?.office_inbox()?)
}

/// One document, with the steps the user may take on it now.
#[tauri::command]
pub async fn office_document(desktop: State<'_, Desktop>, id: Uuid) -> CommandResult<OfficeView> {
    Ok(desktop.guarded().await?.office_view(id).await?)
}

/// The unit's classified documents the user is on (online only, never
/// cached), as an inbox to add to the cached one.
#[tauri::command]
pub async fn office_classified(desktop: State<'_, Desktop>) -> CommandResult<OfficeInbox> {
    Ok(desktop.guarded().await?.office_classified().await?)
}

/// Takes a step on a document (offline too).
#[tauri::command]
pub async fn office_act(
    desktop: State<'_, Desktop>,
    id: Uuid,
    request: StepRequest,
) -> Writes<OfficeView> {
    Ok(desktop.guarded().await?.office_take(id, request).await?)
}

/// Changes a document's content, as a step (a change after sign-off goes
/// back to the signer).
#[tauri::command]
pub async fn office_edit(
    desktop: State<'_, Desktop>,
    id: Uuid,
    content: NewOutgoing,
) -> Writes<OfficeView> {
    Ok(desktop.guarded().await?.office_revise(id, content).await?)
}

/// Begins an outgoing document from the composer's.
#[tauri::command]
pub async fn office_new_outgoing(
    desktop: State<'_, Desktop>,
    outgoing: NewOutgoing,
) -> Writes<Uuid> {
    Ok(desktop
        .guarded()
        .await?
        .office_begin_outgoing(outgoing)
        .await?)
}

/// Registers an incoming document received on paper or as a file.
#[tauri::command]
pub async fn office_new_incoming(
    desktop: State<'_, Desktop>,
    incoming: NewIncoming,
) -> Writes<Uuid> {
    Ok(desktop
        .guarded()
        .await?
        .office_begin_incoming(incoming)
        .await?)
}

/// Documents sent to the unit, not yet received (online).
#[tauri::command]
pub async fn office_deliveries(desktop: State<'_, Desktop>) -> CommandResult<Vec<Delivery>> {
    Ok(desktop.guarded().await?.office_deliveries().await?)
}

/// Receives a document sent to the unit (签收).
#[tauri::command]
pub async fn office_receive(desktop: State<'_, Desktop>, delivery: Uuid) -> Writes<Uuid> {
    Ok(desktop.guarded().await?.office_receive(delivery).await?)
}

/// The people a step may name.
#[tauri::command]
pub async fn office_people(desktop: State<'_, Desktop>) -> CommandResult<OfficePeople> {
    Ok(desktop.guarded().await?.office_people().await?)
}

/// The units a document may be sent to (online).
#[tauri::command]
pub async fn office_units(desktop: State<'_, Desktop>) -> CommandResult<Vec<UnitRef>> {
    Ok(desktop.guarded().await?.office_units().await?)
}

/// A registered document printed for distribution, as PDF and OFD; a
/// classified one as its registered copies, each with its copy number.
#[tauri::command]
pub async fn office_export(
    desktop: State<'_, Desktop>,
    id: Uuid,
) -> CommandResult<CertificatePrint> {
    Ok(desktop.export_office_document(id).await?)
}

/// The 督办 board as Excel in the profile's exports folder: its path.
#[tauri::command]
pub async fn export_office_tracking(desktop: State<'_, Desktop>) -> CommandResult<String> {
    Ok(desktop.export_office_tracking().await?)
}

/// One tracked task (督办事项), with what the user may do on it now.
#[tauri::command]
pub async fn office_task(desktop: State<'_, Desktop>, id: Uuid) -> CommandResult<TaskView> {
    Ok(desktop.guarded().await?.office_task(id)?)
}

/// Opens a task for tracking (立项), from an instruction or on its own.
#[tauri::command]
pub async fn office_open_task(desktop: State<'_, Desktop>, task: NewTask) -> Writes<Uuid> {
    Ok(desktop.guarded().await?.office_open_task(task)?)
}

/// Takes an entry on a task: a report back, a request for more time, an
/// extension, a chase, a reassignment, its closing (offline too).
#[tauri::command]
pub async fn office_task_act(
    desktop: State<'_, Desktop>,
    id: Uuid,
    request: TaskRequest,
) -> Writes<TaskView> {
    Ok(desktop.guarded().await?.office_task_act(id, request)?)
}
