import { runs } from '@retrace/db';
import { type SQL, sql } from 'drizzle-orm';

/** More words than this in a search are not worth the index's time. */
const MAX_WORDS = 16;

/**
 * A person's search as an FTS5 query: its words, each quoted (nothing they type is FTS
 * syntax), all of them required, the last one as a prefix (so a word half typed finds).
 * Null when it holds no word at all: such a search matches nothing.
 */
export function promptSearchQuery(text: string): string | null {
  const words = (text.match(/[\p{L}\p{N}_]+/gu) ?? []).slice(0, MAX_WORDS);
  if (words.length === 0) return null;
  return words.map((word, i) => `"${word}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** Runs whose prompt matches the search, through the prompt index (drizzle/0001_runs_prompt_search.sql). */
export function promptMatches(text: string): SQL {
  const query = promptSearchQuery(text);
  if (query === null) return sql`0`;
  return sql`${runs}.rowid IN (SELECT rowid FROM runs_prompt_fts WHERE runs_prompt_fts MATCH ${query})`;
}
