import { Link } from "react-router";
import { Alert, Anchor, Group, Modal, SimpleGrid, Stack, Text } from "@mantine/core";
import { useDeadLetter } from "../../api/debugger";
import { useCanWrite } from "../../api/session";
import { QueryState } from "../../components/page";
import { dateTime } from "../../lib/format";
import { itemPath, ROUTE_CALL_RECORDS } from "../../routes";
import { Fact, RawText } from "./delivery-detail";
import { LetterActions } from "./letter-actions";
import { LetterStatus } from "./status";

/** One dead letter: why it was parked, its body, and what can be done with it. */
export function LetterDetailModal({ id, onClose }: { id: number | null; onClose(): void }) {
  const letter = useDeadLetter(id);
  const canWrite = useCanWrite();
  return (
    <Modal opened={id !== null} onClose={onClose} title="Dead letter" size="xl">
      <QueryState query={letter}>
        {(l) => (
          <Stack>
            <Group gap="sm">
              <LetterStatus status={l.status} />
              <Text size="sm">{l.kind ?? "unknown kind"}</Text>
            </Group>
            <SimpleGrid cols={{ base: 2, sm: 3 }} component="dl" m={0}>
              <Fact label="Parked">{dateTime(l.receivedAt)}</Fact>
              <Fact label="Queue">{l.queue}</Fact>
              <Fact label="Tries">{l.attempts}</Fact>
              <Fact label="Call">{l.callId ? <span className="mono">{l.callId}</span> : "—"}</Fact>
              <Fact label="Message id">
                <span className="mono">{l.messageId}</span>
              </Fact>
              <Fact label="Call record">
                {l.callRecordId ? (
                  <Anchor component={Link} to={itemPath(ROUTE_CALL_RECORDS, l.callRecordId)}>
                    Open the call record
                  </Anchor>
                ) : (
                  "none stored"
                )}
              </Fact>
              {l.resolvedAt && (
                <Fact label={l.status === "replayed" ? "Replayed" : "Discarded"}>
                  {dateTime(l.resolvedAt)} by {l.resolvedBy ?? "unknown"}
                </Fact>
              )}
            </SimpleGrid>
            <Alert color="red" title="Why it was parked" role="note">
              {l.error ?? "No error was recorded."}
            </Alert>
            {l.problem && (
              <Alert color="yellow" title="Cannot be replayed" role="note">
                This letter cannot be replayed: {l.problem}. Discard it once you have dealt with it.
              </Alert>
            )}
            <RawText label="Body" text={l.body} />
            {l.bodyTruncated && (
              <Text size="sm" c="dimmed">
                The body was cut when it was parked.
              </Text>
            )}
            {l.status === "parked" &&
              (canWrite ? (
                <LetterActions id={l.id} problem={l.problem} size="sm" onDone={onClose} />
              ) : (
                <Text size="sm" c="dimmed">
                  Only an admin of this tenant can replay or discard letters; you have read-only access.
                </Text>
              ))}
          </Stack>
        )}
      </QueryState>
    </Modal>
  );
}
