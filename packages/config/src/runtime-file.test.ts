import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  discoverToken,
  findLocalServer,
  pruneRuntimeFiles,
  removeRuntimeFile,
  runtimeDir,
  runtimeFilePath,
  writeRuntimeFile,
} from './runtime-file';

let runtimeRoot: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  runtimeRoot = mkdtempSync(join(tmpdir(), 'retrace-runtime-'));
  env = { XDG_RUNTIME_DIR: runtimeRoot };
});
afterEach(() => rmSync(runtimeRoot, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;
const server = {
  url: 'http://127.0.0.1:8787',
  port: 8787,
  token: 'the-token-of-this-server',
  pid: process.pid,
};

describe('the runtime file', () => {
  it('lives in $XDG_RUNTIME_DIR/retrace, else under ~/.local/share, one file a port', () => {
    expect(runtimeDir({ XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/run/user/1000/retrace');
    expect(runtimeDir({})).toMatch(/\/\.local\/share\/retrace\/runtime$/);
    expect(runtimeFilePath(8787, env)).toBe(join(runtimeRoot, 'retrace', 'server-8787.json'));
  });

  it('is written for its owner only, in a folder for its owner only', () => {
    const path = writeRuntimeFile(server, env);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(server);
    expect(mode(path)).toBe(0o600);
    expect(mode(dirname(path))).toBe(0o700);
  });

  it('gives the token of the live server at a loopback URL’s port, under any loopback name', () => {
    writeRuntimeFile(server, env);
    for (const url of ['http://127.0.0.1:8787', 'http://localhost:8787/', 'http://[::1]:8787/trpc']) {
      expect(discoverToken(url, env), url).toBe(server.token);
    }
    expect(discoverToken('http://127.0.0.1:8788', env)).toBeUndefined();
    // RETRACE_TOKEN comes first.
    expect(discoverToken(server.url, { ...env, RETRACE_TOKEN: 'from-the-environment' })).toBe(
      'from-the-environment',
    );
  });

  it('never offers a local token to another machine at the same port', () => {
    writeRuntimeFile(server, env);
    expect(findLocalServer('http://retrace.example:8787', env)).toBeNull();
    expect(discoverToken('http://192.168.1.4:8787', env)).toBeUndefined();
  });

  it('is ignored once the server that wrote it is gone, and pruned', () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const stale = writeRuntimeFile({ ...server, pid: gone }, env);
    expect(findLocalServer(server.url, env)).toBeNull();
    const live = writeRuntimeFile({ ...server, port: 8788 }, env);
    pruneRuntimeFiles(env);
    expect([existsSync(stale), existsSync(live)]).toEqual([false, true]);
  });

  it('is removed by the process that wrote it, not by another', () => {
    const path = writeRuntimeFile({ ...server, pid: process.pid + 1_000_000 }, env);
    removeRuntimeFile(8787, env);
    expect(existsSync(path)).toBe(true);
    writeRuntimeFile(server, env);
    removeRuntimeFile(8787, env);
    expect(existsSync(path)).toBe(false);
  });
});
