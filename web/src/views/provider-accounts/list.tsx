import { Link } from "react-router";
import { Anchor, Table, Text } from "@mantine/core";
import { useCanWrite } from "../../api/session";
import { useDeleteProviderAccount, useProviderAccounts } from "../../api/provider-accounts";
import { ListTable } from "../../components/data-table";
import { DeleteCell } from "../../components/delete-cell";
import { AddButton, PageHeader, QueryState, ReadOnlyNotice } from "../../components/page";
import { itemPath, newPath, ROUTE_PROVIDER_ACCOUNTS } from "../../routes";

export default function ProviderAccountList() {
  const canWrite = useCanWrite();
  const accounts = useProviderAccounts();
  const remove = useDeleteProviderAccount();
  return (
    <>
      <PageHeader title="Provider accounts" description="AI providers limit concurrent calls per account: every call to an account's agents counts against its cap" actions={<AddButton to={newPath(ROUTE_PROVIDER_ACCOUNTS)}>Add account</AddButton>} />
      <ReadOnlyNotice />
      <QueryState query={accounts}>
        {(data) => (
          <ListTable minWidth={560} striped highlightOnHover aria-label="Provider accounts" columns={["Name", "Description", "Max concurrent calls", "Agents"]} actions={canWrite} rows={data.items} empty="No provider accounts yet.">
            {(account) => (
              <Table.Tr key={account.id}>
                <Table.Td>
                  <Anchor component={Link} to={itemPath(ROUTE_PROVIDER_ACCOUNTS, account.id)} fw={600}>
                    {account.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{account.description || <Text c="dimmed">—</Text>}</Table.Td>
                <Table.Td>{account.maxConcurrentCalls}</Table.Td>
                <Table.Td>{account.agentCount}</Table.Td>
                {canWrite && <DeleteCell label={`Delete provider account ${account.name}`} title={`Delete provider account ${account.name}?`} body="Agents assigned to it must be assigned elsewhere first." onConfirm={() => remove.mutate(account.id)} />}
              </Table.Tr>
            )}
          </ListTable>
        )}
      </QueryState>
    </>
  );
}
