import { Group, Select, TextInput } from "@mantine/core";
import { CONTAINS_MAX_DAYS, NUMBER_MATCHES, type NumberMatch } from "../../../../workers/domain/number-search";

const LABELS: Record<NumberMatch, string> = {
  prefix: "starts with",
  suffix: "ends with",
  exact: "is",
  contains: "contains",
};
const MATCH_DATA = NUMBER_MATCHES.map((value) => ({ value, label: LABELS[value] }));

export const isNumberMatch = (value: string | null): value is NumberMatch => (NUMBER_MATCHES as readonly string[]).includes(value ?? "");

/**
 * A number filter: how to match, then the digits. "Starts with", "ends with" and "is" are
 * indexed; "contains" scans the period's calls, so the API allows it over a bounded period only,
 * and the field says so (and why the list is refused when the period is longer).
 */
export function NumberFilter(props: {
  label: string;
  /** The record's column it searches: "From" or "To". */
  column: "From" | "To";
  placeholder: string;
  text: string;
  onText: (text: string) => void;
  match: NumberMatch;
  onMatch: (match: NumberMatch) => void;
  /** The chosen period is longer than a "contains" search may scan. */
  periodTooLong: boolean;
}) {
  const contains = props.match === "contains";
  return (
    <Group gap={4} align="flex-start" wrap="nowrap">
      <Select
        label="Match"
        // Named by the record's column, not the field's label, so that the number field's label
        // ("Caller") names one control only.
        aria-label={`Match the ${props.column} number`}
        data={MATCH_DATA}
        value={props.match}
        onChange={(v) => isNumberMatch(v) && props.onMatch(v)}
        allowDeselect={false}
        w={120}
      />
      <TextInput
        label={props.label}
        placeholder={props.match === "suffix" ? "0100" : props.placeholder}
        value={props.text}
        onChange={(e) => props.onText(e.currentTarget.value)}
        w={150}
        description={contains ? `Scans every call of the period (at most ${CONTAINS_MAX_DAYS} days)` : undefined}
        error={contains && props.periodTooLong ? `"contains" needs a period of at most ${CONTAINS_MAX_DAYS} days` : undefined}
      />
    </Group>
  );
}
