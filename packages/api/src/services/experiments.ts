import { type Database, type ExperimentArm, experiments, runs } from '@retrace/db';
import { TRPCError } from '@trpc/server';
import { and, asc, count, desc, eq } from 'drizzle-orm';
import { type RunListItem, toRunListItem } from '../dto';
import { badRequest, notFound, tooMany } from '../errors';
import { isTerminalStatus } from '../events';
import { newExperimentId } from '../ids';
import type { PatternService } from './patterns';
import type { ProjectService } from './projects';
import type { RunService } from './runs';
import { median, wilsonInterval } from './stats';

export interface CreateExperimentInput {
  projectId: string;
  prompt: string;
  fromRunId?: string | null | undefined;
  attempts: number;
  arms: Array<{
    name: string;
    learnFromRunIds?: string[] | null | undefined;
    autoLearn?: boolean | undefined;
  }>;
}

/** One arm's attempts and how they fared. */
export interface ArmResult extends ExperimentArm {
  runIds: string[];
  runs: RunListItem[];
  succeeded: number;
  failed: number;
  /** Not ended yet. */
  pending: number;
  /** Succeeded over ended; null before any has ended. */
  successRate: number | null;
  /** 95% Wilson interval of the success rate over the ended attempts. */
  interval: [number, number];
  medianTurns: number | null;
  medianTokens: number | null;
  medianDurationMs: number | null;
}

/** How an arm compares with the first (the baseline): positive means more. */
export interface ArmComparison {
  arm: string;
  against: string;
  successRateDelta: number | null;
  medianTurnsDelta: number | null;
  medianTokensDelta: number | null;
  medianDurationMsDelta: number | null;
}

export interface ExperimentView {
  id: string;
  projectId: string;
  prompt: string;
  fromRunId: string | null;
  attempts: number;
  arms: ArmResult[];
  comparison: ArmComparison[];
  /** Every attempt has ended. */
  done: boolean;
  createdAt: number;
}

export type ExperimentListItem = Omit<ExperimentView, 'arms' | 'comparison'> & {
  arms: Array<Pick<ArmResult, 'name' | 'succeeded' | 'failed' | 'pending' | 'successRate' | 'interval'>>;
};

export interface ExperimentDeps {
  db: Database;
  projects: ProjectService;
  patterns: PatternService;
  runs: RunService;
  maxQueuedRuns: number;
}

const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

function armResult(arm: ExperimentArm, armRuns: Array<typeof runs.$inferSelect>): ArmResult {
  const ended = armRuns.filter((run) => isTerminalStatus(run.status));
  const succeeded = ended.filter((run) => run.status === 'succeeded').length;
  const listed = armRuns.map(toRunListItem);
  return {
    ...arm,
    runIds: armRuns.map((run) => run.id),
    runs: listed,
    succeeded,
    failed: ended.length - succeeded,
    pending: armRuns.length - ended.length,
    successRate: ended.length > 0 ? succeeded / ended.length : null,
    interval: wilsonInterval(succeeded, ended.length),
    medianTurns: median(ended.flatMap((run) => (run.turns === null ? [] : [run.turns]))),
    medianTokens: median(
      ended.flatMap((run) => (run.usage ? [run.usage.inputTokens + run.usage.outputTokens] : [])),
    ),
    medianDurationMs: median(listed.flatMap((run) => (run.durationMs === null ? [] : [run.durationMs]))),
  };
}

/**
 * Best-of-N and A/B on the user's own task: the same prompt from the same workspace state,
 * `attempts` runs per arm (without a pattern, with one, with Retrace's choice), compared.
 */
export function createExperimentService(deps: ExperimentDeps) {
  const { db } = deps;

  async function row(id: string) {
    const [found] = await db.select().from(experiments).where(eq(experiments.id, id));
    if (!found) throw notFound('experiment', id);
    return found;
  }

  /** Every arm's sources are successful runs of the project; names are told apart. */
  async function checkArms(input: CreateExperimentInput): Promise<ExperimentArm[]> {
    const names = new Set<string>();
    const arms: ExperimentArm[] = [];
    for (const [i, arm] of input.arms.entries()) {
      if (names.has(arm.name)) throw badRequest(`arms.${i}.name`, `"${arm.name}" names another arm already`);
      names.add(arm.name);
      const learnFromRunIds = arm.learnFromRunIds?.length ? [...new Set(arm.learnFromRunIds)] : null;
      if (learnFromRunIds) {
        const sources = await deps.patterns.sourceRuns(learnFromRunIds).catch((error: Error) => {
          if (error instanceof TRPCError && error.code === 'NOT_FOUND') throw error;
          throw badRequest(`arms.${i}.learnFromRunIds`, error.message.replace(/^runIds: /, ''));
        });
        if (sources.some((run) => run.projectId !== input.projectId)) {
          throw badRequest(`arms.${i}.learnFromRunIds`, 'the runs to learn from must be of this project');
        }
      }
      if (learnFromRunIds && arm.autoLearn)
        throw badRequest(`arms.${i}`, 'give learnFromRunIds or autoLearn, not both');
      arms.push({ name: arm.name, learnFromRunIds, autoLearn: arm.autoLearn ?? false });
    }
    return arms;
  }

  async function create(input: CreateExperimentInput): Promise<ExperimentView> {
    const project = await deps.projects.row(input.projectId);
    const arms = await checkArms(input);
    // Checked before anything is stored: a bad starting point must not leave half an experiment.
    if (input.fromRunId) await deps.runs.checkFromRun(input.fromRunId, project.id);
    const [queued] = await db
      .select({ n: count() })
      .from(runs)
      .where(and(eq(runs.projectId, project.id), eq(runs.status, 'queued')));
    const total = input.attempts * arms.length;
    if ((queued?.n ?? 0) + total > deps.maxQueuedRuns) {
      throw tooMany(
        `an experiment of ${total} runs would take project "${project.name}" past the ${deps.maxQueuedRuns} runs one project may queue (${queued?.n ?? 0} are queued)`,
      );
    }
    const id = newExperimentId();
    await db.insert(experiments).values({
      id,
      projectId: project.id,
      prompt: input.prompt,
      fromRunId: input.fromRunId ?? null,
      attempts: input.attempts,
      arms,
    });
    // Attempt by attempt, every arm in turn: no arm waits behind all of another's.
    for (let attempt = 0; attempt < input.attempts; attempt++) {
      for (const arm of arms) {
        await deps.runs.create({
          projectId: project.id,
          prompt: input.prompt,
          fromRunId: input.fromRunId ?? null,
          learnFromRunIds: arm.learnFromRunIds,
          autoLearn: arm.autoLearn,
          experiment: { id, arm: arm.name },
        });
      }
    }
    return get(id);
  }

  async function get(id: string): Promise<ExperimentView> {
    const experiment = await row(id);
    const attempts = await db.select().from(runs).where(eq(runs.experimentId, id)).orderBy(asc(runs.number));
    const arms = experiment.arms.map((arm) =>
      armResult(
        arm,
        attempts.filter((run) => run.experimentArm === arm.name),
      ),
    );
    const [base] = arms;
    const comparison: ArmComparison[] = base
      ? arms.slice(1).map((arm) => ({
          arm: arm.name,
          against: base.name,
          successRateDelta: delta(arm.successRate, base.successRate),
          medianTurnsDelta: delta(arm.medianTurns, base.medianTurns),
          medianTokensDelta: delta(arm.medianTokens, base.medianTokens),
          medianDurationMsDelta: delta(arm.medianDurationMs, base.medianDurationMs),
        }))
      : [];
    return {
      id: experiment.id,
      projectId: experiment.projectId,
      prompt: experiment.prompt,
      fromRunId: experiment.fromRunId,
      attempts: experiment.attempts,
      arms,
      comparison,
      done: arms.every((arm) => arm.pending === 0),
      createdAt: experiment.createdAt,
    };
  }

  async function list(projectId: string): Promise<ExperimentListItem[]> {
    await deps.projects.row(projectId);
    const rows = await db
      .select({ id: experiments.id })
      .from(experiments)
      .where(eq(experiments.projectId, projectId))
      .orderBy(desc(experiments.createdAt));
    const views = await Promise.all(rows.map((r) => get(r.id)));
    return views.map(({ arms, comparison: _comparison, ...view }) => ({
      ...view,
      arms: arms.map(({ name, succeeded, failed, pending, successRate, interval }) => ({
        name,
        succeeded,
        failed,
        pending,
        successRate,
        interval,
      })),
    }));
  }

  return { create, get, list };
}

export type ExperimentService = ReturnType<typeof createExperimentService>;
