import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Diff, Hunk, parseDiff } from 'react-diff-view';
import 'react-diff-view/style/index.css';
import { useTRPC } from '../lib/trpc';
import { ErrorBox } from './ErrorBox';

function FilePatch({ patch }: { patch: string }) {
  const files = parseDiff(patch, { nearbySequences: 'zip' });
  if (files.length === 0) return <pre className="output">{patch}</pre>;
  return (
    <>
      {files.map((file) => (
        <Diff
          key={`${file.oldPath}→${file.newPath}`}
          viewType="unified"
          diffType={file.type}
          hunks={file.hunks}
        >
          {(hunks) => hunks.map((hunk) => <Hunk key={hunk.content} hunk={hunk} />)}
        </Diff>
      ))}
    </>
  );
}

/** What the run changed in its workspace: files with +/− counts, each patch on demand. */
export function DiffPanel({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const diff = useQuery(trpc.runs.diff.queryOptions({ id: runId }));
  const [openPath, setOpenPath] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="diff-title">
      <h2 id="diff-title">
        Changes
        {diff.data && (
          <span className="counts">
            <span className="add">+{diff.data.additions}</span>{' '}
            <span className="del">−{diff.data.deletions}</span>
          </span>
        )}
      </h2>
      <ErrorBox error={diff.error} />
      {diff.data === null && <p className="muted">No changes yet.</p>}
      {diff.data && diff.data.files.length === 0 && <p className="muted">The workspace is unchanged.</p>}
      {diff.data && diff.data.files.length > 0 && (
        <ul className="files">
          {diff.data.files.map((file) => (
            <li key={file.path}>
              <button
                type="button"
                className="file-row"
                aria-expanded={openPath === file.path}
                onClick={() => setOpenPath(openPath === file.path ? null : file.path)}
              >
                <span className={`change change-${file.status}`}>{file.status}</span>
                <code>{file.oldPath ? `${file.oldPath} → ${file.path}` : file.path}</code>
                <span className="spacer" />
                {file.binary ? (
                  <span className="muted small">binary</span>
                ) : (
                  <span className="add">+{file.additions}</span>
                )}
                {!file.binary && <span className="del">−{file.deletions}</span>}
              </button>
              {openPath === file.path && !file.binary && (
                <div className="patch">
                  <FilePatch patch={file.patch} />
                  {file.truncated && (
                    <p className="muted small">
                      The patch was cut to keep it readable; the counts are complete.
                    </p>
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
