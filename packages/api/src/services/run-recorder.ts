import { type ArtifactKind, artifacts, type Database, type RunStatus, runs, type steps } from '@retrace/db';
import type { RunnerEvent, Step as RunnerStep, RunPhase, RunUsage, WorkspaceDiff } from '@retrace/protocol';
import { and, eq, inArray } from 'drizzle-orm';
import { type DiffSummary, toArtifact, toRunListItem, toStep } from '../dto';
import { newArtifactId } from '../ids';
import { ARTIFACT_FILES, type ArtifactStore } from './artifact-store';
import type { EventLog, Statement } from './event-log';
import { previewPayload } from './payload-preview';
import { type Redactor, redactValue } from './redact';
import { runEndLine, runLogLines } from './run-log';

/** Rows per insert: well under SQLite's limit on bound values. */
const WRITE_CHUNK = 500;

export interface RecorderDeps {
  db: Database;
  events: EventLog;
  artifacts: ArtifactStore;
  redact: Redactor;
}

export interface RunEnding {
  status: Extract<RunStatus, 'succeeded' | 'failed' | 'canceled'>;
  error: string | null;
  summary?: string | null;
  filesTouched?: string[];
  usage?: RunUsage | null;
  lastMessage?: string | null;
  workspacePath?: string | null;
  verified?: boolean | null;
  turns?: number | null;
}

/**
 * A raw Codex line with its secrets redacted inside each JSON string, not over the escaped
 * text (where `TOKEN=abc\nmore` is one word and the redaction would swallow the rest). A
 * line with no secret is kept byte for byte.
 */
export function redactLine(line: string, redact: Redactor): string {
  if (redact(line) === line) return line;
  try {
    return JSON.stringify(redactValue(JSON.parse(line) as unknown, redact));
  } catch {
    return redact(line);
  }
}

export function summariseDiff(diff: WorkspaceDiff): DiffSummary {
  return {
    files: diff.files.map(({ patch: _patch, truncated: _truncated, ...file }) => file),
    additions: diff.additions,
    deletions: diff.deletions,
    truncated: diff.truncated,
  };
}

type StepRow = typeof steps.$inferInsert;

/**
 * One multi-row insert of steps, written without drizzle's query builder: for a run's
 * thousands of steps, building the query cost more than running it. The columns are those
 * of `steps`, the values mapped as drizzle maps them (JSON text, booleans as 0/1).
 */
function insertSteps(rows: StepRow[], payloadTexts: Array<string | null>): Statement {
  const args: Array<string | number | null> = [];
  for (const [i, row] of rows.entries())
    args.push(
      row.runId,
      row.seq,
      row.kind,
      row.instruction,
      row.outcomeOk ? 1 : 0,
      payloadTexts[i] ?? null,
      row.startedAt,
      row.finishedAt ?? null,
    );
  return {
    sql: `INSERT INTO steps (run_id, seq, kind, instruction, outcome_ok, payload, started_at, finished_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
    args,
  };
}

async function runSnapshot(db: Database, runId: string) {
  const [row] = await db.select().from(runs).where(eq(runs.id, runId));
  if (!row) throw new Error(`run ${runId} disappeared`);
  return toRunListItem(row);
}

/** Appends a status event carrying the run as it now is, for run lists to update in place. */
export async function announceStatus(
  deps: Pick<RecorderDeps, 'db' | 'events'>,
  run: { id: string; projectId: string },
  status: RunStatus,
  phase: RunPhase | null,
  error: string | null = null,
) {
  const snapshot = await runSnapshot(deps.db, run.id);
  return deps.events.append(run.id, run.projectId, { type: 'status', status, phase, error, run: snapshot });
}

/**
 * Persists one run's runner events in the order they arrive: each is written to the
 * database (and artifact files) before it is announced on the event log.
 */
export function createRunRecorder(deps: RecorderDeps, run: { id: string; projectId: string }) {
  const { db, events, artifacts: store, redact } = deps;
  const registered = new Set<ArtifactKind>();
  // The first artifact that could not be written: the run goes on (its steps and events are
  // in the database), but it ends failed, saying what is missing.
  let recordingError: string | null = null;

  async function keepingGoing(kind: ArtifactKind, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      const message = `could not write the ${ARTIFACT_FILES[kind].name} artifact: ${(error as Error).message}`;
      if (recordingError === null) {
        recordingError = message;
        await events.append(run.id, run.projectId, {
          type: 'log',
          level: 'error',
          source: 'recorder',
          message,
        });
      }
    }
  }

  async function registerArtifact(kind: ArtifactKind): Promise<void> {
    if (registered.has(kind)) return;
    registered.add(kind);
    const file = ARTIFACT_FILES[kind];
    const [row] = await db
      .insert(artifacts)
      .values({
        id: newArtifactId(),
        runId: run.id,
        kind,
        name: file.name,
        contentType: file.contentType,
        size: 0,
        storagePath: store.storagePath(run.id, file.name),
      })
      .onConflictDoNothing()
      .returning();
    if (row) await events.append(run.id, run.projectId, { type: 'artifact', artifact: toArtifact(row) });
  }

  async function writeArtifact(kind: ArtifactKind, content: string): Promise<void> {
    const size = await store.write(run.id, ARTIFACT_FILES[kind].name, redact(content));
    await registerArtifact(kind);
    await db
      .update(artifacts)
      .set({ size })
      .where(and(eq(artifacts.runId, run.id), eq(artifacts.kind, kind)));
  }

  async function appendArtifact(kind: ArtifactKind, text: string): Promise<void> {
    await store.append(run.id, ARTIFACT_FILES[kind].name, redact(text));
    await registerArtifact(kind);
  }

  /** Lines the caller redacted (Codex's, inside their JSON strings), each ended by a newline. */
  async function appendLines(kind: ArtifactKind, lines: readonly string[]): Promise<void> {
    await store.append(run.id, ARTIFACT_FILES[kind].name, lines);
    await registerArtifact(kind);
  }

  /** Brings the recorded sizes of appended artifacts up to date with their files. */
  async function syncArtifactSizes(): Promise<void> {
    const rows = await db
      .select()
      .from(artifacts)
      .where(and(eq(artifacts.runId, run.id), inArray(artifacts.kind, ['codex_jsonl', 'log'])));
    for (const row of rows) {
      const size = await store.size(row.storagePath);
      if (size !== null && size !== row.size)
        await db.update(artifacts).set({ size }).where(eq(artifacts.id, row.id));
    }
  }

  // Steps arrive in order; a step seen again (a runner resending after a reconnect) is skipped.
  let lastSeq = 0;

  /**
   * Steps in multi-row inserts, their events likewise, all in one transaction: the steps
   * that arrived together are one write, not one per step.
   */
  async function recordSteps(list: RunnerStep[]): Promise<void> {
    const fresh = list.filter((step) => step.seq > lastSeq);
    if (fresh.length === 0) return;
    lastSeq = Math.max(lastSeq, ...fresh.map((step) => step.seq));
    const rows = fresh.map((step) => {
      const clean = redactValue(step, redact);
      return {
        runId: run.id,
        seq: clean.seq,
        kind: clean.kind,
        instruction: clean.instruction,
        outcomeOk: clean.outcomeOk,
        payload: clean.payload ?? null,
        startedAt: clean.startedAt,
        finishedAt: clean.finishedAt,
      };
    });
    // Serialised once: the stored payload, and the measure of whether its event needs a preview.
    const payloadTexts = rows.map((row) => (row.payload === null ? null : JSON.stringify(row.payload)));
    const inserts: Statement[] = [];
    for (let at = 0; at < rows.length; at += WRITE_CHUNK)
      inserts.push(insertSteps(rows.slice(at, at + WRITE_CHUNK), payloadTexts.slice(at, at + WRITE_CHUNK)));
    // The steps and the events announcing them commit together.
    await events.appendMany(
      run.id,
      run.projectId,
      rows.map((row, i) => {
        const step = toStep(row);
        // A long payload travels cut to fit; the steps table has it whole.
        step.payload = previewPayload(step.payload, payloadTexts[i] ?? null);
        return { type: 'step' as const, step };
      }),
      { redacted: true, alongside: inserts },
    );
  }

  async function recordOne(event: Exclude<RunnerEvent, { type: 'step' | 'codex_line' }>): Promise<void> {
    switch (event.type) {
      case 'status': {
        await db
          .update(runs)
          .set({
            workspacePath: event.workspacePath,
            ...(event.baseCommit ? { baseCommit: event.baseCommit } : {}),
          })
          .where(eq(runs.id, run.id));
        // The executor said "preparing" when it handed the run over; the runner's own
        // "preparing" (sent once the workspace is there) only brings its path and commit.
        if (event.status !== 'preparing') await announceStatus(deps, run, 'running', event.status);
        return;
      }
      case 'instructions':
        // What the runner sent, stored as it is: the run's record of its instructions.
        await db
          .update(runs)
          .set({
            systemInstructions: redact(event.instructions.system),
            codexInstructions: event.instructions.codex === null ? null : redact(event.instructions.codex),
          })
          .where(eq(runs.id, run.id));
        return;
      case 'diff': {
        await keepingGoing('diff_summary', () =>
          writeArtifact('diff_summary', JSON.stringify(event.diff, null, 2)),
        );
        await keepingGoing('diff_patch', () =>
          writeArtifact('diff_patch', event.diff.files.map((f) => f.patch).join('')),
        );
        await events.append(run.id, run.projectId, { type: 'diff', diff: summariseDiff(event.diff) });
        return;
      }
      case 'log': {
        // Its line is in run.log already, written with its batch.
        const message = redact(event.message);
        await events.append(run.id, run.projectId, {
          type: 'log',
          level: event.level,
          source: event.source,
          message,
        });
        return;
      }
      case 'activity':
        await events.append(run.id, run.projectId, { type: 'activity', activity: event.activity });
        return;
      case 'usage':
        // Stored on the run as it goes, in the transaction that announces it.
        await events.appendMany(run.id, run.projectId, [{ type: 'usage', usage: event.usage }], {
          alongside: db.update(runs).set({ usage: event.usage }).where(eq(runs.id, run.id)),
        });
        return;
      case 'result':
        // The caller ends the run with `finish`, which knows about cancellation too.
        return;
    }
  }

  /**
   * Records what the runner sent, in order: Codex's raw lines appended to their artifact in
   * one write, consecutive steps stored and announced together, anything else one by one.
   */
  async function recordBatch(batch: RunnerEvent[]): Promise<void> {
    const lines = batch.flatMap((event) =>
      event.type === 'codex_line' ? [redactLine(event.line, redact)] : [],
    );
    const logLines = batch.map((event) => runLogLines(event)).join('');
    // An artifact's first write registers it, announced before the steps it came with.
    const registering =
      (lines.length > 0 && !registered.has('codex_jsonl')) || (logLines !== '' && !registered.has('log'));
    // The two files are written at once, and while the database takes the batch's rows: the
    // writes run off this thread, which would otherwise wait for them. Both are in place
    // before the next batch starts, so each file keeps the order of what was sent.
    const appended = Promise.all([
      lines.length > 0 ? keepingGoing('codex_jsonl', () => appendLines('codex_jsonl', lines)) : null,
      logLines ? keepingGoing('log', () => appendArtifact('log', logLines)) : null,
    ]);
    if (registering) await appended;
    try {
      await recordEvents(batch);
    } catch (error) {
      await appended.catch(() => undefined);
      throw error;
    }
    await appended;
  }

  async function recordEvents(batch: RunnerEvent[]): Promise<void> {
    let pending: RunnerStep[] = [];
    for (const event of batch) {
      if (event.type === 'codex_line') continue;
      if (event.type === 'step') {
        pending.push(event.step);
        continue;
      }
      await recordSteps(pending);
      pending = [];
      await recordOne(event);
    }
    await recordSteps(pending);
  }

  /** Ends the run once: stores the outcome, then announces the final status. */
  async function finish(outcome: RunEnding): Promise<boolean> {
    // An ended run is not ended again, nor its log given a second last line.
    const [current] = await db.select({ status: runs.status }).from(runs).where(eq(runs.id, run.id));
    if (current?.status !== 'queued' && current?.status !== 'running') return false;
    const lastMessage = outcome.lastMessage;
    if (lastMessage) await keepingGoing('last_message', () => writeArtifact('last_message', lastMessage));
    const ending: RunEnding =
      recordingError !== null && outcome.status === 'succeeded'
        ? {
            ...outcome,
            status: 'failed',
            error: `the agent finished, but the run was not fully recorded: ${recordingError}`,
          }
        : outcome;
    // Its last line and its artifacts' sizes are in place before the run shows as ended.
    await keepingGoing('log', () => appendArtifact('log', runEndLine(ending.status, ending.error)));
    await syncArtifactSizes().catch(() => undefined);
    const ended = await db
      .update(runs)
      .set({
        status: ending.status,
        error: ending.error === null ? null : redact(ending.error),
        finishedAt: Date.now(),
        ...(ending.summary !== undefined
          ? { summary: ending.summary === null ? null : redact(ending.summary) }
          : {}),
        ...(ending.filesTouched ? { filesTouched: ending.filesTouched } : {}),
        ...(ending.usage ? { usage: ending.usage } : {}),
        ...(ending.workspacePath ? { workspacePath: ending.workspacePath } : {}),
        // Verified means the verify command passed and the run succeeded; a failure is never verified.
        verified: ending.status === 'succeeded' ? (ending.verified ?? null) : false,
        ...(ending.turns !== undefined ? { turns: ending.turns } : {}),
      })
      .where(and(eq(runs.id, run.id), inArray(runs.status, ['queued', 'running'])))
      .returning({ id: runs.id });
    if (ended.length === 0) return false;
    await announceStatus(deps, run, ending.status, null, ending.error === null ? null : redact(ending.error));
    return true;
  }

  return { recordBatch, finish };
}
