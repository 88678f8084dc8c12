import { PageHeader } from "../../components/page";
import { useCreateInbound } from "../../api/inbound-rules";
import { InboundForm } from "./form";

export default function InboundAdd() {
  const create = useCreateInbound();
  return (
    <>
      <PageHeader title="New inbound rule" description="Which agent or group takes calls to a number" />
      <InboundForm onSubmit={(body) => create.mutateAsync(body)} />
    </>
  );
}
