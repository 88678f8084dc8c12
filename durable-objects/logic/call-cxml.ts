import { hangupCxml, rejectCxml, renderCxml, type CxmlVerb } from "../../workers/domain/cxml";
import type { EndAction, PlanAgent } from "../../workers/routing/decide";

/** Ring time before Cloudonix gives up on an agent or trunk and calls the Dial action. */
export const DIAL_TIMEOUT_SECONDS = 30;

export function dialResultUrl(baseUrl: string, attempt: number): string {
  return `${baseUrl}/api/webhooks/voice-application/dial-result?attempt=${attempt}`;
}

/** An AI agent: `<Service provider>` for numbers, `<Sip>` when the agent is a SIP URI. */
export function agentDialCxml(agent: PlanAgent, password: string | undefined, actionUrl: string): string {
  const credentials = { username: agent.username ?? undefined, password };
  const noun = /^sips?:/i.test(agent.serviceValue)
    ? ({ noun: "Sip", uri: agent.serviceValue, ...credentials } as const)
    : ({ noun: "Service", provider: agent.provider, number: agent.serviceValue, ...credentials } as const);
  return renderCxml([{ verb: "Dial", attrs: { action: actionUrl, method: "POST", timeout: DIAL_TIMEOUT_SECONDS }, nouns: [noun] }]);
}

export function trunkDialCxml(trunkName: string, destination: string, callerId: string | null, actionUrl: string): string {
  return renderCxml([
    {
      verb: "Dial",
      attrs: { action: actionUrl, method: "POST", timeout: DIAL_TIMEOUT_SECONDS, trunks: trunkName, callerId: callerId ?? undefined },
      nouns: [{ noun: "Number", number: destination.startsWith("+") || !/^\d+$/.test(destination) ? destination : `+${destination}` }],
    },
  ]);
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
