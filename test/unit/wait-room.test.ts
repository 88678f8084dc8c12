import { describe, it } from "vitest";
import { groupFreeSlots, mayTakeSlot, WaitLine } from "../../durable-objects/logic/wait-line";
import { silenceDeadline, type CallData } from "../../durable-objects/call/model";
import { waitHoldMs, type WaitRoom } from "../../workers/domain/overflow";
import { OverflowSchema } from "../../workers/schemas/common";
import { advance, startCursor, type FirstPick, type FlowPorts, type FlowResult } from "../../workers/routing/call-flow";
import { predictChain } from "../../workers/routing/predict";
import { pollWait } from "../../workers/routing/wait-flow";
import { waitCxml, waitPollUrl } from "../../workers/routing/dial-cxml";
import { packDetails, packMembers } from "../../workers/routing/packed-group";
import type { GroupStage, RouteStage } from "../../workers/routing/plan-types";

/*
 * The waiting room on its own: the line's order and expiry, the flow's wait steps (join, keep
 * place, connect, time out to the fallback, a plan that changed), and the CXML of a turn.
 */

describe("wait line", () => {
  it("serves in arrival order, keeps a place across tries, and expires the silent", ({ expect }) => {
    const line = new WaitLine();
    line.join("a", 1_000, 5_000);
    line.join("b", 2_000, 5_000);
    line.join("c", 3_000, 5_000);
    expect([line.position("a"), line.position("b"), line.position("c"), line.position("d")]).toEqual([1, 2, 3, null]);
    expect(line.ahead("d")).toBe(3);
    // A try later keeps the place and extends the hold.
    line.join("a", 5_500, 5_000);
    expect(line.position("a")).toBe(1);
    expect(line.get("a")).toEqual({ callKey: "a", joinedAt: 1_000, expiresAt: 10_500 });
    // b was not heard from: gone at its expiry, c moves up.
    expect(line.expire(7_000)).toEqual(["b"]);
    expect([line.position("a"), line.position("c")]).toEqual([1, 2]);
    expect(line.expire(8_000)).toEqual(["c"]);
    expect(line.leave("a")).toBe(true);
    expect(line.leave("a")).toBe(false);
    expect(line.size).toBe(0);
  });

  it("rebuilds its order from stored rows in any order", ({ expect }) => {
    const line = new WaitLine([
      { callKey: "z", joinedAt: 30, expiresAt: 99 },
      { callKey: "x", joinedAt: 10, expiresAt: 99 },
      { callKey: "y", joinedAt: 10, expiresAt: 99 },
    ]);
    expect(["x", "y", "z"].map((k) => line.position(k))).toEqual([1, 2, 3]);
  });

  it("counts a group's free slots with each provider account's members together bounded by the account", ({ expect }) => {
    const accounts = new Map([
      ["vapi", 1],
      ["retell", 0],
    ]);
    // Two free slots of their own in vapi (which has one), one in retell (which has none), two without an account.
    const rooms = [
      { free: 1, accountId: "vapi" },
      { free: 1, accountId: "vapi" },
      { free: 1, accountId: "retell" },
      { free: 2, accountId: null },
    ];
    expect(groupFreeSlots(rooms, accounts)).toBe(3);
    expect(groupFreeSlots([{ free: Infinity, accountId: "vapi" }], accounts)).toBe(1);
    expect(groupFreeSlots([{ free: Infinity, accountId: null }], accounts)).toBe(Infinity);
    // An account that could not be asked has no room.
    expect(groupFreeSlots([{ free: 5, accountId: "gone" }], accounts)).toBe(0);
  });

  it("lets a call take a slot only when fewer wait ahead than there are free slots", ({ expect }) => {
    expect(mayTakeSlot(0, 1)).toBe(true);
    expect(mayTakeSlot(1, 1)).toBe(false);
    expect(mayTakeSlot(1, 2)).toBe(true);
    expect(mayTakeSlot(5, Infinity)).toBe(true);
  });
});

const room: WaitRoom = { type: "wait", text: "All agents are busy. You are number {position} in line.", retrySec: 5, maxWaitSec: 60 };

function fullGroup(waitRoom: WaitRoom = room): GroupStage {
  const members = [{ agentId: "a1", position: 0, priority: 0, weight: 1, capacity: 1, enabled: true }];
  return {
    kind: "group",
    label: "group g1",
    groupId: "g1",
    groupName: "Group g1",
    balancer: "g1",
    group: { id: "g1", strategy: "priority", rollingWindowHours: 24, maxAttempts: 1, stickyTtlSeconds: null, members: packMembers(`k:${crypto.randomUUID()}`, members) },
    details: packDetails([{ id: "a1", name: "Agent a1", provider: "retell", serviceValue: "+12125550100", username: null, passwordEnc: null }]),
    failoverOn: null,
    timeLimitSec: null,
    context: [],
    ruleName: "rule",
    overflowStage: { kind: "wait", label: "group g1: full, waiting room", room: waitRoom },
  };
}

const stagesWith = (group: GroupStage): RouteStage[] => [group, { kind: "end", label: "rule fallback: announcement", action: { type: "announcement", text: "Sorry, call back later." } }];

/** Scripted balancer answers, a clock, and a log of what the flow asked. */
function scriptedPorts(answers: FirstPick[]) {
  const asked: { wait: boolean }[] = [];
  const left: string[] = [];
  const clock = { now: 1_000_000 };
  const ports: FlowPorts = {
    async pick(_stage, wait) {
      asked.push({ wait: wait !== undefined });
      const answer = answers.shift();
      if (!answer) throw new Error("no more scripted picks");
      return answer;
    },
    failover: async () => ({ chosen: null, skipped: [], remaining: [] }),
    release: async () => {},
    leaveLine: async (balancer) => {
      left.push(balancer);
    },
    now: () => clock.now,
  };
  return { ports, asked, left, clock };
}

const full = (position: number | null, ahead = position ? position - 1 : 0): FirstPick => ({ chosen: null, candidates: [], skipped: [{ agentId: "a1", reason: "at_capacity" }], eligibleCount: 0, sticky: false, line: { ahead, position } });
const placed: FirstPick = { chosen: "a1", candidates: [], skipped: [], eligibleCount: 1, sticky: false };
const values = { caller: "+14155550100", called: "+18005550199" };

describe("call flow: a waiting room", () => {
  it("holds a caller the full group cannot take, keeps trying, then connects them", async ({ expect }) => {
    const { ports, asked, left, clock } = scriptedPorts([full(3), full(2), full(1), placed]);
    const stages = stagesWith(fullGroup());
    let result: FlowResult = await advance(startCursor(), stages, 0, null, ports, values);
    expect(result.step).toMatchObject({ type: "wait", position: 3, poll: 1, groupId: "g1" });
    expect(result.cursor.wait).toEqual({ balancer: "g1", since: 1_000_000, polls: 0, position: 3 });
    const positions: number[] = [];
    for (let poll = 1; poll <= 3; poll++) {
      clock.now += 5_000;
      result = await pollWait(result.cursor, stages, ports, values);
      if (result.step.type === "wait") {
        positions.push(result.step.position);
        expect(result.step.poll).toBe(poll + 1);
      }
    }
    expect(positions).toEqual([2, 1]);
    expect(result.step).toMatchObject({ type: "dial", attempt: { kind: "agent", targetId: "a1", groupId: "g1" } });
    expect(result.waitEnded).toBe("connected");
    expect(result.cursor.wait).toBeNull();
    expect(result.cursor.slot).toEqual({ balancer: "g1", agentId: "a1" });
    // Every pick asked to stand in line; the balancer took the call out when it placed it.
    expect(asked.every((a) => a.wait)).toBe(true);
    expect(left).toEqual([]);
  });

  it("goes on to the fallback at the maximum wait, out of line, with the reason on record", async ({ expect }) => {
    const { ports, left, clock } = scriptedPorts([full(1), full(1)]);
    const stages = stagesWith(fullGroup());
    let result = await advance(startCursor(), stages, 0, null, ports, values);
    clock.now += 59_999;
    result = await pollWait(result.cursor, stages, ports, values);
    expect(result.step).toMatchObject({ type: "wait", position: 1 });
    clock.now += 1;
    result = await pollWait(result.cursor, stages, ports, values);
    expect(result.step).toMatchObject({ type: "end", reason: "wait_timeout", stage: { label: "rule fallback: announcement" } });
    expect(result.waitEnded).toBe("timeout");
    expect(left).toEqual(["g1"]);
    expect(result.cursor.wait).toBeNull();
  });

  it("moves on at once when the group has nobody left to wait for (agents out for health)", async ({ expect }) => {
    const { ports } = scriptedPorts([full(1), { chosen: null, candidates: [], skipped: [{ agentId: "a1", reason: "unhealthy" }], eligibleCount: 0, sticky: false }]);
    const stages = stagesWith(fullGroup());
    const first = await advance(startCursor(), stages, 0, null, ports, values);
    const next = await pollWait(first.cursor, stages, ports, values);
    expect(next.step).toMatchObject({ type: "end", stage: { label: "rule fallback: announcement" } });
    expect(next.waitEnded).toBe("no_agents");
  });

  it("does not wait when agents are merely unhealthy on arrival: the plan's next stage, as always", async ({ expect }) => {
    const { ports } = scriptedPorts([{ chosen: null, candidates: [], skipped: [{ agentId: "a1", reason: "unhealthy" }], eligibleCount: 0, sticky: false }]);
    const result = await advance(startCursor(), stagesWith(fullGroup()), 0, null, ports, values);
    expect(result.step).toMatchObject({ type: "end", stage: { label: "rule fallback: announcement" } });
    expect(result.cursor.wait ?? null).toBeNull();
  });

  it("leaves the line and takes the stage afresh when the plan no longer has the room", async ({ expect }) => {
    const { ports, left } = scriptedPorts([full(2), placed]);
    const waiting = await advance(startCursor(), stagesWith(fullGroup()), 0, null, ports, values);
    const changed = fullGroup();
    delete changed.overflowStage;
    const result = await pollWait(waiting.cursor, stagesWith(changed), ports, values);
    expect(left).toEqual(["g1"]);
    expect(result.step).toMatchObject({ type: "dial", attempt: { targetId: "a1" } });
  });

  it("is predicted by Explain as a wait until the maximum, then the fallback", async ({ expect }) => {
    const { ports } = scriptedPorts([full(4)]);
    const chain = await predictChain(stagesWith(fullGroup()), ports, values);
    expect(chain.attempts).toEqual([]);
    expect(chain.waits).toMatchObject([{ position: 4, beforeAttempt: 1, stage: { room: { maxWaitSec: 60 } } }]);
    expect(chain.end.label).toBe("rule fallback: announcement");
  });
});

describe("how long a silent waiter keeps its place", () => {
  it("allows a try's interval plus a minute, and the longest hold music clip when there is music", ({ expect }) => {
    expect(waitHoldMs({ type: "wait", retrySec: 10, maxWaitSec: 60 })).toBe(70_000);
    expect(waitHoldMs({ type: "wait", retrySec: 10, maxWaitSec: 60, playUrl: "https://cdn.example/hold.mp3" })).toBe(180_000);
  });

  it("gives a waiting call's alarm room for the longest clip between tries, and a ringing one its usual two minutes", ({ expect }) => {
    const call = (state: string, wait: CallData["wait"]) => ({ state, lastActivityAt: 1_000, wait }) as unknown as CallData;
    expect(silenceDeadline(call("routing", null), 3_600_000)).toBe(121_000);
    expect(silenceDeadline(call("routing", { balancer: "g1", since: 0, polls: 3, position: 2 }), 3_600_000)).toBe(301_000);
    expect(silenceDeadline(call("connected", null), 3_600_000)).toBe(3_601_000);
  });
});

describe("waiting room CXML", () => {
  const url = waitPollUrl("https://router.example", 3, "campaign=c1&contact=k1");

  it("says the message with the place in line once, then pauses and comes back", ({ expect }) => {
    expect(waitCxml(room, { position: 4, first: true, redirectUrl: url })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say>All agents are busy. You are number 4 in line.</Say><Pause length="5"/><Redirect method="POST">https://router.example/api/webhooks/voice-application/wait?poll=3&amp;campaign=c1&amp;contact=k1</Redirect></Response>',
    );
    expect(waitCxml(room, { position: 2, first: false, redirectUrl: url })).not.toContain("<Say>");
  });

  it("plays the hold music instead of the pause, escaped", ({ expect }) => {
    const music: WaitRoom = { type: "wait", playUrl: "https://cdn.example/hold.mp3?a=1&b=2", retrySec: 5, maxWaitSec: 60 };
    expect(waitCxml(music, { position: 1, first: true, redirectUrl: url })).toContain("<Play>https://cdn.example/hold.mp3?a=1&amp;b=2</Play><Redirect");
  });

  it("refuses settings that cannot work, each with its reason", ({ expect }) => {
    const issue = (value: unknown) => OverflowSchema.safeParse(value).error?.issues[0];
    expect(issue({ type: "wait", retrySec: 1 })).toMatchObject({ path: ["retrySec"], message: "must be at least 3 seconds" });
    expect(issue({ type: "wait", maxWaitSec: 7200 })).toMatchObject({ path: ["maxWaitSec"], message: "must be at most 3600 seconds (an hour)" });
    expect(issue({ type: "wait", playUrl: "ftp://x/y.mp3" })).toMatchObject({ path: ["playUrl"] });
    expect(issue({ type: "wait", playUrl: 'https://x/"><Hangup/>' })).toMatchObject({ path: ["playUrl"] });
    expect(issue({ type: "wait", colour: "blue" })).toMatchObject({ code: "unrecognized_keys" });
    expect(OverflowSchema.parse({ type: "wait" })).toEqual({ type: "wait", retrySec: 10, maxWaitSec: 120 });
  });
});
