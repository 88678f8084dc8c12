import { ActionIcon, Table } from "@mantine/core";
import { IconTrash } from "@tabler/icons-react";
import { confirmAction } from "./confirm";

interface Props {
  /** The button's accessible name, e.g. "Delete trunk carrier-a". */
  label: string;
  /** The confirmation dialog's question. */
  title: string;
  /** What must happen first, or what follows. */
  body?: string;
  disabled?: boolean;
  onConfirm(): void;
}

/** A row's delete action: nothing is deleted until the dialog is confirmed. */
export function DeleteCell({ label, title, body, disabled, onConfirm }: Props) {
  return (
    <Table.Td>
      <ActionIcon variant="subtle" color="red" aria-label={label} disabled={disabled} onClick={() => confirmAction({ title, body, confirm: "Delete", onConfirm })}>
        <IconTrash size={16} aria-hidden />
      </ActionIcon>
    </Table.Td>
  );
}
