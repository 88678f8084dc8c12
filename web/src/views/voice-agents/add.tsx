import { PageHeader } from "../../components/page";
import { useCreateAgent, type CreateAgentInput } from "../../api/voice-agents";
import { AgentForm } from "./form";

export default function AgentAdd() {
  const create = useCreateAgent();
  return (
    <>
      <PageHeader title="New voice agent" description="An AI voice agent Cloudonix can dial" />
      <AgentForm onSubmit={(body) => create.mutateAsync(body as CreateAgentInput)} />
    </>
  );
}
