import type { CallRecord } from "../../api/call-records";
import { duration } from "../../lib/format";

type Wait = NonNullable<CallRecord["wait"]>;

/** How a wait in a waiting room ended, as people say it. */
export const WAIT_OUTCOMES: Record<string, string> = { waiting: "waiting", connected: "then connected", timeout: "gave up at the maximum wait", abandoned: "caller hung up", no_agents: "no agents left to wait for" };

const outcomeText = (wait: Wait) => WAIT_OUTCOMES[wait.outcome] ?? wait.outcome;

/** "#2 in line · waited 0:45 · caller hung up"; a live wait has neither seconds nor an end yet. */
export const waitText = (wait: Wait) => `#${wait.position} in line · ${wait.waitSec === null ? "still waiting" : `waited ${duration(wait.waitSec)} · ${outcomeText(wait)}`}`;

/** The list's short form: "0:45 · caller hung up", or "still waiting". */
export const waitedText = (wait: Wait) => (wait.waitSec === null ? "still waiting" : `${duration(wait.waitSec)} · ${outcomeText(wait)}`);

/** Connected after the wait is good news; a caller lost to it is not. */
export const waitColor = (wait: Wait) => (wait.outcome === "connected" ? "teal" : wait.outcome === "waiting" ? "blue" : "orange");
