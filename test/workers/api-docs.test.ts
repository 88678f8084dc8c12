import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { envWith, requestWithEnv } from "./helpers/app";
import { BASE, call } from "./helpers/fixtures";

/*
 * GET /api/docs: the interactive reference, served whole from our own origin. The page's every
 * script and stylesheet is a same-origin /api/docs/… file the Worker serves from its static
 * assets (swagger-ui-dist), its policy allows nothing else, and it reads /api/openapi.json.
 */

async function get(path: string) {
  const res = await call(null, "GET", path);
  return { ...res, text: typeof res.body === "string" ? res.body : JSON.stringify(res.body) };
}

describe("the API reference", () => {
  it("is a page that loads only same-origin files, each served by the Worker", async ({ expect }) => {
    const page = await get("/api/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    const refs = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.sort()).toEqual(["/api/docs/init.js", "/api/docs/swagger-ui-bundle.js", "/api/docs/swagger-ui.css"]);
    // No absolute URL anywhere in the page or its start-up script.
    const init = await get("/api/docs/init.js");
    expect(init.status).toBe(200);
    for (const text of [page.text, init.text]) expect(text).not.toMatch(/https?:\/\//);
    expect(init.text).toContain('url: "/api/openapi.json"');
    // Swagger UI's online validator is its one outside request: off.
    expect(init.text).toContain("validatorUrl: null");

    const bundle = await get("/api/docs/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(bundle.text.length).toBeGreaterThan(500_000);
    expect(bundle.text).toContain("SwaggerUIBundle");
    const css = await get("/api/docs/swagger-ui.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(css.text).toContain(".swagger-ui");
    // The same bytes as the pinned package (the assets binding is the package's folder).
    const direct = await env.ASSETS.fetch("https://assets.local/swagger-ui.css");
    expect(await direct.text()).toBe(css.text);
  });

  it("serves no other file of the package, and says so in the error envelope", async ({ expect }) => {
    for (const file of ["index.html", "swagger-initializer.js", "package.json", "..%2Fpackage.json", "swagger-ui-bundle.js.map"]) {
      const res = await call(null, "GET", `/api/docs/${file}`);
      expect(res.status, file).toBe(404);
      expect(res.body.error.code, file).toBe("NOT_FOUND");
    }
  });

  it("answers 503 in the envelope, not a crash, when the assets are not bound", async ({ expect }) => {
    const res = await requestWithEnv(envWith({ ASSETS: undefined }), `${BASE}/api/docs/swagger-ui.css`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error.code).toBe("ASSETS_UNAVAILABLE");
    // The page itself still loads.
    expect((await requestWithEnv(envWith({ ASSETS: undefined }), `${BASE}/api/docs`)).status).toBe(200);
  });

  it("documents both ways to authenticate in the OpenAPI document it renders", async ({ expect }) => {
    const doc = (await call(null, "GET", "/api/openapi.json")).body;
    expect(doc.components.securitySchemes.bearerAuth.description).toMatch(/access token.*API key/s);
    expect(doc.components.securitySchemes.cloudonixRequestKey.description).toMatch(/request key/);
    expect(doc.paths["/api/api-keys"].post.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths["/api/webhooks/voice-application"].post.security).toEqual([{ cloudonixRequestKey: [] }]);
    expect(doc.paths["/api/metrics"].get.responses["200"].content).toHaveProperty(["text/plain; version=0.0.4; charset=utf-8"]);
    expect(doc.paths["/api/docs"].get.security).toEqual([]);
  });
});
