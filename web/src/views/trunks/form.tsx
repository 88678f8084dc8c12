import { useState } from "react";
import { useNavigate } from "react-router";
import { Paper, Stack, Switch, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { CreateTrunkBody } from "../../../../workers/schemas/trunks";
import type { CreateTrunkInput, Trunk } from "../../api/trunks";
import { FormFooter, NotSaved, WriteFieldset } from "../../components/form-parts";
import { applyServerErrors, optionalText, zodValidate } from "../../lib/zod-form";
import { ROUTE_TRUNKS } from "../../routes";

interface Values {
  name: string;
  description: string;
  callerIdOverride: string;
  enabled: boolean;
}

const body = (v: Values): CreateTrunkInput => ({ name: v.name, description: v.description, callerIdOverride: optionalText(v.callerIdOverride) ?? null, enabled: v.enabled });

export function TrunkForm({ trunk, onSubmit }: { trunk?: Trunk; onSubmit(body: CreateTrunkInput & { version?: number }): Promise<unknown> }) {
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: { name: trunk?.name ?? "", description: trunk?.description ?? "", callerIdOverride: trunk?.callerIdOverride ?? "", enabled: trunk?.enabled ?? true },
    validate: zodValidate(CreateTrunkBody, body),
    validateInputOnBlur: true,
  });
  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      await onSubmit({ ...body(values), ...(trunk ? { version: trunk.version } : {}) });
      void navigate(ROUTE_TRUNKS);
    } catch (err) {
      setError(applyServerErrors(err, form.setErrors, ["name", "description", "callerIdOverride"]));
    }
  });
  return (
    <Paper withBorder p="lg" maw={640}>
      <form onSubmit={submit} noValidate aria-label={trunk ? `Edit trunk ${trunk.name}` : "New trunk"}>
        <Stack>
          <WriteFieldset>
            {error && <NotSaved>{error}</NotSaved>}
            <TextInput label="Trunk name in Cloudonix" required description='As used in <Dial trunks="…">' classNames={{ input: "mono" }} {...form.getInputProps("name")} />
            <Textarea label="Description" autosize minRows={1} {...form.getInputProps("description")} />
            <TextInput label="Caller ID override" placeholder="+14155550100" description="Presented on calls out of this trunk; empty keeps the caller's" {...form.getInputProps("callerIdOverride")} />
            <Switch label="Enabled" {...form.getInputProps("enabled", { type: "checkbox" })} />
          </WriteFieldset>
          <FormFooter backTo={ROUTE_TRUNKS} submit={trunk ? "Save changes" : "Create trunk"} submitting={form.submitting} />
        </Stack>
      </form>
    </Paper>
  );
}
