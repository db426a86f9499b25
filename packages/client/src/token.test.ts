import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRuntimeFile } from '@retrace/config/runtime-file';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRetraceClient } from './index';

// A stand-in server that only remembers the headers it was sent (its answer is no tRPC's).
let server: Server;
let url: string;
let seen: IncomingHttpHeaders[] = [];
let runtimeRoot: string;
const saved = { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR, RETRACE_TOKEN: process.env.RETRACE_TOKEN };

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
  // Where this process looks for runtime files: a folder of the test's own.
  runtimeRoot = mkdtempSync(join(tmpdir(), 'retrace-client-runtime-'));
  process.env.XDG_RUNTIME_DIR = runtimeRoot;
  delete process.env.RETRACE_TOKEN;
  writeRuntimeFile({ url, port, token: 'the-local-server-token', pid: process.pid });
});
afterAll(() => {
  server.close();
  rmSync(runtimeRoot, { recursive: true, force: true });
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

async function authorizationSent(client: ReturnType<typeof createRetraceClient>) {
  seen = [];
  await client.projects.list.query().catch(() => undefined);
  return seen[0]?.authorization;
}

describe('the client’s token', () => {
  it('is found in the runtime file of the server at that port, with no option given', async () => {
    await expect(authorizationSent(createRetraceClient({ url }))).resolves.toBe(
      'Bearer the-local-server-token',
    );
  });

  it('is RETRACE_TOKEN first, the option before both, and none at all with null', async () => {
    process.env.RETRACE_TOKEN = 'the-token-in-the-environment';
    try {
      await expect(authorizationSent(createRetraceClient({ url }))).resolves.toBe(
        'Bearer the-token-in-the-environment',
      );
    } finally {
      delete process.env.RETRACE_TOKEN;
    }
    await expect(authorizationSent(createRetraceClient({ url, token: 'given' }))).resolves.toBe(
      'Bearer given',
    );
    await expect(authorizationSent(createRetraceClient({ url, token: null }))).resolves.toBeUndefined();
  });
});
