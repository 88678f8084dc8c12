import { NumberInput, SimpleGrid, TextInput } from "@mantine/core";
import type { z } from "zod";
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

/** An empty text field means "none": the key is left out rather than sent empty. */
const optionalText = (text: string): string | undefined => (text.trim() === "" ? undefined : text);
const seconds = (value: string | number): number | undefined => (typeof value === "number" ? value : undefined);

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
        onChange={(e) => onChange({ ...value, text: optionalText(e.currentTarget.value) })}
        onBlur={onLeave}
        error={errorOf("text")}
        disabled={disabled}
      />
      <TextInput
        label="Hold music URL"
        description="An http(s) audio file; its length is the time between tries (keep it short)"
        placeholder="https://example.com/hold-10s.mp3"
        value={value.playUrl ?? ""}
        onChange={(e) => onChange({ ...value, playUrl: optionalText(e.currentTarget.value) })}
        onBlur={onLeave}
        error={errorOf("playUrl")}
        disabled={disabled}
      />
      <NumberInput
        label="Seconds between tries"
        description="Silence between tries when there is no music (3 to 60)"
        value={value.retrySec ?? 10}
        min={3}
        max={60}
        onChange={(v) => onChange({ ...value, retrySec: seconds(v) })}
        onBlur={onLeave}
        error={errorOf("retrySec")}
        disabled={disabled}
      />
      <NumberInput
        label="Longest wait (seconds)"
        description="Then the next step: the fallback, else hang up (10 to 3600)"
        value={value.maxWaitSec ?? 120}
        min={10}
        max={3600}
        onChange={(v) => onChange({ ...value, maxWaitSec: seconds(v) })}
        onBlur={onLeave}
        error={errorOf("maxWaitSec")}
        disabled={disabled}
      />
    </SimpleGrid>
  );
}
