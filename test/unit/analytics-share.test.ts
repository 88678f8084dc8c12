import { describe, it } from "vitest";
import { distribution, targetShares, type ShareMember } from "../../workers/analytics/share";

const m = (agentId: string, weight = 1, priority = 0, enabled = true): ShareMember => ({ agentId, weight, priority, enabled });
const traffic = (entries: [string, number, number][]) => new Map(entries.map(([id, attempts, firstAttempts]) => [id, { attempts, firstAttempts }]));

describe("target shares", () => {
  it("splits round robin and load balanced by weight among enabled members", ({ expect }) => {
    const members = [m("a", 1), m("b", 3), m("c", 4, 0, false)];
    expect(Object.fromEntries(targetShares("round_robin", members))).toEqual({ a: 0.25, b: 0.75, c: 0 });
    expect(Object.fromEntries(targetShares("load_balanced", members))).toEqual({ a: 0.25, b: 0.75, c: 0 });
  });

  it("gives a priority group's first picks to its top enabled tier, evenly", ({ expect }) => {
    const members = [m("a", 1, 1, false), m("b", 5, 2), m("c", 1, 2), m("d", 1, 3)];
    expect(Object.fromEntries(targetShares("priority", members))).toEqual({ a: 0, b: 0.5, c: 0.5, d: 0 });
  });

  it("targets nothing when every member is disabled, and splits evenly when all weights are 0", ({ expect }) => {
    expect(Object.fromEntries(targetShares("round_robin", [m("a", 1, 0, false)]))).toEqual({ a: 0 });
    expect(Object.fromEntries(targetShares("round_robin", [m("a", 0), m("b", 0)]))).toEqual({ a: 0.5, b: 0.5 });
  });
});

describe("distribution", () => {
  it("compares the dial counts of a round-robin group with its targets", ({ expect }) => {
    const d = distribution(
      "round_robin",
      [m("a"), m("b")],
      traffic([
        ["a", 60, 50],
        ["b", 40, 40],
      ]),
    );
    expect(d).toEqual({
      basis: "attempts",
      total: 100,
      agents: [
        { agentId: "a", member: true, count: 60, share: 0.6, targetShare: 0.5, deviation: 0.1 },
        { agentId: "b", member: true, count: 40, share: 0.4, targetShare: 0.5, deviation: -0.1 },
      ],
    });
  });

  it("uses first picks for priority groups and lists former members with target 0", ({ expect }) => {
    const d = distribution(
      "priority",
      [m("a", 1, 1), m("b", 1, 2)],
      traffic([
        ["a", 90, 90],
        ["b", 30, 5],
        ["gone", 5, 5],
      ]),
    );
    expect(d.basis).toBe("firstAttempts");
    expect(d.agents.map((r) => [r.agentId, r.member, r.count, r.targetShare])).toEqual([
      ["a", true, 90, 1],
      ["b", true, 5, 0],
      ["gone", false, 5, 0],
    ]);
    expect(d.agents.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1, 3);
  });

  it("reports zero shares for a group that took no traffic", ({ expect }) => {
    expect(distribution("load_balanced", [m("a")], new Map()).agents).toEqual([{ agentId: "a", member: true, count: 0, share: 0, targetShare: 1, deviation: -1 }]);
  });
});
