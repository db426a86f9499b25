import type { Run, RunEvent } from '@retrace/api';
import type { RetraceClient } from '../index';
import { bold, dim, formatDuration, formatEvent, formatLearnReason, statusText } from './render';

/** The lines a run started by `run` or `retry` opens with: its number, its pattern, Retrace's choice. */
export function announceRun(run: Run, where: string): void {
  console.log(`${bold(`run #${run.number}`)} ${dim(run.id)} queued in ${where}`);
  if (run.pattern)
    console.log(
      dim(`· learning from a pattern of ${run.pattern.steps.length} steps, ${run.pattern.tokenCount} tokens`),
    );
  const reason = formatLearnReason(run.learnReason);
  if (reason && run.learnReason?.by === 'auto') console.log(dim(`· ${reason}`));
}

const ended = (event: RunEvent) =>
  event.type === 'status' && !event.phase && event.status !== 'running' && event.status !== 'queued';

/**
 * Streams a run's events (a line each, or with --json the event itself) until its final status;
 * resolves with the exit code: 0 if it succeeded, else 1.
 */
export function followRun(client: RetraceClient, runId: string, json: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const subscription = client.subscriptions.run.subscribe(
      { id: runId },
      {
        onData: ({ data }) => {
          const event: RunEvent = data;
          const line = json ? JSON.stringify(event) : formatEvent(event);
          if (line) console.log(line);
          if (event.type !== 'status' || !ended(event)) return;
          subscription.unsubscribe();
          if (!json) {
            const { run } = event;
            console.log(
              `${bold(`run #${run.number}`)} ${statusText(run.status)} in ${formatDuration(run.durationMs)}${run.summary ? `: ${run.summary}` : ''}`,
            );
          }
          resolve(event.status === 'succeeded' ? 0 : 1);
        },
        onError: (error) => {
          subscription.unsubscribe();
          reject(error);
        },
      },
    );
  });
}
