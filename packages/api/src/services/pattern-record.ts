import { type Database, runs } from '@retrace/db';
import { inArray, sql } from 'drizzle-orm';
import { wilsonInterval } from './stats';

/** What came of the runs a pattern was given. */
export interface PatternRecord {
  injected: number;
  succeeded: number;
  failed: number;
  /** Succeeded with the project's verify command passing. */
  verified: number;
  approved: number;
  rejected: number;
}

export const EMPTY_RECORD: PatternRecord = {
  injected: 0,
  succeeded: 0,
  failed: 0,
  verified: 0,
  approved: 0,
  rejected: 0,
};

/**
 * The records of these patterns, read off the runs that point at them: a count is always what
 * the runs say now (a review given later counts at once), never a counter that could drift.
 */
export async function patternRecords(
  db: Database,
  patternIds: string[],
): Promise<Map<string, PatternRecord>> {
  const records = new Map<string, PatternRecord>();
  if (patternIds.length === 0) return records;
  const rows = await db
    .select({
      patternId: runs.patternId,
      injected: sql<number>`count(*)`,
      succeeded: sql<number>`sum(${runs.status} = 'succeeded')`,
      failed: sql<number>`sum(${runs.status} = 'failed')`,
      verified: sql<number>`sum(${runs.status} = 'succeeded' and ${runs.verified} = 1)`,
      approved: sql<number>`sum(json_extract(${runs.review}, '$.verdict') = 'approve')`,
      rejected: sql<number>`sum(json_extract(${runs.review}, '$.verdict') = 'reject')`,
    })
    .from(runs)
    .where(inArray(runs.patternId, patternIds))
    .groupBy(runs.patternId);
  for (const row of rows) {
    if (!row.patternId) continue;
    records.set(row.patternId, {
      injected: Number(row.injected),
      succeeded: Number(row.succeeded ?? 0),
      failed: Number(row.failed ?? 0),
      verified: Number(row.verified ?? 0),
      approved: Number(row.approved ?? 0),
      rejected: Number(row.rejected ?? 0),
    });
  }
  return records;
}

/**
 * How far a record has proved a pattern: the lower end of its success rate's 95% interval
 * (0 for one never tried), so one success in one try counts for less than nine in ten.
 */
export function provenStrength(record: PatternRecord): number {
  const ended = record.succeeded + record.failed;
  return ended > 0 ? wilsonInterval(record.succeeded, ended)[0] : 0;
}

/** "injected 3, succeeded 2, failed 1": the record as a reason reads it. */
export function describeRecord(record: PatternRecord): string {
  if (record.injected === 0) return 'not given to any run yet';
  const parts = [`injected ${record.injected}`, `succeeded ${record.succeeded}`, `failed ${record.failed}`];
  if (record.verified > 0) parts.push(`verified ${record.verified}`);
  if (record.approved > 0) parts.push(`approved ${record.approved}`);
  if (record.rejected > 0) parts.push(`rejected ${record.rejected}`);
  return parts.join(', ');
}
