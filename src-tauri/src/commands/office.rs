//! Official-document handling (公文处理): the inbox, one document and the
//! steps the user may take on it, the steps themselves (offline too), new
//! outgoing and incoming documents, and the documents sent to the unit.

use mz_api::office::{Attachment, Delivery, UnitRef};
use mz_app::desktop::Desktop;
use mz_app::forms::CertificatePrint;
use mz_app::office::delegations::{DelegationEntry, NewDelegation};
use mz_app::office::tasks::{NewTask, TaskRequest, TaskView};
use mz_app::office::{
    DestructionEntry, NewIncoming, NewOutgoing, OfficeInbox, OfficePeople, OfficeView, StepRequest,
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

/// The destruction register (销毁登记) of the unit's classified documents
/// the user may read (online only).
#[tauri::command]
pub async fn office_destructions(
    desktop: State<'_, Desktop>,
) -> CommandResult<Vec<DestructionEntry>> {
    Ok(desktop.guarded().await?.office_destructions().await?)
}

/// The user's delegations (委托办理): handed over, and handed to them.
#[tauri::command]
pub async fn office_delegations(
    desktop: State<'_, Desktop>,
) -> CommandResult<Vec<DelegationEntry>> {
    Ok(desktop.guarded().await?.office_delegations()?)
}

/// Hands the user's to-dos to a colleague for the days they are away.
#[tauri::command]
pub async fn office_delegate(
    desktop: State<'_, Desktop>,
    delegation: NewDelegation,
) -> Writes<Uuid> {
    Ok(desktop.guarded().await?.office_delegate(delegation).await?)
}

/// Cancels a delegation the user handed over.
#[tauri::command]
pub async fn office_cancel_delegation(desktop: State<'_, Desktop>, id: Uuid) -> Writes<()> {
    Ok(desktop.guarded().await?.office_cancel_delegation(id)?)
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

/// Attaches a file to a document (附件), its bytes in base64 and its kind
/// as its name says: checked against its content and its size, taken as an
/// edit (offline too; a classified document's online at once).
#[tauri::command]
pub async fn office_attach(
    desktop: State<'_, Desktop>,
    id: Uuid,
    name: String,
    media_type: String,
    data: String,
) -> Writes<OfficeView> {
    Ok(desktop.office_attach(id, &name, &media_type, &data).await?)
}

/// Takes a file off a document, as an edit (the draft that had it keeps it).
#[tauri::command]
pub async fn office_detach(
    desktop: State<'_, Desktop>,
    id: Uuid,
    index: usize,
) -> Writes<OfficeView> {
    Ok(desktop.guarded().await?.office_detach(id, index).await?)
}

/// An attachment and its bytes in base64, for the window to show (a
/// classified document's read online, kept nowhere).
#[tauri::command]
pub async fn office_attachment_data(
    desktop: State<'_, Desktop>,
    id: Uuid,
    index: usize,
) -> CommandResult<(Attachment, String)> {
    Ok(desktop.office_attachment_data(id, index).await?)
}

/// Saves an attachment into the profile's exports folder for another
/// program to open: its path (never a classified document's).
#[tauri::command]
pub async fn office_save_attachment(
    desktop: State<'_, Desktop>,
    id: Uuid,
    index: usize,
) -> CommandResult<String> {
    Ok(desktop.save_office_attachment(id, index).await?)
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
