import { voiceBody } from "../scripts/lib/cloudonix-sim";
import { seedBenchTenant } from "./lib/seed";
import { startWorker } from "./lib/harness";
const small = await seedBenchTenant("small", 10, 3);
const large = await seedBenchTenant("large", 10_000, 1_000);
const w = await startWorker(process.env.PERSIST ? { persistTo: process.env.PERSIST } : {});
const send = async (t: typeof small) => {
  const s = performance.now();
  const r = await fetch(`${w.url}/api/webhooks/voice-application`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${t.requestKey}` }, body: JSON.stringify(voiceBody({ baseUrl: w.url, domain: t.domain, requestKey: t.requestKey }, { from: "1", to: t.dialled })) });
  const text = await r.text();
  if (r.status !== 200 || !text.includes("<Dial")) { await w.stop(); throw new Error(text); }
  return performance.now() - s;
};
const st = async () => { const s = performance.now(); await (await fetch(`${w.url}/__bench/static-xml`, { method: "POST", body: "{}" })).text(); return performance.now() - s; };
for (let i = 0; i < 30; i++) { await send(small); await send(large); await st(); }
const a: number[] = [], b: number[] = [], c: number[] = [];
for (let i = 0; i < 300; i++) { a.push(await send(small)); b.push(await send(large)); c.push(await st()); }
const med = (x: number[]) => x.sort((p, q) => p - q)[Math.floor(x.length / 2)]!.toFixed(2);
const p90 = (x: number[]) => x.sort((p, q) => p - q)[Math.floor(x.length * 0.9)]!.toFixed(2);
console.log(`static p50 ${med(c)} p90 ${p90(c)} | small p50 ${med(a)} p90 ${p90(a)} | large p50 ${med(b)} p90 ${p90(b)}`);
await w.stop();
