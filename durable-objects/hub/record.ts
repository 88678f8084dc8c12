import { log } from "../../workers/lib/log";
import type { EventMessage } from "../../workers/protocol/realtime";
import type { HubEvent } from "../hub-events";
import { isEventKey, isResend } from "../logic/hub-logic";
import { appendEvent } from "./event-ring";
import { registerEvent, writeRegistryEntry, type RegistryEntry } from "./live-calls";
import { streamPosition, writeStreamPosition, type StreamPosition } from "./streams";

/** Event names are "area.what" ("call.ended", "campaign.progress"): the live-call registry goes by the "call." area. */
export const EVENT_TYPE = /^[a-z][a-z_]*\.[a-z_.]+$/;

/**
 * Numbers and stores the new events after `seq`, inside publish's transaction; returns their
 * bodies and the last seq given. A batch is usually one call's events: its stream position and
 * its live-call row are read once and written once per batch, not per event.
 */
export function recordBatch(sql: SqlStorage, events: HubEvent[], seq: number): { bodies: string[]; seq: number } {
  const bodies: string[] = [];
  const streams = new Map<string, StreamPosition>();
  const calls = new Map<string, RegistryEntry>();
  for (const event of events) {
    if (!event || typeof event.type !== "string" || !EVENT_TYPE.test(event.type) || typeof event.data !== "object" || event.data === null) {
      log.warn("hub.malformed_event_dropped", { event: JSON.stringify(event)?.slice(0, 200) });
      continue;
    }
    if (event.key !== undefined && isEventKey(event.key)) {
      let stream = streams.get(event.key.stream);
      if (!stream) streams.set(event.key.stream, (stream = streamPosition(sql, event.key.stream)));
      if (isResend(event.key, stream.seen)) continue;
      stream.seen = event.key.seq;
      stream.changed = true;
    }
    const at = Number.isFinite(event.at) ? event.at : Date.now();
    const message: EventMessage = { type: event.type, seq: ++seq, at, data: event.data };
    const body = JSON.stringify(message);
    appendEvent(sql, message.seq, at, body);
    registerEvent(sql, calls, event, at);
    bodies.push(body);
  }
  const now = Date.now();
  // A call's stream position is written with its live or ended row: one row per call per batch.
  for (const [callId, entry] of calls) {
    if (!entry.write) continue;
    const streamSeq = streams.get(callId)?.seen ?? null;
    streams.delete(callId);
    writeRegistryEntry(sql, callId, entry, streamSeq, now);
  }
  for (const [name, stream] of streams) if (stream.changed) writeStreamPosition(sql, name, stream, now);
  return { bodies, seq };
}
