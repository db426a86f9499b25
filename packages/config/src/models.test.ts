import { AGENT_MODEL, CODEX_MODEL, type OfflineModel, startOfflineModel } from '@retrace/offline-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPENAI_MODEL, runnerModels } from './models';

let offline: OfflineModel;
beforeAll(async () => {
  offline = await startOfflineModel();
});
afterAll(() => offline.close());

describe('runnerModels', () => {
  it('with an API key: both layers on the hosted API, with the key, the offline model unused', () => {
    const models = runnerModels(
      { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', RETRACE_CODEX_MODEL: 'c' },
      offline,
    );
    expect(models).toEqual({
      mode: 'openai',
      agent: { apiKey: 'sk-test', baseURL: 'http://127.0.0.1:1/v1', model: DEFAULT_OPENAI_MODEL },
      codex: { apiKey: 'sk-test', baseURL: 'http://127.0.0.1:1/v1', model: 'c' },
    });
  });

  it('without one: the offline model for both, no key, and its catalog for Codex', () => {
    const models = runnerModels({}, offline);
    expect(models.mode).toBe('offline');
    expect(models.agent).toEqual({ baseURL: offline.baseURL, model: AGENT_MODEL });
    expect(models.codex).toMatchObject({ baseURL: offline.baseURL, model: CODEX_MODEL });
    expect(JSON.stringify(models.codex.catalog)).toContain(`"slug":"${CODEX_MODEL}"`);
  });

  it('without a key and without the offline model: says what is missing', () => {
    expect(() => runnerModels({}, null)).toThrow(/OPENAI_API_KEY/);
  });
});
