import { useState } from "react";
import { useNavigate } from "react-router";
import { MultiSelect, NumberInput, Paper, SimpleGrid, Stack, Switch, TagsInput, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { CreateOutboundBody } from "../../../../workers/schemas/trunks";
import { useTrunks, type CreateOutboundInput, type OutboundRule } from "../../api/trunks";
import { FormFooter, NotSaved, WriteFieldset } from "../../components/form-parts";
import { patternText } from "../../lib/format";
import { applyServerErrors, optionalNumber, optionalText, withoutItemErrors, zodValidate } from "../../lib/zod-form";
import { ROUTE_OUTBOUND_RULES } from "../../routes";

interface Values {
  name: string;
  destinationPrefix: string;
  callerPatterns: string[];
  trunkIds: string[];
  priority: number | string;
  enabled: boolean;
}

const body = (v: Values): CreateOutboundInput => ({
  name: optionalText(v.name),
  destinationPrefix: v.destinationPrefix,
  callerPatterns: v.callerPatterns,
  trunkIds: v.trunkIds,
  priority: optionalNumber(v.priority),
  enabled: v.enabled,
});

export function OutboundForm({ rule, onSubmit }: { rule?: OutboundRule; onSubmit(body: CreateOutboundInput & { version?: number }): Promise<unknown> }) {
  const navigate = useNavigate();
  const trunks = useTrunks();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: {
      name: rule?.name ?? "",
      destinationPrefix: rule ? (rule.destinationPrefix ? `+${rule.destinationPrefix}` : "") : "",
      callerPatterns: (rule?.callerPatterns ?? []).map(patternText),
      trunkIds: rule?.trunkIds ?? [],
      priority: rule?.priority ?? 100,
      enabled: rule?.enabled ?? true,
    },
    validate: zodValidate(CreateOutboundBody, body),
    validateInputOnChange: ["destinationPrefix", "callerPatterns"],
  });
  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      await onSubmit({ ...body(values), ...(rule ? { version: rule.version } : {}) });
      void navigate(ROUTE_OUTBOUND_RULES);
    } catch (err) {
      setError(applyServerErrors(err, form.setErrors, ["name", "destinationPrefix", "callerPatterns", "trunkIds", "priority"]));
    }
  });
  const callerErrors = Object.entries(form.errors)
    .filter(([k]) => k.startsWith("callerPatterns"))
    .map(([, v]) => v);
  return (
    <Paper withBorder p="lg" maw={760}>
      <form onSubmit={submit} noValidate aria-label={rule ? "Edit outbound rule" : "New outbound rule"}>
        <Stack>
          <WriteFieldset>
            {error && <NotSaved>{error}</NotSaved>}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="Destination prefix" placeholder="+44" description="Destinations starting with this; empty: every destination. The longest prefix wins." classNames={{ input: "mono" }} {...form.getInputProps("destinationPrefix")} />
              <TextInput label="Name" {...form.getInputProps("name")} />
            </SimpleGrid>
            <TagsInput
              label="Callers"
              description="Caller patterns this rule applies to (+1555*, +14155550100); empty: every caller. Press Enter after each."
              {...form.getInputProps("callerPatterns")}
              onChange={(patterns) => {
                form.setErrors((errors) => withoutItemErrors(errors, "callerPatterns"));
                form.setFieldValue("callerPatterns", patterns);
              }}
              error={callerErrors[0]}
            />
            <MultiSelect label="Trunks, in dialling order" description="The first is tried first; the rest on failure" required data={(trunks.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }))} searchable {...form.getInputProps("trunkIds")} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberInput label="Priority" description="Lower wins among rules with the same prefix" min={0} max={10000} allowDecimal={false} {...form.getInputProps("priority")} />
              <Switch mt={30} label="Enabled" {...form.getInputProps("enabled", { type: "checkbox" })} />
            </SimpleGrid>
          </WriteFieldset>
          <FormFooter backTo={ROUTE_OUTBOUND_RULES} submit={rule ? "Save changes" : "Create rule"} submitting={form.submitting} />
        </Stack>
      </form>
    </Paper>
  );
}
