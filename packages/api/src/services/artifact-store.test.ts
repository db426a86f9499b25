import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ArtifactStore, createArtifactStore } from './artifact-store';

let dir: string;
let store: ArtifactStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'retrace-artifacts-'));
  store = createArtifactStore(join(dir, 'artifacts'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('artifact store', () => {
  it('writes, appends and measures files under <root>/<run>/<name>', async () => {
    expect(await store.write('run_1', 'diff.json', '{"a":1}')).toBe(7);
    await store.append('run_1', 'codex.jsonl', 'one\n');
    await store.append('run_1', 'codex.jsonl', 'two\n');
    expect(readFileSync(join(dir, 'artifacts/run_1/codex.jsonl'), 'utf8')).toBe('one\ntwo\n');
    expect(await store.size(store.storagePath('run_1', 'codex.jsonl'))).toBe(8);
  });

  it('appends lines as UTF-8, each ended by a newline, and makes a removed run’s folder again', async () => {
    const lines = ['{"text":"café ✓ 🦀"}', '', 'x'.repeat(70_000)];
    await store.append('run_1', 'codex.jsonl', lines);
    await store.append('run_1', 'codex.jsonl', ['last']);
    const path = join(dir, 'artifacts/run_1/codex.jsonl');
    expect(readFileSync(path, 'utf8')).toBe(`${lines.join('\n')}\nlast\n`);
    await store.removeRun('run_1');
    await store.append('run_1', 'codex.jsonl', ['again']);
    expect(readFileSync(path, 'utf8')).toBe('again\n');
  });

  it('keeps every file 0600 and every folder 0700: a run’s output is its owner’s alone', async () => {
    await store.write('run_1', 'diff.json', '{}');
    await store.append('run_1', 'codex.jsonl', 'one\n');
    const mode = (path: string) => (statSync(join(dir, path)).mode & 0o777).toString(8);
    expect([mode('artifacts'), mode('artifacts/run_1')]).toEqual(['700', '700']);
    expect([mode('artifacts/run_1/diff.json'), mode('artifacts/run_1/codex.jsonl')]).toEqual(['600', '600']);
  });

  it.each([
    ['../run', 'x.json'],
    ['run_1', '../../etc/passwd'],
    ['run_1', '..'],
    ['run_1', 'a/b'],
    ['/abs', 'x'],
    ['run_1', '%2e%2e%2fx'],
  ])('refuses %s / %s', (runId, name) => {
    expect(() => store.storagePath(runId, name)).toThrow(/unsafe artifact path/);
  });

  it('refuses to open a stored path that leaves the store', () => {
    expect(() => store.open('../outside.txt')).toThrow(/escapes the store/);
    expect(() => store.open('/etc/passwd')).toThrow(/escapes the store/);
  });
});
