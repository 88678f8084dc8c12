import { Link } from "react-router";
import { Anchor, Button, Table } from "@mantine/core";
import { useCampaigns, useDeleteCampaign } from "../../api/campaigns";
import { useCanWrite } from "../../api/session";
import { ListTable } from "../../components/data-table";
import { DeleteCell } from "../../components/delete-cell";
import { AddButton, PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
import { useTargetNames } from "../../components/target-select";
import { itemPath, newPath, ROUTE_CAMPAIGNS, ROUTE_DO_NOT_CALL } from "../../routes";
import { StatusBadge } from "./progress-panel";

export default function CampaignList() {
  const canWrite = useCanWrite();
  const campaigns = useCampaigns();
  const remove = useDeleteCampaign();
  const targetName = useTargetNames();
  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Outbound calls placed through Cloudonix, paced and within calling hours; whoever answers is connected to your agents"
        actions={
          <>
            <Button component={Link} to={ROUTE_DO_NOT_CALL} variant="default">
              Do-not-call list
            </Button>
            <AddButton to={newPath(ROUTE_CAMPAIGNS)}>New campaign</AddButton>
          </>
        }
      />
      <ReadOnlyNotice />
      <QueryState query={campaigns}>
        {(data) => (
          <ListTable minWidth={640} striped highlightOnHover aria-label="Campaigns" columns={["Name", "Status", "Answered calls go to", "Contacts", "Created"]} actions={canWrite} rows={data.items} empty="No campaigns yet.">
            {(campaign) => (
              <Table.Tr key={campaign.id}>
                <Table.Td>
                  <Anchor component={Link} to={itemPath(ROUTE_CAMPAIGNS, campaign.id)} fw={600}>
                    {campaign.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={campaign.status} />
                </Table.Td>
                <Table.Td>{targetName(campaign.target)}</Table.Td>
                <Table.Td>{campaign.contactCount.toLocaleString()}</Table.Td>
                <Table.Td>{new Date(campaign.createdAt).toLocaleDateString()}</Table.Td>
                {canWrite && (
                  <DeleteCell
                    label={`Delete campaign ${campaign.name}`}
                    title={`Delete campaign ${campaign.name}?`}
                    body="Its contacts and results go with it. A running campaign must be paused or stopped first."
                    disabled={campaign.status === "running"}
                    onConfirm={() => remove.mutate(campaign.id)}
                  />
                )}
              </Table.Tr>
            )}
          </ListTable>
        )}
      </QueryState>
    </>
  );
}
