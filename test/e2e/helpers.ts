import type { Page } from "playwright-core";
import { newSessionToken, post, voiceBody, type Target } from "../../scripts/lib/cloudonix-sim";

/** Picks an option of a Mantine Select/MultiSelect by typing into it, as a keyboard user would. */
export async function choose(page: Page, label: string | RegExp, option: string | RegExp): Promise<void> {
  const input = page
    .getByRole("combobox", { name: label })
    .or(page.getByRole("textbox", { name: label }))
    .first();
  await input.click();
  if (typeof option === "string") await input.fill(option);
  await page.getByRole("option", { name: option }).first().click();
}

export async function navigate(page: Page, name: string): Promise<void> {
  await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name, exact: true }).click();
}

/** A call that Cloudonix routes through us and an agent answers; it stays live until `end`. */
export async function startCall(target: Target, from: string, to: string): Promise<{ session: string; xml: string; end(): Promise<void> }> {
  const session = newSessionToken();
  const body = voiceBody(target, { from, to }, session);
  const routed = await post(target, "/api/webhooks/voice-application", body);
  if (routed.status !== 200) throw new Error(`voice-application answered ${routed.status}: ${routed.text}`);
  await post(target, "/api/webhooks/session-update", { token: session, status: "connected", domain: target.domain });
  return {
    session,
    xml: routed.text,
    end: async () => {
      await post(target, "/api/webhooks/session-update", { token: session, status: "completed", domain: target.domain });
      await post(target, "/api/webhooks/voice-application/dial-result?attempt=1", { ...body, DialCallStatus: "completed" });
    },
  };
}
