import { type Client, createClient } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import * as schema from './schema/index';

export type Database = LibSQLDatabase<typeof schema> & { $client: Client };

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
  const client = createClient({
    url: url === ':memory:' ? ':memory:' : url,
    ...(authToken ? { authToken } : {}),
  });
  const db = drizzle({ client, schema, casing: 'snake_case' }) as Database;
  if (isLocalFile(url)) {
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    await client.execute('PRAGMA synchronous = NORMAL');
  }
  if (isLocalFile(url) || url === ':memory:') {
    await client.execute('PRAGMA foreign_keys = ON');
  }
  return db;
}

function isLocalFile(url: string): boolean {
  return url.startsWith('file:') && url !== 'file::memory:';
}
