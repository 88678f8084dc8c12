import { describe, it } from "vitest";
import { isRetryable, retryOnce } from "../../workers/webhooks/retry";

const failure = (flags: Record<string, unknown>) => Object.assign(new Error("Network connection lost."), flags);

/** A call that fails with `errors` in turn, then answers "ok"; counts its runs. */
function flaky(...errors: Error[]) {
  let runs = 0;
  return {
    call: async () => {
      const err = errors[runs++];
      if (err) throw err;
      return "ok";
    },
    runs: () => runs,
  };
}

describe("retryOnce", () => {
  it("retries a retryable failure once and returns the second answer", async ({ expect }) => {
    const rpc = flaky(failure({ retryable: true }));
    expect(await retryOnce(rpc.call)).toBe("ok");
    expect(rpc.runs()).toBe(2);
  });

  it("gives up after the second failure", async ({ expect }) => {
    const second = failure({ retryable: true });
    const rpc = flaky(failure({ retryable: true }), second);
    await expect(retryOnce(rpc.call)).rejects.toBe(second);
    expect(rpc.runs()).toBe(2);
  });

  it("does not retry an overloaded object or an ordinary error", async ({ expect }) => {
    for (const err of [failure({ retryable: true, overloaded: true }), failure({}), new RangeError("bad")]) {
      const rpc = flaky(err);
      await expect(retryOnce(rpc.call)).rejects.toBe(err);
      expect(rpc.runs()).toBe(1);
    }
  });
});

describe("isRetryable", () => {
  it.for([
    [{ retryable: true }, true],
    [{ retryable: true, overloaded: false }, true],
    [{ retryable: true, overloaded: true }, false],
    [{ retryable: "yes" }, false],
    [{}, false],
    [null, false],
    ["retryable", false],
  ] as const)("%j → %s", ([err, expected], { expect }) => {
    expect(isRetryable(err)).toBe(expected);
  });
});
