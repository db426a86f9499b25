import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRetraceClient } from '@retrace/client';
import { runtimeFilePath } from '@retrace/config';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';
import { send } from './edge-http';

const started: ServerProcess[] = [];
afterEach(async () => {
  for (const server of started.splice(0)) {
    await server.stop();
    removeDataDir(server.dataDir);
  }
});
async function start(options: Parameters<typeof startServer>[0] = {}) {
  const server = await startServer(options);
  started.push(server);
  return server;
}

const mode = (path: string) => statSync(path).mode & 0o777;
const port = (server: ServerProcess) => Number(new URL(server.url).port);

describe('with no RETRACE_TOKEN', () => {
  it('generates a token at first start, keeps it 0600 in a 0700 data dir, prints it in the URL', async () => {
    const server = await start();
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(server.output()).toContain(`Retrace is running at ${server.url}/?token=${server.token}\n`);
    const tokenFile = join(server.dataDir, 'token');
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(server.token);
    expect(mode(tokenFile)).toBe(0o600);
    expect(mode(server.dataDir)).toBe(0o700);

    expect((await fetch(`${server.url}/api/projects`)).status).toBe(401);
    expect((await fetch(`${server.url}/trpc/projects.list`)).status).toBe(401);
    const bearer = { authorization: `Bearer ${server.token}` };
    expect((await fetch(`${server.url}/api/projects`, { headers: bearer })).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // An answer kept for a database-only query is still behind the token.
    expect((await fetch(`${server.url}/trpc/projects.list`, { headers: bearer })).status).toBe(200);
    expect((await fetch(`${server.url}/trpc/projects.list`)).status).toBe(401);
  });

  it('keeps the same token across restarts on the same data dir, and closes an open data dir to 0700', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'retrace-server-open-'));
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    const first = await startServer({ dataDir });
    expect(mode(dataDir)).toBe(0o700);
    expect(await first.stop()).toBe(0);
    // Stopped (and the data dir removed) with the others.
    const second = await start({ dataDir });
    expect(second.token).toBe(first.token);
  });

  it('signs a browser in: ?token= gives a session cookie named for the port, not the token, and a clean URL', async () => {
    const server = await start();
    const res = await send(server.signInUrl);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const [cookie = ''] = res.headers['set-cookie'] ?? [];
    const [pair = '', ...attributes] = cookie.split(/;\s*/);
    const [name, value = ''] = pair.split('=');
    expect(name).toBe(`retrace_session_${port(server)}`);
    expect(value.length).toBeGreaterThan(32);
    expect(value).not.toContain(server.token ?? '?');
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect((await send(`${server.url}/api/projects`, { headers: { cookie: pair } })).status).toBe(200);
    // The cookie's value is no token: it opens nothing as a bearer header.
    expect(
      (await send(`${server.url}/api/projects`, { headers: { authorization: `Bearer ${value}` } })).status,
    ).toBe(401);
  });

  it('leaves a runtime file (0600) for the CLI and the client of this user, and removes it on a clean stop', async () => {
    const server = await start();
    const runtimeFile = runtimeFilePath(port(server));
    expect(JSON.parse(readFileSync(runtimeFile, 'utf8'))).toEqual({
      url: server.url,
      port: port(server),
      token: server.token,
      pid: server.child.pid,
    });
    expect(mode(runtimeFile)).toBe(0o600);
    // No token given: the client finds it.
    await expect(createRetraceClient({ url: server.url }).projects.list.query()).resolves.toEqual([]);
    await expect(createRetraceClient({ url: server.url, token: null }).projects.list.query()).rejects.toThrow(
      /needs its token/,
    );
    expect(await server.stop()).toBe(0);
    expect(existsSync(runtimeFile)).toBe(false);
  });
});

describe('RETRACE_AUTH=none', () => {
  it('asks for no token on loopback, says so in a warning, and keeps the Host check', async () => {
    const server = await start({ auth: 'none' });
    expect(server.token).toBeNull();
    expect(server.output()).toMatch(/Retrace is running at http:\/\/127\.0\.0\.1:\d+\/\n/);
    await expect.poll(() => server.output()).toMatch(/warning: RETRACE_AUTH=none: no token is asked/);
    expect(existsSync(join(server.dataDir, 'token'))).toBe(false);
    expect((await fetch(`${server.url}/api/projects`)).status).toBe(200);
    const rebound = await send(`${server.url}/api/projects`, {
      headers: { host: `rebind.attacker.example:${port(server)}` },
    });
    expect(rebound.status).toBe(421);
  });
});
