import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { LIMITS } from '../services/limits';
import { publicProcedure } from '../trpc';
import { entityId, requiredText } from './inputs';

const byId = z.object({ id: entityId });

export const patternsRouter = {
  /** The pattern these successful runs make (one block, their steps merged), as it would be injected. */
  preview: publicProcedure
    .input(z.object({ runIds: z.array(entityId).min(1, 'name at least one run').max(LIMITS.patternSources) }))
    .query(({ ctx, input }) => ctx.services.patterns.preview(input.runIds)),
  /** What was injected into a run, as it was then. */
  forRun: publicProcedure.input(byId).query(({ ctx, input }) => ctx.services.patterns.forRun(input.id)),
  /** The pattern a successful run teaches, with its record and the runs that learned from it. */
  ofRun: publicProcedure.input(byId).query(({ ctx, input }) => ctx.services.patterns.ofRun(input.id)),
  /** A pattern whole: block, steps with their sources, variables, pitfalls, record, the runs given it. */
  get: publicProcedure.input(byId).query(({ ctx, input }) => ctx.services.patterns.get(input.id)),
  /** A project's patterns, the best record first, then the newest. */
  list: publicProcedure.input(z.object({ projectId: entityId })).query(async ({ ctx, input }) => {
    await ctx.services.projects.row(input.projectId);
    return ctx.services.patterns.list(input.projectId);
  }),
  /** The patterns that fit a prompt at or above the threshold, each with its score in [0, 1] and reasons. */
  suggest: publicProcedure
    .input(
      z.object({
        projectId: entityId,
        prompt: requiredText(LIMITS.promptLength),
        limit: z.number().int().min(1).max(50).default(10),
      }),
    )
    .query(async ({ ctx, input }) => {
      await ctx.services.projects.row(input.projectId);
      return ctx.services.suggestions.suggest(input.projectId, input.prompt, input.limit);
    }),
} satisfies TRPCRouterRecord;
