import { useParams } from "react-router";
import { PageHeader, QueryState } from "../../components/page";
import { useSaveTrunk, useTrunk } from "../../api/trunks";
import { TrunkForm } from "./form";

export default function TrunkEdit() {
  const { id = "" } = useParams();
  const trunk = useTrunk(id);
  const save = useSaveTrunk(id);
  return (
    <>
      <PageHeader title={trunk.data ? `Trunk ${trunk.data.name}` : "Trunk"} />
      <QueryState query={trunk}>{(data) => <TrunkForm key={data.version} trunk={data} onSubmit={(body) => save.mutateAsync(body)} />}</QueryState>
    </>
  );
}
