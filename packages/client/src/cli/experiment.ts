import type { RouterOutputs } from '@retrace/api';
import type { RetraceClient } from '../index';
import { bold, dim, formatDuration, green, red, statusText } from './render';

type Experiment = RouterOutputs['experiments']['get'];
type Arm = Experiment['arms'][number];

const percent = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 100)}%`);
const signed = (n: number | null, unit = '') =>
  n === null ? '–' : `${n > 0 ? '+' : ''}${Math.round(n)}${unit}`;

/** The experiment's arms as a table: outcome, 95% interval, medians; then each arm against the first. */
export function formatExperiment(experiment: Experiment): string[] {
  const rows = experiment.arms.map((arm: Arm) => [
    arm.name,
    `${arm.succeeded}/${arm.succeeded + arm.failed}${arm.pending ? ` (+${arm.pending} running)` : ''}`,
    percent(arm.successRate),
    `${percent(arm.interval[0])}–${percent(arm.interval[1])}`,
    arm.medianTurns === null ? '–' : String(arm.medianTurns),
    arm.medianTokens === null ? '–' : String(Math.round(arm.medianTokens)),
    formatDuration(arm.medianDurationMs === null ? null : Math.round(arm.medianDurationMs)),
  ]);
  const header = ['arm', 'succeeded', 'rate', '95% interval', 'turns', 'tokens', 'time'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  return [
    bold(line(header)),
    ...rows.map(line),
    ...experiment.comparison.map(
      (c) =>
        `${c.arm} vs ${c.against}: success ${signed(c.successRateDelta === null ? null : c.successRateDelta * 100, ' pts')}, turns ${signed(c.medianTurnsDelta)}, tokens ${signed(c.medianTokensDelta)}, time ${signed(c.medianDurationMsDelta, ' ms')}`,
    ),
  ];
}

/**
 * Starts the experiment and follows it: a line for each attempt as it ends, the table once
 * all have. Resolves with the experiment as it ended.
 */
export async function followExperiment(
  client: RetraceClient,
  experiment: Experiment,
  json: boolean,
): Promise<Experiment> {
  const armOf = new Map(experiment.arms.flatMap((arm) => arm.runIds.map((id) => [id, arm.name] as const)));
  const pending = new Set(armOf.keys());
  await new Promise<void>((resolve, reject) => {
    const subscription = client.subscriptions.project.subscribe(
      { id: experiment.projectId },
      {
        onData: ({ data }) => {
          if (data.type !== 'status' || data.phase !== null || !pending.has(data.runId)) return;
          if (data.status === 'queued' || data.status === 'running') return;
          pending.delete(data.runId);
          if (!json) {
            const run = data.run;
            console.log(
              `${dim('·')} ${armOf.get(data.runId)}: run #${run.number} ${statusText(run.status)} in ${formatDuration(run.durationMs)} ${dim(`(${pending.size} to go)`)}`,
            );
          }
          if (pending.size === 0) {
            subscription.unsubscribe();
            resolve();
          }
        },
        onError: (error) => {
          subscription.unsubscribe();
          reject(error);
        },
      },
    );
    // Attempts that ended before the subscription began are read once.
    void client.experiments.get.query({ id: experiment.id }).then((now) => {
      for (const arm of now.arms)
        for (const run of arm.runs) if (run.finishedAt !== null) pending.delete(run.id);
      if (pending.size === 0) {
        subscription.unsubscribe();
        resolve();
      }
    }, reject);
  });
  return client.experiments.get.query({ id: experiment.id });
}

export const experimentSummary = (experiment: Experiment) =>
  experiment.arms.every((arm) => arm.successRate !== null)
    ? green('done')
    : red(`${experiment.arms.reduce((n, arm) => n + arm.pending, 0)} attempts did not end`);
