// One endpoint's deliveries: status, attempts, the last answer's status, latency and excerpt,
// each opened for its body and attempt log, and Resend for admins.
import { useState } from "react";
import { Badge, Button, Code, Group, Modal, SegmentedControl, Stack, Table, Text, Title } from "@mantine/core";
import { IconSend } from "@tabler/icons-react";
import { useDeliveries, useDelivery, useResend, type Delivery } from "../../api/event-webhooks";
import { useCanWrite } from "../../api/session";
import { ListTable } from "../../components/data-table";
import { QueryState } from "../../components/page";

const STATUS_COLOR = { held: "gray", pending: "yellow", delivered: "teal", failed: "red", cancelled: "gray" } as const;
const STATUS_WORDS = { held: "waiting for the call's earlier event", pending: "due", delivered: "delivered", failed: "gave up", cancelled: "cancelled" } as const;

export function DeliveryStatus({ status }: { status: Delivery["status"] }) {
  return (
    <Badge variant="light" color={STATUS_COLOR[status]} title={STATUS_WORDS[status]}>
      {status}
    </Badge>
  );
}

function AttemptLog({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) {
  const detail = useDelivery(endpointId, deliveryId);
  return (
    <QueryState query={detail}>
      {(d) => (
        <Stack>
          <Text size="sm">
            Idempotency id <Code>{d.id}</Code>, event <Code>{d.eventId}</Code>
            {d.callId ? (
              <>
                , call <Code>{d.callId}</Code> #{d.seq}
              </>
            ) : null}
          </Text>
          <Title order={3} size="h5">
            Body sent
          </Title>
          <Code block className="mono" style={{ maxHeight: 240, overflow: "auto", whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
            {JSON.stringify(JSON.parse(d.payload), null, 2)}
          </Code>
          <Title order={3} size="h5">
            Attempts
          </Title>
          <Table aria-label="Attempts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th>Answer</Table.Th>
                <Table.Th>Latency</Table.Th>
                <Table.Th>Response (first 2 KiB)</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.attemptLog.map((a) => (
                <Table.Tr key={`${a.n}-${a.at}`}>
                  <Table.Td>
                    {a.n}
                    {a.trigger === "resend" ? " (resend)" : ""}
                  </Table.Td>
                  <Table.Td>{new Date(a.at).toLocaleString()}</Table.Td>
                  <Table.Td>{a.statusCode ?? a.error}</Table.Td>
                  <Table.Td>{a.latencyMs} ms</Table.Td>
                  <Table.Td className="mono" style={{ wordBreak: "break-all" }}>
                    {a.responseExcerpt ?? ""}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </QueryState>
  );
}

export function EndpointDeliveries({ endpointId, enabled }: { endpointId: string; enabled: boolean }) {
  const canWrite = useCanWrite();
  const [status, setStatus] = useState("all");
  const deliveries = useDeliveries(endpointId, { status: status === "all" ? undefined : status });
  const resend = useResend(endpointId);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2} size="h4">
          Deliveries
        </Title>
        <SegmentedControl
          size="xs"
          value={status}
          onChange={setStatus}
          aria-label="Delivery status"
          data={[
            { value: "all", label: "All" },
            { value: "failed", label: "Gave up" },
            { value: "pending", label: "Retrying" },
            { value: "delivered", label: "Delivered" },
          ]}
        />
      </Group>
      <QueryState query={deliveries}>
        {(page) => (
          <ListTable minWidth={900} aria-label="Deliveries" columns={["Event", "Status", "Attempts", "Last answer", "Latency", "Response", "Created"]} actions={canWrite} rows={page.items} empty="No deliveries yet: events appear here as they are sent.">
            {(d) => (
              <Table.Tr key={d.id}>
                <Table.Td>
                  <Button variant="subtle" size="compact-sm" onClick={() => setOpen(d.id)} aria-label={`Open delivery ${d.eventType} ${d.id}`}>
                    {d.eventType}
                  </Button>
                  {d.callId && (
                    <Text size="xs" c="dimmed" className="mono">
                      {d.callId.slice(0, 16)}… #{d.seq}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <DeliveryStatus status={d.status} />
                </Table.Td>
                <Table.Td>{d.attempts}</Table.Td>
                <Table.Td>{d.lastAttempt ? (d.lastAttempt.statusCode ?? <Text size="sm">{d.lastAttempt.error}</Text>) : "—"}</Table.Td>
                <Table.Td>{d.lastAttempt ? `${d.lastAttempt.latencyMs} ms` : "—"}</Table.Td>
                <Table.Td className="mono" style={{ maxWidth: 220, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }} title={d.lastAttempt?.responseExcerpt ?? ""}>
                  {d.lastAttempt?.responseExcerpt ?? ""}
                </Table.Td>
                <Table.Td>{new Date(d.createdAt).toLocaleString()}</Table.Td>
                {canWrite && (
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="light"
                      leftSection={<IconSend size={14} aria-hidden />}
                      disabled={!enabled}
                      title={enabled ? undefined : "Enable the endpoint to resend"}
                      aria-label={`Resend ${d.eventType} ${d.id}`}
                      onClick={() => resend.mutate(d.id)}
                    >
                      Resend
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            )}
          </ListTable>
        )}
      </QueryState>
      <Modal opened={open !== null} onClose={() => setOpen(null)} title="Delivery" size="xl">
        {open && <AttemptLog endpointId={endpointId} deliveryId={open} />}
      </Modal>
    </Stack>
  );
}
