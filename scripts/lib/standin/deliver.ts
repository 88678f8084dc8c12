// How the stand-in's outgoing requests reach the router. "http": POSTed to the URL as Cloudonix
// would. "relay": queued for a pump that delivers them and posts the answer back; the workers
// tests use it, because the Worker under test there has no address a Node process can reach
// (the pump runs inside the test and hands each request to the Worker itself).
import { randomBytes } from "node:crypto";

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface Answer {
  status: number;
  body: string;
}

interface Pending {
  id: string;
  domain: string;
  request: OutgoingRequest;
  queuedAt: number;
  takenAt: number | null;
  resolve: (answer: Answer) => void;
}

/** A relayed request not taken, or not answered, this long counts as unanswered (status 0). */
const RELAY_TIMEOUT_MS = 30_000;
const HTTP_TIMEOUT_MS = 10_000;

export class Outbox {
  #pending = new Map<string, Pending>();

  async send(domain: string, mode: "http" | "relay", request: OutgoingRequest): Promise<Answer> {
    if (mode === "relay") return this.#queue(domain, request);
    try {
      const res = await fetch(request.url, { method: "POST", headers: { "content-type": "application/json", "user-agent": "Cloudonix APP.Core/stand-in", ...request.headers }, body: JSON.stringify(request.body), signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
      return { status: res.status, body: await res.text() };
    } catch (err) {
      return { status: 0, body: `no answer: ${(err as Error).message}` };
    }
  }

  #queue(domain: string, request: OutgoingRequest): Promise<Answer> {
    return new Promise((resolve) => {
      const id = randomBytes(8).toString("hex");
      this.#pending.set(id, { id, domain, request, queuedAt: Date.now(), takenAt: null, resolve });
    });
  }

  /** The domain's requests nobody has taken yet (at most `limit`), marked taken. */
  take(domain: string, limit: number): { id: string; url: string; headers: Record<string, string>; body: unknown }[] {
    const now = Date.now();
    const out = [];
    for (const pending of this.#pending.values()) {
      const since = pending.takenAt ?? pending.queuedAt;
      if (now - since > RELAY_TIMEOUT_MS) this.answer(pending.id, { status: 0, body: pending.takenAt === null ? "no relay took the request" : "the relay never answered" });
      else if (pending.domain === domain && pending.takenAt === null && out.length < limit) {
        pending.takenAt = now;
        out.push({ id: pending.id, ...pending.request });
      }
    }
    return out;
  }

  answer(id: string, answer: Answer): boolean {
    const pending = this.#pending.get(id);
    if (!pending) return false;
    this.#pending.delete(id);
    pending.resolve(answer);
    return true;
  }
}
