import type { ConfigChange } from "../../../workers/routing/config-changed";

export type ConfigEntity = ConfigChange["entity"];

/*
 * Configuration this tab is saving or has just saved. Live events do not say who made a change,
 * and the event for this tab's own save can arrive before or after the save's answer, so a kind
 * of entity counts as changed here while a save of it runs and for a few seconds after.
 */
const GRACE_MS = 5_000;
const running = new Map<ConfigEntity, number>();
const settledAt = new Map<ConfigEntity, number>();

/** Marks a save of `entity` as started; call the result when it has settled (either way). */
export function beginOwnChange(entity: ConfigEntity): () => void {
  running.set(entity, (running.get(entity) ?? 0) + 1);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    running.set(entity, (running.get(entity) ?? 1) - 1);
    settledAt.set(entity, Date.now());
  };
}

/** True while this tab saves `entity`, and for a few seconds after. */
export function isOwnChange(entity: unknown, now = Date.now()): boolean {
  if (typeof entity !== "string") return false;
  const key = entity as ConfigEntity;
  return (running.get(key) ?? 0) > 0 || now - (settledAt.get(key) ?? -Infinity) < GRACE_MS;
}
