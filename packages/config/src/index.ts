export * from './env';
export { DEFAULT_OPENAI_MODEL, type ModelEnv, runnerModels } from './models';
export { bearerToken, sameSecret } from './secrets';
