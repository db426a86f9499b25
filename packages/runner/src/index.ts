export { createRunnerApp, type RunnerAppOptions } from './app';
export { createHttpRunnerClient, createLocalRunnerClient } from './clients';
export type { CodexModelConfig } from './codex/config';
export * from './contract';
export { DEFAULT_OPENAI_MODEL, type ModelSettings, type Models, startModels } from './models';
export { type RunnerRouter, runnerRouter } from './router';
export { createRunner, type Runner, type RunnerOptions } from './runner';
export { forkWorkspace, WorkspaceError, workspacePath } from './workspace/index';
