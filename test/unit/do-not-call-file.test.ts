import { describe, expect, it } from "vitest";
import { MAX_DNC_ROWS, parseDoNotCallFile } from "../../workers/campaigns/do-not-call-file";

const ok = (text: string) => {
  const result = parseDoNotCallFile(text);
  if (!result.ok) throw new Error(result.message);
  return result;
};

describe("a do-not-call file", () => {
  it("reads one number a line without a header, normalised to E.164 as contacts are, with an optional note", () => {
    const result = ok("+1 (415) 555-0100\n0014155550101,asked by phone\r\n14155550102\n\n");
    expect(result.entries).toEqual([
      { line: 1, number: "+14155550100", note: "" },
      { line: 2, number: "+14155550101", note: "asked by phone" },
      { line: 3, number: "+14155550102", note: "" },
    ]);
    expect(result).toMatchObject({ rows: 3, merged: 0, errorCount: 0 });
  });

  it("reads a header line naming the columns (number and note or reason, others ignored); lines count from the header", () => {
    const result = ok('Name,Phone Number,Reason\nAnn,+14155550100,"complained, twice"\nBob,+14155550101,');
    expect(result.entries).toEqual([
      { line: 2, number: "+14155550100", note: "complained, twice" },
      { line: 3, number: "+14155550101", note: "" },
    ]);
    expect(result.rows).toBe(2);
  });

  it("keeps a number given twice once, with the first note or else a later one", () => {
    const result = ok("+14155550100\n+1 415 555 0100,later note\n+14155550100,third");
    expect(result.entries).toEqual([{ line: 1, number: "+14155550100", note: "later note" }]);
    expect(result.merged).toBe(2);
  });

  it("lists each bad row by line and field", () => {
    const result = ok(["phone,note", "+14155550100,fine", "555,short", "+14155550101", "+14155550102,", `+14155550103,${"x".repeat(201)}`, "not a number,x"].join("\n"));
    expect(result.errors).toEqual([
      { line: 3, field: "phone", message: '"555" is not a phone number in E.164 form (+ country code and number, e.g. +14155550100)' },
      { line: 4, field: null, message: "has 1 field, the header 2" },
      { line: 6, field: "note", message: "must be at most 200 characters" },
      { line: 7, field: "phone", message: expect.stringContaining('"not a number" is not a phone number') },
    ]);
    expect(result.entries.map((e) => e.number)).toEqual(["+14155550100", "+14155550102"]);
    expect(result).toMatchObject({ rows: 6, errorCount: 4 });
    const headerless = ok("+14155550100,a,b\nhello");
    expect(headerless.errors.map((e) => [e.line, e.field])).toEqual([
      [1, null],
      [2, "number"],
    ]);
  });

  it("refuses a broken CSV and more than 100,000 rows as a whole", () => {
    expect(parseDoNotCallFile('+14155550100,"never closed')).toMatchObject({ ok: false, code: "INVALID_CSV", errors: [{ line: 1 }] });
    const rows = (n: number) => ["phone", ...Array.from({ length: n }, (_, i) => `+1646${String(1_000_000 + i)}`)].join("\n");
    expect(ok(rows(MAX_DNC_ROWS)).entries).toHaveLength(MAX_DNC_ROWS);
    expect(parseDoNotCallFile(rows(MAX_DNC_ROWS + 1))).toMatchObject({ ok: false, code: "TOO_MANY_NUMBERS" });
  });
});
