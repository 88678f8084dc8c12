import { describe, it } from "vitest";
import { COOL_DOWN_MS, FAILURE_THRESHOLD, HEALTHY, hourOf, isHealthy, recordOutcome, windowSum, type AgentHealth } from "../../durable-objects/logic/health";

describe("agent health", () => {
  it("takes an agent out after the threshold of consecutive failures, for the cool-down", ({ expect }) => {
    let health: AgentHealth = HEALTHY;
    const changes = [];
    for (let i = 0; i < FAILURE_THRESHOLD; i++) {
      const r = recordOutcome(health, "failure", 1_000);
      health = r.health;
      changes.push(r.changed);
    }
    expect(changes).toEqual([...Array(FAILURE_THRESHOLD - 1).fill(null), "became_unhealthy"]);
    expect(isHealthy(health, 1_000)).toBe(false);
    expect(isHealthy(health, 1_000 + COOL_DOWN_MS)).toBe(true);
  });

  it("is half-open after the cool-down: one more failure takes it out again, a success restores it", ({ expect }) => {
    let health: AgentHealth = { consecutiveFailures: FAILURE_THRESHOLD, unhealthyUntil: 5_000 };
    const failedAgain = recordOutcome(health, "failure", 6_000);
    expect(failedAgain.changed).toBe("became_unhealthy");
    expect(failedAgain.health.unhealthyUntil).toBe(6_000 + COOL_DOWN_MS);
    health = { consecutiveFailures: FAILURE_THRESHOLD, unhealthyUntil: 5_000 };
    expect(recordOutcome(health, "success", 6_000)).toEqual({ health: HEALTHY, changed: "became_healthy" });
  });

  it("resets the failure count on success without reporting a change for a healthy agent", ({ expect }) => {
    const once = recordOutcome(HEALTHY, "failure", 0).health;
    expect(recordOutcome(once, "success", 0)).toEqual({ health: HEALTHY, changed: null });
  });
});

describe("rolling window buckets", () => {
  it("sum the current hour and the previous windowHours - 1", ({ expect }) => {
    const now = 100 * 3_600_000 + 1_234;
    const buckets = new Map([
      [hourOf(now), 3],
      [hourOf(now) - 23, 2],
      [hourOf(now) - 24, 50],
    ]);
    expect(windowSum(buckets, 24, now)).toBe(5);
    expect(windowSum(buckets, 25, now)).toBe(55);
    expect(windowSum(undefined, 24, now)).toBe(0);
  });
});
