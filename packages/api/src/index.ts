export { type Api, createApi } from './api';
export type { Artifact, Project, Run, RunListItem, Step } from './dto';
export type { RunEvent } from './events';
export type { AppRouter, RouterInputs, RouterOutputs } from './root';
export { describeError } from './trpc';
