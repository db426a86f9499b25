/** The database refused a row because a unique index already holds its key. */
export function isUniqueViolation(error: unknown): boolean {
  return String((error as { cause?: unknown })?.cause ?? error).includes('UNIQUE constraint failed');
}
