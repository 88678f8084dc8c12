import { describe, it } from "vitest";
import { matchesPattern, normalizeNumber, parsePattern, presentedNumber } from "../../workers/domain/numbers";

describe("normalizeNumber", () => {
  it.for([
    ["+15551234567", "15551234567"],
    ["15551234567", "15551234567"],
    ["+1 (555) 123-4567", "15551234567"],
    ["  +1.555.123.4567  ", "15551234567"],
    ["1004", "1004"],
    ["0044 20 7123 4567", "00442071234567"],
    ["\t+44\u00a020 7123\n4567", "442071234567"],
  ] as const)("turns %j into %j", ([input, expected], { expect }) => {
    expect(normalizeNumber(input)).toBe(expected);
  });

  it.for([
    ["alice", "alice"],
    ["  Alice ", "alice"],
    ["sip:Bob@example.com", "sip:bob@example.com"],
    ["++15551234567", "++15551234567"],
    ["1555+123", "1555+123"],
    ["+", "+"],
    ["", ""],
    ["15551234567*", "15551234567*"],
  ] as const)("leaves the non-number %j as %j", ([input, expected], { expect }) => {
    expect(normalizeNumber(input)).toBe(expected);
  });

  it("never throws, whatever it is given", ({ expect }) => {
    for (const input of ["\u0000", "\uD800", "((((", "+-+-", "١٢٣", "🙂"]) {
      expect(() => normalizeNumber(input)).not.toThrow();
    }
  });

  it("does not take Arabic-Indic digits for digits", ({ expect }) => {
    expect(normalizeNumber("١٢٣")).toBe("١٢٣");
  });
});

describe("presentedNumber", () => {
  it.for([
    ["14155550100", "+14155550100"],
    [" +1 (415) 555-0100 ", "+14155550100"],
    ["6834002", "+6834002"],
    ["123456789012345", "+123456789012345"],
    ["1234567890123456", "1234567890123456"],
    ["1004", "1004"],
    ["02071234567", "02071234567"],
    ["Anonymous", "Anonymous"],
    ["  ", null],
  ] as const)("%j → %j", ([input, expected], { expect }) => {
    expect(presentedNumber(input)).toBe(expected);
  });
});

describe("parsePattern", () => {
  it.for([
    ["+15551234567", "15551234567", "exact", "15551234567"],
    ["15551234567", "15551234567", "exact", "15551234567"],
    ["+1 (555) 123-4567", "15551234567", "exact", "15551234567"],
    ["+1555*", "1555*", "prefix", "1555"],
    ["1555*", "1555*", "prefix", "1555"],
    ["+1-555 *", "1555*", "prefix", "1555"],
    ["*", "*", "prefix", ""],
    ["+*", "*", "prefix", ""],
    [" 44.20* ", "4420*", "prefix", "4420"],
    ["12345678901234567890", "12345678901234567890", "exact", "12345678901234567890"],
  ] as const)("accepts %j as %j (%s)", ([input, pattern, matchType, digits], { expect }) => {
    expect(parsePattern(input)).toEqual({ ok: true, pattern, matchType, digits });
  });

  it.for([
    ["+1-555-ABC", '"+1-555-ABC" contains "A": only digits, an optional leading +, separators and a trailing * are allowed'],
    ["1555#", '"1555#" contains "#": only digits, an optional leading +, separators and a trailing * are allowed'],
    ["", '"" is empty'],
    ["   ", '"   " is empty'],
    ["1*5", '"1*5": "*" may only appear once, at the end'],
    ["15**", '"15**": "*" may only appear once, at the end'],
    ["*1", '"*1": "*" may only appear once, at the end'],
    ["1+555", '"1+555": "+" must come first'],
    ["++1555", '"++1555": "+" must come first'],
    ["+", '"+" has no digits'],
    ["()", '"()" has no digits'],
    ["123456789012345678901", '"123456789012345678901" has 21 digits: a pattern may have at most 20 digits'],
    ["123456789012345678901*", '"123456789012345678901*" has 21 digits: a pattern may have at most 20 digits'],
  ] as const)("refuses %j", ([input, error], { expect }) => {
    expect(parsePattern(input)).toEqual({ ok: false, error });
  });

  it("quotes awkward input safely in its error", ({ expect }) => {
    const result = parsePattern('15"55');
    expect(result).toEqual({
      ok: false,
      error: '"15\\"55" contains "\\"": only digits, an optional leading +, separators and a trailing * are allowed',
    });
  });

  it("round-trips: a parsed pattern parses to itself", ({ expect }) => {
    for (const input of ["+1 (555) 123-4567", "+44*", "*", "0033 1*"]) {
      const first = parsePattern(input);
      if (!first.ok) throw new Error(first.error);
      expect(parsePattern(first.pattern)).toEqual(first);
    }
  });
});

describe("matchesPattern", () => {
  it.for([
    ["15551234567", "15551234567", true],
    ["15551234567", "1555123456", false],
    ["155512345678", "15551234567", false],
    ["15551234567", "1555*", true],
    ["1555", "1555*", true],
    ["155", "1555*", false],
    ["25551234567", "1555*", false],
    ["15551234567", "*", true],
    ["alice", "*", true],
    ["alice", "1*", false],
    ["", "*", true],
    ["", "1*", false],
  ] as const)("%j against %j is %s", ([number, pattern, expected], { expect }) => {
    expect(matchesPattern(number, pattern)).toBe(expected);
  });
});
