/*
 * Which URLs a tenant may send events to. In production the router must not be turned into a
 * probe of its own network or a cloud's metadata service: only https, and never a private,
 * loopback, link-local or otherwise reserved address, nor a name that is obviously internal.
 * Names are checked as written (a Worker cannot resolve DNS first); public names that resolve
 * to private addresses are out of a Worker's reach anyway, since Cloudflare's network does not
 * route to them. In development and tests a local receiver (http://127.0.0.1:…) is allowed.
 */

export const MAX_URL_LENGTH = 2048;

/** IPv4 ranges that are not the public internet (RFC 6890 and friends), as [first octets, prefix length]. */
const PRIVATE_V4: [number[], number][] = [
  [[0], 8], // "this network"
  [[10], 8],
  [[100, 64], 10], // carrier-grade NAT
  [[127], 8],
  [[169, 254], 16], // link-local, cloud metadata (169.254.169.254)
  [[172, 16], 12],
  [[192, 0, 0], 24],
  [[192, 0, 2], 24], // documentation
  [[192, 88, 99], 24],
  [[192, 168], 16],
  [[198, 18], 15], // benchmarking
  [[198, 51, 100], 24],
  [[203, 0, 113], 24],
  [[224], 4], // multicast
  [[240], 4], // reserved, broadcast
];

function v4Number(octets: number[]): number {
  return ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
}

export function isPrivateIpv4(address: string): boolean {
  const parts = address.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return false;
  const value = v4Number(parts.map(Number));
  return PRIVATE_V4.some(([start, bits]) => {
    const base = v4Number([...start, 0, 0, 0, 0].slice(0, 4));
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return (value & mask) >>> 0 === (base & mask) >>> 0;
  });
}

/** The eight 16-bit groups of an IPv6 address (URL-normalised form, "::" expanded), or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase();
  // An embedded dotted IPv4 (::ffff:1.2.3.4) as two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const octets = dotted[1]!.split(".").map(Number);
    if (octets.some((o) => o > 255)) return null;
    text = `${text.slice(0, dotted.index)}${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => Number.parseInt(g, 16));
}

export function isPrivateIpv6(address: string): boolean {
  const g = ipv6Groups(address);
  if (!g) return true; // not an address we can read: refuse rather than guess
  const [a, b] = g as [number, number, number, number, number, number, number, number];
  if (g.every((x) => x === 0)) return true; // ::
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true; // ::1
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): judged by the IPv4 inside.
  const embedded = `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return isPrivateIpv4(embedded);
  if (a === 0x64 && b === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return isPrivateIpv4(embedded);
  if ((a & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((a & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((a & 0xffc0) === 0xfec0) return true; // site-local (deprecated) fec0::/10
  if ((a & 0xff00) === 0xff00) return true; // multicast
  if (a === 0x2001 && b === 0x0db8) return true; // documentation
  if (a === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return true; // discard 100::/64
  return false;
}

/** Names that only make sense inside a network: never a public receiver. */
const INTERNAL_SUFFIXES = [".localhost", ".local", ".localdomain", ".internal", ".intranet", ".lan", ".home", ".corp", ".private", ".home.arpa", ".in-addr.arpa", ".ip6.arpa", ".test", ".invalid", ".example"];

export function isInternalHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (name === "localhost" || name === "") return true;
  // A single label ("intranet", "metadata") is resolved by a local search domain, never publicly.
  if (!name.includes(".")) return true;
  return INTERNAL_SUFFIXES.some((suffix) => name.endsWith(suffix) || name === suffix.slice(1));
}

export interface UrlPolicy {
  /** Production: https only, public addresses only. */
  production: boolean;
}

/**
 * Why `raw` cannot be an endpoint, or null when it can. The URL is read by the WHATWG parser,
 * as fetch() will read it, so "http://0x7f.1/" is judged as 127.0.0.1 and "[::ffff:7f00:1]"
 * as the loopback it is.
 */
export function endpointUrlProblem(raw: string, policy: UrlPolicy): string | null {
  if (raw.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
  if (/[\u0000-\u0020\u007f]/.test(raw)) return "must not contain spaces or control characters";
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute URL such as https://example.com/hooks";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an https URL";
  if (policy.production && url.protocol !== "https:") return "must be an https URL";
  if (url.username || url.password) return "must not carry a user name or password (the signature authenticates us)";
  if (url.hash) return "must not have a #fragment";
  if (!policy.production) return null;
  const host = url.hostname;
  if (host.startsWith("[")) return isPrivateIpv6(host.slice(1, -1)) ? "must not be a private, loopback or link-local address" : null;
  if (/^[\d.]+$/.test(host)) return isPrivateIpv4(host) ? "must not be a private, loopback or link-local address" : null;
  if (isInternalHostname(host)) return "must be a public host name, not an internal one";
  return null;
}
