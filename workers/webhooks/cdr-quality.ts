import { z } from "zod";
import { cappedText } from "../lib/storable";

/*
 * What a Cloudonix CDR says about a call besides its times: voice quality
 * (session.profile.qos), money, the answering-machine result, the recording and the route.
 * Every one of them is optional and none may cost us the CDR: a value we cannot read, or one
 * that cannot be true (a MOS of 7, a negative cost), is dropped, never refused, because
 * Cloudonix does not resend a CDR after a 4xx.
 */

/** The CDR's extra figures, each present only when it was reported and readable. */
export interface CdrQuality {
  /** Mean opinion score of what we received / sent, 1 to 5. */
  mosRx?: number;
  mosTx?: number;
  jitterMs?: number;
  /** Packet loss in percent, 0 to 100. */
  packetLossPct?: number;
  /** Cost as rated (else Cloudonix's approximate cost) and as sold, in the account's currency. */
  ratedCost?: number;
  sellCost?: number;
  /** Answering-machine detection: human, machine, notsure, … as Cloudonix words it. */
  amdResult?: string;
  /** Only an http(s) URL: the detail screen links to it. */
  recordingUrl?: string;
  cxTrunkId?: string;
  cxRoute?: string;
}

/** Column sizes of call_records (migration 0007): text is capped to them, a URL longer is dropped. */
export const QUALITY_TEXT_MAX = { amdResult: 40, recordingUrl: 1024, cxTrunkId: 64, cxRoute: 200 } as const;
/** decimal(14,6): the largest cost the column holds. */
export const MAX_COST = 99_999_999.999999;

const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** A finite number, from a number or a numeric string; anything else is undefined. */
export function numberOf(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" && NUMERIC.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

const within = (min: number, max: number) => (value: unknown) => {
  const n = numberOf(value);
  return n !== undefined && n >= min && n <= max ? n : undefined;
};

export const mosOf = within(1, 5);
export const jitterOf = within(0, Number.MAX_VALUE);
export const lossOf = within(0, 100);

/** A cost, rounded to the column's 6 decimals. */
export function costOf(value: unknown): number | undefined {
  const n = within(0, MAX_COST)(value);
  return n === undefined ? undefined : Math.round(n * 1e6) / 1e6;
}

/** Trimmed text (numbers as text), capped to `max`; empty is undefined. */
export function textOf(value: unknown, max: number): string | undefined {
  const raw = typeof value === "string" ? value : typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;
  const trimmed = raw?.trim();
  return trimmed ? cappedText(trimmed, max).text.trim() || undefined : undefined;
}

/** An absolute http(s) URL that fits its column, else undefined (a cut URL would lead nowhere). */
export function recordingUrlOf(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (!text || text.length > QUALITY_TEXT_MAX.recordingUrl) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? text : undefined;
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** AMD comes as a plain string or as an object carrying its result (or status). */
export function amdOf(value: unknown): string | undefined {
  if (isObject(value)) return textOf(value.result ?? value.status, QUALITY_TEXT_MAX.amdResult);
  return textOf(value, QUALITY_TEXT_MAX.amdResult);
}

/** A route as text, or an object naming it. */
function routeOf(value: unknown): string | undefined {
  if (isObject(value)) return textOf(value.name ?? value.id, QUALITY_TEXT_MAX.cxRoute);
  return textOf(value, QUALITY_TEXT_MAX.cxRoute);
}

/** The first of `keys` that reads as a value. */
function firstOf<T>(source: Record<string, unknown>, keys: string[], read: (v: unknown) => T | undefined): T | undefined {
  for (const key of keys) {
    const value = read(source[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The fields of a CDR this module reads, as they arrived (any shape). */
export interface RawCdrExtras {
  rated_cost?: unknown;
  approx_cost?: unknown;
  sell_cost?: unknown;
  recording_url?: unknown;
  cx_trunk_id?: unknown;
  route?: unknown;
  /** session.profile, where Cloudonix puts qos and amd. */
  profile?: unknown;
}

/**
 * The CDR's quality, cost, AMD, recording and route, normalised; undefined when none of them
 * was reported readably. A lone `mos` is taken as the receive side.
 */
export function cdrQuality(raw: RawCdrExtras): CdrQuality | undefined {
  const profile = isObject(raw.profile) ? raw.profile : {};
  const qos = isObject(profile.qos) ? profile.qos : {};
  const quality: CdrQuality = {
    mosRx: firstOf(qos, ["rx_mos", "mos_rx", "mos"], mosOf),
    mosTx: firstOf(qos, ["tx_mos", "mos_tx"], mosOf),
    jitterMs: firstOf(qos, ["jitter", "rx_jitter", "jitter_ms"], jitterOf),
    packetLossPct: firstOf(qos, ["loss", "packet_loss", "rx_loss"], lossOf),
    ratedCost: costOf(raw.rated_cost) ?? costOf(raw.approx_cost),
    sellCost: costOf(raw.sell_cost),
    amdResult: amdOf(profile.amd),
    recordingUrl: recordingUrlOf(raw.recording_url),
    cxTrunkId: textOf(raw.cx_trunk_id, QUALITY_TEXT_MAX.cxTrunkId),
    cxRoute: routeOf(raw.route),
  };
  const reported = Object.fromEntries(Object.entries(quality).filter(([, v]) => v !== undefined)) as CdrQuality;
  return Object.keys(reported).length ? reported : undefined;
}

/** Takes any value: these fields are read by cdrQuality, which drops what it cannot use. */
export const anyValue = (description: string) => z.unknown().optional().meta({ description });
