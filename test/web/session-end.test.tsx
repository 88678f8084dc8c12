import { describe, expect, it } from "vitest";
import { act, render, screen } from "@testing-library/react";
import { QueryClient, useQuery } from "@tanstack/react-query";
import { Providers } from "../../web/src/providers";
import { api, unwrap } from "../../web/src/api/client";
import { logout } from "../../web/src/api/auth";
import { useSession } from "../../web/src/api/session";
import { mockApi, signIn } from "./render";

/** A signed-in screen that shows the tenant's name, as every screen shows tenant data. */
function TenantName() {
  const tenant = useQuery({ queryKey: ["tenant"], queryFn: () => unwrap(api.tenant.$get()) });
  return <p>{tenant.data ? `tenant: ${tenant.data.name}` : "loading"}</p>;
}

function Screen() {
  return useSession() ? <TenantName /> : <p>signed out</p>;
}

const tenantAnswer = (name: string) => ({ "GET /api/tenant": { id: `ten_${name}`, name } });

/** The ways a session ends: this tab signs out, the server refuses the token, another tab signs out. */
const endings: [string, () => Promise<void>][] = [
  [
    "signing out",
    async () => {
      mockApi({ "POST /api/auth/logout": () => new Response(null, { status: 204 }) });
      await logout();
    },
  ],
  [
    "a revoked or expired token (401)",
    async () => {
      mockApi({ "GET /api/tenant": () => new Response(JSON.stringify({ error: { code: "UNAUTHENTICATED", message: "Session ended", requestId: "r" } }), { status: 401 }) });
      await api.tenant.$get();
    },
  ],
  [
    "signing out in another tab",
    async () => {
      localStorage.removeItem("cxlb.session");
      window.dispatchEvent(new StorageEvent("storage", { key: "cxlb.session" }));
    },
  ],
];

describe("ending a session", () => {
  it.each(endings)("clears the query cache after %s, so the next user never sees the last one's data", async (_how, end) => {
    signIn("admin");
    mockApi(tenantAnswer("Acme"));
    const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 60_000 } } });
    render(
      <Providers client={client}>
        <Screen />
      </Providers>,
    );
    expect(await screen.findByText("tenant: Acme")).toBeInTheDocument();

    await act(end);
    expect(await screen.findByText("signed out")).toBeInTheDocument();
    expect(client.getQueryCache().getAll()).toEqual([]);

    // Someone else signs in on the same tab: the screen loads their tenant, never shows Acme.
    mockApi(tenantAnswer("Globex"));
    act(() => signIn("user"));
    expect(screen.queryByText("tenant: Acme")).toBeNull();
    expect(await screen.findByText("tenant: Globex")).toBeInTheDocument();
  });
});
