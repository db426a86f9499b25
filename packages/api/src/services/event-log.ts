import { EventEmitter } from 'node:events';
import { type Database, holdSelect, runEvents } from '@retrace/db';
import { and, asc, eq, gt, inArray, lte, max, type Query, sql } from 'drizzle-orm';
import { isTerminalEvent, PROJECT_EVENT_TYPES, type RunEvent, type RunEventData } from '../events';
import { type Redactor, redactValue } from './redact';

const PAGE = 500;
/** A subscriber re-reads the log at least this often, even if no notification arrived. */
const SAFETY_POLL_MS = 15_000;

type EventRow = typeof runEvents.$inferSelect;

/** A statement as the libSQL client takes it: SQL text and its arguments. */
export type Statement = Extract<Parameters<Database['$client']['batch']>[0][number], { sql: string }>;

export interface AppendOptions {
  /** The caller redacted the data already: it comes from rows it stored redacted. */
  redacted?: boolean;
  /**
   * A write that lands in the same transaction as the events: the rows they announce. A
   * drizzle query, or a statement the caller built itself for a hot path.
   */
  alongside?: Alongside | Alongside[];
}

type Alongside = Statement | { toSQL(): Query };

/** Rows per insert: well under SQLite's limit on bound values. */
const INSERT_CHUNK = 500;

/**
 * A drizzle query as a libSQL statement. Drizzle's SQLite dialect has already mapped its
 * parameters to driver values (JSON text, 0/1, numbers), which is what libSQL binds.
 */
function toStatement(query: Alongside): Statement {
  if (!('toSQL' in query)) return query;
  const { sql, params } = query.toSQL();
  return { sql, args: params as Statement['args'] };
}

/**
 * One multi-row insert of a run's events, written without drizzle's query builder: on the
 * hot path (a step and its event per Codex item) building the query cost more than running it.
 * The columns are those of `runEvents`.
 */
function insertEvents(
  rows: Array<{ runId: string; projectId: string; type: string; data: unknown }>,
  createdAt: number,
): Statement {
  const args: Array<string | number> = [];
  for (const row of rows) args.push(row.runId, row.projectId, row.type, JSON.stringify(row.data), createdAt);
  return {
    sql: `INSERT INTO run_events (run_id, project_id, type, data, created_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
    args,
  };
}

function toEvent(row: EventRow): RunEvent {
  return {
    ...(row.data as object),
    type: row.type,
    id: row.id,
    runId: row.runId,
    projectId: row.projectId,
    createdAt: row.createdAt,
  } as RunEvent;
}

function withoutType(data: RunEventData): Omit<RunEventData, 'type'> {
  const { type: _type, ...rest } = data;
  return rest;
}

/**
 * The append-only event log of every run, secrets redacted. An event is written to the
 * database before it is announced, so a subscriber that reconnects with its last event id misses nothing.
 *
 * Appends for one run are serialised, so a run's events are announced in id order, each
 * with the id of the run's previous event: a subscriber that holds exactly that event can
 * take the new one straight from memory; any gap sends it back to the database.
 */
export function createEventLog(db: Database, redact: Redactor = (text) => text) {
  const emitter = new EventEmitter();
  // Who is following each run right now: a stopping server lets them hear the run's end first.
  const followers = new Map<string, number>();
  const follow = (runId: string, by: 1 | -1) => {
    const count = (followers.get(runId) ?? 0) + by;
    if (count > 0) followers.set(runId, count);
    else followers.delete(runId);
    emitter.emit('followers');
  };

  /** Resolves once no one follows these runs any more (each heard its final status), or after `ms`. */
  async function unfollowed(runIds: string[], ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    const pending = () => runIds.some((id) => followers.has(id));
    while (pending() && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          emitter.off('followers', done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
        emitter.on('followers', done);
      });
    }
  }
  emitter.setMaxListeners(0);
  const lastIdByRun = new Map<string, number>();
  const appendQueues = new Map<string, Promise<unknown>>();

  function serialise<T>(runId: string, task: () => Promise<T>): Promise<T> {
    const previous = appendQueues.get(runId) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    appendQueues.set(runId, settled);
    void settled.then(() => {
      if (appendQueues.get(runId) === settled) appendQueues.delete(runId);
    });
    return next;
  }

  // The latest event id of a run or of a project: read by every run list and steps page, and
  // by a run's first append; held, not built and prepared again per call.
  const lastIdBy = (column: typeof runEvents.runId | typeof runEvents.projectId) => {
    const held = holdSelect(
      db.$reader,
      db
        .select({ id: max(runEvents.id) })
        .from(runEvents)
        .where(eq(column, sql.placeholder('key')))
        .prepare(),
    );
    return async (key: string) => (await held.get({ key }))?.id ?? 0;
  };
  const lastIdOfRun = lastIdBy(runEvents.runId);
  const lastIdOfProject = lastIdBy(runEvents.projectId);

  async function lastIdOf(runId: string): Promise<number> {
    return lastIdByRun.get(runId) ?? lastIdOfRun(runId);
  }

  /**
   * Stores events of one run (multi-row inserts, one transaction with `alongside`), then
   * announces them in order: nothing is announced before it is durable.
   */
  function appendMany(
    runId: string,
    projectId: string,
    datas: RunEventData[],
    options: AppendOptions = {},
  ): Promise<RunEvent[]> {
    if (datas.length === 0) return Promise.resolve([]);
    return serialise(runId, async () => {
      let previousId = await lastIdOf(runId);
      const createdAt = Date.now();
      const values = datas.map((data) => ({
        runId,
        projectId,
        type: data.type,
        data: options.redacted ? withoutType(data) : redactValue(withoutType(data), redact),
      }));
      const inserts: Statement[] = [];
      for (let at = 0; at < values.length; at += INSERT_CHUNK)
        inserts.push(insertEvents(values.slice(at, at + INSERT_CHUNK), createdAt));
      const alongside = [options.alongside ?? []].flat().map(toStatement);
      const statements = [...alongside, ...inserts];
      const results =
        statements.length === 1 && inserts[0]
          ? [await db.$client.execute(inserts[0])]
          : await db.$client.batch(statements, 'write');
      // One insert numbers its rows one after another (the table is this writer's while it
      // runs): its last row has the last id, the others the ids just before. No RETURNING to read.
      const ids: number[] = [];
      for (const [i, result] of results.slice(alongside.length).entries()) {
        const rows = Math.min(INSERT_CHUNK, values.length - i * INSERT_CHUNK);
        if (result.rowsAffected !== rows || result.lastInsertRowid === undefined)
          throw new Error(`events for run ${runId} were not stored`);
        const last = Number(result.lastInsertRowid);
        for (let id = last - rows + 1; id <= last; id++) ids.push(id);
      }
      const stored = values.map((value, i) => toEvent({ ...value, id: ids[i] ?? 0, createdAt }));
      for (const event of stored) {
        emitter.emit(`run:${runId}`, event, previousId);
        emitter.emit(`project:${projectId}`, event);
        previousId = event.id;
      }
      if (stored.some((event) => isTerminalEvent(event))) lastIdByRun.delete(runId);
      else lastIdByRun.set(runId, previousId);
      return stored;
    });
  }

  async function append(runId: string, projectId: string, data: RunEventData): Promise<RunEvent> {
    const [event] = await appendMany(runId, projectId, [data]);
    if (!event) throw new Error(`event for run ${runId} was not stored`);
    return event;
  }

  /** The id of a project's latest event (0 if none). */
  function lastProjectEventId(projectId: string): Promise<number> {
    return lastIdOfProject(projectId);
  }

  async function readRun(runId: string, afterId: number, limit = PAGE): Promise<RunEvent[]> {
    const rows = await db
      .select()
      .from(runEvents)
      .where(and(eq(runEvents.runId, runId), gt(runEvents.id, afterId)))
      .orderBy(asc(runEvents.id))
      .limit(limit);
    return rows.map(toEvent);
  }

  async function readProject(projectId: string, afterId: number, limit = PAGE): Promise<RunEvent[]> {
    const rows = await db
      .select()
      .from(runEvents)
      .where(
        and(
          eq(runEvents.projectId, projectId),
          gt(runEvents.id, afterId),
          inArray(runEvents.type, [...PROJECT_EVENT_TYPES]),
        ),
      )
      .orderBy(asc(runEvents.id))
      .limit(limit);
    return rows.map(toEvent);
  }

  /** Every event of a run after `afterId`, stored then live, ending after the final status. */
  async function* followRun(runId: string, afterId: number, signal: AbortSignal): AsyncGenerator<RunEvent> {
    let lastYielded = afterId;
    // The newest event in hand, yielded or about to be: every event after `lastYielded` up to
    // it is in the batch being yielded or in `buffer`. An announcement that follows on from it
    // is taken from memory, even while a batch is still being yielded; any gap means a read.
    let inHand = afterId;
    let dirty = true;
    const buffer: RunEvent[] = [];
    const waiter = createWaiter(signal);
    const onEvent = (event: RunEvent, previousId: number) => {
      if (event.id <= inHand) return;
      if (!dirty && previousId === inHand) {
        buffer.push(event);
        inHand = event.id;
      } else dirty = true;
      waiter.wake();
    };
    emitter.on(`run:${runId}`, onEvent);
    follow(runId, 1);
    try {
      if (afterId > 0 && (await endedAtOrBefore(runId, afterId))) return;
      while (!signal.aborted) {
        let batch: RunEvent[];
        if (dirty) {
          dirty = false;
          buffer.length = 0;
          inHand = lastYielded;
          batch = await readRun(runId, lastYielded);
          if (batch.length === PAGE) dirty = true;
          // What was announced during the read follows on from `lastYielded` too (the
          // buffer), or is in what was read: both run without a gap from there.
          inHand = Math.max(inHand, batch.at(-1)?.id ?? 0);
        } else {
          batch = buffer.splice(0);
        }
        for (const event of batch) {
          if (event.id <= lastYielded) continue;
          lastYielded = event.id;
          yield event;
          if (isTerminalEvent(event)) return;
        }
        if (!dirty && buffer.length === 0) {
          if (await waiter.wait(SAFETY_POLL_MS)) dirty = true;
        }
      }
    } finally {
      emitter.off(`run:${runId}`, onEvent);
      follow(runId, -1);
      waiter.dispose();
    }
  }

  /** Run created and status events of a project's runs after `afterId`, stored then live. */
  async function* followProject(
    projectId: string,
    afterId: number,
    signal: AbortSignal,
  ): AsyncGenerator<RunEvent> {
    let lastYielded = afterId;
    const waiter = createWaiter(signal);
    const onEvent = (event: RunEvent) => {
      if ((PROJECT_EVENT_TYPES as readonly string[]).includes(event.type)) waiter.wake();
    };
    emitter.on(`project:${projectId}`, onEvent);
    try {
      while (!signal.aborted) {
        const batch = await readProject(projectId, lastYielded);
        for (const event of batch) {
          lastYielded = event.id;
          yield event;
        }
        if (batch.length < PAGE) await waiter.wait(SAFETY_POLL_MS);
      }
    } finally {
      emitter.off(`project:${projectId}`, onEvent);
      waiter.dispose();
    }
  }

  async function endedAtOrBefore(runId: string, eventId: number): Promise<boolean> {
    const statuses = await db
      .select({ data: runEvents.data })
      .from(runEvents)
      .where(and(eq(runEvents.runId, runId), eq(runEvents.type, 'status'), lte(runEvents.id, eventId)));
    return statuses.some((row) =>
      isTerminalEvent({ type: 'status', ...(row.data as object) } as RunEventData),
    );
  }

  return {
    append,
    appendMany,
    lastProjectEventId,
    /** The id of a run's latest stored event (0 if none). */
    lastRunEventId: lastIdOf,
    readRun,
    readProject,
    followRun,
    followProject,
    unfollowed,
  };
}

export type EventLog = ReturnType<typeof createEventLog>;

/** Sleeps until woken, the timeout passes (→ true) or the signal aborts. Wake-ups before a wait are kept. */
function createWaiter(signal: AbortSignal) {
  let resolve: ((timedOut: boolean) => void) | null = null;
  let pending = false;
  const onAbort = () => resolve?.(false);
  signal.addEventListener('abort', onAbort);
  return {
    wake() {
      if (resolve) resolve(false);
      else pending = true;
    },
    wait(timeoutMs: number): Promise<boolean> {
      if (pending || signal.aborted) {
        pending = false;
        return Promise.resolve(false);
      }
      return new Promise<boolean>((r) => {
        const timer = setTimeout(() => done(true), timeoutMs);
        const done = (timedOut: boolean) => {
          clearTimeout(timer);
          resolve = null;
          r(timedOut);
        };
        resolve = done;
      });
    },
    dispose() {
      signal.removeEventListener('abort', onAbort);
      resolve?.(false);
    },
  };
}
