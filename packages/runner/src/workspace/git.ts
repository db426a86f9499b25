import { execa, type Options } from 'execa';

// Deterministic git: no user or system config, no prompts, no hooks, no pager, raw paths.
const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_PAGER: 'cat',
  GIT_AUTHOR_NAME: 'Retrace',
  GIT_AUTHOR_EMAIL: 'retrace@localhost',
  GIT_COMMITTER_NAME: 'Retrace',
  GIT_COMMITTER_EMAIL: 'retrace@localhost',
};
const GIT_FLAGS = [
  '-c',
  'core.quotePath=false',
  '-c',
  'core.hooksPath=/dev/null',
  // A workspace's own config may name a command to run (an agent with full access can write
  // it): Retrace's git never runs one.
  '-c',
  'core.fsmonitor=false',
  '-c',
  'commit.gpgsign=false',
  // A commit would start `git maintenance run --auto`: one more process in every run, for
  // a repository that lives as long as the run's workspace.
  '-c',
  'maintenance.auto=false',
  '-c',
  'gc.auto=0',
  '-c',
  'init.defaultBranch=main',
];

export interface GitOptions {
  env?: Record<string, string>;
  input?: string;
  /** Resolve with the failure instead of throwing (for `git cat-file` lookups). */
  allowFailure?: boolean;
  encoding?: 'utf8' | 'buffer';
}

export async function git(cwd: string, args: string[], options: GitOptions = {}) {
  const execaOptions: Options = {
    cwd,
    env: { ...GIT_ENV, ...options.env },
    reject: !options.allowFailure,
    stripFinalNewline: false,
    maxBuffer: 512 * 1024 * 1024,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
    ...(options.encoding === 'buffer' ? { encoding: 'buffer' } : {}),
  };
  return execa('git', [...GIT_FLAGS, ...args], execaOptions);
}

export async function gitText(cwd: string, args: string[], options: GitOptions = {}): Promise<string> {
  const result = await git(cwd, args, options);
  return String(result.stdout);
}

/** The commit HEAD points at. */
export async function headCommit(cwd: string): Promise<string> {
  return (await gitText(cwd, ['rev-parse', '--verify', 'HEAD^{commit}'])).trim();
}
