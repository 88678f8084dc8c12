import { useParams } from "react-router";
import { PageHeader, QueryState } from "../../components/page";
import { useOutboundRule, useSaveOutbound } from "../../api/trunks";
import { OutboundForm } from "./form";

export default function OutboundEdit() {
  const { id = "" } = useParams();
  const rule = useOutboundRule(id);
  const save = useSaveOutbound(id);
  return (
    <>
      <PageHeader title="Outbound rule" description={rule.data ? (rule.data.destinationPrefix ? `+${rule.data.destinationPrefix}…` : "Every destination") : undefined} />
      <QueryState isLoading={rule.isLoading} error={rule.error} retry={() => void rule.refetch()} />
      {rule.data && <OutboundForm key={rule.data.version} rule={rule.data} onSubmit={(body) => save.mutateAsync(body)} />}
    </>
  );
}
