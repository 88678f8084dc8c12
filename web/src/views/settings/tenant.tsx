import { useState } from "react";
import { Button, Group, NumberInput, Paper, Select, SimpleGrid, Stack, TagsInput, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { UpdateTenantBody } from "../../../../workers/schemas/tenant";
import { messageOf } from "../../api/errors";
import { useCanWrite } from "../../api/session";
import { useReadDomainUuid, useTenant, useUpdateTenant, type Tenant, type UpdateTenantInput } from "../../api/tenant";
import { FallbackEditor, type Fallback } from "../../components/fallback-editor";
import { NotSaved, WriteFieldset } from "../../components/form-parts";
import { PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
import { patternText } from "../../lib/format";
import { RequestKey, Webhooks } from "./webhook-credentials";
import { applyServerErrors, errorUnder, optionalNumber, optionalText, withoutErrorsUnder, withoutItemErrors, zodValidate } from "../../lib/zod-form";

interface Values {
  name: string;
  timezone: string;
  cloudonixDomain: string;
  cloudonixDomainUuid: string;
  cloudonixApiKey: string;
  retentionDays: number | string;
  outboundCallerPatterns: string[];
  defaultFallback: Fallback;
  unmatchedAction: "hangup" | "reject";
  routingNumberHeader: string;
}

/** The paths the API's field errors are shown at; others go to the form's alert. */
const FIELDS = [...["name", "timezone", "cloudonixDomain", "cloudonixDomainUuid", "cloudonixApiKey", "retentionDays", "routingNumberHeader", "unmatchedAction"], ...["", ".id", ".text", ".number", ".uri", ".trunkId"].map((part) => `defaultFallback${part}`)];

const UNMATCHED = [
  { value: "hangup", label: "Hang up (answered first, so billed)" },
  { value: "reject", label: "Reject (never answered, not billed)" },
];

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
    unmatchedAction: values.unmatchedAction,
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
      unmatchedAction: tenant.unmatchedAction ?? "hangup",
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
      setError(applyServerErrors(err, form.setErrors, FIELDS));
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
            onChange={(f) => {
              form.setErrors((errors) => withoutErrorsUnder(errors, "defaultFallback"));
              form.setFieldValue("defaultFallback", f);
            }}
            noneLabel="None (the unmatched action below)"
            label="Default fallback"
            description="What calls get that no inbound rule matches"
            disabled={!canWrite}
            error={errorUnder(form.errors, "defaultFallback")}
          />
          <Select
            label="Unmatched calls without a default fallback"
            description={form.values.defaultFallback ? "Not used while a default fallback is set" : "What an inbound call no rule matches gets"}
            data={UNMATCHED}
            allowDeselect={false}
            maw={460}
            {...form.getInputProps("unmatchedAction")}
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
