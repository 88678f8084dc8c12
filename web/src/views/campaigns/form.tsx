import { useState } from "react";
import { Checkbox, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { CreateCampaignBody, DEFAULT_RETRY_POLICY } from "../../../../workers/schemas/campaigns";
import { WEEKDAYS, WEEKDAY_NAMES, type Weekday } from "../../../../workers/domain/schedules";
import type { Campaign, CreateCampaignInput } from "../../api/campaigns";
import { useTrunks } from "../../api/trunks";
import { FormFooter, NotSaved, WriteFieldset } from "../../components/form-parts";
import { TargetSelect, type TargetValue } from "../../components/target-select";
import { applyServerErrors, zodValidate } from "../../lib/zod-form";
import { ROUTE_CAMPAIGNS } from "../../routes";

type RetryKey = "busy" | "noAnswer" | "failed";
const RETRY_LABELS: Record<RetryKey, string> = { busy: "Busy", noAnswer: "No answer", failed: "Failed" };

export interface CampaignFormValues {
  name: string;
  target: TargetValue;
  callerId: string;
  trunkId: string;
  timezone: string;
  days: Weekday[];
  open: string;
  close: string;
  maxConcurrent: number | string;
  callsPerMinute: number | string;
  ringTimeoutSec: number | string;
  retry: Record<RetryKey, { attempts: number | string; spacingMinutes: number | string }>;
}

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const zones = () => (typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [browserZone()]);
const num = (value: number | string) => (value === "" ? Number.NaN : Number(value));

/**
 * The calling window is edited as one span of hours on chosen days (what campaigns use); a
 * campaign saved with other hours through the API keeps them unless these fields are changed.
 */
function initialValues(campaign?: Campaign): CampaignFormValues {
  const window = campaign?.callingWindow as Record<Weekday, { open: string; close: string }[]> | undefined;
  const first = window ? WEEKDAYS.map((d) => window[d]?.[0]).find(Boolean) : undefined;
  const retry = campaign?.retryPolicy ?? DEFAULT_RETRY_POLICY;
  return {
    name: campaign?.name ?? "",
    target: campaign?.target ?? null,
    callerId: campaign?.callerId ?? "",
    trunkId: campaign?.trunkId ?? "",
    timezone: campaign?.timezone ?? browserZone(),
    days: window ? WEEKDAYS.filter((d) => (window[d]?.length ?? 0) > 0) : ["mon", "tue", "wed", "thu", "fri"],
    open: first?.open ?? "09:00",
    close: first?.close ?? "18:00",
    maxConcurrent: campaign?.maxConcurrent ?? 10,
    callsPerMinute: campaign?.callsPerMinute ?? 30,
    ringTimeoutSec: campaign?.ringTimeoutSec ?? 30,
    retry: { busy: { ...retry.busy }, noAnswer: { ...retry.noAnswer }, failed: { ...retry.failed } },
  };
}

export function campaignBody(v: CampaignFormValues): CreateCampaignInput {
  const interval = v.close !== "" && v.open !== "" && v.close <= v.open && v.close !== "24:00" ? { open: v.open, close: v.close, overnight: true } : { open: v.open, close: v.close };
  return {
    name: v.name,
    target: (v.target ?? { type: "group", id: "" }) as { type: "agent" | "group"; id: string },
    callerId: v.callerId,
    trunkId: v.trunkId || null,
    timezone: v.timezone,
    callingWindow: Object.fromEntries(WEEKDAYS.map((d) => [d, v.days.includes(d) ? [interval] : []])) as CreateCampaignInput["callingWindow"],
    maxConcurrent: num(v.maxConcurrent),
    callsPerMinute: num(v.callsPerMinute),
    ringTimeoutSec: num(v.ringTimeoutSec),
    retryPolicy: Object.fromEntries((Object.keys(RETRY_LABELS) as RetryKey[]).map((k) => [k, { attempts: num(v.retry[k].attempts), spacingMinutes: num(v.retry[k].spacingMinutes) }])) as CreateCampaignInput["retryPolicy"],
  };
}

const FIELDS = ["name", "target.id", "target", "callerId", "trunkId", "timezone", "callingWindow", "maxConcurrent", "callsPerMinute", "ringTimeoutSec", "retryPolicy"];

interface Props {
  campaign?: Campaign;
  onSubmit(body: CreateCampaignInput & { version?: number }): Promise<{ id: string }>;
  onSaved(campaign: { id: string }): void;
}

/** A campaign's settings: who takes the answered calls, how they are placed, when and how often. */
export function CampaignForm({ campaign, onSubmit, onSaved }: Props) {
  const trunks = useTrunks();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<CampaignFormValues>({ initialValues: initialValues(campaign), validate: zodValidate(CreateCampaignBody, campaignBody), validateInputOnBlur: true });
  const windowError = Object.entries(form.errors).find(([k]) => k.startsWith("callingWindow"))?.[1];
  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      onSaved(await onSubmit({ ...campaignBody(values), ...(campaign ? { version: campaign.version } : {}) }));
    } catch (err) {
      setError(applyServerErrors(err, form.setErrors, FIELDS));
    }
  });
  return (
    <Paper withBorder p="lg" maw={820}>
      <form onSubmit={submit} noValidate aria-label={campaign ? `Edit campaign ${campaign.name}` : "New campaign"}>
        <Stack>
          <WriteFieldset>
            {error && <NotSaved>{error}</NotSaved>}
            <TextInput label="Name" required {...form.getInputProps("name")} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TargetSelect
                label="Answered calls go to"
                required
                description="The agent group (or agent) that talks to the people who answer"
                value={form.values.target}
                onChange={(target) => form.setFieldValue("target", target)}
                error={(form.errors["target.id"] ?? form.errors.target) as string | undefined}
              />
              <TextInput label="Caller ID" required placeholder="+14155550100" description="The number the people called see" {...form.getInputProps("callerId")} />
            </SimpleGrid>
            <Select label="Call out through" data={[{ value: "", label: "Cloudonix's own route" }, ...(trunks.data?.items ?? []).map((t) => ({ value: t.id, label: `Trunk ${t.name}` }))]} allowDeselect={false} {...form.getInputProps("trunkId")} />
            <Title order={2} size="h5">
              Calling window
            </Title>
            <Text size="sm" c="dimmed">
              Calls are placed only on these days and hours, on the wall clock of the contact's own time zone (from the contact list), else of the campaign's.
            </Text>
            <Checkbox.Group label="Days" {...form.getInputProps("days")}>
              <Group mt={4} gap="md">
                {WEEKDAYS.map((d) => (
                  <Checkbox key={d} value={d} label={WEEKDAY_NAMES[d].slice(0, 3)} aria-label={WEEKDAY_NAMES[d]} />
                ))}
              </Group>
            </Checkbox.Group>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput label="From" placeholder="09:00" {...form.getInputProps("open")} />
              <TextInput label="Until" placeholder="18:00" description="Before From: runs past midnight" {...form.getInputProps("close")} />
              <Select label="Time zone" searchable data={zones()} allowDeselect={false} description="For contacts without one" {...form.getInputProps("timezone")} />
            </SimpleGrid>
            {windowError && (
              <Text size="sm" c="red" role="alert">
                Calling window: {String(windowError)}
              </Text>
            )}
            <Title order={2} size="h5">
              Pacing
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <NumberInput label="Calls in progress at most" min={1} max={1000} allowDecimal={false} {...form.getInputProps("maxConcurrent")} />
              <NumberInput label="Calls per minute" min={1} max={6000} allowDecimal={false} {...form.getInputProps("callsPerMinute")} />
              <NumberInput label="Ring for (seconds)" min={5} max={120} allowDecimal={false} description="Then it is no answer" {...form.getInputProps("ringTimeoutSec")} />
            </SimpleGrid>
            <Title order={2} size="h5">
              Retries
            </Title>
            <Table aria-label="Retry policy" maw={520}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When an attempt ends</Table.Th>
                  <Table.Th>Attempts in all</Table.Th>
                  <Table.Th>Minutes between</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(Object.keys(RETRY_LABELS) as RetryKey[]).map((k) => (
                  <Table.Tr key={k}>
                    <Table.Td>{RETRY_LABELS[k]}</Table.Td>
                    <Table.Td>
                      <NumberInput aria-label={`${RETRY_LABELS[k]}: attempts in all`} min={1} max={10} allowDecimal={false} {...form.getInputProps(`retry.${k}.attempts`)} error={form.errors[`retryPolicy.${k}.attempts`]} />
                    </Table.Td>
                    <Table.Td>
                      <NumberInput aria-label={`${RETRY_LABELS[k]}: minutes between attempts`} min={1} allowDecimal={false} {...form.getInputProps(`retry.${k}.spacingMinutes`)} error={form.errors[`retryPolicy.${k}.spacingMinutes`]} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </WriteFieldset>
          <FormFooter backTo={ROUTE_CAMPAIGNS} submit={campaign ? "Save changes" : "Create campaign"} submitting={form.submitting} />
        </Stack>
      </form>
    </Paper>
  );
}
