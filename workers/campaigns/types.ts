import type { WeeklyHours } from "../domain/schedules";

/*
 * A campaign's settings as stored (MySQL) and as its Durable Object runs them. Pure types, shared
 * by the schema, the API's schemas and the runner.
 */

export const CAMPAIGN_STATUSES = ["draft", "running", "paused", "stopped", "completed"] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Outcomes of one dial attempt that a retry policy names (an answered call is never retried). */
export const RETRY_OUTCOMES = ["busy", "noAnswer", "failed"] as const;
export type RetryOutcome = (typeof RETRY_OUTCOMES)[number];

/** Per outcome: how many attempts a contact gets in all (1 = no retry), and the wait between them. */
export interface RetryRule {
  attempts: number;
  spacingMinutes: number;
}
export type RetryPolicy = Record<RetryOutcome, RetryRule>;

/** The days and hours calls may be placed, in the contact's time zone (else the campaign's). */
export type CallingWindow = WeeklyHours;
