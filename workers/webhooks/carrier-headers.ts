import { boundedCarrierHeaders, type CarrierHeaders } from "../domain/carrier-headers";
import type { VoiceParams } from "./params";
import { readSessionData } from "./session-data";

/**
 * The carrier's SIP headers of a trunk-inbound call (SessionData.profile["trunk-sip-headers"]),
 * bounded; null when the request has none, or none usable. Whatever SessionData holds, this
 * never throws: odd headers must not cost the call its answer.
 */
export function carrierHeadersOf(params: Pick<VoiceParams, "SessionData">): CarrierHeaders | null {
  return boundedCarrierHeaders(readSessionData(params.SessionData).profile?.["trunk-sip-headers"]);
}
