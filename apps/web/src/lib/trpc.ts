import type { AppRouter } from '@retrace/api';
import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchStreamLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';

/** Only the router's type crosses into the browser bundle. */
export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: true },
    },
  });
}

/**
 * Same origin as the page: the server's session cookie (set by opening the URL with ?token=)
 * travels with every request, EventSource included. Subscriptions resume after the last
 * event they received when the connection comes back.
 */
export function createClient() {
  const url = `${window.location.origin}/trpc`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url }),
        false: httpBatchStreamLink({ url }),
      }),
    ],
  });
}
