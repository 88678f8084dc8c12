import { hangupCxml, rejectCxml, renderCxml, type CxmlVerb, type DialAttrs, type DialNoun } from "../domain/cxml";
import type { ContextEntry } from "../domain/call-context";
import { waitAnnouncement, type WaitRoom } from "../domain/overflow";
import type { EndAction } from "./plan-types";

/*
 * The CXML of one step of a call: dialling a target of any kind, or ending the call. Pure, so
 * real calls and Explain render alike; a password arrives decrypted (real calls) or not at all
 * (Explain, which never shows one).
 */

/** Ring time before Cloudonix gives up on an agent or trunk and calls the Dial action. */
export const DIAL_TIMEOUT_SECONDS = 30;

/** Everything Cloudonix can be told to dial, by kind (see domain/providers.ts AgentKind). */
export type DialTarget =
  | { kind: "service"; provider: string; number: string; username: string | null }
  | { kind: "sip"; uri: string; username: string | null }
  | { kind: "stream"; url: string }
  /** A person, PBX or call centre; `trunk` is the Cloudonix trunk name, null = Cloudonix chooses. */
  | { kind: "number"; number: string; trunk: string | null; callerId?: string | null };

export interface DialOptions {
  actionUrl: string;
  /** Decrypted credentials' password, for service and SIP targets that have one. */
  password?: string;
  /** Maximum call seconds (Dial timeLimit); null = none. */
  timeLimitSec: number | null;
  /** Headers for a Dial, stream parameters for a WebSocket agent. */
  context: readonly ContextEntry[];
}

/** What is dialled, as text: the number, URI or URL. */
export function targetAddress(target: DialTarget): string {
  return target.kind === "sip" ? target.uri : target.kind === "stream" ? target.url : target.number;
}

/** `query`: more parameters the action must carry (a campaign call's campaign and contact). */
export function dialResultUrl(baseUrl: string, attempt: number, query?: string | null): string {
  return `${baseUrl}/api/webhooks/voice-application/dial-result?attempt=${attempt}${query ? `&${query}` : ""}`;
}

/**
 * A WebSocket agent is reached with <Connect><Stream>, whose `action` Cloudonix calls when the
 * stream ends; everything else with <Dial>, whose `action` reports the leg's outcome. Headers go
 * before the target noun, as Cloudonix requires.
 */
export function dialCxml(target: DialTarget, options: DialOptions): string {
  if (target.kind === "stream") {
    const connect: CxmlVerb = { verb: "Connect", action: options.actionUrl, method: "POST", stream: { url: target.url, parameters: [...options.context] } };
    return renderCxml([connect]);
  }
  const attrs: DialAttrs = { action: options.actionUrl, method: "POST", timeout: DIAL_TIMEOUT_SECONDS, timeLimit: options.timeLimitSec ?? undefined };
  const credentials = { username: "username" in target ? (target.username ?? undefined) : undefined, password: options.password };
  let noun: DialNoun;
  switch (target.kind) {
    case "service":
      noun = { noun: "Service", provider: target.provider, number: target.number, ...credentials };
      break;
    case "sip":
      noun = { noun: "Sip", uri: target.uri, ...credentials };
      break;
    case "number":
      if (target.trunk) attrs.trunks = target.trunk;
      if (target.callerId) attrs.callerId = target.callerId;
      noun = { noun: "Number", number: target.number };
      break;
  }
  const headers: DialNoun[] = options.context.map((h) => ({ noun: "Header", name: h.name, value: h.value }));
  return renderCxml([{ verb: "Dial", attrs, nouns: [...headers, noun] }]);
}

/** The URL a waiting caller is sent back to: `poll` numbers the try, so a repeat is answered alike. */
export function waitPollUrl(baseUrl: string, poll: number, query?: string | null): string {
  return `${baseUrl}/api/webhooks/voice-application/wait?poll=${poll}${query ? `&${query}` : ""}`;
}

/**
 * One turn in a waiting room: the message when the caller joins, then the hold music (its
 * length is the wait before the next try) or a pause of `retrySec`, then back to us.
 */
export function waitCxml(room: WaitRoom, turn: { position: number; first: boolean; redirectUrl: string }): string {
  const verbs: CxmlVerb[] = [];
  const text = turn.first ? waitAnnouncement(room, turn.position) : null;
  if (text) verbs.push({ verb: "Say", text, voice: room.voice, language: room.language });
  verbs.push(room.playUrl ? { verb: "Play", url: room.playUrl } : { verb: "Pause", length: room.retrySec });
  verbs.push({ verb: "Redirect", url: turn.redirectUrl, method: "POST" });
  return renderCxml(verbs);
}

export function endCxml(action: EndAction): string {
  switch (action.type) {
    case "hangup":
      return hangupCxml;
    case "reject":
      return rejectCxml(action.reason);
    case "announcement": {
      const say: CxmlVerb = { verb: "Say", text: action.text, voice: action.voice, language: action.language };
      return renderCxml([say, { verb: "Hangup" }]);
    }
  }
}
