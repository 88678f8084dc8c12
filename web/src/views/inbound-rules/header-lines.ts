/*
 * The routing tester's carrier headers, typed as a SIP message shows them: one "Name: value" a
 * line. Turned into the name → value map POST /api/routing/explain takes.
 */

export interface ParsedHeaders {
  headers: Record<string, string>;
  /** Why the text cannot be read, naming the line; null when it can. */
  error: string | null;
}

export function parseHeaderLines(text: string): ParsedHeaders {
  const headers: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) return { headers, error: `Line ${index + 1}: write each header as Name: value` };
    // Defined, not assigned: a header named __proto__ stays a header.
    Object.defineProperty(headers, line.slice(0, colon).trim(), { value: line.slice(colon + 1).trim(), enumerable: true, writable: true, configurable: true });
  }
  return { headers, error: null };
}
