import { describe, expect, it } from "vitest";
import type { OfficeInbox, OfficialDocument, TaskItem } from "../../api";
import { DOC_KINDS, bySection, chinaToday, myTasks, openTasks, toDoLength, withPlaceholders } from "./office";

const draft: OfficialDocument = {
  copy_no: null, classification: null, urgency: null, issuer_mark: "湖南省民政厅文件", issuers: [],
  doc_number: "", signers: [], upward: true, title: "关于某事的请示", recipients: ["湖南省人民政府"],
  body: [{ level: 0, text: "现请示如下。" }], attachments: [], signature: "湖南省民政厅", date: "",
  sealed: false, note: null, cc: [], printer: null, print_date: null,
};

describe("the office's draft preview", () => {
  it("stands placeholders for what the steps fill in", () => {
    const shown = withPlaceholders(draft, "2026-12-07");
    expect(shown.doc_number).toBe("机关代字〔2026〕1号");
    expect(shown.date).toBe("2026-12-07");
    expect(shown.signers).toEqual(["签发人"]);
  });

  it("keeps what the steps filled in", () => {
    const signed = { ...draft, doc_number: "湘民发〔2026〕7号", date: "2026-12-01", signers: ["周志远"] };
    expect(withPlaceholders(signed, "2026-12-07")).toEqual(signed);
  });

  it("counts days in China", () => {
    // 2026-12-06 20:00 UTC is already the 7th in China.
    expect(chinaToday(new Date(Date.UTC(2026, 11, 6, 20)))).toBe("2026-12-07");
    expect(DOC_KINDS).toHaveLength(15);
  });
});

describe("the inbox's counts", () => {
  const task = (id: string, mine: boolean, closed: boolean): TaskItem => ({
    id, title: id, lead: "赵处长", co: [], deadline: "2026-12-08", time_left: "soon", reported_done: false, closed,
    asked_until: null, last_report: null, source: null, pending: false, updated: "2026-12-07T09:00:00", mine,
  });
  const inbox: OfficeInbox = {
    to_do: [], done: [], to_read: [], all: [], total: 0, tracking: [],
    tasks: [task("a", true, false), task("b", false, false), task("c", false, true)],
  };

  it("counts the tasks waiting for the user among the to-dos", () => {
    expect(myTasks(inbox).map((t) => t.id)).toEqual(["a"]);
    expect(toDoLength(inbox)).toBe(1);
  });

  it("keeps closed tasks off the board", () => {
    expect(openTasks(inbox).map((t) => t.id)).toEqual(["a", "b"]);
  });
});

describe("bySection", () => {
  it("groups the people by the section they work in, the unnamed last", () => {
    const person = (user_id: string, name: string) => ({ user_id, name });
    const groups = bySection(
      {
        leaders: [],
        people: [person("a", "王建军"), person("b", "周志远"), person("c", "张三"), person("d", "李晓")],
        sections: { a: "社会救助处", b: "厅领导", d: "办公室" },
      },
      "其他",
    );
    expect(groups.map((g) => g.section)).toEqual(["社会救助处", "厅领导", "办公室", "其他"]);
    expect(groups[3].people.map((p) => p.name)).toEqual(["张三"]);
  });
});

