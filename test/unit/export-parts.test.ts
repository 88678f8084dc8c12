import { describe, it } from "vitest";
import { PartWriter } from "../../workers/exports/part-writer";
import { exportFooter, exportHeader, exportLine, DEFAULT_EXPORT_FIELDS } from "../../workers/exports/fields";
import { configEventType } from "../../workers/realtime/config-events";

const concat = (chunks: Uint8Array[]) => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) out.set(c, offset), (offset += c.length);
  return out;
};

describe("PartWriter", () => {
  it("cuts text into parts of exactly partBytes, multi-byte characters included", ({ expect }) => {
    const writer = new PartWriter(7);
    const text = Array.from({ length: 40 }, (_, i) => `row ${i} – Émile ☎\r\n`);
    const parts = text.flatMap((t) => writer.write(t));
    const last = writer.drain();
    expect(parts.every((p) => p.length === 7)).toBe(true);
    expect(last.length).toBeLessThan(7);
    expect(new TextDecoder().decode(concat([...parts, last]))).toBe(text.join(""));
  });

  it("resumes byte-exactly from a checkpointed tail", ({ expect }) => {
    const all = "a,b,c\r\n".repeat(30) + "ünïcödé\r\n".repeat(10);
    const first = new PartWriter(16);
    const uploaded = first.write(all.slice(0, 100));
    const tail = first.peek();
    const resumed = new PartWriter(16, tail);
    const rest = [...resumed.write(all.slice(100)), resumed.drain()];
    expect(new TextDecoder().decode(concat([...uploaded, ...rest]))).toBe(all);
  });
});

describe("export rows", () => {
  it("writes a CSV header with a BOM and rows in the field order, formulas neutralised", ({ expect }) => {
    expect(exportHeader("csv", ["id", "from"])).toBe("\uFEFFid,from\r\n");
    expect(exportLine("csv", ["id", "from", "callerName", "startedAt", "durationSec", "answeredAt"], ["cal_1", "+14155550100", "=1+2", "1970-01-01T00:00:00.000Z", 12, null], 0)).toBe("cal_1,+14155550100,'=1+2,1970-01-01T00:00:00.000Z,12,\r\n");
    expect(exportLine("csv", ["attempts", "routing"], ['[{"n":1}]', null], 0)).toBe('"[{""n"":1}]",\r\n');
    expect(DEFAULT_EXPORT_FIELDS).not.toContain("routing");
  });

  it("writes a valid JSON array with typed values, JSON columns embedded as JSON", ({ expect }) => {
    const fields = ["id", "durationSec", "answeredAt", "attempts", "routing"] as const;
    const row = ['cal_"1', 12, null, '[{"n":1}]', '{"x":1}'];
    const two = exportHeader("json", fields) + exportLine("json", fields, row, 0) + exportLine("json", fields, [...row.slice(0, 4), null], 1) + exportFooter("json", 2);
    expect(JSON.parse(two)).toEqual([
      { id: 'cal_"1', durationSec: 12, answeredAt: null, attempts: [{ n: 1 }], routing: { x: 1 } },
      { id: 'cal_"1', durationSec: 12, answeredAt: null, attempts: [{ n: 1 }], routing: null },
    ]);
    expect(JSON.parse(exportHeader("json", fields) + exportFooter("json", 0))).toEqual([]);
  });
});

describe("configuration change events", () => {
  it.for([
    ["voice_agent", "toggled", "agent.status_changed"],
    ["voice_agent", "bulk", "agent.status_changed"],
    ["voice_agent", "updated", "agent.updated"],
    ["voice_agent", "deleted", "agent.deleted"],
    ["inbound_rule", "created", "routing_rule.updated"],
    ["outbound_rule", "deleted", "routing_rule.updated"],
    ["agent_group", "members_replaced", "agent_group.updated"],
    ["trunk", "updated", "trunk.updated"],
    ["tenant", "updated", "tenant.updated"],
    ["user", "created", "user.updated"],
  ] as const)("%s %s → %s", ([entity, action, type], { expect }) => {
    expect(configEventType({ entity, action })).toBe(type);
  });
});
