import { Stack, Table, Text } from "@mantine/core";
import { ApiError } from "../../api/errors";

/** A row of an uploaded file that the API refused, by line. */
export interface RowError {
  line: number;
  field: string | null;
  message: string;
}

/** The rows a refused upload listed (details.errors), if any. */
export const rowErrors = (err: unknown): RowError[] => {
  const details = err instanceof ApiError ? (err.details as { errors?: RowError[] } | undefined) : undefined;
  return Array.isArray(details?.errors) ? details.errors : [];
};

/** How many rows a refused upload found invalid (details.errorCount), when it says. */
export const errorCountOf = (err: unknown): number | undefined => (err instanceof ApiError && (err.details as { errorCount?: number } | undefined)?.errorCount) || undefined;

/** An upload's invalid rows as a table (the first 200 of them). */
export function LineErrors({ errors, total }: { errors: RowError[]; total?: number | undefined }) {
  if (!errors.length) return null;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {total && total > errors.length ? `The first ${errors.length} of ${total} invalid rows` : `${errors.length} invalid row${errors.length === 1 ? "" : "s"}`}
      </Text>
      <Table aria-label="Invalid rows" striped maw={760}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Line</Table.Th>
            <Table.Th>Column</Table.Th>
            <Table.Th>Problem</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {errors.slice(0, 200).map((e, i) => (
            <Table.Tr key={`${e.line}-${i}`}>
              <Table.Td>{e.line}</Table.Td>
              <Table.Td className="mono">{e.field ?? "—"}</Table.Td>
              <Table.Td>{e.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
