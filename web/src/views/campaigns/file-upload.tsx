import { useState } from "react";
import { Alert, Button, Checkbox, FileInput, Group, Stack, Text } from "@mantine/core";
import { LineErrors, errorCountOf, rowErrors } from "./line-errors";

/*
 * A list file's upload, as the contact list and the do-not-call list both take one: choose a
 * file, optionally skip invalid rows, send; a refusal lists its bad rows by line.
 */

export function useFileUpload<R>(upload: (file: File, skipInvalid: boolean) => Promise<R>) {
  const [file, setFile] = useState<File | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [result, setResult] = useState<R | null>(null);
  const [error, setError] = useState<unknown>(null);
  const send = async () => {
    if (!file) return;
    setError(null);
    setResult(null);
    try {
      setResult(await upload(file, skipInvalid));
    } catch (err) {
      setError(err);
    }
  };
  return { file, setFile, skipInvalid, setSkipInvalid, result, error, send };
}

interface ControlsProps {
  state: ReturnType<typeof useFileUpload<unknown>>;
  fileLabel: string;
  accept: string;
  skipLabel: string;
  pending: boolean;
  /** The refusal's title: what did not happen ("Not loaded", "Nothing added"). */
  refusedTitle: string;
}

export function FileUploadControls({ state, fileLabel, accept, skipLabel, pending, refusedTitle }: ControlsProps) {
  const { file, setFile, skipInvalid, setSkipInvalid, error, send } = state;
  return (
    <>
      <Group align="flex-end">
        <FileInput label={fileLabel} accept={accept} value={file} onChange={setFile} clearable clearButtonProps={{ "aria-label": "Clear the chosen file" }} w={320} />
        <Checkbox label={skipLabel} checked={skipInvalid} onChange={(e) => setSkipInvalid(e.currentTarget.checked)} />
        <Button onClick={() => void send()} disabled={!file} loading={pending}>
          Upload
        </Button>
      </Group>
      {error !== null && (
        <Alert color="red" title={refusedTitle} role="alert">
          <Stack gap="sm">
            <Text size="sm">{error instanceof Error ? error.message : String(error)}</Text>
            <LineErrors errors={rowErrors(error)} total={errorCountOf(error)} />
          </Stack>
        </Alert>
      )}
    </>
  );
}
