import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Profile } from '../contract';

/** Which model Codex talks to: the offline simulator on loopback, or OpenAI's. */
export type CodexModelConfig =
  | { mode: 'offline'; baseURL: string; model: string }
  | { mode: 'openai'; model: string; baseURL?: string | undefined };

/** Codex needs catalog metadata for a model it does not know, or it offers no apply_patch tool. */
function catalogFor(model: string) {
  return {
    models: [
      {
        slug: model,
        display_name: 'Retrace offline model (simulator)',
        base_instructions: 'You follow the plan in the prompt.',
        supported_reasoning_levels: [],
        shell_type: 'unified_exec',
        visibility: 'list',
        supported_in_api: true,
        priority: 1,
        support_verbosity: false,
        truncation_policy: { mode: 'tokens', limit: 10000 },
        experimental_supported_tools: [],
        apply_patch_tool_type: 'freeform',
        context_window: 128000,
      },
    ],
  };
}

/** The runner's own CODEX_HOME (never the user's ~/.codex), with the offline model's catalog. */
export async function prepareCodexHome(home: string, config: CodexModelConfig): Promise<string | null> {
  await mkdir(home, { recursive: true });
  if (config.mode !== 'offline') return null;
  const catalog = join(home, 'retrace-model-catalog.json');
  await writeFile(catalog, JSON.stringify(catalogFor(config.model)));
  return catalog;
}

/** A TOML basic string: what `-c key=value` takes for text. */
export function tomlString(text: string): string {
  // JSON escapes every control character TOML forbids but DEL.
  return JSON.stringify(text).replace(/\u007f/g, '\\u007F');
}

export interface CodexArgsOptions {
  workspace: string;
  prompt: string;
  profile: Profile;
  config: CodexModelConfig;
  catalogPath: string | null;
  developerInstructions?: string | undefined;
}

export const SANDBOX: Record<Profile, string> = { batch: 'workspace-write', readonly: 'read-only' };

/** `codex exec --json` arguments: the model and provider through -c overrides, nothing from user config. */
export function codexArgs({
  workspace,
  prompt,
  profile,
  config,
  catalogPath,
  developerInstructions,
}: CodexArgsOptions): string[] {
  // The offline model only runs what a prompt literally says, so a batch run may skip the sandbox.
  const sandbox = config.mode === 'offline' && profile === 'batch' ? 'danger-full-access' : SANDBOX[profile];
  const args = [
    'exec',
    '--json',
    '--ephemeral',
    '--ignore-user-config',
    '--skip-git-repo-check',
    '-s',
    sandbox,
    '-C',
    workspace,
    // Commands run in a plain shell, and Codex does not snapshot a login shell's environment
    // at start: a login profile makes runs depend on the machine (one here runs pyenv rehash,
    // which waits 60 s on a lock a killed shell left behind).
    '-c',
    'allow_login_shell=false',
    '-c',
    'features.shell_snapshot=false',
  ];
  if (config.mode === 'offline') {
    args.push(
      '-c',
      `model=${tomlString(config.model)}`,
      '-c',
      'model_provider="retrace-offline"',
      '-c',
      `model_providers.retrace-offline={name="Retrace offline model",base_url=${tomlString(config.baseURL)},wire_api="responses",request_max_retries=0,stream_max_retries=0}`,
    );
    if (catalogPath) args.push('-c', `model_catalog_json=${tomlString(catalogPath)}`);
  } else {
    args.push(
      '-c',
      `model=${tomlString(config.model)}`,
      '-c',
      'model_provider="retrace-openai"',
      '-c',
      `model_providers.retrace-openai={name="OpenAI",base_url=${tomlString(config.baseURL ?? 'https://api.openai.com/v1')},env_key="OPENAI_API_KEY",wire_api="responses"}`,
    );
  }
  if (developerInstructions) args.push('-c', `developer_instructions=${tomlString(developerInstructions)}`);
  args.push('--', prompt);
  return args;
}
