import { useState } from "react";
import { useNavigate } from "react-router";
import { Checkbox, NumberInput, Paper, PasswordInput, Select, SimpleGrid, Stack, Switch, TagsInput, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import type { ContextEntry } from "../../../../workers/domain/call-context";
import { CreateAgentBody, UpdateAgentBody } from "../../../../workers/schemas/voice-agents";
import { useProviders, type Agent, type CreateAgentInput, type ProviderInfo, type UpdateAgentInput } from "../../api/voice-agents";
import { useTrunks } from "../../api/trunks";
import { useProviderAccounts } from "../../api/provider-accounts";
import { useCanWrite } from "../../api/session";
import { ContextEditor } from "../../components/context-editor";
import { FormFooter, NotSaved, WriteFieldset } from "../../components/form-parts";
import { applyServerErrors, errorUnder, nullableNumber, optionalNumber, optionalText, withoutErrorsUnder, zodValidate } from "../../lib/zod-form";
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
  /** "" = no trunk (Cloudonix chooses); phone-number agents only. */
  trunkId: string;
  context: ContextEntry[];
  /** "" = no provider account. */
  providerAccountId: string;
}

type Kind = ProviderInfo["kind"];

const FIELDS = ["name", "provider", "serviceValue", "username", "password", "maxConcurrentCalls", "weight", "tags", "trunkId", "context", "providerAccountId"];

/** Only a provider service and a SIP URI take credentials: Cloudonix has nowhere to present them to a stream or a phone number. */
const takesCredentials = (kind: Kind | undefined) => kind !== "stream" && kind !== "number";

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
    trunkId: agent?.trunkId ?? "",
    context: agent?.context ?? [],
    providerAccountId: agent?.providerAccountId ?? "",
  };
}

/**
 * The request body: a new agent sends everything; an edit sends what changed (the password only
 * when typed). Fields the agent's kind does not take are not sent, or cleared when the agent had
 * them (an agent that became a stream loses its credentials; only a phone number has a trunk).
 */
export function agentBody(values: AgentFormValues, agent?: Agent, kind?: Kind): CreateAgentInput | UpdateAgentInput {
  const credentials = takesCredentials(kind);
  const body = {
    name: values.name,
    provider: values.provider,
    serviceValue: values.serviceValue,
    username: credentials ? (optionalText(values.username) ?? (agent?.username ? null : undefined)) : agent?.username ? null : undefined,
    password: !credentials ? (agent?.hasPassword ? null : undefined) : values.removePassword ? null : values.password === "" ? undefined : values.password,
    maxConcurrentCalls: nullableNumber(values.maxConcurrentCalls),
    weight: optionalNumber(values.weight),
    tags: values.tags,
    enabled: values.enabled,
    trunkId: kind === "number" && values.trunkId ? values.trunkId : agent?.trunkId ? null : undefined,
    context: values.context,
    providerAccountId: values.providerAccountId || (agent?.providerAccountId ? null : undefined),
  };
  if (!agent) return body;
  return { ...body, version: agent.version };
}

/** The service value's label and an example, by what the provider catalogue says the value is. */
function valueField(provider: ProviderInfo | undefined) {
  switch (provider?.valueKind) {
    case "sip_uri":
      return { label: "SIP URI", placeholder: "sip:agent@sip.example.com;transport=tls" };
    case "wss_url":
      return { label: "WebSocket URL", placeholder: "wss://agent.example.com/stream" };
    case "phone":
      return { label: "Phone number or extension", placeholder: "+12125550123 or 2001" };
    default:
      return { label: "Agent phone number", placeholder: "+12125550123" };
  }
}

const KIND_HELP: Record<Kind, string> = {
  service: "An AI voice platform Cloudonix dials as a service",
  sip: "Any SIP endpoint, dialled at its URI",
  stream: "Cloudonix streams the call's audio to the agent's WebSocket",
  number: "A person, PBX or call centre, dialled out through a trunk",
};

/** The tenant's trunks for a phone-number agent; none chosen lets Cloudonix pick the way out. */
function TrunkField(props: { value: string; onChange(value: string): void; error?: string }) {
  const trunks = useTrunks();
  const data = [{ value: "", label: "None: Cloudonix chooses (a subscriber, or its border)" }, ...(trunks.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }))];
  return <Select label="Dial out through trunk" description="The carrier trunk the number is dialled through" data={data} value={props.value} allowDeselect={false} onChange={(next) => props.onChange(next ?? "")} error={props.error} />;
}

/** The tenant's provider accounts: the agent's calls count against the chosen one's cap. */
function AccountField(props: { value: string; onChange(value: string): void; error?: string }) {
  const accounts = useProviderAccounts();
  const data = [{ value: "", label: "None" }, ...(accounts.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.name} (at most ${a.maxConcurrentCalls} calls)` }))];
  return (
    <Select
      label="Account at the AI provider"
      description="Providers cap concurrent calls per account: the agent's calls, from any group, rule or campaign, count against the account's"
      data={data}
      value={props.value}
      allowDeselect={false}
      onChange={(next) => props.onChange(next ?? "")}
      error={props.error}
    />
  );
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
  const kindOf = (id: string) => providers.data?.providers.find((p) => p.id === id)?.kind;
  const form = useForm<AgentFormValues>({
    initialValues: initialValues(agent),
    validate: zodValidate(agent ? UpdateAgentBody : CreateAgentBody, (values: AgentFormValues) => agentBody(values, agent, kindOf(values.provider))),
    validateInputOnBlur: true,
  });
  const provider = providers.data?.providers.find((p) => p.id === form.values.provider);
  const kind = provider?.kind;
  const field = valueField(provider);
  const options = (providers.data?.providers ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.id})` }));

  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      await onSubmit(agentBody(values, agent, kindOf(values.provider)));
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
              <Select
                label="Provider"
                required
                searchable
                data={options}
                nothingFoundMessage="No such provider"
                description={kind ? KIND_HELP[kind] : "An AI voice platform, or a SIP URI, a WebSocket stream or a phone number"}
                {...form.getInputProps("provider")}
              />
              <TextInput label={field.label} placeholder={field.placeholder} required description={provider ? `For ${provider.name}: ${provider.help}` : "Choose a provider first"} classNames={{ input: "mono" }} {...form.getInputProps("serviceValue")} />
            </SimpleGrid>
            {kind === "number" && <TrunkField value={form.values.trunkId} onChange={(trunkId) => form.setFieldValue("trunkId", trunkId)} error={form.errors.trunkId as string | undefined} />}
            {takesCredentials(kind) ? (
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label="SIP username" description={kind === "sip" ? "Only if the SIP endpoint asks Cloudonix to authenticate" : "Only if the provider asks Cloudonix to authenticate"} autoComplete="off" {...form.getInputProps("username")} />
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
            ) : (
              (agent?.username || agent?.hasPassword) && (
                <Text size="sm" c="dimmed">
                  {kind === "stream" ? "A WebSocket" : "A phone-number"} agent takes no credentials: saving removes the stored ones.
                </Text>
              )
            )}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberInput label="Max concurrent calls" description="Empty: no limit" min={1} allowDecimal={false} {...form.getInputProps("maxConcurrentCalls")} />
              <NumberInput label="Weight" description="Relative share in weighted strategies (1–1000)" min={1} max={1000} allowDecimal={false} {...form.getInputProps("weight")} />
            </SimpleGrid>
            <AccountField value={form.values.providerAccountId} onChange={(id) => form.setFieldValue("providerAccountId", id)} error={form.errors.providerAccountId as string | undefined} />
            <TagsInput label="Tags" description="Press Enter after each tag" clearable {...form.getInputProps("tags")} />
            <ContextEditor
              owner="this agent"
              noun={kind === "stream" ? "parameter" : "header"}
              value={form.values.context}
              onChange={(context) => {
                form.setErrors((errors) => withoutErrorsUnder(errors, "context"));
                form.setFieldValue("context", context);
              }}
              error={errorUnder(form.errors, "context")}
            />
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
