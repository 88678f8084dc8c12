import type { Hono, MiddlewareHandler } from "hono";
import type { z, ZodType } from "zod";
import type { AppEnv } from "../app-env";
import { jsonBody, queryOf } from "../lib/validation";
import { registerRoute, type HttpMethod, type RegisteredRoute, type RouteSpec } from "./registry";

/*
 * One declaration per admin route: the middleware returned by `route(summary, spec)` validates
 * the spec's body and query (so handlers read c.req.valid("json"/"query") and the typed client
 * knows the request types), and the same spec is the route's OpenAPI entry. The method and
 * path are Hono's own: documentRoutes() reads them from the app's route table.
 *
 *   const route = apiRoutes("Voice agents");
 *   .put("/:id", route("Update a voice agent", { auth: "admin", params: IdParams, body: UpdateAgentBody, response: AgentSchema }), async (c) => …)
 */

/** Query values travel as strings: the keys are the schema's, the values are parsed by it. */
type QueryStrings<T> = { [K in keyof T]: string | undefined };

/** A body schema that accepts undefined makes the body optional, for the client too. */
type JsonIn<B extends ZodType> = undefined extends z.input<B> ? { json?: z.input<B> } : { json: z.input<B> };
/** Adds nothing to an intersection: a route without a body (or query) declares no input for it. */
type NoInput = Record<never, never>;
type BodyInput<S> = S extends { body: infer B extends ZodType } ? { in: JsonIn<B>; out: { json: NonNullable<z.output<B>> } } : NoInput;
type QueryInput<S> = S extends { query: infer Q extends ZodType } ? { in: { query: QueryStrings<z.input<Q>> }; out: { query: z.output<Q> } } : NoInput;
export type DeclaredInput<S> = BodyInput<S> & QueryInput<S>;

type Declared = Omit<RegisteredRoute, "method" | "path">;
const declarations = new WeakMap<object, Declared>();

/** Hono wraps a sub-app's handler when mounting it, keeping the original under this key. */
const COMPOSED_HANDLER = "__COMPOSED_HANDLER";

/** Route declarations for one resource, every route tagged `tag`. */
export function apiRoutes(tag: string, defaults: Pick<RouteSpec, "auth"> = { auth: "bearer" }) {
  return <const S extends RouteSpec>(summary: string, spec: S = {} as S): MiddlewareHandler<AppEnv, string, DeclaredInput<S>> => {
    const steps: MiddlewareHandler[] = [];
    if (spec.query) steps.push(queryOf(spec.query));
    if (spec.body) steps.push(jsonBody(spec.body));
    const middleware: MiddlewareHandler = async (c, next) => {
      const run = steps.reduceRight<() => Promise<void>>((rest, step) => async () => void (await step(c, rest)), next);
      await run();
    };
    declarations.set(middleware, { ...defaults, ...spec, summary, tag });
    return middleware;
  };
}

/** Registers the OpenAPI entry of every declared route of `app`, at the path Hono serves it. */
export function documentRoutes(app: Hono<AppEnv>): void {
  for (const route of app.routes) {
    const handler = route.handler as unknown as Record<string, unknown>;
    const declared = declarations.get(route.handler) ?? declarations.get(handler[COMPOSED_HANDLER] as object);
    if (declared) registerRoute({ ...declared, method: route.method.toLowerCase() as HttpMethod, path: route.path });
  }
}
