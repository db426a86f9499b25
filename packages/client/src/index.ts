import type { AppRouter, RouterInputs, RouterOutputs } from '@retrace/api';
import { httpLinks } from '@retrace/http-link';
import { createTRPCClient } from '@trpc/client';

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
  return createTRPCClient<AppRouter>({ links: httpLinks({ url, token }) });
}

export type RetraceClient = ReturnType<typeof createRetraceClient>;
