import type { Artifact } from '@retrace/api';
import { lazy, Suspense } from 'react';
import { ARTIFACT_READ_BYTES, useArtifactText } from '../hooks/useArtifactText';
import { formatBytes } from '../lib/format';
import { DiffViewToggle, useDiffViewType } from './DiffViewToggle';
import { ErrorBox } from './ErrorBox';
import { Modal } from './Modal';

// The diff renderer, only when a patch is opened.
const PatchView = lazy(() => import('./PatchView').then((m) => ({ default: m.PatchView })));

/** A patch drawn as the run page's diff is, unified or split. */
function PatchArtifact({ patch }: { patch: string }) {
  const [viewType, setViewType] = useDiffViewType();
  return (
    <>
      <div className="diff-tools">
        <DiffViewToggle value={viewType} onChange={setViewType} />
      </div>
      <Suspense fallback={<p className="muted">Loading the diff…</p>}>
        <div className="patch artifact-patch">
          <PatchView patch={patch} viewType={viewType} named />
        </div>
      </Suspense>
    </>
  );
}

/** An artifact read in the page: the patch as a diff, the rest (JSONL, logs, messages) as text. */
export function ArtifactViewer({
  artifact,
  open,
  onOpenChange,
}: {
  artifact: Pick<Artifact, 'name' | 'kind' | 'url' | 'size'>;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const content = useArtifactText(artifact.url, artifact.size, open);
  return (
    <Modal open={open} onOpenChange={onOpenChange} title={artifact.name} wide>
      <p className="muted small">
        {formatBytes(artifact.size)} ·{' '}
        <a href={artifact.url} download={artifact.name}>
          Download
        </a>
      </p>
      <ErrorBox error={content.error} what="Could not read it" />
      {content.text === null && !content.error && <p className="muted">Reading…</p>}
      {content.text !== null &&
        (artifact.kind === 'diff_patch' ? (
          <PatchArtifact patch={content.text} />
        ) : (
          <section
            className="artifact-text"
            aria-label={`Contents of ${artifact.name}`}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: the reader scrolls a long file by keyboard.
            tabIndex={0}
          >
            <pre>{content.text || '(empty)'}</pre>
          </section>
        ))}
      {content.cut && (
        <p className="muted small" role="note">
          Only its first {formatBytes(ARTIFACT_READ_BYTES)} are shown: download it for the rest.
        </p>
      )}
    </Modal>
  );
}
