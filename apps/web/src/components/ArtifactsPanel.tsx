import { useQuery } from '@tanstack/react-query';
import { formatBytes } from '../lib/format';
import { useTRPC } from '../lib/trpc';
import { ErrorBox } from './ErrorBox';

const DESCRIPTION: Record<string, string> = {
  codex_jsonl: 'raw Codex events',
  diff_summary: 'diff summary',
  diff_patch: 'patch',
  last_message: 'last message',
  log: 'run log',
};

export function ArtifactsPanel({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const artifacts = useQuery(trpc.runs.artifacts.queryOptions({ id: runId }));
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
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
