import type { RouterOutputs } from '@retrace/api';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../lib/trpc';
import { DiffViewToggle, useDiffViewType } from './DiffViewToggle';
import { ErrorBox } from './ErrorBox';
import { FileChange } from './FileChange';

type RunDiff = NonNullable<RouterOutputs['runs']['diff']>;

// Past this many files a filter helps find one.
const FILTER_FROM = 10;

/** "Changes", how many files, and the lines added and removed in all. */
function DiffTitle({ diff }: { diff: RunDiff | null | undefined }) {
  return (
    <h2 id="diff-title">
      Changes
      {diff && (
        <span className="counts">
          <span className="muted">
            {diff.files.length} file{diff.files.length === 1 ? '' : 's'}
          </span>
          <span className="add">+{diff.additions}</span>
          <span className="del">−{diff.deletions}</span>
        </span>
      )}
    </h2>
  );
}

/** Every file of the diff, each opened on its own or all at once, drawn unified or split. */
function FileList({ files, filter }: { files: RunDiff['files']; filter: string }) {
  const [viewType, setViewType] = useDiffViewType();
  const [openPaths, setOpenPaths] = useState<ReadonlySet<string>>(new Set());
  const shown = filter ? files.filter((f) => f.path.toLowerCase().includes(filter.toLowerCase())) : files;
  const toggle = (path: string) => {
    const next = new Set(openPaths);
    if (!next.delete(path)) next.add(path);
    setOpenPaths(next);
  };
  return (
    <>
      <div className="diff-tools">
        <DiffViewToggle value={viewType} onChange={setViewType} />
        <button
          type="button"
          className="small-button"
          onClick={() => setOpenPaths(new Set(shown.map((f) => f.path)))}
        >
          Expand all
        </button>
        <button type="button" className="small-button" onClick={() => setOpenPaths(new Set())}>
          Collapse all
        </button>
      </div>
      <ul className="files" aria-label="Changed files">
        {shown.map((file) => (
          <FileChange
            key={file.path}
            file={file}
            open={openPaths.has(file.path)}
            onToggle={() => toggle(file.path)}
            viewType={viewType}
          />
        ))}
      </ul>
      {shown.length === 0 && <p className="muted small">No changed file matches “{filter}”.</p>}
    </>
  );
}

/**
 * What the run changed in its workspace: every file with its +/− counts, each diff opened on
 * demand or all at once, unified or split, in the side column or across the page.
 */
export function DiffPanel({
  runId,
  wide = false,
  onWideChange,
}: {
  runId: string;
  /** Across the page's whole width, not in the side column. */
  wide?: boolean;
  onWideChange?: (wide: boolean) => void;
}) {
  const trpc = useTRPC();
  const diff = useQuery(trpc.runs.diff.queryOptions({ id: runId }));
  const [filter, setFilter] = useState('');
  const files = diff.data?.files ?? [];
  return (
    <section className={wide ? 'panel diff-panel wide' : 'panel diff-panel'} aria-labelledby="diff-title">
      <div className="diff-head">
        <DiffTitle diff={diff.data} />
        {files.length > FILTER_FROM && (
          <input
            type="search"
            className="diff-filter"
            aria-label="Filter files"
            placeholder="Filter files"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        )}
        {onWideChange && (
          <button
            type="button"
            className="small-button diff-width"
            aria-pressed={wide}
            onClick={() => onWideChange(!wide)}
          >
            Full width
          </button>
        )}
      </div>
      <ErrorBox error={diff.error} />
      {diff.data === null && <p className="muted">No changes yet.</p>}
      {diff.data && files.length === 0 && <p className="muted">The workspace is unchanged.</p>}
      {files.length > 0 && <FileList files={files} filter={filter} />}
    </section>
  );
}
