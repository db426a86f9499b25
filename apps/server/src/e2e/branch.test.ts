import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { AppRouter } from '@retrace/api';
import { createRetraceClient, type RetraceClient, TRPCClientError } from '@retrace/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, makeSourceRepo } from '../test/git-repos';
import { finishedRun, plan } from '../test/runs';
import { removeDataDir, type ServerProcess, startServer } from '../test/server-process';

const bin = fileURLToPath(new URL('../../../../packages/client/bin/retrace.mjs', import.meta.url));
/** The real CLI, as a person types it; resolves with its exit code and output. */
const retrace = (...args: string[]) =>
  promisify(execFile)(process.execPath, [bin, ...args], {
    env: { ...process.env, RETRACE_URL: server.url, NO_COLOR: '1' },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

let server: ServerProcess;
let client: RetraceClient;
let root: string;
let source: string;
let remote: string;

/** What `toBranch` must leave alone: the checked-out branch, HEAD, the index and the working tree. */
const untouched = (repo: string) => ({
  branch: git(repo, 'symbolic-ref', 'HEAD'),
  head: git(repo, 'rev-parse', 'HEAD'),
  status: git(repo, 'status', '--porcelain=v2', '--untracked-files=all'),
  staged: git(repo, 'diff', '--cached'),
  unstaged: git(repo, 'diff'),
});

async function errorOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'retrace-branch-'));
  ({ source, remote } = makeSourceRepo(root));
  git(source, 'push', '-q', 'origin', 'main');
  // Work in progress the person has not committed: staged, unstaged and untracked.
  writeFileSync(join(source, 'staged.txt'), 'staged\n');
  git(source, 'add', 'staged.txt');
  writeFileSync(join(source, 'README.md'), 'hello\nlocal edit\n');
  writeFileSync(join(source, 'scratch.txt'), 'untracked\n');
  server = await startServer({ env: { RETRACE_GIT_AUTHOR_NAME: 'Retrace Bot' } });
  client = createRetraceClient({ url: server.url });
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
  rmSync(root, { recursive: true, force: true });
});

describe('a run on a project made from a local repository', () => {
  let projectId: string;
  let runId: string;
  let branchCommit: string;
  const prompt = plan('Add a note and greet more warmly', 'create notes/a.txt:', '```', 'note', '```');

  it('starts from the repository’s HEAD and becomes one commit on a new branch, leaving the checkout alone', async () => {
    const project = await client.projects.create.mutate({ name: 'My App', sourceRepo: source });
    projectId = project.id;
    // Committed after the project was made: the run must start from it, not from a copy.
    writeFileSync(join(source, 'later.txt'), 'later\n');
    git(source, 'add', 'later.txt');
    git(source, 'commit', '-q', '-m', 'later');
    const head = git(source, 'rev-parse', 'HEAD');

    const run = await finishedRun(client, (await client.runs.create.mutate({ projectId, prompt })).id);
    expect(run.status, run.error ?? '').toBe('succeeded');
    expect(run.baseCommit).toBe(head);
    expect((await client.runs.diff.query({ id: run.id }))?.files.map((f) => f.path)).toEqual(['notes/a.txt']);
    runId = run.id;

    const before = untouched(source);
    const made = await client.runs.toBranch.mutate({ id: run.id });
    expect(made).toMatchObject({ name: 'retrace/my-app/1', remote, pushedAt: null });
    expect(untouched(source)).toEqual(before);

    branchCommit = git(source, 'rev-parse', 'refs/heads/retrace/my-app/1');
    expect(made.commit).toBe(branchCommit);
    expect(git(source, 'rev-parse', `${branchCommit}^`)).toBe(head);
    expect(git(source, 'diff', '--name-status', head, branchCommit)).toBe('A\tnotes/a.txt');
    expect(git(source, 'show', `${branchCommit}:notes/a.txt`)).toBe('note');
    expect(git(source, 'log', '-1', '--format=%an <%ae>|%cn', branchCommit)).toBe(
      'Retrace Bot <retrace@localhost>|Retrace Bot',
    );
    const message = git(source, 'log', '-1', '--format=%B', branchCommit);
    expect(message.split('\n')[0]).toBe('Add a note and greet more warmly');
    expect(git(source, 'log', '-1', '--format=%(trailers:key=Retrace-Run,valueonly)', branchCommit)).toBe(
      `${server.url}/runs/${run.id}`,
    );
    expect((await client.runs.get.query({ id: run.id })).branch).toEqual(made);
  });

  it('pushes the branch to origin, and a second push of the same branch makes no new commit', async () => {
    const pushed = await client.runs.toBranch.mutate({ id: runId, push: true });
    expect(pushed).toMatchObject({ name: 'retrace/my-app/1', commit: branchCommit, remote });
    expect(pushed.pushedAt).toEqual(expect.any(Number));
    expect(git(remote, 'rev-parse', 'refs/heads/retrace/my-app/1')).toBe(branchCommit);
  });

  it('is reachable over REST too: POST /api/runs/:id/branch', async () => {
    const res = await server.request(`/api/runs/${runId}/branch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ branch: 'feature/from-rest' }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: 'feature/from-rest', remote });
    expect(git(source, 'rev-parse', 'feature/from-rest^')).toBe(git(source, 'rev-parse', `${branchCommit}^`));
  });

  it('refuses a name that exists, naming it', async () => {
    const error = await errorOf(client.runs.toBranch.mutate({ id: runId, branch: 'main' }));
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.message).toMatch(/a branch named main already exists/);
  });

  it('refuses a name git would not take', async () => {
    const error = await errorOf(client.runs.toBranch.mutate({ id: runId, branch: 'bad..name' }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/"bad\.\.name" is not a valid git branch name/);
  });

  it('says what git said when a push fails, and keeps the branch', async () => {
    const hook = join(remote, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "pushes are frozen today" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const run = await finishedRun(
      client,
      (await client.runs.create.mutate({ projectId, prompt: plan('create notes/b.txt:', '```', 'b', '```') }))
        .id,
    );
    expect(run.status, run.error ?? '').toBe('succeeded');
    const error = await errorOf(client.runs.toBranch.mutate({ id: run.id, push: true }));
    expect(error.data?.code).toBe('BAD_GATEWAY');
    expect(error.message).toMatch(
      /branch retrace\/my-app\/2 was made .*pushing it to origin failed: .*pushes are frozen today/s,
    );
    expect(git(source, 'rev-parse', 'refs/heads/retrace/my-app/2')).toBe(
      (await client.runs.get.query({ id: run.id })).branch?.commit,
    );
    rmSync(hook);
  });

  it('from the CLI: retrace branch <run> --name N --push, and a second branch is refused by name', async () => {
    const run = await finishedRun(
      client,
      (await client.runs.create.mutate({ projectId, prompt: plan('create notes/c.txt:', '```', 'c', '```') }))
        .id,
    );
    expect(run.status, run.error ?? '').toBe('succeeded');
    const made = await retrace('branch', `My App#${run.number}`, '--name', 'feature/c', '--push');
    expect(made.stderr).toBe('');
    const commit = git(source, 'rev-parse', 'refs/heads/feature/c');
    expect(made.stdout).toBe(`branch: feature/c at ${commit.slice(0, 12)}, pushed to ${remote}\n`);
    expect(git(remote, 'rev-parse', 'refs/heads/feature/c')).toBe(commit);
    const again = await retrace('branch', `My App#${run.number}`, '--name', 'main');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^retrace: a branch named main already exists in /);
  });

  it('refuses a run that changed nothing', async () => {
    const run = await finishedRun(
      client,
      (await client.runs.create.mutate({ projectId, prompt: 'run: true' })).id,
    );
    expect(run.status, run.error ?? '').toBe('succeeded');
    const error = await errorOf(client.runs.toBranch.mutate({ id: run.id }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/run #\d+: the workspace has no changes/);
  });
});

it('refuses a project that has no local source repository', async () => {
  const project = await client.projects.create.mutate({ name: 'no-source' });
  const run = await finishedRun(
    client,
    (
      await client.runs.create.mutate({
        projectId: project.id,
        prompt: plan('create x.txt:', '```', 'x', '```'),
      })
    ).id,
  );
  const error = await errorOf(client.runs.toBranch.mutate({ id: run.id }));
  expect(error.data?.code).toBe('BAD_REQUEST');
  expect(error.message).toMatch(/project no-source was not made from a local repository/);
});
