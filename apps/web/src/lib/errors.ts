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

/**
 * A form's errors: the message of each field it shows, at that field; everything else (an
 * error that names no field, or a field the form has no place for) in one line, never lost.
 */
export function formErrors(
  error: unknown,
  shown: readonly string[],
): { issues: Record<string, string>; other: string | null } {
  const all = fieldIssues(error);
  const issues: Record<string, string> = {};
  const elsewhere: string[] = [];
  for (const [field, message] of Object.entries(all)) {
    if (shown.includes(field)) issues[field] = message;
    else elsewhere.push(`${field}: ${message}`);
  }
  if (!error) return { issues, other: null };
  if (Object.keys(all).length === 0) return { issues, other: errorMessage(error) };
  return { issues, other: elsewhere.length > 0 ? elsewhere.join('; ') : null };
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
