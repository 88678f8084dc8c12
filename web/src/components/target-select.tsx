import { Select, type SelectProps } from "@mantine/core";
import { useGroups } from "../api/agent-groups";
import { useAgents } from "../api/voice-agents";

export type TargetValue = { type: "agent" | "group"; id: string } | null;

/** One select over groups and agents; values are "group:<id>" / "agent:<id>". */
export function TargetSelect({ value, onChange, ...props }: Omit<SelectProps, "value" | "onChange" | "data"> & { value: TargetValue; onChange(value: TargetValue): void }) {
  const groups = useGroups();
  const agents = useAgents({});
  const data = [
    { group: "Agent groups", items: (groups.data?.items ?? []).map((g) => ({ value: `group:${g.id}`, label: g.name })) },
    { group: "Voice agents", items: (agents.data?.items ?? []).map((a) => ({ value: `agent:${a.id}`, label: `${a.name} (${a.provider})` })) },
  ];
  return (
    <Select
      searchable
      nothingFoundMessage="No agent or group by that name"
      data={data}
      value={value ? `${value.type}:${value.id}` : null}
      onChange={(next) => {
        if (!next) return onChange(null);
        const [type, ...rest] = next.split(":");
        onChange({ type: type as "agent" | "group", id: rest.join(":") });
      }}
      {...props}
    />
  );
}

/** The name of a rule's target, for tables. */
export function useTargetNames() {
  const groups = useGroups();
  const agents = useAgents({});
  return (target: { type: string; id: string } | null | undefined) => {
    if (!target) return "—";
    if (target.type === "group") return groups.data?.items.find((g) => g.id === target.id)?.name ?? target.id;
    if (target.type === "agent") return agents.data?.items.find((a) => a.id === target.id)?.name ?? target.id;
    return target.type;
  };
}
