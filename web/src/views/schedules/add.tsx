import { useSaveSchedule } from "../../api/schedules";
import { PageHeader } from "../../components/page";
import { ScheduleForm } from "./form";

export default function ScheduleAdd() {
  const save = useSaveSchedule();
  return (
    <>
      <PageHeader title="New schedule" description="Opening hours for inbound rules: weekly hours, closures and special days, in one time zone" />
      <ScheduleForm onSubmit={(body) => save.mutateAsync(body)} />
    </>
  );
}
