import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { LIMITS } from '../services/limits';
import { publicProcedure } from '../trpc';
import { entityId, nameText, requiredText } from './inputs';

const arm = z.object({
  name: nameText(40).transform((name) => name.trim()),
  learnFromRunIds: z.array(entityId).min(1, 'name at least one run').max(LIMITS.patternSources).nullish(),
  autoLearn: z.boolean().optional(),
});

export const experimentsRouter = {
  /** `attempts` runs per arm of the same prompt from the same workspace state, queued like any run. */
  create: publicProcedure
    .input(
      z.object({
        projectId: entityId,
        prompt: requiredText(LIMITS.promptLength),
        fromRunId: entityId.nullish(),
        attempts: z.number().int().min(1).max(LIMITS.experimentAttempts),
        arms: z.array(arm).min(1, 'name at least one arm').max(LIMITS.experimentArms),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.experiments.create(input)),
  /** Each arm's attempts, success rate with its 95% Wilson interval, medians, and how it compares with the first. */
  get: publicProcedure
    .input(z.object({ id: entityId }))
    .query(({ ctx, input }) => ctx.services.experiments.get(input.id)),
  list: publicProcedure
    .input(z.object({ projectId: entityId }))
    .query(({ ctx, input }) => ctx.services.experiments.list(input.projectId)),
} satisfies TRPCRouterRecord;
