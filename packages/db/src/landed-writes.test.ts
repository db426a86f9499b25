import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { closeDb, createDb, type Database, migrate, projects } from './index';

let dir: string;
let db: Database;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'retrace-landed-'));
  db = await createDb({ url: `file:${join(dir, 'retrace.db')}` });
  await migrate(db);
});
afterEach(() => {
  closeDb(db);
  rmSync(dir, { recursive: true, force: true });
});

it('counts a write once it has landed, not while it is under way, and no select', async () => {
  const before = db.$landedWrites();
  const insert = db.insert(projects).values({ id: 'p1', name: 'demo' }).execute();
  expect(db.$landedWrites()).toBe(before);
  await insert;
  expect(db.$landedWrites()).toBe(before + 1);
  await db.select().from(projects);
  await db.$client.batch(['select 1', ['select ?', [2]]], 'deferred');
  expect(db.$landedWrites()).toBe(before + 1);
});

it('counts a failed write too: the reader cannot know it changed nothing', async () => {
  await db.insert(projects).values({ id: 'p1', name: 'demo' });
  const before = db.$landedWrites();
  await expect(db.insert(projects).values({ id: 'p1', name: 'again' })).rejects.toThrow();
  expect(db.$landedWrites()).toBe(before + 1);
});

it("counts a transaction's writes at its commit", async () => {
  const before = db.$landedWrites();
  await db.transaction(async (tx) => {
    await tx.insert(projects).values({ id: 'p2', name: 'in a transaction' });
    expect(db.$landedWrites()).toBe(before);
  });
  expect(db.$landedWrites()).toBe(before + 1);
});
