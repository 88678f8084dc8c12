import { Paper, Table, Title } from "@mantine/core";

/** The carrier's SIP headers the call arrived with (trunk-sip-headers), as routing read them. */
export function CarrierHeaders({ headers }: { headers: Record<string, string> | null | undefined }) {
  const entries = Object.entries(headers ?? {});
  // Calls that did not come in over a trunk have none: nothing to show.
  if (entries.length === 0) return null;
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        Carrier headers
      </Title>
      <Table.ScrollContainer minWidth={400}>
        <Table aria-label="Carrier headers">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Header</Table.Th>
              <Table.Th>Value</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map(([name, value]) => (
              <Table.Tr key={name}>
                <Table.Td className="mono">{name}</Table.Td>
                <Table.Td className="mono" style={{ wordBreak: "break-all" }}>
                  {value}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
