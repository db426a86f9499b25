import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useTRPC } from '../lib/trpc';
import type { TranscriptStep } from './useRunEvents';

// The last steps a page opens with (a screenful and some: steps carry their full output),
// then older ones a page at a time as the reader scrolls up.
const TAIL = 50;
const OLDER = 300;

interface Older {
  steps: TranscriptStep[];
  /** The `beforeSeq` of the next older page; null once the first step is in. */
  cursor: number | null;
}

/**
 * A run's transcript, read from its end: opening it costs the last page, not every step it
 * ever took. `steps` are the last `steps.length` of the run's `total` when the page opened;
 * a live run's later steps come from its events after `eventCursor`.
 */
export function useStepPages(runId: string, enabled: boolean) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Read once: a step never changes once recorded, and a live run's new ones come as events.
  const tail = useQuery(
    trpc.runs.steps.queryOptions(
      { id: runId, beforeSeq: 'end', limit: TAIL },
      { enabled, staleTime: Number.POSITIVE_INFINITY },
    ),
  );
  const [older, setOlder] = useState<Older | null>(null);
  const [olderError, setOlderError] = useState<unknown>(null);
  const loading = useRef(false);
  const cursor = older ? older.cursor : (tail.data?.nextCursor ?? null);

  const loadOlder = useCallback(async () => {
    if (cursor === null || loading.current) return;
    loading.current = true;
    try {
      const page = await queryClient.fetchQuery(
        trpc.runs.steps.queryOptions({ id: runId, beforeSeq: cursor, limit: OLDER }),
      );
      setOlder((prev) => ({ steps: [...page.items, ...(prev?.steps ?? [])], cursor: page.nextCursor }));
      setOlderError(null);
    } catch (error) {
      setOlderError(error);
    } finally {
      loading.current = false;
    }
  }, [cursor, queryClient, trpc, runId]);

  const tailSteps = tail.data?.items;
  // Joined once per page, not on every render (the list re-renders as it scrolls).
  const steps = useMemo(() => [...(older?.steps ?? []), ...(tailSteps ?? [])], [older, tailSteps]);
  return {
    steps,
    total: tail.data?.total ?? 0,
    loaded: tail.data !== undefined,
    eventCursor: tail.data?.eventCursor ?? null,
    loadOlder,
    error: tail.error ?? olderError,
  };
}
