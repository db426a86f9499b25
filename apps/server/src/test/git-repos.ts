import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** git as a person runs it in their own repository: a name of their own, no global config. */
export const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  }).trim();

/**
 * A person's repository under `root` (`source`, one commit on main with a README) whose
 * `origin` is a bare repository beside it (`remote.git`), as a project's sourceRepo.
 */
export function makeSourceRepo(root: string): { source: string; remote: string } {
  const remote = join(root, 'remote.git');
  const source = join(root, 'source');
  git(root, 'init', '-q', '--bare', '-b', 'main', remote);
  mkdirSync(source);
  git(source, 'init', '-q', '-b', 'main');
  writeFileSync(join(source, 'README.md'), 'hello\n');
  git(source, 'add', 'README.md');
  git(source, 'commit', '-q', '-m', 'first');
  git(source, 'remote', 'add', 'origin', remote);
  return { source, remote };
}
