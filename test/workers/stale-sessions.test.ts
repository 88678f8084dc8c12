import { eq, inArray } from "drizzle-orm";
import { describe, it } from "vitest";
import { authSessions } from "../../workers/db/schema";
import { purgeStaleSessions } from "../../workers/cron/sessions";
import { createTenantFixture } from "./helpers/fixtures";
import { withDb } from "./helpers/db";

const HOUR = 3_600_000;

describe("stale sign-in sessions (hourly cron)", () => {
  it("deletes sessions that ended over a day ago and keeps live and recently ended ones", async ({ expect }) => {
    const t = await createTenantFixture("ses");
    const now = Date.now();
    const session = (label: string, expiresIn: number, revokedAgo: number | null) => ({
      id: `ses-${label}-${crypto.randomUUID()}`,
      userId: t.admin.id,
      tenantId: t.tenantId,
      expiresAt: new Date(now + expiresIn),
      revokedAt: revokedAgo === null ? null : new Date(now - revokedAgo),
      ip: null,
      userAgent: null,
    });
    const stale = [session("expired-2d", -48 * HOUR, null), session("expired-25h", -25 * HOUR, null), session("revoked-2d", HOUR, 48 * HOUR)];
    const kept = [session("live", HOUR, null), session("expired-1h", -HOUR, null), session("revoked-1h", HOUR, HOUR)];
    await withDb((db) => db.insert(authSessions).values([...stale, ...kept]));

    const deleted = await withDb((db) => purgeStaleSessions(db, new Date(now)));
    expect(deleted).toBeGreaterThanOrEqual(stale.length);
    const left = await withDb((db) =>
      db
        .select({ id: authSessions.id })
        .from(authSessions)
        .where(
          inArray(
            authSessions.id,
            [...stale, ...kept].map((s) => s.id),
          ),
        ),
    );
    expect(left.map((row) => row.id).sort()).toEqual(kept.map((s) => s.id).sort());
    // The fixture's own sign-ins are live.
    const fixtureSessions = await withDb((db) => db.select({ id: authSessions.id }).from(authSessions).where(eq(authSessions.tenantId, t.tenantId)));
    expect(fixtureSessions.length).toBe(kept.length + 2);
  });

  it("stops at maxRows; the next run continues", async ({ expect }) => {
    const t = await createTenantFixture("ses");
    const now = Date.now();
    const ids = Array.from({ length: 4 }, () => `ses-old-${crypto.randomUUID()}`);
    await withDb((db) => db.insert(authSessions).values(ids.map((id) => ({ id, userId: t.viewer.id, tenantId: t.tenantId, expiresAt: new Date(now - 72 * HOUR) }))));
    expect(await withDb((db) => purgeStaleSessions(db, new Date(now), { batchRows: 1, maxRows: 2 }))).toBe(2);
    await withDb((db) => purgeStaleSessions(db, new Date(now)));
    const left = await withDb((db) => db.select({ id: authSessions.id }).from(authSessions).where(inArray(authSessions.id, ids)));
    expect(left).toEqual([]);
  });
});
