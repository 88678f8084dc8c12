import { useState } from "react";
import { useNavigate } from "react-router";
import { ActionIcon, Button, Checkbox, Group, Paper, Select, SimpleGrid, Stack, Switch, Text, TextInput, Title } from "@mantine/core";
import { useForm, type UseFormReturnType } from "@mantine/form";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { WEEKDAYS, WEEKDAY_NAMES, type Weekday } from "../../../../workers/domain/schedules";
import { CreateScheduleBody } from "../../../../workers/schemas/schedules";
import { ApiError } from "../../api/errors";
import type { CreateScheduleInput, Schedule } from "../../api/schedules";
import { FormFooter, NotSaved, WriteFieldset } from "../../components/form-parts";
import { applyServerErrors, withoutErrorsUnder, zodValidate } from "../../lib/zod-form";
import { ROUTE_SCHEDULES } from "../../routes";

export interface IntervalRow {
  open: string;
  close: string;
  /** Closes the next day. */
  overnight: boolean;
}

export interface ScheduleFormValues {
  name: string;
  timezone: string;
  weekly: Record<Weekday, IntervalRow[]>;
  closures: { from: string; to: string; label: string }[];
  overrides: { date: string; label: string; closed: boolean; intervals: IntervalRow[] }[];
}

type Form = UseFormReturnType<ScheduleFormValues>;

const rowsOf = (intervals: readonly { open: string; close: string; overnight?: boolean | undefined }[] = []): IntervalRow[] => intervals.map((i) => ({ open: i.open, close: i.close, overnight: i.overnight ?? false }));
const intervalsOf = (rows: IntervalRow[]) => rows.map((r) => ({ open: r.open.trim(), close: r.close.trim(), ...(r.overnight ? { overnight: true } : {}) }));

export function scheduleBody(v: ScheduleFormValues): CreateScheduleInput {
  return {
    name: v.name,
    timezone: v.timezone,
    weekly: Object.fromEntries(WEEKDAYS.map((day) => [day, intervalsOf(v.weekly[day])])) as CreateScheduleInput["weekly"],
    closures: v.closures.map((c) => ({ from: c.from, to: c.to || c.from, label: c.label })),
    overrides: v.overrides.map((o) => ({ date: o.date, label: o.label, intervals: o.closed ? [] : intervalsOf(o.intervals) })),
  };
}

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const ZONES = (() => {
  const supported = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return [...new Set(["UTC", ...supported])];
})();

export function initialValues(schedule?: Schedule): ScheduleFormValues {
  const nine5 = [{ open: "09:00", close: "17:00", overnight: false }];
  return {
    name: schedule?.name ?? "",
    timezone: schedule?.timezone ?? browserZone(),
    weekly: Object.fromEntries(WEEKDAYS.map((day) => [day, schedule ? rowsOf(schedule.weekly[day]) : day === "sat" || day === "sun" ? [] : nine5.map((r) => ({ ...r }))])) as ScheduleFormValues["weekly"],
    closures: (schedule?.closures ?? []).map((c) => ({ ...c })),
    overrides: (schedule?.overrides ?? []).map((o) => ({ date: o.date, label: o.label, closed: o.intervals.length === 0, intervals: rowsOf(o.intervals) })),
  };
}

/** The first error at exactly `path` (a list's own problem, e.g. "at most 50 intervals a day"). */
const listError = (form: Form, path: string) => form.errors[path] as string | undefined;

/** Removes a list's item and the errors of that list's items, which named positions (rows are keyed by position too: they have no identity of their own). */
function removeItem(form: Form, list: string, index: number) {
  form.removeListItem(list, index);
  form.setErrors(withoutErrorsUnder(form.errors, list));
}

/** One date's open intervals: opening and closing time, and whether it closes the next day. */
function IntervalsEditor({ form, path, name }: { form: Form; path: string; name: string }) {
  const rows = path.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], form.values) as IntervalRow[];
  return (
    <Stack gap={6}>
      {rows.map((_, i) => (
        <Group key={i} gap="xs" wrap="nowrap" align="flex-start">
          <TextInput aria-label={`${name} interval ${i + 1} opens`} placeholder="09:00" w={86} classNames={{ input: "mono" }} {...form.getInputProps(`${path}.${i}.open`)} />
          <Text pt={6} aria-hidden>
            –
          </Text>
          <TextInput aria-label={`${name} interval ${i + 1} closes`} placeholder="17:00" w={86} classNames={{ input: "mono" }} {...form.getInputProps(`${path}.${i}.close`)} />
          <Checkbox mt={8} label="next day" aria-label={`${name} interval ${i + 1} closes the next day`} {...form.getInputProps(`${path}.${i}.overnight`, { type: "checkbox" })} />
          <ActionIcon mt={4} variant="subtle" color="red" aria-label={`Remove ${name} interval ${i + 1}`} onClick={() => removeItem(form, path, i)}>
            <IconTrash size={16} aria-hidden />
          </ActionIcon>
        </Group>
      ))}
      {listError(form, path) && (
        <Text size="xs" c="red" role="alert">
          {listError(form, path)}
        </Text>
      )}
      <Group>
        <Button size="compact-xs" variant="subtle" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => form.insertListItem(path, { open: "", close: "", overnight: false })} aria-label={`Add hours on ${name}`}>
          Add hours
        </Button>
      </Group>
    </Stack>
  );
}

/** A schedule: weekly hours per day, closures (holidays) and one-off dates with their own hours. */
export function ScheduleForm({ schedule, onSubmit }: { schedule?: Schedule; onSubmit(body: CreateScheduleInput & { version?: number }): Promise<unknown> }) {
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<ScheduleFormValues>({ initialValues: initialValues(schedule), validate: zodValidate(CreateScheduleBody, scheduleBody), validateInputOnBlur: true });
  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      await onSubmit({ ...scheduleBody(values), ...(schedule ? { version: schedule.version } : {}) });
      void navigate(ROUTE_SCHEDULES);
    } catch (err) {
      const fields = err instanceof ApiError ? Object.keys(err.fieldErrors()).filter((path) => /^(name|timezone|weekly|closures|overrides)(\.|$)/.test(path)) : [];
      setError(applyServerErrors(err, form.setErrors, fields));
    }
  });
  const copyMonday = () => {
    for (const day of ["tue", "wed", "thu", "fri"] as const)
      form.setFieldValue(
        `weekly.${day}`,
        form.values.weekly.mon.map((r) => ({ ...r })),
      );
    form.setErrors(withoutErrorsUnder(form.errors, "weekly"));
  };
  return (
    <Paper withBorder p="lg" maw={820}>
      <form onSubmit={submit} noValidate aria-label={schedule ? `Edit schedule ${schedule.name}` : "New schedule"}>
        <Stack>
          <WriteFieldset>
            {error && <NotSaved>{error}</NotSaved>}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="Name" required placeholder="Office hours" {...form.getInputProps("name")} />
              <Select
                label="Time zone"
                required
                searchable
                limit={60}
                data={ZONES.includes(form.values.timezone) ? ZONES : [form.values.timezone, ...ZONES]}
                description="The hours are this zone's wall-clock times and follow its clock changes"
                nothingFoundMessage="No time zone by that name"
                allowDeselect={false}
                {...form.getInputProps("timezone")}
              />
            </SimpleGrid>

            <section aria-labelledby="weekly-hours">
              <Group justify="space-between" mb={4}>
                <Title order={2} size="h5" id="weekly-hours">
                  Weekly hours
                </Title>
                <Button size="compact-xs" variant="light" onClick={copyMonday}>
                  Copy Monday to Tuesday–Friday
                </Button>
              </Group>
              <Text size="xs" c="dimmed" mb="xs">
                "HH:MM" local times; 24:00 closes at midnight. Tick "next day" for hours past midnight (22:00–02:00). A day without hours is closed.
              </Text>
              <Stack gap="sm">
                {WEEKDAYS.map((day) => (
                  <SimpleGrid key={day} cols={{ base: 1, sm: 2 }} spacing="xs" style={{ gridTemplateColumns: "minmax(0, 110px) minmax(0, 1fr)" }}>
                    <Text fw={500} pt={6}>
                      {WEEKDAY_NAMES[day]}
                    </Text>
                    <IntervalsEditor form={form} path={`weekly.${day}`} name={WEEKDAY_NAMES[day]} />
                  </SimpleGrid>
                ))}
              </Stack>
            </section>

            <section aria-labelledby="closures">
              <Title order={2} size="h5" id="closures" mb={4}>
                Closures
              </Title>
              <Text size="xs" c="dimmed" mb="xs">
                Closed all day from the first date to the last (holidays). A special day below wins over a closure.
              </Text>
              <Stack gap="xs">
                {form.values.closures.map((_, i) => (
                  <Group key={i} gap="xs" align="flex-start" wrap="wrap">
                    <TextInput type="date" label="From" w={160} {...form.getInputProps(`closures.${i}.from`)} />
                    <TextInput type="date" label="To" w={160} {...form.getInputProps(`closures.${i}.to`)} />
                    <TextInput label="Label" placeholder="Christmas" style={{ flex: 1, minWidth: 160 }} {...form.getInputProps(`closures.${i}.label`)} />
                    <ActionIcon mt={28} variant="subtle" color="red" aria-label={`Remove closure ${i + 1}`} onClick={() => removeItem(form, "closures", i)}>
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Group>
                ))}
                {listError(form, "closures") && (
                  <Text size="xs" c="red" role="alert">
                    {listError(form, "closures")}
                  </Text>
                )}
                <Group>
                  <Button size="compact-sm" variant="light" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => form.insertListItem("closures", { from: "", to: "", label: "" })}>
                    Add closure
                  </Button>
                </Group>
              </Stack>
            </section>

            <section aria-labelledby="overrides">
              <Title order={2} size="h5" id="overrides" mb={4}>
                Special days
              </Title>
              <Text size="xs" c="dimmed" mb="xs">
                One date with its own hours instead of the weekly ones, or closed all day.
              </Text>
              <Stack gap="sm">
                {form.values.overrides.map((override, i) => (
                  <Paper key={i} withBorder p="sm">
                    <Stack gap="xs">
                      <Group gap="xs" align="flex-start" wrap="wrap">
                        <TextInput type="date" label="Date" w={160} {...form.getInputProps(`overrides.${i}.date`)} />
                        <TextInput label="Label" placeholder="Christmas Eve" style={{ flex: 1, minWidth: 160 }} {...form.getInputProps(`overrides.${i}.label`)} />
                        <ActionIcon mt={28} variant="subtle" color="red" aria-label={`Remove special day ${i + 1}`} onClick={() => removeItem(form, "overrides", i)}>
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Group>
                      <Switch label="Closed all day" {...form.getInputProps(`overrides.${i}.closed`, { type: "checkbox" })} />
                      {!override.closed && <IntervalsEditor form={form} path={`overrides.${i}.intervals`} name={`special day ${i + 1}`} />}
                    </Stack>
                  </Paper>
                ))}
                {listError(form, "overrides") && (
                  <Text size="xs" c="red" role="alert">
                    {listError(form, "overrides")}
                  </Text>
                )}
                <Group>
                  <Button
                    size="compact-sm"
                    variant="light"
                    leftSection={<IconPlus size={14} aria-hidden />}
                    onClick={() => form.insertListItem("overrides", { date: "", label: "", closed: false, intervals: [{ open: "09:00", close: "13:00", overnight: false }] })}
                  >
                    Add special day
                  </Button>
                </Group>
              </Stack>
            </section>
          </WriteFieldset>
          <FormFooter backTo={ROUTE_SCHEDULES} submit={schedule ? "Save changes" : "Create schedule"} submitting={form.submitting} />
        </Stack>
      </form>
    </Paper>
  );
}
