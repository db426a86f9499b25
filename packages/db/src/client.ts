import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Client, createClient } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { type Checkpointer, startCheckpointer } from './checkpointer';
import { openReadConnection, type ReadConnection } from './held-reads';
import { countLandedWrites } from './landed-writes';
import * as schema from './schema/index';

export type Database = LibSQLDatabase<typeof schema> & {
  $client: Client;
  /** A file database's native read connection, for the hot reads it holds (`holdSelect`). */
  $reader: ReadConnection | null;
  /** How many writes through `$client` have landed so far (`holdDataVersion`). */
  $landedWrites: () => number;
};

export interface CreateDbOptions {
  /** `file:path/to.db`, `:memory:`, or a libSQL server (`libsql://`, `http(s)://`, `ws(s)://`). */
  url: string;
  /** Auth token for a libSQL server. */
  authToken?: string;
  /** How long a writer waits for a lock held by another connection (file databases). */
  busyTimeoutMs?: number;
}

/**
 * Opens the database. File databases get WAL (readers never block the writer, which is
 * what live subscriptions reading while a run writes need) and a busy timeout.
 */
export async function createDb({ url, authToken, busyTimeoutMs = 5000 }: CreateDbOptions): Promise<Database> {
  if (isLocalFile(url)) keepPrivate(filePath(url));
  const client = createClient({
    url: url === ':memory:' ? ':memory:' : url,
    ...(authToken ? { authToken } : {}),
  });
  let checkpointer: Checkpointer | null = null;
  const landedWrites = countLandedWrites(client, () => checkpointer?.landed());
  const db = Object.assign(drizzle({ client, schema, casing: 'snake_case' }), {
    $reader: null,
    $landedWrites: landedWrites,
  }) as Database;
  if (isLocalFile(url)) {
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    await client.execute('PRAGMA synchronous = NORMAL');
    // Checkpoints off the writer's thread (see startCheckpointer); back inline should that fail.
    await client.execute('PRAGMA wal_autocheckpoint = 0');
    checkpointer = startCheckpointer(filePath(url), () =>
      client.execute(`PRAGMA wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`).catch(() => undefined),
    );
    checkpointers.set(db, checkpointer);
    // Opened once the file is in WAL mode: the reader then never blocks the writer.
    db.$reader = openReadConnection(filePath(url), busyTimeoutMs);
  }
  if (isLocalFile(url) || url === ':memory:') {
    await client.execute('PRAGMA foreign_keys = ON');
  }
  return db;
}

/** SQLite's own default: a checkpoint once the WAL holds this many pages. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

const checkpointers = new WeakMap<Database, Checkpointer>();

/** Closes both connections, and ends the checkpoint thread. */
export function closeDb(db: Database): void {
  checkpointers.get(db)?.stop();
  db.$reader?.close();
  db.$client.close();
}

/** The path of a `file:` URL, absolute (`file:/x`, `file:///x`) or relative (`file:x`). */
function filePath(url: string): string {
  return url.startsWith('file://') ? fileURLToPath(url) : (url.slice('file:'.length).split('?')[0] ?? '');
}

/**
 * The database holds every prompt, command and output: only its owner reads it. Created
 * 0600 before SQLite opens it, so its WAL and shared-memory files (which take its mode) are too.
 */
function keepPrivate(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

function isLocalFile(url: string): boolean {
  return url.startsWith('file:') && url !== 'file::memory:';
}
