import { useMemo, useState } from "react";
import { Link, useNavigate } from "react-router";
import { Alert, Anchor, NumberInput, Paper, SimpleGrid, Stack, Switch, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { conditionKey } from "../../../../workers/domain/carrier-headers";
import { CreateInboundBody, HeaderConditionSchema, PatternInput } from "../../../../workers/schemas/inbound-rules";
import { ApiError } from "../../api/errors";
import { useInboundRules, type CreateInboundInput, type InboundRule } from "../../api/inbound-rules";
import { useCanWrite } from "../../api/session";
import { FallbackEditor, type Fallback } from "../../components/fallback-editor";
import { FormFooter, NotSaved, WriteFieldset } from "../../components/form-parts";
import { TargetSelect, type TargetValue } from "../../components/target-select";
import { applyServerErrors, errorUnder, optionalNumber, optionalText, withoutErrorsUnder, zodValidate } from "../../lib/zod-form";
import { itemPath, ROUTE_INBOUND_RULES } from "../../routes";
import { CALL_FLOW_FIELDS, CallFlowFields, callFlowBody, callFlowInitial, type CallFlowFieldValues } from "./call-flow-fields";
import { conflictOf, describeConflict } from "./match-order";
import { SCHEDULE_FIELDS, ScheduleFields, scheduleFieldsBody } from "./schedule-fields";

export interface InboundFormValues extends CallFlowFieldValues {
  name: string;
  pattern: string;
  target: TargetValue;
  priority: number | string;
  enabled: boolean;
  fallback: Fallback;
  /** Both empty: no condition. */
  header: { name: string; value: string };
  /** Opening hours (schedule-fields.tsx). */
  scheduleId: string | null;
  closedTarget: Fallback;
}

const FIELDS = ["name", "pattern", "target", "target.id", "priority", "fallback", "fallback.id", "fallback.text", "header", "header.name", "header.value", ...SCHEDULE_FIELDS];

/** Either half typed sends the condition, so the API's schema names the half that is missing. */
const headerCondition = ({ name, value }: InboundFormValues["header"]) => (name.trim() || value.trim() ? { name, value } : null);

export function inboundBody(values: InboundFormValues): CreateInboundInput {
  return {
    name: optionalText(values.name),
    pattern: values.pattern,
    target: values.target as CreateInboundInput["target"],
    priority: optionalNumber(values.priority),
    enabled: values.enabled,
    ...callFlowBody(values),
    fallback: values.fallback,
    header: headerCondition(values.header),
    ...scheduleFieldsBody(values),
  };
}

interface Props {
  rule?: InboundRule;
  onSubmit(body: CreateInboundInput & { version?: number }): Promise<unknown>;
}

/** An inbound rule: the pattern is checked as you type, with the API's own parser and conflict check. */
export function InboundForm({ rule, onSubmit }: Props) {
  const navigate = useNavigate();
  const canWrite = useCanWrite();
  const rules = useInboundRules();
  const [error, setError] = useState<{ message: string; ruleId?: string } | null>(null);
  const form = useForm<InboundFormValues>({
    initialValues: {
      name: rule?.name ?? "",
      pattern: rule?.displayPattern ?? "",
      target: rule?.target ?? null,
      priority: rule?.priority ?? 100,
      enabled: rule?.enabled ?? true,
      ...callFlowInitial(rule),
      fallback: rule?.fallback ?? null,
      header: { name: rule?.header?.name ?? "", value: rule?.header?.value ?? "" },
      scheduleId: rule?.scheduleId ?? null,
      closedTarget: rule?.closedTarget ?? null,
    },
    validate: zodValidate(CreateInboundBody, inboundBody),
    validateInputOnChange: ["pattern"],
    validateInputOnBlur: true,
  });

  const parsed = PatternInput.safeParse(form.values.pattern);
  const condition = HeaderConditionSchema.safeParse(headerCondition(form.values.header));
  const key = conditionKey(condition.success ? condition.data : null);
  const conflict = useMemo(() => {
    if (!parsed.success || !rules.data) return null;
    return conflictOf({ id: rule?.id ?? "(new)", name: form.values.name, pattern: parsed.data.pattern, matchType: parsed.data.matchType, enabled: form.values.enabled, conditionKey: key }, rules.data, form.values.callType);
  }, [parsed.success, parsed.data, rules.data, rule?.id, form.values.name, form.values.enabled, key, form.values.callType]);

  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      await onSubmit({ ...inboundBody(values), ...(rule ? { version: rule.version } : {}) });
      void navigate(ROUTE_INBOUND_RULES);
    } catch (err) {
      const other = err instanceof ApiError ? (err.details as { conflictingRule?: { id: string } } | undefined)?.conflictingRule?.id : undefined;
      const message = applyServerErrors(err, form.setErrors, [...FIELDS, ...CALL_FLOW_FIELDS, "fallback.number", "fallback.uri", "fallback.trunkId"]);
      if (message) setError({ message, ruleId: other });
    }
  });

  const patternHelp = parsed.success
    ? parsed.data.pattern === "*"
      ? "Matches every call (the catch-all)."
      : parsed.data.matchType === "exact"
        ? `Matches exactly +${parsed.data.digits}.`
        : `Matches every number starting with +${parsed.data.digits}.`
    : "+15551234567 for one number, +1555* for a prefix, * for every call";

  return (
    <Paper withBorder p="lg" maw={820}>
      <form onSubmit={submit} noValidate aria-label={rule ? `Edit rule ${rule.displayPattern}` : "New inbound rule"}>
        <Stack>
          <WriteFieldset>
            {error && (
              <NotSaved>
                <Text size="sm">{error.message}</Text>
                {error.ruleId && (
                  <Anchor component={Link} to={itemPath(ROUTE_INBOUND_RULES, error.ruleId)} size="sm">
                    Open the conflicting rule
                  </Anchor>
                )}
              </NotSaved>
            )}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="Called number pattern" required placeholder="+1555*" description={patternHelp} classNames={{ input: "mono" }} {...form.getInputProps("pattern")} />
              <TextInput label="Name" description="Optional, for people" {...form.getInputProps("name")} />
            </SimpleGrid>
            {conflict && (
              <Alert color={conflict.kind === "shadowed" && !form.values.enabled ? "gray" : "orange"} title="Conflict" role="status" data-testid="rule-conflict">
                {describeConflict(conflict)}
              </Alert>
            )}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TargetSelect label="Send calls to" required placeholder="An agent group or a voice agent" value={form.values.target} onChange={(target) => form.setFieldValue("target", target)} error={form.errors.target ?? form.errors["target.id"]} />
              <NumberInput label="Priority" description="Lower wins among otherwise equal rules (0–10000)" min={0} max={10000} allowDecimal={false} {...form.getInputProps("priority")} />
            </SimpleGrid>
            {/* biome-ignore lint/a11y/useSemanticElements: Mantine inputs inside a fieldset would need its legend and border reset; the labelled group reads the same. */}
            <div role="group" aria-labelledby="header-condition-label">
              <Text size="sm" fw={500} id="header-condition-label">
                Only when carrier header … equals …
              </Text>
              <Text size="xs" c="dimmed" mb={4}>
                Optional. The rule then takes only calls whose carrier SIP header has this value, and wins over a rule of the same pattern without a condition; other calls pass it by.
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label="Carrier header" placeholder="X-Tenant" classNames={{ input: "mono" }} {...form.getInputProps("header.name")} />
                <TextInput label="Equals" placeholder="42" classNames={{ input: "mono" }} {...form.getInputProps("header.value")} />
              </SimpleGrid>
            </div>
            <CallFlowFields values={form.values} onChange={(v) => form.setValues(v)} errors={form.errors} clearErrors={(path) => form.setErrors((errors) => withoutErrorsUnder(errors, path))} disabled={!canWrite} />
            <FallbackEditor
              value={form.values.fallback}
              onChange={(f) => {
                form.setErrors((errors) => withoutErrorsUnder(errors, "fallback"));
                form.setFieldValue("fallback", f);
              }}
              error={errorUnder(form.errors, "fallback")}
              disabled={!canWrite}
            />
            <ScheduleFields values={form.values} onChange={(v) => form.setValues(v)} errors={form.errors} disabled={!canWrite} />
            <Switch label="Enabled" {...form.getInputProps("enabled", { type: "checkbox" })} />
          </WriteFieldset>
          <FormFooter backTo={ROUTE_INBOUND_RULES} submit={rule ? "Save changes" : "Create rule"} submitting={form.submitting} />
        </Stack>
      </form>
    </Paper>
  );
}
