import { ACTIVE_RUN_STATUSES, type Database, patternCache, patterns, projects, runs } from '@retrace/db';
import { type RemoveWorkspacesRequest, type RunnerClient, RunnerError } from '@retrace/protocol';
import { TRPCError } from '@trpc/server';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { conflict, notFound } from '../errors';
import { isTerminalStatus } from '../events';
import type { ArtifactStore } from './artifact-store';

export interface RemovalDeps {
  db: Database;
  runner: RunnerClient;
  artifacts: ArtifactStore;
}

const active = inArray(runs.status, [...ACTIVE_RUN_STATUSES]);

/** Active runs as people name them: "#3 (running), #4 (queued)". */
const named = (list: Array<{ number: number; status: string }>) =>
  list.map((run) => `#${run.number} (${run.status})`).join(', ');

/**
 * Deleting what a run (or a whole project) left: its workspaces, through the runner that
 * owns them (it may be on another machine), then its rows (steps, events, artifacts go with
 * them), then its artifact files. Nothing is deleted while a run that needs it is active.
 */
export function createRemovalService({ db, runner, artifacts }: RemovalDeps) {
  /** The runner's workspaces gone first: if it refuses or cannot be reached, nothing else is deleted. */
  async function removeWorkspaces(request: RemoveWorkspacesRequest, what: string): Promise<void> {
    try {
      await runner.removeWorkspaces(request);
    } catch (error) {
      if (!(error instanceof RunnerError)) throw error;
      if (error.code === 'CONFLICT') throw conflict(`${what}: ${error.message}`);
      throw new TRPCError({
        code: error.code === 'UNAVAILABLE' ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR',
        message: `${what} was not deleted (nothing was): the runner could not delete its workspace: ${error.message}`,
        cause: error,
      });
    }
  }

  /** Deletes an ended run; runs that learned from it or continued from it stay (their link is cleared). */
  async function run(id: string): Promise<{ id: string }> {
    const [found] = await db.select().from(runs).where(eq(runs.id, id));
    if (!found) throw notFound('run', id);
    if (!isTerminalStatus(found.status)) {
      throw conflict(`run #${found.number} is ${found.status}; cancel it first`);
    }
    // A queued or running run is to start from (or is copying) this workspace.
    const continuing = await db
      .select({ number: runs.number, status: runs.status })
      .from(runs)
      .where(and(eq(runs.fromRunId, id), active))
      .orderBy(asc(runs.number));
    if (continuing.length > 0) {
      const them = continuing.length === 1 ? 'it' : 'them';
      throw conflict(
        `run ${named(continuing)} continues from run #${found.number}'s workspace; wait for ${them} to end or cancel ${them} first`,
      );
    }
    await removeWorkspaces({ projectId: found.projectId, runIds: [id] }, `run #${found.number}`);
    // The patterns it is a source of go with it: they are made of its steps. Runs given one
    // keep the text they were given (runs.pattern), without the link.
    const sourcedBy = (table: typeof patterns | typeof patternCache) =>
      and(
        eq(table.projectId, found.projectId),
        sql`exists (select 1 from json_each(${table.sourceRunIds}) where value = ${id})`,
      );
    await db.batch([
      db.delete(patterns).where(sourcedBy(patterns)),
      db.delete(patternCache).where(sourcedBy(patternCache)),
      db.delete(runs).where(eq(runs.id, id)),
    ]);
    await artifacts.removeRun(id);
    return { id };
  }

  /** Deletes a project with all its runs, refused while any of them is queued or running. */
  async function project(id: string): Promise<{ id: string }> {
    const [found] = await db.select().from(projects).where(eq(projects.id, id));
    if (!found) throw notFound('project', id);
    const busy = await db
      .select({ number: runs.number, status: runs.status })
      .from(runs)
      .where(and(eq(runs.projectId, id), active))
      .orderBy(asc(runs.number));
    if (busy.length > 0) {
      throw conflict(
        `project "${found.name}" has ${busy.length} active run${busy.length === 1 ? '' : 's'} (${named(busy)}); cancel them or wait for them to end before deleting it`,
      );
    }
    const runIds = (await db.select({ id: runs.id }).from(runs).where(eq(runs.projectId, id))).map(
      (r) => r.id,
    );
    await removeWorkspaces({ projectId: id }, `project "${found.name}"`);
    await db.delete(projects).where(eq(projects.id, id));
    for (const runId of runIds) await artifacts.removeRun(runId);
    return { id };
  }

  return { run, project };
}

export type RemovalService = ReturnType<typeof createRemovalService>;
