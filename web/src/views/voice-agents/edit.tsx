import { useParams } from "react-router";
import { PageHeader, QueryState } from "../../components/page";
import { useAgent, useUpdateAgent } from "../../api/voice-agents";
import { AgentForm } from "./form";

export default function AgentEdit() {
  const { id = "" } = useParams();
  const agent = useAgent(id);
  const update = useUpdateAgent(id);
  return (
    <>
      <PageHeader title={agent.data ? agent.data.name : "Voice agent"} description={agent.data ? `${agent.data.provider} · ${agent.data.id}` : undefined} />
      <QueryState isLoading={agent.isLoading} error={agent.error} retry={() => void agent.refetch()} />
      {agent.data && <AgentForm key={agent.data.version} agent={agent.data} onSubmit={(body) => update.mutateAsync(body)} />}
    </>
  );
}
