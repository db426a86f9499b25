import { mkdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { idSchema, type ParsedRunInput } from '@retrace/protocol';

export class WorkspaceError extends Error {
  override name = 'WorkspaceError';
}

function checkId(what: string, id: string): void {
  const parsed = idSchema.safeParse(id);
  if (!parsed.success)
    throw new WorkspaceError(`${what} ${JSON.stringify(id)} ${parsed.error.issues[0]?.message}`);
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export function workspacesRoot(dataDir: string): string {
  return join(resolve(dataDir), 'workspaces');
}

/** `<data dir>/workspaces/<project>/<run>`, for ids that cannot name anything else. */
export function workspacePath(dataDir: string, projectId: string, runId: string): string {
  checkId('project id', projectId);
  checkId('run id', runId);
  return join(workspacesRoot(dataDir), projectId, runId);
}

/** The folder a run's workspace is (or will be), to tell whether two runs would share one. */
export function workspaceFolder(
  dataDir: string,
  input: Pick<ParsedRunInput, 'workspace' | 'projectId' | 'runId'>,
): string {
  return input.workspace.kind === 'path'
    ? resolve(workspacesRoot(dataDir), input.workspace.path)
    : workspacePath(dataDir, input.projectId, input.runId);
}

/**
 * A free-form workspace path (the seed route's `context_variables.workspace`), relative to
 * `<data dir>/workspaces` or absolute: refused unless it stays inside, also after symlinks
 * are resolved. The folder is created if absent.
 */
export async function resolveWorkspaceInsideDataDir(dataDir: string, requested: string): Promise<string> {
  if (requested.trim() === '' || requested.includes('\0'))
    throw new WorkspaceError('workspace: must be a path');
  const root = workspacesRoot(dataDir);
  const wanted = isAbsolute(requested) ? resolve(requested) : resolve(root, requested);
  if (!isInside(root, wanted)) {
    throw new WorkspaceError(`workspace: ${requested} is outside the data dir's workspaces folder (${root})`);
  }
  await mkdir(root, { recursive: true });
  const realRoot = await realpath(root);
  // Resolve the deepest existing ancestor: a symlink on the way must not lead out.
  let existing = wanted;
  for (;;) {
    try {
      const real = await realpath(existing);
      const rest = relative(existing, wanted);
      const target = rest ? join(real, rest) : real;
      if (!isInside(realRoot, target) && target !== realRoot) {
        throw new WorkspaceError(`workspace: ${requested} leads outside the data dir through a symlink`);
      }
      if (target === realRoot)
        throw new WorkspaceError('workspace: must be a folder inside the workspaces folder');
      await mkdir(target, { recursive: true });
      return target;
    } catch (error) {
      if (error instanceof WorkspaceError) throw error;
      const parent = resolve(existing, '..');
      if (parent === existing) throw error;
      existing = parent;
    }
  }
}
