import { initTRPC, TRPCError, tracked } from '@trpc/server';
import { z } from 'zod';
import { runInputSchema } from './contract';
import { RunNotFoundError, type Runner } from './runner';

export interface RunnerContext {
  runner: Runner;
}

const t = initTRPC.context<RunnerContext>().create({
  sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 20_000 } },
});

/** The runner's own typed router: never merged into the AppRouter, reachable in process or over HTTP. */
export const runnerRouter = t.router({
  /** Starts the run (or attaches to it) and streams its events, resuming after `lastEventId`. */
  run: t.procedure
    .input(runInputSchema.extend({ lastEventId: z.string().regex(/^\d+$/).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const { lastEventId, ...runInput } = input;
      if (lastEventId && !ctx.runner.has(runInput.runId)) {
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: `the runner does not know run ${runInput.runId} (it may have restarted)`,
        });
      }
      ctx.runner.start(runInput);
      try {
        for await (const event of ctx.runner.follow(runInput.runId, Number(lastEventId ?? 0), signal)) {
          yield tracked(event.id, event.event);
        }
      } catch (error) {
        if (error instanceof RunNotFoundError)
          throw new TRPCError({ code: 'NOT_FOUND', message: error.message });
        throw error;
      }
    }),
  cancel: t.procedure
    .input(z.object({ runId: z.string().min(1) }))
    .mutation(({ ctx, input }) => ({ canceled: ctx.runner.cancel(input.runId, 'canceled by user') })),
  health: t.procedure.query(({ ctx }) => ctx.runner.health()),
});

export type RunnerRouter = typeof runnerRouter;
