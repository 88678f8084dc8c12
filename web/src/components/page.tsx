import type { ReactNode } from "react";
import { Alert, Button, Center, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { IconLock } from "@tabler/icons-react";
import { messageOf } from "../api/errors";
import { useCanWrite } from "../api/session";

/** A screen's heading, its one-line purpose and its main actions. */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" mb="lg" wrap="wrap">
      <Stack gap={2}>
        <Title order={1} size="h2">
          {title}
        </Title>
        {description && (
          <Text c="dimmed" size="sm">
            {description}
          </Text>
        )}
      </Stack>
      {actions && <Group gap="sm">{actions}</Group>}
    </Group>
  );
}

/** Loading and error states of a query, with a retry. */
export function QueryState({ isLoading, error, retry }: { isLoading: boolean; error: unknown; retry?: () => void }) {
  if (isLoading) {
    return (
      <Center h={160}>
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (error) {
    return (
      <Alert color="red" title="Could not load" role="alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{messageOf(error)}</Text>
          {retry && (
            <Button size="xs" variant="light" color="red" onClick={retry}>
              Try again
            </Button>
          )}
        </Stack>
      </Alert>
    );
  }
  return null;
}

/** Tells a read-only user why the write controls are not there. */
export function ReadOnlyNotice() {
  const canWrite = useCanWrite();
  if (canWrite) return null;
  return (
    <Alert color="gray" icon={<IconLock size={18} aria-hidden />} mb="md" role="note">
      You have read-only access: ask an admin of this tenant to make changes.
    </Alert>
  );
}

/** Renders children only for admins. */
export function AdminOnly({ children }: { children: ReactNode }) {
  return useCanWrite() ? children : null;
}
