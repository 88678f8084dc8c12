import { useMutation } from "@tanstack/react-query";
import type { z } from "zod";
import type { ExplainBody } from "../../../workers/schemas/routing";
import { api, unwrap } from "./client";

export type ExplainInput = z.input<typeof ExplainBody>;

export const explainRoute = (input: ExplainInput) => unwrap(api.routing.explain.$post({ json: input }));
export type Explanation = Awaited<ReturnType<typeof explainRoute>>;

/** The decision and trace for a hypothetical call; changes no counter. */
export function useExplain() {
  return useMutation({ mutationFn: explainRoute });
}
