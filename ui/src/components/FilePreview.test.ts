// The preview's choices without a canvas (happy-dom draws nothing): which
// view a file gets by its kind, what a clerk reads when a PDF cannot be read,
// the zoom. pdf.js is the real one, its worker run in the same thread as
// pdf.js allows (`globalThis.pdfjsWorker`).
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { flushPromises, mount, type VueWrapper } from "@vue/test-utils";
import { createI18n } from "vue-i18n";
import FilePreview from "./FilePreview.vue";
import shell from "../i18n/zh-CN";

beforeAll(async () => {
  // pdfjs-dist 6 expects Node 22 (WebKitGTK 2.50 has this too); Node 20 lacks it.
  if (!("withResolvers" in Promise)) {
    Object.assign(Promise, {
      withResolvers<T>() {
        let resolve!: (value: T) => void;
        let reject!: (reason: unknown) => void;
        const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
        return { promise, resolve, reject };
      },
    });
  }
  Object.assign(globalThis, { pdfjsWorker: await import("pdfjs-dist/legacy/build/pdf.worker.mjs") });
});

/** A valid PDF of `count` A4 pages, each with a line of text (its offsets counted). */
function pdfOf(count: number): Uint8Array {
  const objects: string[] = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"];
  const kids: string[] = [];
  for (let page = 1; page <= count; page++) {
    const content = `BT /F1 24 Tf 72 720 Td (Page ${page}) Tj ET`;
    objects.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${objects.length} 0 R >>`);
    kids.push(`${objects.length} 0 R`);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(" ")}] /Count ${count} >>`;
  let text = "%PDF-1.4\n";
  const offsets = objects.map((body, i) => {
    const at = text.length;
    text += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const at of offsets) text += `${String(at).padStart(10, "0")} 00000 n \n`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(text);
}

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

let wrapper: VueWrapper | null = null;
function preview(props: { mediaType: string; name: string; size: number; data: string | Uint8Array | null }) {
  const i18n = createI18n({ legacy: false, locale: "zh-CN", messages: { "zh-CN": shell } });
  wrapper = mount(FilePreview, { props, global: { plugins: [i18n] }, attachTo: document.body });
  return wrapper;
}
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

async function settled(view: VueWrapper, done: () => boolean) {
  await vi.waitFor(
    async () => {
      await flushPromises();
      if (!done()) throw new Error(`not yet: ${view.text()}`);
    },
    { timeout: 10_000, interval: 20 },
  );
}

describe("a file in the preview", () => {
  it("shows a PNG scan as an image, with zoom and no canvas", () => {
    const view = preview({ mediaType: "image/png", name: "身份证.png", size: 70, data: PNG });
    expect(view.find("img.file-preview-image").attributes("src")).toBe(`data:image/png;base64,${PNG}`);
    expect(view.find("canvas").exists()).toBe(false);
    expect(view.find(".file-preview-fit").text()).toBe("适合窗口");
    expect(view.text()).toContain("图片 · 70 B");
  });

  it("shows a JPEG given as bytes, the bytes as they were", () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
    const view = preview({ mediaType: "image/jpeg", name: "死亡证明.jpg", size: 4, data: bytes });
    expect(view.find("img").attributes("src")).toBe("data:image/jpeg;base64,/9j/4A==");
    expect(bytes.length).toBe(4);
  });

  it("says it is reading while the parent has no bytes yet", () => {
    const view = preview({ mediaType: "application/pdf", name: "扫描件.pdf", size: 1024, data: null });
    expect(view.text()).toContain("正在读取文件…");
  });

  it.each([
    ["application/ofd", "湘民发〔2026〕1号.ofd", "OFD 版式文件"],
    ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", "通知.docx", "Word 文档"],
    ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "名单.xlsx", "Excel 表格"],
    ["application/zip", "材料.zip", "文件"],
  ])("names a %s file by its kind and offers 另存为… instead of a preview", async (mediaType, name, kind) => {
    const view = preview({ mediaType, name, size: 1_258_291, data: "UEsDBA==" });
    expect(view.find(".file-preview-kind").text()).toBe(kind);
    expect(view.find(".file-preview-other-name").text()).toBe(name);
    expect(view.text()).toContain("1.2 MB");
    expect(view.find(".file-preview-view").exists()).toBe(false);
    await view.find(".file-preview-save").trigger("click");
    expect(view.emitted("save")).toHaveLength(1);
  });

  it("says a corrupt PDF is damaged, in the panel, instead of throwing", async () => {
    const bytes = new TextEncoder().encode("%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage, no xref, no trailer");
    const view = preview({ mediaType: "application/pdf", name: "扫描件.pdf", size: bytes.length, data: bytes });
    await settled(view, () => view.find(".file-preview-failure").exists());
    expect(view.find(".file-preview-failure").text()).toContain("文件已损坏，无法预览");
    expect(view.find(".file-preview-failure .el-alert--error").exists()).toBe(true);
    expect(view.find(".file-preview-page").exists()).toBe(false);
  });

  it("says an empty file is damaged too", async () => {
    const view = preview({ mediaType: "application/pdf", name: "空.pdf", size: 0, data: "" });
    await settled(view, () => view.find(".file-preview-failure").exists());
    expect(view.text()).toContain("文件已损坏，无法预览");
  });

  it("lays out every page of a PDF, counts them and zooms", async () => {
    const base64 = btoa(String.fromCharCode(...pdfOf(3)));
    const view = preview({ mediaType: "application/pdf", name: "三页.pdf", size: 900, data: base64 });
    await settled(view, () => view.find(".file-preview-count").exists());
    expect(view.find(".file-preview-count").text()).toBe("共 3 页");
    const pages = view.findAll(".file-preview-page");
    expect(pages.map((p) => p.attributes("data-page"))).toEqual(["1", "2", "3"]);
    expect(view.findAll(".file-preview-page canvas")).toHaveLength(3);
    expect(view.find(".file-preview-fit").text()).toBe("适合宽度");

    await view.find(".file-preview-actual").trigger("click");
    expect(view.find(".file-preview-percent").text()).toBe("100%");
    // An A4 page at 100 % is its size in CSS pixels: 595 pt × 96/72.
    expect(view.find(".file-preview-page").attributes("style")).toContain("width: 793px");
    await view.find(".file-preview-in").trigger("click");
    expect(view.find(".file-preview-percent").text()).toBe("125%");
    await view.find(".file-preview-view").trigger("keydown", { key: "-" });
    expect(view.find(".file-preview-percent").text()).toBe("100%");
    await view.find(".file-preview-view").trigger("keydown", { key: "0" });
    expect(view.find(".file-preview-fit").classes()).toContain("el-button--primary");
  });
});
