import type { StepDraft } from '@retrace/protocol';
import { execa } from 'execa';
import { killTree } from './codex/process-tree';

const VERIFY_OUTPUT_LIMIT = 64_000;

export interface VerifyOptions {
  command: string;
  cwd: string;
  signal: AbortSignal;
  step: (draft: StepDraft) => void;
  warn: (message: string) => void;
}

/** The project's verify command, in the workspace, recorded as a command step; the error if it failed. */
export async function verify({ command, cwd, signal, step, warn }: VerifyOptions): Promise<string | null> {
  const startedAt = Date.now();
  const child = execa('bash', ['-c', command], {
    cwd,
    all: true,
    reject: false,
    stdin: 'ignore',
    maxBuffer: 16 * 1024 * 1024,
  });
  const stop = () => child.pid && void killTree(child.pid);
  signal.addEventListener('abort', stop, { once: true });
  const run = await child;
  signal.removeEventListener('abort', stop);
  const output = String(run.all ?? '');
  const shown =
    output.length > VERIFY_OUTPUT_LIMIT
      ? `${output.slice(0, VERIFY_OUTPUT_LIMIT)}\n[… output cut by Retrace]`
      : output;
  const ok = run.exitCode === 0;
  step({
    kind: 'command',
    instruction: command,
    outcomeOk: ok,
    payload: { verify: true, exit_code: run.exitCode ?? null, aggregated_output: shown },
    startedAt,
    finishedAt: Date.now(),
  });
  if (!ok) warn(`verify command failed (exit ${run.exitCode ?? run.signal}): ${command}`);
  return ok ? null : `verify command \`${command}\` failed with exit code ${run.exitCode ?? run.signal}`;
}
