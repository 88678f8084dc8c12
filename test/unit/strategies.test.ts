import { describe, it } from "vitest";
import { emptyRotation, pick, type AgentCounters, type PickMember, type PickResult, type RotationState, type Strategy } from "../../durable-objects/logic/strategies";

function member(agentId: string, position: number, extra: Partial<PickMember> = {}): PickMember {
  return { agentId, position, priority: 1, weight: 1, capacity: null, enabled: true, ...extra };
}

/** Members a, b, c… at positions 0, 1, 2… */
function members(ids: string, extra: (id: string) => Partial<PickMember> = () => ({})): PickMember[] {
  return [...ids].map((id, i) => member(id, i, extra(id)));
}

type CounterTable = Record<string, Partial<AgentCounters>>;

function countersFrom(table: CounterTable): (agentId: string) => AgentCounters {
  return (agentId) => ({ active: 0, windowCount: 0, healthy: true, ...table[agentId] });
}

/**
 * Runs `n` picks the way the balancer does: the rotation carries over, and the chosen agent's
 * window count goes up by one. Returns the chosen agents in order and the final state.
 */
function simulate(strategy: Strategy, list: PickMember[], n: number, opts: { counters?: CounterTable; rotation?: RotationState } = {}): { chosen: string[]; rotation: RotationState; counters: CounterTable } {
  const table: CounterTable = structuredClone(opts.counters ?? {});
  let rotation = opts.rotation ?? emptyRotation();
  const chosen: string[] = [];
  for (let i = 0; i < n; i++) {
    const result = pick(strategy, list, countersFrom(table), rotation);
    rotation = result.rotation;
    const first = result.order[0];
    if (first === undefined) break;
    chosen.push(first);
    const entry = (table[first] ??= {});
    entry.windowCount = (entry.windowCount ?? 0) + 1;
  }
  return { chosen, rotation, counters: table };
}

function tally(chosen: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of chosen) out[id] = (out[id] ?? 0) + 1;
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe("eligibility", () => {
  it("skips disabled, zero-weight, unhealthy and full agents, naming the reason, in position order", ({ expect }) => {
    const list = [member("ok", 0), member("off", 1, { enabled: false }), member("zero", 2, { weight: 0 }), member("sick", 3), member("full", 4, { capacity: 2 }), member("room", 5, { capacity: 3 }), member("nocap", 6, { capacity: 0 })];
    const counters = countersFrom({ sick: { healthy: false }, full: { active: 2 }, room: { active: 2 }, ok: { active: 50 } });
    for (const strategy of ["round_robin", "priority", "load_balanced"] as const) {
      const result = pick(strategy, list, counters, emptyRotation());
      expect(result.skipped).toEqual([
        { agentId: "off", reason: "disabled" },
        { agentId: "zero", reason: "zero_weight" },
        { agentId: "sick", reason: "unhealthy" },
        { agentId: "full", reason: "at_capacity" },
        { agentId: "nocap", reason: "at_capacity" },
      ]);
      expect([...result.order].sort()).toEqual(["ok", "room"]);
    }
  });

  it("names configuration reasons before runtime ones", ({ expect }) => {
    const list = [member("a", 0, { enabled: false, capacity: 0 }), member("b", 1, { weight: 0, capacity: 0 }), member("c", 2, { capacity: 0 })];
    const result = pick("round_robin", list, countersFrom({ a: { healthy: false }, b: { healthy: false }, c: { healthy: false } }), emptyRotation());
    expect(result.skipped).toEqual([
      { agentId: "a", reason: "disabled" },
      { agentId: "b", reason: "zero_weight" },
      { agentId: "c", reason: "unhealthy" },
    ]);
  });

  it.for(["round_robin", "priority", "load_balanced"] as const)("%s: with nobody eligible the order is empty and the rotation is unchanged", (strategy, { expect }) => {
    const rotation: RotationState = { pointer: 2, swrr: { a: 3 }, tierPointers: { "1": 1 } };
    const result = pick(
      strategy,
      members("ab", () => ({ enabled: false })),
      countersFrom({}),
      rotation,
    );
    expect(result.order).toEqual([]);
    expect(result.rotation).toEqual(rotation);
    expect(pick(strategy, [], countersFrom({}), emptyRotation())).toEqual({ order: [], skipped: [], rotation: emptyRotation() });
  });

  it.for(["round_robin", "priority", "load_balanced"] as const)("%s: never mutates its inputs", (strategy, { expect }) => {
    const list = deepFreeze([member("c", 2, { weight: 2 }), member("a", 0, { priority: 2 }), member("b", 1)]);
    const rotation = deepFreeze<RotationState>({ pointer: 1, swrr: { a: 1, gone: 4 }, tierPointers: { "1": 1, "9": 0 } });
    const before = structuredClone({ list, rotation });
    expect(() => pick(strategy, list, countersFrom({}), rotation)).not.toThrow();
    expect({ list, rotation }).toEqual(before);
  });

  it("emptyRotation returns a fresh state each time", ({ expect }) => {
    const a = emptyRotation();
    a.swrr.x = 1;
    expect(emptyRotation()).toEqual({ pointer: 0, swrr: {}, tierPointers: {} });
  });
});

describe("round_robin with equal weights", () => {
  it("gives 10,000 calls over 5 agents exactly 2,000 each, in strict rotation", ({ expect }) => {
    const { chosen } = simulate("round_robin", members("abcde"), 10_000);
    expect(tally(chosen)).toEqual({ a: 2000, b: 2000, c: 2000, d: 2000, e: 2000 });
    expect(chosen.slice(0, 7)).toEqual(["a", "b", "c", "d", "e", "a", "b"]);
    for (let i = 5; i < chosen.length; i++) expect(chosen[i]).toBe(chosen[i - 5]);
  });

  it("orders members by position, not by array order", ({ expect }) => {
    const list = [member("c", 30), member("a", 10), member("b", 20)];
    expect(simulate("round_robin", list, 4).chosen).toEqual(["a", "b", "c", "a"]);
  });

  it("gives the failover order in cyclic order from the chosen agent", ({ expect }) => {
    const result = pick("round_robin", members("abcde"), countersFrom({}), { ...emptyRotation(), pointer: 3 });
    expect(result.order).toEqual(["d", "e", "a", "b", "c"]);
    expect(result.rotation.pointer).toBe(4);
  });

  it("takes the first eligible agent at or after the pointer and moves the pointer past it", ({ expect }) => {
    const list = members("abcde", (id) => ({ enabled: id !== "c" && id !== "d" }));
    const result = pick("round_robin", list, countersFrom({}), { ...emptyRotation(), pointer: 2 });
    expect(result.order).toEqual(["e", "a", "b"]);
    expect(result.rotation.pointer).toBe(0);
  });

  it("wraps from the last member to the first", ({ expect }) => {
    const result = pick("round_robin", members("abc"), countersFrom({}), { ...emptyRotation(), pointer: 2 });
    expect(result.order[0]).toBe("c");
    expect(result.rotation.pointer).toBe(0);
  });

  it("shares calls evenly among the agents still eligible while one is skipped", ({ expect }) => {
    const { chosen } = simulate("round_robin", members("abcd"), 300, { counters: { b: { healthy: false } } });
    expect(tally(chosen)).toEqual({ a: 100, c: 100, d: 100 });
  });

  it("also uses the pointer when all eligible weights are equal but not 1", ({ expect }) => {
    const { chosen, rotation } = simulate(
      "round_robin",
      members("abc", () => ({ weight: 3 })),
      4,
    );
    expect(chosen).toEqual(["a", "b", "c", "a"]);
    expect(rotation.pointer).toBe(1);
    expect(rotation.swrr).toEqual({});
  });

  it("survives members being removed: a pointer beyond the new length wraps", ({ expect }) => {
    const first = simulate("round_robin", members("abcde"), 4);
    expect(first.rotation.pointer).toBe(4);
    const after = pick("round_robin", members("ab"), countersFrom({}), first.rotation);
    expect(after.order).toEqual(["a", "b"]); // 4 mod 2 = 0
    expect(after.rotation.pointer).toBe(1);
  });

  it("survives members being added: the rotation continues where it was", ({ expect }) => {
    const first = simulate("round_robin", members("abc"), 2);
    const { chosen } = simulate("round_robin", members("abcde"), 5, { rotation: first.rotation });
    expect(chosen).toEqual(["c", "d", "e", "a", "b"]);
  });

  it("tolerates a corrupt persisted pointer", ({ expect }) => {
    for (const pointer of [-1, Number.NaN, 1e12 + 1, 2.7]) {
      const result = pick("round_robin", members("abc"), countersFrom({}), { ...emptyRotation(), pointer });
      expect(["a", "b", "c"]).toContain(result.order[0]);
      expect(result.order).toHaveLength(3);
      expect(Number.isInteger(result.rotation.pointer)).toBe(true);
    }
    expect(pick("round_robin", members("abc"), countersFrom({}), { ...emptyRotation(), pointer: -1 }).order[0]).toBe("c");
  });
});

describe("round_robin with weights (smooth weighted round robin)", () => {
  const weighted = () => [member("a", 0, { weight: 5 }), member("b", 1, { weight: 1 }), member("c", 2, { weight: 1 })];

  it("interleaves 5:1:1 as nginx does: a a b a c a a", ({ expect }) => {
    const { chosen, rotation } = simulate("round_robin", weighted(), 7);
    expect(chosen).toEqual(["a", "a", "b", "a", "c", "a", "a"]);
    // After a full cycle every current weight is back to zero.
    expect(rotation.swrr).toEqual({ a: 0, b: 0, c: 0 });
  });

  it("gives exactly 5:1:1 in every window of 7 over 7,000 calls", ({ expect }) => {
    const { chosen } = simulate("round_robin", weighted(), 7000);
    expect(tally(chosen)).toEqual({ a: 5000, b: 1000, c: 1000 });
    for (let i = 0; i + 7 <= chosen.length; i += 7) expect(tally(chosen.slice(i, i + 7))).toEqual({ a: 5, b: 1, c: 1 });
  });

  it("honours arbitrary weights exactly over a cycle", ({ expect }) => {
    const list = [member("a", 0, { weight: 3 }), member("b", 1, { weight: 2 }), member("c", 2, { weight: 7 }), member("d", 3, { weight: 1 })];
    const { chosen } = simulate("round_robin", list, 13 * 100);
    expect(tally(chosen)).toEqual({ a: 300, b: 200, c: 700, d: 100 });
  });

  it("lists failover by descending weight, then position", ({ expect }) => {
    const list = [member("a", 0, { weight: 1 }), member("b", 1, { weight: 3 }), member("c", 2, { weight: 1 }), member("d", 3, { weight: 3 })];
    const result = pick("round_robin", list, countersFrom({}), emptyRotation());
    expect(result.order).toEqual(["b", "d", "a", "c"]);
    expect(result.rotation.swrr).toEqual({ a: 1, b: -5, c: 1, d: 3 });
  });

  it("keeps the current weight of a skipped agent and drops agents that left the group", ({ expect }) => {
    const rotation: RotationState = { pointer: 0, swrr: { a: 2, b: -1, c: 4, gone: 9 }, tierPointers: {} };
    const list = [member("a", 0, { weight: 2 }), member("b", 1, { weight: 1 }), member("c", 2, { weight: 1, enabled: false })];
    const result = pick("round_robin", list, countersFrom({}), rotation);
    // a: 2+2=4 (chosen) → 4-3=1; b: -1+1=0; c untouched; gone dropped.
    expect(result.order).toEqual(["a", "b"]);
    expect(result.rotation.swrr).toEqual({ a: 1, b: 0, c: 4 });
  });

  it("breaks ties of current weight by lower position", ({ expect }) => {
    const list = [member("b", 1, { weight: 2 }), member("a", 0, { weight: 2 }), member("c", 2, { weight: 1 })];
    expect(pick("round_robin", list, countersFrom({}), emptyRotation()).order[0]).toBe("a");
  });

  it("adapts when an agent joins: the ratio holds over the following cycles", ({ expect }) => {
    const first = simulate("round_robin", weighted(), 3);
    const list = [...weighted(), member("d", 3, { weight: 3 })];
    const { chosen } = simulate("round_robin", list, 10 * 50, { rotation: first.rotation });
    const counts = tally(chosen);
    // Within one cycle of the exact 5:1:1:3 split despite the state carried over.
    for (const [id, w] of Object.entries({ a: 5, b: 1, c: 1, d: 3 })) expect(Math.abs((counts[id] ?? 0) - w * 50)).toBeLessThanOrEqual(w);
  });
});

describe("priority", () => {
  const tiers = () => [member("p1a", 0, { priority: 1 }), member("p1b", 1, { priority: 1 }), member("p2a", 2, { priority: 2 }), member("p2b", 3, { priority: 2 }), member("p10", 4, { priority: 10 })];

  it("rotates within the top tier and never uses lower tiers while it has someone", ({ expect }) => {
    const { chosen, rotation } = simulate("priority", tiers(), 1000);
    expect(tally(chosen)).toEqual({ p1a: 500, p1b: 500 });
    expect(chosen.slice(0, 4)).toEqual(["p1a", "p1b", "p1a", "p1b"]);
    expect(rotation.tierPointers).toEqual({ "1": 0 });
  });

  it("orders failover by ascending tier, each tier rotated from its own pointer", ({ expect }) => {
    const result = pick("priority", tiers(), countersFrom({}), { pointer: 0, swrr: {}, tierPointers: { "1": 1, "2": 1 } });
    expect(result.order).toEqual(["p1b", "p1a", "p2b", "p2a", "p10"]);
    // Only the tier that took the call moved.
    expect(result.rotation.tierPointers).toEqual({ "1": 0, "2": 1 });
  });

  it("falls to the next tier only when nobody in the top tier is eligible", ({ expect }) => {
    const counters = { p1a: { healthy: false }, p1b: { active: 1 } };
    const list = tiers().map((m) => (m.agentId === "p1b" ? { ...m, capacity: 1 } : m));
    const { chosen, rotation } = simulate("priority", list, 6, { counters });
    expect(chosen).toEqual(["p2a", "p2b", "p2a", "p2b", "p2a", "p2b"]);
    expect(rotation.tierPointers).toEqual({ "2": 0 });
  });

  it("sorts tiers numerically (2 before 10)", ({ expect }) => {
    const list = [member("ten", 0, { priority: 10 }), member("two", 1, { priority: 2 })];
    expect(pick("priority", list, countersFrom({}), emptyRotation()).order).toEqual(["two", "ten"]);
  });

  it("keeps a skipped agent's place in its tier's rotation", ({ expect }) => {
    const list = members("abc");
    const { chosen } = simulate("priority", list, 2, { counters: { b: { healthy: false } } });
    expect(chosen).toEqual(["a", "c"]);
    const again = simulate("priority", list, 3, { rotation: { pointer: 0, swrr: {}, tierPointers: { "1": 1 } } });
    expect(again.chosen).toEqual(["b", "c", "a"]);
  });

  it("drops pointers of tiers that no longer exist and wraps stale ones", ({ expect }) => {
    const result = pick("priority", members("ab"), countersFrom({}), { pointer: 0, swrr: {}, tierPointers: { "1": 5, "7": 3 } });
    expect(result.order).toEqual(["b", "a"]); // 5 mod 2 = 1
    expect(result.rotation.tierPointers).toEqual({ "1": 0 });
  });

  it("uses a lone lower tier when the whole top tier is disabled, and returns to the top when it recovers", ({ expect }) => {
    const disabled = tiers().map((m) => (m.priority === 1 ? { ...m, enabled: false } : m));
    const down = simulate("priority", disabled, 2);
    expect(down.chosen).toEqual(["p2a", "p2b"]);
    const up = simulate("priority", tiers(), 2, { rotation: down.rotation });
    expect(up.chosen).toEqual(["p1a", "p1b"]);
  });
});

describe("load_balanced", () => {
  it("gives the call to the agent with the fewest calls in the window", ({ expect }) => {
    const result = pick("load_balanced", members("abc"), countersFrom({ a: { windowCount: 5 }, b: { windowCount: 2 }, c: { windowCount: 9 } }), emptyRotation());
    expect(result.order).toEqual(["b", "a", "c"]);
  });

  it("divides the count by the weight", ({ expect }) => {
    const list = [member("a", 0, { weight: 4 }), member("b", 1, { weight: 1 })];
    // a: 10/4 = 2.5, b: 3/1 = 3
    expect(pick("load_balanced", list, countersFrom({ a: { windowCount: 10 }, b: { windowCount: 3 } }), emptyRotation()).order).toEqual(["a", "b"]);
    const { counters } = simulate("load_balanced", list, 500);
    expect(counters).toEqual({ a: { windowCount: 400 }, b: { windowCount: 100 } });
  });

  it("compares scores exactly (1/3 equals 2/6 and the tie rotates)", ({ expect }) => {
    const list = [member("a", 0, { weight: 3 }), member("b", 1, { weight: 6 })];
    const counters = countersFrom({ a: { windowCount: 1 }, b: { windowCount: 2 } });
    expect(pick("load_balanced", list, counters, { ...emptyRotation(), pointer: 1 }).order).toEqual(["b", "a"]);
    expect(pick("load_balanced", list, counters, { ...emptyRotation(), pointer: 0 }).order).toEqual(["a", "b"]);
  });

  it("rotates ties from the pointer and advances it past the chosen agent", ({ expect }) => {
    const result = pick("load_balanced", members("abcd"), countersFrom({ b: { windowCount: 1 } }), { ...emptyRotation(), pointer: 3 });
    // a, c, d tie at 0; cyclic from index 3: d, a, c; then b with 1.
    expect(result.order).toEqual(["d", "a", "c", "b"]);
    expect(result.rotation.pointer).toBe(0);
  });

  it("with equal counts behaves as a round robin: 10,000 calls over 5 agents, 2,000 each", ({ expect }) => {
    const { chosen } = simulate("load_balanced", members("abcde"), 10_000);
    expect(tally(chosen)).toEqual({ a: 2000, b: 2000, c: 2000, d: 2000, e: 2000 });
    expect(chosen.slice(0, 6)).toEqual(["a", "b", "c", "d", "e", "a"]);
  });

  it("converges to equal window counts from uneven history, then stays level", ({ expect }) => {
    const start: CounterTable = { a: { windowCount: 40 }, b: { windowCount: 0 }, c: { windowCount: 17 }, d: { windowCount: 3 } };
    // 40 - 0 + 40 - 17 + 40 - 3 = 100 calls bring everyone to 40.
    const { chosen, counters } = simulate("load_balanced", members("abcd"), 100, { counters: start });
    expect(chosen).not.toContain("a");
    expect(counters).toEqual({ a: { windowCount: 40 }, b: { windowCount: 40 }, c: { windowCount: 40 }, d: { windowCount: 40 } });

    const more = simulate("load_balanced", members("abcd"), 1003, { counters: start });
    const counts = Object.values(more.counters).map((c) => c.windowCount ?? 0);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it("skips a full agent even when it has the lowest count", ({ expect }) => {
    const list = members("ab", (id) => ({ capacity: id === "a" ? 1 : null }));
    const result = pick("load_balanced", list, countersFrom({ a: { active: 1 }, b: { windowCount: 100 } }), emptyRotation());
    expect(result.order).toEqual(["b"]);
    expect(result.skipped).toEqual([{ agentId: "a", reason: "at_capacity" }]);
  });

  it("wraps a pointer left beyond a shrunken member list", ({ expect }) => {
    const result = pick("load_balanced", members("abc"), countersFrom({}), { ...emptyRotation(), pointer: 7 });
    expect(result.order).toEqual(["b", "c", "a"]); // 7 mod 3 = 1
    expect(result.rotation.pointer).toBe(2);
  });
});

describe("state survives configuration changes across strategies", () => {
  it("keeps swrr of present agents when the group switches to equal weights and back", ({ expect }) => {
    const unequal = [member("a", 0, { weight: 2 }), member("b", 1, { weight: 1 })];
    const one: PickResult = pick("round_robin", unequal, countersFrom({}), emptyRotation());
    expect(one.rotation.swrr).toEqual({ a: -1, b: 1 });
    const equal = pick("round_robin", members("ab"), countersFrom({}), one.rotation);
    expect(equal.rotation.swrr).toEqual({ a: -1, b: 1 });
    const removed = pick("round_robin", members("a"), countersFrom({}), equal.rotation);
    expect(removed.rotation.swrr).toEqual({ a: -1 });
  });
});
