import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { formatBytes } from '../lib/format';
import { useTRPC } from '../lib/trpc';
import { ArtifactViewer } from './ArtifactViewer';
import { ErrorBox } from './ErrorBox';

const DESCRIPTION: Record<string, string> = {
  codex_jsonl: 'raw Codex events',
  diff_summary: 'diff summary',
  diff_patch: 'patch',
  last_message: 'last message',
  log: 'run log',
};

/** What the run left: each file read here or downloaded. */
export function ArtifactsPanel({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const artifacts = useQuery(trpc.runs.artifacts.queryOptions({ id: runId }));
  // The artifact last opened stays mounted once closed: its dialog gives focus back as it closes.
  const [reading, setReading] = useState<string | null>(null);
  const [viewerOpen, setViewerOpen] = useState(false);
  const opened = artifacts.data?.items.find((artifact) => artifact.name === reading);
  return (
    <section className="panel" aria-labelledby="artifacts-title">
      <h2 id="artifacts-title">Artifacts</h2>
      <ErrorBox error={artifacts.error} />
      {artifacts.data?.items.length === 0 && <p className="muted">None yet.</p>}
      <ul className="artifacts">
        {artifacts.data?.items.map((artifact) => (
          <li key={artifact.id}>
            <a href={artifact.url} download={artifact.name}>
              {artifact.name}
            </a>{' '}
            <span className="muted small">
              {DESCRIPTION[artifact.kind] ?? artifact.kind} · {formatBytes(artifact.size)}
            </span>{' '}
            <button
              type="button"
              className="small-button"
              aria-label={`Read ${artifact.name}`}
              onClick={() => {
                setReading(artifact.name);
                setViewerOpen(true);
              }}
            >
              Read
            </button>
          </li>
        ))}
      </ul>
      {opened && <ArtifactViewer artifact={opened} open={viewerOpen} onOpenChange={setViewerOpen} />}
    </section>
  );
}
