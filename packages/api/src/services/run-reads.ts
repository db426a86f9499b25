import { type Database, projects, type RunStatus, runs } from '@retrace/db';
import { and, desc, eq, lt, sql } from 'drizzle-orm';

/** `before` when a page has no cursor: every run number is below it. */
const NO_CURSOR = Number.MAX_SAFE_INTEGER;

/**
 * The hot reads (a run page, a run list, polled by every open tab), built and prepared
 * once: a request fills in placeholders instead of building the query again through
 * drizzle, which cost more than SQLite answering it.
 */
export function createRunReads(db: Database) {
  const runById = db
    .select()
    .from(runs)
    .where(eq(runs.id, sql.placeholder('id')))
    .prepare();
  const projectById = db
    .select({ id: projects.id })
    .from(projects)
    .where(eq(projects.id, sql.placeholder('id')))
    .prepare();
  const page = (status: boolean) =>
    db
      .select()
      .from(runs)
      .where(
        and(
          eq(runs.projectId, sql.placeholder('projectId')),
          status ? eq(runs.status, sql.placeholder('status')) : undefined,
          lt(runs.number, sql.placeholder('before')),
        ),
      )
      .orderBy(desc(runs.number))
      .limit(sql.placeholder('limit'))
      .prepare();
  const anyStatusPage = page(false);
  const statusPage = page(true);

  return {
    run: (id: string) => runById.get({ id }),
    /** The same answer as projects.row's lookup, without reading the whole row. */
    projectExists: async (id: string) => (await projectById.get({ id })) !== undefined,
    /** Up to `limit` runs of the project numbered below `cursor`, newest first. */
    runPage: (input: {
      projectId: string;
      status?: RunStatus | undefined;
      cursor?: number | null | undefined;
      limit: number;
    }) => {
      const values = { projectId: input.projectId, before: input.cursor || NO_CURSOR, limit: input.limit };
      return input.status ? statusPage.all({ ...values, status: input.status }) : anyStatusPage.all(values);
    },
  };
}

export type RunReads = ReturnType<typeof createRunReads>;
