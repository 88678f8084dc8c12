import { z } from "zod";

/** How list endpoints take `limit` and `cursor`; the keyset paging itself is in lib/pagination.ts. */
export const LimitSchema = (max: number, fallback = 50) => z.coerce.number().int().min(1, "limit must be at least 1").max(max, `limit must be at most ${max}`).default(fallback);

export const CursorSchema = z
  .string()
  .max(2_000)
  .regex(/^[A-Za-z0-9_-]+$/, "cursor must be a value returned as nextCursor")
  .optional();
