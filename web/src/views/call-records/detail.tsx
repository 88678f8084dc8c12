import { Link, useParams } from "react-router";
import { CdrFigures } from "./cdr-figures";
import { Alert, Anchor, Badge, List, Paper, SimpleGrid, Stack, Table, Text, Timeline, Title } from "@mantine/core";
import { useRecord, type CallRecordDetail } from "../../api/call-records";
import { useAgents } from "../../api/voice-agents";
import { PageHeader, QueryState } from "../../components/page";
import { RoutingTrace } from "../../components/routing-trace";
import { dateTime, duration, NOT_REPORTED, patternText, talkTime, time } from "../../lib/format";
import { itemPath, ROUTE_AGENT_GROUPS, ROUTE_CALL_RECORDS, ROUTE_INBOUND_RULES, ROUTE_VOICE_AGENTS } from "../../routes";
import { recordedAttempts, recordedTrace, type RecordedAttempt } from "./recorded-trace";
import { CallStatus } from "./status";
import { CarrierHeaders } from "./carrier-headers";
import { waitText } from "./wait-text";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a labelled group of text, not form controls; a fieldset would bring form semantics and browser borders.
    <div role="group" aria-label={label}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {/* A div, not a p: a fact may be a badge or a link block. */}
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

const OUTCOME_COLORS: Record<string, string> = { answered: "teal", failed: "red", ended: "gray" };
const ENDED = new Set(["completed", "failed", "timeout"]);
/** What is missing from an ended call was not reported; from a live one it has not happened yet. */
const unknown = (ended: boolean) => (ended ? NOT_REPORTED : "in progress");
const at = (ms: number | undefined, ended: boolean) => (typeof ms === "number" ? time(ms) : unknown(ended));

/** An attempt that ended unanswered talked for nothing; one without an outcome is unknown. */
function attemptTalkTime(a: RecordedAttempt, ended: boolean): string {
  if (!a.outcome && !a.durationSec) return unknown(ended);
  return talkTime(a.durationSec, a.outcome === "answered");
}

/** Every dial of the call, in order, with who was dialled and how it went. */
function Attempts({ attempts, ended }: { attempts: CallRecordDetail["attempts"]; ended: boolean }) {
  const agents = useAgents({});
  const rows = recordedAttempts(attempts);
  if (rows.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No dial attempts.
      </Text>
    );
  const agentName = (a: RecordedAttempt) => agents.data?.items.find((agent) => agent.id === a.targetId)?.name ?? a.targetName ?? a.targetId ?? "—";
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table aria-label="Attempts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Dialled</Table.Th>
            <Table.Th>Stage</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Ended</Table.Th>
            <Table.Th>Talk time</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Dial status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((a, i) => (
            <Table.Tr key={a.n ?? i}>
              <Table.Td>{a.n ?? i + 1}</Table.Td>
              <Table.Td>
                {a.kind === "trunk" ? (
                  <>
                    Trunk <span className="mono">{a.targetName ?? a.targetId}</span>
                  </>
                ) : a.targetId ? (
                  <Anchor component={Link} to={itemPath(ROUTE_VOICE_AGENTS, a.targetId)}>
                    {agentName(a)}
                  </Anchor>
                ) : (
                  agentName(a)
                )}
                {a.provider && (
                  <Text span size="xs" c="dimmed">
                    {" "}
                    · {a.provider}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{a.stage ?? "—"}</Table.Td>
              <Table.Td>{at(a.startedAt, ended)}</Table.Td>
              <Table.Td>{at(a.endedAt, ended)}</Table.Td>
              <Table.Td>{attemptTalkTime(a, ended)}</Table.Td>
              <Table.Td>
                {a.outcome ? (
                  <Badge variant="light" color={OUTCOME_COLORS[a.outcome] ?? "gray"}>
                    {a.outcome}
                  </Badge>
                ) : (
                  unknown(ended)
                )}
              </Table.Td>
              <Table.Td className={a.dialStatus ? "mono" : undefined}>{a.dialStatus ?? unknown(ended)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

type Flag = CallRecordDetail["flags"][number];

const FLAG_FIELDS: Record<string, string> = { durationSec: "Duration", billableSec: "Billed seconds", answeredAt: "Answer time", endedAt: "End time", disposition: "Disposition" };

/** A flagged figure as people read it: times as times, seconds as durations. */
function figure(field: string, value: Flag["reported"]): string {
  if (value === null) return "none";
  if (typeof value === "number" && /At$/.test(field)) return dateTime(new Date(value).toISOString());
  if (typeof value === "number" && /durationSec$|billableSec$/.test(field)) return duration(value);
  return String(value);
}

/** Figures Cloudonix reported that could not be true: what was reported, what the record kept, and why. */
function Flags({ flags }: { flags: Flag[] }) {
  return (
    <Alert color="yellow" title="Reported figures not used" role="note">
      <List size="sm" spacing={4}>
        {flags.map((f, i) => {
          const attempt = /^attempts\[(\d+)\]/.exec(f.field)?.[1];
          const label = attempt ? `Attempt ${attempt} duration` : (FLAG_FIELDS[f.field] ?? f.field);
          return (
            <List.Item key={i}>
              <strong>{label}</strong>: reported {figure(f.field, f.reported)}, kept {figure(f.field, f.used)}. {f.reason}
            </List.Item>
          );
        })}
      </List>
    </Alert>
  );
}

/** The recorded decision, read like the routing tester's: direction, rule, rules tried, picks. */
function Routing({ routing }: { routing: unknown }) {
  const trace = recordedTrace(routing);
  if (!trace) {
    return (
      <Text size="sm" c="dimmed">
        No routing decision was recorded.
      </Text>
    );
  }
  const { summary } = trace;
  return (
    <Stack>
      <Text size="sm">
        {summary.direction ? `Routed as ${summary.direction}` : "Routed"}
        {summary.directionReason ? ` (${summary.directionReason})` : ""}
        {summary.rule ? ` by rule ${summary.rule.name || patternText(summary.rule.pattern)} (${patternText(summary.rule.pattern)})` : summary.usedDefaultFallback ? " with the tenant's default fallback" : ""}.
      </Text>
      <RoutingTrace trace={trace} />
    </Stack>
  );
}

export default function CallRecordDetailView() {
  const { id = "" } = useParams();
  const record = useRecord(id);
  const call = record.data;
  return (
    <>
      <PageHeader
        title={call ? `Call ${call.from} → ${call.to}` : "Call"}
        description={call ? `${call.direction} · ${call.callId}` : undefined}
        actions={
          <Anchor component={Link} to={ROUTE_CALL_RECORDS}>
            Back to call records
          </Anchor>
        }
      />
      <QueryState query={record}>
        {(r) => (
          <Stack>
            <Paper withBorder p="md">
              <SimpleGrid cols={{ base: 2, sm: 4 }}>
                <Fact label="Status">
                  <CallStatus status={r.status} />
                </Fact>
                <Fact label="Started">{dateTime(r.startedAt)}</Fact>
                <Fact label="Answered">{r.answeredAt ? dateTime(r.answeredAt) : ENDED.has(r.status) ? "not answered" : "—"}</Fact>
                <Fact label="Ended">{r.endedAt ? dateTime(r.endedAt) : unknown(ENDED.has(r.status))}</Fact>
                <Fact label="Duration">{ENDED.has(r.status) || r.durationSec ? talkTime(r.durationSec, r.answeredAt !== null) : "in progress"}</Fact>
                {/* The disposition comes with the CDR: missing from an ended call, it was not reported. */}
                <Fact label="Disposition">{r.disposition ?? unknown(ENDED.has(r.status))}</Fact>
                <Fact label="End reason">{r.endReason ?? unknown(ENDED.has(r.status))}</Fact>
                <Fact label="Attempts">{r.attemptCount}</Fact>
                <Fact label="Rule">
                  {r.rule ? (
                    <Anchor component={Link} to={itemPath(ROUTE_INBOUND_RULES, r.rule.id)}>
                      {r.rule.name ?? r.rule.id}
                    </Anchor>
                  ) : (
                    "—"
                  )}
                </Fact>
                <Fact label="Group">
                  {r.group ? (
                    <Anchor component={Link} to={itemPath(ROUTE_AGENT_GROUPS, r.group.id)}>
                      {r.group.name ?? r.group.id}
                    </Anchor>
                  ) : (
                    "—"
                  )}
                </Fact>
                <Fact label="Agent">
                  {r.agent ? (
                    <Anchor component={Link} to={itemPath(ROUTE_VOICE_AGENTS, r.agent.id)}>
                      {r.agent.name ?? r.agent.id}
                    </Anchor>
                  ) : (
                    "—"
                  )}
                </Fact>
                <Fact label="Trunk">{r.trunk?.name ?? "—"}</Fact>
                {r.wait && <Fact label="Waiting room">{waitText(r.wait)}</Fact>}
              </SimpleGrid>
              {(r.flags ?? []).length > 0 && (
                <div style={{ marginTop: "var(--mantine-spacing-md)" }}>
                  <Flags flags={r.flags} />
                </div>
              )}
            </Paper>
            <CdrFigures record={r} />
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="sm">
                Attempts
              </Title>
              <Attempts attempts={r.attempts} ended={ENDED.has(r.status)} />
            </Paper>
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="sm">
                Timeline
              </Title>
              {r.events.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No events recorded.
                </Text>
              ) : (
                <Timeline active={r.events.length - 1} bulletSize={14} lineWidth={2}>
                  {r.events.map((e) => (
                    <Timeline.Item key={e.seq} title={e.type}>
                      <Text size="xs" c="dimmed">
                        {time(e.at)}
                      </Text>
                      {Object.keys(e.data).length > 0 && (
                        <Text size="xs" className="mono" lineClamp={2}>
                          {Object.entries(e.data)
                            .filter(([, v]) => v !== null && typeof v !== "object")
                            .slice(0, 5)
                            .map(([k, v]) => `${k}: ${String(v)}`)
                            .join(" · ")}
                        </Text>
                      )}
                    </Timeline.Item>
                  ))}
                </Timeline>
              )}
            </Paper>
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="sm">
                Routing trace
              </Title>
              <Routing routing={r.routing} />
            </Paper>
            <CarrierHeaders headers={r.carrierHeaders} />
          </Stack>
        )}
      </QueryState>
    </>
  );
}
