import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import type { Executor } from "../db/executor";
import type { ConfigChange } from "../routing/config-changed";
import { commitChange } from "./change";
import { assertVersion, etag, expectedVersion } from "./concurrency";
import { notFound } from "./errors";

/*
 * The optimistic-concurrency change of one entity, in one place: read the version the client
 * saw (body `version` or If-Match), then in one transaction lock the row, 404 if it is not the
 * tenant's, 409 VERSION_CONFLICT if someone saved it since, change it, read it back and audit
 * it; the saved row's version goes out as the ETag.
 */

interface VersionedRow {
  id: string;
  version: number;
}

interface VersionedChange<Row extends VersionedRow> {
  change: Pick<ConfigChange, "entity" | "action">;
  /** As the messages name it: "voice agent" → "Voice agent not found", "The voice agent was changed…". */
  name: string;
  /** The 404's name when it differs, e.g. "Tenant" for "tenant settings". */
  notFoundAs?: string;
  /** The body's version, when the body has one; the If-Match header is read here. */
  version?: number;
  /** Reads the row; { forUpdate: true } locks it until the change commits. */
  find: (tx: Executor, lock?: { forUpdate: true }) => Promise<Row | undefined | null>;
  /** Locks that every writer takes before the row's (referenced entities, the admins), so two changes never wait on each other in a cycle. */
  lockFirst?: (tx: Executor) => Promise<void>;
  /** The audit form of a row. */
  audited: (row: Row) => unknown;
}

interface Save<Row extends VersionedRow> extends VersionedChange<Row> {
  /** Writes the change; false when there is nothing to change (no write, no audit, same version). */
  apply: (tx: Executor, current: Row) => Promise<boolean>;
  /** What the audit entry records, where it differs from audited(current) → audited(updated). */
  audit?: (current: Row, updated: Row) => { before?: unknown; after?: unknown; action?: string };
}

interface Remove<Row extends VersionedRow> extends VersionedChange<Row> {
  /** Checks that may refuse the deletion (in use, last admin), then deletes. */
  remove: (tx: Executor, current: Row) => Promise<void>;
}

const capitalised = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

async function lockCurrent<Row extends VersionedRow>(tx: Executor, spec: VersionedChange<Row>, expected: number | undefined): Promise<Row> {
  await spec.lockFirst?.(tx);
  const current = await spec.find(tx, { forUpdate: true });
  if (!current) throw notFound(spec.notFoundAs ?? capitalised(spec.name));
  assertVersion(spec.name, expected, current.version);
  return current;
}

/** Updates one entity under optimistic concurrency; returns the saved row and sets its ETag. */
export async function saveVersioned<Row extends VersionedRow>(c: Context<AppEnv>, spec: Save<Row>): Promise<Row> {
  const expected = expectedVersion(c, spec.version);
  const saved = await commitChange(c, spec.change, async (tx, audit) => {
    const current = await lockCurrent(tx, spec, expected);
    if (!(await spec.apply(tx, current))) return current;
    const updated = (await spec.find(tx))!;
    const entry = { before: spec.audited(current), after: spec.audited(updated), ...spec.audit?.(current, updated) };
    audit.record(current.id, entry.before, entry.after, entry.action);
    return updated;
  });
  c.header("ETag", etag(saved.version));
  return saved;
}

/** Deletes one entity under optimistic concurrency (If-Match). */
export async function deleteVersioned<Row extends VersionedRow>(c: Context<AppEnv>, spec: Remove<Row>): Promise<void> {
  const expected = expectedVersion(c);
  await commitChange(c, spec.change, async (tx, audit) => {
    const current = await lockCurrent(tx, spec, expected);
    await spec.remove(tx, current);
    audit.record(current.id, spec.audited(current), null);
  });
}
