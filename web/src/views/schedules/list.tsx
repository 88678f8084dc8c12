import { Link } from "react-router";
import { Anchor, Group, Loader, Table, Text } from "@mantine/core";
import { useDeleteSchedule, useSchedules, useScheduleStatus } from "../../api/schedules";
import { useCanWrite } from "../../api/session";
import { ListTable } from "../../components/data-table";
import { DeleteCell } from "../../components/delete-cell";
import { AddButton, PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
import { itemPath, newPath, ROUTE_SCHEDULES } from "../../routes";
import { OpenBadge } from "./status-panel";
import { nowText } from "./status-text";

/** Open or closed now, and until when. */
function NowCell({ id }: { id: string }) {
  const status = useScheduleStatus(id);
  if (!status.data) return status.isLoading ? <Loader size="xs" role="status" aria-label="Loading" /> : <Text c="dimmed">—</Text>;
  return (
    <Group gap="xs" wrap="nowrap">
      <OpenBadge open={status.data.open} />
      <Text size="sm">{nowText(status.data).replace(/^(Open|Closed) now, /, "")}</Text>
    </Group>
  );
}

export default function ScheduleList() {
  const canWrite = useCanWrite();
  const schedules = useSchedules();
  const remove = useDeleteSchedule();
  return (
    <>
      <PageHeader title="Schedules" description="Opening hours: an inbound rule with a schedule sends calls elsewhere while it is closed" actions={<AddButton to={newPath(ROUTE_SCHEDULES)}>Add schedule</AddButton>} />
      <ReadOnlyNotice />
      <QueryState query={schedules}>
        {(data) => (
          <ListTable minWidth={640} striped highlightOnHover aria-label="Schedules" columns={["Name", "Time zone", "Now", "Used by"]} actions={canWrite} rows={data.items} empty="No schedules yet.">
            {(schedule) => (
              <Table.Tr key={schedule.id}>
                <Table.Td>
                  <Anchor component={Link} to={itemPath(ROUTE_SCHEDULES, schedule.id)} fw={600}>
                    {schedule.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{schedule.timezone}</Table.Td>
                <Table.Td>
                  <NowCell id={schedule.id} />
                </Table.Td>
                <Table.Td>{schedule.ruleCount === 0 ? <Text c="dimmed">no rule</Text> : `${schedule.ruleCount} rule${schedule.ruleCount > 1 ? "s" : ""}`}</Table.Td>
                {canWrite && (
                  <DeleteCell
                    label={`Delete schedule ${schedule.name}`}
                    title={`Delete schedule ${schedule.name}?`}
                    body={schedule.ruleCount > 0 ? "Inbound rules use it: take it off them first." : undefined}
                    disabled={schedule.ruleCount > 0}
                    onConfirm={() => remove.mutate(schedule.id)}
                  />
                )}
              </Table.Tr>
            )}
          </ListTable>
        )}
      </QueryState>
    </>
  );
}
