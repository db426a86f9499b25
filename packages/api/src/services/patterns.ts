import { type Database, type InjectedPattern, patternCache, runs, steps } from '@retrace/db';
import { EXTRACTOR_VERSION, extractPattern, type PatternSource } from '@retrace/patterns';
import { and, asc, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { type RunListItem, toRunListItem } from '../dto';
import { badRequest, notFound } from '../errors';
import { LIMITS } from './limits';

export interface PatternPreview extends InjectedPattern {
  projectId: string;
  /** Served from the cache rather than extracted now. */
  cached: boolean;
}

export interface Suggestion {
  run: RunListItem;
  /** Higher is more similar; 0 when nothing in the prompt matched and the run is only recent. */
  score: number;
}

/** Words of a prompt as an FTS5 query: each quoted (no operator injection), any may match. */
function ftsQuery(prompt: string): string | null {
  const words = [...new Set(prompt.toLowerCase().match(/[\p{L}\p{N}_]{2,}/gu) ?? [])].slice(0, 32);
  return words.length > 0 ? words.map((w) => `"${w}"`).join(' OR ') : null;
}

export function createPatternService(db: Database) {
  function cacheKey(runIds: string[]): string {
    return `${EXTRACTOR_VERSION}:${[...runIds].sort().join(',')}`;
  }

  /** The pattern that would be injected from these successful runs (cached by runs and extractor version). */
  async function preview(runIds: string[]): Promise<PatternPreview> {
    const ids = [...new Set(runIds)];
    if (ids.length === 0) throw badRequest('runIds', 'name at least one run');
    if (ids.length > LIMITS.patternSources)
      throw badRequest('runIds', `at most ${LIMITS.patternSources} runs`);
    const rows = await db.select().from(runs).where(inArray(runs.id, ids));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.find((id) => !byId.has(id));
    if (missing) throw notFound('run', missing);
    const sources = ids.map((id) => byId.get(id) as (typeof rows)[number]);
    const projectId = sources[0]?.projectId as string;
    if (sources.some((r) => r.projectId !== projectId)) {
      throw badRequest('runIds', 'all runs must belong to the same project');
    }
    const unfinished = sources.find((r) => r.status !== 'succeeded');
    if (unfinished) {
      throw badRequest(
        'runIds',
        `run #${unfinished.number} ${unfinished.status === 'failed' || unfinished.status === 'canceled' ? 'did not succeed' : 'has not finished'} (${unfinished.status}); only successful runs can be learned from`,
      );
    }

    const key = cacheKey(ids);
    const [hit] = await db.select().from(patternCache).where(eq(patternCache.key, key));
    if (hit) {
      await db.update(patternCache).set({ lastUsedAt: Date.now() }).where(eq(patternCache.key, key));
      return { ...hit.pattern, projectId, cached: true };
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
    const extracted = extractPattern(patternSources);
    const pattern: InjectedPattern = { ...extracted, sourceRunIds: ids, extractorVersion: EXTRACTOR_VERSION };
    await db
      .insert(patternCache)
      .values({ key, projectId, sourceRunIds: ids, extractorVersion: EXTRACTOR_VERSION, pattern })
      .onConflictDoNothing();
    return { ...pattern, projectId, cached: false };
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

  /** The project's successful runs, most similar prompt first (FTS5 bm25), then the most recent. */
  async function suggest(projectId: string, prompt: string, limit = 10): Promise<Suggestion[]> {
    const query = ftsQuery(prompt);
    const scored = new Map<string, number>();
    if (query) {
      const matches = await db.all<{ id: string; score: number }>(sql`
        SELECT runs.id AS id, -bm25(runs_prompt_fts) AS score
        FROM runs_prompt_fts JOIN runs ON runs.rowid = runs_prompt_fts.rowid
        WHERE runs_prompt_fts MATCH ${query} AND runs.project_id = ${projectId} AND runs.status = 'succeeded'
        ORDER BY bm25(runs_prompt_fts), runs.number DESC
        LIMIT ${limit}`);
      for (const m of matches) scored.set(m.id, m.score);
    }
    const matched =
      scored.size > 0
        ? await db
            .select()
            .from(runs)
            .where(inArray(runs.id, [...scored.keys()]))
        : [];
    const recent = await db
      .select()
      .from(runs)
      .where(
        and(
          eq(runs.projectId, projectId),
          eq(runs.status, 'succeeded'),
          ...(scored.size > 0 ? [notInArray(runs.id, [...scored.keys()])] : []),
        ),
      )
      .orderBy(desc(runs.number))
      .limit(Math.max(0, limit - matched.length));
    const ranked = matched
      .map((run) => ({ run: toRunListItem(run), score: scored.get(run.id) ?? 0 }))
      .sort((a, b) => b.score - a.score || b.run.number - a.run.number);
    return [...ranked, ...recent.map((run) => ({ run: toRunListItem(run), score: 0 }))];
  }

  return { preview, forRun, suggest };
}

export type PatternService = ReturnType<typeof createPatternService>;
