import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '../lib/trpc';

/**
 * A project's run created and status events, followed from the first run list's cursor (not
 * the project's whole history): what they make stale refetches — run lists, the project, and
 * the patterns' records and experiments that runs ending change. A reconnect resumes after the
 * last event heard. Events come in bursts: one refetch per burst.
 */
export function useProjectEvents(projectId: string, listedAt: string | undefined) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [since, setSince] = useState<string | null>(null);
  useEffect(() => {
    if (listedAt !== undefined) setSince((first) => first ?? listedAt);
  }, [listedAt]);
  const refetchSoon = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => clearTimeout(refetchSoon.current ?? undefined), []);
  useSubscription(
    trpc.subscriptions.project.subscriptionOptions(
      { id: projectId, lastEventId: since },
      {
        enabled: since !== null,
        onData: () => {
          if (refetchSoon.current) return;
          refetchSoon.current = setTimeout(() => {
            refetchSoon.current = null;
            void queryClient.invalidateQueries(trpc.runs.list.pathFilter());
            void queryClient.invalidateQueries(trpc.projects.get.queryFilter({ id: projectId }));
            void queryClient.invalidateQueries(trpc.patterns.list.pathFilter());
            void queryClient.invalidateQueries(trpc.experiments.list.pathFilter());
          }, 150);
        },
      },
    ),
  );
}
