import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';

const TARGETS: Record<string, { pkg: string; triple: string }> = {
  'linux-x64': { pkg: '@openai/codex-linux-x64', triple: 'x86_64-unknown-linux-musl' },
  'linux-arm64': { pkg: '@openai/codex-linux-arm64', triple: 'aarch64-unknown-linux-musl' },
  'darwin-x64': { pkg: '@openai/codex-darwin-x64', triple: 'x86_64-apple-darwin' },
  'darwin-arm64': { pkg: '@openai/codex-darwin-arm64', triple: 'aarch64-apple-darwin' },
};

/**
 * The Codex binary from the @openai/codex dependency. Run directly rather than through its
 * node launcher: one process less to start and to kill. Its codex-resources/ (bwrap, the
 * sandbox) stays beside it.
 */
export function codexBinary(): string {
  const target = TARGETS[`${platform()}-${arch()}`];
  if (!target) throw new Error(`Codex has no binary for ${platform()}-${arch()}`);
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    root = dirname(require.resolve(`${target.pkg}/package.json`));
  } catch {
    throw new Error(`the Codex binary is missing: ${target.pkg} is not installed (run npm ci)`);
  }
  const binary = join(root, 'vendor', target.triple, 'bin', 'codex');
  if (!existsSync(binary)) throw new Error(`the Codex binary is missing at ${binary} (run npm ci)`);
  return binary;
}

let version: Promise<string | null> | undefined;

/** `codex --version`, asked once. */
export function codexVersion(binary = codexBinary()): Promise<string | null> {
  version ??= execa(binary, ['--version'], { reject: false, timeout: 10_000 }).then((r) =>
    r.exitCode === 0 ? String(r.stdout).trim() : null,
  );
  return version;
}
