import { type TRPCRouterRecord, tracked } from '@trpc/server';
import { z } from 'zod';
import { publicProcedure } from '../trpc';
import { entityId, lastEventId } from './inputs';

export const subscriptionsRouter = {
  /** Every event of a run in order: the stored ones after `lastEventId`, then live ones, ending after the last. */
  run: publicProcedure.input(z.object({ id: entityId, lastEventId })).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    await ctx.services.runs.row(input.id);
    for await (const event of ctx.services.events.followRun(
      input.id,
      input.lastEventId,
      signal ?? neverAborted(),
    )) {
      yield tracked(String(event.id), event);
    }
  }),
  /** Run created and status changed events of a project's runs, for live run lists. */
  project: publicProcedure.input(z.object({ id: entityId, lastEventId })).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    await ctx.services.projects.row(input.id);
    for await (const event of ctx.services.events.followProject(
      input.id,
      input.lastEventId,
      signal ?? neverAborted(),
    )) {
      yield tracked(String(event.id), event);
    }
  }),
} satisfies TRPCRouterRecord;

function neverAborted(): AbortSignal {
  return new AbortController().signal;
}
