import { holdDataVersion } from '@retrace/db';
import { appRouter, createCaller } from './root';
import { createServices, type ServicesOptions } from './services/index';
import type { ApiContext } from './trpc';

export type CreateApiOptions = ServicesOptions;

/**
 * The API: services over the database, the artifact store and a runner, and the tRPC
 * router on top. `start()` recovers runs a previous process left behind; `stop()` cancels
 * running runs and records them as canceled.
 */
export function createApi(options: CreateApiOptions) {
  const services = createServices(options);
  const context: ApiContext = { services };
  let stopping = false;

  return {
    router: appRouter,
    services,
    createContext: (): ApiContext => context,
    /**
     * A number that changes whenever the database does (null when that cannot be told): the
     * answers of `readsDatabaseOnly` queries hold while it is unchanged.
     */
    databaseVersion: holdDataVersion(options.db),
    /** A server-side caller: the REST routes and tests use the very procedures the client does. */
    caller: createCaller(context),
    /** A caller whose subscriptions end when `signal` aborts (a REST client that went away). */
    callerUntil: (signal: AbortSignal) => createCaller(context, { signal }),
    start: () => services.runs.recover(),
    async stop(reason = 'canceled: server stopped'): Promise<void> {
      if (stopping) return;
      stopping = true;
      const running = services.executor.activeIds();
      const paused = services.queue.pause();
      await Promise.all(running.map((id) => services.executor.cancel(id, reason)));
      await paused;
      // Whoever follows a run that just ended hears its final status before the server goes.
      await services.events.unfollowed(running, 5_000);
    },
  };
}

export type Api = ReturnType<typeof createApi>;
