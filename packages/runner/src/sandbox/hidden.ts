import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

const entries = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).sort();

/**
 * What of the data dir a run's commands must not read: the database, the token, Codex's
 * home, the artifacts, other runs. A batch run hides every entry at the top, since its
 * workspace and temp folder are opened again, writable, below them. A read cannot be opened
 * again below a hidden folder, so a readonly run hides around its workspace instead: the
 * rest of the top, and the other projects' workspaces. A handful of entries either way, not
 * one per run: each is a mount in every command's sandbox.
 */
export async function hiddenPaths(dataDir: string, workspace: string, writable: boolean): Promise<string[]> {
  const top = await entries(dataDir);
  if (writable) return top.map((name) => join(dataDir, name));
  const [folder = '', project = ''] = relative(dataDir, workspace).split(sep);
  return [
    ...top.filter((name) => name !== folder).map((name) => join(dataDir, name)),
    ...(await entries(join(dataDir, folder)))
      .filter((name) => name !== project)
      .map((name) => join(dataDir, folder, name)),
  ];
}
