/** Paths of the SPA's screens (jambonz-style route constants). */
export const ROUTE_LOGIN = "/login";
export const ROUTE_DASHBOARD = "/";
export const ROUTE_VOICE_AGENTS = "/voice-agents";
export const ROUTE_AGENT_GROUPS = "/agent-groups";
export const ROUTE_INBOUND_RULES = "/inbound-rules";
export const ROUTE_ROUTING_TESTER = "/inbound-rules/tester";
export const ROUTE_SCHEDULES = "/schedules";
export const ROUTE_OUTBOUND_RULES = "/outbound-rules";
export const ROUTE_TRUNKS = "/trunks";
export const ROUTE_PROVIDER_ACCOUNTS = "/provider-accounts";
export const ROUTE_CAMPAIGNS = "/campaigns";
export const ROUTE_DO_NOT_CALL = "/campaigns/do-not-call";
export const ROUTE_CALL_RECORDS = "/call-records";
export const ROUTE_DELIVERIES = "/deliveries";
export const ROUTE_EVENT_WEBHOOKS = "/event-webhooks";
export const ROUTE_ALERTS = "/alerts";
export const ROUTE_SETTINGS = "/settings";
export const ROUTE_USERS = "/settings/users";
export const ROUTE_AUDIT_LOG = "/settings/audit-log";
export const ROUTE_API_KEYS = "/settings/api-keys";

export const newPath = (base: string) => `${base}/new`;
export const itemPath = (base: string, id: string) => `${base}/${encodeURIComponent(id)}`;
