import { Suspense, useEffect } from "react";
import { NavLink as RouterNavLink, Outlet, useLocation } from "react-router";
import { AppShell, Badge, Burger, Group, Menu, NavLink, Text, Title, UnstyledButton } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import {
  IconAdjustments,
  IconArrowsSplit,
  IconBellRinging,
  IconBug,
  IconChevronDown,
  IconClock,
  IconDashboard,
  IconHistory,
  IconKey,
  IconListDetails,
  IconLogout,
  IconPhoneIncoming,
  IconPhoneOutgoing,
  IconRobot,
  IconServer,
  IconGauge,
  IconSpeakerphone,
  IconUsers,
  IconUsersGroup,
  IconWebhook,
} from "@tabler/icons-react";
import { logout } from "../api/auth";
import { useSession } from "../api/session";
import { RealtimeProvider } from "../realtime/provider";
import * as R from "../routes";
import { ConnectionIndicator } from "./connection-indicator";
import { SessionWatch } from "./session-watch";

const NAV = [
  { to: R.ROUTE_DASHBOARD, label: "Dashboard", icon: IconDashboard, end: true },
  { to: R.ROUTE_VOICE_AGENTS, label: "Voice agents", icon: IconRobot },
  { to: R.ROUTE_AGENT_GROUPS, label: "Agent groups", icon: IconUsersGroup },
  { to: R.ROUTE_INBOUND_RULES, label: "Inbound rules", icon: IconPhoneIncoming, end: true },
  { to: R.ROUTE_ROUTING_TESTER, label: "Routing tester", icon: IconArrowsSplit },
  { to: R.ROUTE_SCHEDULES, label: "Schedules", icon: IconClock },
  { to: R.ROUTE_OUTBOUND_RULES, label: "Outbound rules", icon: IconPhoneOutgoing },
  { to: R.ROUTE_TRUNKS, label: "Trunks", icon: IconServer },
  { to: R.ROUTE_PROVIDER_ACCOUNTS, label: "Provider accounts", icon: IconGauge },
  { to: R.ROUTE_CAMPAIGNS, label: "Campaigns", icon: IconSpeakerphone },
  { to: R.ROUTE_CALL_RECORDS, label: "Call records", icon: IconListDetails },
  { to: R.ROUTE_DELIVERIES, label: "Deliveries", icon: IconBug },
  { to: R.ROUTE_EVENT_WEBHOOKS, label: "Event webhooks", icon: IconWebhook },
  { to: R.ROUTE_ALERTS, label: "Alerts", icon: IconBellRinging },
  { to: R.ROUTE_SETTINGS, label: "Settings", icon: IconAdjustments, end: true },
  { to: R.ROUTE_USERS, label: "Users", icon: IconUsers },
  { to: R.ROUTE_AUDIT_LOG, label: "Audit log", icon: IconHistory },
  { to: R.ROUTE_API_KEYS, label: "API keys", icon: IconKey },
];

export function Layout() {
  const [opened, { toggle, close }] = useDisclosure();
  const current = useSession();
  const location = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the navbar closes on every navigation (pathname).
  useEffect(close, [location.pathname, close]);

  return (
    <RealtimeProvider>
      <SessionWatch />
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="lg">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
              {/* One line, a size smaller on a phone, so the badges beside it keep their words. */}
              <Title order={2} size="h4" fz={{ base: "md", sm: "lg" }} style={{ whiteSpace: "nowrap" }}>
                Agent Router
              </Title>
              <Text size="sm" c="dimmed" visibleFrom="sm">
                {current?.tenant.name}
              </Text>
            </Group>
            <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
              <ConnectionIndicator />
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <UnstyledButton>
                    <Group gap={6} wrap="nowrap">
                      {/* On a phone the name would squeeze the badges to "L…" and "READ…"; the menu names the user. */}
                      <Text size="sm" fw={500} visibleFrom="sm">
                        {current?.user.name || current?.user.email}
                      </Text>
                      <Badge variant="light" color={current?.user.role === "admin" ? "indigo" : "gray"}>
                        {current?.user.role === "admin" ? "admin" : "read-only"}
                      </Badge>
                      <span className="visually-hidden">account menu</span>
                      <IconChevronDown size={14} aria-hidden />
                    </Group>
                  </UnstyledButton>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>{current?.user.email}</Menu.Label>
                  <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={() => void logout()}>
                    Sign out
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label="Main navigation">
          <nav aria-label="Screens">
            {NAV.map(({ to, label, icon: Icon, end }) => (
              <NavLink key={to} component={RouterNavLink} to={to} end={end} label={label} leftSection={<Icon size={18} aria-hidden />} active={end ? location.pathname === to : location.pathname.startsWith(to)} />
            ))}
          </nav>
        </AppShell.Navbar>
        <AppShell.Main id="main" tabIndex={-1}>
          <Suspense>
            <Outlet />
          </Suspense>
        </AppShell.Main>
      </AppShell>
    </RealtimeProvider>
  );
}
