import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/*
 * Every log line of the Worker and its Durable Objects is structured JSON from workers/lib/log.ts:
 * a bare console.* call anywhere else would write an unstructured line (and skip the secret
 * scrubbing). PENDING may name a file allowed an exception while it is rewritten; none is now.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const LOGGER = "workers/lib/log.ts";
const PENDING = new Set<string>();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("logging", () => {
  it("goes through the structured logger everywhere in workers/ and durable-objects/", () => {
    const offenders: string[] = [];
    for (const file of [...sources(join(ROOT, "workers")), ...sources(join(ROOT, "durable-objects"))]) {
      const path = relative(ROOT, file);
      if (path === LOGGER || PENDING.has(path)) continue;
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (/\bconsole\.(log|info|warn|error|debug|trace)\s*\(/.test(line) && !line.trim().startsWith("//") && !line.trim().startsWith("*")) offenders.push(`${path}:${i + 1}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
