import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { LIMITS } from '../services/limits';
import { publicProcedure } from '../trpc';
import { entityId, requiredText } from './inputs';

export const patternsRouter = {
  preview: publicProcedure
    .input(z.object({ runIds: z.array(entityId).min(1, 'name at least one run').max(LIMITS.patternSources) }))
    .query(({ ctx, input }) => ctx.services.patterns.preview(input.runIds)),
  forRun: publicProcedure
    .input(z.object({ id: entityId }))
    .query(({ ctx, input }) => ctx.services.patterns.forRun(input.id)),
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
      return ctx.services.patterns.suggest(input.projectId, input.prompt, input.limit);
    }),
} satisfies TRPCRouterRecord;
