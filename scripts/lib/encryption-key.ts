// The Worker's ENCRYPTION_KEY for scripts that write encrypted columns (callback tokens): the
// environment's, else the one `wrangler dev` reads from .dev.vars. Production: pass it as
// ENCRYPTION_KEY=… (the value given to `wrangler secret put ENCRYPTION_KEY`).
import { existsSync, readFileSync } from "node:fs";

export function workerEncryptionKey(devVars = ".dev.vars"): string | null {
  if (process.env.ENCRYPTION_KEY) return process.env.ENCRYPTION_KEY;
  if (!existsSync(devVars)) return null;
  const line = /^\s*ENCRYPTION_KEY\s*=\s*"?([^"\s]+)"?\s*$/m.exec(readFileSync(devVars, "utf8"));
  return line?.[1] ?? null;
}
