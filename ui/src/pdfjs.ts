// Mozilla's pdf.js, which draws a PDF's pages on canvases: WebKitGTK, the
// window's engine on Linux, has no PDF viewer of its own. It is loaded the
// first time a PDF is shown (its own chunk, about half a megabyte), from its
// legacy build: the one pdf.js supports on WebKit, the modern build following
// only the newest Firefox and Chrome. It reads the file in a module worker
// (the worker file copied as it is into the build by `?url`); its data files
// (CMaps, standard fonts, image decoders) are at /pdfjs/ (vite.config.ts).
import type * as PdfJs from "pdfjs-dist/legacy/build/pdf.mjs";
import workerUrl from "pdfjs-dist/legacy/build/pdf.worker.min.mjs?url";

export type PdfDocument = PdfJs.PDFDocumentProxy;
export type PdfLoading = PdfJs.PDFDocumentLoadingTask;
export type PdfRendering = PdfJs.RenderTask;

let loading: Promise<typeof PdfJs> | null = null;

/** pdf.js, its worker set; loaded again on the next call if it failed to load. */
export function loadPdfJs(): Promise<typeof PdfJs> {
  loading ??= import("pdfjs-dist/legacy/build/pdf.mjs").then(
    (lib) => {
      lib.GlobalWorkerOptions.workerSrc = workerUrl;
      return lib;
    },
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

/**
 * Starts reading a PDF from its bytes (which pdf.js hands to its worker: the
 * array is emptied). The worker fetches the data files itself, as the page
 * may not: the window's CSP allows it no fetch but the IPC's.
 */
export function openPdf(lib: typeof PdfJs, bytes: Uint8Array): PdfLoading {
  const data = new URL("pdfjs/", document.baseURI).href;
  return lib.getDocument({
    data: bytes,
    cMapUrl: `${data}cmaps/`,
    standardFontDataUrl: `${data}standard_fonts/`,
    wasmUrl: `${data}wasm/`,
    iccUrl: `${data}iccs/`,
    useWorkerFetch: true,
  });
}

/**
 * What the clerk is told when a PDF cannot be read, by the reason pdf.js
 * gives: a password, or anything else it could not parse.
 */
export function pdfFailure(e: unknown): "encrypted" | "corrupt" {
  const name = typeof e === "object" && e !== null && "name" in e ? String(e.name) : "";
  return name === "PasswordException" ? "encrypted" : "corrupt";
}
