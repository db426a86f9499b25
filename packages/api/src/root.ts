import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { experimentsRouter } from './router/experiments';
import { patternsRouter } from './router/patterns';
import { projectsRouter } from './router/projects';
import { runsRouter } from './router/runs';
import { subscriptionsRouter } from './router/subscriptions';
import { systemRouter } from './router/system';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  projects: projectsRouter,
  runs: runsRouter,
  patterns: patternsRouter,
  experiments: experimentsRouter,
  subscriptions: subscriptionsRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const createCaller = createCallerFactory(appRouter);
