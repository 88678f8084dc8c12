// An alert rule's editor: what it watches (its kind and that kind's settings), how often it may
// repeat, and where it says so (event webhooks, a Slack-compatible URL kept write-only).
import { useState } from "react";
import { Alert, Button, Group, NumberInput, Select, Stack, Switch, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { ALERT_KINDS } from "../../../../workers/domain/integrations";
import { CreateAlertRuleBody, UpdateAlertRuleBody } from "../../../../workers/schemas/alerts";
import { useSaveAlertRule, useScheduleOptions, type AlertRule, type CreateAlertRuleInput, type UpdateAlertRuleInput } from "../../api/alerts";
import { useAgents } from "../../api/voice-agents";
import { useEventWebhooks } from "../../api/event-webhooks";
import { TargetSelect, type TargetValue } from "../../components/target-select";
import { applyServerErrors, optionalText, zodValidate } from "../../lib/zod-form";

type Kind = (typeof ALERT_KINDS)[number];

export const KIND_LABELS: Record<Kind, string> = {
  agent_unhealthy: "An agent is taken out of rotation for health",
  failure_rate: "An agent's or group's failure rate is too high",
  dead_letters: "Queue messages are parked in dead letters",
  endpoint_disabled: "An event webhook was disabled for failing",
  no_answers: "No call is answered for a while during a schedule's open hours",
};

interface Values {
  name: string;
  kind: Kind;
  agentId: string | null;
  endpointId: string | null;
  scheduleId: string | null;
  minutes: number | string;
  target: TargetValue;
  thresholdPct: number | string;
  windowMinutes: number | string;
  minAttempts: number | string;
  minCount: number | string;
  cooldownMinutes: number | string;
  notifyWebhooks: boolean;
  slackUrl: string;
}

function initial(rule?: AlertRule): Values {
  const p = (rule?.params ?? {}) as Record<string, unknown>;
  return {
    name: rule?.name ?? "",
    kind: (rule?.kind as Kind) ?? "agent_unhealthy",
    agentId: (p.agentId as string) ?? null,
    endpointId: (p.endpointId as string) ?? null,
    scheduleId: (p.scheduleId as string) ?? null,
    minutes: (p.minutes as number) ?? 30,
    target: p.targetId ? { type: p.targetType as "agent" | "group", id: p.targetId as string } : null,
    thresholdPct: (p.thresholdPct as number) ?? 50,
    windowMinutes: (p.windowMinutes as number) ?? 60,
    minAttempts: (p.minAttempts as number) ?? 10,
    minCount: (p.minCount as number) ?? 1,
    cooldownMinutes: rule?.cooldownMinutes ?? 60,
    notifyWebhooks: rule?.notifyWebhooks ?? true,
    slackUrl: "",
  };
}

function paramsOf(v: Values): Record<string, unknown> {
  switch (v.kind) {
    case "agent_unhealthy":
      return { agentId: v.agentId };
    case "endpoint_disabled":
      return { endpointId: v.endpointId };
    case "dead_letters":
      return { minCount: Number(v.minCount) };
    case "no_answers":
      return { scheduleId: v.scheduleId ?? undefined, minutes: Number(v.minutes) };
    case "failure_rate":
      return { targetType: v.target?.type, targetId: v.target?.id, thresholdPct: Number(v.thresholdPct), windowMinutes: Number(v.windowMinutes), minAttempts: Number(v.minAttempts) };
  }
}

/** An empty Slack field leaves a saved URL as it is; the rule's "Remove" clears it. */
const createBody = (v: Values) => ({ name: v.name.trim(), kind: v.kind, params: paramsOf(v), cooldownMinutes: Number(v.cooldownMinutes), notifyWebhooks: v.notifyWebhooks, slackUrl: optionalText(v.slackUrl) }) as CreateAlertRuleInput;
const updateBody = (v: Values, rule: AlertRule): UpdateAlertRuleInput => ({ name: v.name.trim(), params: paramsOf(v), cooldownMinutes: Number(v.cooldownMinutes), notifyWebhooks: v.notifyWebhooks, slackUrl: optionalText(v.slackUrl), version: rule.version });

export function AlertRuleForm({ rule, onDone }: { rule?: AlertRule; onDone(): void }) {
  const save = useSaveAlertRule(rule?.id);
  const agents = useAgents({});
  const endpoints = useEventWebhooks();
  const [error, setError] = useState<string | null>(null);
  const [removeSlack, setRemoveSlack] = useState(false);
  const toBody = (v: Values) => (rule ? { ...updateBody(v, rule), ...(removeSlack ? { slackUrl: null } : {}) } : createBody(v));
  const form = useForm<Values>({ initialValues: initial(rule), validate: zodValidate(rule ? UpdateAlertRuleBody : CreateAlertRuleBody, toBody), validateInputOnBlur: true });
  const kind = form.values.kind;
  const schedules = useScheduleOptions(kind === "no_answers");
  const paramError = (key: string) => form.errors[`params.${key}`] ?? (key === "targetId" ? (form.errors["params.targetType"] ?? form.errors.params) : undefined);
  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      await save.mutateAsync(toBody(values));
      onDone();
    } catch (err) {
      setError(
        applyServerErrors(err, form.setErrors, [
          "name",
          "kind",
          "params",
          "params.agentId",
          "params.endpointId",
          "params.targetId",
          "params.thresholdPct",
          "params.windowMinutes",
          "params.minAttempts",
          "params.minCount",
          "params.scheduleId",
          "params.minutes",
          "cooldownMinutes",
          "slackUrl",
        ]),
      );
    }
  });
  return (
    <form onSubmit={submit} noValidate aria-label={rule ? `Edit alert rule ${rule.name}` : "New alert rule"}>
      <Stack>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <TextInput label="Name" required {...form.getInputProps("name")} />
        <Select
          label="Alert when"
          allowDeselect={false}
          disabled={!!rule}
          description={rule ? "A rule's kind cannot change; make another rule instead" : undefined}
          data={ALERT_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
          {...form.getInputProps("kind")}
        />
        {kind === "agent_unhealthy" && <Select label="Agent" placeholder="Any agent" clearable searchable data={(agents.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))} {...form.getInputProps("agentId")} error={paramError("agentId")} />}
        {kind === "endpoint_disabled" && (
          <Select label="Event webhook" placeholder="Any event webhook" clearable data={(endpoints.data?.items ?? []).map((e) => ({ value: e.id, label: e.description || e.url }))} {...form.getInputProps("endpointId")} error={paramError("endpointId")} />
        )}
        {kind === "no_answers" && (
          <Group grow align="flex-start">
            <Select label="Schedule" required searchable data={(schedules.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))} {...form.getInputProps("scheduleId")} error={paramError("scheduleId")} />
            <NumberInput label="No answered call for (minutes)" min={5} max={1440} {...form.getInputProps("minutes")} error={paramError("minutes")} />
          </Group>
        )}
        {kind === "dead_letters" && <NumberInput label="At least this many parked" min={1} {...form.getInputProps("minCount")} error={paramError("minCount")} />}
        {kind === "failure_rate" && (
          <>
            <TargetSelect label="Agent or group" required value={form.values.target} onChange={(target) => form.setFieldValue("target", target)} error={paramError("targetId")} />
            <Group grow align="flex-start">
              <NumberInput label="Failed share of dial attempts (%)" min={1} max={100} {...form.getInputProps("thresholdPct")} error={paramError("thresholdPct")} />
              <NumberInput label="Over the last (minutes)" min={15} max={1440} step={15} {...form.getInputProps("windowMinutes")} error={paramError("windowMinutes")} />
              <NumberInput label="Judged from (attempts)" min={1} {...form.getInputProps("minAttempts")} error={paramError("minAttempts")} />
            </Group>
          </>
        )}
        <NumberInput label="Repeat at most every (minutes)" description="While it stays true, an open alert is notified again at most this often" min={1} max={1440} {...form.getInputProps("cooldownMinutes")} />
        <Switch label="Send alert.fired and alert.resolved to the event webhooks that take them" {...form.getInputProps("notifyWebhooks", { type: "checkbox" })} />
        <TextInput
          label="Slack-compatible incoming webhook"
          description={rule?.hasSlackUrl && !removeSlack ? "A URL is set (never shown back); type a new one to replace it" : 'Receives {"text": "…"} for each notification'}
          placeholder="https://hooks.slack.com/services/…"
          classNames={{ input: "mono" }}
          {...form.getInputProps("slackUrl")}
        />
        {rule?.hasSlackUrl && <Switch label="Remove the Slack URL" checked={removeSlack} onChange={(e) => setRemoveSlack(e.currentTarget.checked)} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            Save rule
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
