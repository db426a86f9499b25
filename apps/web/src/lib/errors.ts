import { TRPCClientError } from '@trpc/client';

export interface FieldIssue {
  field: string;
  message: string;
}

/** The API names the field of every BAD_REQUEST: forms show each message at its field. */
export function fieldIssues(error: unknown): Record<string, string> {
  if (!(error instanceof TRPCClientError)) return {};
  const issues = (error.data as { issues?: FieldIssue[] } | undefined)?.issues ?? [];
  return Object.fromEntries(issues.map((i) => [i.field, i.message]));
}

/** A form's errors: each field's message, and the message of an error that names no field. */
export function formErrors(error: unknown): { issues: Record<string, string>; other: string | null } {
  const issues = fieldIssues(error);
  return { issues, other: error && Object.keys(issues).length === 0 ? errorMessage(error) : null };
}

export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function isUnauthorized(error: unknown): boolean {
  return (
    error instanceof TRPCClientError &&
    (error.data as { httpStatus?: number } | undefined)?.httpStatus === 401
  );
}
