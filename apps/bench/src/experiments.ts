import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Api } from '@retrace/api';
import { replayByPrompt, runEnded } from './stand-in-codex';
import { alternate, type Figure, figure, spread } from './stats';
import { startSystem } from './system';

const ATTEMPTS = 5;
const ARMS = 2;
const PROMPT = 'run: replay 10';

async function plainRuns(api: Api, projectId: string, fromRunId: string): Promise<number> {
  const started = performance.now();
  const created = [];
  for (let i = 0; i < ATTEMPTS * ARMS; i++) {
    created.push(await api.caller.runs.create({ projectId, prompt: PROMPT, fromRunId }));
  }
  await Promise.all(created.map((run) => runEnded(api, run.id)));
  return performance.now() - started;
}

async function experiment(api: Api, projectId: string, fromRunId: string): Promise<number> {
  const started = performance.now();
  const made = await api.caller.experiments.create({
    projectId,
    prompt: PROMPT,
    fromRunId,
    attempts: ATTEMPTS,
    arms: [{ name: 'a' }, { name: 'b' }],
  });
  const view = await api.caller.experiments.get({ id: made.id });
  const ids = view.arms.flatMap((arm) => arm.runIds);
  await Promise.all(ids.map((id) => runEnded(api, id)));
  // What a person reads once it is done: the arms, their intervals and the comparison.
  await api.caller.experiments.get({ id: made.id });
  return performance.now() - started;
}

/**
 * What an experiment costs beyond its runs: 2 arms × 5 attempts from one workspace state,
 * against the same 10 runs created one by one, per attempt. Codex is a short recording, so
 * the figure is Retrace's own work (queueing, bookkeeping, the stats), not the agent's.
 */
export async function benchExperiments(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'retrace-bench-experiments-'));
  const system = await startSystem(dir, replayByPrompt(dir, [10]));
  try {
    const { api } = system;
    const project = await api.caller.projects.create({ name: 'bench-experiments' });
    const first = await api.caller.runs.create({ projectId: project.id, prompt: PROMPT });
    await runEnded(api, first.id);
    const times = await alternate(
      3,
      () => experiment(api, project.id, first.id),
      () => plainRuns(api, project.id, first.id),
    );
    const perAttempt = (ms: number[]) => spread(ms.map((m) => m / (ATTEMPTS * ARMS)));
    return [
      figure(
        'Experiments',
        `one attempt of a ${ARMS} × ${ATTEMPTS} experiment, created → all ended`,
        'ms',
        perAttempt(times.measured),
        { label: 'one of the same runs, created by runs.create', value: perAttempt(times.baseline) },
        null,
        'Codex replaced by a 10-item recording: the difference is the experiment’s own bookkeeping',
      ),
    ];
  } finally {
    await system.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
