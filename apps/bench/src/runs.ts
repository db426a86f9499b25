import type { RetraceClient, RouterInputs, Run, RunEvent } from '@retrace/client';

const ENDED = new Set(['succeeded', 'failed', 'canceled']);

/**
 * Creates runs of one project at once and resolves with them once all have ended. Follows
 * the project's events (one stream that replays from the start, so nothing is missed, and
 * no polling to load the server). A run that did not succeed is an error: a benchmark of
 * failing runs measures nothing.
 */
export async function finishRuns(
  client: RetraceClient,
  projectId: string,
  prompts: string[],
): Promise<Run[]> {
  const created = await Promise.all(
    prompts.map((prompt) =>
      client.runs.create.mutate({ projectId, prompt } satisfies RouterInputs['runs']['create']),
    ),
  );
  const pending = new Set(created.map((r) => r.id));
  await new Promise<void>((resolve, reject) => {
    const subscription = client.subscriptions.project.subscribe(
      { id: projectId },
      {
        onData: ({ data }) => {
          const event: RunEvent = data;
          if (event.type === 'status' && ENDED.has(event.status)) pending.delete(event.runId);
          if (pending.size === 0) {
            subscription.unsubscribe();
            resolve();
          }
        },
        onError: reject,
      },
    );
  });
  const runs = await Promise.all(created.map((r) => client.runs.get.query({ id: r.id })));
  const failed = runs.find((r) => r.status !== 'succeeded');
  if (failed) throw new Error(`run #${failed.number} ${failed.status}: ${failed.error ?? ''}`);
  return runs;
}

/** A small plan for the offline model: create a file, then read it back. */
export function notePlan(i: number): string {
  return `create notes/${i}.txt:\n\`\`\`\nnote ${i}\n\`\`\`\nrun: cat notes/${i}.txt`;
}
