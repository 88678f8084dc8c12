import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { ALWAYS, campaignWorld, contactsCsv } from "./helpers/campaign-fixture";
import { bearer, openSocket, signInTo } from "./helpers/sockets";
import { pumpStandIn } from "./helpers/standin";

/*
 * A campaign's progress reaches the tenant's dashboards over the live feed (GET /api/realtime):
 * its runner pushes it, at most once a second while figures change and at once when the status
 * does, as a transient message (not numbered, not kept by the hub for replay).
 */

const number = (i: number) => `+1415${String(5_770_000 + i)}`;

describe("campaign progress pushed over the live feed", () => {
  it("reaches a dashboard with the runner's own counts, at most once a second, outside the numbered stream", { timeout: 60_000 }, async ({ expect }) => {
    const w = await campaignWorld({ agents: 2, behaviour: { answer: 2, busy: 1, noAnswer: 0, failed: 0, ringMs: [150, 300], talkMs: [600, 900] } });
    const socket = await openSocket("/api/realtime", bearer(await signInTo(w.t.tenantId)));
    const hello = await socket.next((m) => m.type === "hello");
    await socket.next((m) => m.type === "snapshot");
    const created = await w.t.asAdmin("POST", "/api/campaigns", {
      name: "pushed",
      target: { type: "group", id: w.group.id },
      callerId: "+14155550100",
      callingWindow: ALWAYS,
      maxConcurrent: 2,
      callsPerMinute: 600,
      retryPolicy: { busy: { attempts: 1, spacingMinutes: 1 }, noAnswer: { attempts: 1, spacingMinutes: 1 }, failed: { attempts: 1, spacingMinutes: 1 } },
    });
    const campaign = created.body;
    await w.t.asAdmin("PUT", `/api/campaigns/${campaign.id}/contacts`, contactsCsv(Array.from({ length: 8 }, (_, i) => number(i))), { "content-type": "text/csv" });
    expect((await w.t.asAdmin("POST", `/api/campaigns/${campaign.id}/start`)).status).toBe(200);
    const pushes = () => socket.messages.filter((m) => m.type === "transient" && m.event === "campaign.progress" && m.data.campaignId === campaign.id);
    // The start is a change of status: pushed at once, before any call ended.
    const first = await socket.next((m) => m.type === "transient" && m.data?.campaignId === campaign.id);
    expect(first.data.progress).toMatchObject({ status: "running", contacts: 8, maxConcurrent: 2, heldByAccount: false, accountFree: null });

    // Nobody reads the progress over HTTP meanwhile: the pushes alone must carry it to the end.
    await pumpStandIn(w.t.domain, async () => pushes().at(-1)?.data.progress.status === "completed", 40_000, 100);
    const final = (await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/progress`)).body;
    const last = pushes().at(-1)!.data.progress;
    expect(final).toMatchObject({ status: "completed", dialled: 8, inProgress: 0, remaining: 0 });
    expect(last).toEqual(final);
    expect(last.answered + last.busy).toBe(8);

    const list = pushes();
    expect(list.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1], list[i]];
      // Figures only grow; while the status stays, pushes are a second apart (the hub stamps them as it sends).
      expect(b.data.progress.dialled).toBeGreaterThanOrEqual(a.data.progress.dialled);
      if (a.data.progress.status === b.data.progress.status) expect(b.at - a.at).toBeGreaterThanOrEqual(900);
    }
    // Outside the numbered stream: no seq, and never a numbered campaign.progress event.
    expect(list.every((m) => m.seq === undefined)).toBe(true);
    expect(socket.messages.some((m) => typeof m.seq === "number" && m.type === "campaign.progress")).toBe(false);
    // Nothing of it is kept by the hub for replay: a socket resuming from the start gets no progress.
    const replayed = await openSocket(`/api/realtime?since=${hello.seq}&epoch=${hello.epoch}`, bearer(await signInTo(w.t.tenantId)));
    await replayed.next((m) => m.type === "hello");
    await new Promise((r) => setTimeout(r, 300));
    expect(replayed.messages.some((m) => m.type === "transient" || m.type === "campaign.progress")).toBe(false);
    socket.close();
    replayed.close();
  });

  it("reaches only the campaign's own tenant, and a hub with no dashboard open reports nobody reached", async ({ expect }) => {
    const a = await campaignWorld({ agents: 1 });
    const b = await campaignWorld({ agents: 1 });
    const sb = await openSocket("/api/realtime", bearer(await signInTo(b.t.tenantId)));
    await sb.next((m) => m.type === "snapshot");
    expect(await env.TENANT_HUB.getByName(a.t.tenantId).broadcast("campaign.progress", { campaignId: "cmp_x", progress: {} })).toEqual({ viewers: 0 });
    expect(await env.TENANT_HUB.getByName(b.t.tenantId).broadcast("campaign.progress", { campaignId: "cmp_y", progress: {} })).toEqual({ viewers: 1 });
    const got = await sb.next((m) => m.type === "transient");
    expect(got).toMatchObject({ event: "campaign.progress", data: { campaignId: "cmp_y" } });
    expect(sb.messages.some((m) => m.data?.campaignId === "cmp_x")).toBe(false);
    // A malformed name is refused (nothing sent).
    expect(await env.TENANT_HUB.getByName(b.t.tenantId).broadcast("Not An Event", {})).toEqual({ viewers: 0 });
    sb.close();
  });
});
