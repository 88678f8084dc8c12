import { lazy, Suspense, type ReactNode } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router";
import { Center, Loader } from "@mantine/core";
import { useSession } from "./api/session";
import { Layout } from "./components/layout";
import { LoginPage } from "./views/login";
import * as R from "./routes";

const Dashboard = lazy(() => import("./views/dashboard"));
const AgentList = lazy(() => import("./views/voice-agents/list"));
const AgentAdd = lazy(() => import("./views/voice-agents/add"));
const AgentEdit = lazy(() => import("./views/voice-agents/edit"));
const GroupList = lazy(() => import("./views/agent-groups/list"));
const GroupAdd = lazy(() => import("./views/agent-groups/add"));
const GroupEdit = lazy(() => import("./views/agent-groups/edit"));
const InboundList = lazy(() => import("./views/inbound-rules/list"));
const InboundAdd = lazy(() => import("./views/inbound-rules/add"));
const InboundEdit = lazy(() => import("./views/inbound-rules/edit"));
const RoutingTester = lazy(() => import("./views/inbound-rules/routing-tester"));
const ScheduleList = lazy(() => import("./views/schedules/list"));
const ScheduleAdd = lazy(() => import("./views/schedules/add"));
const ScheduleEdit = lazy(() => import("./views/schedules/edit"));
const OutboundList = lazy(() => import("./views/outbound-rules/list"));
const OutboundAdd = lazy(() => import("./views/outbound-rules/add"));
const OutboundEdit = lazy(() => import("./views/outbound-rules/edit"));
const TrunkList = lazy(() => import("./views/trunks/list"));
const TrunkAdd = lazy(() => import("./views/trunks/add"));
const TrunkEdit = lazy(() => import("./views/trunks/edit"));
const ProviderAccountList = lazy(() => import("./views/provider-accounts/list"));
const ProviderAccountAdd = lazy(() => import("./views/provider-accounts/add"));
const ProviderAccountEdit = lazy(() => import("./views/provider-accounts/edit"));
const CampaignList = lazy(() => import("./views/campaigns/list"));
const CampaignAdd = lazy(() => import("./views/campaigns/add"));
const CampaignDetail = lazy(() => import("./views/campaigns/detail"));
const DoNotCall = lazy(() => import("./views/campaigns/do-not-call"));
const CallRecords = lazy(() => import("./views/call-records/list"));
const CallRecordDetail = lazy(() => import("./views/call-records/detail"));
const Deliveries = lazy(() => import("./views/deliveries"));
const EventWebhooks = lazy(() => import("./views/integrations/event-webhooks"));
const Alerts = lazy(() => import("./views/integrations/alerts"));
const Settings = lazy(() => import("./views/settings/tenant"));
const Users = lazy(() => import("./views/settings/users"));
const AuditLog = lazy(() => import("./views/settings/audit-log"));
const ApiKeys = lazy(() => import("./views/settings/api-keys"));

function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) return <Navigate to={R.ROUTE_LOGIN} replace state={{ from: location.pathname + location.search }} />;
  return children;
}

const loading = (
  <Center h={200}>
    <Loader role="status" aria-label="Loading" />
  </Center>
);

export function App() {
  return (
    <Routes>
      <Route path={R.ROUTE_LOGIN} element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <Layout />
          </RequireAuth>
        }
      >
        {(
          [
            [R.ROUTE_DASHBOARD, Dashboard],
            [R.ROUTE_VOICE_AGENTS, AgentList],
            [R.newPath(R.ROUTE_VOICE_AGENTS), AgentAdd],
            [`${R.ROUTE_VOICE_AGENTS}/:id`, AgentEdit],
            [R.ROUTE_AGENT_GROUPS, GroupList],
            [R.newPath(R.ROUTE_AGENT_GROUPS), GroupAdd],
            [`${R.ROUTE_AGENT_GROUPS}/:id`, GroupEdit],
            [R.ROUTE_INBOUND_RULES, InboundList],
            [R.ROUTE_ROUTING_TESTER, RoutingTester],
            [R.newPath(R.ROUTE_INBOUND_RULES), InboundAdd],
            [`${R.ROUTE_INBOUND_RULES}/:id`, InboundEdit],
            [R.ROUTE_SCHEDULES, ScheduleList],
            [R.newPath(R.ROUTE_SCHEDULES), ScheduleAdd],
            [`${R.ROUTE_SCHEDULES}/:id`, ScheduleEdit],
            [R.ROUTE_OUTBOUND_RULES, OutboundList],
            [R.newPath(R.ROUTE_OUTBOUND_RULES), OutboundAdd],
            [`${R.ROUTE_OUTBOUND_RULES}/:id`, OutboundEdit],
            [R.ROUTE_TRUNKS, TrunkList],
            [R.newPath(R.ROUTE_TRUNKS), TrunkAdd],
            [`${R.ROUTE_TRUNKS}/:id`, TrunkEdit],
            [R.ROUTE_PROVIDER_ACCOUNTS, ProviderAccountList],
            [R.newPath(R.ROUTE_PROVIDER_ACCOUNTS), ProviderAccountAdd],
            [`${R.ROUTE_PROVIDER_ACCOUNTS}/:id`, ProviderAccountEdit],
            [R.ROUTE_CAMPAIGNS, CampaignList],
            [R.newPath(R.ROUTE_CAMPAIGNS), CampaignAdd],
            [R.ROUTE_DO_NOT_CALL, DoNotCall],
            [`${R.ROUTE_CAMPAIGNS}/:id`, CampaignDetail],
            [R.ROUTE_CALL_RECORDS, CallRecords],
            [`${R.ROUTE_CALL_RECORDS}/:id`, CallRecordDetail],
            [R.ROUTE_DELIVERIES, Deliveries],
            [R.ROUTE_EVENT_WEBHOOKS, EventWebhooks],
            [R.ROUTE_ALERTS, Alerts],
            [R.ROUTE_SETTINGS, Settings],
            [R.ROUTE_USERS, Users],
            [R.ROUTE_AUDIT_LOG, AuditLog],
            [R.ROUTE_API_KEYS, ApiKeys],
          ] as const
        ).map(([path, Screen]) => (
          <Route
            key={path}
            path={path}
            element={
              <Suspense fallback={loading}>
                <Screen />
              </Suspense>
            }
          />
        ))}
        <Route path="*" element={<Navigate to={R.ROUTE_DASHBOARD} replace />} />
      </Route>
    </Routes>
  );
}
