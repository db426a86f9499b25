import type { RouterOutputs } from '@retrace/api';
import { useState } from 'react';
import { type DiffViewType, PatchView } from './PatchView';

type ChangedFile = NonNullable<RouterOutputs['runs']['diff']>['files'][number];

/** Past this many changed lines a file's diff waits for a click: one huge file should not stall the page. */
export const LARGE_FILE_LINES = 400;

export function changedLines(file: Pick<ChangedFile, 'additions' | 'deletions'>): number {
  return file.additions + file.deletions;
}

/** One changed file: its name and +/− counts, and when open its diff (a large one on request). */
export function FileChange({
  file,
  open,
  onToggle,
  viewType,
}: {
  file: ChangedFile;
  open: boolean;
  onToggle: () => void;
  viewType: DiffViewType;
}) {
  const [showLarge, setShowLarge] = useState(false);
  const lines = changedLines(file);
  const large = lines > LARGE_FILE_LINES;
  return (
    <li className="file-change">
      <button type="button" className="file-row" aria-expanded={open} onClick={onToggle}>
        <span className={`change change-${file.status}`}>{file.status}</span>
        <code>{file.oldPath ? `${file.oldPath} → ${file.path}` : file.path}</code>
        <span className="spacer" />
        {file.binary ? (
          <span className="muted small">binary</span>
        ) : (
          <span className="counts">
            <span className="add">+{file.additions}</span>
            <span className="del">−{file.deletions}</span>
          </span>
        )}
      </button>
      {open && !file.binary && (
        <div className="patch">
          {large && !showLarge ? (
            <p className="large-file">
              <span className="muted small">A large change: {lines.toLocaleString()} lines.</span>{' '}
              <button
                type="button"
                className="small-button"
                aria-label={`Show the diff of ${file.path}`}
                onClick={() => setShowLarge(true)}
              >
                Show its diff
              </button>
            </p>
          ) : (
            <PatchView patch={file.patch} viewType={viewType} />
          )}
          {file.truncated && (!large || showLarge) && (
            <p className="muted small">The patch was cut to keep it readable; the counts are complete.</p>
          )}
        </div>
      )}
    </li>
  );
}
