// What the office screens share: the fifteen kinds, today in China, and a
// document as its draft preview shows it before the steps fill it in.
import { api, type Action, type DocKind, type OfficeInbox, type OfficePeople, type OfficialDocument, type Person, type Step, type TaskItem } from "../../api";

/** The fifteen kinds of the Regulations, in their order. */
export const DOC_KINDS: DocKind[] = [
  "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案", "函", "纪要",
];

/** Today in China, as YYYY-MM-DD. */
export function chinaToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(now);
}

/**
 * The document as a draft preview lays it out: the number, the date and
 * the signers are the steps' to fill in (registration, sign-off), so until
 * then they stand as placeholders that say so.
 */
export function withPlaceholders(doc: OfficialDocument, today: string): OfficialDocument {
  const year = today.slice(0, 4);
  return {
    ...doc,
    doc_number: doc.doc_number || `机关代字〔${year}〕1号`,
    date: doc.date || today,
    signers: doc.upward && !doc.signers?.length ? ["签发人"] : doc.signers,
  };
}

/** Each step's name, as the Regulations give it. */
export const STEP_NAMES: Record<Step, string> = {
  draft: "草拟", review: "审核", sign_off: "签发", countersign: "会签", check: "复核", register: "登记编号",
  print: "印制", distribute: "核发", first_check: "初审", assign: "拟办分办", handle: "承办", done: "办结",
};

/** What each action is called in a document's history. */
export const ACTION_NAMES: Record<Action["kind"], string> = {
  create: "创建", edit: "修改", submit: "送审", approve: "审核通过", sign_off: "签发", countersign: "会签",
  check: "复核", register: "登记编号", print: "印制", distribute: "核发", accept: "初审通过",
  reject: "退回来文单位", assign: "分办", circulate: "传阅", read: "阅批", chase: "催办", ask_extension: "申请延期", extend: "延期", reply: "答复",
  file: "归档", return: "退回", recall: "收回", comment: "意见",
  ask_destroy: "申请销毁", decide_destroy: "批准销毁", destroyed: "已销毁",
};

/**
 * An action as its history line says it (a stand-in's sign-off: 代签发; an
 * assignment while in handling: the office's 转办).
 */
export function actionName(action: Action, step?: Step): string {
  if (action.kind === "sign_off" && action.on_behalf_of) return "代签发";
  if (action.kind === "assign" && step === "handle") return "转办";
  if (action.kind === "decide_destroy" && !action.approve) return "不同意销毁";
  return ACTION_NAMES[action.kind];
}

/**
 * The inbox as the window shows it: this desk's documents, and while online
 * the classified ones the user is on (never cached here); `null` for the
 * classified part when the platform cannot be reached, with why.
 */
export async function wholeInbox(): Promise<{ inbox: OfficeInbox; classifiedError: unknown }> {
  const cached = await api.officeInbox();
  try {
    const held = await api.officeClassified();
    return {
      inbox: {
        to_do: [...held.to_do, ...cached.to_do],
        to_read: [...held.to_read, ...cached.to_read],
        done: [...held.done, ...cached.done],
        all: [...held.all, ...cached.all],
        total: held.total + cached.total,
        tracking: [...held.tracking, ...cached.tracking].sort((a, b) => (a.deadline ?? "").localeCompare(b.deadline ?? "")),
        tasks: cached.tasks,
      },
      classifiedError: null,
    };
  } catch (e) {
    return { inbox: cached, classifiedError: e };
  }
}

/** The tasks (督办事项) that wait for the user now: they stand in 待办. */
export function myTasks(inbox: OfficeInbox): TaskItem[] {
  return inbox.tasks.filter((task) => task.mine);
}

/** The open tasks, on the 督办 board beside the documents with a deadline. */
export function openTasks(inbox: OfficeInbox): TaskItem[] {
  return inbox.tasks.filter((task) => !task.closed);
}

/** The length of the 待办 list the inbox shows: documents and tasks. */
export function toDoLength(inbox: OfficeInbox): number {
  return inbox.to_do.length + myTasks(inbox).length;
}

/** The navigation's count: the length of the 待办 list the inbox shows. */
export async function toDoCount(): Promise<number> {
  return toDoLength((await wholeInbox()).inbox);
}

// The kinds of file a document takes, by the extension of the chosen
// file's name; the backend checks the content is what the name says.
const ATTACHMENT_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  ofd: "application/ofd",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
};
/** What a file input offers to choose. */
export const ATTACHMENT_ACCEPT = Object.keys(ATTACHMENT_TYPES)
  .map((e) => `.${e}`)
  .join(",");
/** The largest file a document takes, in MB (the platform's cap). */
export const MAX_ATTACHMENT_MB = 10;

/** The media type a file's name says it is, or null for a kind not taken. */
export function attachmentType(name: string): string | null {
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? "";
  return ATTACHMENT_TYPES[extension] ?? null;
}

/**
 * The people a document may be assigned to, by the section (内设机构) they
 * work in — 办公室, 社会救助处 … — sections in the order the platform gives
 * them, those it names none for last under `other`.
 */
export function bySection(people: OfficePeople, other: string): { section: string; people: Person[] }[] {
  const groups = new Map<string, Person[]>();
  for (const person of people.people) {
    const section = people.sections?.[person.user_id] ?? other;
    groups.set(section, [...(groups.get(section) ?? []), person]);
  }
  const last = groups.get(other);
  groups.delete(other);
  if (last) groups.set(other, last);
  return [...groups].map(([section, members]) => ({ section, people: members }));
}

