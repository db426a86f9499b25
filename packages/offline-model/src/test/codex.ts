import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { codexModelCatalog } from '../codex-catalog';
import { CODEX_MODEL } from '../server';

/** The platform binary the @openai/codex package ships (its JS launcher just execs it). */
export function codexBinary(): string {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@openai/codex-linux-x64/package.json'));
  return join(root, 'vendor/x86_64-unknown-linux-musl/bin/codex');
}

export interface CodexRun {
  exitCode: number;
  events: Array<{
    type: string;
    item?: Record<string, unknown>;
    error?: { message: string };
    message?: string;
  }>;
  stdout: string;
}

/** A scratch workspace and CODEX_HOME (under /tmp codex only warns that it makes no PATH aliases). */
export function scratch() {
  const root = mkdtempSync(join(tmpdir(), 'retrace-codex-'));
  const workspace = join(root, 'ws');
  const home = join(root, 'home');
  mkdirSync(workspace);
  mkdirSync(home);
  const catalog = join(root, 'catalog.json');
  writeFileSync(catalog, JSON.stringify(codexModelCatalog()));
  return { root, workspace, home, catalog, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Runs `codex exec --json` against a model server, the way codex-headless.md measured it. */
export function runCodex(options: {
  baseURL: string;
  prompt: string;
  workspace: string;
  home: string;
  catalog: string;
  developerInstructions?: string;
}): Promise<CodexRun> {
  const args = [
    'exec',
    '--json',
    '--skip-git-repo-check',
    '--ephemeral',
    '--ignore-user-config',
    '-s',
    'danger-full-access',
    '-C',
    options.workspace,
    // No login shell, as the runner does: the machine's profile stays out of the test.
    '-c',
    'features.shell_snapshot=false',
    '-c',
    `model=${CODEX_MODEL}`,
    '-c',
    'model_provider=offline',
    '-c',
    `model_providers.offline={name="offline",base_url=${JSON.stringify(options.baseURL)},wire_api="responses",request_max_retries=0,stream_max_retries=0}`,
    '-c',
    `model_catalog_json=${JSON.stringify(options.catalog)}`,
    ...(options.developerInstructions
      ? ['-c', `developer_instructions=${JSON.stringify(options.developerInstructions)}`]
      : []),
    options.prompt,
  ];
  return new Promise((resolve) => {
    const child = execFile(
      codexBinary(),
      args,
      { env: { ...process.env, CODEX_HOME: options.home } },
      (error, stdout) => {
        const events = stdout
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l) as CodexRun['events'][number]);
        resolve({ exitCode: error ? Number((error as { code?: number }).code ?? 1) : 0, events, stdout });
      },
    );
    child.stdin?.end();
  });
}
