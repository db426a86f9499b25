import type { StepDraft } from '@retrace/protocol';
import { execa } from 'execa';
import { codexBinary } from './codex/binary';
import { createProcessWatch } from './codex/process-tree';
import { permissionArgs, permissionProfileName, type SandboxSpec } from './sandbox/permissions';

const VERIFY_OUTPUT_LIMIT = 64_000;
/** What `codex sandbox` itself prints when CODEX_HOME is under /tmp: not the command's output. */
const CODEX_NOTICE = /^WARNING: proceeding, even though we could not create PATH aliases.*\n/m;

export interface VerifyOptions {
  command: string;
  /** The same sandbox the run's Codex commands had: the verify command runs code the agent wrote. */
  sandbox: SandboxSpec;
  /** The environment it starts with, already free of Retrace's secrets. */
  env: Record<string, string>;
  codexHome: string;
  codexBinary?: string | undefined;
  processRegistry: string;
  processName: string;
  signal: AbortSignal;
  step: (draft: StepDraft) => void;
  warn: (message: string) => void;
}

/** The project's verify command, in the workspace, recorded as a command step; the error if it failed. */
export async function verify(options: VerifyOptions): Promise<string | null> {
  const { command, sandbox, signal } = options;
  const startedAt = Date.now();
  const watch = createProcessWatch(options.processRegistry, options.processName, sandbox.tmpDir);
  const args = [
    'sandbox',
    '-P',
    permissionProfileName(sandbox),
    '-C',
    sandbox.workspace,
    ...permissionArgs(sandbox),
    '--',
    'bash',
    '-c',
    command,
  ];
  const child = execa(options.codexBinary ?? codexBinary(), args, {
    cwd: sandbox.workspace,
    all: true,
    reject: false,
    stdin: 'ignore',
    maxBuffer: 16 * 1024 * 1024,
    extendEnv: false,
    env: { ...options.env, CODEX_HOME: options.codexHome, TMPDIR: sandbox.tmpDir, ...watch.env },
  });
  if (child.pid) await watch.start(child.pid);
  const stop = () => void watch.stop();
  signal.addEventListener('abort', stop, { once: true });
  const run = await child;
  signal.removeEventListener('abort', stop);
  await watch.stop();
  const output = String(run.all ?? '').replace(CODEX_NOTICE, '');
  const shown =
    output.length > VERIFY_OUTPUT_LIMIT
      ? `${output.slice(0, VERIFY_OUTPUT_LIMIT)}\n[… output cut by Retrace]`
      : output;
  const ok = run.exitCode === 0;
  options.step({
    kind: 'command',
    instruction: command,
    outcomeOk: ok,
    payload: { verify: true, exit_code: run.exitCode ?? null, aggregated_output: shown },
    startedAt,
    finishedAt: Date.now(),
  });
  if (!ok) options.warn(`verify command failed (exit ${run.exitCode ?? run.signal}): ${command}`);
  return ok ? null : `verify command \`${command}\` failed with exit code ${run.exitCode ?? run.signal}`;
}
