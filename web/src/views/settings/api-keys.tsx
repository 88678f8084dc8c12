// API keys for automation: list, create (the key shown once, with a copy button), revoke and delete.
import { useState } from "react";
import { Alert, Badge, Button, Group, Modal, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconBan } from "@tabler/icons-react";
import { CreateApiKeyBody } from "../../../../workers/schemas/api-keys";
import { useApiKeys, useCreateApiKey, useDeleteApiKey, useRevokeApiKey, type ApiKey, type CreateApiKeyInput, type CreatedApiKey } from "../../api/api-keys";
import { useCanWrite } from "../../api/session";
import { confirmAction } from "../../components/confirm";
import { ListTable } from "../../components/data-table";
import { DeleteCell } from "../../components/delete-cell";
import { AddButton, PageHeader, QueryState } from "../../components/page";
import { applyServerErrors, zodValidate } from "../../lib/zod-form";
import { CopyField } from "./webhook-credentials";

const EXPIRY = [
  { value: "never", label: "Never (until revoked)" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
];

interface Values {
  name: string;
  role: "admin" | "user";
  expiry: string;
}

/** The expiry is chosen as "in N days" and sent as a time; `now` is fixed per submit. */
const body = (v: Values, now = Date.now()): CreateApiKeyInput => ({ name: v.name.trim(), role: v.role, expiresAt: v.expiry === "never" ? null : new Date(now + Number(v.expiry) * 86_400_000).toISOString() });

function NewKey({ onCreated, onClose }: { onCreated(key: CreatedApiKey): void; onClose(): void }) {
  const create = useCreateApiKey();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values>({ initialValues: { name: "", role: "user", expiry: "90" }, validate: zodValidate(CreateApiKeyBody, (v: Values) => body(v)), validateInputOnBlur: true });
  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      onCreated(await create.mutateAsync(body(values)));
    } catch (err) {
      setError(applyServerErrors(err, form.setErrors, ["name", "role", "expiresAt"]));
    }
  });
  return (
    <form onSubmit={submit} noValidate aria-label="New API key">
      <Stack>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <TextInput label="Name" description="What uses it, e.g. the CRM sync or Prometheus" required {...form.getInputProps("name")} />
        <Select
          label="Role"
          allowDeselect={false}
          data={[
            { value: "user", label: "Read-only: reads everything, changes nothing" },
            { value: "admin", label: "Admin: may change everything" },
          ]}
          {...form.getInputProps("role")}
        />
        <Select label="Expires" allowDeselect={false} data={EXPIRY} {...form.getInputProps("expiry")} error={form.errors.expiresAt ?? form.errors.expiry} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            Create key
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const STATUS_COLOR = { active: "teal", expired: "gray", revoked: "red" } as const;
const when = (iso: string | null, none: string) => (iso ? new Date(iso).toLocaleString() : <Text c="dimmed">{none}</Text>);

function KeyRow({ item }: { item: ApiKey }) {
  const revoke = useRevokeApiKey();
  const remove = useDeleteApiKey();
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" fw={500}>
          {item.name}
        </Text>
        <Text size="xs" c="dimmed">
          {item.createdBy.name ? `by ${item.createdBy.name}, ` : ""}
          {new Date(item.createdAt).toLocaleDateString()}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={item.role === "admin" ? "indigo" : "gray"}>
          {item.role === "admin" ? "admin" : "read-only"}
        </Badge>
      </Table.Td>
      <Table.Td className="mono">…{item.hint}</Table.Td>
      <Table.Td>
        <Badge variant="light" color={STATUS_COLOR[item.status]}>
          {item.status}
        </Badge>
      </Table.Td>
      <Table.Td>{when(item.expiresAt, "never")}</Table.Td>
      <Table.Td>{when(item.lastUsedAt, "never used")}</Table.Td>
      <Table.Td>
        {item.status === "active" && (
          <Button
            size="xs"
            variant="light"
            color="red"
            leftSection={<IconBan size={14} aria-hidden />}
            aria-label={`Revoke ${item.name}`}
            loading={revoke.isPending}
            onClick={() =>
              confirmAction({
                title: `Revoke "${item.name}"?`,
                body: "It stops working at once: whatever uses it gets 401 from its next request. This cannot be undone.",
                confirm: "Revoke key",
                onConfirm: () => revoke.mutate(item.id),
              })
            }
          >
            Revoke
          </Button>
        )}
      </Table.Td>
      <DeleteCell
        label={`Delete ${item.name}`}
        title={`Delete "${item.name}"?`}
        body={item.status === "active" ? "It stops working at once and leaves the list; the audit log keeps its id and name." : "It leaves the list; the audit log keeps its id and name."}
        onConfirm={() => remove.mutate(item.id)}
      />
    </Table.Tr>
  );
}

export default function ApiKeys() {
  const isAdmin = useCanWrite();
  const keys = useApiKeys(isAdmin);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys for automation: send one as Authorization: Bearer <key> to the admin API and /api/metrics. A key acts with its own role and is audited under its own name."
        actions={<AddButton onClick={() => setAdding(true)}>Create API key</AddButton>}
      />
      {!isAdmin ? (
        <Alert color="gray" role="note">
          Only admins see and manage API keys.
        </Alert>
      ) : (
        <QueryState query={keys}>
          {(data) => (
            <ListTable minWidth={900} striped aria-label="API keys" columns={["Name", "Role", "Key", "Status", "Expires", "Last used", { label: <span className="visually-hidden">Revoke</span>, w: 110 }]} actions rows={data.items} empty="No API keys yet.">
              {(item) => <KeyRow key={item.id} item={item} />}
            </ListTable>
          )}
        </QueryState>
      )}
      <Modal opened={adding} onClose={() => setAdding(false)} title="Create an API key">
        {adding && (
          <NewKey
            onClose={() => setAdding(false)}
            onCreated={(key) => {
              setAdding(false);
              setCreated(key);
            }}
          />
        )}
      </Modal>
      <Modal opened={created !== null} onClose={() => setCreated(null)} title={`API key "${created?.name ?? ""}"`} size="lg" closeOnClickOutside={false}>
        <Stack>
          <Alert color="yellow" role="note">
            Copy it now: it is never shown again. Only its hash is stored.
          </Alert>
          {created && <CopyField label="API key" value={created.key} />}
          <Group justify="flex-end">
            <Button onClick={() => setCreated(null)}>I have copied it</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
