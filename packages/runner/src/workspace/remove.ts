import { chmod, lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RemoveWorkspacesRequest } from '@retrace/protocol';
import { deleteSubvolume, isSubvolume } from './btrfs';
import { workspacePath, workspacesRoot } from './paths';

/** Whether a path is the folder itself or inside it. */
export function isWithin(folder: string, path: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

/** Gives the owner rwx on every folder of a tree: a tool that made one read-only (0555) must not keep it. */
async function makeRemovable(path: string): Promise<void> {
  const info = await lstat(path).catch(() => null);
  if (!info?.isDirectory()) return;
  // A failed rm rejects at its first refusal while its other deletions go on: what is
  // gone by the time this walk reaches it needs nothing.
  try {
    await chmod(path, 0o700);
    for (const entry of await readdir(path)) await makeRemovable(join(path, entry));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Deletes a folder and everything in it; false when there was none. A btrfs subvolume goes
 * in one call where the user may delete subvolumes; elsewhere file by file like a folder,
 * the emptied subvolume last (rmdir deletes one for its owner).
 */
async function removeFolder(path: string): Promise<boolean> {
  if (!(await lstat(path).catch(() => null))) return false;
  if ((await isSubvolume(path)) && (await deleteSubvolume(path))) return true;
  try {
    await rm(path, { recursive: true, force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw error;
    await makeRemovable(path);
    await rm(path, { recursive: true, force: true });
  }
  return true;
}

/** The run workspaces a request names: the runs given, or every one the project has. */
async function requestedWorkspaces(dataDir: string, request: RemoveWorkspacesRequest): Promise<string[]> {
  if (request.runIds) return request.runIds.map((runId) => workspacePath(dataDir, request.projectId, runId));
  const project = join(workspacesRoot(dataDir), request.projectId);
  const entries = await readdir(project).catch(() => []);
  return entries.map((runId) => join(project, runId));
}

/**
 * Deletes run workspaces under `<data dir>/workspaces/<project>` (and the project's folder
 * when all of them go). `inUse` names the run using a folder, if any: then nothing is
 * deleted and `refuse` decides what to throw.
 */
export async function removeWorkspaces(
  dataDir: string,
  request: RemoveWorkspacesRequest,
  inUse: (folder: string) => string | null,
  refuse: (folder: string, runId: string) => Error,
): Promise<{ removed: number }> {
  // Named whole (project) or one by one: checked before anything is deleted.
  const folders = await requestedWorkspaces(dataDir, request);
  const wholeProject = request.runIds ? null : join(workspacesRoot(dataDir), request.projectId);
  for (const folder of wholeProject ? [wholeProject] : folders) {
    const user = inUse(folder);
    if (user) throw refuse(folder, user);
  }
  let removed = 0;
  for (const folder of folders) if (await removeFolder(folder)) removed += 1;
  if (wholeProject) await removeFolder(wholeProject);
  return { removed };
}
