import { AGENT_MODEL, CODEX_MODEL, type OfflineModel, startOfflineModel } from '@retrace/offline-model';
import type { RunnerOptions } from './runner';

export interface ModelSettings {
  /** OPENAI_API_KEY: without it, the offline model stands in. */
  apiKey?: string | undefined;
  baseURL?: string | undefined;
  agentModel?: string | undefined;
  codexModel?: string | undefined;
}

export interface Models extends Pick<RunnerOptions, 'agent' | 'codex' | 'codexEnv'> {
  /** The offline model, when it was started. */
  offline: OfflineModel | null;
  close(): Promise<void>;
}

/** A model Codex ships metadata for; override with RETRACE_CODEX_MODEL / RETRACE_AGENT_MODEL. */
export const DEFAULT_OPENAI_MODEL = 'gpt-5.5';

/**
 * The models a runner talks to: OpenAI's with an API key, otherwise the offline model,
 * started here on loopback (no retries: a failure should show at once).
 */
export async function startModels(settings: ModelSettings): Promise<Models> {
  if (settings.apiKey) {
    return {
      offline: null,
      agent: {
        apiKey: settings.apiKey,
        baseURL: settings.baseURL,
        model: settings.agentModel ?? DEFAULT_OPENAI_MODEL,
      },
      codex: {
        mode: 'openai',
        model: settings.codexModel ?? DEFAULT_OPENAI_MODEL,
        baseURL: settings.baseURL,
      },
      codexEnv: { OPENAI_API_KEY: settings.apiKey },
      close: async () => undefined,
    };
  }
  const offline = await startOfflineModel();
  return {
    offline,
    agent: { baseURL: offline.baseURL, model: AGENT_MODEL, maxRetries: 0 },
    codex: { mode: 'offline', baseURL: offline.baseURL, model: CODEX_MODEL },
    close: () => offline.close(),
  };
}
