// The Cloudonix stand-in as a process of its own (scripts/lib/standin/server.ts says what it
// serves): `npm start` runs it for the demo, with the Worker's CLOUDONIX_API_URL pointing at it.
//   npx tsx scripts/cloudonix-standin.ts --port 8791 [--answer 70 --busy 10 --no-answer 15 --failed 5]
//     [--ring 1000-4000] [--talk 2000-6000] [--rate-limit 10/10000] [--verbose]
import { parseArgs } from "node:util";
import { startStandIn } from "./lib/standin/server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.CLOUDONIX_STANDIN_PORT ?? "8791" },
    answer: { type: "string" },
    busy: { type: "string" },
    "no-answer": { type: "string" },
    failed: { type: "string" },
    ring: { type: "string" },
    talk: { type: "string" },
    "rate-limit": { type: "string" },
    verbose: { type: "boolean", default: false },
  },
});

const range = (text: string | undefined): [number, number] | undefined => {
  if (!text) return undefined;
  const [min, max] = text.split("-").map(Number);
  if (!Number.isFinite(min) || !Number.isFinite(max ?? min)) throw new Error(`not a range of milliseconds: ${text}`);
  return [min!, max ?? min!];
};
const weight = (text: string | undefined) => (text === undefined ? undefined : Number(text));
const [requests, windowMs] = values["rate-limit"]?.split("/").map(Number) ?? [];

const behaviour = Object.fromEntries(
  Object.entries({
    answer: weight(values.answer),
    busy: weight(values.busy),
    noAnswer: weight(values["no-answer"]),
    failed: weight(values.failed),
    ringMs: range(values.ring),
    talkMs: range(values.talk),
    rateLimit: requests && windowMs ? { requests, windowMs } : undefined,
  }).filter(([, v]) => v !== undefined),
);

const standIn = await startStandIn({ port: Number(values.port), behaviour, verbose: values.verbose });
console.log(`[stand-in] Cloudonix API stand-in on ${standIn.url} (not Cloudonix: a local simulation of its call API)`);
const stop = () => void standIn.close().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
