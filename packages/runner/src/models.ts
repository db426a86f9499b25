import type { ModelMode } from '@retrace/protocol';

/** One OpenAI-compatible model a runner talks to. */
export interface ModelEndpoint {
  model: string;
  /** The API's base URL (…/v1); OpenAI's own when absent. */
  baseURL?: string | undefined;
  /** Sent as the bearer token; the offline model needs none. */
  apiKey?: string | undefined;
}

/**
 * The two model layers of a run, chosen by the composition root: the runner agent's chat
 * model, and the model Codex itself talks to (the Responses API).
 */
export interface RunnerModels {
  /** offline: the offline model on loopback; its requests are never retried, so a failure shows at once. */
  mode: ModelMode;
  agent: ModelEndpoint;
  codex: ModelEndpoint & {
    /** Codex's metadata for a model it does not ship (the offline model): without it, no apply_patch tool. */
    catalog?: unknown;
  };
}
