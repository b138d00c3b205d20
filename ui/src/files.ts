// A file the window shows or keeps (a paper's scan, a document's
// attachment): what kind it is, its size as a clerk reads it, and its bytes
// in the two forms the window holds them (base64 from the backend, bytes
// from a chosen file).

/**
 * How the window can show a file: a PDF page by page, a photo or scan as an
 * image, plain text as text; the others only by name, to be saved and
 * opened elsewhere.
 */
export type FileKind = "pdf" | "image" | "ofd" | "word" | "excel" | "text" | "other";

const BY_MEDIA_TYPE: Record<string, FileKind> = {
  "application/pdf": "pdf",
  "image/jpeg": "image",
  "image/png": "image",
  "application/ofd": "ofd",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "word",
  "application/msword": "word",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "excel",
  "application/vnd.ms-excel": "excel",
  "text/plain": "text",
};

const BY_EXTENSION: Record<string, FileKind> = {
  pdf: "pdf",
  jpg: "image",
  jpeg: "image",
  png: "image",
  ofd: "ofd",
  docx: "word",
  doc: "word",
  xlsx: "excel",
  xls: "excel",
  txt: "text",
};

/**
 * The kind of a file by its media type, or by its name's extension when the
 * media type says nothing of it (`application/octet-stream`, empty, as some
 * systems send an OFD). What is neither is `other`, said as such.
 */
export function fileKind(mediaType: string, name: string): FileKind {
  const byType = BY_MEDIA_TYPE[mediaType.split(";")[0].trim().toLowerCase()];
  if (byType) return byType;
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? "";
  return BY_EXTENSION[extension] ?? "other";
}

/** A size as a clerk reads it: 812 B, 35.2 KB, 1.8 MB. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The bytes of base64 text (as `file_data` returns a file), or a copy of bytes. */
export function fileBytes(data: string | Uint8Array): Uint8Array {
  if (typeof data !== "string") return data.slice();
  const text = atob(data);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Base64 text of bytes (as `keep_scan` takes a file), or the text as it is. */
export function fileBase64(data: string | Uint8Array): string {
  if (typeof data === "string") return data;
  let binary = "";
  for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
  return btoa(binary);
}
