import { PageHeader } from "../../components/page";
import { useSaveTrunk } from "../../api/trunks";
import { TrunkForm } from "./form";

export default function TrunkAdd() {
  const save = useSaveTrunk();
  return (
    <>
      <PageHeader title="New trunk" description="A SIP trunk configured in Cloudonix, for outbound calls" />
      <TrunkForm onSubmit={(body) => save.mutateAsync(body)} />
    </>
  );
}
