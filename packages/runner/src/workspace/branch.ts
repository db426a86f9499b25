import { type BranchRequest, type BranchResult, RunnerError } from '@retrace/protocol';
import { execa } from 'execa';
import { snapshotTree } from './diff';
import { git, gitText } from './git';

/** Where the commit waits in the workspace while the source repository fetches it. */
const OUTGOING_REF = 'refs/retrace/outgoing';

async function checkSourceRepository(sourceRepo: string): Promise<void> {
  const inside = await git(sourceRepo, ['rev-parse', '--git-dir'], { allowFailure: true }).catch(() => null);
  if (inside?.exitCode !== 0) {
    throw new RunnerError('BAD_REQUEST', `${sourceRepo} is not a local git repository`);
  }
}

async function checkBranchName(sourceRepo: string, branch: string): Promise<void> {
  const valid = await git(sourceRepo, ['check-ref-format', '--branch', branch], { allowFailure: true });
  if (branch.startsWith('-') || valid.exitCode !== 0) {
    throw new RunnerError('BAD_REQUEST', `${JSON.stringify(branch)} is not a valid git branch name`);
  }
  const taken = await git(sourceRepo, ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], {
    allowFailure: true,
  });
  if (taken.exitCode === 0) {
    throw new RunnerError('CONFLICT', `a branch named ${branch} already exists in ${sourceRepo}`);
  }
}

/** The source's `origin` as people may see it: any user or password in the URL removed. */
async function originOf(sourceRepo: string): Promise<string | null> {
  const url = await git(sourceRepo, ['remote', 'get-url', 'origin'], { allowFailure: true });
  if (url.exitCode !== 0) return null;
  const raw = String(url.stdout).trim();
  try {
    const parsed = new URL(raw);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return raw; // scp-like (git@host:path) or a local path: nothing secret in it
  }
}

/** The commit: the workspace as it is now, on top of the commit the run started from. */
async function commitWorkspace(workspace: string, request: BranchRequest): Promise<string> {
  const tree = await snapshotTree(workspace);
  const baseTree = (await gitText(workspace, ['rev-parse', `${request.baseCommit}^{tree}`])).trim();
  if (tree === baseTree) {
    throw new RunnerError(
      'BAD_REQUEST',
      `the workspace has no changes against ${request.baseCommit.slice(0, 12)}`,
    );
  }
  const { name, email } = request.author;
  const env = {
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: email,
  };
  const commit = (
    await gitText(workspace, ['commit-tree', tree, '-p', request.baseCommit, '-F', '-'], {
      env,
      input: request.message,
    })
  ).trim();
  await git(workspace, ['update-ref', OUTGOING_REF, commit]);
  return commit;
}

/**
 * Pushes with the person's own git setup (credential helpers, ssh agent), unlike the
 * deterministic `git` used elsewhere, but never waits for a prompt.
 */
async function push(
  sourceRepo: string,
  branch: string,
  environment: Record<string, string>,
): Promise<string | null> {
  const pushed = await execa(
    'git',
    ['push', '--porcelain', 'origin', `refs/heads/${branch}:refs/heads/${branch}`],
    {
      cwd: sourceRepo,
      env: { ...environment, GIT_TERMINAL_PROMPT: '0' },
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
      timeout: 120_000,
    },
  );
  if (pushed.exitCode === 0) return null;
  return `${pushed.stderr}`.trim() || `git push exited with ${pushed.exitCode}`;
}

/**
 * The run's change as one commit on a new branch of its source repository. Only objects
 * and one new ref are written there: its checked-out branch, index and working tree stay
 * as they are.
 */
export async function branchFromWorkspace(
  workspace: string,
  request: BranchRequest,
  environment: Record<string, string>,
): Promise<BranchResult> {
  const { sourceRepo, branch } = request;
  await checkSourceRepository(sourceRepo);
  const remote = await originOf(sourceRepo);
  const existing = await git(sourceRepo, ['rev-parse', '--verify', '-q', `refs/heads/${branch}^{commit}`], {
    allowFailure: true,
  });
  // Asking again (to push a branch made before) finds the branch this run made: no new commit.
  const again = await git(workspace, ['rev-parse', '--verify', '-q', OUTGOING_REF], { allowFailure: true });
  const made =
    existing.exitCode === 0 &&
    again.exitCode === 0 &&
    `${existing.stdout}`.trim() === `${again.stdout}`.trim();
  let commit: string;
  if (made) {
    commit = `${again.stdout}`.trim();
  } else {
    await checkBranchName(sourceRepo, branch);
    commit = await commitWorkspace(workspace, request);
    await git(sourceRepo, [
      'fetch',
      '--quiet',
      '--no-tags',
      '--no-write-fetch-head',
      workspace,
      OUTGOING_REF,
    ]);
    // Created only if absent: a branch made in the meantime is not overwritten.
    const created = await git(sourceRepo, ['update-ref', `refs/heads/${branch}`, commit, ''], {
      allowFailure: true,
    });
    if (created.exitCode !== 0) {
      throw new RunnerError('CONFLICT', `a branch named ${branch} already exists in ${sourceRepo}`);
    }
  }
  if (!request.push) return { branch, commit, remote, pushed: false, pushError: null };
  const pushError =
    remote === null
      ? `${sourceRepo} has no remote named origin to push to`
      : await push(sourceRepo, branch, environment);
  return { branch, commit, remote, pushed: pushError === null, pushError };
}
