import { useState } from "react";
import { Alert, Anchor, Button, Group, Modal, Progress, SegmentedControl, Stack, Text } from "@mantine/core";
import { IconDownload, IconFileExport } from "@tabler/icons-react";
import { messageOf } from "../../api/errors";
import { useCreateExport, useExport, type RecordFilters } from "../../api/call-records";
import { bytes } from "../../lib/format";

/** Starts an export of the filtered records, shows its progress and the download when done. */
export function ExportButton({ filters }: { filters: RecordFilters }) {
  const [opened, setOpened] = useState(false);
  const [format, setFormat] = useState<"csv" | "json">("csv");
  const [jobId, setJobId] = useState<string | null>(null);
  const create = useCreateExport();
  const job = useExport(jobId);
  const start = () => {
    // The list's query has answered as "true"/"false"; the export's JSON body as a boolean.
    const { answered, ...rest } = filters;
    create.mutate({ format, filters: { ...rest, ...(answered ? { answered: answered === "true" } : {}) } }, { onSuccess: (created) => setJobId(created.id) });
  };
  const close = () => {
    setOpened(false);
    setJobId(null);
    create.reset();
  };
  const data = job.data;
  return (
    <>
      <Button variant="default" leftSection={<IconFileExport size={16} aria-hidden />} onClick={() => setOpened(true)}>
        Export
      </Button>
      <Modal opened={opened} onClose={close} title="Export call records">
        <Stack>
          <Text size="sm">Exports every record that matches the current filters.</Text>
          {!jobId && (
            <>
              <SegmentedControl
                aria-label="File format"
                value={format}
                onChange={(v) => setFormat(v as "csv" | "json")}
                data={[
                  { value: "csv", label: "CSV" },
                  { value: "json", label: "JSON" },
                ]}
              />
              {create.error && (
                <Alert color="red" role="alert">
                  {messageOf(create.error)}
                </Alert>
              )}
              <Group justify="flex-end">
                <Button onClick={start} loading={create.isPending}>
                  Start export
                </Button>
              </Group>
            </>
          )}
          {jobId && (
            <Stack gap="xs" data-testid="export-progress">
              <Text size="sm" role="status" aria-live="polite">
                {data
                  ? data.status === "done"
                    ? `Done: ${data.rowCount} rows, ${bytes(data.sizeBytes)}`
                    : data.status === "failed"
                      ? `Failed: ${data.error ?? "unknown error"}`
                      : `${data.status}… ${data.rowCount}${data.totalRows != null ? ` of ${data.totalRows}` : ""} rows`
                  : "Starting…"}
              </Text>
              <Progress value={(data?.progress ?? 0) * 100} animated={data?.status !== "done"} aria-label="Export progress" />
              {data?.status === "done" && data.downloadUrl && (
                <Anchor href={data.downloadUrl} download>
                  <Group gap={6}>
                    <IconDownload size={16} aria-hidden />
                    Download {data.format.toUpperCase()}
                  </Group>
                </Anchor>
              )}
            </Stack>
          )}
        </Stack>
      </Modal>
    </>
  );
}
