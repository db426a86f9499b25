import {
  type AnyTRPCRouter,
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  transformTRPCResponse,
} from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type AnswerCache, readsDatabaseOnly } from './answer-cache';

export interface QueryOptions<Router extends AnyTRPCRouter> {
  router: Router;
  /** The tRPC endpoint, e.g. `/trpc`. */
  endpoint: string;
  createContext: () => object;
  /** Called with each error before it is answered, as tRPC's handler calls its own. */
  onError?: (opts: { error: ReturnType<typeof getTRPCErrorFromUnknown>; path: string }) => void;
  /** Where the successful answers of `readsDatabaseOnly` queries are kept. */
  answers?: AnswerCache | undefined;
}

interface ProcedureDef {
  _def?: { type?: string };
}

/**
 * One tRPC query over GET (`/trpc/runs.get?input={…}`, what curl, scripts and the benches
 * send), answered by calling the procedure and writing tRPC's own envelope with tRPC's own
 * functions. tRPC's fetch handler builds a Request, a Response, two AbortSignals and its
 * batching and streaming machinery for each call, about ten times what a bare answer costs;
 * a query needs none of it. Anything else (a batch, a stream, a mutation or subscription,
 * a path that is no query, an input that is no JSON) goes on to tRPC's handler unchanged.
 */
export function trpcQueries<Router extends AnyTRPCRouter>({
  router,
  endpoint,
  createContext,
  onError,
  answers,
}: QueryOptions<Router>): MiddlewareHandler {
  const config = router._def._config;
  const prefix = `${endpoint}/`;
  return async (c, next) => {
    if (c.req.method !== 'GET' || wantsStream((name) => c.req.header(name))) return next();
    const path = decodeURIComponent(c.req.path.slice(prefix.length));
    const procedure = router._def.procedures[path] as ProcedureDef | undefined;
    if (procedure?._def?.type !== 'query') return next();
    const answer = (text: string, status: ContentfulStatusCode) =>
      // A plain record of headers goes to node:http as it is, with no Headers object built.
      c.body(text, status, { 'content-type': 'application/json', vary: 'trpc-accept, accept' });
    // Keyed by the URL as sent, looked up before its query is even parsed: the same input
    // spelt otherwise is only computed again. A batch is never filed (below), so a batch's
    // URL finds nothing.
    const cache = answers && readsDatabaseOnly(procedure) ? answers : undefined;
    const key = `trpc ${c.req.url}`;
    const version = cache?.version() ?? 0;
    const kept = cache?.get(key, version);
    if (kept !== undefined) return answer(kept, 200);
    // Parsed once: each c.req.query(name) scans the URL again.
    const query = c.req.query();
    if (query.batch !== undefined) return next();
    const rawInput = query.input;
    let input: unknown;
    try {
      input = rawInput === undefined ? undefined : config.transformer.input.deserialize(JSON.parse(rawInput));
    } catch {
      return next();
    }
    const ctx = createContext();
    let body: unknown;
    let status: ContentfulStatusCode = 200;
    try {
      const data = await callTRPCProcedure({
        router,
        path,
        getRawInput: async () => input,
        ctx,
        type: 'query',
        signal: undefined,
        batchIndex: 0,
      });
      body = { result: { data } };
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      onError?.({ error, path });
      body = { error: getTRPCErrorShape({ config, ctx, error, input, path, type: 'query' }) };
      status = getHTTPStatusCodeFromError(error) as ContentfulStatusCode;
    }
    const text = JSON.stringify(transformTRPCResponse(config, body as never));
    if (status === 200) cache?.set(key, version, text);
    return answer(text, status);
  };
}

/** What tRPC answers as a stream (`httpBatchStreamLink`): JSON lines. */
function wantsStream(header: (name: string) => string | undefined): boolean {
  const accept = header('trpc-accept') ?? header('accept');
  return accept?.split(',').some((type) => type.trim() === 'application/jsonl') ?? false;
}
