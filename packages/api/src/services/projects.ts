import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { type Database, isUniqueViolation, projects, runs } from '@retrace/db';
import { asc, count, eq, inArray, max } from 'drizzle-orm';
import { type Project, toProject } from '../dto';
import { badRequest, conflict, notFound } from '../errors';
import { newProjectId } from '../ids';
import { type Redactor, redactValue } from './redact';

export interface ProjectFields {
  name: string;
  basePrompt?: string | undefined;
  sourceRepo?: string | null | undefined;
  verifyCommand?: string | null | undefined;
  fullAccess?: boolean | undefined;
}

const REMOTE_REPO = /^(https?:\/\/|ssh:\/\/|git:\/\/|file:\/\/|[\w.-]+@[\w.-]+:)/;

/** A source repository is a git URL, or a local folder that exists now. */
function checkSourceRepo(sourceRepo: string | null | undefined): void {
  if (!sourceRepo || REMOTE_REPO.test(sourceRepo)) return;
  if (!isAbsolute(sourceRepo)) {
    throw badRequest('sourceRepo', 'must be a git URL or an absolute path to a local repository');
  }
  if (!existsSync(sourceRepo) || !statSync(sourceRepo).isDirectory()) {
    throw badRequest('sourceRepo', `${sourceRepo} is not a folder on the server`);
  }
}

/** The text fields a project stores and every run reads: stored with their secrets redacted. */
function redactFields<T extends Partial<ProjectFields>>(fields: T, redact: Redactor): T {
  return {
    ...fields,
    ...redactValue({ basePrompt: fields.basePrompt, verifyCommand: fields.verifyCommand }, redact),
  };
}

export function createProjectService(db: Database, redact: Redactor) {
  async function stats(ids: string[]) {
    if (ids.length === 0) return new Map<string, { runCount: number; lastRunAt: number | null }>();
    const rows = await db
      .select({ projectId: runs.projectId, runCount: count(), lastRunAt: max(runs.updatedAt) })
      .from(runs)
      .where(inArray(runs.projectId, ids))
      .groupBy(runs.projectId);
    return new Map(rows.map((r) => [r.projectId, { runCount: r.runCount, lastRunAt: r.lastRunAt }]));
  }

  async function withStats(rows: Array<typeof projects.$inferSelect>): Promise<Project[]> {
    const byId = await stats(rows.map((r) => r.id));
    return rows.map((row) => toProject(row, byId.get(row.id) ?? { runCount: 0, lastRunAt: null }));
  }

  async function row(id: string) {
    const [found] = await db.select().from(projects).where(eq(projects.id, id));
    if (!found) throw notFound('project', id);
    return found;
  }

  async function get(id: string): Promise<Project> {
    const [project] = await withStats([await row(id)]);
    if (!project) throw notFound('project', id);
    return project;
  }

  async function list(): Promise<Project[]> {
    const projectsWithStats = await withStats(await db.select().from(projects).orderBy(asc(projects.name)));
    return projectsWithStats.sort((a, b) => b.lastActivityAt - a.lastActivityAt);
  }

  async function create(given: ProjectFields): Promise<Project> {
    checkSourceRepo(given.sourceRepo);
    const fields = redactFields(given, redact);
    const id = newProjectId();
    try {
      await db.insert(projects).values({
        id,
        name: fields.name,
        ...(fields.basePrompt !== undefined ? { basePrompt: fields.basePrompt } : {}),
        sourceRepo: fields.sourceRepo ?? null,
        verifyCommand: fields.verifyCommand ?? null,
        fullAccess: fields.fullAccess ?? false,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`a project named "${fields.name}" already exists`);
      throw error;
    }
    return get(id);
  }

  async function update(id: string, given: Partial<ProjectFields>): Promise<Project> {
    await row(id);
    checkSourceRepo(given.sourceRepo);
    const fields = redactFields(given, redact);
    const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    if (Object.keys(changes).length > 0) {
      try {
        await db.update(projects).set(changes).where(eq(projects.id, id));
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`a project named "${fields.name}" already exists`);
        throw error;
      }
    }
    return get(id);
  }

  // Deleting a project is removal.project: its workspaces and artifact files go too.
  return { get, row, list, create, update };
}

export type ProjectService = ReturnType<typeof createProjectService>;
