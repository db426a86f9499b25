import { useMemo } from 'react';
import { Diff, Hunk, parseDiff } from 'react-diff-view';
import 'react-diff-view/style/index.css';

export type DiffViewType = 'unified' | 'split';

/**
 * A unified patch drawn as a diff, unified or side by side: one file's (a run's diff) or many
 * (a patch artifact, each file named over its diff). Text that is no patch is shown as it is.
 */
export function PatchView({
  patch,
  viewType,
  named = false,
}: {
  patch: string;
  viewType: DiffViewType;
  /** Name each file above its diff: a patch of many files. */
  named?: boolean;
}) {
  const files = useMemo(() => parseDiff(patch, { nearbySequences: 'zip' }), [patch]);
  if (files.length === 0) return <pre className="output">{patch}</pre>;
  return (
    <>
      {files.map((file) => (
        <div key={`${file.oldPath}→${file.newPath}`} className="patch-file">
          {named && (
            <h3 className="patch-file-name">
              <code>{file.type === 'delete' ? file.oldPath : file.newPath}</code>
            </h3>
          )}
          <Diff viewType={viewType} diffType={file.type} hunks={file.hunks}>
            {(hunks) => hunks.map((hunk) => <Hunk key={hunk.content} hunk={hunk} />)}
          </Diff>
        </div>
      ))}
    </>
  );
}
