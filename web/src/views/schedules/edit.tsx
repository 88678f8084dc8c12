import { useParams } from "react-router";
import { Stack } from "@mantine/core";
import { useSaveSchedule, useSchedule } from "../../api/schedules";
import { PageHeader, QueryState } from "../../components/page";
import { ScheduleForm } from "./form";
import { SchedulePreview } from "./status-panel";

export default function ScheduleEdit() {
  const { id = "" } = useParams();
  const schedule = useSchedule(id);
  const save = useSaveSchedule(id);
  return (
    <>
      <PageHeader title={schedule.data ? `Schedule ${schedule.data.name}` : "Schedule"} description={schedule.data ? `Used by ${schedule.data.ruleCount} inbound rule${schedule.data.ruleCount === 1 ? "" : "s"}` : undefined} />
      <QueryState query={schedule}>
        {(data) => (
          <Stack>
            <SchedulePreview key={`${data.version}:${data.timezone}`} id={data.id} timezone={data.timezone} />
            <ScheduleForm key={data.version} schedule={data} onSubmit={(body) => save.mutateAsync(body)} />
          </Stack>
        )}
      </QueryState>
    </>
  );
}
