import { useState } from "react";
import { Button, Code, Group, Select, Table, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useAuditLog, type AuditEntity, type AuditEntry } from "../../api/tenant";
import { ListTable } from "../../components/data-table";
import { PageHeader, QueryState } from "../../components/page";
import { useCursorPages } from "../../lib/cursor-pages";

/** Every entity the Worker audits (the Record makes a new one a type error here). */
const ENTITY_LABELS: Record<AuditEntity, string> = {
  voice_agent: "Voice agents",
  agent_group: "Agent groups",
  inbound_rule: "Inbound rules",
  outbound_rule: "Outbound rules",
  trunk: "Trunks",
  tenant: "Tenant settings",
  user: "Users",
};
const ENTITIES = (Object.keys(ENTITY_LABELS) as AuditEntity[]).map((value) => ({ value, label: ENTITY_LABELS[value] }));

function changedFields(entry: AuditEntry): string {
  const before = (entry.before ?? {}) as Record<string, unknown>;
  const after = (entry.after ?? {}) as Record<string, unknown>;
  if (!entry.before) return "created";
  if (!entry.after) return "deleted";
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !["version", "updatedAt"].includes(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return keys.length ? keys.join(", ") : "—";
}

export default function AuditLog() {
  const [entityType, setEntityType] = useState<AuditEntity | null>(null);
  const [actorText, setActorText] = useState("");
  const [actor] = useDebouncedValue(actorText.trim(), 300);
  const pages = useCursorPages();
  const log = useAuditLog({ entityType: entityType ?? undefined, actor: actor || undefined, cursor: pages.cursor });
  return (
    <>
      <PageHeader title="Audit log" description="Who changed what, and when (newest first)" />
      <Group mb="md" align="flex-end">
        <Select label="Entity" placeholder="Any" clearable data={ENTITIES} value={entityType} onChange={(v) => (setEntityType(ENTITIES.find((e) => e.value === v)?.value ?? null), pages.reset())} w={200} />
        <TextInput label="Actor" placeholder="Email or user id" value={actorText} onChange={(e) => (setActorText(e.currentTarget.value), pages.reset())} w={240} />
      </Group>
      <QueryState query={log}>
        {(data) => (
          <ListTable minWidth={800} striped aria-label="Audit log" columns={["When", "Who", "Action", "Entity", "Changed"]} rows={data.items} empty="Nothing recorded for these filters.">
            {(entry) => (
              <Table.Tr key={entry.id}>
                <Table.Td>{new Date(entry.at).toLocaleString()}</Table.Td>
                <Table.Td>{entry.actor.email ?? entry.actor.userId ?? "system"}</Table.Td>
                <Table.Td>
                  <Code>{entry.action}</Code>
                </Table.Td>
                <Table.Td className="mono">{entry.entityId ?? entry.entityType}</Table.Td>
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
