import type { Run } from '@retrace/api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useTRPC } from '../lib/trpc';
import { DeleteRunDialog } from './DeleteRunDialog';
import { ErrorBox } from './ErrorBox';
import { NewRunDialog } from './NewRunDialog';

type ActedOnRun = Pick<Run, 'id' | 'number' | 'projectId' | 'status'>;

/** What can be done with a run from its page: cancel or retry it, follow it up, delete it. */
export function RunActions({ run }: { run: ActedOnRun }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [followUp, setFollowUp] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const refresh = () => queryClient.invalidateQueries(trpc.runs.get.queryFilter({ id: run.id }));
  const cancel = useMutation(trpc.runs.cancel.mutationOptions({ onSuccess: refresh }));
  const retry = useMutation(
    trpc.runs.retry.mutationOptions({ onSuccess: (next) => navigate(`/runs/${next.id}`) }),
  );
  const active = run.status === 'queued' || run.status === 'running';
  return (
    <div className="run-actions">
      <div className="buttons">
        {active && (
          <button type="button" onClick={() => cancel.mutate({ id: run.id })} disabled={cancel.isPending}>
            Cancel run
          </button>
        )}
        {!active && (
          <button type="button" onClick={() => retry.mutate({ id: run.id })} disabled={retry.isPending}>
            Retry
          </button>
        )}
        <button type="button" className="primary" onClick={() => setFollowUp(true)}>
          Follow-up run
        </button>
        <button type="button" className="danger" onClick={() => setDeleting(true)}>
          Delete run
        </button>
      </div>
      <ErrorBox error={cancel.error ?? retry.error} />
      <NewRunDialog
        open={followUp}
        onOpenChange={setFollowUp}
        projectId={run.projectId}
        defaults={{ fromRunId: run.id, ...(run.status === 'succeeded' ? { learnFromRunId: run.id } : {}) }}
      />
      <DeleteRunDialog run={run} open={deleting} onOpenChange={setDeleting} />
    </div>
  );
}
