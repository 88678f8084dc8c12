import { useState } from "react";
import { Alert, Button, Checkbox, FileInput, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { ApiError } from "../../api/errors";
import { useUploadContacts, type UploadResult } from "../../api/campaigns";

interface RowError {
  line: number;
  field: string | null;
  message: string;
}

/** The rows a refused upload listed (details.errors), if any. */
const rowErrors = (err: unknown): RowError[] => {
  const details = err instanceof ApiError ? (err.details as { errors?: RowError[] } | undefined) : undefined;
  return Array.isArray(details?.errors) ? details.errors : [];
};

function LineErrors({ errors, total }: { errors: RowError[]; total?: number }) {
  if (!errors.length) return null;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {total && total > errors.length ? `The first ${errors.length} of ${total} invalid rows` : `${errors.length} invalid row${errors.length === 1 ? "" : "s"}`}
      </Text>
      <Table aria-label="Invalid rows" striped maw={760}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Line</Table.Th>
            <Table.Th>Column</Table.Th>
            <Table.Th>Problem</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {errors.slice(0, 200).map((e, i) => (
            <Table.Tr key={`${e.line}-${i}`}>
              <Table.Td>{e.line}</Table.Td>
              <Table.Td className="mono">{e.field ?? "—"}</Table.Td>
              <Table.Td>{e.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** Uploads the contact list (a draft campaign only): errors are listed by line. */
export function ContactsUpload({ campaignId, contactCount }: { campaignId: string; contactCount: number }) {
  const upload = useUploadContacts(campaignId);
  const [file, setFile] = useState<File | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [result, setResult] = useState<UploadResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const send = async () => {
    if (!file) return;
    setError(null);
    setResult(null);
    try {
      setResult(await upload.mutateAsync({ csv: file, skipInvalid }));
    } catch (err) {
      setError(err);
    }
  };
  const listed = rowErrors(error);
  return (
    <Paper withBorder p="lg" aria-label="Contacts">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Contacts
        </Title>
        <Text size="sm" c="dimmed">
          A CSV file with a header line: <span className="mono">phone</span> (E.164, e.g. +14155550100), an optional <span className="mono">timezone</span> (e.g. America/Chicago), then any variables (e.g. <span className="mono">first_name</span>), sent to the
          agent as headers <span className="mono">X-first_name</span>. At most 100,000 rows; a number given twice is merged into its first row. {contactCount > 0 && `${contactCount.toLocaleString()} contacts are loaded; a new file replaces them.`}
        </Text>
        <Group align="flex-end">
          <FileInput label="Contact list (CSV)" accept=".csv,text/csv" value={file} onChange={setFile} clearable clearButtonProps={{ "aria-label": "Clear the chosen file" }} w={320} />
          <Checkbox label="Load the valid rows, skip the invalid ones" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.currentTarget.checked)} />
          <Button onClick={() => void send()} disabled={!file} loading={upload.isPending}>
            Upload
          </Button>
        </Group>
        {error !== null && (
          <Alert color="red" title="Not loaded" role="alert">
            <Stack gap="sm">
              <Text size="sm">{error instanceof Error ? error.message : String(error)}</Text>
              <LineErrors errors={listed} total={(error instanceof ApiError && (error.details as { errorCount?: number })?.errorCount) || undefined} />
            </Stack>
          </Alert>
        )}
        {result && (
          <Alert color="teal" title="Loaded">
            <Stack gap="sm">
              <Text size="sm">
                {result.imported.toLocaleString()} contacts from {result.rows.toLocaleString()} rows ({result.merged} duplicates merged, {result.invalid} invalid rows skipped, {result.doNotCall} on the do-not-call list).
              </Text>
              <LineErrors errors={result.errors} total={result.invalid} />
            </Stack>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
