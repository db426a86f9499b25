import { once } from 'node:events';
import { type Api, describeError, type RunEvent } from '@retrace/api';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { stream, streamSSE } from 'hono/streaming';
import { type AnswerCache, readsDatabaseOnly } from './answer-cache';
import { internalErrorMessage } from './edge/errors';

/** The same message and field issues the tRPC error formatter gives. */
function errorBody(error: TRPCError) {
  return { error: { code: error.code, ...describeError(error) } };
}

async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'body: must be JSON' });
  }
}

/**
 * The seed's plain HTTP routes, for curl users. Each calls the same tRPC procedure the
 * typed client does, so validation and errors are the same.
 */
export function createRestRoutes(api: Api, answers?: AnswerCache) {
  const app = new Hono();
  const { caller } = api;
  const procedures = api.router._def.procedures as Record<string, unknown>;

  /**
   * Before a GET whose procedure reads the database only: while the database is unchanged,
   * the same URL is answered with what it answered last (as the tRPC query path does).
   */
  const kept = (procedure: string): MiddlewareHandler => {
    if (!answers || !readsDatabaseOnly(procedures[procedure])) return (_c, next) => next();
    return async (c, next) => {
      const key = `rest ${c.req.url}`;
      const version = answers.version();
      const body = answers.get(key, version);
      if (body !== undefined) return c.body(body, 200, { 'content-type': 'application/json' });
      await next();
      if (c.res.status === 200) answers.set(key, version, await c.res.clone().text());
    };
  };

  app.onError((error, c) => {
    if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
      return c.json(errorBody(error), getHTTPStatusCodeFromError(error) as 400);
    }
    const cause = error instanceof TRPCError ? (error.cause ?? error) : error;
    console.error(`${c.req.method} ${c.req.path}:`, cause);
    const message = internalErrorMessage(`${c.req.method} ${c.req.path}`, cause);
    return c.json({ error: { code: 'INTERNAL_SERVER_ERROR', message } }, 500);
  });

  app.get('/projects', kept('projects.list'), async (c) => c.json(await caller.projects.list()));
  app.post('/projects', async (c) => c.json(await caller.projects.create((await readJson(c)) as never), 201));
  app.get('/projects/:id', kept('projects.get'), async (c) =>
    c.json(await caller.projects.get({ id: c.req.param('id') })),
  );
  app.delete('/projects/:id', async (c) => c.json(await caller.projects.delete({ id: c.req.param('id') })));
  app.get('/projects/:id/runs', kept('runs.list'), async (c) =>
    c.json(
      await caller.runs.list({
        projectId: c.req.param('id'),
        ...(c.req.query('status') ? { status: c.req.query('status') as never } : {}),
        ...(c.req.query('q') ? { query: c.req.query('q') } : {}),
        ...(c.req.query('cursor') ? { cursor: Number(c.req.query('cursor')) } : {}),
        ...(c.req.query('limit') ? { limit: Number(c.req.query('limit')) } : {}),
      }),
    ),
  );
  app.post('/projects/:id/runs', async (c) => {
    const body = await readJson(c);
    const fields = body && typeof body === 'object' ? body : {};
    return c.json(
      await caller.runs.create({ ...(fields as { prompt: string }), projectId: c.req.param('id') }),
      201,
    );
  });

  app.get('/runs/:id', kept('runs.get'), async (c) =>
    c.json(await caller.runs.get({ id: c.req.param('id') })),
  );
  app.delete('/runs/:id', async (c) => c.json(await caller.runs.delete({ id: c.req.param('id') })));
  app.post('/runs/:id/cancel', async (c) => c.json(await caller.runs.cancel({ id: c.req.param('id') })));
  app.post('/runs/:id/retry', async (c) => c.json(await caller.runs.retry({ id: c.req.param('id') }), 201));
  app.post('/runs/:id/branch', async (c) => {
    const body = await readJson(c);
    const fields = body && typeof body === 'object' ? body : {};
    return c.json(await caller.runs.toBranch({ ...(fields as object), id: c.req.param('id') }), 201);
  });
  app.get('/runs/:id/steps', kept('runs.steps'), async (c) =>
    c.json(
      await caller.runs.steps({
        id: c.req.param('id'),
        ...(c.req.query('afterSeq') ? { afterSeq: Number(c.req.query('afterSeq')) } : {}),
        ...(c.req.query('limit') ? { limit: Number(c.req.query('limit')) } : {}),
      }),
    ),
  );
  app.get('/runs/:id/diff', async (c) => {
    const diff = await caller.runs.diff({ id: c.req.param('id') });
    if (c.req.query('format') === 'patch') {
      return c.text(diff ? diff.files.map((f) => f.patch).join('') : '', 200, {
        'content-type': 'text/x-diff; charset=utf-8',
      });
    }
    return c.json(diff);
  });
  app.get('/runs/:id/pattern', async (c) => c.json(await caller.patterns.forRun({ id: c.req.param('id') })));
  app.get('/runs/:id/artifacts', kept('runs.artifacts'), async (c) =>
    c.json(await caller.runs.artifacts({ id: c.req.param('id') })),
  );

  app.get('/runs/:id/artifacts/:name', async (c) => {
    const artifact = await api.services.runs.findArtifact(c.req.param('id'), c.req.param('name'));
    const file = api.services.artifacts.open(artifact.storagePath);
    try {
      // Opened before answering: a file gone from the store is a 404, not an empty 200.
      await once(file, 'open');
    } catch (error) {
      file.destroy();
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return c.json(
        {
          error: {
            code: 'NOT_FOUND',
            message: `artifact ${artifact.runId}/${artifact.name}: its file is no longer in the server's artifact store`,
          },
        },
        404,
      );
    }
    c.header('content-type', artifact.contentType);
    c.header('content-disposition', `attachment; filename="${artifact.name}"`);
    return stream(c, async (out) => {
      for await (const chunk of file) await out.write(chunk as Uint8Array);
    });
  });

  /** Server-Sent Events: `id` is the event id, so EventSource resumes with Last-Event-ID. */
  app.get('/runs/:id/stream', async (c) => {
    const id = c.req.param('id');
    await caller.runs.get({ id });
    const after = c.req.header('last-event-id') ?? c.req.query('lastEventId') ?? null;
    // The subscription hears the client leave: it stops waiting for events at once.
    const abort = new AbortController();
    const events = await api.callerUntil(abort.signal).subscriptions.run({ id, lastEventId: after });
    return streamSSE(c, async (sse) => {
      sse.onAbort(() => abort.abort());
      const iterator = events[Symbol.asyncIterator]();
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        // A server-side caller yields tracked() envelopes as they are, [id, data, marker], though
        // its type says { id, data } (what a client receives).
        const [eventId, event] = next.value as unknown as [string, RunEvent];
        await sse.writeSSE({ id: eventId, event: event.type, data: JSON.stringify(event) });
      }
      await sse.writeSSE({ event: 'end', data: '{}' });
    });
  });

  return app;
}
