/**
 * What a queue is, from its name. Each deployment environment has its own queues, named
 * after the production ones with a suffix ("call-events-staging"), so the consumer tells them
 * apart by the base name.
 */
export type QueueRole = "call-events" | "dead-letters" | "export-jobs" | "event-deliveries";

const ROLES: [RegExp, QueueRole][] = [
  [/^call-events-dlq(-[a-z0-9-]+)?$/, "dead-letters"],
  [/^export-jobs(-[a-z0-9-]+)?$/, "export-jobs"],
  [/^event-deliveries(-[a-z0-9-]+)?$/, "event-deliveries"],
  [/^call-events(-[a-z0-9-]+)?$/, "call-events"],
];

export function queueRole(name: string): QueueRole | null {
  return ROLES.find(([pattern]) => pattern.test(name))?.[1] ?? null;
}
