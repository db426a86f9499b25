import { createHash } from 'node:crypto';
import {
  type Database,
  type InjectedPattern,
  patternCache,
  patternPitfalls,
  patterns,
  runs,
  steps,
} from '@retrace/db';
import {
  EXTRACTOR_VERSION,
  extractPattern,
  normalizeInstruction,
  type PatternSource,
} from '@retrace/patterns';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { type RunListItem, toRunListItem } from '../dto';
import { badRequest, notFound } from '../errors';
import { newPatternId } from '../ids';
import { LIMITS } from './limits';
import {
  describeRecord,
  EMPTY_RECORD,
  type PatternRecord,
  patternRecords,
  provenStrength,
} from './pattern-record';
import type { Redactor } from './redact';

/** How many pitfalls of a pattern go into its block: the latest. */
const PITFALLS_IN_BLOCK = 3;

export interface PatternPreview extends InjectedPattern {
  projectId: string;
  /** The pattern these sources make: its record counts the runs given it. */
  patternId: string;
  /** Served from the cache rather than extracted now. */
  cached: boolean;
}

type RunRow = typeof runs.$inferSelect;
type PatternRow = typeof patterns.$inferSelect;

/** A source run as a pattern's page names it. */
export type PatternSourceRun = Pick<
  RunListItem,
  'id' | 'number' | 'prompt' | 'status' | 'verified' | 'review'
>;

/** A pattern as `patterns.list` shows it. */
export interface PatternListItem {
  id: string;
  projectId: string;
  sourceRunIds: string[];
  sources: PatternSourceRun[];
  stepCount: number;
  tokenCount: number;
  pitfalls: string[];
  record: PatternRecord;
  /** The record as one line ("injected 3, succeeded 2, failed 1"), worded once for every reader. */
  recordText: string;
  createdAt: number;
}

/** A pattern whole, as `patterns.get` gives it: its block, provenance, record and the runs given it. */
export interface PatternView extends PatternListItem {
  block: string;
  steps: InjectedPattern['steps'];
  variables: InjectedPattern['variables'];
  truncated: boolean;
  extractorVersion: string;
  usedBy: RunListItem[];
}

/** Why a run that did not succeed cannot be learned from: one wording wherever it is refused. */
export const notLearnable = (run: Pick<RunRow, 'number' | 'status'>) =>
  `run #${run.number} ${run.status === 'failed' || run.status === 'canceled' ? 'did not succeed' : 'has not finished'} (${run.status}); only successful runs can be learned from`;

const sourceKey = (ids: string[]) => [...ids].sort().join(',');

/** A failed run's failing step, as one pitfall line: what was done, and what went wrong. */
async function pitfallOf(db: Database, run: RunRow): Promise<string> {
  const [failing] = await db
    .select()
    .from(steps)
    .where(
      and(
        eq(steps.runId, run.id),
        eq(steps.outcomeOk, false),
        inArray(steps.kind, ['command', 'file_change', 'error']),
      ),
    )
    .orderBy(desc(steps.seq))
    .limit(1);
  const output = String(
    (failing?.payload as { aggregated_output?: unknown } | null)?.aggregated_output ?? '',
  );
  const firstLine = output.split('\n').find((line) => line.trim() !== '') ?? '';
  const text = !failing
    ? `the run failed: ${run.error ?? 'no reason given'}`
    : failing.kind === 'error'
      ? `error: ${failing.instruction}`
      : `${failing.kind === 'command' ? 'command' : 'change'} \`${failing.instruction}\` failed${firstLine ? `: ${firstLine}` : run.error ? `: ${run.error}` : ''}`;
  return normalizeInstruction(text).text;
}

export function createPatternService(db: Database, redact: Redactor) {
  /** The runs a pattern can be made of: of one project, all succeeded. */
  async function sourceRuns(runIds: string[]): Promise<RunRow[]> {
    const ids = [...new Set(runIds)];
    if (ids.length === 0) throw badRequest('runIds', 'name at least one run');
    if (ids.length > LIMITS.patternSources)
      throw badRequest('runIds', `at most ${LIMITS.patternSources} runs`);
    const rows = await db.select().from(runs).where(inArray(runs.id, ids));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.find((id) => !byId.has(id));
    if (missing) throw notFound('run', missing);
    const sources = ids.map((id) => byId.get(id) as RunRow);
    const projectId = sources[0]?.projectId;
    if (sources.some((r) => r.projectId !== projectId)) {
      throw badRequest('runIds', 'all runs must belong to the same project');
    }
    const unfinished = sources.find((r) => r.status !== 'succeeded');
    if (unfinished) {
      throw badRequest('runIds', notLearnable(unfinished));
    }
    return sources;
  }

  /** The pattern these sources make, made the first time it is asked for. */
  async function ensure(projectId: string, ids: string[]): Promise<PatternRow> {
    const key = sourceKey(ids);
    const find = () =>
      db
        .select()
        .from(patterns)
        .where(and(eq(patterns.projectId, projectId), eq(patterns.sourceKey, key)));
    const [found] = await find();
    if (found) return found;
    await db
      .insert(patterns)
      .values({ id: newPatternId(), projectId, sourceKey: key, sourceRunIds: [...ids].sort() })
      .onConflictDoNothing();
    const [made] = await find();
    if (!made) throw new Error(`pattern of ${key} could not be made`);
    return made;
  }

  /** The latest pitfalls of a pattern, newest first: the extractor keeps what fits. */
  async function latestPitfalls(patternId: string): Promise<string[]> {
    const rows = await db
      .select({ text: patternPitfalls.text })
      .from(patternPitfalls)
      .where(eq(patternPitfalls.patternId, patternId))
      .orderBy(desc(patternPitfalls.id))
      .limit(PITFALLS_IN_BLOCK);
    return rows.map((row) => row.text);
  }

  /** The pattern's block from its sources and pitfalls, cached by both and the extractor version. */
  async function extract(
    pattern: PatternRow,
    sources: RunRow[],
  ): Promise<{ pattern: InjectedPattern; cached: boolean }> {
    const pitfalls = await latestPitfalls(pattern.id);
    const digest = createHash('sha1').update(pitfalls.join('\n')).digest('hex').slice(0, 12);
    const key = `${EXTRACTOR_VERSION}:${pattern.sourceKey}:${digest}`;
    const [hit] = await db.select().from(patternCache).where(eq(patternCache.key, key));
    if (hit) {
      await db.update(patternCache).set({ lastUsedAt: Date.now() }).where(eq(patternCache.key, key));
      return { pattern: hit.pattern, cached: true };
    }
    const patternSources: PatternSource[] = [];
    for (const run of sources) {
      const runSteps = await db
        .select({
          seq: steps.seq,
          kind: steps.kind,
          instruction: steps.instruction,
          outcomeOk: steps.outcomeOk,
        })
        .from(steps)
        .where(eq(steps.runId, run.id))
        .orderBy(asc(steps.seq));
      patternSources.push({ runId: run.id, prompt: run.prompt, steps: runSteps });
    }
    const extracted = await extractPattern(patternSources, { pitfalls });
    const injected: InjectedPattern = {
      ...extracted,
      sourceRunIds: sources.map((run) => run.id),
      extractorVersion: EXTRACTOR_VERSION,
    };
    await db
      .insert(patternCache)
      .values({
        key,
        projectId: pattern.projectId,
        sourceRunIds: injected.sourceRunIds,
        extractorVersion: EXTRACTOR_VERSION,
        pattern: injected,
      })
      .onConflictDoNothing();
    return { pattern: injected, cached: false };
  }

  /** The pattern that would be injected from these successful runs. */
  async function preview(runIds: string[]): Promise<PatternPreview> {
    const sources = await sourceRuns(runIds);
    const projectId = (sources[0] as RunRow).projectId;
    const pattern = await ensure(
      projectId,
      sources.map((run) => run.id),
    );
    const { pattern: injected, cached } = await extract(pattern, sources);
    return { ...injected, projectId, patternId: pattern.id, cached };
  }

  async function row(id: string): Promise<PatternRow> {
    const [found] = await db.select().from(patterns).where(eq(patterns.id, id));
    if (!found) throw notFound('pattern', id);
    return found;
  }

  async function listItems(
    rows: PatternRow[],
  ): Promise<Array<PatternListItem & { injected: InjectedPattern }>> {
    const records = await patternRecords(
      db,
      rows.map((r) => r.id),
    );
    const ids = [...new Set(rows.flatMap((r) => r.sourceRunIds))];
    const sourceRows = ids.length > 0 ? await db.select().from(runs).where(inArray(runs.id, ids)) : [];
    const byId = new Map(sourceRows.map((run) => [run.id, run]));
    const items = [];
    for (const pattern of rows) {
      const sources = pattern.sourceRunIds.flatMap((id) => (byId.has(id) ? [byId.get(id) as RunRow] : []));
      const { pattern: injected } = await extract(pattern, sources);
      items.push({
        id: pattern.id,
        projectId: pattern.projectId,
        sourceRunIds: pattern.sourceRunIds,
        sources: sources.map(({ id, number, prompt, status, verified, review }) => ({
          id,
          number,
          prompt,
          status,
          verified,
          review,
        })),
        stepCount: injected.steps.length,
        tokenCount: injected.tokenCount,
        pitfalls: injected.pitfalls,
        record: records.get(pattern.id) ?? EMPTY_RECORD,
        recordText: describeRecord(records.get(pattern.id) ?? EMPTY_RECORD),
        createdAt: pattern.createdAt,
        injected,
      });
    }
    return items;
  }

  /** A pattern whole: its block, each step's source, its record and the runs given it. */
  async function get(id: string): Promise<PatternView> {
    const [item] = await listItems([await row(id)]);
    if (!item) throw notFound('pattern', id);
    const { injected, ...listed } = item;
    const usedBy = await db.select().from(runs).where(eq(runs.patternId, id)).orderBy(desc(runs.number));
    return {
      ...listed,
      block: injected.block,
      steps: injected.steps,
      variables: injected.variables,
      truncated: injected.truncated,
      extractorVersion: injected.extractorVersion,
      usedBy: usedBy.map(toRunListItem),
    };
  }

  /** A project's patterns, the best record first (the lower end of its success interval), then the newest. */
  async function list(projectId: string): Promise<PatternListItem[]> {
    const rows = await db
      .select()
      .from(patterns)
      .where(eq(patterns.projectId, projectId))
      .orderBy(desc(patterns.createdAt));
    const items = (await listItems(rows)).map(({ injected: _injected, ...item }) => item);
    return items.sort(
      (a, b) => provenStrength(b.record) - provenStrength(a.record) || b.createdAt - a.createdAt,
    );
  }

  /** The pattern a successful run teaches (its own steps), null for a run that did not succeed. */
  async function ofRun(runId: string): Promise<PatternView | null> {
    const [run] = await db.select().from(runs).where(eq(runs.id, runId));
    if (!run) throw notFound('run', runId);
    if (run.status !== 'succeeded') return null;
    return get((await preview([runId])).patternId);
  }

  /** What was injected into a run: null when it learned from nothing. */
  async function forRun(
    runId: string,
  ): Promise<(InjectedPattern & { learnFromRunId: string | null }) | null> {
    const [run] = await db
      .select({ pattern: runs.pattern, learnFromRunId: runs.learnFromRunId })
      .from(runs)
      .where(eq(runs.id, runId));
    if (!run) throw notFound('run', runId);
    return run.pattern ? { ...run.pattern, learnFromRunId: run.learnFromRunId } : null;
  }

  /** A run given a pattern failed: its failing step becomes one of the pattern's pitfalls. */
  async function recordPitfall(runId: string): Promise<void> {
    const [run] = await db.select().from(runs).where(eq(runs.id, runId));
    if (!run?.patternId || run.status !== 'failed') return;
    const text = redact(await pitfallOf(db, run));
    await db.insert(patternPitfalls).values({ patternId: run.patternId, runId, text }).onConflictDoNothing();
  }

  return { preview, get, list, ofRun, forRun, recordPitfall, sourceRuns };
}

export type PatternService = ReturnType<typeof createPatternService>;
