// The library's logic the page shows: the category tree with its counts,
// and a text cut into the pieces a search found (marked) and the rest.
import type { LibraryEntry } from "../../api";

/** A category of the tree: its path from the top, and the items in it and below. */
export interface CategoryNode {
  /** The path joined by "/", unique in the tree: the tree's key. */
  key: string;
  label: string;
  path: string[];
  count: number;
  children: CategoryNode[];
}

/** The tree of the entries' categories, each level sorted by name, with counts. */
export function categoryTree(entries: LibraryEntry[]): CategoryNode[] {
  const root: CategoryNode = { key: "", label: "", path: [], count: 0, children: [] };
  for (const entry of entries) {
    let node = root;
    node.count += 1;
    entry.item.category.forEach((label, depth) => {
      const path = entry.item.category.slice(0, depth + 1);
      let child = node.children.find((c) => c.label === label);
      if (!child) {
        child = { key: path.join("/"), label, path, count: 0, children: [] };
        node.children.push(child);
        node.children.sort((a, b) => a.label.localeCompare(b.label, "zh-CN"));
      }
      child.count += 1;
      node = child;
    });
  }
  return root.children;
}

/** Whether an entry lies in the category `path` or below it (all, when empty). */
export function inCategory(entry: LibraryEntry, path: string[]): boolean {
  return path.every((level, i) => entry.item.category[i] === level);
}

/** A piece of text, found by the search or not. */
export interface Piece {
  text: string;
  found: boolean;
}

/**
 * `text` cut at the marks (`[start, end)` in characters, as the search gives
 * them: in order, apart), the marked pieces found. Marks beyond the text
 * are cut to it.
 */
export function pieces(text: string, marks: [number, number][]): Piece[] {
  const chars = Array.from(text);
  const out: Piece[] = [];
  let at = 0;
  for (const [start, end] of marks) {
    const from = Math.max(at, Math.min(start, chars.length));
    const to = Math.max(from, Math.min(end, chars.length));
    if (from > at) out.push({ text: chars.slice(at, from).join(""), found: false });
    if (to > from) out.push({ text: chars.slice(from, to).join(""), found: true });
    at = to;
  }
  if (at < chars.length) out.push({ text: chars.slice(at).join(""), found: false });
  return out;
}

/** A category typed as "法规/婚姻登记" (or with ›, ／ or \): its levels. */
export function readCategory(typed: string): string[] {
  return typed
    .split(/[/／\\›>]/)
    .map((level) => level.trim())
    .filter((level) => level.length > 0);
}

/** A title from a file's name: its name without the extension. */
export function titleOfFile(name: string): string {
  return name.replace(/\.[A-Za-z0-9]+$/, "").trim();
}
