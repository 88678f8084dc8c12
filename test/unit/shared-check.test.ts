import { describe, it } from "vitest";
import { SharedCheck } from "../../workers/lib/shared-check";

function setup(ttlMs = 5_000) {
  let now = 1_000;
  const check = new SharedCheck<object, number>(ttlMs, () => now);
  let runs = 0;
  const release: (() => void)[] = [];
  /** Each run waits until released, so callers can arrive while it is in flight. */
  const run = () =>
    new Promise<number>((resolve) => {
      const n = ++runs;
      release.push(() => resolve(n));
    });
  return {
    check,
    run,
    runs: () => runs,
    release: () => {
      for (const r of release.splice(0)) r();
    },
    advance: (ms: number) => (now += ms),
  };
}

describe("SharedCheck", () => {
  it("runs once for callers that arrive while it runs, and serves its result until the window closes", async ({ expect }) => {
    const s = setup();
    const key = {};
    const together = [s.check.get(key, s.run), s.check.get(key, s.run), s.check.get(key, s.run)];
    s.release();
    expect(await Promise.all(together)).toEqual([1, 1, 1]);
    s.advance(4_999);
    expect(await s.check.get(key, s.run)).toBe(1);
    expect(s.runs()).toBe(1);
    s.advance(1);
    const again = s.check.get(key, s.run);
    s.release();
    expect(await again).toBe(2);
  });

  it("counts the window from when the run settled, not from when it started", async ({ expect }) => {
    const s = setup(5_000);
    const key = {};
    const first = s.check.get(key, s.run);
    s.advance(4_000); // a slow check
    s.release();
    await first;
    s.advance(4_000);
    expect(await s.check.get(key, s.run)).toBe(1);
  });

  it("keeps keys apart and does not keep a failed run", async ({ expect }) => {
    const s = setup();
    const a = {};
    const b = {};
    const both = [s.check.get(a, s.run), s.check.get(b, s.run)];
    s.release();
    expect(await Promise.all(both)).toEqual([1, 2]);
    const failing = new SharedCheck<object, number>(5_000, () => 0);
    await expect(failing.get(a, () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    await Promise.resolve();
    expect(await failing.get(a, async () => 7)).toBe(7);
  });
});
