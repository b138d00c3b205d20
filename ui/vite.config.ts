/// <reference types="vitest/config" />
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { defineConfig, type Plugin } from "vite";
import vue from "@vitejs/plugin-vue";
import Components from "unplugin-vue-components/vite";
import { ElementPlusResolver } from "unplugin-vue-components/resolvers";

/**
 * The data files pdf.js fetches while it reads a PDF, at /pdfjs/<folder>/ under
 * the dev server and in the build: the CMaps of Chinese fonts a PDF names but
 * does not embed, the 14 standard fonts, the decoders of scanned images
 * (JBIG2 and CCITT fax, JPEG 2000, as WebAssembly with a JavaScript fallback)
 * and a colour profile. The scripting engine (quickjs) is left out: the
 * preview runs no PDF JavaScript.
 */
function pdfjsData(): Plugin {
  const root = dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
  const files = new Map<string, string>();
  for (const folder of ["cmaps", "standard_fonts", "wasm", "iccs"]) {
    for (const name of readdirSync(join(root, folder))) {
      if (!name.startsWith("quickjs")) files.set(`pdfjs/${folder}/${name}`, join(root, folder, name));
    }
  }
  const types: Record<string, string> = { js: "text/javascript", wasm: "application/wasm" };
  return {
    name: "pdfjs-data",
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const path = files.get((request.url ?? "").split("?")[0].replace(/^\//, ""));
        if (!path) return next();
        response.setHeader("Content-Type", types[path.split(".").pop() ?? ""] ?? "application/octet-stream");
        response.end(readFileSync(path));
      });
    },
    generateBundle() {
      for (const [fileName, path] of files) this.emitFile({ type: "asset", fileName, source: readFileSync(path) });
    },
  };
}

// Element Plus components are imported per component, with their styles.
export default defineConfig({
  plugins: [vue(), Components({ resolvers: [ElementPlusResolver()], dts: false }), pdfjsData()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: { target: "es2021", outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  // The screens' logic (dates, messages, the keyboard path) in a DOM of its own.
  // Element Plus is taken through Vite as the app takes it (its components import their CSS).
  test: { environment: "happy-dom", include: ["src/**/*.test.ts"], server: { deps: { inline: ["element-plus"] } } },
});
