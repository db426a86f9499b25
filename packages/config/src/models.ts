import { AGENT_MODEL, CODEX_MODEL, codexModelCatalog, type OfflineModel } from '@retrace/offline-model';
import type { RunnerModels } from '@retrace/runner';

/** A model Codex ships metadata for; override with RETRACE_CODEX_MODEL / RETRACE_AGENT_MODEL. */
export const DEFAULT_OPENAI_MODEL = 'gpt-5.5';

export interface ModelEnv {
  OPENAI_API_KEY?: string | undefined;
  OPENAI_BASE_URL?: string | undefined;
  RETRACE_AGENT_MODEL?: string | undefined;
  RETRACE_CODEX_MODEL?: string | undefined;
}

/**
 * The runner's models: OpenAI's (or an OpenAI-compatible server's) with an API key, or the
 * offline model the composition root started because there is none.
 */
export function runnerModels(env: ModelEnv, offline: OfflineModel | null): RunnerModels {
  if (env.OPENAI_API_KEY) {
    const endpoint = { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL };
    return {
      mode: 'openai',
      agent: { ...endpoint, model: env.RETRACE_AGENT_MODEL ?? DEFAULT_OPENAI_MODEL },
      codex: { ...endpoint, model: env.RETRACE_CODEX_MODEL ?? DEFAULT_OPENAI_MODEL },
    };
  }
  if (!offline) throw new Error('no OPENAI_API_KEY: start the offline model and pass it');
  return {
    mode: 'offline',
    agent: { baseURL: offline.baseURL, model: AGENT_MODEL },
    codex: { baseURL: offline.baseURL, model: CODEX_MODEL, catalog: codexModelCatalog() },
  };
}
