export * from './branch';
export { describeIssues, RUNNER_ERROR_CODES, RunnerError, type RunnerErrorCode } from './errors';
export * from './run-input';
export type { RunnerClient } from './runner-client';
export * from './runner-events';
export * from './step';
