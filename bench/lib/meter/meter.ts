// Runs INSIDE the Worker under test (bench/call-cost.ts bundles it into both builds it compares,
// via a generated entry module; see meter/entry.ts): counts what a call costs in the units
// Cloudflare bills, at the runtime's own API surface, without touching the application's source.
//
//   Durable Object requests  each RPC method call, fetch, alarm and WebSocket event an object
//                            receives from outside (its own calls to its own methods are not
//                            requests), counted by a subclass of each exported class.
//   rows written             sql.exec: the cursor's rowsWritten, the runtime's own meter (it
//                            counts index rows too). Synchronous KV (ctx.storage.kv.put/delete)
//                            and the async KV API are billed as rows written of the hidden
//                            _cf_KV table, which the runtime does not meter back to the caller:
//                            counted per key times what the same statement on a table of the same
//                            shape writes, measured at start (calibrate()). setAlarm: 1 row each
//                            (Cloudflare's pricing page says so).
//   queue messages           Queue.send / sendBatch on every producer binding, and what the
//                            consumer receives, retries and fails.
//   Worker requests          fetch, queue and scheduled invocations of the Worker itself.
//
// The hooks patch the prototypes of the runtime's storage and queue classes the first time an
// instance is seen, so they see every call whichever module makes it. GET /__meter answers the
// tally, POST /__meter/reset zeroes it, POST /__meter/calibrate measures the KV row cost.
import { AsyncLocalStorage } from "node:async_hooks";

export interface ClassTally {
  objects: number;
  requests: number;
  byMethod: Record<string, number>;
  alarms: number;
  /** Wall time inside handlers (the runtime's clock only moves on I/O: mostly storage and RPC waits). */
  handlerMs: number;
  sqlStatements: number;
  sqlWriteStatements: number;
  sqlRowsWritten: number;
  sqlRowsRead: number;
  kvPuts: number;
  kvDeletes: number;
  asyncKvPuts: number;
  asyncKvDeletes: number;
  setAlarms: number;
  deleteAlarms: number;
  deleteAlls: number;
  /** sqlRowsWritten + KV rows (per the calibration) + setAlarms. */
  rowsWritten: number;
  /** Rows Miniflare writes for itself (not in production; not in rowsWritten). */
  localOnlyRowsWritten: number;
  /** SQL by statement (its first 80 characters, whitespace folded): how often, rows written. */
  statements: Record<string, { n: number; rowsWritten: number }>;
  /** How storage calls were attributed to this class: by the storage object, or by the handler running. */
  attributed: { byObject: number; byHandler: number };
}

export interface Tally {
  startedAt: number;
  classes: Record<string, ClassTally>;
  /** Per producer binding; `bySource`: messages by sender (the Durable Object class whose handler sent it, else Worker) and the body's `kind`. */
  queues: Record<string, { sends: number; messages: number; bytes: number; bySource: Record<string, number> }>;
  consumer: { batches: number; messages: number; retries: number; failedBatches: number; acks: number };
  worker: { fetches: number; queueInvocations: number; scheduled: number };
  calibration: Calibration | null;
  /** Storage calls no class could be named for (answered by GET /__meter only). */
  unattributed?: number;
}

export interface Calibration {
  kvTableRowsWrittenOnInsert: number;
  kvTableRowsWrittenOnUpdate: number;
  kvTableRowsWrittenOnDelete: number;
  rowidTextKeyInsert: number;
  createTable: number;
}

const newClassTally = (): ClassTally => ({
  objects: 0,
  requests: 0,
  byMethod: {},
  alarms: 0,
  handlerMs: 0,
  sqlStatements: 0,
  sqlWriteStatements: 0,
  sqlRowsWritten: 0,
  sqlRowsRead: 0,
  kvPuts: 0,
  kvDeletes: 0,
  asyncKvPuts: 0,
  asyncKvDeletes: 0,
  setAlarms: 0,
  deleteAlarms: 0,
  deleteAlls: 0,
  rowsWritten: 0,
  localOnlyRowsWritten: 0,
  statements: {},
  attributed: { byObject: 0, byHandler: 0 },
});

const newTally = (): Tally => ({
  startedAt: Date.now(),
  classes: {},
  queues: {},
  consumer: { batches: 0, messages: 0, retries: 0, failedBatches: 0, acks: 0 },
  worker: { fetches: 0, queueInvocations: 0, scheduled: 0 },
  calibration: null,
});

let tally = newTally();
let calibration: Calibration | null = null;
/** While calibrating, the probe's own statements are not the application's. */
let paused = false;

const classTally = (name: string): ClassTally => {
  tally.classes[name] ??= newClassTally();
  return tally.classes[name]!;
};

/** The object whose handler is running (to tell its own method calls from requests). */
const running = new AsyncLocalStorage<{ self: object; className: string }>();
/** Storage objects by the class that owns them (ctx.storage, .sql and .kv of each instance). */
const owners = new WeakMap<object, string>();
/** Queue producer bindings by their binding name. */
const queueNames = new WeakMap<object, string>();

function ownerOf(storageObject: object): ClassTally | null {
  if (paused) return null;
  const byObject = owners.get(storageObject);
  const name = byObject ?? running.getStore()?.className;
  if (!name) {
    unattributed++;
    return null;
  }
  const owner = classTally(name);
  if (byObject) owner.attributed.byObject++;
  else owner.attributed.byHandler++;
  return owner;
}
/** Storage calls no class could be named for (reported in the tally). */
let unattributed = 0;

const patched = new Set<object>();

/** Replaces `proto[name]` by `wrap(original)`, once per prototype. */
function patchMethod(proto: object | null, name: string, wrap: (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown): void {
  if (!proto) return;
  const descriptor = Object.getOwnPropertyDescriptor(proto, name);
  if (!descriptor || typeof descriptor.value !== "function") return;
  Object.defineProperty(proto, name, { ...descriptor, value: wrap(descriptor.value as (...args: unknown[]) => unknown) });
}

function patchStorage(storage: DurableObjectStorage): void {
  const storageProto = Object.getPrototypeOf(storage) as object;
  if (!patched.has(storageProto)) {
    patched.add(storageProto);
    patchMethod(
      storageProto,
      "setAlarm",
      (original) =>
        function (this: object, ...args: unknown[]) {
          const owner = ownerOf(this);
          if (owner) {
            owner.setAlarms++;
            owner.rowsWritten++;
          }
          return original.apply(this, args);
        },
    );
    patchMethod(
      storageProto,
      "deleteAlarm",
      (original) =>
        function (this: object, ...args: unknown[]) {
          const owner = ownerOf(this);
          if (owner) owner.deleteAlarms++;
          return original.apply(this, args);
        },
    );
    patchMethod(
      storageProto,
      "deleteAll",
      (original) =>
        function (this: object, ...args: unknown[]) {
          const owner = ownerOf(this);
          if (owner) owner.deleteAlls++;
          return original.apply(this, args);
        },
    );
    patchMethod(
      storageProto,
      "put",
      (original) =>
        function (this: object, ...args: unknown[]) {
          const owner = ownerOf(this);
          if (owner) {
            const keys = typeof args[0] === "string" ? 1 : Object.keys(args[0] as object).length;
            owner.asyncKvPuts += keys;
            owner.rowsWritten += keys * kvRows("put");
          }
          return original.apply(this, args);
        },
    );
    patchMethod(
      storageProto,
      "delete",
      (original) =>
        function (this: object, ...args: unknown[]) {
          const owner = ownerOf(this);
          if (owner) {
            const keys = Array.isArray(args[0]) ? args[0].length : 1;
            owner.asyncKvDeletes += keys;
            owner.rowsWritten += keys * kvRows("delete");
          }
          return original.apply(this, args);
        },
    );
  }
  const sql = storage.sql as object | undefined;
  const sqlProto = sql ? (Object.getPrototypeOf(sql) as object) : null;
  if (sqlProto && !patched.has(sqlProto)) {
    patched.add(sqlProto);
    patchMethod(
      sqlProto,
      "exec",
      (original) =>
        function (this: object, ...args: unknown[]) {
          const cursor = original.apply(this, args) as SqlStorageCursor<Record<string, SqlStorageValue>>;
          const owner = ownerOf(this);
          // Miniflare records each object's name in a table of its own (__miniflare_do_name):
          // local only, so not counted.
          if (owner && /__miniflare/.test(String(args[0]))) {
            owner.localOnlyRowsWritten += cursor.rowsWritten;
          } else if (owner) {
            // A write statement (RETURNING included) does all its writing in its first step,
            // which exec() takes: rowsWritten is final here. Rows read of a SELECT grow as it is
            // iterated; this is what the first step read (the figure is not billed for much).
            owner.sqlStatements++;
            owner.sqlRowsWritten += cursor.rowsWritten;
            owner.sqlRowsRead += cursor.rowsRead;
            owner.rowsWritten += cursor.rowsWritten;
            if (cursor.rowsWritten > 0) owner.sqlWriteStatements++;
            const key = String(args[0]).replace(/\s+/g, " ").trim().slice(0, 80);
            owner.statements[key] ??= { n: 0, rowsWritten: 0 };
            owner.statements[key]!.n++;
            owner.statements[key]!.rowsWritten += cursor.rowsWritten;
          }
          return cursor;
        },
    );
  }
  const kv = (storage as { kv?: object }).kv;
  const kvProto = kv ? (Object.getPrototypeOf(kv) as object) : null;
  if (kvProto && !patched.has(kvProto)) {
    patched.add(kvProto);
    patchMethod(
      kvProto,
      "put",
      (original) =>
        function (this: object, ...args: unknown[]) {
          const owner = ownerOf(this);
          if (owner) {
            owner.kvPuts++;
            owner.rowsWritten += kvRows("put");
          }
          return original.apply(this, args);
        },
    );
    patchMethod(
      kvProto,
      "delete",
      (original) =>
        function (this: object, ...args: unknown[]) {
          const deleted = original.apply(this, args);
          const owner = ownerOf(this);
          // A delete of a missing key writes nothing.
          if (owner && deleted !== false) {
            owner.kvDeletes++;
            owner.rowsWritten += kvRows("delete");
          }
          return deleted;
        },
    );
  }
}

/**
 * Rows written by one KV put or delete: the statement the runtime runs on its hidden
 * `_cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID` table, measured on a table of that
 * shape (calibrate()); 1 until measured. A put is counted at the cost of a new key's insert.
 */
function kvRows(op: "put" | "delete"): number {
  if (!calibration) return 1;
  return op === "put" ? calibration.kvTableRowsWrittenOnInsert : calibration.kvTableRowsWrittenOnDelete;
}

function registerStorage(ctx: DurableObjectState, className: string): void {
  const storage = ctx.storage;
  owners.set(storage, className);
  try {
    if (storage.sql) owners.set(storage.sql, className);
  } catch {
    // A key-value backed class has no SQL API.
  }
  const kv = (storage as { kv?: object }).kv;
  if (kv) owners.set(kv, className);
  patchStorage(storage);
}

function patchQueues(env: Record<string, unknown>): void {
  for (const [name, binding] of Object.entries(env)) {
    if (!binding || typeof binding !== "object" || typeof (binding as Queue).send !== "function" || typeof (binding as Queue).sendBatch !== "function") continue;
    queueNames.set(binding, name);
    const proto = Object.getPrototypeOf(binding) as object;
    if (patched.has(proto)) continue;
    patched.add(proto);
    const count = (self: object, bodies: unknown[]) => {
      if (paused) return;
      const queue = queueNames.get(self) ?? "queue";
      tally.queues[queue] ??= { sends: 0, messages: 0, bytes: 0, bySource: {} };
      const q = tally.queues[queue]!;
      const sender = running.getStore()?.className ?? "Worker";
      q.sends++;
      for (const body of bodies) {
        q.messages++;
        q.bytes += sizeOf(body);
        const kind = body && typeof body === "object" && "kind" in body ? String((body as { kind: unknown }).kind) : typeof body;
        q.bySource[`${sender} ${kind}`] = (q.bySource[`${sender} ${kind}`] ?? 0) + 1;
      }
    };
    patchMethod(
      proto,
      "send",
      (original) =>
        function (this: object, ...args: unknown[]) {
          count(this, [args[0]]);
          return original.apply(this, args);
        },
    );
    patchMethod(
      proto,
      "sendBatch",
      (original) =>
        function (this: object, ...args: unknown[]) {
          const batch = [...(args[0] as Iterable<{ body: unknown }>)];
          count(
            this,
            batch.map((m) => m.body),
          );
          return original.apply(this, [batch, ...args.slice(1)]);
        },
    );
  }
}

function sizeOf(body: unknown): number {
  try {
    return typeof body === "string" ? body.length : JSON.stringify(body).length;
  } catch {
    return 0;
  }
}

type DurableObjectClass = new (ctx: DurableObjectState, env: never) => object;

/**
 * A subclass of a Durable Object class that counts the requests its instances receive and
 * attributes their storage calls to it. Every method of the class's prototype chain (below the
 * runtime's DurableObject base) is wrapped: RPC methods, fetch, alarm, webSocket*.
 */
export function meterClass<C extends DurableObjectClass>(Base: C, className: string): C {
  const Metered = class extends (Base as DurableObjectClass) {
    constructor(ctx: DurableObjectState, env: never) {
      registerStorage(ctx, className);
      patchQueues(env as Record<string, unknown>);
      classTally(className).objects++;
      super(ctx, env);
    }
  };
  const seen = new Set<string>(["constructor"]);
  for (let proto = Base.prototype as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    // The runtime's base class (cloudflare:workers DurableObject) has no methods of ours.
    if (proto.constructor?.name === "DurableObject" || proto.constructor?.name === "DurableObjectBase") break;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (seen.has(name)) continue;
      seen.add(name);
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (!descriptor || typeof descriptor.value !== "function") continue;
      const original = descriptor.value as (...args: unknown[]) => unknown;
      Object.defineProperty(Metered.prototype, name, {
        ...descriptor,
        value: function (this: object, ...args: unknown[]) {
          if (running.getStore()?.self === this) return original.apply(this, args);
          const t = classTally(className);
          if (!paused) {
            t.requests++;
            t.byMethod[name] = (t.byMethod[name] ?? 0) + 1;
            if (name === "alarm") t.alarms++;
          }
          const started = Date.now();
          return running.run({ self: this, className }, () => {
            const result = original.apply(this, args);
            if (result instanceof Promise) {
              return result.finally(() => {
                classTally(className).handlerMs += Date.now() - started;
              });
            }
            return result;
          });
        },
      });
    }
  }
  // The probe RPC (calibrate()): runs in a throwaway object of this class.
  Object.defineProperty(Metered.prototype, "__meterCalibrate", {
    value: function (this: { ctx: DurableObjectState }): Calibration {
      return measureKvRows(this.ctx.storage.sql);
    },
  });
  Object.defineProperty(Metered, "name", { value: className });
  return Metered as unknown as C;
}

/**
 * What one KV put or delete writes, measured with the statements the runtime runs on its hidden
 * _cf_KV table (workerd src/workerd/util/sqlite-kv.h) against a table of the same shape, with
 * the runtime's rowsWritten meter; and, for reference, a text key on a rowid table.
 */
function measureKvRows(sql: SqlStorage): Calibration {
  paused = true;
  try {
    const create = sql.exec("CREATE TABLE IF NOT EXISTS meter_probe_kv (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID").rowsWritten;
    sql.exec("CREATE TABLE IF NOT EXISTS meter_probe_rowid (key TEXT PRIMARY KEY, value BLOB)");
    const key = `k${Date.now()}${Math.random()}`;
    const put = "INSERT INTO meter_probe_kv VALUES (?, ?) ON CONFLICT DO UPDATE SET value = excluded.value";
    const insert = sql.exec(put, key, new Uint8Array(64)).rowsWritten;
    const update = sql.exec(put, key, new Uint8Array(80)).rowsWritten;
    const remove = sql.exec("DELETE FROM meter_probe_kv WHERE key = ?", key).rowsWritten;
    const rowid = sql.exec("INSERT INTO meter_probe_rowid VALUES (?, ?)", key, new Uint8Array(64)).rowsWritten;
    return { kvTableRowsWrittenOnInsert: insert, kvTableRowsWrittenOnUpdate: update, kvTableRowsWrittenOnDelete: remove, rowidTextKeyInsert: rowid, createTable: create };
  } finally {
    paused = false;
  }
}

interface Handlers {
  fetch?: (request: Request, env: never, ctx: ExecutionContext) => Response | Promise<Response>;
  queue?: (batch: MessageBatch, env: never, ctx: ExecutionContext) => void | Promise<void>;
  scheduled?: (controller: ScheduledController, env: never, ctx: ExecutionContext) => void | Promise<void>;
}

/** The Worker's default export, counted, with the /__meter routes in front. */
export function meterEntry(inner: Handlers, probeClass: string): Handlers {
  const handlers: Handlers = {
    async fetch(request, env, ctx) {
      patchQueues(env as Record<string, unknown>);
      const url = new URL(request.url);
      if (url.pathname.startsWith("/__meter")) return meterRoute(request, url, env as Record<string, unknown>, probeClass);
      if (!url.pathname.startsWith("/__bench") && !paused) tally.worker.fetches++;
      return inner.fetch!(request, env, ctx);
    },
  };
  if (inner.queue) {
    handlers.queue = async (batch, env, ctx) => {
      patchQueues(env as Record<string, unknown>);
      tally.worker.queueInvocations++;
      tally.consumer.batches++;
      tally.consumer.messages += batch.messages.length;
      patchMessages(batch);
      try {
        await inner.queue!(batch, env, ctx);
      } catch (err) {
        tally.consumer.failedBatches++;
        throw err;
      }
    };
  }
  if (inner.scheduled) {
    handlers.scheduled = (controller, env, ctx) => {
      patchQueues(env as Record<string, unknown>);
      tally.worker.scheduled++;
      return inner.scheduled!(controller, env, ctx);
    };
  }
  return handlers;
}

function patchMessages(batch: MessageBatch): void {
  const first = batch.messages[0] as object | undefined;
  if (first) {
    const proto = Object.getPrototypeOf(first) as object;
    if (!patched.has(proto)) {
      patched.add(proto);
      patchMethod(
        proto,
        "retry",
        (original) =>
          function (this: object, ...args: unknown[]) {
            tally.consumer.retries++;
            return original.apply(this, args);
          },
      );
      patchMethod(
        proto,
        "ack",
        (original) =>
          function (this: object, ...args: unknown[]) {
            tally.consumer.acks++;
            return original.apply(this, args);
          },
      );
    }
  }
  const batchProto = Object.getPrototypeOf(batch) as object;
  if (!patched.has(batchProto)) {
    patched.add(batchProto);
    patchMethod(
      batchProto,
      "retryAll",
      (original) =>
        function (this: MessageBatch, ...args: unknown[]) {
          tally.consumer.retries += this.messages.length;
          return original.apply(this, args);
        },
    );
  }
}

async function meterRoute(request: Request, url: URL, env: Record<string, unknown>, probeClass: string): Promise<Response> {
  if (url.pathname === "/__meter/reset" && request.method === "POST") {
    tally = newTally();
    tally.calibration = calibration;
    unattributed = 0;
    return Response.json({ ok: true });
  }
  if (url.pathname === "/__meter/calibrate" && request.method === "POST") {
    // A throwaway object of a class with SQLite storage, named so no call ever uses it.
    const namespace = env[probeClass] as DurableObjectNamespace | undefined;
    if (!namespace) return Response.json({ error: `no binding ${probeClass}` }, { status: 500 });
    const stub = namespace.get(namespace.idFromName(`__meter_probe_${crypto.randomUUID()}`)) as unknown as { __meterCalibrate(): Promise<Calibration> };
    paused = true;
    try {
      calibration = await stub.__meterCalibrate();
    } finally {
      paused = false;
    }
    tally = newTally();
    tally.calibration = calibration;
    return Response.json(calibration);
  }
  if (url.pathname === "/__meter") return Response.json({ ...tally, unattributed });
  return new Response("not found", { status: 404 });
}
