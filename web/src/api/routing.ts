import { useMutation } from "@tanstack/react-query";
import { api, unwrap } from "./client";

export interface ExplainInput {
  from?: string;
  to: string;
  direction?: "auto" | "inbound" | "outbound" | "subscriber" | "outbound-api";
}

export const explainRoute = (input: ExplainInput) => unwrap(api.routing.explain.$post({ json: input }));
export type Explanation = Awaited<ReturnType<typeof explainRoute>>;

/** The decision and trace for a hypothetical call; changes no counter. */
export function useExplain() {
  return useMutation({ mutationFn: explainRoute });
}
