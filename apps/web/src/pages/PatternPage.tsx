import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { ErrorBox, TO_PROJECTS } from '../components/ErrorBox';
import { PatternDetails } from '../components/PatternDetails';
import { RecordCounts } from '../components/RecordCounts';
import { RunOutcome } from '../components/RunOutcome';
import { RunTable } from '../components/RunTable';
import { formatTime, oneLine } from '../lib/format';
import { useTRPC } from '../lib/trpc';

/** A pattern whole: where each step came from, what it holds, and how the runs given it fared. */
export function PatternPage() {
  const { id = '' } = useParams();
  const trpc = useTRPC();
  const pattern = useQuery(trpc.patterns.get.queryOptions({ id }));
  const project = useQuery(
    trpc.projects.get.queryOptions({ id: pattern.data?.projectId ?? '' }, { enabled: Boolean(pattern.data) }),
  );
  if (pattern.error)
    return <ErrorBox error={pattern.error} what="Could not load the pattern" back={TO_PROJECTS} />;
  if (!pattern.data) return <p className="muted">Loading the pattern…</p>;
  const p = pattern.data;
  return (
    <section className="pattern-page">
      <p className="crumbs">
        <Link to="/">Projects</Link> /{' '}
        <Link to={`/projects/${p.projectId}`}>{project.data?.name ?? 'project'}</Link> /{' '}
        <Link to={`/projects/${p.projectId}?view=patterns`}>Patterns</Link> /
      </p>
      <div className="page-head">
        <div>
          <h1>Pattern of {p.sources.map((run) => `#${run.number}`).join(' + ')}</h1>
          <p className="muted small">
            {p.recordText} · made {formatTime(p.createdAt)} · extractor {p.extractorVersion}
          </p>
        </div>
      </div>
      <div className="run-grid">
        <div className="run-main">
          <h2>Workflow</h2>
          <section className="panel">
            <PatternDetails pattern={p} expanded />
          </section>
        </div>
        <div className="run-side">
          <section className="panel" aria-labelledby="record-title">
            <h2 id="record-title">Record</h2>
            <RecordCounts record={p.record} />
            <p className="muted small">
              Counted from the runs given this pattern as they are now: a review given later counts at once.
            </p>
          </section>
          <section className="panel" aria-labelledby="sources-title">
            <h2 id="sources-title">Learned from</h2>
            <ul className="sources">
              {p.sources.map((run) => (
                <li key={run.id}>
                  <Link to={`/runs/${run.id}`}>#{run.number}</Link> <RunOutcome run={run} compact />
                  <div className="mono small muted">{oneLine(run.prompt, 100)}</div>
                </li>
              ))}
            </ul>
          </section>
        </div>
      </div>
      <h2>Runs given it</h2>
      {p.usedBy.length === 0 ? (
        <p className="muted">No run has been given this pattern yet.</p>
      ) : (
        <RunTable runs={p.usedBy} label="Runs given it" />
      )}
    </section>
  );
}
