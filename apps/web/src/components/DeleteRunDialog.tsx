import type { RouterOutputs, Run } from '@retrace/api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTRPC } from '../lib/trpc';
import { ConfirmDialog } from './ConfirmDialog';

type RunPage = RouterOutputs['runs']['list'];

/** Deleting a run, once confirmed: the server refuses while it is queued or running, and says so. */
export function DeleteRunDialog({
  run,
  open,
  onOpenChange,
}: {
  run: Pick<Run, 'id' | 'number' | 'projectId'>;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation(
    trpc.runs.delete.mutationOptions({
      onSuccess: async () => {
        // Out of every cached page first: the list we land on never shows it, even for a frame.
        queryClient.setQueriesData<RunPage>(
          trpc.runs.list.pathFilter(),
          (page) => page && { ...page, items: page.items.filter((item) => item.id !== run.id) },
        );
        queryClient.removeQueries(trpc.runs.get.queryFilter({ id: run.id }));
        onOpenChange(false);
        navigate(`/projects/${run.projectId}`);
        await queryClient.invalidateQueries(trpc.runs.list.pathFilter());
        await queryClient.invalidateQueries(trpc.projects.pathFilter());
      },
    }),
  );
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Delete run #${run.number}`}
      confirmLabel="Delete run"
      pendingLabel="Deleting…"
      action={remove}
      onConfirm={() => remove.mutate({ id: run.id })}
    >
      <p>
        Run #{run.number}, its workspace, transcript, diff, artifacts and the pattern it teaches are deleted.
        Runs that learned from it or continued it stay, without the link.
      </p>
    </ConfirmDialog>
  );
}
