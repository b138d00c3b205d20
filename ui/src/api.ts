// The one typed module through which the UI calls the backend.
import { invoke } from "@tauri-apps/api/core";

export interface OrgUnitInfo { code: string; region: string; name: string }
export interface UserInfo { id: string; username: string; display_name: string; org_unit: OrgUnitInfo; roles: string[] }
export interface Status {
  online: boolean;
  signed_in: string | null;
  org_unit: string | null;
  pending: number;
  issues: number;
  cursor: number;
  last_sync_at: number | null;
}
export type Phase = { phase: "setup" } | { phase: "login"; mode: string } | { phase: "ready"; user: UserInfo };
export interface HolidayCalendarData { year: number; holidays: string[]; working_weekends: string[] }
export interface CalendarEntry { id: string; calendar: HolidayCalendarData; pending: boolean }
export interface SyncIssue {
  device_seq: number; kind: string; record_id: string; op: string; state: string;
  reason: string | null; mine: unknown; theirs: unknown; theirs_version: number;
}
export interface CommandError { code: string; message: string }

export const api = {
  phase: () => invoke<Phase>("phase"),
  setupStandalone: (username: string, password: string, demo: boolean) =>
    invoke<void>("setup_standalone", { username, password, demo }),
  setupConnect: (url: string, caPem: string | null) => invoke<void>("setup_connect", { url, caPem }),
  login: (username: string, password: string) => invoke<UserInfo>("login", { username, password }),
  logout: () => invoke<void>("logout"),
  status: () => invoke<Status>("status"),
  syncNow: () => invoke<void>("sync_now"),
  holidayCalendars: () => invoke<CalendarEntry[]>("holiday_calendars"),
  saveHolidayCalendar: (id: string | null, calendar: HolidayCalendarData) =>
    invoke<string>("save_holiday_calendar", { id, calendar }),
  syncIssues: () => invoke<SyncIssue[]>("sync_issues"),
  resolve: (deviceSeq: number, choice: "keep_mine" | "take_theirs") => invoke<void>("resolve", { deviceSeq, choice }),
};

/** The error a command failed with, as `{code, message}`. */
export function commandError(e: unknown): CommandError {
  if (typeof e === "object" && e !== null && "code" in e) return e as CommandError;
  return { code: "internal", message: String(e) };
}
