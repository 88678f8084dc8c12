import type { ReactNode } from "react";
import { Paper, Table, Text, type TableProps } from "@mantine/core";

/** A header cell: its text, or its content with a fixed width. */
export type Column = string | { label: ReactNode; w: number };

interface DataTableProps<T> extends Omit<TableProps, "children"> {
  /** Header cells; `false` leaves one out (a column only some users see). */
  columns: (Column | false)[];
  /** Adds a last column for row actions, named for screen readers only. */
  actions?: boolean;
  rows: T[];
  /** The message in place of the rows when there are none. */
  empty?: ReactNode;
  /** A smaller empty message, for tables inside a dashboard panel. */
  dense?: boolean;
  /** One `<Table.Tr>` per row, with as many cells as there are columns. */
  children(row: T, index: number): ReactNode;
}

/** A table's header and its empty state, spanning however many columns the header has. */
export function DataTable<T>({ columns, actions = false, rows, empty, dense = false, children, ...table }: DataTableProps<T>) {
  const shown = columns.filter((c): c is Column => c !== false);
  return (
    <Table {...table}>
      <Table.Thead>
        <Table.Tr>
          {shown.map((column, i) =>
            typeof column === "string" ? (
              <Table.Th key={column}>{column}</Table.Th>
            ) : (
              <Table.Th key={i} w={column.w}>
                {column.label}
              </Table.Th>
            ),
          )}
          {actions && (
            <Table.Th>
              <span className="visually-hidden">Actions</span>
            </Table.Th>
          )}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.length === 0 && empty && (
          <Table.Tr>
            <Table.Td colSpan={shown.length + (actions ? 1 : 0)}>
              <Text c="dimmed" ta="center" size={dense ? "sm" : undefined} py={dense ? "md" : "lg"}>
                {empty}
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
        {rows.map(children)}
      </Table.Tbody>
    </Table>
  );
}

/** A screen's main table: bordered, and scrolling sideways when the window is narrower than minWidth. */
export function ListTable<T>({ minWidth, ...props }: DataTableProps<T> & { minWidth: number }) {
  return (
    <Paper withBorder>
      <Table.ScrollContainer minWidth={minWidth}>
        <DataTable {...props} />
      </Table.ScrollContainer>
    </Paper>
  );
}
