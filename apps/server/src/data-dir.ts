import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { configProblems, EnvError } from '@retrace/config';

/**
 * The data dir is its owner's alone (0700): it holds the token, the database, the workspaces
 * and the artifacts. An existing one is closed down too, unless it is a shared folder such as
 * /tmp (the sticky bit), which is refused rather than closed to everyone else.
 */
export function prepareDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (statSync(dataDir).mode & 0o1000) {
    throw new EnvError(
      configProblems([
        [
          'RETRACE_DATA_DIR',
          `${dataDir} is a shared folder (sticky bit, like /tmp): use a folder of its own`,
        ],
      ]),
    );
  }
  chmodSync(dataDir, 0o700);
}
