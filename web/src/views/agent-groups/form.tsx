import { useMemo, useState } from "react";
import { useNavigate } from "react-router";
import { Checkbox, Group as Row, NumberInput, Paper, SimpleGrid, Stack, Switch, Text, TextInput, Textarea, Title, useMatches } from "@mantine/core";
import { useForm } from "@mantine/form";
import type { ContextEntry } from "../../../../workers/domain/call-context";
import { CreateGroupBody, ReplaceMembersBody } from "../../../../workers/schemas/agent-groups";
import { FAILOVER_OUTCOMES } from "../../../../workers/schemas/common";
import { useGroupHealth, type CreateGroupInput, type Group as GroupDto, type MembersInput, type UpdateGroupInput } from "../../api/agent-groups";
import { useSummary } from "../../api/analytics";
import { useCanWrite } from "../../api/session";
import { useAgents } from "../../api/voice-agents";
import { ContextEditor } from "../../components/context-editor";
import { OverflowField, type OverflowValue } from "../../components/overflow-field";
import { FormFooter, NotSaved, WriteFieldset } from "../../components/form-parts";
import { LabelledSegments } from "../../components/labelled-segments";
import { useLiveCounts } from "../../components/live-stats";
import { applyServerErrors, errorUnder, nullableNumber, optionalNumber, withoutErrorsUnder, zodValidate } from "../../lib/zod-form";
import { ROUTE_AGENT_GROUPS } from "../../routes";
import { MembersEditor, type MemberRow, type MemberShare } from "./members";

export interface GroupFormValues {
  name: string;
  description: string;
  strategy: "round_robin" | "priority" | "load_balanced";
  rollingWindowHours: number | string;
  maxAttempts: number | string;
  stickyTtlSeconds: number | string;
  enabled: boolean;
  /** The outcomes that try the next agent; all four checked is the API's null (the default). */
  failoverOn: FailoverOutcome[];
  timeLimitSec: number | string;
  context: ContextEntry[];
  /** null: the next step (the default). */
  overflow?: OverflowValue;
  members: MemberRow[];
}

type FailoverOutcome = (typeof FAILOVER_OUTCOMES)[number];

/** What each dial outcome means, in Cloudonix's words for a Dial's status. */
const OUTCOMES: Record<FailoverOutcome, { label: string; help: string }> = {
  busy: { label: "Busy", help: "the agent was busy or declined the call" },
  "no-answer": { label: "No answer", help: "it rang until the dial timed out" },
  failed: { label: "Failed", help: "unreachable, refused or an error on the way" },
  canceled: { label: "Canceled", help: "the dial was abandoned before an answer (e.g. the caller hung up while it rang)" },
};

const STRATEGIES = [
  { value: "round_robin", label: "Round robin", help: "Rotates through the members; weights give some a larger share (smooth weighted round robin)." },
  { value: "priority", label: "Priority", help: "Tries members in order (lower priority first); equal priorities rotate. Failover goes down the list." },
  { value: "load_balanced", label: "Load balanced", help: "Sends each call to the member with the fewest calls in the rolling window; weights divide the count." },
] as const;

const FIELDS = ["name", "description", "strategy", "rollingWindowHours", "maxAttempts", "stickyTtlSeconds", "failoverOn", "timeLimitSec", "context", "overflow"];

export function membersBody(members: MemberRow[]): NonNullable<CreateGroupInput["members"]> {
  return members.map((m) => ({
    agentId: m.agentId,
    priority: optionalNumber(m.priority) ?? 0,
    weight: nullableNumber(m.weight),
    capacity: nullableNumber(m.capacity),
  }));
}

export function groupBody(values: GroupFormValues): CreateGroupInput {
  return {
    name: values.name,
    description: values.description,
    strategy: values.strategy,
    rollingWindowHours: optionalNumber(values.rollingWindowHours),
    maxAttempts: optionalNumber(values.maxAttempts),
    stickyTtlSeconds: nullableNumber(values.stickyTtlSeconds),
    enabled: values.enabled,
    // Every outcome checked is the default, sent as null so the group follows it.
    failoverOn: FAILOVER_OUTCOMES.every((o) => values.failoverOn.includes(o)) ? null : FAILOVER_OUTCOMES.filter((o) => values.failoverOn.includes(o)),
    timeLimitSec: nullableNumber(values.timeLimitSec),
    context: values.context,
    overflow: values.overflow,
    members: membersBody(values.members),
  };
}

function initialValues(group?: GroupDto): GroupFormValues {
  return {
    name: group?.name ?? "",
    description: group?.description ?? "",
    strategy: group?.strategy ?? "round_robin",
    rollingWindowHours: group?.rollingWindowHours ?? 24,
    maxAttempts: group?.maxAttempts ?? 3,
    stickyTtlSeconds: group?.stickyTtlSeconds ?? "",
    enabled: group?.enabled ?? true,
    failoverOn: group?.failoverOn ?? [...FAILOVER_OUTCOMES],
    timeLimitSec: group?.timeLimitSec ?? "",
    context: group?.context ?? [],
    overflow: group?.overflow ?? null,
    members: (group?.members ?? []).map((m) => ({ agentId: m.agentId, priority: m.priority, weight: m.weight ?? "", capacity: m.capacity ?? "" })),
  };
}

/** What the checked outcomes do, and what the others do, in words. */
export function failoverHelp(checked: readonly FailoverOutcome[]): string {
  const names = (list: readonly FailoverOutcome[]) => {
    const words = list.map((o) => OUTCOMES[o].label.toLowerCase());
    return words.length > 1 ? `${words.slice(0, -1).join(", ")} or ${words.at(-1)}` : (words[0] ?? "");
  };
  const ends = FAILOVER_OUTCOMES.filter((o) => !checked.includes(o));
  if (ends.length === 0) return "Every failed dial tries the next agent, up to the max attempts, then the rule's fallback (the default).";
  const stop = "the call ends at once (hang-up): no other agent and no fallback is tried";
  if (checked.length === 0) return `No failed dial tries another agent: on ${names(ends)} ${stop}.`;
  return `On ${names(checked)} the next agent is tried, then the rule's fallback. On ${names(ends)} ${stop}, so a callee who declined is not dialled again.`;
}

interface Props {
  group?: GroupDto;
  onCreate?(body: CreateGroupInput): Promise<unknown>;
  onUpdate?(settings: UpdateGroupInput, members: MembersInput | null): Promise<unknown>;
}

/** A group's strategy and settings, and its ordered members with their live share. */
export function GroupForm({ group, onCreate, onUpdate }: Props) {
  const navigate = useNavigate();
  const canWrite = useCanWrite();
  const phone = useMatches({ base: true, xs: false });
  const agents = useAgents({});
  const live = useLiveCounts();
  const since = useMemo(() => new Date(Date.now() - 86_400_000).toISOString(), []);
  const summary = useSummary({ groupId: group?.id, since }, { refetchInterval: 30_000 });
  const health = useGroupHealth(group?.id);
  const [error, setError] = useState<string | null>(null);
  const initial = useMemo(() => initialValues(group), [group]);
  const form = useForm<GroupFormValues>({ initialValues: initial, validate: zodValidate(CreateGroupBody, groupBody), validateInputOnBlur: true });

  const shares = useMemo(() => {
    const out = new Map<string, MemberShare>();
    const mine = summary.data?.groups.find((g) => g.groupId === group?.id);
    for (const a of mine?.distribution.agents ?? []) out.set(a.agentId, { share: a.share, targetShare: a.targetShare });
    return out;
  }, [summary.data, group?.id]);

  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      if (!group) {
        await onCreate!(groupBody(values));
      } else {
        const { members, ...settings } = groupBody(values);
        const membersChanged = JSON.stringify(members) !== JSON.stringify(membersBody(initial.members));
        await onUpdate!({ ...settings, version: group.version }, membersChanged ? { members: members ?? [] } : null);
      }
      void navigate(ROUTE_AGENT_GROUPS);
    } catch (err) {
      setError(applyServerErrors(err, form.setErrors, FIELDS));
    }
  });

  const strategy = STRATEGIES.find((s) => s.value === form.values.strategy)!;
  const memberErrors = Object.fromEntries(
    Object.entries(form.errors)
      .filter(([k]) => k.startsWith("members"))
      .map(([k, v]) => [k, String(v)]),
  );
  // ReplaceMembersBody is what the members endpoint validates; checking it here too keeps the messages identical.
  const membersProblem = ReplaceMembersBody.safeParse({ members: membersBody(form.values.members) }).error?.issues[0]?.message;

  return (
    <form onSubmit={submit} noValidate aria-label={group ? `Edit ${group.name}` : "New agent group"}>
      <Stack maw={1000}>
        {error && <NotSaved>{error}</NotSaved>}
        <Paper withBorder p="lg">
          <WriteFieldset>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="Name" required {...form.getInputProps("name")} />
              <Switch mt={30} label="Enabled: routes calls" {...form.getInputProps("enabled", { type: "checkbox" })} />
            </SimpleGrid>
            <Textarea label="Description" autosize minRows={1} {...form.getInputProps("description")} />
            <div>
              {/* Stacked on a phone: the three strategies side by side are wider than the screen. */}
              <LabelledSegments label="Strategy" orientation={phone ? "vertical" : "horizontal"} data={STRATEGIES.map(({ value, label }) => ({ value, label }))} disabled={!canWrite} {...form.getInputProps("strategy")} />
              <Text size="sm" c="dimmed" mt={4}>
                {strategy.help}
              </Text>
            </div>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              {form.values.strategy === "load_balanced" && <NumberInput label="Rolling window (hours)" description="Calls counted over this window (1–168)" min={1} max={168} allowDecimal={false} {...form.getInputProps("rollingWindowHours")} />}
              <NumberInput label="Max attempts per call" description="Agents tried before the rule's fallback (1–10)" min={1} max={10} allowDecimal={false} {...form.getInputProps("maxAttempts")} />
              <NumberInput label="Sticky callers (seconds)" description="Same agent for a returning caller; empty: off" min={1} allowDecimal={false} {...form.getInputProps("stickyTtlSeconds")} />
            </SimpleGrid>
            <Checkbox.Group
              label="Try the next agent when a dial ends"
              description={failoverHelp(form.values.failoverOn)}
              value={form.values.failoverOn}
              onChange={(next) =>
                form.setFieldValue(
                  "failoverOn",
                  FAILOVER_OUTCOMES.filter((o) => next.includes(o)),
                )
              }
              error={form.errors.failoverOn}
            >
              <Row mt={6} gap="lg">
                {FAILOVER_OUTCOMES.map((outcome) => (
                  <Checkbox key={outcome} value={outcome} label={OUTCOMES[outcome].label} description={OUTCOMES[outcome].help} maw={220} />
                ))}
              </Row>
            </Checkbox.Group>
            <NumberInput
              label="Maximum call length (seconds)"
              description="Cloudonix ends a call with an agent of this group after this long (10–86400); a rule's shorter limit wins. Empty: no limit"
              min={10}
              max={86400}
              // Not clamped: 5 saying "at least 10 seconds" beats 5 silently becoming 10.
              clampBehavior="none"
              allowDecimal={false}
              maw={360}
              {...form.getInputProps("timeLimitSec")}
            />
            <OverflowField
              value={form.values.overflow ?? null}
              onChange={(overflow) => {
                // A refusal on save names a field under it ("overflow.playUrl"), which a change does not clear.
                form.setErrors((errors) => withoutErrorsUnder(errors, "overflow"));
                form.setFieldValue("overflow", overflow);
              }}
              error={errorUnder(form.errors, "overflow")}
            />
            <ContextEditor
              owner="this group"
              value={form.values.context}
              sample={form.values.name.trim() ? { groupName: form.values.name.trim() } : undefined}
              onChange={(context) => {
                form.setErrors((errors) => withoutErrorsUnder(errors, "context"));
                form.setFieldValue("context", context);
              }}
              error={errorUnder(form.errors, "context")}
            />
          </WriteFieldset>
        </Paper>
        <Title order={2} size="h4">
          Members
        </Title>
        <MembersEditor
          members={form.values.members}
          onChange={(members) => form.setFieldValue("members", members)}
          agents={agents.data?.items ?? []}
          strategy={form.values.strategy}
          liveCalls={live.byAgent}
          shares={shares}
          health={health.data}
          readOnly={!canWrite}
          errors={memberErrors}
        />
        {membersProblem && (
          <Text size="sm" c="red.8" role="alert">
            {membersProblem}
          </Text>
        )}
        <FormFooter backTo={ROUTE_AGENT_GROUPS} submit={group ? "Save changes" : "Create group"} submitting={form.submitting} />
      </Stack>
    </form>
  );
}
