import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRetraceClient, type RetraceClient } from '@retrace/client';
import { runnerModels } from '@retrace/config';
import { type OfflineModel, startOfflineModel } from '@retrace/offline-model';
import { codexArgs, codexBinary, prepareCodexHome, prepareWorkspace } from '@retrace/runner/bench';
import { removeDataDir, startServer } from '@retrace/server/server-process';
import { execa } from 'execa';
import { finishRuns, notePlan } from './runs';
import { type Figure, figure, repeat, spread } from './stats';

const RUNS = 20;
const CONCURRENCY = 4;
const BASE_PROMPT = 'You are a precise code agent.';

/** Runs tasks with at most `limit` at once. */
async function pool(limit: number, tasks: Array<() => Promise<void>>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await (tasks[next++] as () => Promise<void>)();
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/** The server's resident memory, sampled every 100 ms until stopped. */
function sampleRss(pid: number) {
  const samples: number[] = [];
  const read = () => {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (match?.[1]) samples.push(Number(match[1]) / 1024);
  };
  read();
  const timer = setInterval(read, 100);
  return {
    stop: () => {
      clearInterval(timer);
      return samples;
    },
  };
}

/** 20 runs at concurrency 4 through the whole system: create → queue → runner → agent → Codex → recorded. */
async function systemBatch(client: RetraceClient, pid: number, i: number) {
  const project = await client.projects.create.mutate({ name: `bench-orchestration-${i}` });
  const rss = sampleRss(pid);
  const start = performance.now();
  const runs = await finishRuns(
    client,
    project.id,
    Array.from({ length: RUNS }, (_, n) => notePlan(n)),
  );
  const wall = performance.now() - start;
  const perRun = runs.map((r) => (r.finishedAt ?? 0) - (r.startedAt ?? 0));
  return { wall, perRun, rss: rss.stop() };
}

/** How a direct `codex exec` is confined: as a run is, or less, to measure what each part costs. */
type Confinement = 'run' | 'sandbox-only' | 'full-access';

/**
 * The same 20 `codex exec` invocations, run directly at concurrency 4 against the offline
 * model: in the sandbox a run gets (its data dir hidden), in the sandbox alone, or with full access.
 */
async function directBatch(root: string, model: OfflineModel, i: number, confinement: Confinement = 'run') {
  const codexHome = join(root, `codex-home-${i}`);
  const tmpDir = join(root, `tmp-${i}`);
  mkdirSync(tmpDir, { recursive: true });
  // What a run's sandbox hides: the entries of the data dir beside its workspace.
  const hidden = confinement === 'run' ? [codexHome, join(root, `hidden-${i}`)] : [];
  for (const path of hidden) mkdirSync(path, { recursive: true });
  const models = runnerModels({}, model);
  const catalogPath = await prepareCodexHome(codexHome, models.codex);
  const binary = codexBinary();
  const perRun: number[] = [];
  const start = performance.now();
  await pool(
    CONCURRENCY,
    Array.from({ length: RUNS }, (_, n) => async () => {
      const began = performance.now();
      // Made as the runner makes a new run's workspace, its base included.
      const { path: workspace } = await prepareWorkspace({
        dataDir: root,
        projectId: `direct-${i}-${confinement}`,
        runId: `run-${n}`,
        request: { kind: 'new' },
      });
      const args = codexArgs({
        prompt: notePlan(n),
        sandbox: { profile: 'batch', fullAccess: confinement === 'full-access', workspace, tmpDir, hidden },
        models,
        catalogPath,
        developerInstructions: BASE_PROMPT,
      });
      const result = await execa(binary, args, {
        stdin: 'ignore',
        env: { CODEX_HOME: codexHome, TMPDIR: tmpDir },
        reject: false,
      });
      if (!String(result.stdout).includes('"turn.completed"'))
        throw new Error(`codex exec failed directly: ${String(result.stderr).slice(-500)}`);
      perRun.push(performance.now() - began);
    }),
  );
  return { wall: performance.now() - start, perRun };
}

/**
 * The cost of Retrace around Codex: 20 runs at concurrency 4 through the whole system with
 * the offline model, against the same 20 `codex exec` invocations run directly (each in a
 * fresh git workspace, made by the runner's own code).
 */
export async function benchOrchestration(): Promise<Figure[]> {
  const server = await startServer({ env: { RETRACE_MAX_CONCURRENCY: String(CONCURRENCY) } });
  const root = mkdtempSync(join(tmpdir(), 'retrace-bench-direct-'));
  const model = await startOfflineModel();
  try {
    const pid = server.child.pid;
    if (!pid) throw new Error('the server has no pid');
    const client = createRetraceClient({ url: server.url });
    await finishRuns(client, (await client.projects.create.mutate({ name: 'warm-up' })).id, [notePlan(0)]);
    const idle = sampleRss(pid).stop();
    const system: Array<Awaited<ReturnType<typeof systemBatch>>> = [];
    const direct: Array<Awaited<ReturnType<typeof directBatch>>> = [];
    const sandboxOnly: Array<Awaited<ReturnType<typeof directBatch>>> = [];
    const unsandboxed: Array<Awaited<ReturnType<typeof directBatch>>> = [];
    await repeat(3, async (i) => {
      system.push(await systemBatch(client, pid, i));
      direct.push(await directBatch(root, model, i));
      sandboxOnly.push(await directBatch(root, model, i, 'sandbox-only'));
      unsandboxed.push(await directBatch(root, model, i, 'full-access'));
    });
    const median = (xs: number[]) => spread(xs).median;
    const perRunSystem = system.map((b) => median(b.perRun));
    const perRunDirect = direct.map((b) => median(b.perRun));
    const extra = system.map((b, i) => (b.wall - (direct[i]?.wall ?? 0)) / RUNS);
    const perRunOf = (batches: typeof direct) => batches.map((b) => median(b.perRun));
    const hidingCost = direct.map((b, i) => median(b.perRun) - median(sandboxOnly[i]?.perRun ?? []));
    const sandboxCost = sandboxOnly.map((b, i) => median(b.perRun) - median(unsandboxed[i]?.perRun ?? []));
    return [
      figure(
        'Orchestration',
        `${RUNS} runs at concurrency ${CONCURRENCY}, wall time`,
        's',
        spread(system.map((b) => b.wall / 1000)),
        { label: `the same ${RUNS} codex exec, direct`, value: spread(direct.map((b) => b.wall / 1000)) },
      ),
      figure(
        'Orchestration',
        'one run, started → finished (median of the batch)',
        'ms',
        spread(perRunSystem),
        { label: 'one codex exec, direct', value: spread(perRunDirect) },
        { text: 'ratio ≤ 1.25', met: (_, ratio) => ratio !== null && ratio <= 1.25 },
        'a run adds a workspace, a base snapshot and diffs, two agent-model turns and the recording around its codex exec',
      ),
      figure('Orchestration', 'extra wall time per run', 'ms', spread(extra), null),
      figure(
        'Orchestration',
        'one codex exec in the sandbox alone (median of the batch)',
        'ms',
        spread(perRunOf(sandboxOnly)),
        { label: 'the same with full access', value: spread(perRunOf(unsandboxed)) },
        null,
        `bubblewrap + seccomp around each command and patch: ${Math.round(spread(sandboxCost).median)} ms for this plan's two`,
      ),
      figure(
        'Orchestration',
        'one codex exec in the sandbox a run gets, its data dir hidden (median of the batch)',
        'ms',
        spread(perRunDirect),
        { label: 'the sandbox alone', value: spread(perRunOf(sandboxOnly)) },
        null,
        `${Math.round(spread(hidingCost).median)} ms more: with any path hidden, Codex makes each of its own file lookups (AGENTS.md, skills, .git markers: about a dozen an exec) in a sandboxed helper process of its own`,
      ),
      figure(
        'Orchestration',
        'server RSS during the batch (peak)',
        'MB',
        spread(system.map((b) => Math.max(...b.rss))),
        { label: 'idle, after one run', value: spread(idle) },
      ),
      figure('Orchestration', 'server RSS idle, after one run', 'MB', spread(idle), null, {
        text: '≤ 150 MB',
        met: (value) => value.median <= 150,
      }),
    ];
  } finally {
    await model.close();
    await server.stop();
    removeDataDir(server.dataDir);
    rmSync(root, { recursive: true, force: true });
  }
}
