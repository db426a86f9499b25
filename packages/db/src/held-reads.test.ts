import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desc, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  closeDb,
  createDb,
  type Database,
  holdDataVersion,
  holdSelect,
  migrate,
  projects,
  runs,
} from './index';

let dir: string;
let db: Database;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'retrace-held-'));
  db = await createDb({ url: `file:${join(dir, 'retrace.db')}` });
  await migrate(db);
  await db.insert(projects).values({ id: 'p1', name: 'demo', fullAccess: true });
});
afterEach(() => {
  closeDb(db);
  rmSync(dir, { recursive: true, force: true });
});

const runById = (database: Database) =>
  database
    .select()
    .from(runs)
    .where(eq(runs.id, sql.placeholder('id')))
    .prepare();

describe('holdSelect', () => {
  it('holds its statements on a connection of the file that cannot write', () => {
    expect(db.$reader).not.toBeNull();
    expect(() => db.$reader?.exec("INSERT INTO projects (id, name) VALUES ('p2', 'other')")).toThrow(
      /readonly|query_only/i,
    );
  });

  it('answers exactly as drizzle does: JSON, booleans and timestamps mapped alike', async () => {
    await db.insert(runs).values({
      id: 'r1',
      projectId: 'p1',
      number: 1,
      prompt: 'do it',
      fullAccess: true,
      filesTouched: ['a.txt', 'b/c.txt'],
      branch: { name: 'retrace/demo/1', commit: 'abc', remote: null, pushedAt: null },
    });
    const held = holdSelect(db.$reader, runById(db));
    const row = await held.get({ id: 'r1' });
    expect(row).toEqual(await runById(db).get({ id: 'r1' }));
    expect(row).toMatchObject({
      fullAccess: true,
      filesTouched: ['a.txt', 'b/c.txt'],
      branch: { remote: null },
    });
    expect(typeof row?.createdAt).toBe('number');
    expect(await held.get({ id: 'missing' })).toBeUndefined();
    // A computed field, decoded as drizzle decodes it.
    const flagged = db
      .select({ id: runs.id, hasBranch: sql<boolean>`${runs.branch} is not null`.mapWith(Boolean) })
      .from(runs)
      .prepare();
    expect(await holdSelect(db.$reader, flagged).all()).toEqual(await flagged.all());
    expect(await flagged.all()).toEqual([{ id: 'r1', hasBranch: true }]);
  });

  it('sees each write as soon as it is committed, though the statement is held', async () => {
    const page = holdSelect(
      db.$reader,
      db
        .select({ number: runs.number, status: runs.status })
        .from(runs)
        .where(eq(runs.projectId, sql.placeholder('projectId')))
        .orderBy(desc(runs.number))
        .prepare(),
    );
    expect(await page.all({ projectId: 'p1' })).toEqual([]);
    for (const number of [1, 2, 3]) {
      await db.insert(runs).values({ id: `r${number}`, projectId: 'p1', number, prompt: 'p' });
      expect((await page.all({ projectId: 'p1' })).map((r) => r.number)).toEqual(
        Array.from({ length: number }, (_, i) => number - i),
      );
    }
    await db.update(runs).set({ status: 'succeeded' }).where(eq(runs.id, 'r2'));
    expect(await page.all({ projectId: 'p1' })).toContainEqual({ number: 2, status: 'succeeded' });
  });

  it('falls back to drizzle’s prepared query without a read connection (in memory)', async () => {
    const memory = await createDb({ url: ':memory:' });
    await migrate(memory);
    await memory.insert(projects).values({ id: 'p1', name: 'demo' });
    await memory.insert(runs).values({ id: 'r1', projectId: 'p1', number: 1, prompt: 'p' });
    expect(memory.$reader).toBeNull();
    expect(await holdSelect(memory.$reader, runById(memory)).get({ id: 'r1' })).toMatchObject({ number: 1 });
    closeDb(memory);
  });
});

describe('holdDataVersion', () => {
  const file = () => `file:${join(dir, 'retrace.db')}`;

  it("changes at once after each of this process's writes lands, and not after a read", async () => {
    // Asked once an hour, SQLite's own counter cannot be what tells these writes.
    const version = holdDataVersion(db, { otherWritersMs: 3_600_000 });
    if (!version) throw new Error('a file database has a read connection');
    const before = version();
    await db.select().from(runs);
    await db.$client.execute('select count(*) from runs');
    expect(version()).toBe(before);
    await db.insert(runs).values({ id: 'r1', projectId: 'p1', number: 1, prompt: 'p' });
    const afterInsert = version();
    expect(afterInsert).not.toBe(before);
    expect(version()).toBe(afterInsert);
    // The event log writes through the client itself, in batches.
    await db.$client.batch(
      [{ sql: "update runs set status = 'running' where id = 'r1'", args: [] }],
      'write',
    );
    expect(version()).not.toBe(afterInsert);
  });

  it("notices another connection's commit once otherWritersMs have passed", async () => {
    const version = holdDataVersion(db, { otherWritersMs: 20 });
    if (!version) throw new Error('a file database has a read connection');
    const before = version();
    // Another process's writer is another connection, with a count of its own.
    const other = await createDb({ url: file() });
    await other.insert(runs).values({ id: 'r2', projectId: 'p1', number: 2, prompt: 'p' });
    closeDb(other);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const after = version();
    expect(after).not.toBe(before);
    expect(version()).toBe(after);
  });

  it('is null without a read connection: no change could be told', async () => {
    const memory = await createDb({ url: ':memory:' });
    expect(holdDataVersion(memory)).toBeNull();
    closeDb(memory);
  });
});
