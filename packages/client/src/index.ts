import type { AppRouter, RouterInputs, RouterOutputs } from '@retrace/api';
import { discoverToken } from '@retrace/config/runtime-file';
import { httpLinks } from '@retrace/http-link';
import { createTRPCClient } from '@trpc/client';

export type { Artifact, Project, Run, RunEvent, RunListItem, Step } from '@retrace/api';
export { TRPCClientError } from '@trpc/client';
export type { AppRouter, RouterInputs, RouterOutputs };

export interface RetraceClientOptions {
  /** The server, e.g. http://127.0.0.1:8787 */
  url: string;
  /**
   * The server's token. Left out: RETRACE_TOKEN, else the token a server of this user on this
   * machine wrote to its runtime file for that port (loopback URLs only). null: send none.
   */
  token?: string | null | undefined;
}

/**
 * The typed client: every procedure of the AppRouter with its input and output types.
 * Subscriptions run over Server-Sent Events and resume where they stopped after a
 * reconnect; everything else is batched over one streaming HTTP request.
 */
export function createRetraceClient({ url, token }: RetraceClientOptions) {
  const sent = token === undefined ? discoverToken(url) : (token ?? undefined);
  return createTRPCClient<AppRouter>({ links: httpLinks({ url, token: sent }) });
}

export type RetraceClient = ReturnType<typeof createRetraceClient>;
