import { type Database, runs } from '@retrace/db';
import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { type RunListItem, toRunListItem } from '../dto';
import { type MatchTarget, matchPrompt, SUGGESTION_THRESHOLD } from './pattern-match';
import { describeRecord, EMPTY_RECORD, type PatternRecord, provenStrength } from './pattern-record';
import type { PatternService } from './patterns';
import { wilsonInterval } from './stats';

/** A pattern offered for a prompt: how well it fits (in [0, 1]) and why. */
export interface Suggestion {
  patternId: string;
  sourceRunIds: string[];
  /** The (first) run it was learned from. */
  run: RunListItem;
  score: number;
  reasons: string[];
  record: PatternRecord;
}

/** What autoLearn chose for a prompt: a pattern and why, or none and why not. */
export type LearnChoice = { pick: Suggestion; reasons: string[] } | { pick: null; reasons: string[] };

/** How many of a project's learnable runs are weighed for one prompt. */
const CANDIDATES = 40;

/** Words of a prompt as an FTS5 query: each quoted (no operator injection), any may match. */
function ftsQuery(prompt: string): string | null {
  const words = [...new Set(prompt.toLowerCase().match(/[\p{L}\p{N}_]{3,}/gu) ?? [])].slice(0, 32);
  return words.length > 0 ? words.map((w) => `"${w}"`).join(' OR ') : null;
}

const filesIn = (pattern: { variables: Array<{ kind: string; value: string }> }) =>
  pattern.variables.flatMap((v) => (v.kind === 'file' ? [v.value] : []));

/**
 * Which pattern fits a prompt, from the project's runs that are safe to learn from on
 * Retrace's own: succeeded and verified (the verify command passed) or approved by a person.
 */
export function createSuggestions(db: Database, patterns: PatternService) {
  const learnable = (projectId: string) =>
    and(
      eq(runs.projectId, projectId),
      eq(runs.status, 'succeeded'),
      or(eq(runs.verified, true), sql`json_extract(${runs.review}, '$.verdict') = 'approve'`),
      or(isNull(runs.review), sql`json_extract(${runs.review}, '$.verdict') != 'reject'`),
    );

  /** The learnable runs most like the prompt in words (FTS5), then the most recent. */
  async function candidates(projectId: string, prompt: string) {
    const query = ftsQuery(prompt);
    const matched = query
      ? await db.all<{ id: string }>(sql`
          SELECT runs.id AS id FROM runs_prompt_fts JOIN runs ON runs.rowid = runs_prompt_fts.rowid
          WHERE runs_prompt_fts MATCH ${query} AND ${learnable(projectId)}
          ORDER BY bm25(runs_prompt_fts) LIMIT ${CANDIDATES / 2}`)
      : [];
    const recent = await db
      .select({ id: runs.id })
      .from(runs)
      .where(learnable(projectId))
      .orderBy(desc(runs.number))
      .limit(CANDIDATES);
    return [...new Set([...matched, ...recent].map((row) => row.id))].slice(0, CANDIDATES);
  }

  /** How runs fare without any pattern in this project: what a pattern must not clearly do worse than. */
  async function baseline(projectId: string): Promise<{ succeeded: number; ended: number }> {
    const [row] = await db
      .select({
        succeeded: sql<number>`coalesce(sum(${runs.status} = 'succeeded'), 0)`,
        ended: sql<number>`coalesce(sum(${runs.status} in ('succeeded', 'failed')), 0)`,
      })
      .from(runs)
      .where(and(eq(runs.projectId, projectId), isNull(runs.patternId)));
    return { succeeded: Number(row?.succeeded ?? 0), ended: Number(row?.ended ?? 0) };
  }

  /** Clearly worse than running without: its success rate's upper bound is under the rate without. */
  function clearlyWorse(record: PatternRecord, without: { succeeded: number; ended: number }): string | null {
    const ended = record.succeeded + record.failed;
    if (ended < 3 || without.ended < 3) return null;
    const [, high] = wilsonInterval(record.succeeded, ended);
    if (high >= without.succeeded / without.ended) return null;
    return `left out: ${record.succeeded} of ${ended} runs given it succeeded, ${without.succeeded} of ${without.ended} without a pattern`;
  }

  /** Every pattern weighed for the prompt, scored, best first, with those clearly worse left out. */
  async function weigh(projectId: string, prompt: string) {
    const without = await baseline(projectId);
    const weighed: Array<Suggestion & { leftOut: string | null; matched: string[] }> = [];
    for (const runId of await candidates(projectId, prompt)) {
      const preview = await patterns.preview([runId]);
      const view = await patterns.get(preview.patternId);
      const target: MatchTarget = {
        prompts: view.sources.map((source) => source.prompt),
        held: [...preview.steps.map((step) => step.instruction), ...preview.variables.map((v) => v.value)],
        files: filesIn(preview),
      };
      const match = matchPrompt(prompt, target);
      const source = view.sources[0];
      const judged = source?.review?.verdict === 'approve' ? 'approved' : 'verified';
      weighed.push({
        patternId: view.id,
        sourceRunIds: view.sourceRunIds,
        run: toRunListItem(
          (await db.select().from(runs).where(eq(runs.id, runId)))[0] as typeof runs.$inferSelect,
        ),
        score: match.score,
        reasons: [
          ...match.reasons,
          `learned from #${source?.number ?? '?'} (${judged})`,
          `record: ${describeRecord(view.record ?? EMPTY_RECORD)}`,
        ],
        record: view.record,
        leftOut: clearlyWorse(view.record, without),
        matched: match.reasons,
      });
    }
    // At equal fit, a pattern that has proved itself before one never tried, then the newest.
    return weighed.sort(
      (a, b) =>
        b.score - a.score ||
        provenStrength(b.record) - provenStrength(a.record) ||
        b.run.number - a.run.number,
    );
  }

  const asSuggestion = ({
    leftOut: _leftOut,
    matched: _matched,
    ...suggestion
  }: Suggestion & { leftOut: string | null; matched: string[] }): Suggestion => suggestion;

  /** The patterns that fit the prompt at or above the threshold, best first. */
  async function suggest(projectId: string, prompt: string, limit = 10): Promise<Suggestion[]> {
    const weighed = await weigh(projectId, prompt);
    return weighed
      .filter((s) => s.score >= SUGGESTION_THRESHOLD && s.leftOut === null)
      .slice(0, limit)
      .map(asSuggestion);
  }

  /** autoLearn's choice: the best pattern at or above the threshold, or none, and why. */
  async function choose(projectId: string, prompt: string): Promise<LearnChoice> {
    const weighed = await weigh(projectId, prompt);
    const best = weighed.find((s) => s.score >= SUGGESTION_THRESHOLD && s.leftOut === null);
    // The score has a field of its own (learnReason.score): the reasons are what it rests on.
    if (best) return { pick: asSuggestion(best), reasons: best.reasons };
    if (weighed.length === 0)
      return { pick: null, reasons: ['no verified or approved run of this project to learn from'] };
    const reasons = [`no pattern scored ${SUGGESTION_THRESHOLD} or more`];
    const top = weighed[0];
    if (top)
      reasons.push(
        `the closest, from #${top.run.number}, scored ${top.score} (${top.matched.join('; ') || 'it shares no words, files or values with the prompt'})`,
      );
    for (const s of weighed.filter((w) => w.leftOut !== null && w.score >= SUGGESTION_THRESHOLD))
      reasons.push(`#${s.run.number}: ${s.leftOut}`);
    return { pick: null, reasons };
  }

  return { suggest, choose };
}

export type Suggestions = ReturnType<typeof createSuggestions>;
