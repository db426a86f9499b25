import { branchRequestSchema, RunnerError, removeWorkspacesSchema, runInputSchema } from '@retrace/protocol';
import { initTRPC, TRPCError, tracked } from '@trpc/server';
import { z } from 'zod';
import type { Runner } from './runner';

export interface RunnerContext {
  runner: Runner;
}

const t = initTRPC.context<RunnerContext>().create({
  sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 20_000 } },
});

const TRPC_CODE = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const satisfies Record<RunnerError['code'], TRPCError['code']>;

/** The runner's own errors cross HTTP with their code; the HTTP client turns them back into RunnerErrors. */
function asTRPCError(error: unknown): unknown {
  return error instanceof RunnerError
    ? new TRPCError({ code: TRPC_CODE[error.code], message: error.message, cause: error })
    : error;
}

/** The runner's own typed router: never merged into the AppRouter, reachable in process or over HTTP. */
export const runnerRouter = t.router({
  /** Starts the run (or attaches to it) and streams its events, resuming after `lastEventId`. */
  run: t.procedure
    .input(runInputSchema.extend({ lastEventId: z.string().regex(/^\d+$/).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const { lastEventId, ...runInput } = input;
      try {
        // Resuming means the run exists: after a runner restart, starting it again would run it twice.
        if (!lastEventId) ctx.runner.start(runInput);
        for await (const event of ctx.runner.follow(runInput.runId, Number(lastEventId ?? 0), signal)) {
          yield tracked(event.id, event.event);
        }
      } catch (error) {
        throw asTRPCError(error);
      }
    }),
  /** The follower has taken the run's events through `throughEventId`: the runner may let them go. */
  release: t.procedure
    .input(z.object({ runId: z.string().min(1), throughEventId: z.number().int().nonnegative() }))
    .mutation(({ ctx, input }) => ctx.runner.release(input.runId, input.throughEventId)),
  cancel: t.procedure
    .input(z.object({ runId: z.string().min(1) }))
    .mutation(({ ctx, input }) => ({ canceled: ctx.runner.cancel(input.runId, 'canceled by user') })),
  health: t.procedure.query(({ ctx }) => ctx.runner.health()),
  removeWorkspaces: t.procedure.input(removeWorkspacesSchema).mutation(async ({ ctx, input }) => {
    try {
      return await ctx.runner.removeWorkspaces(input);
    } catch (error) {
      throw asTRPCError(error);
    }
  }),
  toBranch: t.procedure.input(branchRequestSchema).mutation(async ({ ctx, input }) => {
    try {
      return await ctx.runner.toBranch(input);
    } catch (error) {
      throw asTRPCError(error);
    }
  }),
});

export type RunnerRouter = typeof runnerRouter;
