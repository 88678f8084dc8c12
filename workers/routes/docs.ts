import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { AppError } from "../lib/errors";
import { apiDocs } from "../openapi/registry";

/*
 * The interactive API reference at /api/docs: Swagger UI (swagger-ui-dist, pinned in
 * package.json) over /api/openapi.json, served from our own origin. The page and its start-up
 * script are here; Swagger UI's two files come from the Worker's static assets (wrangler.toml
 * [assets]: the package's folder), outside the Worker's script, so they cost the webhooks'
 * start-up nothing. Nothing is loaded from anywhere else: the Content-Security-Policy allows
 * this origin only, and Swagger UI's online validator (its one outside request) is off.
 */

/** The files of swagger-ui-dist the page needs, as /api/docs/<file>. */
const ASSET_TYPES: Record<string, string> = {
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui.css": "text/css; charset=utf-8",
};

const CSP = ["default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"].join("; ");

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Cloudonix Agent Router API reference</title>
    <link rel="stylesheet" href="/api/docs/swagger-ui.css" />
  </head>
  <body>
    <main id="swagger-ui" aria-label="API reference"></main>
    <script src="/api/docs/swagger-ui-bundle.js"></script>
    <script src="/api/docs/init.js"></script>
  </body>
</html>
`;

// Authorize takes a user's token or an API key (bearerAuth) and a Cloudonix request key; nothing is
// kept after the tab closes. "Try it out" always calls this page's own origin: behind a proxy (the
// SPA's dev server, a Pages route) the document's server URL can name another port or host.
const INIT = `window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  persistAuthorization: false,
  displayRequestDuration: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  requestInterceptor: (request) => {
    const url = new URL(request.url, window.location.href);
    request.url = window.location.origin + url.pathname + url.search;
    return request;
  },
});
`;

const headers = (type: string, maxAge: number) => ({ "Content-Type": type, "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Cache-Control": `public, max-age=${maxAge}` });

const meta = apiDocs("", "Meta", { auth: "none" });
const text = { response: z.string(), status: 200 };
meta.get("/api/docs", "This interactive API reference (Swagger UI over /api/openapi.json, served from this origin)", { ...text, responseType: "text/html" });
meta.get("/api/docs/init.js", "The API reference's start-up script", { ...text, responseType: "text/javascript" });
meta.get("/api/docs/:file", "One of the API reference's Swagger UI files (swagger-ui-bundle.js, swagger-ui.css)", { ...text, responseType: "text/plain", params: z.object({ file: z.enum(Object.keys(ASSET_TYPES) as [string, ...string[]]) }), errors: [503] });

export const docs = new Hono<AppEnv>()
  .get("/", (c) => c.body(PAGE, 200, headers("text/html; charset=utf-8", 300)))
  .get("/init.js", (c) => c.body(INIT, 200, headers("text/javascript; charset=utf-8", 300)))
  .get("/:file", async (c) => {
    const file = c.req.param("file");
    const type = ASSET_TYPES[file];
    if (!type) throw new AppError(404, "NOT_FOUND", `No file ${file} in the API reference`);
    if (!c.env.ASSETS) throw new AppError(503, "ASSETS_UNAVAILABLE", "The API reference's files are not bound to this Worker (wrangler.toml [assets])");
    const asset = await c.env.ASSETS.fetch(new Request(new URL(`/${file}`, c.req.url)));
    if (!asset.ok) throw new AppError(503, "ASSETS_UNAVAILABLE", `The API reference's ${file} is missing from the Worker's assets`);
    return new Response(asset.body, { status: 200, headers: headers(type, 86_400) });
  });
