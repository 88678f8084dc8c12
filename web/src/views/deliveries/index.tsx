import { useSearchParams } from "react-router";
import { Tabs } from "@mantine/core";
import { PageHeader } from "../../components/page";
import { DeadLettersTab } from "./dead-letters-tab";
import { DeliveriesTab } from "./deliveries-tab";

export const DEAD_LETTERS_TAB = "dead-letters";

/** The delivery debugger: every Cloudonix webhook delivery, and the messages the queues could not store. */
export default function Deliveries() {
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") === DEAD_LETTERS_TAB ? DEAD_LETTERS_TAB : "deliveries";
  return (
    <>
      <PageHeader title="Deliveries" description="Every webhook Cloudonix sent us and what we answered, and the messages that could not be stored" />
      {/* Each tab has its own filters: switching starts it unfiltered. */}
      <Tabs value={tab} onChange={(v) => setParams(v === DEAD_LETTERS_TAB ? { tab: v } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="deliveries">Deliveries</Tabs.Tab>
          <Tabs.Tab value={DEAD_LETTERS_TAB}>Dead letters</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="deliveries">
          <DeliveriesTab />
        </Tabs.Panel>
        <Tabs.Panel value={DEAD_LETTERS_TAB}>
          <DeadLettersTab />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
