import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from "@dnd-kit/core";
import { SortableContext, arrayMove, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { ActionIcon, Badge, Group, NumberInput, Paper, Select, Stack, Table, Text } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconGripVertical, IconTrash } from "@tabler/icons-react";
import type { MemberHealth } from "../../api/agent-groups";
import type { Agent } from "../../api/voice-agents";
import { HealthNote } from "../../components/health-note";
import { ShareBar } from "../../components/share-bar";

export interface MemberRow {
  agentId: string;
  priority: number | string;
  weight: number | string;
  capacity: number | string;
}

export interface MemberShare {
  share: number;
  targetShare: number;
}

interface Props {
  members: MemberRow[];
  onChange(members: MemberRow[]): void;
  agents: Agent[];
  strategy: string;
  liveCalls: Map<string, number>;
  shares: Map<string, MemberShare>;
  /** Each member's health in the group's balancer: why a share may be off its target. */
  health?: Map<string, MemberHealth> | undefined;
  readOnly: boolean;
  errors?: Record<string, string>;
}

function SortableMember(props: {
  member: MemberRow;
  index: number;
  count: number;
  agent: Agent | undefined;
  strategy: string;
  live: number;
  share: MemberShare | undefined;
  health: MemberHealth | undefined;
  readOnly: boolean;
  error?: string;
  update(patch: Partial<MemberRow>): void;
  move(to: number): void;
  remove(): void;
}) {
  const { member, index, count, agent, readOnly } = props;
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: member.agentId, disabled: readOnly });
  const name = agent?.name ?? member.agentId;
  const style = { transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.6 : 1, position: "relative" as const, zIndex: isDragging ? 1 : 0 };
  return (
    <Table.Tr ref={setNodeRef} style={style} data-testid="member-row">
      <Table.Td w={110}>
        <Group gap={2} wrap="nowrap">
          {!readOnly && (
            <ActionIcon variant="subtle" color="gray" aria-label={`Reorder ${name}: press space, then the arrow keys`} {...attributes} {...listeners} style={{ cursor: "grab" }}>
              <IconGripVertical size={16} aria-hidden />
            </ActionIcon>
          )}
          <Text size="sm" w={20} ta="right" aria-label={`Position ${index + 1}`}>
            {index + 1}
          </Text>
          {!readOnly && (
            <>
              <ActionIcon variant="subtle" size="sm" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => props.move(index - 1)}>
                <IconArrowUp size={14} aria-hidden />
              </ActionIcon>
              <ActionIcon variant="subtle" size="sm" aria-label={`Move ${name} down`} disabled={index === count - 1} onClick={() => props.move(index + 1)}>
                <IconArrowDown size={14} aria-hidden />
              </ActionIcon>
            </>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <Stack gap={0}>
          <Text size="sm" fw={500}>
            {name}
          </Text>
          <Text size="xs" c="dimmed">
            {agent ? `${agent.provider}${agent.enabled ? "" : " · disabled"}` : "unknown agent"}
          </Text>
          {props.error && (
            <Text size="xs" c="red.8">
              {props.error}
            </Text>
          )}
        </Stack>
      </Table.Td>
      {props.strategy === "priority" && (
        <Table.Td w={110}>
          <NumberInput size="xs" aria-label={`Priority of ${name}`} min={0} max={1000} value={member.priority} onChange={(v) => props.update({ priority: v })} disabled={readOnly} />
        </Table.Td>
      )}
      <Table.Td w={120}>
        <NumberInput size="xs" aria-label={`Weight of ${name}`} placeholder={`${agent?.weight ?? 1} (agent)`} min={1} max={1000} value={member.weight} onChange={(v) => props.update({ weight: v })} disabled={readOnly} />
      </Table.Td>
      <Table.Td w={120}>
        <NumberInput
          size="xs"
          aria-label={`Capacity of ${name}`}
          placeholder={agent?.maxConcurrentCalls ? `${agent.maxConcurrentCalls} (agent)` : "no limit"}
          min={1}
          value={member.capacity}
          onChange={(v) => props.update({ capacity: v })}
          disabled={readOnly}
        />
      </Table.Td>
      <Table.Td w={70}>{props.live}</Table.Td>
      <Table.Td w={170}>
        {props.share ? (
          <ShareBar name={name} share={props.share.share} targetShare={props.share.targetShare} />
        ) : (
          <Text size="xs" c="dimmed">
            no calls yet
          </Text>
        )}
        <HealthNote health={props.health} />
      </Table.Td>
      {!readOnly && (
        <Table.Td w={50}>
          <ActionIcon variant="subtle" color="red" aria-label={`Remove ${name} from the group`} onClick={props.remove}>
            <IconTrash size={16} aria-hidden />
          </ActionIcon>
        </Table.Td>
      )}
    </Table.Tr>
  );
}

/**
 * The ordered member list: drag the handle, or focus it and use space + arrow keys (dnd-kit's
 * keyboard sensor), or the up/down buttons. Order is the failover order for `priority` and the
 * tie order for the others.
 */
export function MembersEditor({ members, onChange, agents, strategy, liveCalls, shares, health, readOnly, errors = {} }: Props) {
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const byId = new Map(agents.map((a) => [a.id, a]));
  const available = agents.filter((a) => !members.some((m) => m.agentId === a.id));

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = members.findIndex((m) => m.agentId === active.id);
    const to = members.findIndex((m) => m.agentId === over.id);
    onChange(arrayMove(members, from, to));
  };

  return (
    <Stack gap="sm">
      {/* Around the table, not inside it: the context renders its screen-reader instructions as a div. */}
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <Paper withBorder>
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing={6} aria-label="Members, in order">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Order</Table.Th>
                  <Table.Th>Agent</Table.Th>
                  {strategy === "priority" && <Table.Th>Priority</Table.Th>}
                  <Table.Th>Weight</Table.Th>
                  <Table.Th>Capacity</Table.Th>
                  <Table.Th>Live</Table.Th>
                  <Table.Th>Share vs target</Table.Th>
                  {!readOnly && (
                    <Table.Th>
                      <span className="visually-hidden">Remove</span>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <SortableContext items={members.map((m) => m.agentId)} strategy={verticalListSortingStrategy}>
                <Table.Tbody>
                  {members.length === 0 && (
                    <Table.Tr>
                      <Table.Td colSpan={8}>
                        <Text size="sm" c="dimmed" ta="center" py="sm">
                          No members yet{readOnly ? "." : ": add agents below."}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  )}
                  {members.map((member, index) => (
                    <SortableMember
                      key={member.agentId}
                      member={member}
                      index={index}
                      count={members.length}
                      agent={byId.get(member.agentId)}
                      strategy={strategy}
                      live={liveCalls.get(member.agentId) ?? 0}
                      share={shares.get(member.agentId)}
                      health={health?.get(member.agentId)}
                      readOnly={readOnly}
                      error={errors[`members.${index}.agentId`]}
                      update={(patch) => onChange(members.map((m, i) => (i === index ? { ...m, ...patch } : m)))}
                      move={(to) => onChange(arrayMove(members, index, to))}
                      remove={() => onChange(members.filter((_, i) => i !== index))}
                    />
                  ))}
                </Table.Tbody>
              </SortableContext>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      </DndContext>
      {!readOnly && (
        <Group align="flex-end">
          <Select
            label="Add a member"
            placeholder={available.length ? "Choose a voice agent" : "Every agent is a member"}
            searchable
            data={available.map((a) => ({ value: a.id, label: `${a.name} (${a.provider})` }))}
            value={null}
            onChange={(id) => id && onChange([...members, { agentId: id, priority: 0, weight: "", capacity: "" }])}
            disabled={available.length === 0}
            w={320}
          />
          <Badge variant="light" color="gray">
            {members.length} member{members.length === 1 ? "" : "s"}
          </Badge>
        </Group>
      )}
    </Stack>
  );
}
