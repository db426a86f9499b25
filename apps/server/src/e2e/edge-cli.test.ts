import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';

const bin = fileURLToPath(new URL('../../../../packages/client/bin/retrace.mjs', import.meta.url));
let server: ServerProcess;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

function retrace(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, RETRACE_TOKEN: '', RETRACE_URL: server.url, NO_COLOR: '1', ...env } },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          out: `${stdout}${stderr}`,
        }),
    );
  });
}

describe('the retrace CLI on the server’s machine', () => {
  it('finds the token of a token-protected server by itself: no --token, no RETRACE_TOKEN', async () => {
    expect((await fetch(`${server.url}/api/projects`)).status).toBe(401);
    const created = await retrace({}, 'projects', 'create', 'found-the-token');
    expect(created.code, created.out).toBe(0);
    expect(created.out).toMatch(/created project found-the-token/);
    expect((await retrace({}, 'projects')).out).toMatch(/found-the-token\s+0 runs/);
  });

  it('says how to pass a token when the one it has is wrong; --token and RETRACE_TOKEN come first', async () => {
    for (const [env, args] of [
      [{}, ['--token', 'not-the-token-of-this-server']],
      [{ RETRACE_TOKEN: 'not-the-token-of-this-server' }, []],
    ] as const) {
      const refused = await retrace(env, 'projects', ...args);
      expect(refused.code).toBe(1);
      expect(refused.out).toMatch(/needs its token/);
      expect(refused.out).toMatch(/--token or RETRACE_TOKEN/);
    }
  });
});
