import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * Everything under `root` except the routes to the `keep` paths: what a run's commands must
 * not read of the data dir (the database, the token, Codex's home, other runs' workspaces),
 * listed entry by entry because a denied folder cannot be opened again below it for reading.
 */
export async function hiddenSiblings(root: string, keep: string[]): Promise<string[]> {
  const routes = keep.map((path) => relative(root, path).split(sep).filter(Boolean));
  const hidden: string[] = [];
  const walk = async (dir: string, depth: number, alive: string[][]) => {
    const onRoute = new Set(alive.map((route) => route[depth]).filter((name) => name !== undefined));
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      if (!onRoute.has(name)) hidden.push(join(dir, name));
    }
    for (const name of onRoute) {
      const below = alive.filter((route) => route[depth] === name && route.length > depth + 1);
      if (below.length > 0) await walk(join(dir, name), depth + 1, below);
    }
  };
  await walk(
    root,
    0,
    routes.filter((route) => route.length > 0 && route[0] !== '..'),
  );
  return hidden;
}
