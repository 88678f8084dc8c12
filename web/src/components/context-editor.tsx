import { useEffect, useId, useState } from "react";
import { ActionIcon, Badge, Button, Group, Paper, Stack, Table, Text, TextInput } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { CONTEXT_VARIABLES, MAX_CONTEXT_ENTRIES, renderContext, type CallValues, type ContextEntry } from "../../../workers/domain/call-context";
import { ContextSchema } from "../../../workers/schemas/common";

/*
 * The call context an agent, a group or a rule adds to a call: X- headers (a WebSocket agent's
 * stream parameters) whose values are templates over the call. Every row is checked with the
 * API's own ContextSchema as it is edited, and a preview renders the rows with the call flow's
 * own renderContext over a sample call, so what it shows is what a call with those values sends.
 */

/** The sample call the preview renders; {diverted} and {assertedIdentity} are missing on purpose, to show an entry left out. */
export const SAMPLE_CALL = {
  caller: "+14155550100",
  called: "+18005550199",
  callerName: "Pat Jones",
  ruleId: "irl_sample",
  ruleName: "Support line",
  groupId: "grp_sample",
  groupName: "Support",
  callId: "call_sample",
  session: "3f2a9c1e-sample",
  diverted: null,
  assertedIdentity: null,
  headers: { "X-Account": "42" },
} satisfies CallValues;

/** The API's problems with the entries: "2.name" for a field of row 2, "" for the list as a whole. */
export function contextProblems(entries: readonly ContextEntry[]): Record<string, string> {
  const result = ContextSchema.safeParse(entries);
  const out: Record<string, string> = {};
  for (const issue of result.error?.issues ?? []) out[issue.path.join(".")] ??= issue.message;
  return out;
}

const PLACEHOLDER = /\{([A-Za-z]+)(?::([^{}]+))?\}/g;

/** The placeholders of a value that the call has no value for, as written ("{diverted}"). */
function missingIn(value: string, call: CallValues): string[] {
  const headers = new Map(Object.entries(call.headers ?? {}).map(([name, v]) => [name.toLowerCase(), v]));
  const missing: string[] = [];
  for (const [whole, variable, argument] of value.matchAll(PLACEHOLDER)) {
    const found = variable === "header" ? headers.get((argument ?? "").toLowerCase()) : call[variable as keyof Omit<CallValues, "headers">];
    if (found === undefined || found === null || found === "") missing.push(whole);
  }
  return missing;
}

export type PreviewRow = { name: string; sent: true; value: string } | { name: string; sent: false; why: string };

/** What the sample call sends for each row, in order: the value as rendered, or why the row is not sent. */
export function previewRows(entries: readonly ContextEntry[], call: CallValues, problems = contextProblems(entries)): PreviewRow[] {
  return entries.map((entry, index) => {
    const name = entry.name.trim() || `(row ${index + 1})`;
    if (problems[`${index}.name`] || problems[`${index}.value`]) return { name, sent: false, why: "not sent: fix the entry first" };
    const [rendered] = renderContext([[{ name: entry.name.trim(), value: entry.value }]], call);
    if (rendered) return { name: rendered.name, sent: true, value: rendered.value };
    const missing = missingIn(entry.value, call);
    return { name, sent: false, why: missing.length ? `not sent: this call has no ${missing.join(", ")}` : "not sent" };
  });
}

interface Props {
  value: ContextEntry[];
  onChange(value: ContextEntry[]): void;
  /** The form's error for the list (after a submit, or from the API): every row's problem is then shown. */
  error?: string;
  disabled?: boolean;
  /** "parameter" for a WebSocket agent, whose context goes as stream parameters. */
  noun?: "header" | "parameter";
  /** Where the entries come from, e.g. "this group"; said in the help. */
  owner: string;
  /** Values of the sample call that this form knows better (a group's own name). */
  sample?: Partial<CallValues>;
}

/** Rows of name and template value, checked with the API's schema, with a preview of what a sample call sends. */
export function ContextEditor({ value, onChange, error, disabled, noun = "header", owner, sample }: Props) {
  const labelId = useId();
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [revealed, setRevealed] = useState(false);
  // Once the form has reported a problem here (a submit), every row's problem stays visible.
  useEffect(() => {
    if (error) setRevealed(true);
  }, [error]);
  const problems = contextProblems(value);
  const shown = (path: string) => ((revealed || touched.has(path)) && problems[path]) || undefined;
  const listProblem = problems[""] && (revealed || touched.size > 0) ? problems[""] : undefined;
  const call: CallValues = { ...SAMPLE_CALL, ...sample };
  const preview = previewRows(value, call, problems);
  const title = noun === "header" ? "Headers sent to the agent" : "Stream parameters sent to the agent";
  const Noun = noun === "header" ? "Header" : "Parameter";

  const set = (index: number, field: keyof ContextEntry, text: string) => onChange(value.map((entry, i) => (i === index ? { ...entry, [field]: text } : entry)));
  const touch = (path: string) => setTouched((before) => (before.has(path) ? before : new Set(before).add(path)));
  const remove = (index: number) => {
    onChange(value.filter((_, i) => i !== index));
    // Touched paths name positions: the rows after the removed one move up by one.
    setTouched((before) => {
      const after = new Set<string>();
      for (const path of before) {
        const [row, field] = path.split(".");
        const at = Number(row);
        if (at < index) after.add(path);
        else if (at > index) after.add(`${at - 1}.${field}`);
      }
      return after;
    });
  };

  return (
    // biome-ignore lint/a11y/useSemanticElements: Mantine inputs inside a fieldset would need its legend and border reset; the labelled group reads the same.
    <div role="group" aria-labelledby={labelId} data-testid="context-editor">
      <Text size="sm" fw={500} id={labelId}>
        {title}
      </Text>
      <Text size="xs" c="dimmed" mb={6}>
        Optional. Names start with X-; a value is literal text or the call's own values: {CONTEXT_VARIABLES.map((v) => `{${v}}`).join(" ")} {"{header:Name}"} (a carrier SIP header). An entry whose value the call lacks is not sent. Entries of {owner} replace a
        rule's or group's of the same name{noun === "parameter" ? "; a WebSocket agent gets them as stream parameters" : ""}.
      </Text>
      <Stack gap="xs">
        {value.map((entry, index) => (
          <Group key={index} align="flex-start" wrap="nowrap" gap="xs" data-testid="context-row">
            <TextInput
              aria-label={`${Noun} ${index + 1} name`}
              placeholder="X-Customer-Id"
              classNames={{ input: "mono" }}
              w="35%"
              value={entry.name}
              disabled={disabled}
              onChange={(e) => set(index, "name", e.currentTarget.value)}
              onBlur={() => touch(`${index}.name`)}
              error={shown(`${index}.name`)}
            />
            <TextInput
              aria-label={`${Noun} ${index + 1} value`}
              placeholder="{caller}"
              classNames={{ input: "mono" }}
              style={{ flex: 1 }}
              value={entry.value}
              disabled={disabled}
              onChange={(e) => set(index, "value", e.currentTarget.value)}
              onBlur={() => touch(`${index}.value`)}
              error={shown(`${index}.value`)}
            />
            <ActionIcon variant="subtle" color="red" size="lg" aria-label={`Remove ${noun} ${index + 1}`} disabled={disabled} onClick={() => remove(index)}>
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Group>
        ))}
        {(listProblem || (error && Object.keys(problems).length === 0)) && (
          <Text size="sm" c="red.8" role="alert">
            {listProblem ?? error}
          </Text>
        )}
        <Group>
          <Button variant="light" size="compact-sm" leftSection={<IconPlus size={14} aria-hidden />} disabled={disabled || value.length >= MAX_CONTEXT_ENTRIES} onClick={() => onChange([...value, { name: "X-", value: "" }])}>
            Add {noun}
          </Button>
          {value.length >= MAX_CONTEXT_ENTRIES && (
            <Text size="xs" c="dimmed">
              At most {MAX_CONTEXT_ENTRIES}
            </Text>
          )}
        </Group>
        {value.length > 0 && (
          <Paper withBorder p="sm" data-testid="context-preview">
            <Text size="xs" fw={500}>
              What a sample call sends
            </Text>
            <Text size="xs" c="dimmed" mb={4}>
              From {call.caller} ({call.callerName}) to {call.called}, through rule “{call.ruleName}” and group “{call.groupName}”, not diverted, no asserted identity
              {Object.entries(call.headers ?? {}).map(([name, v]) => `, carrier header ${name}: ${v}`)}.
            </Text>
            <Table aria-label={`${Noun}s a sample call sends`} withRowBorders={false} verticalSpacing={2}>
              <Table.Tbody>
                {preview.map((row, index) => (
                  <Table.Tr key={index}>
                    <Table.Td className="mono" w="35%">
                      {row.name}
                    </Table.Td>
                    <Table.Td>
                      {row.sent ? (
                        <span className="mono">{row.value}</span>
                      ) : (
                        <Badge variant="light" color="gray" tt="none">
                          {row.why}
                        </Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        )}
      </Stack>
    </div>
  );
}
