import type { WaitOutcome } from "../../workers/queue/messages";
import type { FlowPorts } from "../../workers/routing/call-flow";
import { leaveWait } from "../../workers/routing/wait-flow";
import type { CallJournal } from "./journal";
import type { CallData } from "./model";

/*
 * A call's time in a waiting room, on its record: joining the line, each new place in it, and
 * how the wait ended. Each is an event for the record and the live dashboards; a try that
 * changes nothing (same place in line) is no news and writes no event.
 */

export function enterWait(call: CallData, journal: CallJournal, groupId: string | null, position: number, maxWaitSec: number, now: number): void {
  call.record.groupId = groupId;
  call.record.wait = { groupId, enteredAt: now, position, lastPosition: position, polls: 0, leftAt: null, waitSec: null, outcome: "waiting" };
  journal.note(call, "call.waiting", { position, groupId, maxWaitSec });
}

/** A try: `position` is the caller's new place when it still waits, null when the try ended the wait. */
export function notePoll(call: CallData, journal: CallJournal, position: number | null, now: number): void {
  const wait = call.record.wait;
  if (!wait) return;
  wait.polls++;
  // A try keeps the call alive (the alarm ends calls silent for too long), news or not.
  call.lastActivityAt = now;
  if (position === null || position === wait.lastPosition) return;
  wait.lastPosition = position;
  journal.note(call, "call.waiting", { position, groupId: wait.groupId });
}

export function finishWait(call: CallData, journal: CallJournal, outcome: Exclude<WaitOutcome, "waiting">, now: number): void {
  const wait = call.record.wait;
  if (wait?.outcome !== "waiting") return;
  wait.outcome = outcome;
  wait.leftAt = now;
  wait.waitSec = Math.max(0, Math.round((now - wait.enteredAt) / 1000));
  journal.note(call, "call.wait_ended", { outcome, waitSec: wait.waitSec, position: wait.lastPosition });
}

/** The call ended (or went silent) while it waited: out of the line, and the wait on record as abandoned. */
export async function leaveWaitingRoom(call: CallData, journal: CallJournal, ports: FlowPorts, at: number): Promise<void> {
  if (!call.wait) return;
  await leaveWait(call, ports);
  finishWait(call, journal, "abandoned", at);
}
