import { randomUUID } from 'node:crypto';
import { trpcServer } from '@hono/trpc-server';
import { bearerToken, sameSecret } from '@retrace/config';
import {
  chatMessageSchema,
  contextVariablesSchema,
  describeIssues,
  RunnerError,
  type RunResult,
} from '@retrace/protocol';
import { type Runner, runnerRouter } from '@retrace/runner';
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';

const seedRunSchema = z.object({
  messages: z.array(chatMessageSchema).min(1, 'must hold at least the user message'),
  context_variables: contextVariablesSchema.extend({ workspace: z.string().min(1, 'must not be empty') }),
});

export interface RunnerAppOptions {
  runner: Runner;
  /** RETRACE_RUNNER_SECRET: every route but /healthz needs `Authorization: Bearer <secret>`. */
  secret?: string | undefined;
}

/** The runner over HTTP: its typed router at /trpc, the seed's POST /run for curl users, /healthz. */
export function createRunnerApp({ runner, secret }: RunnerAppOptions) {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.use('*', async (c, next) => {
    if (!secret) return next();
    const given = bearerToken(c.req.header('authorization'));
    if (!given || !sameSecret(given, secret)) {
      return c.json({ error: 'unauthorized: send "Authorization: Bearer <RETRACE_RUNNER_SECRET>"' }, 401);
    }
    return next();
  });
  app.use(
    '/trpc/*',
    trpcServer({ endpoint: '/trpc', router: runnerRouter, createContext: () => ({ runner }) }),
  );

  app.post('/run', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'body: must be JSON' }, 400);
    }
    const parsed = seedRunSchema.safeParse(body);
    if (!parsed.success) {
      return c.json({ error: describeIssues(parsed.error.issues, 'body') }, 400);
    }
    const { messages, context_variables: context } = parsed.data;
    const last = messages.at(-1);
    if (last?.role !== 'user' || last.content.trim() === '') {
      return c.json({ error: 'messages: the last message must be a non-empty user message (the task)' }, 400);
    }
    const runId = `seed-${randomUUID()}`;
    try {
      const workspace = await runner.resolveWorkspace(context.workspace);
      runner.start({
        runId,
        projectId: 'seed',
        workspace: { kind: 'path', path: workspace },
        prompt: last.content,
        messages: messages.slice(0, -1),
        context: {
          base_prompt: context.base_prompt,
          pattern_block: context.pattern_block,
          profile: context.profile,
        },
      });
    } catch (error) {
      // A workspace another run is using: 409, like the typed router's CONFLICT.
      const status = error instanceof RunnerError && error.code === 'CONFLICT' ? 409 : 400;
      return c.json({ error: (error as Error).message }, status);
    }
    const abort = new AbortController();
    c.req.raw.signal.addEventListener('abort', () => {
      abort.abort();
      runner.cancel(runId, 'canceled: the client went away');
    });

    const wantsStream =
      c.req.query('stream') === '1' || (c.req.header('accept') ?? '').includes('application/x-ndjson');
    if (wantsStream) {
      c.header('content-type', 'application/x-ndjson; charset=utf-8');
      return stream(c, async (out) => {
        for await (const { id, event } of runner.follow(runId, 0, abort.signal)) {
          await out.write(`${JSON.stringify({ id, ...event })}\n`);
        }
      });
    }
    let result: RunResult | null = null;
    for await (const { event } of runner.follow(runId, 0, abort.signal)) {
      if (event.type === 'result') result = event.result;
    }
    if (!result) return c.json({ error: 'the run ended without a result' }, 500);
    const { workspacePath, ...rest } = result;
    return c.json({ runId, ...rest, workspace: workspacePath });
  });
  return app;
}
