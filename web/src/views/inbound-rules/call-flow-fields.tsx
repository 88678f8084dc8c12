import { useState } from "react";
import { NumberInput, Stack, Text } from "@mantine/core";
import type { ContextEntry } from "../../../../workers/domain/call-context";
import { TimeLimitField } from "../../../../workers/schemas/common";
import type { CALL_TYPES } from "../../../../workers/schemas/inbound-rules";
import type { InboundRule } from "../../api/inbound-rules";
import { ContextEditor } from "../../components/context-editor";
import { OverflowField, type OverflowValue } from "../../components/overflow-field";
import { LabelledSegments } from "../../components/labelled-segments";
import { errorUnder, nullableNumber } from "../../lib/zod-form";

/** The form paths these fields report errors on (the API's too). */
export const CALL_FLOW_FIELDS = ["callType", "timeLimitSec", "context", "overflow"];

export interface CallFlowFieldValues {
  callType: (typeof CALL_TYPES)[number];
  /** "" = no limit. */
  timeLimitSec: number | string;
  context: ContextEntry[];
  /** null: the group's. */
  overflow: OverflowValue;
}

export const callFlowInitial = (rule?: InboundRule): CallFlowFieldValues => ({ callType: rule?.callType ?? "inbound", timeLimitSec: rule?.timeLimitSec ?? "", context: rule?.context ?? [], overflow: rule?.overflow ?? null });

/** The rule's part of the body. */
export const callFlowBody = (values: CallFlowFieldValues) => ({ callType: values.callType, timeLimitSec: nullableNumber(values.timeLimitSec), context: values.context, overflow: values.overflow });

const CALL_TYPE_HELP: Record<CallFlowFieldValues["callType"], string> = {
  inbound: "Calls to your numbers, matched on the number called.",
  api: "Calls you start through Cloudonix's API: the person called has already answered, and this rule connects them to an agent. Matched on the number called (To), then on the caller (From).",
};

interface Props {
  values: CallFlowFieldValues & { name: string };
  onChange(values: Partial<CallFlowFieldValues>): void;
  errors: Record<string, unknown>;
  /** Clears the form's errors at and under a path whose value changed (they name positions that moved). */
  clearErrors(path: string): void;
  disabled?: boolean;
}

/** Which calls an inbound rule takes, how long they may last, and the headers it adds for the agent. */
export function CallFlowFields({ values, onChange, errors, clearErrors, disabled }: Props) {
  const [limitLeft, setLimitLeft] = useState(false);
  // The API's own field check once the input is left; the form's (a submit, the API) otherwise.
  const limitProblem = limitLeft ? TimeLimitField.safeParse(nullableNumber(values.timeLimitSec)).error?.issues[0]?.message : undefined;
  return (
    <Stack>
      <div>
        <LabelledSegments
          label="Calls this rule takes"
          data={[
            { value: "inbound", label: "Inbound calls" },
            { value: "api", label: "Calls started through the API" },
          ]}
          disabled={disabled}
          value={values.callType}
          onChange={(callType) => onChange({ callType: callType === "api" ? "api" : "inbound" })}
        />
        <Text size="sm" c="dimmed" mt={4}>
          {CALL_TYPE_HELP[values.callType]}
        </Text>
        {errorUnder(errors, "callType") && (
          <Text size="sm" c="red.8" role="alert">
            {errorUnder(errors, "callType")}
          </Text>
        )}
      </div>
      <NumberInput
        label="Maximum call length (seconds)"
        description="Cloudonix ends a call this rule routes after this long (10–86400); a group's shorter limit wins. Empty: no limit"
        min={10}
        max={86400}
        // Not clamped: 5 saying "at least 10 seconds" beats 5 silently becoming 10.
        clampBehavior="none"
        allowDecimal={false}
        maw={360}
        disabled={disabled}
        value={values.timeLimitSec}
        onChange={(timeLimitSec) => {
          clearErrors("timeLimitSec");
          onChange({ timeLimitSec });
        }}
        onBlur={() => setLimitLeft(true)}
        error={limitProblem ?? errorUnder(errors, "timeLimitSec")}
      />
      <ContextEditor
        owner="this rule"
        value={values.context}
        disabled={disabled}
        sample={values.name.trim() ? { ruleName: values.name.trim() } : undefined}
        onChange={(context) => {
          clearErrors("context");
          onChange({ context });
        }}
        error={errorUnder(errors, "context")}
      />
      <OverflowField
        value={values.overflow}
        inheritLabel="As the group says (else the next step)"
        disabled={disabled}
        onChange={(overflow) => {
          clearErrors("overflow");
          onChange({ overflow });
        }}
        error={errorUnder(errors, "overflow")}
      />
    </Stack>
  );
}
