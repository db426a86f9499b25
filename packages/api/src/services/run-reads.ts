import { type Database, holdSelect, projects, type RunStatus, runs } from '@retrace/db';
import { and, desc, eq, getTableColumns, lt, sql } from 'drizzle-orm';
import { RUN_DETAIL_FIELDS } from '../dto';

const detail = new Set<string>(RUN_DETAIL_FIELDS);

/** What a run list selects: no large field is read, a stored pattern only as a flag. */
export const listedRunColumns = {
  ...(Object.fromEntries(Object.entries(getTableColumns(runs)).filter(([key]) => !detail.has(key))) as Omit<
    ReturnType<typeof getTableColumns<typeof runs>>,
    (typeof RUN_DETAIL_FIELDS)[number]
  >),
  hasPattern: sql<boolean>`${runs.pattern} is not null`.mapWith(Boolean),
};

/** `before` when a page has no cursor: every run number is below it. */
const NO_CURSOR = Number.MAX_SAFE_INTEGER;

/**
 * The hot reads (a run page, a run list, read by every open tab), built by drizzle once and
 * held as native statements: a request binds placeholders, instead of building the query
 * again and having the client prepare it again, which cost far more than SQLite answering.
 */
export function createRunReads(db: Database) {
  const hold = <Row>(prepared: Parameters<typeof holdSelect<Row>>[1]) => holdSelect(db.$reader, prepared);
  const runById = hold(
    db
      .select()
      .from(runs)
      .where(eq(runs.id, sql.placeholder('id')))
      .prepare(),
  );
  const projectById = hold(
    db
      .select({ id: projects.id })
      .from(projects)
      .where(eq(projects.id, sql.placeholder('id')))
      .prepare(),
  );
  const page = (status: boolean) =>
    hold(
      db
        .select(listedRunColumns)
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
        .prepare(),
    );
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
