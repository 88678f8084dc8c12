import { useId } from "react";
import { SegmentedControl, Text, type SegmentedControlProps } from "@mantine/core";

/** A SegmentedControl with a visible label that names it (Mantine's has no label of its own). */
export function LabelledSegments({ label, ...control }: SegmentedControlProps & { label: string }) {
  const id = useId();
  return (
    <div>
      <Text size="sm" fw={500} mb={4} id={id}>
        {label}
      </Text>
      <SegmentedControl aria-labelledby={id} {...control} />
    </div>
  );
}
