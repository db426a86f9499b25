import { mkdir, readdir, realpath, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WorkspaceRequest } from '@retrace/protocol';
import { createSubvolume, onBtrfs } from './btrfs';
import { snapshotTree } from './diff';
import { forkWorkspace } from './fork';
import { git, gitText, headCommit } from './git';
import { resolveWorkspaceInsideDataDir, WorkspaceError, workspacePath } from './paths';

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

/** The commit every workspace starts with: Codex and diffs need one, even of nothing. */
const firstCommit = (path: string) =>
  git(path, ['commit', '-q', '--allow-empty', '-m', 'Workspace created by Retrace']);

/**
 * Makes sure a folder is a git repository with at least one commit: Codex refuses to work
 * outside one, and diffs need a base.
 */
export async function ensureRepository(path: string): Promise<void> {
  // Its own repository, not one it happens to sit in: the data dir is often inside a
  // checkout (./.retrace in the project folder), and that repository's diff is not the run's.
  const top = await git(path, ['rev-parse', '--show-toplevel'], { allowFailure: true });
  if (top.exitCode !== 0 || String(top.stdout).trim() !== (await realpath(path))) {
    await git(path, ['init', '-q']);
    await git(path, ['add', '-A']);
    await firstCommit(path);
    return;
  }
  const head = await git(path, ['rev-parse', '--verify', '-q', 'HEAD'], { allowFailure: true });
  if (head.exitCode !== 0) await firstCommit(path);
}

/** A new, empty folder: a repository with one empty commit, without asking git what it is first. */
async function createEmptyRepository(path: string): Promise<void> {
  await git(path, ['init', '-q']);
  await firstCommit(path);
}

/**
 * The folder of a new workspace. On btrfs it is a subvolume, so that a fork of it is a
 * snapshot rather than a copy; anywhere else, or when btrfs will not make one, a folder.
 */
async function createWorkspaceFolder(path: string): Promise<void> {
  if ((await onBtrfs(dirname(path))) && (await createSubvolume(path))) return;
  await mkdir(path, { recursive: true });
}

/** What a run starts from: the commit checked out, and the workspace as it was (its diff's base). */
export interface WorkspaceBase {
  commit: string;
  tree: string;
}

/** An empty workspace just committed is its commit's tree: one git call, not a snapshot's three. */
async function committedBase(path: string): Promise<WorkspaceBase> {
  const [commit = '', tree = ''] = (await gitText(path, ['rev-parse', 'HEAD^{commit}', 'HEAD^{tree}']))
    .trim()
    .split('\n');
  return { commit, tree };
}

export interface PrepareWorkspaceOptions {
  dataDir: string;
  projectId: string;
  runId: string;
  request: WorkspaceRequest;
}

/**
 * The run's workspace, ready for Codex, and what it starts from: new, cloned from a
 * repository, a fork of another run's workspace, or a given folder inside the data dir.
 * Preparing the same run again (a runner that picks a run up after a restart) reuses what
 * is there.
 */
export async function prepareWorkspace(
  options: PrepareWorkspaceOptions,
): Promise<{ path: string; base: WorkspaceBase }> {
  const { path, empty } = await makeWorkspace(options);
  if (empty) return { path, base: await committedBase(path) };
  return { path, base: { commit: await headCommit(path), tree: await snapshotTree(path) } };
}

/** The workspace folder as a repository; `empty` when it was just made with nothing in it. */
async function makeWorkspace({
  dataDir,
  projectId,
  runId,
  request,
}: PrepareWorkspaceOptions): Promise<{ path: string; empty: boolean }> {
  if (request.kind === 'path') {
    const path = await resolveWorkspaceInsideDataDir(dataDir, request.path);
    await ensureRepository(path);
    return { path, empty: false };
  }
  const path = workspacePath(dataDir, projectId, runId);
  if (await exists(path)) {
    if ((await readdir(path)).length > 0) {
      await ensureRepository(path);
      return { path, empty: false };
    }
  }
  await mkdir(dirname(path), { recursive: true });
  switch (request.kind) {
    case 'new':
      await createWorkspaceFolder(path);
      await createEmptyRepository(path);
      return { path, empty: true };
    case 'clone': {
      // git clones into an empty folder as into one it makes itself.
      await createWorkspaceFolder(path);
      const clone = await git(dirname(path), ['clone', '-q', '--', request.source, path], {
        allowFailure: true,
      });
      if (clone.exitCode !== 0) {
        // As git leaves it when it made the folder: nothing (rmdir deletes an empty subvolume too).
        await rm(path, { recursive: true, force: true });
        throw new WorkspaceError(
          `could not clone ${request.source}: ${String(clone.stderr).trim() || `git exited with ${clone.exitCode}`}`,
        );
      }
      break;
    }
    case 'fork':
      await forkWorkspace(workspacePath(dataDir, request.fromProjectId, request.fromRunId), path);
      break;
  }
  await ensureRepository(path);
  return { path, empty: false };
}
