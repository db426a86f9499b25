import type { RunEvent } from '@retrace/api';
import type { RetraceClient } from '@retrace/client';

/** Collects a run's events through the live subscription until its final status. */
export function followRun(
  client: RetraceClient,
  id: string,
  options: { lastEventId?: string; until?: (event: RunEvent) => boolean } = {},
): Promise<RunEvent[]> {
  return new Promise((resolve, reject) => {
    const events: RunEvent[] = [];
    const subscription = client.subscriptions.run.subscribe(
      { id, ...(options.lastEventId ? { lastEventId: options.lastEventId } : {}) },
      {
        onData: ({ data }) => {
          const event: RunEvent = data;
          events.push(event);
          const ended = event.type === 'status' && event.phase === null && event.status !== 'running';
          if (ended || options.until?.(event)) {
            subscription.unsubscribe();
            resolve(events);
          }
        },
        onError: (error) => {
          subscription.unsubscribe();
          reject(error);
        },
      },
    );
  });
}

/** Waits for the run to end and returns it as stored. */
export async function finishedRun(client: RetraceClient, id: string) {
  await followRun(client, id);
  return client.runs.get.query({ id });
}

export function plan(...lines: string[]): string {
  return lines.join('\n');
}
