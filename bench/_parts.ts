import { voiceBody } from "../scripts/lib/cloudonix-sim";
import { seedBenchTenant } from "./lib/seed";
import { startWorker } from "./lib/harness";
const small = await seedBenchTenant("small", 10, 3);
const w = await startWorker(process.env.PERSIST ? { persistTo: process.env.PERSIST } : {});
const target = { baseUrl: w.url, domain: small.domain, requestKey: small.requestKey };
const h = { "content-type": "application/json", authorization: `Bearer ${small.requestKey}` };
const time = async (path: string, body: unknown) => {
  const s = performance.now();
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await fetch(`${w.url}${path}`, { method: "POST", headers: h, body: JSON.stringify(body) });
    const t = await r.text();
    if (!t.includes("restarted")) break;
  }
  return performance.now() - s;
};
const kinds: Record<string, () => Promise<number>> = {
  static: () => time("/__bench/static-xml", {}),
  badKey: async () => { const s = performance.now(); await (await fetch(`${w.url}/api/webhooks/voice-application`, { method: "POST", headers: { ...h, authorization: "Bearer nope" }, body: JSON.stringify(voiceBody(target, { from: "1", to: "999" })) })).text(); return performance.now() - s; },
  unknownCall: () => time("/api/webhooks/session-update", { token: crypto.randomUUID(), status: "ringing", domain: small.domain }),
  noRule: () => time("/api/webhooks/voice-application", voiceBody(target, { from: "1", to: "999" })),
  routed: () => time("/api/webhooks/voice-application", voiceBody(target, { from: "1", to: small.dialled })),
};
const results: Record<string, number[]> = {};
for (let i = 0; i < 20; i++) for (const k of Object.keys(kinds)) await kinds[k]!();
for (let i = 0; i < 200; i++) for (const [k, f] of Object.entries(kinds)) (results[k] ??= []).push(await f());
for (const [k, v] of Object.entries(results)) { v.sort((a, b) => a - b); console.log(k.padEnd(12), "p50", v[100]!.toFixed(2), "p90", v[180]!.toFixed(2)); }
await w.stop();
