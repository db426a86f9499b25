import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// The runner app's own entry point, as `npm run runner` starts it.
const runnerApp = dirname(createRequire(import.meta.url).resolve('@retrace/runner-app/package.json'));

/** The standalone runner (`npm run runner`) as its own process, on a given port. */
export async function startRunnerProcess(options: {
  port: number;
  secret: string;
  dataDir: string;
}): Promise<{
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(runnerApp, 'src/main.ts')], {
    env: {
      ...process.env,
      OPENAI_API_KEY: '',
      RETRACE_DATA_DIR: options.dataDir,
      RETRACE_RUNNER_PORT: String(options.port),
      RETRACE_RUNNER_SECRET: options.secret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`runner did not start:\n${output}`)), 60_000);
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const match = /runner at (http:\/\/\S+?)\//.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`runner exited with ${code}:\n${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
