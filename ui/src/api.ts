// The one typed module through which the UI calls the backend. The types
// come from ./bindings.ts, generated from the Rust types of the commands.
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type {
  DocumentPreview,
  DraftEntry,
  OfficialDocument,
  PrinterInfo,
  PrintedJob,
  OfficeFigures,
  StatusCheckEntry,
  HistoryEntry,
  RecordKind,
  Annulment,
  BlobRef,
  AppointmentEntry,
  CalendarEntry,
  CertificatePrint,
  CommandError,
  DivorceEntry,
  DivorceForm,
  DivorcePaper,
  DueItem,
  HolidayCalendarData,
  LogoutChoice,
  LogoutOutcome,
  Party,
  ImportSummary,
  MarriageEntry,
  MarriageForm,
  MarriagePaper,
  Statistics,
  StatisticsQuery,
  PersonHit,
  RegisterOutcome,
  Phase,
  Resolution,
  Status,
  SyncIssue,
  UserInfo,
} from "./bindings";

export type * from "./bindings";

// Whoever shows what the local cache holds (the status bar's 待发送 N 条)
// takes a fresh reading after every command that writes to it, or sends it:
// those commands go through `write`, the others through `invoke`.
const afterWrite = new Set<() => void>();

/** Calls `listener` after every command that writes; returns the unsubscribe. */
export function onWrite(listener: () => void): () => void {
  afterWrite.add(listener);
  return () => afterWrite.delete(listener);
}

async function write<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } finally {
    // A command that failed may have written before it failed.
    afterWrite.forEach((listener) => listener());
  }
}

export const api = {
  phase: () => invoke<Phase>("phase"),
  setupStandalone: (username: string, password: string, demo: boolean) =>
    invoke<void>("setup_standalone", { username, password, demo }),
  setupConnect: (url: string, caPem: string | null) => invoke<void>("setup_connect", { url, caPem }),
  login: (username: string, password: string) => write<UserInfo>("login", { username, password }),
  logout: (choice: LogoutChoice) => write<LogoutOutcome>("logout", { choice }),
  touch: () => invoke<void>("touch"),
  lockNow: () => invoke<void>("lock_now"),
  unlock: (password: string) => invoke<void>("unlock", { password }),
  idleLockMinutes: () => invoke<number>("idle_lock_minutes"),
  setIdleLockMinutes: (minutes: number) => invoke<void>("set_idle_lock_minutes", { minutes }),
  status: () => invoke<Status>("status"),
  syncNow: () => write<void>("sync_now"),
  holidayCalendars: () => invoke<CalendarEntry[]>("holiday_calendars"),
  saveHolidayCalendar: (id: string | null, calendar: HolidayCalendarData) =>
    write<string>("save_holiday_calendar", { id, calendar }),
  syncIssues: () => invoke<SyncIssue[]>("sync_issues"),
  resolve: (deviceSeq: number, resolution: Resolution) => write<void>("resolve", { deviceSeq, resolution }),
  searchPeople: (query: string, limit?: number) => invoke<PersonHit[]>("search_people", { query, limit }),
  marriages: () => invoke<MarriageEntry[]>("marriages"),
  prepareMarriage: (id: string | null, form: MarriageForm) => write<string>("prepare_marriage", { id, form }),
  keepPhoto: (mediaType: string, data: string) => write<BlobRef>("keep_photo", { mediaType, data }),
  fileData: (file: BlobRef) => invoke<string>("file_data", { file }),
  registerMarriage: (id: string) => write<RegisterOutcome>("register_marriage", { id }),
  refuseMarriage: (id: string, reason: string) => write<void>("refuse_marriage", { id, reason }),
  reprintMarriage: (id: string, reason: string) => write<string>("reprint_marriage", { id, reason }),
  importAppointments: (bytes: number[]) => write<ImportSummary>("import_appointments", { bytes }),
  appointments: (day?: string) => invoke<AppointmentEntry[]>("appointments", { day: day ?? null }),
  finishBooking: (id: string) => write<void>("finish_booking", { id }),
  nextInQueue: () => invoke<AppointmentEntry | null>("next_in_queue"),
  checkIn: (id: string) => write<number>("check_in", { id }),
  noShow: (id: string) => write<void>("no_show", { id }),
  marriageCertificate: (id: string, holder: number, offsetXMm: number, offsetYMm: number) =>
    invoke<CertificatePrint>("marriage_certificate", { id, holder, offsetXMm, offsetYMm }),
  marriagePaper: (id: string, paper: MarriagePaper) => invoke<CertificatePrint>("marriage_paper", { id, paper }),
  marriageStatistics: (query: StatisticsQuery) => invoke<Statistics>("marriage_statistics", { query }),
  printers: () => invoke<PrinterInfo[]>("printers"),
  setPrinterOffset: (printer: string, offsetXMm: number, offsetYMm: number) =>
    invoke<void>("set_printer_offset", { printer, offsetXMm, offsetYMm }),
  printFile: (pdfPath: string, printer: string) => invoke<PrintedJob>("print_file", { pdfPath, printer }),
  calibrationSheet: (printer: string | null, offsetXMm: number, offsetYMm: number) =>
    invoke<[CertificatePrint, PrintedJob | null]>("calibration_sheet", { printer, offsetXMm, offsetYMm }),
  marriageFigures: (query: StatisticsQuery) => invoke<OfficeFigures[]>("marriage_figures", { query }),
  marriageDayChecks: (day: string) => invoke<StatusCheckEntry[]>("marriage_day_checks", { day }),
  thisMonth: () => invoke<[string, string]>("this_month"),
  exportMarriageStatistics: (query: StatisticsQuery) => invoke<string>("export_marriage_statistics", { query }),
  recordHistory: (kind: RecordKind, id: string) => invoke<HistoryEntry[]>("record_history", { kind, id }),
  recordAnnulment: (id: string, annulment: Annulment) => write<void>("record_annulment", { id, annulment }),
  reissueMarriage: (id: string, holder: number) => write<string>("reissue_marriage", { id, holder }),
  reissueDivorce: (id: string, holder: number) => write<string>("reissue_divorce", { id, holder }),
  divorces: () => invoke<DivorceEntry[]>("divorces"),
  divorcesDue: () => invoke<DueItem[]>("divorces_due"),
  marriageByCertificate: (number: string) => invoke<[Party, Party] | null>("marriage_by_certificate", { number }),
  receiveDivorce: (form: DivorceForm) => write<string>("receive_divorce", { form }),
  withdrawDivorce: (id: string, by: number) => write<void>("withdraw_divorce", { id, by }),
  registerDivorce: (id: string) => write<string>("register_divorce", { id }),
  closeLapsedDivorce: (id: string) => write<void>("close_lapsed_divorce", { id }),
  refuseDivorce: (id: string, reason: string) => write<void>("refuse_divorce", { id, reason }),
  reprintDivorce: (id: string, reason: string) => write<string>("reprint_divorce", { id, reason }),
  divorcePaper: (id: string, paper: DivorcePaper, offsetXMm: number, offsetYMm: number) =>
    invoke<CertificatePrint>("divorce_paper", { id, paper, offsetXMm, offsetYMm }),
  documentDrafts: () => invoke<DraftEntry[]>("document_drafts"),
  saveDocumentDraft: (id: string | null, document: OfficialDocument) => write<string>("save_document_draft", { id, document }),
  deleteDocumentDraft: (id: string) => write<void>("delete_document_draft", { id }),
  documentPreview: (document: OfficialDocument) => invoke<DocumentPreview>("document_preview", { document }),
  exportDocument: (document: OfficialDocument) => invoke<CertificatePrint>("export_document", { document }),
};

/** The error a command failed with, as `{code, message}`. */
export function commandError(e: unknown): CommandError {
  if (typeof e === "object" && e !== null && "code" in e) return e as CommandError;
  return { code: "local_store", message: String(e), issues: [] };
}
