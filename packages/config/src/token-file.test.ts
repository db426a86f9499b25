import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readOrCreateToken, tokenFilePath } from './token-file';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'retrace-token-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

describe('readOrCreateToken', () => {
  it('generates a random base64url token of 43 characters into a 0600 file, then reuses it', () => {
    const first = readOrCreateToken(dataDir);
    expect(first.created).toBe(true);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.path).toBe(tokenFilePath(dataDir));
    expect(readFileSync(first.path, 'utf8').trim()).toBe(first.token);
    expect(mode(first.path)).toBe(0o600);
    expect(readOrCreateToken(dataDir)).toEqual({ ...first, created: false });
    const elsewhere = mkdtempSync(join(tmpdir(), 'retrace-token-'));
    expect(readOrCreateToken(elsewhere).token).not.toBe(first.token);
    rmSync(elsewhere, { recursive: true });
  });

  it('takes a file back to 0600, and replaces one too short to be a token', () => {
    const path = tokenFilePath(dataDir);
    writeFileSync(path, 'a-token-someone-wrote-by-hand\n');
    chmodSync(path, 0o644);
    expect(readOrCreateToken(dataDir).token).toBe('a-token-someone-wrote-by-hand');
    expect(mode(path)).toBe(0o600);
    writeFileSync(path, 'short');
    chmodSync(path, 0o666);
    const replaced = readOrCreateToken(dataDir);
    expect(replaced.created).toBe(true);
    expect(replaced.token).toHaveLength(43);
    expect(mode(path)).toBe(0o600);
  });
});
