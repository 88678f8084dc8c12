import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ProgressPush, PUSH_EVERY_MS, UNWATCHED_MS } from "../../durable-objects/campaign/progress-push";

/*
 * How often a campaign's runner pushes its progress to the tenant's dashboards: at most once a
 * second while figures change, the last change never dropped, a status change at once, and a
 * rest while nobody watches.
 */

describe("ProgressPush", () => {
  let status = "running";
  let viewers = 1;
  let sent: { at: number; status: string }[] = [];
  const push = () =>
    new ProgressPush(
      async () => {
        sent.push({ at: Date.now(), status });
        return { viewers };
      },
      () => status,
    );
  const settle = () => vi.advanceTimersByTimeAsync(0);

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    status = "running";
    viewers = 1;
    sent = [];
  });
  afterEach(() => vi.useRealTimers());

  it("sends the first change at once, then at most one a second, the last of a burst when its second is up", async () => {
    const p = push();
    p.changed();
    await settle();
    expect(sent).toEqual([{ at: 1_000_000, status: "running" }]);
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(50);
      p.changed();
    }
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(PUSH_EVERY_MS);
    // One more, a second after the first, for the whole burst; nothing after it.
    expect(sent.map((s) => s.at)).toEqual([1_000_000, 1_000_000 + PUSH_EVERY_MS]);
    await vi.advanceTimersByTimeAsync(5 * PUSH_EVERY_MS);
    expect(sent).toHaveLength(2);
    // A change after a quiet spell goes at once.
    p.changed();
    await settle();
    expect(sent).toHaveLength(3);
    expect(sent[2]!.at).toBe(1_000_000 + 6 * PUSH_EVERY_MS + 500);
  });

  it("sends a change of status at once, inside the second", async () => {
    const p = push();
    p.changed();
    await vi.advanceTimersByTimeAsync(100);
    status = "paused";
    p.changed();
    await settle();
    expect(sent.map((s) => s.status)).toEqual(["running", "paused"]);
    expect(sent[1]!.at - sent[0]!.at).toBe(100);
  });

  it("rests while a push reaches nobody, except for a change of status, until someone reads the figures", async () => {
    viewers = 0;
    const p = push();
    p.changed();
    await settle();
    await vi.advanceTimersByTimeAsync(PUSH_EVERY_MS);
    p.changed();
    await vi.advanceTimersByTimeAsync(3 * PUSH_EVERY_MS);
    expect(sent).toHaveLength(1);
    status = "completed";
    p.changed();
    await settle();
    expect(sent.map((s) => s.status)).toEqual(["running", "completed"]);
    // Read over HTTP: someone is about, the next change goes out.
    viewers = 1;
    p.watched();
    p.changed();
    await settle();
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(PUSH_EVERY_MS);
    expect(sent).toHaveLength(3);
    // Without a read, the rest ends by itself.
    viewers = 0;
    p.changed();
    await vi.advanceTimersByTimeAsync(PUSH_EVERY_MS);
    expect(sent).toHaveLength(4);
    p.changed();
    await vi.advanceTimersByTimeAsync(UNWATCHED_MS - PUSH_EVERY_MS);
    expect(sent).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(PUSH_EVERY_MS);
    p.changed();
    await settle();
    expect(sent).toHaveLength(5);
  });

  it("goes on after a failed push (the hub unreachable), without resting", async () => {
    let tries = 0;
    const p = new ProgressPush(
      async () => {
        tries++;
        throw new Error("hub down");
      },
      () => "running",
    );
    p.changed();
    await settle();
    await vi.advanceTimersByTimeAsync(PUSH_EVERY_MS);
    p.changed();
    await settle();
    expect(tries).toBe(2);
  });
});
