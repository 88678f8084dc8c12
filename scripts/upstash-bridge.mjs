// Dev-only stand-in for Upstash Redis: speaks Upstash's REST protocol (single command,
// /pipeline, /multi-exec, base64 response encoding) over a local redis-server, so the real
// @upstash/redis client is exercised locally. Never deploy this.
import http from "node:http";
import { createClient } from "redis";

const TOKEN = process.env.UPSTASH_TOKEN ?? "local-upstash-token";
const PORT = Number(new URL(process.env.UPSTASH_URL ?? "http://127.0.0.1:8079").port || 8079);
const MAX_BODY = 10 * 1024 * 1024;

// RESP2 replies have the flat shapes Upstash returns (e.g. ZRANGE WITHSCORES as a flat list).
const redis = createClient({ url: `redis://127.0.0.1:${process.env.REDIS_PORT ?? 6379}`, RESP: 2 });
redis.on("error", (err) => console.error("redis:", err.message));
await redis.connect();

function encode(value, base64) {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  if (Array.isArray(value)) return value.map((item) => encode(item, base64));
  if (Buffer.isBuffer(value)) value = value.toString();
  if (typeof value === "object")
    return Object.entries(value)
      .flat()
      .map((item) => encode(item, base64));
  return base64 ? Buffer.from(String(value)).toString("base64") : String(value);
}

const asArgs = (command) => command.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg)));

async function run(command, base64) {
  if (!Array.isArray(command) || command.length === 0) return { error: "ERR command must be a non-empty JSON array" };
  try {
    return { result: encode(await redis.sendCommand(asArgs(command)), base64) };
  } catch (err) {
    return { error: String(err?.message ?? err) };
  }
}

async function readBody(req) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error("body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString();
}

http
  .createServer(async (req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { "content-type": "application/json", "upstash-sync-token": "0" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { error: "Unauthorized" });
    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    const path = new URL(req.url, "http://bridge").pathname.replace(/\/+$/, "");
    let body;
    try {
      const raw = await readBody(req);
      body = raw ? JSON.parse(raw) : path.slice(1).split("/").filter(Boolean).map(decodeURIComponent);
    } catch (err) {
      return send(400, { error: `ERR ${err.message}` });
    }
    if (path === "/pipeline") {
      if (!Array.isArray(body)) return send(400, { error: "ERR pipeline must be an array of commands" });
      const results = [];
      for (const command of body) results.push(await run(command, base64));
      return send(200, results);
    }
    if (path === "/multi-exec") {
      if (!Array.isArray(body)) return send(400, { error: "ERR transaction must be an array of commands" });
      const multi = redis.multi();
      for (const command of body) multi.addCommand(asArgs(command));
      try {
        const out = await multi.exec();
        return send(
          200,
          out.map((r) => (r instanceof Error ? { error: r.message } : { result: encode(r, base64) })),
        );
      } catch (err) {
        return send(400, { error: String(err?.message ?? err) });
      }
    }
    const reply = await run(body, base64);
    send(reply.error ? 400 : 200, reply);
  })
  .listen(PORT, "127.0.0.1", () => console.log(`Upstash bridge on http://127.0.0.1:${PORT}`));
