import { z, type ZodType } from "zod";

/*
 * The OpenAPI registry. Each route file registers its routes with the zod schemas that
 * validate them, one line per route; GET /api/openapi.json renders the document from them,
 * so the document and the validation cannot drift apart.
 *
 *   const docs = apiDocs("/api/voice-agents", "Voice agents");
 *   docs.get("/:id", "Get a voice agent", { params: IdParams, response: AgentSchema });
 *   docs.post("/", "Create a voice agent", { body: CreateAgentBody, response: AgentSchema, status: 201, errors: [409] });
 */

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";
/** bearer: any signed-in user; admin: admins only (403 for others); webhook: the tenant's Cloudonix request key; none: public. */
export type RouteAuth = "bearer" | "admin" | "webhook" | "none";

export interface RouteSpec {
  description?: string;
  auth?: RouteAuth;
  params?: ZodType;
  query?: ZodType;
  body?: ZodType;
  /** Default application/json. */
  bodyType?: string;
  /** Omit or null for 204 No Content. */
  response?: ZodType | null;
  /** Default application/json. */
  responseType?: string;
  /** Success status; default 200, or 204 without a response schema. */
  status?: number;
  /** Error statuses beyond the ones derived from the spec (400/401/403/404/415). */
  errors?: number[];
  headers?: Record<string, { description: string; required?: boolean }>;
  /** Hide from the document (internal routes). */
  hidden?: boolean;
}

export interface RegisteredRoute extends RouteSpec {
  method: HttpMethod;
  /** OpenAPI form: /api/voice-agents/{id}. */
  path: string;
  summary: string;
  tag: string;
}

const routes = new Map<string, RegisteredRoute>();
let cachedDocument: Record<string, unknown> | null = null;

/** Hono's "/:id" becomes OpenAPI's "/{id}"; a trailing "/" is dropped. */
export function openApiPath(path: string): string {
  const converted = path.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?/g, "{$1}");
  return converted.length > 1 ? converted.replace(/\/$/, "") : converted;
}

export function registerRoute(route: Omit<RegisteredRoute, "path"> & { path: string }): void {
  const path = openApiPath(route.path);
  routes.set(`${route.method} ${path}`, { ...route, path });
  cachedDocument = null;
}

export function registeredRoutes(): RegisteredRoute[] {
  return [...routes.values()];
}

type Register = (path: string, summary: string, spec?: RouteSpec) => void;

/** Registration helpers for one resource: paths relative to `prefix`, every route tagged `tag`. */
export function apiDocs(prefix: string, tag: string, defaults: Pick<RouteSpec, "auth"> = { auth: "bearer" }) {
  const at =
    (method: HttpMethod): Register =>
    (path, summary, spec = {}) =>
      registerRoute({ ...defaults, ...spec, method, path: `${prefix}${path === "/" ? "" : path}` || "/", summary, tag });
  return { get: at("get"), post: at("post"), put: at("put"), patch: at("patch"), delete: at("delete") };
}

// ---------------------------------------------------------------------------------------

const ErrorSchema = z.object({
  error: z.object({
    code: z.string().meta({ description: "Stable machine-readable code, e.g. VALIDATION_FAILED" }),
    message: z.string().meta({ description: "What went wrong and what to do about it" }),
    requestId: z.string(),
    details: z.unknown().optional(),
  }),
});

const ERROR_TEXT: Record<number, string> = {
  400: "The request is not valid (details lists each field)",
  401: "Not signed in, or the session has ended",
  403: "The signed-in role may not do this",
  404: "Not found in your tenant",
  409: "Conflicts with the current state (version, duplicate, or in use)",
  413: "The body is too large",
  415: "The body must be JSON",
  429: "Too many attempts; see Retry-After",
  503: "A dependency is unavailable",
};

function jsonSchema(schema: ZodType, io: "input" | "output"): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

/** A zod object's fields as OpenAPI parameters. */
function parameters(schema: ZodType | undefined, where: "path" | "query"): unknown[] {
  if (!schema) return [];
  const shape = (schema as unknown as { shape?: Record<string, ZodType> }).shape;
  if (!shape) return [];
  return Object.entries(shape).map(([name, field]) => {
    const fieldSchema = jsonSchema(field, "input");
    const description = fieldSchema.description;
    delete fieldSchema.description;
    return {
      name,
      in: where,
      required: where === "path" || !field.safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: fieldSchema,
    };
  });
}

function errorStatuses(route: RegisteredRoute): number[] {
  const statuses = new Set(route.errors ?? []);
  if (route.params || route.query || route.body) statuses.add(400);
  if (route.auth !== "none") statuses.add(401);
  if (route.auth === "admin") statuses.add(403);
  if (route.params) statuses.add(404);
  if (route.body && !route.bodyType) statuses.add(415);
  return [...statuses].sort();
}

function operation(route: RegisteredRoute): Record<string, unknown> {
  const status = route.status ?? (route.response ? 200 : 204);
  const responses: Record<string, unknown> = {};
  const success: Record<string, unknown> = { description: "Success" };
  if (route.response) success.content = { [route.responseType ?? "application/json"]: { schema: jsonSchema(route.response, "output") } };
  if (route.headers) success.headers = Object.fromEntries(Object.entries(route.headers).map(([k, v]) => [k, { description: v.description, schema: { type: "string" } }]));
  responses[String(status)] = success;
  for (const code of errorStatuses(route)) {
    responses[String(code)] = {
      description: ERROR_TEXT[code] ?? "Error",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  const op: Record<string, unknown> = {
    operationId: `${route.method}${route.path.replace(/\{([^}]+)\}/g, "By_$1").replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ? ch.toUpperCase() : ""))}`,
    summary: route.summary,
    tags: [route.tag],
    parameters: [...parameters(route.params, "path"), ...parameters(route.query, "query")],
    responses,
  };
  if (route.description) op.description = route.description;
  if (route.auth === "bearer" || route.auth === "admin") op.security = [{ bearerAuth: [] }];
  else if (route.auth === "webhook") op.security = [{ cloudonixRequestKey: [] }];
  else op.security = [];
  if (route.auth === "admin") op["x-required-role"] = "admin";
  if (route.body) {
    op.requestBody = { required: !route.body.safeParse(undefined).success, content: { [route.bodyType ?? "application/json"]: { schema: jsonSchema(route.body, "input") } } };
  }
  return op;
}

/** The OpenAPI 3.1 document of every registered route (cached until a route is added). */
export function openApiDocument(serverUrl?: string): Record<string, unknown> {
  if (!cachedDocument) {
    const paths: Record<string, Record<string, unknown>> = {};
    const sorted = registeredRoutes()
      .filter((route) => !route.hidden)
      .sort((a, b) => a.path.localeCompare(b.path));
    for (const route of sorted) (paths[route.path] ??= {})[route.method] = operation(route);
    cachedDocument = {
      openapi: "3.1.0",
      info: {
        title: "Cloudonix Agent Router API",
        version: "1.0.0",
        description:
          "Admin API (tenants, users, voice agents, groups, routing rules, trunks, audit log) and the Cloudonix webhooks. " +
          "Errors always have the shape {error:{code,message,requestId,details?}}. Lists are paged by an opaque cursor: " +
          "pass nextCursor back as cursor with the same filters and sort.",
      },
      tags: [...new Set(sorted.map((route) => route.tag))].map((name) => ({ name })),
      paths,
      components: {
        schemas: { Error: jsonSchema(ErrorSchema, "output") },
        securitySchemes: {
          bearerAuth: {
            type: "http",
            scheme: "bearer",
            bearerFormat: "JWT or API key",
            description: "Either a signed-in user's access token (POST /api/auth/login, one hour, refreshable) or a tenant API key for automation (cxak_…, made by an admin in /api/api-keys, acting with its own role). Both go in Authorization: Bearer.",
          },
          cloudonixRequestKey: {
            type: "http",
            scheme: "bearer",
            description:
              "The tenant's webhook request key (cxrk_…, POST /api/tenant/request-key), which Cloudonix sends as Authorization: Bearer on every webhook. Session updates and CDRs may instead come to the tenant's callback URLs, whose path token is the credential.",
          },
        },
      },
    };
  }
  return serverUrl ? { ...cachedDocument, servers: [{ url: serverUrl }] } : cachedDocument;
}
