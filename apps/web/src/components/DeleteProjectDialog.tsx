import type { Project } from '@retrace/api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTRPC } from '../lib/trpc';
import { ConfirmDialog } from './ConfirmDialog';

/** Deleting a project and all it holds, once confirmed: refused while any of its runs is active. */
export function DeleteProjectDialog({
  project,
  open,
  onOpenChange,
}: {
  project: Pick<Project, 'id' | 'name' | 'runCount'>;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation(
    trpc.projects.delete.mutationOptions({
      onSuccess: async () => {
        // Out of the cached list first: the page we land on never shows it, even for a frame.
        queryClient.setQueryData(trpc.projects.list.queryKey(), (list) =>
          list?.filter((item) => item.id !== project.id),
        );
        queryClient.removeQueries(trpc.projects.get.queryFilter({ id: project.id }));
        onOpenChange(false);
        navigate('/');
        await queryClient.invalidateQueries(trpc.projects.list.queryFilter());
      },
    }),
  );
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Delete project ${project.name}`}
      confirmLabel="Delete project"
      pendingLabel="Deleting…"
      action={remove}
      onConfirm={() => remove.mutate({ id: project.id })}
    >
      <p>
        The project and its {project.runCount} run{project.runCount === 1 ? '' : 's'} are deleted:
        transcripts, diffs, artifacts, patterns and experiments. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
