/**
 * What we use of a voice request's `SessionData`, Cloudonix's full session object. It is read
 * leniently: a malformed or missing SessionData never costs a call its answer.
 */
export interface SessionDataFacts {
  /** Cloudonix's numeric session id; session updates and CDRs may name the call by it alone. */
  id: number | null;
  /** When Cloudonix started the call (epoch ms). */
  callStartTime: number | null;
  /** SessionData.profile (carrier headers, trunk name, …), when it is an object. */
  profile: Record<string, unknown> | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function readSessionData(value: unknown): SessionDataFacts {
  if (!isObject(value)) return { id: null, callStartTime: null, profile: null };
  const id = typeof value.id === "string" && /^\d+$/.test(value.id) ? Number(value.id) : value.id;
  const start = typeof value.callStartTime === "string" && /^\d+$/.test(value.callStartTime) ? Number(value.callStartTime) : value.callStartTime;
  return {
    id: typeof id === "number" && Number.isSafeInteger(id) && id >= 0 ? id : null,
    callStartTime: typeof start === "number" && Number.isFinite(start) && start > 0 ? start : null,
    profile: isObject(value.profile) ? value.profile : null,
  };
}
