import { useState } from "react";
import { Button, Paper, Stack, Table, Text, Textarea, TextInput } from "@mantine/core";
import { useAddDoNotCall, useDoNotCall, useRemoveDoNotCall } from "../../api/campaigns";
import { useCanWrite } from "../../api/session";
import { DeleteCell } from "../../components/delete-cell";
import { ListTable } from "../../components/data-table";
import { PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
import { DoNotCallUpload } from "./do-not-call-upload";

/** Numbers no campaign of the tenant ever dials. */
export default function DoNotCall() {
  const canWrite = useCanWrite();
  const list = useDoNotCall();
  const add = useAddDoNotCall();
  const remove = useRemoveDoNotCall();
  const [numbers, setNumbers] = useState("");
  const [note, setNote] = useState("");
  const submit = async () => {
    const entries = numbers
      .split(/[\s,;]+/)
      .map((n) => n.trim())
      .filter(Boolean);
    if (!entries.length) return;
    await add.mutateAsync({ numbers: entries, ...(note.trim() ? { note: note.trim() } : {}) });
    setNumbers("");
  };
  return (
    <>
      <PageHeader title="Do-not-call list" description="Numbers no campaign dials: checked when contacts are loaded and when a campaign starts or resumes; a number added now reaches running campaigns at once" />
      <ReadOnlyNotice />
      {canWrite && (
        <Paper withBorder p="lg" maw={640} mb="lg">
          <Stack gap="sm">
            <Textarea label="Numbers to add" description="E.164 (+14155550100), one per line or separated by commas; up to 10,000 at once" autosize minRows={2} value={numbers} onChange={(e) => setNumbers(e.currentTarget.value)} />
            <TextInput label="Note" placeholder="Asked not to be called" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
            {add.error && (
              <Text c="red" size="sm" role="alert">
                {add.error.message}
              </Text>
            )}
            <Button onClick={() => void submit().catch(() => {})} loading={add.isPending} w="fit-content">
              Add to the list
            </Button>
          </Stack>
        </Paper>
      )}
      {canWrite && <DoNotCallUpload />}
      <QueryState query={list}>
        {(data) => (
          <ListTable minWidth={480} striped aria-label="Do-not-call numbers" columns={["Number", "Note", "Added"]} actions={canWrite} rows={data.items} empty="The list is empty.">
            {(entry) => (
              <Table.Tr key={entry.number}>
                <Table.Td className="mono">{entry.number}</Table.Td>
                <Table.Td>{entry.note || "—"}</Table.Td>
                <Table.Td>{new Date(entry.createdAt).toLocaleDateString()}</Table.Td>
                {canWrite && <DeleteCell label={`Remove ${entry.number}`} title={`Remove ${entry.number} from the list?`} body="Campaigns may call it again." onConfirm={() => remove.mutate(entry.number)} />}
              </Table.Tr>
            )}
          </ListTable>
        )}
      </QueryState>
    </>
  );
}
