import { useParams } from "react-router";
import { Paper, Progress, Stack, Table, Text, Title } from "@mantine/core";
import { PageHeader, QueryState } from "../../components/page";
import { useProviderAccount, useProviderAccountStatus, useSaveProviderAccount } from "../../api/provider-accounts";
import { ProviderAccountForm } from "./form";

/** The account's slots in use now, and the calls holding them. */
function Usage({ id }: { id: string }) {
  const status = useProviderAccountStatus(id);
  const data = status.data;
  if (!data) return null;
  const share = data.maxConcurrentCalls ? Math.min(100, (data.active / data.maxConcurrentCalls) * 100) : 0;
  return (
    <Paper withBorder p="lg" maw={640} mt="lg">
      <Stack gap="sm">
        <Title order={2} size="h4">
          In use now
        </Title>
        <Text size="sm">
          {data.active} of {data.maxConcurrentCalls} calls
        </Text>
        <Progress value={share} color={share >= 100 ? "red" : share >= 80 ? "orange" : "teal"} aria-label={`${data.active} of ${data.maxConcurrentCalls} slots in use`} />
        {data.calls.length > 0 && (
          <Table aria-label="Calls holding a slot">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Call</Table.Th>
                <Table.Th>Agent</Table.Th>
                <Table.Th>Since</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.calls.map((call) => (
                <Table.Tr key={call.callKey}>
                  <Table.Td className="mono">{call.callKey}</Table.Td>
                  <Table.Td className="mono">{call.agentId}</Table.Td>
                  <Table.Td>{new Date(call.since).toLocaleTimeString()}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

export default function ProviderAccountEdit() {
  const { id = "" } = useParams();
  const account = useProviderAccount(id);
  const save = useSaveProviderAccount(id);
  return (
    <>
      <PageHeader title={account.data ? `Provider account ${account.data.name}` : "Provider account"} description={account.data ? `${account.data.agentCount} agent${account.data.agentCount === 1 ? "" : "s"} assigned (in each agent's form)` : undefined} />
      <QueryState query={account}>{(data) => <ProviderAccountForm key={data.version} account={data} onSubmit={(body) => save.mutateAsync(body)} />}</QueryState>
      {account.data && <Usage id={id} />}
    </>
  );
}
