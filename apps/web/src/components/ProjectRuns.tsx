import type { RouterInputs } from '@retrace/api';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useDebounced } from '../hooks/useDebounced';
import { useTRPC } from '../lib/trpc';
import { ErrorBox } from './ErrorBox';
import { parseRunStatus, RunFilters } from './RunFilters';
import { RunTable } from './RunTable';

export const RUN_PAGE_SIZE = 20;

type RunListInput = RouterInputs['runs']['list'];

/** One filtered list of runs, a page at a time: Newer and Older walk its cursors. */
function RunPages({
  filter,
  onStart,
  onClear,
}: {
  filter: Omit<RunListInput, 'cursor' | 'limit'>;
  onStart: () => void;
  onClear: () => void;
}) {
  const trpc = useTRPC();
  // Older pages: the cursors that led to them.
  const [cursors, setCursors] = useState<number[]>([]);
  const cursor = cursors.at(-1) ?? null;
  const runs = useQuery(trpc.runs.list.queryOptions({ ...filter, limit: RUN_PAGE_SIZE, cursor }));
  const filtered = filter.status !== undefined || filter.query !== undefined;
  const nextCursor = runs.data?.nextCursor ?? null;
  return (
    <>
      <ErrorBox error={runs.error} what="Could not load runs" />
      {runs.isPending && <p className="muted">Loading runs…</p>}
      {runs.data?.items.length === 0 && cursor === null && !filtered && (
        <div className="empty">
          <p>
            No runs yet. Start one: the first successful run becomes a pattern the next runs can learn from.
          </p>
          <button type="button" className="primary" onClick={onStart}>
            Start the first run
          </button>
        </div>
      )}
      {runs.data?.items.length === 0 && filtered && (
        <div className="empty">
          <p>No run matches.</p>
          <button type="button" onClick={onClear}>
            Show every run
          </button>
        </div>
      )}
      {runs.data && runs.data.items.length > 0 && <RunTable runs={runs.data.items} label="Runs" />}
      {(cursors.length > 0 || nextCursor) && (
        <div className="pager">
          <button
            type="button"
            disabled={cursors.length === 0}
            onClick={() => setCursors(cursors.slice(0, -1))}
          >
            Newer
          </button>
          <button
            type="button"
            disabled={!nextCursor}
            onClick={() => nextCursor && setCursors([...cursors, nextCursor])}
          >
            Older
          </button>
        </div>
      )}
    </>
  );
}

/**
 * A project's runs, narrowed by status and by words of their prompts; the filter is in the
 * address (?status=…&q=…), so a reload or a link keeps it.
 */
export function ProjectRuns({ projectId, onStart }: { projectId: string; onStart: () => void }) {
  const [params, setParams] = useSearchParams();
  const status = parseRunStatus(params.get('status'));
  const [search, setSearch] = useState(params.get('q') ?? '');
  const query = useDebounced(search.trim(), 250);
  const change = (key: string, value: string | undefined) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  // biome-ignore lint/correctness/useExhaustiveDependencies: the address follows the settled search.
  useEffect(() => {
    if ((params.get('q') ?? '') !== query) change('q', query);
  }, [query]);
  const filter = { projectId, ...(status ? { status } : {}), ...(query ? { query } : {}) };
  return (
    <>
      <RunFilters
        status={status}
        onStatusChange={(next) => change('status', next)}
        search={search}
        onSearchChange={setSearch}
      />
      {/* A new filter starts at its first page. */}
      <RunPages
        key={`${status ?? ''}\n${query}`}
        filter={filter}
        onStart={onStart}
        onClear={() => {
          setSearch('');
          change('status', undefined);
        }}
      />
    </>
  );
}
