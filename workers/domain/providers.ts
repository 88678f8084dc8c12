/*
 * What an agent can be, as a catalogue: the AI voice-agent platforms Cloudonix dials with
 * <Dial><Service provider="…"> (ids are Cloudonix's own strings, lower-case; `11labs` is accepted
 * as an alias of `elevenlabs`, which is what we store and emit), plus three kinds that are not a
 * Cloudonix service: any SIP URI (<Dial><Sip>), a WebSocket agent (<Connect><Stream>), and a
 * phone number (<Dial><Number>, a person, a PBX or a call centre, out through a trunk).
 */

/** What an agent's service value must look like. */
export type ValueKind = "e164" | "sip_uri" | "wss_url" | "phone";

/** How Cloudonix reaches the agent, which decides the CXML. */
export type AgentKind = "service" | "sip" | "stream" | "number";

export interface Provider {
  id: string;
  name: string;
  kind: AgentKind;
  valueKind: ValueKind;
  help: string;
}

const NUMBER_HELP = "the agent's phone number in E.164 form (e.g. +12125550123), as registered for the agent in";

function provider(id: string, name: string, platform = name, note = ""): Provider {
  return { id, name, kind: "service", valueKind: "e164", help: `${NUMBER_HELP} ${platform}${note ? ` (${note})` : ""}` };
}

/** The agent kinds that are not a Cloudonix service provider; their ids are ours. */
export const SIP_PROVIDER = "sip";
export const STREAM_PROVIDER = "websocket";
export const NUMBER_PROVIDER = "phone";

export const PROVIDERS: readonly Provider[] = [
  provider("retell", "Retell AI"),
  provider("retell-udp", "Retell AI (UDP)", "Retell AI", "SIP over UDP"),
  provider("retell-tcp", "Retell AI (TCP)", "Retell AI", "SIP over TCP"),
  provider("retell-tls", "Retell AI (TLS)", "Retell AI", "SIP over TLS"),
  provider("vapi", "Vapi"),
  provider("vapi-udp", "Vapi (UDP)", "Vapi", "SIP over UDP"),
  provider("vapi-noproxy", "Vapi (no proxy)", "Vapi", "direct, without Cloudonix's SIP proxy"),
  provider("elevenlabs", "ElevenLabs"),
  provider("synthflow", "Synthflow"),
  provider("dasha", "Dasha"),
  provider("superdash.ai", "SuperDash"),
  provider("ultravox", "Ultravox"),
  provider("deepvox", "Deepvox"),
  provider("deepvox-sandbox", "Deepvox (sandbox)", "Deepvox", "sandbox environment"),
  provider("relayhawk", "RelayHawk"),
  provider("voicehub", "VoiceHub"),
  provider("fonio", "fonio.ai"),
  provider("sigmamind", "SigmaMind AI"),
  provider("modon", "Modon"),
  provider("modon-sandbox", "Modon (sandbox)", "Modon", "sandbox environment"),
  provider("puretalk", "PureTalk"),
  provider("puretalk-tcp", "PureTalk (TCP)", "PureTalk", "SIP over TCP"),
  provider("millis-us", "Millis AI (US)", "Millis AI", "US region"),
  provider("millis-eu", "Millis AI (EU)", "Millis AI", "EU region"),
  provider("rapida", "Rapida"),
  provider("smallest", "Smallest.ai"),
  provider("call2me", "Call2Me"),
  provider("call2me-tcp", "Call2Me (TCP)", "Call2Me", "SIP over TCP"),
  provider("call2me-tls", "Call2Me (TLS)", "Call2Me", "SIP over TLS"),
  provider("revring", "RevRing"),
  provider("x", "xAI", "xAI (Grok voice)"),
  provider("openai", "OpenAI", "OpenAI (Realtime SIP)"),
  provider("vogent", "Vogent"),
  provider("omnidim.im", "OmniDimension"),
  provider("ringg", "Ringg AI"),
  provider("ringg-tcp", "Ringg AI (TCP)", "Ringg AI", "SIP over TCP"),
  provider("ringg-tls", "Ringg AI (TLS)", "Ringg AI", "SIP over TLS"),
  provider("vomyra", "Vomyra"),
  provider("telnyx", "Telnyx"),
  provider("telnyx-udp", "Telnyx (UDP)", "Telnyx", "SIP over UDP"),
  provider("telnyx-tcp", "Telnyx (TCP)", "Telnyx", "SIP over TCP"),
  provider("telnyx-tls", "Telnyx (TLS)", "Telnyx", "SIP over TLS"),
  { id: SIP_PROVIDER, name: "SIP URI", kind: "sip", valueKind: "sip_uri", help: "any SIP agent's URI, e.g. sip:agent_42@sip.agent.example;transport=tls (credentials optional)" },
  { id: STREAM_PROVIDER, name: "WebSocket stream", kind: "stream", valueKind: "wss_url", help: "the agent's WebSocket URL (wss://…): Cloudonix streams the call's audio to it both ways" },
  { id: NUMBER_PROVIDER, name: "Phone number", kind: "number", valueKind: "phone", help: "a person, PBX or call centre: an E.164 number (+12125550123) or an extension, dialled through a trunk" },
];

/** Other spellings people use, mapped to Cloudonix's id. */
export const PROVIDER_ALIASES: Readonly<Record<string, string>> = { "11labs": "elevenlabs", xai: "x" };

const BY_ID = new Map(PROVIDERS.map((p) => [p.id, p]));

/** Cloudonix's id for a provider name as typed (any case, aliases allowed), or null if unknown. */
export function canonicalProviderId(id: string): string | null {
  const key = id.trim().toLowerCase();
  const canonical = PROVIDER_ALIASES[key] ?? key;
  return BY_ID.has(canonical) ? canonical : null;
}

/**
 * The id to put in <Service provider="…"> for a stored or typed provider: Cloudonix's id, or,
 * for an id this list does not know (yet), the id itself in lower case rather than a refusal.
 */
export function cxmlProviderId(id: string): string {
  return canonicalProviderId(id) ?? id.trim().toLowerCase();
}

export function findProvider(id: string): Provider | null {
  const canonical = canonicalProviderId(id);
  return canonical ? BY_ID.get(canonical)! : null;
}

export type Normalised = { ok: true; value: string } | { ok: false; error: string };

const E164 = /^\+[1-9]\d{6,14}$/;
/**
 * [user@]host[:port][;params]: the user part in SIP's unreserved/escaped characters and the
 * params as SIP tokens, so a stored URI can never carry quotes, angle brackets or spaces.
 */
const SIP_URI = /^sips?:([A-Za-z0-9\-_.!~*'()&=+$,;?/%]+@)?[A-Za-z0-9.-]+(:\d{1,5})?(;[A-Za-z0-9\-_.!~*'%]+(=[A-Za-z0-9\-_.!~*'%]+)?)*$/i;
const WSS_URL = /^wss:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*)?(\?[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*)?$/;
const EXTENSION = /^\d{2,8}$/;

/** The kind of agent a stored provider id makes (an unknown id is a service: Cloudonix decides). */
export function agentKindOf(providerId: string): AgentKind {
  return findProvider(providerId)?.kind ?? "service";
}

/** A SIP URI fit to put in <Sip> (and to store): null when it is not one. */
export function normaliseSipUri(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed.length > 512 || !SIP_URI.test(trimmed)) return null;
  return trimmed;
}

/** A number to dial as <Number>: E.164 (gaining a "+" and losing punctuation) or an extension. */
export function normalisePhone(value: string): string | null {
  const compact = value.trim().replace(/[\s().-]/g, "");
  if (EXTENSION.test(compact)) return compact;
  const withPlus = compact.startsWith("+") ? compact : compact.startsWith("00") ? `+${compact.slice(2)}` : `+${compact}`;
  return E164.test(withPlus) ? withPlus : null;
}

/**
 * The service value in the form Cloudonix expects: E.164 numbers lose spaces, dashes, dots
 * and brackets and gain a leading "+" (what people paste: "+1 (212) 555-0123", "12125550123").
 */
export function normaliseServiceValue(providerId: string, value: string): Normalised {
  const found = findProvider(providerId);
  if (!found) return { ok: false, error: `unknown provider "${providerId}"; GET /api/providers lists the valid ones` };
  const trimmed = value.trim();
  const shown = trimmed.length > 80 ? `${trimmed.slice(0, 80)}…` : trimmed;
  if (found.valueKind === "sip_uri") {
    const uri = normaliseSipUri(trimmed);
    return uri ? { ok: true, value: uri } : { ok: false, error: `${found.name} needs a SIP URI like sip:agent@sip.example.com;transport=tls (no spaces, quotes or angle brackets), got "${shown}"` };
  }
  if (found.valueKind === "wss_url") {
    return WSS_URL.test(trimmed) && trimmed.length <= 512 ? { ok: true, value: trimmed } : { ok: false, error: `${found.name} needs a secure WebSocket URL like wss://agent.example.com/stream, got "${shown}"` };
  }
  if (found.valueKind === "phone") {
    const number = normalisePhone(trimmed);
    return number ? { ok: true, value: number } : { ok: false, error: `${found.name} needs an E.164 number (+12125550123) or an extension of 2 to 8 digits, got "${shown}"` };
  }
  const compact = trimmed.replace(/[\s().-]/g, "");
  const withPlus = compact.startsWith("+") ? compact : compact.startsWith("00") ? `+${compact.slice(2)}` : `+${compact}`;
  if (!E164.test(withPlus)) {
    return {
      ok: false,
      error: `${found.name} needs the agent's phone number in E.164 form: "+", country code and number, 7 to 15 digits (e.g. +12125550123); got "${shown}"`,
    };
  }
  return { ok: true, value: withPlus };
}

/** An error message saying what is wrong with the value for this provider, or null if it is valid. */
export function validateServiceValue(providerId: string, value: string): string | null {
  const result = normaliseServiceValue(providerId, value);
  return result.ok ? null : result.error;
}
