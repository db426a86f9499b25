import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunnerModels } from '../models';
import { CODEX_COMMAND_ENV_EXCLUDE } from '../sandbox/environment';
import { permissionArgs, type SandboxSpec } from '../sandbox/permissions';

/** The runner's own CODEX_HOME (never the user's ~/.codex), with the model catalog if there is one. */
export async function prepareCodexHome(home: string, codex: RunnerModels['codex']): Promise<string | null> {
  await mkdir(home, { recursive: true });
  if (codex.catalog === undefined) return null;
  const catalog = join(home, 'retrace-model-catalog.json');
  await writeFile(catalog, JSON.stringify(codex.catalog));
  return catalog;
}

/** A TOML basic string: what `-c key=value` takes for text. */
export function tomlString(text: string): string {
  // JSON escapes every control character TOML forbids but DEL.
  return JSON.stringify(text).replace(/\u007f/g, '\\u007F');
}

export interface CodexArgsOptions {
  prompt: string;
  /** The workspace is the sandbox's one writable root (batch) or readable one (readonly). */
  sandbox: SandboxSpec;
  models: RunnerModels;
  catalogPath: string | null;
  developerInstructions?: string | undefined;
}

/** `codex exec --json` arguments: the model and provider through -c overrides, nothing from user config. */
export function codexArgs({
  prompt,
  sandbox,
  models,
  catalogPath,
  developerInstructions,
}: CodexArgsOptions): string[] {
  const { codex } = models;
  const args = [
    'exec',
    '--json',
    '--ephemeral',
    '--ignore-user-config',
    '--skip-git-repo-check',
    '-C',
    sandbox.workspace,
    // Every command in Codex's sandbox, offline model included: only the workspace (and the
    // run's temp folder) can be written, the data dir cannot be read, there is no network.
    ...permissionArgs(sandbox),
    // Commands get Codex's environment (already free of Retrace's secrets) less its model key.
    '-c',
    `shell_environment_policy.exclude=[${CODEX_COMMAND_ENV_EXCLUDE.map(tomlString).join(',')}]`,
    // Commands run in a plain shell, and Codex does not snapshot a login shell's environment
    // at start: a login profile makes runs depend on the machine (one here runs pyenv rehash,
    // which waits 60 s on a lock a killed shell left behind).
    '-c',
    'allow_login_shell=false',
    '-c',
    'features.shell_snapshot=false',
  ];
  const baseURL = tomlString(codex.baseURL ?? 'https://api.openai.com/v1');
  args.push('-c', `model=${tomlString(codex.model)}`);
  if (models.mode === 'offline') {
    args.push(
      '-c',
      'model_provider="retrace-offline"',
      '-c',
      `model_providers.retrace-offline={name="Retrace offline model",base_url=${baseURL},wire_api="responses",request_max_retries=0,stream_max_retries=0}`,
    );
  } else {
    const key = codex.apiKey ? ',env_key="OPENAI_API_KEY"' : '';
    args.push(
      '-c',
      'model_provider="retrace-openai"',
      '-c',
      `model_providers.retrace-openai={name="OpenAI",base_url=${baseURL}${key},wire_api="responses"}`,
    );
  }
  if (catalogPath) args.push('-c', `model_catalog_json=${tomlString(catalogPath)}`);
  if (developerInstructions) args.push('-c', `developer_instructions=${tomlString(developerInstructions)}`);
  args.push('--', prompt);
  return args;
}
