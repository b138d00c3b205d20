import { describe, expect, it } from "vitest";
import { fileBase64, fileBytes, fileKind, fileSize } from "./files";

describe("a file's kind", () => {
  it("is read from its media type", () => {
    expect(fileKind("application/pdf", "扫描件")).toBe("pdf");
    expect(fileKind("image/jpeg", "a.pdf")).toBe("image");
    expect(fileKind("image/png", "")).toBe("image");
    expect(fileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "")).toBe("word");
    expect(fileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "")).toBe("excel");
    expect(fileKind("application/ofd", "")).toBe("ofd");
  });

  it("is read from its name when the media type says nothing of it", () => {
    expect(fileKind("application/octet-stream", "湘民发〔2026〕1号.OFD")).toBe("ofd");
    expect(fileKind("", "名单.xlsx")).toBe("excel");
    expect(fileKind("application/octet-stream", "通知.docx")).toBe("word");
  });

  it("is other, said as such, when neither tells", () => {
    expect(fileKind("application/zip", "材料.zip")).toBe("other");
    expect(fileKind("", "说明")).toBe("other");
  });
});

describe("a file's size and bytes", () => {
  it("is said in B, KB or MB", () => {
    expect(fileSize(812)).toBe("812 B");
    expect(fileSize(36_045)).toBe("35.2 KB");
    expect(fileSize(1_887_437)).toBe("1.8 MB");
  });

  it("goes from base64 to bytes and back", () => {
    const bytes = new Uint8Array([37, 80, 68, 70, 0, 255]);
    expect(fileBase64(bytes)).toBe("JVBERgD/");
    expect([...fileBytes("JVBERgD/")]).toEqual([...bytes]);
    // Bytes are copied: pdf.js empties the array it is handed.
    expect(fileBytes(bytes)).not.toBe(bytes);
  });
});
