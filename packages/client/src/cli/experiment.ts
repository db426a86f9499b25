import type { RouterOutputs } from '@retrace/api';
import type { RetraceClient } from '../index';
import { defineCommand, UsageError } from './command';
import { bold, dim, formatDuration, green, red, statusText } from './render';
import { print, resolveLearning, resolveProject } from './resolve';

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

export const runExperiment = defineCommand({
  name: 'experiment',
  args: ['project', 'prompt'],
  options: ['attempts', 'learn-from', 'auto-learn', 'from'],
  required: ['attempts'],
  about:
    'n runs without a pattern, n with one (--learn-from or --auto-learn); then success rates, 95% intervals, turns, tokens, time',
  async run({ client, args, values }) {
    const attempts = Number(values.attempts);
    if (!Number.isInteger(attempts) || attempts < 1)
      throw new UsageError(`--attempts is a whole number of runs per arm, not "${values.attempts}"`);
    if (!values['learn-from'] && !values['auto-learn'])
      throw new UsageError(
        'an experiment compares runs without a pattern with runs given one: pass --learn-from or --auto-learn',
      );
    const project = await resolveProject(client, args.project);
    const taught = await resolveLearning(client, values, project);
    const started = await client.experiments.create.mutate({
      projectId: project.id,
      prompt: args.prompt,
      attempts,
      fromRunId: taught.fromRunId ?? null,
      arms: [
        { name: 'without' },
        taught.autoLearn
          ? { name: 'auto-learn', autoLearn: true }
          : { name: 'with', learnFromRunIds: taught.learnFromRunIds },
      ],
    });
    if (!values.json)
      console.log(
        `${bold('experiment')} ${dim(started.id)}: ${attempts} attempts per arm of "${args.prompt}" in ${project.name}`,
      );
    const ended = await followExperiment(client, started, Boolean(values.json));
    print(values, ended, () => {
      for (const line of formatExperiment(ended)) console.log(line);
      console.log(experimentSummary(ended));
    });
    return ended.done ? 0 : 1;
  },
});
