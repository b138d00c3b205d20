import { describe, expect, it } from "vitest";
import type { LibraryEntry, LibraryKind } from "../../api";
import { categoryTree, inCategory, pieces, readCategory, titleOfFile } from "./library";

function entry(title: string, category: string[], kind: LibraryKind = "regulation"): LibraryEntry {
  return {
    id: title,
    pending: false,
    item: { title, kind, category, issuer: "", doc_number: "", versions: [], text: "" },
  };
}

describe("the library's category tree", () => {
  const entries = [
    entry("婚姻登记条例", ["法规", "婚姻登记"]),
    entry("殡葬管理条例", ["法规", "殡葬"]),
    entry("婚姻登记工作规范", ["法规", "婚姻登记"]),
    entry("结婚登记审查处理表", ["模板"], "template"),
  ];

  it("counts every item at each level of its path, levels sorted", () => {
    const tree = categoryTree(entries);
    expect(tree.map((n) => [n.label, n.count])).toEqual([["法规", 3], ["模板", 1]]);
    const rules = tree[0];
    expect(rules.children.map((n) => [n.key, n.count])).toEqual([["法规/殡葬", 1], ["法规/婚姻登记", 2]]);
    expect(rules.children[1].path).toEqual(["法规", "婚姻登记"]);
  });

  it("filters by a category and everything below it", () => {
    expect(entries.filter((e) => inCategory(e, ["法规"])).length).toBe(3);
    expect(entries.filter((e) => inCategory(e, ["法规", "殡葬"])).map((e) => e.item.title)).toEqual(["殡葬管理条例"]);
    expect(entries.filter((e) => inCategory(e, [])).length).toBe(4);
  });
});

describe("what a search found, marked", () => {
  it("cuts the text at its marks, by characters", () => {
    expect(pieces("…办理结婚登记的男女双方", [[3, 7]])).toEqual([
      { text: "…办理", found: false },
      { text: "结婚登记", found: true },
      { text: "的男女双方", found: false },
    ]);
    // A character outside the basic plane counts as one.
    expect(pieces("𠀀明登记", [[2, 4]])).toEqual([
      { text: "𠀀明", found: false },
      { text: "登记", found: true },
    ]);
    expect(pieces("登记", [])).toEqual([{ text: "登记", found: false }]);
    expect(pieces("登记", [[0, 9]])).toEqual([{ text: "登记", found: true }]);
  });
});

describe("the upload form", () => {
  it("reads a typed category and a title from the file", () => {
    expect(readCategory(" 法规 / 婚姻登记 ")).toEqual(["法规", "婚姻登记"]);
    expect(readCategory("法规›殡葬")).toEqual(["法规", "殡葬"]);
    expect(readCategory("//")).toEqual([]);
    expect(titleOfFile("婚姻登记条例.pdf")).toBe("婚姻登记条例");
    expect(titleOfFile("说明")).toBe("说明");
  });
});
