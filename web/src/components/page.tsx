import type { ReactNode } from "react";
import { Link } from "react-router";
import { Alert, Button, Center, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { IconLock, IconPlus } from "@tabler/icons-react";
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

interface Query<T> {
  isLoading: boolean;
  error: unknown;
  data: T | undefined;
  refetch(): unknown;
}

/**
 * A query's loading and error states (with a retry), and what `children` makes of its data
 * once there is some: kept while a refetch fails, so the screen shows both.
 */
export function QueryState<T>({ query, children }: { query: Query<T>; children?(data: T): ReactNode }) {
  return (
    <>
      {query.isLoading ? (
        <Center h={160}>
          <Loader role="status" aria-label="Loading" />
        </Center>
      ) : (
        !!query.error && (
          <Alert color="red" title="Could not load" role="alert">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{messageOf(query.error)}</Text>
              <Button size="xs" variant="light" color="red" onClick={() => void query.refetch()}>
                Try again
              </Button>
            </Stack>
          </Alert>
        )
      )}
      {query.data !== undefined && children?.(query.data)}
    </>
  );
}

/** A list's "Add …" action, to its form's route or opening a dialog; admins only. */
export function AddButton({ to, onClick, children }: { to?: string; onClick?(): void; children: ReactNode }) {
  const canWrite = useCanWrite();
  if (!canWrite) return null;
  const icon = <IconPlus size={16} aria-hidden />;
  return to ? (
    <Button component={Link} to={to} leftSection={icon}>
      {children}
    </Button>
  ) : (
    <Button leftSection={icon} onClick={onClick}>
      {children}
    </Button>
  );
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
