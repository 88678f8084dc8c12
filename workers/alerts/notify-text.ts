/*
 * What a Slack-compatible incoming webhook receives: {"text": "…"}. Names in it are the
 * tenant's own text, so Slack's control sequences are escaped (&, <, >): a group called
 * "<!channel>" must not page a whole workspace.
 */

export const slackEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export interface AlertNotice {
  state: "fired" | "resolved";
  /** A repeat of a still-open alert, after its cooldown. */
  repeat: boolean;
  ruleName: string | null;
  message: string;
  tenantName?: string | null;
}

export function slackPayload(notice: AlertNotice): { text: string } {
  const head = notice.state === "resolved" ? ":white_check_mark: Resolved" : notice.repeat ? ":rotating_light: Still firing" : ":rotating_light: Alert";
  const rule = notice.ruleName ? ` (${slackEscape(notice.ruleName)})` : "";
  const tenant = notice.tenantName ? ` [${slackEscape(notice.tenantName)}]` : "";
  return { text: `${head}${tenant}${rule}: ${slackEscape(notice.message)}` };
}

/** Whether an open alert may be notified again: at most once per cooldown. */
export function cooldownOver(lastNotifiedAt: Date | null, cooldownMinutes: number, now: Date): boolean {
  return lastNotifiedAt === null || now.getTime() - lastNotifiedAt.getTime() >= cooldownMinutes * 60_000;
}

/** The share of failed attempts as a percentage, or null when there are too few to judge. */
export function failurePct(attempts: number, failed: number, minAttempts: number): number | null {
  if (attempts < Math.max(1, minAttempts)) return null;
  return Math.round((failed / attempts) * 1000) / 10;
}
