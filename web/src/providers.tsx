import type { ReactNode } from "react";
import { useEffect, useState } from "react";
import { MantineProvider } from "@mantine/core";
import { ModalsProvider } from "@mantine/modals";
import { Notifications } from "@mantine/notifications";
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { session } from "./api/session";
import { createQueryClient } from "./query-client";
import { cssVariablesResolver, theme } from "./theme";

/** How long a toast stays (the failed-calls toast a little longer). */
export const TOAST_MS = 5_000;

/** Theme, toasts and the query cache: everything a screen needs around it (tests reuse it). */
export function Providers({ children, client }: { children: ReactNode; client?: QueryClient }) {
  const [queryClient] = useState(() => client ?? createQueryClient());
  // The cache holds the tenant's data: whoever signs in next on this tab must not see it.
  useEffect(() => session.onEnd(() => queryClient.clear()), [queryClient]);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      {/* Each toast closes on its own; hovering one holds only that one, so they never pile up. */}
      <Notifications position="bottom-right" limit={3} autoClose={TOAST_MS} pauseResetOnHover="notification" />
      <QueryClientProvider client={queryClient}>
        <ModalsProvider>{children}</ModalsProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
