import { Link } from "react-router";
import { ActionIcon, Anchor, Badge, Button, Paper, Table, Text } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useCanWrite } from "../../api/session";
import { useDeleteTrunk, useTrunks } from "../../api/trunks";
import { confirmAction } from "../../components/confirm";
import { PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
import { itemPath, newPath, ROUTE_TRUNKS } from "../../routes";

export default function TrunkList() {
  const canWrite = useCanWrite();
  const trunks = useTrunks();
  const remove = useDeleteTrunk();
  return (
    <>
      <PageHeader
        title="Trunks"
        description="Cloudonix SIP trunks that outbound rules dial out of"
        actions={
          canWrite && (
            <Button component={Link} to={newPath(ROUTE_TRUNKS)} leftSection={<IconPlus size={16} aria-hidden />}>
              Add trunk
            </Button>
          )
        }
      />
      <ReadOnlyNotice />
      <QueryState isLoading={trunks.isLoading} error={trunks.error} retry={() => void trunks.refetch()} />
      {trunks.data && (
        <Paper withBorder>
          <Table striped highlightOnHover aria-label="Trunks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th>Caller ID override</Table.Th>
                <Table.Th>Status</Table.Th>
                {canWrite && (
                  <Table.Th>
                    <span className="visually-hidden">Actions</span>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {trunks.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" ta="center" py="lg">
                      No trunks yet.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {trunks.data.items.map((trunk) => (
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
                  {canWrite && (
                    <Table.Td>
                      <ActionIcon variant="subtle" color="red" aria-label={`Delete trunk ${trunk.name}`} onClick={() => confirmAction({ title: `Delete trunk ${trunk.name}?`, body: "Outbound rules that use it must be changed first.", confirm: "Delete", onConfirm: () => remove.mutate(trunk.id) })}>
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </>
  );
}
