/** The fields an export can hold, in their column order (the SPA offers the same list). */
export const EXPORT_FIELD_NAMES = [
  "id",
  "callId",
  "direction",
  "from",
  "to",
  "callerName",
  "status",
  "disposition",
  "endReason",
  "ruleId",
  "groupId",
  "agentId",
  "trunkId",
  "attemptCount",
  "startedAt",
  "answeredAt",
  "endedAt",
  "durationSec",
  "billableSec",
  "waitPosition",
  "waitSec",
  "waitOutcome",
  "attempts",
  "routing",
] as const;

export type ExportField = (typeof EXPORT_FIELD_NAMES)[number];

/** The heavy JSON columns are opt-in. */
export const DEFAULT_EXPORT_FIELDS = EXPORT_FIELD_NAMES.filter((f) => f !== "attempts" && f !== "routing");
