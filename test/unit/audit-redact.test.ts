import { describe, it } from "vitest";
import { REDACTED, redact } from "../../workers/lib/audit";
import { signAccessToken, verifyAccessToken } from "../../workers/lib/tokens";

describe("audit redaction", () => {
  it("hides secret-looking fields at any depth but keeps flags, hints and nulls", ({ expect }) => {
    const out = redact({
      name: "agent",
      password: "p",
      passwordEnc: "v1.x.y",
      hasPassword: true,
      requestKeyHint: "abcd",
      requestKeyRotatedAt: new Date("2026-01-01T00:00:00Z"),
      nested: [{ apiKey: "k", cloudonixApiKey: null, token: "t", value: 1 }],
      passwordChanged: true,
    });
    expect(out).toEqual({
      name: "agent",
      password: REDACTED,
      passwordEnc: REDACTED,
      hasPassword: true,
      requestKeyHint: "abcd",
      requestKeyRotatedAt: "2026-01-01T00:00:00.000Z",
      nested: [{ apiKey: REDACTED, cloudonixApiKey: null, token: REDACTED, value: 1 }],
      passwordChanged: true,
    });
  });
});

describe("access tokens", () => {
  const key = "a-test-signing-key-that-is-long-enough";
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: "usr_1", sid: "s1", tid: "ten_1", iat: now, exp: now + 60, authTime: now };

  it("round-trips its claims", async ({ expect }) => {
    expect(await verifyAccessToken(await signAccessToken(claims, key), key)).toEqual(claims);
  });

  it("refuses another key, an expired token and a token without our claims", async ({ expect }) => {
    const token = await signAccessToken(claims, key);
    expect(await verifyAccessToken(token, `${key}-other`)).toBeNull();
    expect(await verifyAccessToken(await signAccessToken({ ...claims, exp: now - 10 }, key), key)).toBeNull();
    const { sign } = await import("hono/jwt");
    expect(await verifyAccessToken(await sign({ sub: "usr_1", exp: now + 60, iss: "cloudonix-agent-router" }, key, "HS256"), key)).toBeNull();
    expect(await verifyAccessToken(await sign({ ...claims, iss: "someone-else" }, key, "HS256"), key)).toBeNull();
  });
});
