import { describe, it } from "vitest";
import { LruMap } from "../../workers/lib/lru";

describe("LruMap", () => {
  it("forgets the least recently used entry beyond its capacity, reads counting as use", ({ expect }) => {
    const lru = new LruMap<string, number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    expect(lru.get("a")).toBe(1);
    lru.set("c", 3);
    expect(lru.get("b")).toBeUndefined();
    expect([...lru.entries()]).toEqual([
      ["a", 1],
      ["c", 3],
    ]);
    lru.set("a", 10);
    lru.set("d", 4);
    expect([...lru.entries()]).toEqual([
      ["a", 10],
      ["d", 4],
    ]);
    expect(lru.size).toBe(2);
  });

  it("refuses a capacity that could never hold anything", ({ expect }) => {
    expect(() => new LruMap(0)).toThrow(RangeError);
    expect(() => new LruMap(1.5)).toThrow(RangeError);
  });
});
