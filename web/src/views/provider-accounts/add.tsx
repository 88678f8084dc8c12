import { PageHeader } from "../../components/page";
import { useSaveProviderAccount } from "../../api/provider-accounts";
import { ProviderAccountForm } from "./form";

export default function ProviderAccountAdd() {
  const save = useSaveProviderAccount();
  return (
    <>
      <PageHeader title="New provider account" description="An account at an AI voice provider, with the number of calls it takes at once" />
      <ProviderAccountForm onSubmit={(body) => save.mutateAsync(body)} />
    </>
  );
}
