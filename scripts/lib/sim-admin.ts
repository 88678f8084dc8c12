// What the simulator reads from the admin API when it has a login (the demo's, by default): the
// agents' names, to label the dialled targets, and each agent's live status at the end of a run,
// which says what the router itself decided about its health.

export interface AdminLogin {
  baseUrl: string;
  email: string;
  password: string;
}

interface AgentRow {
  id: string;
  name: string;
  provider: string;
  serviceValue: string;
}

export interface AgentHealthNow {
  healthy: boolean;
  unhealthyUntil: number | null;
  consecutiveFailures: number;
}

export class AdminApi {
  private constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static async signIn(login: AdminLogin): Promise<AdminApi> {
    const res = await fetch(`${login.baseUrl}/api/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: login.email, password: login.password }) });
    if (res.status !== 200) throw new Error(`sign-in as ${login.email}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    return new AdminApi(login.baseUrl, ((await res.json()) as { token: string }).token);
  }

  private async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, { headers: { Authorization: `Bearer ${this.token}` } });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    return (await res.json()) as T;
  }

  async agents(): Promise<AgentRow[]> {
    const rows: AgentRow[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: AgentRow[]; nextCursor: string | null } = await this.get(`/api/voice-agents?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      rows.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return rows;
  }

  /** The agent's health across the balancers that route to it; null while they cannot answer. */
  async health(agentId: string): Promise<AgentHealthNow | null> {
    const status = await this.get<{ live: { healthy: boolean; unhealthyUntil: number | null; byBalancer: { consecutiveFailures: number }[] } | null }>(`/api/voice-agents/${agentId}/status`);
    if (!status.live) return null;
    return {
      healthy: status.live.healthy,
      unhealthyUntil: status.live.unhealthyUntil,
      consecutiveFailures: Math.max(0, ...status.live.byBalancer.map((b) => b.consecutiveFailures)),
    };
  }
}

/**
 * Which agent a dialled target ("<provider> <number>", "sip <uri>") is: matched by the number or
 * URI the CXML dialled, which is the agent's service value. A value two agents share is left
 * unnamed rather than guessed.
 */
export function agentsByTarget(targets: Iterable<string>, agents: AgentRow[]): Map<string, AgentRow> {
  const byValue = new Map<string, AgentRow | null>();
  for (const a of agents) byValue.set(a.serviceValue, byValue.has(a.serviceValue) ? null : a);
  const found = new Map<string, AgentRow>();
  for (const target of targets) {
    const value = target.slice(target.indexOf(" ") + 1);
    const agent = byValue.get(value);
    if (agent) found.set(target, agent);
  }
  return found;
}
