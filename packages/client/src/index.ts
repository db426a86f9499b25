import type { AppRouter, RouterInputs, RouterOutputs } from '@retrace/api';
import { createTRPCClient, httpBatchStreamLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';

export type { Artifact, Project, Run, RunEvent, RunListItem, Step } from '@retrace/api';
export { TRPCClientError } from '@trpc/client';
export type { AppRouter, RouterInputs, RouterOutputs };

export interface RetraceClientOptions {
  /** The server, e.g. http://127.0.0.1:8787 */
  url: string;
  /** RETRACE_TOKEN, when the server asks for one. */
  token?: string | undefined;
}

/**
 * The typed client: every procedure of the AppRouter with its input and output types.
 * Subscriptions run over Server-Sent Events and resume where they stopped after a
 * reconnect; everything else is batched over one streaming HTTP request.
 */
export function createRetraceClient({ url, token }: RetraceClientOptions) {
  const endpoint = `${url.replace(/\/+$/, '')}/trpc`;
  const authorization: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: endpoint,
          // The eventsource package works on Node 20 (no global EventSource) and, unlike the
          // browser's, can send a header.
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) =>
              fetch(input, {
                ...init,
                headers: { ...(init?.headers as Record<string, string>), ...authorization },
              }),
          },
        }),
        false: httpBatchStreamLink({ url: endpoint, headers: () => authorization }),
      }),
    ],
  });
}

export type RetraceClient = ReturnType<typeof createRetraceClient>;
