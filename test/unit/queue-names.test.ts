import { describe, expect, it } from "vitest";
import { queueRole } from "../../workers/queue/names";

describe("queueRole", () => {
  it("knows each queue by its base name, in every environment", () => {
    expect(["call-events", "call-events-staging"].map(queueRole)).toEqual(["call-events", "call-events"]);
    expect(["call-events-dlq", "call-events-dlq-staging"].map(queueRole)).toEqual(["dead-letters", "dead-letters"]);
    expect(["export-jobs", "export-jobs-staging"].map(queueRole)).toEqual(["export-jobs", "export-jobs"]);
    expect(["event-deliveries", "event-deliveries-staging"].map(queueRole)).toEqual(["event-deliveries", "event-deliveries"]);
    expect(["other", "call-eventsx", "export-jobs-"].map(queueRole)).toEqual([null, null, null]);
  });
});
