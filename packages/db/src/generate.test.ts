import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from './migrate';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
// drizzle-kit's exports map hides bin.cjs; it sits beside the package's main entry.
const drizzleKitBin = join(dirname(createRequire(import.meta.url).resolve('drizzle-kit')), 'bin.cjs');

function listFiles(root: string, rel = ''): string[] {
  return readdirSync(join(root, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(root, join(rel, e.name)) : [join(rel, e.name)],
  );
}

it('drizzle-kit generate on the committed schema reproduces drizzle/ exactly', () => {
  const out = mkdtempSync(join(tmpdir(), 'retrace-drizzle-'));
  try {
    cpSync(MIGRATIONS_FOLDER, out, { recursive: true });
    const output = execFileSync(
      process.execPath,
      [
        drizzleKitBin,
        'generate',
        '--dialect',
        'sqlite',
        '--schema',
        './src/schema/index.ts',
        '--casing',
        'snake_case',
        '--out',
        relative(packageDir, out),
      ],
      { cwd: packageDir, encoding: 'utf8' },
    );
    expect(output).toContain('No schema changes');
    const expected = listFiles(MIGRATIONS_FOLDER).sort();
    expect(listFiles(out).sort()).toEqual(expected);
    for (const file of expected) {
      expect(readFileSync(join(out, file), 'utf8'), file).toBe(
        readFileSync(join(MIGRATIONS_FOLDER, file), 'utf8'),
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 60_000);
