import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app';
import { sessionCookieName, sessionValue } from './auth';
import { send } from './e2e/edge-http';
import { createSecuredServer } from './edge/headers';
import { createInProcessApi } from './test/in-process-api';

let dir: string;
let app: ReturnType<typeof createApp>;
let open: ReturnType<typeof createApp>;
const TOKEN = 'a-token-that-is-long-enough';
const ORIGIN = 'http://127.0.0.1:8787';
const bearer = { authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'retrace-app-'));
  const api = await createInProcessApi(dir);
  const edge = { api, webDist: join(dir, 'no-web-build'), port: () => 8787 };
  app = createApp({
    ...edge,
    token: TOKEN,
    publicUrl: new URL('https://retrace.example'),
    maxBodyBytes: 4096,
  });
  // RETRACE_AUTH=none: every browser-origin defence still holds.
  open = createApp({ ...edge, token: null });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A request as it reaches the server at 127.0.0.1:8787 (a full URL gives app.request its Host). */
const request = (path: string, init?: RequestInit, target = app) => target.request(`${ORIGIN}${path}`, init);
const postJson = (path: string, body: unknown, headers: Record<string, string> = {}, target = app) =>
  request(
    path,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer, ...headers },
      body: JSON.stringify(body),
    },
    target,
  );
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string } }).error;

describe('the token', () => {
  it('leaves /healthz open, to anyone under any Host', async () => {
    const res = await app.request('http://rebind.attacker.example:8787/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it.each([
    '/trpc/projects.list',
    '/api/projects',
    '/api/runs/x/stream',
    '/api/runs/x/artifacts/codex.jsonl',
    '/',
    '/ui/runs/x',
  ])('guards %s', async (path) => {
    expect((await request(path)).status).toBe(401);
    expect(
      (await request(path, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status,
    ).toBe(401);
    expect((await request(`${path}${path.includes('?') ? '&' : '?'}token=wrong`)).status).toBe(401);
    // The raw token is no cookie: only the session value derived from it is.
    expect((await request(path, { headers: { cookie: `${sessionCookieName(8787)}=${TOKEN}` } })).status).toBe(
      401,
    );
  });

  it('accepts the bearer header, and ?token= on the API for curl, EventSource and downloads', async () => {
    expect((await request('/api/projects', { headers: bearer })).status).toBe(200);
    expect((await request('/trpc/projects.list', { headers: bearer })).status).toBe(200);
    expect((await request(`/api/projects?token=${TOKEN}`)).status).toBe(200);
  });

  it('on a page, trades ?token= for a session cookie named for the port, then drops it from the URL', async () => {
    const res = await request(`/projects/p1?tab=runs&token=${TOKEN}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/projects/p1?tab=runs');
    const cookie = res.headers.get('set-cookie') ?? '';
    const [pair = '', ...attributes] = cookie.split(/;\s*/);
    expect(pair).toBe(`retrace_session_8787=${sessionValue(TOKEN)}`);
    expect(pair).not.toContain(TOKEN);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(attributes).not.toContain('Secure');
    for (const path of ['/projects/p1', '/api/projects', '/trpc/projects.list']) {
      expect((await request(path, { headers: { cookie: pair } })).status, path).toBe(200);
    }
    // Another port's cookie (another Retrace server of this host) is not this one's.
    expect((await request('/', { headers: { cookie: pair.replace('8787', '8788') } })).status).toBe(401);
  });

  it('sets a Secure cookie behind https: a proxy saying so, or the https RETRACE_PUBLIC_URL', async () => {
    const forwarded = await request(`/?token=${TOKEN}`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(forwarded.headers.get('set-cookie')).toMatch(/; Secure/);
    const viaPublic = await app.request(`https://retrace.example/?token=${TOKEN}`);
    expect(viaPublic.status).toBe(303);
    expect(viaPublic.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('shows a browser without it a page that says how to sign in, and an API client JSON', async () => {
    const page = await request('/');
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<input name="token"');
    expect((await errorOf(await request('/api/projects'))).code).toBe('UNAUTHORIZED');
  });
});

describe('the Host allowlist', () => {
  it.each(['/api/projects', '/trpc/projects.list', '/'])(
    'refuses a rebinding Host on %s, naming it',
    async (path) => {
      for (const target of [app, open]) {
        const res = await target.request(`http://rebind.attacker.example:8787${path}`, { headers: bearer });
        expect(res.status).toBe(421);
        expect((await errorOf(res)).message).toContain('"rebind.attacker.example:8787"');
      }
    },
  );

  it('takes the loopback names at the server’s port, and the host of RETRACE_PUBLIC_URL', async () => {
    for (const url of [
      'http://localhost:8787',
      'http://127.0.0.1:8787',
      'http://[::1]:8787',
      'https://retrace.example',
    ]) {
      expect((await app.request(`${url}/api/projects`, { headers: bearer })).status, url).toBe(200);
    }
    for (const url of ['http://localhost:8788', 'http://localhost', 'http://retrace.example:8787']) {
      expect((await app.request(`${url}/api/projects`, { headers: bearer })).status, url).toBe(421);
    }
  });
});

describe('state-changing requests', () => {
  it('are refused from another origin or another site, with the token or without one', async () => {
    for (const [headers, target] of [
      [{ origin: 'https://evil.example' }, app],
      [{ origin: 'http://127.0.0.1:9999' }, app],
      [{ origin: 'null' }, app],
      [{ 'sec-fetch-site': 'cross-site' }, app],
      [{ 'sec-fetch-site': 'same-site' }, app],
      [{ origin: 'https://evil.example' }, open],
    ] as const) {
      const res = await postJson('/api/projects', { name: 'from-elsewhere' }, headers, target);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect((await errorOf(res)).message).toMatch(/origin "|Sec-Fetch-Site "/);
    }
  });

  it('pass from the server’s own pages, the public URL, and clients that say nothing', async () => {
    const own = { origin: ORIGIN, 'sec-fetch-site': 'same-origin' };
    expect((await postJson('/api/projects', { name: 'same-origin' }, own)).status).toBe(201);
    expect((await postJson('/api/projects', { name: 'from-curl' })).status).toBe(201);
    const viaPublic = await app.request('https://retrace.example/api/projects', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://retrace.example', ...bearer },
      body: JSON.stringify({ name: 'via-public' }),
    });
    expect(viaPublic.status).toBe(201);
  });

  it('take JSON bodies only: text/plain, forms and no content type are 415, nothing created', async () => {
    const project = (await (await postJson('/api/projects', { name: 'json-only' })).json()) as { id: string };
    const body = JSON.stringify({ prompt: 'run: id', name: 'not-json' });
    for (const [type, path] of [
      ['text/plain', `/api/projects/${project.id}/runs`],
      ['application/x-www-form-urlencoded', '/api/projects'],
      ['multipart/form-data; boundary=x', '/api/projects'],
      [undefined, '/api/projects'],
      ['text/plain', '/trpc/projects.create'],
    ] as const) {
      for (const target of [app, open]) {
        const res = await request(
          path,
          { method: 'POST', headers: { ...bearer, ...(type ? { 'content-type': type } : {}) }, body },
          target,
        );
        expect(res.status, `${type} ${path}`).toBe(415);
        expect((await errorOf(res)).message).toContain('application/json');
      }
    }
    const runs = (await (await request(`/api/projects/${project.id}/runs`, { headers: bearer })).json()) as {
      items: unknown[];
    };
    expect(runs.items).toEqual([]);
    const names = (
      (await (await request('/api/projects', { headers: bearer })).json()) as Array<{ name: string }>
    ).map((p) => p.name);
    expect(names).not.toContain('not-json');
    // A POST with no body at all needs no content type (curl -X POST …/cancel).
    expect((await request('/api/runs/run_missing/cancel', { method: 'POST', headers: bearer })).status).toBe(
      404,
    );
  });

  it('refuse a body past the limit with 413, naming it', async () => {
    const res = await postJson('/api/projects', { name: 'big', basePrompt: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect((await errorOf(res)).message).toContain('4 KiB (RETRACE_MAX_BODY_BYTES)');
  });
});

describe('the answers', () => {
  it('carry a CSP that runs only the app’s own scripts, and no framing, sniffing or referrer, refusals too', async () => {
    // The headers are the server's (node:http), not the app's: served as `main.ts` serves it.
    const server = serve({
      fetch: app.fetch,
      hostname: '127.0.0.1',
      port: 0,
      createServer: createSecuredServer,
    });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const at = (path: string, headers: Record<string, string>) =>
      send(`http://127.0.0.1:${port}${path}`, { headers: { host: '127.0.0.1:8787', ...headers } });
    try {
      const answers = {
        page: await at('/', bearer),
        api: await at('/api/projects', bearer),
        query: await at('/trpc/projects.list', bearer),
        'no token': await at('/api/projects', {}),
        'unknown host': await at('/api/projects', { ...bearer, host: 'attacker.example:8787' }),
      };
      expect(Object.values(answers).map((answer) => answer.status)).toEqual([200, 200, 200, 401, 421]);
      for (const [name, { headers }] of Object.entries(answers)) {
        const csp = String(headers['content-security-policy']);
        for (const directive of ["script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"])
          expect(csp, name).toContain(directive);
        expect(headers['x-content-type-options'], name).toBe('nosniff');
        expect(headers['referrer-policy'], name).toBe('no-referrer');
        expect(headers['x-frame-options'], name).toBe('DENY');
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the web app routes', () => {
  it('serves the app (or a page saying it is not built) for client-side routes', async () => {
    for (const path of ['/', '/projects/p1', '/runs/r1', '/ui/runs/r1', '/guide']) {
      const res = await request(path, { headers: bearer });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('Retrace');
    }
  });
});
