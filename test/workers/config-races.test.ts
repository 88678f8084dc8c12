import { eq } from "drizzle-orm";
import { describe, it } from "vitest";
import { agentSummaries, replaceMembers } from "../../workers/db/repos/agent-groups";
import { inboundConflictScope, insertInbound } from "../../workers/db/repos/inbound-rules";
import { insertOutbound, outboundWithPrefix } from "../../workers/db/repos/trunks";
import { agentGroupMembers, voiceAgents } from "../../workers/db/schema";
import { newId } from "../../workers/lib/ids";
import { createAgent, createTenantFixture } from "./helpers/fixtures";
import { withDb } from "./helpers/db";

/*
 * Saves that race each other must end as if they ran one after the other: a 409 or a 404 for
 * the loser, never a 500 and never two rules that the conflict check would have refused.
 * Requests racing through the API do not reliably overlap at the dangerous moment, so the
 * locks are also checked directly: a second transaction must wait for the first.
 */

/** "waiting" while `promise` is still blocked after `ms`. */
function stateAfter(promise: Promise<unknown>, ms = 400): Promise<"done" | "waiting"> {
  promise.catch(() => {});
  return Promise.race([
    promise.then(
      () => "done" as const,
      () => "done" as const,
    ),
    new Promise<"waiting">((resolve) => setTimeout(() => resolve("waiting"), ms)),
  ]);
}

const statuses = (answers: { status: number }[]) => answers.map((a) => a.status).sort();

describe("concurrent configuration saves", () => {
  it.for([
    ["a prefix no rule uses yet", false],
    ["a prefix another rule already uses", true],
  ] as const)("let one of several identical outbound rules saved at once through (%s); the others get 409", async ([, existing], { expect }) => {
    const t = await createTenantFixture("race");
    // One trunk each: a shared trunk's row lock would serialise the saves and hide the race.
    const trunks = await Promise.all(["a", "b", "c", "d"].map(async (name) => (await t.asAdmin("POST", "/api/trunks", { name: `carrier-${name}` })).body.id as string));
    if (existing) {
      expect((await t.asAdmin("POST", "/api/outbound-rules", { destinationPrefix: "44", callerPatterns: ["+1999*"], trunkIds: [trunks[0]] })).status).toBe(201);
    }
    const answers = await Promise.all(trunks.map((trunk) => t.asAdmin("POST", "/api/outbound-rules", { destinationPrefix: "+44", callerPatterns: ["+1555*"], trunkIds: [trunk] })));
    expect(statuses(answers)).toEqual([201, 409, 409, 409]);
    for (const lost of answers.filter((a) => a.status === 409)) expect(lost.body.error).toMatchObject({ code: "RULE_CONFLICT", details: { reason: "duplicate" } });
    const rules = (await t.asViewer("GET", "/api/outbound-rules")).body.items.filter((r: any) => r.callerPatterns.includes("1555*"));
    expect(rules).toHaveLength(1);
  });
});

describe("locks taken by the configuration checks", () => {
  it("an outbound conflict check waits for a save of the same prefix in progress, then sees its rule", async ({ expect }) => {
    const t = await createTenantFixture("lock");
    const trunk = (await t.asAdmin("POST", "/api/trunks", { name: "carrier-a" })).body;
    let second: Promise<{ id: string }[]> | undefined;
    const first = newId("orl");
    await withDb((db) =>
      db.transaction(async (tx) => {
        expect(await outboundWithPrefix(tx, t.tenantId, "44")).toEqual([]);
        await insertOutbound(tx, { id: first, tenantId: t.tenantId, destinationPrefix: "44", trunkIds: [trunk.id] });
        second = withDb((db2) => db2.transaction((tx2) => outboundWithPrefix(tx2, t.tenantId, "44")));
        expect(await stateAfter(second)).toBe("waiting");
      }),
    );
    expect((await second!).map((rule) => rule.id)).toEqual([first]);
  });

  it("an inbound conflict check waits for a save in its scope in progress, then sees its rule", async ({ expect }) => {
    const t = await createTenantFixture("lock");
    const agent = await createAgent(t);
    const rule = (pattern: string) => ({ id: newId("irl"), tenantId: t.tenantId, pattern, matchType: "prefix" as const, targetType: "agent" as const, targetId: agent.id });
    await withDb((db) => insertInbound(db, rule("1555*")));
    let second: Promise<{ pattern: string }[]> | undefined;
    await withDb((db) =>
      db.transaction(async (tx) => {
        await inboundConflictScope(tx, t.tenantId, "15558");
        await insertInbound(tx, rule("15558*"));
        second = withDb((db2) => db2.transaction((tx2) => inboundConflictScope(tx2, t.tenantId, "15559")));
        expect(await stateAfter(second)).toBe("waiting");
      }),
    );
    expect((await second!).map((r) => r.pattern).sort()).toEqual(["1555*", "15558*"]);
  });

  it("an agent delete waits for a member list being stored with it, then removes it from the list", async ({ expect }) => {
    const t = await createTenantFixture("lock");
    const group = (await t.asAdmin("POST", "/api/agent-groups", { name: "Sales" })).body;
    const agents = [await createAgent(t), await createAgent(t)];
    let deleting: Promise<unknown> | undefined;
    await withDb((db) =>
      db.transaction(async (tx) => {
        const found = await agentSummaries(
          tx,
          t.tenantId,
          agents.map((a) => a.id),
        );
        expect(found.size).toBe(2);
        deleting = withDb((db2) => db2.delete(voiceAgents).where(eq(voiceAgents.id, agents[1].id)));
        expect(await stateAfter(deleting)).toBe("waiting");
        // Without the lock the agent would be gone by now and this insert would fail its foreign key.
        await replaceMembers(
          tx,
          t.tenantId,
          group.id,
          agents.map((a) => ({ agentId: a.id })),
        );
      }),
    );
    await deleting;
    const members = await withDb((db) => db.select({ agentId: agentGroupMembers.agentId }).from(agentGroupMembers).where(eq(agentGroupMembers.groupId, group.id)));
    expect(members).toEqual([{ agentId: agents[0].id }]);
  });
});
