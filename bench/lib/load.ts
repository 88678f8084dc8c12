// A closed-loop load run with autocannon: fixed connections, bounded duration, every request
// built fresh (so each routed call is a new call), errors and non-2xx counted.
import autocannon from "autocannon";

export interface LoadResult {
  label: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** 2xx answers that `expect` refused (a routed call answered with anything but a Dial). */
  unexpected: number;
  /** The first of them, for the report. */
  unexpectedSample: string | null;
}

export interface LoadSpec {
  label: string;
  url: string;
  connections: number;
  seconds: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: () => string;
  /** Checks a 2xx answer's body; false counts it as `unexpected`. */
  expect?: (body: string) => boolean;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  let unexpected = 0;
  let unexpectedSample: string | null = null;
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    method: spec.method ?? "POST",
    headers: spec.headers,
    requests: [
      {
        setupRequest: (req) => (spec.body ? { ...req, body: spec.body() } : req),
        onResponse: (status, body) => {
          if (!spec.expect || status < 200 || status > 299 || spec.expect(body)) return;
          unexpected++;
          unexpectedSample ??= body.slice(0, 160);
        },
      },
    ],
  });
  return {
    label: spec.label,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    unexpected,
    unexpectedSample,
  };
}

export function formatLoad(r: LoadResult): string {
  const unexpected = r.unexpected ? `, ${r.unexpected} answered without a Dial (${r.unexpectedSample})` : "";
  return `${r.label.padEnd(44)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  errors ${r.errors + r.non2xx}${unexpected}`;
}
