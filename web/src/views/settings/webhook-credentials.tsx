// The tenant's webhook credentials in Settings: the URLs to give Cloudonix and the request key.
import { useState } from "react";
import { Alert, Button, Code, CopyButton, Group, Modal, Paper, Stack, Text, Title, Tooltip } from "@mantine/core";
import { IconCheck, IconCopy, IconKey, IconRefresh } from "@tabler/icons-react";
import { messageOf } from "../../api/errors";
import { useCanWrite } from "../../api/session";
import { useRotateCallbackToken, useRotateRequestKey, type Tenant } from "../../api/tenant";
import { confirmAction } from "../../components/confirm";

export function CopyField({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={2}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code block style={{ flex: 1, whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
          {value}
        </Code>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? "Copied" : "Copy"}>
              <Button variant="light" size="xs" onClick={copy} leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />} aria-label={`Copy ${label}`}>
                {copied ? "Copied" : "Copy"}
              </Button>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

type CallbackUrls = NonNullable<Tenant["callbackUrls"]>;

function CallbackUrlFields({ urls }: { urls: CallbackUrls }) {
  return (
    <>
      <CopyField label="Session update callback (session-update-endpoint)" value={urls.sessionUpdate} />
      <CopyField label="CDR callback (cdr-endpoint)" value={urls.cdr} />
    </>
  );
}

/**
 * The exact URLs to paste into Cloudonix, on the origin the API answers on. The callback URLs
 * carry the tenant's secret token, so only admins get them (the API leaves them out for others).
 */
export function Webhooks({ tenant }: { tenant: Tenant }) {
  const canWrite = useCanWrite();
  const rotate = useRotateCallbackToken();
  const [shown, setShown] = useState<CallbackUrls | null>(null);
  const rotatedAt = tenant.callbackTokenRotatedAt ? `, made ${new Date(tenant.callbackTokenRotatedAt).toLocaleString()}` : "";
  const doRotate = () =>
    confirmAction({
      title: tenant.hasCallbackToken ? "Rotate the callback URLs?" : "Generate the callback URLs?",
      body: tenant.hasCallbackToken
        ? "New session-update and CDR URLs are made. The current ones keep working for one hour: paste the new ones into the Cloudonix domain before then."
        : "Session-update and CDR URLs with a secret token are made. Paste them into the Cloudonix domain.",
      confirm: tenant.hasCallbackToken ? "Rotate URLs" : "Generate URLs",
      onConfirm: () => rotate.mutate(undefined, { onSuccess: (result) => setShown(result.callbackUrls) }),
    });
  return (
    <Paper withBorder p="lg">
      <Title order={2} size="h4" mb="xs">
        Cloudonix webhooks
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        In the Cloudonix console, set the domain's voice application URL, and its profile's session-update and CDR endpoints, to these. The callback URLs are secret: whoever has them can report on your calls.
      </Text>
      <Stack>
        <CopyField label="Voice application URL (GET or POST)" value={tenant.webhookUrl} />
        {tenant.callbackUrls ? (
          <CallbackUrlFields urls={tenant.callbackUrls} />
        ) : (
          <Text size="sm">
            {!tenant.hasCallbackToken
              ? "No callback URLs yet: session updates and CDRs are accepted only with the request key."
              : canWrite
                ? "The callback URLs cannot be shown (the encryption key changed): rotate them."
                : `Callback URLs are set${rotatedAt}; only admins can see them.`}
          </Text>
        )}
        {canWrite && (
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {tenant.hasCallbackToken ? `Callback URLs${rotatedAt}.` : ""}
            </Text>
            <Button leftSection={<IconRefresh size={16} aria-hidden />} variant="light" color="red" onClick={doRotate} loading={rotate.isPending}>
              {tenant.hasCallbackToken ? "Rotate URLs" : "Generate URLs"}
            </Button>
          </Group>
        )}
      </Stack>
      {rotate.error && (
        <Alert color="red" mt="sm" role="alert">
          {messageOf(rotate.error)}
        </Alert>
      )}
      <Modal opened={shown !== null} onClose={() => setShown(null)} title="Your new callback URLs" size="lg">
        <Stack>
          <Alert color="yellow" role="note">
            Set them as the Cloudonix domain profile's session-update-endpoint and cdr-endpoint. Any previous URLs stop working in one hour.
          </Alert>
          {shown && <CallbackUrlFields urls={shown} />}
          <Group justify="flex-end">
            <Button onClick={() => setShown(null)}>Done</Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

export function RequestKey({ tenant }: { tenant: Tenant }) {
  const canWrite = useCanWrite();
  const rotate = useRotateRequestKey();
  const [shown, setShown] = useState<string | null>(null);
  const doRotate = () =>
    confirmAction({
      title: "Rotate the request key?",
      body: "The current key stops working at once: Cloudonix calls fail until you paste the new key into the domain's settings.",
      confirm: "Rotate key",
      onConfirm: () => rotate.mutate(undefined, { onSuccess: (result) => setShown(result.requestKey) }),
    });
  return (
    <Paper withBorder p="lg">
      <Title order={2} size="h4" mb="xs">
        Webhook request key
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Cloudonix sends it as <Code>Authorization: Bearer …</Code> on every webhook. Only its hash is stored: a new key is shown once.
      </Text>
      <Group justify="space-between">
        <Text size="sm">
          {tenant.requestKey ? (
            <>
              Current key ends in <Code>…{tenant.requestKey.hint}</Code>
              {tenant.requestKey.rotatedAt && `, set ${new Date(tenant.requestKey.rotatedAt).toLocaleString()}`}
            </>
          ) : (
            "No key yet: webhooks are refused until you generate one."
          )}
        </Text>
        {canWrite && (
          <Button leftSection={<IconKey size={16} aria-hidden />} variant="light" color="red" onClick={doRotate} loading={rotate.isPending}>
            {tenant.requestKey ? "Rotate key" : "Generate key"}
          </Button>
        )}
      </Group>
      {rotate.error && (
        <Alert color="red" mt="sm" role="alert">
          {messageOf(rotate.error)}
        </Alert>
      )}
      <Modal opened={shown !== null} onClose={() => setShown(null)} title="Your new request key" size="lg" closeOnClickOutside={false}>
        <Stack>
          <Alert color="yellow" role="note">
            Copy it now: it is never shown again. Paste it as the request authorization key of the Cloudonix domain.
          </Alert>
          {shown && <CopyField label="Request key" value={shown} />}
          <Group justify="flex-end">
            <Button onClick={() => setShown(null)}>I have copied it</Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
