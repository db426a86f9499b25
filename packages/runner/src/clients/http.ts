import { httpLinks } from '@retrace/http-link';
import { type RunnerClient, RunnerError, type TrackedRunnerEvent } from '@retrace/protocol';
import { createTRPCClient, TRPCClientError } from '@trpc/client';
import type { RunnerRouter } from '../router';
import { subscriptionIterable } from './subscription-iterable';

/** How often a follower over HTTP tells the runner which events it has taken. */
const RELEASE_EVERY_MS = 1000;

const REFUSALS = new Set<string>(['BAD_REQUEST', 'UNAUTHORIZED', 'NOT_FOUND', 'CONFLICT']);

/** The HTTP status of a refused request: tRPC's own, or what the eventsource package says of a refused stream. */
function httpStatus(error: TRPCClientError<RunnerRouter>): number | undefined {
  const data = error.data as { httpStatus?: number } | undefined;
  const response = error.meta?.response as Response | undefined;
  const stream = /Non-200 status code \((\d{3})\)/.exec(error.message)?.[1];
  return data?.httpStatus ?? response?.status ?? (stream ? Number(stream) : undefined);
}

/**
 * What the remote runner said, as the RunnerError the in-process client would have thrown:
 * its refusals keep their code; anything else (no answer, a lost stream, a 5xx) is UNAVAILABLE.
 */
export function toRunnerError(error: unknown): RunnerError {
  if (error instanceof RunnerError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TRPCClientError) {
    const code =
      (error.data as { code?: string } | undefined)?.code ??
      (httpStatus(error) === 401 ? 'UNAUTHORIZED' : undefined);
    if (code && REFUSALS.has(code))
      return new RunnerError(code as RunnerError['code'], message, { cause: error });
  }
  return new RunnerError('UNAVAILABLE', `the runner could not be reached: ${message}`, { cause: error });
}

/** A runner on another machine, through its tRPC router (SSE for runs), with the shared secret. */
export function createHttpRunnerClient({ url, secret }: { url: string; secret: string }): RunnerClient {
  const client = createTRPCClient<RunnerRouter>({ links: httpLinks({ url, token: secret }) });
  return {
    async *run(input, { signal, lastEventId }): AsyncGenerator<TrackedRunnerEvent> {
      const events = subscriptionIterable<TrackedRunnerEvent>(
        (sink) =>
          client.run.subscribe(
            { ...input, ...(lastEventId ? { lastEventId } : {}) },
            {
              signal,
              onData: ({ id, data }) => sink.push({ id, event: data }),
              onError: (error) => sink.fail(toRunnerError(error)),
              onComplete: () => sink.end(),
            },
          ),
        signal,
        (item) => item.event.type === 'result',
      );
      // As in process: once the consumer asks for the next event, it has the last, and the
      // runner is told so (at most once a second, and at the end) to let those events go.
      let taken = 0;
      let told = 0;
      let toldAt = Date.now();
      const tell = () => {
        if (taken === told) return;
        told = taken;
        toldAt = Date.now();
        // A lost acknowledgement only keeps events longer: nothing waits for it.
        void client.release.mutate({ runId: input.runId, throughEventId: taken }).catch(() => undefined);
      };
      try {
        for await (const tracked of events) {
          yield tracked;
          taken = Number(tracked.id);
          if (Date.now() - toldAt >= RELEASE_EVERY_MS) tell();
        }
      } finally {
        tell();
      }
    },
    async cancel(runId) {
      await client.cancel.mutate({ runId }).catch((error: unknown) => {
        throw toRunnerError(error);
      });
    },
    health: () =>
      client.health.query().catch((error: unknown) => {
        throw toRunnerError(error);
      }),
    removeWorkspaces: (request) =>
      client.removeWorkspaces.mutate(request).catch((error: unknown) => {
        throw toRunnerError(error);
      }),
    toBranch: (request) =>
      client.toBranch.mutate(request).catch((error: unknown) => {
        throw toRunnerError(error);
      }),
  };
}
