import type { Run } from '@retrace/api';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ActivityLine } from '../components/ActivityLine';
import { ArtifactsPanel } from '../components/ArtifactsPanel';
import { BranchPanel } from '../components/BranchPanel';
import { ErrorBox, TO_PROJECTS } from '../components/ErrorBox';
import { FullAccessWarning } from '../components/FullAccessWarning';
import { PatternSummary } from '../components/PatternSummary';
import { ReviewPanel } from '../components/ReviewPanel';
import { RunActions } from '../components/RunActions';
import { RunHeader } from '../components/RunHeader';
import { RunPrompt } from '../components/RunPrompt';
import { TaughtPattern } from '../components/TaughtPattern';
import { Transcript } from '../components/Transcript';
import { useRunEvents } from '../hooks/useRunEvents';
import { useStepPages } from '../hooks/useStepPages';
import { useStoredState } from '../hooks/useStoredState';
import { useTRPC } from '../lib/trpc';

// The diff renderer is the heaviest part of the app: loaded with the first run page.
const DiffPanel = lazy(() => import('../components/DiffPanel').then((m) => ({ default: m.DiffPanel })));
const DIFF_WIDTHS = ['side', 'wide'] as const;

export function RunPage() {
  const { id = '' } = useParams();
  // A page per run: going to another run (a retry) starts with no state of the last one's.
  return <RunView key={id} id={id} />;
}

function isActive(status: Run['status']): boolean {
  return status === 'queued' || status === 'running';
}

function RunView({ id }: { id: string }) {
  const trpc = useTRPC();
  const run = useQuery(trpc.runs.get.queryOptions({ id }));
  const project = useQuery(
    trpc.projects.get.queryOptions({ id: run.data?.projectId ?? '' }, { enabled: Boolean(run.data) }),
  );
  // The transcript is read in pages from its end. Live when the page opened: the stream then
  // brings every later step as it comes (and keeps the page live past the end).
  const [opened, setOpened] = useState<'live' | 'ended' | null>(null);
  if (opened === null && run.data) setOpened(isActive(run.data.status) ? 'live' : 'ended');
  const pages = useStepPages(id, opened !== null);
  const events = useRunEvents(id, opened === 'live' && pages.loaded, pages.eventCursor);
  // The stream starts after what the pages read; where they meet, a step is kept once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: events.steps grows in place; version marks it.
  const newer = useMemo(() => {
    const last = pages.steps.at(-1)?.seq ?? 0;
    return events.steps.filter((step) => step.seq > last);
  }, [pages.steps, events.steps, events.version]);
  const liveSteps = useMemo(
    () => (newer.length === 0 ? pages.steps : [...pages.steps, ...newer]),
    [pages.steps, newer],
  );
  // The diff in the side column, or across the page: the reader's choice, kept.
  const [diffWidth, setDiffWidth] = useStoredState('retrace.diff-width', DIFF_WIDTHS, 'side');

  if (run.error) return <ErrorBox error={run.error} what="Could not load the run" back={TO_PROJECTS} />;
  if (!run.data) return <p className="muted">Loading the run…</p>;
  const r = run.data;
  const active = isActive(r.status);
  const transcript =
    opened === 'ended'
      ? { steps: pages.steps, total: pages.total, version: pages.total, error: pages.error }
      : {
          steps: liveSteps,
          total: pages.total + newer.length,
          version: liveSteps.length + events.version,
          error: pages.error ?? events.error,
        };
  const diff = (
    <Suspense fallback={<p className="muted">Loading the diff…</p>}>
      <DiffPanel
        runId={id}
        wide={diffWidth === 'wide'}
        onWideChange={(wide) => setDiffWidth(wide ? 'wide' : 'side')}
      />
    </Suspense>
  );
  return (
    <section className="run-page">
      <p className="crumbs">
        <Link to="/">Projects</Link> /{' '}
        <Link to={`/projects/${r.projectId}`}>{project.data?.name ?? 'project'}</Link> /
      </p>
      <div className="page-head">
        <RunHeader run={r} liveUsage={events.usage} />
        <RunActions run={r} />
      </div>
      {r.fullAccess && <FullAccessWarning what="run" />}
      {r.error && r.status !== 'succeeded' && (
        <div className="error-box" role="alert">
          {r.error}
        </div>
      )}
      {r.summary && r.status === 'succeeded' && <p className="summary">{r.summary}</p>}
      <RunPrompt run={r} />
      {diffWidth === 'wide' && diff}
      <div className="run-grid">
        <div className="run-main">
          <h2>
            Transcript{' '}
            <span className="muted small">
              {transcript.total} step{transcript.total === 1 ? '' : 's'}
            </span>
          </h2>
          <ErrorBox
            error={transcript.error}
            what={pages.error || opened === 'ended' ? 'Could not load the steps' : 'Live updates stopped'}
          />
          <Transcript
            steps={transcript.steps}
            total={transcript.total}
            version={transcript.version}
            live={active}
            loading={!pages.loaded}
            onNeedOlder={pages.loadOlder}
          />
          {active && <ActivityLine activity={events.activity} />}
        </div>
        <div className="run-side">
          <PatternSummary run={r} />
          {diffWidth === 'side' && diff}
          <ReviewPanel run={r} />
          {project.data && <BranchPanel run={r} project={project.data} />}
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
    </section>
  );
}
