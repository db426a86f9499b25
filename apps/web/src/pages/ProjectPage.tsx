import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ErrorBox, TO_PROJECTS } from '../components/ErrorBox';
import { ExperimentList } from '../components/ExperimentList';
import { FullAccessWarning } from '../components/FullAccessWarning';
import { NewExperimentDialog } from '../components/NewExperimentDialog';
import { NewRunDialog } from '../components/NewRunDialog';
import { PatternList } from '../components/PatternList';
import { ProjectEditButtons } from '../components/ProjectEditButtons';
import { ProjectRuns, RUN_PAGE_SIZE } from '../components/ProjectRuns';
import { useProjectEvents } from '../hooks/useProjectEvents';
import { useProjectRef } from '../hooks/useProjectRef';
import { oneLine } from '../lib/format';
import { useTRPC } from '../lib/trpc';

// The project's views, each at its own address (?view=…) so a link or a reload keeps it.
const VIEWS = [
  { view: 'runs', label: 'Runs' },
  { view: 'patterns', label: 'Patterns' },
  { view: 'experiments', label: 'Experiments' },
] as const;
type View = (typeof VIEWS)[number]['view'];

/** /projects/<id or name>: the CLI's names work here too. */
export function ProjectPage() {
  const { id: ref = '' } = useParams();
  const project = useProjectRef(ref);
  if (project.error)
    return <ErrorBox error={project.error} what="Could not load the project" back={TO_PROJECTS} />;
  if (project.id === undefined) return <p className="muted">Loading the project…</p>;
  if (project.id === null)
    return (
      <ErrorBox
        error={new Error(`no project has the id or name “${ref}”`)}
        what="Not found"
        back={TO_PROJECTS}
      />
    );
  // A page per project: another project starts on its first page, followed from its own list.
  return <ProjectView key={project.id} id={project.id} />;
}

function ProjectView({ id }: { id: string }) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const view: View = VIEWS.find((v) => v.view === params.get('view'))?.view ?? 'runs';
  const project = useQuery(trpc.projects.get.queryOptions({ id }));
  // The first page of every run, as the runs view reads it: where the live events start.
  const firstPage = useQuery(
    trpc.runs.list.queryOptions({ projectId: id, limit: RUN_PAGE_SIZE, cursor: null }),
  );
  const [newRun, setNewRun] = useState(false);
  const [newExperiment, setNewExperiment] = useState(false);
  useProjectEvents(id, firstPage.data?.eventCursor);

  if (project.error)
    return <ErrorBox error={project.error} what="Could not load the project" back={TO_PROJECTS} />;
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
          {project.data && (
            // A renamed project's old name no longer leads here: its id always does.
            <ProjectEditButtons
              project={project.data}
              onSaved={(saved) =>
                navigate({ pathname: `/projects/${saved.id}`, search: params.toString() }, { replace: true })
              }
            />
          )}
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
      {view === 'runs' && <ProjectRuns projectId={id} onStart={() => setNewRun(true)} />}
      {project.data && <NewRunDialog open={newRun} onOpenChange={setNewRun} projectId={id} />}
      {project.data && (
        <NewExperimentDialog open={newExperiment} onOpenChange={setNewExperiment} projectId={id} />
      )}
    </section>
  );
}
