// A real HTTP receiver for outgoing event webhooks, started by the workers tests' global setup
// (a Node server: the Worker under test POSTs to it over the network, as to any customer's
// endpoint). Each test uses its own box (a random name): POST /hook/<box> records the request
// (headers and raw body) and answers as the box is told; the tests drive it over HTTP too:
//   PUT /control/<box> {"mode": "ok"|"down"|"status", "status"?: 503, "delayMs"?: 5000, "body"?: "…"}
//   GET /control/<box> → {"requests": [{"at", "headers", "body"}]}
// "down" closes the connection without an answer, as a receiver that is not running would.
import { createServer, type IncomingMessage, type Server } from "node:http";

export const EVENT_RECEIVER_PORT = Number(process.env.EVENT_RECEIVER_PORT ?? 18090);

interface Box {
  mode: "ok" | "down" | "status";
  status: number;
  delayMs: number;
  body: string;
  requests: { at: number; headers: Record<string, string>; body: string }[];
}

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

export function startEventReceiver(port = EVENT_RECEIVER_PORT): Promise<Server | null> {
  const boxes = new Map<string, Box>();
  const box = (name: string) => {
    let b = boxes.get(name);
    if (!b) boxes.set(name, (b = { mode: "ok", status: 200, delayMs: 0, body: "ok", requests: [] }));
    return b;
  };
  const server = createServer(async (req, res) => {
    const [, kind, name] = /^\/(hook|control)\/([A-Za-z0-9_-]{1,100})$/.exec(req.url ?? "") ?? [];
    if (!kind || !name) {
      res.writeHead(404).end("no such box");
      return;
    }
    const b = box(name);
    const body = await read(req);
    if (kind === "control") {
      if (req.method === "PUT") Object.assign(b, JSON.parse(body || "{}"));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ requests: b.requests }));
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
    if (b.mode === "down") {
      req.socket.destroy();
      return;
    }
    b.requests.push({ at: Date.now(), headers, body });
    if (b.delayMs) await new Promise((resolve) => setTimeout(resolve, b.delayMs));
    res.writeHead(b.mode === "status" ? b.status : 200, { "content-type": "text/plain" }).end(b.body);
  });
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      // Unlike the Cloudonix mock, the receiver keeps what it received: another run's is no use.
      if (err.code === "EADDRINUSE") reject(new Error(`event receiver: port ${port} is taken; set EVENT_RECEIVER_PORT to a free one`));
      else reject(err);
    });
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}
