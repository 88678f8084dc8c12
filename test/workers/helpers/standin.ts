import { env, exports } from "cloudflare:workers";
import type { Behaviour, CallLog } from "../../../scripts/lib/standin/model";

/*
 * The Cloudonix stand-in from inside a workers test. The Worker under test has no address the
 * stand-in (a Node process) can reach, so its domains deliver by relay: the stand-in queues each
 * webhook, session update and CDR, and `pumpStandIn` hands them to the Worker and posts the
 * answers back, as if Cloudonix had sent them over the network.
 */

/** Where the Worker under test finds Cloudonix's API (vitest.config.ts), which is the stand-in. */
export const STANDIN_URL = (env as { CLOUDONIX_API_URL?: string }).CLOUDONIX_API_URL!;

export async function configureStandIn(domain: string, settings: { behaviour?: Partial<Behaviour>; profile?: Record<string, unknown> }): Promise<void> {
  const res = await fetch(`${STANDIN_URL}/__standin/domains/${encodeURIComponent(domain)}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ delivery: "relay", ...settings }) });
  if (!res.ok) throw new Error(`stand-in refused the domain settings: ${res.status} ${await res.text()}`);
}

export async function standInCalls(domain: string): Promise<CallLog[]> {
  const res = await fetch(`${STANDIN_URL}/__standin/calls?domain=${encodeURIComponent(domain)}`);
  return ((await res.json()) as { calls: CallLog[] }).calls;
}

export async function standInStats(domain: string): Promise<{ placed: number; live: number; maxLive: number; ended: number; byOutcome: Record<string, number> }> {
  const res = await fetch(`${STANDIN_URL}/__standin/stats?domain=${encodeURIComponent(domain)}`);
  return (await res.json()) as never;
}

/**
 * Delivers what the stand-in queued for `domain`, each request as soon as it is queued, until
 * `done` (asked every `checkEveryMs`, meanwhile) says so or `timeoutMs` passes.
 */
export async function pumpStandIn(domain: string, done: () => Promise<boolean>, timeoutMs = 20_000, checkEveryMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const inFlight = new Set<Promise<void>>();
  let finished = false;
  let failure: unknown = null;
  const deliver = async (request: { id: string; url: string; headers: Record<string, string>; body: unknown }) => {
    const answer = await exports.default.fetch(request.url, { method: "POST", headers: { "content-type": "application/json", "user-agent": "Cloudonix APP.Core/stand-in", ...request.headers }, body: JSON.stringify(request.body) });
    await fetch(`${STANDIN_URL}/__standin/relay/${request.id}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ status: answer.status, body: await answer.text() }) });
  };
  const checker = (async () => {
    while (!finished) {
      if (await done()) finished = true;
      else if (Date.now() > deadline) throw new Error(`the stand-in's calls for ${domain} did not finish within ${timeoutMs} ms`);
      else await new Promise((resolve) => setTimeout(resolve, checkEveryMs));
    }
  })().catch((err) => {
    failure = err;
    finished = true;
  });
  while (!finished) {
    const res = await fetch(`${STANDIN_URL}/__standin/relay?domain=${encodeURIComponent(domain)}&limit=100`);
    const { requests } = (await res.json()) as { requests: { id: string; url: string; headers: Record<string, string>; body: unknown }[] };
    for (const request of requests) {
      const sent = deliver(request)
        .catch((err) => {
          failure ??= err;
          finished = true;
        })
        .finally(() => inFlight.delete(sent));
      inFlight.add(sent);
    }
    if (requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 15));
  }
  await checker;
  await Promise.all(inFlight);
  if (failure) throw failure;
}
