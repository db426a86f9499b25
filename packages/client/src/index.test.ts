import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRetraceClient } from './index';

const src = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
);

describe('the client package', () => {
  it('takes only types from the server side, so no server code ships with it', () => {
    expect(sources.length).toBeGreaterThan(2);
    for (const file of sources) {
      const text = readFileSync(join(src, file), 'utf8');
      const serverImports = [
        ...text.matchAll(
          /^import\s+(type\s+)?[^;]*from\s+'(@retrace\/(?!client|http-link|config\/runtime-file')[^']+)'/gm,
        ),
      ];
      for (const [line, typeOnly] of serverImports) expect(typeOnly, `${file}: ${line}`).toBeDefined();
      expect(text).not.toMatch(/from '(@retrace\/db|drizzle-orm|@libsql\/client|@retrace\/runner)'/);
    }
  });

  it('runs nothing of the server’s through its links either: tRPC’s client and an EventSource', () => {
    const links = readFileSync(createRequire(import.meta.url).resolve('@retrace/http-link'), 'utf8');
    const runtime = [...links.matchAll(/^import\s+(?!type\s)[^;]*from\s+'([^']+)'/gm)].map((m) => m[1]);
    expect(runtime.sort()).toEqual(['@trpc/client', 'eventsource']);
  });

  it('reads the runtime file with Node’s own modules and the loopback check, nothing else', () => {
    const runtimeFile = createRequire(import.meta.url).resolve('@retrace/config/runtime-file');
    const imports = [...readFileSync(runtimeFile, 'utf8').matchAll(/^import\s+[^;]*from\s+'([^']+)'/gm)];
    const local = imports.map((m) => m[1]).filter((source) => !source?.startsWith('node:'));
    expect(local).toEqual(['./loopback']);
    const loopback = readFileSync(join(runtimeFile, '..', 'loopback.ts'), 'utf8');
    expect(loopback).not.toMatch(/^import /m);
  });

  it('makes a client whose calls fail clearly when no server is there', async () => {
    const client = createRetraceClient({ url: 'http://127.0.0.1:9' });
    await expect(client.projects.list.query()).rejects.toThrow(/fetch failed|ECONNREFUSED/);
  });
});
