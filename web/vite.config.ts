import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";

const apiTarget = process.env.API_URL ?? "http://127.0.0.1:8787";
const workersDir = fileURLToPath(new URL("../workers/", import.meta.url));

/**
 * The forms reuse the API's zod schemas (workers/schemas). Those modules import neighbours:
 * the Drizzle table definitions (for the enum lists they share), helpers with database code.
 * For the SPA, top-level `export const x = f(…)` in Worker modules is marked pure, and the
 * table-definition module is reduced to its constant lists (`export const NAMES = [...] as
 * const`, read from the file at build time), so only what a screen uses is bundled.
 */
const dbSchema = fileURLToPath(new URL("../workers/db/schema.ts", import.meta.url));
const pureWorkerModules: Plugin = {
  name: "pure-worker-modules",
  enforce: "pre",
  transform(code, id) {
    if (id === dbSchema) {
      return { code: code.match(/^export const [A-Z_]+ = \[[^\n]*\] as const;$/gm)?.join("\n") ?? "", map: null };
    }
    if (!id.startsWith(workersDir)) return null;
    return { code: code.replace(/^(export const [\w$]+(?::[^=]+)? = )(?=[\w$.]+\()/gm, "$1/* @__PURE__ */ "), map: null };
  },
};

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), pureWorkerModules],
  server: {
    host: "127.0.0.1",
    port: Number(process.env.WEB_PORT ?? 5173),
    strictPort: true,
    // Same-origin /api in dev, like Pages with a route to the Worker in production.
    proxy: { "/api": { target: apiTarget, ws: true, changeOrigin: false } },
  },
  preview: {
    host: "127.0.0.1",
    proxy: { "/api": { target: apiTarget, ws: true, changeOrigin: false } },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      // The forms reuse the API's zod schemas (workers/schemas). Those modules sit next to
      // Drizzle table definitions and OpenAPI registrations; none of them has side effects
      // the SPA needs, so only what a form actually uses is bundled.
      treeshake: { moduleSideEffects: (id: string) => !id.startsWith(workersDir) },
    },
  },
});
