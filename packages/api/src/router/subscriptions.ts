import { type TRPCRouterRecord, tracked } from '@trpc/server';
import { z } from 'zod';
import type { RunEvent } from '../events';
import { publicProcedure } from '../trpc';
import { entityId, lastEventId } from './inputs';

const follow = z.object({ id: entityId, lastEventId });

/** Each event with its id as the cursor a reconnecting client resumes from. */
async function* withCursors(events: AsyncIterable<RunEvent>) {
  for await (const event of events) yield tracked(String(event.id), event);
}

export const subscriptionsRouter = {
  /** Every event of a run in order: the stored ones after `lastEventId`, then live ones, ending after the last. */
  run: publicProcedure.input(follow).subscription(async function* ({ ctx, input, signal }) {
    await ctx.services.runs.row(input.id);
    yield* withCursors(ctx.services.events.followRun(input.id, input.lastEventId, signal ?? neverAborted()));
  }),
  /** Run created and status changed events of a project's runs, for live run lists. */
  project: publicProcedure.input(follow).subscription(async function* ({ ctx, input, signal }) {
    await ctx.services.projects.row(input.id);
    yield* withCursors(
      ctx.services.events.followProject(input.id, input.lastEventId, signal ?? neverAborted()),
    );
  }),
} satisfies TRPCRouterRecord;

function neverAborted(): AbortSignal {
  return new AbortController().signal;
}
