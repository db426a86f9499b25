import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRetraceClient } from '@retrace/client';
import { removeDataDir, startServer } from '@retrace/server/server-process';
import autocannon from 'autocannon';
import { withLoadApart } from './cpus';
import { finishRuns, notePlan } from './runs';
import { alternate, type Figure, figure, repeat, spread } from './stats';

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 5);
const RUNS = 20;

/** A bare node:http server answering each path with the body the real server gave for it. */
async function startBareServer(
  dir: string,
  bodies: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const file = join(dir, 'bare-server.mjs');
  writeFileSync(
    file,
    `import { createServer } from 'node:http';
const bodies = new Map(Object.entries(${JSON.stringify(bodies)}));
const server = createServer((req, res) => {
  const body = bodies.get(req.url);
  res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
  res.end(body ?? '{}');
});
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
`,
  );
  const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) =>
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(String(chunk));
      if (match?.[1]) resolve(match[1]);
    }),
  );
  return { url: `http://127.0.0.1:${port}`, child };
}

async function load(
  url: string,
  headers: Record<string, string> = {},
  /** Each request's path, when every request should differ. */
  pathOf?: (n: number) => string,
): Promise<{ rps: number; p99: number }> {
  let n = 0;
  const requests = pathOf ? [{ setupRequest: (req: object) => ({ ...req, path: pathOf(n++) }) }] : undefined;
  const result = await autocannon({
    url,
    headers,
    connections: CONNECTIONS,
    duration: SECONDS,
    ...(requests ? { requests } : {}),
  });
  if (result.errors > 0 || result.non2xx > 0)
    throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx answers under load`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

/**
 * runs.get and runs.list over HTTP (the real server: Hono, tRPC, libSQL, a project of 20
 * finished runs) at concurrency 32, against a bare node:http server returning the same JSON.
 */
export async function benchApi(): Promise<Figure[]> {
  const server = await startServer({ env: { RETRACE_MAX_CONCURRENCY: '4' } });
  const dir = mkdtempSync(join(tmpdir(), 'retrace-bench-api-'));
  let bare: ChildProcess | null = null;
  try {
    const client = createRetraceClient({ url: server.url });
    const project = await client.projects.create.mutate({ name: 'bench-api' });
    const runs = await finishRuns(
      client,
      project.id,
      Array.from({ length: RUNS }, (_, i) => notePlan(i)),
    );
    const target = runs[Math.floor(RUNS / 2)];
    if (!target) throw new Error('no run to read');
    const inputs = {
      'runs.get': { id: target.id },
      'runs.list': { projectId: project.id, limit: 20 },
    };
    const pathOf = (name: keyof typeof inputs, extra: object = {}) =>
      `/trpc/${name}?input=${encodeURIComponent(JSON.stringify({ ...inputs[name], ...extra }))}`;
    const paths = { 'runs.get': pathOf('runs.get'), 'runs.list': pathOf('runs.list') };
    // The real server asks for its token, as after `npm start`; the bare one ignores it.
    const headers = { authorization: `Bearer ${server.token}` };
    const bodies: Record<string, string> = {};
    for (const path of Object.values(paths)) {
      const res = await fetch(`${server.url}${path}`, { headers });
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
      bodies[path] = await res.text();
    }
    const started = await startBareServer(dir, bodies);
    bare = started.child;

    const figures: Figure[] = [];
    // Issue 14's floors: a typed route within reach of a bare server.
    const floors: Record<string, number> = { 'runs.get': 0.25, 'runs.list': 0.15 };
    const pids = [server.child.pid, started.child.pid].filter((pid) => pid !== undefined);
    const { placement } = await withLoadApart(pids, async () => {
      for (const [name, path] of Object.entries(paths)) {
        const floorRatio = floors[name] ?? 0;
        const { measured: real, baseline: floor } = await alternate(
          3,
          () => load(`${server.url}${path}`, headers),
          () => load(`${started.url}${path}`, headers),
        );
        const size = `${(Buffer.byteLength(bodies[path] ?? '') / 1024).toFixed(1)} KB`;
        figures.push(
          figure(
            'API',
            `${name} requests/s, ${CONNECTIONS} connections (${size} answer)`,
            'req/s',
            spread(real.map((r) => r.rps)),
            { label: 'bare node:http, same JSON', value: spread(floor.map((r) => r.rps)) },
            { text: `≥ ${floorRatio} of bare`, met: (_, ratio) => ratio !== null && ratio >= floorRatio },
            'the database is unchanged under this load: the answer is kept (until a write lands) and served again',
          ),
          figure(
            'API',
            `${name} p99 latency, ${CONNECTIONS} connections`,
            'ms',
            spread(real.map((r) => r.p99)),
            { label: 'bare node:http, same JSON', value: spread(floor.map((r) => r.p99)) },
            name === 'runs.get' ? { text: '≤ 10 ms', met: (value) => value.median <= 10 } : null,
          ),
        );
        // The same read with an input no request repeats (a key the input ignores): every answer
        // is computed, as while a run writes, so the cost below the kept answers stays in view.
        const computed = await repeat(3, () =>
          load(server.url, headers, (n) => pathOf(name as keyof typeof inputs, { uncached: n })),
        );
        figures.push(
          figure(
            'API',
            `${name} requests/s, each answer computed (no answer kept)`,
            'req/s',
            spread(computed.map((r) => r.rps)),
            { label: 'bare node:http, same JSON', value: spread(floor.map((r) => r.rps)) },
            null,
            'each request adds a key its input ignores, so no two are alike: tRPC, the query, its mapping and JSON every time',
          ),
        );
      }
    });
    // Where each side ran, and in which order: the same for every figure above.
    for (const each of figures)
      each.note = [each.note, placement, 'ours and bare in turns'].filter(Boolean).join('; ');
    return figures;
  } finally {
    bare?.kill();
    await server.stop();
    removeDataDir(server.dataDir);
    rmSync(dir, { recursive: true, force: true });
  }
}
