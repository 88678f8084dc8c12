import { NumberInput, SimpleGrid, TextInput } from "@mantine/core";
import type { z } from "zod";
import { WAIT_MAX_SEC, WAIT_RETRY_SEC } from "../../../workers/domain/overflow";
import type { OverflowSchema } from "../../../workers/schemas/common";

type WaitRoom = Extract<z.input<typeof OverflowSchema>, { type: "wait" }>;

interface Props {
  value: WaitRoom;
  onChange(value: WaitRoom): void;
  onLeave(): void;
  /** The first problem the API's schema finds, shown under the field it is about. */
  problem?: { path: string; message: string };
  disabled?: boolean;
}

/** An empty text field means "none": the key is left out, not sent empty nor kept as undefined. */
function withText(value: WaitRoom, key: "text" | "playUrl", text: string): WaitRoom {
  const { [key]: _old, ...rest } = value;
  return text.trim() === "" ? rest : { ...rest, [key]: text };
}
/** An emptied number field is left out too: the API then takes its default (the placeholder). */
function withSeconds(value: WaitRoom, key: "retrySec" | "maxWaitSec", seconds: string | number): WaitRoom {
  const { [key]: _old, ...rest } = value;
  return typeof seconds === "number" ? { ...rest, [key]: seconds } : rest;
}

/** A waiting room's settings: what the caller hears, how often they are tried again, for how long. */
export function WaitRoomFields({ value, onChange, onLeave, problem, disabled }: Props) {
  const errorOf = (path: string) => (problem?.path === path ? problem.message : undefined);
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <TextInput
        label="Message when the caller joins"
        description="Said once; {position} is their place in line"
        placeholder="All our agents are busy. You are number {position} in line."
        value={value.text ?? ""}
        onChange={(e) => onChange(withText(value, "text", e.currentTarget.value))}
        onBlur={onLeave}
        error={errorOf("text")}
        disabled={disabled}
      />
      <TextInput
        label="Hold music URL"
        description="An http(s) audio file; its length is the time between tries (keep it short)"
        placeholder="https://example.com/hold-10s.mp3"
        value={value.playUrl ?? ""}
        onChange={(e) => onChange(withText(value, "playUrl", e.currentTarget.value))}
        onBlur={onLeave}
        error={errorOf("playUrl")}
        disabled={disabled}
      />
      <NumberInput
        label="Seconds between tries"
        description="Silence between tries when there is no music (3 to 60)"
        // Empty while being retyped, not snapped back to a number.
        value={value.retrySec ?? ""}
        placeholder={String(WAIT_RETRY_SEC.default)}
        min={WAIT_RETRY_SEC.min}
        max={WAIT_RETRY_SEC.max}
        // Not clamped: 1 saying "at least 3 seconds" beats 1 silently becoming 3.
        clampBehavior="none"
        allowDecimal={false}
        onChange={(v) => onChange(withSeconds(value, "retrySec", v))}
        onBlur={onLeave}
        error={errorOf("retrySec")}
        disabled={disabled}
      />
      <NumberInput
        label="Longest wait (seconds)"
        description="Then the next step: the fallback, else hang up (10 to 3600)"
        value={value.maxWaitSec ?? ""}
        placeholder={String(WAIT_MAX_SEC.default)}
        min={WAIT_MAX_SEC.min}
        max={WAIT_MAX_SEC.max}
        clampBehavior="none"
        allowDecimal={false}
        onChange={(v) => onChange(withSeconds(value, "maxWaitSec", v))}
        onBlur={onLeave}
        error={errorOf("maxWaitSec")}
        disabled={disabled}
      />
    </SimpleGrid>
  );
}
