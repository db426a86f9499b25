import type { Profile } from '@retrace/protocol';
import { tomlString } from '../codex/config';

/** What a run's commands may touch: Codex enforces it (bubblewrap and seccomp on Linux). */
export interface SandboxSpec {
  profile: Profile;
  /** The project chose to run without a sandbox. */
  fullAccess: boolean;
  /** Writable for batch runs, readable for readonly ones. */
  workspace: string;
  /** The run's own temp folder (its TMPDIR), writable in every profile. */
  tmpDir: string;
  /** Paths no command may read: the data dir's other contents (database, token, other runs). */
  hidden: string[];
}

const PROFILE = 'retrace';

/**
 * Codex's permission-profile settings for a run, as `-c` arguments `codex exec` and
 * `codex sandbox` both take. Anything not named is read-only, /tmp included; there is no
 * network (no socket can be opened).
 */
export function permissionArgs(spec: SandboxSpec): string[] {
  if (spec.fullAccess) return ['-c', 'default_permissions=":danger-full-access"'];
  const entries = [
    `":root"="read"`,
    ...spec.hidden.map((path) => `${tomlString(path)}="deny"`),
    `${tomlString(spec.tmpDir)}="write"`,
    `":workspace_roots"={"."=${spec.profile === 'batch' ? '"write"' : '"read"'}}`,
  ];
  return [
    '-c',
    `default_permissions=${tomlString(PROFILE)}`,
    '-c',
    `permissions.${PROFILE}={filesystem={${entries.join(',')}}}`,
  ];
}

/** The profile name `codex sandbox -P` takes for this spec. */
export function permissionProfileName(spec: SandboxSpec): string {
  return spec.fullAccess ? ':danger-full-access' : PROFILE;
}
