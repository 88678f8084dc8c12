import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { targetAccounts } from "../../workers/db/repos/campaigns";
import { ALWAYS, campaignWorld, contactsCsv, type CampaignWorld } from "./helpers/campaign-fixture";
import { withDb } from "./helpers/db";
import { createAgent } from "./helpers/fixtures";
import { pumpStandIn, standInCalls } from "./helpers/standin";

/*
 * A campaign dials no more people than its agents' provider account has free slots for: other
 * calls (inbound ones, claimed here as the group balancer claims them) may hold the rest, and a
 * person who answers must find an agent. Sampled while the stand-in rings, answers and ends the
 * calls; every answered call must have been connected (a <Dial>), none hung up for want of a slot.
 */

const number = (i: number) => `+1415${String(5_660_000 + i)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startCampaign(w: CampaignWorld, contacts: number, maxConcurrent: number) {
  const created = await w.t.asAdmin("POST", "/api/campaigns", {
    name: `acc-${crypto.randomUUID().slice(0, 8)}`,
    target: { type: "group", id: w.group.id },
    callerId: "+14155550100",
    callingWindow: ALWAYS,
    maxConcurrent,
    callsPerMinute: 600,
    ringTimeoutSec: 20,
  });
  if (created.status !== 201) throw new Error(`creating the campaign failed: ${created.status} ${JSON.stringify(created.body)}`);
  const campaign = created.body as { id: string };
  const csv = contactsCsv(Array.from({ length: contacts }, (_, i) => number(i)));
  const loaded = await w.t.asAdmin("PUT", `/api/campaigns/${campaign.id}/contacts`, csv, { "content-type": "text/csv" });
  const started = loaded.status === 200 ? await w.t.asAdmin("POST", `/api/campaigns/${campaign.id}/start`) : loaded;
  if (started.status !== 200) throw new Error(`loading or starting the campaign failed: ${started.status} ${JSON.stringify(started.body)}`);
  return campaign;
}

describe("campaigns paced by their agents' provider account", () => {
  it("dials no more people than the account's free slots while inbound calls hold the rest, follows a changed cap, and resumes once they free", { timeout: 120_000 }, async ({ expect }) => {
    const w = await campaignWorld({ agents: 2, accountCap: 3, behaviour: { answer: 1, busy: 0, noAnswer: 0, failed: 0, ringMs: [100, 300], talkMs: [500, 800] } });
    const account = env.PROVIDER_ACCOUNT.getByName(w.account.id);
    // Two inbound calls hold two of the account's three slots.
    for (const callKey of ["inbound-1", "inbound-2"]) expect((await account.claim({ callKey, agentId: w.agents[0].id, cap: 3 })).granted).toBe(true);
    const campaign = await startCampaign(w, 24, 6);

    // Sampled continuously; `phase` names the bound in force, switched before a change loosens it.
    let phase: "held" | "cap4" | "released" = "held";
    const peaks = { held: 0, cap4: 0, released: 0 };
    let samples = 0;
    const heldSeen: { heldByAccount: boolean; accountFree: number | null }[] = [];
    let maxActive = 0;
    let last: any = null;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const bound = phase;
        const progress = (await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/progress`)).body;
        peaks[bound] = Math.max(peaks[bound], progress.inProgress);
        if (bound === "held" && progress.dialled > 0) heldSeen.push({ heldByAccount: progress.heldByAccount, accountFree: progress.accountFree });
        maxActive = Math.max(maxActive, (await account.free(4)).active);
        last = progress;
        samples++;
        await sleep(40);
      }
    })();

    let mark = 0;
    await pumpStandIn(
      w.t.domain,
      async () => {
        if (!last) return false;
        if (phase === "held" && last.dialled >= 3) {
          phase = "cap4";
          mark = last.dialled;
          const changed = await w.t.asAdmin("PUT", `/api/provider-accounts/${w.account.id}`, { maxConcurrentCalls: 4 });
          expect(changed.status).toBe(200);
        } else if (phase === "cap4" && last.dialled >= mark + 4) {
          phase = "released";
          for (const callKey of ["inbound-1", "inbound-2"]) await account.release(callKey);
        }
        return phase === "released" && last.status === "completed";
      },
      90_000,
      100,
    );
    sampling = false;
    await sampler;

    // One slot free: one call at a time; the cap raised to 4, two; the inbound calls gone, four (of the campaign's 6).
    expect(peaks.held).toBe(1);
    expect(peaks.cap4).toBeLessThanOrEqual(2);
    expect(peaks.cap4).toBe(2);
    expect(peaks.released).toBeLessThanOrEqual(4);
    expect(peaks.released).toBeGreaterThanOrEqual(3);
    expect(maxActive).toBeLessThanOrEqual(4);
    expect(samples).toBeGreaterThan(50);
    // While held, the progress said so: no slot left for a new call, held by the account.
    expect(heldSeen.some((s) => s.heldByAccount && s.accountFree === 0)).toBe(true);
    expect(last).toMatchObject({ status: "completed", dialled: 24, answered: 24, heldByAccount: false });

    // Everyone who answered reached an agent: none was hung up for want of a slot.
    const calls = await standInCalls(w.t.domain);
    expect(calls).toHaveLength(24);
    for (const call of calls) {
      const voice = call.deliveries.find((d) => d.kind === "voice-application")!;
      expect(voice.answer, call.destination).toContain("<Dial");
    }
  });

  it("paces by its own limits alone, asking no account, when its agents have none", { timeout: 60_000 }, async ({ expect }) => {
    const w = await campaignWorld({ agents: 2, behaviour: { answer: 1, busy: 0, noAnswer: 0, failed: 0, ringMs: [100, 200], talkMs: [300, 500] } });
    const campaign = await startCampaign(w, 8, 3);
    let peak = 0;
    let last: any = null;
    await pumpStandIn(
      w.t.domain,
      async () => {
        last = (await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/progress`)).body;
        peak = Math.max(peak, last.inProgress);
        return last.status === "completed";
      },
      40_000,
      50,
    );
    expect(peak).toBe(3);
    expect(last).toMatchObject({ dialled: 8, accountFree: null, heldByAccount: false });
  });

  it("counts a group's agent without an account as unlimited, and the free slots of every account its members use", async ({ expect }) => {
    const w = await campaignWorld({ agents: 2, accountCap: 2 });
    const second = (await w.t.asAdmin("POST", "/api/provider-accounts", { name: "Retell", maxConcurrentCalls: 5 })).body;
    const free = await createAgent(w.t, { name: "no-account" });
    const withSecond = await createAgent(w.t, { name: "retell-1", providerAccountId: second.id });
    const members = (ids: string[]) => ({ members: ids.map((agentId) => ({ agentId })) });
    const spanning = (await w.t.asAdmin("POST", "/api/agent-groups", { name: "spanning", ...members([w.agents[0].id, withSecond.id]) })).body;
    const open = (await w.t.asAdmin("POST", "/api/agent-groups", { name: "open", ...members([w.agents[0].id, free.id]) })).body;
    const accounts = (target: { type: "agent" | "group"; id: string }) => withDb((db) => targetAccounts(db, w.t.tenantId, target));
    expect(await accounts({ type: "group", id: spanning.id })).toEqual([w.account, second].map((a) => ({ id: a.id, cap: a.maxConcurrentCalls })).sort((a, b) => a.id.localeCompare(b.id)));
    expect(await accounts({ type: "group", id: open.id })).toBeNull();
    expect(await accounts({ type: "agent", id: free.id })).toBeNull();
    expect(await accounts({ type: "agent", id: withSecond.id })).toEqual([{ id: second.id, cap: 5 }]);
    // A disabled member takes no call: the group is then its accounted agents' alone.
    await w.t.asAdmin("PUT", `/api/voice-agents/${free.id}`, { enabled: false });
    expect(await accounts({ type: "group", id: open.id })).toEqual([{ id: w.account.id, cap: 2 }]);
  });
});
