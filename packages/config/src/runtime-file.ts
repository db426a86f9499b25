// Imported by the client at run time: Node's own modules only, nothing of the server.
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isLoopback } from './loopback';

/**
 * What a running server leaves for the CLI and the typed client of the same user, as Jupyter
 * does: where it answers and its token. Removed when the server stops cleanly.
 */
export interface ServerRuntime {
  url: string;
  port: number;
  /** null when the server asks for none (RETRACE_AUTH=none). */
  token: string | null;
  pid: number;
}

/** `$XDG_RUNTIME_DIR/retrace` (a per-user tmpfs), else `~/.local/share/retrace/runtime`. */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.XDG_RUNTIME_DIR
    ? join(env.XDG_RUNTIME_DIR, 'retrace')
    : join(homedir(), '.local', 'share', 'retrace', 'runtime');
}

/** The runtime folder, made (0700) if need be: a run's sandbox hides it, so it must exist. */
export function prepareRuntimeDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = runtimeDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

export function runtimeFilePath(port: number, env: NodeJS.ProcessEnv = process.env): string {
  return join(runtimeDir(env), `server-${port}.json`);
}

/** Written whole (a temporary file renamed), readable by its owner only. */
export function writeRuntimeFile(runtime: ServerRuntime, env: NodeJS.ProcessEnv = process.env): string {
  prepareRuntimeDir(env);
  const path = runtimeFilePath(runtime.port, env);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(runtime, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
  return path;
}

function readRuntimeFile(path: string): ServerRuntime | null {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<ServerRuntime>;
    if (typeof data.url !== 'string' || typeof data.port !== 'number' || typeof data.pid !== 'number') {
      return null;
    }
    return { url: data.url, port: data.port, pid: data.pid, token: data.token ?? null };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the file if it is still this process's: a newer server on the port keeps its own. */
export function removeRuntimeFile(port: number, env: NodeJS.ProcessEnv = process.env): void {
  const path = runtimeFilePath(port, env);
  if (readRuntimeFile(path)?.pid === process.pid) rmSync(path, { force: true });
}

/** Removes the files of servers that were killed (kill -9 leaves its file behind). */
export function pruneRuntimeFiles(env: NodeJS.ProcessEnv = process.env): void {
  const dir = runtimeDir(env);
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => /^server-\d+\.json$/.test(name));
  } catch {
    return;
  }
  for (const name of names) {
    const runtime = readRuntimeFile(join(dir, name));
    if (runtime && !isAlive(runtime.pid)) rmSync(join(dir, name), { force: true });
  }
}

/**
 * The live server of this user behind a loopback URL's port, or null. Only loopback URLs: a
 * local token must never travel to another machine that happens to use the same port. A file
 * left by a server that was killed is ignored, so its token is not offered to whatever took
 * the port since.
 */
export function findLocalServer(url: string, env: NodeJS.ProcessEnv = process.env): ServerRuntime | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!isLoopback(parsed.hostname)) return null;
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  const runtime = readRuntimeFile(runtimeFilePath(port, env));
  return runtime && runtime.port === port && isAlive(runtime.pid) ? runtime : null;
}

/** The token to send to `url`: RETRACE_TOKEN, else that of a server of this user on this machine. */
export function discoverToken(url: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.RETRACE_TOKEN || findLocalServer(url, env)?.token || undefined;
}
