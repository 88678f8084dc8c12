import type { ReactNode } from "react";
import { render } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { vi } from "vitest";
import { QueryClient } from "@tanstack/react-query";
import { Providers } from "../../web/src/providers";
import { session } from "../../web/src/api/session";

export function signIn(role: "admin" | "user" = "admin") {
  session.start({
    token: "test-token",
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    user: { id: "usr_1", email: `${role}@example.com`, name: role, role },
    tenant: { id: "ten_1", name: "Acme" },
  });
}

type Handler = (url: URL, init: RequestInit) => unknown;

/** Stubs fetch: `routes` maps "METHOD /path" to a JSON body (or a function of the request). */
export function mockApi(routes: Record<string, unknown | Handler>) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const body = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
    calls.push({ method, path: url.pathname + url.search, body });
    const handler = routes[`${method} ${url.pathname}`];
    if (handler === undefined) return new Response(JSON.stringify({ error: { code: "NOT_FOUND", message: `no mock for ${method} ${url.pathname}`, requestId: "t" } }), { status: 404 });
    const result = await (typeof handler === "function" ? (handler as Handler)(url, init) : handler);
    if (result instanceof Response) return result;
    return new Response(JSON.stringify(result), { status: method === "POST" ? 201 : 200, headers: { "Content-Type": "application/json" } });
  });
  vi.stubGlobal("fetch", fetchMock);
  return calls;
}

export function renderAt(path: string, route: string, element: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <Providers client={client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path={route} element={element} />
          <Route path="*" element={<div>elsewhere</div>} />
        </Routes>
      </MemoryRouter>
    </Providers>,
  );
}

export const page = <T,>(items: T[]) => ({ items, nextCursor: null });

export const PROVIDERS = {
  providers: [
    { id: "retell", name: "Retell AI", kind: "service", valueKind: "e164", help: "the agent's phone number in E.164 form (e.g. +12125550123), as registered for the agent in Retell AI" },
    { id: "vapi", name: "Vapi", kind: "service", valueKind: "e164", help: "the agent's phone number in E.164 form, as registered in Vapi" },
    { id: "sip", name: "SIP URI", kind: "sip", valueKind: "sip_uri", help: "any SIP agent's URI, e.g. sip:agent_42@sip.agent.example;transport=tls (credentials optional)" },
    { id: "websocket", name: "WebSocket stream", kind: "stream", valueKind: "wss_url", help: "the agent's WebSocket URL (wss://…): Cloudonix streams the call's audio to it both ways" },
    { id: "phone", name: "Phone number", kind: "number", valueKind: "phone", help: "a person, PBX or call centre: an E.164 number (+12125550123) or an extension, dialled through a trunk" },
  ],
  aliases: { "11labs": "elevenlabs" },
};

export function agent(overrides: Record<string, unknown> = {}) {
  return {
    id: "agt_1",
    name: "Alice",
    provider: "retell",
    serviceValue: "+12125550101",
    username: null,
    hasPassword: true,
    enabled: true,
    maxConcurrentCalls: 5,
    weight: 1,
    tags: ["sales"],
    kind: "service",
    trunkId: null,
    context: [],
    version: 3,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    ...overrides,
  };
}
