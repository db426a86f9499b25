import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorBox } from '../components/ErrorBox';
import { ExperimentList } from '../components/ExperimentList';
import { FullAccessWarning } from '../components/FullAccessWarning';
import { NewExperimentDialog } from '../components/NewExperimentDialog';
import { NewRunDialog } from '../components/NewRunDialog';
import { PatternList } from '../components/PatternList';
import { RunTable } from '../components/RunTable';
import { useProjectEvents } from '../hooks/useProjectEvents';
import { oneLine } from '../lib/format';
import { useTRPC } from '../lib/trpc';

const PAGE_SIZE = 20;

// The project's views, each at its own address (?view=…) so a link or a reload keeps it.
const VIEWS = [
  { view: 'runs', label: 'Runs' },
  { view: 'patterns', label: 'Patterns' },
  { view: 'experiments', label: 'Experiments' },
] as const;
type View = (typeof VIEWS)[number]['view'];

export function ProjectPage() {
  const { id = '' } = useParams();
  // A page per project: another project starts on its first page, followed from its own list.
  return <ProjectView key={id} id={id} />;
}

function ProjectView({ id }: { id: string }) {
  const trpc = useTRPC();
  const [params] = useSearchParams();
  const view: View = VIEWS.find((v) => v.view === params.get('view'))?.view ?? 'runs';
  const project = useQuery(trpc.projects.get.queryOptions({ id }));
  // Older pages: the cursors that led to them.
  const [cursors, setCursors] = useState<number[]>([]);
  const cursor = cursors.at(-1) ?? null;
  const runs = useQuery(trpc.runs.list.queryOptions({ projectId: id, limit: PAGE_SIZE, cursor }));
  const [newRun, setNewRun] = useState(false);
  const [newExperiment, setNewExperiment] = useState(false);
  useProjectEvents(id, runs.data?.eventCursor);

  if (project.error) return <ErrorBox error={project.error} what="Could not load the project" />;
  return (
    <section>
      <p className="crumbs">
        <Link to="/">Projects</Link> /
      </p>
      <div className="page-head">
        <div>
          <h1>{project.data?.name ?? '…'}</h1>
          {project.data && (
            <p className="muted small">
              {project.data.runCount} runs · base prompt “{oneLine(project.data.basePrompt, 60)}”
              {project.data.verifyCommand && (
                <>
                  {' '}
                  · verify <code>{project.data.verifyCommand}</code>
                </>
              )}
              {project.data.sourceRepo && <> · from {project.data.sourceRepo}</>}
            </p>
          )}
          {project.data?.fullAccess && <FullAccessWarning what="project" />}
        </div>
        <div className="buttons">
          <button type="button" onClick={() => setNewExperiment(true)} disabled={!project.data}>
            New experiment
          </button>
          <button type="button" className="primary" onClick={() => setNewRun(true)} disabled={!project.data}>
            New run
          </button>
        </div>
      </div>
      <nav className="tabs" aria-label="Project views">
        {VIEWS.map((v) => (
          <Link
            key={v.view}
            to={{ search: v.view === 'runs' ? '' : `?view=${v.view}` }}
            aria-current={view === v.view ? 'page' : undefined}
          >
            {v.label}
          </Link>
        ))}
      </nav>
      {view === 'patterns' && <PatternList projectId={id} />}
      {view === 'experiments' && <ExperimentList projectId={id} onStart={() => setNewExperiment(true)} />}
      {view === 'runs' && (
        <>
          <ErrorBox error={runs.error} what="Could not load runs" />
          {runs.isPending && <p className="muted">Loading runs…</p>}
          {runs.data?.items.length === 0 && cursor === null && (
            <div className="empty">
              <p>
                No runs yet. Start one: the first successful run becomes a pattern the next runs can learn
                from.
              </p>
              <button type="button" className="primary" onClick={() => setNewRun(true)}>
                Start the first run
              </button>
            </div>
          )}
          {runs.data && runs.data.items.length > 0 && <RunTable runs={runs.data.items} label="Runs" />}
          {(cursors.length > 0 || runs.data?.nextCursor) && (
            <div className="pager">
              <button
                type="button"
                disabled={cursors.length === 0}
                onClick={() => setCursors(cursors.slice(0, -1))}
              >
                Newer
              </button>
              <button
                type="button"
                disabled={!runs.data?.nextCursor}
                onClick={() => runs.data?.nextCursor && setCursors([...cursors, runs.data.nextCursor])}
              >
                Older
              </button>
            </div>
          )}
        </>
      )}
      {project.data && <NewRunDialog open={newRun} onOpenChange={setNewRun} projectId={id} />}
      {project.data && (
        <NewExperimentDialog open={newExperiment} onOpenChange={setNewExperiment} projectId={id} />
      )}
    </section>
  );
}
