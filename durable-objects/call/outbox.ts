import type { CallEventMessage } from "../../workers/queue/messages";

/** How long after a failed send the CallSession's alarm tries again. */
export const OUTBOX_RETRY_MS = 5_000;

/**
 * A call's events, written in the same storage transaction as the state they describe and
 * deleted only once the Queue has them: a crash between the two re-sends, never loses.
 * The consumer stores by (call, seq), so a re-send is harmless.
 */
export class CallOutbox {
  constructor(
    private readonly sql: SqlStorage,
    private readonly queue: Queue,
  ) {}

  /** `body` is the serialised CallEventMessage numbered `seq`. */
  add(seq: number, body: string): void {
    this.sql.exec("INSERT INTO outbox (seq, body) VALUES (?, ?)", seq, body);
  }

  size(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one().n;
  }

  /** Sends what is pending (a batch at most); false when the Queue refused it. */
  async flush(): Promise<boolean> {
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
}
