export { type Api, type CreateApiOptions, createApi } from './api';
export type { Artifact, DiffSummary, Project, Run, RunListItem, Step } from './dto';
export type { RunEvent, RunEventData } from './events';
export { isTerminalEvent, isTerminalStatus } from './events';
export { type AppRouter, appRouter, type RouterInputs, type RouterOutputs } from './root';
export { INTERRUPTED_ERROR } from './services/runs';
export { describeError } from './trpc';
