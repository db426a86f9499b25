import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpRunnerClient } from '@retrace/runner';
import { describe, expect, it } from 'vitest';

/**
 * Lines of `ps` for the processes running the marker itself (`sleep 62.5`): not Codex,
 * whose own command line holds the prompt, marker included, before it has run anything.
 */
function processesWith(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) =>
      line
        .trim()
        .replace(/^\d+\s+/, '')
        .startsWith(marker),
    );
}

/** Lines of `ps` whose command line mentions the text anywhere (a data dir: Codex, its helpers). */
function processesMentioning(text: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes(' ps -eo'));
}

async function waitFor(check: () => boolean, ms = 20_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/** Starts the runner process with this environment and waits for it to exit. */
const attempt = (env: Record<string, string>) =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      env: { ...process.env, RETRACE_RUNNER_SECRET: '', OPENAI_API_KEY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => {
      output += c;
    });
    child.stderr.on('data', (c) => {
      output += c;
    });
    child.once('exit', (code) => resolve({ code, output }));
  });

describe('the runner process', () => {
  it('keeps the runner on loopback unless it has a secret', async () => {
    const result = await attempt({ RETRACE_RUNNER_HOST: '0.0.0.0', RETRACE_RUNNER_PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/RETRACE_RUNNER_SECRET: required when RETRACE_RUNNER_HOST \(0\.0\.0\.0\)/);
  });

  it('refuses a bad value, naming the variable and nothing else', async () => {
    const result = await attempt({ RETRACE_RUNNER_PORT: 'eighty', OPENAI_BASE_URL: 'ftp://x' });
    expect(result.code).toBe(1);
    expect(result.output.trim().split('\n')).toEqual([
      'Invalid configuration:',
      expect.stringMatching(/^ {2}OPENAI_BASE_URL: must be an http\(s\) URL$/),
      expect.stringMatching(/^ {2}RETRACE_RUNNER_PORT: /),
    ]);
  });

  const runnerWith = (dataDir: string) => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const start = () =>
      spawn(process.execPath, ['--import', 'tsx', main], {
        env: {
          ...process.env,
          RETRACE_DATA_DIR: dataDir,
          RETRACE_RUNNER_PORT: '0',
          RETRACE_RUNNER_SECRET: '',
          OPENAI_API_KEY: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const listening = (child: ReturnType<typeof start>) =>
      new Promise<string>((resolve) => {
        let out = '';
        child.stdout?.on('data', (chunk) => {
          out += chunk;
          const url = /runner at (http:\/\/\S+?)\//.exec(out)?.[1];
          if (url) resolve(url);
        });
      });
    /**
     * Starts a run whose command starts another (as test runners do), and waits for it to run.
     * With full access there is no sandbox, whose end would take the command with it.
     */
    const runCommand = async (url: string, marker: string, workspace: string, fullAccess = false) => {
      const client = createHttpRunnerClient({ url, secret: 'unused-on-loopback-0123' });
      const events = client.run(
        {
          runId: `${workspace.replace('/', '-')}-${process.pid}`,
          projectId: 'crash',
          workspace: { kind: 'path', path: workspace },
          prompt: `run: sh -c '${marker}; echo slept'`,
          context: {},
          fullAccess,
        },
        { signal: new AbortController().signal },
      );
      void (async () => {
        for await (const _ of events) {
          // drained until the runner goes
        }
      })().catch(() => undefined);
      expect(await waitFor(() => processesWith(marker).length > 0)).toBe(true);
      // Let the process watch record the command.
      await new Promise((r) => setTimeout(r, 1200));
    };
    const children = (pid: number | undefined) =>
      execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map(Number);
    return { start, listening, runCommand, children };
  };

  it('killed with kill -9, it leaves nothing running: its watchdog ends its commands within seconds', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'retrace-watchdog-'));
    const runner = runnerWith(dataDir);
    const child = runner.start();
    try {
      await runner.runCommand(await runner.listening(child), 'sleep 62.75', 'watchdog/w1');
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      // No restart: nothing of the run (its command, Codex, the sandbox) outlives the runner.
      expect(await waitFor(() => processesWith('sleep 62.75').length === 0, 5_000)).toBe(true);
      expect(await waitFor(() => processesMentioning(dataDir).length === 0, 5_000)).toBe(true);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('killed with its watchdog: the next runner on the same data dir ends what it left running', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'retrace-reap-'));
    const runner = runnerWith(dataDir);
    const first = runner.start();
    try {
      await runner.runCommand(await runner.listening(first), 'sleep 62.5', 'reap/w1', true);
      // The crash where nothing got the chance: the watchdog, then the runner, then Codex.
      const watchdog = execFileSync('pgrep', ['-f', `retrace-watchdog ${first.pid} `], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map(Number);
      expect(watchdog).toHaveLength(1);
      for (const pid of watchdog) process.kill(-pid, 'SIGKILL');
      const codex = runner.children(first.pid).filter((pid) => !watchdog.includes(pid));
      expect(codex.length).toBeGreaterThan(0);
      // The runner gone before Codex dies: a runner still alive would see Codex exit and
      // end its commands itself.
      const exited = new Promise((r) => first.once('exit', r));
      first.kill('SIGKILL');
      await exited;
      for (const pid of codex) process.kill(pid, 'SIGKILL');
      expect(processesWith('sleep 62.5').length).toBeGreaterThan(0);

      const second = runner.start();
      const secondUrl = await runner.listening(second);
      // The reap happens before the next run: ask for one.
      await fetch(`${secondUrl}/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          messages: [{ role: 'user', content: 'run: true' }],
          context_variables: { workspace: 'reap/w2', pattern_block: '', base_prompt: 'x', profile: 'batch' },
        }),
      });
      expect(await waitFor(() => processesWith('sleep 62.5').length === 0, 10_000)).toBe(true);
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    } finally {
      first.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
