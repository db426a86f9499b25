import { skipToken, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../lib/trpc';
import { ErrorBox } from './ErrorBox';
import { PatternDetails } from './PatternDetails';

/** The drawer beside the new-run form: what "Learn from" would inject, as it changes. */
export function PatternPreview({ runId, emptyText }: { runId: string | null; emptyText: string }) {
  const trpc = useTRPC();
  const preview = useQuery(trpc.patterns.preview.queryOptions(runId ? { runIds: [runId] } : skipToken));
  return (
    <aside className="drawer" aria-label="Pattern preview">
      <h2>Pattern preview</h2>
      {!runId && <p className="muted">{emptyText}</p>}
      {runId && preview.isPending && <p className="muted">Extracting…</p>}
      <ErrorBox error={preview.error} />
      {preview.data && <PatternDetails pattern={preview.data} />}
    </aside>
  );
}
