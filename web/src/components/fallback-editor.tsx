import { useState } from "react";
import { Group, Select, Stack, TextInput } from "@mantine/core";
import type { z } from "zod";
import { FallbackSchema, RejectReason } from "../../../workers/schemas/common";
import { useTrunks } from "../api/trunks";
import { TargetSelect } from "./target-select";

/** What the API accepts as a fallback; null means none (the tenant default, or a hang-up). */
export type Fallback = z.input<typeof FallbackSchema> | null;

const KINDS = [
  { value: "none", label: "None (tenant default)" },
  { value: "target", label: "Another agent or group" },
  { value: "number", label: "A person: phone number" },
  { value: "sip", label: "A person: SIP URI" },
  { value: "hangup", label: "Hang up" },
  { value: "reject", label: "Reject" },
  { value: "announcement", label: "Play an announcement" },
];

/** The API's problem with a person's number or URI, checked with its own schema. */
function personProblem(value: Fallback): string | undefined {
  if (!value || (value.type !== "number" && value.type !== "sip")) return undefined;
  return FallbackSchema.safeParse(value).error?.issues[0]?.message;
}

/** The tenant's trunks; none chosen lets Cloudonix choose the way out. Only loaded when a number is the fallback. */
function TrunkSelect({ value, onChange, disabled }: { value: string | null | undefined; onChange(trunkId: string | null): void; disabled?: boolean }) {
  const trunks = useTrunks();
  const data = [{ value: "", label: "Cloudonix chooses" }, ...(trunks.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }))];
  return <Select label="Through trunk" description="Optional" data={data} value={value ?? ""} allowDeselect={false} disabled={disabled} onChange={(next) => onChange(next ? next : null)} />;
}

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

/**
 * Where a call goes when its target cannot take it, or (the tenant's default) when no rule
 * matches it: another agent or group, a person (escalation to a phone number or a SIP URI),
 * or an end. A person's number or URI is checked with the API's schema once the field is left.
 */
export function FallbackEditor({ value, onChange, error, disabled, noneLabel, label = "Fallback", description = "When the target cannot take the call" }: Props) {
  const [left, setLeft] = useState(false);
  const kind = !value ? "none" : value.type === "agent" || value.type === "group" ? "target" : value.type;
  const kinds = noneLabel ? KINDS.map((k) => (k.value === "none" ? { ...k, label: noneLabel } : k)) : KINDS;
  // Our own check while editing; the form's (a submit, or the API) otherwise.
  const personError = (left && personProblem(value)) || error;
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
            setLeft(false);
            if (next === "none") onChange(null);
            else if (next === "target") onChange({ type: "group", id: "" });
            else if (next === "number") onChange({ type: "number", number: "" });
            else if (next === "sip") onChange({ type: "sip", uri: "" });
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
        {value?.type === "sip" && (
          <TextInput
            label="SIP URI"
            placeholder="sip:desk@pbx.example.com"
            description="A person or desk phone Cloudonix dials"
            classNames={{ input: "mono" }}
            value={value.uri}
            disabled={disabled}
            onChange={(e) => onChange({ type: "sip", uri: e.currentTarget.value })}
            onBlur={() => setLeft(true)}
            error={personError}
          />
        )}
      </Group>
      {value?.type === "number" && (
        <Group grow align="flex-start">
          <TextInput
            label="Phone number"
            placeholder="+12125550123 or 2001"
            description="E.164, or an extension of 2 to 8 digits"
            classNames={{ input: "mono" }}
            value={value.number}
            disabled={disabled}
            onChange={(e) => onChange({ ...value, number: e.currentTarget.value })}
            onBlur={() => setLeft(true)}
            error={personError}
          />
          <TrunkSelect value={value.trunkId} disabled={disabled} onChange={(trunkId) => onChange({ type: "number", number: value.number, ...(trunkId ? { trunkId } : {}) })} />
        </Group>
      )}
      {value?.type === "announcement" && <TextInput label="Announcement text" value={value.text} onChange={(e) => onChange({ ...value, text: e.currentTarget.value })} error={error} disabled={disabled} />}
    </Stack>
  );
}
