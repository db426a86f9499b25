/** Why a runner did not do what it was asked, whatever the transport. */
export const RUNNER_ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE',
] as const;
export type RunnerErrorCode = (typeof RUNNER_ERROR_CODES)[number];

/** The runner refused the request itself: asking again cannot help. */
const FATAL: ReadonlySet<RunnerErrorCode> = new Set(['BAD_REQUEST', 'UNAUTHORIZED', 'NOT_FOUND', 'CONFLICT']);

/**
 * The one error both runner clients throw. UNAVAILABLE (the runner could not be reached, or
 * the connection was lost) is the only retryable code: a reconnect resumes the run.
 */
export class RunnerError extends Error {
  override name = 'RunnerError';

  constructor(
    readonly code: RunnerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get retryable(): boolean {
    return !FATAL.has(this.code);
  }
}

/** A validation failure as one line that names each field at fault: `field: message; field: message`. */
export function describeIssues(
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>,
  whole = 'input',
): string {
  return issues.map((issue) => `${issue.path.join('.') || whole}: ${issue.message}`).join('; ');
}
