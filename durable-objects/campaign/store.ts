import type { Contact } from "../../workers/campaigns/contacts";
import type { AttemptOutcome } from "../../workers/campaigns/retry";
import { migrateSql } from "../lib/sql-migrations";

/*
 * A campaign's contacts and dial attempts in its Durable Object's SQLite database: the one place
 * a contact's state lives, so "never twice for the same attempt" is a matter of one row. An
 * attempt's row is written (state placing) before the call request goes out; the runtime holds
 * outgoing requests until such writes are stored, so after any restart an attempt is either
 * unplaced (no row) or known to have been sent.
 */

const SCHEMA = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  // state: pending | in_flight | done | dnc. result: the final outcome of a done contact.
  `CREATE TABLE contacts (id INTEGER PRIMARY KEY, number TEXT NOT NULL, timezone TEXT, variables TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL DEFAULT 0, result TEXT, last_outcome TEXT)`,
  `CREATE INDEX contacts_due ON contacts (state, next_at, id)`,
  `CREATE INDEX contacts_number ON contacts (number)`,
  // state: placing | ringing | answered | ended. outcome: answered | busy | noAnswer | failed.
  `CREATE TABLE attempts (contact_id INTEGER NOT NULL, n INTEGER NOT NULL, state TEXT NOT NULL, token TEXT, call_key TEXT, placed_at INTEGER NOT NULL, answered_at INTEGER, ended_at INTEGER, outcome TEXT, detail TEXT, PRIMARY KEY (contact_id, n))`,
  `CREATE INDEX attempts_state ON attempts (state)`,
  `CREATE INDEX attempts_placed ON attempts (placed_at)`,
  // When to ask Cloudonix whether a call we heard nothing more of is still going (its session).
  `ALTER TABLE attempts ADD COLUMN check_at INTEGER`,
] as const;

export const IN_FLIGHT = ["placing", "ringing", "answered"] as const;

export type ContactRow = {
  id: number;
  number: string;
  timezone: string | null;
  variables: string;
  state: "pending" | "in_flight" | "done" | "dnc";
  attempts: number;
  next_at: number;
  result: AttemptOutcome | null;
  last_outcome: AttemptOutcome | null;
};

export type AttemptRow = {
  contact_id: number;
  n: number;
  state: "placing" | "ringing" | "answered" | "ended";
  token: string | null;
  call_key: string | null;
  placed_at: number;
  answered_at: number | null;
  ended_at: number | null;
  outcome: AttemptOutcome | null;
  detail: string | null;
  check_at: number | null;
};

export class CampaignStore {
  constructor(private readonly storage: DurableObjectStorage) {
    migrateSql(storage.sql, SCHEMA);
  }

  get sql(): SqlStorage {
    return this.storage.sql;
  }

  transaction<T>(work: () => T): T {
    return this.storage.transactionSync(work);
  }

  meta<T>(key: string): T | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : null;
  }

  setMeta(key: string, value: unknown): void {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, JSON.stringify(value));
  }

  /** Adds contacts (ids are their CSV lines); those in `dnc` are kept but never dialled. */
  addContacts(contacts: readonly Contact[], dnc: ReadonlySet<string>): void {
    this.storage.transactionSync(() => {
      for (const c of contacts) {
        this.sql.exec("INSERT OR REPLACE INTO contacts (id, number, timezone, variables, state) VALUES (?, ?, ?, ?, ?)", c.line, c.number, c.timezone, JSON.stringify(c.variables), dnc.has(c.number) ? "dnc" : "pending");
      }
    });
  }

  clearContacts(): void {
    this.sql.exec("DELETE FROM contacts");
    this.sql.exec("DELETE FROM attempts");
  }

  markDnc(numbers: readonly string[]): number {
    let marked = 0;
    this.storage.transactionSync(() => {
      for (const number of numbers) marked += this.sql.exec("UPDATE contacts SET state = 'dnc' WHERE number = ? AND state = 'pending'", number).rowsWritten;
    });
    return marked;
  }

  contact(id: number): ContactRow | null {
    return this.sql.exec<ContactRow>("SELECT * FROM contacts WHERE id = ?", id).toArray()[0] ?? null;
  }

  attempt(contactId: number, n: number): AttemptRow | null {
    return this.sql.exec<AttemptRow>("SELECT * FROM attempts WHERE contact_id = ? AND n = ?", contactId, n).toArray()[0] ?? null;
  }

  due(now: number, limit: number): ContactRow[] {
    return this.sql.exec<ContactRow>("SELECT * FROM contacts WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?", now, limit).toArray();
  }

  nextDueAt(): number | null {
    return this.sql.exec<{ at: number | null }>("SELECT MIN(next_at) AS at FROM contacts WHERE state = 'pending'").one().at;
  }

  inFlight(): AttemptRow[] {
    return this.sql.exec<AttemptRow>("SELECT * FROM attempts WHERE state IN ('placing', 'ringing', 'answered')").toArray();
  }

  /** When the calls of the last minute were placed, and any stamped later than now (a clock that went back). */
  recentPlacements(now: number): number[] {
    return this.sql
      .exec<{ placed_at: number }>("SELECT placed_at FROM attempts WHERE placed_at > ?", now - 60_000)
      .toArray()
      .map((r) => r.placed_at);
  }

  /** The attempt is written before its request goes out: from here on it counts as dialled. */
  beginAttempt(contact: ContactRow, now: number): number {
    const n = contact.attempts + 1;
    this.sql.exec("INSERT INTO attempts (contact_id, n, state, placed_at) VALUES (?, ?, 'placing', ?)", contact.id, n, now);
    this.sql.exec("UPDATE contacts SET state = 'in_flight', attempts = ? WHERE id = ?", n, contact.id);
    return n;
  }

  /** Cloudonix refused the request: nothing was dialled, the contact waits as it was. */
  undoAttempt(contactId: number, n: number, nextAt: number): void {
    const removed = this.sql.exec("DELETE FROM attempts WHERE contact_id = ? AND n = ? AND state = 'placing'", contactId, n).rowsWritten;
    if (removed) this.sql.exec("UPDATE contacts SET state = 'pending', attempts = ?, next_at = ? WHERE id = ?", n - 1, nextAt, contactId);
  }

  deferContact(id: number, nextAt: number): void {
    this.sql.exec("UPDATE contacts SET next_at = ? WHERE id = ?", nextAt, id);
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const row of this.sql.exec<{ k: string; n: number }>("SELECT state || ':' || COALESCE(result, '') AS k, COUNT(*) AS n FROM contacts GROUP BY k")) out[row.k] = row.n;
    return out;
  }

  attemptCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const row of this.sql.exec<{ k: string; n: number }>("SELECT state || ':' || COALESCE(outcome, '') AS k, COUNT(*) AS n FROM attempts GROUP BY k")) out[row.k] = row.n;
    return out;
  }

  contactsAfter(afterId: number, limit: number): ContactRow[] {
    return this.sql.exec<ContactRow>("SELECT * FROM contacts WHERE id > ? ORDER BY id LIMIT ?", afterId, limit).toArray();
  }

  /** The attempts of contacts with ids in (afterId, throughId]. */
  attemptsBetween(afterId: number, throughId: number): AttemptRow[] {
    return this.sql.exec<AttemptRow>("SELECT * FROM attempts WHERE contact_id > ? AND contact_id <= ? ORDER BY contact_id, n", afterId, throughId).toArray();
  }

  numbersAfter(afterId: number, limit: number): { id: number; number: string }[] {
    return this.sql.exec<{ id: number; number: string }>("SELECT id, number FROM contacts WHERE id > ? AND state = 'pending' ORDER BY id LIMIT ?", afterId, limit).toArray();
  }
}
