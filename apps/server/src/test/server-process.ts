import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// What `npm start` runs; the server's and the web app's test runs build it first (vitest globalSetup).
import { SERVER_BUNDLE as bundle } from '../../bundle-path';

const serverDir = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  /** Where it answers, e.g. http://127.0.0.1:41234 (no trailing slash, no token). */
  url: string;
  /** The token it asks for (generated, or the RETRACE_TOKEN it was given); null with RETRACE_AUTH=none. */
  token: string | null;
  /** The URL it printed: a browser opening it once is signed in. */
  signInUrl: string;
  /** fetch(url + path), with its token as a bearer header, as a curl user would send it. */
  request(path: string, init?: RequestInit): Promise<Response>;
  dataDir: string;
  child: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: the server gets no chance to clean up. */
  kill9(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  env?: Record<string, string | undefined>;
  /** "token" (the default, as `npm start`) or "none" (RETRACE_AUTH=none). */
  auth?: 'token' | 'none';
}

/**
 * Starts the real server as `npm start` does (`node dist/main.js`, one PID) on a free port
 * with its own data dir, and resolves once it prints its URL.
 */
export async function startServer(options: StartOptions = {}): Promise<ServerProcess> {
  if (!existsSync(bundle))
    throw new Error(`${bundle} is missing: build the server first (npm run build -w @retrace/server)`);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'retrace-server-'));
  const auth = options.auth ?? 'token';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPENAI_API_KEY: '',
    RETRACE_TOKEN: '',
    RETRACE_AUTH: auth === 'none' ? 'none' : '',
    RETRACE_RUNNER_URL: '',
    RETRACE_HOST: '127.0.0.1',
    RETRACE_PORT: '0',
    RETRACE_DATA_DIR: dataDir,
    ...options.env,
  };
  // RETRACE_SERVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof": flags NODE_OPTIONS refuses, for profiling.
  const flags = process.env.RETRACE_SERVER_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...flags, bundle], {
    cwd: serverDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  // Running: it printed its URL; ending: a test stopped it.
  let running = false;
  let ending = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      if (signal) output += `\n[the server was ended by ${signal}]\n`;
      // A server that dies under a test leaves it waiting for runs to end: say why here.
      if (running && !ending)
        console.error(`the server exited on its own (${signal ?? code}):\n${output.slice(-4000)}`);
      resolve(code);
    }),
  );
  const printed = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const check = () => {
      // "Retrace is running at http://127.0.0.1:41234/?token=…" (no ?token= when it was given one).
      const match = /running at (http:\/\/[^/\s]+)\/(\?token=(\S+))?\s/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  running = true;
  const [, url = '', tokenQuery = '', printedToken] = printed;
  const token = printedToken ?? (env.RETRACE_TOKEN || null);
  return {
    url,
    token,
    request: (path, init) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init?.headers },
      }),
    signInUrl: `${url}/${tokenQuery}`,
    dataDir,
    child,
    output: () => output,
    async stop() {
      ending = true;
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      ending = true;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}
