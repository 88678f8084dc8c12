import { useState } from "react";
import { useParams } from "react-router";
import { Button, Group, Stack } from "@mantine/core";
import { useCampaign, useCampaignControl, useSaveCampaign, type ControlAction } from "../../api/campaigns";
import { useCanWrite } from "../../api/session";
import { confirmAction } from "../../components/confirm";
import { PageHeader, QueryState } from "../../components/page";
import { useTargetNames } from "../../components/target-select";
import { useCampaignProgressPush } from "../../realtime/campaign-progress";
import { ContactsUpload } from "./contacts-upload";
import { CampaignForm } from "./form";
import { ProgressPanel, StatusBadge } from "./progress-panel";
import { ResultsTable } from "./results-table";

/** The controls a campaign's status allows. */
function Controls({ id, status }: { id: string; status: string }) {
  const control = useCampaignControl(id);
  const act = (action: ControlAction) => control.mutate(action);
  return (
    <Group>
      {status === "draft" && (
        <Button onClick={() => act("start")} loading={control.isPending}>
          Start
        </Button>
      )}
      {status === "running" && (
        <Button color="orange" onClick={() => act("pause")} loading={control.isPending}>
          Pause
        </Button>
      )}
      {status === "paused" && (
        <Button onClick={() => act("resume")} loading={control.isPending}>
          Resume
        </Button>
      )}
      {(status === "draft" || status === "running" || status === "paused") && (
        <Button
          color="red"
          variant="light"
          onClick={() => confirmAction({ title: "Stop the campaign?", body: "Contacts not yet called never will be; calls in progress finish. A stopped campaign cannot be resumed.", confirm: "Stop", onConfirm: () => act("stop") })}
        >
          Stop
        </Button>
      )}
    </Group>
  );
}

export default function CampaignDetail() {
  const { id = "" } = useParams();
  const pushed = useCampaignProgressPush(id);
  const campaign = useCampaign(id, pushed);
  const save = useSaveCampaign(id);
  const canWrite = useCanWrite();
  const targetName = useTargetNames();
  const [editing, setEditing] = useState(false);
  const data = campaign.data;
  return (
    <>
      <PageHeader
        title={data ? `Campaign ${data.name}` : "Campaign"}
        description={data ? `To ${targetName(data.target)}, from ${data.callerId}; ${data.contactCount.toLocaleString()} contacts` : undefined}
        actions={
          data ? (
            <>
              <StatusBadge status={data.status} />
              {canWrite && <Controls id={id} status={data.status} />}
            </>
          ) : undefined
        }
      />
      <QueryState query={campaign}>
        {(c) => (
          <Stack>
            {c.progress && <ProgressPanel progress={c.progress} />}
            {c.status === "draft" && canWrite && <ContactsUpload campaignId={c.id} contactCount={c.contactCount} />}
            {(c.status === "draft" || c.status === "paused" || c.status === "running") &&
              (editing ? (
                <CampaignForm key={c.version} campaign={c} onSubmit={(body) => save.mutateAsync(body)} onSaved={() => setEditing(false)} />
              ) : (
                canWrite && (
                  <Group>
                    <Button variant="default" onClick={() => setEditing(true)}>
                      Change settings
                    </Button>
                  </Group>
                )
              ))}
            {c.contactCount > 0 && <ResultsTable campaignId={c.id} live={c.status === "running"} />}
          </Stack>
        )}
      </QueryState>
    </>
  );
}
