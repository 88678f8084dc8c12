import { Group, Select, Stack, TextInput } from "@mantine/core";
import type { z } from "zod";
import { RejectReason, type FallbackSchema } from "../../../workers/schemas/common";
import { TargetSelect } from "./target-select";

/** What the API accepts as a fallback; null means none (the tenant default, or a hang-up). */
export type Fallback = z.input<typeof FallbackSchema> | null;

const KINDS = [
  { value: "none", label: "None (tenant default)" },
  { value: "target", label: "Another agent or group" },
  { value: "hangup", label: "Hang up" },
  { value: "reject", label: "Reject" },
  { value: "announcement", label: "Play an announcement" },
];

interface Props {
  value: Fallback;
  onChange(value: Fallback): void;
  error?: string;
  disabled?: boolean;
  noneLabel?: string;
  /** What the fallback is for where it is edited (a rule's and the tenant's default differ). */
  label?: string;
  description?: string;
}

/** Where a call goes when its target cannot take it, or (the tenant's default) when no rule matches it. */
export function FallbackEditor({ value, onChange, error, disabled, noneLabel, label = "Fallback", description = "When the target cannot take the call" }: Props) {
  const kind = !value ? "none" : value.type === "agent" || value.type === "group" ? "target" : value.type;
  const kinds = noneLabel ? KINDS.map((k) => (k.value === "none" ? { ...k, label: noneLabel } : k)) : KINDS;
  return (
    <Stack gap="xs">
      <Group grow align="flex-start">
        <Select
          label={label}
          description={description}
          data={kinds}
          value={kind}
          disabled={disabled}
          allowDeselect={false}
          onChange={(next) => {
            if (next === "none") onChange(null);
            else if (next === "target") onChange({ type: "group", id: "" });
            else if (next === "hangup") onChange({ type: "hangup" });
            else if (next === "reject") onChange({ type: "reject", reason: "rejected" });
            else if (next === "announcement") onChange({ type: "announcement", text: "" });
          }}
          error={kind === "none" ? error : undefined}
        />
        {value && (value.type === "agent" || value.type === "group") && <TargetSelect label="Fallback target" value={value.id ? value : null} onChange={(t) => onChange(t ?? { type: "group", id: "" })} error={error} disabled={disabled} />}
        {value?.type === "reject" && (
          <Select
            label="Reject as"
            data={RejectReason.options}
            value={value.reason ?? "rejected"}
            allowDeselect={false}
            disabled={disabled}
            onChange={(reason) => onChange({ type: "reject", reason: RejectReason.options.find((r) => r === reason) ?? "rejected" })}
          />
        )}
      </Group>
      {value?.type === "announcement" && <TextInput label="Announcement text" value={value.text} onChange={(e) => onChange({ ...value, text: e.currentTarget.value })} error={error} disabled={disabled} />}
    </Stack>
  );
}
