declare module "*.vue" {
  import type { DefineComponent } from "vue";
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

// A file imported with `?url` (pdf.js's worker): the address Vite serves it at.
declare module "*?url" {
  const url: string;
  export default url;
}

// pdf.js's worker as a module, for running it in the page's own thread (the unit tests).
declare module "pdfjs-dist/legacy/build/pdf.worker.mjs" {
  export const WorkerMessageHandler: unknown;
}
