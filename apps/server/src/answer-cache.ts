/**
 * Encoded answers to queries that read the database alone, kept while the database is
 * unchanged: a run page or a run list that every open tab and script reads again costs a
 * lookup instead of a query, its mapping and its JSON. The version is read before the answer
 * is computed, so a write landing in between leaves a kept answer already out of date, never
 * a stale answer in date.
 */
export interface AnswerCache {
  /** The database's version now: a kept answer is good for it, a computed one is filed under it. */
  version(): number;
  get(key: string, version: number): string | undefined;
  set(key: string, version: number, body: string): void;
}

export interface AnswerCacheOptions {
  /** Changes once the database may have changed (`holdDataVersion`). */
  version: () => number;
  maxEntries?: number;
  /** Larger answers are computed each time: they would crowd out the rest. */
  maxBodyChars?: number;
}

export function createAnswerCache({
  version,
  maxEntries = 256,
  maxBodyChars = 256 * 1024,
}: AnswerCacheOptions): AnswerCache {
  const kept = new Map<string, string>();
  let keptAt = Number.NaN;
  /** Answers of another version are all out of date at once. */
  const at = (current: number) => {
    if (current === keptAt) return;
    kept.clear();
    keptAt = current;
  };
  return {
    version,
    get(key, current) {
      at(current);
      return kept.get(key);
    },
    set(key, current, body) {
      if (current !== keptAt || body.length > maxBodyChars) return;
      // The oldest goes first: a Map iterates in insertion order.
      if (kept.size >= maxEntries) kept.delete(kept.keys().next().value as string);
      kept.set(key, body);
    },
  };
}

/** Whether a tRPC procedure declares its answer the database's (`readsDatabaseOnly` meta). */
export function readsDatabaseOnly(procedure: unknown): boolean {
  const def = (procedure as { _def?: { meta?: { readsDatabaseOnly?: unknown } } } | undefined)?._def;
  return def?.meta?.readsDatabaseOnly === true;
}
