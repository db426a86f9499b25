import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AGENT_MODEL,
  CODEX_MODEL,
  codexModelCatalog,
  type OfflineModel,
  startOfflineModel,
} from '@retrace/offline-model';
import type { RunInput, RunnerEvent, RunResult, Step } from '@retrace/protocol';
import type { ModelEndpoint, RunnerModels } from '../models';
import { createRunner, type Runner, type RunnerOptions } from '../runner';

/** The runner's models on the offline model, as a composition root would choose them. */
export function offlineModels(offline: Pick<OfflineModel, 'baseURL'>): RunnerModels {
  return {
    mode: 'offline',
    agent: { baseURL: offline.baseURL, model: AGENT_MODEL },
    codex: { baseURL: offline.baseURL, model: CODEX_MODEL, catalog: codexModelCatalog() },
  };
}

export type TestRunnerOptions = Partial<Omit<RunnerOptions, 'dataDir' | 'models'>> & {
  /** Replaces part of one model layer (to point it at a broken server, say). */
  agent?: Partial<ModelEndpoint>;
  codex?: Partial<RunnerModels['codex']>;
};

/** A real runner on a temp data dir, talking to the real offline model. */
export async function createTestRunner(
  { agent, codex, ...overrides }: TestRunnerOptions = {},
  model?: OfflineModel,
) {
  const offline = model ?? (await startOfflineModel());
  const dataDir = mkdtempSync(join(tmpdir(), 'retrace-runner-'));
  const models = offlineModels(offline);
  const runner = createRunner({
    dataDir,
    models: { ...models, agent: { ...models.agent, ...agent }, codex: { ...models.codex, ...codex } },
    environment: process.env,
    ...overrides,
  });
  return {
    runner,
    offline,
    dataDir,
    async close() {
      await runner.close();
      if (!model) await offline.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
export function runInput(prompt: string, extra: Partial<RunInput> = {}): RunInput {
  counter += 1;
  return {
    runId: `run-${process.pid}-${counter}`,
    projectId: 'proj',
    workspace: { kind: 'new' },
    prompt,
    context: { base_prompt: 'You are a precise code agent.', pattern_block: '', profile: 'batch' },
    ...extra,
  };
}

export interface Finished {
  events: RunnerEvent[];
  steps: Step[];
  result: RunResult;
}

/** Starts a run and collects every event until its result. */
export async function runToEnd(runner: Runner, input: RunInput): Promise<Finished> {
  runner.start(input);
  const events: RunnerEvent[] = [];
  for await (const tracked of runner.follow(input.runId, 0)) events.push(tracked.event);
  const last = events.at(-1);
  if (last?.type !== 'result') throw new Error('the run ended without a result');
  return {
    events,
    steps: events.flatMap((e) => (e.type === 'step' ? [e.step] : [])),
    result: last.result,
  };
}
