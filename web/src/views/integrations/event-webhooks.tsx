// Event webhooks: the tenant's endpoints (status, events, secret hint), a new one with its
// secret shown once, rotation, enable/disable, delete, and the chosen endpoint's deliveries.
import { useState } from "react";
import { Alert, Badge, Button, Code, Group, Modal, Stack, Table, Text } from "@mantine/core";
import { IconRefresh } from "@tabler/icons-react";
import { useDeleteEventWebhook, useEventWebhooks, useRotateSecret, useUpdateEventWebhook, type EventWebhook } from "../../api/event-webhooks";
import { useCanWrite } from "../../api/session";
import { confirmAction } from "../../components/confirm";
import { ListTable } from "../../components/data-table";
import { DeleteCell } from "../../components/delete-cell";
import { OptimisticSwitch } from "../../components/optimistic-switch";
import { AddButton, PageHeader, QueryState } from "../../components/page";
import { CopyField } from "../settings/webhook-credentials";
import { EndpointDeliveries } from "./endpoint-deliveries";
import { EndpointForm } from "./endpoint-form";

/** A secret shown once: after creating an endpoint or rotating its secret. */
interface ShownSecret {
  title: string;
  secret: string;
  note: string;
}

function EndpointRow({ item, selected, onSelect, onSecret }: { item: EventWebhook; selected: boolean; onSelect(): void; onSecret(shown: ShownSecret): void }) {
  const canWrite = useCanWrite();
  const update = useUpdateEventWebhook();
  const rotate = useRotateSecret();
  const remove = useDeleteEventWebhook();
  const name = item.description || item.url;
  return (
    <Table.Tr aria-selected={selected} bg={selected ? "var(--mantine-color-blue-light)" : undefined}>
      <Table.Td style={{ maxWidth: 360 }}>
        <Button variant="subtle" size="compact-sm" onClick={onSelect} aria-label={`Show deliveries of ${name}`} styles={{ label: { whiteSpace: "normal", textAlign: "left" } }}>
          {item.description || "(no description)"}
        </Button>
        <Text size="xs" className="mono" style={{ wordBreak: "break-all" }}>
          {item.url}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {item.eventTypes.map((type) => (
            <Badge key={type} variant="outline" size="sm" tt="none">
              {type}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>
        <OptimisticSwitch checked={item.enabled} label={`${item.enabled ? "Disable" : "Enable"} ${name}`} save={(enabled) => update.mutateAsync({ id: item.id, enabled })} />
        {item.disabledReason && (
          <Text size="xs" c="red" mt={4}>
            Disabled by the router: {item.disabledReason}
          </Text>
        )}
        {item.enabled && item.failingSince && (
          <Text size="xs" c="orange" mt={4}>
            Failing since {new Date(item.failingSince).toLocaleString()}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" className="mono">
          …{item.secretHint}
        </Text>
        {item.previousSecretExpiresAt && (
          <Text size="xs" c="dimmed">
            old one signs too until {new Date(item.previousSecretExpiresAt).toLocaleString()}
          </Text>
        )}
      </Table.Td>
      {canWrite && (
        <Table.Td>
          <Button
            size="xs"
            variant="light"
            leftSection={<IconRefresh size={14} aria-hidden />}
            aria-label={`Rotate the secret of ${name}`}
            loading={rotate.isPending}
            onClick={() =>
              confirmAction({
                title: "Rotate the signing secret?",
                body: "A new secret is made and shown once. For a day both secrets sign every delivery (two v1 values), so you can update your receiver without losing events.",
                confirm: "Rotate",
                onConfirm: () => void rotate.mutateAsync(item.id).then((r) => onSecret({ title: `New secret of ${name}`, secret: r.secret, note: "The previous secret keeps signing too until it expires." })),
              })
            }
          >
            Rotate secret
          </Button>
        </Table.Td>
      )}
      {canWrite && <DeleteCell label={`Delete ${name}`} title={`Delete ${name}?`} body="It receives nothing more, and its delivery log goes with it." onConfirm={() => remove.mutate(item.id)} />}
    </Table.Tr>
  );
}

export default function EventWebhooks() {
  const canWrite = useCanWrite();
  const endpoints = useEventWebhooks();
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const current = endpoints.data?.items.find((e) => e.id === selected) ?? endpoints.data?.items[0];
  return (
    <>
      <PageHeader
        title="Event webhooks"
        description={
          <>
            Your HTTPS endpoints receive call, agent, configuration and alert events, signed: check <Code>X-Router-Signature</Code> (t=…,v1=HMAC-SHA-256 of "t.body") with the endpoint's secret, and use <Code>Idempotency-Key</Code> to take each event once.
          </>
        }
        actions={<AddButton onClick={() => setAdding(true)}>Add endpoint</AddButton>}
      />
      <QueryState query={endpoints}>
        {(data) => (
          <Stack gap="xl">
            <ListTable
              minWidth={900}
              aria-label="Event webhooks"
              columns={["Endpoint", "Events", "Enabled", "Secret", canWrite && { label: <span className="visually-hidden">Rotate</span>, w: 140 }]}
              actions={canWrite}
              rows={data.items}
              empty="No event webhooks yet."
            >
              {(item) => <EndpointRow key={item.id} item={item} selected={item.id === current?.id} onSelect={() => setSelected(item.id)} onSecret={setShown} />}
            </ListTable>
            {current && <EndpointDeliveries key={current.id} endpointId={current.id} enabled={current.enabled} />}
          </Stack>
        )}
      </QueryState>
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add an event webhook" size="lg">
        {adding && (
          <EndpointForm
            onClose={() => setAdding(false)}
            onCreated={(endpoint) => {
              setAdding(false);
              setSelected(endpoint.id);
              setShown({ title: `Signing secret of ${endpoint.description || endpoint.url}`, secret: endpoint.secret, note: "Your receiver needs it to check each delivery's signature." });
            }}
          />
        )}
      </Modal>
      <Modal opened={shown !== null} onClose={() => setShown(null)} title={shown?.title ?? ""} size="lg" closeOnClickOutside={false}>
        <Stack>
          <Alert color="yellow" role="note">
            Copy it now: it is never shown again. {shown?.note}
          </Alert>
          {shown && <CopyField label="Signing secret" value={shown.secret} />}
          <Group justify="flex-end">
            <Button onClick={() => setShown(null)}>I have copied it</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
