import { useParams } from "react-router";
import { PageHeader, QueryState } from "../../components/page";
import { useInboundRule, useUpdateInbound } from "../../api/inbound-rules";
import { InboundForm } from "./form";

export default function InboundEdit() {
  const { id = "" } = useParams();
  const rule = useInboundRule(id);
  const update = useUpdateInbound(id);
  return (
    <>
      <PageHeader title={rule.data ? `Inbound rule ${rule.data.displayPattern}` : "Inbound rule"} description={rule.data?.name || undefined} />
      <QueryState query={rule}>{(data) => <InboundForm key={data.version} rule={data} onSubmit={(body) => update.mutateAsync(body)} />}</QueryState>
    </>
  );
}
