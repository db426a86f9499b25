import { isAbsolute } from 'node:path';
import { type Database, type RunBranch, runs } from '@retrace/db';
import { type RunnerClient, RunnerError } from '@retrace/protocol';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { badRequest, conflict } from '../errors';
import { isTerminalStatus } from '../events';
import type { ProjectService } from './projects';
import type { RunService } from './runs';

export interface GitPerson {
  name: string;
  email: string;
}

export const DEFAULT_GIT_AUTHOR: GitPerson = { name: 'Retrace', email: 'retrace@localhost' };

export interface BranchServiceDeps {
  runner: RunnerClient;
  runs: RunService;
  projects: ProjectService;
  db: Database;
  /** Author and committer of the commits Retrace makes. */
  author: GitPerson;
  /** The run's page, for the commit's trailer; null when the server's address is not known. */
  runUrl: (runId: string) => string | null;
}

/** `retrace/<project>/<number>`, the project's name made fit for a ref. */
export function defaultBranchName(projectName: string, runNumber: number): string {
  const slug = projectName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .replace(/\.{2,}/g, '.');
  return `retrace/${slug || 'project'}/${runNumber}`;
}

/** The prompt's first line, the run's summary, then trailers git can read (`git interpret-trailers`). */
function commitMessage(
  run: { prompt: string; summary: string | null; number: number; id: string },
  trailers: Array<[string, string | null]>,
) {
  const subject = run.prompt.trim().split('\n')[0]?.trim().slice(0, 200) || `Retrace run #${run.number}`;
  const body = run.summary?.trim();
  const lines = trailers.filter(([, value]) => value).map(([key, value]) => `${key}: ${value}`);
  return `${[subject, body, lines.join('\n')].filter(Boolean).join('\n\n')}\n`;
}

/** The runner's refusal in the API's words: the same code, the run named. */
function asApiError(error: unknown, runNumber: number): unknown {
  if (!(error instanceof RunnerError)) return error;
  if (error.code === 'CONFLICT') return conflict(error.message);
  if (error.code === 'BAD_REQUEST') {
    return /not a valid git branch name/.test(error.message)
      ? badRequest('branch', error.message)
      : badRequest('id', `run #${runNumber}: ${error.message}`);
  }
  if (error.code === 'NOT_FOUND') return new TRPCError({ code: 'NOT_FOUND', message: error.message });
  return error;
}

/** Runs into branches of their project's source repository. */
export function createBranchService(deps: BranchServiceDeps) {
  const { db, runner } = deps;

  async function toBranch(
    id: string,
    options: { branch?: string | null | undefined; push?: boolean | undefined },
  ) {
    const run = await deps.runs.row(id);
    const project = await deps.projects.row(run.projectId);
    if (!isTerminalStatus(run.status)) {
      throw conflict(`run #${run.number} is ${run.status}; its branch can be made once it has ended`);
    }
    if (!project.sourceRepo || !isAbsolute(project.sourceRepo)) {
      throw badRequest(
        'id',
        `project ${project.name} was not made from a local repository (sourceRepo), so there is nowhere to put a branch; download the run's patch instead`,
      );
    }
    if (!run.baseCommit) {
      throw badRequest(
        'id',
        `run #${run.number} has no recorded starting commit (it ran before Retrace recorded one)`,
      );
    }
    const branch = options.branch?.trim() || run.branch?.name || defaultBranchName(project.name, run.number);
    const learnedFrom = run.pattern?.sourceRunIds.length
      ? `${run.patternId ?? 'pattern'} (from ${run.pattern.sourceRunIds.length} run${run.pattern.sourceRunIds.length > 1 ? 's' : ''})`
      : null;
    const result = await runner
      .toBranch({
        projectId: project.id,
        runId: run.id,
        sourceRepo: project.sourceRepo,
        branch,
        baseCommit: run.baseCommit,
        message: commitMessage(run, [
          ['Retrace-Run', deps.runUrl(run.id) ?? run.id],
          ['Retrace-Pattern', learnedFrom],
        ]),
        author: deps.author,
        push: options.push ?? false,
      })
      .catch((error: unknown) => {
        throw asApiError(error, run.number);
      });
    const sameCommit = run.branch?.name === result.branch && run.branch.commit === result.commit;
    const recorded: RunBranch = {
      name: result.branch,
      commit: result.commit,
      remote: result.remote,
      pushedAt: result.pushed ? Date.now() : sameCommit ? (run.branch?.pushedAt ?? null) : null,
    };
    await db.update(runs).set({ branch: recorded }).where(eq(runs.id, run.id));
    if (result.pushError !== null) {
      throw new TRPCError({
        code: 'BAD_GATEWAY',
        message: `branch ${result.branch} was made (${result.commit.slice(0, 12)}), but pushing it to origin failed: ${result.pushError}`,
      });
    }
    return recorded;
  }

  return { toBranch };
}

export type BranchService = ReturnType<typeof createBranchService>;
