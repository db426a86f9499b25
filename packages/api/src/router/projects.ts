import { DEFAULT_BASE_PROMPT } from '@retrace/protocol';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { LIMITS } from '../services/limits';
import { databaseQuery, publicProcedure } from '../trpc';
import { entityId, nameText, optionalText } from './inputs';

const projectFields = z.object({
  name: nameText(LIMITS.nameLength).transform((name) => name.trim()),
  basePrompt: optionalText(LIMITS.basePromptLength).transform((v) => v ?? undefined),
  sourceRepo: optionalText(LIMITS.sourceRepoLength),
  verifyCommand: optionalText(LIMITS.commandLength),
  /** Run without Codex's sandbox: commands may write anywhere and reach the network. */
  fullAccess: z.boolean().optional(),
});

export const projectsRouter = {
  create: publicProcedure
    .input(projectFields)
    .mutation(({ ctx, input }) => ctx.services.projects.create(input)),
  list: databaseQuery.query(({ ctx }) => ctx.services.projects.list()),
  get: databaseQuery
    .input(z.object({ id: entityId }))
    .query(({ ctx, input }) => ctx.services.projects.get(input.id)),
  update: publicProcedure
    .input(
      projectFields.partial().extend({
        id: entityId,
        /** Emptied, it is the default again (as a new project's); left out, it stays as it is. */
        basePrompt: optionalText(LIMITS.basePromptLength).transform((v) =>
          v === null ? DEFAULT_BASE_PROMPT : v,
        ),
      }),
    )
    .mutation(({ ctx, input: { id, ...fields } }) => ctx.services.projects.update(id, fields)),
  delete: publicProcedure
    .input(z.object({ id: entityId }))
    .mutation(({ ctx, input }) => ctx.services.removal.project(input.id)),
} satisfies TRPCRouterRecord;
