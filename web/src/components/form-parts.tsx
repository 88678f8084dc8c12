import type { ReactNode } from "react";
import { useNavigate } from "react-router";
import { Alert, Button, Group, Stack } from "@mantine/core";
import { useCanWrite } from "../api/session";

/** Why the last save failed, above the form. */
export function NotSaved({ children }: { children: ReactNode }) {
  return (
    <Alert color="red" title="Not saved" role="alert">
      {children}
    </Alert>
  );
}

/** A form's fields, stacked, and disabled for a read-only user (a fieldset with no frame of its own). */
export function WriteFieldset({ children }: { children: ReactNode }) {
  const canWrite = useCanWrite();
  return (
    // min-width 0: a fieldset is otherwise as wide as its widest content, and pushed the
    // inputs past the edge of their card on a phone.
    <fieldset disabled={!canWrite} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      <Stack>{children}</Stack>
    </fieldset>
  );
}

/**
 * An edit form's buttons: back to the list (Cancel, or Back for a read-only user, who cannot
 * save) and the submit button. Outside the WriteFieldset: a disabled fieldset disables every
 * button in it, and Back must work for the read-only user.
 */
export function FormFooter({ backTo, submit, submitting }: { backTo: string; submit: string; submitting: boolean }) {
  const navigate = useNavigate();
  const canWrite = useCanWrite();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={() => void navigate(backTo)}>
        {canWrite ? "Cancel" : "Back"}
      </Button>
      {canWrite && (
        <Button type="submit" loading={submitting}>
          {submit}
        </Button>
      )}
    </Group>
  );
}
