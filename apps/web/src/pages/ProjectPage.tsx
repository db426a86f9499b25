import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorBox } from '../components/ErrorBox';
import { FullAccessWarning } from '../components/FullAccessWarning';
import { NewRunDialog } from '../components/NewRunDialog';
import { RunRef } from '../components/RunRef';
import { StatusBadge } from '../components/StatusBadge';
import { formatDuration, formatTime, formatTokens, oneLine } from '../lib/format';
import { useTRPC } from '../lib/trpc';

const PAGE_SIZE = 20;

export function ProjectPage() {
  const { id = '' } = useParams();
  // A page per project: another project starts on its first page, followed from its own list.
  return <ProjectView key={id} id={id} />;
}

function ProjectView({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const project = useQuery(trpc.projects.get.queryOptions({ id }));
  // Older pages: the cursors that led to them.
  const [cursors, setCursors] = useState<number[]>([]);
  const cursor = cursors.at(-1) ?? null;
  const runs = useQuery(trpc.runs.list.queryOptions({ projectId: id, limit: PAGE_SIZE, cursor }));
  const [newRun, setNewRun] = useState(false);

  // Run created and status events: the list refetches, so it is always what the server has.
  // Followed from the first list's cursor, not the project's whole history; a reconnect
  // resumes after the last event heard. Events come in bursts: one refetch per burst.
  const [since, setSince] = useState<string | null>(null);
  const listedAt = runs.data?.eventCursor;
  useEffect(() => {
    if (listedAt !== undefined) setSince((first) => first ?? listedAt);
  }, [listedAt]);
  const refetchSoon = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => clearTimeout(refetchSoon.current ?? undefined), []);
  useSubscription(
    trpc.subscriptions.project.subscriptionOptions(
      { id, lastEventId: since },
      {
        enabled: since !== null,
        onData: () => {
          if (refetchSoon.current) return;
          refetchSoon.current = setTimeout(() => {
            refetchSoon.current = null;
            void queryClient.invalidateQueries(trpc.runs.list.pathFilter());
            void queryClient.invalidateQueries(trpc.projects.get.queryFilter({ id }));
          }, 150);
        },
      },
    ),
  );

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
        <button type="button" className="primary" onClick={() => setNewRun(true)} disabled={!project.data}>
          New run
        </button>
      </div>
      <ErrorBox error={runs.error} what="Could not load runs" />
      {runs.isPending && <p className="muted">Loading runs…</p>}
      {runs.data?.items.length === 0 && cursor === null && (
        <div className="empty">
          <p>
            No runs yet. Start one: the first successful run becomes a pattern the next runs can learn from.
          </p>
          <button type="button" className="primary" onClick={() => setNewRun(true)}>
            Start the first run
          </button>
        </div>
      )}
      {runs.data && runs.data.items.length > 0 && (
        <table className="table runs">
          <thead>
            <tr>
              <th>#</th>
              <th>Status</th>
              <th>Prompt</th>
              <th className="num">Duration</th>
              <th className="num">Tokens</th>
              <th>Started</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.items.map((run) => (
              <tr key={run.id} data-run-number={run.number}>
                <td>
                  <Link to={`/runs/${run.id}`}>#{run.number}</Link>
                </td>
                <td>
                  <StatusBadge status={run.status} />
                  {run.status === 'succeeded' && (
                    <span className="badge pattern" title="Successful: later runs can learn from its pattern">
                      pattern
                    </span>
                  )}
                </td>
                <td>
                  <Link to={`/runs/${run.id}`} className="prompt-link">
                    {oneLine(run.prompt, 90)}
                  </Link>
                  {run.learnFromRunId && (
                    <span className="badge learned">
                      learned from <RunRef id={run.learnFromRunId} />
                    </span>
                  )}
                  {run.error && run.status !== 'succeeded' && (
                    <div className="small error-text">{oneLine(run.error, 100)}</div>
                  )}
                </td>
                <td className="num">{formatDuration(run.durationMs)}</td>
                <td className="num">{formatTokens(run.usage)}</td>
                <td>{formatTime(run.startedAt ?? run.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
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
      {project.data && <NewRunDialog open={newRun} onOpenChange={setNewRun} projectId={id} />}
    </section>
  );
}
