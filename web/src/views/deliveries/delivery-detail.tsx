import type { ReactNode } from "react";
import { Link } from "react-router";
import { Alert, Anchor, Code, Group, Modal, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useDelivery } from "../../api/debugger";
import { QueryState } from "../../components/page";
import { itemPath, ROUTE_CALL_RECORDS } from "../../routes";
import { DeliveryStatus } from "./status";

/** A label and its value, as a term and its description. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" component="dt">
        {label}
      </Text>
      <Text size="sm" component="dd" m={0} style={{ overflowWrap: "anywhere" }}>
        {children}
      </Text>
    </div>
  );
}

/** Text as received or sent, in monospace; "(empty)" when there is none. */
export function RawText({ label, text }: { label: string; text: string | null | undefined }) {
  return (
    <Stack gap={4}>
      <Title order={3} size="h6">
        {label}
      </Title>
      {text ? (
        <Code block style={{ whiteSpace: "pre-wrap", wordBreak: "break-all", maxHeight: 320, overflow: "auto" }} aria-label={label} tabIndex={0}>
          {text}
        </Code>
      ) : (
        <Text size="sm" c="dimmed">
          (empty)
        </Text>
      )}
    </Stack>
  );
}

/** One delivery whole: what Cloudonix sent, what we answered, how and how fast. */
export function DeliveryDetailModal({ id, onClose }: { id: number | null; onClose(): void }) {
  const delivery = useDelivery(id);
  return (
    <Modal opened={id !== null} onClose={onClose} title="Webhook delivery" size="xl">
      <QueryState query={delivery}>
        {(d) => (
          <Stack>
            <Group gap="sm">
              <DeliveryStatus status={d.status} statusCode={d.statusCode} />
              <Code>{d.outcome}</Code>
            </Group>
            <SimpleGrid cols={{ base: 2, sm: 3 }} component="dl" m={0}>
              <Fact label="Webhook">
                {d.method} {d.kind}
              </Fact>
              <Fact label="Received">{new Date(d.receivedAt).toLocaleString()}</Fact>
              <Fact label="Answered in">{d.durationMs} ms</Fact>
              <Fact label="Call">{d.callId ? <span className="mono">{d.callId}</span> : "—"}</Fact>
              <Fact label="Delivery id">
                <span className="mono">{d.deliveryId}</span>
              </Fact>
              <Fact label="Call record">
                {d.callRecordId ? (
                  <Anchor component={Link} to={itemPath(ROUTE_CALL_RECORDS, d.callRecordId)}>
                    Open the call record
                  </Anchor>
                ) : (
                  "none stored"
                )}
              </Fact>
            </SimpleGrid>
            {d.error && (
              <Alert color="red" title="Error" role="note">
                {d.error}
              </Alert>
            )}
            <RawText label="Request query" text={d.request.query} />
            <RawText label="Request body" text={d.request.body} />
            {d.request.truncated && (
              <Text size="sm" c="dimmed">
                The request was longer than what is kept: it is shown cut.
              </Text>
            )}
            <RawText label="Our answer" text={d.response} />
          </Stack>
        )}
      </QueryState>
    </Modal>
  );
}
