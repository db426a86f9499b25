import { createRetraceClient, type RetraceClient } from '@retrace/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';
import { send } from './edge-http';

// Attacks a browser page can make on a server of this machine, with the token on (as after
// `npm start`) and with RETRACE_AUTH=none: each is refused before any route runs.
let guarded: ServerProcess;
let open: ServerProcess;
let client: RetraceClient;

beforeAll(async () => {
  [guarded, open] = await Promise.all([startServer(), startServer({ auth: 'none' })]);
  client = createRetraceClient({ url: guarded.url });
});
afterAll(async () => {
  for (const server of [guarded, open]) {
    await server?.stop();
    if (server) removeDataDir(server.dataDir);
  }
});

const auth = (server: ServerProcess): Record<string, string> =>
  server.token ? { authorization: `Bearer ${server.token}` } : {};
const port = (server: ServerProcess) => new URL(server.url).port;
const projectNames = async () => (await client.projects.list.query()).map((p) => p.name);

describe('DNS rebinding', () => {
  it.each(['/api/projects', '/trpc/projects.list', '/', '/projects/p1'])(
    'a Host that is not the server’s is refused on %s, and named',
    async (path) => {
      for (const server of [guarded, open]) {
        const rebound = `rebind.attacker.example:${port(server)}`;
        const res = await send(`${server.url}${path}`, { headers: { host: rebound, ...auth(server) } });
        expect(res.status, `${server.url}${path}`).toBe(421);
        expect(res.json().error.message).toContain(`"${rebound}"`);
        expect(res.text).not.toContain('proj_');
      }
    },
  );

  it('leaves the loopback names at the server’s own port working', async () => {
    for (const name of ['localhost', '127.0.0.1']) {
      const res = await send(`${guarded.url}/api/projects`, {
        headers: { host: `${name}:${port(guarded)}`, ...auth(guarded) },
      });
      expect(res.status, name).toBe(200);
    }
  });
});

describe('a state-changing request from another site', () => {
  it.each([
    ['Origin: https://evil.example', { origin: 'https://evil.example' }],
    ['Origin: another port of 127.0.0.1', { origin: 'http://127.0.0.1:9' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ])('is refused with 403 (%s), and creates nothing', async (_, headers) => {
    for (const server of [guarded, open]) {
      const name = `from-elsewhere-${server === open ? 'open' : 'guarded'}-${Object.values(headers)[0]}`;
      const rest = await send(`${server.url}/api/projects`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth(server), ...headers },
        body: JSON.stringify({ name }),
      });
      expect(rest.status).toBe(403);
      expect(rest.json().error.message).toMatch(/refused/);
      const trpc = await send(`${server.url}/trpc/projects.create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth(server), ...headers },
        body: JSON.stringify({ name }),
      });
      expect(trpc.status).toBe(403);
    }
    expect(await projectNames()).not.toContain(expect.stringMatching(/^from-elsewhere-guarded/));
  });

  it('passes from the server’s own pages', async () => {
    const res = await send(`${guarded.url}/api/projects`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: guarded.url,
        'sec-fetch-site': 'same-origin',
        ...auth(guarded),
      },
      body: JSON.stringify({ name: 'same-origin' }),
    });
    expect(res.status).toBe(201);
  });
});

describe('request bodies', () => {
  it('that a cross-site form can send (text/plain, form encodings) are refused with 415: no run, no project', async () => {
    const { id: projectId } = await client.projects.create.mutate({ name: 'json-only' });
    const attempts: Array<[string, string, string]> = [
      [`/api/projects/${projectId}/runs`, 'text/plain', JSON.stringify({ prompt: 'run: id > pwned' })],
      ['/api/projects', 'text/plain', JSON.stringify({ name: 'by-text-plain' })],
      ['/api/projects', 'application/x-www-form-urlencoded', 'name=by-form'],
      [
        '/api/projects',
        'multipart/form-data; boundary=b',
        '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nby-multipart\r\n--b--\r\n',
      ],
      ['/trpc/projects.create', 'text/plain', JSON.stringify({ name: 'by-trpc-text' })],
    ];
    for (const server of [guarded, open]) {
      for (const [path, type, body] of attempts) {
        // No Origin: the content type alone is refused (a form's Origin is refused before it).
        const res = await send(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': type, ...auth(server) },
          body,
        });
        expect(res.status, `${type} → ${path}`).toBe(415);
        expect(res.json().error.message).toContain('application/json');
      }
      const missing = await send(`${server.url}/api/projects`, {
        method: 'POST',
        headers: auth(server),
        body: JSON.stringify({ name: 'no-content-type' }),
      });
      expect(missing.status).toBe(415);
    }
    expect((await client.runs.list.query({ projectId })).items).toEqual([]);
    expect(await projectNames()).not.toContain(expect.stringMatching(/^by-|no-content-type/));
  });

  it('past 1 MiB are refused with 413 naming the limit, announced or chunked', async () => {
    const body = JSON.stringify({ name: 'big', basePrompt: 'x'.repeat(2 * 1024 * 1024) });
    for (const chunked of [false, true]) {
      const res = await send(`${guarded.url}/api/projects`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth(guarded) },
        body,
        chunked,
      });
      expect(res.status, chunked ? 'chunked' : 'with a Content-Length').toBe(413);
      expect(res.json().error.message).toContain('1 MiB (RETRACE_MAX_BODY_BYTES)');
    }
    const trpc = await send(`${guarded.url}/trpc/projects.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth(guarded) },
      body,
    });
    expect(trpc.status).toBe(413);
    expect(await projectNames()).not.toContain('big');
  });
});

describe('the answers', () => {
  it('of the SPA carry the CSP and the frame, sniffing and referrer headers', async () => {
    const page = await send(`${guarded.url}/`, { headers: auth(guarded) });
    expect(page.status).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    for (const directive of [
      "script-src 'self'",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-frame-options']).toBe('DENY');
  });
});
