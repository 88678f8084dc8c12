import { PageHeader } from "../../components/page";
import { useCreateGroup } from "../../api/agent-groups";
import { GroupForm } from "./form";

export default function GroupAdd() {
  const create = useCreateGroup();
  return (
    <>
      <PageHeader title="New agent group" description="Agents that share calls by a strategy" />
      <GroupForm onCreate={(body) => create.mutateAsync(body)} />
    </>
  );
}
