import { cxmlProviderId } from "./providers";

/**
 * A deliberately tiny CXML writer: only the verbs, nouns and attributes of Cloudonix CXML that the
 * router emits. Input is plain data, output one line of XML; every caller-controlled string
 * (From, display names, announcement text) goes through `escapeXml`, so nothing a caller sends
 * can add verbs to the answer.
 */

export type RejectReason = "rejected" | "busy" | "congestion" | "failed";

export interface DialAttrs {
  action?: string;
  method?: "GET" | "POST";
  callerId?: string;
  callerName?: string;
  /** Ring seconds. */
  timeout?: number;
  /** Cloudonix trunk selector (a trunk name). */
  trunks?: string;
  /** Maximum call seconds. */
  timeLimit?: number;
  record?: boolean | "record-from-answer" | "record-from-ringing" | "do-not-record";
}

export type DialNoun =
  | { noun: "Service"; provider: string; number: string; username?: string; password?: string }
  | { noun: "Number"; number: string }
  | { noun: "Sip"; uri: string; username?: string; password?: string }
  /** Must come before the target noun it applies to; the name must start with "X-". */
  | { noun: "Header"; name: string; value: string };

export type CxmlVerb =
  | { verb: "Dial"; attrs?: DialAttrs; nouns: DialNoun[] }
  | { verb: "Hangup" }
  | { verb: "Reject"; reason?: RejectReason }
  | { verb: "Say"; text: string; voice?: string; language?: string; loop?: number }
  | { verb: "Play"; url: string; loop?: number }
  | { verb: "Pause"; length?: number }
  | { verb: "Redirect"; url: string; method?: "GET" | "POST" }
  /**
   * A bidirectional audio stream to a WebSocket agent; the next verb runs when the stream ends.
   * `action` is called then (as a Dial's is), so the router learns that the leg ended.
   */
  | { verb: "Connect"; action?: string; method?: "GET" | "POST"; stream: { url: string; parameters: { name: string; value: string }[] } };

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

// Characters XML 1.0 forbids (C0 controls, lone surrogates, U+FFFE/U+FFFF) plus DEL and the C1
// controls, which are legal but only ever garbage in a phone call's metadata.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this removes.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Tab and line breaks become spaces: the output stays one line and words stay apart.
const LINE_CONTROLS = /[\t\n\r]/g;
const SPECIAL = /[&<>"']/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what makes a value need escaping.
const NEEDS_WORK = /[&<>"'\u0000-\u001F\u007F-\u009F\uD800-\uDFFF\uFFFE\uFFFF]/;
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Text safe both as element content and inside a double-quoted attribute. */
export function escapeXml(value: string): string {
  if (!NEEDS_WORK.test(value)) return value;
  return value
    .replace(FORBIDDEN, "")
    .replace(LINE_CONTROLS, " ")
    .replace(SPECIAL, (ch) => ENTITIES[ch] ?? "");
}

type AttrValue = string | number | boolean | undefined;

function attr(name: string, value: AttrValue): string {
  if (value === undefined) return "";
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new RangeError(`CXML attribute ${name} must be a finite number, got ${value}`);
  }
  return ` ${name}="${escapeXml(String(value))}"`;
}

function element(name: string, attrs: string, text: string | undefined): string {
  return text === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${escapeXml(text)}</${name}>`;
}

// A SIP header name is a token; anything else (a colon, a line break) would let a value forge headers.
const HEADER_NAME = /^X-[A-Za-z0-9\-.!%*_+`'~]+$/;

function renderNoun(noun: DialNoun): string {
  switch (noun.noun) {
    case "Service":
      return element("Service", attr("provider", cxmlProviderId(noun.provider)) + attr("username", noun.username) + attr("password", noun.password), noun.number);
    case "Number":
      return element("Number", "", noun.number);
    case "Sip":
      return element("Sip", attr("username", noun.username) + attr("password", noun.password), noun.uri);
    case "Header":
      if (!HEADER_NAME.test(noun.name)) {
        throw new Error(`CXML <Header> name ${JSON.stringify(noun.name)} must be "X-" followed by SIP token characters`);
      }
      return element("Header", attr("name", noun.name) + attr("value", noun.value), undefined);
  }
}

function renderDialAttrs(a: DialAttrs | undefined): string {
  if (!a) return "";
  return attr("action", a.action) + attr("method", a.method) + attr("callerId", a.callerId) + attr("callerName", a.callerName) + attr("timeout", a.timeout) + attr("trunks", a.trunks) + attr("timeLimit", a.timeLimit) + attr("record", a.record);
}

function renderVerb(v: CxmlVerb): string {
  switch (v.verb) {
    case "Dial": {
      let nouns = "";
      for (const noun of v.nouns) nouns += renderNoun(noun);
      return `<Dial${renderDialAttrs(v.attrs)}>${nouns}</Dial>`;
    }
    case "Hangup":
      return "<Hangup/>";
    case "Reject":
      return element("Reject", attr("reason", v.reason), undefined);
    case "Say":
      return element("Say", attr("voice", v.voice) + attr("language", v.language) + attr("loop", v.loop), v.text);
    case "Play":
      return element("Play", attr("loop", v.loop), v.url);
    case "Pause":
      return element("Pause", attr("length", v.length), undefined);
    case "Redirect":
      return element("Redirect", attr("method", v.method), v.url);
    case "Connect": {
      let parameters = "";
      for (const p of v.stream.parameters) parameters += element("Parameter", attr("name", p.name) + attr("value", p.value), undefined);
      return `<Connect${attr("action", v.action) + attr("method", v.method)}><Stream${attr("url", v.stream.url)}>${parameters}</Stream></Connect>`;
    }
  }
}

export function renderCxml(verbs: CxmlVerb[]): string {
  let body = "";
  for (const verb of verbs) body += renderVerb(verb);
  return `${XML_DECLARATION}<Response>${body}</Response>`;
}

export const hangupCxml: string = renderCxml([{ verb: "Hangup" }]);

const REJECTS: Record<RejectReason | "default", string> = {
  default: renderCxml([{ verb: "Reject" }]),
  rejected: renderCxml([{ verb: "Reject", reason: "rejected" }]),
  busy: renderCxml([{ verb: "Reject", reason: "busy" }]),
  congestion: renderCxml([{ verb: "Reject", reason: "congestion" }]),
  failed: renderCxml([{ verb: "Reject", reason: "failed" }]),
};

export function rejectCxml(reason?: RejectReason): string {
  // The own-property check guards a reason that came from stored JSON rather than typed code.
  const key = reason ?? "default";
  return Object.hasOwn(REJECTS, key) ? REJECTS[key] : REJECTS.default;
}
