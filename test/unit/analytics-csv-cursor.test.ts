import { describe, it } from "vitest";
import { csvCell } from "../../workers/analytics/csv";
import { CursorError, decodeCursor, encodeCursor, filtersFingerprint } from "../../workers/analytics/records-cursor";

describe("CSV cells", () => {
  it.for([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\t=1", "'\t=1"],
    ["\r=1", `"'\r=1"`],
  ] as const)("neutralises the formula %j", ([input, expected], { expect }) => {
    expect(csvCell(input)).toBe(expected);
  });

  it.for([
    ["+14155550100", "+14155550100"],
    ["-3", "-3"],
    ["14155550100", "14155550100"],
    ["2.5", "2.5"],
  ] as const)("keeps the plain number %j", ([input, expected], { expect }) => {
    expect(csvCell(input)).toBe(expected);
  });

  it("quotes commas, quotes, line breaks and edge spaces, and writes null as empty", ({ expect }) => {
    expect(["a,b", 'say "hi"', "two\nlines", " pad", null, undefined, 7, new Date(0), { x: 1 }].map(csvCell).join(",")).toBe(`"a,b","say ""hi""","two\nlines"," pad",,,7,1970-01-01T00:00:00.000Z,"{""x"":1}"`);
  });
});

describe("record cursors", () => {
  const filters = { status: ["completed", "failed"], agentId: "agt_1" };

  it("round-trips a position, null sort values included", ({ expect }) => {
    for (const position of [
      { value: 1_700_000_000_000, id: "cal_1" },
      { value: null, id: "cal_2" },
    ]) {
      expect(decodeCursor(encodeCursor("durationSec", "desc", filters, position), "durationSec", "desc", filters)).toEqual(position);
    }
  });

  it("refuses a cursor used with another sort, order or filters, or one it never issued", ({ expect }) => {
    const cursor = encodeCursor("startedAt", "desc", filters, { value: 1, id: "x" });
    expect(() => decodeCursor(cursor, "durationSec", "desc", filters)).toThrow(CursorError);
    expect(() => decodeCursor(cursor, "startedAt", "asc", filters)).toThrow(CursorError);
    expect(() => decodeCursor(cursor, "startedAt", "desc", { ...filters, agentId: "agt_2" })).toThrow(/different filters/);
    expect(() => decodeCursor("bm90LWpzb24", "startedAt", "desc", filters)).toThrow(/not one this API issued/);
    expect(() => decodeCursor("e30", "startedAt", "desc", filters)).toThrow(/not one this API issued/);
  });

  it("fingerprints filters independently of key and list order, ignoring empty values", ({ expect }) => {
    expect(filtersFingerprint({ a: 1, b: ["x", "y"] })).toBe(filtersFingerprint({ b: ["y", "x"], a: 1, c: undefined, d: [] }));
    expect(filtersFingerprint({ a: 1 })).not.toBe(filtersFingerprint({ a: 2 }));
  });
});
