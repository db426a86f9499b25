import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { type ChatRequest, chatCompletion, chatCompletionStream } from './chat';
import { type ResponsesRequest, respond } from './responses';

export const AGENT_MODEL = 'retrace-offline-agent';
export const CODEX_MODEL = 'retrace-offline-codex';

const ABOUT =
  'Retrace\'s offline model: a deterministic simulator that stands in for OpenAI\'s models when no API key is set. It is not an LLM. It follows plans written in prompts (run: <command>, create <path>:, edit <path>: replace "a" with "b", delete <path>, fail: <reason>) and replays an injected <reference_workflow> when asked to repeat it.';

export interface RecordedRequest {
  id: number;
  endpoint: string;
  receivedAt: number;
  body: unknown;
}

const MAX_RECORDED = 500;

function badRequest(message: string) {
  return { error: { message, type: 'invalid_request_error', param: null, code: null } };
}

/** The offline model's HTTP routes (OpenAI-compatible), plus a debug view of what it was asked. */
export function createOfflineModelApp() {
  const recorded: RecordedRequest[] = [];
  let nextId = 1;
  const record = (endpoint: string, body: unknown) => {
    recorded.push({ id: nextId++, endpoint, receivedAt: Date.now(), body });
    if (recorded.length > MAX_RECORDED) recorded.splice(0, recorded.length - MAX_RECORDED);
  };
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    c.header('x-retrace-offline-model', 'simulator; not an LLM');
  });

  async function json(c: { req: { json: () => Promise<unknown> } }): Promise<Record<string, unknown> | null> {
    try {
      const body = await c.req.json();
      return body && typeof body === 'object' && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : null;
    } catch {
      return null;
    }
  }

  app.get('/', (c) => c.text(ABOUT));
  app.get('/v1/models', (c) =>
    c.json({
      object: 'list',
      data: [AGENT_MODEL, CODEX_MODEL].map((id) => ({
        id,
        object: 'model',
        created: 0,
        owned_by: 'retrace-offline-simulator',
      })),
    }),
  );

  app.post('/v1/chat/completions', async (c) => {
    const body = await json(c);
    if (!body) return c.json(badRequest('the body must be a JSON object'), 400);
    if (!Array.isArray(body.messages)) return c.json(badRequest('messages: must be an array'), 400);
    record('/v1/chat/completions', body);
    const request = body as ChatRequest;
    if (request.stream) {
      return c.body(chatCompletionStream(request), 200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
      });
    }
    return c.json(chatCompletion(request));
  });

  app.post('/v1/responses', async (c) => {
    const body = await json(c);
    if (!body) return c.json(badRequest('the body must be a JSON object'), 400);
    if (!Array.isArray(body.input) && typeof body.input !== 'string')
      return c.json(badRequest('input: must be an array or a string'), 400);
    record('/v1/responses', body);
    return c.body(respond(body as ResponsesRequest), 200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
    });
  });

  app.get('/debug/requests', (c) => c.json({ requests: recorded }));
  app.delete('/debug/requests', (c) => {
    recorded.length = 0;
    return c.json({ ok: true });
  });
  app.notFound((c) => c.json(badRequest(`no route ${c.req.method} ${c.req.path}`), 404));

  return { app, requests: () => [...recorded], clearRequests: () => void recorded.splice(0) };
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost)$/;

export interface OfflineModel {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + /v1, what an OpenAI client takes as its base URL. */
  baseURL: string;
  requests(): RecordedRequest[];
  clearRequests(): void;
  close(): Promise<void>;
}

/** Starts the offline model on loopback (it refuses any other address). */
export async function startOfflineModel(
  options: { host?: string; port?: number } = {},
): Promise<OfflineModel> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.test(host)) throw new Error(`the offline model only listens on loopback, not on ${host}`);
  const { app, requests, clearRequests } = createOfflineModelApp();
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 0 }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    requests,
    clearRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
