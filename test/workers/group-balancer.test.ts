import { env } from "cloudflare:workers";
import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { describe, it } from "vitest";
import type { BalancerGroup } from "../../durable-objects/group-balancer";
import { packMembers } from "../../workers/routing/packed-group";
import { FAILURE_THRESHOLD } from "../../durable-objects/logic/health";
import { eventually } from "./helpers/db";

function group(agentCount: number, overrides: Partial<BalancerGroup> = {}, capacity: number | null = null): BalancerGroup {
  const members = Array.from({ length: agentCount }, (_, i) => ({ agentId: `a${i}`, position: i, priority: 0, weight: 1, capacity, enabled: true }));
  return {
    id: `grp-${crypto.randomUUID()}`,
    strategy: "round_robin",
    rollingWindowHours: 24,
    maxAttempts: 3,
    stickyTtlSeconds: null,
    members: packMembers(crypto.randomUUID(), members),
    ...overrides,
  };
}

const balancer = (g: BalancerGroup) => env.GROUP_BALANCER.getByName(g.id);

/** Picks (round robin) until a call lands on `agentId`; the other picks are released unscored. */
async function claimOn(g: BalancerGroup, agentId: string, prefix: string): Promise<string> {
  for (let i = 0; i < 10; i++) {
    const callKey = `${prefix}-${i}`;
    const { chosen } = await balancer(g).pick({ callKey, group: g });
    if (chosen === agentId) return callKey;
    await balancer(g).release(callKey);
  }
  throw new Error(`no pick landed on ${agentId}`);
}

describe("GroupBalancer", () => {
  it("spreads 1,000 concurrent picks over a round-robin group with every agent within one call of the others", async ({ expect }) => {
    const g = group(7);
    const stub = balancer(g);
    const outcomes = await Promise.all(Array.from({ length: 1000 }, (_, i) => stub.pick({ callKey: `call-${i}`, group: g })));
    const counts = new Map<string, number>();
    for (const o of outcomes) counts.set(o.chosen!, (counts.get(o.chosen!) ?? 0) + 1);
    const values = [...counts.values()];
    expect(values.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
    expect(counts.size).toBe(7);
  });

  it("keeps its rotation, live calls and window counts across eviction", async ({ expect }) => {
    const g = group(3, { strategy: "load_balanced" });
    const stub = balancer(g);
    const first = await stub.pick({ callKey: "c1", group: g });
    const second = await stub.pick({ callKey: "c2", group: g });
    // Drop every in-memory object; the next call rebuilds this one from its SQLite storage.
    await abortAllDurableObjects();
    const third = await balancer(g).pick({ callKey: "c3", group: g });
    expect(new Set([first.chosen, second.chosen, third.chosen]).size).toBe(3);
    const stats = await balancer(g).stats();
    expect(stats.map((s) => [s.agentId, s.active, s.windowCount])).toEqual([
      ["a0", 1, 1],
      ["a1", 1, 1],
      ["a2", 1, 1],
    ]);
  });

  it("treats a repeated pick for the same call as the same claim", async ({ expect }) => {
    const g = group(2);
    const stub = balancer(g);
    const a = await stub.pick({ callKey: "same", group: g });
    const b = await stub.pick({ callKey: "same", group: g });
    expect(b).toMatchObject({ chosen: a.chosen, duplicate: true });
    expect((await stub.stats()).reduce((n, s) => n + s.active, 0)).toBe(1);
  });

  it("skips agents at capacity and frees the slot exactly once when the call ends", async ({ expect }) => {
    const g = group(2, {}, 1);
    const stub = balancer(g);
    expect((await stub.pick({ callKey: "x1", group: g })).chosen).toBe("a0");
    expect((await stub.pick({ callKey: "x2", group: g })).chosen).toBe("a1");
    const full = await stub.pick({ callKey: "x3", group: g });
    expect(full.chosen).toBeNull();
    expect(full.skipped).toEqual([
      { agentId: "a0", reason: "at_capacity" },
      { agentId: "a1", reason: "at_capacity" },
    ]);
    expect((await stub.release("x1")).released).toBe(true);
    expect((await stub.release("x1")).released).toBe(false);
    expect((await stub.pick({ callKey: "x4", group: g })).chosen).toBe("a0");
  });

  it("expires slots of calls that never report their end, by alarm", async ({ expect }) => {
    const g = group(1, {}, 1);
    const stub = balancer(g);
    await stub.pick({ callKey: "lost", group: g, claimTtlMs: 200 });
    const inside = () =>
      runInDurableObject(stub, async (_instance, state) => ({
        alarm: await state.storage.getAlarm(),
        active: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM active_calls").one().n,
      }));
    const armed = await inside();
    expect(armed.active).toBe(1);
    expect(armed.alarm).toBeGreaterThan(Date.now() - 1000);
    // Nothing calls the object: only its alarm can free the slot.
    const freed = await eventually(async () => ((await inside()).active === 0 ? true : null), 5_000, "the alarm to expire the claim");
    expect(freed).toBe(true);
    expect((await stub.pick({ callKey: "next", group: g })).chosen).toBe("a0");
  });

  it("marks an agent unhealthy after consecutive failures and restores it on success", async ({ expect }) => {
    const g = group(2);
    const stub = balancer(g);
    // A call a0 took before it started failing, still talking.
    const talking = await claimOn(g, "a0", "talking");
    const changes = [];
    for (let i = 0; i < FAILURE_THRESHOLD; i++) {
      const callKey = await claimOn(g, "a0", `f${i}`);
      changes.push(await stub.release(callKey, { agentId: "a0", result: "failure" }));
    }
    expect(changes.map((c) => c.healthChange)).toEqual([null, null, { agentId: "a0", healthy: false }]);
    const picks = await Promise.all([0, 1, 2].map((i) => stub.pick({ callKey: `h${i}`, group: g })));
    expect(picks.map((p) => p.chosen)).toEqual(["a1", "a1", "a1"]);
    expect(picks[0]!.skipped).toEqual([{ agentId: "a0", reason: "unhealthy" }]);
    // Its end (released as a success) restores a0.
    expect((await stub.release(talking, { agentId: "a0", result: "success" })).healthChange).toEqual({ agentId: "a0", healthy: true });
    expect((await stub.pick({ callKey: "h9", group: g })).skipped).toEqual([]);
  });

  it("fails over to the next still-eligible candidate and counts the failure", async ({ expect }) => {
    const g = group(3, {}, 1);
    const stub = balancer(g);
    const first = await stub.pick({ callKey: "call", group: g });
    await stub.pick({ callKey: "other", group: g }); // fills a1
    const next = await stub.failover({ callKey: "call", failedAgentId: first.chosen, group: g, candidates: first.candidates });
    expect(first.candidates).toEqual(["a1", "a2"]);
    expect(next).toMatchObject({ chosen: "a2", skipped: [{ agentId: "a1", reason: "at_capacity" }], remaining: [] });
    const stats = await stub.stats();
    expect(stats.find((s) => s.agentId === "a0")).toMatchObject({ active: 0, failures: 1 });
  });

  it("counts a call's outcome once, however often its end is reported", async ({ expect }) => {
    const g = group(2);
    const stub = balancer(g);
    const callKey = await claimOn(g, "a0", "twice");
    const first = await stub.release(callKey, { agentId: "a0", result: "failure" });
    const again = await stub.release(callKey, { agentId: "a0", result: "failure" });
    expect(first).toEqual({ released: true, healthChange: null });
    expect(again).toEqual({ released: false, healthChange: null });
    // Never claimed at all: nothing to count either.
    expect(await stub.release("never-claimed", { agentId: "a0", result: "failure" })).toEqual({ released: false, healthChange: null });
    expect((await stub.stats()).find((s) => s.agentId === "a0")).toMatchObject({ active: 0, failures: 1, consecutiveFailures: 1 });
  });

  it("answers a repeated failover the same, without a second failure or a second claim", async ({ expect }) => {
    const g = group(3, {}, 1);
    const stub = balancer(g);
    const first = await stub.pick({ callKey: "call", group: g });
    const request = { callKey: "call", failedAgentId: first.chosen, group: g, candidates: first.candidates };
    const next = await stub.failover(request);
    const repeat = await stub.failover(request);
    expect(next).toMatchObject({ chosen: "a1", remaining: ["a2"] });
    expect(repeat).toMatchObject({ chosen: "a1", remaining: ["a2"], healthChanges: [] });
    const stats = await stub.stats();
    expect(stats.map((s) => [s.agentId, s.active, s.picks, s.failures])).toEqual([
      ["a0", 0, 1, 1],
      ["a1", 1, 1, 0],
    ]);
  });

  it("keeps a sticky caller on the same agent while the TTL lasts", async ({ expect }) => {
    const g = group(3, { stickyTtlSeconds: 600 });
    const stub = balancer(g);
    const a = await stub.pick({ callKey: "s1", group: g, caller: "14155550100" });
    await stub.pick({ callKey: "s2", group: g, caller: "14155550999" });
    const again = await stub.pick({ callKey: "s3", group: g, caller: "14155550100" });
    expect(again).toMatchObject({ chosen: a.chosen, sticky: true });
  });

  it("explains without changing anything (dry run)", async ({ expect }) => {
    const g = group(2);
    const stub = balancer(g);
    const dry = await stub.pick({ callKey: "dry", group: g, dryRun: true });
    const real = await stub.pick({ callKey: "real", group: g });
    expect(dry.chosen).toBe("a0");
    expect(real.chosen).toBe("a0");
    expect((await stub.stats()).reduce((n, s) => n + s.picks, 0)).toBe(1);
  });
});
