import { useNavigate } from "react-router";
import { PageHeader } from "../../components/page";
import { useSaveCampaign } from "../../api/campaigns";
import { itemPath, ROUTE_CAMPAIGNS } from "../../routes";
import { CampaignForm } from "./form";

export default function CampaignAdd() {
  const save = useSaveCampaign();
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title="New campaign" description="Outbound calls placed through Cloudonix; the people who answer are connected to your agents. Upload its contacts next." />
      <CampaignForm onSubmit={(body) => save.mutateAsync(body)} onSaved={(campaign) => void navigate(itemPath(ROUTE_CAMPAIGNS, campaign.id))} />
    </>
  );
}
