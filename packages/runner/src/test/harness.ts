import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_MODEL, CODEX_MODEL, type OfflineModel, startOfflineModel } from '@retrace/offline-model';
import type { RunInput, RunnerEvent, RunnerStep, RunResult } from '../contract';
import { createRunner, type Runner, type RunnerOptions } from '../runner';

/** A real runner on a temp data dir, talking to the real offline model. */
export async function createTestRunner(overrides: Partial<RunnerOptions> = {}, model?: OfflineModel) {
  const offline = model ?? (await startOfflineModel());
  const dataDir = mkdtempSync(join(tmpdir(), 'retrace-runner-'));
  const runner = createRunner({
    dataDir,
    agent: { baseURL: offline.baseURL, model: AGENT_MODEL, maxRetries: 0 },
    codex: { mode: 'offline', baseURL: offline.baseURL, model: CODEX_MODEL },
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
  steps: RunnerStep[];
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
