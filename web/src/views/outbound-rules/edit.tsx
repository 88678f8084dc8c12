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
      <QueryState query={rule}>{(data) => <OutboundForm key={data.version} rule={data} onSubmit={(body) => save.mutateAsync(body)} />}</QueryState>
    </>
  );
}
