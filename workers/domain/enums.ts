/**
 * The closed lists the database and the API share. Here, with no imports, so the SPA can use
 * the API's schemas without pulling in the table definitions.
 */
export const STRATEGIES = ["round_robin", "priority", "load_balanced"] as const;
export const ROLES = ["admin", "user"] as const;
export const DIRECTIONS = ["inbound", "outbound"] as const;
export const DEAD_LETTER_STATUSES = ["parked", "replayed", "discarded"] as const;
