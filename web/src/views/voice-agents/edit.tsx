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
      <QueryState query={agent}>{(data) => <AgentForm key={data.version} agent={data} onSubmit={(body) => update.mutateAsync(body)} />}</QueryState>
    </>
  );
}
