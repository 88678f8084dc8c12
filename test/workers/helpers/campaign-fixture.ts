import { env } from "cloudflare:workers";
import type { Behaviour } from "../../../scripts/lib/standin/model";
import { WEEKDAYS, type TimeInterval, type WeeklyHours } from "../../../workers/domain/schedules";
import { createAgent, createTenantFixture, type TenantFixture } from "./fixtures";
import { configureStandIn } from "./standin";

export interface CampaignWorld {
  t: TenantFixture;
  agents: any[];
  group: any;
  account: any | null;
  callbackToken: string;
}

/**
 * A tenant ready to run campaigns against the Cloudonix stand-in: its Cloudonix API key, its
 * callback URLs, `agents` agents in one group (in a provider account with `accountCap` slots,
 * when given), and its domain known to the stand-in (relayed to this test's Worker).
 */
export async function campaignWorld(options: { agents?: number; accountCap?: number; behaviour?: Partial<Behaviour> } = {}): Promise<CampaignWorld> {
  const t = await createTenantFixture("cmp");
  const key = await t.asAdmin("PUT", "/api/tenant", { cloudonixApiKey: `XI${crypto.randomUUID().replace(/-/g, "")}` });
  if (key.status !== 200) throw new Error(`setting the API key failed: ${key.status} ${JSON.stringify(key.body)}`);
  const urls = (await t.asAdmin("POST", "/api/tenant/callback-token", {})).body.callbackUrls;
  const callbackToken = decodeURIComponent(/\/c\/([^/]+)\/cdr$/.exec(urls.cdr)![1]!);
  const account = options.accountCap ? (await t.asAdmin("POST", "/api/provider-accounts", { name: "Vapi production", maxConcurrentCalls: options.accountCap })).body : null;
  const agents = await Promise.all(Array.from({ length: options.agents ?? 3 }, (_, i) => createAgent(t, { name: `agent-${i + 1}`, provider: "vapi", serviceValue: `+1212555${String(2000 + i)}`, ...(account ? { providerAccountId: account.id } : {}) })));
  const group = (await t.asAdmin("POST", "/api/agent-groups", { name: "callers", maxAttempts: 2, members: agents.map((a) => ({ agentId: a.id })) })).body;
  await configureStandIn(t.domain, { behaviour: { answer: 60, busy: 20, noAnswer: 10, failed: 10, outcomes: {}, rateLimit: null, ...options.behaviour }, profile: { "authorization-api-key": t.requestKey, "cdr-endpoint": urls.cdr } });
  return { t, agents, group, account, callbackToken };
}

/** Every day, all day: a window that never closes. */
export const ALWAYS = everyDay({ open: "00:00", close: "24:00" });

/** The same hours every day of the week. */
export function everyDay(interval: TimeInterval): WeeklyHours {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, [interval]])) as WeeklyHours;
}

export function contactsCsv(numbers: readonly string[], extra: (i: number) => Record<string, string> = () => ({})): string {
  const rows = numbers.map((n, i) => ({ phone: n, ...extra(i) }));
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [columns.join(","), ...rows.map((r) => columns.map((c) => (r as Record<string, string>)[c] ?? "").join(","))].join("\n");
}

export const runnerOf = (tenantId: string, campaignId: string) => env.CAMPAIGN_RUNNER.getByName(`${tenantId}:${campaignId}`);
