// The simulator's summary: what it offered, to whom, and how each offer ended, so that a person
// can hold a run against the group's strategy and the router's health rule. Pure: the simulator
// collects the traces, this counts them; the router's answers are never re-derived from its code
// paths, except the health rule itself (durable-objects/logic/health.ts), which is replayed on the
// outcomes the simulator reported to predict when an agent was taken out.
import { recordOutcome, HEALTHY, type AgentHealth } from "../../durable-objects/logic/health";

export const DIAL_RESULTS = ["answered", "busy", "no-answer", "failed"] as const;
export type DialResult = (typeof DIAL_RESULTS)[number];

/** One <Dial> the router answered with, and what the simulator reported for it. */
export interface SimAttempt {
  /** What the CXML dialled ("retell +15550001", "sip …", "trunk …"). */
  target: string;
  /** When the CXML naming it arrived (epoch ms). */
  offeredAt: number;
  /** null when the run reported no result (--outcome none). */
  result: DialResult | null;
  /** When the result was sent (epoch ms); null with no result. */
  reportedAt: number | null;
}

export interface SimCall {
  /** The voice webhook's HTTP status; null when the request itself failed. */
  routeStatus: number | null;
  attempts: SimAttempt[];
}

export type CallEnd = "answered" | "failed" | "not-routed" | "error" | "unreported";

export interface AgentFigures {
  target: string;
  offered: number;
  firstOffers: number;
  answered: number;
  failed: number;
  unreported: number;
  /** Times the health rule, replayed on the reported outcomes, took it out of rotation. */
  takenOut: number;
  firstTakenOutAt: number | null;
  /** Offers made while the replayed rule had it out (0 when the router follows its rule). */
  offersWhileOut: number;
}

export interface Summary {
  calls: number;
  ends: Record<CallEnd, number>;
  /** Calls offered to more than one target, and of those the ones answered in the end. */
  failedOver: number;
  answeredAfterFailover: number;
  /** Per dial result: how many dials got it, and how many calls ended on it. */
  outcomes: Record<DialResult, { dials: number; callsEnded: number }>;
  agents: AgentFigures[];
}

/** How a call ended, from the simulator's side. */
export function callEnd(call: SimCall): CallEnd {
  if (call.routeStatus === null || call.routeStatus >= 400) return "error";
  if (!call.attempts.length) return "not-routed";
  if (call.attempts.some((a) => a.result === "answered")) return "answered";
  if (call.attempts.some((a) => a.result === null)) return "unreported";
  return "failed";
}

export function summarize(calls: SimCall[]): Summary {
  const ends: Record<CallEnd, number> = { answered: 0, failed: 0, "not-routed": 0, error: 0, unreported: 0 };
  const outcomes = Object.fromEntries(DIAL_RESULTS.map((r) => [r, { dials: 0, callsEnded: 0 }])) as Summary["outcomes"];
  const agents = new Map<string, AgentFigures>();
  const agent = (target: string) => {
    let figures = agents.get(target);
    if (!figures) agents.set(target, (figures = { target, offered: 0, firstOffers: 0, answered: 0, failed: 0, unreported: 0, takenOut: 0, firstTakenOutAt: null, offersWhileOut: 0 }));
    return figures;
  };
  let failedOver = 0;
  let answeredAfterFailover = 0;
  for (const call of calls) {
    const end = callEnd(call);
    ends[end]++;
    if (call.attempts.length > 1) {
      failedOver++;
      if (end === "answered") answeredAfterFailover++;
    }
    call.attempts.forEach((attempt, i) => {
      const figures = agent(attempt.target);
      figures.offered++;
      if (i === 0) figures.firstOffers++;
      if (attempt.result === null) figures.unreported++;
      else {
        outcomes[attempt.result].dials++;
        if (attempt.result === "answered") figures.answered++;
        else figures.failed++;
      }
    });
    const last = call.attempts.at(-1)?.result;
    if (last && (end === "answered" || end === "failed")) outcomes[last].callsEnded++;
  }
  for (const figures of agents.values()) Object.assign(figures, replayHealth(calls.flatMap((c) => c.attempts.filter((a) => a.target === figures.target))));
  return {
    calls: calls.length,
    ends,
    failedOver,
    answeredAfterFailover,
    outcomes,
    agents: [...agents.values()].sort((a, b) => b.offered - a.offered || (a.target < b.target ? -1 : 1)),
  };
}

/**
 * The router's health rule replayed on one target's outcomes in the order they were reported:
 * when it took the target out, and how many offers came while it was out. The router sees the
 * outcomes in its own order, and starts from what earlier runs left (this replay starts
 * healthy), so with concurrent calls this is a close estimate, not a proof: the agent's status
 * from the API says what the router decided.
 */
export function replayHealth(attempts: SimAttempt[]): Pick<AgentFigures, "takenOut" | "firstTakenOutAt" | "offersWhileOut"> {
  const reports = attempts.filter((a): a is SimAttempt & { result: DialResult; reportedAt: number } => a.result !== null && a.reportedAt !== null).sort((a, b) => a.reportedAt - b.reportedAt);
  const outWindows: { from: number; until: number }[] = [];
  let health: AgentHealth = HEALTHY;
  for (const report of reports) {
    const next = recordOutcome(health, report.result === "answered" ? "success" : "failure", report.reportedAt);
    const open = outWindows.at(-1);
    if (next.changed === "became_unhealthy") outWindows.push({ from: report.reportedAt, until: next.health.unhealthyUntil });
    // A failure reported while out (a call offered before) restarts the cool-down.
    else if (open && next.health.unhealthyUntil > open.until) open.until = next.health.unhealthyUntil;
    health = next.health;
  }
  const offersWhileOut = attempts.filter((a) => outWindows.some((w) => a.offeredAt > w.from && a.offeredAt < w.until)).length;
  return { takenOut: outWindows.length, firstTakenOutAt: outWindows[0]?.from ?? null, offersWhileOut };
}

const pct = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : "-");

/** The summary as text; names maps a dialled target to the agent's name where the simulator knows it. */
export function formatSummary(summary: Summary, options: { startedAt: number; names?: ReadonlyMap<string, string> } = { startedAt: 0 }): string[] {
  const { ends } = summary;
  const name = (target: string) => options.names?.get(target) ?? target;
  const at = (ms: number | null) => (ms === null ? "" : `${((ms - options.startedAt) / 1000).toFixed(1)} s`);
  const lines = [
    `calls ${summary.calls}: answered ${ends.answered} (${pct(ends.answered, summary.calls)}), failed ${ends.failed} (every target failed)` +
      `, not routed ${ends["not-routed"]} (no <Dial>), errors ${ends.error}` +
      (ends.unreported ? `, no result reported ${ends.unreported}` : ""),
    `failed over (offered to more than one target) ${summary.failedOver}, of which answered in the end ${summary.answeredAfterFailover}`,
    "",
    "dial result      dials  calls ended on it",
    ...DIAL_RESULTS.map((r) => `${r.padEnd(15)}${String(summary.outcomes[r].dials).padStart(6)}${String(summary.outcomes[r].callsEnded).padStart(19)}`),
    "",
    `${"agent".padEnd(48)}${"offered".padStart(8)}${"first".padStart(7)}${"share".padStart(8)}${"answered".padStart(10)}${"failed".padStart(8)}${"taken out".padStart(11)}  first at`,
  ];
  const firsts = summary.agents.reduce((n, a) => n + a.firstOffers, 0);
  for (const a of summary.agents) {
    lines.push(
      `${name(a.target).slice(0, 47).padEnd(48)}${String(a.offered).padStart(8)}${String(a.firstOffers).padStart(7)}${pct(a.firstOffers, firsts).padStart(8)}${String(a.answered).padStart(10)}${String(a.failed).padStart(8)}${String(a.takenOut).padStart(11)}  ${at(a.firstTakenOutAt)}` +
        (a.offersWhileOut ? `  (offered ${a.offersWhileOut}× while out)` : ""),
    );
  }
  return lines;
}
