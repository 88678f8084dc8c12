import { useState } from "react";
import { Alert, Button, Code, CopyButton, Group, Modal, NumberInput, Paper, Select, SimpleGrid, Stack, TagsInput, Text, TextInput, Title, Tooltip } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconCheck, IconCopy, IconKey, IconRefresh } from "@tabler/icons-react";
import { UpdateTenantBody } from "../../../../workers/schemas/tenant";
import { messageOf } from "../../api/errors";
import { useCanWrite } from "../../api/session";
import { useReadDomainUuid, useRotateCallbackToken, useRotateRequestKey, useTenant, useUpdateTenant, type Tenant, type UpdateTenantInput } from "../../api/tenant";
import { confirmAction } from "../../components/confirm";
import { FallbackEditor, type Fallback } from "../../components/fallback-editor";
import { NotSaved, WriteFieldset } from "../../components/form-parts";
import { PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
import { patternText } from "../../lib/format";
import { applyServerErrors, optionalNumber, optionalText, withoutItemErrors, zodValidate } from "../../lib/zod-form";

function CopyField({ label, value }: { label: string; value: string }) {
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
function Webhooks({ tenant }: { tenant: Tenant }) {
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

function RequestKey({ tenant }: { tenant: Tenant }) {
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

interface Values {
  name: string;
  timezone: string;
  cloudonixDomain: string;
  cloudonixDomainUuid: string;
  cloudonixApiKey: string;
  retentionDays: number | string;
  outboundCallerPatterns: string[];
  defaultFallback: Fallback;
  routingNumberHeader: string;
}

const ZONES: string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf(key: string): string[] }).supportedValuesOf("timeZone");
  } catch {
    return ["UTC"];
  }
})();

function body(values: Values, tenant: Tenant): UpdateTenantInput {
  return {
    name: values.name,
    timezone: values.timezone,
    cloudonixDomain: optionalText(values.cloudonixDomain) ?? null,
    cloudonixDomainUuid: optionalText(values.cloudonixDomainUuid) ?? null,
    ...(values.cloudonixApiKey ? { cloudonixApiKey: values.cloudonixApiKey } : {}),
    retentionDays: optionalNumber(values.retentionDays),
    outboundCallerPatterns: values.outboundCallerPatterns,
    defaultFallback: values.defaultFallback,
    routingNumberHeader: optionalText(values.routingNumberHeader) ?? null,
    version: tenant.version,
  };
}

/** Reads the UUID from Cloudonix with the stored API key; needs the domain and the key saved first. */
function ReadDomainUuid({ tenant }: { tenant: Tenant }) {
  const read = useReadDomainUuid();
  const ready = Boolean(tenant.cloudonixDomain && tenant.hasCloudonixApiKey);
  return (
    <>
      <Group gap="xs">
        <Button size="compact-sm" variant="light" disabled={!ready} loading={read.isPending} onClick={() => read.mutate()}>
          Read from Cloudonix
        </Button>
        {!ready && (
          <Text size="xs" c="dimmed">
            Save the domain and the API key first
          </Text>
        )}
      </Group>
      {read.error && (
        <Text size="xs" c="red" role="alert">
          {messageOf(read.error)}
        </Text>
      )}
    </>
  );
}

function TenantForm({ tenant }: { tenant: Tenant }) {
  const canWrite = useCanWrite();
  const update = useUpdateTenant();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: {
      name: tenant.name,
      timezone: tenant.timezone,
      cloudonixDomain: tenant.cloudonixDomain ?? "",
      cloudonixDomainUuid: tenant.cloudonixDomainUuid ?? "",
      cloudonixApiKey: "",
      retentionDays: tenant.retentionDays,
      outboundCallerPatterns: tenant.outboundCallerPatterns.map(patternText),
      defaultFallback: tenant.defaultFallback ?? null,
      routingNumberHeader: tenant.routingNumberHeader ?? "",
    },
    validate: zodValidate(UpdateTenantBody, (v: Values) => body(v, tenant)),
    validateInputOnBlur: true,
  });
  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      await update.mutateAsync(body(values, tenant));
    } catch (err) {
      setError(applyServerErrors(err, form.setErrors, ["name", "timezone", "cloudonixDomain", "cloudonixDomainUuid", "cloudonixApiKey", "retentionDays", "routingNumberHeader"]));
    }
  });
  return (
    <Paper withBorder p="lg">
      <form onSubmit={submit} noValidate aria-label="Tenant settings">
        <WriteFieldset>
          <Title order={2} size="h4">
            Tenant
          </Title>
          {error && <NotSaved>{error}</NotSaved>}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Tenant name" required {...form.getInputProps("name")} />
            <Select label="Time zone" description="Dashboards and reports count days in it" searchable data={[...new Set([tenant.timezone, "UTC", ...ZONES])]} allowDeselect={false} {...form.getInputProps("timezone")} />
            <TextInput label="Cloudonix domain" placeholder="acme.cloudonix.net" description="Webhooks are matched to this tenant by it" {...form.getInputProps("cloudonixDomain")} />
            <TextInput
              label="Cloudonix API key"
              type="password"
              autoComplete="off"
              description={tenant.hasCloudonixApiKey ? "A key is stored (never shown); type a new one to replace it" : "Stored encrypted, never shown"}
              placeholder={tenant.hasCloudonixApiKey ? "•••••••• (unchanged)" : undefined}
              {...form.getInputProps("cloudonixApiKey")}
            />
            <Stack gap={4}>
              <TextInput label="Cloudonix domain UUID" placeholder="0f8fad5b-d9cb-469f-a165-70867728950e" description="Some CDRs name the domain only by its UUID; they are matched to this tenant by it" {...form.getInputProps("cloudonixDomainUuid")} />
              {canWrite && <ReadDomainUuid tenant={tenant} />}
            </Stack>
            <NumberInput label="Keep call records for (days)" min={1} max={3650} allowDecimal={false} {...form.getInputProps("retentionDays")} />
            <TextInput
              label="Routing number header"
              placeholder="A2B-DNID"
              description="A carrier SIP header holding the number originally dialled: inbound rules match it instead of To when a call carries one. Empty: always To"
              {...form.getInputProps("routingNumberHeader")}
            />
          </SimpleGrid>
          <TagsInput
            label="Outbound caller patterns"
            description="Calls from these callers are routed as outbound (+1555*, +14155550100). Press Enter after each."
            {...form.getInputProps("outboundCallerPatterns")}
            onChange={(patterns) => {
              form.setErrors((errors) => withoutItemErrors(errors, "outboundCallerPatterns"));
              form.setFieldValue("outboundCallerPatterns", patterns);
            }}
            error={Object.entries(form.errors).find(([k]) => k.startsWith("outboundCallerPatterns"))?.[1]}
          />
          <FallbackEditor
            value={form.values.defaultFallback}
            onChange={(f) => form.setFieldValue("defaultFallback", f)}
            noneLabel="Hang up (no default)"
            label="Default fallback"
            description="What calls get that no inbound rule matches"
            disabled={!canWrite}
            error={(form.errors.defaultFallback ?? form.errors["defaultFallback.id"]) as string | undefined}
          />
          {canWrite && (
            <Group justify="flex-end">
              <Button type="submit" loading={form.submitting}>
                Save settings
              </Button>
            </Group>
          )}
        </WriteFieldset>
      </form>
    </Paper>
  );
}

export default function Settings() {
  const tenant = useTenant();
  return (
    <>
      <PageHeader title="Settings" description="Tenant settings, the Cloudonix connection and the webhook key" />
      <ReadOnlyNotice />
      <QueryState query={tenant}>
        {(data) => (
          <Stack maw={960}>
            <TenantForm key={data.version} tenant={data} />
            <Webhooks tenant={data} />
            <RequestKey tenant={data} />
          </Stack>
        )}
      </QueryState>
    </>
  );
}
