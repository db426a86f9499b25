import { Column, fillPlaceholders, is, type Query, SQL } from 'drizzle-orm';
import Libsql from 'libsql';
import type { Database } from './client';

/** A native read-only connection to the database file, for the statements it holds. */
export type ReadConnection = InstanceType<typeof Libsql>;

export function openReadConnection(path: string, busyTimeoutMs: number): ReadConnection {
  const connection = new Libsql(path);
  // libsql's `readonly` option is not implemented: SQLite's own switch refuses every write.
  connection.pragma('query_only = ON');
  connection.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
  return connection;
}

type Values = Record<string, unknown>;

/** A select drizzle has prepared (`db.select()…prepare()`): its SQL, and its own row mapping. */
interface PreparedSelect<Row> {
  getQuery(): Query;
  mapGetResult(rows: unknown): unknown;
  get(values?: Values): Promise<Row | undefined>;
  all(values?: Values): Promise<Row[]>;
}

export interface HeldSelect<Row> {
  get(values?: Values): Promise<Row | undefined>;
  all(values?: Values): Promise<Row[]>;
}

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}

/**
 * Drizzle's own row mapping, worked out once for a flat select (one table, no joins): each
 * column's key and decoder. `mapResultRow` works them out again for every field of every
 * row, which cost more than SQLite reading the rows of a run list. Null when the select is
 * not flat: drizzle maps it. `fields` is the prepared query's ordered selection.
 */
function flatMapper(prepared: object): ((row: unknown[]) => Record<string, unknown>) | null {
  const { fields } = prepared as { fields?: Array<{ path: string[]; field: unknown }> };
  if (!fields) return null;
  const plan: Array<{ key: string; decoder: Decoder }> = [];
  for (const { path, field } of fields) {
    const [key] = path;
    const decoder = is(field, Column)
      ? field
      : is(field, SQL)
        ? (field as unknown as { decoder: Decoder }).decoder
        : null;
    if (path.length !== 1 || key === undefined || !decoder) return null;
    plan.push({ key, decoder });
  }
  return (row) => {
    const result: Record<string, unknown> = {};
    for (let i = 0; i < plan.length; i++) {
      const { key, decoder } = plan[i] as (typeof plan)[number];
      const value = row[i];
      result[key] = value === null ? null : decoder.mapFromDriverValue(value);
    }
    return result;
  };
}

/** What the client would bind for a value (booleans and dates as SQLite stores them). */
function bindable(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.valueOf();
  return value;
}

/**
 * A select built and mapped by drizzle, held as one native statement on the read connection.
 * `@libsql/client` prepares every statement again and asks for its columns on each call,
 * which cost far more than SQLite answering a primary-key read; a held statement only binds
 * and steps. It reads what is committed, like any other connection: for reads outside a
 * transaction. Without a read connection (`:memory:`, a libSQL server) drizzle's own
 * prepared query answers.
 */
export function holdSelect<Row>(
  reader: ReadConnection | null,
  prepared: PreparedSelect<Row>,
): HeldSelect<Row> {
  if (!reader) return { get: (values) => prepared.get(values), all: (values) => prepared.all(values) };
  const { sql, params } = prepared.getQuery();
  // Prepared at first use: the tables exist once migrations have run.
  let statement: ReturnType<ReadConnection['prepare']> | undefined;
  // The statement takes its parameters as an array (`get(...args)` would spread them again).
  const bound = (values: Values | undefined) => {
    statement ??= reader.prepare(sql).raw(true);
    return { statement, args: fillPlaceholders(params, values ?? {}).map(bindable) };
  };
  const mapRow =
    flatMapper(prepared) ?? ((row: unknown[]) => prepared.mapGetResult([row]) as Record<string, unknown>);
  return {
    get: async (values) => {
      const { statement, args } = bound(values);
      const row = statement.get(args) as unknown[] | undefined;
      return (row === undefined ? undefined : mapRow(row)) as Row | undefined;
    },
    all: async (values) => {
      const { statement, args } = bound(values);
      return (statement.all(args) as unknown[][]).map(mapRow) as Row[];
    },
  };
}

/** How soon a commit by another process (another server on the same file) is noticed. */
const OTHER_WRITERS_MS = 1;

/**
 * A number that changes once the database may have changed, and only then: at once after
 * each write this process made through its client (counted as it lands), and within
 * `otherWritersMs` after another process's commit (SQLite's `PRAGMA data_version` on the read
 * connection, asked at most that often). Asking SQLite on every request took two file-lock
 * calls each time, a third of a kept answer's cost. Null without a read connection: no
 * change from elsewhere could be told.
 */
export function holdDataVersion(
  db: Pick<Database, '$reader' | '$landedWrites'>,
  { otherWritersMs = OTHER_WRITERS_MS }: { otherWritersMs?: number } = {},
): (() => number) | null {
  const reader = db.$reader;
  if (!reader) return null;
  // libsql's `pluck` is not implemented: a raw row is `[version]`.
  const statement = reader.prepare('PRAGMA data_version').raw(true);
  const dataVersion = () => (statement.get([]) as [number])[0];
  let data = dataVersion();
  let askedAt = performance.now();
  let landed = db.$landedWrites();
  let version = 0;
  return () => {
    const now = performance.now();
    if (now - askedAt >= otherWritersMs) {
      askedAt = now;
      const current = dataVersion();
      if (current !== data) version++;
      data = current;
    }
    const current = db.$landedWrites();
    if (current !== landed) version++;
    landed = current;
    return version;
  };
}
