import { type Database, steps } from '@retrace/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toStep } from '../dto';
import type { RunEvent, RunEventData } from '../events';
import { createTempDb, insertRun } from '../test/temp-db';
import { createEventLog, type EventLog } from './event-log';

let db: Database;
let cleanup: () => void;
let log: EventLog;

beforeEach(async () => {
  ({ db, cleanup } = await createTempDb());
  log = createEventLog(db);
  await insertRun(db, 'r1');
  await insertRun(db, 'r2', 'p1', 2);
});
afterEach(() => cleanup());

const logEvent = (i: number): RunEventData => ({
  type: 'log',
  level: 'info',
  source: 'test',
  message: `m${i}`,
});
const finalEvent = (): RunEventData => ({
  type: 'status',
  status: 'succeeded',
  phase: null,
  error: null,
  run: { id: 'r1' } as never,
});

async function collect(iterable: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const event of iterable) out.push(event);
  return out;
}

const messages = (events: RunEvent[]) => events.map((e) => (e.type === 'log' ? e.message : e.type));

describe('event log', () => {
  it('delivers stored then live events once, in order, and ends after the final status', async () => {
    for (let i = 0; i < 3; i++) await log.append('r1', 'p1', logEvent(i));
    const received = collect(log.followRun('r1', 0, new AbortController().signal));
    for (let i = 3; i < 40; i++) void log.append('r1', 'p1', logEvent(i));
    await log.append('r2', 'p1', logEvent(999)); // another run's event is not delivered
    await log.append('r1', 'p1', finalEvent());
    const events = await received;
    expect(messages(events)).toEqual([...Array.from({ length: 40 }, (_, i) => `m${i}`), 'status']);
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
  });

  it('resumes after lastEventId with exactly the missed events', async () => {
    const first: RunEvent[] = [];
    for (let i = 0; i < 10; i++) first.push(await log.append('r1', 'p1', logEvent(i)));
    await log.append('r1', 'p1', finalEvent());
    const resumed = await collect(log.followRun('r1', first[6]?.id ?? 0, new AbortController().signal));
    expect(messages(resumed)).toEqual(['m7', 'm8', 'm9', 'status']);
  });

  it('ends at once for a cursor at or past the final event', async () => {
    await log.append('r1', 'p1', logEvent(0));
    const last = await log.append('r1', 'p1', finalEvent());
    expect(await collect(log.followRun('r1', last.id, new AbortController().signal))).toEqual([]);
  });

  it('gives 50 concurrent subscribers the same complete sequence', async () => {
    const subscribers = Array.from({ length: 50 }, (_, i) =>
      collect(log.followRun('r1', 0, new AbortController().signal)).then((events) => ({ i, events })),
    );
    const writers = [];
    for (let i = 0; i < 200; i++) writers.push(log.append('r1', 'p1', logEvent(i)));
    await Promise.all(writers);
    await log.append('r1', 'p1', finalEvent());
    const results = await Promise.all(subscribers);
    const expected = [...Array.from({ length: 200 }, (_, i) => `m${i}`), 'status'];
    for (const { events } of results) expect(messages(events)).toEqual(expected);
  });

  it('stops following when the signal aborts', async () => {
    const abort = new AbortController();
    const received = collect(log.followRun('r1', 0, abort.signal));
    await log.append('r1', 'p1', logEvent(0));
    setTimeout(() => abort.abort(), 20);
    expect(messages(await received)).toEqual(['m0']);
  });

  it('follows a project: created and status events of all its runs, not steps or logs', async () => {
    const abort = new AbortController();
    const received: RunEvent[] = [];
    const done = (async () => {
      for await (const event of log.followProject('p1', 0, abort.signal)) {
        received.push(event);
        if (received.length === 3) abort.abort();
      }
    })();
    await log.append('r1', 'p1', { type: 'created', run: { id: 'r1' } as never });
    await log.append('r1', 'p1', logEvent(1));
    await log.append('r2', 'p1', { type: 'created', run: { id: 'r2' } as never });
    await log.append('r1', 'p1', finalEvent());
    await done;
    expect(received.map((e) => `${e.runId}:${e.type}`)).toEqual(['r1:created', 'r2:created', 'r1:status']);
  });

  it('commits the rows it announces with its events, or neither', async () => {
    const step = (seq: number) => ({
      runId: 'r1',
      seq,
      kind: 'command' as const,
      instruction: `step ${seq}`,
      outcomeOk: true,
      payload: null,
      startedAt: 0,
      finishedAt: 0,
    });
    const announce = (seq: number) => ({ type: 'step' as const, step: toStep(step(seq)) });
    await log.appendMany('r1', 'p1', [announce(1)], { alongside: db.insert(steps).values([step(1)]) });
    // The same seq again breaks the steps' primary key: the transaction takes the event with it.
    await expect(
      log.appendMany('r1', 'p1', [announce(1)], { alongside: db.insert(steps).values([step(1)]) }),
    ).rejects.toThrow();
    expect(await db.select().from(steps)).toHaveLength(1);
    expect((await log.readRun('r1', 0)).map((e) => e.type)).toEqual(['step']);
  });
});

describe('event log appends', () => {
  it('announces many events with the ids and times they were stored with, in one transaction', async () => {
    const live: RunEvent[] = [];
    const abort = new AbortController();
    const following = (async () => {
      for await (const event of log.followRun('r1', 0, abort.signal)) live.push(event);
    })();
    await log.append('r2', 'p1', logEvent(-1)); // another run's ids in between
    const appended = await log.appendMany(
      'r1',
      'p1',
      Array.from({ length: 1203 }, (_, i) => logEvent(i)),
    );
    await log.append('r2', 'p1', logEvent(-2));
    await log.append('r1', 'p1', finalEvent());
    await following;
    const stored = await log.readRun('r1', 0, 5000);
    expect(appended).toEqual(stored.slice(0, 1203));
    expect(live).toEqual(stored);
    expect(messages(stored)).toEqual([...Array.from({ length: 1203 }, (_, i) => `m${i}`), 'status']);
  });

  it('keeps a slow subscriber complete while events arrive as it takes the last ones', async () => {
    const received: RunEvent[] = [];
    const done = (async () => {
      for await (const event of log.followRun('r1', 0, new AbortController().signal)) {
        received.push(event);
        // A subscriber that is busy with each event: the next ones are announced meanwhile.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let i = 0; i < 30; i++) {
      await log.appendMany('r1', 'p1', [logEvent(3 * i), logEvent(3 * i + 1), logEvent(3 * i + 2)]);
      if (i % 4 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await log.append('r1', 'p1', finalEvent());
    await done;
    expect(messages(received)).toEqual([...Array.from({ length: 90 }, (_, i) => `m${i}`), 'status']);
  });
});
