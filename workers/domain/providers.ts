/*
 * The AI voice-agent platforms Cloudonix can dial with <Dial><Service provider="…">. Ids are
 * Cloudonix's own strings (cloudonix/REFERENCE.md §3.2); ids are lower-case, and `11labs` is
 * accepted as an alias of `elevenlabs`, which is what we store and emit.
 */

/** What the text of <Service> must be for a provider. */
export type ValueKind = "e164" | "sip_uri";

export interface Provider {
  id: string;
  name: string;
  valueKind: ValueKind;
  help: string;
}

const NUMBER_HELP = "the agent's phone number in E.164 form (e.g. +12125550123), as registered for the agent in";

function provider(id: string, name: string, platform = name, note = ""): Provider {
  return { id, name, valueKind: "e164", help: `${NUMBER_HELP} ${platform}${note ? ` (${note})` : ""}` };
}

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
const SIP_URI = /^sips?:[^\s@<>"]+@[A-Za-z0-9.-]+(:\d{1,5})?(;[^\s<>"]*)?$/i;

/**
 * The service value in the form Cloudonix expects: E.164 numbers lose spaces, dashes, dots
 * and brackets and gain a leading "+" (what people paste: "+1 (212) 555-0123", "12125550123").
 */
export function normaliseServiceValue(providerId: string, value: string): Normalised {
  const found = findProvider(providerId);
  if (!found) return { ok: false, error: `unknown provider "${providerId}"; GET /api/providers lists the valid ones` };
  const trimmed = value.trim();
  if (found.valueKind === "sip_uri") {
    return SIP_URI.test(trimmed) ? { ok: true, value: trimmed } : { ok: false, error: `${found.name} needs a SIP URI like sip:agent@sip.example.com, got "${trimmed}"` };
  }
  const compact = trimmed.replace(/[\s().-]/g, "");
  const withPlus = compact.startsWith("+") ? compact : compact.startsWith("00") ? `+${compact.slice(2)}` : `+${compact}`;
  if (!E164.test(withPlus)) {
    return {
      ok: false,
      error: `${found.name} needs the agent's phone number in E.164 form: "+", country code and number, 7 to 15 digits (e.g. +12125550123); got "${trimmed}"`,
    };
  }
  return { ok: true, value: withPlus };
}

/** An error message saying what is wrong with the value for this provider, or null if it is valid. */
export function validateServiceValue(providerId: string, value: string): string | null {
  const result = normaliseServiceValue(providerId, value);
  return result.ok ? null : result.error;
}
