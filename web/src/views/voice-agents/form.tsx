import { useState } from "react";
import { useNavigate } from "react-router";
import { Checkbox, NumberInput, Paper, PasswordInput, Select, SimpleGrid, Stack, Switch, TagsInput, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { CreateAgentBody, UpdateAgentBody } from "../../../../workers/schemas/voice-agents";
import { useProviders, type Agent, type CreateAgentInput, type ProviderInfo, type UpdateAgentInput } from "../../api/voice-agents";
import { useCanWrite } from "../../api/session";
import { FormFooter, NotSaved, WriteFieldset } from "../../components/form-parts";
import { applyServerErrors, nullableNumber, optionalNumber, optionalText, zodValidate } from "../../lib/zod-form";
import { ROUTE_VOICE_AGENTS } from "../../routes";

export interface AgentFormValues {
  name: string;
  provider: string;
  serviceValue: string;
  username: string;
  password: string;
  removePassword: boolean;
  maxConcurrentCalls: number | string;
  weight: number | string;
  tags: string[];
  enabled: boolean;
}

const FIELDS = ["name", "provider", "serviceValue", "username", "password", "maxConcurrentCalls", "weight", "tags"];

function initialValues(agent?: Agent): AgentFormValues {
  return {
    name: agent?.name ?? "",
    provider: agent?.provider ?? "",
    serviceValue: agent?.serviceValue ?? "",
    username: agent?.username ?? "",
    password: "",
    removePassword: false,
    maxConcurrentCalls: agent?.maxConcurrentCalls ?? "",
    weight: agent?.weight ?? 1,
    tags: agent?.tags ?? [],
    enabled: agent?.enabled ?? true,
  };
}

/** The request body: a new agent sends everything; an edit sends what changed (the password only when typed). */
export function agentBody(values: AgentFormValues, agent?: Agent): CreateAgentInput | UpdateAgentInput {
  const body = {
    name: values.name,
    provider: values.provider,
    serviceValue: values.serviceValue,
    username: optionalText(values.username) ?? (agent?.username ? null : undefined),
    password: values.removePassword ? null : values.password === "" ? undefined : values.password,
    maxConcurrentCalls: nullableNumber(values.maxConcurrentCalls),
    weight: optionalNumber(values.weight),
    tags: values.tags,
    enabled: values.enabled,
  };
  if (!agent) return body;
  return { ...body, version: agent.version };
}

function valueField(provider: ProviderInfo | undefined) {
  if (provider?.valueKind === "sip_uri") return { label: "SIP URI", placeholder: "sip:agent@sip.example.com" };
  return { label: "Agent phone number", placeholder: "+12125550123" };
}

interface Props {
  agent?: Agent;
  onSubmit(body: CreateAgentInput | UpdateAgentInput): Promise<unknown>;
}

/** Add and edit a voice agent; fields and help follow the chosen provider. */
export function AgentForm({ agent, onSubmit }: Props) {
  const navigate = useNavigate();
  const canWrite = useCanWrite();
  const providers = useProviders();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<AgentFormValues>({
    initialValues: initialValues(agent),
    validate: zodValidate(agent ? UpdateAgentBody : CreateAgentBody, (values: AgentFormValues) => agentBody(values, agent)),
    validateInputOnBlur: true,
  });
  const provider = providers.data?.providers.find((p) => p.id === form.values.provider);
  const field = valueField(provider);
  const options = (providers.data?.providers ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.id})` }));

  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      await onSubmit(agentBody(values, agent));
      void navigate(ROUTE_VOICE_AGENTS);
    } catch (err) {
      setError(applyServerErrors(err, form.setErrors, FIELDS));
    }
  });

  return (
    <Paper withBorder p="lg" maw={760}>
      <form onSubmit={submit} noValidate aria-label={agent ? `Edit ${agent.name}` : "New voice agent"}>
        <Stack>
          <WriteFieldset>
            {error && <NotSaved>{error}</NotSaved>}
            <TextInput label="Name" required {...form.getInputProps("name")} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select label="Provider" required searchable data={options} nothingFoundMessage="No such provider" description="The AI voice platform Cloudonix dials" {...form.getInputProps("provider")} />
              <TextInput label={field.label} placeholder={field.placeholder} required description={provider ? `For ${provider.name}: ${provider.help}` : "Choose a provider first"} {...form.getInputProps("serviceValue")} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="SIP username" description="Only if the provider asks Cloudonix to authenticate" autoComplete="off" {...form.getInputProps("username")} />
              <Stack gap={4}>
                <PasswordInput
                  label="SIP password"
                  autoComplete="new-password"
                  description={agent?.hasPassword ? "A password is stored (never shown). Type a new one to replace it." : "Stored encrypted; never shown again"}
                  placeholder={agent?.hasPassword ? "•••••••• (unchanged)" : undefined}
                  disabled={form.values.removePassword}
                  {...form.getInputProps("password")}
                />
                {agent?.hasPassword && <Checkbox label="Remove the stored password" {...form.getInputProps("removePassword", { type: "checkbox" })} />}
              </Stack>
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberInput label="Max concurrent calls" description="Empty: no limit" min={1} allowDecimal={false} {...form.getInputProps("maxConcurrentCalls")} />
              <NumberInput label="Weight" description="Relative share in weighted strategies (1–1000)" min={1} max={1000} allowDecimal={false} {...form.getInputProps("weight")} />
            </SimpleGrid>
            <TagsInput label="Tags" description="Press Enter after each tag" clearable {...form.getInputProps("tags")} />
            <Switch label="Enabled: takes calls" {...form.getInputProps("enabled", { type: "checkbox" })} />
          </WriteFieldset>
          <FormFooter backTo={ROUTE_VOICE_AGENTS} submit={agent ? "Save changes" : "Create agent"} submitting={form.submitting} />
          {!canWrite && (
            <Text size="sm" c="dimmed">
              Read-only: only admins can change voice agents.
            </Text>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
