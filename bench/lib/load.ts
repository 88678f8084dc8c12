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
}

export interface LoadSpec {
  label: string;
  url: string;
  connections: number;
  seconds: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: () => string;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    method: spec.method ?? "POST",
    headers: spec.headers,
    requests: [{ setupRequest: (req) => (spec.body ? { ...req, body: spec.body() } : req) }],
  });
  return {
    label: spec.label,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export function formatLoad(r: LoadResult): string {
  return `${r.label.padEnd(44)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  errors ${r.errors + r.non2xx}`;
}
