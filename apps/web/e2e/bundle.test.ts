import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

describe('the production bundle', () => {
  it('holds no server code: only the AppRouter type crossed over', () => {
    // turbo builds the app before its tests (see turbo.json).
    expect(existsSync(join(dist, 'index.html'))).toBe(true);
    const scripts = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    const code = scripts.map((f) => readFileSync(join(dist, 'assets', f), 'utf8')).join('\n');
    for (const marker of [
      'drizzle-orm',
      'libsql',
      'sqlite_master',
      'node:child_process',
      'node:fs',
      'execa',
      'codex_exec:',
      'createRunner',
    ]) {
      expect(code.includes(marker), marker).toBe(false);
    }
  });
});
