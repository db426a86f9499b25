import type { TRPCRouterRecord } from '@trpc/server';
import { publicProcedure } from '../trpc';

export const systemRouter = {
  /** What this server is running with: the UI says plainly when the model is the offline simulator. */
  info: publicProcedure.query(async ({ ctx }) => {
    const { system, queue, runner } = ctx.services;
    const health = await runner.health().catch((error: unknown) => ({
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    }));
    return {
      version: system.version,
      modelMode: system.modelMode,
      remoteRunner: system.remoteRunner,
      maxConcurrency: system.maxConcurrency,
      runningRuns: queue.runningIds().length,
      queuedRuns: queue.waitingIds().length,
      runner: health,
    };
  }),
} satisfies TRPCRouterRecord;
