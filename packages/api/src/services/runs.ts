import {
  artifacts,
  isUniqueViolation,
  type LearnReason,
  type ReviewVerdict,
  type RunStatus,
  runs,
  steps,
} from '@retrace/db';
import type { Profile, WorkspaceDiff } from '@retrace/protocol';
import { and, asc, count, desc, eq, gt, lt, max } from 'drizzle-orm';
import {
  type Artifact,
  type Run,
  type RunListItem,
  type Step,
  toArtifact,
  toListedRun,
  toRun,
  toRunListItem,
  toStep,
} from '../dto';
import { badRequest, conflict, notFound, tooMany } from '../errors';
import { isTerminalStatus } from '../events';
import { newRunId } from '../ids';
import type { ArtifactStore } from './artifact-store';
import type { EventLog } from './event-log';
import { notLearnable, type PatternService } from './patterns';
import type { ProjectService } from './projects';
import { promptMatches } from './prompt-search';
import { REDACTED } from './redact';
import type { RunExecutor } from './run-executor';
import type { RunQueue } from './run-queue';
import { createRunReads, listedRunColumns } from './run-reads';
import { createRunRecorder, type RecorderDeps } from './run-recorder';
import type { Suggestions } from './suggestions';

export interface CreateRunInput {
  projectId: string;
  prompt: string;
  /** The one successful run to learn from (a person's pick). */
  learnFromRunId?: string | null | undefined;
  /** Successful runs to learn from, merged into one pattern (a person's pick). */
  learnFromRunIds?: string[] | null | undefined;
  /** Let Retrace choose: the best pattern at or above the threshold, or none. A person's pick wins. */
  autoLearn?: boolean | undefined;
  fromRunId?: string | null | undefined;
  profile?: Profile | undefined;
  /** An experiment's attempt: which one, in which arm. */
  experiment?: { id: string; arm: string } | undefined;
  /** A retry keeps the reason its original was given its pattern. */
  reason?: LearnReason | undefined;
  /** The run this one retries. */
  retryOfRunId?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: number | null;
}

export interface RunPage extends Page<RunListItem> {
  /**
   * The project's latest event when the list was read: follow the project from here
   * (`lastEventId`) to hear of every change since, without replaying its history.
   */
  eventCursor: string;
}

export interface RunServiceDeps extends RecorderDeps {
  events: EventLog;
  artifacts: ArtifactStore;
  projects: ProjectService;
  patterns: PatternService;
  queue: RunQueue;
  executor: RunExecutor;
  suggestions: Suggestions;
  maxQueuedRuns: number;
}

export const INTERRUPTED_ERROR = 'interrupted: server stopped';
export const SECRET_PROMPT_LOST =
  'interrupted: the server restarted before this run started, and its prompt held a secret, which Retrace never stores; start it again';

export function createRunService(deps: RunServiceDeps) {
  const { db, events, queue, executor, patterns, projects: projectService } = deps;

  const reads = createRunReads(db);

  async function row(id: string) {
    const found = await reads.run(id);
    if (!found) throw notFound('run', id);
    return found;
  }

  async function get(id: string): Promise<Run> {
    return toRun(await row(id));
  }

  async function list(input: {
    projectId: string;
    status?: RunStatus | undefined;
    /** Words the prompt must hold (full-text, the last one as a prefix). */
    query?: string | null | undefined;
    cursor?: number | null | undefined;
    limit: number;
  }): Promise<RunPage> {
    if (!(await reads.projectExists(input.projectId))) throw notFound('project', input.projectId);
    // Read before the runs: an event landing in between is heard again, never missed.
    const eventCursor = String(await events.lastProjectEventId(input.projectId));
    // A search is built per request; the lists every open tab reads are prepared.
    const rows = input.query
      ? await db
          .select(listedRunColumns)
          .from(runs)
          .where(
            and(
              eq(runs.projectId, input.projectId),
              input.status ? eq(runs.status, input.status) : undefined,
              promptMatches(input.query),
              input.cursor ? lt(runs.number, input.cursor) : undefined,
            ),
          )
          .orderBy(desc(runs.number))
          .limit(input.limit + 1)
      : await reads.runPage({ ...input, limit: input.limit + 1 });
    const items = rows.slice(0, input.limit).map(toListedRun);
    return {
      items,
      nextCursor: rows.length > input.limit ? (items.at(-1)?.number ?? null) : null,
      eventCursor,
    };
  }

  /**
   * A page of a run's steps in seq order. Forward (the default): the first `limit` after
   * `afterSeq`, `nextCursor` the next `afterSeq`. Backward (`beforeSeq`, `'end'` for the
   * last steps): the last `limit` before it, `nextCursor` the next `beforeSeq` (older steps).
   * `total` is how many steps the run has, so a page from the end knows where it sits.
   */
  async function listSteps(input: {
    id: string;
    afterSeq?: number | undefined;
    beforeSeq?: number | 'end' | undefined;
    limit: number;
  }): Promise<Page<Step> & { total: number; eventCursor: string }> {
    await row(input.id);
    // Read before the steps: a live run's page opener follows its events after this id, and
    // a step landing in between is heard again (the page and the stream meet by seq).
    const eventCursor = String(await events.lastRunEventId(input.id));
    const backward = input.beforeSeq !== undefined;
    const rows = await db
      .select()
      .from(steps)
      .where(
        and(
          eq(steps.runId, input.id),
          gt(steps.seq, input.afterSeq ?? 0),
          typeof input.beforeSeq === 'number' ? lt(steps.seq, input.beforeSeq) : undefined,
        ),
      )
      .orderBy(backward ? desc(steps.seq) : asc(steps.seq))
      .limit(input.limit + 1);
    const more = rows.length > input.limit;
    const page = rows.slice(0, input.limit);
    if (backward) page.reverse();
    const items = page.map(toStep);
    const [counted] = await db.select({ n: count() }).from(steps).where(eq(steps.runId, input.id));
    const edge = backward ? items[0] : items.at(-1);
    return { items, nextCursor: more ? (edge?.seq ?? null) : null, total: counted?.n ?? 0, eventCursor };
  }

  async function listArtifacts(id: string): Promise<{ items: Artifact[] }> {
    await row(id);
    const rows = await db
      .select()
      .from(artifacts)
      .where(eq(artifacts.runId, id))
      .orderBy(asc(artifacts.createdAt));
    return { items: rows.map(toArtifact) };
  }

  async function findArtifact(id: string, name: string) {
    await row(id);
    const [found] = await db
      .select()
      .from(artifacts)
      .where(and(eq(artifacts.runId, id), eq(artifacts.name, name)));
    if (!found) throw notFound('artifact', `${id}/${name}`);
    return found;
  }

  /** The latest diff of the run's workspace against its start, null before the first one. */
  async function diff(id: string): Promise<WorkspaceDiff | null> {
    await row(id);
    const [found] = await db
      .select()
      .from(artifacts)
      .where(and(eq(artifacts.runId, id), eq(artifacts.kind, 'diff_summary')));
    if (!found) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of deps.artifacts.open(found.storagePath)) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as WorkspaceDiff;
  }

  async function sameProjectRun(
    field: 'learnFromRunId' | 'learnFromRunIds' | 'fromRunId',
    id: string,
    projectId: string,
  ) {
    const [found] = await db.select().from(runs).where(eq(runs.id, id));
    if (!found) throw notFound('run', id);
    if (found.projectId !== projectId) throw badRequest(field, `run ${id} belongs to another project`);
    return found;
  }

  /** A run of the project whose workspace a new run can continue from (once it ends). */
  async function checkFromRun(fromRunId: string, projectId: string): Promise<void> {
    const from = await sameProjectRun('fromRunId', fromRunId, projectId);
    if (isTerminalStatus(from.status) && !from.workspacePath) {
      throw badRequest(
        'fromRunId',
        `run #${from.number} never got a workspace (it was ${from.status} before starting)`,
      );
    }
  }

  async function insertNumbered(values: Omit<typeof runs.$inferInsert, 'number'>) {
    // Two creates in one project may race for the next number: the unique index decides, we retry.
    for (let attempt = 0; ; attempt++) {
      const [last] = await db
        .select({ n: max(runs.number) })
        .from(runs)
        .where(eq(runs.projectId, values.projectId));
      try {
        const [inserted] = await db
          .insert(runs)
          .values({ ...values, number: (last?.n ?? 0) + 1 })
          .returning();
        if (inserted) return inserted;
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= 20) throw error;
      }
    }
  }

  /** A project's queue is bounded: a script in a loop must not pile up work without a word. */
  async function checkQueueRoom(project: { id: string; name: string }): Promise<void> {
    const [queued] = await db
      .select({ n: count() })
      .from(runs)
      .where(and(eq(runs.projectId, project.id), eq(runs.status, 'queued')));
    if ((queued?.n ?? 0) >= deps.maxQueuedRuns) {
      throw tooMany(
        `project "${project.name}" already has ${queued?.n} queued runs, the most one project may queue (${deps.maxQueuedRuns}); cancel some or wait for them to start`,
      );
    }
  }

  /** The runs a person picked to learn from, each of this project and successful. */
  async function pickedSources(input: CreateRunInput, projectId: string): Promise<string[]> {
    if (input.learnFromRunId && input.learnFromRunIds?.length) {
      throw badRequest('learnFromRunIds', 'give learnFromRunId or learnFromRunIds, not both');
    }
    const field = input.learnFromRunIds?.length ? 'learnFromRunIds' : 'learnFromRunId';
    const ids = input.learnFromRunIds?.length
      ? input.learnFromRunIds
      : input.learnFromRunId
        ? [input.learnFromRunId]
        : [];
    for (const id of ids) {
      const source = await sameProjectRun(field, id, projectId);
      if (source.status !== 'succeeded') throw badRequest(field, notLearnable(source));
    }
    return [...new Set(ids)];
  }

  /** What the run is given to learn from, and why: a person's pick, Retrace's choice, or nothing. */
  async function learning(input: CreateRunInput, projectId: string) {
    const picked = await pickedSources(input, projectId);
    let sources = picked;
    let reason: LearnReason | null = picked.length > 0 ? (input.reason ?? { by: 'person' }) : null;
    if (picked.length === 0 && input.autoLearn) {
      const choice = await deps.suggestions.choose(projectId, input.prompt);
      sources = choice.pick?.sourceRunIds ?? [];
      reason = choice.pick
        ? { by: 'auto', picked: true, score: choice.pick.score, reasons: choice.reasons }
        : { by: 'auto', picked: false, reasons: choice.reasons };
    }
    if (sources.length === 0) return { pattern: null, patternId: null, reason };
    const { projectId: _projectId, cached: _cached, patternId, ...pattern } = await patterns.preview(sources);
    return { pattern, patternId, reason };
  }

  async function create(input: CreateRunInput): Promise<Run> {
    const project = await projectService.row(input.projectId);
    if (input.prompt.trim() === '') throw badRequest('prompt', 'must not be empty');
    await checkQueueRoom(project);
    const { pattern, patternId, reason } = await learning(input, project.id);
    if (input.fromRunId) await checkFromRun(input.fromRunId, project.id);
    // Stored (and listed, searched, learned from) without its secrets; run as written.
    const storedPrompt = deps.redact(input.prompt);
    const inserted = await insertNumbered({
      id: newRunId(),
      projectId: project.id,
      prompt: storedPrompt,
      profile: input.profile ?? 'batch',
      // The project's choice as it is now: a later change does not rewrite how a run ran.
      fullAccess: project.fullAccess,
      learnFromRunId: pattern?.sourceRunIds[0] ?? null,
      fromRunId: input.fromRunId ?? null,
      retryOfRunId: input.retryOfRunId ?? null,
      pattern,
      patternId,
      learnReason: reason,
      experimentId: input.experiment?.id ?? null,
      experimentArm: input.experiment?.arm ?? null,
    });
    if (storedPrompt !== input.prompt) executor.keepPrompt(inserted.id, input.prompt);
    await events.append(inserted.id, project.id, { type: 'created', run: toRunListItem(inserted) });
    queue.enqueue({ runId: inserted.id, afterRunId: inserted.fromRunId });
    return toRun(inserted);
  }

  async function retry(id: string): Promise<Run> {
    const original = await row(id);
    const reason = original.learnReason;
    return create({
      projectId: original.projectId,
      prompt: original.prompt,
      // The same pattern, for the same reason; a choice that found none is made again.
      learnFromRunIds: original.pattern?.sourceRunIds ?? null,
      autoLearn: reason?.by === 'auto' && !reason.picked,
      reason: reason ?? undefined,
      fromRunId: original.fromRunId,
      profile: original.profile,
      retryOfRunId: original.id,
    });
  }

  /** A person's verdict on an ended run: shown on it, counted in its pattern's record, and what autoLearn trusts. */
  async function review(id: string, verdict: ReviewVerdict, note: string | null): Promise<Run> {
    const found = await row(id);
    if (!isTerminalStatus(found.status)) {
      throw conflict(`run #${found.number} is ${found.status}; a run can be reviewed once it has ended`);
    }
    await db
      .update(runs)
      .set({ review: { verdict, note: note === null ? null : deps.redact(note), at: Date.now() } })
      .where(eq(runs.id, id));
    return get(id);
  }

  async function cancel(id: string, reason = 'canceled by user'): Promise<Run> {
    const found = await row(id);
    if (isTerminalStatus(found.status)) throw conflict(`run #${found.number} has already ${found.status}`);
    if (queue.remove(id) || !(await executor.cancel(id, reason))) {
      // Not started (or not running in this process): nothing to stop, end it here.
      await createRunRecorder(deps, { id, projectId: found.projectId }).finish({
        status: 'canceled',
        error: reason,
      });
    }
    return get(id);
  }

  /**
   * At start-up: a run left `running` by a server that died is failed (its recorded steps
   * stay); runs left `queued` are queued again in the order they were created.
   */
  async function recover(): Promise<{ interrupted: number; requeued: number }> {
    const interrupted = await db.select().from(runs).where(eq(runs.status, 'running'));
    for (const run of interrupted) {
      await createRunRecorder(deps, { id: run.id, projectId: run.projectId }).finish({
        status: 'failed',
        error: INTERRUPTED_ERROR,
      });
    }
    const queued = await db
      .select()
      .from(runs)
      .where(eq(runs.status, 'queued'))
      .orderBy(asc(runs.createdAt), asc(runs.id));
    let requeued = 0;
    for (const run of queued) {
      // Its prompt as written died with the last process: running the redacted one would
      // do something other than what was asked.
      if (run.prompt.includes(REDACTED) && !executor.hasPrompt(run.id)) {
        await createRunRecorder(deps, { id: run.id, projectId: run.projectId }).finish({
          status: 'failed',
          error: SECRET_PROMPT_LOST,
        });
        continue;
      }
      queue.enqueue({ runId: run.id, afterRunId: run.fromRunId });
      requeued += 1;
    }
    return { interrupted: interrupted.length, requeued };
  }

  return {
    row,
    get,
    list,
    listSteps,
    listArtifacts,
    findArtifact,
    diff,
    create,
    checkFromRun,
    retry,
    review,
    cancel,
    recover,
  };
}

export type RunService = ReturnType<typeof createRunService>;
