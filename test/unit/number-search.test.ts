import { describe, expect, it } from "vitest";
import { CONTAINS_MAX_DAYS, containsPeriodProblem, reversedNumber } from "../../workers/domain/number-search";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);

describe("number search", () => {
  it("stores and searches a number's end as its normalised digits reversed", () => {
    expect(reversedNumber("+1 415-555-0100")).toBe("00105555141");
    expect(reversedNumber("14155550100")).toBe(reversedNumber("+1 (415) 555.0100"));
    // Not a number: kept as text, trimmed and lower-cased like normalizeNumber.
    expect(reversedNumber(" Alice ")).toBe("ecila");
  });

  it("allows a contains search only from a start, over at most the maximum period", () => {
    expect(containsPeriodProblem({}, NOW)).toMatch(/give since/);
    expect(containsPeriodProblem({ since: new Date(NOW - CONTAINS_MAX_DAYS * DAY) }, NOW)).toBeNull();
    expect(containsPeriodProblem({ since: new Date(NOW - CONTAINS_MAX_DAYS * DAY - 1) }, NOW)).toMatch(/at most 31 days/);
    // The period ends at until when given, not now.
    expect(containsPeriodProblem({ since: new Date(NOW - 90 * DAY), until: new Date(NOW - 80 * DAY) }, NOW)).toBeNull();
    expect(containsPeriodProblem({ since: new Date(NOW - 90 * DAY), until: new Date(NOW - 50 * DAY) }, NOW)).toMatch(/at most/);
  });
});
