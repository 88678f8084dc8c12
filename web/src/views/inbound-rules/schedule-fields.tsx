import { Select, Stack, Text } from "@mantine/core";
import { useSchedules, useScheduleStatus } from "../../api/schedules";
import { FallbackEditor, type Fallback } from "../../components/fallback-editor";
import { nowText } from "../schedules/status-text";

/** The form paths these fields report errors on (the API's too). */
export const SCHEDULE_FIELDS = ["scheduleId", "closedTarget", "closedTarget.id", "closedTarget.text", "closedTarget.number", "closedTarget.uri"];

export interface ScheduleFieldValues {
  scheduleId: string | null;
  closedTarget: Fallback;
}

/** The rule's part of the body: without a schedule there is nothing to send calls to while closed. */
export const scheduleFieldsBody = (values: ScheduleFieldValues) => ({ scheduleId: values.scheduleId, closedTarget: values.scheduleId ? values.closedTarget : null });

/** The select's value for "no schedule" (ids never look like this). */
const ALWAYS = "(always)";

const errorOf = (errors: Record<string, unknown>, paths: string[]) => paths.map((p) => errors[p]).find(Boolean) as string | undefined;

/** Whether the chosen schedule is open now, under the select. */
function StatusHint({ id }: { id: string }) {
  const status = useScheduleStatus(id);
  return status.data ? (
    <Text size="xs" c="dimmed" data-testid="rule-schedule-now">
      {nowText(status.data)}
    </Text>
  ) : null;
}

/** An inbound rule's opening hours: a schedule, and where calls go while it is closed. */
export function ScheduleFields({ values, onChange, errors, disabled }: { values: ScheduleFieldValues; onChange(values: ScheduleFieldValues): void; errors: Record<string, unknown>; disabled?: boolean }) {
  const schedules = useSchedules();
  const data = [{ value: ALWAYS, label: "Always open (no schedule)" }, ...(schedules.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.timezone})` }))];
  // A schedule this list does not have (yet): keep the rule's choice visible.
  if (values.scheduleId && !data.some((d) => d.value === values.scheduleId)) data.push({ value: values.scheduleId, label: values.scheduleId });
  return (
    <Stack gap="xs">
      <Select
        label="Opening hours"
        description="While the schedule is closed, calls go where it says below instead of the target"
        data={data}
        value={values.scheduleId ?? ALWAYS}
        allowDeselect={false}
        disabled={disabled}
        error={errorOf(errors, ["scheduleId"])}
        onChange={(next) => onChange({ ...values, scheduleId: next && next !== ALWAYS ? next : null })}
      />
      {values.scheduleId && <StatusHint id={values.scheduleId} />}
      {values.scheduleId && (
        <FallbackEditor
          label="While closed"
          description="Where calls go outside the schedule's hours"
          noneLabel="The rule's fallback (else the tenant's unmatched handling)"
          value={values.closedTarget}
          onChange={(closedTarget) => onChange({ ...values, closedTarget })}
          error={errorOf(errors, SCHEDULE_FIELDS.slice(1))}
          disabled={disabled}
        />
      )}
    </Stack>
  );
}
