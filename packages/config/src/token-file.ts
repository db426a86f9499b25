import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** 32 random bytes: 43 base64url characters, nothing a shell or a URL needs to escape. */
function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The file in the data dir that keeps a server's generated token across restarts. */
export function tokenFilePath(dataDir: string): string {
  return join(dataDir, 'token');
}

function readToken(path: string): string | null {
  try {
    const token = readFileSync(path, 'utf8').trim();
    return token.length >= 16 && !/\s/.test(token) ? token : null;
  } catch {
    return null;
  }
}

/**
 * The server's token when RETRACE_TOKEN is not set: the one generated at an earlier start, or a
 * new one written now. The file is the owner's alone (0600), whoever created it.
 */
export function readOrCreateToken(dataDir: string): { token: string; path: string; created: boolean } {
  const path = tokenFilePath(dataDir);
  const existing = readToken(path);
  if (existing) {
    chmodSync(path, 0o600);
    return { token: existing, path, created: false };
  }
  const token = generateToken();
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  // The mode above only applies to a file that did not exist yet (an empty or garbled one did).
  chmodSync(path, 0o600);
  return { token, path, created: true };
}
