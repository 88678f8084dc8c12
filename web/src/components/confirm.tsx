import { Text } from "@mantine/core";
import { modals } from "@mantine/modals";

/** Asks before a destructive action (an accessible dialog; Escape cancels). */
export function confirmAction({ title, body, confirm, onConfirm }: { title: string; body?: string; confirm: string; onConfirm(): void }) {
  modals.openConfirmModal({
    title,
    children: body ? <Text size="sm">{body}</Text> : null,
    labels: { confirm, cancel: "Cancel" },
    confirmProps: { color: "red" },
    onConfirm,
  });
}
