import type { CallEventMessage } from "../../workers/queue/messages";
import type { HubEvent } from "../hub-events";

/** How long after a failed send the CallSession's alarm tries again. */
export const OUTBOX_RETRY_MS = 5_000;
/** Live news older than this is no longer worth showing; the hub's own check ends stale calls. */
const HUB_GIVE_UP_MS = 3_600_000;

/** The tables, created by the CallSession's schema (steps are append-only there). */
export const OUTBOX_TABLE = "CREATE TABLE outbox (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)";
export const HUB_OUTBOX_TABLE = "CREATE TABLE hub_outbox (seq INTEGER PRIMARY KEY, tenant_id TEXT NOT NULL, at INTEGER NOT NULL, body TEXT NOT NULL)";

export interface LiveHub {
  publish(events: HubEvent[]): Promise<unknown>;
}

/**
 * A call's events, written in the same storage transaction as the state they describe and
 * deleted only once delivered: to the Queue (for MySQL) and to the tenant's hub (for live
 * dashboards). A crash or a failed send between the two re-sends, never loses. Re-sends are
 * harmless: the consumer stores by (call, seq), and the hub drops an event whose (call, seq)
 * it has already shown.
 */
export class CallOutbox {
  constructor(
    private readonly sql: SqlStorage,
    private readonly queue: Queue,
    private readonly hubOf: (tenantId: string) => LiveHub,
  ) {}

  /** `body` is the serialised CallEventMessage numbered `seq`; `live` its event for the hub, keyed by the same seq. */
  add(seq: number, body: string, live: { tenantId: string; event: HubEvent }): void {
    this.sql.exec("INSERT INTO outbox (seq, body) VALUES (?, ?)", seq, body);
    this.sql.exec("INSERT INTO hub_outbox (seq, tenant_id, at, body) VALUES (?, ?, ?, ?)", seq, live.tenantId, live.event.at, JSON.stringify(live.event));
  }

  size(): number {
    const count = (table: string) => this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).one().n;
    return count("outbox") + count("hub_outbox");
  }

  /** Sends what is pending (a batch of each at most); false when the Queue or the hub refused it. */
  async flush(now = Date.now()): Promise<boolean> {
    const [queued, shown] = await Promise.all([this.#flushQueue(), this.#flushHub(now)]);
    return queued && shown;
  }

  async #flushQueue(): Promise<boolean> {
    const rows = this.sql.exec<{ seq: number; body: string }>("SELECT seq, body FROM outbox ORDER BY seq LIMIT 100").toArray();
    if (!rows.length) return true;
    try {
      await this.queue.sendBatch(rows.map((row) => ({ body: JSON.parse(row.body) as CallEventMessage, contentType: "json" as const })));
    } catch (err) {
      console.warn(`call events: queue send failed, retrying by alarm: ${(err as Error).message}`);
      return false;
    }
    this.sql.exec("DELETE FROM outbox WHERE seq <= ?", rows.at(-1)!.seq);
    return true;
  }

  async #flushHub(now: number): Promise<boolean> {
    const dropped = this.sql.exec("DELETE FROM hub_outbox WHERE at < ?", now - HUB_GIVE_UP_MS).rowsWritten;
    if (dropped) console.warn(`call events: gave up showing ${dropped} live events older than an hour`);
    const rows = this.sql.exec<{ seq: number; tenant_id: string; body: string }>("SELECT seq, tenant_id, body FROM hub_outbox ORDER BY seq LIMIT 100").toArray();
    if (!rows.length) return true;
    try {
      await this.hubOf(rows[0]!.tenant_id).publish(rows.map((row) => JSON.parse(row.body) as HubEvent));
    } catch (err) {
      console.warn(`call events: live publish failed, retrying by alarm: ${(err as Error).message}`);
      return false;
    }
    this.sql.exec("DELETE FROM hub_outbox WHERE seq <= ?", rows.at(-1)!.seq);
    return true;
  }
}
