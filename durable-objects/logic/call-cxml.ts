import { hangupCxml, rejectCxml, renderCxml, type CxmlVerb } from "../../workers/domain/cxml";
import type { EndAction, PlanAgent, PlanTrunk, TrunkStage } from "../../workers/routing/decide";

/** Ring time before Cloudonix gives up on an agent or trunk and calls the Dial action. */
export const DIAL_TIMEOUT_SECONDS = 30;

export function dialResultUrl(baseUrl: string, attempt: number): string {
  return `${baseUrl}/api/webhooks/voice-application/dial-result?attempt=${attempt}`;
}

/** An AI agent: `<Service provider>` for numbers, `<Sip>` when the agent is a SIP URI. */
export function agentDialCxml(agent: PlanAgent, password: string | undefined, actionUrl: string): string {
  const credentials = { username: agent.username ?? undefined, password };
  const noun = /^sips?:/i.test(agent.serviceValue) ? ({ noun: "Sip", uri: agent.serviceValue, ...credentials } as const) : ({ noun: "Service", provider: agent.provider, number: agent.serviceValue, ...credentials } as const);
  return renderCxml([{ verb: "Dial", attrs: { action: actionUrl, method: "POST", timeout: DIAL_TIMEOUT_SECONDS }, nouns: [noun] }]);
}

/**
 * A trunk: `<Dial trunks callerId><Number>`. The callerId is the trunk's override, else the
 * caller's number, stated in E.164 when it is a full number: left out, Cloudonix would present
 * it as the endpoint sent it, often without the "+" that carriers expect.
 */
export function trunkDialCxml(stage: Pick<TrunkStage, "destination" | "callerId">, trunk: PlanTrunk, actionUrl: string): string {
  const { destination } = stage;
  return renderCxml([
    {
      verb: "Dial",
      attrs: { action: actionUrl, method: "POST", timeout: DIAL_TIMEOUT_SECONDS, trunks: trunk.name, callerId: trunk.callerIdOverride ?? stage.callerId ?? undefined },
      // As planned (numbers.ts presentedNumber): a full number in E.164, an extension or a
      // national number as dialled, never with a "+" guessed in front.
      nouns: [{ noun: "Number", number: destination }],
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
