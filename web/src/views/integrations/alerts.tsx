// Alerts: the open ones first, the recent ones, and the rules that raise them (admins edit).
import { useState } from "react";
import { Badge, Button, Modal, Stack, Table, Text, Title } from "@mantine/core";
import { IconPencil } from "@tabler/icons-react";
import { useAlertRules, useAlerts, useDeleteAlertRule, useToggleAlertRule, type Alert, type AlertRule } from "../../api/alerts";
import { useCanWrite } from "../../api/session";
import { ListTable } from "../../components/data-table";
import { DeleteCell } from "../../components/delete-cell";
import { OptimisticSwitch } from "../../components/optimistic-switch";
import { AddButton, PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
import { AlertRuleForm, KIND_LABELS } from "./alert-rule-form";

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");

function AlertsTable({ items, label, empty }: { items: Alert[]; label: string; empty: string }) {
  return (
    <ListTable minWidth={800} aria-label={label} columns={["Status", "Alert", "Rule", "Opened", "Notified", "Resolved"]} rows={items} empty={empty}>
      {(a) => (
        <Table.Tr key={a.id}>
          <Table.Td>
            <Badge variant="light" color={a.status === "open" ? "red" : "teal"}>
              {a.status}
            </Badge>
          </Table.Td>
          <Table.Td style={{ maxWidth: 420 }}>
            <Text size="sm">{a.message}</Text>
          </Table.Td>
          <Table.Td>{a.ruleName ?? (a.ruleId ? "(deleted rule)" : "the router")}</Table.Td>
          <Table.Td>{when(a.openedAt)}</Table.Td>
          <Table.Td>
            {a.notifications}× {a.lastNotifiedAt ? `(last ${new Date(a.lastNotifiedAt).toLocaleTimeString()})` : ""}
          </Table.Td>
          <Table.Td>{when(a.resolvedAt)}</Table.Td>
        </Table.Tr>
      )}
    </ListTable>
  );
}

function RuleRow({ rule, onEdit }: { rule: AlertRule; onEdit(): void }) {
  const canWrite = useCanWrite();
  const toggle = useToggleAlertRule();
  const remove = useDeleteAlertRule();
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" fw={500}>
          {rule.name}
        </Text>
      </Table.Td>
      <Table.Td>{KIND_LABELS[rule.kind]}</Table.Td>
      <Table.Td>{[rule.notifyWebhooks && "event webhooks", rule.hasSlackUrl && "Slack"].filter(Boolean).join(", ") || <Text c="dimmed">nowhere (listed here only)</Text>}</Table.Td>
      <Table.Td>{rule.cooldownMinutes} min</Table.Td>
      <Table.Td>
        <OptimisticSwitch checked={rule.enabled} label={`${rule.enabled ? "Disable" : "Enable"} ${rule.name}`} save={(enabled) => toggle.mutateAsync({ id: rule.id, enabled })} />
      </Table.Td>
      {canWrite && (
        <Table.Td>
          <Button size="xs" variant="light" leftSection={<IconPencil size={14} aria-hidden />} onClick={onEdit} aria-label={`Edit ${rule.name}`}>
            Edit
          </Button>
        </Table.Td>
      )}
      {canWrite && <DeleteCell label={`Delete ${rule.name}`} title={`Delete "${rule.name}"?`} body="Its open alerts are resolved, and it raises no more." onConfirm={() => remove.mutate(rule.id)} />}
    </Table.Tr>
  );
}

export default function Alerts() {
  const canWrite = useCanWrite();
  const open = useAlerts("open");
  const recent = useAlerts();
  const rules = useAlertRules();
  const [editing, setEditing] = useState<AlertRule | "new" | null>(null);
  return (
    <>
      <PageHeader
        title="Alerts"
        description="Open alerts, the most recent ones, and the rules that raise them. Each alert fires once, repeats at most every cooldown while it holds, and resolves."
        actions={<AddButton onClick={() => setEditing("new")}>Add alert rule</AddButton>}
      />
      <ReadOnlyNotice />
      <Stack gap="xl">
        <Stack gap="sm">
          <Title order={2} size="h4">
            Open alerts
          </Title>
          <QueryState query={open}>{(data) => <AlertsTable items={data.items} label="Open alerts" empty="Nothing is alerting." />}</QueryState>
        </Stack>
        <Stack gap="sm">
          <Title order={2} size="h4">
            Rules
          </Title>
          <QueryState query={rules}>
            {(data) => (
              <ListTable
                minWidth={800}
                aria-label="Alert rules"
                columns={["Name", "Alert when", "Notifies", "Repeats", "Enabled", canWrite && { label: <span className="visually-hidden">Edit</span>, w: 90 }]}
                actions={canWrite}
                rows={data.items}
                empty="No alert rules yet. An event webhook the router disables still raises an alert."
              >
                {(rule) => <RuleRow key={rule.id} rule={rule} onEdit={() => setEditing(rule)} />}
              </ListTable>
            )}
          </QueryState>
        </Stack>
        <Stack gap="sm">
          <Title order={2} size="h4">
            Recent alerts
          </Title>
          <QueryState query={recent}>{(data) => <AlertsTable items={data.items} label="Recent alerts" empty="No alerts yet." />}</QueryState>
        </Stack>
      </Stack>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === "new" ? "Add an alert rule" : "Edit the alert rule"} size="lg">
        {editing && <AlertRuleForm rule={editing === "new" ? undefined : editing} onDone={() => setEditing(null)} />}
      </Modal>
    </>
  );
}
