import { useState } from "react";
import { useNavigate } from "react-router";
import { NumberInput, Paper, Stack, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { CreateProviderAccountBody } from "../../../../workers/schemas/provider-accounts";
import type { CreateProviderAccountInput, ProviderAccount } from "../../api/provider-accounts";
import { FormFooter, NotSaved, WriteFieldset } from "../../components/form-parts";
import { applyServerErrors, zodValidate } from "../../lib/zod-form";
import { ROUTE_PROVIDER_ACCOUNTS } from "../../routes";

interface Values {
  name: string;
  description: string;
  maxConcurrentCalls: number | string;
}

const body = (v: Values): CreateProviderAccountInput => ({ name: v.name, description: v.description, maxConcurrentCalls: v.maxConcurrentCalls === "" ? (Number.NaN as number) : Number(v.maxConcurrentCalls) });

export function ProviderAccountForm({ account, onSubmit }: { account?: ProviderAccount; onSubmit(body: CreateProviderAccountInput & { version?: number }): Promise<unknown> }) {
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: { name: account?.name ?? "", description: account?.description ?? "", maxConcurrentCalls: account?.maxConcurrentCalls ?? "" },
    validate: zodValidate(CreateProviderAccountBody, body),
    validateInputOnBlur: true,
  });
  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      await onSubmit({ ...body(values), ...(account ? { version: account.version } : {}) });
      void navigate(ROUTE_PROVIDER_ACCOUNTS);
    } catch (err) {
      setError(applyServerErrors(err, form.setErrors, ["name", "description", "maxConcurrentCalls"]));
    }
  });
  return (
    <Paper withBorder p="lg" maw={640}>
      <form onSubmit={submit} noValidate aria-label={account ? `Edit provider account ${account.name}` : "New provider account"}>
        <Stack>
          <WriteFieldset>
            {error && <NotSaved>{error}</NotSaved>}
            <TextInput label="Name" required placeholder="Vapi production" {...form.getInputProps("name")} />
            <Textarea label="Description" autosize minRows={1} {...form.getInputProps("description")} />
            <NumberInput
              label="Maximum concurrent calls"
              required
              min={1}
              clampBehavior="none"
              allowDecimal={false}
              description="The provider's limit for the account: every call to any of its agents, from any group, rule or campaign, counts against it"
              {...form.getInputProps("maxConcurrentCalls")}
            />
          </WriteFieldset>
          <FormFooter backTo={ROUTE_PROVIDER_ACCOUNTS} submit={account ? "Save changes" : "Create account"} submitting={form.submitting} />
        </Stack>
      </form>
    </Paper>
  );
}
