import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { closeDb, createDb, migrate } from './index';
import { MIGRATIONS_FOLDER } from './migrate';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'retrace-migrate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The migrations folder as it was before migration `tag`: the journal cut there. */
function migrationsBefore(tag: string): string {
  const folder = join(dir, 'migrations');
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(at).toBeGreaterThan(0);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return folder;
}

it('moving to recorded instructions keeps every run, its steps and the prompt index', async () => {
  const db = await createDb({ url: `file:${join(dir, 'retrace.db')}` });
  await migrate(db, migrationsBefore('0002_instructions_as_sent'));
  const sql = (text: string) => db.$client.execute(text);
  await sql(
    `INSERT INTO projects (id, name, base_prompt, created_at, updated_at) VALUES ('p1', 'demo', 'b', 1, 1)`,
  );
  // A deleted run leaves a gap in the rowids: a rebuilt table would renumber what follows.
  for (const [n, prompt] of [
    [1, 'rename the parser'],
    [2, 'delete me'],
    [3, 'fix the tokenizer'],
  ] as const) {
    await sql(
      `INSERT INTO runs (id, project_id, number, prompt, system_instructions, created_at, updated_at)
       VALUES ('r${n}', 'p1', ${n}, '${prompt}', 'composed by the API', 1, 1)`,
    );
  }
  await sql(
    `INSERT INTO steps (run_id, seq, kind, instruction, outcome_ok, started_at) VALUES ('r3', 1, 'command', 'ls', 1, 1)`,
  );
  await sql(`DELETE FROM runs WHERE id = 'r2'`);

  await migrate(db);

  const runs = await sql('SELECT id, system_instructions, codex_instructions FROM runs ORDER BY number');
  expect(runs.rows.map((r) => [r.id, r.system_instructions, r.codex_instructions])).toEqual([
    ['r1', null, null],
    ['r3', null, null],
  ]);
  expect((await sql('SELECT count(*) AS n FROM steps')).rows[0]?.n).toBe(1);
  const found = await sql(
    `SELECT runs.id FROM runs_prompt_fts JOIN runs ON runs.rowid = runs_prompt_fts.rowid WHERE runs_prompt_fts MATCH 'tokenizer'`,
  );
  expect(found.rows.map((r) => r.id)).toEqual(['r3']);
  // The index triggers still fire on the upgraded table.
  await sql(
    `INSERT INTO runs (id, project_id, number, prompt, created_at, updated_at) VALUES ('r4', 'p1', 4, 'tokenizer again', 1, 1)`,
  );
  const again = await sql(
    `SELECT runs.id FROM runs_prompt_fts JOIN runs ON runs.rowid = runs_prompt_fts.rowid WHERE runs_prompt_fts MATCH 'tokenizer' ORDER BY runs.number`,
  );
  expect(again.rows.map((r) => r.id)).toEqual(['r3', 'r4']);
  closeDb(db);
});

it('giving patterns a record keeps the runs that learned before it counting', async () => {
  const db = await createDb({ url: `file:${join(dir, 'retrace.db')}` });
  await migrate(db, migrationsBefore('0004_pattern_records'));
  const sql = (text: string) => db.$client.execute(text);
  await sql(
    `INSERT INTO projects (id, name, base_prompt, created_at, updated_at) VALUES ('p1', 'demo', 'b', 1, 1)`,
  );
  const pattern = (ids: string[]) => JSON.stringify({ block: '<reference_workflow/>', sourceRunIds: ids });
  const rows: Array<[string, number, string | null]> = [
    ['a', 1, null],
    ['b', 2, null],
    ['c', 3, pattern(['a'])],
    ['d', 4, pattern(['b', 'a'])],
    ['e', 5, pattern(['a', 'b'])],
  ];
  for (const [id, number, injected] of rows) {
    await db.$client.execute({
      sql: `INSERT INTO runs (id, project_id, number, prompt, pattern, created_at, updated_at) VALUES (?, 'p1', ?, 'x', ?, 1, 1)`,
      args: [id, number, injected],
    });
  }

  await migrate(db);

  const patterns = await sql('SELECT id, source_key, source_run_ids FROM patterns ORDER BY source_key');
  expect(patterns.rows.map((r) => [r.source_key, JSON.parse(String(r.source_run_ids))])).toEqual([
    ['a', ['a']],
    ['a,b', ['a', 'b']],
  ]);
  const byKey = new Map(patterns.rows.map((r) => [r.source_key, r.id]));
  const runs = await sql('SELECT id, pattern_id, learn_reason FROM runs ORDER BY number');
  expect(runs.rows.map((r) => [r.id, r.pattern_id, r.learn_reason])).toEqual([
    ['a', null, null],
    ['b', null, null],
    ['c', byKey.get('a'), '{"by":"person"}'],
    ['d', byKey.get('a,b'), '{"by":"person"}'],
    ['e', byKey.get('a,b'), '{"by":"person"}'],
  ]);
  // A pattern stored before pitfalls existed now says it has none.
  const stored = await sql('SELECT pattern FROM runs WHERE pattern IS NOT NULL ORDER BY number');
  expect(stored.rows.map((r) => JSON.parse(String(r.pattern)).pitfalls)).toEqual([[], [], []]);
  closeDb(db);
});
