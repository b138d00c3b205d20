// Generated from the Rust types by `MZ_UPDATE_BINDINGS=1 cargo test -p mz-app --test app bindings`.
// Do not edit: change the Rust type and generate again.

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

export type Role = "registrar" | "marriage_head" | "funeral_desk" | "funeral_head" | "office_staff" | "secretary" | "leader" | "admin";

/**
 * The modules of the desktop suite, in the order the window lists them.
 */
export type AppModule = "office" | "schedule" | "marriage" | "funeral" | "print" | "library" | "figures";

export type Sex = "male" | "female";

/**
 * The identity documents a counter accepts.
 */
export type DocumentType = "id_card" | "hk_macao_permit" | "taiwan_permit" | "passport" | "foreign_permanent_resident";

/**
 * One party as the registrar enters them.
 */
export type Party = { doc_type: DocumentType, doc_number: string, name: string, sex: Sex, birth_date: string, ethnicity: string, nationality: string, occupation: string, education: string, address: string, phone: string, };

/**
 * The statements each party signs at the counter (申请结婚登记声明书).
 */
export type Statements = { 
/**
 * Both marry of their own free will.
 */
voluntary: boolean, 
/**
 * Neither has a spouse.
 */
no_spouse: boolean, 
/**
 * No direct blood relation, nor collateral within three generations.
 */
no_prohibited_kinship: boolean, };

/**
 * What a court decided of a marriage, recorded on its registration.
 */
export type AnnulmentKind = "revoked" | "void";

/**
 * A file named by its content.
 */
export type BlobRef = { 
/**
 * One of [`MediaType`]'s: `image/jpeg`, `image/png`, `application/pdf`,
 * `application/ofd`, or the DOCX and XLSX types.
 */
media_type: string, 
/**
 * The SHA-256 of the bytes, 64 lowercase hexadecimal digits.
 */
sha256: string, 
/**
 * The number of bytes.
 */
size: number, };

/**
 * The kinds of file kept beside records, by their media type on the wire.
 */
export type MediaType = "image/jpeg" | "image/png" | "application/pdf" | "application/ofd" | "application/vnd.openxmlformats-officedocument.wordprocessingml.document" | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" | "text/plain";

/**
 * What is wrong, and where: `field` is a path such as `parties[0].doc_number`.
 */
export type FieldIssue = { field: string, message: string, };

/**
 * An org unit: a GB/T 2260 region plus a named unit.
 */
export type OrgUnitInfo = { 
/**
 * e.g. `430102-marriage`.
 */
code: string, 
/**
 * e.g. `430102`.
 */
region: string, 
/**
 * e.g. 芙蓉区婚姻登记处.
 */
name: string, };

/**
 * The signed-in user, as the client shows it.
 */
export type UserInfo = { id: string, username: string, display_name: string, org_unit: OrgUnitInfo, 
/**
 * Among registrar, marriage_head, funeral_desk, funeral_head, office_staff,
 * secretary, leader, admin.
 */
roles: Array<Role>, };

/**
 * The kinds of record that sync carries. Modules add theirs here.
 */
export type RecordKind = "holiday_calendar" | "marriage_registration" | "marriage_appointment" | "divorce_registration" | "document_draft" | "funeral_case" | "funeral_home" | "funeral_standard" | "cemetery" | "cemetery_plot" | "schedule_setup" | "schedule_activity" | "away_report" | "schedule_week" | "funeral_booking" | "office_document" | "office_task" | "office_delegation" | "library_item";

/**
 * The body of a `holiday_calendar` record.
 */
export type HolidayCalendarData = { year: number, 
/**
 * Every day off: the public holidays and the days joined to them.
 */
holidays: Array<string>, 
/**
 * Saturdays and Sundays made working days (调休).
 */
working_weekends: Array<string>, };

/**
 * What a change does to its record.
 */
export type Op = "upsert" | "delete";

/**
 * Where a marriage registration stands.
 */
export type MarriageStatus = "prepared" | "registered" | "refused";

/**
 * A court's judgement recorded on a registration (撤销 / 无效).
 */
export type Annulment = { 
/**
 * `revoked` (撤销, art. 1052/1053) or `void` (无效, art. 1051).
 */
kind: AnnulmentKind, court: string, judgement_no: string, decided_on: string, };

/**
 * A certificate issued again to one holder (补领): the lost one is replaced
 * by this number (BJ for a marriage, BL for a divorce).
 */
export type Reissue = { certificate_no: string, issued_on: string, 
/**
 * The holder: 0 or 1, as in `parties`.
 */
holder: number, };

/**
 * One change of a record, as its history lists it
 * (`GET /api/v1/records/{kind}/{id}/history`).
 */
export type HistoryEntry = { seq: number, version: number, changed_at: string, 
/**
 * Who made the change (display name).
 */
user: string, 
/**
 * The device it was made on.
 */
device: string, deleted: boolean, 
/**
 * The record after the change.
 */
data: any, };

/**
 * The body of a `marriage_registration` record.
 */
export type MarriageRegistrationData = { 
/**
 * The day of registration; the ages are counted on it.
 */
registered_on: string, 
/**
 * The man and the woman, in either order.
 */
parties: [Party, Party], statements: Statements, status: MarriageStatus, 
/**
 * J + the office's region + year + serial, from this counter's block.
 */
certificate_no: string | null, 
/**
 * The platform's marital-status check that cleared both parties.
 */
status_check: string | null, 
/**
 * Why registration was refused.
 */
refusal_reason: string | null, 
/**
 * Numbers spoiled in printing for this record: void, never reused.
 */
voided_numbers: Array<string>, 
/**
 * The online appointment the couple came with, if any.
 */
appointment_id: string | null, annulment: Annulment | null, 
/**
 * Certificates issued again, oldest first.
 */
reissues: Array<Reissue>, 
/**
 * The couple's photo, a blob named by its hash (fetched on its own).
 */
photo: BlobRef | null, };

/**
 * The answer for one person.
 */
export type PersonStatus = { doc_number: string, 
/**
 * Registered as married, with no divorce or annulment recorded since.
 */
married: boolean, 
/**
 * The certificate number of the current marriage, when married.
 */
certificate_no: string | null, };

/**
 * What the status bar shows.
 */
export type SyncState = { 
/**
 * Entries waiting to be sent.
 */
pending: number, 
/**
 * Entries the server refused or found in conflict, waiting for the user.
 */
issues: number, 
/**
 * The change-feed position the cache has reached.
 */
cursor: number, 
/**
 * Unix milliseconds of the last complete sync, if any.
 */
last_sync_at: number | null, };

/**
 * An outbox entry the server did not apply, with both sides.
 */
export type SyncIssue = { device_seq: number, kind: RecordKind, record_id: string, op: Op, 
/**
 * `conflict` or `rejected`.
 */
state: string, 
/**
 * The server's reason for a rejection.
 */
reason: string | null, 
/**
 * The platform's code for a rejection (`rule_violation`, `invalid_input` …).
 */
code: string | null, 
/**
 * The field a rejection is about, as a path into the body (`data.photo`).
 */
field: string | null, 
/**
 * This device's version of the record (absent for a delete).
 */
mine: JsonValue | null, 
/**
 * The server's current version (absent when it has none, or deleted it).
 */
theirs: JsonValue | null, theirs_version: number, };

/**
 * How the user settles a [`SyncIssue`].
 */
export type Resolution = { "choice": "keep_mine" } | { "choice": "take_theirs" } | { "choice": "edit", "data": JsonValue };

/**
 * One person found, with the record they appear in.
 */
export type PersonHit = { kind: RecordKind, record_id: string, role: string, name: string, doc_number: string, 
/**
 * The record's unit (a record not yet synced is its writer's,
 * [`Within::own_unit`]).
 */
unit: string | null, 
/**
 * The day the record is about ([`mz_api::records::KindSpec::dated`]).
 */
day: string | null, };

/**
 * What the status bar shows.
 */
export type Status = { online: boolean, 
/**
 * The window is locked after being idle.
 */
locked: boolean, signed_in: string | null, org_unit: string | null, 
/**
 * A pull under way (the first sync of a big cache takes a while).
 */
pulling?: PullProgress, 
/**
 * The user paused receiving: entries are still sent, nothing is pulled
 * until they resume.
 */
pull_paused: boolean, 
/**
 * Entries waiting to be sent.
 */
pending: number, 
/**
 * Entries the server refused or found in conflict, waiting for the user.
 */
issues: number, 
/**
 * The change-feed position the cache has reached.
 */
cursor: number, 
/**
 * Unix milliseconds of the last complete sync, if any.
 */
last_sync_at: number | null, };

/**
 * How far a pull under way has come.
 */
export type PullProgress = { 
/**
 * Changes received and kept so far in this pull.
 */
received: number, 
/**
 * The part of the feed gone through, 0–1: the cursor's way from where
 * the pull began to the feed's head; `None` before the first page, or
 * from a platform that does not say its head.
 */
done: number | null, };

/**
 * What the window is told went wrong: one of a closed list, so that the
 * UI can branch on it.
 */
export type ErrorCode = "unauthenticated" | "invalid_input" | "offline" | "tls" | "forbidden" | "device_revoked" | "screen_locked" | "locked" | "platform" | "local_store" | "credential_store";

/**
 * An error as a command returns it to the window.
 */
export type CommandError = { code: ErrorCode, message: string, 
/**
 * For input the rules refuse: each issue with the field it is about,
 * for the form to show beside the field.
 */
issues: Array<FieldIssue>, };

export type Mode = "standalone" | "connected";

/**
 * Where the window starts.
 */
export type Phase = { "phase": "setup" } | { "phase": "login", mode: Mode, notice: string | null, } | { "phase": "ready", user: UserInfo, modules: Array<AppModule>, writes: Array<RecordKind>, } | { "phase": "locked", user: UserInfo, };

/**
 * One calendar as the settings screen lists it.
 */
export type CalendarEntry = { id: string, calendar: HolidayCalendarData, pending: boolean, };

/**
 * What the user chose at logout.
 */
export type LogoutChoice = { "choice": "send_first" } | { "choice": "keep" } | { "choice": "discard", confirmed: number, };

/**
 * What a logout did.
 */
export type LogoutOutcome = { "outcome": "signed_out", kept: number, } | { "outcome": "waiting", pending: number, issues: number, online: boolean, };

/**
 * What the registrar fills in.
 */
export type MarriageForm = { parties: [Party, Party], statements: Statements, appointment_id: string | null, 
/**
 * The couple's photo, when taken.
 */
photo: BlobRef | null, };

/**
 * A registration as the counter lists it.
 */
export type MarriageEntry = { id: string, data: MarriageRegistrationData, 
/**
 * A change to it waits to be sent.
 */
pending: boolean, };

/**
 * How an attempt to register ended.
 */
export type RegisterOutcome = { "outcome": "registered", certificate_no: string, } | { "outcome": "party_married", parties: Array<PersonStatus>, };

/**
 * A certificate ready to print: the PDF and, for the preview, its pages as SVG.
 */
export type CertificatePrint = { 
/**
 * Where the PDF was written.
 */
pdf_path: string, 
/**
 * Where the OFD (GB/T 33190) beside it was written, for an official
 * document.
 */
ofd_path: string | null, pages_svg: Array<string>, 
/**
 * The files are a classified document's copies: wiped when the user
 * signs out, when the app stops, and an hour after they were written.
 */
wiped_after: boolean, };

/**
 * The A4 papers of a marriage registration.
 */
export type MarriagePaper = "statement" | "review" | "refusal_notice";

/**
 * A printer as the print screens show it.
 */
export type PrinterInfo = { name: string, 
/**
 * The print system's default printer.
 */
default: boolean, 
/**
 * Its calibration, zero until measured.
 */
offset_x_mm: number, offset_y_mm: number, };

/**
 * A print job the print system accepted.
 */
export type PrintedJob = { printer: string, job: string, };

/**
 * The kinds of business at a registration counter.
 */
export type Business = "marriage" | "divorce" | "marriage_reissue" | "divorce_reissue";

/**
 * A person as a booking names them.
 */
export type AppointmentParty = { name: string, id_number: string, };

/**
 * Where a booking stands on its day.
 */
export type AppointmentStatus = "booked" | "checked_in" | "no_show" | "served";

/**
 * The body of a `marriage_appointment` record.
 */
export type AppointmentData = { date: string, 
/**
 * The booked period, e.g. `09:00-09:30`.
 */
slot: string, business: Business, party_a: AppointmentParty, party_b: AppointmentParty | null, phone: string, status: AppointmentStatus, 
/**
 * The queue number of the day, given at check-in.
 */
queue_no: number | null, };

/**
 * A row of the import that was not taken, and why.
 */
export type ImportIssue = { 
/**
 * The row as Excel numbers it.
 */
row: number, 
/**
 * The column letter, when the problem is one cell's.
 */
column: string | null, header: string, reason: string, };

/**
 * What an import did.
 */
export type ImportSummary = { imported: number, 
/**
 * Rows already imported before (same day, same first party): not taken again.
 */
already_there: number, skipped_blank: number, issues: Array<ImportIssue>, };

/**
 * A booking as the counter lists it.
 */
export type AppointmentEntry = { id: string, data: AppointmentData, pending: boolean, };

/**
 * The dates of a divorce application received on `received`.
 */
export type CoolingOff = { received: string, 
/**
 * The last day either party may withdraw.
 */
withdrawal_ends: string, 
/**
 * The first day both may come for the certificate.
 */
certificate_from: string, 
/**
 * The last day both may come for the certificate.
 */
certificate_until: string, };

/**
 * A day that matters in a divorce application, as the counter warns of it.
 */
export type Milestone = "withdrawal_closes" | "certificate_opens" | "certificate_closes";

/**
 * Where a divorce by agreement stands.
 */
export type DivorceStatus = "received" | "withdrawn" | "deemed_withdrawn" | "registered" | "refused";

/**
 * A withdrawal of the application by one party (撤回离婚登记申请).
 */
export type DivorceWithdrawal = { on: string, 
/**
 * Which party withdrew: 0 or 1, as in `parties`.
 */
by: number, };

/**
 * The body of a `divorce_registration` record.
 */
export type DivorceRegistrationData = { 
/**
 * The day the application was received; not counted in the periods.
 */
received_on: string, parties: [Party, Party], 
/**
 * The number on the marriage certificates they hand in, as written.
 */
marriage_certificate_no: string, 
/**
 * The registration of that marriage, when the registry holds it; the
 * platform fills it in.
 */
marriage_record_id: string | null, 
/**
 * The periods, counted with the holiday calendar at receipt.
 */
periods: CoolingOff, status: DivorceStatus, withdrawal: DivorceWithdrawal | null, 
/**
 * The day of registration, once registered.
 */
registered_on: string | null, 
/**
 * L + the office's region + year + serial, from this counter's block.
 */
certificate_no: string | null, refusal_reason: string | null, 
/**
 * Numbers spoiled in printing for this record: void, never reused.
 */
voided_numbers: Array<string>, appointment_id: string | null, 
/**
 * Certificates issued again, oldest first.
 */
reissues: Array<Reissue>, };

/**
 * What the registrar fills in when a couple applies.
 */
export type DivorceForm = { parties: [Party, Party], 
/**
 * The number on the marriage certificates they hand in.
 */
marriage_certificate_no: string, appointment_id: string | null, };

/**
 * Where an application stands today, as the counter shows it.
 */
export type DivorceState = "cooling_off" | "awaiting_certificate" | "lapsed" | "withdrawn" | "deemed_withdrawn" | "registered" | "refused";

/**
 * An application as the counter lists it.
 */
export type DivorceEntry = { id: string, data: DivorceRegistrationData, state: DivorceState, 
/**
 * Days left in the current period (0 on its last day), while one runs.
 */
days_left: number | null, 
/**
 * A change to it waits to be sent.
 */
pending: boolean, };

/**
 * A window that opens or closes on a day of the week ahead.
 */
export type DueItem = { id: string, day: string, milestone: Milestone, label: string, 
/**
 * 男方 and 女方 names, for the list.
 */
names: string, };

/**
 * One of the A4 papers of a divorce.
 */
export type DivorcePaper = "receipt" | "withdrawal_confirmation" | "certificate_first" | "certificate_second";

export type Grouping = "day" | "month";

export type StatisticsQuery = { from: string, to: string, grouping: Grouping, };

/**
 * The counts of one day or month (or of the whole range, as the total).
 */
export type PeriodRow = { 
/**
 * `2026-03-05`, `2026-03`, or 合计.
 */
period: string, 
/**
 * 结婚登记 (registered).
 */
marriages: number, 
/**
 * 不予登记 (marriages refused).
 */
refusals: number, 
/**
 * 离婚登记申请受理
 */
divorce_applications: number, 
/**
 * 撤回 (by a party) and 视为撤回.
 */
withdrawals: number, 
/**
 * 离婚登记 (certificates issued).
 */
divorces: number, };

/**
 * How many men and women married at an age in the band.
 */
export type AgeBandRow = { band: string, men: number, women: number, };

export type Statistics = { query: StatisticsQuery, rows: Array<PeriodRow>, total: PeriodRow, age_bands: Array<AgeBandRow>, };

/**
 * One office's counts.
 */
export type OfficeFigures = { org_unit: string, name: string, region: string, 
/**
 * 结婚登记
 */
marriages: number, 
/**
 * 不予登记 (marriages refused)
 */
refusals: number, 
/**
 * 离婚申请受理
 */
divorce_applications: number, 
/**
 * 撤回 and 视为撤回
 */
withdrawals: number, 
/**
 * 离婚登记
 */
divorces: number, };

/**
 * What a marital-status check is made for: the registration being
 * prepared at the counter (on the platform already, as prepared, naming
 * the same two documents), or today's appointment of the two people.
 */
export type CheckPurpose = { 
/**
 * `marriage_registration` or `marriage_appointment`.
 */
kind: RecordKind, record_id: string, };

/**
 * One check of an office's day, as its head sees it
 * (`GET /api/v1/marriage/status-checks?day=…`): who, when, for what; never
 * the documents.
 */
export type StatusCheckEntry = { check_id: string, checked_at: string, 
/**
 * Who checked (display name).
 */
user: string, 
/**
 * The device's name.
 */
device: string, purpose: CheckPurpose | null, 
/**
 * What became of the record the check was made for, now:
 * `prepared`, `registered`, `refused` (a registration), `booked`,
 * `checked_in`, `no_show`, `served` (an appointment), or `deleted` /
 * `missing`. A check for a form deleted since is worth a look.
 */
purpose_now: string | null, clear: boolean, 
/**
 * Past the daily cap: refused, and shown to the head for that reason.
 */
refused: boolean, };

export type SecrecyLevel = "绝密" | "机密" | "秘密";

export type Classification = { level: SecrecyLevel, 
/**
 * 保密期限, e.g. "1年", "6个月" (Arabic numerals).
 */
period?: string | null, };

export type Urgency = "特急" | "加急";

/**
 * One paragraph of the body.
 */
export type Paragraph = { 
/**
 * 0 = ordinary paragraph; 1 = 一、 (黑体); 2 = （一） (楷体); 3 = 1. (仿宋);
 * 4 = （1） (仿宋). The text carries its own numbering.
 */
level: number, text: string, };

/**
 * An official document as the JSON input gives it.
 */
export type OfficialDocument = { 
/**
 * 份号: copy number, 6 Arabic digits, e.g. "000001".
 */
copy_no?: string | null, 
/**
 * 密级和保密期限.
 */
classification?: Classification | null, 
/**
 * 紧急程度.
 */
urgency?: Urgency | null, 
/**
 * 发文机关标志, e.g. "湖南省民政厅文件". For a joint document the
 * issuers' names are stacked and a trailing "文件" is set beside them.
 */
issuer_mark: string, 
/**
 * The issuing bodies of a joint document (联合行文), the lead body first.
 */
issuers?: Array<string>, 
/**
 * 发文字号: 机关代字〔year〕serial号, e.g. "湘民发〔2016〕22号".
 */
doc_number: string, 
/**
 * 签发人 of an upward document (上行文), in signing order.
 */
signers?: Array<string>, 
/**
 * Whether the document is sent upward (上行文): the mark moves down to
 * 80 mm and the signers are printed.
 */
upward: boolean, 
/**
 * 标题.
 */
title: string, 
/**
 * 主送机关, in order; printed joined by "，" and ended by "：".
 */
recipients?: Array<string>, 
/**
 * 正文: paragraphs.
 */
body: Array<Paragraph>, 
/**
 * 附件说明: the attachments' titles.
 */
attachments?: Array<string>, 
/**
 * 发文机关署名.
 */
signature: string, 
/**
 * 成文日期, YYYY-MM-DD.
 */
date: string, 
/**
 * Whether the seal (印章) is printed over the signature and date.
 */
sealed: boolean, 
/**
 * 附注, printed in parentheses.
 */
note?: string | null, 
/**
 * 抄送机关.
 */
cc?: Array<string>, 
/**
 * 印发机关 (with `print_date`).
 */
printer?: string | null, 
/**
 * 印发日期, YYYY-MM-DD (with `printer`).
 */
print_date?: string | null, };

/**
 * A draft as 打印中心 lists it.
 */
export type DraftEntry = { id: string, document: OfficialDocument, 
/**
 * A change to it waits to be sent.
 */
pending: boolean, };

/**
 * The pages a document will print as, or what stops it.
 */
export type DocumentPreview = { 
/**
 * Each page as SVG, from the same layout the PDF is written from.
 */
pages_svg: Array<string>, 
/**
 * The first thing that stops the document from printing, with its
 * field (`title`, `body[3].text`, `doc_number` …); no pages then.
 */
problem: FieldIssue | null, };

/**
 * The steps of a case, in their order. A case moves forward one step or
 * more at a time, never back; the ashes end it one of three ways.
 */
export type CaseStage = "called" | "received" | "stored" | "farewell" | "cremated" | "ashes_collected" | "ashes_deposited" | "buried";

/**
 * The cause of death as the death data records it (正常 / 非正常死亡): a
 * death that is not natural is the police's to clear before cremation.
 */
export type CauseCategory = "natural" | "unnatural";

/**
 * The life of a cremation certificate (火化证明) in the 2024 notice:
 * issued with a number, collected by the family (signed for), registered,
 * written off and kept for inspection; a certificate voided stays on
 * record.
 */
export type CertificateState = "issued" | "collected" | "registered" | "written_off" | "voided";

/**
 * Who may have basic services waived (湖南 2013: 低保, 三无, 五保/特困, and
 * unidentified bodies).
 */
export type WaiverGround = "dibao" | "sanwu" | "tekun" | "unidentified";

/**
 * One item of a home's fee schedule (收费清单).
 */
export type FeeItem = { 
/**
 * The item's code in the schedule, e.g. `cremation_flat`.
 */
code: string, name: string, 
/**
 * The unit (次, 天, 个).
 */
unit: string, unit_price_fen: number, 
/**
 * One of the basic public services (基本殡葬服务), at a government price.
 */
basic: boolean, };

/**
 * A waiver of the home's rules (imported per city): the items it covers
 * (a basic item and the upgrades it pays part of), how many units at most
 * and how much at most per body. An upgrade (a better furnace) pays only
 * the difference: the waiver covers what the basic item would have cost.
 */
export type WaiverRule = { items: Array<string>, max_units: number | null, cap_fen: number | null, 
/**
 * Who it is for.
 */
grounds: Array<WaiverGround>, };

/**
 * The call that opens a case (来电登记).
 */
export type CallLog = { 
/**
 * When the call came, in China's time.
 */
called_at: string, 
/**
 * Who called: a relative, a hospital, the police.
 */
caller: string, phone: string, 
/**
 * Where the body is.
 */
place: string, };

/**
 * The vehicle and driver sent to collect the body (接运).
 */
export type Dispatch = { 
/**
 * The home's vehicle, by its plate or its number in the home's list.
 */
vehicle: string, driver: string, dispatched_at: string, 
/**
 * When the body was received at the home.
 */
received_at: string | null, };

/**
 * The deceased (逝者). An unidentified body (无名遗体) has no document; its
 * name is what the police call it (无名氏).
 */
export type Deceased = { name: string, doc_type: DocumentType | null, doc_number: string, sex: Sex | null, birth_date: string | null, ethnicity: string, died_at: string, death_place: string, cause: CauseCategory, 
/**
 * The household's region (GB/T 2260, six digits), when known.
 */
household_region: string, 
/**
 * The rest of the household address.
 */
address: string, };

/**
 * The family's contact (丧事承办人).
 */
export type Contact = { name: string, doc_type: DocumentType, doc_number: string, 
/**
 * How they are related to the deceased (子女, 配偶 …).
 */
relation: string, phone: string, };

/**
 * One paper checked at the desk: who checked it and when, its number, and
 * its scan.
 */
export type PaperCheck = { 
/**
 * Who checked (the clerk's display name).
 */
by: string, at: string, 
/**
 * The paper's number (the death certificate's, the document's).
 */
number: string, 
/**
 * The scan, a blob named by its hash.
 */
scan: BlobRef | null, };

/**
 * The papers of a case (the 2024 notice): each `None` until checked.
 */
export type Checks = { 
/**
 * The deceased's identity against their document.
 */
identity: PaperCheck | null, 
/**
 * The 居民死亡医学证明, its number in the form of its year.
 */
death_certificate: PaperCheck | null, 
/**
 * The police's paper: for an unidentified body, or a death the police
 * handle (a police death certificate).
 */
police_paper: PaperCheck | null, 
/**
 * The 遗体火化确认书 signed by the contact.
 */
confirmation: PaperCheck | null, 
/**
 * The contact's own document.
 */
contact_identity: PaperCheck | null, };

/**
 * A stay in a cold-storage cabinet (冷藏).
 */
export type CabinetStay = { 
/**
 * The cabinet, by its number on the home's board.
 */
cabinet: string, from: string, until: string | null, };

/**
 * The cremation (火化): the furnace and time it is queued for, and when
 * it was done and by whom.
 */
export type Cremation = { furnace: string, planned_at: string, done_at: string | null, operator: string, };

/**
 * Who collected a cremation certificate (领取), as signed for.
 */
export type Collection = { name: string, doc_type: DocumentType, doc_number: string, at: string, };

/**
 * A cremation certificate issued again (补发).
 */
export type CertificateReissue = { 
/**
 * A new number of the home's block.
 */
number: string, issued_on: string, 
/**
 * The document of the one it was given to: the first recipient's.
 */
doc_number: string, 
/**
 * Who checked their identity and gave it.
 */
by: string, reason: string, };

/**
 * The cremation certificate (火化证明) of a case.
 */
export type CremationCertificate = { 
/**
 * HZ + the home's region + year + serial, from the home's block.
 */
number: string, state: CertificateState, issued_on: string, collected: Collection | null, 
/**
 * Numbers spoiled in printing: void, kept, never used again.
 */
voided_numbers: Array<string>, 
/**
 * Certificates issued again for a lost one (补发), oldest first: only
 * to the one who collected it, after their identity was checked.
 */
reissues: Array<CertificateReissue>, };

/**
 * Where the ashes went: the end of a case.
 */
export type Ashes = { "way": "handed_over", to: string, doc_type: DocumentType, doc_number: string, on: string, } | { "way": "deposited", niche: string, agreement_no: string, from: string, until: string, } | { "way": "buried", plot: string, on: string, };

/**
 * A service the preparation room does on the body.
 */
export type WorkKind = "washing" | "dressing" | "cosmetic";

/**
 * A work order of the preparation room: ordered at the desk, done by
 * the one who did it.
 */
export type WorkOrder = { kind: WorkKind, ordered_at: string, 
/**
 * What the family asked for.
 */
note: string, done_at: string | null, done_by: string, };

/**
 * The body of a `funeral_case` record.
 */
export type FuneralCaseData = { 
/**
 * YT + the home's region + year + serial, from the home's block.
 */
case_no: string, stage: CaseStage, call: CallLog, dispatch: Dispatch | null, 
/**
 * An unidentified body (无名遗体): the police's paper stands in for the
 * identity and for the family.
 */
unidentified: boolean, deceased: Deceased, contact: Contact | null, checks: Checks, cabinet: CabinetStay | null, cremation: Cremation | null, certificate: CremationCertificate | null, ashes: Ashes | null, 
/**
 * The bill, once services are taken.
 */
bill: CaseBill | null, 
/**
 * The preparation room's work on the body, in the order given.
 */
work_orders: Array<WorkOrder>, };

/**
 * One home's counts over the months asked for: no personal data.
 */
export type HomeFigures = { org_unit: string, name: string, region: string, received: number, cremated: number, unidentified: number, 
/**
 * Cremations whose bill was waived (惠民殡葬减免).
 */
waived: number, };

/**
 * A cabinet, a hall or a furnace of the home.
 */
export type Facility = { 
/**
 * Its number on the home's board (`A01`, `1号厅`).
 */
code: string, 
/**
 * What it is called or what kind it is (平板炉, 拣灰炉, 大厅).
 */
name: string, 
/**
 * Out of service (维修), not offered.
 */
out_of_service: boolean, };

/**
 * The body of a `funeral_home` record.
 */
export type FuneralHomeData = { 
/**
 * The vehicles for collection, by plate.
 */
vehicles: Array<string>, drivers: Array<string>, cabinets: Array<Facility>, halls: Array<Facility>, furnaces: Array<Facility>, 
/**
 * The starts of a hall's slots of a day (`08:00`), one booking each.
 */
hall_slots: Array<string>, 
/**
 * The fee schedule (收费清单).
 */
fee_items: Array<FeeItem>, 
/**
 * The waiver rules (惠民殡葬).
 */
waivers: Array<WaiverRule>, };

/**
 * The body of a `funeral_standard` record.
 */
export type FuneralStandardData = { 
/**
 * The region it binds (GB/T 2260: `430000` for Hunan, `430100` for
 * 长沙市): the region of the civil affairs that keep it.
 */
region: string, 
/**
 * The official list: each item's code, name, unit, whether it is a
 * basic service, and its highest price (`unit_price_fen`).
 */
items: Array<FeeItem>, 
/**
 * The waivers every home of the region grants at least.
 */
waivers: Array<WaiverRule>, };

/**
 * The fifteen kinds of the Regulations (art. 8).
 */
export type DocKind = "决议" | "决定" | "命令" | "公报" | "公告" | "通告" | "意见" | "通知" | "通报" | "报告" | "请示" | "批复" | "议案" | "函" | "纪要";

/**
 * The steps a document passes, outgoing (发文) then incoming (收文), and
 * the end of both.
 */
export type Step = "draft" | "review" | "sign_off" | "countersign" | "check" | "register" | "print" | "distribute" | "first_check" | "assign" | "handle" | "done";

/**
 * How much time a tracked item (督办) or a step has left, as the boards
 * colour it.
 */
export type TimeLeft = "ample" | "soon" | "overdue";

/**
 * Which way a document goes.
 */
export type Direction = "outgoing" | "incoming";

/**
 * A person on the platform, by user id, with the name shown.
 */
export type Person = { user_id: string, name: string, };

/**
 * An org unit a document is sent to.
 */
export type UnitRef = { 
/**
 * Its code on the platform, e.g. `430100-civil`.
 */
code: string, name: string, };

/**
 * The leader's sign-off (签发, art. 22): the opinion, the name and the full
 * date; a circle (圈阅) counts as consent; a stand-in signs with 代.
 */
export type SignOff = { by: Person, 
/**
 * The leader signed for, when a stand-in signs (代).
 */
on_behalf_of?: Person, opinion: string, 
/**
 * 圈阅: a circle, consent without words.
 */
circled: boolean, date: string, 
/**
 * The content signed, as [`content_hash`] gives it: a change after
 * sign-off goes back to the signer.
 */
content: string, };

/**
 * One co-issuer's countersign (会签) of a joint document, recorded by the
 * office.
 */
export type Countersign = { 
/**
 * The co-issuing body, as the document names it in `issuers`.
 */
issuer: string, 
/**
 * Who signed for it.
 */
signer: string, opinion: string, date: string, };

/**
 * A draft of a document as it stood before a change: its content, who
 * wrote it and when.
 */
export type Version = { title: string, document?: OfficialDocument, 
/**
 * The files attached to it then (kept beside the record while the
 * draft is).
 */
attachments?: Array<Attachment>, 
/**
 * Who last saved this draft (created it or changed it into this), and
 * when.
 */
by: Person, at: string, };

/**
 * A destruction of copies of a classified document: asked for by the
 * office with the reason, decided by the leader it names, done in a
 * witness's presence (监销).
 */
export type Destruction = { 
/**
 * The copy numbers (份号) destroyed.
 */
copies: Array<number>, 
/**
 * How (碎纸机粉碎, 送保密部门集中销毁 …).
 */
method: string, reason: string, asked_by: Person, asked_at: string, approver: Person, 
/**
 * The leader's decision: `None` while it waits.
 */
approved?: boolean, decided_at?: string, 
/**
 * The leader's words on it (the reason, when declined).
 */
decision: string, destroyed_by?: Person, witness?: Person, destroyed_at?: string, };

/**
 * Registration (登记): the number, the recipients and the copies.
 */
export type Registration = { 
/**
 * 机关代字〔year〕serial号, from the unit's sequence.
 */
number: string, recipients: Array<UnitRef>, 
/**
 * How many copies are printed; they are numbered 000001 on.
 */
copies: number, };

/**
 * Where an incoming document came from.
 */
export type Received = { 
/**
 * The sending body's name.
 */
sender: string, 
/**
 * Its unit on the platform, when it came through the platform.
 */
sender_unit?: string, 
/**
 * The sender's number (来文字号); empty when it has none.
 */
sender_number: string, received_on: string, 
/**
 * The platform's delivery it was received from (签收), if any.
 */
delivery?: string, };

/**
 * Who handles an incoming document (承办): the lead and the co-handlers.
 */
export type Handling = { lead: Person, co: Array<Person>, };

/**
 * A reader of a circulated document (传阅), and what they wrote.
 */
export type Reading = { reader: Person, 
/**
 * What it is sent to them for (阅示, 阅知 …).
 */
purpose: string, sent_at: string, read_at?: string, 
/**
 * The reader's instruction (批示) or remark.
 */
opinion: string, 
/**
 * Whom the instruction names, to be told.
 */
instructs: Array<Person>, };

/**
 * A file attached to a document: its name as the clerk chose it, the file
 * and who attached it when.
 */
export type Attachment = { 
/**
 * The file's name as shown, e.g. `附件1 统计表.xlsx`.
 */
name: string, file: BlobRef, by: Person, at: string, };

/**
 * What a step does.
 */
export type Action = { "kind": "create" } | { "kind": "edit" } | { "kind": "submit" } | { "kind": "approve", signer: Person, } | { "kind": "sign_off", circled: boolean, on_behalf_of?: Person, } | { "kind": "countersign", issuer: string, signer: string, } | { "kind": "check" } | { "kind": "register", number: string, recipients: Array<UnitRef>, copies: number, } | { "kind": "print" } | { "kind": "distribute" } | { "kind": "accept" } | { "kind": "reject" } | { "kind": "assign", lead: Person, co: Array<Person>, } | { "kind": "circulate", readers: Array<Person>, purpose: string, } | { "kind": "read", instructs: Array<Person>, } | { "kind": "chase" } | { "kind": "ask_extension", to: string, } | { "kind": "extend", to: string, } | { "kind": "reply" } | { "kind": "file" } | { "kind": "return", to: Step, } | { "kind": "recall" } | { "kind": "comment" } | { "kind": "ask_destroy", copies: Array<number>, method: string, approver: Person, } | { "kind": "decide_destroy", approve: boolean, } | { "kind": "destroyed", witness: Person, };

/**
 * One step taken: the step it was taken at, what it did, by whom, when
 * (in China) and with what comment; `deadline` for the step it hands on.
 */
export type StepEntry = { step: Step, action: Action, by: Person, at: string, opinion: string, deadline?: string, 
/**
 * Taken for an owner of the step who is away (委托办理), by whom today's
 * away report names to stand in for them. A sign-off for an absent
 * leader says so in its own action (代签发) instead.
 */
on_behalf_of?: Person, };

/**
 * The body of an `office_document` record.
 */
export type OfficeDocumentData = { direction: Direction, kind: DocKind, title: string, classification?: Classification, urgency?: Urgency, 
/**
 * 重要公文: signed off by the principal leader.
 */
important: boolean, 
/**
 * The document as 打印中心 composes and prints it: an outgoing one's
 * own, an incoming one's as delivered (none for one received on paper).
 */
document?: OfficialDocument, received?: Received, 
/**
 * The step it waits at.
 */
step: Step, 
/**
 * Whose work the step is, by user id; empty for the office's work.
 */
owners: Array<string>, deadline?: string, 
/**
 * The leader named at review to sign it off.
 */
signer?: Person, sign_off?: SignOff, countersigns: Array<Countersign>, registration?: Registration, handling?: Handling, readers: Array<Reading>, 
/**
 * Every step taken, oldest first.
 */
steps: Array<StepEntry>, 
/**
 * The drafts it had before its content now (稿), oldest first: each
 * change of the content keeps the one it replaces, at most
 * [`MAX_VERSIONS`].
 */
versions?: Array<Version>, 
/**
 * Its copies destroyed or asked to be (销毁登记), a classified
 * document's only, oldest first.
 */
destructions?: Array<Destruction>, 
/**
 * The files attached to it (附件), at most [`MAX_ATTACHMENTS`], each
 * kept beside the record as a blob.
 */
attachments: Array<Attachment>, };

/**
 * A document as it was sent to a unit (核发), for its office to receive.
 */
export type SentDocument = { kind: DocKind, title: string, 
/**
 * Its number (发文字号).
 */
number: string, classification?: Classification, urgency?: Urgency, document?: OfficialDocument, };

/**
 * A document sent to the caller's unit, waiting to be received
 * (`GET /api/v1/office/deliveries`).
 */
export type Delivery = { id: string, 
/**
 * The outgoing document it was sent from.
 */
document_id: string, from_unit: string, from_name: string, sent: SentDocument, 
/**
 * Unix milliseconds.
 */
delivered_at: number, };

/**
 * A classified document read online (`GET /api/v1/office/classified`):
 * never cached, its version the base of the next step.
 */
export type HeldDocument = { id: string, version: number, data: OfficeDocumentData, };

/**
 * A document as the inbox lists it.
 */
export type OfficeEntry = { id: string, direction: Direction, kind: DocKind, title: string, 
/**
 * Its number (发文字号), or the sender's (来文字号).
 */
number: string | null, 
/**
 * The sender of an incoming document.
 */
sender: string | null, step: Step, step_name: string, 
/**
 * Whose work the step is, by name; empty for the office's work.
 */
owners: Array<string>, deadline: string | null, time_left: TimeLeft, 
/**
 * 特急 / 加急.
 */
urgency: string | null, 
/**
 * 秘密 / 机密 / 绝密.
 */
classification: string | null, 
/**
 * Out for reading (传阅中).
 */
circulating: boolean, 
/**
 * A step taken here waits to be sent.
 */
pending: boolean, 
/**
 * In the user's 待办 as the stand-in of an owner who is away (代办).
 */
standing_in: boolean, 
/**
 * When its last step was taken.
 */
updated: string, };

/**
 * The user's inbox; each list's length is its count in the navigation.
 */
export type OfficeInbox = { 
/**
 * Steps that are the user's (or the office's, for its staff) to take.
 */
to_do: Array<OfficeEntry>, 
/**
 * Documents the user has taken a step on, not waiting for them now.
 */
done: Array<OfficeEntry>, 
/**
 * Documents sent round to the user and not yet read (传阅).
 */
to_read: Array<OfficeEntry>, 
/**
 * The unit's documents the user may read, newest first, at most
 * [`ALL_LISTED`].
 */
all: Array<OfficeEntry>, 
/**
 * How many documents the cache holds.
 */
total: number, 
/**
 * 督办: every document of the unit not yet done that has a deadline,
 * by deadline (the overdue first).
 */
tracking: Array<OfficeEntry>, 
/**
 * 督办事项: the unit's tracked tasks, the open ones first by deadline
 * (those with `mine` set count among the user's to-dos).
 */
tasks: Array<TaskItem>, };

/**
 * A line of the destruction register (销毁登记): the classified document
 * and one destruction of its copies.
 */
export type DestructionEntry = { id: string, title: string, 
/**
 * Its number (发文字号), or the sender's (来文字号).
 */
number: string | null, 
/**
 * 秘密 / 机密 / 绝密.
 */
classification: string, destruction: Destruction, };

/**
 * A step the user may take on a document now.
 */
export type OfficeChoice = { 
/**
 * The action's kind, as [`Action`] names it on the wire (`approve`,
 * `sign_off`, `return` …).
 */
kind: string, 
/**
 * Its name on the button.
 */
name: string, 
/**
 * For a return: the steps it may go back to.
 */
to: Array<Step>, 
/**
 * Whom the user takes it for (代), standing in for them while they
 * are away: for a sign-off, the leader it is signed for (the action
 * says so); for any other step, the owner whose to-do it is (the
 * request says so, [`StepRequest::on_behalf_of`]).
 */
on_behalf_of: Person | null, };

/**
 * One document with what the user may do with it.
 */
export type OfficeView = { id: string, entry: OfficeEntry, data: OfficeDocumentData, choices: Array<OfficeChoice>, 
/**
 * The number the unit's sequence gives next, for the registration.
 */
next_number: string | null, 
/**
 * A step taken here that met someone else's on the platform: what
 * they did; this desk's step waits in the sync issues, never sent over
 * theirs.
 */
conflict: OfficeConflict | null, 
/**
 * A classified document: read from the platform for this view, never
 * kept on this desk; its steps are taken online only.
 */
held_online: boolean, };

/**
 * Someone else's step that came first.
 */
export type OfficeConflict = { 
/**
 * The sync issue to settle.
 */
device_seq: number, by: string, at: string, 
/**
 * What they did (签发, 复核 …) and at which step.
 */
action: string, step: string, opinion: string, };

/**
 * A step as the window asks for it.
 */
export type StepRequest = { action: Action, opinion: string, deadline: string | null, 
/**
 * Taken for an owner who is away, by their stand-in (the choice says
 * whom).
 */
on_behalf_of?: Person, };

/**
 * A new outgoing document: what 打印中心's composer wrote, with its kind.
 */
export type NewOutgoing = { kind: DocKind, important: boolean, document: OfficialDocument, };

/**
 * An incoming document received on paper or as a file (登记).
 */
export type NewIncoming = { kind: DocKind, title: string, sender: string, sender_number: string, received_on: string, urgency: Urgency | null, classification: Classification | null, deadline: string | null, 
/**
 * The document as it came, a file or a scan of the paper (收文扫描件),
 * attached with its registration.
 */
file?: ChosenFile, };

/**
 * A file the clerk chose, as the window sends it: its name, its kind as
 * the name says (the content is checked against it) and its bytes in
 * base64.
 */
export type ChosenFile = { name: string, media_type: string, data: string, };

/**
 * What an item is.
 */
export type LibraryKind = "policy" | "regulation" | "template" | "department";

/**
 * One item of the library.
 */
export type LibraryItemData = { title: string, kind: LibraryKind, 
/**
 * Its place in the category tree, from the top: `["法规", "婚姻登记"]`.
 */
category: Array<string>, 
/**
 * 发布机关, e.g. 国务院.
 */
issuer: string, 
/**
 * 文号, e.g. 国务院令第387号.
 */
doc_number: string, 
/**
 * Every version of its file, oldest first; the last is the current.
 */
versions: Array<LibraryVersion>, 
/**
 * The current file's text, as `mz_text::extract` takes it out: empty
 * for a scan. At most [`MAX_TEXT_CHARS`] characters.
 */
text: string, };

/**
 * A version of an item's file.
 */
export type LibraryVersion = { file: BlobRef, 
/**
 * The file's name as uploaded, e.g. `婚姻登记条例.pdf`.
 */
file_name: string, 
/**
 * What changed (修订说明); empty only for the first version.
 */
change: string, 
/**
 * Who uploaded it, and when (China's time).
 */
by: Person, at: string, };

/**
 * One item found: the item as stored but its text (empty: its passage
 * stands for it).
 */
export type LibraryHit = { id: string, version: number, item: LibraryItemData, 
/**
 * Where in the title the words are, in characters: `[start, end)`.
 */
title_marks: Array<[number, number]>, 
/**
 * The passage of the text where the words first occur, marked.
 */
passage: Snippet, };

/**
 * A passage of a text around what was found, with the places found in it.
 */
export type Snippet = { 
/**
 * The passage, as the text has it; `…` where it was cut.
 */
text: string, 
/**
 * The places found in `text`, in characters from its start: `[start,
 * end)`, in order, never overlapping.
 */
marks: Array<[number, number]>, };

/**
 * An item as the library's list shows it.
 */
export type LibraryEntry = { id: string, item: LibraryItemData, 
/**
 * Whether a change to it waits to be sent.
 */
pending: boolean, };

/**
 * What a search found, and where it looked.
 */
export type LibraryFound = { hits: Array<LibraryHit>, 
/**
 * The words searched, as read.
 */
words: Array<string>, 
/**
 * Whether the platform searched the whole library (otherwise this
 * desk's cache did).
 */
online: boolean, 
/**
 * The items this desk holds, searched offline.
 */
cached: number, };

/**
 * A file the user chose: its name and its bytes in base64.
 */
export type ChosenLibraryFile = { name: string, data: string, };

/**
 * A new item as the upload form fills it.
 */
export type NewLibraryItem = { title: string, kind: LibraryKind, category: Array<string>, issuer: string, doc_number: string, file: ChosenLibraryFile, };

/**
 * One record found.
 */
export type FoundRecord = { 
/**
 * The module whose page opens it.
 */
module: AppModule, kind: RecordKind, id: string, 
/**
 * What it is, e.g. 结婚登记, 公文, 资料.
 */
what: string, 
/**
 * Its title, or the person found in it with their part.
 */
title: string, 
/**
 * A passage or a number, with the places found marked (`[start, end)`).
 */
detail: Snippet, 
/**
 * The unit whose record it is (its code).
 */
unit: string | null, 
/**
 * The day it is about (a registration's, a case's call, an activity's,
 * a document's receipt or drafting, a library version's).
 */
day: string | null, };

/**
 * What 综合查询 is narrowed to, beside its words: a module, a unit, days
 * (both ends included).
 */
export type SearchFilter = { module: AppModule | null, 
/**
 * A unit's code, as the hits carry it.
 */
unit: string | null, from: string | null, to: string | null, };

/**
 * What 综合查询 found, and the units among what it found before the unit
 * filter (to narrow by).
 */
export type SearchFound = { hits: Array<FoundRecord>, units: Array<UnitCount>, };

/**
 * A unit among the hits, with how many are its.
 */
export type UnitCount = { code: string, 
/**
 * Its name, as the platform last said it; the code when never heard.
 */
name: string, count: number, };

/**
 * One sheet of figures.
 */
export type FigureSheet = { name: string, columns: Array<string>, rows: Array<Array<FigureCell>>, };

/**
 * A cell: a count, or the name of what is counted.
 */
export type FigureCell = number | string;

/**
 * The figures of 数据分析 the user's roles may read, month by month over
 * the range asked for: `None` for a module whose figures the roles do not
 * read (the platform would refuse them too). Counts only.
 */
export type Dashboard = { 
/**
 * The months shown, `YYYY-MM`, oldest first.
 */
months: Array<string>, marriage?: Array<MarriageMonth>, funeral?: Array<FuneralMonth>, documents?: DocumentFigures, };

/**
 * One month's counts of the registration offices within reach.
 */
export type MarriageMonth = { 
/**
 * `YYYY-MM`.
 */
month: string, offices: Array<OfficeFigures>, };

/**
 * One month's counts of the funeral homes within reach.
 */
export type FuneralMonth = { 
/**
 * `YYYY-MM`.
 */
month: string, homes: Array<HomeFigures>, };

/**
 * The figures within the caller's reach: every section with work waiting
 * (as of `today`), and every month asked for, in order, zeros included.
 */
export type DocumentFigures = { today: string, sections: Array<SectionFigures>, months: Array<MonthFigures>, };

/**
 * What waits on one section of one unit today.
 */
export type SectionFigures = { org_unit: string, unit_name: string, 
/**
 * The section of whom it waits on; empty for the office's own work
 * (registering, distributing) or someone in no section.
 */
section: string, 
/**
 * Documents not yet done (待办).
 */
documents_pending: number, 
/**
 * Of those, past their deadline.
 */
documents_overdue: number, 
/**
 * 督办 matters not closed.
 */
tasks_open: number, 
/**
 * Of those, past their deadline.
 */
tasks_overdue: number, };

/**
 * One month's flow.
 */
export type MonthFigures = { 
/**
 * `YYYY-MM`.
 */
month: string, 
/**
 * Outgoing documents begun (发文).
 */
outgoing: number, 
/**
 * Incoming documents registered (收文).
 */
incoming: number, 
/**
 * Documents done.
 */
documents_done: number, 
/**
 * 督办 matters opened.
 */
tasks_opened: number, 
/**
 * 督办 matters closed.
 */
tasks_closed: number, };

/**
 * The body of an `office_delegation` record.
 */
export type DelegationData = { 
/**
 * Who is away.
 */
from: Person, 
/**
 * Who takes their to-dos.
 */
to: Person, 
/**
 * The first and the last day it runs (China's days).
 */
start: string, end: string, 
/**
 * Why (休假, 出差, 培训 …).
 */
reason: string, cancelled: boolean, };

/**
 * A delegation as the user's list shows it.
 */
export type DelegationEntry = { id: string, data: DelegationData, 
/**
 * It runs today.
 */
running: boolean, 
/**
 * The user handed it over (else: it was handed to the user).
 */
mine: boolean, 
/**
 * Not yet sent.
 */
pending: boolean, };

/**
 * A new delegation: to whom, which days, why.
 */
export type NewDelegation = { to: Person, start: string, end: string, reason: string, };

/**
 * The people a step names: the unit's leaders (who sign and read), and
 * everyone else the unit has who works documents.
 */
export type OfficePeople = { 
/**
 * Leaders in the setup's order, the principal marked.
 */
leaders: Array<OfficeLeader>, 
/**
 * Everyone who may be named to handle or read: leaders, secretaries,
 * the office and the people who already took steps here.
 */
people: Array<Person>, 
/**
 * The section (内设机构) each person works in, by user id, as the
 * platform knows it (empty offline): a document is assigned to a
 * section through the person who handles it there.
 */
sections: { [key in string]: string }, };

export type OfficeLeader = { person: Person, title: string, principal: boolean, };

/**
 * Where a task comes from: a reader's instruction on a document.
 */
export type TaskSource = { document: string, 
/**
 * The document's title, as it was when the task was opened.
 */
title: string, 
/**
 * Who instructed.
 */
by: Person, };

/**
 * What an entry does.
 */
export type TaskAction = { "kind": "open" } | { "kind": "report", done: boolean, } | { "kind": "chase" } | { "kind": "ask_extension", to: string, } | { "kind": "extend", to: string, } | { "kind": "reassign", lead: Person, co: Array<Person>, } | { "kind": "close" };

/**
 * One entry of a task's history: what, by whom, when (in China), with
 * what words (the report, the reason, the opinion).
 */
export type TaskEntry = { action: TaskAction, by: Person, at: string, text: string, };

/**
 * The body of an `office_task` record.
 */
export type TaskData = { title: string, 
/**
 * What is to be done (督办要求): the instruction's words, or the task's.
 */
requirement: string, source?: TaskSource, 
/**
 * Who answers for it (主办), and who helps (协办).
 */
lead: Person, co: Array<Person>, deadline: string, 
/**
 * A report has asked to close it (报结), not yet decided.
 */
reported_done: boolean, closed: boolean, 
/**
 * Every entry, oldest first.
 */
entries: Array<TaskEntry>, };

/**
 * A task as the board lists it.
 */
export type TaskItem = { id: string, title: string, lead: string, co: Array<string>, deadline: string, 
/**
 * Green, amber within three days, red overdue (a closed one: ample).
 */
time_left: TimeLeft, 
/**
 * The lead has reported it finished and asks to close it (报结).
 */
reported_done: boolean, closed: boolean, 
/**
 * A later deadline the lead asked for, not yet granted.
 */
asked_until: string | null, 
/**
 * The last report back, its words.
 */
last_report: string | null, 
/**
 * The document whose instruction it tracks, and that document's title.
 */
source: TaskSource | null, 
/**
 * An entry taken here waits to be sent.
 */
pending: boolean, updated: string, 
/**
 * The user has something to do on it now (report, or, for the office,
 * decide a request or a report that asks to close it).
 */
mine: boolean, };

/**
 * One task with the entries the user may take on it now.
 */
export type TaskView = { item: TaskItem, data: TaskData, 
/**
 * The actions the user may take, by their wire kind (`report`,
 * `close` …), each with its name.
 */
choices: Array<TaskChoice>, };

export type TaskChoice = { kind: string, name: string, };

/**
 * A task as the window opens it.
 */
export type NewTask = { title: string, requirement: string, 
/**
 * The document whose instruction it tracks, and who instructed.
 */
source_document: string | null, instructed_by: Person | null, lead: Person, co: Array<Person>, deadline: string, };

/**
 * An entry as the window asks for it.
 */
export type TaskRequest = { action: TaskAction, text: string, };

/**
 * A half-day slot of the weekly table.
 */
export type HalfDay = "morning" | "afternoon" | "evening";

/**
 * When an activity takes place.
 */
export type When = { "kind": "timed", start: string, end: string, } | { "kind": "all_day", from: string, to: string, } | { "kind": "half_day", day: string, slot: HalfDay, };

/**
 * Who may see an activity.
 */
export type Visibility = "public" | "internal" | "confidential";

/**
 * How an activity repeats: an iCalendar recurrence rule (RFC 5545 RRULE,
 * `FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231T155959Z`) read in China's time from
 * the activity's start, its occurrences on rest days skipped when asked
 * (from the synced holiday calendar: a weekly meeting does not fall on
 * 国庆), and the occurrences taken out by their start (EXDATE: one
 * cancelled, or one moved to a record of its own).
 */
export type Repeat = { rule: string, skip_rest_days: boolean, except: Array<string>, };

/**
 * An occurrence of a series, by the series' id and the start the
 * occurrence has in it.
 */
export type OccurrenceOf = { series: string, start: string, };

/**
 * What a feed or file does with confidential activities.
 */
export type ConfidentialAs = "shown" | "busy" | "omitted";

/**
 * A leader's phone feed, as the office, the leader and their secretaries
 * see it (never its token, which only its maker saw once).
 */
export type Feed = { id: string, leader: string, leader_name: string, 
/**
 * Who made it (user id).
 */
created_by: string, created_at: string, revoked_at: string | null, last_fetch_at: string | null, 
/**
 * How many times a phone fetched it.
 */
fetches: number, };

/**
 * A feed just made, with the address a phone subscribes to.
 */
export type FeedLink = { feed: Feed, 
/**
 * The full address (https://…/api/v1/schedule/feed/<token>.ics).
 */
url: string, 
/**
 * The same address for a phone's calendar app (webcal://…).
 */
webcal: string, };

/**
 * What an import did, or why it did nothing.
 */
export type CalendarImport = { 
/**
 * Activities new to the schedule.
 */
added: number, 
/**
 * Activities changed by the file.
 */
changed: number, 
/**
 * Activities the file holds as they are stored.
 */
unchanged: number, 
/**
 * Each place the file is wrong, in Chinese (第 3 行 B 列（时间）…);
 * when there is one, nothing was imported.
 */
issues: Array<string>, };

/**
 * A leader of the department, in the order the table lists them.
 */
export type Leader = { 
/**
 * The leader's user id on the platform.
 */
user_id: string, name: string, 
/**
 * 厅长, 副厅长, 纪检组长 …
 */
title: string, 
/**
 * The principal leader (主要负责人).
 */
principal: boolean, 
/**
 * The executive deputy (常务副职).
 */
executive_deputy: boolean, };

/**
 * A secretary and the leaders they serve.
 */
export type Secretary = { user_id: string, name: string, 
/**
 * The leaders' user ids.
 */
leaders: Array<string>, };

/**
 * The body of a `schedule_setup` record.
 */
export type ScheduleSetupData = { leaders: Array<Leader>, secretaries: Array<Secretary>, 
/**
 * The least time, in minutes, between activities in two places.
 */
travel_minutes: number, 
/**
 * What the leaders' phone feeds carry of a confidential activity: a
 * busy time only (忙), or nothing (the office decides).
 */
feed_confidential: ConfidentialAs, 
/**
 * The office head (办公室主任, a user id), who approves the week's table
 * before it is published.
 */
office_head?: string, };

/**
 * The body of a `schedule_activity` record: a leader's activity, or a
 * government affair of the department (政务安排) that leaders may attend.
 */
export type ActivityData = { 
/**
 * The leaders' user ids, in the setup's order: at least one for a
 * leader's activity, any number for an affair.
 */
leaders: Array<string>, 
/**
 * A 政务安排 (a meeting, an inspection, a visit of the department)
 * rather than a leader's own activity.
 */
affair?: AffairKind, when: When, place: string, content: string, 
/**
 * Who organises it (主办单位).
 */
organiser: string, 
/**
 * Who attends (参加人员).
 */
attendees: Array<string>, 
/**
 * Who accompanies the leader (陪同人员).
 */
accompany: Array<string>, visibility: Visibility, 
/**
 * Why it stands though it overlaps another of a leader's (kept).
 */
override_reason: string | null, 
/**
 * Cancelled: kept, shown struck through, never revived.
 */
cancelled: boolean, 
/**
 * How it repeats (its `when` is the first occurrence).
 */
repeat?: Repeat, 
/**
 * The occurrence of a series this record moves or changes (iCalendar's
 * RECURRENCE-ID): the series and the start it has there.
 */
occurrence_of?: OccurrenceOf, 
/**
 * iCalendar's SEQUENCE: raised by each change of its time, place or
 * content, so that a calendar that holds it takes the change.
 */
sequence?: number, };

/**
 * Why a leader is away.
 */
export type AwayKind = "trip" | "leave" | "meeting";

/**
 * What a government affair of the department's week (政务安排) is.
 */
export type AffairKind = "meeting" | "inspection" | "survey" | "visit" | "other";

/**
 * An activity as the week's table was published with it: its id and the
 * fingerprint of its body (a later change differs).
 */
export type PublishedItem = { id: string, fingerprint: string, };

/**
 * The body of a `schedule_week` record: the week's table as the office
 * submitted it and its head approved it (normally by Monday morning), with
 * what it held then.
 */
export type WeekTableData = { 
/**
 * The week's Monday.
 */
monday: string, published_at: string, by: string, items: Array<PublishedItem>, 
/**
 * The office head who approved it (published); none while it waits for
 * the approval (submitted). The platform writes the approver's name.
 */
approved_by?: string, };

/**
 * The body of an `away_report` record (外出报备): a leader away from one
 * half-day to another, and who stands in (代主持工作).
 */
export type AwayData = { leader: string, kind: AwayKind, 
/**
 * Where to (for a trip or a meeting).
 */
destination: string, from: string, from_slot: HalfDay, to: string, to_slot: HalfDay, 
/**
 * The leader who stands in, by user id.
 */
stand_in: string | null, 
/**
 * Why it stands though the principal and the executive deputy would
 * both be away (kept).
 */
override_reason: string | null, cancelled: boolean, };

/**
 * An away report as the week lists it.
 */
export type AwayEntry = { id: string, data: AwayData, leader_name: string, stand_in_name: string | null, pending: boolean, };

/**
 * An activity as the week lists it: one occurrence of it.
 */
export type ActivityEntry = { id: string, data: ActivityData, 
/**
 * When this occurrence takes place (a single activity's own `when`).
 */
when: When, 
/**
 * The start this occurrence has in its series (a repeating activity).
 */
series_start: string | null, 
/**
 * How it repeats, in words (每周一，至 2026-12-31).
 */
repeat_text: string | null, 
/**
 * The leaders' names, in the setup's order.
 */
leader_names: Array<string>, 
/**
 * Waiting to be sent.
 */
pending: boolean, 
/**
 * Placed, changed or cancelled since the week's table was published.
 */
changed_since_publish: boolean, };

/**
 * A day of the week as the grid heads it.
 */
export type WeekDay = { day: string, 
/**
 * 星期一 …
 */
weekday: string, 
/**
 * A statutory rest day (holiday or weekend), when the calendar says.
 */
rest: boolean | null, 
/**
 * A weekend that is a working day (调休上班).
 */
working_weekend: boolean, 
/**
 * The activities of each slot (上午, 下午, 晚上), by time then leader.
 */
slots: Array<Array<ActivityEntry>>, 
/**
 * The leaders away in each slot.
 */
away: Array<Array<AwayEntry>>, };

/**
 * A week from its Monday.
 */
export type Week = { monday: string, days: Array<WeekDay>, 
/**
 * The table as the office head approved and published it, when they have.
 */
published: WeekTableData | null, 
/**
 * The table as submitted, waiting for the office head's approval.
 */
awaiting: WeekTableData | null, };

/**
 * A day of a leader's month or of "my day": its calendar mark, the
 * activities in it by start, and who is away.
 */
export type DayPlan = { day: string, weekday: string, rest: boolean | null, working_weekend: boolean, activities: Array<ActivityEntry>, away: Array<AwayEntry>, };

/**
 * One leader's month (or every leader's, when none is named).
 */
export type Month = { 
/**
 * The month's first day.
 */
first: string, leader: string | null, days: Array<DayPlan>, };

/**
 * An activity about to start, as a desktop notification says it.
 */
export type Reminder = { id: string, 
/**
 * When this occurrence starts (China's time).
 */
start: string, 
/**
 * 09:00 厅党组会
 */
title: string, 
/**
 * 厅机关 3 楼会议室 · 李明华
 */
body: string, };

/**
 * What the desk warns of before saving (not refused): two places too close
 * in time for the journey.
 */
export type ActivitySaved = { id: string, warnings: Array<string>, };

/**
 * Where a plot stands.
 */
export type PlotState = "free" | "reserved" | "sold" | "used";

/**
 * A plot held for someone for a while (预留).
 */
export type Reservation = { name: string, phone: string, 
/**
 * The last day it is held.
 */
until: string, at: string, by: string, };

/**
 * The one who holds a plot's contract (墓位使用权人).
 */
export type Holder = { name: string, doc_type: DocumentType, doc_number: string, phone: string, };

/**
 * A renewal of the management fee: paid on a day for some years, the
 * period running on from the end of the last.
 */
export type Renewal = { on: string, years: number, amount_fen: number, 
/**
 * The new end of the period.
 */
until: string, by: string, };

/**
 * The sale contract (墓位使用合同): its number from the home's block, the
 * holder, the price, and the management fee paid for a period that must
 * be renewed.
 */
export type PlotContract = { number: string, holder: Holder, signed_on: string, price_fen: number, 
/**
 * The management fee paid at signing, for `years` years.
 */
fee_fen: number, years: number, 
/**
 * The end of the first period.
 */
fee_until: string, renewals: Array<Renewal>, by: string, };

/**
 * Ashes laid in the plot (安葬).
 */
export type Burial = { 
/**
 * The home's case of the deceased, when cremated here.
 */
case_id: string | null, case_no: string, name: string, on: string, by: string, };

/**
 * The body of a `cemetery_plot` record.
 */
export type PlotData = { 
/**
 * The plot's code in the home's layout (`A-01-03`).
 */
plot: string, state: PlotState, reservation: Reservation | null, contract: PlotContract | null, burials: Array<Burial>, };

/**
 * One plot on the map.
 */
export type PlotCell = { 
/**
 * `A-01-03`.
 */
code: string, number: string, capacity: number, price_fen: number, fee_per_year_fen: number, 
/**
 * Where it stands today (a lapsed reservation frees it).
 */
state: PlotState, 
/**
 * Its record, once it has one.
 */
id: string | null, data: PlotData | null, 
/**
 * Waiting to be sent.
 */
pending: boolean, 
/**
 * Its management fee runs out within [`FEE_NOTICE_DAYS`] or has.
 */
fee_due: boolean, };

export type RowMap = { code: string, plots: Array<PlotCell>, };

export type SectionMap = { code: string, name: string, rows: Array<RowMap>, };

/**
 * The cemetery's map: its sections, rows and plots, and how many plots
 * stand where.
 */
export type CemeteryMap = { name: string, sections: Array<SectionMap>, free: number, reserved: number, sold: number, used: number, };

/**
 * A plot whose management fee runs out soon or has: whom to remind.
 */
export type PlotDue = { plot: string, holder: string, phone: string, paid_until: string, 
/**
 * Already past its end.
 */
overdue: boolean, };

/**
 * What an import of the layout did: taken whole, or nothing taken and
 * every bad row named.
 */
export type CemeteryImport = { sections: number, plots: number, issues: Array<ImportIssue>, };

/**
 * What the desk fills in at the call and at collection.
 */
export type CaseIntake = { call: CallLog, dispatch: Dispatch | null, unidentified: boolean, deceased: Deceased, contact: Contact | null, 
/**
 * The death certificate's number, when it was seen at the call or at
 * collection (the 2024 notice makes it a condition of collection).
 */
death_certificate_no: string, 
/**
 * The police's paper's number, for a death the police handle.
 */
police_paper_no: string, };

/**
 * A case as the desk lists it.
 */
export type CaseEntry = { id: string, data: FuneralCaseData, 
/**
 * A change to it waits to be sent.
 */
pending: boolean, 
/**
 * What the case waits for before its next step, in Chinese (the papers
 * missing for cremation, each by name); empty when nothing.
 */
waiting_for: Array<string>, };

/**
 * The papers the desk checks.
 */
export type Paper = "identity" | "death_certificate" | "police_paper" | "confirmation" | "contact_identity";

/**
 * A paper checked at the desk: its number and its scan.
 */
export type PaperInput = { paper: Paper, number: string, scan: BlobRef | null, };

/**
 * The next step of a case, as the desk takes it.
 */
export type CaseStep = { "step": "receive" } | { "step": "store", cabinet: string, } | { "step": "farewell" } | { "step": "book_cremation", furnace: string, planned_at: string, } | { "step": "cremate", operator: string, } | { "step": "hand_over_ashes", to: string, doc_type: DocumentType, doc_number: string, } | { "step": "deposit_ashes", niche: string, agreement_no: string, years: number, } | { "step": "bury", plot: string, };

/**
 * One line of a bill: the item, how many, its price, what is waived and
 * what the family pays.
 */
export type BillLine = { code: string, name: string, quantity: number, unit_price_fen: number, amount_fen: number, waived_fen: number, payable_fen: number, };

/**
 * A bill: its lines and totals.
 */
export type Bill = { lines: Array<BillLine>, total_fen: number, waived_fen: number, payable_fen: number, };

/**
 * An item of the home's schedule taken for a case, and how many.
 */
export type Ordered = { code: string, quantity: number, };

/**
 * A waiver claimed for a case (惠民殡葬), with its evidence: the number of
 * the stamped 困难群众基本殡葬服务免费申请表, or of the 低保证 / 特困供养证.
 */
export type WaiverClaim = { ground: WaiverGround, evidence: string, };

/**
 * How a payment was made: recorded, never processed here.
 */
export type PayMethod = "cash" | "card" | "transfer";

/**
 * A payment taken at the desk.
 */
export type Payment = { at: string, method: PayMethod, amount_fen: number, 
/**
 * Who took it.
 */
by: string, 
/**
 * The card slip's or the transfer's reference.
 */
reference: string, };

/**
 * Money given back, with its reason.
 */
export type Refund = { at: string, amount_fen: number, reason: string, by: string, };

/**
 * The bill of a case: what was taken from the schedule, the waiver
 * claimed, the bill as priced when the items were taken (kept, so that a
 * later schedule never changes a bill already made), and the money.
 */
export type CaseBill = { items: Array<Ordered>, waiver: WaiverClaim | null, priced: Bill | null, payments: Array<Payment>, refunds: Array<Refund>, };

/**
 * One payment or refund of a day, as the daily cash report lists it.
 */
export type CashRow = { case_no: string, deceased: string, at: string, 
/**
 * `None` for a refund.
 */
method: PayMethod | null, 
/**
 * Positive for money taken, negative for money given back.
 */
amount_fen: number, by: string, 
/**
 * The refund's reason, or the payment's reference.
 */
note: string, };

/**
 * The daily cash report (日报) of a home: every payment and refund of the
 * day, and the totals by way of payment.
 */
export type DailyReport = { day: string, rows: Array<CashRow>, cash_fen: number, card_fen: number, transfer_fen: number, refunded_fen: number, 
/**
 * Taken less given back.
 */
net_fen: number, };

/**
 * What an import of the fee schedule did: taken whole, or nothing taken and
 * every bad row named.
 */
export type ScheduleImport = { items: number, waivers: number, issues: Array<ImportIssue>, };

/**
 * The body of a `funeral_booking` record.
 */
export type HallBookingData = { 
/**
 * The hall, by its code on the home's board.
 */
hall: string, day: string, 
/**
 * The slot's start, `HH:MM`, one of the home's `hall_slots`.
 */
slot: string, 
/**
 * The case it is for.
 */
case_id: string, 
/**
 * The deceased's name, as the hall board shows it.
 */
deceased: string, 
/**
 * Cancelled: kept, the slot free again.
 */
cancelled: boolean, };

/**
 * A hall booking as the desk lists it.
 */
export type BookingEntry = { id: string, data: HallBookingData, pending: boolean, };
