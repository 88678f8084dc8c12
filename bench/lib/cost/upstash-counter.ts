// A counting proxy in front of the local Upstash bridge (scripts/upstash-bridge.mjs): each build
// under test gets its own, so the commands each one sends are counted apart. Upstash bills per
// command: a pipeline or a transaction of n commands is n commands (the EXEC of a transaction
// is not counted here).
import http from "node:http";
import { freePort } from "../../../scripts/lib/ports";

export interface UpstashCount {
  requests: number;
  commands: number;
  byCommand: Record<string, number>;
  errors: number;
}

export interface UpstashCounter {
  url: string;
  count(): UpstashCount;
  reset(): void;
  close(): Promise<void>;
}

export async function startUpstashCounter(upstream: string): Promise<UpstashCounter> {
  let tally: UpstashCount = { requests: 0, commands: 0, byCommand: {}, errors: 0 };
  const countCommand = (command: unknown) => {
    const name = Array.isArray(command) && typeof command[0] === "string" ? command[0].toUpperCase() : "?";
    tally.commands++;
    tally.byCommand[name] = (tally.byCommand[name] ?? 0) + 1;
  };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    tally.requests++;
    const path = new URL(req.url ?? "/", "http://proxy").pathname.replace(/\/+$/, "");
    try {
      const parsed = body.length ? (JSON.parse(body.toString()) as unknown) : null;
      if ((path === "/pipeline" || path === "/multi-exec") && Array.isArray(parsed)) for (const command of parsed) countCommand(command);
      else if (Array.isArray(parsed)) countCommand(parsed);
      // The REST path form: /get/key, /set/key/value.
      else countCommand(path.split("/").filter(Boolean));
    } catch {
      tally.errors++;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string" && name !== "host" && name !== "content-length") headers[name] = value;
    try {
      const answer = await fetch(`${upstream}${req.url}`, { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : body });
      const text = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([name]) => name !== "content-length" && name !== "content-encoding" && name !== "transfer-encoding")));
      res.end(text);
    } catch (err) {
      tally.errors++;
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `bench upstash counter: ${(err as Error).message}` }));
    }
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => structuredClone(tally),
    reset: () => {
      tally = { requests: 0, commands: 0, byCommand: {}, errors: 0 };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
