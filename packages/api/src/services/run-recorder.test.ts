import { join } from 'node:path';
import { type Database, steps } from '@retrace/db';
import type { RunnerEvent, Step } from '@retrace/protocol';
import { asc } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../events';
import { createTempDb, insertRun } from '../test/temp-db';
import { createArtifactStore } from './artifact-store';
import { createEventLog, type EventLog } from './event-log';
import { EVENT_PAYLOAD_PREVIEW_CHARS } from './limits';
import { createRedactor } from './redact';
import { createRunRecorder } from './run-recorder';

let db: Database;
let dir: string;
let cleanup: () => void;
let events: EventLog;
let recorder: ReturnType<typeof createRunRecorder>;

beforeEach(async () => {
  ({ db, dir, cleanup } = await createTempDb());
  const redact = createRedactor(['hunter2-secret']);
  events = createEventLog(db, redact);
  await insertRun(db, 'r1');
  recorder = createRunRecorder(
    { db, events, artifacts: createArtifactStore(join(dir, 'artifacts')), redact },
    { id: 'r1', projectId: 'p1' },
  );
});
afterEach(() => cleanup());

const stepEvent = (seq: number, step: Partial<Step> = {}): RunnerEvent => ({
  type: 'step',
  step: {
    seq,
    kind: 'command',
    instruction: `echo ${seq}`,
    outcomeOk: true,
    payload: { output: `out ${seq}` },
    startedAt: 1000 + seq,
    finishedAt: 2000 + seq,
    ...step,
  },
});

/** Every event of the run announced from now on, as subscribers hear them. */
function heard(): RunEvent[] {
  const out: RunEvent[] = [];
  const abort = new AbortController();
  void (async () => {
    for await (const event of events.followRun('r1', 0, abort.signal)) out.push(event);
  })();
  return out;
}

describe('run recorder', () => {
  it('stores each field of a step as drizzle reads it back, secrets redacted', async () => {
    await recorder.recordBatch([
      stepEvent(1, { outcomeOk: false, payload: undefined, finishedAt: null, kind: 'error' }),
      stepEvent(2, {
        instruction: 'echo hunter2-secret',
        payload: { nested: ['a', { b: 'hunter2-secret' }] },
      }),
    ]);
    const rows = await db.select().from(steps).orderBy(asc(steps.seq));
    expect(rows).toEqual([
      {
        runId: 'r1',
        seq: 1,
        kind: 'error',
        instruction: 'echo 1',
        outcomeOk: false,
        payload: null,
        startedAt: 1001,
        finishedAt: null,
      },
      {
        runId: 'r1',
        seq: 2,
        kind: 'command',
        instruction: 'echo [REDACTED]',
        outcomeOk: true,
        payload: { nested: ['a', { b: '[REDACTED]' }] },
        startedAt: 1002,
        finishedAt: 2002,
      },
    ]);
  });

  it('announces what it stored: ids and times as read back, in order, each step once', async () => {
    const live = heard();
    // Past one insert's rows: the batch is cut into several inserts in one transaction.
    const batch = Array.from({ length: 1234 }, (_, i) => stepEvent(i + 1));
    await recorder.recordBatch(batch);
    await recorder.recordBatch([stepEvent(1234), stepEvent(1235)]); // a resent step is skipped
    // The log artifact's registration is announced too, before the steps.
    const stored = await events.readRun('r1', 0, 5000);
    expect(stored[0]?.type).toBe('artifact');
    expect(stored.slice(1).map((e) => (e.type === 'step' ? e.step.seq : 0))).toEqual(
      Array.from({ length: 1235 }, (_, i) => i + 1),
    );
    await expect.poll(() => live.length).toBe(1236);
    expect(live).toEqual(stored);
    expect(await db.$count(steps)).toBe(1235);
  });

  it('cuts a long payload to fit in its event, in its own shape, and stores it whole', async () => {
    const output = Array.from({ length: 4000 }, (_, i) => `line ${i}`).join('\n');
    const payload = {
      id: 'item_1',
      type: 'command_execution',
      aggregated_output: output,
      exit_code: 2,
      status: 'failed',
    };
    await recorder.recordBatch([stepEvent(1, { payload })]);
    const event = (await events.readRun('r1', 0)).find((e) => e.type === 'step');
    const cut = event?.type === 'step' ? (event.step.payload as typeof payload & { truncated: true }) : null;
    // The output is still the output, its start; every other field whole.
    expect(cut?.aggregated_output.startsWith('line 0\nline 1\n')).toBe(true);
    expect(cut?.aggregated_output.endsWith('…')).toBe(true);
    expect(cut?.aggregated_output.length).toBeLessThan(output.length);
    expect({ ...cut, aggregated_output: undefined }).toEqual({
      ...payload,
      aggregated_output: undefined,
      truncated: true,
    });
    expect(JSON.stringify(cut).length).toBeLessThan(EVENT_PAYLOAD_PREVIEW_CHARS * 1.2);
    const [row] = await db.select().from(steps);
    expect(row?.payload).toEqual(payload);
  });

  it('cuts a payload long only as a whole by shortening its lists, and keeps a short one whole', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `line ${i} of a long listing`);
    await recorder.recordBatch([
      stepEvent(1, { payload: { lines } }),
      stepEvent(2, { payload: { output: 'short' } }),
    ]);
    const [first, second] = (await events.readRun('r1', 0)).flatMap((e) =>
      e.type === 'step' ? [e.step] : [],
    );
    const cut = first?.payload as { lines: string[]; truncated: boolean };
    expect(cut.truncated).toBe(true);
    expect(cut.lines.length).toBeGreaterThan(100);
    expect(cut.lines.length).toBeLessThan(lines.length);
    expect(cut.lines.slice(0, -1)).toEqual(lines.slice(0, cut.lines.length - 1));
    expect(JSON.stringify(cut).length).toBeLessThan(EVENT_PAYLOAD_PREVIEW_CHARS * 1.2);
    expect(second?.payload).toEqual({ output: 'short' });
  });
});
