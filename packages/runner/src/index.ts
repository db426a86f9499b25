export { createRunnerApp, type RunnerAppOptions } from './app';
export { createHttpRunnerClient, createLocalRunnerClient } from './clients';
export { codexBinary } from './codex/binary';
export { type CodexModelConfig, codexArgs, prepareCodexHome } from './codex/config';
export * from './contract';
export { DEFAULT_OPENAI_MODEL, type ModelSettings, type Models, startModels } from './models';
export { type RunnerRouter, runnerRouter } from './router';
export { createRunner, type Runner, type RunnerOptions } from './runner';
export { ensureRepository, forkWorkspace, WorkspaceError, workspacePath } from './workspace/index';
