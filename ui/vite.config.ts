/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";
import Components from "unplugin-vue-components/vite";
import { ElementPlusResolver } from "unplugin-vue-components/resolvers";

// Element Plus components are imported per component, with their styles.
export default defineConfig({
  plugins: [vue(), Components({ resolvers: [ElementPlusResolver()], dts: false })],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: { target: "es2021", outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  // The screens' logic (dates, messages, the keyboard path) in a DOM of its own.
  // Element Plus is taken through Vite as the app takes it (its components import their CSS).
  test: { environment: "happy-dom", include: ["src/**/*.test.ts"], server: { deps: { inline: ["element-plus"] } } },
});
