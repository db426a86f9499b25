import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { FieldError } from './errors';
import type { ApiServices } from './services/index';

export interface ApiContext {
  services: ApiServices;
}

export interface FieldIssue {
  field: string;
  message: string;
}

/** What a procedure declares about itself, for the layers that serve it. */
export interface ProcedureMeta {
  /**
   * Its answer follows from its input and the database alone (no clock, no process state,
   * no file): until the database changes, the same input may be answered with it again.
   */
  readsDatabaseOnly?: boolean;
}

const t = initTRPC
  .context<ApiContext>()
  .meta<ProcedureMeta>()
  .create({
    // Every BAD_REQUEST names its field(s): in the message for people, in data.issues for forms.
    errorFormatter({ shape, error }) {
      const { message, issues } = describeError(error);
      return { ...shape, message, data: { ...shape.data, stack: undefined, issues } };
    },
    sse: {
      // Frequent pings let clients notice a dead connection (a restarted server) within seconds.
      ping: { enabled: true, intervalMs: 2_000 },
      client: { reconnectAfterInactivityMs: 6_000 },
    },
  });

/** An error as the API says it, over tRPC or REST: a message naming the fields at fault, and those fields. */
export function describeError(error: TRPCError): { message: string; issues: FieldIssue[] } {
  const issues = fieldIssues(error);
  const message =
    issues.length > 0 ? issues.map((i) => `${i.field}: ${i.message}`).join('; ') : error.message;
  return { message, issues };
}

function fieldIssues(error: TRPCError): FieldIssue[] {
  const cause = error.cause;
  if (cause instanceof ZodError) {
    return cause.issues.map((issue) => ({
      field: issue.path.length > 0 ? issue.path.join('.') : 'input',
      message: issue.message,
    }));
  }
  if (cause instanceof FieldError) return [{ field: cause.field, message: cause.message }];
  return [];
}

export const createTRPCRouter = t.router;
export const publicProcedure = t.procedure;
/** A query whose answer is the database's (see `ProcedureMeta.readsDatabaseOnly`). */
export const databaseQuery = t.procedure.meta({ readsDatabaseOnly: true });
export const createCallerFactory = t.createCallerFactory;
export { TRPCError };
