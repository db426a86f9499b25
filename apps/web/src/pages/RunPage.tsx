import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ActivityLine } from '../components/ActivityLine';
import { ArtifactsPanel } from '../components/ArtifactsPanel';
import { ErrorBox } from '../components/ErrorBox';
import { FullAccessWarning } from '../components/FullAccessWarning';
import { NewRunDialog } from '../components/NewRunDialog';
import { PatternSummary } from '../components/PatternSummary';
import { ReviewPanel } from '../components/ReviewPanel';
import { RunOutcome } from '../components/RunOutcome';
import { RunPrompt } from '../components/RunPrompt';
import { RunRef } from '../components/RunRef';
import { TaughtPattern } from '../components/TaughtPattern';
import { Transcript } from '../components/Transcript';
import { useRunEvents } from '../hooks/useRunEvents';
import { formatDuration, formatTime, formatTokens } from '../lib/format';
import { useTRPC } from '../lib/trpc';

// The diff renderer is the heaviest part of the app: loaded with the first run page.
const DiffPanel = lazy(() => import('../components/DiffPanel').then((m) => ({ default: m.DiffPanel })));

export function RunPage() {
  const { id = '' } = useParams();
  // A page per run: going to another run (a retry) starts with no state of the last one's.
  return <RunView key={id} id={id} />;
}

function RunView({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const run = useQuery(trpc.runs.get.queryOptions({ id }));
  const project = useQuery(
    trpc.projects.get.queryOptions({ id: run.data?.projectId ?? '' }, { enabled: Boolean(run.data) }),
  );
  const events = useRunEvents(id);
  const [followUp, setFollowUp] = useState(false);
  const refresh = () => queryClient.invalidateQueries(trpc.runs.get.queryFilter({ id }));
  const cancel = useMutation(trpc.runs.cancel.mutationOptions({ onSuccess: refresh }));
  const retry = useMutation(
    trpc.runs.retry.mutationOptions({ onSuccess: (next) => navigate(`/runs/${next.id}`) }),
  );

  if (run.error) return <ErrorBox error={run.error} what="Could not load the run" />;
  if (!run.data) return <p className="muted">Loading the run…</p>;
  const r = run.data;
  const active = r.status === 'queued' || r.status === 'running';
  return (
    <section className="run-page">
      <p className="crumbs">
        <Link to="/">Projects</Link> /{' '}
        <Link to={`/projects/${r.projectId}`}>{project.data?.name ?? 'project'}</Link> /
      </p>
      <div className="page-head">
        <div>
          <h1>
            Run #{r.number} <RunOutcome run={r} />
          </h1>
          <p className="muted small">
            {formatTime(r.startedAt ?? r.createdAt)} · {formatDuration(r.durationMs)} ·{' '}
            {formatTokens(r.usage)} tokens · {r.profile}
            {r.fromRunId && (
              <>
                {' '}
                · workspace continued from <RunRef id={r.fromRunId} />
              </>
            )}
            {r.experimentId && (
              <>
                {' '}
                · an attempt of arm “{r.experimentArm}” in{' '}
                <Link to={`/experiments/${r.experimentId}`}>an experiment</Link>
              </>
            )}
          </p>
        </div>
        <div className="buttons">
          {active && (
            <button type="button" onClick={() => cancel.mutate({ id })} disabled={cancel.isPending}>
              Cancel run
            </button>
          )}
          {!active && (
            <button type="button" onClick={() => retry.mutate({ id })} disabled={retry.isPending}>
              Retry
            </button>
          )}
          <button type="button" className="primary" onClick={() => setFollowUp(true)}>
            Follow-up run
          </button>
        </div>
      </div>
      {r.fullAccess && <FullAccessWarning what="run" />}
      <ErrorBox error={cancel.error ?? retry.error} />
      {r.error && r.status !== 'succeeded' && (
        <div className="error-box" role="alert">
          {r.error}
        </div>
      )}
      {r.summary && r.status === 'succeeded' && <p className="summary">{r.summary}</p>}
      <RunPrompt run={r} />
      <div className="run-grid">
        <div className="run-main">
          <h2>
            Transcript{' '}
            <span className="muted small">
              {events.steps.length} step{events.steps.length === 1 ? '' : 's'}
            </span>
          </h2>
          <ErrorBox error={events.error} what="Live updates stopped" />
          <Transcript steps={events.steps} version={events.version} live={active} />
          {active && <ActivityLine activity={events.activity} />}
        </div>
        <div className="run-side">
          <PatternSummary run={r} />
          <Suspense fallback={<p className="muted">Loading the diff…</p>}>
            <DiffPanel runId={id} />
          </Suspense>
          <ReviewPanel run={r} />
          {r.status === 'succeeded' && <TaughtPattern runId={id} />}
          <ArtifactsPanel runId={id} />
          {r.workspacePath && (
            <section className="panel">
              <h2>Workspace</h2>
              <code className="small wrap">{r.workspacePath}</code>
            </section>
          )}
        </div>
      </div>
      <NewRunDialog
        open={followUp}
        onOpenChange={setFollowUp}
        projectId={r.projectId}
        defaults={{ fromRunId: id, ...(r.status === 'succeeded' ? { learnFromRunId: id } : {}) }}
      />
    </section>
  );
}
