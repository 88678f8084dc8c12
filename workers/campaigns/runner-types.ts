import type { AttemptOutcome } from "./retry";
import type { CallingWindow, CampaignStatus, RetryPolicy } from "./types";

/*
 * What crosses between the Worker and a campaign's Durable Object (CampaignRunner). Every field
 * added later is optional, so a Worker and an object of different releases understand each other.
 */

/** The campaign's settings as the runner dials by them; the Worker sends them on start and every change. */
export interface RunnerConfig {
  tenantId: string;
  campaignId: string;
  name: string;
  target: { type: "agent" | "group"; id: string };
  callerId: string;
  /** The trunk's name in Cloudonix, sent as `trunk`; null = Cloudonix's own route. */
  trunk: string | null;
  timezone: string;
  window: CallingWindow;
  maxConcurrent: number;
  callsPerMinute: number;
  ringTimeoutSec: number;
  retry: RetryPolicy;
  /** The tenant's Cloudonix domain and API key (still encrypted; the runner decrypts it to dial). */
  domain: string;
  apiKeyEnc: string;
  /** The tenant's callback token (encrypted): session updates come back to its callback URL. */
  callbackTokenEnc: string;
  /** The Worker's public origin, for the voice application and callback URLs. */
  baseUrl: string;
  /**
   * The provider accounts whose slots the campaign's answered calls take: those of the target's
   * enabled agents, when every one of them has an account (cap as configured). The runner dials no
   * more people than these have free slots. Absent or null: some agent has no account, and its
   * calls are capped by nothing but the campaign's own limits (nor are accounts asked).
   */
  accounts?: TargetAccount[] | null;
}

export interface TargetAccount {
  id: string;
  cap: number;
}

export interface CampaignProgress {
  status: CampaignStatus;
  /** Why the runner paused itself (e.g. Cloudonix refused the API key), else null. */
  lastError: string | null;
  contacts: number;
  /** Contacts on the tenant's do-not-call list: never dialled. */
  doNotCall: number;
  /** Contacts still to be called (their first attempt or a retry), not counting those in a call now. */
  remaining: number;
  /** Contacts done, by their final outcome. */
  reached: number;
  exhausted: { busy: number; noAnswer: number; failed: number };
  /** Dial attempts, by outcome. */
  dialled: number;
  answered: number;
  busy: number;
  noAnswer: number;
  failed: number;
  inProgress: number;
  maxConcurrent: number;
  callsPerMinute: number;
  /** Calls placed in the last 60 seconds. */
  ratePerMinute: number;
  /**
   * Slots of the target's provider accounts left for this campaign's new calls at its last look
   * (free slots less its own calls that will take one: ringing, or answered without a slot yet); null when its agents' accounts do not limit it.
   */
  accountFree?: number | null;
  /** The accounts' free slots, not the campaign's own limits, held back its last dials (inbound calls use them). */
  heldByAccount?: boolean;
  startedAt: number | null;
  finishedAt: number | null;
  /** The runner's clock (epoch ms): the real one, unless a test moved it. */
  now: number;
}

export interface ContactResult {
  id: number;
  number: string;
  timezone: string | null;
  variables: Record<string, string>;
  state: "pending" | "in_flight" | "done" | "dnc";
  result: AttemptOutcome | null;
  attempts: AttemptResult[];
}

export interface AttemptResult {
  n: number;
  state: "placing" | "ringing" | "answered" | "ended";
  outcome: AttemptOutcome | null;
  /** Cloudonix's session token of the call. */
  token: string | null;
  callKey: string | null;
  placedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  detail: string | null;
}

/** What the voice webhook needs to connect an answered contact. */
export type CampaignConnect = { ok: true; campaignId: string; name: string; target: { type: "agent" | "group"; id: string }; contactId: number; number: string; variables: Record<string, string> } | { ok: false; reason: string };
