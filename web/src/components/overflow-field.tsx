import { useState } from "react";
import { Select, SimpleGrid, Stack, TextInput } from "@mantine/core";
import type { z } from "zod";
import { OverflowSchema } from "../../../workers/schemas/common";
import { WaitRoomFields } from "./wait-room-fields";

export type OverflowValue = z.input<typeof OverflowSchema> | null;
type Kind = "inherit" | "next" | "announcement" | "number" | "sip" | "wait";

interface Props {
  value: OverflowValue;
  onChange(value: OverflowValue): void;
  /** A rule may leave it to its group ("inherit", sent as null); a group's null is "next". */
  inheritLabel?: string;
  error?: string;
  disabled?: boolean;
}

const kindOf = (value: OverflowValue, inherit: boolean): Kind => (value ? value.type : inherit ? "inherit" : "next");

/**
 * What happens to a call when every eligible agent, or every agent's provider account, is full:
 * the next step (the default), an announcement, a person, or a waiting room. Checked with the
 * API's schema when a field is left.
 */
export function OverflowField({ value, onChange, inheritLabel, error, disabled }: Props) {
  const [left, setLeft] = useState(false);
  const kind = kindOf(value, Boolean(inheritLabel));
  // Once left, or once the form refused it on save: the schema's issue names the field it is about.
  const issue = (left || error) && value ? OverflowSchema.safeParse(value).error?.issues[0] : undefined;
  const problem = issue?.message;
  const data = [
    ...(inheritLabel ? [{ value: "inherit", label: inheritLabel }] : []),
    { value: "next", label: "Go on to the next step (the fallback, else hang up)" },
    { value: "announcement", label: "Play an announcement and hang up" },
    { value: "number", label: "Call a person: a phone number" },
    { value: "sip", label: "Call a person: a SIP URI" },
    { value: "wait", label: "Hold the caller in a waiting room, first come first served" },
  ];
  const choose = (next: string | null) => {
    setLeft(false);
    if (next === "inherit") onChange(null);
    else if (next === "next") onChange(inheritLabel ? { type: "next" } : null);
    else if (next === "announcement") onChange({ type: "announcement", text: "" });
    else if (next === "number") onChange({ type: "number", number: "" });
    else if (next === "sip") onChange({ type: "sip", uri: "" });
    else if (next === "wait") onChange({ type: "wait", retrySec: 10, maxWaitSec: 120 });
  };
  return (
    <Stack gap="xs">
      <Select
        label="When every agent is full"
        description="Every eligible agent at its concurrent-call limit, or its provider account full (disabled or unhealthy agents are not full)"
        data={data}
        value={kind}
        allowDeselect={false}
        onChange={choose}
        disabled={disabled}
        maw={520}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {value?.type === "announcement" && (
          <TextInput
            label="Announcement"
            placeholder="All our agents are busy; please call again later."
            value={value.text}
            onChange={(e) => onChange({ ...value, text: e.currentTarget.value })}
            onBlur={() => setLeft(true)}
            error={problem ?? error}
            disabled={disabled}
          />
        )}
        {value?.type === "number" && (
          <TextInput label="Phone number" placeholder="+14155550199" value={value.number} onChange={(e) => onChange({ ...value, number: e.currentTarget.value })} onBlur={() => setLeft(true)} error={problem ?? error} disabled={disabled} />
        )}
        {value?.type === "sip" && (
          <TextInput label="SIP URI" placeholder="sip:desk@pbx.example.com" value={value.uri} onChange={(e) => onChange({ ...value, uri: e.currentTarget.value })} onBlur={() => setLeft(true)} error={problem ?? error} disabled={disabled} />
        )}
      </SimpleGrid>
      {value?.type === "wait" && (
        <WaitRoomFields value={value} onChange={onChange} onLeave={() => setLeft(true)} problem={issue ? { path: String(issue.path[0] ?? ""), message: issue.message } : error ? { path: "text", message: error } : undefined} disabled={disabled} />
      )}
    </Stack>
  );
}
