import type { Project, Run } from '@retrace/api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formErrors } from '../lib/errors';
import { formatTime } from '../lib/format';
import { useTRPC } from '../lib/trpc';
import { Field } from './Field';

type BranchRun = Pick<Run, 'id' | 'number' | 'status' | 'baseCommit' | 'branch'>;

/** The run's change as a branch of the project's own repository: made, then pushed, from here. */
export function BranchPanel({ run, project }: { run: BranchRun; project: Pick<Project, 'sourceRepo'> }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [push, setPush] = useState(false);
  // A failed push still made the branch: the run is read again either way.
  const refresh = () => queryClient.invalidateQueries(trpc.runs.get.queryFilter({ id: run.id }));
  const toBranch = useMutation(trpc.runs.toBranch.mutationOptions({ onSettled: refresh }));
  const { issues, other } = formErrors(toBranch.error, ['branch']);
  const local = project.sourceRepo?.startsWith('/') ?? false;
  if (!local || run.status === 'queued' || run.status === 'running' || !run.baseCommit) return null;
  const branch = run.branch;
  return (
    <section className="panel" aria-labelledby="branch-title">
      <h2 id="branch-title">Branch</h2>
      {branch ? (
        <p role="status" className="branch-made">
          Branch <code>{branch.name}</code> at <code title={branch.commit}>{branch.commit.slice(0, 12)}</code>{' '}
          in <code>{project.sourceRepo}</code>
          {branch.pushedAt !== null && (
            <span className="muted small">
              {' '}
              · pushed to <code>{branch.remote}</code> {formatTime(branch.pushedAt)}
            </span>
          )}
          {branch.remote === null && (
            <span className="muted small"> · the repository has no origin to push to</span>
          )}
        </p>
      ) : (
        <p className="muted small">
          Makes the run’s change one commit on a new branch of <code>{project.sourceRepo}</code>, on top of{' '}
          <code>{run.baseCommit.slice(0, 12)}</code>; your checkout is not touched.
        </p>
      )}
      {other && (
        <div className="error-box" role="alert">
          {other}
        </div>
      )}
      {branch ? (
        branch.remote !== null &&
        branch.pushedAt === null && (
          <div className="buttons">
            <button
              type="button"
              disabled={toBranch.isPending}
              onClick={() => toBranch.mutate({ id: run.id, push: true })}
            >
              {toBranch.isPending ? 'Pushing…' : 'Push'}
            </button>
          </div>
        )
      ) : (
        <form
          className="form"
          onSubmit={(event) => {
            event.preventDefault();
            toBranch.mutate({ id: run.id, branch: name.trim() || null, push });
          }}
        >
          <Field label="Branch name (optional)" error={issues.branch}>
            {(control) => (
              <input
                {...control}
                value={name}
                onChange={(e) => setName(e.target.value)}
                placeholder={`retrace/<project>/${run.number}`}
              />
            )}
          </Field>
          <label className="check">
            <input type="checkbox" checked={push} onChange={(e) => setPush(e.target.checked)} /> Push it to
            origin too
          </label>
          <div className="buttons">
            <button type="submit" disabled={toBranch.isPending}>
              {toBranch.isPending ? 'Creating…' : 'Create branch'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
