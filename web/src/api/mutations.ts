import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { notifications } from "@mantine/notifications";
import { beginOwnChange, type ConfigEntity } from "../realtime/own-changes";
import { messageOf } from "./errors";

interface Options<TArgs, TResult> {
  mutationFn: (args: TArgs) => Promise<TResult>;
  /** Query keys whose data this change makes stale. */
  invalidates: QueryKey[];
  /** A toast on success (a string, or built from the result); none when omitted. */
  success?: string | ((result: TResult, args: TArgs) => string);
  /** Forms show errors next to their fields instead of a toast. */
  toastErrors?: boolean;
  /** The configuration it changes: the live event this causes then makes no second toast here. */
  entity?: ConfigEntity;
}

/** A change to server state: invalidates what it affects and says how it went. */
export function useApiMutation<TArgs, TResult>({ mutationFn, invalidates, success, toastErrors = true, entity }: Options<TArgs, TResult>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (args: TArgs) => {
      const settled = entity ? beginOwnChange(entity) : undefined;
      try {
        return await mutationFn(args);
      } finally {
        settled?.();
      }
    },
    onSuccess: async (result, args) => {
      await Promise.all(invalidates.map((queryKey) => client.invalidateQueries({ queryKey })));
      if (success) notifications.show({ color: "teal", message: typeof success === "string" ? success : success(result, args) });
    },
    onError: (err) => {
      if (toastErrors) notifications.show({ color: "red", title: "Not saved", message: messageOf(err) });
    },
  });
}
