import { useState } from "react";
import { Alert, Badge, Button, Group, Modal, PasswordInput, Select, Stack, Switch, Table, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { CreateUserBody } from "../../../../workers/schemas/users";
import { useCanWrite, useSession } from "../../api/session";
import { useCreateUser, useDeleteUser, useUpdateUser, useUsers, type CreateUserInput } from "../../api/tenant";
import { ListTable } from "../../components/data-table";
import { DeleteCell } from "../../components/delete-cell";
import { AddButton, PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
import { applyServerErrors, optionalText, zodValidate } from "../../lib/zod-form";

interface Values {
  email: string;
  name: string;
  role: "admin" | "user";
  password: string;
}

const body = (v: Values): CreateUserInput => ({ email: v.email, name: optionalText(v.name), role: v.role, password: v.password });

function NewUser({ onClose }: { onClose(): void }) {
  const create = useCreateUser();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values>({ initialValues: { email: "", name: "", role: "user", password: "" }, validate: zodValidate(CreateUserBody, body), validateInputOnBlur: true });
  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      await create.mutateAsync(body(values));
      onClose();
    } catch (err) {
      setError(applyServerErrors(err, form.setErrors, ["email", "name", "role", "password"]));
    }
  });
  return (
    <form onSubmit={submit} noValidate aria-label="New user">
      <Stack>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <TextInput label="Email" type="email" required {...form.getInputProps("email")} />
        <TextInput label="Name" {...form.getInputProps("name")} />
        <Select
          label="Role"
          allowDeselect={false}
          data={[
            { value: "user", label: "User: sees everything, changes nothing" },
            { value: "admin", label: "Admin: may change everything" },
          ]}
          {...form.getInputProps("role")}
        />
        <PasswordInput label="Initial password" description="At least 12 characters" required autoComplete="new-password" {...form.getInputProps("password")} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            Create user
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export default function Users() {
  const canWrite = useCanWrite();
  const me = useSession();
  const users = useUsers();
  const update = useUpdateUser();
  const remove = useDeleteUser();
  const [adding, setAdding] = useState(false);
  return (
    <>
      <PageHeader title="Users and roles" description="Admins change configuration; users see everything read-only" actions={<AddButton onClick={() => setAdding(true)}>Add user</AddButton>} />
      <ReadOnlyNotice />
      <QueryState query={users}>
        {(data) => (
          <ListTable minWidth={700} striped aria-label="Users" columns={["Email", "Name", "Role", "Active", "Last sign-in"]} actions={canWrite} rows={data.items}>
            {(user) => (
              <Table.Tr key={user.id}>
                <Table.Td>
                  {user.email}
                  {user.id === me?.user.id && (
                    <Badge ml={6} size="xs" variant="light">
                      you
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{user.name || <Text c="dimmed">—</Text>}</Table.Td>
                <Table.Td>
                  {canWrite ? (
                    <Select
                      size="xs"
                      w={120}
                      aria-label={`Role of ${user.email}`}
                      allowDeselect={false}
                      data={[
                        { value: "admin", label: "admin" },
                        { value: "user", label: "user" },
                      ]}
                      value={user.role}
                      onChange={(role) => role && role !== user.role && update.mutate({ id: user.id, role: role as "admin" | "user", version: user.version })}
                    />
                  ) : (
                    <Badge variant="light" color={user.role === "admin" ? "indigo" : "gray"}>
                      {user.role}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Switch checked={!user.disabled} disabled={!canWrite || update.isPending} aria-label={`${user.email} may sign in`} onChange={(e) => update.mutate({ id: user.id, disabled: !e.currentTarget.checked, version: user.version })} />
                </Table.Td>
                <Table.Td>{user.lastLoginAt ? new Date(user.lastLoginAt).toLocaleString() : <Text c="dimmed">never</Text>}</Table.Td>
                {canWrite && <DeleteCell label={`Delete ${user.email}`} title={`Delete ${user.email}?`} disabled={user.id === me?.user.id} onConfirm={() => remove.mutate(user.id)} />}
              </Table.Tr>
            )}
          </ListTable>
        )}
      </QueryState>
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add a user">
        {adding && <NewUser onClose={() => setAdding(false)} />}
      </Modal>
    </>
  );
}
