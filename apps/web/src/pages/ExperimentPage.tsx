import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { ErrorBox, TO_PROJECTS } from '../components/ErrorBox';
import { ExperimentArm } from '../components/ExperimentArm';
import { RunRef } from '../components/RunRef';
import { formatTime } from '../lib/format';
import { useTRPC } from '../lib/trpc';

// How often a running experiment is read again: its attempts end every few seconds offline.
const REFRESH_MS = 1_000;

/** An experiment's arms side by side, refreshed until every attempt has ended. */
export function ExperimentPage() {
  const { id = '' } = useParams();
  const trpc = useTRPC();
  const experiment = useQuery(
    trpc.experiments.get.queryOptions(
      { id },
      { refetchInterval: (query) => (query.state.data?.done ? false : REFRESH_MS) },
    ),
  );
  const project = useQuery(
    trpc.projects.get.queryOptions(
      { id: experiment.data?.projectId ?? '' },
      { enabled: Boolean(experiment.data) },
    ),
  );
  if (experiment.error)
    return <ErrorBox error={experiment.error} what="Could not load the experiment" back={TO_PROJECTS} />;
  if (!experiment.data) return <p className="muted">Loading the experiment…</p>;
  const e = experiment.data;
  const total = e.arms.reduce((sum, arm) => sum + arm.runs.length, 0);
  const pending = e.arms.reduce((sum, arm) => sum + arm.pending, 0);
  return (
    <section className="experiment-page">
      <p className="crumbs">
        <Link to="/">Projects</Link> /{' '}
        <Link to={`/projects/${e.projectId}`}>{project.data?.name ?? 'project'}</Link> /{' '}
        <Link to={`/projects/${e.projectId}?view=experiments`}>Experiments</Link> /
      </p>
      <div className="page-head">
        <div>
          <h1>
            Experiment{' '}
            {e.done ? (
              <span className="status status-succeeded">Done</span>
            ) : (
              <span className="status status-running" role="status">
                {total - pending} of {total} ended
              </span>
            )}
          </h1>
          <p className="muted small">
            {e.attempts} attempts × {e.arms.length} arms · started {formatTime(e.createdAt)} ·{' '}
            {e.fromRunId ? (
              <>
                every attempt from the workspace of <RunRef id={e.fromRunId} />
              </>
            ) : (
              'every attempt in a fresh workspace'
            )}
          </p>
        </div>
      </div>
      <pre className="experiment-prompt">{e.prompt}</pre>
      <div className="arms">
        {e.arms.map((arm) => (
          <ExperimentArm key={arm.name} arm={arm} against={e.comparison.find((c) => c.arm === arm.name)} />
        ))}
      </div>
    </section>
  );
}
