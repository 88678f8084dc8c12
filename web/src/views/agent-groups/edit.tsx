import { useParams } from "react-router";
import { PageHeader, QueryState } from "../../components/page";
import { useGroup, useSaveGroup } from "../../api/agent-groups";
import { GroupForm } from "./form";

export default function GroupEdit() {
  const { id = "" } = useParams();
  const group = useGroup(id);
  const save = useSaveGroup(id);
  return (
    <>
      <PageHeader title={group.data?.name ?? "Agent group"} description={group.data ? `${group.data.strategy.replace("_", " ")} · ${group.data.id}` : undefined} />
      <QueryState query={group}>{(data) => <GroupForm key={data.version} group={data} onUpdate={(settings, members) => save.mutateAsync({ settings, members })} />}</QueryState>
    </>
  );
}
