import { httpBatchStreamLink, httpSubscriptionLink, splitLink, type TRPCLink } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import { EventSource } from 'eventsource';

export interface HttpLinkOptions {
  /** The server, e.g. http://127.0.0.1:8787: its router answers at /trpc. */
  url: string;
  /** Sent as `Authorization: Bearer <token>` on every request, subscriptions included. */
  token?: string | undefined;
}

/**
 * The links of a Node client of a Retrace router: subscriptions over Server-Sent Events,
 * everything else batched over one streaming HTTP request, the bearer token on both.
 */
export function httpLinks({ url, token }: HttpLinkOptions): TRPCLink<AnyTRPCRouter>[] {
  const endpoint = `${url.replace(/\/+$/, '')}/trpc`;
  const authorization: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return [
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
  ];
}
