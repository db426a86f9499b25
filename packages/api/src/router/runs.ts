import { REVIEW_VERDICTS, RUN_STATUSES } from '@retrace/db';
import { PROFILES } from '@retrace/protocol';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { LIMITS } from '../services/limits';
import { databaseQuery, publicProcedure } from '../trpc';
import { entityId, optionalText, pageLimit, requiredText } from './inputs';

const byId = z.object({ id: entityId });

export const runsRouter = {
  create: publicProcedure
    .input(
      z.object({
        projectId: entityId,
        prompt: requiredText(LIMITS.promptLength),
        learnFromRunId: entityId.nullish(),
        learnFromRunIds: z
          .array(entityId)
          .min(1, 'name at least one run')
          .max(LIMITS.patternSources)
          .nullish(),
        autoLearn: z.boolean().optional(),
        fromRunId: entityId.nullish(),
        profile: z.enum(PROFILES).optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.runs.create(input)),
  list: databaseQuery
    .input(
      z.object({
        projectId: entityId,
        status: z.enum(RUN_STATUSES).optional(),
        /** Words the prompt holds; a search that matches nothing is an empty page. */
        query: optionalText(LIMITS.searchLength),
        cursor: z.number().int().positive().nullish(),
        limit: pageLimit(LIMITS.pageSize, 20),
      }),
    )
    .query(({ ctx, input }) => ctx.services.runs.list(input)),
  get: databaseQuery.input(byId).query(({ ctx, input }) => ctx.services.runs.get(input.id)),
  steps: databaseQuery
    .input(
      z.object({
        id: entityId,
        afterSeq: z.number().int().min(0).optional(),
        /** Page backward: the last steps before this seq, or before the end (a finished run's tail). */
        beforeSeq: z.union([z.number().int().min(1), z.literal('end')]).optional(),
        limit: pageLimit(1000, 200),
      }),
    )
    .query(({ ctx, input }) => ctx.services.runs.listSteps(input)),
  diff: publicProcedure.input(byId).query(({ ctx, input }) => ctx.services.runs.diff(input.id)),
  artifacts: databaseQuery.input(byId).query(({ ctx, input }) => ctx.services.runs.listArtifacts(input.id)),
  cancel: publicProcedure.input(byId).mutation(({ ctx, input }) => ctx.services.runs.cancel(input.id)),
  retry: publicProcedure.input(byId).mutation(({ ctx, input }) => ctx.services.runs.retry(input.id)),
  /** Deletes an ended run with its steps, events, artifacts and workspace; CONFLICT while it is active. */
  delete: publicProcedure.input(byId).mutation(({ ctx, input }) => ctx.services.removal.run(input.id)),
  /** The ended run's change as one commit on a new branch of its project's local source repository. */
  toBranch: publicProcedure
    .input(
      z.object({
        id: entityId,
        branch: optionalText(LIMITS.branchNameLength).optional(),
        /** Also push the branch to the source repository's origin. */
        push: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.branches.toBranch(input.id, input)),
  /** A person's verdict on an ended run: counted in its pattern's record; autoLearn trusts approved runs. */
  review: publicProcedure
    .input(
      z.object({
        id: entityId,
        verdict: z.enum(REVIEW_VERDICTS),
        note: optionalText(LIMITS.noteLength).optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.runs.review(input.id, input.verdict, input.note ?? null)),
} satisfies TRPCRouterRecord;
