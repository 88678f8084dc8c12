import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { CreateEventWebhookBody, UpdateEventWebhookBody } from "../../../workers/schemas/event-webhooks";
import { api, query, unwrap } from "./client";
import { useApiMutation } from "./mutations";
import { auditKeys } from "./tenant";

export type CreateEventWebhookInput = z.input<typeof CreateEventWebhookBody>;
export type UpdateEventWebhookInput = z.input<typeof UpdateEventWebhookBody>;
export type EventWebhook = Awaited<ReturnType<typeof listEventWebhooks>>["items"][number];
export type CreatedEventWebhook = Awaited<ReturnType<typeof createEventWebhook>>;
export type RotatedSecret = Awaited<ReturnType<typeof rotateSecret>>;
export type DeliveryPage = Awaited<ReturnType<typeof listDeliveries>>;
export type Delivery = DeliveryPage["items"][number];
export type DeliveryDetail = Awaited<ReturnType<typeof getDelivery>>;

export const eventWebhookKeys = {
  all: ["event-webhooks"] as const,
  deliveries: (id: string) => ["event-webhooks", "deliveries", id] as const,
  delivery: (id: string, deliveryId: string) => ["event-webhooks", "deliveries", id, deliveryId] as const,
};

const listEventWebhooks = () => unwrap(api["event-webhooks"].$get());
const createEventWebhook = (input: CreateEventWebhookInput) => unwrap(api["event-webhooks"].$post({ json: input }));
const rotateSecret = (id: string) => unwrap(api["event-webhooks"][":id"]["rotate-secret"].$post({ param: { id }, json: {} }));
const listDeliveries = (id: string, filters: { status?: string; cursor?: string }) => unwrap(api["event-webhooks"][":id"].deliveries.$get({ param: { id }, query: query({ limit: 50, ...filters }) }));
const getDelivery = (id: string, deliveryId: string) => unwrap(api["event-webhooks"][":id"].deliveries[":deliveryId"].$get({ param: { id, deliveryId } }));

export function useEventWebhooks() {
  return useQuery({ queryKey: [...eventWebhookKeys.all, "list"], queryFn: listEventWebhooks });
}

/** The newest deliveries of one endpoint; refreshed every 5 s while shown (retries come and go). */
export function useDeliveries(id: string | null, filters: { status?: string; cursor?: string }) {
  return useQuery({ queryKey: [...eventWebhookKeys.deliveries(id ?? ""), filters], queryFn: () => listDeliveries(id!, filters), enabled: !!id, refetchInterval: 5_000, placeholderData: keepPreviousData });
}

export function useDelivery(id: string, deliveryId: string | null) {
  return useQuery({ queryKey: eventWebhookKeys.delivery(id, deliveryId ?? ""), queryFn: () => getDelivery(id, deliveryId!), enabled: !!deliveryId });
}

/** The secret is in the result only: it is never shown again. */
export function useCreateEventWebhook() {
  return useApiMutation({ mutationFn: createEventWebhook, invalidates: [eventWebhookKeys.all, auditKeys.all], toastErrors: false });
}

export function useUpdateEventWebhook() {
  return useApiMutation({
    mutationFn: ({ id, ...input }: UpdateEventWebhookInput & { id: string }) => unwrap(api["event-webhooks"][":id"].$put({ param: { id }, json: input })),
    invalidates: [eventWebhookKeys.all, auditKeys.all],
    success: (endpoint) => `Event webhook ${endpoint.enabled ? "enabled" : "disabled"}`,
  });
}

export function useRotateSecret() {
  return useApiMutation({ mutationFn: rotateSecret, invalidates: [eventWebhookKeys.all, auditKeys.all] });
}

export function useDeleteEventWebhook() {
  return useApiMutation({ mutationFn: (id: string) => unwrap(api["event-webhooks"][":id"].$delete({ param: { id } })), invalidates: [eventWebhookKeys.all, auditKeys.all], success: "Event webhook deleted" });
}

export function useResend(id: string) {
  return useApiMutation({
    mutationFn: (deliveryId: string) => unwrap(api["event-webhooks"][":id"].deliveries[":deliveryId"].resend.$post({ param: { id, deliveryId } })),
    invalidates: [eventWebhookKeys.deliveries(id)],
    success: "Sent again: its attempt appears in the list in a moment",
  });
}
