import { Link } from "react-router";
import { Anchor, Badge, Table, Text } from "@mantine/core";
import { useCanWrite } from "../../api/session";
import { useDeleteTrunk, useTrunks } from "../../api/trunks";
import { ListTable } from "../../components/data-table";
import { DeleteCell } from "../../components/delete-cell";
import { AddButton, PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
import { itemPath, newPath, ROUTE_TRUNKS } from "../../routes";

export default function TrunkList() {
  const canWrite = useCanWrite();
  const trunks = useTrunks();
  const remove = useDeleteTrunk();
  return (
    <>
      <PageHeader title="Trunks" description="Cloudonix SIP trunks that outbound rules dial out of" actions={<AddButton to={newPath(ROUTE_TRUNKS)}>Add trunk</AddButton>} />
      <ReadOnlyNotice />
      <QueryState query={trunks}>
        {(data) => (
          <ListTable minWidth={600} striped highlightOnHover aria-label="Trunks" columns={["Name", "Description", "Caller ID override", "Status"]} actions={canWrite} rows={data.items} empty="No trunks yet.">
            {(trunk) => (
              <Table.Tr key={trunk.id}>
                <Table.Td>
                  <Anchor component={Link} to={itemPath(ROUTE_TRUNKS, trunk.id)} className="mono" fw={600}>
                    {trunk.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{trunk.description || <Text c="dimmed">—</Text>}</Table.Td>
                <Table.Td className="mono">{trunk.callerIdOverride ?? "caller's own"}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={trunk.enabled ? "teal" : "gray"}>
                    {trunk.enabled ? "Enabled" : "Disabled"}
                  </Badge>
                </Table.Td>
                {canWrite && <DeleteCell label={`Delete trunk ${trunk.name}`} title={`Delete trunk ${trunk.name}?`} body="Outbound rules that use it must be changed first." onConfirm={() => remove.mutate(trunk.id)} />}
              </Table.Tr>
            )}
          </ListTable>
        )}
      </QueryState>
    </>
  );
}
