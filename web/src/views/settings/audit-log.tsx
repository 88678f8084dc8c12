import { useState } from "react";
import { Button, Code, Group, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useGroups } from "../../api/agent-groups";
import { useSession } from "../../api/session";
import { useAuditLog, useUsers, type AuditEntity } from "../../api/tenant";
import { useAgents } from "../../api/voice-agents";
import { ListTable } from "../../components/data-table";
import { PageHeader, QueryState } from "../../components/page";
import { useCursorPages } from "../../lib/cursor-pages";
import { changedFields, entityName, type NameLookup } from "./audit-entry-text";

/** Every entity the Worker audits (the Record makes a new one a type error here), and the dead letters admins resolve. */
const ENTITY_LABELS: Record<AuditEntity | "dead_letter" | "api_key", string> = {
  voice_agent: "Voice agents",
  agent_group: "Agent groups",
  inbound_rule: "Inbound rules",
  outbound_rule: "Outbound rules",
  trunk: "Trunks",
  schedule: "Schedules",
  provider_account: "Provider accounts",
  campaign: "Campaigns",
  tenant: "Tenant settings",
  user: "Users",
  dead_letter: "Dead letters",
  api_key: "API keys",
};
type EntityFilter = keyof typeof ENTITY_LABELS;
const ENTITIES = (Object.keys(ENTITY_LABELS) as EntityFilter[]).map((value) => ({ value, label: ENTITY_LABELS[value] }));

/** Current names of the entities entries may name without a snapshot: users (sign-ins), groups (member changes), agents, the tenant. */
function useNameLookup(): NameLookup {
  const users = useUsers();
  const agents = useAgents({});
  const groups = useGroups();
  const tenant = useSession()?.tenant;
  return (type, id) => {
    if (type === "user") return users.data?.items.find((u) => u.id === id)?.email;
    if (type === "voice_agent") return agents.data?.items.find((a) => a.id === id)?.name;
    if (type === "agent_group") return groups.data?.items.find((g) => g.id === id)?.name;
    if (type === "tenant" && tenant?.id === id) return tenant.name;
    return null;
  };
}

export default function AuditLog() {
  const [entityType, setEntityType] = useState<EntityFilter | null>(null);
  const nameOf = useNameLookup();
  const [actorText, setActorText] = useState("");
  const [actor] = useDebouncedValue(actorText.trim(), 300);
  const pages = useCursorPages();
  const log = useAuditLog({ entityType: entityType ?? undefined, actor: actor || undefined, cursor: pages.cursor });
  return (
    <>
      <PageHeader title="Audit log" description="Who changed what, and when (newest first)" />
      <Group mb="md" align="flex-end">
        <Select label="Entity" placeholder="Any" clearable data={ENTITIES} value={entityType} onChange={(v) => (setEntityType(ENTITIES.find((e) => e.value === v)?.value ?? null), pages.reset())} w={200} />
        <TextInput label="Actor" placeholder="Email, user id or API key id" value={actorText} onChange={(e) => (setActorText(e.currentTarget.value), pages.reset())} w={240} />
      </Group>
      <QueryState query={log}>
        {(data) => (
          <ListTable minWidth={800} striped aria-label="Audit log" columns={["When", "Who", "Action", "Entity", "Changed"]} rows={data.items} empty="Nothing recorded for these filters.">
            {(entry) => (
              <Table.Tr key={entry.id}>
                <Table.Td>{new Date(entry.at).toLocaleString()}</Table.Td>
                <Table.Td>{entry.actor.apiKey ? <span title={entry.actor.apiKey.id}>API key {entry.actor.apiKey.name ?? entry.actor.apiKey.id}</span> : (entry.actor.email ?? entry.actor.userId ?? "system")}</Table.Td>
                <Table.Td>
                  <Code>{entry.action}</Code>
                </Table.Td>
                <Table.Td>
                  <Stack gap={0}>
                    <Text size="sm" title={entry.entityId ?? undefined}>
                      {entityName(entry, nameOf)}
                    </Text>
                    {entry.entityId && (
                      <Text size="xs" c="dimmed" className="mono">
                        {ENTITY_LABELS[entry.entityType as EntityFilter] ?? entry.entityType} · {entry.entityId}
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td>{changedFields(entry)}</Table.Td>
              </Table.Tr>
            )}
          </ListTable>
        )}
      </QueryState>
      <Group justify="flex-end" mt="sm">
        <Button variant="default" disabled={pages.page === 1} onClick={pages.previous}>
          Newer
        </Button>
        <Button variant="default" disabled={!log.data?.nextCursor} onClick={() => pages.next(log.data!.nextCursor!)}>
          Older
        </Button>
      </Group>
    </>
  );
}
