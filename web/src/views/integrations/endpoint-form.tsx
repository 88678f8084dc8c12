// The form that registers an event webhook: its URL, a description and the events it takes.
import { useState } from "react";
import { Alert, Button, Checkbox, Group, SimpleGrid, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { EVENT_TYPES } from "../../../../workers/domain/integrations";
import { CreateEventWebhookBody } from "../../../../workers/schemas/event-webhooks";
import { useCreateEventWebhook, type CreatedEventWebhook, type CreateEventWebhookInput } from "../../api/event-webhooks";
import { applyServerErrors, optionalText, zodValidate } from "../../lib/zod-form";

/** What each event is, in the words the checkboxes show. */
export const EVENT_LABELS: Record<(typeof EVENT_TYPES)[number], string> = {
  "call.started": "Call started",
  "call.answered": "Call answered by an agent",
  "call.failed_over": "Call failed over to the next agent",
  "call.ended": "Call ended (decision, agent, attempts, outcome, durations)",
  "agent.health_changed": "Agent taken out for health, or back",
  "config.changed": "Configuration changed",
  "alert.fired": "Alert fired",
  "alert.resolved": "Alert resolved",
};

interface Values {
  url: string;
  description: string;
  eventTypes: string[];
}

const body = (v: Values): CreateEventWebhookInput => ({ url: v.url.trim(), description: optionalText(v.description), eventTypes: v.eventTypes as CreateEventWebhookInput["eventTypes"] });

export function EndpointForm({ onCreated, onClose }: { onCreated(endpoint: CreatedEventWebhook): void; onClose(): void }) {
  const create = useCreateEventWebhook();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values>({ initialValues: { url: "", description: "", eventTypes: ["call.ended"] }, validate: zodValidate(CreateEventWebhookBody, body), validateInputOnBlur: true });
  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      onCreated(await create.mutateAsync(body(values)));
    } catch (err) {
      setError(applyServerErrors(err, form.setErrors, ["url", "description", "eventTypes"]));
    }
  });
  return (
    <form onSubmit={submit} noValidate aria-label="New event webhook">
      <Stack>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <TextInput label="URL" description="Where events are POSTed: https and a public address" placeholder="https://crm.example.com/hooks/router" required classNames={{ input: "mono" }} {...form.getInputProps("url")} />
        <TextInput label="Description" description="What receives them, e.g. the CRM or the on-call tool" {...form.getInputProps("description")} />
        <Checkbox.Group label="Events" withAsterisk {...form.getInputProps("eventTypes")}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
            {EVENT_TYPES.map((type) => (
              <Checkbox key={type} value={type} label={EVENT_LABELS[type]} description={type} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            Add endpoint
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
