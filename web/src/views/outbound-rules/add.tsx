import { PageHeader } from "../../components/page";
import { useSaveOutbound } from "../../api/trunks";
import { OutboundForm } from "./form";

export default function OutboundAdd() {
  const save = useSaveOutbound();
  return (
    <>
      <PageHeader title="New outbound rule" description="Which trunks carry calls to a destination" />
      <OutboundForm onSubmit={(body) => save.mutateAsync(body)} />
    </>
  );
}
