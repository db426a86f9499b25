import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../lib/trpc';

/** runs.review, and what a verdict changes: the run, run lists, pattern records, experiments. */
export function useReviewRun() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.runs.review.mutationOptions({
      onSuccess: (run) =>
        Promise.all([
          queryClient.invalidateQueries(trpc.runs.get.queryFilter({ id: run.id })),
          queryClient.invalidateQueries(trpc.runs.list.pathFilter()),
          queryClient.invalidateQueries(trpc.patterns.pathFilter()),
          queryClient.invalidateQueries(trpc.experiments.pathFilter()),
        ]),
    }),
  );
}
