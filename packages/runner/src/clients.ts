import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import type { RunInput, RunnerClient, RunnerEvent, TrackedRunnerEvent } from './contract';
import type { RunnerRouter } from './router';
import type { Runner } from './runner';

/** The runner in this process: no HTTP, the same events. */
export function createLocalRunnerClient(runner: Runner): RunnerClient {
  return {
    run(input, { signal, lastEventId }) {
      if (lastEventId && !runner.has(input.runId)) {
        throw new Error(`the runner does not know run ${input.runId}`);
      }
      runner.start(input);
      return runner.follow(input.runId, Number(lastEventId ?? 0), signal);
    },
    async cancel(runId) {
      runner.cancel(runId, 'canceled by user');
    },
    health: () => runner.health(),
  };
}

/** A runner on another machine, through its tRPC router (SSE for runs), with the shared secret. */
export function createHttpRunnerClient({ url, secret }: { url: string; secret: string }): RunnerClient {
  const endpoint = `${url.replace(/\/+$/, '')}/trpc`;
  const authorization = { authorization: `Bearer ${secret}` };
  const client = createTRPCClient<RunnerRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: endpoint,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) =>
              fetch(input, {
                ...init,
                headers: { ...(init?.headers as Record<string, string>), ...authorization },
              }),
          },
        }),
        false: httpLink({ url: endpoint, headers: authorization }),
      }),
    ],
  });

  return {
    run(input: RunInput, { signal, lastEventId }): AsyncIterable<TrackedRunnerEvent> {
      return subscriptionIterable(
        (handlers) =>
          client.run.subscribe(
            { ...input, ...(lastEventId ? { lastEventId } : {}) },
            {
              signal,
              onData: ({ id, data }) => handlers.push({ id, event: data as RunnerEvent }),
              onError: (error) => handlers.fail(error),
              onComplete: () => handlers.end(),
            },
          ),
        signal,
        (item) => item.event.type === 'result',
      );
    },
    async cancel(runId) {
      await client.cancel.mutate({ runId });
    },
    health: () => client.health.query(),
  };
}

interface Sink<T> {
  push(item: T): void;
  fail(error: unknown): void;
  end(): void;
}

/** Turns a callback subscription into an async iterable that ends after `isLast` or on abort. */
function subscriptionIterable<T>(
  subscribe: (sink: Sink<T>) => { unsubscribe(): void },
  signal: AbortSignal,
  isLast: (item: T) => boolean,
): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const queue: T[] = [];
      let failure: unknown = null;
      let ended = false;
      let wake: (() => void) | null = null;
      const notify = () => {
        wake?.();
        wake = null;
      };
      const subscription = subscribe({
        push: (item) => {
          queue.push(item);
          if (isLast(item)) ended = true;
          notify();
        },
        fail: (error) => {
          failure = error ?? new Error('subscription failed');
          notify();
        },
        end: () => {
          ended = true;
          notify();
        },
      });
      const stop = () => {
        ended = true;
        notify();
      };
      signal.addEventListener('abort', stop, { once: true });
      return {
        async next(): Promise<IteratorResult<T>> {
          for (;;) {
            if (queue.length > 0) return { value: queue.shift() as T, done: false };
            if (failure) {
              subscription.unsubscribe();
              throw failure;
            }
            if (ended) {
              subscription.unsubscribe();
              signal.removeEventListener('abort', stop);
              return { value: undefined, done: true };
            }
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
        },
        async return(): Promise<IteratorResult<T>> {
          subscription.unsubscribe();
          signal.removeEventListener('abort', stop);
          return { value: undefined, done: true };
        },
      };
    },
  };
}
