import { exports } from "cloudflare:workers";
import { hashPassword } from "../../../workers/lib/passwords";
import { newId } from "../../../workers/lib/ids";
import * as schema from "../../../workers/db/schema";
import { withDb } from "./db";
import { BASE, login } from "./fixtures";

/** A read-only user of an existing tenant (e.g. a routing fixture's), signed in. */
export async function signInTo(tenantId: string, role: "admin" | "user" = "user"): Promise<string> {
  const email = `viewer-${crypto.randomUUID().slice(0, 12)}@sockets.test`;
  const password = `pw-${crypto.randomUUID()}`;
  await withDb(async (db) => db.insert(schema.users).values({ id: newId("usr"), tenantId, email, name: "Socket viewer", passwordHash: await hashPassword(password), role }));
  return login(email, password);
}

export interface TestSocket {
  ws: WebSocket;
  response: Response;
  messages: any[];
  closed: { code: number; reason: string } | null;
  /** The next message (after those already taken) matching `predicate`. */
  next(predicate?: (m: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Waits until the socket is closed by the server. */
  waitClosed(timeoutMs?: number): Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  close(): void;
}

/** Opens a WebSocket through the Worker; throws with the body when the upgrade is refused. */
export async function openSocket(path: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  const response = await exports.default.fetch(`${BASE}${path}`, { headers: { Upgrade: "websocket", ...headers } });
  const ws = response.webSocket;
  if (response.status !== 101 || !ws) throw new Error(`upgrade refused: ${response.status} ${await response.text()}`);
  ws.accept();
  const messages: any[] = [];
  let cursor = 0;
  const socket: TestSocket = {
    ws,
    response,
    messages,
    closed: null,
    async next(predicate = () => true, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (cursor < messages.length) {
          const m = messages[cursor++];
          if (predicate(m)) return m;
        }
        if (socket.closed) throw new Error(`socket closed (${socket.closed.code} ${socket.closed.reason}) before the expected message`);
        if (Date.now() > deadline) throw new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages.slice(-5))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async waitClosed(timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!socket.closed) {
        if (Date.now() > deadline) throw new Error("socket still open");
        await new Promise((r) => setTimeout(r, 10));
      }
      return socket.closed;
    },
    send: (message) => ws.send(typeof message === "string" ? message : JSON.stringify(message)),
    close: () => {
      try {
        ws.close(1000, "done");
      } catch {
        // already closed
      }
    },
  };
  ws.addEventListener("message", (event) => {
    messages.push(JSON.parse(event.data as string));
  });
  ws.addEventListener("close", (event) => {
    socket.closed = { code: event.code, reason: event.reason };
  });
  return socket;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
