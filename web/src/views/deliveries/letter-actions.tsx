import { Button, Group, Text } from "@mantine/core";
import { modals } from "@mantine/modals";
import { IconRefresh, IconTrash } from "@tabler/icons-react";
import { useDiscardLetter, useReplayAll, useReplayLetter } from "../../api/debugger";
import { confirmAction } from "../../components/confirm";

function confirmReplay(title: string, body: string, onConfirm: () => void) {
  modals.openConfirmModal({ title, children: <Text size="sm">{body}</Text>, labels: { confirm: "Replay", cancel: "Cancel" }, onConfirm });
}

/**
 * Replay and Discard of one parked letter, each asked first; for admins only (the caller
 * decides). A letter that cannot be replayed shows why instead of a Replay that would fail.
 */
export function LetterActions({ id, problem, size = "xs", onDone }: { id: number; problem?: string | null; size?: "xs" | "sm"; onDone?(): void }) {
  const replay = useReplayLetter();
  const discard = useDiscardLetter();
  return (
    <Group gap="xs" wrap="nowrap">
      <Button
        size={size}
        variant="light"
        leftSection={<IconRefresh size={14} aria-hidden />}
        loading={replay.isPending}
        disabled={!!problem}
        title={problem ? `Cannot be replayed: ${problem}` : undefined}
        aria-label={`Replay letter ${id}`}
        onClick={() => confirmReplay("Replay this letter?", "Its message is stored as the queue would have stored it; what is already stored is not stored twice.", () => replay.mutate(id, { onSuccess: onDone }))}
      >
        Replay
      </Button>
      <Button
        size={size}
        variant="subtle"
        color="red"
        leftSection={<IconTrash size={14} aria-hidden />}
        loading={discard.isPending}
        aria-label={`Discard letter ${id}`}
        onClick={() =>
          confirmAction({
            title: "Discard this letter?",
            body: "Its message will never be stored. The letter stays listed as discarded.",
            confirm: "Discard",
            onConfirm: () => discard.mutate(id, { onSuccess: onDone }),
          })
        }
      >
        Discard
      </Button>
    </Group>
  );
}

export function ReplayAllButton({ parked }: { parked: boolean }) {
  const replayAll = useReplayAll();
  return (
    <Button
      leftSection={<IconRefresh size={16} aria-hidden />}
      loading={replayAll.isPending}
      disabled={!parked}
      onClick={() => confirmReplay("Replay every parked letter?", "Up to 200 parked letters are replayed, oldest first. Letters that cannot be replayed stay parked.", () => replayAll.mutate(undefined))}
    >
      Replay all parked
    </Button>
  );
}
